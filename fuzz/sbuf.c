// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A growable text buffer for the decoder: always NUL-terminated; after a
 * failed allocation it stops growing and says so (nomem).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"

static bool sb_reserve(struct sbuf *sb, size_t n)
{
	size_t cap;
	char *p;

	if (sb->nomem)
		return false;
	if (sb->len + n + 1 <= sb->cap)
		return true;
	cap = sb->cap ? sb->cap : 4096;
	while (cap < sb->len + n + 1)
		cap *= 2;
	p = realloc(sb->p, cap);
	if (!p) {
		sb->nomem = true;
		return false;
	}
	sb->p = p;
	sb->cap = cap;
	return true;
}

void sb_put(struct sbuf *sb, const char *s, size_t n)
{
	if (!sb_reserve(sb, n))
		return;
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
}

void sb_puts(struct sbuf *sb, const char *s)
{
	sb_put(sb, s, strlen(s));
}

void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sb_reserve(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->p + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void sb_hex(struct sbuf *sb, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (!sb_reserve(sb, 2 * n))
		return;
	for (i = 0; i < n; i++) {
		sb->p[sb->len++] = digits[b[i] >> 4];
		sb->p[sb->len++] = digits[b[i] & 15];
	}
	sb->p[sb->len] = '\0';
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The value syntax of scenario files (tests/corpus/FORMAT.md, "Values"):
 * hex bytes, numbers, flag names, map type names, errno names. Parsers
 * return NULL on success or a message for "file:line: <message>".
 */
#ifndef __HARNESS_VALUES_H
#define __HARNESS_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifndef ENOTSUPP
#define ENOTSUPP	524	/* kernel-internal, reaches user space as is */
#endif

/* Bytes given in a file: hex, or `null` (a NULL pointer). */
struct blob {
	uint8_t *data;
	size_t len;
	bool null;
};

const char *parse_hex(const char *s, struct blob *b);
const char *parse_blob(const char *s, struct blob *b);	/* hex or null */
const char *parse_u64(const char *s, uint64_t *v);	/* dec, 0x, -dec */
const char *parse_u32(const char *s, uint32_t *v);
const char *parse_flags(const char *s, uint64_t *v);
const char *parse_map_type(const char *s, uint32_t *v);
const char *parse_errno(const char *s, int *err);	/* "EEXIST", "524" */

/* "EEXIST", "ENOTSUPP" for 524, or the number in buf. */
const char *errno_name(int err, char buf[16]);

/* Hex of buf, a `_` every `group` bytes (0: none). */
void print_hex(FILE *f, const uint8_t *buf, size_t len, size_t group);

void blob_free(struct blob *b);

#endif /* __HARNESS_VALUES_H */

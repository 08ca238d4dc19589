// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Value syntax of scenario files: see tests/corpus/FORMAT.md, "Values".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "values.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Map types by UAPI number (enum bpf_map_type, 6.18): every name parses,
 * whether or not the emulator implements the type, so that the kernel
 * side of a scenario can be recorded before the emulator catches up.
 */
static const char *const map_type_names[] = {
	"UNSPEC", "HASH", "ARRAY", "PROG_ARRAY", "PERF_EVENT_ARRAY",
	"PERCPU_HASH", "PERCPU_ARRAY", "STACK_TRACE", "CGROUP_ARRAY",
	"LRU_HASH", "LRU_PERCPU_HASH", "LPM_TRIE", "ARRAY_OF_MAPS",
	"HASH_OF_MAPS", "DEVMAP", "SOCKMAP", "CPUMAP", "XSKMAP", "SOCKHASH",
	"CGROUP_STORAGE", "REUSEPORT_SOCKARRAY", "PERCPU_CGROUP_STORAGE",
	"QUEUE", "STACK", "SK_STORAGE", "DEVMAP_HASH", "STRUCT_OPS",
	"RINGBUF", "INODE_STORAGE", "TASK_STORAGE", "BLOOM_FILTER",
	"USER_RINGBUF", "CGRP_STORAGE", "ARENA",
};

/* One namespace for element, map and file flags: the values never clash
 * in a way that matters, and a scenario may want any bit anywhere. */
static const struct {
	const char *name;
	uint64_t bit;
} flag_names[] = {
	{ "ANY", 0 }, { "NOEXIST", 1 }, { "EXIST", 2 }, { "LOCK", 4 },
	{ "NO_PREALLOC", 1U << 0 }, { "NO_COMMON_LRU", 1U << 1 },
	{ "NUMA_NODE", 1U << 2 }, { "RDONLY", 1U << 3 },
	{ "WRONLY", 1U << 4 }, { "STACK_BUILD_ID", 1U << 5 },
	{ "ZERO_SEED", 1U << 6 }, { "RDONLY_PROG", 1U << 7 },
	{ "WRONLY_PROG", 1U << 8 }, { "CLONE", 1U << 9 },
	{ "MMAPABLE", 1U << 10 }, { "PRESERVE_ELEMS", 1U << 11 },
	{ "INNER_MAP", 1U << 12 }, { "LINK", 1U << 13 },
	{ "PATH_FD", 1U << 14 }, { "VTYPE_BTF_OBJ_FD", 1U << 15 },
	{ "TOKEN_FD", 1U << 16 },
};

/* Names glibc's strerrorname_np() does not give back for these values. */
static const struct {
	const char *name;
	int err;
} errno_aliases[] = {
	{ "ENOTSUPP", ENOTSUPP }, { "ENOTSUP", ENOTSUP },
	{ "EWOULDBLOCK", EWOULDBLOCK }, { "EDEADLOCK", EDEADLOCK },
};

static int hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

const char *parse_hex(const char *s, struct blob *b)
{
	size_t n = 0, i;
	int hi = -1;

	b->null = false;
	b->len = 0;
	b->data = malloc(strlen(s) / 2 + 1);
	if (!b->data)
		return "out of memory";
	for (i = 0; s[i]; i++) {
		int d;

		if (s[i] == '_')
			continue;
		d = hexdigit(s[i]);
		if (d < 0)
			goto err_digit;
		if (hi < 0) {
			hi = d;
			continue;
		}
		b->data[n++] = (uint8_t)(hi << 4 | d);
		hi = -1;
	}
	if (hi >= 0) {
		blob_free(b);
		return "odd number of hex digits";
	}
	b->len = n;
	return NULL;

err_digit:
	blob_free(b);
	return "bad hex digit";
}

const char *parse_blob(const char *s, struct blob *b)
{
	if (strcmp(s, "null") == 0) {
		b->data = NULL;
		b->len = 0;
		b->null = true;
		return NULL;
	}
	return parse_hex(s, b);
}

const char *parse_u64(const char *s, uint64_t *v)
{
	bool neg = *s == '-';
	const char *p = neg ? s + 1 : s;
	char *end;

	/* strtoull would accept a sign and blanks of its own */
	if (!(*p >= '0' && *p <= '9'))
		return "expected a number";
	errno = 0;
	/* decimal or 0x: a leading 0 is not octal here */
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		if (hexdigit(p[2]) < 0)
			return "expected a number";
		*v = strtoull(p + 2, &end, 16);
	} else {
		*v = strtoull(p, &end, 10);
	}
	if (errno || *end)
		return "expected a number";
	if (neg)
		*v = -*v;
	return NULL;
}

const char *parse_u32(const char *s, uint32_t *v)
{
	uint64_t x;
	const char *err = parse_u64(s, &x);

	if (err)
		return err;
	/* -1 stands for 0xffffffff, as C converts it */
	if (*s == '-' ? (int64_t)x < INT32_MIN : x > UINT32_MAX)
		return "number out of range (32 bits)";
	*v = (uint32_t)x;
	return NULL;
}

static const char *parse_flag(const char *s, size_t len, uint64_t *v)
{
	char tok[32];
	size_t i;

	if (len >= sizeof(tok))
		return "unknown flag";
	memcpy(tok, s, len);
	tok[len] = '\0';
	for (i = 0; i < ARRAY_SIZE(flag_names); i++) {
		if (strcmp(tok, flag_names[i].name) == 0) {
			*v = flag_names[i].bit;
			return NULL;
		}
	}
	if (parse_u64(tok, v))
		return "unknown flag";
	return NULL;
}

const char *parse_flags(const char *s, uint64_t *v)
{
	const char *p = s;

	*v = 0;
	for (;;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		uint64_t bit;
		const char *err = parse_flag(p, len, &bit);

		if (err)
			return err;
		*v |= bit;
		if (!bar)
			return NULL;
		p = bar + 1;
	}
}

const char *parse_map_type(const char *s, uint32_t *v)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map_type_names); i++) {
		if (strcmp(s, map_type_names[i]) == 0) {
			*v = (uint32_t)i;
			return NULL;
		}
	}
	if (strcmp(s, "CGROUP_STORAGE_DEPRECATED") == 0) {
		*v = 19;
		return NULL;
	}
	if (strcmp(s, "PERCPU_CGROUP_STORAGE_DEPRECATED") == 0) {
		*v = 21;
		return NULL;
	}
	if (parse_u32(s, v))
		return "unknown map type";
	return NULL;
}

const char *parse_errno(const char *s, int *err)
{
	uint64_t v;
	size_t i;
	int e;

	for (i = 0; i < ARRAY_SIZE(errno_aliases); i++) {
		if (strcmp(s, errno_aliases[i].name) == 0) {
			*err = errno_aliases[i].err;
			return NULL;
		}
	}
	if (s[0] == 'E') {
		for (e = 1; e < 4096; e++) {
			const char *name = strerrorname_np(e);

			if (name && strcmp(name, s) == 0) {
				*err = e;
				return NULL;
			}
		}
		return "unknown errno name";
	}
	if (parse_u64(s, &v) || v == 0 || v > 4095)
		return "bad errno";
	*err = (int)v;
	return NULL;
}

const char *errno_name(int err, char buf[16])
{
	const char *name;

	if (err == ENOTSUPP)
		return "ENOTSUPP";
	name = err > 0 ? strerrorname_np(err) : NULL;
	if (name)
		return name;
	snprintf(buf, 16, "%d", err);
	return buf;
}

void print_hex(FILE *f, const uint8_t *buf, size_t len, size_t group)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (group && i && i % group == 0)
			fputc('_', f);
		fprintf(f, "%02x", buf[i]);
	}
}

void blob_free(struct blob *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

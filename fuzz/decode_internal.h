/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the decoder's two halves share: the map types it creates (the one
 * list to extend when the emulator learns a type), the kernel's create
 * rules it needs to predict whether a create succeeds and what it costs,
 * and a growable text buffer.
 */
#ifndef __FUZZ_DECODE_INTERNAL_H
#define __FUZZ_DECODE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* UAPI map flags (include/uapi/linux/bpf.h) */
#define MF_NO_PREALLOC		(1U << 0)
#define MF_NO_COMMON_LRU	(1U << 1)
#define MF_NUMA_NODE		(1U << 2)
#define MF_RDONLY		(1U << 3)
#define MF_WRONLY		(1U << 4)
#define MF_STACK_BUILD_ID	(1U << 5)
#define MF_ZERO_SEED		(1U << 6)
#define MF_RDONLY_PROG		(1U << 7)
#define MF_WRONLY_PROG		(1U << 8)
#define MF_MMAPABLE		(1U << 10)
#define MF_PRESERVE_ELEMS	(1U << 11)
#define MF_INNER_MAP		(1U << 12)
#define MF_PATH_FD		(1U << 14)
#define MF_TOKEN_FD		(1U << 16)
/* every create flag the kernel has a name for, up to 6.18 */
#define MF_KNOWN		((1U << 17) - 1)

#define FUZZ_PAGE		4096U

/*
 * A map type the emulator implements, with what the decoder needs to
 * make valid and invalid creates of it. Rules are the kernel's create
 * checks that fail before anything is allocated.
 */
struct fuzz_type {
	const char *name;	/* as the scenario language spells it */
	uint32_t id;		/* enum bpf_map_type */
	uint32_t key_size;	/* the only key size it takes; 0: any >= 1 */
	uint32_t key_size_min, key_size_max;	/* else this range (0: none) */
	uint32_t map_flags;	/* the create flags it takes */
	uint32_t flags_required;	/* without one of them: EINVAL */
	uint32_t flag_a, flag_b;	/* the flags most creates try */
	uint32_t value_size_max;	/* above: E2BIG before allocating */
	uint32_t kv_max;	/* key + value size above: E2BIG (0: none) */
	uint32_t max_entries_max;	/* above: E2BIG (0: it allocates) */
	bool percpu;		/* values are per CPU */
	bool htab;		/* elements are hash nodes in buckets */
	bool lpm;		/* keys are a prefixlen and data: an LPM trie */
	bool keyless;		/* key_size 0, NULL keys: QUEUE, STACK, BLOOM */
	uint64_t map_extra_mask;	/* the map_extra bits it takes */
	uint32_t flags_always;	/* create flags every valid create has */
	bool lru;		/* evicts: every op's key set is compared */
};

extern const struct fuzz_type fuzz_types[];
extern const size_t fuzz_ntypes;

const struct fuzz_type *fuzz_type_find(uint32_t id);

/* One BPF_MAP_CREATE's attributes, as a create line gives them. */
struct fuzz_cfg {
	uint32_t type, key_size, value_size, max_entries, flags, numa_node;
	uint64_t map_extra;
	char name[20];		/* name= (empty: none) */
};

enum fuzz_cfg_outcome {
	CFG_FAILS,		/* the kernel refuses it before allocating */
	CFG_OK,			/* the kernel creates it */
	CFG_UNKNOWN,		/* not a type the decoder knows, or a NUMA
				 * node this host may or may not have */
};

/*
 * Predicts a create on the live kernel (as root) and sets *bytes to
 * about what the kernel would allocate for it (0 if it fails first).
 */
enum fuzz_cfg_outcome fuzz_cfg_check(const struct fuzz_cfg *c,
				     unsigned int ncpus, uint64_t *bytes);

/* The bytes of one value as bpf(2) passes it: per CPU for per-CPU maps. */
static inline uint64_t fuzz_value_stride(const struct fuzz_type *t,
					 uint32_t value_size,
					 unsigned int ncpus)
{
	return t && t->percpu ? (((uint64_t)value_size + 7) & ~7ULL) * ncpus :
				value_size;
}

/* A text being built; nomem once an allocation failed. */
struct sbuf {
	char *p;
	size_t len, cap;
	bool nomem;
};

void sb_put(struct sbuf *sb, const char *s, size_t n);
void sb_puts(struct sbuf *sb, const char *s);
void sb_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_hex(struct sbuf *sb, const uint8_t *b, size_t n);

/*
 * decode_attr.c: may a poke= of len bytes at off stay on this op (no
 * pointer, fd or id garbled)? And the attr_size= to use for one asked:
 * never inside such a field (cut before it instead), never before the
 * end of next_id's start id (past it instead).
 */
bool fuzz_poke_ok(const char *op, uint32_t off, const uint8_t *b, size_t len);
uint32_t fuzz_attr_cut(const char *op, uint32_t attr_size);

/* decode_text.c: a '#' input (scenario text) made safe to run. */
int fuzz_decode_text(const uint8_t *data, size_t size, unsigned int ncpus,
		     struct sbuf *sb);

#endif /* __FUZZ_DECODE_INTERNAL_H */

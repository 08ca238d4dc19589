// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The map types the fuzzers create, and the kernel's create rules the
 * decoder needs to know in advance whether a create succeeds (so that
 * the ops after it name slots and mappings that exist) and what a map
 * costs the kernel (so that no input makes it allocate much).
 *
 * To fuzz a type the emulator learns, add it to fuzz_types[].
 */
#include "decode_internal.h"

#define ACCESS_FLAGS	(MF_RDONLY | MF_WRONLY | MF_RDONLY_PROG | \
			 MF_WRONLY_PROG)
#define ROUND8(x)	(((uint64_t)(x) + 7) & ~7ULL)

/* ARENA, the last map type of 6.18: anything past it is EINVAL */
#define MAP_TYPE_LAST	33
#define MAX_NUMNODES	1024	/* CONFIG_NODES_SHIFT=10: never a node */
#define NUMA_NO_NODE	0xffffffffU
#define KMALLOC_MAX	(4U << 20)	/* KMALLOC_MAX_SIZE on x86-64 */

const struct fuzz_type fuzz_types[] = {
	/* hashtab.c: htab_map_alloc_check, htab_map_alloc */
	{
		.name = "HASH", .id = 1,
		.map_flags = MF_NO_PREALLOC | MF_NUMA_NODE | MF_ZERO_SEED |
			     ACCESS_FLAGS,
		.flag_a = MF_ZERO_SEED, .flag_b = MF_NO_PREALLOC,
		.value_size_max = UINT32_MAX,
		/* KMALLOC_MAX_SIZE - sizeof(struct htab_elem) */
		.kv_max = 4194255,
		/* n_buckets past U32_MAX / sizeof(struct bucket) */
		.max_entries_max = 1U << 27,
		.htab = true,
	},
	/* arraymap.c: array_map_alloc_check, array_map_alloc */
	{
		.name = "ARRAY", .id = 2, .key_size = 4,
		.map_flags = MF_NUMA_NODE | MF_MMAPABLE | MF_INNER_MAP |
			     ACCESS_FLAGS,
		.flag_a = MF_MMAPABLE,
		.value_size_max = 0x7fffffff,
	},
	{
		.name = "PERCPU_HASH", .id = 5,
		.map_flags = MF_NO_PREALLOC | MF_ZERO_SEED | ACCESS_FLAGS,
		.flag_a = MF_ZERO_SEED, .flag_b = MF_NO_PREALLOC,
		/* round_up(value_size, 8) past PCPU_MIN_UNIT_SIZE */
		.value_size_max = 32768,
		.kv_max = 4194255,
		.max_entries_max = 1U << 27,
		.percpu = true, .htab = true,
	},
	{
		.name = "PERCPU_ARRAY", .id = 6, .key_size = 4,
		.map_flags = ACCESS_FLAGS,
		.value_size_max = 32768,
		.percpu = true,
	},
	/* lpm_trie.c: trie_alloc; nodes come one by one, on demand */
	{
		.name = "LPM_TRIE", .id = 11,
		.key_size_min = 5, .key_size_max = 260,	/* 1..256 data bytes */
		.map_flags = MF_NO_PREALLOC | MF_NUMA_NODE | ACCESS_FLAGS,
		.flags_required = MF_NO_PREALLOC,
		/* KMALLOC_MAX_SIZE - 256 - sizeof(struct lpm_trie_node) */
		.value_size_max = 4194024,
		.lpm = true,
	},
	/* queue_stack_maps.c: queue_stack_map_alloc_check */
	{
		.name = "QUEUE", .id = 22,
		.map_flags = MF_NUMA_NODE | ACCESS_FLAGS,
		.value_size_max = KMALLOC_MAX,
		.keyless = true,
	},
	{
		.name = "STACK", .id = 23,
		.map_flags = MF_NUMA_NODE | ACCESS_FLAGS,
		.value_size_max = KMALLOC_MAX,
		.keyless = true,
	},
	/*
	 * bloom_filter.c: bloom_map_alloc_check, bloom_map_alloc. Always
	 * BPF_F_ZERO_SEED: with a random seed which absent values look
	 * present is chance, on the kernel as on the emulator.
	 */
	{
		.name = "BLOOM_FILTER", .id = 30,
		.map_flags = MF_NUMA_NODE | MF_ZERO_SEED | ACCESS_FLAGS,
		.value_size_max = KMALLOC_MAX,
		.keyless = true,
		.map_extra_mask = 0xf,	/* the number of hash functions */
		.flags_always = MF_ZERO_SEED,
	},
	/*
	 * hashtab.c: htab_map_alloc_check: always preallocated
	 * (NO_PREALLOC: ENOTSUPP), per-CPU LRU lists on request
	 * (NO_COMMON_LRU), not on a NUMA node with them
	 */
	{
		.name = "LRU_HASH", .id = 9,
		.map_flags = MF_NO_COMMON_LRU | MF_NUMA_NODE | MF_ZERO_SEED |
			     ACCESS_FLAGS,
		.flag_a = MF_ZERO_SEED, .flag_b = MF_NO_COMMON_LRU,
		.value_size_max = UINT32_MAX,
		.kv_max = 4194255,
		.max_entries_max = 1U << 27,
		.htab = true, .lru = true,
	},
	{
		.name = "LRU_PERCPU_HASH", .id = 10,
		.map_flags = MF_NO_COMMON_LRU | MF_ZERO_SEED | ACCESS_FLAGS,
		.flag_a = MF_ZERO_SEED, .flag_b = MF_NO_COMMON_LRU,
		.value_size_max = 32768,
		.kv_max = 4194255,
		.max_entries_max = 1U << 27,
		.percpu = true, .htab = true, .lru = true,
	},
};

const size_t fuzz_ntypes = sizeof(fuzz_types) / sizeof(fuzz_types[0]);

const struct fuzz_type *fuzz_type_find(uint32_t id)
{
	size_t i;

	for (i = 0; i < fuzz_ntypes; i++)
		if (fuzz_types[i].id == id)
			return &fuzz_types[i];
	return NULL;
}

/* syscall.c: bpf_obj_name_cpy: [A-Za-z0-9_.], NUL within 16 bytes */
static bool name_ok(const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++) {
		char ch = name[i];

		if (i == 15 || !((ch >= 'a' && ch <= 'z') ||
				 (ch >= 'A' && ch <= 'Z') ||
				 (ch >= '0' && ch <= '9') || ch == '_' ||
				 ch == '.'))
			return false;
	}
	return true;
}

static uint64_t pow2_roundup(uint64_t x)
{
	uint64_t p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

/* Ops of one input: what an LPM trie's nodes may come to. */
#define LPM_NODES_MAX	64

/* bloom_filter.c: bloom_map_alloc, the bit array's bytes */
static uint64_t bloom_bytes(const struct fuzz_cfg *c)
{
	uint64_t k = c->map_extra & 0xf ? c->map_extra & 0xf : 5;
	uint64_t bits = c->max_entries * k / 5 * 7;

	if (bits > (1ULL << 31))
		return 1ULL << 29;	/* 2^32 bits */
	return pow2_roundup(bits < 64 ? 64 : bits) / 8;
}

/*
 * About what map_alloc takes: elements, per-CPU copies, buckets; for an
 * LPM trie, which allocates nothing up front, the nodes an input can
 * add (a glue node with each).
 */
static uint64_t cfg_bytes(const struct fuzz_type *t, const struct fuzz_cfg *c,
			  unsigned int ncpus)
{
	uint64_t elem = ROUND8(c->value_size) * (t->percpu ? ncpus : 1);

	if (t->lpm)
		return (c->max_entries < LPM_NODES_MAX ? c->max_entries :
			LPM_NODES_MAX) * 2 * (elem + ROUND8(c->key_size) + 24);
	if (t->map_extra_mask)
		return bloom_bytes(c);
	if (t->keyless)	/* max_entries + 1 slots */
		return ((uint64_t)c->max_entries + 1) * c->value_size;
	if (!t->htab)
		return c->max_entries * elem;
	return c->max_entries * (elem + ROUND8(c->key_size) + 48) +
	       pow2_roundup(c->max_entries) * 16;
}

/* syscall.c: map_create, then the type's alloc_check and alloc */
enum fuzz_cfg_outcome fuzz_cfg_check(const struct fuzz_cfg *c,
				     unsigned int ncpus, uint64_t *bytes)
{
	const struct fuzz_type *t = fuzz_type_find(c->type);
	uint32_t flags = c->flags & ~MF_TOKEN_FD;

	*bytes = 0;
	/* no BPF token exists here: any token fd is refused */
	if (c->flags & MF_TOKEN_FD)
		return CFG_FAILS;
	if (c->map_extra && !(t && t->map_extra_mask))
		return CFG_FAILS;
	if ((flags & (MF_RDONLY | MF_WRONLY)) == (MF_RDONLY | MF_WRONLY))
		return CFG_FAILS;
	if ((flags & MF_NUMA_NODE) && c->numa_node != NUMA_NO_NODE &&
	    c->numa_node >= MAX_NUMNODES)
		return CFG_FAILS;
	if (!t)
		return c->type && c->type <= MAP_TYPE_LAST ? CFG_UNKNOWN :
							     CFG_FAILS;
	if (flags & ~t->map_flags)
		return CFG_FAILS;
	if ((flags & (MF_RDONLY_PROG | MF_WRONLY_PROG)) ==
	    (MF_RDONLY_PROG | MF_WRONLY_PROG))
		return CFG_FAILS;
	if (t->keyless ? c->key_size != 0 :
	    t->key_size ? c->key_size != t->key_size : !c->key_size)
		return CFG_FAILS;
	if (c->map_extra & ~t->map_extra_mask)
		return CFG_FAILS;
	if (t->key_size_max && (c->key_size < t->key_size_min ||
				c->key_size > t->key_size_max))
		return CFG_FAILS;
	if ((flags & t->flags_required) != t->flags_required)
		return CFG_FAILS;
	if (t->lru && (flags & MF_NO_COMMON_LRU) && (flags & MF_NUMA_NODE) &&
	    c->numa_node != NUMA_NO_NODE)
		return CFG_FAILS;
	if (!c->value_size || !c->max_entries)
		return CFG_FAILS;
	if (c->value_size > t->value_size_max)
		return CFG_FAILS;
	if (t->kv_max && (uint64_t)c->key_size + c->value_size > t->kv_max)
		return CFG_FAILS;
	if (t->max_entries_max && c->max_entries > t->max_entries_max)
		return CFG_FAILS;
	*bytes = cfg_bytes(t, c, ncpus);
	/* a node that may or may not be online on this host */
	if ((flags & MF_NUMA_NODE) && c->numa_node &&
	    c->numa_node != NUMA_NO_NODE)
		return CFG_UNKNOWN;
	/* the name is checked after the allocation */
	return name_ok(c->name) ? CFG_OK : CFG_FAILS;
}

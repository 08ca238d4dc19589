/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrors kernel/bpf/bloom_filter.c (v6.18). */
/*
 * BPF_MAP_TYPE_BLOOM_FILTER: a keyless bit array. A push sets the bits
 * of k hashes of the value, a peek answers 0 ("maybe present") when all
 * k are set, ENOENT otherwise; nothing can be removed or listed.
 *
 * The bits are the kernel's exactly: hash i of a value is jhash2 of its
 * u32 words (value_size a multiple of 4) or jhash of its bytes, seeded
 * with hash_seed + i, masked to the array's power-of-two size. With
 * BPF_F_ZERO_SEED the seed is 0, so false positives match the kernel's
 * one for one; otherwise the seed is random, as there.
 *
 * From user space (syscall.c) update is push and lookup is peek, each
 * with a NULL key; the lookup's value buffer is the peek's input.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "emu_internal.h"
#include "jhash.h"

/* include/linux/slab.h: KMALLOC_MAX_SIZE on x86-64 (4 MiB) */
#define BLOOM_VALUE_MAX		(4U << 20)
#define BLOOM_NR_HASH_MASK	0xfULL	/* map_extra: the number of hashes */
#define BLOOM_NR_HASH_DEFAULT	5
#define BLOOM_MIN_BITS		64	/* BITS_PER_LONG */

#define BLOOM_CREATE_FLAG_MASK	(BPF_F_NUMA_NODE | BPF_F_ZERO_SEED | \
				 EMU_F_ACCESS_MASK)

struct emu_bloom_filter {
	struct emu_map map;
	__u32 bitset_mask;
	__u32 hash_seed;
	__u32 aligned_u32_count;	/* value_size / 4, or 0: use jhash */
	__u32 nr_hash_funcs;
	__u32 *words;		/* an aligned copy of the value, for jhash2 */
	__u64 *bitset;
};

static struct emu_bloom_filter *to_bloom(struct emu_map *map)
{
	return container_of(map, struct emu_bloom_filter, map);
}

/* bloom_filter.c: hash; value is words when aligned_u32_count is set */
static __u32 bloom_hash(const struct emu_bloom_filter *bloom,
			const void *value, __u32 index)
{
	__u32 seed = bloom->hash_seed + index;
	__u32 h;

	if (bloom->aligned_u32_count)
		h = jhash2(value, bloom->aligned_u32_count, seed);
	else
		h = jhash(value, bloom->map.value_size, seed);
	return h & bloom->bitset_mask;
}

/* The value as bloom_hash() takes it: a helper's may be unaligned. */
static const void *bloom_value(struct emu_bloom_filter *bloom,
			       const void *value)
{
	if (!bloom->aligned_u32_count)
		return value;
	memcpy(bloom->words, value, bloom->map.value_size);
	return bloom->words;
}

/* bloom_filter.c: bloom_map_alloc_check, the one check before privilege */
static int bloom_map_alloc_check(union bpf_attr *attr)
{
	if (attr->value_size > BLOOM_VALUE_MAX)
		return -E2BIG;	/* user space could not copy such a value */
	return 0;
}

/*
 * bloom_filter.c: bloom_map_alloc, the bit array's size: max_entries *
 * nr_hashes * 7 / 5 (dividing first) bits, 1 / ln(2) per expected
 * element and hash, rounded up to a power of two of at least 64; 2^32
 * when that overflows a u32 or passes 2^31.
 */
static __u64 bloom_map_nr_bits(__u32 max_entries, __u32 nr_hash_funcs)
{
	__u64 nr_bits = (__u64)max_entries * nr_hash_funcs;
	__u64 pow2 = BLOOM_MIN_BITS;

	if (nr_bits > UINT32_MAX)
		return 1ULL << 32;	/* check_mul_overflow */
	nr_bits = nr_bits / 5 * 7;
	if (nr_bits > UINT32_MAX || nr_bits > (1ULL << 31))
		return 1ULL << 32;	/* overflow, or more than 2^31 bits */
	while (pow2 < nr_bits)
		pow2 <<= 1;
	return pow2;
}

static struct emu_map *bloom_map_alloc(union bpf_attr *attr)
{
	struct emu_bloom_filter *bloom;
	__u64 nr_bits;

	/* bpf_capable(): the emulator is root */
	if (attr->key_size != 0)
		return ERR_PTR(-EINVAL);	/* keyless: the key must be NULL */
	if (attr->value_size == 0 || attr->max_entries == 0)
		return ERR_PTR(-EINVAL);	/* nothing to hash or size by */
	if (attr->map_flags & ~BLOOM_CREATE_FLAG_MASK)
		return ERR_PTR(-EINVAL);	/* NO_PREALLOC, MMAPABLE ... */
	if ((attr->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) ==
	    (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
		return ERR_PTR(-EINVAL);	/* bpf_map_flags_access_ok */
	if (attr->map_extra & ~BLOOM_NR_HASH_MASK)
		return ERR_PTR(-EINVAL);	/* at most 15 hash functions */

	bloom = emu_zalloc(sizeof(*bloom));
	if (!bloom)
		return ERR_PTR(-ENOMEM);	/* no memory for the map */
	emu_map_init_from_attr(&bloom->map, attr);
	bloom->nr_hash_funcs = attr->map_extra ? : BLOOM_NR_HASH_DEFAULT;
	nr_bits = bloom_map_nr_bits(attr->max_entries, bloom->nr_hash_funcs);
	bloom->bitset_mask = (__u32)(nr_bits - 1);
	/* calloc, not emu_zalloc: a 2^32-bit array stays lazy */
	bloom->bitset = calloc(nr_bits / 64, sizeof(*bloom->bitset));
	if (!bloom->bitset)
		goto out_free_bloom;	/* bpf_map_area_alloc failed */
	if ((attr->value_size & (sizeof(__u32) - 1)) == 0) {
		bloom->aligned_u32_count = attr->value_size / sizeof(__u32);
		bloom->words = malloc(attr->value_size);
		if (!bloom->words)
			goto out_free_bitset;
	}
	/* get_random_u32() cannot fail; no entropy here counts as no memory */
	if (!(attr->map_flags & BPF_F_ZERO_SEED) &&
	    getrandom(&bloom->hash_seed, sizeof(bloom->hash_seed), 0) !=
	    sizeof(bloom->hash_seed))
		goto out_free_words;
	return &bloom->map;

out_free_words:
	free(bloom->words);
out_free_bitset:
	free(bloom->bitset);
out_free_bloom:
	free(bloom);
	return ERR_PTR(-ENOMEM);
}

static void bloom_map_free(struct emu_map *map)
{
	struct emu_bloom_filter *bloom = to_bloom(map);

	free(bloom->words);
	free(bloom->bitset);
	free(bloom);
}

static bool bloom_test_bit(const struct emu_bloom_filter *bloom, __u32 h)
{
	return bloom->bitset[h / 64] & (1ULL << (h % 64));
}

/* bloom_filter.c: bloom_map_peek_elem; value is an input */
static long bloom_map_peek_elem(struct emu_map *map, void *value)
{
	struct emu_bloom_filter *bloom = to_bloom(map);
	const void *v = bloom_value(bloom, value);
	__u32 i;

	for (i = 0; i < bloom->nr_hash_funcs; i++)
		if (!bloom_test_bit(bloom, bloom_hash(bloom, v, i)))
			return -ENOENT;	/* a bit is clear: never pushed */
	return 0;	/* every bit set: maybe pushed */
}

/* bloom_filter.c: bloom_map_push_elem; no capacity, never full */
static long bloom_map_push_elem(struct emu_map *map, const void *value,
				__u64 flags)
{
	struct emu_bloom_filter *bloom = to_bloom(map);
	const void *v;
	__u32 i, h;

	if (flags != BPF_ANY)
		return -EINVAL;	/* neither NOEXIST nor EXIST means anything */
	v = bloom_value(bloom, value);
	for (i = 0; i < bloom->nr_hash_funcs; i++) {
		h = bloom_hash(bloom, v, i);
		bloom->bitset[h / 64] |= 1ULL << (h % 64);
	}
	return 0;
}

/* bloom_filter.c: bloom_map_pop_elem (the verifier refuses the helper) */
static long bloom_map_pop_elem(struct emu_map *map, void *value)
{
	(void)map; (void)value;
	return -EOPNOTSUPP;	/* values cannot be taken out */
}

/* bloom_filter.c: bloom_map_delete_elem */
static long bloom_map_delete_elem(struct emu_map *map, const void *key)
{
	(void)map; (void)key;
	return -EOPNOTSUPP;	/* bits cannot be cleared */
}

/* bloom_filter.c: bloom_map_get_next_key */
static int bloom_map_get_next_key(struct emu_map *map, const void *key,
				  void *next_key)
{
	(void)map; (void)key; (void)next_key;
	return -EOPNOTSUPP;	/* nothing to walk */
}

/* bloom_filter.c: bloom_map_lookup_elem */
static void *bloom_map_lookup_elem(struct emu_map *map, const void *key)
{
	(void)map; (void)key;
	return ERR_PTR(-EINVAL);	/* programs peek instead */
}

/* bloom_filter.c: bloom_map_update_elem */
static long bloom_map_update_elem(struct emu_map *map, const void *key,
				  const void *value, __u64 flags)
{
	(void)map; (void)key; (void)value; (void)flags;
	return -EINVAL;	/* programs push instead */
}

/* syscall.c: bpf_map_copy_value; value holds the user's input */
static int bloom_map_lookup_elem_sys(struct emu_map *map, const void *key,
				     void *value, __u64 flags)
{
	(void)key; (void)flags;	/* NULL; syscall.c rejected every flag */
	return bloom_map_peek_elem(map, value);
}

/* syscall.c: bpf_map_update_value; a user update is a push */
static int bloom_map_update_elem_sys(struct emu_map *map, const void *key,
				     const void *value, __u64 flags)
{
	(void)key;	/* NULL */
	return bloom_map_push_elem(map, value, flags);
}

const struct emu_map_ops bloom_filter_map_ops = {
	.map_alloc_check = bloom_map_alloc_check,
	.map_alloc = bloom_map_alloc,
	.map_free = bloom_map_free,
	.map_get_next_key = bloom_map_get_next_key,
	.map_lookup_elem = bloom_map_lookup_elem,
	.map_update_elem = bloom_map_update_elem,
	.map_delete_elem = bloom_map_delete_elem,
	.map_lookup_percpu_elem = emu_map_lookup_percpu_elem_notsupp,
	.map_push_elem = bloom_map_push_elem,
	.map_pop_elem = bloom_map_pop_elem,
	.map_peek_elem = bloom_map_peek_elem,
	.map_lookup_elem_sys = bloom_map_lookup_elem_sys,
	.map_update_elem_sys = bloom_map_update_elem_sys,
	.map_lookup_and_delete_elem = emu_map_lookup_and_delete_elem_notsupp,
	.map_lookup_batch = emu_map_batch_notsupp,
	.map_lookup_and_delete_batch = emu_map_batch_notsupp,
	.map_update_batch = emu_map_batch_notsupp,
	.map_delete_batch = emu_map_batch_notsupp,
	.map_get_hash = emu_map_get_hash_notsupp,
	.map_mmap = emu_map_mmap_notsupp,
};

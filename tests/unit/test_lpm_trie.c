/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Unit tests of emu/lpm_trie.c, below the syscall layer: the trie
 * against a brute-force list of prefixes on random operations, and at
 * scale. The rules the brute force follows (longest-prefix lookup,
 * exact update and delete, ENOSPC/EEXIST/ENOENT, the post-order walk)
 * are the ones tests/corpus/lpm_trie/ records on the kernel (spec:
 * array-lpm-queue-maps.md §4).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <setjmp.h>
#include <cmocka.h>

#include "unit_attr.h"

#include "emu_internal.h"

#define LPM_KEY_MAX	20	/* IPv6: prefixlen + 16 bytes */
#define BRUTE_MAX	64

struct lpm_key {
	__u32 prefixlen;
	unsigned char data[LPM_KEY_MAX - 4];
};

/* The brute force: entries by identity, the raw key of the last update. */
struct brute {
	__u32 data_size, max_entries, n;
	struct lpm_key keys[BRUTE_MAX];
	__u64 values[BRUTE_MAX];
};

static struct emu_map *lpm_create(__u32 key_size, __u32 max_entries)
{
	union bpf_attr attr;
	struct emu_map *map;

	unit_map_attr(&attr, BPF_MAP_TYPE_LPM_TRIE, key_size, sizeof(__u64),
		      max_entries, BPF_F_NO_PREALLOC);
	assert_int_equal(trie_map_ops.map_alloc_check(&attr), 0);
	map = trie_map_ops.map_alloc(&attr);
	assert_false(IS_ERR(map));
	return map;
}

static unsigned int bit(const unsigned char *data, __u32 i)
{
	return (data[i / 8] >> (7 - i % 8)) & 1;
}

/* Are the first n bits of a and b equal? */
static bool same_bits(const unsigned char *a, const unsigned char *b,
		      __u32 n)
{
	__u32 i;

	for (i = 0; i < n; i++)
		if (bit(a, i) != bit(b, i))
			return false;
	return true;
}

static int brute_find(const struct brute *b, const struct lpm_key *k)
{
	__u32 i;

	for (i = 0; i < b->n; i++)
		if (b->keys[i].prefixlen == k->prefixlen &&
		    same_bits(b->keys[i].data, k->data, k->prefixlen))
			return (int)i;
	return -1;
}

/* The longest stored prefix of k, at most k's prefixlen long. */
static int brute_lookup(const struct brute *b, const struct lpm_key *k)
{
	int best = -1;
	__u32 i;

	if (k->prefixlen > b->data_size * 8)
		return -1;
	for (i = 0; i < b->n; i++)
		if (b->keys[i].prefixlen <= k->prefixlen &&
		    same_bits(b->keys[i].data, k->data,
			      b->keys[i].prefixlen) &&
		    (best < 0 ||
		     b->keys[i].prefixlen > b->keys[best].prefixlen))
			best = (int)i;
	return best;
}

static long brute_update(struct brute *b, const struct lpm_key *k,
			 __u64 value, __u64 flags)
{
	int i;

	if (flags > BPF_EXIST || k->prefixlen > b->data_size * 8)
		return -EINVAL;
	i = brute_find(b, k);
	if (i >= 0 && flags == BPF_NOEXIST)
		return -EEXIST;
	if (i < 0 && flags == BPF_EXIST)
		return -ENOENT;
	if (i < 0 && b->n == b->max_entries)
		return -ENOSPC;
	if (i < 0)
		i = (int)b->n++;
	b->keys[i] = *k;
	b->values[i] = value;
	return 0;
}

static long brute_delete(struct brute *b, const struct lpm_key *k)
{
	int i;

	if (k->prefixlen > b->data_size * 8)
		return -EINVAL;
	i = brute_find(b, k);
	if (i < 0)
		return -ENOENT;
	b->keys[i] = b->keys[--b->n];
	b->values[i] = b->values[b->n];
	return 0;
}

/* Post-order: a more specific prefix first, then the 0 branch first. */
static bool brute_before(const struct lpm_key *a, const struct lpm_key *b)
{
	__u32 n = min_t(__u32, a->prefixlen, b->prefixlen), i;

	for (i = 0; i < n; i++)
		if (bit(a->data, i) != bit(b->data, i))
			return !bit(a->data, i);
	return a->prefixlen > b->prefixlen;
}

/* The walk: from NULL, every entry once, in order, then ENOENT. */
static void check_walk(struct emu_map *map, const struct brute *b)
{
	unsigned char key[LPM_KEY_MAX], next[LPM_KEY_MAX];
	__u32 ks = b->data_size + 4, seen = 0, j;
	int i, prev = -1;

	if (trie_map_ops.map_get_next_key(map, NULL, next) == -ENOENT) {
		assert_int_equal(b->n, 0);
		return;
	}
	for (;;) {
		i = brute_find(b, (struct lpm_key *)next);
		assert_true(i >= 0);
		assert_memory_equal(next, &b->keys[i], ks);	/* raw bytes */
		if (prev >= 0)
			assert_true(brute_before(&b->keys[prev], &b->keys[i]));
		for (j = 0; j < b->n; j++)	/* nothing skipped */
			if ((int)j != i && (int)j != prev && prev >= 0)
				assert_false(brute_before(&b->keys[prev],
							  &b->keys[j]) &&
					     brute_before(&b->keys[j],
							  &b->keys[i]));
		seen++;
		prev = i;
		memcpy(key, next, ks);
		if (trie_map_ops.map_get_next_key(map, key, next) == -ENOENT)
			break;
	}
	assert_int_equal(seen, b->n);
}

static void random_key(struct lpm_key *k, __u32 data_size, unsigned int r)
{
	__u32 maxlen = data_size * 8, i;

	k->prefixlen = r % 11 == 0 ? maxlen + 1 + r % 3 : (r >> 4) % (maxlen + 1);
	if (r % 3 == 0)
		k->prefixlen = maxlen;
	for (i = 0; i < data_size; i++)
		k->data[i] = (unsigned char)rand();
	k->data[0] = (unsigned char)(0xa0 | (rand() & 0x13)); /* overlaps */
}

static void lpm__random_ops__same_as_brute_force(void **state)
{
	static const __u32 data_sizes[] = { 1, 2, 4, 16 };
	struct lpm_key k = { 0 };
	struct brute b;
	struct emu_map *map;
	unsigned int d, op, r;
	__u64 *value;
	int i;

	(void)state;
	srand(0x6c706d);
	for (d = 0; d < ARRAY_SIZE(data_sizes); d++) {
		memset(&b, 0, sizeof(b));
		b.data_size = data_sizes[d];
		b.max_entries = d % 2 ? 12 : BRUTE_MAX;
		map = lpm_create(b.data_size + 4, b.max_entries);
		for (op = 0; op < 20000; op++) {
			r = (unsigned int)rand();
			random_key(&k, b.data_size, r);
			if (b.n && r % 5 == 0)	/* a stored identity */
				k = b.keys[(r >> 8) % b.n];
			switch (r % 4) {
			case 0:
			case 1:
				assert_int_equal(
					trie_map_ops.map_update_elem(
						map, &k, &(__u64){ op },
						(r >> 12) % 4),
					brute_update(&b, &k, op,
						     (r >> 12) % 4));
				break;
			case 2:
				assert_int_equal(
					trie_map_ops.map_delete_elem(map, &k),
					brute_delete(&b, &k));
				break;
			default:
				value = trie_map_ops.map_lookup_elem(map, &k);
				i = brute_lookup(&b, &k);
				if (i < 0)
					assert_null(value);
				else
					assert_int_equal(*value, b.values[i]);
			}
			if (op % 500 == 0)
				check_walk(map, &b);
		}
		check_walk(map, &b);
		trie_map_ops.map_free(map);
	}
}

/* Prefix i's first 17 bits: a bijection of i < 2^17 (odd multiplier). */
static __u32 lpm_addr(__u32 i)
{
	return ((i * 0x1f35du + 0x9e37u) & 0x1ffff) << 15;
}

/* 100,000 IPv4 prefixes in, each found, walked, deleted: an empty trie. */
static void lpm__ipv4_100k__found_walked_emptied(void **state)
{
	const __u32 n = 100000;
	struct lpm_key k = { 0 }, next;
	struct emu_map *map = lpm_create(8, n);
	__u32 i, seen = 0, addr;
	__u64 *value;

	(void)state;
	for (i = 0; i < n; i++) {
		addr = lpm_addr(i);
		k.prefixlen = 17 + i % 16;
		memcpy(k.data, &(__u32){ __builtin_bswap32(addr) }, 4);
		assert_int_equal(trie_map_ops.map_update_elem(
				map, &k, &(__u64){ i }, BPF_NOEXIST), 0);
	}
	k.prefixlen = 16;
	assert_int_equal(trie_map_ops.map_update_elem(map, &k, &(__u64){ 0 },
						      BPF_ANY), -ENOSPC);
	for (i = 0; i < n; i++) {
		/* an address under prefix i: its bits past the prefix set */
		addr = lpm_addr(i) | (__u32)(0xffffffffull >> (17 + i % 16));
		k.prefixlen = 32;
		memcpy(k.data, &(__u32){ __builtin_bswap32(addr) }, 4);
		value = trie_map_ops.map_lookup_elem(map, &k);
		assert_non_null(value);
		assert_int_equal(*value, i);
	}
	if (!trie_map_ops.map_get_next_key(map, NULL, &next)) {
		do {
			seen++;
			k = next;
		} while (!trie_map_ops.map_get_next_key(map, &k, &next));
	}
	assert_int_equal(seen, n);
	for (i = 0; i < n; i++) {
		addr = lpm_addr(i);
		k.prefixlen = 17 + i % 16;
		memcpy(k.data, &(__u32){ __builtin_bswap32(addr) }, 4);
		assert_int_equal(trie_map_ops.map_delete_elem(map, &k), 0);
	}
	assert_int_equal(trie_map_ops.map_get_next_key(map, NULL, &next),
			 -ENOENT);
	trie_map_ops.map_free(map);
}

/* trie_alloc: every rule one EINVAL, none in alloc_check. */
static void lpm__create_bad_attr__einval(void **state)
{
	static const struct { __u32 ks, vs, me, flags; } bad[] = {
		{ 4, 8, 4, BPF_F_NO_PREALLOC }, { 261, 8, 4, BPF_F_NO_PREALLOC },
		{ 8, 0, 4, BPF_F_NO_PREALLOC },
		{ 8, 4194025, 4, BPF_F_NO_PREALLOC },
		{ 8, 8, 0, BPF_F_NO_PREALLOC }, { 8, 8, 4, 0 },
		{ 8, 8, 4, BPF_F_NO_PREALLOC | BPF_F_MMAPABLE },
		{ 8, 8, 4, BPF_F_NO_PREALLOC | BPF_F_RDONLY_PROG |
			   BPF_F_WRONLY_PROG },
	};
	union bpf_attr attr;
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		unit_map_attr(&attr, BPF_MAP_TYPE_LPM_TRIE, bad[i].ks,
			      bad[i].vs, bad[i].me, bad[i].flags);
		assert_int_equal(trie_map_ops.map_alloc_check(&attr), 0);
		assert_ptr_equal(trie_map_ops.map_alloc(&attr),
				 ERR_PTR(-EINVAL));
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lpm__create_bad_attr__einval),
		cmocka_unit_test(lpm__random_ops__same_as_brute_force),
		cmocka_unit_test(lpm__ipv4_100k__found_walked_emptied),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("lpm_trie", tests, NULL, NULL);
}

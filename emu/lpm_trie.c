/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrors kernel/bpf/lpm_trie.c (v6.18). */
/*
 * BPF_MAP_TYPE_LPM_TRIE: a key is a host-order u32 prefixlen followed by
 * data_size = key_size - 4 bytes, read big-endian bit by bit (bit 0 is
 * the top bit of data[0]).
 *
 * The trie has the kernel's shape, so that GET_NEXT_KEY walks it in the
 * kernel's post-order: every node holds a prefix (prefixlen, data) and
 * two children, child[b] for the prefixes that continue with bit b
 * after it; a node's children have longer prefixes that start with its
 * own. Nodes of stored prefixes are real; the others are intermediate
 * ("glue", LPM_TREE_NODE_FLAG_IM): they join two subtrees, are never
 * counted and never returned, and always have both children.
 *
 * A node keeps the data bytes of the update that stored it, bits beyond
 * prefixlen included: GET_NEXT_KEY returns them as they are. Lookups,
 * updates and deletes visit at most one node per prefix length on the
 * way down, each compared over at most prefixlen bits.
 *
 * A replacement rewrites the node in place (the kernel swaps in a new
 * node and frees the old one after a grace period); a program holding a
 * pointer from a lookup sees the new value at once instead of the old
 * one, which no single-threaded caller can tell apart.
 */
#include <stdlib.h>

#include "emu_internal.h"

/* lpm_trie.c: LPM_DATA_SIZE_MIN/MAX, LPM_VAL_SIZE_MAX on x86-64 */
#define LPM_PREFIXLEN_SIZE	4	/* the u32 before the data */
#define LPM_DATA_SIZE_MIN	1
#define LPM_DATA_SIZE_MAX	256
#define LPM_KMALLOC_MAX_SIZE	(1U << 22)
#define LPM_KERN_NODE_SIZE	24	/* sizeof(struct lpm_trie_node) */
#define LPM_VAL_SIZE_MAX	(LPM_KMALLOC_MAX_SIZE - LPM_DATA_SIZE_MAX - \
				 LPM_KERN_NODE_SIZE)
/* memalloc.c: bpf_mem_alloc_init: each object carries a llist_node */
#define LPM_LLIST_NODE_SIZE	8

#define LPM_CREATE_FLAG_MASK	(BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | \
				 EMU_F_ACCESS_MASK)

struct lpm_node {
	struct lpm_node *child[2];
	__u32 prefixlen;
	bool im;		/* intermediate: no entry of its own */
	/* data_size key bytes, then the value at value_off */
	unsigned char data[] __attribute__((aligned(8)));
};

struct emu_lpm_trie {
	struct emu_map map;
	struct lpm_node *root;
	__u32 n_entries;	/* real nodes */
	__u32 data_size;
	__u32 max_prefixlen;
	__u32 value_off;	/* data_size rounded up to 8 */
	/* GET_NEXT_KEY's path from the root: max_prefixlen + 1 nodes */
	struct lpm_node **stack;
};

static struct emu_lpm_trie *to_trie(struct emu_map *map)
{
	return container_of(map, struct emu_lpm_trie, map);
}

static void *lpm_node_value(const struct emu_lpm_trie *trie,
			    struct lpm_node *node)
{
	return node->data + trie->value_off;
}

/* The key's prefixlen; a program's key may be unaligned. */
static __u32 lpm_key_prefixlen(const void *key)
{
	__u32 prefixlen;

	memcpy(&prefixlen, key, sizeof(prefixlen));
	return prefixlen;
}

static const unsigned char *lpm_key_data(const void *key)
{
	return (const unsigned char *)key + LPM_PREFIXLEN_SIZE;
}

/* lpm_trie.c: extract_bit; bit 0 is the most significant of data[0] */
static unsigned int lpm_bit(const unsigned char *data, __u32 index)
{
	return (data[index / 8] >> (7 - index % 8)) & 1;
}

/*
 * lpm_trie.c: longest_prefix_match: how many leading bits of the node
 * and the key are equal, at most min(node's prefixlen, key's).
 */
static __u32 lpm_match_len(const struct lpm_node *node,
			   const unsigned char *data, __u32 prefixlen)
{
	__u32 limit = min_t(__u32, node->prefixlen, prefixlen);
	__u32 i, nbytes = (limit + 7) / 8;
	__u64 a, b;

	for (i = 0; i + 8 <= nbytes; i += 8) {
		memcpy(&a, node->data + i, sizeof(a));
		memcpy(&b, data + i, sizeof(b));
		if (a != b)
			return min_t(__u32, limit, i * 8 +
				     __builtin_clzll(__builtin_bswap64(a ^ b)));
	}
	for (; i < nbytes; i++) {
		unsigned int x = node->data[i] ^ data[i];

		if (x)
			return min_t(__u32, limit,
				     i * 8 + __builtin_clz(x) - 24);
	}
	return limit;
}

/* lpm_trie.c: trie_alloc, whose checks come after the generic ones */
static int trie_alloc_check(union bpf_attr *attr)
{
	(void)attr;	/* the LPM trie has no alloc_check: trie_alloc checks */
	return 0;
}

/* lpm_trie.c: trie_alloc; every rule is one EINVAL, in one condition */
static struct emu_map *trie_alloc(union bpf_attr *attr)
{
	struct emu_lpm_trie *trie;

	if (attr->max_entries == 0)
		return ERR_PTR(-EINVAL);	/* a trie holds an entry */
	if (!(attr->map_flags & BPF_F_NO_PREALLOC))
		return ERR_PTR(-EINVAL);	/* nodes are never preallocated */
	if (attr->map_flags & ~LPM_CREATE_FLAG_MASK)
		return ERR_PTR(-EINVAL);	/* a flag tries do not know */
	if ((attr->map_flags & BPF_F_RDONLY_PROG) &&
	    (attr->map_flags & BPF_F_WRONLY_PROG))
		return ERR_PTR(-EINVAL);	/* bpf_map_flags_access_ok */
	if (attr->key_size < LPM_PREFIXLEN_SIZE + LPM_DATA_SIZE_MIN ||
	    attr->key_size > LPM_PREFIXLEN_SIZE + LPM_DATA_SIZE_MAX)
		return ERR_PTR(-EINVAL);	/* 1 to 256 data bytes */
	if (attr->value_size < 1 || attr->value_size > LPM_VAL_SIZE_MAX)
		return ERR_PTR(-EINVAL);	/* a node fits in one kmalloc */

	trie = emu_zalloc(sizeof(*trie));
	if (!trie)
		return ERR_PTR(-ENOMEM);	/* no memory for the map */
	emu_map_init_from_attr(&trie->map, attr);
	trie->data_size = attr->key_size - LPM_PREFIXLEN_SIZE;
	trie->max_prefixlen = trie->data_size * 8;
	trie->value_off = round_up(trie->data_size, 8);
	trie->stack = calloc(trie->max_prefixlen + 1, sizeof(*trie->stack));
	if (!trie->stack) {
		free(trie);
		return ERR_PTR(-ENOMEM);	/* no memory for the walk */
	}
	return &trie->map;
}

/*
 * Frees every node without a stack: a left child is rotated up until
 * the node has none, then the node goes and its right child follows.
 */
static void trie_free(struct emu_map *map)
{
	struct emu_lpm_trie *trie = to_trie(map);
	struct lpm_node *node = trie->root, *next;

	while (node) {
		next = node->child[0];
		if (next) {
			node->child[0] = next->child[1];
			next->child[1] = node;
		} else {
			next = node->child[1];
			free(node);
		}
		node = next;
	}
	free(trie->stack);
	free(trie);
}

/* lpm_trie.c: trie_lookup_elem: the longest stored prefix of the key */
static void *trie_lookup_elem(struct emu_map *map, const void *key)
{
	struct emu_lpm_trie *trie = to_trie(map);
	const unsigned char *data = lpm_key_data(key);
	__u32 prefixlen = lpm_key_prefixlen(key), matchlen;
	struct lpm_node *node, *found = NULL;

	if (prefixlen > trie->max_prefixlen)
		return NULL;	/* longer than the data: matches nothing */
	for (node = trie->root; node;) {
		matchlen = lpm_match_len(node, data, prefixlen);
		if (matchlen == trie->max_prefixlen)
			return lpm_node_value(trie, node); /* exact, full */
		if (matchlen < node->prefixlen)
			break;	/* the key leaves this subtree */
		if (!node->im)
			found = node;
		node = node->child[lpm_bit(data, node->prefixlen)];
	}
	return found ? lpm_node_value(trie, found) : NULL;
}

/*
 * The walk update, delete and get_next_key share: down from the root
 * while the node is a proper prefix of the key. Returns the slot where
 * it stopped (its node is the exact match, a node the key diverges
 * from, or NULL) and sets *matchlen for that node; *parent_slot is the
 * slot of its parent (the root's slot for the root). With a stack,
 * every node visited is pushed and *depth says how many.
 */
static struct lpm_node **trie_walk(struct emu_lpm_trie *trie,
				   const unsigned char *data, __u32 prefixlen,
				   __u32 *matchlen,
				   struct lpm_node ***parent_slot,
				   __u32 *depth)
{
	struct lpm_node **slot = &trie->root, **up = slot, *node;

	*matchlen = 0;
	if (depth)
		*depth = 0;
	while ((node = *slot)) {
		if (depth)
			trie->stack[(*depth)++] = node;
		*matchlen = lpm_match_len(node, data, prefixlen);
		if (node->prefixlen != *matchlen ||
		    node->prefixlen == prefixlen)
			break;
		up = slot;
		slot = &node->child[lpm_bit(data, node->prefixlen)];
	}
	if (parent_slot)
		*parent_slot = up;
	return slot;
}

static struct lpm_node *trie_node_alloc(struct emu_lpm_trie *trie)
{
	return emu_zalloc(sizeof(struct lpm_node) + trie->value_off +
			  trie->map.value_size);
}

/* lpm_trie.c: trie_check_add_elem: may a new entry be counted? */
static long trie_check_add_elem(struct emu_lpm_trie *trie, __u64 flags)
{
	if (flags == BPF_EXIST)
		return -ENOENT;	/* BPF_EXIST: the prefix is not stored */
	if (trie->n_entries == trie->map.max_entries)
		return -ENOSPC;	/* full: a new prefix has no room */
	trie->n_entries++;
	return 0;
}

/* The node becomes the entry: the key's raw data and the value. */
static void trie_node_set(struct emu_lpm_trie *trie, struct lpm_node *node,
			  const void *key, const void *value)
{
	node->prefixlen = lpm_key_prefixlen(key);
	node->im = false;
	memcpy(node->data, lpm_key_data(key), trie->data_size);
	memcpy(lpm_node_value(trie, node), value, trie->map.value_size);
}

/*
 * lpm_trie.c: trie_update_elem. An existing prefix (exact match, bits
 * beyond prefixlen ignored) is replaced even in a full trie; a new one
 * is counted first (trie_check_add_elem).
 */
static long trie_update_elem(struct emu_map *map, const void *key,
			     const void *value, __u64 flags)
{
	struct emu_lpm_trie *trie = to_trie(map);
	const unsigned char *data = lpm_key_data(key);
	__u32 prefixlen = lpm_key_prefixlen(key), matchlen;
	struct lpm_node **slot, *node, *new_node, *im_node;
	unsigned int bit;
	long err;

	if (flags > BPF_EXIST)
		return -EINVAL;	/* unknown flags, BPF_F_LOCK included */
	if (prefixlen > trie->max_prefixlen)
		return -EINVAL;	/* longer than the data */
	/*
	 * The node is allocated before anything else is looked at, by
	 * bpf_mem_alloc with its llist_node in front: past KMALLOC_MAX_SIZE
	 * that never succeeds, whatever the key and flags (create allows
	 * those sizes: LPM_VAL_SIZE_MAX leaves the llist_node out).
	 */
	if ((__u64)LPM_KERN_NODE_SIZE + trie->data_size + map->value_size +
	    LPM_LLIST_NODE_SIZE > LPM_KMALLOC_MAX_SIZE)
		return -ENOMEM;	/* lpm_trie_node_alloc fails */

	slot = trie_walk(trie, data, prefixlen, &matchlen, NULL, NULL);
	node = *slot;
	if (node && node->prefixlen == matchlen) {
		/* the prefix has a node: an entry, or glue to turn into one */
		if (!node->im && flags == BPF_NOEXIST)
			return -EEXIST;	/* BPF_NOEXIST: already stored */
		if (node->im) {
			err = trie_check_add_elem(trie, flags);
			if (err)
				return err;
		}
		trie_node_set(trie, node, key, value);
		return 0;
	}

	new_node = trie_node_alloc(trie);
	if (!new_node)
		return -ENOMEM;	/* lpm_trie_node_alloc */
	err = trie_check_add_elem(trie, flags);
	if (err)
		goto out_free_new;
	trie_node_set(trie, new_node, key, value);

	if (!node) {
		*slot = new_node;	/* a free slot */
		return 0;
	}
	if (matchlen == prefixlen) {
		/* the key is a prefix of the node: it goes above */
		new_node->child[lpm_bit(node->data, matchlen)] = node;
		*slot = new_node;
		return 0;
	}

	/* the key and the node diverge at bit matchlen: glue there */
	im_node = trie_node_alloc(trie);
	if (!im_node) {
		trie->n_entries--;
		err = -ENOMEM;	/* lpm_trie_node_alloc */
		goto out_free_new;
	}
	im_node->prefixlen = matchlen;
	im_node->im = true;
	memcpy(im_node->data, node->data, trie->data_size);
	bit = lpm_bit(data, matchlen);
	im_node->child[bit] = new_node;
	im_node->child[!bit] = node;
	*slot = im_node;
	return 0;

out_free_new:
	free(new_node);
	return err;
}

/*
 * lpm_trie.c: trie_delete_elem: the exact prefix only. Glue that would
 * be left with one child goes too, so glue always has two.
 */
static long trie_delete_elem(struct emu_map *map, const void *key)
{
	struct emu_lpm_trie *trie = to_trie(map);
	const unsigned char *data = lpm_key_data(key);
	__u32 prefixlen = lpm_key_prefixlen(key), matchlen;
	struct lpm_node **slot, **parent_slot, *node, *parent;

	if (prefixlen > trie->max_prefixlen)
		return -EINVAL;	/* longer than the data */

	slot = trie_walk(trie, data, prefixlen, &matchlen, &parent_slot,
			 NULL);
	node = *slot;
	if (!node || node->prefixlen != prefixlen ||
	    node->prefixlen != matchlen || node->im)
		return -ENOENT;	/* the prefix is not stored */

	trie->n_entries--;
	if (node->child[0] && node->child[1]) {
		node->im = true;	/* still joins its two subtrees */
		return 0;
	}
	parent = parent_slot != slot ? *parent_slot : NULL;
	if (parent && parent->im && !node->child[0] && !node->child[1]) {
		/* the glue above would keep one child: it goes too */
		*parent_slot = parent->child[parent->child[0] == node];
		free(parent);
		free(node);
		return 0;
	}
	*slot = node->child[0] ? node->child[0] : node->child[1];
	free(node);
	return 0;
}

/* The first real node of a subtree in post-order (glue has 2 children). */
static struct lpm_node *trie_leftmost(struct lpm_node *node)
{
	struct lpm_node *found = NULL;

	while (node) {
		if (node->im) {
			node = node->child[0];
			continue;
		}
		found = node;
		node = node->child[0] ? node->child[0] : node->child[1];
	}
	return found;
}

/*
 * lpm_trie.c: trie_get_next_key: post-order (child[0]'s subtree, then
 * child[1]'s, then the node). A NULL key, one longer than the data, or
 * a prefix not stored starts again from the first entry.
 */
static int trie_get_next_key(struct emu_map *map, const void *key,
			     void *next_key)
{
	struct emu_lpm_trie *trie = to_trie(map);
	struct lpm_node *node, *parent, *next = NULL;
	__u32 prefixlen, matchlen, depth;

	if (!trie->root)
		return -ENOENT;	/* an empty trie has no first key */
	if (!key || lpm_key_prefixlen(key) > trie->max_prefixlen)
		goto leftmost;	/* no key to follow: the first one */

	prefixlen = lpm_key_prefixlen(key);
	node = *trie_walk(trie, lpm_key_data(key), prefixlen, &matchlen,
			  NULL, &depth);
	if (!node || node->prefixlen != matchlen || node->im)
		goto leftmost;	/* the prefix is not stored: the first one */

	node = trie->stack[--depth];
	while (depth > 0) {
		parent = trie->stack[depth - 1];
		if (parent->child[0] == node && parent->child[1]) {
			next = trie_leftmost(parent->child[1]);
			goto copy;
		}
		if (!parent->im) {
			next = parent;
			goto copy;
		}
		node = parent;
		depth--;
	}
	return -ENOENT;	/* the key was the last one */

leftmost:
	next = trie_leftmost(trie->root);
copy:
	memcpy(next_key, &next->prefixlen, LPM_PREFIXLEN_SIZE);
	memcpy((unsigned char *)next_key + LPM_PREFIXLEN_SIZE, next->data,
	       trie->data_size);
	return 0;
}

const struct emu_map_ops trie_map_ops = {
	.map_alloc_check = trie_alloc_check,
	.map_alloc = trie_alloc,
	.map_free = trie_free,
	.map_get_next_key = trie_get_next_key,
	.map_lookup_elem = trie_lookup_elem,
	.map_update_elem = trie_update_elem,
	.map_delete_elem = trie_delete_elem,
	.map_lookup_percpu_elem = emu_map_lookup_percpu_elem_notsupp,
	.map_push_elem = emu_map_push_elem_notsupp,
	.map_pop_elem = emu_map_pop_elem_notsupp,
	.map_peek_elem = emu_map_peek_elem_notsupp,
	.map_lookup_elem_sys = emu_map_lookup_elem_sys_generic,
	.map_update_elem_sys = emu_map_update_elem_sys_generic,
	.map_lookup_and_delete_elem = emu_map_lookup_and_delete_elem_notsupp,
	.map_lookup_batch = emu_generic_map_lookup_batch,
	.map_lookup_and_delete_batch = emu_map_batch_notsupp,
	.map_update_batch = emu_generic_map_update_batch,
	.map_delete_batch = emu_generic_map_delete_batch,
	.map_get_hash = emu_map_get_hash_notsupp,
	.map_mmap = emu_map_mmap_notsupp,
};

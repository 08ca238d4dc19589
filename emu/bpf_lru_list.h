/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The LRU lists behind BPF_MAP_TYPE_LRU_HASH and LRU_PERCPU_HASH
 * (emu/bpf_lru_list.c). Mirrors kernel/bpf/bpf_lru_list.h (v6.18): the
 * same lists, node types, counters and cursors, so that the same
 * sequence of pops and pushes on the same CPUs evicts the same nodes.
 */
#ifndef __EMU_BPF_LRU_LIST_H
#define __EMU_BPF_LRU_LIST_H

#include "emu_internal.h"

/* A circular doubly linked list: next is older, prev is newer. */
struct lru_link {
	struct lru_link *next, *prev;
};

/* bpf_lru_list.h: enum bpf_lru_list_type (the local ones last) */
enum bpf_lru_list_type {
	BPF_LRU_LIST_T_ACTIVE,
	BPF_LRU_LIST_T_INACTIVE,
	BPF_LRU_LIST_T_FREE,
	BPF_LRU_LOCAL_LIST_T_FREE,
	BPF_LRU_LOCAL_LIST_T_PENDING,
};
#define BPF_LRU_NR_LISTS	3	/* active, inactive, free */
#define BPF_LRU_NR_COUNTS	2	/* only active and inactive counted */

/*
 * Every node starts the caller's element (bpf_lru_init's node_size):
 * the element follows at BPF_LRU_NODE_SIZE.
 */
struct bpf_lru_node {
	struct lru_link list;
	__u32 cpu;		/* local list it was put on; per-CPU: owner */
	__u8 type;		/* enum bpf_lru_list_type */
	__u8 ref;		/* referenced since it last moved */
};
#define BPF_LRU_NODE_SIZE	round_up(sizeof(struct bpf_lru_node), 8)

/*
 * One set of {active, inactive, free} lists: the common LRU's global
 * one, or one CPU's in the per-CPU LRU (BPF_F_NO_COMMON_LRU).
 */
struct bpf_lru_list {
	struct lru_link lists[BPF_LRU_NR_LISTS];
	__u32 counts[BPF_LRU_NR_COUNTS];
	struct lru_link *next_inactive_rotation;
	/*
	 * Free nodes never used yet: they lie below every node on the
	 * free list (population pushed them first), so they are counted
	 * and made only when the free list reaches them.
	 */
	__u32 pristine;
};

/* One CPU's local lists of the common LRU. */
struct bpf_lru_locallist {
	struct lru_link free;
	struct lru_link pending;
	__u32 next_steal;
};

/* hashtab.c: htab_lru_map_delete_node: unlinks the node's element */
typedef bool (*bpf_lru_del_from_htab_t)(void *arg, struct bpf_lru_node *node);

struct bpf_lru {
	struct bpf_lru_list *lists;	/* common: 1; per-CPU: one a CPU */
	struct bpf_lru_locallist *local;	/* common: one a CPU */
	bpf_lru_del_from_htab_t del_from_htab;
	void *del_arg;
	size_t node_size;	/* the node and the element after it */
	__u32 ncpus;
	__u32 nr_scans;
	__u32 target_free;	/* common: nodes a refill takes */
	bool percpu;
};

/*
 * nr_elems nodes of node_size bytes (zeroed when made), all free: on the
 * global free list, or nr_elems / ncpus on each CPU's. 0 or -ENOMEM.
 */
EMU_HIDDEN int bpf_lru_init(struct bpf_lru *lru, bool percpu, __u32 ncpus,
			    __u32 nr_elems, size_t node_size,
			    bpf_lru_del_from_htab_t del_from_htab,
			    void *del_arg);
/* Frees every node ever made (each is on exactly one list). */
EMU_HIDDEN void bpf_lru_destroy(struct bpf_lru *lru);
/* A free node for an element inserted on cpu; may evict. NULL: none. */
EMU_HIDDEN struct bpf_lru_node *bpf_lru_pop_free(struct bpf_lru *lru,
						 unsigned int cpu);
/* An element's node back to the free lists. */
EMU_HIDDEN void bpf_lru_push_free(struct bpf_lru *lru,
				  struct bpf_lru_node *node);
/* Where node is, for a divergence report: "inactive list, 3rd oldest" */
EMU_HIDDEN void bpf_lru_node_describe(const struct bpf_lru *lru,
				      const struct bpf_lru_node *node,
				      char *buf, size_t len);

static inline void bpf_lru_node_set_ref(struct bpf_lru_node *node)
{
	node->ref = 1;
}

#endif /* __EMU_BPF_LRU_LIST_H */

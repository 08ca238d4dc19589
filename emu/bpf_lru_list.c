// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Mirrors kernel/bpf/bpf_lru_list.c (v6.18). */
/*
 * The LRU of the LRU hash maps, list for list as the kernel keeps it:
 * which key an insert evicts depends on every list position, every
 * counter and the inactive list's rotation cursor, and on the CPU each
 * operation ran on.
 *
 * Common LRU: global {active, inactive, free} lists, and per CPU a local
 * free list and a pending list. An insert takes a node from its CPU's
 * local free list; when that is empty the CPU refills it under the
 * global lock: its pending nodes are flushed into the global lists
 * (active if referenced, else inactive), the lists are rotated, and up
 * to target_free nodes move from the global free list; whatever is
 * missing is evicted from the inactive list's tail (shrink). When even
 * that finds nothing, nodes are stolen from the CPUs' local lists.
 *
 * Per-CPU LRU (BPF_F_NO_COMMON_LRU): each CPU owns max_entries / ncpus
 * nodes in {active, inactive, free} lists of its own; an insert rotates
 * its CPU's lists, shrinks them when its free list is empty and puts
 * the node straight on the inactive list.
 *
 * Lists are circular with a sentinel, newest first: head->next is the
 * newest node, head->prev the oldest ("tail"). The kernel's locks never
 * fail single-threaded, so their failure paths have no counterpart.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bpf_lru_list.h"

#define LOCAL_FREE_TARGET	128	/* cap of the common target_free */
#define LOCAL_NR_SCANS		LOCAL_FREE_TARGET
#define PERCPU_FREE_TARGET	4
#define PERCPU_NR_SCANS		PERCPU_FREE_TARGET

static void link_init(struct lru_link *head)
{
	head->next = head;
	head->prev = head;
}

static bool link_empty(const struct lru_link *head)
{
	return head->next == head;
}

static void link_del(struct lru_link *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
}

/* e becomes the newest entry of head's list */
static void link_add(struct lru_link *e, struct lru_link *head)
{
	e->next = head->next;
	e->prev = head;
	head->next->prev = e;
	head->next = e;
}

/* Every entry of head's list in the other order. */
static void link_reverse(struct lru_link *head)
{
	struct lru_link *cur = head, *next;

	do {
		next = cur->next;
		cur->next = cur->prev;
		cur->prev = next;
		cur = next;
	} while (cur != head);
}

static void link_move(struct lru_link *e, struct lru_link *head)
{
	link_del(e);
	link_add(e, head);
}

static struct bpf_lru_node *node_of(struct lru_link *e)
{
	return container_of(e, struct bpf_lru_node, list);
}

static bool is_local_type(__u8 type)
{
	return type >= BPF_LRU_LOCAL_LIST_T_FREE;
}

static void count_inc(struct bpf_lru_list *l, __u8 type)
{
	if (type < BPF_LRU_NR_COUNTS)
		l->counts[type]++;
}

static void count_dec(struct bpf_lru_list *l, __u8 type)
{
	if (type < BPF_LRU_NR_COUNTS)
		l->counts[type]--;
}

/*
 * A node leaving its place: the rotation cursor, if it points there,
 * first steps to the next newer entry (__bpf_lru_node_move_to_free,
 * __bpf_lru_node_move).
 */
static void cursor_step_off(struct bpf_lru_list *l, struct bpf_lru_node *node)
{
	if (&node->list == l->next_inactive_rotation)
		l->next_inactive_rotation = node->list.prev;
}

/* bpf_lru_list.c: __bpf_lru_node_move_to_free (ref is left as it is) */
static void node_move_to_free(struct bpf_lru_list *l,
			      struct bpf_lru_node *node,
			      struct lru_link *free_list, __u8 tgt_free_type)
{
	cursor_step_off(l, node);
	count_dec(l, node->type);
	node->type = tgt_free_type;
	link_move(&node->list, free_list);
}

/* bpf_lru_list.c: __bpf_lru_node_move_in, from a local list */
static void node_move_in(struct bpf_lru_list *l, struct bpf_lru_node *node,
			 __u8 tgt_type)
{
	count_inc(l, tgt_type);
	node->type = tgt_type;
	node->ref = 0;
	link_move(&node->list, &l->lists[tgt_type]);
}

/* bpf_lru_list.c: __bpf_lru_node_move, within the global lists */
static void node_move(struct bpf_lru_list *l, struct bpf_lru_node *node,
		      __u8 tgt_type)
{
	if (node->type != tgt_type) {
		count_dec(l, node->type);
		count_inc(l, tgt_type);
		node->type = tgt_type;
	}
	node->ref = 0;
	cursor_step_off(l, node);
	link_move(&node->list, &l->lists[tgt_type]);
}

/*
 * The newest node of l's free list, made from the pristine ones when
 * only those are left (bpf_lru_populate pushed them first: they are
 * the oldest). NULL when the list is empty or a node cannot be made.
 */
static struct bpf_lru_node *free_first(const struct bpf_lru *lru,
				       struct bpf_lru_list *l)
{
	struct lru_link *head = &l->lists[BPF_LRU_LIST_T_FREE];
	struct bpf_lru_node *node;

	if (!link_empty(head))
		return node_of(head->next);
	if (!l->pristine)
		return NULL;
	node = emu_zalloc(lru->node_size);
	if (!node)
		return NULL;
	l->pristine--;
	/* bpf_percpu_lru_populate: a node belongs to its list's CPU */
	node->cpu = lru->percpu ? (__u32)(l - lru->lists) : 0;
	node->type = BPF_LRU_LIST_T_FREE;
	link_add(&node->list, head);
	return node;
}

static bool inactive_low(const struct bpf_lru_list *l)
{
	return l->counts[BPF_LRU_LIST_T_INACTIVE] <
	       l->counts[BPF_LRU_LIST_T_ACTIVE];
}

/*
 * bpf_lru_list.c: __bpf_lru_list_rotate_active. From the oldest active
 * node on, at most nr_scans: a referenced one goes back to the head of
 * the active list, the others to the head of the inactive list; it ends
 * at the node that was newest when it began.
 */
static void rotate_active(const struct bpf_lru *lru, struct bpf_lru_list *l)
{
	struct lru_link *active = &l->lists[BPF_LRU_LIST_T_ACTIVE];
	struct lru_link *cur, *newer;
	struct lru_link *first = active->next;
	__u32 i = 0;

	for (cur = active->prev; cur != active; cur = newer) {
		struct bpf_lru_node *node = node_of(cur);

		newer = cur->prev;
		node_move(l, node, node->ref ? BPF_LRU_LIST_T_ACTIVE :
					       BPF_LRU_LIST_T_INACTIVE);
		if (++i == lru->nr_scans || cur == first)
			break;
	}
}

/*
 * bpf_lru_list.c: __bpf_lru_list_rotate_inactive. A circular walk of
 * the inactive list from older to newer that resumes at the cursor
 * (the sentinel: from the oldest) and stops one round later or after
 * nr_scans nodes: referenced nodes go to the head of the active list,
 * the others stay where they are.
 */
static void rotate_inactive(const struct bpf_lru *lru,
			    struct bpf_lru_list *l)
{
	struct lru_link *inactive = &l->lists[BPF_LRU_LIST_T_INACTIVE];
	struct lru_link *cur, *last, *newer = inactive;
	__u32 i = 0;

	if (link_empty(inactive))
		return;

	last = l->next_inactive_rotation->next;
	if (last == inactive)
		last = last->next;

	cur = l->next_inactive_rotation;
	while (i < lru->nr_scans) {
		struct bpf_lru_node *node;

		if (cur == inactive) {
			/* the sentinel is passed over without counting */
			cur = cur->prev;
			continue;
		}
		node = node_of(cur);
		newer = cur->prev;
		if (node->ref)
			node_move(l, node, BPF_LRU_LIST_T_ACTIVE);
		if (cur == last)
			break;
		cur = newer;
		i++;
	}
	l->next_inactive_rotation = newer;
}

/* bpf_lru_list.c: __bpf_lru_list_rotate */
static void rotate(const struct bpf_lru *lru, struct bpf_lru_list *l)
{
	if (inactive_low(l))
		rotate_active(lru, l);
	rotate_inactive(lru, l);
}

/*
 * bpf_lru_list.c: __bpf_lru_list_shrink_inactive. From the oldest
 * inactive node, at most nr_scans: referenced ones are spared (to the
 * active list), the others evicted onto free_list until tgt_nshrink.
 */
static __u32 shrink_inactive(const struct bpf_lru *lru,
			     struct bpf_lru_list *l, __u32 tgt_nshrink,
			     struct lru_link *free_list, __u8 tgt_free_type)
{
	struct lru_link *inactive = &l->lists[BPF_LRU_LIST_T_INACTIVE];
	struct lru_link *cur, *newer;
	__u32 nshrinked = 0, i = 0;

	for (cur = inactive->prev; cur != inactive; cur = newer) {
		struct bpf_lru_node *node = node_of(cur);

		newer = cur->prev;
		if (node->ref) {
			node_move(l, node, BPF_LRU_LIST_T_ACTIVE);
		} else if (lru->del_from_htab(lru->del_arg, node)) {
			node_move_to_free(l, node, free_list, tgt_free_type);
			if (++nshrinked == tgt_nshrink)
				break;
		}
		if (++i == lru->nr_scans)
			break;
	}
	return nshrinked;
}

/*
 * bpf_lru_list.c: __bpf_lru_list_shrink. When the inactive list gives
 * nothing, one node is evicted whatever its ref bit: the oldest
 * inactive one, or the oldest active one if the inactive list is empty.
 */
static __u32 shrink(const struct bpf_lru *lru, struct bpf_lru_list *l,
		    __u32 tgt_nshrink, struct lru_link *free_list,
		    __u8 tgt_free_type)
{
	struct lru_link *victims, *cur, *newer;
	__u32 nshrinked;

	nshrinked = shrink_inactive(lru, l, tgt_nshrink, free_list,
				    tgt_free_type);
	if (nshrinked)
		return nshrinked;

	victims = &l->lists[BPF_LRU_LIST_T_INACTIVE];
	if (link_empty(victims))
		victims = &l->lists[BPF_LRU_LIST_T_ACTIVE];
	for (cur = victims->prev; cur != victims; cur = newer) {
		struct bpf_lru_node *node = node_of(cur);

		newer = cur->prev;
		if (lru->del_from_htab(lru->del_arg, node)) {
			node_move_to_free(l, node, free_list, tgt_free_type);
			return 1;
		}
	}
	return 0;
}

/*
 * bpf_lru_list.c: __local_list_flush. Oldest pending node first, each
 * to the head of the active (referenced) or inactive list: their order
 * is kept, the newest ends up at the head.
 */
static void local_list_flush(struct bpf_lru_list *l,
			     struct bpf_lru_locallist *loc)
{
	struct lru_link *cur, *newer;

	for (cur = loc->pending.prev; cur != &loc->pending; cur = newer) {
		struct bpf_lru_node *node = node_of(cur);

		newer = cur->prev;
		node_move_in(l, node, node->ref ? BPF_LRU_LIST_T_ACTIVE :
						  BPF_LRU_LIST_T_INACTIVE);
	}
}

/*
 * bpf_lru_list.c: bpf_lru_list_pop_free_to_local. The refill: flush,
 * rotate, take up to target_free free nodes and evict the rest, even
 * when some free ones were found. The kernel gathers them on a list of
 * its own and adds that list to the (empty) local free list, which
 * keeps their order: the first taken goes out first.
 */
static void pop_free_to_local(const struct bpf_lru *lru,
			      struct bpf_lru_locallist *loc)
{
	struct bpf_lru_list *l = &lru->lists[0];
	struct bpf_lru_node *node;
	__u32 nfree = 0;

	local_list_flush(l, loc);
	rotate(lru, l);
	while (nfree < lru->target_free && (node = free_first(lru, l))) {
		node_move_to_free(l, node, &loc->free,
				  BPF_LRU_LOCAL_LIST_T_FREE);
		nfree++;
	}
	if (nfree < lru->target_free)
		shrink(lru, l, lru->target_free - nfree, &loc->free,
		       BPF_LRU_LOCAL_LIST_T_FREE);
	/* each went to the head: the first taken is now the last */
	link_reverse(&loc->free);
}

/* bpf_lru_list.c: __local_list_add_pending */
static void local_list_add_pending(struct bpf_lru_locallist *loc,
				   unsigned int cpu, struct bpf_lru_node *node)
{
	node->cpu = cpu;
	node->type = BPF_LRU_LOCAL_LIST_T_PENDING;
	node->ref = 0;
	link_add(&node->list, &loc->pending);
}

/* bpf_lru_list.c: __local_list_pop_free: the newest local free node */
static struct bpf_lru_node *local_list_pop_free(struct bpf_lru_locallist *loc)
{
	struct bpf_lru_node *node;

	if (link_empty(&loc->free))
		return NULL;
	node = node_of(loc->free.next);
	link_del(&node->list);
	return node;
}

/*
 * bpf_lru_list.c: __local_list_pop_pending. A victim CPU's pending
 * node, oldest first: an unreferenced one, else any.
 */
static struct bpf_lru_node *local_list_pop_pending(const struct bpf_lru *lru,
						   struct bpf_lru_locallist *loc)
{
	struct lru_link *cur;
	int force;

	for (force = 0; force < 2; force++) {
		for (cur = loc->pending.prev; cur != &loc->pending;
		     cur = cur->prev) {
			struct bpf_lru_node *node = node_of(cur);

			if ((!node->ref || force) &&
			    lru->del_from_htab(lru->del_arg, node)) {
				link_del(&node->list);
				return node;
			}
		}
	}
	return NULL;
}

/* bpf_lru_list.c: bpf_percpu_lru_pop_free */
static struct bpf_lru_node *percpu_lru_pop_free(struct bpf_lru *lru,
						unsigned int cpu)
{
	struct bpf_lru_list *l = &lru->lists[cpu];
	struct bpf_lru_node *node;

	rotate(lru, l);
	if (!free_first(lru, l))
		shrink(lru, l, PERCPU_FREE_TARGET,
		       &l->lists[BPF_LRU_LIST_T_FREE], BPF_LRU_LIST_T_FREE);
	node = free_first(lru, l);
	if (node) {
		node->ref = 0;
		node_move(l, node, BPF_LRU_LIST_T_INACTIVE);
	}
	return node;
}

/* bpf_lru_list.c: bpf_common_lru_pop_free */
static struct bpf_lru_node *common_lru_pop_free(struct bpf_lru *lru,
						unsigned int cpu)
{
	struct bpf_lru_locallist *loc = &lru->local[cpu];
	struct bpf_lru_node *node;
	__u32 steal, first_steal;

	node = local_list_pop_free(loc);
	if (!node) {
		pop_free_to_local(lru, loc);
		node = local_list_pop_free(loc);
	}
	if (node) {
		local_list_add_pending(loc, cpu, node);
		return node;
	}

	/* nothing free anywhere: steal round-robin from next_steal on */
	first_steal = loc->next_steal;
	steal = first_steal;
	do {
		struct bpf_lru_locallist *victim = &lru->local[steal];

		node = local_list_pop_free(victim);
		if (!node)
			node = local_list_pop_pending(lru, victim);
		steal = (steal + 1) % lru->ncpus;
	} while (!node && steal != first_steal);
	loc->next_steal = steal;

	if (node)
		local_list_add_pending(loc, cpu, node);
	return node;
}

struct bpf_lru_node *bpf_lru_pop_free(struct bpf_lru *lru, unsigned int cpu)
{
	if (lru->percpu)
		return percpu_lru_pop_free(lru, cpu);
	return common_lru_pop_free(lru, cpu);
}

/*
 * bpf_lru_list.c: bpf_common_lru_push_free. A pending node goes back
 * to the head of its CPU's local free list (only that CPU takes it
 * again, or a thief); one in the global lists to the global free list.
 */
static void common_lru_push_free(struct bpf_lru *lru,
				 struct bpf_lru_node *node)
{
	if (node->type == BPF_LRU_LIST_T_FREE ||
	    node->type == BPF_LRU_LOCAL_LIST_T_FREE)
		return;	/* already free: the kernel warns and ignores it */
	if (node->type == BPF_LRU_LOCAL_LIST_T_PENDING) {
		node->type = BPF_LRU_LOCAL_LIST_T_FREE;
		node->ref = 0;
		link_move(&node->list, &lru->local[node->cpu].free);
		return;
	}
	/* bpf_lru_list.c: bpf_lru_list_push_free */
	node_move(&lru->lists[0], node, BPF_LRU_LIST_T_FREE);
}

void bpf_lru_push_free(struct bpf_lru *lru, struct bpf_lru_node *node)
{
	if (lru->percpu)
		/* bpf_percpu_lru_push_free: to its owner, any CPU frees */
		node_move(&lru->lists[node->cpu], node, BPF_LRU_LIST_T_FREE);
	else
		common_lru_push_free(lru, node);
}

static void lru_list_init(struct bpf_lru_list *l, __u32 pristine)
{
	int i;

	for (i = 0; i < BPF_LRU_NR_LISTS; i++)
		link_init(&l->lists[i]);
	l->next_inactive_rotation = &l->lists[BPF_LRU_LIST_T_INACTIVE];
	l->pristine = pristine;
}

static __u32 clamp_u32(__u32 v, __u32 lo, __u32 hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* bpf_lru_list.c: bpf_lru_init, then bpf_lru_populate */
int bpf_lru_init(struct bpf_lru *lru, bool percpu, __u32 ncpus,
		 __u32 nr_elems, size_t node_size,
		 bpf_lru_del_from_htab_t del_from_htab, void *del_arg)
{
	__u32 cpu;

	memset(lru, 0, sizeof(*lru));
	lru->lists = calloc(percpu ? ncpus : 1, sizeof(*lru->lists));
	if (!percpu)
		lru->local = calloc(ncpus, sizeof(*lru->local));
	if (!lru->lists || (!percpu && !lru->local)) {
		free(lru->lists);
		free(lru->local);
		return -ENOMEM;
	}
	lru->percpu = percpu;
	lru->ncpus = ncpus;
	lru->node_size = node_size;
	lru->del_from_htab = del_from_htab;
	lru->del_arg = del_arg;

	if (percpu) {
		/* bpf_percpu_lru_populate: equal shares, CPU by CPU */
		for (cpu = 0; cpu < ncpus; cpu++)
			lru_list_init(&lru->lists[cpu], nr_elems / ncpus);
		lru->nr_scans = PERCPU_NR_SCANS;
		return 0;
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		link_init(&lru->local[cpu].free);
		link_init(&lru->local[cpu].pending);
		lru->local[cpu].next_steal = cpu;
	}
	lru_list_init(&lru->lists[0], nr_elems);
	lru->nr_scans = LOCAL_NR_SCANS;
	/* bpf_common_lru_populate: the 6.16+ rule (6.1.0: always 128) */
	lru->target_free = clamp_u32(nr_elems / ncpus / 2, 1,
				     LOCAL_FREE_TARGET);
	return 0;
}

static void free_list_nodes(struct lru_link *head)
{
	struct lru_link *cur, *older;

	for (cur = head->next; cur != head; cur = older) {
		older = cur->next;
		free(node_of(cur));
	}
}

void bpf_lru_destroy(struct bpf_lru *lru)
{
	__u32 n = lru->percpu ? lru->ncpus : 1, i;
	int t;

	for (i = 0; i < n; i++)
		for (t = 0; t < BPF_LRU_NR_LISTS; t++)
			free_list_nodes(&lru->lists[i].lists[t]);
	for (i = 0; lru->local && i < lru->ncpus; i++) {
		free_list_nodes(&lru->local[i].free);
		free_list_nodes(&lru->local[i].pending);
	}
	free(lru->lists);
	free(lru->local);
}

static const char *const list_names[] = {
	[BPF_LRU_LIST_T_ACTIVE] = "active",
	[BPF_LRU_LIST_T_INACTIVE] = "inactive",
	[BPF_LRU_LIST_T_FREE] = "free",
	[BPF_LRU_LOCAL_LIST_T_FREE] = "local free",
	[BPF_LRU_LOCAL_LIST_T_PENDING] = "pending",
};

void bpf_lru_node_describe(const struct bpf_lru *lru,
			   const struct bpf_lru_node *node, char *buf,
			   size_t len)
{
	const struct bpf_lru_list *l = &lru->lists[lru->percpu ? node->cpu :
									 0];
	const struct lru_link *head, *cur;
	__u32 pos = 0, total = 0;
	char owner[32];

	if (is_local_type(node->type)) {
		const struct bpf_lru_locallist *loc = &lru->local[node->cpu];

		head = node->type == BPF_LRU_LOCAL_LIST_T_FREE ? &loc->free :
								 &loc->pending;
	} else {
		head = &l->lists[node->type];
	}
	for (cur = &node->list; cur != head; cur = cur->next)
		pos++;
	for (cur = head->next; cur != head; cur = cur->next)
		total++;
	if (lru->percpu || is_local_type(node->type))
		snprintf(owner, sizeof(owner), "CPU %u's", node->cpu);
	else
		snprintf(owner, sizeof(owner), "the global");
	snprintf(buf, len, "%s %s list, %u of %u counted from the oldest, "
		 "ref %u%s", owner, list_names[node->type], pos, total,
		 node->ref, l->next_inactive_rotation == &node->list ?
		 ", under the rotation cursor" : "");
}

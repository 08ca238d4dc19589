/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrors kernel/bpf/queue_stack_maps.c (v6.18). */
/*
 * BPF_MAP_TYPE_QUEUE and BPF_MAP_TYPE_STACK: keyless maps of at most
 * max_entries values, pushed, popped and peeked.
 *
 * Storage is the kernel's ring of max_entries + 1 value slots: head is
 * the next slot written, tail the oldest element, head == tail means
 * empty and one slot always stays free. A queue reads at tail, a stack
 * at head - 1; a push onto a full map with BPF_EXIST drops the element
 * at tail, the oldest, for both.
 *
 * From user space (syscall.c) update is push, lookup is peek and
 * lookup_and_delete is pop, each with a NULL key.
 *
 * The kernel's EBUSY (its per-CPU lock taken again, from an NMI or a
 * program run inside the lock) cannot happen here: nothing runs inside
 * the emulator's lock.
 */
#include <stdlib.h>
#include <string.h>

#include "emu_internal.h"

/* include/linux/slab.h: KMALLOC_MAX_SIZE on x86-64 (4 MiB) */
#define QUEUE_STACK_VALUE_MAX	(4U << 20)

#define QUEUE_STACK_CREATE_FLAG_MASK	(BPF_F_NUMA_NODE | EMU_F_ACCESS_MASK)

struct emu_queue_stack {
	struct emu_map map;
	__u32 head, tail;
	__u32 size;		/* max_entries + 1 */
	char *elements;
};

static struct emu_queue_stack *to_qs(struct emu_map *map)
{
	return container_of(map, struct emu_queue_stack, map);
}

static bool queue_stack_map_is_empty(const struct emu_queue_stack *qs)
{
	return qs->head == qs->tail;
}

static bool queue_stack_map_is_full(const struct emu_queue_stack *qs)
{
	__u32 head = qs->head + 1;

	if (head >= qs->size)
		head = 0;
	return head == qs->tail;
}

static char *queue_stack_map_slot(struct emu_queue_stack *qs, __u32 index)
{
	return qs->elements + (size_t)index * qs->map.value_size;
}

/* queue_stack_maps.c: queue_stack_map_alloc_check (before privilege) */
static int queue_stack_map_alloc_check(union bpf_attr *attr)
{
	if (attr->max_entries == 0)
		return -EINVAL;	/* room for at least one value */
	if (attr->key_size != 0)
		return -EINVAL;	/* keyless: the key must be NULL */
	if (attr->value_size == 0)
		return -EINVAL;	/* values cannot be empty */
	if (attr->map_flags & ~QUEUE_STACK_CREATE_FLAG_MASK)
		return -EINVAL;	/* NO_PREALLOC, ZERO_SEED, MMAPABLE ... */
	if ((attr->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) ==
	    (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
		return -EINVAL;	/* bpf_map_flags_access_ok */
	if (attr->value_size > QUEUE_STACK_VALUE_MAX)
		return -E2BIG;	/* user space could not copy such a value */
	return 0;
}

/*
 * queue_stack_maps.c: queue_stack_map_alloc. The slots come from calloc,
 * lazily: only sizes the address space cannot hold fail (the kernel's
 * ENOMEM also depends on the host's memory).
 */
static struct emu_map *queue_stack_map_alloc(union bpf_attr *attr)
{
	struct emu_queue_stack *qs;
	__u64 size = (__u64)attr->max_entries + 1;

	qs = emu_zalloc(sizeof(*qs));
	if (!qs)
		return ERR_PTR(-ENOMEM);	/* no memory for the map */
	qs->elements = calloc(size, attr->value_size);
	if (!qs->elements) {
		free(qs);
		return ERR_PTR(-ENOMEM);	/* bpf_map_area_alloc failed */
	}
	emu_map_init_from_attr(&qs->map, attr);
	/* a u32 as the kernel's: max_entries 2^32 - 1 wraps it to 0 */
	qs->size = (__u32)size;
	return &qs->map;
}

static void queue_stack_map_free(struct emu_map *map)
{
	struct emu_queue_stack *qs = to_qs(map);

	free(qs->elements);
	free(qs);
}

/* queue_stack_maps.c: __queue_map_get; the oldest element, at tail */
static long __queue_map_get(struct emu_map *map, void *value, bool delete)
{
	struct emu_queue_stack *qs = to_qs(map);

	if (queue_stack_map_is_empty(qs)) {
		memset(value, 0, map->value_size);
		return -ENOENT;	/* empty: the caller's buffer is zeroed */
	}
	memcpy(value, queue_stack_map_slot(qs, qs->tail), map->value_size);
	if (delete && ++qs->tail >= qs->size)
		qs->tail = 0;
	return 0;
}

/* queue_stack_maps.c: __stack_map_get; the newest element, at head - 1 */
static long __stack_map_get(struct emu_map *map, void *value, bool delete)
{
	struct emu_queue_stack *qs = to_qs(map);
	__u32 index;

	if (queue_stack_map_is_empty(qs)) {
		memset(value, 0, map->value_size);
		return -ENOENT;	/* empty: the caller's buffer is zeroed */
	}
	index = qs->head - 1;
	if (index >= qs->size)
		index = qs->size - 1;	/* head 0: wrap to the last slot */
	memcpy(value, queue_stack_map_slot(qs, index), map->value_size);
	if (delete)
		qs->head = index;
	return 0;
}

static long queue_map_peek_elem(struct emu_map *map, void *value)
{
	return __queue_map_get(map, value, false);
}

static long stack_map_peek_elem(struct emu_map *map, void *value)
{
	return __stack_map_get(map, value, false);
}

static long queue_map_pop_elem(struct emu_map *map, void *value)
{
	return __queue_map_get(map, value, true);
}

static long stack_map_pop_elem(struct emu_map *map, void *value)
{
	return __stack_map_get(map, value, true);
}

/* queue_stack_maps.c: queue_stack_map_push_elem */
static long queue_stack_map_push_elem(struct emu_map *map, const void *value,
				      __u64 flags)
{
	struct emu_queue_stack *qs = to_qs(map);

	if ((flags & BPF_NOEXIST) || flags > BPF_EXIST)
		return -EINVAL;	/* only BPF_ANY and BPF_EXIST */
	if (queue_stack_map_is_full(qs)) {
		if (!(flags & BPF_EXIST))
			return -E2BIG;	/* full, and no room asked for */
		/* BPF_EXIST makes room: the oldest goes, even for a stack */
		if (++qs->tail >= qs->size)
			qs->tail = 0;
	}
	memcpy(queue_stack_map_slot(qs, qs->head), value, map->value_size);
	if (++qs->head >= qs->size)
		qs->head = 0;
	return 0;
}

/* queue_stack_maps.c: queue_stack_map_lookup_elem */
static void *queue_stack_map_lookup_elem(struct emu_map *map, const void *key)
{
	(void)map; (void)key;
	return NULL;	/* no keys: programs peek (the verifier refuses) */
}

/* queue_stack_maps.c: queue_stack_map_update_elem */
static long queue_stack_map_update_elem(struct emu_map *map, const void *key,
					const void *value, __u64 flags)
{
	(void)map; (void)key; (void)value; (void)flags;
	return -EINVAL;	/* no keys: values are pushed */
}

/* queue_stack_maps.c: queue_stack_map_delete_elem */
static long queue_stack_map_delete_elem(struct emu_map *map, const void *key)
{
	(void)map; (void)key;
	return -EINVAL;	/* no keys: values are popped */
}

/* queue_stack_maps.c: queue_stack_map_get_next_key */
static int queue_stack_map_get_next_key(struct emu_map *map, const void *key,
					void *next_key)
{
	(void)map; (void)key; (void)next_key;
	return -EINVAL;	/* no keys to walk */
}

/* syscall.c: bpf_map_copy_value; a user lookup is a peek */
static int queue_stack_map_lookup_elem_sys(struct emu_map *map,
					   const void *key, void *value,
					   __u64 flags)
{
	(void)key; (void)flags;	/* NULL; syscall.c rejected every flag */
	return map->ops->map_peek_elem(map, value);
}

/* syscall.c: bpf_map_update_value; a user update is a push */
static int queue_stack_map_update_elem_sys(struct emu_map *map,
					   const void *key,
					   const void *value, __u64 flags)
{
	(void)key;	/* NULL */
	return queue_stack_map_push_elem(map, value, flags);
}

/* syscall.c: map_lookup_and_delete_elem; a pop */
static int queue_stack_map_lookup_and_delete_elem(struct emu_map *map,
						  const void *key,
						  void *value, __u64 flags)
{
	(void)key; (void)flags;	/* NULL; syscall.c rejected any flag */
	return map->ops->map_pop_elem(map, value);
}

#define QUEUE_STACK_MAP_OPS(_peek, _pop)				\
	.map_alloc_check = queue_stack_map_alloc_check,			\
	.map_alloc = queue_stack_map_alloc,				\
	.map_free = queue_stack_map_free,				\
	.map_get_next_key = queue_stack_map_get_next_key,		\
	.map_lookup_elem = queue_stack_map_lookup_elem,			\
	.map_update_elem = queue_stack_map_update_elem,			\
	.map_delete_elem = queue_stack_map_delete_elem,			\
	.map_lookup_percpu_elem = emu_map_lookup_percpu_elem_notsupp,	\
	.map_push_elem = queue_stack_map_push_elem,			\
	.map_pop_elem = _pop,						\
	.map_peek_elem = _peek,						\
	.map_lookup_elem_sys = queue_stack_map_lookup_elem_sys,		\
	.map_update_elem_sys = queue_stack_map_update_elem_sys,		\
	.map_lookup_and_delete_elem =					\
		queue_stack_map_lookup_and_delete_elem,			\
	.map_lookup_batch = emu_map_batch_notsupp,			\
	.map_lookup_and_delete_batch = emu_map_batch_notsupp,		\
	.map_update_batch = emu_map_batch_notsupp,			\
	.map_delete_batch = emu_map_batch_notsupp,			\
	.map_get_hash = emu_map_get_hash_notsupp,			\
	.map_mmap = emu_map_mmap_notsupp

const struct emu_map_ops queue_map_ops = {
	QUEUE_STACK_MAP_OPS(queue_map_peek_elem, queue_map_pop_elem),
};

const struct emu_map_ops stack_map_ops = {
	QUEUE_STACK_MAP_OPS(stack_map_peek_elem, stack_map_pop_elem),
};

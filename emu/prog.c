// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The helper face: what a BPF program calling the map helpers sees.
 * Mirrors kernel/bpf/helpers.c (v6.18): bpf_map_lookup_elem,
 * bpf_map_update_elem, bpf_map_delete_elem, bpf_map_push_elem,
 * bpf_map_pop_elem, bpf_map_peek_elem, bpf_map_lookup_percpu_elem, each
 * a call of the map's op; and the load-time rules of
 * kernel/bpf/verifier.c that decide whether a program making such a
 * call loads at all, in check_helper_call's order: get_helper_proto,
 * check_func_arg, record_func_map, check_map_func_compatibility, then
 * check_map_access_type for the accesses through a returned pointer.
 *
 * A refused call fails with the errno BPF_PROG_LOAD gives, as if the
 * program had been loaded just for it. Per-CPU slots are the current
 * CPU's (percpu.c: emu_current_cpu).
 *
 * Limits (each a place a program could tell the emulator apart):
 * - Which helpers a program type may call (get_func_proto) is not
 *   modelled: every helper id the 6.18 kernel knows counts as available.
 *   The emulated program is a tracing one, as the test-run executor is,
 *   so it may not update a sockmap (verifier.c: may_update_sockmap).
 * - A helper is taken to receive the map as its map argument; for a
 *   helper that takes no map the verdict means nothing.
 * - Pointer arguments are only checked for NULL (and the first page),
 *   which the verifier refuses for these helpers; the sizes behind them
 *   are the caller's business, as the stack's are the verifier's.
 */
#include "emu_internal.h"

/* 6.18 numbers the 6.1 UAPI header on Debian 12 does not carry */
#define EMU_MAP_TYPE_CGRP_STORAGE	32
#define EMU_FUNC_cgrp_storage_get	210
#define EMU_FUNC_cgrp_storage_delete	211
#define EMU_FUNC_MAX_ID		212	/* __BPF_FUNC_MAX_ID */

#define PROG_ACCESS_MASK	(BPFEMU_PROG_READ | BPFEMU_PROG_WRITE)

/* include/linux/bpf.h: bpf_map_flags_to_cap */
static unsigned int prog_map_caps(const struct emu_map *map)
{
	if (map->map_flags & BPF_F_RDONLY_PROG)
		return BPFEMU_PROG_READ;
	if (map->map_flags & BPF_F_WRONLY_PROG)
		return BPFEMU_PROG_WRITE;
	return BPFEMU_PROG_READ | BPFEMU_PROG_WRITE;
}

/* The helpers that take a key: ARG_PTR_TO_MAP_KEY. */
static bool func_takes_key(int func_id)
{
	return func_id == BPF_FUNC_map_lookup_elem ||
	       func_id == BPF_FUNC_map_update_elem ||
	       func_id == BPF_FUNC_map_delete_elem ||
	       func_id == BPF_FUNC_map_lookup_percpu_elem;
}

/* The helpers that return a value pointer: RET_PTR_TO_MAP_VALUE_OR_NULL. */
static bool func_returns_value(int func_id)
{
	return func_id == BPF_FUNC_map_lookup_elem ||
	       func_id == BPF_FUNC_map_lookup_percpu_elem;
}

/* verifier.c: record_func_map, the helpers a RDONLY_PROG map refuses */
static bool func_writes_map(int func_id)
{
	return func_id == BPF_FUNC_map_update_elem ||
	       func_id == BPF_FUNC_map_delete_elem ||
	       func_id == BPF_FUNC_map_push_elem ||
	       func_id == BPF_FUNC_map_pop_elem;
}

/*
 * verifier.c: check_map_func_compatibility, first half: the helpers a
 * map type takes. Types not listed take any helper. Every type the 6.18
 * kernel knows is covered, implemented by the emulator or not.
 */
static bool map_takes_func(__u32 map_type, int func_id)
{
	switch (map_type) {
	case BPF_MAP_TYPE_PROG_ARRAY:
		return func_id == BPF_FUNC_tail_call;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		return func_id == BPF_FUNC_perf_event_read ||
		       func_id == BPF_FUNC_perf_event_output ||
		       func_id == BPF_FUNC_skb_output ||
		       func_id == BPF_FUNC_perf_event_read_value ||
		       func_id == BPF_FUNC_xdp_output;
	case BPF_MAP_TYPE_RINGBUF:
		return func_id == BPF_FUNC_ringbuf_output ||
		       func_id == BPF_FUNC_ringbuf_reserve ||
		       func_id == BPF_FUNC_ringbuf_query ||
		       func_id == BPF_FUNC_ringbuf_reserve_dynptr ||
		       func_id == BPF_FUNC_ringbuf_submit_dynptr ||
		       func_id == BPF_FUNC_ringbuf_discard_dynptr;
	case BPF_MAP_TYPE_USER_RINGBUF:
		return func_id == BPF_FUNC_user_ringbuf_drain;
	case BPF_MAP_TYPE_STACK_TRACE:
		return func_id == BPF_FUNC_get_stackid;
	case BPF_MAP_TYPE_CGROUP_ARRAY:
		return func_id == BPF_FUNC_skb_under_cgroup ||
		       func_id == BPF_FUNC_current_task_under_cgroup;
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		return func_id == BPF_FUNC_get_local_storage;
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_XSKMAP:
		return func_id == BPF_FUNC_redirect_map ||
		       func_id == BPF_FUNC_map_lookup_elem;
	case BPF_MAP_TYPE_CPUMAP:
		return func_id == BPF_FUNC_redirect_map;
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		return func_id == BPF_FUNC_map_lookup_elem;
	case BPF_MAP_TYPE_SOCKMAP:
		/* may_update_sockmap() is false for a tracing program */
		return func_id == BPF_FUNC_sk_redirect_map ||
		       func_id == BPF_FUNC_sock_map_update ||
		       func_id == BPF_FUNC_msg_redirect_map ||
		       func_id == BPF_FUNC_sk_select_reuseport ||
		       func_id == BPF_FUNC_map_lookup_elem;
	case BPF_MAP_TYPE_SOCKHASH:
		return func_id == BPF_FUNC_sk_redirect_hash ||
		       func_id == BPF_FUNC_sock_hash_update ||
		       func_id == BPF_FUNC_msg_redirect_hash ||
		       func_id == BPF_FUNC_sk_select_reuseport ||
		       func_id == BPF_FUNC_map_lookup_elem;
	case BPF_MAP_TYPE_REUSEPORT_SOCKARRAY:
		return func_id == BPF_FUNC_sk_select_reuseport;
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return func_id == BPF_FUNC_map_peek_elem ||
		       func_id == BPF_FUNC_map_pop_elem ||
		       func_id == BPF_FUNC_map_push_elem;
	case BPF_MAP_TYPE_SK_STORAGE:
		return func_id == BPF_FUNC_sk_storage_get ||
		       func_id == BPF_FUNC_sk_storage_delete ||
		       func_id == BPF_FUNC_kptr_xchg;
	case BPF_MAP_TYPE_INODE_STORAGE:
		return func_id == BPF_FUNC_inode_storage_get ||
		       func_id == BPF_FUNC_inode_storage_delete ||
		       func_id == BPF_FUNC_kptr_xchg;
	case BPF_MAP_TYPE_TASK_STORAGE:
		return func_id == BPF_FUNC_task_storage_get ||
		       func_id == BPF_FUNC_task_storage_delete ||
		       func_id == BPF_FUNC_kptr_xchg;
	case EMU_MAP_TYPE_CGRP_STORAGE:
		return func_id == EMU_FUNC_cgrp_storage_get ||
		       func_id == EMU_FUNC_cgrp_storage_delete ||
		       func_id == BPF_FUNC_kptr_xchg;
	case BPF_MAP_TYPE_BLOOM_FILTER:
		return func_id == BPF_FUNC_map_peek_elem ||
		       func_id == BPF_FUNC_map_push_elem;
	default:
		/*
		 * HASH, ARRAY, their per-CPU and LRU kinds, LPM_TRIE. (A
		 * program naming a STRUCT_OPS or ARENA map has rules of its
		 * own, check_map_prog_compatibility; the emulator creates
		 * neither type.)
		 */
		return true;
	}
}

/*
 * verifier.c: check_map_func_compatibility, second half: the map types
 * a helper takes. Helpers not listed take any map.
 */
static bool func_takes_map(int func_id, __u32 t)
{
	switch (func_id) {
	case BPF_FUNC_tail_call:
		return t == BPF_MAP_TYPE_PROG_ARRAY;
	case BPF_FUNC_perf_event_read:
	case BPF_FUNC_perf_event_output:
	case BPF_FUNC_perf_event_read_value:
	case BPF_FUNC_skb_output:
	case BPF_FUNC_xdp_output:
		return t == BPF_MAP_TYPE_PERF_EVENT_ARRAY;
	case BPF_FUNC_ringbuf_output:
	case BPF_FUNC_ringbuf_reserve:
	case BPF_FUNC_ringbuf_query:
	case BPF_FUNC_ringbuf_reserve_dynptr:
	case BPF_FUNC_ringbuf_submit_dynptr:
	case BPF_FUNC_ringbuf_discard_dynptr:
		return t == BPF_MAP_TYPE_RINGBUF;
	case BPF_FUNC_user_ringbuf_drain:
		return t == BPF_MAP_TYPE_USER_RINGBUF;
	case BPF_FUNC_get_stackid:
		return t == BPF_MAP_TYPE_STACK_TRACE;
	case BPF_FUNC_current_task_under_cgroup:
	case BPF_FUNC_skb_under_cgroup:
		return t == BPF_MAP_TYPE_CGROUP_ARRAY;
	case BPF_FUNC_redirect_map:
		return t == BPF_MAP_TYPE_DEVMAP ||
		       t == BPF_MAP_TYPE_DEVMAP_HASH ||
		       t == BPF_MAP_TYPE_CPUMAP || t == BPF_MAP_TYPE_XSKMAP;
	case BPF_FUNC_sk_redirect_map:
	case BPF_FUNC_msg_redirect_map:
	case BPF_FUNC_sock_map_update:
		return t == BPF_MAP_TYPE_SOCKMAP;
	case BPF_FUNC_sk_redirect_hash:
	case BPF_FUNC_msg_redirect_hash:
	case BPF_FUNC_sock_hash_update:
		return t == BPF_MAP_TYPE_SOCKHASH;
	case BPF_FUNC_get_local_storage:
		return t == BPF_MAP_TYPE_CGROUP_STORAGE ||
		       t == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
	case BPF_FUNC_sk_select_reuseport:
		return t == BPF_MAP_TYPE_REUSEPORT_SOCKARRAY ||
		       t == BPF_MAP_TYPE_SOCKMAP || t == BPF_MAP_TYPE_SOCKHASH;
	case BPF_FUNC_map_pop_elem:
		return t == BPF_MAP_TYPE_QUEUE || t == BPF_MAP_TYPE_STACK;
	case BPF_FUNC_map_peek_elem:
	case BPF_FUNC_map_push_elem:
		return t == BPF_MAP_TYPE_QUEUE || t == BPF_MAP_TYPE_STACK ||
		       t == BPF_MAP_TYPE_BLOOM_FILTER;
	case BPF_FUNC_map_lookup_percpu_elem:
		return t == BPF_MAP_TYPE_PERCPU_ARRAY ||
		       t == BPF_MAP_TYPE_PERCPU_HASH ||
		       t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	case BPF_FUNC_sk_storage_get:
	case BPF_FUNC_sk_storage_delete:
		return t == BPF_MAP_TYPE_SK_STORAGE;
	case BPF_FUNC_inode_storage_get:
	case BPF_FUNC_inode_storage_delete:
		return t == BPF_MAP_TYPE_INODE_STORAGE;
	case BPF_FUNC_task_storage_get:
	case BPF_FUNC_task_storage_delete:
		return t == BPF_MAP_TYPE_TASK_STORAGE;
	case EMU_FUNC_cgrp_storage_get:
	case EMU_FUNC_cgrp_storage_delete:
		return t == EMU_MAP_TYPE_CGRP_STORAGE;
	default:
		return true;
	}
}

/*
 * A load at a constant offset through a pointer into a frozen
 * BPF_F_RDONLY_PROG map is read at verification time (verifier.c:
 * check_mem_access, bpf_map_is_rdonly), from the map's direct value
 * address: ARRAY has one only with a single element (arraymap.c:
 * array_map_direct_value_addr gives -ENOTSUPP), the other types none
 * (a plain load then). The program reads before it writes.
 */
static bool prog_read_unsupported(const struct emu_map *map)
{
	return map->map_type == BPF_MAP_TYPE_ARRAY &&
	       (map->map_flags & BPF_F_RDONLY_PROG) && map->frozen &&
	       map->max_entries != 1;
}

/*
 * The verifier's verdict, in check_helper_call's order. @args_ok: the
 * pointer arguments point to memory (the caller checked them).
 */
static int prog_verify(const struct emu_map *map, int func_id, bool args_ok,
		       unsigned int access)
{
	if (access & ~PROG_ACCESS_MASK)
		return -EINVAL;	/* not an enum bpfemu_prog_access bit */
	if (func_id <= 0 || func_id >= EMU_FUNC_MAX_ID)
		return -EINVAL;	/* get_helper_proto: no such helper */
	if (!args_ok)
		return -EACCES;	/* check_reg_type: scalar, not memory */
	if (func_takes_key(func_id) && !map->key_size)
		return -EACCES;	/* check_helper_mem_access: 0-byte key */
	if ((map->map_flags & BPF_F_RDONLY_PROG) && func_writes_map(func_id))
		return -EACCES;	/* record_func_map: write forbidden */
	if (!map_takes_func(map->map_type, func_id) ||
	    !func_takes_map(func_id, map->map_type))
		return -EINVAL;	/* cannot pass map_type into func */
	if (access && !func_returns_value(func_id))
		return -EACCES;	/* check_mem_access: R0 is a scalar */
	if ((access & BPFEMU_PROG_READ) && prog_read_unsupported(map))
		return -ENOTSUPP; /* bpf_map_direct_read: not one element */
	if ((access & BPFEMU_PROG_WRITE) &&
	    !(prog_map_caps(map) & BPFEMU_PROG_WRITE))
		return -EACCES;	/* check_map_access_type: no store */
	if ((access & BPFEMU_PROG_READ) &&
	    !(prog_map_caps(map) & BPFEMU_PROG_READ))
		return -EACCES;	/* check_map_access_type: no load */
	return 0;
}

/* The verifier never lets a program hand NULL to these helpers. */
static bool prog_ptr_ok(const void *p)
{
	return !emu_bad_uptr((uintptr_t)p);
}

/*
 * The map a program names by fd, if a program making the call loads.
 * resolve_pseudo_ldimm64 resolves the fd at load whatever its mode: a
 * program's access is the map's BPF_F_RDONLY_PROG / BPF_F_WRONLY_PROG.
 */
static struct emu_map *prog_map_get(int map_fd, int func_id, bool args_ok,
				    int *err)
{
	struct emu_map *map;
	int fmode;

	map = emu_file_map_get(map_fd, &fmode);
	if (!map) {
		*err = -errno;	/* EBADF: not open; EINVAL: not a map */
		return NULL;
	}
	*err = prog_verify(map, func_id, args_ok, 0);
	return *err ? NULL : map;
}

int bpfemu_prog_check(int map_fd, int func_id, unsigned int access)
{
	struct emu_map *map;
	int fmode, err;

	emu_lock_acquire();
	map = emu_file_map_get(map_fd, &fmode);
	err = map ? prog_verify(map, func_id, true, access) : -errno;
	emu_lock_release();
	return err;
}

/* helpers.c: bpf_map_lookup_elem, bpf_map_lookup_percpu_elem */
static void *prog_lookup(int map_fd, int func_id, const void *key,
			 __u32 cpu)
{
	struct emu_map *map;
	void *value;
	int err;

	emu_lock_acquire();
	map = prog_map_get(map_fd, func_id, prog_ptr_ok(key), &err);
	if (!map)
		value = ERR_PTR(err);
	else if (func_id == BPF_FUNC_map_lookup_elem)
		value = map->ops->map_lookup_elem(map, key);
	else
		value = map->ops->map_lookup_percpu_elem(map, key, cpu);
	emu_lock_release();
	if (IS_ERR(value)) {
		errno = -PTR_ERR(value);
		return NULL;
	}
	if (!value)
		errno = ENOENT;	/* the helper returned NULL */
	return value;
}

void *bpfemu_prog_map_lookup_elem(int map_fd, const void *key)
{
	return prog_lookup(map_fd, BPF_FUNC_map_lookup_elem, key, 0);
}

void *bpfemu_prog_map_lookup_percpu_elem(int map_fd, const void *key,
					 __u32 cpu)
{
	return prog_lookup(map_fd, BPF_FUNC_map_lookup_percpu_elem, key, cpu);
}

/* helpers.c: bpf_map_update_elem */
long bpfemu_prog_map_update_elem(int map_fd, const void *key,
				 const void *value, __u64 flags)
{
	struct emu_map *map;
	int err;
	long ret;

	emu_lock_acquire();
	map = prog_map_get(map_fd, BPF_FUNC_map_update_elem,
			   prog_ptr_ok(key) && prog_ptr_ok(value), &err);
	ret = map ? map->ops->map_update_elem(map, key, value, flags) : err;
	emu_lock_release();
	return ret;
}

/* helpers.c: bpf_map_delete_elem */
long bpfemu_prog_map_delete_elem(int map_fd, const void *key)
{
	struct emu_map *map;
	int err;
	long ret;

	emu_lock_acquire();
	map = prog_map_get(map_fd, BPF_FUNC_map_delete_elem, prog_ptr_ok(key),
			   &err);
	ret = map ? map->ops->map_delete_elem(map, key) : err;
	emu_lock_release();
	return ret;
}

/* helpers.c: bpf_map_push_elem */
long bpfemu_prog_map_push_elem(int map_fd, const void *value, __u64 flags)
{
	struct emu_map *map;
	int err;
	long ret;

	emu_lock_acquire();
	map = prog_map_get(map_fd, BPF_FUNC_map_push_elem, prog_ptr_ok(value),
			   &err);
	ret = map ? map->ops->map_push_elem(map, value, flags) : err;
	emu_lock_release();
	return ret;
}

/*
 * helpers.c: bpf_map_pop_elem, bpf_map_peek_elem. What a failure leaves
 * in @value is the op's business (an empty queue or stack zero-fills it,
 * a bloom filter's peek reads it); a refused call writes nothing.
 */
static long prog_pop_peek(int map_fd, int func_id, void *value)
{
	struct emu_map *map;
	int err;
	long ret;

	emu_lock_acquire();
	map = prog_map_get(map_fd, func_id, prog_ptr_ok(value), &err);
	if (!map)
		ret = err;
	else if (func_id == BPF_FUNC_map_pop_elem)
		ret = map->ops->map_pop_elem(map, value);
	else
		ret = map->ops->map_peek_elem(map, value);
	emu_lock_release();
	return ret;
}

long bpfemu_prog_map_pop_elem(int map_fd, void *value)
{
	return prog_pop_peek(map_fd, BPF_FUNC_map_pop_elem, value);
}

long bpfemu_prog_map_peek_elem(int map_fd, void *value)
{
	return prog_pop_peek(map_fd, BPF_FUNC_map_peek_elem, value);
}

int bpfemu_set_current_cpu(int cpu)
{
	int err;

	emu_lock_acquire();
	err = emu_set_current_cpu(cpu);
	emu_lock_release();
	return err;
}

int bpfemu_current_cpu(void)
{
	unsigned int cpu;

	emu_lock_acquire();
	cpu = emu_current_cpu();
	emu_lock_release();
	return cpu;
}

/*
 * The slots a family fills for helpers its type does not take: the
 * verifier refuses such a program (check_map_func_compatibility), so
 * prog_verify() never lets a call reach them; they answer as the load.
 */
void *emu_map_lookup_percpu_elem_notsupp(struct emu_map *map, const void *key,
					 __u32 cpu)
{
	(void)map; (void)key; (void)cpu;
	return ERR_PTR(-EINVAL);	/* not a per-CPU type */
}

long emu_map_push_elem_notsupp(struct emu_map *map, const void *value,
			       __u64 flags)
{
	(void)map; (void)value; (void)flags;
	return -EINVAL;	/* not a queue, stack or bloom filter */
}

long emu_map_pop_elem_notsupp(struct emu_map *map, void *value)
{
	(void)map; (void)value;
	return -EINVAL;	/* not a queue or stack */
}

long emu_map_peek_elem_notsupp(struct emu_map *map, void *value)
{
	(void)map; (void)value;
	return -EINVAL;	/* not a queue, stack or bloom filter */
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Unit tests of emu/arraymap.c: ARRAY and PERCPU_ARRAY driven through
 * their ops tables, below the syscall layer. Expected values come from
 * /work/shared/spec/array-lpm-queue-maps.md §2 (probed on 6.18.44).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "unit_attr.h"

#include "emu_internal.h"

#define ARRAY_MAX	4

struct array_fixture {
	const struct emu_map_ops *ops;
	struct emu_map *map;
};

static int array_check(__u32 type, __u32 key_size, __u32 value_size,
		       __u32 max_entries, __u32 flags)
{
	const struct emu_map_ops *ops = type == BPF_MAP_TYPE_PERCPU_ARRAY ?
					&percpu_array_map_ops : &array_map_ops;
	union bpf_attr attr;

	unit_map_attr(&attr, type, key_size, value_size, max_entries, flags);
	return ops->map_alloc_check(&attr);
}

/* Creates as the syscall layer does: alloc_check, then alloc. */
static struct emu_map *array_create(const struct emu_map_ops *ops,
				    __u32 type, __u32 value_size,
				    __u32 max_entries, __u32 flags)
{
	union bpf_attr attr;
	struct emu_map *map;

	unit_map_attr(&attr, type, 4, value_size, max_entries, flags);
	assert_int_equal(ops->map_alloc_check(&attr), 0);
	map = ops->map_alloc(&attr);
	assert_false(IS_ERR(map));
	return map;
}

static void array_destroy(const struct emu_map_ops *ops, struct emu_map *map)
{
	int anchor_fd = map->anchor_fd;

	ops->map_free(map);
	/* map.c's job after map_free */
	if (anchor_fd >= 0)
		close(anchor_fd);
}

static int array_setup(void **state, const struct emu_map_ops *ops,
		       __u32 type, __u32 value_size, __u32 max_entries,
		       __u32 flags)
{
	struct array_fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->ops = ops;
	f->map = array_create(ops, type, value_size, max_entries, flags);
	*state = f;
	return 0;
}

/* value_size 12: slots are 16 bytes, 4 of them padding */
static int setup_array(void **state)
{
	return array_setup(state, &array_map_ops, BPF_MAP_TYPE_ARRAY, 12,
			   ARRAY_MAX, 0);
}

/* 3 possible CPUs, value_size 5: each CPU's copy is 8 bytes */
static int setup_percpu3(void **state)
{
	assert_int_equal(bpfemu_set_possible_cpus(3), 0);
	return array_setup(state, &percpu_array_map_ops,
			   BPF_MAP_TYPE_PERCPU_ARRAY, 5, ARRAY_MAX, 0);
}

/* value_size 12, 5 entries: 80 bytes of elements in one page */
static int setup_mmapable(void **state)
{
	return array_setup(state, &array_map_ops, BPF_MAP_TYPE_ARRAY, 12, 5,
			   BPF_F_MMAPABLE);
}

static int teardown_map(void **state)
{
	struct array_fixture *f = *state;

	array_destroy(f->ops, f->map);
	free(f);
	assert_int_equal(bpfemu_set_possible_cpus(0), 0);
	return 0;
}

static bool all_bytes(const void *p, int c, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != (unsigned char)c)
			return false;
	return true;
}

/* The lowest free fd: unchanged across a call means no fd leaked. */
static int lowest_free_fd(void)
{
	int fd = dup(0);

	assert_true(fd >= 0);
	close(fd);
	return fd;
}

static void array__create_bad_attr__einval(void **state)
{
	const __u32 A = BPF_MAP_TYPE_ARRAY, P = BPF_MAP_TYPE_PERCPU_ARRAY;

	(void)state;
	assert_int_equal(array_check(A, 4, 8, 0, 0), -EINVAL);
	assert_int_equal(array_check(A, 8, 8, 1, 0), -EINVAL);
	assert_int_equal(array_check(A, 0, 8, 1, 0), -EINVAL);
	assert_int_equal(array_check(A, 4, 0, 1, 0), -EINVAL);
	assert_int_equal(array_check(A, 4, 8, 1, BPF_F_NO_PREALLOC),
			 -EINVAL);
	assert_int_equal(array_check(A, 4, 8, 1, BPF_F_ZERO_SEED), -EINVAL);
	assert_int_equal(array_check(A, 4, 8, 1, 1U << 31), -EINVAL);
	assert_int_equal(array_check(A, 4, 8, 1, BPF_F_RDONLY_PROG |
					      BPF_F_WRONLY_PROG), -EINVAL);
	assert_int_equal(array_check(A, 4, 8, 1, BPF_F_PRESERVE_ELEMS),
			 -EINVAL);
	assert_int_equal(array_check(P, 4, 8, 1, BPF_F_NUMA_NODE), -EINVAL);
	assert_int_equal(array_check(P, 4, 8, 1, BPF_F_MMAPABLE), -EINVAL);
	assert_int_equal(array_check(P, 4, 8, 1, BPF_F_INNER_MAP), -EINVAL);
	assert_int_equal(array_check(P, 4, 8, 1, BPF_F_PRESERVE_ELEMS),
			 -EINVAL);
}

/* Every EINVAL row comes before the E2BIG rows. */
static void array__create_einval_and_e2big__einval(void **state)
{
	const __u32 A = BPF_MAP_TYPE_ARRAY, P = BPF_MAP_TYPE_PERCPU_ARRAY;
	const __u32 big = (__u32)INT_MAX + 1;

	(void)state;
	assert_int_equal(array_check(A, 8, big, 1, 0), -EINVAL);
	assert_int_equal(array_check(A, 4, big, 0, 0), -EINVAL);
	assert_int_equal(array_check(A, 4, big, 1, BPF_F_NO_PREALLOC),
			 -EINVAL);
	assert_int_equal(array_check(A, 4, big, 1, BPF_F_PRESERVE_ELEMS),
			 -EINVAL);
	assert_int_equal(array_check(P, 4, 40000, 1, BPF_F_NUMA_NODE),
			 -EINVAL);
	assert_int_equal(array_check(P, 4, 40000, 1, BPF_F_MMAPABLE),
			 -EINVAL);
	assert_int_equal(array_check(P, 4, big, 1, BPF_F_RDONLY_PROG |
						BPF_F_WRONLY_PROG), -EINVAL);
}

static void array__create_value_size_limits__e2big(void **state)
{
	const __u32 A = BPF_MAP_TYPE_ARRAY, P = BPF_MAP_TYPE_PERCPU_ARRAY;

	(void)state;
	assert_int_equal(array_check(A, 4, INT_MAX, 1, 0), 0);
	assert_int_equal(array_check(A, 4, (__u32)INT_MAX + 1, 1, 0),
			 -E2BIG);
	assert_int_equal(array_check(A, 4, UINT32_MAX, 1, 0), -E2BIG);
	assert_int_equal(array_check(A, 4, 40000, 1, 0), 0);
	assert_int_equal(array_check(P, 4, 32768, 1, 0), 0);
	assert_int_equal(array_check(P, 4, 32769, 1, 0), -E2BIG);
	assert_int_equal(array_check(P, 4, (__u32)INT_MAX + 1, 1, 0),
			 -E2BIG);
}

static void array__create_allowed_flags__ok(void **state)
{
	const __u32 A = BPF_MAP_TYPE_ARRAY, P = BPF_MAP_TYPE_PERCPU_ARRAY;
	const __u32 access[] = {
		BPF_F_RDONLY, BPF_F_WRONLY, BPF_F_RDONLY_PROG,
		BPF_F_WRONLY_PROG,
	};

	(void)state;
	assert_int_equal(array_check(A, 4, 8, 1, BPF_F_NUMA_NODE |
					      BPF_F_MMAPABLE |
					      BPF_F_INNER_MAP), 0);
	for (size_t i = 0; i < ARRAY_SIZE(access); i++) {
		assert_int_equal(array_check(A, 4, 8, 1, access[i]), 0);
		assert_int_equal(array_check(P, 4, 8, 1, access[i]), 0);
	}
	/* root bypasses Spectre v1: no E2BIG past 2^31 entries */
	assert_int_equal(array_check(A, 4, 8, 0x80000001U, 0), 0);
	assert_int_equal(array_check(A, 4, 8, UINT32_MAX, 0), 0);
}

static void array__alloc__zeroed_16_byte_slots(void **state)
{
	struct array_fixture *f = *state;
	struct emu_map *map = f->map;
	char *first, *p;

	assert_int_equal(map->max_entries, ARRAY_MAX);
	assert_int_equal(map->value_size, 12);
	assert_int_equal(map->anchor_fd, -1);
	first = f->ops->map_lookup_elem(map, &(__u32){ 0 });
	assert_non_null(first);
	for (__u32 i = 0; i < ARRAY_MAX; i++) {
		p = f->ops->map_lookup_elem(map, &i);
		assert_ptr_equal(p, first + 16 * i);
		assert_true(all_bytes(p, 0, 16));
	}
}

static void array__alloc_too_big__enomem(void **state)
{
	const __u32 flags[] = { 0, BPF_F_MMAPABLE };
	union bpf_attr attr;
	int fd = lowest_free_fd();

	(void)state;
	/* 2^32 - 1 slots of 2 GiB: more than any address space */
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		unit_map_attr(&attr, BPF_MAP_TYPE_ARRAY, 4, INT_MAX, UINT32_MAX,
			   flags[i]);
		assert_int_equal(array_map_ops.map_alloc_check(&attr), 0);
		assert_int_equal(PTR_ERR(array_map_ops.map_alloc(&attr)),
				 -ENOMEM);
	}
	unit_map_attr(&attr, BPF_MAP_TYPE_PERCPU_ARRAY, 4, 32768, UINT32_MAX,
		   0);
	assert_int_equal(percpu_array_map_ops.map_alloc_check(&attr), 0);
	assert_int_equal(PTR_ERR(percpu_array_map_ops.map_alloc(&attr)),
			 -ENOMEM);
	/* the failed MMAPABLE allocation closed its memfd */
	assert_int_equal(lowest_free_fd(), fd);
}

/* (flags & ~BPF_F_LOCK) > BPF_EXIST is checked before the index. */
static void array__update_bad_flags__einval_before_e2big(void **state)
{
	struct array_fixture *f = *state;
	const __u64 bad[] = { 3, 7, 8, 1ULL << 32 };
	char value[12];
	__u32 in = 1, out = ARRAY_MAX;

	memset(value, 0x5a, sizeof(value));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(f->ops->map_update_elem(f->map, &in, value,
							 bad[i]), -EINVAL);
		assert_int_equal(f->ops->map_update_elem(f->map, &out, value,
							 bad[i]), -EINVAL);
	}
	assert_true(all_bytes(f->ops->map_lookup_elem(f->map, &in), 0, 16));
}

static void array__update_noexist__eexist_or_e2big(void **state)
{
	struct array_fixture *f = *state;
	char value[12];
	__u32 in = 2, out = ARRAY_MAX, huge = UINT32_MAX;

	memset(value, 0x5a, sizeof(value));
	assert_int_equal(f->ops->map_update_elem(f->map, &in, value,
						 BPF_NOEXIST), -EEXIST);
	assert_int_equal(f->ops->map_update_elem(f->map, &out, value,
						 BPF_NOEXIST), -E2BIG);
	assert_int_equal(f->ops->map_update_elem(f->map, &huge, value,
						 BPF_NOEXIST), -E2BIG);
	/* BPF_F_LOCK without a spin lock is checked after EEXIST */
	assert_int_equal(f->ops->map_update_elem(f->map, &in, value,
						 BPF_NOEXIST | BPF_F_LOCK),
			 -EEXIST);
	assert_int_equal(f->ops->map_update_elem(f->map, &out, value,
						 BPF_F_LOCK), -E2BIG);
	assert_int_equal(f->ops->map_update_elem(f->map, &in, value,
						 BPF_F_LOCK), -EINVAL);
	assert_true(all_bytes(f->ops->map_lookup_elem(f->map, &in), 0, 16));
}

static void array__update_any_and_exist__overwrite(void **state)
{
	struct array_fixture *f = *state;
	char one[12], two[12], *p;
	__u32 idx = 1, out = ARRAY_MAX;

	memset(one, 0x11, sizeof(one));
	memset(two, 0x22, sizeof(two));
	assert_int_equal(f->ops->map_update_elem(f->map, &idx, one, BPF_ANY),
			 0);
	p = f->ops->map_lookup_elem(f->map, &idx);
	assert_memory_equal(p, one, sizeof(one));
	assert_int_equal(f->ops->map_update_elem(f->map, &idx, two,
						 BPF_EXIST), 0);
	assert_memory_equal(p, two, sizeof(two));
	/* value_size bytes only: padding and neighbours stay zero */
	assert_true(all_bytes(p + 12, 0, 4));
	assert_true(all_bytes(p - 16, 0, 16));
	assert_true(all_bytes(p + 16, 0, 16));
	assert_int_equal(f->ops->map_update_elem(f->map, &out, one, BPF_ANY),
			 -E2BIG);
	assert_int_equal(f->ops->map_update_elem(f->map, &out, one,
						 BPF_EXIST), -E2BIG);
}

static void array__lookup_out_of_range__null(void **state)
{
	struct array_fixture *f = *state;
	unsigned char key[5] = { 0 };
	__u32 idx = ARRAY_MAX;

	assert_null(f->ops->map_lookup_elem(f->map, &idx));
	idx = UINT32_MAX;
	assert_null(f->ops->map_lookup_elem(f->map, &idx));
	/* the key is read as a host-order u32, alignment or not */
	idx = ARRAY_MAX - 1;
	memcpy(key + 1, &idx, sizeof(idx));
	assert_ptr_equal(f->ops->map_lookup_elem(f->map, key + 1),
			 (char *)f->ops->map_lookup_elem(f->map,
							 &(__u32){ 0 }) +
			 16 * (ARRAY_MAX - 1));
}

static void array__delete_any_key__einval(void **state)
{
	struct array_fixture *f = *state;
	const __u32 keys[] = { 0, ARRAY_MAX - 1, ARRAY_MAX, UINT32_MAX };
	struct emu_map *percpu;

	percpu = array_create(&percpu_array_map_ops,
			      BPF_MAP_TYPE_PERCPU_ARRAY, 8, 2, 0);
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		assert_int_equal(f->ops->map_delete_elem(f->map, &keys[i]),
				 -EINVAL);
		assert_int_equal(percpu_array_map_ops.map_delete_elem(percpu,
								      &keys[i]),
				 -EINVAL);
	}
	array_destroy(&percpu_array_map_ops, percpu);
}

static void array__get_next_key_walk__last_enoent(void **state)
{
	struct array_fixture *f = *state;
	const __u32 restart[] = { ARRAY_MAX, ARRAY_MAX + 1, UINT32_MAX };
	__u32 key, next = 0xaaaaaaaa;

	assert_int_equal(f->ops->map_get_next_key(f->map, NULL, &next), 0);
	assert_int_equal(next, 0);
	for (key = 0; key < ARRAY_MAX - 1; key++) {
		assert_int_equal(f->ops->map_get_next_key(f->map, &key,
							  &next), 0);
		assert_int_equal(next, key + 1);
	}
	/* the last index ends the walk and leaves next_key untouched */
	next = 0xaaaaaaaa;
	assert_int_equal(f->ops->map_get_next_key(f->map, &key, &next),
			 -ENOENT);
	assert_int_equal(next, 0xaaaaaaaa);
	/* an out-of-range key restarts from index 0 */
	for (size_t i = 0; i < ARRAY_SIZE(restart); i++) {
		next = 0xaaaaaaaa;
		assert_int_equal(f->ops->map_get_next_key(f->map, &restart[i],
							  &next), 0);
		assert_int_equal(next, 0);
	}
}

static void array__get_next_key_single_entry__enoent(void **state)
{
	struct emu_map *map;
	__u32 key = 0, next = 0xaaaaaaaa;

	(void)state;
	map = array_create(&array_map_ops, BPF_MAP_TYPE_ARRAY, 4, 1, 0);
	assert_int_equal(array_map_ops.map_get_next_key(map, NULL, &next), 0);
	assert_int_equal(next, 0);
	next = 0xaaaaaaaa;
	assert_int_equal(array_map_ops.map_get_next_key(map, &key, &next),
			 -ENOENT);
	assert_int_equal(next, 0xaaaaaaaa);
	key = 1;
	assert_int_equal(array_map_ops.map_get_next_key(map, &key, &next), 0);
	assert_int_equal(next, 0);
	array_destroy(&array_map_ops, map);
}

static void array__percpu_3cpus_layout__padding_round_trips(void **state)
{
	struct array_fixture *f = *state;
	unsigned char in[3 * 8], out[3 * 8];
	unsigned int cpu = emu_current_cpu();
	__u32 idx = 2, other = 1;
	unsigned char *p;

	assert_int_equal(f->map->ncpus, 3);
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = 0x10 + i;
	assert_int_equal(f->ops->map_update_elem_sys(f->map, &idx, in,
						     BPF_ANY), 0);
	memset(out, 0xff, sizeof(out));
	assert_int_equal(f->ops->map_lookup_elem_sys(f->map, &idx, out, 0),
			 0);
	/* the 3 padding bytes of every CPU's slot come back too */
	assert_memory_equal(out, in, sizeof(in));
	/* the helper face sees the current CPU's 8-byte slot */
	assert_true(cpu < 3);
	p = f->ops->map_lookup_elem(f->map, &idx);
	assert_non_null(p);
	assert_memory_equal(p, in + 8 * cpu, 8);
	/* other elements are untouched and zero on every CPU */
	memset(out, 0xff, sizeof(out));
	assert_int_equal(f->ops->map_lookup_elem_sys(f->map, &other, out, 0),
			 0);
	assert_true(all_bytes(out, 0, sizeof(out)));
}

static void array__percpu_sys_update_flags__einval_e2big_eexist(void **state)
{
	struct array_fixture *f = *state;
	const __u64 bad[] = { 3, BPF_F_LOCK, BPF_F_LOCK | BPF_EXIST, 8 };
	unsigned char in[3 * 8], out[3 * 8];
	__u32 idx = 0, outside = ARRAY_MAX;

	memset(in, 0x77, sizeof(in));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(f->ops->map_update_elem_sys(f->map, &idx, in,
							     bad[i]), -EINVAL);
		assert_int_equal(f->ops->map_update_elem_sys(f->map, &outside,
							     in, bad[i]),
				 -EINVAL);
	}
	assert_int_equal(f->ops->map_update_elem_sys(f->map, &outside, in,
						     BPF_ANY), -E2BIG);
	assert_int_equal(f->ops->map_update_elem_sys(f->map, &outside, in,
						     BPF_NOEXIST), -E2BIG);
	assert_int_equal(f->ops->map_update_elem_sys(f->map, &idx, in,
						     BPF_NOEXIST), -EEXIST);
	assert_int_equal(f->ops->map_lookup_elem_sys(f->map, &idx, out, 0),
			 0);
	assert_true(all_bytes(out, 0, sizeof(out)));
	assert_int_equal(f->ops->map_update_elem_sys(f->map, &idx, in,
						     BPF_EXIST), 0);
	assert_int_equal(f->ops->map_lookup_elem_sys(f->map, &idx, out, 0),
			 0);
	assert_memory_equal(out, in, sizeof(in));
}

static void array__percpu_sys_lookup_out_of_range__enoent(void **state)
{
	struct array_fixture *f = *state;
	unsigned char out[3 * 8];
	__u32 idx = ARRAY_MAX;

	memset(out, 0xcc, sizeof(out));
	assert_int_equal(f->ops->map_lookup_elem_sys(f->map, &idx, out, 0),
			 -ENOENT);
	assert_true(all_bytes(out, 0xcc, sizeof(out)));
	assert_null(f->ops->map_lookup_elem(f->map, &idx));
}

static void array__percpu_helper_update__current_cpu_only(void **state)
{
	struct array_fixture *f = *state;
	unsigned char fill[3 * 8], out[3 * 8], value[5];
	unsigned int cpu = emu_current_cpu();
	__u32 idx = 3, outside = ARRAY_MAX;

	assert_true(cpu < 3);
	memset(fill, 0xee, sizeof(fill));
	memset(value, 0x11, sizeof(value));
	assert_int_equal(f->ops->map_update_elem_sys(f->map, &idx, fill,
						     BPF_ANY), 0);
	assert_int_equal(f->ops->map_update_elem(f->map, &idx, value, 3),
			 -EINVAL);
	assert_int_equal(f->ops->map_update_elem(f->map, &outside, value,
						 BPF_ANY), -E2BIG);
	assert_int_equal(f->ops->map_update_elem(f->map, &idx, value,
						 BPF_NOEXIST), -EEXIST);
	assert_int_equal(f->ops->map_update_elem(f->map, &idx, value,
						 BPF_F_LOCK), -EINVAL);
	assert_int_equal(f->ops->map_update_elem(f->map, &idx, value,
						 BPF_EXIST), 0);
	assert_int_equal(f->ops->map_lookup_elem_sys(f->map, &idx, out, 0),
			 0);
	/* value_size bytes on this CPU; its padding and other CPUs kept */
	for (unsigned int k = 0; k < 3; k++) {
		if (k == cpu) {
			assert_memory_equal(out + 8 * k, value, 5);
			assert_true(all_bytes(out + 8 * k + 5, 0xee, 3));
		} else {
			assert_true(all_bytes(out + 8 * k, 0xee, 8));
		}
	}
}

static void array__mmapable_storage__visible_through_mmap(void **state)
{
	struct array_fixture *f = *state;
	char path[64], value[12], *p, *user;
	__u32 idx = 3, one = 1;
	struct stat st;
	int fd;

	assert_true(f->map->anchor_fd >= 0);
	assert_int_equal(fstat(f->map->anchor_fd, &st), 0);
	assert_int_equal(st.st_size, EMU_PAGE_SIZE);
	/* a user fd reopens the anchor; map it as a user would */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", f->map->anchor_fd);
	fd = open(path, O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	user = mmap(NULL, EMU_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);
	assert_true(user != MAP_FAILED);
	assert_true(all_bytes(user, 0, EMU_PAGE_SIZE));

	/* element i at byte i * round_up(12, 8) */
	memset(value, 0x3c, sizeof(value));
	assert_int_equal(f->ops->map_update_elem(f->map, &idx, value, BPF_ANY),
			 0);
	assert_memory_equal(user + 16 * idx, value, sizeof(value));
	assert_true(all_bytes(user + 16 * idx + 12, 0, 4));
	memset(user + 16 * one, 0x42, 12);
	p = f->ops->map_lookup_elem(f->map, &one);
	assert_true(all_bytes(p, 0x42, 12));
	assert_true(all_bytes(user, 0, 16));

	munmap(user, EMU_PAGE_SIZE);
	close(fd);
}

static void array__mmapable_size__page_aligned_and_sealed(void **state)
{
	const struct { __u32 max_entries; off_t size; } cases[] = {
		{ 1, EMU_PAGE_SIZE },
		{ 512, EMU_PAGE_SIZE },		/* 512 * 8 fills one page */
		{ 513, 2 * EMU_PAGE_SIZE },
	};
	struct emu_map *map;
	struct stat st;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		map = array_create(&array_map_ops, BPF_MAP_TYPE_ARRAY, 8,
				   cases[i].max_entries, BPF_F_MMAPABLE);
		assert_int_equal(fstat(map->anchor_fd, &st), 0);
		assert_int_equal(st.st_size, cases[i].size);
		/* a user's ftruncate cannot take the storage away */
		assert_int_equal(ftruncate(map->anchor_fd, 0), -1);
		assert_int_equal(ftruncate(map->anchor_fd, st.st_size * 2),
				 -1);
		array_destroy(&array_map_ops, map);
	}
}

static void array__ops_table__generic_slots(void **state)
{
	const struct emu_map_ops *ops[] = {
		&array_map_ops, &percpu_array_map_ops,
	};

	(void)state;
	assert_ptr_equal(emu_map_type_ops(BPF_MAP_TYPE_ARRAY), &array_map_ops);
	assert_ptr_equal(emu_map_type_ops(BPF_MAP_TYPE_PERCPU_ARRAY),
			 &percpu_array_map_ops);
	assert_ptr_equal(array_map_ops.map_lookup_elem_sys,
			 emu_map_lookup_elem_sys_generic);
	assert_ptr_equal(array_map_ops.map_update_elem_sys,
			 emu_map_update_elem_sys_generic);
	assert_ptr_not_equal(percpu_array_map_ops.map_lookup_elem_sys,
			     emu_map_lookup_elem_sys_generic);
	assert_ptr_not_equal(percpu_array_map_ops.map_update_elem_sys,
			     emu_map_update_elem_sys_generic);
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		assert_ptr_equal(ops[i]->map_lookup_and_delete_elem,
				 emu_map_lookup_and_delete_elem_notsupp);
		assert_ptr_equal(ops[i]->map_lookup_batch,
				 emu_generic_map_lookup_batch);
		assert_ptr_equal(ops[i]->map_update_batch,
				 emu_generic_map_update_batch);
		assert_ptr_equal(ops[i]->map_delete_batch,
				 emu_map_batch_notsupp);
		assert_ptr_equal(ops[i]->map_lookup_and_delete_batch,
				 emu_map_batch_notsupp);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(array__create_bad_attr__einval),
		cmocka_unit_test(array__create_einval_and_e2big__einval),
		cmocka_unit_test(array__create_value_size_limits__e2big),
		cmocka_unit_test(array__create_allowed_flags__ok),
		cmocka_unit_test_setup_teardown(
			array__alloc__zeroed_16_byte_slots,
			setup_array, teardown_map),
		cmocka_unit_test(array__alloc_too_big__enomem),
		cmocka_unit_test_setup_teardown(
			array__update_bad_flags__einval_before_e2big,
			setup_array, teardown_map),
		cmocka_unit_test_setup_teardown(
			array__update_noexist__eexist_or_e2big,
			setup_array, teardown_map),
		cmocka_unit_test_setup_teardown(
			array__update_any_and_exist__overwrite,
			setup_array, teardown_map),
		cmocka_unit_test_setup_teardown(
			array__lookup_out_of_range__null,
			setup_array, teardown_map),
		cmocka_unit_test_setup_teardown(
			array__delete_any_key__einval,
			setup_array, teardown_map),
		cmocka_unit_test_setup_teardown(
			array__get_next_key_walk__last_enoent,
			setup_array, teardown_map),
		cmocka_unit_test(array__get_next_key_single_entry__enoent),
		cmocka_unit_test_setup_teardown(
			array__percpu_3cpus_layout__padding_round_trips,
			setup_percpu3, teardown_map),
		cmocka_unit_test_setup_teardown(
			array__percpu_sys_update_flags__einval_e2big_eexist,
			setup_percpu3, teardown_map),
		cmocka_unit_test_setup_teardown(
			array__percpu_sys_lookup_out_of_range__enoent,
			setup_percpu3, teardown_map),
		cmocka_unit_test_setup_teardown(
			array__percpu_helper_update__current_cpu_only,
			setup_percpu3, teardown_map),
		cmocka_unit_test_setup_teardown(
			array__mmapable_storage__visible_through_mmap,
			setup_mmapable, teardown_map),
		cmocka_unit_test(array__mmapable_size__page_aligned_and_sealed),
		cmocka_unit_test(array__ops_table__generic_slots),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("arraymap", tests, NULL, NULL);
}

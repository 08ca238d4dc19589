// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The helper face (emu/prog.c): the map helpers as a BPF program calls
 * them, on the current CPU, and the verifier's refusals, through the
 * public API beside bpfemu_sys_bpf(). The machine has 2 possible CPUs,
 * as the reference host. Every kernel rule pinned here is also checked
 * against the kernel by the corpus's prog_* scenarios (BPF_PROG_TEST_RUN
 * and BPF_PROG_LOAD); the NULL-pointer and bad-access-bit cases are the
 * API's own contract.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bpfemu.h"

#define ATTR_SIZE	168
#define NCPUS		2
#define MAX_ENTRIES	4
#define VALUE_SIZE	4	/* per-CPU slots of 8: 4 bytes of padding */
#define SLOT		8
#define FUNC_MAX_ID	212	/* __BPF_FUNC_MAX_ID on 6.18 */

/* The 6.1 header's union is smaller than the 6.18 kernel's. */
union attr_buf {
	union bpf_attr attr;
	unsigned char raw[ATTR_SIZE];
};

static long sys(int cmd, union bpf_attr *attr)
{
	union attr_buf a;
	long ret;

	memset(&a, 0, sizeof(a));
	a.attr = *attr;
	ret = bpfemu_sys_bpf(cmd, &a.attr, ATTR_SIZE);
	return ret < 0 ? -errno : ret;
}

static int create(__u32 type, __u32 max_entries, __u32 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = 4;
	attr.value_size = VALUE_SIZE;
	attr.max_entries = max_entries;
	attr.map_flags = flags;
	return sys(BPF_MAP_CREATE, &attr);
}

static long sys_elem(int cmd, int fd, __u32 key, void *value, __u64 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)value;
	attr.flags = flags;
	return sys(cmd, &attr);
}

static long sys_freeze(int fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	return sys(BPF_MAP_FREEZE, &attr);
}

static long prog_update(int fd, __u32 key, __u32 value, __u64 flags)
{
	return bpfemu_prog_map_update_elem(fd, &key, &value, flags);
}

static __u32 *prog_lookup(int fd, __u32 key)
{
	return bpfemu_prog_map_lookup_elem(fd, &key);
}

static void expect_null(void *p, int err)
{
	assert_null(p);
	assert_int_equal(errno, err);
}

/* A per-CPU syscall lookup: slot k of the user buffer is CPU k's. */
static void sys_lookup_percpu(int fd, __u32 key, unsigned char *buf)
{
	memset(buf, 0xee, NCPUS * SLOT);
	assert_int_equal(sys_elem(BPF_MAP_LOOKUP_ELEM, fd, key, buf, 0), 0);
}

static __u32 slot_u32(const unsigned char *buf, unsigned int cpu)
{
	__u32 v;

	memcpy(&v, buf + cpu * SLOT, sizeof(v));
	return v;
}

static bool padding_zero(const unsigned char *buf, unsigned int cpu)
{
	static const unsigned char zero[SLOT - VALUE_SIZE];

	return !memcmp(buf + cpu * SLOT + VALUE_SIZE, zero, sizeof(zero));
}

static int group_setup(void **state)
{
	(void)state;
	return bpfemu_set_possible_cpus(NCPUS);
}

static int group_teardown(void **state)
{
	(void)state;
	return bpfemu_set_possible_cpus(0);
}

static int setup_map(void **state, __u32 type, __u32 flags)
{
	int *fd = malloc(sizeof(*fd));

	assert_non_null(fd);
	*fd = create(type, MAX_ENTRIES, flags);
	assert_true(*fd >= 0);
	*state = fd;
	return 0;
}

static int setup_hash(void **state)
{
	return setup_map(state, BPF_MAP_TYPE_HASH, 0);
}

static int setup_percpu_hash(void **state)
{
	return setup_map(state, BPF_MAP_TYPE_PERCPU_HASH, 0);
}

static int setup_array(void **state)
{
	return setup_map(state, BPF_MAP_TYPE_ARRAY, 0);
}

static int setup_percpu_array(void **state)
{
	return setup_map(state, BPF_MAP_TYPE_PERCPU_ARRAY, 0);
}

/* Back to CPU 0, every map gone: nothing leaked. */
static int teardown_map(void **state)
{
	int *fd = *state;

	close(*fd);
	free(fd);
	assert_int_equal(bpfemu_set_current_cpu(0), 0);
	assert_int_equal(bpfemu_live_maps(), 0);
	return 0;
}

static void prog__current_cpu__default_0_possible_only(void **state)
{
	int cpu;

	(void)state;
	assert_int_equal(bpfemu_current_cpu(), 0);
	assert_int_equal(bpfemu_set_current_cpu(NCPUS), -EINVAL);
	assert_int_equal(bpfemu_set_current_cpu(-2), -EINVAL);
	assert_int_equal(bpfemu_current_cpu(), 0);
	assert_int_equal(bpfemu_set_current_cpu(1), 0);
	assert_int_equal(bpfemu_current_cpu(), 1);
	/* -1 follows the host CPU, folded onto the possible ones */
	assert_int_equal(bpfemu_set_current_cpu(-1), 0);
	cpu = bpfemu_current_cpu();
	assert_true(cpu >= 0 && cpu < NCPUS);
	assert_int_equal(bpfemu_set_current_cpu(0), 0);
}

/* A CPU the machine loses stops being the current one. */
static void prog__fewer_possible_cpus__current_back_to_0(void **state)
{
	(void)state;
	assert_int_equal(bpfemu_set_current_cpu(1), 0);
	assert_int_equal(bpfemu_set_possible_cpus(1), 0);
	assert_int_equal(bpfemu_current_cpu(), 0);
	assert_int_equal(bpfemu_set_current_cpu(1), -EINVAL);
	assert_int_equal(bpfemu_set_possible_cpus(NCPUS), 0);
}

/* The pointer is into storage: a store through it is the map's. */
static void prog__hash_lookup_pointer__store_seen_by_syscall(void **state)
{
	int fd = *(int *)*state;
	__u32 *p, v = 0;

	assert_int_equal(prog_update(fd, 7, 0x1111, BPF_NOEXIST), 0);
	p = prog_lookup(fd, 7);
	assert_non_null(p);
	assert_int_equal(*p, 0x1111);
	*p = 0x2222;
	assert_int_equal(sys_elem(BPF_MAP_LOOKUP_ELEM, fd, 7, &v, 0), 0);
	assert_int_equal(v, 0x2222);
	expect_null(prog_lookup(fd, 8), ENOENT);
	assert_int_equal(bpfemu_prog_map_delete_elem(fd, &(__u32){ 7 }), 0);
	assert_int_equal(bpfemu_prog_map_delete_elem(fd, &(__u32){ 7 }),
			 -ENOENT);
	expect_null(prog_lookup(fd, 7), ENOENT);
}

/* hashtab.c: htab_map_update_elem from a program */
static void prog__hash_update_flags__kernel_errnos(void **state)
{
	int fd = *(int *)*state;
	__u32 k;

	assert_int_equal(prog_update(fd, 1, 1, 3), -EINVAL);
	assert_int_equal(prog_update(fd, 1, 1, 1ULL << 32), -EINVAL);
	assert_int_equal(prog_update(fd, 1, 1, BPF_EXIST), -ENOENT);
	assert_int_equal(prog_update(fd, 1, 1, BPF_ANY), 0);
	assert_int_equal(prog_update(fd, 1, 1, BPF_NOEXIST), -EEXIST);
	/* no value has a bpf_spin_lock: EINVAL whatever else is asked */
	assert_int_equal(prog_update(fd, 1, 1, BPF_F_LOCK), -EINVAL);
	assert_int_equal(prog_update(fd, 1, 1, BPF_F_LOCK | BPF_NOEXIST),
			 -EINVAL);
	assert_int_equal(prog_update(fd, 2, 1, BPF_F_LOCK | BPF_EXIST),
			 -EINVAL);
	for (k = 2; k <= MAX_ENTRIES; k++)
		assert_int_equal(prog_update(fd, k, k, BPF_ANY), 0);
	/* full: a new key is E2BIG, an existing one is replaced */
	assert_int_equal(prog_update(fd, 100, 1, BPF_ANY), -E2BIG);
	assert_int_equal(prog_update(fd, 1, 9, BPF_EXIST), 0);
	assert_int_equal(*prog_lookup(fd, 1), 9);
}

/* A frozen map stops syscall writes only. */
static void prog__frozen_map__helper_writes_allowed(void **state)
{
	int fd = *(int *)*state;
	__u32 v = 5;

	assert_int_equal(sys_freeze(fd), 0);
	assert_int_equal(sys_elem(BPF_MAP_UPDATE_ELEM, fd, 1, &v, 0), -EPERM);
	assert_int_equal(prog_update(fd, 1, 6, BPF_ANY), 0);
	assert_int_equal(sys_elem(BPF_MAP_LOOKUP_ELEM, fd, 1, &v, 0), 0);
	assert_int_equal(v, 6);
	assert_int_equal(bpfemu_prog_map_delete_elem(fd, &(__u32){ 1 }), 0);
}

/* One value_size value into the current CPU's slot; a new key zeroes
 * the other CPUs' slots. */
static void prog__percpu_hash_update__current_cpu_slot(void **state)
{
	int fd = *(int *)*state;
	unsigned char buf[NCPUS * SLOT];
	__u32 *p;

	assert_int_equal(bpfemu_set_current_cpu(1), 0);
	assert_int_equal(prog_update(fd, 3, 0xabcd, BPF_NOEXIST), 0);
	sys_lookup_percpu(fd, 3, buf);
	assert_int_equal(slot_u32(buf, 0), 0);
	assert_int_equal(slot_u32(buf, 1), 0xabcd);
	assert_true(padding_zero(buf, 0) && padding_zero(buf, 1));
	p = prog_lookup(fd, 3);
	assert_non_null(p);
	assert_int_equal(*p, 0xabcd);

	/* an existing key: only this CPU's slot changes */
	assert_int_equal(bpfemu_set_current_cpu(0), 0);
	assert_int_equal(prog_update(fd, 3, 0x77, BPF_EXIST), 0);
	sys_lookup_percpu(fd, 3, buf);
	assert_int_equal(slot_u32(buf, 0), 0x77);
	assert_int_equal(slot_u32(buf, 1), 0xabcd);
	assert_int_equal(*prog_lookup(fd, 3), 0x77);

	/* __htab_percpu_map_update_elem: flags > BPF_EXIST, lock too */
	assert_int_equal(prog_update(fd, 3, 1, BPF_F_LOCK), -EINVAL);
	assert_int_equal(prog_update(fd, 3, 1, BPF_NOEXIST), -EEXIST);
}

/* bpf_map_lookup_percpu_elem: any CPU's slot, NULL past the last */
static void prog__percpu_hash_lookup_percpu__cpu_slots(void **state)
{
	int fd = *(int *)*state;
	unsigned char buf[NCPUS * SLOT];
	__u32 key = 3, *p0, *p1;

	memset(buf, 0, sizeof(buf));
	buf[0] = 0x10;
	buf[SLOT] = 0x20;
	assert_int_equal(sys_elem(BPF_MAP_UPDATE_ELEM, fd, key, buf, 0), 0);
	p0 = bpfemu_prog_map_lookup_percpu_elem(fd, &key, 0);
	p1 = bpfemu_prog_map_lookup_percpu_elem(fd, &key, 1);
	assert_non_null(p0);
	assert_non_null(p1);
	assert_int_equal(*p0, 0x10);
	assert_int_equal(*p1, 0x20);
	assert_ptr_equal(prog_lookup(fd, key), p0);
	expect_null(bpfemu_prog_map_lookup_percpu_elem(fd, &key, NCPUS),
		    ENOENT);
	expect_null(bpfemu_prog_map_lookup_percpu_elem(fd, &key, ~0U), ENOENT);
	key = 4;
	expect_null(bpfemu_prog_map_lookup_percpu_elem(fd, &key, 0), ENOENT);
}

/* arraymap.c: array_map_update_elem from a program, array_map_delete_elem */
static void prog__array_update_delete__kernel_errnos(void **state)
{
	int fd = *(int *)*state;
	__u32 v = 0, *p;

	assert_int_equal(prog_update(fd, MAX_ENTRIES, 1, BPF_ANY), -E2BIG);
	assert_int_equal(prog_update(fd, 0, 1, 3), -EINVAL);
	assert_int_equal(prog_update(fd, 0, 1, BPF_NOEXIST), -EEXIST);
	/* BPF_F_LOCK comes after the index and NOEXIST checks */
	assert_int_equal(prog_update(fd, MAX_ENTRIES, 1, BPF_F_LOCK), -E2BIG);
	assert_int_equal(prog_update(fd, 0, 1, BPF_F_LOCK | BPF_NOEXIST),
			 -EEXIST);
	assert_int_equal(prog_update(fd, 0, 1, BPF_F_LOCK), -EINVAL);
	assert_int_equal(prog_update(fd, 2, 0x55, BPF_EXIST), 0);
	assert_int_equal(bpfemu_prog_map_delete_elem(fd, &(__u32){ 2 }),
			 -EINVAL);
	p = prog_lookup(fd, 2);
	assert_non_null(p);
	assert_int_equal(*p, 0x55);
	*p = 0x66;
	assert_int_equal(sys_elem(BPF_MAP_LOOKUP_ELEM, fd, 2, &v, 0), 0);
	assert_int_equal(v, 0x66);
	expect_null(prog_lookup(fd, MAX_ENTRIES), ENOENT);
}

static void prog__percpu_array_update__current_cpu_slot(void **state)
{
	int fd = *(int *)*state;
	unsigned char buf[NCPUS * SLOT];
	__u32 key = 1, *p;

	assert_int_equal(bpfemu_set_current_cpu(1), 0);
	assert_int_equal(prog_update(fd, key, 0x4242, BPF_ANY), 0);
	sys_lookup_percpu(fd, key, buf);
	assert_int_equal(slot_u32(buf, 0), 0);
	assert_int_equal(slot_u32(buf, 1), 0x4242);
	p = prog_lookup(fd, key);
	assert_ptr_equal(p, bpfemu_prog_map_lookup_percpu_elem(fd, &key, 1));
	*p = 0x4343;
	sys_lookup_percpu(fd, key, buf);
	assert_int_equal(slot_u32(buf, 1), 0x4343);
	assert_int_equal(*(__u32 *)bpfemu_prog_map_lookup_percpu_elem(fd, &key,
								      0), 0);
	expect_null(bpfemu_prog_map_lookup_percpu_elem(fd, &key, NCPUS),
		    ENOENT);
	key = MAX_ENTRIES;
	expect_null(bpfemu_prog_map_lookup_percpu_elem(fd, &key, 0), ENOENT);
	assert_int_equal(bpfemu_prog_map_delete_elem(fd, &key), -EINVAL);
}

/* verifier.c: check_map_func_compatibility, on each implemented type */
static void prog__queue_helpers_on_hash_and_array__einval(void **state)
{
	static const __u32 types[] = {
		BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY,
		BPF_MAP_TYPE_PERCPU_HASH, BPF_MAP_TYPE_PERCPU_ARRAY,
	};
	unsigned char value[VALUE_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int fd = create(types[i], MAX_ENTRIES, 0);

		assert_true(fd >= 0);
		memset(value, 0xaa, sizeof(value));
		assert_int_equal(bpfemu_prog_map_push_elem(fd, value, 0),
				 -EINVAL);
		assert_int_equal(bpfemu_prog_map_pop_elem(fd, value), -EINVAL);
		assert_int_equal(bpfemu_prog_map_peek_elem(fd, value),
				 -EINVAL);
		/* the program never ran: nothing written */
		assert_int_equal(value[0], 0xaa);
		assert_int_equal(bpfemu_prog_check(fd, BPF_FUNC_map_pop_elem,
						   0), -EINVAL);
		assert_int_equal(bpfemu_prog_check(fd, BPF_FUNC_tail_call, 0),
				 -EINVAL);
		assert_int_equal(bpfemu_prog_check(fd,
						   BPF_FUNC_map_lookup_elem,
						   BPFEMU_PROG_READ |
						   BPFEMU_PROG_WRITE), 0);
		close(fd);
	}
	assert_int_equal(bpfemu_live_maps(), 0);
}

/* lookup_percpu_elem takes only the per-CPU types */
static void prog__lookup_percpu_on_plain_types__einval(void **state)
{
	__u32 key = 0;
	int fd;

	(void)state;
	fd = create(BPF_MAP_TYPE_HASH, MAX_ENTRIES, 0);
	assert_int_equal(prog_update(fd, key, 1, BPF_ANY), 0);
	expect_null(bpfemu_prog_map_lookup_percpu_elem(fd, &key, 0), EINVAL);
	close(fd);
	fd = create(BPF_MAP_TYPE_ARRAY, MAX_ENTRIES, 0);
	expect_null(bpfemu_prog_map_lookup_percpu_elem(fd, &key, 0), EINVAL);
	assert_int_equal(bpfemu_prog_check(fd, BPF_FUNC_map_lookup_percpu_elem,
					   0), -EINVAL);
	close(fd);
	assert_int_equal(bpfemu_live_maps(), 0);
}

/*
 * verifier.c: record_func_map refuses the writing helpers (EACCES, before
 * the compatibility check), check_map_access_type stores through a
 * looked-up pointer. Reads and the lookup itself stay allowed.
 */
static void prog__rdonly_prog__writes_eacces(void **state)
{
	int fd = *(int *)*state;
	__u32 key = 0, value = 1;

	assert_int_equal(prog_update(fd, key, value, BPF_ANY), -EACCES);
	assert_int_equal(bpfemu_prog_map_delete_elem(fd, &key), -EACCES);
	assert_int_equal(bpfemu_prog_map_push_elem(fd, &value, 0), -EACCES);
	assert_int_equal(bpfemu_prog_map_pop_elem(fd, &value), -EACCES);
	assert_int_equal(bpfemu_prog_map_peek_elem(fd, &value), -EINVAL);
	/* user space is not bound by it */
	assert_int_equal(sys_elem(BPF_MAP_UPDATE_ELEM, fd, key, &value, 0), 0);
	assert_non_null(prog_lookup(fd, key));
	assert_int_equal(bpfemu_prog_check(fd, BPF_FUNC_map_lookup_elem,
					   BPFEMU_PROG_READ), 0);
	assert_int_equal(bpfemu_prog_check(fd, BPF_FUNC_map_lookup_elem,
					   BPFEMU_PROG_WRITE), -EACCES);
	assert_int_equal(bpfemu_prog_check(fd, BPF_FUNC_map_lookup_elem,
					   BPFEMU_PROG_READ |
					   BPFEMU_PROG_WRITE), -EACCES);
}

static void prog__wronly_prog__reads_eacces(void **state)
{
	int fd = *(int *)*state;
	__u32 key = 0;

	assert_int_equal(prog_update(fd, key, 3, BPF_ANY), 0);
	assert_int_equal(bpfemu_prog_check(fd, BPF_FUNC_map_delete_elem, 0),
			 0);
	/* the call loads; a load from the value does not */
	assert_non_null(prog_lookup(fd, key));
	assert_int_equal(bpfemu_prog_check(fd, BPF_FUNC_map_lookup_elem,
					   BPFEMU_PROG_WRITE), 0);
	assert_int_equal(bpfemu_prog_check(fd, BPF_FUNC_map_lookup_elem,
					   BPFEMU_PROG_READ), -EACCES);
}

static int setup_hash_rdonly_prog(void **state)
{
	return setup_map(state, BPF_MAP_TYPE_HASH, BPF_F_RDONLY_PROG);
}

static int setup_array_rdonly_prog(void **state)
{
	return setup_map(state, BPF_MAP_TYPE_ARRAY, BPF_F_RDONLY_PROG);
}

static int setup_hash_wronly_prog(void **state)
{
	return setup_map(state, BPF_MAP_TYPE_HASH, BPF_F_WRONLY_PROG);
}

static int setup_percpu_array_wronly_prog(void **state)
{
	return setup_map(state, BPF_MAP_TYPE_PERCPU_ARRAY, BPF_F_WRONLY_PROG);
}

/* A program's access is the map's, not the fd's (BPF_F_RDONLY fds). */
static void prog__fd_mode__does_not_matter(void **state)
{
	__u32 key = 1, value = 2;
	int rd, wr;

	(void)state;
	rd = create(BPF_MAP_TYPE_HASH, MAX_ENTRIES, BPF_F_RDONLY);
	wr = create(BPF_MAP_TYPE_HASH, MAX_ENTRIES, BPF_F_WRONLY);
	assert_true(rd >= 0 && wr >= 0);
	assert_int_equal(sys_elem(BPF_MAP_UPDATE_ELEM, rd, key, &value, 0),
			 -EPERM);
	assert_int_equal(prog_update(rd, key, value, BPF_ANY), 0);
	assert_int_equal(*prog_lookup(rd, key), value);
	assert_int_equal(sys_elem(BPF_MAP_LOOKUP_ELEM, wr, key, &value, 0),
			 -EPERM);
	assert_int_equal(prog_update(wr, key, value, BPF_ANY), 0);
	assert_int_equal(*prog_lookup(wr, key), value);
	assert_int_equal(bpfemu_prog_check(rd, BPF_FUNC_map_update_elem, 0), 0);
	close(rd);
	close(wr);
	assert_int_equal(bpfemu_live_maps(), 0);
}

/* resolve_pseudo_ldimm64: EBADF for no fd, EINVAL for a non-map fd */
static void prog__bad_fd__ebadf_or_einval(void **state)
{
	__u32 key = 0, value = 0;
	int fd, other;

	(void)state;
	fd = create(BPF_MAP_TYPE_ARRAY, MAX_ENTRIES, 0);
	close(fd);
	assert_int_equal(prog_update(fd, key, value, BPF_ANY), -EBADF);
	assert_int_equal(prog_update(-1, key, value, BPF_ANY), -EBADF);
	expect_null(prog_lookup(fd, key), EBADF);
	expect_null(bpfemu_prog_map_lookup_percpu_elem(-1, &key, 0), EBADF);
	assert_int_equal(bpfemu_prog_map_delete_elem(fd, &key), -EBADF);
	assert_int_equal(bpfemu_prog_map_pop_elem(fd, &value), -EBADF);
	assert_int_equal(bpfemu_prog_check(fd, BPF_FUNC_map_lookup_elem, 0),
			 -EBADF);
	other = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(other >= 0);
	assert_int_equal(prog_update(other, key, value, BPF_ANY), -EINVAL);
	expect_null(prog_lookup(other, key), EINVAL);
	assert_int_equal(bpfemu_prog_map_push_elem(other, &value, 0), -EINVAL);
	assert_int_equal(bpfemu_prog_check(other, BPF_FUNC_map_lookup_elem,
					   0), -EINVAL);
	close(other);
	assert_int_equal(bpfemu_live_maps(), 0);
}

/* bpfemu_prog_check's own contract: helper ids, access bits, NULLs */
static void prog__check_arguments__einval_or_eacces(void **state)
{
	int fd = *(int *)*state;
	__u32 key = 0;

	assert_int_equal(bpfemu_prog_check(fd, 0, 0), -EINVAL);
	assert_int_equal(bpfemu_prog_check(fd, -1, 0), -EINVAL);
	assert_int_equal(bpfemu_prog_check(fd, FUNC_MAX_ID, 0), -EINVAL);
	assert_int_equal(bpfemu_prog_check(fd, BPF_FUNC_map_lookup_elem, 4),
			 -EINVAL);
	/* an update returns an integer: nothing to load from */
	assert_int_equal(bpfemu_prog_check(fd, BPF_FUNC_map_update_elem,
					   BPFEMU_PROG_READ), -EACCES);
	assert_int_equal(bpfemu_prog_check(fd, BPF_FUNC_map_delete_elem, 0),
			 0);
	/* the verifier refuses a NULL key or value argument */
	expect_null(bpfemu_prog_map_lookup_elem(fd, NULL), EACCES);
	assert_int_equal(bpfemu_prog_map_update_elem(fd, &key, NULL, 0),
			 -EACCES);
	assert_int_equal(bpfemu_prog_map_update_elem(fd, NULL, &key, 0),
			 -EACCES);
	assert_int_equal(bpfemu_prog_map_delete_elem(fd, NULL), -EACCES);
	assert_int_equal(bpfemu_prog_map_pop_elem(fd, NULL), -EACCES);
}

#define T(fn, setup) cmocka_unit_test_setup_teardown(fn, setup, teardown_map)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prog__current_cpu__default_0_possible_only),
		cmocka_unit_test(prog__fewer_possible_cpus__current_back_to_0),
		T(prog__hash_lookup_pointer__store_seen_by_syscall,
		  setup_hash),
		T(prog__hash_update_flags__kernel_errnos, setup_hash),
		T(prog__frozen_map__helper_writes_allowed, setup_hash),
		T(prog__percpu_hash_update__current_cpu_slot,
		  setup_percpu_hash),
		T(prog__percpu_hash_lookup_percpu__cpu_slots,
		  setup_percpu_hash),
		T(prog__array_update_delete__kernel_errnos, setup_array),
		T(prog__percpu_array_update__current_cpu_slot,
		  setup_percpu_array),
		cmocka_unit_test(prog__queue_helpers_on_hash_and_array__einval),
		cmocka_unit_test(prog__lookup_percpu_on_plain_types__einval),
		T(prog__rdonly_prog__writes_eacces, setup_hash_rdonly_prog),
		T(prog__rdonly_prog__writes_eacces, setup_array_rdonly_prog),
		T(prog__wronly_prog__reads_eacces, setup_hash_wronly_prog),
		T(prog__wronly_prog__reads_eacces,
		  setup_percpu_array_wronly_prog),
		cmocka_unit_test(prog__fd_mode__does_not_matter),
		cmocka_unit_test(prog__bad_fd__ebadf_or_einval),
		T(prog__check_arguments__einval_or_eacces, setup_hash),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("prog", tests, group_setup,
					   group_teardown);
}

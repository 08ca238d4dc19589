// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Running out: every allocation a command makes is failed in turn (the
 * test's malloc family wraps the process's and fails the one a countdown
 * names), and the fd table is filled (RLIMIT_NOFILE). Each failure must
 * come back as the command's ENOMEM or EMFILE, with nothing left behind:
 * no map, element, pin or mapping half made, nothing leaked (make
 * valgrind and make asan run this test too).
 *
 * Tables of the emulator's own (maps by id and by inode, the bpffs nodes)
 * are uthash's, which exits the process when it cannot allocate: the
 * group keeps a map and a bpffs directory alive, so that those tables
 * exist and no command here makes or grows one.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <cmocka.h>

#include "bpfemu.h"

#define ATTR_SIZE	168

/* --- allocation failure injection ------------------------------------ */

static void *(*next_malloc)(size_t);
static void *(*next_calloc)(size_t, size_t);
static void *(*next_realloc)(void *, size_t);
static void (*next_free)(void *);

static int fail_in = -1;	/* allocations to let by; -1: none fails */
static bool failed;		/* the armed allocation was failed */

/* dlsym() may allocate before the next malloc is known: a static arena */
static unsigned char boot[4096] __attribute__((aligned(16)));
static size_t boot_used;

static void *boot_alloc(size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (n > sizeof(boot) - boot_used)
		return NULL;
	p = boot + boot_used;
	boot_used += n;
	return p;
}

static bool from_boot(const void *p)
{
	return (const unsigned char *)p >= boot &&
	       (const unsigned char *)p < boot + sizeof(boot);
}

static bool resolve(void)
{
	static bool resolving;

	if (next_free)
		return true;
	if (resolving)
		return false;
	resolving = true;
	next_malloc = dlsym(RTLD_NEXT, "malloc");
	next_calloc = dlsym(RTLD_NEXT, "calloc");
	next_realloc = dlsym(RTLD_NEXT, "realloc");
	next_free = dlsym(RTLD_NEXT, "free");
	resolving = false;
	return next_free;
}

static bool inject(void)
{
	if (fail_in < 0 || fail_in-- > 0)
		return false;
	failed = true;
	errno = ENOMEM;
	return true;
}

void *malloc(size_t n)
{
	if (!resolve())
		return boot_alloc(n);
	return inject() ? NULL : next_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	if (!resolve())
		return boot_alloc(n * size);	/* the arena is zeroed */
	return inject() ? NULL : next_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	if (!resolve() || from_boot(p))
		abort();	/* nobody grows what dlsym allocated */
	return inject() ? NULL : next_realloc(p, n);
}

void free(void *p)
{
	if (p && !from_boot(p) && resolve())
		next_free(p);
}

/* The n-th allocation from now fails (n = 0: the next one). */
static void arm(int n)
{
	failed = false;
	fail_in = n;
}

/* Disarms; true if an allocation was failed. */
static bool disarm(void)
{
	fail_in = -1;
	return failed;
}

/*
 * valgrind replaces the malloc family of the program itself: then no
 * allocation can be failed, and the tests that need it say so and skip.
 */
static void need_injection(void)
{
	void *(*volatile alloc)(size_t) = malloc;
	void *p;

	arm(0);
	p = alloc(16);
	if (disarm())
		return;
	free(p);
	print_message("allocation failure injection unavailable (malloc "
		      "replaced, as valgrind does): skipped\n");
	skip();
}

/* --- the commands ----------------------------------------------------- */

/* The 6.1 header's union bpf_attr is shorter than 6.18's 168 bytes. */
static long sys(int cmd, union bpf_attr *attr)
{
	struct {
		union bpf_attr attr;
		unsigned char pad[ATTR_SIZE];
	} buf;
	long ret;

	memset(&buf, 0, sizeof(buf));
	buf.attr = *attr;
	ret = bpfemu_sys_bpf(cmd, &buf.attr, ATTR_SIZE);
	*attr = buf.attr;	/* what the command wrote back */
	return ret;
}

static void map_attr(union bpf_attr *attr, __u32 type, __u32 max_entries,
		     __u32 flags)
{
	memset(attr, 0, sizeof(*attr));
	attr->map_type = type;
	attr->key_size = 4;
	attr->value_size = 8;
	attr->max_entries = max_entries;
	attr->map_flags = flags;
}

static int create(__u32 type, __u32 max_entries, __u32 flags)
{
	union bpf_attr attr;

	map_attr(&attr, type, max_entries, flags);
	return sys(BPF_MAP_CREATE, &attr);
}

static long elem(int cmd, int fd, const void *key, void *value, __u64 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (uintptr_t)key;
	attr.value = (uintptr_t)value;
	attr.flags = flags;
	return sys(cmd, &attr);
}

static void expect_err(long ret, int err)
{
	assert_int_equal(ret, -1);
	assert_int_equal(errno, err);
}

static int keep_fd = -1;	/* they keep the emulator's tables alive */
static char keep_dir[64];

static int group_setup(void **state)
{
	(void)state;
	keep_fd = create(BPF_MAP_TYPE_ARRAY, 1, 0);
	snprintf(keep_dir, sizeof(keep_dir), "%s/keep", bpfemu_bpffs_root());
	if (keep_fd < 0)
		return -1;
	return bpfemu_mkdir(keep_dir, 0700);
}

static int group_teardown(void **state)
{
	(void)state;
	close(keep_fd);
	return bpfemu_rmdir(keep_dir);
}

/* MAP_CREATE of each kind, every allocation failed in turn. */
static void enomem__create__no_map_left(void **state)
{
	static const struct { __u32 type, flags; } kinds[] = {
		{ BPF_MAP_TYPE_ARRAY, 0 },
		{ BPF_MAP_TYPE_ARRAY, BPF_F_MMAPABLE },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 0 },
		{ BPF_MAP_TYPE_HASH, 0 },
		{ BPF_MAP_TYPE_HASH, BPF_F_NO_PREALLOC },
		{ BPF_MAP_TYPE_PERCPU_HASH, 0 },
		{ BPF_MAP_TYPE_PERCPU_HASH, BPF_F_NO_PREALLOC },
	};
	unsigned int live = bpfemu_live_maps(), k;
	int n, fd;

	(void)state;
	need_injection();
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (n = 0; ; n++) {
			arm(n);
			fd = create(kinds[k].type, 4, kinds[k].flags);
			if (!disarm())
				break;
			expect_err(fd, ENOMEM);
			assert_int_equal(bpfemu_live_maps(), live);
		}
		assert_true(n > 0);	/* it did allocate */
		assert_true(fd >= 0);
		close(fd);
	}
}

/* One element command, every allocation failed in turn; then it runs. */
static void sweep_elem(int cmd, int fd, __u32 key, void *value, __u64 flags,
		       int want)
{
	long ret;
	int n;

	for (n = 0; ; n++) {
		arm(n);
		ret = elem(cmd, fd, &key, value, flags);
		if (!disarm())
			break;
		expect_err(ret, ENOMEM);
	}
	assert_true(n > 0);
	if (want)
		expect_err(ret, want);
	else
		assert_int_equal(ret, 0);
}

static void enomem__element_commands__map_unchanged(void **state)
{
	static const struct { __u32 type, flags; } kinds[] = {
		{ BPF_MAP_TYPE_HASH, 0 },
		{ BPF_MAP_TYPE_HASH, BPF_F_NO_PREALLOC },
		{ BPF_MAP_TYPE_PERCPU_HASH, BPF_F_NO_PREALLOC },
		{ BPF_MAP_TYPE_ARRAY, 0 },
	};
	__u64 val[64] = { 0x1234 }, out[64];
	unsigned int k;
	int fd;

	(void)state;
	need_injection();
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		bool hash = kinds[k].type != BPF_MAP_TYPE_ARRAY;

		fd = create(kinds[k].type, 4, kinds[k].flags);
		assert_true(fd >= 0);
		sweep_elem(BPF_MAP_UPDATE_ELEM, fd, 1, val, 0, 0);
		sweep_elem(BPF_MAP_UPDATE_ELEM, fd, 1, val, BPF_EXIST, 0);
		out[0] = 0;
		sweep_elem(BPF_MAP_LOOKUP_ELEM, fd, 1, out, 0, 0);
		assert_int_equal(out[0], 0x1234);
		/* the only key of a hash map has no next one */
		sweep_elem(BPF_MAP_GET_NEXT_KEY, fd, 1, out, 0,
			   hash ? ENOENT : 0);
		if (hash) {
			sweep_elem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, 1, out,
				   0, 0);
			sweep_elem(BPF_MAP_LOOKUP_ELEM, fd, 1, out, 0, ENOENT);
		} else {
			sweep_elem(BPF_MAP_DELETE_ELEM, fd, 1, NULL, 0, EINVAL);
		}
		close(fd);
	}
}

/*
 * One batch command, every allocation failed in turn; then it runs. A
 * failed command reports the elements it did before (count); those a
 * failed LOOKUP_AND_DELETE_BATCH took out are gone, so the counts add up
 * to what was there.
 */
static long sweep_batch(int cmd, int fd, __u32 *keys, __u64 *values)
{
	union bpf_attr attr;
	__u32 cookie, taken = 0;
	long ret;
	int n;

	for (n = 0; ; n++) {
		memset(&attr, 0, sizeof(attr));
		attr.batch.map_fd = fd;
		attr.batch.out_batch = (uintptr_t)&cookie;
		attr.batch.keys = (uintptr_t)keys;
		attr.batch.values = (uintptr_t)values;
		attr.batch.count = 4;
		arm(n);
		ret = sys(cmd, &attr);
		if (!disarm())
			break;
		expect_err(ret, ENOMEM);
		if (cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH)
			taken += attr.batch.count;
	}
	assert_true(n > 0);
	/* a walk that reaches the last element ends with ENOENT */
	if (ret && errno == ENOENT && cmd != BPF_MAP_DELETE_BATCH)
		ret = 0;
	assert_int_equal(ret, 0);
	return taken + attr.batch.count;
}

static void enomem__batch_commands__then_complete(void **state)
{
	__u32 keys[4] = { 0, 1, 2, 3 }, out_keys[4];
	__u64 vals[4] = { 5, 6, 7, 8 }, out_vals[4];
	int fd;

	(void)state;
	need_injection();
	fd = create(BPF_MAP_TYPE_HASH, 4, 0);
	assert_int_equal(sweep_batch(BPF_MAP_UPDATE_BATCH, fd, keys, vals), 4);
	assert_int_equal(sweep_batch(BPF_MAP_LOOKUP_BATCH, fd, out_keys,
				     out_vals), 4);
	assert_int_equal(sweep_batch(BPF_MAP_LOOKUP_AND_DELETE_BATCH, fd,
				     out_keys, out_vals), 4);
	assert_int_equal(sweep_batch(BPF_MAP_UPDATE_BATCH, fd, keys, vals), 4);
	assert_int_equal(sweep_batch(BPF_MAP_DELETE_BATCH, fd, keys, NULL), 4);
	close(fd);
	fd = create(BPF_MAP_TYPE_ARRAY, 4, 0);
	assert_int_equal(sweep_batch(BPF_MAP_UPDATE_BATCH, fd, keys, vals), 4);
	assert_int_equal(sweep_batch(BPF_MAP_LOOKUP_BATCH, fd, out_keys,
				     out_vals), 4);
	assert_memory_equal(out_vals, vals, sizeof(vals));
	close(fd);
}

/* A pin or a directory: nothing appears when an allocation fails. */
static void enomem__pin_and_mkdir__nothing_made(void **state)
{
	union bpf_attr attr;
	char path[128];
	long ret;
	int fd, n;

	(void)state;
	need_injection();
	fd = create(BPF_MAP_TYPE_ARRAY, 1, 0);
	snprintf(path, sizeof(path), "%s/p", keep_dir);
	for (n = 0; ; n++) {
		memset(&attr, 0, sizeof(attr));
		attr.pathname = (uintptr_t)path;
		attr.bpf_fd = fd;
		arm(n);
		ret = sys(BPF_OBJ_PIN, &attr);
		if (!disarm())
			break;
		expect_err(ret, ENOMEM);
		memset(&attr, 0, sizeof(attr));
		attr.pathname = (uintptr_t)path;
		expect_err(sys(BPF_OBJ_GET, &attr), ENOENT);
	}
	assert_true(n > 0);
	assert_int_equal(ret, 0);
	assert_int_equal(bpfemu_unlink(path), 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/d", keep_dir);
	for (n = 0; ; n++) {
		arm(n);
		ret = bpfemu_mkdir(path, 0700);
		if (!disarm())
			break;
		expect_err(ret, ENOMEM);
		expect_err(bpfemu_rmdir(path), ENOENT);
	}
	assert_true(n > 0);
	assert_int_equal(ret, 0);
	assert_int_equal(bpfemu_rmdir(path), 0);
}

/*
 * A mapping, and a munmap(2) that would cut one in two: when the emulator
 * cannot count the new piece the call fails, and no writer is left over
 * once everything is unmapped (freeze works).
 */
static void enomem__mmap_and_split__no_writer_left(void **state)
{
	union bpf_attr attr;
	char *p = MAP_FAILED;
	int fd, n, ret;

	(void)state;
	need_injection();
	fd = create(BPF_MAP_TYPE_ARRAY, 1536, BPF_F_MMAPABLE);
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	for (n = 0; ; n++) {
		arm(n);
		p = bpfemu_mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
				MAP_SHARED, fd, 0);
		if (!disarm())
			break;
		assert_ptr_equal(p, MAP_FAILED);
		assert_int_equal(errno, ENOMEM);
	}
	assert_true(n > 0);
	assert_ptr_not_equal(p, MAP_FAILED);
	arm(0);
	ret = bpfemu_munmap(p + 4096, 4096);
	assert_true(disarm());
	expect_err(ret, ENOMEM);
	expect_err(sys(BPF_MAP_FREEZE, &attr), EBUSY);
	assert_int_equal(bpfemu_munmap(p, 3 * 4096), 0);
	assert_int_equal(sys(BPF_MAP_FREEZE, &attr), 0);
	close(fd);
}

/* A program's insert into a BPF_F_NO_PREALLOC map allocates too. */
static void enomem__prog_update__no_element(void **state)
{
	static const __u32 types[] = {
		BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_PERCPU_HASH,
	};
	__u64 val = 42, *p;
	__u32 key;
	unsigned int t;
	long ret;
	int fd, n;

	(void)state;
	need_injection();
	for (t = 0; t < 2; t++) {
		fd = create(types[t], 8, BPF_F_NO_PREALLOC);
		/* the per-CPU caches refill as they empty: insert a few */
		for (key = 0; key < 6; key++) {
			for (n = 0; ; n++) {
				arm(n);
				ret = bpfemu_prog_map_update_elem(fd, &key,
								  &val, 0);
				if (!disarm())
					break;
				assert_int_equal(ret, -ENOMEM);
				assert_null(bpfemu_prog_map_lookup_elem(fd,
									&key));
			}
			assert_int_equal(ret, 0);
			p = bpfemu_prog_map_lookup_elem(fd, &key);
			assert_non_null(p);
			assert_int_equal(*p, 42);
		}
		close(fd);
	}
}

/* --- the fd table full ------------------------------------------------ */

static struct rlimit saved_nofile;

/* Lowers RLIMIT_NOFILE to the lowest free fd + room. */
static void fds_limit(int room)
{
	struct rlimit rl;
	int lowest = open("/dev/null", O_RDONLY | O_CLOEXEC);

	close(lowest);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved_nofile), 0);
	rl = saved_nofile;
	rl.rlim_cur = lowest + room;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
}

static void fds_restore(void)
{
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved_nofile), 0);
}

static int fill_lo, fill_hi;	/* fds_fill_upper_half()'s fds */

/*
 * With L the lowest free fd, a limit of 2L + 4 and every fd from L + 2
 * up taken: two free fds, both below the half where memfds go.
 */
static void fds_fill_upper_half(void)
{
	int lowest = open("/dev/null", O_RDONLY | O_CLOEXEC), fd;

	close(lowest);
	fds_limit(lowest + 4);
	fill_lo = lowest + 2;
	while ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		fill_hi = fd;
	assert_int_equal(errno, EMFILE);
	close(lowest);
	close(lowest + 1);
}

static void fds_unfill(void)
{
	int fd;

	for (fd = fill_lo; fd <= fill_hi; fd++)
		close(fd);
	fds_restore();
}

/*
 * Out of fds, MAP_CREATE, OBJ_GET and MAP_GET_FD_BY_ID answer EMFILE
 * (anon_inode_getfd), and a map made in vain is gone. The emulator's own
 * memfd (its "anchor") normally sits in the upper half of the table; with
 * no room there it stays low and the map still works.
 */
static void emfile__fd_commands__emfile_nothing_left(void **state)
{
	unsigned int live = bpfemu_live_maps();
	union bpf_attr attr;
	char path[128];
	__u32 key = 0, id;
	__u64 val = 3;
	unsigned char info[104] = { 0 };
	int fd, fd2;

	(void)state;
	fd = create(BPF_MAP_TYPE_ARRAY, 1, 0);
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uintptr_t)info;
	assert_int_equal(sys(BPF_OBJ_GET_INFO_BY_FD, &attr), 0);
	memcpy(&id, info + 4, sizeof(id));
	snprintf(path, sizeof(path), "%s/f", keep_dir);
	memset(&attr, 0, sizeof(attr));
	attr.pathname = (uintptr_t)path;
	attr.bpf_fd = fd;
	assert_int_equal(sys(BPF_OBJ_PIN, &attr), 0);

	fds_limit(0);
	expect_err(create(BPF_MAP_TYPE_ARRAY, 1, 0), EMFILE);
	expect_err(create(BPF_MAP_TYPE_ARRAY, 1, BPF_F_MMAPABLE), EMFILE);
	expect_err(create(BPF_MAP_TYPE_HASH, 1, 0), EMFILE);
	memset(&attr, 0, sizeof(attr));
	attr.pathname = (uintptr_t)path;
	expect_err(sys(BPF_OBJ_GET, &attr), EMFILE);
	memset(&attr, 0, sizeof(attr));
	attr.map_id = id;
	expect_err(sys(BPF_MAP_GET_FD_BY_ID, &attr), EMFILE);
	fds_restore();
	assert_int_equal(bpfemu_live_maps(), live + 1);

	/* room for the memfd only: the map's fd is EMFILE, the map gone */
	fds_limit(1);
	expect_err(create(BPF_MAP_TYPE_HASH, 1, 0), EMFILE);
	fds_restore();
	assert_int_equal(bpfemu_live_maps(), live + 1);

	/* room for the map's fd and its memfd, none in the upper half */
	fds_fill_upper_half();
	fd2 = create(BPF_MAP_TYPE_HASH, 1, 0);
	fds_unfill();
	assert_true(fd2 >= 0);
	assert_int_equal(elem(BPF_MAP_UPDATE_ELEM, fd2, &key, &val, 0), 0);
	val = 0;
	assert_int_equal(elem(BPF_MAP_LOOKUP_ELEM, fd2, &key, &val, 0), 0);
	assert_int_equal(val, 3);
	close(fd2);
	assert_int_equal(bpfemu_unlink(path), 0);
	close(fd);
	assert_int_equal(bpfemu_live_maps(), live);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enomem__create__no_map_left),
		cmocka_unit_test(enomem__element_commands__map_unchanged),
		cmocka_unit_test(enomem__batch_commands__then_complete),
		cmocka_unit_test(enomem__pin_and_mkdir__nothing_made),
		cmocka_unit_test(enomem__mmap_and_split__no_writer_left),
		cmocka_unit_test(enomem__prog_update__no_element),
		cmocka_unit_test(emfile__fd_commands__emfile_nothing_left),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("exhaustion", tests, group_setup,
					   group_teardown);
}

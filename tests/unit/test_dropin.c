// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The drop-in library's own faces: libbpf's map API (emu/libbpf_shim.c)
 * and the libc calls it takes over (emu/libc_shim.c). What only the
 * library shows: libbpf's opts checks (OPTS_VALID), its error convention
 * (a negative errno, errno set), which attr fields each call fills, and
 * which paths and mappings go to the emulator rather than the host. The
 * libbpf answers pinned here are libbpf 1.1.2's on the 6.18 kernel (the
 * same calls linked with -lbpf give them). The kernel rules behind these
 * calls are the corpus' business, and test_twin's for mremap(2).
 *
 * The Makefile links unit tests with the emulator's core objects only,
 * so the drop-in's two files are compiled into this test.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include "libbpf_shim.c"
#include "libc_shim.c"

#define BAD_FD		0x7ffffff0	/* an fd number nobody has */

static char host_dir[64];	/* a host directory: the emulated mount point */

static int group_setup(void **state)
{
	(void)state;
	snprintf(host_dir, sizeof(host_dir), "/tmp/bpfemu-dropin.XXXXXX");
	if (!mkdtemp(host_dir))
		return -1;
	return setenv("BPFEMU_BPFFS", host_dir, 1);
}

static int group_teardown(void **state)
{
	(void)state;
	unsetenv("BPFEMU_BPFFS");	/* host_dir is a host path again */
	return rmdir(host_dir);
}

static void expect_err(long ret, int err)
{
	assert_int_equal(ret, -err);
	assert_int_equal(errno, err);
}

static int array_create(__u32 max_entries, __u32 flags)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = flags);

	return bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, max_entries,
			      &opts);
}

/* An opts struct with room past its known fields. */
#define OPTS_BUF(type) struct { struct type o; unsigned char tail[16]; }

static void libbpf__opts_smaller_than_sz__einval(void **state)
{
	OPTS_BUF(bpf_map_create_opts) c = { .o.sz = 4 };
	OPTS_BUF(bpf_map_batch_opts) b = { .o.sz = 4 };
	OPTS_BUF(bpf_obj_get_opts) g = { .o.sz = 2 };
	OPTS_BUF(bpf_get_fd_by_id_opts) i = { .o.sz = 7 };
	__u32 key = 0, count = 1;
	__u64 val = 0;
	int fd;

	(void)state;
	expect_err(bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 1, &c.o),
		   EINVAL);
	fd = array_create(1, 0);
	assert_true(fd >= 0);
	expect_err(bpf_map_update_batch(fd, &key, &val, &count, &b.o), EINVAL);
	assert_int_equal(count, 1);	/* refused before the call */
	expect_err(bpf_obj_get_opts("/nowhere", &g.o), EINVAL);
	expect_err(bpf_map_get_fd_by_id_opts(1, &i.o), EINVAL);
	close(fd);
}

static void libbpf__opts_tail__zero_ok_nonzero_einval(void **state)
{
	OPTS_BUF(bpf_map_create_opts) c = { .o.sz = sizeof(c) };
	OPTS_BUF(bpf_map_batch_opts) b = { .o.sz = sizeof(b) };
	OPTS_BUF(bpf_obj_get_opts) g = { .o.sz = sizeof(g) };
	OPTS_BUF(bpf_get_fd_by_id_opts) i = { .o.sz = sizeof(i) };
	__u32 key = 0, count = 1;
	__u64 val = 0;
	int fd;

	(void)state;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 1, &c.o);
	assert_true(fd >= 0);
	assert_int_equal(bpf_map_update_batch(fd, &key, &val, &count, &b.o), 0);
	c.tail[15] = 1;
	b.tail[0] = 1;
	g.tail[3] = 1;
	i.tail[8] = 1;
	expect_err(bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 1, &c.o),
		   EINVAL);
	expect_err(bpf_map_update_batch(fd, &key, &val, &count, &b.o), EINVAL);
	expect_err(bpf_map_lookup_batch(fd, NULL, &key, &key, &val, &count,
					&b.o), EINVAL);
	expect_err(bpf_obj_get_opts("/nowhere", &g.o), EINVAL);
	expect_err(bpf_map_get_fd_by_id_opts(1, &i.o), EINVAL);
	close(fd);
}

/* OPTS_GET: a field past the caller's sz is not read (an older caller). */
static void libbpf__opts_field_past_sz__not_read(void **state)
{
	struct bpf_map_create_opts o = {
		.sz = offsetofend(struct bpf_map_create_opts, map_flags),
		.map_extra = 1,	/* EINVAL for an ARRAY, were it read */
		.token_fd = BAD_FD,
	};
	struct bpf_map_batch_opts b = {
		.sz = sizeof(size_t), .elem_flags = BPF_F_LOCK, .flags = 1,
	};
	struct bpf_obj_get_opts g = { .sz = sizeof(size_t), .file_flags = 1 };
	struct bpf_get_fd_by_id_opts i = {
		.sz = sizeof(size_t), .open_flags = 1,
	};
	char path[128];
	__u32 key = 0, count = 1;
	__u64 val = 0;
	int fd, fd2;

	(void)state;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 1, &o);
	assert_true(fd >= 0);
	assert_int_equal(bpf_map_update_batch(fd, &key, &val, &count, &b), 0);
	snprintf(path, sizeof(path), "%s/opts", host_dir);
	assert_int_equal(bpf_obj_pin(fd, path), 0);
	fd2 = bpf_obj_get_opts(path, &g);
	assert_true(fd2 >= 0);
	close(fd2);
	assert_int_equal(unlink(path), 0);
	close(fd);
	fd2 = bpf_map_get_fd_by_id_opts(BAD_FD, &i);
	expect_err(fd2, ENOENT);
}

/* libbpf: a token fd in the opts brings BPF_F_TOKEN_FD with it. */
static void libbpf__token_fd__sets_the_flag(void **state)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .token_fd = BAD_FD);

	(void)state;
	expect_err(bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 8, 1, &o),
		   EBADF);
}

static void libbpf__map_name__null_or_cut_to_15(void **state)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	int fd;

	(void)state;
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "a_very_long_name_here", 4, 8,
			    1, NULL);
	assert_true(fd >= 0);
	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_map_get_info_by_fd(fd, &info, &len), 0);
	assert_int_equal(len, sizeof(info));
	assert_string_equal(info.name, "a_very_long_nam");
	close(fd);
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, NULL, 4, 8, 1, NULL);
	assert_true(fd >= 0);
	len = sizeof(info);
	assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	assert_string_equal(info.name, "");
	close(fd);
	len = sizeof(info);
	expect_err(bpf_obj_get_info_by_fd(fd, &info, &len), EBADFD);
	assert_int_equal(len, sizeof(info));	/* untouched on error */
}

static void libbpf__elem_flags_calls__pass_flags(void **state)
{
	__u32 key = 0;
	__u64 val = 7;
	int fd;

	(void)state;
	fd = array_create(2, 0);
	assert_true(fd >= 0);
	assert_int_equal(bpf_map_update_elem(fd, &key, &val, BPF_ANY), 0);
	expect_err(bpf_map_delete_elem_flags(fd, &key, BPF_F_LOCK), EINVAL);
	expect_err(bpf_map_lookup_and_delete_elem_flags(fd, &key, &val,
							BPF_F_LOCK), EINVAL);
	expect_err(bpf_map_lookup_and_delete_elem_flags(fd, &key, &val, 0),
		   ENOTSUPP);
	close(fd);
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, NULL, 4, 8, 2, NULL);
	assert_int_equal(bpf_map_update_elem(fd, &key, &val, BPF_ANY), 0);
	val = 0;
	assert_int_equal(bpf_map_lookup_and_delete_elem_flags(fd, &key, &val,
							      0), 0);
	assert_int_equal(val, 7);
	expect_err(bpf_map_delete_elem_flags(fd, &key, 0), ENOENT);
	close(fd);
}

/* The batch calls write count back, also when they fail. */
static void libbpf__batch_calls__count_written_back(void **state)
{
	__u32 keys[4] = { 1, 2, 3, 4 }, out_keys[4], count, cookie;
	__u64 vals[4] = { 11, 12, 13, 14 }, out_vals[4];
	int fd;

	(void)state;
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, NULL, 4, 8, 4, NULL);
	count = 4;
	assert_int_equal(bpf_map_update_batch(fd, keys, vals, &count, NULL),
			 0);
	count = 4;
	expect_err(bpf_map_lookup_and_delete_batch(fd, NULL, &cookie,
						   out_keys, out_vals, &count,
						   NULL), ENOENT);
	assert_int_equal(count, 4);	/* all of them, then the end */
	count = 2;
	expect_err(bpf_map_delete_batch(fd, keys, &count, NULL), ENOENT);
	assert_int_equal(count, 0);	/* the first key is gone already */
	close(fd);
	fd = array_create(4, 0);
	count = 2;
	expect_err(bpf_map_delete_batch(fd, keys, &count, NULL), ENOTSUPP);
	assert_int_equal(count, 2);	/* refused before any element */
	close(fd);
}

static void libbpf__ids__next_id_and_fd_by_id(void **state)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info), id = 0, next = 0;
	int fd, fd2;

	(void)state;
	fd = array_create(1, 0);
	memset(&info, 0, sizeof(info));
	assert_int_equal(bpf_map_get_info_by_fd(fd, &info, &len), 0);
	assert_int_equal(bpf_map_get_next_id(info.id - 1, &id), 0);
	assert_int_equal(id, info.id);
	next = 12345;
	expect_err(bpf_map_get_next_id(info.id, &next), ENOENT);
	assert_int_equal(next, 12345);	/* untouched on error */
	fd2 = bpf_map_get_fd_by_id(info.id);
	assert_true(fd2 >= 0);
	close(fd2);
	close(fd);
	expect_err(bpf_map_get_fd_by_id(info.id), ENOENT);
	assert_int_equal(libbpf_num_possible_cpus(),
			 bpfemu_num_possible_cpus());
}

static void libbpf__obj_get__plain_and_missing(void **state)
{
	char path[128];
	int fd, fd2;

	(void)state;
	snprintf(path, sizeof(path), "%s/pinned", host_dir);
	fd = array_create(1, 0);
	assert_int_equal(bpf_obj_pin(fd, path), 0);
	fd2 = bpf_obj_get(path);
	assert_true(fd2 >= 0);
	close(fd2);
	assert_int_equal(unlink(path), 0);
	expect_err(bpf_obj_get(path), ENOENT);
	close(fd);
}

static bool host_exists(const char *path)
{
	struct stat st;

	return !syscall(SYS_newfstatat, AT_FDCWD, path, &st, 0);
}

/*
 * Paths at or under the emulated mount point go to the emulator,
 * relative ones too (resolved against the cwd); nothing appears on the
 * host. Every other path is the host's.
 */
static void libc__bpffs_paths__emulated_others_host(void **state)
{
	char path[128], cwd[256], host_sub[128];
	int rootfd;

	(void)state;
	snprintf(path, sizeof(path), "%s/dir", host_dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_false(host_exists(path));
	assert_int_equal(mkdir(path, 0700), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(mkdir(host_dir, 0700), -1);	/* the mount point */
	assert_int_equal(errno, EEXIST);
	assert_true(getcwd(cwd, sizeof(cwd)) != NULL);
	assert_int_equal(chdir(host_dir), 0);
	assert_int_equal(mkdir("rel", 0700), 0);
	assert_false(host_exists("rel"));
	assert_int_equal(unlink("rel"), -1);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(rmdir("rel"), 0);
	assert_int_equal(chdir(cwd), 0);
	/* a dirfd other than AT_FDCWD: the host's, even under bpffs */
	rootfd = open("/", O_PATH | O_CLOEXEC);
	assert_int_equal(mkdirat(rootfd, path + 1, 0700), 0);
	close(rootfd);
	assert_true(host_exists(path));
	assert_int_equal(unlinkat(AT_FDCWD, path, AT_REMOVEDIR), -1);
	assert_int_equal(errno, ENOENT);	/* not in the emulated bpffs */
	assert_int_equal(syscall(SYS_unlinkat, AT_FDCWD, path, AT_REMOVEDIR),
			 0);
	/* unlinkat flags the calls do not know: the host answers */
	snprintf(path, sizeof(path), "%s/x", host_dir);
	assert_int_equal(unlinkat(AT_FDCWD, path, 0x100), -1);
	assert_int_equal(errno, EINVAL);
	/* outside: a real directory and file come and go */
	snprintf(host_sub, sizeof(host_sub), "%s-host", host_dir);
	assert_int_equal(mkdir(host_sub, 0700), 0);
	assert_true(host_exists(host_sub));
	assert_int_equal(rmdir(host_sub), 0);
	close(open(host_sub, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
	assert_int_equal(unlink(host_sub), 0);
	assert_false(host_exists(host_sub));
}

/* With no cwd to resolve against, a relative path is the host's. */
static void libc__cwd_gone__relative_path_to_host(void **state)
{
	char cwd[256], gone[64];

	(void)state;
	assert_true(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(gone, sizeof(gone), "/tmp/bpfemu-gone.XXXXXX");
	assert_true(mkdtemp(gone) != NULL);
	assert_int_equal(chdir(gone), 0);
	assert_int_equal(syscall(SYS_unlinkat, AT_FDCWD, gone, AT_REMOVEDIR),
			 0);
	assert_int_equal(mkdir("x", 0700), -1);
	assert_int_equal(errno, ENOENT);	/* the host: no such cwd */
	assert_int_equal(chdir(cwd), 0);
}

/*
 * BPFEMU_BPFFS: a relative path is not a mount point (the default one
 * stands); "/" makes every absolute path the emulated bpffs (through
 * the emulator's own calls: the libc face does not route "/", a limit).
 */
static void libc__bpffs_root__relative_ignored_slash_all(void **state)
{
	int err;

	(void)state;
	assert_int_equal(setenv("BPFEMU_BPFFS", "relative/dir", 1), 0);
	assert_string_equal(bpfemu_bpffs_root(), "/sys/fs/bpf");
	assert_int_equal(setenv("BPFEMU_BPFFS", "/", 1), 0);
	err = bpfemu_mkdir("/bpfemu-unit-dir", 0700);
	assert_int_equal(setenv("BPFEMU_BPFFS", host_dir, 1), 0);
	assert_int_equal(err, 0);
	assert_false(host_exists("/bpfemu-unit-dir"));
	assert_int_equal(setenv("BPFEMU_BPFFS", "/", 1), 0);
	assert_int_equal(bpfemu_mkdir("/", 0700), -1);
	err = errno;
	assert_int_equal(bpfemu_rmdir("/bpfemu-unit-dir"), 0);
	assert_int_equal(setenv("BPFEMU_BPFFS", host_dir, 1), 0);
	assert_int_equal(err, EEXIST);	/* the mount point */
}

/*
 * A pin and a mapping left at exit: the emulator frees both then (make
 * valgrind checks that nothing leaks).
 */
static void libbpf__left_at_exit__freed_then(void **state)
{
	char path[128];
	void *p;
	int fd;

	(void)state;
	fd = array_create(512, BPF_F_MMAPABLE);
	snprintf(path, sizeof(path), "%s/left", host_dir);
	assert_int_equal(bpf_obj_pin(fd, path), 0);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	assert_ptr_not_equal(p, MAP_FAILED);
	close(fd);
}

/* mmap64 and mprotect of a map fd's mapping go to the emulator. */
static void libc__mmap64_mprotect__emulated(void **state)
{
	void *p;
	int fd;

	(void)state;
	fd = array_create(512, BPF_F_MMAPABLE);
	p = mmap64(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	assert_int_equal(mprotect(p, 4096, PROT_READ | PROT_EXEC), -1);
	assert_int_equal(errno, EACCES);	/* VM_MAYEXEC is gone */
	assert_int_equal(mprotect(p, 4096, PROT_NONE), 0);
	assert_int_equal(munmap(p, 4096), 0);
	close(fd);
}

/* An anonymous mapping moved (MREMAP_FIXED), shrunk: the host's mremap. */
static void libc__mremap_fixed__address_passed(void **state)
{
	char *p, *dst, *q;

	(void)state;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	dst = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED && dst != MAP_FAILED);
	p[0] = 'x';
	q = mremap(p, 4096, 8192, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	assert_ptr_equal(q, dst);
	assert_int_equal(q[0], 'x');
	q = mremap(q, 8192, 4096, 0);	/* no new address passed */
	assert_ptr_equal(q, dst);
	assert_int_equal(munmap(q, 8192), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(libbpf__opts_smaller_than_sz__einval),
		cmocka_unit_test(libbpf__opts_tail__zero_ok_nonzero_einval),
		cmocka_unit_test(libbpf__opts_field_past_sz__not_read),
		cmocka_unit_test(libbpf__token_fd__sets_the_flag),
		cmocka_unit_test(libbpf__map_name__null_or_cut_to_15),
		cmocka_unit_test(libbpf__elem_flags_calls__pass_flags),
		cmocka_unit_test(libbpf__batch_calls__count_written_back),
		cmocka_unit_test(libbpf__ids__next_id_and_fd_by_id),
		cmocka_unit_test(libbpf__obj_get__plain_and_missing),
		cmocka_unit_test(libc__bpffs_paths__emulated_others_host),
		cmocka_unit_test(libc__cwd_gone__relative_path_to_host),
		cmocka_unit_test(libc__mmap64_mprotect__emulated),
		cmocka_unit_test(libc__mremap_fixed__address_passed),
		cmocka_unit_test(libc__bpffs_root__relative_ignored_slash_all),
		cmocka_unit_test(libbpf__left_at_exit__freed_then),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("dropin", tests, group_setup,
					   group_teardown);
}

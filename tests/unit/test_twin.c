// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel rules the scenario format cannot express, checked the way the
 * harness checks the corpus: each step runs on the live kernel (raw
 * system calls) and on the emulator, and every answer must agree. The
 * steps: a NULL attr with a size, a readable excl_prog_hash; OBJ_PIN and
 * OBJ_GET with BPF_F_PATH_FD and relative paths, from the cwd, and empty
 * paths (in a private bpffs mount, in a mount namespace of the test's
 * own); mremap(2) of a map's mapping; MAP_FIXED and MAP_FIXED_NOREPLACE
 * over one; the verifier's verdict on each map-taking helper called with
 * each map type the emulator has.
 *
 * Without the privilege to use bpf(2) (or mount a bpffs) the kernel half
 * is skipped with a message saying why (REQUIRE_KERNEL=1 makes that a
 * failure, as for the corpus); under valgrind too, which emulates the
 * memory-management calls itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <cmocka.h>
#include <valgrind/valgrind.h>

#include "bpfemu.h"

#define ATTR_SIZE	168
#define PG		4096
#define BAD_FD		0x7ffffff0
#define EMU_F_PATH_FD	(1U << 14)	/* newer than the 6.1 header */
#define MAX_STEPS	32

/* One side: the kernel's system calls, or the emulator's. */
struct face {
	const char *name;
	long (*bpf)(int cmd, void *attr, unsigned int size);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd);
	int (*munmap)(void *addr, size_t len);
	int (*mprotect)(void *addr, size_t len, int prot);
	void *(*mremap)(void *old, size_t old_len, size_t new_len, int flags,
			void *new_addr);
	int (*unlink)(const char *path);
};

static long kern_bpf(int cmd, void *attr, unsigned int size)
{
	return syscall(SYS_bpf, cmd, attr, size);
}

static void *kern_mmap(void *addr, size_t len, int prot, int flags, int fd)
{
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, 0);
}

static int kern_munmap(void *addr, size_t len)
{
	return syscall(SYS_munmap, addr, len);
}

static int kern_mprotect(void *addr, size_t len, int prot)
{
	return syscall(SYS_mprotect, addr, len, prot);
}

static void *kern_mremap(void *old, size_t old_len, size_t new_len,
			 int flags, void *new_addr)
{
	return (void *)syscall(SYS_mremap, old, old_len, new_len, flags,
			       new_addr);
}

static int kern_unlink(const char *path)
{
	return syscall(SYS_unlinkat, AT_FDCWD, path, 0);
}

static long emu_bpf(int cmd, void *attr, unsigned int size)
{
	return bpfemu_sys_bpf(cmd, attr, size);
}

static void *emu_mmap(void *addr, size_t len, int prot, int flags, int fd)
{
	return bpfemu_mmap(addr, len, prot, flags, fd, 0);
}

static const struct face kern = {
	"kernel", kern_bpf, kern_mmap, kern_munmap, kern_mprotect,
	kern_mremap, kern_unlink,
};
static const struct face emu = {
	"emulator", emu_bpf, emu_mmap, bpfemu_munmap, bpfemu_mprotect,
	bpfemu_mremap, bpfemu_unlink,
};

/* The results of one run of steps: 0/1 or -errno each. */
struct run {
	int r[MAX_STEPS];
	int n;
};

static void put(struct run *run, long ret)
{
	assert_true(run->n < MAX_STEPS);
	run->r[run->n++] = ret < 0 ? -errno : ret > 0;
}

static void put_ptr(struct run *run, void *p, void *want)
{
	assert_true(run->n < MAX_STEPS);
	run->r[run->n++] = p == MAP_FAILED ? -errno : p == want;
}

static void compare(const struct run *k, const struct run *e)
{
	int i;

	assert_int_equal(e->n, k->n);
	for (i = 0; i < k->n; i++) {
		if (getenv("TWIN_DEBUG"))
			print_message("step %d: kernel %d, emulator %d\n", i,
				      k->r[i], e->r[i]);
		if (k->r[i] != e->r[i])
			print_message("step %d: kernel %d, emulator %d\n", i,
				      k->r[i], e->r[i]);
	}
	assert_memory_equal(e->r, k->r, k->n * sizeof(k->r[0]));
}

/* The attr buffer: 168 bytes, more than the 6.1 header's union. */
struct attr_buf {
	union bpf_attr attr;
	unsigned char pad[ATTR_SIZE];
};

static int map_create(const struct face *f, __u32 max_entries, __u32 flags)
{
	struct attr_buf a;

	memset(&a, 0, sizeof(a));
	a.attr.map_type = BPF_MAP_TYPE_ARRAY;
	a.attr.key_size = 4;
	a.attr.value_size = 8;
	a.attr.max_entries = max_entries;
	a.attr.map_flags = flags;
	return f->bpf(BPF_MAP_CREATE, &a.attr, ATTR_SIZE);
}

static long obj(const struct face *f, int cmd, int fd, const char *path,
		__u32 flags, int path_fd)
{
	struct attr_buf a;

	memset(&a, 0, sizeof(a));
	a.attr.pathname = (uintptr_t)path;
	a.attr.bpf_fd = fd;
	a.attr.file_flags = flags;
	memcpy((char *)&a + 16, &path_fd, sizeof(path_fd));	/* path_fd */
	return f->bpf(cmd, &a.attr, ATTR_SIZE);
}

static long freeze(const struct face *f, int fd)
{
	struct attr_buf a;

	memset(&a, 0, sizeof(a));
	a.attr.map_fd = fd;
	return f->bpf(BPF_MAP_FREEZE, &a.attr, ATTR_SIZE);
}

/* No kernel to ask: skipped, saying why; with REQUIRE_KERNEL=1 a failure. */
static void no_kernel(const char *why, int err)
{
	const char *req = getenv("REQUIRE_KERNEL");

	print_message("kernel half skipped: %s: %s\n", why, strerror(err));
	if (req && !strcmp(req, "1"))
		fail_msg("REQUIRE_KERNEL=1: the kernel half must run");
	skip();
}

static void need_kernel(void)
{
	int fd;

	if (RUNNING_ON_VALGRIND) {
		print_message("kernel half skipped: valgrind emulates the "
			      "memory-management calls\n");
		skip();
	}
	fd = map_create(&kern, 1, 0);
	if (fd < 0)
		no_kernel("BPF_MAP_CREATE", errno);
	close(fd);
}

/*
 * A NULL attr with a size: EFAULT. And pointers the corpus can only give
 * as first-page addresses: a readable excl_prog_hash makes the map.
 */
static void null_attr(const struct face *f, struct run *run)
{
	static const unsigned char hash[32] = { 1 };
	struct attr_buf a;
	__u64 ptr = (uintptr_t)hash;
	__u32 size = sizeof(hash);
	long fd;

	put(run, f->bpf(BPF_MAP_CREATE, NULL, ATTR_SIZE));
	put(run, f->bpf(BPF_MAP_CREATE, NULL, 0));
	put(run, f->bpf(BPF_MAP_LOOKUP_ELEM, NULL, 8));
	memset(&a, 0, sizeof(a));
	a.attr.map_type = BPF_MAP_TYPE_ARRAY;
	a.attr.key_size = 4;
	a.attr.value_size = 8;
	a.attr.max_entries = 1;
	memcpy((char *)&a + 80, &ptr, sizeof(ptr));	/* excl_prog_hash */
	memcpy((char *)&a + 88, &size, sizeof(size));
	fd = f->bpf(BPF_MAP_CREATE, &a.attr, ATTR_SIZE);
	put(run, fd);
	if (fd >= 0)
		close(fd);
}

static void twin__user_pointers__as_the_kernel(void **state)
{
	struct run k = { 0 }, e = { 0 };

	(void)state;
	need_kernel();
	null_attr(&kern, &k);
	null_attr(&emu, &e);
	compare(&k, &e);
	assert_int_equal(k.r[0], -EFAULT);
}

/* --- paths ------------------------------------------------------------- */

static char bpffs[64];	/* a private bpffs mount, emulated at the same path */

/* OBJ_PIN and OBJ_GET relative to a path_fd, the cwd; empty paths. */
static void paths(const struct face *f, struct run *run)
{
	char cwd[256], abs[128];
	int fd, dirfd, filefd;

	fd = map_create(f, 1, 0);
	assert_true(fd >= 0);
	dirfd = open(bpffs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	filefd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(dirfd >= 0 && filefd >= 0);
	put(run, obj(f, BPF_OBJ_PIN, fd, "rel", EMU_F_PATH_FD, dirfd));
	put(run, obj(f, BPF_OBJ_PIN, fd, "rel", EMU_F_PATH_FD, dirfd));
	put(run, obj(f, BPF_OBJ_GET, 0, "rel", EMU_F_PATH_FD, dirfd));
	put(run, obj(f, BPF_OBJ_GET, 0, "./rel", EMU_F_PATH_FD, dirfd));
	put(run, obj(f, BPF_OBJ_GET, 0, "rel", EMU_F_PATH_FD, BAD_FD));
	put(run, obj(f, BPF_OBJ_GET, 0, "rel", EMU_F_PATH_FD, filefd));
	put(run, obj(f, BPF_OBJ_PIN, fd, "x", EMU_F_PATH_FD, filefd));
	snprintf(abs, sizeof(abs), "%s/rel", bpffs);
	put(run, obj(f, BPF_OBJ_GET, 0, abs, EMU_F_PATH_FD, BAD_FD));
	put(run, obj(f, BPF_OBJ_GET, 0, "rel", 0, dirfd));
	assert_true(getcwd(cwd, sizeof(cwd)) != NULL);
	assert_int_equal(chdir(bpffs), 0);
	put(run, obj(f, BPF_OBJ_PIN, fd, "cwd", 0, 0));
	put(run, obj(f, BPF_OBJ_GET, 0, "cwd", 0, 0));
	put(run, obj(f, BPF_OBJ_GET, 0, "../bpffs-none", 0, 0));
	put(run, f->unlink("cwd"));
	assert_int_equal(chdir(cwd), 0);
	put(run, obj(f, BPF_OBJ_PIN, fd, "", 0, 0));
	put(run, obj(f, BPF_OBJ_GET, 0, "", 0, 0));
	put(run, f->unlink(""));
	put(run, f->unlink(abs));
	close(filefd);
	close(dirfd);
	close(fd);
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(bpffs, sizeof(bpffs), "/tmp/bpfemu-twin.XXXXXX");
	if (!mkdtemp(bpffs))
		return -1;
	return setenv("BPFEMU_BPFFS", bpffs, 1);
}

static int group_teardown(void **state)
{
	(void)state;
	umount2(bpffs, MNT_DETACH);	/* mounted only if the kernel ran */
	unsetenv("BPFEMU_BPFFS");
	return rmdir(bpffs);
}

/* A bpffs of our own, seen by no other process. */
static void need_bpffs(void)
{
	need_kernel();
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("bpf", bpffs, "bpf", 0, NULL))
		no_kernel("a private bpffs", errno);
}

static void twin__path_fd_cwd_empty__as_the_kernel(void **state)
{
	struct run k = { 0 }, e = { 0 };

	(void)state;
	need_bpffs();
	paths(&kern, &k);
	paths(&emu, &e);
	compare(&k, &e);
	assert_int_equal(k.r[0], 0);	/* the kernel did pin there */
}

/* --- mappings ---------------------------------------------------------- */

/*
 * mremap(2): a map's mapping never grows (bpf_map_mmap sets
 * VM_DONTEXPAND); shrunk or moved, whole or in part, it stays a writer
 * (freeze: EBUSY) and a map mapping (no PROT_EXEC) until unmapped.
 */
static void remaps(const struct face *f, struct run *run)
{
	char *p, *q, *dst;
	int fd;

	fd = map_create(f, 1536, BPF_F_MMAPABLE);	/* three pages */
	assert_true(fd >= 0);
	dst = mmap(NULL, 2 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		   0);
	assert_true(dst != MAP_FAILED);
	p = f->mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	put_ptr(run, p, p);
	put_ptr(run, f->mremap(p, 2 * PG, 3 * PG, 0, NULL), p);
	put_ptr(run, f->mremap(p, 2 * PG, 3 * PG, MREMAP_MAYMOVE, NULL), p);
	put_ptr(run, f->mremap(p, 2 * PG, PG, 0, NULL), p);
	put(run, freeze(f, fd));
	put_ptr(run, f->mremap(p, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst),
		dst);
	put(run, freeze(f, fd));
	put(run, f->mprotect(dst, PG, PROT_READ | PROT_EXEC));
	put(run, f->munmap(dst, PG));
	put_ptr(run, f->mremap(dst, PG, PG, MREMAP_MAYMOVE, NULL), NULL);
	put(run, freeze(f, fd));
	/*
	 * A part of a read-only mapping moves away, onto the page of dst
	 * still reserved (the one unmapped above may have been taken since,
	 * by ASan's allocator for one).
	 */
	q = f->mmap(NULL, 3 * PG, PROT_READ, MAP_SHARED, fd);
	put_ptr(run, q, q);
	put_ptr(run, f->mremap(q + PG, PG, 2 * PG, MREMAP_MAYMOVE, NULL),
		NULL);
	put_ptr(run, f->mremap(q + PG, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED,
			       dst + PG), dst + PG);
	put(run, f->mprotect(dst + PG, PG, PROT_READ | PROT_EXEC));
	put(run, f->munmap(q, 3 * PG));
	put(run, f->munmap(dst + PG, PG));
	munmap(dst, 2 * PG);
	close(fd);
}

static void twin__mremap_of_map_mapping__as_the_kernel(void **state)
{
	struct run k = { 0 }, e = { 0 };

	(void)state;
	need_kernel();
	remaps(&kern, &k);
	remaps(&emu, &e);
	compare(&k, &e);
	assert_int_equal(k.r[1], -EFAULT);	/* the kernel did refuse */
}

/*
 * MAP_FIXED_NOREPLACE over a mapping: EEXIST, where nothing is mapped: a
 * mapping; an anonymous MAP_FIXED mapping over the middle of a map's
 * writable one leaves two writers; MAP_FIXED at an unaligned address.
 */
static void fixed_maps(const struct face *f, struct run *run)
{
	char *p;
	int fd;

	fd = map_create(f, 1536, BPF_F_MMAPABLE);
	assert_true(fd >= 0);
	p = f->mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	put_ptr(run, p, p);
	put_ptr(run, f->mmap(p + PG, PG, PROT_READ,
			     MAP_SHARED | MAP_FIXED_NOREPLACE, fd), p + PG);
	put_ptr(run, f->mmap(p + PG, PG, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1),
		p + PG);
	put(run, freeze(f, fd));
	put(run, f->munmap(p, PG));
	put(run, freeze(f, fd));
	put(run, f->munmap(p + 2 * PG, PG));
	put(run, freeze(f, fd));
	put(run, f->munmap(p + PG, PG));
	put(run, f->munmap(p + PG + 1, PG));
	/* where nothing is mapped now: NOREPLACE maps; MAP_FIXED unaligned */
	put_ptr(run, f->mmap(p + PG, PG, PROT_READ,
			     MAP_SHARED | MAP_FIXED_NOREPLACE, fd), p + PG);
	put_ptr(run, f->mmap(p + 1, PG, PROT_READ, MAP_SHARED | MAP_FIXED,
			     fd), p + 1);
	put(run, f->munmap(p + PG, PG));
	close(fd);
}

static void twin__map_fixed_over_mapping__as_the_kernel(void **state)
{
	struct run k = { 0 }, e = { 0 };

	(void)state;
	need_kernel();
	fixed_maps(&kern, &k);
	fixed_maps(&emu, &e);
	compare(&k, &e);
	assert_int_equal(k.r[1], -EEXIST);
}

/* --- the verifier's map/helper compatibility ------------------------- */

/* 6.18 helper numbers the 6.1 UAPI header on Debian 12 does not carry */
#define FUNC_cgrp_storage_get		210
#define FUNC_cgrp_storage_delete	211

/*
 * A raw_tp program calling one helper. Its arguments, in order: 'c' the
 * context (r1 as the program got it), 'm' the map, '0' zero, '8' the
 * constant 8, 'p' a pointer to 8 zeroed bytes of stack. Every argument
 * passes the verifier's checks, so its verdict is on the map (left out:
 * bpf_user_ringbuf_drain, whose callback argument is a subprogram).
 */
struct helper_call {
	int func_id;
	const char *args;
};

static const struct helper_call helper_calls[] = {
	{ BPF_FUNC_tail_call, "cm0" },
	{ BPF_FUNC_perf_event_read, "m0" },
	{ BPF_FUNC_perf_event_output, "cm0p8" },
	{ BPF_FUNC_perf_event_read_value, "m0p8" },
	{ BPF_FUNC_skb_output, "cm0p8" },
	{ BPF_FUNC_xdp_output, "cm0p8" },
	{ BPF_FUNC_ringbuf_output, "mp80" },
	{ BPF_FUNC_ringbuf_reserve, "m80" },
	{ BPF_FUNC_ringbuf_query, "m0" },
	{ BPF_FUNC_get_stackid, "cm0" },
	{ BPF_FUNC_current_task_under_cgroup, "m0" },
	{ BPF_FUNC_skb_under_cgroup, "cm0" },
	{ BPF_FUNC_redirect_map, "m00" },
	{ BPF_FUNC_sk_redirect_map, "cm00" },
	{ BPF_FUNC_msg_redirect_map, "cm00" },
	{ BPF_FUNC_sock_map_update, "cpm0" },
	{ BPF_FUNC_sk_redirect_hash, "cmp0" },
	{ BPF_FUNC_msg_redirect_hash, "cmp0" },
	{ BPF_FUNC_sock_hash_update, "cpm0" },
	{ BPF_FUNC_get_local_storage, "m0" },
	{ BPF_FUNC_sk_select_reuseport, "cmp0" },
	{ BPF_FUNC_inode_storage_get, "m0p0" },
	{ BPF_FUNC_inode_storage_delete, "m0" },
	{ BPF_FUNC_sk_storage_get, "m0p0" },
	{ BPF_FUNC_sk_storage_delete, "m0" },
	{ BPF_FUNC_task_storage_get, "m0p0" },	/* a NULL task passes */
	{ BPF_FUNC_task_storage_delete, "m0" },
	{ FUNC_cgrp_storage_get, "m0p0" },
	{ FUNC_cgrp_storage_delete, "m0" },
	{ BPF_FUNC_map_lookup_elem, "mp" },
};

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })

/* BPF_PROG_LOAD's answer for a program making the call on map_fd. */
static long helper_load(int map_fd, const struct helper_call *h)
{
	struct bpf_insn insns[32];
	struct attr_buf a;
	const char *arg;
	int n = 0, reg;
	long fd;

	insns[n++] = INSN(BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, -8, 0);
	insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0,
			  0);
	for (arg = h->args, reg = BPF_REG_1; *arg; arg++, reg++) {
		switch (*arg) {
		case 'c':
			insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, reg,
					  BPF_REG_6, 0, 0);
			break;
		case 'm':
			insns[n++] = INSN(BPF_LD | BPF_DW | BPF_IMM, reg,
					  BPF_PSEUDO_MAP_FD, 0, map_fd);
			insns[n++] = INSN(0, 0, 0, 0, 0);
			break;
		case 'p':
			insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, reg,
					  BPF_REG_10, 0, 0);
			insns[n++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, reg, 0,
					  0, -8);
			break;
		default:
			insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, reg, 0,
					  0, *arg - '0');
		}
	}
	insns[n++] = INSN(BPF_JMP | BPF_CALL, 0, 0, 0, h->func_id);
	insns[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	insns[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	memset(&a, 0, sizeof(a));
	a.attr.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	a.attr.insns = (uintptr_t)insns;
	a.attr.insn_cnt = n;
	a.attr.license = (uintptr_t)"GPL";
	fd = syscall(SYS_bpf, BPF_PROG_LOAD, &a.attr, ATTR_SIZE);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/*
 * Every helper that takes a map, called with each map type the emulator
 * has: the kernel's BPF_PROG_LOAD verdict and bpfemu_prog_check()'s
 * agree (helpers a raw_tp program may not call at all are EINVAL there,
 * as a map type a helper does not take is).
 */
static void twin__helper_and_map_type__as_the_verifier(void **state)
{
	static const __u32 types[] = {
		BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY,
		BPF_MAP_TYPE_PERCPU_HASH, BPF_MAP_TYPE_PERCPU_ARRAY,
	};
	unsigned int t, h;
	int kfd, efd, bad = 0;
	long want, got;

	(void)state;
	need_kernel();
	for (t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		struct attr_buf a;

		memset(&a, 0, sizeof(a));
		a.attr.map_type = types[t];
		a.attr.key_size = 4;
		a.attr.value_size = 8;
		a.attr.max_entries = 1;
		kfd = kern.bpf(BPF_MAP_CREATE, &a.attr, ATTR_SIZE);
		efd = emu.bpf(BPF_MAP_CREATE, &a.attr, ATTR_SIZE);
		assert_true(kfd >= 0 && efd >= 0);
		for (h = 0; h < sizeof(helper_calls) / sizeof(helper_calls[0]);
		     h++) {
			want = helper_load(kfd, &helper_calls[h]);
			got = bpfemu_prog_check(efd, helper_calls[h].func_id,
						0);
			if (getenv("TWIN_DEBUG") || want != got) {
				print_message("map type %u, helper %d: kernel "
					      "%ld, emulator %ld\n", types[t],
					      helper_calls[h].func_id, want,
					      got);
				bad += want != got;
			}
		}
		close(kfd);
		close(efd);
	}
	assert_int_equal(bad, 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(twin__user_pointers__as_the_kernel),
		cmocka_unit_test(twin__mremap_of_map_mapping__as_the_kernel),
		cmocka_unit_test(twin__map_fixed_over_mapping__as_the_kernel),
		cmocka_unit_test(twin__helper_and_map_type__as_the_verifier),
		/* last: it moves the test into a mount namespace of its own */
		cmocka_unit_test(twin__path_fd_cwd_empty__as_the_kernel),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("twin", tests, group_setup,
					   group_teardown);
}

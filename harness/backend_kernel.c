// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The live kernel through the raw bpf(2) syscall (not libbpf: the kernel
 * must see the very attr bytes the emulator sees). Pins go to a private
 * bpffs instance mounted for this run and removed at close, so no pin is
 * ever left on the host.
 */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "attr.h"
#include "backend.h"

struct kernel_priv {
	char dir[64];
	bool made_dir;		/* dir is ours to remove */
	bool mounted;
	bool pinned;
	cpu_set_t saved_cpus;
};

static long kernel_sys_bpf(struct backend *be, int cmd, void *attr,
			   unsigned int size)
{
	(void)be;
	return syscall(__NR_bpf, cmd, attr, size);
}

/* Can this process create a map at all? Says why not in be->reason. */
static int kernel_probe(struct backend *be)
{
	uint64_t attr[ATTR_SIZE_DEFAULT / 8] = { 0 };
	long fd;
	int err;

	put_u32(attr, A_MAP_TYPE, BPF_MAP_TYPE_ARRAY);
	put_u32(attr, A_KEY_SIZE, 4);
	put_u32(attr, A_VALUE_SIZE, 4);
	put_u32(attr, A_MAX_ENTRIES, 1);
	fd = kernel_sys_bpf(be, BPF_MAP_CREATE, attr, sizeof(attr));
	if (fd >= 0) {
		close((int)fd);
		return 0;
	}
	err = errno;
	if (err == ENOSYS)
		snprintf(be->reason, sizeof(be->reason),
			 "bpf(2) is not available here (ENOSYS)");
	else if (err == EPERM)
		snprintf(be->reason, sizeof(be->reason),
			 "bpf(2) MAP_CREATE gives EPERM: no CAP_BPF / "
			 "CAP_SYS_ADMIN (run as root)");
	else
		snprintf(be->reason, sizeof(be->reason),
			 "bpf(2) MAP_CREATE of a 1-entry ARRAY fails: %s",
			 strerror(err));
	return -err;
}

/*
 * LRU maps hand out nodes from per-CPU lists: one CPU for the whole run
 * makes their eviction order repeatable.
 */
static void kernel_pin_cpu(struct kernel_priv *kp)
{
	cpu_set_t one;
	int cpu;

	if (sched_getaffinity(0, sizeof(kp->saved_cpus), &kp->saved_cpus))
		return;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &kp->saved_cpus))
			break;
	if (cpu == CPU_SETSIZE)
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	kp->pinned = !sched_setaffinity(0, sizeof(one), &one);
}

static void kernel_remove_pins(const char *dir)
{
	struct dirent *de;
	char path[512];
	DIR *d;

	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) && errno == EISDIR)
			rmdir(path);
	}
	closedir(d);
}

static void kernel_close(struct backend *be)
{
	struct kernel_priv *kp = be->priv;

	if (!kp)
		return;
	if (kp->mounted) {
		kernel_remove_pins(kp->dir);
		if (umount2(kp->dir, 0))
			umount2(kp->dir, MNT_DETACH);
	}
	if (kp->made_dir)
		rmdir(kp->dir);
	if (kp->pinned)
		sched_setaffinity(0, sizeof(kp->saved_cpus), &kp->saved_cpus);
	free(kp);
	be->priv = NULL;
}

/*
 * A mount namespace of the harness's own: its bpffs then goes with the
 * process however it ends, a crash included, and no other process sees
 * it; so it can sit on /sys/fs/bpf itself, as the emulated one does.
 */
static bool private_mounts(void)
{
	struct stat st;

	return !unshare(CLONE_NEWNS) &&
	       !mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) &&
	       !stat("/sys/fs/bpf", &st) && S_ISDIR(st.st_mode);
}

static int kernel_open(struct backend *be)
{
	struct kernel_priv *kp;
	int err;

	err = kernel_probe(be);
	if (err)
		return err;
	kp = calloc(1, sizeof(*kp));
	if (!kp)
		return -ENOMEM;
	be->priv = kp;
	if (private_mounts()) {
		snprintf(kp->dir, sizeof(kp->dir), "/sys/fs/bpf");
	} else {
		/* a shared namespace: a directory of our own, removed at close */
		snprintf(kp->dir, sizeof(kp->dir),
			 "/tmp/bpfemu-harness.XXXXXX");
		if (!mkdtemp(kp->dir)) {
			err = -errno;
			snprintf(be->reason, sizeof(be->reason),
				 "mkdtemp for the private bpffs: %s",
				 strerror(-err));
			goto out_close;
		}
		kp->made_dir = true;
	}
	if (mount("bpf", kp->dir, "bpf", 0, NULL)) {
		err = -errno;
		snprintf(be->reason, sizeof(be->reason),
			 "mount of a private bpffs at %s: %s", kp->dir,
			 strerror(-err));
		goto out_close;
	}
	kp->mounted = true;
	kernel_pin_cpu(kp);
	return 0;

out_close:
	kernel_close(be);
	return err;
}

static int kernel_close_fd(struct backend *be, int fd)
{
	(void)be;
	return close(fd);
}

static void *kernel_mmap(struct backend *be, size_t len, int prot, int flags,
			 int fd, off_t off)
{
	(void)be;
	return mmap(NULL, len, prot, flags, fd, off);
}

static int kernel_munmap(struct backend *be, void *addr, size_t len)
{
	(void)be;
	return munmap(addr, len);
}

static int kernel_mprotect(struct backend *be, void *addr, size_t len,
			   int prot)
{
	(void)be;
	return mprotect(addr, len, prot);
}

static int kernel_mkdir(struct backend *be, const char *path)
{
	(void)be;
	return mkdir(path, 0700);
}

static int kernel_rmdir(struct backend *be, const char *path)
{
	(void)be;
	return rmdir(path);
}

static int kernel_unlink(struct backend *be, const char *path)
{
	(void)be;
	return unlink(path);
}

static const char *kernel_bpffs_dir(struct backend *be)
{
	struct kernel_priv *kp = be->priv;

	return kp->dir;
}

static int kernel_set_possible_cpus(struct backend *be, unsigned int n)
{
	(void)be;
	return n == host_possible_cpus() ? 0 : -ENOTSUP;
}

static unsigned int kernel_possible_cpus(struct backend *be)
{
	(void)be;
	return host_possible_cpus();
}

static long kernel_live_maps(struct backend *be)
{
	(void)be;
	return -1;
}

const struct backend_ops kernel_backend_ops = {
	.name			= "kernel",
	.open			= kernel_open,
	.sys_bpf		= kernel_sys_bpf,
	.close_fd		= kernel_close_fd,
	.unlink			= kernel_unlink,
	.mmap			= kernel_mmap,
	.munmap			= kernel_munmap,
	.mprotect		= kernel_mprotect,
	.mkdir			= kernel_mkdir,
	.rmdir			= kernel_rmdir,
	.bpffs_dir		= kernel_bpffs_dir,
	.set_possible_cpus	= kernel_set_possible_cpus,
	.possible_cpus		= kernel_possible_cpus,
	.live_maps		= kernel_live_maps,
	.close			= kernel_close,
};

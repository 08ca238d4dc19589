// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The emulator backend: libbpfemu in this process. Its fds are real fds
 * (close(2) releases them) and its bpffs is private to the emulator, so
 * pins go to the emulated root itself.
 */
#include <errno.h>
#include <unistd.h>

#include "backend.h"
#include "bpfemu.h"

static int emu_open(struct backend *be)
{
	(void)be;
	return 0;
}

static long emu_sys_bpf(struct backend *be, int cmd, void *attr,
			unsigned int size)
{
	(void)be;
	return bpfemu_sys_bpf(cmd, attr, size);
}

static int emu_close_fd(struct backend *be, int fd)
{
	(void)be;
	return close(fd);
}

static void *emu_mmap(struct backend *be, size_t len, int prot, int flags,
		      int fd, off_t off)
{
	(void)be;
	return bpfemu_mmap(NULL, len, prot, flags, fd, off);
}

static int emu_munmap(struct backend *be, void *addr, size_t len)
{
	(void)be;
	return bpfemu_munmap(addr, len);
}

static int emu_mprotect(struct backend *be, void *addr, size_t len, int prot)
{
	(void)be;
	return bpfemu_mprotect(addr, len, prot);
}

static int emu_mkdir(struct backend *be, const char *path)
{
	(void)be;
	return bpfemu_mkdir(path, 0700);
}

static int emu_rmdir(struct backend *be, const char *path)
{
	(void)be;
	return bpfemu_rmdir(path);
}

static int emu_unlink(struct backend *be, const char *path)
{
	(void)be;
	return bpfemu_unlink(path);
}

static const char *emu_bpffs_dir(struct backend *be)
{
	(void)be;
	return bpfemu_bpffs_root();
}

static int emu_set_possible_cpus(struct backend *be, unsigned int n)
{
	(void)be;
	return bpfemu_set_possible_cpus(n);
}

static unsigned int emu_possible_cpus(struct backend *be)
{
	int n = bpfemu_num_possible_cpus();

	(void)be;
	return n > 0 ? (unsigned int)n : 1;
}

static long emu_live_maps(struct backend *be)
{
	(void)be;
	return bpfemu_live_maps();
}

static void emu_close(struct backend *be)
{
	(void)be;
}

const struct backend_ops emu_backend_ops = {
	.name			= "emu",
	.open			= emu_open,
	.sys_bpf		= emu_sys_bpf,
	.close_fd		= emu_close_fd,
	.unlink			= emu_unlink,
	.mmap			= emu_mmap,
	.munmap			= emu_munmap,
	.mprotect		= emu_mprotect,
	.mkdir			= emu_mkdir,
	.rmdir			= emu_rmdir,
	.bpffs_dir		= emu_bpffs_dir,
	.set_possible_cpus	= emu_set_possible_cpus,
	.possible_cpus		= emu_possible_cpus,
	.live_maps		= emu_live_maps,
	.close			= emu_close,
};

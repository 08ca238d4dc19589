/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One interface for every place a scenario can run: the runner builds
 * the same attr bytes for each and never knows which one it drives.
 *
 *   emu     libbpfemu's bpfemu_sys_bpf()
 *   kernel  the live kernel through bpf(2), pins in a private bpffs
 *   prog    (issue 3) kernel maps driven from BPF programs through
 *           BPF_PROG_TEST_RUN; not there yet
 */
#ifndef __HARNESS_BACKEND_H
#define __HARNESS_BACKEND_H

#include <stdbool.h>
#include <sys/types.h>

struct backend;

struct backend_ops {
	const char *name;
	/* 0, or -errno with be->reason saying why it cannot run here */
	int (*open)(struct backend *be);
	/* as bpf(2): >= 0, or -1 with errno */
	long (*sys_bpf)(struct backend *be, int cmd, void *attr,
			unsigned int size);
	/* as close(2) / unlink(2): 0, or -1 with errno */
	int (*close_fd)(struct backend *be, int fd);
	int (*unlink)(struct backend *be, const char *path);
	/* as mmap(2) / munmap(2) of map fds: MAP_FAILED or -1 with errno */
	void *(*mmap)(struct backend *be, size_t len, int prot, int flags,
		      int fd, off_t off);
	int (*munmap)(struct backend *be, void *addr, size_t len);
	int (*mprotect)(struct backend *be, void *addr, size_t len, int prot);
	/* as mkdir(2) (mode 0700) / rmdir(2) in the bpffs */
	int (*mkdir)(struct backend *be, const char *path);
	int (*rmdir)(struct backend *be, const char *path);
	/* where path=@name pins live */
	const char *(*bpffs_dir)(struct backend *be);
	/* 0, or -errno (kernel: -ENOTSUP unless n is the host's count) */
	int (*set_possible_cpus)(struct backend *be, unsigned int n);
	unsigned int (*possible_cpus)(struct backend *be);
	/* maps still alive, or -1 where the backend cannot tell */
	long (*live_maps)(struct backend *be);
	void (*close)(struct backend *be);
};

struct backend {
	const struct backend_ops *ops;
	void *priv;
	char reason[256];	/* why open() failed */
};

extern const struct backend_ops emu_backend_ops;
extern const struct backend_ops kernel_backend_ops;

/* "emu", "kernel"; NULL (with a message on stderr) for anything else. */
const struct backend_ops *backend_by_name(const char *name);

/* The host's possible CPUs (/sys/devices/system/cpu/possible). */
unsigned int host_possible_cpus(void);

#endif /* __HARNESS_BACKEND_H */

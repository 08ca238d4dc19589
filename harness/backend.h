/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One interface for every place a scenario can run: the runner builds
 * the same attr bytes for each and never knows which one it drives.
 *
 *   emu       libbpfemu: bpfemu_sys_bpf() and its helper face
 *             (bpfemu_prog_*)
 *   kernel    the live kernel through bpf(2), pins in a private bpffs
 *   test-run  (inside kernel) kernel maps driven from a BPF program
 *             through BPF_PROG_TEST_RUN (kern/exec.h): the kernel
 *             backend's prog_run
 *
 * Two faces, as a map has: sys_bpf() is what user space sees; prog_run()
 * is what a BPF program sees (helpers, a pointer into the value, the
 * current CPU's slot of a per-CPU map).
 */
#ifndef __HARNESS_BACKEND_H
#define __HARNESS_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct backend;

/* The helpers a program-side op calls (tests/corpus/FORMAT.md). */
enum helper_fn {
	HELPER_LOOKUP,		/* bpf_map_lookup_elem, value read through it */
	HELPER_UPDATE,		/* bpf_map_update_elem */
	HELPER_DELETE,		/* bpf_map_delete_elem */
	HELPER_PUSH,		/* bpf_map_push_elem */
	HELPER_POP,		/* bpf_map_pop_elem */
	HELPER_PEEK,		/* bpf_map_peek_elem */
	HELPER_LOOKUP_PERCPU,	/* bpf_map_lookup_percpu_elem */
};

/*
 * One helper call from a program. Inputs are the map's key_size and
 * value_size bytes (one CPU's value, even for per-CPU maps); out is
 * value_size bytes the caller pre-fills, written by lookups (read
 * through the returned pointer), pop and peek.
 */
struct prog_op {
	enum helper_fn fn;
	bool write;		/* lookup: then write `value` through it */
	uint32_t target_cpu;	/* lookup_percpu: its cpu argument */
	uint64_t flags;		/* update, push */
	const void *key;
	const void *value;
	void *out;
	/* results */
	bool refused;		/* the verifier refuses such a program: */
	int load_err;		/*   the errno BPF_PROG_LOAD gives */
	bool found;		/* lookups: a pointer, not NULL */
	long ret;		/* the others: 0 or -errno */
};

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
	/*
	 * Runs ops[0..n) in order from one BPF program on CPU cpu, against
	 * the map behind map_fd (whose key_size and value_size the caller
	 * knows). 0, or -errno with be->reason when they could not run.
	 */
	int (*prog_run)(struct backend *be, int map_fd, unsigned int cpu,
			struct prog_op *ops, size_t n);
	/* The CPU the following sys_bpf() calls run on: 0 or -errno. */
	int (*set_cpu)(struct backend *be, unsigned int cpu);
	/*
	 * on: the caller keeps fd open past the scenario's own fds (the
	 * fuzzers' map pool), so nothing the backend holds on that map
	 * need go when they close; off: no longer. 0 or -errno.
	 */
	int (*retain)(struct backend *be, int fd, bool on);
	/* maps still alive, or -1 where the backend cannot tell */
	long (*live_maps)(struct backend *be);
	/*
	 * Optional (NULL: the backend cannot tell): where an LRU map keeps
	 * key, one line into buf (the emulator's lists). 0 or -errno.
	 */
	int (*describe_key)(struct backend *be, int fd, const void *key,
			    char *buf, size_t len);
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

/*
 * The struct bpf_map_info (MAP_INFO_SIZE bytes) of the map behind fd,
 * through be's own sys_bpf(): 0, or -errno.
 */
int backend_map_info(struct backend *be, int fd, uint8_t *info);

/*
 * Scenarios see fd numbers (fd 0 is stdin when an attr cut to a few
 * bytes reads map_fd 0): 0, 1 and 2 are always taken, never by a map.
 */
void hold_stdio_fds(void);

/* uname -r */
const char *kernel_release(void);

#endif /* __HARNESS_BACKEND_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libbpfemu: a user-space reference implementation of Linux BPF map
 * semantics (as of Linux 6.18).
 *
 * bpfemu_sys_bpf() is the whole emulated bpf(2) syscall; everything else
 * here configures the emulated machine. The libbpf-named API
 * (<bpf/bpf.h>, bpf_map_create() ...) is a thin layer over
 * bpfemu_sys_bpf() shipped in the same library.
 */
#ifndef __BPFEMU_H
#define __BPFEMU_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/bpf.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BPFEMU_API __attribute__((visibility("default")))

/**
 * @brief **bpfemu_sys_bpf()** runs one emulated bpf(2) command.
 * @param cmd the bpf command (BPF_MAP_CREATE, ...)
 * @param attr the caller's attributes, as for bpf(2); results are written
 * back into it as the kernel writes them (batch count, info_len ...)
 * @param size the number of bytes of *attr* the caller passes
 * @return what bpf(2) returns: a new fd or 0 on success; on failure
 * -1 with errno set to the kernel's error
 *
 * Emulated map fds are real fds of this process (each refers to a memfd
 * owned by the emulator), so they never collide with the program's own,
 * and close(2) releases them; the map is freed once no fd and no pin
 * refers to it.
 */
BPFEMU_API long bpfemu_sys_bpf(int cmd, union bpf_attr *attr,
			       unsigned int size);

/**
 * @brief **bpfemu_set_possible_cpus()** sets the number of possible CPUs
 * the emulated machine has (per-CPU value layout). 0 goes back to the
 * host's /sys/devices/system/cpu/possible. The environment variable
 * BPFEMU_POSSIBLE_CPUS sets the same at start-up.
 * @return 0, on success; -EINVAL for more than 4096 CPUs; -EBUSY while
 * any map is alive (per-CPU layouts are fixed at creation)
 */
BPFEMU_API int bpfemu_set_possible_cpus(unsigned int ncpus);

/** @brief **bpfemu_num_possible_cpus()** the emulated possible CPUs. */
BPFEMU_API int bpfemu_num_possible_cpus(void);

/**
 * @brief **bpfemu_set_current_cpu()** sets the CPU the emulated machine
 * runs on: the one whose slot the helper face (bpfemu_prog_*) of a
 * per-CPU map uses, as a BPF program acts on the CPU it runs on. The
 * default is CPU 0; -1 follows the host CPU the caller runs on
 * (sched_getcpu() modulo the possible CPUs).
 * @return 0, on success; -EINVAL for a CPU that is not possible
 */
BPFEMU_API int bpfemu_set_current_cpu(int cpu);

/** @brief **bpfemu_current_cpu()** the CPU the helper face acts on now. */
BPFEMU_API int bpfemu_current_cpu(void);

/*
 * The helper face: what a BPF program calling the map helpers sees on
 * the current CPU (bpfemu_set_current_cpu()). A program names its maps
 * at load time; here the map is named by an fd of it, whatever the fd's
 * own read/write mode (program access is governed by the map's
 * BPF_F_RDONLY_PROG / BPF_F_WRONLY_PROG, as in the kernel).
 *
 * Where the kernel's verifier would refuse to load a program making the
 * call (a helper the map type does not take, a write into a
 * BPF_F_RDONLY_PROG map), the call fails with the errno BPF_PROG_LOAD
 * gives; bpfemu_prog_check() answers that question on its own. A bad fd
 * gives -EBADF, an fd of something else -EINVAL, a NULL key or value
 * -EACCES (the verifier's answer for a helper argument that is not
 * memory). Nothing here sees the map's freeze: only syscall writes stop.
 */

/** Direct accesses through a pointer a lookup returned. */
enum bpfemu_prog_access {
	BPFEMU_PROG_READ	= 1,	/* the program loads from the value */
	BPFEMU_PROG_WRITE	= 2,	/* the program stores into it */
};

/**
 * @brief **bpfemu_prog_check()** the verifier's verdict on a program that
 * calls helper *func_id* (BPF_FUNC_map_lookup_elem ...) on the map behind
 * *map_fd* and accesses the value through the returned pointer as
 * *access* says (enum bpfemu_prog_access bits; lookups only: an access
 * through another helper's integer return is -EACCES).
 * @return 0, if such a program loads; else the negative errno
 * BPF_PROG_LOAD fails with (-EINVAL, -EACCES); -EBADF / -EINVAL for a bad
 * fd; -EINVAL for an unknown *access* bit
 */
BPFEMU_API int bpfemu_prog_check(int map_fd, int func_id,
				 unsigned int access);

/**
 * @brief **bpfemu_prog_map_lookup_elem()** is bpf_map_lookup_elem() from a
 * program: a pointer to the element's value in the map's own storage
 * (the current CPU's slot of a per-CPU map), valid until the element is
 * deleted or replaced (an update of an existing HASH key links a new
 * element, as the kernel does) or the map freed; or NULL, with errno
 * ENOENT for a missing element or the refusal's errno (see above).
 * Reading or writing through the pointer is allowed whatever the map's
 * BPF_F_RDONLY_PROG / BPF_F_WRONLY_PROG: ask bpfemu_prog_check() with
 * the accesses the program makes.
 */
BPFEMU_API void *bpfemu_prog_map_lookup_elem(int map_fd, const void *key);

/**
 * @brief **bpfemu_prog_map_lookup_percpu_elem()** is
 * bpf_map_lookup_percpu_elem(): as above, for CPU *cpu*'s slot; NULL for
 * a CPU that is not possible.
 */
BPFEMU_API void *bpfemu_prog_map_lookup_percpu_elem(int map_fd,
						    const void *key,
						    __u32 cpu);

/**
 * @brief **bpfemu_prog_map_update_elem()** and
 * **bpfemu_prog_map_delete_elem()** are the program's
 * bpf_map_update_elem() (one value_size value, the current CPU's slot of
 * a per-CPU map) and bpf_map_delete_elem().
 * @return 0, on success; the helper's negative errno otherwise
 */
BPFEMU_API long bpfemu_prog_map_update_elem(int map_fd, const void *key,
					    const void *value, __u64 flags);
BPFEMU_API long bpfemu_prog_map_delete_elem(int map_fd, const void *key);

/**
 * @brief **bpfemu_prog_map_push_elem()**, **bpfemu_prog_map_pop_elem()**
 * and **bpfemu_prog_map_peek_elem()** are the queue, stack and bloom
 * filter helpers. A pop or peek on an empty queue or stack zero-fills
 * value_size bytes of *value*, as the kernel does; a refused call writes
 * nothing.
 * @return 0, on success; the helper's negative errno otherwise
 */
BPFEMU_API long bpfemu_prog_map_push_elem(int map_fd, const void *value,
					  __u64 flags);
BPFEMU_API long bpfemu_prog_map_pop_elem(int map_fd, void *value);
BPFEMU_API long bpfemu_prog_map_peek_elem(int map_fd, void *value);

/**
 * @brief **bpfemu_lru_describe()** where the emulator keeps *key* of an
 * LRU_HASH or LRU_PERCPU_HASH map in its LRU lists (which list, whose,
 * its place counted from the oldest, its reference bit), as a line of
 * text in *buf*: what explains the next eviction. No LRU effect.
 * @return 0, on success; -EBADF, -EINVAL (not an LRU map) or -ENOENT
 * (the key is not in the map)
 */
BPFEMU_API int bpfemu_lru_describe(int map_fd, const void *key, char *buf,
				   size_t len);

/**
 * @brief **bpfemu_bpffs_root()** where the emulated bpffs is mounted:
 * BPFEMU_BPFFS from the environment, else "/sys/fs/bpf". Pins and
 * directories live in the emulator's memory only; nothing is created on
 * the host.
 */
BPFEMU_API const char *bpfemu_bpffs_root(void);

/**
 * @brief **bpfemu_unlink()** removes an emulated pin, as unlink(2) does
 * on a bpffs path (the map loses the pin's reference).
 * @return 0, on success; -1 with errno (ENOENT, EPERM outside bpffs)
 */
BPFEMU_API int bpfemu_unlink(const char *path);

/**
 * @brief **bpfemu_mkdir()** and **bpfemu_rmdir()** make and remove a
 * directory in the emulated bpffs, as mkdir(2) and rmdir(2) do there.
 * @return 0, on success; -1 with errno (EEXIST, ENOENT, ENOTDIR,
 * ENOTEMPTY ...)
 */
BPFEMU_API int bpfemu_mkdir(const char *path, mode_t mode);
BPFEMU_API int bpfemu_rmdir(const char *path);

/**
 * @brief **bpfemu_mmap()** and **bpfemu_munmap()** are mmap(2) and
 * munmap(2) with the kernel's rules for map fds: only BPF_F_MMAPABLE
 * arrays map (ENOTSUPP for types without mmap, EINVAL for other arrays),
 * shared and within the elements' pages only, never through a read-only
 * or write-only fd, not writable once frozen (EPERM) or with
 * BPF_F_RDONLY_PROG (EACCES). A writable mapping makes BPF_MAP_FREEZE
 * answer EBUSY, and every mapping keeps its map alive, until unmapped
 * with bpfemu_munmap(). Any other fd is passed to the host's mmap(2).
 * @return as mmap(2) / munmap(2): MAP_FAILED or -1 with errno on error
 */
BPFEMU_API void *bpfemu_mmap(void *addr, size_t len, int prot, int flags,
			     int fd, off_t off);
BPFEMU_API int bpfemu_munmap(void *addr, size_t len);

/**
 * @brief **bpfemu_mprotect()** and **bpfemu_mremap()** are mprotect(2)
 * and mremap(2) with the kernel's rules for mappings of map fds: they
 * never become executable (EACCES) and never grow (EFAULT).
 */
BPFEMU_API int bpfemu_mprotect(void *addr, size_t len, int prot);
BPFEMU_API void *bpfemu_mremap(void *old, size_t old_len, size_t new_len,
			       int flags, void *new_addr);

/**
 * @brief **bpfemu_live_maps()** the number of maps alive now, after
 * releasing those that no fd and no pin refers to any more. A test can
 * assert 0 after closing everything to prove nothing leaked.
 */
BPFEMU_API unsigned int bpfemu_live_maps(void);

/**
 * @brief **bpfemu_map_hold()** says that the caller keeps *fd* open
 * (*hold* true) until it calls again with false: until then the map
 * counts as alive without being checked, which saves the emulator two
 * system calls per map on every command that releases closed maps
 * (MAP_CREATE, the id commands, **bpfemu_live_maps()**). Holds nest.
 * A caller that closes a held fd keeps the map alive until the release.
 * @return 0; -EBADF or -EINVAL for an fd that is not an emulated map's;
 * -EINVAL to release a map not held.
 */
BPFEMU_API int bpfemu_map_hold(int fd, bool hold);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __BPFEMU_H */

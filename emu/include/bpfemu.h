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

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __BPFEMU_H */

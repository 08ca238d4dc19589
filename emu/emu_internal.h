/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internal interface of libbpfemu: the generic map object, the per-family
 * ops table and the helpers every family shares. Mirrors the split of
 * include/linux/bpf.h (struct bpf_map, struct bpf_map_ops) in the kernel.
 */
#ifndef __EMU_INTERNAL_H
#define __EMU_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <linux/bpf.h>

/*
 * A table of maps that cannot grow fails the command with ENOMEM, as the
 * kernel's idr does, instead of uthash's exit(). Every table is used
 * under the emulator's lock, so one flag says whether the last add failed.
 */
#define HASH_NONFATAL_OOM	1
#define uthash_nonfatal_oom(elt)	(emu_hash_oomed = true)
#include <uthash.h>

#include "bpfemu.h"

/* Code ported by eye from the kernel must translate its types on purpose. */
#pragma GCC poison u8 u16 u32 u64 s8 s16 s32 s64

#ifndef ENOTSUPP
#define ENOTSUPP	524	/* kernel-internal, reaches user space as is */
#endif

#define EMU_HIDDEN	__attribute__((visibility("hidden")))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define round_up(x, y)		((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))

/* ERR_PTR convention for pointer-returning ops, as in the kernel. */
#define MAX_ERRNO	4095
static inline void *ERR_PTR(long err) { return (void *)err; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p)
{
	return (uintptr_t)p >= (uintptr_t)-MAX_ERRNO;
}

static inline void *u64_to_ptr(__u64 v) { return (void *)(uintptr_t)v; }

/*
 * 6.18 layout facts the 6.1 UAPI header on Debian 12 does not carry.
 * Each "end" is offsetofend() of the command's last attr field
 * (syscall.c: the *_LAST_FIELD defines used by CHECK_ATTR).
 */
#define EMU_ATTR_SIZE		168	/* sizeof(union bpf_attr) on 6.18 */
#define EMU_MAP_INFO_SIZE	104	/* sizeof(struct bpf_map_info) on 6.18 */
#define EMU_PAGE_SIZE		4096
#define EMU_ID_MAX		0x7fffffffU	/* ids: 1..INT_MAX, cyclic */

/* map_create attr fields past map_extra (6.18 offsets) */
#define EMU_ATTR_VALUE_TYPE_BTF_OBJ_FD	72
#define EMU_ATTR_MAP_TOKEN_FD		76
#define EMU_ATTR_EXCL_PROG_HASH		80
#define EMU_ATTR_EXCL_PROG_HASH_SIZE	88

/* map_flags bits newer than the 6.1 header */
#define EMU_F_PATH_FD		(1U << 14)
#define EMU_F_TOKEN_FD		(1U << 16)

#define EMU_F_ACCESS_MASK	(BPF_F_RDONLY | BPF_F_RDONLY_PROG | \
				 BPF_F_WRONLY | BPF_F_WRONLY_PROG)

/* Per-fd access, as in the kernel's FMODE_CAN_READ / FMODE_CAN_WRITE. */
#define EMU_FMODE_READ		1
#define EMU_FMODE_WRITE		2

struct emu_map;

/*
 * One table per family. Every slot is filled: an operation a family does
 * not support is an explicit function returning the kernel's errno.
 *
 * Two faces, as in the kernel:
 * - helper face (what a BPF program sees, prog.c): map_lookup_elem and
 *   map_lookup_percpu_elem return a pointer into storage (the current
 *   CPU's slot, or the named CPU's, for per-CPU maps) or NULL;
 *   map_update_elem writes value_size bytes on the current CPU;
 *   map_delete_elem, map_push_elem, map_pop_elem and map_peek_elem are
 *   the helpers of the same names.
 * - syscall face: map_lookup_elem_sys / map_update_elem_sys take the
 *   user buffer of emu_map_value_size() bytes (all CPUs for per-CPU maps).
 */
struct emu_map_ops {
	int (*map_alloc_check)(union bpf_attr *attr);
	struct emu_map *(*map_alloc)(union bpf_attr *attr);
	void (*map_free)(struct emu_map *map);
	int (*map_get_next_key)(struct emu_map *map, const void *key,
				void *next_key);
	void *(*map_lookup_elem)(struct emu_map *map, const void *key);
	long (*map_update_elem)(struct emu_map *map, const void *key,
				const void *value, __u64 flags);
	long (*map_delete_elem)(struct emu_map *map, const void *key);
	/* helper face only: a CPU's slot (NULL past the last CPU) */
	void *(*map_lookup_percpu_elem)(struct emu_map *map, const void *key,
					__u32 cpu);
	/* queue, stack and bloom filter helpers (helper and syscall face) */
	long (*map_push_elem)(struct emu_map *map, const void *value,
			      __u64 flags);
	long (*map_pop_elem)(struct emu_map *map, void *value);
	long (*map_peek_elem)(struct emu_map *map, void *value);
	int (*map_lookup_elem_sys)(struct emu_map *map, const void *key,
				   void *value, __u64 flags);
	int (*map_update_elem_sys)(struct emu_map *map, const void *key,
				   const void *value, __u64 flags);
	int (*map_lookup_and_delete_elem)(struct emu_map *map, const void *key,
					  void *value, __u64 flags);
	/* batch ops: attr is the kernel-side copy, uattr the caller's */
	int (*map_lookup_batch)(struct emu_map *map,
				const union bpf_attr *attr,
				union bpf_attr *uattr);
	int (*map_lookup_and_delete_batch)(struct emu_map *map,
					   const union bpf_attr *attr,
					   union bpf_attr *uattr);
	int (*map_update_batch)(struct emu_map *map,
				const union bpf_attr *attr,
				union bpf_attr *uattr);
	int (*map_delete_batch)(struct emu_map *map,
				const union bpf_attr *attr,
				union bpf_attr *uattr);
	/* the SHA-256 of the values that map info reports for frozen maps */
	int (*map_get_hash)(struct emu_map *map, __u32 hash_size, void *hash);
	/* may [off, off + len) be mapped (shared? writable?): 0 or -errno */
	int (*map_mmap)(struct emu_map *map, __u64 off, __u64 len, bool shared,
			bool write);
};

/* The generic map, embedded first in every family's private struct. */
struct emu_map {
	const struct emu_map_ops *ops;
	enum bpf_map_type map_type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 map_flags;	/* without BPF_F_RDONLY / BPF_F_WRONLY */
	__u64 map_extra;
	__u32 ncpus;		/* possible CPUs when created: per-CPU layout */
	__u32 id;
	char name[BPF_OBJ_NAME_LEN];
	bool frozen;
	/* file identity: one memfd per map, every fd reopens it */
	int anchor_fd;
	dev_t dev;
	ino_t ino;
	__u64 lock_seq;		/* file.c: the next fd's liveness byte */
	unsigned int pin_cnt;
	unsigned int mmap_cnt;	/* mappings (vmas): each holds the map */
	unsigned int hold_cnt;	/* bpfemu_map_hold(): the caller's fds */
	void *storage;		/* an mmapable map's own mapping of its memfd */
	size_t storage_len;
	unsigned int writecnt;	/* writable ones: freeze gives EBUSY */
	UT_hash_handle hh_id;	/* map.c: the id table */
	UT_hash_handle hh_ino;	/* map.c: the inode table */
};

/* map.c: type table, ids, lifetime */
EMU_HIDDEN const struct emu_map_ops *emu_map_type_ops(__u32 type);
EMU_HIDDEN void emu_map_init_from_attr(struct emu_map *map,
				       const union bpf_attr *attr);
EMU_HIDDEN int emu_map_register(struct emu_map *map);
EMU_HIDDEN void emu_map_release(struct emu_map *map);
EMU_HIDDEN struct emu_map *emu_map_by_id(__u32 id);
EMU_HIDDEN struct emu_map *emu_map_by_ino(dev_t dev, ino_t ino);
EMU_HIDDEN __u32 emu_map_next_id(__u32 start_id);
EMU_HIDDEN unsigned int emu_map_sweep(void);
EMU_HIDDEN int emu_map_rekey(struct emu_map *map, dev_t dev, ino_t ino);
EMU_HIDDEN extern bool emu_hash_oomed;

/* file.c: emulated map fds are reopened memfds (see bpfemu.h) */
EMU_HIDDEN int emu_file_anchor(struct emu_map *map);
EMU_HIDDEN int emu_file_new_fd(struct emu_map *map, int fmode);
EMU_HIDDEN struct emu_map *emu_file_map_get(int fd, int *fmode);
EMU_HIDDEN bool emu_file_in_use(struct emu_map *map);
EMU_HIDDEN void emu_file_close_anchor(struct emu_map *map);
EMU_HIDDEN __u32 emu_map_value_size(const struct emu_map *map);
EMU_HIDDEN bool emu_map_is_percpu(const struct emu_map *map);

/* percpu.c: possible CPUs and the helper face's current CPU */
EMU_HIDDEN unsigned int emu_num_possible_cpus(void);	/* for new maps */
EMU_HIDDEN unsigned int emu_current_cpu(void);
EMU_HIDDEN int emu_set_current_cpu(int cpu);
EMU_HIDDEN int emu_set_possible_cpus(unsigned int ncpus);

/* syscall.c: the one lock every entry point of the emulator takes */
EMU_HIDDEN void emu_lock_acquire(void);
EMU_HIDDEN void emu_lock_release(void);

/*
 * prog.c: the helper face's refusals, for the slots a family leaves
 * to the verifier (it never lets a program make such a call).
 */
EMU_HIDDEN void *emu_map_lookup_percpu_elem_notsupp(struct emu_map *map,
						    const void *key,
						    __u32 cpu);
EMU_HIDDEN long emu_map_push_elem_notsupp(struct emu_map *map,
					  const void *value, __u64 flags);
EMU_HIDDEN long emu_map_pop_elem_notsupp(struct emu_map *map, void *value);
EMU_HIDDEN long emu_map_peek_elem_notsupp(struct emu_map *map, void *value);

/* syscall.c: bpf_map_update_value, the syscall face of an update */
EMU_HIDDEN int emu_map_update_value(struct emu_map *map, const void *key,
				    const void *value, __u64 flags);

/* Generic op bodies a family plugs into its table (syscall.c, batch.c). */
EMU_HIDDEN int emu_map_lookup_elem_sys_generic(struct emu_map *map,
					       const void *key, void *value,
					       __u64 flags);
EMU_HIDDEN int emu_map_update_elem_sys_generic(struct emu_map *map,
					       const void *key,
					       const void *value, __u64 flags);
EMU_HIDDEN int emu_map_lookup_and_delete_elem_notsupp(struct emu_map *map,
						      const void *key,
						      void *value, __u64 flags);
EMU_HIDDEN int emu_generic_map_lookup_batch(struct emu_map *map,
					    const union bpf_attr *attr,
					    union bpf_attr *uattr);
EMU_HIDDEN int emu_generic_map_update_batch(struct emu_map *map,
					    const union bpf_attr *attr,
					    union bpf_attr *uattr);
EMU_HIDDEN int emu_generic_map_delete_batch(struct emu_map *map,
					    const union bpf_attr *attr,
					    union bpf_attr *uattr);
EMU_HIDDEN int emu_map_batch_notsupp(struct emu_map *map,
				     const union bpf_attr *attr,
				     union bpf_attr *uattr);
EMU_HIDDEN int emu_map_get_hash_notsupp(struct emu_map *map, __u32 hash_size,
					void *hash);

/* mmap.c: mappings of map fds */
EMU_HIDDEN int emu_map_mmap_notsupp(struct emu_map *map, __u64 off, __u64 len,
				    bool shared, bool write);
EMU_HIDDEN int emu_map_mmap_check(struct emu_map *map, bool shared,
				  bool write);
EMU_HIDDEN void *emu_mmap(void *addr, size_t len, int prot, int flags,
			  int fd, off_t off, int *err);
EMU_HIDDEN int emu_munmap(void *addr, size_t len);
EMU_HIDDEN int emu_mprotect(void *addr, size_t len, int prot);
EMU_HIDDEN void *emu_mremap(void *old, size_t old_len, size_t new_len,
			    int flags, void *new_addr, int *err);
EMU_HIDDEN void emu_mmap_release_all(void);
EMU_HIDDEN void *emu_host_mmap(void *addr, size_t len, int prot, int flags,
			       int fd, off_t off);
EMU_HIDDEN int emu_host_munmap(void *addr, size_t len);

/*
 * User memory. The emulator cannot take a page fault for a bad pointer;
 * it treats NULL (and the first page) as the address the kernel would
 * fault on and answers EFAULT, and trusts every other pointer.
 */
static inline bool emu_bad_uptr(__u64 p)
{
	return p < EMU_PAGE_SIZE;
}

static inline int emu_copy_from_user(void *dst, __u64 src, size_t n)
{
	if (!n)
		return 0;
	if (emu_bad_uptr(src))
		return -EFAULT;
	memcpy(dst, u64_to_ptr(src), n);
	return 0;
}

static inline int emu_copy_to_user(__u64 dst, const void *src, size_t n)
{
	if (!n)
		return 0;
	if (emu_bad_uptr(dst))
		return -EFAULT;
	memcpy(u64_to_ptr(dst), src, n);
	return 0;
}

/* Out-of-memory is an answer, not a crash: allocation failures give ENOMEM. */
EMU_HIDDEN void *emu_zalloc(size_t n);

/* Type registration: every family's table, declared from emu_types.h. */
#define EMU_MAP_TYPE(_id, _ops) extern const struct emu_map_ops _ops;
#include "emu_types.h"
#undef EMU_MAP_TYPE

#endif /* __EMU_INTERNAL_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libbpfemu's stand-in for libbpf's <bpf/bpf.h>: the map part of the
 * low-level API, with libbpf 1.x names, signatures and error convention
 * (a negative errno is returned and errno is set). Every call runs on the
 * emulator (bpfemu_sys_bpf()), never on the kernel.
 */
#ifndef __BPFEMU_BPF_H
#define __BPFEMU_BPF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "libbpf_common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_map_create_opts {
	size_t sz;	/* sizeof(struct bpf_map_create_opts) */
	__u32 btf_fd;
	__u32 btf_key_type_id;
	__u32 btf_value_type_id;
	__u32 btf_vmlinux_value_type_id;
	__u32 inner_map_fd;
	__u32 map_flags;
	__u64 map_extra;
	__u32 numa_node;
	__u32 map_ifindex;
	/* libbpf 1.4 and later */
	__s32 value_type_btf_obj_fd;
	__u32 token_fd;
	/* libbpf 1.7: exclusive maps (signed programs) */
	const void *excl_prog_hash;
	__u32 excl_prog_hash_size;
	size_t :0;
};
#define bpf_map_create_opts__last_field excl_prog_hash_size

/**
 * @brief **bpf_map_create()** creates a map.
 * @return a new map fd, on success; negative error, otherwise
 */
LIBBPF_API int bpf_map_create(enum bpf_map_type map_type,
			      const char *map_name, __u32 key_size,
			      __u32 value_size, __u32 max_entries,
			      const struct bpf_map_create_opts *opts);

LIBBPF_API int bpf_map_update_elem(int fd, const void *key,
				   const void *value, __u64 flags);
LIBBPF_API int bpf_map_lookup_elem(int fd, const void *key, void *value);
LIBBPF_API int bpf_map_lookup_elem_flags(int fd, const void *key,
					 void *value, __u64 flags);
LIBBPF_API int bpf_map_lookup_and_delete_elem(int fd, const void *key,
					      void *value);
LIBBPF_API int bpf_map_lookup_and_delete_elem_flags(int fd, const void *key,
						    void *value, __u64 flags);
LIBBPF_API int bpf_map_delete_elem(int fd, const void *key);
LIBBPF_API int bpf_map_delete_elem_flags(int fd, const void *key,
					 __u64 flags);
LIBBPF_API int bpf_map_get_next_key(int fd, const void *key,
				    void *next_key);
LIBBPF_API int bpf_map_freeze(int fd);

struct bpf_map_batch_opts {
	size_t sz;	/* sizeof(struct bpf_map_batch_opts) */
	__u64 elem_flags;
	__u64 flags;
};
#define bpf_map_batch_opts__last_field flags

/**
 * @brief The batch calls: *count* is in/out, as with libbpf: on return
 * it holds the number of elements processed, also on error.
 * @return 0, on success; negative error, otherwise (-ENOENT at the end
 * of a lookup batch, with the elements of this call already copied)
 */
LIBBPF_API int bpf_map_delete_batch(int fd, const void *keys, __u32 *count,
				    const struct bpf_map_batch_opts *opts);
LIBBPF_API int bpf_map_lookup_batch(int fd, void *in_batch, void *out_batch,
				    void *keys, void *values, __u32 *count,
				    const struct bpf_map_batch_opts *opts);
LIBBPF_API int bpf_map_lookup_and_delete_batch(int fd, void *in_batch,
					void *out_batch, void *keys,
					void *values, __u32 *count,
					const struct bpf_map_batch_opts *opts);
LIBBPF_API int bpf_map_update_batch(int fd, const void *keys,
				    const void *values, __u32 *count,
				    const struct bpf_map_batch_opts *opts);

struct bpf_obj_get_opts {
	size_t sz;	/* sizeof(struct bpf_obj_get_opts) */
	__u32 file_flags;
	size_t :0;
};
#define bpf_obj_get_opts__last_field file_flags

/** @brief Pins are kept in the emulated bpffs (bpfemu_bpffs_root()). */
LIBBPF_API int bpf_obj_pin(int fd, const char *pathname);
LIBBPF_API int bpf_obj_get(const char *pathname);
LIBBPF_API int bpf_obj_get_opts(const char *pathname,
				const struct bpf_obj_get_opts *opts);

LIBBPF_API int bpf_map_get_next_id(__u32 start_id, __u32 *next_id);

struct bpf_get_fd_by_id_opts {
	size_t sz;	/* sizeof(struct bpf_get_fd_by_id_opts) */
	__u32 open_flags;
	size_t :0;
};
#define bpf_get_fd_by_id_opts__last_field open_flags

LIBBPF_API int bpf_map_get_fd_by_id(__u32 id);
LIBBPF_API int bpf_map_get_fd_by_id_opts(__u32 id,
				const struct bpf_get_fd_by_id_opts *opts);
LIBBPF_API int bpf_obj_get_info_by_fd(int bpf_fd, void *info,
				      __u32 *info_len);
LIBBPF_API int bpf_map_get_info_by_fd(int map_fd, struct bpf_map_info *info,
				      __u32 *info_len);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __BPFEMU_BPF_H */

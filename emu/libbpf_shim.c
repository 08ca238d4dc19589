// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpf's map API on top of the emulator. Each call fills a union
 * bpf_attr as libbpf 1.x does (same fields, same attr size) and hands it
 * to bpfemu_sys_bpf(); errors come back as libbpf 1.x returns them: a
 * negative errno, with errno set.
 */
#include <stdbool.h>
#include <stddef.h>

#include "emu_internal.h"
#include "bpf/bpf.h"
#include "bpf/libbpf.h"

#define offsetofend(t, f)	(offsetof(t, f) + sizeof(((t *)0)->f))

static __u64 ptr_to_u64(const void *p)
{
	return (uintptr_t)p;
}

/* libbpf_err_errno: a failed call returns -errno, errno stays set */
static int err_errno(long ret)
{
	return ret < 0 ? -errno : (int)ret;
}

static int err_ret(int err)
{
	errno = -err;
	return err;
}

/*
 * OPTS_VALID: an opts struct from a newer caller may be larger than the
 * one known here, but only if every byte we do not know is zero.
 */
static bool opts_valid(const void *opts, size_t known)
{
	const size_t *sz = opts;
	size_t i;

	if (!opts)
		return true;
	if (*sz < sizeof(*sz))
		return false;
	for (i = known; i < *sz; i++)
		if (((const unsigned char *)opts)[i])
			return false;
	return true;
}

#define OPTS_VALID(opts, type) \
	opts_valid(opts, offsetofend(struct type, type##__last_field))
#define OPTS_HAS(opts, field) \
	((opts) && (opts)->sz >= offsetofend(__typeof__(*(opts)), field))
#define OPTS_GET(opts, field, fallback) \
	(OPTS_HAS(opts, field) ? (opts)->field : (fallback))

static long sys_bpf(int cmd, union bpf_attr *attr, size_t size)
{
	return bpfemu_sys_bpf(cmd, attr, size);
}

/* The create attr as 6.18 has it: the 6.1 header lacks its tail. */
union create_attr {
	union bpf_attr attr;
	unsigned char raw[EMU_ATTR_SIZE];
};

static void put_attr_u32(union create_attr *a, size_t off, __u32 v)
{
	memcpy(a->raw + off, &v, sizeof(v));
}

int bpf_map_create(enum bpf_map_type map_type, const char *map_name,
		   __u32 key_size, __u32 value_size, __u32 max_entries,
		   const struct bpf_map_create_opts *opts)
{
	const size_t attr_sz = EMU_ATTR_EXCL_PROG_HASH_SIZE + sizeof(__u32);
	__u64 excl_hash = ptr_to_u64(OPTS_GET(opts, excl_prog_hash, NULL));
	__u32 token_fd = OPTS_GET(opts, token_fd, 0);
	union create_attr a;

	if (!OPTS_VALID(opts, bpf_map_create_opts))
		return err_ret(-EINVAL);
	memset(&a, 0, sizeof(a));
	a.attr.map_type = map_type;
	if (map_name)
		strncpy(a.attr.map_name, map_name,
			sizeof(a.attr.map_name) - 1);
	a.attr.key_size = key_size;
	a.attr.value_size = value_size;
	a.attr.max_entries = max_entries;
	a.attr.btf_fd = OPTS_GET(opts, btf_fd, 0);
	a.attr.btf_key_type_id = OPTS_GET(opts, btf_key_type_id, 0);
	a.attr.btf_value_type_id = OPTS_GET(opts, btf_value_type_id, 0);
	a.attr.btf_vmlinux_value_type_id =
		OPTS_GET(opts, btf_vmlinux_value_type_id, 0);
	a.attr.inner_map_fd = OPTS_GET(opts, inner_map_fd, 0);
	a.attr.map_flags = OPTS_GET(opts, map_flags, 0);
	a.attr.map_extra = OPTS_GET(opts, map_extra, 0);
	a.attr.numa_node = OPTS_GET(opts, numa_node, 0);
	a.attr.map_ifindex = OPTS_GET(opts, map_ifindex, 0);
	put_attr_u32(&a, EMU_ATTR_VALUE_TYPE_BTF_OBJ_FD,
		     OPTS_GET(opts, value_type_btf_obj_fd, 0));
	/* as libbpf: a token fd brings its flag */
	put_attr_u32(&a, EMU_ATTR_MAP_TOKEN_FD, token_fd);
	if (token_fd)
		a.attr.map_flags |= EMU_F_TOKEN_FD;
	memcpy(a.raw + EMU_ATTR_EXCL_PROG_HASH, &excl_hash, sizeof(excl_hash));
	put_attr_u32(&a, EMU_ATTR_EXCL_PROG_HASH_SIZE,
		     OPTS_GET(opts, excl_prog_hash_size, 0));
	return err_errno(sys_bpf(BPF_MAP_CREATE, &a.attr, attr_sz));
}

/* The element commands share one attr shape: fd, key, value, flags. */
static int map_elem_cmd(int cmd, int fd, const void *key, const void *value,
			__u64 flags, size_t attr_sz)
{
	union bpf_attr attr;

	memset(&attr, 0, attr_sz);
	attr.map_fd = fd;
	attr.key = ptr_to_u64(key);
	if (attr_sz > offsetof(union bpf_attr, value))
		attr.value = ptr_to_u64(value);
	if (attr_sz > offsetof(union bpf_attr, flags))
		attr.flags = flags;
	return err_errno(sys_bpf(cmd, &attr, attr_sz));
}

#define ELEM_ATTR_SZ	offsetofend(union bpf_attr, flags)

int bpf_map_update_elem(int fd, const void *key, const void *value,
			__u64 flags)
{
	return map_elem_cmd(BPF_MAP_UPDATE_ELEM, fd, key, value, flags,
			    ELEM_ATTR_SZ);
}

int bpf_map_lookup_elem(int fd, const void *key, void *value)
{
	return map_elem_cmd(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0,
			    ELEM_ATTR_SZ);
}

int bpf_map_lookup_elem_flags(int fd, const void *key, void *value,
			      __u64 flags)
{
	return map_elem_cmd(BPF_MAP_LOOKUP_ELEM, fd, key, value, flags,
			    ELEM_ATTR_SZ);
}

int bpf_map_lookup_and_delete_elem(int fd, const void *key, void *value)
{
	return map_elem_cmd(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, 0,
			    ELEM_ATTR_SZ);
}

int bpf_map_lookup_and_delete_elem_flags(int fd, const void *key,
					 void *value, __u64 flags)
{
	return map_elem_cmd(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value,
			    flags, ELEM_ATTR_SZ);
}

int bpf_map_delete_elem(int fd, const void *key)
{
	return map_elem_cmd(BPF_MAP_DELETE_ELEM, fd, key, NULL, 0,
			    offsetofend(union bpf_attr, key));
}

int bpf_map_delete_elem_flags(int fd, const void *key, __u64 flags)
{
	return map_elem_cmd(BPF_MAP_DELETE_ELEM, fd, key, NULL, flags,
			    ELEM_ATTR_SZ);
}

int bpf_map_get_next_key(int fd, const void *key, void *next_key)
{
	return map_elem_cmd(BPF_MAP_GET_NEXT_KEY, fd, key, next_key, 0,
			    offsetofend(union bpf_attr, next_key));
}

int bpf_map_freeze(int fd)
{
	const size_t attr_sz = offsetofend(union bpf_attr, map_fd);
	union bpf_attr attr;

	memset(&attr, 0, attr_sz);
	attr.map_fd = fd;
	return err_errno(sys_bpf(BPF_MAP_FREEZE, &attr, attr_sz));
}

static int map_batch(int cmd, int fd, void *in_batch, void *out_batch,
		     const void *keys, const void *values, __u32 *count,
		     const struct bpf_map_batch_opts *opts)
{
	const size_t attr_sz = offsetofend(union bpf_attr, batch);
	union bpf_attr attr;
	long ret;

	if (!OPTS_VALID(opts, bpf_map_batch_opts))
		return err_ret(-EINVAL);
	memset(&attr, 0, attr_sz);
	attr.batch.map_fd = fd;
	attr.batch.in_batch = ptr_to_u64(in_batch);
	attr.batch.out_batch = ptr_to_u64(out_batch);
	attr.batch.keys = ptr_to_u64(keys);
	attr.batch.values = ptr_to_u64(values);
	attr.batch.count = *count;
	attr.batch.elem_flags = OPTS_GET(opts, elem_flags, 0);
	attr.batch.flags = OPTS_GET(opts, flags, 0);
	ret = sys_bpf(cmd, &attr, attr_sz);
	*count = attr.batch.count;	/* also on error: how far it got */
	return err_errno(ret);
}

int bpf_map_delete_batch(int fd, const void *keys, __u32 *count,
			 const struct bpf_map_batch_opts *opts)
{
	return map_batch(BPF_MAP_DELETE_BATCH, fd, NULL, NULL, keys, NULL,
			 count, opts);
}

int bpf_map_lookup_batch(int fd, void *in_batch, void *out_batch, void *keys,
			 void *values, __u32 *count,
			 const struct bpf_map_batch_opts *opts)
{
	return map_batch(BPF_MAP_LOOKUP_BATCH, fd, in_batch, out_batch, keys,
			 values, count, opts);
}

int bpf_map_lookup_and_delete_batch(int fd, void *in_batch, void *out_batch,
				    void *keys, void *values, __u32 *count,
				    const struct bpf_map_batch_opts *opts)
{
	return map_batch(BPF_MAP_LOOKUP_AND_DELETE_BATCH, fd, in_batch,
			 out_batch, keys, values, count, opts);
}

int bpf_map_update_batch(int fd, const void *keys, const void *values,
			 __u32 *count, const struct bpf_map_batch_opts *opts)
{
	return map_batch(BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, keys, values,
			 count, opts);
}

int bpf_obj_pin(int fd, const char *pathname)
{
	const size_t attr_sz = offsetofend(union bpf_attr, file_flags);
	union bpf_attr attr;

	memset(&attr, 0, attr_sz);
	attr.pathname = ptr_to_u64(pathname);
	attr.bpf_fd = fd;
	return err_errno(sys_bpf(BPF_OBJ_PIN, &attr, attr_sz));
}

int bpf_obj_get_opts(const char *pathname, const struct bpf_obj_get_opts *opts)
{
	const size_t attr_sz = offsetofend(union bpf_attr, file_flags);
	union bpf_attr attr;

	if (!OPTS_VALID(opts, bpf_obj_get_opts))
		return err_ret(-EINVAL);
	memset(&attr, 0, attr_sz);
	attr.pathname = ptr_to_u64(pathname);
	attr.file_flags = OPTS_GET(opts, file_flags, 0);
	return err_errno(sys_bpf(BPF_OBJ_GET, &attr, attr_sz));
}

int bpf_obj_get(const char *pathname)
{
	return bpf_obj_get_opts(pathname, NULL);
}

int bpf_map_get_next_id(__u32 start_id, __u32 *next_id)
{
	const size_t attr_sz = offsetofend(union bpf_attr, open_flags);
	union bpf_attr attr;
	long ret;

	memset(&attr, 0, attr_sz);
	attr.start_id = start_id;
	ret = sys_bpf(BPF_MAP_GET_NEXT_ID, &attr, attr_sz);
	if (!ret)
		*next_id = attr.next_id;
	return err_errno(ret);
}

int bpf_map_get_fd_by_id_opts(__u32 id,
			      const struct bpf_get_fd_by_id_opts *opts)
{
	const size_t attr_sz = offsetofend(union bpf_attr, open_flags);
	union bpf_attr attr;

	if (!OPTS_VALID(opts, bpf_get_fd_by_id_opts))
		return err_ret(-EINVAL);
	memset(&attr, 0, attr_sz);
	attr.map_id = id;
	attr.open_flags = OPTS_GET(opts, open_flags, 0);
	return err_errno(sys_bpf(BPF_MAP_GET_FD_BY_ID, &attr, attr_sz));
}

int bpf_map_get_fd_by_id(__u32 id)
{
	return bpf_map_get_fd_by_id_opts(id, NULL);
}

int bpf_obj_get_info_by_fd(int bpf_fd, void *info, __u32 *info_len)
{
	const size_t attr_sz = offsetofend(union bpf_attr, info);
	union bpf_attr attr;
	long ret;

	memset(&attr, 0, attr_sz);
	attr.info.bpf_fd = bpf_fd;
	attr.info.info_len = *info_len;
	attr.info.info = ptr_to_u64(info);
	ret = sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, attr_sz);
	if (!ret)
		*info_len = attr.info.info_len;
	return err_errno(ret);
}

int bpf_map_get_info_by_fd(int map_fd, struct bpf_map_info *info,
			   __u32 *info_len)
{
	return bpf_obj_get_info_by_fd(map_fd, info, info_len);
}

int libbpf_num_possible_cpus(void)
{
	return bpfemu_num_possible_cpus();
}

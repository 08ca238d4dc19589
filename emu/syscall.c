// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The emulated bpf(2) syscall: the attr checks and the checks common to
 * every map type, then dispatch to the type's ops.
 * Mirrors kernel/bpf/syscall.c (v6.18): __sys_bpf, map_create,
 * map_lookup_elem, map_update_elem, map_delete_elem, map_get_next_key,
 * map_lookup_and_delete_elem, map_freeze, bpf_map_do_batch, bpf_obj_pin,
 * bpf_obj_get, bpf_obj_get_next_id, bpf_map_get_fd_by_id,
 * bpf_obj_get_info_by_fd.
 */
#include <ctype.h>
#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

#include "emu_internal.h"
#include "bpffs.h"
#include "sha256.h"

/* offsetofend() of each command's last attr field on 6.18 (CHECK_ATTR) */
#define MAP_CREATE_END		92	/* excl_prog_hash_size */
#define MAP_ELEM_END		32	/* flags: lookup, update, l&d */
#define MAP_DELETE_END		16	/* key */
#define MAP_NEXT_KEY_END	24	/* next_key */
#define MAP_FREEZE_END		4	/* map_fd */
#define MAP_BATCH_END		56	/* batch.flags */
#define OBJ_END			20	/* path_fd */
#define GET_NEXT_ID_END		8	/* next_id */
#define GET_FD_BY_ID_END	12	/* open_flags */
#define INFO_END		16	/* info.info */

/* offsets inside union bpf_attr that the 6.1 header does not name */
#define OBJ_PATH_FD		16

#define EMU_NUMA_NODES		1	/* the emulated machine has node 0 */
#define EMU_NUMA_NO_NODE	0xffffffffU	/* -1: "any node" */

/* The kernel-side copy of the caller's attr: 6.18's union is larger. */
union emu_attr {
	union bpf_attr attr;
	unsigned char raw[EMU_ATTR_SIZE];
};

static pthread_mutex_t emu_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * A fork(2) while another thread is in the emulator must not deadlock;
 * the helper face (prog.c) takes the same lock.
 */
void emu_lock_acquire(void)
{
	pthread_mutex_lock(&emu_lock);
}

void emu_lock_release(void)
{
	pthread_mutex_unlock(&emu_lock);
}

__attribute__((constructor)) static void emu_lock_atfork(void)
{
	pthread_atfork(emu_lock_acquire, emu_lock_release, emu_lock_release);
}

/*
 * MAP_CREATE sweeps released maps once the maps may have doubled since
 * the last sweep: maps_upper_bound counts the survivors of that sweep
 * plus every map created since.
 */
static unsigned int sweep_at = 16, maps_upper_bound;

/* CHECK_ATTR: every byte after the command's last field must be zero */
static bool attr_tail_nonzero(const union emu_attr *ka, size_t end)
{
	size_t i;

	for (i = end; i < sizeof(ka->raw); i++)
		if (ka->raw[i])
			return true;
	return false;
}

static __u32 attr_u32(const union emu_attr *ka, size_t off)
{
	__u32 v;

	memcpy(&v, ka->raw + off, sizeof(v));
	return v;
}

static __u64 attr_u64(const union emu_attr *ka, size_t off)
{
	__u64 v;

	memcpy(&v, ka->raw + off, sizeof(v));
	return v;
}

/* bpf_get_file_flag: the fd access that map/open flags ask for */
static int file_flag_fmode(__u32 flags)
{
	if ((flags & BPF_F_RDONLY) && (flags & BPF_F_WRONLY))
		return -EINVAL;	/* both read-only and write-only */
	if (flags & BPF_F_RDONLY)
		return EMU_FMODE_READ;
	if (flags & BPF_F_WRONLY)
		return EMU_FMODE_WRITE;
	return EMU_FMODE_READ | EMU_FMODE_WRITE;
}

/* map_get_sys_perms: a frozen map loses write access on every fd */
static int map_sys_perms(const struct emu_map *map, int fmode)
{
	return map->frozen ? fmode & ~EMU_FMODE_WRITE : fmode;
}

static struct emu_map *map_get(int fd, int *fmode, int *err)
{
	struct emu_map *map = emu_file_map_get(fd, fmode);

	if (!map)
		*err = -errno;	/* EBADF: not open; EINVAL: not a map */
	return map;
}

/* __bpf_copy_key: a kernel-side copy of the key, NULL for key_size 0 */
static void *copy_key(const struct emu_map *map, __u64 ukey, int *err)
{
	void *key;

	*err = 0;
	if (!map->key_size) {
		if (ukey)
			*err = -EINVAL;	/* key_size 0 takes no key */
		return NULL;
	}
	key = malloc(map->key_size);
	if (!key) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = emu_copy_from_user(key, ukey, map->key_size);
	if (*err) {
		free(key);
		return NULL;
	}
	return key;
}

/*
 * The kernel's isalnum() (lib/ctype.c) is Latin-1: besides ASCII letters
 * and digits, 0xc0-0xff are letters, except 0xd7 and 0xf7.
 */
static bool kernel_isalnum(unsigned char c)
{
	if (c < 0x80)
		return isalnum(c);
	return c >= 0xc0 && c != 0xd7 && c != 0xf7;
}

/* bpf_obj_name_cpy: alnum, '_' and '.' up to a NUL within the 16 bytes */
static int name_copy(char *dst, const char *src)
{
	size_t i;

	memset(dst, 0, BPF_OBJ_NAME_LEN);
	for (i = 0; i < BPF_OBJ_NAME_LEN; i++) {
		if (!src[i])
			return 0;
		if (!kernel_isalnum(src[i]) && src[i] != '_' && src[i] != '.')
			return -EINVAL;	/* character not allowed in a name */
		dst[i] = src[i];
	}
	return -EINVAL;	/* no NUL within BPF_OBJ_NAME_LEN */
}

/* btf_get_by_fd: the emulator has no BTF objects */
static int btf_fd_errno(int fd)
{
	return fcntl(fd, F_GETFD) < 0 ? -EBADF : -EINVAL;
}

/*
 * offload.c: bpf_map_offload_map_alloc. Only HASH and ARRAY offload, and
 * only to a netdev with a BPF offload driver, which no host device here
 * has (an emulated machine has none either).
 */
static int map_offload_errno(const union bpf_attr *attr)
{
	char name[IF_NAMESIZE];

	if (attr->map_type != BPF_MAP_TYPE_HASH &&
	    attr->map_type != BPF_MAP_TYPE_ARRAY)
		return -EINVAL;	/* type cannot be offloaded */
	if (!if_indextoname(attr->map_ifindex, name))
		return -EINVAL;	/* no such netdev */
	return -EOPNOTSUPP;	/* netdev without ndo_bpf */
}

/* map_create: common checks, the type's checks, then allocation */
static int map_create(union emu_attr *ka)
{
	union bpf_attr *attr = &ka->attr;
	const struct emu_map_ops *ops;
	__u64 excl_hash = attr_u64(ka, EMU_ATTR_EXCL_PROG_HASH);
	__u32 excl_hash_size = attr_u32(ka, EMU_ATTR_EXCL_PROG_HASH_SIZE);
	bool token = attr->map_flags & EMU_F_TOKEN_FD;
	struct emu_map *map;
	int fmode, err, fd;

	if (attr_tail_nonzero(ka, MAP_CREATE_END))
		return -EINVAL;	/* CHECK_ATTR */
	attr->map_flags &= ~EMU_F_TOKEN_FD;	/* remembered, then cleared */
	if (attr->btf_vmlinux_value_type_id) {
		if (attr->map_type != BPF_MAP_TYPE_STRUCT_OPS ||
		    attr->btf_key_type_id || attr->btf_value_type_id)
			return -EINVAL;	/* vmlinux value type: struct_ops only */
	} else if (attr->btf_key_type_id && !attr->btf_value_type_id) {
		return -EINVAL;	/* key type without value type */
	}
	if (attr->map_type != BPF_MAP_TYPE_BLOOM_FILTER &&
	    attr->map_type != 33 /* BPF_MAP_TYPE_ARENA */ && attr->map_extra)
		return -EINVAL;	/* map_extra is for bloom and arena only */
	fmode = file_flag_fmode(attr->map_flags);
	if (fmode < 0)
		return fmode;
	if ((attr->map_flags & BPF_F_NUMA_NODE) &&
	    attr->numa_node != EMU_NUMA_NO_NODE &&
	    attr->numa_node >= EMU_NUMA_NODES)
		return -EINVAL;	/* NUMA node out of range or offline */
	ops = emu_map_type_ops(attr->map_type);
	if (!ops)
		return -EINVAL;	/* unknown or unsupported map type */
	err = ops->map_alloc_check(attr);
	if (err)
		return err;
	if (token)
		return fcntl((int)attr_u32(ka, EMU_ATTR_MAP_TOKEN_FD),
			     F_GETFD) < 0 ? -EBADF : -EINVAL; /* no tokens */
	/* privilege: the emulator is root with every capability */
	if (attr->map_ifindex)
		return map_offload_errno(attr);

	if (++maps_upper_bound >= sweep_at) {
		maps_upper_bound = emu_map_sweep() + 1;
		sweep_at = maps_upper_bound * 2 > 16 ?
			   maps_upper_bound * 2 : 16;
	}
	map = ops->map_alloc(attr);
	if (IS_ERR(map))
		return PTR_ERR(map);
	map->ops = ops;
	err = name_copy(map->name, attr->map_name);
	if (err)
		goto out_free;
	if (attr->btf_key_type_id || attr->btf_value_type_id) {
		err = btf_fd_errno(attr->btf_fd);
		goto out_free;
	}
	if (excl_hash) {
		err = -EINVAL;	/* exclusive map: hash must be SHA-256 */
		if (excl_hash_size != SHA256_DIGEST_SIZE)
			goto out_free;
		err = -EFAULT;	/* the hash is copied in */
		if (emu_bad_uptr(excl_hash))
			goto out_free;
	} else if (excl_hash_size) {
		err = -EINVAL;	/* a hash size without a hash */
		goto out_free;
	}
	err = emu_map_register(map);
	if (err)
		goto out_free;
	fd = emu_file_new_fd(map, fmode);
	if (fd < 0) {
		err = fd;
		goto out_free;
	}
	return fd;
out_free:
	emu_map_release(map);
	return err;
}

/* bpf_map_copy_value for types whose lookup op returns the value */
int emu_map_lookup_elem_sys_generic(struct emu_map *map, const void *key,
				    void *value, __u64 flags)
{
	void *ptr = map->ops->map_lookup_elem(map, key);

	(void)flags;	/* BPF_F_LOCK never gets here: no spin locks */
	if (!ptr)
		return -ENOENT;	/* no such element */
	memcpy(value, ptr, map->value_size);
	return 0;
}

/* bpf_map_update_value for types without a syscall-specific update */
int emu_map_update_elem_sys_generic(struct emu_map *map, const void *key,
				    const void *value, __u64 flags)
{
	return map->ops->map_update_elem(map, key, value, flags);
}

/* map info's hash: only plain arrays can hash their values */
int emu_map_get_hash_notsupp(struct emu_map *map, __u32 hash_size, void *hash)
{
	(void)map; (void)hash_size; (void)hash;
	return -EINVAL;
}

/* map_lookup_and_delete_elem: every type but hash, queue, stack, stackmap */
int emu_map_lookup_and_delete_elem_notsupp(struct emu_map *map,
					   const void *key, void *value,
					   __u64 flags)
{
	(void)map; (void)key; (void)value; (void)flags;
	return -ENOTSUPP;
}

/* Without BTF no value has a bpf_spin_lock, so BPF_F_LOCK never fits. */
static bool lock_flag_invalid(__u64 flags)
{
	return flags & BPF_F_LOCK;
}

static int map_lookup_elem(union emu_attr *ka)
{
	union bpf_attr *attr = &ka->attr;
	struct emu_map *map;
	void *key, *value;
	int fmode, err;

	if (attr_tail_nonzero(ka, MAP_ELEM_END))
		return -EINVAL;	/* CHECK_ATTR */
	if (attr->flags & ~BPF_F_LOCK)
		return -EINVAL;	/* only BPF_F_LOCK, checked before the fd */
	map = map_get(attr->map_fd, &fmode, &err);
	if (!map)
		return err;
	if (!(map_sys_perms(map, fmode) & EMU_FMODE_READ))
		return -EPERM;	/* fd not readable */
	if (lock_flag_invalid(attr->flags))
		return -EINVAL;	/* BPF_F_LOCK without a bpf_spin_lock */
	key = copy_key(map, attr->key, &err);
	if (err)
		return err;
	value = malloc(emu_map_value_size(map) ? : 1);
	if (!value) {
		err = -ENOMEM;
		goto out_free_key;
	}
	if (map->map_type == BPF_MAP_TYPE_BLOOM_FILTER) {
		/* the value is the peek's input; nothing is copied back */
		err = emu_copy_from_user(value, attr->value,
					 emu_map_value_size(map));
		if (!err)
			err = map->ops->map_lookup_elem_sys(map, key, value,
							    attr->flags);
		goto out_free_value;
	}
	err = map->ops->map_lookup_elem_sys(map, key, value, attr->flags);
	if (!err)
		err = emu_copy_to_user(attr->value, value,
				       emu_map_value_size(map));
out_free_value:
	free(value);
out_free_key:
	free(key);
	return err;
}

/* bpf_map_update_value, shared with the update batch */
int emu_map_update_value(struct emu_map *map, const void *key,
			 const void *value, __u64 flags)
{
	return map->ops->map_update_elem_sys(map, key, value, flags);
}

static int map_update_elem(union emu_attr *ka)
{
	union bpf_attr *attr = &ka->attr;
	struct emu_map *map;
	void *key, *value;
	__u32 value_size;
	int fmode, err;

	if (attr_tail_nonzero(ka, MAP_ELEM_END))
		return -EINVAL;	/* CHECK_ATTR */
	map = map_get(attr->map_fd, &fmode, &err);
	if (!map)
		return err;
	if (!(map_sys_perms(map, fmode) & EMU_FMODE_WRITE))
		return -EPERM;	/* fd not writable, or map frozen */
	if (lock_flag_invalid(attr->flags))
		return -EINVAL;	/* BPF_F_LOCK without a bpf_spin_lock */
	key = copy_key(map, attr->key, &err);
	if (err)
		return err;
	value_size = emu_map_value_size(map);
	value = malloc(value_size ? : 1);
	if (!value) {
		err = -ENOMEM;
		goto out_free_key;
	}
	err = emu_copy_from_user(value, attr->value, value_size);
	if (!err)
		err = emu_map_update_value(map, key, value, attr->flags);
	free(value);
out_free_key:
	free(key);
	return err;
}

static int map_delete_elem(union emu_attr *ka)
{
	union bpf_attr *attr = &ka->attr;
	struct emu_map *map;
	int fmode, err;
	void *key;

	if (attr_tail_nonzero(ka, MAP_DELETE_END))
		return -EINVAL;	/* CHECK_ATTR: value and flags must be 0 */
	map = map_get(attr->map_fd, &fmode, &err);
	if (!map)
		return err;
	if (!(map_sys_perms(map, fmode) & EMU_FMODE_WRITE))
		return -EPERM;	/* fd not writable, or map frozen */
	key = copy_key(map, attr->key, &err);
	if (err)
		return err;
	err = map->ops->map_delete_elem(map, key);
	free(key);
	return err;
}

static int map_get_next_key(union emu_attr *ka)
{
	union bpf_attr *attr = &ka->attr;
	void *key = NULL, *next_key;
	struct emu_map *map;
	int fmode, err;

	if (attr_tail_nonzero(ka, MAP_NEXT_KEY_END))
		return -EINVAL;	/* CHECK_ATTR: flags must be 0 */
	map = map_get(attr->map_fd, &fmode, &err);
	if (!map)
		return err;
	if (!(map_sys_perms(map, fmode) & EMU_FMODE_READ))
		return -EPERM;	/* fd not readable */
	if (attr->key) {	/* a NULL key asks for the first key */
		key = copy_key(map, attr->key, &err);
		if (err)
			return err;
	}
	next_key = malloc(map->key_size ? : 1);
	if (!next_key) {
		err = -ENOMEM;
		goto out_free_key;
	}
	err = map->ops->map_get_next_key(map, key, next_key);
	if (!err)
		err = emu_copy_to_user(attr->next_key, next_key,
				       map->key_size);
	free(next_key);
out_free_key:
	free(key);
	return err;
}

static int map_lookup_and_delete_elem(union emu_attr *ka)
{
	union bpf_attr *attr = &ka->attr;
	struct emu_map *map;
	void *key, *value;
	int fmode, perms, err;

	if (attr_tail_nonzero(ka, MAP_ELEM_END))
		return -EINVAL;	/* CHECK_ATTR */
	if (attr->flags & ~BPF_F_LOCK)
		return -EINVAL;	/* only BPF_F_LOCK, checked before the fd */
	map = map_get(attr->map_fd, &fmode, &err);
	if (!map)
		return err;
	perms = map_sys_perms(map, fmode);
	if (!(perms & EMU_FMODE_READ) || !(perms & EMU_FMODE_WRITE))
		return -EPERM;	/* needs read and write access */
	if (attr->flags && (map->map_type == BPF_MAP_TYPE_QUEUE ||
			    map->map_type == BPF_MAP_TYPE_STACK))
		return -EINVAL;	/* pop takes no flags */
	if (lock_flag_invalid(attr->flags))
		return -EINVAL;	/* BPF_F_LOCK without a bpf_spin_lock */
	key = copy_key(map, attr->key, &err);
	if (err)
		return err;
	value = malloc(emu_map_value_size(map) ? : 1);
	if (!value) {
		err = -ENOMEM;
		goto out_free_key;
	}
	err = map->ops->map_lookup_and_delete_elem(map, key, value,
						   attr->flags);
	/* deleted before the copy: a bad value pointer still deletes */
	if (!err)
		err = emu_copy_to_user(attr->value, value,
				       emu_map_value_size(map));
	free(value);
out_free_key:
	free(key);
	return err;
}

static int map_freeze(union emu_attr *ka)
{
	struct emu_map *map;
	int fmode, err;

	if (attr_tail_nonzero(ka, MAP_FREEZE_END))
		return -EINVAL;	/* CHECK_ATTR */
	map = map_get(ka->attr.map_fd, &fmode, &err);
	if (!map)
		return err;
	/* no BTF special fields and no struct_ops here: nothing is ENOTSUPP */
	if (!(map_sys_perms(map, fmode) & EMU_FMODE_WRITE))
		return -EPERM;	/* not writable; a frozen map is not either */
	if (map->writecnt)
		return -EBUSY;	/* a writable mapping is still there */
	map->frozen = true;
	return 0;
}

/* bpf_map_do_batch: access checks, then the type's batch op */
static int map_do_batch(int cmd, union emu_attr *ka, union bpf_attr *uattr)
{
	const union bpf_attr *attr = &ka->attr;
	bool reads = cmd == BPF_MAP_LOOKUP_BATCH ||
		     cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH;
	bool writes = cmd != BPF_MAP_LOOKUP_BATCH;
	const struct emu_map_ops *ops;
	struct emu_map *map;
	int fmode, perms, err;

	if (attr_tail_nonzero(ka, MAP_BATCH_END))
		return -EINVAL;	/* CHECK_ATTR */
	map = map_get(attr->batch.map_fd, &fmode, &err);
	if (!map)
		return err;
	perms = map_sys_perms(map, fmode);
	if (reads && !(perms & EMU_FMODE_READ))
		return -EPERM;	/* lookups need read access */
	if (writes && !(perms & EMU_FMODE_WRITE))
		return -EPERM;	/* changes need write access */
	ops = map->ops;
	switch (cmd) {
	case BPF_MAP_LOOKUP_BATCH:
		return ops->map_lookup_batch(map, attr, uattr);
	case BPF_MAP_LOOKUP_AND_DELETE_BATCH:
		return ops->map_lookup_and_delete_batch(map, attr, uattr);
	case BPF_MAP_UPDATE_BATCH:
		return ops->map_update_batch(map, attr, uattr);
	default:
		return ops->map_delete_batch(map, attr, uattr);
	}
}

static int obj_pin(union emu_attr *ka)
{
	const union bpf_attr *attr = &ka->attr;
	__u32 path_fd = attr_u32(ka, OBJ_PATH_FD);
	struct emu_map *map;
	int fmode;

	if (attr_tail_nonzero(ka, OBJ_END) ||
	    attr->file_flags & ~EMU_F_PATH_FD)
		return -EINVAL;	/* CHECK_ATTR, or an unknown flag */
	if (!(attr->file_flags & EMU_F_PATH_FD) && path_fd)
		return -EINVAL;	/* path_fd needs BPF_F_PATH_FD */
	map = emu_file_map_get(attr->bpf_fd, &fmode);
	if (!map)
		return -EINVAL;	/* bpf_fd_probe_obj: not a map/prog/link */
	return emu_bpffs_pin(map, attr->file_flags & EMU_F_PATH_FD ?
				  (int)path_fd : AT_FDCWD,
			     u64_to_ptr(attr->pathname));
}

static int obj_get(union emu_attr *ka)
{
	const union bpf_attr *attr = &ka->attr;
	__u32 path_fd = attr_u32(ka, OBJ_PATH_FD);
	struct emu_map *map;
	int fmode, err;

	if (attr_tail_nonzero(ka, OBJ_END) || attr->bpf_fd ||
	    attr->file_flags & ~(BPF_F_RDONLY | BPF_F_WRONLY | EMU_F_PATH_FD))
		return -EINVAL;	/* CHECK_ATTR, bpf_fd set, unknown flag */
	if (!(attr->file_flags & EMU_F_PATH_FD) && path_fd)
		return -EINVAL;	/* path_fd needs BPF_F_PATH_FD */
	fmode = file_flag_fmode(attr->file_flags);
	if (fmode < 0)
		return fmode;
	map = emu_bpffs_get(attr->file_flags & EMU_F_PATH_FD ?
			    (int)path_fd : AT_FDCWD,
			    u64_to_ptr(attr->pathname), &err);
	if (!map)
		return err;
	return emu_file_new_fd(map, fmode);
}

static int map_get_next_id(union emu_attr *ka, union bpf_attr *uattr)
{
	__u32 next;

	if (attr_tail_nonzero(ka, GET_NEXT_ID_END) ||
	    ka->attr.start_id >= EMU_ID_MAX)
		return -EINVAL;	/* CHECK_ATTR, or no id can follow */
	/* CAP_SYS_ADMIN: the emulator has it */
	maps_upper_bound = emu_map_sweep();
	next = emu_map_next_id(ka->attr.start_id + 1);
	if (!next)
		return -ENOENT;	/* no map with a larger id */
	uattr->next_id = next;
	return 0;
}

static int map_get_fd_by_id(union emu_attr *ka)
{
	const union bpf_attr *attr = &ka->attr;
	struct emu_map *map;
	int fmode;

	if (attr_tail_nonzero(ka, GET_FD_BY_ID_END))
		return -EINVAL;	/* CHECK_ATTR */
	if (attr->open_flags & ~(BPF_F_RDONLY | BPF_F_WRONLY))
		return -EINVAL;	/* only access flags */
	/* CAP_SYS_ADMIN: the emulator has it */
	fmode = file_flag_fmode(attr->open_flags);
	if (fmode < 0)
		return fmode;
	maps_upper_bound = emu_map_sweep();
	map = emu_map_by_id(attr->map_id);
	if (!map)
		return -ENOENT;	/* no map with this id */
	return emu_file_new_fd(map, fmode);
}

/* struct bpf_map_info on 6.18: the fields past map_extra, by offset */
#define INFO_HASH		88	/* __u64 user pointer */
#define INFO_HASH_SIZE		96	/* __u32 */
#define INFO_HASH_SIZE_END	100

/*
 * Fills what bpf_map_get_info_by_fd fills; the rest of the caller's
 * struct (ifindex, netns, BTF ids without BTF) comes back as it was.
 */
static void map_info_fill(const struct emu_map *map, unsigned char *info)
{
	struct bpf_map_info *mi = (struct bpf_map_info *)info;

	mi->type = map->map_type;
	mi->id = map->id;
	mi->key_size = map->key_size;
	mi->value_size = map->value_size;
	mi->max_entries = map->max_entries;
	mi->map_flags = map->map_flags;
	memcpy(mi->name, map->name, sizeof(mi->name));
	mi->btf_vmlinux_value_type_id = 0;	/* no struct_ops maps */
	mi->map_extra = map->map_extra;
}

/* The hash the caller asked for in info.hash (bpf_map_get_info_by_fd). */
static int map_info_hash(struct emu_map *map, const unsigned char *info)
{
	unsigned char digest[SHA256_DIGEST_SIZE];
	__u32 hash_size;
	__u64 hash;
	int err;

	memcpy(&hash, info + INFO_HASH, sizeof(hash));
	memcpy(&hash_size, info + INFO_HASH_SIZE, sizeof(hash_size));
	if (!hash)
		return hash_size ? -EINVAL : 0;	/* a size without a buffer */
	if (hash_size != SHA256_DIGEST_SIZE)
		return -EINVAL;	/* only SHA-256 */
	err = map->ops->map_get_hash(map, hash_size, digest);
	if (err)
		return err;
	if (!map->frozen)
		return -EPERM;	/* values may still change */
	return emu_copy_to_user(hash, digest, sizeof(digest));
}

static int map_get_info(struct emu_map *map, const union bpf_attr *attr,
			union bpf_attr *uattr)
{
	unsigned char info[EMU_MAP_INFO_SIZE];
	__u32 info_len = attr->info.info_len, i;
	int err;

	if (info_len > EMU_PAGE_SIZE)
		return -E2BIG;	/* bpf_check_uarg_tail_zero */
	for (i = INFO_HASH_SIZE_END; i < info_len; i++) {
		if (emu_bad_uptr(attr->info.info))
			return -EFAULT;	/* the info tail is unreadable */
		if (((unsigned char *)u64_to_ptr(attr->info.info))[i])
			return -E2BIG;	/* bytes past the last field */
	}
	info_len = min_t(__u32, info_len, EMU_MAP_INFO_SIZE);
	memset(info, 0, sizeof(info));
	err = emu_copy_from_user(info, attr->info.info, info_len);
	if (err)
		return err;
	map_info_fill(map, info);
	err = map_info_hash(map, info);
	if (err)
		return err;
	err = emu_copy_to_user(attr->info.info, info, info_len);
	if (err)
		return err;
	uattr->info.info_len = info_len;
	return 0;
}

static int obj_get_info_by_fd(union emu_attr *ka, union bpf_attr *uattr)
{
	struct emu_map *map;
	int fmode;

	if (attr_tail_nonzero(ka, INFO_END))
		return -EINVAL;	/* CHECK_ATTR */
	map = emu_file_map_get(ka->attr.info.bpf_fd, &fmode);
	if (!map)
		return errno == EBADF ? -EBADFD : -EINVAL; /* no fd; not bpf */
	return map_get_info(map, &ka->attr, uattr);
}

static int sys_bpf(int cmd, union emu_attr *ka, union bpf_attr *uattr)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
		return map_create(ka);
	case BPF_MAP_LOOKUP_ELEM:
		return map_lookup_elem(ka);
	case BPF_MAP_UPDATE_ELEM:
		return map_update_elem(ka);
	case BPF_MAP_DELETE_ELEM:
		return map_delete_elem(ka);
	case BPF_MAP_GET_NEXT_KEY:
		return map_get_next_key(ka);
	case BPF_MAP_LOOKUP_AND_DELETE_ELEM:
		return map_lookup_and_delete_elem(ka);
	case BPF_MAP_FREEZE:
		return map_freeze(ka);
	case BPF_MAP_LOOKUP_BATCH:
	case BPF_MAP_LOOKUP_AND_DELETE_BATCH:
	case BPF_MAP_UPDATE_BATCH:
	case BPF_MAP_DELETE_BATCH:
		return map_do_batch(cmd, ka, uattr);
	case BPF_OBJ_PIN:
		return obj_pin(ka);
	case BPF_OBJ_GET:
		return obj_get(ka);
	case BPF_MAP_GET_NEXT_ID:
		return map_get_next_id(ka, uattr);
	case BPF_MAP_GET_FD_BY_ID:
		return map_get_fd_by_id(ka);
	case BPF_OBJ_GET_INFO_BY_FD:
		return obj_get_info_by_fd(ka, uattr);
	default:
		return -EINVAL;	/* unknown or not emulated command */
	}
}

long bpfemu_sys_bpf(int cmd, union bpf_attr *uattr, unsigned int size)
{
	union emu_attr ka;
	unsigned int i;
	int ret;

	if (size > EMU_PAGE_SIZE) {
		errno = E2BIG;	/* bpf_check_uarg_tail_zero: over a page */
		return -1;
	}
	if (size && emu_bad_uptr((uintptr_t)uattr)) {
		errno = EFAULT;
		return -1;
	}
	for (i = EMU_ATTR_SIZE; i < size; i++) {
		if (((unsigned char *)uattr)[i]) {
			errno = E2BIG;	/* bytes the kernel does not know */
			return -1;
		}
	}
	memset(&ka, 0, sizeof(ka));
	/* size 0 takes a NULL attr: the command sees all zeroes */
	if (size)
		memcpy(ka.raw, uattr, min_t(unsigned int, size, EMU_ATTR_SIZE));

	pthread_mutex_lock(&emu_lock);
	ret = sys_bpf(cmd, &ka, uattr);
	pthread_mutex_unlock(&emu_lock);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

/* The calls that mirror libc ones answer as libc does: -1 and errno. */
static int libc_ret(int err)
{
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

int bpfemu_unlink(const char *path)
{
	int err;

	pthread_mutex_lock(&emu_lock);
	err = emu_bpffs_unlink(path);
	pthread_mutex_unlock(&emu_lock);
	return libc_ret(err);
}

int bpfemu_mkdir(const char *path, mode_t mode)
{
	int err;

	pthread_mutex_lock(&emu_lock);
	err = emu_bpffs_mkdir(path, mode);
	pthread_mutex_unlock(&emu_lock);
	return libc_ret(err);
}

int bpfemu_rmdir(const char *path)
{
	int err;

	pthread_mutex_lock(&emu_lock);
	err = emu_bpffs_rmdir(path);
	pthread_mutex_unlock(&emu_lock);
	return libc_ret(err);
}

void *bpfemu_mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t off)
{
	void *p;
	int err;

	pthread_mutex_lock(&emu_lock);
	p = emu_mmap(addr, len, prot, flags, fd, off, &err);
	pthread_mutex_unlock(&emu_lock);
	if (err)
		errno = -err;
	return p;
}

int bpfemu_munmap(void *addr, size_t len)
{
	int err;

	pthread_mutex_lock(&emu_lock);
	err = emu_munmap(addr, len);
	pthread_mutex_unlock(&emu_lock);
	return libc_ret(err);
}

int bpfemu_mprotect(void *addr, size_t len, int prot)
{
	int err;

	pthread_mutex_lock(&emu_lock);
	err = emu_mprotect(addr, len, prot);
	pthread_mutex_unlock(&emu_lock);
	return libc_ret(err);
}

void *bpfemu_mremap(void *old, size_t old_len, size_t new_len, int flags,
		    void *new_addr)
{
	void *p;
	int err;

	pthread_mutex_lock(&emu_lock);
	p = emu_mremap(old, old_len, new_len, flags, new_addr, &err);
	pthread_mutex_unlock(&emu_lock);
	if (err)
		errno = -err;
	return err ? MAP_FAILED : p;
}

/* A machine's CPUs do not change under its maps: only with none alive. */
int bpfemu_set_possible_cpus(unsigned int ncpus)
{
	int err = -EBUSY;

	pthread_mutex_lock(&emu_lock);
	maps_upper_bound = emu_map_sweep();
	if (!maps_upper_bound)
		err = emu_set_possible_cpus(ncpus);
	pthread_mutex_unlock(&emu_lock);
	return err;
}

int bpfemu_num_possible_cpus(void)
{
	unsigned int n;

	pthread_mutex_lock(&emu_lock);
	n = emu_num_possible_cpus();
	pthread_mutex_unlock(&emu_lock);
	return n;
}

int bpfemu_map_hold(int fd, bool hold)
{
	struct emu_map *map;
	int fmode, err = 0;

	pthread_mutex_lock(&emu_lock);
	map = emu_file_map_get(fd, &fmode);
	if (!map)
		err = -errno;	/* EBADF: not open; EINVAL: not a map */
	else if (hold)
		map->hold_cnt++;
	else if (map->hold_cnt)
		map->hold_cnt--;
	else
		err = -EINVAL;	/* released more often than held */
	pthread_mutex_unlock(&emu_lock);
	return err;
}

unsigned int bpfemu_live_maps(void)
{
	unsigned int n;

	pthread_mutex_lock(&emu_lock);
	n = maps_upper_bound = emu_map_sweep();
	pthread_mutex_unlock(&emu_lock);
	return n;
}

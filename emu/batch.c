// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The generic batch ops, for types without their own.
 * Mirrors kernel/bpf/syscall.c (v6.18): generic_map_lookup_batch,
 * generic_map_update_batch, generic_map_delete_batch, and BPF_DO_BATCH's
 * answer for a type that has no batch op.
 */
#include <stdlib.h>

#include "emu_internal.h"

int emu_map_batch_notsupp(struct emu_map *map, const union bpf_attr *attr,
			  union bpf_attr *uattr)
{
	(void)map; (void)attr; (void)uattr;
	return -ENOTSUPP;	/* BPF_DO_BATCH: the type has no such op */
}

/* The checks every generic batch starts with; 1 means "done, count 0". */
static int batch_begin(const union bpf_attr *attr, union bpf_attr *uattr)
{
	if (attr->batch.elem_flags & ~BPF_F_LOCK)
		return -EINVAL;	/* elem_flags: only BPF_F_LOCK */
	if (attr->batch.elem_flags & BPF_F_LOCK)
		return -EINVAL;	/* BPF_F_LOCK without a bpf_spin_lock */
	if (!attr->batch.count)
		return 1;	/* nothing asked, count not written */
	uattr->batch.count = 0;
	return 0;
}

int emu_generic_map_lookup_batch(struct emu_map *map,
				 const union bpf_attr *attr,
				 union bpf_attr *uattr)
{
	__u32 value_size = emu_map_value_size(map), max_count, cp = 0;
	void *buf_prevkey, *buf, *key, *value, *prev_key = NULL, *swap;
	int err;

	err = batch_begin(attr, uattr);
	if (err)
		return err < 0 ? err : 0;
	max_count = attr->batch.count;
	buf_prevkey = malloc(map->key_size);
	buf = malloc(map->key_size + value_size);
	err = -ENOMEM;
	if (!buf_prevkey || !buf)
		goto out_free;
	if (attr->batch.in_batch) {
		err = emu_copy_from_user(buf_prevkey, attr->batch.in_batch,
					 map->key_size);
		if (err)
			goto out_free;
		prev_key = buf_prevkey;
	}
	key = buf;
	value = (char *)buf + map->key_size;
	while (cp < max_count) {
		err = map->ops->map_get_next_key(map, prev_key, key);
		if (err)
			break;	/* ENOENT: the end, with what was copied */
		err = map->ops->map_lookup_elem_sys(map, key, value,
						    attr->batch.elem_flags);
		if (err == -ENOENT)
			goto next_key;	/* an empty slot: skipped (6.14+) */
		if (err)
			goto out_free;
		err = emu_copy_to_user(attr->batch.keys +
				       (__u64)cp * map->key_size,
				       key, map->key_size);
		if (!err)
			err = emu_copy_to_user(attr->batch.values +
					       (__u64)cp * value_size,
					       value, value_size);
		if (err)
			goto out_free;
		cp++;
next_key:
		if (!prev_key)
			prev_key = buf_prevkey;
		swap = prev_key;
		prev_key = key;
		key = swap;
	}
	uattr->batch.count = cp;
	/* the cookie is the last key visited */
	if (cp && emu_copy_to_user(attr->batch.out_batch, prev_key,
				   map->key_size))
		err = -EFAULT;	/* the cookie could not be written */
out_free:
	free(buf_prevkey);
	free(buf);
	return err;
}

int emu_generic_map_update_batch(struct emu_map *map,
				 const union bpf_attr *attr,
				 union bpf_attr *uattr)
{
	__u32 value_size = emu_map_value_size(map), cp;
	void *key, *value;
	int err;

	err = batch_begin(attr, uattr);
	if (err)
		return err < 0 ? err : 0;
	key = malloc(map->key_size ? : 1);
	value = malloc(value_size ? : 1);
	err = -ENOMEM;
	if (!key || !value)
		goto out_free;
	/* stops at the first error; count says how many went in before it */
	for (cp = 0; cp < attr->batch.count; cp++) {
		err = emu_copy_from_user(key, attr->batch.keys +
					 (__u64)cp * map->key_size,
					 map->key_size);
		if (!err)
			err = emu_copy_from_user(value, attr->batch.values +
						 (__u64)cp * value_size,
						 value_size);
		if (!err)
			err = emu_map_update_value(map, key, value,
						   attr->batch.elem_flags);
		if (err)
			break;
	}
	uattr->batch.count = cp;
out_free:
	free(key);
	free(value);
	return err;
}

int emu_generic_map_delete_batch(struct emu_map *map,
				 const union bpf_attr *attr,
				 union bpf_attr *uattr)
{
	void *key;
	__u32 cp;
	int err;

	err = batch_begin(attr, uattr);
	if (err)
		return err < 0 ? err : 0;
	key = malloc(map->key_size ? : 1);
	if (!key)
		return -ENOMEM;
	/* stops at the first error; count says how many went before it */
	for (cp = 0; cp < attr->batch.count; cp++) {
		err = emu_copy_from_user(key, attr->batch.keys +
					 (__u64)cp * map->key_size,
					 map->key_size);
		if (!err)
			err = map->ops->map_delete_elem(map, key);
		if (err)
			break;
	}
	uattr->batch.count = cp;
	free(key);
	return err;
}

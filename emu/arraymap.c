/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrors kernel/bpf/arraymap.c (v6.18). */
/*
 * BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY.
 *
 * Storage is one zeroed block of round_up(value_size, 8) byte slots:
 * - ARRAY: slot i is element i. With BPF_F_MMAPABLE the block is a
 *   MAP_SHARED mapping of the map's anchor memfd, so a user mmap() of a
 *   map fd sees element i at byte i * elem_size, as on the kernel.
 * - PERCPU_ARRAY: the map->ncpus copies of element i are adjacent, copy
 *   k at (i * ncpus + k) * elem_size. That is the user buffer's layout
 *   (k-th possible CPU at k * elem_size), so a syscall lookup or update
 *   is one copy, padding included.
 *
 * The kernel's ENOMEM for huge arrays depends on the host's memory (and
 * vmalloc/percpu limits) and is not emulated: storage comes from calloc
 * or a memfd mapping, both lazy, so only sizes the address space cannot
 * hold fail here.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "emu_internal.h"
#include "sha256.h"

/* include/linux/percpu.h: PCPU_MIN_UNIT_SIZE, the largest percpu value */
#define ARRAY_PCPU_MIN_UNIT_SIZE	(32 << 10)

#define ARRAY_CREATE_FLAG_MASK	(BPF_F_NUMA_NODE | BPF_F_MMAPABLE | \
				 EMU_F_ACCESS_MASK | BPF_F_PRESERVE_ELEMS | \
				 BPF_F_INNER_MAP)

struct emu_array {
	struct emu_map map;
	__u32 elem_size;	/* round_up(value_size, 8) */
	size_t size;		/* storage bytes (mapping length if mmapable) */
	char *value;
};

static struct emu_array *to_array(struct emu_map *map)
{
	return container_of(map, struct emu_array, map);
}

/* The key is a host-order u32; it may be unaligned on the helper face. */
static __u32 array_map_index(const void *key)
{
	__u32 index;

	memcpy(&index, key, sizeof(index));
	return index;
}

static char *array_map_elem(struct emu_array *array, __u32 index)
{
	return array->value + (size_t)index * array->elem_size;
}

static char *percpu_array_map_elem(struct emu_array *array, __u32 index,
				   unsigned int cpu)
{
	return array->value +
	       ((size_t)index * array->map.ncpus + cpu) * array->elem_size;
}

/* syscall.c: bpf_map_flags_access_ok */
static bool array_map_flags_access_ok(__u32 flags)
{
	return (flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) !=
	       (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG);
}

/* arraymap.c: array_map_alloc_check. Every EINVAL row before the E2BIG. */
static int array_map_alloc_check(union bpf_attr *attr)
{
	bool percpu = attr->map_type == BPF_MAP_TYPE_PERCPU_ARRAY;

	if (attr->max_entries == 0)
		return -EINVAL;	/* an array has at least one element */
	if (attr->key_size != sizeof(__u32))
		return -EINVAL;	/* the key is a u32 index */
	if (attr->value_size == 0)
		return -EINVAL;	/* values cannot be empty */
	if (attr->map_flags & ~ARRAY_CREATE_FLAG_MASK)
		return -EINVAL;	/* a flag arrays do not know */
	if (!array_map_flags_access_ok(attr->map_flags))
		return -EINVAL;	/* programs cannot be both RDONLY and WRONLY */
	if (percpu && (attr->map_flags & BPF_F_NUMA_NODE) &&
	    attr->numa_node != (__u32)-1)
		return -EINVAL;	/* percpu storage has no NUMA placement */
	if (attr->map_type != BPF_MAP_TYPE_ARRAY &&
	    (attr->map_flags & (BPF_F_MMAPABLE | BPF_F_INNER_MAP)))
		return -EINVAL;	/* only plain ARRAY is mmapable or inner */
	if (attr->map_type != BPF_MAP_TYPE_PERF_EVENT_ARRAY &&
	    (attr->map_flags & BPF_F_PRESERVE_ELEMS))
		return -EINVAL;	/* PRESERVE_ELEMS is for perf event arrays */
	if (attr->value_size > INT_MAX)
		return -E2BIG;	/* round_up(value_size, 8) must not overflow */
	if (percpu && round_up(attr->value_size, 8) > ARRAY_PCPU_MIN_UNIT_SIZE)
		return -E2BIG;	/* a percpu value fits in one percpu unit */
	return 0;
}

/* The storage lives in the anchor memfd, shared with user mmap()s. */
static int array_map_alloc_mmapable(struct emu_array *array, size_t size)
{
	void *value;
	int fd;

	/* arraymap.c: array_map_mmap bounds mappings by the aligned size */
	size = round_up(size, (size_t)EMU_PAGE_SIZE);

	fd = memfd_create("bpfemu-map", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;	/* out of fds: EMFILE/ENFILE, as the map fd */
	/*
	 * Seal the size: user fds reopen this memfd, and a user ftruncate()
	 * must not pull the storage from under the emulator (SIGBUS).
	 */
	if (ftruncate(fd, size) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW))
		goto out_close;
	value = emu_host_mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			      fd, 0);
	if (value == MAP_FAILED)
		goto out_close;

	array->value = value;
	array->size = size;
	array->map.anchor_fd = fd;
	array->map.storage = value;
	array->map.storage_len = size;
	return 0;

out_close:
	close(fd);
	return -ENOMEM;	/* storage could not be allocated */
}

/* arraymap.c: array_map_alloc, after the checks of array_map_alloc_check */
static struct emu_map *array_map_alloc(union bpf_attr *attr)
{
	bool percpu = attr->map_type == BPF_MAP_TYPE_PERCPU_ARRAY;
	struct emu_array *array;
	size_t size;
	int err;

	/*
	 * alloc_check bounds the sizes, so on a 64-bit host the storage size
	 * cannot overflow: ARRAY < 2^32 slots * 2^31 bytes, PERCPU_ARRAY
	 * < 2^32 slots * 2^15 bytes * ncpus (far fewer than 2^17 CPUs).
	 */
	_Static_assert(sizeof(size_t) >= sizeof(__u64), "64-bit hosts only");

	array = emu_zalloc(sizeof(*array));
	if (!array)
		return ERR_PTR(-ENOMEM);	/* no memory for the map */
	emu_map_init_from_attr(&array->map, attr);
	array->elem_size = round_up(attr->value_size, 8);

	/*
	 * The emulator is root with every capability, so it bypasses the
	 * Spectre v1 mitigation: no rounding of the slot count up to a
	 * power of two, hence no E2BIG for max_entries > 2^31 either.
	 */
	size = (size_t)attr->max_entries * array->elem_size;
	if (percpu)
		size *= array->map.ncpus;

	if (attr->map_flags & BPF_F_MMAPABLE) {
		err = array_map_alloc_mmapable(array, size);
		if (err)
			goto out_free_array;
	} else {
		array->value = emu_zalloc(size);
		if (!array->value) {
			err = -ENOMEM;	/* storage could not be allocated */
			goto out_free_array;
		}
		array->size = size;
	}
	return &array->map;

out_free_array:
	free(array);
	return ERR_PTR(err);
}

/* map.c closes anchor_fd afterwards; only the storage mapping is ours. */
static void array_map_free(struct emu_map *map)
{
	struct emu_array *array = to_array(map);

	if (map->map_flags & BPF_F_MMAPABLE)
		emu_host_munmap(array->value, array->size);
	else
		free(array->value);
	free(array);
}

/* arraymap.c: array_map_lookup_elem */
static void *array_map_lookup_elem(struct emu_map *map, const void *key)
{
	__u32 index = array_map_index(key);

	if (index >= map->max_entries)
		return NULL;	/* out of range: no element */
	return array_map_elem(to_array(map), index);
}

/* arraymap.c: percpu_array_map_lookup_elem; the current CPU's copy */
static void *percpu_array_map_lookup_elem(struct emu_map *map,
					  const void *key)
{
	__u32 index = array_map_index(key);
	unsigned int cpu = emu_current_cpu();

	if (index >= map->max_entries)
		return NULL;	/* out of range: no element */
	return percpu_array_map_elem(to_array(map), index, cpu);
}

/* arraymap.c: percpu_array_map_lookup_percpu_elem; CPU @cpu's copy */
static void *percpu_array_map_lookup_percpu_elem(struct emu_map *map,
						 const void *key, __u32 cpu)
{
	__u32 index = array_map_index(key);

	if (cpu >= map->ncpus)
		return NULL;	/* cpu >= nr_cpu_ids: no such copy */
	if (index >= map->max_entries)
		return NULL;	/* out of range: no element */
	return percpu_array_map_elem(to_array(map), index, cpu);
}

/* arraymap.c: array_map_update_elem, the checks before the copy */
static long __array_map_check_update(const struct emu_map *map, __u32 index,
				     __u64 flags)
{
	if ((flags & ~BPF_F_LOCK) > BPF_EXIST)
		return -EINVAL;	/* unknown flags */
	if (index >= map->max_entries)
		return -E2BIG;	/* slots are preallocated: no index to add */
	if (flags & BPF_NOEXIST)
		return -EEXIST;	/* every index in range already exists */
	if (flags & BPF_F_LOCK)
		return -EINVAL;	/* no bpf_spin_lock: the emulator has no BTF */
	return 0;
}

/* arraymap.c: array_map_update_elem; BPF_ANY and BPF_EXIST are the same */
static long array_map_update_elem(struct emu_map *map, const void *key,
				  const void *value, __u64 flags)
{
	__u32 index = array_map_index(key);
	long err;

	err = __array_map_check_update(map, index, flags);
	if (err)
		return err;
	memcpy(array_map_elem(to_array(map), index), value, map->value_size);
	return 0;
}

/*
 * arraymap.c: array_map_update_elem on a percpu array (helper face):
 * value_size bytes into the current CPU's copy, its padding untouched.
 */
static long percpu_array_map_update_elem(struct emu_map *map, const void *key,
					 const void *value, __u64 flags)
{
	__u32 index = array_map_index(key);
	unsigned int cpu = emu_current_cpu();
	long err;

	err = __array_map_check_update(map, index, flags);
	if (err)
		return err;
	memcpy(percpu_array_map_elem(to_array(map), index, cpu), value,
	       map->value_size);
	return 0;
}

/* arraymap.c: array_map_delete_elem */
static long array_map_delete_elem(struct emu_map *map, const void *key)
{
	(void)map;
	(void)key;
	return -EINVAL;	/* array elements cannot be deleted, whatever the key */
}

/* arraymap.c: array_map_get_next_key; occupancy plays no part */
static int array_map_get_next_key(struct emu_map *map, const void *key,
				  void *next_key)
{
	__u32 next = 0;
	__u32 index;

	if (key) {
		index = array_map_index(key);
		if (index == map->max_entries - 1)
			return -ENOENT;	/* last index: the walk is over */
		/* a missing or out-of-range key restarts at index 0 */
		if (index < map->max_entries)
			next = index + 1;
	}
	memcpy(next_key, &next, sizeof(next));
	return 0;
}

/* arraymap.c: bpf_percpu_array_copy; all copies, padding included */
static int percpu_array_map_lookup_elem_sys(struct emu_map *map,
					    const void *key, void *value,
					    __u64 flags)
{
	struct emu_array *array = to_array(map);
	__u32 index = array_map_index(key);

	(void)flags;	/* syscall.c has rejected every lookup flag */
	if (index >= map->max_entries)
		return -ENOENT;	/* out of range; the user buffer is untouched */
	memcpy(value, percpu_array_map_elem(array, index, 0),
	       (size_t)map->ncpus * array->elem_size);
	return 0;
}

/* arraymap.c: bpf_percpu_array_update; every CPU, padding included */
static int percpu_array_map_update_elem_sys(struct emu_map *map,
					    const void *key,
					    const void *value, __u64 flags)
{
	struct emu_array *array = to_array(map);
	__u32 index = array_map_index(key);

	if (flags > BPF_EXIST)
		return -EINVAL;	/* unknown flags, BPF_F_LOCK included */
	if (index >= map->max_entries)
		return -E2BIG;	/* slots are preallocated: no index to add */
	if (flags == BPF_NOEXIST)
		return -EEXIST;	/* every index in range already exists */
	memcpy(percpu_array_map_elem(array, index, 0), value,
	       (size_t)map->ncpus * array->elem_size);
	return 0;
}

/* array_map_get_hash: SHA-256 over every slot, padding included */
static int array_map_get_hash(struct emu_map *map, __u32 hash_size,
			      void *hash)
{
	struct emu_array *array = to_array(map);

	(void)hash_size;	/* the caller checked it is SHA256_DIGEST_SIZE */
	emu_sha256(array->value, (size_t)array->elem_size * map->max_entries,
		   hash);
	return 0;
}

/* arraymap.c: array_map_mmap, after bpf_map_mmap's checks */
static int array_map_mmap(struct emu_map *map, __u64 off, __u64 len,
			  bool shared, bool write)
{
	int err = emu_map_mmap_check(map, shared, write);

	if (err)
		return err;
	if (!(map->map_flags & BPF_F_MMAPABLE))
		return -EINVAL;	/* not created BPF_F_MMAPABLE */
	if (off + len > to_array(map)->size)
		return -EINVAL;	/* past the pages of the elements */
	return 0;
}

const struct emu_map_ops array_map_ops = {
	.map_alloc_check = array_map_alloc_check,
	.map_alloc = array_map_alloc,
	.map_free = array_map_free,
	.map_get_next_key = array_map_get_next_key,
	.map_lookup_elem = array_map_lookup_elem,
	.map_update_elem = array_map_update_elem,
	.map_delete_elem = array_map_delete_elem,
	.map_lookup_percpu_elem = emu_map_lookup_percpu_elem_notsupp,
	.map_push_elem = emu_map_push_elem_notsupp,
	.map_pop_elem = emu_map_pop_elem_notsupp,
	.map_peek_elem = emu_map_peek_elem_notsupp,
	.map_lookup_elem_sys = emu_map_lookup_elem_sys_generic,
	.map_update_elem_sys = emu_map_update_elem_sys_generic,
	.map_lookup_and_delete_elem = emu_map_lookup_and_delete_elem_notsupp,
	.map_lookup_batch = emu_generic_map_lookup_batch,
	.map_lookup_and_delete_batch = emu_map_batch_notsupp,
	.map_update_batch = emu_generic_map_update_batch,
	.map_delete_batch = emu_map_batch_notsupp,
	.map_get_hash = array_map_get_hash,
	.map_mmap = array_map_mmap,
};

const struct emu_map_ops percpu_array_map_ops = {
	.map_alloc_check = array_map_alloc_check,
	.map_alloc = array_map_alloc,
	.map_free = array_map_free,
	.map_get_next_key = array_map_get_next_key,
	.map_lookup_elem = percpu_array_map_lookup_elem,
	.map_update_elem = percpu_array_map_update_elem,
	.map_delete_elem = array_map_delete_elem,
	.map_lookup_percpu_elem = percpu_array_map_lookup_percpu_elem,
	.map_push_elem = emu_map_push_elem_notsupp,
	.map_pop_elem = emu_map_pop_elem_notsupp,
	.map_peek_elem = emu_map_peek_elem_notsupp,
	.map_lookup_elem_sys = percpu_array_map_lookup_elem_sys,
	.map_update_elem_sys = percpu_array_map_update_elem_sys,
	.map_lookup_and_delete_elem = emu_map_lookup_and_delete_elem_notsupp,
	.map_lookup_batch = emu_generic_map_lookup_batch,
	.map_lookup_and_delete_batch = emu_map_batch_notsupp,
	.map_update_batch = emu_generic_map_update_batch,
	.map_delete_batch = emu_map_batch_notsupp,
	.map_get_hash = emu_map_get_hash_notsupp,
	.map_mmap = emu_map_mmap_notsupp,
};

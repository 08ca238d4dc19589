// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The generic map: the type table, ids and lifetime.
 * Mirrors the map half of kernel/bpf/syscall.c (v6.18): bpf_map_types[],
 * bpf_map_init_from_attr, bpf_map_alloc_id, bpf_map_value_size.
 *
 * Lifetime: the kernel frees a map when its last file reference (fd,
 * pin, mmap) goes. Emulated fds are real fds closed through libc, which
 * the emulator does not see, so a map is released by a sweep that asks
 * each map's memfd whether any fd of it is still open (emu_map_sweep,
 * file.c), run before every command that could observe a released map
 * (ids) and on MAP_CREATE.
 */
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include "emu_internal.h"
#include "bpffs.h"

static const struct emu_map_ops *const emu_map_types[] = {
#define EMU_MAP_TYPE(_id, _ops) [_id] = &_ops,
#include "emu_types.h"
#undef EMU_MAP_TYPE
};


static struct emu_map *maps_by_id;
static struct emu_map *maps_by_ino;
static __u32 id_cursor = 1;
bool emu_hash_oomed;

const struct emu_map_ops *emu_map_type_ops(__u32 type)
{
	if (type >= ARRAY_SIZE(emu_map_types))
		return NULL;
	return emu_map_types[type];
}

void *emu_zalloc(size_t n)
{
	return calloc(1, n ? n : 1);
}

void emu_map_init_from_attr(struct emu_map *map, const union bpf_attr *attr)
{
	map->map_type = attr->map_type;
	map->key_size = attr->key_size;
	map->value_size = attr->value_size;
	map->max_entries = attr->max_entries;
	/* bpf_map_flags_retain_permanent: RDONLY/WRONLY belong to the fd */
	map->map_flags = attr->map_flags & ~(BPF_F_RDONLY | BPF_F_WRONLY);
	map->map_extra = attr->map_extra;
	map->ncpus = emu_num_possible_cpus();
	map->anchor_fd = -1;
}

bool emu_map_is_percpu(const struct emu_map *map)
{
	return map->map_type == BPF_MAP_TYPE_PERCPU_HASH ||
	       map->map_type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       map->map_type == BPF_MAP_TYPE_LRU_PERCPU_HASH ||
	       map->map_type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

/* syscall.c: bpf_map_value_size, the size of the user's value buffer */
__u32 emu_map_value_size(const struct emu_map *map)
{
	if (emu_map_is_percpu(map))
		return round_up(map->value_size, 8) * map->ncpus;
	return map->value_size;
}

static int emu_map_alloc_id(struct emu_map *map)
{
	__u32 id = id_cursor, tries;

	for (tries = 0; tries < EMU_ID_MAX; tries++) {
		struct emu_map *used;

		HASH_FIND(hh_id, maps_by_id, &id, sizeof(id), used);
		if (!used) {
			map->id = id;
			emu_hash_oomed = false;
			HASH_ADD(hh_id, maps_by_id, id, sizeof(map->id), map);
			if (emu_hash_oomed) {
				map->id = 0;
				return -ENOMEM;	/* idr_alloc_cyclic */
			}
			id_cursor = id == EMU_ID_MAX ? 1 : id + 1;
			return 0;
		}
		id = id == EMU_ID_MAX ? 1 : id + 1;
	}
	return -ENOSPC;	/* idr_alloc_cyclic: every id taken */
}

/* Gives a freshly allocated map its id and its file identity. */
int emu_map_register(struct emu_map *map)
{
	int err;

	err = emu_file_anchor(map);
	if (err)
		return err;
	err = emu_map_alloc_id(map);
	if (err)
		return err;
	emu_hash_oomed = false;
	HASH_ADD(hh_ino, maps_by_ino, ino, sizeof(map->ino), map);
	return emu_hash_oomed ? -ENOMEM : 0;
}

/* Frees a map; a map that failed registration half-way is fine too. */
void emu_map_release(struct emu_map *map)
{
	struct emu_map *found;

	if (map->id) {
		HASH_DELETE(hh_id, maps_by_id, map);
		HASH_FIND(hh_ino, maps_by_ino, &map->ino, sizeof(map->ino),
			  found);
		if (found == map)
			HASH_DELETE(hh_ino, maps_by_ino, map);
	}
	emu_file_close_anchor(map);
	map->ops->map_free(map);
}

/* The map's memfd was replaced (file.c: anchor_recover). */
int emu_map_rekey(struct emu_map *map, dev_t dev, ino_t ino)
{
	HASH_DELETE(hh_ino, maps_by_ino, map);
	map->dev = dev;
	map->ino = ino;
	emu_hash_oomed = false;
	HASH_ADD(hh_ino, maps_by_ino, ino, sizeof(map->ino), map);
	return emu_hash_oomed ? -ENOMEM : 0;	/* the map is lost */
}

struct emu_map *emu_map_by_id(__u32 id)
{
	struct emu_map *map;

	HASH_FIND(hh_id, maps_by_id, &id, sizeof(id), map);
	return map;
}

struct emu_map *emu_map_by_ino(dev_t dev, ino_t ino)
{
	struct emu_map *map;

	HASH_FIND(hh_ino, maps_by_ino, &ino, sizeof(ino), map);
	return map && map->dev == dev ? map : NULL;
}

/* idr_get_next: the smallest id >= start_id, 0 if none */
__u32 emu_map_next_id(__u32 start_id)
{
	struct emu_map *map, *tmp;
	__u32 best = 0;

	HASH_ITER(hh_id, maps_by_id, map, tmp) {
		if (map->id >= start_id && (!best || map->id < best))
			best = map->id;
	}
	return best;
}

/*
 * Releases every map that no open fd, pin or mapping refers to, and
 * returns how many maps stay alive.
 */
unsigned int emu_map_sweep(void)
{
	struct emu_map *map, *tmp;

	HASH_ITER(hh_id, maps_by_id, map, tmp) {
		if (!map->pin_cnt && !map->mmap_cnt && !map->hold_cnt &&
		    !emu_file_in_use(map))
			emu_map_release(map);
	}
	return HASH_CNT(hh_id, maps_by_id);
}

/* At exit every map goes, so a leak checker sees nothing of ours. */
__attribute__((destructor)) static void emu_map_release_all(void)
{
	struct emu_map *map, *tmp;

	emu_bpffs_release_all();
	emu_mmap_release_all();
	HASH_ITER(hh_id, maps_by_id, map, tmp)
		emu_map_release(map);
}

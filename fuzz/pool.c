// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The fuzzers' map pool (pool.h): a backend in front of a backend.
 * Every command goes through to the inner backend unchanged, except a
 * MAP_CREATE that a free pooled map with the same attr bytes can serve.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "attr.h"
#include "pool.h"
#include "run.h"

#define POOL_MAPS		64	/* maps held at most */
#define POOL_ATTR_MAX		ATTR_SIZE_DEFAULT
#define POOL_MAX_ENTRIES	256	/* larger maps cost more to reset */
#define POOL_KEY_MAX		64
/* pooled fds sit high, so scenarios see the fd numbers of a fresh run */
#define POOL_FD_MIN		400

struct pool_map {
	uint8_t attr[POOL_ATTR_MAX];
	unsigned int attr_size;
	int fd;			/* the pool's own fd */
	struct geom g;		/* from its map info */
	bool busy;		/* handed out in this epoch */
	bool dead;		/* frozen: never handed out again */
};

struct pool {
	struct backend be;	/* what the runner drives */
	struct backend_ops ops;	/* pool_backend_ops, named as inner */
	struct backend *inner;
	struct pool_map maps[POOL_MAPS];
	unsigned int n;
	bool enabled;
	uint64_t hits, misses;
};

static struct pool *pool_of(struct backend *be)
{
	return be->priv;
}

static long inner_bpf(struct pool *p, int cmd, void *attr, unsigned int size)
{
	return p->inner->ops->sys_bpf(p->inner, cmd, attr, size);
}

/*
 * Maps whose reset leaves nothing of their past a scenario can see:
 * arrays (every slot rewritten), HASH (an element's reuse shows nothing,
 * tests/corpus/hash/reuse.scn), LPM_TRIE (an empty trie is an empty
 * trie: an update writes the whole key and value of a node), QUEUE and
 * STACK (popped empty: which ring slot comes next is not observable), a
 * preallocated PERCPU_HASH once every element's padding is scrubbed
 * (pool_scrub_percpu). Not a PERCPU_HASH without prealloc: freed
 * elements wait in per-CPU caches the scrub cannot reach, and a reused
 * one shows the padding of its earlier values, so a divergence found on
 * a pooled one could not be replayed from the scenario alone (one was:
 * see fuzz/README.md). Not BLOOM_FILTER: its bits cannot be cleared.
 * Not read-only or write-only maps: the syscall side cannot reset them.
 * Not the LRU types: deleting every key leaves the LRU lists as the past
 * made them (which nodes sit in which CPU's local free list, the free
 * lists' order, the rotation cursor), and that decides which keys the
 * next inserts evict (tests/corpus/lru_hash/delete_reuse.scn): a pooled
 * map would evict otherwise than a fresh one.
 */
static bool pool_takes(const void *attr, unsigned int size)
{
	uint32_t type, flags;

	if (size < A_MAP_FLAGS + 4 || size > POOL_ATTR_MAX)
		return false;
	type = get_u32(attr, A_MAP_TYPE);
	flags = get_u32(attr, A_MAP_FLAGS);
	if (flags & (BPF_F_RDONLY | BPF_F_WRONLY))
		return false;
	if (type == BPF_MAP_TYPE_PERCPU_HASH && (flags & BPF_F_NO_PREALLOC))
		return false;
	if (get_u32(attr, A_MAX_ENTRIES) > POOL_MAX_ENTRIES ||
	    get_u32(attr, A_KEY_SIZE) > POOL_KEY_MAX)
		return false;
	switch (type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LPM_TRIE:
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return true;
	default:
		return false;
	}
}

/* Every slot of an array back to zero, in one UPDATE_BATCH. */
static int pool_reset_array(struct pool *p, const struct pool_map *m)
{
	uint64_t attr[ATTR_SIZE_DEFAULT / 8] = { 0 };
	unsigned int ncpus = p->inner->ops->possible_cpus(p->inner);
	size_t stride = m->g.type == BPF_MAP_TYPE_PERCPU_ARRAY ?
			((m->g.value_size + 7) & ~7U) * ncpus : m->g.value_size;
	uint32_t *keys = calloc(m->g.max_entries, sizeof(*keys));
	void *values = calloc(m->g.max_entries, stride);
	uint32_t i;
	int err = -ENOMEM;

	if (!keys || !values)
		goto out;
	for (i = 0; i < m->g.max_entries; i++)
		keys[i] = i;
	put_ptr(attr, A_BATCH_KEYS, keys);
	put_ptr(attr, A_BATCH_VALUES, values);
	put_u32(attr, A_BATCH_COUNT, m->g.max_entries);
	put_u32(attr, A_BATCH_MAP_FD, (uint32_t)m->fd);
	err = inner_bpf(p, BPF_MAP_UPDATE_BATCH, attr, sizeof(attr)) ? -EIO : 0;
out:
	free(keys);
	free(values);
	return err;
}

static int pool_key_cmp(const void *a, const void *b, void *size)
{
	return memcmp(a, b, *(uint32_t *)size);
}

/*
 * keys (n of them) deleted in key order, in one DELETE_BATCH
 * (generic_map_delete_batch: one DELETE_ELEM after the other; every
 * pooled type with keys has it).
 */
static int pool_delete_sorted(struct pool *p, const struct pool_map *m,
			      uint8_t *keys, uint32_t n)
{
	uint64_t attr[ATTR_SIZE_DEFAULT / 8] = { 0 };
	uint32_t ks = m->g.key_size;

	if (!n)
		return 0;
	qsort_r(keys, n, ks, pool_key_cmp, &ks);
	put_ptr(attr, A_BATCH_KEYS, keys);
	put_u32(attr, A_BATCH_COUNT, n);
	put_u32(attr, A_BATCH_MAP_FD, (uint32_t)m->fd);
	return inner_bpf(p, BPF_MAP_DELETE_BATCH, attr, sizeof(attr)) ? -EIO : 0;
}

/*
 * A preallocated PERCPU_HASH: a program's insert writes value_size bytes
 * of its CPU's slot and leaves the padding of the element's earlier life
 * (hashtab.c: pcpu_init_value). Filling the map from the syscall side,
 * which writes whole slots (round_up(value_size, 8), zeros here), takes
 * every free element off every CPU's list; deleting the fill in key
 * order gives them back scrubbed, the same on both backends.
 */
static int pool_scrub_percpu(struct pool *p, const struct pool_map *m)
{
	uint64_t attr[ATTR_SIZE_DEFAULT / 8] = { 0 };
	unsigned int ncpus = p->inner->ops->possible_cpus(p->inner);
	uint32_t ks = m->g.key_size, n = m->g.max_entries, i, b;
	uint8_t *keys = calloc(n, ks);
	void *values = calloc(n, ((m->g.value_size + 7) & ~7U) * ncpus);
	int err = -ENOMEM;

	if (!keys || !values)
		goto out;
	/* key i: i in little-endian bytes (pool maps: at most 256) */
	for (i = 0; i < n; i++)
		for (b = 0; b < ks && b < 4; b++)
			keys[(size_t)i * ks + b] = (uint8_t)(i >> (8 * b));
	put_ptr(attr, A_BATCH_KEYS, keys);
	put_ptr(attr, A_BATCH_VALUES, values);
	put_u32(attr, A_BATCH_COUNT, n);
	put_u32(attr, A_BATCH_MAP_FD, (uint32_t)m->fd);
	err = inner_bpf(p, BPF_MAP_UPDATE_BATCH, attr, sizeof(attr)) ? -EIO : 0;
	if (!err)
		err = pool_delete_sorted(p, m, keys, n);
out:
	free(keys);
	free(values);
	return err;
}

/*
 * Every element deleted, in key order: the walk order of a map with a
 * random seed differs between the backends, the commands must not.
 */
static int pool_reset_hash(struct pool *p, struct pool_map *m)
{
	uint64_t attr[ATTR_SIZE_DEFAULT / 8] = { 0 };
	uint32_t ks = m->g.key_size, n = 0;
	uint8_t *keys = calloc(m->g.max_entries + 1, ks);
	int err = -ENOMEM;

	if (!keys)
		return err;
	put_u32(attr, A_ELEM_MAP_FD, (uint32_t)m->fd);
	for (;;) {
		put_ptr(attr, A_ELEM_KEY, n ? keys + (size_t)(n - 1) * ks : NULL);
		put_ptr(attr, A_ELEM_VALUE, keys + (size_t)n * ks);
		if (inner_bpf(p, BPF_MAP_GET_NEXT_KEY, attr, sizeof(attr)))
			break;
		if (++n > m->g.max_entries)
			break;	/* a walk that does not end: not resettable */
	}
	err = errno == ENOENT && n <= m->g.max_entries ? 0 : -EIO;
	if (!err)
		err = pool_delete_sorted(p, m, keys, n);
	if (!err && m->g.type == BPF_MAP_TYPE_PERCPU_HASH)
		err = pool_scrub_percpu(p, m);
	free(keys);
	return err;
}

/* Every value popped (LOOKUP_AND_DELETE with a NULL key until ENOENT). */
static int pool_reset_queue(struct pool *p, const struct pool_map *m)
{
	uint64_t attr[ATTR_SIZE_DEFAULT / 8] = { 0 };
	void *value = malloc(m->g.value_size ? m->g.value_size : 1);
	uint32_t n;
	int err = -ENOMEM;

	if (!value)
		return err;
	put_u32(attr, A_ELEM_MAP_FD, (uint32_t)m->fd);
	put_ptr(attr, A_ELEM_VALUE, value);
	for (n = 0; n <= m->g.max_entries; n++)
		if (inner_bpf(p, BPF_MAP_LOOKUP_AND_DELETE_ELEM, attr,
			      sizeof(attr)))
			break;
	/* more pops than max_entries: a map that never empties */
	err = errno == ENOENT && n <= m->g.max_entries ? 0 : -EIO;
	free(value);
	return err;
}

static int pool_reset(struct pool *p, struct pool_map *m)
{
	switch (m->g.type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return pool_reset_array(p, m);
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return pool_reset_queue(p, m);
	default:
		return pool_reset_hash(p, m);
	}
}

static void pool_drop(struct pool *p, unsigned int i)
{
	struct pool_map *m = &p->maps[i];

	p->inner->ops->retain(p->inner, m->fd, false);
	p->inner->ops->close_fd(p->inner, m->fd);
	p->maps[i] = p->maps[--p->n];
}

/* Keeps a copy of the new map behind fd; a full pool drops an idle map. */
static void pool_add(struct pool *p, const void *attr, unsigned int size,
		     int fd)
{
	uint8_t info[MAP_INFO_SIZE] = { 0 };
	struct pool_map *m;
	unsigned int i;

	if (p->n == POOL_MAPS) {
		/* a frozen one first: it is never handed out again */
		for (i = 0; i < p->n && !(p->maps[i].dead && !p->maps[i].busy);
		     i++)
			;
		for (i = i < p->n ? i : 0; i < p->n && p->maps[i].busy; i++)
			;
		if (i == p->n)
			return;
		pool_drop(p, i);
	}
	m = &p->maps[p->n];
	memset(m, 0, sizeof(*m));
	m->fd = fcntl(fd, F_DUPFD_CLOEXEC, POOL_FD_MIN);
	if (m->fd < 0)
		return;
	if (backend_map_info(p->inner, m->fd, info) ||
	    p->inner->ops->retain(p->inner, m->fd, true)) {
		p->inner->ops->close_fd(p->inner, m->fd);
		return;
	}
	memcpy(m->attr, attr, size);
	m->attr_size = size;
	geom_from_info(&m->g, info);
	m->busy = true;
	p->n++;
}

static long pool_create(struct pool *p, void *attr, unsigned int size)
{
	struct pool_map *m;
	unsigned int i;
	long fd;
	int err;

	for (i = 0; pool_takes(attr, size) && i < p->n; i++) {
		m = &p->maps[i];
		if (m->busy || m->dead || m->attr_size != size ||
		    memcmp(m->attr, attr, size))
			continue;
		if (pool_reset(p, m)) {
			m->dead = true;
			continue;
		}
		/* as a new map's fd: the lowest free number, close-on-exec */
		fd = fcntl(m->fd, F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		m->busy = true;
		p->hits++;
		return fd;
	}
	fd = inner_bpf(p, BPF_MAP_CREATE, attr, size);
	err = errno;
	p->misses++;
	if (fd >= 0 && pool_takes(attr, size))
		pool_add(p, attr, size, (int)fd);
	errno = err;
	return fd;
}

/* A frozen map stays frozen: retire it at the next epoch. */
static void pool_frozen(struct pool *p, int fd)
{
	uint8_t info[MAP_INFO_SIZE] = { 0 };
	unsigned int i;
	int err = errno;

	if (!backend_map_info(p->inner, fd, info))
		for (i = 0; i < p->n; i++)
			if (p->maps[i].g.id == get_u32(info, I_ID))
				p->maps[i].dead = true;
	errno = err;
}

static long pool_sys_bpf(struct backend *be, int cmd, void *attr,
			 unsigned int size)
{
	struct pool *p = pool_of(be);
	long ret;

	if (cmd == BPF_MAP_CREATE && p->enabled)
		return pool_create(p, attr, size);
	ret = inner_bpf(p, cmd, attr, size);
	if (cmd == BPF_MAP_FREEZE && ret == 0)
		pool_frozen(p, size >= 4 ? (int)get_u32(attr, 0) : 0);
	return ret;
}

/* ---- everything else goes through ---------------------------------- */

static void pool_reason(struct pool *p)
{
	memcpy(p->be.reason, p->inner->reason, sizeof(p->be.reason));
}

static int pool_open_op(struct backend *be)
{
	(void)be;
	return 0;	/* pool_open() did it */
}

static int pool_close_fd(struct backend *be, int fd)
{
	struct pool *p = pool_of(be);

	return p->inner->ops->close_fd(p->inner, fd);
}

static int pool_unlink(struct backend *be, const char *path)
{
	struct pool *p = pool_of(be);

	return p->inner->ops->unlink(p->inner, path);
}

static void *pool_mmap(struct backend *be, size_t len, int prot, int flags,
		       int fd, off_t off)
{
	struct pool *p = pool_of(be);

	return p->inner->ops->mmap(p->inner, len, prot, flags, fd, off);
}

static int pool_munmap(struct backend *be, void *addr, size_t len)
{
	struct pool *p = pool_of(be);

	return p->inner->ops->munmap(p->inner, addr, len);
}

static int pool_mprotect(struct backend *be, void *addr, size_t len,
			 int prot)
{
	struct pool *p = pool_of(be);

	return p->inner->ops->mprotect(p->inner, addr, len, prot);
}

static int pool_mkdir(struct backend *be, const char *path)
{
	struct pool *p = pool_of(be);

	return p->inner->ops->mkdir(p->inner, path);
}

static int pool_rmdir(struct backend *be, const char *path)
{
	struct pool *p = pool_of(be);

	return p->inner->ops->rmdir(p->inner, path);
}

static const char *pool_bpffs_dir(struct backend *be)
{
	struct pool *p = pool_of(be);

	return p->inner->ops->bpffs_dir(p->inner);
}

static int pool_set_possible_cpus(struct backend *be, unsigned int n)
{
	struct pool *p = pool_of(be);
	int err = p->inner->ops->set_possible_cpus(p->inner, n);

	pool_reason(p);
	return err;
}

static unsigned int pool_possible_cpus(struct backend *be)
{
	struct pool *p = pool_of(be);

	return p->inner->ops->possible_cpus(p->inner);
}

static int pool_prog_run(struct backend *be, int map_fd, unsigned int cpu,
			 struct prog_op *ops, size_t n)
{
	struct pool *p = pool_of(be);
	int err = p->inner->ops->prog_run(p->inner, map_fd, cpu, ops, n);

	pool_reason(p);
	return err;
}

static int pool_set_cpu(struct backend *be, unsigned int cpu)
{
	struct pool *p = pool_of(be);
	int err = p->inner->ops->set_cpu(p->inner, cpu);

	pool_reason(p);
	return err;
}

static int pool_retain(struct backend *be, int fd, bool on)
{
	struct pool *p = pool_of(be);

	return p->inner->ops->retain(p->inner, fd, on);
}

/* The pool's own maps are not the scenario's. */
static long pool_live_maps(struct backend *be)
{
	struct pool *p = pool_of(be);
	long n = p->inner->ops->live_maps(p->inner);

	return n < 0 ? n : n - (long)p->n;
}

static void pool_close_op(struct backend *be)
{
	(void)be;	/* pool_close() does it */
}

static const struct backend_ops pool_backend_ops = {
	.name			= NULL,	/* the inner backend's, pool_open() */
	.open			= pool_open_op,
	.sys_bpf		= pool_sys_bpf,
	.close_fd		= pool_close_fd,
	.unlink			= pool_unlink,
	.mmap			= pool_mmap,
	.munmap			= pool_munmap,
	.mprotect		= pool_mprotect,
	.mkdir			= pool_mkdir,
	.rmdir			= pool_rmdir,
	.bpffs_dir		= pool_bpffs_dir,
	.set_possible_cpus	= pool_set_possible_cpus,
	.possible_cpus		= pool_possible_cpus,
	.prog_run		= pool_prog_run,
	.set_cpu		= pool_set_cpu,
	.retain			= pool_retain,
	.live_maps		= pool_live_maps,
	.close			= pool_close_op,
};

int pool_open(struct pool **pp, struct backend *inner)
{
	struct pool *p = calloc(1, sizeof(*p));

	*pp = NULL;
	if (!p)
		return -ENOMEM;
	/* a copy of the table, named after the backend it fronts */
	p->be.ops = &p->ops;
	p->ops = pool_backend_ops;
	p->ops.name = inner->ops->name;
	p->be.priv = p;
	p->inner = inner;
	p->enabled = true;
	*pp = p;
	return 0;
}

struct backend *pool_backend(struct pool *p)
{
	return &p->be;
}

void pool_epoch(struct pool *p)
{
	unsigned int i = 0;

	while (i < p->n) {
		if (p->maps[i].dead) {
			pool_drop(p, i);
			continue;
		}
		p->maps[i++].busy = false;
	}
}

void pool_enable(struct pool *p, bool on)
{
	p->enabled = on;
}

void pool_counts(const struct pool *p, uint64_t *hits, uint64_t *misses)
{
	*hits = p->hits;
	*misses = p->misses;
}

void pool_close(struct pool *p)
{
	if (!p)
		return;
	while (p->n)
		pool_drop(p, 0);
	free(p);
}

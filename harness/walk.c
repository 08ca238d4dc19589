// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reading a whole map from user space, as a program using bpf(2) would:
 * GET_NEXT_KEY from NULL, LOOKUP of each key. GET_NEXT_KEY and LOOKUP
 * from user space change nothing in any map (no LRU reference bit), so a
 * walk in the middle of a scenario does not disturb it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "attr.h"
#include "run.h"

/* Open addressing over indexes into m->elems: finds a key seen before. */
struct key_set {
	size_t *slot;		/* index + 1, 0 = empty */
	size_t mask;
};

static uint64_t key_hash(const uint8_t *key, size_t len)
{
	return fnv1a64(FNV1A64_INIT, key, len);
}

static int key_set_grow(struct key_set *ks, const struct map_state *m)
{
	size_t size = ks->slot ? (ks->mask + 1) * 2 : 64, i;
	size_t *slot = calloc(size, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	for (i = 0; i < m->nelems; i++) {
		size_t h = key_hash(m->elems[i].key, m->elems[i].klen);

		while (slot[h & (size - 1)])
			h++;
		slot[h & (size - 1)] = i + 1;
	}
	free(ks->slot);
	ks->slot = slot;
	ks->mask = size - 1;
	return 0;
}

/* true if key is already in m->elems (indexed so far by ks) */
static bool key_set_has(const struct key_set *ks, const struct map_state *m,
			const uint8_t *key, size_t len)
{
	size_t h = key_hash(key, len);

	for (; ks->slot[h & ks->mask]; h++) {
		const struct kv *e = &m->elems[ks->slot[h & ks->mask] - 1];

		if (e->klen == len && !memcmp(e->key, key, len))
			return true;
	}
	return false;
}

static int key_set_add(struct key_set *ks, const struct map_state *m)
{
	size_t i = m->nelems - 1;
	size_t h = key_hash(m->elems[i].key, m->elems[i].klen);

	/* keep the table at most half full */
	if (m->nelems * 2 > ks->mask + 1)
		return key_set_grow(ks, m);
	while (ks->slot[h & ks->mask])
		h++;
	ks->slot[h & ks->mask] = i + 1;
	return 0;
}

static void hex_msg(char **msg, const char *what, const uint8_t *key,
		    size_t len)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	if (!f)
		return;
	fputs(what, f);
	print_hex(f, key, len, 0);
	if (fclose(f)) {
		free(s);
		return;
	}
	*msg = s;
}

int map_walk(struct backend *be, const struct walk_target *t,
	     struct map_state *m, char **anomaly)
{
	uint64_t attr[ATTR_SIZE_DEFAULT / 8];
	uint8_t *prev, *next, *value;
	struct key_set ks = { 0 };
	/* max_entries 0: a type without a fixed size (e.g. cgroup storage) */
	uint64_t limit = t->max_entries ? (uint64_t)t->max_entries + 1 :
					  UINT64_MAX;
	bool first = true;
	int err = 0;

	*anomaly = NULL;
	/* zeroed: valgrind does not see every byte the kernel writes */
	prev = calloc(1, t->key_size + 1);
	next = calloc(1, t->key_size + 1);
	value = calloc(1, t->value_stride + 1);
	if (!prev || !next || !value || key_set_grow(&ks, m)) {
		err = -ENOMEM;
		goto out_free;
	}
	for (;;) {
		memset(attr, 0, sizeof(attr));
		put_u32(attr, A_ELEM_MAP_FD, (uint32_t)t->fd);
		put_ptr(attr, A_ELEM_KEY, first ? NULL : prev);
		put_ptr(attr, A_ELEM_VALUE, next);
		if (be->ops->sys_bpf(be, BPF_MAP_GET_NEXT_KEY, attr,
				     sizeof(attr)) < 0) {
			if (errno != ENOENT)
				m->walk_err = errno;
			break;
		}
		if (key_set_has(&ks, m, next, t->key_size)) {
			hex_msg(anomaly, "the walk visited a key twice: ",
				next, t->key_size);
			break;
		}
		if (m->nelems + 1 >= limit) {
			/* as a program looping until ENOENT would run on */
			hex_msg(anomaly, "the walk gave more keys than "
				"max_entries, the last: ", next, t->key_size);
			break;
		}
		memset(attr, 0, sizeof(attr));
		put_u32(attr, A_ELEM_MAP_FD, (uint32_t)t->fd);
		put_ptr(attr, A_ELEM_KEY, next);
		put_ptr(attr, A_ELEM_VALUE, value);
		if (be->ops->sys_bpf(be, BPF_MAP_LOOKUP_ELEM, attr,
				     sizeof(attr)) < 0) {
			m->walk_err = errno;
			break;
		}
		if (map_state_add(m, next, t->key_size, value,
				  t->value_stride) ||
		    key_set_add(&ks, m)) {
			err = -ENOMEM;
			break;
		}
		memcpy(prev, next, t->key_size);
		first = false;
	}
out_free:
	free(ks.slot);
	free(prev);
	free(next);
	free(value);
	return err;
}

void map_state_finish(struct map_state *m, bool unordered)
{
	uint64_t h = FNV1A64_INIT;
	size_t i;

	m->unordered = unordered;
	if (m->walk_err) {
		/* a failed walk is its errno, whatever it gave before */
		map_state_release(m);
		return;
	}
	if (unordered && m->nelems)
		qsort(m->elems, m->nelems, sizeof(*m->elems), kv_cmp);
	if (m->nelems <= STATE_LINES_MAX)
		return;
	for (i = 0; i < m->nelems; i++) {
		h = fnv1a64(h, m->elems[i].key, m->elems[i].klen);
		h = fnv1a64(h, m->elems[i].value, m->elems[i].vlen);
		if (i >= STATE_LINES_MAX) {
			free(m->elems[i].key);
			free(m->elems[i].value);
		}
	}
	m->summary = true;
	m->total = m->nelems;
	m->digest = h;
	m->nelems = STATE_LINES_MAX;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reading a whole map with BPF_MAP_LOOKUP_BATCH: one command for up to
 * READ_BATCH_BYTES of elements instead of two per element, for runs that
 * read maps often (the fuzzers). The elements come in the walk's order:
 * arrays by index; hash maps bucket by bucket, each bucket's list in
 * order, which is where GET_NEXT_KEY goes next too
 * (hashtab.c: htab_map_get_next_key, __htab_map_lookup_and_delete_batch).
 * Whatever the batch cannot read as a whole (a type without batch ops, a
 * write-only map, a bucket larger than a chunk) is left to the walk,
 * which also gives the failing walk's errno.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "attr.h"
#include "run.h"

#define READ_BATCH_BYTES	(1U << 20)

/* The types whose batch reads every element (generic or htab batch). */
static bool batch_reads_all(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return true;
	default:
		return false;
	}
}

/*
 * One buffer for every read, grown as needed: a fresh megabyte per read
 * was page faults and zeroing, under ASan (whose quarantine keeps freed
 * memory) a third of a fuzz input's time. Only the fuzzers read by
 * batch, from one thread.
 */
static uint8_t *batch_buf(size_t len)
{
	static uint8_t *buf;
	static size_t cap;
	uint8_t *p;

	if (len <= cap)
		return buf;
	p = realloc(buf, len);
	if (!p)
		return NULL;
	buf = p;
	cap = len;
	return buf;
}

/* 0: sink has every element; 1: leave it to the walk; -ENOMEM. */
static int read_chunks(struct backend *be, const struct walk_target *t,
		       uint32_t count, elem_sink_t sink, void *arg)
{
	size_t tok_len = t->key_size > 8 ? t->key_size : 8, i;
	uint8_t *buf = batch_buf(2 * tok_len + (size_t)count *
				 (t->key_size + t->value_stride));
	uint8_t *tok = buf, *keys = tok + 2 * tok_len;
	uint8_t *values = keys + (size_t)count * t->key_size;
	uint64_t attr[ATTR_SIZE_DEFAULT / 8];
	bool first = true, end = false;
	size_t total = 0;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	while (!end && !ret) {
		uint32_t got;

		/* no bytes of the side read before may stand for this one's */
		memset(keys, 0, (size_t)count * (t->key_size + t->value_stride));
		memset(attr, 0, sizeof(attr));
		put_ptr(attr, A_BATCH_IN, first ? NULL : tok);
		put_ptr(attr, A_BATCH_OUT, tok + tok_len);
		put_ptr(attr, A_BATCH_KEYS, keys);
		put_ptr(attr, A_BATCH_VALUES, values);
		put_u32(attr, A_BATCH_COUNT, count);
		put_u32(attr, A_BATCH_MAP_FD, (uint32_t)t->fd);
		if (be->ops->sys_bpf(be, BPF_MAP_LOOKUP_BATCH, attr,
				     sizeof(attr)) < 0) {
			if (errno != ENOENT)
				ret = 1;	/* the walk tells why */
			end = true;
		}
		got = get_u32(attr, A_BATCH_COUNT);
		if (got > count || total + got > t->max_entries)
			ret = 1;	/* let the walk report the anomaly */
		for (i = 0; !ret && i < got; i++)
			if (sink(arg, keys + i * t->key_size,
				 values + i * t->value_stride))
				ret = -ENOMEM;
		total += got;
		memcpy(tok, tok + tok_len, tok_len);
		first = false;
	}
	return ret;
}

int map_read_batch_to(struct backend *be, const struct walk_target *t,
		      uint32_t type, elem_sink_t sink, void *arg)
{
	size_t elem = t->key_size + t->value_stride;
	uint32_t count = t->max_entries;

	if (!batch_reads_all(type) || !count || !elem)
		return 1;
	if ((uint64_t)count * elem > READ_BATCH_BYTES)
		count = READ_BATCH_BYTES / elem ? : 1;
	return read_chunks(be, t, count, sink, arg);
}

struct state_sink_arg {
	struct map_state *m;
	const struct walk_target *t;
};

static int state_sink(void *arg, const uint8_t *key, const uint8_t *value)
{
	struct state_sink_arg *a = arg;

	return map_state_add(a->m, key, a->t->key_size, value,
			     a->t->value_stride);
}

int map_read_batch(struct backend *be, const struct walk_target *t,
		   uint32_t type, struct map_state *m, char **anomaly)
{
	struct state_sink_arg a = { m, t };
	int ret;

	ret = map_read_batch_to(be, t, type, state_sink, &a);
	if (ret <= 0) {
		*anomaly = NULL;
		return ret;
	}
	map_state_release(m);
	return map_walk(be, t, m, anomaly);
}

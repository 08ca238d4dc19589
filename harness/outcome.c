// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Results and final states: printing in the scenario syntax, freeing.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "outcome.h"
#include "values.h"

static const char *const out_names[OUT__COUNT] = {
	[OUT_VALUE] = "value", [OUT_KEY] = "key", [OUT_COUNT] = "count",
	[OUT_OUT] = "out", [OUT_KEYS] = "keys", [OUT_VALUES] = "values",
	[OUT_INFO] = "info", [OUT_HASH] = "hash",
	[OUT_INFO_LEN] = "info_len", [OUT_DATA] = "data", [OUT_ID] = "id",
	[OUT_CAME] = "came", [OUT_GONE] = "gone",
};

const char *out_name_str(enum out_name n)
{
	return out_names[n];
}

enum out_kind out_kind(enum out_name n)
{
	switch (n) {
	case OUT_COUNT:
	case OUT_INFO_LEN:
		return OUTK_NUM;
	case OUT_ID:
		return OUTK_ID;
	default:
		return OUTK_HEX;
	}
}

int out_lookup(const char *name)
{
	int i;

	for (i = 0; i < OUT__COUNT; i++)
		if (strcmp(name, out_names[i]) == 0)
			return i;
	return -1;
}

void result_print_ret(FILE *f, const struct result *r)
{
	char buf[16];

	switch (r->kind) {
	case RET_FD:
		fputs("fd", f);
		break;
	case RET_ERR:
		fprintf(f, "-%s", errno_name(r->err, buf));
		break;
	case RET_NULL:
		fputs("null", f);
		break;
	case RET_REFUSED:
		fprintf(f, "refused -%s", errno_name(r->err, buf));
		break;
	default:
		fprintf(f, "%" PRId64, r->ret);
	}
}

void result_print(FILE *f, const struct result *r)
{
	int i;

	result_print_ret(f, r);
	for (i = 0; i < OUT__COUNT; i++) {
		const struct output *o = &r->out[i];

		if (!o->present)
			continue;
		fprintf(f, " %s=", out_names[i]);
		switch (out_kind(i)) {
		case OUTK_NUM:
			fprintf(f, "%" PRIu64, o->num);
			break;
		case OUTK_ID:
			fputs(o->self ? "self" : "other", f);
			break;
		default:
			if (o->any)
				fputs("any", f);
			else
				print_hex(f, o->data, o->len, o->group);
		}
	}
}

void result_free(struct result *r)
{
	int i;

	for (i = 0; i < OUT__COUNT; i++)
		free(r->out[i].data);
	memset(r, 0, sizeof(*r));
}

void map_state_print(FILE *f, const struct map_state *m)
{
	char buf[16];
	size_t i;

	if (m->walk_err) {
		fprintf(f, "state fd=%u walk=-%s\n", m->slot,
			errno_name(m->walk_err, buf));
		return;
	}
	for (i = 0; i < m->nelems; i++) {
		fprintf(f, "state fd=%u", m->slot);
		/* a QUEUE or STACK has values only (walk_keyless.c) */
		if (m->elems[i].klen) {
			fputs(" key=", f);
			print_hex(f, m->elems[i].key, m->elems[i].klen, 0);
		}
		fputs(" value=", f);
		print_hex(f, m->elems[i].value, m->elems[i].vlen, m->vgroup);
		fputc('\n', f);
	}
	if (m->summary)
		fprintf(f, "state fd=%u elements=%" PRIu64 " digest=%016" PRIx64
			"\n", m->slot, m->total, m->digest);
}

struct map_state *state_add_map(struct state *st, unsigned int slot)
{
	struct map_state *maps, *m;

	maps = realloc(st->maps, (st->nmaps + 1) * sizeof(*maps));
	if (!maps)
		return NULL;
	st->maps = maps;
	m = &maps[st->nmaps++];
	memset(m, 0, sizeof(*m));
	m->slot = slot;
	return m;
}

struct map_state *state_find(const struct state *st, unsigned int slot)
{
	size_t i;

	for (i = 0; i < st->nmaps; i++)
		if (st->maps[i].slot == slot)
			return &st->maps[i];
	return NULL;
}

int map_state_add(struct map_state *m, const uint8_t *key, size_t klen,
		  const uint8_t *value, size_t vlen)
{
	struct kv *e;

	if (m->nelems == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;

		e = realloc(m->elems, cap * sizeof(*e));
		if (!e)
			return -1;
		m->elems = e;
		m->cap = cap;
	}
	e = &m->elems[m->nelems];
	/* +1: malloc(0) may give NULL, which would read as a failure */
	e->key = malloc(klen + 1);
	e->value = malloc(vlen + 1);
	if (!e->key || !e->value) {
		free(e->key);
		free(e->value);
		return -1;
	}
	memcpy(e->key, key, klen);
	memcpy(e->value, value, vlen);
	e->klen = klen;
	e->vlen = vlen;
	m->nelems++;
	return 0;
}

void map_state_release(struct map_state *m)
{
	size_t i;

	for (i = 0; i < m->nelems; i++) {
		free(m->elems[i].key);
		free(m->elems[i].value);
	}
	free(m->elems);
	m->elems = NULL;
	m->nelems = 0;
	m->cap = 0;
}

void state_free(struct state *st)
{
	size_t i;

	for (i = 0; i < st->nmaps; i++)
		map_state_release(&st->maps[i]);
	free(st->maps);
	st->maps = NULL;
	st->nmaps = 0;
}

/* Key order, then value: sorting makes hash-order-free comparisons. */
int kv_cmp(const void *a, const void *b)
{
	const struct kv *x = a, *y = b;
	int c;

	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	c = memcmp(x->key, y->key, x->klen);
	if (c)
		return c;
	if (x->vlen != y->vlen)
		return x->vlen < y->vlen ? -1 : 1;
	return memcmp(x->value, y->value, x->vlen);
}

uint64_t fnv1a64(uint64_t h, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Key sets for `track keys`: an LRU map evicts keys nobody asked to
 * delete, and only the set of keys after every op shows which and when.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyset.h"

static size_t sort_key_size;

static int key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sort_key_size);
}

int keyset_sink(void *arg, const uint8_t *key, const uint8_t *value)
{
	struct keyset *ks = arg;

	(void)value;
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? 2 * ks->cap : 64;
		uint8_t *p = realloc(ks->keys, cap * ks->key_size + 1);

		if (!p)
			return -ENOMEM;
		ks->keys = p;
		ks->cap = cap;
	}
	memcpy(ks->keys + ks->n++ * ks->key_size, key, ks->key_size);
	return 0;
}

void keyset_sort(struct keyset *ks)
{
	sort_key_size = ks->key_size;
	if (ks->n)
		qsort(ks->keys, ks->n, ks->key_size, key_cmp);
}

int keyset_from_state(struct keyset *ks, const struct map_state *m,
		      size_t key_size)
{
	size_t i;

	memset(ks, 0, sizeof(*ks));
	ks->key_size = key_size;
	for (i = 0; i < m->nelems; i++)
		if (m->elems[i].klen == key_size &&
		    keyset_sink(ks, m->elems[i].key, NULL)) {
			keyset_free(ks);
			return -ENOMEM;
		}
	keyset_sort(ks);
	return 0;
}

void keyset_free(struct keyset *ks)
{
	free(ks->keys);
	ks->keys = NULL;
	ks->n = 0;
	ks->cap = 0;
}

/* Appends key to o (a sorted key list output). */
static int out_add(struct output *o, const uint8_t *key, size_t key_size)
{
	uint8_t *p = realloc(o->data, o->len + key_size);

	if (!p)
		return -ENOMEM;
	memcpy(p + o->len, key, key_size);
	o->data = p;
	o->len += key_size;
	o->group = key_size;
	o->present = true;
	return 0;
}

int keyset_diff(const struct keyset *before, const struct keyset *now,
		struct output *came, struct output *gone)
{
	size_t ks = now->key_size, i = 0, j = 0;
	int err = 0;

	while (!err && (i < before->n || j < now->n)) {
		int c = i == before->n ? 1 : j == now->n ? -1 :
			memcmp(before->keys + i * ks, now->keys + j * ks, ks);

		if (c < 0)
			err = out_add(gone, before->keys + i++ * ks, ks);
		else if (c > 0)
			err = out_add(came, now->keys + j++ * ks, ks);
		else
			i++, j++;
	}
	return err;
}

/* The smallest key in one list and not the other (sorted lists). */
static const uint8_t *first_apart(const struct output *r,
				  const struct output *a, size_t ks,
				  bool *in_r)
{
	size_t nr = r->present ? r->len / ks : 0;
	size_t na = a->present ? a->len / ks : 0, i = 0, j = 0;

	while (i < nr || j < na) {
		int c = i == nr ? 1 : j == na ? -1 :
			memcmp(r->data + i * ks, a->data + j * ks, ks);

		if (c == 0) {
			i++, j++;
			continue;
		}
		*in_r = c < 0;
		return c < 0 ? r->data + i * ks : a->data + j * ks;
	}
	return NULL;
}

int keyset_first_difference(const struct output *ref_came,
			    const struct output *ref_gone,
			    const struct output *came,
			    const struct output *gone, size_t key_size,
			    const uint8_t **key, bool *in_ref, bool *came_side)
{
	bool r1 = false, r2 = false;
	const uint8_t *k1, *k2;

	if (!key_size)
		return -1;
	k1 = first_apart(ref_came, came, key_size, &r1);
	k2 = first_apart(ref_gone, gone, key_size, &r2);
	if (!k1 && !k2)
		return -1;
	if (k1 && (!k2 || memcmp(k1, k2, key_size) <= 0)) {
		*key = k1;
		*in_ref = r1;
		*came_side = true;
	} else {
		*key = k2;
		*in_ref = r2;
		*came_side = false;
	}
	return 0;
}

static bool out_has(const struct output *o, const uint8_t *key, size_t ks)
{
	size_t i;

	for (i = 0; o->present && (i + 1) * ks <= o->len; i++)
		if (!memcmp(o->data + i * ks, key, ks))
			return true;
	return false;
}

/* The op's key= is key (zero-padded to key_size, as the runner passes it) */
static bool op_key_is(const struct op *op, const uint8_t *key, size_t ks)
{
	size_t i;

	if (!(op->given & ARG_BIT(ARG_KEY)) || op->key.len > ks ||
	    memcmp(op->key.data, key, op->key.len))
		return false;
	for (i = op->key.len; i < ks; i++)
		if (key[i])
			return false;
	return true;
}

/* Sets the reference bit of its key when it finds it (hashtab.c). */
static bool op_marks(const struct op *op, const struct result *r,
		     const uint8_t *key, size_t ks)
{
	bool lookup = (op->code == OP_LOOKUP && op->side_prog) ||
		      op->code == OP_LOOKUP_PERCPU;

	if (lookup)
		return r->kind == RET_NUM;
	return op->code == OP_UPDATE && r->kind == RET_NUM && r->ret == 0 &&
	       !out_has(&r->out[OUT_CAME], key, ks);
}

char *keyset_history(const struct scenario *sc, const struct run *run,
		     size_t upto, int slot, const uint8_t *key,
		     size_t key_size)
{
	const struct op *marked = NULL, *came = NULL;
	char *text = NULL;
	size_t len = 0, j;
	FILE *f;

	for (j = upto; j-- > 0 && !came;) {
		const struct op *op = &sc->ops[j];
		const struct result *r = &run->res[j];

		if (run->meta[j].slot != slot)
			continue;
		if (out_has(&r->out[OUT_CAME], key, key_size))
			came = op;
		else if (!marked && op_key_is(op, key, key_size) &&
			 op_marks(op, r, key, key_size))
			marked = op;
	}
	f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	if (came)
		fprintf(f, "    it came at line %u: %s\n", came->line,
			came->text);
	else
		fputs("    it never came in this run\n", f);
	if (marked)
		fprintf(f, "    last referenced at line %u: %s\n",
			marked->line, marked->text);
	else if (came)
		fputs("    not referenced since (no program lookup, no "
		      "update of it)\n", f);
	fclose(f);
	return text;
}

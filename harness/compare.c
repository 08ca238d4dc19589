// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The comparer. Everything is compared byte for byte (ret, errno, every
 * output buffer, the final state), except where the kernel leaves the
 * order open: a hash map seeded at random returns its keys in an order
 * of its own, so there `next` and batch lookups are checked for what can
 * be checked (same return, returned keys are keys of the map, no key
 * twice) and the final state is compared as a set.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

#define LABEL_W		9	/* "recorded:" */
#define HEX_WINDOW	32	/* bytes of a long buffer shown around a diff */
#define BRIEF_HEX	16	/* longer buffers are shown by size only */
#define SET_DIFF_MAX	8	/* elements listed per state difference */
#define RANGES_MAX	8	/* differing byte ranges listed per buffer */

static const struct result *res_of(const struct scenario *sc,
				   const struct outcome *o, size_t i)
{
	return o->run ? &o->run->res[i] : &sc->ops[i].recorded;
}

static const struct state *state_of(const struct scenario *sc,
				    const struct outcome *o)
{
	return o->run ? &o->run->state : &sc->state;
}

int verdict_init(struct verdict *v, size_t nops)
{
	memset(v, 0, sizeof(*v));
	v->op_div = calloc(nops + 1, sizeof(*v->op_div));
	v->nops = nops;
	return v->op_div ? 0 : -1;
}

void verdict_free(struct verdict *v)
{
	size_t i;

	for (i = 0; i < v->nitems; i++)
		free(v->items[i].detail);
	free(v->items);
	free(v->op_div);
	memset(v, 0, sizeof(*v));
}

/* Takes detail over (NULL: out of memory, said as such). */
static void add_finding(struct verdict *v, unsigned int line,
			const char *op_text, char *detail)
{
	struct finding *items;

	items = realloc(v->items, (v->nitems + 1) * sizeof(*items));
	if (!items) {
		free(detail);
		return;
	}
	v->items = items;
	items[v->nitems].line = line;
	items[v->nitems].op_text = op_text;
	items[v->nitems].detail = detail ? detail :
				  strdup("  (out of memory)\n");
	v->nitems++;
}

void verdict_add(struct verdict *v, unsigned int line, const char *op_text,
		 const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	add_finding(v, line, op_text, n < 0 ? NULL : msg);
}

static void print_label(FILE *f, const char *label)
{
	fprintf(f, "    %s:%*s", label, (int)(LABEL_W - strlen(label)), "");
}

/* The result on one line; long buffers by size only (diffs follow). */
static void print_brief(FILE *f, const char *label, const struct result *r)
{
	int i;

	print_label(f, label);
	if (!r->present) {
		fputs("(no result)\n", f);
		return;
	}
	result_print_ret(f, r);
	for (i = 0; i < OUT__COUNT; i++) {
		const struct output *o = &r->out[i];

		if (!o->present)
			continue;
		fprintf(f, " %s=", out_name_str(i));
		if (out_kind(i) == OUTK_NUM)
			fprintf(f, "%llu", (unsigned long long)o->num);
		else if (out_kind(i) == OUTK_ID)
			fputs(o->self ? "self" : "other", f);
		else if (o->any && !o->data)
			fputs("any", f);
		else if (o->len <= BRIEF_HEX)
			print_hex(f, o->data, o->len, o->group);
		else
			fprintf(f, "<%zu bytes>", o->len);
	}
	fputc('\n', f);
}

static void print_window(FILE *f, const char *label, const uint8_t *p,
			 size_t len, size_t from, size_t to)
{
	print_label(f, label);
	if (!p) {
		fputs("(not written)\n", f);
		return;
	}
	if (from)
		fputs("...", f);
	print_hex(f, p + from, (to < len ? to : len) - from, 0);
	if (to < len)
		fputs("...", f);
	fputc('\n', f);
}

/* Where else two buffers differ: "bytes 40-43 48-63 ..." */
static void diff_ranges(FILE *f, const uint8_t *a, const uint8_t *b,
			size_t len)
{
	size_t i = 0, n = 0;

	while (i < len) {
		size_t start;

		if (a[i] == b[i]) {
			i++;
			continue;
		}
		start = i;
		while (i < len && a[i] != b[i])
			i++;
		if (n == 0)
			fputs("    differing bytes:", f);
		if (n++ == RANGES_MAX) {
			fputs(" ...", f);
			break;
		}
		if (i - start == 1)
			fprintf(f, " %zu", start);
		else
			fprintf(f, " %zu-%zu", start, i - 1);
	}
	if (n)
		fputc('\n', f);
}

/* Both buffers in hex, the first differing byte marked under them. */
static void hexdiff(FILE *f, const char *name, const char *la,
		    const struct output *a, const char *lb,
		    const struct output *b)
{
	size_t alen = a->present ? a->len : 0, blen = b->present ? b->len : 0;
	size_t min = alen < blen ? alen : blen, max = alen > blen ? alen : blen;
	size_t first = 0, from, to;

	while (first < min && a->data[first] == b->data[first])
		first++;
	from = first > 8 ? first - 8 : 0;
	to = from + HEX_WINDOW < max ? from + HEX_WINDOW : max;
	if (a->present && b->present)
		fprintf(f, "  %s differs at byte %zu (%s: %zu bytes, %s: "
			"%zu):\n", name, first, la, alen, lb, blen);
	else
		fprintf(f, "  %s written by %s only\n", name,
			a->present ? la : lb);
	print_window(f, la, a->present ? a->data : NULL, alen, from, to);
	print_window(f, lb, b->present ? b->data : NULL, blen, from, to);
	if (!a->present || !b->present)
		return;
	fprintf(f, "    %*s%s%*s^^\n", LABEL_W + 1, "", from ? "   " : "",
		(int)(2 * (first - from)), "");
	diff_ranges(f, a->data, b->data, min);
}

static bool ret_same(const struct result *r, const struct result *a)
{
	if (r->kind != a->kind)
		return false;
	switch (r->kind) {
	case RET_ERR:
	case RET_REFUSED:
		return r->err == a->err;
	case RET_FD:
	case RET_NULL:
		return true;
	default:
		return r->ret == a->ret;
	}
}

static bool out_same(enum out_name n, const struct output *x,
		     const struct output *y)
{
	if (x->present != y->present)
		return false;
	if (!x->present)
		return true;
	switch (out_kind(n)) {
	case OUTK_NUM:
		return x->num == y->num;
	case OUTK_ID:
		return x->self == y->self;
	default:
		return x->len == y->len && !memcmp(x->data, y->data, x->len);
	}
}

static void out_detail(FILE *f, enum out_name n, const char *lr,
		       const struct output *r, const char *la,
		       const struct output *a)
{
	if (out_kind(n) == OUTK_HEX) {
		hexdiff(f, out_name_str(n), lr, r, la, a);
		return;
	}
	fprintf(f, "  %s differs\n", out_name_str(n));
}

static const struct kv *snap_find(const struct map_state *snap,
				  const uint8_t *key, size_t klen)
{
	size_t i;

	for (i = 0; i < snap->nelems; i++) {
		const struct kv *e = &snap->elems[i];

		if (e->klen == klen && !memcmp(e->key, key, klen))
			return e;
	}
	return NULL;
}

/* next on an unordered map: the key must be one the map held. */
static bool loose_key(FILE *f, const char *la, const struct op_meta *m,
		      const struct output *a)
{
	if (!a->present || !m->snap_valid || snap_find(&m->snap, a->data,
							  a->len))
		return true;
	fprintf(f, "  key: %s returned ", la);
	print_hex(f, a->data, a->len, 0);
	fputs(", not a key of the map before the op\n", f);
	return false;
}

/*
 * A batch lookup on an unordered map: the first `count` elements must
 * be distinct elements (key and value) of the map before the op; the
 * rest of the buffers is compared as is.
 */
static bool loose_batch(FILE *f, const struct result *r, const char *la,
			const struct result *a, const struct op_meta *m,
			uint32_t count_in)
{
	const struct output *rk = &r->out[OUT_KEYS], *ak = &a->out[OUT_KEYS];
	const struct output *rv = &r->out[OUT_VALUES];
	const struct output *av = &a->out[OUT_VALUES];
	uint64_t count = a->out[OUT_COUNT].present ? a->out[OUT_COUNT].num :
						     count_in;
	size_t ks = m->key_size, vs = m->value_stride, i, j, n;
	bool ok = true;

	if (rk->present != ak->present || rk->len != ak->len ||
	    rv->present != av->present || rv->len != av->len) {
		fputs("  keys/values: written by one side only, or in other "
		      "sizes\n", f);
		return false;
	}
	if (!ak->present || !ks)
		return true;
	n = ak->len / ks < count ? ak->len / ks : (size_t)count;
	for (i = 0; i < n && ok; i++) {
		const uint8_t *key = ak->data + i * ks;
		const struct kv *e = m->snap_valid ?
				     snap_find(&m->snap, key, ks) : NULL;

		for (j = 0; j < i && ok; j++)
			ok = memcmp(key, ak->data + j * ks, ks) != 0;
		if (!ok) {
			fprintf(f, "  keys: %s returned element %zu twice\n",
				la, i);
			break;
		}
		if (m->snap_valid && !e) {
			fprintf(f, "  keys: %s element %zu is not a key of "
				"the map before the op\n", la, i);
			ok = false;
		} else if (e && av->present && (av->len < (i + 1) * vs ||
			   memcmp(av->data + i * vs, e->value, vs))) {
			fprintf(f, "  values: %s element %zu is not the "
				"value the map held for its key\n", la, i);
			ok = false;
		}
	}
	/* past the elements returned, the buffers must be untouched alike */
	if (ok && (memcmp(ak->data + n * ks, rk->data + n * ks,
			  ak->len - n * ks) ||
		   (av->present && av->len >= n * vs &&
		    memcmp(av->data + n * vs, rv->data + n * vs,
			   av->len - n * vs)))) {
		fprintf(f, "  keys/values: differ past the %zu elements "
			"returned\n", n);
		ok = false;
	}
	return ok;
}

static bool is_loose_out(enum op_code code, enum out_name n)
{
	if (code == OP_NEXT)
		return n == OUT_KEY;
	if (code == OP_LOOKUP_BATCH || code == OP_LOOKUP_AND_DELETE_BATCH)
		return n == OUT_OUT || n == OUT_KEYS || n == OUT_VALUES;
	return false;
}

static void compare_op(const struct scenario *sc, size_t i,
		       const struct outcome *ref, const struct outcome *act,
		       struct verdict *v)
{
	const struct op *op = &sc->ops[i];
	const struct result *r = res_of(sc, ref, i), *a = res_of(sc, act, i);
	const struct op_meta *m = &act->run->meta[i];
	bool loose = m->unordered ||
		     (ref->run && ref->run->meta[i].unordered);
	char *text = NULL, *diffs = NULL;
	size_t len = 0, dlen = 0;
	bool div;
	FILE *f, *d;
	int n;

	/* neither run could run it: the problems say why, not a result */
	if (ref->run && !r->present && !a->present)
		return;
	if (!r->present || !a->present) {
		div = true;
		diffs = strdup(!ref->run && !r->present ?
			       "  no recorded result: run `record`\n" : "");
		goto report;
	}
	d = open_memstream(&diffs, &dlen);
	if (!d)
		return;
	div = !ret_same(r, a);
	for (n = 0; n < OUT__COUNT; n++) {
		if (loose && is_loose_out(op->code, n))
			continue;
		if (!out_same(n, &r->out[n], &a->out[n])) {
			out_detail(d, n, ref->label, &r->out[n], act->label,
				   &a->out[n]);
			div = true;
		}
	}
	if (loose && op->code == OP_NEXT) {
		if (r->out[OUT_KEY].present != a->out[OUT_KEY].present) {
			fputs("  key: written by one side only\n", d);
			div = true;
		}
		div |= !loose_key(d, act->label, m, &a->out[OUT_KEY]);
	} else if (loose && is_loose_out(op->code, OUT_KEYS)) {
		if (r->out[OUT_OUT].present != a->out[OUT_OUT].present) {
			fputs("  out: written by one side only\n", d);
			div = true;
		}
		div |= !loose_batch(d, r, act->label, a, m, op->count);
	}
	fclose(d);
report:
	if (!div) {
		free(diffs);
		return;
	}
	v->op_div[i] = true;
	f = open_memstream(&text, &len);
	if (f) {
		print_brief(f, ref->label, r);
		print_brief(f, act->label, a);
		if (loose && (is_loose_out(op->code, OUT_KEY) ||
			      is_loose_out(op->code, OUT_KEYS)))
			fputs("    (hash order open: returned keys checked "
			      "against the map, not by position)\n", f);
		fputs(diffs ? diffs : "", f);
		if (m->explain)
			fputs(m->explain, f);
		fclose(f);
	}
	free(diffs);
	add_finding(v, op->line, op->text, text);
}

static void print_kv(FILE *f, const char *label, const struct kv *e,
		     size_t vgroup)
{
	print_label(f, label);
	fputs("key=", f);
	print_hex(f, e->key, e->klen, 0);
	fputs(" value=", f);
	print_hex(f, e->value, e->vlen, vgroup);
	fputc('\n', f);
}

/* Sorted shallow copy: the set view of an unordered map. */
static struct kv *sorted(const struct map_state *m)
{
	struct kv *s = malloc((m->nelems + 1) * sizeof(*s));

	if (!s)
		return NULL;
	if (m->nelems)	/* elems may be NULL then */
		memcpy(s, m->elems, m->nelems * sizeof(*s));
	qsort(s, m->nelems, sizeof(*s), kv_cmp);
	return s;
}

/* Unordered: what one side has and the other has not. */
static void set_diff(FILE *f, const char *lr, const struct kv *r, size_t nr,
		     const char *la, const struct kv *a, size_t na,
		     size_t vgroup)
{
	size_t i = 0, j = 0, shown = 0;

	while ((i < nr || j < na) && shown < SET_DIFF_MAX) {
		int c = i == nr ? 1 : j == na ? -1 : kv_cmp(&r[i], &a[j]);

		if (c == 0) {
			i++;
			j++;
			continue;
		}
		print_kv(f, c < 0 ? lr : la, c < 0 ? &r[i++] : &a[j++], vgroup);
		shown++;
	}
	if (i < nr || j < na)
		fputs("  ...\n", f);
}

static bool elems_same(const struct kv *r, size_t nr, const struct kv *a,
		       size_t na, size_t *first)
{
	size_t i;

	for (i = 0; i < nr && i < na; i++)
		if (kv_cmp(&r[i], &a[i]))
			break;
	*first = i;
	return nr == na && i == nr;
}

static bool compare_map(FILE *f, const char *lr, const struct map_state *r,
			const char *la, const struct map_state *a)
{
	bool unordered = r->unordered || a->unordered, same;
	struct kv *rs = NULL, *as = NULL;
	const struct kv *re = r->elems, *ae = a->elems;
	char b1[16], b2[16];
	size_t first;

	if (r->walk_err != a->walk_err) {
		fprintf(f, "  the walk: %s %s, %s %s\n", lr,
			r->walk_err ? errno_name(r->walk_err, b1) : "ok", la,
			a->walk_err ? errno_name(a->walk_err, b2) : "ok");
		return false;
	}
	if (unordered) {
		rs = sorted(r);
		as = sorted(a);
		if (!rs || !as) {
			free(rs);
			free(as);
			fputs("  (out of memory)\n", f);
			return false;
		}
		re = rs;
		ae = as;
	}
	same = elems_same(re, r->nelems, ae, a->nelems, &first);
	if (!same) {
		if (r->nelems != a->nelems || unordered)
			fprintf(f, "  %s: %zu element line(s), %s: %zu%s\n",
				lr, r->nelems, la, a->nelems,
				unordered ? " (compared as a set)" : "");
		if (unordered) {
			set_diff(f, lr, re, r->nelems, la, ae, a->nelems,
				 a->vgroup);
		} else {
			fprintf(f, "  first difference at element %zu:\n",
				first);
			if (first < r->nelems)
				print_kv(f, lr, &re[first], a->vgroup);
			if (first < a->nelems)
				print_kv(f, la, &ae[first], a->vgroup);
		}
	}
	if (r->summary != a->summary || r->total != a->total ||
	    r->digest != a->digest) {
		fprintf(f, "  elements/digest: %s %llu/%016llx, %s "
			"%llu/%016llx\n", lr, (unsigned long long)r->total,
			(unsigned long long)r->digest, la,
			(unsigned long long)a->total,
			(unsigned long long)a->digest);
		same = false;
	}
	free(rs);
	free(as);
	return same;
}

static void compare_state(const struct scenario *sc,
			  const struct outcome *ref, const struct outcome *act,
			  struct verdict *v)
{
	const struct state *rs = state_of(sc, ref), *as = state_of(sc, act);
	unsigned int last = sc->ops[sc->nops - 1].line;
	/* an empty map has no state lines: no lines is an empty map */
	static const struct map_state empty;
	size_t i;

	for (i = 0; i < rs->nmaps + as->nmaps; i++) {
		/* every slot of ref, then the slots only act has */
		const struct map_state *r, *a;
		unsigned int slot;
		char *text = NULL;
		size_t len = 0;
		FILE *f;
		bool same;

		if (i < rs->nmaps) {
			slot = rs->maps[i].slot;
		} else {
			slot = as->maps[i - rs->nmaps].slot;
			if (state_find(rs, slot))
				continue;
		}
		r = state_find(rs, slot);
		a = state_find(as, slot);
		f = open_memstream(&text, &len);
		if (!f)
			return;
		fprintf(f, "  final state of slot %u:\n", slot);
		same = compare_map(f, ref->label, r ? r : &empty, act->label,
				   a ? a : &empty);
		fclose(f);
		if (same) {
			free(text);
			continue;
		}
		add_finding(v, r && r->line ? r->line : last, NULL, text);
		v->op_div[v->nops] = true;
	}
}

void compare_outcomes(const struct scenario *sc, const struct outcome *ref,
		      const struct outcome *act, struct verdict *v)
{
	size_t i;

	for (i = 0; i < sc->nops; i++)
		compare_op(sc, i, ref, act, v);
	compare_state(sc, ref, act, v);
	verdict_add_problems(v, act);
}

void verdict_print(FILE *f, const char *path, const struct verdict *v,
		   const char *prefix)
{
	size_t i;

	for (i = 0; i < v->nitems; i++) {
		const struct finding *fi = &v->items[i];

		fprintf(f, "%s:%u:", path, fi->line);
		if (prefix)
			fprintf(f, " %s", prefix);
		if (fi->op_text)
			fprintf(f, " %s", fi->op_text);
		fprintf(f, "\n%s", fi->detail);
	}
}

void verdict_add_problems(struct verdict *v, const struct outcome *o)
{
	size_t i;

	for (i = 0; i < o->run->nproblems; i++) {
		const struct problem *p = &o->run->problems[i];

		verdict_add(v, p->line ? p->line : 1, NULL, "  %s: %s\n",
			    o->label, p->msg);
	}
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The text half of the decoder: an input starting with '#' is a scenario
 * (the conformance corpus seeds the fuzzers with its files, and libFuzzer
 * mutates them as text, which fuzzes the parser). It runs as written,
 * except where a mutation could reach past the run (the engine itself
 * refuses host paths and large creates):
 *
 * - a poke= onto an attr field that holds a pointer or an fd (or a map
 *   id) would hand the emulator a wild pointer (the kernel answers
 *   EFAULT, the emulator would crash) or make both backends see
 *   different objects: the poke is dropped, unless it writes a whole fd
 *   field with a number no process has open; an attr_size= that cuts
 *   such a field in two is cut before it instead (decode_attr.c);
 * - info in= bytes reaching info.hash would be a wild pointer: cut to
 *   the bytes before it;
 * - ids are global: get_fd_by_id takes id=self, next_id id=self-1, or
 *   a number no map has (0, or from 2^30 on: ids are allocated upward
 *   from 1); an attr_size= never cuts next_id's start id to 0 (the
 *   host's first map);
 * - a create of a map type the emulator does not implement, or one that
 *   makes the kernel allocate much (or walk many elements for the final
 *   state), is not run: the text comes back empty.
 */
#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"
#include "values.h"

#define TEXT_BUDGET	(16ULL << 20)	/* kernel bytes a map may cost */
#define TEXT_ENTRIES	(1U << 16)	/* elements the final walk reads */
#define ATTR_SIZE	168		/* 6.18 sizeof(union bpf_attr) */
#define ATTR_BUF	8192		/* the harness's attr buffer */
#define MAX_TOKENS	64		/* the parser's limit */
#define ID_NEVER	(1U << 30)	/* map ids come from 1 up */

#define INFO_HASH_OFF	88	/* struct bpf_map_info: hash */

/* poke=<off>:<hex> as the parser reads it; false if it would not. */
static bool parse_poke(const char *s, uint32_t *off, struct blob *b)
{
	const char *colon = strchr(s, ':');
	char num[32];
	size_t n = colon ? (size_t)(colon - s) : 0;

	if (!colon || !n || n >= sizeof(num))
		return false;
	memcpy(num, s, n);
	num[n] = '\0';
	if (parse_u32(num, off))
		return false;
	if (parse_hex(colon + 1, b))
		return false;
	if ((uint64_t)*off + b->len > ATTR_BUF) {
		blob_free(b);
		return false;
	}
	return true;
}

struct line {
	char *tok[MAX_TOKENS];
	size_t n;
	bool changed;
};

static void put_u32(uint8_t *img, unsigned int off, uint32_t v)
{
	memcpy(img + off, &v, 4);
}

/*
 * The create's attr as the harness builds it (pokes and attr_size
 * included), read back as the kernel reads it. false: the line does not
 * parse (the parser will say so).
 */
static bool create_cfg(const struct line *l, struct fuzz_cfg *c, bool *fails)
{
	uint8_t img[ATTR_SIZE] = { 0 };
	uint32_t attr_size = ATTR_SIZE, v32, off;
	uint64_t v64;
	size_t i, k;

	*fails = false;
	for (i = 1; i < l->n; i++) {
		const char *t = l->tok[i], *val = strchr(t, '=');
		const char *err = NULL;

		if (!val)
			return false;
		val++;
		if (!strncmp(t, "type=", 5)) {
			err = parse_map_type(val, &v32);
			put_u32(img, 0, v32);
		} else if (!strncmp(t, "key_size=", 9)) {
			err = parse_u32(val, &v32);
			put_u32(img, 4, v32);
		} else if (!strncmp(t, "value_size=", 11)) {
			err = parse_u32(val, &v32);
			put_u32(img, 8, v32);
		} else if (!strncmp(t, "max_entries=", 12)) {
			err = parse_u32(val, &v32);
			put_u32(img, 12, v32);
		} else if (!strncmp(t, "flags=", 6)) {
			err = parse_flags(val, &v64);
			put_u32(img, 16, (uint32_t)v64);
		} else if (!strncmp(t, "numa_node=", 10)) {
			err = parse_u32(val, &v32);
			put_u32(img, 24, v32);
		} else if (!strncmp(t, "name=", 5)) {
			if (strlen(val) > 16)
				return false;
			memcpy(img + 28, val, strlen(val));
		} else if (!strncmp(t, "map_extra=", 10)) {
			err = parse_u64(val, &v64);
			memcpy(img + 64, &v64, 8);
		} else if (!strncmp(t, "attr_size=", 10)) {
			err = parse_u32(val, &attr_size);
		}
		if (err)
			return false;
	}
	/* pokes last, as the harness applies them */
	for (i = 1; i < l->n; i++) {
		struct blob b;

		if (strncmp(l->tok[i], "poke=", 5))
			continue;
		if (!parse_poke(l->tok[i] + 5, &off, &b))
			return false;
		for (k = 0; k < b.len; k++) {
			if (off + k < ATTR_SIZE)
				img[off + k] = b.data[k];
			else if (off + k < attr_size && b.data[k])
				*fails = true;	/* E2BIG: tail not zero */
		}
		blob_free(&b);
	}
	if (attr_size > FUZZ_PAGE)
		*fails = true;		/* E2BIG */
	if (attr_size < ATTR_SIZE)
		memset(img + attr_size, 0, ATTR_SIZE - attr_size);
	for (k = 92; k < ATTR_SIZE; k++)
		*fails |= img[k] != 0;	/* CHECK_ATTR: EINVAL */
	memset(c, 0, sizeof(*c));
	memcpy(&c->type, img, 4);
	memcpy(&c->key_size, img + 4, 4);
	memcpy(&c->value_size, img + 8, 4);
	memcpy(&c->max_entries, img + 12, 4);
	memcpy(&c->flags, img + 16, 4);
	memcpy(&c->numa_node, img + 24, 4);
	memcpy(c->name, img + 28, 16);	/* no NUL in 16 bytes: refused */
	memcpy(&c->map_extra, img + 64, 8);
	return true;
}

/* May this create run: a type we know, at a cost the host takes? */
static bool create_ok(const struct line *l, unsigned int ncpus)
{
	enum fuzz_cfg_outcome out;
	struct fuzz_cfg c;
	uint64_t bytes;
	bool fails;

	if (!create_cfg(l, &c, &fails) || fails)
		return true;
	out = fuzz_cfg_check(&c, ncpus, &bytes);
	if (out == CFG_UNKNOWN && !fuzz_type_find(c.type))
		return false;	/* a type the emulator does not have */
	return bytes <= TEXT_BUDGET &&
	       (out != CFG_OK || c.max_entries <= TEXT_ENTRIES);
}

/*
 * How much of an info in= token to keep: all of it, unless its bytes
 * make info.hash a pointer past the first page; then those before it.
 */
static size_t info_in_keep(const char *tok)
{
	size_t digits = 0, i = strlen("in="), cut = 0;
	struct blob b;
	uint64_t hash = 0;

	if (parse_hex(tok + i, &b))
		return strlen(tok);	/* the parser refuses it */
	if (b.len > INFO_HASH_OFF)
		memcpy(&hash, b.data + INFO_HASH_OFF,
		       b.len - INFO_HASH_OFF < 8 ? b.len - INFO_HASH_OFF : 8);
	blob_free(&b);
	if (hash < FUZZ_PAGE)
		return strlen(tok);
	for (; tok[i] && digits < 2 * INFO_HASH_OFF; i++)
		if (tok[i] != '_')
			digits++;
	cut = i;
	return cut;
}

/* A literal id no map has: 0, or past what ids ever reach here. */
static bool id_unused(const char *s)
{
	uint32_t id;

	return !parse_u32(s, &id) && (!id || id >= ID_NEVER);
}

/*
 * One op line's tokens rewritten in place (new strings are malloc'd and
 * recorded in owned[]). false: the text must not run.
 */
static bool rewrite(struct line *l, unsigned int ncpus, char **owned,
		    size_t *nowned)
{
	const char *op = l->tok[0];
	const char *id = !strcmp(op, "get_fd_by_id") ? "id=self" :
			 !strcmp(op, "next_id") ? "id=self-1" : NULL;
	bool has_id = false;
	size_t i, j;

	for (i = 1, j = 1; i < l->n; i++) {
		char *t = l->tok[i], *nt = NULL;
		uint32_t off;
		struct blob b;

		if (!strncmp(t, "poke=", 5) && parse_poke(t + 5, &off, &b)) {
			bool ok = fuzz_poke_ok(op, off, b.data, b.len);

			blob_free(&b);
			if (!ok) {
				l->changed = true;
				continue;	/* dropped */
			}
		} else if (!strcmp(op, "info") && !strncmp(t, "in=", 3) &&
			   t[info_in_keep(t)]) {
			nt = strndup(t, info_in_keep(t));
			if (!nt)
				return false;
		} else if (!strncmp(t, "attr_size=", 10) &&
			   !parse_u32(t + 10, &off) &&
			   fuzz_attr_cut(op, off) != off) {
			if (asprintf(&nt, "attr_size=%u",
				     fuzz_attr_cut(op, off)) < 0)
				return false;
		} else if (id && !strncmp(t, "id=", 3)) {
			has_id = true;
			if (strcmp(t, id) && !id_unused(t + 3) &&
			    !(nt = strdup(id)))
				return false;
		}
		if (nt) {
			owned[(*nowned)++] = nt;
			t = nt;
			l->changed = true;
		}
		l->tok[j++] = t;
	}
	l->n = j;
	/* no id: MAP_GET_NEXT_ID from 0 finds other processes' maps */
	if (!strcmp(op, "next_id") && !has_id && l->n < MAX_TOKENS - 1) {
		l->tok[l->n++] = "id=self-1";
		l->changed = true;
	}
	return strcmp(op, "create") || create_ok(l, ncpus);
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* One line (no '\n'): written to sb as is or rewritten; false: reject */
static bool text_line(const char *s, size_t len, unsigned int ncpus,
		      struct sbuf *sb)
{
	char *buf = strndup(s, len), *p, *owned[MAX_TOKENS + 1];
	size_t head, nowned = 0, i;
	struct line l = { .n = 0 };
	const char *rest;
	bool ok = true;

	if (!buf) {
		sb->nomem = true;
		return true;
	}
	/* the op text ends at a comment or at "=>" */
	head = strcspn(buf, "#");
	p = strstr(buf, "=>");
	if (p && (size_t)(p - buf) < head)
		head = (size_t)(p - buf);
	rest = s + head;
	buf[head] = '\0';
	for (p = buf; l.n < MAX_TOKENS;) {
		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		l.tok[l.n++] = p;
		while (*p && !is_blank(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (l.n && l.n < MAX_TOKENS && strcmp(l.tok[0], "recorded") &&
	    strcmp(l.tok[0], "state"))
		ok = rewrite(&l, ncpus, owned, &nowned);
	if (!l.changed) {
		sb_put(sb, s, len);
	} else {
		for (i = 0; i < l.n; i++) {
			if (i)
				sb_puts(sb, " ");
			sb_puts(sb, l.tok[i]);
		}
		if (len > head)
			sb_puts(sb, " ");
		sb_put(sb, rest, len - head);
	}
	for (i = 0; i < nowned; i++)
		free(owned[i]);
	free(buf);
	return ok;
}

int fuzz_decode_text(const uint8_t *data, size_t size, unsigned int ncpus,
		     struct sbuf *sb)
{
	const char *s = (const char *)data, *end = s + size;

	/* the parser refuses a NUL anywhere: nothing here can run */
	if (memchr(data, '\0', size)) {
		sb_put(sb, s, size);
		return 0;
	}
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (!text_line(s, len, ncpus, sb)) {
			sb->len = 0;
			if (sb->p)
				sb->p[0] = '\0';
			return 0;
		}
		if (nl)
			sb_puts(sb, "\n");
		s += len + (nl ? 1 : 0);
	}
	return 0;
}

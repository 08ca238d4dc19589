/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What one command gave (struct result) and what the maps held at the
 * end (struct state), in the one form shared by the recording in a
 * scenario file and by a live run on any backend: the comparer never
 * needs to know where an outcome came from.
 */
#ifndef __HARNESS_OUTCOME_H
#define __HARNESS_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define STATE_LINES_MAX	256	/* element lines per map; then a digest */

enum ret_kind {
	RET_NUM,	/* the call returned this number */
	RET_FD,		/* it returned an fd; the number is not compared */
	RET_ERR,	/* it returned -1 with this errno (a helper: -errno) */
	RET_NULL,	/* a helper's lookup returned NULL */
	RET_REFUSED,	/* the verifier refuses a program making the call:
			 * err is BPF_PROG_LOAD's errno */
};

/* Output names, in the order the writer prints them. */
enum out_name {
	OUT_VALUE, OUT_KEY, OUT_COUNT, OUT_OUT, OUT_KEYS, OUT_VALUES,
	OUT_INFO, OUT_HASH, OUT_INFO_LEN, OUT_ID, OUT_DATA,
	OUT_CAME, OUT_GONE,	/* `track keys`: the keys that came and went */
	OUT__COUNT
};

enum out_kind { OUTK_HEX, OUTK_NUM, OUTK_ID };

struct output {
	bool present;		/* some byte changed: written whole */
	uint8_t *data;		/* OUTK_HEX */
	size_t len;
	size_t group;		/* print a `_` every group bytes (0: none) */
	uint64_t num;		/* OUTK_NUM */
	bool self;		/* OUTK_ID: the slot's own map id */
	bool any;		/* no fixed bytes: the order is open (`any`) */
};

struct result {
	bool present;
	enum ret_kind kind;
	int64_t ret;
	int err;
	struct output out[OUT__COUNT];
};

struct kv {
	uint8_t *key;
	uint8_t *value;
	size_t klen;
	size_t vlen;
};

/* The final contents of the map behind one fd slot. */
struct map_state {
	unsigned int slot;
	unsigned int line;	/* first state line in the file, 0 for a run */
	struct kv *elems;	/* at most STATE_LINES_MAX */
	size_t nelems;
	size_t cap;
	bool summary;		/* more elements than lines: */
	uint64_t total;		/*   how many */
	uint64_t digest;	/*   fnv1a-64 over all key||value */
	int walk_err;		/* the walk ended with this errno, not ENOENT */
	bool unordered;		/* known for runs only: compare as a set */
	size_t vgroup;		/* per-CPU slot size, for printing */
};

struct state {
	struct map_state *maps;
	size_t nmaps;
};

const char *out_name_str(enum out_name n);
enum out_kind out_kind(enum out_name n);
int out_lookup(const char *name);	/* enum out_name, or -1 */

/* "0", "fd", "-EEXIST", "null", "refused -EACCES" and the outputs, as
 * after `=> ` in a file. */
void result_print(FILE *f, const struct result *r);
void result_print_ret(FILE *f, const struct result *r);
void result_free(struct result *r);

/* One map's `state` lines. */
void map_state_print(FILE *f, const struct map_state *m);
struct map_state *state_add_map(struct state *st, unsigned int slot);
struct map_state *state_find(const struct state *st, unsigned int slot);
int map_state_add(struct map_state *m, const uint8_t *key, size_t klen,
		  const uint8_t *value, size_t vlen);
void map_state_release(struct map_state *m);
void state_free(struct state *st);

int kv_cmp(const void *a, const void *b);
uint64_t fnv1a64(uint64_t h, const uint8_t *p, size_t len);
#define FNV1A64_INIT	0xcbf29ce484222325ULL

#endif /* __HARNESS_OUTCOME_H */

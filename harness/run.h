/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Running a scenario on one backend: every op's result, the facts the
 * comparer needs about each op (which map it acted on, whether that map
 * leaves its order open), the final state, and anything that went wrong
 * outside the results themselves (a walk visiting a key twice, a leak).
 */
#ifndef __HARNESS_RUN_H
#define __HARNESS_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "outcome.h"
#include "scenario.h"

#define TYPE_NONE	UINT32_MAX	/* no map behind the op */

/* What the harness knows of the map behind an fd slot. */
struct geom {
	bool known;
	uint32_t type, key_size, value_size, max_entries, map_flags, id;
	bool unordered;		/* hash order left open by a random seed */
};

/* The geometry in a struct bpf_map_info (backend_map_info()). */
void geom_from_info(struct geom *g, const uint8_t *info);

struct op_meta {
	int slot;		/* the slot acted on, or -1 */
	uint32_t type;		/* its map type, for the report matrix */
	bool unordered;		/* hash order left open by a random seed */
	size_t key_size;	/* element layout of batch buffers */
	size_t value_stride;
	bool snap_valid;	/* snap: the map just before the op */
	struct map_state snap;
	/* `track keys`: why the op's keys differ from the reference's */
	char *explain;
};

struct problem {
	unsigned int line;	/* 0: the scenario as a whole */
	char *msg;
};

struct run {
	const char *backend;
	unsigned int ncpus;
	size_t nops;
	struct result *res;
	struct op_meta *meta;
	struct state state;
	struct problem *problems;
	size_t nproblems;
};

/* How a run reads whole maps. Zeroed: as a program using bpf(2) would. */
struct run_opts {
	/* by LOOKUP_BATCH where the type has it (read_batch.c): one
	 * command per chunk instead of two per element */
	bool state_by_batch;
	/*
	 * With `track keys`: where an op's keys that came or went differ
	 * from the reference's, say why while the maps still exist (the
	 * backend's describe_key and the scenario's history) in the op's
	 * meta.explain. The reference: ref's results, or the recording
	 * when ref is NULL.
	 */
	bool explain;
	const struct run *ref;
};

/*
 * Runs every op of sc on be (whose possible CPUs the caller has set) and
 * cleans up after it. Returns 0, or -ENOMEM (run is then incomplete but
 * still to be freed). opts may be NULL.
 */
int run_scenario_opts(struct backend *be, const struct scenario *sc,
		      const struct run_opts *opts, struct run *run);
int run_scenario(struct backend *be, const struct scenario *sc,
		 struct run *run);
void run_free(struct run *run);

/* walk.c: the map's elements by GET_NEXT_KEY from NULL, then LOOKUP. */
struct walk_target {
	int fd;
	size_t key_size;
	size_t value_stride;
	uint32_t max_entries;
};

/*
 * Every element goes to m (m->walk_err if the walk failed); *anomaly,
 * if set, says why the walk was cut short (a key visited twice, more
 * keys than max_entries). Returns 0 or -ENOMEM.
 */
int map_walk(struct backend *be, const struct walk_target *t,
	     struct map_state *m, char **anomaly);
/* read_batch.c: the same by LOOKUP_BATCH where type has it, else walked */
int map_read_batch(struct backend *be, const struct walk_target *t,
		   uint32_t type, struct map_state *m, char **anomaly);
/*
 * walk_keyless.c: a QUEUE's or STACK's values in pop order, popped and
 * pushed back (t->fd must read and write).
 */
int map_walk_keyless(struct backend *be, const struct walk_target *t,
		     bool stack, struct map_state *m, char **anomaly);
/*
 * Every element by LOOKUP_BATCH to sink (0, or -ENOMEM to stop), as
 * read: 0 when all came, 1 when the batch cannot read the map whole
 * (the walk must; what sink got is to be dropped), -ENOMEM.
 */
typedef int (*elem_sink_t)(void *arg, const uint8_t *key,
			   const uint8_t *value);
int map_read_batch_to(struct backend *be, const struct walk_target *t,
		      uint32_t type, elem_sink_t sink, void *arg);
/* Sorts (unordered maps) and folds elements past STATE_LINES_MAX into
 * the digest line. */
void map_state_finish(struct map_state *m, bool unordered);

#endif /* __HARNESS_RUN_H */

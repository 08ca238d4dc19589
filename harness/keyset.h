/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * `track keys` (tests/corpus/FORMAT.md): the key set of a map after an
 * op, and how it changed, as the op's `came` and `gone` outputs.
 */
#ifndef __HARNESS_KEYSET_H
#define __HARNESS_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outcome.h"
#include "run.h"
#include "scenario.h"

/* A map's keys, key_size bytes each, sorted (memcmp order). */
struct keyset {
	uint8_t *keys;
	size_t n;
	size_t cap;
	size_t key_size;
};

/* An elem_sink_t (map_read_batch_to): appends key; then keyset_sort. */
int keyset_sink(void *arg, const uint8_t *key, const uint8_t *value);
void keyset_sort(struct keyset *ks);

/* The keys of m as a sorted set (m's elements are left as they are). */
int keyset_from_state(struct keyset *ks, const struct map_state *m,
		      size_t key_size);
void keyset_free(struct keyset *ks);

/*
 * came: the keys of now not in before, gone: the reverse; each written
 * only when not empty (sorted keys, a `_` between them). 0 or -ENOMEM.
 */
int keyset_diff(const struct keyset *before, const struct keyset *now,
		struct output *came, struct output *gone);

/*
 * The first key whose coming or going differs between the reference's
 * outputs and the run's (came/gone of one op): 0 and *key (key_size
 * bytes inside one of the outputs) and *in_ref (the reference has the
 * change, the run not), or -1 when they agree.
 */
int keyset_first_difference(const struct output *ref_came,
			    const struct output *ref_gone,
			    const struct output *came,
			    const struct output *gone, size_t key_size,
			    const uint8_t **key, bool *in_ref, bool *came_side);

/*
 * What the ops up to (not including) op `upto` did to key on slot
 * `slot`: the last op it came by and the last op after it that set its
 * reference bit (a program's lookup that found it, an update of it that
 * found it there), as lines for a report. NULL when out of memory.
 */
char *keyset_history(const struct scenario *sc, const struct run *run,
		     size_t upto, int slot, const uint8_t *key,
		     size_t key_size);

#endif /* __HARNESS_KEYSET_H */

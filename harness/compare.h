/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Comparing two outcomes of one scenario: a reference (the live kernel,
 * or the recording) and the one under test. Each difference becomes a
 * finding: the line, the op, and both sides next to each other.
 */
#ifndef __HARNESS_COMPARE_H
#define __HARNESS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "run.h"
#include "scenario.h"

/* One side: a run, or (run == NULL) the scenario's recording. */
struct outcome {
	const char *label;	/* "kernel", "emu", "recorded" */
	const struct run *run;
};

struct finding {
	unsigned int line;
	const char *op_text;	/* NULL: not about one op */
	char *detail;		/* lines, each indented, each ending in \n */
};

struct verdict {
	struct finding *items;
	size_t nitems;
	bool *op_div;		/* per op: it diverged */
	size_t nops;
};

int verdict_init(struct verdict *v, size_t nops);
void verdict_free(struct verdict *v);
/* A finding not from comparing (a problem the driver ran into). */
void verdict_add(struct verdict *v, unsigned int line, const char *op_text,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Every finding as "path:line: [prefix] op\n" and its detail lines. */
void verdict_print(FILE *f, const char *path, const struct verdict *v,
		   const char *prefix);

/* Adds to v the problems run o met (o->run must be set). */
void verdict_add_problems(struct verdict *v, const struct outcome *o);

/* Adds to v every difference of act from ref, and act's own problems. */
void compare_outcomes(const struct scenario *sc, const struct outcome *ref,
		      const struct outcome *act, struct verdict *v);

#endif /* __HARNESS_COMPARE_H */

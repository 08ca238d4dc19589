/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a replay or conformance session tells: per scenario its
 * divergences (plain on stdout, --json, --junit), the type x command
 * matrix, and one final line.
 */
#ifndef __HARNESS_REPORT_H
#define __HARNESS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "compare.h"
#include "json_writer.h"
#include "run.h"
#include "scenario.h"

struct matrix;

/* One scenario's outcome, as the drivers hand it to the report. */
struct scen_report {
	const struct scenario *sc;
	struct verdict div;	/* the backend under test vs its reference */
	struct verdict drift;	/* kernel vs recording (conformance only) */
	char *notes;		/* lines printed as they are ("... skipped") */
	size_t notes_len;
	FILE *notes_f;
	char *error;		/* could not be compared at all */
	const struct run *typed; /* the run whose map types fill the matrix */
	bool ran;		/* its ops count in the totals */
	bool kernel_ran;	/* conformance: the kernel half ran */
};

struct report {
	const char *command;	/* "conformance", "replay" */
	const char *replay;	/* "<prog> conformance" for the replay line */
	const char *backend;	/* replay: its backend */
	FILE *json_f;
	json_writer_t *jw;
	FILE *junit_f;
	char *junit_body;
	size_t junit_len;
	FILE *junit_mem;
	struct matrix *matrix;
	char *releases;		/* replay: the recorded releases seen */
	size_t nscenarios, nops, ndiv, ndrift, nerrors, nfailed;
	size_t nemu_only;	/* conformance: ran without the kernel half */
};

/* Opens the --json / --junit files (NULL: not wanted). -errno on error. */
int report_open(struct report *r, const char *json_path,
		const char *junit_path);
int scen_report_init(struct scen_report *sr, const struct scenario *sc);
void scen_report_note(struct scen_report *sr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void scen_report_error(struct scen_report *sr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void report_scenario(struct report *r, struct scen_report *sr);
void scen_report_free(struct scen_report *sr);
/* Drops a report that could not be opened completely. */
void report_discard(struct report *r);
/* The matrix and the final line; closes the files. Returns the exit
 * code: 1 for any divergence, drift or error, else 0. */
int report_close(struct report *r, const char *kernel_release);

/* Every cell of the matrix, as the plain report shows it ("ok 3",
 * "DIV 1", "-"), row by row. */
void matrix_foreach(const struct matrix *m,
		    void (*fn)(void *arg, const char *row, const char *col,
			       const char *cell),
		    void *arg);

/* junit.c */
void junit_testcase(struct report *r, const struct scen_report *sr,
		    const char *failure_text);
void junit_write(struct report *r);

#endif /* __HARNESS_REPORT_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The harness's commands (one file each) and what they share: the
 * command line, finding and loading scenario files.
 */
#ifndef __HARNESS_MAIN_H
#define __HARNESS_MAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario.h"

#define EXIT_DIVERGED	1	/* a divergence, a drift, an error */
#define EXIT_USAGE	2	/* bad command line, bad file, no backend */

#define HELP_SPEC_REPORTS	"[--json FILE] [--junit FILE]"
#define HELP_SPEC_PATHS		"PATH..."
#define HELP_SPEC_PATHS_DOC \
	"PATH: scenario files (tests/corpus/FORMAT.md), or directories\n" \
	"searched for *.scn.\n"

extern const char *bin_name;

int do_record(int argc, char **argv);
int do_replay(int argc, char **argv);
int do_conformance(int argc, char **argv);

/* What follows a command: options, then paths. */
struct cli {
	const char *json;
	const char *junit;
	const char *backend;
	bool help;
	int npaths;
	char **paths;
};

#define CLI_BACKEND	1	/* --backend accepted */
#define CLI_REPORTS	2	/* --json, --junit accepted */

/* 0, or EXIT_USAGE after saying what is wrong. */
int cli_parse(int argc, char **argv, unsigned int accept, struct cli *cli);

struct session {
	struct scenario **scs;
	size_t n;
};

/*
 * Finds and parses every scenario: 0, or EXIT_USAGE after printing
 * every "file:line: message".
 */
int session_load(struct session *s, int npaths, char **paths);
void session_free(struct session *s);


#endif /* __HARNESS_MAIN_H */

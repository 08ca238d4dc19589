// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `replay`: one backend against the recordings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "main.h"
#include "report.h"

#define HELP_SPEC_REPLAY \
	"Usage: %s replay [--backend emu|kernel] " HELP_SPEC_REPORTS " " \
	HELP_SPEC_PATHS "\n" \
	"\n" \
	"Runs each scenario on one backend (default emu) and compares\n" \
	"every result and the final state with the recording. The emulator\n" \
	"gets the recorded number of possible CPUs; the kernel skips the\n" \
	"per-CPU and LRU scenarios recorded with another count.\n" \
	HELP_SPEC_PATHS_DOC

static void replay_one(struct backend *be, const struct scenario *sc,
		       struct scen_report *sr, struct run *run)
{
	struct outcome rec = { "recorded", NULL }, act = { be->ops->name, run };
	int err;

	if (!sc->recorded) {
		scen_report_error(sr, "not recorded: run `%s record` first",
				  bin_name);
		return;
	}
	err = be->ops->set_possible_cpus(be, sc->ncpus);
	if (err && sc->cpu_dependent) {
		scen_report_note(sr, "skipped on %s: recorded with ncpus=%u, "
				 "this one has %u", be->ops->name, sc->ncpus,
				 be->ops->possible_cpus(be));
		return;
	}
	if (run_scenario_opts(be, sc, &(struct run_opts){ .explain = true },
			      run)) {
		scen_report_error(sr, "out of memory");
		return;
	}
	sr->ran = true;
	sr->typed = run;
	compare_outcomes(sc, &rec, &act, &sr->div);
}

int do_replay(int argc, char **argv)
{
	struct report rep = { .command = "replay" };
	struct backend be = { 0 };
	char *replay_cmd = NULL;
	struct session s;
	struct cli cli;
	size_t i;
	int ret;

	ret = cli_parse(argc - 1, argv + 1, CLI_BACKEND | CLI_REPORTS, &cli);
	if (ret || cli.help) {
		fprintf(ret ? stderr : stdout, HELP_SPEC_REPLAY, bin_name);
		return ret;
	}
	be.ops = backend_by_name(cli.backend ? cli.backend : "emu");
	if (!be.ops)
		return EXIT_USAGE;
	ret = session_load(&s, cli.npaths, cli.paths);
	if (ret)
		return ret;
	if (be.ops->open(&be)) {
		fprintf(stderr, "replay: backend %s cannot run here: %s\n",
			be.ops->name, be.reason);
		ret = EXIT_USAGE;
		goto out_session;
	}
	if (asprintf(&replay_cmd, "%s replay --backend %s", bin_name,
		     be.ops->name) < 0) {
		ret = EXIT_USAGE;
		goto out_backend;
	}
	rep.replay = replay_cmd;
	rep.backend = be.ops->name;
	ret = report_open(&rep, cli.json, cli.junit);
	if (ret) {
		fprintf(stderr, "replay: cannot open the reports: %s\n",
			strerror(-ret));
		report_discard(&rep);
		ret = EXIT_USAGE;
		goto out_backend;
	}
	for (i = 0; i < s.n; i++) {
		struct scen_report sr;
		struct run run = { 0 };

		if (scen_report_init(&sr, s.scs[i]))
			scen_report_error(&sr, "out of memory");
		else
			replay_one(&be, s.scs[i], &sr, &run);
		report_scenario(&rep, &sr);
		scen_report_free(&sr);
		run_free(&run);
	}
	ret = report_close(&rep, NULL);
out_backend:
	free(replay_cmd);
	be.ops->close(&be);
out_session:
	session_free(&s);
	return ret;
}

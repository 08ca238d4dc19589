// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `record`: runs scenarios on the live kernel and writes what it said
 * into the files. Each scenario runs twice: a recording that the kernel
 * itself would not repeat (an order left to a random seed, a CPU-bound
 * LRU decision) is no reference, and is said to be so.
 */
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "main.h"
#include "run.h"

#define HELP_SPEC_RECORD \
	"Usage: %s record " HELP_SPEC_PATHS "\n" \
	"\n" \
	"Runs each scenario on the live kernel (raw bpf(2), pins in a\n" \
	"private bpffs; side=prog ops from a BPF program through\n" \
	"BPF_PROG_TEST_RUN) and rewrites the file in place: every\n" \
	"`=> result`, the `recorded <release> ncpus=<N>` line and the\n" \
	"`state` lines; comments and op text stay. Needs\n" \
	"CAP_BPF/CAP_SYS_ADMIN.\n" \
	HELP_SPEC_PATHS_DOC

/* 0 written, 1 written but not repeatable, -1 not written */
static int record_one(struct backend *be, const struct scenario *sc)
{
	struct run first, second;
	struct outcome o1 = { "run 1", &first }, o2 = { "run 2", &second };
	struct verdict v;
	int ret = -1, err;

	if (verdict_init(&v, sc->nops))
		return -1;
	if (run_scenario(be, sc, &first) || run_scenario(be, sc, &second)) {
		fprintf(stderr, "%s: out of memory\n", sc->path);
		goto out_free;
	}
	compare_outcomes(sc, &o1, &o2, &v);
	verdict_add_problems(&v, &o1);
	ret = 0;
	if (v.nitems) {
		fprintf(stderr, "%s: the kernel did not repeat itself (or the "
			"walk went wrong); recorded run 1 anyway:\n", sc->path);
		verdict_print(stderr, sc->path, &v, NULL);
		ret = 1;
	}
	err = scenario_write(sc, kernel_release(), host_possible_cpus(),
			     first.res, &first.state);
	if (err) {
		fprintf(stderr, "%s: cannot write: %s\n", sc->path,
			strerror(-err));
		ret = -1;
	}
out_free:
	run_free(&first);
	run_free(&second);
	verdict_free(&v);
	return ret;
}

int do_record(int argc, char **argv)
{
	struct backend be = { .ops = &kernel_backend_ops };
	size_t i, nops = 0, failed = 0;
	struct session s;
	struct cli cli;
	int ret;

	ret = cli_parse(argc - 1, argv + 1, 0, &cli);
	if (ret || cli.help) {
		fprintf(ret ? stderr : stdout, HELP_SPEC_RECORD, bin_name);
		return ret;
	}
	ret = session_load(&s, cli.npaths, cli.paths);
	if (ret)
		return ret;
	if (be.ops->open(&be)) {
		fprintf(stderr, "record: refused: results come from the live "
			"kernel only, and %s\n", be.reason);
		session_free(&s);
		return EXIT_USAGE;
	}
	for (i = 0; i < s.n; i++) {
		int r = record_one(&be, s.scs[i]);

		failed += r != 0;
		if (r >= 0)
			nops += s.scs[i]->nops;
	}
	be.ops->close(&be);
	printf("record: %zu scenarios, %zu ops, %zu not recorded cleanly "
	       "(kernel %s ncpus=%u)\n", s.n, nops, failed, kernel_release(),
	       host_possible_cpus());
	session_free(&s);
	return failed ? EXIT_DIVERGED : 0;
}

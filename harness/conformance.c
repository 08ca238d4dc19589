// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `conformance`: every scenario on the live kernel and on the emulator.
 * The emulator is compared with the kernel (the divergences), the kernel
 * with the recording (a drift: the kernel is deterministic here, so it
 * means a harness bug or a kernel change). Without the kernel, the
 * emulator is compared with the recording instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "main.h"
#include "report.h"

#define HELP_SPEC_CONFORMANCE \
	"Usage: %s conformance " HELP_SPEC_REPORTS " " HELP_SPEC_PATHS "\n" \
	"\n" \
	"Runs each scenario on the live kernel and on the emulator and\n" \
	"reports where the emulator differs from the kernel, and where the\n" \
	"kernel differs from the recording. Without the privilege to use\n" \
	"bpf(2), says so in one line and compares the emulator with the\n" \
	"recordings; REQUIRE_KERNEL=1 makes that an error (exit 2).\n" \
	HELP_SPEC_PATHS_DOC

struct conformance {
	struct backend kernel;
	struct backend emu;
	bool have_kernel;
};

static void conformance_one(struct conformance *c, const struct scenario *sc,
			    struct scen_report *sr, struct run *krun,
			    struct run *erun)
{
	struct outcome rec = { "recorded", NULL };
	struct outcome kern = { "kernel", krun }, emu = { "emu", erun };
	unsigned int host = host_possible_cpus(), ncpus;
	bool kernel = c->have_kernel;

	if (kernel && sc->recorded && sc->cpu_dependent && sc->ncpus != host) {
		scen_report_note(sr, "kernel half skipped: recorded with "
				 "ncpus=%u, this host has %u", sc->ncpus, host);
		kernel = false;
	}
	if (!kernel && !sc->recorded) {
		scen_report_error(sr, "not recorded and no kernel to compare "
				  "with: run `%s record` first", bin_name);
		return;
	}
	if (kernel && run_scenario(&c->kernel, sc, krun))
		goto nomem;
	ncpus = kernel || !sc->recorded ? host : sc->ncpus;
	if (c->emu.ops->set_possible_cpus(&c->emu, ncpus)) {
		scen_report_error(sr, "the emulator refuses ncpus=%u", ncpus);
		return;
	}
	/* the emulator explains key sets apart from the kernel's (or the
	 * recording's) while its maps are alive */
	if (run_scenario_opts(&c->emu, sc, &(struct run_opts){
			.explain = true, .ref = kernel ? krun : NULL }, erun))
		goto nomem;
	sr->ran = true;
	sr->kernel_ran = kernel;
	sr->typed = kernel ? krun : erun;
	if (!kernel) {
		compare_outcomes(sc, &rec, &emu, &sr->div);
		return;
	}
	compare_outcomes(sc, &kern, &emu, &sr->div);
	if (sc->recorded)
		compare_outcomes(sc, &rec, &kern, &sr->drift);
	else
		scen_report_error(sr, "not recorded: run `%s record` first",
				  bin_name);
	return;
nomem:
	scen_report_error(sr, "out of memory");
}

/* Without the kernel: one line why, or an error under REQUIRE_KERNEL=1. */
static int open_kernel(struct conformance *c)
{
	const char *req = getenv("REQUIRE_KERNEL");

	c->kernel.ops = &kernel_backend_ops;
	c->have_kernel = !c->kernel.ops->open(&c->kernel);
	if (c->have_kernel)
		return 0;
	if (req && !strcmp(req, "1")) {
		fprintf(stderr, "conformance: REQUIRE_KERNEL=1 but the kernel "
			"half cannot run: %s\n", c->kernel.reason);
		return EXIT_USAGE;
	}
	printf("conformance: kernel half skipped (%s): comparing the "
	       "emulator with the recordings\n", c->kernel.reason);
	return 0;
}

int do_conformance(int argc, char **argv)
{
	struct report rep = { .command = "conformance" };
	struct conformance c = { .emu.ops = &emu_backend_ops };
	char *replay_cmd = NULL, *release = NULL;
	struct session s;
	struct cli cli;
	size_t i;
	int ret;

	ret = cli_parse(argc - 1, argv + 1, CLI_REPORTS, &cli);
	if (ret || cli.help) {
		fprintf(ret ? stderr : stdout, HELP_SPEC_CONFORMANCE, bin_name);
		return ret;
	}
	ret = session_load(&s, cli.npaths, cli.paths);
	if (ret)
		return ret;
	ret = open_kernel(&c);
	if (ret)
		goto out_session;
	if (c.emu.ops->open(&c.emu)) {
		fprintf(stderr, "conformance: emulator: %s\n", c.emu.reason);
		ret = EXIT_USAGE;
		goto out_kernel;
	}
	if (asprintf(&replay_cmd, "%s conformance", bin_name) < 0 ||
	    asprintf(&release, c.have_kernel ? "%s" : "%s, not run",
		     kernel_release()) < 0) {
		ret = EXIT_USAGE;
		goto out_emu;
	}
	rep.replay = replay_cmd;
	ret = report_open(&rep, cli.json, cli.junit);
	if (ret) {
		fprintf(stderr, "conformance: cannot open the reports: %s\n",
			strerror(-ret));
		report_discard(&rep);
		ret = EXIT_USAGE;
		goto out_emu;
	}
	for (i = 0; i < s.n; i++) {
		struct run krun = { 0 }, erun = { 0 };
		struct scen_report sr;

		if (scen_report_init(&sr, s.scs[i]))
			scen_report_error(&sr, "out of memory");
		else
			conformance_one(&c, s.scs[i], &sr, &krun, &erun);
		report_scenario(&rep, &sr);
		scen_report_free(&sr);
		run_free(&krun);
		run_free(&erun);
	}
	ret = report_close(&rep, release);
out_emu:
	free(replay_cmd);
	free(release);
	c.emu.ops->close(&c.emu);
out_kernel:
	if (c.have_kernel)
		c.kernel.ops->close(&c.kernel);
out_session:
	session_free(&s);
	return ret;
}

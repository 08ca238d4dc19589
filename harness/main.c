// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfemu-harness: runs scenario files (tests/corpus/FORMAT.md) on the
 * live kernel and on libbpfemu and reports where they differ.
 * Command dispatch after bpftool's: one table, one file per command.
 */
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "main.h"

#define HARNESS_VERSION	"0.1.0"

#define HELP_SPEC_MAIN \
	"Usage: %s COMMAND [--help] ...\n" \
	"\n" \
	"  record       run scenarios on the live kernel, write the results\n" \
	"               into the files\n" \
	"  replay       run scenarios on one backend, compare with the\n" \
	"               recordings\n" \
	"  conformance  run scenarios on the kernel and the emulator,\n" \
	"               compare both (and the kernel with the recordings)\n" \
	"  help         this text\n" \
	"\n" \
	"Exit status: 0 all agree, 1 a divergence (or drift, or error),\n" \
	"2 bad usage, a bad scenario file, or a backend that cannot run.\n"

struct cmd {
	const char *cmd;
	int (*func)(int argc, char **argv);
};

const char *bin_name;

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf(HELP_SPEC_MAIN, bin_name);
	return 0;
}

static const struct cmd cmds[] = {
	{ "help",		do_help },
	{ "record",		do_record },
	{ "replay",		do_replay },
	{ "conformance",	do_conformance },
	{ NULL,			NULL },
};

static int cmd_select(const struct cmd *table, int argc, char **argv,
		      int (*help)(int argc, char **argv))
{
	unsigned int i;

	if (argc < 1) {
		help(argc, argv);
		return EXIT_USAGE;
	}
	for (i = 0; table[i].cmd; i++)
		if (strcmp(argv[0], table[i].cmd) == 0)
			return table[i].func(argc, argv);
	fprintf(stderr, "%s: unknown command '%s' (help)\n", bin_name,
		argv[0]);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	hold_stdio_fds();
	bin_name = argv[0] ? argv[0] : "bpfemu-harness";
	if (argc > 1 && (!strcmp(argv[1], "-h") ||
			 !strcmp(argv[1], "--help")))
		return do_help(argc - 1, argv + 1);
	if (argc > 1 && (!strcmp(argv[1], "-V") ||
			 !strcmp(argv[1], "--version"))) {
		printf("%s %s\n", bin_name, HARNESS_VERSION);
		return 0;
	}
	return cmd_select(cmds, argc - 1, argv + 1, do_help);
}

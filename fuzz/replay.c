// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The replay driver: a main() for a libFuzzer target built without
 * libFuzzer (plain gcc), so that `make test` runs the committed corpus.
 * Every file of the given files and directories (recursively, in name
 * order) goes through LLVMFuzzerTestOneInput once; a divergence is
 * counted instead of aborting.
 *
 *   bpfemu-fuzz-replay-emu|diff PATH...
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"
#include "target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *current;
static unsigned long ninputs, ndivergences, nerrors;

void fuzz_diverged(const char *path)
{
	fprintf(stderr, "replay: %s: divergence, written to %s\n", current,
		path);
	ndivergences++;
}

static void replay_file(const char *path)
{
	uint8_t *data;
	size_t size;
	int err = fuzz_read_file(path, &data, &size);

	if (err) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(-err));
		nerrors++;
		return;
	}
	current = path;
	ninputs++;
	LLVMFuzzerTestOneInput(data, size);
	free(data);
}

static int no_dot(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static void replay_path(const char *path)
{
	struct dirent **names;
	struct stat st;
	int n, i;

	if (stat(path, &st)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		nerrors++;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		replay_file(path);
		return;
	}
	n = scandir(path, &names, no_dot, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		nerrors++;
		return;
	}
	for (i = 0; i < n; i++) {
		char *sub;

		if (asprintf(&sub, "%s/%s", path, names[i]->d_name) < 0) {
			nerrors++;
		} else {
			replay_path(sub);
			free(sub);
		}
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "Usage: %s PATH...\n\nRuns every fuzz input "
			"in the files and directories given (recursively)\n"
			"through the target once.\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		replay_path(argv[i]);
	printf("replay: %lu inputs, %lu divergences\n", ninputs,
	       ndivergences);
	return ndivergences || nerrors ? 1 : 0;
}

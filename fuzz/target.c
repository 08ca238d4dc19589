// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The body of both libFuzzer targets: decode the input, run it on the
 * engine, abort on a divergence (the engine has written the scenario and
 * printed the report). With BPFEMU_FUZZ_STATS=<seconds> a line of
 * counters goes to stderr that often and at exit, for fuzz/run-fuzz.sh.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "backend.h"
#include "decode.h"
#include "engine.h"
#include "target.h"

#define INPUT_MAX	(1 << 20)	/* longer inputs are not run */

static struct fuzz_engine *engine;
static const char *target_name;
static unsigned int ncpus;
static uint64_t execs;
static double stats_every;	/* seconds; 0: no stats lines */
static double stats_last;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_stats(void)
{
	struct fuzz_engine_stats st = { 0 };

	if (!engine || !stats_every)
		return;
	fuzz_engine_stats(engine, &st);
	fprintf(stderr, "fuzz-stats: execs=%llu runs=%llu invalid=%llu "
		"ops=%llu divergences=%llu pool_hits=%llu pool_misses=%llu\n",
		(unsigned long long)execs, (unsigned long long)st.runs,
		(unsigned long long)st.invalid, (unsigned long long)st.ops,
		(unsigned long long)st.divergences,
		(unsigned long long)st.pool_hits,
		(unsigned long long)st.pool_misses);
	stats_last = now();
}

static void target_exit(void)
{
	print_stats();
	fuzz_engine_close(engine);
	engine = NULL;
}

/* mkdir -p: the engine writes its scenarios there */
static void make_dirs(const char *path)
{
	char *p = strdup(path), *s;

	if (!p)
		return;
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
	free(p);
}

void fuzz_target_init(const char *name, bool kernel)
{
	struct fuzz_engine_opts opts = {
		.sz = sizeof(opts),
		.kernel = kernel,
		.out_dir = getenv("BPFEMU_FUZZ_OUT"),
	};
	const char *every = getenv("BPFEMU_FUZZ_STATS");
	const char *types = getenv("BPFEMU_FUZZ_TYPES");
	int err;

	if (fuzz_decode_focus(types)) {
		fprintf(stderr, "%s: BPFEMU_FUZZ_TYPES=%s: not a list of "
			"the decoder's types (fuzz/decode_types.c)\n", name,
			types);
		exit(2);
	}
	hold_stdio_fds();
	target_name = name;
	if (!opts.out_dir || !*opts.out_dir)
		opts.out_dir = "build/fuzz-out";
	make_dirs(opts.out_dir);
	ncpus = host_possible_cpus();
	err = fuzz_engine_open(&engine, &opts);
	if (err) {
		fprintf(stderr, "%s: %s: %s\n", name,
			kernel ? "the kernel half cannot run" :
				 "the engine cannot start",
			strerror(-err));
		exit(kernel && err == -EPERM ? FUZZ_EXIT_NO_KERNEL : 1);
	}
	if (every)
		stats_every = atof(every);
	stats_last = now();
	atexit(target_exit);
}

__attribute__((weak)) void fuzz_diverged(const char *path)
{
	fprintf(stderr, "%s: divergence: %s\n", target_name, path);
	print_stats();
	abort();
}

int fuzz_target_run(const uint8_t *data, size_t size)
{
	const char *path = NULL;
	size_t len;
	char *text;
	int ret;

	if (size > INPUT_MAX)
		return 0;
	execs++;
	if (stats_every && now() - stats_last >= stats_every)
		print_stats();
	if (fuzz_decode(data, size, ncpus, &text, &len))
		return 0;	/* out of memory: nothing ran */
	ret = fuzz_engine_run(engine, text, len, &path);
	free(text);
	if (ret == FUZZ_DIVERGED) {
		fuzz_diverged(path ? path : "(no scenario written)");
	} else if (ret < 0) {
		/* the run itself failed (the kernel backend lost): stop,
		 * keeping the input */
		fprintf(stderr, "%s: the engine failed: %s\n", target_name,
			strerror(-ret));
		abort();
	}
	return 0;
}

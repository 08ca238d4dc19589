/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The fuzzers' engine: one scenario text (tests/corpus/FORMAT.md, no
 * results needed) run on the emulator and, for the differential target,
 * on the live kernel, compared as `bpfemu-harness conformance` compares
 * (every op's result, then the final state). Maps are taken from a pool
 * and reset between inputs where the kernel lets a map be reset, so the
 * program-side executors loaded for them are reused (fuzz/pool.c).
 *
 * On a divergence the engine checks it again on fresh maps, shrinks the
 * scenario (deleting ops while the divergence holds), records the
 * kernel's results into it and writes it to opts.out_dir, then prints
 * the side-by-side report. The target aborts after that.
 */
#ifndef __FUZZ_ENGINE_H
#define __FUZZ_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fuzz_engine;

struct fuzz_engine_opts {
	size_t sz;		/* sizeof(struct fuzz_engine_opts) */
	bool kernel;		/* differential: also run on the live kernel */
	const char *out_dir;	/* where divergent scenarios go ("." if NULL) */
};
#define fuzz_engine_opts__last_field out_dir

enum fuzz_verdict {
	FUZZ_AGREE,		/* ran; both sides agree (or emulator only) */
	FUZZ_INVALID,		/* not a scenario (the parser refused it) */
	FUZZ_DIVERGED,		/* written to *path, report printed */
};

/*
 * 0, or -errno with a message on stderr (-EPERM: no privilege for the
 * kernel half; the caller decides whether that is fatal).
 */
int fuzz_engine_open(struct fuzz_engine **ep,
		     const struct fuzz_engine_opts *opts);

/*
 * Runs one scenario text (len bytes, need not be NUL-terminated).
 * Returns an enum fuzz_verdict, or -errno when the run itself failed
 * (out of memory, the kernel backend lost). On FUZZ_DIVERGED, *path (if
 * path is set) is the written scenario, owned by the engine until the
 * next call.
 */
int fuzz_engine_run(struct fuzz_engine *e, const char *text, size_t len,
		    const char **path);

/* What the engine has seen so far, for progress lines. */
struct fuzz_engine_stats {
	uint64_t runs;		/* fuzz_engine_run() calls */
	uint64_t invalid;	/* of which the parser refused */
	uint64_t ops;		/* ops run (per side) */
	uint64_t divergences;
	uint64_t pool_hits;	/* creates served by a reset pooled map */
	uint64_t pool_misses;	/* creates that made a new map */
};
void fuzz_engine_stats(const struct fuzz_engine *e,
		       struct fuzz_engine_stats *st);

void fuzz_engine_close(struct fuzz_engine *e);

#endif /* __FUZZ_ENGINE_H */

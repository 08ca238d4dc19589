// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The fuzzers' engine (engine.h): parse, run on both backends through
 * their pools, compare as `conformance` does; on a divergence recheck
 * on fresh maps, shrink, record and write the scenario.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare.h"
#include "engine.h"
#include "pool.h"
#include "run.h"
#include "scenario.h"

#define FUZZ_NAME		"fuzz-input"
/* a create the kernel would back with more memory than this: not run */
#define FUZZ_MAP_BYTES_MAX	(16ULL << 20)
#define FUZZ_SHRINK_PASSES	4
/*
 * Fresh runs a divergence must show in every one of to count as
 * replayable: one that depends on a random hash seed (which element a
 * batch cut short takes) shows in some runs only, and a shrink that let
 * it through would keep the seed's part and lose the real one.
 */
#define FUZZ_RECHECKS		3

struct fuzz_engine {
	bool kernel_on;
	const char *out_dir;
	unsigned int ncpus;
	struct backend kernel;
	struct backend emu;
	struct pool *kpool;
	struct pool *epool;
	/* maps read by batch, but walked (as `harness` reads them) from the
	 * recheck of a divergence on, so the scenario replays the same */
	struct run_opts opts;
	struct fuzz_engine_stats st;
	char *path;		/* the last scenario written */
};

/*
 * What a fuzz input may not do on this host: touch paths outside the
 * backend's private bpffs (mkdir, unlink and pin take host paths as
 * written) or make the kernel allocate a large map.
 */
static bool fuzz_safe(const struct scenario *sc, unsigned int ncpus)
{
	const struct op *op;
	uint64_t bytes;
	size_t i;

	for (i = 0; i < sc->nops; i++) {
		op = &sc->ops[i];
		if (op->path && (!op->path_in_bpffs || strstr(op->path, "..")))
			return false;
		if (op->code != OP_CREATE)
			continue;
		bytes = (uint64_t)op->max_entries *
			((uint64_t)op->key_size + op->value_size + 64) * ncpus;
		if (bytes > FUZZ_MAP_BYTES_MAX)
			return false;
	}
	return true;
}

static bool same_problems(const struct run *a, const struct run *b)
{
	size_t i;

	if (a->nproblems != b->nproblems)
		return false;
	for (i = 0; i < a->nproblems; i++)
		if (a->problems[i].line != b->problems[i].line ||
		    strcmp(a->problems[i].msg, b->problems[i].msg))
			return false;
	return true;
}

static void drop_problems(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nproblems; i++)
		free(r->problems[i].msg);
	r->nproblems = 0;
}

/*
 * Both sides of sc compared into v (initialised here): 0, or -ENOMEM.
 * An op both sides could not run for the same reason (a side=prog op
 * after a create both refused) is the input's flaw, not a divergence.
 */
static int fuzz_compare(struct fuzz_engine *e, const struct scenario *sc,
			struct verdict *v)
{
	struct run krun = { 0 }, erun = { 0 };
	struct outcome kern = { "kernel", &krun }, emu = { "emu", &erun };
	int err;

	err = verdict_init(v, sc->nops);
	if (!err)
		err = run_scenario_opts(pool_backend(e->kpool), sc, &e->opts,
					&krun);
	if (!err)
		err = run_scenario_opts(pool_backend(e->epool), sc, &e->opts,
					&erun);
	if (!err) {
		if (same_problems(&krun, &erun)) {
			drop_problems(&krun);
			drop_problems(&erun);
		} else {
			verdict_add_problems(v, &kern);
		}
		compare_outcomes(sc, &kern, &emu, v);
	}
	run_free(&krun);
	run_free(&erun);
	return err;
}

/* Does text (fresh maps, no pool) diverge in every one of
 * FUZZ_RECHECKS runs? Parse errors: no. */
static bool fuzz_diverges(struct fuzz_engine *e, const char *text,
			  size_t len)
{
	struct scenario *sc;
	struct verdict v;
	bool div;
	int i;

	if (scenario_parse(FUZZ_NAME, text, len, true, &sc))
		return false;
	div = fuzz_safe(sc, e->ncpus);
	for (i = 0; i < FUZZ_RECHECKS && div; i++) {
		div = !fuzz_compare(e, sc, &v) && v.nitems;
		verdict_free(&v);
	}
	scenario_free(sc);
	return div;
}

/*
 * Deletes lines, last first, while the divergence holds (any
 * divergence: the smaller scenario still shows the emulator wrong).
 * text is NUL-terminated and shrunk in place.
 */
static void fuzz_shrink(struct fuzz_engine *e, char *text)
{
	char *cut = malloc(strlen(text) + 1);
	bool changed = true;
	int pass;
	char *line, *end;

	if (!cut)
		return;
	for (pass = 0; pass < FUZZ_SHRINK_PASSES && changed; pass++) {
		changed = false;
		end = text + strlen(text);
		while (end > text) {
			/* the line [line, end) with its newline */
			for (line = end - 1; line > text && line[-1] != '\n';
			     line--)
				;
			memcpy(cut, text, line - text);
			strcpy(cut + (line - text), end);
			if (fuzz_diverges(e, cut, strlen(cut))) {
				strcpy(text, cut);
				changed = true;
			}
			end = line;
		}
	}
	free(cut);
}

/* text as a line-per-line copy, results, `recorded` and `state` left out */
static char *fuzz_strip(const char *text, size_t len)
{
	char *out = malloc(len + 2), *o = out;
	const char *p = text, *nl, *res;
	size_t n;

	if (!out)
		return NULL;
	while (p < text + len) {
		nl = memchr(p, '\n', text + len - p);
		n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
		if (!(n >= 8 && !strncmp(p, "recorded", 8)) &&
		    !(n >= 5 && !strncmp(p, "state", 5))) {
			res = memmem(p, n, " =>", 3);
			memcpy(o, p, res ? (size_t)(res - p) : n);
			o += res ? (size_t)(res - p) : n;
			*o++ = '\n';
		}
		p += n + 1;
	}
	*o = '\0';
	return out;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
	return h;
}

/* Writes text to the out dir and records the kernel's results in it. */
static int fuzz_write(struct fuzz_engine *e, const char *text, bool history)
{
	struct run krun = { 0 };
	struct scenario *sc;
	FILE *f;
	int err;

	free(e->path);
	e->path = NULL;
	mkdir(e->out_dir, 0755);
	if (asprintf(&e->path, "%s/div-%016" PRIx64 ".scn", e->out_dir,
		     fnv1a(text)) < 0) {
		e->path = NULL;
		return -ENOMEM;
	}
	f = fopen(e->path, "w");
	if (!f)
		return -errno;
	fprintf(f, "# found by the differential fuzzer (fuzz/engine.c)%s\n%s",
		history ? "; did not diverge in every run on fresh maps: "
			  "it depends on maps reused from earlier inputs or "
			  "on a random hash seed" : "", text);
	if (fclose(f))
		return -errno;
	if (scenario_load(e->path, &sc))
		return -EINVAL;
	err = run_scenario(pool_backend(e->kpool), sc, &krun);
	if (!err)
		err = scenario_write(sc, kernel_release(), e->ncpus, krun.res,
				     &krun.state);
	run_free(&krun);
	scenario_free(sc);
	return err;
}

/* The report of the written scenario, both sides next to each other. */
static void fuzz_report(struct fuzz_engine *e)
{
	struct scenario *sc;
	struct verdict v;

	if (scenario_load(e->path, &sc))
		return;
	if (!fuzz_compare(e, sc, &v)) {
		fprintf(stderr, "fuzz: divergence, written to %s:\n", e->path);
		verdict_print(stderr, e->path, &v, NULL);
		fprintf(stderr, "  replay: bpfemu-harness conformance %s\n",
			e->path);
	}
	verdict_free(&v);
	scenario_free(sc);
}

static int fuzz_diverged(struct fuzz_engine *e, const char *text, size_t len)
{
	char *min = fuzz_strip(text, len);
	bool fresh;
	int err;

	if (!min)
		return -ENOMEM;
	pool_enable(e->kpool, false);
	pool_enable(e->epool, false);
	e->opts.state_by_batch = false;
	fresh = fuzz_diverges(e, min, strlen(min));
	if (fresh)
		fuzz_shrink(e, min);
	err = fuzz_write(e, min, !fresh);
	if (!err)
		fuzz_report(e);
	else
		fprintf(stderr, "fuzz: a divergence, but writing it to %s "
			"failed: %s\n", e->path ? e->path : e->out_dir,
			strerror(-err));
	pool_enable(e->kpool, true);
	pool_enable(e->epool, true);
	e->opts.state_by_batch = true;
	free(min);
	e->st.divergences++;
	return err ? err : FUZZ_DIVERGED;
}

int fuzz_engine_run(struct fuzz_engine *e, const char *text, size_t len,
		    const char **path)
{
	struct scenario *sc;
	struct verdict v;
	int ret;

	e->st.runs++;
	if (scenario_parse(FUZZ_NAME, text, len, true, &sc)) {
		e->st.invalid++;
		return FUZZ_INVALID;
	}
	if (!fuzz_safe(sc, e->ncpus)) {
		scenario_free(sc);
		e->st.invalid++;
		return FUZZ_INVALID;
	}
	e->st.ops += sc->nops;
	pool_epoch(e->epool);
	if (!e->kernel_on) {
		struct run erun;

		ret = run_scenario(pool_backend(e->epool), sc, &erun);
		run_free(&erun);
		scenario_free(sc);
		return ret ? ret : FUZZ_AGREE;
	}
	pool_epoch(e->kpool);
	ret = fuzz_compare(e, sc, &v);
	if (!ret && v.nitems) {
		ret = fuzz_diverged(e, text, len);
		if (path && ret == FUZZ_DIVERGED)
			*path = e->path;
	}
	verdict_free(&v);
	scenario_free(sc);
	return ret;
}

void fuzz_engine_stats(const struct fuzz_engine *e,
		       struct fuzz_engine_stats *st)
{
	uint64_t h, m;

	*st = e->st;
	pool_counts(e->epool, &st->pool_hits, &st->pool_misses);
	if (e->kpool) {
		pool_counts(e->kpool, &h, &m);
		st->pool_hits += h;
		st->pool_misses += m;
	}
}

int fuzz_engine_open(struct fuzz_engine **ep,
		     const struct fuzz_engine_opts *opts)
{
	struct fuzz_engine *e;
	int err;

	*ep = NULL;
	if (!opts || opts->sz < sizeof(size_t) ||
	    opts->sz > sizeof(struct fuzz_engine_opts))
		return -EINVAL;	/* as libbpf's OPTS_VALID() */
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->kernel_on = opts->kernel;
	e->out_dir = opts->out_dir ? opts->out_dir : ".";
	e->opts.state_by_batch = true;
	e->ncpus = host_possible_cpus();
	e->emu.ops = &emu_backend_ops;
	err = e->emu.ops->open(&e->emu);
	if (!err)
		err = e->emu.ops->set_possible_cpus(&e->emu, e->ncpus);
	if (!err)
		err = pool_open(&e->epool, &e->emu);
	if (err) {
		fprintf(stderr, "fuzz: the emulator: %s\n", strerror(-err));
		goto out;
	}
	if (e->kernel_on) {
		e->kernel.ops = &kernel_backend_ops;
		err = e->kernel.ops->open(&e->kernel);
		if (err) {
			fprintf(stderr, "fuzz: the kernel half cannot run: "
				"%s\n", e->kernel.reason);
			e->kernel.ops = NULL;
			goto out;
		}
		err = pool_open(&e->kpool, &e->kernel);
		if (err)
			goto out;
	}
	*ep = e;
	return 0;
out:
	fuzz_engine_close(e);
	return err;
}

void fuzz_engine_close(struct fuzz_engine *e)
{
	if (!e)
		return;
	pool_close(e->kpool);
	pool_close(e->epool);
	if (e->kernel.ops)
		e->kernel.ops->close(&e->kernel);
	if (e->emu.ops)
		e->emu.ops->close(&e->emu);
	free(e->path);
	free(e);
}

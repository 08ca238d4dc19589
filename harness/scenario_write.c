// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `record` rewrites a scenario in place: everything a person wrote
 * (comments, blank lines, op text) stays as it was; what the kernel said
 * (`=> ...`, the `recorded` line, the `state` lines) is replaced.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario.h"

static void write_state(FILE *f, const struct state *st)
{
	size_t i;

	for (i = 0; i < st->nmaps; i++)
		map_state_print(f, &st->maps[i]);
}

static void write_op(FILE *f, const struct op *op, const struct result *r)
{
	fputs(op->text, f);
	/* an op the run could not make has no result to write */
	if (r->present) {
		fputs(" => ", f);
		result_print(f, r);
	}
	if (op->comment) {
		if (op->comment[0] == '#')
			fputc(' ', f);
		fputs(op->comment, f);
	}
	fputc('\n', f);
}

static void write_body(FILE *f, const struct scenario *sc,
		       const char *release, unsigned int ncpus,
		       const struct result *results, const struct state *st)
{
	bool recorded_done = false, state_done = false;
	size_t i;

	for (i = 0; i < sc->nlines; i++) {
		const struct sline *l = &sc->lines[i];

		/* the header goes before the first line the harness owns */
		if (!sc->recorded && !recorded_done && l->kind != LINE_TEXT) {
			fprintf(f, "recorded %s ncpus=%u\n", release, ncpus);
			recorded_done = true;
		}
		switch (l->kind) {
		case LINE_RECORDED:
			fprintf(f, "recorded %s ncpus=%u\n", release, ncpus);
			break;
		case LINE_OP:
			write_op(f, &sc->ops[l->op], &results[l->op]);
			break;
		case LINE_STATE:
			/* all of it where the old state began */
			if (!state_done)
				write_state(f, st);
			state_done = true;
			break;
		default:
			fprintf(f, "%s\n", l->raw);
		}
	}
	if (!state_done)
		write_state(f, st);
}

int scenario_write(const struct scenario *sc, const char *release,
		   unsigned int ncpus, const struct result *results,
		   const struct state *st)
{
	struct stat sb;
	char *tmp = NULL;
	int err = 0, fd;
	FILE *f;

	if (stat(sc->path, &sb))
		return -errno;
	if (asprintf(&tmp, "%s.XXXXXX", sc->path) < 0)
		return -ENOMEM;
	/* a new file renamed over the old: a crash never leaves half a file */
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = -errno;
		goto out_free;
	}
	if (fchmod(fd, sb.st_mode & 07777)) {
		err = -errno;
		close(fd);
		goto out_unlink;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		goto out_unlink;
	}
	write_body(f, sc, release, ncpus, results, st);
	if (ferror(f) | fclose(f)) {
		err = -EIO;
		goto out_unlink;
	}
	if (rename(tmp, sc->path)) {
		err = -errno;
		goto out_unlink;
	}
	goto out_free;

out_unlink:
	unlink(tmp);
out_free:
	free(tmp);
	return err;
}

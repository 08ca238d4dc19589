// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reports: plain text for people (divergences as they come, the type x
 * command matrix, one final line), --json for programs, --junit for CI.
 * Each scenario's printer has a _plain and a _json twin.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>	/* the BPF_MAP_TYPE_* of emu_types.h */

#include "report.h"

/* Matrix rows: the types the emulator implements, then "other". */
#define EMU_MAP_TYPE(_id, _ops)	{ _id, #_id },
static const struct {
	uint32_t type;
	const char *name;
} matrix_rows[] = {
#include "emu_types.h"
};
#undef EMU_MAP_TYPE

#define NROWS		(sizeof(matrix_rows) / sizeof(matrix_rows[0]) + 1)
#define TYPE_PREFIX	"BPF_MAP_TYPE_"

enum col {
	COL_CREATE, COL_LOOKUP, COL_UPDATE, COL_DELETE, COL_NEXT, COL_LAD,
	COL_FREEZE, COL_BATCH, COL_PIN_GET, COL_INFO_ID, COL_MMAP, COL_PROG,
	COL__COUNT
};

static const char *const col_names[COL__COUNT] = {
	"create", "lookup", "update", "delete", "next", "lookup_and_delete",
	"freeze", "batch", "pin/get", "info/id", "mmap", "prog",
};

struct matrix {
	unsigned int agree[NROWS][COL__COUNT];
	unsigned int diverge[NROWS][COL__COUNT];
};

/* The program side has one column of its own, whatever the helper. */
static int op_col(const struct op *op)
{
	if (op->side_prog)
		return COL_PROG;
	switch (op->code) {
	case OP_CREATE:
		return COL_CREATE;
	case OP_LOOKUP:
		return COL_LOOKUP;
	case OP_UPDATE:
		return COL_UPDATE;
	case OP_DELETE:
		return COL_DELETE;
	case OP_NEXT:
		return COL_NEXT;
	case OP_LOOKUP_AND_DELETE:
		return COL_LAD;
	case OP_FREEZE:
		return COL_FREEZE;
	case OP_LOOKUP_BATCH:
	case OP_LOOKUP_AND_DELETE_BATCH:
	case OP_UPDATE_BATCH:
	case OP_DELETE_BATCH:
		return COL_BATCH;
	case OP_PIN:
	case OP_GET:
		return COL_PIN_GET;
	case OP_INFO:
	case OP_GET_FD_BY_ID:
	case OP_NEXT_ID:
		return COL_INFO_ID;
	case OP_MMAP:
	case OP_MUNMAP:
	case OP_MPROTECT:
	case OP_MREAD:
	case OP_MWRITE:
		return COL_MMAP;
	default:
		return -1;	/* close, unlink: not map commands */
	}
}

static size_t type_row(uint32_t type)
{
	size_t i;

	for (i = 0; i < NROWS - 1; i++)
		if (matrix_rows[i].type == type)
			return i;
	return NROWS - 1;
}

static const char *row_name(size_t row)
{
	if (row == NROWS - 1)
		return "other";
	return matrix_rows[row].name + strlen(TYPE_PREFIX);
}

int report_open(struct report *r, const char *json_path,
		const char *junit_path)
{
	r->matrix = calloc(1, sizeof(*r->matrix));
	if (!r->matrix)
		return -ENOMEM;
	if (json_path) {
		r->json_f = fopen(json_path, "w");
		if (!r->json_f)
			return -errno;
		r->jw = jsonw_new(r->json_f);
		if (!r->jw)
			return -ENOMEM;
		jsonw_pretty(r->jw, true);
		jsonw_start_object(r->jw);
		jsonw_string_field(r->jw, "command", r->command);
		if (r->backend)
			jsonw_string_field(r->jw, "backend", r->backend);
		jsonw_name(r->jw, "scenarios");
		jsonw_start_array(r->jw);
	}
	if (junit_path) {
		r->junit_f = fopen(junit_path, "w");
		if (!r->junit_f)
			return -errno;
		/* testsuite's counts come first: the cases wait in memory */
		r->junit_mem = open_memstream(&r->junit_body, &r->junit_len);
		if (!r->junit_mem)
			return -ENOMEM;
	}
	return 0;
}

int scen_report_init(struct scen_report *sr, const struct scenario *sc)
{
	memset(sr, 0, sizeof(*sr));
	sr->sc = sc;
	sr->notes_f = open_memstream(&sr->notes, &sr->notes_len);
	if (!sr->notes_f || verdict_init(&sr->div, sc->nops) ||
	    verdict_init(&sr->drift, sc->nops))
		return -ENOMEM;
	return 0;
}

void scen_report_note(struct scen_report *sr, const char *fmt, ...)
{
	va_list ap;

	fprintf(sr->notes_f, "%s: ", sr->sc->path);
	va_start(ap, fmt);
	vfprintf(sr->notes_f, fmt, ap);
	va_end(ap);
	fputc('\n', sr->notes_f);
}

void scen_report_error(struct scen_report *sr, const char *fmt, ...)
{
	va_list ap;

	if (sr->error)
		return;		/* the first one says it */
	va_start(ap, fmt);
	if (vasprintf(&sr->error, fmt, ap) < 0)
		sr->error = NULL;
	va_end(ap);
}

void scen_report_free(struct scen_report *sr)
{
	if (sr->notes_f)
		fclose(sr->notes_f);
	free(sr->notes);
	free(sr->error);
	verdict_free(&sr->div);
	verdict_free(&sr->drift);
	memset(sr, 0, sizeof(*sr));
}

/* The scenario's failure text: what --junit carries too. */
static char *failure_text(const struct report *r,
			  const struct scen_report *sr)
{
	const char *path = sr->sc->path;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	if (sr->error)
		fprintf(f, "%s: %s\n", path, sr->error);
	verdict_print(f, path, &sr->div, NULL);
	verdict_print(f, path, &sr->drift, "kernel differs from recording:");
	fprintf(f, "  replay: %s %s\n", r->replay, path);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

static void json_findings(json_writer_t *jw, const char *name,
			  const struct verdict *v)
{
	size_t i;

	jsonw_name(jw, name);
	jsonw_start_array(jw);
	for (i = 0; i < v->nitems; i++) {
		jsonw_start_object(jw);
		jsonw_uint_field(jw, "line", v->items[i].line);
		if (v->items[i].op_text)
			jsonw_string_field(jw, "op", v->items[i].op_text);
		jsonw_string_field(jw, "detail", v->items[i].detail);
		jsonw_end_object(jw);
	}
	jsonw_end_array(jw);
}

static void scenario_json(struct report *r, const struct scen_report *sr,
			  bool failed)
{
	json_writer_t *jw = r->jw;
	const char *p, *nl;

	jsonw_start_object(jw);
	jsonw_string_field(jw, "file", sr->sc->path);
	jsonw_string_field(jw, "status", sr->error ? "error" :
					  failed ? "fail" : "ok");
	jsonw_uint_field(jw, "ops", sr->sc->nops);
	if (!r->backend)
		jsonw_bool_field(jw, "kernel_ran", sr->kernel_ran);
	if (sr->error)
		jsonw_string_field(jw, "error", sr->error);
	jsonw_name(jw, "notes");
	jsonw_start_array(jw);
	for (p = sr->notes; p && *p; p = nl + 1) {
		char *line;

		nl = strchr(p, '\n');
		if (!nl)
			break;
		line = strndup(p, (size_t)(nl - p));
		if (line)
			jsonw_string(jw, line);
		free(line);
	}
	jsonw_end_array(jw);
	json_findings(jw, "divergences", &sr->div);
	json_findings(jw, "kernel_differs_from_recording", &sr->drift);
	jsonw_end_object(jw);
}

static void scenario_plain(const struct scen_report *sr, const char *text)
{
	fputs(sr->notes ? sr->notes : "", stdout);
	if (text)
		fputs(text, stdout);
}

static void matrix_add(struct report *r, const struct scen_report *sr)
{
	const struct run *run = sr->typed;
	size_t i;

	if (!run || sr->error)
		return;
	for (i = 0; i < sr->sc->nops; i++) {
		int col = op_col(&sr->sc->ops[i]);
		size_t row = type_row(run->meta[i].type);

		if (col < 0)
			continue;
		if (sr->div.op_div[i])
			r->matrix->diverge[row][col]++;
		else
			r->matrix->agree[row][col]++;
	}
}

void report_scenario(struct report *r, struct scen_report *sr)
{
	bool failed = sr->error || sr->div.nitems || sr->drift.nitems;
	char *text = NULL;

	fflush(sr->notes_f);
	r->nscenarios++;
	if (sr->ran)
		r->nops += sr->sc->nops;
	r->ndiv += sr->div.nitems;
	r->ndrift += sr->drift.nitems;
	r->nerrors += sr->error != NULL;
	r->nfailed += failed;
	r->nemu_only += !r->backend && sr->ran && !sr->kernel_ran;
	matrix_add(r, sr);
	if (failed)
		text = failure_text(r, sr);
	scenario_plain(sr, text);
	if (r->jw)
		scenario_json(r, sr, failed);
	if (r->junit_mem)
		junit_testcase(r, sr, text);
	if (sr->sc->release && r->backend) {
		/* replay names the releases its recordings came from */
		if (!r->releases) {
			r->releases = strdup(sr->sc->release);
		} else if (!strstr(r->releases, sr->sc->release)) {
			char *s = NULL;

			if (asprintf(&s, "%s, %s", r->releases,
				     sr->sc->release) >= 0) {
				free(r->releases);
				r->releases = s;
			}
		}
	}
	free(text);
}

static void cell(char *buf, size_t len, unsigned int agree,
		 unsigned int diverge)
{
	if (diverge)
		snprintf(buf, len, "DIV %u", diverge);
	else if (agree)
		snprintf(buf, len, "ok %u", agree);
	else
		snprintf(buf, len, "-");
}

static void matrix_plain(const struct matrix *m)
{
	char buf[32];
	size_t row;
	int col;

	printf("%-16s", "type");
	for (col = 0; col < COL__COUNT; col++)
		printf(col + 1 < COL__COUNT ? " %-8s" : " %s", col_names[col]);
	putchar('\n');
	for (row = 0; row < NROWS; row++) {
		printf("%-16s", row_name(row));
		for (col = 0; col < COL__COUNT; col++) {
			int w = (int)strlen(col_names[col]);

			cell(buf, sizeof(buf), m->agree[row][col],
			     m->diverge[row][col]);
			if (col + 1 < COL__COUNT)
				printf(" %-*s", w > 8 ? w : 8, buf);
			else
				printf(" %s", buf);
		}
		putchar('\n');
	}
}

static void matrix_json(json_writer_t *jw, const struct matrix *m)
{
	size_t row;
	int col;

	jsonw_name(jw, "matrix");
	jsonw_start_object(jw);
	for (row = 0; row < NROWS; row++) {
		jsonw_name(jw, row_name(row));
		jsonw_start_object(jw);
		for (col = 0; col < COL__COUNT; col++) {
			jsonw_name(jw, col_names[col]);
			jsonw_start_object(jw);
			jsonw_uint_field(jw, "ok", m->agree[row][col]);
			jsonw_uint_field(jw, "div", m->diverge[row][col]);
			jsonw_end_object(jw);
		}
		jsonw_end_object(jw);
	}
	jsonw_end_object(jw);
}

void matrix_foreach(const struct matrix *m,
		    void (*fn)(void *arg, const char *row, const char *col,
			       const char *cell),
		    void *arg)
{
	char buf[32];
	size_t row;
	int col;

	for (row = 0; row < NROWS; row++)
		for (col = 0; col < COL__COUNT; col++) {
			cell(buf, sizeof(buf), m->agree[row][col],
			     m->diverge[row][col]);
			fn(arg, row_name(row), col_names[col], buf);
		}
}

void report_discard(struct report *r)
{
	if (r->jw)
		jsonw_destroy(&r->jw);
	if (r->json_f)
		fclose(r->json_f);
	if (r->junit_mem)
		fclose(r->junit_mem);
	if (r->junit_f)
		fclose(r->junit_f);
	free(r->junit_body);
	free(r->matrix);
	free(r->releases);
	memset(r, 0, sizeof(*r));
}

int report_close(struct report *r, const char *kernel_release)
{
	const char *rel = r->releases ? r->releases : "nothing";

	matrix_plain(r->matrix);
	if (r->ndrift)
		printf("kernel differs from recording: %zu difference(s): a "
		       "harness bug or a kernel change\n", r->ndrift);
	if (r->nerrors)
		printf("%zu scenario(s) could not be compared\n", r->nerrors);
	if (r->nemu_only)
		printf("%zu scenario(s) ran on the emulator only, against "
		       "their recordings (see their notes)\n", r->nemu_only);
	if (r->backend)
		printf("replay (%s): %zu scenarios, %zu ops, %zu divergences "
		       "(recorded on %s)\n", r->backend, r->nscenarios,
		       r->nops, r->ndiv, rel);
	else
		printf("conformance: %zu scenarios, %zu ops, %zu divergences "
		       "(kernel %s)\n", r->nscenarios, r->nops, r->ndiv,
		       kernel_release);
	if (r->jw) {
		jsonw_end_array(r->jw);
		matrix_json(r->jw, r->matrix);
		jsonw_name(r->jw, "summary");
		jsonw_start_object(r->jw);
		jsonw_uint_field(r->jw, "scenarios", r->nscenarios);
		jsonw_uint_field(r->jw, "failed", r->nfailed);
		jsonw_uint_field(r->jw, "ops", r->nops);
		jsonw_uint_field(r->jw, "divergences", r->ndiv);
		jsonw_uint_field(r->jw, "kernel_differs_from_recording",
				 r->ndrift);
		jsonw_uint_field(r->jw, "errors", r->nerrors);
		if (!r->backend)
			jsonw_uint_field(r->jw, "emulator_only", r->nemu_only);
		jsonw_string_field(r->jw, r->backend ? "recorded_on" :
						       "kernel",
				   r->backend ? rel : kernel_release);
		jsonw_end_object(r->jw);
		jsonw_destroy(&r->jw);
	}
	if (r->json_f)
		fclose(r->json_f);
	if (r->junit_f)
		junit_write(r);
	free(r->matrix);
	free(r->releases);
	return r->nfailed ? 1 : 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --junit: one <testsuite>, one <testcase> per scenario, the divergence
 * report as the failure text, the type x command matrix as the suite's
 * <properties> ("matrix/HASH/prog" = "ok 3"). The suite's counts open
 * the file, so the cases are gathered in memory and written at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

static void xml_escape(FILE *f, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			/* XML 1.0 has no place for other control bytes */
			if (*p >= 0x20 || *p == '\n' || *p == '\t')
				fputc(*p, f);
			else
				fputc('?', f);
		}
	}
}

void junit_testcase(struct report *r, const struct scen_report *sr,
		    const char *failure_text)
{
	FILE *f = r->junit_mem;

	fputs("  <testcase classname=\"", f);
	xml_escape(f, r->command);
	fputs("\" name=\"", f);
	xml_escape(f, sr->sc->path);
	fputs("\">\n", f);
	if (failure_text) {
		/* error: not compared at all; failure: compared, differs */
		const char *tag = sr->error ? "error" : "failure";

		fprintf(f, "    <%s message=\"%s\">", tag,
			sr->error ? "not compared" : "divergence");
		xml_escape(f, failure_text);
		fprintf(f, "</%s>\n", tag);
	}
	if (sr->notes && *sr->notes) {
		fputs("    <system-out>", f);
		xml_escape(f, sr->notes);
		fputs("</system-out>\n", f);
	}
	fputs("  </testcase>\n", f);
}

static void junit_property(void *arg, const char *row, const char *col,
			   const char *cell)
{
	FILE *f = arg;

	fputs("    <property name=\"matrix/", f);
	xml_escape(f, row);
	fputc('/', f);
	xml_escape(f, col);
	fputs("\" value=\"", f);
	xml_escape(f, cell);
	fputs("\"/>\n", f);
}

void junit_write(struct report *r)
{
	FILE *f = r->junit_f;

	fclose(r->junit_mem);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fputs("<testsuite name=\"bpfemu-harness ", f);
	xml_escape(f, r->command);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
		r->nscenarios, r->nfailed - r->nerrors, r->nerrors);
	fputs("  <properties>\n", f);
	matrix_foreach(r->matrix, junit_property, f);
	fputs("  </properties>\n", f);
	if (r->junit_body)
		fputs(r->junit_body, f);
	fputs("</testsuite>\n", f);
	fclose(f);
	free(r->junit_body);
}

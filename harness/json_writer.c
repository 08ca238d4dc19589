// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Streaming JSON writer (API after bpftool's json_writer, written anew).
 */
#include <inttypes.h>
#include <stdlib.h>

#include "json_writer.h"

#define JSONW_MAX_DEPTH	64

struct json_writer {
	FILE *out;
	unsigned int depth;
	bool pretty;
	bool named;			/* a name was just written */
	bool first[JSONW_MAX_DEPTH];	/* nothing written yet at this level */
	char closer[JSONW_MAX_DEPTH];	/* '}' or ']' */
};

json_writer_t *jsonw_new(FILE *f)
{
	json_writer_t *self = calloc(1, sizeof(*self));

	if (!self)
		return NULL;
	self->out = f;
	self->first[0] = true;
	return self;
}

static void jsonw_indent(json_writer_t *self)
{
	unsigned int i;

	if (!self->pretty)
		return;
	fputc('\n', self->out);
	for (i = 0; i < self->depth; i++)
		fputs("  ", self->out);
}

/* Separator and indentation before a value (or a name) at this level. */
static void jsonw_eor(json_writer_t *self)
{
	if (self->named) {
		self->named = false;
		return;
	}
	if (!self->first[self->depth])
		fputc(',', self->out);
	if (self->depth)
		jsonw_indent(self);
	self->first[self->depth] = false;
}

static void jsonw_puts(json_writer_t *self, const char *s)
{
	const unsigned char *p;

	fputc('"', self->out);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", self->out);
			break;
		case '\\':
			fputs("\\\\", self->out);
			break;
		case '\n':
			fputs("\\n", self->out);
			break;
		case '\t':
			fputs("\\t", self->out);
			break;
		default:
			/* scenario text is not trusted to be UTF-8 */
			if (*p < 0x20 || *p >= 0x7f)
				fprintf(self->out, "\\u%04x", *p);
			else
				fputc(*p, self->out);
		}
	}
	fputc('"', self->out);
}

static void jsonw_open(json_writer_t *self, char opener, char closer)
{
	jsonw_eor(self);
	fputc(opener, self->out);
	if (self->depth + 1 < JSONW_MAX_DEPTH)
		self->depth++;
	self->first[self->depth] = true;
	self->closer[self->depth] = closer;
}

static void jsonw_close(json_writer_t *self)
{
	bool empty = self->first[self->depth];
	char c = self->closer[self->depth];

	if (!self->depth)
		return;
	self->depth--;
	if (!empty)
		jsonw_indent(self);
	fputc(c, self->out);
}

void jsonw_destroy(json_writer_t **self_p)
{
	json_writer_t *self = *self_p;

	if (!self)
		return;
	while (self->depth)
		jsonw_close(self);
	fputc('\n', self->out);
	free(self);
	*self_p = NULL;
}

void jsonw_pretty(json_writer_t *self, bool on)
{
	self->pretty = on;
}

void jsonw_start_object(json_writer_t *self)
{
	jsonw_open(self, '{', '}');
}

void jsonw_end_object(json_writer_t *self)
{
	jsonw_close(self);
}

void jsonw_start_array(json_writer_t *self)
{
	jsonw_open(self, '[', ']');
}

void jsonw_end_array(json_writer_t *self)
{
	jsonw_close(self);
}

void jsonw_name(json_writer_t *self, const char *name)
{
	jsonw_eor(self);
	jsonw_puts(self, name);
	fputs(self->pretty ? ": " : ":", self->out);
	self->named = true;
}

void jsonw_string(json_writer_t *self, const char *value)
{
	jsonw_eor(self);
	jsonw_puts(self, value);
}

void jsonw_uint(json_writer_t *self, uint64_t value)
{
	jsonw_eor(self);
	fprintf(self->out, "%" PRIu64, value);
}

void jsonw_bool(json_writer_t *self, bool value)
{
	jsonw_eor(self);
	fputs(value ? "true" : "false", self->out);
}

void jsonw_string_field(json_writer_t *self, const char *name,
			const char *value)
{
	jsonw_name(self, name);
	jsonw_string(self, value);
}

void jsonw_uint_field(json_writer_t *self, const char *name, uint64_t value)
{
	jsonw_name(self, name);
	jsonw_uint(self, value);
}

void jsonw_bool_field(json_writer_t *self, const char *name, bool value)
{
	jsonw_name(self, name);
	jsonw_bool(self, value);
}

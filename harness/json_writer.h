/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A small streaming JSON writer: values go to the FILE as they are
 * written, so a report of any size never sits in memory. The caller
 * nests start/end calls correctly; names are given before every value
 * inside an object.
 */
#ifndef __HARNESS_JSON_WRITER_H
#define __HARNESS_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct json_writer json_writer_t;

json_writer_t *jsonw_new(FILE *f);
/* Closes what is still open, prints the final newline, frees. */
void jsonw_destroy(json_writer_t **self_p);
void jsonw_pretty(json_writer_t *self, bool on);

void jsonw_start_object(json_writer_t *self);
void jsonw_end_object(json_writer_t *self);
void jsonw_start_array(json_writer_t *self);
void jsonw_end_array(json_writer_t *self);

void jsonw_name(json_writer_t *self, const char *name);
void jsonw_string(json_writer_t *self, const char *value);
void jsonw_uint(json_writer_t *self, uint64_t value);
void jsonw_bool(json_writer_t *self, bool value);

void jsonw_string_field(json_writer_t *self, const char *name,
			const char *value);
void jsonw_uint_field(json_writer_t *self, const char *name, uint64_t value);
void jsonw_bool_field(json_writer_t *self, const char *name, bool value);

#endif /* __HARNESS_JSON_WRITER_H */

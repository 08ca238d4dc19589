/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The fuzzers' input decoder: libFuzzer's bytes become one scenario text
 * (tests/corpus/FORMAT.md, no results), which the engine runs. The input
 * format is described in fuzz/README.md.
 */
#ifndef __FUZZ_DECODE_H
#define __FUZZ_DECODE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes size bytes into a malloc'd scenario text (*text, *len bytes,
 * NUL-terminated) for a host with ncpus possible CPUs (no op names a CPU
 * at or past it). An input starting with '#' is scenario text already:
 * it comes back as written, except what could reach outside the run (see
 * decode_text.c); *len is 0 when such a text cannot be run safely.
 * Returns 0 or -ENOMEM.
 */
int fuzz_decode(const uint8_t *data, size_t size, unsigned int ncpus,
		char **text, size_t *len);

/*
 * Binary inputs create maps of these types only (comma-separated names
 * of fuzz_types[], e.g. "LPM_TRIE,QUEUE"), to focus a run on them; NULL
 * or "" for every type. Scenario-text inputs are not restricted.
 * Returns 0, or -EINVAL for a name the decoder does not know.
 */
int fuzz_decode_focus(const char *names);

#endif /* __FUZZ_DECODE_H */

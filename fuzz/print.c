// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfemu-fuzz-print: the scenario a fuzz input decodes to, so that a
 * human can read a crash input (and replay it: the output is a scenario
 * file for `bpfemu-harness record`, then `conformance`).
 *
 *   bpfemu-fuzz-print [--ncpus N] FILE...      print what each decodes to
 *   bpfemu-fuzz-print --check N [SEED]         N random inputs must parse
 *   bpfemu-fuzz-print --check-text FILE...     scenario files pass as is
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "decode.h"
#include "file.h"
#include "scenario.h"

#define HELP_SPEC \
	"Usage: %s [--ncpus N] FILE...\n" \
	"       %s [--ncpus N] --check N [SEED]\n" \
	"       %s [--ncpus N] --check-text FILE...\n" \
	"\n" \
	"Prints the scenario each fuzz input FILE decodes to\n" \
	"(fuzz/README.md).\n" \
	"--check decodes N random inputs and parses each text: any the\n" \
	"parser refuses is printed and fails. --check-text: each scenario\n" \
	"file must come back from the decoder unchanged (or not run).\n"

/*
 * path's bytes (*data, *size) and their decoded text (*text, *len), or
 * 1 after saying on stderr why not. Both buffers are the caller's.
 */
static int read_decoded(const char *path, unsigned int ncpus, uint8_t **data,
			size_t *size, char **text, size_t *len)
{
	int err = fuzz_read_file(path, data, size);

	if (!err) {
		err = fuzz_decode(*data, *size, ncpus, text, len);
		if (err)
			free(*data);
	}
	if (err)
		fprintf(stderr, "%s: %s\n", path, strerror(-err));
	return err ? 1 : 0;
}

static int print_files(int argc, char **argv, unsigned int ncpus)
{
	int i, ret = 0;

	for (i = 0; i < argc; i++) {
		uint8_t *data;
		size_t size, len;
		char *text;

		if (read_decoded(argv[i], ncpus, &data, &size, &text, &len)) {
			ret = 1;
			continue;
		}
		if (argc > 1)
			printf("# %s\n", argv[i]);
		if (!len)
			printf("# not run: it could reach past the run\n");
		fwrite(text, 1, len, stdout);
		free(text);
		free(data);
	}
	return ret;
}

/* xorshift64*: reproducible inputs from a seed */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static void dump_input(const uint8_t *data, size_t size)
{
	size_t i;

	fprintf(stderr, "input (%zu bytes):", size);
	for (i = 0; i < size; i++)
		fprintf(stderr, "%s%02x", i % 32 ? "" : "\n  ", data[i]);
	fputc('\n', stderr);
}

/* Every input the decoder can get must make a text the parser takes. */
static int check_random(unsigned long n, uint64_t seed, unsigned int ncpus)
{
	uint8_t data[1024];
	unsigned long i;
	uint64_t s = seed ? seed : 1;

	for (i = 0; i < n; i++) {
		struct scenario *sc;
		size_t size, len, k;
		char *text;
		uint64_t r = rng_next(&s);

		/* the header, then records of five bytes, cut anywhere */
		size = r % 4 ? 6 + 5 * ((r >> 8) % 40) + (r >> 16) % 6 :
			       (r >> 8) % sizeof(data);
		for (k = 0; k < size; k++)
			data[k] = (uint8_t)rng_next(&s);
		if (size && data[0] == '#')
			data[0] = 0;
		if (fuzz_decode(data, size, ncpus, &text, &len)) {
			fprintf(stderr, "check: out of memory\n");
			return 1;
		}
		if (scenario_parse("decoded", text, len, false, &sc)) {
			dump_input(data, size);
			fprintf(stderr, "decoded to:\n%.*s", (int)len, text);
			fprintf(stderr, "check: input %lu of seed %llu does "
				"not parse\n", i, (unsigned long long)seed);
			free(text);
			return 1;
		}
		for (k = 0; k < sc->nops; k++) {
			const struct op *op = &sc->ops[k];

			/* decode_attr.c: a start id cut to 0 names the
			 * host's first map, another process's */
			if (op->code == OP_NEXT_ID && op->attr_size < 4) {
				fprintf(stderr, "check: input %lu of seed "
					"%llu: next_id with attr_size=%u\n", i,
					(unsigned long long)seed,
					op->attr_size);
				scenario_free(sc);
				free(text);
				return 1;
			}
		}
		scenario_free(sc);
		free(text);
	}
	printf("check: %lu random inputs decode to scenarios that parse\n",
	       n);
	return 0;
}

/*
 * The conformance corpus seeds the fuzzers: it must run as written, or
 * not at all (a map the fuzzers must not make, a type the emulator
 * lacks), never changed.
 */
static int check_text(int argc, char **argv, unsigned int ncpus)
{
	int i, bad = 0, skipped = 0;

	for (i = 0; i < argc; i++) {
		uint8_t *data;
		size_t size, len;
		char *text;

		if (read_decoded(argv[i], ncpus, &data, &size, &text, &len)) {
			bad++;
			continue;
		}
		if (!len) {
			printf("%s: not run by the fuzzers\n", argv[i]);
			skipped++;
		} else if (len != size || memcmp(text, data, size)) {
			fprintf(stderr, "%s: the decoder changes it\n", argv[i]);
			bad++;
		}
		free(text);
		free(data);
	}
	printf("check-text: %d files, %d changed, %d not run\n", argc, bad,
	       skipped);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned int ncpus = host_possible_cpus();
	const char *name = argv[0] ? argv[0] : "bpfemu-fuzz-print";

	if (argc > 2 && !strcmp(argv[1], "--ncpus")) {
		ncpus = (unsigned int)strtoul(argv[2], NULL, 0);
		argc -= 2;
		argv += 2;
	}
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !ncpus) {
		fprintf(argc < 2 || !ncpus ? stderr : stdout, HELP_SPEC,
			name, name, name);
		return argc < 2 || !ncpus ? 2 : 0;
	}
	/* as the targets: binary inputs of a FUZZ_TYPES run decode so */
	if (fuzz_decode_focus(getenv("BPFEMU_FUZZ_TYPES"))) {
		fprintf(stderr, "%s: BPFEMU_FUZZ_TYPES=%s: not a list of the "
			"decoder's types (fuzz/decode_types.c)\n", name,
			getenv("BPFEMU_FUZZ_TYPES"));
		return 2;
	}
	if (!strcmp(argv[1], "--check") && argc > 2)
		return check_random(strtoul(argv[2], NULL, 0),
				    argc > 3 ? strtoull(argv[3], NULL, 0) : 1,
				    ncpus);
	if (!strcmp(argv[1], "--check-text"))
		return check_text(argc - 2, argv + 2, ncpus);
	return print_files(argc - 1, argv + 1, ncpus);
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Unit tests of emu/jhash.h against the vectors of
 * /work/shared/spec/hash-maps.md §5 (reproduced on 6.18.44) and Bob
 * Jenkins' published lookup3 vectors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "emu_internal.h"
#include "jhash.h"

struct jhash_vector {
	const char *name;
	unsigned char key[16];
	__u32 len;
	__u32 hash;	/* seed 0 */
	__u32 bucket;	/* of 8 buckets */
};

static const struct jhash_vector spec_vectors[] = {
	{ "u32 0", { 0, 0, 0, 0 }, 4, 0x049396b8, 0 },
	{ "u32 1", { 1, 0, 0, 0 }, 4, 0x72a82a9b, 3 },
	{ "u32 2", { 2, 0, 0, 0 }, 4, 0xee626cca, 2 },
	{ "u64 1", { 1, 0, 0, 0, 0, 0, 0, 0 }, 8, 0x5543253f, 7 },
	{ "5 bytes", { 1, 2, 3, 4, 5 }, 5, 0xf85554a4, 4 },
	{ "12 bytes", { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, 12,
	  0x2471b813, 3 },
	{ "16 bytes", { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
			16 }, 16, 0x29fb5548, 0 },
};

static const char four_score[] = "Four score and seven years ago";

static void jhash__spec_vectors__match(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(spec_vectors); i++) {
		const struct jhash_vector *v = &spec_vectors[i];
		__u32 h = jhash(v->key, v->len, 0);

		print_message("%s\n", v->name);
		assert_int_equal(h, v->hash);
		assert_int_equal(h & 7, v->bucket);
	}
}

/* lookup3's own vectors: 30 bytes, i.e. two mixed blocks and a tail */
static void jhash__lookup3_four_score__match(void **state)
{
	(void)state;
	assert_int_equal(sizeof(four_score) - 1, 30);
	assert_int_equal(jhash(four_score, 30, 0), 0x17770551);
	assert_int_equal(jhash(four_score, 30, 1), 0xcd628161);
}

/* n == 0 skips the final mix: the result is the initial state */
static void jhash__empty_input__initval_sum(void **state)
{
	(void)state;
	assert_int_equal(jhash("", 0, 0), 0xdeadbeef);
	assert_int_equal(jhash("", 0, 5), 0xdeadbeef + 5);
	assert_int_equal(jhash2(NULL, 0, 0), 0xdeadbeef);
	assert_int_equal(jhash2(NULL, 0, 7), 0xdeadbeef + 7);
}

/* The seed enters the state; it must change the hash. */
static void jhash__seed__changes_hash(void **state)
{
	const __u32 key = 1;

	(void)state;
	assert_int_not_equal(jhash(&key, 4, 0), jhash(&key, 4, 1));
	assert_int_equal(jhash(&key, 4, 0), 0x72a82a9b);
}

/*
 * On little-endian, jhash2(k, n / 4, s) == jhash(k, n, s): the kernel
 * uses jhash2 for 4-byte multiples, the emulator jhash for all keys.
 * Lengths 1..8 words cover an empty loop, exact blocks and tails.
 */
static void jhash__jhash2_on_words__equals_jhash(void **state)
{
	__u32 words[8], seed, n, i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		words[i] = 0x9e3779b9U * (i + 1);
	for (seed = 0; seed < 3; seed++) {
		for (n = 1; n <= ARRAY_SIZE(words); n++) {
			print_message("words %u seed %u\n", n, seed);
			assert_int_equal(jhash2(words, n, seed * 0x1234567),
					 jhash(words, n * 4, seed * 0x1234567));
		}
	}
	assert_int_equal(jhash2((const __u32 *)spec_vectors[6].key, 4, 0),
			 0x29fb5548);
}

/* jhash loads whole words from any alignment. */
static void jhash__unaligned_key__same_hash(void **state)
{
	unsigned char buf[3 + 30];
	size_t off;

	(void)state;
	for (off = 0; off < 4; off++) {
		memcpy(buf + off, four_score, 30);
		assert_int_equal(jhash(buf + off, 30, 0), 0x17770551);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jhash__spec_vectors__match),
		cmocka_unit_test(jhash__lookup3_four_score__match),
		cmocka_unit_test(jhash__empty_input__initval_sum),
		cmocka_unit_test(jhash__seed__changes_hash),
		cmocka_unit_test(jhash__jhash2_on_words__equals_jhash),
		cmocka_unit_test(jhash__unaligned_key__same_hash),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests_name("jhash", tests, NULL, NULL);
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Bob Jenkins' lookup3 hash (public domain), in the two flavours the
 * kernel's include/linux/jhash.h offers: jhash() over bytes and jhash2()
 * over 32-bit words. Written from the algorithm's description; the
 * kernel's hash maps and bloom filter choose their buckets with it, so
 * every bit of it is observable through iteration order.
 */
#ifndef __EMU_JHASH_H
#define __EMU_JHASH_H

#include <stddef.h>
#include <string.h>
#include <linux/types.h>

/* The arbitrary starting value lookup3 adds to every state word. */
#define JHASH_INITVAL		0xdeadbeefU

static inline __u32 jhash_rol32(__u32 word, unsigned int shift)
{
	return (word << shift) | (word >> (32 - shift));
}

/* Reversible mixing of three words, run once per full 12-byte block. */
static inline void jhash_mix(__u32 *a, __u32 *b, __u32 *c)
{
	*a -= *c; *a ^= jhash_rol32(*c, 4);  *c += *b;
	*b -= *a; *b ^= jhash_rol32(*a, 6);  *a += *c;
	*c -= *b; *c ^= jhash_rol32(*b, 8);  *b += *a;
	*a -= *c; *a ^= jhash_rol32(*c, 16); *c += *b;
	*b -= *a; *b ^= jhash_rol32(*a, 19); *a += *c;
	*c -= *b; *c ^= jhash_rol32(*b, 4);  *b += *a;
}

/* Final avalanche of the last block into c, the result. */
static inline void jhash_final(__u32 *a, __u32 *b, __u32 *c)
{
	*c ^= *b; *c -= jhash_rol32(*b, 14);
	*a ^= *c; *a -= jhash_rol32(*c, 11);
	*b ^= *a; *b -= jhash_rol32(*a, 25);
	*c ^= *b; *c -= jhash_rol32(*b, 16);
	*a ^= *c; *a -= jhash_rol32(*c, 4);
	*b ^= *a; *b -= jhash_rol32(*a, 14);
	*c ^= *b; *c -= jhash_rol32(*b, 24);
}

/* A native-endian 32-bit load from any alignment. */
static inline __u32 jhash_load32(const unsigned char *p)
{
	__u32 word;

	memcpy(&word, p, sizeof(word));
	return word;
}

/*
 * jhash() - hash @length bytes at @key, seeded with @initval.
 * Full blocks are loaded as native words, the 1..12 byte tail is
 * assembled little-endian and zero-padded, as the kernel does.
 */
static inline __u32 jhash(const void *key, __u32 length, __u32 initval)
{
	const unsigned char *k = key;
	__u32 a, b, c;
	__u32 tail[3] = { 0, 0, 0 };
	__u32 i;

	a = b = c = JHASH_INITVAL + length + initval;

	/* a last block of exactly 12 bytes goes through the tail, not mix */
	while (length > 12) {
		a += jhash_load32(k);
		b += jhash_load32(k + 4);
		c += jhash_load32(k + 8);
		jhash_mix(&a, &b, &c);
		length -= 12;
		k += 12;
	}

	/* only an empty key gets here with nothing left: no final mix */
	if (!length)
		return c;

	for (i = 0; i < length; i++)
		tail[i / 4] |= (__u32)k[i] << (8 * (i % 4));
	a += tail[0];
	b += tail[1];
	c += tail[2];
	jhash_final(&a, &b, &c);
	return c;
}

/*
 * jhash2() - hash @length 32-bit words at @k, seeded with @initval.
 * On a little-endian host jhash2(k, n / 4, s) == jhash(k, n, s).
 */
static inline __u32 jhash2(const __u32 *k, __u32 length, __u32 initval)
{
	__u32 a, b, c;

	a = b = c = JHASH_INITVAL + (length << 2) + initval;

	while (length > 3) {
		a += k[0];
		b += k[1];
		c += k[2];
		jhash_mix(&a, &b, &c);
		length -= 3;
		k += 3;
	}

	switch (length) {
	case 3:
		c += k[2];
		/* fall through */
	case 2:
		b += k[1];
		/* fall through */
	case 1:
		a += k[0];
		jhash_final(&a, &b, &c);
		break;
	default:
		/* empty input: no final mix */
		break;
	}
	return c;
}

#endif /* __EMU_JHASH_H */

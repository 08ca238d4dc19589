// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * make bench: the same map operations four ways, side by side in one run.
 *
 *   emu       libbpfemu through its libbpf-named API (dlopen()ed, so the
 *             system libbpf the kernel columns use lives beside it)
 *   syscall   the kernel, one bpf(2) per op (system libbpf)
 *   test-run  the kernel, the executor (kern/exec.h) running a batch of
 *             records per BPF_PROG_TEST_RUN; filling and checking the
 *             records is part of the time
 *   floor     user space without BPF: a bare uthash table for HASH, a
 *             plain C array for ARRAY (none for LPM_TRIE)
 *
 * LPM_TRIE: 100,000 IPv4 and 10,000 IPv6 prefixes of 17 bits and more,
 * in pairs (a /17-/24 and a longer prefix inside it), each looked up by
 * itself: the longest match with at most its prefixlen is its own entry.
 *
 * Every method runs the same shuffled key sequence and every op's result
 * is checked against what the kernel answered through the syscall (run
 * first): a mismatch is printed and makes the exit status 1. Timing is
 * reported, never asserted.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <uthash.h>

#include "exec.h"

#define BENCH_CPU	0	/* the CPU the process and every test run use */
/*
 * Records per BPF_PROG_TEST_RUN: 8192 x 56 B stay in a core's L2 between
 * the fill, the run and the check. Measured here: 50-65 ns per lookup
 * record up to 16384, 120-170 ns from 32768 (1.8 MB); a run itself
 * costs about 1.3 us.
 */
#define BENCH_BATCH	8192
#define BENCH_SEED	0x5eedb0a7u	/* the key order, same every run */
/* A smaller map's measurement repeats its pass to this many ops. */
#define BENCH_MIN_OPS	100000
#define BENCH_REPS	3	/* best of */
/* Best of, for BENCH_BIG entries and up: keeps make bench under 60 s. */
#define BENCH_REPS_BIG	2
#define BENCH_BIG	1000000
#define BENCH_LOG_LEN	4096	/* exec_open()'s reason, when it fails */

/* A result that is not an errno: the lookup found the key, wrong bytes. */
#define GOT_BAD_VALUE	1
/* A record the executor did not mark done. */
#define GOT_NOT_RUN	INT_MIN

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* LPM_TRIE keys: a u32 prefixlen and 4 (IPv4) or 16 (IPv6) bytes */
#define BENCH_LPM_V4	8
#define BENCH_LPM_V6	20
#define BENCH_KEY_MAX	BENCH_LPM_V6

/* The cases: each type at each size. */
static const struct bench_def {
	enum bpf_map_type type;
	__u32 key_size;
	__u32 entries;
} bench_defs[] = {
	{ BPF_MAP_TYPE_HASH, sizeof(__u32), 1000 },
	{ BPF_MAP_TYPE_HASH, sizeof(__u32), BENCH_BIG },
	{ BPF_MAP_TYPE_ARRAY, sizeof(__u32), 1000 },
	{ BPF_MAP_TYPE_ARRAY, sizeof(__u32), BENCH_BIG },
	{ BPF_MAP_TYPE_LPM_TRIE, BENCH_LPM_V4, 100000 },
	{ BPF_MAP_TYPE_LPM_TRIE, BENCH_LPM_V6, 10000 },
};

enum op { OP_UPDATE, OP_LOOKUP, OP_DELETE, OP__COUNT };
static const char *const op_name[OP__COUNT] = { "update", "lookup", "delete" };
static const __u32 op_exec_fn[OP__COUNT] = {
	[OP_UPDATE] = EXEC_UPDATE,
	[OP_LOOKUP] = EXEC_LOOKUP,
	[OP_DELETE] = EXEC_DELETE,
};

/* The run order: the syscall column first, its answers are the oracle. */
enum method { M_SYSCALL, M_TESTRUN, M_EMU, M_FLOOR, M__COUNT };

/* The libbpf-named calls, from the system libbpf or from libbpfemu. */
struct bpf_api {
	int (*map_create)(enum bpf_map_type type, const char *name,
			  __u32 key_size, __u32 value_size, __u32 max_entries,
			  const struct bpf_map_create_opts *opts);
	int (*update)(int fd, const void *key, const void *value, __u64 flags);
	int (*lookup)(int fd, const void *key, void *value);
	int (*delete)(int fd, const void *key);
};

static const struct bpf_api kernel_api = {
	.map_create = bpf_map_create,
	.update = bpf_map_update_elem,
	.lookup = bpf_map_lookup_elem,
	.delete = bpf_map_delete_elem,
};

static struct bpf_api emu_api;
static unsigned int (*emu_live_maps)(void);

struct floor_elem {
	int key;
	__u64 value;
	UT_hash_handle hh;
};

struct mismatch {
	__u32 key;
	int got;
	int want;
};

/* One map type at one size: the maps, the oracle and the results. */
struct bench {
	enum bpf_map_type type;
	__u32 key_size;
	__u32 entries;
	__u8 *lpm_keys;			/* LPM_TRIE: key i at i * key_size */
	int reps;
	int rounds;			/* passes per measurement */
	__u32 *keys;			/* 0..entries-1, shuffled */
	int *expect[OP__COUNT];		/* the kernel's answer to op i */
	bool recorded[OP__COUNT];
	int kfd;
	int efd;
	struct exec *exec;
	struct floor_elem *uthash;
	__u64 *array;
	__u64 best_ns[M__COUNT][OP__COUNT];
	__u64 mismatches[M__COUNT][OP__COUNT];
	struct mismatch first[M__COUNT][OP__COUNT];
	__u64 testrun_ns[OP__COUNT];	/* summed over every rep */
	__u64 stats_cnt[OP__COUNT];	/* bpf_stats deltas, every rep */
	__u64 stats_ns[OP__COUNT];
	__u64 stats_ops[OP__COUNT];
};

static int stats_fd = -1;
static double min_ratio = -1;
static char min_ratio_row[64];
static bool any_mismatch;

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static __u64 value_of(__u32 key)
{
	return (key + 1) * 0x9e3779b97f4a7c15ull;
}

static const char *type_name(const struct bench *b)
{
	if (b->type == BPF_MAP_TYPE_LPM_TRIE)
		return b->key_size == BENCH_LPM_V4 ? "LPMv4" : "LPMv6";
	return b->type == BPF_MAP_TYPE_HASH ? "HASH" : "ARRAY";
}

static const char *floor_name(const struct bench *b)
{
	if (b->type == BPF_MAP_TYPE_LPM_TRIE)
		return "-";
	return b->type == BPF_MAP_TYPE_HASH ? "uthash" : "array";
}

static bool has_floor(const struct bench *b)
{
	return b->type != BPF_MAP_TYPE_LPM_TRIE;
}

static const char *err_name(int got)
{
	static char buf[32];
	const char *name;

	if (got == GOT_BAD_VALUE)
		return "wrong value";
	if (got == GOT_NOT_RUN)
		return "record not run";
	if (got >= 0) {
		snprintf(buf, sizeof(buf), "%d", got);
		return buf;
	}
	name = strerrorname_np(-got);
	if (name)
		return name;
	snprintf(buf, sizeof(buf), "%d", got);
	return buf;
}

/* splitmix64: a fixed shuffle without depending on libc's rand(). */
static __u64 next_rand(__u64 *state)
{
	__u64 z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * LPM_TRIE key i: pairs share their first 17 bits (a bijection of i / 2,
 * so no two pairs do): the even one is a /17-/24, the odd one a longer
 * prefix inside it; the bits past 17 are the same random ones for both.
 */
static void lpm_key(__u32 i, __u32 key_size, __u8 *key)
{
	__u32 maxlen = (key_size - 4) * 8, pair = i / 2, top, plen, j;
	__u64 state = BENCH_SEED ^ pair, h = next_rand(&state);

	plen = i % 2 ? 25 + h % (maxlen - 24) : 17 + h % 8;
	memcpy(key, &plen, sizeof(plen));
	for (j = 4; j < key_size; j++)
		key[j] = (__u8)next_rand(&state);
	top = (pair * 0x1f35du + 0x9e37u) & 0x1ffff;	/* odd: bijective */
	key[4] = (__u8)(top >> 9);
	key[5] = (__u8)(top >> 1);
	key[6] = (__u8)((top & 1) << 7 | (key[6] & 0x7f));
}

static void shuffle_keys(__u32 *keys, __u32 n)
{
	__u64 state = BENCH_SEED;
	__u32 i, j, t;

	for (i = 0; i < n; i++)
		keys[i] = i;
	for (i = n; i > 1; i--) {
		j = next_rand(&state) % i;
		t = keys[i - 1];
		keys[i - 1] = keys[j];
		keys[j] = t;
	}
}

/*
 * The first pass of an op records the answers (the syscall column runs
 * first); every later pass, of any method, is compared with them.
 */
static inline void check(struct bench *b, enum method m, enum op op, __u32 i,
			 int got)
{
	int *want = &b->expect[op][i];

	if (!b->recorded[op]) {
		*want = got;
		return;
	}
	if (got == *want)
		return;
	if (!b->mismatches[m][op]++)
		b->first[m][op] = (struct mismatch){ b->keys[i], got, *want };
}

static inline int lookup_got(int ret, __u64 value, __u32 key)
{
	if (!ret && value != value_of(key))
		return GOT_BAD_VALUE;
	return ret;
}

/* The bytes of key number key: itself for u32 keys (in *tmp). */
static inline const void *key_bytes(const struct bench *b, __u32 key,
				    __u32 *tmp)
{
	if (b->lpm_keys)
		return b->lpm_keys + (size_t)key * b->key_size;
	*tmp = key;
	return tmp;
}

/* One op on every key through a libbpf-named API (kernel or emulator). */
static int api_pass(struct bench *b, const struct bpf_api *api,
		    enum method m, int fd, enum op op)
{
	__u32 i, key, tmp;
	const void *kp;
	__u64 value;
	int ret;

	for (i = 0; i < b->entries; i++) {
		key = b->keys[i];
		kp = key_bytes(b, key, &tmp);
		switch (op) {
		case OP_UPDATE:
			value = value_of(key);
			ret = api->update(fd, kp, &value, BPF_ANY);
			break;
		case OP_LOOKUP:
			value = 0;
			ret = api->lookup(fd, kp, &value);
			ret = lookup_got(ret, value, key);
			break;
		default:
			ret = api->delete(fd, kp);
			break;
		}
		check(b, m, op, i, ret);
	}
	return 0;
}

static void testrun_fill(struct bench *b, enum op op, __u32 base, __u32 n)
{
	struct exec_hdr *hdr;
	__u64 value;
	__u32 j, key, tmp;

	for (j = 0; j < n; j++) {
		key = b->keys[base + j];
		hdr = exec_rec(b->exec, j);
		hdr->fn = op_exec_fn[op];
		hdr->arg = 0;
		hdr->flags = BPF_ANY;
		memcpy(exec_rec_key(b->exec, j), key_bytes(b, key, &tmp),
		       b->key_size);
		if (op == OP_UPDATE) {
			value = value_of(key);
			memcpy(exec_rec_value(b->exec, j), &value, sizeof(value));
		}
	}
}

static void testrun_check(struct bench *b, enum op op, __u32 base, __u32 n)
{
	struct exec_hdr *hdr;
	__u64 value;
	__u32 j;
	int got;

	for (j = 0; j < n; j++) {
		hdr = exec_rec(b->exec, j);
		got = hdr->done ? (int)hdr->ret : GOT_NOT_RUN;
		if (op == OP_LOOKUP && got != GOT_NOT_RUN) {
			memcpy(&value, exec_rec_out(b->exec, j), sizeof(value));
			got = lookup_got(got, value, b->keys[base + j]);
		}
		check(b, M_TESTRUN, op, base + j, got);
	}
}

/* One op on every key, BENCH_BATCH records per BPF_PROG_TEST_RUN. */
static int testrun_pass(struct bench *b, enum op op)
{
	__u32 base, n;
	int err;

	for (base = 0; base < b->entries; base += n) {
		n = b->entries - base < BENCH_BATCH ? b->entries - base :
						      BENCH_BATCH;
		testrun_fill(b, op, base, n);
		err = exec_run(b->exec, n, BENCH_CPU);
		if (err) {
			fprintf(stderr, "bpfemu-bench: exec_run: %s\n",
				strerror(-err));
			return err;
		}
		testrun_check(b, op, base, n);
	}
	return 0;
}

/* BPF_ANY semantics on a bare uthash table. */
static int uthash_op(struct bench *b, enum op op, int key)
{
	struct floor_elem *el;

	HASH_FIND_INT(b->uthash, &key, el);
	switch (op) {
	case OP_UPDATE:
		if (!el) {
			el = malloc(sizeof(*el));
			if (!el)
				return -ENOMEM;	/* as the kernel's allocation */
			el->key = key;
			HASH_ADD_INT(b->uthash, key, el);
		}
		el->value = value_of(key);
		return 0;
	case OP_LOOKUP:
		if (!el)
			return -ENOENT;	/* as a lookup of a missing key */
		return lookup_got(0, el->value, key);
	default:
		if (!el)
			return -ENOENT;	/* as a delete of a missing key */
		HASH_DEL(b->uthash, el);
		free(el);
		return 0;
	}
}

/* An ARRAY's rules on a plain C array. */
static int array_op(struct bench *b, enum op op, __u32 key)
{
	if (op == OP_DELETE)
		return -EINVAL;	/* arraymap.c: array_map_delete_elem */
	if (key >= b->entries)
		return op == OP_UPDATE ? -E2BIG : -ENOENT;	/* out of range */
	if (op == OP_UPDATE) {
		b->array[key] = value_of(key);
		return 0;
	}
	return lookup_got(0, b->array[key], key);
}

static int floor_pass(struct bench *b, enum op op)
{
	__u32 i;
	int ret;

	for (i = 0; i < b->entries; i++) {
		if (b->type == BPF_MAP_TYPE_HASH)
			ret = uthash_op(b, op, b->keys[i]);
		else
			ret = array_op(b, op, b->keys[i]);
		check(b, M_FLOOR, op, i, ret);
	}
	return 0;
}

static int method_pass(struct bench *b, enum method m, enum op op)
{
	switch (m) {
	case M_SYSCALL:
		return api_pass(b, &kernel_api, m, b->kfd, op);
	case M_TESTRUN:
		return testrun_pass(b, op);
	case M_EMU:
		return api_pass(b, &emu_api, m, b->efd, op);
	default:
		return floor_pass(b, op);
	}
}

/* The executor's bpf_stats, when BPF_ENABLE_STATS is on; else zeros. */
static void stats_read(struct bench *b, __u64 *cnt, __u64 *ns)
{
	int err;

	*cnt = 0;
	*ns = 0;
	if (stats_fd < 0)
		return;
	err = exec_stats(b->exec, cnt, ns);
	if (!err)
		return;
	printf("note: no executor cost: exec_stats: %s\n", strerror(-err));
	close(stats_fd);
	stats_fd = -1;
}

/*
 * One measurement of one method: b->rounds passes of update (fills the
 * map), lookup (every key present) and delete (empties a HASH), each op
 * timed on its own. A HASH is empty again afterwards, so every rep and
 * every method starts from the same state.
 */
static int measure(struct bench *b, enum method m, __u64 ns[OP__COUNT])
{
	__u64 t0, cnt0, cnt1, sns0, sns1;
	int round, op, err;

	for (round = 0; round < b->rounds; round++) {
		for (op = 0; op < OP__COUNT; op++) {
			if (m == M_TESTRUN)
				stats_read(b, &cnt0, &sns0);
			t0 = now_ns();
			err = method_pass(b, m, op);
			ns[op] += now_ns() - t0;
			if (err)
				return err;
			b->recorded[op] = true;
			if (m != M_TESTRUN)
				continue;
			stats_read(b, &cnt1, &sns1);
			b->stats_cnt[op] += cnt1 - cnt0;
			b->stats_ns[op] += sns1 - sns0;
			b->stats_ops[op] += b->entries;
		}
	}
	return 0;
}

/* dlsym()ed calls must be the emulator's: its map fd is no kernel map. */
static int emu_verify(int efd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (!bpf_obj_get_info_by_fd(efd, &info, &len)) {
		fprintf(stderr,
			"bpfemu-bench: the emulator's bpf_map_create gave a kernel map (id %u): wrong library\n",
			info.id);
		return -EINVAL;
	}
	if (emu_live_maps() != 1) {
		fprintf(stderr,
			"bpfemu-bench: the emulator counts %u live maps, expected 1\n",
			emu_live_maps());
		return -EINVAL;
	}
	return 0;
}

static int maps_open(struct bench *b)
{
	char log[BENCH_LOG_LEN] = "";
	struct exec_opts opts = {
		.sz = sizeof(opts),
		.fns = EXEC_FN_BIT(EXEC_LOOKUP) | EXEC_FN_BIT(EXEC_UPDATE) |
		       EXEC_FN_BIT(EXEC_DELETE),
		.capacity = BENCH_BATCH,
		.log = log,
		.log_len = sizeof(log),
	};
	/* lpm_trie.c: trie_alloc takes only BPF_F_NO_PREALLOC tries */
	LIBBPF_OPTS(bpf_map_create_opts, create_opts,
		    .map_flags = b->type == BPF_MAP_TYPE_LPM_TRIE ?
				 BPF_F_NO_PREALLOC : 0);
	int err;

	b->kfd = bpf_map_create(b->type, "bench", b->key_size, sizeof(__u64),
				b->entries, &create_opts);
	if (b->kfd < 0) {
		fprintf(stderr, "bpfemu-bench: kernel %s map of %u: %s\n",
			type_name(b), b->entries, strerror(-b->kfd));
		return b->kfd;
	}
	b->efd = emu_api.map_create(b->type, "bench", b->key_size,
				    sizeof(__u64), b->entries, &create_opts);
	if (b->efd < 0) {
		fprintf(stderr, "bpfemu-bench: emulated %s map of %u: %s\n",
			type_name(b), b->entries, strerror(-b->efd));
		return b->efd;
	}
	err = emu_verify(b->efd);
	if (err)
		return err;
	err = exec_open(&b->exec, b->kfd, &opts);
	if (err) {
		fprintf(stderr, "bpfemu-bench: exec_open: %s%s%s\n",
			strerror(-err), log[0] ? ": " : "", log);
		return err;
	}
	return 0;
}

static int bench_init(struct bench *b, const struct bench_def *def)
{
	__u32 entries = def->entries, i;
	int op;

	memset(b, 0, sizeof(*b));
	b->type = def->type;
	b->key_size = def->key_size;
	b->entries = entries;
	b->reps = entries >= BENCH_BIG ? BENCH_REPS_BIG : BENCH_REPS;
	b->rounds = entries < BENCH_MIN_OPS ? BENCH_MIN_OPS / entries : 1;
	b->kfd = -1;
	b->efd = -1;
	b->keys = malloc(entries * sizeof(*b->keys));
	if (!b->keys)
		return -ENOMEM;
	shuffle_keys(b->keys, entries);
	for (op = 0; op < OP__COUNT; op++) {
		b->expect[op] = malloc(entries * sizeof(*b->expect[op]));
		if (!b->expect[op])
			return -ENOMEM;
	}
	if (b->type == BPF_MAP_TYPE_ARRAY) {
		b->array = calloc(entries, sizeof(*b->array));
		if (!b->array)
			return -ENOMEM;
	}
	if (b->type == BPF_MAP_TYPE_LPM_TRIE) {
		b->lpm_keys = malloc((size_t)entries * b->key_size);
		if (!b->lpm_keys)
			return -ENOMEM;
		for (i = 0; i < entries; i++)
			lpm_key(i, b->key_size, b->lpm_keys +
						(size_t)i * b->key_size);
	}
	return maps_open(b);
}

static int bench_fini(struct bench *b)
{
	struct floor_elem *el, *tmp;
	int op, err = 0;

	HASH_ITER(hh, b->uthash, el, tmp) {
		HASH_DEL(b->uthash, el);
		free(el);
	}
	if (b->exec)
		exec_close(b->exec);
	if (b->kfd >= 0)
		close(b->kfd);
	if (b->efd >= 0)
		close(b->efd);
	if (emu_live_maps() != 0) {
		fprintf(stderr, "bpfemu-bench: the emulator still holds %u maps\n",
			emu_live_maps());
		err = -EBUSY;	/* a map outlived its last fd: a leak */
	}
	for (op = 0; op < OP__COUNT; op++)
		free(b->expect[op]);
	free(b->array);
	free(b->lpm_keys);
	free(b->keys);
	return err;
}

static double mops(const struct bench *b, enum method m, enum op op)
{
	return (double)b->entries * b->rounds * 1e3 / b->best_ns[m][op];
}

/* The kernel's answer when it is not success: the row measures it anyway. */
static void print_kernel_note(const struct bench *b, enum op op)
{
	__u32 i, failed = 0;
	int first = 0;

	for (i = 0; i < b->entries; i++) {
		if (!b->expect[op][i])
			continue;
		if (!failed++)
			first = b->expect[op][i];
	}
	if (failed)
		printf("  [kernel: %s on %u of %u, measured anyway]",
		       err_name(first), failed, b->entries);
}

static void note_ratio(const struct bench *b, enum op op, double ratio)
{
	if (min_ratio >= 0 && ratio >= min_ratio)
		return;
	min_ratio = ratio;
	snprintf(min_ratio_row, sizeof(min_ratio_row), "%s %u %s",
		 type_name(b), b->entries, op_name[op]);
}

static void print_row(const struct bench *b, enum op op)
{
	double emu = mops(b, M_EMU, op), sys = mops(b, M_SYSCALL, op);
	double run = mops(b, M_TESTRUN, op);
	double flo = has_floor(b) ? mops(b, M_FLOOR, op) : 0;

	printf("%-6s %8u  %-6s  emu %6.2f M/s  syscall %6.2f M/s  test-run %6.2f M/s  %-6s %7.2f M/s   test-run/syscall %5.1fx  emu/syscall %5.2fx  %s/test-run %5.1fx",
	       type_name(b), b->entries, op_name[op], emu, sys, run,
	       floor_name(b), flo, run / sys, emu / sys,
	       floor_name(b), flo / run);
	print_kernel_note(b, op);
	printf("\n");
	note_ratio(b, op, run / sys);
}

static const char *const method_name[M__COUNT] = {
	[M_SYSCALL] = "syscall",
	[M_TESTRUN] = "test-run",
	[M_EMU] = "emu",
	[M_FLOOR] = "floor",
};

static void print_mismatches(const struct bench *b)
{
	const struct mismatch *mm;
	int m, op;

	for (m = 0; m < M__COUNT; m++) {
		for (op = 0; op < OP__COUNT; op++) {
			if (!b->mismatches[m][op])
				continue;
			any_mismatch = true;
			mm = &b->first[m][op];
			printf("  MISMATCH %s %u %s %s: %llu ops differ from the kernel's syscall answer; first key %u: %s",
			       type_name(b), b->entries, op_name[op],
			       method_name[m],
			       (unsigned long long)b->mismatches[m][op],
			       mm->key, err_name(mm->got));
			printf(", kernel %s\n", err_name(mm->want));
		}
	}
}

static int bench_run(struct bench *b)
{
	__u64 ns[OP__COUNT];
	int rep, m, op, err;

	for (rep = 0; rep < b->reps; rep++) {
		for (m = 0; m < M__COUNT; m++) {
			if (m == M_FLOOR && !has_floor(b))
				continue;
			memset(ns, 0, sizeof(ns));
			err = measure(b, m, ns);
			if (err)
				return err;
			for (op = 0; op < OP__COUNT; op++) {
				if (!rep || ns[op] < b->best_ns[m][op])
					b->best_ns[m][op] = ns[op];
				if (m == M_TESTRUN)
					b->testrun_ns[op] += ns[op];
			}
		}
	}
	return 0;
}

struct stats_row {
	const char *type;
	__u32 entries;
	__u64 cnt, ns, ops, testrun_ns;
};

static struct stats_row stats_rows[ARRAY_SIZE(bench_defs) * OP__COUNT];
static int nr_stats_rows;

static void keep_stats(const struct bench *b)
{
	struct stats_row *r;
	int op;

	for (op = 0; op < OP__COUNT; op++) {
		r = &stats_rows[nr_stats_rows++];
		r->type = type_name(b);
		r->entries = b->entries;
		r->cnt = b->stats_cnt[op];
		r->ns = b->stats_ns[op];
		r->ops = b->stats_ops[op];
		r->testrun_ns = b->testrun_ns[op];
	}
}

static int bench_case(const struct bench_def *def)
{
	struct bench b;
	int op, err, err2;

	err = bench_init(&b, def);
	if (!err)
		err = bench_run(&b);
	if (!err) {
		for (op = 0; op < OP__COUNT; op++)
			print_row(&b, op);
		print_mismatches(&b);
		keep_stats(&b);
		fflush(stdout);
	}
	err2 = bench_fini(&b);
	return err ? err : err2;
}

static void print_stats(void)
{
	const struct stats_row *r;
	int i;

	if (stats_fd < 0)
		return;
	printf("\nexecutor's own cost (bpf_stats, BPF_ENABLE_STATS: run_time_ns / ops, over every rep):\n");
	for (i = 0; i < nr_stats_rows; i++) {
		r = &stats_rows[i];
		printf("%-6s %8u  %-6s  %7.1f ns/op  run_cnt %6llu  ops %9llu  = %3.0f%% of the test-run time\n",
		       r->type, r->entries,
		       op_name[i % OP__COUNT],
		       r->ops ? (double)r->ns / r->ops : 0.0,
		       (unsigned long long)r->cnt, (unsigned long long)r->ops,
		       r->testrun_ns ? 100.0 * r->ns / r->testrun_ns : 0.0);
	}
}

static void print_summary(void)
{
	struct utsname u;

	printf("\nverdict: batched test-run per op vs one syscall per op, the minimum over every lookup/update/delete row: %.1fx (%s): %s\n",
	       min_ratio, min_ratio_row,
	       min_ratio >= 4.0 ? "at least 4x faster" : "NOT 4x faster");
	uname(&u);
	printf("machine: %s %s %s, %ld CPUs online; process and test runs pinned to CPU %d\n",
	       u.sysname, u.release, u.machine, sysconf(_SC_NPROCESSORS_ONLN),
	       BENCH_CPU);
	printf("method: CLOCK_MONOTONIC, best of %d reps (of %d from %d entries); a smaller map's pass is repeated to %d ops per measurement; keys 0..N-1 shuffled (seed %#x), one order for every method; every result checked against the kernel's syscall answer\n",
	       BENCH_REPS, BENCH_REPS_BIG, BENCH_BIG, BENCH_MIN_OPS,
	       BENCH_SEED);
}

static void *emu_sym(void *lib, const char *name)
{
	void *sym = dlsym(lib, name);

	if (!sym)
		fprintf(stderr, "bpfemu-bench: %s\n", dlerror());
	return sym;
}

/* RTLD_DEEPBIND: the emulator's calls to its own names stay inside it. */
static void *emu_load(const char *path)
{
	void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);

	if (!lib) {
		fprintf(stderr,
			"bpfemu-bench: cannot load the emulator: %s (make lib builds it)\n",
			dlerror());
		return NULL;
	}
	emu_api.map_create = emu_sym(lib, "bpf_map_create");
	emu_api.update = emu_sym(lib, "bpf_map_update_elem");
	emu_api.lookup = emu_sym(lib, "bpf_map_lookup_elem");
	emu_api.delete = emu_sym(lib, "bpf_map_delete_elem");
	emu_live_maps = emu_sym(lib, "bpfemu_live_maps");
	if (!emu_api.map_create || !emu_api.update || !emu_api.lookup ||
	    !emu_api.delete || !emu_live_maps) {
		dlclose(lib);
		return NULL;
	}
	return lib;
}

/* The kernel columns need BPF: fail early with the reason. */
static int kernel_check(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, sizeof(__u32),
				sizeof(__u64), 1, NULL);

	if (fd < 0) {
		fprintf(stderr,
			"bpfemu-bench: the kernel columns need root or CAP_BPF: bpf_map_create: %s\n",
			strerror(-fd));
		return fd;
	}
	close(fd);
	return 0;
}

static int pin_cpu(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(BENCH_CPU, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		int err = -errno;	/* EINVAL: CPU 0 not allowed here */

		fprintf(stderr, "bpfemu-bench: pinning to CPU %d: %s\n",
			BENCH_CPU, strerror(-err));
		return err;
	}
	return 0;
}

static void stats_enable(void)
{
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0)
		printf("note: no executor cost: BPF_ENABLE_STATS: %s (needs CAP_SYS_ADMIN)\n",
		       strerror(-stats_fd));
}

static int bench_all(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(bench_defs); i++) {
		err = bench_case(&bench_defs[i]);
		if (err)
			return err;
	}
	return 0;
}

int main(int argc, char **argv)
{
	void *lib;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-OF-libbpfemu.so\n", argv[0]);
		return 2;
	}
	lib = emu_load(argv[1]);
	if (!lib)
		return 1;
	err = pin_cpu();
	if (!err)
		err = kernel_check();
	if (err) {
		dlclose(lib);
		return 1;
	}
	stats_enable();
	printf("map ops per second, 4-byte keys (LPM_TRIE: 8 for IPv4, 20 for IPv6), 8-byte values: emu = libbpfemu's libbpf API, syscall = one bpf(2) per op, test-run = the executor, %d records per BPF_PROG_TEST_RUN (filling and checking them included), floor = uthash (malloc per insert) for HASH, a C array for ARRAY\n",
	       BENCH_BATCH);
	fflush(stdout);
	err = bench_all();
	if (!err) {
		print_stats();
		print_summary();
	}
	if (stats_fd >= 0)
		close(stats_fd);
	dlclose(lib);
	if (err)
		return 1;
	return any_mismatch ? 1 : 0;
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The executor: one raw_tp program that calls the map helpers on the map
 * `target` for a batch of records in the BPF_F_MMAPABLE array `ops`
 * (layout in exec_abi.h), run by BPF_PROG_TEST_RUN on a chosen CPU
 * (BPF_F_TEST_RUN_ON_CPU). The loader (exec.c) binds `target` to an
 * existing map and sets the constants below before the load.
 *
 * raw_tp: of the program types BPF_PROG_TEST_RUN runs, it is the one
 * that takes a CPU to run on (net/bpf/test_run.c:
 * bpf_prog_test_run_raw_tp), and it is never sleepable, so it may use
 * every map type (libbpf loads SEC("syscall") sleepable, and a sleepable
 * program may not use LPM_TRIE, QUEUE, STACK or BLOOM_FILTER maps,
 * verifier.c: check_map_prog_compatibility).
 */
#include <linux/bpf.h>
#include <linux/errno.h>
#include <bpf/bpf_helpers.h>

#include "exec_abi.h"

#define ROUND8(n)	(((n) + 7) & ~7U)

/*
 * .rodata is frozen before the load, so the verifier reads these as
 * constants (verifier.c: bpf_map_direct_read): record offsets and copy
 * lengths are then known, and the helper branches `fns` leaves out are
 * dead code it never checks. A helper the map type does not take is
 * refused even in a branch no record selects ("cannot pass map_type 1
 * into func bpf_map_push_elem"), hence one mask bit per helper.
 */
const volatile __u32 key_size = 0;
const volatile __u32 value_size = 0;
const volatile __u32 fns = 0;

/* Bound to an existing map with bpf_map__reuse_fd(): no BTF types. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(key_size, 4);
	__uint(value_size, 8);
	__uint(max_entries, 1);
} target SEC(".maps");

/* value_size and max_entries are set by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, EXEC_HDR + 8 + 2 * 8);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
} ops SEC(".maps");

/*
 * value_size bytes from src to dst with direct loads and stores, so the
 * verifier applies BPF_F_RDONLY_PROG / BPF_F_WRONLY_PROG to them as to
 * any program touching its value (verifier.c: check_map_access_type).
 * The barrier keeps clang from folding the loops into a memcpy() call of
 * non-constant length, which the BPF backend cannot emit; the second
 * bound of each loop holds even if the verifier lost the constant.
 */
static __always_inline void exec_copy_value(__u8 *dst, const __u8 *src)
{
	__u32 words = value_size / 8, i;

	for (i = 0; i < words && i < EXEC_VALUE_MAX / 8; i++) {
		((__u64 *)dst)[i] = ((const __u64 *)src)[i];
		asm volatile("" ::: "memory");
	}
	for (i = words * 8; i < value_size && i < EXEC_VALUE_MAX; i++) {
		dst[i] = src[i];
		asm volatile("" ::: "memory");
	}
}

/*
 * A lookup as a program does it: read the value through the returned
 * pointer into out, then (EXEC_LOOKUP_WRITE) store `in` through it.
 */
static __always_inline long exec_lookup_done(__u8 *p, __u8 *out,
					     const __u8 *in)
{
	if (!p)
		return -ENOENT;	/* NULL: no such element */
	exec_copy_value(out, p);
	if (in)
		exec_copy_value(p, in);
	return 0;
}

static __always_inline long exec_call(struct exec_hdr *h, __u8 *key,
				      __u8 *val, __u8 *out)
{
	__u32 fn = h->fn;

	if ((fns & EXEC_FN_BIT(EXEC_LOOKUP)) && fn == EXEC_LOOKUP)
		return exec_lookup_done(bpf_map_lookup_elem(&target, key),
					out, NULL);
	if ((fns & EXEC_FN_BIT(EXEC_LOOKUP_WRITE)) && fn == EXEC_LOOKUP_WRITE)
		return exec_lookup_done(bpf_map_lookup_elem(&target, key),
					out, val);
	if ((fns & EXEC_FN_BIT(EXEC_LOOKUP_PERCPU)) &&
	    fn == EXEC_LOOKUP_PERCPU)
		return exec_lookup_done(bpf_map_lookup_percpu_elem(&target, key,
								   h->arg),
					out, NULL);
	if ((fns & EXEC_FN_BIT(EXEC_UPDATE)) && fn == EXEC_UPDATE)
		return bpf_map_update_elem(&target, key, val, h->flags);
	if ((fns & EXEC_FN_BIT(EXEC_DELETE)) && fn == EXEC_DELETE)
		return bpf_map_delete_elem(&target, key);
	if ((fns & EXEC_FN_BIT(EXEC_PUSH)) && fn == EXEC_PUSH)
		return bpf_map_push_elem(&target, val, h->flags);
	if ((fns & EXEC_FN_BIT(EXEC_POP)) && fn == EXEC_POP)
		return bpf_map_pop_elem(&target, out);
	if ((fns & EXEC_FN_BIT(EXEC_PEEK)) && fn == EXEC_PEEK)
		return bpf_map_peek_elem(&target, out);
	return -EOPNOTSUPP;	/* loaded without that helper */
}

/* bpf_loop() callback: record idx. Pointers into a map value are valid
 * helper arguments, so key, value and out never touch the stack. */
static long exec_one(__u32 idx, void *unused)
{
	struct exec_hdr *h;
	__u8 *rec, *key, *val, *out;

	rec = bpf_map_lookup_elem(&ops, &idx);
	if (!rec)
		return 1;	/* past the capacity: stop, retval tells */
	h = (struct exec_hdr *)rec;
	/*
	 * QUEUE, STACK and BLOOM_FILTER have key_size 0: the verifier then
	 * refuses lookup/update/delete with EACCES (a 0-byte key access)
	 * before it checks the map type, whatever the key points to.
	 */
	key = rec + EXEC_HDR;
	val = key + ROUND8(key_size);
	out = val + ROUND8(value_size);
	/* helpers return long; 6.1 gives int errors zero-extended */
	h->ret = (int)exec_call(h, key, val, out);
	h->done = 1;
	return 0;
}

/* ctx->args[0]: how many records to run. Returns how many ran. */
SEC("raw_tp")
int map_exec(struct bpf_raw_tracepoint_args *ctx)
{
	/*
	 * Name `target` before any other map: the kernel drops a freed
	 * program's maps in that order, and exec.c waits for the last of
	 * them to go to know that `target` went (exec_find_fence()).
	 */
	asm volatile("" : : "r"(&target));
	return bpf_loop(ctx->args[0], exec_one, NULL, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

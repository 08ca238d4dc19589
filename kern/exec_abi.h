/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The executor's ABI, shared by the BPF program (map_exec.bpf.c) and its
 * user-space loader (exec.c): one record per operation in the
 * BPF_F_MMAPABLE `ops` array. User space writes fn/arg/flags and the
 * inputs, runs the program once for n records, and reads ret and out.
 *
 * Record layout (all offsets multiples of 8):
 *   [0, EXEC_HDR)                         struct exec_hdr
 *   [EXEC_HDR, +round_up(key_size, 8))    key
 *   [.., +round_up(value_size, 8))        value (input)
 *   [.., +round_up(value_size, 8))        out (output)
 */
#ifndef __KERN_EXEC_ABI_H
#define __KERN_EXEC_ABI_H

#include <linux/types.h>

enum exec_fn {
	EXEC_LOOKUP,		/* bpf_map_lookup_elem, read value_size bytes */
	EXEC_LOOKUP_WRITE,	/* ... then write `value` through the pointer */
	EXEC_UPDATE,		/* bpf_map_update_elem(key, value, flags) */
	EXEC_DELETE,		/* bpf_map_delete_elem(key) */
	EXEC_PUSH,		/* bpf_map_push_elem(value, flags) */
	EXEC_POP,		/* bpf_map_pop_elem(out) */
	EXEC_PEEK,		/* bpf_map_peek_elem(out) */
	EXEC_LOOKUP_PERCPU,	/* bpf_map_lookup_percpu_elem(key, arg) */
	EXEC_FN__COUNT
};

/* The set of helpers a loaded executor contains: 1 << enum exec_fn. */
#define EXEC_FN_BIT(fn)		(1U << (fn))

struct exec_hdr {
	__u32 fn;		/* enum exec_fn */
	__u32 arg;		/* EXEC_LOOKUP_PERCPU: the CPU */
	__u64 flags;		/* EXEC_UPDATE, EXEC_PUSH */
	__s64 ret;		/* helper return, sign-extended from int;
				 * lookups: 0 found, -ENOENT for NULL */
	__u32 done;		/* set by the program: 1 */
	__u32 pad;
};

#define EXEC_HDR		sizeof(struct exec_hdr)	/* 32 */
#define EXEC_KEY_MAX		512	/* MAX_BPF_STACK: the largest key */
#define EXEC_VALUE_MAX		4096	/* the loader's limit on value_size */

#endif /* __KERN_EXEC_ABI_H */

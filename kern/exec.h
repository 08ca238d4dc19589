/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The executor's loader: binds map_exec.bpf.c to one existing kernel map
 * (by fd) and runs batches of helper calls on it through
 * BPF_PROG_TEST_RUN, on a chosen CPU. Used by the harness's test-run
 * backend and by the benchmark. Links against the system libbpf.
 */
#ifndef __KERN_EXEC_H
#define __KERN_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "exec_abi.h"

struct exec;

struct exec_opts {
	size_t sz;		/* sizeof(struct exec_opts) */
	__u32 fns;		/* EXEC_FN_BIT()s the program may call */
	__u32 capacity;		/* records per run (ops max_entries), >= 1 */
	char *log;		/* if set, the reason a load failed */
	size_t log_len;
};
#define exec_opts__last_field log_len

/*
 * Loads an executor for the map behind map_fd (its type and sizes come
 * from the map itself). Returns 0, or -errno: the errno BPF_PROG_LOAD
 * gave when the verifier refuses the program (e.g. -EINVAL for a helper
 * the map type does not take, -EACCES for a write into a
 * BPF_F_RDONLY_PROG map), -E2BIG for sizes beyond EXEC_KEY_MAX /
 * EXEC_VALUE_MAX, other -errno for anything else. opts->log says why.
 */
int exec_open(struct exec **ep, int map_fd, const struct exec_opts *opts);

/*
 * The helpers the verifier takes for a map of this type (verifier.c:
 * check_map_func_compatibility, the map's side), 0 for a type not known
 * here. A guess that saves loads: a caller whose load of the whole set
 * is refused (an access flag, a frozen map) loads one helper at a time.
 */
__u32 exec_type_fns(__u32 map_type);

/*
 * Frees the executor. The kernel puts the program's maps (the bound map
 * among them) only a grace period later (core.c: bpf_prog_free_deferred):
 * until then a map whose last fd the caller closes is still alive, and
 * MAP_GET_FD_BY_ID finds it. Returns a fence for exec_wait_released(),
 * or 0 for none.
 */
__u32 exec_close(struct exec *e);
/* Waits until the maps of the executor closed with this fence are put. */
void exec_wait_released(__u32 fence);

/* Is id one of the executor's own maps (they show in MAP_GET_NEXT_ID)? */
bool exec_owns_map_id(const struct exec *e, __u32 id);

/* The record of op i (EXEC_HDR + key + value + out bytes), in the mmap. */
struct exec_hdr *exec_rec(struct exec *e, __u32 i);
void *exec_rec_key(struct exec *e, __u32 i);
void *exec_rec_value(struct exec *e, __u32 i);
void *exec_rec_out(struct exec *e, __u32 i);
__u32 exec_key_size(const struct exec *e);
__u32 exec_value_size(const struct exec *e);

/*
 * Runs records [0, n) in order in one BPF_PROG_TEST_RUN on CPU cpu
 * (BPF_F_TEST_RUN_ON_CPU), clearing each record's done first. Returns 0
 * once every record has ret and out, or -errno if the run itself failed
 * (ENXIO: no such CPU).
 */
int exec_run(struct exec *e, __u32 n, __u32 cpu);

/* The program's run_cnt and run_time_ns (needs BPF_ENABLE_STATS on). */
int exec_stats(const struct exec *e, __u64 *run_cnt, __u64 *run_time_ns);

#endif /* __KERN_EXEC_H */

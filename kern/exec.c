// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The executor's loader (exec.h): binds map_exec.bpf.c to an existing
 * map, maps its record array and runs it with BPF_PROG_TEST_RUN.
 *
 * Limits, each named where it is checked:
 *   key_size <= EXEC_KEY_MAX, value_size <= EXEC_VALUE_MAX (-E2BIG);
 *   capacity <= EXEC_CAPACITY_MAX, bpf_loop()'s BPF_MAX_LOOPS (-E2BIG);
 *   the ops array (capacity records) must be one the kernel creates;
 *   a refusal's verifier log up to EXEC_LOG_SIZE, else -ENOSPC (below).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "exec.h"
#include "map_exec.skel.h"

#define ROUND8(n)		(((n) + 7) & ~7U)
#define ARRAY_LEN(a)		(sizeof(a) / sizeof((a)[0]))
#ifndef offsetofend
#define offsetofend(type, field) \
	(offsetof(type, field) + sizeof(((type *)0)->field))
#endif
/* helpers.c: bpf_loop() refuses more than BPF_MAX_LOOPS (1 << 23) */
#define EXEC_CAPACITY_MAX	(1U << 23)
/*
 * The verifier log of a refused load (libbpf loads once without a log,
 * then again with log_level 1 into this buffer). A log that does not fit
 * turns the verdict into ENOSPC (verifier.c: bpf_check, the log's
 * finalization wins), so exec_open() reports that as its own failure.
 * One buffer for the process, allocated zeroed once (so that valgrind
 * sees the kernel-written log as defined, toolchain.md section 6): zeroing
 * 16 MiB at every load was most of a load's cost in user space.
 */
#define EXEC_LOG_SIZE		(16U << 20)
/* how long exec_close() waits for the kernel to drop the program's maps */
#define EXEC_RELEASE_WAIT_NS	(5ULL * 1000 * 1000 * 1000)

struct exec {
	struct map_exec *skel;
	__u8 *recs;		/* the ops array, mmap()ed */
	size_t recs_len;
	__u32 key_size;
	__u32 value_size;
	__u32 rec_size;
	__u32 capacity;
	__u32 fence_id;		/* see exec_find_fence() */
	__u32 own_ids[7];	/* the program's maps other than `target` */
	__u32 n_own;
};

/* ---- messages ----------------------------------------------------------- */

/* Where exec_open() says why it failed: opts->log, if given. */
struct exec_log {
	char *buf;
	size_t len;
};

static void exec_logf(struct exec_log *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void exec_logf(struct exec_log *log, const char *fmt, ...)
{
	va_list ap;

	if (!log->buf || !log->len)
		return;
	va_start(ap, fmt);
	vsnprintf(log->buf, log->len, fmt, ap);
	va_end(ap);
}

static bool exec_log_noise(const char *line, size_t len)
{
	static const char *const noise[] = {
		"processed ", "verification time", "stack depth",
	};
	size_t i;

	if (!len)
		return true;
	for (i = 0; i < ARRAY_LEN(noise); i++)
		if (!strncmp(line, noise[i], strlen(noise[i])))
			return true;
	return false;
}

/*
 * The verifier's last word: the last line of its log that is not a
 * statistic is the line saying why it refused the program.
 */
static void exec_log_reason(struct exec_log *log, const char *text)
{
	const char *end = text + strlen(text), *start;

	while (end > text) {
		start = end;
		while (start > text && start[-1] != '\n')
			start--;
		if (!exec_log_noise(start, (size_t)(end - start))) {
			exec_logf(log, "verifier: %.*s", (int)(end - start),
				  start);
			return;
		}
		end = start > text ? start - 1 : text;
	}
	exec_logf(log, "verifier: (no log)");
}

/* libbpf's own messages: silent, unless BPFEMU_DEBUG is set. */
static int exec_print(enum libbpf_print_level level, const char *fmt,
		      va_list ap)
{
	if (!getenv("BPFEMU_DEBUG"))
		return 0;
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

/* ---- loading ----------------------------------------------------------- */

__u32 exec_type_fns(__u32 map_type)
{
	const __u32 elem = EXEC_FN_BIT(EXEC_LOOKUP) |
			   EXEC_FN_BIT(EXEC_LOOKUP_WRITE) |
			   EXEC_FN_BIT(EXEC_UPDATE) | EXEC_FN_BIT(EXEC_DELETE);

	switch (map_type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LPM_TRIE:
		return elem;
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		/* bpf_map_lookup_percpu_elem: the per-CPU kinds only */
		return elem | EXEC_FN_BIT(EXEC_LOOKUP_PERCPU);
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return EXEC_FN_BIT(EXEC_PUSH) | EXEC_FN_BIT(EXEC_POP) |
		       EXEC_FN_BIT(EXEC_PEEK);
	case BPF_MAP_TYPE_BLOOM_FILTER:
		return EXEC_FN_BIT(EXEC_PUSH) | EXEC_FN_BIT(EXEC_PEEK);
	default:
		return 0;
	}
}

static int exec_check_opts(const struct exec_opts *opts, struct exec_log *log)
{
	const char *p;

	if (!opts || opts->sz < offsetofend(struct exec_opts, capacity)) {
		exec_logf(log, "exec_open: opts missing or too small");
		return -EINVAL;	/* as libbpf: opts are required */
	}
	/* bytes past the fields we know must be zero (libbpf's OPTS_VALID) */
	for (p = (const char *)opts + sizeof(*opts);
	     p < (const char *)opts + opts->sz; p++)
		if (*p) {
			exec_logf(log, "exec_open: unknown non-zero opts");
			return -EINVAL;	/* a field newer than us */
		}
	if (!opts->fns || opts->fns >= EXEC_FN_BIT(EXEC_FN__COUNT)) {
		exec_logf(log, "exec_open: fns 0x%x: none or unknown helpers",
			  opts->fns);
		return -EINVAL;	/* nothing to call, or no such fn */
	}
	if (!opts->capacity || opts->capacity > EXEC_CAPACITY_MAX) {
		exec_logf(log, "exec_open: capacity %u not in 1..%u "
			  "(bpf_loop's BPF_MAX_LOOPS)", opts->capacity,
			  EXEC_CAPACITY_MAX);
		return opts->capacity ? -E2BIG : -EINVAL; /* 0 or too many */
	}
	return 0;
}

static int exec_map_info(int map_fd, struct bpf_map_info *info,
			 struct exec_log *log)
{
	__u32 len = sizeof(*info);
	int err;

	memset(info, 0, sizeof(*info));
	err = bpf_obj_get_info_by_fd(map_fd, info, &len);
	if (err) {
		exec_logf(log, "map fd %d: info: %s", map_fd, strerror(-err));
		return err;
	}
	if (info->key_size > EXEC_KEY_MAX) {
		exec_logf(log, "key_size %u > EXEC_KEY_MAX %u", info->key_size,
			  EXEC_KEY_MAX);
		return -E2BIG;	/* a record holds at most EXEC_KEY_MAX */
	}
	if (info->value_size > EXEC_VALUE_MAX) {
		exec_logf(log, "value_size %u > EXEC_VALUE_MAX %u",
			  info->value_size, EXEC_VALUE_MAX);
		return -E2BIG;	/* the copy loops stop at EXEC_VALUE_MAX */
	}
	return 0;
}

/*
 * The kernel drops a freed program's map references late: after an RCU
 * grace period, from a work item, one map after the other in the order
 * the program first names them (core.c: bpf_prog_free_deferred,
 * __bpf_free_used_maps). Until then a map whose last fd is closed is
 * still alive, visible to MAP_GET_FD_BY_ID. The fence is a map of ours
 * named after `target`: once its id is gone, `target` was put too.
 */
static int exec_find_fence(struct exec *e, __u32 target_id,
			   struct exec_log *log)
{
	struct bpf_prog_info info;
	__u32 ids[8] = { 0 }, len = sizeof(info), i, n;
	int err;

	memset(&info, 0, sizeof(info));
	info.nr_map_ids = ARRAY_LEN(ids);
	info.map_ids = (__u64)(unsigned long)ids;
	err = bpf_obj_get_info_by_fd(bpf_program__fd(e->skel->progs.map_exec),
				     &info, &len);
	if (err) {
		exec_logf(log, "program info: %s", strerror(-err));
		return err;
	}
	n = info.nr_map_ids < ARRAY_LEN(ids) ? info.nr_map_ids : ARRAY_LEN(ids);
	for (i = 0; i < n && ids[i] != target_id; i++)
		;
	if (i + 1 >= n) {
		exec_logf(log, "the program does not name `target` before its "
			  "other maps: exec_close() could not wait for it");
		return -EPROTO;	/* map_exec.bpf.c: map_exec() names it first */
	}
	e->fence_id = ids[n - 1];
	for (i = 0; i < n; i++)
		if (ids[i] != target_id && e->n_own < ARRAY_LEN(e->own_ids))
			e->own_ids[e->n_own++] = ids[i];
	return 0;
}

/* The verifier log buffer (EXEC_LOG_SIZE), or NULL without memory. */
static char *exec_log_buf(void)
{
	static char *buf;

	if (!buf)
		buf = calloc(1, EXEC_LOG_SIZE);
	return buf;
}

static int exec_load(struct exec *e, int map_fd,
		     const struct bpf_map_info *info,
		     const struct exec_opts *opts, struct exec_log *log)
{
	struct map_exec *s;
	char *vlog;
	int err;

	s = map_exec__open();
	if (!s) {
		err = -errno;
		exec_logf(log, "opening the executor object: %s",
			  strerror(errno));
		return err;
	}
	e->skel = s;
	/* reuse_fd takes type, sizes and flags from the map itself */
	err = bpf_map__reuse_fd(s->maps.target, map_fd);
	if (err) {
		exec_logf(log, "binding map fd %d: %s", map_fd,
			  strerror(-err));
		return err;
	}
	err = bpf_map__set_value_size(s->maps.ops, e->rec_size);
	if (!err)
		err = bpf_map__set_max_entries(s->maps.ops, e->capacity);
	if (err)
		return err;
	s->rodata->key_size = info->key_size;
	s->rodata->value_size = info->value_size;
	s->rodata->fns = opts->fns;
	vlog = exec_log_buf();
	if (!vlog)
		return -ENOMEM;	/* the verifier log buffer */
	vlog[0] = '\0';
	bpf_program__set_log_buf(s->progs.map_exec, vlog, EXEC_LOG_SIZE);
	err = map_exec__load(s);
	if (err == -ENOSPC && vlog[0])
		exec_logf(log, "the verifier log outgrew EXEC_LOG_SIZE: its "
			  "verdict is lost");
	else if (err && vlog[0])
		exec_log_reason(log, vlog);	/* the kernel's verdict */
	else if (err)
		exec_logf(log, "load: %s", strerror(-err));
	if (err)
		return err;
	return exec_find_fence(e, info->id, log);
}

static int exec_map_recs(struct exec *e, struct exec_log *log)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *p;

	e->recs_len = ((size_t)e->rec_size * e->capacity + page - 1) &
		      ~(page - 1);
	p = mmap(NULL, e->recs_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		 bpf_map__fd(e->skel->maps.ops), 0);
	if (p == MAP_FAILED) {
		int err = -errno;

		exec_logf(log, "mmap of the ops array: %s", strerror(-err));
		return err;
	}
	e->recs = p;
	return 0;
}

int exec_open(struct exec **ep, int map_fd, const struct exec_opts *opts)
{
	struct exec_log log = { 0 };
	libbpf_print_fn_t old_print;
	struct bpf_map_info info;
	struct exec *e;
	int err;

	*ep = NULL;
	if (opts && opts->sz >= offsetofend(struct exec_opts, log_len) &&
	    opts->log && opts->log_len) {
		log.buf = opts->log;
		log.len = opts->log_len;
		log.buf[0] = '\0';
	}
	err = exec_check_opts(opts, &log);
	if (err)
		return err;
	err = exec_map_info(map_fd, &info, &log);
	if (err)
		return err;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;	/* struct exec */
	e->key_size = info.key_size;
	e->value_size = info.value_size;
	e->rec_size = EXEC_HDR + ROUND8(info.key_size) +
		      2 * ROUND8(info.value_size);
	e->capacity = opts->capacity;

	old_print = libbpf_set_print(exec_print);
	err = exec_load(e, map_fd, &info, opts, &log);
	libbpf_set_print(old_print);
	if (!err)
		err = exec_map_recs(e, &log);
	if (err) {
		exec_wait_released(exec_close(e));
		return err;
	}
	*ep = e;
	return 0;
}

/* ---- running ----------------------------------------------------------- */

struct exec_hdr *exec_rec(struct exec *e, __u32 i)
{
	if (i >= e->capacity)
		return NULL;
	return (struct exec_hdr *)(e->recs + (size_t)i * e->rec_size);
}

void *exec_rec_key(struct exec *e, __u32 i)
{
	__u8 *rec = (__u8 *)exec_rec(e, i);

	return rec ? rec + EXEC_HDR : NULL;
}

void *exec_rec_value(struct exec *e, __u32 i)
{
	__u8 *key = exec_rec_key(e, i);

	return key ? key + ROUND8(e->key_size) : NULL;
}

void *exec_rec_out(struct exec *e, __u32 i)
{
	__u8 *value = exec_rec_value(e, i);

	return value ? value + ROUND8(e->value_size) : NULL;
}

__u32 exec_key_size(const struct exec *e)
{
	return e->key_size;
}

__u32 exec_value_size(const struct exec *e)
{
	return e->value_size;
}

int exec_run(struct exec *e, __u32 n, __u32 cpu)
{
	__u64 args[1] = { n };
	LIBBPF_OPTS(bpf_test_run_opts, topts,
		.ctx_in = args,
		.ctx_size_in = sizeof(args),
		.flags = BPF_F_TEST_RUN_ON_CPU,
		.cpu = cpu,
	);
	__u32 i;
	int err;

	if (n > e->capacity)
		return -EINVAL;	/* more records than the ops array holds */
	for (i = 0; i < n; i++)
		exec_rec(e, i)->done = 0;
	err = bpf_prog_test_run_opts(bpf_program__fd(e->skel->progs.map_exec),
				     &topts);
	if (err)
		return err;	/* e.g. -ENXIO: no such CPU (test_run.c) */
	if (topts.retval != n)
		return -EIO;	/* the program stopped early: cannot happen */
	return 0;
}

int exec_stats(const struct exec *e, __u64 *run_cnt, __u64 *run_time_ns)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	int err;

	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info_by_fd(bpf_program__fd(e->skel->progs.map_exec),
				     &info, &len);
	if (err)
		return err;
	*run_cnt = info.run_cnt;
	*run_time_ns = info.run_time_ns;
	return 0;
}

/* ---- closing ----------------------------------------------------------- */

static __u64 exec_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

/*
 * Waits until the freed program has put the fence, hence the target map
 * (exec_find_fence()). Bounded by EXEC_RELEASE_WAIT_NS: past it the map
 * may outlive its fds a moment.
 */
void exec_wait_released(__u32 fence_id)
{
	__u64 deadline = exec_now_ns() + EXEC_RELEASE_WAIT_NS;
	useconds_t nap = 50;
	int fd;

	if (!fence_id)
		return;
	while ((fd = bpf_map_get_fd_by_id(fence_id)) >= 0) {
		close(fd);
		if (exec_now_ns() > deadline)
			return;
		usleep(nap);
		if (nap < 2000)
			nap *= 2;
	}
}

bool exec_owns_map_id(const struct exec *e, __u32 id)
{
	__u32 i;

	for (i = 0; i < e->n_own; i++)
		if (e->own_ids[i] == id)
			return true;
	return false;
}

__u32 exec_close(struct exec *e)
{
	__u32 fence_id;

	if (!e)
		return 0;
	fence_id = e->fence_id;
	if (e->recs)
		munmap(e->recs, e->recs_len);
	map_exec__destroy(e->skel);
	free(e);
	return fence_id;
}

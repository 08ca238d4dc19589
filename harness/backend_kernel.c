// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The live kernel through the raw bpf(2) syscall (not libbpf: the kernel
 * must see the very attr bytes the emulator sees). Pins go to a private
 * bpffs instance mounted for this run and removed at close, so no pin is
 * ever left on the host.
 */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "attr.h"
#include "backend.h"
#include "exec.h"

/* records per test run: consecutive ops of one helper share a run */
#define KEXEC_CAPACITY	32
/* closed executors whose maps the kernel may still hold, at most */
#define KEXEC_FENCES_MAX	64

/*
 * A loaded executor for one (map, helper), or the verifier's refusal of
 * it. Each holds a reference on its map (see kexec_drop()).
 */
struct kexec {
	uint32_t map_id;
	uint32_t fns;		/* EXEC_FN_BIT()s it was loaded with */
	struct exec *e;		/* NULL: refused with load_err */
	int load_err;
};

/* A closed executor whose map the kernel may not have put yet. */
struct kfence {
	uint32_t map_id;
	uint32_t fence;		/* exec_close()'s */
};

struct kernel_priv {
	char dir[64];
	bool made_dir;		/* dir is ours to remove */
	bool mounted;
	bool pinned;
	cpu_set_t saved_cpus;
	unsigned int cpu;	/* the CPU sys_bpf() calls run on */
	struct kexec *execs;
	size_t nexecs;
	uint32_t *retained;	/* ids of maps the caller keeps open */
	size_t nretained;
	struct kfence *fences;	/* closed executors, maps maybe not put */
	size_t nfences;
};

static bool kernel_retained(const struct kernel_priv *kp, uint32_t map_id)
{
	size_t i;

	for (i = 0; i < kp->nretained; i++)
		if (kp->retained[i] == map_id)
			return true;
	return false;
}

/*
 * A cached executor's program holds a reference on its map: a map whose
 * last fd or pin goes would outlive it on the kernel, not in the
 * emulator. So before close(2) and unlink(2) every executor is dropped,
 * but those of maps the caller retains (kernel_retain()): they cannot
 * die there. The kernel puts a dropped program's maps a grace period
 * later; only the id space shows that (MAP_GET_FD_BY_ID would still find
 * the map), so the fences are waited for before an id command
 * (kexec_settle()), not at every close.
 */
static void kexec_settle(struct kernel_priv *kp, uint32_t map_id);

static bool kexec_add_fence(struct kernel_priv *kp, uint32_t map_id,
			    uint32_t fence)
{
	struct kfence *v;

	/* most fences are long passed when one is waited for: keep few */
	if (kp->nfences >= KEXEC_FENCES_MAX)
		kexec_settle(kp, 0);
	v = realloc(kp->fences, (kp->nfences + 1) * sizeof(*v));
	if (!v)
		return false;
	kp->fences = v;
	kp->fences[kp->nfences++] = (struct kfence){ map_id, fence };
	return true;
}

/* Drops the executors of map_id (0: of every map not retained). */
static void kexec_drop(struct kernel_priv *kp, bool all, uint32_t map_id)
{
	size_t i, kept = 0;
	uint32_t fence, id;

	for (i = 0; i < kp->nexecs; i++) {
		id = kp->execs[i].map_id;
		if (map_id ? id != map_id : !all && kernel_retained(kp, id)) {
			kp->execs[kept++] = kp->execs[i];
			continue;
		}
		fence = exec_close(kp->execs[i].e);
		if (fence && !kexec_add_fence(kp, kp->execs[i].map_id, fence))
			exec_wait_released(fence);	/* no room: wait now */
	}
	kp->nexecs = kept;
}

/* Waits for the fences of map_id (0: of every map). */
static void kexec_settle(struct kernel_priv *kp, uint32_t map_id)
{
	size_t i, kept = 0;

	for (i = 0; i < kp->nfences; i++) {
		if (map_id && kp->fences[i].map_id != map_id)
			kp->fences[kept++] = kp->fences[i];
		else
			exec_wait_released(kp->fences[i].fence);
	}
	kp->nfences = kept;
}

/* Is id one of a live executor's own maps (ops array, .rodata)? */
static bool kexec_owns(const struct kernel_priv *kp, uint32_t id)
{
	size_t i;

	for (i = 0; i < kp->nexecs; i++)
		if (kp->execs[i].e && exec_owns_map_id(kp->execs[i].e, id))
			return true;
	return false;
}

/* MAP_GET_NEXT_ID as without executors: their own maps are skipped. */
static long kernel_next_id(struct kernel_priv *kp, void *attr,
			   unsigned int size)
{
	uint32_t start = get_u32(attr, A_ID_START);
	uint32_t next = get_u32(attr, A_ID_NEXT);
	long ret;
	int err;

	for (;;) {
		ret = syscall(__NR_bpf, BPF_MAP_GET_NEXT_ID, attr, size);
		if (ret < 0 || !kexec_owns(kp, get_u32(attr, A_ID_NEXT)))
			break;
		put_u32(attr, A_ID_START, get_u32(attr, A_ID_NEXT));
	}
	err = errno;
	put_u32(attr, A_ID_START, start);
	/* a failure writes nothing: not the id of a map it skipped */
	if (ret < 0)
		put_u32(attr, A_ID_NEXT, next);
	errno = err;
	return ret;
}

static int kernel_map_id(struct backend *be, int map_fd, uint32_t *id);

/*
 * The verifier reads a frozen BPF_F_RDONLY_PROG map as constants
 * (verifier.c: bpf_map_is_rdonly): a program loaded before the freeze is
 * not the one a program-side op after it stands for.
 */
static void kexec_drop_frozen(struct backend *be, int map_fd)
{
	int err = errno;
	uint32_t id;

	if (!kernel_map_id(be, map_fd, &id))
		kexec_drop(be->priv, false, id);
	errno = err;
}

static long kernel_sys_bpf(struct backend *be, int cmd, void *attr,
			   unsigned int size)
{
	struct kernel_priv *kp = be->priv;
	long ret;

	/* a map is gone from the id space once its executors' fences are */
	if (kp && cmd == BPF_MAP_GET_FD_BY_ID)
		kexec_settle(kp, size >= 4 ? get_u32(attr, A_ID_START) : 0);
	if (kp && cmd == BPF_MAP_GET_NEXT_ID)
		kexec_settle(kp, 0);
	if (kp && cmd == BPF_MAP_GET_NEXT_ID && size >= A_ID_NEXT + 4)
		return kernel_next_id(kp, attr, size);
	ret = syscall(__NR_bpf, cmd, attr, size);
	if (kp && cmd == BPF_MAP_FREEZE && ret == 0)
		kexec_drop_frozen(be, size >= 4 ? (int)get_u32(attr, 0) : 0);
	return ret;
}

/* Can this process create a map at all? Says why not in be->reason. */
static int kernel_probe(struct backend *be)
{
	uint64_t attr[ATTR_SIZE_DEFAULT / 8] = { 0 };
	long fd;
	int err;

	put_u32(attr, A_MAP_TYPE, BPF_MAP_TYPE_ARRAY);
	put_u32(attr, A_KEY_SIZE, 4);
	put_u32(attr, A_VALUE_SIZE, 4);
	put_u32(attr, A_MAX_ENTRIES, 1);
	fd = kernel_sys_bpf(be, BPF_MAP_CREATE, attr, sizeof(attr));
	if (fd >= 0) {
		close((int)fd);
		return 0;
	}
	err = errno;
	if (err == ENOSYS)
		snprintf(be->reason, sizeof(be->reason),
			 "bpf(2) is not available here (ENOSYS)");
	else if (err == EPERM)
		snprintf(be->reason, sizeof(be->reason),
			 "bpf(2) MAP_CREATE gives EPERM: no CAP_BPF / "
			 "CAP_SYS_ADMIN (run as root)");
	else
		snprintf(be->reason, sizeof(be->reason),
			 "bpf(2) MAP_CREATE of a 1-entry ARRAY fails: %s",
			 strerror(err));
	return -err;
}

/* Pins the calling thread to one CPU: 0, or -errno (EINVAL: not allowed). */
static int pin_to_cpu(unsigned int cpu)
{
	cpu_set_t one;

	if (cpu >= CPU_SETSIZE)
		return -EINVAL;	/* beyond what an affinity mask holds */
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one) ? -errno : 0;
}

/*
 * LRU maps hand out nodes from per-CPU lists: one CPU for the whole run
 * makes their eviction order repeatable. CPU 0, as the emulator's
 * default current CPU, so that per-CPU slots agree too.
 */
static int kernel_pin_cpu0(struct backend *be, struct kernel_priv *kp)
{
	int err;

	if (sched_getaffinity(0, sizeof(kp->saved_cpus), &kp->saved_cpus)) {
		err = -errno;
		snprintf(be->reason, sizeof(be->reason),
			 "sched_getaffinity: %s", strerror(-err));
		return err;
	}
	err = pin_to_cpu(0);
	if (err) {
		snprintf(be->reason, sizeof(be->reason),
			 "cannot run on CPU 0 (%s): the kernel backend runs "
			 "its sys_bpf calls there; allow CPU 0 (taskset)",
			 strerror(-err));
		return err;
	}
	kp->pinned = true;
	kp->cpu = 0;
	return 0;
}

static void kernel_remove_pins(const char *dir)
{
	struct dirent *de;
	char path[512];
	DIR *d;

	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) && errno == EISDIR)
			rmdir(path);
	}
	closedir(d);
}

static void kernel_close(struct backend *be)
{
	struct kernel_priv *kp = be->priv;

	if (!kp)
		return;
	kexec_drop(kp, true, 0);
	kexec_settle(kp, 0);
	free(kp->execs);
	free(kp->fences);
	free(kp->retained);
	if (kp->mounted) {
		kernel_remove_pins(kp->dir);
		if (umount2(kp->dir, 0))
			umount2(kp->dir, MNT_DETACH);
	}
	if (kp->made_dir)
		rmdir(kp->dir);
	if (kp->pinned)
		sched_setaffinity(0, sizeof(kp->saved_cpus), &kp->saved_cpus);
	free(kp);
	be->priv = NULL;
}

/*
 * A mount namespace of the harness's own: its bpffs then goes with the
 * process however it ends, a crash included, and no other process sees
 * it; so it can sit on /sys/fs/bpf itself, as the emulated one does.
 */
static bool private_mounts(void)
{
	struct stat st;

	return !unshare(CLONE_NEWNS) &&
	       !mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) &&
	       !stat("/sys/fs/bpf", &st) && S_ISDIR(st.st_mode);
}

static int kernel_open(struct backend *be)
{
	struct kernel_priv *kp;
	int err;

	err = kernel_probe(be);
	if (err)
		return err;
	kp = calloc(1, sizeof(*kp));
	if (!kp)
		return -ENOMEM;
	be->priv = kp;
	if (private_mounts()) {
		snprintf(kp->dir, sizeof(kp->dir), "/sys/fs/bpf");
	} else {
		/* a shared namespace: our own directory, removed at close */
		snprintf(kp->dir, sizeof(kp->dir),
			 "/tmp/bpfemu-harness.XXXXXX");
		if (!mkdtemp(kp->dir)) {
			err = -errno;
			snprintf(be->reason, sizeof(be->reason),
				 "mkdtemp for the private bpffs: %s",
				 strerror(-err));
			goto out_close;
		}
		kp->made_dir = true;
	}
	if (mount("bpf", kp->dir, "bpf", 0, NULL)) {
		err = -errno;
		snprintf(be->reason, sizeof(be->reason),
			 "mount of a private bpffs at %s: %s", kp->dir,
			 strerror(-err));
		goto out_close;
	}
	kp->mounted = true;
	err = kernel_pin_cpu0(be, kp);
	if (err)
		goto out_close;
	return 0;

out_close:
	kernel_close(be);
	return err;
}

/*
 * Only the closed fd's map can die here: its executors go (not those of
 * other maps, whose fences a later MAP_GET_FD_BY_ID would wait for).
 */
static int kernel_close_fd(struct backend *be, int fd)
{
	struct kernel_priv *kp = be->priv;
	uint8_t info[MAP_INFO_SIZE];
	uint32_t id;
	int err = errno;

	if (!backend_map_info(be, fd, info)) {
		id = get_u32(info, I_ID);
		if (!kernel_retained(kp, id))
			kexec_drop(kp, false, id);
	}
	errno = err;
	return close(fd);
}

static void *kernel_mmap(struct backend *be, size_t len, int prot, int flags,
			 int fd, off_t off)
{
	(void)be;
	return mmap(NULL, len, prot, flags, fd, off);
}

static int kernel_munmap(struct backend *be, void *addr, size_t len)
{
	(void)be;
	return munmap(addr, len);
}

static int kernel_mprotect(struct backend *be, void *addr, size_t len,
			   int prot)
{
	(void)be;
	return mprotect(addr, len, prot);
}

static int kernel_mkdir(struct backend *be, const char *path)
{
	(void)be;
	return mkdir(path, 0700);
}

static int kernel_rmdir(struct backend *be, const char *path)
{
	(void)be;
	return rmdir(path);
}

/* A pin's map may die with it: its executors go (every one if unsure). */
static int kernel_unlink(struct backend *be, const char *path)
{
	uint64_t attr[ATTR_SIZE_DEFAULT / 8] = { 0 };
	struct kernel_priv *kp = be->priv;
	uint8_t info[MAP_INFO_SIZE];
	int err = errno;
	uint32_t id = 0;
	long fd;

	put_ptr(attr, A_OBJ_PATHNAME, path);
	fd = syscall(__NR_bpf, BPF_OBJ_GET, attr, sizeof(attr));
	if (fd >= 0) {
		if (!backend_map_info(be, (int)fd, info))
			id = get_u32(info, I_ID);
		close((int)fd);
		if (!id || !kernel_retained(kp, id))
			kexec_drop(kp, false, id);
	}
	errno = err;
	return unlink(path);
}

static const char *kernel_bpffs_dir(struct backend *be)
{
	struct kernel_priv *kp = be->priv;

	return kp->dir;
}

static int kernel_set_possible_cpus(struct backend *be, unsigned int n)
{
	(void)be;
	return n == host_possible_cpus() ? 0 : -ENOTSUP;
}

static unsigned int kernel_possible_cpus(struct backend *be)
{
	(void)be;
	return host_possible_cpus();
}

/* ---- the program face: helpers from map_exec.bpf.c by test run ---- */

static enum exec_fn kexec_fn(const struct prog_op *op)
{
	switch (op->fn) {
	case HELPER_LOOKUP:
		return op->write ? EXEC_LOOKUP_WRITE : EXEC_LOOKUP;
	case HELPER_UPDATE:
		return EXEC_UPDATE;
	case HELPER_DELETE:
		return EXEC_DELETE;
	case HELPER_PUSH:
		return EXEC_PUSH;
	case HELPER_POP:
		return EXEC_POP;
	case HELPER_PEEK:
		return EXEC_PEEK;
	default:
		return EXEC_LOOKUP_PERCPU;
	}
}

/* The id and type of the map behind map_fd, or -errno with be->reason. */
static int kernel_map_id_type(struct backend *be, int map_fd, uint32_t *id,
			      uint32_t *type)
{
	uint8_t info[MAP_INFO_SIZE];
	int err;

	err = backend_map_info(be, map_fd, info);
	if (err) {
		snprintf(be->reason, sizeof(be->reason),
			 "no map info for fd %d: %s", map_fd, strerror(-err));
		return err;
	}
	*id = get_u32(info, I_ID);
	*type = get_u32(info, I_TYPE);
	return 0;
}

static int kernel_map_id(struct backend *be, int map_fd, uint32_t *id)
{
	uint32_t type;

	return kernel_map_id_type(be, map_fd, id, &type);
}

/* Loads (or caches the verifier's refusal of) an executor for fns. */
static struct kexec *kexec_load(struct backend *be, int map_fd,
				uint32_t map_id, uint32_t fns, int *err)
{
	struct kernel_priv *kp = be->priv;
	struct exec_opts opts = { 0 };
	struct kexec *k, *v;
	char log[192] = "";

	v = realloc(kp->execs, (kp->nexecs + 1) * sizeof(*v));
	if (!v) {
		*err = -ENOMEM;
		snprintf(be->reason, sizeof(be->reason), "out of memory");
		return NULL;
	}
	kp->execs = v;
	k = &v[kp->nexecs];
	memset(k, 0, sizeof(*k));
	k->map_id = map_id;
	k->fns = fns;
	opts.sz = sizeof(opts);
	opts.fns = fns;
	opts.capacity = KEXEC_CAPACITY;
	opts.log = log;
	opts.log_len = sizeof(log);
	*err = exec_open(&k->e, map_fd, &opts);
	/* exec.c says "verifier: ..." when BPF_PROG_LOAD gave the verdict */
	if (*err && strncmp(log, "verifier:", 9)) {
		snprintf(be->reason, sizeof(be->reason),
			 "loading the executor: %s", log);
		return NULL;
	}
	k->load_err = -*err;
	*err = 0;
	kp->nexecs++;
	return k;
}

/*
 * The executor for (map, fn): cached, else loaded. A verifier refusal is
 * cached as such (the op is refused, not the run); any other failure to
 * load is the run's: NULL with *err and be->reason.
 *
 * A map's first executor holds every helper its type takes
 * (exec_type_fns), so that one load serves all its ops. When the
 * verifier refuses that set (a BPF_F_RDONLY_PROG map refuses update, a
 * frozen one lookup), each helper gets an executor of its own, so that
 * every refusal is the verdict on the op's own helper.
 */
static struct kexec *kexec_get(struct backend *be, int map_fd,
			       uint32_t map_id, uint32_t type, enum exec_fn fn,
			       int *err)
{
	struct kernel_priv *kp = be->priv;
	uint32_t all = exec_type_fns(type), bit = EXEC_FN_BIT(fn);
	bool tried_all = false;
	struct kexec *k;
	size_t i;

	for (i = 0; i < kp->nexecs; i++) {
		k = &kp->execs[i];
		if (k->map_id != map_id)
			continue;
		if ((k->fns & bit) && (k->e || k->fns == bit))
			return k;
		tried_all |= k->fns == all;
	}
	if (!tried_all && (all & bit) && all != bit) {
		k = kexec_load(be, map_fd, map_id, all, err);
		if (!k || k->e)
			return k;
	}
	return kexec_load(be, map_fd, map_id, bit, err);
}

static void kexec_fill(struct exec *e, __u32 r, const struct prog_op *op)
{
	struct exec_hdr *h = exec_rec(e, r);
	__u32 ks = exec_key_size(e), vs = exec_value_size(e);

	h->fn = kexec_fn(op);
	h->arg = op->target_cpu;
	h->flags = op->flags;
	h->ret = 0;
	/*
	 * The padding too: kernels before the fix of hashtab.c:
	 * pcpu_init_value copy a new per-CPU element's value from the
	 * program in 8-byte words (copy_map_value_long), past value_size.
	 */
	memset(exec_rec_key(e, r), 0, (ks + 7) & ~7U);
	memset(exec_rec_value(e, r), 0, 2 * ((vs + 7) & ~7U));
	if (op->key)
		memcpy(exec_rec_key(e, r), op->key, ks);
	if (op->value)
		memcpy(exec_rec_value(e, r), op->value, vs);
	/* out as the caller filled it: a bloom filter's peek reads it */
	memcpy(exec_rec_out(e, r), op->out, vs);
}

static void kexec_result(struct exec *e, __u32 r, struct prog_op *op)
{
	const struct exec_hdr *h = exec_rec(e, r);
	__u32 vs = exec_value_size(e);

	switch (op->fn) {
	case HELPER_LOOKUP:
	case HELPER_LOOKUP_PERCPU:
		/* the executor read the value only through a pointer */
		op->found = h->ret == 0;
		if (op->found)
			memcpy(op->out, exec_rec_out(e, r), vs);
		break;
	case HELPER_POP:
	case HELPER_PEEK:
		/* a failed pop or peek zero-fills the output, so always */
		memcpy(op->out, exec_rec_out(e, r), vs);
		op->ret = (long)h->ret;
		break;
	default:
		op->ret = (long)h->ret;
		break;
	}
}

/* ops[0..n) all for executor k: one test run per KEXEC_CAPACITY. */
static int kexec_run(struct backend *be, struct kexec *k, unsigned int cpu,
		     struct prog_op *ops, size_t n)
{
	size_t done, i, m;
	int err;

	for (done = 0; done < n; done += m) {
		m = n - done < KEXEC_CAPACITY ? n - done : KEXEC_CAPACITY;
		for (i = 0; i < m; i++)
			kexec_fill(k->e, (__u32)i, &ops[done + i]);
		err = exec_run(k->e, (__u32)m, cpu);
		if (err) {
			snprintf(be->reason, sizeof(be->reason),
				 "BPF_PROG_TEST_RUN on CPU %u: %s", cpu,
				 strerror(-err));
			return err;
		}
		for (i = 0; i < m; i++) {
			if (!exec_rec(k->e, (__u32)i)->done) {
				/* a result the program never wrote */
				snprintf(be->reason, sizeof(be->reason),
					 "the executor skipped record %zu",
					 done + i);
				return -EIO;
			}
			kexec_result(k->e, (__u32)i, &ops[done + i]);
		}
	}
	return 0;
}

/*
 * The run itself is on CPU cpu (BPF_F_TEST_RUN_ON_CPU); the caller is
 * moved there for it when it can be, so that the program runs in the
 * calling task as on CPU 0, not from an IPI (test_run.c:
 * bpf_prog_test_run_raw_tp). Where it cannot, the test run answers
 * (ENXIO for a CPU that does not exist).
 */
static int kernel_prog_run(struct backend *be, int map_fd, unsigned int cpu,
			   struct prog_op *ops, size_t n)
{
	struct kernel_priv *kp = be->priv;
	bool moved = false;
	struct kexec *k;
	uint32_t map_id, type;
	size_t i, j;
	int err;

	err = kernel_map_id_type(be, map_fd, &map_id, &type);
	if (err)
		return err;
	if (cpu != kp->cpu)
		moved = !pin_to_cpu(cpu);
	for (i = 0; i < n; i = j) {
		k = kexec_get(be, map_fd, map_id, type, kexec_fn(&ops[i]),
			      &err);
		if (!k)
			break;
		/* the longest run of ops that this executor serves */
		for (j = i + 1; j < n &&
		     (k->fns & EXEC_FN_BIT(kexec_fn(&ops[j]))); j++)
			;
		if (!k->e) {
			for (; i < j; i++) {
				ops[i].refused = true;
				ops[i].load_err = k->load_err;
			}
			continue;
		}
		err = kexec_run(be, k, cpu, &ops[i], j - i);
		if (err)
			break;
	}
	if (moved && pin_to_cpu(kp->cpu) && !err) {
		/* syscalls would go on from the wrong CPU's lists */
		snprintf(be->reason, sizeof(be->reason),
			 "cannot move back to CPU %u after a run on CPU %u",
			 kp->cpu, cpu);
		err = -EAGAIN;
	}
	return err;
}

/* Pins the process to cpu for the following sys_bpf() calls. */
static int kernel_set_cpu(struct backend *be, unsigned int cpu)
{
	struct kernel_priv *kp = be->priv;
	int err;

	if (cpu == kp->cpu)
		return 0;
	err = pin_to_cpu(cpu);
	if (err) {
		snprintf(be->reason, sizeof(be->reason),
			 "cannot run on CPU %u: %s", cpu, strerror(-err));
		return err;
	}
	kp->cpu = cpu;
	return 0;
}

/*
 * The pool of the fuzzers keeps its maps open between scenarios: their
 * executors stay loaded across the scenarios' own closes.
 */
static int kernel_retain(struct backend *be, int fd, bool on)
{
	struct kernel_priv *kp = be->priv;
	uint32_t id, *v;
	size_t i;
	int err;

	err = kernel_map_id(be, fd, &id);
	if (err)
		return err;
	for (i = 0; i < kp->nretained && kp->retained[i] != id; i++)
		;
	if (!on) {
		if (i < kp->nretained)
			kp->retained[i] = kp->retained[--kp->nretained];
		return 0;
	}
	if (i < kp->nretained)
		return 0;
	v = realloc(kp->retained, (kp->nretained + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	kp->retained = v;
	kp->retained[kp->nretained++] = id;
	return 0;
}

static long kernel_live_maps(struct backend *be)
{
	(void)be;
	return -1;
}

const struct backend_ops kernel_backend_ops = {
	.name			= "kernel",
	.open			= kernel_open,
	.sys_bpf		= kernel_sys_bpf,
	.close_fd		= kernel_close_fd,
	.unlink			= kernel_unlink,
	.mmap			= kernel_mmap,
	.munmap			= kernel_munmap,
	.mprotect		= kernel_mprotect,
	.mkdir			= kernel_mkdir,
	.rmdir			= kernel_rmdir,
	.bpffs_dir		= kernel_bpffs_dir,
	.set_possible_cpus	= kernel_set_possible_cpus,
	.possible_cpus		= kernel_possible_cpus,
	.prog_run		= kernel_prog_run,
	.set_cpu		= kernel_set_cpu,
	.retain			= kernel_retain,
	.live_maps		= kernel_live_maps,
	.close			= kernel_close,
};

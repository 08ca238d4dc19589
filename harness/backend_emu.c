// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The emulator backend: libbpfemu in this process. Its fds are real fds
 * (close(2) releases them) and its bpffs is private to the emulator, so
 * pins go to the emulated root itself.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "attr.h"
#include "backend.h"
#include "bpfemu.h"

static int emu_open(struct backend *be)
{
	(void)be;
	return 0;
}

static long emu_sys_bpf(struct backend *be, int cmd, void *attr,
			unsigned int size)
{
	(void)be;
	return bpfemu_sys_bpf(cmd, attr, size);
}

static int emu_close_fd(struct backend *be, int fd)
{
	(void)be;
	return close(fd);
}

static void *emu_mmap(struct backend *be, size_t len, int prot, int flags,
		      int fd, off_t off)
{
	(void)be;
	return bpfemu_mmap(NULL, len, prot, flags, fd, off);
}

static int emu_munmap(struct backend *be, void *addr, size_t len)
{
	(void)be;
	return bpfemu_munmap(addr, len);
}

static int emu_mprotect(struct backend *be, void *addr, size_t len, int prot)
{
	(void)be;
	return bpfemu_mprotect(addr, len, prot);
}

static int emu_mkdir(struct backend *be, const char *path)
{
	(void)be;
	return bpfemu_mkdir(path, 0700);
}

static int emu_rmdir(struct backend *be, const char *path)
{
	(void)be;
	return bpfemu_rmdir(path);
}

static int emu_unlink(struct backend *be, const char *path)
{
	(void)be;
	return bpfemu_unlink(path);
}

static const char *emu_bpffs_dir(struct backend *be)
{
	(void)be;
	return bpfemu_bpffs_root();
}

static int emu_set_possible_cpus(struct backend *be, unsigned int n)
{
	(void)be;
	return bpfemu_set_possible_cpus(n);
}

static unsigned int emu_possible_cpus(struct backend *be)
{
	int n = bpfemu_num_possible_cpus();

	(void)be;
	return n > 0 ? (unsigned int)n : 1;
}

/* The helper each op calls, by its BPF_FUNC_ id (bpfemu_prog_check()). */
static const int helper_func_id[] = {
	[HELPER_LOOKUP]		= BPF_FUNC_map_lookup_elem,
	[HELPER_UPDATE]		= BPF_FUNC_map_update_elem,
	[HELPER_DELETE]		= BPF_FUNC_map_delete_elem,
	[HELPER_PUSH]		= BPF_FUNC_map_push_elem,
	[HELPER_POP]		= BPF_FUNC_map_pop_elem,
	[HELPER_PEEK]		= BPF_FUNC_map_peek_elem,
	[HELPER_LOOKUP_PERCPU]	= BPF_FUNC_map_lookup_percpu_elem,
};

/* The map's value_size: what a lookup's pointer lets a program read. */
static int emu_value_size(struct backend *be, int map_fd,
			  uint32_t *value_size)
{
	uint8_t info[MAP_INFO_SIZE];
	int err = backend_map_info(be, map_fd, info);

	if (err)
		return err;
	*value_size = get_u32(info, I_VALUE_SIZE);
	return 0;
}

/* Direct accesses the program makes through a lookup's pointer. */
static unsigned int op_access(const struct prog_op *op)
{
	switch (op->fn) {
	case HELPER_LOOKUP:
		return BPFEMU_PROG_READ | (op->write ? BPFEMU_PROG_WRITE : 0);
	case HELPER_LOOKUP_PERCPU:
		return BPFEMU_PROG_READ;
	default:
		return 0;
	}
}

/* A lookup as the executor makes it: read the value, maybe write it. */
static void emu_prog_lookup(int map_fd, struct prog_op *op, uint32_t vs)
{
	void *p = op->fn == HELPER_LOOKUP ?
		  bpfemu_prog_map_lookup_elem(map_fd, op->key) :
		  bpfemu_prog_map_lookup_percpu_elem(map_fd, op->key,
						     op->target_cpu);

	op->found = p != NULL;
	if (!p)
		return;
	memcpy(op->out, p, vs);
	if (op->write)
		memcpy(p, op->value, vs);
}

static void emu_prog_op(int map_fd, struct prog_op *op, uint32_t vs)
{
	int err = bpfemu_prog_check(map_fd, helper_func_id[op->fn],
				    op_access(op));

	/* the verifier would not load a program making this call */
	if (err) {
		op->refused = true;
		op->load_err = -err;
		return;
	}
	switch (op->fn) {
	case HELPER_LOOKUP:
	case HELPER_LOOKUP_PERCPU:
		emu_prog_lookup(map_fd, op, vs);
		break;
	case HELPER_UPDATE:
		op->ret = bpfemu_prog_map_update_elem(map_fd, op->key,
						      op->value, op->flags);
		break;
	case HELPER_DELETE:
		op->ret = bpfemu_prog_map_delete_elem(map_fd, op->key);
		break;
	case HELPER_PUSH:
		op->ret = bpfemu_prog_map_push_elem(map_fd, op->value,
						    op->flags);
		break;
	case HELPER_POP:
		op->ret = bpfemu_prog_map_pop_elem(map_fd, op->out);
		break;
	case HELPER_PEEK:
		op->ret = bpfemu_prog_map_peek_elem(map_fd, op->out);
		break;
	}
}

/* The program runs on CPU cpu; the emulator is back on CPU 0 after. */
static int emu_prog_run(struct backend *be, int map_fd, unsigned int cpu,
			struct prog_op *ops, size_t n)
{
	uint32_t vs;
	size_t i;
	int err;

	err = emu_value_size(be, map_fd, &vs);
	if (err) {
		snprintf(be->reason, sizeof(be->reason), "no map info for "
			 "fd %d: %s", map_fd, strerror(-err));
		return err;
	}
	err = bpfemu_set_current_cpu((int)cpu);
	if (err) {
		snprintf(be->reason, sizeof(be->reason), "CPU %u is not a "
			 "possible CPU of the emulator", cpu);
		return err;
	}
	for (i = 0; i < n; i++)
		emu_prog_op(map_fd, &ops[i], vs);
	return bpfemu_set_current_cpu(0);
}

static int emu_set_cpu(struct backend *be, unsigned int cpu)
{
	(void)be;
	return bpfemu_set_current_cpu((int)cpu);
}

/* Nothing of the emulator's holds a map beyond the caller's fds. */
/* The pool keeps fd open: the emulator's sweeps need not check it. */
static int emu_retain(struct backend *be, int fd, bool on)
{
	(void)be;
	return bpfemu_map_hold(fd, on);
}

static long emu_live_maps(struct backend *be)
{
	(void)be;
	return bpfemu_live_maps();
}

static int emu_describe_key(struct backend *be, int fd, const void *key,
			    char *buf, size_t len)
{
	(void)be;
	return bpfemu_lru_describe(fd, key, buf, len);
}

static void emu_close(struct backend *be)
{
	(void)be;
}

const struct backend_ops emu_backend_ops = {
	.name			= "emu",
	.open			= emu_open,
	.sys_bpf		= emu_sys_bpf,
	.close_fd		= emu_close_fd,
	.unlink			= emu_unlink,
	.mmap			= emu_mmap,
	.munmap			= emu_munmap,
	.mprotect		= emu_mprotect,
	.mkdir			= emu_mkdir,
	.rmdir			= emu_rmdir,
	.bpffs_dir		= emu_bpffs_dir,
	.set_possible_cpus	= emu_set_possible_cpus,
	.possible_cpus		= emu_possible_cpus,
	.prog_run		= emu_prog_run,
	.set_cpu		= emu_set_cpu,
	.retain			= emu_retain,
	.live_maps		= emu_live_maps,
	.describe_key		= emu_describe_key,
	.close			= emu_close,
};

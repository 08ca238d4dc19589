// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The attr fields a fuzz input must not garble: pointers (the kernel
 * answers EFAULT for a wild one, the emulator can only tell NULL from
 * the rest and would crash), fds (the backends' fd tables differ: a
 * number may be a map on one and nothing on the other) and map ids
 * (global: another process's map). A poke= may not write into one
 * (but a whole pointer below one page, which every backend must refuse
 * with EFAULT, or a whole fd no process has open, is a fine test), and
 * an attr_size= may not end inside one (the kernel would take half a
 * pointer); both are otherwise what the fuzzers are for.
 */
#include <string.h>

#include "decode_internal.h"

#define FD_NEVER	(1U << 24)	/* above any fd a process has open */

/*
 * F_START: next_id's start id. Cut away, it reads as 0, which names the
 * first map of the whole host (another process's): never cut, so an
 * attr_size= before its end is moved past it.
 */
enum field_kind { F_PTR, F_FD, F_ID, F_START };

struct field {
	unsigned char off, len;
	enum field_kind kind;
};

/* Each command's fields, as harness/attr.h lays them out (6.18). */
static const struct {
	const char *op;
	struct field f[6];
} guarded[] = {
	/* inner_map_fd, btf_fd, value_type_btf_obj_fd, map_token_fd,
	 * excl_prog_hash */
	{ "create", { { 20, 4, F_FD }, { 48, 4, F_FD }, { 72, 4, F_FD },
		      { 76, 4, F_FD }, { 80, 8, F_PTR } } },
	{ "lookup", { { 0, 4, F_FD }, { 8, 8, F_PTR }, { 16, 8, F_PTR } } },
	{ "update", { { 0, 4, F_FD }, { 8, 8, F_PTR }, { 16, 8, F_PTR } } },
	{ "delete", { { 0, 4, F_FD }, { 8, 8, F_PTR } } },
	{ "next", { { 0, 4, F_FD }, { 8, 8, F_PTR }, { 16, 8, F_PTR } } },
	{ "lookup_and_delete", { { 0, 4, F_FD }, { 8, 8, F_PTR },
				 { 16, 8, F_PTR } } },
	{ "freeze", { { 0, 4, F_FD } } },
	/* in_batch, out_batch, keys, values, map_fd */
#define BATCH_FIELDS { { 0, 8, F_PTR }, { 8, 8, F_PTR }, { 16, 8, F_PTR }, \
		       { 24, 8, F_PTR }, { 36, 4, F_FD } }
	{ "lookup_batch", BATCH_FIELDS },
	{ "lookup_and_delete_batch", BATCH_FIELDS },
	{ "update_batch", BATCH_FIELDS },
	{ "delete_batch", BATCH_FIELDS },
	/* pathname, bpf_fd (get refuses any); path_fd is not looked at:
	 * the harness passes absolute paths */
	{ "pin", { { 0, 8, F_PTR }, { 8, 4, F_FD } } },
	{ "get", { { 0, 8, F_PTR } } },
	{ "info", { { 0, 4, F_FD }, { 8, 8, F_PTR } } },
	{ "get_fd_by_id", { { 0, 4, F_ID } } },
	{ "next_id", { { 0, 4, F_START } } },
};

static int guarded_index(const char *op)
{
	size_t i;

	for (i = 0; i < sizeof(guarded) / sizeof(guarded[0]); i++)
		if (!strcmp(guarded[i].op, op))
			return (int)i;
	return -1;
}

bool fuzz_poke_ok(const char *op, uint32_t off, const uint8_t *b, size_t len)
{
	int g = guarded_index(op);
	size_t i;

	if (g < 0)
		return true;	/* not a bpf(2) command: the attr is unused */
	for (i = 0; i < 6 && guarded[g].f[i].len; i++) {
		const struct field *f = &guarded[g].f[i];
		uint64_t v = 0;

		if (off >= f->off + f->len || off + len <= f->off)
			continue;
		if (f->kind == F_ID || f->kind == F_START || off > f->off ||
		    off + len < (size_t)f->off + f->len)
			return false;	/* an id, or a part of a field */
		memcpy(&v, b + (f->off - off), f->len);
		if (f->kind == F_FD ? v < FD_NEVER : v >= FUZZ_PAGE)
			return false;
	}
	return true;
}

uint32_t fuzz_attr_cut(const char *op, uint32_t attr_size)
{
	int g = guarded_index(op);
	size_t i;

	if (g < 0)
		return attr_size;
	for (i = 0; i < 6 && guarded[g].f[i].len; i++) {
		const struct field *f = &guarded[g].f[i];

		if (f->kind == F_START && attr_size < f->off + f->len)
			return f->off + f->len;
		if (attr_size > f->off && attr_size < f->off + f->len)
			return f->off;
	}
	return attr_size;
}

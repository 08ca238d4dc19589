// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The op records of the binary decoder: an opcode byte, a modifier (the
 * fd, the side, the CPU) and three argument bytes, written as one
 * scenario line each (fuzz/README.md has the encodings). What an op
 * makes or removes (slots, pins, mappings, a frozen map) goes into the
 * model, by the kernel's rules.
 */
#include <string.h>
#include <linux/bpf.h>

#include "decode_bin.h"

static const struct {
	const char *text;
	int parent;		/* a P_* directory, or -1: the bpffs root */
} paths[] = {
	[P_P0] = { "@p0", -1 }, [P_P1] = { "@p1", -1 }, [P_P2] = { "@p2", -1 },
	[P_D0] = { "@d0", -1 }, [P_D1] = { "@d1", -1 },
	[P_D0_P3] = { "@d0/p3", P_D0 }, [P_D1_P4] = { "@d1/p4", P_D1 },
	[P_D0_D2] = { "@d0/d2", P_D0 }, [P_P0_X] = { "@p0/x", P_P0 },
	[P_NODIR] = { "@nodir", -1 }, [P_NODIR_X] = { "@nodir/x", P_NODIR },
};

/* Which path an op's byte names: pins mostly, or directories mostly. */
static const uint8_t pin_paths[16] = {
	P_P0, P_P0, P_P1, P_P1, P_P2, P_D0_P3, P_D1_P4, P_P0, P_P1, P_D0,
	P_P0_X, P_P2, P_D0_P3, P_NODIR_X, P_D0_D2, P_P0,
};
static const uint8_t dir_paths[16] = {
	P_D0, P_D0, P_D1, P_D1, P_D0_D2, P_D0, P_D1, P_P0, P_D0_D2, P_D1,
	P_D0, P_P0_X, P_D1, P_NODIR_X, P_D0, P_D1,
};

/* --- element ops ------------------------------------------------------ */

/* QUEUE, STACK, BLOOM_FILTER: NULL keys, values pushed and peeked */
static bool rec_keyless(const struct rec *r)
{
	return r->t && r->t->keyless;
}

static bool rec_bloom(const struct rec *r)
{
	return r->t && r->t->id == BPF_MAP_TYPE_BLOOM_FILTER;
}

/* A value to push, or a bloom filter's to peek: a few, so they meet. */
static void put_elem_value(struct dec *d, struct rec *r, bool prog)
{
	if (rec_bloom(r))
		dec_put_bloom_value(d, "value", r->v, r->t, r->c, prog);
	else
		dec_put_value(d, "value", r->v, r->t, r->c, prog);
}

/* push, pop, peek: what a program calls on a keyless map */
static void op_keyless_prog(struct dec *d, struct rec *r, const char *op)
{
	sb_puts(&d->sb, op);
	dec_put_prog_fd(d, r->slot);
	if (!strcmp(op, "push")) {
		put_elem_value(d, r, true);
		if (r->f >= 160)
			dec_put_elem_flags(d, "flags", r->f < 224 ? EF_EXIST :
					   dec_raw_bit(r->f));
	} else if (!strcmp(op, "peek") && rec_bloom(r)) {
		put_elem_value(d, r, true);	/* the value to test */
	}
	dec_put_cpu(d, r->m);
}

static void op_lookup(struct dec *d, struct rec *r)
{
	bool prog = dec_want_prog(d, r->m, r->slot);

	/* a keyless map's lookup helper is refused: now and then only */
	if (prog && rec_keyless(r) && r->f < 240) {
		op_keyless_prog(d, r, "peek");
		return;
	}
	if (prog) {
		sb_puts(&d->sb, "lookup side=prog");
		dec_put_prog_fd(d, r->slot);
		dec_put_key(d, "key", r->k, r->c, true);
		if (r->f >= 192)
			dec_put_value(d, "write", r->v, r->t, r->c, true);
		dec_put_cpu(d, r->m);
		return;
	}
	sb_puts(&d->sb, "lookup");
	dec_put_fd(d, &r->tg);
	dec_put_key(d, "key", r->k, r->c, false);
	if (r->f >= 200 && r->f < 216)
		dec_put_elem_flags(d, "flags", EF_LOCK);
	else if (r->f >= 216 && r->f < 224)
		dec_put_elem_flags(d, "flags", EF_EXIST);
	else if (r->f >= 224 && r->f < 232)
		sb_puts(&d->sb, " value=null");
	else if (r->f >= 232 && r->f < 240)
		dec_put_elem_flags(d, "flags", dec_raw_bit(r->v));
	/* a bloom filter's lookup reads the value: an input */
	if (rec_bloom(r) && !(r->f >= 224 && r->f < 232))
		put_elem_value(d, r, false);
	dec_put_cpu(d, r->m);
	dec_put_attr(d, "lookup", &r->tg);
}

static uint64_t update_flags(uint8_t f)
{
	if (f < 136)
		return 0;
	if (f < 176)
		return EF_NOEXIST;
	if (f < 216)
		return EF_EXIST;
	if (f < 228)
		return EF_LOCK;
	if (f < 236)
		return EF_NOEXIST | EF_EXIST;
	if (f < 244)
		return EF_LOCK | EF_NOEXIST;
	return dec_raw_bit(f * 7);
}

static void op_update(struct dec *d, struct rec *r)
{
	bool prog = dec_want_prog(d, r->m, r->slot);

	if (prog && rec_keyless(r) && r->f < 240) {
		op_keyless_prog(d, r, "push");
		return;
	}
	sb_puts(&d->sb, prog ? "update side=prog" : "update");
	if (prog)
		dec_put_prog_fd(d, r->slot);
	else
		dec_put_fd(d, &r->tg);
	dec_put_key(d, "key", r->k, r->c, prog);
	put_elem_value(d, r, prog);
	if (r->f >= 96)
		dec_put_elem_flags(d, "flags", update_flags(r->f));
	dec_put_cpu(d, r->m);
	if (!prog)
		dec_put_attr(d, "update", &r->tg);
}

static void op_delete(struct dec *d, struct rec *r)
{
	bool prog = dec_want_prog(d, r->m, r->slot);

	if (prog && rec_keyless(r) && r->f < 240) {
		op_keyless_prog(d, r, "pop");
		return;
	}
	sb_puts(&d->sb, prog ? "delete side=prog" : "delete");
	if (prog)
		dec_put_prog_fd(d, r->slot);
	else
		dec_put_fd(d, &r->tg);
	dec_put_key(d, "key", r->k, r->c, prog);
	if (!prog && r->f >= 240)
		dec_put_elem_flags(d, "flags", dec_raw_bit(r->f));
	dec_put_cpu(d, r->m);
	if (!prog)
		dec_put_attr(d, "delete", &r->tg);
}

static void op_next(struct dec *d, struct rec *r)
{
	sb_puts(&d->sb, "next");
	dec_put_fd(d, &r->tg);
	if (r->f < 80)
		sb_puts(&d->sb, " key=null");
	else if (r->f >= 96 && !dec_order_open(d, r->slot))
		dec_put_key(d, "key", r->k, r->c, false);
	if (r->f >= 248)
		sb_puts(&d->sb, " next=null");
	dec_put_cpu(d, r->m);
	dec_put_attr(d, "next", &r->tg);
}

static void op_lookup_and_delete(struct dec *d, struct rec *r)
{
	sb_puts(&d->sb, "lookup_and_delete");
	dec_put_fd(d, &r->tg);
	dec_put_key(d, "key", r->k, r->c, false);
	if (r->f >= 200 && r->f < 216)
		dec_put_elem_flags(d, "flags", EF_LOCK);
	else if (r->f >= 216 && r->f < 224)
		sb_puts(&d->sb, " value=null");
	else if (r->f >= 224 && r->f < 232)
		dec_put_elem_flags(d, "flags", EF_EXIST);
	else if (r->f >= 232)
		dec_put_elem_flags(d, "flags", dec_raw_bit(r->f));
	dec_put_cpu(d, r->m);
	dec_put_attr(d, "lookup_and_delete", &r->tg);
}

static void op_freeze(struct dec *d, struct rec *r)
{
	int slot = dec_target_slot(d, &r->tg);
	struct model_map *mm = dec_slot_map(d, slot);

	sb_puts(&d->sb, "freeze");
	dec_put_fd(d, &r->tg);
	dec_put_cpu(d, r->m);
	if (dec_put_attr(d, "freeze", &r->tg)) {
		d->lost = true;
		return;
	}
	/* syscall.c: map_freeze: write access, no writable mapping */
	if (mm && d->slots[slot].open && d->slots[slot].mode != M_RDONLY &&
	    !mm->frozen && !dec_map_writer(d, d->slots[slot].map))
		mm->frozen = true;
}

/* --- batches ---------------------------------------------------------- */

/*
 * Where the order is open, a batch starts at the beginning and takes
 * every element (which ones come first is the seed's), and writes its
 * buffers whole (what it wrote before failing would be the seed's too).
 */
static void op_lookup_batch(struct dec *d, struct rec *r, const char *op)
{
	uint32_t max = r->c->max_entries, count;
	size_t cookie = r->c->key_size > 4 ? r->c->key_size : 4, i;
	bool open = dec_order_open(d, r->slot);

	if (open) {
		r->k &= 127;
		if (r->v < 224)
			r->v = 224;
		if (r->f >= 220 && r->f < 244)
			r->f = 0;
	}
	sb_puts(&d->sb, op);
	dec_put_fd(d, &r->tg);
	if (r->k < 128) {
		sb_puts(&d->sb, " in=null");
	} else if (r->k < 208) {
		sb_puts(&d->sb, " in=");
		if (r->t && r->t->lpm)	/* a key of the trie, often stored */
			dec_put_pool_key(d, r->k, r->c);
		else
			dec_put_index_key(d, r->k % ((uint64_t)max + 3),
					  cookie);
	} else if (r->k >= 224) {
		sb_puts(&d->sb, " in=");
		d->rng ^= r->k;
		for (i = 0; i < 4; i++) {
			uint8_t b = dec_rnd(d);

			sb_hex(&d->sb, &b, 1);
		}
	}
	if (r->v < 200)
		count = 1 + r->v % (max + 2);
	else if (r->v < 224)
		count = 0;
	else if (r->v < 248)
		count = max + r->v % 8;
	else
		count = UINT32_MAX;
	sb_printf(&d->sb, " count=%u", count);
	if (r->f >= 192 && r->f < 204)
		dec_put_elem_flags(d, "elem_flags", EF_LOCK);
	else if (r->f >= 204 && r->f < 212)
		dec_put_elem_flags(d, "elem_flags", dec_raw_bit(r->f));
	else if (r->f >= 212 && r->f < 220)
		dec_put_elem_flags(d, "flags", dec_raw_bit(r->f * 3));
	else if (r->f >= 220 && r->f < 228)
		sb_puts(&d->sb, " keys=null");
	else if (r->f >= 228 && r->f < 236)
		sb_puts(&d->sb, " values=null");
	else if (r->f >= 236 && r->f < 244)
		sb_puts(&d->sb, " out=null");
	else if (r->f >= 244)
		dec_put_elem_flags(d, "elem_flags", EF_NOEXIST);
	dec_put_cpu(d, r->m);
	dec_put_attr(d, op, &r->tg);
}

/* update_batch and delete_batch: n pool keys (and values) from k, v */
static void op_write_batch(struct dec *d, struct rec *r, bool update)
{
	const char *op = update ? "update_batch" : "delete_batch";
	uint64_t stride = fuzz_value_stride(r->t, r->c->value_size, d->ncpus);
	uint64_t group = r->t && r->t->percpu ? ROUND8(r->c->value_size) : 0;
	uint32_t n = 1 + r->f % BATCH_MAX, count, i;
	uint8_t how = r->f >> 3;
	size_t ks = r->c->key_size ? r->c->key_size : 1;

	while (n > 1 && n * (ks + stride) > BATCH_BYTES)
		n--;
	count = how == 31 ? 0 : how >= 25 && how < 27 ? n + 1 : n;
	sb_puts(&d->sb, op);
	dec_put_fd(d, &r->tg);
	if (how >= 27 && how < 29) {
		sb_puts(&d->sb, " keys=null");
	} else {
		sb_puts(&d->sb, " keys=");
		for (i = 0; i < n; i++) {
			if (i)
				sb_puts(&d->sb, "_");
			dec_put_pool_key(d, (uint8_t)(r->k + i), r->c);
		}
	}
	if (update && how >= 29 && how < 31) {
		sb_puts(&d->sb, " values=null");
	} else if (update) {
		sb_puts(&d->sb, " values=");
		for (i = 0; i < n; i++) {
			if (i)
				sb_puts(&d->sb, "_");
			dec_put_pattern(d, (uint8_t)(r->v + 7 * i),
					stride ? stride : 1, group);
		}
	}
	sb_printf(&d->sb, " count=%u", count);
	if (how >= 20 && how < 23)
		dec_put_elem_flags(d, "elem_flags", EF_LOCK);
	else if (how >= 23 && how < 25)
		dec_put_elem_flags(d, "elem_flags", update ? EF_NOEXIST :
				   dec_raw_bit(r->v));
	dec_put_cpu(d, r->m);
	dec_put_attr(d, op, &r->tg);
}

/* --- bpffs ------------------------------------------------------------ */

static bool parent_is_dir(const struct dec *d, int path)
{
	int parent = paths[path].parent;

	return parent < 0 || d->ent[parent] == ENT_DIR;
}

static void put_path(struct dec *d, int path)
{
	sb_printf(&d->sb, " path=%s", paths[path].text);
}

static void op_pin(struct dec *d, struct rec *r)
{
	int path = pin_paths[r->k % 16], slot = dec_target_slot(d, &r->tg);
	uint32_t ff = 0;

	if (r->f >= 236)
		ff = r->f >= 244 ? (uint32_t)dec_raw_bit(r->f) : MF_PATH_FD;
	sb_puts(&d->sb, "pin");
	dec_put_fd(d, &r->tg);
	put_path(d, path);
	if (ff)
		dec_put_flags(d, "file_flags", ff, dec_file_flag_names);
	dec_put_cpu(d, r->m);
	if (dec_put_attr(d, "pin", &r->tg)) {
		d->lost = true;
		return;
	}
	/* syscall.c: bpf_obj_pin; inode.c: bpf_obj_do_pin */
	if (slot >= 0 && d->slots[slot].open && !(ff & ~MF_PATH_FD) &&
	    d->ent[path] == ENT_NONE && parent_is_dir(d, path))
		d->ent[path] = d->slots[slot].map;
}

static enum fmode file_mode(uint32_t ff, bool *ok)
{
	*ok = !(ff & ~(MF_RDONLY | MF_WRONLY | MF_PATH_FD)) &&
	      (ff & (MF_RDONLY | MF_WRONLY)) != (MF_RDONLY | MF_WRONLY);
	return ff & MF_RDONLY ? M_RDONLY : ff & MF_WRONLY ? M_WRONLY : M_RDWR;
}

static void op_get(struct dec *d, struct rec *r)
{
	int path = pin_paths[r->k % 16];
	uint32_t ff;
	enum fmode mode;
	bool ok;

	if (r->f < 144)
		ff = 0;
	else if (r->f < 184)
		ff = MF_RDONLY;
	else if (r->f < 224)
		ff = MF_WRONLY;
	else if (r->f < 232)
		ff = MF_RDONLY | MF_WRONLY;
	else if (r->f < 240)
		ff = MF_PATH_FD;	/* the path is absolute: no dir fd */
	else
		ff = (uint32_t)dec_raw_bit(r->f % 32);
	mode = file_mode(ff, &ok);
	sb_puts(&d->sb, "get");
	dec_put_fd(d, &r->tg);	/* any bpf_fd: EINVAL */
	put_path(d, path);
	if (ff)
		dec_put_flags(d, "file_flags", ff, dec_file_flag_names);
	dec_put_cpu(d, r->m);
	d->fd_ops++;
	if (dec_put_attr(d, "get", &r->tg)) {
		d->lost = true;
		return;
	}
	if (d->lost || r->tg.kind != FK_NEWEST || !ok || d->ent[path] < 0 ||
	    !parent_is_dir(d, path))
		return;
	dec_slot_add(d, d->ent[path], mode);
}

static void op_unlink(struct dec *d, struct rec *r)
{
	int path = pin_paths[r->k % 16];

	sb_puts(&d->sb, "unlink");
	put_path(d, path);
	dec_put_cpu(d, r->m);
	if (d->ent[path] >= 0 && parent_is_dir(d, path))
		d->ent[path] = ENT_NONE;
}

static bool dir_empty(const struct dec *d, int dir)
{
	int i;

	for (i = 0; i < P__COUNT; i++)
		if (paths[i].parent == dir && d->ent[i] != ENT_NONE)
			return false;
	return true;
}

static void op_mkdir(struct dec *d, struct rec *r, bool make)
{
	int path = dir_paths[r->k % 16];

	sb_puts(&d->sb, make ? "mkdir" : "rmdir");
	put_path(d, path);
	dec_put_cpu(d, r->m);
	if (!parent_is_dir(d, path))
		return;
	if (make && d->ent[path] == ENT_NONE)
		d->ent[path] = ENT_DIR;
	else if (!make && d->ent[path] == ENT_DIR && dir_empty(d, path))
		d->ent[path] = ENT_NONE;
}

/* --- fds, ids, info --------------------------------------------------- */

static bool last_open(const struct dec *d, int slot)
{
	unsigned int i, n = 0;

	for (i = 0; i < d->nslots; i++)
		n += d->slots[i].open;
	return slot >= 0 && d->slots[slot].open && n == 1;
}

/* Closing the last fd leaves every later op EBADF: only now and then. */
static void op_close(struct dec *d, struct rec *r)
{
	int slot = dec_target_slot(d, &r->tg);

	if (last_open(d, slot) && r->f >= 64)
		return;
	sb_puts(&d->sb, "close");
	dec_put_fd(d, &r->tg);
	dec_put_cpu(d, r->m);
	if (slot >= 0)
		d->slots[slot].open = false;
}

static void op_info(struct dec *d, struct rec *r)
{
	static const char *const lens[8] = {
		"", " info_len=88", " info_len=80", " info_len=0",
		" info_len=8", " info_len=100", " info_len=200", " in=00",
	};
	static const char *const hashes[4] = {
		"", "", " in=00 hash=16", " in=00 hash=32",
	};
	const char *len = lens[r->f % 8], *hash = hashes[(r->f >> 3) % 4];

	sb_puts(&d->sb, "info");
	dec_put_fd(d, &r->tg);
	/* hash= comes with its own in= */
	sb_puts(&d->sb, hash[0] && !strcmp(len, " in=00") ? "" : len);
	sb_puts(&d->sb, hash);
	dec_put_cpu(d, r->m);
	dec_put_attr(d, "info", &r->tg);
}

static void op_get_fd_by_id(struct dec *d, struct rec *r)
{
	int slot = dec_target_slot(d, &r->tg);
	uint32_t of;
	enum fmode mode;
	bool ok;

	if (r->f < 176)
		of = 0;
	else if (r->f < 200)
		of = MF_RDONLY;
	else if (r->f < 224)
		of = MF_WRONLY;
	else if (r->f < 232)
		of = MF_RDONLY | MF_WRONLY;
	else
		of = (uint32_t)dec_raw_bit(r->f % 32);
	mode = file_mode(of & ~MF_PATH_FD, &ok);
	ok = ok && !(of & MF_PATH_FD);
	sb_puts(&d->sb, "get_fd_by_id id=self");
	dec_put_fd(d, &r->tg);
	if (of)
		dec_put_flags(d, "open_flags", of, dec_file_flag_names);
	dec_put_cpu(d, r->m);
	d->fd_ops++;
	if (dec_put_attr(d, "get_fd_by_id", &r->tg)) {
		d->lost = true;
		return;
	}
	/* id=self: the id of the slot's map, open or not */
	if (!d->lost && slot >= 0 && ok && dec_map_alive(d, d->slots[slot].map))
		dec_slot_add(d, d->slots[slot].map, mode);
}

/*
 * id=self-1 answers self while the map lives; once it is gone, the next
 * id is some other map of the host's (or of the fuzzer's pools): a
 * get_fd_by_id instead.
 */
static void op_next_id(struct dec *d, struct rec *r)
{
	int slot = dec_target_slot(d, &r->tg);

	if (slot < 0 || !dec_map_alive(d, d->slots[slot].map)) {
		op_get_fd_by_id(d, r);
		return;
	}
	sb_puts(&d->sb, "next_id id=self-1");
	dec_put_fd(d, &r->tg);
	dec_put_cpu(d, r->m);
	dec_put_attr(d, "next_id", &r->tg);
}

/* --- mappings --------------------------------------------------------- */

static const char *const prot_names[4] = {
	"NONE", "READ", "WRITE", "READ|WRITE",
};

static void op_mmap(struct dec *d, struct rec *r)
{
	static const int prots[8] = { 3, 3, 3, 3, 1, 1, 2, 5 };
	static const char *const shares[8] = {
		"SHARED", "SHARED", "SHARED", "SHARED", "SHARED", "SHARED",
		"PRIVATE", "SHARED_VALIDATE",
	};
	int slot = dec_target_slot(d, &r->tg), prot = prots[r->v % 8];
	const char *share = shares[(r->v >> 3) % 8];
	struct model_map *mm = dec_slot_map(d, slot);
	uint64_t data = (uint64_t)r->c->max_entries * ROUND8(r->c->value_size);
	uint64_t pages = (data + FUZZ_PAGE - 1) / FUZZ_PAGE, off = 0, len;
	struct model_mapping *mp;
	unsigned int p;
	bool ok;

	if (!pages)
		pages = 1;
	switch (r->k % 8) {
	case 4:
		len = FUZZ_PAGE;
		break;
	case 5:
		len = 0;
		break;
	case 6:
		len = (pages + 1) * FUZZ_PAGE;	/* past the elements */
		break;
	case 7:
		off = FUZZ_PAGE;
		len = FUZZ_PAGE;
		break;
	default:
		len = pages * FUZZ_PAGE;
	}
	if (((r->k >> 3) & 7) == 7)
		off++;			/* not page-aligned */
	sb_puts(&d->sb, "mmap");
	dec_put_fd(d, &r->tg);
	sb_printf(&d->sb, " len=%llu prot=%s share=%s off=%llu",
		  (unsigned long long)len,
		  prot == 5 ? "READ|EXEC" : prot_names[prot], share,
		  (unsigned long long)off);
	dec_put_cpu(d, r->m);
	d->mmap_ops++;
	if (d->lost)
		return;
	/* syscall.c: bpf_map_mmap; arraymap.c: array_map_mmap */
	ok = mm && d->slots[slot].open && (mm->cfg.flags & MF_MMAPABLE) &&
	     d->slots[slot].mode == M_RDWR && strcmp(share, "PRIVATE") &&
	     len && !(off % FUZZ_PAGE) && off + len <= pages * FUZZ_PAGE &&
	     !((prot & 2) && (mm->cfg.flags & MF_RDONLY_PROG));
	if (ok && (prot & 2) && mm->frozen)
		ok = false;
	/* what an executable mapping of a map does is not modelled */
	if (ok && (prot & 4)) {
		d->lost = true;
		return;
	}
	if (!ok || len / FUZZ_PAGE > MAX_PAGES)
		return;
	mp = &d->maps_made[d->nmappings++];
	mp->map = d->slots[slot].map;
	mp->npages = (unsigned int)(len / FUZZ_PAGE);
	mp->maywrite = prot & 2;
	for (p = 0; p < mp->npages; p++)
		mp->prot[p] = (int8_t)prot;
}

/* The harness's default mapping: the newest with a page mapped */
static int default_mapping(const struct dec *d)
{
	int i;

	for (i = (int)d->nmappings - 1; i >= 0; i--)
		if (dec_mapping_live(&d->maps_made[i]))
			return i;
	return -1;
}

static bool page_has(const struct model_mapping *mp, unsigned int p, int need)
{
	return mp->prot[p] >= 0 && (mp->prot[p] & need) == need;
}

/*
 * A mapping with pages mapped with at least need (0: mapped), preferring
 * the default one; the modifier's extra byte starts the search at
 * another. -1: none.
 */
static int pick_mapping(struct dec *d, const struct target *t, int need)
{
	int def = default_mapping(d), i, n = (int)d->nmappings, start = def;
	unsigned int p;

	if (d->lost || def < 0)
		return -1;
	if (t->extra >= 0)
		start = t->extra % n;
	for (i = 0; i < n; i++) {
		int cand = (start + n - i) % n;
		const struct model_mapping *mp = &d->maps_made[cand];

		for (p = 0; p < mp->npages; p++)
			if (page_has(mp, p, need))
				return cand;
	}
	return -1;
}

/*
 * A run of pages with need, chosen by k (which page) and v (how many;
 * -1: all up to the next page without need): [*first, *first + *npages).
 */
static void pick_run(const struct model_mapping *mp, int need, uint8_t k,
		     int v, unsigned int *first, unsigned int *npages)
{
	unsigned int p, nok = 0, run;

	for (p = 0; p < mp->npages; p++)
		nok += page_has(mp, p, need);
	nok = k % nok;
	for (p = 0; p < mp->npages; p++)
		if (page_has(mp, p, need) && !nok--)
			break;
	*first = p;
	for (run = 0; p + run < mp->npages && page_has(mp, p + run, need);
	     run++)
		;
	*npages = v < 0 ? run : 1 + (unsigned int)v % run;
}

static void put_map(struct dec *d, int map)
{
	if (map != default_mapping(d))
		sb_printf(&d->sb, " map=%d", map);
}

/* munmap and mprotect: whole pages, sometimes a misaligned start */
static void op_unmap_protect(struct dec *d, struct rec *r, bool unmap)
{
	int map = pick_mapping(d, &r->tg, 0), prot = r->f % 4;
	struct model_mapping *mp;
	unsigned int first, npages, p;
	bool misaligned = r->f >= 224;
	uint64_t off, len;

	if (map < 0)
		return;
	mp = &d->maps_made[map];
	pick_run(mp, 0, r->k, r->v, &first, &npages);
	off = (uint64_t)first * FUZZ_PAGE + misaligned;
	len = (uint64_t)npages * FUZZ_PAGE - misaligned;
	sb_puts(&d->sb, unmap ? "munmap" : "mprotect");
	put_map(d, map);
	sb_printf(&d->sb, " off=%llu len=%llu", (unsigned long long)off,
		  (unsigned long long)len);
	if (!unmap)
		sb_printf(&d->sb, " prot=%s", prot_names[prot]);
	dec_put_cpu(d, r->m);
	/* a read-only mapping lost VM_MAYWRITE: no PROT_WRITE later */
	if (misaligned || (!unmap && (prot & 2) && !mp->maywrite))
		return;
	for (p = first; p < first + npages; p++)
		mp->prot[p] = (int8_t)(unmap ? -1 : prot);
}

/* mread and mwrite: bytes inside pages readable (writable) */
static void op_access(struct dec *d, struct rec *r, bool write)
{
	int need = write ? 2 : 1, map = pick_mapping(d, &r->tg, need);
	struct model_mapping *mp;
	unsigned int first, npages;
	uint64_t off, end, len;

	if (map < 0)
		return;
	mp = &d->maps_made[map];
	pick_run(mp, need, r->k, -1, &first, &npages);
	off = (uint64_t)first * FUZZ_PAGE + (r->v * 24ULL) % FUZZ_PAGE;
	end = (uint64_t)(first + npages) * FUZZ_PAGE;
	len = 1 + r->f % (write ? 16 : 64);
	if (off + len > end)
		len = end - off;
	sb_puts(&d->sb, write ? "mwrite" : "mread");
	put_map(d, map);
	sb_printf(&d->sb, " off=%llu", (unsigned long long)off);
	if (write) {
		sb_puts(&d->sb, " data=");
		dec_put_pattern(d, r->k, len, 0);
	} else {
		sb_printf(&d->sb, " len=%llu", (unsigned long long)len);
	}
	dec_put_cpu(d, r->m);
}

/* --- helpers only a program calls -------------------------------------- */

static void op_prog_only(struct dec *d, struct rec *r, const char *op)
{
	int slot = dec_target_slot(d, &r->tg);
	uint32_t cpu;

	/* always program-side: only where a program can be loaded */
	if (!dec_want_prog(d, 0xff, slot))
		return;
	if (strcmp(op, "lookup_percpu")) {
		op_keyless_prog(d, r, op);	/* push, pop, peek */
		return;
	}
	sb_puts(&d->sb, op);
	dec_put_prog_fd(d, slot);
	dec_put_key(d, "key", r->k, r->c, true);
	if (r->f % 8 < 5)
		cpu = r->f % d->ncpus;
	else if (r->f % 8 < 7)
		cpu = d->ncpus + r->f % 8 - 5;
	else
		cpu = UINT32_MAX;
	sb_printf(&d->sb, " target_cpu=%u", cpu);
	dec_put_cpu(d, r->m);
}

/* --- ops -------------------------------------------------------------- */

enum dop {
	D_LOOKUP, D_UPDATE, D_DELETE, D_NEXT, D_LOOKUP_AND_DELETE, D_FREEZE,
	D_LOOKUP_BATCH, D_LOOKUP_AND_DELETE_BATCH, D_UPDATE_BATCH,
	D_DELETE_BATCH, D_PIN, D_GET, D_UNLINK, D_CLOSE, D_INFO,
	D_GET_FD_BY_ID, D_NEXT_ID, D_MKDIR, D_RMDIR, D_MMAP, D_MUNMAP,
	D_MPROTECT, D_MREAD, D_MWRITE, D_PUSH, D_POP, D_PEEK,
	D_LOOKUP_PERCPU, D_CREATE,
	D__COUNT
};

/* How many of the 256 opcode values each op takes (they add up to 256). */
static const uint8_t op_weight[D__COUNT] = {
	[D_LOOKUP] = 42, [D_UPDATE] = 61, [D_DELETE] = 26, [D_NEXT] = 27,
	[D_LOOKUP_AND_DELETE] = 10, [D_FREEZE] = 3, [D_LOOKUP_BATCH] = 10,
	[D_LOOKUP_AND_DELETE_BATCH] = 6, [D_UPDATE_BATCH] = 10,
	[D_DELETE_BATCH] = 6, [D_PIN] = 5, [D_GET] = 5, [D_UNLINK] = 3,
	[D_CLOSE] = 3, [D_INFO] = 7, [D_GET_FD_BY_ID] = 2, [D_NEXT_ID] = 1,
	[D_MKDIR] = 2, [D_RMDIR] = 2, [D_MMAP] = 4, [D_MUNMAP] = 2,
	[D_MPROTECT] = 2, [D_MREAD] = 4, [D_MWRITE] = 4, [D_PUSH] = 1,
	[D_POP] = 1, [D_PEEK] = 1, [D_LOOKUP_PERCPU] = 4, [D_CREATE] = 2,
};

static enum dop op_of(uint8_t o)
{
	unsigned int i, v = o;

	for (i = 0; i < D__COUNT - 1 && v >= op_weight[i]; i++)
		v -= op_weight[i];
	return (enum dop)i;
}

void dec_op(struct dec *d)
{
	enum dop op = op_of(dec_next(d));
	struct rec r;

	if (op == D_CREATE) {
		if (d->ncreates < MAX_CREATES)
			dec_create(d);
		return;
	}
	r.m = dec_next(d);
	r.k = dec_next(d);
	r.v = dec_next(d);
	r.f = dec_next(d);
	d->rng = (uint64_t)r.m << 24 | r.k << 16 | r.v << 8 | r.f;
	dec_pick_fd(d, r.m, &r.tg);
	r.slot = dec_target_slot(d, &r.tg);
	r.c = dec_slot_cfg(d, r.slot, &r.t);

	switch (op) {
	case D_LOOKUP:
		op_lookup(d, &r);
		break;
	case D_UPDATE:
		op_update(d, &r);
		break;
	case D_DELETE:
		op_delete(d, &r);
		break;
	case D_NEXT:
		op_next(d, &r);
		break;
	case D_LOOKUP_AND_DELETE:
		op_lookup_and_delete(d, &r);
		break;
	case D_FREEZE:
		op_freeze(d, &r);
		break;
	case D_LOOKUP_BATCH:
		op_lookup_batch(d, &r, "lookup_batch");
		break;
	case D_LOOKUP_AND_DELETE_BATCH:
		op_lookup_batch(d, &r, dec_reuse_open(d, r.slot) ?
				"lookup_batch" : "lookup_and_delete_batch");
		break;
	case D_UPDATE_BATCH:
		op_write_batch(d, &r, true);
		break;
	case D_DELETE_BATCH:
		op_write_batch(d, &r, false);
		break;
	case D_PIN:
		op_pin(d, &r);
		break;
	case D_GET:
		op_get(d, &r);
		break;
	case D_UNLINK:
		op_unlink(d, &r);
		break;
	case D_CLOSE:
		op_close(d, &r);
		break;
	case D_INFO:
		op_info(d, &r);
		break;
	case D_GET_FD_BY_ID:
		op_get_fd_by_id(d, &r);
		break;
	case D_NEXT_ID:
		op_next_id(d, &r);
		break;
	case D_MKDIR:
		op_mkdir(d, &r, true);
		break;
	case D_RMDIR:
		op_mkdir(d, &r, false);
		break;
	case D_MMAP:
		op_mmap(d, &r);
		break;
	case D_MUNMAP:
		op_unmap_protect(d, &r, true);
		break;
	case D_MPROTECT:
		op_unmap_protect(d, &r, false);
		break;
	case D_MREAD:
		op_access(d, &r, false);
		break;
	case D_MWRITE:
		op_access(d, &r, true);
		break;
	case D_PUSH:
		op_prog_only(d, &r, "push");
		break;
	case D_POP:
		op_prog_only(d, &r, "pop");
		break;
	case D_PEEK:
		op_prog_only(d, &r, "peek");
		break;
	default:
		op_prog_only(d, &r, "lookup_percpu");
		break;
	}
	/* an op left out writes nothing; a line ends every other */
	if (d->sb.len && d->sb.p[d->sb.len - 1] != '\n')
		sb_puts(&d->sb, "\n");
}

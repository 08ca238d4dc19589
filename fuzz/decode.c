// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The binary half of the decoder: a header chooses a map, then records of
 * five bytes choose ops (the format is in fuzz/README.md). Bytes past
 * the end of the input read as 0.
 *
 * The decoder keeps a model of what the scenario has made so far (fd
 * slots, maps, pins, mappings), with the kernel's rules for whether each
 * create, get, pin, freeze and mmap succeeds. Program-side ops and ops on
 * mappings are only written where the model says their slot or mapping
 * exists: the harness runs nothing else (a problem of the run, not a
 * result). Where the model cannot tell (an attr cut short or poked, a
 * NUMA node), it is "lost" and those ops are written on the syscall side
 * or left out from then on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "decode_bin.h"

/* Map types that do not exist (common/create_unknown_type.scn) */
static const uint32_t bad_types[] = {
	0, 0x63, 0x3e8, 0x80000000, 0xffffffff,
};

static const char *const good_names[] = {
	"m", "fuzz_map", "a.b_c", "ABCDEFGHIJKLMNO",
};

/* The next input byte; 0 once the input is used up. */
uint8_t dec_next(struct dec *d)
{
	if (!d->n)
		return 0;
	d->n--;
	return *d->p++;
}

/* splitmix64: raw keys and values from a few input bytes */
uint8_t dec_rnd(struct dec *d)
{
	uint64_t z = (d->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint8_t)(z ^ (z >> 31));
}

/* Patterned value bytes: distinct, never 0xAA (the output fill). */
static uint8_t pattern(uint8_t seed, size_t i)
{
	uint8_t b = (uint8_t)(seed * 0x1f + i * 0x0d + 0x35);

	return b == 0xaa ? 0xab : b;
}

/* --- flags ---------------------------------------------------------- */

const struct flag_name dec_map_flag_names[] = {
	{ "NO_PREALLOC", 1 << 0 }, { "NO_COMMON_LRU", 1 << 1 },
	{ "NUMA_NODE", 1 << 2 }, { "RDONLY", 1 << 3 }, { "WRONLY", 1 << 4 },
	{ "STACK_BUILD_ID", 1 << 5 }, { "ZERO_SEED", 1 << 6 },
	{ "RDONLY_PROG", 1 << 7 }, { "WRONLY_PROG", 1 << 8 },
	{ "CLONE", 1 << 9 }, { "MMAPABLE", 1 << 10 },
	{ "PRESERVE_ELEMS", 1 << 11 }, { "INNER_MAP", 1 << 12 },
	{ "LINK", 1 << 13 }, { "PATH_FD", 1 << 14 },
	{ "VTYPE_BTF_OBJ_FD", 1 << 15 }, { "TOKEN_FD", 1 << 16 },
	{ NULL, 0 },
}, dec_elem_flag_names[] = {
	{ "NOEXIST", 1 }, { "EXIST", 2 }, { "LOCK", 4 }, { NULL, 0 },
}, dec_file_flag_names[] = {
	{ "RDONLY", 1 << 3 }, { "WRONLY", 1 << 4 }, { "PATH_FD", 1 << 14 },
	{ NULL, 0 },
};

/* " key=A|B|0x..." (ANY for 0 among element flags) */
void dec_put_flags(struct dec *d, const char *key, uint64_t v,
		   const struct flag_name *names)
{
	const char *sep = "";
	size_t i;

	sb_printf(&d->sb, " %s=", key);
	if (!v) {
		sb_puts(&d->sb, names == dec_elem_flag_names ? "ANY" : "0");
		return;
	}
	for (i = 0; names[i].name; i++) {
		if (!(v & names[i].bit))
			continue;
		sb_printf(&d->sb, "%s%s", sep, names[i].name);
		v &= ~names[i].bit;
		sep = "|";
	}
	if (v)
		sb_printf(&d->sb, "%s0x%llx", sep, (unsigned long long)v);
}

void dec_put_elem_flags(struct dec *d, const char *key, uint64_t v)
{
	dec_put_flags(d, key, v, dec_elem_flag_names);
}

/* Any one bit of 64: most are in no set of flags */
uint64_t dec_raw_bit(uint8_t b)
{
	return 1ULL << (b % 64);
}

/* --- the model ------------------------------------------------------ */

int dec_newest_open(const struct dec *d)
{
	int i;

	for (i = (int)d->nslots - 1; i >= 0; i--)
		if (d->slots[i].open)
			return i;
	return -1;
}

bool dec_mapping_live(const struct model_mapping *m)
{
	unsigned int p;

	for (p = 0; p < m->npages; p++)
		if (m->prot[p] >= 0)
			return true;
	return false;
}

/* Something still holds the map: an fd, a pin or a mapped page. */
bool dec_map_alive(const struct dec *d, int map)
{
	unsigned int i;

	for (i = 0; i < d->nslots; i++)
		if (d->slots[i].open && d->slots[i].map == map)
			return true;
	for (i = 0; i < P__COUNT; i++)
		if (d->ent[i] == map)
			return true;
	for (i = 0; i < d->nmappings; i++)
		if (d->maps_made[i].map == map &&
		    dec_mapping_live(&d->maps_made[i]))
			return true;
	return false;
}

bool dec_map_writer(const struct dec *d, int map)
{
	unsigned int i;

	for (i = 0; i < d->nmappings; i++)
		if (d->maps_made[i].map == map && d->maps_made[i].maywrite &&
		    dec_mapping_live(&d->maps_made[i]))
			return true;
	return false;
}

void dec_slot_add(struct dec *d, int map, enum fmode mode)
{
	struct model_slot *s = &d->slots[d->nslots++];

	s->map = map;
	s->mode = mode;
	s->open = true;
}

/* The map behind a slot the model knows, or NULL. */
struct model_map *dec_slot_map(struct dec *d, int slot)
{
	if (d->lost || slot < 0 || (unsigned int)slot >= d->nslots)
		return NULL;
	return &d->maps[d->slots[slot].map];
}

/*
 * A hash map without BPF_F_ZERO_SEED walks in an order of its own
 * (random seed): an answer that depends on the order (the key after a
 * given one, a batch resumed at a bucket or cut short, what a failing
 * batch wrote) differs from run to run, on the kernel as well.
 */
static bool cfg_order_open(const struct fuzz_type *t, const struct fuzz_cfg *c)
{
	return t && t->htab && !(c->flags & MF_ZERO_SEED);
}

bool dec_order_open(const struct dec *d, int slot)
{
	if (d->lost)
		return d->any_open_order;
	if (slot < 0)
		return false;	/* no map: EBADF whatever the order */
	return cfg_order_open(d->maps[d->slots[slot].map].t,
			      &d->maps[d->slots[slot].map].cfg);
}

/*
 * A PERCPU_HASH reuses freed elements, and a reused one shows its old
 * padding; LOOKUP_AND_DELETE_BATCH frees in bucket order, so with a
 * random seed which element comes back next is the seed's
 * (tests/corpus/fuzz/percpu_hash_batch_free_order.scn has it seeded).
 */
bool dec_reuse_open(const struct dec *d, int slot)
{
	const struct model_map *m;

	if (d->lost || slot < 0)
		return dec_order_open(d, slot);
	m = &d->maps[d->slots[slot].map];
	return m->t && m->t->percpu && dec_order_open(d, slot);
}

/* Sizes for an op on slot: its map's, or the last create's. */
const struct fuzz_cfg *dec_slot_cfg(struct dec *d, int slot,
				    const struct fuzz_type **t)
{
	struct model_map *m = dec_slot_map(d, slot);

	*t = m ? m->t : d->last_t;
	return m ? &m->cfg : &d->last;
}

/* --- the fd an op acts on -------------------------------------------- */

/* cut to the field's start where one would end inside a pointer */
static const uint16_t attr_sizes[32] = {
	0, 2, 8, 14, 16, 22, 24, 32, 40, 44, 48, 56, 64, 72, 80, 88,
	92, 96, 100, 120, 144, 160, 167, 168, 169, 176, 256, 1024, 4095,
	4096, 4097, 8192,
};

/*
 * The modifier byte: bits 5-7 all set take one more byte, which names
 * an older slot, fd=closed, fd=notmap, or cuts or pokes the attr.
 */
void dec_pick_fd(struct dec *d, uint8_t m, struct target *t)
{
	unsigned int count;
	uint8_t r;

	t->kind = FK_NEWEST;
	t->slot = d->lost ? -1 : dec_newest_open(d);
	t->attr_size = -1;
	t->poke = false;
	t->extra = -1;
	if ((m >> 5) != 7)
		return;
	r = dec_next(d);
	t->extra = r;
	switch (r & 7) {
	case 0: case 1: case 2:
		/* a slot by number: one the model made, or any the parser
		 * allows once the model is lost */
		count = d->lost ? d->fd_ops : d->nslots;
		if (!count)
			return;
		t->kind = FK_SLOT;
		t->slot = (int)((r >> 3) % count);
		if (d->lost)
			t->slot = -1 - t->slot;	/* not a model slot */
		return;
	case 3:
		t->kind = FK_CLOSED;
		t->slot = -1;
		return;
	case 4:
		t->kind = FK_NOTMAP;
		t->slot = -1;
		return;
	case 5:
		t->attr_size = attr_sizes[r >> 3];
		return;
	case 6:
		t->poke = true;
		t->poke_b = r;
		return;
	default:
		/* a byte past the kernel's attr: E2BIG */
		t->attr_size = 169 + (r >> 3) * 97;
		t->poke = true;
		t->poke_b = r;
		return;
	}
}

void dec_put_fd(struct dec *d, const struct target *t)
{
	switch (t->kind) {
	case FK_SLOT:
		sb_printf(&d->sb, " fd=%d", t->slot >= 0 ? t->slot :
			  -1 - t->slot);
		break;
	case FK_CLOSED:
		sb_puts(&d->sb, " fd=closed");
		break;
	case FK_NOTMAP:
		sb_puts(&d->sb, " fd=notmap");
		break;
	default:
		break;
	}
}

/* The model slot an op acts on (the newest open one by default). */
int dec_target_slot(const struct dec *d, const struct target *t)
{
	if (d->lost || t->slot < 0)
		return -1;
	return t->slot;
}

/*
 * Where each command's last attr field ends (CHECK_ATTR): a poke from
 * there on never lands on a pointer or an fd the harness put there.
 */
static unsigned int attr_tail(const char *op)
{
	static const struct {
		const char *op;
		unsigned int tail;
	} tails[] = {
		{ "create", 92 }, { "lookup", 32 }, { "update", 32 },
		{ "lookup_and_delete", 32 }, { "delete", 16 }, { "next", 24 },
		{ "freeze", 4 }, { "lookup_batch", 56 },
		{ "lookup_and_delete_batch", 56 }, { "update_batch", 56 },
		{ "delete_batch", 56 }, { "pin", 20 }, { "get", 20 },
		{ "info", 16 }, { "get_fd_by_id", 12 }, { "next_id", 8 },
	};
	size_t i;

	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++)
		if (!strcmp(tails[i].op, op))
			return tails[i].tail;
	return 168;
}

/* attr_size= and poke= of a bpf(2) op; true if it has either. */
bool dec_put_attr(struct dec *d, const char *op, const struct target *t)
{
	unsigned int tail = attr_tail(op), off;

	if (t->attr_size >= 0)
		sb_printf(&d->sb, " attr_size=%u",
			  fuzz_attr_cut(op, (uint32_t)t->attr_size));
	if (t->poke) {
		if (t->attr_size > 168)
			off = 168 + t->poke_b % (t->attr_size - 168);
		else
			off = tail + t->poke_b % (168 - tail);
		sb_printf(&d->sb, " poke=%u:%02x", off, t->poke_b | 1);
	}
	return t->attr_size >= 0 || t->poke;
}

/*
 * cpu= from the modifier: bits 0-1 set with bit 5 clear name CPU 1 (one
 * op in 8); bits 0-1 = 2 with bits 5-7 clear name CPU 0. Moving the
 * caller to another CPU and back costs more than most ops.
 */
void dec_put_cpu(struct dec *d, uint8_t m)
{
	if ((m & 3) == 2 && !(m >> 5))
		sb_puts(&d->sb, " cpu=0");
	else if ((m & 3) == 3 && !(m & 0x20))
		sb_printf(&d->sb, " cpu=%u", 1 % d->ncpus);
}

/* The modifier's bits 2-4 ask for the program side; can it run there? */
bool dec_want_prog(const struct dec *d, uint8_t m, int slot)
{
	const struct model_map *mm;

	if (((m >> 2) & 7) < 5 || d->lost || slot < 0 ||
	    !d->slots[slot].open)
		return false;
	mm = &d->maps[d->slots[slot].map];
	return mm->cfg.key_size <= PROG_KEY_MAX &&
	       mm->cfg.value_size <= PROG_VALUE_MAX;
}

/* fd= for a program-side op: only when it is not the newest slot */
void dec_put_prog_fd(struct dec *d, int slot)
{
	if (slot != dec_newest_open(d))
		sb_printf(&d->sb, " fd=%d", slot);
}

/* --- keys and values -------------------------------------------------- */

void dec_put_index_key(struct dec *d, uint64_t idx, size_t len)
{
	uint8_t b[8] = { 0 };
	size_t i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(idx >> (8 * i));
	sb_hex(&d->sb, b, len < 8 ? len : 8);
	for (i = 8; i < len; i++)
		sb_puts(&d->sb, "00");
}

/* Pool key i: small indexes, so that hits and full maps are common. */
uint64_t dec_key_index(uint8_t k, uint32_t max_entries)
{
	uint64_t span = (uint64_t)max_entries + 3;

	if (k < 160)
		return k % (span < 12 ? span : 12);
	if (k < 208)
		return k % span;
	return max_entries + (k & 15);	/* past the end */
}

static uint8_t bit_reverse(uint8_t b)
{
	b = (uint8_t)((b & 0xf0) >> 4 | (b & 0x0f) << 4);
	b = (uint8_t)((b & 0xcc) >> 2 | (b & 0x33) << 2);
	return (uint8_t)((b & 0xaa) >> 1 | (b & 0x55) << 1);
}

/*
 * An LPM trie's pool key: prefixes that nest and branch, so that lookups
 * hit by longest prefix and deletes miss by a bit. The data starts with
 * the pool index bit-reversed (indexes part at the first bits), then a
 * pattern; k's high bits vary the bytes past the prefix and pick the
 * prefixlen: mostly the whole data (an address), else a shorter prefix
 * of it, now and then one bit too long.
 */
static void dec_put_lpm_key(struct dec *d, uint8_t k,
			    const struct fuzz_cfg *c)
{
	uint32_t ds = c->key_size - 4, maxlen = 8 * ds;
	const uint32_t plens[9] = {
		maxlen, maxlen, maxlen, maxlen - 1, maxlen / 2, 3, 1, 0,
		maxlen + 1,
	};
	uint32_t plen = plens[(k >> 2) % 9], i;
	uint8_t b[4];

	for (i = 0; i < 4; i++)
		b[i] = (uint8_t)(plen >> (8 * i));
	sb_hex(&d->sb, b, 4);
	for (i = 0; i < ds; i++) {
		uint8_t x = i ? (uint8_t)(0xa5 + 0x22 * i) :
			    bit_reverse((uint8_t)dec_key_index(k,
							       c->max_entries));

		if (i == ds - 1)
			x ^= k >> 4;
		sb_hex(&d->sb, &x, 1);
	}
}

/* The hex of pool key k: key_size bytes (at least 1). */
void dec_put_pool_key(struct dec *d, uint8_t k, const struct fuzz_cfg *c)
{
	const struct fuzz_type *t = fuzz_type_find(c->type);

	if (t && t->lpm)
		dec_put_lpm_key(d, k, c);
	else
		dec_put_index_key(d, dec_key_index(k, c->max_entries),
				  c->key_size ? c->key_size : 1);
}

/*
 * " key=..." from a key byte: a pool key mostly; else raw bytes, a key
 * longer than key_size, null, or none (all zero). A program passes
 * exactly key_size bytes, so it gets a pool key instead.
 */
void dec_put_key(struct dec *d, const char *name, uint8_t k,
		 const struct fuzz_cfg *c, bool prog)
{
	size_t ks = c->key_size, i, n;

	/* key_size 0: NULL mostly; a program's key is 0 bytes */
	if (!ks && k < 208 && !prog) {
		sb_printf(&d->sb, " %s=null", name);
		return;
	}
	if (k >= 250 || (!ks && (k >= 208 || prog)))
		return;
	if (k >= 244 && !prog) {
		sb_printf(&d->sb, " %s=null", name);
		return;
	}
	sb_printf(&d->sb, " %s=", name);
	if (k >= 224 && k < 236) {
		n = ks < 64 ? ks : 64;	/* the rest is zero-padded */
		d->rng ^= k;
		for (i = 0; i < n; i++) {
			uint8_t b = dec_rnd(d);

			sb_hex(&d->sb, &b, 1);
		}
		if (!n)
			sb_puts(&d->sb, "00");
		return;
	}
	if (k >= 236 && !prog) {
		dec_put_pool_key(d, k, c);
		for (i = 0; i <= (size_t)(k & 7); i++)
			sb_puts(&d->sb, "ee");
		return;
	}
	dec_put_pool_key(d, k < 224 ? k : k & 127, c);
}

/* n value bytes of seed, a `_` every group bytes (0: none) */
void dec_put_pattern(struct dec *d, uint8_t seed, uint64_t n,
		     uint64_t group)
{
	uint64_t i;

	for (i = 0; i < n; i++) {
		uint8_t b = pattern((uint8_t)(seed + (group ? i / group : 0) *
						     0x40), i);

		if (group && i && i % group == 0)
			sb_puts(&d->sb, "_");
		sb_hex(&d->sb, &b, 1);
	}
}

/*
 * A bloom filter's value (pushed, or peeked as an input): one of a few,
 * so that peeks find what was pushed, and what was not, often.
 */
void dec_put_bloom_value(struct dec *d, const char *name, uint8_t v,
			 const struct fuzz_type *t, const struct fuzz_cfg *c,
			 bool prog)
{
	dec_put_value(d, name, v < 224 ? v % 24 : v, t, c, prog);
}

/*
 * " value=..." from a value byte: patterned bytes mostly (a syscall-side
 * per-CPU value has one slot per CPU), else zeros, raw bytes, a short
 * value (zero-padded), null, or none.
 */
void dec_put_value(struct dec *d, const char *name, uint8_t v,
		   const struct fuzz_type *t, const struct fuzz_cfg *c,
		   bool prog)
{
	uint64_t len = prog ? c->value_size :
		       fuzz_value_stride(t, c->value_size, d->ncpus);
	uint64_t group = !prog && t && t->percpu ? ROUND8(c->value_size) : 0;
	uint64_t i;

	if (v >= 250)
		return;
	if (v >= 246 && !prog) {
		sb_printf(&d->sb, " %s=null", name);
		return;
	}
	sb_printf(&d->sb, " %s=", name);
	if (!len) {
		sb_puts(&d->sb, "00");
		return;
	}
	if (v >= 224 && v < 232) {
		for (i = 0; i < len; i++)
			sb_puts(&d->sb, "00");
	} else if (v >= 232 && v < 240) {
		d->rng ^= v;
		for (i = 0; i < len; i++) {
			uint8_t b = dec_rnd(d);

			sb_hex(&d->sb, &b, 1);
		}
	} else if (v >= 240) {
		dec_put_pattern(d, v, 1 + v % (len < 7 ? len : 7), 0);
	} else {
		dec_put_pattern(d, v, len, group);
	}
}

/* --- creates ---------------------------------------------------------- */

static uint32_t pick_key_size(uint8_t k)
{
	if (k < 128)
		return 4;
	if (k < 160)
		return 8;
	if (k < 176)
		return 1;
	if (k < 192)
		return 2;
	if (k < 200)
		return 3;
	if (k < 208)
		return 16;
	if (k < 216)
		return 5 + k % 3;
	if (k < 224)
		return 12;
	if (k < 232)
		return 32;
	if (k < 240)
		return 64;
	if (k < 248)
		return 256;
	if (k < 252)
		return 512;
	return 513 + k * 3;	/* past what a program takes */
}

/* An LPM trie's key: IPv4 mostly, IPv6, odd sizes, the largest. */
static uint32_t pick_lpm_key_size(uint8_t k)
{
	if (k < 128)
		return 8;
	if (k < 160)
		return 20;
	if (k < 176)
		return 5;
	if (k < 192)
		return 6 + k % 3;
	if (k < 208)
		return 12;
	if (k < 240)
		return 36;
	return 260;
}

static uint32_t pick_value_size(uint8_t v)
{
	if (v < 128)
		return 8;
	if (v < 160)
		return 4;
	if (v < 176)
		return 1 + v % 3;
	if (v < 192)
		return 5 + v % 3;	/* padding bytes in every slot */
	if (v < 208)
		return 16;
	if (v < 216)
		return 12;
	if (v < 224)
		return 24;
	if (v < 240)
		return 32 + 8 * (v % 5);
	if (v < 250)
		return 100 + (v % 8) * 100;
	if (v < 253)
		return 1024 + (v % 8) * 384;
	if (v < 255)
		return 4096;
	return 32768;	/* past what a program takes */
}

static uint32_t pick_max_entries(uint8_t e)
{
	if (e < 200)
		return 1 + e % 8;	/* full maps are common */
	if (e < 240)
		return 9 + (e * 7) % 56;
	if (e < 254)
		return 65 + (e * 37) % 192;
	return e == 254 ? 512 : 4096;
}

/*
 * Bit 0: flag_a; bits 1-2 both: flag_b; bits 3-5: 5 RDONLY_PROG, 6
 * WRONLY_PROG, 7 a rarer flag by bits 6-7. The fuzzers' map pool takes
 * no RDONLY or WRONLY map (nor a PERCPU_HASH without prealloc): those
 * are the rare ones.
 */
static uint32_t pick_flags(const struct fuzz_type *t, uint8_t f)
{
	static const uint32_t prog[8] = {
		[5] = MF_RDONLY_PROG, [6] = MF_WRONLY_PROG,
	};
	static const uint32_t rare[4] = {
		MF_RDONLY, MF_WRONLY,
		MF_NUMA_NODE,		/* numa_node 0: always online */
		MF_INNER_MAP,
	};
	uint32_t flags = prog[(f >> 3) & 7];

	if (f & 1)
		flags |= t->flag_a;
	if ((f & 6) == 6)
		flags |= t->flag_b;
	if (((f >> 3) & 7) == 7)
		flags |= rare[f >> 6];
	return (flags & t->map_flags) | t->flags_required;
}

/* A flag known to the kernel that this type refuses */
static uint32_t foreign_flag(const struct fuzz_type *t, uint8_t b)
{
	uint32_t bad = MF_KNOWN & ~t->map_flags & ~MF_TOKEN_FD;
	unsigned int n = (unsigned int)__builtin_popcount(bad), k, i;

	k = b % n;
	for (i = 0; i < 32; i++)
		if ((bad & (1U << i)) && !k--)
			return 1U << i;
	return MF_INNER_MAP;
}

/* One way to make a valid create invalid (X >= 0xe0: X - 0xe0). */
enum defect {
	DF_MAX_ENTRIES_0, DF_VALUE_SIZE_0, DF_KEY_SIZE, DF_FOREIGN_FLAG,
	DF_RDONLY_WRONLY, DF_PROG_RDONLY_WRONLY, DF_MAP_EXTRA, DF_NUMA_NODE,
	DF_TYPE, DF_RAW_FLAG, DF_TOKEN_FD, DF_MAX_ENTRIES_HUGE,
	DF_VALUE_SIZE_HUGE, DF_NAME_CHAR, DF_NAME_LONG, DF_ATTR_TAIL,
};

static void apply_defect(const struct fuzz_type *t, struct fuzz_cfg *c,
			 enum defect df, uint8_t e)
{
	switch (df) {
	case DF_MAX_ENTRIES_0:
		c->max_entries = 0;
		break;
	case DF_VALUE_SIZE_0:
		c->value_size = 0;
		break;
	case DF_KEY_SIZE:
		if (t->key_size_max)	/* just outside the range */
			c->key_size = e & 1 ? t->key_size_min - 1 :
					      t->key_size_max + 1;
		else
			c->key_size = t->keyless ? 4 :
				      t->key_size ? t->key_size * 2 : 0;
		break;
	case DF_FOREIGN_FLAG:
		if (t->flags_required && (e & 1))
			c->flags &= ~t->flags_required;
		else
			c->flags |= foreign_flag(t, e);
		break;
	case DF_RDONLY_WRONLY:
		c->flags |= MF_RDONLY | MF_WRONLY;
		break;
	case DF_PROG_RDONLY_WRONLY:
		c->flags |= MF_RDONLY_PROG | MF_WRONLY_PROG;
		break;
	case DF_MAP_EXTRA:
		c->map_extra = t->map_extra_mask + 1 + e;
		break;
	case DF_NUMA_NODE:
		c->flags |= MF_NUMA_NODE;
		c->numa_node = 0x7fffffff;
		break;
	case DF_TYPE:
		c->type = bad_types[e % 5];
		break;
	case DF_RAW_FLAG:
		c->flags |= 1U << (17 + e % 15);
		break;
	case DF_TOKEN_FD:
		c->flags |= MF_TOKEN_FD;
		break;
	case DF_MAX_ENTRIES_HUGE:
		/* only where it fails before allocating */
		c->max_entries = t->max_entries_max ?
				 t->max_entries_max + 1 + e * 0x10001U : 0;
		break;
	case DF_VALUE_SIZE_HUGE:
		c->value_size = t->value_size_max < UINT32_MAX ?
				t->value_size_max + 1 :
				t->kv_max - c->key_size + 1;
		break;
	case DF_NAME_CHAR:
		strcpy(c->name, "a-b");
		break;
	case DF_NAME_LONG:
		strcpy(c->name, "abcdefghijklmnop");
		break;
	default:
		break;
	}
}

static void put_create(struct dec *d, const struct fuzz_cfg *c)
{
	const struct fuzz_type *t = fuzz_type_find(c->type);

	sb_puts(&d->sb, "create type=");
	if (t)
		sb_puts(&d->sb, t->name);
	else
		sb_printf(&d->sb, "0x%x", c->type);
	sb_printf(&d->sb, " key_size=%u value_size=%u max_entries=%u",
		  c->key_size, c->value_size, c->max_entries);
	if (c->flags)
		dec_put_flags(d, "flags", c->flags, dec_map_flag_names);
	if (c->numa_node)
		sb_printf(&d->sb, " numa_node=%u", c->numa_node);
	if (c->map_extra)
		sb_printf(&d->sb, " map_extra=%llu",
			  (unsigned long long)c->map_extra);
	if (c->name[0])
		sb_printf(&d->sb, " name=%s", c->name);
}

/* The model after a create line: a new slot, nothing, or lost. */
static void model_create(struct dec *d, const struct fuzz_cfg *c,
			 enum fuzz_cfg_outcome out)
{
	struct model_map *m;

	d->fd_ops++;
	if (out == CFG_UNKNOWN)
		d->lost = true;
	if (out != CFG_FAILS && cfg_order_open(fuzz_type_find(c->type), c))
		d->any_open_order = true;
	if (out != CFG_OK || d->lost)
		return;
	m = &d->maps[d->nmaps];
	m->cfg = *c;
	m->t = fuzz_type_find(c->type);
	m->frozen = false;
	dec_slot_add(d, (int)d->nmaps++, c->flags & MF_RDONLY ? M_RDONLY :
				     c->flags & MF_WRONLY ? M_WRONLY : M_RDWR);
}

/* fuzz_decode_focus(): the types binary inputs create, if not all */
static const struct fuzz_type *focus[16];
static size_t nfocus;

int fuzz_decode_focus(const char *names)
{
	const char *p = names, *end;
	size_t i, len;

	nfocus = 0;
	while (p && *p) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < fuzz_ntypes; i++)
			if (strlen(fuzz_types[i].name) == len &&
			    !strncmp(fuzz_types[i].name, p, len))
				break;
		if (i == fuzz_ntypes || nfocus == sizeof(focus) / sizeof(focus[0])) {
			nfocus = 0;
			return -EINVAL;	/* not a type the decoder makes */
		}
		focus[nfocus++] = &fuzz_types[i];
		p = end ? end + 1 : NULL;
	}
	return 0;
}

/* The type a create's T byte names, among the focus if there is one. */
static const struct fuzz_type *type_of(uint8_t tb)
{
	return nfocus ? focus[tb % nfocus] : &fuzz_types[tb % fuzz_ntypes];
}

/*
 * A header: a valid create of a type the emulator implements, or (X >=
 * 0xe0) the same made invalid one way, followed by the valid one.
 */
void dec_create(struct dec *d)
{
	uint8_t tb = dec_next(d), kb = dec_next(d), vb = dec_next(d);
	uint8_t eb = dec_next(d), fb = dec_next(d), xb = dec_next(d);
	const struct fuzz_type *t = type_of(tb);
	struct fuzz_cfg c = { .type = t->id }, bad;
	uint64_t bytes;

	d->ncreates++;
	c.key_size = t->keyless ? 0 : t->key_size ? t->key_size :
		     t->lpm ? pick_lpm_key_size(kb) : pick_key_size(kb);
	/* a bloom filter's hash count (0: the default, 5) */
	c.map_extra = kb & t->map_extra_mask;
	c.value_size = pick_value_size(vb);
	/* per-CPU memory for the largest values comes and goes with what
	 * else the kernel holds: an ENOMEM now and then is not a finding */
	if (t->percpu && c.value_size > PERCPU_VALUE_MAX)
		c.value_size = PERCPU_VALUE_MAX;
	c.max_entries = pick_max_entries(eb);
	c.flags = pick_flags(t, fb) | t->flags_always;
	if (xb < 0xe0 && xb % 16 == 15)
		strcpy(c.name, good_names[(xb >> 4) % 4]);
	else if (xb < 0xe0 && xb % 16 == 14 && !(c.flags & MF_NUMA_NODE))
		c.numa_node = xb;	/* ignored without NUMA_NODE */
	/* what the kernel allocates stays small */
	while (fuzz_cfg_check(&c, d->ncpus, &bytes) == CFG_OK &&
	       bytes > KERNEL_BUDGET) {
		if (c.max_entries > 1)
			c.max_entries /= 2;
		else
			c.value_size /= 2;
	}
	if (tb >= 0xf0 || xb >= 0xe0) {
		enum defect df = tb >= 0xf0 ? DF_TYPE :
				 (enum defect)((xb - 0xe0) % 16);

		bad = c;
		apply_defect(t, &bad, df, eb);
		put_create(d, &bad);
		if (df == DF_ATTR_TAIL) {
			sb_puts(&d->sb, " poke=92:01\n");
			model_create(d, &bad, CFG_FAILS);
		} else {
			sb_puts(&d->sb, "\n");
			model_create(d, &bad,
				     fuzz_cfg_check(&bad, d->ncpus, &bytes));
		}
	}
	put_create(d, &c);
	sb_puts(&d->sb, "\n");
	model_create(d, &c, fuzz_cfg_check(&c, d->ncpus, &bytes));
	d->last = c;
	d->last_t = t;
}

static int decode_binary(const uint8_t *data, size_t size, unsigned int ncpus,
			 struct sbuf *sb)
{
	struct dec *d = calloc(1, sizeof(*d));
	unsigned int i;

	if (!d)
		return -ENOMEM;
	d->p = data;
	d->n = size;
	d->ncpus = ncpus ? ncpus : 1;
	for (i = 0; i < P__COUNT; i++)
		d->ent[i] = ENT_NONE;
	/* an LRU map evicts: compare its keys after every op */
	if (size && type_of(data[0])->lru)
		sb_puts(&d->sb, "track keys\n");
	dec_create(d);
	for (i = 0; i < MAX_OPS && d->n && d->sb.len < TEXT_BUDGET; i++)
		dec_op(d);
	*sb = d->sb;
	free(d);
	return 0;
}

int fuzz_decode(const uint8_t *data, size_t size, unsigned int ncpus,
		char **text, size_t *len)
{
	struct sbuf sb = { 0 };
	int err;

	if (size && data[0] == '#')
		err = fuzz_decode_text(data, size, ncpus, &sb);
	else
		err = decode_binary(data, size, ncpus, &sb);
	if (!err && sb.nomem)
		err = -ENOMEM;
	if (!err && !sb.p) {
		sb_put(&sb, "", 0);	/* an empty text, still a string */
		err = sb.nomem ? -ENOMEM : 0;
	}
	if (err) {
		free(sb.p);
		return err;
	}
	*text = sb.p;
	*len = sb.len;
	return 0;
}

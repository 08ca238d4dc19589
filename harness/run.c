// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The runner: builds each op's attr by its 6.18 layout (attr.h), fills
 * every output buffer with 0xAA, calls the backend and keeps what came
 * back. The same bytes go to every backend; only the pointers differ.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/bpf.h>

#include "attr.h"
#include "keyset.h"
#include "run.h"

#define OUT_FILL	0xAA
#define BUF_MAX		(64ULL << 20)	/* largest buffer an op may need */
#define MAX_OPBUFS	8
#define PROG_BATCH_MAX	64	/* program-side ops in one prog_run */

struct slot {
	int fd;
	bool open;
	struct geom g;
	struct keyset keys;	/* `track keys`: after the last op on it */
};

/* A buffer an op passes by pointer; init is what it held before. */
struct opbuf {
	uint8_t *p;
	uint8_t *init;
	size_t len;
	int out;		/* enum out_name, or -1 for an input */
	size_t group;
};

/* Full paths the scenario created on the backend, to remove at the end. */
struct path_list {
	char **v;
	size_t n;
};

/*
 * A mapping a scenario made (mmap), page by page: the protection each
 * page has now, or -1 once unmapped, so that mread/mwrite never touch
 * memory that would fault.
 */
struct mapping {
	uint8_t *addr;
	size_t npages;
	int *page_prot;
	int slot;		/* the fd slot it was made through */
	bool empty_file;	/* of fd=notmap's empty file: all past EOF */
};

struct run_ctx {
	struct backend *be;
	const struct scenario *sc;
	struct run *run;
	struct run_opts opts;
	unsigned int ncpus;
	uint64_t *attr;
	struct slot *slots;
	size_t nslots;
	int notmap_fd;
	struct path_list pins;	/* pinned and not unlinked yet */
	struct path_list dirs;	/* made and not removed yet, oldest first */
	bool info_hash_given;	/* the info buffer holds our hash pointer */
	struct mapping *maps;	/* mapping slots, in the order made */
	size_t nmaps;
	uint8_t *data_buf;	/* mread's output buffer */
	struct opbuf bufs[MAX_OPBUFS];
	unsigned int nbufs;
	bool nomem;
};

static void problem(struct run_ctx *c, unsigned int line, const char *fmt,
		    ...)
{
	struct run *run = c->run;
	struct problem *p;
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		goto nomem;
	p = realloc(run->problems, (run->nproblems + 1) * sizeof(*p));
	if (!p) {
		free(msg);
		goto nomem;
	}
	run->problems = p;
	p[run->nproblems].line = line;
	p[run->nproblems].msg = msg;
	run->nproblems++;
	return;
nomem:
	c->nomem = true;
}

static bool type_is_percpu(uint32_t type)
{
	/* PERCPU_HASH, PERCPU_ARRAY, LRU_PERCPU_HASH, PERCPU_CGROUP_STORAGE */
	return type == 5 || type == 6 || type == 10 || type == 21;
}

/*
 * The hash-table types seed their hash at random unless created with
 * BPF_F_ZERO_SEED: their walk and batch order is then nobody's to
 * compare (HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH, HASH_OF_MAPS).
 */
static bool geom_unordered(const struct geom *g)
{
	return g->known && g->unordered;
}

/* The hash types take a random seed unless BPF_F_ZERO_SEED is given. */
static bool seed_is_random(uint32_t type, uint64_t map_flags)
{
	bool htab = type == 1 || type == 5 || type == 9 || type == 10 ||
		    type == 13;

	return htab && !(map_flags & MAP_F_ZERO_SEED);
}

/* round_up(value_size, 8) per possible CPU for per-CPU maps */
static size_t geom_group(const struct run_ctx *c, const struct geom *g)
{
	(void)c;
	return type_is_percpu(g->type) ? ((size_t)g->value_size + 7) & ~7UL :
					 0;
}

static size_t geom_stride(const struct run_ctx *c, const struct geom *g)
{
	size_t group = geom_group(c, g);

	return group ? group * c->ncpus : g->value_size;
}

/* A number that is not an open fd: high, so that no fd the call itself
 * opens (the kernel's or the emulator's) can take it meanwhile. */
static int closed_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC), hi;

	if (fd < 0)
		return 1023;
	hi = fcntl(fd, F_DUPFD_CLOEXEC, 512);
	close(fd);
	if (hi < 0)
		return 1023;
	close(hi);
	return hi;
}

static int notmap_fd(struct run_ctx *c)
{
	if (c->notmap_fd >= 0)
		return c->notmap_fd;
	/* a regular file with no name: nothing to clean up */
	c->notmap_fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (c->notmap_fd < 0)
		c->notmap_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	return c->notmap_fd;
}

/* The slot an op names (fd=, or the newest open one); -1 if none. */
static int ref_slot(const struct run_ctx *c, const struct fd_ref *ref)
{
	size_t i;

	switch (ref->kind) {
	case FD_SLOT:
		return ref->slot < c->nslots ? (int)ref->slot : -1;
	case FD_NEWEST:
		for (i = c->nslots; i-- > 0;)
			if (c->slots[i].open)
				return (int)i;
		return -1;
	default:
		return -1;
	}
}

static int ref_fd(struct run_ctx *c, const struct fd_ref *ref)
{
	int slot;

	if (ref->kind == FD_NOTMAP)
		return notmap_fd(c);
	slot = ref_slot(c, ref);
	/* a closed slot's number may belong to a newer fd by now */
	if (slot < 0 || !c->slots[slot].open)
		return closed_fd();
	return c->slots[slot].fd;
}

static void *buf_add(struct run_ctx *c, size_t len, int out, size_t group)
{
	struct opbuf *b;

	if (c->nbufs == MAX_OPBUFS || len > BUF_MAX)
		return NULL;
	b = &c->bufs[c->nbufs];
	/* +1: a zero-length buffer still has an address to pass */
	b->p = calloc(1, len + 1);
	b->init = out >= 0 ? malloc(len + 1) : NULL;
	if (!b->p || (out >= 0 && !b->init)) {
		free(b->p);
		free(b->init);
		c->nomem = true;
		return NULL;
	}
	b->len = len;
	b->out = out;
	b->group = group;
	c->nbufs++;
	return b->p;
}

/* Input bytes, zero-padded to at least min_len; NULL for `null`. */
static void *buf_in(struct run_ctx *c, const struct blob *bl, size_t min_len)
{
	uint8_t *p;

	if (bl->null)
		return NULL;
	p = buf_add(c, bl->len > min_len ? bl->len : min_len, -1, 0);
	if (p && bl->len)
		memcpy(p, bl->data, bl->len);
	return p;
}

/* An output buffer: its first fill_len bytes 0xAA, the rest zero. */
static void *buf_out(struct run_ctx *c, const struct blob *bl, int out,
		     size_t len, size_t fill_len, size_t group)
{
	uint8_t *p;

	if (bl->null)
		return NULL;
	p = buf_add(c, len, out, group);
	if (p)
		memset(p, OUT_FILL, fill_len < len ? fill_len : len);
	return p;
}

/*
 * An output buffer that is an input too: the given bytes, zero-padded
 * to len. Still an output: bytes the call changes are captured.
 */
static void *buf_out_from(struct run_ctx *c, const struct blob *bl, int out,
			  size_t len, size_t group)
{
	uint8_t *p = buf_add(c, bl->len > len ? bl->len : len, out, group);

	if (p)
		memcpy(p, bl->data, bl->len);
	return p;
}

static void bufs_snapshot(struct run_ctx *c)
{
	unsigned int i;

	for (i = 0; i < c->nbufs; i++)
		if (c->bufs[i].out >= 0)
			memcpy(c->bufs[i].init, c->bufs[i].p, c->bufs[i].len);
}

/* Each output buffer the call changed becomes an output, whole. */
static void bufs_capture(struct run_ctx *c, struct result *res)
{
	unsigned int i;

	for (i = 0; i < c->nbufs; i++) {
		struct opbuf *b = &c->bufs[i];
		struct output *o;

		if (b->out < 0 || !memcmp(b->p, b->init, b->len))
			continue;
		o = &res->out[b->out];
		o->data = malloc(b->len + 1);
		if (!o->data) {
			c->nomem = true;
			continue;
		}
		memcpy(o->data, b->p, b->len);
		o->len = b->len;
		o->group = b->group;
		o->present = true;
		/* ids are global: never compared as numbers */
		if (b->out == OUT_INFO && b->len > I_ID)
			memset(o->data + I_ID, 0,
			       b->len - I_ID < 4 ? b->len - I_ID : 4);
		/* nor are our buffer's addresses */
		if (b->out == OUT_INFO && c->info_hash_given &&
		    b->len > I_HASH)
			memset(o->data + I_HASH, 0,
			       b->len - I_HASH < 8 ? b->len - I_HASH : 8);
	}
}

static void bufs_free(struct run_ctx *c)
{
	unsigned int i;

	for (i = 0; i < c->nbufs; i++) {
		free(c->bufs[i].p);
		free(c->bufs[i].init);
	}
	memset(c->bufs, 0, sizeof(c->bufs));
	c->nbufs = 0;
}

/* The map behind fd, by OBJ_GET_INFO_BY_FD (not part of the scenario). */
static bool query_geom(struct run_ctx *c, int fd, struct geom *g)
{
	uint8_t info[MAP_INFO_SIZE];

	if (backend_map_info(c->be, fd, info))
		return false;
	geom_from_info(g, info);
	return true;
}

void geom_from_info(struct geom *g, const uint8_t *info)
{
	g->known = true;
	g->type = get_u32(info, I_TYPE);
	g->id = get_u32(info, I_ID);
	g->key_size = get_u32(info, I_KEY_SIZE);
	g->value_size = get_u32(info, I_VALUE_SIZE);
	g->max_entries = get_u32(info, I_MAX_ENTRIES);
	g->map_flags = get_u32(info, I_MAP_FLAGS);
}

/*
 * Whether the map's order is open is the scenario's word, never a
 * backend's: the create line's type and flags, for a map this scenario
 * created; for another fd on it, what its first slot said. (A backend
 * whose map info lost BPF_F_ZERO_SEED must not turn the order checks
 * into set checks.)
 */
static bool slot_unordered(const struct run_ctx *c, const struct op *op,
			   const struct geom *g)
{
	size_t i;

	if (op->code == OP_CREATE)
		return seed_is_random(op->type, op->flags);
	for (i = 0; i < c->nslots - 1; i++)
		if (c->slots[i].g.known && c->slots[i].g.id == g->id)
			return c->slots[i].g.unordered;
	return seed_is_random(g->type, g->map_flags);
}

static void add_slot(struct run_ctx *c, const struct op *op, int fd)
{
	struct slot *s;

	s = realloc(c->slots, (c->nslots + 1) * sizeof(*s));
	if (!s) {
		close(fd);
		c->nomem = true;
		return;
	}
	c->slots = s;
	s = &c->slots[c->nslots++];
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->open = true;
	if (!query_geom(c, fd, &s->g)) {
		problem(c, op->line, "OBJ_GET_INFO_BY_FD on the new fd failed "
			"(%s): map id unknown", strerror(errno));
		if (op->code == OP_CREATE) {
			/* no info from the backend: what was asked for */
			s->g.known = true;
			s->g.type = op->type;
			s->g.key_size = op->key_size;
			s->g.value_size = op->value_size;
			s->g.max_entries = op->max_entries;
			s->g.map_flags = (uint32_t)op->flags;
		}
	}
	s->g.unordered = slot_unordered(c, op, &s->g);
}

static char *op_path(struct run_ctx *c, const struct op *op)
{
	char *path;

	if (!op->path)
		return NULL;
	if (!op->path_in_bpffs)
		return strdup(op->path);
	if (asprintf(&path, "%s/%s", c->be->ops->bpffs_dir(c->be),
		     op->path) < 0)
		return NULL;
	return path;
}

/* Adds path to (or, with add false, removes it from) a list, in order. */
static void path_track(struct run_ctx *c, struct path_list *l, char *path,
		       bool add)
{
	char **v;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], path))
			continue;
		if (!add) {
			free(l->v[i]);
			memmove(&l->v[i], &l->v[i + 1],
				(l->n - i - 1) * sizeof(*l->v));
			l->n--;
		}
		return;
	}
	if (!add)
		return;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	path = strdup(path);
	if (!v || !path) {
		if (v)
			l->v = v;
		free(path);
		c->nomem = true;
		return;
	}
	l->v = v;
	l->v[l->n++] = path;
}

/* Opens a fresh read-write fd on the map (the slot's may be write-only). */
static int fresh_fd(struct run_ctx *c, const struct slot *s)
{
	uint64_t attr[ATTR_SIZE_DEFAULT / 8] = { 0 };
	long fd;

	put_u32(attr, A_ID_START, s->g.id);
	fd = c->be->ops->sys_bpf(c->be, BPF_MAP_GET_FD_BY_ID, attr,
				 sizeof(attr));
	return fd < 0 ? -1 : (int)fd;
}

/*
 * The whole map behind slot s into m; m->walk_err on failure. Through
 * the slot's own fd when it reads (both backends' fds are files with the
 * kernel's access mode): opening and closing another fd is a close(2) a
 * backend must treat as one that may free the map.
 */
static int read_map_by(struct run_ctx *c, const struct slot *s,
		       struct map_state *m, char **anomaly, bool by_batch)
{
	struct walk_target t = {
		.key_size = s->g.key_size,
		.value_stride = geom_stride(c, &s->g),
		.max_entries = s->g.max_entries,
	};
	bool keyless = s->g.type == BPF_MAP_TYPE_QUEUE ||
		       s->g.type == BPF_MAP_TYPE_STACK;
	int fl = fcntl(s->fd, F_GETFL), mode = fl & O_ACCMODE;
	int fd = -1, err;

	*anomaly = NULL;
	/* a bloom filter's bits cannot be listed: no state lines */
	if (s->g.type == BPF_MAP_TYPE_BLOOM_FILTER)
		return 0;
	/* a keyless reading pops and pushes: it needs both */
	if (fl < 0 || mode == O_WRONLY || (keyless && mode != O_RDWR))
		fd = fresh_fd(c, s);
	t.fd = fd >= 0 ? fd : s->fd;
	if (keyless)
		err = map_walk_keyless(c->be, &t,
				       s->g.type == BPF_MAP_TYPE_STACK, m,
				       anomaly);
	else if (by_batch)
		err = map_read_batch(c->be, &t, s->g.type, m, anomaly);
	else
		err = map_walk(c->be, &t, m, anomaly);
	if (fd >= 0)
		c->be->ops->close_fd(c->be, fd);
	return err;
}

static int read_map(struct run_ctx *c, const struct slot *s,
		    struct map_state *m, char **anomaly)
{
	return read_map_by(c, s, m, anomaly, c->opts.state_by_batch);
}

/*
 * The map just before an op whose answer is checked against it (the
 * order is open). Without a good snapshot that check could not fail, so
 * a walk that fails or misbehaves is a problem of the run.
 */
static void snapshot(struct run_ctx *c, const struct op *op,
		     struct op_meta *meta)
{
	const struct slot *s = &c->slots[meta->slot];
	char *anomaly = NULL;

	if (!s->open)
		return;
	if (read_map(c, s, &meta->snap, &anomaly))
		c->nomem = true;
	meta->snap_valid = !meta->snap.walk_err && !anomaly;
	if (!meta->snap_valid && !c->nomem)
		problem(c, op->line, "the map before the op could not be "
			"read (%s): its answer cannot be checked",
			anomaly ? anomaly : "walk failed");
	free(anomaly);
}

static uint32_t op_id(const struct run_ctx *c, const struct op *op,
		      int slot)
{
	uint32_t self = slot >= 0 ? c->slots[slot].g.id : 0;

	switch (op->id_kind) {
	case ID_SELF:
		return self;
	case ID_SELF_MINUS_1:
		return self - 1;
	default:
		return op->id;
	}
}

static void put_in_buf(uint8_t *buf, size_t len, size_t off, const void *v,
		       size_t n)
{
	if (off + n <= len)
		memcpy(buf + off, v, n);
}

/*
 * The info buffer is read as well as written (6.18 reads info.hash and
 * hash_size first): all 0xAA as every output, unless in= gives its first
 * bytes (the rest zero); hash=<n> points info.hash at an n-byte output
 * buffer and sets hash_size to n.
 */
static void *build_info(struct run_ctx *c, const struct op *op)
{
	bool in = op->given & ARG_BIT(ARG_IN);
	uint8_t *info, *hash;
	uint64_t ptr;

	info = buf_out(c, &(struct blob){ 0 }, OUT_INFO, op->info_len,
		       in ? 0 : op->info_len, 0);
	if (!info)
		return NULL;
	if (in && !op->in.null)
		put_in_buf(info, op->info_len, 0, op->in.data,
			   op->in.len < op->info_len ? op->in.len :
						       op->info_len);
	if (op->given & ARG_BIT(ARG_HASH)) {
		hash = buf_out(c, &(struct blob){ 0 }, OUT_HASH, op->hash_len,
			       op->hash_len, 0);
		ptr = (uintptr_t)hash;
		put_in_buf(info, op->info_len, I_HASH, &ptr, sizeof(ptr));
		put_in_buf(info, op->info_len, I_HASH_SIZE, &op->hash_len,
			   sizeof(op->hash_len));
		c->info_hash_given = true;
	}
	return info;
}

#define PAGE		4096UL

/* map=<n>, or the newest mapping that still has a page mapped */
static struct mapping *ref_mapping(struct run_ctx *c, const struct op *op)
{
	size_t i, p;

	if (op->given & ARG_BIT(ARG_MAP))
		return op->mslot < c->nmaps ? &c->maps[op->mslot] : NULL;
	for (i = c->nmaps; i-- > 0;)
		for (p = 0; p < c->maps[i].npages; p++)
			if (c->maps[i].page_prot[p] >= 0)
				return &c->maps[i];
	return NULL;
}

/* off/len of a mapping op: len defaults to the rest of the mapping */
static uint64_t mapping_len(const struct mapping *m, const struct op *op)
{
	uint64_t size = m->npages * PAGE;

	if (op->given & ARG_BIT(ARG_LEN))
		return op->len;
	return op->off < size ? size - op->off : 0;
}

/*
 * Are these bytes of the mapping still mapped, with at least prot? Any
 * op on a mapping is held to it: an munmap or mprotect past the mapping,
 * or over pages already unmapped (that may belong to something else by
 * now), could take the harness's own memory with it.
 */
static bool mapping_allows(const struct mapping *m, uint64_t off,
			   uint64_t len, int prot)
{
	uint64_t p;

	/* a page past a file's end faults (SIGBUS), it is not memory */
	if (!len || off + len > m->npages * PAGE || off + len < off ||
	    m->empty_file)
		return false;
	for (p = off / PAGE; p <= (off + len - 1) / PAGE; p++)
		if (m->page_prot[p] < 0 || (m->page_prot[p] & prot) != prot)
			return false;
	return true;
}

/* The pages [off, off + len) of a mapping now have prot (-1: unmapped). */
static void mapping_set(struct mapping *m, uint64_t off, uint64_t len,
			int prot)
{
	uint64_t p, end = (off + len + PAGE - 1) / PAGE;

	for (p = off / PAGE; p < end && p < m->npages; p++)
		m->page_prot[p] = prot;
}

static void add_mapping(struct run_ctx *c, const struct op *op, void *addr,
			int slot)
{
	struct mapping *m = realloc(c->maps, (c->nmaps + 1) * sizeof(*m));
	size_t p;

	if (!m) {
		c->nomem = true;
		return;
	}
	c->maps = m;
	m = &c->maps[c->nmaps];
	m->addr = addr;
	m->npages = (op->len + PAGE - 1) / PAGE;
	m->slot = slot;
	m->empty_file = op->fd.kind == FD_NOTMAP;
	m->page_prot = malloc(m->npages * sizeof(*m->page_prot) + 1);
	if (!m->page_prot) {
		c->nomem = true;
		return;
	}
	for (p = 0; p < m->npages; p++)
		m->page_prot[p] = (int)op->prot;
	c->nmaps++;
}

/* The mapping ops the harness checks before running (-2: not run). */
static int build_mapping_op(struct run_ctx *c, const struct op *op)
{
	struct mapping *m;
	int need = op->code == OP_MREAD ? PROT_READ :
		   op->code == OP_MWRITE ? PROT_WRITE : 0;
	uint64_t len = op->code == OP_MWRITE ? op->data.len : 0;

	if (op->code == OP_MMAP)
		return -1;
	m = ref_mapping(c, op);
	if (!m) {
		problem(c, op->line, "no mapping to act on: not run");
		return -2;
	}
	if (op->code != OP_MWRITE)
		len = mapping_len(m, op);
	if (!mapping_allows(m, op->off, len, need)) {
		problem(c, op->line, "bytes %" PRIu64 "..+%" PRIu64 " are not "
			"all mapped%s: not run", op->off, len,
			need == PROT_READ ? " readable" :
			need == PROT_WRITE ? " writable" : "");
		return -2;
	}
	if (op->code == OP_MREAD)
		c->data_buf = buf_out(c, &(struct blob){ 0 }, OUT_DATA, len,
				      len, 0);
	return -1;
}

/* Fills c->attr and the buffers for op; returns the bpf command, or -1
 * for the ops that are not bpf(2) commands (close, unlink). */
static int build(struct run_ctx *c, const struct op *op, int slot, int fd,
		 const struct geom *g, struct op_meta *meta)
{
	size_t ks = g->key_size, stride = geom_stride(c, g);
	size_t group = geom_group(c, g), cookie = ks > 4 ? ks : 4;
	uint64_t n;
	void *a = c->attr;

	switch (op->code) {
	case OP_CREATE:
		put_u32(a, A_MAP_TYPE, op->type);
		put_u32(a, A_KEY_SIZE, op->key_size);
		put_u32(a, A_VALUE_SIZE, op->value_size);
		put_u32(a, A_MAX_ENTRIES, op->max_entries);
		put_u32(a, A_MAP_FLAGS, (uint32_t)op->flags);
		if (op->given & ARG_BIT(ARG_INNER_MAP_FD))
			put_u32(a, A_INNER_MAP_FD,
				(uint32_t)ref_fd(c, &op->inner_fd));
		put_u32(a, A_NUMA_NODE, op->numa_node);
		memcpy((char *)a + A_MAP_NAME, op->name, op->name_len);
		put_u64(a, A_MAP_EXTRA, op->map_extra);
		return BPF_MAP_CREATE;
	case OP_LOOKUP:
	case OP_LOOKUP_AND_DELETE:
		put_u32(a, A_ELEM_MAP_FD, (uint32_t)fd);
		put_ptr(a, A_ELEM_KEY, buf_in(c, &op->key, ks));
		/* lookup value=<hex>: an input (a bloom filter's peek) */
		if (op->value.len)
			put_ptr(a, A_ELEM_VALUE, buf_out_from(c, &op->value,
							      OUT_VALUE, stride,
							      group));
		else
			put_ptr(a, A_ELEM_VALUE, buf_out(c, &op->value,
							 OUT_VALUE, stride,
							 stride, group));
		put_u64(a, A_ELEM_FLAGS, op->flags);
		return op->code == OP_LOOKUP ? BPF_MAP_LOOKUP_ELEM :
					       BPF_MAP_LOOKUP_AND_DELETE_ELEM;
	case OP_UPDATE:
		put_u32(a, A_ELEM_MAP_FD, (uint32_t)fd);
		put_ptr(a, A_ELEM_KEY, buf_in(c, &op->key, ks));
		put_ptr(a, A_ELEM_VALUE, buf_in(c, &op->value, stride));
		put_u64(a, A_ELEM_FLAGS, op->flags);
		return BPF_MAP_UPDATE_ELEM;
	case OP_DELETE:
		put_u32(a, A_ELEM_MAP_FD, (uint32_t)fd);
		put_ptr(a, A_ELEM_KEY, buf_in(c, &op->key, ks));
		put_u64(a, A_ELEM_FLAGS, op->flags);
		return BPF_MAP_DELETE_ELEM;
	case OP_NEXT:
		put_u32(a, A_ELEM_MAP_FD, (uint32_t)fd);
		/* no key: the first one, as key=null */
		if (op->given & ARG_BIT(ARG_KEY))
			put_ptr(a, A_ELEM_KEY, buf_in(c, &op->key, ks));
		put_ptr(a, A_ELEM_VALUE, buf_out(c, &op->next, OUT_KEY, ks,
						 ks, 0));
		return BPF_MAP_GET_NEXT_KEY;
	case OP_FREEZE:
		put_u32(a, A_ELEM_MAP_FD, (uint32_t)fd);
		return BPF_MAP_FREEZE;
	case OP_LOOKUP_BATCH:
	case OP_LOOKUP_AND_DELETE_BATCH:
		/* the map never holds more than max_entries to write out */
		n = op->count;
		if (g->known && g->max_entries < n)
			n = g->max_entries;
		if (n * (ks + stride) > BUF_MAX)
			goto too_big;
		if (op->given & ARG_BIT(ARG_IN))
			put_ptr(a, A_BATCH_IN, buf_in(c, &op->in, cookie));
		put_ptr(a, A_BATCH_OUT, buf_out(c, &op->out, OUT_OUT, cookie,
						cookie, 0));
		put_ptr(a, A_BATCH_KEYS, buf_out(c, &op->keys, OUT_KEYS,
						 n * ks, n * ks, ks));
		put_ptr(a, A_BATCH_VALUES,
			buf_out(c, &op->values, OUT_VALUES, n * stride,
				n * stride, group ? group : g->value_size));
		goto batch_common;
	case OP_UPDATE_BATCH:
	case OP_DELETE_BATCH:
		n = op->count;
		if (n * (ks + stride) > BUF_MAX)
			goto too_big;
		put_ptr(a, A_BATCH_KEYS, buf_in(c, &op->keys, n * ks));
		if (op->code == OP_UPDATE_BATCH)
			put_ptr(a, A_BATCH_VALUES,
				buf_in(c, &op->values, n * stride));
batch_common:
		meta->key_size = ks;
		meta->value_stride = stride;
		put_u32(a, A_BATCH_COUNT, op->count);
		put_u32(a, A_BATCH_MAP_FD, (uint32_t)fd);
		put_u64(a, A_BATCH_ELEM_FLAGS, op->elem_flags);
		put_u64(a, A_BATCH_FLAGS, op->flags);
		switch (op->code) {
		case OP_LOOKUP_BATCH:
			return BPF_MAP_LOOKUP_BATCH;
		case OP_LOOKUP_AND_DELETE_BATCH:
			return BPF_MAP_LOOKUP_AND_DELETE_BATCH;
		case OP_UPDATE_BATCH:
			return BPF_MAP_UPDATE_BATCH;
		default:
			return BPF_MAP_DELETE_BATCH;
		}
	case OP_PIN:
	case OP_GET:
		/* get passes no fd unless told to: bpf_fd must be 0 */
		if (op->code == OP_PIN || (op->given & ARG_BIT(ARG_FD)))
			put_u32(a, A_OBJ_BPF_FD, (uint32_t)fd);
		put_u32(a, A_OBJ_FILE_FLAGS, op->file_flags);
		return op->code == OP_PIN ? BPF_OBJ_PIN : BPF_OBJ_GET;
	case OP_INFO:
		put_u32(a, A_INFO_BPF_FD, (uint32_t)fd);
		put_u32(a, A_INFO_LEN, op->info_len);
		put_ptr(a, A_INFO_PTR, build_info(c, op));
		return BPF_OBJ_GET_INFO_BY_FD;
	case OP_GET_FD_BY_ID:
		put_u32(a, A_ID_START, op_id(c, op, slot));
		put_u32(a, A_ID_OPEN_FLAGS, op->open_flags);
		return BPF_MAP_GET_FD_BY_ID;
	case OP_NEXT_ID:
		put_u32(a, A_ID_START, op_id(c, op, slot));
		return BPF_MAP_GET_NEXT_ID;
	case OP_MMAP:
	case OP_MUNMAP:
	case OP_MPROTECT:
	case OP_MREAD:
	case OP_MWRITE:
		return build_mapping_op(c, op);
	default:
		return -1;
	}
too_big:
	problem(c, op->line, "count=%u needs more than 64 MiB of buffers: "
		"not run", op->count);
	return -2;
}

/* Numbers the kernel writes back into the attr itself. */
struct attr_out {
	int out;		/* enum out_name, or -1 */
	unsigned int off;
	uint32_t before;
};

static struct attr_out attr_output(const struct run_ctx *c,
				   const struct op *op)
{
	struct attr_out ao = { .out = -1 };

	switch (op->code) {
	case OP_LOOKUP_BATCH:
	case OP_LOOKUP_AND_DELETE_BATCH:
	case OP_UPDATE_BATCH:
	case OP_DELETE_BATCH:
		ao.out = OUT_COUNT;
		ao.off = A_BATCH_COUNT;
		break;
	case OP_INFO:
		ao.out = OUT_INFO_LEN;
		ao.off = A_INFO_LEN;
		break;
	case OP_NEXT_ID:
		ao.out = OUT_ID;
		ao.off = A_ID_NEXT;
		break;
	default:
		return ao;
	}
	/* after the pokes: a poked field counts as the input */
	ao.before = get_u32(c->attr, ao.off);
	return ao;
}

static void capture_attr_out(const struct run_ctx *c, const struct attr_out *ao,
			     uint32_t self_id, struct result *res)
{
	uint32_t v;

	if (ao->out < 0)
		return;
	v = get_u32(c->attr, ao->off);
	if (v == ao->before)
		return;
	res->out[ao->out].present = true;
	res->out[ao->out].num = v;
	res->out[ao->out].self = self_id && v == self_id;
}

static size_t pair_key_size;

static int pair_cmp(const void *a, const void *b)
{
	return memcmp(*(uint8_t *const *)a, *(uint8_t *const *)b,
		      pair_key_size);
}

/*
 * Where a random seed leaves the order open, a batch's elements are put
 * in key order (the comparison takes them as a set), so that recording a
 * scenario twice writes the same file.
 */
static void sort_batch_pairs(struct run_ctx *c, struct result *res,
			     const struct op_meta *m, uint32_t count_in)
{
	struct output *k = &res->out[OUT_KEYS], *v = &res->out[OUT_VALUES];
	uint64_t count = res->out[OUT_COUNT].present ?
			 res->out[OUT_COUNT].num : count_in;
	size_t ks = m->key_size, vs = m->value_stride, n, i;
	uint8_t **order = NULL, *keys = NULL, *values = NULL;

	if (!k->present || !ks)
		return;
	n = k->len / ks < count ? k->len / ks : (size_t)count;
	if (v->present && v->len / vs < n)
		return;	/* values cut short: leave both as they came */
	order = malloc(n * sizeof(*order) + 1);
	keys = malloc(n * ks + 1);
	values = malloc(n * vs + 1);
	if (!order || !keys || !values) {
		c->nomem = true;
		goto out;
	}
	for (i = 0; i < n; i++)
		order[i] = k->data + i * ks;
	pair_key_size = ks;
	qsort(order, n, sizeof(*order), pair_cmp);
	for (i = 0; i < n; i++) {
		size_t from = (size_t)(order[i] - k->data) / ks;

		memcpy(keys + i * ks, order[i], ks);
		if (v->present)
			memcpy(values + i * vs, v->data + from * vs, vs);
	}
	memcpy(k->data, keys, n * ks);
	if (v->present)
		memcpy(v->data, values, n * vs);
out:
	free(order);
	free(keys);
	free(values);
}

/* mmap, munmap, mprotect, mread, mwrite: 0, or -1 with errno */
static long run_mapping_op(struct run_ctx *c, const struct op *op, int slot,
			   int fd)
{
	struct mapping *m;
	uint64_t len;
	void *p;

	if (op->code == OP_MMAP) {
		p = c->be->ops->mmap(c->be, op->len, (int)op->prot,
				     (int)op->share, fd, (off_t)op->off);
		if (p == MAP_FAILED)
			return -1;
		add_mapping(c, op, p, slot);
		return 0;
	}
	m = ref_mapping(c, op);
	len = mapping_len(m, op);
	switch (op->code) {
	case OP_MUNMAP:
		if (c->be->ops->munmap(c->be, m->addr + op->off, len))
			return -1;
		mapping_set(m, op->off, len, -1);
		return 0;
	case OP_MPROTECT:
		if (c->be->ops->mprotect(c->be, m->addr + op->off, len,
					 (int)op->prot))
			return -1;
		mapping_set(m, op->off, len, (int)op->prot);
		return 0;
	case OP_MREAD:
		memcpy(c->data_buf, m->addr + op->off, len);
		return 0;
	default:
		memcpy(m->addr + op->off, op->data.data, op->data.len);
		return 0;
	}
}

/* The ops that are not bpf(2) commands. */
static long run_file_op(struct run_ctx *c, const struct op *op, int slot,
			int fd, char *path)
{
	long ret;

	if (op->code >= OP_MMAP && op->code <= OP_MWRITE)
		return run_mapping_op(c, op, slot, fd);

	if (op->code == OP_UNLINK || op->code == OP_MKDIR ||
	    op->code == OP_RMDIR) {
		/* a NULL path is EFAULT, as the system calls say */
		if (!path) {
			errno = EFAULT;
			return -1;
		}
		switch (op->code) {
		case OP_UNLINK:
			ret = c->be->ops->unlink(c->be, path);
			if (!ret)
				path_track(c, &c->pins, path, false);
			break;
		case OP_MKDIR:
			ret = c->be->ops->mkdir(c->be, path);
			if (!ret)
				path_track(c, &c->dirs, path, true);
			break;
		default:
			ret = c->be->ops->rmdir(c->be, path);
			if (!ret)
				path_track(c, &c->dirs, path, false);
		}
		return ret;
	}
	ret = c->be->ops->close_fd(c->be, fd);
	if (slot >= 0 && c->slots[slot].open && c->slots[slot].fd == fd)
		c->slots[slot].open = false;
	if (op->fd.kind == FD_NOTMAP)
		c->notmap_fd = -1;	/* a new one next time */
	return ret;
}

/* A CPU the run has, or a problem of the run (the op is not run). */
static bool cpu_possible(struct run_ctx *c, const struct op *op, bool report)
{
	if (op->cpu < c->ncpus)
		return true;
	if (report)
		problem(c, op->line, "cpu=%u: this run has %u possible CPUs: "
			"not run", op->cpu, c->ncpus);
	return false;
}

/* cpu=<n> on the syscall side: the caller is pinned to n for the call. */
static bool cpu_enter(struct run_ctx *c, const struct op *op)
{
	int err;

	if (!(op->given & ARG_BIT(ARG_CPU)))
		return true;
	if (!cpu_possible(c, op, true))
		return false;
	err = c->be->ops->set_cpu(c->be, op->cpu);
	if (err)
		problem(c, op->line, "cannot run on CPU %u: %s: not run",
			op->cpu, strerror(-err));
	return !err;
}

/* Back to CPU 0, where every op without cpu= runs. */
static void cpu_leave(struct run_ctx *c, const struct op *op)
{
	int err;

	if (!(op->given & ARG_BIT(ARG_CPU)))
		return;
	err = c->be->ops->set_cpu(c->be, 0);
	if (err)
		problem(c, op->line, "cannot return to CPU 0: %s",
			strerror(-err));
}

static void run_op(struct run_ctx *c, size_t i)
{
	const struct op *op = &c->sc->ops[i];
	struct result *res = &c->run->res[i];
	struct op_meta *meta = &c->run->meta[i];
	static const struct geom none;
	const struct geom *g;
	struct attr_out ao;
	char *path = NULL;
	int cmd, fd, slot, err;
	unsigned int k;
	long ret;

	/* create names no map (its inner_map_fd is resolved in build()) */
	slot = op->code == OP_CREATE ? -1 : ref_slot(c, &op->fd);
	fd = op->code == OP_CREATE ? -1 : ref_fd(c, &op->fd);
	if (op->code > OP_MMAP && op->code <= OP_MWRITE && ref_mapping(c, op))
		slot = ref_mapping(c, op)->slot;
	g = slot >= 0 ? &c->slots[slot].g : &none;
	meta->slot = slot;
	meta->type = op->code == OP_CREATE ? op->type :
		     g->known ? g->type : TYPE_NONE;
	meta->unordered = geom_unordered(g);

	memset(c->attr, 0, ATTR_BUF_SIZE);
	c->info_hash_given = false;
	cmd = build(c, op, slot, fd, g, meta);
	if (cmd == -2)
		goto out;
	if (op->code == OP_PIN || op->code == OP_GET ||
	    op->code == OP_UNLINK || op->code == OP_MKDIR ||
	    op->code == OP_RMDIR) {
		path = op_path(c, op);
		if (op->path && !path) {
			c->nomem = true;
			goto out;
		}
		put_ptr(c->attr, A_OBJ_PATHNAME, path);
	}
	for (k = 0; k < op->npokes; k++)
		memcpy((char *)c->attr + op->pokes[k].off,
		       op->pokes[k].bytes.data, op->pokes[k].bytes.len);
	if (meta->unordered && (op->code == OP_NEXT ||
				op->code == OP_LOOKUP_BATCH ||
				op->code == OP_LOOKUP_AND_DELETE_BATCH))
		snapshot(c, op, meta);
	ao = attr_output(c, op);
	bufs_snapshot(c);
	if (!cpu_enter(c, op))
		goto out;

	errno = 0;
	if (cmd < 0)
		ret = run_file_op(c, op, slot, fd, path);
	else
		ret = c->be->ops->sys_bpf(c->be, cmd, c->attr, op->attr_size);
	err = errno;
	cpu_leave(c, op);

	res->present = true;
	if (ret < 0) {
		res->kind = RET_ERR;
		res->ret = -1;
		res->err = err;
	} else if (op_returns_fd(op->code)) {
		res->kind = RET_FD;
		res->ret = ret;
		add_slot(c, op, (int)ret);
	} else {
		res->kind = RET_NUM;
		res->ret = ret;
	}
	bufs_capture(c, res);
	capture_attr_out(c, &ao, slot >= 0 ? c->slots[slot].g.id : 0, res);
	if (meta->unordered && (op->code == OP_LOOKUP_BATCH ||
				op->code == OP_LOOKUP_AND_DELETE_BATCH))
		sort_batch_pairs(c, res, meta, op->count);
	/* the key a random seed puts next is checked, but not recorded */
	if (meta->unordered && op->code == OP_NEXT &&
	    res->out[OUT_KEY].present)
		res->out[OUT_KEY].any = true;
	if (op->code == OP_PIN && ret == 0 && path)
		path_track(c, &c->pins, path, true);
out:
	free(path);
	bufs_free(c);
}

/* The helper a program-side op calls. */
static enum helper_fn op_helper(enum op_code code)
{
	switch (code) {
	case OP_LOOKUP:
		return HELPER_LOOKUP;
	case OP_UPDATE:
		return HELPER_UPDATE;
	case OP_DELETE:
		return HELPER_DELETE;
	case OP_PUSH:
		return HELPER_PUSH;
	case OP_POP:
		return HELPER_POP;
	case OP_PEEK:
		return HELPER_PEEK;
	default:
		return HELPER_LOOKUP_PERCPU;
	}
}

static bool helper_is_lookup(enum helper_fn fn)
{
	return fn == HELPER_LOOKUP || fn == HELPER_LOOKUP_PERCPU;
}

/*
 * A program names its map when it is loaded: a program-side op needs an
 * open slot of a map the harness knows (its key_size and value_size are
 * the helper's buffers) and a CPU the run has. Anything else is a
 * problem of the run (reported when report is set), not a result.
 */
static bool prog_runnable(struct run_ctx *c, const struct op *op, int slot,
			  bool report)
{
	const struct geom *g;

	if (slot < 0 || !c->slots[slot].open || !c->slots[slot].g.known) {
		if (report)
			problem(c, op->line, "side=prog needs an open slot of "
				"a known map (not fd=closed, fd=notmap, a "
				"closed slot or a map without info): not run");
		return false;
	}
	if (!cpu_possible(c, op, report))
		return false;
	g = &c->slots[slot].g;
	if (op->key.len > g->key_size || op->value.len > g->value_size ||
	    op->write.len > g->value_size) {
		if (report)
			problem(c, op->line, "key or value longer than the "
				"map's key_size %u / value_size %u (a helper "
				"reads exactly those): not run", g->key_size,
				g->value_size);
		return false;
	}
	/* prog_op_init's block: key, value, out and out's copy */
	if ((uint64_t)g->key_size + 3ULL * g->value_size + 1 > BUF_MAX) {
		if (report)
			problem(c, op->line, "key_size %u / value_size %u: "
				"more than 64 MiB of buffers: not run",
				g->key_size, g->value_size);
		return false;
	}
	return true;
}

/*
 * The helper's buffers in one block: key (key_size), the value it takes
 * (value_size: update's and push's value, lookup's write=), out
 * (value_size, 0xAA as every output; peek's value= instead, zero-padded:
 * a bloom filter's peek reads it) and right after out a copy of what out
 * held before the call. NULL when out of memory.
 */
static uint8_t *prog_op_init(struct run_ctx *c, const struct op *op,
			     const struct geom *g, struct prog_op *po)
{
	size_t ks = g->key_size, vs = g->value_size;
	bool out_in = op->code == OP_PEEK;
	const struct blob *in = op->code == OP_LOOKUP ? &op->write :
							&op->value;
	uint8_t *mem = calloc(1, ks + 3 * vs + 1);

	if (!mem) {
		c->nomem = true;
		return NULL;
	}
	if (op->key.len)
		memcpy(mem, op->key.data, op->key.len);
	if (out_in && (op->given & ARG_BIT(ARG_VALUE))) {
		if (in->len)
			memcpy(mem + ks + vs, in->data, in->len);
	} else {
		if (in->len)
			memcpy(mem + ks, in->data, in->len);
		memset(mem + ks + vs, OUT_FILL, vs);
	}
	memcpy(mem + ks + 2 * vs, mem + ks + vs, vs);
	memset(po, 0, sizeof(*po));
	po->fn = op_helper(op->code);
	po->write = op->given & ARG_BIT(ARG_WRITE);
	po->target_cpu = op->target_cpu;
	po->flags = op->flags;
	po->key = mem;
	po->value = mem + ks;
	po->out = mem + ks + vs;
	return mem;
}

/*
 * out becomes the `value` output if the helper changed a byte of it
 * (prog_op_init keeps out's bytes before the call right after it).
 */
static void prog_capture_out(struct run_ctx *c, const uint8_t *out,
			     size_t len, struct result *res)
{
	struct output *o = &res->out[OUT_VALUE];

	if (!memcmp(out, out + len, len))
		return;
	o->data = malloc(len + 1);
	if (!o->data) {
		c->nomem = true;
		return;
	}
	memcpy(o->data, out, len);
	o->len = len;
	o->present = true;
}

/*
 * What a helper gave, as a result: a lookup is `0 value=...` or `null`,
 * the others 0 or the helper's -errno (spelt as a syscall's), pop and
 * peek with their value; `refused -E...` when no such program loads.
 */
static void prog_result(struct run_ctx *c, const struct prog_op *po,
			size_t value_size, struct result *res)
{
	res->present = true;
	if (po->refused) {
		res->kind = RET_REFUSED;
		res->err = po->load_err;
		return;
	}
	if (helper_is_lookup(po->fn)) {
		res->kind = po->found ? RET_NUM : RET_NULL;
		/* NULL: nothing was read, whatever out holds */
		if (po->found)
			prog_capture_out(c, po->out, value_size, res);
		return;
	}
	if (po->ret < 0) {
		res->kind = RET_ERR;
		res->ret = -1;
		res->err = (int)-po->ret;
	} else {
		res->kind = RET_NUM;
		res->ret = po->ret;
	}
	if (po->fn == HELPER_POP || po->fn == HELPER_PEEK)
		prog_capture_out(c, po->out, value_size, res);
}

/*
 * Program-side ops from first on: the longest run of them on the same
 * map slot and CPU goes to one prog_run, as one program would make the
 * calls. Returns how many ops it took (at least first itself).
 */
static size_t run_prog_ops(struct run_ctx *c, size_t first)
{
	const struct op *op = &c->sc->ops[first];
	int slot = ref_slot(c, &op->fd), err;
	struct prog_op po[PROG_BATCH_MAX];
	uint8_t *mem[PROG_BATCH_MAX];
	const struct geom *g;
	size_t n, i;

	/* fd=closed and fd=notmap name no slot */
	if (op->fd.kind == FD_CLOSED || op->fd.kind == FD_NOTMAP)
		slot = -1;
	c->run->meta[first].slot = slot;
	c->run->meta[first].type = slot >= 0 && c->slots[slot].g.known ?
				   c->slots[slot].g.type : TYPE_NONE;
	if (!prog_runnable(c, op, slot, true))
		return 1;
	g = &c->slots[slot].g;
	for (n = 0; first + n < c->sc->nops && n < PROG_BATCH_MAX; n++) {
		op = &c->sc->ops[first + n];
		if (n && (!op->side_prog || op->cpu != c->sc->ops[first].cpu ||
			  op->fd.kind == FD_CLOSED ||
			  op->fd.kind == FD_NOTMAP ||
			  ref_slot(c, &op->fd) != slot ||
			  !prog_runnable(c, op, slot, false)))
			break;
		/* `track keys` reads the map after every op */
		if (n && c->sc->track_keys)
			break;
		mem[n] = prog_op_init(c, op, g, &po[n]);
		if (!mem[n])
			break;
		c->run->meta[first + n].slot = slot;
		c->run->meta[first + n].type = g->type;
	}
	if (c->nomem)
		goto out;
	err = c->be->ops->prog_run(c->be, c->slots[slot].fd,
				   c->sc->ops[first].cpu, po, n);
	if (err) {
		problem(c, c->sc->ops[first].line, "%zu program-side op(s) "
			"from here could not run: %s (%s)", n, strerror(-err),
			c->be->reason);
		goto out;
	}
	for (i = 0; i < n; i++)
		prog_result(c, &po[i], g->value_size,
			    &c->run->res[first + i]);
out:
	for (i = 0; i < n; i++)
		free(mem[i]);
	return n ? n : 1;
}

/*
 * The keys of the map behind s by LOOKUP_BATCH into ks, no element
 * allocated (a 4096-entry map is read after every op): 0, 1 when only a
 * walk can read it (ks empty), -ENOMEM.
 */
static int read_keys(struct run_ctx *c, const struct slot *s,
		     struct keyset *ks)
{
	struct walk_target t = {
		.fd = s->fd,
		.key_size = s->g.key_size,
		.value_stride = geom_stride(c, &s->g),
		.max_entries = s->g.max_entries,
	};
	int mode = fcntl(s->fd, F_GETFL), ret;

	memset(ks, 0, sizeof(*ks));
	ks->key_size = s->g.key_size;
	if (mode < 0 || (mode & O_ACCMODE) == O_WRONLY)
		return 1;
	ret = map_read_batch_to(c->be, &t, s->g.type, keyset_sink, ks);
	if (ret)
		keyset_free(ks);
	else
		keyset_sort(ks);
	return ret;
}

/* The reference's result of op i (run_opts.ref, or the recording). */
static const struct result *ref_result(const struct run_ctx *c, size_t i)
{
	if (c->opts.ref)
		return i < c->opts.ref->nops ? &c->opts.ref->res[i] : NULL;
	return &c->sc->ops[i].recorded;
}

/*
 * Op i's keys came or went otherwise than the reference's: the first
 * key apart, where the backend keeps it now (the emulator's LRU lists)
 * and what the scenario did to it, into the op's meta.explain.
 */
static void explain_keys(struct run_ctx *c, size_t i, int slot)
{
	const struct result *r = ref_result(c, i), *a = &c->run->res[i];
	size_t ks = c->slots[slot].g.key_size, len = 0;
	const uint8_t *key;
	bool in_ref, came;
	char where[256], *hist, *text = NULL;
	int err = -EOPNOTSUPP;
	FILE *f;

	if (!r || !r->present ||
	    keyset_first_difference(&r->out[OUT_CAME], &r->out[OUT_GONE],
				    &a->out[OUT_CAME], &a->out[OUT_GONE], ks,
				    &key, &in_ref, &came))
		return;
	if (c->be->ops->describe_key)
		err = c->be->ops->describe_key(c->be, c->slots[slot].fd, key,
					       where, sizeof(where));
	hist = keyset_history(c->sc, c->run, i + 1, slot, key, ks);
	f = open_memstream(&text, &len);
	if (!f || !hist) {
		if (f)
			fclose(f);
		free(text);
		free(hist);
		c->nomem = true;
		return;
	}
	fputs("  first key apart: ", f);
	print_hex(f, key, ks, 0);
	fprintf(f, " %s on the %s side only\n", came ? "came" : "went",
		in_ref ? "reference's" : c->run->backend);
	if (!err)
		fprintf(f, "    %s now: %s\n", c->run->backend, where);
	else if (err == -ENOENT)
		fprintf(f, "    %s now: not in the map\n", c->run->backend);
	fputs(hist, f);
	fclose(f);
	free(hist);
	c->run->meta[i].explain = text;
}

/*
 * `track keys`: the keys of op i's map after it, and what came and went
 * since the last op on that slot (a new slot's keys are its baseline).
 * Batch reads and walks take no LRU reference (hashtab.c).
 */
static void track_keys(struct run_ctx *c, size_t i)
{
	const struct op *op = &c->sc->ops[i];
	struct result *res = &c->run->res[i];
	int slot = c->run->meta[i].slot;
	bool baseline = false;
	struct map_state m = { 0 };
	struct keyset now;
	char *anomaly = NULL;
	struct slot *s;
	int err;

	if (op_returns_fd(op->code) && res->present && res->kind == RET_FD) {
		slot = (int)c->nslots - 1;
		baseline = true;
	}
	if (slot < 0 || !c->slots[slot].open || !c->slots[slot].g.known)
		return;
	s = &c->slots[slot];
	err = read_keys(c, s, &now);
	if (err > 0) {
		/* the batch cannot: walked, through a readable fd */
		if (read_map_by(c, s, &m, &anomaly, false)) {
			c->nomem = true;
			goto out;
		}
		if (m.walk_err || anomaly) {
			problem(c, op->line, "track keys: the map after the "
				"op could not be read (%s)",
				anomaly ? anomaly : "walk failed");
			goto out;
		}
		err = keyset_from_state(&now, &m, s->g.key_size);
	}
	if (err || (!baseline && res->present &&
	     keyset_diff(&s->keys, &now, &res->out[OUT_CAME],
			 &res->out[OUT_GONE]))) {
		keyset_free(&now);
		c->nomem = true;
		goto out;
	}
	keyset_free(&s->keys);
	s->keys = now;
	if (!baseline && res->present && c->opts.explain)
		explain_keys(c, i, slot);
out:
	free(anomaly);
	map_state_release(&m);
}

/* One state per map: the first open slot that shows it. */
static void final_state(struct run_ctx *c)
{
	size_t i, j;

	for (i = 0; i < c->nslots; i++) {
		const struct slot *s = &c->slots[i];
		struct map_state *m;
		char *anomaly = NULL;
		bool seen = false;

		if (!s->open)
			continue;
		for (j = 0; j < i && s->g.id; j++)
			seen |= c->slots[j].open && c->slots[j].g.id == s->g.id;
		if (seen)
			continue;
		if (!s->g.known) {
			problem(c, 0, "slot %zu: map unknown (no info): no "
				"state", i);
			continue;
		}
		m = state_add_map(&c->run->state, (unsigned int)i);
		if (!m || read_map(c, s, m, &anomaly)) {
			c->nomem = true;
			return;
		}
		m->vgroup = geom_group(c, &s->g);
		map_state_finish(m, geom_unordered(&s->g));
		if (anomaly)
			problem(c, 0, "state of slot %zu: %s", i, anomaly);
		free(anomaly);
	}
}

static void cleanup(struct run_ctx *c)
{
	size_t i;

	/* mappings first (each holds its map alive): only pages still ours */
	for (i = 0; i < c->nmaps; i++) {
		const struct mapping *m = &c->maps[i];
		size_t p;

		for (p = 0; p < m->npages; p++)
			if (m->page_prot[p] >= 0)
				c->be->ops->munmap(c->be, m->addr + p * PAGE,
						   PAGE);
		free(m->page_prot);
	}
	free(c->maps);

	for (i = 0; i < c->nslots; i++) {
		if (c->slots[i].open)
			c->be->ops->close_fd(c->be, c->slots[i].fd);
		keyset_free(&c->slots[i].keys);
	}
	if (c->notmap_fd >= 0)
		close(c->notmap_fd);
	for (i = 0; i < c->pins.n; i++) {
		c->be->ops->unlink(c->be, c->pins.v[i]);
		free(c->pins.v[i]);
	}
	free(c->pins.v);
	/* newest first: a directory made inside another goes before it */
	for (i = c->dirs.n; i-- > 0;) {
		c->be->ops->rmdir(c->be, c->dirs.v[i]);
		free(c->dirs.v[i]);
	}
	free(c->dirs.v);
	free(c->slots);
}

int run_scenario_opts(struct backend *be, const struct scenario *sc,
		      const struct run_opts *opts, struct run *run)
{
	struct run_ctx c = {
		.be = be, .sc = sc, .run = run, .notmap_fd = -1,
		.ncpus = be->ops->possible_cpus(be),
	};
	long live_before = be->ops->live_maps(be), live_after;
	size_t i;
	int err;

	if (opts)
		c.opts = *opts;
	memset(run, 0, sizeof(*run));
	run->backend = be->ops->name;
	run->ncpus = c.ncpus;
	run->nops = sc->nops;
	run->res = calloc(sc->nops, sizeof(*run->res));
	run->meta = calloc(sc->nops, sizeof(*run->meta));
	c.attr = aligned_alloc(8, ATTR_BUF_SIZE);
	if (!run->res || !run->meta || !c.attr) {
		free(c.attr);
		return -ENOMEM;
	}
	/* every scenario starts on CPU 0 */
	err = be->ops->set_cpu(be, 0);
	if (err)
		problem(&c, 0, "cannot run on CPU 0: %s", strerror(-err));
	for (i = 0; i < sc->nops && !c.nomem;) {
		size_t n = 1;

		if (sc->ops[i].side_prog)
			n = run_prog_ops(&c, i);
		else
			run_op(&c, i);
		if (sc->track_keys)
			track_keys(&c, i);
		i += n;
	}
	if (!c.nomem)
		final_state(&c);
	cleanup(&c);
	free(c.attr);

	live_after = be->ops->live_maps(be);
	if (live_after > live_before && live_before >= 0)
		problem(&c, 0, "%ld map(s) still alive after closing every fd "
			"and unlinking every pin (leak): %ld alive now",
			live_after - live_before, live_after);
	return c.nomem ? -ENOMEM : 0;
}

int run_scenario(struct backend *be, const struct scenario *sc,
		 struct run *run)
{
	return run_scenario_opts(be, sc, NULL, run);
}

void run_free(struct run *run)
{
	size_t i;

	for (i = 0; i < run->nops; i++) {
		if (run->res)
			result_free(&run->res[i]);
		if (run->meta) {
			map_state_release(&run->meta[i].snap);
			free(run->meta[i].explain);
		}
	}
	for (i = 0; i < run->nproblems; i++)
		free(run->problems[i].msg);
	free(run->problems);
	free(run->res);
	free(run->meta);
	state_free(&run->state);
	memset(run, 0, sizeof(*run));
}

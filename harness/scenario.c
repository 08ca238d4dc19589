// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Scenario files: the parser (tests/corpus/FORMAT.md). Nothing in a file
 * is trusted: every mistake is a "file:line: message", never a crash.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "scenario.h"

#define COMMON_ARGS	(ARG_BIT(ARG_ATTR_SIZE) | ARG_BIT(ARG_POKE) | \
			 ARG_BIT(ARG_SIDE) | ARG_BIT(ARG_CPU))
#define A(x)		ARG_BIT(ARG_##x)
#define BATCH_ARGS	(A(FD) | A(COUNT) | A(ELEM_FLAGS) | A(FLAGS))

static const struct {
	const char *name;
	uint64_t args;
	uint64_t outputs_only;	/* arguments that may only be `null` */
} op_table[OP__COUNT] = {
	[OP_CREATE] = { "create", A(TYPE) | A(KEY_SIZE) | A(VALUE_SIZE) |
			A(MAX_ENTRIES) | A(FLAGS) | A(MAP_EXTRA) |
			A(NUMA_NODE) | A(NAME) | A(INNER_MAP_FD), 0 },
	[OP_LOOKUP] = { "lookup", A(FD) | A(KEY) | A(FLAGS) | A(VALUE) |
			A(WRITE), 0 },
	[OP_UPDATE] = { "update", A(FD) | A(KEY) | A(VALUE) | A(FLAGS), 0 },
	[OP_DELETE] = { "delete", A(FD) | A(KEY) | A(FLAGS), 0 },
	[OP_NEXT] = { "next", A(FD) | A(KEY) | A(NEXT), A(NEXT) },
	[OP_LOOKUP_AND_DELETE] = { "lookup_and_delete",
			A(FD) | A(KEY) | A(FLAGS) | A(VALUE), A(VALUE) },
	[OP_FREEZE] = { "freeze", A(FD), 0 },
	[OP_LOOKUP_BATCH] = { "lookup_batch", BATCH_ARGS | A(IN) | A(OUT) |
			A(KEYS) | A(VALUES), A(OUT) | A(KEYS) | A(VALUES) },
	[OP_LOOKUP_AND_DELETE_BATCH] = { "lookup_and_delete_batch",
			BATCH_ARGS | A(IN) | A(OUT) | A(KEYS) | A(VALUES),
			A(OUT) | A(KEYS) | A(VALUES) },
	[OP_UPDATE_BATCH] = { "update_batch",
			BATCH_ARGS | A(KEYS) | A(VALUES), 0 },
	[OP_DELETE_BATCH] = { "delete_batch", BATCH_ARGS | A(KEYS), 0 },
	[OP_PIN] = { "pin", A(FD) | A(PATH) | A(FILE_FLAGS), 0 },
	[OP_GET] = { "get", A(FD) | A(PATH) | A(FILE_FLAGS), 0 },
	[OP_UNLINK] = { "unlink", A(PATH), 0 },
	[OP_CLOSE] = { "close", A(FD), 0 },
	[OP_INFO] = { "info", A(FD) | A(INFO_LEN) | A(IN) | A(HASH), 0 },
	[OP_GET_FD_BY_ID] = { "get_fd_by_id", A(FD) | A(ID) | A(OPEN_FLAGS),
			0 },
	[OP_NEXT_ID] = { "next_id", A(FD) | A(ID), 0 },
	[OP_MKDIR] = { "mkdir", A(PATH), 0 },
	[OP_RMDIR] = { "rmdir", A(PATH), 0 },
	[OP_MMAP] = { "mmap", A(FD) | A(LEN) | A(PROT) | A(SHARE) | A(OFF),
		      0 },
	[OP_MUNMAP] = { "munmap", A(MAP) | A(OFF) | A(LEN), 0 },
	[OP_MPROTECT] = { "mprotect", A(MAP) | A(OFF) | A(LEN) | A(PROT),
			  0 },
	[OP_MREAD] = { "mread", A(MAP) | A(OFF) | A(LEN), 0 },
	[OP_MWRITE] = { "mwrite", A(MAP) | A(OFF) | A(DATA), 0 },
	[OP_PUSH] = { "push", A(FD) | A(VALUE) | A(FLAGS), 0 },
	[OP_POP] = { "pop", A(FD), 0 },
	[OP_PEEK] = { "peek", A(FD) | A(VALUE), 0 },
	[OP_LOOKUP_PERCPU] = { "lookup_percpu", A(FD) | A(KEY) | A(TARGET_CPU),
			       0 },
};

/*
 * The ops a program can run, and what each takes there: the helper's
 * own arguments (no attr, no flags where the helper has none). Zero:
 * not a helper.
 */
static const uint64_t prog_args[OP__COUNT] = {
	[OP_LOOKUP] = A(FD) | A(KEY) | A(WRITE),
	[OP_UPDATE] = A(FD) | A(KEY) | A(VALUE) | A(FLAGS),
	[OP_DELETE] = A(FD) | A(KEY),
	[OP_PUSH] = A(FD) | A(VALUE) | A(FLAGS),
	[OP_POP] = A(FD),
	[OP_PEEK] = A(FD) | A(VALUE),
	[OP_LOOKUP_PERCPU] = A(FD) | A(KEY) | A(TARGET_CPU),
};

static const char *const arg_names[ARG__COUNT] = {
	[ARG_FD] = "fd", [ARG_TYPE] = "type", [ARG_KEY_SIZE] = "key_size",
	[ARG_VALUE_SIZE] = "value_size", [ARG_MAX_ENTRIES] = "max_entries",
	[ARG_FLAGS] = "flags", [ARG_MAP_EXTRA] = "map_extra",
	[ARG_NUMA_NODE] = "numa_node", [ARG_NAME] = "name",
	[ARG_INNER_MAP_FD] = "inner_map_fd", [ARG_KEY] = "key",
	[ARG_VALUE] = "value", [ARG_NEXT] = "next", [ARG_IN] = "in",
	[ARG_COUNT] = "count", [ARG_ELEM_FLAGS] = "elem_flags",
	[ARG_OUT] = "out", [ARG_KEYS] = "keys", [ARG_VALUES] = "values",
	[ARG_PATH] = "path", [ARG_FILE_FLAGS] = "file_flags",
	[ARG_INFO_LEN] = "info_len", [ARG_ID] = "id",
	[ARG_OPEN_FLAGS] = "open_flags", [ARG_ATTR_SIZE] = "attr_size",
	[ARG_POKE] = "poke", [ARG_SIDE] = "side", [ARG_CPU] = "cpu",
	[ARG_HASH] = "hash", [ARG_LEN] = "len", [ARG_PROT] = "prot",
	[ARG_SHARE] = "share", [ARG_OFF] = "off", [ARG_MAP] = "map",
	[ARG_DATA] = "data", [ARG_WRITE] = "write",
	[ARG_TARGET_CPU] = "target_cpu",
};

struct parser {
	const char *path;
	bool quiet;		/* count errors, print none */
	unsigned int line;
	int errors;
	unsigned int nslots;	/* ops so far that may open a slot */
	unsigned int nmaps;	/* mmap ops so far: mappings they may make */
};

bool op_returns_fd(enum op_code code)
{
	return code == OP_CREATE || code == OP_GET || code == OP_GET_FD_BY_ID;
}

static void perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	p->errors++;
	if (p->quiet)
		return;
	fprintf(stderr, "%s:%u: ", p->path, p->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Splits s in place at blanks; returns the number of tokens. */
static size_t tokenize(char *s, char **tok, size_t max)
{
	size_t n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || n == max)
			return n;
		tok[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
}

static bool is_percpu_or_lru(uint32_t type)
{
	/* PERCPU_HASH, PERCPU_ARRAY, LRU_HASH, LRU_PERCPU_HASH,
	 * PERCPU_CGROUP_STORAGE: their results depend on the CPU count */
	return type == 5 || type == 6 || type == 9 || type == 10 ||
	       type == 21;
}

static const char *parse_fd_ref(struct parser *p, const char *s,
				struct fd_ref *ref)
{
	const char *err;

	if (strcmp(s, "closed") == 0) {
		ref->kind = FD_CLOSED;
		return NULL;
	}
	if (strcmp(s, "notmap") == 0) {
		ref->kind = FD_NOTMAP;
		return NULL;
	}
	ref->kind = FD_SLOT;
	err = parse_u32(s, &ref->slot);
	if (err)
		return "expected a slot number, `closed` or `notmap`";
	/* slots are numbered by the ops that open them, so this one can
	 * never exist: a typo, not a test */
	if (ref->slot >= p->nslots)
		return "no earlier op can have opened this slot";
	return NULL;
}

static const char *parse_path(const char *s, struct op *op)
{
	if (strcmp(s, "null") == 0)
		return NULL;
	if (s[0] == '@') {
		if (!s[1])
			return "empty name after @";
		op->path_in_bpffs = true;
		s++;
	} else if (s[0] != '/') {
		return "expected @name, /absolute/path or null";
	}
	op->path = strdup(s);
	return op->path ? NULL : "out of memory";
}

static const char *parse_id(const char *s, struct op *op)
{
	if (strcmp(s, "self") == 0) {
		op->id_kind = ID_SELF;
		return NULL;
	}
	if (strcmp(s, "self-1") == 0) {
		op->id_kind = ID_SELF_MINUS_1;
		return NULL;
	}
	op->id_kind = ID_NUM;
	return parse_u32(s, &op->id) ? "expected self, self-1 or a number" :
				       NULL;
}

static const char *parse_poke(const char *s, struct op *op)
{
	const char *colon = strchr(s, ':');
	struct poke *pk;
	const char *err;
	char off[32];
	size_t n = colon ? (size_t)(colon - s) : 0;

	if (!colon || n == 0 || n >= sizeof(off))
		return "expected poke=<offset>:<hex>";
	memcpy(off, s, n);
	off[n] = '\0';
	pk = realloc(op->pokes, (op->npokes + 1) * sizeof(*pk));
	if (!pk)
		return "out of memory";
	op->pokes = pk;
	pk = &op->pokes[op->npokes];
	err = parse_u32(off, &pk->off);
	if (err)
		return err;
	err = parse_hex(colon + 1, &pk->bytes);
	if (err)
		return err;
	op->npokes++;
	if ((uint64_t)pk->off + pk->bytes.len > ATTR_BUF_SIZE)
		return "poke beyond the 8192-byte attr buffer";
	return NULL;
}

static const char *parse_flags32(const char *s, uint32_t *v)
{
	uint64_t x;
	const char *err = parse_flags(s, &x);

	if (err)
		return err;
	if (x > UINT32_MAX)
		return "flags out of range (32 bits)";
	*v = (uint32_t)x;
	return NULL;
}

/* Names for mmap's prot and sharing type, as <sys/mman.h> has them. */
static const struct name_bit {
	const char *name;
	uint32_t bit;
} prot_names[] = {
	{ "NONE", 0 }, { "READ", 1 }, { "WRITE", 2 }, { "EXEC", 4 },
}, share_names[] = {
	{ "SHARED", 1 }, { "PRIVATE", 2 }, { "SHARED_VALIDATE", 3 },
};

#define NAMES(t)	(sizeof(t) / sizeof((t)[0]))

/* `|`-separated names of a table, or numbers */
static const char *parse_names(const char *s, const struct name_bit *t,
			       size_t n, uint32_t *v)
{
	*v = 0;
	for (;;) {
		size_t len = strcspn(s, "|"), i;
		char tok[32];
		uint32_t bit;

		if (!len || len >= sizeof(tok))
			return "unknown name";
		memcpy(tok, s, len);
		tok[len] = '\0';
		for (i = 0; i < n && strcmp(tok, t[i].name); i++)
			;
		if (i < n)
			bit = t[i].bit;
		else if (parse_u32(tok, &bit))
			return "unknown name";
		*v |= bit;
		if (!s[len])
			return NULL;
		s += len + 1;
	}
}

static const char *parse_arg(struct parser *p, struct op *op,
			     enum arg_id id, const char *v)
{
	const char *err;

	if ((op_table[op->code].outputs_only & ARG_BIT(id)) &&
	    strcmp(v, "null") != 0)
		return "an output buffer: only `null` may be given";
	switch (id) {
	case ARG_FD:
		return parse_fd_ref(p, v, &op->fd);
	case ARG_INNER_MAP_FD:
		return parse_fd_ref(p, v, &op->inner_fd);
	case ARG_TYPE:
		return parse_map_type(v, &op->type);
	case ARG_KEY_SIZE:
		return parse_u32(v, &op->key_size);
	case ARG_VALUE_SIZE:
		return parse_u32(v, &op->value_size);
	case ARG_MAX_ENTRIES:
		return parse_u32(v, &op->max_entries);
	case ARG_NUMA_NODE:
		return parse_u32(v, &op->numa_node);
	case ARG_FLAGS:
		return parse_flags(v, &op->flags);
	case ARG_ELEM_FLAGS:
		return parse_flags(v, &op->elem_flags);
	case ARG_MAP_EXTRA:
		return parse_u64(v, &op->map_extra);
	case ARG_NAME:
		op->name_len = strlen(v);
		if (op->name_len > sizeof(op->name))
			return "name: at most 16 bytes";
		memcpy(op->name, v, op->name_len);
		return NULL;
	case ARG_KEY:
		return parse_blob(v, &op->key);
	case ARG_VALUE:
		return parse_blob(v, &op->value);
	case ARG_NEXT:
		return parse_blob(v, &op->next);
	case ARG_IN:
		return parse_blob(v, &op->in);
	case ARG_OUT:
		return parse_blob(v, &op->out);
	case ARG_KEYS:
		return parse_blob(v, &op->keys);
	case ARG_VALUES:
		return parse_blob(v, &op->values);
	case ARG_COUNT:
		return parse_u32(v, &op->count);
	case ARG_PATH:
		return parse_path(v, op);
	case ARG_FILE_FLAGS:
		return parse_flags32(v, &op->file_flags);
	case ARG_OPEN_FLAGS:
		return parse_flags32(v, &op->open_flags);
	case ARG_INFO_LEN:
		err = parse_u32(v, &op->info_len);
		if (!err && op->info_len > INFO_LEN_MAX)
			err = "info_len: the harness makes at most 65536 bytes";
		return err;
	case ARG_LEN:
		return parse_u64(v, &op->len);
	case ARG_OFF:
		return parse_u64(v, &op->off);
	case ARG_PROT:
		return parse_names(v, prot_names, NAMES(prot_names),
				   &op->prot);
	case ARG_SHARE:
		return parse_names(v, share_names, NAMES(share_names),
				   &op->share);
	case ARG_MAP:
		err = parse_u32(v, &op->mslot);
		if (!err && op->mslot >= p->nmaps)
			err = "no earlier mmap can have made this mapping";
		return err;
	case ARG_DATA:
		return parse_blob(v, &op->data);
	case ARG_WRITE:
		return parse_hex(v, &op->write);
	case ARG_TARGET_CPU:
		return parse_u32(v, &op->target_cpu);
	case ARG_HASH:
		err = parse_u32(v, &op->hash_len);
		if (!err && op->hash_len > INFO_LEN_MAX)
			err = "hash: the harness makes at most 65536 bytes";
		return err;
	case ARG_ID:
		return parse_id(v, op);
	case ARG_ATTR_SIZE:
		return parse_u32(v, &op->attr_size);
	case ARG_POKE:
		return parse_poke(v, op);
	case ARG_SIDE:
		if (strcmp(v, "prog") == 0)
			op->side_prog = true;
		else if (strcmp(v, "sys") != 0)
			return "expected side=sys or side=prog";
		return NULL;
	case ARG_CPU:
		return parse_u32(v, &op->cpu);
	default:
		return "unknown argument";
	}
}

static bool is_errno_word(const char *s)
{
	return s[0] == '-' && (s[1] == 'E' || (s[1] >= '0' && s[1] <= '9'));
}

/* The return: its words are tok[0], and tok[1] after `refused`. */
static const char *parse_ret(char **tok, size_t n, struct result *r,
			     size_t *used)
{
	uint64_t v;

	*used = 1;
	if (strcmp(tok[0], "fd") == 0) {
		r->kind = RET_FD;
		return NULL;
	}
	if (strcmp(tok[0], "null") == 0) {
		r->kind = RET_NULL;
		return NULL;
	}
	if (strcmp(tok[0], "refused") == 0) {
		r->kind = RET_REFUSED;
		if (n < 2 || !is_errno_word(tok[1]))
			return "expected refused -E<NAME>";
		*used = 2;
		return parse_errno(tok[1] + 1, &r->err);
	}
	if (is_errno_word(tok[0])) {
		r->kind = RET_ERR;
		r->ret = -1;
		return parse_errno(tok[0] + 1, &r->err);
	}
	r->kind = RET_NUM;
	if (parse_u64(tok[0], &v))
		return "expected fd, null, refused -E<NAME>, a number or "
		       "-E<NAME>";
	r->ret = (int64_t)v;
	return NULL;
}

static void parse_result(struct parser *p, char **tok, size_t n,
			 struct result *r)
{
	const char *err;
	size_t i;

	if (n == 0) {
		perr(p, "nothing after =>");
		return;
	}
	err = parse_ret(tok, n, r, &i);
	if (err) {
		perr(p, "%s: %s", tok[i - 1], err);
		return;
	}
	r->present = true;
	for (; i < n; i++) {
		char *eq = strchr(tok[i], '='), *us;
		struct output *o;
		struct blob b;
		int id;

		if (!eq) {
			perr(p, "%s: expected name=value", tok[i]);
			continue;
		}
		*eq = '\0';
		id = out_lookup(tok[i]);
		if (id < 0) {
			perr(p, "%s: unknown output", tok[i]);
			continue;
		}
		o = &r->out[id];
		if (o->present) {
			perr(p, "%s: given twice", tok[i]);
			continue;
		}
		switch (out_kind(id)) {
		case OUTK_NUM:
			err = parse_u64(eq + 1, &o->num);
			break;
		case OUTK_ID:
			o->self = strcmp(eq + 1, "self") == 0;
			err = o->self || strcmp(eq + 1, "other") == 0 ? NULL :
			      "expected self or other";
			break;
		default:
			if (!strcmp(eq + 1, "any")) {
				o->any = true;
				err = NULL;
				break;
			}
			err = parse_hex(eq + 1, &b);
			o->data = b.data;
			o->len = b.len;
			/* shown in reports grouped as written */
			us = strchr(eq + 1, '_');
			o->group = us ? (size_t)(us - eq - 1) / 2 : 0;
		}
		if (err) {
			perr(p, "%s: %s", tok[i], err);
			continue;
		}
		o->present = true;
	}
}

static int arg_lookup(const char *name)
{
	int i;

	for (i = 0; i < ARG__COUNT; i++)
		if (strcmp(name, arg_names[i]) == 0)
			return i;
	return -1;
}

/*
 * Which side runs the op, and what a program-side op may take: the
 * helper's arguments only (a program builds no bpf(2) attr).
 */
static void check_side(struct parser *p, struct op *op, const char *name)
{
	uint64_t extra;
	int id;

	if (op->code >= OP_PUSH) {
		/* bpf(2) has no such command: only a program calls it */
		if ((op->given & A(SIDE)) && !op->side_prog)
			perr(p, "side=sys: %s is a helper only a program "
			     "calls", name);
		op->side_prog = true;
	}
	if (!op->side_prog) {
		if (op->given & A(WRITE))
			perr(p, "write=: only a program writes through the "
			     "pointer a lookup returns (side=prog)");
		return;
	}
	if (!prog_args[op->code]) {
		perr(p, "side=prog: a program runs lookup, update, delete, "
		     "push, pop, peek and lookup_percpu only");
		return;
	}
	extra = op->given & ~(prog_args[op->code] | A(SIDE) | A(CPU));
	for (id = 0; id < ARG__COUNT; id++)
		if (extra & ARG_BIT(id))
			perr(p, "%s=: not an argument of a program-side %s "
			     "(%s)", arg_names[id], name,
			     id == ARG_ATTR_SIZE || id == ARG_POKE ?
			     "a program passes no bpf(2) attr" :
			     "the helper takes none");
	/* the verifier takes stack pointers only: NULL never loads */
	if (op->key.null ||
	    (op->value.null && (prog_args[op->code] & A(VALUE))))
		perr(p, "null: a program passes no NULL key or value to a "
		     "helper");
}

static void parse_op(struct parser *p, struct scenario *sc, struct op *op,
		     char **tok, size_t n)
{
	size_t i;
	int c;

	for (c = 0; c < OP__COUNT; c++)
		if (strcmp(tok[0], op_table[c].name) == 0)
			break;
	if (c == OP__COUNT) {
		perr(p, "%s: unknown op", tok[0]);
		return;
	}
	op->code = c;
	op->attr_size = ATTR_SIZE_DEFAULT;
	op->info_len = MAP_INFO_SIZE;
	for (i = 1; i < n; i++) {
		char *eq = strchr(tok[i], '=');
		const char *err;
		int id;

		if (!eq) {
			perr(p, "%s: expected name=value", tok[i]);
			continue;
		}
		*eq = '\0';
		id = arg_lookup(tok[i]);
		if (id < 0 || !((op_table[c].args | COMMON_ARGS) &
				ARG_BIT(id))) {
			perr(p, "%s: unknown argument for %s", tok[i],
			     tok[0]);
			continue;
		}
		if ((op->given & ARG_BIT(id)) && id != ARG_POKE) {
			perr(p, "%s: given twice", tok[i]);
			continue;
		}
		op->given |= ARG_BIT(id);
		err = parse_arg(p, op, id, eq + 1);
		if (err)
			perr(p, "%s=%s: %s", tok[i], eq + 1, err);
	}
	if (op->code == OP_CREATE && op->flags > UINT32_MAX)
		perr(p, "flags: map_flags is 32 bits");
	check_side(p, op, tok[0]);
	if (op->code == OP_CREATE && is_percpu_or_lru(op->type))
		sc->cpu_dependent = true;
	/* a CPU past 0 may not exist on another host */
	if (op->cpu || op->target_cpu)
		sc->cpu_dependent = true;
	if (op_returns_fd(op->code))
		p->nslots++;
	if (op->code == OP_MMAP)
		p->nmaps++;
}

static void parse_recorded(struct parser *p, struct scenario *sc,
			   char **tok, size_t n)
{
	if (sc->recorded) {
		perr(p, "a second `recorded` line");
		return;
	}
	if (n != 3 || strncmp(tok[2], "ncpus=", 6) != 0 ||
	    parse_u32(tok[2] + 6, &sc->ncpus) || sc->ncpus == 0) {
		perr(p, "expected: recorded <release> ncpus=<N>");
		return;
	}
	sc->release = strdup(tok[1]);
	if (!sc->release) {
		perr(p, "out of memory");
		return;
	}
	sc->recorded = true;
}

static const char *parse_state_elem(struct map_state *m, const char *key,
				    const char *value)
{
	struct blob k, v;
	const char *err;

	err = parse_hex(key, &k);
	if (err)
		return err;
	err = parse_hex(value, &v);
	if (err)
		goto out_free_key;
	if (map_state_add(m, k.data, k.len, v.data, v.len))
		err = "out of memory";
	blob_free(&v);
out_free_key:
	blob_free(&k);
	return err;
}

static const char *parse_digest(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 16);
	if (errno || *end || end - s != 16)
		return "expected a digest of 16 hex digits";
	return NULL;
}

static void parse_state(struct parser *p, struct scenario *sc, char **tok,
			size_t n)
{
	struct map_state *m;
	const char *err = NULL;
	uint32_t slot;

	if (n < 3 || strncmp(tok[1], "fd=", 3) != 0 ||
	    parse_u32(tok[1] + 3, &slot))
		goto bad;
	m = state_find(&sc->state, slot);
	if (!m) {
		m = state_add_map(&sc->state, slot);
		if (!m) {
			perr(p, "out of memory");
			return;
		}
		m->line = p->line;
	}
	if (n == 4 && strncmp(tok[2], "key=", 4) == 0 &&
	    strncmp(tok[3], "value=", 6) == 0) {
		err = parse_state_elem(m, tok[2] + 4, tok[3] + 6);
	} else if (n == 3 && strncmp(tok[2], "value=", 6) == 0) {
		err = parse_state_elem(m, "", tok[2] + 6);	/* keyless */
	} else if (n == 4 && strncmp(tok[2], "elements=", 9) == 0 &&
		   strncmp(tok[3], "digest=", 7) == 0) {
		m->summary = true;
		err = parse_u64(tok[2] + 9, &m->total);
		if (!err)
			err = parse_digest(tok[3] + 7, &m->digest);
	} else if (n == 3 && strncmp(tok[2], "walk=-", 6) == 0) {
		err = parse_errno(tok[2] + 6, &m->walk_err);
	} else {
		goto bad;
	}
	if (err)
		perr(p, "state: %s", err);
	return;
bad:
	perr(p, "expected: state fd=<slot> key=<hex> value=<hex>");
}

static int scenario_add_line(struct scenario *sc, const char *raw)
{
	struct sline *l;

	l = realloc(sc->lines, (sc->nlines + 1) * sizeof(*l));
	if (!l)
		return -ENOMEM;
	sc->lines = l;
	l = &sc->lines[sc->nlines];
	memset(l, 0, sizeof(*l));
	l->raw = strdup(raw);
	if (!l->raw)
		return -ENOMEM;
	sc->nlines++;
	return 0;
}

static size_t rtrim_len(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

/* An op line: "<op text> [=> <result>] [# comment]". */
static void parse_op_line(struct parser *p, struct scenario *sc,
			  struct sline *l, char *body, size_t body_len)
{
	char *tok[64], *arrow;
	struct op *op, *ops;
	size_t n, text_len;

	ops = realloc(sc->ops, (sc->nops + 1) * sizeof(*ops));
	if (!ops) {
		perr(p, "out of memory");
		return;
	}
	sc->ops = ops;
	op = &ops[sc->nops];
	memset(op, 0, sizeof(*op));
	op->line = p->line;
	l->kind = LINE_OP;
	l->op = sc->nops++;

	if (l->raw[body_len] == '#') {
		size_t keep = rtrim_len(l->raw, body_len);

		op->comment = strdup(l->raw + keep);
	}
	arrow = strstr(body, "=>");
	text_len = rtrim_len(body, arrow ? (size_t)(arrow - body) :
					   strlen(body));
	op->text = strndup(body, text_len);
	if (!op->text) {
		perr(p, "out of memory");
		return;
	}
	if (arrow) {
		*arrow = '\0';
		n = tokenize(arrow + 2, tok, 64);
		parse_result(p, tok, n, &op->recorded);
	}
	n = tokenize(body, tok, 64);
	if (n == 0)
		perr(p, "no op before =>");
	else if (n == 64)
		perr(p, "too many arguments");
	else
		parse_op(p, sc, op, tok, n);
}

static bool first_word_is(const char *s, const char *word)
{
	size_t n = strlen(word);

	s += strspn(s, " \t");
	return strncmp(s, word, n) == 0 &&
	       (s[n] == '\0' || s[n] == ' ' || s[n] == '\t');
}

static void parse_line(struct parser *p, struct scenario *sc, size_t idx)
{
	struct sline *l = &sc->lines[idx];
	char *hash = strchr(l->raw, '#');
	size_t body_len = hash ? (size_t)(hash - l->raw) : strlen(l->raw);
	char *body, *tok[8];
	size_t n;

	body = strndup(l->raw, body_len);
	if (!body) {
		perr(p, "out of memory");
		return;
	}
	if (first_word_is(body, "recorded")) {
		l->kind = LINE_RECORDED;
		n = tokenize(body, tok, 8);
		parse_recorded(p, sc, tok, n);
	} else if (first_word_is(body, "state")) {
		l->kind = LINE_STATE;
		n = tokenize(body, tok, 8);
		parse_state(p, sc, tok, n);
	} else if (first_word_is(body, "track")) {
		/* kept as written, as a comment is */
		n = tokenize(body, tok, 8);
		if (n != 2 || strcmp(tok[1], "keys"))
			perr(p, "expected: track keys");
		else if (sc->nops)
			perr(p, "track keys: before the first op");
		sc->track_keys = true;
	} else if (body[strspn(body, " \t")]) {
		parse_op_line(p, sc, l, body, body_len);
	}
	/* else blank or comment only: kept as written */
	free(body);
}

/* Every line of f, then every line parsed: the errors, or 0 with *scp. */
static int scenario_read(struct parser *p, FILE *f, struct scenario **scp)
{
	struct scenario *sc;
	char *buf = NULL;
	size_t cap = 0, i;
	ssize_t len;

	*scp = NULL;
	sc = calloc(1, sizeof(*sc));
	if (!sc || !(sc->path = strdup(p->path))) {
		perr(p, "out of memory");
		free(sc);
		return p->errors;
	}
	while ((len = getline(&buf, &cap, f)) >= 0) {
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		p->line++;
		if (strlen(buf) != (size_t)len) {
			perr(p, "NUL byte in the line");
			continue;
		}
		if (scenario_add_line(sc, buf)) {
			perr(p, "out of memory");
			break;
		}
	}
	free(buf);

	for (i = 0; i < sc->nlines; i++) {
		p->line = (unsigned int)i + 1;
		parse_line(p, sc, i);
	}
	/* every later error is about the whole file: report it at line 1 */
	p->line = 1;
	if (!p->errors && sc->nops == 0)
		perr(p, "no ops");
	if (p->errors) {
		scenario_free(sc);
		return p->errors;
	}
	*scp = sc;
	return 0;
}

int scenario_load(const char *path, struct scenario **scp)
{
	struct parser p = { .path = path };
	FILE *f;
	int ret;

	*scp = NULL;
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	ret = scenario_read(&p, f, scp);
	fclose(f);
	return ret;
}

int scenario_parse(const char *name, const char *text, size_t len,
		   bool quiet, struct scenario **scp)
{
	struct parser p = { .path = name, .quiet = quiet };
	FILE *f;
	int ret;

	*scp = NULL;
	if (!len) {
		perr(&p, "no ops");	/* fmemopen() takes no empty buffer */
		return p.errors;
	}
	f = fmemopen((void *)text, len, "r");
	if (!f) {
		perr(&p, "fmemopen: %s", strerror(errno));
		return p.errors;
	}
	ret = scenario_read(&p, f, scp);
	fclose(f);
	return ret;
}

static void op_free(struct op *op)
{
	unsigned int i;

	free(op->text);
	free(op->comment);
	free(op->path);
	blob_free(&op->key);
	blob_free(&op->value);
	blob_free(&op->next);
	blob_free(&op->in);
	blob_free(&op->out);
	blob_free(&op->keys);
	blob_free(&op->values);
	blob_free(&op->data);
	blob_free(&op->write);
	for (i = 0; i < op->npokes; i++)
		blob_free(&op->pokes[i].bytes);
	free(op->pokes);
	result_free(&op->recorded);
}

void scenario_free(struct scenario *sc)
{
	size_t i;

	if (!sc)
		return;
	for (i = 0; i < sc->nops; i++)
		op_free(&sc->ops[i]);
	for (i = 0; i < sc->nlines; i++)
		free(sc->lines[i].raw);
	free(sc->ops);
	free(sc->lines);
	free(sc->release);
	free(sc->path);
	state_free(&sc->state);
	free(sc);
}

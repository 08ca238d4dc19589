/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A scenario file (tests/corpus/FORMAT.md) in memory: its lines as
 * written (so that `record` can rewrite it keeping comments and op
 * text), the parsed ops with their recorded results, the recorded state.
 */
#ifndef __HARNESS_SCENARIO_H
#define __HARNESS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outcome.h"
#include "values.h"

enum op_code {
	OP_CREATE, OP_LOOKUP, OP_UPDATE, OP_DELETE, OP_NEXT,
	OP_LOOKUP_AND_DELETE, OP_FREEZE, OP_LOOKUP_BATCH,
	OP_LOOKUP_AND_DELETE_BATCH, OP_UPDATE_BATCH, OP_DELETE_BATCH,
	OP_PIN, OP_GET, OP_UNLINK, OP_CLOSE, OP_INFO, OP_GET_FD_BY_ID,
	OP_NEXT_ID, OP_MKDIR, OP_RMDIR,
	OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_MREAD, OP_MWRITE,
	/* helpers only a program calls: always program-side */
	OP_PUSH, OP_POP, OP_PEEK, OP_LOOKUP_PERCPU,
	OP__COUNT
};

/* Arguments; `given` says which appeared (absent ones are 0). */
enum arg_id {
	ARG_FD, ARG_TYPE, ARG_KEY_SIZE, ARG_VALUE_SIZE, ARG_MAX_ENTRIES,
	ARG_FLAGS, ARG_MAP_EXTRA, ARG_NUMA_NODE, ARG_NAME, ARG_INNER_MAP_FD,
	ARG_KEY, ARG_VALUE, ARG_NEXT, ARG_IN, ARG_COUNT, ARG_ELEM_FLAGS,
	ARG_OUT, ARG_KEYS, ARG_VALUES, ARG_PATH, ARG_FILE_FLAGS, ARG_INFO_LEN,
	ARG_ID, ARG_OPEN_FLAGS, ARG_ATTR_SIZE, ARG_POKE, ARG_SIDE, ARG_CPU,
	ARG_HASH, ARG_LEN, ARG_PROT, ARG_SHARE, ARG_OFF, ARG_MAP, ARG_DATA,
	ARG_WRITE, ARG_TARGET_CPU,
	ARG__COUNT
};
#define ARG_BIT(a)	(1ULL << (a))

enum fd_kind {
	FD_NEWEST,	/* the newest open slot (no fd= given) */
	FD_SLOT,	/* fd=<slot> */
	FD_CLOSED,	/* fd=closed: a number that is not an open fd */
	FD_NOTMAP,	/* fd=notmap: an open fd of a regular file */
};

struct fd_ref {
	enum fd_kind kind;
	unsigned int slot;
};

enum id_kind { ID_NUM, ID_SELF, ID_SELF_MINUS_1 };

struct poke {
	uint32_t off;
	struct blob bytes;
};

struct op {
	unsigned int line;
	enum op_code code;
	char *text;		/* as written, before `=>` and any comment */
	char *comment;		/* "  # ..." as written, or NULL */
	uint64_t given;		/* ARG_BIT()s */

	struct fd_ref fd;
	struct fd_ref inner_fd;
	uint32_t type, key_size, value_size, max_entries, numa_node;
	uint64_t flags, elem_flags, map_extra;
	uint8_t name[16];
	size_t name_len;
	struct blob key, value, next, in, out, keys, values;
	uint32_t count, file_flags, open_flags, info_len;
	uint32_t hash_len;	/* info: bytes of the info.hash buffer */
	/* mappings: mmap, munmap, mprotect, mread, mwrite */
	uint64_t len, off;
	uint32_t prot, share;
	unsigned int mslot;	/* map=<n>: a mapping slot */
	struct blob data;
	struct blob write;	/* lookup side=prog: bytes it then writes */
	uint32_t target_cpu;	/* lookup_percpu */
	char *path;		/* NULL for path=null */
	bool path_in_bpffs;	/* path=@name: relative to the bpffs dir */
	enum id_kind id_kind;
	uint32_t id;
	uint32_t attr_size;
	struct poke *pokes;
	unsigned int npokes;
	bool side_prog;		/* run from a BPF program (helpers) */
	uint32_t cpu;		/* cpu=: the CPU it runs on (default 0) */

	struct result recorded;	/* .present: the line has `=> ...` */
};

enum line_kind { LINE_TEXT, LINE_RECORDED, LINE_OP, LINE_STATE };

struct sline {
	enum line_kind kind;
	char *raw;
	size_t op;		/* LINE_OP: index in ops[] */
};

struct scenario {
	char *path;
	struct sline *lines;
	size_t nlines;
	struct op *ops;
	size_t nops;
	bool recorded;		/* a `recorded` line is present */
	char *release;
	unsigned int ncpus;
	struct state state;	/* the recorded `state` lines */
	/* creates a per-CPU or LRU map, or names a CPU other than 0 */
	bool cpu_dependent;
	/* `track keys`: every op's map's key set is read after it */
	bool track_keys;
};

bool op_returns_fd(enum op_code code);

/*
 * Parses one file. Every error is printed as "file:line: message" to
 * stderr; returns how many there were (the scenario is NULL then).
 */
int scenario_load(const char *path, struct scenario **scp);
/* The same for len bytes of text named name (quiet: print nothing). */
int scenario_parse(const char *name, const char *text, size_t len,
		   bool quiet, struct scenario **scp);
void scenario_free(struct scenario *sc);

/*
 * Rewrites the file in place with these results and this state:
 * comments and op text stay, `=> ...`, `recorded` and `state` lines are
 * replaced. Returns 0 or -errno.
 */
int scenario_write(const struct scenario *sc, const char *release,
		   unsigned int ncpus, const struct result *results,
		   const struct state *st);

#endif /* __HARNESS_SCENARIO_H */

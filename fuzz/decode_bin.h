/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The binary decoder's state and the helpers its two files share:
 * decode.c (the model of what a scenario has made, the text of keys,
 * values and the arguments every op takes, creates) and decode_ops.c
 * (the op records).
 */
#ifndef __FUZZ_DECODE_BIN_H
#define __FUZZ_DECODE_BIN_H

#include "decode_internal.h"

#define MAX_OPS		32	/* op records after the header */
#define MAX_CREATES	4	/* create ops among them */
#define MAX_FD_OPS	(MAX_OPS + 2)
#define MAX_MAPS	MAX_FD_OPS
#define MAX_PAGES	320	/* pages of the largest mapping made */
#define KERNEL_BUDGET	(1ULL << 20)	/* bytes one map may cost */
#define BATCH_MAX	8	/* elements of an update/delete batch */
#define BATCH_BYTES	8192		/* their keys and values, at most */
/*
 * A text stops taking ops past this many bytes: large values make long
 * texts, which every stage (decoding, parsing, both runs) pays for per
 * byte, and which libFuzzer would otherwise favour for the loop counts
 * they reach.
 */
#define TEXT_BUDGET	(32U << 10)
#define ROUND8(x)	(((uint64_t)(x) + 7) & ~7ULL)
#define PERCPU_VALUE_MAX 4096	/* a valid per-CPU map's largest value */

/* kern/exec.h: the largest key and value the executor takes */
#define PROG_KEY_MAX	512
#define PROG_VALUE_MAX	4096

enum fmode { M_RDWR, M_RDONLY, M_WRONLY };

/*
 * The paths a scenario uses, all inside the run's bpffs directory (the
 * engine runs nothing that names a host path). @nodir is never made.
 */
enum path_id {
	P_P0, P_P1, P_P2, P_D0, P_D1, P_D0_P3, P_D1_P4, P_D0_D2, P_P0_X,
	P_NODIR, P_NODIR_X,
	P__COUNT
};

#define ENT_NONE	(-1)
#define ENT_DIR		(-2)	/* else: a pin of that map */

struct model_map {
	struct fuzz_cfg cfg;
	const struct fuzz_type *t;
	bool frozen;
};

struct model_slot {
	int map;
	enum fmode mode;
	bool open;
};

struct model_mapping {
	int map;
	unsigned int npages;
	bool maywrite;		/* mapped writable: VM_MAYWRITE, a writer */
	int8_t prot[MAX_PAGES];	/* per page; -1: unmapped */
};

struct dec {
	const uint8_t *p;
	size_t n;
	unsigned int ncpus;
	struct sbuf sb;
	bool lost;		/* the model no longer knows the slots */
	bool any_open_order;	/* a map whose hash order is open may exist */
	unsigned int fd_ops;	/* ops that may open a slot (the parser's) */
	unsigned int mmap_ops;	/* mmap ops (the parser's mapping count) */
	unsigned int ncreates;
	struct fuzz_cfg last;	/* sizes to use when the model is lost */
	const struct fuzz_type *last_t;
	struct model_map maps[MAX_MAPS];
	unsigned int nmaps;
	struct model_slot slots[MAX_FD_OPS];	/* numbered as the harness */
	unsigned int nslots;
	struct model_mapping maps_made[MAX_OPS];
	unsigned int nmappings;
	int ent[P__COUNT];	/* ENT_NONE, ENT_DIR or a map */
	uint64_t rng;		/* raw bytes, from the record's bytes */
};

enum fd_kind { FK_NEWEST, FK_SLOT, FK_CLOSED, FK_NOTMAP };

struct target {
	enum fd_kind kind;
	int slot;		/* the model's slot, or -1 */
	int attr_size;		/* -1: none */
	bool poke;
	uint8_t poke_b;
	int extra;		/* the modifier's extra byte, or -1 */
};

struct rec {
	uint8_t m, k, v, f;
	struct target tg;
	int slot;		/* the model's, or -1 */
	const struct fuzz_type *t;
	const struct fuzz_cfg *c;
};

struct flag_name {
	const char *name;
	uint64_t bit;
};

#define EF_NOEXIST	1ULL
#define EF_EXIST	2ULL
#define EF_LOCK		4ULL

extern const struct flag_name dec_map_flag_names[], dec_elem_flag_names[],
	dec_file_flag_names[];

/* decode.c: input bytes (0 once used up), raw bytes from the record */
uint8_t dec_next(struct dec *d);
uint8_t dec_rnd(struct dec *d);

/* decode.c: the model */
int dec_newest_open(const struct dec *d);
bool dec_mapping_live(const struct model_mapping *m);
bool dec_map_alive(const struct dec *d, int map);
bool dec_map_writer(const struct dec *d, int map);
void dec_slot_add(struct dec *d, int map, enum fmode mode);
struct model_map *dec_slot_map(struct dec *d, int slot);
bool dec_order_open(const struct dec *d, int slot);
bool dec_reuse_open(const struct dec *d, int slot);
const struct fuzz_cfg *dec_slot_cfg(struct dec *d, int slot,
				    const struct fuzz_type **t);
void dec_create(struct dec *d);

/* decode.c: the fd an op acts on, and what every op may take */
void dec_pick_fd(struct dec *d, uint8_t m, struct target *t);
int dec_target_slot(const struct dec *d, const struct target *t);
void dec_put_fd(struct dec *d, const struct target *t);
bool dec_put_attr(struct dec *d, const char *op, const struct target *t);
void dec_put_cpu(struct dec *d, uint8_t m);
bool dec_want_prog(const struct dec *d, uint8_t m, int slot);
void dec_put_prog_fd(struct dec *d, int slot);
void dec_put_flags(struct dec *d, const char *key, uint64_t v,
		   const struct flag_name *names);
void dec_put_elem_flags(struct dec *d, const char *key, uint64_t v);
uint64_t dec_raw_bit(uint8_t b);

/* decode.c: keys and values */
uint64_t dec_key_index(uint8_t k, uint32_t max_entries);
void dec_put_index_key(struct dec *d, uint64_t idx, size_t len);
void dec_put_pool_key(struct dec *d, uint8_t k, const struct fuzz_cfg *c);
void dec_put_key(struct dec *d, const char *name, uint8_t k,
		 const struct fuzz_cfg *c, bool prog);
void dec_put_pattern(struct dec *d, uint8_t seed, uint64_t n, uint64_t group);
void dec_put_bloom_value(struct dec *d, const char *name, uint8_t v,
			 const struct fuzz_type *t, const struct fuzz_cfg *c,
			 bool prog);
void dec_put_value(struct dec *d, const char *name, uint8_t v,
		   const struct fuzz_type *t, const struct fuzz_cfg *c,
		   bool prog);

/* decode_ops.c: one op record */
void dec_op(struct dec *d);

#endif /* __FUZZ_DECODE_BIN_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrors kernel/bpf/hashtab.c (v6.18). */
/*
 * BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH: one table of
 * roundup_pow_of_two(max_entries) buckets, each a singly linked list with
 * the newest element at its head. The bucket is picked by jhash over the
 * key, seeded per map, so with BPF_F_ZERO_SEED the kernel's iteration
 * order (bucket by bucket, head first) is reproduced exactly.
 *
 * Storage: the kernel preallocates max_entries elements (plus one spare
 * per CPU for HASH replacements) unless BPF_F_NO_PREALLOC is given. For
 * HASH the difference is not observable in single-threaded syscall
 * behaviour on 6.18 (the NO_PREALLOC count is compared exactly:
 * hashtab.c: is_map_full), so its elements are allocated on demand and
 * freed at once. PERCPU_HASH elements are reused as the kernel reuses
 * them, because a program insert leaves the padding of every per-CPU
 * slot (value_size up to round_up(value_size, 8)) as the element's last
 * key left it, and a syscall lookup shows those bytes: see "Element
 * reuse" below. Maps may be declared with up to 2^27 entries; only the
 * bucket array and one free list per CPU are sized at create, never-used
 * elements are counted, not allocated, and calloc leaves the pages of a
 * huge bucket array untouched until used.
 *
 * The LRU types (see "LRU maps" below) are always preallocated: their
 * max_entries elements live in the LRU lists of bpf_lru_list.c, which
 * decide which key an insert evicts.
 */
#include <stdlib.h>
#include <sys/random.h>

#include "bpf_lru_list.h"
#include "emu_internal.h"
#include "jhash.h"

/* hashtab.c: htab_map_hash uses jhash2() for 4-byte multiples: the same */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "byte-wise jhash() equals jhash2() only on little-endian");

/* Kernel sizes (x86-64, 6.18) that decide E2BIG at create. */
#define HTAB_KMALLOC_MAX_SIZE	(1UL << 22)	/* KMALLOC_MAX_SIZE */
#define HTAB_KERN_ELEM_SIZE	48	/* sizeof(struct htab_elem) */
#define HTAB_KERN_BUCKET_SIZE	16	/* sizeof(struct bucket) */
#define HTAB_PCPU_MIN_UNIT_SIZE	32768	/* PCPU_MIN_UNIT_SIZE */
#define HTAB_NUMA_NO_NODE	(-1)

#define HTAB_CREATE_FLAG_MASK						\
	(BPF_F_NO_PREALLOC | BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE |	\
	 EMU_F_ACCESS_MASK | BPF_F_ZERO_SEED)

struct htab_elem {
	struct htab_elem *next;		/* towards older elements; free list */
	__u32 hash;
	__u32 origin;	/* NO_PREALLOC PERCPU_HASH: the CPU that allocated it */
	/* the key, padded to 8 bytes, then the value storage */
	char key[] __attribute__((aligned(8)));
};

/*
 * One CPU's free PERCPU_HASH elements. Both allocators keep a LIFO list
 * per CPU whose never-used objects are all zero, and only ever lie
 * below the freed ones: they are counted (@pristine), and made when
 * handed out. The rest is memalloc.c's struct bpf_mem_cache, used with
 * BPF_F_NO_PREALLOC only.
 */
struct htab_cpu_cache {
	struct htab_elem *first;	/* freed elements, newest first */
	__u32 pristine;			/* never-used ones below them */
	__u32 cnt;			/* both: free_cnt */
	struct htab_elem *by_rcu;	/* free_by_rcu_ttrace, newest first */
	struct htab_elem *waiting;	/* waiting_for_gp_ttrace */
	__u32 tgt;			/* tgt: CPU trimmed objects go to */
	bool gp_pending;		/* call_rcu_ttrace_in_progress */
};

struct emu_htab {
	struct emu_map map;
	struct htab_elem **buckets;
	struct htab_cpu_cache *cpu_cache;	/* PERCPU_HASH: one per CPU */
	__u32 n_buckets;
	__u32 count;		/* elements linked in the buckets */
	__u32 hashrnd;
	__u32 value_off;	/* key_size rounded up to 8 */
	size_t value_len;	/* per-CPU maps: ncpus rounded slots */
	struct bpf_lru lru;	/* LRU types: every element's node */
};

static struct emu_htab *to_htab(struct emu_map *map)
{
	return container_of(map, struct emu_htab, map);
}

static void *htab_elem_value(const struct emu_htab *htab, struct htab_elem *l)
{
	return l->key + htab->value_off;
}

/* Per-CPU slot of @cpu: round_up(value_size, 8) bytes each. */
static void *htab_elem_cpu_value(const struct emu_htab *htab,
				 struct htab_elem *l, unsigned int cpu)
{
	return (char *)htab_elem_value(htab, l) +
	       (size_t)cpu * round_up(htab->map.value_size, 8);
}

static __u32 htab_map_hash(const struct emu_htab *htab, const void *key)
{
	return jhash(key, htab->map.key_size, htab->hashrnd);
}

/* hashtab.c: __select_bucket */
static struct htab_elem **htab_select_bucket(const struct emu_htab *htab,
					     __u32 hash)
{
	return &htab->buckets[hash & (htab->n_buckets - 1)];
}

/* hashtab.c: lookup_elem_raw: stored hash and every key byte must match */
static struct htab_elem *htab_lookup_elem_raw(struct htab_elem *head,
					      __u32 hash, const void *key,
					      __u32 key_size)
{
	struct htab_elem *l;

	for (l = head; l; l = l->next)
		if (l->hash == hash && !memcmp(l->key, key, key_size))
			return l;
	return NULL;
}

static void htab_link_elem(struct htab_elem **head, struct htab_elem *l)
{
	l->next = *head;
	*head = l;
}

static void htab_unlink_elem(struct htab_elem **head, struct htab_elem *l)
{
	struct htab_elem **pprev = head;

	while (*pprev != l)
		pprev = &(*pprev)->next;
	*pprev = l->next;
}

/*
 * Element reuse (PERCPU_HASH). Which element a new key gets decides the
 * padding bytes a syscall lookup shows after a program insert, so the
 * kernel's choice is followed exactly (checked on 6.18.44, scenarios
 * listed in the report of the change):
 *
 * - Preallocated (percpu_freelist.c): each CPU owns a LIFO list.
 *   pcpu_freelist_populate deals max_entries / ncpus elements to every
 *   CPU and one more to each of the first max_entries % ncpus; a delete
 *   pushes on the current CPU's list (__pcpu_freelist_push); an insert
 *   pops from the current CPU's list, then from the next CPUs in turn,
 *   wrapping (___pcpu_freelist_pop), and finds none when the map is full.
 *
 * - BPF_F_NO_PREALLOC (memalloc.c, htab->pcpu_ma, a per-CPU cache of
 *   per-CPU objects): an insert takes the top of the current CPU's cache
 *   (unit_alloc) and a delete puts the element on top of it (unit_free).
 *   The cache's irq_work runs as soon as the operation ends (a self-IPI,
 *   as soon as interrupts are on again): below the low watermark it
 *   refills one object (alloc_bulk) taken from the free_by_rcu_ttrace
 *   list, else from waiting_for_gp_ttrace, else a new zeroed one; above
 *   the high watermark it moves objects from the top to the
 *   free_by_rcu_ttrace list of the CPU whose cache handed out the
 *   element freed last (free_bulk, c->tgt) until the count is at the
 *   middle, and then, unless a grace period is already pending there,
 *   moves that list (reversed) to waiting_for_gp_ttrace and starts one
 *   (do_call_rcu_ttrace).
 *
 * Limit: when an RCU Tasks Trace grace period ends, the kernel frees the
 * objects still on waiting_for_gp_ttrace (__free_rcu), and later
 * refills get zeroed objects; when it ends depends on time. The
 * emulator assumes it never ends while the map lives (it had not, in
 * every recorded scenario), so those objects come back with their old
 * padding.
 */
#define HTAB_MA_LOW	1	/* memalloc.c: percpu low_watermark */
#define HTAB_MA_HIGH	3	/* memalloc.c: percpu high_watermark */
#define HTAB_MA_PREFILL	1	/* memalloc.c: prefill_mem_cache, percpu */
/* alloc_bulk's batch, max((high - low) / 4 * 3, 1), is 1 object */
_Static_assert((HTAB_MA_HIGH - HTAB_MA_LOW) / 4 * 3 <= 1,
	       "a refill adds one object, only when the cache is empty");

static bool htab_is_percpu(const struct emu_htab *htab)
{
	return htab->map.map_type == BPF_MAP_TYPE_PERCPU_HASH;
}

static bool type_is_lru(__u32 type)
{
	return type == BPF_MAP_TYPE_LRU_HASH ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static bool type_is_percpu(__u32 type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static bool htab_is_lru(const struct emu_htab *htab)
{
	return type_is_lru(htab->map.map_type);
}

static bool htab_is_prealloc(const struct emu_htab *htab)
{
	return !(htab->map.map_flags & BPF_F_NO_PREALLOC);
}

/*
 * The current CPU, as one of the map's: a map keeps the possible CPUs it
 * was created with, the emulated machine may have more since.
 */
static unsigned int htab_cpu(const struct emu_htab *htab)
{
	return emu_current_cpu() % htab->map.ncpus;
}

static size_t htab_elem_size(const struct emu_htab *htab)
{
	return offsetof(struct htab_elem, key) + htab->value_off +
	       htab->value_len;
}

/* percpu_freelist.c: pcpu_freelist_populate; memalloc.c: prefill */
static int htab_cpu_caches_init(struct emu_htab *htab)
{
	__u32 ncpus = htab->map.ncpus, cpu;

	htab->cpu_cache = calloc(ncpus, sizeof(*htab->cpu_cache));
	if (!htab->cpu_cache)
		return -ENOMEM;
	for (cpu = 0; cpu < ncpus; cpu++) {
		struct htab_cpu_cache *c = &htab->cpu_cache[cpu];

		if (htab_is_prealloc(htab))
			c->pristine = htab->map.max_entries / ncpus +
				      (cpu < htab->map.max_entries % ncpus);
		else
			c->pristine = HTAB_MA_PREFILL;
		c->cnt = c->pristine;
		c->tgt = cpu;
	}
	return 0;
}

static void htab_free_chain(struct htab_elem *l)
{
	struct htab_elem *next;

	for (; l; l = next) {
		next = l->next;
		free(l);
	}
}

static void htab_cpu_caches_free(struct emu_htab *htab)
{
	__u32 cpu;

	if (!htab->cpu_cache)
		return;
	for (cpu = 0; cpu < htab->map.ncpus; cpu++) {
		htab_free_chain(htab->cpu_cache[cpu].first);
		htab_free_chain(htab->cpu_cache[cpu].by_rcu);
		htab_free_chain(htab->cpu_cache[cpu].waiting);
	}
	free(htab->cpu_cache);
}

static void htab_cache_push(struct htab_cpu_cache *c, struct htab_elem *l)
{
	l->next = c->first;
	c->first = l;
	c->cnt++;
}

/* The top of a non-empty cache: a freed element, else a new zeroed one. */
static struct htab_elem *htab_cache_pop(struct emu_htab *htab,
					struct htab_cpu_cache *c)
{
	struct htab_elem *l = c->first;

	if (l) {
		c->first = l->next;
	} else {
		l = emu_zalloc(htab_elem_size(htab));
		if (!l)
			return ERR_PTR(-ENOMEM);
		c->pristine--;
	}
	c->cnt--;
	return l;
}

/* percpu_freelist.c: ___pcpu_freelist_pop, from this CPU on, wrapping */
static struct htab_elem *htab_prealloc_pop(struct emu_htab *htab)
{
	__u32 ncpus = htab->map.ncpus, start = htab_cpu(htab), i;

	for (i = 0; i < ncpus; i++) {
		struct htab_cpu_cache *c =
			&htab->cpu_cache[(start + i) % ncpus];

		if (c->cnt)
			return htab_cache_pop(htab, c);
	}
	return ERR_PTR(-E2BIG);	/* every element is in use: map is full */
}

/* memalloc.c: alloc_bulk of one object, run when the cache is empty */
static void htab_ma_refill(struct htab_cpu_cache *c)
{
	struct htab_elem *l;

	if (c->by_rcu) {
		l = c->by_rcu;
		c->by_rcu = l->next;
	} else if (c->waiting) {
		l = c->waiting;
		c->waiting = l->next;
	} else {
		/* __alloc: a new percpu area is zeroed */
		c->pristine++;
		c->cnt++;
		return;
	}
	htab_cache_push(c, l);
}

/* memalloc.c: unit_alloc from this CPU's cache, then bpf_mem_refill */
static struct htab_elem *htab_ma_alloc(struct emu_htab *htab)
{
	__u32 cpu = htab_cpu(htab);
	struct htab_cpu_cache *c = &htab->cpu_cache[cpu];
	struct htab_elem *l;

	/*
	 * The kernel gets here when its refill could not run since the last
	 * alloc (interrupts off: a program run from an IPI); the emulator's
	 * refill always has run, so this guards the count only.
	 */
	if (!c->cnt)
		return ERR_PTR(-ENOMEM);	/* unit_alloc: cache is empty */
	l = htab_cache_pop(htab, c);
	if (IS_ERR(l))
		return l;
	l->origin = cpu;	/* unit_alloc stamps its cache in the object */
	if (c->cnt < HTAB_MA_LOW)
		htab_ma_refill(c);
	return l;
}

/*
 * memalloc.c: free_bulk then do_call_rcu_ttrace. A pristine object only
 * ever lies alone at the bottom of a cache, so the objects moved (the top
 * HIGH + 1 - (HIGH + LOW) / 2) are freed elements.
 */
static void htab_ma_trim(struct emu_htab *htab, struct htab_cpu_cache *c)
{
	struct htab_cpu_cache *tgt = &htab->cpu_cache[c->tgt];
	struct htab_elem *l;

	do {
		l = c->first;
		c->first = l->next;
		c->cnt--;
		l->next = tgt->by_rcu;
		tgt->by_rcu = l;
	} while (c->cnt > (HTAB_MA_HIGH + HTAB_MA_LOW) / 2);

	if (tgt->gp_pending)
		return;	/* a grace period is pending: the list waits for it */
	tgt->gp_pending = true;
	while ((l = tgt->by_rcu)) {
		tgt->by_rcu = l->next;
		l->next = tgt->waiting;
		tgt->waiting = l;
	}
}

/* memalloc.c: unit_free into this CPU's cache, then bpf_mem_refill */
static void htab_ma_free(struct emu_htab *htab, struct htab_elem *l)
{
	struct htab_cpu_cache *c = &htab->cpu_cache[htab_cpu(htab)];

	c->tgt = l->origin;	/* the hint: who allocated what is freed */
	htab_cache_push(c, l);
	if (c->cnt > HTAB_MA_HIGH)
		htab_ma_trim(htab, c);
}

static void htab_lru_push_free(struct emu_htab *htab, struct htab_elem *l);

/* hashtab.c: free_htab_elem, htab_lru_push_free; an unlinked element goes back */
static void htab_free_elem(struct emu_htab *htab, struct htab_elem *l)
{
	if (htab_is_lru(htab))
		htab_lru_push_free(htab, l);
	else if (!htab_is_percpu(htab))
		free(l);	/* values inline: a reused one shows nothing */
	else if (htab_is_prealloc(htab))
		htab_cache_push(&htab->cpu_cache[htab_cpu(htab)], l);
	else
		htab_ma_free(htab, l);
}

static void htab_delete_elem(struct emu_htab *htab, struct htab_elem **head,
			     struct htab_elem *l)
{
	htab_unlink_elem(head, l);
	htab_free_elem(htab, l);
	htab->count--;
}

/*
 * LRU maps. Each element follows its LRU node in one allocation, made
 * by bpf_lru_list.c when the free lists first reach it; it stays the
 * same element for the map's life, so a reused LRU_PERCPU_HASH element
 * keeps the padding bytes its last key left, as in the kernel.
 */
static struct htab_elem *htab_lru_elem(struct bpf_lru_node *node)
{
	return (struct htab_elem *)((char *)node + BPF_LRU_NODE_SIZE);
}

static struct bpf_lru_node *htab_lru_node(struct htab_elem *l)
{
	return (struct bpf_lru_node *)((char *)l - BPF_LRU_NODE_SIZE);
}

/*
 * hashtab.c: htab_lru_map_delete_node: the LRU evicts a node's element.
 * False if the element is not in its bucket (a node taken for an
 * update that has not linked it yet).
 */
static bool htab_lru_map_delete_node(void *arg, struct bpf_lru_node *node)
{
	struct emu_htab *htab = arg;
	struct htab_elem *tgt = htab_lru_elem(node), **head, *l;

	head = htab_select_bucket(htab, tgt->hash);
	for (l = *head; l; l = l->next) {
		if (l == tgt) {
			htab_unlink_elem(head, l);
			htab->count--;
			return true;
		}
	}
	return false;
}

/* hashtab.c: htab_lru_push_free */
static void htab_lru_push_free(struct emu_htab *htab, struct htab_elem *l)
{
	bpf_lru_push_free(&htab->lru, htab_lru_node(l));
}

/*
 * hashtab.c: prealloc_lru_pop: a node on the current CPU, which may
 * evict other keys (or this one) first. NULL: none to be had.
 */
static struct htab_elem *htab_lru_pop(struct emu_htab *htab, const void *key,
				      __u32 hash)
{
	struct bpf_lru_node *node = bpf_lru_pop_free(&htab->lru,
						     htab_cpu(htab));
	struct htab_elem *l;

	if (!node)
		return NULL;
	l = htab_lru_elem(node);
	l->hash = hash;
	memcpy(l->key, key, htab->map.key_size);
	return l;
}

static __u32 htab_roundup_pow_of_two(__u32 n)
{
	return n <= 1 ? 1 : 1U << (32 - __builtin_clz(n - 1));
}

/* hashtab.c: htab_map_alloc_check (shared by every hash type) */
static int htab_map_alloc_check(union bpf_attr *attr)
{
	bool percpu = type_is_percpu(attr->map_type);
	bool lru = type_is_lru(attr->map_type);
	bool percpu_lru = attr->map_flags & BPF_F_NO_COMMON_LRU;
	/* syscall.c: bpf_map_attr_numa_node */
	int numa_node = (attr->map_flags & BPF_F_NUMA_NODE) ?
			(int)attr->numa_node : HTAB_NUMA_NO_NODE;

	/* BPF_F_ZERO_SEED needs CAP_SYS_ADMIN (EPERM): the emulator is root */
	if ((attr->map_flags & ~HTAB_CREATE_FLAG_MASK) ||
	    ((attr->map_flags & BPF_F_RDONLY_PROG) &&
	     (attr->map_flags & BPF_F_WRONLY_PROG)))
		return -EINVAL;	/* unknown flag, or both program access bits */
	if (!lru && percpu_lru)
		return -EINVAL;	/* per-CPU LRU lists asked of a non-LRU map */
	if (lru && (attr->map_flags & BPF_F_NO_PREALLOC))
		return -ENOTSUPP;	/* an LRU map is always preallocated */
	if (numa_node != HTAB_NUMA_NO_NODE && (percpu || percpu_lru))
		return -EINVAL;	/* per-CPU storage cannot live on one node */
	if (!attr->max_entries || !attr->key_size || !attr->value_size)
		return -EINVAL;	/* empty map, key or value */
	if ((__u64)attr->key_size + attr->value_size >=
	    HTAB_KMALLOC_MAX_SIZE - HTAB_KERN_ELEM_SIZE)
		return -E2BIG;	/* an element would not fit one kmalloc */
	if (percpu && round_up(attr->value_size, 8) > HTAB_PCPU_MIN_UNIT_SIZE)
		return -E2BIG;	/* a per-CPU slot larger than a percpu unit */
	return 0;
}

/*
 * hashtab.c: htab_map_alloc: per-CPU LRU lists get equal shares, so
 * max_entries is rounded up to a multiple of the CPUs (down if that
 * overflows u32).
 */
static __u32 htab_percpu_lru_entries(__u32 max_entries, __u32 ncpus)
{
	__u32 up = (max_entries + (ncpus - 1)) / ncpus * ncpus;

	return up < max_entries ? max_entries / ncpus * ncpus : up;
}

/* hashtab.c: htab_map_alloc */
static struct emu_map *htab_map_alloc(union bpf_attr *attr)
{
	bool percpu = type_is_percpu(attr->map_type);
	struct emu_htab *htab;
	int err;

	htab = emu_zalloc(sizeof(*htab));
	if (!htab)
		return ERR_PTR(-ENOMEM);
	emu_map_init_from_attr(&htab->map, attr);
	if (attr->map_flags & BPF_F_NO_COMMON_LRU)
		htab->map.max_entries =
			htab_percpu_lru_entries(attr->max_entries,
						htab->map.ncpus);

	if (htab->map.max_entries > 1UL << 31) {
		err = -E2BIG;	/* roundup_pow_of_two() would overflow */
		goto out_free_htab;
	}
	htab->n_buckets = htab_roundup_pow_of_two(htab->map.max_entries);
	if (htab->n_buckets > UINT32_MAX / HTAB_KERN_BUCKET_SIZE) {
		err = -E2BIG;	/* the kernel's bucket array overflows u32 */
		goto out_free_htab;
	}

	htab->value_off = round_up(htab->map.key_size, 8);
	htab->value_len = round_up(htab->map.value_size, 8);
	if (percpu)
		htab->value_len *= htab->map.ncpus;

	/* get_random_u32() cannot fail; no entropy here counts as no memory */
	if (!(attr->map_flags & BPF_F_ZERO_SEED) &&
	    getrandom(&htab->hashrnd, sizeof(htab->hashrnd), 0) !=
	    sizeof(htab->hashrnd)) {
		err = -ENOMEM;
		goto out_free_htab;
	}

	/* calloc, not emu_zalloc: pages of a huge table stay lazy */
	htab->buckets = calloc(htab->n_buckets, sizeof(*htab->buckets));
	if (!htab->buckets) {
		err = -ENOMEM;
		goto out_free_htab;
	}
	if (htab_is_percpu(htab)) {
		err = htab_cpu_caches_init(htab);
		if (err)
			goto out_free_buckets;
	}
	if (htab_is_lru(htab)) {
		err = bpf_lru_init(&htab->lru,
				   attr->map_flags & BPF_F_NO_COMMON_LRU,
				   htab->map.ncpus, htab->map.max_entries,
				   BPF_LRU_NODE_SIZE + htab_elem_size(htab),
				   htab_lru_map_delete_node, htab);
		if (err)
			goto out_free_buckets;
	}
	return &htab->map;

out_free_buckets:
	free(htab->buckets);
out_free_htab:
	free(htab);
	return ERR_PTR(err);
}

static void htab_map_free(struct emu_map *map)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem *l, *next;
	__u32 i;

	/* an LRU map's elements are all on its lists */
	if (htab_is_lru(htab)) {
		bpf_lru_destroy(&htab->lru);
		htab->count = 0;
	}
	/* stop at the last element: the tail of a huge table is never read */
	for (i = 0; htab->count && i < htab->n_buckets; i++) {
		for (l = htab->buckets[i]; l; l = next) {
			next = l->next;
			free(l);
			htab->count--;
		}
	}
	htab_cpu_caches_free(htab);
	free(htab->buckets);
	free(htab);
}

/* hashtab.c: htab_map_get_next_key */
static int htab_map_get_next_key(struct emu_map *map, const void *key,
				 void *next_key)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem **head, *l;
	__u32 hash, i = 0;

	/* no key, or a key not in the map: the walk restarts at bucket 0 */
	if (key) {
		hash = htab_map_hash(htab, key);
		head = htab_select_bucket(htab, hash);
		l = htab_lookup_elem_raw(*head, hash, key, map->key_size);
		if (l) {
			if (l->next) {
				/* the next older element of its bucket */
				memcpy(next_key, l->next->key, map->key_size);
				return 0;
			}
			i = (hash & (htab->n_buckets - 1)) + 1;
		}
	}

	/* the head of the next non-empty bucket */
	for (; i < htab->n_buckets; i++) {
		l = htab->buckets[i];
		if (l) {
			memcpy(next_key, l->key, map->key_size);
			return 0;
		}
	}
	return -ENOENT;	/* past the last element */
}

static struct htab_elem *htab_lookup_elem(struct emu_htab *htab,
					  const void *key)
{
	__u32 hash = htab_map_hash(htab, key);

	return htab_lookup_elem_raw(*htab_select_bucket(htab, hash), hash, key,
				    htab->map.key_size);
}

/* hashtab.c: htab_map_lookup_elem (helper face) */
static void *htab_map_lookup_elem(struct emu_map *map, const void *key)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem *l = htab_lookup_elem(htab, key);

	return l ? htab_elem_value(htab, l) : NULL;
}

/* hashtab.c: htab_percpu_map_lookup_elem: the current CPU's slot */
static void *htab_percpu_map_lookup_elem(struct emu_map *map, const void *key)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem *l = htab_lookup_elem(htab, key);

	return l ? htab_elem_cpu_value(htab, l, htab_cpu(htab)) : NULL;
}

/* hashtab.c: htab_percpu_map_lookup_percpu_elem: CPU @cpu's slot */
static void *htab_percpu_map_lookup_percpu_elem(struct emu_map *map,
						const void *key, __u32 cpu)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem *l;

	if (cpu >= map->ncpus)
		return NULL;	/* cpu >= nr_cpu_ids: no such slot */
	l = htab_lookup_elem(htab, key);
	return l ? htab_elem_cpu_value(htab, l, cpu) : NULL;
}

/* hashtab.c: bpf_percpu_hash_copy: every CPU's whole slot, padding too */
static int htab_percpu_map_lookup_elem_sys(struct emu_map *map,
					   const void *key, void *value,
					   __u64 flags)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem *l = htab_lookup_elem(htab, key);

	(void)flags;	/* syscall.c refused every flag: no spin locks */
	if (!l)
		return -ENOENT;	/* no such key */
	memcpy(value, htab_elem_value(htab, l), emu_map_value_size(map));
	return 0;
}

/* hashtab.c: check_flags */
static int htab_check_flags(const struct htab_elem *l_old, __u64 map_flags)
{
	if (l_old && (map_flags & ~BPF_F_LOCK) == BPF_NOEXIST)
		return -EEXIST;	/* BPF_NOEXIST, but the key is there */
	if (!l_old && (map_flags & ~BPF_F_LOCK) == BPF_EXIST)
		return -ENOENT;	/* BPF_EXIST, but the key is not there */
	return 0;
}

/*
 * hashtab.c: alloc_htab_elem. Only a new key needs capacity: replacing
 * an existing HASH key uses the CPU's spare element (prealloc) or may
 * pass max_entries for a moment (NO_PREALLOC), and never fails for room.
 */
static struct htab_elem *htab_alloc_elem(struct emu_htab *htab,
					 const void *key, __u32 hash,
					 bool replacing)
{
	struct htab_elem *l;

	if (!replacing && htab->count >= htab->map.max_entries)
		return ERR_PTR(-E2BIG);	/* map is full and the key is new */
	l = emu_zalloc(offsetof(struct htab_elem, key) + htab->value_off +
		       htab->value_len);
	if (!l)
		return ERR_PTR(-ENOMEM);
	l->hash = hash;
	memcpy(l->key, key, htab->map.key_size);
	return l;
}

/*
 * hashtab.c: alloc_htab_elem of a PERCPU_HASH element for a new key: a
 * free one (see "Element reuse"), its value storage as it was left.
 */
static struct htab_elem *htab_percpu_alloc_elem(struct emu_htab *htab,
						const void *key, __u32 hash)
{
	struct htab_elem *l;

	if (htab_is_prealloc(htab)) {
		l = htab_prealloc_pop(htab);
	} else if (htab->count >= htab->map.max_entries) {
		return ERR_PTR(-E2BIG);	/* is_map_full, and the key is new */
	} else {
		l = htab_ma_alloc(htab);
	}
	if (IS_ERR(l))
		return l;
	l->hash = hash;
	memcpy(l->key, key, htab->map.key_size);
	return l;
}

/* hashtab.c: htab_map_update_elem (helper and syscall face) */
static long htab_map_update_elem(struct emu_map *map, const void *key,
				 const void *value, __u64 map_flags)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem **head, *l_old, *l_new;
	__u32 hash;
	int ret;

	if ((map_flags & ~BPF_F_LOCK) > BPF_EXIST)
		return -EINVAL;	/* an element flag beyond BPF_EXIST */
	/* only a program gets here with it: syscall.c refused it before */
	if (map_flags & BPF_F_LOCK)
		return -EINVAL;	/* BPF_F_LOCK, but no value has a spin lock */

	hash = htab_map_hash(htab, key);
	head = htab_select_bucket(htab, hash);
	l_old = htab_lookup_elem_raw(*head, hash, key, map->key_size);
	ret = htab_check_flags(l_old, map_flags);
	if (ret)
		return ret;

	l_new = htab_alloc_elem(htab, key, hash, l_old != NULL);
	if (IS_ERR(l_new))
		return PTR_ERR(l_new);
	memcpy(htab_elem_value(htab, l_new), value, map->value_size);

	/* a replaced key moves to the head of its bucket */
	htab_link_elem(head, l_new);
	if (l_old) {
		htab_unlink_elem(head, l_old);
		free(l_old);
	} else {
		htab->count++;
	}
	return 0;
}

/*
 * hashtab.c: pcpu_copy_value. From user space every CPU's whole rounded
 * slot is copied, padding included; a program writes value_size bytes
 * into its own CPU's slot.
 */
static void htab_pcpu_copy_value(struct emu_htab *htab, struct htab_elem *l,
				 const void *value, bool onallcpus,
				 unsigned int cpu)
{
	if (onallcpus)
		memcpy(htab_elem_value(htab, l), value,
		       emu_map_value_size(&htab->map));
	else
		memcpy(htab_elem_cpu_value(htab, l, cpu), value,
		       htab->map.value_size);
}

/*
 * hashtab.c: pcpu_init_value, a new key. A program's insert zeroes
 * value_size bytes of the other CPUs' slots and leaves every slot's
 * padding as the reused element had it.
 */
static void htab_pcpu_init_value(struct emu_htab *htab, struct htab_elem *l,
				 const void *value, bool onallcpus,
				 unsigned int cpu)
{
	unsigned int i;

	if (onallcpus) {
		htab_pcpu_copy_value(htab, l, value, true, cpu);
		return;
	}
	for (i = 0; i < htab->map.ncpus; i++) {
		if (i == cpu)
			memcpy(htab_elem_cpu_value(htab, l, i), value,
			       htab->map.value_size);
		else
			memset(htab_elem_cpu_value(htab, l, i), 0,
			       htab->map.value_size);
	}
}

/* hashtab.c: htab_map_update_elem_in_place: an existing key keeps its place */
static int __htab_percpu_map_update_elem(struct emu_map *map, const void *key,
					 const void *value, __u64 map_flags,
					 bool onallcpus)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem **head, *l_old, *l_new;
	unsigned int cpu = htab_cpu(htab);
	__u32 hash;
	int ret;

	if (map_flags > BPF_EXIST)
		return -EINVAL;	/* beyond BPF_EXIST, BPF_F_LOCK included */

	hash = htab_map_hash(htab, key);
	head = htab_select_bucket(htab, hash);
	l_old = htab_lookup_elem_raw(*head, hash, key, map->key_size);
	ret = htab_check_flags(l_old, map_flags);
	if (ret)
		return ret;

	if (l_old) {
		htab_pcpu_copy_value(htab, l_old, value, onallcpus, cpu);
		return 0;
	}

	l_new = htab_percpu_alloc_elem(htab, key, hash);
	if (IS_ERR(l_new))
		return PTR_ERR(l_new);
	htab_pcpu_init_value(htab, l_new, value, onallcpus, cpu);
	htab_link_elem(head, l_new);
	htab->count++;
	return 0;
}

/* hashtab.c: htab_percpu_map_update_elem (helper face: current CPU) */
static long htab_percpu_map_update_elem(struct emu_map *map, const void *key,
					const void *value, __u64 map_flags)
{
	return __htab_percpu_map_update_elem(map, key, value, map_flags, false);
}

/* hashtab.c: bpf_percpu_hash_update (syscall face: all CPUs) */
static int htab_percpu_map_update_elem_sys(struct emu_map *map,
					   const void *key, const void *value,
					   __u64 map_flags)
{
	return __htab_percpu_map_update_elem(map, key, value, map_flags, true);
}

/* hashtab.c: htab_map_delete_elem */
static long htab_map_delete_elem(struct emu_map *map, const void *key)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem **head, *l;
	__u32 hash;

	hash = htab_map_hash(htab, key);
	head = htab_select_bucket(htab, hash);
	l = htab_lookup_elem_raw(*head, hash, key, map->key_size);
	if (!l)
		return -ENOENT;	/* no such key */
	htab_delete_elem(htab, head, l);
	return 0;
}

/*
 * hashtab.c: __htab_map_lookup_and_delete_elem. @value holds
 * emu_map_value_size() bytes: value_size, or every CPU's whole slot.
 */
static int htab_map_lookup_and_delete_elem(struct emu_map *map,
					   const void *key, void *value,
					   __u64 flags)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem **head, *l;
	__u32 hash;

	(void)flags;	/* syscall.c refused every flag: no spin locks */
	hash = htab_map_hash(htab, key);
	head = htab_select_bucket(htab, hash);
	l = htab_lookup_elem_raw(*head, hash, key, map->key_size);
	if (!l)
		return -ENOENT;	/* no such key */
	memcpy(value, htab_elem_value(htab, l), emu_map_value_size(map));
	htab_delete_elem(htab, head, l);
	return 0;
}

/*
 * hashtab.c: __htab_map_lookup_and_delete_batch unlinks a whole bucket
 * onto its node_to_free stack, then frees from that stack: the bucket's
 * last element goes back first, its head last.
 */
static void htab_delete_bucket(struct emu_htab *htab, struct htab_elem **head)
{
	struct htab_elem *l = *head, *to_free = NULL, *next;

	*head = NULL;
	for (; l; l = next) {
		next = l->next;
		l->next = to_free;
		to_free = l;
	}
	for (l = to_free; l; l = next) {
		next = l->next;
		htab_free_elem(htab, l);
		htab->count--;
	}
}

static __u32 htab_bucket_len(const struct htab_elem *l)
{
	__u32 n = 0;

	for (; l; l = l->next)
		n++;
	return n;
}

/*
 * hashtab.c: __htab_map_lookup_and_delete_batch. Whole buckets only: the
 * cookie is the u32 index of the next bucket to visit. A bucket is copied
 * (and deleted) into kernel buffers first and only then copied out, so a
 * fault on keys/values loses that bucket and leaves count at 0.
 */
static int __htab_map_lookup_and_delete_batch(struct emu_map *map,
					      const union bpf_attr *attr,
					      union bpf_attr *uattr,
					      bool do_delete)
{
	struct emu_htab *htab = to_htab(map);
	__u32 key_size = map->key_size, value_size = emu_map_value_size(map);
	__u32 max_count, total = 0, batch = 0, bucket_cnt, bucket_size = 0;
	__u64 ukeys = attr->batch.keys, uvalues = attr->batch.values;
	char *keys = NULL, *values = NULL, *dst_key, *dst_val;
	struct htab_elem **head, *l;
	int ret;

	if (attr->batch.elem_flags & ~BPF_F_LOCK)
		return -EINVAL;	/* unknown element flags */
	if (attr->batch.elem_flags & BPF_F_LOCK)
		return -EINVAL;	/* BPF_F_LOCK, but no value has a spin lock */
	if (attr->batch.flags)
		return -EINVAL;	/* no batch flags are defined */

	max_count = attr->batch.count;
	if (!max_count)
		return 0;	/* nothing asked: count is not even written */
	uattr->batch.count = 0;

	if (attr->batch.in_batch) {
		ret = emu_copy_from_user(&batch, attr->batch.in_batch,
					 sizeof(batch));
		if (ret)
			return ret;	/* in_batch unreadable */
	}
	if (batch >= htab->n_buckets)
		return -ENOENT;	/* cookie past the end: out_batch untouched */

	for (;;) {
		head = &htab->buckets[batch];
		bucket_cnt = htab_bucket_len(*head);
		if (bucket_cnt > max_count - total) {
			/* whole buckets only: ENOSPC if the first won't fit */
			ret = total ? 0 : -ENOSPC;
			break;
		}

		if (bucket_cnt > bucket_size) {
			free(keys);
			free(values);
			keys = emu_zalloc((size_t)key_size * bucket_cnt);
			values = emu_zalloc((size_t)value_size * bucket_cnt);
			if (!keys || !values) {
				ret = -ENOMEM;	/* count, cookie written */
				break;
			}
			bucket_size = bucket_cnt;
		}

		dst_key = keys;
		dst_val = values;
		for (l = *head; l; l = l->next) {
			memcpy(dst_key, l->key, key_size);
			memcpy(dst_val, htab_elem_value(htab, l), value_size);
			dst_key += key_size;
			dst_val += value_size;
		}
		if (do_delete)
			htab_delete_bucket(htab, head);

		if (bucket_cnt &&
		    (emu_copy_to_user(ukeys + (__u64)total * key_size, keys,
				      (size_t)key_size * bucket_cnt) ||
		     emu_copy_to_user(uvalues + (__u64)total * value_size,
				      values,
				      (size_t)value_size * bucket_cnt))) {
			ret = -EFAULT;	/* keys or values unwritable */
			goto out_free;
		}

		total += bucket_cnt;
		batch++;
		if (batch >= htab->n_buckets) {
			ret = -ENOENT;	/* end of table; the copies are valid */
			break;
		}
	}

	if (emu_copy_to_user(attr->batch.out_batch, &batch, sizeof(batch)))
		ret = -EFAULT;	/* out_batch unwritable: count stays 0 */
	else
		uattr->batch.count = total;
out_free:
	free(keys);
	free(values);
	return ret;
}

static int htab_map_lookup_batch(struct emu_map *map,
				 const union bpf_attr *attr,
				 union bpf_attr *uattr)
{
	return __htab_map_lookup_and_delete_batch(map, attr, uattr, false);
}

static int htab_map_lookup_and_delete_batch(struct emu_map *map,
					    const union bpf_attr *attr,
					    union bpf_attr *uattr)
{
	return __htab_map_lookup_and_delete_batch(map, attr, uattr, true);
}

/* hashtab.c: htab_lru_map_lookup_elem: a program's lookup marks the node */
static void *htab_lru_map_lookup_elem(struct emu_map *map, const void *key)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem *l = htab_lookup_elem(htab, key);

	if (!l)
		return NULL;
	bpf_lru_node_set_ref(htab_lru_node(l));
	return htab_elem_value(htab, l);
}

/*
 * hashtab.c: htab_lru_map_lookup_elem_sys: user space leaves no mark,
 * so that a map walk does not change what is evicted.
 */
static int htab_lru_map_lookup_elem_sys(struct emu_map *map, const void *key,
					void *value, __u64 flags)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem *l = htab_lookup_elem(htab, key);

	(void)flags;	/* syscall.c refused every flag: no spin locks */
	if (!l)
		return -ENOENT;	/* no such key */
	memcpy(value, htab_elem_value(htab, l), map->value_size);
	return 0;
}

/* hashtab.c: htab_lru_percpu_map_lookup_elem: marks, the current CPU's slot */
static void *htab_lru_percpu_map_lookup_elem(struct emu_map *map,
					     const void *key)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem *l = htab_lookup_elem(htab, key);

	if (!l)
		return NULL;
	bpf_lru_node_set_ref(htab_lru_node(l));
	return htab_elem_cpu_value(htab, l, htab_cpu(htab));
}

/* hashtab.c: htab_lru_percpu_map_lookup_percpu_elem: marks, CPU @cpu's slot */
static void *htab_lru_percpu_map_lookup_percpu_elem(struct emu_map *map,
						    const void *key,
						    __u32 cpu)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem *l;

	if (cpu >= map->ncpus)
		return NULL;	/* cpu >= nr_cpu_ids: no such slot */
	l = htab_lookup_elem(htab, key);
	if (!l)
		return NULL;
	bpf_lru_node_set_ref(htab_lru_node(l));
	return htab_elem_cpu_value(htab, l, cpu);
}

/*
 * hashtab.c: htab_lru_map_update_elem (helper and syscall face). The
 * node is taken before the key is looked up or the flags checked: an
 * update can evict other keys, or the key itself (then BPF_EXIST gives
 * ENOENT and BPF_ANY inserts it anew), and a failed update keeps its
 * evictions. A replacement is the new node, referenced.
 */
static long htab_lru_map_update_elem(struct emu_map *map, const void *key,
				     const void *value, __u64 map_flags)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem **head, *l_old, *l_new;
	__u32 hash;
	int ret;

	if (map_flags > BPF_EXIST)
		return -EINVAL;	/* beyond BPF_EXIST, BPF_F_LOCK included */

	hash = htab_map_hash(htab, key);
	head = htab_select_bucket(htab, hash);
	l_new = htab_lru_pop(htab, key, hash);
	if (!l_new)
		return -ENOMEM;	/* no node free or evictable anywhere */
	memcpy(htab_elem_value(htab, l_new), value, map->value_size);

	l_old = htab_lookup_elem_raw(*head, hash, key, map->key_size);
	ret = htab_check_flags(l_old, map_flags);
	if (ret) {
		htab_lru_push_free(htab, l_new);
		return ret;
	}
	htab_link_elem(head, l_new);
	htab->count++;
	if (l_old) {
		bpf_lru_node_set_ref(htab_lru_node(l_new));
		htab_unlink_elem(head, l_old);
		htab->count--;
		htab_lru_push_free(htab, l_old);
	}
	return 0;
}

/*
 * hashtab.c: __htab_lru_percpu_map_update_elem. A node is taken (and
 * may evict) unless the flags are BPF_EXIST; an existing key is marked
 * and updated in place, and the node goes back unused.
 */
static int htab_lru_percpu_update(struct emu_map *map, const void *key,
				  const void *value, __u64 map_flags,
				  bool onallcpus)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem **head, *l_old, *l_new = NULL;
	unsigned int cpu = htab_cpu(htab);
	__u32 hash;
	int ret;

	if (map_flags > BPF_EXIST)
		return -EINVAL;	/* beyond BPF_EXIST, BPF_F_LOCK included */

	hash = htab_map_hash(htab, key);
	head = htab_select_bucket(htab, hash);
	if (map_flags != BPF_EXIST) {
		l_new = htab_lru_pop(htab, key, hash);
		if (!l_new)
			return -ENOMEM;	/* no node free or evictable */
	}

	l_old = htab_lookup_elem_raw(*head, hash, key, map->key_size);
	ret = htab_check_flags(l_old, map_flags);
	if (!ret && l_old) {
		bpf_lru_node_set_ref(htab_lru_node(l_old));
		htab_pcpu_copy_value(htab, l_old, value, onallcpus, cpu);
	} else if (!ret) {
		htab_pcpu_init_value(htab, l_new, value, onallcpus, cpu);
		htab_link_elem(head, l_new);
		htab->count++;
		l_new = NULL;
	}
	if (l_new)
		htab_lru_push_free(htab, l_new);
	return ret;
}

/* hashtab.c: htab_lru_percpu_map_update_elem (helper face: current CPU) */
static long htab_lru_percpu_map_update_elem(struct emu_map *map,
					    const void *key,
					    const void *value, __u64 map_flags)
{
	return htab_lru_percpu_update(map, key, value, map_flags, false);
}

/* hashtab.c: bpf_percpu_hash_update of an LRU map (syscall face) */
static int htab_lru_percpu_map_update_elem_sys(struct emu_map *map,
					       const void *key,
					       const void *value,
					       __u64 map_flags)
{
	return htab_lru_percpu_update(map, key, value, map_flags, true);
}

int bpfemu_lru_describe(int map_fd, const void *key, char *buf, size_t len)
{
	struct emu_map *map;
	struct htab_elem *l = NULL;
	int fmode, err = 0;

	emu_lock_acquire();
	map = emu_file_map_get(map_fd, &fmode);
	if (!map)
		err = -errno;	/* EBADF: not open; EINVAL: not a map */
	else if (!type_is_lru(map->map_type))
		err = -EINVAL;	/* only LRU maps have lists to tell of */
	else if (!(l = htab_lookup_elem(to_htab(map), key)))
		err = -ENOENT;	/* not in the map: on no list of a key */
	else
		bpf_lru_node_describe(&to_htab(map)->lru, htab_lru_node(l),
				      buf, len);
	emu_lock_release();
	return err;
}

const struct emu_map_ops htab_map_ops = {
	.map_alloc_check = htab_map_alloc_check,
	.map_alloc = htab_map_alloc,
	.map_free = htab_map_free,
	.map_get_next_key = htab_map_get_next_key,
	.map_lookup_elem = htab_map_lookup_elem,
	.map_update_elem = htab_map_update_elem,
	.map_delete_elem = htab_map_delete_elem,
	.map_lookup_percpu_elem = emu_map_lookup_percpu_elem_notsupp,
	.map_push_elem = emu_map_push_elem_notsupp,
	.map_pop_elem = emu_map_pop_elem_notsupp,
	.map_peek_elem = emu_map_peek_elem_notsupp,
	.map_lookup_elem_sys = emu_map_lookup_elem_sys_generic,
	.map_update_elem_sys = emu_map_update_elem_sys_generic,
	.map_lookup_and_delete_elem = htab_map_lookup_and_delete_elem,
	.map_lookup_batch = htab_map_lookup_batch,
	.map_lookup_and_delete_batch = htab_map_lookup_and_delete_batch,
	.map_update_batch = emu_generic_map_update_batch,
	.map_delete_batch = emu_generic_map_delete_batch,
	.map_get_hash = emu_map_get_hash_notsupp,
	.map_mmap = emu_map_mmap_notsupp,
};

const struct emu_map_ops htab_percpu_map_ops = {
	.map_alloc_check = htab_map_alloc_check,
	.map_alloc = htab_map_alloc,
	.map_free = htab_map_free,
	.map_get_next_key = htab_map_get_next_key,
	.map_lookup_elem = htab_percpu_map_lookup_elem,
	.map_update_elem = htab_percpu_map_update_elem,
	.map_delete_elem = htab_map_delete_elem,
	.map_lookup_percpu_elem = htab_percpu_map_lookup_percpu_elem,
	.map_push_elem = emu_map_push_elem_notsupp,
	.map_pop_elem = emu_map_pop_elem_notsupp,
	.map_peek_elem = emu_map_peek_elem_notsupp,
	.map_lookup_elem_sys = htab_percpu_map_lookup_elem_sys,
	.map_update_elem_sys = htab_percpu_map_update_elem_sys,
	.map_lookup_and_delete_elem = htab_map_lookup_and_delete_elem,
	.map_lookup_batch = htab_map_lookup_batch,
	.map_lookup_and_delete_batch = htab_map_lookup_and_delete_batch,
	.map_update_batch = emu_generic_map_update_batch,
	.map_delete_batch = emu_generic_map_delete_batch,
	.map_get_hash = emu_map_get_hash_notsupp,
	.map_mmap = emu_map_mmap_notsupp,
};

const struct emu_map_ops htab_lru_map_ops = {
	.map_alloc_check = htab_map_alloc_check,
	.map_alloc = htab_map_alloc,
	.map_free = htab_map_free,
	.map_get_next_key = htab_map_get_next_key,
	.map_lookup_elem = htab_lru_map_lookup_elem,
	.map_update_elem = htab_lru_map_update_elem,
	.map_delete_elem = htab_map_delete_elem,
	.map_lookup_percpu_elem = emu_map_lookup_percpu_elem_notsupp,
	.map_push_elem = emu_map_push_elem_notsupp,
	.map_pop_elem = emu_map_pop_elem_notsupp,
	.map_peek_elem = emu_map_peek_elem_notsupp,
	.map_lookup_elem_sys = htab_lru_map_lookup_elem_sys,
	.map_update_elem_sys = emu_map_update_elem_sys_generic,
	.map_lookup_and_delete_elem = htab_map_lookup_and_delete_elem,
	.map_lookup_batch = htab_map_lookup_batch,
	.map_lookup_and_delete_batch = htab_map_lookup_and_delete_batch,
	.map_update_batch = emu_generic_map_update_batch,
	.map_delete_batch = emu_generic_map_delete_batch,
	.map_get_hash = emu_map_get_hash_notsupp,
	.map_mmap = emu_map_mmap_notsupp,
};

const struct emu_map_ops htab_lru_percpu_map_ops = {
	.map_alloc_check = htab_map_alloc_check,
	.map_alloc = htab_map_alloc,
	.map_free = htab_map_free,
	.map_get_next_key = htab_map_get_next_key,
	.map_lookup_elem = htab_lru_percpu_map_lookup_elem,
	.map_update_elem = htab_lru_percpu_map_update_elem,
	.map_delete_elem = htab_map_delete_elem,
	.map_lookup_percpu_elem = htab_lru_percpu_map_lookup_percpu_elem,
	.map_push_elem = emu_map_push_elem_notsupp,
	.map_pop_elem = emu_map_pop_elem_notsupp,
	.map_peek_elem = emu_map_peek_elem_notsupp,
	.map_lookup_elem_sys = htab_percpu_map_lookup_elem_sys,
	.map_update_elem_sys = htab_lru_percpu_map_update_elem_sys,
	.map_lookup_and_delete_elem = htab_map_lookup_and_delete_elem,
	.map_lookup_batch = htab_map_lookup_batch,
	.map_lookup_and_delete_batch = htab_map_lookup_and_delete_batch,
	.map_update_batch = emu_generic_map_update_batch,
	.map_delete_batch = emu_generic_map_delete_batch,
	.map_get_hash = emu_map_get_hash_notsupp,
	.map_mmap = emu_map_mmap_notsupp,
};

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrors kernel/bpf/hashtab.c (v6.18). */
/*
 * BPF_MAP_TYPE_HASH and BPF_MAP_TYPE_PERCPU_HASH: one table of
 * roundup_pow_of_two(max_entries) buckets, each a singly linked list with
 * the newest element at its head. The bucket is picked by jhash over the
 * key, seeded per map, so with BPF_F_ZERO_SEED the kernel's iteration
 * order (bucket by bucket, head first) is reproduced exactly.
 *
 * Storage: the kernel preallocates max_entries elements (plus one spare
 * per CPU for HASH replacements) unless BPF_F_NO_PREALLOC is given. The
 * difference is not observable in single-threaded syscall behaviour on
 * 6.18 (prealloc elements go back to the free list at once, and the
 * NO_PREALLOC count is compared exactly: hashtab.c: is_map_full), so the
 * emulator allocates every element on demand and enforces the same limit
 * with a plain count. Maps may be declared with up to 2^27 entries; only
 * the bucket array is sized by max_entries, and calloc leaves its pages
 * untouched until used.
 */
#include <stdlib.h>
#include <sys/random.h>

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
	struct htab_elem *next;		/* towards older elements */
	__u32 hash;
	/* the key, padded to 8 bytes, then the value storage */
	char key[] __attribute__((aligned(8)));
};

struct emu_htab {
	struct emu_map map;
	struct htab_elem **buckets;
	__u32 n_buckets;
	__u32 count;		/* elements linked in the buckets */
	__u32 hashrnd;
	__u32 value_off;	/* key_size rounded up to 8 */
	size_t value_len;	/* per-CPU maps: ncpus rounded slots */
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

static void htab_delete_elem(struct emu_htab *htab, struct htab_elem **head,
			     struct htab_elem *l)
{
	htab_unlink_elem(head, l);
	free(l);
	htab->count--;
}

static __u32 htab_roundup_pow_of_two(__u32 n)
{
	return n <= 1 ? 1 : 1U << (32 - __builtin_clz(n - 1));
}

/* hashtab.c: htab_map_alloc_check (shared by HASH and PERCPU_HASH) */
static int htab_map_alloc_check(union bpf_attr *attr)
{
	bool percpu = attr->map_type == BPF_MAP_TYPE_PERCPU_HASH;
	/* syscall.c: bpf_map_attr_numa_node */
	int numa_node = (attr->map_flags & BPF_F_NUMA_NODE) ?
			(int)attr->numa_node : HTAB_NUMA_NO_NODE;

	/* BPF_F_ZERO_SEED needs CAP_SYS_ADMIN (EPERM): the emulator is root */
	if ((attr->map_flags & ~HTAB_CREATE_FLAG_MASK) ||
	    ((attr->map_flags & BPF_F_RDONLY_PROG) &&
	     (attr->map_flags & BPF_F_WRONLY_PROG)))
		return -EINVAL;	/* unknown flag, or both program access bits */
	if (attr->map_flags & BPF_F_NO_COMMON_LRU)
		return -EINVAL;	/* per-CPU LRU lists asked of a non-LRU map */
	if (numa_node != HTAB_NUMA_NO_NODE && percpu)
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

/* hashtab.c: htab_map_alloc */
static struct emu_map *htab_map_alloc(union bpf_attr *attr)
{
	bool percpu = attr->map_type == BPF_MAP_TYPE_PERCPU_HASH;
	struct emu_htab *htab;
	int err;

	htab = emu_zalloc(sizeof(*htab));
	if (!htab)
		return ERR_PTR(-ENOMEM);
	emu_map_init_from_attr(&htab->map, attr);

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
	return &htab->map;

out_free_htab:
	free(htab);
	return ERR_PTR(err);
}

static void htab_map_free(struct emu_map *map)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem *l, *next;
	__u32 i;

	/* stop at the last element: the tail of a huge table is never read */
	for (i = 0; htab->count && i < htab->n_buckets; i++) {
		for (l = htab->buckets[i]; l; l = next) {
			next = l->next;
			free(l);
			htab->count--;
		}
	}
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
	unsigned int cpu = emu_current_cpu();

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

/* hashtab.c: htab_map_update_elem (helper and syscall face) */
static long htab_map_update_elem(struct emu_map *map, const void *key,
				 const void *value, __u64 map_flags)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem **head, *l_old, *l_new;
	__u32 hash;
	int ret;

	/* BPF_F_LOCK never gets here: no emulated value has a spin lock */
	if ((map_flags & ~BPF_F_LOCK) > BPF_EXIST)
		return -EINVAL;	/* an element flag beyond BPF_EXIST */

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
 * hashtab.c: pcpu_copy_value, pcpu_init_value. From user space every
 * CPU's whole rounded slot is copied, padding included; a program writes
 * value_size bytes into its own CPU's slot. A new element comes zeroed,
 * which is the kernel's zeroing of the other CPUs on a program insert.
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

/* hashtab.c: htab_map_update_elem_in_place: an existing key keeps its place */
static int __htab_percpu_map_update_elem(struct emu_map *map, const void *key,
					 const void *value, __u64 map_flags,
					 bool onallcpus)
{
	struct emu_htab *htab = to_htab(map);
	struct htab_elem **head, *l_old, *l_new;
	unsigned int cpu = emu_current_cpu();
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

	l_new = htab_alloc_elem(htab, key, hash, false);
	if (IS_ERR(l_new))
		return PTR_ERR(l_new);
	htab_pcpu_copy_value(htab, l_new, value, onallcpus, cpu);
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
	struct htab_elem **head, *l, *next;
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
		for (l = *head; l; l = next) {
			next = l->next;
			memcpy(dst_key, l->key, key_size);
			memcpy(dst_val, htab_elem_value(htab, l), value_size);
			if (do_delete)
				htab_delete_elem(htab, head, l);
			dst_key += key_size;
			dst_val += value_size;
		}

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

const struct emu_map_ops htab_map_ops = {
	.map_alloc_check = htab_map_alloc_check,
	.map_alloc = htab_map_alloc,
	.map_free = htab_map_free,
	.map_get_next_key = htab_map_get_next_key,
	.map_lookup_elem = htab_map_lookup_elem,
	.map_update_elem = htab_map_update_elem,
	.map_delete_elem = htab_map_delete_elem,
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

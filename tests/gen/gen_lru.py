# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The BPF_MAP_TYPE_LRU_HASH and LRU_PERCPU_HASH scenarios of the
conformance corpus (tests/corpus/lru_hash/, tests/corpus/lru_percpu_hash/),
built by gen_corpus.py (build_all) with its scenario builder.

Which keys an LRU map evicts depends on the whole state of the kernel's
LRU lists (bpf_lru_list.c) and on the CPU every operation ran on, so the
generator does not predict results (no --check model: `modelled` is
off); the kernel's answers are the expectations. Every scenario starts
with `track keys` (tests/corpus/FORMAT.md): after every op the harness
reads the key set of the map the op acted on and records the keys that
came and went, so an eviction that differs shows at the op that made it.

Scenarios:
  - create rules of the LRU types (NO_PREALLOC is ENOTSUPP, the per-CPU
    LRU's max_entries rounding, NUMA with per-CPU lists or values);
  - the update rules the notes single out (hash-maps.md §3.7, §3.9): a
    node is taken before the flags are checked, so BPF_EXIST can evict
    its own key and BPF_NOEXIST can evict another one; user-space reads
    (lookup, GET_NEXT_KEY, batch lookup) set no reference bit, program
    lookups do; the first overflow of a map evicts target_free keys;
  - deletes, lookup-and-delete and batches returning nodes to the lists;
  - LRU_PERCPU_HASH values: the per-CPU layout, padding of reused nodes;
  - every size of the issue (max_entries 1, 2, 3, 4, 7, 64, 127, 128, 129,
    1000, 4096), with and without BPF_F_NO_COMMON_LRU, filled well past
    capacity by seeded random mixes of syscall- and program-side ops that
    stay on CPU 0, stay on CPU 1, alternate, or hop at random.
"""

import random

import gen_corpus as base
from gen_corpus import F, ANY, NOEXIST, EXIST, Unknown, le32

TYPES = ('LRU_HASH', 'LRU_PERCPU_HASH')
FAMILY = {'LRU_HASH': 'lru_hash', 'LRU_PERCPU_HASH': 'lru_percpu_hash'}
Z = F['ZERO_SEED']
NCL = F['NO_COMMON_LRU']
TRACK = 'track keys'
SIZES = (1, 2, 3, 4, 7, 64, 127, 128, 129, 1000, 4096)

base.MAP_TYPES.update({'LRU_HASH': 9, 'LRU_PERCPU_HASH': 10})


class LruGeo(base.Geo):
    """A Geo whose per-CPU layout knows LRU_PERCPU_HASH; max_entries as
    the kernel stores it (the per-CPU LRU rounds it up to the CPUs)."""

    def __init__(self, mtype, ks, vs, me, flags=0):
        super().__init__(mtype, ks, vs, me, flags)
        self.percpu = mtype == 'LRU_PERCPU_HASH'
        self.is_hash = True
        self.vlen = base.roundup8(vs) * base.NCPUS if self.percpu else vs
        self.vgroup = base.roundup8(vs) if self.percpu else vs
        if flags & NCL:
            self.me = -(-me // base.NCPUS) * base.NCPUS


class LruScn(base.Scn):
    """A scenario of ops only: the kernel decides every result."""

    def __init__(self, mtype, name, what):
        super().__init__(FAMILY[mtype], name, mtype + ': ' + what,
                         percpu=mtype == 'LRU_PERCPU_HASH')
        self.head.append(TRACK)
        self.modelled = False
        self.t = mtype

    def _emit(self, op, args, common, predict, mtype):
        def unknown():
            raise Unknown('LRU: the kernel decides')
        return super()._emit(op, args, common, unknown, mtype)

    def create(self, mtype, ks=None, vs=None, me=None, flags=0,
               expect=True, **kw):
        g = super().create(mtype, ks, vs, me, flags, expect=expect, **kw)
        if g:
            g = LruGeo(mtype, ks or 0, vs or 0, me or 0, flags)
            self.geos[-1] = g
        return g

    def lru(self, me, flags=0, ks=4, vs=8):
        return self.create(self.t, ks, vs, me, flags=flags)


# --- CPU patterns: the CPU of op number i ------------------------------------

def pattern_cpu(pattern, rng):
    if pattern == 'cpu0':
        return lambda i: 0
    if pattern == 'cpu1':
        return lambda i: 1
    if pattern == 'alt':
        return lambda i: i % 2
    if pattern == 'blocks':
        return lambda i: (i // 5) % 2
    return lambda i: rng.randrange(base.NCPUS)


def ckw(cpu):
    return {} if not cpu else {'cpu': cpu}


# --- create rules ------------------------------------------------------------

def gen_create(S, t):
    s = S(t, 'create', 'create rules of the LRU types: NO_PREALLOC is '
          'ENOTSUPP (524), NO_COMMON_LRU rounds max_entries up to the '
          'CPUs (map info shows it), NUMA_NODE is refused with per-CPU '
          'lists or values')
    s.autoclose = True
    for me in (1, 2, 3, 5, 7, 127, 129, 4095):
        s.create_info(t, 4, 8, me, flags=NCL, expect=True)
        s.create_info(t, 4, 8, me, expect=True)
    for flags in (F['NO_PREALLOC'], F['NO_PREALLOC'] | NCL,
                  F['NO_PREALLOC'] | Z, F['NO_PREALLOC'] | F['RDONLY_PROG']):
        s.create(t, 4, 8, 4, flags=flags, expect=False)
    s.create(t, 4, 8, 4, flags=NCL | F['NUMA_NODE'], numa_node=0,
             expect=False)
    s.create(t, 4, 8, 4, flags=F['NUMA_NODE'], numa_node=0,
             expect=t == 'LRU_HASH')
    s.create(t, 4, 8, 4, flags=F['NO_PREALLOC'] | F['NUMA_NODE'],
             numa_node=0, expect=False)
    for ks, vs, me in ((0, 8, 4), (4, 0, 4), (4, 8, 0)):
        s.create(t, ks, vs, me, expect=False)
        s.create(t, ks, vs, me, flags=NCL, expect=False)
    s.create(t, 4, 8, 4, flags=F['INNER_MAP'], expect=False)
    s.create(t, 4, 8, 4, flags=F['MMAPABLE'], expect=False)
    s.create(t, 4, 8, 4, flags=F['RDONLY_PROG'] | F['WRONLY_PROG'],
             expect=False)
    s.create(t, 4, 8, 4, map_extra=1, expect=False)
    s.create(t, 4, 8, 0xffffffff, flags=NCL, expect=False)
    s.create(t, 4, 8, (1 << 31) + 1, flags=NCL, expect=False)
    if t == 'LRU_PERCPU_HASH':
        s.create_info(t, 4, 32768, 2, expect=True)
        s.create(t, 4, 32769, 2, expect=False)


# --- the update rules --------------------------------------------------------

def fill(s, g, keys, cpu=0, prog=False):
    for i in keys:
        if prog:
            s.pupdate(g.k(i), g.pv(i), **ckw(cpu))
        else:
            s.update(g.k(i), g.v(i), **ckw(cpu))


def gen_rules(S, t):
    pc = t == 'LRU_PERCPU_HASH'

    s = S(t, 'exist_evicts_self', 'a full map of 4 (target_free 1): an '
          'update of an existing key takes a node first; on LRU_HASH the '
          'oldest key goes, so BPF_EXIST on the oldest key is ENOENT and '
          'the key is gone, BPF_ANY brings it back unreferenced; '
          'LRU_PERCPU_HASH takes no node for BPF_EXIST')
    for flags in (EXIST, ANY):
        g = s.lru(4, Z)
        fill(s, g, range(1, 5))
        s.update(g.k(1), g.v(1, 1), flags)
        s.lookup(g.k(1))
        fill(s, g, range(5, 8))
        s.close()

    s = S(t, 'noexist_evicts', 'BPF_NOEXIST on an existing key of a full '
          'map evicts the oldest key and still answers EEXIST')
    g = s.lru(4, Z)
    fill(s, g, range(1, 5))
    s.update(g.k(4), g.v(4, 1), NOEXIST)
    s.update(g.k(3), g.v(3, 1), NOEXIST, cpu=1)
    s.lookup(g.k(1))
    s.update(g.k(4), g.v(4, 2), NOEXIST)
    fill(s, g, range(5, 9))

    s = S(t, 'replace_refs', 'an update of an existing key marks it '
          '(the new node on LRU_HASH, in place on LRU_PERCPU_HASH): it '
          'survives the next inserts while unmarked keys go, oldest first')
    g = s.lru(4, Z)
    fill(s, g, range(1, 5))
    s.update(g.k(4), g.v(4, 1))
    fill(s, g, range(5, 12))
    s.update(g.k(9), g.v(9, 1), EXIST)
    fill(s, g, range(12, 18))

    s = S(t, 'sys_reads_no_ref', 'user-space lookups, GET_NEXT_KEY walks '
          'and batch lookups leave no reference bit: the oldest key is '
          'evicted however often user space reads it; a program lookup '
          'saves it')
    g = s.lru(4, Z)
    fill(s, g, range(1, 5))
    for _ in range(3):
        s.lookup(g.k(1))
    s.next(None)
    s.next(g.k(1))
    s.lookup_batch(8)
    s.update(g.k(5), g.v(5))
    s.lookup(g.k(1))
    s.plookup(g.k(2))
    s.lookup(g.k(3))
    s.update(g.k(6), g.v(6))
    s.update(g.k(7), g.v(7))
    s.plookup(g.k(2), cpu=1)
    s.update(g.k(8), g.v(8))
    s.update(g.k(9), g.v(9))
    s.update(g.k(10), g.v(10))
    if pc:
        s.lookup_percpu(g.k(10), 1)
        s.update(g.k(11), g.v(11))
        s.update(g.k(12), g.v(12))

    s = S(t, 'first_overflow', 'the first insert past the free nodes of '
          'one CPU evicts target_free = clamp(max_entries / 2 CPUs / 2, '
          '1, 128) keys at once (common LRU), 4 at a time from the '
          'CPU\'s own share (NO_COMMON_LRU)')
    for me in (1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 64, 128, 256, 300):
        for flags in (Z, Z | NCL):
            g = s.lru(me, flags)
            fill(s, g, range(1, g.me + 3))
            s.close()

    s = S(t, 'delete_reuse', 'a deleted key\'s node returns to the free '
          'lists (a pending node to its CPU\'s local free list, a listed '
          'one to the global free list): the next insert takes it without '
          'evicting; lookup_and_delete does the same')
    for flags in (Z, Z | NCL):
        g = s.lru(8, flags)
        fill(s, g, range(1, 9))
        s.delete(g.k(3))
        s.update(g.k(9), g.v(9))
        s.lookup_and_delete(g.k(9))
        s.update(g.k(10), g.v(10), cpu=1)
        s.pdelete(g.k(5), cpu=1)
        s.update(g.k(11), g.v(11))
        s.update(g.k(12), g.v(12), cpu=1)
        fill(s, g, range(13, 20))
        s.delete(g.k(1))
        s.delete(g.k(19))
        fill(s, g, range(20, 24), cpu=1)
        s.close()

    s = S(t, 'batches', 'UPDATE_BATCH inserts one by one (each may evict), '
          'DELETE_BATCH and LOOKUP_AND_DELETE_BATCH free nodes in the '
          'kernel\'s order (a bucket\'s last element first)')
    for flags in (Z, Z | NCL):
        g = s.lru(16, flags)
        s.update_batch([g.k(i) for i in range(1, 21)],
                       [g.v(i) for i in range(1, 21)])
        s.delete_batch([g.k(i) for i in (18, 19, 20)])
        s.lookup_batch(64)
        s.lookup_and_delete_batch(6)
        s.update_batch([g.k(i) for i in range(21, 41)],
                       [g.v(i) for i in range(21, 41)])
        s.lookup_and_delete_batch(64)
        fill(s, g, range(41, 60), cpu=1)
        s.close()

    s = S(t, 'hoard', 'common LRU: the nodes a CPU took into its local '
          'free list are in no global list, so the other CPU evicts '
          'before the map is full; NO_COMMON_LRU: each CPU evicts from '
          'its own share')
    for flags in (Z, Z | NCL):
        g = s.lru(8, flags)
        fill(s, g, range(1, 3))
        fill(s, g, range(3, 5), cpu=1)
        fill(s, g, range(5, 9))
        s.plookup(g.k(5))
        s.plookup(g.k(6), cpu=1)
        fill(s, g, range(9, 13), cpu=1)
        fill(s, g, range(13, 17))
        s.delete(g.k(16))
        fill(s, g, range(17, 25), cpu=1)
        s.close()

    s = S(t, 'steal', 'common LRU, max_entries 1: with every node in a '
          'CPU\'s local lists, an insert on the other CPU steals it: from '
          'the local free list a delete put it on (the insert succeeds '
          'instead of ENOMEM), else from the pending list, evicting its '
          'key even when a program referenced it')
    g = s.lru(1, Z)
    s.update(g.k(1), g.v(1))
    s.delete(g.k(1))
    s.update(g.k(2), g.v(2), cpu=1)
    s.update(g.k(3), g.v(3))
    s.plookup(g.k(3))
    s.update(g.k(4), g.v(4), cpu=1)
    s.pdelete(g.k(4), cpu=1)
    s.pupdate(g.k(5), g.pv(5))
    s.update(g.k(6), g.v(6), NOEXIST, cpu=1)
    s.update(g.k(6), g.v(6, 1), EXIST)

    s = S(t, 'unseeded', 'no BPF_F_ZERO_SEED: the hash seed is random, '
          'the evicted keys are not (they depend on list order only)')
    g = s.lru(7)
    rng = random.Random(base.SEED + 7)
    for i in range(1, 40):
        s.update(g.k(i), g.v(i), **ckw(rng.randrange(2)))
        if i % 3 == 0:
            s.plookup(g.k(i - 1), **ckw(rng.randrange(2)))

    s = S(t, 'freeze_pin_mmap', 'a frozen LRU map refuses syscall writes '
          '(EPERM, nothing evicted) while a program still inserts and '
          'evicts; a pin and a new fd from it act on the same lists; mmap '
          'is ENOTSUPP')
    g = s.lru(4, Z)
    fill(s, g, range(1, 5))
    s.pin('@lru')
    s.get('@lru', expect=True)
    s.geos[-1] = g
    s.update(g.k(5), g.v(5), cpu=1)
    s.freeze()
    s.update(g.k(6), g.v(6))
    s.delete(g.k(2))
    s.lookup_and_delete(g.k(3))
    s.pupdate(g.k(7), g.pv(7))
    s.plookup(g.k(4), cpu=1)
    s.pupdate(g.k(8), g.pv(8), cpu=1)
    s.freeze(fd=0)
    s.update(g.k(9), g.v(9), fd=0)
    s.mmap(4096, 'READ')
    s.unlink('@lru')
    s.close()

    if pc:
        s = S(t, 'padding_reuse', 'value_size 5: a program insert zeroes '
              'value_size bytes of the other CPUs\' slots and leaves the '
              'padding a reused node\'s last key wrote; lookup_percpu '
              'marks the key')
        for flags in (Z, Z | NCL):
            g = s.lru(4, flags, vs=5)
            fill(s, g, range(1, 5))
            s.pupdate(g.k(5), g.pv(5))
            s.pupdate(g.k(6), g.pv(6), cpu=1)
            s.lookup(g.k(5))
            s.lookup(g.k(6))
            s.lookup_percpu(g.k(6), 0)
            s.pupdate(g.k(7), g.pv(7))
            s.pupdate(g.k(6), g.pv(6, 1), EXIST, cpu=1)
            s.lookup(g.k(6))
            fill(s, g, range(8, 12), prog=True)
            s.lookup_batch(8)
            s.close()

        s = S(t, 'refill_order', 'value_size 4: a refill (target_free 4 '
              'at max_entries 16) takes the global free list\'s nodes '
              'from its head, then evicts, and hands them out in the order '
              'it took them; the padding of each reused node shows which '
              'one a program insert got')
        for nfill, dels in ((9, range(1, 5)), (16, (5, 6))):
            g = s.lru(16, Z, vs=4)
            fill(s, g, range(1, nfill + 1))
            for k in dels:
                s.delete(g.k(k))
            fill(s, g, range(0x20, 0x27), prog=True)
            for k in range(0x20, 0x27):
                s.lookup(g.k(k))
            s.close()


# --- every size, filled past capacity ----------------------------------------

def batch_fill(s, g, chunk, cpu_of, rng):
    """max_entries keys by UPDATE_BATCH, chunk keys a command (each
    inserted in turn, as many updates would be), the CPU changing
    between chunks, a few program lookups in between. Returns the next
    key number."""
    nxt = 1
    for n, first in enumerate(range(1, g.me + 1, chunk)):
        c = cpu_of(n)
        idx = range(first, min(first + chunk, g.me + 1))
        s.update_batch([g.k(i) for i in idx], [g.v(i) for i in idx],
                       **ckw(c))
        nxt = idx[-1] + 1
        for _ in range(2):
            s.plookup(g.k(rng.randrange(1, nxt)), **ckw(c))
    return nxt


def churn(s, g, nops, cpu_of, rng, nxt=1):
    """Seeded random element ops, most of them inserts of new keys."""
    pc = g.percpu
    ver = 0
    for j in range(nops):
        c = cpu_of(j)
        r = rng.random()
        old = g.k(rng.randrange(1, nxt)) if nxt > 1 else g.k(1)
        ver = (ver + 1) % 7
        if r < 0.50:
            flags = NOEXIST if rng.random() < 0.2 else None
            s.update(g.k(nxt), g.v(nxt, ver), flags, **ckw(c))
            nxt += 1
        elif r < 0.58:
            s.pupdate(g.k(nxt), g.pv(nxt, ver), **ckw(c))
            nxt += 1
        elif r < 0.70:
            s.plookup(old, **ckw(c))
        elif r < 0.76:
            s.lookup(old, **ckw(c))
        elif r < 0.84:
            flags = rng.choice((ANY, EXIST, NOEXIST))
            s.update(old, g.v(nxt, ver), flags, **ckw(c))
        elif r < 0.87:
            s.pupdate(old, g.pv(nxt, ver), rng.choice((ANY, EXIST)),
                      **ckw(c))
        elif r < 0.90:
            s.delete(old, **ckw(c))
        elif r < 0.92:
            s.pdelete(old, **ckw(c))
        elif r < 0.94:
            s.lookup_and_delete(old, **ckw(c))
        elif r < 0.96 and pc:
            s.lookup_percpu(old, rng.randrange(2), **ckw(c))
        else:
            s.next(old, **ckw(c))


# max_entries: (CPU patterns, ops after the fill, UPDATE_BATCH fill chunk)
PLAN = {1: (('cpu0', 'cpu1', 'alt', 'rand'), 28, None),
        2: (('cpu0', 'cpu1', 'alt', 'rand'), 32, None),
        3: (('cpu0', 'cpu1', 'alt', 'rand'), 36, None),
        4: (('cpu0', 'cpu1', 'alt', 'rand'), 40, None),
        7: (('cpu0', 'cpu1', 'alt', 'rand'), 52, None),
        64: (('cpu0', 'alt', 'rand'), 136, None),
        127: (('cpu1', 'rand'), 230, None),
        128: (('cpu0', 'alt', 'rand'), 232, None),
        129: (('cpu1', 'rand'), 234, None),
        1000: (('blocks',), 500, 100),
        4096: (('rand',), 400, 512)}


def gen_sizes(S, t):
    rng = random.Random(base.SEED + TYPES.index(t))
    for me in SIZES:
        patterns, nops, chunk = PLAN[me]
        for mode, flags in (('common', Z), ('percpu_lru', Z | NCL)):
            if me == 4096 and t == 'LRU_PERCPU_HASH' and mode == 'common':
                continue    # three 4096 scenarios: enough reads of 4096
            for p in patterns:
                s = S(t, 'size_%d_%s_%s' % (me, mode, p),
                      'max_entries %d, %s LRU, CPUs %s: seeded random '
                      'inserts, lookups (both sides), updates, deletes '
                      'well past capacity%s' % (
                          me, mode.replace('_lru', ''), p,
                          ', after a fill by UPDATE_BATCH' if chunk
                          else ''))
                g = s.lru(me, flags)
                cpu_of = pattern_cpu(p, rng)
                nxt = batch_fill(s, g, chunk, cpu_of, rng) if chunk else 1
                churn(s, g, nops, cpu_of, rng, nxt)


def gen_lru():
    out = []

    def S(t, name, what):
        s = LruScn(t, name, what)
        out.append(s)
        return s

    for t in TYPES:
        gen_create(S, t)
        gen_rules(S, t)
        gen_sizes(S, t)
    return out

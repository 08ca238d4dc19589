# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The conformance corpus of BPF_MAP_TYPE_QUEUE, STACK and BLOOM_FILTER
(tests/corpus/queue, stack, bloom_filter), called from gen_corpus.py's
build_all(), on the same scenario builder (Scn) and model (Machine).

The model here (QsbMachine) follows array-lpm-queue-maps.md §5 and §6:
  - QUEUE/STACK as a deque of at most max_entries values: push (update
    with a NULL key, bpf_map_push_elem) E2BIG when full unless BPF_EXIST,
    which drops the oldest (for a stack too: the bottom); peek (lookup)
    and pop (lookup_and_delete) at the front of a queue, the top of a
    stack; an empty pop/peek from a program zero-fills its buffer;
  - BLOOM_FILTER as the kernel's bit array: k = map_extra or 5 hashes,
    jhash2/jhash of the value seeded with seed + i, the array's size from
    max_entries * k * 7 / 5. With BPF_F_ZERO_SEED every peek is predicted,
    false positives included; with a random seed only pushed values
    (present) and an empty filter (absent).
  - no keys: a non-NULL key is EINVAL on every command; delete and
    get_next_key EINVAL (queue/stack) or EOPNOTSUPP (bloom);
    lookup_and_delete ENOTSUPP on a bloom filter; no batch op (ENOTSUPP).
The state a scenario ends with is read by the harness as FORMAT.md says:
a queue's or stack's values in pop order (`state fd=N value=...`), a
bloom filter's nothing.

Syscall ops on these maps name their NULL key (`key=null`): a missing
key is a zero-length buffer, a non-NULL pointer the kernel refuses.
"""

import random

import gen_corpus as gc
from gen_corpus import (ANY, EXIST, F, LOCK, NOEXIST, Pred, Scn, Unknown,
                        attr_check, fmt_elem_flags, fmt_num, le32,
                        plain_value)

FAMILIES = ('queue', 'stack', 'bloom_filter')
QSB_TYPES = {'QUEUE': 22, 'STACK': 23, 'BLOOM_FILTER': 30}
KMALLOC_MAX = 4 << 20
QS_CREATE_FLAGS = F['NUMA_NODE'] | gc.ACCESS_MASK
BLOOM_CREATE_FLAGS = F['NUMA_NODE'] | F['ZERO_SEED'] | gc.ACCESS_MASK
SEED = 0x71736221             # "qsb!": the seed of this module's choices

gc.MAP_TYPES.update(QSB_TYPES)


def bloom_bits(me, k):
    """array-lpm-queue-maps.md §6.1: the bit array's size."""
    n = me * k
    if n > 0xffffffff:
        return 1 << 32
    n = n // 5 * 7
    if n > 0xffffffff or n > (1 << 31):
        return 1 << 32
    return max(64, gc.next_pow2(n))


class QsbMap(gc.MapObj):
    """A QUEUE, STACK or BLOOM_FILTER of the model."""

    def __init__(self, mtype, vs, me, flags, name, extra):
        super().__init__('ARRAY', 0, vs, me, flags, name)
        self.mtype = mtype
        self.bloom = mtype == 'BLOOM_FILTER'
        self.stack = mtype == 'STACK'
        self.dq = []                   # oldest first
        self.k = (extra & 0xf) or 5
        self.mask = bloom_bits(me, self.k) - 1
        self.zero_seed = bool(flags & F['ZERO_SEED'])
        self.bits = set()
        self.pushed = set()

    # queue / stack
    def front(self):
        return self.dq[-1] if self.stack else self.dq[0]

    def take(self):
        return self.dq.pop() if self.stack else self.dq.pop(0)

    def push(self, val, flags):
        if flags & NOEXIST or flags > EXIST:
            return '-EINVAL'
        if self.bloom:
            raise AssertionError('bloom push goes through bloom_push')
        if len(self.dq) >= self.me:
            if not flags & EXIST:
                return '-E2BIG'
            self.dq.pop(0)             # the oldest, even for a stack
        self.dq.append(bytes(val))
        return '0'

    # bloom
    def hashes(self, val):
        return {gc.jhash(bytes(val), i) & self.mask for i in range(self.k)}

    def bloom_push(self, val, flags):
        if flags != ANY:
            return '-EINVAL'
        self.pushed.add(bytes(val))
        if self.zero_seed:
            self.bits |= self.hashes(val)
        return '0'

    def bloom_peek(self, val):
        if not self.pushed:
            return '-ENOENT'
        if bytes(val) in self.pushed:
            return '0'
        if not self.zero_seed:
            raise Unknown('a random seed: false positives are chance')
        return '0' if self.hashes(val) <= self.bits else '-ENOENT'

    def contents(self):
        """The harness' reading: values in pop order, no key."""
        if self.bloom:
            return []
        vals = self.dq[::-1] if self.stack else self.dq
        return [(b'', v) for v in vals]


class QsbMachine(gc.Machine):
    """gc.Machine with the three keyless types."""

    def create(self, a, attr_size, pokes):
        names = {v: k for k, v in QSB_TYPES.items()}
        t = names.get(a['type'])
        if t is None:
            return super().create(a, attr_size, pokes)
        if attr_size is not None or pokes:
            raise Unknown('keyless create with attr edits')
        ks, vs, me, flags, extra = a['ks'], a['vs'], a['me'], \
            a['flags'], a['extra']
        if extra and t != 'BLOOM_FILTER':
            return Pred('-EINVAL')
        if flags & F['RDONLY'] and flags & F['WRONLY']:
            return Pred('-EINVAL')
        if flags & F['NUMA_NODE'] and a['numa'] not in (0, 0xffffffff):
            return Pred('-EINVAL')
        if flags & F['TOKEN_FD']:
            raise Unknown('token')
        both = F['RDONLY_PROG'] | F['WRONLY_PROG']
        if t == 'BLOOM_FILTER':
            if vs > KMALLOC_MAX:
                return Pred('-E2BIG')
            if ks or not vs or not me or flags & ~BLOOM_CREATE_FLAGS or \
                    flags & both == both or extra & ~0xf:
                return Pred('-EINVAL')
        else:
            if ks or not vs or not me or flags & ~QS_CREATE_FLAGS or \
                    flags & both == both:
                return Pred('-EINVAL')
            if vs > KMALLOC_MAX:
                return Pred('-E2BIG')
        nm = a['name'][:16]
        if len(a['name']) > 15 or not all(gc.kernel_isalnum(c) or
                                          c in b'_.' for c in nm):
            return Pred('-EINVAL')
        m = QsbMap(t, vs, me, flags, nm, extra)
        self.add_slot(m, self.file_mode(flags))
        return Pred('fd')

    def _qsb(self, fd):
        """The slot if fd names an open keyless map, else None (the base
        model answers: its errors come before anything type-specific)."""
        try:
            s, e = self.resolve(fd)
        except Unknown:
            return None
        return s if s is not None and isinstance(s.m, QsbMap) else None

    @staticmethod
    def pre(op, attr_size, pokes):
        """The attr checks; the model follows no other attr edit."""
        e = attr_check(op, attr_size, pokes)
        if e:
            return Pred(e)
        if attr_size is not None or pokes:
            raise Unknown('keyless op with attr edits')
        return None

    def lookup(self, fd, key, flags, vnull, attr_size, pokes, vin=b''):
        s = self._qsb(fd)
        if s is None:
            return super().lookup(fd, key, flags, vnull, attr_size, pokes)
        p = self.pre('lookup', attr_size, pokes)
        if p:
            return p
        if flags & ~LOCK:
            return Pred('-EINVAL')
        if not self.can_read(s):
            return Pred('-EPERM')
        if flags & LOCK:
            return Pred('-EINVAL')
        if key is not None:
            return Pred('-EINVAL')     # key_size 0: the key must be NULL
        m = self._map(s)
        if m.bloom:
            if vnull:
                return Pred('-EFAULT')  # the value is copied in
            v = bytes(vin) + bytes(m.vs - len(vin))
            return Pred(m.bloom_peek(v), {})
        if not m.dq:
            return Pred('-ENOENT')
        if vnull:
            return Pred('-EFAULT')
        return Pred('0', {'value': m.front()})

    def update(self, fd, key, val, flags, attr_size, pokes):
        s = self._qsb(fd)
        if s is None:
            return super().update(fd, key, val, flags, attr_size, pokes)
        p = self.pre('update', attr_size, pokes)
        if p:
            return p
        if not self.can_write(s):
            return Pred('-EPERM')
        if flags & LOCK:
            return Pred('-EINVAL')
        if key is not None:
            return Pred('-EINVAL')
        if val is None:
            return Pred('-EFAULT')
        m = self._map(s)
        v = bytes(val) + bytes(m.vs - len(val))
        if m.bloom:
            return Pred(m.bloom_push(v, flags))
        return Pred(m.push(v, flags))

    def _no_keys(self, op, s, key, attr_size, pokes, allowed):
        """delete and get_next_key: no key to name, once the access and
        the key pointer are checked."""
        p = self.pre(op, attr_size, pokes)
        if p:
            return p
        if not allowed(s):
            return Pred('-EPERM')
        if key is not None:
            return Pred('-EINVAL')
        return Pred('-EOPNOTSUPP' if s.m.bloom else '-EINVAL')

    def delete(self, fd, key, flags, attr_size, pokes):
        s = self._qsb(fd)
        if s is None or flags:
            return super().delete(fd, key, flags, attr_size, pokes)
        return self._no_keys('delete', s, key, attr_size, pokes,
                             self.can_write)

    def next(self, fd, key, nnull, attr_size, pokes):
        s = self._qsb(fd)
        if s is None:
            return super().next(fd, key, nnull, attr_size, pokes)
        return self._no_keys('next', s, key, attr_size, pokes,
                             self.can_read)

    def lookup_and_delete(self, fd, key, flags, vnull, attr_size, pokes):
        s = self._qsb(fd)
        if s is None:
            return super().lookup_and_delete(fd, key, flags, vnull,
                                             attr_size, pokes)
        p = self.pre('lookup_and_delete', attr_size, pokes)
        if p:
            return p
        if flags & ~LOCK:
            return Pred('-EINVAL')
        if not (self.can_read(s) and self.can_write(s)):
            return Pred('-EPERM')
        if flags and not s.m.bloom:
            return Pred('-EINVAL')     # pop takes no flags at all
        if flags & LOCK:
            return Pred('-EINVAL')
        if key is not None:
            return Pred('-EINVAL')
        m = self._map(s)
        if m.bloom:
            return Pred('-ENOTSUPP')
        if not m.dq:
            return Pred('-ENOENT')
        v = m.take()                   # popped before the copy out
        if vnull:
            return Pred('-EFAULT')
        return Pred('0', {'value': v})

    def batch(self, op, fd, a, attr_size, pokes):
        s = self._qsb(fd)
        if s is None:
            return super().batch(op, fd, a, attr_size, pokes)
        p = self.pre(op, attr_size, pokes)
        if p:
            return p
        reads = op in ('lookup_batch', 'lookup_and_delete_batch')
        if reads and not self.can_read(s):
            return Pred('-EPERM')
        if op != 'lookup_batch' and not self.can_write(s):
            return Pred('-EPERM')
        return Pred('-ENOTSUPP')       # BPF_DO_BATCH: no such op

    # the program side
    @staticmethod
    def prog_refusal(m, fn, write=False):
        if not isinstance(m, QsbMap):
            return gc.Machine.prog_refusal(m, fn, write)
        if fn in ('lookup', 'update', 'delete', 'lookup_percpu'):
            return 'refused -EACCES'   # the 0-byte key: invalid access
        if m.flags & F['RDONLY_PROG'] and fn in ('push', 'pop'):
            return 'refused -EACCES'   # record_func_map: write forbidden
        if m.bloom and fn == 'pop':
            return 'refused -EINVAL'   # check_map_func_compatibility
        return None

    def prog_qsb(self, fd, op, val):
        m = self._prog_map(fd)
        r = self.prog_refusal(m, op)
        if r:
            return Pred(r)
        if op == 'push':
            v = bytes(val) + bytes(m.vs - len(val))
            if m.bloom:
                return Pred(m.bloom_push(v, self.pflags))
            return Pred(m.push(v, self.pflags))
        if m.bloom:                    # peek: val is the input
            v = bytes(val or b'') + bytes(m.vs - len(val or b''))
            return Pred(m.bloom_peek(v), {})
        if not m.dq:
            return Pred('-ENOENT', {'value': bytes(m.vs)})
        return Pred('0', {'value': m.take() if op == 'pop' else m.front()})


class QsbScn(Scn):
    """Scn with keyless ops: syscall ops default to key=null, lookup and
    peek take an input value (a bloom filter's)."""

    def __init__(self, family, name, what):
        super().__init__(family, name, what)
        self.head[-1] = ('# generated by tests/gen/gen_qsb.py: edit the '
                         'generator, not this file')
        self.mc = QsbMachine()

    def qlookup(self, vin=None, key=None, flags=None, value=True, **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        args = [('key', self._k(key)),
                ('flags', None if flags is None else fmt_elem_flags(flags)),
                ('value', 'null' if not value else
                 None if vin is None else vin.hex())]
        return self._emit('lookup', args, common, lambda: self.mc.lookup(
            fd, key, flags or 0, not value, attr_size, pokes,
            vin or b''), self._mtype(fd))

    def qpush(self, val, flags=None, key=None, **kw):
        return self.update(key, val, flags, **kw)

    def qpop(self, key=None, flags=None, value=True, **kw):
        return self.lookup_and_delete(key, flags, value, **kw)

    def push(self, val, flags=None, **kw):
        fd, _, common = self._pkw(kw)
        args = [('value', val.hex()),
                ('flags', None if flags is None else fmt_elem_flags(flags))]

        def predict():
            self.mc.pflags = flags or 0
            return self.mc.prog_qsb(fd, 'push', val)
        return self._emit('push', args, common, predict, self._mtype(fd))

    def pop(self, peek=False, vin=None, **kw):
        op = 'peek' if peek else 'pop'
        fd, _, common = self._pkw(kw)
        args = [('value', None if vin is None else vin.hex())]
        return self._emit(op, args, common, lambda: self.mc.prog_qsb(
            fd, op, vin), self._mtype(fd))

    def peek(self, vin=None, **kw):
        return self.pop(peek=True, vin=vin, **kw)


# --- values ------------------------------------------------------------------

def val(vs, i, ver=0):
    return plain_value(vs, i, ver)


def pval(vs, i, ver=0):
    """A program-side value, distinct from the syscall side's."""
    return plain_value(vs, i, ver + 0x40)


def fp_value(vs, i):
    """Value number i of a bloom scenario: i in the first bytes (so every
    i is distinct for any vs), the rest patterned; no 0xAA bytes."""
    b = bytearray(plain_value(vs, i, 7))
    for j in range(min(vs, 4)):
        b[j] = gc._nz(i >> (8 * j))
    return bytes(b)


# --- QUEUE and STACK ---------------------------------------------------------

def create_rules(S, T):
    bloom = T == 'BLOOM_FILTER'
    s = S('create_rules', 'MAP_CREATE rules: key_size must be 0, value_size '
          '1..4 MiB, max_entries >= 1, the flags it takes (%s), each '
          'map_flags bit alone, access flag pairs, map_extra, the order of '
          'the checks (EINVAL rows before E2BIG%s); every map made is read '
          'back with OBJ_GET_INFO_BY_FD' %
          ('NUMA_NODE, ZERO_SEED, access flags' if bloom else
           'NUMA_NODE, access flags', ', except bloom value_size first'
           if bloom else ''))
    s.autoclose = True
    for ks, vs, me in ((0, 4, 1), (0, 1, 1), (0, 4096, 3), (0, 4, 4096),
                       (0, KMALLOC_MAX, 1), (0, KMALLOC_MAX + 1, 1),
                       (0, 0xffffffff, 1), (4, 4, 4), (1, 4, 4), (0, 0, 4),
                       (0, 4, 0), (0, 0, 0), (4, KMALLOC_MAX + 1, 0),
                       (0, KMALLOC_MAX + 1, 0), (8, 0, 0)):
        s.create_info(T, ks, vs, me)
    s.note('each map_flags bit alone, then pairs that are refused')
    for bit in range(len(gc.MAP_FLAG_BITS)):
        f = 1 << bit
        if f == F['TOKEN_FD']:
            continue
        s.create_info(T, 0, 8, 4, flags=f)
    for f in (F['RDONLY'] | F['WRONLY'], F['RDONLY_PROG'] | F['WRONLY_PROG'],
              F['RDONLY'] | F['RDONLY_PROG'], F['WRONLY'] | F['WRONLY_PROG'],
              F['NUMA_NODE'] | F['ZERO_SEED'], 1 << 17, 1 << 31):
        s.create_info(T, 0, 8, 4, flags=f)
    s.note('a bad flag or size with a too-large value: which check wins')
    s.create_info(T, 0, KMALLOC_MAX + 1, 4, flags=F['NO_PREALLOC'])
    s.create_info(T, 4, KMALLOC_MAX + 1, 4)
    s.create_info(T, 0, KMALLOC_MAX + 1, 4, map_extra=1)
    s.create_info(T, 0, KMALLOC_MAX + 1, 4, map_extra=16)
    s.note('NUMA_NODE: node 0, NUMA_NO_NODE, a node that is not there')
    for node in (0, 0xffffffff, 1, 1023):
        s.create_info(T, 0, 8, 4, flags=F['NUMA_NODE'], numa_node=node)
    s.note('map_extra: the hash count of a bloom filter (low 4 bits), '
           'EINVAL for any other type')
    for extra in (1, 2, 5, 15, 16, 17, 0x100, 1 << 32, 1 << 63):
        s.create_info(T, 0, 8, 4, map_extra=extra)
    s.note('names')
    for nm in ('q', 'queue_1.x', 'abcdefghijklmno', 'bad-name',
               'abcdefghijklmnop'):
        s.create_info(T, 0, 8, 4, name=nm)
    return s


def seeded(T):
    """BPF_F_ZERO_SEED for a bloom filter: which absent values look
    present is then the same on every run (random_seed.scn has the
    other case)."""
    return F['ZERO_SEED'] if T == 'BLOOM_FILTER' else 0


def access_rules(S, T, vs=8):
    """fds of every access mode, freeze, pin/get, ids, info, mmap."""
    bloom = T == 'BLOOM_FILTER'
    s = S('access', 'fd access modes (RDONLY/WRONLY fds by create, '
          'MAP_GET_FD_BY_ID and OBJ_GET), BPF_MAP_FREEZE (user pushes and '
          'pops refused, peeks allowed, a second freeze EPERM), pin/get, '
          'next_id, info, and mmap(2) refused')
    me = 4
    s.create(T, 0, vs, me, flags=seeded(T))
    s.qpush(val(vs, 1))
    s.qpush(val(vs, 2))
    s.info()
    s.info(info_len=gc.INFO_NO_HASH)
    s.next_id()
    s.get_fd_by_id(open_flags=F['RDONLY'])      # slot 1: read-only
    s.qpush(val(vs, 3), fd=1)
    s.qpop(fd=1)
    s.qlookup(val(vs, 1) if bloom else None, fd=1)
    s.next(None, fd=1)
    s.delete(None, fd=1)
    s.lookup_batch(2, fd=1)
    s.update_batch([b'', b''], [val(vs, 4), val(vs, 5)], fd=1)
    s.get_fd_by_id(open_flags=F['WRONLY'], fd=0)  # slot 2: write-only
    s.qpush(val(vs, 4), fd=2)
    s.qpop(fd=2)
    s.qlookup(val(vs, 1) if bloom else None, fd=2)
    s.next(None, fd=2)
    s.delete(None, fd=2)
    s.lookup_batch(2, fd=2)
    s.delete_batch([b''], fd=2)
    s.pin('@q')
    s.get('@q', file_flags=F['RDONLY'])         # slot 3
    s.qlookup(val(vs, 4) if bloom else None, fd=3)
    s.qpush(val(vs, 5), fd=3)
    s.get('@q')                                  # slot 4
    s.qpush(val(vs, 5), fd=4)
    s.qlookup(val(vs, 5) if bloom else None, fd=4)
    s.unlink('@q')
    for fd in (3, 4, 2, 1):
        s.close(fd)
    s.note('freeze: user-space writes refused, reads allowed')
    s.freeze()
    s.freeze()
    s.qpush(val(vs, 6))
    s.qpush(val(vs, 6), flags=EXIST)
    s.qpop()
    s.qlookup(val(vs, 1) if bloom else None)
    s.delete(None)
    s.next(None)
    s.update_batch([b''], [val(vs, 6)])
    s.lookup_and_delete_batch(2)
    s.info()
    s.note('programs still push (and pop) after a freeze')
    s.push(pval(vs, 7))
    s.peek(val(vs, 1) if bloom else None)
    if not bloom:
        s.pop()
    s.push(pval(vs, 8), cpu=1)
    s.peek(pval(vs, 8) if bloom else None, cpu=1)
    s.info()
    s.close(0)

    s = S('mmap', 'mmap(2) of the map fd: not a mmapable type, whatever '
          'the protection, sharing or fd mode')
    s.create(T, 0, vs, 4, flags=seeded(T))
    s.get_fd_by_id(open_flags=F['RDONLY'])
    for fd in (0, 1):
        s.mmap(4096, 'READ', fd=fd)
        s.mmap(4096, 'READ|WRITE', fd=fd)
        s.mmap(4096, 'READ', share='PRIVATE', fd=fd)
        s.mmap(8192, 'READ', share='SHARED_VALIDATE', fd=fd)
        s.mmap(4096, 'READ', off=4096, fd=fd)
    s.qpush(val(vs, 1))

    s = S('access_create_flags', 'maps created RDONLY / WRONLY (the fd '
          'modes) and RDONLY_PROG / WRONLY_PROG (the program\'s access): '
          'user and program pushes, pops and peeks through each')
    for i, f in enumerate((F['RDONLY'], F['WRONLY'], F['RDONLY_PROG'],
                           F['WRONLY_PROG'], F['RDONLY'] | F['WRONLY_PROG'],
                           F['WRONLY'] | F['RDONLY_PROG'])):
        s.create(T, 0, vs, 3, flags=f | seeded(T))
        s.qpush(val(vs, 1))
        s.qlookup(val(vs, 1) if bloom else None)
        s.qpop()
        s.push(pval(vs, 2))
        s.peek(pval(vs, 2) if bloom else None)
        s.peek(pval(vs, 3) if bloom else None, cpu=1)
        s.pop()
        s.push(pval(vs, 3), flags=EXIST)
        s.qlookup(pval(vs, 3) if bloom else None)
        s.freeze()
        s.push(pval(vs, 4))
        s.qpush(val(vs, 4))
        if i % 2:
            s.close()
    return s


def bad_pointers(S, T, vs=8):
    bloom = T == 'BLOOM_FILTER'
    s = S('keys_values', 'the key must be NULL on every command (a '
          'non-NULL key, even to zero bytes, is EINVAL, checked after the '
          'fd and access checks); a NULL value EFAULT where one is read or '
          'written; element flags of each command; attr tails')
    s.create(T, 0, vs, 4, flags=seeded(T))
    z = b''
    for key in (z, b'\0\0\0\0'):
        s.update(key, val(vs, 1))
        s.qlookup(val(vs, 1) if bloom else None, key=key)
        s.lookup_and_delete(key)
        s.delete(key)
        s.next(key)
        s.next(key, nxt=False)
    s.update(z, val(vs, 1), fd='closed')
    s.qlookup(key=z, fd='notmap')
    s.note('NULL values')
    s.qpush(None)
    s.qlookup(value=False)
    s.qpop(value=False)
    s.qpush(val(vs, 1))
    s.qlookup(value=False)
    s.qpop(value=False)
    s.qlookup(val(vs, 1) if bloom else None)
    s.note('element flags: push takes ANY and EXIST (queue/stack) or ANY '
           '(bloom); lookup BPF_F_LOCK only (then EINVAL: no spin lock); '
           'pop none at all')
    for fl in (ANY, NOEXIST, EXIST, NOEXIST | EXIST, LOCK, LOCK | EXIST,
               8, 0x10, 1 << 32, 1 << 63):
        s.qpush(val(vs, 2 + (fl & 7)), flags=fl)
    for fl in (ANY, NOEXIST, EXIST, LOCK, 8, 1 << 32):
        s.qlookup(val(vs, 2) if bloom else None, flags=fl)
        s.qpop(flags=fl)
    s.note('whole pushes in every remaining order, then drained')
    for i in range(6):
        s.qpush(val(vs, 10 + i), flags=EXIST if i % 2 else ANY)
    for _ in range(6):
        s.qpop()
    s.note('attr tails: bytes past the command\'s last field')
    for op in ('update', 'lookup', 'lookup_and_delete', 'delete', 'next'):
        kwargs = {'poke': (40, '01')}
        if op == 'update':
            s.update(None, val(vs, 20), **kwargs)
        elif op == 'lookup':
            s.qlookup(**kwargs)
        elif op == 'lookup_and_delete':
            s.qpop(**kwargs)
        elif op == 'delete':
            s.delete(None, poke=(24, '01'))
        else:
            s.next(None, poke=(24, '01'))
    s.qpush(val(vs, 21), attr_size=24)
    s.qlookup(attr_size=24)
    s.qpop(attr_size=16)
    return s


def batches(S, T, vs=8):
    s = S('batch', 'the four batch commands: no keyless type has them '
          '(ENOTSUPP), after the fd and access checks; the map unchanged')
    s.create(T, 0, vs, 4, flags=seeded(T))
    s.qpush(val(vs, 1))
    s.qpush(val(vs, 2))
    for count in (0, 1, 4):
        s.lookup_batch(count)
        s.lookup_and_delete_batch(count)
        s.update_batch([b''] * max(count, 1), [val(vs, 3)] * max(count, 1),
                       count=count)
        s.delete_batch([b''] * max(count, 1), count=count)
    s.lookup_batch(2, elem_flags=LOCK)
    s.lookup_batch(2, flags=1)
    s.lookup_batch(2, fd='closed')
    s.update_batch([b''], [val(vs, 3)], fd='notmap')
    s.qlookup(val(vs, 1) if T == 'BLOOM_FILTER' else None)
    return s


def prog_refusals(S, T, vs=8):
    bloom = T == 'BLOOM_FILTER'
    s = S('prog_refused', 'programs: lookup, update, delete and '
          'lookup_percpu are refused at load (EACCES: the 0-byte key), '
          '%s; BPF_F_RDONLY_PROG refuses push and pop, not peek' %
          ('pop is refused (EINVAL: not a bloom filter helper)' if bloom
           else 'push, pop and peek load'))
    for f in (0, F['RDONLY_PROG'], F['WRONLY_PROG']):
        s.create(T, 0, vs, 4, flags=f | seeded(T))
        s.plookup(b'')
        s.plookup(b'', write=pval(vs, 1))
        s.pupdate(b'', pval(vs, 1))
        s.pdelete(b'')
        s.lookup_percpu(b'', 0)
        s.push(pval(vs, 1))
        s.pop()
        s.peek(pval(vs, 1) if bloom else None)
        s.qpush(val(vs, 2))
        s.pop()
        s.peek(val(vs, 2) if bloom else None)
        s.close()
    return s


def keyless_family(T, fam):
    """The scenarios of one type's directory so far (the ones every
    keyless type has) and the maker of the others."""
    out = []

    def S(name, what):
        s = QsbScn(fam, name, '%s: %s' % (T, what))
        out.append(s)
        return s

    for gen in (create_rules, access_rules, bad_pointers, batches,
                prog_refusals):
        gen(S, T)
    return out, S


def gen_queue_stack(T):
    fam = T.lower()
    out, S = keyless_family(T, fam)
    stack = T == 'STACK'

    s = S('fill_drain', 'push until full (E2BIG), BPF_EXIST pushes that '
          'drop the oldest (%s), peek and pop %s, until empty (ENOENT, the '
          'user buffer untouched); value sizes 1 to 4096 and max_entries 1 '
          'to 16' % ('the bottom of the stack' if stack else 'the front',
                     'the newest first' if stack else 'in push order'))
    for vs in (1, 3, 4, 8, 13, 64, 4096):
        for me in (1, 2, 5, 16):
            if vs == 4096 and me == 16:
                continue
            s.create(T, 0, vs, me)
            s.qlookup()
            s.qpop()
            for i in range(me):
                s.qpush(val(vs, i))
            s.qpush(val(vs, me))
            s.qlookup()
            s.qpush(val(vs, me + 1), flags=EXIST)
            s.qpush(val(vs, me + 2), flags=EXIST)
            s.qlookup()
            s.qpop()
            s.qpush(val(vs, me + 3))
            s.qpush(val(vs, me + 4), flags=NOEXIST)
            for _ in range(me + 1):
                s.qpop()
            s.qlookup()
            s.close()

    s = S('wrap', 'the ring of max_entries + 1 slots wraps: pushes and '
          'pops around it many times, BPF_EXIST on a full ring at every '
          'head position; the final state read by popping and pushing back')
    for me in (1, 2, 3, 7):
        vs = 4
        s.create(T, 0, vs, me)
        n = 0
        for rnd in range(3 * (me + 1)):
            for _ in range(rnd % (me + 1) + 1):
                s.qpush(val(vs, n), flags=EXIST if n % 3 == 0 else None)
                n += 1
            s.qlookup()
            for _ in range(rnd % 2 + 1):
                s.qpop()
        for _ in range(me + 1):
            s.qpush(val(vs, n), flags=EXIST)
            n += 1
        if me != 7:
            s.close()

    s = S('state', 'the harness\' reading of the final contents (pop '
          'order, pushed back): maps left full, partly full, empty, on '
          'two fds of one map, and read-only / write-only slots')
    for k, me in enumerate((1, 3, 6)):
        s.create(T, 0, 6, me)
        for i in range(k * 2 + 1):
            s.qpush(val(6, i + k * 10), flags=EXIST)
    s.create(T, 0, 6, 4, flags=F['RDONLY'])
    s.push(pval(6, 1))
    s.push(pval(6, 2))
    s.create(T, 0, 6, 4, flags=F['WRONLY'])
    s.qpush(val(6, 3))
    s.qpush(val(6, 4))
    s.get_fd_by_id(open_flags=F['RDONLY'])
    s.create(T, 0, 6, 4)

    # ---------------------------------------------------------------- programs
    s = S('prog_push_pop', 'programs: bpf_map_push_elem (ANY, EXIST making '
          'room, NOEXIST and unknown flags EINVAL, full E2BIG), '
          'bpf_map_pop_elem and bpf_map_peek_elem (an empty map zero-fills '
          'the program\'s buffer, -ENOENT), on CPU 0 and CPU 1, value '
          'sizes 1 to 4096')
    for vs in (1, 4, 7, 8, 64, 4096):
        s.create(T, 0, vs, 3)
        s.pop()
        s.peek()
        s.peek(cpu=1)
        for fl in (None, ANY, EXIST, NOEXIST, 3, LOCK, 8, 1 << 32):
            s.push(pval(vs, (fl or 0) & 0xff), flags=fl)
        s.peek()
        s.push(pval(vs, 9), cpu=1)
        s.push(pval(vs, 10), flags=EXIST, cpu=1)
        s.peek(cpu=1)
        for _ in range(4):
            s.pop()
        s.peek()
        s.close()

    s = S('prog_mixed', 'program and syscall pushes, pops and peeks on one '
          'map, interleaved, each side seeing the other\'s values')
    s.create(T, 0, 8, 5)
    for i in range(12):
        if i % 2:
            s.push(pval(8, i), flags=EXIST if i % 4 == 3 else None,
                   cpu=i % 3 % 2)
        else:
            s.qpush(val(8, i), flags=EXIST if i % 4 == 2 else None)
        if i % 3 == 0:
            s.peek()
            s.qlookup()
        if i % 5 == 4:
            s.pop(cpu=1)
            s.qpop()

    # ---------------------------------------------------------------- random
    rng = random.Random(SEED + len(T))
    for n in range(8):
        me = rng.choice((1, 2, 3, 4, 8, 16))
        vs = rng.choice((1, 2, 4, 5, 8, 12, 16, 33))
        s = S('random_%d' % n, 'a seeded mix of syscall and program '
              'pushes, pops and peeks (max_entries %d, value_size %d)' %
              (me, vs))
        s.create(T, 0, vs, me)
        random_qs_ops(s, vs, rng, 140)
    return out


def random_qs_ops(s, vs, rng, nops):
    for i in range(nops):
        r = rng.random()
        fl = rng.choice((None, None, EXIST, EXIST, ANY, NOEXIST))
        cpu = rng.choice((None, None, 1))
        if r < 0.25:
            s.qpush(val(vs, i), flags=fl)
        elif r < 0.45:
            s.push(pval(vs, i), flags=fl, cpu=cpu)
        elif r < 0.58:
            s.qpop()
        elif r < 0.7:
            s.pop(cpu=cpu)
        elif r < 0.8:
            s.qlookup()
        elif r < 0.9:
            s.peek(cpu=cpu)
        elif r < 0.95:
            s.qpop(flags=rng.choice((EXIST, LOCK)))
        else:
            s.qlookup(value=False)


# --- BLOOM_FILTER ------------------------------------------------------------

def gen_bloom():
    T = 'BLOOM_FILTER'
    out, S = keyless_family(T, 'bloom_filter')
    Z = F['ZERO_SEED']

    # The false positives of a ZERO_SEED filter: exact, one for one.
    combos = ((1, 5, 4), (1, 4, 4), (1, 1, 8), (2, 3, 4), (5, 0, 4),
              (8, 1, 4), (10, 5, 1), (10, 2, 2), (10, 3, 3), (12, 7, 5),
              (16, 15, 6), (20, 1, 12), (20, 4, 13), (25, 5, 16),
              (40, 2, 24), (64, 3, 40), (100, 5, 8), (200, 1, 7),
              (1000, 1, 4), (300, 6, 28))
    for n, (me, k, vs) in enumerate(combos):
        bits = bloom_bits(me, k or 5)
        # enough values to set a good share of the bits: false positives
        nin = max(4, min(bits // (k or 5), 100))
        s = S('fp_%02d' % n, 'false positives with BPF_F_ZERO_SEED, exact: '
              'max_entries %d, map_extra %d (%d hashes), value_size %d '
              '(%s) -> a %d-bit array; %d values pushed, each peeked, then '
              '%d values never pushed peeked from user space and from a '
              'program' % (me, k, k or 5, vs,
                           'jhash2' if vs % 4 == 0 else 'jhash', bits, nin,
                           80))
        s.create(T, 0, vs, me, flags=Z, map_extra=k or None)
        for i in range(nin):
            if i % 3 == 2:
                s.push(fp_value(vs, i))
            else:
                s.qpush(fp_value(vs, i))
        for i in range(0, nin, 3):
            s.qlookup(fp_value(vs, i))
        for i in range(1000, 1080):
            if i % 4 == 3:
                s.peek(fp_value(vs, i), cpu=i % 8 // 4)
            else:
                s.qlookup(fp_value(vs, i))

    s = S('sizing', 'the bit array\'s size at its boundaries: max_entries '
          '* hashes / 5 * 7 (integer division first) bits, at least 64, '
          'rounded up to a power of two; 16 values pushed (one hash each '
          'but the first) and 48 absent ones peeked show which size it is '
          '(ZERO_SEED)')
    for me, k in ((1, 15), (9, 5), (10, 5), (45, 1), (46, 1), (49, 1),
                  (50, 1), (91, 1), (95, 1), (182, 1), (183, 1), (186, 1),
                  (1, 1)):
        s.create(T, 0, 4, me, flags=Z, map_extra=k)
        for i in range(16):
            s.qpush(fp_value(4, 3000 + i))
        for i in range(2000, 2048):
            s.qlookup(fp_value(4, i))
        s.close()

    s = S('sizing_huge', 'max_entries * hashes past 2^31 bits (or past a '
          'u32): the array has 2^32 bits (512 MiB), mask 0xffffffff '
          '(ZERO_SEED)')
    for me, k in ((0xffffffff, 1), (0x80000000, 1)):
        s.create(T, 0, 4, me, flags=Z, map_extra=k)
        for i in range(8):
            s.qpush(fp_value(4, i))
        for i in range(0, 16):
            s.qlookup(fp_value(4, i))
        s.close()

    s = S('random_seed', 'without BPF_F_ZERO_SEED the seed is random: '
          'pushed values are always found, an empty filter finds nothing, '
          'a large sparse one (2^17 bits, 5 hashes, 6 values) practically '
          'never a false positive')
    s.create(T, 0, 8, 16384)
    for i in range(20):
        s.qlookup(fp_value(8, i))
    for i in range(6):
        s.qpush(fp_value(8, i))
        s.push(pval(8, i), cpu=i % 2)
    for i in range(6):
        s.qlookup(fp_value(8, i))
        s.peek(pval(8, i))
    for i in range(100, 140):
        s.qlookup(fp_value(8, i))
        s.peek(fp_value(8, i + 100))
    s.close()

    s = S('prog_push_peek', 'programs: bpf_map_push_elem (flags other than '
          'BPF_ANY EINVAL; never full) and bpf_map_peek_elem with the '
          'value as input (nothing written back), on CPU 0 and 1, value '
          'sizes 1 to 4096, 2 x max_entries pushes')
    for vs in (1, 4, 6, 64, 4096):
        s.create(T, 0, vs, 4, flags=Z, map_extra=3)
        for fl in (None, ANY, NOEXIST, EXIST, LOCK, 8, 1 << 32):
            s.push(fp_value(vs, 1), flags=fl)
        for i in range(2, 10):
            s.push(fp_value(vs, i), cpu=i % 2)
        for i in range(0, 14):
            s.peek(fp_value(vs, i), cpu=i % 2)
            s.qlookup(fp_value(vs, i))
        s.peek()
        s.close()

    rng = random.Random(SEED + 30)
    for n in range(4):
        me = rng.choice((2, 5, 10, 30))
        vs = rng.choice((2, 4, 5, 8, 11, 16))
        k = rng.choice((0, 1, 2, 3, 7))
        s = S('random_%d' % n, 'a seeded mix of syscall and program pushes '
              'and peeks, with flags (max_entries %d, value_size %d, '
              'map_extra %d), ZERO_SEED' % (me, vs, k))
        s.create(T, 0, vs, me, flags=Z, map_extra=k or None)
        for i in range(160):
            v = fp_value(vs, rng.randrange(60))
            r = rng.random()
            if r < 0.2:
                s.qpush(v, flags=rng.choice((None, None, None, EXIST)))
            elif r < 0.35:
                s.push(v, flags=rng.choice((None, None, None, NOEXIST)),
                       cpu=rng.choice((None, 1)))
            elif r < 0.75:
                s.qlookup(v)
            else:
                s.peek(v, cpu=rng.choice((None, 1)))
    return out


def build():
    return gen_queue_stack('QUEUE') + gen_queue_stack('STACK') + \
        gen_bloom()

#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Generate the bpfemu conformance corpus for BPF_MAP_TYPE_HASH,
PERCPU_HASH, ARRAY, PERCPU_ARRAY, LPM_TRIE, LRU_HASH and LRU_PERCPU_HASH.

    python3 tests/gen/gen_corpus.py [--out tests/corpus]
    python3 tests/gen/gen_corpus.py --check [--out tests/corpus]
    python3 tests/gen/gen_corpus.py --stats

The first form (re)writes tests/corpus/<family>/<name>.scn for the families
hash, percpu_hash, array, percpu_array and common; lpm_trie (gen_lpm.py,
which extends the model below with the trie's rules); queue, stack and
bloom_filter (gen_qsb.py, on this module's model); lru_hash and
lru_percpu_hash (gen_lru.py, whose results no model predicts) (scenario
format: tests/corpus/FORMAT.md). It first deletes every .scn file in those
directories (they belong to this generator), so removed cases do not
linger. The files hold the operations only; the results come from the live
kernel: `build/bpfemu-harness record tests/corpus/<family>/*.scn`.
Re-running the generator therefore drops recorded results: record again.

Output is deterministic (fixed seed, no dependence on the host).

The generator carries a small model of the rules in the spec notes
(shared/spec/hash-maps.md §1, §2, §5; array-lpm-queue-maps.md §1, §2),
jhash included, for two purposes:
  - to build meaningful sequences (walk a ZERO_SEED hash map key by key in
    its bucket order, pick keys that share a bucket, chain batch cookies);
  - `--check`: compare the recorded kernel results with what the model
    expected. A difference is either a generator bug (a scenario that does
    not test what it meant to) or kernel behaviour the notes do not
    describe. The model is a triage aid only: the kernel is the authority
    and the recorded files are the corpus.

Where the model departs from the notes it follows what 6.18.44 recorded:
NUMA_NODE with numa_node 0xffffffff (NUMA_NO_NODE) is accepted on per-CPU
types; map names accept the Latin-1 letters of the kernel's isalnum();
OBJ_GET_INFO_BY_FD on a closed fd is EBADFD; MAP_GET_NEXT_ID from
start_id >= INT_MAX is EINVAL; OBJ_GET_INFO_BY_FD reads the caller's
struct first (see Machine.info).

Per-CPU buffers are generated for 2 possible CPUs (the recording host).

The program side (issue 3): <type>/prog_*.scn run map helpers from BPF
programs (`side=prog`, `push`, `pop`, `peek`, `lookup_percpu`), alone and
mixed with syscalls on the same map, on CPU 0 and CPU 1 (`cpu=`);
<type>/cpu_sys.scn runs syscalls on CPU 1. They sit beside the type's
syscall files rather than in a directory of their own: a type's directory
holds all the type does, and the glob tests/corpus/*/prog_*.scn selects
the program side. The model follows the helpers too (see
Machine.prog_lookup): what the verifier refuses, the helpers' own flag
order, the current CPU's slot of a per-CPU value. It leaves the padding
bytes of a per-CPU element a program creates unknown (`??` in --check).

Element reuse: percpu_hash/reuse_*.scn (gen_reuse) show which freed
element a program insert into a PERCPU_HASH gets: its padding bytes keep
the previous owner's, and the syscall values tag each slot's padding with
the key number and CPU. Preallocated maps (per-CPU LIFO free lists,
max_entries shared over the CPUs, wrap to the next CPU, E2BIG) and
NO_PREALLOC ones (memalloc.c per-CPU object caches); hash/reuse.scn and
percpu_array/prog_padding.scn do the same for the other two types. The
model checks everything there but those padding bytes (`??`).
"""

import argparse
import os
import random
import re
import struct
import sys

NCPUS = 2                     # possible CPUs of the recording host
SEED = 0x62706665             # "bpfe": the one seed of every random choice
ATTR_SIZE = 168               # sizeof(union bpf_attr) on 6.18
PAGE_SIZE = 4096
MAP_INFO_SIZE = 104           # sizeof(struct bpf_map_info) on 6.18
FAMILIES = ('hash', 'percpu_hash', 'array', 'percpu_array', 'common',
            'lpm_trie',                           # gen_lpm
            'queue', 'stack', 'bloom_filter',     # gen_qsb
            'lru_hash', 'lru_percpu_hash')        # gen_lru
PERCPU_NOTE = 'per-CPU buffers assume 2 possible CPUs'
UNUSED_ID = 0x7ffffff0        # a map id / fd number nobody has
INFO_NO_HASH = 88             # struct bpf_map_info up to map_extra (no hash)
BAD_FD_LE = 'f0ffff7f'        # UNUSED_ID as a little-endian u32 (poke bytes)
PROG_ONLY_OPS = ('push', 'pop', 'peek', 'lookup_percpu')

# --- UAPI constants (include/uapi/linux/bpf.h) -------------------------------

MAP_TYPES = {'HASH': 1, 'ARRAY': 2, 'PERCPU_HASH': 5, 'PERCPU_ARRAY': 6,
             'LPM_TRIE': 11}
KNOWN_TYPE_MAX = 33           # BPF_MAP_TYPE_ARENA, the last type of 6.18
STRUCT_OPS, BLOOM_FILTER, ARENA = 26, 30, 33   # types no emulator family has

MAP_FLAG_BITS = ['NO_PREALLOC', 'NO_COMMON_LRU', 'NUMA_NODE', 'RDONLY',
                 'WRONLY', 'STACK_BUILD_ID', 'ZERO_SEED', 'RDONLY_PROG',
                 'WRONLY_PROG', 'CLONE', 'MMAPABLE', 'PRESERVE_ELEMS',
                 'INNER_MAP', 'LINK', 'PATH_FD', 'VTYPE_BTF_OBJ_FD',
                 'TOKEN_FD']
F = {name: 1 << bit for bit, name in enumerate(MAP_FLAG_BITS)}
ANY, NOEXIST, EXIST, LOCK = 0, 1, 2, 4
ELEM_NAMES = {1: 'NOEXIST', 2: 'EXIST', 4: 'LOCK'}
ACCESS_MASK = F['RDONLY'] | F['WRONLY'] | F['RDONLY_PROG'] | F['WRONLY_PROG']

HASH_CREATE_FLAGS = (F['NO_PREALLOC'] | F['NO_COMMON_LRU'] | F['NUMA_NODE'] |
                     ACCESS_MASK | F['ZERO_SEED'])
ARRAY_CREATE_FLAGS = (F['NUMA_NODE'] | F['MMAPABLE'] | ACCESS_MASK |
                      F['PRESERVE_ELEMS'] | F['INNER_MAP'])

# Where each command's last attr field ends (CHECK_ATTR), 6.18 layout.
ATTR_END = {
    'create': 92, 'lookup': 32, 'update': 32, 'lookup_and_delete': 32,
    'delete': 16, 'next': 24, 'freeze': 4,
    'lookup_batch': 56, 'lookup_and_delete_batch': 56, 'update_batch': 56,
    'delete_batch': 56, 'pin': 20, 'get': 20, 'next_id': 8,
    'get_fd_by_id': 12, 'info': 16,
}

# MAP_CREATE attr offsets (6.18)
OFF_NAME = 28
OFF_IFINDEX = 44
OFF_BTF_FD = 48
OFF_BTF_KEY = 52
OFF_BTF_VALUE = 56
OFF_BTF_VMLINUX = 60
OFF_VTYPE_BTF_OBJ_FD = 72
OFF_TOKEN_FD = 76
OFF_EXCL_HASH = 80
OFF_EXCL_HASH_SIZE = 88


def kernel_isalnum(c):
    """isalnum() of the kernel's lib/ctype.c, which classifies Latin-1:
    0xc0-0xd6, 0xd8-0xde upper, 0xdf-0xf6, 0xf8-0xff lower."""
    if c < 0x80:
        return chr(c).isalnum()
    return 0xc0 <= c <= 0xff and c not in (0xd7, 0xf7)


def roundup8(n):
    return (n + 7) & ~7


def next_pow2(n):
    p = 1
    while p < n:
        p <<= 1
    return p


def le32(i):
    return (i & 0xffffffff).to_bytes(4, 'little')


def hexs(b, group=0):
    """bytes -> hex, with '_' every `group` bytes (readability only)."""
    h = b.hex()
    if not group or len(b) <= group:
        return h
    g = group * 2
    return '_'.join(h[i:i + g] for i in range(0, len(h), g))


def fmt_num(n):
    return str(n) if n < 16 else '0x%x' % n


def fmt_size(n):
    """Sizes in decimal, except the bit-pattern-like big ones."""
    return str(n) if n < (1 << 24) else '0x%x' % n


def fmt_map_flags(flags):
    if flags == 0:
        return '0'
    names, rest = [], flags
    for bit, name in enumerate(MAP_FLAG_BITS):
        if flags & (1 << bit):
            names.append(name)
            rest &= ~(1 << bit)
    if rest:
        names.append('0x%x' % rest)
    return '|'.join(names)


def fmt_elem_flags(flags):
    if flags == 0:
        return 'ANY'
    if flags & ~7 or flags == 3 or flags == 7:
        return fmt_num(flags)
    return '|'.join(ELEM_NAMES[b] for b in (1, 2, 4) if flags & b)


def fmt_file_flags(flags):
    return fmt_map_flags(flags)


# --- jhash (hash-maps.md §5, Bob Jenkins' lookup3) ---------------------------

_M = 0xffffffff


def _rol(x, r):
    return ((x << r) | (x >> (32 - r))) & _M


def _w(b, i):
    return int.from_bytes(b[i:i + 4], 'little')


def jhash(data, initval=0):
    n = len(data)
    a = b = c = (0xdeadbeef + n + initval) & _M
    i = 0
    while n - i > 12:
        a = (a + _w(data, i)) & _M
        b = (b + _w(data, i + 4)) & _M
        c = (c + _w(data, i + 8)) & _M
        a = (a - c) & _M; a ^= _rol(c, 4); c = (c + b) & _M
        b = (b - a) & _M; b ^= _rol(a, 6); a = (a + c) & _M
        c = (c - b) & _M; c ^= _rol(b, 8); b = (b + a) & _M
        a = (a - c) & _M; a ^= _rol(c, 16); c = (c + b) & _M
        b = (b - a) & _M; b ^= _rol(a, 19); a = (a + c) & _M
        c = (c - b) & _M; c ^= _rol(b, 4); b = (b + a) & _M
        i += 12
    if n - i == 0:
        return c
    t = data[i:] + bytes(12 - (n - i))
    a = (a + _w(t, 0)) & _M
    b = (b + _w(t, 4)) & _M
    c = (c + _w(t, 8)) & _M
    c ^= b; c = (c - _rol(b, 14)) & _M
    a ^= c; a = (a - _rol(c, 11)) & _M
    b ^= a; b = (b - _rol(a, 25)) & _M
    c ^= b; c = (c - _rol(b, 16)) & _M
    a ^= c; a = (a - _rol(c, 4)) & _M
    b ^= a; b = (b - _rol(a, 14)) & _M
    c ^= b; c = (c - _rol(b, 24)) & _M
    return c


assert jhash(bytes.fromhex('01000000')) == 0x72a82a9b
assert jhash(b'Four score and seven years ago', 1) == 0xcd628161


# --- keys and values ---------------------------------------------------------

def _nz(x):
    """A byte that is neither 0 nor the harness' 0xAA fill pattern."""
    x &= 0xff
    return 0x5a if x in (0, 0xaa) else x


def key_bytes(ks, i):
    """Key number i of a key_size-ks map (for ks <= 4: i, little-endian)."""
    if ks <= 4:
        return (i & ((1 << (8 * ks)) - 1)).to_bytes(ks, 'little')
    tail = bytes(_nz(i * 0x2f + j * 0x45 + 0x11) for j in range(ks - 4))
    return le32(i) + tail


def plain_value(vs, i, ver):
    return bytes(_nz(i * 0x35 + ver * 0x5b + j * 0x0d + 0x21)
                 for j in range(vs))


def percpu_value(vs, i, ver):
    """NCPUS slots of round_up(vs, 8): distinct bytes per CPU, non-zero
    padding (the kernel stores and returns the padding verbatim)."""
    r = roundup8(vs)
    out = b''
    for c in range(NCPUS):
        out += bytes(_nz(i * 0x35 + ver * 0x5b + c * 0x71 + j * 0x0d + 0x21)
                     for j in range(vs))
        out += bytes(_nz(0xa1 + c * 0x10 + ver * 0x03 + i + j)
                     for j in range(r - vs))
    return out


class Geo:
    """The geometry of one map as the generator created it."""

    def __init__(self, mtype, ks, vs, me, flags=0):
        self.mtype, self.ks, self.vs, self.me, self.flags = \
            mtype, ks, vs, me, flags
        self.percpu = mtype in ('PERCPU_HASH', 'PERCPU_ARRAY')
        self.is_hash = mtype in ('HASH', 'PERCPU_HASH')
        self.vlen = roundup8(vs) * NCPUS if self.percpu else vs
        self.vgroup = roundup8(vs) if self.percpu else vs

    def k(self, i):
        return key_bytes(self.ks, i)

    def v(self, i, ver=0):
        if self.percpu:
            return percpu_value(self.vs, i, ver)
        return plain_value(self.vs, i, ver)

    def pv(self, i, ver=0):
        """A program-side value: value_size bytes (one CPU's), distinct
        from the syscall side's values."""
        return plain_value(self.vs, i, ver + 0x40)


class Fuzzy(bytes):
    """Bytes of which the model knows all but the offsets in `unknown`
    (padding a program-side per-CPU insert leaves as it was, or copies
    from the executor's buffer: hashtab.c pcpu_init_value)."""

    def __new__(cls, data, unknown=()):
        o = super().__new__(cls, data)
        o.unknown = frozenset(unknown)
        return o

    def hex(self):
        h = bytes(self).hex()
        return ''.join('??' if i in self.unknown else h[2 * i:2 * i + 2]
                       for i in range(len(self)))


def fz(data, unknown):
    return Fuzzy(data, unknown) if unknown else bytes(data)


def fz_slice(b, off, n):
    u = {i - off for i in getattr(b, 'unknown', ()) if off <= i < off + n}
    return fz(bytes(b)[off:off + n], u)


def fz_splice(b, off, data):
    """b with data (bytes or Fuzzy) written at off."""
    u = {i for i in getattr(b, 'unknown', ())
         if not off <= i < off + len(data)}
    u |= {off + i for i in getattr(data, 'unknown', ())}
    return fz(bytes(b)[:off] + bytes(data) + bytes(b)[off + len(data):], u)


def fz_join(parts):
    out = b''
    for p in parts:
        out = fz_splice(out, len(out), p)
    return out


def hexmatch(got, want):
    """A recorded hex string against the model's ('?' = any digit)."""
    return len(got) == len(want) and \
        all(w in ('?', g) for g, w in zip(got, want))


# --- the model ---------------------------------------------------------------
#
# Pred(ret, outs): ret is the result token ('0', 'fd', '-EINVAL' ...); outs a
# dict of outputs the model is sure of, or None when it predicts only ret.

class Pred:
    def __init__(self, ret, outs=None):
        self.ret, self.outs = ret, outs


class Unknown(Exception):
    """The model cannot predict this op (and maybe nothing after it)."""


class MapObj:
    next_id = 1

    def __init__(self, mtype, ks, vs, me, flags, name):
        self.mtype, self.ks, self.vs, self.me = mtype, ks, vs, me
        self.flags = flags & ~(F['RDONLY'] | F['WRONLY'] | F['TOKEN_FD'])
        self.name = name
        self.id = MapObj.next_id
        MapObj.next_id += 1
        self.frozen = False
        self.unknown = False          # contents no longer predictable
        self.percpu = mtype in ('PERCPU_HASH', 'PERCPU_ARRAY')
        self.is_hash = mtype in ('HASH', 'PERCPU_HASH')
        self.vlen = roundup8(vs) * NCPUS if self.percpu else vs
        if self.is_hash:
            self.nb = next_pow2(me)
            self.ordered = bool(flags & F['ZERO_SEED'])
            self.buckets = {}          # index -> [[key, value]], head first
            self.count = 0
        else:
            self.vals = {}             # index -> value (default: zeroes)

    # hash
    def bidx(self, key):
        return jhash(key) & (self.nb - 1)

    def find(self, key):
        for e in self.buckets.get(self.bidx(key), []):
            if e[0] == key:
                return e
        return None

    def insert_head(self, key, val):
        self.buckets.setdefault(self.bidx(key), []).insert(0, [key, val])
        self.count += 1

    def remove(self, key):
        b = self.buckets[self.bidx(key)]
        for i, e in enumerate(b):
            if e[0] == key:
                del b[i]
                self.count -= 1
                return e
        raise KeyError(key)

    def walk(self):
        """Keys in GET_NEXT_KEY order (exact only if self.ordered)."""
        out = []
        for b in sorted(self.buckets):
            out += [e[0] for e in self.buckets[b]]
        return out

    def hash_next(self, key):
        """-> next key or None (ENOENT); hash-maps.md §2.6."""
        start = 0
        if key is not None:
            b = self.bidx(key)
            lst = self.buckets.get(b, [])
            for i, e in enumerate(lst):
                if e[0] == key:
                    if i + 1 < len(lst):
                        return lst[i + 1][0]
                    start = b + 1
                    break
        for b in sorted(self.buckets):
            if b >= start and self.buckets[b]:
                return self.buckets[b][0][0]
        return None

    # array
    def aval(self, idx):
        return self.vals.get(idx, bytes(self.vlen))

    def array_next(self, key):
        if key is None:
            return 0
        idx = int.from_bytes(key, 'little')
        if idx >= self.me:
            return 0
        if idx == self.me - 1:
            return None
        return idx + 1

    def contents(self):
        """[(key, value)] in walk order."""
        if self.is_hash:
            out = []
            for b in sorted(self.buckets):
                out += [(e[0], e[1]) for e in self.buckets[b]]
            return out
        return [(le32(i), self.aval(i)) for i in range(self.me)]


class Slot:
    def __init__(self, m, mode):
        self.m, self.mode, self.open = m, mode, True


def attr_check(cmd, attr_size, pokes):
    """The bpf() entry and CHECK_ATTR rules; -> errno token or None.
    Raises Unknown when a poke lands inside the command's own fields."""
    size = ATTR_SIZE if attr_size is None else attr_size
    if size > PAGE_SIZE:
        return '-E2BIG'
    end = ATTR_END[cmd]
    nonzero = [off + i for off, b in pokes for i, x in enumerate(b) if x]
    if any(ATTR_SIZE <= o < size for o in nonzero):
        return '-E2BIG'
    if any(end <= o < min(size, ATTR_SIZE) for o in nonzero):
        return '-EINVAL'
    if cmd != 'create':
        if any(o < end for o in nonzero):
            raise Unknown('poke inside the fields')
    return None


def cut(attr_size, off, width=8):
    """True if the attr field at [off, off+width) lies past attr_size (the
    kernel then reads it as zero)."""
    size = ATTR_SIZE if attr_size is None else attr_size
    if size >= off + width:
        return False
    if size <= off:
        return True
    raise Unknown('field partly cut')


class Machine:
    """Model of one scenario run: fd slots, maps, pins."""

    def __init__(self):
        self.slots = []
        self.pins = {}
        self.lost = False              # a create/get the model could not call

    def newest(self):
        for i in range(len(self.slots) - 1, -1, -1):
            if self.slots[i].open:
                return i
        return None

    def resolve(self, fd):
        """-> (Slot, None) or (None, errno)."""
        if fd == 'closed':
            return None, '-EBADF'
        if fd == 'notmap':
            return None, '-EINVAL'
        if self.lost:
            raise Unknown('slots unknown')
        idx = self.newest() if fd is None else fd
        if idx is None or idx >= len(self.slots):
            raise Unknown('no such slot')
        s = self.slots[idx]
        if not s.open:
            return None, '-EBADF'
        return s, None

    @staticmethod
    def can_read(s):
        return 'r' in s.mode

    @staticmethod
    def can_write(s):
        return 'w' in s.mode and not s.m.frozen

    def add_slot(self, m, mode):
        self.slots.append(Slot(m, mode))

    # --- create
    def create(self, a, attr_size, pokes):
        buf = bytearray(max(ATTR_SIZE, attr_size or 0, 256))
        struct.pack_into('<IIIIIII', buf, 0, a['type'], a['ks'], a['vs'],
                         a['me'], a['flags'], 0, a['numa'])
        buf[OFF_NAME:OFF_NAME + len(a['name'][:16])] = a['name'][:16]
        struct.pack_into('<Q', buf, 64, a['extra'])
        for off, b in pokes:
            buf[off:off + len(b)] = b
        e = attr_check('create', attr_size, pokes)
        if e:
            return Pred(e)
        size = ATTR_SIZE if attr_size is None else min(attr_size, ATTR_SIZE)
        buf[size:] = bytes(len(buf) - size)
        (mtype, ks, vs, me, flags, inner, numa) = struct.unpack_from(
            '<IIIIIII', buf, 0)
        name = bytes(buf[OFF_NAME:OFF_NAME + 16])
        ifindex, btf_fd, btf_key, btf_value, btf_vml = struct.unpack_from(
            '<IIIII', buf, OFF_IFINDEX)
        extra, = struct.unpack_from('<Q', buf, 64)
        vtype_fd, token_fd = struct.unpack_from('<II', buf,
                                                OFF_VTYPE_BTF_OBJ_FD)
        excl_ptr, excl_size = struct.unpack_from('<QI', buf, OFF_EXCL_HASH)
        token = flags & F['TOKEN_FD']
        flags &= ~F['TOKEN_FD']
        if ifindex or vtype_fd or (token_fd and not token) or inner:
            raise Unknown('create field the model does not cover')
        if btf_vml:
            return Pred('-EINVAL')
        if btf_key and not btf_value:
            return Pred('-EINVAL')
        if extra:
            return Pred('-EINVAL')
        if flags & F['RDONLY'] and flags & F['WRONLY']:
            return Pred('-EINVAL')
        # bpf_map_attr_numa_node(): the node only counts with NUMA_NODE;
        # 0xffffffff is NUMA_NO_NODE. Only node 0 is online here.
        node = numa if flags & F['NUMA_NODE'] and numa != 0xffffffff \
            else None
        if node is not None and node != 0:
            return Pred('-EINVAL')
        names = {v: k for k, v in MAP_TYPES.items()}
        if mtype == 0 or mtype > KNOWN_TYPE_MAX:
            return Pred('-EINVAL')
        if mtype not in names:
            raise Unknown('map type not modelled')
        t = names[mtype]
        e = self.alloc_check(t, ks, vs, me, flags, node)
        if e:
            return Pred(e)
        if token:
            if token_fd == UNUSED_ID:
                return Pred('-EBADF')
            raise Unknown('token fd')
        e = self.alloc_errno(t, ks, vs, me, flags)
        if e:
            return Pred(e)
        nm = name.split(b'\0')[0]
        if b'\0' not in name or not all(kernel_isalnum(c) or c in b'_.'
                                          for c in nm):
            return Pred('-EINVAL')
        if btf_key or btf_value:
            if btf_fd == UNUSED_ID:
                return Pred('-EBADF')
            raise Unknown('btf')
        if excl_size and not excl_ptr:
            return Pred('-EINVAL')
        if excl_ptr:
            raise Unknown('excl_prog_hash')
        m = self.new_map(t, ks, vs, me, flags, nm)
        mode = 'r' if flags & F['RDONLY'] else 'w' if flags & F['WRONLY'] \
            else 'rw'
        self.add_slot(m, mode)
        return Pred('fd')

    # the type's own create rules: overridden for types of other modules
    # (gen_lpm.py); these are the hash and array ones
    def alloc_check(self, t, ks, vs, me, flags, numa):
        """The type's map_alloc_check: errno token or None."""
        if t.endswith('HASH'):
            return self.hash_alloc_check(t, ks, vs, me, flags, numa)
        return self.array_alloc_check(t, ks, vs, me, flags, numa)

    @staticmethod
    def alloc_errno(t, ks, vs, me, flags):
        """What the type's map_alloc fails with: errno token or None."""
        if t.endswith('HASH'):
            return '-E2BIG' if me > (1 << 27) else None
        mult = NCPUS if t == 'PERCPU_ARRAY' else 1
        if me * roundup8(vs) * mult > (256 << 20):
            raise Unknown('huge array')
        return None

    @staticmethod
    def new_map(t, ks, vs, me, flags, name):
        return MapObj(t, ks, vs, me, flags, name)

    @staticmethod
    def hash_alloc_check(t, ks, vs, me, flags, numa):
        # hash-maps.md §2.1 rows 1-8 (root: ZERO_SEED allowed)
        if flags & ~HASH_CREATE_FLAGS:
            return '-EINVAL'
        if flags & F['RDONLY_PROG'] and flags & F['WRONLY_PROG']:
            return '-EINVAL'
        if flags & F['NO_COMMON_LRU']:
            return '-EINVAL'
        if numa is not None and t == 'PERCPU_HASH':
            return '-EINVAL'
        if me == 0 or ks == 0 or vs == 0:
            return '-EINVAL'
        if ks + vs >= (4 << 20) - 48:
            return '-E2BIG'
        if t == 'PERCPU_HASH' and roundup8(vs) > 32768:
            return '-E2BIG'
        return None

    @staticmethod
    def array_alloc_check(t, ks, vs, me, flags, numa):
        # array-lpm-queue-maps.md §2.1
        if me == 0 or ks != 4 or vs == 0:
            return '-EINVAL'
        if flags & ~ARRAY_CREATE_FLAGS:
            return '-EINVAL'
        if flags & F['RDONLY_PROG'] and flags & F['WRONLY_PROG']:
            return '-EINVAL'
        if t == 'PERCPU_ARRAY' and numa is not None:
            return '-EINVAL'
        if flags & (F['MMAPABLE'] | F['INNER_MAP']) and t != 'ARRAY':
            return '-EINVAL'
        if flags & F['PRESERVE_ELEMS']:
            return '-EINVAL'
        if vs > 0x7fffffff:
            return '-E2BIG'
        if t == 'PERCPU_ARRAY' and roundup8(vs) > 32768:
            return '-E2BIG'
        return None

    # --- element commands
    @staticmethod
    def cut_elem(attr_size, key, vnull, flags):
        """Elements attrs: map_fd @0, key @8, value/next_key @16, flags @24."""
        if cut(attr_size, 0, 4):
            raise Unknown('map_fd 0')
        if cut(attr_size, 8):
            key = None
        if cut(attr_size, 16):
            vnull = True
        if cut(attr_size, 24):
            flags = 0
        return key, vnull, flags

    def _map(self, s):
        if s.m.unknown:
            raise Unknown('map contents unknown')
        return s.m

    def lookup(self, fd, key, flags, vnull, attr_size, pokes):
        e = attr_check('lookup', attr_size, pokes)
        if e:
            return Pred(e)
        key, vnull, flags = self.cut_elem(attr_size, key, vnull, flags)
        if flags & ~LOCK:
            return Pred('-EINVAL')
        s, e = self.resolve(fd)
        if e:
            return Pred(e)
        if not self.can_read(s):
            return Pred('-EPERM')
        if flags & LOCK:
            return Pred('-EINVAL')
        if key is None:
            return Pred('-EFAULT')
        m = self._map(s)
        val = self.elem(m, key)
        if val is None:
            return Pred('-ENOENT')
        if vnull:
            return Pred('-EFAULT')
        return Pred('0', {'value': val})

    def update(self, fd, key, val, flags, attr_size, pokes):
        e = attr_check('update', attr_size, pokes)
        if e:
            return Pred(e)
        key, vnull, flags = self.cut_elem(attr_size, key, val is None, flags)
        val = None if vnull else val
        s, e = self.resolve(fd)
        if e:
            return Pred(e)
        if not self.can_write(s):
            return Pred('-EPERM')
        if flags & LOCK:
            return Pred('-EINVAL')
        if key is None or val is None:
            return Pred('-EFAULT')
        m = self._map(s)
        return Pred(self.do_update(m, key, val, flags))

    @staticmethod
    def do_update(m, key, val, flags):
        if flags > EXIST:
            return '-EINVAL'
        if m.is_hash:
            el = m.find(key)
            if el is not None:
                if flags == NOEXIST:
                    return '-EEXIST'
                if m.percpu:
                    el[1] = val
                else:
                    m.remove(key)
                    m.insert_head(key, val)
                return '0'
            if flags == EXIST:
                return '-ENOENT'
            if m.count >= m.me:
                return '-E2BIG'
            m.insert_head(key, val)
            return '0'
        idx = int.from_bytes(key, 'little')
        if idx >= m.me:
            return '-E2BIG'
        if flags == NOEXIST:
            return '-EEXIST'
        m.vals[idx] = val
        return '0'

    def delete(self, fd, key, flags, attr_size, pokes):
        if flags:
            pokes = pokes + [(24, flags.to_bytes(8, 'little'))]
        e = attr_check('delete', attr_size, pokes)
        if e:
            return Pred(e)
        key, _, _ = self.cut_elem(attr_size, key, False, 0)
        s, e = self.resolve(fd)
        if e:
            return Pred(e)
        if not self.can_write(s):
            return Pred('-EPERM')
        if key is None:
            return Pred('-EFAULT')
        m = self._map(s)
        return Pred(self.do_delete(m, key))

    @staticmethod
    def do_delete(m, key):
        if not m.is_hash:
            return '-EINVAL'
        if m.find(key) is None:
            return '-ENOENT'
        m.remove(key)
        return '0'

    def next(self, fd, key, nnull, attr_size, pokes):
        e = attr_check('next', attr_size, pokes)
        if e:
            return Pred(e)
        key, nnull, _ = self.cut_elem(attr_size, key, nnull, 0)
        s, e = self.resolve(fd)
        if e:
            return Pred(e)
        if not self.can_read(s):
            return Pred('-EPERM')
        m = self._map(s)
        if m.is_hash:
            if not m.ordered:
                if m.count == 0:
                    return Pred('-ENOENT')
                present = key is not None and m.find(key) is not None
                if present and m.count > 1:
                    raise Unknown('unseeded order')
                if present:
                    return Pred('-ENOENT')
                return Pred('-EFAULT' if nnull else '0')
            nk = m.hash_next(key)
        else:
            nk = self.next_key(m, key)
        if nk is None:
            return Pred('-ENOENT')
        if nnull:
            return Pred('-EFAULT')
        return Pred('0', {'key': nk})

    def lookup_and_delete(self, fd, key, flags, vnull, attr_size, pokes):
        e = attr_check('lookup_and_delete', attr_size, pokes)
        if e:
            return Pred(e)
        key, vnull, flags = self.cut_elem(attr_size, key, vnull, flags)
        if flags & ~LOCK:
            return Pred('-EINVAL')
        s, e = self.resolve(fd)
        if e:
            return Pred(e)
        if not (self.can_read(s) and self.can_write(s)):
            return Pred('-EPERM')
        if flags & LOCK:
            return Pred('-EINVAL')
        if key is None:
            return Pred('-EFAULT')
        m = self._map(s)
        if not m.is_hash:
            return Pred('-ENOTSUPP')
        el = m.find(key)
        if el is None:
            return Pred('-ENOENT')
        m.remove(key)
        if vnull:
            return Pred('-EFAULT')
        return Pred('0', {'value': el[1]})

    def freeze(self, fd, attr_size, pokes):
        e = attr_check('freeze', attr_size, pokes)
        if e:
            return Pred(e)
        if cut(attr_size, 0, 4):
            raise Unknown('map_fd 0')
        s, e = self.resolve(fd)
        if e:
            return Pred(e)
        if not self.can_write(s):
            return Pred('-EPERM')
        s.m.frozen = True
        return Pred('0')

    # --- batch commands (hash-maps.md §1.10, §2.7; syscall.c generic_*)
    def batch(self, op, fd, a, attr_size, pokes):
        e = attr_check(op, attr_size, pokes)
        if e:
            return Pred(e)
        if cut(attr_size, 36, 4):
            raise Unknown('map_fd 0')
        a = dict(a)
        for k, off in (('in', 0), ('out_null', 8), ('keys', 16),
                       ('values', 24), ('count', 32), ('elem_flags', 40),
                       ('flags', 48)):
            if cut(attr_size, off, 4 if k == 'count' else 8):
                if k in ('in', 'keys', 'values'):
                    a[k] = None
                    a[k + '_null'] = True
                elif k == 'out_null':
                    a[k] = True
                else:
                    a[k] = 0
        s, e = self.resolve(fd)
        if e:
            return Pred(e)
        reads = op in ('lookup_batch', 'lookup_and_delete_batch')
        writes = op != 'lookup_batch'
        if reads and not self.can_read(s):
            return Pred('-EPERM')
        if writes and not self.can_write(s):
            return Pred('-EPERM')
        if not self.takes_batch(s.m, op):
            return Pred('-ENOTSUPP')
        m = self._map(s)
        ef, count = a['elem_flags'], a['count']
        if ef & ~LOCK or ef & LOCK:
            return Pred('-EINVAL')
        if op in ('lookup_batch', 'lookup_and_delete_batch'):
            if m.is_hash:
                return self.hash_lookup_batch(m, op != 'lookup_batch', a)
            return self.generic_lookup_batch(m, a)
        if count == 0:
            return Pred('0', {})
        keys, vals = a['keys'], a['values']
        cp, ret = 0, '0'
        while cp < count:
            if keys is None or (op == 'update_batch' and vals is None):
                ret = '-EFAULT'
                break
            k = keys[cp]
            if op == 'update_batch':
                ret = self.do_update(m, k, vals[cp], ef)
            else:
                ret = self.do_delete(m, k)
            if ret != '0':
                break
            cp += 1
        return Pred(ret, {'count': cp})

    @staticmethod
    def hash_lookup_batch(m, delete, a):
        if a['flags']:
            return Pred('-EINVAL')
        count = a['count']
        if count == 0:
            return Pred('0', {})
        b = 0 if a['in'] is None else int.from_bytes(a['in'][:4], 'little')
        if b >= m.nb:
            return Pred('-ENOENT', {'count': 0})
        if not m.ordered:
            if a['in'] is not None or count < m.count:
                raise Unknown('unseeded batch')
        total, got, ret = 0, [], '0'
        while True:
            lst = m.buckets.get(b, [])
            n = len(lst)
            if n > count - total:
                ret = '-ENOSPC' if total == 0 else '0'
                break
            if n:
                taken = [tuple(e) for e in lst]
                if delete:
                    for k, _ in taken:
                        m.remove(k)
                if a['keys_null'] or a['values_null']:
                    return Pred('-EFAULT')
                got += taken
                total += n
            b += 1
            if b >= m.nb:
                ret = '-ENOENT'
                break
        if a['out_null']:
            return Pred('-EFAULT')
        outs = {'count': total, 'out': le32(b)}
        if m.ordered and got:
            outs['keys'] = b''.join(k for k, _ in got)
            outs['values'] = fz_join(v for _, v in got)
        return Pred(ret, outs)

    @staticmethod
    def takes_batch(m, op):
        """Has the type this batch op (else BPF_DO_BATCH: ENOTSUPP)?"""
        return m.is_hash or op not in ('lookup_and_delete_batch',
                                       'delete_batch')

    @staticmethod
    def next_key(m, key):
        """GET_NEXT_KEY of a type walked in a fixed order: the next key
        or None (ENOENT)."""
        n = m.array_next(key)
        return None if n is None else le32(n)

    def generic_lookup_batch(self, m, a):
        count = a['count']
        if count == 0:
            return Pred('0', {})
        prev = a['in']
        cp, ret, got = 0, '0', []
        while cp < count:
            k = self.next_key(m, prev)
            if k is None:
                ret = '-ENOENT'
                break
            if a['keys_null'] or a['values_null']:
                return Pred('-EFAULT')
            got.append((k, self.elem(m, k)))
            prev = k
            cp += 1
        if cp and a['out_null']:
            return Pred('-EFAULT')
        outs = {'count': cp}
        if cp:
            outs['out'] = prev
            outs['keys'] = b''.join(k for k, _ in got)
            outs['values'] = fz_join(v for _, v in got)
        return Pred(ret, outs)

    # --- objects
    def pin(self, fd, path, file_flags, attr_size, pokes):
        e = attr_check('pin', attr_size, pokes)
        if e:
            return Pred(e)
        if cut(attr_size, 0, 20):
            raise Unknown('pin fields cut')
        if file_flags & ~F['PATH_FD']:
            return Pred('-EINVAL')
        s, e = self.resolve(fd)
        if e:
            return Pred('-EINVAL')      # bpf_fd_probe_obj: EINVAL, not EBADF
        if path.startswith('@'):
            name = path[1:]
            if '/' in name:
                return Pred('-ENOENT')   # parent directory missing
            if name in self.pins:
                return Pred('-EEXIST')
            self.pins[name] = s.m
            return Pred('0')
        if path.startswith('/tmp/'):
            return Pred('-EPERM')
        return Pred('-ENOENT')

    def get(self, path, file_flags, attr_size, pokes):
        e = attr_check('get', attr_size, pokes)
        if e:
            return Pred(e)
        if cut(attr_size, 0, 20):
            raise Unknown('get fields cut')
        if file_flags & ~(F['RDONLY'] | F['WRONLY'] | F['PATH_FD']):
            return Pred('-EINVAL')
        if file_flags & F['RDONLY'] and file_flags & F['WRONLY']:
            return Pred('-EINVAL')
        if not path.startswith('@'):
            if path == '/etc/passwd':
                return Pred('-EACCES')
            return Pred('-ENOENT')
        if self.lost:
            raise Unknown('slots unknown')
        m = self.pins.get(path[1:])
        if m is None:
            return Pred('-ENOENT')
        self.add_slot(m, self.file_mode(file_flags))
        return Pred('fd')

    @staticmethod
    def file_mode(flags):
        if flags & F['RDONLY']:
            return 'r'
        if flags & F['WRONLY']:
            return 'w'
        return 'rw'

    def unlink(self, path):
        if self.lost:
            raise Unknown('pins unknown')
        name = path[1:]
        if name not in self.pins:
            return Pred('-ENOENT')
        del self.pins[name]
        return Pred('0')

    def close(self, fd):
        if self.lost:
            raise Unknown('slots unknown')
        idx = self.newest() if fd is None else fd
        if idx is None:
            raise Unknown('nothing to close')
        self.slots[idx].open = False
        return Pred('0')

    def info(self, fd, info_len, attr_size, pokes):
        e = attr_check('info', attr_size, pokes)
        if e:
            return Pred(e)
        if cut(attr_size, 0, 4) or cut(attr_size, 8, 8):
            raise Unknown('info fields cut')
        if cut(attr_size, 4, 4):
            info_len = 0
        if fd == 'closed':
            return Pred('-EBADFD')      # OBJ_GET_INFO_BY_FD: EBADFD
        _, e = self.resolve(fd)
        if e:
            return Pred('-EBADFD' if e == '-EBADF' else e)
        n = MAP_INFO_SIZE if info_len is None else info_len
        # 6.18 copies the user's struct in first: with the harness' 0xAA
        # fill of 104 bytes, info.hash/hash_size are non-zero (EINVAL) and
        # so are the padding bytes 100..103 (E2BIG)
        if n > 100:
            return Pred('-E2BIG')
        if n > INFO_NO_HASH:
            return Pred('-EINVAL')
        return Pred('0', {})

    def get_fd_by_id(self, fd, id_, open_flags, attr_size, pokes):
        e = attr_check('get_fd_by_id', attr_size, pokes)
        if e:
            return Pred(e)
        if cut(attr_size, 0, 4):
            id_ = 0
        if cut(attr_size, 8, 4):
            open_flags = 0
        if open_flags & ~(F['RDONLY'] | F['WRONLY']):
            return Pred('-EINVAL')
        if open_flags & F['RDONLY'] and open_flags & F['WRONLY']:
            return Pred('-EINVAL')
        if id_ != 'self':
            return Pred('-ENOENT')
        s, e = self.resolve(fd)
        if e:
            raise Unknown('id of a closed slot')
        self.add_slot(s.m, self.file_mode(open_flags))
        return Pred('fd')

    def next_id(self, fd, id_, attr_size, pokes):
        e = attr_check('next_id', attr_size, pokes)
        if e:
            return Pred(e)
        if cut(attr_size, 0, 4):
            raise Unknown('start id 0')
        if id_ == 'self-1':
            return Pred('0', {'id': 'self'})
        if id_ >= 0x7fffffff:
            return Pred('-EINVAL')      # start_id >= INT_MAX
        if id_ >= 0x7ffffff0:
            return Pred('-ENOENT')
        raise Unknown('next_id')

    # --- the program side: helpers run by BPF_PROG_TEST_RUN (issue 3)
    #
    # Program access is governed by the map's BPF_F_RDONLY_PROG /
    # BPF_F_WRONLY_PROG, never by the fd's mode; a freeze matters only to
    # reads of a RDONLY_PROG ARRAY (the program of an op after the freeze
    # is loaded after it).

    @staticmethod
    def prog_refusal(m, fn, write=False):
        """The verifier's verdict on a program making this call: the
        result token of a refused load, or None if it loads."""
        rdonly = m.flags & F['RDONLY_PROG']
        if rdonly and fn in ('update', 'delete', 'push', 'pop'):
            # verifier.c: record_func_map, before the type check
            return 'refused -EACCES'
        if fn in ('push', 'pop', 'peek') or \
                (fn == 'lookup_percpu' and not m.percpu):
            # verifier.c: check_map_func_compatibility
            return 'refused -EINVAL'
        if fn in ('lookup', 'lookup_percpu') and \
                m.flags & F['WRONLY_PROG']:
            return 'refused -EACCES'    # a load from the value
        if fn == 'lookup' and rdonly and m.frozen and \
                m.mtype == 'ARRAY' and m.me != 1:
            # verifier.c: bpf_map_direct_read; arraymap.c:
            # array_map_direct_value_addr (one element only)
            return 'refused -ENOTSUPP'
        if write and rdonly:
            return 'refused -EACCES'    # a store into the value
        return None

    def _prog_map(self, fd):
        s, e = self.resolve(fd)
        if e:
            raise Unknown('a program on a bad fd')
        return self._map(s)

    @staticmethod
    def elem(m, key):
        """The whole stored value (all CPUs' slots), or None."""
        if m.is_hash:
            el = m.find(key)
            return None if el is None else el[1]
        idx = int.from_bytes(key, 'little')
        return m.aval(idx) if idx < m.me else None

    @staticmethod
    def set_elem(m, key, val):
        if m.is_hash:
            m.find(key)[1] = val
        else:
            m.vals[int.from_bytes(key, 'little')] = val

    @staticmethod
    def slot_off(m, cpu):
        return cpu * roundup8(m.vs) if m.percpu else 0

    def prog_lookup(self, fd, key, write, cpu, target=None):
        """bpf_map_lookup_elem (target None) or
        bpf_map_lookup_percpu_elem(key, target); write: then store these
        bytes through the pointer."""
        m = self._prog_map(fd)
        fn = 'lookup' if target is None else 'lookup_percpu'
        r = self.prog_refusal(m, fn, write is not None)
        if r:
            return Pred(r)
        c = cpu if target is None else target
        if c >= NCPUS:
            return Pred('null')         # cpu >= nr_cpu_ids
        full = self.elem(m, key)
        if full is None:
            return Pred('null')
        off = self.slot_off(m, c)
        val = fz_slice(full, off, m.vs)
        if write is not None:
            self.set_elem(m, key, fz_splice(full, off, write))
        return Pred('0', {'value': val})

    def prog_update(self, fd, key, val, flags, cpu):
        m = self._prog_map(fd)
        r = self.prog_refusal(m, 'update')
        if r:
            return Pred(r)
        if m.is_hash:
            return Pred(self.prog_htab_update(m, key, val, flags, cpu))
        return Pred(self.prog_array_update(m, key, val, flags, cpu))

    def prog_htab_update(self, m, key, val, flags, cpu):
        if not m.percpu:
            # hashtab.c: htab_map_update_elem; BPF_F_LOCK needs a spin
            # lock in the value: the syscall side's rules
            return self.do_update(m, key, val, flags)
        if flags > EXIST:
            return '-EINVAL'    # __htab_percpu_map_update_elem
        el = m.find(key)
        off = self.slot_off(m, cpu)
        if el is not None:
            if flags == NOEXIST:
                return '-EEXIST'
            el[1] = fz_splice(el[1], off, val)  # value_size bytes in place
            return '0'
        if flags == EXIST:
            return '-ENOENT'
        if m.count >= m.me:
            return '-E2BIG'
        # pcpu_init_value: this CPU's value, value_size zeroes on the
        # others; the padding bytes are not the model's to know
        r = roundup8(m.vs)
        pad = {c * r + j for c in range(NCPUS) for j in range(m.vs, r)}
        new = fz(bytes(r * NCPUS), pad)
        m.insert_head(key, fz_splice(new, off, val))
        return '0'

    def prog_array_update(self, m, key, val, flags, cpu):
        # arraymap.c: array_map_update_elem, whose order differs from
        # the syscall's: E2BIG and EEXIST come before the BPF_F_LOCK check
        if (flags & ~LOCK) > EXIST:
            return '-EINVAL'
        idx = int.from_bytes(key, 'little')
        if idx >= m.me:
            return '-E2BIG'
        if flags & NOEXIST:
            return '-EEXIST'
        if flags & LOCK:
            return '-EINVAL'
        m.vals[idx] = fz_splice(m.aval(idx), self.slot_off(m, cpu), val)
        return '0'

    def prog_delete(self, fd, key):
        m = self._prog_map(fd)
        r = self.prog_refusal(m, 'delete')
        if r:
            return Pred(r)
        return Pred(self.do_delete(m, key))

    def prog_queue_op(self, fd, op):
        """push/pop/peek: no map type here takes them."""
        m = self._prog_map(fd)
        r = self.prog_refusal(m, op)
        if r:
            return Pred(r)
        raise Unknown('queue helpers on a type that takes them')


# --- scenario builder --------------------------------------------------------

class Scn:
    """One scenario file: lines of ops (no results) + the model's guesses."""

    def __init__(self, family, name, what, percpu=False):
        assert re.fullmatch(r'[a-z0-9_]+', name), name
        self.family, self.name = family, name
        self.head = ['# ' + what]
        if percpu:
            self.head.append('# ' + PERCPU_NOTE)
        self.head.append('# generated by tests/gen/gen_corpus.py: '
                         'edit the generator, not this file')
        self.lines = []                # (text, Pred or None, mtype or None)
        self.mc = Machine()
        self.geos = []                 # Geo per fd slot (None: not a map)
        self.closed = set()
        self.autoclose = False         # close every map right after create
        self.modelled = True           # --check can follow every op

    # helpers
    def note(self, text):
        self.lines.append(('# ' + text, None, None))

    def blank(self):
        self.lines.append(('', None, None))

    def geo(self, fd=None):
        """Geometry of the slot an op acts on (for formatting only)."""
        if isinstance(fd, int):
            return self.geos[fd] if fd < len(self.geos) else None
        for i in range(len(self.geos) - 1, -1, -1):
            if i not in self.closed:
                return self.geos[i]
        return None

    def _emit(self, op, args, common, predict, mtype):
        parts = [op]
        for k, v in args:
            if v is not None:
                parts.append('%s=%s' % (k, v))
        fd, attr_size, pokes, cpu = common
        if fd is not None:
            parts.append('fd=%s' % fd)
        if attr_size is not None:
            parts.append('attr_size=%d' % attr_size)
        for off, b in pokes:
            parts.append('poke=%d:%s' % (off, b.hex()))
        if cpu is not None:
            parts.append('cpu=%d' % cpu)
        try:
            pred = predict()
        except Unknown:
            pred = None
        self.lines.append((' '.join(parts), pred, mtype))
        return pred

    @staticmethod
    def _common(kw):
        fd = kw.pop('fd', None)
        attr_size = kw.pop('attr_size', None)
        pokes = kw.pop('poke', [])
        cpu = kw.pop('cpu', None)       # the CPU the call runs on (issue 3)
        if isinstance(pokes, tuple):
            pokes = [pokes]
        pokes = [(o, bytes.fromhex(b) if isinstance(b, str) else b)
                 for o, b in pokes]
        assert not kw, kw
        return fd, attr_size, pokes, cpu

    def _mtype(self, fd):
        g = self.geo(fd) if fd not in ('closed', 'notmap') else self.geo()
        return g.mtype if g else None

    # ops
    def create(self, mtype, ks=None, vs=None, me=None, flags=0,
               map_extra=None, numa_node=None, name=None, expect=None,
               **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        tnum = MAP_TYPES.get(mtype, mtype)
        args = [('type', mtype if isinstance(mtype, str) else fmt_num(mtype)),
                ('key_size', None if ks is None else fmt_size(ks)),
                ('value_size', None if vs is None else fmt_size(vs)),
                ('max_entries', None if me is None else fmt_size(me)),
                ('flags', fmt_map_flags(flags) if flags else None),
                ('map_extra', None if map_extra is None else
                 fmt_num(map_extra)),
                ('numa_node', None if numa_node is None else
                 fmt_num(numa_node)),
                ('name', name)]
        a = {'type': tnum, 'ks': ks or 0, 'vs': vs or 0, 'me': me or 0,
             'flags': flags, 'extra': map_extra or 0,
             'numa': numa_node or 0,
             'name': (name or '').encode()}
        pred = self._emit('create', args, common,
                          lambda: self.mc.create(a, attr_size, pokes),
                          mtype if isinstance(mtype, str) else None)
        ok = pred.ret == 'fd' if pred else expect
        if pred is None and expect is not False:
            self.mc.lost = True
        if ok:
            g = Geo(mtype, ks or 0, vs or 0, me or 0, flags)
            self.geos.append(g)
            if self.autoclose:
                self.close()
            return g
        return None

    def create_info(self, *args, **kw):
        """create, then OBJ_GET_INFO_BY_FD (up to map_extra) and close if
        it worked (create-only files keep no maps open: no state)."""
        auto, self.autoclose = self.autoclose, False
        g = self.create(*args, **kw)
        if g:
            self.info(info_len=INFO_NO_HASH)
            if auto:
                self.close()
        self.autoclose = auto
        return g

    def lookup(self, key, flags=None, value=True, **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        args = [('key', self._k(key)),
                ('flags', None if flags is None else fmt_elem_flags(flags)),
                ('value', None if value else 'null')]
        return self._emit('lookup', args, common, lambda: self.mc.lookup(
            fd, key, flags or 0, not value, attr_size, pokes),
            self._mtype(fd))

    def update(self, key, val, flags=None, **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        g = self.geo(fd if isinstance(fd, int) else None)
        args = [('key', self._k(key)),
                ('value', 'null' if val is None else
                 hexs(val, g.vgroup if g and g.percpu else 0)),
                ('flags', None if flags is None else fmt_elem_flags(flags))]
        return self._emit('update', args, common, lambda: self.mc.update(
            fd, key, val, flags or 0, attr_size, pokes), self._mtype(fd))

    def delete(self, key, flags=None, **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        args = [('key', self._k(key)),
                ('flags', None if flags is None else fmt_elem_flags(flags))]
        return self._emit('delete', args, common, lambda: self.mc.delete(
            fd, key, flags or 0, attr_size, pokes), self._mtype(fd))

    def next(self, key, nxt=True, **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        args = [('key', self._k(key)), ('next', None if nxt else 'null')]
        return self._emit('next', args, common, lambda: self.mc.next(
            fd, key, not nxt, attr_size, pokes), self._mtype(fd))

    def lookup_and_delete(self, key, flags=None, value=True, **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        args = [('key', self._k(key)),
                ('flags', None if flags is None else fmt_elem_flags(flags)),
                ('value', None if value else 'null')]
        return self._emit('lookup_and_delete', args, common,
                          lambda: self.mc.lookup_and_delete(
                              fd, key, flags or 0, not value, attr_size,
                              pokes), self._mtype(fd))

    def freeze(self, **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        return self._emit('freeze', [], common, lambda: self.mc.freeze(
            fd, attr_size, pokes), self._mtype(fd))

    def lookup_batch(self, count, inb=None, elem_flags=None, flags=None,
                     out=True, keys=True, values=True, delete=False, **kw):
        op = 'lookup_and_delete_batch' if delete else 'lookup_batch'
        fd, attr_size, pokes, _ = common = self._common(kw)
        args = [('in', 'null' if inb is None else inb.hex()),
                ('count', str(count)),
                ('elem_flags', None if elem_flags is None else
                 fmt_elem_flags(elem_flags)),
                ('flags', None if flags is None else fmt_num(flags)),
                ('out', None if out else 'null'),
                ('keys', None if keys else 'null'),
                ('values', None if values else 'null')]
        a = {'in': inb, 'count': count, 'elem_flags': elem_flags or 0,
             'flags': flags or 0, 'out_null': not out,
             'keys_null': not keys, 'values_null': not values}
        return self._emit(op, args, common, lambda: self.mc.batch(
            op, fd, a, attr_size, pokes), self._mtype(fd))

    def lookup_and_delete_batch(self, count, **kw):
        return self.lookup_batch(count, delete=True, **kw)

    def update_batch(self, keys, vals, count=None, elem_flags=None,
                     flags=None, **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        g = self.geo(fd if isinstance(fd, int) else None)
        if count is None:
            count = len(keys)
        args = [('keys', 'null' if keys is None else
                 hexs(b''.join(keys), g.ks if g else 0)),
                ('values', 'null' if vals is None else
                 hexs(b''.join(vals), g.vgroup if g else 0)),
                ('count', str(count)),
                ('elem_flags', None if elem_flags is None else
                 fmt_elem_flags(elem_flags)),
                ('flags', None if flags is None else fmt_num(flags))]
        a = {'keys': keys, 'values': vals, 'count': count,
             'elem_flags': elem_flags or 0, 'flags': flags or 0}
        return self._emit('update_batch', args, common, lambda: self.mc.batch(
            'update_batch', fd, a, attr_size, pokes), self._mtype(fd))

    def delete_batch(self, keys, count=None, elem_flags=None, flags=None,
                     **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        g = self.geo(fd if isinstance(fd, int) else None)
        if count is None:
            count = len(keys)
        args = [('keys', 'null' if keys is None else
                 hexs(b''.join(keys), g.ks if g else 0)),
                ('count', str(count)),
                ('elem_flags', None if elem_flags is None else
                 fmt_elem_flags(elem_flags)),
                ('flags', None if flags is None else fmt_num(flags))]
        a = {'keys': keys, 'values': None, 'count': count,
             'elem_flags': elem_flags or 0, 'flags': flags or 0}
        return self._emit('delete_batch', args, common, lambda: self.mc.batch(
            'delete_batch', fd, a, attr_size, pokes), self._mtype(fd))

    def pin(self, path, file_flags=None, **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        args = [('path', path), ('file_flags', None if file_flags is None
                                 else fmt_file_flags(file_flags))]
        return self._emit('pin', args, common, lambda: self.mc.pin(
            fd, path, file_flags or 0, attr_size, pokes), self._mtype(fd))

    def get(self, path, file_flags=None, expect=None, **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        assert fd is None
        args = [('path', path), ('file_flags', None if file_flags is None
                                 else fmt_file_flags(file_flags))]
        gm = self._pinned_geo(path)
        pred = self._emit('get', args, common, lambda: self.mc.get(
            path, file_flags or 0, attr_size, pokes),
            gm.mtype if gm else None)
        ok = pred.ret == 'fd' if pred else expect
        if ok:
            self.geos.append(gm)
        return ok

    def _pinned_geo(self, path):
        m = self.mc.pins.get(path[1:]) if path.startswith('@') else None
        if m is None:
            return None
        for i, s in enumerate(self.mc.slots):
            if s.m is m:
                return self.geos[i]
        return None

    def unlink(self, path):
        return self._emit('unlink', [('path', path)], (None, None, [], None),
                          lambda: self.mc.unlink(path), None)

    def close(self, fd=None):
        idx = self.mc.newest() if fd is None else fd
        mt = self._mtype(fd)
        pred = self._emit('close', [], (fd, None, [], None),
                          lambda: self.mc.close(fd), mt)
        if idx is not None:
            self.closed.add(idx)
        return pred

    def info(self, info_len=None, in_=None, hash_=None, **kw):
        """in_: the info buffer's first bytes (the rest zero) instead of
        the 0xAA fill; hash_: the size of an info.hash buffer to point at.
        The model does not cover either (an unknown prediction)."""
        fd, attr_size, pokes, _ = common = self._common(kw)
        args = [('info_len', None if info_len is None else str(info_len)),
                ('in', None if in_ is None else in_.hex()),
                ('hash', None if hash_ is None else str(hash_))]

        def predict():
            if in_ is not None or hash_ is not None:
                raise Unknown('info input bytes')
            return self.mc.info(fd, info_len, attr_size, pokes)
        return self._emit('info', args, common, predict, self._mtype(fd))

    # mappings: the model does not follow memory, so --check skips the file
    def _mapping_op(self, op, args):
        self.modelled = False
        return self._emit(op, [(k, v) for k, v in args],
                          (None, None, [], None),
                          lambda: None, None)

    def mmap(self, length, prot, share='SHARED', off=None, fd=None):
        self.modelled = False
        return self._emit('mmap', [('len', str(length)), ('prot', prot),
                                   ('share', share),
                                   ('off', None if off is None else
                                    str(off))],
                          (fd, None, [], None), lambda: None, None)

    def munmap(self, map_=None, off=None, length=None):
        return self._mapping_op('munmap', [
            ('map', None if map_ is None else str(map_)),
            ('off', None if off is None else str(off)),
            ('len', None if length is None else str(length))])

    def mprotect(self, prot, map_=None, off=None, length=None):
        return self._mapping_op('mprotect', [
            ('map', None if map_ is None else str(map_)),
            ('off', None if off is None else str(off)),
            ('len', None if length is None else str(length)),
            ('prot', prot)])

    def mread(self, off, length, map_=None):
        return self._mapping_op('mread', [
            ('map', None if map_ is None else str(map_)),
            ('off', str(off)), ('len', str(length))])

    def mwrite(self, off, data, map_=None):
        return self._mapping_op('mwrite', [
            ('map', None if map_ is None else str(map_)),
            ('off', str(off)), ('data', data.hex())])

    def mkdir(self, path):
        """bpffs directories are outside the model: from here on its pin
        predictions are unknown."""
        self.mc.lost = True
        return self._emit('mkdir', [('path', path)], (None, None, [], None),
                          lambda: None, None)

    def rmdir(self, path):
        self.mc.lost = True
        return self._emit('rmdir', [('path', path)], (None, None, [], None),
                          lambda: None, None)

    def get_fd_by_id(self, id_='self', open_flags=None, expect=None, **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        args = [('id', id_ if isinstance(id_, str) else fmt_num(id_)),
                ('open_flags', None if open_flags is None else
                 fmt_file_flags(open_flags))]
        g = self.geo(fd if isinstance(fd, int) else None)
        pred = self._emit('get_fd_by_id', args, common,
                          lambda: self.mc.get_fd_by_id(
                              fd, id_, open_flags or 0, attr_size, pokes),
                          g.mtype if g else None)
        ok = pred.ret == 'fd' if pred else expect
        if ok:
            self.geos.append(g)
        return ok

    def next_id(self, id_='self-1', **kw):
        fd, attr_size, pokes, _ = common = self._common(kw)
        args = [('id', id_ if isinstance(id_, str) else fmt_num(id_))]
        return self._emit('next_id', args, common, lambda: self.mc.next_id(
            fd, id_, attr_size, pokes), self._mtype(fd))

    # the program side (issue 3): one helper call from a BPF program run
    # on CPU `cpu` (default 0); key and value buffers hold key_size and
    # value_size bytes (one CPU's value)
    def _pkw(self, kw):
        fd = kw.pop('fd', None)
        cpu = kw.pop('cpu', None)
        assert not kw, kw
        return fd, cpu, (fd, None, [], cpu)

    def plookup(self, key, write=None, **kw):
        fd, cpu, common = self._pkw(kw)
        args = [('side', 'prog'), ('key', self._k(key)),
                ('write', None if write is None else write.hex())]
        return self._emit('lookup', args, common, lambda: self.mc.prog_lookup(
            fd, key, write, cpu or 0), self._mtype(fd))

    def pupdate(self, key, val, flags=None, **kw):
        fd, cpu, common = self._pkw(kw)
        args = [('side', 'prog'), ('key', self._k(key)), ('value', val.hex()),
                ('flags', None if flags is None else fmt_elem_flags(flags))]
        return self._emit('update', args, common, lambda: self.mc.prog_update(
            fd, key, val, flags or 0, cpu or 0), self._mtype(fd))

    def pdelete(self, key, **kw):
        fd, _, common = self._pkw(kw)
        args = [('side', 'prog'), ('key', self._k(key))]
        return self._emit('delete', args, common, lambda: self.mc.prog_delete(
            fd, key), self._mtype(fd))

    def lookup_percpu(self, key, target, **kw):
        fd, cpu, common = self._pkw(kw)
        args = [('key', self._k(key)), ('target_cpu', fmt_num(target))]
        return self._emit('lookup_percpu', args, common,
                          lambda: self.mc.prog_lookup(
                              fd, key, None, cpu or 0, target),
                          self._mtype(fd))

    def push(self, val, flags=None, **kw):
        fd, _, common = self._pkw(kw)
        args = [('value', val.hex()),
                ('flags', None if flags is None else fmt_elem_flags(flags))]
        return self._emit('push', args, common, lambda: self.mc.prog_queue_op(
            fd, 'push'), self._mtype(fd))

    def pop(self, peek=False, **kw):
        op = 'peek' if peek else 'pop'
        fd, _, common = self._pkw(kw)
        return self._emit(op, [], common, lambda: self.mc.prog_queue_op(
            fd, op), self._mtype(fd))

    def peek(self, **kw):
        return self.pop(peek=True, **kw)

    def pfill(self, g, idxs, ver=0, flags=None, **kw):
        for i in idxs:
            self.pupdate(g.k(i), g.pv(i, ver), flags, **kw)

    @staticmethod
    def _k(key):
        return 'null' if key is None else key.hex()

    # composite helpers
    def model_map(self, fd=None):
        s, e = self.mc.resolve(fd)
        return None if e else s.m

    def walk(self, fd=None, ver_note=None):
        """A full GET_NEXT_KEY walk in the order the model expects: next
        from NULL, then from each key in turn until ENOENT."""
        m = self.model_map(fd)
        assert m is not None and not m.unknown
        assert not m.is_hash or m.ordered, 'walk needs ZERO_SEED'
        kw = {} if fd is None else {'fd': fd}
        self.next(None, **kw)
        if m.is_hash:
            keys = m.walk()
        else:
            keys = [le32(i) for i in range(m.me)]
        for k in keys:
            self.next(k, **kw)

    def fill(self, g, idxs, ver=0, flags=None, **kw):
        for i in idxs:
            self.update(g.k(i), g.v(i, ver), flags, **kw)

    def ops(self):
        return sum(1 for t, _, _ in self.lines if t and not t.startswith('#'))

    def text(self):
        out = list(self.head)
        for t, _, _ in self.lines:
            out.append(t)
        while out and out[-1] == '':
            out.pop()
        return '\n'.join(out) + '\n'


# --- shared picks ------------------------------------------------------------

def same_bucket_keys(g, nb, want, start=1, bucket=None):
    """`want` key numbers whose ZERO_SEED bucket is the same (the first
    bucket that has enough candidates, or `bucket`)."""
    groups = {}
    i = start
    while True:
        b = jhash(g.k(i)) & (nb - 1)
        if bucket is None or b == bucket:
            groups.setdefault(b, []).append(i)
            if len(groups[b]) == want:
                return groups[b]
        i += 1


def bucket_layout_keys(g, nb, sizes):
    """Pick key numbers so that the lowest non-empty buckets hold
    sizes[0], sizes[1], ... keys (in increasing bucket order) and every
    other bucket is empty (bucket 0 and one bucket between two used ones
    stay empty). -> (list of key numbers, list of buckets)."""
    cand = {}
    for i in range(1, 4000):
        cand.setdefault(jhash(g.k(i)) & (nb - 1), []).append(i)
    keys, buckets, b = [], [], 1
    for want in sizes:
        while len(cand.get(b, [])) < want:
            b += 1
        keys += cand[b][:want]
        buckets.append(b)
        b += 2                    # leave an empty bucket in between
    return keys, buckets


# --- commands through one slot (access modes, freeze) ------------------------

def every_command(s, g, fd, present, missing, count=16):
    """Each map command once through slot `fd`. `present` is a key number
    that is in the map, `missing` one that is not (for arrays: an index
    past the end). The destructive ones come last."""
    s.lookup(g.k(present), fd=fd)
    s.lookup(g.k(missing), fd=fd)
    s.next(None, fd=fd)
    s.next(g.k(missing), fd=fd)
    s.lookup_batch(count, fd=fd)
    s.info(info_len=INFO_NO_HASH, fd=fd)
    s.update(g.k(present), g.v(present, 7), fd=fd)
    s.update(g.k(missing), g.v(missing, 7), flags=NOEXIST, fd=fd)
    s.update_batch([g.k(present)], [g.v(present, 8)], fd=fd)
    s.delete(g.k(missing), fd=fd)
    s.delete_batch([g.k(missing)], fd=fd)
    s.lookup_and_delete(g.k(missing), fd=fd)
    s.lookup_and_delete(g.k(present), fd=fd)
    s.lookup_and_delete_batch(count, fd=fd)


# --- HASH and PERCPU_HASH ----------------------------------------------------

def create_flag_bits(S, T):
    """MAP_CREATE of type T with every map_flags bit alone, for every
    type alike."""
    s = S('create_flag_bits', 'MAP_CREATE with each map_flags bit 0..16 '
          'alone, then bits 17 and 31 and all 32 bits (key 4, value 8, '
          'max_entries 4)', values=False)
    for bit, name in enumerate(MAP_FLAG_BITS):
        kw = {}
        if name == 'NUMA_NODE':
            kw['numa_node'] = 0
        if name == 'TOKEN_FD':
            s.note('TOKEN_FD with map_token_fd = an fd number that is not '
                   'open (fd 0 is tried in common/create_token_fd)')
            kw['poke'] = (OFF_TOKEN_FD, BAD_FD_LE)
        s.create(T, 4, 8, 4, flags=1 << bit, **kw)
    for fl in (1 << 17, 1 << 31, 0xffffffff):
        s.create(T, 4, 8, 4, flags=fl)


def create_numa(S, T, also=()):
    """BPF_F_NUMA_NODE and numa_node on type T; `also`: more flag sets
    tried with node 0 (the type's own flags)."""
    s = S('create_numa', 'BPF_F_NUMA_NODE and numa_node (only node 0 is '
          'online; 0xffffffff is NUMA_NO_NODE; numa_node without the flag '
          'is ignored)', values=False)
    for node in (0, 1, 0xffffffff, 0x7fffffff):
        s.create(T, 4, 8, 4, flags=F['NUMA_NODE'], numa_node=node)
    for node in (1, 0xffffffff):
        s.create(T, 4, 8, 4, numa_node=node)
    for fl in also:
        s.create(T, 4, 8, 4, flags=fl, numa_node=0)
    s.create(T, 4, 8, 0, flags=F['NUMA_NODE'], numa_node=1)


def whole_key_lookups(s, T, vs8, look):
    """A ZERO_SEED hash map with 8-byte keys: keys that differ in any byte
    are different keys. look is s.lookup (syscall) or s.plookup (program)."""
    g = s.create(T, 8, vs8, 4, flags=F['ZERO_SEED'])
    s.update(le32(1) + le32(0), g.v(1))
    look(le32(1) + le32(0))
    look(le32(1) + le32(1 << 24))
    look(le32(0) + le32(1))


def gen_hash(T):
    fam = T.lower()
    P = T == 'PERCPU_HASH'
    Z = F['ZERO_SEED']
    NP = F['NO_PREALLOC']
    out = []

    def S(name, what, values=True):
        s = Scn(fam, name, '%s: %s' % (T, what), percpu=P and values)
        s.autoclose = not values       # create-only files
        out.append(s)
        return s

    vs8 = 12 if P else 8          # per-CPU: value_size 12 => 4 padding bytes

    # ---------------------------------------------------------------- create
    create_flag_bits(S, T)

    s = S('create_flag_combos', 'MAP_CREATE with access-flag pairs and '
          'other combinations', values=False)
    for fl in (F['RDONLY'] | F['WRONLY'],
               F['RDONLY_PROG'] | F['WRONLY_PROG'],
               F['RDONLY'] | F['RDONLY_PROG'],
               F['WRONLY'] | F['WRONLY_PROG'],
               F['RDONLY'] | F['WRONLY_PROG'],
               F['RDONLY'] | F['WRONLY'] | F['RDONLY_PROG'] | F['WRONLY_PROG'],
               NP | Z | F['RDONLY_PROG'],
               NP | F['NO_COMMON_LRU'],
               Z | F['INNER_MAP'],
               Z | F['MMAPABLE'],
               F['RDONLY'] | F['PATH_FD']):
        s.create(T, 4, 8, 4, flags=fl)

    s = S('create_flags_info', 'the map_flags a map keeps for each accepted '
          'flag set (OBJ_GET_INFO_BY_FD after each create; RDONLY and '
          'WRONLY belong to the fd and are dropped)', values=False)
    combos = [0, NP, F['RDONLY'], F['WRONLY'], Z, F['RDONLY_PROG'],
              F['WRONLY_PROG'], NP | Z | F['RDONLY_PROG'],
              F['RDONLY'] | F['WRONLY_PROG'], F['WRONLY'] | Z]
    if not P:
        combos.append(F['NUMA_NODE'])
    for fl in combos:
        s.create_info(T, 4, 8, 4, flags=fl,
                      numa_node=0 if fl & F['NUMA_NODE'] else None)

    create_numa(S, T, also=[F['NUMA_NODE'] | F['NO_PREALLOC']])

    s = S('create_sizes', 'key_size, value_size and max_entries '
          'boundaries (each create alone; all memory stays small)',
          values=False)
    s.note('key_size (no 512-byte limit since 5.11)')
    for ks in (0, 1, 4, 5, 8, 16, 64, 512, 513, 1000, 0xffffffff):
        s.create(T, ks, 8, 4)
    s.note('value_size')
    for vs in (0, 1, 3, 5, 8, 12, 1000, 4096, 32761, 32767, 32768, 32769,
               65536, 0x80000000, 0xffffffff):
        s.create(T, 4, vs, 4)
    s.note('max_entries (n_buckets = next power of two; > 2^27 is E2BIG). '
           '2^27 itself is left out: it allocates a 2 GiB bucket array even '
           'with NO_PREALLOC (8 s, and the answer depends on free memory)')
    for me, fl in ((0, 0), (1, 0), (2, 0), (3, 0), (1 << 20, NP),
                   ((1 << 27) + 1, NP), ((1 << 27) + 1, 0),
                   ((1 << 28), NP), ((1 << 31), NP), ((1 << 31) + 1, NP),
                   (0xffffffff, NP), (0xffffffff, 0)):
        s.create(T, 4, 8, me, flags=fl)

    s = S('create_size_limit', 'key_size + value_size against '
          'KMALLOC_MAX_SIZE - sizeof(htab_elem) (4194256 = 4 MiB - 48 is '
          'E2BIG, 4194255 fits) and the per-CPU 32 KiB value limit',
          values=False)
    lim = (4 << 20) - 48
    if P:
        pairs = [(lim - 1 - 8, 8), (lim - 8, 8), (lim - 1 - 32768, 32768),
                 (lim - 32768, 32768), (4, 32769), (lim - 32769, 32769)]
    else:
        pairs = [(4, lim - 1 - 4), (4, lim - 4), (lim - 1 - 4, 4),
                 (lim - 4, 4), (lim // 2, lim - lim // 2 - 1),
                 (lim // 2, lim - lim // 2)]
    for ks, vs in pairs:
        s.create(T, ks, vs, 1, flags=NP)
    s.note('preallocated: (1 + 2 spare) elements of ~4 MiB')
    ks, vs = pairs[0]
    s.create(T, ks, vs, 1)
    s.create(T, pairs[1][0], pairs[1][1], 1)

    s = S('create_check_order', 'pairs of bad create attributes whose '
          'errnos differ, to pin down the order of the checks',
          values=False)
    big = lim - 4                 # key 4 + value big = E2BIG in alloc_check
    pairs = [
        ('flag INNER_MAP (EINVAL) vs key+value too big (E2BIG)',
         dict(ks=4, vs=big, me=4, flags=F['INNER_MAP'])),
        ('max_entries 0 (EINVAL) vs key+value too big',
         dict(ks=4, vs=big, me=0)),
        ('key_size 0 (EINVAL) vs value_size > INT_MAX',
         dict(ks=0, vs=0x80000000, me=4)),
        ('map_extra (EINVAL) vs key+value too big',
         dict(ks=4, vs=big, me=4, map_extra=1)),
        ('map_extra bit 32 alone', dict(ks=4, vs=8, me=4,
                                        map_extra=1 << 32)),
        ('RDONLY|WRONLY (EINVAL) vs key+value too big',
         dict(ks=4, vs=big, me=4, flags=F['RDONLY'] | F['WRONLY'])),
        ('RDONLY_PROG|WRONLY_PROG (EINVAL) vs key+value too big',
         dict(ks=4, vs=big, me=4,
              flags=F['RDONLY_PROG'] | F['WRONLY_PROG'])),
        ('numa node 1 (EINVAL) vs key+value too big',
         dict(ks=4, vs=big, me=4, flags=F['NUMA_NODE'], numa_node=1)),
        ('NO_COMMON_LRU (EINVAL) vs max_entries 0',
         dict(ks=4, vs=8, me=0, flags=F['NO_COMMON_LRU'])),
        ('key+value too big (E2BIG, alloc_check) vs bad name (after alloc)',
         dict(ks=4, vs=big, me=4, name='a-b')),
        ('max_entries 2^27+1 (E2BIG, alloc) vs bad name',
         dict(ks=4, vs=8, me=(1 << 27) + 1, flags=NP, name='a-b')),
        ('bad token fd (EBADF) vs max_entries 2^27+1 (E2BIG in alloc)',
         dict(ks=4, vs=8, me=(1 << 27) + 1, flags=NP | F['TOKEN_FD'],
              poke=(OFF_TOKEN_FD, BAD_FD_LE))),
        ('bad token fd (EBADF) vs max_entries 0 (EINVAL in alloc_check)',
         dict(ks=4, vs=8, me=0, flags=F['TOKEN_FD'],
              poke=(OFF_TOKEN_FD, BAD_FD_LE))),
        ('bad token fd (EBADF) vs key+value too big (alloc_check)',
         dict(ks=4, vs=big, me=4, flags=F['TOKEN_FD'],
              poke=(OFF_TOKEN_FD, BAD_FD_LE))),
        ('map_token_fd set without TOKEN_FD',
         dict(ks=4, vs=8, me=4, poke=(OFF_TOKEN_FD, BAD_FD_LE))),
        ('value_type_btf_obj_fd set without VTYPE_BTF_OBJ_FD',
         dict(ks=4, vs=8, me=4, poke=(OFF_VTYPE_BTF_OBJ_FD, BAD_FD_LE))),
        ('btf_value_type_id with a btf_fd that is not open (EBADF)',
         dict(ks=4, vs=8, me=4,
              poke=[(OFF_BTF_VALUE, '01000000'),
                    (OFF_BTF_FD, BAD_FD_LE)])),
        ('bad name (EINVAL) vs btf_fd not open (EBADF): name first',
         dict(ks=4, vs=8, me=4, name='a-b',
              poke=[(OFF_BTF_VALUE, '01000000'),
                    (OFF_BTF_FD, BAD_FD_LE)])),
        ('key+value too big vs btf_fd not open: E2BIG first',
         dict(ks=4, vs=big, me=4,
              poke=[(OFF_BTF_VALUE, '01000000'),
                    (OFF_BTF_FD, BAD_FD_LE)])),
        ('btf_key_type_id without btf_value_type_id (EINVAL) vs E2BIG',
         dict(ks=4, vs=big, me=4, poke=(OFF_BTF_KEY, '01000000'))),
        ('btf_vmlinux_value_type_id on a non-struct_ops map',
         dict(ks=4, vs=8, me=4, poke=(OFF_BTF_VMLINUX, '01000000'))),
        ('btf_fd alone (no type ids): ignored',
         dict(ks=4, vs=8, me=4, poke=(OFF_BTF_FD, BAD_FD_LE))),
        ('excl_prog_hash_size 32 without a pointer',
         dict(ks=4, vs=8, me=4, poke=(OFF_EXCL_HASH_SIZE, '20'))),
        ('excl_prog_hash_size 1 without a pointer vs E2BIG: E2BIG first',
         dict(ks=4, vs=big, me=4, poke=(OFF_EXCL_HASH_SIZE, '01'))),
        ('map_ifindex 1 (offload path, lo cannot offload)',
         dict(ks=4, vs=8, me=4, poke=(OFF_IFINDEX, '01000000'))),
        ('byte 92 (past excl_prog_hash_size: EINVAL) vs max_entries 0',
         dict(ks=4, vs=8, me=0, poke=(92, '01'))),
        ('byte 168 past the union (E2BIG) vs byte 92 (EINVAL)',
         dict(ks=4, vs=8, me=4, attr_size=169,
              poke=[(92, '01'), (168, '01')])),
    ]
    if P:
        pairs += [
            ('NUMA_NODE on per-CPU (EINVAL) vs value_size 32769 (E2BIG)',
             dict(ks=4, vs=32769, me=4, flags=F['NUMA_NODE'], numa_node=0)),
            ('value_size 32769 (E2BIG) vs bad name', dict(
                ks=4, vs=32769, me=4, name='a-b')),
            ('max_entries 0 (EINVAL) vs value_size 32769',
             dict(ks=4, vs=32769, me=0)),
        ]
    for what, kw in pairs:
        s.note(what)
        s.create(T, **kw)

    # ---------------------------------------------------------------- update
    s = S('update_flags', 'UPDATE_ELEM flags ANY/NOEXIST/EXIST/LOCK/3/8/'
          '2^32/2^63 on a missing and on an existing key, NULL key and '
          'value')
    g = s.create(T, 4, vs8, 8, flags=Z)
    k1, k2, k3 = g.k(1), g.k(2), g.k(3)
    s.note('missing key')
    for fl in (EXIST, 3, 8, 1 << 32, 1 << 63, LOCK, NOEXIST | LOCK,
               EXIST | LOCK, 7, 0x10):
        s.update(k1, g.v(1, 1), flags=fl)
    s.lookup(k1)
    s.update(k1, g.v(1, 1), flags=NOEXIST)
    s.lookup(k1)
    s.note('existing key')
    s.update(k1, g.v(1, 2), flags=NOEXIST)
    s.lookup(k1)
    s.update(k1, g.v(1, 3), flags=EXIST)
    s.lookup(k1)
    s.update(k1, g.v(1, 4), flags=ANY)
    s.lookup(k1)
    s.update(k1, g.v(1, 5))
    s.lookup(k1)
    for fl in (3, 8, 1 << 32, LOCK, EXIST | LOCK):
        s.update(k1, g.v(1, 6), flags=fl)
    s.lookup(k1)
    s.update(k2, g.v(2, 1), flags=ANY)
    s.update(k3, g.v(3, 1), flags=EXIST)
    s.note('NULL pointers: key copied before the map checks the flags')
    s.update(None, g.v(3, 1))
    s.update(k3, None)
    s.update(k1, None, flags=EXIST)
    s.update(None, g.v(3, 1), flags=3)
    s.update(k3, None, flags=8)
    s.update(None, None, flags=LOCK)
    s.lookup(k3)
    s.walk()

    for np_ in (0, NP):
        tag = 'noprealloc' if np_ else 'prealloc'
        s = S('update_full_' + tag, 'a full map (max_entries 3%s): new '
              'keys E2BIG whatever the flag, existing keys replaceable over '
              'and over, delete/lookup_and_delete make room' %
              (', NO_PREALLOC' if np_ else ''))
        g = s.create(T, 4, vs8, 3, flags=Z | np_)
        s.fill(g, (1, 2, 3), flags=NOEXIST)
        s.update(g.k(4), g.v(4), flags=ANY)
        s.update(g.k(4), g.v(4), flags=NOEXIST)
        s.update(g.k(4), g.v(4), flags=EXIST)
        s.update(g.k(4), g.v(4), flags=3)
        s.lookup(g.k(4))
        s.walk()
        s.note('replacing existing keys in a full map never fails')
        for rnd in range(1, 8):
            for i in (1, 2, 3):
                s.update(g.k(i), g.v(i, rnd), flags=ANY if rnd % 2 else EXIST)
        s.update(g.k(2), g.v(2, 9), flags=NOEXIST)
        s.walk()
        s.lookup(g.k(1))
        s.delete(g.k(2))
        s.update(g.k(4), g.v(4), flags=NOEXIST)
        s.update(g.k(5), g.v(5))
        s.lookup_and_delete(g.k(1))
        s.update(g.k(5), g.v(5))
        s.update(g.k(6), g.v(6))
        s.walk()
        s.delete_batch([g.k(3), g.k(4)])
        s.update_batch([g.k(7), g.k(8), g.k(9)],
                       [g.v(7), g.v(8), g.v(9)])
        s.walk()
        s.note('max_entries 1')
        g = s.create(T, 4, vs8, 1, flags=Z | np_)
        s.update(g.k(1), g.v(1))
        s.update(g.k(2), g.v(2))
        for rnd in range(1, 5):
            s.update(g.k(1), g.v(1, rnd))
        s.lookup(g.k(1))
        s.next(None)
        s.next(g.k(1))
        s.delete(g.k(1))
        s.update(g.k(2), g.v(2), flags=NOEXIST)
        s.update(g.k(1), g.v(1))
        s.walk()

    s = S('update_replace_order', 'an update of an existing key: HASH '
          'moves it to the head of its bucket, PERCPU_HASH updates in place '
          '(walks after each step, max_entries 4 => 4 buckets)')
    g = s.create(T, 4, vs8, 4, flags=Z)
    a, b, c = same_bucket_keys(g, 4, 3)
    s.note('keys %d, %d, %d share one bucket' % (a, b, c))
    s.fill(g, (a, b, c))
    s.walk()
    s.update(g.k(a), g.v(a, 1))
    s.walk()
    s.update(g.k(b), g.v(b, 1), flags=EXIST)
    s.walk()
    s.update(g.k(c), g.v(c, 1), flags=NOEXIST)
    s.walk()
    s.update(g.k(c), g.v(c, 2), flags=ANY)
    s.walk()
    s.delete(g.k(a))
    s.walk()
    s.update(g.k(a), g.v(a, 3))
    s.walk()
    s.note('a fourth key in another bucket; the map is now full')
    d = next(i for i in range(1, 100)
             if jhash(g.k(i)) & 3 != jhash(g.k(a)) & 3)
    s.update(g.k(d), g.v(d))
    s.update(g.k(b), g.v(b, 4))
    s.walk()
    s.lookup_batch(8)
    s.update_batch([g.k(c), g.k(a)], [g.v(c, 5), g.v(a, 5)])
    s.walk()
    s.lookup_batch(8)

    # ------------------------------------------------------ lookup / delete
    s = S('lookup', 'LOOKUP_ELEM of existing and missing keys, flags 0/LOCK/'
          'other bits (checked before the fd), NULL key and value')
    g = s.create(T, 4, vs8, 4, flags=Z)
    s.lookup(g.k(1))
    s.update(g.k(1), g.v(1))
    s.update(g.k(2), g.v(2))
    s.lookup(g.k(1))
    s.lookup(g.k(2), flags=ANY)
    s.lookup(g.k(3))
    for fl in (LOCK, NOEXIST, EXIST, 3, 8, 1 << 32):
        s.lookup(g.k(1), flags=fl)
    s.lookup(g.k(3), flags=8)
    s.lookup(g.k(3), flags=LOCK)
    s.lookup(None)
    s.lookup(None, flags=8)
    s.lookup(g.k(1), value=False)
    s.lookup(g.k(3), value=False)
    s.lookup(None, value=False)
    s.note('the key is compared over all key_size bytes')
    whole_key_lookups(s, T, vs8, s.lookup)
    s.note('key_size 1000')
    g = s.create(T, 1000, vs8, 4, flags=Z)
    s.update(g.k(1), g.v(1))
    s.update(g.k(2), g.v(2))
    s.lookup(g.k(1))
    s.lookup(g.k(3))
    s.walk()

    s = S('delete', 'DELETE_ELEM of existing and missing keys, non-zero '
          'flags (past the last field: EINVAL), NULL key')
    g = s.create(T, 4, vs8, 4, flags=Z)
    s.delete(g.k(1))
    s.fill(g, (1, 2, 3))
    s.delete(g.k(1))
    s.delete(g.k(1))
    s.lookup(g.k(1))
    s.delete(g.k(9))
    for fl in (NOEXIST, LOCK, 1 << 32):
        s.delete(g.k(2), flags=fl)
    s.delete(None)
    s.delete(None, flags=1)
    s.lookup(g.k(2))
    s.walk()
    s.delete(g.k(2))
    s.delete(g.k(3))
    s.delete(g.k(3))
    s.next(None)
    s.update(g.k(1), g.v(1, 1))
    s.walk()

    s = S('next_key', 'GET_NEXT_KEY: NULL key, each key in turn to ENOENT, '
          'a missing key (restart from the first), after deletes, NULL '
          'next_key')
    g = s.create(T, 4, vs8, 8, flags=Z)
    s.next(None)
    s.next(g.k(1))
    s.next(None, nxt=False)
    s.fill(g, range(1, 7))
    s.walk()
    m = s.model_map()
    order = m.walk()
    s.next(g.k(40))
    s.next(None, nxt=False)
    s.next(order[0], nxt=False)
    s.next(order[-1], nxt=False)
    s.note('delete a key in the middle, then ask for its successor')
    mid = order[2]
    s.delete(mid)
    s.next(mid)
    s.walk()
    s.note('delete the first key')
    s.delete(order[0])
    s.next(order[0])
    s.walk()
    s.fill(g, (7, 8, 9))
    s.walk()
    s.note('key_size 5 (not a multiple of 4)')
    g = s.create(T, 5, vs8, 16, flags=Z)
    s.fill(g, range(1, 12))
    s.walk()

    s = S('lookup_and_delete', 'LOOKUP_AND_DELETE_ELEM: existing and '
          'missing keys, flags, NULL key, NULL value (deletes anyway)')
    g = s.create(T, 4, vs8, 4, flags=Z)
    s.lookup_and_delete(g.k(1))
    s.fill(g, (1, 2, 3, 4))
    s.lookup_and_delete(g.k(1))
    s.lookup(g.k(1))
    s.lookup_and_delete(g.k(1))
    for fl in (LOCK, NOEXIST, EXIST, 8, 1 << 32):
        s.lookup_and_delete(g.k(2), flags=fl)
    s.lookup_and_delete(g.k(9), flags=8)
    s.lookup_and_delete(None)
    s.lookup_and_delete(g.k(3), value=False)
    s.lookup(g.k(3))
    s.lookup_and_delete(g.k(9), value=False)
    s.lookup_and_delete(g.k(2), flags=ANY)
    s.walk()
    s.fill(g, (5, 6, 7))
    s.update(g.k(8), g.v(8))
    s.lookup_and_delete(g.k(6))
    s.update(g.k(8), g.v(8))
    s.walk()
    s.lookup_and_delete(g.k(8))
    s.lookup_and_delete(g.k(4))
    s.lookup_and_delete(g.k(5))
    s.lookup_and_delete(g.k(7))
    s.next(None)

    # ---------------------------------------------------------------- freeze
    s = S('freeze', 'MAP_FREEZE: then update/delete/lookup_and_delete and '
          'the write batches fail with EPERM, reads work, second freeze '
          'EPERM; freeze seen through another fd and a pin')
    g = s.create(T, 4, vs8, 8, flags=Z)
    s.fill(g, (1, 2, 3))
    s.freeze()
    s.lookup(g.k(1))
    s.next(None)
    s.lookup_batch(8)
    s.update(g.k(1), g.v(1, 1))
    s.update(g.k(4), g.v(4))
    s.delete(g.k(1))
    s.delete(g.k(4))
    s.lookup_and_delete(g.k(1))
    s.update_batch([g.k(5)], [g.v(5)])
    s.delete_batch([g.k(1)])
    s.lookup_and_delete_batch(8)
    s.freeze()
    s.info(info_len=INFO_NO_HASH)
    s.get_fd_by_id()
    s.update(g.k(1), g.v(1, 2))
    s.freeze()
    s.pin('@frozen')
    s.get('@frozen')
    s.update(g.k(1), g.v(1, 3))
    s.delete(g.k(2))
    s.lookup(g.k(2))
    s.walk()
    s.note('freeze an empty map through a second fd')
    g = s.create(T, 4, vs8, 4, flags=Z)
    s.get_fd_by_id()
    s.freeze(fd=s.mc.newest())
    s.update(g.k(1), g.v(1), fd=s.mc.newest() - 1)
    s.next(None)
    s.freeze(poke=(4, '01'))

    # ---------------------------------------------------------- access modes
    s = S('access_create_rdonly', 'a map created with BPF_F_RDONLY: every '
          'command through that fd (filled through an RDWR fd from OBJ_GET)')
    g = s.create(T, 4, vs8, 8, flags=Z | F['RDONLY'])
    s.pin('@ro')
    s.get('@ro')
    s.fill(g, (1, 2, 3), fd=1)
    every_command(s, g, 0, 1, 9)
    s.freeze(fd=0)
    s.pin('@ro2', fd=0)
    s.get('@ro2')
    s.update(g.k(4), g.v(4), fd=2)
    s.walk(fd=0)

    s = S('access_create_wronly', 'a map created with BPF_F_WRONLY: every '
          'command through that fd')
    g = s.create(T, 4, vs8, 8, flags=Z | F['WRONLY'])
    s.fill(g, (1, 2, 3))
    every_command(s, g, 0, 1, 9)
    s.pin('@wo')
    s.get('@wo', file_flags=F['RDONLY'])
    s.walk(fd=1)
    s.freeze(fd=0)
    s.update(g.k(1), g.v(1, 3), fd=0)

    s = S('access_obj_get', 'OBJ_GET with file_flags RDONLY / WRONLY / '
          'both / other bits: every command through each fd')
    g = s.create(T, 4, vs8, 8, flags=Z)
    s.fill(g, (1, 2, 3, 4))
    s.pin('@m')
    s.get('@m', file_flags=F['RDONLY'] | F['WRONLY'])
    s.get('@m', file_flags=F['RDONLY_PROG'])
    s.get('@m', file_flags=F['RDONLY'])
    every_command(s, g, 1, 1, 9)
    s.get('@m', file_flags=F['WRONLY'])
    every_command(s, g, 2, 2, 9)
    s.get('@m', file_flags=0)
    s.walk(fd=3)

    s = S('access_get_fd_by_id', 'MAP_GET_FD_BY_ID with open_flags '
          'RDONLY / WRONLY / both / other bits: every command through each fd')
    g = s.create(T, 4, vs8, 8, flags=Z)
    s.fill(g, (1, 2, 3, 4))
    s.get_fd_by_id(open_flags=F['RDONLY'] | F['WRONLY'], fd=0)
    s.get_fd_by_id(open_flags=F['ZERO_SEED'], fd=0)
    s.get_fd_by_id(open_flags=F['WRONLY'], fd=0)
    every_command(s, g, 1, 1, 9)
    s.get_fd_by_id(open_flags=F['RDONLY'], fd=0)
    every_command(s, g, 2, 2, 9)
    s.walk(fd=0)

    # ---------------------------------------------------------------- batch
    s = S('batch_lookup', 'LOOKUP_BATCH on a ZERO_SEED map whose buckets '
          'hold 2, 1 and 3 keys: count 0, ENOSPC when the first bucket does '
          'not fit, exact fits, chained cookies, past the end, bad cookies, '
          'flags, NULL buffers')
    g = s.create(T, 4, vs8, 8, flags=Z)
    s.lookup_batch(4)
    keys, bks = bucket_layout_keys(g, 8, (2, 1, 3))
    s.note('keys %s in buckets %s' % (keys, bks))
    s.fill(g, keys)
    s.lookup_batch(0)
    s.lookup_batch(1)
    s.lookup_batch(2)
    s.lookup_batch(3)
    s.lookup_batch(5)
    s.lookup_batch(6)
    s.lookup_batch(100)
    s.note('cookies: the next bucket index')
    for b in range(0, 9):
        s.lookup_batch(1, inb=le32(b))
        s.lookup_batch(3, inb=le32(b))
    s.lookup_batch(2, inb=le32(bks[2]))
    s.lookup_batch(4, inb=le32(0xffffffff))
    s.lookup_batch(4, inb=le32(1 << 31))
    s.note('flags')
    s.lookup_batch(8, elem_flags=LOCK)
    s.lookup_batch(8, elem_flags=NOEXIST)
    s.lookup_batch(8, elem_flags=1 << 32)
    s.lookup_batch(8, flags=1)
    s.lookup_batch(8, flags=4)
    s.lookup_batch(0, flags=1)
    s.lookup_batch(0, elem_flags=EXIST)
    s.note('NULL buffers')
    s.lookup_batch(8, out=False)
    s.lookup_batch(1, out=False)
    s.lookup_batch(8, inb=le32(8), out=False)
    s.lookup_batch(8, keys=False)
    s.lookup_batch(8, values=False)
    s.lookup_batch(0, keys=False, values=False, out=False)
    s.note('replacing a key of the 3-key bucket changes its batch order')
    s.update(g.k(keys[3]), g.v(keys[3], 1))
    s.lookup_batch(3, inb=le32(bks[2]))
    s.update(g.k(keys[5]), g.v(keys[5], 1), flags=EXIST)
    s.lookup_batch(8)
    s.note('a bigger map: 30 keys in 64 buckets, walked 4 at a time')
    g = s.create(T, 8, vs8, 64, flags=Z)
    s.fill(g, range(100, 130))
    cookie = None
    for _ in range(40):
        p = s.lookup_batch(4, inb=cookie)
        if p is None or p.ret != '0':
            break
        cookie = p.outs['out']
    s.lookup_batch(30)
    s.lookup_batch(29)

    s = S('batch_lookup_and_delete', 'LOOKUP_AND_DELETE_BATCH: ENOSPC '
          'deletes nothing, each batch deletes whole buckets, chained '
          'cookies, NULL out (deleted anyway), flags')
    g = s.create(T, 4, vs8, 8, flags=Z)
    keys, bks = bucket_layout_keys(g, 8, (2, 1, 3))
    s.note('keys %s in buckets %s' % (keys, bks))
    s.lookup_and_delete_batch(4)
    s.fill(g, keys)
    s.lookup_and_delete_batch(0)
    s.lookup_and_delete_batch(1)
    s.walk()
    s.lookup_and_delete_batch(8, elem_flags=LOCK)
    s.lookup_and_delete_batch(8, elem_flags=EXIST)
    s.lookup_and_delete_batch(8, flags=1)
    s.lookup_and_delete_batch(8, inb=le32(8))
    s.lookup_and_delete_batch(2)
    s.walk()
    s.lookup_and_delete_batch(2, inb=le32(bks[1]))
    s.walk()
    s.lookup_and_delete_batch(4, inb=le32(bks[1]))
    s.walk()
    s.lookup_and_delete_batch(4)
    s.next(None)
    s.note('refill; NULL out buffer: EFAULT after deleting')
    s.fill(g, keys, ver=1)
    s.lookup_and_delete_batch(3, out=False)
    s.walk()
    s.lookup_and_delete_batch(3, keys=False)
    s.walk()
    s.fill(g, keys, ver=2)
    s.lookup_and_delete_batch(100)
    s.next(None)
    s.lookup_batch(8)
    s.note('full map, NO_PREALLOC: deleted slots are reusable at once')
    g = s.create(T, 4, vs8, 4, flags=Z | NP)
    s.fill(g, (1, 2, 3, 4))
    s.update(g.k(5), g.v(5))
    s.lookup_and_delete_batch(1)
    s.lookup_and_delete_batch(2)
    s.fill(g, (5, 6))
    s.walk()
    s.lookup_and_delete_batch(10)

    s = S('batch_update', 'UPDATE_BATCH: count 0 and 1, stops midway at '
          'E2BIG (count = number applied), NOEXIST/EXIST/LOCK elem_flags '
          'EINVAL, batch.flags ignored, NULL keys/values, duplicates')
    g = s.create(T, 4, vs8, 4, flags=Z)
    s.update_batch([g.k(1)], [g.v(1)], count=0)
    s.update_batch([g.k(1)], [g.v(1)], count=1)
    s.update_batch([g.k(2), g.k(3)], [g.v(2), g.v(3)])
    s.walk()
    s.update_batch([g.k(4), g.k(5), g.k(6)], [g.v(4), g.v(5), g.v(6)])
    s.walk()
    s.update_batch([g.k(1), g.k(7)], [g.v(1, 1), g.v(7)])
    s.update_batch([g.k(2), g.k(3), g.k(4), g.k(1)],
                   [g.v(2, 1), g.v(3, 1), g.v(4, 1), g.v(1, 2)])
    s.walk()
    for ef in (NOEXIST, EXIST, LOCK, NOEXIST | LOCK, 1 << 32):
        s.update_batch([g.k(1)], [g.v(1, 3)], elem_flags=ef)
    s.update_batch([g.k(1)], [g.v(1, 4)], flags=1)
    s.update_batch([g.k(1)], [g.v(1, 5)], elem_flags=ANY, flags=0xff)
    s.update_batch(None, [g.v(1)], count=1)
    s.update_batch([g.k(1)], None, count=1)
    s.update_batch(None, None, count=0)
    s.lookup(g.k(1))
    s.note('the same key twice in one batch')
    s.update_batch([g.k(2), g.k(2)], [g.v(2, 6), g.v(2, 7)])
    s.lookup(g.k(2))
    s.walk()
    s.delete_batch([g.k(1), g.k(2), g.k(3), g.k(4)])
    s.update_batch([g.k(i) for i in range(10, 16)],
                   [g.v(i) for i in range(10, 16)])
    s.walk()

    s = S('batch_delete', 'DELETE_BATCH: count 0, stops midway at a missing '
          'key (ENOENT, count = deleted), elem_flags, batch.flags ignored, '
          'NULL keys, duplicates')
    g = s.create(T, 4, vs8, 8, flags=Z)
    s.delete_batch([g.k(1)])
    s.fill(g, range(1, 8))
    s.delete_batch([g.k(1)], count=0)
    s.delete_batch([g.k(1), g.k(2)])
    s.walk()
    s.delete_batch([g.k(3), g.k(9), g.k(4)])
    s.walk()
    for ef in (NOEXIST, EXIST, LOCK, 1 << 32):
        s.delete_batch([g.k(4)], elem_flags=ef)
    s.delete_batch([g.k(4)], flags=1)
    s.delete_batch(None, count=1)
    s.delete_batch(None, count=0)
    s.delete_batch([g.k(5), g.k(5)])
    s.walk()
    s.delete_batch([g.k(6), g.k(7)])
    s.next(None)

    s = S('batch_unseeded', 'batch commands on maps without ZERO_SEED '
          '(random seed: only whole-map batches, compared as sets)')
    g = s.create(T, 4, vs8, 16)
    s.lookup_batch(16)
    s.fill(g, range(1, 11))
    s.lookup_batch(0)
    s.lookup_batch(10)
    s.lookup_batch(100)
    s.lookup_batch(10, inb=le32(16))
    s.lookup_batch(10, flags=1)
    s.update_batch([g.k(1), g.k(20)], [g.v(1, 1), g.v(20)])
    s.delete_batch([g.k(2), g.k(3)])
    s.lookup_batch(16)
    s.lookup_and_delete_batch(9)
    s.lookup_and_delete_batch(16)
    s.next(None)
    s.fill(g, range(30, 46))
    s.update(g.k(50), g.v(50))
    s.lookup_and_delete_batch(16)
    g = s.create(T, 16, vs8, 64, flags=NP)
    s.fill(g, range(1, 25))
    s.lookup_batch(24)
    s.delete_batch([g.k(i) for i in range(1, 12)])
    s.lookup_and_delete_batch(64)

    # ------------------------------------------------------- per-CPU layout
    if P:
        s = S('percpu_layout', 'per-CPU values: round_up(value_size, 8) '
              'per CPU, distinct bytes per CPU, non-zero padding bytes '
              'stored and returned (value_size 1, 3, 5, 8, 12, 16)')
        for vs in (1, 3, 5, 8, 12, 16):
            g = s.create(T, 4, vs, 4, flags=Z)
            s.update(g.k(1), g.v(1))
            s.lookup(g.k(1))
            s.update(g.k(1), g.v(1, 1), flags=EXIST)
            s.lookup(g.k(1))
            s.update(g.k(2), g.v(2))
            s.lookup_batch(4)
            s.update_batch([g.k(3), g.k(1)], [g.v(3), g.v(1, 2)])
            s.lookup_batch(4)
            s.lookup_and_delete(g.k(1))
            s.lookup_and_delete_batch(4)

    # --------------------------------------------------------- iteration order
    if P:
        combos = [(1, 8), (3, 5), (4, 4), (50, 8)]
    else:
        combos = [(1, 4), (1, 64), (3, 1), (3, 4), (3, 5), (3, 16), (4, 4),
                  (4, 8), (4, 64), (50, 4), (1000, 4)]
    for me, ks in combos:
        order_scenario(S, T, me, ks, vs8)

    # --------------------------------------------------------- random
    for n in range(9):
        noprealloc = n % 3 == 2
        me = (4, 6, 8, 12, 16)[n % 5]
        s = S('random_%02d' % n, 'random op sequence %d (ZERO_SEED, '
              'max_entries %d%s, keys from a space of %d)' %
              (n, me, ', NO_PREALLOC' if noprealloc else '', me + me // 2))
        rng = random.Random('%d-%s-random-%d' % (SEED, fam, n))
        g = s.create(T, (4, 8, 5)[n % 3], (vs8, 16 if not P else 5, 1)[n % 3],
                     me, flags=Z | (NP if noprealloc else 0))
        random_ops(s, g, rng, 40, me + me // 2)
    for n in range(2):
        s = S('random_unseeded_%02d' % n, 'random op sequence %d without '
              'ZERO_SEED (order-independent ops only)' % n)
        rng = random.Random('%d-%s-unseeded-%d' % (SEED, fam, n))
        g = s.create(T, 4, vs8, 8, flags=NP if n else 0)
        random_ops(s, g, rng, 40, 12, ordered=False)
    return out


def order_scenario(S, T, me, ks, vs):
    """ZERO_SEED iteration order: inserts, replacements, deletes, walks."""
    s = S('order_me%d_ks%d' % (me, ks), 'ZERO_SEED iteration order with '
          'max_entries %d (%d buckets), key_size %d: full walks after '
          'inserts, replacements and deletes' % (me, next_pow2(me), ks))
    rng = random.Random('%d-%s-order-%d-%d' % (SEED, T, me, ks))
    g = s.create(T, ks, vs, me, flags=F['ZERO_SEED'])
    space = 256 if ks == 1 else 100000
    n_ins = {1: 1, 3: 3, 4: 4, 50: 24, 1000: 40}[me]
    keys = rng.sample(range(space), n_ins)
    s.fill(g, keys)
    if n_ins == me:
        s.update(g.k(keys[0] ^ 0x5a5a), g.v(0))
    s.walk()
    n_rep = max(1, n_ins // 4)
    for i in rng.sample(keys, n_rep):
        s.update(g.k(i), g.v(i, 1), flags=rng.choice((ANY, EXIST)))
    s.walk()
    n_del = max(1, n_ins // 4)
    dels = rng.sample(keys, n_del)
    for i in dels:
        s.delete(g.k(i))
    s.walk()
    back = dels[:max(1, n_del // 2)]
    for i in back:
        s.update(g.k(i), g.v(i, 2))
    for i in rng.sample(keys, min(3, n_ins)):
        s.update(g.k(i), g.v(i, 3))
    s.walk()
    return s


def random_ops(s, g, rng, nops, space, ordered=True):
    """A seeded mix of every element and batch command; keys from a small
    space so that hits, misses and full maps are all common."""
    ver = 0
    is_hash = g.is_hash
    nb = next_pow2(g.me)

    def key():
        return rng.randrange(space)

    def cookie():
        if rng.random() < 0.4:
            return None
        if is_hash:
            return le32(rng.randrange(nb + 1))
        return le32(rng.randrange(g.me + 2))

    for _ in range(nops):
        ver += 1
        r = rng.random()
        i = key()
        if not is_hash and not (r < 0.46 or 0.56 <= r < 0.66 or
                                0.72 <= r < 0.80 or 0.84 <= r < 0.93):
            # arrays: delete and the deleting ops always fail the same
            # way; keep a quarter of them
            if rng.random() < 0.75:
                r = rng.choice((0.1, 0.4, 0.6, 0.75, 0.9))
        m = s.model_map()
        present = (m.walk() if m is not None and m.is_hash else [])
        if r < 0.34:
            fl = rng.choice((None, ANY, NOEXIST, EXIST, None))
            s.update(g.k(i), g.v(i, ver), flags=fl)
        elif r < 0.46:
            s.lookup(g.k(i))
        elif r < 0.56:
            s.delete(g.k(i))
        elif r < 0.66:
            if not ordered:
                s.next(None if rng.random() < 0.5 else g.k(space + 1))
            elif present and rng.random() < 0.6:
                s.next(rng.choice(present))
            else:
                s.next(None if rng.random() < 0.5 else g.k(i))
        elif r < 0.72:
            s.lookup_and_delete(g.k(i))
        elif r < 0.80:
            if ordered:
                s.lookup_batch(rng.randrange(1, 7), inb=cookie())
            else:
                s.lookup_batch(g.me)
        elif r < 0.84:
            if ordered:
                s.lookup_and_delete_batch(rng.randrange(1, 4), inb=cookie())
            else:
                s.lookup_and_delete_batch(g.me)
        elif r < 0.93:
            ks_ = [key() for _ in range(rng.randrange(1, 5))]
            s.update_batch([g.k(k) for k in ks_], [g.v(k, ver) for k in ks_])
        else:
            ks_ = [key() for _ in range(rng.randrange(1, 4))]
            s.delete_batch([g.k(k) for k in ks_])
    if ordered:
        s.walk()


# --- ARRAY and PERCPU_ARRAY --------------------------------------------------

def gen_array(T):
    fam = T.lower()
    P = T == 'PERCPU_ARRAY'
    out = []

    def S(name, what, values=True):
        s = Scn(fam, name, '%s: %s' % (T, what), percpu=P and values)
        s.autoclose = not values       # create-only files
        out.append(s)
        return s

    vs8 = 12 if P else 8

    # ---------------------------------------------------------------- create
    create_flag_bits(S, T)

    s = S('create_flag_combos', 'MAP_CREATE with access-flag pairs and '
          'other combinations', values=False)
    for fl in (F['RDONLY'] | F['WRONLY'],
               F['RDONLY_PROG'] | F['WRONLY_PROG'],
               F['RDONLY'] | F['RDONLY_PROG'],
               F['WRONLY'] | F['WRONLY_PROG'],
               F['RDONLY'] | F['WRONLY'] | F['RDONLY_PROG'] | F['WRONLY_PROG'],
               F['MMAPABLE'] | F['INNER_MAP'],
               F['MMAPABLE'] | F['RDONLY_PROG'] | F['NUMA_NODE'],
               F['MMAPABLE'] | F['PRESERVE_ELEMS'],
               F['INNER_MAP'] | F['WRONLY'],
               F['ZERO_SEED'] | F['MMAPABLE'],
               F['NO_PREALLOC'] | F['RDONLY']):
        s.create(T, 4, 8, 4, flags=fl,
                 numa_node=0 if fl & F['NUMA_NODE'] else None)

    s = S('create_flags_info', 'the map_flags a map keeps for each accepted '
          'flag set (OBJ_GET_INFO_BY_FD after each create; RDONLY and '
          'WRONLY belong to the fd and are dropped)', values=False)
    combos = [0, F['RDONLY'], F['WRONLY'], F['RDONLY_PROG'],
              F['WRONLY_PROG'], F['RDONLY'] | F['WRONLY_PROG']]
    if not P:
        combos += [F['NUMA_NODE'], F['MMAPABLE'], F['INNER_MAP'],
                   F['MMAPABLE'] | F['INNER_MAP'] | F['RDONLY_PROG'],
                   F['MMAPABLE'] | F['WRONLY']]
    for fl in combos:
        s.create_info(T, 4, 8, 4, flags=fl,
                      numa_node=0 if fl & F['NUMA_NODE'] else None)

    create_numa(S, T)

    s = S('create_sizes', 'key_size (must be 4), value_size and '
          'max_entries boundaries (each create alone; every map created '
          'stays small)', values=False)
    s.note('key_size')
    for ks in (0, 1, 3, 4, 5, 8, 0xffffffff):
        s.create(T, ks, 8, 4)
    s.note('value_size (6.18: E2BIG above INT_MAX; per-CPU: above 32 KiB)')
    for vs in (0, 1, 3, 5, 8, 12, 1000, 4096, 32761, 32767, 32768, 32769,
               65536, 0x80000000, 0xffffffff):
        s.create(T, 4, vs, 4)
    if not P:
        s.note('value_size of 4 MiB and more (the 6.1 limit was '
               'KMALLOC_MAX_SIZE): one element')
        for vs in (4 << 20, (4 << 20) + 1, 8 << 20):
            s.create(T, 4, vs, 1)
    s.note('value_size INT_MAX never reaches allocation here')
    s.create(T, 8, 0x7fffffff, 1)
    s.create(T, 4, 0x7fffffff, 0)
    s.note('max_entries')
    for me in (0, 1, 2, 1000, 4096) + (() if P else (1 << 16, 1 << 20)):
        s.create(T, 4, 8, me)

    s = S('create_check_order', 'pairs of bad create attributes whose '
          'errnos differ, to pin down the order of the checks',
          values=False)
    huge = 0x80000000
    pairs = [
        ('key_size 8 (EINVAL) vs value_size > INT_MAX (E2BIG)',
         dict(ks=8, vs=huge, me=4)),
        ('max_entries 0 vs value_size > INT_MAX',
         dict(ks=4, vs=huge, me=0)),
        ('bad flag ZERO_SEED vs value_size > INT_MAX',
         dict(ks=4, vs=huge, me=4, flags=F['ZERO_SEED'])),
        ('bad flag NO_PREALLOC vs max_entries 0',
         dict(ks=4, vs=8, me=0, flags=F['NO_PREALLOC'])),
        ('RDONLY_PROG|WRONLY_PROG vs value_size > INT_MAX',
         dict(ks=4, vs=huge, me=4,
              flags=F['RDONLY_PROG'] | F['WRONLY_PROG'])),
        ('PRESERVE_ELEMS vs value_size > INT_MAX',
         dict(ks=4, vs=huge, me=4, flags=F['PRESERVE_ELEMS'])),
        ('map_extra vs key_size 8', dict(ks=8, vs=8, me=4, map_extra=1)),
        ('map_extra bit 32 alone', dict(ks=4, vs=8, me=4,
                                        map_extra=1 << 32)),
        ('RDONLY|WRONLY vs key_size 8',
         dict(ks=8, vs=8, me=4, flags=F['RDONLY'] | F['WRONLY'])),
        ('numa node 1 vs value_size > INT_MAX',
         dict(ks=4, vs=huge, me=4, flags=F['NUMA_NODE'], numa_node=1)),
        ('value_size > INT_MAX (E2BIG) vs bad name',
         dict(ks=4, vs=huge, me=4, name='a-b')),
        ('bad token fd (EBADF) vs value_size > INT_MAX (alloc_check)',
         dict(ks=4, vs=huge, me=4, flags=F['TOKEN_FD'],
              poke=(OFF_TOKEN_FD, BAD_FD_LE))),
        ('bad token fd (EBADF) vs key_size 8',
         dict(ks=8, vs=8, me=4, flags=F['TOKEN_FD'],
              poke=(OFF_TOKEN_FD, BAD_FD_LE))),
        ('bad token fd (EBADF) vs bad name',
         dict(ks=4, vs=8, me=4, flags=F['TOKEN_FD'], name='a-b',
              poke=(OFF_TOKEN_FD, BAD_FD_LE))),
        ('map_token_fd set without TOKEN_FD',
         dict(ks=4, vs=8, me=4, poke=(OFF_TOKEN_FD, BAD_FD_LE))),
        ('btf_value_type_id with a btf_fd that is not open (EBADF)',
         dict(ks=4, vs=8, me=4,
              poke=[(OFF_BTF_VALUE, '01000000'),
                    (OFF_BTF_FD, BAD_FD_LE)])),
        ('bad name vs btf_fd not open: name first',
         dict(ks=4, vs=8, me=4, name='a-b',
              poke=[(OFF_BTF_VALUE, '01000000'),
                    (OFF_BTF_FD, BAD_FD_LE)])),
        ('btf_key_type_id without btf_value_type_id vs key_size 8',
         dict(ks=8, vs=8, me=4, poke=(OFF_BTF_KEY, '01000000'))),
        ('btf_vmlinux_value_type_id on a non-struct_ops map',
         dict(ks=4, vs=8, me=4, poke=(OFF_BTF_VMLINUX, '01000000'))),
        ('excl_prog_hash_size 32 without a pointer',
         dict(ks=4, vs=8, me=4, poke=(OFF_EXCL_HASH_SIZE, '20'))),
        ('excl_prog_hash_size 1 without a pointer vs value_size > INT_MAX',
         dict(ks=4, vs=huge, me=4, poke=(OFF_EXCL_HASH_SIZE, '01'))),
        ('map_ifindex 1 (offload path, lo cannot offload)',
         dict(ks=4, vs=8, me=4, poke=(OFF_IFINDEX, '01000000'))),
        ('byte 92 (EINVAL) vs value_size > INT_MAX',
         dict(ks=4, vs=huge, me=4, poke=(92, '01'))),
    ]
    if P:
        pairs += [
            ('NUMA_NODE (EINVAL) vs value_size 40000 (E2BIG)',
             dict(ks=4, vs=40000, me=4, flags=F['NUMA_NODE'], numa_node=0)),
            ('key_size 8 vs value_size 40000', dict(ks=8, vs=40000, me=4)),
            ('MMAPABLE (EINVAL on per-CPU) vs value_size 40000',
             dict(ks=4, vs=40000, me=4, flags=F['MMAPABLE'])),
            ('INNER_MAP (EINVAL on per-CPU) vs value_size 40000',
             dict(ks=4, vs=40000, me=4, flags=F['INNER_MAP'])),
            ('value_size 40000 (E2BIG) vs bad name',
             dict(ks=4, vs=40000, me=4, name='a-b')),
        ]
    for what, kw in pairs:
        s.note(what)
        s.create(T, **kw)

    # ----------------------------------------------------------- element ops
    s = S('update', 'UPDATE_ELEM: in range ANY/EXIST (ok) and NOEXIST '
          '(EEXIST), out of range (E2BIG, after the flag check), LOCK, 3, '
          '8, 2^32, NULL key and value')
    g = s.create(T, 4, vs8, 4)
    for idx in (0, 3):
        s.update(le32(idx), g.v(idx, 1))
        s.lookup(le32(idx))
    s.update(le32(1), g.v(1, 2), flags=EXIST)
    s.update(le32(1), g.v(1, 3), flags=NOEXIST)
    s.update(le32(2), g.v(2, 3), flags=NOEXIST)
    s.lookup(le32(1))
    s.lookup(le32(2))
    for fl in (3, 8, 1 << 32, 1 << 63, LOCK, EXIST | LOCK, NOEXIST | LOCK, 7):
        s.update(le32(1), g.v(1, 4), flags=fl)
    s.lookup(le32(1))
    s.note('out of range')
    for idx, fl in ((4, ANY), (4, EXIST), (4, NOEXIST), (4, 3), (4, 8),
                    (4, LOCK), (5, ANY), (0xffffffff, ANY),
                    (0x80000000, NOEXIST), (1 << 16, 1 << 32)):
        s.update(le32(idx), g.v(1, 5), flags=fl)
    s.note('NULL pointers')
    s.update(None, g.v(1))
    s.update(le32(1), None)
    s.update(le32(9), None)
    s.update(None, g.v(1), flags=3)
    s.update(None, None, flags=LOCK)
    s.walk()
    s.lookup_batch(4)
    s.note('max_entries 1')
    g = s.create(T, 4, vs8, 1)
    s.update(le32(0), g.v(0))
    s.update(le32(1), g.v(1))
    s.lookup(le32(0))
    s.walk()

    s = S('lookup', 'LOOKUP_ELEM: never-written slots read as zeroes, '
          'written slots, out of range (ENOENT, value buffer untouched), '
          'flags, NULL key and value')
    g = s.create(T, 4, vs8, 5)
    for idx in (0, 4, 5, 6, 0xffffffff, 0x80000000):
        s.lookup(le32(idx))
    s.update(le32(2), g.v(2))
    s.lookup(le32(2))
    for fl in (LOCK, NOEXIST, EXIST, 3, 8, 1 << 32):
        s.lookup(le32(2), flags=fl)
    s.lookup(le32(9), flags=8)
    s.lookup(None)
    s.lookup(le32(2), value=False)
    s.lookup(le32(9), value=False)
    s.lookup(None, value=False)
    s.lookup(le32(3), value=False)

    s = S('delete', 'DELETE_ELEM always EINVAL (in range, out of range); '
          'NULL key (the key is copied first), non-zero flags')
    g = s.create(T, 4, vs8, 4)
    s.update(le32(1), g.v(1))
    for idx in (0, 1, 3, 4, 0xffffffff):
        s.delete(le32(idx))
    s.delete(None)
    s.delete(le32(1), flags=1)
    s.delete(le32(1), flags=LOCK)
    s.lookup(le32(1))
    s.delete_batch([le32(1)])
    s.delete_batch([le32(1)], count=0)
    s.lookup_and_delete_batch(4)

    s = S('next_key', 'GET_NEXT_KEY: NULL -> 0, i -> i+1, last -> ENOENT, '
          'out of range -> 0, NULL next_key, full walks (occupancy does not '
          'matter)')
    g = s.create(T, 4, vs8, 6)
    for k in (None, 0, 1, 4, 5, 6, 7, 0xffffffff, 0x80000000):
        s.next(None if k is None else le32(k))
    s.next(None, nxt=False)
    s.next(le32(5), nxt=False)
    s.next(le32(6), nxt=False)
    s.walk()
    s.update(le32(3), g.v(3))
    s.walk()
    g = s.create(T, 4, vs8, 1)
    s.next(None)
    s.next(le32(0))
    s.next(le32(1))

    s = S('lookup_and_delete', 'LOOKUP_AND_DELETE_ELEM is not supported on '
          'arrays (ENOTSUPP) after the flag, permission and key checks')
    g = s.create(T, 4, vs8, 4)
    s.update(le32(1), g.v(1))
    s.lookup_and_delete(le32(1))
    s.lookup_and_delete(le32(9))
    s.lookup_and_delete(le32(1), flags=LOCK)
    s.lookup_and_delete(le32(1), flags=NOEXIST)
    s.lookup_and_delete(le32(1), flags=8)
    s.lookup_and_delete(None)
    s.lookup_and_delete(le32(1), value=False)
    s.lookup(le32(1))
    s.freeze()
    s.lookup_and_delete(le32(1))

    # ---------------------------------------------------------------- freeze
    s = S('freeze', 'MAP_FREEZE: then update fails with EPERM, reads work, '
          'second freeze EPERM; freeze seen through another fd and a pin')
    g = s.create(T, 4, vs8, 4)
    s.update(le32(1), g.v(1))
    s.freeze()
    s.lookup(le32(1))
    s.next(None)
    s.lookup_batch(8)
    s.update(le32(1), g.v(1, 1))
    s.update(le32(9), g.v(9))
    s.delete(le32(1))
    s.lookup_and_delete(le32(1))
    s.update_batch([le32(2)], [g.v(2)])
    s.delete_batch([le32(1)])
    s.lookup_and_delete_batch(8)
    s.freeze()
    s.get_fd_by_id()
    s.update(le32(1), g.v(1, 2))
    s.pin('@frozen')
    s.get('@frozen')
    s.update(le32(1), g.v(1, 3))
    s.walk()
    s.note('freeze through a second fd')
    g = s.create(T, 4, vs8, 2)
    s.get_fd_by_id()
    s.freeze(fd=s.mc.newest())
    s.update(le32(0), g.v(0), fd=s.mc.newest() - 1)
    s.lookup(le32(0))

    # ---------------------------------------------------------- access modes
    s = S('access_create_rdonly', 'a map created with BPF_F_RDONLY: every '
          'command through that fd (written through an RDWR fd from OBJ_GET)')
    g = s.create(T, 4, vs8, 4, flags=F['RDONLY'])
    s.pin('@ro')
    s.get('@ro')
    s.fill(g, (0, 1), fd=1)
    every_command(s, g, 0, 1, 9)
    s.freeze(fd=0)
    s.walk(fd=0)

    s = S('access_create_wronly', 'a map created with BPF_F_WRONLY: every '
          'command through that fd')
    g = s.create(T, 4, vs8, 4, flags=F['WRONLY'])
    s.fill(g, (0, 1))
    every_command(s, g, 0, 1, 9)
    s.pin('@wo')
    s.get('@wo', file_flags=F['RDONLY'])
    s.walk(fd=1)
    s.freeze(fd=0)
    s.update(le32(1), g.v(1, 3), fd=0)

    s = S('access_obj_get', 'OBJ_GET with file_flags RDONLY / WRONLY / '
          'both: every command through each fd')
    g = s.create(T, 4, vs8, 4)
    s.fill(g, (0, 1, 2))
    s.pin('@m')
    s.get('@m', file_flags=F['RDONLY'] | F['WRONLY'])
    s.get('@m', file_flags=F['RDONLY'])
    every_command(s, g, 1, 1, 9)
    s.get('@m', file_flags=F['WRONLY'])
    every_command(s, g, 2, 2, 9)
    s.walk(fd=0)

    s = S('access_get_fd_by_id', 'MAP_GET_FD_BY_ID with open_flags '
          'RDONLY / WRONLY: every command through each fd')
    g = s.create(T, 4, vs8, 4)
    s.fill(g, (0, 1, 2))
    s.get_fd_by_id(open_flags=F['WRONLY'], fd=0)
    every_command(s, g, 1, 1, 9)
    s.get_fd_by_id(open_flags=F['RDONLY'], fd=0)
    every_command(s, g, 2, 2, 9)
    s.walk(fd=0)

    # ---------------------------------------------------------------- batch
    s = S('batch_lookup', 'LOOKUP_BATCH (generic, key cookies): count 0, 1, '
          'exact fit, past the end (ENOENT with partial results), chained '
          'cookies, cookie = last / out-of-range index, flags, NULL buffers')
    g = s.create(T, 4, vs8, 6)
    for i in range(6):
        s.update(le32(i), g.v(i))
    s.lookup_batch(0)
    s.lookup_batch(1)
    s.lookup_batch(5)
    s.lookup_batch(6)
    s.lookup_batch(7)
    s.lookup_batch(100)
    cookie = None
    for _ in range(5):
        p = s.lookup_batch(2, inb=cookie)
        if p is None or p.ret != '0':
            break
        cookie = p.outs['out']
    for k in (0, 4, 5, 6, 9, 0xffffffff):
        s.lookup_batch(3, inb=le32(k))
    s.lookup_batch(6, elem_flags=LOCK)
    s.lookup_batch(6, elem_flags=NOEXIST)
    s.lookup_batch(6, elem_flags=1 << 32)
    s.lookup_batch(6, flags=1)
    s.lookup_batch(6, out=False)
    s.lookup_batch(6, inb=le32(5), out=False)
    s.lookup_batch(6, keys=False)
    s.lookup_batch(6, values=False)
    s.lookup_batch(0, keys=False, values=False, out=False)
    s.lookup_and_delete_batch(6)
    s.lookup_and_delete_batch(0)
    s.lookup_and_delete_batch(6, elem_flags=8)

    s = S('batch_update', 'UPDATE_BATCH (generic): count 0, stops at an '
          'out-of-range index (E2BIG, count = applied), elem_flags '
          'NOEXIST/EXIST/LOCK EINVAL, batch.flags ignored, NULL buffers; '
          'DELETE_BATCH not supported')
    g = s.create(T, 4, vs8, 4)
    s.update_batch([le32(0)], [g.v(0)], count=0)
    s.update_batch([le32(0), le32(1), le32(2)], [g.v(0), g.v(1), g.v(2)])
    s.walk()
    s.update_batch([le32(3), le32(1), le32(4), le32(2)],
                   [g.v(3, 1), g.v(1, 1), g.v(4, 1), g.v(2, 1)])
    s.walk()
    for ef in (NOEXIST, EXIST, LOCK, 1 << 32):
        s.update_batch([le32(0)], [g.v(0, 2)], elem_flags=ef)
    s.update_batch([le32(0)], [g.v(0, 3)], flags=1)
    s.update_batch(None, [g.v(0)], count=1)
    s.update_batch([le32(0)], None, count=1)
    s.update_batch([le32(1), le32(1)], [g.v(1, 4), g.v(1, 5)])
    s.lookup_batch(4)
    s.delete_batch([le32(0)])
    s.delete_batch([le32(9)], elem_flags=NOEXIST)

    if P:
        s = S('percpu_layout', 'per-CPU values: round_up(value_size, 8) '
              'per CPU, distinct bytes per CPU, non-zero padding bytes '
              'stored and returned (value_size 1, 3, 5, 8, 12, 16)')
        for vs in (1, 3, 5, 8, 12, 16):
            g = s.create(T, 4, vs, 3)
            s.lookup(le32(0))
            s.update(le32(1), g.v(1))
            s.lookup(le32(1))
            s.update(le32(1), g.v(1, 1), flags=EXIST)
            s.lookup(le32(1))
            s.update_batch([le32(2), le32(0)], [g.v(2), g.v(0)])
            s.lookup_batch(3)

    # --------------------------------------------------------- random
    for n in range(8):
        me = (1, 2, 4, 7, 16)[n % 5]
        s = S('random_%02d' % n, 'random op sequence %d (max_entries %d, '
              'indexes from 0 to %d)' % (n, me, me + 1))
        rng = random.Random('%d-%s-random-%d' % (SEED, fam, n))
        g = s.create(T, 4, (vs8, 1, 5, 16, 8)[n % 5], me)
        random_ops(s, g, rng, 40, me + 2)
    return out


# --- the program side and both sides on one map (issue 3) -------------------
#
# Every file here is <type>/prog_*.scn (or cpu_sys.scn), beside the type's
# syscall-side files, so that `ls tests/corpus/hash` shows all a type does
# and `tests/corpus/*/prog_*.scn` selects the program side.

def gen_prog(T):
    fam = T.lower()
    P = T in ('PERCPU_HASH', 'PERCPU_ARRAY')
    H = T in ('HASH', 'PERCPU_HASH')
    Z = F['ZERO_SEED'] if H else 0
    out = []

    def S(name, what):
        s = Scn(fam, name, '%s: %s' % (T, what), percpu=P)
        out.append(s)
        return s

    vs8 = 12 if P else 8
    # a key number that is missing (hash) or past the end (array)
    miss = 9

    # ---------------------------------------------------------------- lookup
    s = S('prog_lookup', 'bpf_map_lookup_elem from a program: missing and '
          'present keys, %s, the value read through the pointer on CPU 0 '
          'and CPU 1' % ('the key compared over all key_size bytes' if H
                         else 'never-written slots read as zeroes, '
                         'indexes past the end NULL'))
    if H:
        g = s.create(T, 4, vs8, 4, flags=Z)
        s.plookup(g.k(1))
        s.fill(g, (1, 2))
        s.plookup(g.k(1))
        s.plookup(g.k(2), cpu=1)
        s.plookup(g.k(3))
        s.plookup(g.k(1), cpu=1)
        s.note('key_size 8: all eight bytes are the key')
        whole_key_lookups(s, T, vs8, s.plookup)
    else:
        g = s.create(T, 4, vs8, 5)
        for idx in (0, 4, 5, 6, 0xffffffff, 0x80000000):
            s.plookup(le32(idx))
        s.update(le32(2), g.v(2))
        s.plookup(le32(2))
        s.plookup(le32(2), cpu=1)
        s.plookup(le32(3), cpu=1)

    s = S('prog_sizes', 'program-side update, lookup and delete at the '
          'executor\'s size limits (key_size up to 512 = MAX_BPF_STACK, '
          'value_size up to 4096) and odd sizes')
    sizes = ((1, 1), (5, 3), (64, 4096), (512, 8)) if H else \
        ((4, 1), (4, 3), (4, 4096))
    for ks, vs in sizes:
        g = s.create(T, ks, vs, 2, flags=Z)
        k = g.k(1) if H else le32(1)
        s.pupdate(k, g.pv(1))
        s.plookup(k)
        s.lookup(k)
        s.pupdate(k, g.pv(1, 1), flags=EXIST, cpu=1)
        s.plookup(k, cpu=1)
        s.lookup(k)
        s.pdelete(k)
        s.close()

    # ---------------------------------------------------------------- update
    bad = (3, 8, 0x10, 1 << 32, 1 << 63, 7)
    if H:
        s = S('prog_update_flags', 'bpf_map_update_elem from a program: '
              'ANY/NOEXIST/EXIST on a missing and an existing key, LOCK '
              '(no spin lock: EINVAL), NOEXIST|LOCK, EXIST|LOCK and other '
              'bits (EINVAL)')
        g = s.create(T, 4, vs8, 8, flags=Z)
        k1 = g.k(1)
        s.note('missing key')
        for fl in (EXIST, LOCK, NOEXIST | LOCK, EXIST | LOCK) + bad:
            s.pupdate(k1, g.pv(1, 1), flags=fl)
        s.plookup(k1)
        s.lookup(k1)
        s.pupdate(k1, g.pv(1, 1), flags=NOEXIST)
        s.lookup(k1)
        s.note('existing key')
        s.pupdate(k1, g.pv(1, 2), flags=NOEXIST)
        s.pupdate(k1, g.pv(1, 3), flags=EXIST)
        s.plookup(k1)
        s.pupdate(k1, g.pv(1, 4), flags=ANY)
        s.plookup(k1)
        s.pupdate(k1, g.pv(1, 5))
        s.lookup(k1)
        for fl in (LOCK, NOEXIST | LOCK, EXIST | LOCK) + bad:
            s.pupdate(k1, g.pv(1, 6), flags=fl)
        s.plookup(k1)
        s.pupdate(g.k(2), g.pv(2), flags=ANY)
        s.pupdate(g.k(3), g.pv(3), flags=EXIST)
        s.walk()
    else:
        s = S('prog_update_flags', 'bpf_map_update_elem from a program: '
              'ANY/EXIST (ok), NOEXIST (EEXIST), out of range (E2BIG), and '
              'the helper\'s order: LOCK is checked after E2BIG and EEXIST '
              '(NOEXIST|LOCK is EEXIST, LOCK past the end E2BIG), other '
              'bits EINVAL first')
        g = s.create(T, 4, vs8, 4)
        for idx in (0, 3):
            s.pupdate(le32(idx), g.pv(idx, 1))
            s.plookup(le32(idx))
            s.lookup(le32(idx))
        s.pupdate(le32(1), g.pv(1, 2), flags=EXIST)
        s.pupdate(le32(1), g.pv(1, 3), flags=NOEXIST)
        s.pupdate(le32(2), g.pv(2, 3), flags=NOEXIST)
        for fl in (LOCK, NOEXIST | LOCK, EXIST | LOCK) + bad:
            s.pupdate(le32(1), g.pv(1, 4), flags=fl)
        s.plookup(le32(1))
        s.lookup(le32(2))
        s.note('out of range')
        for idx, fl in ((4, ANY), (4, EXIST), (4, NOEXIST), (4, LOCK),
                        (4, NOEXIST | LOCK), (4, 3), (4, 8), (5, ANY),
                        (0xffffffff, LOCK), (0x80000000, NOEXIST),
                        (1 << 16, 1 << 32)):
            s.pupdate(le32(idx), g.pv(1, 5), flags=fl)
        s.walk()
        s.lookup_batch(4)

    if H:
        for np_ in (0, F['NO_PREALLOC']):
            tag = 'noprealloc' if np_ else 'prealloc'
            s = S('prog_update_full_' + tag, 'a map made full from a '
                  'program (max_entries 3%s): new keys E2BIG from either '
                  'side, existing keys replaceable from the program over and '
                  'over, a program delete makes room' %
                  (', NO_PREALLOC' if np_ else ''))
            g = s.create(T, 4, vs8, 3, flags=Z | np_)
            s.pfill(g, (1, 2), flags=NOEXIST)
            s.pupdate(g.k(3), g.pv(3), flags=NOEXIST, cpu=1)
            s.pupdate(g.k(4), g.pv(4), flags=ANY)
            s.pupdate(g.k(4), g.pv(4), flags=NOEXIST, cpu=1)
            s.pupdate(g.k(4), g.pv(4), flags=EXIST)
            s.pupdate(g.k(4), g.pv(4), flags=3)
            s.update(g.k(4), g.v(4))
            s.plookup(g.k(4))
            s.walk()
            s.note('replacing existing keys in a full map never fails')
            for rnd in range(1, 6):
                for i in (1, 2, 3):
                    s.pupdate(g.k(i), g.pv(i, rnd),
                              flags=ANY if rnd % 2 else EXIST, cpu=rnd % 2)
            s.walk()
            s.pdelete(g.k(2), cpu=1)
            s.pupdate(g.k(4), g.pv(4), flags=NOEXIST)
            s.pupdate(g.k(5), g.pv(5))
            s.delete(g.k(1))
            s.pupdate(g.k(5), g.pv(5), cpu=1)
            s.update(g.k(6), g.v(6))
            s.walk()

        s = S('prog_fill_cpus', 'a map filled from programs on CPU 0 and '
              'CPU 1 in turn until full (max_entries 6, preallocated: the '
              'free elements sit on per-CPU lists, a CPU takes from the '
              'others when its own is empty), then emptied and refilled '
              'from one CPU')
        g = s.create(T, 4, vs8, 6, flags=Z)
        for i in range(1, 9):
            s.pupdate(g.k(i), g.pv(i), flags=NOEXIST, cpu=i % 2)
        s.update(g.k(9), g.v(9))
        s.walk()
        for i in range(1, 7):
            s.lookup(g.k(i))
        for i in (1, 3, 5):
            s.pdelete(g.k(i), cpu=1)
        for i in (10, 11, 12, 13):
            s.pupdate(g.k(i), g.pv(i), cpu=0)
        s.walk()
        for i in (2, 4, 6, 10, 11, 12):
            s.delete(g.k(i))
        for i in range(20, 27):
            s.pupdate(g.k(i), g.pv(i), cpu=1)
        s.walk()

    # ---------------------------------------------------------------- delete
    if H:
        s = S('prog_delete', 'bpf_map_delete_elem from a program: missing '
              'and present keys, then GET_NEXT_KEY walks from user space '
              '(the successor of a key a program deleted restarts the walk)')
        g = s.create(T, 4, vs8, 8, flags=Z)
        s.pdelete(g.k(1))
        s.fill(g, range(1, 7))
        s.walk()
        order = s.model_map().walk()
        s.pdelete(order[2])
        s.pdelete(order[2], cpu=1)
        s.next(order[2])
        s.lookup(order[2])
        s.plookup(order[2])
        s.walk()
        s.pdelete(order[0], cpu=1)
        s.next(order[0])
        s.walk()
        for k in order:
            s.pdelete(k)
        s.next(None)
        s.pfill(g, (7, 8))
        s.walk()
    else:
        s = S('prog_delete', 'bpf_map_delete_elem from a program: always '
              '-EINVAL at run time (in range, out of range, written or not); '
              'the element stays')
        g = s.create(T, 4, vs8, 4)
        s.update(le32(1), g.v(1))
        for idx in (0, 1, 3, 4, 0xffffffff):
            s.pdelete(le32(idx))
        s.pdelete(le32(1), cpu=1)
        s.lookup(le32(1))
        s.plookup(le32(1))

    # ----------------------------------------------------------- both sides
    s = S('prog_mixed', 'both sides on one map: user-space updates seen by '
          'program lookups and program updates by user-space lookups, a '
          'program writing through the pointer a lookup returned (seen by '
          'the syscall side), user-space %s' %
          ('deletes seen by programs' if H else 'batch reads'))
    k = (lambda i: g.k(i)) if H else le32
    g = s.create(T, 4, vs8, 4, flags=Z)
    s.update(k(1), g.v(1))
    s.plookup(k(1))
    s.pupdate(k(2), g.pv(2))
    s.lookup(k(2))
    s.plookup(k(1), write=g.pv(1, 1))
    s.lookup(k(1))
    s.plookup(k(1))
    s.plookup(k(2), write=g.pv(2, 1), cpu=1)
    s.lookup(k(2))
    s.plookup(k(2), cpu=1)
    s.plookup(k(miss), write=g.pv(miss, 1))
    s.update(k(1), g.v(1, 2), flags=EXIST)
    s.plookup(k(1))
    s.plookup(k(1), cpu=1)
    if H:
        s.pdelete(k(2))
        s.lookup(k(2))
        s.lookup_and_delete(k(1))
        s.plookup(k(1))
        s.update_batch([k(3), k(4)], [g.v(3), g.v(4)])
        s.plookup(k(4))
        s.delete_batch([k(3)])
        s.plookup(k(3))
        s.pupdate(k(3), g.pv(3), flags=NOEXIST)
    else:
        s.update_batch([k(3), k(0)], [g.v(3), g.v(0)])
        s.plookup(k(3))
        s.plookup(k(0), write=g.pv(0, 1))
    s.walk()
    s.lookup_batch(4)

    s = S('prog_freeze', 'MAP_FREEZE blocks the syscall side only: programs '
          'still update%s and write through lookup pointers; a new fd from '
          'MAP_GET_FD_BY_ID is frozen too' % (' and delete' if H else ''))
    k = (lambda i: g.k(i)) if H else le32
    g = s.create(T, 4, vs8, 4, flags=Z)
    s.update(k(1), g.v(1))
    s.update(k(2), g.v(2))
    s.freeze()
    s.update(k(1), g.v(1, 1))
    s.pupdate(k(1), g.pv(1, 1))
    s.lookup(k(1))
    s.pupdate(k(3), g.pv(3), flags=NOEXIST, cpu=1)
    s.lookup(k(3))
    s.plookup(k(2), write=g.pv(2, 1))
    s.lookup(k(2))
    s.pdelete(k(2))
    s.delete(k(1))
    s.get_fd_by_id()
    s.update(k(1), g.v(1, 2))
    s.pupdate(k(1), g.pv(1, 2), flags=EXIST)
    s.plookup(k(1), cpu=1)
    s.walk()

    for fl, tag in ((F['RDONLY_PROG'], 'rdonly'), (F['WRONLY_PROG'],
                                                    'wronly')):
        s = S('prog_access_%s' % tag, 'a map created with BPF_F_%s_PROG: '
              'the verifier refuses %s (EACCES at load); user space reads and '
              'writes as usual; a freeze changes nothing for programs' %
              (tag.upper(),
               'update, delete and stores through a lookup pointer'
               if tag == 'rdonly' else 'loads through a lookup pointer '
               '(so every lookup), update and delete still load'))
        k = (lambda i: g.k(i)) if H else le32
        g = s.create(T, 4, vs8, 4, flags=Z | fl)
        s.update(k(1), g.v(1))
        s.plookup(k(1))
        s.plookup(k(1), write=g.pv(1, 1))
        s.plookup(k(miss))
        s.pupdate(k(2), g.pv(2))
        s.pupdate(k(1), g.pv(1, 2), flags=EXIST, cpu=1)
        s.pdelete(k(1))
        s.pdelete(k(miss))
        if P:
            s.lookup_percpu(k(1), 1)
        s.lookup(k(1))
        s.lookup(k(2))
        s.update(k(3), g.v(3))
        if H:
            s.delete(k(3))
        else:
            s.lookup(k(3))
        s.freeze()
        s.plookup(k(1), cpu=1)
        s.pupdate(k(1), g.pv(1, 3))
        s.walk()

    s = S('prog_fd_modes', 'the fd a program is loaded with need not be '
          'writable or readable: programs through a BPF_F_RDONLY fd (from '
          'MAP_CREATE) and a WRONLY fd (from OBJ_GET) update, look up and '
          'delete, while the syscall side through the same fds gets EPERM')
    k = (lambda i: g.k(i)) if H else le32
    g = s.create(T, 4, vs8, 4, flags=Z | F['RDONLY'])
    s.pin('@m')
    s.get('@m')
    s.update(k(1), g.v(1), fd=1)
    s.pupdate(k(1), g.pv(1, 1), fd=0)
    s.update(k(1), g.v(1, 2), fd=0)
    s.plookup(k(1), write=g.pv(1, 2), fd=0)
    s.pupdate(k(2), g.pv(2), fd=0, cpu=1)
    s.pdelete(k(2), fd=0)
    s.lookup(k(1), fd=0)
    s.get('@m', file_flags=F['WRONLY'])
    s.lookup(k(1), fd=2)
    s.plookup(k(1), fd=2)
    s.pupdate(k(3), g.pv(3), fd=2)
    s.plookup(k(3), fd=2, cpu=1)
    s.get('@m', file_flags=F['RDONLY'])
    s.pupdate(k(1), g.pv(1, 3), flags=EXIST, fd=3)
    s.plookup(k(1), fd=3)
    s.walk(fd=1)

    # ---------------------------------------------------------- refusals
    s = S('prog_refused', 'helpers the verifier refuses on %s: push, pop '
          'and peek (EINVAL: queue/stack/bloom only)%s; on RDONLY_PROG, '
          'push and pop are EACCES first (a write, refused before the type '
          'check)' % (T, '' if P else ', lookup_percpu_elem (EINVAL: per-CPU '
                      'types only)'))
    g = s.create(T, 4, vs8, 4, flags=Z)
    s.update(g.k(1) if H else le32(1), g.v(1))
    s.push(g.pv(1))
    s.push(g.pv(1), flags=EXIST)
    s.pop()
    s.peek()
    s.lookup_percpu(g.k(1) if H else le32(1), 0)
    s.lookup_percpu(g.k(1) if H else le32(1), 1, cpu=1)
    s.plookup(g.k(1) if H else le32(1))
    for fl in (F['RDONLY_PROG'], F['WRONLY_PROG']):
        g = s.create(T, 4, vs8, 4, flags=Z | fl)
        s.push(g.pv(1))
        s.pop()
        s.peek()
        s.lookup_percpu(g.k(1) if H else le32(1), 0)

    # ---------------------------------------------------------- per-CPU
    if P:
        s = S('prog_percpu_slots', 'a program sees its own CPU\'s slot: '
              'values written on CPU 0 and CPU 1 through the program side '
              'read back by the syscall side (all CPUs; padding kept on '
              'updates in place) and by lookup_percpu_elem target_cpu 0, 1 '
              'and 2 (not a possible CPU: NULL); a syscall update of all '
              'slots read on CPU 0 and CPU 1 (value_size 12, 5 and 1)')
        for vs in (12, 5, 1):
            k = (lambda i: g.k(i)) if H else le32
            g = s.create(T, 4, vs, 4, flags=Z)
            s.update(k(1), g.v(1))
            s.plookup(k(1), cpu=0)
            s.plookup(k(1), cpu=1)
            for t in (0, 1, 2):
                s.lookup_percpu(k(1), t)
            s.lookup_percpu(k(1), 0, cpu=1)
            s.pupdate(k(1), g.pv(1, 1), flags=EXIST, cpu=0)
            s.lookup(k(1))
            s.pupdate(k(1), g.pv(1, 2), cpu=1)
            s.lookup(k(1))
            s.lookup_percpu(k(1), 0)
            s.lookup_percpu(k(1), 1)
            s.plookup(k(1), write=g.pv(1, 3), cpu=1)
            s.lookup(k(1))
            s.note('a key a program creates on CPU 1' if H else
                   'a slot never written from user space, on CPU 1')
            s.pupdate(k(2), g.pv(2), cpu=1)
            s.lookup(k(2))
            s.plookup(k(2), cpu=0)
            s.lookup_percpu(k(2), 0)
            s.lookup_percpu(k(2), 1)
            s.lookup_percpu(k(miss), 1)
            s.lookup_percpu(k(1), 0xffffffff)
            s.lookup_batch(4)
            s.close()
        s.note('lookup_percpu on a slot written on the other CPU, '
               'program by program')
        g = s.create(T, 4, 8, 2, flags=Z)
        k = (lambda i: g.k(i)) if H else le32
        s.pupdate(k(0), g.pv(0), cpu=0)
        s.pupdate(k(0), g.pv(0, 1), cpu=1)
        s.lookup_percpu(k(0), 1, cpu=0)
        s.lookup_percpu(k(0), 0, cpu=1)
        s.lookup(k(0))

    # ---------------------------------------------------------- random
    for n in range(4):
        me = (4, 6, 3, 8)[n]
        np_ = F['NO_PREALLOC'] if H and n == 3 else 0
        s = S('prog_random_%02d' % n, 'random op sequence %d on both '
              'sides and both CPUs (max_entries %d%s)' %
              (n, me, ', NO_PREALLOC' if np_ else ''))
        rng = random.Random('%d-%s-prog-random-%d' % (SEED, fam, n))
        g = s.create(T, 4, (vs8, 5, 1, 16)[n], me, flags=Z | np_)
        random_mixed_ops(s, g, rng, 40, me + me // 2 if H else me + 2)

    # ---------------------------------------------------------- sys on cpu 1
    s = S('cpu_sys', 'syscall-side commands run on CPU 1 (cpu=1) and on '
          'CPU 0 in turn: the CPU a syscall runs on changes nothing for '
          'this type')
    k = (lambda i: g.k(i)) if H else le32
    g = s.create(T, 4, vs8, 4, flags=Z, cpu=1)
    s.update(k(1), g.v(1), cpu=1)
    s.lookup(k(1), cpu=0)
    s.update(k(2), g.v(2), cpu=0)
    s.lookup(k(2), cpu=1)
    s.update(k(1), g.v(1, 1), flags=EXIST, cpu=1)
    s.update(k(miss), g.v(miss), cpu=1)
    s.next(None, cpu=1)
    s.next(k(1), cpu=1)
    s.lookup_batch(4, cpu=1)
    s.update_batch([k(3)], [g.v(3)], cpu=1)
    s.delete(k(2), cpu=1)
    s.lookup_and_delete(k(1), cpu=1)
    s.info(info_len=INFO_NO_HASH, cpu=1)
    s.plookup(k(3), cpu=1)
    s.freeze(cpu=1)
    s.update(k(3), g.v(3, 1), cpu=1)
    s.walk()

    if T == 'ARRAY':
        gen_prog_mmap(S)
    return out


def gen_prog_mmap(S):
    """BPF_F_MMAPABLE arrays: programs and mappings on the same bytes."""
    pg = PAGE_SIZE
    s = S('prog_mmap', 'a BPF_F_MMAPABLE array (value_size 5: 8-byte '
          'elements) written from programs and read through a mapping, '
          'written through the mapping and looked up from programs; a '
          'frozen map cannot be mapped writable yet programs still write it')
    g = s.create('ARRAY', 4, 5, 10, flags=F['MMAPABLE'])
    s.mmap(pg, 'READ|WRITE', 'SHARED')
    s.pupdate(le32(1), g.pv(1))
    s.pupdate(le32(9), g.pv(9), cpu=1)
    s.mread(0, 80)
    s.mwrite(16, bytes.fromhex('1112131415161718'))
    s.plookup(le32(2))
    s.plookup(le32(2), write=g.pv(2, 1), cpu=1)
    s.mread(16, 8)
    s.mwrite(12, bytes.fromhex('21'))
    s.plookup(le32(1))
    s.lookup(le32(1))
    s.munmap()
    s.freeze()
    s.mmap(pg, 'READ|WRITE', 'SHARED')
    s.mmap(pg, 'READ', 'SHARED')
    s.pupdate(le32(3), g.pv(3))
    s.plookup(le32(1), write=g.pv(1, 2))
    s.mread(0, 32)
    s.note('BPF_F_RDONLY_PROG: no writable mapping, no program writes')
    g = s.create('ARRAY', 4, 8, 4, flags=F['MMAPABLE'] | F['RDONLY_PROG'])
    s.update(le32(1), g.v(1))
    s.mmap(pg, 'READ|WRITE', 'SHARED')
    s.mmap(pg, 'READ', 'SHARED')
    s.pupdate(le32(1), g.pv(1))
    s.plookup(le32(1), write=g.pv(1))
    s.plookup(le32(1))
    s.mread(8, 8)
    s.note('BPF_F_WRONLY_PROG: mapped both ways, programs only write')
    g = s.create('ARRAY', 4, 8, 4, flags=F['MMAPABLE'] | F['WRONLY_PROG'])
    s.mmap(pg, 'READ|WRITE', 'SHARED')
    s.pupdate(le32(2), g.pv(2))
    s.mread(16, 8)
    s.mwrite(16, bytes.fromhex('3132333435363738'))
    s.plookup(le32(2))
    s.lookup(le32(2))


def random_mixed_ops(s, g, rng, nops, space):
    """A seeded mix of element commands, each on the syscall side or from
    a program, programs and some syscalls on CPU 0 or CPU 1."""
    H = g.is_hash
    ver = 0

    def key():
        return g.k(rng.randrange(space))

    def cpu():
        return rng.choice((None, 0, 1, 1))

    for _ in range(nops):
        ver += 1
        r = rng.random()
        k = key()
        i = int.from_bytes(k[:4], 'little')
        fl = rng.choice((None, ANY, NOEXIST, EXIST, None, LOCK, 3))
        if r < 0.2:
            s.pupdate(k, g.pv(i, ver), flags=fl, cpu=cpu())
        elif r < 0.3:
            s.update(k, g.v(i, ver), flags=fl if fl != LOCK else None,
                     cpu=rng.choice((None, 1)))
        elif r < 0.45:
            s.plookup(k, cpu=cpu())
        elif r < 0.55:
            s.plookup(k, write=g.pv(i, ver), cpu=cpu())
        elif r < 0.65:
            s.lookup(k)
        elif r < 0.75:
            if g.percpu:
                s.lookup_percpu(k, rng.choice((0, 1, 2)), cpu=cpu())
            else:
                s.next(None if rng.random() < 0.5 else k)
        elif r < 0.85:
            s.pdelete(k, cpu=cpu())
        elif r < 0.92 and H:
            s.delete(k)
        else:
            m = s.model_map()
            present = m.walk() if H else []
            s.next(rng.choice(present) if present else None)
    s.walk()


# --- element reuse (padding bytes) -------------------------------------------
#
# A program-side insert of a new key into a PERCPU_HASH writes value_size
# bytes of each CPU's slot and leaves the padding (value_size up to
# round_up(value_size, 8)) as the element's previous owner left it
# (hashtab.c: pcpu_init_value, copy_map_value_long), and a syscall lookup
# copies whole slots: the padding shows which freed element the insert
# got. The syscall values here tag each slot's padding with 0xe0|cpu and
# the key number; a never-used element shows zeroes. The model leaves the
# padding of a program insert unknown (`??`); it follows all the rest.

def tagged_value(vs, i):
    """A syscall-side per-CPU value whose padding says (key i, cpu)."""
    assert 0 < i < 0x100 and i != 0xaa, i
    r = roundup8(vs)
    out = b''
    for c in range(NCPUS):
        out += bytes(_nz(i * 0x10 + c + j) for j in range(vs))
        out += bytes([0xe0 | c, i, 0xee, 0xdd, 0xcc, 0xbb, 0x99][:r - vs])
    return out


def gen_reuse():
    out = []
    T = 'PERCPU_HASH'
    Z = F['ZERO_SEED']
    NP = F['NO_PREALLOC']

    def S(name, what, fam='percpu_hash', percpu=True):
        s = Scn(fam, name, what, percpu=percpu)
        out.append(s)
        return s

    def mk(s, me, flags=0, vs=12):
        return s.create(T, 4, vs, me, flags=Z | flags)

    def ins(s, g, i, **kw):
        s.update(g.k(i), tagged_value(g.vs, i), **kw)

    def pins(s, g, i, look=True, **kw):
        s.pupdate(g.k(i), g.pv(i), **kw)
        if look:
            s.lookup(g.k(i))

    # ------------------------------------------------- preallocated maps
    # pcpu_freelist: one LIFO list per CPU, filled at creation; a delete
    # pushes on the deleting CPU's list, an insert pops from its own CPU's
    # list, then from the next CPUs' (___pcpu_freelist_pop); all empty:
    # E2BIG.
    s = S('reuse_prealloc_lifo', 'PERCPU_HASH, preallocated: a CPU\'s free '
          'list is LIFO with the never-used elements at the bottom: deletes '
          'of 1, 2, 3 on CPU 0, then program inserts on CPU 0 get the '
          'elements of 3, 2, 1, then a never-used one (zero padding); the '
          'same on CPU 1')
    g = mk(s, 8)
    for i in (1, 2, 3):
        ins(s, g, i)
    for i in (1, 2, 3):
        s.delete(g.k(i))
    for i in (11, 12, 13, 14):
        pins(s, g, i)
    s.note('CPU 1: its own list, untouched by CPU 0')
    for i in (4, 5):
        ins(s, g, i, cpu=1)
    for i in (4, 5):
        s.delete(g.k(i), cpu=1)
    for i in (21, 22, 23):
        pins(s, g, i, cpu=1)

    s = S('reuse_prealloc_wrap', 'PERCPU_HASH, preallocated, max_entries 4 '
          '(lists of 2 and 2): a full map refuses a program insert with '
          'E2BIG; an insert whose CPU\'s list is empty pops from the next '
          'CPU\'s list (CPU 1 wraps to CPU 0, CPU 0 goes on to CPU 1)')
    g = mk(s, 4)
    for i in (1, 2, 3, 4):
        ins(s, g, i)
    s.pupdate(g.k(5), g.pv(5))
    s.delete(g.k(1), cpu=1)
    s.delete(g.k(2))
    pins(s, g, 10, cpu=1)
    pins(s, g, 11, cpu=1)
    s.pupdate(g.k(12), g.pv(12), cpu=1)
    s.delete(g.k(3), cpu=1)
    pins(s, g, 13)
    s.pupdate(g.k(14), g.pv(14))

    for me in (3, 4, 5):
        s = S('reuse_prealloc_share_me%d' % me, 'PERCPU_HASH, '
              'preallocated, max_entries %d: creation gives each CPU '
              'max_entries / 2 elements and the remainder to the first '
              'CPUs (pcpu_freelist_populate): after CPU 1 used its %d, a '
              'program insert on CPU 1 wraps to CPU 0 and gets the element '
              'deleted there; then never-used ones until E2BIG' %
              (me, me // 2))
        g = mk(s, me)
        for i in range(1, me // 2 + 1):
            ins(s, g, i, cpu=1)
        s.delete(g.k(1))
        for i in range(50, 50 + me - me // 2 + 1):
            pins(s, g, i, cpu=1)
        s.pupdate(g.k(60), g.pv(60), cpu=1)

    # ----------------------------------------------- both allocators
    for tag, fl, alloc in (('prealloc', 0, 'preallocated'),
                           ('no_prealloc', NP, 'NO_PREALLOC')):
        s = S('reuse_%s_batch_order' % tag, 'PERCPU_HASH, %s: '
              'LOOKUP_AND_DELETE_BATCH frees each bucket from its tail '
              '(the oldest element) to its head, bucket by bucket, so the '
              'next inserts get the last bucket\'s head first; '
              'LOOKUP_AND_DELETE frees one element' % alloc)
        g = mk(s, 8, fl)
        nb = next_pow2(8)
        keys, _ = bucket_layout_keys(g, nb, (3, 1, 2))
        for i in keys:
            ins(s, g, i)
        s.lookup_batch(8)
        s.lookup_and_delete_batch(8)
        for i in range(101, 101 + len(keys)):
            pins(s, g, i)
        s.lookup_and_delete(g.k(101))
        s.lookup_and_delete(g.k(102))
        ins(s, g, 3)
        s.delete(g.k(3))
        pins(s, g, 111)
        pins(s, g, 112)

        s = S('reuse_%s_cross_cpu' % tag, 'PERCPU_HASH, %s: deletes on '
              'CPU 1 and CPU 0 (syscall and program side), program '
              'inserts on CPU 0 and CPU 1: which element each insert '
              'reuses' % alloc)
        g = mk(s, 4, fl)
        for i in (1, 2, 3, 4):
            ins(s, g, i)
        s.delete(g.k(1), cpu=1)
        s.delete(g.k(2))
        pins(s, g, 5)
        pins(s, g, 6)
        s.delete(g.k(3), cpu=1)
        s.pdelete(g.k(4), cpu=1)
        pins(s, g, 7, cpu=1)
        pins(s, g, 8)

        for vs in (4, 300):
            s = S('reuse_%s_untouched_cpu_vs%d' % (tag, vs),
                  'PERCPU_HASH, %s, value_size %d: three elements made on '
                  'CPU 0 and deleted on CPU 1, which never allocated, then '
                  'program inserts on CPU 1' % (alloc, vs))
            g = mk(s, 8, fl, vs)
            for i in (1, 2, 3):
                ins(s, g, i)
            for i in (1, 2, 3):
                s.delete(g.k(i), cpu=1)
            for i in (101, 102, 103, 104):
                pins(s, g, i, cpu=1)

        N = 16
        s = S('reuse_%s_many' % tag, 'PERCPU_HASH, %s: %d inserts, %d '
              'deletes and %d program inserts on CPU 0: the order in '
              'which freed elements come back, past the %s' %
              (alloc, N, N, N, 'bottom of the list' if not fl else
               'per-CPU cache\'s high watermark (pairs move to the RCU '
               'lists and come back from them)'))
        g = mk(s, 32, fl)
        for i in range(1, N + 1):
            ins(s, g, i)
        for i in range(1, N + 1):
            s.delete(g.k(i))
        for i in range(101, 101 + N):
            pins(s, g, i)

    # ---------------------------------------------- NO_PREALLOC caches
    # memalloc.c, per-CPU objects: a CPU's cache holds freed objects; past
    # the high watermark (3) the top ones move to the RCU lists; below the
    # low one an allocation refills one object, from the RCU lists first.
    for d in range(1, 7):
        s = S('reuse_no_prealloc_deletes%d' % d, 'PERCPU_HASH, '
              'NO_PREALLOC: six elements made on CPU 0, %d deleted on CPU '
              '0, then program inserts on CPU 0: the per-CPU object cache '
              'with its refill and trim thresholds' % d)
        g = mk(s, 16, NP)
        for i in range(1, 7):
            ins(s, g, i)
        for i in range(1, d + 1):
            s.delete(g.k(i))
        for i in range(101, 101 + d + 2):
            pins(s, g, i)

    s = S('reuse_no_prealloc_alloc_cpu', 'PERCPU_HASH, NO_PREALLOC: '
          'elements CPU 0 allocated, deleted on CPU 1: CPU 1 keeps one, '
          'and the ones it trims go back to CPU 0 (the CPU that allocated '
          'them), where program inserts on CPU 0 find them')
    g = mk(s, 8, NP)
    for i in (1, 2, 3):
        ins(s, g, i)
    for i in (1, 2, 3):
        s.delete(g.k(i), cpu=1)
    pins(s, g, 101, cpu=1)
    pins(s, g, 102, cpu=1)
    pins(s, g, 201)
    pins(s, g, 202)
    pins(s, g, 203)

    s = S('reuse_no_prealloc_full', 'PERCPU_HASH, NO_PREALLOC, max_entries '
          '2: a full map refuses a program insert of a new key with E2BIG '
          '(is_map_full); a delete makes room, and the insert gets the '
          'deleted element')
    g = mk(s, 2, NP)
    ins(s, g, 1)
    ins(s, g, 2, cpu=1)
    s.pupdate(g.k(3), g.pv(3))
    s.delete(g.k(1))
    pins(s, g, 3)
    s.pupdate(g.k(4), g.pv(4), cpu=1)

    # ------------------------------------------------- the other types
    s = S('reuse', 'HASH: an element a program insert reuses shows '
          'value_size bytes only, nothing of the deleted value',
          fam='hash', percpu=False)
    g = s.create('HASH', 4, 12, 2, flags=Z)
    s.update(g.k(1), g.v(1))
    s.delete(g.k(1))
    s.pupdate(g.k(2), g.pv(2))
    s.lookup(g.k(2))
    s.plookup(g.k(2))
    s.lookup_batch(2)

    s = S('prog_padding', 'PERCPU_ARRAY: a program update writes '
          'value_size bytes of its CPU\'s slot and keeps the padding the '
          'syscall side wrote', fam='percpu_array')
    g = s.create('PERCPU_ARRAY', 4, 12, 2)
    s.update(g.k(1), tagged_value(12, 1))
    s.pupdate(g.k(1), g.pv(1))
    s.pupdate(g.k(1), g.pv(2), cpu=1)
    s.lookup(g.k(1))
    s.lookup_batch(2)
    return out


# --- cross-type rules --------------------------------------------------------

def gen_common():
    out = []
    Z = F['ZERO_SEED']

    def S(name, what, percpu=False, autoclose=False):
        s = Scn('common', name, what, percpu=percpu)
        s.autoclose = autoclose
        out.append(s)
        return s

    s = S('create_unknown_type', 'MAP_CREATE with map types that do not '
          'exist (0 = UNSPEC, 99, 2^31, 2^32-1), alone and with other bad '
          'attributes (the type check comes after map_extra, access flags '
          'and numa node)',
          autoclose=True)
    for t in (0, 99, 1000, 0x80000000, 0xffffffff):
        s.create(t, 4, 8, 4)
    s.create(99, 0, 0, 0)
    s.create(99, 4, 8, 4, map_extra=1)
    s.create(99, 4, 8, 4, flags=F['RDONLY'] | F['WRONLY'])
    s.create(99, 4, 8, 4, flags=F['NUMA_NODE'], numa_node=1)
    s.create(99, 4, 8, 4, flags=F['INNER_MAP'])
    s.create(99, 4, 8, 4, flags=F['TOKEN_FD'], poke=(OFF_TOKEN_FD, BAD_FD_LE))
    s.create(99, 4, 8, 4, attr_size=169, poke=(168, '01'))

    s = S('create_names', 'map_name: [A-Za-z0-9_.] only, NUL within 16 '
          'bytes, bytes after the first NUL unchecked; checked after '
          'allocation (a too-big map wins); names read back with '
          'OBJ_GET_INFO_BY_FD',
          autoclose=True)
    for t in ('HASH', 'ARRAY'):
        for nm in ('a', 'map_01.x', 'ABCdef_789.', 'abcdefghijklmno', '_',
                   '.', '0'):
            s.create_info(t, 4, 8, 4, name=nm)
        for nm in ('abcdefghijklmnop', 'a-b', 'a/b', 'a:b', 'a+b', 'a%b',
                   'map~1'):
            s.create(t, 4, 8, 4, name=nm)
        s.note('name bytes poked: "ab\\0-" (accepted), 16 bytes '
               'without NUL, a NUL-terminated 15-char name + byte 16')
        s.create_info(t, 4, 8, 4, poke=(OFF_NAME, '6162002d'))
        s.note('bytes >= 0x80: the kernel\'s isalnum() is Latin-1 '
               '(0xc0-0xff except 0xd7 and 0xf7 are letters)')
        for byte in ('ff', 'c0', 'd7', 'df', 'f7', 'f8', 'aa', 'a0', '80',
                     'b5'):
            s.create_info(t, 4, 8, 4, poke=(OFF_NAME, byte + '00'))
        s.create_info(t, 4, 8, 4, poke=(OFF_NAME, '41c3a96200'))
        s.create(t, 4, 8, 4, poke=(OFF_NAME, '41' * 16))
        s.create_info(t, 4, 8, 4, poke=(OFF_NAME, '00' + '41' * 15))
        s.create(t, 4, 8, 4, poke=(OFF_NAME, '20'))
        s.note('a too-big map with a bad name')
        s.create(t, 4, 0x80000000 if t == 'ARRAY' else (4 << 20), 4,
                 name='a-b')
        s.create(t, 4, 8, 0, name='a-b')

    s = S('create_token_fd', 'BPF_F_TOKEN_FD with map_token_fd 0: fd 0 is '
          'the recording process\' stdin, which is not a BPF token (EINVAL); '
          'with a closed fd number: EBADF',
          autoclose=True)
    s.note('depends on fd 0 being open in the harness (true when run from '
           'a shell or make)')
    for t in ('HASH', 'PERCPU_HASH', 'ARRAY', 'PERCPU_ARRAY'):
        s.create(t, 4, 8, 4, flags=F['TOKEN_FD'], expect=False)
        s.create(t, 4, 8, 4, flags=F['TOKEN_FD'],
                 poke=(OFF_TOKEN_FD, BAD_FD_LE))

    s = S('create_refused_attrs', 'MAP_CREATE attributes no map here can '
          'take: map_ifindex of a netdev that does not exist, '
          'btf_vmlinux_value_type_id on a STRUCT_OPS map with key or value '
          'type ids, map_extra on BLOOM_FILTER and ARENA types whose other '
          'sizes are wrong, excl_prog_hash with a bad size or an unreadable '
          'pointer',
          autoclose=True)
    for t in ('HASH', 'ARRAY', 'PERCPU_HASH'):
        s.create(t, 4, 8, 4, poke=(OFF_IFINDEX, BAD_FD_LE))
    vml = (OFF_BTF_VMLINUX, '01000000')
    s.create(STRUCT_OPS, 4, 8, 1, poke=[vml, (OFF_BTF_KEY, '01000000')])
    s.create(STRUCT_OPS, 4, 8, 1, poke=[vml, (OFF_BTF_VALUE, '01000000')])
    s.create('HASH', 4, 8, 4, poke=(OFF_BTF_VALUE, '01000000'))
    s.create(BLOOM_FILTER, 4, 8, 4, map_extra=1)
    s.create(ARENA, 4, 8, 4, map_extra=1)
    page1 = '0800000000000000'     # an address in the first page: EFAULT
    for t in ('HASH', 'ARRAY'):
        for size in ('20000000', '10000000', '00000000'):
            s.create(t, 4, 8, 4, poke=[(OFF_EXCL_HASH, page1),
                                       (OFF_EXCL_HASH_SIZE, size)])

    # ------------------------------------------------------------ attr size
    s = S('attr_size_create', 'the size argument of bpf(2) for MAP_CREATE: '
          '0, 8, 12, 16, 92, 167, 168, 169 (zero / non-zero tail), 4096 '
          '(zero / non-zero last byte), 4097',
          autoclose=True)
    s.create('HASH', 4, 8, 4, attr_size=0)
    s.create('HASH', 4, 8, 4, attr_size=8)
    s.create('HASH', 4, 8, 4, attr_size=12)
    s.create('HASH', 4, 8, 4, attr_size=16)
    s.create('HASH', 4, 8, 4, attr_size=20, flags=Z)
    s.create_info('HASH', 4, 8, 4, attr_size=92, name='sized')
    s.create_info('HASH', 4, 8, 4, attr_size=44, name='abc')
    s.create_info('HASH', 4, 8, 4, attr_size=30, name='abcd')
    s.create('ARRAY', 4, 8, 4, attr_size=167)
    s.create('ARRAY', 4, 8, 4, attr_size=167, poke=(166, '01'))
    s.create('ARRAY', 4, 8, 4, attr_size=168)
    s.create('ARRAY', 4, 8, 4, attr_size=169)
    s.create('ARRAY', 4, 8, 4, attr_size=169, poke=(168, '01'))
    s.create('ARRAY', 4, 8, 4, attr_size=4096)
    s.create('ARRAY', 4, 8, 4, attr_size=4096, poke=(4095, '01'))
    s.create('ARRAY', 4, 8, 4, attr_size=4096, poke=(200, '80'))
    s.create('ARRAY', 4, 8, 4, attr_size=4097)
    s.create('ARRAY', 4, 8, 4, attr_size=8192)
    s.create('ARRAY', 4, 8, 0, attr_size=4097)
    s.create('ARRAY', 4, 8, 0, attr_size=169, poke=(168, '01'))

    s = S('attr_size_commands', 'the size argument of bpf(2) for the other '
          'commands: sizes that cut fields (they read as zero: NULL '
          'pointers, flags 0), 167, 168, 169, 4096, 4097, non-zero bytes '
          'past 168 (the map_fd field is never cut: fd 0 is the harness\' '
          'stdin)')
    g = s.create('HASH', 4, 8, 4, flags=Z)
    s.update(g.k(1), g.v(1))
    for sz, pk in ((8, []), (16, []), (24, []), (167, []), (168, []),
                   (169, []), (169, [(168, '01')]), (4096, []),
                   (4096, [(4000, '01')]), (4097, [])):
        s.note('attr_size %d%s' % (sz, ' + non-zero tail' if pk else ''))
        s.lookup(g.k(1), attr_size=sz, poke=pk)
        s.update(g.k(2), g.v(2, sz), attr_size=sz, poke=pk)
        s.next(None, attr_size=sz, poke=pk)
        s.next(g.k(1), attr_size=sz, poke=pk)
        s.lookup_and_delete(g.k(9), attr_size=sz, poke=pk)
        s.delete(g.k(9), attr_size=sz, poke=pk)
        s.lookup_batch(4, attr_size=max(sz, 40), poke=pk)
        s.info(info_len=INFO_NO_HASH, attr_size=sz, poke=pk)
        s.get_fd_by_id(attr_size=sz, poke=pk, expect=False)
        s.next_id(attr_size=sz, poke=pk)
    s.note('batch: count @32, map_fd @36, elem_flags @40, flags @48')
    for sz in (40, 48, 56):
        s.lookup_batch(4, attr_size=sz)
        s.lookup_batch(4, attr_size=sz, elem_flags=LOCK)
        s.update_batch([g.k(3)], [g.v(3, sz)], attr_size=sz)
        s.delete_batch([g.k(3)], attr_size=sz)
    s.note('update with attr_size 24: flags cut, so an EXIST update acts '
           'as ANY')
    s.update(g.k(4), g.v(4), flags=EXIST, attr_size=24)
    s.lookup(g.k(4))
    s.note('freeze with attr_size 4 (exactly map_fd)')
    s.freeze(attr_size=4, poke=[])
    s.update(g.k(3), g.v(3))
    s.freeze(attr_size=4097)
    s.note('get_fd_by_id with attr_size 0: id 0')
    s.get_fd_by_id(attr_size=0, expect=False)

    s = S('attr_tail_poke', 'a non-zero byte just after each command\'s '
          'last attr field (EINVAL), at byte 167 (EINVAL) and at byte 168 '
          'with a 169-byte attr (E2BIG); the same command without it works')
    g = s.create('HASH', 4, 8, 4, flags=Z)
    s.update(g.k(1), g.v(1))
    s.pin('@p')
    cmds = [
        ('create', 92, lambda **kw: s.create('HASH', 4, 8, 4, **kw)),
        ('lookup', 32, lambda **kw: s.lookup(g.k(1), fd=0, **kw)),
        ('update', 32, lambda **kw: s.update(g.k(1), g.v(1, 1), fd=0, **kw)),
        ('lookup_and_delete', 32,
         lambda **kw: s.lookup_and_delete(g.k(3), fd=0, **kw)),
        ('delete', 16, lambda **kw: s.delete(g.k(3), fd=0, **kw)),
        ('next', 24, lambda **kw: s.next(None, fd=0, **kw)),
        ('lookup_batch', 56, lambda **kw: s.lookup_batch(4, fd=0, **kw)),
        ('lookup_and_delete_batch', 56,
         lambda **kw: s.lookup_and_delete_batch(4, inb=le32(4), fd=0, **kw)),
        ('update_batch', 56, lambda **kw: s.update_batch(
            [g.k(2)], [g.v(2)], fd=0, **kw)),
        ('delete_batch', 56, lambda **kw: s.delete_batch(
            [g.k(3)], fd=0, **kw)),
        ('pin', 20, lambda **kw: s.pin('@p2', fd=0, **kw)),
        ('get', 20, lambda **kw: s.get('@p', expect=False, **kw)),
        ('info', 16, lambda **kw: s.info(fd=0, **kw)),
        ('get_fd_by_id', 12,
         lambda **kw: s.get_fd_by_id(fd=0, expect=False, **kw)),
        ('next_id', 8, lambda **kw: s.next_id(fd=0, **kw)),
        ('freeze', 4, lambda **kw: s.freeze(fd=0, **kw)),
    ]
    for name, end, fn in cmds:
        s.note('%s: last field ends at byte %d' % (name, end))
        fn(poke=(end, '01'))
        fn(poke=(167, '01'))
        fn(attr_size=169, poke=(168, '01'))
        if name == 'create':
            fn(poke=(end - 1, '01'))
        fn()
    s.note('delete: a non-zero value pointer / flags (past the key)')
    s.delete(g.k(1), fd=0, poke=(24, '01'))
    s.delete(g.k(1), fd=0, poke=(31, '80'))
    s.note('next: non-zero flags')
    s.next(None, fd=0, poke=(24, '01'))
    s.walk(fd=0)

    s = S('fd_errors', 'fd=closed (EBADF) and fd=notmap (EINVAL) for every '
          'command that takes a map fd, and the checks that come before '
          'the fd (lookup flags, CHECK_ATTR)')
    g = s.create('HASH', 4, 8, 4, flags=Z)
    s.update(g.k(1), g.v(1))
    for fd in ('closed', 'notmap'):
        s.note('fd=%s' % fd)
        s.lookup(g.k(1), fd=fd)
        s.update(g.k(1), g.v(1), fd=fd)
        s.delete(g.k(1), fd=fd)
        s.next(None, fd=fd)
        s.lookup_and_delete(g.k(1), fd=fd)
        s.freeze(fd=fd)
        s.lookup_batch(4, fd=fd)
        s.lookup_and_delete_batch(4, fd=fd)
        s.update_batch([g.k(1)], [g.v(1)], fd=fd)
        s.delete_batch([g.k(1)], fd=fd)
        s.pin('@x', fd=fd)
        s.info(info_len=INFO_NO_HASH, fd=fd)
        s.note('checks before the fd: lookup flags, CHECK_ATTR')
        s.lookup(g.k(1), flags=8, fd=fd)
        s.lookup(g.k(1), flags=LOCK, fd=fd)
        s.lookup_and_delete(g.k(1), flags=8, fd=fd)
        s.lookup_and_delete(g.k(1), flags=LOCK, fd=fd)
        s.update(g.k(1), g.v(1), flags=8, fd=fd)
        s.update(g.k(1), g.v(1), flags=LOCK, fd=fd)
        s.delete(g.k(1), flags=1, fd=fd)
        s.next(None, fd=fd, poke=(24, '01'))
        s.lookup_batch(4, elem_flags=8, fd=fd)
        s.lookup_batch(0, fd=fd)
        s.update_batch([g.k(1)], [g.v(1)], count=0, fd=fd)
        s.freeze(fd=fd, poke=(4, '01'))
        s.pin('@x', file_flags=F['RDONLY'], fd=fd)
        s.lookup(None, fd=fd)
    s.note('a closed slot')
    s.get_fd_by_id()
    s.close()
    s.lookup(g.k(1), fd=1)
    s.next(None, fd=1)
    s.info(fd=1)
    s.pin('@y', fd=1)
    s.lookup(g.k(1), fd=0)

    # ------------------------------------------------------------ pin / get
    for t in ('HASH', 'PERCPU_HASH', 'ARRAY', 'PERCPU_ARRAY'):
        P = t.startswith('PERCPU')
        s = S('pin_get_' + t.lower(), '%s: pin, get back, ops through the '
              'new fd, the map survives closing every fd, unlink then get' % t,
              percpu=P)
        g = s.create(t, 4, 12 if P else 8, 4,
                     flags=Z if t.endswith('HASH') else 0)
        s.update(g.k(1), g.v(1))
        s.pin('@m')
        s.get('@m')
        s.lookup(g.k(1))
        s.update(g.k(2), g.v(2))
        s.lookup(g.k(2), fd=0)
        s.pin('@m')
        s.pin('@m2', fd=1)
        s.close(fd=0)
        s.close(fd=1)
        s.get('@m2')
        s.walk()
        s.info(info_len=INFO_NO_HASH)
        s.close()
        s.get('@m', file_flags=F['PATH_FD'])
        s.lookup(g.k(2))
        s.unlink('@m')
        s.get('@m')
        s.unlink('@m')
        s.get('@m2', file_flags=F['RDONLY'])
        s.update(g.k(3), g.v(3))
        s.lookup(g.k(2))
        s.unlink('@m2')
        s.lookup(g.k(2))

    s = S('bpffs_dirs', 'bpffs directories: mkdir/rmdir, pins inside them, '
          'a pin used as a directory (ENOTDIR), rmdir of a non-empty '
          'directory (ENOTEMPTY), unlink of a directory (EISDIR)')
    g = s.create('ARRAY', 4, 8, 2)
    s.update(le32(1), g.v(1))
    for path in ('@d', '@d', '@e/f'):
        s.mkdir(path)
    s.pin('@d/x')
    s.pin('@d')
    s.get('@d')
    s.get('@d/x', file_flags=F['RDONLY'])
    s.lookup(le32(1))
    s.get('@d/nope')
    s.pin('@d/x/y')
    s.get('@d/x/y')
    s.mkdir('@d/x/z')
    s.rmdir('@d')
    s.unlink('@d')
    s.rmdir('@d/x')
    s.mkdir('@d/sub')
    s.mkdir('@d/sub/deeper')
    s.pin('@d/sub/deeper/m', fd=0)
    s.rmdir('@d/sub')
    s.unlink('@d/sub/deeper/m')
    s.rmdir('@d/sub/deeper')
    s.rmdir('@d/sub')
    s.unlink('@d/x')
    s.rmdir('@d')
    s.rmdir('@d')
    s.get('@d/x')
    s.mkdir('@d')
    s.pin('@d/left', fd=0)
    s.mkdir('/nonexistent-dir/x')

    s = S('bpffs_path_walk', 'the path walk of OBJ_PIN, OBJ_GET, '
          'unlink(2), mkdir(2) and rmdir(2): "." and ".." components, '
          'repeated and trailing slashes, a pin walked through, the mount '
          'point itself and its parent, names with a dot (bpf_lookup: '
          'EPERM), NAME_MAX and PATH_MAX, NULL paths, host paths')
    s.modelled = False     # the model resolves plain @names only
    g = s.create('ARRAY', 4, 8, 2)
    s.update(le32(1), g.v(1))
    s.pin('@p')
    s.mkdir('@d')
    s.pin('@d/./q')
    s.get('@d/../p')
    s.lookup(le32(1))
    s.get('@./d//q')
    s.get('@d/q/')
    s.pin('@p/')
    s.get('@p/')
    s.unlink('@p/')
    s.mkdir('@p/')
    s.pin('@p/x')
    s.mkdir('@p/x')
    s.pin('@new/')
    s.mkdir('@e/')
    s.rmdir('@e/')
    s.unlink('@d/./q')
    s.note('the mount point: "." and "d/.."; its parent, outside bpffs')
    for path in ('@.', '@d/..'):
        s.pin(path)
        s.get(path)
        s.unlink(path)
        s.mkdir(path)
        s.rmdir(path)
    for path in ('@..', '@d/../..', '@/'):
        s.pin(path)
        s.get(path)
        s.unlink(path)
        s.mkdir(path)
        s.rmdir(path)
    s.note('".." of "/" is "/"')
    s.get('@' + '../' * 8)
    s.pin('@' + '../' * 8 + 'etc')
    s.note('a dot in a name inside bpffs')
    s.pin('@a.b')
    s.get('@a.b')
    s.mkdir('@a.b')
    s.rmdir('@a.b')
    s.unlink('@a.b')
    s.pin('@d/.x')
    s.note('NAME_MAX (255) and PATH_MAX (4096 with the NUL)')
    s.pin('@' + 'n' * 255)
    s.get('@' + 'n' * 255)
    s.unlink('@' + 'n' * 255)
    s.pin('@' + 'n' * 256)
    s.mkdir('@' + 'n' * 256)
    s.pin('@' + 'd/' * 2048 + 'x')
    s.get('@' + 'd/' * 2048 + 'x')
    s.note('NULL paths')
    s.pin('null')
    s.get('null')
    s.note('host paths: an existing file, a file as a directory, a '
           'missing directory')
    s.pin('/etc/passwd')
    s.pin('/etc/passwd/x')
    s.get('/etc/passwd/x')
    s.unlink('/nonexistent-dir/x')
    s.rmdir('/nonexistent-dir/x')
    s.mkdir('/etc/passwd')

    s = S('pin_errors', 'OBJ_PIN / OBJ_GET errors: existing path, missing '
          'directory, outside bpffs, bad fds (EINVAL, not EBADF), flags, '
          'missing pins, non-BPF files')
    g = s.create('ARRAY', 4, 8, 2)
    s.pin('@a')
    s.pin('@a')
    s.pin('@nodir/x')
    s.pin('/tmp/bpfemu-not-bpffs')
    s.pin('/nonexistent-dir/x')
    s.pin('@b', fd='closed')
    s.pin('@b', fd='notmap')
    s.pin('@a', fd='closed')
    s.pin('@b', file_flags=F['RDONLY'])
    s.pin('@b', file_flags=F['WRONLY'])
    s.pin('@b', file_flags=F['PATH_FD'])
    s.pin('@c', poke=(16, '01'))
    s.get('@b')
    s.get('@missing')
    s.get('@nodir/x')
    s.get('/nonexistent-dir/x')
    s.get('/etc/passwd')
    s.get('@a', file_flags=F['RDONLY'] | F['WRONLY'])
    s.get('@a', file_flags=F['ZERO_SEED'])
    s.get('@a', file_flags=1 << 31)
    s.get('@a', poke=(16, '01'))
    s.get('@a', poke=(8, '01000000'))
    s.get('@a')
    s.unlink('@a')
    s.unlink('@a')
    s.get('@a')
    s.pin('@a', fd=0)
    s.get('@a', file_flags=F['WRONLY'])
    s.lookup(le32(0))
    s.update(le32(0), g.v(0))

    s = S('info_input_and_map_hash', 'OBJ_GET_INFO_BY_FD with the caller\'s bytes (6.18 '
          'reads the struct first) and the map hash: SHA-256 of a frozen '
          'ARRAY\'s values; EPERM before freeze, EINVAL for other types and '
          'sizes, a hash_size without a buffer')
    zeros = bytes(MAP_INFO_SIZE)
    size_only = bytes(96) + le32(32) + bytes(4)
    for T in ('ARRAY', 'PERCPU_ARRAY', 'HASH', 'PERCPU_HASH'):
        ks, vs, me = 4, 5, 3
        g = s.create(T, ks, vs, me, flags=Z if 'HASH' in T else 0,
                     name='h_' + T.lower()[:12])
        for i in range(2):
            s.update(le32(i), g.v(i))
        s.info(info_len=MAP_INFO_SIZE, in_=zeros)
        s.info(info_len=MAP_INFO_SIZE, in_=bytes(44) + b'\x11' * 36)
        s.info(info_len=MAP_INFO_SIZE, in_=zeros, hash_=32)
        s.freeze()
        s.info(info_len=MAP_INFO_SIZE, in_=zeros, hash_=32)
        s.info(info_len=MAP_INFO_SIZE, in_=zeros, hash_=20)
        s.info(info_len=MAP_INFO_SIZE, in_=zeros, hash_=64)
        s.info(info_len=MAP_INFO_SIZE, in_=size_only)
        s.info(info_len=96, in_=zeros, hash_=32)
        s.info(info_len=INFO_NO_HASH, hash_=32)
        s.close()

    # ---------------------------------------------------------------- mmap
    pg = 4096
    s = S('mmap_types', 'mmap(2) of each map type: only BPF_F_MMAPABLE '
          'ARRAYs map (ENOTSUPP for types without mmap, EINVAL for other '
          'arrays), and only shared')
    for T, fl in (('ARRAY', F['MMAPABLE']), ('ARRAY', 0),
                  ('PERCPU_ARRAY', 0), ('HASH', 0), ('PERCPU_HASH', 0),
                  ('HASH', Z)):
        s.create(T, 4, 8, 16, flags=fl)
        for prot, share in (('READ', 'SHARED'), ('READ|WRITE', 'SHARED'),
                            ('READ', 'PRIVATE'), ('READ', 'SHARED_VALIDATE'),
                            ('WRITE', 'SHARED')):
            s.mmap(pg, prot, share)
        s.close()

    s = S('mmap_fd_modes', 'mmap(2) through read-write, read-only and '
          'write-only fds of an mmapable array, every prot and sharing: '
          'a read-only fd never maps (sharing a read-only file is not '
          'VM_SHARED), a write-only one is EACCES')
    g = s.create('ARRAY', 4, 8, 16, flags=F['MMAPABLE'])
    s.get_fd_by_id(open_flags=F['RDONLY'])
    s.get_fd_by_id(open_flags=F['WRONLY'])
    s.create('ARRAY', 4, 8, 16, flags=F['MMAPABLE'] | F['RDONLY'])
    s.create('ARRAY', 4, 8, 16, flags=F['MMAPABLE'] | F['WRONLY'])
    for fd in range(5):
        for prot in ('READ', 'READ|WRITE', 'WRITE', 'NONE', 'READ|EXEC'):
            for share in ('SHARED', 'PRIVATE'):
                s.mmap(pg, prot, share, fd=fd)
    s.mmap(pg, 'READ', 'SHARED', fd='closed')
    s.mmap(pg, 'READ', 'SHARED', fd='notmap')

    s = S('mmap_bounds', 'mmap(2) lengths and offsets against the pages '
          'of the elements (PAGE_ALIGN(max_entries * round_up(value_size, '
          '8))): whole pages, partial last page, past the end, unaligned '
          'and out-of-range offsets, length 0')
    for me, vs in ((1, 8), (512, 8), (513, 8), (600, 5), (3, 4096)):
        g = s.create('ARRAY', 4, vs, me, flags=F['MMAPABLE'])
        size = -(-me * ((vs + 7) // 8 * 8) // pg) * pg
        for length, off in ((size, 0), (size + 1, 0), (size + pg, 0),
                            (1, 0), (pg - 1, 0), (0, 0), (pg, size - pg),
                            (pg, size), (pg, 100), (pg, 1 << 40)):
            s.mmap(length, 'READ', 'SHARED', off=off)
        s.close()

    s = S('mmap_coherence', 'a mapping and the syscalls see the same '
          'elements: element i at i * round_up(value_size, 8), padding '
          'included, updates through either side visible on the other')
    g = s.create('ARRAY', 4, 5, 10, flags=F['MMAPABLE'])
    s.update(le32(1), bytes.fromhex('0102030405'))
    s.update(le32(9), bytes.fromhex('a1a2a3a4a5'))
    s.mmap(pg, 'READ|WRITE', 'SHARED')
    s.mread(0, 80)
    s.mwrite(16, bytes.fromhex('1112131415161718'))
    s.mwrite(79, bytes.fromhex('ee'))
    s.mprotect('READ|WRITE|EXEC')
    s.lookup(le32(2))
    s.lookup(le32(9))
    s.update(le32(2), bytes.fromhex('2122232425'))
    s.mread(16, 8)
    s.mmap(pg, 'READ', 'SHARED')
    s.mread(0, 24)
    s.lookup_batch(10)
    s.walk()

    s = S('mmap_freeze', 'a writable mapping is an active writer: freeze '
          'gives EBUSY while any page of it stays mapped (a vma cut in two '
          'is two writers), a read-only one does not; a frozen map maps '
          'read-only only, and a read-only mapping never becomes writable')
    g = s.create('ARRAY', 4, 8, 1536, flags=F['MMAPABLE'])
    s.mmap(3 * pg, 'READ|WRITE', 'SHARED')
    s.freeze()
    s.munmap(0, pg, pg)                # a hole: two vmas now
    s.freeze()
    s.munmap(0, 0, pg)
    s.freeze()
    s.munmap(0, 2 * pg, pg)
    s.freeze()
    s.mmap(pg, 'READ', 'SHARED')
    s.mprotect('READ|WRITE')
    s.mprotect('READ|EXEC')            # VM_MAYEXEC is cleared
    s.mprotect('NONE')
    s.mprotect('READ')
    s.freeze()
    s.mmap(pg, 'READ|WRITE', 'SHARED')
    s.mmap(pg, 'READ', 'SHARED')
    s.mread(0, 16)
    s.update(le32(0), g.v(0))

    s = S('mmap_prog_flags', 'BPF_F_RDONLY_PROG forbids writable mappings '
          '(EACCES), BPF_F_WRONLY_PROG does not')
    for fl in (F['RDONLY_PROG'], F['WRONLY_PROG']):
        s.create('ARRAY', 4, 8, 16, flags=F['MMAPABLE'] | fl)
        s.mmap(pg, 'READ|WRITE', 'SHARED')
        s.mmap(pg, 'READ', 'SHARED')
        s.freeze()
        s.close()

    s = S('mmap_flags', 'mmap(2) flags and sizes of an mmapable array\'s '
          'fd: MAP_HUGETLB (EINVAL), MAP_SYNC (EOPNOTSUPP with '
          'SHARED_VALIDATE, ignored with SHARED), no or a bad mapping type '
          '(EINVAL), offsets past the largest file offset, MAP_ANONYMOUS (the fd is '
          'ignored; PROT_EXEC allowed there), munmap of an unaligned '
          'address; munmap of a writable mapping\'s tail, then of the rest')
    g = s.create('ARRAY', 4, 8, 1536, flags=F['MMAPABLE'])
    s.update(le32(1), g.v(1))
    for length, share, off in (
            (pg, 'SHARED|0x40000', None),
            (pg, 'SHARED_VALIDATE|0x80000', None),
            (pg, '0', None), (pg, '4', None),
            (pg, 'SHARED', (1 << 64) - pg), (2 * pg, 'SHARED', (1 << 63) - pg),
            (pg, 'SHARED|0x80000', None)):
        s.mmap(length, 'READ', share, off=off)
    s.mread(8, 8)
    s.mmap(pg, 'READ|WRITE', 'PRIVATE|0x20')
    s.mread(0, 8)
    s.mprotect('READ|EXEC')            # not a map's: the host's rules
    s.munmap(off=1, length=pg - 1)     # an unaligned address: EINVAL
    s.mmap(3 * pg, 'READ|WRITE', 'SHARED')
    s.munmap(off=pg, length=2 * pg)
    s.freeze()
    s.munmap(off=0, length=pg)
    s.freeze()
    s.close()

    # valgrind answers these mmap(2) calls itself (EINVAL): its kernel half
    # leaves this file out (tests/run-memcheck.sh)
    s = S('mmap_huge_len', 'mmap(2) of an mmapable array\'s fd with a '
          'length past TASK_SIZE or one that wraps (ENOMEM), one no free '
          'range of the address space holds (ENOMEM: get_unmapped_area '
          'comes before the file\'s mmap), one that fits there but not in '
          'the map (EINVAL)')
    s.create('ARRAY', 4, 8, 1536, flags=F['MMAPABLE'])
    for length in (1 << 47, (1 << 64) - 1, (1 << 47) - (1 << 12),
                   140734976710656, 1 << 36):
        s.mmap(length, 'READ', 'SHARED')
    s.close()

    # ------------------------------------------------------------ info / ids
    for t in ('HASH', 'PERCPU_HASH', 'ARRAY', 'PERCPU_ARRAY'):
        s = S('info_' + t.lower(), '%s: OBJ_GET_INFO_BY_FD with info_len 0, '
              '8, 24, 87, 88, 89, 96, 104, 105, 200 on maps with and '
              'without flags and names' % t)
        H = t.endswith('HASH')
        s.create(t, 4, 8, 4)
        for n in (0, 8, 24, 87, 88, 89, 96, 104, 105, 200):
            s.info(info_len=n)
        s.info()
        s.create(t, 4, 13, 1000, name='info_map.1',
                 flags=(Z | F['NO_PREALLOC'] | F['RDONLY_PROG']) if H else
                 (F['RDONLY_PROG'] | (0 if t.startswith('PERCPU')
                                      else F['MMAPABLE'])))
        s.info(info_len=INFO_NO_HASH)
        s.info()
        s.freeze()
        s.info(info_len=INFO_NO_HASH)
        s.info()
        s.create(t, 4, 8, 4, flags=F['RDONLY'])
        s.info(info_len=INFO_NO_HASH)
        s.create(t, 4, 8, 4, flags=F['WRONLY'])
        s.info(info_len=INFO_NO_HASH)

    s = S('ids', 'MAP_GET_FD_BY_ID / MAP_GET_NEXT_ID: own id, unused ids, '
          'open_flags, next id after self-1')
    g = s.create('HASH', 4, 8, 4, flags=Z)
    s.update(g.k(1), g.v(1))
    s.get_fd_by_id(fd=0)
    s.lookup(g.k(1))
    s.info(info_len=INFO_NO_HASH)
    for id_ in (0, UNUSED_ID, 0x7fffffff, 0xffffffff):
        s.get_fd_by_id(id_)
    for fl in (F['RDONLY'] | F['WRONLY'], F['NO_PREALLOC'], F['PATH_FD'],
               1 << 31):
        s.get_fd_by_id(open_flags=fl, fd=0)
    s.get_fd_by_id(UNUSED_ID, open_flags=F['RDONLY'] | F['WRONLY'])
    s.next_id(fd=0)
    s.next_id(UNUSED_ID)
    s.next_id(0x7fffffff)
    s.next_id(0xffffffff)
    g2 = s.create('ARRAY', 4, 8, 2)
    s.next_id()
    s.next_id(fd=0)
    s.get_fd_by_id()
    s.update(le32(1), g2.v(1))
    s.lookup(le32(1), fd=2)
    s.close(fd=2)
    s.close(fd=3)
    s.get_fd_by_id(fd=0, open_flags=F['RDONLY'])
    s.update(g.k(2), g.v(2))
    s.lookup(g.k(1))

    s = S('bad_user_pointers', 'pointers into the first page (EFAULT) '
          'where an output or a tail is read: OBJ_GET_INFO_BY_FD\'s info '
          'with info_len past the known fields and within them, a batch\'s '
          'in_batch cookie; an info_len over a page (E2BIG)')
    s.modelled = False     # the model does not follow pointers
    page1 = '0800000000000000'
    for t in ('HASH', 'PERCPU_HASH', 'ARRAY', 'PERCPU_ARRAY'):
        g = s.create(t, 4, 8, 4, flags=Z if 'HASH' in t else 0)
        s.update(le32(1), g.v(1))
        s.info(info_len=MAP_INFO_SIZE, poke=(8, page1))
        s.info(info_len=INFO_NO_HASH, poke=(8, page1))
        s.info(info_len=4097)
        s.lookup_batch(4, inb=le32(1), poke=(0, page1))
        s.lookup_and_delete_batch(4, inb=le32(1), poke=(0, page1))
        s.walk()
        s.close()

    s = S('map_hash_sizes', 'the map hash (SHA-256 of a frozen ARRAY\'s '
          'values) over 56, 64, 120 and 8192 bytes: the padding block '
          'alone, one block before it, a two-block tail, many blocks')
    for me, vs in ((7, 8), (8, 8), (15, 8), (16, 512)):
        g = s.create('ARRAY', 4, vs, me)
        for i in range(me):
            s.update(le32(i), g.v(i))
        s.freeze()
        s.info(info_len=MAP_INFO_SIZE, in_=bytes(MAP_INFO_SIZE), hash_=32)
        s.close()

    s = S('freeze_across_fds', 'MAP_FREEZE is a property of the map: '
          'through an RDONLY fd it is EPERM, through a WRONLY fd it works, '
          'and then no fd of the map can write')
    for t in ('HASH', 'ARRAY'):
        g = s.create(t, 4, 8, 4, flags=Z if t == 'HASH' else 0)
        base = s.mc.newest()
        s.update(g.k(1), g.v(1))
        s.pin('@' + t.lower())
        s.get('@' + t.lower(), file_flags=F['RDONLY'])
        s.freeze()
        s.get('@' + t.lower(), file_flags=F['WRONLY'])
        s.freeze()
        s.update(g.k(1), g.v(1, 1), fd=base)
        s.update(g.k(1), g.v(1, 1))
        s.freeze()
        s.freeze(fd=base)
        s.lookup(g.k(1), fd=base)
    return out


# --- driver ------------------------------------------------------------------

def build_all():
    scns = []
    scns += gen_hash('HASH')
    scns += gen_hash('PERCPU_HASH')
    scns += gen_array('ARRAY')
    scns += gen_array('PERCPU_ARRAY')
    for t in ('HASH', 'PERCPU_HASH', 'ARRAY', 'PERCPU_ARRAY'):
        scns += gen_prog(t)
    scns += gen_common()
    scns += gen_reuse()
    import gen_lpm      # imports this module: the LPM_TRIE scenarios
    scns += gen_lpm.gen_lpm()
    # QUEUE, STACK, BLOOM_FILTER (gen_qsb.py) build on this module's model
    import gen_qsb
    scns += gen_qsb.build()
    import gen_lru      # the LRU_HASH and LRU_PERCPU_HASH scenarios
    scns += gen_lru.gen_lru()
    seen = set()
    for s in scns:
        key = (s.family, s.name)
        assert key not in seen, key
        seen.add(key)
    return scns


def write_all(scns, outdir):
    for fam in FAMILIES:
        d = os.path.join(outdir, fam)
        if os.path.isdir(d):
            for f in os.listdir(d):
                if f.endswith('.scn'):
                    os.unlink(os.path.join(d, f))
        os.makedirs(d, exist_ok=True)
    for s in scns:
        with open(os.path.join(outdir, s.family, s.name + '.scn'), 'w') as f:
            f.write(s.text())


def summary(scns):
    per_type, per_fam, files, per_prog = {}, {}, {}, {}
    total = 0
    for s in scns:
        files[s.family] = files.get(s.family, 0) + 1
        for t, _, mt in s.lines:
            if not t or t.startswith('#'):
                continue
            total += 1
            per_fam[s.family] = per_fam.get(s.family, 0) + 1
            key = mt if isinstance(mt, str) else 'other'
            per_type[key] = per_type.get(key, 0) + 1
            if is_prog_op(t):
                per_prog[key] = per_prog.get(key, 0) + 1
    lines = ['%d scenarios, %d ops' % (len(scns), total)]
    for fam in FAMILIES:
        lines.append('  %-13s %4d scenarios %5d ops' %
                     (fam, files.get(fam, 0), per_fam.get(fam, 0)))
    lines.append('ops by the type of the map they act on '
                 '(program-side ops):')
    for k in sorted(per_type):
        lines.append('  %-13s %5d (%d)' % (k, per_type[k],
                                           per_prog.get(k, 0)))
    return '\n'.join(lines)


def is_prog_op(text):
    """A program-side op line (tests/corpus/FORMAT.md, the program side)."""
    toks = text.split()
    return toks[0] in PROG_ONLY_OPS or 'side=prog' in toks[1:]


# --- --check: recorded results against the model -----------------------------

def parse_recorded(path):
    """-> (op lines [(op text, result text or None)], state lines)."""
    ops, states = [], []
    with open(path) as f:
        for raw in f:
            line = raw.split('#', 1)[0].strip()
            if not line or line.startswith('recorded '):
                continue
            if line.startswith('state '):
                states.append(line)
                continue
            if ' => ' in line:
                op, res = line.split(' => ', 1)
            elif line.endswith('=>'):
                op, res = line[:-2], ''
            else:
                op, res = line, None
            ops.append((op.strip(), None if res is None else res.strip()))
    return ops, states


def parse_result(res):
    ret, _, rest = res.partition(' ')
    if ret == 'refused':            # `refused -E<NAME>`: one token
        errno_, _, rest = rest.partition(' ')
        ret += ' ' + errno_
    outs = {}
    for tok in rest.split():
        k, _, v = tok.partition('=')
        outs[k] = v.replace('_', '').lower()
    return ret, outs


def norm_out(v):
    if isinstance(v, bytes):
        return v.hex()
    return str(v).lower()


def compare(pred, res):
    """The differences between a recorded result and the model's guess.
    Output buffers are recorded whole: the model's bytes must be a prefix
    and the rest the harness' 0xAA fill."""
    ret, outs = parse_result(res)
    if ret != pred.ret:
        return ['ret %s, model %s' % (ret, pred.ret)]
    diffs = []
    for k, v in (pred.outs or {}).items():
        got, want = outs.get(k), norm_out(v)
        if got is None and k == 'count':
            continue                    # unchanged: not written
        if got is None and k in ('keys', 'values', 'out') and not want:
            continue
        if k in ('keys', 'values', 'out', 'value', 'key') and got and \
                hexmatch(got[:len(want)], want) and \
                set(got[len(want):]) <= {'a'}:
            continue
        if got is None or not hexmatch(got, want):
            diffs.append('%s=%s, model %s' % (k, got, want))
    return diffs


def check_state(s, path):
    """The recorded `state` lines against the model's final maps."""
    mc = s.mc
    if mc.lost:
        return 0
    _, states = parse_recorded(path)
    got = {}
    for line in states:
        toks = dict(t.split('=', 1) for t in line.split()[1:])
        if 'value' not in toks:
            return 0                    # a summary or walk line
        # a QUEUE's or STACK's values have no key (gen_qsb.py)
        got.setdefault(int(toks['fd']), []).append(
            (toks.get('key', '').replace('_', ''),
             toks['value'].replace('_', '')))
    want, seen = {}, set()
    for i, sl in enumerate(mc.slots):
        if not sl.open or id(sl.m) in seen:
            continue
        seen.add(id(sl.m))
        if sl.m.unknown:
            return 0
        want[i] = (sl.m, [(k.hex(), v.hex()) for k, v in sl.m.contents()])
    bad = 0
    for i in sorted(set(got) | set(want)):
        if i not in want:
            print('%s: state fd=%d recorded, the model has no such map' %
                  (path, i))
            bad += 1
            continue
        m, w = want[i]
        g = got.get(i, [])
        exact = not m.is_hash or m.ordered
        if not exact:
            g, w = sorted(g), sorted(w)
        if len(g) != len(w) or not all(
                gk == wk and hexmatch(gv, wv)
                for (gk, gv), (wk, wv) in zip(g, w)):
            print('%s: state fd=%d: %d elements recorded, model %d%s' %
                  (path, i, len(g), len(w), '' if exact else ' (as sets)'))
            bad += 1
    return bad


def check_all(scns, outdir):
    bad = 0
    missing = 0
    compared = 0
    unmodelled = 0
    for s in scns:
        path = os.path.join(outdir, s.family, s.name + '.scn')
        if not os.path.exists(path):
            missing += 1
            continue
        if not s.modelled:
            unmodelled += 1
            continue
        ops, _ = parse_recorded(path)
        gen = [(t, p) for t, p, _ in s.lines if t and not t.startswith('#')]
        if len(ops) != len(gen):
            print('%s: %d ops recorded, %d generated' %
                  (path, len(ops), len(gen)))
            bad += 1
            continue
        if all(r is None for _, r in ops):
            missing += 1
            continue
        for n, ((_, res), (text, pred)) in enumerate(zip(ops, gen)):
            if pred is None or res is None:
                continue
            compared += 1
            diffs = compare(pred, res)
            if diffs:
                bad += 1
                print('%s: op %d: %s\n    => %s\n    %s' % (
                    path, n + 1, text, res, '; '.join(diffs)))
        bad += check_state(s, path)
    print('%d ops compared, %d differences, %d files not recorded, '
          '%d files outside the model (mappings, LRU evictions)' %
          (compared, bad, missing, unmodelled))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument('--out', default=os.path.normpath(
        os.path.join(here, '..', 'corpus')))
    ap.add_argument('--check', action='store_true',
                    help='compare the recorded results with the model')
    ap.add_argument('--stats', action='store_true',
                    help='print the counts only, write nothing')
    args = ap.parse_args()
    scns = build_all()
    if args.check:
        return 1 if check_all(scns, args.out) else 0
    if not args.stats:
        write_all(scns, args.out)
    print(summary(scns))
    return 0


if __name__ == '__main__':
    # the type modules (gen_lpm) import this module by name: one copy
    sys.modules.setdefault('gen_corpus', sys.modules[__name__])
    sys.exit(main())

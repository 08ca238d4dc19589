# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The BPF_MAP_TYPE_LPM_TRIE scenarios of the conformance corpus
(tests/corpus/lpm_trie/), built by gen_corpus.py (build_all) with its
scenario builder and model; this module adds the trie to both.

A key is a host-order u32 prefixlen, then D = key_size - 4 data bytes
read big-endian (spec: array-lpm-queue-maps.md §4). The model keeps the
entries by identity (prefixlen, the first prefixlen bits) with the raw
bytes of the last update that stored them; no trie shape: lookups are
the longest stored prefix of the key (capped by the key's prefixlen),
GET_NEXT_KEY follows the total order of §4.6 (more specific first, the
0 branch before the 1 branch).

Scenarios: create rules and their order against the generic checks,
update flags and prefixlen, a full trie (replacements succeed, glue is
never counted), longest-prefix lookups, exact deletes, the walk order,
every key size from 5 to 260, batches, freeze and fd access, mmap, the
program side (helpers, verifier refusals, CPU 1) and seeded random mixes
of every element command on both sides.
"""

import random

import gen_corpus as base
from gen_corpus import (F, ANY, NOEXIST, EXIST, LOCK, INFO_NO_HASH,
                        OFF_TOKEN_FD, OFF_BTF_FD, OFF_BTF_VALUE, BAD_FD_LE,
                        MAP_FLAG_BITS, Pred, Unknown, le32, plain_value)

T = 'LPM_TRIE'
NP = F['NO_PREALLOC']
LPM_CREATE_FLAGS = NP | F['NUMA_NODE'] | base.ACCESS_MASK
VAL_SIZE_MAX = (1 << 22) - 256 - 24   # KMALLOC_MAX_SIZE - 256 - node


# --- keys ---------------------------------------------------------------------

def pkey(ds, plen, data):
    """A trie key: prefixlen, then data (an int, big-endian in ds bytes)."""
    return le32(plen) + (data % (1 << (8 * ds))).to_bytes(ds, 'big')


def ip4(addr, plen):
    a, b, c, d = (int(x) for x in addr.split('.'))
    return pkey(4, plen, (a << 24) | (b << 16) | (c << 8) | d)


def key_plen(key):
    return int.from_bytes(key[:4], 'little')


def key_data(key):
    return int.from_bytes(key[4:], 'big')


# --- the model ----------------------------------------------------------------

class LpmObj(base.MapObj):
    """A trie as a set of entries: identity -> [stored key, value]."""

    def __init__(self, *args):
        super().__init__(*args)
        self.ds = self.ks - 4
        self.maxlen = 8 * self.ds
        self.entries = {}

    def ident(self, key):
        plen = key_plen(key)
        return plen, key_data(key) >> (self.maxlen - plen)

    def order(self, ident):
        """§4.6 as a sort key: the prefix bits, then 2 (after both)."""
        plen, bits = ident
        return [(bits >> (plen - 1 - i)) & 1 for i in range(plen)] + [2]

    def walk(self):
        return [self.entries[i][0]
                for i in sorted(self.entries, key=self.order)]

    def contents(self):
        return [tuple(self.entries[i])
                for i in sorted(self.entries, key=self.order)]

    def best(self, key):
        """The identity of the longest stored prefix of key, or None."""
        plen = key_plen(key)
        if plen > self.maxlen:
            return None
        data = key_data(key)
        for n in range(plen, -1, -1):
            ident = (n, data >> (self.maxlen - n))
            if ident in self.entries:
                return ident
        return None

    def next_of(self, key):
        if not self.entries:
            return None
        order = self.walk()
        if key is None or key_plen(key) > self.maxlen or \
                self.ident(key) not in self.entries:
            return order[0]
        idx = order.index(self.entries[self.ident(key)][0])
        return order[idx + 1] if idx + 1 < len(order) else None


class LpmMachine(base.Machine):
    """gen_corpus' Machine with the trie's rules for LPM_TRIE maps."""

    def alloc_check(self, t, ks, vs, me, flags, numa):
        if t == T:
            return None     # every check is trie_alloc's (alloc_errno)
        return super().alloc_check(t, ks, vs, me, flags, numa)

    @staticmethod
    def alloc_errno(t, ks, vs, me, flags):
        if t != T:
            return base.Machine.alloc_errno(t, ks, vs, me, flags)
        # lpm_trie.c: trie_alloc, one EINVAL for all
        if me == 0 or not flags & NP or flags & ~LPM_CREATE_FLAGS or \
                (flags & F['RDONLY_PROG'] and flags & F['WRONLY_PROG']) or \
                not 5 <= ks <= 260 or not 1 <= vs <= VAL_SIZE_MAX:
            return '-EINVAL'
        return None

    @staticmethod
    def new_map(t, ks, vs, me, flags, name):
        cls = LpmObj if t == T else base.MapObj
        return cls(t, ks, vs, me, flags, name)

    @staticmethod
    def is_lpm(m):
        return isinstance(m, LpmObj)

    @staticmethod
    def takes_batch(m, op):
        if LpmMachine.is_lpm(m):
            return op != 'lookup_and_delete_batch'
        return base.Machine.takes_batch(m, op)

    @staticmethod
    def elem(m, key):
        if not LpmMachine.is_lpm(m):
            return base.Machine.elem(m, key)
        ident = m.best(key)
        return None if ident is None else m.entries[ident][1]

    @staticmethod
    def set_elem(m, key, val):
        if not LpmMachine.is_lpm(m):
            return base.Machine.set_elem(m, key, val)
        m.entries[m.best(key)][1] = val

    @staticmethod
    def next_key(m, key):
        if not LpmMachine.is_lpm(m):
            return base.Machine.next_key(m, key)
        return m.next_of(key)

    @staticmethod
    def do_update(m, key, val, flags):
        if not LpmMachine.is_lpm(m):
            return base.Machine.do_update(m, key, val, flags)
        # lpm_trie.c: trie_update_elem, trie_check_add_elem
        if flags > EXIST or key_plen(key) > m.maxlen:
            return '-EINVAL'
        # memalloc.c: the node and its llist_node past KMALLOC_MAX_SIZE
        if 24 + m.ds + m.vs + 8 > 1 << 22:
            return '-ENOMEM'
        ident = m.ident(key)
        if ident in m.entries:
            if flags == NOEXIST:
                return '-EEXIST'
        elif flags == EXIST:
            return '-ENOENT'
        elif len(m.entries) >= m.me:
            return '-ENOSPC'
        m.entries[ident] = [key, val]
        return '0'

    @staticmethod
    def do_delete(m, key):
        if not LpmMachine.is_lpm(m):
            return base.Machine.do_delete(m, key)
        if key_plen(key) > m.maxlen:
            return '-EINVAL'
        if m.entries.pop(m.ident(key), None) is None:
            return '-ENOENT'
        return '0'

    def prog_update(self, fd, key, val, flags, cpu):
        m = self._prog_map(fd)
        if not self.is_lpm(m):
            return super().prog_update(fd, key, val, flags, cpu)
        r = self.prog_refusal(m, 'update')
        return Pred(r or self.do_update(m, key, val, flags))


class LpmScn(base.Scn):
    def __init__(self, name, what):
        super().__init__('lpm_trie', name, 'LPM_TRIE: ' + what)
        self.mc = LpmMachine()

    def walk(self, fd=None, ver_note=None):
        """GET_NEXT_KEY from NULL, then from every key in the model's
        order, until ENOENT."""
        m = self.model_map(fd)
        assert m is not None and not m.unknown
        kw = {} if fd is None else {'fd': fd}
        self.next(None, **kw)
        for k in m.walk():
            self.next(k, **kw)

    def lpm(self, ks=8, vs=8, me=16, flags=0, **kw):
        return self.create(T, ks, vs, me, flags=NP | flags, **kw)


def val(vs, i, ver=0):
    return plain_value(vs, i, ver)


# --- the scenarios ------------------------------------------------------------

def gen_create(S):
    s = S('create_flag_bits', 'MAP_CREATE (key 8, value 8, max_entries 4) '
          'without flags (NO_PREALLOC is mandatory), then NO_PREALLOC with '
          'each other map_flags bit 1..16, bits 17 and 31, all 32 bits')
    s.autoclose = True
    s.create(T, 8, 8, 4)
    s.create(T, 8, 8, 4, flags=F['RDONLY'])
    for bit, name in enumerate(MAP_FLAG_BITS):
        kw = {}
        if name == 'NUMA_NODE':
            kw['numa_node'] = 0
        if name == 'TOKEN_FD':
            kw['poke'] = (OFF_TOKEN_FD, BAD_FD_LE)
        s.create(T, 8, 8, 4, flags=NP | (1 << bit), **kw)
    for fl in (1 << 17, 1 << 31, 0xffffffff):
        s.create(T, 8, 8, 4, flags=NP | fl)

    s = S('create_sizes', 'key_size (5 to 260: 1 to 256 data bytes), '
          'value_size (1 to KMALLOC_MAX_SIZE - 256 - 24) and max_entries '
          '(at least 1, no upper bound: nodes come on demand) boundaries; '
          'each map created is looked at with OBJ_GET_INFO_BY_FD and closed')
    s.autoclose = True
    for ks in (0, 1, 4, 5, 6, 8, 20, 36, 259, 260, 261, 512, 0xffffffff):
        s.create_info(T, ks, 8, 4, flags=NP)
    for vs in (0, 1, 3, 4096, VAL_SIZE_MAX, VAL_SIZE_MAX + 1, 1 << 22,
               0x7fffffff, 0xffffffff):
        s.create_info(T, 8, vs, 4, flags=NP)
    for me in (0, 1, 0x7fffffff, 0xffffffff):
        s.create_info(T, 8, 8, me, flags=NP)
    s.create_info(T, 260, VAL_SIZE_MAX, 0xffffffff, flags=NP)

    s = S('create_order', 'which check answers first: the generic ones '
          '(map_extra, RDONLY|WRONLY, NUMA node, a bad token fd) come '
          'before trie_alloc\'s, whose rules all give EINVAL; the name '
          'and BTF are checked after it')
    s.autoclose = True
    tok = (OFF_TOKEN_FD, BAD_FD_LE)
    btf = [(OFF_BTF_VALUE, '01000000'), (OFF_BTF_FD, BAD_FD_LE)]
    for what, kw in (
            ('bad token fd (EBADF) vs key_size 4', dict(
                ks=4, flags=NP | F['TOKEN_FD'], poke=tok)),
            ('bad token fd vs no NO_PREALLOC', dict(
                flags=F['TOKEN_FD'], poke=tok)),
            ('bad token fd vs max_entries 0', dict(
                me=0, flags=NP | F['TOKEN_FD'], poke=tok)),
            ('bad token fd vs MMAPABLE', dict(
                flags=NP | F['TOKEN_FD'] | F['MMAPABLE'], poke=tok)),
            ('map_extra vs key_size 4', dict(ks=4, map_extra=1)),
            ('RDONLY|WRONLY vs no NO_PREALLOC', dict(
                flags=F['RDONLY'] | F['WRONLY'])),
            ('NUMA node 1 vs value_size 0', dict(
                vs=0, flags=NP | F['NUMA_NODE'], numa_node=1)),
            ('NUMA_NO_NODE with key_size 261', dict(
                ks=261, flags=NP | F['NUMA_NODE'], numa_node=0xffffffff)),
            ('bad name vs key_size 261: trie_alloc first', dict(
                ks=261, name='a-b')),
            ('bad name alone', dict(name='a-b')),
            ('a name of 15 characters', dict(name='lpm_trie_map_15')),
            ('btf_fd not open (EBADF) vs key_size 4: trie_alloc first',
             dict(ks=4, poke=btf)),
            ('btf_fd not open alone', dict(poke=btf)),
            ('RDONLY_PROG|WRONLY_PROG', dict(
                flags=NP | F['RDONLY_PROG'] | F['WRONLY_PROG'])),
            ('ZERO_SEED', dict(flags=NP | F['ZERO_SEED']))):
        s.note(what)
        a = dict(ks=8, vs=8, me=4, flags=NP)
        a.update(kw)
        s.create(T, a.pop('ks'), a.pop('vs'), a.pop('me'), **a)

    s = S('create_flags_info', 'the map_flags an LPM trie keeps for each '
          'accepted flag set, and NUMA_NODE with nodes 0, 1, NUMA_NO_NODE')
    s.autoclose = True
    for fl in (0, F['NUMA_NODE'], F['RDONLY'], F['WRONLY'],
               F['RDONLY_PROG'], F['WRONLY_PROG'],
               F['RDONLY'] | F['WRONLY_PROG'],
               F['WRONLY'] | F['RDONLY_PROG'] | F['NUMA_NODE']):
        s.create_info(T, 8, 8, 4, flags=NP | fl,
                      numa_node=0 if fl & F['NUMA_NODE'] else None)
    for node in (0, 1, 0xffffffff, 0x7fffffff):
        s.create_info(T, 8, 8, 4, flags=NP | F['NUMA_NODE'], numa_node=node)
    s.create_info(T, 8, 8, 4, flags=NP, numa_node=5)


def kernel_example(s, vs=8):
    """The four prefixes of lpm_trie.c's comment, and 192.168.1.0/24
    added last (glue at /23)."""
    for i, (a, n) in enumerate((('192.168.0.0', 16), ('192.168.0.0', 24),
                                ('192.168.128.0', 24),
                                ('192.168.1.0', 24))):
        s.update(ip4(a, n), val(vs, i + 1))


def gen_update(S):
    s = S('update_flags', 'MAP_UPDATE_ELEM: BPF_NOEXIST on a stored '
          'prefix (EEXIST, bits past the prefix ignored), BPF_EXIST on a '
          'missing one (ENOENT), a replacement stores the new raw data '
          'bytes, LOCK and other flag bits (EINVAL), prefixlen past the '
          'data bits (EINVAL), /0 and /32, NULL key or value (EFAULT)')
    s.lpm(8, 8, 8)
    s.update(ip4('10.1.0.0', 16), val(8, 1))
    s.update(ip4('10.1.2.3', 16), val(8, 2), flags=NOEXIST)
    s.update(ip4('10.2.0.0', 16), val(8, 3), flags=EXIST)
    s.update(ip4('10.1.255.255', 16), val(8, 4), flags=EXIST)
    s.walk()
    s.lookup(ip4('10.1.9.9', 32))
    s.update(ip4('10.1.7.7', 16), val(8, 5))
    s.walk()
    for fl in (LOCK, NOEXIST | LOCK, EXIST | LOCK, 3, 8, 0x10, 1 << 32):
        s.update(ip4('10.1.0.0', 16), val(8, 6), flags=fl)
        s.update(ip4('10.3.0.0', 16), val(8, 6), flags=fl)
    for plen in (33, 40, 0x80000000, 0xffffffff):
        s.update(ip4('10.1.0.0', plen), val(8, 7))
        s.update(ip4('10.1.0.0', plen), val(8, 7), flags=EXIST)
    s.update(ip4('10.1.2.3', 32), val(8, 8), flags=NOEXIST)
    s.update(ip4('77.7.7.7', 0), val(8, 9), flags=NOEXIST)
    s.update(ip4('0.0.0.0', 0), val(8, 10), flags=NOEXIST)
    s.update(ip4('1.2.3.4', 0), val(8, 11), flags=EXIST)
    s.update(None, val(8, 12))
    s.update(ip4('10.9.0.0', 16), None)
    s.walk()
    s.lookup(ip4('10.9.9.9', 32))
    s.lookup(ip4('10.1.2.3', 32))

    s = S('update_node_too_big', 'a trie whose node (24 bytes, the data, '
          'the value) with bpf_mem_alloc\'s 8-byte llist_node is past '
          'KMALLOC_MAX_SIZE: created (LPM_VAL_SIZE_MAX leaves the '
          'llist_node out), but every update is ENOMEM before anything '
          'else is looked at, BPF_EXIST on a missing prefix too; a byte '
          'less and updates work (values short: zero-padded)')
    for ks in (260, 253, 252):
        s.lpm(ks, VAL_SIZE_MAX, 4)
        k = pkey(ks - 4, 8, 0xc0 << (8 * (ks - 5)))
        s.update(k, b'\x01')
        s.update(k, b'\x02', flags=EXIST)
        s.update(k, b'\x03', flags=NOEXIST)
        s.update(pkey(ks - 4, 8 * (ks - 4) + 1, 0), b'\x04')
        s.delete(k)

    s = S('update_full', 'a full trie (max_entries 4): a new prefix is '
          'ENOSPC, BPF_EXIST on a missing one ENOENT first, a stored '
          'prefix is replaced (BPF_NOEXIST: EEXIST); glue nodes are never '
          'counted, and turning glue into an entry counts (ENOSPC when '
          'full, ENOENT with BPF_EXIST); a delete makes room')
    s.lpm(8, 8, 4)
    s.note('two prefixes that diverge at bit 22: glue /22 between them')
    s.update(ip4('10.0.0.0', 24), val(8, 1))
    s.update(ip4('10.0.2.0', 24), val(8, 2))
    s.update(ip4('10.0.0.0', 22), val(8, 3), flags=EXIST)
    s.note('glue is not counted: four entries fit')
    s.update(ip4('10.0.8.0', 24), val(8, 4))
    s.update(ip4('10.0.0.0', 8), val(8, 5))
    s.walk()
    s.update(ip4('10.0.9.0', 24), val(8, 6))
    s.update(ip4('10.0.9.0', 24), val(8, 6), flags=EXIST)
    s.update(ip4('10.0.9.0', 24), val(8, 6), flags=NOEXIST)
    s.update(ip4('10.0.0.0', 22), val(8, 7))
    s.update(ip4('10.0.0.0', 22), val(8, 7), flags=EXIST)
    s.update(ip4('10.0.0.0', 20), val(8, 7), flags=NOEXIST)
    s.note('replacing in a full trie')
    s.update(ip4('10.0.0.0', 24), val(8, 8))
    s.update(ip4('10.0.2.77', 24), val(8, 9), flags=EXIST)
    s.update(ip4('10.0.8.0', 24), val(8, 10), flags=NOEXIST)
    s.update(ip4('10.255.255.255', 8), val(8, 11), flags=ANY)
    s.walk()
    s.delete(ip4('10.0.8.0', 24))
    s.update(ip4('10.0.0.0', 22), val(8, 12), flags=NOEXIST)
    s.update(ip4('10.0.8.0', 24), val(8, 13))
    s.walk()
    s.lookup(ip4('10.0.3.1', 32))
    s.lookup(ip4('10.0.1.1', 32))

    s = S('update_one', 'max_entries 1: the first prefix fits, any other '
          'is ENOSPC, the stored one is replaced (raw bytes too)')
    s.lpm(5, 3, 1)
    s.update(pkey(1, 4, 0xa0), val(3, 1))
    for plen, data in ((4, 0xb0), (3, 0xa0), (5, 0xa8), (0, 0)):
        s.update(pkey(1, plen, data), val(3, 2))
    s.update(pkey(1, 4, 0xaf), val(3, 3))
    s.walk()
    s.lookup(pkey(1, 8, 0xa5))
    s.lookup(pkey(1, 3, 0xa5))


def gen_lookup(S):
    s = S('lookup', 'MAP_LOOKUP_ELEM is longest-prefix match capped by '
          'the key\'s prefixlen: the kernel\'s example trie, addresses '
          'under each prefix, shorter prefixlens, glue (/23) never '
          'returned, prefixlen past 32 (ENOENT), a /0 default route, LOCK '
          'and other flags (EINVAL), NULL key (EFAULT) or value')
    s.lpm(8, 8, 8)
    s.lookup(ip4('192.168.0.1', 32))
    kernel_example(s)
    for a, n in (('192.168.0.1', 32), ('192.168.1.1', 32),
                 ('192.168.128.7', 32), ('192.168.129.7', 32),
                 ('192.168.2.1', 32), ('192.169.0.1', 32),
                 ('192.168.1.1', 24), ('192.168.1.1', 23),
                 ('192.168.0.0', 23), ('192.168.0.0', 16),
                 ('192.168.0.0', 15), ('192.168.0.0', 0),
                 ('192.168.1.1', 33), ('192.168.1.1', 0xffffffff),
                 ('10.0.0.1', 32)):
        s.lookup(ip4(a, n))
    s.update(ip4('0.0.0.0', 0), val(8, 9))
    for a, n in (('10.0.0.1', 32), ('192.168.0.0', 15), ('192.168.1.1', 23),
                 ('255.255.255.255', 32), ('1.1.1.1', 0),
                 ('1.1.1.1', 33)):
        s.lookup(ip4(a, n))
    for fl in (LOCK, EXIST, NOEXIST, 8):
        s.lookup(ip4('192.168.0.1', 32), flags=fl)
    s.lookup(None)
    s.lookup(ip4('192.168.0.1', 32), value=False)
    s.lookup(ip4('192.168.0.1', 33), value=False)

    s = S('lookup_bits', 'longest-prefix match decided at every bit: '
          'nested prefixes /0 to /8 of one byte, then a key for each '
          'address and each prefixlen (key_size 5)')
    s.lpm(5, 4, 32)
    for n in (0, 2, 3, 5, 8):
        s.update(pkey(1, n, 0xb4), val(4, n))
    s.update(pkey(1, 4, 0xa0), val(4, 20))
    s.update(pkey(1, 7, 0x02), val(4, 21))
    for addr in (0xb4, 0xb5, 0xb0, 0xa0, 0xa7, 0x80, 0x40, 0x03, 0x01):
        for n in (8, 6, 4, 2, 0, 9):
            s.lookup(pkey(1, n, addr))
    s.walk()


def gen_delete(S):
    s = S('delete', 'MAP_DELETE_ELEM is exact: missing prefixes and '
          'glue (ENOENT), bits past the prefix ignored, prefixlen past the '
          'data bits (EINVAL); a node with two children turns into glue '
          '(lookups fall through to its parent), a leaf under glue takes '
          'the glue with it, the root goes last; NULL key (EFAULT), flags '
          'in the attr (EINVAL)')
    s.lpm(8, 8, 8)
    s.delete(ip4('192.168.0.0', 16))
    kernel_example(s)
    s.delete(ip4('192.168.0.0', 23))
    s.delete(ip4('192.168.0.0', 17))
    s.delete(ip4('192.168.0.0', 33))
    s.delete(ip4('192.168.0.0', 0xffffffff))
    s.delete(None)
    s.delete(ip4('192.168.0.0', 16), flags=1)
    s.walk()
    s.note('the /16 has two children: it becomes glue')
    s.delete(ip4('192.168.44.44', 16))
    s.lookup(ip4('192.168.128.1', 32))
    s.lookup(ip4('192.168.64.1', 32))
    s.delete(ip4('192.168.0.0', 16))
    s.walk()
    s.update(ip4('192.168.0.0', 16), val(8, 5), flags=EXIST)
    s.update(ip4('192.168.0.0', 16), val(8, 5), flags=NOEXIST)
    s.delete(ip4('192.168.0.0', 16))
    s.note('a leaf under glue: the glue /23 goes, its other child moves up')
    s.delete(ip4('192.168.1.0', 24))
    s.walk()
    s.delete(ip4('192.168.0.0', 23))
    s.lookup(ip4('192.168.0.1', 32))
    s.delete(ip4('192.168.128.0', 24))
    s.delete(ip4('192.168.0.0', 24))
    s.walk()
    s.next(None)
    s.update(ip4('192.168.0.0', 16), val(8, 6))
    s.update(ip4('192.168.0.0', 24), val(8, 7))
    s.update(ip4('192.168.0.128', 25), val(8, 8))
    s.note('a node with one child: the child moves up')
    s.delete(ip4('192.168.0.0', 24))
    s.walk()
    s.delete(ip4('192.168.0.0', 16))
    s.delete(ip4('192.168.0.128', 25))
    s.walk()
    s.lookup_batch(4)


def gen_next(S):
    s = S('next_key', 'MAP_GET_NEXT_KEY in post-order (more specific '
          'first, the 0 branch first): an empty trie (ENOENT), NULL, '
          'missing prefixes, glue and prefixlen past the data bits '
          'restart at the first entry, the last one ENOENT, stored raw '
          'bytes returned as they are, a key known by its identity only, '
          'a deleted key restarts, next_key NULL (EFAULT)')
    s.lpm(8, 8, 8)
    s.next(None)
    s.next(ip4('1.2.3.4', 8))
    kernel_example(s)
    s.walk()
    for a, n in (('192.168.0.0', 23), ('192.168.0.0', 20),
                 ('10.0.0.0', 8), ('192.168.0.0', 33),
                 ('192.168.0.0', 0xffffffff), ('192.168.0.0', 0)):
        s.next(ip4(a, n))
    s.note('bits past the prefix do not matter to find the key')
    s.next(ip4('192.168.0.99', 24))
    s.next(ip4('192.168.255.255', 16))
    s.next(ip4('192.168.1.0', 24), nxt=False)
    s.next(None, nxt=False)
    s.note('raw bytes past the prefix are returned as stored')
    s.update(ip4('172.16.99.99', 12), val(8, 7))
    s.update(ip4('192.168.1.77', 24), val(8, 8))
    s.walk()
    s.delete(ip4('192.168.1.0', 24))
    s.next(ip4('192.168.1.0', 24))
    s.update(ip4('0.0.0.0', 0), val(8, 9))
    s.walk()

    s = S('next_order', 'the walk order on nested and sibling prefixes of '
          'one byte (key_size 5): /8 leaves, /4 and /1 parents, the /0 '
          'root last, glue skipped')
    s.lpm(5, 2, 32)
    for n, d in ((8, 0x00), (8, 0xff), (8, 0x80), (8, 0x7f), (4, 0x70),
                 (1, 0x00), (1, 0x80), (0, 0x00), (7, 0x7e), (6, 0x44),
                 (3, 0xe0), (8, 0xe1)):
        s.update(pkey(1, n, d), val(2, d))
    s.walk()
    s.delete(pkey(1, 1, 0x00))
    s.delete(pkey(1, 8, 0xff))
    s.walk()


def rand_prefix(rng, ds, pool):
    """A prefix near one of the pool's bases: overlaps are common."""
    maxlen = 8 * ds
    base_ = rng.choice(pool)
    noise = rng.getrandbits(min(maxlen, rng.choice((0, 4, 8, 12))))
    data = base_ ^ noise
    plen = rng.choice((maxlen, maxlen, rng.randrange(maxlen + 1),
                       rng.randrange(maxlen + 1), max(0, maxlen - 8),
                       maxlen // 2))
    if rng.random() < 0.03:
        plen = rng.choice((maxlen + 1, maxlen + 8, 0xffffffff))
    return pkey(ds, plen, data)


def rand_pool(rng, ds):
    return [rng.getrandbits(8 * ds) for _ in range(3 if ds > 1 else 2)]


def gen_sizes(S):
    s = S('sizes', 'every data size from 1 to 8 bytes, 16 (IPv6), 32 and '
          '256 (the largest, 2048-bit prefixes), values of 1 to 4096 '
          'bytes: random prefixes around shared bases, the walk, lookups')
    rng = random.Random('%d-lpm-sizes' % base.SEED)
    for ds, vs in ((1, 1), (2, 3), (3, 8), (4, 16), (5, 5), (6, 4096),
                   (7, 8), (8, 8), (16, 8), (32, 2), (256, 8)):
        s.lpm(ds + 4, vs, 12)
        pool = rand_pool(rng, ds)
        for i in range(14):
            s.update(rand_prefix(rng, ds, pool), val(vs, i), flags=ANY)
        s.walk()
        for _ in range(8):
            k = rand_prefix(rng, ds, pool)
            s.lookup(pkey(ds, 8 * ds, key_data(k)))
        s.close()


def random_lpm_ops(s, ds, vs, rng, nops, pool, prog=False):
    """A seeded mix of every element and batch command (prog: half of the
    element commands from a program, on CPU 0 or 1)."""
    m = s.model_map()
    for ver in range(1, nops + 1):
        r = rng.random()
        k = rand_prefix(rng, ds, pool)
        if m.entries and rng.random() < 0.35:
            k = rng.choice(list(v[0] for v in m.entries.values()))
        fl = rng.choice((None, ANY, NOEXIST, EXIST, None, None))
        side = prog and rng.random() < 0.5
        cpu = rng.choice((None, 0, 1)) if side else None
        if r < 0.34:
            if side:
                s.pupdate(k, val(vs, ver, 0x40),
                          flags=rng.choice((fl, fl, LOCK, 3)), cpu=cpu)
            else:
                s.update(k, val(vs, ver), flags=fl)
        elif r < 0.52:
            addr = pkey(ds, rng.choice((8 * ds, 8 * ds, key_plen(k))),
                        key_data(k) ^ rng.getrandbits(4))
            if side and rng.random() < 0.4:
                s.plookup(addr, write=val(vs, ver, 0x60), cpu=cpu)
            elif side:
                s.plookup(addr, cpu=cpu)
            else:
                s.lookup(addr)
        elif r < 0.66:
            if side:
                s.pdelete(k, cpu=cpu)
            else:
                s.delete(k)
        elif r < 0.80:
            s.next(None if rng.random() < 0.2 else k)
        elif r < 0.86:
            walk = m.walk()
            inb = rng.choice(walk) if walk and rng.random() < 0.6 else None
            s.lookup_batch(rng.randrange(1, 6), inb=inb)
        elif r < 0.94:
            ks_ = [rand_prefix(rng, ds, pool)
                   for _ in range(rng.randrange(1, 4))]
            s.update_batch(ks_, [val(vs, ver + j) for j in range(len(ks_))],
                           elem_flags=rng.choice((None, NOEXIST, EXIST)))
        else:
            ks_ = [rng.choice(m.walk()) if m.entries and rng.random() < 0.7
                   else rand_prefix(rng, ds, pool)
                   for _ in range(rng.randrange(1, 3))]
            s.delete_batch(ks_)
    s.walk()


def gen_random(S):
    for n, (ds, vs, me, nops) in enumerate((
            (1, 4, 6, 150), (1, 8, 40, 150), (2, 8, 10, 150),
            (2, 3, 200, 150), (4, 8, 12, 150), (4, 8, 64, 150),
            (16, 8, 16, 120), (16, 16, 100, 120), (3, 8, 8, 150),
            (4, 12, 1000, 150), (8, 8, 20, 120), (1, 1, 3, 120))):
        s = S('random_%02d' % n, 'a seeded mix of update, lookup, delete, '
              'next and the batch commands on prefixes around a few bases '
              '(key_size %d, max_entries %d), then the walk' %
              (ds + 4, me))
        rng = random.Random('%d-lpm-random-%d' % (base.SEED, n))
        s.lpm(ds + 4, vs, me)
        random_lpm_ops(s, ds, vs, rng, nops, rand_pool(rng, ds))


def gen_batch(S):
    s = S('batch', 'the generic batch commands on a trie: lookup_batch in '
          'walk order (counts 1 to all, cookies chained, a cookie not in '
          'the trie restarts, NULL outputs), lookup_and_delete_batch '
          '(ENOTSUPP), update_batch and delete_batch stopping at the '
          'first error (ENOSPC, EINVAL, EEXIST, ENOENT) with the count '
          'done, LOCK (EINVAL)')
    s.lpm(8, 8, 6)
    s.lookup_batch(4)
    keys = [ip4(a, n) for a, n in (('10.0.0.0', 8), ('10.1.0.0', 16),
                                   ('10.1.1.0', 24), ('10.2.0.0', 16),
                                   ('11.0.0.0', 8))]
    s.update_batch(keys[:3], [val(8, i) for i in range(3)])
    s.update_batch(keys[3:], [val(8, i) for i in range(3, 5)],
                   elem_flags=EXIST)
    s.update_batch(keys[3:], [val(8, i) for i in range(3, 5)],
                   elem_flags=NOEXIST)
    s.update_batch([keys[0], ip4('1.0.0.0', 33), keys[4]],
                   [val(8, 7)] * 3)
    s.update_batch([keys[1], keys[2]], [val(8, 8)] * 2, elem_flags=NOEXIST)
    s.update_batch(keys[3:], [val(8, 9)] * 2, elem_flags=LOCK)
    s.update_batch(keys[3:], [val(8, 9)] * 2, count=0)
    s.update_batch(keys[3:], [val(8, 10), val(8, 11)])
    s.update_batch([ip4('12.0.0.0', 8), ip4('13.0.0.0', 8),
                    ip4('14.0.0.0', 8)], [val(8, 12)] * 3)
    s.walk()
    for count in (1, 2, 3, 6, 7):
        s.lookup_batch(count)
    m = s.model_map()
    order = m.walk()
    for c in order:
        s.lookup_batch(2, inb=c)
    s.lookup_batch(3, inb=ip4('99.0.0.0', 8))
    s.lookup_batch(3, inb=ip4('10.0.0.0', 33))
    s.lookup_batch(3, keys=False)
    s.lookup_batch(3, values=False)
    s.lookup_batch(3, out=False)
    s.lookup_batch(0)
    s.lookup_batch(3, elem_flags=LOCK)
    s.lookup_batch(3, flags=1)
    s.lookup_and_delete_batch(3)
    s.delete_batch([keys[0], keys[1]])
    s.delete_batch([keys[2], keys[1], keys[3]])
    s.delete_batch([ip4('1.0.0.0', 40)])
    s.delete_batch([keys[4]], elem_flags=LOCK)
    s.delete_batch([keys[4]], count=0)
    s.walk()
    s.delete_batch(m.walk())
    s.lookup_batch(4)
    s.next(None)


def gen_access(S):
    s = S('freeze_access', 'fd access and freeze: through RDONLY fds '
          'lookups and walks work and changes are EPERM, through WRONLY '
          'fds the reverse; after MAP_FREEZE no fd can change it (batches '
          'too) while programs still update and delete; '
          'LOOKUP_AND_DELETE is ENOTSUPP (EPERM first without both modes)')
    s.lpm(8, 8, 8, name='lpm_access')
    kernel_example(s)
    s.lookup_and_delete(ip4('192.168.0.0', 16))
    s.lookup_and_delete(ip4('192.168.0.0', 16), flags=LOCK)
    s.lookup_and_delete(ip4('192.168.0.0', 16), flags=EXIST)
    s.lookup_and_delete(None)
    s.pin('@lpm')
    s.get('@lpm', file_flags=F['RDONLY'])
    s.get('@lpm', file_flags=F['WRONLY'])
    for fd in (1, 2):
        s.lookup(ip4('192.168.0.1', 32), fd=fd)
        s.next(None, fd=fd)
        s.lookup_batch(2, fd=fd)
        s.update(ip4('10.0.0.0', 8), val(8, 5), fd=fd)
        s.delete(ip4('10.0.0.0', 8), fd=fd)
        s.update_batch([ip4('11.0.0.0', 8)], [val(8, 6)], fd=fd)
        s.delete_batch([ip4('11.0.0.0', 8)], fd=fd)
        s.lookup_and_delete(ip4('192.168.0.0', 16), fd=fd)
        s.lookup_and_delete_batch(2, fd=fd)
        s.info(info_len=INFO_NO_HASH, fd=fd)
    s.freeze(fd=1)
    s.freeze(fd=2)
    s.freeze(fd=0)
    s.update(ip4('12.0.0.0', 8), val(8, 7), fd=0)
    s.delete(ip4('10.0.0.0', 8), fd=0)
    s.update_batch([ip4('12.0.0.0', 8)], [val(8, 7)], fd=0)
    s.delete_batch([ip4('10.0.0.0', 8)], fd=0)
    s.lookup(ip4('10.0.0.1', 32), fd=0)
    s.pupdate(ip4('12.0.0.0', 8), val(8, 8, 0x40), fd=0)
    s.pdelete(ip4('10.0.0.0', 8), fd=0)
    s.plookup(ip4('12.1.1.1', 32), fd=0)
    s.walk(fd=0)
    s.info(info_len=INFO_NO_HASH, fd=0)
    s.get_fd_by_id(fd=0)
    s.next_id(fd=0)
    s.lookup(ip4('12.1.1.1', 32))
    s.unlink('@lpm')

    s = S('mmap', 'mmap(2) of an LPM trie\'s fd: ENOTSUPP (no map_mmap)')
    s.lpm(8, 8, 4)
    s.update(ip4('10.0.0.0', 8), val(8, 1))
    s.mmap(base.PAGE_SIZE, 'READ', 'SHARED')
    s.mmap(base.PAGE_SIZE, 'READ|WRITE', 'SHARED')
    s.lookup(ip4('10.0.0.1', 32))


def gen_scale(S):
    s = S('scale', '1000 IPv4 and 300 IPv6 prefixes of every length '
          'loaded by update_batch, 300 lookups of random addresses each, '
          'part of them deleted, then walked (the final state is a '
          'digest)')
    rng = random.Random('%d-lpm-scale' % base.SEED)
    for ds, n, nb in ((4, 1000, 20), (16, 300, 6)):
        s.lpm(ds + 4, 8, n)
        bases = [rng.getrandbits(8 * ds) for _ in range(nb)]
        seen, keys = set(), []
        while len(keys) < n:
            plen = rng.choice((8 * ds, rng.randrange(8, 8 * ds + 1)))
            data = rng.choice(bases) ^ rng.getrandbits(8 * ds - 6)
            k = pkey(ds, plen, data)
            ident = (plen, data >> (8 * ds - plen))
            if ident not in seen:
                seen.add(ident)
                keys.append(k)
        for i in range(0, n, 250):
            chunk = keys[i:i + 250]
            s.update_batch(chunk, [val(8, i + j) for j in range(len(chunk))])
        s.update(pkey(ds, 8, 0), val(8, 0))
        for _ in range(300):
            addr = rng.choice(bases) ^ rng.getrandbits(8 * ds - 6)
            s.lookup(pkey(ds, 8 * ds, addr))
        s.delete_batch(keys[::7])
        for k in keys[1:60:6]:
            s.next(k)
        for _ in range(40):
            addr = rng.choice(bases) ^ rng.getrandbits(8 * ds - 6)
            s.lookup(pkey(ds, 8 * ds, addr))


def gen_prog(S):
    s = S('prog_lookup', 'bpf_map_lookup_elem from a program: the '
          'longest prefix, capped by the key\'s prefixlen, on CPU 0 and 1; '
          'glue never returned; prefixlen past the data bits NULL')
    s.lpm(8, 8, 8)
    s.plookup(ip4('192.168.0.1', 32))
    kernel_example(s)
    for i, (a, n) in enumerate((('192.168.0.1', 32), ('192.168.1.1', 32),
                                ('192.168.128.7', 32), ('192.168.2.1', 32),
                                ('192.168.1.1', 23), ('192.168.0.0', 15),
                                ('192.168.1.1', 33), ('10.0.0.1', 32),
                                ('192.168.1.1', 0xffffffff))):
        s.plookup(ip4(a, n), cpu=i % 2)

    s = S('prog_write', 'a store through the pointer a program\'s lookup '
          'returned writes the value of the longest matching prefix, seen '
          'by the syscall side and the next program')
    s.lpm(8, 8, 8)
    kernel_example(s)
    s.plookup(ip4('192.168.1.9', 32), write=val(8, 11, 0x60))
    s.plookup(ip4('192.168.7.9', 32), write=val(8, 12, 0x60), cpu=1)
    s.plookup(ip4('10.7.7.9', 32), write=val(8, 13, 0x60))
    s.lookup(ip4('192.168.1.0', 24))
    s.lookup(ip4('192.168.0.0', 16))
    s.plookup(ip4('192.168.1.1', 32), cpu=1)
    s.walk()

    s = S('prog_update_flags', 'bpf_map_update_elem from a program: '
          'ANY, NOEXIST (EEXIST on a stored prefix), EXIST (ENOENT on a '
          'missing one), LOCK and other bits (EINVAL), prefixlen past the '
          'data bits (EINVAL), a full trie (ENOSPC; replacements and glue)')
    s.lpm(8, 8, 3)
    k = ip4('10.1.0.0', 16)
    s.pupdate(k, val(8, 1, 0x40), flags=EXIST)
    s.pupdate(k, val(8, 1, 0x40), flags=NOEXIST)
    s.pupdate(ip4('10.1.9.9', 16), val(8, 2, 0x40), flags=NOEXIST)
    s.pupdate(ip4('10.1.9.9', 16), val(8, 3, 0x40), flags=EXIST, cpu=1)
    for fl in (LOCK, NOEXIST | LOCK, EXIST | LOCK, 3, 8, 1 << 32):
        s.pupdate(k, val(8, 4, 0x40), flags=fl)
    for plen in (33, 0xffffffff):
        s.pupdate(ip4('10.1.0.0', plen), val(8, 5, 0x40))
    s.pupdate(ip4('10.1.1.0', 24), val(8, 6, 0x40), cpu=1)
    s.pupdate(ip4('10.1.3.0', 24), val(8, 7, 0x40))
    s.walk()
    s.pupdate(ip4('10.2.0.0', 16), val(8, 8, 0x40))
    s.pupdate(ip4('10.1.0.0', 22), val(8, 9, 0x40))
    s.pupdate(ip4('10.1.0.0', 22), val(8, 9, 0x40), flags=EXIST)
    s.pupdate(ip4('10.1.3.3', 24), val(8, 10, 0x40), flags=EXIST)
    s.pupdate(ip4('10.1.0.0', 16), val(8, 11, 0x40), flags=NOEXIST, cpu=1)
    s.update(ip4('10.2.0.0', 16), val(8, 12))
    s.walk()
    s.plookup(ip4('10.1.3.1', 32))

    s = S('prog_delete', 'bpf_map_delete_elem from a program: exact '
          'prefixes only (glue and missing ENOENT), prefixlen past the '
          'data bits (EINVAL), then the walk from user space')
    s.lpm(8, 8, 8)
    kernel_example(s)
    for a, n in (('192.168.0.0', 23), ('192.168.0.0', 17),
                 ('192.168.0.0', 33), ('192.168.1.0', 24),
                 ('192.168.1.0', 24), ('192.168.0.77', 16)):
        s.pdelete(ip4(a, n), cpu=n % 2)
    s.walk()
    s.plookup(ip4('192.168.1.1', 32))
    s.lookup(ip4('192.168.1.1', 32))

    s = S('prog_refused', 'what the verifier refuses on an LPM trie: '
          'push, pop, peek and lookup_percpu (EINVAL, not this type\'s '
          'helpers); with BPF_F_RDONLY_PROG update, delete and a store '
          'through the pointer (EACCES), lookups allowed; with '
          'BPF_F_WRONLY_PROG lookups (EACCES), update and delete allowed')
    s.lpm(8, 8, 4)
    s.update(ip4('10.0.0.0', 8), val(8, 1))
    s.push(val(8, 2))
    s.pop()
    s.peek()
    s.lookup_percpu(ip4('10.0.0.1', 32), 0)
    s.plookup(ip4('10.0.0.1', 32))
    s.lpm(8, 8, 4, flags=F['RDONLY_PROG'])
    s.update(ip4('10.0.0.0', 8), val(8, 3))
    s.pupdate(ip4('10.0.0.0', 8), val(8, 4, 0x40))
    s.pdelete(ip4('10.0.0.0', 8))
    s.plookup(ip4('10.0.0.1', 32))
    s.plookup(ip4('10.0.0.1', 32), write=val(8, 5, 0x40))
    s.freeze()
    s.plookup(ip4('10.0.0.1', 32), cpu=1)
    s.lpm(8, 8, 4, flags=F['WRONLY_PROG'])
    s.pupdate(ip4('10.0.0.0', 8), val(8, 6, 0x40))
    s.plookup(ip4('10.0.0.1', 32))
    s.plookup(ip4('10.0.0.1', 32), write=val(8, 7, 0x40))
    s.lookup(ip4('10.0.0.1', 32))
    s.pdelete(ip4('10.0.0.0', 8))
    s.pdelete(ip4('10.0.0.0', 8))

    s = S('prog_sizes', 'program-side update, lookup and delete with '
          'key_size 5, 20 and 260 (2048-bit prefixes), values of 1 and '
          '4096 bytes')
    for ds, vs in ((1, 1), (16, 4096), (256, 8)):
        s.lpm(ds + 4, vs, 4)
        full = 8 * ds
        k = pkey(ds, full - 3, (1 << (full - 1)) | 0x5a)
        s.pupdate(k, val(vs, 1, 0x40))
        s.pupdate(pkey(ds, 1, 1 << (full - 1)), val(vs, 2, 0x40), cpu=1)
        s.plookup(pkey(ds, full, (1 << (full - 1)) | 0x5f))
        s.plookup(pkey(ds, full, (1 << (full - 1)) | 0x05), cpu=1)
        s.plookup(pkey(ds, full, 0x5f))
        s.lookup(pkey(ds, full, (1 << (full - 1)) | 0x5f))
        s.pupdate(k, val(vs, 3, 0x40), flags=EXIST)
        s.pupdate(pkey(ds, full + 1, 0), val(vs, 4, 0x40))
        s.walk()
        s.pdelete(k)
        s.pdelete(k)
        s.walk()
        s.close()

    for n, (ds, vs, me, nops) in enumerate((
            (1, 8, 8, 120), (2, 4, 12, 120), (4, 8, 10, 120),
            (4, 16, 100, 120), (16, 8, 12, 100), (3, 2, 5, 120))):
        s = S('prog_random_%02d' % n, 'a seeded mix of element commands, '
              'half of them from a program on CPU 0 or 1 (lookups with '
              'stores through the pointer), key_size %d, max_entries %d' %
              (ds + 4, me))
        rng = random.Random('%d-lpm-prog-random-%d' % (base.SEED, n))
        s.lpm(ds + 4, vs, me)
        random_lpm_ops(s, ds, vs, rng, nops, rand_pool(rng, ds), prog=True)


def gen_lpm():
    out = []

    def S(name, what):
        s = LpmScn(name, what)
        out.append(s)
        return s

    gen_create(S)
    gen_update(S)
    gen_lookup(S)
    gen_delete(S)
    gen_next(S)
    gen_sizes(S)
    gen_batch(S)
    gen_access(S)
    gen_scale(S)
    gen_prog(S)
    gen_random(S)
    return out

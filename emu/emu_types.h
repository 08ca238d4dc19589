/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one list of map types the emulator implements, as
 * include/linux/bpf_types.h is the kernel's. Expanded by emu/map.c into
 * the type table and by the harness into its type names.
 * No include guard: it is meant to be included several times.
 */
EMU_MAP_TYPE(BPF_MAP_TYPE_HASH, htab_map_ops)
EMU_MAP_TYPE(BPF_MAP_TYPE_ARRAY, array_map_ops)
EMU_MAP_TYPE(BPF_MAP_TYPE_PERCPU_HASH, htab_percpu_map_ops)
EMU_MAP_TYPE(BPF_MAP_TYPE_PERCPU_ARRAY, percpu_array_map_ops)
EMU_MAP_TYPE(BPF_MAP_TYPE_LPM_TRIE, trie_map_ops)
EMU_MAP_TYPE(BPF_MAP_TYPE_QUEUE, queue_map_ops)
EMU_MAP_TYPE(BPF_MAP_TYPE_STACK, stack_map_ops)
EMU_MAP_TYPE(BPF_MAP_TYPE_BLOOM_FILTER, bloom_filter_map_ops)
EMU_MAP_TYPE(BPF_MAP_TYPE_LRU_HASH, htab_lru_map_ops)
EMU_MAP_TYPE(BPF_MAP_TYPE_LRU_PERCPU_HASH, htab_lru_percpu_map_ops)

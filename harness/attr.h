/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Byte layout of union bpf_attr and struct bpf_map_info as of Linux 6.18.
 *
 * The harness builds every attr by offset in a zeroed buffer instead of
 * through the installed <linux/bpf.h>: Debian 12 ships the 6.1 header
 * (sizeof(union bpf_attr) = 144), the kernel under test is 6.18 (168), and
 * both backends must receive byte-identical attrs.
 */
#ifndef __HARNESS_ATTR_H
#define __HARNESS_ATTR_H

#include <stdint.h>
#include <string.h>

#define ATTR_BUF_SIZE		8192	/* room for attr_size up to 2 pages */
#define ATTR_SIZE_DEFAULT	168	/* 6.18 sizeof(union bpf_attr) */
#define MAP_INFO_SIZE		104	/* 6.18 sizeof(struct bpf_map_info) */
#define INFO_LEN_MAX		65536	/* the largest info buffer made */

/* BPF_MAP_CREATE */
#define A_MAP_TYPE		0
#define A_KEY_SIZE		4
#define A_VALUE_SIZE		8
#define A_MAX_ENTRIES		12
#define A_MAP_FLAGS		16
#define A_INNER_MAP_FD		20
#define A_NUMA_NODE		24
#define A_MAP_NAME		28
#define A_MAP_NAME_LEN		16
#define A_MAP_EXTRA		64

/* BPF_MAP_*_ELEM, BPF_MAP_GET_NEXT_KEY, BPF_MAP_FREEZE */
#define A_ELEM_MAP_FD		0
#define A_ELEM_KEY		8
#define A_ELEM_VALUE		16	/* also next_key */
#define A_ELEM_FLAGS		24

/* BPF_MAP_*_BATCH */
#define A_BATCH_IN		0
#define A_BATCH_OUT		8
#define A_BATCH_KEYS		16
#define A_BATCH_VALUES		24
#define A_BATCH_COUNT		32
#define A_BATCH_MAP_FD		36
#define A_BATCH_ELEM_FLAGS	40
#define A_BATCH_FLAGS		48

/* BPF_OBJ_PIN, BPF_OBJ_GET */
#define A_OBJ_PATHNAME		0
#define A_OBJ_BPF_FD		8
#define A_OBJ_FILE_FLAGS	12

/* BPF_MAP_GET_FD_BY_ID, BPF_MAP_GET_NEXT_ID */
#define A_ID_START		0	/* start_id / map_id */
#define A_ID_NEXT		4	/* next_id */
#define A_ID_OPEN_FLAGS		8

/* BPF_OBJ_GET_INFO_BY_FD */
#define A_INFO_BPF_FD		0
#define A_INFO_LEN		4
#define A_INFO_PTR		8

/* struct bpf_map_info */
#define I_TYPE			0
#define I_ID			4
#define I_KEY_SIZE		8
#define I_VALUE_SIZE		12
#define I_MAX_ENTRIES		16
#define I_MAP_FLAGS		20
#define I_HASH			88	/* __u64 pointer to the caller's buffer */
#define I_HASH_SIZE		96

/* map_flags bits the harness itself looks at */
#define MAP_F_ZERO_SEED		(1U << 6)

static inline void put_u32(void *buf, unsigned int off, uint32_t v)
{
	memcpy((char *)buf + off, &v, sizeof(v));
}

static inline void put_u64(void *buf, unsigned int off, uint64_t v)
{
	memcpy((char *)buf + off, &v, sizeof(v));
}

static inline void put_ptr(void *buf, unsigned int off, const void *p)
{
	put_u64(buf, off, (uint64_t)(uintptr_t)p);
}

static inline uint32_t get_u32(const void *buf, unsigned int off)
{
	uint32_t v;

	memcpy(&v, (const char *)buf + off, sizeof(v));
	return v;
}

#endif /* __HARNESS_ATTR_H */

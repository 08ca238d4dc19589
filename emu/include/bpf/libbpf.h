/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libbpfemu's stand-in for libbpf's <bpf/libbpf.h>: only what map code
 * needs besides <bpf/bpf.h>. BPF objects, programs and skeletons are not
 * emulated.
 */
#ifndef __BPFEMU_LIBBPF_H
#define __BPFEMU_LIBBPF_H

#include "bpf.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief **libbpf_num_possible_cpus()** the emulated machine's possible
 * CPUs (see bpfemu_set_possible_cpus()).
 * @return the number of possible CPUs, on success; negative error, otherwise
 */
LIBBPF_API int libbpf_num_possible_cpus(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __BPFEMU_LIBBPF_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libbpfemu's stand-in for <bpf/libbpf_common.h>: the opts-struct macros
 * of libbpf 1.x, so code written against libbpf builds unchanged.
 */
#ifndef __BPFEMU_LIBBPF_COMMON_H
#define __BPFEMU_LIBBPF_COMMON_H

#include <string.h>

#ifndef LIBBPF_API
#define LIBBPF_API __attribute__((visibility("default")))
#endif

/*
 * Declares an opts struct with every byte zeroed (padding included, so
 * the library's check of unknown trailing bytes passes) and .sz set.
 */
#define LIBBPF_OPTS(TYPE, NAME, ...)					\
	struct TYPE NAME = ({						\
		memset(&NAME, 0, sizeof(struct TYPE));			\
		(struct TYPE) {						\
			.sz = sizeof(struct TYPE),			\
			__VA_ARGS__					\
		};							\
	})
#define DECLARE_LIBBPF_OPTS LIBBPF_OPTS

#endif /* __BPFEMU_LIBBPF_COMMON_H */

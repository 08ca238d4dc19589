/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the unit tests share: a MAP_CREATE attr built in one line. */
#ifndef __UNIT_ATTR_H
#define __UNIT_ATTR_H

#include <string.h>
#include <linux/bpf.h>

static inline void unit_map_attr(union bpf_attr *attr, __u32 type,
				 __u32 key_size, __u32 value_size,
				 __u32 max_entries, __u32 flags)
{
	memset(attr, 0, sizeof(*attr));
	attr->map_type = type;
	attr->key_size = key_size;
	attr->value_size = value_size;
	attr->max_entries = max_entries;
	attr->map_flags = flags;
}

#endif /* __UNIT_ATTR_H */

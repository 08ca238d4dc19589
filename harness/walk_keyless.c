// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reading a QUEUE or STACK from user space. These maps have no keys to
 * walk (GET_NEXT_KEY is EINVAL) and a lookup shows only the next value,
 * so the reading pops every value (LOOKUP_AND_DELETE with a NULL key)
 * and pushes them back (UPDATE with BPF_ANY) in the order that rebuilds
 * the map: a queue in the order popped, a stack in reverse. Nothing a
 * later op could see changes (which ring slot holds a value is not
 * observable), so the reading may come at any point.
 *
 * A map user space cannot pop (a frozen one: EPERM) gives walk_err.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "attr.h"
#include "run.h"

static long keyless_call(struct backend *be, int cmd, int fd, void *value)
{
	uint64_t attr[ATTR_SIZE_DEFAULT / 8];

	memset(attr, 0, sizeof(attr));
	put_u32(attr, A_ELEM_MAP_FD, (uint32_t)fd);
	put_ptr(attr, A_ELEM_VALUE, value);	/* key NULL, flags BPF_ANY */
	return be->ops->sys_bpf(be, cmd, attr, sizeof(attr));
}

/* Pushes the popped values back; false if the map refused one. */
static bool keyless_restore(struct backend *be, const struct walk_target *t,
			    bool stack, uint8_t *values, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t at = stack ? n - 1 - i : i;

		if (keyless_call(be, BPF_MAP_UPDATE_ELEM, t->fd,
				 values + at * t->value_stride) < 0)
			return false;
	}
	return true;
}

/* Room for one more value at values[n]; false when out of memory. */
static bool keyless_grow(uint8_t **values, size_t *cap, size_t n, size_t vs)
{
	uint8_t *v;

	if (n < *cap)
		return true;
	v = realloc(*values, (*cap ? *cap * 2 : 16) * (vs ? vs : 1));
	if (!v)
		return false;
	*values = v;
	*cap = *cap ? *cap * 2 : 16;
	return true;
}

int map_walk_keyless(struct backend *be, const struct walk_target *t,
		     bool stack, struct map_state *m, char **anomaly)
{
	size_t vs = t->value_stride, n = 0, cap = 0, i;
	uint8_t *values = NULL;
	int err = 0;

	*anomaly = NULL;
	for (;;) {
		if (!keyless_grow(&values, &cap, n, vs)) {
			err = -ENOMEM;
			break;
		}
		/* zeroed: valgrind does not see every byte the kernel writes */
		memset(values + n * vs, 0, vs);
		if (keyless_call(be, BPF_MAP_LOOKUP_AND_DELETE_ELEM, t->fd,
				 values + n * vs) < 0) {
			if (errno != ENOENT)
				m->walk_err = errno;
			break;
		}
		if (++n > t->max_entries) {
			if (asprintf(anomaly, "more than max_entries %u values "
				     "popped", t->max_entries) < 0)
				*anomaly = NULL;
			break;
		}
	}
	/* what was popped goes back, even after a failure */
	if (!keyless_restore(be, t, stack, values, n) && !*anomaly &&
	    asprintf(anomaly, "a popped value could not be pushed back "
		     "(%s)", strerror(errno)) < 0)
		*anomaly = NULL;
	/* no key: any pointer for its 0 bytes */
	for (i = 0; i < n && !err; i++)
		if (map_state_add(m, (const uint8_t *)"", 0, values + i * vs,
				  vs))
			err = -ENOMEM;
	free(values);
	return err;
}

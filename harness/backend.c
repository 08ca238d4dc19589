// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Backend lookup and the host facts every backend needs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <linux/bpf.h>

#include "attr.h"
#include "backend.h"

const struct backend_ops *backend_by_name(const char *name)
{
	if (strcmp(name, "emu") == 0)
		return &emu_backend_ops;
	if (strcmp(name, "kernel") == 0)
		return &kernel_backend_ops;
	/* the program side is a face of both, not a backend of its own */
	fprintf(stderr, "unknown backend '%s' (emu, kernel: each runs "
		"side=prog ops too)\n", name);
	return NULL;
}

/* Counts the CPUs of a list such as "0-3,8,10-11". */
static unsigned int count_cpu_list(const char *s)
{
	unsigned int n = 0;

	while (*s && *s != '\n') {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;

		if (end == s)
			break;
		if (*end == '-') {
			s = end + 1;
			b = strtoul(s, &end, 10);
			if (end == s || b < a)
				break;
		}
		n += (unsigned int)(b - a + 1);
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}

unsigned int host_possible_cpus(void)
{
	static unsigned int ncpus;
	char buf[256];
	FILE *f;

	if (ncpus)
		return ncpus;
	f = fopen("/sys/devices/system/cpu/possible", "r");
	if (f) {
		if (fgets(buf, sizeof(buf), f))
			ncpus = count_cpu_list(buf);
		fclose(f);
	}
	if (!ncpus)
		ncpus = 1;
	return ncpus;
}

const char *kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u))
		return "unknown";
	return u.release;
}

int backend_map_info(struct backend *be, int fd, uint8_t *info)
{
	uint64_t attr[ATTR_SIZE_DEFAULT / 8] = { 0 };

	memset(info, 0, MAP_INFO_SIZE);
	put_u32(attr, A_INFO_BPF_FD, (uint32_t)fd);
	put_u32(attr, A_INFO_LEN, MAP_INFO_SIZE);
	put_ptr(attr, A_INFO_PTR, info);
	return be->ops->sys_bpf(be, BPF_OBJ_GET_INFO_BY_FD, attr,
				sizeof(attr)) < 0 ? -errno : 0;
}

void hold_stdio_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 &&
		    open("/dev/null", fd ? O_WRONLY : O_RDONLY) < 0)
			break;
}

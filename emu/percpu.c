// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The emulated machine's CPUs: how many are possible (per-CPU value
 * layout, include/linux/cpumask.h: num_possible_cpus) and which one the
 * helper face runs on.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "emu_internal.h"

#define EMU_MAX_CPUS	4096

static unsigned int possible_override;
static unsigned int possible_host;

/* Counts the CPUs of a cpulist such as "0-1" or "0,2-5". */
static unsigned int parse_cpulist(const char *s)
{
	unsigned int n = 0;

	while (*s && *s != '\n') {
		char *end;
		unsigned long lo = strtoul(s, &end, 10), hi = lo;

		if (end == s)
			return 0;
		if (*end == '-') {
			s = end + 1;
			hi = strtoul(s, &end, 10);
			if (end == s || hi < lo)
				return 0;
		}
		n += hi - lo + 1;
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}

static unsigned int host_possible_cpus(void)
{
	char buf[256];
	FILE *f;

	if (possible_host)
		return possible_host;
	possible_host = 1;	/* a machine without sysfs has at least one */
	f = fopen("/sys/devices/system/cpu/possible", "re");
	if (f) {
		if (fgets(buf, sizeof(buf), f) && parse_cpulist(buf))
			possible_host = parse_cpulist(buf);
		fclose(f);
	}
	return possible_host;
}

unsigned int emu_num_possible_cpus(void)
{
	static bool env_read;

	if (!env_read) {
		const char *env = getenv("BPFEMU_POSSIBLE_CPUS");

		env_read = true;
		if (env && !possible_override) {
			unsigned long n = strtoul(env, NULL, 10);

			if (n && n <= EMU_MAX_CPUS)
				possible_override = n;
		}
	}
	return possible_override ? possible_override : host_possible_cpus();
}

/*
 * A BPF program runs on the CPU of the task that triggered it; the
 * syscall and XDP test-run paths run on the caller's CPU.
 */
unsigned int emu_current_cpu(void)
{
	int cpu = sched_getcpu();

	return cpu < 0 ? 0 : (unsigned int)cpu % emu_num_possible_cpus();
}

int emu_set_possible_cpus(unsigned int ncpus)
{
	if (ncpus > EMU_MAX_CPUS)
		return -EINVAL;
	emu_num_possible_cpus();	/* the environment must not win later */
	possible_override = ncpus;
	return 0;
}

int bpfemu_num_possible_cpus(void)
{
	return emu_num_possible_cpus();
}

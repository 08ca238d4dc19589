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

/*
 * The CPU the helper face runs on: a possible CPU, or EMU_CPU_HOST to
 * follow the host CPU of the caller. CPU 0 by default, so that per-CPU
 * results do not depend on where the host scheduler put the caller.
 */
#define EMU_CPU_HOST	(-1)
static int current_cpu;

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

/* Read once, before main(): the host's CPUs and BPFEMU_POSSIBLE_CPUS. */
__attribute__((constructor)) static void emu_cpus_init(void)
{
	const char *env = getenv("BPFEMU_POSSIBLE_CPUS");
	char buf[256];
	FILE *f;

	possible_host = 1;	/* a machine without sysfs has at least one */
	f = fopen("/sys/devices/system/cpu/possible", "re");
	if (f) {
		if (fgets(buf, sizeof(buf), f) && parse_cpulist(buf))
			possible_host = parse_cpulist(buf);
		fclose(f);
	}
	if (env) {
		unsigned long n = strtoul(env, NULL, 10);

		if (n && n <= EMU_MAX_CPUS)
			possible_override = n;
	}
}

unsigned int emu_num_possible_cpus(void)
{
	return possible_override ? possible_override : possible_host;
}

/*
 * A BPF program runs on the CPU of the task that triggered it (the
 * syscall and XDP test-run paths run on the caller's CPU; raw_tp ones on
 * the CPU asked for with BPF_F_TEST_RUN_ON_CPU): here the one set by
 * emu_set_current_cpu(), or the caller's host CPU folded onto the
 * possible ones.
 */
unsigned int emu_current_cpu(void)
{
	int cpu;

	if (current_cpu != EMU_CPU_HOST)
		return current_cpu;
	cpu = sched_getcpu();
	return cpu < 0 ? 0 : (unsigned int)cpu % emu_num_possible_cpus();
}

int emu_set_current_cpu(int cpu)
{
	if (cpu < EMU_CPU_HOST ||
	    (cpu >= 0 && (unsigned int)cpu >= emu_num_possible_cpus()))
		return -EINVAL;	/* not a possible CPU of the emulated machine */
	current_cpu = cpu;
	return 0;
}

int emu_set_possible_cpus(unsigned int ncpus)
{
	if (ncpus > EMU_MAX_CPUS)
		return -EINVAL;	/* more than the emulator models */
	possible_override = ncpus;
	/* a CPU the machine no longer has cannot stay the current one */
	if (current_cpu != EMU_CPU_HOST &&
	    (unsigned int)current_cpu >= emu_num_possible_cpus())
		current_cpu = 0;
	return 0;
}

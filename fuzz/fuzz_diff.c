// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The differential target: every input runs on the emulator and on the
 * live kernel, compared as `bpfemu-harness conformance` compares; a
 * divergence aborts (fuzz/README.md). Without a kernel to use it exits:
 * the differential fuzzer without a kernel is not a fuzzer.
 */
#include "target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_target_init("fuzz_diff", true);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_target_run(data, size);
}

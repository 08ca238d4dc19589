// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The emulator alone, at full speed under the sanitizers: the same
 * inputs as fuzz_diff, decoded, parsed and run with no kernel (memory
 * safety of the decoder, the scenario parser, the runner and libbpfemu).
 */
#include "target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_target_init("fuzz_emu", false);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_target_run(data, size);
}

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the libFuzzer targets share: fuzz_diff (emulator and live kernel,
 * compared) and fuzz_emu (emulator alone) differ only in the engine's
 * kernel option.
 */
#ifndef __FUZZ_TARGET_H
#define __FUZZ_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit status of a differential target that has no kernel to use. */
#define FUZZ_EXIT_NO_KERNEL	75

/*
 * Opens the engine (out dir: $BPFEMU_FUZZ_OUT, default build/fuzz-out).
 * Exits when it cannot: FUZZ_EXIT_NO_KERNEL without the privilege for
 * the kernel half, 1 otherwise.
 */
void fuzz_target_init(const char *name, bool kernel);

/* Decodes and runs one input; always 0, as libFuzzer wants. */
int fuzz_target_run(const uint8_t *data, size_t size);

/*
 * Called with the scenario the engine wrote for a divergence. The
 * default aborts (libFuzzer keeps the input); the replay driver
 * defines its own, which counts.
 */
void fuzz_diverged(const char *path);

#endif /* __FUZZ_TARGET_H */

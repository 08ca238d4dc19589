/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reading a fuzz input whole (the replay driver, bpfemu-fuzz-print). */
#ifndef __FUZZ_FILE_H
#define __FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>

/* 0 with *data malloc'd (*size bytes), or -errno. */
int fuzz_read_file(const char *path, uint8_t **data, size_t *size);

#endif /* __FUZZ_FILE_H */

/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* SHA-256 (FIPS 180-4), for the map hash of BPF_OBJ_GET_INFO_BY_FD. */
#ifndef __EMU_SHA256_H
#define __EMU_SHA256_H

#include <stddef.h>

#include "emu_internal.h"

#define SHA256_DIGEST_SIZE	32

EMU_HIDDEN void emu_sha256(const void *data, size_t len,
			   unsigned char digest[SHA256_DIGEST_SIZE]);

#endif /* __EMU_SHA256_H */

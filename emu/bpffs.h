/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The emulated bpffs (emu/bpffs.c). Errors are negative errno. */
#ifndef __EMU_BPFFS_H
#define __EMU_BPFFS_H

#include "emu_internal.h"

EMU_HIDDEN int emu_bpffs_pin(struct emu_map *map, int dirfd,
			     const char *path);
EMU_HIDDEN struct emu_map *emu_bpffs_get(int dirfd, const char *path,
					 int *err);
EMU_HIDDEN int emu_bpffs_unlink(const char *path);
EMU_HIDDEN int emu_bpffs_mkdir(const char *path, mode_t mode);
EMU_HIDDEN int emu_bpffs_rmdir(const char *path);
EMU_HIDDEN void emu_bpffs_release_all(void);

#endif /* __EMU_BPFFS_H */

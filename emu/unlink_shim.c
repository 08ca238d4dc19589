// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * unlink(2) for the drop-in library: a program removes a pin with
 * unlink(), so libbpfemu takes unlink() and unlinkat() over. A path in the
 * emulated bpffs drops the emulated pin; any other path goes to the host's
 * unlinkat system call unchanged. The emulator's own core (what the
 * harness links) does not contain this file.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "emu_internal.h"

static bool in_emulated_bpffs(int dirfd, const char *path)
{
	const char *root = bpfemu_bpffs_root();
	char cwd[PATH_MAX], abs[PATH_MAX * 2];
	size_t n = strlen(root);

	if (!path || dirfd != AT_FDCWD)
		return false;
	if (path[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd)))
			return false;
		snprintf(abs, sizeof(abs), "%s/%s", cwd, path);
		path = abs;
	}
	return !strncmp(path, root, n) && (path[n] == '/' || !path[n]);
}

BPFEMU_API int unlinkat(int dirfd, const char *path, int flags)
{
	if (!flags && in_emulated_bpffs(dirfd, path))
		return bpfemu_unlink(path);
	return syscall(SYS_unlinkat, dirfd, path, flags);
}

BPFEMU_API int unlink(const char *path)
{
	return unlinkat(AT_FDCWD, path, 0);
}

// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The libc calls the drop-in library takes over, because a program
 * reaches map fds and bpffs through them: mkdir(2), rmdir(2) and
 * unlink(2) on bpffs paths, mmap(2), munmap(2), mprotect(2) and
 * mremap(2) of map fds' mappings. A path in
 * the emulated bpffs or an emulated map fd goes to the emulator; anything
 * else goes to the host's system call unchanged. The emulator's own core
 * (what the harness links) does not contain this file.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
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
	if (n == 1)
		return path[0] == '/';	/* BPFEMU_BPFFS=/: every path */
	return !strncmp(path, root, n) && (path[n] == '/' || !path[n]);
}

BPFEMU_API int unlinkat(int dirfd, const char *path, int flags)
{
	if (in_emulated_bpffs(dirfd, path)) {
		if (flags == AT_REMOVEDIR)
			return bpfemu_rmdir(path);
		if (!flags)
			return bpfemu_unlink(path);
	}
	return syscall(SYS_unlinkat, dirfd, path, flags);
}

BPFEMU_API int unlink(const char *path)
{
	return unlinkat(AT_FDCWD, path, 0);
}

BPFEMU_API int rmdir(const char *path)
{
	return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

BPFEMU_API int mkdirat(int dirfd, const char *path, mode_t mode)
{
	if (in_emulated_bpffs(dirfd, path))
		return bpfemu_mkdir(path, mode);
	return syscall(SYS_mkdirat, dirfd, path, mode);
}

BPFEMU_API int mkdir(const char *path, mode_t mode)
{
	return mkdirat(AT_FDCWD, path, mode);
}

BPFEMU_API void *mmap(void *addr, size_t len, int prot, int flags, int fd,
		      off_t off)
{
	return bpfemu_mmap(addr, len, prot, flags, fd, off);
}

BPFEMU_API void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
			off_t off)
{
	return bpfemu_mmap(addr, len, prot, flags, fd, off);
}

BPFEMU_API int munmap(void *addr, size_t len)
{
	return bpfemu_munmap(addr, len);
}

BPFEMU_API int mprotect(void *addr, size_t len, int prot)
{
	return bpfemu_mprotect(addr, len, prot);
}

BPFEMU_API void *mremap(void *old, size_t old_len, size_t new_len,
			int flags, ...)
{
	void *new_addr = NULL;
	va_list ap;

	if (flags & MREMAP_FIXED) {
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	return bpfemu_mremap(old, old_len, new_len, flags, new_addr);
}

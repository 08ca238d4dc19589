// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Emulated map file descriptors.
 *
 * Every map owns one memfd, its "anchor": the memfd's inode is the map's
 * identity, as the anon inode's struct file is in the kernel
 * (syscall.c: bpf_map_new_fd). Every fd handed to the program is a fresh
 * open of that memfd through /proc/self/fd with the access mode of the
 * kernel's fd (O_RDONLY, O_WRONLY or O_RDWR, always O_CLOEXEC). So:
 * - emulated fds are real fds and can never collide with the program's;
 * - close(2), dup(2) and fork(2) work on them as on kernel map fds;
 * - an fd's access mode is its file's mode, as map_get_sys_perms reads it;
 * - an mmapable array keeps its elements in the memfd, so mmap(2) of an
 *   emulated fd shows them.
 * Anchors are moved to high fd numbers, so the fds the program sees are
 * numbered as the kernel would number them.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "emu_internal.h"

/* anchors[fd] is true when fd is an anchor */
static bool *anchors;
static size_t anchors_len;

static int anchor_min_fd(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return 512;
	return rl.rlim_cur / 2;
}

static int anchor_mark(int fd)
{
	if ((size_t)fd >= anchors_len) {
		size_t len = (size_t)fd * 2 + 64;
		bool *grown = realloc(anchors, len * sizeof(*anchors));

		if (!grown)
			return -ENOMEM;
		memset(grown + anchors_len, 0,
		       (len - anchors_len) * sizeof(*anchors));
		anchors = grown;
		anchors_len = len;
	}
	anchors[fd] = true;
	return 0;
}

bool emu_file_is_anchor(int fd)
{
	return fd >= 0 && (size_t)fd < anchors_len && anchors[fd];
}

void emu_file_close_anchor(int fd)
{
	if (fd < 0)
		return;
	if ((size_t)fd < anchors_len)
		anchors[fd] = false;
	close(fd);
}

/* Gives the map its anchor memfd (a family may have made it already). */
int emu_file_anchor(struct emu_map *map)
{
	struct stat st;
	int fd = map->anchor_fd, high;

	if (fd < 0) {
		fd = memfd_create("bpfemu-map", MFD_CLOEXEC);
		if (fd < 0)
			return -errno;
	}
	high = fcntl(fd, F_DUPFD_CLOEXEC, anchor_min_fd());
	if (high >= 0) {
		close(fd);
		fd = high;
	}
	map->anchor_fd = fd;
	if (fstat(fd, &st))
		return -errno;
	map->dev = st.st_dev;
	map->ino = st.st_ino;
	return anchor_mark(fd);
}

/* bpf_map_new_fd: a new fd on the map with the given access */
int emu_file_new_fd(struct emu_map *map, int fmode)
{
	char path[64];
	int flags = O_CLOEXEC, fd;

	if (fmode == EMU_FMODE_READ)
		flags |= O_RDONLY;
	else if (fmode == EMU_FMODE_WRITE)
		flags |= O_WRONLY;
	else
		flags |= O_RDWR;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", map->anchor_fd);
	fd = open(path, flags);
	return fd < 0 ? -errno : fd;
}

/*
 * __bpf_map_get: the map behind an fd and the fd's access mode.
 * NULL with errno EBADF for an fd that is not open, EINVAL for an open
 * fd that is not a map.
 */
struct emu_map *emu_file_map_get(int fd, int *fmode)
{
	struct emu_map *map;
	struct stat st;
	int fl;

	if (fd < 0 || fstat(fd, &st)) {
		errno = EBADF;
		return NULL;
	}
	map = emu_map_by_ino(st.st_dev, st.st_ino);
	if (!map) {
		errno = EINVAL;
		return NULL;
	}
	fl = fcntl(fd, F_GETFL);
	switch (fl & O_ACCMODE) {
	case O_RDONLY:
		*fmode = EMU_FMODE_READ;
		break;
	case O_WRONLY:
		*fmode = EMU_FMODE_WRITE;
		break;
	default:
		*fmode = EMU_FMODE_READ | EMU_FMODE_WRITE;
	}
	return map;
}

__attribute__((destructor)) static void emu_file_exit(void)
{
	free(anchors);
	anchors = NULL;
	anchors_len = 0;
}

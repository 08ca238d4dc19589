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
 * - close(2), dup(2), fork(2) and SCM_RIGHTS work on them as on kernel
 *   map fds;
 * - an fd's access mode is its file's mode, as map_get_sys_perms reads it;
 * - an mmapable array keeps its elements in the memfd, so mmap(2) of an
 *   emulated fd shows them.
 *
 * Liveness: each open file description the emulator hands out holds an
 * OFD lock on a byte of its own. The kernel drops that lock exactly when
 * the last fd or mapping of the description goes, so one F_OFD_GETLK
 * through the anchor tells whether any fd of the map is still open,
 * without racing a dup(2) or close(2) in another thread.
 *
 * Anchors sit at high fd numbers, so the fds the program sees are
 * numbered as the kernel would number them. A program may still close an
 * anchor (close_range(2) does): the emulator checks an anchor's identity
 * whenever it uses one (a new fd, a sweep), not on every command, and
 * makes a new one then (anchor_recover). A command costs two system
 * calls: fstat(2) for the map, F_GETFL for the fd's access mode, which
 * must be read each time as the number may have been reused.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "emu_internal.h"

static int anchor_min_fd(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return 512;
	return rl.rlim_cur / 2;
}

/*
 * Is fd still the anchor the map was given? The same file is not enough:
 * the program may have dup2()ed an fd of its own onto the number. Only
 * the emulator's own open file description carries O_APPEND.
 */
static bool anchor_ok(const struct emu_map *map)
{
	struct stat st;

	return map->anchor_fd >= 0 && !fstat(map->anchor_fd, &st) &&
	       st.st_dev == map->dev && st.st_ino == map->ino &&
	       (fcntl(map->anchor_fd, F_GETFL) & O_APPEND);
}

void emu_file_close_anchor(struct emu_map *map)
{
	if (anchor_ok(map))
		close(map->anchor_fd);	/* never a number the program reused */
	map->anchor_fd = -1;
}

/* Marks fd as an anchor and moves it to a high number. */
static int anchor_place(int fd)
{
	int high;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_APPEND);
	high = fcntl(fd, F_DUPFD_CLOEXEC, anchor_min_fd());
	if (high < 0)
		return fd;	/* no room up there: keep it where it is */
	close(fd);
	return high;
}

/* Gives the map its anchor memfd (a family may have made it already). */
int emu_file_anchor(struct emu_map *map)
{
	struct stat st;
	int fd = map->anchor_fd;

	if (fd < 0) {
		fd = memfd_create("bpfemu-map", MFD_CLOEXEC);
		if (fd < 0)
			return -errno;	/* out of fds: EMFILE/ENFILE */
	}
	map->anchor_fd = fd = anchor_place(fd);
	if (fstat(fd, &st))
		return -errno;
	map->dev = st.st_dev;
	map->ino = st.st_ino;
	return 0;
}

/* Opens the map's memfd anew through an fd that refers to it. */
static int reopen(int via, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", via);
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* The program closed the anchor: a new one, opened through its fd. */
static void anchor_renew(struct emu_map *map, int fd)
{
	int anchor = reopen(fd, O_RDWR);

	if (anchor >= 0)
		map->anchor_fd = anchor_place(anchor);
}

/* An open fd of the map, found among the process's, or -1. */
static int find_map_fd(const struct emu_map *map)
{
	struct dirent *de;
	struct stat st;
	int fd = -1;
	DIR *dir;

	dir = opendir("/proc/self/fd");
	if (!dir)
		return -1;
	while (fd < 0 && (de = readdir(dir))) {
		int n = atoi(de->d_name);

		if (de->d_name[0] != '.' && n != dirfd(dir) && !fstat(n, &st) &&
		    st.st_dev == map->dev && st.st_ino == map->ino)
			fd = n;
	}
	closedir(dir);
	return fd;
}

/*
 * The anchor is gone (close_range(2) in the program, say): reopen the
 * memfd through any fd of the map still open; with none, nothing refers
 * to the memfd any more, and a map that keeps no elements there takes a
 * new one. An mmapable array's elements live in it: its memfd is reopened
 * through the emulator's own mapping of it (which needs CAP_SYS_ADMIN),
 * or the map is lost.
 */
static bool anchor_recover(struct emu_map *map)
{
	struct stat st;
	int fd = find_map_fd(map);

	if (fd >= 0) {
		anchor_renew(map, fd);
		return anchor_ok(map);
	}
	if (map->storage) {
		/* the memfd lives on in the map's own mapping (needs root) */
		char path[64];

		snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx",
			 (unsigned long)map->storage,
			 (unsigned long)map->storage + map->storage_len);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return false;
		map->anchor_fd = anchor_place(fd);
		return anchor_ok(map);
	}
	fd = memfd_create("bpfemu-map", MFD_CLOEXEC);
	if (fd < 0)
		return false;
	fd = anchor_place(fd);
	if (fstat(fd, &st)) {
		close(fd);
		return false;
	}
	map->anchor_fd = fd;
	return !emu_map_rekey(map, st.st_dev, st.st_ino);
}

/* bpf_map_new_fd: a new fd on the map with the given access */
int emu_file_new_fd(struct emu_map *map, int fmode)
{
	struct flock lock = { .l_whence = SEEK_SET, .l_len = 1 };
	int flags, fd;

	if (!anchor_ok(map) && !anchor_recover(map))
		return -ENOENT;	/* an mmapable array lost with its memfd */
	if (fmode == EMU_FMODE_READ)
		flags = O_RDONLY;
	else if (fmode == EMU_FMODE_WRITE)
		flags = O_WRONLY;
	else
		flags = O_RDWR;
	fd = reopen(map->anchor_fd, flags);
	if (fd < 0)
		return fd;
	/* the liveness mark: a lock on a byte of this description's own */
	lock.l_type = fmode & EMU_FMODE_READ ? F_RDLCK : F_WRLCK;
	/* the pid keeps a forked child's bytes apart from its parent's */
	lock.l_start = (off_t)getpid() << 32 | (map->lock_seq++ & 0xffffffff);
	if (fcntl(fd, F_OFD_SETLK, &lock)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Is any fd (or mapping) of the map still open? */
bool emu_file_in_use(struct emu_map *map)
{
	struct flock lock = {
		.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0,
		.l_len = 0,
	};

	if (!anchor_ok(map) && !anchor_recover(map))
		return false;	/* no fd of it is open */
	if (fcntl(map->anchor_fd, F_OFD_GETLK, &lock))
		return true;	/* cannot tell: keep it */
	return lock.l_type != F_UNLCK;
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

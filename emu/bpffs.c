// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The emulated bpffs: pins and directories under one mount point
 * (bpfemu_bpffs_root()), kept in memory. Mirrors the user-visible rules of
 * kernel/bpf/inode.c (v6.18): bpf_obj_do_pin, bpf_obj_do_get,
 * bpf_inode_type, bpf_mkdir, and the VFS path walk's errnos. Paths
 * outside the mount point are looked up on the host, as the kernel
 * would, to give the same errno.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "emu_internal.h"
#include "bpffs.h"

#define EMU_PATH_MAX	4096	/* PATH_MAX, the NUL included */
#define EMU_NAME_MAX	255	/* NAME_MAX */
#define EMU_PATH_BUF	(2 * EMU_PATH_MAX)	/* a walked absolute path */

struct bpffs_node {
	char *path;
	struct emu_map *map;	/* NULL for a directory */
	UT_hash_handle hh;
};

static struct bpffs_node *nodes;

const char *bpfemu_bpffs_root(void)
{
	const char *root = getenv("BPFEMU_BPFFS");

	return root && root[0] == '/' ? root : "/sys/fs/bpf";
}

/* Appends "/name" to a path being walked (the root is "/"). */
static int path_push(char *path, const char *name, size_t len)
{
	size_t n = strlen(path);

	if (n == 1)
		n = 0;
	if (n + 1 + len >= EMU_PATH_BUF)
		return -ENAMETOOLONG;	/* the walked path outgrew its buffer */
	path[n] = '/';
	memcpy(path + n + 1, name, len);
	path[n + 1 + len] = '\0';
	return 0;
}

static void path_pop(char *path)
{
	char *slash = strrchr(path, '/');

	if (slash == path)
		slash[1] = '\0';	/* ".." of "/" is "/" */
	else
		*slash = '\0';
}

/* The emulated mount point, as a walked path. */
static void root_path(char *root)
{
	const char *r = bpfemu_bpffs_root(), *c;

	strcpy(root, "/");
	for (c = r; *c; ) {
		size_t len = strcspn(c, "/");

		if (len && !(len == 1 && c[0] == '.'))
			path_push(root, c, len);
		c += len;
		c += *c == '/';
	}
}

enum where { AT_ROOT, INSIDE, OUTSIDE };

static enum where locate(const char *path)
{
	char root[EMU_PATH_BUF];
	size_t n;

	root_path(root);
	n = strlen(root);
	if (!strcmp(path, root))
		return AT_ROOT;
	if (n == 1)
		n = 0;	/* the mount point is "/" itself */
	if (strncmp(path, root, n) || path[n] != '/')
		return OUTSIDE;
	return INSIDE;
}

static struct bpffs_node *node_find(const char *path)
{
	struct bpffs_node *node;

	HASH_FIND_STR(nodes, path, node);
	return node;
}

/* A walked path in the emulated bpffs that names a pin: not a directory. */
static bool is_pin(const char *path)
{
	struct bpffs_node *node;

	if (locate(path) != INSIDE)
		return false;
	node = node_find(path);
	return node && node->map;
}

/* Where relative paths start: cwd, or path_fd's directory. */
static int start_dir(int dirfd, char *out)
{
	char link[64];
	ssize_t n;

	struct stat st;

	if (dirfd == AT_FDCWD)
		return getcwd(out, EMU_PATH_BUF) ? 0 : -errno;
	if (fstat(dirfd, &st))
		return -EBADF;	/* path_fd is not an open fd */
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;	/* path_fd is not a directory */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
	n = readlink(link, out, EMU_PATH_BUF - 1);
	if (n < 0)
		return -EBADF;	/* path_fd is not an open fd */
	out[n] = '\0';
	return 0;
}

/*
 * The last component of a path, as fs/namei.c tells them apart: its
 * filename_create, do_unlinkat and do_rmdir refuse "." and ".." there.
 */
enum last { LAST_NORM, LAST_DOT, LAST_DOTDOT };

struct walked {
	char path[EMU_PATH_BUF];	/* absolute, without "." and ".." */
	enum where where;
	enum last last;			/* what the last component was */
	bool slash;			/* the caller's path ended in '/' */
};

/*
 * The VFS path walk, as far as the emulated bpffs can tell: component by
 * component, every one but the last must be a directory that exists.
 * Inside the bpffs, bpf_lookup (inode.c) refuses any name with a dot.
 * Host components are not checked here: the host answers for them.
 * @create: the caller makes the last component (OBJ_PIN, mkdir(2)), so
 * an existing name there is the caller's EEXIST, whatever it is.
 */
static int walk(int dirfd, const char *upath, bool create, struct walked *w)
{
	const char *c, *next;
	int err;

	if (!upath)
		return -EFAULT;	/* getname: bad pointer */
	if (strnlen(upath, EMU_PATH_MAX) >= EMU_PATH_MAX)
		return -ENAMETOOLONG;	/* getname: longer than PATH_MAX */
	if (!upath[0])
		return -ENOENT;	/* empty pathname */
	if (upath[0] == '/') {
		strcpy(w->path, "/");	/* path_fd plays no part */
	} else {
		err = start_dir(dirfd, w->path);
		if (err)
			return err;
	}
	w->last = LAST_NORM;
	for (c = upath; *c; c = next) {
		size_t len = strcspn(c, "/");
		bool last;

		next = c + len;
		while (*next == '/')
			next++;
		last = !*next;
		if (!len)
			continue;
		if (is_pin(w->path))
			return -ENOTDIR;	/* walking through a pin */
		w->last = LAST_NORM;
		if (len == 1 && c[0] == '.') {
			w->last = LAST_DOT;
			continue;
		}
		if (len == 2 && c[0] == '.' && c[1] == '.') {
			w->last = LAST_DOTDOT;
			path_pop(w->path);
			continue;
		}
		if (locate(w->path) != OUTSIDE) {
			if (memchr(c, '.', len))
				return -EPERM;	/* bpf_lookup: no dots */
			if (len > EMU_NAME_MAX)
				return -ENAMETOOLONG;	/* simple_lookup */
		}
		err = path_push(w->path, c, len);
		if (err)
			return err;
		if (!last && locate(w->path) == INSIDE && !node_find(w->path))
			return -ENOENT;	/* a directory on the way is missing */
	}
	w->where = locate(w->path);
	w->slash = upath[strlen(upath) - 1] == '/';
	if (w->slash && !create && is_pin(w->path))
		return -ENOTDIR;	/* "pin/": a pin is not a directory */
	return 0;
}

static int node_add(const char *path, struct emu_map *map)
{
	struct bpffs_node *node = emu_zalloc(sizeof(*node));

	if (!node)
		return -ENOMEM;
	node->path = strdup(path);
	if (!node->path) {
		free(node);
		return -ENOMEM;
	}
	node->map = map;
	if (map)
		map->pin_cnt++;
	HASH_ADD_KEYPTR(hh, nodes, node->path, strlen(node->path), node);
	return 0;
}

static void node_free(struct bpffs_node *node)
{
	HASH_DEL(nodes, node);
	if (node->map)
		node->map->pin_cnt--;
	free(node->path);
	free(node);
}

/* The host's calls: the drop-in library takes the libc names. */
static int host_ret(long ret)
{
	return ret ? -errno : 0;
}

/* user_path_create outside bpffs: the name taken, or the parent wrong */
static int host_create_errno(const char *path)
{
	char parent[EMU_PATH_BUF];
	struct stat st;

	if (!lstat(path, &st))
		return -EEXIST;	/* name taken */
	if (errno == ENOTDIR || errno == ENAMETOOLONG || errno == ELOOP)
		return -errno;	/* the walk to it failed */
	snprintf(parent, sizeof(parent), "%s", path);
	path_pop(parent);
	if (stat(parent, &st))
		return -errno;	/* parent missing */
	return 0;
}

int emu_bpffs_pin(struct emu_map *map, int dirfd, const char *upath)
{
	struct walked w;
	int err;

	err = walk(dirfd, upath, true, &w);
	if (err)
		return err;
	if (w.where == AT_ROOT || w.last != LAST_NORM)
		return -EEXIST;	/* filename_create: mount point, "." or ".." */
	if (w.where == OUTSIDE)
		return host_create_errno(w.path) ? :
		       -EPERM;	/* parent directory is not on bpffs */
	if (node_find(w.path))
		return -EEXIST;	/* path already exists */
	if (w.slash)
		return -ENOENT;	/* "name/" for a file that does not exist */
	return node_add(w.path, map);
}

struct emu_map *emu_bpffs_get(int dirfd, const char *upath, int *err)
{
	struct bpffs_node *node;
	struct walked w;
	struct stat st;

	*err = walk(dirfd, upath, false, &w);
	if (*err)
		return NULL;
	if (w.where == OUTSIDE) {
		/* bpf_inode_type: a host file is not a BPF object */
		*err = stat(w.path, &st) ? -errno : -EACCES;
		return NULL;
	}
	node = w.where == INSIDE ? node_find(w.path) : NULL;
	if (w.where == INSIDE && !node)
		*err = -ENOENT;	/* nothing pinned there */
	else if (!node || !node->map)
		*err = -EACCES;	/* a bpffs directory is not a BPF object */
	return *err ? NULL : node->map;
}

int emu_bpffs_unlink(const char *upath)
{
	struct bpffs_node *node;
	struct walked w;
	int err;

	err = walk(AT_FDCWD, upath, false, &w);
	if (err)
		return err;
	if (w.where == AT_ROOT || w.last != LAST_NORM)
		return -EISDIR;	/* do_unlinkat: mount point, "." or ".." */
	if (w.where == OUTSIDE)	/* a host path */
		return host_ret(syscall(SYS_unlinkat, AT_FDCWD, w.path, 0));
	node = node_find(w.path);
	if (!node)
		return -ENOENT;	/* no such pin */
	if (!node->map)
		return -EISDIR;	/* unlink(2) of a directory */
	node_free(node);
	return 0;
}

int emu_bpffs_mkdir(const char *upath, mode_t mode)
{
	struct walked w;
	int err;

	err = walk(AT_FDCWD, upath, true, &w);
	if (err)
		return err;
	if (w.where == AT_ROOT || w.last != LAST_NORM)
		return -EEXIST;	/* filename_create: mount point, "." or ".." */
	if (w.where == OUTSIDE)	/* a host path */
		return host_ret(syscall(SYS_mkdirat, AT_FDCWD, w.path, mode));
	if (node_find(w.path))
		return -EEXIST;	/* name taken */
	return node_add(w.path, NULL);
}

int emu_bpffs_rmdir(const char *upath)
{
	struct bpffs_node *node, *child, *next;
	struct walked w;
	size_t len;
	int err;

	err = walk(AT_FDCWD, upath, false, &w);
	if (err)
		return err;
	if (w.last == LAST_DOT)
		return -EINVAL;	/* do_rmdir: "." */
	if (w.last == LAST_DOTDOT)
		return -ENOTEMPTY;	/* do_rmdir: ".." */
	if (w.where == AT_ROOT)
		return -EBUSY;	/* the mount point */
	if (w.where == OUTSIDE)	/* a host path */
		return host_ret(syscall(SYS_unlinkat, AT_FDCWD, w.path,
					AT_REMOVEDIR));
	node = node_find(w.path);
	if (!node)
		return -ENOENT;	/* no such directory */
	if (node->map)
		return -ENOTDIR;	/* a pin is not a directory */
	len = strlen(w.path);
	HASH_ITER(hh, nodes, child, next) {
		if (!strncmp(child->path, w.path, len) &&
		    child->path[len] == '/')
			return -ENOTEMPTY;	/* it holds pins or directories */
	}
	node_free(node);
	return 0;
}

/* At exit, before the maps go (map.c). */
void emu_bpffs_release_all(void)
{
	struct bpffs_node *node, *tmp;

	HASH_ITER(hh, nodes, node, tmp)
		node_free(node);
}

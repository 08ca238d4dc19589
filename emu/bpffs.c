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

#include "emu_internal.h"
#include "bpffs.h"

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

/* Lexically normalises a path to "/a/b" form; relative paths start at dir. */
static int normalise(const char *dir, const char *path, char *out)
{
	char buf[PATH_MAX * 2];
	size_t len = 0;
	char *tok, *save;

	if (!path)
		return -EFAULT;
	if (path[0] == '/')
		snprintf(buf, sizeof(buf), "%s", path);
	else
		snprintf(buf, sizeof(buf), "%s/%s", dir, path);
	out[0] = '\0';
	for (tok = strtok_r(buf, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			while (len && out[len - 1] != '/')
				len--;
			if (len)
				len--;
			out[len] = '\0';
			continue;
		}
		if (len + 1 + strlen(tok) >= PATH_MAX)
			return -ENAMETOOLONG;
		out[len++] = '/';
		strcpy(out + len, tok);
		len += strlen(tok);
	}
	if (!len)
		strcpy(out, "/");
	return 0;
}

/* The directory relative paths start from: cwd, or path_fd's directory. */
static int start_dir(int dirfd, char *out)
{
	char link[64];
	ssize_t n;

	if (dirfd == AT_FDCWD)
		return getcwd(out, PATH_MAX) ? 0 : -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
	n = readlink(link, out, PATH_MAX - 1);
	if (n < 0)
		return -EBADF;
	out[n] = '\0';
	return 0;
}

enum where { AT_ROOT, INSIDE, OUTSIDE };

/* Where a normalised path lies relative to the emulated mount point. */
static enum where locate(const char *path)
{
	char root[PATH_MAX];
	size_t n;

	normalise("/", bpfemu_bpffs_root(), root);
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

/*
 * The path walk to the last component: every directory between the mount
 * point and it must exist, and be a directory.
 */
static int walk_parents(const char *path)
{
	char prefix[PATH_MAX], root[PATH_MAX];
	struct bpffs_node *node;
	const char *slash;

	normalise("/", bpfemu_bpffs_root(), root);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(slash - path),
			 path);
		node = node_find(prefix);
		if (!node)
			return -ENOENT;	/* a directory on the way is missing */
		if (node->map)
			return -ENOTDIR;	/* a pin is not a directory */
	}
	return 0;
}

/* Normalises the caller's path and walks to its last component. */
static int resolve(int dirfd, const char *upath, char *path,
		   enum where *where)
{
	char dir[PATH_MAX];
	int err;

	if (!upath)
		return -EFAULT;
	if (!upath[0])
		return -ENOENT;	/* empty pathname */
	err = start_dir(dirfd, dir);
	if (err)
		return err;
	err = normalise(dir, upath, path);
	if (err)
		return err;
	*where = locate(path);
	return *where == INSIDE ? walk_parents(path) : 0;
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

/* user_path_create outside bpffs: the name taken, or the parent wrong */
static int host_create_errno(const char *path)
{
	char parent[PATH_MAX];
	struct stat st;

	if (!lstat(path, &st))
		return -EEXIST;	/* name taken */
	snprintf(parent, sizeof(parent), "%s", path);
	*strrchr(parent, '/') = '\0';
	if (stat(parent[0] ? parent : "/", &st))
		return -errno;	/* parent missing */
	return 0;
}

int emu_bpffs_pin(struct emu_map *map, int dirfd, const char *upath)
{
	char path[PATH_MAX];
	enum where where;
	int err;

	err = resolve(dirfd, upath, path, &where);
	if (err)
		return err;
	if (where == AT_ROOT)
		return -EEXIST;	/* the mount point exists */
	if (where == OUTSIDE)
		return host_create_errno(path) ? :
		       -EPERM;	/* parent directory is not on bpffs */
	if (node_find(path))
		return -EEXIST;	/* path already exists */
	return node_add(path, map);
}

struct emu_map *emu_bpffs_get(int dirfd, const char *upath, int *err)
{
	char path[PATH_MAX];
	struct bpffs_node *node;
	enum where where;
	struct stat st;

	*err = resolve(dirfd, upath, path, &where);
	if (*err)
		return NULL;
	if (where == OUTSIDE) {
		/* bpf_inode_type: a host file is not a BPF object */
		*err = stat(path, &st) ? -errno : -EACCES;
		return NULL;
	}
	node = where == INSIDE ? node_find(path) : NULL;
	if (where == INSIDE && !node)
		*err = -ENOENT;	/* nothing pinned there */
	else if (!node || !node->map)
		*err = -EACCES;	/* a bpffs directory is not a BPF object */
	return *err ? NULL : node->map;
}

int emu_bpffs_unlink(const char *upath)
{
	char path[PATH_MAX];
	struct bpffs_node *node;
	enum where where;
	int err;

	err = resolve(AT_FDCWD, upath, path, &where);
	if (err)
		return err;
	if (where == AT_ROOT)
		return -EISDIR;	/* unlink(2) of a directory */
	if (where == OUTSIDE)
		return unlink(path) ? -errno : 0;	/* a host path */
	node = node_find(path);
	if (!node)
		return -ENOENT;	/* no such pin */
	if (!node->map)
		return -EISDIR;	/* unlink(2) of a directory */
	node_free(node);
	return 0;
}

int emu_bpffs_mkdir(const char *upath, mode_t mode)
{
	char path[PATH_MAX];
	enum where where;
	int err;

	err = resolve(AT_FDCWD, upath, path, &where);
	if (err)
		return err;
	if (where == AT_ROOT)
		return -EEXIST;	/* the mount point exists */
	if (where == OUTSIDE)
		return mkdir(path, mode) ? -errno : 0;	/* a host path */
	if (node_find(path))
		return -EEXIST;	/* name taken */
	return node_add(path, NULL);
}

int emu_bpffs_rmdir(const char *upath)
{
	struct bpffs_node *node, *child, *next;
	char path[PATH_MAX];
	enum where where;
	size_t len;
	int err;

	err = resolve(AT_FDCWD, upath, path, &where);
	if (err)
		return err;
	if (where == AT_ROOT)
		return -EBUSY;	/* the mount point */
	if (where == OUTSIDE)
		return rmdir(path) ? -errno : 0;	/* a host path */
	node = node_find(path);
	if (!node)
		return -ENOENT;	/* no such directory */
	if (node->map)
		return -ENOTDIR;	/* a pin is not a directory */
	len = strlen(path);
	HASH_ITER(hh, nodes, child, next) {
		if (!strncmp(child->path, path, len) && child->path[len] == '/')
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

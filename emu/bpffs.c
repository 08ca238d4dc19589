// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The emulated bpffs: a flat namespace of pins under one mount point
 * (bpfemu_bpffs_root()). Mirrors the user-visible rules of
 * kernel/bpf/inode.c (v6.18): bpf_obj_do_pin, bpf_obj_do_get,
 * bpf_inode_type. Paths outside the mount point are looked up on the
 * host, as the kernel would, to give the same errno.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include "emu_internal.h"
#include "bpffs.h"

struct emu_pin {
	char *path;
	struct emu_map *map;
	UT_hash_handle hh;
};

static struct emu_pin *pins;

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

enum where { AT_ROOT, IN_ROOT, BELOW_ROOT, OUTSIDE };

/* Where a normalised path lies relative to the emulated mount point. */
static enum where locate(const char *path, const char **name)
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
	*name = path + n + 1;
	return strchr(*name, '/') ? BELOW_ROOT : IN_ROOT;
}

static struct emu_pin *pin_find(const char *path)
{
	struct emu_pin *pin;

	HASH_FIND_STR(pins, path, pin);
	return pin;
}

/* A missing directory below the mount point, or a pin used as one. */
static int below_root_errno(const char *path)
{
	char parent[PATH_MAX];
	char *slash;

	snprintf(parent, sizeof(parent), "%s", path);
	for (slash = strrchr(parent, '/'); slash && slash != parent;
	     slash = strrchr(parent, '/')) {
		*slash = '\0';
		if (pin_find(parent))
			return -ENOTDIR;	/* a pin is not a directory */
	}
	return -ENOENT;	/* no directories in the emulated bpffs */
}

static int resolve(int dirfd, const char *upath, char *path,
		   const char **name, enum where *where)
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
	*where = locate(path, name);
	return 0;
}

int emu_bpffs_pin(struct emu_map *map, int dirfd, const char *upath)
{
	char path[PATH_MAX], parent[PATH_MAX];
	enum where where;
	struct emu_pin *pin;
	const char *name;
	struct stat st;
	int err;

	err = resolve(dirfd, upath, path, &name, &where);
	if (err)
		return err;
	switch (where) {
	case AT_ROOT:
		return -EEXIST;	/* the mount point exists */
	case BELOW_ROOT:
		return below_root_errno(path);
	case OUTSIDE:
		if (!lstat(path, &st))
			return -EEXIST;	/* user_path_create: name taken */
		snprintf(parent, sizeof(parent), "%s", path);
		*strrchr(parent, '/') = '\0';
		if (stat(parent[0] ? parent : "/", &st))
			return -errno;	/* parent missing */
		return -EPERM;	/* parent directory is not on bpffs */
	case IN_ROOT:
		break;
	}
	if (pin_find(path))
		return -EEXIST;	/* path already exists */
	pin = emu_zalloc(sizeof(*pin));
	if (!pin)
		return -ENOMEM;
	pin->path = strdup(path);
	if (!pin->path) {
		free(pin);
		return -ENOMEM;
	}
	pin->map = map;
	map->pin_cnt++;
	HASH_ADD_KEYPTR(hh, pins, pin->path, strlen(pin->path), pin);
	return 0;
}

struct emu_map *emu_bpffs_get(int dirfd, const char *upath, int *err)
{
	char path[PATH_MAX];
	enum where where;
	struct emu_pin *pin;
	const char *name;
	struct stat st;

	*err = resolve(dirfd, upath, path, &name, &where);
	if (*err)
		return NULL;
	switch (where) {
	case AT_ROOT:
		*err = -EACCES;	/* a bpffs directory is not a BPF object */
		return NULL;
	case BELOW_ROOT:
		*err = below_root_errno(path);
		return NULL;
	case OUTSIDE:
		/* bpf_inode_type: a host file is not a BPF object */
		*err = stat(path, &st) ? -errno : -EACCES;
		return NULL;
	case IN_ROOT:
		break;
	}
	pin = pin_find(path);
	if (!pin)
		*err = -ENOENT;	/* nothing pinned there */
	return pin ? pin->map : NULL;
}

static void pin_free(struct emu_pin *pin)
{
	HASH_DEL(pins, pin);
	pin->map->pin_cnt--;
	free(pin->path);
	free(pin);
}

int emu_bpffs_unlink(const char *upath)
{
	char path[PATH_MAX];
	enum where where;
	struct emu_pin *pin;
	const char *name;
	int err;

	err = resolve(AT_FDCWD, upath, path, &name, &where);
	if (err)
		return err;
	switch (where) {
	case AT_ROOT:
		return -EISDIR;	/* unlink(2) of a directory */
	case BELOW_ROOT:
		return below_root_errno(path);
	case OUTSIDE:
		return unlink(path) ? -errno : 0;	/* a host path */
	case IN_ROOT:
		break;
	}
	pin = pin_find(path);
	if (!pin)
		return -ENOENT;
	pin_free(pin);
	return 0;
}

/* At exit, before the maps go (map.c). */
void emu_bpffs_release_all(void)
{
	struct emu_pin *pin, *tmp;

	HASH_ITER(hh, pins, pin, tmp)
		pin_free(pin);
}

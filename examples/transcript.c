// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A program written against libbpf's map API and nothing else. Built
 * with -lbpf it talks to the kernel (as root); built against libbpfemu
 * it runs on the emulator, without privilege. Both builds must print the
 * same transcript: `make transcript-test` diffs them.
 *
 * usage: transcript <bpffs-dir>   (a bpffs mount: pins go there)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static const char *err_name(int err)
{
	switch (-err) {
	case 0: return "0";
	case EPERM: return "-EPERM";
	case ENOENT: return "-ENOENT";
	case E2BIG: return "-E2BIG";
	case EBADF: return "-EBADF";
	case EFAULT: return "-EFAULT";
	case EEXIST: return "-EEXIST";
	case EINVAL: return "-EINVAL";
	case ENOSPC: return "-ENOSPC";
	case EBUSY: return "-EBUSY";
	case ENOTEMPTY: return "-ENOTEMPTY";
	case EACCES: return "-EACCES";
	case 524: return "-ENOTSUPP";
	default: return "-E?";
	}
}

static void show(const char *what, int ret)
{
	printf("%-44s %s\n", what, ret >= 0 && ret != 0 ? "fd" : err_name(ret));
}

static void hex(const char *what, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	printf("%-44s ", what);
	while (n--)
		printf("%02x", *p++);
	printf("\n");
}

/* Walks the map with get_next_key and prints every key in order. */
static void walk(int fd, unsigned int key_size)
{
	unsigned char key[16], next[16];
	void *prev = NULL;
	int n = 0;

	while (!bpf_map_get_next_key(fd, prev, next) && n++ < 64) {
		hex("  next", next, key_size);
		memcpy(key, next, key_size);
		prev = key;
	}
}

static void hash_family(enum bpf_map_type type, const char *name)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_ZERO_SEED);
	int ncpus = libbpf_num_possible_cpus();
	unsigned int vsz = type == BPF_MAP_TYPE_PERCPU_HASH ? 8 * ncpus : 8;
	unsigned char val[8 * 64], out[8 * 64];
	__u32 key, keys[8], count, cookie;
	int fd, i;

	printf("== %s\n", name);
	fd = bpf_map_create(type, name, 4, 8, 4, &opts);
	show("create max_entries=4", fd);
	for (key = 1; key <= 5; key++) {
		memset(val, key, vsz);
		show("update ANY", bpf_map_update_elem(fd, &key, val, BPF_ANY));
	}
	key = 2;
	show("update NOEXIST existing", bpf_map_update_elem(fd, &key, val,
							    BPF_NOEXIST));
	key = 9;
	show("update EXIST missing", bpf_map_update_elem(fd, &key, val,
							 BPF_EXIST));
	key = 3;
	memset(val, 0x33, vsz);
	show("update EXIST existing (full map)",
	     bpf_map_update_elem(fd, &key, val, BPF_EXIST));
	show("lookup 3", bpf_map_lookup_elem(fd, &key, out));
	hex("  value", out, vsz);
	show("lookup flags=8", bpf_map_lookup_elem_flags(fd, &key, out, 8));
	walk(fd, 4);
	key = 1;
	show("lookup_and_delete 1", bpf_map_lookup_and_delete_elem(fd, &key,
								   out));
	show("delete 1 again", bpf_map_delete_elem(fd, &key));
	count = 8;
	show("lookup_batch count=8", bpf_map_lookup_batch(fd, NULL, &cookie,
							  keys, out, &count,
							  NULL));
	printf("  count %u\n", count);
	for (i = 0; i < (int)count; i++)
		hex("  key", &keys[i], 4);
	show("freeze", bpf_map_freeze(fd));
	show("update after freeze", bpf_map_update_elem(fd, &key, val, 0));
	close(fd);
}

static void array_family(enum bpf_map_type type, const char *name,
			 const char *bpffs)
{
	int ncpus = libbpf_num_possible_cpus();
	unsigned int vsz = type == BPF_MAP_TYPE_PERCPU_ARRAY ? 8 * ncpus : 4;
	unsigned char val[8 * 64], out[8 * 64];
	char path[256];
	__u32 key, next, count;
	int fd, fd2;

	printf("== %s\n", name);
	show("create key_size=8", bpf_map_create(type, name, 8, 4, 3, NULL));
	fd = bpf_map_create(type, name, 4, 4, 3, NULL);
	show("create", fd);
	for (key = 0; key <= 3; key++) {
		memset(val, 0x10 + key, vsz);
		show("update", bpf_map_update_elem(fd, &key, val, BPF_ANY));
	}
	key = 1;
	show("update NOEXIST", bpf_map_update_elem(fd, &key, val,
						   BPF_NOEXIST));
	show("delete", bpf_map_delete_elem(fd, &key));
	show("lookup_and_delete", bpf_map_lookup_and_delete_elem(fd, &key,
								 out));
	key = 2;
	show("lookup 2", bpf_map_lookup_elem(fd, &key, out));
	hex("  value", out, vsz);
	key = 7;
	show("next of 7", bpf_map_get_next_key(fd, &key, &next));
	printf("  next %u\n", next);
	count = 2;
	show("update_batch count=2 (keys 0 and 5)",
	     bpf_map_update_batch(fd, (__u32[]){ 0, 5 }, val, &count, NULL));
	printf("  count %u\n", count);
	snprintf(path, sizeof(path), "%s/transcript", bpffs);
	show("pin", bpf_obj_pin(fd, path));
	show("pin again", bpf_obj_pin(fd, path));
	LIBBPF_OPTS(bpf_obj_get_opts, ro, .file_flags = BPF_F_RDONLY);
	fd2 = bpf_obj_get_opts(path, &ro);
	show("get RDONLY", fd2);
	show("update via RDONLY fd", bpf_map_update_elem(fd2, &key, val, 0));
	key = 0;
	show("lookup via RDONLY fd", bpf_map_lookup_elem(fd2, &key, out));
	hex("  value", out, vsz);
	unlink(path);
	close(fd2);
	close(fd);
	show("lookup on closed fd", bpf_map_lookup_elem(fd, &key, out));
}

/* mmap(2) of an mmapable array, and pins in a bpffs directory. */
static void mmap_and_dirs(const char *bpffs)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE);
	__u64 *elems, v = 0x1122334455667788ULL, out = 0;
	char dir[256], pin[300];
	__u32 key = 3;
	void *p;
	int fd;

	printf("== mmapable array, bpffs directories\n");
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "mm", 4, 8, 1024, &opts);
	show("create BPF_F_MMAPABLE", fd);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	show("mmap 8192 rw shared", p == MAP_FAILED ? -errno : 0);
	show("mmap 12288 (past the elements)",
	     mmap(NULL, 12288, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ?
	     -errno : 0);
	show("mmap private", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) ==
	     MAP_FAILED ? -errno : 0);
	if (p != MAP_FAILED) {
		elems = p;
		elems[key] = v;
		show("lookup of a key written through the mapping",
		     bpf_map_lookup_elem(fd, &key, &out));
		hex("  value", &out, sizeof(out));
	}
	show("freeze with a writable mapping", bpf_map_freeze(fd));
	if (p != MAP_FAILED)
		show("munmap", munmap(p, 8192) ? -errno : 0);
	show("freeze", bpf_map_freeze(fd));
	show("mmap rw of a frozen map",
	     mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) ==
	     MAP_FAILED ? -errno : 0);
	snprintf(dir, sizeof(dir), "%s/app", bpffs);
	snprintf(pin, sizeof(pin), "%s/mm", dir);
	show("pin into a missing directory", bpf_obj_pin(fd, pin));
	show("mkdir", mkdir(dir, 0700) ? -errno : 0);
	show("pin into it", bpf_obj_pin(fd, pin));
	show("rmdir of the non-empty directory", rmdir(dir) ? -errno : 0);
	show("unlink the pin", unlink(pin) ? -errno : 0);
	show("rmdir", rmdir(dir) ? -errno : 0);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s <bpffs-dir>\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	hash_family(BPF_MAP_TYPE_HASH, "hash");
	hash_family(BPF_MAP_TYPE_PERCPU_HASH, "percpu_hash");
	array_family(BPF_MAP_TYPE_ARRAY, "array", argv[1]);
	array_family(BPF_MAP_TYPE_PERCPU_ARRAY, "percpu_array", argv[1]);
	mmap_and_dirs(argv[1]);
	return 0;
}

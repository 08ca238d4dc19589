// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * mmap(2) of emulated map fds.
 * Mirrors kernel/bpf/syscall.c (v6.18): bpf_map_mmap and the vm_ops that
 * count a writable mapping as an active writer (freeze answers EBUSY
 * while one exists), and the checks mm/mmap.c: do_mmap makes before
 * handing a mapping to the map. Every mapping also holds the map alive,
 * as the kernel's vma holds the map's file.
 *
 * The mapping itself is a mapping of the map's memfd, where mmapable
 * arrays keep their elements; a read-only one is made through a
 * read-only fd, so that mprotect(PROT_WRITE) fails later as on the
 * kernel (bpf_map_mmap drops VM_MAYWRITE).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "emu_internal.h"

/* One vma of a map: [start, end), page-aligned. */
struct emu_mapping {
	uintptr_t start, end;
	struct emu_map *map;
	bool write;
	struct emu_mapping *next;
};

static struct emu_mapping *mappings;

/*
 * The host's mmap and munmap. The drop-in library takes the libc names
 * (libc_shim.c), so the emulator itself never calls them: a call would
 * come back to bpfemu_mmap() and wait for the lock it holds.
 */
void *emu_host_mmap(void *addr, size_t len, int prot, int flags, int fd,
		    off_t off)
{
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

int emu_host_munmap(void *addr, size_t len)
{
	return syscall(SYS_munmap, addr, len);
}

int emu_map_mmap_notsupp(struct emu_map *map, __u64 off, __u64 len,
			 bool shared, bool write)
{
	(void)map; (void)off; (void)len; (void)shared; (void)write;
	return -ENOTSUPP;	/* bpf_map_mmap: the type has no mmap op */
}

/* bpf_map_mmap: the checks for every type that can be mapped */
int emu_map_mmap_check(struct emu_map *map, bool shared, bool write)
{
	if (!shared)
		return -EINVAL;	/* only shared mappings */
	if (write && map->frozen)
		return -EPERM;	/* a frozen map stays read-only */
	if (write && (map->map_flags & BPF_F_RDONLY_PROG))
		return -EACCES;	/* programs count on it not changing */
	return 0;
}

static int mapping_add(struct emu_map *map, uintptr_t start, uintptr_t end,
		       bool write)
{
	struct emu_mapping *m = emu_zalloc(sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->start = start;
	m->end = end;
	m->map = map;
	m->write = write;
	m->next = mappings;
	mappings = m;
	map->mmap_cnt++;
	if (write)
		map->writecnt++;	/* bpf_map_write_active_inc */
	return 0;
}

static void mapping_del(struct emu_mapping **pprev)
{
	struct emu_mapping *m = *pprev;

	*pprev = m->next;
	m->map->mmap_cnt--;
	if (m->write)
		m->map->writecnt--;
	free(m);
}

/* A mapping of the map's memfd with the access of the request. */
static void *map_memfd(struct emu_map *map, void *addr, size_t len,
		       int prot, int flags, int fd, off_t off)
{
	char path[64];
	void *p;
	int rofd;

	if (prot & PROT_WRITE)
		return emu_host_mmap(addr, len, prot, flags, fd, off);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", map->anchor_fd);
	rofd = open(path, O_RDONLY | O_CLOEXEC);
	if (rofd < 0)
		return MAP_FAILED;
	p = emu_host_mmap(addr, len, prot, flags, rofd, off);
	close(rofd);
	return p;
}

void *emu_mmap(void *addr, size_t len, int prot, int flags, int fd,
	       off_t off, int *err)
{
	int type = flags & MAP_TYPE, fmode;
	bool shared = type == MAP_SHARED || type == MAP_SHARED_VALIDATE;
	bool write = prot & PROT_WRITE;
	size_t vma_len = round_up(len, (size_t)EMU_PAGE_SIZE);
	struct emu_map *map;
	void *p;

	map = (flags & MAP_ANONYMOUS) ? NULL : emu_file_map_get(fd, &fmode);
	if (!map) {	/* not a map fd: the host's business */
		p = emu_host_mmap(addr, len, prot, flags, fd, off);
		*err = p == MAP_FAILED ? -errno : 0;
		return p;
	}
	*err = -EINVAL;
	if (!len || off & (EMU_PAGE_SIZE - 1) || off < 0)
		return MAP_FAILED;	/* do_mmap: no length, unaligned offset */
	if (!shared && type != MAP_PRIVATE)
		return MAP_FAILED;	/* not a mapping type */
	*err = -EACCES;
	if (shared && write && !(fmode & EMU_FMODE_WRITE))
		return MAP_FAILED;	/* writing through a read-only file */
	if (!(fmode & EMU_FMODE_READ))
		return MAP_FAILED;	/* a mapping reads its file */
	*err = -EPERM;
	if (prot & PROT_EXEC)
		return MAP_FAILED;	/* map files are on a noexec mount */
	/* do_mmap: sharing a read-only file is not VM_SHARED */
	if (!(fmode & EMU_FMODE_WRITE))
		shared = false;
	*err = map->ops->map_mmap(map, off, vma_len, shared, write);
	if (*err)
		return MAP_FAILED;
	p = map_memfd(map, addr, len, prot, flags, fd, off);
	if (p == MAP_FAILED) {
		*err = -errno;
		return p;
	}
	*err = mapping_add(map, (uintptr_t)p, (uintptr_t)p + vma_len, write);
	if (*err) {
		emu_host_munmap(p, len);
		return MAP_FAILED;
	}
	return p;
}

/*
 * munmap: the vmas of maps it covers go; one it cuts in the middle
 * becomes two (the kernel opens the new vma: one more writer).
 */
int emu_munmap(void *addr, size_t len)
{
	uintptr_t start = (uintptr_t)addr;
	uintptr_t end = start + round_up(len, (size_t)EMU_PAGE_SIZE);
	struct emu_mapping **pprev = &mappings, *m;
	int err;

	if (emu_host_munmap(addr, len))
		return -errno;
	while ((m = *pprev)) {
		if (m->end <= start || m->start >= end) {
			pprev = &m->next;
			continue;
		}
		if (m->start < start && m->end > end) {
			err = mapping_add(m->map, end, m->end, m->write);
			if (err)
				return err;
			m->end = start;
		} else if (m->start < start) {
			m->end = start;
		} else if (m->end > end) {
			m->start = end;
		} else {
			mapping_del(pprev);
			continue;
		}
		pprev = &m->next;
	}
	return 0;
}

/* At exit, before the maps go (map.c). */
void emu_mmap_release_all(void)
{
	while (mappings)
		mapping_del(&mappings);
}

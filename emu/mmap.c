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

/*
 * [start, end) is no longer what it was: the vmas of maps it covers go,
 * one it cuts in the middle becomes two (the kernel opens the new vma:
 * one more writer).
 */
static int mappings_cut(uintptr_t start, uintptr_t end)
{
	struct emu_mapping **pprev = &mappings, *m;
	int err;

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

#define EMU_TASK_SIZE	0x7ffffffff000ULL	/* x86-64, 4-level paging */

/*
 * get_unmapped_area, before the file's own mmap is asked: a MAP_FIXED
 * range must end below TASK_SIZE; any other mapping needs a free range
 * of len bytes (addr is a hint), which the process's layout decides: a
 * placeholder mapping asks the host the same question. MAP_FIXED_NOREPLACE
 * is address_free's.
 */
static bool address_room(void *addr, size_t len, int flags)
{
	void *p;

	if (flags & MAP_FIXED_NOREPLACE)
		return true;
	if (flags & MAP_FIXED)
		return (uintptr_t)addr <= EMU_TASK_SIZE - len;
	p = emu_host_mmap(addr, len, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return false;
	emu_host_munmap(p, len);
	return true;
}

/*
 * get_unmapped_area: MAP_FIXED_NOREPLACE fails with EEXIST over anything
 * mapped. A placeholder mapping asks the host the same question.
 */
static int address_free(void *addr, size_t len, int flags)
{
	void *p;

	if (!(flags & MAP_FIXED_NOREPLACE))
		return 0;
	p = emu_host_mmap(addr, len, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			  -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	emu_host_munmap(p, len);
	return 0;
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
		if (!*err && (flags & MAP_FIXED))
			*err = mappings_cut((uintptr_t)p,
					    (uintptr_t)p + vma_len);
		return p;
	}
	*err = -EINVAL;
	if (off & (EMU_PAGE_SIZE - 1))
		return MAP_FAILED;	/* mmap(2): unaligned offset */
	if (flags & MAP_HUGETLB)
		return MAP_FAILED;	/* not a hugetlbfs file */
	if (!len)
		return MAP_FAILED;	/* do_mmap: no length */
	*err = -ENOMEM;
	if (!vma_len || vma_len > EMU_TASK_SIZE)
		return MAP_FAILED;	/* no room for that much */
	*err = -EOVERFLOW;
	if (off < 0 || (__u64)off + vma_len < (__u64)off)
		return MAP_FAILED;	/* page offset wraps around */
	*err = -ENOMEM;
	if (!address_room(addr, vma_len, flags))
		return MAP_FAILED;	/* get_unmapped_area: no range that long */
	*err = address_free(addr, vma_len, flags);
	if (*err)
		return MAP_FAILED;	/* MAP_FIXED_NOREPLACE over a mapping */
	*err = -EINVAL;
	if (!shared && type != MAP_PRIVATE)
		return MAP_FAILED;	/* not a mapping type */
	*err = -EOPNOTSUPP;
	if (type == MAP_SHARED_VALIDATE && (flags & MAP_SYNC))
		return MAP_FAILED;	/* map files have no MAP_SYNC */
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
	/* MAP_FIXED replaced whatever was there */
	*err = mappings_cut((uintptr_t)p, (uintptr_t)p + vma_len);
	if (!*err)
		*err = mapping_add(map, (uintptr_t)p, (uintptr_t)p + vma_len, write);
	if (*err) {
		emu_host_munmap(p, len);
		return MAP_FAILED;
	}
	return p;
}

int emu_munmap(void *addr, size_t len)
{
	uintptr_t start = (uintptr_t)addr;

	if (emu_host_munmap(addr, len))
		return -errno;
	return mappings_cut(start,
			    start + round_up(len, (size_t)EMU_PAGE_SIZE));
}

static struct emu_mapping *mapping_at(uintptr_t start, uintptr_t end)
{
	struct emu_mapping *m;

	for (m = mappings; m; m = m->next)
		if (m->start < end && m->end > start)
			return m;
	return NULL;
}

/* bpf_map_mmap clears VM_MAYEXEC: a map's pages never become executable. */
int emu_mprotect(void *addr, size_t len, int prot)
{
	uintptr_t start = (uintptr_t)addr;

	if ((prot & PROT_EXEC) &&
	    mapping_at(start, start + round_up(len, (size_t)EMU_PAGE_SIZE)))
		return -EACCES;	/* VM_MAYEXEC is gone */
	return syscall(SYS_mprotect, addr, len, prot) ? -errno : 0;
}

/*
 * bpf_map_mmap sets VM_DONTEXPAND: a map's mapping may shrink or move,
 * never grow.
 */
void *emu_mremap(void *old, size_t old_len, size_t new_len, int flags,
		 void *new_addr, int *err)
{
	uintptr_t start = (uintptr_t)old;
	size_t old_pages = round_up(old_len, (size_t)EMU_PAGE_SIZE);
	size_t new_pages = round_up(new_len, (size_t)EMU_PAGE_SIZE);
	struct emu_mapping *m = mapping_at(start, start + old_pages);
	struct emu_map *map = m ? m->map : NULL;
	bool write = m && m->write;
	void *p;

	*err = 0;
	if (m && new_pages > old_pages) {
		*err = -EFAULT;	/* VM_DONTEXPAND */
		return MAP_FAILED;
	}
	p = (void *)syscall(SYS_mremap, old, old_len, new_len, flags,
			    new_addr);
	if (p == MAP_FAILED) {
		*err = -errno;
		return p;
	}
	/* a move onto mapped pages (MREMAP_FIXED) unmapped them first */
	if (p != old)
		*err = mappings_cut((uintptr_t)p, (uintptr_t)p + new_pages);
	if (*err || !m)
		return p;
	if (m->start == start && m->end == start + old_pages) {
		/* the whole vma moved or shrank: it follows */
		m->start = (uintptr_t)p;
		m->end = (uintptr_t)p + new_pages;
	} else {
		/* a part: split off, and still a map's (VM_MAYEXEC gone) */
		*err = mappings_cut(start, start + old_pages);
		if (!*err)
			*err = mapping_add(map, (uintptr_t)p,
					   (uintptr_t)p + new_pages, write);
	}
	return p;
}

/* At exit, before the maps go (map.c). */
void emu_mmap_release_all(void)
{
	while (mappings)
		mapping_del(&mappings);
}

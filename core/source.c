/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "pageset.h"


void pt_source_init(struct pt_source *src, const char *name)
{
	memset(src, 0, sizeof *src);
	src->name = name;
}

/* A provider's context belongs to its range: freed with it, whether the
 * range is dropped as an overlap or the source goes away. */
static void drop_range(struct pt_range *r)
{
	if (r->kind == PT_RANGE_PROVIDER && r->ops->free)
		r->ops->free(r->ctx);
	r->ctx = NULL;
}

void pt_source_free(struct pt_source *src)
{
	for (uint32_t i = 0; i < src->nfiles; i++) {
		struct pt_mapping *m = &src->files[i];
		/* The bytes are read-only to everyone else; only their owner
		 * gives them back. */
		void *owned = (void *)(uintptr_t)m->base;
		if (m->borrowed)
			continue;
		if (m->fd >= 0)
			close(m->fd);
		if (m->is_mmap && m->size)
			munmap(owned, m->size);
		else
			free(owned);
	}
	for (uint32_t i = 0; i < src->nranges; i++)
		drop_range(&src->ranges[i]);
	free(src->ranges);
	for (uint32_t i = 0; i < src->nowned; i++)
		free(src->owned[i]);
	pt_pageset_free(src->touched);
	free(src->meta.vmcoreinfo);
	memset(src, 0, sizeof *src);
}

/* An unlinked file to spool into: in $TMPDIR (or /tmp) so that a large
 * stream goes to disk, else an anonymous memory file. */
static int spool_fd(void)
{
	const char *dir = getenv("TMPDIR");
	int fd = open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = memfd_create("pasidtool-input", MFD_CLOEXEC);
	return fd;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy a stream (pipe, FIFO, terminal, character device) into a spool file
 * of at most max bytes and map that: memory stays flat whatever its size. */
static int spool(int in, const char *what, uint64_t max, struct pt_mapping *m, char *err,
		 size_t errlen)
{
	static uint8_t buf[1 << 16];
	uint64_t total = 0;
	int out = spool_fd();
	if (out < 0) {
		snprintf(err, errlen, "cannot create a file to hold %s: %s", what, strerror(errno));
		return -1;
	}
	for (;;) {
		ssize_t got = read(in, buf, sizeof buf);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(err, errlen, "cannot read %s: %s", what, strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		if ((uint64_t)got > max - total) {
			snprintf(err, errlen, "%s is larger than --max-input (%llu bytes)", what,
				 (unsigned long long)max);
			goto fail;
		}
		if (write_all(out, buf, (size_t)got) != 0) {
			snprintf(err, errlen, "cannot keep %s: %s", what, strerror(errno));
			goto fail;
		}
		total += (uint64_t)got;
	}
	m->size = (size_t)total;
	if (total) {
		void *p = mmap(NULL, m->size, PROT_READ, MAP_PRIVATE, out, 0);
		if (p == MAP_FAILED) {
			snprintf(err, errlen, "cannot map %s: %s", what, strerror(errno));
			goto fail;
		}
		m->base = p;
		m->is_mmap = 1;
		m->fd = out;
		return 0;
	}
	close(out);
	return 0;
fail:
	close(out);
	return -1;
}

/* What a path that is not a regular file is, for messages. */
static const char *file_type(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISBLK(mode))
		return "a block device";
	return "a special file";
}

static int map_regular(int fd, const struct stat *st, struct pt_mapping *m, char *err,
		       size_t errlen)
{
	m->size = (size_t)st->st_size;
	if (!m->size)
		return 0;
	void *p = mmap(NULL, m->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "cannot map: %s", strerror(errno));
		return -1;
	}
	m->base = p;
	m->is_mmap = 1;
	m->fd = fd;
	return 0;
}

int pt_source_map_file(struct pt_source *src, const char *path, char *err, size_t errlen)
{
	if (src->nfiles >= PT_SOURCE_MAX_FILES) {
		snprintf(err, errlen, "too many input files (limit %u)", PT_SOURCE_MAX_FILES);
		return -1;
	}
	uint64_t max = src->max_input ? src->max_input : PT_MAX_INPUT_DEFAULT;
	struct pt_mapping *m = &src->files[src->nfiles];
	memset(m, 0, sizeof *m);
	m->path = path;
	m->fd = -1;
	int is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	int rc = -1;
	char what[64];
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "cannot stat: %s", strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "is a directory");
	} else if (S_ISREG(st.st_mode)) {
		rc = map_regular(fd, &st, m, err, errlen);
		/* Standard input stays the caller's: the source keeps a copy. */
		if (rc == 0 && is_stdin && m->fd == fd)
			m->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	} else {
		snprintf(what, sizeof what, "%s", is_stdin ? "standard input" : file_type(st.st_mode));
		rc = spool(fd, what, max, m, err, errlen);
	}
	/* A mapped regular file keeps its descriptor (m->fd). */
	if (!is_stdin && m->fd != fd)
		close(fd);
	return rc == 0 ? (int)src->nfiles++ : -1;
}

int pt_source_add_buffer(struct pt_source *src, const char *name, const uint8_t *buf,
			 size_t len)
{
	if (src->nfiles >= PT_SOURCE_MAX_FILES)
		return -1;
	struct pt_mapping *m = &src->files[src->nfiles];
	memset(m, 0, sizeof *m);
	m->path = name;
	m->base = buf;
	m->borrowed = 1;
	m->fd = -1;
	m->size = len;
	return (int)src->nfiles++;
}

/* A new slot at the end of the range array, zeroed but for its span and
 * kind, or NULL at the cap. */
static struct pt_range *push_range(struct pt_source *src, uint64_t addr, uint64_t size,
				   uint32_t file, enum pt_range_kind kind)
{
	if (src->nranges >= PT_SOURCE_MAX_RANGES)
		return NULL;
	if ((src->nranges & (src->nranges - 1)) == 0) {
		uint32_t ncap = src->nranges ? src->nranges * 2 : 4;
		struct pt_range *n = realloc(src->ranges, ncap * sizeof *n);
		if (!n)
			return NULL;
		src->ranges = n;
	}
	struct pt_range *r = &src->ranges[src->nranges++];
	memset(r, 0, sizeof *r);
	r->addr = addr;
	r->size = size;
	r->file = file;
	r->kind = kind;
	return r;
}

static int bad_span(const struct pt_source *src, uint64_t addr, uint64_t size, uint32_t file)
{
	return size == 0 || file >= src->nfiles || addr + (size - 1) < addr;
}

int pt_source_add_range(struct pt_source *src, uint64_t addr, uint64_t size, uint32_t file,
			uint64_t offset, uint64_t filesz)
{
	if (bad_span(src, addr, size, file) || filesz > size)
		return -1;
	const struct pt_mapping *m = &src->files[file];
	if (offset > m->size || filesz > m->size - offset)
		return -1;
	struct pt_range *r = push_range(src, addr, size, file, PT_RANGE_FILE);
	if (!r)
		return -1;
	r->filesz = filesz;
	r->data = m->base + offset;
	r->offset = offset;
	return 0;
}

int pt_source_add_bytes(struct pt_source *src, uint64_t addr, const uint8_t *data,
			uint64_t size, uint32_t file)
{
	if (bad_span(src, addr, size, file) || !data || !src->files[file].borrowed)
		return -1;
	struct pt_range *r = push_range(src, addr, size, file, PT_RANGE_FILE);
	if (!r)
		return -1;
	r->filesz = size;
	r->data = data;
	return 0;
}

int pt_source_add_excluded(struct pt_source *src, uint64_t addr, uint64_t size, uint32_t file)
{
	if (bad_span(src, addr, size, file))
		return -1;
	return push_range(src, addr, size, file, PT_RANGE_EXCLUDED) ? 0 : -1;
}

int pt_source_add_provider(struct pt_source *src, uint64_t addr, uint64_t size, uint32_t file,
			   const struct pt_provider_ops *ops, void *ctx)
{
	if (bad_span(src, addr, size, file) || !ops || !ops->probe || !ops->read)
		return -1;
	struct pt_range *r = push_range(src, addr, size, file, PT_RANGE_PROVIDER);
	if (!r)
		return -1;
	r->ops = ops;
	r->ctx = ctx;
	return 0;
}

/* Ties broken by input order so "the later one is ignored" holds whatever
 * qsort does with equal keys. */
static int cmp_range(const void *a, const void *b)
{
	const struct pt_range *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Ranges are appended in any order and sorted once here; a range that
 * overlaps the one before it is dropped (the same address cannot hold two
 * values) and reported, so reads never have to choose. */
int pt_source_finish(struct pt_source *src, struct pt_diag_sink *diags)
{
	if (src->nranges) /* qsort(NULL, 0) is undefined: ranges is NULL until the first add */
		qsort(src->ranges, src->nranges, sizeof *src->ranges, cmp_range);
	uint32_t kept = 0;
	for (uint32_t i = 0; i < src->nranges; i++) {
		struct pt_range *r = &src->ranges[i];
		if (kept) {
			const struct pt_range *p = &src->ranges[kept - 1];
			if (r->addr - p->addr < p->size) {
				if (diags)
					pt_diag_report(diags, &pt_source_rule_list[PT_R_SRC_OVERLAP], 1,
						       r->addr, PT_SCOPE_NONE, 0, NULL,
						       "segment at 0x%llx (0x%llx bytes) overlaps the one at 0x%llx; ignored",
						       (unsigned long long)r->addr,
						       (unsigned long long)r->size,
						       (unsigned long long)p->addr);
				drop_range(r);
				continue;
			}
		}
		src->ranges[kept++] = *r;
	}
	src->nranges = kept;
	src->last_hit = 0;
	return kept ? 0 : -1;
}

/* Index of the range holding addr, or -1. */
static long find_range(const struct pt_source *src, uint64_t addr)
{
	uint32_t lo = 0, hi = src->nranges;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct pt_range *r = &src->ranges[mid];
		if (addr < r->addr)
			hi = mid;
		else if (addr - r->addr >= r->size)
			lo = mid + 1;
		else
			return mid;
	}
	return -1;
}

static const struct pt_range *range_for(struct pt_source *src, uint64_t addr)
{
	if (src->last_hit < src->nranges) {
		const struct pt_range *r = &src->ranges[src->last_hit];
		if (addr >= r->addr && addr - r->addr < r->size)
			return r;
	}
	long i = find_range(src, addr);
	if (i < 0)
		return NULL;
	src->last_hit = (uint32_t)i;
	return &src->ranges[i];
}

/* The part of a read that one range serves: n bytes at addr into out. */
static enum pt_read_status read_in_range(const struct pt_range *r, uint64_t addr, uint8_t *out,
					 size_t n)
{
	uint64_t off = addr - r->addr;
	if (r->kind == PT_RANGE_EXCLUDED)
		return PT_READ_EXCLUDED;
	if (r->kind == PT_RANGE_PROVIDER)
		return r->ops->read(r->ctx, addr, out, n);
	if (off >= r->filesz) {
		memset(out, 0, n);
	} else {
		uint64_t in_file = r->filesz - off;
		size_t c = n < in_file ? n : (size_t)in_file;
		memcpy(out, r->data + off, c);
		memset(out + c, 0, n - c);
	}
	return PT_READ_OK;
}

enum pt_read_status pt_source_read(struct pt_source *src, uint64_t addr, void *buf, size_t len)
{
	uint8_t *out = buf;
	if (len && addr + (len - 1) < addr)
		return PT_READ_OVERFLOW;
	while (len) {
		const struct pt_range *r = range_for(src, addr);
		if (!r)
			return PT_READ_UNMAPPED;
		uint64_t avail = r->size - (addr - r->addr);
		size_t n = len < avail ? len : (size_t)avail;
		enum pt_read_status st = read_in_range(r, addr, out, n);
		if (st != PT_READ_OK)
			return st;
		if (src->touched)
			pt_pageset_add_range(src->touched, addr, n);
		out += n;
		addr += n;
		len -= n;
	}
	return PT_READ_OK;
}

/* Bytes from addr to the end of the address space, saturated to fit. */
static uint64_t to_top(uint64_t addr)
{
	return addr ? UINT64_MAX - addr + 1 : UINT64_MAX;
}

/* How range r backs addr (inside it), run clamped to the range's end. */
static enum pt_mem_kind probe_in_range(const struct pt_range *r, uint64_t addr, uint64_t *run)
{
	uint64_t off = addr - r->addr, left = r->size - off;
	enum pt_mem_kind k;
	switch (r->kind) {
	case PT_RANGE_EXCLUDED:
		*run = left;
		return PT_MEM_EXCLUDED;
	case PT_RANGE_PROVIDER:
		k = r->ops->probe(r->ctx, addr, run);
		if (*run == 0 || *run > left)
			*run = left;
		return k;
	case PT_RANGE_FILE:
	default:
		if (off < r->filesz) {
			*run = r->filesz - off;
			return PT_MEM_DATA;
		}
		*run = left;
		return PT_MEM_ZERO;
	}
}

/* Index of the first range that starts above addr, or nranges. */
static uint32_t next_range(const struct pt_source *src, uint64_t addr)
{
	uint32_t lo = 0, hi = src->nranges;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (src->ranges[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

enum pt_mem_kind pt_source_probe(struct pt_source *src, uint64_t addr, uint64_t *run)
{
	long i = find_range(src, addr);
	if (i < 0) {
		uint32_t n = next_range(src, addr);
		*run = n < src->nranges ? src->ranges[n].addr - addr : to_top(addr);
		return PT_MEM_UNMAPPED;
	}
	enum pt_mem_kind k = probe_in_range(&src->ranges[i], addr, run);
	/* Runs continue into touching ranges backed the same way, so a walker
	 * skips a dump of many zero-tailed segments in one step. Bounded by
	 * the number of ranges: each step moves to the next one. */
	for (uint32_t j = (uint32_t)i + 1; j < src->nranges; j++) {
		const struct pt_range *r = &src->ranges[j];
		if (*run >= to_top(addr) || r->addr != addr + *run)
			break;
		uint64_t more;
		if (probe_in_range(r, r->addr, &more) != k)
			break;
		*run = more > to_top(addr) - *run ? to_top(addr) : *run + more;
		if (more != r->size)
			break;
	}
	return k;
}

const uint8_t *pt_source_direct(struct pt_source *src, uint64_t addr, uint64_t len)
{
	if (src->touched || len == 0 || addr + (len - 1) < addr)
		return NULL;
	const struct pt_range *r = range_for(src, addr);
	if (!r || r->kind != PT_RANGE_FILE)
		return NULL;
	uint64_t off = addr - r->addr;
	if (off > r->filesz || len > r->filesz - off)
		return NULL;
	return r->data + off;
}

/* Released runs are handed back in pieces of at least this much: one
 * madvise per 4 KiB leaf would cost more than reading it. */
#define RELEASE_BATCH ((size_t)2 << 20)

static void release_flush(struct pt_source *src)
{
	if (src->drop_hi > src->drop_lo)
		madvise((void *)(uintptr_t)src->drop_lo, (size_t)(src->drop_hi - src->drop_lo),
			MADV_DONTNEED);
	src->drop_lo = src->drop_hi = NULL;
}

void pt_source_release(struct pt_source *src, uint64_t addr, uint64_t len)
{
	const struct pt_range *r = len ? range_for(src, addr) : NULL;
	if (!r || r->kind != PT_RANGE_FILE || !src->files[r->file].is_mmap || src->files[r->file].borrowed)
		return;
	uint64_t off = addr - r->addr;
	if (off >= r->filesz)
		return;
	if (len > r->filesz - off)
		len = r->filesz - off;
	/* Only whole pages inside the run: a page it shares with bytes
	 * still to be read stays. */
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = ((uintptr_t)(r->data + off) + page - 1) & ~(page - 1);
	uintptr_t hi = (uintptr_t)(r->data + off + len) & ~(page - 1);
	if (hi <= lo)
		return;
	if ((uintptr_t)src->drop_hi != lo)
		release_flush(src);
	if (!src->drop_lo)
		src->drop_lo = (const uint8_t *)lo;
	src->drop_hi = (const uint8_t *)hi;
	if ((size_t)(src->drop_hi - src->drop_lo) >= RELEASE_BATCH)
		release_flush(src);
}

int pt_source_covers(const struct pt_source *src, uint64_t addr, uint64_t len)
{
	if (len == 0)
		return 1;
	if (addr + (len - 1) < addr)
		return 0;
	/* Each step consumes a whole probe run, at least one byte. */
	while (len) {
		long i = find_range(src, addr);
		if (i < 0)
			return 0;
		uint64_t run;
		enum pt_mem_kind k = probe_in_range(&src->ranges[i], addr, &run);
		if (k != PT_MEM_DATA && k != PT_MEM_ZERO)
			return 0;
		if (run >= len)
			return 1;
		addr += run;
		len -= run;
	}
	return 1;
}

const char *pt_source_why_unreadable(struct pt_source *src, uint64_t addr, uint64_t len)
{
	int excluded = 0;
	/* Each step consumes a whole probe run, at least one byte; the first
	 * byte outside every range settles it. */
	while (len) {
		uint64_t run;
		enum pt_mem_kind k = pt_source_probe(src, addr, &run);
		if (k == PT_MEM_UNMAPPED)
			return "is not in the input";
		excluded |= k == PT_MEM_EXCLUDED;
		if (run >= len || addr + run < addr)
			break;
		addr += run;
		len -= run;
	}
	return excluded ? "is in pages the dump excluded (makedumpfile -d)"
			: "is in a page the dump holds damaged";
}

uint64_t pt_source_span(const struct pt_source *src, uint64_t *lo, uint64_t *hi)
{
	uint64_t total = 0;
	*lo = *hi = 0;
	for (uint32_t i = 0; i < src->nranges; i++) {
		const struct pt_range *r = &src->ranges[i];
		if (i == 0 || r->addr < *lo)
			*lo = r->addr;
		if (r->addr + (r->size - 1) > *hi)
			*hi = r->addr + (r->size - 1);
		total += r->size;
	}
	return total;
}

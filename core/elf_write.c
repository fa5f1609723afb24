/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "elf_write.h"

#include "output.h"

#include <errno.h>
#include <gelf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pageset.h"
#include "source.h"

#define PAGE_SIZE_4K (UINT64_C(1) << PT_PAGE_SHIFT)
/* Bytes read from the source per write when saving pages. */
#define COPY_CHUNK (64u * 1024u)
/* One write() call at most this much, well below SSIZE_MAX everywhere. */
#define WRITE_MAX (UINT64_C(1) << 30)

/* One PT_LOAD of the output: [addr, addr+size), made of `count` input
 * segments from index `first` on (pt_elf_write) or read from a source. */
struct extent {
	uint64_t addr, size;
	size_t first, count;
};

/* Writes the data of one extent to fd; returns 0 or -1 with err filled. */
typedef int (*emit_fn)(void *ctx, struct pt_output *a, const struct extent *x, char *err,
		       size_t errlen);

/* ---- Headers ---- */

struct layout {
	size_t hdr_size;     /* ELF header, program headers, extension section header */
	uint64_t data_off;   /* file offset of the first segment's bytes */
	uint64_t align;      /* p_align of every PT_LOAD */
	int xnum;            /* more segments than e_phnum can say */
};

/* Page-aligned segments get page-aligned file offsets (p_align 4096), which
 * costs at most one page of padding; anything else is packed (p_align 1) so
 * that many small segments do not each cost a page. */
static void plan(const struct extent *x, size_t n, struct layout *l)
{
	l->xnum = n >= PN_XNUM;
	l->hdr_size = sizeof(Elf64_Ehdr) + n * sizeof(Elf64_Phdr) +
		      (l->xnum ? sizeof(Elf64_Shdr) : 0);
	int aligned = n > 0;
	for (size_t i = 0; i < n && aligned; i++)
		aligned = x[i].addr % PAGE_SIZE_4K == 0 && x[i].size % PAGE_SIZE_4K == 0;
	l->align = aligned ? PAGE_SIZE_4K : 1;
	l->data_off = (l->hdr_size + l->align - 1) / l->align * l->align;
}

/* Headers written as host structures are turned into the file's
 * little-endian bytes in place by libelf's translator (a plain copy on a
 * little-endian host). */
static int to_lsb(void *buf, size_t size, Elf_Type type)
{
	Elf_Data d = { .d_buf = buf, .d_type = type, .d_size = size, .d_version = EV_CURRENT };
	return elf64_xlatetof(&d, &d, ELFDATA2LSB) ? 0 : -1;
}

static uint8_t *build_headers(const struct extent *x, size_t n, const struct layout *l)
{
	uint8_t *b = calloc(1, l->hdr_size);
	if (!b)
		return NULL;
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
	Elf64_Phdr *ph = (Elf64_Phdr *)(eh + 1);
	Elf64_Shdr *sh = (Elf64_Shdr *)(ph + n);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_AARCH64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = n ? sizeof *eh : 0;
	eh->e_ehsize = sizeof *eh;
	eh->e_phentsize = sizeof *ph;
	eh->e_phnum = l->xnum ? PN_XNUM : (Elf64_Half)n;
	if (l->xnum) {
		/* gABI extended numbering: the real count goes in section 0's sh_info. */
		eh->e_shoff = (uint64_t)((uint8_t *)sh - b);
		eh->e_shentsize = sizeof *sh;
		eh->e_shnum = 1;
		sh->sh_info = (Elf64_Word)n;
	}
	uint64_t off = l->data_off;
	for (size_t i = 0; i < n; i++) {
		ph[i] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_W | PF_X, off, x[i].addr, x[i].addr,
				      x[i].size, x[i].size, l->align };
		off += x[i].size;
	}
	if (to_lsb(eh, sizeof *eh, ELF_T_EHDR) != 0 || to_lsb(ph, n * sizeof *ph, ELF_T_PHDR) != 0 ||
	    (l->xnum && to_lsb(sh, sizeof *sh, ELF_T_SHDR) != 0)) {
		free(b);
		return NULL;
	}
	return b;
}

/* ---- The file: headers, padding, then each extent's bytes ---- */

static int write_body(struct pt_output *a, const struct extent *x, size_t n,
		      const struct layout *l, emit_fn emit, void *ctx, char *err, size_t errlen)
{
	uint8_t *hdr = build_headers(x, n, l);
	if (!hdr) {
		snprintf(err, errlen, "out of memory building ELF headers");
		return -1;
	}
	int rc = pt_output_write(a, hdr, l->hdr_size, err, errlen);
	free(hdr);
	if (rc == 0)
		rc = pt_output_zeros(a, l->data_off - l->hdr_size, err, errlen);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = emit(ctx, a, &x[i], err, errlen);
	return rc;
}

static int write_core(const char *path, const struct extent *x, size_t n, emit_fn emit,
		      void *ctx, char *err, size_t errlen)
{
	if (n > UINT32_MAX || n > (SIZE_MAX - 2 * sizeof(Elf64_Shdr)) / sizeof(Elf64_Phdr)) {
		snprintf(err, errlen, "%zu segments do not fit an ELF file", n);
		return -1;
	}
	struct layout l;
	plan(x, n, &l);
	struct pt_output a;
	if (pt_output_open(&a, path, err, errlen) != 0)
		return -1;
	if (write_body(&a, x, n, &l, emit, ctx, err, errlen) != 0) {
		pt_output_abort(&a);
		return -1;
	}
	return pt_output_commit(&a, err, errlen);
}

/* ---- Segments given in memory ---- */

static int cmp_seg(const void *a, const void *b)
{
	const struct pt_elf_segment *x = a, *y = b;
	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

static int emit_segs(void *ctx, struct pt_output *a, const struct extent *x, char *err,
		     size_t errlen)
{
	const struct pt_elf_segment *s = ctx;
	for (size_t i = x->first; i < x->first + x->count; i++)
		if (pt_output_write(a, s[i].data, s[i].size, err, errlen) != 0)
			return -1;
	return 0;
}

/* Non-empty segments, sorted, checked; *out is NULL only on failure. */
static size_t sort_segs(const struct pt_elf_segment *segs, size_t n,
			struct pt_elf_segment **out, char *err, size_t errlen)
{
	struct pt_elf_segment *s = malloc((n ? n : 1) * sizeof *s);
	size_t k = 0;
	if (!(*out = s)) {
		snprintf(err, errlen, "out of memory");
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (segs[i].size)
			s[k++] = segs[i];
	if (k)
		qsort(s, k, sizeof *s, cmp_seg);
	for (size_t i = 0; i < k; i++) {
		const char *why = NULL;
		if (!s[i].data)
			why = "has no data";
		else if (s[i].paddr + (s[i].size - 1) < s[i].paddr)
			why = "wraps past 2^64";
		else if (i && s[i].paddr - s[i - 1].paddr < s[i - 1].size)
			why = "overlaps the segment before it";
		if (why) {
			snprintf(err, errlen, "segment at 0x%llx (0x%llx bytes) %s",
				 (unsigned long long)s[i].paddr, (unsigned long long)s[i].size, why);
			free(s);
			*out = NULL;
			return 0;
		}
	}
	return k;
}

int pt_elf_write(const char *path, const struct pt_elf_segment *segs, size_t n, char *err,
		 size_t errlen)
{
	struct pt_elf_segment *s;
	size_t k = sort_segs(segs, n, &s, err, errlen);
	if (!s)
		return -1;
	struct extent *x = malloc((k ? k : 1) * sizeof *x);
	if (!x) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t nx = 0;
	for (size_t i = 0; i < k; i++) {
		struct extent *p = nx ? &x[nx - 1] : NULL;
		if (p && s[i].paddr - p->addr == p->size) {
			p->size += s[i].size;
			p->count++;
		} else {
			x[nx++] = (struct extent){ s[i].paddr, s[i].size, i, 1 };
		}
	}
	int rc = write_core(path, x, nx, emit_segs, s, err, errlen);
	free(x);
	free(s);
	return rc;
}

/* ---- Pages read from a source ---- */

struct extents {
	struct extent *v;
	size_t n, cap;
};

static int extents_add(struct extents *e, uint64_t addr, uint64_t size)
{
	struct extent *p = e->n ? &e->v[e->n - 1] : NULL;
	if (p && addr - p->addr == p->size) {
		p->size += size;
		return 0;
	}
	if (e->n == e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 64;
		struct extent *v = realloc(e->v, ncap * sizeof *v);
		if (!v)
			return -1;
		e->v = v;
		e->cap = ncap;
	}
	e->v[e->n++] = (struct extent){ addr, size, 0, 0 };
	return 0;
}

/* Index of the first range that ends at or after addr (ranges are sorted
 * and disjoint once pt_source_finish has run). */
static uint32_t first_range_from(const struct pt_source *src, uint64_t addr)
{
	uint32_t lo = 0, hi = src->nranges;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct pt_range *r = &src->ranges[mid];
		if (r->addr + (r->size - 1) < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The covered parts of one page, in address order. */
static int add_page(struct extents *e, const struct pt_source *src, uint64_t page)
{
	uint64_t first = page << PT_PAGE_SHIFT, last = first + (PAGE_SIZE_4K - 1);
	for (uint32_t i = first_range_from(src, first); i < src->nranges; i++) {
		const struct pt_range *r = &src->ranges[i];
		if (r->addr > last)
			break;
		uint64_t r_last = r->addr + (r->size - 1);
		uint64_t lo = r->addr > first ? r->addr : first;
		uint64_t hi = r_last < last ? r_last : last;
		if (extents_add(e, lo, hi - lo + 1) != 0)
			return -1;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int collect_pages(struct extents *e, const struct pt_source *src,
			 const uint64_t *pages, size_t npages)
{
	uint64_t *p = malloc((npages ? npages : 1) * sizeof *p);
	if (!p)
		return -1;
	if (npages) {
		memcpy(p, pages, npages * sizeof *p);
		qsort(p, npages, sizeof *p, cmp_u64);
	}
	int rc = 0;
	for (size_t i = 0; i < npages && rc == 0; i++) {
		if ((i && p[i] == p[i - 1]) || p[i] > UINT64_MAX >> PT_PAGE_SHIFT)
			continue;
		rc = add_page(e, src, p[i]);
	}
	free(p);
	return rc;
}

struct page_ctx {
	struct pt_source *src;
	uint8_t *buf;        /* COPY_CHUNK bytes */
};

static int emit_source(void *ctx, struct pt_output *a, const struct extent *x, char *err,
		       size_t errlen)
{
	struct page_ctx *c = ctx;
	uint8_t *buf = c->buf;
	for (uint64_t done = 0; done < x->size;) {
		uint64_t left = x->size - done;
		size_t n = left < COPY_CHUNK ? (size_t)left : COPY_CHUNK;
		if (pt_source_read(c->src, x->addr + done, buf, n) != PT_READ_OK) {
			snprintf(err, errlen, "cannot read 0x%llx from the input",
				 (unsigned long long)(x->addr + done));
			return -1;
		}
		if (pt_output_write(a, buf, n, err, errlen) != 0)
			return -1;
		done += n;
	}
	return 0;
}

int pt_elf_write_pages(const char *path, struct pt_source *src, const uint64_t *pages,
		       size_t npages, char *err, size_t errlen)
{
	struct extents e = { NULL, 0, 0 };
	struct page_ctx c = { src, malloc(COPY_CHUNK) };
	if (!c.buf || collect_pages(&e, src, pages, npages) != 0) {
		free(e.v);
		free(c.buf);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Saving must not count as reading: the set of touched pages may be
	 * the very list being written. */
	struct pt_pageset *touched = src->touched;
	src->touched = NULL;
	int rc = write_core(path, e.v, e.n, emit_source, &c, err, errlen);
	src->touched = touched;
	free(e.v);
	free(c.buf);
	return rc;
}

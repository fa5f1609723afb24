/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A kdump-compressed writer for tests, from the format description
 * (../shared/spec/kdump-compressed.md; makedumpfile write_kdump_header(),
 * write_kdump_pages_and_bitmap_cyclic()): any word size (LP64, i386, 32-bit
 * ARM), either byte order, every per-page method, excluded pages, the shared
 * zero page and split parts. Debian's makedumpfile writes none of snappy,
 * zstd, 32-bit or big-endian files; this writes them so the reader can be
 * tested on all of them (and cross-checked with libkdumpfile). Header-only:
 * used by tests/tools/mkkdump.c and the unit tests. */
#ifndef PT_KDUMP_GEN_H
#define PT_KDUMP_GEN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#ifdef PT_HAVE_LZO
#include <lzo1x.h>
#endif
#ifdef PT_HAVE_SNAPPY
#include <snappy-c.h>
#endif
#ifdef PT_HAVE_ZSTD
#include <zstd.h>
#endif

enum kg_abi { KG_LP64, KG_I386, KG_ARM };

struct kg_page {
	uint64_t pfn;
	const uint8_t *data; /* block bytes; NULL: RAM the dump excluded */
};

struct kg_opts {
	enum kg_abi abi;
	int be;
	uint32_t method;     /* 0 or one DUMP_DH_COMPRESSED_* bit */
	uint32_t block;      /* page size */
	int zero_page;       /* dump_level bit 0: all-zero pages share one copy */
	uint32_t version;    /* header_version, 6 as makedumpfile writes */
	uint64_t max_mapnr;
	int split;
	uint64_t start_pfn, end_pfn; /* split part's pfns */
	uint64_t phys_base;
	const char *vmcoreinfo;
	const char *release, *machine;
};

struct kg_buf {
	uint8_t *p;
	size_t len, cap;
};

static inline void kg_reserve(struct kg_buf *b, size_t len)
{
	if (len <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < len)
		cap *= 2;
	b->p = realloc(b->p, cap);
	if (!b->p)
		abort();
	memset(b->p + b->cap, 0, cap - b->cap);
	b->cap = cap;
}

static inline void kg_put(struct kg_buf *b, const struct kg_opts *o, size_t off, uint64_t v, unsigned n)
{
	kg_reserve(b, off + n);
	for (unsigned i = 0; i < n; i++)
		b->p[off + (o->be ? n - 1 - i : i)] = (uint8_t)(v >> (8 * i));
	if (off + n > b->len)
		b->len = off + n;
}

static inline void kg_bytes(struct kg_buf *b, size_t off, const void *p, size_t n)
{
	kg_reserve(b, off + n);
	memcpy(b->p + off, p, n);
	if (off + n > b->len)
		b->len = off + n;
}

static inline int kg_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Compressed form of one page into out (capacity block * 2); its length, or
 * 0 when the method is unavailable or does not make the page smaller
 * (makedumpfile then stores the page as it is, flags 0). */
static inline size_t kg_compress(uint32_t method, const uint8_t *in, uint32_t block, uint8_t *out)
{
	size_t n = 0;
	if (method == 1) {
		uLongf len = (uLongf)block * 2;
		n = compress2(out, &len, in, block, Z_BEST_SPEED) == Z_OK ? len : 0;
	}
#ifdef PT_HAVE_LZO
	if (method == 2) {
		static uint8_t wrk[LZO1X_1_MEM_COMPRESS];
		lzo_uint len = (lzo_uint)block * 2;
		if (lzo_init() == LZO_E_OK &&
		    lzo1x_1_compress(in, block, out, &len, wrk) == LZO_E_OK)
			n = len;
	}
#endif
#ifdef PT_HAVE_SNAPPY
	if (method == 4) {
		size_t len = (size_t)block * 2;
		n = snappy_compress((const char *)in, block, (char *)out, &len) == SNAPPY_OK ? len : 0;
	}
#endif
#ifdef PT_HAVE_ZSTD
	if (method == 0x20) {
		size_t len = ZSTD_compress(out, (size_t)block * 2, in, block, 1);
		n = ZSTD_isError(len) ? 0 : len;
	}
#endif
	return n < block ? n : 0;
}

/* Header and sub-header offsets per ABI: status, block_size, sub_hdr_size,
 * bitmap_blocks, max_mapnr; size of long; phys_base, dump_level, split,
 * start_pfn, end_pfn, offset_vmcoreinfo, size_vmcoreinfo, start_pfn_64,
 * end_pfn_64, max_mapnr_64; sizeof(struct kdump_sub_header). */
static const unsigned kg_layout[3][17] = {
	{ 424, 428, 432, 436, 440, 8, 0, 8, 12, 16, 24, 32, 40, 80, 88, 96, 104 },
	{ 412, 416, 420, 424, 428, 4, 0, 4, 8, 12, 16, 20, 28, 56, 64, 72, 80 },
	{ 412, 416, 420, 424, 428, 4, 0, 4, 8, 12, 16, 24, 32, 72, 80, 88, 96 },
};

/* The whole file into *out (malloc'ed); returns its length. pages sorted
 * by pfn, all below max_mapnr. */
static inline size_t kg_write(const struct kg_opts *o, const struct kg_page *pages, size_t n,
		       uint8_t **out)
{
	const unsigned *L = kg_layout[o->abi];
	struct kg_buf b = { 0 };
	uint32_t bs = o->block;
	uint64_t start = o->split ? o->start_pfn : 0, end = o->split ? o->end_pfn : o->max_mapnr;
	size_t vlen = o->vmcoreinfo ? strlen(o->vmcoreinfo) : 0;
	uint64_t sub_blocks = (L[16] + vlen + bs - 1) / bs;
	uint64_t half = ((o->max_mapnr + 7) / 8 + bs - 1) / bs * bs;
	uint64_t bm1 = (1 + sub_blocks) * bs, bm2 = bm1 + half, desc = bm2 + half;

	kg_bytes(&b, 0, "KDUMP   ", 8);
	kg_put(&b, o, 8, o->version, 4);
	if (o->release)
		kg_bytes(&b, 142, o->release, strlen(o->release));
	if (o->machine)
		kg_bytes(&b, 272, o->machine, strlen(o->machine));
	kg_put(&b, o, L[0], o->method, 4);
	kg_put(&b, o, L[1], bs, 4);
	kg_put(&b, o, L[2], sub_blocks, 4);
	kg_put(&b, o, L[3], half * 2 / bs, 4);
	kg_put(&b, o, L[4], o->max_mapnr > UINT32_MAX ? UINT32_MAX : o->max_mapnr, 4);
	size_t sub = bs;
	kg_put(&b, o, sub + L[6], o->phys_base, L[5]);
	kg_put(&b, o, sub + L[7], o->zero_page ? 1 : 0, 4);
	kg_put(&b, o, sub + L[8], o->split ? 1 : 0, 4);
	kg_put(&b, o, sub + L[9], start, L[5]);
	kg_put(&b, o, sub + L[10], end, L[5]);
	if (vlen) {
		size_t at = sub + L[16];
		kg_bytes(&b, at, o->vmcoreinfo, vlen);
		kg_put(&b, o, sub + L[11], at, 8);
		kg_put(&b, o, sub + L[12], vlen, L[5]);
	}
	kg_put(&b, o, sub + L[13], start, 8);
	kg_put(&b, o, sub + L[14], end, 8);
	kg_put(&b, o, sub + L[15], o->max_mapnr, 8);

	uint64_t ndump = 0;
	kg_reserve(&b, desc);
	b.len = desc;
	for (size_t i = 0; i < n; i++) {
		uint64_t p = pages[i].pfn;
		b.p[bm1 + p / 8] |= (uint8_t)(1u << (p % 8));
		if (pages[i].data) {
			b.p[bm2 + p / 8] |= (uint8_t)(1u << (p % 8));
			ndump++;
		}
	}
	/* Descriptors are sized for the whole dump (split parts too); the
	 * shared zero page, then page data, follow them. */
	uint64_t data = desc + ndump * 24, zero_off = 0;
	kg_reserve(&b, data);
	b.len = data;
	if (o->zero_page) {
		zero_off = data;
		kg_reserve(&b, data + bs);
		data += bs;
		b.len = data;
	}
	uint8_t *tmp = malloc((size_t)bs * 2);
	if (!tmp)
		abort();
	uint64_t idx = 0;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *d = pages[i].data;
		if (!d || pages[i].pfn < start || pages[i].pfn >= end)
			continue;
		size_t at = desc + idx++ * 24;
		if (o->zero_page && kg_zero(d, bs)) {
			kg_put(&b, o, at, zero_off, 8);
			kg_put(&b, o, at + 8, bs, 4);
			continue;
		}
		size_t clen = o->method ? kg_compress(o->method, d, bs, tmp) : 0;
		kg_put(&b, o, at, data, 8);
		kg_put(&b, o, at + 8, clen ? clen : bs, 4);
		kg_put(&b, o, at + 12, clen ? o->method : 0, 4);
		kg_bytes(&b, data, clen ? tmp : d, clen ? clen : bs);
		data += clen ? clen : bs;
	}
	free(tmp);
	*out = b.p;
	return b.len;
}

static inline void kg_be64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* The file as a makedumpfile -F stream: header block, records of at most
 * rec bytes (big-endian offset and size), the end marker. Odd chunks come
 * before even ones and all-zero chunks (but the last) are left out, so a
 * reader must sort the records and zero-fill the gaps. */
static inline size_t kg_flatten(const uint8_t *in, size_t len, size_t rec, uint8_t **out)
{
	size_t nrec = (len + rec - 1) / rec;
	size_t total = 4096 + nrec * 16 + len + 16;
	uint8_t *p = calloc(1, total);
	if (!p)
		abort();
	memcpy(p, "makedumpfile", 12);
	p[23] = 1;
	p[31] = 1;
	size_t at = 4096;
	for (int pass = 1; pass >= 0; pass--) {
		for (size_t i = (size_t)pass; i < nrec; i += 2) {
			size_t off = i * rec, n = len - off < rec ? len - off : rec;
			if (i + 1 < nrec && kg_zero(in + off, n))
				continue;
			kg_be64(p + at, off);
			kg_be64(p + at + 8, n);
			memcpy(p + at + 16, in + off, n);
			at += 16 + n;
		}
	}
	memset(p + at, 0xff, 16);
	*out = p;
	return at + 16;
}

#endif

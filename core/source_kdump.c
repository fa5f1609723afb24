/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kdump-compressed dumps (makedumpfile -c/-l/-p/-z, QEMU dump-guest-memory
 * kdump-*), plain, flattened or split, as page-provider ranges of the source.
 * Layout (makedumpfile diskdump_mod.h, write_kdump_header(); crash
 * diskdump.c): a header block, a sub-header with the notes, two bitmaps (RAM
 * present, page dumped), one 24-byte descriptor per dumped page, page data.
 * Pages are decompressed only when read, into a small cache. The file is
 * read with pread through a few small windows (bitmaps, descriptors), so a
 * 4 GiB vmcore costs what a walk reads, and nothing of it stays mapped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "container.h"
#include "diag.h"
#include "kdump_page.h"
#include "source.h"

#define MIN_BLOCK 1024u
#define MAX_BLOCK (1u << 20)
#define DESC_SIZE 24u
/* The rank index: dumped pages before each section of 2^SECT_SHIFT pfns
 * (64-bit counts) and before each block of 2^BLOCK_SHIFT pfns inside its
 * section (16-bit counts), so a rank costs one index lookup and a popcount
 * of at most 512 bytes of bitmap. */
#define SECT_SHIFT 16u
#define BLOCK_SHIFT 12u
/* The index is at most 2^25 blocks (64 MiB): 2^37 pages, 512 TiB of RAM in
 * 4 KiB pages, which is more than any machine makedumpfile runs on. */
#define MAX_MAPNR (UINT64_C(1) << 37)
/* Bitmap and descriptor bytes are read this many at a time. */
#define WIN 4096u
#define CACHE_SLOTS 64u
/* Probe extends a run over at most this many pages per call: holes and
 * excluded runs are judged a bitmap byte at a time, dumped pages one
 * descriptor each, so the second bound is smaller. */
#define PROBE_SPAN (1u << 20)
#define PROBE_DUMPED_SPAN (1u << 12)
/* Corrupt pages are each reported once, up to this many. */
#define MAX_BAD_REPORTS 16u
#define MAX_VMCOREINFO (1u << 20)

/* Field offsets of one ABI's header and sub-header (the structs are written
 * with the dumping kernel's native ABI; nothing in the file says which). */
struct abi {
	const char *name;
	unsigned status, block_size, sub_hdr_size, bitmap_blocks, max_mapnr;
	unsigned long_size;  /* unsigned long in the sub-header */
	unsigned phys_base, dump_level, split, start_pfn, end_pfn;
	unsigned off_vmcoreinfo, size_vmcoreinfo;
	unsigned start_pfn_64, end_pfn_64, max_mapnr_64;
	unsigned sub_size;
};

/* Offsets from compiling the structs (../shared/spec/kdump-compressed.md §3-4;
 * i386 and ARM columns agree with crash's kdump_sub_header_ARM_target). */
static const struct abi abis[] = {
	{ "lp64", 424, 428, 432, 436, 440, 8, 0, 8, 12, 16, 24, 32, 40, 80, 88, 96, 104 },
	{ "i386", 412, 416, 420, 424, 428, 4, 0, 4, 8, 12, 16, 20, 28, 56, 64, 72, 80 },
	{ "arm", 412, 416, 420, 424, 428, 4, 0, 4, 8, 12, 16, 24, 32, 72, 80, 88, 96 },
};

#define UTS_RELEASE 142u   /* utsname at 12, six 65-byte strings */
#define UTS_MACHINE 272u
#define UTS_LEN 65u

struct kdump {
	struct pt_container c;
	const char *path;
	char who[300];                   /* "path: ", or "" when lines start with it */
	struct pt_diag_sink *diags;
	const struct abi *abi;
	int be;
	uint32_t version, status, block, shift;
	uint64_t max_mapnr, start_pfn, end_pfn, addr0;
	uint64_t bm1, bm2, bm_len;      /* file offsets of the bitmaps, bytes of each */
	uint64_t desc_off, ndumpable, first_idx;
	uint64_t *sect;                  /* dumped pages before each section */
	uint16_t *blk;                   /* ... before each block, from its section */
	uint64_t nsect, nblk;
	struct win { uint64_t off; uint32_t len; uint8_t buf[WIN]; } wbm1, wbm2, wdesc;
	int has_zero;
	uint64_t zero_off;
	uint64_t phys_base;
	int32_t dump_level, split;
	uint64_t vmci_off, vmci_size;
	uint64_t tags[CACHE_SLOTS];      /* pfn + 1 of the page in each slot, 0 empty */
	uint8_t *cache;                  /* CACHE_SLOTS pages */
	uint8_t *scratch;                /* one page of compressed input */
	uint64_t bad[MAX_BAD_REPORTS];
	uint32_t nbad;
};

static const struct pt_rule *rule(enum pt_source_rule_id id)
{
	return &pt_source_rule_list[id];
}

static uint64_t get(const struct kdump *k, const uint8_t *p, unsigned size)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)p[k->be ? size - 1 - i : i] << (8 * i);
	return v;
}

/* ---- header ---- */

static int sane_block(uint64_t b)
{
	return b >= MIN_BLOCK && b <= MAX_BLOCK && (b & (b - 1)) == 0;
}

/* Word size and byte order: the one that gives a power-of-two block size
 * and a plausible sub-header size (no field says which was used). */
static int pick_layout(struct kdump *k, const uint8_t *h)
{
	for (int be = 0; be < 2; be++) {
		k->be = be;
		for (unsigned a = 0; a < 2; a++) {
			uint64_t b = get(k, h + abis[a].block_size, 4);
			uint64_t sub = get(k, h + abis[a].sub_hdr_size, 4);
			if (sane_block(b) && sub < (1u << 20)) {
				k->abi = &abis[a];
				return 0;
			}
		}
	}
	return -1;
}

/* i386 and 32-bit ARM differ only in the sub-header's alignment of 64-bit
 * fields: utsname.machine tells when present; otherwise the layout whose
 * max_mapnr_64 repeats the header's max_mapnr. */
static void pick_32bit_abi(struct kdump *k, const uint8_t *h, const uint8_t *sub,
			   uint64_t sub_len)
{
	if (k->abi != &abis[1])
		return;
	const char *mach = (const char *)h + UTS_MACHINE;
	if (strncmp(mach, "arm", 3) == 0) {
		k->abi = &abis[2];
		return;
	}
	if (mach[0] || k->version < 6 || sub_len < abis[2].sub_size)
		return;
	uint64_t mapnr = get(k, h + abis[1].max_mapnr, 4);
	if (get(k, sub + abis[1].max_mapnr_64, 8) != mapnr &&
	    get(k, sub + abis[2].max_mapnr_64, 8) == mapnr)
		k->abi = &abis[2];
}

static int header_error(struct kdump *k, uint64_t at, const char *msg)
{
	pt_diag_report(k->diags, rule(PT_R_SRC_KDUMP_HEADER), 1, at, PT_SCOPE_NONE, 0, NULL,
		       "%skdump-compressed header: %s", k->who, msg);
	return -1;
}

static void copy_uts(char *out, const uint8_t *p)
{
	size_t n = 0;
	while (n < UTS_LEN && p[n] >= 0x20 && p[n] < 0x7f) {
		out[n] = (char)p[n];
		n++;
	}
	out[n] = '\0';
}

static int read_sub_header(struct kdump *k, const uint8_t *h)
{
	const struct abi *a = k->abi;
	uint8_t sub[104] = { 0 };
	uint64_t avail = k->c.lsize - k->block;
	uint64_t n = avail < sizeof sub ? avail : sizeof sub;
	if (pt_container_read(&k->c, k->block, sub, (size_t)n) != 0)
		return header_error(k, k->block, "sub-header past the end of the file");
	pick_32bit_abi(k, h, sub, n);
	a = k->abi;
	if (n < a->sub_size && k->version >= 6)
		return header_error(k, k->block, "sub-header truncated");
	k->phys_base = get(k, sub + a->phys_base, a->long_size);
	k->dump_level = (int32_t)get(k, sub + a->dump_level, 4);
	k->split = k->version >= 2 ? (int32_t)get(k, sub + a->split, 4) : 0;
	if (k->version >= 6) {
		k->max_mapnr = get(k, sub + a->max_mapnr_64, 8);
		k->start_pfn = get(k, sub + a->start_pfn_64, 8);
		k->end_pfn = get(k, sub + a->end_pfn_64, 8);
	} else {
		k->start_pfn = get(k, sub + a->start_pfn, a->long_size);
		k->end_pfn = get(k, sub + a->end_pfn, a->long_size);
	}
	if (k->version >= 3) {
		k->vmci_off = get(k, sub + a->off_vmcoreinfo, 8);
		k->vmci_size = get(k, sub + a->size_vmcoreinfo, a->long_size);
	}
	if (!k->split) {
		k->start_pfn = 0;
		k->end_pfn = k->max_mapnr;
	}
	return 0;
}

static int read_header(struct kdump *k, struct pt_source_meta *meta)
{
	uint8_t h[464] = { 0 };
	if (k->c.lsize < sizeof h || pt_container_read(&k->c, 0, h, sizeof h) != 0)
		return header_error(k, 0, "truncated (shorter than the 464-byte header)");
	if (pick_layout(k, h) != 0)
		return header_error(k, 0, "no power-of-two block size from 1 KiB to 1 MiB "
					  "at the offsets of a 64- or 32-bit header");
	const struct abi *a = k->abi;
	k->version = (uint32_t)get(k, h + 8, 4);
	k->status = (uint32_t)get(k, h + a->status, 4);
	k->block = (uint32_t)get(k, h + a->block_size, 4);
	k->shift = (uint32_t)__builtin_ctz(k->block);
	uint64_t sub_blocks = get(k, h + a->sub_hdr_size, 4);
	uint64_t bm_blocks = get(k, h + a->bitmap_blocks, 4);
	k->max_mapnr = get(k, h + a->max_mapnr, 4);
	if (k->c.lsize < (uint64_t)k->block * 2)
		return header_error(k, 0, "file ends inside the header blocks");
	if (read_sub_header(k, h) != 0)
		return -1;
	copy_uts(meta->release, h + UTS_RELEASE);
	copy_uts(meta->machine, h + UTS_MACHINE);
	k->bm1 = (1 + sub_blocks) * k->block;
	uint64_t bm_total = bm_blocks * k->block;
	k->bm_len = bm_total / 2;
	k->desc_off = k->bm1 + bm_total;
	k->bm2 = k->bm1 + k->bm_len;
	return 0;
}

/* ---- bitmaps ---- */

static int bitmap_error(struct kdump *k, const char *what, unsigned long long v)
{
	pt_diag_report(k->diags, rule(PT_R_SRC_KDUMP_BITMAP), 1, k->bm1, PT_SCOPE_NONE, 0, NULL,
		       "%s%s 0x%llx", k->who, what, v);
	return -1;
}

static int check_bitmaps(struct kdump *k)
{
	/* Before anything is sized by the claim. */
	if (k->max_mapnr > MAX_MAPNR)
		return bitmap_error(k, "more pages than pasidtool indexes (2^37):",
				    (unsigned long long)k->max_mapnr);
	if (k->desc_off > k->c.lsize)
		return bitmap_error(k, "bitmaps run past the end of the file, to",
				    (unsigned long long)k->desc_off);
	uint64_t need = (k->max_mapnr + 7) / 8;
	if (k->max_mapnr > UINT64_MAX - 7 || need > k->bm_len * 2)
		return bitmap_error(k, "bitmaps too small for the pages the header claims:",
				    (unsigned long long)k->max_mapnr);
	if (need > k->bm_len) {
		/* An old single-bitmap DISKDUMP (crash dump_is_partial()): the
		 * one bitmap says both "RAM" and "dumped". */
		k->bm_len *= 2;
		k->bm2 = k->bm1;
	}
	if (k->start_pfn > k->end_pfn || k->end_pfn > k->max_mapnr)
		return header_error(k, k->block, "split pfn range outside the dump");
	return 0;
}

/* len (<= WIN) container bytes at off, through window w: one pread fills
 * WIN bytes from off, so walks that read neighbours cost one read per
 * window. NULL when a byte lies past the end of the file. */
static const uint8_t *win_get(const struct kdump *k, struct win *w, uint64_t off, size_t len)
{
	if (w->len && off >= w->off && off - w->off <= w->len && len <= w->len - (off - w->off))
		return w->buf + (off - w->off);
	if (off > k->c.lsize || len > k->c.lsize - off)
		return NULL;
	uint64_t n = k->c.lsize - off < WIN ? k->c.lsize - off : WIN;
	w->len = 0;
	if (pt_container_read(&k->c, off, w->buf, (size_t)n) != 0)
		return NULL;
	w->off = off;
	w->len = (uint32_t)n;
	return w->buf;
}

static struct win *bm_win(const struct kdump *k, uint64_t bm)
{
	struct kdump *m = (struct kdump *)(uintptr_t)k;
	return bm == k->bm1 ? &m->wbm1 : &m->wbm2;
}

/* The bitmap byte that holds pfn's bit (pfn < max_mapnr); -1 unreadable. */
static int bm_byte(const struct kdump *k, uint64_t bm, uint64_t pfn)
{
	const uint8_t *p = win_get(k, bm_win(k, bm), bm + (pfn >> 3), 1);
	return p ? *p : -1;
}

static int bit_at(const struct kdump *k, uint64_t bm, uint64_t pfn)
{
	int b = pfn < k->max_mapnr ? bm_byte(k, bm, pfn) : -1;
	return b < 0 ? 0 : b >> (pfn & 7) & 1;
}

/* Set bits of a 64-bit word without a library call. */
static unsigned popcount64(uint64_t w)
{
	w = w - ((w >> 1) & UINT64_C(0x5555555555555555));
	w = (w & UINT64_C(0x3333333333333333)) + ((w >> 2) & UINT64_C(0x3333333333333333));
	w = (w + (w >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
	return (unsigned)((w * UINT64_C(0x0101010101010101)) >> 56);
}

/* Popcount over whole bytes, by 64-bit words where they line up. */
static uint64_t popcount_bytes(const uint8_t *p, size_t n)
{
	uint64_t c = 0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		c += popcount64(w);
	}
	for (; i < n; i++)
		c += popcount64(p[i]);
	return c;
}

/* Set bits of bitmap bm for pfns [from, to), both in one block. */
static uint64_t count_bits(const struct kdump *k, uint64_t bm, uint64_t from, uint64_t to)
{
	if (to <= from)
		return 0;
	uint64_t lo = from >> 3, hi = (to + 7) >> 3;
	size_t n = (size_t)(hi - lo);
	const uint8_t *p = win_get(k, bm_win(k, bm), bm + lo, n);
	if (!p)
		return 0;
	/* Whole bytes by popcount, then take off the bits outside the span in
	 * the first and last byte. */
	uint64_t c = popcount_bytes(p, n);
	c -= popcount64(p[0] & ((1u << (from & 7)) - 1));
	if (to & 7)
		c -= popcount64(p[n - 1] & ~((1u << (to & 7)) - 1) & 0xffu);
	return c;
}

/* The rank index: one pass over the 2nd bitmap, a section at a time. */
static int index_sections(struct kdump *k)
{
	uint64_t sect_pfns = UINT64_C(1) << SECT_SHIFT, blk_pfns = UINT64_C(1) << BLOCK_SHIFT;
	k->nsect = (k->max_mapnr + sect_pfns - 1) >> SECT_SHIFT;
	k->nblk = (k->max_mapnr + blk_pfns - 1) >> BLOCK_SHIFT;
	k->sect = calloc(k->nsect + 1, sizeof *k->sect);
	k->blk = calloc(k->nblk + 1, sizeof *k->blk);
	if (!k->sect || !k->blk)
		return header_error(k, 0, "out of memory indexing the bitmap");
	uint8_t buf[(1u << SECT_SHIFT) / 8];
	uint64_t total = 0;
	for (uint64_t s = 0; s < k->nsect; s++) {
		k->sect[s] = total;
		uint64_t from = s << SECT_SHIFT;
		uint64_t to = from + sect_pfns < k->max_mapnr ? from + sect_pfns : k->max_mapnr;
		size_t bytes = (size_t)((to - from + 7) / 8);
		if (pt_container_read(&k->c, k->bm2 + from / 8, buf, bytes) != 0)
			return bitmap_error(k, "bitmap unreadable at section", (unsigned long long)s);
		if ((to - from) & 7)
			buf[bytes - 1] &= (uint8_t)((1u << ((to - from) & 7)) - 1);
		uint64_t in_sect = 0;
		for (uint64_t b = from; b < to; b += blk_pfns) {
			size_t at = (size_t)((b - from) / 8), n = (size_t)(blk_pfns / 8);
			k->blk[b >> BLOCK_SHIFT] = (uint16_t)in_sect;
			in_sect += popcount_bytes(buf + at, at + n < bytes ? n : bytes - at);
		}
		total += in_sect;
	}
	k->sect[k->nsect] = total;
	k->ndumpable = total;
	return 0;
}

/* Dumped pages in [0, pfn). */
static uint64_t rank(const struct kdump *k, uint64_t pfn)
{
	if (pfn >= k->max_mapnr)
		return k->ndumpable;
	uint64_t b = pfn >> BLOCK_SHIFT;
	return k->sect[pfn >> SECT_SHIFT] + k->blk[b] + count_bits(k, k->bm2, b << BLOCK_SHIFT, pfn);
}

/* ---- descriptors and pages ---- */

struct desc {
	uint64_t offset;
	uint32_t size, flags;
};

/* The descriptor of the idx-th dumped page of this file. */
static int desc_at(const struct kdump *k, uint64_t idx, struct desc *d)
{
	struct kdump *m = (struct kdump *)(uintptr_t)k;
	if (idx > (UINT64_MAX - k->desc_off) / DESC_SIZE)
		return -1;
	const uint8_t *raw = win_get(k, &m->wdesc, k->desc_off + idx * DESC_SIZE, DESC_SIZE);
	if (!raw)
		return -1;
	d->offset = get(k, raw, 8);
	d->size = (uint32_t)get(k, raw + 8, 4);
	d->flags = (uint32_t)get(k, raw + 12, 4);
	return 0;
}

static int is_zero_desc(const struct kdump *k, const struct desc *d)
{
	return k->has_zero && d->offset == k->zero_off && d->size == k->block &&
	       !(d->flags & PT_KDUMP_METHODS);
}

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* The shared zero page makedumpfile writes first when dump_level excludes
 * zero pages (write_kdump_pages_and_bitmap_cyclic, pd_zero); believed only
 * when its bytes really are zero, so probe and read agree. */
static void find_zero_page(struct kdump *k)
{
	if (!(k->dump_level & 1) || k->ndumpable > (UINT64_MAX - k->desc_off) / DESC_SIZE)
		return;
	uint64_t off = k->desc_off + k->ndumpable * DESC_SIZE;
	if (pt_container_read(&k->c, off, k->scratch, k->block) != 0 ||
	    !all_zero(k->scratch, k->block))
		return;
	k->has_zero = 1;
	k->zero_off = off;
}

static void report_bad(struct kdump *k, uint64_t pfn, const char *why)
{
	for (uint32_t i = 0; i < k->nbad; i++)
		if (k->bad[i] == pfn)
			return;
	if (k->nbad >= MAX_BAD_REPORTS)
		return;
	k->bad[k->nbad++] = pfn;
	if (k->diags)
		pt_diag_report(k->diags, rule(PT_R_SRC_KDUMP_PAGE), 1, k->addr0 + (pfn << k->shift),
			       PT_SCOPE_NONE, 0, NULL, "%spage 0x%llx: %s", k->who,
			       (unsigned long long)pfn, why);
}

/* The bytes of dumped page pfn, described by d, into out (block bytes). */
static enum pt_read_status load_page(struct kdump *k, uint64_t pfn, const struct desc *d,
				     uint8_t *out)
{
	char why[160];
	if (is_zero_desc(k, d)) {
		memset(out, 0, k->block);
		return PT_READ_OK;
	}
	if (d->offset == 0) {
		report_bad(k, pfn, "never written (incomplete dump)");
		return PT_READ_CORRUPT;
	}
	if (d->size > k->block) {
		snprintf(why, sizeof why, "data of %u bytes is larger than a %u-byte page", d->size,
			 k->block);
		report_bad(k, pfn, why);
		return PT_READ_CORRUPT;
	}
	if (!(d->flags & PT_KDUMP_METHODS) && d->size != k->block) {
		snprintf(why, sizeof why, "stored uncompressed in %u bytes, not %u", d->size,
			 k->block);
		report_bad(k, pfn, why);
		return PT_READ_CORRUPT;
	}
	/* Stored pages go straight to out; compressed ones through scratch. */
	uint8_t *in = d->flags & PT_KDUMP_METHODS ? k->scratch : out;
	if (pt_container_read(&k->c, d->offset, in, d->size) != 0) {
		report_bad(k, pfn, "data lies past the end of the file");
		return PT_READ_CORRUPT;
	}
	if (in != out &&
	    pt_kdump_inflate(d->flags, in, d->size, out, k->block, why, sizeof why) != 0) {
		report_bad(k, pfn, why);
		return PT_READ_CORRUPT;
	}
	return PT_READ_OK;
}

/* What backs pfn, from the bitmaps alone: DATA stands for "dumped". */
static enum pt_mem_kind bitmap_kind(const struct kdump *k, uint64_t pfn)
{
	if (pfn < k->start_pfn || pfn >= k->end_pfn || !bit_at(k, k->bm1, pfn))
		return PT_MEM_UNMAPPED;
	return bit_at(k, k->bm2, pfn) ? PT_MEM_DATA : PT_MEM_EXCLUDED;
}

static enum pt_mem_kind desc_kind(const struct kdump *k, uint64_t idx)
{
	struct desc d;
	if (desc_at(k, idx, &d) != 0)
		return PT_MEM_DATA; /* unreadable: the read will say why */
	return is_zero_desc(k, &d) ? PT_MEM_ZERO : PT_MEM_DATA;
}

/* The pfn from p on (p a multiple of 8, below end) where whole bitmap bytes
 * stop saying kind for all their 8 pfns: holes, excluded runs and dumped
 * pages without descriptors, millions of pages long, are judged a window of
 * bitmap at a time, 8 bytes to a compare. Each byte is input, so the work is
 * bounded by the file, whatever the header claims. Like the per-pfn loop it
 * replaces, it may overshoot end by up to 7 pfns, never end_pfn. */
static uint64_t skip_bytes(const struct kdump *k, uint64_t p, uint64_t end, enum pt_mem_kind kind)
{
	const uint64_t ram = kind == PT_MEM_UNMAPPED ? 0 : UINT64_MAX;
	const uint64_t dumped = kind == PT_MEM_DATA ? UINT64_MAX : 0;
	/* With one bitmap for both (an old DISKDUMP), set bits are dumped. */
	const int both = kind != PT_MEM_UNMAPPED && k->bm2 != k->bm1;
	if (kind == PT_MEM_EXCLUDED && !both)
		return p;
	while (p < end && p + 8 <= k->end_pfn) {
		uint64_t n = (k->end_pfn - p) / 8, want = (end - p + 7) / 8;
		n = n < want ? n : want;
		n = n < WIN ? n : WIN;
		const uint8_t *a = win_get(k, bm_win(k, k->bm1), k->bm1 + p / 8, (size_t)n);
		const uint8_t *b = both ? win_get(k, bm_win(k, k->bm2), k->bm2 + p / 8, (size_t)n) : NULL;
		if (!a || (both && !b))
			return p;
		size_t i = 0;
		for (uint64_t x, y; i + 8 <= n; i += 8) {
			memcpy(&x, a + i, 8);
			if (both)
				memcpy(&y, b + i, 8);
			if (x != ram || (both && y != dumped))
				break;
		}
		while (i < n && a[i] == (uint8_t)ram && (!both || b[i] == (uint8_t)dumped))
			i++;
		p += 8 * (uint64_t)i;
		if (i < n)
			break;
	}
	return p;
}

/* The end of the run of kind that pfn p continues, below end: pfn by pfn to
 * a byte boundary, whole bitmap bytes, then pfn by pfn again. */
static uint64_t bitmap_run(const struct kdump *k, uint64_t p, uint64_t end, enum pt_mem_kind kind)
{
	while (p < end && (p & 7) && bitmap_kind(k, p) == kind)
		p++;
	if (p < end && !(p & 7))
		p = skip_bytes(k, p, end, kind);
	while (p < end && bitmap_kind(k, p) == kind)
		p++;
	return p;
}

/* Descriptor idx and all after it lie past the end of the file: their pages
 * are data the read will call corrupt. */
static int desc_past_end(const struct kdump *k, uint64_t idx)
{
	if (idx > (UINT64_MAX - k->desc_off) / DESC_SIZE)
		return 1;
	uint64_t off = k->desc_off + idx * DESC_SIZE;
	return off > k->c.lsize || DESC_SIZE > k->c.lsize - off;
}

/* Dumped pages are told apart (zero or data) by their descriptors, which
 * follow each other: one rank, then one descriptor per page until they run
 * past the end of the file. */
static enum pt_mem_kind kd_probe(void *ctx, uint64_t addr, uint64_t *run)
{
	struct kdump *k = ctx;
	uint64_t pfn = (addr - k->addr0) >> k->shift;
	enum pt_mem_kind kind = bitmap_kind(k, pfn);
	uint64_t end = pfn + PROBE_SPAN < k->end_pfn ? pfn + PROBE_SPAN : k->end_pfn, p = pfn + 1;
	if (kind == PT_MEM_DATA) {
		if (end - pfn > PROBE_DUMPED_SPAN)
			end = pfn + PROBE_DUMPED_SPAN;
		uint64_t idx = rank(k, pfn) - k->first_idx;
		kind = desc_kind(k, idx);
		while (p < end && bitmap_kind(k, p) == PT_MEM_DATA) {
			if (desc_past_end(k, idx + 1)) {
				if (kind == PT_MEM_DATA)
					p = bitmap_run(k, p, end, PT_MEM_DATA);
				break;
			}
			if (desc_kind(k, ++idx) != kind)
				break;
			p++;
		}
	} else {
		p = bitmap_run(k, p, end, kind);
	}
	uint64_t first = (addr - k->addr0) & (((uint64_t)1 << k->shift) - 1);
	*run = ((p - pfn) << k->shift) - first;
	return kind;
}

static enum pt_read_status kd_page(struct kdump *k, uint64_t pfn, const uint8_t **page)
{
	uint32_t slot = (uint32_t)(pfn % CACHE_SLOTS);
	uint8_t *buf = k->cache + (size_t)slot * k->block;
	if (k->tags[slot] == pfn + 1) {
		*page = buf;
		return PT_READ_OK;
	}
	enum pt_mem_kind kind = bitmap_kind(k, pfn);
	if (kind == PT_MEM_UNMAPPED)
		return PT_READ_UNMAPPED;
	if (kind == PT_MEM_EXCLUDED)
		return PT_READ_EXCLUDED;
	struct desc d;
	if (desc_at(k, rank(k, pfn) - k->first_idx, &d) != 0) {
		report_bad(k, pfn, "descriptor lies past the end of the file");
		return PT_READ_CORRUPT;
	}
	k->tags[slot] = 0;
	enum pt_read_status st = load_page(k, pfn, &d, buf);
	if (st != PT_READ_OK)
		return st;
	k->tags[slot] = pfn + 1;
	*page = buf;
	return PT_READ_OK;
}

static enum pt_read_status kd_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct kdump *k = ctx;
	uint8_t *out = buf;
	uint64_t mask = ((uint64_t)1 << k->shift) - 1;
	/* Each step copies what one page holds of the read. */
	while (len) {
		uint64_t rel = addr - k->addr0, in = rel & mask;
		size_t n = k->block - in < len ? (size_t)(k->block - in) : len;
		const uint8_t *page;
		enum pt_read_status st = kd_page(k, rel >> k->shift, &page);
		if (st != PT_READ_OK)
			return st;
		memcpy(out, page + in, n);
		out += n;
		addr += n;
		len -= n;
	}
	return PT_READ_OK;
}

static void kd_free(void *ctx)
{
	struct kdump *k = ctx;
	if (!k)
		return;
	pt_container_free(&k->c);
	free(k->sect);
	free(k->blk);
	free(k->cache);
	free(k->scratch);
	free(k);
}

static const struct pt_provider_ops kdump_ops = { kd_probe, kd_read, kd_free };

/* ---- opening ---- */

int pt_source_is_kdump(const uint8_t *base, size_t size)
{
	return (size >= 8 && (memcmp(base, "KDUMP   ", 8) == 0 || memcmp(base, "DISKDUMP", 8) == 0)) ||
	       pt_flat_detect(base, size);
}

static int open_container(struct kdump *k, const struct pt_mapping *m, struct pt_source_meta *meta)
{
	if (!pt_flat_detect(m->base, m->size)) {
		pt_container_plain(&k->c, m->fd, m->base, m->size);
		return 0;
	}
	char err[200];
	uint64_t at;
	if (pt_flat_index(&k->c, m->fd, m->base, m->size, err, sizeof err, &at) != 0) {
		pt_diag_report(k->diags, rule(PT_R_SRC_FLAT), 1, at, PT_SCOPE_NONE, 0, NULL, "%s%s",
			       k->who, err);
		return -1;
	}
	meta->flattened = 1;
	uint8_t sig[8];
	if (pt_container_read(&k->c, 0, sig, 8) != 0 ||
	    (memcmp(sig, "KDUMP   ", 8) != 0 && memcmp(sig, "DISKDUMP", 8) != 0)) {
		pt_diag_report(k->diags, rule(PT_R_SRC_FLAT), 1, 0, PT_SCOPE_NONE, 0, NULL,
			       "%sthe flattened stream holds no kdump-compressed dump "
			       "(an ELF one? rebuild it with makedumpfile -R)", k->who);
		return -1;
	}
	return 0;
}

static int check_methods(struct kdump *k, struct pt_source_meta *meta)
{
	uint32_t m = k->status & PT_KDUMP_METHODS;
	snprintf(meta->method, sizeof meta->method, "%s",
		 m ? (pt_kdump_method_name(m) ? pt_kdump_method_name(m) : "mixed") : "none");
	for (uint32_t bit = 1; bit <= PT_KDUMP_ZSTD; bit <<= 1) {
		if (!(m & bit) || pt_kdump_method_built(bit))
			continue;
		pt_diag_report(k->diags, rule(PT_R_SRC_KDUMP), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%spages are compressed with %s, which this pasidtool was built "
			       "without (install its -dev package and rebuild, or convert with "
			       "makedumpfile -E)", k->who, pt_kdump_method_name(bit));
		return -1;
	}
	if (k->status & PT_KDUMP_INCOMPLETE)
		pt_diag_report(k->diags, rule(PT_R_SRC_KDUMP_INCOMPLETE), 0, 0, PT_SCOPE_NONE, 0,
			       NULL, "%sthe dump is marked incomplete; pages never written are "
			       "unreadable", k->who);
	return 0;
}

static void keep_vmcoreinfo(struct kdump *k, struct pt_source *src)
{
	if (!k->vmci_off || !k->vmci_size || k->vmci_size > MAX_VMCOREINFO || src->meta.vmcoreinfo)
		return;
	uint8_t *buf = malloc((size_t)k->vmci_size);
	if (buf && pt_container_read(&k->c, k->vmci_off, buf, (size_t)k->vmci_size) == 0)
		pt_source_set_vmcoreinfo(src, buf, (size_t)k->vmci_size);
	free(buf);
}

/* One file: header, bitmaps, section counts, cache. */
static struct kdump *open_one(struct pt_source *src, uint32_t file, struct pt_diag_sink *diags)
{
	struct kdump *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->path = src->files[file].path;
	k->diags = diags;
	if (!diags || !diags->input || strcmp(diags->input, k->path) != 0)
		snprintf(k->who, sizeof k->who, "%s: ", k->path);
	if (open_container(k, &src->files[file], &src->meta) != 0 ||
	    read_header(k, &src->meta) != 0 || check_methods(k, &src->meta) != 0 ||
	    check_bitmaps(k) != 0)
		goto fail;
	k->cache = malloc((size_t)CACHE_SLOTS * k->block);
	k->scratch = malloc(k->block);
	if (!k->cache || !k->scratch || index_sections(k) != 0)
		goto fail;
	k->first_idx = rank(k, k->start_pfn);
	find_zero_page(k);
	uint64_t need = k->desc_off + (rank(k, k->end_pfn) - k->first_idx) * DESC_SIZE;
	if (need > k->c.lsize)
		pt_diag_report(diags, rule(PT_R_SRC_KDUMP_PAGE), 1, k->c.lsize, PT_SCOPE_NONE, 0,
			       NULL, "%spage descriptors run to 0x%llx, past the end of the file "
			       "(truncated dump): the pages they describe are unreadable",
			       k->who, (unsigned long long)need);
	/* 32-bit ARM numbers pfns from the start of RAM (makedumpfile
	 * ARCH_PFN_OFFSET); every other architecture from address 0. */
	if (k->abi == &abis[2])
		k->addr0 = k->phys_base;
	keep_vmcoreinfo(k, src);
	src->meta.page_size = k->block;
	src->meta.phys_base = k->phys_base;
	return k;
fail:
	kd_free(k);
	return NULL;
}

/* Address range of a file's pfns, or -1 when it does not fit in 2^64. */
static int pfn_span(const struct kdump *k, uint64_t *addr, uint64_t *size)
{
	uint64_t lim = (UINT64_MAX >> k->shift);
	if (k->end_pfn > lim || k->addr0 > UINT64_MAX - (k->end_pfn << k->shift))
		return -1;
	*addr = k->addr0 + (k->start_pfn << k->shift);
	*size = (k->end_pfn - k->start_pfn) << k->shift;
	return 0;
}

static int split_error(struct pt_diag_sink *diags, const struct kdump *k, const char *msg)
{
	pt_diag_report(diags, rule(PT_R_SRC_KDUMP_SPLIT), 0, 0, PT_SCOPE_NONE, 0, NULL, "%s%s",
		       k->who, msg);
	return -1;
}

/* Parts of one split dump share page size and page count; a file that is
 * not split cannot join others (crash read_dump_header() is_split). */
static int check_split(const struct kdump *k, const struct kdump *first, uint32_t nfiles,
		       struct pt_diag_sink *diags)
{
	if (nfiles > 1 && !k->split)
		return split_error(diags, k, "not part of a --split dump, but given with other "
					     "kdump files");
	if (first && (k->block != first->block || k->max_mapnr != first->max_mapnr))
		return split_error(diags, k, "page size or page count differs from the first "
					     "part of the split dump");
	return 0;
}

int pt_source_add_kdump(struct pt_source *src, const uint32_t *files, uint32_t nfiles,
			struct pt_diag_sink *diags)
{
	struct kdump *first = NULL;
	for (uint32_t i = 0; i < nfiles; i++) {
		struct kdump *k = open_one(src, files[i], diags);
		if (!k)
			return -1;
		uint64_t addr, size;
		if (check_split(k, first, nfiles, diags) != 0) {
			kd_free(k);
			return -1;
		}
		if (k->start_pfn == k->end_pfn) {
			kd_free(k);
			continue;
		}
		if (pfn_span(k, &addr, &size) != 0) {
			header_error(k, k->block, "page range runs past the end of the address space");
			kd_free(k);
			return -1;
		}
		if (pt_source_add_provider(src, addr, size, files[i], &kdump_ops, k) != 0) {
			pt_diag_report(diags, rule(PT_R_SRC_TOO_MANY), 0, 0, PT_SCOPE_NONE, 0, NULL,
				       "%scannot add another range", k->who);
			kd_free(k);
			return -1;
		}
		if (!first)
			first = k;
	}
	src->kind = PT_SRC_KDUMP;
	src->meta.split_files = nfiles > 1 ? nfiles : 0;
	return 0;
}

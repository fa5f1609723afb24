/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kdump-compressed dumps: every word size, byte order and page method the
 * test writer makes (tests/tools/kdump_gen.h), excluded and zero pages,
 * split parts, flattened streams, VMCOREINFO, and hostile headers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "diag_count.h"
#include "container.h"
#include "kdump_page.h"
#include "source.h"

#include "../tools/kdump_gen.h"

#define BS 4096u
#define MAPNR 64u
#define DESC_AT (2 * BS + 2 * BS) /* header, sub-header, two 1-block bitmaps */

static uint8_t page_a[BS], page_b[BS], page_c[BS], page_zero[BS];

/* pfn 2: text-like, 3: zero, 5: excluded, 6: incompressible, 40: text. */
static struct kg_page pages[] = {
	{ 2, page_a }, { 3, page_zero }, { 5, NULL }, { 6, page_b }, { 40, page_c },
};
#define NPAGES (sizeof pages / sizeof pages[0])

static int fill_pages(void **state)
{
	(void)state;
	uint32_t x = 12345;
	for (uint32_t i = 0; i < BS; i++) {
		page_a[i] = (uint8_t)("pasidtool kdump "[i % 16] + i / 512);
		x = x * 1103515245u + 12345u;
		page_b[i] = (uint8_t)(x >> 16);
		page_c[i] = (uint8_t)(i % 7 == 0 ? i : 0);
	}
	return 0;
}

static struct kg_opts base_opts(void)
{
	struct kg_opts o = { 0 };
	o.block = BS;
	o.version = 6;
	o.max_mapnr = MAPNR;
	o.vmcoreinfo = "OSRELEASE=6.1.0-test-arm64\nPAGESIZE=4096\nNUMBER(PHYS_OFFSET)=0x40000000\n";
	return o;
}

/* Opens buf (and more parts) as the source's files. */
static int open_bufs(struct pt_source *src, struct pt_diag_sink *sink, uint8_t **bufs,
		     const size_t *lens, uint32_t n)
{
	uint32_t files[4];
	pt_source_init(src, "k.kd");
	for (uint32_t i = 0; i < n; i++)
		files[i] = (uint32_t)pt_source_add_buffer(src, "k.kd", bufs[i], lens[i]);
	if (pt_source_add_kdump(src, files, n, sink) != 0)
		return -1;
	return pt_source_finish(src, sink);
}

static int open_buf(struct pt_source *src, struct pt_diag_sink *sink, uint8_t *buf, size_t len)
{
	return open_bufs(src, sink, &buf, &len, 1);
}

/* Every page reads back, and probe/read tell data, zero, excluded and
 * unmapped pages apart. addr0: address of pfn 0. */
static void check_pages(struct pt_source *src, uint64_t addr0, int zero_page)
{
	uint8_t got[BS];
	uint64_t run;
	for (size_t i = 0; i < NPAGES; i++) {
		uint64_t a = addr0 + pages[i].pfn * BS;
		if (!pages[i].data) {
			assert_int_equal(pt_source_read(src, a, got, 8), PT_READ_EXCLUDED);
			assert_int_equal(pt_source_probe(src, a, &run), PT_MEM_EXCLUDED);
			assert_int_equal(run, BS);
			continue;
		}
		assert_int_equal(pt_source_read(src, a, got, BS), PT_READ_OK);
		assert_memory_equal(got, pages[i].data, BS);
	}
	assert_int_equal(pt_source_probe(src, addr0 + 3 * BS, &run),
			 zero_page ? PT_MEM_ZERO : PT_MEM_DATA);
	assert_int_equal(pt_source_probe(src, addr0 + 2 * BS + 8, &run), PT_MEM_DATA);
	assert_int_equal(run, (zero_page ? BS : 2 * BS) - 8);
	/* pfn 4 and 7..39 are not RAM: unmapped, in one run. */
	assert_int_equal(pt_source_probe(src, addr0 + 7 * BS, &run), PT_MEM_UNMAPPED);
	assert_int_equal(run, 33 * BS);
	assert_int_equal(pt_source_read(src, addr0 + 4 * BS, got, 1), PT_READ_UNMAPPED);
	/* A read across a page boundary joins two pages. */
	assert_int_equal(pt_source_read(src, addr0 + 3 * BS - 4, got, 8), PT_READ_OK);
	assert_memory_equal(got, page_a + BS - 4, 4);
	assert_memory_equal(got + 4, page_zero, 4);
	assert_int_equal(pt_source_read(src, addr0 + MAPNR * BS, got, 1), PT_READ_UNMAPPED);
	/* What a walk says about memory it cannot read. */
	assert_string_equal(pt_source_why_unreadable(src, addr0 + 5 * BS, 64),
			    "is in pages the dump excluded (makedumpfile -d)");
	assert_string_equal(pt_source_why_unreadable(src, addr0 + 5 * BS, 2 * BS),
			    "is in pages the dump excluded (makedumpfile -d)");
	assert_string_equal(pt_source_why_unreadable(src, addr0 + 5 * BS, 3 * BS),
			    "is not in the input");
	assert_string_equal(pt_source_why_unreadable(src, addr0 + 4 * BS, 64),
			    "is not in the input");
}

static void one_variant(enum kg_abi abi, int be, uint32_t method, int zero)
{
	struct kg_opts o = base_opts();
	o.abi = abi;
	o.be = be;
	o.method = method;
	o.zero_page = zero;
	o.phys_base = abi == KG_ARM ? 0x80000000u : 0x40000000u;
	uint8_t *buf;
	size_t len = kg_write(&o, pages, NPAGES, &buf);
	struct pt_source src;
	struct pt_diag_sink sink;
	pt_diag_init(&sink, "k.kd", NULL);
	if (open_buf(&src, &sink, buf, len) != 0)
		fail_msg("abi %d be %d method %u zero %d: open failed (%u findings, first %s)", abi,
			 be, method, zero, sink.nitems, sink.nitems ? sink.items[0].msg : "");
	assert_int_equal(sink.nitems, 0);
	assert_int_equal(src.kind, PT_SRC_KDUMP);
	check_pages(&src, abi == KG_ARM ? 0x80000000u : 0, zero);
	char v[64];
	assert_int_equal(pt_source_vmcoreinfo(&src, "OSRELEASE", v, sizeof v), 0);
	assert_string_equal(v, "6.1.0-test-arm64");
	assert_int_equal(pt_source_vmcoreinfo(&src, "PAGESIZE", v, sizeof v), 0);
	assert_string_equal(v, "4096");
	assert_int_equal(pt_source_vmcoreinfo(&src, "PAGE", v, sizeof v), -1);
	assert_int_equal(src.meta.page_size, BS);
	pt_source_free(&src);
	pt_diag_free(&sink);
	free(buf);
}

static void test_every_variant(void **state)
{
	(void)state;
	static const uint32_t methods[] = { 0, PT_KDUMP_ZLIB, PT_KDUMP_LZO, PT_KDUMP_SNAPPY,
					    PT_KDUMP_ZSTD };
	for (int abi = KG_LP64; abi <= KG_ARM; abi++)
		for (int be = 0; be < 2; be++)
			for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++)
				for (int zero = 0; zero < 2; zero++)
					if (pt_kdump_method_built(methods[m]) || !methods[m])
						one_variant((enum kg_abi)abi, be, methods[m], zero);
}

static void test_methods_built(void **state)
{
	(void)state;
	/* Debian 12 has all four libraries; tests/deps.sh installs them. */
	assert_true(pt_kdump_method_built(PT_KDUMP_ZLIB));
	assert_true(pt_kdump_method_built(PT_KDUMP_LZO));
	assert_true(pt_kdump_method_built(PT_KDUMP_SNAPPY));
	assert_true(pt_kdump_method_built(PT_KDUMP_ZSTD));
	assert_false(pt_kdump_method_built(0x40));
}

static void test_split_parts(void **state)
{
	(void)state;
	struct kg_opts o = base_opts();
	o.method = PT_KDUMP_ZLIB;
	o.zero_page = 1;
	o.split = 1;
	uint8_t *bufs[2];
	size_t lens[2];
	o.start_pfn = 0;
	o.end_pfn = 6;
	lens[0] = kg_write(&o, pages, NPAGES, &bufs[0]);
	o.start_pfn = 6;
	o.end_pfn = MAPNR;
	lens[1] = kg_write(&o, pages, NPAGES, &bufs[1]);
	struct pt_source src;
	struct pt_diag_sink sink;
	pt_diag_init(&sink, "k.kd", NULL);
	assert_int_equal(open_bufs(&src, &sink, bufs, lens, 2), 0);
	assert_int_equal(sink.nitems, 0);
	assert_int_equal(src.nranges, 2);
	assert_int_equal(src.meta.split_files, 2);
	check_pages(&src, 0, 1);
	pt_source_free(&src);

	/* One part alone: the other part's pages are outside the dump. */
	uint8_t got[8];
	assert_int_equal(open_bufs(&src, &sink, &bufs[1], &lens[1], 1), 0);
	assert_int_equal(pt_source_read(&src, 2 * BS, got, 8), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 40 * BS, got, 8), PT_READ_OK);
	pt_source_free(&src);

	/* A split part with a file that is not split: refused. */
	struct kg_opts whole = base_opts();
	uint8_t *mixed[2] = { bufs[0], NULL };
	size_t mlen[2] = { lens[0], kg_write(&whole, pages, NPAGES, &mixed[1]) };
	assert_int_equal(open_bufs(&src, &sink, mixed, mlen, 2), -1);
	assert_int_equal(count_rule(&sink, "SRC-KDUMP-SPLIT"), 1);
	pt_source_free(&src);
	/* Parts with different page counts: refused. */
	o.max_mapnr = MAPNR * 2;
	free(mixed[1]);
	mlen[1] = kg_write(&o, pages, NPAGES, &mixed[1]);
	assert_int_equal(open_bufs(&src, &sink, mixed, mlen, 2), -1);
	assert_int_equal(count_rule(&sink, "SRC-KDUMP-SPLIT"), 2);
	pt_source_free(&src);
	pt_diag_free(&sink);
	free(mixed[1]);
	free(bufs[0]);
	free(bufs[1]);
}

static void test_flattened(void **state)
{
	(void)state;
	struct kg_opts o = base_opts();
	o.method = PT_KDUMP_LZO;
	o.zero_page = 1;
	uint8_t *kd, *flat;
	size_t klen = kg_write(&o, pages, NPAGES, &kd);
	for (size_t rec = 512; rec <= 8192; rec *= 4) {
		size_t flen = kg_flatten(kd, klen, rec, &flat);
		struct pt_source src;
		struct pt_diag_sink sink;
		pt_diag_init(&sink, "k.kd", NULL);
		assert_int_equal(open_buf(&src, &sink, flat, flen), 0);
		assert_int_equal(sink.nitems, 0);
		assert_true(src.meta.flattened);
		check_pages(&src, 0, 1);
		pt_source_free(&src);

		/* Cut anywhere: a finding, no crash. */
		for (size_t cut = 0; cut < flen; cut += 997) {
			pt_source_init(&src, "cut");
			if (open_buf(&src, &sink, flat, cut) == 0) {
				uint8_t got[64];
				pt_source_read(&src, 2 * BS, got, sizeof got);
			}
			pt_source_free(&src);
		}
		assert_true(count_rule(&sink, "SRC-FLAT") > 0);
		pt_diag_free(&sink);
		free(flat);
	}
	free(kd);
}

static void be64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static void test_flattened_hostile(void **state)
{
	(void)state;
	struct kg_opts o = base_opts();
	uint8_t *kd, *flat;
	size_t klen = kg_write(&o, pages, NPAGES, &kd);
	size_t flen = kg_flatten(kd, klen, 4096, &flat);
	struct pt_source src;
	struct pt_diag_sink sink;
	pt_diag_init(&sink, "k.kd", NULL);

	/* type 2 */
	flat[23] = 2;
	assert_int_equal(open_buf(&src, &sink, flat, flen), -1);
	flat[23] = 1;
	pt_source_free(&src);
	/* no end marker */
	assert_int_equal(open_buf(&src, &sink, flat, flen - 16), -1);
	pt_source_free(&src);
	/* a record's size runs past the end of the file */
	uint8_t save[8];
	memcpy(save, flat + 4096 + 8, 8);
	be64(flat + 4096 + 8, (uint64_t)flen);
	assert_int_equal(open_buf(&src, &sink, flat, flen), -1);
	pt_source_free(&src);
	/* offsets with the top bits set (negative in the writer's int64) */
	be64(flat + 4096 + 8, UINT64_MAX - 1);
	assert_int_equal(open_buf(&src, &sink, flat, flen), -1);
	memcpy(flat + 4096 + 8, save, 8);
	pt_source_free(&src);
	/* two records for the same bytes */
	memcpy(save, flat + 4096, 8);
	be64(flat + 4096, 4096 * 3);
	uint8_t second[8];
	memcpy(second, flat + 4096 + 16 + 4096, 8);
	be64(flat + 4096 + 16 + 4096, 4096 * 3);
	assert_int_equal(open_buf(&src, &sink, flat, flen), -1);
	pt_source_free(&src);
	assert_int_equal(count_rule(&sink, "SRC-FLAT"), 5);
	pt_diag_free(&sink);
	free(flat);
	free(kd);
}

/* The LP64 file of base_opts with one change made by edit(). */
static void expect_open(void (*edit)(uint8_t *buf, size_t *len), const char *what,
			const char *rule, int opens)
{
	struct kg_opts o = base_opts();
	o.method = PT_KDUMP_ZLIB;
	uint8_t *buf;
	size_t len = kg_write(&o, pages, NPAGES, &buf);
	buf = realloc(buf, len + 2 * BS);
	memset(buf + len, 0, 2 * BS);
	edit(buf, &len);
	struct pt_source src;
	struct pt_diag_sink sink;
	pt_diag_init(&sink, "k.kd", NULL);
	int rc = open_buf(&src, &sink, buf, len);
	assert_int_equal(rc, opens ? 0 : -1);
	if (opens) {
		uint8_t got[BS];
		if (pt_source_read(&src, 2 * BS, got, BS) != PT_READ_CORRUPT)
			fail_msg("%s: the damaged page reads", what);
		assert_string_equal(pt_source_why_unreadable(&src, 2 * BS, 64),
				    "is in a page the dump holds damaged");
		/* The finding comes once however often the page is read. */
		assert_int_equal(pt_source_read(&src, 2 * BS, got, 8), PT_READ_CORRUPT);
		assert_int_equal(pt_source_read(&src, 6 * BS, got, BS), PT_READ_OK);
		assert_memory_equal(got, page_b, BS);
	}
	if (count_rule(&sink, rule) != 1)
		fail_msg("%s: wanted one %s, got %u (first: %s)", what, rule, count_rule(&sink, rule),
			 sink.nitems ? sink.items[0].msg : "none");
	pt_source_free(&src);
	pt_diag_free(&sink);
	free(buf);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void bad_block_size(uint8_t *b, size_t *len) { (void)len; put32(b + 428, 3000); }
static void small_block_size(uint8_t *b, size_t *len) { (void)len; put32(b + 428, 512); }
static void huge_block_size(uint8_t *b, size_t *len) { (void)len; put32(b + 428, 1u << 21); }
static void short_header(uint8_t *b, size_t *len) { (void)b; *len = 463; }
static void short_sub(uint8_t *b, size_t *len) { (void)b; *len = BS + 50; }
static void bitmaps_past_eof(uint8_t *b, size_t *len) { (void)len; put32(b + 436, 1000); }
static void mapnr_too_big(uint8_t *b, size_t *len) { (void)len; put64(b + BS + 96, 1u << 20); }
static void split_range_bad(uint8_t *b, size_t *len)
{
	(void)len;
	put32(b + BS + 12, 1);
	put64(b + BS + 80, 10);
	put64(b + BS + 88, MAPNR + 1);
}
static void desc_size_big(uint8_t *b, size_t *len) { (void)len; put32(b + DESC_AT + 8, BS + 1); }
static void desc_offset_zero(uint8_t *b, size_t *len) { (void)len; put64(b + DESC_AT, 0); }
static void desc_past_eof(uint8_t *b, size_t *len) { (void)len; put64(b + DESC_AT, *len - 10); }
static void desc_raw_short(uint8_t *b, size_t *len)
{
	(void)len;
	put32(b + DESC_AT + 12, 0);
	put32(b + DESC_AT + 8, 100);
}
static void desc_unknown_method(uint8_t *b, size_t *len) { (void)len; put32(b + DESC_AT + 12, 0x40); }
static void desc_two_methods(uint8_t *b, size_t *len) { (void)len; put32(b + DESC_AT + 12, 0x3); }
/* A zlib stream of 64 KiB of zeroes as the page: capped at one page. */
static void zlib_bomb(uint8_t *b, size_t *len)
{
	static uint8_t zeros[1u << 16], z[2048];
	uLongf zlen = sizeof z;
	assert_int_equal(compress2(z, &zlen, zeros, sizeof zeros, 9), Z_OK);
	memcpy(b + *len, z, zlen);
	put64(b + DESC_AT, *len);
	put32(b + DESC_AT + 8, (uint32_t)zlen);
	*len += zlen;
}
/* Half a page of zlib data: decompresses short of a page. */
static void zlib_short(uint8_t *b, size_t *len)
{
	static uint8_t z[BS];
	uLongf zlen = sizeof z;
	assert_int_equal(compress2(z, &zlen, page_a, BS / 2, 9), Z_OK);
	memcpy(b + *len, z, zlen);
	put64(b + DESC_AT, *len);
	put32(b + DESC_AT + 8, (uint32_t)zlen);
	*len += zlen;
}
static void truncated_descs(uint8_t *b, size_t *len) { (void)b; *len = DESC_AT + 10; }
static void lzo_status_unknown(uint8_t *b, size_t *len) { (void)len; put32(b + 424, 0x1 | 0x40); }

#define EXPECT(edit, rule, opens) expect_open(edit, #edit, rule, opens)

static void test_hostile_headers(void **state)
{
	(void)state;
	EXPECT(bad_block_size, "SRC-KDUMP-HEADER", 0);
	EXPECT(small_block_size, "SRC-KDUMP-HEADER", 0);
	EXPECT(huge_block_size, "SRC-KDUMP-HEADER", 0);
	EXPECT(short_header, "SRC-KDUMP-HEADER", 0);
	EXPECT(short_sub, "SRC-KDUMP-HEADER", 0);
	EXPECT(bitmaps_past_eof, "SRC-KDUMP-BITMAP", 0);
	EXPECT(mapnr_too_big, "SRC-KDUMP-BITMAP", 0);
	EXPECT(split_range_bad, "SRC-KDUMP-HEADER", 0);
}

static void test_hostile_pages(void **state)
{
	(void)state;
	EXPECT(desc_size_big, "SRC-KDUMP-PAGE", 1);
	EXPECT(desc_offset_zero, "SRC-KDUMP-PAGE", 1);
	EXPECT(desc_past_eof, "SRC-KDUMP-PAGE", 1);
	EXPECT(desc_raw_short, "SRC-KDUMP-PAGE", 1);
	EXPECT(desc_unknown_method, "SRC-KDUMP-PAGE", 1);
	EXPECT(desc_two_methods, "SRC-KDUMP-PAGE", 1);
	EXPECT(zlib_bomb, "SRC-KDUMP-PAGE", 1);
	EXPECT(zlib_short, "SRC-KDUMP-PAGE", 1);
}

/* Status bits: an unknown one is ignored (each page carries its own
 * method, as crash reads them); INCOMPLETE is a warning. */
static void test_status_bits(void **state)
{
	(void)state;
	struct kg_opts o = base_opts();
	o.method = PT_KDUMP_ZLIB;
	uint8_t *buf, got[BS];
	size_t len = kg_write(&o, pages, NPAGES, &buf);
	struct pt_source src;
	struct pt_diag_sink sink;
	pt_diag_init(&sink, "k.kd", NULL);
	lzo_status_unknown(buf, &len);
	assert_int_equal(open_buf(&src, &sink, buf, len), 0);
	assert_int_equal(sink.nitems, 0);
	assert_int_equal(pt_source_read(&src, 2 * BS, got, BS), PT_READ_OK);
	assert_memory_equal(got, page_a, BS);
	pt_source_free(&src);
	put32(buf + 424, 0x1 | 0x8);
	assert_int_equal(open_buf(&src, &sink, buf, len), 0);
	assert_int_equal(count_rule(&sink, "SRC-KDUMP-INCOMPLETE"), 1);
	assert_int_equal(sink.items[0].severity, PT_SEV_WARNING);
	pt_source_free(&src);
	pt_diag_free(&sink);
	free(buf);
}

static void test_truncated_descriptors(void **state)
{
	(void)state;
	struct kg_opts o = base_opts();
	uint8_t *buf;
	size_t len = kg_write(&o, pages, NPAGES, &buf);
	size_t cut = DESC_AT + 10;
	(void)len;
	struct pt_source src;
	struct pt_diag_sink sink;
	pt_diag_init(&sink, "k.kd", NULL);
	assert_int_equal(open_buf(&src, &sink, buf, cut), 0);
	/* Said once at open, and again for the page that is read. */
	assert_int_equal(count_rule(&sink, "SRC-KDUMP-PAGE"), 1);
	uint8_t got[8];
	assert_int_equal(pt_source_read(&src, 2 * BS, got, 8), PT_READ_CORRUPT);
	assert_int_equal(count_rule(&sink, "SRC-KDUMP-PAGE"), 2);
	pt_source_free(&src);
	pt_diag_free(&sink);
	free(buf);
	(void)truncated_descs;
}

/* Every prefix of a valid file opens or fails cleanly (ASan checks the
 * reads), and reads from what opened never crash. */
static void test_every_cut(void **state)
{
	(void)state;
	struct kg_opts o = base_opts();
	o.method = PT_KDUMP_ZSTD;
	o.zero_page = 1;
	uint8_t *buf;
	size_t len = kg_write(&o, pages, NPAGES, &buf);
	unsigned opened = 0;
	for (size_t cut = 0; cut <= len; cut += cut < DESC_AT + 200 ? 61 : 7) {
		struct pt_source src;
		struct pt_diag_sink sink;
		pt_diag_init(&sink, "cut", NULL);
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, buf, cut);
		if (open_buf(&src, &sink, copy, cut) == 0) {
			opened++;
			uint8_t got[BS];
			for (size_t i = 0; i < NPAGES; i++)
				pt_source_read(&src, pages[i].pfn * BS, got, BS);
		} else {
			assert_true(sink.nitems > 0);
		}
		pt_source_free(&src);
		pt_diag_free(&sink);
		free(copy);
	}
	assert_true(opened > 0);
	free(buf);
}


/* The rank index (dumped pages before each 2^16-pfn section and 2^12-pfn
 * block): pages on both sides of every block and section boundary of
 * three sections read back as themselves, each page its own pfn. */
#define RANK_BS 1024u
#define RANK_MAPNR (3u * 65536u + 5u)

static int rank_dumped(uint32_t pfn)
{
	uint32_t in_blk = pfn & 4095u;
	return pfn % 97u == 0 || in_blk <= 1u || in_blk == 4095u;
}

static void test_rank_boundaries(void **state)
{
	(void)state;
	size_t n = 0;
	for (uint32_t p = 0; p < RANK_MAPNR; p++)
		n += (size_t)rank_dumped(p);
	struct kg_page *pg = calloc(n, sizeof *pg);
	uint8_t *data = calloc(n, RANK_BS);
	assert_non_null(pg);
	assert_non_null(data);
	size_t k = 0;
	for (uint32_t p = 0; p < RANK_MAPNR; p++) {
		if (!rank_dumped(p))
			continue;
		pg[k].pfn = p;
		for (unsigned w = 0; w < RANK_BS / 8; w++)
			memcpy(data + k * RANK_BS + w * 8, &(uint64_t){ p + 1 }, 8);
		pg[k].data = data + k * RANK_BS;
		k++;
	}
	struct kg_opts o = base_opts();
	o.block = RANK_BS;
	o.max_mapnr = RANK_MAPNR;
	uint8_t *buf;
	size_t len = kg_write(&o, pg, n, &buf);
	struct pt_source src;
	struct pt_diag_sink sink;
	pt_diag_init(&sink, "k.kd", NULL);
	assert_int_equal(open_buf(&src, &sink, buf, len), 0);
	assert_int_equal(sink.nitems, 0);
	for (uint32_t sect = 0; sect < 3; sect++)
		for (uint32_t blk = 0; blk < 16; blk++)
			for (int d = -2; d <= 2; d++) {
				int64_t p = (int64_t)sect * 65536 + blk * 4096 + d;
				if (p < 0 || p >= RANK_MAPNR)
					continue;
				uint64_t got, run;
				enum pt_read_status st = pt_source_read(&src, (uint64_t)p * RANK_BS,
									&got, 8);
				if (!rank_dumped((uint32_t)p)) {
					assert_int_equal(st, PT_READ_UNMAPPED);
					continue;
				}
				assert_int_equal(st, PT_READ_OK);
				assert_int_equal(got, (uint64_t)p + 1);
				assert_int_equal(pt_source_probe(&src, (uint64_t)p * RANK_BS, &run),
						 PT_MEM_DATA);
			}
	/* The last pfn, inside the last (partial) section. */
	uint64_t got;
	assert_int_equal(pt_source_read(&src, (RANK_MAPNR - 1u) * (uint64_t)RANK_BS, &got, 8),
			 rank_dumped(RANK_MAPNR - 1u) ? PT_READ_OK : PT_READ_UNMAPPED);
	pt_source_free(&src);
	pt_diag_free(&sink);
	free(buf);
	free(pg);
	free(data);
}

/* Probe runs end exactly where the kind changes, on either side of a bitmap
 * byte and across bitmap windows: holes, excluded runs and dumped pages
 * whose descriptors lie past the end of a cut file are judged a byte or a
 * word of bitmap at a time, pages beside them one by one. Each kind run:
 * [from, to). */
#define RUN_BS 1024u
#define RUN_MAPNR 40000u

struct kind_run {
	uint32_t from, to;
	enum pt_mem_kind kind;
};

static const struct kind_run probe_layout[] = {
	{ 0, 3, PT_MEM_DATA },        { 3, 71, PT_MEM_UNMAPPED },   { 71, 80, PT_MEM_EXCLUDED },
	{ 80, 88, PT_MEM_DATA },      { 88, 95, PT_MEM_UNMAPPED },  { 95, 96, PT_MEM_EXCLUDED },
	{ 96, 160, PT_MEM_UNMAPPED }, { 160, 161, PT_MEM_DATA },    { 161, 240, PT_MEM_EXCLUDED },
	{ 240, 248, PT_MEM_DATA },    { 248, 35089, PT_MEM_UNMAPPED },
	{ 35089, 35200, PT_MEM_EXCLUDED }, { 35200, 35201, PT_MEM_UNMAPPED },
	{ 35201, 35330, PT_MEM_DATA }, { 35330, 39991, PT_MEM_UNMAPPED },
	{ 39991, RUN_MAPNR, PT_MEM_EXCLUDED },
};
#define PROBE_RUNS (sizeof probe_layout / sizeof probe_layout[0])

static size_t probe_run_of(uint32_t pfn)
{
	for (size_t i = 0; i < PROBE_RUNS; i++)
		if (pfn >= probe_layout[i].from && pfn < probe_layout[i].to)
			return i;
	fail();
	return 0;
}

/* Probing pfn (at an offset inside it) gives its run's kind and its end. */
static void expect_probe(struct pt_source *src, uint32_t pfn, uint32_t off)
{
	const struct kind_run *r = &probe_layout[probe_run_of(pfn)];
	uint64_t run = 0;
	enum pt_mem_kind k = pt_source_probe(src, (uint64_t)pfn * RUN_BS + off, &run);
	if (k != r->kind || run != (uint64_t)(r->to - pfn) * RUN_BS - off)
		fail_msg("pfn %u+%u: kind %d run %llu pages, want kind %d run %u", pfn, off, k,
			 (unsigned long long)(run / RUN_BS), r->kind, r->to - pfn);
}

static void test_probe_runs(void **state)
{
	(void)state;
	static struct kg_page pg[RUN_MAPNR];
	static uint8_t data[RUN_BS];
	memset(data, 0x5a, sizeof data);
	size_t n = 0;
	for (uint32_t p = 0; p < RUN_MAPNR; p++) {
		enum pt_mem_kind k = probe_layout[probe_run_of(p)].kind;
		if (k != PT_MEM_UNMAPPED)
			pg[n++] = (struct kg_page){ p, k == PT_MEM_DATA ? data : NULL };
	}
	struct kg_opts o = base_opts();
	o.block = RUN_BS;
	o.max_mapnr = RUN_MAPNR;
	uint8_t *buf;
	size_t len = kg_write(&o, pg, n, &buf);
	/* Cut after the descriptors of pfns 0-2, 80-87 and 160: from pfn 240
	 * on, dumped pages have none (data the read calls corrupt). */
	uint64_t half = ((RUN_MAPNR + 7) / 8 + RUN_BS - 1) / RUN_BS * RUN_BS;
	size_t cut = (size_t)(2 * RUN_BS + 2 * half + 12 * 24 + 5);
	assert_true(cut < len);
	struct pt_source src;
	struct pt_diag_sink sink;
	pt_diag_init(&sink, "k.kd", NULL);
	assert_int_equal(open_buf(&src, &sink, buf, cut), 0);
	for (uint32_t p = 0; p < 400; p++)
		expect_probe(&src, p, p % 3 ? 0 : 17);
	for (size_t i = 0; i < PROBE_RUNS; i++)
		for (uint32_t d = 0; d < 10 && d < probe_layout[i].to - probe_layout[i].from; d++) {
			expect_probe(&src, probe_layout[i].from + d, 0);
			expect_probe(&src, probe_layout[i].to - 1 - d, 0);
		}
	for (uint32_t p = 0; p < RUN_MAPNR; p += 97)
		expect_probe(&src, p, 0);
	uint8_t got[8];
	assert_int_equal(pt_source_read(&src, 81 * RUN_BS, got, 8), PT_READ_CORRUPT);
	assert_int_equal(pt_source_read(&src, 35300 * RUN_BS, got, 8), PT_READ_CORRUPT);
	pt_source_free(&src);
	pt_diag_free(&sink);
	free(buf);
}

/* A header claiming more pages than the index holds (2^37) is refused
 * before a byte of its bitmaps is read: a sparse file of that size. */
static void test_mapnr_beyond_index(void **state)
{
	(void)state;
	struct kg_opts o = base_opts();
	uint8_t *buf;
	size_t len = kg_write(&o, pages, NPAGES, &buf);
	uint64_t mapnr = (UINT64_C(1) << 37) + 1;
	uint64_t bm_bytes = (mapnr + 7) / 8;
	uint64_t bm_blocks = 2 * ((bm_bytes + BS - 1) / BS);
	put32(buf + 436, (uint32_t)bm_blocks);
	put64(buf + BS + 96, mapnr);
	char path[] = "/tmp/pasidtool-test-kdump-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	assert_int_equal(ftruncate(fd, (off_t)((2 + bm_blocks) * BS + 4096)), 0);
	close(fd);
	struct pt_source src;
	struct pt_diag_sink sink;
	char err[256];
	pt_diag_init(&sink, path, NULL);
	pt_source_init(&src, path);
	int file = pt_source_map_file(&src, path, err, sizeof err);
	assert_true(file >= 0);
	uint32_t f = (uint32_t)file;
	assert_int_equal(pt_source_add_kdump(&src, &f, 1, &sink), -1);
	assert_int_equal(count_rule(&sink, "SRC-KDUMP-BITMAP"), 1);
	assert_non_null(strstr(sink.items[0].msg, "more pages than pasidtool indexes"));
	pt_source_free(&src);
	pt_diag_free(&sink);
	unlink(path);
	free(buf);
}

/* The cap's other side: a header claiming exactly 2^37 pages gets past it
 * (and is refused only because its bitmaps are too small for them),
 * without anything sized by the claim. */
static void test_mapnr_at_index_cap(void **state)
{
	(void)state;
	static const uint64_t claims[] = { UINT64_C(1) << 37, (UINT64_C(1) << 37) + 1 };
	static const char *const said[] = { "bitmaps too small for the pages the header claims",
					    "more pages than pasidtool indexes" };
	for (int i = 0; i < 2; i++) {
		struct kg_opts o = base_opts();
		uint8_t *buf;
		size_t len = kg_write(&o, pages, NPAGES, &buf);
		put64(buf + BS + 96, claims[i]);
		struct pt_source src;
		struct pt_diag_sink sink;
		pt_diag_init(&sink, "k.kd", NULL);
		assert_int_equal(open_buf(&src, &sink, buf, len), -1);
		assert_int_equal(count_rule(&sink, "SRC-KDUMP-BITMAP"), 1);
		if (!strstr(sink.items[0].msg, said[i]))
			fail_msg("claim 0x%llx: %s", (unsigned long long)claims[i], sink.items[0].msg);
		pt_source_free(&src);
		pt_diag_free(&sink);
		free(buf);
	}
}

/* A flattened stream of n records: kd's bytes in records of rec bytes
 * (zeros too), then one-byte records of zero past kd's end up to n. */
static size_t flat_of(const uint8_t *kd, size_t klen, size_t rec, size_t n, uint8_t **out)
{
	size_t nkd = (klen + rec - 1) / rec;
	assert_true(n >= nkd);
	size_t total = 4096 + nkd * 16 + klen + (n - nkd) * 17 + 16;
	uint8_t *p = calloc(1, total);
	assert_non_null(p);
	memcpy(p, "makedumpfile", 12);
	p[23] = 1;
	p[31] = 1;
	size_t at = 4096;
	for (size_t i = 0; i < n; i++) {
		size_t off = i < nkd ? i * rec : klen + (i - nkd);
		size_t len = i < nkd ? (klen - off < rec ? klen - off : rec) : 1;
		be64(p + at, off);
		be64(p + at + 8, len);
		if (i < nkd)
			memcpy(p + at + 16, kd + off, len);
		at += 16 + len;
	}
	memset(p + at, 0xff, 16);
	*out = p;
	return at + 16;
}

/* The index holds PT_FLAT_FREE_RECORDS records plus one per
 * PT_FLAT_MIN_AVG bytes of the file: the most a file of records that
 * small may hold opens, one record more is refused before the index is
 * allocated. */
static void test_flattened_record_cap(void **state)
{
	(void)state;
	struct kg_opts o = base_opts();
	uint8_t *kd;
	size_t klen = kg_write(&o, pages, NPAGES, &kd);
	size_t rec = 256, nkd = (klen + rec - 1) / rec, n = nkd;
	/* The first n the cap refuses: each record adds 17 bytes to the file
	 * and one to the count. */
	for (;; n++) {
		size_t size = 4096 + nkd * 16 + klen + (n - nkd) * 17 + 16;
		if (n > PT_FLAT_FREE_RECORDS + size / PT_FLAT_MIN_AVG)
			break;
	}
	for (size_t k = n - 1; k <= n; k++) {
		uint8_t *flat;
		size_t flen = flat_of(kd, klen, rec, k, &flat);
		struct pt_source src;
		struct pt_diag_sink sink;
		pt_diag_init(&sink, "k.kd", NULL);
		int rc = open_buf(&src, &sink, flat, flen);
		if (k < n) {
			assert_int_equal(rc, 0);
			check_pages(&src, 0, 0);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(count_rule(&sink, "SRC-FLAT"), 1);
			assert_non_null(strstr(sink.items[0].msg, "flattened records in"));
		}
		pt_source_free(&src);
		pt_diag_free(&sink);
		free(flat);
	}
	free(kd);
}

/* Handles in different threads inflate pages at once: each thread its own
 * pages (so that state shared between threads shows as a wrong page or a
 * failure), LZO and zstd from each thread's first page on. Under
 * ThreadSanitizer a shared context or an unguarded start is a report. */
#define INFLATE_THREADS 4
#define INFLATE_ROUNDS 400
#define INFLATE_PAGE 4096u

struct inflater {
	uint32_t method;
	uint8_t page[INFLATE_PAGE];
	uint8_t packed[2 * INFLATE_PAGE];
	size_t packed_len;
	int wrong;
};

static void *inflate_many(void *arg)
{
	struct inflater *f = arg;
	uint8_t page[INFLATE_PAGE];
	char why[128];
	for (int i = 0; i < INFLATE_ROUNDS; i++) {
		memset(page, 0, sizeof page);
		if (pt_kdump_inflate(f->method, f->packed, f->packed_len, page, sizeof page, why,
				     sizeof why) != 0 || memcmp(page, f->page, sizeof page) != 0)
			f->wrong++;
	}
	return NULL;
}

static void test_inflate_in_threads(void **state)
{
	(void)state;
	static const uint32_t methods[] = { PT_KDUMP_LZO, PT_KDUMP_ZSTD };
	static struct inflater f[2 * INFLATE_THREADS];
	pthread_t th[2 * INFLATE_THREADS];
	for (unsigned i = 0; i < 2 * INFLATE_THREADS; i++) {
		f[i].method = methods[i % 2];
		for (unsigned b = 0; b < INFLATE_PAGE; b++)
			f[i].page[b] = (uint8_t)(b % (7 + i) == 0 ? b * 131 + i : i);
		f[i].packed_len = kg_compress(f[i].method, f[i].page, INFLATE_PAGE, f[i].packed);
		assert_true(f[i].packed_len > 0);
	}
	for (unsigned i = 0; i < 2 * INFLATE_THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, inflate_many, &f[i]), 0);
	for (unsigned i = 0; i < 2 * INFLATE_THREADS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(f[i].wrong, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_methods_built),
		cmocka_unit_test(test_every_variant),
		cmocka_unit_test(test_split_parts),
		cmocka_unit_test(test_flattened),
		cmocka_unit_test(test_flattened_hostile),
		cmocka_unit_test(test_hostile_headers),
		cmocka_unit_test(test_hostile_pages),
		cmocka_unit_test(test_status_bits),
		cmocka_unit_test(test_truncated_descriptors),
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test(test_rank_boundaries),
		cmocka_unit_test(test_probe_runs),
		cmocka_unit_test(test_mapnr_beyond_index),
		cmocka_unit_test(test_mapnr_at_index_cap),
		cmocka_unit_test(test_flattened_record_cap),
		cmocka_unit_test(test_inflate_in_threads),
	};
	return cmocka_run_group_tests(tests, fill_pages, NULL);
}

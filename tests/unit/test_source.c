/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bounds-checked source: raw ranges, reads at their edges, zero fill,
 * overlap handling, FILE@ADDR placement, kdump detection and page tracking. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "pageset.h"
#include "source.h"

#include "diag_count.h"
#include "tmpdir.h"

/* Writes len bytes to tmpdir/name; its path goes to path. */
static void write_file(char *path, size_t pathlen, const char *name, const void *data,
		       size_t len)
{
	snprintf(path, pathlen, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Bytes that differ at every offset and between files (seed). */
static void pattern(uint8_t *buf, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 7u + (i >> 8) + seed * 31u);
}

/* A source with one mapped file of `len` pattern bytes (seed), file index 0. */
static void source_with_file(struct pt_source *src, const char *name, size_t len,
			     unsigned seed, uint8_t *copy)
{
	static char path[PT_SOURCE_MAX_FILES][512];
	static unsigned next;
	uint8_t *buf = malloc(len);
	assert_non_null(buf);
	pattern(buf, len, seed);
	if (copy)
		memcpy(copy, buf, len);
	char *p = path[next++ % PT_SOURCE_MAX_FILES];
	write_file(p, 512, name, buf, len);
	free(buf);
	char err[256];
	assert_true(pt_source_map_file(src, p, err, sizeof err) >= 0);
}

static void test_read_inside(void **state)
{
	(void)state;
	struct pt_source src;
	uint8_t want[8192], got[64];
	pt_source_init(&src, "inside");
	source_with_file(&src, "inside.bin", sizeof want, 1, want);
	assert_int_equal(pt_source_add_range(&src, 0x1000, sizeof want, 0, 0, sizeof want), 0);
	assert_int_equal(pt_source_finish(&src, NULL), 0);

	assert_int_equal(pt_source_read(&src, 0x1100, got, sizeof got), PT_READ_OK);
	assert_memory_equal(got, want + 0x100, sizeof got);
	assert_int_equal(pt_source_read(&src, 0x1000, got, 1), PT_READ_OK);
	assert_int_equal(got[0], want[0]);
	/* The very last byte of the range. */
	assert_int_equal(pt_source_read(&src, 0x1000 + sizeof want - 1, got, 1), PT_READ_OK);
	assert_int_equal(got[0], want[sizeof want - 1]);
	/* Zero-length reads succeed anywhere and write nothing. */
	got[0] = 0xa5;
	assert_int_equal(pt_source_read(&src, 0xdead0000, got, 0), PT_READ_OK);
	assert_int_equal(got[0], 0xa5);

	uint64_t lo, hi;
	assert_int_equal(pt_source_span(&src, &lo, &hi), sizeof want);
	assert_int_equal(lo, 0x1000);
	assert_int_equal(hi, 0x1000 + sizeof want - 1);
	assert_true(pt_source_covers(&src, 0x1000, sizeof want));
	assert_false(pt_source_covers(&src, 0x1000, sizeof want + 1));
	assert_false(pt_source_covers(&src, 0xfff, 2));
	pt_source_free(&src);
}

static void test_read_across_adjacent(void **state)
{
	(void)state;
	struct pt_source src;
	uint8_t a[4096], b[4096], got[32];
	pt_source_init(&src, "adjacent");
	source_with_file(&src, "a.bin", sizeof a, 2, a);
	source_with_file(&src, "b.bin", sizeof b, 3, b);
	/* Added out of order: finish sorts. */
	assert_int_equal(pt_source_add_range(&src, 0x3000, sizeof b, 1, 0, sizeof b), 0);
	assert_int_equal(pt_source_add_range(&src, 0x2000, sizeof a, 0, 0, sizeof a), 0);
	assert_int_equal(pt_source_finish(&src, NULL), 0);
	assert_int_equal(src.nranges, 2);
	assert_int_equal(src.ranges[0].addr, 0x2000);

	assert_int_equal(pt_source_read(&src, 0x2ff0, got, sizeof got), PT_READ_OK);
	assert_memory_equal(got, a + 4096 - 16, 16);
	assert_memory_equal(got + 16, b, 16);
	assert_true(pt_source_covers(&src, 0x2000, 0x2000));
	/* Read back and forth so the last-hit cache is exercised both ways. */
	assert_int_equal(pt_source_read(&src, 0x3800, got, 4), PT_READ_OK);
	assert_memory_equal(got, b + 0x800, 4);
	assert_int_equal(pt_source_read(&src, 0x2004, got, 4), PT_READ_OK);
	assert_memory_equal(got, a + 4, 4);
	pt_source_free(&src);
}

static void test_read_unmapped(void **state)
{
	(void)state;
	struct pt_source src;
	uint8_t want[4096], got[16];
	pt_source_init(&src, "unmapped");
	source_with_file(&src, "u.bin", sizeof want, 4, want);
	assert_int_equal(pt_source_add_range(&src, 0x1000, sizeof want, 0, 0, sizeof want), 0);
	assert_int_equal(pt_source_finish(&src, NULL), 0);

	assert_int_equal(pt_source_read(&src, 0x1ff8, got, 16), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0x2000, got, 1), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0xff8, got, 16), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0, got, 1), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0x50000, got, 8), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0x1ff8, got, 8), PT_READ_OK);
	assert_memory_equal(got, want + 0xff8, 8);
	pt_source_free(&src);
}

static void test_read_wrap(void **state)
{
	(void)state;
	struct pt_source src;
	uint8_t want[4096], got[16];
	pt_source_init(&src, "wrap");
	source_with_file(&src, "w.bin", sizeof want, 5, want);
	/* A range that would wrap is refused; one ending at 2^64-1 is fine. */
	assert_int_equal(pt_source_add_range(&src, UINT64_MAX - 0xfff, 0x2000, 0, 0, 0x1000), -1);
	assert_int_equal(pt_source_add_range(&src, UINT64_MAX - 0xfff, 0x1000, 0, 0, 0x1000), 0);
	assert_int_equal(pt_source_finish(&src, NULL), 0);

	assert_int_equal(pt_source_read(&src, UINT64_MAX - 7, got, 8), PT_READ_OK);
	assert_memory_equal(got, want + 4096 - 8, 8);
	assert_int_equal(pt_source_read(&src, UINT64_MAX - 7, got, 9), PT_READ_OVERFLOW);
	assert_int_equal(pt_source_read(&src, UINT64_MAX, got, 2), PT_READ_OVERFLOW);
	assert_int_equal(pt_source_read(&src, UINT64_MAX, got, 1), PT_READ_OK);
	assert_int_equal(got[0], want[4095]);
	assert_false(pt_source_covers(&src, UINT64_MAX, 2));
	assert_true(pt_source_covers(&src, UINT64_MAX - 0xfff, 0x1000));
	pt_source_free(&src);
}

static void test_add_range_rejects(void **state)
{
	(void)state;
	struct pt_source src;
	uint8_t want[4096];
	pt_source_init(&src, "rejects");
	source_with_file(&src, "r.bin", sizeof want, 6, want);
	assert_int_equal(pt_source_add_range(&src, 0x1000, 0, 0, 0, 0), -1);        /* empty */
	assert_int_equal(pt_source_add_range(&src, 0x1000, 16, 1, 0, 16), -1);      /* no file 1 */
	assert_int_equal(pt_source_add_range(&src, 0x1000, 16, 0, 0, 32), -1);      /* filesz > size */
	assert_int_equal(pt_source_add_range(&src, 0x1000, 16, 0, 4090, 16), -1);   /* past EOF */
	assert_int_equal(pt_source_add_range(&src, 0x1000, 16, 0, 4097, 0), -1);    /* offset past EOF */
	assert_int_equal(src.nranges, 0);
	/* With nothing added, finish reports that there is nothing to read. */
	assert_int_equal(pt_source_finish(&src, NULL), -1);
	pt_source_free(&src);
}

/* Many separate buffers under one name (build's image): more of them than
 * the file list holds, each read back at its own address; a file that is
 * not a borrowed buffer is refused. */
static void test_add_bytes_past_the_file_limit(void **state)
{
	(void)state;
	enum { N = PT_SOURCE_MAX_FILES + 1 };
	static uint8_t bufs[N][64];
	uint8_t got[64], file[4096];
	struct pt_source src;
	pt_source_init(&src, "bytes");
	int f = pt_source_add_buffer(&src, "img", NULL, 0);
	assert_int_equal(f, 0);
	for (unsigned i = 0; i < N; i++) {
		pattern(bufs[i], sizeof bufs[i], i);
		assert_int_equal(pt_source_add_bytes(&src, 0x10000 + i * 0x1000u, bufs[i], 64, 0), 0);
	}
	assert_int_equal(pt_source_add_bytes(&src, 0x900000, NULL, 64, 0), -1);
	assert_int_equal(pt_source_add_bytes(&src, 0x900000, bufs[0], 0, 0), -1);
	assert_int_equal(pt_source_add_bytes(&src, 0x900000, bufs[0], 64, 1), -1);
	assert_int_equal(pt_source_finish(&src, NULL), 0);
	assert_int_equal(src.nranges, N);
	assert_int_equal(src.nfiles, 1);
	for (unsigned i = 0; i < N; i++) {
		assert_int_equal(pt_source_read(&src, 0x10000 + i * 0x1000u, got, 64), PT_READ_OK);
		assert_memory_equal(got, bufs[i], 64);
	}
	assert_int_equal(pt_source_read(&src, 0x10000 + N * 0x1000u, got, 8), PT_READ_UNMAPPED);
	pt_source_free(&src);
	pt_source_init(&src, "mapped");
	source_with_file(&src, "m.bin", sizeof file, 9, file);
	assert_int_equal(pt_source_add_bytes(&src, 0x1000, bufs[0], 64, 0), -1);
	pt_source_free(&src);
}

static void test_zero_fill(void **state)
{
	(void)state;
	struct pt_source src;
	uint8_t want[4096], got[16], zero[16] = { 0 };
	pt_source_init(&src, "zero");
	source_with_file(&src, "z.bin", sizeof want, 7, want);
	assert_int_equal(pt_source_add_range(&src, 0x10000, 0x2000, 0, 0x100, 0x800), 0);
	assert_int_equal(pt_source_finish(&src, NULL), 0);

	assert_int_equal(pt_source_read(&src, 0x10000, got, 8), PT_READ_OK);
	assert_memory_equal(got, want + 0x100, 8);
	assert_int_equal(pt_source_read(&src, 0x107f8, got, 16), PT_READ_OK);
	assert_memory_equal(got, want + 0x100 + 0x7f8, 8);
	assert_memory_equal(got + 8, zero, 8);
	memset(got, 0xff, sizeof got);
	assert_int_equal(pt_source_read(&src, 0x11ff0, got, 16), PT_READ_OK);
	assert_memory_equal(got, zero, 16);
	assert_int_equal(pt_source_read(&src, 0x11ff8, got, 16), PT_READ_UNMAPPED);
	assert_true(pt_source_covers(&src, 0x10000, 0x2000));
	pt_source_free(&src);
}

static void test_overlap_dropped(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_diag_sink sink;
	uint8_t a[4096], b[4096], got[8];
	pt_diag_init(&sink, "overlap", NULL);
	pt_source_init(&src, "overlap");
	source_with_file(&src, "oa.bin", sizeof a, 8, a);
	source_with_file(&src, "ob.bin", sizeof b, 9, b);
	assert_int_equal(pt_source_add_range(&src, 0x1800, sizeof b, 1, 0, sizeof b), 0);
	assert_int_equal(pt_source_add_range(&src, 0x1000, sizeof a, 0, 0, sizeof a), 0);
	assert_int_equal(pt_source_add_range(&src, 0x8000, sizeof a, 0, 0, sizeof a), 0);
	assert_int_equal(pt_source_finish(&src, &sink), 0);

	assert_int_equal(src.nranges, 2);
	assert_int_equal(count_rule(&sink, "SRC-OVERLAP"), 1);
	const struct pt_diag *d = find_rule(&sink, "SRC-OVERLAP");
	assert_non_null(d);
	assert_true(d->has_addr);
	assert_int_equal(d->addr, 0x1800);
	assert_int_equal(d->severity, PT_SEV_WARNING);
	assert_non_null(strstr(d->msg, "0x1800"));
	/* The lower range stays whole; the dropped one's extra part is gone. */
	assert_int_equal(pt_source_read(&src, 0x1ffc, got, 4), PT_READ_OK);
	assert_memory_equal(got, a + 0xffc, 4);
	assert_int_equal(pt_source_read(&src, 0x2000, got, 4), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0x8000, got, 4), PT_READ_OK);
	assert_memory_equal(got, a, 4);
	pt_source_free(&src);
	pt_diag_free(&sink);
}

/* Two ranges at one address: the earlier file wins whatever the file
 * offsets (the later range is the one dropped), however the ranges were
 * added. */
static void test_same_address_earlier_file_wins(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_diag_sink sink;
	uint8_t a[4096], b[4096], got[4];
	pt_diag_init(&sink, "same", NULL);
	pt_source_init(&src, "same");
	source_with_file(&src, "sa.bin", sizeof a, 21, a);
	source_with_file(&src, "sb.bin", sizeof b, 22, b);
	assert_int_equal(pt_source_add_range(&src, 0x1000, 0x800, 1, 0, 0x800), 0);
	assert_int_equal(pt_source_add_range(&src, 0x1000, 0x800, 0, 0x800, 0x800), 0);
	assert_int_equal(pt_source_finish(&src, &sink), 0);
	assert_int_equal(src.nranges, 1);
	assert_int_equal(count_rule(&sink, "SRC-OVERLAP"), 1);
	assert_int_equal(pt_source_read(&src, 0x1000, got, 4), PT_READ_OK);
	assert_memory_equal(got, a + 0x800, 4);
	pt_source_free(&src);
	pt_diag_free(&sink);
}

static void test_open_placed(void **state)
{
	(void)state;
	uint8_t a[4096], b[2000], got[16];
	char pa[512], pb[512], ia[600], ib[600];
	pattern(a, sizeof a, 10);
	pattern(b, sizeof b, 11);
	write_file(pa, sizeof pa, "ram0.bin", a, sizeof a);
	write_file(pb, sizeof pb, "ram1.bin", b, sizeof b);
	snprintf(ia, sizeof ia, "%s@0x80000000", pa);
	snprintf(ib, sizeof ib, "%s@%llu", pb, 0x90000000ull); /* decimal works too */
	const char *inputs[] = { ib, ia };
	struct pt_open_opts opts = { 0 };
	struct pt_diag_sink sink;
	struct pt_source src;
	pt_diag_init(&sink, "placed", NULL);
	pt_source_init(&src, "placed");
	assert_int_equal(pt_source_open(&src, inputs, 2, &opts, &sink), 0);
	assert_int_equal(sink.nitems, 0);
	assert_int_equal(src.kind, PT_SRC_RAW);
	assert_int_equal(src.nfiles, 2);
	assert_string_equal(src.files[0].path, pb);
	assert_int_equal(src.nranges, 2);

	assert_int_equal(pt_source_read(&src, 0x80000ff0, got, 16), PT_READ_OK);
	assert_memory_equal(got, a + 0xff0, 16);
	assert_int_equal(pt_source_read(&src, 0x90000000 + 1990, got, 10), PT_READ_OK);
	assert_memory_equal(got, b + 1990, 10);
	assert_int_equal(pt_source_read(&src, 0x90000000 + 1995, got, 10), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0, got, 1), PT_READ_UNMAPPED);
	pt_source_free(&src);
	pt_diag_free(&sink);
}

static void test_open_base_and_at_in_name(void **state)
{
	(void)state;
	uint8_t a[512], got[4];
	char pa[512];
	pattern(a, sizeof a, 12);
	/* An '@' not followed by a number is part of the file name. */
	write_file(pa, sizeof pa, "img@home.bin", a, sizeof a);
	const char *inputs[] = { pa };
	struct pt_open_opts opts = { .base = 0x40000000 };
	struct pt_diag_sink sink;
	struct pt_source src;
	pt_diag_init(&sink, "base", NULL);
	pt_source_init(&src, "base");
	assert_int_equal(pt_source_open(&src, inputs, 1, &opts, &sink), 0);
	assert_int_equal(pt_source_read(&src, 0x40000000 + 508, got, 4), PT_READ_OK);
	assert_memory_equal(got, a + 508, 4);
	assert_int_equal(pt_source_read(&src, 0x40000000 + 509, got, 4), PT_READ_UNMAPPED);
	pt_source_free(&src);
	pt_diag_free(&sink);
}

static void test_open_placed_overlap(void **state)
{
	(void)state;
	uint8_t a[4096], b[4096], got[4];
	char pa[512], pb[512], ia[600], ib[600];
	pattern(a, sizeof a, 13);
	pattern(b, sizeof b, 14);
	write_file(pa, sizeof pa, "ov0.bin", a, sizeof a);
	write_file(pb, sizeof pb, "ov1.bin", b, sizeof b);
	snprintf(ia, sizeof ia, "%s@0x1000", pa);
	snprintf(ib, sizeof ib, "%s@0x1800", pb);
	const char *inputs[] = { ia, ib };
	struct pt_open_opts opts = { 0 };
	struct pt_diag_sink sink;
	struct pt_source src;
	pt_diag_init(&sink, "ov", NULL);
	pt_source_init(&src, "ov");
	assert_int_equal(pt_source_open(&src, inputs, 2, &opts, &sink), 0);
	assert_int_equal(count_rule(&sink, "SRC-OVERLAP"), 1);
	assert_int_equal(src.nranges, 1);
	assert_int_equal(pt_source_read(&src, 0x1800, got, 4), PT_READ_OK);
	assert_memory_equal(got, a + 0x800, 4);
	pt_source_free(&src);
	pt_diag_free(&sink);
}

static void test_open_errors(void **state)
{
	(void)state;
	char pe[512], pn[512], pw[600];
	write_file(pe, sizeof pe, "empty.bin", "", 0);
	snprintf(pn, sizeof pn, "%s/does-not-exist.bin", tmpdir);
	uint8_t one[16] = { 1 };
	char p1[512];
	write_file(p1, sizeof p1, "sixteen.bin", one, sizeof one);
	snprintf(pw, sizeof pw, "%s@0xfffffffffffffff8", p1);
	struct { const char *input; const char *rule; } cases[] = {
		{ pe, "SRC-EMPTY" },
		{ pn, "SRC-UNREADABLE" },
		{ tmpdir, "SRC-UNREADABLE" },
		{ pw, "SRC-BAD-ADDRESS" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pt_open_opts opts = { 0 };
		struct pt_diag_sink sink;
		struct pt_source src;
		pt_diag_init(&sink, "err", NULL);
		pt_source_init(&src, "err");
		assert_int_equal(pt_source_open(&src, &cases[i].input, 1, &opts, &sink), -1);
		assert_int_equal(count_rule(&sink, cases[i].rule), 1);
		assert_int_equal(pt_diag_errors(&sink), 1);
		pt_source_free(&src);
		pt_diag_free(&sink);
	}
}

/* 64 inputs are read; a 65th is refused with SRC-TOO-MANY before any file
 * is opened (the CLI's option layer says so first; libpasid callers rely
 * on this check). */
static void test_open_at_most_64_inputs(void **state)
{
	(void)state;
	char p1[512];
	uint8_t page[4096] = { 1 };
	write_file(p1, sizeof p1, "page.bin", page, sizeof page);
	static char names[65][600];
	const char *inputs[65];
	for (unsigned i = 0; i < 65; i++) {
		snprintf(names[i], sizeof names[i], "%s@0x%x", p1, (i + 1) * 0x10000);
		inputs[i] = names[i];
	}
	for (size_t n = 64; n <= 65; n++) {
		struct pt_open_opts opts = { 0 };
		struct pt_diag_sink sink;
		struct pt_source src;
		pt_diag_init(&sink, "many", NULL);
		pt_source_init(&src, "many");
		assert_int_equal(pt_source_open(&src, inputs, n, &opts, &sink), n == 64 ? 0 : -1);
		assert_int_equal(count_rule(&sink, "SRC-TOO-MANY"), n == 64 ? 0 : 1);
		assert_int_equal(pt_diag_errors(&sink), n == 64 ? 0 : 1);
		pt_source_free(&src);
		pt_diag_free(&sink);
	}
}

/* Every message line starts with the input's name: a message about that
 * same file does not name it again; one about another file does. */
static void test_open_names_other_files_only(void **state)
{
	(void)state;
	char pe[512], p1[512];
	uint8_t page[4096] = { 1 };
	write_file(pe, sizeof pe, "empty2.bin", "", 0);
	write_file(p1, sizeof p1, "page2.bin", page, sizeof page);
	const char *alone[] = { pe };
	const char *second[] = { p1, pe };
	for (int c = 0; c < 2; c++) {
		struct pt_open_opts opts = { 0 };
		struct pt_diag_sink sink;
		struct pt_source src;
		pt_diag_init(&sink, c ? p1 : pe, NULL);
		pt_source_init(&src, c ? p1 : pe);
		assert_int_equal(pt_source_open(&src, c ? second : alone, c ? 2 : 1, &opts, &sink), -1);
		const struct pt_diag *d = find_rule(&sink, "SRC-EMPTY");
		assert_non_null(d);
		char want[600];
		snprintf(want, sizeof want, "%s%sempty file", c ? pe : "", c ? ": " : "");
		assert_string_equal(d->msg, want);
		pt_source_free(&src);
		pt_diag_free(&sink);
	}
}

/* A stream over --max-input says what it is: /dev/zero (read, never
 * written) is a character device, not a FIFO. */
static void test_open_names_the_kind_of_stream(void **state)
{
	(void)state;
	const char *inputs[] = { "/dev/zero" };
	struct pt_open_opts opts = { 0 };
	opts.max_input = 100;
	struct pt_diag_sink sink;
	struct pt_source src;
	pt_diag_init(&sink, "/dev/zero", NULL);
	pt_source_init(&src, "/dev/zero");
	assert_int_equal(pt_source_open(&src, inputs, 1, &opts, &sink), -1);
	const struct pt_diag *d = find_rule(&sink, "SRC-UNREADABLE");
	assert_non_null(d);
	assert_string_equal(d->msg, "a character device is larger than --max-input (100 bytes)");
	pt_source_free(&src);
	pt_diag_free(&sink);
}

/* A file that only starts like a kdump (the rest zero) is recognised and
 * refused for its header, with the path in the message. */
static void test_open_kdump(void **state)
{
	(void)state;
	uint8_t buf[4096];
	memset(buf, 0, sizeof buf);
	memcpy(buf, "KDUMP   ", 8);
	char pk[512], pd[512];
	write_file(pk, sizeof pk, "vmcore.kdump", buf, sizeof buf);
	memcpy(buf, "DISKDUMP", 8);
	write_file(pd, sizeof pd, "vmcore.diskdump", buf, sizeof buf);
	const char *inputs[] = { pk, pd };
	for (size_t i = 0; i < 2; i++) {
		struct pt_open_opts opts = { 0 };
		struct pt_diag_sink sink;
		struct pt_source src;
		pt_diag_init(&sink, "kdump", NULL);
		pt_source_init(&src, "kdump");
		assert_int_equal(pt_source_open(&src, &inputs[i], 1, &opts, &sink), -1);
		assert_int_equal(count_rule(&sink, "SRC-KDUMP-HEADER"), 1);
		const struct pt_diag *d = find_rule(&sink, "SRC-KDUMP-HEADER");
		assert_int_equal(d->severity, PT_SEV_ERROR);
		assert_non_null(strstr(d->msg, inputs[i]));
		assert_int_equal(src.nranges, 0);
		pt_source_free(&src);
		pt_diag_free(&sink);
	}
}

static void test_page_tracking(void **state)
{
	(void)state;
	uint8_t a[0x4000], got[16];
	char pa[512], ia[600];
	pattern(a, sizeof a, 15);
	write_file(pa, sizeof pa, "track.bin", a, sizeof a);
	snprintf(ia, sizeof ia, "%s@0x80000000", pa);
	const char *inputs[] = { ia };
	struct pt_open_opts opts = { .track_pages = 1 };
	struct pt_diag_sink sink;
	struct pt_source src;
	pt_diag_init(&sink, "track", NULL);
	pt_source_init(&src, "track");
	assert_int_equal(pt_source_open(&src, inputs, 1, &opts, &sink), 0);
	assert_non_null(src.touched);

	assert_int_equal(pt_source_read(&src, 0x80002ffc, got, 8), PT_READ_OK); /* 2 pages */
	assert_int_equal(pt_source_read(&src, 0x80000010, got, 8), PT_READ_OK);
	assert_int_equal(pt_source_read(&src, 0x80000020, got, 8), PT_READ_OK); /* same page */
	assert_int_equal(pt_source_read(&src, 0x90000000, got, 8), PT_READ_UNMAPPED);
	const uint64_t *pages;
	size_t n = pt_pageset_sorted(src.touched, &pages);
	assert_int_equal(n, 3);
	assert_int_equal(pages[0], 0x80000);
	assert_int_equal(pages[1], 0x80002);
	assert_int_equal(pages[2], 0x80003);
	assert_false(pt_pageset_overflowed(src.touched));
	pt_source_free(&src);
	pt_diag_free(&sink);
}

static void test_pageset_edges(void **state)
{
	(void)state;
	struct pt_pageset *set = pt_pageset_new();
	assert_non_null(set);
	const uint64_t *pages;
	assert_int_equal(pt_pageset_sorted(set, &pages), 0);
	pt_pageset_add_range(set, UINT64_MAX - 0x1fff, 0x2000); /* last two pages */
	pt_pageset_add_range(set, 0, 1);
	pt_pageset_add_range(set, 0x5000, 0);                   /* nothing */
	size_t n = pt_pageset_sorted(set, &pages);
	assert_int_equal(n, 3);
	assert_int_equal(pages[0], 0);
	assert_int_equal(pages[1], (UINT64_MAX >> 12) - 1);
	assert_int_equal(pages[2], UINT64_MAX >> 12);
	/* Growth past the first table keeps every page exactly once. */
	for (uint64_t p = 0; p < 5000; p++)
		pt_pageset_add_range(set, p << 12, 1);
	n = pt_pageset_sorted(set, &pages);
	assert_int_equal(n, 5002);
	for (size_t i = 1; i < n; i++)
		assert_true(pages[i] > pages[i - 1]);
	pt_pageset_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_inside),
		cmocka_unit_test(test_read_across_adjacent),
		cmocka_unit_test(test_read_unmapped),
		cmocka_unit_test(test_read_wrap),
		cmocka_unit_test(test_add_range_rejects),
		cmocka_unit_test(test_add_bytes_past_the_file_limit),
		cmocka_unit_test(test_zero_fill),
		cmocka_unit_test(test_overlap_dropped),
		cmocka_unit_test(test_open_placed),
		cmocka_unit_test(test_open_base_and_at_in_name),
		cmocka_unit_test(test_open_placed_overlap),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_open_kdump),
		cmocka_unit_test(test_open_at_most_64_inputs),
		cmocka_unit_test(test_open_names_other_files_only),
		cmocka_unit_test(test_open_names_the_kind_of_stream),
		cmocka_unit_test(test_same_address_earlier_file_wins),
		cmocka_unit_test(test_page_tracking),
		cmocka_unit_test(test_pageset_edges),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}

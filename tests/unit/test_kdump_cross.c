/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The reader pasidtool does not ship, as a cross-check (docs/dumps.md):
 * libkdumpfile reads the files the test writer makes (every method it
 * supports) and must give the same bytes as pasidtool's reader for every
 * RAM page, and no data where pasidtool says the page was excluded. This
 * also checks the writer against a reader written by others. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "kdump_page.h"
#include "source.h"

#include "../tools/kdump_gen.h"
#include "tmpdir.h"

#define BS 4096u
#define MAPNR 300u

static uint8_t pagebuf[6][BS];

static size_t make_pages(struct kg_page *pages)
{
	uint32_t x = 99;
	size_t n = 0;
	for (unsigned p = 0; p < 6; p++)
		for (unsigned i = 0; i < BS; i++) {
			x = x * 1103515245u + 12345u;
			pagebuf[p][i] = (uint8_t)(p == 5 ? 0 : (p & 1 ? x >> 16 : i / (p + 1)));
		}
	/* RAM at pfns 16..271; every 7th page excluded, one in 5 zero. */
	for (uint64_t pfn = 16; pfn < 272; pfn++)
		pages[n++] = (struct kg_page){ pfn, pfn % 7 == 0 ? NULL : pagebuf[pfn % 6] };
	return n;
}

static void cross_check(uint32_t method, int zero_page)
{
	struct kg_page pages[MAPNR];
	size_t n = make_pages(pages);
	struct kg_opts o = { 0 };
	o.block = BS;
	o.version = 6;
	o.max_mapnr = MAPNR;
	o.method = method;
	o.zero_page = zero_page;
	o.machine = "x86_64";
	o.release = "6.1.0-cross";
	uint8_t *buf;
	size_t len = kg_write(&o, pages, n, &buf);
	char path[512];
	snprintf(path, sizeof path, "%s/cross-%u-%d.kd", tmpdir, method, zero_page);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);

	kdump_ctx_t *ctx = kdump_new();
	assert_non_null(ctx);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	if (kdump_open_fd(ctx, fd) != KDUMP_OK)
		fail_msg("libkdumpfile: %s", kdump_get_err(ctx));

	struct pt_source src;
	struct pt_diag_sink sink;
	pt_diag_init(&sink, path, NULL);
	pt_source_init(&src, path);
	uint32_t file = (uint32_t)pt_source_add_buffer(&src, path, buf, len);
	assert_int_equal(pt_source_add_kdump(&src, &file, 1, &sink), 0);
	assert_int_equal(pt_source_finish(&src, &sink), 0);

	unsigned same = 0, excluded = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t mine[BS], theirs[BS];
		size_t got = BS;
		uint64_t addr = pages[i].pfn * BS;
		kdump_status st = kdump_read(ctx, KDUMP_MACHPHYSADDR, addr, theirs, &got);
		enum pt_read_status rs = pt_source_read(&src, addr, mine, BS);
		if (!pages[i].data) {
			assert_int_equal(rs, PT_READ_EXCLUDED);
			assert_int_not_equal(st, KDUMP_OK);
			excluded++;
			continue;
		}
		assert_int_equal(rs, PT_READ_OK);
		if (st != KDUMP_OK)
			fail_msg("libkdumpfile: pfn %llu: %s", (unsigned long long)pages[i].pfn,
				 kdump_get_err(ctx));
		assert_int_equal(got, BS);
		assert_memory_equal(mine, theirs, BS);
		assert_memory_equal(mine, pages[i].data, BS);
		same++;
	}
	assert_true(same > 200 && excluded > 30);
	pt_source_free(&src);
	pt_diag_free(&sink);
	kdump_free(ctx);
	close(fd);
	free(buf);
}

static void test_cross_none(void **state) { (void)state; cross_check(0, 0); cross_check(0, 1); }
static void test_cross_zlib(void **state) { (void)state; cross_check(PT_KDUMP_ZLIB, 1); }
static void test_cross_lzo(void **state) { (void)state; cross_check(PT_KDUMP_LZO, 1); }
static void test_cross_snappy(void **state) { (void)state; cross_check(PT_KDUMP_SNAPPY, 0); }
static void test_cross_zstd(void **state) { (void)state; cross_check(PT_KDUMP_ZSTD, 1); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cross_none),
		cmocka_unit_test(test_cross_zlib),
		cmocka_unit_test(test_cross_lzo),
		cmocka_unit_test(test_cross_snappy),
		cmocka_unit_test(test_cross_zstd),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}

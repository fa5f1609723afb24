/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pt_source_probe and the range kinds behind it: file data, zero tails,
 * excluded ranges, page providers, unmapped gaps, runs across touching ranges. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "source.h"

static uint8_t bytes[0x4000];

/* A source over the static bytes (file 0). */
static void source_on_bytes(struct pt_source *src)
{
	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (uint8_t)(i * 13u + 1);
	pt_source_init(src, "probe");
	assert_int_equal(pt_source_add_buffer(src, "probe", bytes, sizeof bytes), 0);
}

static void test_file_data_then_zero(void **state)
{
	(void)state;
	struct pt_source src;
	uint64_t run;
	source_on_bytes(&src);
	/* 0x1000 bytes of data, then 0x3000 zero-filled (p_memsz > p_filesz). */
	assert_int_equal(pt_source_add_range(&src, 0x10000, 0x4000, 0, 0, 0x1000), 0);
	assert_int_equal(pt_source_finish(&src, NULL), 0);

	assert_int_equal(pt_source_probe(&src, 0x10000, &run), PT_MEM_DATA);
	assert_int_equal(run, 0x1000);
	assert_int_equal(pt_source_probe(&src, 0x10fff, &run), PT_MEM_DATA);
	assert_int_equal(run, 1);
	assert_int_equal(pt_source_probe(&src, 0x11000, &run), PT_MEM_ZERO);
	assert_int_equal(run, 0x3000);
	assert_int_equal(pt_source_probe(&src, 0x13fff, &run), PT_MEM_ZERO);
	assert_int_equal(run, 1);
	/* Below the range: unmapped up to its start; above: to the top. */
	assert_int_equal(pt_source_probe(&src, 0xffff, &run), PT_MEM_UNMAPPED);
	assert_int_equal(run, 1);
	assert_int_equal(pt_source_probe(&src, 0, &run), PT_MEM_UNMAPPED);
	assert_int_equal(run, 0x10000);
	assert_int_equal(pt_source_probe(&src, 0x14000, &run), PT_MEM_UNMAPPED);
	assert_int_equal(run, UINT64_MAX - 0x14000 + 1);
	assert_int_equal(pt_source_probe(&src, UINT64_MAX, &run), PT_MEM_UNMAPPED);
	assert_int_equal(run, 1);
	pt_source_free(&src);
}

static void test_empty_source_saturates(void **state)
{
	(void)state;
	struct pt_source src;
	uint64_t run;
	pt_source_init(&src, "none");
	assert_int_equal(pt_source_probe(&src, 0, &run), PT_MEM_UNMAPPED);
	assert_int_equal(run, UINT64_MAX);
	assert_int_equal(pt_source_probe(&src, 1, &run), PT_MEM_UNMAPPED);
	assert_int_equal(run, UINT64_MAX);
	pt_source_free(&src);
}

static void test_runs_join_touching_ranges(void **state)
{
	(void)state;
	struct pt_source src;
	uint64_t run;
	source_on_bytes(&src);
	/* Two data ranges that touch, then a zero tail, then a zero range
	 * touching it: the data run spans both, the zero run spans both tails. */
	assert_int_equal(pt_source_add_range(&src, 0x1000, 0x800, 0, 0, 0x800), 0);
	assert_int_equal(pt_source_add_range(&src, 0x1800, 0x1000, 0, 0x800, 0x800), 0);
	assert_int_equal(pt_source_add_range(&src, 0x2800, 0x800, 0, 0x1000, 0), 0);
	/* A gap, then a data range: the zero run stops at the gap. */
	assert_int_equal(pt_source_add_range(&src, 0x4000, 0x100, 0, 0, 0x100), 0);
	assert_int_equal(pt_source_finish(&src, NULL), 0);

	assert_int_equal(pt_source_probe(&src, 0x1000, &run), PT_MEM_DATA);
	assert_int_equal(run, 0x1000);
	assert_int_equal(pt_source_probe(&src, 0x2000, &run), PT_MEM_ZERO);
	assert_int_equal(run, 0x1000);
	assert_int_equal(pt_source_probe(&src, 0x3000, &run), PT_MEM_UNMAPPED);
	assert_int_equal(run, 0x1000);
	assert_int_equal(pt_source_probe(&src, 0x4000, &run), PT_MEM_DATA);
	assert_int_equal(run, 0x100);
	pt_source_free(&src);
}

static void test_excluded_range(void **state)
{
	(void)state;
	struct pt_source src;
	uint64_t run;
	uint8_t got[16];
	source_on_bytes(&src);
	assert_int_equal(pt_source_add_range(&src, 0x1000, 0x1000, 0, 0, 0x1000), 0);
	assert_int_equal(pt_source_add_excluded(&src, 0x2000, 0x2000, 0), 0);
	assert_int_equal(pt_source_add_excluded(&src, 0x5000, 0, 0), -1);
	assert_int_equal(pt_source_add_excluded(&src, UINT64_MAX, 2, 0), -1);
	assert_int_equal(pt_source_add_excluded(&src, 0x5000, 1, 1), -1);
	assert_int_equal(pt_source_finish(&src, NULL), 0);

	assert_int_equal(pt_source_probe(&src, 0x2000, &run), PT_MEM_EXCLUDED);
	assert_int_equal(run, 0x2000);
	assert_int_equal(pt_source_probe(&src, 0x3fff, &run), PT_MEM_EXCLUDED);
	assert_int_equal(run, 1);
	/* A read touching excluded memory says so, not "outside the dump". */
	assert_int_equal(pt_source_read(&src, 0x1ff8, got, 16), PT_READ_EXCLUDED);
	assert_int_equal(pt_source_read(&src, 0x1ff0, got, 16), PT_READ_OK);
	assert_memory_equal(got, bytes + 0xff0, 16);
	assert_int_equal(pt_source_read(&src, 0x3ff8, got, 16), PT_READ_EXCLUDED);
	assert_int_equal(pt_source_read(&src, 0x4000, got, 1), PT_READ_UNMAPPED);
	assert_false(pt_source_covers(&src, 0x1ff8, 16));
	assert_true(pt_source_covers(&src, 0x1000, 0x1000));
	assert_null(pt_source_direct(&src, 0x2000, 8));
	pt_source_free(&src);
}

/* A provider over [0x100000, 0x108000): pages alternate data (bytes of the
 * address), zero, excluded, hole; it counts its frees. */
static int fake_frees;

static enum pt_mem_kind fake_probe(void *ctx, uint64_t addr, uint64_t *run)
{
	(void)ctx;
	static const enum pt_mem_kind cycle[4] = { PT_MEM_DATA, PT_MEM_ZERO, PT_MEM_EXCLUDED,
						   PT_MEM_UNMAPPED };
	*run = 0x1000 - (addr & 0xfff);
	return cycle[(addr >> 12) & 3];
}

static enum pt_read_status fake_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	uint8_t *out = buf;
	while (len) {
		uint64_t run;
		enum pt_mem_kind k = fake_probe(ctx, addr, &run);
		size_t n = len < run ? len : (size_t)run;
		if (k == PT_MEM_EXCLUDED)
			return PT_READ_EXCLUDED;
		if (k == PT_MEM_UNMAPPED)
			return PT_READ_UNMAPPED;
		for (size_t i = 0; i < n; i++)
			out[i] = k == PT_MEM_DATA ? (uint8_t)(addr + i) : 0;
		out += n;
		addr += n;
		len -= n;
	}
	return PT_READ_OK;
}

static void fake_free(void *ctx)
{
	(void)ctx;
	fake_frees++;
}

static const struct pt_provider_ops fake_ops = { fake_probe, fake_read, fake_free };

static void test_provider_range(void **state)
{
	(void)state;
	struct pt_source src;
	uint64_t run;
	uint8_t got[32];
	fake_frees = 0;
	source_on_bytes(&src);
	assert_int_equal(pt_source_add_provider(&src, 0x100000, 0x8000, 0, &fake_ops, NULL), 0);
	assert_int_equal(pt_source_add_provider(&src, 0x200000, 0x1000, 0, NULL, NULL), -1);
	assert_int_equal(pt_source_finish(&src, NULL), 0);

	assert_int_equal(pt_source_probe(&src, 0x100010, &run), PT_MEM_DATA);
	assert_int_equal(run, 0xff0);
	assert_int_equal(pt_source_probe(&src, 0x101000, &run), PT_MEM_ZERO);
	assert_int_equal(pt_source_probe(&src, 0x102000, &run), PT_MEM_EXCLUDED);
	assert_int_equal(pt_source_probe(&src, 0x103000, &run), PT_MEM_UNMAPPED);
	assert_int_equal(run, 0x1000);
	/* The last page of the range: the run stops at the range's end. */
	assert_int_equal(pt_source_probe(&src, 0x107800, &run), PT_MEM_UNMAPPED);
	assert_int_equal(run, 0x800);

	assert_int_equal(pt_source_read(&src, 0x100ff0, got, 32), PT_READ_OK);
	assert_int_equal(got[0], 0xf0);
	assert_int_equal(got[15], 0xff);
	assert_int_equal(got[16], 0);
	assert_int_equal(pt_source_read(&src, 0x101ff0, got, 32), PT_READ_EXCLUDED);
	assert_int_equal(pt_source_read(&src, 0x103000, got, 1), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0x107fff, got, 2), PT_READ_UNMAPPED);
	assert_true(pt_source_covers(&src, 0x100000, 0x2000));
	assert_false(pt_source_covers(&src, 0x100000, 0x2001));
	assert_null(pt_source_direct(&src, 0x100000, 8));
	pt_source_free(&src);
	assert_int_equal(fake_frees, 1);
}

static void test_overlapping_provider_freed(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_diag_sink sink;
	fake_frees = 0;
	pt_diag_init(&sink, "probe", NULL);
	source_on_bytes(&src);
	assert_int_equal(pt_source_add_range(&src, 0x100000, 0x1000, 0, 0, 0x1000), 0);
	assert_int_equal(pt_source_add_provider(&src, 0x100800, 0x8000, 0, &fake_ops, NULL), 0);
	assert_int_equal(pt_source_finish(&src, &sink), 0);
	assert_int_equal(src.nranges, 1);
	/* Dropped as an overlap: its context is freed then, not leaked. */
	assert_int_equal(fake_frees, 1);
	pt_source_free(&src);
	assert_int_equal(fake_frees, 1);
	pt_diag_free(&sink);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_data_then_zero),
		cmocka_unit_test(test_empty_source_saturates),
		cmocka_unit_test(test_runs_join_touching_ranges),
		cmocka_unit_test(test_excluded_range),
		cmocka_unit_test(test_provider_range),
		cmocka_unit_test(test_overlapping_provider_freed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

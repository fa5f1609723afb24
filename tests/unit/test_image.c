/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An image whose regions live in a scratch file (pt_image_use_file): the
 * bytes written survive their pages being handed back, whether the region
 * was new or written again later, and the raw file written from it is the
 * one an image in memory gives. An image in memory closes no descriptor
 * it does not own. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"
#include "tmpdir.h"

#define MIB (UINT64_C(1) << 20)

/* Regions of 1 MiB at 16 MiB apart, each filled with its own byte. */
static void fill(struct pt_image *img, unsigned n)
{
	char err[200];
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = pt_image_alloc(img, UINT64_C(0x10000000) + i * 16 * MIB, MIB, err,
					    sizeof err);
		assert_non_null(p);
		memset(p, 0x11 + (int)i, MIB);
	}
}

static void check(const struct pt_image *img, unsigned n, int changed)
{
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *p = pt_image_at(img, UINT64_C(0x10000000) + i * 16 * MIB, MIB);
		assert_non_null(p);
		uint8_t want = (uint8_t)(i == 0 && changed ? 0xee : 0x11 + i);
		for (uint64_t k = 0; k < MIB; k += 4093)
			assert_int_equal(p[k], want);
		assert_int_equal(p[MIB - 1], want);
	}
}

static void bytes_survive_release(void **state)
{
	(void)state;
	struct pt_image img;
	char err[200];
	pt_image_init(&img);
	assert_int_equal(pt_image_use_file(&img, err, sizeof err), 0);
	fill(&img, 9);  /* past two automatic releases */
	assert_int_equal(img.file_end, 9 * MIB);
	check(&img, 9, 0);
	pt_image_release(&img);
	check(&img, 9, 0);
	/* Region 0 written again after its release: kept, then handed back. */
	pt_image_touched(&img, 0);
	memset(pt_image_at(&img, UINT64_C(0x10000000), MIB), 0xee, MIB);
	for (unsigned i = 1; i < 9; i++)
		pt_image_touched(&img, i);
	check(&img, 9, 1);
	pt_image_release(&img);
	check(&img, 9, 1);
	pt_image_free(&img);
	assert_int_equal(img.n, 0);
	assert_int_equal(img.fd, -1);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	char *b = malloc(*len + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, *len, f), *len);
	fclose(f);
	return b;
}

static void raw_file_as_from_memory(void **state)
{
	(void)state;
	struct pt_image a, b;
	char err[200], pa[512], pb[512];
	uint64_t data;
	pt_image_init(&a);
	pt_image_init(&b);
	assert_int_equal(pt_image_use_file(&a, err, sizeof err), 0);
	fill(&a, 3);
	fill(&b, 3);
	snprintf(pa, sizeof pa, "%s/a.bin", tmpdir);
	snprintf(pb, sizeof pb, "%s/b.bin", tmpdir);
	assert_int_equal(pt_image_write_raw(&a, pa, UINT64_C(0x10000000), 48 * MIB, &data, err,
					    sizeof err), 0);
	assert_int_equal(pt_image_write_raw(&b, pb, UINT64_C(0x10000000), 48 * MIB, &data, err,
					    sizeof err), 0);
	size_t la, lb;
	char *ba = slurp(pa, &la), *bb = slurp(pb, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(ba, bb, la);
	free(ba);
	free(bb);
	/* Written out, the scratch image still reads. */
	check(&a, 3, 0);
	pt_image_free(&a);
	pt_image_free(&b);
}

/* A second call once regions exist is refused (they are on the heap). */
static void use_file_before_regions_only(void **state)
{
	(void)state;
	struct pt_image img;
	char err[200];
	pt_image_init(&img);
	fill(&img, 1);
	assert_int_not_equal(pt_image_use_file(&img, err, sizeof err), 0);
	pt_image_free(&img);
	/* An image in memory never had a descriptor: stdin stays open. */
	assert_int_not_equal(fcntl(0, F_GETFD), -1);
}

/* Mappings of the scratch file (its name stays in /proc/self/maps after
 * the unlink); other mappings come and go with the allocator. */
static unsigned scratch_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	assert_non_null(f);
	unsigned n = 0;
	char line[4096];
	while (fgets(line, sizeof line, f))
		n += strstr(line, "/pasidtool-image-") != NULL;
	fclose(f);
	return n;
}

/* Regions share the scratch file's one mapping: a mapping each would stop
 * a build at vm.max_map_count (65530 by default), below the 65536 regions
 * an image may hold. Regions of one byte, a page apart. */
static void one_mapping_for_all_regions(void **state)
{
	(void)state;
	struct pt_image img;
	char err[200];
	pt_image_init(&img);
	assert_int_equal(pt_image_use_file(&img, err, sizeof err), 0);
	for (unsigned i = 0; i < 200; i++) {
		uint8_t *p = pt_image_alloc(&img, UINT64_C(0x10000000) + i * 4096u * 16, 1, err,
					    sizeof err);
		assert_non_null(p);
		*p = (uint8_t)i;
	}
	assert_int_equal(scratch_mappings(), 1);
	for (unsigned i = 0; i < 200; i++)
		assert_int_equal(*pt_image_at(&img, UINT64_C(0x10000000) + i * 4096u * 16, 1),
				 (uint8_t)i);
	pt_image_free(&img);
	assert_int_equal(scratch_mappings(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bytes_survive_release),
		cmocka_unit_test(raw_file_as_from_memory),
		cmocka_unit_test(use_file_before_regions_only),
		cmocka_unit_test(one_mapping_for_all_regions),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}

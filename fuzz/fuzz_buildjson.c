/* SPDX-License-Identifier: GPL-2.0-or-later */
/* buildjson: JSON build descriptions (core/build.c, the emit.c JSON readers)
 * as `pasidtool build` reads them: json_loadb with duplicate keys refused,
 * then pt_build_table_cfg + pt_build_table for every table in turn.
 *
 * Input: the JSON text. The built image must be well-formed (disjoint
 * regions, total counted, each found by pt_image_at), and pt_image_free_at
 * must name free space. The custom mutator works on the parsed tree
 * (fuzz/json_mutator.h). */
#include "fuzz.h"
#include "json_mutator.h"

/* A description may ask for up to 2^20 entries; 64 MiB root tables are
 * legal but slow the fuzzer down without new paths. */
#define MAX_ROOT (UINT64_C(4) << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	json_error_t je;
	json_t *spec = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!spec)
		return 0;
	if (json_is_object(spec)) {
		struct pt_image img;
		static struct fz_build b;
		pt_image_init(&img);
		int rc = fz_build_spec(spec, &img, &b, UINT64_MAX, MAX_ROOT);
		FZ_CHECK(rc != -1 || b.err[0], "a build failed without saying why");
		fz_check_image(&img);
		uint64_t lo, end;
		pt_image_extent(&img, &lo, &end);
		if (img.n) {
			uint64_t align = UINT64_C(1) << (size % 17);
			uint64_t want = 0x1000;
			uint64_t at = pt_image_free_at(&img, lo, want, align);
			if (at + want > at) {
				FZ_CHECK((at & (align - 1)) == 0, "free_at 0x%llx not aligned",
					 (unsigned long long)at);
				for (size_t i = 0; i < img.n; i++) {
					const struct pt_image_region *r = &img.regions[i];
					FZ_CHECK(at - r->addr >= r->size && r->addr - at >= want,
						 "free_at 0x%llx overlaps the region at 0x%llx",
						 (unsigned long long)at, (unsigned long long)r->addr);
				}
			}
		}
		pt_image_free(&img);
	}
	json_decref(spec);
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	return fz_json_mutate(data, size, max_size, seed);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* buildjson: JSON build descriptions (core/build.c, the emit.c JSON readers)
 * read two ways: whole by jansson (json_loadb with duplicate keys refused,
 * then pt_build_spec), and an entry at a time as `pasidtool build` reads
 * them (core/json_stream.c, core/build_stream.c, the fast item reader
 * core/json_item.c).
 *
 * Input: the JSON text. The built image must be well-formed (disjoint
 * regions, total counted, each found by pt_image_at), and pt_image_free_at
 * must name free space. The two readings must agree: a document jansson
 * refuses is refused streamed; one built whole is built streamed into the
 * same image (unless the streamed reader says a setting came after the
 * entries it had built). The input is also read as one table item by the
 * fast reader: where it answers, jansson + pt_struct_from_json give the
 * same index and bytes. The custom mutator works on the parsed tree
 * (fuzz/json_mutator.h). */
#include <stdio.h>

#include "build_stream.h"
#include "fuzz.h"
#include "json_item.h"
#include "json_mutator.h"
#include "smmuv3.h"

/* A description may ask for up to 2^20 entries; 64 MiB root tables are
 * legal but slow the fuzzer down without new paths. */
#define MAX_ROOT (UINT64_C(4) << 20)

static int same_image(const struct pt_image *a, const struct pt_image *b)
{
	if (a->n != b->n || a->total != b->total)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct pt_image_region *r = &a->regions[i];
		if (pt_image_at(b, r->addr, r->size) == NULL ||
		    memcmp(pt_image_at(b, r->addr, r->size), r->data, r->size) != 0)
			return 0;
	}
	return 1;
}

/* The streamed reading of the same bytes: its return code; img built. */
static int build_streamed(const uint8_t *data, size_t size, struct pt_image *img, char *err,
			  size_t errlen, int *order_error)
{
	static struct pt_built_table out[FZ_BUILD_MAX_TABLES];
	struct pt_build_limits lim = { UINT64_MAX, MAX_ROOT };
	FILE *f = fmemopen((void *)(uintptr_t)data, size ? size : 1, "rb");
	if (!f)
		return PT_BS_BUILD;
	if (!size)
		fgetc(f);  /* fmemopen refuses 0 bytes: read the 1 away */
	struct pt_jstream s;
	json_t *spec = NULL;
	size_t n = 0;
	pt_js_init(&s, f, size + 1);
	int rc = pt_build_spec_stream(&s, img, &lim, 1, out, FZ_BUILD_MAX_TABLES, &n, &spec, err,
				      errlen);
	FZ_CHECK(rc != PT_BS_JSON || s.failed, "a JSON error without a position");
	FZ_CHECK(rc != PT_BS_BUILD || err[0], "a build failed without saying why");
	*order_error = rc == PT_BS_JSON && strstr(s.err, "comes after") != NULL;
	pt_built_free(out, n);
	json_decref(spec);
	pt_js_free(&s);
	fclose(f);
	return rc;
}

/* The fast item reader against jansson on the whole input as one item. */
static void check_item_reader(const uint8_t *data, size_t size)
{
	const struct pt_struct *st = size % 2 ? smmu_cd_format.entry : smmu_cd_format.dir;
	const char *idkey = size % 2 ? "ssid" : "index";
	static struct pt_item_text it;
	uint8_t fast[PT_MAX_ENTRY_SIZE], slow[PT_MAX_ENTRY_SIZE];
	size_t used = pt_item_text_read(st, idkey, (const char *)data, size, &it);
	if (!used)
		return;
	memset(fast, 0, sizeof fast);
	if (!it.has_raw)
		smmu_cd_format.entry_defaults(fast);
	memcpy(slow, fast, sizeof slow);
	int fast_rc = pt_item_text_apply(st, &it, fast);
	json_error_t je;
	json_t *item = json_loadb((const char *)data, used, JSON_REJECT_DUPLICATES, &je);
	FZ_CHECK(item != NULL, "the fast reader took %zu bytes jansson refuses: %s", used,
		 je.text);
	uint64_t index;
	char err[200];
	FZ_CHECK(pt_json_u64(json_object_get(item, idkey), &index) == 0 && index == it.index,
		 "the fast reader's index differs");
	FZ_CHECK(!!json_object_get(item, "raw") == it.has_raw, "\"raw\" seen differently");
	const json_t *ja = json_object_get(item, "address");
	uint64_t addr;
	FZ_CHECK(!!ja == it.has_address, "\"address\" seen differently");
	FZ_CHECK(!ja || (pt_json_u64(ja, &addr) == 0 && addr == it.address),
		 "the fast reader's address differs");
	int slow_rc = pt_struct_from_json(st, item, slow, err, sizeof err);
	FZ_CHECK((fast_rc == 0) == (slow_rc == 0), "fast %d, jansson %d (%s)", fast_rc, slow_rc,
		 err);
	FZ_CHECK(fast_rc != 0 || memcmp(fast, slow, st->size) == 0, "the item's bytes differ");
	json_decref(item);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	json_error_t je;
	json_t *spec = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	check_item_reader(data, size);
	struct pt_image simg;
	char serr[512];
	int order = 0;
	pt_image_init(&simg);
	int src = build_streamed(data, size, &simg, serr, sizeof serr, &order);
	fz_check_image(&simg);
	FZ_CHECK(spec || src != PT_BS_OK, "jansson refuses what the streamed reader took");
	if (!spec) {
		pt_image_free(&simg);
		return 0;
	}
	FZ_CHECK(json_is_object(spec) == (src != PT_BS_NOT_OBJECT), "object or not, differently");
	if (json_is_object(spec)) {
		struct pt_image img;
		static struct fz_build b;
		pt_image_init(&img);
		int rc = fz_build_spec(spec, &img, &b, UINT64_MAX, MAX_ROOT);
		const json_t *tables = json_object_get(spec, "tables");
		int comparable = !order && !(json_is_array(tables) &&
					     json_array_size(tables) > FZ_BUILD_MAX_TABLES);
		FZ_CHECK(!comparable || (rc == 0) == (src == 0),
			 "whole: %d (%s), streamed: %d (%s)", rc, b.err, src, serr);
		FZ_CHECK(!comparable || rc != 0 || same_image(&img, &simg),
			 "the streamed build's image differs");
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
	pt_image_free(&simg);
	json_decref(spec);
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	return fz_json_mutate(data, size, max_size, seed);
}

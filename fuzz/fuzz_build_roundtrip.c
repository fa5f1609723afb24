/* SPDX-License-Identifier: GPL-2.0-or-later */
/* build_roundtrip: build -> decode --json -> build must give the same bytes.
 *
 * Input: a JSON build description. When `pasidtool build` would accept it,
 * the image is built (image 1), read back through a source (one buffer, one
 * range per region), every table of the description decoded to JSON with
 * the same library calls as decode --json (fz_decode_table, fuzz.h), that
 * JSON built again as `pasidtool build` reads it, streamed (image 2).
 * Image 2 must have the same regions holding the same bytes, reserved bits
 * included (DESIGN.md §5). Any disagreement aborts. */
#include "build_stream.h"
#include "fuzz.h"
#include "json_mutator.h"

/* Walks read every entry: keep tables small enough for thousands of runs a
 * second. */
#define MAX_ENTRIES (UINT64_C(1) << 14)
#define MAX_ROOT (UINT64_C(1) << 20)

/* The image as decode sees a raw dump of it: all regions in one buffer. */
static uint8_t *image_source(const struct pt_image *img, struct pt_source *src)
{
	uint8_t *buf = malloc(img->total ? img->total : 1);
	if (!buf)
		abort();
	pt_source_init(src, "image1");
	FZ_CHECK(pt_source_add_buffer(src, "image1", buf, img->total) == 0, "add_buffer");
	uint64_t off = 0;
	for (size_t i = 0; i < img->n; i++) {
		const struct pt_image_region *r = &img->regions[i];
		memcpy(buf + off, r->data, r->size);
		FZ_CHECK(pt_source_add_range(src, r->addr, r->size, 0, off, r->size) == 0,
			 "region %zu at 0x%llx cannot be a range", i, (unsigned long long)r->addr);
		off += r->size;
	}
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "image1", NULL);
	FZ_CHECK(pt_source_finish(src, &diags) == 0 && diags.nitems == 0,
		 "the built image's regions overlap");
	pt_diag_free(&diags);
	return buf;
}

static char *decode_all(const struct fz_build *b, struct pt_source *src, size_t *len)
{
	char *out = NULL;
	FILE *f = open_memstream(&out, len);
	if (!f)
		abort();
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "image1", NULL);
	struct fz_decode d;
	memset(&d, 0, sizeof d);
	d.emit.out = f;
	d.emit.json = 1;
	json_t *source = json_object();
	json_object_set_new(source, "kind", json_string("raw"));
	pt_emit_begin(&d.emit, "pasidtool.decode/1", source);
	for (size_t i = 0; i < b->ncfg; i++) {
		struct pt_walk w;
		FZ_CHECK(fz_decode_table(&d, &w, src, &b->cfg[i], &diags) == 0,
			 "table %zu was built but cannot be walked", i);
	}
	pt_emit_end(&d.emit, &diags, NULL);
	fclose(f);
	pt_diag_free(&diags);
	return out;
}

/* The offset of the first of n bytes at p that differs from other's (from
 * zero when other is NULL); n when none does. Words at a time: images hold
 * up to megabytes, and a compare per byte was most of an execution. */
static uint64_t first_difference(const uint8_t *p, const uint8_t *other, uint64_t n)
{
	uint64_t x = 0;
	if (other) {
		if (memcmp(p, other, n) == 0)
			return n;
	} else {
		for (uint64_t w; x + 8 <= n; x += 8) {
			memcpy(&w, p + x, 8);
			if (w)
				break;
		}
	}
	while (x < n && p[x] == (other ? other[x] : 0))
		x++;
	return x;
}

/* Every byte of a's regions equals b's byte at that address, or is zero
 * where b has no region (a raw image holds zeros in the gaps). */
static void covered_by(const struct pt_image *a, const struct pt_image *b, const char *what,
		       const char *json, size_t len)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct pt_image_region *r = &a->regions[i];
		uint64_t k = 0;
		while (k < r->size) {
			uint64_t addr = r->addr + k, run = r->size - k;
			const uint8_t *other = NULL;
			for (size_t j = 0; j < b->n; j++) {
				const struct pt_image_region *q = &b->regions[j];
				if (addr - q->addr < q->size) {
					other = q->data + (addr - q->addr);
					if (q->size - (addr - q->addr) < run)
						run = q->size - (addr - q->addr);
					break;
				}
				if (q->addr > addr && q->addr - addr < run)
					run = q->addr - addr;
			}
			uint64_t x = first_difference(r->data + k, other, run);
			FZ_CHECK(x == run, "byte at 0x%llx: %s 0x%02x, the other image 0x%02x\n%.*s",
				 (unsigned long long)(addr + x), what, x < run ? r->data[k + x] : 0,
				 x < run && other ? other[x] : 0, (int)(len > 4000 ? 4000 : len),
				 json);
			k += run;
		}
	}
}

static void compare(const struct pt_image *a, const struct pt_image *b, const char *json,
		    size_t len)
{
	covered_by(a, b, "built", json, len);
	covered_by(b, a, "decoded and rebuilt", json, len);
}

/* decode's JSON built again as `pasidtool build` reads it: streamed, an
 * entry at a time (core/build_stream.c), the punctuation between values
 * checked, each entry read by the fast item reader or jansson. Reading the
 * whole document with jansson first took a fifth of an execution; the
 * buildjson harness holds the two readings to the same image. */
static void rebuild(const char *text, size_t len, struct pt_image *img)
{
	static struct pt_built_table out[FZ_BUILD_MAX_TABLES];
	struct pt_build_limits lim = { UINT64_MAX, UINT64_MAX };
	FZ_CHECK(len > 0, "decode printed nothing");
	FILE *f = fmemopen((void *)(uintptr_t)text, len, "rb");
	if (!f)
		abort();
	struct pt_jstream s;
	json_t *spec = NULL;
	size_t n = 0;
	char err[512] = "";
	pt_js_init(&s, f, len + 1);
	int rc = pt_build_spec_stream(&s, img, &lim, 0, out, FZ_BUILD_MAX_TABLES, &n, &spec, err,
				      sizeof err);
	FZ_CHECK(rc == PT_BS_OK, "decode output does not build (%d): %s%s (line %lu col %lu)\n%.*s",
		 rc, err, s.err, s.err_line, s.err_column, (int)(len > 4000 ? 4000 : len), text);
	pt_built_free(out, n);
	json_decref(spec);
	pt_js_free(&s);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	json_error_t je;
	json_t *spec = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!spec)
		return 0;
	static struct fz_build b1;
	struct pt_image img1, img2;
	pt_image_init(&img1);
	pt_image_init(&img2);
	if (!json_is_object(spec) || fz_build_spec(spec, &img1, &b1, MAX_ENTRIES, MAX_ROOT) != 0)
		goto out;
	fz_check_image(&img1);
	struct pt_source src;
	uint8_t *buf = image_source(&img1, &src);
	size_t len;
	char *text = decode_all(&b1, &src, &len);
	pt_source_free(&src);
	free(buf);
	rebuild(text, len, &img2);
	compare(&img1, &img2, text, len);
	free(text);
out:
	pt_image_free(&img1);
	pt_image_free(&img2);
	json_decref(spec);
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	return fz_json_mutate(data, size, max_size, seed);
}

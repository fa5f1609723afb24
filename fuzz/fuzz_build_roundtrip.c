/* SPDX-License-Identifier: GPL-2.0-or-later */
/* build_roundtrip: build -> decode --json -> build must give the same bytes.
 *
 * Input: a JSON build description. When `pasidtool build` would accept it,
 * the image is built (image 1), read back through a source (one buffer, one
 * range per region), every table of the description decoded to JSON with
 * the same library calls as decode --json (fz_decode_table, fuzz.h), that
 * JSON parsed and built again (image 2). Image 2 must have the same regions
 * holding the same bytes, reserved bits included (DESIGN.md §5). Any
 * disagreement aborts. */
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
			for (uint64_t x = 0; x < run; x++) {
				uint8_t want = other ? other[x] : 0;
				FZ_CHECK(r->data[k + x] == want,
					 "byte at 0x%llx: %s 0x%02x, the other image 0x%02x\n%.*s",
					 (unsigned long long)(addr + x), what, r->data[k + x], want,
					 (int)(len > 4000 ? 4000 : len), json);
			}
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	json_error_t je;
	json_t *spec = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!spec)
		return 0;
	static struct fz_build b1, b2;
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
	json_t *decoded = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	FZ_CHECK(decoded, "decode printed invalid JSON: %s\n%.*s", je.text,
		 (int)(len > 4000 ? 4000 : len), text);
	int rc = fz_build_spec(decoded, &img2, &b2, UINT64_MAX, UINT64_MAX);
	FZ_CHECK(rc == 0, "decode output does not build: %s\n%.*s", b2.err,
		 (int)(len > 4000 ? 4000 : len), text);
	compare(&img1, &img2, text, len);
	json_decref(decoded);
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

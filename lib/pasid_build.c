/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building: a JSON description in memory, read an entry at a time by the
 * builder `pasidtool build` uses, laid out into one buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "build_stream.h"

/* The largest JSON value held whole, as build's. */
#define SPEC_MAX_VALUE ((size_t)1 << 30)

static int read_spec(FILE *f, struct pt_image *img, json_t **spec, pasid_error *err)
{
	struct pt_built_table *built = calloc(PT_BUILD_MAX_TABLES, sizeof *built);
	size_t nbuilt = 0;
	char why[512];
	if (!built)
		return pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	struct pt_jstream s;
	pt_js_init(&s, f, SPEC_MAX_VALUE);
	int rc = pt_build_spec_stream(&s, img, NULL, 0, built, PT_BUILD_MAX_TABLES, &nbuilt, spec,
				      why, sizeof why);
	if (rc == PT_BS_JSON)
		rc = pasid_fail(err, PASID_ERR_INPUT, "spec:%lu:%lu: %s", s.err_line, s.err_column,
				s.too_big ? "a JSON value is too large" : s.err);
	else if (rc == PT_BS_NOT_OBJECT)
		rc = pasid_fail(err, PASID_ERR_INPUT, "spec: the spec must be a JSON object");
	else if (rc != PT_BS_OK)
		rc = pasid_fail(err, PASID_ERR_INPUT, "spec: %s", why);
	pt_js_free(&s);
	pt_built_free(built, nbuilt);
	free(built);
	return rc;
}

/* The image's regions copied into one zeroed buffer. */
static int flatten(const struct pt_image *img, uint8_t **image, size_t *len, uint64_t *base,
		   pasid_error *err)
{
	uint64_t lo, end;
	pt_image_extent(img, &lo, &end);
	if (img->n == 0 || end <= lo)
		return pasid_fail(err, PASID_ERR_INPUT, "spec: it describes no table");
	if (end - lo > PT_IMAGE_MAX_BYTES)
		return pasid_fail(err, PASID_ERR_INPUT, "spec: the tables span 0x%llx bytes, more "
				  "than an image holds", (unsigned long long)(end - lo));
	uint8_t *buf = calloc(1, (size_t)(end - lo));
	if (!buf)
		return pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < img->n; i++) {
		const struct pt_image_region *r = &img->regions[i];
		memcpy(buf + (r->addr - lo), r->data, (size_t)r->size);
	}
	*image = buf;
	*len = (size_t)(end - lo);
	*base = lo;
	return pasid_ok(err);
}

PASID_API int pasid_build(const char *spec, size_t spec_len, uint8_t **image, size_t *len,
			  uint64_t *base, pasid_error *err)
{
	if (image)
		*image = NULL;
	if (!spec || spec_len == 0 || !image || !len || !base)
		return pasid_fail(err, PASID_ERR_ARG, "pasid_build: no spec or no output");
	pasid_lib_init();
	FILE *f = fmemopen((void *)(uintptr_t)spec, spec_len, "r");
	if (!f)
		return pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	struct pt_image img;
	json_t *rest = NULL;
	pt_image_init(&img);
	int rc = read_spec(f, &img, &rest, err);
	fclose(f);
	json_decref(rest);
	if (rc == PASID_OK)
		rc = flatten(&img, image, len, base, err);
	pt_image_free(&img);
	return rc;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sources: the inputs decode takes (files, FILE@ADDR, ELF cores, kdump
 * dumps) or the caller's bytes, behind the one bounds-checked reader. */
#include <stdlib.h>
#include <string.h>

#include "api.h"

static pasid_source *source_new(const char *name)
{
	pasid_source *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	snprintf(s->name, sizeof s->name, "%s", name);
	pt_source_init(&s->src, s->name);
	pt_diag_init(&s->diags, s->name, NULL);
	return s;
}

PASID_API void pasid_source_close(pasid_source *s)
{
	if (!s)
		return;
	pt_source_free(&s->src);
	pt_diag_free(&s->diags);
	free(s->copy);
	free(s);
}

PASID_API int pasid_source_open(pasid_source **out, const char *const *inputs, size_t ninputs,
				uint64_t base, pasid_error *err)
{
	if (out)
		*out = NULL;
	if (!out || !inputs || ninputs == 0)
		return pasid_fail(err, PASID_ERR_ARG, "pasid_source_open: no output handle or no input");
	for (size_t i = 0; i < ninputs; i++)
		if (!inputs[i] || !inputs[i][0])
			return pasid_fail(err, PASID_ERR_ARG, "pasid_source_open: input %zu is empty", i);
	pasid_lib_init();
	pasid_source *s = source_new(inputs[0]);
	if (!s)
		return pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	struct pt_open_opts opts = { base, 0, 0, 0 };
	if (pt_source_open(&s->src, inputs, ninputs, &opts, &s->diags) != 0) {
		int rc = pasid_fail_diag(err, PASID_ERR_INPUT, &s->diags, "the input cannot be read");
		pasid_source_close(s);
		return rc;
	}
	*out = s;
	return pasid_ok(err);
}

/* Each segment fits the address space; their total fits the cap. */
static int check_segments(const pasid_segment *segs, size_t n, uint64_t *total,
			  pasid_error *err)
{
	if (n > PT_SOURCE_MAX_RANGES)
		return pasid_fail(err, PASID_ERR_ARG, "%zu segments: at most %u are taken", n,
				  PT_SOURCE_MAX_RANGES);
	*total = 0;
	for (size_t i = 0; i < n; i++) {
		const pasid_segment *g = &segs[i];
		if (!g->buf || g->len == 0)
			return pasid_fail(err, PASID_ERR_ARG, "segment %zu: no bytes", i);
		if (g->len - 1 > UINT64_MAX - g->base)
			return pasid_fail(err, PASID_ERR_ARG, "segment %zu: %zu bytes at 0x%llx run "
					  "past the end of the address space", i, g->len,
					  (unsigned long long)g->base);
		if (g->len > PT_MAX_INPUT_DEFAULT - *total)
			return pasid_fail(err, PASID_ERR_ARG, "the segments hold more than %llu "
					  "bytes", (unsigned long long)PT_MAX_INPUT_DEFAULT);
		*total += g->len;
	}
	return PASID_OK;
}

PASID_API int pasid_source_open_segments(pasid_source **out, const char *name,
					 const pasid_segment *segs, size_t nsegs,
					 pasid_error *err)
{
	if (out)
		*out = NULL;
	if (!out || !segs || nsegs == 0)
		return pasid_fail(err, PASID_ERR_ARG, "pasid_source_open_segments: no output handle "
				  "or no segment");
	uint64_t total = 0;
	int rc = check_segments(segs, nsegs, &total, err);
	if (rc != PASID_OK)
		return rc;
	pasid_lib_init();
	pasid_source *s = source_new(name && name[0] ? name : "memory");
	if (!s || !(s->copy = malloc((size_t)total))) {
		pasid_source_close(s);
		return pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	}
	uint8_t *copy = s->copy;
	int f = pt_source_add_buffer(&s->src, s->name, copy, (size_t)total);
	uint64_t off = 0;
	for (size_t i = 0; f >= 0 && i < nsegs; i++) {
		memcpy(copy + off, segs[i].buf, segs[i].len);
		if (pt_source_add_range(&s->src, segs[i].base, segs[i].len, (uint32_t)f, off,
					segs[i].len) != 0)
			f = -1;
		off += segs[i].len;
	}
	/* Overlapping pieces are a caller's mistake, not a dump's: refused. */
	if (f < 0 || pt_source_finish(&s->src, &s->diags) != 0 || s->diags.nitems) {
		rc = pasid_fail_diag(err, f < 0 ? PASID_ERR_NOMEM : PASID_ERR_ARG, &s->diags,
				     "the segments cannot be read");
		pasid_source_close(s);
		return rc;
	}
	*out = s;
	return pasid_ok(err);
}

PASID_API int pasid_source_open_memory(pasid_source **out, const char *name, const void *buf,
				       size_t len, uint64_t base, pasid_error *err)
{
	if (out)
		*out = NULL;
	if (!out || !buf || len == 0)
		return pasid_fail(err, PASID_ERR_ARG,
				  "pasid_source_open_memory: no output handle or no bytes");
	pasid_segment seg = { base, buf, len };
	return pasid_source_open_segments(out, name, &seg, 1, err);
}

PASID_API const char *pasid_source_kind(const pasid_source *s)
{
	return s ? pt_source_kind_name(&s->src) : NULL;
}

PASID_API int pasid_source_read(pasid_source *s, uint64_t addr, void *buf, size_t len,
				pasid_error *err)
{
	if (!s || (!buf && len))
		return pasid_fail(err, PASID_ERR_ARG, "pasid_source_read: no source or no buffer");
	if (pt_source_read(&s->src, addr, buf, len) != PT_READ_OK)
		return pasid_fail(err, PASID_ERR_INPUT, "%s: 0x%llx+0x%zx %s", s->name,
				  (unsigned long long)addr, len,
				  pt_source_why_unreadable(&s->src, addr, len));
	return pasid_ok(err);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "build_requests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "emit.h"
#include "viommu.h"

/* Requests go to a growing buffer, written out in one atomic step. */
struct reqbuf {
	uint8_t *data;
	size_t len, cap;
};

static uint8_t *reserve(struct reqbuf *b, size_t n)
{
	if (b->cap - b->len < n) {
		size_t ncap = b->cap ? b->cap * 2 : 4096;
		while (ncap - b->len < n)
			ncap *= 2;
		uint8_t *d = realloc(b->data, ncap);
		if (!d)
			return NULL;
		b->data = d;
		b->cap = ncap;
	}
	return b->data + b->len;
}

static int add_attach(struct reqbuf *b, const struct pt_req_opts *o, const struct pt_built_table *cd,
		      char *err, size_t errlen)
{
	uint8_t *p = reserve(b, PT_VIOMMU_MAX_FIXED);
	size_t len;
	uint32_t ep = cd->has_owner ? cd->owner : o->endpoint;
	if (!p || pt_viommu_attach_from_cfg(&cd->cfg, o->domain, ep, o->variant, p,
					    PT_VIOMMU_MAX_FIXED, &len) != 0) {
		snprintf(err, errlen, "no ATTACH_TABLE for the CD table at 0x%llx in variant %s",
			 (unsigned long long)cd->cfg.base, o->variant ? o->variant : "rfc1");
		return -1;
	}
	b->len += len;
	return 0;
}

/* The SSIDs a table description writes: its "entries". */
static size_t written_ssids(const struct pt_built_table *cd, uint32_t *ssids, size_t cap)
{
	if (cd->written) {
		size_t n = cd->nwritten < cap ? cd->nwritten : cap;
		memcpy(ssids, cd->written, n * sizeof *ssids);
		return n;
	}
	const json_t *entries = json_object_get(cd->table, "entries");
	size_t n = 0, i;
	const json_t *e;
	json_array_foreach(entries, i, e) {
		uint64_t v;
		if (n < cap && pt_json_u64(json_object_get(e, "ssid"), &v) == 0 && v <= UINT32_MAX)
			ssids[n++] = (uint32_t)v;
	}
	return n;
}

static int add_invalidations(struct reqbuf *b, const struct pt_req_opts *o,
			     const struct pt_built_table *cd, char *err, size_t errlen)
{
	size_t max = (size_t)1 << PT_MAX_SSID_BITS;
	uint32_t *ssids = malloc(max * sizeof *ssids);
	if (!ssids) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t n = written_ssids(cd, ssids, max), len = 0;
	/* One request per SSID at most, each no larger than the largest fixed one. */
	size_t need = (n + 1) * PT_VIOMMU_MAX_FIXED;
	uint8_t *p = reserve(b, need);
	int rc = p && pt_viommu_invalidations(&cd->cfg, o->domain, o->variant, ssids, n, p, need,
					      &len) == 0 ? 0 : -1;
	if (rc == 0)
		b->len += len;
	else
		snprintf(err, errlen, "no INVALIDATE requests for the CD table at 0x%llx",
			 (unsigned long long)cd->cfg.base);
	free(ssids);
	return rc;
}

static int write_file(const char *path, const struct reqbuf *b, char *err, size_t errlen)
{
	char why[256];
	if (pt_output_buffer(path, b->data, b->len, why, sizeof why) == 0)
		return 0;
	snprintf(err, errlen, "%s: %s", path, why);
	return -1;
}

int pt_write_requests(const struct pt_req_opts *o, const struct pt_built_table *cds, size_t n,
		      char *err, size_t errlen)
{
	if ((o->attach_out || o->inval_out) && n == 0) {
		snprintf(err, errlen, "the spec builds no smmuv3-cd table to attach");
		return -1;
	}
	struct reqbuf att = { 0 }, inv = { 0 };
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (o->attach_out)
			rc = add_attach(&att, o, &cds[i], err, errlen);
		if (rc == 0 && o->inval_out)
			rc = add_invalidations(&inv, o, &cds[i], err, errlen);
	}
	if (rc == 0 && o->attach_out)
		rc = write_file(o->attach_out, &att, err, errlen);
	if (rc == 0 && o->inval_out)
		rc = write_file(o->inval_out, &inv, err, errlen);
	free(att.data);
	free(inv.data);
	return rc;
}

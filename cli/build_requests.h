/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The virtio-iommu requests that go with tables `build` just laid out: one
 * ATTACH_TABLE per CD table (--attach-out) and the INVALIDATE requests a
 * guest sends after writing those CDs (--emit-invalidations). */
#ifndef PT_BUILD_REQUESTS_H
#define PT_BUILD_REQUESTS_H

#include <stdint.h>

#include <jansson.h>

#include "build_spec.h"

struct pt_req_opts {
	const char *attach_out;
	const char *inval_out;
	const char *variant;     /* NULL: the default (rfc1) */
	uint32_t domain;
	uint32_t endpoint;       /* for a CD table not reached from an STE */
};

/* Write the requested files atomically; 0, or -1 with err set. */
/* cds: the CD tables built; one nested in an STE has that STE's StreamID
 * as its owner, which becomes the request's endpoint. */
int pt_write_requests(const struct pt_req_opts *o, const struct pt_built_table *cds, size_t n,
		      char *err, size_t errlen);

#endif

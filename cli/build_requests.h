/* The virtio-iommu requests that go with tables `build` just laid out: one
 * ATTACH_TABLE per CD table (--attach-out) and the INVALIDATE requests a
 * guest sends after writing those CDs (--emit-invalidations). */
#ifndef PT_BUILD_REQUESTS_H
#define PT_BUILD_REQUESTS_H

#include <stdint.h>

#include <jansson.h>

#include "table.h"

#define PT_BUILD_MAX_ATTACH 4096u

struct pt_req_opts {
	const char *attach_out;
	const char *inval_out;
	const char *variant;     /* NULL: the default (rfc1) */
	uint32_t domain;
	uint32_t endpoint;       /* for a CD table not reached from an STE */
};

/* One built CD table: its config, its JSON (for the SSIDs written) and the
 * endpoint (the STE's StreamID when it hangs from one). */
struct pt_built_cd {
	struct pt_table_cfg cfg;
	const json_t *table;
	int has_sid;
	uint32_t sid;
};

/* Write the requested files atomically; 0, or -1 with err set. */
int pt_write_requests(const struct pt_req_opts *o, const struct pt_built_cd *cds, size_t n,
		      char *err, size_t errlen);

#endif

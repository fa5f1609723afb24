/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtio-iommu requests as data: every request type of every draft variant
 * (RFC1 = V09D for the PASID table, V07, INTEL, QCOM) is one field table;
 * decoding a captured virtqueue stream, building requests from JSON, the
 * ATTACH-/PROBE-/INVAL- rules and the mapping onto a core table config all
 * read those tables. Reference: shared/spec/virtio-iommu.md. */
#ifndef PT_VIOMMU_H
#define PT_VIOMMU_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "diag.h"
#include "field.h"
#include "rule.h"
#include "source.h"
#include "table.h"

enum pt_viommu_variant {
	PT_VV_RFC1,   /* 2021 nested-stage RFC (default); base requests as OASIS */
	PT_VV_V09D,   /* 2018 "v0.9-devel" uapi; same ATTACH_TABLE pst bytes as RFC1 */
	PT_VV_V07,    /* packed v0.7 prototype, 84-byte ATTACH_TABLE union */
	PT_VV_INTEL,  /* Intel prototype: flags inserted, 88-byte ATTACH_TABLE */
	PT_VV_QCOM,   /* Qualcomm: raw STE words, 128-byte ATTACH_TABLE */
	PT_VV_COUNT
};

enum pt_viommu_type {
	PT_VT_ATTACH = 1,
	PT_VT_DETACH = 2,
	PT_VT_MAP = 3,
	PT_VT_UNMAP = 4,
	PT_VT_PROBE = 5,
	PT_VT_ATTACH_TABLE = 6,
	PT_VT_INVALIDATE = 7,
	PT_VT_PAGE_RESP = 8,
};

/* What an ATTACH_TABLE payload is, independent of where its bytes sit. */
enum pt_viommu_view {
	PT_VW_NONE,      /* not an ATTACH_TABLE */
	PT_VW_GENERIC,   /* format unknown: only the frame is decoded */
	PT_VW_PST_ARM,   /* SMMUv3 CD table: s1fmt, s1dss, s1contextptr, s1cdmax */
	PT_VW_STE_ARM,   /* QCOM: the same, inside raw STE dwords */
	PT_VW_PGT_ARM,   /* one Arm LPAE stage-1 page table */
	PT_VW_PGT_VIRT,  /* INTEL virt I/O page table */
	PT_VW_PGT_VTD,   /* INTEL VT-d first-level table */
};

#define PT_VIOMMU_MAX_FIXED 128u           /* largest fixed-size request (QCOM) */
#define PT_VIOMMU_PROBE_HEAD 72u           /* PROBE: head, endpoint, reserved[64] */
#define PT_VIOMMU_TAIL 4u
#define PT_VIOMMU_DEFAULT_PROBE_SIZE 512u  /* QEMU's VIOMMU_PROBE_SIZE */
#define PT_VIOMMU_MAX_PROBE_SIZE (1u << 20) /* cap on probe_size we accept */
#define PT_VIOMMU_MAX_REQUESTS 1000000u    /* cap on requests in one stream */

/* A field value a builder writes when the JSON does not say. */
struct pt_viommu_default {
	const char *field;
	uint64_t value;
};

/* One request layout of one variant. ATTACH_TABLE has a generic kind (no
 * selector) and one kind per payload view, picked by a selector field of the
 * generic frame (the format code; V07: the PST/PGT flags). */
struct pt_viommu_kind {
	uint8_t type;
	enum pt_viommu_view view;
	const char *name;            /* JSON "type": "attach_table" */
	const char *view_name;       /* "pst_arm", or NULL */
	const struct pt_struct *st;  /* whole request, head to tail (PROBE: readable head) */
	const char *sel_field;       /* field of the generic frame, or NULL */
	uint64_t sel_value;
	uint32_t declared_size;      /* C struct size when drivers declare less than they send */
	const struct pt_viommu_default *defaults; /* ends with {NULL, 0} */
};

/* One PROBE property layout. Several may share a type; the first whose
 * length (and selector, when set) matches wins. */
struct pt_viommu_prop {
	uint16_t type;
	const char *name;            /* "pasid_size" */
	const struct pt_struct *st;  /* header included */
	const char *sel_field;
	uint64_t sel_value;
};

struct pt_viommu_variant_desc {
	const char *name;            /* "rfc1" */
	const char *label;
	unsigned f_attach_table;     /* feature bit number of F_ATTACH_TABLE */
	const struct pt_viommu_kind *kinds;
	size_t nkinds;
	const struct pt_viommu_prop *props;
	size_t nprops;
	const struct pt_struct *prop_generic;  /* header only, for unknown types */
	const struct pt_struct *tail;          /* PROBE's tail */
	uint16_t pst_format;         /* PASID-table format code in this variant */
	uint16_t pgt_format;         /* Arm page-table format code (0: none) */
	uint8_t max_status;          /* highest defined status code */
};

const struct pt_viommu_variant_desc *pt_viommu_variant(enum pt_viommu_variant v);
/* Variant by name (lower case, "rfc1"); -1 when unknown. */
int pt_viommu_variant_parse(const char *name, enum pt_viommu_variant *out);
/* NULL-terminated list of variant names, for help text and suggestions. */
extern const char *const pt_viommu_variant_names[];

/* Register the rules and every request structure with the core (called
 * once from pt_formats_init). */
void pt_viommu_register(void);

/* Every request structure of every variant, for `pasidtool formats`. */
extern const struct pt_struct *const pt_viommu_structs[];
extern const size_t pt_viommu_nstructs;

/* Kind by type and view name (NULL view: the selector-less kind of that type
 * or, for ATTACH_TABLE, the PASID-table view). */
const struct pt_viommu_kind *pt_viommu_kind_find(enum pt_viommu_variant v, const char *type,
						 const char *view);

/* ---- Decoding a stream (viommu_decode.c) ---- */

struct pt_viommu_ctx {
	enum pt_viommu_variant variant;
	uint32_t probe_size;
	int probe_size_given;        /* else the last PROBE of a file takes the rest */
};

struct pt_viommu_req {
	uint64_t offset;             /* of the request in the input */
	const uint8_t *bytes;        /* the request's bytes inside the input */
	uint32_t size;               /* bytes it occupies */
	const struct pt_viommu_kind *kind;
	int declared;                /* sent with its declared (short) struct size */
	uint32_t probe_size;         /* PROBE only */
	/* Copy the field tables read: zero-padded up to the kind's size. */
	uint8_t buf[PT_VIOMMU_MAX_FIXED];
};

/* Split the request at the start of buf (len bytes left). 0 on success; -1
 * when no request can be framed there (a diagnostic says why: truncated,
 * unknown type, trailing bytes). Never reads past len. */
int pt_viommu_next(const struct pt_viommu_ctx *ctx, const uint8_t *buf, size_t len,
		   uint64_t offset, struct pt_viommu_req *req, struct pt_diag_sink *diags);

/* Name of another variant the bytes fit better than ctx's, or NULL. */
const char *pt_viommu_guess_variant(const struct pt_viommu_ctx *ctx, const uint8_t *buf,
				    size_t len);

/* Status byte and its name ("ok", NULL when undefined). */
uint8_t pt_viommu_status(const struct pt_viommu_req *req);

/* Field value of a decoded request by name; 0 when the field is absent. */
int pt_viommu_get(const struct pt_viommu_req *req, const char *field, uint64_t *out);

/* PROBE properties: call fn for each property inside req's properties, in
 * order; the loop is bounded by probe_size / 4. prop is NULL for unknown
 * types (pbytes/plen still describe the bytes, plen clipped to the buffer). */
typedef int (*pt_viommu_prop_fn)(void *user, uint32_t off, const struct pt_viommu_prop *prop,
				 const uint8_t *pbytes, uint32_t plen, uint32_t declared_len);
void pt_viommu_props_foreach(const struct pt_viommu_ctx *ctx, const struct pt_viommu_req *req,
			     pt_viommu_prop_fn fn, void *user);

/* The structure decode shows the PROBE property at byte off of the
 * properties with, its bytes zero-padded into tmp (tmplen >= 64); NULL when
 * no property starts there. */
const struct pt_struct *pt_viommu_prop_at(const struct pt_viommu_ctx *ctx,
					  const struct pt_viommu_req *req, uint32_t off,
					  uint8_t *tmp, size_t tmplen);

/* Text and JSON views of one request. */
void pt_viommu_print(FILE *out, const struct pt_viommu_ctx *ctx, const struct pt_viommu_req *req,
		     int color);
json_t *pt_viommu_json(const struct pt_viommu_ctx *ctx, const struct pt_viommu_req *req);

/* ---- Building (viommu_req.c) ---- */

/* Build one request from a JSON object: either what pt_viommu_json prints
 * ("raw" first, then "fields" override) or the short hand-written form with
 * field names as keys and defaults for the rest. variant is the default
 * when the object names none; forced = 1 makes a different "variant" in the
 * object an error. Returns 0 and *outlen, or -1 with err. */
int pt_viommu_build(const json_t *obj, enum pt_viommu_variant variant, int forced,
		    uint32_t probe_size, uint8_t *out, size_t outcap, size_t *outlen, char *err,
		    size_t errlen);

/* ---- Capabilities and rules (viommu_rules.c) ---- */

struct pt_viommu_caps {
	unsigned pasid_bits;         /* PASID_SIZE bits / IDR1.SSIDSIZE (default 20) */
	unsigned asid_bits;          /* 8 or 16 (default 16) */
	unsigned oas;                /* guest-physical address bits (default 48) */
	int cd2l;                    /* 2-level CD tables supported (default 1) */
	int pst_format;              /* advertised PASID-table format, -1 = not known */
	int pgt_format;              /* advertised page-table format, -1 = not known */
	uint64_t page_size_mask;     /* 0 = not known */
	int has_endpoint;            /* caps came from a PROBE of this endpoint */
	uint32_t endpoint;
	const char *origin;          /* "default", "--caps", "--probe" */
};

void pt_viommu_caps_default(struct pt_viommu_caps *caps);
/* "pasid_bits=10,asid_bits=8,oas=44,cd2l=0,pst_format=2,pgt_format=1,
 *  page_size_mask=0x1000,endpoint=8". 0, or -1 with err. */
int pt_viommu_caps_parse(const char *spec, struct pt_viommu_caps *caps, char *err,
			 size_t errlen);
/* Fill caps from the properties a device wrote into a PROBE request. */
void pt_viommu_caps_from_probe(const struct pt_viommu_ctx *ctx, const struct pt_viommu_req *req,
			       struct pt_viommu_caps *caps);

/* What validation remembers across a stream: the tables attached so far,
 * for INVALIDATE checks. Fixed size: past the cap, domains are not tracked. */
#define PT_VIOMMU_MAX_DOMAINS 256u
struct pt_viommu_state {
	uint32_t ndomains;
	struct {
		uint32_t domain;
		unsigned ssid_bits;
	} domains[PT_VIOMMU_MAX_DOMAINS];
};

/* Check one request; findings go to diags with the request's offset. */
void pt_viommu_check(const struct pt_viommu_ctx *ctx, const struct pt_viommu_req *req,
		     const struct pt_viommu_caps *caps, struct pt_viommu_state *state,
		     struct pt_diag_sink *diags);

enum pt_viommu_rule_id {
	PT_R_VIOMMU_TRUNCATED,
	PT_R_VIOMMU_UNKNOWN_TYPE,
	PT_R_VIOMMU_TRAILING,
	PT_R_VIOMMU_VARIANT,
	PT_R_VIOMMU_DECLARED_SIZE,
	PT_R_VIOMMU_HEAD_RESERVED,
	PT_R_VIOMMU_STATUS,
	PT_R_VIOMMU_STATUS_UNKNOWN,
	PT_R_VIOMMU_TAIL_RESERVED,
	PT_R_VIOMMU_RESERVED,
	PT_R_VIOMMU_FLAGS,
	PT_R_VIOMMU_MAP_RANGE,
	PT_R_ATTACH_FORMAT,
	PT_R_ATTACH_VIEW,
	PT_R_ATTACH_RESERVED,
	PT_R_ATTACH_S1FMT,
	PT_R_ATTACH_S1DSS,
	PT_R_ATTACH_S1CDMAX,
	PT_R_ATTACH_S1CDMAX_CAPS,
	PT_R_ATTACH_S1CDMAX_ZERO,
	PT_R_ATTACH_CD2L,
	PT_R_ATTACH_PTR_LOW,
	PT_R_ATTACH_PTR_HIGH,
	PT_R_ATTACH_PTR_ALIGN,
	PT_R_ATTACH_PTR_RANGE,
	PT_R_ATTACH_CAPS_FORMAT,
	PT_R_ATTACH_CAPS_ENDPOINT,
	PT_R_ATTACH_ASID,
	PT_R_ATTACH_TG0,
	PT_R_ATTACH_T0SZ,
	PT_R_ATTACH_TTBR,
	PT_R_ATTACH_STE_BITS,
	PT_R_ATTACH_STE_CONFIG,
	PT_R_ATTACH_DUMP_PTR,
	PT_R_ATTACH_DUMP_SHORT,
	PT_R_PROBE_RESERVED,
	PT_R_PROBE_OVERRUN,
	PT_R_PROBE_PROP_RESERVED,
	PT_R_PROBE_PROP_LENGTH,
	PT_R_PROBE_PROP_UNKNOWN,
	PT_R_PROBE_DUPLICATE,
	PT_R_PROBE_UNUSED,
	PT_R_PROBE_ASID_BITS,
	PT_R_PROBE_PASID_SIZE,
	PT_R_PROBE_RANGE,
	PT_R_PROBE_NO_OUTPUT,
	PT_R_PROBE_FORMAT,
	PT_R_INVAL_RESERVED,
	PT_R_INVAL_SCOPE,
	PT_R_INVAL_TYPE,
	PT_R_INVAL_FLAGS,
	PT_R_INVAL_GRANULE,
	PT_R_INVAL_ALIGN,
	PT_R_INVAL_PAGES,
	PT_R_INVAL_PASID,
	PT_R_INVAL_ASID,
	PT_R_INVAL_DOMAIN,
	PT_R_VIOMMU_COUNT
};
extern const struct pt_rule pt_viommu_rule_list[PT_R_VIOMMU_COUNT];
extern const struct pt_rule_set pt_viommu_rules;

/* ---- ATTACH_TABLE <-> core table config ---- */

/* The CD table an ATTACH_TABLE (pst_arm, or QCOM's STE view) describes:
 * fmt "smmuv3-cd", layout from s1fmt (ignored when s1cdmax = 0), base =
 * s1contextptr & [55:6], ssid_bits = s1cdmax, vendor[0] = the STE context
 * (smmu_ste_ctx_pack: s1dss, Config = nested). The smmuv3-cd format
 * must be registered. 0, or -1 with err (not a PASID-table request, format
 * missing, s1cdmax beyond 20). domain/endpoint may be NULL. */
int pt_viommu_attach_to_cfg(const struct pt_viommu_req *req, struct pt_table_cfg *cfg,
			    uint32_t *domain, uint32_t *endpoint, char *err, size_t errlen);

/* Cross-checks between an ATTACH_TABLE and the dump that should hold its
 * table (ATTACH-DUMP-*), reported at the request's offset. Returns 1 when
 * the root table starts inside the dump, so a walk is worth running. */
int pt_viommu_check_dump(const struct pt_viommu_req *req, const struct pt_table_cfg *cfg,
			 const struct pt_source *src, struct pt_diag_sink *diags);

/* The ATTACH_TABLE request (PASID-table view of `variant`, NULL = rfc1) a
 * guest sends for cfg. s1dss from cfg->vendor[0] when it holds an STE
 * context (smmu_ste_ctx_pack), else 2 (SSID0, what the RFC1 guest sends).
 * 0, or -1 (bad variant, too small a buffer,
 * cfg not expressible). */
int pt_viommu_attach_from_cfg(const struct pt_table_cfg *cfg, uint32_t domain, uint32_t endpoint,
			      const char *variant, uint8_t *out, size_t outcap, size_t *outlen);

/* The INVALIDATE requests a guest sends after changing the CDs of `ssids`
 * (one per SSID: PASID-table/CD cache scope; more than `PT_VIOMMU_INVAL_BATCH`
 * SSIDs collapse into one domain-wide invalidation). Requests are written
 * back to back into out. 0, or -1 when out is too small or the variant has
 * no INVALIDATE. */
#define PT_VIOMMU_INVAL_BATCH 64u
int pt_viommu_invalidations(const struct pt_table_cfg *cfg, uint32_t domain, const char *variant,
			    const uint32_t *ssids, size_t nssids, uint8_t *out, size_t outcap,
			    size_t *outlen);

#endif

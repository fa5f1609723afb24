/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checks of virtio-iommu requests: framing (VIOMMU-*), ATTACH_TABLE
 * (ATTACH-*), PROBE and its properties (PROBE-*), INVALIDATE (INVAL-*).
 * Status codes in `effect` follow shared/spec/virtio-iommu.md §6: where no
 * draft states them they are marked "inferred". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "emit.h"
#include "kvlist.h"
#include "suggest.h"
#include "viommu.h"

#define SPEC "virtio-iommu.md"
#define R(id, sev, field, sum, eff, src) { id, sev, field, sum, eff, src }
const struct pt_rule pt_viommu_rule_list[PT_R_VIOMMU_COUNT] = {
	[PT_R_VIOMMU_TRUNCATED] = R("VIOMMU-TRUNCATED", PT_SEV_ERROR, NULL,
		"request shorter than its type's size in the chosen variant",
		"device cannot find the tail: buffer returned unwritten (used length 0)",
		"OASIS virtio-iommu, device requirements; " SPEC " §1.3"),
	[PT_R_VIOMMU_UNKNOWN_TYPE] = R("VIOMMU-UNKNOWN-TYPE", PT_SEV_ERROR, "type",
		"request type not defined by the chosen variant",
		"device returns the buffer unwritten (used length 0); driver treats it as failure",
		"OASIS virtio-iommu; " SPEC " §1.3"),
	[PT_R_VIOMMU_TRAILING] = R("VIOMMU-TRAILING", PT_SEV_ERROR, NULL,
		"bytes after the last request too short to be a request",
		"not a request: a device would not see a valid buffer", SPEC " §1.1 (framing)"),
	[PT_R_VIOMMU_VARIANT] = R("VIOMMU-VARIANT", PT_SEV_NOTE, NULL,
		"the bytes fit another variant better (size, format code)",
		"decode with --variant NAME to read the fields as that draft lays them out",
		SPEC " §0, §3.7"),
	[PT_R_VIOMMU_DECLARED_SIZE] = R("VIOMMU-DECLARED-SIZE", PT_SEV_WARNING, NULL,
		"request has its C struct's declared size, shorter than the frame drivers send",
		"a device expecting the generic frame finds the tail elsewhere (INVAL or used length 0)",
		SPEC " §3.2, §3.5"),
	[PT_R_VIOMMU_HEAD_RESERVED] = R("VIOMMU-HEAD-RESERVED", PT_SEV_WARNING, "head_reserved",
		"reserved bytes of the request head are not zero",
		"device ignores them; driver should write 0", "OASIS virtio-iommu §head"),
	[PT_R_VIOMMU_STATUS] = R("VIOMMU-STATUS", PT_SEV_NOTE, "status",
		"the device answered with a status other than OK",
		"the driver fails the request (Linux maps the status to an errno)",
		"OASIS virtio-iommu §status; " SPEC " §1.4"),
	[PT_R_VIOMMU_STATUS_UNKNOWN] = R("VIOMMU-STATUS-UNKNOWN", PT_SEV_WARNING, "status",
		"status code not defined by the variant",
		"Linux maps undefined codes to -EIO", SPEC " §1.4"),
	[PT_R_VIOMMU_TAIL_RESERVED] = R("VIOMMU-TAIL-RESERVED", PT_SEV_NOTE, "tail_reserved",
		"reserved bytes of the tail are not zero",
		"driver ignores them; device should write 0", "OASIS virtio-iommu §tail"),
	[PT_R_VIOMMU_RESERVED] = R("VIOMMU-RESERVED", PT_SEV_ERROR, NULL,
		"reserved bytes of ATTACH/MAP/UNMAP/PAGE_RESP are not zero",
		"device answers VIRTIO_IOMMU_S_INVAL (ATTACH: MUST; UNMAP: MAY)",
		"OASIS virtio-iommu, ATTACH/UNMAP device requirements"),
	[PT_R_VIOMMU_FLAGS] = R("VIOMMU-FLAGS", PT_SEV_ERROR, "flags",
		"a flag bit the variant does not define is set",
		"device answers VIRTIO_IOMMU_S_INVAL", "OASIS virtio-iommu, ATTACH/MAP"),
	[PT_R_VIOMMU_MAP_RANGE] = R("VIOMMU-MAP-RANGE", PT_SEV_ERROR, "virt_end",
		"MAP/UNMAP virt_end lies below virt_start",
		"device answers VIRTIO_IOMMU_S_INVAL or S_RANGE (inferred)", "OASIS virtio-iommu MAP"),
	[PT_R_ATTACH_FORMAT] = R("ATTACH-FORMAT", PT_SEV_ERROR, "format",
		"ATTACH_TABLE format code unknown, or without a layout in the variant",
		"device answers VIRTIO_IOMMU_S_UNSUPP (inferred)", SPEC " §3.4, §6; smmuv3.md R-IF-07"),
	[PT_R_ATTACH_VIEW] = R("ATTACH-VIEW", PT_SEV_ERROR, "table",
		"V07 ATTACH_TABLE sets neither or both of ATTACH_F_PST and ATTACH_F_PGT",
		"device cannot tell the union's view: S_INVAL (inferred)", SPEC " §3.3"),
	[PT_R_ATTACH_RESERVED] = R("ATTACH-RESERVED", PT_SEV_ERROR, NULL,
		"reserved bytes of ATTACH_TABLE are not zero",
		"device answers VIRTIO_IOMMU_S_INVAL (inferred, as for ATTACH)",
		SPEC " §3.1, §6; smmuv3.md R-IF-07"),
	[PT_R_ATTACH_S1FMT] = R("ATTACH-S1FMT", PT_SEV_ERROR, "s1fmt",
		"s1fmt is 3 (reserved STE.S1Fmt encoding) or larger",
		"hardware treats 3 as linear; device answers S_INVAL (inferred)",
		"IHI 0070 §5.2 S1Fmt; smmuv3.md R-IF-07"),
	[PT_R_ATTACH_S1DSS] = R("ATTACH-S1DSS", PT_SEV_ERROR, "s1dss",
		"s1dss is 3 (reserved STE.S1DSS encoding) or larger",
		"hardware treats 3 as terminate; device answers S_INVAL (inferred)",
		"IHI 0070 §5.2 S1DSS; smmuv3.md R-IF-07"),
	[PT_R_ATTACH_S1CDMAX] = R("ATTACH-S1CDMAX", PT_SEV_ERROR, "s1cdmax",
		"s1cdmax above 20 (the architecture's limit; 32 and up do not fit STE.S1CDMax)",
		"device answers VIRTIO_IOMMU_S_RANGE (inferred)", "IHI 0070 §5.2; smmuv3.md R-IF-08"),
	[PT_R_ATTACH_S1CDMAX_CAPS] = R("ATTACH-S1CDMAX-CAPS", PT_SEV_ERROR, "s1cdmax",
		"s1cdmax above the endpoint's PASID_SIZE bits (or host SSIDSIZE)",
		"device answers VIRTIO_IOMMU_S_RANGE (inferred); hardware: C_BAD_STE",
		SPEC " §3.1; smmuv3.md R-IF-08"),
	[PT_R_ATTACH_S1CDMAX_ZERO] = R("ATTACH-S1CDMAX-ZERO", PT_SEV_WARNING, "s1fmt",
		"s1fmt is not linear while s1cdmax = 0 (one CD, s1fmt ignored)",
		"hardware ignores S1Fmt: the pointer is read as a single CD", "smmuv3.md §2.2, R-IF-13"),
	[PT_R_ATTACH_CD2L] = R("ATTACH-CD2L", PT_SEV_ERROR, "s1fmt",
		"2-level CD table while the host lacks 2-level CD support (IDR0.CD2L)",
		"device answers VIRTIO_IOMMU_S_UNSUPP (inferred); hardware: C_BAD_STE",
		"IHI 0070 §5.2; smmuv3.md R-IF-09"),
	[PT_R_ATTACH_PTR_LOW] = R("ATTACH-PTR-LOW", PT_SEV_ERROR, "s1contextptr",
		"table address has bits 5:0 set (STE.S1ContextPtr starts at bit 6)",
		"the bits are lost in the STE: device answers S_INVAL (inferred)", "smmuv3.md R-IF-10"),
	[PT_R_ATTACH_PTR_HIGH] = R("ATTACH-PTR-HIGH", PT_SEV_ERROR, "s1contextptr",
		"table address has bits 63:56 set (beyond STE.S1ContextPtr)",
		"cannot be stored in an STE: device answers S_RANGE (inferred)", "smmuv3.md §3.1"),
	[PT_R_ATTACH_PTR_ALIGN] = R("ATTACH-PTR-ALIGN", PT_SEV_ERROR, "s1contextptr",
		"CD table (linear) or L1CD table (2-level) not aligned to its size",
		"RES0 pointer bits: CONSTRAINED UNPREDICTABLE choice of CD/L1CD; S_INVAL (inferred)",
		"IHI 0070 §5.2 S1ContextPtr; smmuv3.md §2.2, R-IF-10"),
	[PT_R_ATTACH_PTR_RANGE] = R("ATTACH-PTR-RANGE", PT_SEV_ERROR, "s1contextptr",
		"table address beyond the guest-physical address size (OUTPUT_SIZE / OAS)",
		"device answers VIRTIO_IOMMU_S_RANGE (inferred); hardware: C_BAD_STE or F_CD_FETCH",
		SPEC " §6; smmuv3.md R-IF-10"),
	[PT_R_ATTACH_CAPS_FORMAT] = R("ATTACH-CAPS-FORMAT", PT_SEV_ERROR, "format",
		"format differs from the one PROBE advertised for the endpoint",
		"device answers VIRTIO_IOMMU_S_UNSUPP (inferred)", SPEC " §3.1, §6"),
	[PT_R_ATTACH_CAPS_ENDPOINT] = R("ATTACH-CAPS-ENDPOINT", PT_SEV_WARNING, "endpoint",
		"the capabilities come from a PROBE of another endpoint",
		"checks against PROBE properties may not apply to this endpoint", SPEC " §4"),
	[PT_R_ATTACH_ASID] = R("ATTACH-ASID", PT_SEV_ERROR, "asid",
		"asid does not fit asid_bits (8 or 16, from PAGE_TABLE_FMT)",
		"device answers VIRTIO_IOMMU_S_RANGE (inferred); hardware: C_BAD_CD", SPEC " §3.2, §6"),
	[PT_R_ATTACH_TG0] = R("ATTACH-TG0", PT_SEV_ERROR, "tcr",
		"TCR.TG0 encoding 3 is reserved",
		"device answers VIRTIO_IOMMU_S_INVAL (inferred); as CD.TG0: C_BAD_CD",
		SPEC " §3.2; smmuv3.md §4.4"),
	[PT_R_ATTACH_T0SZ] = R("ATTACH-T0SZ", PT_SEV_ERROR, "tcr",
		"TCR.T0SZ outside 12..48 (no VMSAv8-64 input size)",
		"as CD.T0SZ: C_BAD_CD or a translation fault on every access", "smmuv3.md §4.4, §5.2"),
	[PT_R_ATTACH_TTBR] = R("ATTACH-TTBR", PT_SEV_ERROR, "ttbr",
		"page-table root misaligned (64 B; VT-d 4 KiB) or beyond the output size",
		"device answers S_INVAL or S_RANGE (inferred)", SPEC " §3.2, §6"),
	[PT_R_ATTACH_STE_BITS] = R("ATTACH-STE-BITS", PT_SEV_WARNING, NULL,
		"QCOM STE words set bits outside the nesting-allowed mask",
		"Linux iommufd rejects such a vSTE with -EIO; QCOM treatment undocumented",
		"smmuv3.md §3.3(b), R-IF-01"),
	[PT_R_ATTACH_STE_CONFIG] = R("ATTACH-STE-CONFIG", PT_SEV_ERROR, "config",
		"QCOM STE valid with Config not abort, bypass or stage-1",
		"Linux iommufd rejects such a vSTE with -EIO", "smmuv3.md R-IF-02"),
	[PT_R_ATTACH_DUMP_PTR] = R("ATTACH-DUMP-PTR", PT_SEV_ERROR, "s1contextptr",
		"the table address is not inside the dump",
		"the table cannot be checked; a device reading it would fault (S_FAULT)",
		"smmuv3.md R-IF-11; " SPEC " §6"),
	[PT_R_ATTACH_DUMP_SHORT] = R("ATTACH-DUMP-SHORT", PT_SEV_ERROR, "s1cdmax",
		"the dump ends inside the root table s1cdmax and s1fmt imply",
		"SSIDs past the end read memory outside the dump (F_CD_FETCH when used)",
		"smmuv3.md R-IF-11"),
	[PT_R_PROBE_RESERVED] = R("PROBE-RESERVED", PT_SEV_WARNING, NULL,
		"PROBE reserved[64] not zero", "device must ignore them", "OASIS virtio-iommu PROBE"),
	[PT_R_PROBE_OVERRUN] = R("PROBE-OVERRUN", PT_SEV_ERROR, "length",
		"a property's length runs past probe_size",
		"driver stops parsing; the property is lost", "OASIS virtio-iommu §PROBE properties"),
	[PT_R_PROBE_PROP_RESERVED] = R("PROBE-PROP-RESERVED", PT_SEV_WARNING, "type",
		"property header reserved bits 15:12 set",
		"driver ignores the property", "OASIS virtio-iommu §PROBE properties"),
	[PT_R_PROBE_PROP_LENGTH] = R("PROBE-PROP-LENGTH", PT_SEV_ERROR, "length",
		"property length differs from its type's layout in the variant",
		"driver misreads or rejects the property", SPEC " §4.3"),
	[PT_R_PROBE_PROP_UNKNOWN] = R("PROBE-PROP-UNKNOWN", PT_SEV_NOTE, "type",
		"property type unknown to the variant", "driver ignores it and keeps parsing",
		"OASIS virtio-iommu §PROBE properties"),
	[PT_R_PROBE_DUPLICATE] = R("PROBE-DUPLICATE", PT_SEV_ERROR, "type",
		"second page-table or PASID-table format property",
		"RFC1/V09D driver keeps the first and fails the probe", SPEC " §4.4"),
	[PT_R_PROBE_UNUSED] = R("PROBE-UNUSED", PT_SEV_ERROR, NULL,
		"bytes after the last property are not zero",
		"device MUST zero the unused part of properties", "OASIS virtio-iommu PROBE"),
	[PT_R_PROBE_ASID_BITS] = R("PROBE-ASID-BITS", PT_SEV_ERROR, "asid_bits",
		"asid_bits is neither 8 nor 16", "the RFC1/V09D guest refuses the table path",
		SPEC " §4.4"),
	[PT_R_PROBE_PASID_SIZE] = R("PROBE-PASID-SIZE", PT_SEV_ERROR, "bits",
		"PASID_SIZE above 20 bits", "no SMMUv3 can honour it (IDR1.SSIDSIZE <= 20)",
		"smmuv3.md §0.2"),
	[PT_R_PROBE_RANGE] = R("PROBE-RANGE", PT_SEV_ERROR, NULL,
		"RESV_MEM/INPUT_RANGE end below start, or OUTPUT_SIZE 0 or above 64",
		"driver builds a wrong address map", "OASIS virtio-iommu; " SPEC " §4.3"),
	[PT_R_PROBE_NO_OUTPUT] = R("PROBE-NO-OUTPUT", PT_SEV_WARNING, NULL,
		"table-format properties without OUTPUT_SIZE",
		"the RFC1 guest refuses the table path", SPEC " §4.4"),
	[PT_R_PROBE_FORMAT] = R("PROBE-FORMAT", PT_SEV_WARNING, "format",
		"table format code unknown to the variant", "the guest cannot use the format",
		SPEC " §3.4"),
	[PT_R_INVAL_RESERVED] = R("INVAL-RESERVED", PT_SEV_ERROR, NULL,
		"reserved bytes of INVALIDATE are not zero",
		"device answers VIRTIO_IOMMU_S_INVAL (inferred)", SPEC " §5"),
	[PT_R_INVAL_SCOPE] = R("INVAL-SCOPE", PT_SEV_ERROR, NULL,
		"scope/granularity is not exactly one known value",
		"device answers VIRTIO_IOMMU_S_INVAL (inferred)", SPEC " §5"),
	[PT_R_INVAL_TYPE] = R("INVAL-TYPE", PT_SEV_ERROR, NULL,
		"no cache named (inv_type / caches), or unknown cache bits",
		"nothing is invalidated, or S_INVAL (inferred)", SPEC " §5.2, §5.3"),
	[PT_R_INVAL_FLAGS] = R("INVAL-FLAGS", PT_SEV_ERROR, "flags",
		"unknown INVALIDATE flag bits", "device answers VIRTIO_IOMMU_S_INVAL (inferred)",
		SPEC " §5"),
	[PT_R_INVAL_GRANULE] = R("INVAL-GRANULE", PT_SEV_ERROR, "granule",
		"address-range granule outside 12..63 or not a page size the endpoint supports",
		"device answers S_INVAL (inferred); a TLBI range would miss entries", SPEC " §5"),
	[PT_R_INVAL_ALIGN] = R("INVAL-ALIGN", PT_SEV_ERROR, "virt_start",
		"range start not aligned to the granule", "device answers S_INVAL (inferred)",
		SPEC " §5"),
	[PT_R_INVAL_PAGES] = R("INVAL-PAGES", PT_SEV_ERROR, "nr_pages",
		"nr_pages is 0, or the range wraps the address space",
		"nothing (0) or a wrapped range is invalidated: S_INVAL/S_RANGE (inferred)", SPEC " §5"),
	[PT_R_INVAL_PASID] = R("INVAL-PASID", PT_SEV_ERROR, "pasid",
		"pasid beyond the attached table's s1cdmax (or PASID_SIZE)",
		"device answers VIRTIO_IOMMU_S_RANGE (inferred)", SPEC " §5"),
	[PT_R_INVAL_ASID] = R("INVAL-ASID", PT_SEV_ERROR, "id",
		"ASID (id/archid/tag) does not fit asid_bits",
		"device answers S_RANGE (inferred); TLBI by ASID misses", SPEC " §5"),
	[PT_R_INVAL_DOMAIN] = R("INVAL-DOMAIN", PT_SEV_NOTE, "domain",
		"INVALIDATE for a domain no earlier ATTACH_TABLE of the stream set up",
		"device answers S_NOENT or S_INVAL when the domain has no table", SPEC " §6"),
};

const struct pt_rule_set pt_viommu_rules = { "virtio-iommu", pt_viommu_rule_list,
					     PT_R_VIOMMU_COUNT };

/* ---- Helpers ---- */

struct chk {
	const struct pt_viommu_ctx *ctx;
	const struct pt_viommu_req *req;
	const struct pt_viommu_caps *caps;
	struct pt_viommu_state *state;
	struct pt_diag_sink *diags;
};

static uint64_t get(const struct chk *c, const char *name)
{
	uint64_t v = 0;
	pt_viommu_get(c->req, name, &v);
	return v;
}

static int has(const struct chk *c, const char *name)
{
	return pt_struct_field(c->req->kind->st, name) != NULL;
}

/* File offset of a field: where an editor should jump. */
static uint64_t field_addr(const struct chk *c, const char *name)
{
	const struct pt_field *f = name ? pt_struct_field(c->req->kind->st, name) : NULL;
	uint64_t off = f ? (uint64_t)f->word * 8 + f->lsb / 8 : 0;
	return c->req->offset + (off < c->req->size ? off : 0);
}

__attribute__((format(printf, 4, 5))) static void report(const struct chk *c,
							  enum pt_viommu_rule_id id,
							  const char *field, const char *fmt, ...)
{
	char msg[PT_DIAG_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const struct pt_viommu_kind *k = c->req->kind;
	pt_diag_report(c->diags, &pt_viommu_rule_list[id], 1, field_addr(c, field), PT_SCOPE_NONE,
		       0, pt_viommu_rule_list[id].field ? pt_viommu_rule_list[id].field : field,
		       "%s: %s", k->name, msg);
}

static unsigned popcount3(uint64_t a, uint64_t b, uint64_t c)
{
	return (unsigned)(!!a + !!b + !!c);
}

static int fits_bits(uint64_t v, unsigned bits)
{
	return bits >= 64 || v < (UINT64_C(1) << bits);
}

/* ---- Reserved bytes, by field naming convention of viommu_req.c ---- */

static enum pt_viommu_rule_id reserved_rule(const struct pt_viommu_kind *k, const char *name)
{
	int bytes = strncmp(name, "reserved_", 9) == 0 || strcmp(name, "ste0_res0") == 0;
	switch (k->type) {
	case PT_VT_ATTACH_TABLE: return PT_R_ATTACH_RESERVED;
	case PT_VT_PROBE: return PT_R_PROBE_RESERVED;
	case PT_VT_INVALIDATE:
		if (bytes)
			return PT_R_INVAL_RESERVED;
		if (strcmp(name, "scope_reserved") == 0 || strcmp(name, "gran_reserved") == 0)
			return PT_R_INVAL_SCOPE;
		if (strcmp(name, "type_reserved") == 0 || strcmp(name, "caches_reserved") == 0)
			return PT_R_INVAL_TYPE;
		return PT_R_INVAL_FLAGS;
	default:
		return bytes ? PT_R_VIOMMU_RESERVED : PT_R_VIOMMU_FLAGS;
	}
}

static void check_reserved(const struct chk *c)
{
	const struct pt_struct *st = c->req->kind->st;
	int seen[PT_R_VIOMMU_COUNT] = { 0 };
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		uint64_t v = pt_field_get(c->req->buf, f);
		if (f->kind != PT_FK_RES0 || v == 0)
			continue;
		enum pt_viommu_rule_id id;
		if (strcmp(f->name, "head_reserved") == 0)
			id = PT_R_VIOMMU_HEAD_RESERVED;
		else if (strcmp(f->name, "tail_reserved") == 0)
			id = PT_R_VIOMMU_TAIL_RESERVED;
		else if (c->req->kind->type == PT_VT_DETACH)
			continue;  /* device MUST ignore DETACH's reserved bytes */
		else
			id = reserved_rule(c->req->kind, f->name);
		if (seen[id]++)
			continue;
		report(c, id, f->name, "%s is 0x%llx, must be zero", f->label, (unsigned long long)v);
	}
}

static void check_status(const struct chk *c)
{
	const struct pt_viommu_variant_desc *vd = pt_viommu_variant(c->ctx->variant);
	uint8_t st = pt_viommu_status(c->req);
	const struct pt_field *f = pt_struct_field(vd->tail, "status");
	if (st > vd->max_status)
		report(c, PT_R_VIOMMU_STATUS_UNKNOWN, "status", "status %u is not defined by %s", st,
		       vd->name);
	else if (st)
		report(c, PT_R_VIOMMU_STATUS, "status", "device answered %s (%u)",
		       pt_field_enum_name(f, st), st);
	if (c->req->declared)
		report(c, PT_R_VIOMMU_DECLARED_SIZE, NULL, "%u bytes: the declared struct, drivers send %u",
		       c->req->size, c->req->kind->st->size);
}

/* ---- Base requests ---- */

static void check_base(const struct chk *c)
{
	const struct pt_viommu_kind *k = c->req->kind;
	if ((k->type == PT_VT_MAP || k->type == PT_VT_UNMAP) &&
	    get(c, "virt_end") < get(c, "virt_start"))
		report(c, PT_R_VIOMMU_MAP_RANGE, "virt_end", "virt_end 0x%llx below virt_start 0x%llx",
		       (unsigned long long)get(c, "virt_end"), (unsigned long long)get(c, "virt_start"));
}

/* ---- ATTACH_TABLE ---- */

static uint64_t root_align(unsigned s1fmt, unsigned n)
{
	if (n == 0)
		return 64;
	if (s1fmt == 1 || s1fmt == 2) {
		unsigned k = s1fmt == 1 ? 6 : 10;
		uint64_t l1 = (n > k ? UINT64_C(1) << (n - k) : 1) * 8;
		return l1 > 64 ? l1 : 64;
	}
	return (UINT64_C(1) << n) * 64;
}

static void check_ptr(const struct chk *c, const char *pf, uint64_t ptr, unsigned s1fmt, uint64_t n)
{
	if (ptr & 0x3f)
		report(c, PT_R_ATTACH_PTR_LOW, pf, "%s 0x%llx has bits 5:0 set", pf,
		       (unsigned long long)ptr);
	if (ptr >> 56) {
		report(c, PT_R_ATTACH_PTR_HIGH, pf, "%s 0x%llx has bits 63:56 set", pf,
		       (unsigned long long)ptr);
		return;
	}
	if (c->caps->oas < 64 && ptr >> c->caps->oas)
		report(c, PT_R_ATTACH_PTR_RANGE, pf, "%s 0x%llx is beyond the %u-bit output size (%s)",
		       pf, (unsigned long long)ptr, c->caps->oas, c->caps->origin);
	if (n > PT_MAX_SSID_BITS || (ptr & 0x3f))
		return;
	uint64_t align = root_align(s1fmt, (unsigned)n);
	if (ptr & (align - 1))
		report(c, PT_R_ATTACH_PTR_ALIGN, pf, "%s 0x%llx is not aligned to 0x%llx (s1fmt %u, "
		       "s1cdmax %llu)", pf, (unsigned long long)ptr, (unsigned long long)align, s1fmt,
		       (unsigned long long)n);
}

static void check_cdmax(const struct chk *c, const char *mf, uint64_t n, uint64_t s1fmt)
{
	if (n > PT_MAX_SSID_BITS)
		report(c, PT_R_ATTACH_S1CDMAX, mf, "%s %llu above 20%s", mf, (unsigned long long)n,
		       n >= 32 ? " (does not fit the 5-bit STE field)" : "");
	else if (n > c->caps->pasid_bits)
		report(c, PT_R_ATTACH_S1CDMAX_CAPS, mf, "%s %llu above the %u PASID bits (%s)", mf,
		       (unsigned long long)n, c->caps->pasid_bits, c->caps->origin);
	if (n == 0 && s1fmt != 0)
		report(c, PT_R_ATTACH_S1CDMAX_ZERO, "s1fmt", "s1fmt %llu ignored: s1cdmax is 0",
		       (unsigned long long)s1fmt);
	if (n > 0 && (s1fmt == 1 || s1fmt == 2) && !c->caps->cd2l)
		report(c, PT_R_ATTACH_CD2L, "s1fmt", "2-level CD table but no CD2L (%s)",
		       c->caps->origin);
}

static void check_ste(const struct chk *c)
{
	uint64_t v = get(c, "v"), cfg = get(c, "config");
	if (get(c, "ste1_mid") || get(c, "ste1_hi"))
		report(c, PT_R_ATTACH_STE_BITS, "ste1_mid", "STE DW1 has bits outside the nesting mask");
	if (v && cfg != 0 && cfg != 4 && cfg != 5)
		report(c, PT_R_ATTACH_STE_CONFIG, "config", "STE Config %llu", (unsigned long long)cfg);
}

/* PASID table (RFC1/V09D/INTEL pst_arm, V07 pst view, QCOM STE). */
static void check_pst(const struct chk *c)
{
	const char *pf = has(c, "base") ? "base" : "s1contextptr";
	const char *mf = has(c, "size") ? "size" : "s1cdmax";
	uint64_t s1fmt = get(c, "s1fmt"), s1dss = get(c, "s1dss"), n = get(c, mf);
	if (c->req->kind->view == PT_VW_STE_ARM) {
		check_ste(c);
		if (!get(c, "v") || get(c, "config") != 5)
			return;  /* no stage-1 CD table in use */
	}
	if (s1fmt > 2)
		report(c, PT_R_ATTACH_S1FMT, "s1fmt", "s1fmt %llu is reserved", (unsigned long long)s1fmt);
	if (s1dss > 2)
		report(c, PT_R_ATTACH_S1DSS, "s1dss", "s1dss %llu is reserved", (unsigned long long)s1dss);
	check_cdmax(c, mf, n, s1fmt);
	check_ptr(c, pf, get(c, pf), (unsigned)s1fmt, n);
}

static void check_tcr(const struct chk *c)
{
	uint64_t tcr = get(c, "tcr");
	unsigned t0sz = (unsigned)(tcr & 0x3f), tg0 = (unsigned)(tcr >> 14 & 3);
	if (tg0 == 3)
		report(c, PT_R_ATTACH_TG0, "tcr", "TCR 0x%llx: TG0 encoding 3 is reserved",
		       (unsigned long long)tcr);
	if (t0sz < 12 || t0sz > 48)
		report(c, PT_R_ATTACH_T0SZ, "tcr", "TCR 0x%llx: T0SZ %u outside 12..48",
		       (unsigned long long)tcr, t0sz);
}

static void check_root(const struct chk *c, const char *name, uint64_t align)
{
	uint64_t v = get(c, name);
	if (v & (align - 1))
		report(c, PT_R_ATTACH_TTBR, name, "%s 0x%llx not aligned to %llu bytes", name,
		       (unsigned long long)v, (unsigned long long)align);
	else if (c->caps->oas < 64 && v >> c->caps->oas)
		report(c, PT_R_ATTACH_TTBR, name, "%s 0x%llx beyond the %u-bit output size", name,
		       (unsigned long long)v, c->caps->oas);
}

static void check_pgt(const struct chk *c)
{
	static const char *const roots[] = { "ttbr", "ttbr0", "base", NULL };
	uint64_t asid = get(c, "asid");
	if (!fits_bits(asid, c->caps->asid_bits))
		report(c, PT_R_ATTACH_ASID, "asid", "asid %llu needs more than %u bits (%s)",
		       (unsigned long long)asid, c->caps->asid_bits, c->caps->origin);
	check_tcr(c);
	for (unsigned i = 0; roots[i]; i++)
		if (has(c, roots[i]))
			check_root(c, roots[i], 64);
}

static void check_attach_caps(const struct chk *c)
{
	const struct pt_viommu_kind *k = c->req->kind;
	uint64_t fmt = get(c, "format");
	int want = k->view == PT_VW_PGT_ARM ? c->caps->pgt_format : c->caps->pst_format;
	if (c->caps->has_endpoint && get(c, "endpoint") != c->caps->endpoint)
		report(c, PT_R_ATTACH_CAPS_ENDPOINT, "endpoint", "endpoint %llu, PROBE was for %u",
		       (unsigned long long)get(c, "endpoint"), c->caps->endpoint);
	if (k->view != PT_VW_GENERIC && want >= 0 && fmt != (uint64_t)want)
		report(c, PT_R_ATTACH_CAPS_FORMAT, "format", "format %llu, PROBE advertised %d",
		       (unsigned long long)fmt, want);
}

static void remember_domain(const struct chk *c)
{
	struct pt_viommu_state *s = c->state;
	uint64_t n = get(c, has(c, "size") ? "size" : "s1cdmax");
	uint32_t dom = (uint32_t)get(c, "domain");
	if (!s)
		return;
	for (uint32_t i = 0; i < s->ndomains; i++) {
		if (s->domains[i].domain == dom) {
			s->domains[i].ssid_bits = (unsigned)(n > 32 ? 32 : n);
			return;
		}
	}
	if (s->ndomains < PT_VIOMMU_MAX_DOMAINS) {
		s->domains[s->ndomains].domain = dom;
		s->domains[s->ndomains++].ssid_bits = (unsigned)(n > 32 ? 32 : n);
	}
}

static void check_attach_table(const struct chk *c)
{
	const struct pt_viommu_kind *k = c->req->kind;
	uint64_t fmt = get(c, "format");
	const struct pt_field *ff = pt_struct_field(k->st, "format");
	if (k->view == PT_VW_GENERIC) {
		if (has(c, "table") && (get(c, "table") == 0 || get(c, "table") == 3))
			report(c, PT_R_ATTACH_VIEW, "table", "flags select %s view",
			       get(c, "table") ? "both the PST and the PGT" : "no");
		else
			report(c, PT_R_ATTACH_FORMAT, "format", "format %llu%s%s%s", (unsigned long long)fmt,
			       ff && pt_field_enum_name(ff, fmt) ? " (" : " is unknown",
			       ff && pt_field_enum_name(ff, fmt) ? pt_field_enum_name(ff, fmt) : "",
			       ff && pt_field_enum_name(ff, fmt) ? ") has no layout in this variant" : "");
	} else if (has(c, "table") && ff && !pt_field_enum_name(ff, fmt)) {
		report(c, PT_R_ATTACH_FORMAT, "format", "format %llu is unknown", (unsigned long long)fmt);
	}
	check_attach_caps(c);
	switch (k->view) {
	case PT_VW_PST_ARM:
	case PT_VW_STE_ARM:
		check_pst(c);
		remember_domain(c);
		break;
	case PT_VW_PGT_ARM: check_pgt(c); break;
	case PT_VW_PGT_VIRT: check_root(c, "pgd", 4096); break;
	case PT_VW_PGT_VTD: check_root(c, "pgd", 4096); break;
	default: break;
	}
}

/* ---- INVALIDATE ---- */

/* The four dialects, reduced to what the checks need. */
struct inval {
	unsigned nscope;     /* scope bits set (QCOM: 1 when the enum is valid) */
	int va, pasid_used, id_used, caches;
	uint64_t pasid, id, start, pages, gran;
	const char *start_f, *gran_f, *id_f;
};

static void inval_view(const struct chk *c, struct inval *iv)
{
	memset(iv, 0, sizeof *iv);
	iv->pasid = get(c, "pasid");
	iv->pages = get(c, "nr_pages");
	iv->caches = 1;
	if (has(c, "g_domain")) {            /* RFC1, INTEL */
		iv->nscope = popcount3(get(c, "g_domain"), get(c, "g_pasid"), get(c, "g_va"));
		iv->va = (int)get(c, "g_va");
		iv->pasid_used = (int)(get(c, "f_pasid") || get(c, "g_pasid"));
		iv->id_used = (int)get(c, "f_archid");
		iv->caches = get(c, "t_iotlb") || get(c, "t_dev_iotlb") || get(c, "t_pasid");
		iv->id_f = "archid";
		iv->start_f = "virt_start";
		iv->gran_f = "granule";
	} else if (has(c, "scope")) {        /* QCOM */
		uint64_t s = get(c, "scope");
		iv->nscope = s >= 1 && s <= 3;
		iv->va = s == 3;
		iv->pasid_used = (int)get(c, "f_pasid");
		iv->id_used = (int)get(c, "f_id");
		iv->caches = get(c, "c_pasid") || get(c, "c_tlb");
		iv->id_f = "id";
		iv->start_f = "address";
		iv->gran_f = "page_size";
	} else {                             /* V09D, V07 */
		iv->nscope = popcount3(get(c, "s_domain"), get(c, "s_pasid"), get(c, "s_va"));
		iv->va = (int)get(c, "s_va");
		iv->pasid_used = iv->id_used = (int)(get(c, "s_pasid") || get(c, "s_va"));
		iv->id_f = has(c, "tag") ? "tag" : "id";
		iv->start_f = "virt_start";
		iv->gran_f = "granule";
	}
	iv->id = get(c, iv->id_f);
	iv->start = get(c, iv->start_f);
	iv->gran = get(c, iv->gran_f);
}

static void check_inval_range(const struct chk *c, const struct inval *iv)
{
	if (iv->gran < 12 || iv->gran > 63) {
		report(c, PT_R_INVAL_GRANULE, iv->gran_f, "%s %llu outside 12..63", iv->gran_f,
		       (unsigned long long)iv->gran);
		return;
	}
	if (c->caps->page_size_mask && !(c->caps->page_size_mask >> iv->gran & 1))
		report(c, PT_R_INVAL_GRANULE, iv->gran_f, "page size 2^%llu not in page_size_mask 0x%llx",
		       (unsigned long long)iv->gran, (unsigned long long)c->caps->page_size_mask);
	uint64_t psize = UINT64_C(1) << iv->gran;
	if (iv->start & (psize - 1))
		report(c, PT_R_INVAL_ALIGN, iv->start_f, "%s 0x%llx not aligned to 2^%llu", iv->start_f,
		       (unsigned long long)iv->start, (unsigned long long)iv->gran);
	if (iv->pages == 0)
		report(c, PT_R_INVAL_PAGES, "nr_pages", "nr_pages is 0");
	else if (iv->pages > (UINT64_MAX >> iv->gran) ||
		 iv->start + ((iv->pages << iv->gran) - 1) < iv->start)
		report(c, PT_R_INVAL_PAGES, "nr_pages", "%llu pages of 2^%llu from 0x%llx wrap around",
		       (unsigned long long)iv->pages, (unsigned long long)iv->gran,
		       (unsigned long long)iv->start);
}

/* SSID bits of the table attached to the domain, or -1. */
static int domain_bits(const struct chk *c, uint32_t dom)
{
	for (uint32_t i = 0; c->state && i < c->state->ndomains; i++)
		if (c->state->domains[i].domain == dom)
			return (int)c->state->domains[i].ssid_bits;
	return -1;
}

static void check_invalidate(const struct chk *c)
{
	struct inval iv;
	inval_view(c, &iv);
	uint32_t dom = (uint32_t)get(c, "domain");
	int bits = domain_bits(c, dom);
	if (iv.nscope != 1)
		report(c, PT_R_INVAL_SCOPE, NULL, "%u scopes selected, need exactly one", iv.nscope);
	if (!iv.caches)
		report(c, PT_R_INVAL_TYPE, NULL, "no cache selected");
	if (iv.va)
		check_inval_range(c, &iv);
	if (iv.pasid_used && bits >= 0 && !fits_bits(iv.pasid, (unsigned)bits))
		report(c, PT_R_INVAL_PASID, "pasid", "pasid %llu beyond the domain's s1cdmax %d",
		       (unsigned long long)iv.pasid, bits);
	else if (iv.pasid_used && !fits_bits(iv.pasid, c->caps->pasid_bits))
		report(c, PT_R_INVAL_PASID, "pasid", "pasid %llu needs more than %u bits (%s)",
		       (unsigned long long)iv.pasid, c->caps->pasid_bits, c->caps->origin);
	if (iv.id_used && !fits_bits(iv.id, c->caps->asid_bits))
		report(c, PT_R_INVAL_ASID, iv.id_f, "%s %llu needs more than %u bits (%s)", iv.id_f,
		       (unsigned long long)iv.id, c->caps->asid_bits, c->caps->origin);
	if (bits < 0 && c->state && c->state->ndomains)
		report(c, PT_R_INVAL_DOMAIN, "domain", "domain %u has no table attached earlier", dom);
}

/* ---- PROBE ---- */

struct probe_chk {
	const struct chk *c;
	uint32_t end;        /* offset past the last property */
	unsigned seen;       /* bit per property type 0..15 */
	int overrun;
};

static void report_prop(const struct probe_chk *pc, uint32_t off, enum pt_viommu_rule_id id,
			const char *what, const char *msg)
{
	const struct chk *c = pc->c;
	pt_diag_report(c->diags, &pt_viommu_rule_list[id], 1,
		       c->req->offset + PT_VIOMMU_PROBE_HEAD + off, PT_SCOPE_NONE, 0,
		       pt_viommu_rule_list[id].field, "probe: property %s at +%u: %s", what, off, msg);
}

static uint64_t pfield(const struct pt_struct *st, const uint8_t *tmp, const char *name, int *ok)
{
	const struct pt_field *f = st ? pt_struct_field(st, name) : NULL;
	*ok = f != NULL;
	return f ? pt_field_get(tmp, f) : 0;
}

static void check_prop_values(const struct probe_chk *pc, uint32_t off,
			      const struct pt_viommu_prop *p, const uint8_t *tmp)
{
	char msg[96];
	int ok;
	uint64_t v = pfield(p->st, tmp, "asid_bits", &ok);
	if (ok && v != 8 && v != 16) {
		snprintf(msg, sizeof msg, "asid_bits %llu", (unsigned long long)v);
		report_prop(pc, off, PT_R_PROBE_ASID_BITS, p->name, msg);
	}
	v = pfield(p->st, tmp, "bits", &ok);
	if (ok && p->type == 5 && v > PT_MAX_SSID_BITS) {
		snprintf(msg, sizeof msg, "%llu PASID bits", (unsigned long long)v);
		report_prop(pc, off, PT_R_PROBE_PASID_SIZE, p->name, msg);
	}
	if (ok && p->type == 4 && (v == 0 || v > 64)) {
		snprintf(msg, sizeof msg, "output size %llu bits", (unsigned long long)v);
		report_prop(pc, off, PT_R_PROBE_RANGE, p->name, msg);
	}
	int ok2;
	uint64_t start = pfield(p->st, tmp, "start", &ok), end = pfield(p->st, tmp, "end", &ok2);
	if (ok && ok2 && end < start)
		report_prop(pc, off, PT_R_PROBE_RANGE, p->name, "end below start");
	const struct pt_field *ff = pt_struct_field(p->st, "format");
	if (ff && !pt_field_enum_name(ff, pt_field_get(tmp, ff))) {
		snprintf(msg, sizeof msg, "format %llu", (unsigned long long)pt_field_get(tmp, ff));
		report_prop(pc, off, PT_R_PROBE_FORMAT, p->name, msg);
	}
}

static int check_prop(void *user, uint32_t off, const struct pt_viommu_prop *p, const uint8_t *pb,
		      uint32_t plen, uint32_t length)
{
	struct probe_chk *pc = user;
	const char *name = p ? p->name : "unknown";
	unsigned type = (unsigned)(pb[0] | (pb[1] & 0xf) << 8);
	pc->end = off + plen;
	if (plen < 4 + length) {
		pc->overrun = 1;
		report_prop(pc, off, PT_R_PROBE_OVERRUN, name, "length runs past probe_size");
		return 1;
	}
	if (pb[1] & 0xf0)
		report_prop(pc, off, PT_R_PROBE_PROP_RESERVED, name, "header bits 15:12 set");
	if (!p) {
		report_prop(pc, off, PT_R_PROBE_PROP_UNKNOWN, name, "type not known to the variant");
		return 0;
	}
	if ((type == 6 || type == 7) && (pc->seen >> type & 1) && strstr(p->name, "table_fmt"))
		report_prop(pc, off, PT_R_PROBE_DUPLICATE, name, "second property of this type");
	pc->seen |= type < 16 ? 1u << type : 0;
	if (!p->st)
		return 0;
	if (p->st->size != plen) {
		char msg[64];
		snprintf(msg, sizeof msg, "length %u, layout has %u", length, p->st->size - 4);
		report_prop(pc, off, PT_R_PROBE_PROP_LENGTH, name, msg);
		return 0;
	}
	uint8_t tmp[64] = { 0 };
	memcpy(tmp, pb, plen < sizeof tmp ? plen : sizeof tmp);
	check_prop_values(pc, off, p, tmp);
	return 0;
}

static void check_probe(const struct chk *c)
{
	struct probe_chk pc = { c, 0, 0, 0 };
	pt_viommu_props_foreach(c->ctx, c->req, check_prop, &pc);
	const uint8_t *props = c->req->bytes + PT_VIOMMU_PROBE_HEAD;
	for (uint32_t i = pc.end; !pc.overrun && i < c->req->probe_size; i++) {
		if (props[i]) {
			report_prop(&pc, i, PT_R_PROBE_UNUSED, "area", "non-zero byte after the last property");
			break;
		}
	}
	if (c->ctx->variant != PT_VV_QCOM && (pc.seen & 0xc0) && !(pc.seen & 0x10))
		report(c, PT_R_PROBE_NO_OUTPUT, NULL, "table formats announced without OUTPUT_SIZE");
}

void pt_viommu_check(const struct pt_viommu_ctx *ctx, const struct pt_viommu_req *req,
		     const struct pt_viommu_caps *caps, struct pt_viommu_state *state,
		     struct pt_diag_sink *diags)
{
	struct chk c = { ctx, req, caps, state, diags };
	check_reserved(&c);
	check_status(&c);
	switch (req->kind->type) {
	case PT_VT_ATTACH_TABLE: check_attach_table(&c); break;
	case PT_VT_INVALIDATE: check_invalidate(&c); break;
	case PT_VT_PROBE: check_probe(&c); break;
	default: check_base(&c); break;
	}
}

/* ---- Capabilities ---- */

void pt_viommu_caps_default(struct pt_viommu_caps *caps)
{
	memset(caps, 0, sizeof *caps);
	caps->pasid_bits = PT_MAX_SSID_BITS;
	caps->asid_bits = 16;
	caps->oas = 48;
	caps->cd2l = 1;
	caps->pst_format = -1;
	caps->pgt_format = -1;
	caps->origin = "default caps";
}

struct caps_key {
	const char *name;
	uint64_t max;
};

/* Spelled like the SMMU caps keys (validate --caps: ssid-bits); the
 * snake_case spelling of earlier versions is still read. */
static const struct caps_key caps_keys[] = {
	{ "pasid-bits", PT_MAX_SSID_BITS }, { "asid-bits", 16 }, { "oas", 64 }, { "cd2l", 1 },
	{ "pst-format", 0xffff }, { "pgt-format", 0xffff }, { "page-size-mask", UINT64_MAX },
	{ "endpoint", UINT32_MAX },
};

static const char *const caps_key_names[] = {
	"pasid-bits", "asid-bits", "oas", "cd2l", "pst-format", "pgt-format", "page-size-mask",
	"endpoint", NULL,
};

/* "pasid_bits" -> "pasid-bits" into buf. */
static const char *kebab(const char *key, char *buf, size_t len)
{
	size_t i = 0;
	for (; key[i] && i + 1 < len; i++)
		buf[i] = key[i] == '_' ? '-' : key[i];
	buf[i] = '\0';
	return buf;
}

static void caps_set(struct pt_viommu_caps *caps, unsigned key, uint64_t v)
{
	switch (key) {
	case 0: caps->pasid_bits = (unsigned)v; break;
	case 1: caps->asid_bits = (unsigned)v; break;
	case 2: caps->oas = (unsigned)v; break;
	case 3: caps->cd2l = (int)v; break;
	case 4: caps->pst_format = (int)v; break;
	case 5: caps->pgt_format = (int)v; break;
	case 6: caps->page_size_mask = v; break;
	default:
		caps->has_endpoint = 1;
		caps->endpoint = (uint32_t)v;
		break;
	}
}

static int caps_pair(void *ctx, const char *key, const char *value, char *err, size_t errlen)
{
	struct pt_viommu_caps *caps = ctx;
	uint64_t v;
	char name[32];
	kebab(key, name, sizeof name);
	for (unsigned i = 0; i < sizeof caps_keys / sizeof caps_keys[0]; i++) {
		if (strcmp(caps_keys[i].name, name) != 0)
			continue;
		if (pt_parse_u64(value, &v) != 0 || v > caps_keys[i].max) {
			snprintf(err, errlen, "caps %s: bad value \"%s\"", key, value);
			return -1;
		}
		caps_set(caps, i, v);
		return 0;
	}
	snprintf(err, errlen, "unknown caps key '%s' (pasid-bits, asid-bits, oas, cd2l, "
		 "pst-format, pgt-format, page-size-mask, endpoint)", key);
	pt_suggest_append(err, errlen, name, caps_key_names);
	return -1;
}

/* The device caps have no profiles: a bare word is an error. */
static int caps_name(void *ctx, const char *name, char *err, size_t errlen)
{
	(void)ctx;
	snprintf(err, errlen, "caps item \"%s\" is not key=value", name);
	return -1;
}

static const struct pt_kvlist_ops caps_syntax = { caps_name, caps_pair };

int pt_viommu_caps_parse(const char *spec, struct pt_viommu_caps *caps, char *err, size_t errlen)
{
	int rc = pt_kvlist_parse(spec, &caps_syntax, caps, err, errlen);
	caps->origin = "--caps";
	return rc;
}

static const unsigned oas_bits[8] = { 32, 36, 40, 42, 44, 48, 52, 56 };

static void caps_from_smmu(struct pt_viommu_caps *caps, const struct pt_struct *st,
			   const uint8_t *tmp)
{
	int ok;
	uint64_t idr0 = pfield(st, tmp, "idr0", &ok), idr1 = pfield(st, tmp, "idr1", &ok);
	uint64_t idr5 = pfield(st, tmp, "idr5", &ok);
	caps->cd2l = (int)(idr0 >> 19 & 1);
	caps->asid_bits = (idr0 >> 12 & 1) ? 16 : 8;
	caps->pasid_bits = (unsigned)(idr1 >> 6 & 0x1f);
	caps->oas = oas_bits[idr5 & 7];
}

static int caps_prop(void *user, uint32_t off, const struct pt_viommu_prop *p, const uint8_t *pb,
		     uint32_t plen, uint32_t length)
{
	struct pt_viommu_caps *caps = user;
	uint8_t tmp[64] = { 0 };
	int ok;
	(void)off;
	(void)length;
	if (!p || !p->st || p->st->size != plen)
		return 0;
	memcpy(tmp, pb, plen);
	uint64_t bits = pfield(p->st, tmp, "bits", &ok);
	if (strcmp(p->name, "pasid_size") == 0 && ok)
		caps->pasid_bits = (unsigned)(bits > 64 ? 64 : bits);
	else if (strcmp(p->name, "output_size") == 0 && ok)
		caps->oas = (unsigned)(bits > 64 ? 64 : bits);
	else if (strcmp(p->name, "page_size_mask") == 0)
		caps->page_size_mask = pfield(p->st, tmp, "mask", &ok);
	else if (strcmp(p->name, "hw_arm_smmu3") == 0)
		caps_from_smmu(caps, p->st, tmp);
	else if (strcmp(p->name, "page_table_fmt") == 0 && caps->pgt_format < 0) {
		caps->pgt_format = (int)pfield(p->st, tmp, "format", &ok);
		uint64_t ab = pfield(p->st, tmp, "asid_bits", &ok);
		if (ok && (ab == 8 || ab == 16))
			caps->asid_bits = (unsigned)ab;
	} else if (strcmp(p->name, "pasid_table_fmt") == 0 && caps->pst_format < 0) {
		caps->pst_format = (int)pfield(p->st, tmp, "format", &ok);
		uint64_t a16 = pfield(p->st, tmp, "asid16", &ok);
		if (ok)  /* V07 says ASID16 here */
			caps->asid_bits = a16 ? 16 : 8;
	}
	return 0;
}

void pt_viommu_caps_from_probe(const struct pt_viommu_ctx *ctx, const struct pt_viommu_req *req,
			       struct pt_viommu_caps *caps)
{
	pt_viommu_caps_default(caps);
	caps->pasid_bits = 0;  /* no PASID_SIZE property: no PASID support */
	caps->has_endpoint = 1;
	caps->endpoint = (uint32_t)pt_field_get(req->buf, pt_struct_field(req->kind->st, "endpoint"));
	caps->origin = "--probe";
	pt_viommu_props_foreach(ctx, req, caps_prop, caps);
}

/* ---- The table in a dump ---- */

int pt_viommu_check_dump(const struct pt_viommu_req *req, const struct pt_table_cfg *cfg,
			 const struct pt_source *src, struct pt_diag_sink *diags)
{
	struct pt_viommu_caps caps;
	struct chk c = { NULL, req, &caps, NULL, diags };
	struct pt_geometry g;
	const char *pf = has(&c, "base") ? "base" : "s1contextptr";
	pt_viommu_caps_default(&caps);
	if (pt_geometry(cfg, &g) != 0)
		return 0;
	if (!pt_source_covers(src, cfg->base, 1)) {
		report(&c, PT_R_ATTACH_DUMP_PTR, pf, "table at 0x%llx is not in the dump",
		       (unsigned long long)cfg->base);
		return 0;
	}
	if (!pt_source_covers(src, cfg->base, g.root_bytes))
		report(&c, PT_R_ATTACH_DUMP_SHORT, pf, "%s table of 0x%llx bytes at 0x%llx runs past "
		       "the dump", g.ndir ? "L1CD" : "CD", (unsigned long long)g.root_bytes,
		       (unsigned long long)cfg->base);
	return 1;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Validation of VT-d scalable-mode PASID directory entries and PASID-table
 * entries: one rule per condition of the scalable-mode fault reasons that
 * concern them (SPD.x, SPT.x, and SCT.7 for the directory's size), each with
 * the fault reason the remapping hardware records. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "vtd.h"

#define SPEC_PE "VT-d 3.x §9.6 (scalable-mode PASID-table entry)"
#define SPEC_PDE "VT-d 3.x §9.5 (scalable-mode PASID directory entry)"
#define SPEC_FR "VT-d 3.x §7.1.3 (scalable-mode fault reasons)"

const struct pt_rule vtd_rule_list[R_VTD_COUNT] = {
	[R_VTD_PDE_READ] = { "VTD-PDE-READ", PT_SEV_NOTE, NULL,
		"the PASID directory (or the entry of an SSID asked for) is not in the input",
		"if the unit cannot read it either: fault reason 0x50 (SPD.1, directory-entry "
		"read error)", SPEC_FR " SPD.1; QEMU vtd_get_pdire_from_pdir_table" },
	[R_VTD_PDE_NOT_PRESENT] = { "VTD-PDE-NOT-PRESENT", PT_SEV_ERROR, "p",
		"an SSID asked for sits behind a PASID directory entry with P = 0",
		"fault reason 0x51 (SPD.2), not recorded when the entry's FPD = 1",
		SPEC_FR " SPD.2; " SPEC_PDE },
	[R_VTD_PDE_RSVD] = { "VTD-PDE-RSVD", PT_SEV_ERROR, NULL,
		"a present PASID directory entry has reserved bits 11:2 set, or a PASID-table "
		"pointer at or above the host address width (CAP.MGAW)",
		"fault reason 0x52 (SPD.3); QEMU does not check it", SPEC_FR " SPD.3; " SPEC_PDE },
	[R_VTD_PE_READ] = { "VTD-PE-READ", PT_SEV_NOTE, "smptblptr",
		"a present directory entry points at a PASID table that is not in the input",
		"if the unit cannot read it either: fault reason 0x58 (SPT.1) for its 64 PASIDs",
		SPEC_FR " SPT.1; QEMU vtd_get_pe_in_pasid_leaf_table" },
	[R_VTD_PE_NOT_PRESENT] = { "VTD-PE-NOT-PRESENT", PT_SEV_ERROR, "p",
		"the PASID-table entry of an SSID asked for has P = 0",
		"fault reason 0x59 (SPT.2), not recorded when FPD = 1", SPEC_FR " SPT.2; " SPEC_PE },
	[R_VTD_PE_RSVD] = { "VTD-PE-RSVD", PT_SEV_ERROR, NULL,
		"a present PASID-table entry has reserved bits set (11:10, 86:80, 139:136, "
		"511:192)", "fault reason 0x5A (SPT.3); QEMU does not check it",
		SPEC_FR " SPT.3; " SPEC_PE },
	[R_VTD_PE_RSVD_FEATURE] = { "VTD-PE-RSVD-FEATURE", PT_SEV_ERROR, NULL,
		"a field whose capability the unit lacks is set: SRE (ECAP.SRS), ERE (ERS), "
		"EAFE (EAFS), SLADE (SLADS), CD/EMTE/EMT/PWT/PCD/PAT (MTS)",
		"the field is reserved on this unit: fault reason 0x5A (SPT.3)",
		SPEC_FR " SPT.3; " SPEC_PE "; Linux pasid.c" },
	[R_VTD_PE_PGTT_RESERVED] = { "VTD-PE-PGTT-RESERVED", PT_SEV_ERROR, "pgtt",
		"a present entry's PGTT is a reserved encoding (000, 101, 110, 111)",
		"fault reason 0x5B (SPT.4.x, invalid PASID-entry programming)",
		SPEC_FR " SPT.4; QEMU vtd_pe_type_check" },
	[R_VTD_PE_PGTT_UNSUPPORTED] = { "VTD-PE-PGTT-UNSUPPORTED", PT_SEV_ERROR, "pgtt",
		"PGTT selects a translation type the unit does not report: first-stage (ECAP.FLTS), "
		"second-stage (SLTS), nested (NEST), pass-through (PT)",
		"fault reason 0x5B (SPT.4.x); QEMU also refuses nested whatever its caps",
		SPEC_FR " SPT.4; QEMU vtd_pe_type_check" },
	[R_VTD_PE_AW] = { "VTD-PE-AW", PT_SEV_ERROR, "aw",
		"second-stage or nested translation with an AW that is reserved or not in "
		"CAP.SAGAW", "fault reason 0x5B (SPT.4.x)",
		SPEC_FR " SPT.4; " SPEC_PE " AW; QEMU vtd_is_sl_level_supported" },
	[R_VTD_PE_FLPM] = { "VTD-PE-FLPM", PT_SEV_ERROR, "flpm",
		"first-stage or nested translation with FLPM reserved (10, 11), or 5-level "
		"(01) on a unit without CAP.FL5LP", "fault reason 0x5B (SPT.4.x); QEMU accepts "
		"4-level only", SPEC_FR " SPT.4; " SPEC_PE " FLPM" },
	[R_VTD_PE_DID] = { "VTD-PE-DID", PT_SEV_ERROR, "did",
		"the DID is beyond the 2^(4+2*CAP.ND) domain ids the unit implements",
		"fault reason 0x5B (SPT.4.x) where checked; a unit that drops the high bits tags "
		"the IOTLB with another domain's id", SPEC_PE " DID; VT-d §11.4.2 CAP.ND" },
	[R_VTD_PE_SLPTPTR_RANGE] = { "VTD-PE-SLPTPTR-RANGE", PT_SEV_ERROR, "slptptr",
		"second-stage or nested translation with SLPTPTR at or above the host address "
		"width (CAP.MGAW)", "SLPTPTR bits above HAW are reserved: fault reason 0x5A "
		"(SPT.3); a unit walking it reports 0x7B (SSL.4, invalid SLPTPTR)",
		SPEC_PE " SLPTPTR; " SPEC_FR " SSL.4" },
	[R_VTD_PE_FLPTPTR_RANGE] = { "VTD-PE-FLPTPTR-RANGE", PT_SEV_ERROR, "flptptr",
		"first-stage translation with FLPTPTR at or above the host address width, or "
		"nested translation with FLPTPTR (a GPA) beyond the second stage's input width",
		"first-stage: reserved bits, fault reason 0x5A (SPT.3); nested: the root "
		"fetch faults, 0x73 (SFL.4, QEMU 'invalid FSPTPTR')",
		SPEC_PE " FLPTPTR; " SPEC_FR " SFL.4" },
	[R_VTD_PE_ERE] = { "VTD-PE-ERE", PT_SEV_NOTE, "ere",
		"the entry of an SSID asked for has ERE = 0 on a unit with ECAP.ERS",
		"execute requests with this PASID fault with 0x5C (SPT.5)", SPEC_FR " SPT.5" },
	[R_VTD_PE_SRE] = { "VTD-PE-SRE", PT_SEV_NOTE, "sre",
		"the entry of an SSID asked for has SRE = 0 on a unit with ECAP.SRS",
		"supervisor requests with this PASID fault with 0x5D (SPT.6)", SPEC_FR " SPT.6" },
	[R_VTD_DIR_ALIGN] = { "VTD-DIR-ALIGN", PT_SEV_ERROR, NULL,
		"the PASID directory is not 4 KiB aligned",
		"no context entry can hold it: PASIDDIRPTR is bits 63:12, below it sit P, FPD, "
		"DTE, PASIDE, PRE, PDTS and reserved bits 8:5 (fault reason 0x42, SCT.3, if "
		"set); the unit reads the directory at the address rounded down",
		"VT-d 3.x §9.4 PASIDDIRPTR; " SPEC_FR " SCT.3" },
	[R_VTD_DIR_PDTS] = { "VTD-DIR-PDTS", PT_SEV_WARNING, NULL,
		"the table's SSID bits are not a size a context entry's PDTS gives (13..20 bits: "
		"128..16384 directory entries) or exceed the unit's PASID width (ECAP.PSS + 1)",
		"PASIDs beyond 2^(PDTS+13) fault with 0x46 (SCT.7); below it the unit reads "
		"directory entries outside the table described", "VT-d 3.x §9.4 PDTS; "
		SPEC_FR " SCT.7" },
};

const struct pt_rule_set vtd_rules = { "vtd-pasid", vtd_rule_list, R_VTD_COUNT };

/* ---- helpers ---- */

struct pe_ctx {
	struct pt_walk *w;
	const struct vtd_caps *caps;
	enum pt_diag_scope scope;
	uint32_t id;             /* SSID, or directory index */
	uint64_t addr;
	uint64_t words[VTD_PE_SIZE / 8];
};

static void report(const struct pe_ctx *c, enum vtd_rule_id id, const char *field,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void report(const struct pe_ctx *c, enum vtd_rule_id id, const char *field,
		   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pt_diag_vfinding(c->w->diags, &vtd_rule_list[id], c->addr, c->scope, c->id, field, fmt, ap);
	va_end(ap);
}

static uint64_t f(const struct pe_ctx *c, enum vtd_pe_field_id id)
{
	return pt_field_from_words(c->words, &vtd_pe_fields[id]);
}

static const struct vtd_caps *walk_caps(const struct pt_walk *w, struct vtd_caps *fallback)
{
	if (w->caps)
		return w->caps;
	vtd_caps_default(fallback);
	return fallback;
}

static int beyond(uint64_t addr, unsigned bits)
{
	return bits < 64 && (addr >> bits) != 0;
}

/* ---- PASID-table entries ---- */

static void check_rsvd(const struct pe_ctx *c)
{
	static const enum vtd_pe_field_id res[] = { PE_RES0_11_10, PE_RES0_86_80, PE_RES0_139_136,
						    PE_RES0_255_192, PE_RES0_319_256,
						    PE_RES0_383_320, PE_RES0_447_384,
						    PE_RES0_511_448 };
	for (size_t i = 0; i < sizeof res / sizeof res[0]; i++)
		if (f(c, res[i]))
			report(c, R_VTD_PE_RSVD, vtd_pe_fields[res[i]].name, "%s = 0x%llx",
			       vtd_pe_fields[res[i]].label, (unsigned long long)f(c, res[i]));
}

struct gated {
	enum vtd_pe_field_id id;
	size_t cap_offset;       /* unsigned member of vtd_caps that makes it legal */
};

static unsigned cap_at(const struct vtd_caps *k, size_t off)
{
	unsigned v;
	memcpy(&v, (const char *)k + off, sizeof v);
	return v;
}

static void check_features(const struct pe_ctx *c)
{
	static const struct gated gated[] = {
		{ PE_SRE, offsetof(struct vtd_caps, srs) },
		{ PE_ERE, offsetof(struct vtd_caps, ers) },
		{ PE_EAFE, offsetof(struct vtd_caps, eafs) },
		{ PE_SLADE, offsetof(struct vtd_caps, slads) },
		{ PE_CD, offsetof(struct vtd_caps, mts) },
		{ PE_EMTE, offsetof(struct vtd_caps, mts) },
		{ PE_EMT, offsetof(struct vtd_caps, mts) },
		{ PE_PWT, offsetof(struct vtd_caps, mts) },
		{ PE_PCD, offsetof(struct vtd_caps, mts) },
		{ PE_PAT, offsetof(struct vtd_caps, mts) },
	};
	for (size_t i = 0; i < sizeof gated / sizeof gated[0]; i++) {
		const struct pt_field *fl = &vtd_pe_fields[gated[i].id];
		if (pt_field_from_words(c->words, fl) && !cap_at(c->caps, gated[i].cap_offset))
			report(c, R_VTD_PE_RSVD_FEATURE, fl->name,
			       "%s is set but the unit does not report its capability", fl->label);
	}
}

static int pgtt_supported(const struct vtd_caps *k, unsigned pgtt)
{
	switch (pgtt) {
	case VTD_PGTT_FS: return k->flts != 0;
	case VTD_PGTT_SS: return k->slts != 0;
	case VTD_PGTT_NESTED: return k->nest != 0;
	default: return k->pt != 0;
	}
}

static void check_ss(const struct pe_ctx *c)
{
	unsigned aw = (unsigned)f(c, PE_AW);
	if (!vtd_aw_bits(aw))
		report(c, R_VTD_PE_AW, NULL, "AW = %u is a reserved encoding", aw);
	else if (!(c->caps->sagaw & (1u << aw)))
		report(c, R_VTD_PE_AW, NULL, "AW = %u (%u-bit) is not in SAGAW 0x%x", aw,
		       vtd_aw_bits(aw), c->caps->sagaw);
	if (beyond(f(c, PE_SLPTPTR), c->caps->mgaw))
		report(c, R_VTD_PE_SLPTPTR_RANGE, NULL, "SLPTPTR 0x%llx is beyond the %u-bit host",
		       (unsigned long long)f(c, PE_SLPTPTR), c->caps->mgaw);
}

static void check_fs(const struct pe_ctx *c, unsigned pgtt)
{
	unsigned flpm = (unsigned)f(c, PE_FLPM);
	if (flpm > 1 || (flpm == 1 && !c->caps->fl5lp))
		report(c, R_VTD_PE_FLPM, NULL, "FLPM = %u %s", flpm,
		       flpm > 1 ? "is reserved" : "(5-level) needs CAP.FL5LP");
	uint64_t root = f(c, PE_FLPTPTR);
	/* Nested: FLPTPTR is a guest-physical address the second stage
	 * translates, so it must fit that stage's input width. */
	unsigned width = pgtt == VTD_PGTT_NESTED ? vtd_aw_bits((unsigned)f(c, PE_AW))
						 : c->caps->mgaw;
	if (width && beyond(root, width))
		report(c, R_VTD_PE_FLPTPTR_RANGE, NULL, "FLPTPTR 0x%llx is beyond the %u-bit %s",
		       (unsigned long long)root, width,
		       pgtt == VTD_PGTT_NESTED ? "second-stage input" : "host");
}

static void check_programming(const struct pe_ctx *c)
{
	unsigned pgtt = (unsigned)f(c, PE_PGTT);
	if (pgtt < VTD_PGTT_FS || pgtt > VTD_PGTT_PT) {
		report(c, R_VTD_PE_PGTT_RESERVED, NULL, "PGTT = %u is reserved", pgtt);
		return;
	}
	if (!pgtt_supported(c->caps, pgtt))
		report(c, R_VTD_PE_PGTT_UNSUPPORTED, NULL, "PGTT = %u (%s) is not supported", pgtt,
		       pt_field_enum_name(&vtd_pe_fields[PE_PGTT], pgtt));
	if (pgtt == VTD_PGTT_SS || pgtt == VTD_PGTT_NESTED)
		check_ss(c);
	if (pgtt == VTD_PGTT_FS || pgtt == VTD_PGTT_NESTED)
		check_fs(c, pgtt);
	unsigned nd_bits = 4 + 2 * c->caps->nd;
	if (nd_bits < 16 && (f(c, PE_DID) >> nd_bits))
		report(c, R_VTD_PE_DID, NULL, "DID 0x%llx needs more than %u domain-id bits",
		       (unsigned long long)f(c, PE_DID), nd_bits);
}

/* Requests the entry refuses: only said for an SSID the user asked about,
 * since most entries refuse supervisor and execute requests on purpose. */
static void check_requests(const struct pe_ctx *c)
{
	if (!c->w->one_ssid)
		return;
	if (c->caps->ers && !f(c, PE_ERE))
		report(c, R_VTD_PE_ERE, NULL, "ERE = 0");
	if (c->caps->srs && !f(c, PE_SRE))
		report(c, R_VTD_PE_SRE, NULL, "SRE = 0");
}

void vtd_check_entry(struct pt_walk *w, uint32_t ssid, uint64_t addr, const uint8_t *raw)
{
	struct vtd_caps fallback;
	struct pe_ctx c = { w, walk_caps(w, &fallback), PT_SCOPE_SSID, ssid, addr, { 0 } };
	pt_struct_words(&vtd_pe_struct, raw, c.words);
	if (!f(&c, PE_P)) {
		if (w->one_ssid)
			report(&c, R_VTD_PE_NOT_PRESENT, NULL, "P = 0%s",
			       f(&c, PE_FPD) ? " (FPD = 1)" : "");
		return;
	}
	check_rsvd(&c);
	check_features(&c);
	check_programming(&c);
	check_requests(&c);
}

/* ---- directory entries and the directory as a whole ---- */

void vtd_check_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw)
{
	struct vtd_caps fallback;
	struct pe_ctx c = { w, walk_caps(w, &fallback), PT_SCOPE_INDEX, index, addr, { 0 } };
	if (!pt_field_get(raw, &vtd_pde_fields[PDE_P]))
		return;
	uint64_t rsvd = pt_field_get(raw, &vtd_pde_fields[PDE_RES0_11_2]);
	uint64_t table = pt_field_get(raw, &vtd_pde_fields[PDE_SMPTBLPTR]);
	if (rsvd)
		report(&c, R_VTD_PDE_RSVD, "res0_11_2", "RES0[11:2] = 0x%llx",
		       (unsigned long long)rsvd);
	if (beyond(table, c.caps->mgaw))
		report(&c, R_VTD_PDE_RSVD, "smptblptr", "SMPTBLPTR 0x%llx is beyond the %u-bit host",
		       (unsigned long long)table, c.caps->mgaw);
	if (!pt_source_covers(w->src, table, (uint64_t)VTD_PE_SIZE << VTD_LEAF_BITS))
		report(&c, R_VTD_PE_READ, NULL, "PASID table 0x%llx is not in the input",
		       (unsigned long long)table);
}

/* The directory entries the walk needed: all of them, or the one of the
 * SSID asked for. */
static void check_dir_readable(struct pt_walk *w, const struct pe_ctx *c)
{
	uint64_t addr = w->cfg->base, len = w->geo.root_bytes;
	if (w->one_ssid) {
		addr += ((uint64_t)w->ssid >> w->geo.leaf_bits) * VTD_PDE_SIZE;
		len = VTD_PDE_SIZE;
	}
	if (len && !pt_source_covers(w->src, addr, len)) {
		struct pe_ctx at = *c;
		at.addr = addr;
		report(&at, R_VTD_PDE_READ, NULL, "PASID directory 0x%llx (0x%llx bytes) is not in "
		       "the input", (unsigned long long)addr, (unsigned long long)len);
	}
}

void vtd_check_done(struct pt_walk *w)
{
	struct vtd_caps fallback;
	struct pe_ctx c = { w, walk_caps(w, &fallback), PT_SCOPE_NONE, 0, w->cfg->base, { 0 } };
	unsigned bits = w->cfg->ssid_bits;
	if (w->cfg->base & 0xfff)
		report(&c, R_VTD_DIR_ALIGN, NULL, "directory at 0x%llx",
		       (unsigned long long)w->cfg->base);
	if (bits < VTD_MIN_PASID_BITS || bits > c.caps->pss + 1)
		report(&c, R_VTD_DIR_PDTS, NULL, "%u SSID bits: %s", bits,
		       bits < VTD_MIN_PASID_BITS ? "the smallest directory (PDTS 0) covers 13"
						 : "more than the unit's PASID width");
	check_dir_readable(w, &c);
}

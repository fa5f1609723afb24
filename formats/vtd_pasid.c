/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Intel VT-d scalable-mode PASID directory entry and PASID-table entry,
 * described once as field tables, and the "vtd-pasid" table format built on
 * them: a directory indexed by PASID[19:6] over 4 KiB PASID tables indexed by
 * PASID[5:0]. Only the core's public interface is used. */
#include "field_init.h"
#include "vtd.h"

/* AW (VT-d §9.6): levels = AW + 2; 0 and 4..7 are reserved. */
static const char *const aw_names[] = { NULL, "39bit", "48bit", "57bit" };
static const char *const pgtt_names[] = { NULL, "first-stage", "second-stage", "nested",
					  "pass-through" };
static const char *const flpm_names[] = { "4-level", "5-level" };

const struct pt_field vtd_pe_fields[PE_NFIELDS] = {
	SF(PE_P, "p", "P", 0, 0, 1, PT_FK_BOOL, "present"),
	SF(PE_FPD, "fpd", "FPD", 0, 1, 1, PT_FK_BOOL,
	   "fault processing disable (meaningful even when P = 0)"),
	SE(PE_AW, "aw", "AW", 0, 2, 3, aw_names, "second-stage address width (levels = AW + 2)"),
	F(PE_SLEE, "slee", "SLEE", 0, 5, 1, PT_FK_BOOL, "second-stage execute enable [SSEE]"),
	SE(PE_PGTT, "pgtt", "PGTT", 0, 6, 3, pgtt_names, "PASID granular translation type"),
	F(PE_SLADE, "slade", "SLADE", 0, 9, 1, PT_FK_BOOL,
	  "second-stage accessed/dirty enable [SSADE]"),
	R(PE_RES0_11_10, "res0_11_10", "RES0[11:10]", 0, 10, 2),
	A(PE_SLPTPTR, "slptptr", "SLPTPTR", 0, 12, 52, 12,
	  "second-stage page-table root, host physical [SSPTPTR]"),
	SHF(PE_DID, "did", "DID", 1, 0, 16, "domain id"),
	R(PE_RES0_86_80, "res0_86_80", "RES0[86:80]", 1, 16, 7),
	F(PE_PWSNP, "pwsnp", "PWSNP", 1, 23, 1, PT_FK_BOOL, "page-walk snoop"),
	F(PE_PGSNP, "pgsnp", "PGSNP", 1, 24, 1, PT_FK_BOOL, "page snoop (force snoop)"),
	F(PE_CD, "cd", "CD", 1, 25, 1, PT_FK_BOOL, "cache disable (ECAP.MTS)"),
	F(PE_EMTE, "emte", "EMTE", 1, 26, 1, PT_FK_BOOL, "extended memory type enable (ECAP.MTS)"),
	F(PE_EMT, "emt", "EMT", 1, 27, 3, PT_FK_UINT, "extended memory type (ECAP.MTS)"),
	F(PE_PWT, "pwt", "PWT", 1, 30, 1, PT_FK_BOOL, "page-level write-through (ECAP.MTS)"),
	F(PE_PCD, "pcd", "PCD", 1, 31, 1, PT_FK_BOOL, "page-level cache disable (ECAP.MTS)"),
	HF(PE_PAT, "pat", "PAT", 1, 32, 32, "page attribute table, 8 x 4 bits (ECAP.MTS)"),
	F(PE_SRE, "sre", "SRE", 2, 0, 1, PT_FK_BOOL, "supervisor request enable (ECAP.SRS)"),
	F(PE_ERE, "ere", "ERE", 2, 1, 1, PT_FK_BOOL, "execute request enable (ECAP.ERS)"),
	E(PE_FLPM, "flpm", "FLPM", 2, 2, 2, flpm_names, "first-stage paging mode [FSPM]"),
	F(PE_WPE, "wpe", "WPE", 2, 4, 1, PT_FK_BOOL, "write-protect enable for supervisor writes"),
	F(PE_NXE, "nxe", "NXE", 2, 5, 1, PT_FK_BOOL, "no-execute enable"),
	F(PE_SMEP, "smep", "SMEP", 2, 6, 1, PT_FK_BOOL, "supervisor-mode execute prevention"),
	F(PE_EAFE, "eafe", "EAFE", 2, 7, 1, PT_FK_BOOL, "extended accessed flag enable (ECAP.EAFS)"),
	R(PE_RES0_139_136, "res0_139_136", "RES0[139:136]", 2, 8, 4),
	A(PE_FLPTPTR, "flptptr", "FLPTPTR", 2, 12, 52, 12,
	  "first-stage page-table root; a GPA when nested [FSPTPTR]"),
	R(PE_RES0_255_192, "res0_255_192", "RES0[255:192]", 3, 0, 64),
	R(PE_RES0_319_256, "res0_319_256", "RES0[319:256]", 4, 0, 64),
	R(PE_RES0_383_320, "res0_383_320", "RES0[383:320]", 5, 0, 64),
	R(PE_RES0_447_384, "res0_447_384", "RES0[447:384]", 6, 0, 64),
	R(PE_RES0_511_448, "res0_511_448", "RES0[511:448]", 7, 0, 64),
};

const struct pt_struct vtd_pe_struct = {
	"vtd-pasid-entry", "VT-d scalable-mode PASID-table entry", VTD_PE_SIZE, vtd_pe_fields,
	PE_NFIELDS, "512-bit scalable-mode PASID-table entry, VT-d §9.6", PT_SF_COMPACT,
};

const struct pt_field vtd_pde_fields[PDE_NFIELDS] = {
	SF(PDE_P, "p", "P", 0, 0, 1, PT_FK_BOOL, "present: points at a PASID table"),
	F(PDE_FPD, "fpd", "FPD", 0, 1, 1, PT_FK_BOOL,
	  "fault processing disable for the 64 PASIDs below (meaningful when P = 0)"),
	R(PDE_RES0_11_2, "res0_11_2", "RES0[11:2]", 0, 2, 10),
	SA(PDE_SMPTBLPTR, "smptblptr", "SMPTBLPTR", 0, 12, 52, 12,
	   "PASID-table pointer, host physical, 4 KiB aligned"),
};

const struct pt_struct vtd_pde_struct = {
	"vtd-pasid-dir-entry", "VT-d scalable-mode PASID directory entry", VTD_PDE_SIZE,
	vtd_pde_fields, PDE_NFIELDS, "64-bit PASID directory entry, VT-d §9.5",
};

/* The walk is always two levels (VT-d §3.4.3); the directory size is the
 * context entry's PDTS, given as the table's PASID bits (PDTS + 13). */
static const struct pt_layout vtd_layouts[] = {
	{ "2lvl", 2, VTD_LEAF_BITS,
	  "PASID directory (PASID[19:6]) + 4 KiB PASID tables of 64 entries (PASID[5:0])" },
};

unsigned vtd_aw_bits(unsigned aw)
{
	return aw >= 1 && aw <= 3 ? 30 + 9 * aw : 0;
}

static void pde_view(const uint8_t *raw, struct pt_dir_view *out)
{
	out->valid = (int)pt_field_get(raw, &vtd_pde_fields[PDE_P]);
	out->next = pt_field_get(raw, &vtd_pde_fields[PDE_SMPTBLPTR]);
}

static void pde_make(uint8_t *raw, uint64_t next)
{
	pt_put_le64(raw, 0, 0);
	pt_field_set(raw, &vtd_pde_fields[PDE_SMPTBLPTR], next);
	pt_field_set(raw, &vtd_pde_fields[PDE_P], 1);
}

static int pe_valid(const uint8_t *raw)
{
	/* P is bit 0 of byte 0; runs once per entry of every walk. */
	return raw[0] & 1;
}

/* What Linux's intel_pasid_setup_first_level() writes for a 4-level
 * first-stage table on a 48-bit unit with ECAP.SMPWC: the defaults of a
 * hand-written entry. */
static void pe_defaults(uint8_t *raw)
{
	static const struct {
		enum vtd_pe_field_id id;
		uint64_t v;
	} d[] = {
		{ PE_P, 1 }, { PE_PGTT, VTD_PGTT_FS }, { PE_AW, 2 }, { PE_PWSNP, 1 },
	};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		pt_field_set(raw, &vtd_pe_fields[d[i].id], d[i].v);
}

/* The page-table root the PGTT puts in use, and its format. */
static void pe_view(const uint8_t *raw, struct pt_entry_view *out)
{
	static const char *const ss_names[] = { "?", "vtd-ss 3-level", "vtd-ss 4-level",
						"vtd-ss 5-level" };
	unsigned pgtt = (unsigned)vtd_pe(raw, PE_PGTT), aw = (unsigned)vtd_pe(raw, PE_AW);
	out->valid = pe_valid(raw);
	out->has_asid = 1;
	out->asid = (uint32_t)vtd_pe(raw, PE_DID);
	out->has_root = pgtt == VTD_PGTT_FS || pgtt == VTD_PGTT_SS || pgtt == VTD_PGTT_NESTED;
	out->root = vtd_pe(raw, pgtt == VTD_PGTT_SS ? PE_SLPTPTR : PE_FLPTPTR);
	if (pgtt == VTD_PGTT_SS)
		out->pgtable = ss_names[aw <= 3 ? aw : 0];
	else if (pgtt == VTD_PGTT_FS)
		out->pgtable = vtd_pe(raw, PE_FLPM) ? "x86 5-level" : "x86 4-level";
	else if (pgtt == VTD_PGTT_NESTED)
		out->pgtable = "nested";
	else
		out->pgtable = pgtt == VTD_PGTT_PT ? "pass-through" : "reserved";
}

static void *caps_parse(const char *spec, char *err, size_t errlen)
{
	return vtd_caps_parse(spec, err, errlen);
}

static void caps_free(void *caps)
{
	vtd_caps_free(caps);
}

/* The index keeps the core's default name "ssid" (a PCIe PASID is what SMMUv3
 * calls a SubstreamID): diagnostics can only say "ssid N", and --ssid,
 * --ssid-bits and "ssid_bits" then read the same for every format. */
const struct pt_format vtd_pasid_format = {
	.name = "vtd-pasid",
	.label = "Intel VT-d scalable-mode PASID directory and PASID tables",
	.entry = &vtd_pe_struct,
	.dir = &vtd_pde_struct,
	.layouts = vtd_layouts,
	.nlayouts = sizeof vtd_layouts / sizeof vtd_layouts[0],
	.rules = &vtd_rules,
	.dir_invalid_rule = &vtd_rule_list[R_VTD_PDE_NOT_PRESENT],
	.dir_view = pde_view,
	.dir_make = pde_make,
	.entry_defaults = pe_defaults,
	.entry_valid = pe_valid,
	.entry_view = pe_view,
	.check_dir = vtd_check_dir,
	.check_entry = vtd_check_entry,
	.check_done = vtd_check_done,
	.caps_parse = caps_parse,
	.caps_free = caps_free,
};

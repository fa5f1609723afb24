/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SMMUv3 Context Descriptor and L1 CD descriptor, described once as field
 * tables (IHI 0070 G.b §5.3, §5.4), and the CD table format built on them. */
#include "field_init.h"
#include "smmuv3.h"

static const char *const tg0_names[] = { "4k", "64k", "16k", "reserved" };
static const char *const tg1_names[] = { "reserved", "16k", "4k", "64k" };
static const char *const cache_names[] = { "nc", "wbwa", "wt", "wb" };
static const char *const sh_names[] = { "nsh", "reserved", "osh", "ish" };
static const char *const ips_names[] = { "32bit", "36bit", "40bit", "42bit",
					 "44bit", "48bit", "52bit", "56bit" };


const struct pt_field smmu_cd_fields[CD_NFIELDS] = {
	SF(CD_T0SZ, "t0sz", "T0SZ", 0, 0, 6, PT_FK_UINT, "TTB0 input region is 2^(64-T0SZ) bytes"),
	SE(CD_TG0, "tg0", "TG0", 0, 6, 2, tg0_names, "TTB0 granule"),
	SE(CD_IR0, "ir0", "IR0", 0, 8, 2, cache_names, "inner cacheability of TTB0 walks"),
	SE(CD_OR0, "or0", "OR0", 0, 10, 2, cache_names, "outer cacheability of TTB0 walks"),
	SE(CD_SH0, "sh0", "SH0", 0, 12, 2, sh_names, "shareability of TTB0 walks"),
	SF(CD_EPD0, "epd0", "EPD0", 0, 14, 1, PT_FK_BOOL, "no walks through TTB0"),
	F(CD_ENDI, "endi", "ENDI", 0, 15, 1, PT_FK_BOOL, "translation tables are big-endian"),
	F(CD_T1SZ, "t1sz", "T1SZ", 0, 16, 6, PT_FK_UINT, "TTB1 input region is 2^(64-T1SZ) bytes"),
	E(CD_TG1, "tg1", "TG1", 0, 22, 2, tg1_names, "TTB1 granule (its own encoding)"),
	E(CD_IR1, "ir1", "IR1", 0, 24, 2, cache_names, "inner cacheability of TTB1 walks"),
	E(CD_OR1, "or1", "OR1", 0, 26, 2, cache_names, "outer cacheability of TTB1 walks"),
	E(CD_SH1, "sh1", "SH1", 0, 28, 2, sh_names, "shareability of TTB1 walks"),
	SF(CD_EPD1, "epd1", "EPD1", 0, 30, 1, PT_FK_BOOL, "no walks through TTB1"),
	SF(CD_V, "v", "V", 0, 31, 1, PT_FK_BOOL, "the CD is valid"),
	SE(CD_IPS, "ips", "IPS", 0, 32, 3, ips_names, "stage-1 output address size"),
	F(CD_AFFD, "affd", "AFFD", 0, 35, 1, PT_FK_BOOL, "access flag faults disabled"),
	F(CD_WXN, "wxn", "WXN", 0, 36, 1, PT_FK_BOOL, "writable implies execute-never"),
	F(CD_UWXN, "uwxn", "UWXN", 0, 37, 1, PT_FK_BOOL, "user-writable implies PXN (VMSAv8-32 only)"),
	F(CD_TBI0, "tbi0", "TBI0", 0, 38, 1, PT_FK_BOOL, "top byte ignored, TTB0 half"),
	F(CD_TBI1, "tbi1", "TBI1", 0, 39, 1, PT_FK_BOOL, "top byte ignored, TTB1 half"),
	F(CD_PAN, "pan", "PAN", 0, 40, 1, PT_FK_BOOL, "privileged access never"),
	SF(CD_AA64, "aa64", "AA64", 0, 41, 1, PT_FK_BOOL, "VMSAv8-64 translation tables"),
	F(CD_HD, "hd", "HD", 0, 42, 1, PT_FK_BOOL, "hardware dirty-state update"),
	F(CD_HA, "ha", "HA", 0, 43, 1, PT_FK_BOOL, "hardware access-flag update"),
	F(CD_S, "s", "S", 0, 44, 1, PT_FK_BOOL, "stall on stage-1 faults"),
	F(CD_R, "r", "R", 0, 45, 1, PT_FK_BOOL, "record stage-1 faults"),
	F(CD_A, "a", "A", 0, 46, 1, PT_FK_BOOL, "abort terminated transactions"),
	F(CD_ASET, "aset", "ASET", 0, 47, 1, PT_FK_BOOL, "ASID set is SMMU-private (no broadcast TLBI)"),
	SHF(CD_ASID, "asid", "ASID", 0, 48, 16, "address space id"),
	F(CD_NSCFG0, "nscfg0", "NSCFG0", 1, 0, 1, PT_FK_BOOL, "NS attribute of TTB0 fetch (Secure)"),
	F(CD_HAD0, "had0", "HAD0", 1, 1, 1, PT_FK_BOOL, "hierarchical attributes disabled, TTB0"),
	F(CD_E0PD0, "e0pd0", "E0PD0", 1, 2, 1, PT_FK_BOOL, "unprivileged accesses via TTB0 fault"),
	F(CD_HAFT, "haft", "HAFT", 1, 3, 1, PT_FK_BOOL, "hardware AF update in table descriptors"),
	SA(CD_TTB0, "ttb0", "TTB0", 1, 4, 52, 4, "TTB0 start-level table address"),
	F(CD_RES0_DW1, "res0_121_120", "RES0[121:120]", 1, 56, 2, PT_FK_RES0, "reserved"),
	F(CD_PNCH, "pnch", "PnCH", 1, 58, 1, PT_FK_BOOL, "protected attribute enable"),
	F(CD_EPAN, "epan", "EPAN", 1, 59, 1, PT_FK_BOOL, "enhanced PAN"),
	F(CD_HWU059, "hwu059", "HWU059", 1, 60, 1, PT_FK_BOOL, "PBHA bit 59 hardware use, TTB0"),
	F(CD_HWU060, "hwu060", "HWU060", 1, 61, 1, PT_FK_BOOL, "PBHA bit 60 hardware use, TTB0"),
	F(CD_HWU061, "hwu061", "HWU061", 1, 62, 1, PT_FK_BOOL, "PBHA bit 61 hardware use, TTB0"),
	F(CD_HWU062, "hwu062", "HWU062", 1, 63, 1, PT_FK_BOOL, "PBHA bit 62 hardware use, TTB0"),
	F(CD_NSCFG1, "nscfg1", "NSCFG1", 2, 0, 1, PT_FK_BOOL, "NS attribute of TTB1 fetch (Secure)"),
	F(CD_HAD1, "had1", "HAD1", 2, 1, 1, PT_FK_BOOL, "hierarchical attributes disabled, TTB1"),
	F(CD_E0PD1, "e0pd1", "E0PD1", 2, 2, 1, PT_FK_BOOL, "unprivileged accesses via TTB1 fault"),
	F(CD_AIE, "aie", "AIE", 2, 3, 1, PT_FK_BOOL, "4-bit AttrIndx"),
	A(CD_TTB1, "ttb1", "TTB1", 2, 4, 52, 4, "TTB1 start-level table address"),
	F(CD_RES0_DW2, "res0_185_184", "RES0[185:184]", 2, 56, 2, PT_FK_RES0, "reserved"),
	F(CD_DS, "ds", "DS", 2, 58, 1, PT_FK_BOOL, "52-bit addresses with 4K/16K granules"),
	F(CD_PIE, "pie", "PIE", 2, 59, 1, PT_FK_BOOL, "stage-1 permission indirection"),
	F(CD_HWU159, "hwu159", "HWU159", 2, 60, 1, PT_FK_BOOL, "PBHA bit 59 hardware use, TTB1"),
	F(CD_HWU160, "hwu160", "HWU160", 2, 61, 1, PT_FK_BOOL, "PBHA bit 60 hardware use, TTB1"),
	F(CD_HWU161, "hwu161", "HWU161", 2, 62, 1, PT_FK_BOOL, "PBHA bit 61 hardware use, TTB1"),
	F(CD_HWU162, "hwu162", "HWU162", 2, 63, 1, PT_FK_BOOL, "PBHA bit 62 hardware use, TTB1"),
	HF(CD_MAIR0, "mair0", "MAIR0", 3, 0, 32, "MAIR attributes 0-3"),
	HF(CD_MAIR1, "mair1", "MAIR1", 3, 32, 32, "MAIR attributes 4-7"),
	HF(CD_AMAIR0, "amair0", "AMAIR0", 4, 0, 32, "implementation defined"),
	HF(CD_AMAIR1, "amair1", "AMAIR1", 4, 32, 32, "implementation defined"),
	HF(CD_IMPDEF, "impdef", "IMPDEF", 5, 0, 32, "implementation defined"),
	F(CD_PARTID, "partid", "PARTID", 5, 32, 16, PT_FK_UINT, "MPAM partition id"),
	F(CD_PMG, "pmg", "PMG", 5, 48, 8, PT_FK_UINT, "MPAM monitor group"),
	F(CD_RES0_DW5, "res0_383_376", "RES0[383:376]", 5, 56, 8, PT_FK_RES0, "reserved"),
	F(CD_PIIU, "piiu", "PIIU", 6, 0, 48, PT_FK_UINT, "unprivileged permission interpretation, 16 x 3 bits"),
	F(CD_RES0_DW6, "res0_447_432", "RES0[447:432]", 6, 48, 16, PT_FK_RES0, "reserved"),
	F(CD_PIIP, "piip", "PIIP", 7, 0, 48, PT_FK_UINT, "privileged permission interpretation, 16 x 3 bits"),
	F(CD_RES0_DW7, "res0_511_496", "RES0[511:496]", 7, 48, 16, PT_FK_RES0, "reserved"),
};

const struct pt_struct smmu_cd_struct = {
	"smmuv3-cd", "SMMUv3 Context Descriptor", SMMU_CD_SIZE, smmu_cd_fields, CD_NFIELDS,
	"64-byte Context Descriptor, IHI 0070 §5.4", PT_SF_COMPACT,
};

const struct pt_field smmu_l1cd_fields[L1CD_NFIELDS] = {
	SF(L1CD_V, "v", "V", 0, 0, 1, PT_FK_BOOL, "L2Ptr is valid"),
	F(L1CD_RES0_LO, "res0_11_1", "RES0[11:1]", 0, 1, 11, PT_FK_RES0, "reserved"),
	SA(L1CD_L2PTR, "l2ptr", "L2Ptr", 0, 12, 44, 12, "address of the leaf CD table"),
	F(L1CD_RES0_HI, "res0_63_56", "RES0[63:56]", 0, 56, 8, PT_FK_RES0, "reserved"),
};

const struct pt_struct smmu_l1cd_struct = {
	"smmuv3-l1cd", "SMMUv3 L1 CD descriptor", SMMU_L1CD_SIZE, smmu_l1cd_fields, L1CD_NFIELDS,
	"8-byte level-1 CD table descriptor, IHI 0070 §5.3",
};

/* Indexed by STE.S1Fmt. */
static const struct pt_layout smmu_cd_layouts[] = {
	[SMMU_LAYOUT_LINEAR] = { "linear", 1, 0, "linear array of 2^n CDs (S1Fmt 0)" },
	[SMMU_LAYOUT_4K] = { "2lvl-4k", 2, 6, "L1 descriptors + 4 KiB leaves of 64 CDs (S1Fmt 1)" },
	[SMMU_LAYOUT_64K] = { "2lvl-64k", 2, 10,
			      "L1 descriptors + 64 KiB leaves of 1024 CDs (S1Fmt 2)" },
};

static void l1cd_view(const uint8_t *raw, struct pt_dir_view *out)
{
	/* One word cut in registers (every walk reads every descriptor), and a
	 * zero past it: a field cut may read on. */
	uint64_t w[2] = { pt_le64(raw, 0), 0 };
	out->valid = (int)pt_field_from_words(w, &smmu_l1cd_fields[L1CD_V]);
	out->next = pt_field_from_words(w, &smmu_l1cd_fields[L1CD_L2PTR]);
}

static void l1cd_make(uint8_t *raw, uint64_t next)
{
	pt_put_le64(raw, 0, 0);
	pt_field_set(raw, &smmu_l1cd_fields[L1CD_L2PTR], next);
	pt_field_set(raw, &smmu_l1cd_fields[L1CD_V], 1);
}

static int cd_valid(const uint8_t *raw)
{
	/* V is bit 31 of the first byte-aligned dword: read it directly, this
	 * runs once per entry of every walk. */
	return (raw[3] >> 7) & 1;
}

/* What Linux's arm_smmu_make_s1_cd() writes for a 48-bit, 4 KiB-granule,
 * coherent io-pgtable: the defaults of a hand-written CD. */
static void cd_defaults(uint8_t *raw)
{
	static const struct {
		enum smmu_cd_field_id id;
		uint64_t v;
	} d[] = {
		{ CD_V, 1 }, { CD_T0SZ, 16 }, { CD_TG0, 0 }, { CD_IR0, 1 }, { CD_OR0, 1 },
		{ CD_SH0, 3 }, { CD_EPD1, 1 }, { CD_IPS, 5 }, { CD_AA64, 1 }, { CD_R, 1 },
		{ CD_A, 1 }, { CD_ASET, 1 }, { CD_MAIR0, 0xf404ff44 }, { CD_MAIR1, 0xffffffff },
	};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		pt_field_set(raw, &smmu_cd_fields[d[i].id], d[i].v);
}

static const char *const granule_names[] = { "4k", "64k", "16k", "reserved" };

static void cd_view(const uint8_t *raw, struct pt_entry_view *out)
{
	out->valid = cd_valid(raw);
	out->has_asid = 1;
	out->asid = (uint32_t)smmu_cd(raw, CD_ASID);
	out->has_root = !smmu_cd(raw, CD_EPD0);
	out->root = smmu_cd(raw, CD_TTB0);
	out->pgtable = smmu_cd(raw, CD_AA64) ? granule_names[smmu_cd(raw, CD_TG0)] : "vmsav8-32";
}

static void *caps_parse(const char *spec, char *err, size_t errlen)
{
	return smmu_caps_parse(spec, err, errlen);
}

static void caps_free(void *caps)
{
	smmu_caps_free(caps);
}

const struct pt_format smmu_cd_format = {
	.name = "smmuv3-cd",
	.label = "Arm SMMUv3 Context Descriptor table",
	.entry = &smmu_cd_struct,
	.dir = &smmu_l1cd_struct,
	.layouts = smmu_cd_layouts,
	.nlayouts = sizeof smmu_cd_layouts / sizeof smmu_cd_layouts[0],
	.rules = &smmu_cd_rules,
	.dir_invalid_rule = &smmu_cd_rule_list[R_L1CD_INVALID],
	.dir_view = l1cd_view,
	.dir_make = l1cd_make,
	.entry_defaults = cd_defaults,
	.entry_valid = cd_valid,
	.entry_view = cd_view,
	.check_dir = smmu_cd_check_dir,
	.check_entry = smmu_cd_check_entry,
	.check_entries = smmu_cd_check_entries,
	.check_done = smmu_cd_check_done,
	.caps_parse = caps_parse,
	.caps_free = caps_free,
};

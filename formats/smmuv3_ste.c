/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SMMUv3 Stream Table Entry and Level-1 Stream Table Descriptor, described
 * once as field tables (IHI 0070 G.b §5.1, §5.2: every field of all eight
 * dwords, stage 1 and stage 2), and the stream table as a format the core
 * walker walks: the StreamID is the index, STEs are the entries, L1STDs the
 * directory, STRTAB_BASE_CFG.SPLIT the leaf width. */
#include "field_init.h"
#include "smmuv3.h"

static const char *const config_names[] = { "abort", "reserved1", "reserved2", "reserved3",
					    "bypass", "s1-trans", "s2-trans", "nested" };
static const char *const s1fmt_names[] = { "linear", "2lvl-4k", "2lvl-64k", "reserved" };
static const char *const s1dss_names[] = { "terminate", "bypass", "ssid0", "reserved" };
static const char *const fetch_cache_names[] = { "nc", "wbra", "wtra", "wbnra" };
static const char *const walk_cache_names[] = { "nc", "wbwa", "wt", "wb" };
static const char *const sh_names[] = { "nsh", "reserved", "osh", "ish" };
static const char *const eats_names[] = { "off", "full", "split", "full-dpt" };
static const char *const strw_names[] = { "el1", "el3", "el2", "reserved" };
static const char *const shcfg_names[] = { "nsh", "incoming", "osh", "ish" };
static const char *const nscfg_names[] = { "incoming", "reserved", "secure", "nonsecure" };
static const char *const privcfg_names[] = { "incoming", "reserved", "unpriv", "priv" };
static const char *const instcfg_names[] = { "incoming", "reserved", "data", "inst" };
static const char *const tg_names[] = { "4k", "64k", "16k", "reserved" };
static const char *const ps_names[] = { "32bit", "36bit", "40bit", "42bit",
					"44bit", "48bit", "52bit", "56bit" };
static const char *const dpt_vmatch_names[] = { "vmid-or-ac10", "vmid-or-ac01-10", "any",
						"reserved" };


const struct pt_field smmu_ste_fields[STE_NFIELDS] = {
	/* DW0 */
	SF(STE_V, "v", "V", 0, 0, 1, PT_FK_BOOL, "the STE is valid"),
	SE(STE_CONFIG, "config", "Config", 0, 1, 3, config_names,
	   "abort, bypass, stage 1 and/or stage 2 translation"),
	E(STE_S1FMT, "s1fmt", "S1Fmt", 0, 4, 2, s1fmt_names, "CD table layout"),
	SA(STE_S1CONTEXTPTR, "s1contextptr", "S1ContextPtr", 0, 6, 50, 6,
	   "address of the CD or L1 CD table"),
	R(STE_RES0_58_56, "res0_58_56", "RES0[58:56]", 0, 56, 3),
	SF(STE_S1CDMAX, "s1cdmax", "S1CDMax", 0, 59, 5, PT_FK_UINT,
	   "log2 of the number of CDs; 0 = one CD, no substreams"),
	/* DW1 */
	E(STE_S1DSS, "s1dss", "S1DSS", 1, 0, 2, s1dss_names,
	  "what traffic without a SubstreamID does when S1CDMax > 0"),
	E(STE_S1CIR, "s1cir", "S1CIR", 1, 2, 2, fetch_cache_names, "inner cacheability of CD fetches"),
	E(STE_S1COR, "s1cor", "S1COR", 1, 4, 2, fetch_cache_names, "outer cacheability of CD fetches"),
	E(STE_S1CSH, "s1csh", "S1CSH", 1, 6, 2, sh_names, "shareability of CD fetches"),
	F(STE_S2HWU59, "s2hwu59", "S2HWU59", 1, 8, 1, PT_FK_BOOL, "stage-2 PBHA bit 59 hardware use"),
	F(STE_S2HWU60, "s2hwu60", "S2HWU60", 1, 9, 1, PT_FK_BOOL, "stage-2 PBHA bit 60 hardware use"),
	F(STE_S2HWU61, "s2hwu61", "S2HWU61", 1, 10, 1, PT_FK_BOOL, "stage-2 PBHA bit 61 hardware use"),
	F(STE_S2HWU62, "s2hwu62", "S2HWU62", 1, 11, 1, PT_FK_BOOL, "stage-2 PBHA bit 62 hardware use"),
	F(STE_DRE, "dre", "DRE", 1, 12, 1, PT_FK_BOOL, "destructive reads permitted"),
	F(STE_CONT, "cont", "CONT", 1, 13, 4, PT_FK_UINT, "2^CONT neighbouring STEs are identical"),
	F(STE_DCP, "dcp", "DCP", 1, 17, 1, PT_FK_BOOL, "directed cache prefetch permitted"),
	F(STE_PPAR, "ppar", "PPAR", 1, 18, 1, PT_FK_BOOL, "PRI auto-responses carry a PASID"),
	F(STE_MEV, "mev", "MEV", 1, 19, 1, PT_FK_BOOL, "similar fault records may be merged"),
	F(STE_SW_RESERVED, "sw_reserved", "SW_RESERVED", 1, 20, 4, PT_FK_UINT, "free for software"),
	F(STE_S1PIE, "s1pie", "S1PIE", 1, 24, 1, PT_FK_BOOL, "CDs may enable permission indirection"),
	F(STE_S2FWB, "s2fwb", "S2FWB", 1, 25, 1, PT_FK_BOOL, "stage 2 forced write-back"),
	F(STE_S1MPAM, "s1mpam", "S1MPAM", 1, 26, 1, PT_FK_BOOL, "MPAM ids come from the CD"),
	F(STE_S1STALLD, "s1stalld", "S1STALLD", 1, 27, 1, PT_FK_BOOL, "CDs may not select stalls"),
	E(STE_EATS, "eats", "EATS", 1, 28, 2, eats_names, "PCIe ATS: off, full, split-stage, full+DPT"),
	E(STE_STRW, "strw", "STRW", 1, 30, 2, strw_names, "StreamWorld (translation regime)"),
	F(STE_MEMATTR, "memattr", "MemAttr", 1, 32, 4, PT_FK_UINT, "memory type override value"),
	F(STE_MTCFG, "mtcfg", "MTCFG", 1, 36, 1, PT_FK_BOOL, "replace the incoming memory type"),
	F(STE_ALLOCCFG, "alloccfg", "ALLOCCFG", 1, 37, 4, PT_FK_UINT, "allocation hints override"),
	R(STE_RES0_107_105, "res0_107_105", "RES0[107:105]", 1, 41, 3),
	E(STE_SHCFG, "shcfg", "SHCFG", 1, 44, 2, shcfg_names, "shareability override"),
	E(STE_NSCFG, "nscfg", "NSCFG", 1, 46, 2, nscfg_names, "NS attribute override (Secure STEs)"),
	E(STE_PRIVCFG, "privcfg", "PRIVCFG", 1, 48, 2, privcfg_names, "privilege override"),
	E(STE_INSTCFG, "instcfg", "INSTCFG", 1, 50, 2, instcfg_names, "instruction/data override"),
	HF(STE_IMPDEF_127_116, "impdef_127_116", "IMPDEF[127:116]", 1, 52, 12,
	  "implementation defined"),
	/* DW2 */
	HF(STE_S2VMID, "s2vmid", "S2VMID", 2, 0, 16, "virtual machine id"),
	HF(STE_IMPDEF_159_144, "impdef_159_144", "IMPDEF[159:144]", 2, 16, 16,
	  "implementation defined"),
	F(STE_S2T0SZ, "s2t0sz", "S2T0SZ", 2, 32, 6, PT_FK_UINT, "IPA region is 2^(64-S2T0SZ) bytes"),
	F(STE_S2SL0, "s2sl0", "S2SL0", 2, 38, 2, PT_FK_UINT, "stage-2 starting level (VTCR_EL2.SL0)"),
	E(STE_S2IR0, "s2ir0", "S2IR0", 2, 40, 2, walk_cache_names, "inner cacheability of S2 walks"),
	E(STE_S2OR0, "s2or0", "S2OR0", 2, 42, 2, walk_cache_names, "outer cacheability of S2 walks"),
	E(STE_S2SH0, "s2sh0", "S2SH0", 2, 44, 2, sh_names, "shareability of S2 walks"),
	E(STE_S2TG, "s2tg", "S2TG", 2, 46, 2, tg_names, "stage-2 granule"),
	E(STE_S2PS, "s2ps", "S2PS", 2, 48, 3, ps_names, "stage-2 output address size"),
	F(STE_S2AA64, "s2aa64", "S2AA64", 2, 51, 1, PT_FK_BOOL, "VMSAv8-64 stage-2 tables"),
	F(STE_S2ENDI, "s2endi", "S2ENDI", 2, 52, 1, PT_FK_BOOL, "stage-2 tables are big-endian"),
	F(STE_S2AFFD, "s2affd", "S2AFFD", 2, 53, 1, PT_FK_BOOL, "stage-2 access flag faults disabled"),
	F(STE_S2PTW, "s2ptw", "S2PTW", 2, 54, 1, PT_FK_BOOL, "stage-1 walks to Device memory fault"),
	F(STE_S2HD, "s2hd", "S2HD", 2, 55, 1, PT_FK_BOOL, "stage-2 hardware dirty update"),
	F(STE_S2HA, "s2ha", "S2HA", 2, 56, 1, PT_FK_BOOL, "stage-2 hardware access flag update"),
	F(STE_S2S, "s2s", "S2S", 2, 57, 1, PT_FK_BOOL, "stall on stage-2 faults"),
	F(STE_S2R, "s2r", "S2R", 2, 58, 1, PT_FK_BOOL, "record stage-2 faults"),
	F(STE_S2HAFT, "s2haft", "S2HAFT", 2, 59, 1, PT_FK_BOOL, "stage-2 AF update in table descriptors"),
	F(STE_S2PIE, "s2pie", "S2PIE", 2, 60, 1, PT_FK_BOOL, "stage-2 permission indirection"),
	F(STE_S2POE, "s2poe", "S2POE", 2, 61, 1, PT_FK_BOOL, "stage-2 permission overlay"),
	E(STE_DPT_VMATCH, "dpt_vmatch", "DPT_VMATCH", 2, 62, 2, dpt_vmatch_names,
	  "VMID matching for DPT checks"),
	/* DW3 */
	F(STE_S2NSW, "s2nsw", "S2NSW", 3, 0, 1, PT_FK_BOOL, "NS bit of S2 walks (Secure, NS IPA)"),
	F(STE_S2NSA, "s2nsa", "S2NSA", 3, 1, 1, PT_FK_BOOL, "NS bit output (Secure, NS IPA)"),
	F(STE_S2SL0_2, "s2sl0_2", "S2SL0_2", 3, 2, 1, PT_FK_BOOL, "bit 2 of S2SL0 (DS)"),
	F(STE_S2DS, "s2ds", "S2DS", 3, 3, 1, PT_FK_BOOL, "52-bit stage 2 with 4K/16K granules"),
	A(STE_S2TTB, "s2ttb", "S2TTB", 3, 4, 52, 4, "stage-2 translation table base"),
	R(STE_RES0_252_248, "res0_252_248", "RES0[252:248]", 3, 56, 5),
	F(STE_S2SKL, "s2skl", "S2SKL", 3, 61, 2, PT_FK_UINT, "stage-2 skip levels (VMSAv9-128)"),
	R(STE_RES0_255, "res0_255", "RES0[255]", 3, 63, 1),
	/* DW4 */
	HF(STE_IMPDEF_271_256, "impdef_271_256", "IMPDEF[271:256]", 4, 0, 16,
	  "implementation defined"),
	F(STE_PARTID, "partid", "PARTID", 4, 16, 16, PT_FK_UINT, "MPAM partition id"),
	F(STE_S_S2T0SZ, "s_s2t0sz", "S_S2T0SZ", 4, 32, 6, PT_FK_UINT, "Secure IPA region size"),
	F(STE_S_S2SL0, "s_s2sl0", "S_S2SL0", 4, 38, 2, PT_FK_UINT, "Secure stage-2 starting level"),
	R(STE_RES0_301_296, "res0_301_296", "RES0[301:296]", 4, 40, 6),
	E(STE_S_S2TG, "s_s2tg", "S_S2TG", 4, 46, 2, tg_names, "Secure stage-2 granule"),
	F(STE_MECID, "mecid", "MECID", 4, 48, 16, PT_FK_UINT, "memory encryption context (Realm)"),
	/* DW5 */
	F(STE_PMG, "pmg", "PMG", 5, 0, 8, PT_FK_UINT, "MPAM monitor group"),
	F(STE_MPAM_NS, "mpam_ns", "MPAM_NS", 5, 8, 1, PT_FK_BOOL, "Non-secure PARTID space"),
	F(STE_ASSUREDONLY, "assuredonly", "AssuredOnly", 5, 9, 1, PT_FK_BOOL,
	  "stage-2 AssuredOnly checks"),
	F(STE_TL0, "tl0", "TL0", 5, 10, 1, PT_FK_BOOL, "stage-2 TopLevel0 check"),
	F(STE_TL1, "tl1", "TL1", 5, 11, 1, PT_FK_BOOL, "stage-2 TopLevel1 check"),
	A(STE_VMSPTR, "vmsptr", "VMSPtr", 5, 12, 44, 12, "virtual machine structure address"),
	R(STE_RES0_383_376, "res0_383_376", "RES0[383:376]", 5, 56, 8),
	/* DW6 */
	F(STE_S2SW, "s2sw", "S2SW", 6, 0, 1, PT_FK_BOOL, "NS bit of S2 walks (Secure IPA)"),
	F(STE_S2SA, "s2sa", "S2SA", 6, 1, 1, PT_FK_BOOL, "NS bit output (Secure IPA)"),
	F(STE_S_S2SL0_2, "s_s2sl0_2", "S_S2SL0_2", 6, 2, 1, PT_FK_BOOL, "bit 2 of S_S2SL0"),
	R(STE_RES0_387, "res0_387", "RES0[387]", 6, 3, 1),
	A(STE_S_S2TTB, "s_s2ttb", "S_S2TTB", 6, 4, 52, 4, "Secure stage-2 translation table base"),
	R(STE_RES0_444_440, "res0_444_440", "RES0[444:440]", 6, 56, 5),
	F(STE_S_S2SKL, "s_s2skl", "S_S2SKL", 6, 61, 2, PT_FK_UINT, "Secure stage-2 skip levels"),
	R(STE_RES0_447, "res0_447", "RES0[447]", 6, 63, 1),
	/* DW7 */
	F(STE_S2POI, "s2poi", "S2POI", 7, 0, 64, PT_FK_UINT,
	  "stage-2 permission overlay, 16 x 4 bits"),
};

const struct pt_struct smmu_ste_struct = {
	"smmuv3-ste", "SMMUv3 Stream Table Entry", SMMU_STE_SIZE, smmu_ste_fields, STE_NFIELDS,
	"64-byte Stream Table Entry, IHI 0070 §5.2", PT_SF_COMPACT,
};

const struct pt_field smmu_l1std_fields[L1STD_NFIELDS] = {
	SF(L1STD_SPAN, "span", "Span", 0, 0, 5, PT_FK_UINT,
	   "0 invalid; 1..11: the leaf holds 2^(Span-1) STEs; 12..31 reserved (invalid)"),
	R(L1STD_RES0_5, "res0_5", "RES0[5]", 0, 5, 1),
	SA(L1STD_L2PTR, "l2ptr", "L2Ptr", 0, 6, 50, 6, "address of the level-2 STE array"),
	R(L1STD_RES0_HI, "res0_63_56", "RES0[63:56]", 0, 56, 8),
};

const struct pt_struct smmu_l1std_struct = {
	"smmuv3-l1std", "SMMUv3 L1 Stream Table Descriptor", SMMU_L1STD_SIZE, smmu_l1std_fields,
	L1STD_NFIELDS, "8-byte level-1 stream table descriptor, IHI 0070 §5.1",
};

/* Indexed by STRTAB_BASE_CFG.FMT; the 2-level leaf width comes from SPLIT
 * (pt_table_cfg.leaf_bits), 8 being what Linux and QEMU use. */
static const struct pt_layout smmu_strtab_layouts[] = {
	[SMMU_STRTAB_LINEAR] = { "linear", 1, 0, "linear array of 2^LOG2SIZE STEs (FMT 0)" },
	[SMMU_STRTAB_2LVL] = { "2lvl", 2, 8,
			       "L1STDs + leaves of up to 2^SPLIT STEs, sized by Span (FMT 1)" },
};

/* Span 12..31 is reserved and behaves as 0 (IHI 0070 §5.1). */
static void l1std_view(const uint8_t *raw, struct pt_dir_view *out)
{
	uint64_t span = pt_field_get(raw, &smmu_l1std_fields[L1STD_SPAN]);
	out->valid = span >= 1 && span <= 11;
	out->next = pt_field_get(raw, &smmu_l1std_fields[L1STD_L2PTR]);
	out->count = out->valid ? UINT64_C(1) << (span - 1) : 0;
}

/* A leaf of 2^leaf_bits STEs needs Span = leaf_bits + 1, as Linux writes. */
static void l1std_make_sized(uint8_t *raw, uint64_t next, unsigned leaf_bits)
{
	pt_put_le64(raw, 0, 0);
	pt_field_set(raw, &smmu_l1std_fields[L1STD_L2PTR], next);
	pt_field_set(raw, &smmu_l1std_fields[L1STD_SPAN], leaf_bits < 11 ? leaf_bits + 1 : 11);
}

static void l1std_make(uint8_t *raw, uint64_t next)
{
	l1std_make_sized(raw, next, smmu_strtab_layouts[SMMU_STRTAB_2LVL].leaf_bits);
}

static int ste_valid(const uint8_t *raw)
{
	return raw[0] & 1;
}

/* What Linux's arm_smmu_make_cdtable_ste() writes for a stage-1 stream:
 * the defaults of a hand-written STE. */
static void ste_defaults(uint8_t *raw)
{
	static const struct {
		enum smmu_ste_field_id id;
		uint64_t v;
	} d[] = {
		{ STE_V, 1 }, { STE_CONFIG, SMMU_STE_S1 }, { STE_S1DSS, 2 }, { STE_S1CIR, 1 },
		{ STE_S1COR, 1 }, { STE_S1CSH, 3 },
	};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		pt_field_set(raw, &smmu_ste_fields[d[i].id], d[i].v);
}

static void ste_view(const uint8_t *raw, struct pt_entry_view *out)
{
	unsigned config = (unsigned)smmu_ste(raw, STE_CONFIG);
	out->valid = ste_valid(raw);
	out->has_asid = smmu_ste_s2(config);
	out->asid = (uint32_t)smmu_ste(raw, STE_S2VMID);
	out->has_root = smmu_ste_s1(config);
	out->root = smmu_ste(raw, STE_S1CONTEXTPTR);
	out->pgtable = config_names[config];
}

static void *caps_parse(const char *spec, char *err, size_t errlen)
{
	return smmu_caps_parse(spec, err, errlen);
}

static void caps_free(void *caps)
{
	smmu_caps_free(caps);
}

const struct pt_format smmu_strtab_format = {
	.name = "smmuv3-strtab",
	.label = "Arm SMMUv3 Stream table",
	.entry = &smmu_ste_struct,
	.dir = &smmu_l1std_struct,
	.layouts = smmu_strtab_layouts,
	.nlayouts = sizeof smmu_strtab_layouts / sizeof smmu_strtab_layouts[0],
	.rules = &smmu_ste_rules,
	.dir_invalid_rule = &smmu_ste_rule_list[R_L1STD_INVALID],
	.dir_view = l1std_view,
	.dir_make = l1std_make,
	.entry_defaults = ste_defaults,
	.entry_valid = ste_valid,
	.entry_view = ste_view,
	.check_dir = smmu_l1std_check_dir,
	.check_entry = smmu_ste_check_entry,
	.caps_parse = caps_parse,
	.caps_free = caps_free,
	.index_name = "sid",
	.index_scope = PT_SCOPE_SID,
	.entries_key = "stes",
	.max_index_bits = 32,
	.dir_make_sized = l1std_make_sized,
	.spec_expand = smmu_strtab_spec_expand,
	.spec_expand_entry = smmu_strtab_spec_expand_ste,
};

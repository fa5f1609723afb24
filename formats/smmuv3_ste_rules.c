/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Validation of SMMUv3 stream tables: SteIllegal() of IHI 0070 G.b §5.2.2,
 * the L1STD rules of §5.1 and the STRTAB_BASE(_CFG) register rules, one rule
 * per condition, each with the event the hardware raises. Consistency of an
 * STE with its CD table is checked by walking that table with the STE's
 * context (smmu_ste_cd_cfg): CD-NOT-VALID for CD 0 when S1DSS uses it,
 * CD-S-STALLD, CD-TABLE-ALIGN for S1ContextPtr bits that are RES0 for the
 * table size, TABLE-UNMAPPED for tables outside the dump. */
#include <stdarg.h>
#include <stdio.h>

#include "smmuv3.h"
#include "smmuv3_qemu.h"

#define BAD_STE "the SMMU raises C_BAD_STE (event 0x04) for the stream's traffic"
#define BAD_SID "the SMMU raises C_BAD_STREAMID (event 0x02; recorded when CR2.RECINVSID = 1)"
#define SPEC_STE "IHI 0070 G.b §5.2.2 SteIllegal()"

const struct pt_rule smmu_ste_rule_list[R_STE_COUNT] = {
	[R_STE_NOT_VALID] = { "STE-NOT-VALID", PT_SEV_ERROR, "v",
		"the STE a StreamID asked for (--sid) has V = 0", BAD_STE,
		"IHI 0070 G.b §5.2 V; QEMU decode_ste" },
	[R_STE_CONFIG_RESERVED] = { "STE-CONFIG-RESERVED", PT_SEV_WARNING, "config",
		"a valid STE has Config 0b001..0b011 (reserved)",
		"behaves as abort: traffic terminated, no event recorded", "IHI 0070 G.b §5.2 Config" },
	[R_STE_CONFIG_S1P] = { "STE-CONFIG-S1P", PT_SEV_ERROR, "config",
		"Config enables stage 1 (0b1x1) on an SMMU without stage 1 (IDR0.S1P = 0)",
		BAD_STE, SPEC_STE "; QEMU decode_ste" },
	[R_STE_CONFIG_S2P] = { "STE-CONFIG-S2P", PT_SEV_ERROR, "config",
		"Config enables stage 2 (0b11x) on an SMMU without stage 2 (IDR0.S2P = 0)",
		BAD_STE, SPEC_STE "; QEMU decode_ste" },
	[R_STE_S1STALLD] = { "STE-S1STALLD-STALL-MODEL", PT_SEV_ERROR, "s1stalld",
		"stage 1 translates, S1STALLD = 1 and IDR0.STALL_MODEL is not 0b00",
		BAD_STE "; QEMU rejects S1STALLD = 1 always", SPEC_STE "; QEMU decode_ste" },
	[R_STE_S1CDMAX] = { "STE-S1CDMAX-RANGE", PT_SEV_ERROR, "s1cdmax",
		"stage 1 translates, IDR1.SSIDSIZE != 0 and S1CDMax > SSIDSIZE",
		BAD_STE "; QEMU rejects any S1CDMax != 0", SPEC_STE "; QEMU decode_ste" },
	[R_STE_S1FMT_CD2L] = { "STE-S1FMT-CD2L", PT_SEV_ERROR, "s1fmt",
		"substreams enabled, S1Fmt selects a 2-level CD table and IDR0.CD2L = 0", BAD_STE,
		SPEC_STE },
	[R_STE_S1FMT_RESERVED] = { "STE-S1FMT-RESERVED", PT_SEV_WARNING, "s1fmt",
		"substreams enabled and S1Fmt = 0b11 (reserved)", "behaves as linear (0b00)",
		"IHI 0070 G.b §5.2 S1Fmt" },
	[R_STE_S1DSS_RESERVED] = { "STE-S1DSS-RESERVED", PT_SEV_WARNING, "s1dss",
		"substreams enabled and S1DSS = 0b11 (reserved)",
		"behaves as terminate: traffic without a SubstreamID raises F_STREAM_DISABLED (0x06)",
		"IHI 0070 G.b §5.2 S1DSS" },
	[R_STE_S1CTXPTR_RANGE] = { "STE-S1CONTEXTPTR-RANGE", PT_SEV_ERROR, "s1contextptr",
		"stage 1 translates and S1ContextPtr lies beyond IDR5.OAS (IAS when nested)",
		BAD_STE " (v3.0: F_CD_FETCH, C_BAD_STE or truncation)",
		SPEC_STE "; IHI 0070 G.b §3.4.3" },
	[R_STE_S1CTXPTR_RES0] = { "STE-S1CONTEXTPTR-RES0", PT_SEV_WARNING, "s1contextptr",
		"S1ContextPtr has bits above 51 set: outside every Linux mask and RES0 below "
		"SMMUv3.4 OAS sizes", "the bits are ignored or make the pointer out of range",
		"IHI 0070 G.b §5.2 S1ContextPtr; Linux STRTAB_STE_0_S1CTXPTR_MASK" },
	[R_STE_S1_IGNORED] = { "STE-S1-IGNORED", PT_SEV_NOTE, NULL,
		"stage 1 does not translate (Config 0b1x0) but S1* fields are non-zero",
		"the fields are IGNORED; a SubstreamID raises C_BAD_SUBSTREAMID (0x08)",
		"IHI 0070 G.b §5.2 (S1* fields IGNORED when Config = 0b1x0)" },
	[R_STE_STRW_RESERVED] = { "STE-STRW-RESERVED", PT_SEV_ERROR, "strw",
		"Config = 0b101 (StreamWorld used), IDR0.Hyp = 1 and STRW = 0bx1 (reserved in the "
		"Non-secure stream table)", BAD_STE, SPEC_STE },
	[R_STE_RES0_FEATURE] = { "STE-RES0-FEATURE", PT_SEV_WARNING, NULL,
		"a field the SMMU's ID registers make RES0 is set: STRW without IDR0.Hyp; MTCFG, "
		"MemAttr, ALLOCCFG or SHCFG (other than 0b01, use incoming) without "
		"IDR1.ATTR_TYPES_OVR; PRIVCFG or INSTCFG without IDR1.ATTR_PERMS_OVR",
		"the field is RES0 on this SMMU: STRW leaves the stream EL1, the attribute fields "
		"leave the incoming attributes in use",
		"IHI 0070 G.b §5.2 STRW, MTCFG, MemAttr, ALLOCCFG, SHCFG, PRIVCFG, INSTCFG; §13" },
	[R_STE_EATS] = { "STE-EATS", PT_SEV_ERROR, "eats",
		"ATS in use with a configuration that forbids it: EATS = split-stage without "
		"Config = 0b111 or with S2S = 1; EATS = full with stage 2 and S2S = 1 (EATS is "
		"IGNORED when IDR0.ATS = 0)", BAD_STE, SPEC_STE },
	[R_STE_S2VMID16] = { "STE-S2VMID16", PT_SEV_ERROR, "s2vmid",
		"S2VMID[15:8] non-zero and used on an SMMU with 8-bit VMIDs (IDR0.VMID16 = 0)",
		BAD_STE, SPEC_STE },
	[R_STE_S2AA64] = { "STE-S2AA64", PT_SEV_ERROR, "s2aa64",
		"stage 2 translates with a table format IDR0.TTF does not support", BAD_STE, SPEC_STE },
	[R_STE_S2TG] = { "STE-S2TG", PT_SEV_ERROR, "s2tg",
		"stage 2 translates (VMSAv8-64) and S2TG is reserved or a granule IDR5 lacks",
		BAD_STE, SPEC_STE },
	[R_STE_S2T0SZ] = { "STE-S2T0SZ-RANGE", PT_SEV_ERROR, "s2t0sz",
		"stage 2 translates (VMSAv8-64) and S2T0SZ is outside its range (max 39, or 48/47 "
		"with STT; min max(16, 64 - IAS), or 12 with 64K/DS)",
		BAD_STE " (v3.0: CONSTRAINED UNPREDICTABLE)", SPEC_STE " STES2T0SZInvalid()" },
	[R_STE_S2SL0] = { "STE-S2SL0", PT_SEV_ERROR, "s2sl0",
		"stage 2 translates (VMSAv8-64) and S2SL0 (with S2SL0_2 when S2DS = 1 and 4K) is a "
		"reserved start level, or one S2T0SZ and S2TG cannot start at (the input must need "
		"the start level, and the start table may concatenate at most 16 tables)",
		BAD_STE "; QEMU (8.1+) raises it too, s2_pgtable_config_valid()",
		SPEC_STE "; Arm ARM AArch64.S2InvalidSL(), AArch64.S2InconsistentSL()" },
	[R_STE_S2TTB_RANGE] = { "STE-S2TTB-RANGE", PT_SEV_ERROR, "s2ttb",
		"stage 2 translates and S2TTB lies beyond min(S2PS, OAS), or beyond 48 bits with "
		"a 4K/16K granule and S2DS = 0", BAD_STE, SPEC_STE " STES2TTBOutOfRange()" },
	[R_STE_S2HTTU] = { "STE-S2HTTU", PT_SEV_ERROR, "s2ha",
		"S2HA/S2HD/S2HAFT ask for hardware updates IDR0.HTTU does not provide", BAD_STE,
		SPEC_STE },
	[R_STE_S2ENDI] = { "STE-S2ENDI", PT_SEV_ERROR, "s2endi",
		"stage 2 translates and S2ENDI selects an endianness IDR0.TTENDIAN lacks", BAD_STE,
		SPEC_STE },
	[R_STE_S2S_STALL] = { "STE-S2S-STALL-MODEL", PT_SEV_ERROR, "s2s",
		"stage 2 translates and S2S = 1 with STALL_MODEL = 01, or S2S = 0 with "
		"STALL_MODEL = 10", BAD_STE, SPEC_STE },
	[R_STE_RES0] = { "STE-RES0", PT_SEV_WARNING, NULL,
		"a RES0 bit of the STE is set ([58:56], [107:105], [252:248], [255], [301:296], "
		"[383:376], [387], [444:440], [447]; S2TTB[55:52] with VMSAv8-64)",
		"the bit is ignored or the result UNPREDICTABLE",
		"IHI 0070 G.b §5.2" },
	[R_L1STD_INVALID] = { "L1STD-NOT-VALID", PT_SEV_ERROR, "span",
		"a StreamID asked for sits behind an L1STD with Span = 0 (or reserved), or past "
		"the 2^(Span-1) STEs its leaf holds", BAD_SID, "IHI 0070 G.b §5.1 Span" },
	[R_L1STD_SPAN] = { "L1STD-SPAN", PT_SEV_ERROR, "span",
		"an L1STD's Span is reserved (12..31, behaves as 0) or larger than SPLIT + 1",
		BAD_SID " for its StreamIDs (QEMU accepts up to 2^Span entries)",
		"IHI 0070 G.b §5.1 Span; QEMU smmu_find_ste" },
	[R_L1STD_L2PTR_RANGE] = { "L1STD-L2PTR-RANGE", PT_SEV_ERROR, "l2ptr",
		"a valid L1STD's L2Ptr lies beyond IDR5.OAS",
		"the STE fetch is out of range: F_STE_FETCH (0x03) or C_BAD_STREAMID",
		"IHI 0070 G.b §5.1, §3.4.3" },
	[R_L1STD_L2PTR_ALIGN] = { "L1STD-L2PTR-ALIGN", PT_SEV_WARNING, "l2ptr",
		"a valid L1STD's L2Ptr is not aligned to the size of its leaf (2^(Span-1) x 64 bytes)",
		"the SMMU aligns the pointer down: the leaf it reads starts elsewhere",
		"IHI 0070 G.b §5.1 L2Ptr; Linux arm_smmu_kexec_check_strtab_l1_desc" },
	[R_L1STD_RES0] = { "L1STD-RES0", PT_SEV_WARNING, NULL,
		"an L1STD has RES0 bit 5 or bits [63:56] set",
		"the bits are ignored or the result UNPREDICTABLE", "IHI 0070 G.b §5.1" },
	[R_STRTAB_FMT] = { "STRTAB-FMT-RESERVED", PT_SEV_ERROR, "fmt",
		"STRTAB_BASE_CFG.FMT is 0b10 or 0b11 (reserved)",
		"CONSTRAINED UNPREDICTABLE; nothing is walked", "IHI 0070 G.b §6.3.24" },
	[R_STRTAB_SPLIT] = { "STRTAB-SPLIT-RESERVED", PT_SEV_ERROR, "split",
		"2-level stream table and STRTAB_BASE_CFG.SPLIT is not 6, 8 or 10",
		"CONSTRAINED UNPREDICTABLE leaf size; nothing is walked", "IHI 0070 G.b §6.3.24" },
	[R_STRTAB_LOG2SIZE] = { "STRTAB-LOG2SIZE", PT_SEV_WARNING, "log2size",
		"STRTAB_BASE_CFG.LOG2SIZE is larger than IDR1.SIDSIZE",
		"the SMMU uses SIDSIZE for range checks and indexing", "IHI 0070 G.b §6.3.24" },
	[R_STRTAB_BASE_ALIGN] = { "STRTAB-BASE-ALIGN", PT_SEV_WARNING, "addr",
		"STRTAB_BASE.ADDR is not aligned to the table size (linear) or to the L1 table size "
		"(at least 64 bytes)", "the SMMU treats the low bits as zero",
		"IHI 0070 G.b §6.3.23" },
	[R_STRTAB_BASE_RANGE] = { "STRTAB-BASE-RANGE", PT_SEV_ERROR, "addr",
		"STRTAB_BASE.ADDR lies beyond IDR5.OAS", "STE fetches are out of range (F_STE_FETCH)",
		"IHI 0070 G.b §6.3.23, §3.4.3" },
	[R_STRTAB_RES0] = { "STRTAB-RES0", PT_SEV_WARNING, NULL,
		"STRTAB_BASE or STRTAB_BASE_CFG has RES0 bits set (a plain address given to "
		"--strtab must be 64-byte aligned)", "the bits are ignored", "IHI 0070 G.b §6.3.23/24" },
	[R_STRTAB_SID_RANGE] = { "STRTAB-SID-RANGE", PT_SEV_ERROR, NULL,
		"the StreamID asked for (--sid) is not below 2^min(LOG2SIZE, SIDSIZE)", BAD_SID,
		"IHI 0070 G.b §6.3.24; QEMU smmu_find_ste" },
};

const struct pt_rule_set smmu_ste_rules = { "smmuv3-strtab", smmu_ste_rule_list, R_STE_COUNT };

void smmu_ste_report(struct pt_diag_sink *diags, enum ste_rule_id id, uint64_t addr,
		     enum pt_diag_scope scope, uint32_t scope_id, const char *field,
		     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pt_diag_vfinding(diags, &smmu_ste_rule_list[id], addr, scope, scope_id, field, fmt, ap);
	va_end(ap);
}

/* ---- one STE ---- */

struct ste_ctx {
	struct pt_walk *w;
	const struct smmu_caps *caps;
	uint32_t sid;
	uint64_t addr;
	const uint8_t *raw;
	unsigned config;
};

static uint64_t f(const struct ste_ctx *c, enum smmu_ste_field_id id)
{
	return smmu_ste(c->raw, id);
}

static void report(const struct ste_ctx *c, enum ste_rule_id id, const char *field,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void report(const struct ste_ctx *c, enum ste_rule_id id, const char *field,
		   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pt_diag_vfinding(c->w->diags, &smmu_ste_rule_list[id], c->addr, PT_SCOPE_SID, c->sid, field,
			 fmt, ap);
	va_end(ap);
}

static const struct smmu_caps *walk_caps(struct pt_walk *w, struct smmu_caps *fallback)
{
	if (w->caps)
		return w->caps;
	smmu_caps_default(fallback);
	return fallback;
}

static void check_config(const struct ste_ctx *c)
{
	if (c->config >= 1 && c->config <= 3)
		report(c, R_STE_CONFIG_RESERVED, NULL, "Config = %u is reserved", c->config);
	if (smmu_ste_s1(c->config) && !c->caps->s1p)
		report(c, R_STE_CONFIG_S1P, NULL, "Config = %u needs stage 1", c->config);
	if (smmu_ste_s2(c->config) && !c->caps->s2p)
		report(c, R_STE_CONFIG_S2P, NULL, "Config = %u needs stage 2", c->config);
}

/* The S1* fields that only mean something when stage 1 translates. */
static const enum smmu_ste_field_id s1_fields[] = {
	STE_S1FMT, STE_S1CONTEXTPTR, STE_S1CDMAX, STE_S1DSS, STE_S1CIR, STE_S1COR, STE_S1CSH,
	STE_S1STALLD, STE_S1MPAM, STE_S1PIE,
};

static void check_s1_ignored(const struct ste_ctx *c)
{
	for (size_t i = 0; i < sizeof s1_fields / sizeof s1_fields[0]; i++) {
		const struct pt_field *fl = &smmu_ste_fields[s1_fields[i]];
		if (pt_field_get(c->raw, fl)) {
			report(c, R_STE_S1_IGNORED, fl->name, "%s is set with Config = %u", fl->label,
			       c->config);
			return;
		}
	}
}

static void check_stage1(const struct ste_ctx *c)
{
	const struct smmu_caps *k = c->caps;
	unsigned cdmax = (unsigned)f(c, STE_S1CDMAX), s1fmt = (unsigned)f(c, STE_S1FMT);
	int substreams = k->ssid_bits && cdmax;
	if (f(c, STE_S1STALLD) && k->stall_model != 0)
		report(c, R_STE_S1STALLD, NULL, "S1STALLD = 1 with STALL_MODEL = %u", k->stall_model);
	if (k->ssid_bits && cdmax > k->ssid_bits)
		report(c, R_STE_S1CDMAX, NULL, "S1CDMax = %u with SSIDSIZE = %u", cdmax, k->ssid_bits);
	if (substreams && !k->cd2l && (s1fmt == 1 || s1fmt == 2))
		report(c, R_STE_S1FMT_CD2L, NULL, "S1Fmt = %u needs 2-level CD tables", s1fmt);
	if (substreams && s1fmt == 3)
		report(c, R_STE_S1FMT_RESERVED, NULL, "S1Fmt = 3 is reserved");
	if (substreams && f(c, STE_S1DSS) == 3)
		report(c, R_STE_S1DSS_RESERVED, NULL, "S1DSS = 3 is reserved");
	uint64_t ptr = f(c, STE_S1CONTEXTPTR);
	if (k->oas_bits < 64 && (ptr >> k->oas_bits))
		report(c, R_STE_S1CTXPTR_RANGE, NULL, "S1ContextPtr 0x%llx is beyond the %u-bit %s",
		       (unsigned long long)ptr, k->oas_bits,
		       c->config == SMMU_STE_NESTED ? "IPA size" : "output size");
	else if (ptr >> 52)
		report(c, R_STE_S1CTXPTR_RES0, NULL, "S1ContextPtr 0x%llx has bits above 51",
		       (unsigned long long)ptr);
	unsigned strw = (unsigned)f(c, STE_STRW);
	if (c->config == SMMU_STE_S1 && strw && !k->hyp)
		report(c, R_STE_RES0_FEATURE, "strw", "STRW = %u on an SMMU without IDR0.Hyp", strw);
	else if (c->config == SMMU_STE_S1 && (strw & 1))
		report(c, R_STE_STRW_RESERVED, NULL, "STRW = %u is reserved", strw);
}

/* Attribute overrides an SMMU without IDR1.ATTR_TYPES_OVR/ATTR_PERMS_OVR
 * does not have. SHCFG = 0b01 is "use incoming", which such an SMMU does
 * anyway; Linux writes it into every STE. */
static void check_attr_overrides(const struct ste_ctx *c)
{
	static const enum smmu_ste_field_id types[] = { STE_MTCFG, STE_MEMATTR, STE_ALLOCCFG,
							STE_SHCFG };
	static const enum smmu_ste_field_id perms[] = { STE_PRIVCFG, STE_INSTCFG };
	for (size_t i = 0; !c->caps->attr_types_ovr && i < sizeof types / sizeof types[0]; i++) {
		uint64_t v = f(c, types[i]);
		if (v && !(types[i] == STE_SHCFG && v == 1))
			report(c, R_STE_RES0_FEATURE, smmu_ste_fields[types[i]].name,
			       "%s = %llu without IDR1.ATTR_TYPES_OVR", smmu_ste_fields[types[i]].label,
			       (unsigned long long)v);
	}
	for (size_t i = 0; !c->caps->attr_perms_ovr && i < sizeof perms / sizeof perms[0]; i++)
		if (f(c, perms[i]))
			report(c, R_STE_RES0_FEATURE, smmu_ste_fields[perms[i]].name,
			       "%s = %llu without IDR1.ATTR_PERMS_OVR", smmu_ste_fields[perms[i]].label,
			       (unsigned long long)f(c, perms[i]));
}

static void check_eats(const struct ste_ctx *c)
{
	unsigned eats = (unsigned)f(c, STE_EATS);
	int s2s = (int)f(c, STE_S2S);
	/* Without IDR0.ATS, EATS is IGNORED (IHI 0070 G.b §5.2 EATS). */
	if ((c->config & 3) == 0 || !c->caps->ats)
		return;
	if (eats == 2 && (c->config != SMMU_STE_NESTED || s2s))
		report(c, R_STE_EATS, NULL, "EATS = split-stage with Config = %u, S2S = %d",
		       c->config, s2s);
	if ((eats == 1 || eats == 3) && smmu_ste_s2(c->config) && s2s)
		report(c, R_STE_EATS, NULL, "EATS = %u with stage 2 and S2S = 1", eats);
}

static unsigned ps_bits(uint64_t ps)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };
	return bits[ps & 7];
}

/* Granule shift by S2TG, 0 = reserved. */
static unsigned s2_granule(const struct smmu_caps *k, unsigned tg)
{
	static const unsigned shift[] = { 12, 16, 14, 0 };
	unsigned g = shift[tg & 3];
	if ((g == 12 && !k->gran4k) || (g == 14 && !k->gran16k) || (g == 16 && !k->gran64k))
		return 0;
	return g;
}

/* The stage-2 start level S2SL0 (and S2SL0_2) select, as VTCR_EL2.SL0/SL2
 * do (Arm ARM AArch64.S2StartLevel()); -2 for an encoding that is reserved
 * for this granule and SMMU (AArch64.S2InvalidSL(); IDR3.STT stands for
 * FEAT_TTST, IDR5.OAS for PAMax). */
static int s2_start_level(const struct ste_ctx *c, unsigned g)
{
	const struct smmu_caps *k = c->caps;
	unsigned sl0 = (unsigned)f(c, STE_S2SL0);
	int ds = k->ds && f(c, STE_S2DS);
	unsigned sl2 = g == 12 && ds ? (unsigned)f(c, STE_S2SL0_2) : 0;
	if (g == 12) {
		if (sl2)
			return sl0 == 0 && k->oas_bits >= 52 ? -1 : -2;
		static const int lvl4k[4] = { 2, 1, 0, 3 };
		if ((sl0 == 2 && k->oas_bits < 44) || (sl0 == 3 && !k->stt))
			return -2;
		return lvl4k[sl0];
	}
	if (g == 14) {
		if ((sl0 == 3 && (!ds || k->oas_bits < 52)) || (sl0 == 2 && k->oas_bits < 42))
			return -2;
		return 3 - (int)sl0;
	}
	if (sl0 == 3 || (sl0 == 2 && k->oas_bits < 44))
		return -2;
	return 3 - (int)sl0;
}

/* AArch64.S2InconsistentSL(): from start level L the walk resolves
 * (3 - L) * stride + granule bits below L; the input must need level L,
 * and level L can take one stride more plus 16 concatenated tables. */
static void check_s2sl0(const struct ste_ctx *c, unsigned g, unsigned t0sz, unsigned min,
			unsigned max)
{
	if (t0sz < min || t0sz > max)
		return;
	int level = s2_start_level(c, g);
	unsigned sl0 = (unsigned)f(c, STE_S2SL0);
	if (level == -2) {
		report(c, R_STE_S2SL0, NULL, "S2SL0 = %u is reserved for the %uK granule here", sl0,
		       1u << (g - 10));
		return;
	}
	int stride = (int)g - 3, ias = 64 - (int)t0sz;
	int lo = (3 - level) * stride + (int)g + 1, hi = lo + stride - 1 + 4;
	if (ias < lo || ias > hi)
		report(c, R_STE_S2SL0, NULL, "start level %d (S2SL0 = %u) cannot walk a %d-bit input "
		       "with the %uK granule (%d..%d bits)", level, sl0, ias, 1u << (g - 10), lo, hi);
}

static void check_s2_tables(const struct ste_ctx *c, unsigned g)
{
	const struct smmu_caps *k = c->caps;
	unsigned t0sz = (unsigned)f(c, STE_S2T0SZ);
	unsigned ias = k->oas_bits;
	unsigned max = k->stt ? (g == 16 ? 47u : 48u) : 39u;
	unsigned min = (g == 16 || (k->ds && f(c, STE_S2DS))) ? 12u : 16u;
	if (64 - ias > min)
		min = 64 - ias;
	if (t0sz < min || t0sz > max)
		report(c, R_STE_S2T0SZ, NULL, "S2T0SZ = %u is outside %u..%u", t0sz, min, max);
	check_s2sl0(c, g, t0sz, min, max);
	unsigned eff = ps_bits(f(c, STE_S2PS));
	if (eff > k->oas_bits)
		eff = k->oas_bits;
	/* VMSAv8-64: S2TTB is bits [51:4]; [55:52] are RES0, not address bits. */
	uint64_t ttb = f(c, STE_S2TTB) & ((UINT64_C(1) << 52) - 1);
	if (f(c, STE_S2TTB) >> 52)
		report(c, R_STE_RES0, "s2ttb", "S2TTB bits [55:52] = 0x%llx are RES0 for VMSAv8-64",
		       (unsigned long long)(f(c, STE_S2TTB) >> 52));
	if (ttb >> eff)
		report(c, R_STE_S2TTB_RANGE, NULL, "S2TTB 0x%llx is beyond %u bits",
		       (unsigned long long)ttb, eff);
	else if (g != 16 && !f(c, STE_S2DS) && (ttb >> 48))
		report(c, R_STE_S2TTB_RANGE, NULL, "S2TTB 0x%llx needs S2DS = 1 with this granule",
		       (unsigned long long)ttb);
}

static void check_stage2(const struct ste_ctx *c)
{
	const struct smmu_caps *k = c->caps;
	int aa64 = (int)f(c, STE_S2AA64);
	if ((aa64 && !(k->ttf & 2)) || (!aa64 && !(k->ttf & 1)))
		report(c, R_STE_S2AA64, NULL, "S2AA64 = %d is not supported here", aa64);
	uint64_t ha = f(c, STE_S2HA), hd = f(c, STE_S2HD), haft = f(c, STE_S2HAFT);
	if (((ha || hd) && (!aa64 || k->httu == 0)) || (hd && k->httu == 1) ||
	    (haft && !ha && k->httu == 3))
		report(c, R_STE_S2HTTU, hd ? "s2hd" : "s2ha", "S2HA = %u, S2HD = %u with HTTU = %u",
		       (unsigned)ha, (unsigned)hd, k->httu);
	if ((k->ttendian == 2 && f(c, STE_S2ENDI)) || (k->ttendian == 3 && !f(c, STE_S2ENDI)))
		report(c, R_STE_S2ENDI, NULL, "S2ENDI = %u with TTENDIAN = %u",
		       (unsigned)f(c, STE_S2ENDI), k->ttendian);
	if ((f(c, STE_S2S) && k->stall_model == 1) || (!f(c, STE_S2S) && k->stall_model == 2))
		report(c, R_STE_S2S_STALL, NULL, "S2S = %u with STALL_MODEL = %u",
		       (unsigned)f(c, STE_S2S), k->stall_model);
	if (!aa64)
		return;
	unsigned tg = (unsigned)f(c, STE_S2TG);
	unsigned g = s2_granule(k, tg);
	if (!g) {
		report(c, R_STE_S2TG, NULL, "S2TG = %u is reserved or not supported", tg);
		return;
	}
	check_s2_tables(c, g);
}

/* VMID tagging is used for NS-EL1 translations (IgnoreSTES2VMID()). */
static void check_vmid(const struct ste_ctx *c)
{
	int el1 = smmu_ste_s2(c->config) || f(c, STE_STRW) == 0;
	if ((c->config & 3) && c->caps->s2p && el1 && !c->caps->vmid16 && (f(c, STE_S2VMID) >> 8))
		report(c, R_STE_S2VMID16, NULL, "S2VMID 0x%x needs 16-bit VMIDs",
		       (unsigned)f(c, STE_S2VMID));
}

static void check_res0(const struct ste_ctx *c)
{
	static const enum smmu_ste_field_id res0[] = {
		STE_RES0_58_56, STE_RES0_107_105, STE_RES0_252_248, STE_RES0_255,
		STE_RES0_301_296, STE_RES0_383_376, STE_RES0_387, STE_RES0_444_440, STE_RES0_447,
	};
	for (size_t i = 0; i < sizeof res0 / sizeof res0[0]; i++)
		if (f(c, res0[i]))
			report(c, R_STE_RES0, smmu_ste_fields[res0[i]].name, "%s = 0x%llx",
			       smmu_ste_fields[res0[i]].label, (unsigned long long)f(c, res0[i]));
}

void smmu_ste_check_entry(struct pt_walk *w, uint32_t sid, uint64_t addr, const uint8_t *raw)
{
	struct smmu_caps fallback;
	struct ste_ctx c = { w, walk_caps(w, &fallback), sid, addr, raw,
			     (unsigned)smmu_ste(raw, STE_CONFIG) };
	if (!smmu_ste(raw, STE_V)) {
		if (w->one_ssid)
			report(&c, R_STE_NOT_VALID, NULL, "V = 0");
		return;
	}
	check_config(&c);
	check_res0(&c);
	if (c.config < SMMU_STE_BYPASS)
		return;
	if (smmu_ste_s1(c.config))
		check_stage1(&c);
	else
		check_s1_ignored(&c);
	if (smmu_ste_s2(c.config))
		check_stage2(&c);
	check_eats(&c);
	check_vmid(&c);
	check_attr_overrides(&c);
	smmu_qemu_check_ste(w->diags, c.caps, sid, addr, raw);
}

/* ---- L1 stream table descriptors ---- */

void smmu_l1std_check_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw)
{
	struct smmu_caps fallback;
	const struct smmu_caps *k = walk_caps(w, &fallback);
	uint64_t lo = pt_field_get(raw, &smmu_l1std_fields[L1STD_RES0_5]);
	uint64_t hi = pt_field_get(raw, &smmu_l1std_fields[L1STD_RES0_HI]);
	if (lo || hi)
		smmu_ste_report(w->diags, R_L1STD_RES0, addr, PT_SCOPE_INDEX, index, NULL,
				"RES0 bits set (0x%016llx)", (unsigned long long)pt_le64(raw, 0));
	unsigned span = (unsigned)pt_field_get(raw, &smmu_l1std_fields[L1STD_SPAN]);
	if (span == 0)
		return;
	unsigned split = w->cfg->leaf_bits ? w->cfg->leaf_bits : w->cfg->layout->leaf_bits;
	if (span > 11 || span > split + 1) {
		smmu_ste_report(w->diags, R_L1STD_SPAN, addr, PT_SCOPE_INDEX, index, NULL,
				"Span = %u with SPLIT = %u", span, split);
		if (span > 11)
			return;
	}
	uint64_t l2 = pt_field_get(raw, &smmu_l1std_fields[L1STD_L2PTR]);
	if (k->oas_bits < 64 && (l2 >> k->oas_bits))
		smmu_ste_report(w->diags, R_L1STD_L2PTR_RANGE, addr, PT_SCOPE_INDEX, index, NULL,
				"L2Ptr 0x%llx is beyond the %u-bit output size",
				(unsigned long long)l2, k->oas_bits);
	uint64_t leaf = (UINT64_C(1) << (span - 1)) * SMMU_STE_SIZE;
	if (l2 & (leaf - 1))
		smmu_ste_report(w->diags, R_L1STD_L2PTR_ALIGN, addr, PT_SCOPE_INDEX, index, NULL,
				"L2Ptr 0x%llx is not aligned to its 0x%llx-byte leaf",
				(unsigned long long)l2, (unsigned long long)leaf);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Validation of SMMUv3 CDs and L1 CD descriptors: CdIllegal() of IHI 0070
 * G.b §5.4.2 and the L1CD rules of §5.3/§3.4.3, one rule per condition, each
 * with the event the hardware raises. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smmuv3.h"
#include "smmuv3_qemu.h"


#define BAD_CD "the CD fetch raises C_BAD_CD (event 0x0a)"
#define BAD_SSID "the transaction raises C_BAD_SUBSTREAMID (event 0x08)"
#define SPEC_CD "IHI 0070 G.b §5.4.2 CdIllegal()"

const struct pt_rule smmu_cd_rule_list[R_CD_COUNT] = {
	[R_CD_NOT_VALID] = { "CD-NOT-VALID", PT_SEV_ERROR, "v",
		"the CD an SSID selects has V = 0 (reported for SSIDs asked for with --ssid, "
		"and for SSID 0 when the STE's S1DSS uses it)",
		BAD_CD "; QEMU decode_cd rejects it", "IHI 0070 G.b §5.4 V; QEMU decode_cd" },
	[R_CD_STALL_DISABLED] = { "CD-S-STALLD", PT_SEV_ERROR, "s",
		"CD.S = 1 while the STE has S1STALLD = 1", BAD_CD, SPEC_CD },
	[R_CD_A_TERM] = { "CD-A-TERM-MODEL", PT_SEV_ERROR, "a",
		"CD.A = 0 on an SMMU with IDR0.TERM_MODEL = 1",
		BAD_CD "; QEMU (TERM_MODEL 1) rejects A = 0", SPEC_CD "; QEMU decode_cd" },
	[R_CD_S_STALL_MODEL] = { "CD-S-STALL-MODEL", PT_SEV_ERROR, "s",
		"CD.S = 1 with STALL_MODEL = 01 (no stall), or CD.S = 0 with STALL_MODEL = 10 "
		"(stall forced)", BAD_CD "; QEMU rejects S = 1", SPEC_CD "; QEMU decode_cd" },
	[R_CD_ENDI] = { "CD-ENDI", PT_SEV_ERROR, "endi",
		"CD.ENDI selects an endianness IDR0.TTENDIAN does not support",
		BAD_CD "; QEMU rejects ENDI = 1", SPEC_CD "; QEMU decode_cd" },
	[R_CD_AA64_32] = { "CD-AA64-VMSAV8-32", PT_SEV_ERROR, "aa64",
		"CD.AA64 = 0 (VMSAv8-32 LPAE) on an SMMU without VMSAv8-32 support (IDR0.TTF[0]) "
		"or in an EL2/EL3 StreamWorld", BAD_CD "; QEMU rejects AA64 = 0 always",
		SPEC_CD "; QEMU decode_cd" },
	[R_CD_AA64_64] = { "CD-AA64-VMSAV8-64", PT_SEV_ERROR, "aa64",
		"CD.AA64 = 1 on an SMMU without VMSAv8-64 support (IDR0.TTF[1] = 0)", BAD_CD,
		SPEC_CD },
	[R_CD_HTTU] = { "CD-HTTU", PT_SEV_ERROR, "ha",
		"CD.HA/HD/HAFT ask for hardware updates IDR0.HTTU does not provide "
		"(HA or HD with HTTU 0, HD with HTTU 1, HAFT without HA)",
		BAD_CD "; QEMU rejects HA or HD = 1", SPEC_CD "; QEMU decode_cd" },
	[R_CD_ASID16] = { "CD-ASID16", PT_SEV_ERROR, "asid",
		"CD.ASID[15:8] is non-zero on an SMMU with 8-bit ASIDs (IDR0.ASID16 = 0)", BAD_CD,
		SPEC_CD },
	[R_CD_T0SZ] = { "CD-T0SZ-RANGE", PT_SEV_ERROR, "t0sz",
		"TTB0 is enabled and T0SZ is outside the range the granule, IDR3.STT and IDR5.VAX "
		"allow (16..39 without STT)", BAD_CD " (v3.0: CONSTRAINED UNPREDICTABLE); QEMU "
		"accepts 16..39 only", SPEC_CD "; QEMU decode_cd" },
	[R_CD_T1SZ] = { "CD-T1SZ-RANGE", PT_SEV_ERROR, "t1sz",
		"TTB1 is enabled and T1SZ is outside the allowed range", BAD_CD, SPEC_CD },
	[R_CD_TG0_RESERVED] = { "CD-TG0-RESERVED", PT_SEV_ERROR, "tg0",
		"TTB0 is enabled and TG0 = 3 (reserved encoding)", BAD_CD,
		SPEC_CD "; QEMU decode_cd" },
	[R_CD_TG1_RESERVED] = { "CD-TG1-RESERVED", PT_SEV_ERROR, "tg1",
		"TTB1 is enabled and TG1 = 0 (reserved encoding)", BAD_CD,
		SPEC_CD "; QEMU decode_cd" },
	[R_CD_TG0_UNSUPPORTED] = { "CD-TG0-UNSUPPORTED", PT_SEV_ERROR, "tg0",
		"TTB0 is enabled and TG0 selects a granule IDR5 does not advertise", BAD_CD,
		SPEC_CD },
	[R_CD_TG1_UNSUPPORTED] = { "CD-TG1-UNSUPPORTED", PT_SEV_ERROR, "tg1",
		"TTB1 is enabled and TG1 selects a granule IDR5 does not advertise", BAD_CD,
		SPEC_CD },
	[R_CD_TTB0_RANGE] = { "CD-TTB0-RANGE", PT_SEV_ERROR, "ttb0",
		"TTB0 is enabled and TTB0 lies beyond the effective output size min(IPS, OAS)",
		BAD_CD "; QEMU checks against min(IPS, 44)", SPEC_CD "; QEMU decode_cd" },
	[R_CD_TTB1_RANGE] = { "CD-TTB1-RANGE", PT_SEV_ERROR, "ttb1",
		"TTB1 is enabled and TTB1 lies beyond the effective output size min(IPS, OAS)",
		BAD_CD, SPEC_CD "; QEMU decode_cd" },
	[R_CD_TTB0_48] = { "CD-TTB0-52BIT", PT_SEV_ERROR, "ttb0",
		"TTB0 is at or above 2^48 with a 4K/16K granule and DS = 0", BAD_CD, SPEC_CD },
	[R_CD_TTB1_48] = { "CD-TTB1-52BIT", PT_SEV_ERROR, "ttb1",
		"TTB1 is at or above 2^48 with a 4K/16K granule and DS = 0", BAD_CD, SPEC_CD },
	[R_CD_PIE_PERM] = { "CD-PIE-PERMISSION", PT_SEV_ERROR, "piip",
		"permission indirection is in use and a PIIU/PIIP entry is reserved (100, 110) "
		"or PIIP grants execute where PIIU grants write", BAD_CD, SPEC_CD },
	[R_CD_EPD_BOTH] = { "CD-EPD-BOTH", PT_SEV_WARNING, "epd0",
		"both EPD0 and EPD1 are set: every TLB miss gives F_TRANSLATION",
		"legal; all translations fault", "IHI 0070 G.b §5.4 EPD0/EPD1" },
	[R_CD_IPS_CAPPED] = { "CD-IPS-CAPPED", PT_SEV_WARNING, "ips",
		"IPS is larger than IDR5.OAS or an encoding this SMMU version reserves",
		"the SMMU uses a smaller output size", "IHI 0070 G.b §5.4 IPS" },
	[R_CD_SH0_RESERVED] = { "CD-SH0-RESERVED", PT_SEV_WARNING, "sh0",
		"SH0 = 01 (reserved)", "behaves as non-shareable", "IHI 0070 G.b §5.4 SH0" },
	[R_CD_SH1_RESERVED] = { "CD-SH1-RESERVED", PT_SEV_WARNING, "sh1",
		"SH1 = 01 (reserved)", "behaves as non-shareable", "IHI 0070 G.b §5.4 SH1" },
	[R_CD_RES0] = { "CD-RES0", PT_SEV_WARNING, NULL,
		"a RES0 bit of the CD is set (including TTBx bits [55:52] for VMSAv8-64, which are "
		"not judged as address bits)",
		"the bit is ignored or the result UNPREDICTABLE", "IHI 0070 G.b §5.4" },
	[R_CD_RES0_FEATURE] = { "CD-RES0-FEATURE", PT_SEV_WARNING, NULL,
		"a field whose feature the SMMU does not implement is set (E0PDx, EPAN, PIE, PnCH, "
		"AIE, HWUxxx, HAFT, DS, HADx)", "the field is RES0 or IGNORED on this SMMU",
		"IHI 0070 G.b §5.4, per-field ID register conditions" },
	[R_CD_AMAIR] = { "CD-AMAIR", PT_SEV_NOTE, "amair0",
		"AMAIR is non-zero (implementation defined attributes)",
		"meaning depends on the implementation", "IHI 0070 G.b §5.4 AMAIR" },
	[R_CD_TTB0_ALIGN] = { "CD-TTB0-ALIGN", PT_SEV_WARNING, "ttb0",
		"TTB0 has bits set below the alignment of the start-level table",
		"the low bits are treated as zero", "IHI 0070 G.b §5.4 TTB0; Arm ARM D8" },
	[R_CD_TTB1_ALIGN] = { "CD-TTB1-ALIGN", PT_SEV_WARNING, "ttb1",
		"TTB1 has bits set below the alignment of the start-level table",
		"the low bits are treated as zero", "IHI 0070 G.b §5.4 TTB1; Arm ARM D8" },
	[R_CD_TTB1_EL2] = { "CD-TTB1-EL2", PT_SEV_WARNING, "ttb1",
		"the STE's StreamWorld is EL2 (no TTB1) and TTB1-side fields are non-zero",
		"the fields are RES0 for that StreamWorld", "IHI 0070 G.b §5.4, §5.4.1" },
	[R_CD_ASID_ALIAS] = { "CD-ASID-ALIAS", PT_SEV_ERROR, "asid",
		"two valid CDs of one table share an ASID but differ in a field the TLB caches "
		"(TTBx, TxSZ, TGx, IR/OR/SH, MAIR, EPDx, ENDI, HA/HD, AA64, TBIx, IPS, ...)",
		"TLB lookups return UNPREDICTABLE results", "IHI 0070 G.b §5.4.1" },
	[R_CD_TABLE_ALIGN] = { "CD-TABLE-ALIGN", PT_SEV_WARNING, NULL,
		"the CD table (or L1 table) address has bits set that are RES0 for its size: "
		"linear tables are aligned to their size, L1 tables to max(size, 64)",
		"CONSTRAINED UNPREDICTABLE: bits ignored, or any CD/L1CD of the table fetched",
		"IHI 0070 G.b §5.2 S1ContextPtr, S1Fmt" },
	[R_L1CD_INVALID] = { "L1CD-NOT-VALID", PT_SEV_ERROR, "v",
		"an SSID asked for sits behind an L1 descriptor with V = 0",
		BAD_SSID " (not C_BAD_CD)", "IHI 0070 G.b §5.3" },
	[R_L1CD_L2PTR_RANGE] = { "L1CD-L2PTR-RANGE", PT_SEV_ERROR, "l2ptr",
		"a valid L1 descriptor's L2Ptr lies beyond IDR5.OAS",
		BAD_SSID " (v3.0: F_CD_FETCH, C_BAD_SUBSTREAMID or truncation)",
		"IHI 0070 G.b §5.3, §3.4.3" },
	[R_L1CD_L2PTR_ALIGN] = { "L1CD-L2PTR-ALIGN", PT_SEV_WARNING, "l2ptr",
		"2-level 64 KiB layout and L2Ptr[15:12] is non-zero (leaf not 64 KiB aligned)",
		"the bits are RES0: treated as zero or UNPREDICTABLE", "IHI 0070 G.b §5.2 S1Fmt" },
	[R_L1CD_RES0] = { "L1CD-RES0", PT_SEV_WARNING, NULL,
		"an L1 descriptor has RES0 bits [11:1] or [63:56] set",
		"the bits are ignored or the result UNPREDICTABLE", "IHI 0070 G.b §5.3" },
};

const struct pt_rule_set smmu_cd_rules = { "smmuv3-cd", smmu_cd_rule_list, R_CD_COUNT };

/* ---- helpers ---- */

struct cd_ctx {
	struct pt_walk *w;
	const struct smmu_caps *caps;
	struct smmu_ste_ctx ste;
	uint32_t ssid;
	uint64_t addr;
	const uint8_t *raw;
	/* The CD's words, loaded once: the checks read some 80 fields per
	 * CD, each cut out of these in registers. */
	uint64_t words[SMMU_CD_SIZE / 8];
};

static void report(const struct cd_ctx *c, enum cd_rule_id id, const char *field,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void report(const struct cd_ctx *c, enum cd_rule_id id, const char *field,
		   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pt_diag_vfinding(c->w->diags, &smmu_cd_rule_list[id], c->addr, PT_SCOPE_SSID, c->ssid,
			 field, fmt, ap);
	va_end(ap);
}

static uint64_t f(const struct cd_ctx *c, enum smmu_cd_field_id id)
{
	return pt_field_from_words(c->words, &smmu_cd_fields[id]);
}

static const struct smmu_caps *walk_caps(struct pt_walk *w, struct smmu_caps *fallback)
{
	if (w->caps)
		return w->caps;
	smmu_caps_default(fallback);
	return fallback;
}

static unsigned ips_bits(uint64_t ips)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };
	return bits[ips & 7];
}

/* StreamWorld any-EL2: STRW = EL2 on an SMMU with Hyp (STRW is RES0
 * without it) and CR2.E2H = 0. It has no TTB1, and EPD0/EPD1 are IGNORED
 * with an effective value of 0 (IHI 0070 G.b §5.4 EPD0). */
static int world_any_el2(const struct cd_ctx *c)
{
	return c->ste.present && c->ste.strw == 2 && c->caps->hyp && !c->caps->e2h;
}

static int world_has_ttb1(const struct cd_ctx *c)
{
	return !world_any_el2(c);
}

static int epd(const struct cd_ctx *c, enum smmu_cd_field_id id)
{
	return !world_any_el2(c) && f(c, id);
}

/* ---- per-CD checks ---- */

static void check_model(const struct cd_ctx *c)
{
	const struct smmu_caps *k = c->caps;
	if (c->ste.present && c->ste.s1stalld && f(c, CD_S))
		report(c, R_CD_STALL_DISABLED, NULL, "S = 1 but the STE sets S1STALLD");
	if (k->term_model && !f(c, CD_A))
		report(c, R_CD_A_TERM, NULL, "A = 0 on an SMMU with TERM_MODEL = 1");
	if ((k->stall_model == 1 && f(c, CD_S)) || (k->stall_model == 2 && !f(c, CD_S)))
		report(c, R_CD_S_STALL_MODEL, NULL, "S = %u with STALL_MODEL = %u",
		       (unsigned)f(c, CD_S), k->stall_model);
	int both_off = epd(c, CD_EPD0) && epd(c, CD_EPD1);
	if (!both_off && ((k->ttendian == 2 && f(c, CD_ENDI)) ||
			  (k->ttendian == 3 && !f(c, CD_ENDI))))
		report(c, R_CD_ENDI, NULL, "ENDI = %u but the SMMU supports only %s tables",
		       (unsigned)f(c, CD_ENDI), k->ttendian == 2 ? "little-endian" : "big-endian");
	int el2 = c->ste.present && c->ste.strw == 2 && k->hyp;
	if (!f(c, CD_AA64) && (!(k->ttf & 1) || el2))
		report(c, R_CD_AA64_32, NULL, "AA64 = 0 (VMSAv8-32) is not supported here");
	if (f(c, CD_AA64) && !(k->ttf & 2))
		report(c, R_CD_AA64_64, NULL, "AA64 = 1 (VMSAv8-64) is not supported here");
}

static void check_httu(const struct cd_ctx *c)
{
	const struct smmu_caps *k = c->caps;
	uint64_t ha = f(c, CD_HA), hd = f(c, CD_HD), haft = f(c, CD_HAFT);
	if (f(c, CD_AA64) && (((ha || hd) && k->httu == 0) || (hd && k->httu == 1) ||
			      (k->httu == 3 && haft && !ha)))
		report(c, R_CD_HTTU, hd ? "hd" : "ha", "HA = %u, HD = %u, HAFT = %u with HTTU = %u",
		       (unsigned)ha, (unsigned)hd, (unsigned)haft, k->httu);
}

static void check_asid16(const struct cd_ctx *c)
{
	if (!c->caps->asid16 && (f(c, CD_ASID) >> 8))
		report(c, R_CD_ASID16, NULL, "ASID 0x%04x needs 16-bit ASIDs",
		       (unsigned)f(c, CD_ASID));
}

/* One translation table half (TTB0 or TTB1) described by field ids, so the
 * same checks serve both halves. */
struct tt_half {
	int n;
	enum smmu_cd_field_id tsz, tg, sh, ttb, epd;
	enum cd_rule_id r_tsz, r_tg_res, r_tg_unsup, r_range, r_52, r_sh, r_align;
	unsigned granule_shift[4]; /* by TG encoding; 0 = reserved */
};

static const struct tt_half halves[2] = {
	{ 0, CD_T0SZ, CD_TG0, CD_SH0, CD_TTB0, CD_EPD0, R_CD_T0SZ, R_CD_TG0_RESERVED,
	  R_CD_TG0_UNSUPPORTED, R_CD_TTB0_RANGE, R_CD_TTB0_48, R_CD_SH0_RESERVED, R_CD_TTB0_ALIGN,
	  { 12, 16, 14, 0 } },
	{ 1, CD_T1SZ, CD_TG1, CD_SH1, CD_TTB1, CD_EPD1, R_CD_T1SZ, R_CD_TG1_RESERVED,
	  R_CD_TG1_UNSUPPORTED, R_CD_TTB1_RANGE, R_CD_TTB1_48, R_CD_SH1_RESERVED, R_CD_TTB1_ALIGN,
	  { 0, 14, 12, 16 } },
};

static int granule_supported(const struct smmu_caps *k, unsigned shift)
{
	return (shift == 12 && k->gran4k) || (shift == 14 && k->gran16k) ||
	       (shift == 16 && k->gran64k);
}

static void check_tsz(const struct cd_ctx *c, const struct tt_half *h, unsigned g)
{
	const struct smmu_caps *k = c->caps;
	unsigned tsz = (unsigned)f(c, h->tsz);
	unsigned max = k->stt ? (g == 16 ? 47u : 48u) : 39u;
	unsigned min = (k->vax && (g == 16 || (f(c, CD_DS) && k->ds))) ? 12u : 16u;
	if (tsz < min || tsz > max)
		report(c, h->r_tsz, NULL, "T%dSZ = %u is outside %u..%u", h->n, tsz, min, max);
}

/* Start-level table size for the VMSAv8-64 walk (IHI 0070 §5.4 TTBx, Arm ARM
 * D8): the table holds the index bits the levels below do not take. */
static unsigned start_table_align(unsigned tsz, unsigned g)
{
	unsigned n = 64 - tsz, s = g - 3;
	if (n <= g)
		return 3;
	unsigned levels = (n - g + s - 1) / s;
	unsigned r = n - g - s * (levels - 1);
	return r + 3;
}

/* What a half's table address must satisfy; a function of the CD's
 * configuration only, so a walk can compute it once per configuration. */
struct ttb_limits {
	unsigned eff;            /* effective output size, bits */
	int check52;             /* 4K/16K granule without DS: below 2^48 */
	unsigned align;          /* start-table alignment, bits (0: not checked) */
};

static void ttb_limits(const struct cd_ctx *c, const struct tt_half *h, unsigned g,
		       struct ttb_limits *l)
{
	l->eff = ips_bits(f(c, CD_IPS));
	if (l->eff > c->caps->oas_bits)
		l->eff = c->caps->oas_bits;
	l->check52 = f(c, CD_AA64) && !f(c, CD_DS) && g != 16;
	unsigned tsz = (unsigned)f(c, h->tsz);
	l->align = 0;
	if (tsz >= 12 && tsz <= 48) {
		l->align = start_table_align(tsz, g);
		if (l->eff == 52 && l->align < 6)
			l->align = 6;
	}
}

static int ttb_ok(const struct ttb_limits *l, uint64_t ttb)
{
	return !(ttb >> l->eff) && !(l->check52 && (ttb >> 48)) &&
	       !(ttb & ((UINT64_C(1) << l->align) - 1));
}

/* The table address a VMSAv8-64 TTBx holds: bits [51:4]. Bits [55:52] of
 * the field are RES0 there (address bits only with VMSAv9-128) and are
 * reported by check_ttb_res0 as such, not as an address out of range. */
static uint64_t ttb_addr(const struct cd_ctx *c, enum smmu_cd_field_id id)
{
	uint64_t ttb = f(c, id);
	return f(c, CD_AA64) ? ttb & ((UINT64_C(1) << 52) - 1) : ttb;
}

static void check_ttb(const struct cd_ctx *c, const struct tt_half *h, unsigned g)
{
	uint64_t ttb = ttb_addr(c, h->ttb);
	struct ttb_limits l;
	ttb_limits(c, h, g, &l);
	if (ttb >> l.eff)
		report(c, h->r_range, NULL, "TTB%d 0x%llx is beyond the %u-bit output size", h->n,
		       (unsigned long long)ttb, l.eff);
	else if (l.check52 && (ttb >> 48))
		report(c, h->r_52, NULL, "TTB%d 0x%llx needs DS = 1 with a %s granule", h->n,
		       (unsigned long long)ttb, g == 12 ? "4K" : "16K");
	if (ttb & ((UINT64_C(1) << l.align) - 1))
		report(c, h->r_align, NULL, "TTB%d 0x%llx is not aligned to its %u-byte start table",
		       h->n, (unsigned long long)ttb, 1u << l.align);
}

static int half_enabled(const struct cd_ctx *c, const struct tt_half *h)
{
	return !((h->n == 1 && !world_has_ttb1(c)) || epd(c, h->epd));
}

/* The granule shift a walk through this half uses, or 0 when there is no
 * VMSAv8-64 walk to check (half disabled, VMSAv8-32, bad granule). */
static unsigned half_granule(const struct cd_ctx *c, const struct tt_half *h)
{
	if (!half_enabled(c, h) || !f(c, CD_AA64))
		return 0;
	unsigned g = h->granule_shift[f(c, h->tg)];
	return g && granule_supported(c->caps, g) ? g : 0;
}

/* Everything about a half except its table address. */
static void check_half_config(const struct cd_ctx *c, const struct tt_half *h)
{
	if (!half_enabled(c, h))
		return;
	if (f(c, h->sh) == 1)
		report(c, h->r_sh, NULL, "SH%d = 01 is reserved", h->n);
	if (!f(c, CD_AA64))
		return;
	unsigned tg = (unsigned)f(c, h->tg);
	unsigned g = h->granule_shift[tg];
	if (!g)
		report(c, h->r_tg_res, NULL, "TG%d encoding %u is reserved", h->n, tg);
	else if (!granule_supported(c->caps, g))
		report(c, h->r_tg_unsup, NULL, "TG%d selects the %uK granule, not supported", h->n,
		       1u << (g - 10));
	else
		check_tsz(c, h, g);
}

static void check_half_table(const struct cd_ctx *c, const struct tt_half *h)
{
	unsigned g = half_granule(c, h);
	if (g)
		check_ttb(c, h, g);
}

/* PIIU/PIIP: 16 three-bit permission encodings each. */
static void check_pie(const struct cd_ctx *c)
{
	if (!f(c, CD_PIE) || !c->caps->s1pi)
		return;
	uint64_t piiu = f(c, CD_PIIU), piip = f(c, CD_PIIP);
	for (unsigned p = 0; p < 16; p++) {
		unsigned u = (unsigned)(piiu >> (3 * p)) & 7, v = (unsigned)(piip >> (3 * p)) & 7;
		if (u == 4 || u == 6 || v == 4 || v == 6) {
			report(c, R_CD_PIE_PERM, u == 4 || u == 6 ? "piiu" : "piip",
			       "permission entry %u uses reserved encoding %u", p,
			       u == 4 || u == 6 ? u : v);
			return;
		}
		if ((v & 2) && (u == 5 || u == 7)) {
			report(c, R_CD_PIE_PERM, "piip",
			       "entry %u: PIIP grants execute where PIIU grants write", p);
			return;
		}
	}
}

struct gated {
	enum smmu_cd_field_id id;
	size_t cap_offset; /* int member of smmu_caps that enables it */
};

static void check_ttb_res0(const struct cd_ctx *c, int t)
{
	enum smmu_cd_field_id id = t ? CD_TTB1 : CD_TTB0;
	if (f(c, CD_AA64) && (f(c, id) >> 52))
		report(c, R_CD_RES0, smmu_cd_fields[id].name,
		       "TTB%d bits above 51 are RES0 for VMSAv8-64", t);
}

static void check_res0(const struct cd_ctx *c)
{
	static const enum smmu_cd_field_id res0[] = { CD_RES0_DW1, CD_RES0_DW2, CD_RES0_DW5,
						      CD_RES0_DW6, CD_RES0_DW7 };
	for (size_t i = 0; i < sizeof res0 / sizeof res0[0]; i++)
		if (f(c, res0[i]))
			report(c, R_CD_RES0, smmu_cd_fields[res0[i]].name, "%s = 0x%llx",
			       smmu_cd_fields[res0[i]].label, (unsigned long long)f(c, res0[i]));
	check_ttb_res0(c, 1);
}

static int cap_int(const struct smmu_caps *k, size_t off)
{
	int v;
	memcpy(&v, (const char *)k + off, sizeof v);
	return v;
}

static void check_gated(const struct cd_ctx *c)
{
	static const struct gated gated[] = {
		{ CD_E0PD0, offsetof(struct smmu_caps, e0pd) },
		{ CD_E0PD1, offsetof(struct smmu_caps, e0pd) },
		{ CD_EPAN, offsetof(struct smmu_caps, epan) },
		{ CD_PIE, offsetof(struct smmu_caps, s1pi) },
		{ CD_PNCH, offsetof(struct smmu_caps, the) },
		{ CD_AIE, offsetof(struct smmu_caps, aie) },
		{ CD_HWU059, offsetof(struct smmu_caps, pbha) },
		{ CD_HWU060, offsetof(struct smmu_caps, pbha) },
		{ CD_HWU061, offsetof(struct smmu_caps, pbha) },
		{ CD_HWU062, offsetof(struct smmu_caps, pbha) },
		{ CD_HWU159, offsetof(struct smmu_caps, pbha) },
		{ CD_HWU160, offsetof(struct smmu_caps, pbha) },
		{ CD_HWU161, offsetof(struct smmu_caps, pbha) },
		{ CD_HWU162, offsetof(struct smmu_caps, pbha) },
		{ CD_DS, offsetof(struct smmu_caps, ds) },
		{ CD_HAD0, offsetof(struct smmu_caps, had) },
		{ CD_HAD1, offsetof(struct smmu_caps, had) },
	};
	for (size_t i = 0; i < sizeof gated / sizeof gated[0]; i++) {
		const struct pt_field *fl = &smmu_cd_fields[gated[i].id];
		if (pt_field_from_words(c->words, fl) && !cap_int(c->caps, gated[i].cap_offset))
			report(c, R_CD_RES0_FEATURE, fl->name,
			       "%s is set but this SMMU does not implement its feature", fl->label);
	}
	if (f(c, CD_HAFT) && c->caps->httu != 3)
		report(c, R_CD_RES0_FEATURE, "haft", "HAFT is set but HTTU is not 3");
}

static void check_misc(const struct cd_ctx *c)
{
	const struct smmu_caps *k = c->caps;
	if (epd(c, CD_EPD0) && epd(c, CD_EPD1) && world_has_ttb1(c))
		report(c, R_CD_EPD_BOTH, NULL, "EPD0 = EPD1 = 1");
	uint64_t ips = f(c, CD_IPS);
	if (f(c, CD_AA64) && (ips_bits(ips) > k->oas_bits || (ips == 6 && k->version_minor == 0) ||
			      (ips == 7 && k->version_minor < 4)))
		report(c, R_CD_IPS_CAPPED, NULL, "IPS %u bits on an SMMUv3.%u with a %u-bit OAS",
		       ips_bits(ips), k->version_minor, k->oas_bits);
	if (f(c, CD_AMAIR0) || f(c, CD_AMAIR1))
		report(c, R_CD_AMAIR, NULL, "AMAIR = 0x%08llx%08llx",
		       (unsigned long long)f(c, CD_AMAIR1), (unsigned long long)f(c, CD_AMAIR0));
	if (!world_has_ttb1(c)) {
		static const enum smmu_cd_field_id t1[] = { CD_T1SZ, CD_TG1, CD_IR1, CD_OR1, CD_SH1,
							    CD_EPD1, CD_TBI1, CD_HAD1, CD_NSCFG1,
							    CD_TTB1, CD_E0PD1 };
		for (size_t i = 0; i < sizeof t1 / sizeof t1[0]; i++)
			if (f(c, t1[i])) {
				report(c, R_CD_TTB1_EL2, smmu_cd_fields[t1[i]].name,
				       "%s is non-zero in an EL2 StreamWorld",
				       smmu_cd_fields[t1[i]].label);
				break;
			}
	}
}

/* A field cut out of a CD's words, its description copied out of the field
 * table so the run loop keeps it in registers. */
struct cut {
	unsigned word, lsb, shift;
	uint64_t max;
};

static struct cut cut_of(enum smmu_cd_field_id id)
{
	const struct pt_field *fl = &smmu_cd_fields[id];
	return (struct cut){ fl->word, fl->lsb, fl->kind == PT_FK_ADDR ? fl->shift : 0,
			     pt_field_max(fl) };
}

/* Word i of a CD, read from the table bytes. */
static uint64_t cd_word(const uint8_t *cd, unsigned i)
{
	uint64_t v;
	memcpy(&v, cd + 8 * i, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static uint64_t cut(const struct cut *c, const uint8_t *cd)
{
	return ((cd_word(cd, c->word) >> c->lsb) & c->max) << c->shift;
}

/* What the run loop compares each CD with: a CD is valid, has the clean
 * configuration and values that pass (values_clean) when (word & mask) ==
 * want in each of its words. The mask is the configuration bits, V, and
 * the ASID and TTB0 bits values_clean needs clear; it matches nothing while
 * there is no clean configuration. The loop copies it, and copies it again
 * after each CD that went through smmu_cd_check_entry (which may remember
 * another clean configuration). */
struct fast {
	uint64_t mask[SMMU_CD_SIZE / 8], want[SMMU_CD_SIZE / 8];
	uint64_t hash;               /* clean_hash */
	struct cut v, asid, ttb0;
	int direct;                  /* one alias slot per ASID: index by it */
};

/* ---- ASID aliasing: per-table map from ASID to the first CD using it ---- */

struct alias_slot {
	uint64_t hash;               /* tlb_hash of the first CD with this ASID */
	uint32_t first_ssid;         /* its ssid + 1, 0 = unused */
	uint32_t asid;
};

/* One slot per ASID the architecture has: a walk of that many CDs or more
 * indexes the slots by the ASID itself. */
#define ALIAS_MAX_SLOTS 65536u

struct alias_state {
	struct smmu_caps caps_fallback;
	/* The last CD configuration (all bits but V, ASID and TTB0) that
	 * passed every configuration check: tables repeat one configuration
	 * for thousands of SSIDs, so it is checked once per walk. */
	int clean_valid;
	uint64_t clean_key[SMMU_CD_SIZE / 8];
	uint64_t clean_hash;          /* config_hash(clean_key) */
	/* What the value checks need of that configuration. */
	int aa64, ttb0_walked;
	struct ttb_limits ttb0;
	/* The same as one compare, for the run loop. */
	struct fast fast;
	/* Per walk: the CD bits that are not configuration (V, ASID, TTB0),
	 * and the STE context the table was reached with. */
	uint64_t value_mask[SMMU_CD_SIZE / 8];
	struct smmu_ste_ctx ste;
	/* ASID -> the first CD using it: at least twice as many slots as the
	 * table has CDs, so a small table (a fuzzed one, a guest's) does not
	 * zero 1 MiB per walk. In the same block: scan frees it as one. */
	uint32_t nslots;
	struct alias_slot asids[];
};

static void mask_field(uint64_t *mask, enum smmu_cd_field_id id)
{
	const struct pt_field *fl = &smmu_cd_fields[id];
	mask[fl->word] |= pt_field_max(fl) << fl->lsb;
}

/* The TLB-cacheable part of a CD is DW0..DW4 without V and ASID. It is
 * hashed in two steps, the configuration (TTB0 masked out too) and then
 * TTB0, so that a walk hashes its remembered clean configuration once. */
static uint64_t config_hash(const uint64_t *key)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (int i = 0; i < 5; i++)
		h = (h ^ key[i]) * UINT64_C(1099511628211);
	return h;
}

static uint64_t tlb_hash(uint64_t cfg_hash, const struct cd_ctx *c)
{
	return (cfg_hash ^ f(c, CD_TTB0)) * UINT64_C(1099511628211);
}

static struct alias_state *alias_state(struct pt_walk *w)
{
	struct alias_state *st = w->fmt_state;
	if (st || w->alone)
		return st;
	uint64_t want = 64;
	while (want < ALIAS_MAX_SLOTS && want < 2 * w->geo.nentries)
		want *= 2;
	st = w->fmt_state = calloc(1, sizeof *st + want * sizeof st->asids[0]);
	if (st) {
		st->nslots = (uint32_t)want;
		smmu_caps_default(&st->caps_fallback);
		smmu_ste_ctx_unpack(w->cfg->vendor[0], &st->ste);
		mask_field(st->value_mask, CD_V);
		mask_field(st->value_mask, CD_ASID);
		mask_field(st->value_mask, CD_TTB0);
		memset(st->fast.want, 0xff, sizeof st->fast.want);
		st->fast.v = cut_of(CD_V);
		st->fast.asid = cut_of(CD_ASID);
		st->fast.ttb0 = cut_of(CD_TTB0);
		st->fast.direct = want == ALIAS_MAX_SLOTS && st->fast.asid.max < ALIAS_MAX_SLOTS &&
				  !st->fast.asid.shift;
	}
	return st;
}

/* The ASID's slot, or a free one for it; NULL only when the walk's
 * geometry undercounted its CDs and every slot is taken. */
static struct alias_slot *asid_slot(struct alias_state *st, uint32_t asid)
{
	uint32_t mask = st->nslots - 1;
	uint32_t h = st->nslots == ALIAS_MAX_SLOTS
			     ? asid & mask
			     : (uint32_t)((asid * UINT64_C(0x9e3779b97f4a7c15)) >> 40) & mask;
	for (uint32_t n = 0; n < st->nslots; n++, h = (h + 1) & mask) {
		struct alias_slot *slot = &st->asids[h];
		if (!slot->first_ssid || slot->asid == asid)
			return slot;
	}
	return NULL;
}

static void check_alias(const struct cd_ctx *c, struct alias_state *st, uint64_t cfg_hash)
{
	if (!st)
		return;
	uint32_t asid = (uint32_t)f(c, CD_ASID);
	struct alias_slot *slot = asid_slot(st, asid);
	uint64_t h = tlb_hash(cfg_hash, c);
	if (!slot)
		return;
	if (!slot->first_ssid) {
		*slot = (struct alias_slot){ h, c->ssid + 1, asid };
	} else if (slot->hash != h) {
		report(c, R_CD_ASID_ALIAS, NULL, "ASID 0x%x is also used by SSID %u with other "
		       "translation settings", asid, slot->first_ssid - 1);
	}
}

static int ssid_must_be_valid(const struct pt_walk *w, uint32_t ssid, const struct cd_ctx *c)
{
	if (w->one_ssid)
		return 1;
	return ssid == 0 && c->ste.present && c->ste.s1dss == 2;
}

/* Checks that read only the configuration bits of a CD (all but V, ASID and
 * TTB0), and those that read ASID or TTB0. */
static void check_config(const struct cd_ctx *c)
{
	check_model(c);
	check_httu(c);
	check_half_config(c, &halves[0]);
	check_half_config(c, &halves[1]);
	check_half_table(c, &halves[1]);
	check_pie(c);
	check_res0(c);
	check_gated(c);
	check_misc(c);
	smmu_qemu_check_cd(c->w->diags, c->caps, c->ssid, c->addr, c->raw);
}

static void check_values(const struct cd_ctx *c, struct alias_state *st, uint64_t cfg_hash)
{
	check_asid16(c);
	check_half_table(c, &halves[0]);
	check_ttb_res0(c, 0);
	check_alias(c, st, cfg_hash);
}

/* A CD whose configuration passed but whose TTB0 QEMU reads differently:
 * its notes are all configuration-independent but TTB0's. */
static void check_values_qemu(const struct cd_ctx *c)
{
	if (smmu_qemu_cd_ttb0_differs(c->caps, f(c, CD_TTB0)))
		smmu_qemu_check_cd(c->w->diags, c->caps, c->ssid, c->addr, c->raw);
}

/* A CD as eight little-endian words, loaded straight from the table: this
 * runs for every CD a walk visits. */
static void load_words(const uint8_t *raw, uint64_t *w)
{
	memcpy(w, raw, SMMU_CD_SIZE);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	for (size_t i = 0; i < SMMU_CD_SIZE / 8; i++)
		w[i] = __builtin_bswap64(w[i]);
#endif
}

/* Computed from the table bytes rather than from the words just stored, so
 * the wide loads do not wait on those stores. */
static void config_key(const struct alias_state *st, const uint8_t *raw, uint64_t *key)
{
	load_words(raw, key);
	for (size_t i = 0; i < SMMU_CD_SIZE / 8; i++)
		key[i] &= ~st->value_mask[i];
}

/* The bits of a field's word that hold the value bits `bits`; 0 for a field
 * that spans two words (none of the ones used here). */
static uint64_t field_word_bits(enum smmu_cd_field_id id, uint64_t bits)
{
	const struct pt_field *fl = &smmu_cd_fields[id];
	if (fl->lsb + fl->width > 64)
		return 0;
	if (fl->kind == PT_FK_ADDR)
		bits >>= fl->shift;
	return (bits & pt_field_max(fl)) << fl->lsb;
}

static uint64_t bits_from(unsigned n)
{
	return n < 64 ? ~UINT64_C(0) << n : 0;
}

/* ASID and TTB0 values values_clean refuses, as bits that must be clear. */
static void value_bad_bits(const struct alias_state *st, const struct smmu_caps *k,
			   uint64_t *asid, uint64_t *ttb0)
{
	*asid = k->asid16 ? 0 : bits_from(8);
	*ttb0 = 0;
	if (st->aa64)
		*ttb0 |= bits_from(52);
	if (smmu_qemu_cd_ttb0_differs(k, UINT64_C(1) << 51))
		*ttb0 |= UINT64_C(1) << 51;
	if (st->ttb0_walked) {
		*ttb0 |= bits_from(st->ttb0.eff) | ((UINT64_C(1) << st->ttb0.align) - 1);
		if (st->ttb0.check52)
			*ttb0 |= bits_from(48);
	}
}

static void remember_fast(struct alias_state *st, const struct smmu_caps *k)
{
	const struct pt_field *asid = &smmu_cd_fields[CD_ASID], *ttb0 = &smmu_cd_fields[CD_TTB0];
	const struct pt_field *v = &smmu_cd_fields[CD_V];
	uint64_t bad_asid, bad_ttb0;
	value_bad_bits(st, k, &bad_asid, &bad_ttb0);
	struct fast *fs = &st->fast;
	for (size_t i = 0; i < SMMU_CD_SIZE / 8; i++) {
		fs->mask[i] = ~st->value_mask[i];
		fs->want[i] = st->clean_key[i];
	}
	fs->mask[v->word] |= field_word_bits(CD_V, 1);
	fs->want[v->word] |= field_word_bits(CD_V, 1);
	fs->mask[asid->word] |= field_word_bits(CD_ASID, bad_asid);
	fs->mask[ttb0->word] |= field_word_bits(CD_TTB0, bad_ttb0);
	fs->hash = st->clean_hash;
}

static void remember_clean(struct alias_state *st, const struct cd_ctx *c, const uint64_t *key)
{
	memcpy(st->clean_key, key, sizeof st->clean_key);
	st->clean_hash = config_hash(key);
	st->clean_valid = 1;
	st->aa64 = (int)f(c, CD_AA64);
	unsigned g = half_granule(c, &halves[0]);
	st->ttb0_walked = g != 0;
	if (g)
		ttb_limits(c, &halves[0], g, &st->ttb0);
	remember_fast(st, c->caps);
}

/* The value checks of a CD whose configuration is the remembered clean one:
 * true when none of them would report anything (the common case). */
static int values_clean(const struct alias_state *st, const struct cd_ctx *c)
{
	uint64_t asid = f(c, CD_ASID), ttb0 = f(c, CD_TTB0);
	if (!c->caps->asid16 && (asid >> 8))
		return 0;
	if (st->aa64 && (ttb0 >> 52))
		return 0;
	if (smmu_qemu_cd_ttb0_differs(c->caps, ttb0))
		return 0;
	return !st->ttb0_walked || ttb_ok(&st->ttb0, ttb0);
}

static uint64_t findings(const struct pt_diag_sink *d)
{
	return d->counts[PT_SEV_NOTE] + d->counts[PT_SEV_WARNING] + d->counts[PT_SEV_ERROR];
}

void smmu_cd_check_entry(struct pt_walk *w, uint32_t ssid, uint64_t addr, const uint8_t *raw)
{
	struct smmu_caps fallback;
	struct alias_state *st = alias_state(w);
	struct cd_ctx c = { w, NULL, { 0, 0, 0, 0, 0 }, ssid, addr, raw, { 0 } };
	/* The walk's caps and STE context are fixed: unpacked once per walk. */
	if (st) {
		c.caps = w->caps ? w->caps : &st->caps_fallback;
		c.ste = st->ste;
	} else {
		c.caps = walk_caps(w, &fallback);
		smmu_ste_ctx_unpack(w->cfg->vendor[0], &c.ste);
	}
	load_words(raw, c.words);
	if (!f(&c, CD_V)) {
		if (ssid_must_be_valid(w, ssid, &c))
			report(&c, R_CD_NOT_VALID, NULL, "V = 0");
		return;
	}
	uint64_t key[SMMU_CD_SIZE / 8];
	if (st)
		config_key(st, raw, key);
	if (st && st->clean_valid && memcmp(key, st->clean_key, sizeof key) == 0) {
		if (values_clean(st, &c)) {
			check_alias(&c, st, st->clean_hash);
		} else {
			check_values(&c, st, st->clean_hash);
			check_values_qemu(&c);
		}
		return;
	}
	uint64_t before = findings(w->diags);
	check_config(&c);
	if (st && findings(w->diags) == before)
		remember_clean(st, &c, key);
	check_values(&c, st, st ? config_hash(key) : 0);
}

/* A CD of the clean configuration with clean values: its ASID joins the
 * alias map. 0 when the ASID's first CD had other translation settings
 * (smmu_cd_check_entry reports it). */
static int alias_fast(struct alias_state *st, const struct fast *fs, const uint8_t *cd,
		      uint32_t ssid)
{
	uint32_t asid = (uint32_t)cut(&fs->asid, cd);
	uint64_t h = (fs->hash ^ cut(&fs->ttb0, cd)) * UINT64_C(1099511628211);
	struct alias_slot *slot = fs->direct ? &st->asids[asid] : asid_slot(st, asid);
	if (!slot)
		return 1;
	if (!slot->first_ssid) {
		*slot = (struct alias_slot){ h, ssid + 1, asid };
		return 1;
	}
	return slot->hash == h;
}

/* Straight from the table bytes: words stored and loaded again would cost
 * the loop more than the compare. */
static int fast_clean(const struct fast *fs, const uint8_t *cd)
{
	uint64_t d = 0;
	for (unsigned i = 0; i < SMMU_CD_SIZE / 8; i++)
		d |= (cd_word(cd, i) & fs->mask[i]) ^ fs->want[i];
	return d == 0;
}

/* The walk's run of CDs: those with the remembered clean configuration and
 * clean values are judged here with one compare and an alias lookup, an
 * invalid one nobody asked for is skipped, and every other CD goes through
 * smmu_cd_check_entry, so the findings are the ones it makes, in order. */
uint64_t smmu_cd_check_entries(struct pt_walk *w, uint32_t first, uint64_t addr,
			       const uint8_t *raw, uint64_t n)
{
	struct alias_state *st = alias_state(w);
	uint64_t valid = 0;
	if (!st) {
		for (uint64_t i = 0; i < n; i++) {
			const uint8_t *cd = raw + i * SMMU_CD_SIZE;
			valid += smmu_cd(cd, CD_V);
			smmu_cd_check_entry(w, first + (uint32_t)i, addr + i * SMMU_CD_SIZE, cd);
		}
		return valid;
	}
	int ssid0_asked = st->ste.present && st->ste.s1dss == 2;
	struct fast fs = st->fast;
	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *cd = raw + i * SMMU_CD_SIZE;
		uint32_t ssid = first + (uint32_t)i;
		if (fast_clean(&fs, cd) && alias_fast(st, &fs, cd, ssid)) {
			valid++;
			continue;
		}
		int valid_cd = cut(&fs.v, cd) != 0;
		valid += (uint64_t)valid_cd;
		if (valid_cd || w->one_ssid || (ssid == 0 && ssid0_asked)) {
			smmu_cd_check_entry(w, ssid, addr + i * SMMU_CD_SIZE, cd);
			fs = st->fast;
		}
	}
	return valid;
}

/* ---- L1 descriptors and the table as a whole ---- */

void smmu_cd_check_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw)
{
	struct smmu_caps fallback;
	const struct smmu_caps *k = walk_caps(w, &fallback);
	const struct pt_rule *rules = smmu_cd_rule_list;
	/* The descriptor's word, and a zero past it (a field cut may read on). */
	uint64_t word[2] = { pt_le64(raw, 0), 0 };
	uint64_t lo = pt_field_from_words(word, &smmu_l1cd_fields[L1CD_RES0_LO]);
	uint64_t hi = pt_field_from_words(word, &smmu_l1cd_fields[L1CD_RES0_HI]);
	if (lo || hi)
		pt_diag_finding(w->diags, &rules[R_L1CD_RES0], addr, PT_SCOPE_INDEX, index, NULL,
				"RES0 bits set (0x%016llx)", (unsigned long long)word[0]);
	if (!pt_field_from_words(word, &smmu_l1cd_fields[L1CD_V]))
		return;
	uint64_t l2 = pt_field_from_words(word, &smmu_l1cd_fields[L1CD_L2PTR]);
	if (l2 >> k->oas_bits)
		pt_diag_finding(w->diags, &rules[R_L1CD_L2PTR_RANGE], addr, PT_SCOPE_INDEX, index,
				NULL, "L2Ptr 0x%llx is beyond the %u-bit output size",
				(unsigned long long)l2, k->oas_bits);
	if (w->cfg->layout->leaf_bits == 10 && (l2 & 0xf000))
		pt_diag_finding(w->diags, &rules[R_L1CD_L2PTR_ALIGN], addr, PT_SCOPE_INDEX, index,
				NULL, "L2Ptr 0x%llx is not 64 KiB aligned", (unsigned long long)l2);
}

static void check_table_align(struct pt_walk *w)
{
	uint64_t size = w->geo.root_bytes;
	if (size < 64)
		size = 64;
	if (w->cfg->ssid_bits == 0)
		return;
	if (w->cfg->base & (size - 1))
		pt_diag_finding(w->diags, &smmu_cd_rule_list[R_CD_TABLE_ALIGN], w->cfg->base,
				PT_SCOPE_NONE, 0, "s1contextptr",
				"table of 0x%llx bytes at 0x%llx is not aligned to its size",
				(unsigned long long)w->geo.root_bytes,
				(unsigned long long)w->cfg->base);
}

void smmu_cd_check_done(struct pt_walk *w)
{
	check_table_align(w);
	free(w->fmt_state);
	w->fmt_state = NULL;
}

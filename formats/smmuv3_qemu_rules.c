/* SPDX-License-Identifier: GPL-2.0-or-later */
/* QEMU-* notes: what QEMU's SMMUv3 model does where it departs from the
 * architecture, so that a VMM developer validating tables for QEMU learns
 * what QEMU will do with them. Each condition was read in QEMU's
 * hw/arm/smmuv3.c (decode_ste, decode_ste_s2_cfg, smmu_get_cd, decode_cd)
 * and hw/arm/smmuv3-internal.h / include/hw/arm/smmuv3-common.h (field
 * accessors, oas2bits); the releases each applies to are in the rule's
 * source. pasidtool's own rules keep following the architecture. */
#include <stdarg.h>

#include "smmuv3.h"
#include "smmuv3_qemu.h"

#define STE_SRC "QEMU hw/arm/smmuv3.c decode_ste()"
#define CD_SRC "QEMU hw/arm/smmuv3.c decode_cd()"

const struct pt_rule smmu_qemu_rule_list[R_QEMU_COUNT] = {
	[R_QEMU_S1CDMAX] = { "QEMU-STE-S1CDMAX", PT_SEV_NOTE, "s1cdmax",
		"S1CDMax != 0 where the architecture ignores it (SSIDSIZE = 0, or Config = 0b110) "
		"or allows it", "QEMU raises C_BAD_STE (0x04): it supports one CD only",
		STE_SRC ", 7.2 to 10.1 (\"does not support multiple context descriptors\")" },
	[R_QEMU_S1STALLD] = { "QEMU-STE-S1STALLD", PT_SEV_NOTE, "s1stalld",
		"S1STALLD = 1 where the architecture ignores it (Config = 0b110) or allows it",
		"QEMU raises C_BAD_STE (0x04)",
		STE_SRC ", 7.2 to 10.1 (\"S1 stalling fault model not allowed\")" },
	[R_QEMU_CTXPTR_TRUNC] = { "QEMU-STE-S1CONTEXTPTR", PT_SEV_NOTE, "s1contextptr",
		"S1ContextPtr beyond the OAS or with bits above 47: QEMU neither range-checks it "
		"nor reads bits [55:48]", "QEMU fetches the CD at S1ContextPtr[47:6] instead of "
		"raising C_BAD_STE",
		"QEMU smmu_get_cd(), STE_CTXPTR (word 1 bits [15:0]), 7.2 to 10.2; widened to "
		"[55:6] by the registerfields conversion merged in January 2026" },
	[R_QEMU_S2HTTU] = { "QEMU-STE-S2HTTU", PT_SEV_NOTE, "s2ha",
		"S2HA/S2HD set on an SMMU without HTTU (an error the architecture raises)",
		"QEMU accepts the STE (decode_ste_s2_cfg() does not look at S2HA/S2HD)",
		"QEMU hw/arm/smmuv3.c decode_ste_s2_cfg(), 8.1 and later" },
	[R_QEMU_S2AA64] = { "QEMU-STE-S2AA64", PT_SEV_NOTE, "s2aa64",
		"stage 2 translates with S2AA64 = 0 on a QEMU SMMU with stage 2",
		"QEMU aborts: g_assert_not_reached() in decode_ste_s2_cfg()",
		"QEMU hw/arm/smmuv3.c decode_ste_s2_cfg(), 8.1 (read there; assumed for later "
		"releases)" },
	[R_QEMU_TTB_BIT51] = { "QEMU-CD-TTB-BIT51", PT_SEV_NOTE, "ttb0",
		"an enabled TTBx has bit 51 set: QEMU reads TTBx[50:4] (bits [55:51] dropped)",
		"QEMU walks the tables at the truncated address instead of raising C_BAD_CD",
		"QEMU hw/arm/smmuv3-internal.h CD_TTB (19-bit high word), 8.1 to 10.2; widened "
		"to [51:4] by the registerfields conversion merged in January 2026" },
	[R_QEMU_IPS_ABORT] = { "QEMU-CD-IPS-ABORT", PT_SEV_NOTE, "ips",
		"CD.IPS = 0b110 or 0b111 (52/56 bits) on QEMU 9.1 or later",
		"QEMU aborts: oas2bits() reaches g_assert_not_reached() from decode_cd()",
		CD_SRC " and hw/arm/smmuv3-internal.h oas2bits(), 9.1 and later (commit "
		"20240722103531.2377348-1-smostafa@google.com)" },
	[R_QEMU_IPS_UNCHECKED] = { "QEMU-CD-IPS-UNCHECKED", PT_SEV_NOTE, "ips",
		"CD.IPS = 0b110 or 0b111 on QEMU before 9.1",
		"oas2bits() returns -1 and the TTB range check becomes a shift by 65 (undefined; "
		"on x86-64 hosts it tests bit 63 only): TTBs beyond the OAS are accepted",
		CD_SRC " and hw/arm/smmuv3-internal.h oas2bits(), before 9.1" },
};

const struct pt_rule_set smmu_qemu_rules = { "smmuv3-qemu", smmu_qemu_rule_list, R_QEMU_COUNT };

static void note(struct pt_diag_sink *d, enum smmu_qemu_rule_id id, uint64_t addr,
		 enum pt_diag_scope scope, uint32_t scope_id, const char *field, const char *fmt,
		 ...) __attribute__((format(printf, 7, 8)));
static void note(struct pt_diag_sink *d, enum smmu_qemu_rule_id id, uint64_t addr,
		 enum pt_diag_scope scope, uint32_t scope_id, const char *field, const char *fmt,
		 ...)
{
	va_list ap;
	va_start(ap, fmt);
	pt_diag_vfinding(d, &smmu_qemu_rule_list[id], addr, scope, scope_id, field, fmt, ap);
	va_end(ap);
}

static unsigned qemu_major(unsigned v)
{
	return v / 100;
}

/* ---- STE: decode_ste() and decode_ste_s2_cfg() ---- */

static void check_s1_fields(struct pt_diag_sink *d, const struct smmu_caps *k, uint32_t sid,
			    uint64_t addr, const uint8_t *ste, unsigned config)
{
	unsigned cdmax = (unsigned)smmu_ste(ste, STE_S1CDMAX);
	/* The architecture's own error (STE-S1CDMAX-RANGE) needs no note. */
	int arch_cdmax = smmu_ste_s1(config) && k->ssid_bits && cdmax > k->ssid_bits;
	if (cdmax && !arch_cdmax)
		note(d, R_QEMU_S1CDMAX, addr, PT_SCOPE_SID, sid, NULL,
		     "QEMU %u.%u rejects S1CDMax = %u with Config = %u", qemu_major(k->qemu),
		     k->qemu % 100, cdmax, config);
	int arch_stalld = smmu_ste_s1(config) && k->stall_model != 0;
	if (smmu_ste(ste, STE_S1STALLD) && !arch_stalld)
		note(d, R_QEMU_S1STALLD, addr, PT_SCOPE_SID, sid, NULL,
		     "QEMU %u.%u rejects S1STALLD = 1 with Config = %u", qemu_major(k->qemu),
		     k->qemu % 100, config);
	uint64_t ptr = smmu_ste(ste, STE_S1CONTEXTPTR);
	uint64_t qemu_ptr = ptr & ((UINT64_C(1) << 48) - 1);
	if (smmu_ste_s1(config) && k->qemu < QEMU_V11_0 &&
	    ((ptr >> k->oas_bits) || qemu_ptr != ptr))
		note(d, R_QEMU_CTXPTR_TRUNC, addr, PT_SCOPE_SID, sid, NULL,
		     "S1ContextPtr 0x%llx: QEMU %u.%u fetches the CD at 0x%llx",
		     (unsigned long long)ptr, qemu_major(k->qemu), k->qemu % 100,
		     (unsigned long long)qemu_ptr);
}

static void check_s2_fields(struct pt_diag_sink *d, const struct smmu_caps *k, uint32_t sid,
			    uint64_t addr, const uint8_t *ste)
{
	/* Before 8.1 QEMU has no stage 2, and without S2P it refuses any
	 * stage-2 Config first: STE-CONFIG-S2P already says so. */
	if (k->qemu < QEMU_V8_1 || !k->s2p)
		return;
	if (!smmu_ste(ste, STE_S2AA64)) {
		note(d, R_QEMU_S2AA64, addr, PT_SCOPE_SID, sid, NULL,
		     "S2AA64 = 0 makes QEMU %u.%u abort", qemu_major(k->qemu), k->qemu % 100);
		return;
	}
	if ((smmu_ste(ste, STE_S2HA) || smmu_ste(ste, STE_S2HD)) && k->httu == 0)
		note(d, R_QEMU_S2HTTU, addr, PT_SCOPE_SID, sid, NULL,
		     "S2HA = %u, S2HD = %u: QEMU %u.%u accepts them without HTTU",
		     (unsigned)smmu_ste(ste, STE_S2HA), (unsigned)smmu_ste(ste, STE_S2HD),
		     qemu_major(k->qemu), k->qemu % 100);
}

void smmu_qemu_check_ste(struct pt_diag_sink *d, const struct smmu_caps *k, uint32_t sid,
			 uint64_t addr, const uint8_t *ste)
{
	if (!k->qemu || !smmu_ste(ste, STE_V))
		return;
	unsigned config = (unsigned)smmu_ste(ste, STE_CONFIG);
	/* decode_ste returns early for abort (0b0xx) and bypass. */
	if (config <= SMMU_STE_BYPASS)
		return;
	if (smmu_ste_s2(config))
		check_s2_fields(d, k, sid, addr, ste);
	check_s1_fields(d, k, sid, addr, ste, config);
}

/* ---- CD: decode_cd() ---- */

/* Whether decode_cd() gets as far as computing the output size: it refuses
 * V = 0, AA64 = 0, A = 0, S = 1 and HA/HD first. */
static int reaches_ips(const uint8_t *cd)
{
	return smmu_cd(cd, CD_V) && smmu_cd(cd, CD_AA64) && smmu_cd(cd, CD_A) &&
	       !smmu_cd(cd, CD_S) && !smmu_cd(cd, CD_HA) && !smmu_cd(cd, CD_HD);
}

/* Whether decode_cd() reads TTBx: the half is enabled (EPDx = 0), TxSZ is
 * 16..39, the granule is valid and ENDI = 0. */
static int reaches_ttb(const uint8_t *cd, int t)
{
	static const unsigned tg0_ok[4] = { 1, 1, 1, 0 }, tg1_ok[4] = { 0, 1, 1, 1 };
	unsigned tsz = (unsigned)smmu_cd(cd, t ? CD_T1SZ : CD_T0SZ);
	unsigned tg = (unsigned)smmu_cd(cd, t ? CD_TG1 : CD_TG0);
	return !smmu_cd(cd, t ? CD_EPD1 : CD_EPD0) && tsz >= 16 && tsz <= 39 &&
	       (t ? tg1_ok[tg] : tg0_ok[tg]) && !smmu_cd(cd, CD_ENDI);
}

static const unsigned ips_bits[8] = { 32, 36, 40, 42, 44, 48, 52, 56 };

/* TTBx as QEMU before 11.0 reads it: bits [50:4]. */
static uint64_t qemu_ttb(uint64_t ttb)
{
	return ttb & ((UINT64_C(1) << 51) - 1);
}

int smmu_qemu_cd_ttb0_differs(const struct smmu_caps *k, uint64_t ttb0)
{
	return k->qemu && k->qemu < QEMU_V11_0 && ((ttb0 >> 51) & 1);
}

/* Before 9.1 the TTB range check is lost for IPS 6/7: a difference from the
 * architecture only for a TTB beyond the OAS. */
static void check_unchecked_ttbs(struct pt_diag_sink *d, const struct smmu_caps *k,
				 uint32_t ssid, uint64_t addr, const uint8_t *cd, unsigned ips)
{
	for (int t = 0; t < 2; t++) {
		uint64_t ttb = smmu_cd(cd, t ? CD_TTB1 : CD_TTB0);
		if (reaches_ttb(cd, t) && (qemu_ttb(ttb) >> k->oas_bits)) {
			note(d, R_QEMU_IPS_UNCHECKED, addr, PT_SCOPE_SSID, ssid, NULL,
			     "IPS %u: QEMU %u.%u does not range-check TTB%d 0x%llx", ips,
			     qemu_major(k->qemu), k->qemu % 100, t, (unsigned long long)ttb);
			return;
		}
	}
}

void smmu_qemu_check_cd(struct pt_diag_sink *d, const struct smmu_caps *k, uint32_t ssid,
			uint64_t addr, const uint8_t *cd)
{
	if (!k->qemu || !reaches_ips(cd))
		return;
	unsigned ips = (unsigned)smmu_cd(cd, CD_IPS);
	if (ips >= 6) {
		if (k->qemu >= QEMU_V9_1)
			note(d, R_QEMU_IPS_ABORT, addr, PT_SCOPE_SSID, ssid, NULL,
			     "IPS %u makes QEMU %u.%u abort", ips, qemu_major(k->qemu),
			     k->qemu % 100);
		else
			check_unchecked_ttbs(d, k, ssid, addr, cd, ips);
		return;
	}
	if (k->qemu >= QEMU_V11_0)
		return;
	unsigned eff = ips_bits[ips] < k->oas_bits ? ips_bits[ips] : k->oas_bits;
	for (int t = 0; t < 2; t++) {
		uint64_t ttb = smmu_cd(cd, t ? CD_TTB1 : CD_TTB0);
		/* Only where QEMU's truncated TTB passes its own range check does
		 * QEMU do something else than the architecture. */
		if (reaches_ttb(cd, t) && ((ttb >> 51) & 1) && !(qemu_ttb(ttb) >> eff))
			note(d, R_QEMU_TTB_BIT51, addr, PT_SCOPE_SSID, ssid, t ? "ttb1" : "ttb0",
			     "TTB%d 0x%llx: QEMU %u.%u walks from 0x%llx", t,
			     (unsigned long long)ttb, qemu_major(k->qemu), k->qemu % 100,
			     (unsigned long long)qemu_ttb(ttb));
	}
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Issue 11's corrections, each at both sides of its boundary:
 *  - TTBx/S2TTB bits [55:52] are RES0 with VMSAv8-64, bit 51 is an address
 *    bit (IHI 0070 G.b §5.4 TTB0, §5.2 S2TTB);
 *  - STRW, EATS and the attribute overrides judged by IDR0.Hyp, IDR0.ATS,
 *    IDR1.ATTR_TYPES_OVR/ATTR_PERMS_OVR (§5.2 STRW, EATS, SHCFG, MTCFG,
 *    ALLOCCFG, PRIVCFG, INSTCFG);
 *  - S2SL0 against S2T0SZ and S2TG (§5.2 S2SL0; Arm ARM
 *    AArch64.S2InvalidSL(), AArch64.S2InconsistentSL());
 *  - EPD0/EPD1 effectively 0 in the any-EL2 StreamWorld (§5.4 EPD0);
 *  - the build form's MAIR default is Linux's (io-pgtable-arm.c
 *    arm_64_lpae_alloc_pgtable_s1(): 0xf4 << 24 is an int, sign-extended). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "rule_harness.h"

/* ---- CDs, through the walker ---- */

static unsigned cd_run(struct harness *h, const char *rule)
{
	h_run(h);
	return h_count(h, rule);
}

static struct harness *cd_setup(const char *caps, uint64_t ttb0)
{
	static struct harness h;
	pt_diag_free(&h.diags);
	h_init(&h);
	h.caps = caps;
	h.ssid_bits = 0;
	h_set(h_cd(&h, 0), CD_TTB0, ttb0);
	return &h;
}

static void ttb_res0_is_not_range(void **state)
{
	(void)state;
	/* Bit 52: RES0 for VMSAv8-64, not an address bit. */
	struct harness *h = cd_setup("generic", UINT64_C(0x10000000200000));
	assert_int_equal(cd_run(h, "CD-TTB0-RANGE"), 0);
	assert_int_equal(h_count(h, "CD-RES0"), 1);
	/* Bit 51 is an address bit: beyond a 48-bit OAS. */
	h = cd_setup("generic", UINT64_C(0x8000000200000));
	assert_int_equal(cd_run(h, "CD-TTB0-RANGE"), 1);
	assert_int_equal(h_count(h, "CD-RES0"), 0);
	/* Bit 47 is within 48 bits. */
	h = cd_setup("generic", UINT64_C(0x800000200000));
	assert_int_equal(cd_run(h, "CD-TTB0-RANGE"), 0);
	/* With 52-bit output and the 64K granule, bit 51 is fine; bit 55 still RES0. */
	h = cd_setup("generic,oas=52", UINT64_C(0x8000000200000));
	h_set(h_cd(h, 0), CD_TG0, 1);
	h_set(h_cd(h, 0), CD_IPS, 6);
	assert_int_equal(cd_run(h, "CD-TTB0-RANGE"), 0);
	h = cd_setup("generic,oas=52", UINT64_C(0x88000000200000));
	h_set(h_cd(h, 0), CD_TG0, 1);
	h_set(h_cd(h, 0), CD_IPS, 6);
	assert_int_equal(cd_run(h, "CD-TTB0-RANGE"), 0);
	assert_int_equal(h_count(h, "CD-RES0"), 1);
	pt_diag_free(&h->diags);
}

/* STRW = EL2 on an SMMU with Hyp and CR2.E2H = 0: EPD0 = 1 does not switch
 * TTB0 off, so its T0SZ is judged. */
static void el2_epd_effectively_zero(void **state)
{
	(void)state;
	struct harness *h = cd_setup("generic,e2h=0", 0x200000);
	h->ste.present = 1;
	h->ste.strw = 2;
	h_set(h_cd(h, 0), CD_EPD0, 1);
	h_set(h_cd(h, 0), CD_T0SZ, 5);
	assert_int_equal(cd_run(h, "CD-T0SZ-RANGE"), 1);
	/* EL2-E2H: EPD0 works. */
	h = cd_setup("generic,e2h=1", 0x200000);
	h->ste.present = 1;
	h->ste.strw = 2;
	h_set(h_cd(h, 0), CD_EPD0, 1);
	h_set(h_cd(h, 0), CD_T0SZ, 5);
	assert_int_equal(cd_run(h, "CD-T0SZ-RANGE"), 0);
	/* Without Hyp, STRW is RES0: the stream is EL1 and EPD0 works. */
	h = cd_setup("generic,e2h=0,hyp=0", 0x200000);
	h->ste.present = 1;
	h->ste.strw = 2;
	h_set(h_cd(h, 0), CD_EPD0, 1);
	h_set(h_cd(h, 0), CD_T0SZ, 5);
	assert_int_equal(cd_run(h, "CD-T0SZ-RANGE"), 0);
	/* EL1 stream: EPD0 works. */
	h = cd_setup("generic,e2h=0", 0x200000);
	h_set(h_cd(h, 0), CD_EPD0, 1);
	h_set(h_cd(h, 0), CD_T0SZ, 5);
	assert_int_equal(cd_run(h, "CD-T0SZ-RANGE"), 0);
	pt_diag_free(&h->diags);
}

/* What Linux's io-pgtable writes into DW3: 0xfffffffff404ff44. */
static void mair_default_is_linux(void **state)
{
	(void)state;
	uint8_t cd[SMMU_CD_SIZE] = { 0 };
	pt_formats_init();
	smmu_cd_format.entry_defaults(cd);
	assert_int_equal(pt_le64(cd, 3), UINT64_C(0xfffffffff404ff44));
}

/* ---- STEs ---- */

static unsigned ste_count(const uint8_t *raw, const char *caps_spec, const char *rule)
{
	char err[160];
	struct smmu_caps *caps = smmu_caps_parse(caps_spec, err, sizeof err);
	assert_non_null(caps);
	struct pt_table_cfg cfg = { &smmu_strtab_format, &smmu_strtab_format.layouts[0], 0, 4 };
	struct pt_diag_sink d;
	pt_diag_init(&d, "t", NULL);
	d.fold = 0;
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.diags = &d;
	w.caps = caps;
	w.validate = 1;
	smmu_ste_check_entry(&w, 5, 0x1000, raw);
	unsigned n = 0;
	for (uint32_t i = 0; i < d.nitems; i++)
		n += strcmp(d.items[i].rule->id, rule) == 0;
	pt_diag_free(&d);
	smmu_caps_free(caps);
	return n;
}

static void set(uint8_t *raw, enum smmu_ste_field_id id, uint64_t v)
{
	assert_int_equal(pt_field_set(raw, &smmu_ste_fields[id], v), 0);
}

static void s1(uint8_t *raw)
{
	memset(raw, 0, 64);
	set(raw, STE_V, 1);
	set(raw, STE_CONFIG, SMMU_STE_S1);
	set(raw, STE_S1CONTEXTPTR, 0x4a000000);
}

/* 4K granule, 40-bit input, start level 1 (S2SL0 = 1): consistent. */
static void s2(uint8_t *raw, unsigned t0sz, unsigned sl0, unsigned tg)
{
	memset(raw, 0, 64);
	set(raw, STE_V, 1);
	set(raw, STE_CONFIG, SMMU_STE_S2);
	set(raw, STE_S2T0SZ, t0sz);
	set(raw, STE_S2SL0, sl0);
	set(raw, STE_S2TG, tg);
	set(raw, STE_S2PS, 5);
	set(raw, STE_S2AA64, 1);
	set(raw, STE_S2TTB, 0x88000000);
}

static void strw_by_hyp(void **state)
{
	(void)state;
	uint8_t raw[64];
	s1(raw);
	set(raw, STE_STRW, 1);
	assert_int_equal(ste_count(raw, "generic", "STE-STRW-RESERVED"), 1);
	assert_int_equal(ste_count(raw, "generic,hyp=0", "STE-STRW-RESERVED"), 0);
	assert_int_equal(ste_count(raw, "generic,hyp=0", "STE-RES0-FEATURE"), 1);
	/* QEMU reports no Hyp: its profile says RES0, not reserved. */
	assert_int_equal(ste_count(raw, "qemu", "STE-STRW-RESERVED"), 0);
	set(raw, STE_STRW, 2);
	assert_int_equal(ste_count(raw, "generic", "STE-STRW-RESERVED"), 0);
	assert_int_equal(ste_count(raw, "generic", "STE-RES0-FEATURE"), 0);
	assert_int_equal(ste_count(raw, "generic,hyp=0", "STE-RES0-FEATURE"), 1);
	set(raw, STE_STRW, 0);
	assert_int_equal(ste_count(raw, "generic,hyp=0", "STE-RES0-FEATURE"), 0);
}

static void eats_by_ats(void **state)
{
	(void)state;
	uint8_t raw[64];
	s1(raw);
	set(raw, STE_EATS, 2);
	assert_int_equal(ste_count(raw, "generic", "STE-EATS"), 1);
	assert_int_equal(ste_count(raw, "generic,ats=0", "STE-EATS"), 0);
	assert_int_equal(ste_count(raw, "qemu", "STE-EATS"), 0);
}

static void attr_overrides(void **state)
{
	(void)state;
	uint8_t raw[64];
	s1(raw);
	const char *no = "generic,attr-types-ovr=0,attr-perms-ovr=0";
	/* SHCFG = use incoming: what Linux writes, and what the SMMU does. */
	set(raw, STE_SHCFG, 1);
	assert_int_equal(ste_count(raw, no, "STE-RES0-FEATURE"), 0);
	set(raw, STE_SHCFG, 2);
	assert_int_equal(ste_count(raw, no, "STE-RES0-FEATURE"), 1);
	assert_int_equal(ste_count(raw, "generic", "STE-RES0-FEATURE"), 0);
	s1(raw);
	set(raw, STE_MTCFG, 1);
	assert_int_equal(ste_count(raw, no, "STE-RES0-FEATURE"), 1);
	assert_int_equal(ste_count(raw, "generic,attr-perms-ovr=0", "STE-RES0-FEATURE"), 0);
	s1(raw);
	set(raw, STE_ALLOCCFG, 8);
	assert_int_equal(ste_count(raw, no, "STE-RES0-FEATURE"), 1);
	s1(raw);
	set(raw, STE_PRIVCFG, 2);
	assert_int_equal(ste_count(raw, no, "STE-RES0-FEATURE"), 1);
	assert_int_equal(ste_count(raw, "generic,attr-types-ovr=0", "STE-RES0-FEATURE"), 0);
	/* Abort STEs are not judged (the real guest's carry SHCFG = 1). */
	s1(raw);
	set(raw, STE_CONFIG, SMMU_STE_ABORT);
	set(raw, STE_SHCFG, 3);
	assert_int_equal(ste_count(raw, no, "STE-RES0-FEATURE"), 0);
}

static void s2sl0_4k(void **state)
{
	(void)state;
	uint8_t raw[64];
	/* Level 1, 4K: the input takes 31..43 bits (T0SZ 33..21). */
	s2(raw, 21, 1, 0);
	assert_int_equal(ste_count(raw, "generic", "STE-S2SL0"), 0);
	s2(raw, 20, 1, 0);
	assert_int_equal(ste_count(raw, "generic", "STE-S2SL0"), 1);
	s2(raw, 33, 1, 0);
	assert_int_equal(ste_count(raw, "generic", "STE-S2SL0"), 0);
	s2(raw, 34, 1, 0);
	assert_int_equal(ste_count(raw, "generic", "STE-S2SL0"), 1);
	/* Level 2: 22..34 bits; 40 bits would need 64 tables. */
	s2(raw, 24, 0, 0);
	assert_int_equal(ste_count(raw, "generic", "STE-S2SL0"), 1);
	s2(raw, 30, 0, 0);
	assert_int_equal(ste_count(raw, "generic", "STE-S2SL0"), 0);
	/* Level 0 (S2SL0 = 2) needs PAMax >= 44. */
	s2(raw, 24, 2, 0);
	assert_int_equal(ste_count(raw, "generic,oas=44", "STE-S2SL0"), 0);
	assert_int_equal(ste_count(raw, "generic,oas=42", "STE-S2SL0"), 1);
	/* Level 3 (S2SL0 = 3) needs small translation tables (FEAT_TTST). */
	s2(raw, 39, 3, 0);
	assert_int_equal(ste_count(raw, "generic", "STE-S2SL0"), 1);
	assert_int_equal(ste_count(raw, "generic,stt=1", "STE-S2SL0"), 0);
}

static void s2sl0_lpa2_and_other_granules(void **state)
{
	(void)state;
	uint8_t raw[64];
	/* 4K with S2DS and S2SL0_2: start level -1, 49..61 bits. */
	const char *lpa2 = "generic,oas=52,ds=1";
	s2(raw, 12, 0, 0);
	set(raw, STE_S2DS, 1);
	set(raw, STE_S2SL0_2, 1);
	set(raw, STE_S2PS, 6);
	assert_int_equal(ste_count(raw, lpa2, "STE-S2SL0"), 0);
	set(raw, STE_S2T0SZ, 15);
	assert_int_equal(ste_count(raw, lpa2, "STE-S2SL0"), 0);
	set(raw, STE_S2T0SZ, 16);
	assert_int_equal(ste_count(raw, lpa2, "STE-S2SL0"), 1);
	/* S2SL0_2 with S2SL0 != 0 is reserved. */
	set(raw, STE_S2T0SZ, 12);
	set(raw, STE_S2SL0, 1);
	assert_int_equal(ste_count(raw, lpa2, "STE-S2SL0"), 1);
	/* 64K: level 2 takes 30..46 bits; S2SL0 = 3 is reserved. */
	s2(raw, 18, 1, 1);
	assert_int_equal(ste_count(raw, "generic", "STE-S2SL0"), 0);
	s2(raw, 17, 1, 1);
	assert_int_equal(ste_count(raw, "generic,oas=52", "STE-S2SL0"), 1);
	s2(raw, 30, 3, 1);
	assert_int_equal(ste_count(raw, "generic", "STE-S2SL0"), 1);
	/* 16K: level 2 (S2SL0 = 1) takes 26..40 bits; level 0 needs DS. */
	s2(raw, 24, 1, 2);
	assert_int_equal(ste_count(raw, "generic", "STE-S2SL0"), 0);
	s2(raw, 23, 1, 2);
	assert_int_equal(ste_count(raw, "generic", "STE-S2SL0"), 1);
	s2(raw, 16, 3, 2);
	assert_int_equal(ste_count(raw, "generic", "STE-S2SL0"), 1);
}

static void s2ttb_res0_is_not_range(void **state)
{
	(void)state;
	uint8_t raw[64];
	s2(raw, 24, 1, 0);
	set(raw, STE_S2TTB, UINT64_C(0x10000088000000));
	assert_int_equal(ste_count(raw, "generic", "STE-S2TTB-RANGE"), 0);
	assert_int_equal(ste_count(raw, "generic", "STE-RES0"), 1);
	set(raw, STE_S2TTB, UINT64_C(0x8000088000000));
	assert_int_equal(ste_count(raw, "generic", "STE-S2TTB-RANGE"), 1);
	assert_int_equal(ste_count(raw, "generic", "STE-RES0"), 0);
}

int main(void)
{
	pt_formats_init();
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(ttb_res0_is_not_range),
		cmocka_unit_test(el2_epd_effectively_zero),
		cmocka_unit_test(mair_default_is_linux),
		cmocka_unit_test(strw_by_hyp),
		cmocka_unit_test(eats_by_ats),
		cmocka_unit_test(attr_overrides),
		cmocka_unit_test(s2sl0_4k),
		cmocka_unit_test(s2sl0_lpa2_and_other_granules),
		cmocka_unit_test(s2ttb_res0_is_not_range),
	};
	return cmocka_run_group_tests_name("fidelity", tests, NULL, NULL);
}

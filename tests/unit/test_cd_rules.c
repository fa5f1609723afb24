/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every CD, L1CD and table rule with a case that must pass and a case that
 * must fail, run through the real walker; and a check that no rule of those
 * sets is left without its cases. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "rule_harness.h"

typedef void (*setup_fn)(struct harness *h);

struct rule_case {
	const char *rule;
	setup_fn pass; /* a near miss that must not fire the rule */
	setup_fn fire; /* must fire it */
};

static uint8_t *cd0(struct harness *h)
{
	return h_cd(h, 0);
}

/* TTB1 enabled with a legal 4K/48-bit configuration. */
static void ttb1_on(struct harness *h)
{
	h_set(cd0(h), CD_EPD1, 0);
	h_set(cd0(h), CD_TG1, 2);
	h_set(cd0(h), CD_T1SZ, 16);
	h_set(cd0(h), CD_TTB1, 0x300000);
}

static void nothing(struct harness *h) { (void)h; }

static void not_valid_pass(struct harness *h) { h->one_ssid = 1; }
static void not_valid_fail(struct harness *h) { h->one_ssid = 1; h->ssid = 1; }
static void stalld_pass(struct harness *h) { h->ste.present = 1; h->ste.s1stalld = 1; }
static void stalld_fail(struct harness *h) { stalld_pass(h); h_set(cd0(h), CD_S, 1); }
static void term_pass(struct harness *h) { h->caps = "generic,term-model=1"; }
static void term_fail(struct harness *h) { term_pass(h); h_set(cd0(h), CD_A, 0); }
static void stallm_pass(struct harness *h) { h->caps = "generic,stall-model=2"; h_set(cd0(h), CD_S, 1); }
static void stallm_fail(struct harness *h) { h->caps = "generic,stall-model=1"; h_set(cd0(h), CD_S, 1); }
static void endi_pass(struct harness *h) { h->caps = "generic,ttendian=3"; h_set(cd0(h), CD_ENDI, 1); }
static void endi_fail(struct harness *h) { h->caps = "generic,ttendian=2"; h_set(cd0(h), CD_ENDI, 1); }
static void aa32_pass(struct harness *h) { h->caps = "generic,ttf=3"; h_set(cd0(h), CD_AA64, 0); }
static void aa32_fail(struct harness *h) { h_set(cd0(h), CD_AA64, 0); }
static void aa64_fail(struct harness *h) { h->caps = "generic,ttf=1"; }
static void httu_pass(struct harness *h) { h->caps = "generic,httu=2"; h_set(cd0(h), CD_HD, 1); h_set(cd0(h), CD_HA, 1); }
static void httu_fail(struct harness *h) { h->caps = "generic,httu=1"; h_set(cd0(h), CD_HD, 1); h_set(cd0(h), CD_HA, 1); }
static void asid16_pass(struct harness *h) { h->caps = "generic,asid16=0"; h_set(cd0(h), CD_ASID, 0xff); }
static void asid16_fail(struct harness *h) { h->caps = "generic,asid16=0"; h_set(cd0(h), CD_ASID, 0x100); }
static void t0sz_pass(struct harness *h) { h_set(cd0(h), CD_T0SZ, 39); }
static void t0sz_fail(struct harness *h) { h_set(cd0(h), CD_T0SZ, 40); }
static void t1sz_pass(struct harness *h) { ttb1_on(h); h_set(cd0(h), CD_T1SZ, 39); }
static void t1sz_fail(struct harness *h) { ttb1_on(h); h_set(cd0(h), CD_T1SZ, 15); }
static void tg0res_pass(struct harness *h) { h_set(cd0(h), CD_TG0, 3); h_set(cd0(h), CD_EPD0, 1); }
static void tg0res_fail(struct harness *h) { h_set(cd0(h), CD_TG0, 3); }
static void tg1res_pass(struct harness *h) { h_set(cd0(h), CD_TG1, 0); }
static void tg1res_fail(struct harness *h) { ttb1_on(h); h_set(cd0(h), CD_TG1, 0); }
static void tg0un_pass(struct harness *h) { h->caps = "generic,gran16k=0"; h_set(cd0(h), CD_TG0, 1); h_set(cd0(h), CD_TTB0, 0x210000); }
static void tg0un_fail(struct harness *h) { h->caps = "generic,gran16k=0"; h_set(cd0(h), CD_TG0, 2); }
static void tg1un_pass(struct harness *h) { h->caps = "generic,gran64k=0"; ttb1_on(h); }
static void tg1un_fail(struct harness *h) { h->caps = "generic,gran64k=0"; ttb1_on(h); h_set(cd0(h), CD_TG1, 3); }
static void ttb0r_pass(struct harness *h) { h_set(cd0(h), CD_TTB0, (UINT64_C(1) << 48) - 0x1000); }
static void ttb0r_fail(struct harness *h) { h_set(cd0(h), CD_TTB0, UINT64_C(1) << 48); }
static void ttb1r_pass(struct harness *h) { ttb1_on(h); h_set(cd0(h), CD_TTB1, (UINT64_C(1) << 48) - 0x1000); }
static void ttb1r_fail(struct harness *h) { ttb1_on(h); h_set(cd0(h), CD_TTB1, UINT64_C(1) << 48); }
static void big_oas(struct harness *h) { h->caps = "generic,oas=52"; h_set(cd0(h), CD_IPS, 6); }
static void ttb052_pass(struct harness *h) { big_oas(h); h_set(cd0(h), CD_TG0, 1); h_set(cd0(h), CD_TTB0, UINT64_C(1) << 48); }
static void ttb052_fail(struct harness *h) { big_oas(h); h_set(cd0(h), CD_TTB0, UINT64_C(1) << 48); }
static void ttb152_pass(struct harness *h) { big_oas(h); ttb1_on(h); h_set(cd0(h), CD_TG1, 3); h_set(cd0(h), CD_TTB1, UINT64_C(1) << 48); }
static void ttb152_fail(struct harness *h) { big_oas(h); ttb1_on(h); h_set(cd0(h), CD_TTB1, UINT64_C(1) << 48); }
static void pie_pass(struct harness *h) { h->caps = "generic,s1pi=1"; h_set(cd0(h), CD_PIE, 1); h_set(cd0(h), CD_PIIU, 07); h_set(cd0(h), CD_PIIP, 01); }
static void pie_fail(struct harness *h) { pie_pass(h); h_set(cd0(h), CD_PIIU, 04); }
static void epd_pass(struct harness *h) { h_set(cd0(h), CD_EPD0, 0); }
static void epd_fail(struct harness *h) { h_set(cd0(h), CD_EPD0, 1); }
static void ips_pass(struct harness *h) { h->caps = "generic,oas=44"; h_set(cd0(h), CD_IPS, 4); }
static void ips_fail(struct harness *h) { h->caps = "generic,oas=44"; }
static void sh0_pass(struct harness *h) { h_set(cd0(h), CD_SH0, 2); }
static void sh0_fail(struct harness *h) { h_set(cd0(h), CD_SH0, 1); }
static void sh1_pass(struct harness *h) { ttb1_on(h); h_set(cd0(h), CD_SH1, 3); }
static void sh1_fail(struct harness *h) { ttb1_on(h); h_set(cd0(h), CD_SH1, 1); }
static void res0_pass(struct harness *h) { h_set(cd0(h), CD_PMG, 0xff); }
static void res0_fail(struct harness *h) { h_set(cd0(h), CD_RES0_DW7, 1); }
static void feat_pass(struct harness *h) { h->caps = "generic,epan=1"; h_set(cd0(h), CD_EPAN, 1); }
static void feat_fail(struct harness *h) { h_set(cd0(h), CD_EPAN, 1); }
static void amair_fail(struct harness *h) { h_set(cd0(h), CD_AMAIR1, 1); }
/* T0SZ 32 with 4K pages starts at level 1 with 2 index bits: a 32-byte table. */
static void align0_pass(struct harness *h) { h_set(cd0(h), CD_T0SZ, 32); h_set(cd0(h), CD_TTB0, 0x200020); }
static void align0_fail(struct harness *h) { h_set(cd0(h), CD_TTB0, 0x200040); }
static void align1_pass(struct harness *h) { ttb1_on(h); h_set(cd0(h), CD_T1SZ, 32); h_set(cd0(h), CD_TTB1, 0x300020); }
static void align1_fail(struct harness *h) { ttb1_on(h); h_set(cd0(h), CD_TTB1, 0x300040); }
/* STRW = EL2 without CR2.E2H: no TTB1, so its fields are RES0. */
static void el2_pass(struct harness *h)
{
	h->ste.present = 1;
	h->ste.strw = 2;
	h->caps = "generic,e2h=0";
	h_set(cd0(h), CD_EPD1, 0);
}
static void el2_fail(struct harness *h) { el2_pass(h); h_set(cd0(h), CD_TTB1, 0x300000); }

static void alias_setup(struct harness *h, uint64_t ttb0)
{
	smmu_cd_format.entry_defaults(h_cd(h, 1));
	h_set(h_cd(h, 1), CD_ASID, 1);
	h_set(h_cd(h, 1), CD_TTB0, ttb0);
}
static void alias_pass(struct harness *h) { alias_setup(h, 0x200000); }
static void alias_fail(struct harness *h) { alias_setup(h, 0x400000); }
static void talign_pass(struct harness *h) { h->table_base = H_BASE + 0x80; }
static void talign_fail(struct harness *h) { h->table_base = H_BASE + 0x40; }

/* 2-level tables: L1 at H_BASE, a 4K leaf at +0x1000 or a 64K leaf at +0x10000. */
static void two_level(struct harness *h, const char *layout, uint64_t leaf)
{
	memset(h->mem, 0, 0x100);
	h->layout = layout;
	h->ssid_bits = 12;
	smmu_cd_format.entry_defaults(h_at(h, leaf));
	h_set(h_at(h, leaf), CD_ASID, 1);
	h_set(h_at(h, leaf), CD_TTB0, 0x200000);
	smmu_cd_format.dir_make(h_at(h, H_BASE), leaf);
}
static void l1inv_pass(struct harness *h) { two_level(h, "2lvl-4k", H_BASE + 0x1000); h->one_ssid = 1; }
static void l1inv_fail(struct harness *h) { l1inv_pass(h); h->ssid = 64; }
static void l1range_pass(struct harness *h) { two_level(h, "2lvl-4k", H_BASE + 0x1000); }
static void l1range_fail(struct harness *h)
{
	l1range_pass(h);
	smmu_cd_format.dir_make(h_at(h, H_BASE + 8), UINT64_C(1) << 50);
}
static void l1align_pass(struct harness *h) { two_level(h, "2lvl-64k", H_BASE + 0x10000); }
static void l1align_fail(struct harness *h) { two_level(h, "2lvl-64k", H_BASE + 0x11000); }
static void l1res0_pass(struct harness *h) { two_level(h, "2lvl-4k", H_BASE + 0x1000); }
static void l1res0_fail(struct harness *h) { l1res0_pass(h); h_at(h, H_BASE)[0] |= 2; }
static void unmapped_fail(struct harness *h) { h->ssid_bits = 20; }
static void geometry_fail(struct harness *h) { h->table_base = UINT64_MAX - 0x3f; }
static void overlap_fail(struct harness *h) { two_level(h, "2lvl-4k", H_BASE); }
static void shared_pass(struct harness *h)
{
	two_level(h, "2lvl-4k", H_BASE + 0x1000);
	smmu_cd_format.dir_make(h_at(h, H_BASE + 8), H_BASE + 0x2000);
}
static void shared_fail(struct harness *h)
{
	two_level(h, "2lvl-4k", H_BASE + 0x1000);
	smmu_cd_format.dir_make(h_at(h, H_BASE + 8), H_BASE + 0x1000);
}

/* The harness table holds 2 CDs (128 bytes at H_BASE): a budget of 2
 * entries reads both, 1 stops; a structure starting at its last byte
 * overlaps it, one starting just past it does not. */
static void budget_pass(struct harness *h) { h->max_entries = 2; }
static void budget_fail(struct harness *h) { h->max_entries = 1; }
static void toverlap_pass(struct harness *h)
{
	h->reserve_addr = H_BASE + 2 * SMMU_CD_SIZE;
	h->reserve_bytes = 64;
}
static void toverlap_fail(struct harness *h)
{
	h->reserve_addr = H_BASE + 2 * SMMU_CD_SIZE - 1;
	h->reserve_bytes = 64;
}

static const struct rule_case cases[] = {
	{ "CD-NOT-VALID", not_valid_pass, not_valid_fail },
	{ "CD-S-STALLD", stalld_pass, stalld_fail },
	{ "CD-A-TERM-MODEL", term_pass, term_fail },
	{ "CD-S-STALL-MODEL", stallm_pass, stallm_fail },
	{ "CD-ENDI", endi_pass, endi_fail },
	{ "CD-AA64-VMSAV8-32", aa32_pass, aa32_fail },
	{ "CD-AA64-VMSAV8-64", nothing, aa64_fail },
	{ "CD-HTTU", httu_pass, httu_fail },
	{ "CD-ASID16", asid16_pass, asid16_fail },
	{ "CD-T0SZ-RANGE", t0sz_pass, t0sz_fail },
	{ "CD-T1SZ-RANGE", t1sz_pass, t1sz_fail },
	{ "CD-TG0-RESERVED", tg0res_pass, tg0res_fail },
	{ "CD-TG1-RESERVED", tg1res_pass, tg1res_fail },
	{ "CD-TG0-UNSUPPORTED", tg0un_pass, tg0un_fail },
	{ "CD-TG1-UNSUPPORTED", tg1un_pass, tg1un_fail },
	{ "CD-TTB0-RANGE", ttb0r_pass, ttb0r_fail },
	{ "CD-TTB1-RANGE", ttb1r_pass, ttb1r_fail },
	{ "CD-TTB0-52BIT", ttb052_pass, ttb052_fail },
	{ "CD-TTB1-52BIT", ttb152_pass, ttb152_fail },
	{ "CD-PIE-PERMISSION", pie_pass, pie_fail },
	{ "CD-EPD-BOTH", epd_pass, epd_fail },
	{ "CD-IPS-CAPPED", ips_pass, ips_fail },
	{ "CD-SH0-RESERVED", sh0_pass, sh0_fail },
	{ "CD-SH1-RESERVED", sh1_pass, sh1_fail },
	{ "CD-RES0", res0_pass, res0_fail },
	{ "CD-RES0-FEATURE", feat_pass, feat_fail },
	{ "CD-AMAIR", nothing, amair_fail },
	{ "CD-TTB0-ALIGN", align0_pass, align0_fail },
	{ "CD-TTB1-ALIGN", align1_pass, align1_fail },
	{ "CD-TTB1-EL2", el2_pass, el2_fail },
	{ "CD-ASID-ALIAS", alias_pass, alias_fail },
	{ "CD-TABLE-ALIGN", talign_pass, talign_fail },
	{ "L1CD-NOT-VALID", l1inv_pass, l1inv_fail },
	{ "L1CD-L2PTR-RANGE", l1range_pass, l1range_fail },
	{ "L1CD-L2PTR-ALIGN", l1align_pass, l1align_fail },
	{ "L1CD-RES0", l1res0_pass, l1res0_fail },
	{ "TABLE-UNMAPPED", nothing, unmapped_fail },
	{ "TABLE-GEOMETRY", nothing, geometry_fail },
	{ "TABLE-LEAF-OVERLAP", shared_pass, overlap_fail },
	{ "TABLE-LEAF-SHARED", shared_pass, shared_fail },
	{ "TABLE-BUDGET", budget_pass, budget_fail },
	{ "TABLE-OVERLAP", toverlap_pass, toverlap_fail },
};

#define NCASES (sizeof cases / sizeof cases[0])

static void run_case(void **state)
{
	const struct rule_case *c = *state;
	struct harness *h = malloc(sizeof *h);
	assert_non_null(h);
	h_init(h);
	c->pass(h);
	h_run(h);
	if (h_count(h, c->rule) != 0)
		fail_msg("%s fired on its passing case", c->rule);
	pt_diag_free(&h->diags);
	h_init(h);
	c->fire(h);
	h_run(h);
	if (h_count(h, c->rule) == 0)
		fail_msg("%s did not fire on its failing case", c->rule);
	pt_diag_free(&h->diags);
	free(h);
}

/* The baseline CD (what Linux writes) is clean under the default caps. */
static void baseline_is_clean(void **state)
{
	(void)state;
	struct harness *h = malloc(sizeof *h);
	assert_non_null(h);
	h_init(h);
	assert_int_equal(h_run(h), 0);
	pt_diag_free(&h->diags);
	free(h);
}

static void every_rule_has_cases(void **state)
{
	(void)state;
	pt_formats_init();
	const struct pt_rule_set *sets[] = { &smmu_cd_rules, &pt_core_rules };
	for (size_t s = 0; s < 2; s++) {
		for (size_t i = 0; i < sets[s]->nrules; i++) {
			int found = 0;
			for (size_t c = 0; c < NCASES; c++)
				found |= strcmp(cases[c].rule, sets[s]->rules[i].id) == 0;
			if (!found)
				fail_msg("rule %s has no test case", sets[s]->rules[i].id);
		}
	}
}

/* The message says what the hardware does and the field is named. */
static void finding_carries_effect_and_field(void **state)
{
	(void)state;
	struct harness *h = malloc(sizeof *h);
	assert_non_null(h);
	h_init(h);
	tg0res_fail(h);
	h_run(h);
	assert_int_equal(h->diags.nitems, 1);
	const struct pt_diag *d = &h->diags.items[0];
	assert_string_equal(d->rule->id, "CD-TG0-RESERVED");
	assert_string_equal(d->field, "tg0");
	assert_int_equal(d->addr, H_BASE);
	assert_int_equal(d->scope, PT_SCOPE_SSID);
	assert_int_equal(d->severity, PT_SEV_ERROR);
	assert_non_null(strstr(d->msg, "C_BAD_CD"));
	pt_diag_free(&h->diags);
	free(h);
}

static void overrides_steer_severity(void **state)
{
	(void)state;
	struct harness *h = malloc(sizeof *h);
	assert_non_null(h);
	h_init(h);
	tg0res_fail(h);
	assert_int_equal(pt_rules_override("CD-TG0-*=warning"), 0);
	h_run(h);
	assert_int_equal(h->diags.counts[PT_SEV_ERROR], 0);
	assert_int_equal(h->diags.counts[PT_SEV_WARNING], 1);
	assert_int_equal(pt_rules_override("CD-TG0-RESERVED=off"), 0);
	assert_int_equal(h_run(h), 0);
	assert_int_equal(pt_rules_override("NOPE=off"), -1);
	assert_int_equal(pt_rules_override("CD-TG0-RESERVED=loud"), -1);
	pt_rules_reset_overrides();
	pt_diag_free(&h->diags);
	free(h);
}

/* Configuration checks run once per distinct configuration: a repeated bad
 * configuration is still reported for every CD, and a clean one repeated
 * with other ASIDs and TTB0s still gets its value checks. */
static void repeated_configurations(void **state)
{
	(void)state;
	struct harness *h = malloc(sizeof *h);
	assert_non_null(h);
	h_init(h);
	h->ssid_bits = 3;
	h->caps = "generic,asid16=0";
	for (uint32_t i = 1; i < 8; i++) {
		smmu_cd_format.entry_defaults(h_cd(h, i));
		h_set(h_cd(h, i), CD_ASID, i + 1);
		h_set(h_cd(h, i), CD_TTB0, 0x200000 + 0x1000 * i);
	}
	h_set(h_cd(h, 3), CD_TG0, 3);
	h_set(h_cd(h, 5), CD_TG0, 3);
	h_set(h_cd(h, 6), CD_ASID, 0x100);
	h_set(h_cd(h, 7), CD_TTB0, 0x200040);
	h_run(h);
	assert_int_equal(h_count(h, "CD-TG0-RESERVED"), 2);
	assert_int_equal(h_count(h, "CD-ASID16"), 1);
	assert_int_equal(h_count(h, "CD-TTB0-ALIGN"), 1);
	assert_int_equal(h->diags.counts[PT_SEV_ERROR] + h->diags.counts[PT_SEV_WARNING], 4);
	pt_diag_free(&h->diags);
	free(h);
}

/* The ASID index holds twice the table's CDs (hashed) up to one slot per
 * ASID (indexed by it): 128 distinct ASIDs in a 2^7 table are each new,
 * and the last CD reusing a late one (SSID 100) with another TTB0 is an
 * alias. */
static void alias_among_many(void **state)
{
	(void)state;
	struct harness *h = malloc(sizeof *h);
	assert_non_null(h);
	h_init(h);
	h->ssid_bits = 7;
	for (uint32_t i = 0; i < 128; i++) {
		smmu_cd_format.entry_defaults(h_cd(h, i));
		h_set(h_cd(h, i), CD_ASID, 0x101 * (i + 1));
		h_set(h_cd(h, i), CD_TTB0, 0x200000);
	}
	h_run(h);
	assert_int_equal(h_count(h, "CD-ASID-ALIAS"), 0);
	h_set(h_cd(h, 127), CD_ASID, 0x101 * 101);
	h_set(h_cd(h, 127), CD_TTB0, 0x400000);
	h_run(h);
	assert_int_equal(h_count(h, "CD-ASID-ALIAS"), 1);
	pt_diag_free(&h->diags);
	free(h);
}

/* A 2-level table of 2^bits SSIDs, two 4K leaves (SSIDs 0 and 64), both
 * CDs with ASID 0xffff and TTB0s ttb_a and ttb_b. */
static unsigned alias_two_level(unsigned bits, uint64_t ttb_a, uint64_t ttb_b)
{
	struct harness *h = malloc(sizeof *h);
	assert_non_null(h);
	h_init(h);
	memset(h->mem, 0, 0x3000);
	h->layout = "2lvl-4k";
	h->ssid_bits = bits;
	for (uint32_t l = 0; l < 2; l++) {
		uint64_t leaf = H_BASE + 0x1000 * (l + 1);
		smmu_cd_format.dir_make(h_at(h, H_BASE + 8 * l), leaf);
		smmu_cd_format.entry_defaults(h_at(h, leaf));
		h_set(h_at(h, leaf), CD_ASID, 0xffff);
		h_set(h_at(h, leaf), CD_TTB0, l ? ttb_b : ttb_a);
	}
	h_run(h);
	unsigned n = h_count(h, "CD-ASID-ALIAS");
	pt_diag_free(&h->diags);
	free(h);
	return n;
}

/* 2^14 SSIDs: 2^15 hashed slots; 2^15 SSIDs: 2^16 slots, one per ASID. */
static void alias_hashed_and_indexed(void **state)
{
	(void)state;
	assert_int_equal(alias_two_level(14, 0x200000, 0x200000), 0);
	assert_int_equal(alias_two_level(14, 0x200000, 0x400000), 1);
	assert_int_equal(alias_two_level(15, 0x200000, 0x200000), 0);
	assert_int_equal(alias_two_level(15, 0x200000, 0x400000), 1);
}

int main(void)
{
	struct CMUnitTest tests[NCASES + 7];
	static char names[NCASES][80];
	for (size_t i = 0; i < NCASES; i++) {
		snprintf(names[i], sizeof names[i], "rule %s", cases[i].rule);
		tests[i] = (struct CMUnitTest){ names[i], run_case, NULL, NULL,
						(void *)(uintptr_t)&cases[i] };
	}
	tests[NCASES] = (struct CMUnitTest)cmocka_unit_test(baseline_is_clean);
	tests[NCASES + 1] = (struct CMUnitTest)cmocka_unit_test(every_rule_has_cases);
	tests[NCASES + 2] = (struct CMUnitTest)cmocka_unit_test(finding_carries_effect_and_field);
	tests[NCASES + 3] = (struct CMUnitTest)cmocka_unit_test(overrides_steer_severity);
	tests[NCASES + 4] = (struct CMUnitTest)cmocka_unit_test(repeated_configurations);
	tests[NCASES + 5] = (struct CMUnitTest)cmocka_unit_test(alias_among_many);
	tests[NCASES + 6] = (struct CMUnitTest)cmocka_unit_test(alias_hashed_and_indexed);
	return _cmocka_run_group_tests("cd_rules", tests, NCASES + 7, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The QEMU-behaviour table: STE and CD bytes, and what QEMU's SMMUv3 does
 * with them per release, written from reading QEMU's code (the source of
 * each row is in its comment). Each row is checked against the --caps
 * qemu=VERSION notes: a note (with the row's rule id) exactly where QEMU's
 * outcome differs from the architecture's, none where they agree. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "rule_harness.h"
#include "smmuv3_qemu.h"

enum kind { STE1, STE2, CD };

struct row {
	const char *what;
	enum kind kind;
	const char *caps;          /* --caps the row is checked under */
	int field;                 /* smmu_ste_field_id or smmu_cd_field_id; -1: none */
	uint64_t value;
	int field2;                /* a second field to set, or 0 with value2 0 */
	uint64_t value2;
	enum smmu_qemu_outcome qemu;
	const char *note;          /* the QEMU-* note expected, or NULL */
};

/* Sources: hw/arm/smmuv3.c decode_ste(), decode_ste_s2_cfg(), smmu_get_cd(),
 * decode_cd() as of the 8.1 stage-2 code and the 9.1/10.x code;
 * hw/arm/smmuv3-internal.h STE_CTXPTR, CD_TTB, oas2bits(). */
static const struct row rows[] = {
	/* decode_ste: "does not support multiple context descriptors". */
	{ "S1CDMax 1, SSIDSIZE 0", STE1, "qemu,qemu=7.2", STE_S1CDMAX, 1, 0, 0, QEMU_BAD_STE,
	  "QEMU-STE-S1CDMAX" },
	{ "S1CDMax 1, SSIDSIZE 0", STE1, "qemu,qemu=10.1", STE_S1CDMAX, 1, 0, 0, QEMU_BAD_STE,
	  "QEMU-STE-S1CDMAX" },
	/* S1CDMax within SSIDSIZE: legal, QEMU still refuses. */
	{ "S1CDMax 4, SSIDSIZE 8", STE1, "qemu,qemu=9.1,ssid-bits=8", STE_S1CDMAX, 4, 0, 0,
	  QEMU_BAD_STE, "QEMU-STE-S1CDMAX" },
	/* Beyond SSIDSIZE the architecture refuses too: no note. */
	{ "S1CDMax 9, SSIDSIZE 8", STE1, "qemu,qemu=9.1,ssid-bits=8", STE_S1CDMAX, 9, 0, 0,
	  QEMU_BAD_STE, NULL },
	/* decode_ste checks S1STALLD after stage 2, whatever Config says. */
	{ "S1STALLD with Config 110", STE2, "qemu,qemu=8.1,s2p=1", STE_S1STALLD, 1, 0, 0,
	  QEMU_BAD_STE, "QEMU-STE-S1STALLD" },
	{ "S1STALLD with Config 101", STE1, "qemu,qemu=8.1", STE_S1STALLD, 1, 0, 0, QEMU_BAD_STE,
	  NULL },
	{ "S1CDMax with Config 110", STE2, "qemu,qemu=8.1,s2p=1", STE_S1CDMAX, 2, 0, 0,
	  QEMU_BAD_STE, "QEMU-STE-S1CDMAX" },
	/* STE_CTXPTR reads word 1 bits [15:0]: [47:6]; smmu_get_cd checks nothing. */
	{ "S1ContextPtr bit 48", STE1, "qemu,qemu=10.1", STE_S1CONTEXTPTR,
	  UINT64_C(0x100004a000000), 0, 0, QEMU_ACCEPTS, "QEMU-STE-S1CONTEXTPTR" },
	{ "S1ContextPtr bit 44 (beyond OAS 44)", STE1, "qemu,qemu=7.2", STE_S1CONTEXTPTR,
	  UINT64_C(0x10004a000000), 0, 0, QEMU_ACCEPTS, "QEMU-STE-S1CONTEXTPTR" },
	{ "S1ContextPtr bit 43 (within OAS 44)", STE1, "qemu,qemu=7.2", STE_S1CONTEXTPTR,
	  UINT64_C(0x8004a000000), 0, 0, QEMU_ACCEPTS, NULL },
	/* decode_ste_s2_cfg never reads S2HA/S2HD. */
	{ "S2HA without HTTU", STE2, "qemu,qemu=8.1,s2p=1", STE_S2HA, 1, 0, 0, QEMU_ACCEPTS,
	  "QEMU-STE-S2HTTU" },
	{ "S2HD without HTTU", STE2, "qemu,qemu=10.1,s2p=1", STE_S2HD, 1, 0, 0, QEMU_ACCEPTS,
	  "QEMU-STE-S2HTTU" },
	/* 7.2 has no stage 2: decode_ste refuses Config 110 first. */
	{ "S2HA on 7.2", STE2, "qemu,qemu=7.2", STE_S2HA, 1, 0, 0, QEMU_BAD_STE, NULL },
	/* decode_ste_s2_cfg: "AArch32 tables not supported", g_assert_not_reached(). */
	{ "S2AA64 0", STE2, "qemu,qemu=8.1,s2p=1,ttf=3", STE_S2AA64, 0, 0, 0, QEMU_ABORTS,
	  "QEMU-STE-S2AA64" },
	/* oas2bits(CD.IPS): -1 before 9.1, g_assert_not_reached() from 9.1. */
	{ "IPS 52 bits", CD, "qemu,qemu=9.1", CD_IPS, 6, 0, 0, QEMU_ABORTS, "QEMU-CD-IPS-ABORT" },
	{ "IPS 56 bits", CD, "qemu,qemu=10.1", CD_IPS, 7, 0, 0, QEMU_ABORTS, "QEMU-CD-IPS-ABORT" },
	{ "IPS 52 bits, TTB0 in range", CD, "qemu,qemu=8.1", CD_IPS, 6, 0, 0, QEMU_ACCEPTS, NULL },
	{ "IPS 52 bits, TTB0 bit 44", CD, "qemu,qemu=8.1", CD_IPS, 6, CD_TTB0,
	  UINT64_C(0x100048000000), QEMU_ACCEPTS, "QEMU-CD-IPS-UNCHECKED" },
	{ "IPS 48 bits, TTB0 bit 44", CD, "qemu,qemu=8.1", CD_IPS, 5, CD_TTB0,
	  UINT64_C(0x100048000000), QEMU_BAD_CD, NULL },
	{ "IPS 48 bits", CD, "qemu,qemu=9.1", CD_IPS, 5, 0, 0, QEMU_ACCEPTS, NULL },
	/* CD_TTB: high word bits [18:0], so TTB[50:4]; range check against
	 * min(IPS, 44). */
	{ "TTB0 bit 51", CD, "qemu,qemu=10.1", CD_TTB0, UINT64_C(0x8000048000000), 0, 0,
	  QEMU_ACCEPTS, "QEMU-CD-TTB-BIT51" },
	{ "TTB0 bit 44", CD, "qemu,qemu=10.1", CD_TTB0, UINT64_C(0x100048000000), 0, 0,
	  QEMU_BAD_CD, NULL },
	/* Bits [55:52] are RES0 for VMSAv8-64: both ignore them. */
	{ "TTB0 bit 52", CD, "qemu,qemu=10.1", CD_TTB0, UINT64_C(0x10000048000000), 0, 0,
	  QEMU_ACCEPTS, NULL },
	/* decode_cd refuses A = 0 (TERM_MODEL 1), as the architecture does. */
	{ "A 0", CD, "qemu,qemu=7.2", CD_A, 0, 0, 0, QEMU_BAD_CD, NULL },
	{ "unchanged CD", CD, "qemu,qemu=10.1", -1, 0, 0, 0, QEMU_ACCEPTS, NULL },
	{ "unchanged STE", STE1, "qemu,qemu=10.1", -1, 0, 0, 0, QEMU_ACCEPTS, NULL },
};

static void base_ste(uint8_t *raw, enum kind kind)
{
	memset(raw, 0, 64);
	pt_field_set(raw, &smmu_ste_fields[STE_V], 1);
	if (kind == STE1) {
		pt_field_set(raw, &smmu_ste_fields[STE_CONFIG], SMMU_STE_S1);
		pt_field_set(raw, &smmu_ste_fields[STE_S1CONTEXTPTR], 0x4a000000);
		return;
	}
	pt_field_set(raw, &smmu_ste_fields[STE_CONFIG], SMMU_STE_S2);
	pt_field_set(raw, &smmu_ste_fields[STE_S2T0SZ], 24);
	pt_field_set(raw, &smmu_ste_fields[STE_S2SL0], 1);
	pt_field_set(raw, &smmu_ste_fields[STE_S2PS], 4);
	pt_field_set(raw, &smmu_ste_fields[STE_S2AA64], 1);
	pt_field_set(raw, &smmu_ste_fields[STE_S2TTB], 0x88000000);
}

/* Findings of an STE checked as SID 3, into d. */
static void check_ste(const uint8_t *raw, const char *caps_spec, struct pt_diag_sink *d)
{
	char err[160];
	struct smmu_caps *caps = smmu_caps_parse(caps_spec, err, sizeof err);
	assert_non_null(caps);
	struct pt_table_cfg cfg = { &smmu_strtab_format, &smmu_strtab_format.layouts[0], 0, 4 };
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.diags = d;
	w.caps = caps;
	w.validate = 1;
	smmu_ste_check_entry(&w, 3, 0x1000, raw);
	smmu_caps_free(caps);
}

static unsigned count(const struct pt_diag_sink *d, const char *prefix, int errors_only)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < d->nitems; i++) {
		const struct pt_diag *g = &d->items[i];
		if (errors_only && g->severity != PT_SEV_ERROR)
			continue;
		if (!prefix || strncmp(g->rule->id, prefix, strlen(prefix)) == 0)
			n += 1 + g->repeat;
	}
	return n;
}

static void run_row(const struct row *r, struct harness *h)
{
	struct pt_diag_sink *d = &h->diags;
	if (r->kind == CD) {
		pt_diag_free(d); /* h_init clears the harness, sink included */
		h_init(h);
		h->caps = r->caps;
		h->ssid_bits = 0;
		h_set(h_cd(h, 0), CD_TTB0, 0x48000000);
		if (r->field >= 0)
			assert_int_equal(pt_field_set(h_cd(h, 0), &smmu_cd_fields[r->field], r->value),
					 0);
		if (r->field2)
			assert_int_equal(pt_field_set(h_cd(h, 0), &smmu_cd_fields[r->field2],
						      r->value2), 0);
		h_run(h);
		return;
	}
	uint8_t raw[64];
	base_ste(raw, r->kind);
	if (r->field >= 0)
		assert_int_equal(pt_field_set(raw, &smmu_ste_fields[r->field], r->value), 0);
	pt_diag_free(d);
	pt_diag_init(d, "t", NULL);
	check_ste(raw, r->caps, d);
}

static void qemu_table(void **state)
{
	(void)state;
	static struct harness h;
	memset(&h, 0, sizeof h);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		run_row(r, &h);
		unsigned arch_errors = count(&h.diags, NULL, 1);
		unsigned notes = count(&h.diags, "QEMU-", 0);
		/* The table itself: a note exactly where QEMU and the
		 * architecture part. */
		int differs = r->qemu == QEMU_ABORTS ||
			      (r->qemu == QEMU_ACCEPTS && arch_errors) ||
			      ((r->qemu == QEMU_BAD_STE || r->qemu == QEMU_BAD_CD) && !arch_errors);
		if (differs != (r->note != NULL))
			fail_msg("row %zu (%s, %s): QEMU outcome %d, %u architectural errors, note %s",
				 i, r->what, r->caps, r->qemu, arch_errors, r->note ? r->note : "none");
		if (r->note && (notes != 1 || count(&h.diags, r->note, 0) != 1))
			fail_msg("row %zu (%s, %s): want one %s, got %u QEMU notes", i, r->what, r->caps,
				 r->note, notes);
		if (!r->note && notes)
			fail_msg("row %zu (%s, %s): %u unexpected QEMU notes (%s)", i, r->what, r->caps,
				 notes, h.diags.items[0].rule->id);
	}
	pt_diag_free(&h.diags);
}

/* Without a QEMU version the notes never fire, whatever the caps. */
static void no_notes_without_qemu(void **state)
{
	(void)state;
	static struct harness h;
	memset(&h, 0, sizeof h);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct row r = rows[i];
		r.caps = "generic,ssid-bits=0,oas=44,s2p=1";
		run_row(&r, &h);
		if (count(&h.diags, "QEMU-", 0))
			fail_msg("row %zu (%s): QEMU note without qemu=", i, r.what);
	}
	pt_diag_free(&h.diags);
}

static void rules_registered(void **state)
{
	(void)state;
	pt_formats_init();
	for (unsigned i = 0; i < R_QEMU_COUNT; i++) {
		assert_non_null(pt_rule_find(smmu_qemu_rule_list[i].id));
		assert_int_equal(smmu_qemu_rule_list[i].severity, PT_SEV_NOTE);
	}
}

int main(void)
{
	pt_formats_init();
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_registered),
		cmocka_unit_test(qemu_table),
		cmocka_unit_test(no_notes_without_qemu),
	};
	return cmocka_run_group_tests_name("qemu", tests, NULL, NULL);
}

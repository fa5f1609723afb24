/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Commands judged against the SMMU's caps (IHI 0070 G.b ch. 4): each one
 * the SMMU rejects or may ignore without a feature, checked on both sides of
 * its condition (the feature present, then absent; the operand just inside
 * the SMMU's width, then just outside). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "smmuv3_queue.h"
#include "smmuv3_queue_rules.h"

static struct smmu_caps caps;
static struct pt_diag_sink diags;
static struct smmu_queue_ctx ctx;
static uint8_t cmd[SMMU_CMD_SIZE];

static int setup(void **state)
{
	(void)state;
	smmu_caps_default(&caps);
	memset(&ctx, 0, sizeof ctx);
	ctx.caps = &caps;
	ctx.queue = "cmdq";
	pt_diag_init(&diags, "m", NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pt_diag_free(&diags);
	return 0;
}

static void make(uint64_t d0, uint64_t d1)
{
	pt_put_le64(cmd, 0, d0);
	pt_put_le64(cmd, 1, d1);
}

/* How many findings of `rule` checking cmd reports (a fresh sink each time). */
static unsigned findings(const char *rule)
{
	pt_diag_free(&diags);
	pt_diag_init(&diags, "m", NULL);
	smmu_cmd_check(&diags, &ctx, 0, 0x1000, cmd);
	unsigned n = 0;
	for (uint32_t i = 0; i < diags.nitems; i++)
		n += strcmp(diags.items[i].rule->id, rule) == 0;
	return n;
}

static void el2_tlbi_needs_hyp(void **state)
{
	(void)state;
	static const unsigned ops[] = { SMMU_CMD_TLBI_EL2_ALL, SMMU_CMD_TLBI_EL2_ASID,
					SMMU_CMD_TLBI_EL2_VA, SMMU_CMD_TLBI_EL2_VAA };
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		make(ops[i], 0);
		caps.hyp = 1;
		assert_int_equal(findings("CMDQ-HYP"), 0);
		caps.hyp = 0;
		assert_int_equal(findings("CMDQ-HYP"), 1);
	}
	/* The NS-EL1 and stage-2 TLBIs neighbouring the EL2 opcodes do not. */
	make(SMMU_CMD_TLBI_EL3_VA + 1, 0);
	assert_int_equal(findings("CMDQ-HYP"), 0);
	make(SMMU_CMD_TLBI_S12_VMALL, 0);
	assert_int_equal(findings("CMDQ-HYP"), 0);
	make(SMMU_CMD_TLBI_NH_ALL, 0);
	assert_int_equal(findings("CMDQ-HYP"), 0);
}

static void atc_inv_needs_ats_and_pri_resp_pri(void **state)
{
	(void)state;
	make(SMMU_CMD_ATC_INV | UINT64_C(8) << 32, 12);
	caps.ats = 1;
	assert_int_equal(findings("CMDQ-ATS"), 0);
	caps.ats = 0;
	assert_int_equal(findings("CMDQ-ATS"), 1);
	assert_int_equal(findings("CMDQ-PRI"), 0);
	make(SMMU_CMD_PRI_RESP | UINT64_C(8) << 32, UINT64_C(2) << 12);
	caps.pri = 1;
	assert_int_equal(findings("CMDQ-PRI"), 0);
	caps.pri = 0;
	assert_int_equal(findings("CMDQ-PRI"), 1);
	assert_int_equal(findings("CMDQ-ATS"), 0);
}

/* TLBI_NH_VA, ASID 1, one 4K page at 0x10000 with TG/TTL: legal with RIL;
 * without it every range and level field is reported, and the range
 * encodings (CMDQ-RANGE-*) are not judged, the fields meaning nothing. */
static void range_fields_need_ril(void **state)
{
	(void)state;
	const uint64_t d0 = SMMU_CMD_TLBI_NH_VA | UINT64_C(1) << 48;
	make(d0, 0x10000 | 1u << 10 | 3u << 8);          /* TG 4K, TTL 3 */
	caps.ril = 1;
	assert_int_equal(findings("CMDQ-RIL"), 0);
	caps.ril = 0;
	assert_int_equal(findings("CMDQ-RIL"), 1);
	make(d0, 0x10000);                                /* no range field */
	assert_int_equal(findings("CMDQ-RIL"), 0);
	make(d0 | 1u << 12, 0x10000);                     /* NUM alone */
	assert_int_equal(findings("CMDQ-RIL"), 1);
	assert_int_equal(findings("CMDQ-RANGE-TG0"), 0);
	caps.ril = 1;
	assert_int_equal(findings("CMDQ-RANGE-TG0"), 1);
	caps.ril = 0;
	make(d0 | 1u << 20, 0x10000);                     /* SCALE alone */
	assert_int_equal(findings("CMDQ-RIL"), 1);
	make(d0, 0x10000 | 1u << 7);                      /* TTL128 alone */
	assert_int_equal(findings("CMDQ-RIL"), 1);
	make(d0, 0x10000 | 1u << 10);                     /* TG, NUM = SCALE = TTL = 0 */
	assert_int_equal(findings("CMDQ-RIL"), 1);
	assert_int_equal(findings("CMDQ-RANGE-EMPTY"), 0);
	caps.ril = 1;
	assert_int_equal(findings("CMDQ-RANGE-EMPTY"), 1);
	/* A TLBI without range fields never is. */
	caps.ril = 0;
	make(SMMU_CMD_TLBI_NH_ASID | UINT64_C(1) << 48, 0);
	assert_int_equal(findings("CMDQ-RIL"), 0);
}

static void asid_and_vmid_widths(void **state)
{
	(void)state;
	/* ASID 0xff fits 8 bits; 0x100 does not. */
	make(SMMU_CMD_TLBI_NH_ASID | UINT64_C(0xff) << 48, 0);
	caps.asid16 = 0;
	assert_int_equal(findings("CMDQ-ASID16"), 0);
	make(SMMU_CMD_TLBI_NH_ASID | UINT64_C(0x100) << 48, 0);
	assert_int_equal(findings("CMDQ-ASID16"), 1);
	caps.asid16 = 1;
	assert_int_equal(findings("CMDQ-ASID16"), 0);
	/* VMID of a stage-2 TLBI: 0xff fits 8 bits, 0x100 does not. */
	make(SMMU_CMD_TLBI_S12_VMALL | UINT64_C(0xff) << 32, 0);
	caps.vmid16 = 0;
	assert_int_equal(findings("CMDQ-VMID16"), 0);
	make(SMMU_CMD_TLBI_S12_VMALL | UINT64_C(0x100) << 32, 0);
	assert_int_equal(findings("CMDQ-VMID16"), 1);
	caps.vmid16 = 1;
	assert_int_equal(findings("CMDQ-VMID16"), 0);
	/* ATC_INV has no ASID: its StreamID bits are not one. */
	caps.asid16 = 0;
	make(SMMU_CMD_ATC_INV | UINT64_C(0xffff) << 32, 12);
	assert_int_equal(findings("CMDQ-ASID16"), 0);
}

/* Stage-1 TLBIs match VMID only with stage 2: VMID 0 is fine either way,
 * VMID 1 is RES0 on a stage-1-only SMMU. */
static void stage1_tlbi_vmid_without_stage2(void **state)
{
	(void)state;
	make(SMMU_CMD_TLBI_NH_VAA, 0x10000);
	caps.s2p = 0;
	assert_int_equal(findings("CMDQ-VMID-NO-S2"), 0);
	make(SMMU_CMD_TLBI_NH_VAA | UINT64_C(1) << 32, 0x10000);
	assert_int_equal(findings("CMDQ-VMID-NO-S2"), 1);
	caps.s2p = 1;
	assert_int_equal(findings("CMDQ-VMID-NO-S2"), 0);
	/* A stage-2 TLBI on a stage-1-only SMMU is CMDQ-STAGE, not this. */
	caps.s2p = 0;
	make(SMMU_CMD_TLBI_S2_IPA | UINT64_C(1) << 32, 0x10000);
	assert_int_equal(findings("CMDQ-VMID-NO-S2"), 0);
	assert_int_equal(findings("CMDQ-STAGE"), 1);
}

/* The caps the ID registers give: IDR0.PRI is bit 16, IDR3.RIL bit 10;
 * QEMU's registers say neither Hyp, ATS nor PRI, but RIL. */
static void caps_from_id_registers(void **state)
{
	(void)state;
	smmu_caps_apply_reg(&caps, SMMU_IDR0, 0);
	assert_int_equal(caps.pri, 0);
	smmu_caps_apply_reg(&caps, SMMU_IDR0, UINT32_C(1) << 16);
	assert_int_equal(caps.pri, 1);
	smmu_caps_apply_reg(&caps, SMMU_IDR3, 0);
	assert_int_equal(caps.ril, 0);
	smmu_caps_apply_reg(&caps, SMMU_IDR3, UINT32_C(1) << 10);
	assert_int_equal(caps.ril, 1);
	char err[128];
	struct smmu_caps *q = smmu_caps_parse("qemu", err, sizeof err);
	assert_non_null(q);
	assert_int_equal(q->hyp, 0);
	assert_int_equal(q->ats, 0);
	assert_int_equal(q->pri, 0);
	assert_int_equal(q->ril, 1);
	smmu_caps_free(q);
	q = smmu_caps_parse("generic,pri=0", err, sizeof err);
	assert_non_null(q);
	assert_int_equal(q->pri, 0);
	assert_int_equal(q->ril, 1);
	smmu_caps_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(el2_tlbi_needs_hyp, setup, teardown),
		cmocka_unit_test_setup_teardown(atc_inv_needs_ats_and_pri_resp_pri, setup, teardown),
		cmocka_unit_test_setup_teardown(range_fields_need_ril, setup, teardown),
		cmocka_unit_test_setup_teardown(asid_and_vmid_widths, setup, teardown),
		cmocka_unit_test_setup_teardown(stage1_tlbi_vmid_without_stage2, setup, teardown),
		cmocka_unit_test_setup_teardown(caps_from_id_registers, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

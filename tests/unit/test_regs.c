/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SMMU register model (formats/smmuv3_regs*.c, smmuv3_idr.c): register
 * field tables, names, register files (lines and JSON) with their caps at
 * both sides of each boundary, caps from ID registers, queue geometry.
 * Register layouts: IHI 0070 G.b §6.3.1 (IDR0), §6.3.2 (IDR1), §6.3.4
 * (IDR3), §6.3.6 (IDR5), §6.3.26-6.3.29 (queues). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "formats.h"
#include "smmuv3.h"
#include "smmuv3_regs.h"

/* Every bit of a register belongs to exactly one field (decode and build
 * round-trip every bit). */
static void fields_do_not_overlap(void **state)
{
	(void)state;
	for (unsigned r = 0; r < SMMU_NREGS; r++) {
		const struct smmu_reg_info *info = smmu_reg_info((enum smmu_reg)r);
		const struct pt_struct *st = info->st;
		unsigned char owner[64] = { 0 };
		assert_true(info->bytes == 4 || info->bytes == 8);
		for (size_t i = 0; i < st->nfields; i++) {
			const struct pt_field *f = &st->fields[i];
			assert_int_equal(f->word, 0);
			/* STRTAB_BASE_CFG's table (smmuv3_strtab.c) covers 64 bits
			 * for --strtab-cfg; the register has 32, the rest RES0. */
			if (f->lsb + f->width > info->bytes * 8u && f->kind != PT_FK_RES0)
				fail_msg("%s.%s runs past the register", info->name, f->name);
			for (unsigned b = f->lsb; b < f->lsb + f->width; b++) {
				if (owner[b])
					fail_msg("%s: bit %u is in two fields", info->name, b);
				owner[b] = 1;
			}
		}
		for (unsigned b = 0; b < info->bytes * 8u; b++)
			if (!owner[b])
				fail_msg("%s: bit %u is in no field", info->name, b);
	}
}

/* The fields other code reads land on the spec's bits. */
static void fields_on_spec_bits(void **state)
{
	(void)state;
	assert_int_equal(smmu_reg_field(SMMU_IDR0, 1u << 9, IDR0_HYP), 1);
	assert_int_equal(smmu_reg_field(SMMU_IDR0, 1u << 10, IDR0_ATS), 1);
	assert_int_equal(smmu_reg_field(SMMU_IDR0, 3u << 24, IDR0_STALL_MODEL), 3);
	assert_int_equal(smmu_reg_field(SMMU_IDR1, 1u << 27, IDR1_ATTR_TYPES_OVR), 1);
	assert_int_equal(smmu_reg_field(SMMU_IDR1, 0x1fu << 21, IDR1_CMDQS), 0x1f);
	assert_int_equal(smmu_reg_field(SMMU_IDR3, 1u << 10, IDR3_RIL), 1);
	assert_int_equal(smmu_reg_field(SMMU_IDR5, 3u << 10, IDR5_VAX), 3);
	assert_int_equal(smmu_reg_field(SMMU_IDR5, 1u << 7, IDR5_DS), 1);
	/* CMDQ_BASE.ADDR is [55:5] as an address. */
	uint64_t b = UINT64_C(0x00ffffffffffffe0) | 0x13;
	assert_int_equal(smmu_reg_field(SMMU_CMDQ_BASE, b, QBASE_ADDR),
			 UINT64_C(0x00ffffffffffffe0));
	assert_int_equal(smmu_reg_field(SMMU_CMDQ_BASE, b, QBASE_LOG2SIZE), 0x13);
	assert_int_equal(smmu_reg_field(SMMU_CMDQ_CONS, 1u << 24, QIDX_ERR), 1);
	assert_int_equal(smmu_reg_field(SMMU_EVENTQ_PROD, UINT32_C(1) << 31, QIDX_FLAG), 1);
}

static void names_and_aliases(void **state)
{
	(void)state;
	enum smmu_reg r;
	assert_int_equal(smmu_reg_lookup("SMMU_STRTAB_BASE", &r), 0);
	assert_int_equal(r, SMMU_STRTAB_BASE);
	assert_int_equal(smmu_reg_lookup("strtab_base_cfg", &r), 0);
	assert_int_equal(r, SMMU_STRTAB_BASE_CFG);
	assert_int_equal(smmu_reg_lookup("EVTQ_PROD", &r), 0);
	assert_int_equal(r, SMMU_EVENTQ_PROD);
	assert_int_equal(smmu_reg_lookup("SMMU_EVTQ_BASE", &r), 0);
	assert_int_equal(r, SMMU_EVENTQ_BASE);
	assert_int_equal(smmu_reg_lookup("IDR6", &r), -1);
	assert_int_equal(smmu_reg_lookup("SMMU_", &r), -1);
	assert_int_equal(smmu_reg_lookup("", &r), -1);
	assert_string_equal(smmu_reg_suggest("STRTAB_BAS"), "STRTAB_BASE");
	assert_string_equal(smmu_reg_suggest("SMMU_CMDQ_PRDO"), "CMDQ_PROD");
	assert_null(smmu_reg_suggest("FOO"));
}

static int parse(struct smmu_regs *r, const char *text, size_t len, uint64_t *errs,
		 uint64_t *warns)
{
	struct pt_diag_sink d;
	memset(r, 0, sizeof *r);
	pt_diag_init(&d, "regs", NULL);
	int rc = smmu_regs_parse(r, text, len, &d);
	*errs = d.counts[PT_SEV_ERROR];
	*warns = d.counts[PT_SEV_WARNING];
	pt_diag_free(&d);
	return rc;
}

static void lines_of_every_form(void **state)
{
	(void)state;
	static const char text[] = "# from QEMU's monitor\n"
				   "SMMU_IDR0=0xd40101a\n"
				   "IDR1 0x2730010   # trailing comment\n"
				   "  idr5 = 0x74\n"
				   "STRTAB_BASE: 0x40000000483d9000\n"
				   "\n"
				   "STRTAB_BASE_CFG\t0x10210";
	struct smmu_regs r;
	uint64_t e, w;
	assert_int_equal(parse(&r, text, sizeof text - 1, &e, &w), 0);
	assert_int_equal(e + w, 0);
	assert_true(smmu_regs_have(&r, SMMU_IDR0) && smmu_regs_have(&r, SMMU_IDR1));
	assert_false(smmu_regs_have(&r, SMMU_IDR3));
	assert_int_equal(r.value[SMMU_IDR5], 0x74);
	/* RA (bit 62) is an allocation hint, not part of the address. */
	assert_int_equal(r.value[SMMU_STRTAB_BASE], 0x483d9000);
	assert_int_equal(r.value[SMMU_STRTAB_BASE_CFG], 0x10210);
}

static void json_of_both_forms(void **state)
{
	(void)state;
	static const char text[] = "{\"SMMU_STRTAB_BASE\": \"0x40000000483d9000\", "
				   "\"CMDQ_BASE\": {\"value\": \"0x4000000041230013\"}, "
				   "\"EVTQ_PROD\": 5, \"NOPE\": 1}";
	struct smmu_regs r;
	uint64_t e, w;
	assert_int_equal(parse(&r, text, sizeof text - 1, &e, &w), 0);
	assert_int_equal(w, 1); /* NOPE */
	assert_int_equal(r.value[SMMU_STRTAB_BASE], 0x483d9000);
	assert_int_equal(r.value[SMMU_CMDQ_BASE], 0x41230013);
	assert_int_equal(r.value[SMMU_EVENTQ_PROD], 5);
	static const char bad[] = "{\"IDR0\": true}";
	assert_int_not_equal(parse(&r, bad, sizeof bad - 1, &e, &w), 0);
	static const char notobj[] = "[1]";
	assert_int_not_equal(parse(&r, notobj, sizeof notobj - 1, &e, &w), 0);
	static const char broken[] = "{\"IDR0\": ";
	assert_int_not_equal(parse(&r, broken, sizeof broken - 1, &e, &w), 0);
}

/* 32-bit registers take values up to 0xffffffff; 64-bit ones any. */
static void value_width_boundary(void **state)
{
	(void)state;
	struct smmu_regs r;
	uint64_t e, w;
	static const char ok[] = "IDR0=0xffffffff\nCMDQ_BASE=0xffffffffffffffff\n";
	assert_int_equal(parse(&r, ok, sizeof ok - 1, &e, &w), 0);
	assert_int_equal(r.value[SMMU_IDR0], 0xffffffff);
	/* bit 62 (RA) masked */
	assert_int_equal(r.value[SMMU_CMDQ_BASE], UINT64_C(0xbfffffffffffffff));
	static const char wide[] = "IDR0=0x100000000\n";
	assert_int_equal(parse(&r, wide, sizeof wide - 1, &e, &w), 1);
	assert_false(smmu_regs_have(&r, SMMU_IDR0));
	static const char nan[] = "IDR0=0x12g\n";
	assert_int_equal(parse(&r, nan, sizeof nan - 1, &e, &w), 1);
}

static void syntax_unknown_duplicate(void **state)
{
	(void)state;
	struct smmu_regs r;
	uint64_t e, w;
	static const char three[] = "IDR0 = 1 2\n";
	assert_int_equal(parse(&r, three, sizeof three - 1, &e, &w), 1);
	static const char noval[] = "IDR0=\n";
	assert_int_equal(parse(&r, noval, sizeof noval - 1, &e, &w), 1);
	static const char dup[] = "IDR0=1\nidr0=2\nIDR9=3\n";
	assert_int_equal(parse(&r, dup, sizeof dup - 1, &e, &w), 0);
	assert_int_equal(w, 2);
	assert_int_equal(r.value[SMMU_IDR0], 2);
	static const char nul[] = "IDR0=1\0\n";
	assert_int_equal(parse(&r, nul, sizeof nul - 1, &e, &w), 1);
}

/* Lines up to 255 bytes, files up to 64 KiB (SMMU_REGS_MAX_*). */
static void size_boundaries(void **state)
{
	(void)state;
	struct smmu_regs r;
	uint64_t e, w;
	char line[SMMU_REGS_MAX_LINE + 2];
	memset(line, ' ', sizeof line);
	memcpy(line, "IDR0=1", 6);
	line[SMMU_REGS_MAX_LINE - 1] = '\n'; /* 255 bytes and a newline */
	assert_int_equal(parse(&r, line, SMMU_REGS_MAX_LINE, &e, &w), 0);
	assert_true(smmu_regs_have(&r, SMMU_IDR0));
	line[SMMU_REGS_MAX_LINE - 1] = ' ';
	line[SMMU_REGS_MAX_LINE] = '\n'; /* 256 bytes */
	assert_int_equal(parse(&r, line, SMMU_REGS_MAX_LINE + 1, &e, &w), 1);

	char *big = malloc(SMMU_REGS_MAX_FILE + 1);
	assert_non_null(big);
	memset(big, '\n', SMMU_REGS_MAX_FILE + 1);
	memcpy(big, "IDR1=2", 6);
	assert_int_equal(parse(&r, big, SMMU_REGS_MAX_FILE, &e, &w), 0);
	assert_int_equal(r.value[SMMU_IDR1], 2);
	assert_int_equal(parse(&r, big, SMMU_REGS_MAX_FILE + 1, &e, &w), 1);
	free(big);
}

/* The ID registers QEMU 7.2 reported in testdata/dumps/expected.json. */
static void caps_from_qemu_registers(void **state)
{
	(void)state;
	struct smmu_caps c;
	smmu_caps_default(&c);
	smmu_caps_apply_reg(&c, SMMU_IDR0, 0x0d40101a);
	smmu_caps_apply_reg(&c, SMMU_IDR1, 0x02730010);
	smmu_caps_apply_reg(&c, SMMU_IDR3, 0x1404);
	smmu_caps_apply_reg(&c, SMMU_IDR5, 0x74);
	assert_int_equal(c.s1p, 1);
	assert_int_equal(c.s2p, 0);
	assert_int_equal(c.ttf, 2);
	assert_int_equal(c.hyp, 0);
	assert_int_equal(c.ats, 0);
	assert_int_equal(c.asid16, 1);
	assert_int_equal(c.vmid16, 0); /* stage 1 only: no VMIDs at all */
	assert_int_equal(c.cd2l, 0);
	assert_int_equal(c.ttendian, 2);
	assert_int_equal(c.stall_model, 1);
	assert_int_equal(c.term_model, 1);
	assert_int_equal(c.sid_bits, 16);
	assert_int_equal(c.ssid_bits, 0);
	assert_int_equal(c.attr_types_ovr, 0);
	assert_int_equal(c.had, 1);
	assert_int_equal(c.ril, 1);
	assert_int_equal(c.oas_bits, 44);
	assert_true(c.gran4k && c.gran16k && c.gran64k);
	/* The qemu profile is exactly those registers. */
	char err[128];
	struct smmu_caps *q = smmu_caps_parse("qemu", err, sizeof err);
	assert_non_null(q);
	c.profile = q->profile;
	c.qemu = q->qemu;
	assert_memory_equal(&c, q, sizeof c);
	smmu_caps_free(q);
}

/* Reserved SIDSIZE/SSIDSIZE values are clamped to the architecture's range:
 * 20 SSID bits and 32 SID bits are the largest (IHI 0070 §6.3.2). */
static void idr1_ranges(void **state)
{
	(void)state;
	struct smmu_caps c;
	smmu_caps_default(&c);
	smmu_caps_apply_reg(&c, SMMU_IDR1, 20u << 6 | 32u);
	assert_int_equal(c.ssid_bits, 20);
	assert_int_equal(c.sid_bits, 32);
	smmu_caps_apply_reg(&c, SMMU_IDR1, 21u << 6 | 33u);
	assert_int_equal(c.ssid_bits, 20);
	assert_int_equal(c.sid_bits, 32);
	smmu_caps_apply_reg(&c, SMMU_IDR5, 6);
	assert_int_equal(c.oas_bits, 52);
	smmu_caps_apply_reg(&c, SMMU_IDR5, 7);
	assert_int_equal(c.oas_bits, 56);
}

static void caps_keys_take_registers(void **state)
{
	(void)state;
	char err[160];
	struct smmu_caps *c = smmu_caps_parse("generic,idr0=0x0d40101a,idr1=0x02730010", err,
					      sizeof err);
	assert_non_null(c);
	assert_int_equal(c->hyp, 0);
	assert_int_equal(c->ssid_bits, 0);
	assert_int_equal(c->oas_bits, 48); /* idr5 not given: generic's */
	smmu_caps_free(c);
	c = smmu_caps_parse("idr0=0xffffffff", err, sizeof err);
	assert_non_null(c);
	smmu_caps_free(c);
	assert_null(smmu_caps_parse("idr0=0x100000000", err, sizeof err));
	assert_null(smmu_caps_parse("idr2=1", err, sizeof err));
	c = smmu_caps_parse("qemu=9.1", err, sizeof err);
	assert_non_null(c);
	assert_int_equal(c->qemu, 901);
	smmu_caps_free(c);
	assert_null(smmu_caps_parse("qemu=9", err, sizeof err));
	assert_null(smmu_caps_parse("qemu=1.0", err, sizeof err));
}

static void caps_spec_round_trip(void **state)
{
	(void)state;
	struct smmu_regs r;
	memset(&r, 0, sizeof r);
	smmu_regs_set(&r, SMMU_IDR0, 0x0d40101a);
	smmu_regs_set(&r, SMMU_IDR5, 0x74);
	smmu_regs_set(&r, SMMU_STRTAB_BASE, 0x1000);
	char buf[128];
	size_t n = smmu_regs_caps_spec(&r, buf, sizeof buf);
	assert_string_equal(buf, "idr0=0xd40101a,idr5=0x74");
	assert_int_equal(n, strlen(buf));
	/* Too small a buffer gives nothing rather than some of the registers. */
	assert_int_equal(smmu_regs_caps_spec(&r, buf, 20), 0);
	assert_string_equal(buf, "");
}

/* LOG2SIZE is capped by IDR1's queue size; without IDR1 by 19. */
static void queue_geometry(void **state)
{
	(void)state;
	struct smmu_regs r;
	struct smmu_queue_regs q;
	memset(&r, 0, sizeof r);
	assert_int_equal(smmu_regs_queue(&r, SMMU_CMDQ, &q), -1);
	smmu_regs_set(&r, SMMU_CMDQ_BASE, UINT64_C(0x4000000041230000) | 19);
	smmu_regs_set(&r, SMMU_CMDQ_PROD, 0x80005);
	smmu_regs_set(&r, SMMU_CMDQ_CONS, 0x00003);
	assert_int_equal(smmu_regs_queue(&r, SMMU_CMDQ, &q), 0);
	assert_int_equal(q.base, 0x41230000);
	assert_int_equal(q.log2size, 19);
	assert_int_equal(q.entry_bytes, 16);
	assert_int_equal(smmu_queue_index(q.prod, q.log2size), 5);
	assert_int_equal(smmu_queue_wrap(q.prod, q.log2size), 1);
	assert_int_equal(smmu_queue_wrap(q.cons, q.log2size), 0);
	smmu_regs_set(&r, SMMU_CMDQ_BASE, 0x41230000 | 20);
	assert_int_equal(smmu_regs_queue(&r, SMMU_CMDQ, &q), 0);
	assert_int_equal(q.log2size, 19);
	/* CMDQS = 8: a LOG2SIZE of 8 stays, 9 is capped. */
	smmu_regs_set(&r, SMMU_IDR1, 8u << 21);
	smmu_regs_set(&r, SMMU_CMDQ_BASE, 0x41230000 | 8);
	smmu_regs_queue(&r, SMMU_CMDQ, &q);
	assert_int_equal(q.log2size, 8);
	smmu_regs_set(&r, SMMU_CMDQ_BASE, 0x41230000 | 9);
	smmu_regs_queue(&r, SMMU_CMDQ, &q);
	assert_int_equal(q.log2size, 8);
	assert_int_equal(q.max_log2size, 8);
	smmu_regs_set(&r, SMMU_EVENTQ_BASE, 0x41240000 | 3);
	assert_int_equal(smmu_regs_queue(&r, SMMU_EVENTQ, &q), 0);
	assert_int_equal(q.entry_bytes, 32);
	assert_int_equal(q.max_log2size, 0); /* IDR1.EVENTQS = 0 */
	assert_int_equal(q.log2size, 0);
}

int main(void)
{
	pt_formats_init();
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(fields_do_not_overlap),
		cmocka_unit_test(fields_on_spec_bits),
		cmocka_unit_test(names_and_aliases),
		cmocka_unit_test(lines_of_every_form),
		cmocka_unit_test(json_of_both_forms),
		cmocka_unit_test(value_width_boundary),
		cmocka_unit_test(syntax_unknown_duplicate),
		cmocka_unit_test(size_boundaries),
		cmocka_unit_test(caps_from_qemu_registers),
		cmocka_unit_test(idr1_ranges),
		cmocka_unit_test(caps_keys_take_registers),
		cmocka_unit_test(caps_spec_round_trip),
		cmocka_unit_test(queue_geometry),
	};
	return cmocka_run_group_tests_name("regs", tests, NULL, NULL);
}

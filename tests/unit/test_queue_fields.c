/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command, event and PRI field tables: every opcode and event id the
 * architecture defines has a layout that tiles its entry exactly, Reserved
 * values have none, and operand positions agree with how Linux and QEMU
 * build the same commands (shift-and-mask arithmetic written out here, not
 * read from the tables under test). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "smmuv3_queue.h"

static uint64_t get(const struct pt_struct *st, const uint8_t *raw, const char *name)
{
	uint64_t v = UINT64_MAX;
	assert_int_equal(smmu_entry_field(st, raw, name, &v), 0);
	return v;
}

/* Every bit of the entry belongs to exactly one field. */
static void assert_tiles(const struct pt_struct *st)
{
	uint8_t seen[SMMU_EVT_SIZE * 8] = { 0 };
	unsigned total = 0;
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		unsigned first = f->word * 64u + f->lsb;
		assert_true(f->lsb + f->width <= 64);
		assert_true(first + f->width <= st->size * 8u);
		assert_ptr_equal(pt_struct_field(st, f->name), f);
		for (unsigned b = first; b < first + f->width; b++) {
			if (seen[b])
				fail_msg("%s.%s: bit %u twice", st->name, f->name, b);
			seen[b] = 1;
			total++;
		}
	}
	if (total != st->size * 8u)
		fail_msg("%s: %u of %u bits described", st->name, total, st->size * 8u);
}

static const unsigned defined_opcodes[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x18, 0x1a, 0x20,
	0x21, 0x22, 0x23, 0x28, 0x2a, 0x30, 0x40, 0x41, 0x44, 0x45, 0x46, 0x50, 0x51, 0x52,
	0x53, 0x58, 0x5a, 0x60, 0x70, 0x73, 0x80, 0x8f,
};

static void every_opcode_has_a_layout_and_reserved_ones_none(void **state)
{
	(void)state;
	unsigned ndefined = 0;
	for (unsigned op = 0; op < 256; op++) {
		const struct pt_struct *st = smmu_cmd_struct(op);
		int defined = 0;
		for (size_t i = 0; i < sizeof defined_opcodes / sizeof defined_opcodes[0]; i++)
			defined |= defined_opcodes[i] == op;
		defined |= op >= 0x80 && op <= 0x8f;
		if (!defined) {
			assert_null(st);
			assert_null(smmu_cmd_name(op));
			continue;
		}
		assert_non_null(st);
		ndefined++;
		assert_int_equal(st->size, SMMU_CMD_SIZE);
		assert_tiles(st);
		uint8_t raw[SMMU_CMD_SIZE] = { 0 };
		raw[0] = (uint8_t)op;
		assert_int_equal(get(st, raw, "opcode"), op);
	}
	assert_int_equal(ndefined, 34 + 16);
	assert_tiles(smmu_cmd_family.unknown);
	assert_string_equal(smmu_cmd_name(0x46), "CMD_SYNC");
	assert_string_equal(smmu_cmd_name(0x03), "CMD_CFGI_STE");
	assert_string_equal(smmu_cmd_name(0x8a), "CMD_IMPDEF");
	assert_null(smmu_cmd_name(0x00));
	assert_null(smmu_cmd_name(0x7f));
	assert_null(smmu_cmd_name(0x90));
}

static void every_event_id_has_a_layout(void **state)
{
	(void)state;
	static const unsigned ids[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
					0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x20, 0x21, 0x24,
					0x25 };
	unsigned n = 0;
	for (unsigned id = 0; id < 256; id++) {
		const struct pt_struct *st = smmu_evt_struct(id);
		int defined = id >= 0xe0 && id <= 0xef;
		for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
			defined |= ids[i] == id;
		if (!defined) {
			assert_null(st);
			continue;
		}
		assert_non_null(st);
		n++;
		assert_int_equal(st->size, SMMU_EVT_SIZE);
		assert_tiles(st);
	}
	assert_int_equal(n, 19 + 16);
	assert_tiles(smmu_evt_family.unknown);
	assert_tiles(&smmu_priq_struct);
	unsigned id = 0;
	assert_int_equal(smmu_evt_parse_name("F_TRANSLATION", &id), 0);
	assert_int_equal(id, 0x10);
	assert_int_equal(smmu_evt_parse_name("evt_c_bad_ste", &id), 0);
	assert_int_equal(id, 0x04);
	assert_int_equal(smmu_evt_parse_name("F_NOPE", &id), -1);
	assert_int_equal(smmu_evt_parse_name("IMPDEF_EVENT", &id), -1);
}

static void put(uint8_t *raw, unsigned word, uint64_t v)
{
	pt_put_le64(raw, word, v);
}

/* Linux arm_smmu_cmdq_build_cmd: TLBI_NH_VA with a range. */
static void tlbi_nh_va_operands_sit_where_linux_puts_them(void **state)
{
	(void)state;
	uint8_t raw[SMMU_CMD_SIZE];
	put(raw, 0, 0x12 | (UINT64_C(3) << 12) | (UINT64_C(5) << 20) | (UINT64_C(0x42) << 32) |
			    (UINT64_C(0xbeef) << 48));
	put(raw, 1, 1 | (UINT64_C(2) << 8) | (UINT64_C(1) << 10) | UINT64_C(0xffff000012345000));
	const struct pt_struct *st = smmu_cmd_struct(0x12);
	assert_int_equal(get(st, raw, "num"), 3);
	assert_int_equal(get(st, raw, "scale"), 5);
	assert_int_equal(get(st, raw, "vmid"), 0x42);
	assert_int_equal(get(st, raw, "asid"), 0xbeef);
	assert_int_equal(get(st, raw, "leaf"), 1);
	assert_int_equal(get(st, raw, "ttl"), 2);
	assert_int_equal(get(st, raw, "tg"), 1);
	assert_int_equal(get(st, raw, "address"), UINT64_C(0xffff000012345000));
	/* S2_IPA: the address stops at bit 55; bits above are RES0. */
	raw[0] = 0x2a;
	st = smmu_cmd_struct(0x2a);
	assert_int_equal(get(st, raw, "address"), UINT64_C(0x00ff000012345000));
	assert_int_equal(get(st, raw, "res0_127_120"), 0xff);
	assert_int_equal(get(st, raw, "res0_63_48"), 0xbeef);
}

/* Linux CMD_SYNC with MSI polling: CS=IRQ, MSH=ISH, MSIAttr=OIWB, MSIAddr. */
static void sync_and_cfgi_and_resume(void **state)
{
	(void)state;
	uint8_t raw[SMMU_CMD_SIZE];
	put(raw, 0, 0x46 | (UINT64_C(1) << 12) | (UINT64_C(3) << 22) | (UINT64_C(0xf) << 24) |
			    (UINT64_C(0x1234) << 32));
	put(raw, 1, UINT64_C(0x40001230));
	const struct pt_struct *st = smmu_cmd_struct(0x46);
	assert_int_equal(get(st, raw, "cs"), 1);
	assert_int_equal(get(st, raw, "msh"), 3);
	assert_int_equal(get(st, raw, "msiattr"), 0xf);
	assert_int_equal(get(st, raw, "msidata"), 0x1234);
	assert_int_equal(get(st, raw, "msiaddr"), 0x40001230);
	/* CFGI_CD: SSID at 31:12, SID at 63:32, Leaf d1 bit 0. */
	put(raw, 0, 0x05 | (UINT64_C(0x1f) << 12) | (UINT64_C(8) << 32));
	put(raw, 1, 1);
	st = smmu_cmd_struct(0x05);
	assert_int_equal(get(st, raw, "ssid"), 0x1f);
	assert_int_equal(get(st, raw, "sid"), 8);
	assert_int_equal(get(st, raw, "leaf"), 1);
	/* CFGI_STE_RANGE 31 is CFGI_ALL. */
	put(raw, 0, 0x04);
	put(raw, 1, 31);
	assert_int_equal(get(smmu_cmd_struct(0x04), raw, "range"), 31);
	/* RESUME: Ac/Ab at 12/13 (Linux RESP RETRY=1, ABORT=2), STAG d1[15:0]. */
	put(raw, 0, 0x44 | (UINT64_C(2) << 12) | (UINT64_C(9) << 32));
	put(raw, 1, 0xabcd);
	st = smmu_cmd_struct(0x44);
	assert_int_equal(get(st, raw, "ab"), 1);
	assert_int_equal(get(st, raw, "ac"), 0);
	assert_int_equal(get(st, raw, "stag"), 0xabcd);
	/* PRI_RESP: Resp at d1[13:12]. */
	put(raw, 0, 0x41 | (UINT64_C(1) << 11) | (UINT64_C(3) << 12) | (UINT64_C(7) << 32));
	put(raw, 1, 0x1ff | (UINT64_C(2) << 12));
	st = smmu_cmd_struct(0x41);
	assert_int_equal(get(st, raw, "prgindex"), 0x1ff);
	assert_int_equal(get(st, raw, "resp"), 2);
	assert_int_equal(get(st, raw, "ssv"), 1);
	assert_int_equal(get(st, raw, "ssid"), 3);
}

/* Linux EVTQ_* and QEMU EVT_SET_*: an S2 F_TRANSLATION, an F_PERMISSION,
 * a fetch abort and a PRI entry. */
static void event_and_pri_fields(void **state)
{
	(void)state;
	uint8_t raw[SMMU_EVT_SIZE];
	put(raw, 0, 0x10 | (UINT64_C(1) << 11) | (UINT64_C(0x5) << 12) | (UINT64_C(8) << 32));
	put(raw, 1, 0x77 | (UINT64_C(1) << 31) | (UINT64_C(1) << 35) | (UINT64_C(1) << 39) |
			    (UINT64_C(2) << 40) | (UINT64_C(1) << 44));
	put(raw, 2, UINT64_C(0xdead000));
	put(raw, 3, UINT64_C(0x80004000));
	const struct pt_struct *st = smmu_evt_struct(0x10);
	assert_int_equal(get(st, raw, "sid"), 8);
	assert_int_equal(get(st, raw, "ssid"), 5);
	assert_int_equal(get(st, raw, "ssv"), 1);
	assert_int_equal(get(st, raw, "stag"), 0x77);
	assert_int_equal(get(st, raw, "stall"), 1);
	assert_int_equal(get(st, raw, "rnw"), 1);
	assert_int_equal(get(st, raw, "s2"), 1);
	assert_int_equal(get(st, raw, "class"), 2);
	assert_int_equal(get(st, raw, "address"), 0xdead000);
	assert_int_equal(get(st, raw, "ipa"), 0x80004000);
	assert_int_equal(get(st, raw, "res0_127_106"), 1u << 2);
	assert_int_equal(get(smmu_evt_struct(0x13), raw, "ttrnw"), 1);
	raw[0] = 0x09;
	put(raw, 3, UINT64_C(0x4000a8));
	assert_int_equal(get(smmu_evt_struct(0x09), raw, "fetch_addr"), 0x4000a8);
	uint8_t pri[SMMU_PRIQ_SIZE];
	put(pri, 0, 0x10 | (UINT64_C(3) << 32) | (UINT64_C(1) << 60) | (UINT64_C(1) << 62) |
			    (UINT64_C(1) << 63));
	put(pri, 1, 0x5 | UINT64_C(0x7f000));
	assert_int_equal(get(&smmu_priq_struct, pri, "sid"), 0x10);
	assert_int_equal(get(&smmu_priq_struct, pri, "ssid"), 3);
	assert_int_equal(get(&smmu_priq_struct, pri, "read"), 1);
	assert_int_equal(get(&smmu_priq_struct, pri, "write"), 0);
	assert_int_equal(get(&smmu_priq_struct, pri, "last"), 1);
	assert_int_equal(get(&smmu_priq_struct, pri, "prgindex"), 5);
	assert_int_equal(get(&smmu_priq_struct, pri, "address"), 0x7f000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_opcode_has_a_layout_and_reserved_ones_none),
		cmocka_unit_test(every_event_id_has_a_layout),
		cmocka_unit_test(tlbi_nh_va_operands_sit_where_linux_puts_them),
		cmocka_unit_test(sync_and_cfgi_and_resume),
		cmocka_unit_test(event_and_pri_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

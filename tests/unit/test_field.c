/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Field extraction and insertion over little-endian structures, and the
 * CD and L1CD field tables themselves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "enum_rows.h"
#include "field.h"
#include "smmuv3.h"

static const struct pt_field cross = { "x", "X", 0, 60, 8, PT_FK_UINT, 0, NULL, 0, "", 0 };
static const struct pt_field addr = { "a", "A", 1, 4, 52, PT_FK_ADDR, 4, NULL, 0, "", 0 };
static const struct pt_field full = { "f", "F", 2, 0, 64, PT_FK_UINT, 0, NULL, 0, "", 0 };

static void extracts_bits_across_words(void **state)
{
	(void)state;
	uint8_t buf[24] = { 0 };
	pt_put_le64(buf, 0, UINT64_C(0xa000000000000000));
	pt_put_le64(buf, 1, UINT64_C(0x5));
	assert_int_equal(pt_field_bits(buf, &cross), 0x5a);
	assert_int_equal(pt_field_set(buf, &cross, 0xc3), 0);
	assert_int_equal(pt_le64(buf, 0), UINT64_C(0x3000000000000000));
	assert_int_equal(pt_le64(buf, 1), UINT64_C(0xc));
}

static void address_fields_shift_and_refuse_unaligned(void **state)
{
	(void)state;
	uint8_t buf[24] = { 0 };
	assert_int_equal(pt_field_set(buf, &addr, UINT64_C(0x80001230)), 0);
	assert_int_equal(pt_field_get(buf, &addr), UINT64_C(0x80001230));
	assert_int_equal(pt_le64(buf, 1), UINT64_C(0x80001230));
	assert_int_equal(pt_field_set(buf, &addr, UINT64_C(0x80001238)), -1);
	assert_int_equal(pt_field_set(buf, &addr, UINT64_C(1) << 56), -1);
	assert_int_equal(pt_field_get(buf, &addr), UINT64_C(0x80001230));
}

static void full_width_and_limits(void **state)
{
	(void)state;
	uint8_t buf[24] = { 0 };
	assert_int_equal(pt_field_set(buf, &full, UINT64_MAX), 0);
	assert_int_equal(pt_field_get(buf, &full), UINT64_MAX);
	assert_int_equal(pt_field_max(&full), UINT64_MAX);
	assert_int_equal(pt_field_max(&cross), 0xff);
	assert_int_equal(pt_field_set(buf, &cross, 0x100), -1);
}

/* Bit positions from IHI 0070 §5.4 (via the spec notes): spot checks. */
static void cd_table_matches_the_architecture(void **state)
{
	(void)state;
	uint8_t cd[64] = { 0 };
	pt_put_le64(cd, 0, UINT64_C(1) << 31);
	assert_int_equal(smmu_cd(cd, CD_V), 1);
	pt_put_le64(cd, 0, UINT64_C(1) << 41);
	assert_int_equal(smmu_cd(cd, CD_AA64), 1);
	pt_put_le64(cd, 0, UINT64_C(0xbeef) << 48);
	assert_int_equal(smmu_cd(cd, CD_ASID), 0xbeef);
	pt_put_le64(cd, 0, UINT64_C(3) << 22);
	assert_int_equal(smmu_cd(cd, CD_TG1), 3);
	pt_put_le64(cd, 0, 0);
	pt_put_le64(cd, 1, UINT64_C(0x000fffffffffff0));
	assert_int_equal(smmu_cd(cd, CD_TTB0), UINT64_C(0x000fffffffffff0));
	pt_put_le64(cd, 3, UINT64_C(0x00000000f404ff44));
	assert_int_equal(smmu_cd(cd, CD_MAIR0), 0xf404ff44);
	assert_int_equal(smmu_cd(cd, CD_MAIR1), 0);
	uint8_t l1[8] = { 0 };
	pt_put_le64(l1, 0, UINT64_C(0x80001001));
	assert_int_equal(pt_field_get(l1, &smmu_l1cd_fields[L1CD_V]), 1);
	assert_int_equal(pt_field_get(l1, &smmu_l1cd_fields[L1CD_L2PTR]), UINT64_C(0x80001000));
}

/* The CD's fields (RES0 included) tile all 512 bits exactly once, so
 * decode -> encode can give back every bit. */
static void cd_fields_tile_the_structure(void **state)
{
	(void)state;
	const struct pt_struct *sts[] = { &smmu_cd_struct, &smmu_l1cd_struct };
	for (size_t s = 0; s < 2; s++) {
		unsigned char seen[512] = { 0 };
		for (size_t i = 0; i < sts[s]->nfields; i++) {
			const struct pt_field *f = &sts[s]->fields[i];
			unsigned lo = f->word * 64u + f->lsb;
			for (unsigned b = lo; b < lo + f->width; b++) {
				assert_true(b < sts[s]->size * 8);
				assert_int_equal(seen[b], 0);
				seen[b] = 1;
			}
		}
		for (unsigned b = 0; b < sts[s]->size * 8; b++)
			assert_int_equal(seen[b], 1);
	}
}

static void enum_names_both_ways(void **state)
{
	(void)state;
	const struct pt_field *tg0 = &smmu_cd_fields[CD_TG0];
	const struct pt_field *tg1 = &smmu_cd_fields[CD_TG1];
	uint64_t v;
	assert_string_equal(pt_field_enum_name(tg0, 1), "64k");
	assert_string_equal(pt_field_enum_name(tg1, 1), "16k");
	assert_int_equal(pt_field_enum_value(tg1, "64K", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(pt_field_enum_value(tg0, "8k", &v), -1);
	assert_null(pt_field_enum_name(tg0, 4));
	assert_ptr_equal(pt_struct_field(&smmu_cd_struct, "ttb0"), &smmu_cd_fields[CD_TTB0]);
	assert_null(pt_struct_field(&smmu_cd_struct, "ttb2"));
}

/* Every row of every CD enum table against IHI 0070 G.b §5.4 (IPS as
 * ID_AA64MMFR0_EL1.PARange: 0b001 is 36 bits, 0b010 40 bits): a swapped row
 * names the wrong setting in text and JSON alike. */
static void cd_enum_rows(void **state)
{
	(void)state;
	static const struct enum_row rows[] = {
		{ CD_TG0, { "4k", "64k", "16k", "reserved" } },
		{ CD_TG1, { "reserved", "16k", "4k", "64k" } },
		{ CD_IR0, { "nc", "wbwa", "wt", "wb" } },
		{ CD_OR1, { "nc", "wbwa", "wt", "wb" } },
		{ CD_SH0, { "nsh", "reserved", "osh", "ish" } },
		{ CD_IPS, { "32bit", "36bit", "40bit", "42bit", "44bit", "48bit", "52bit",
			    "56bit" } },
	};
	assert_enum_rows(smmu_cd_fields, rows, sizeof rows / sizeof rows[0]);
}

/* A name that is no row of the table: the search stops at the last row
 * (the table is followed by other tables whose names must not match). */
static void enum_value_stops_at_the_last_row(void **state)
{
	(void)state;
	static const char *const two[] = { "a", "b", "c" };
	const struct pt_field f = { "e", "E", 0, 0, 1, PT_FK_ENUM, 0, two, 2, "", 0 };
	uint64_t v = 99;
	assert_int_equal(pt_field_enum_value(&f, "b", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(pt_field_enum_value(&f, "c", &v), -1);
}

/* A name is found from the hint on and round past the last field to the
 * first; the hint then points past it. An unknown name leaves it. */
static void field_from_hint_wraps(void **state)
{
	(void)state;
	const struct pt_struct *st = &smmu_cd_struct;
	size_t last = st->nfields - 1, hint = last;
	assert_ptr_equal(pt_struct_field_next(st, st->fields[last].name, &hint), &st->fields[last]);
	assert_int_equal(hint, st->nfields);
	assert_ptr_equal(pt_struct_field_next(st, st->fields[0].name, &hint), &st->fields[0]);
	assert_int_equal(hint, 1);
	hint = last;
	assert_ptr_equal(pt_struct_field_next(st, st->fields[last - 1].name, &hint),
			 &st->fields[last - 1]);
	assert_int_equal(hint, last);
	hint = st->nfields + 5;
	assert_ptr_equal(pt_struct_field_next(st, st->fields[1].name, &hint), &st->fields[1]);
	assert_int_equal(hint, 2);
	assert_null(pt_struct_field_next(st, "ttb2", &hint));
	assert_int_equal(hint, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(extracts_bits_across_words),
		cmocka_unit_test(address_fields_shift_and_refuse_unaligned),
		cmocka_unit_test(full_width_and_limits),
		cmocka_unit_test(cd_table_matches_the_architecture),
		cmocka_unit_test(cd_fields_tile_the_structure),
		cmocka_unit_test(enum_names_both_ways),
		cmocka_unit_test(cd_enum_rows),
		cmocka_unit_test(enum_value_stops_at_the_last_row),
		cmocka_unit_test(field_from_hint_wraps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

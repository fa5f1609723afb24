/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every row of a field's enum table against the specification's names,
 * both ways (value -> name -> value), and nothing named past the field's
 * widest value: a row swapped with its neighbour names the wrong setting in
 * text and JSON alike. Include after <cmocka.h>. */
#ifndef PT_ENUM_ROWS_H
#define PT_ENUM_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "field.h"

struct enum_row {
	int field;             /* index into the structure's field table */
	const char *names[8];  /* for each value the field can hold */
};

static void assert_enum_rows(const struct pt_field *fields, const struct enum_row *rows,
			     size_t nrows)
{
	for (size_t r = 0; r < nrows; r++) {
		const struct pt_field *f = &fields[rows[r].field];
		uint64_t n = pt_field_max(f) + 1;
		for (uint64_t v = 0; v < n; v++) {
			uint64_t back;
			assert_string_equal(pt_field_enum_name(f, v), rows[r].names[v]);
			assert_int_equal(pt_field_enum_value(f, rows[r].names[v], &back), 0);
			assert_int_equal(back, v);
		}
		assert_null(pt_field_enum_name(f, n));
	}
}

#endif

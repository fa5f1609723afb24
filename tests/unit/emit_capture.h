/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What pt_emit_struct_item prints for one structure, captured in memory
 * (with the separator it starts with), for the emitter and reader tests.
 * Include after cmocka.h. */
#ifndef PT_TEST_EMIT_CAPTURE_H
#define PT_TEST_EMIT_CAPTURE_H

#include <stdint.h>
#include <stdio.h>

#include "emit.h"

static char *emit_capture(int json, const char *idkey, uint64_t id, uint64_t addr,
			  const struct pt_struct *st, const uint8_t *raw)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	struct pt_emit e = { 0 };
	e.out = f;
	e.json = json;
	e.first_item = 1;
	pt_emit_struct_item(&e, idkey, id, addr, st, raw, 1);
	assert_int_equal(fclose(f), 0);
	return buf;
}

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>

#include "emit_line.h"

static int operand(char *out, size_t len, const char *sep, const struct pt_field *f, uint64_t v)
{
	unsigned long long u = (unsigned long long)v;
	const char *name = f->kind == PT_FK_ENUM ? pt_field_enum_name(f, v) : NULL;
	if (f->kind == PT_FK_BOOL && v == 1)
		return snprintf(out, len, "%s%s", sep, f->name);
	if (name)
		return snprintf(out, len, "%s%s=%s", sep, f->name, name);
	if (f->kind == PT_FK_ADDR || f->kind == PT_FK_RES0 || (f->flags & PT_FF_HEX))
		return snprintf(out, len, "%s%s=0x%llx", sep, f->name, u);
	return snprintf(out, len, "%s%s=%llu", sep, f->name, u);
}

void pt_struct_operands(char *buf, size_t len, const struct pt_struct *st, const uint8_t *raw,
			const struct pt_field *skip)
{
	if (!len)
		return;
	buf[0] = 0;
	size_t at = 0;
	for (size_t i = 0; i < st->nfields && at < len; i++) {
		const struct pt_field *f = &st->fields[i];
		if (f == skip || (skip && strcmp(f->name, skip->name) == 0))
			continue;
		uint64_t v = pt_field_get(raw, f);
		if (!v && !(f->flags & PT_FF_SHOW_ZERO))
			continue;
		int n = operand(buf + at, len - at, at ? " " : "", f, v);
		at = n < 0 ? len : at + (size_t)n;
	}
	if (at >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
}

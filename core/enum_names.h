/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "names" member of an entry's JSON: the field tables' name for the
 * value of each enum field, next to the numbers in "fields". It is a view
 * of the numbers, never a second way to set them: build checks that it
 * agrees with what "raw" and "fields" built (docs/json.md, "Enum names"). */
#ifndef PT_ENUM_NAMES_H
#define PT_ENUM_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "field.h"

/* Whether the structure has an enum field: only then does its JSON carry
 * "names". */
int pt_struct_has_enums(const struct pt_struct *st);

/* {"tg0": "4k", ...}: every enum field whose value has a name, in table
 * order; NULL when the structure has no enum field. */
json_t *pt_struct_names_json(const struct pt_struct *st, const uint8_t *raw);

/* Set "fields" and, for a structure with enum fields, "names" in obj: the
 * one way every JSON producer writes a decoded structure. */
void pt_struct_json_set(json_t *obj, const struct pt_struct *st, const uint8_t *raw);

/* Check a "names" object against the built bytes: 0, or -1 with err set
 * when it is not an object, names a field the structure lacks or one that
 * is not an enum (with a suggestion), a name the field does not have, or a
 * name whose value is not the field's. */
int pt_struct_names_check(const struct pt_struct *st, const json_t *names, const uint8_t *raw,
			  char *err, size_t errlen);

#endif

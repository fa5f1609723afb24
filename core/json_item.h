/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fast reader of one table item's JSON text ({"ssid": 3, "address":
 * ..., "raw": [...], "fields": {...}, "names": {...}}), for the entries
 * arrays `build`
 * streams. It reads only a plain subset (ASCII strings without escapes,
 * non-negative integers, keys in no other roles) and says so when the text
 * is anything else: the caller then hands the text to jansson and
 * pt_struct_from_json, which are the definition. Where the fast reader
 * answers, its answer is theirs (the buildjson fuzz harness checks it). */
#ifndef PT_JSON_ITEM_H
#define PT_JSON_ITEM_H

#include <stddef.h>
#include <stdint.h>

#include "emit.h"
#include "field.h"
#include "table.h"

/* Fields one item may set in the fast reader (more: the slow path). */
#define PT_ITEM_MAX_FIELDS 256u

struct pt_item_plan;

struct pt_item_text {
	uint64_t index;          /* the value of the index key */
	uint64_t address;        /* the value of "address", when has_address */
	int has_address;
	int has_raw;
	uint64_t words[PT_MAX_ENTRY_SIZE / 8];
	size_t nset;             /* fields given, in the text's order */
	struct { const struct pt_field *f; uint64_t v; } set[PT_ITEM_MAX_FIELDS];
	size_t hint;             /* where the next field name is looked for first */
	const struct pt_item_plan *plan;  /* the reader's, for the structure read */
	char expect[PT_EMIT_MEMBERS_MAX]; /* what decode prints after "raw" */
	size_t nnames;           /* "names" given: the value each name stands for */
	struct { const struct pt_field *f; uint64_t v; } names[PT_ITEM_MAX_FIELDS];
};

/* Read the item at the start of text[0..len) (its end may be followed by
 * anything). Returns the bytes it took, or 0 when the text is outside the
 * plain subset, or lacks idkey, or is cut short. */
size_t pt_item_text_read(const struct pt_struct *st, const char *idkey, const char *text,
			 size_t len, struct pt_item_text *it);

/* The item's bytes: start must hold what the item starts from ("raw" when
 * it has one replaces them all); then its fields in order. 0, or -1 when a
 * value does not fit its field or a "names" entry disagrees with the bytes
 * (the slow path words the error). */
int pt_item_text_apply(const struct pt_struct *st, const struct pt_item_text *it,
		       uint8_t *raw);

#endif

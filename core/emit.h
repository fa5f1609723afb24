/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Output of decoded structures: human text and streamed JSON, both driven by
 * the field tables. One emitter object carries the choice so the walkers
 * never print by themselves. */
#ifndef PT_EMIT_H
#define PT_EMIT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "diag.h"
#include "field.h"
#include "table.h"

struct pt_emit {
	FILE *out;
	int json;
	int color;
	int all;            /* include invalid entries */
	int quiet;
	/* JSON streaming state. */
	int first_table, first_item;
	int in_table;
	int table_has_members;
};

/* Hex string "0x..." of a 64-bit value, as JSON. */
json_t *pt_json_hex(uint64_t v);
/* Parse a JSON number or "0x..." / decimal string into v. 0 on success. */
int pt_json_u64(const json_t *j, uint64_t *v);
/* Parse "0x..."/decimal text ("010" is ten); 0 on success. Rejects
 * trailing garbage, signs and spaces. */
int pt_parse_u64(const char *s, uint64_t *v);

/* Whether a field's JSON value is a hex string (addresses, RES0, values
 * wider than 32 bits) rather than an integer: the one rule both JSON writers
 * (pt_struct_fields_json, pt_emit_struct_item) follow. */
int pt_field_json_hex(const struct pt_field *f);
/* Fields of a structure as a JSON object (RES0 fields only when non-zero). */
json_t *pt_struct_fields_json(const struct pt_struct *st, const uint8_t *raw);
/* Raw words as a JSON array of hex strings. */
json_t *pt_struct_raw_json(const struct pt_struct *st, const uint8_t *raw);
/* Fill raw from {"raw": [...], "fields": {...}}: "raw" replaces every byte,
 * then fields override; without "raw" the caller's bytes (zeros or the
 * format's defaults) are the start. Unknown fields (with a suggestion) and
 * values that do not fit are errors, and so is a "names" object that does
 * not agree with the bytes built (pt_struct_names_check). */
int pt_struct_from_json(const struct pt_struct *st, const json_t *obj, uint8_t *raw,
			char *err, size_t errlen);

/* Description of a structure (fields, bits, kinds, enums) as JSON. */
json_t *pt_struct_desc_json(const struct pt_struct *st);

/* Text: "NAME=value" pairs wrapped at ~96 columns, enum names with their
 * value in brackets. Zero RES0 fields are never shown; in a PT_SF_COMPACT
 * structure no zero field is, unless flagged PT_FF_SHOW_ZERO. */
void pt_struct_print_text(FILE *out, const struct pt_struct *st, const uint8_t *raw,
			  const char *indent, int color);
/* The same appended to lb, for a caller that writes a whole entry at once. */
struct pt_linebuf;
void pt_struct_text(struct pt_linebuf *lb, const struct pt_struct *st, const uint8_t *raw,
		    const char *indent, int color);

/* Envelope: {"schema": ..., "source": ..., "tables": [ ... ], "diagnostics": [...], "summary": {...}} */
void pt_emit_begin(struct pt_emit *e, const char *schema, json_t *source /* stolen */);
void pt_emit_table_begin(struct pt_emit *e, json_t *header /* stolen */);
void pt_emit_array_begin(struct pt_emit *e, const char *key);
void pt_emit_item(struct pt_emit *e, json_t *item /* stolen */);
/* The item {IDKEY: id, "address": ..., "raw": ..., "fields": {...},
 * "names": {...}} ("names" only for a structure with enum fields) of one
 * entry (raw_words: "raw" is the array of its 64-bit words) or directory
 * descriptor (raw_words = 0: "raw" is word 0), byte for byte what
 * pt_emit_item of the jansson object would print, written directly
 * (core/emit_item.c): the per-entry path of decode --json. */
void pt_emit_struct_item(struct pt_emit *e, const char *idkey, uint64_t id, uint64_t addr,
			 const struct pt_struct *st, const uint8_t *raw, int raw_words);
/* What pt_emit_struct_item prints after "raw": ,"fields":{...} and, for a
 * structure with enum fields, ,"names":{...}, into o (cap bytes, at least
 * PT_EMIT_MEMBERS_MAX). Its length, or 0 for a structure whose items take
 * the writer's slow path (a name that needs escaping, too many fields).
 * build compares an item's text with it: the same text says nothing
 * "raw" does not (core/json_item.c). */
#define PT_EMIT_MEMBERS_MAX 16384u
size_t pt_emit_struct_members(const struct pt_struct *st, const uint8_t *raw, char *o,
			      size_t cap);
void pt_emit_array_end(struct pt_emit *e);
void pt_emit_table_end(struct pt_emit *e);
void pt_emit_end(struct pt_emit *e, const struct pt_diag_sink *diags, json_t *summary /* stolen */);

/* A diagnostic as JSON; the "diagnostics" member; counts as a summary object. */
json_t *pt_diag_json(const struct pt_diag *d);
void pt_emit_diagnostics(struct pt_emit *e, const struct pt_diag_sink *diags);
json_t *pt_diag_summary(const struct pt_diag_sink *diags);

#endif

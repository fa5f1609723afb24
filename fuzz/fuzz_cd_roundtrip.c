/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cd_roundtrip: decode -> encode -> decode through the field tables.
 *
 * Input: one byte choosing a structure (the CD, the L1 CD descriptor, and
 * every other structure a format registers: STEs, stream table registers,
 * virtio-iommu requests), then its bytes (zero-padded). Checks:
 *   - every field value read with pt_field_get and written with
 *     pt_field_set, in field-table order, into a zeroed buffer gives back
 *     the input bytes exactly (the table covers every bit, reserved ones
 *     included, and each field reads what it writes);
 *   - pt_struct_fields_json, printed and parsed, then pt_struct_from_json
 *     gives back the bytes; so does pt_struct_raw_json;
 *   - an enum name printed for a value maps back to that value;
 * and once, at start-up, that no two fields of a structure share a bit and
 * every field lies inside its structure. */
#include "fuzz.h"

#define MAX_STRUCTS 256u

static const struct pt_struct *structs[MAX_STRUCTS];
static size_t nstructs;

static void add(const struct pt_struct *st)
{
	if (!st || nstructs >= MAX_STRUCTS)
		return;
	for (size_t i = 0; i < nstructs; i++)
		if (structs[i] == st)
			return;
	structs[nstructs++] = st;
}

/* Static properties of the tables, checked once. */
static void check_table(const struct pt_struct *st)
{
	uint8_t seen[PT_MAX_ENTRY_SIZE * 2];
	FZ_CHECK(st->size > 0 && st->size <= sizeof seen, "%s: size %u", st->name, st->size);
	memset(seen, 0, sizeof seen);
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		unsigned first = f->word * 64u + f->lsb;
		FZ_CHECK(f->width >= 1 && f->width <= 64 && first + f->width <= st->size * 8u,
			 "%s.%s: bits %u..%u outside %u bytes", st->name, f->name, first,
			 first + f->width - 1, st->size);
		FZ_CHECK(f->kind != PT_FK_ADDR || f->shift + f->width <= 64, "%s.%s: shift %u",
			 st->name, f->name, f->shift);
		FZ_CHECK(pt_struct_field(st, f->name) == f, "%s.%s: name used twice", st->name,
			 f->name);
		for (unsigned b = first; b < first + f->width; b++) {
			FZ_CHECK(!(seen[b / 8] & (1u << (b % 8))), "%s.%s: bit %u already belongs "
				 "to another field", st->name, f->name, b);
			seen[b / 8] |= (uint8_t)(1u << (b % 8));
		}
	}
}

static void setup(void)
{
	if (nstructs)
		return;
	fz_init();
	for (size_t i = 0; i < pt_format_count(); i++) {
		add(pt_format_at(i)->entry);
		add(pt_format_at(i)->dir);
	}
	for (size_t i = 0; i < pt_struct_extra_count(); i++)
		add(pt_struct_extra_at(i));
	for (size_t i = 0; i < nstructs; i++)
		check_table(structs[i]);
}

static void from_json_equal(const struct pt_struct *st, json_t *obj, const uint8_t *want,
			    const char *what)
{
	/* Printed and parsed again: what build actually reads is text. */
	char *text = json_dumps(obj, JSON_COMPACT);
	FZ_CHECK(text, "%s: cannot print", st->name);
	json_error_t je;
	json_t *back = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	FZ_CHECK(back, "%s: %s JSON does not parse: %s", st->name, what, je.text);
	uint8_t got[PT_MAX_ENTRY_SIZE * 2];
	char err[256];
	memset(got, 0, sizeof got);
	FZ_CHECK(pt_struct_from_json(st, back, got, err, sizeof err) == 0, "%s: %s: %s",
		 st->name, what, err);
	FZ_CHECK(memcmp(got, want, st->size) == 0, "%s: %s do not give back the bytes: %s",
		 st->name, what, text);
	free(text);
	json_decref(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	if (size < 1 || nstructs == 0)
		return 0;
	const struct pt_struct *st = structs[data[0] % nstructs];
	uint8_t raw[PT_MAX_ENTRY_SIZE * 2], out[PT_MAX_ENTRY_SIZE * 2];
	memset(raw, 0, sizeof raw);
	size_t n = size - 1 < st->size ? size - 1 : st->size;
	memcpy(raw, data + 1, n);

	/* Field values written back in table order. */
	memset(out, 0, sizeof out);
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		uint64_t v = pt_field_get(raw, f);
		FZ_CHECK(v <= pt_field_max(f) << (f->kind == PT_FK_ADDR ? f->shift : 0),
			 "%s.%s: value 0x%llx wider than the field", st->name, f->name,
			 (unsigned long long)v);
		FZ_CHECK(pt_field_set(out, f, v) == 0, "%s.%s: 0x%llx read but cannot be written",
			 st->name, f->name, (unsigned long long)v);
		FZ_CHECK(pt_field_get(out, f) == v, "%s.%s: wrote 0x%llx, read 0x%llx", st->name,
			 f->name, (unsigned long long)v, (unsigned long long)pt_field_get(out, f));
		const char *name = pt_field_enum_name(f, v);
		uint64_t back;
		if (name)
			FZ_CHECK(pt_field_enum_value(f, name, &back) == 0 && back == v,
				 "%s.%s: enum %llu prints as \"%s\", which reads back as %llu",
				 st->name, f->name, (unsigned long long)v, name,
				 (unsigned long long)back);
	}
	FZ_CHECK(memcmp(out, raw, st->size) == 0,
		 "%s: fields written back in table order do not give the input bytes", st->name);

	/* Through JSON, as decode prints and build reads. */
	json_t *obj = json_object();
	json_object_set_new(obj, "fields", pt_struct_fields_json(st, raw));
	from_json_equal(st, obj, raw, "fields");
	json_decref(obj);
	if (st->size % 8 == 0) {
		obj = json_object();
		json_object_set_new(obj, "raw", pt_struct_raw_json(st, raw));
		from_json_equal(st, obj, raw, "raw words");
		json_decref(obj);
	}
	pt_struct_print_text(fz_null(), st, raw, "  ", (data[0] & 0x80) != 0);
	if (data[0] & 0x40) { /* `formats --json`: the table itself */
		json_t *desc = pt_struct_desc_json(st);
		FZ_CHECK(json_array_size(json_object_get(desc, "fields")) == st->nfields,
			 "%s: description lists %zu of %zu fields", st->name,
			 json_array_size(json_object_get(desc, "fields")), st->nfields);
		json_decref(desc);
	}
	return 0;
}

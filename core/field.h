/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hardware structures described as data. A structure is a little-endian byte
 * array; a field is a run of bits inside it, named once here and read by
 * decode, encode, text and JSON output, `pasidtool formats`, docs and fuzz
 * dictionaries alike. */
#ifndef PT_FIELD_H
#define PT_FIELD_H

#include <stddef.h>
#include <stdint.h>

enum pt_field_kind {
	PT_FK_UINT,   /* plain number */
	PT_FK_BOOL,   /* one bit flag */
	PT_FK_ENUM,   /* number with names in `enums` */
	PT_FK_ADDR,   /* address bits: value = bits << shift */
	PT_FK_RES0,   /* reserved, should be zero; kept for exact round trips */
};

struct pt_field {
	const char *name;      /* JSON key, lower case: "t0sz", "ttb0" */
	const char *label;     /* architecture spelling: "T0SZ", "TTB0" */
	uint16_t word;         /* index of the 64-bit little-endian word */
	uint8_t lsb;           /* lowest bit inside that word (may run into the next) */
	uint8_t width;         /* 1..64 bits */
	uint8_t kind;          /* enum pt_field_kind */
	uint8_t shift;         /* PT_FK_ADDR: left shift from bits to address */
	const char *const *enums; /* PT_FK_ENUM: names indexed by value, NULL holes */
	uint8_t nenums;
	const char *doc;       /* one line */
	uint8_t flags;         /* PT_FF_* */
};

/* Text output leaves out fields that are zero, except these. */
#define PT_FF_SHOW_ZERO 1u
/* Text output shows the number in hex (ids, attribute words); other
 * numbers read in decimal, addresses and reserved bits always in hex. */
#define PT_FF_HEX 2u

struct pt_struct {
	const char *name;      /* "smmuv3-cd" */
	const char *label;     /* "SMMUv3 Context Descriptor" */
	uint32_t size;         /* bytes */
	const struct pt_field *fields;
	size_t nfields;
	const char *doc;
	uint8_t flags;         /* PT_SF_* */
};

/* Text output of this structure leaves out fields that are zero, except
 * those flagged PT_FF_SHOW_ZERO (for wide structures such as the CD). */
#define PT_SF_COMPACT 1u

/* Raw bits of a field (not shifted). buf must hold the whole structure. */
uint64_t pt_field_bits(const uint8_t *buf, const struct pt_field *f);
/* Value of a field: the bits, shifted into place for addresses. */
uint64_t pt_field_get(const uint8_t *buf, const struct pt_field *f);
/* Store a value; -1 when it does not fit the field (or an address has bits
 * below `shift`), in which case buf is unchanged. */
int pt_field_set(uint8_t *buf, const struct pt_field *f, uint64_t value);
/* The same in a structure of `size` bytes: a field inside one of its whole
 * 64-bit words is set with one load and one store (build's fast path). */
int pt_field_set_sized(uint8_t *buf, size_t size, const struct pt_field *f, uint64_t value);
/* Largest value the field can hold. */
uint64_t pt_field_max(const struct pt_field *f);
/* Enum name for a value, or NULL. */
const char *pt_field_enum_name(const struct pt_field *f, uint64_t value);
/* Value for an enum name (case-insensitive); -1 when unknown. */
int pt_field_enum_value(const struct pt_field *f, const char *name, uint64_t *out);

const struct pt_field *pt_struct_field(const struct pt_struct *s, const char *name);
/* The same, looked for from field *hint on (wrapping round), and *hint set
 * past the field found: names given in table order, as decode prints
 * them, are each found at the first try. */
const struct pt_field *pt_struct_field_next(const struct pt_struct *s, const char *name,
					    size_t *hint);

/* Little-endian 64-bit word i of a structure. */
uint64_t pt_le64(const uint8_t *buf, size_t word);
void pt_put_le64(uint8_t *buf, size_t word, uint64_t v);

/* Hot paths (every entry of a 2^20-entry table) read many fields of one
 * structure: load its words once, then cut fields out of them in registers.
 * pt_struct_words fills PT_STRUCT_WORDS(st->size) words, the last one
 * zero-padded; pt_field_from_words gives the same value as pt_field_get. */
#define PT_STRUCT_WORDS(size) (((size) + 7u) / 8u)
void pt_struct_words(const struct pt_struct *st, const uint8_t *raw, uint64_t *w);

static inline uint64_t pt_field_from_words(const uint64_t *w, const struct pt_field *f)
{
	uint64_t v = w[f->word] >> f->lsb;
	if (f->lsb && f->lsb + f->width > 64)
		v |= w[f->word + 1] << (64 - f->lsb);
	if (f->width < 64)
		v &= (UINT64_C(1) << f->width) - 1;
	return f->kind == PT_FK_ADDR ? v << f->shift : v;
}

#endif

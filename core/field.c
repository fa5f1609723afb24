/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "field.h"

#include <strings.h>
#include <string.h>

/* One unaligned load (and a byte swap on big-endian hosts) instead of eight
 * byte loads: the walkers call this for every word of every entry. */
uint64_t pt_le64(const uint8_t *buf, size_t word)
{
	uint64_t v;
	memcpy(&v, buf + word * 8, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

void pt_struct_words(const struct pt_struct *st, const uint8_t *raw, uint64_t *w)
{
	size_t full = st->size / 8, tail = st->size % 8;
	for (size_t i = 0; i < full; i++)
		w[i] = pt_le64(raw, i);
	if (tail) {
		uint8_t last[8] = { 0 };
		memcpy(last, raw + full * 8, tail);
		w[full] = pt_le64(last, 0);
	}
}

/* The store to match pt_le64: build writes every word of every entry. */
void pt_put_le64(uint8_t *buf, size_t word, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(buf + word * 8, &v, sizeof v);
}

uint64_t pt_field_max(const struct pt_field *f)
{
	return f->width >= 64 ? UINT64_MAX : (UINT64_C(1) << f->width) - 1;
}

/* Fields are little-endian bit runs; the bytes the field covers are gathered
 * (never a byte past it, so a structure need not be a whole number of words)
 * and the run is cut out of them, which lets a field start at any bit and
 * cross word boundaries without special cases. */
uint64_t pt_field_bits(const uint8_t *buf, const struct pt_field *f)
{
	unsigned bit = (unsigned)f->word * 64u + f->lsb;
	unsigned first = bit / 8, off = bit % 8, last = (bit + f->width - 1) / 8;
	uint64_t v = 0;
	/* At most 8 bytes fit in v; a 64-bit field at an odd bit covers 9. */
	unsigned top = last - first < 8 ? last : first + 7;
	for (unsigned i = top + 1; i-- > first;)
		v = (v << 8) | buf[i];
	v >>= off;
	if (top != last)
		v |= (uint64_t)buf[last] << (64 - off);
	return f->width >= 64 ? v : v & ((UINT64_C(1) << f->width) - 1);
}

uint64_t pt_field_get(const uint8_t *buf, const struct pt_field *f)
{
	uint64_t v = pt_field_bits(buf, f);
	return f->kind == PT_FK_ADDR ? v << f->shift : v;
}

/* The bits a value stores in f: -1 when it does not fit. */
static int value_bits(const struct pt_field *f, uint64_t value, uint64_t *bits)
{
	*bits = value;
	if (f->kind == PT_FK_ADDR && f->shift) {
		if (value & ((UINT64_C(1) << f->shift) - 1))
			return -1;
		*bits = value >> f->shift;
	}
	return *bits > pt_field_max(f) ? -1 : 0;
}

int pt_field_set_sized(uint8_t *buf, size_t size, const struct pt_field *f, uint64_t value)
{
	uint64_t bits;
	if ((unsigned)f->lsb + f->width > 64 || ((size_t)f->word + 1) * 8 > size)
		return pt_field_set(buf, f, value);
	if (value_bits(f, value, &bits) != 0)
		return -1;
	uint64_t mask = f->width >= 64 ? ~UINT64_C(0) : ((UINT64_C(1) << f->width) - 1) << f->lsb;
	uint64_t w = pt_le64(buf, f->word);
	pt_put_le64(buf, f->word, (w & ~mask) | ((bits << f->lsb) & mask));
	return 0;
}

int pt_field_set(uint8_t *buf, const struct pt_field *f, uint64_t value)
{
	uint64_t bits;
	if (value_bits(f, value, &bits) != 0)
		return -1;
	unsigned bit = (unsigned)f->word * 64u + f->lsb;
	unsigned done = 0;
	while (done < f->width) {
		unsigned byte = bit / 8, off = bit % 8;
		unsigned take = 8 - off;
		if (take > f->width - done)
			take = f->width - done;
		unsigned mask = ((1u << take) - 1) << off;
		unsigned chunk = (unsigned)((bits >> done) << off) & mask;
		buf[byte] = (uint8_t)((buf[byte] & ~mask) | chunk);
		done += take;
		bit += take;
	}
	return 0;
}

const char *pt_field_enum_name(const struct pt_field *f, uint64_t value)
{
	if (!f->enums || value >= f->nenums)
		return NULL;
	return f->enums[value];
}

int pt_field_enum_value(const struct pt_field *f, const char *name, uint64_t *out)
{
	for (unsigned i = 0; f->enums && i < f->nenums; i++) {
		if (f->enums[i] && strcasecmp(f->enums[i], name) == 0) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

const struct pt_field *pt_struct_field(const struct pt_struct *s, const char *name)
{
	size_t hint = 0;
	return pt_struct_field_next(s, name, &hint);
}

const struct pt_field *pt_struct_field_next(const struct pt_struct *s, const char *name,
					    size_t *hint)
{
	size_t i = *hint < s->nfields ? *hint : 0;
	for (size_t tries = 0; tries < s->nfields; tries++, i = i + 1 < s->nfields ? i + 1 : 0) {
		if (strcmp(s->fields[i].name, name) == 0) {
			*hint = i + 1;
			return &s->fields[i];
		}
	}
	return NULL;
}

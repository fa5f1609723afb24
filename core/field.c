#include "field.h"

#include <strings.h>
#include <string.h>

uint64_t pt_le64(const uint8_t *buf, size_t word)
{
	const uint8_t *p = buf + word * 8;
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

void pt_put_le64(uint8_t *buf, size_t word, uint64_t v)
{
	uint8_t *p = buf + word * 8;
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint64_t pt_field_max(const struct pt_field *f)
{
	return f->width >= 64 ? UINT64_MAX : (UINT64_C(1) << f->width) - 1;
}

/* Fields are little-endian bit runs; going byte by byte lets a field start at
 * any bit and cross word boundaries without special cases. */
uint64_t pt_field_bits(const uint8_t *buf, const struct pt_field *f)
{
	unsigned bit = (unsigned)f->word * 64u + f->lsb;
	uint64_t v = 0;
	unsigned got = 0;
	while (got < f->width) {
		unsigned byte = bit / 8, off = bit % 8;
		unsigned take = 8 - off;
		if (take > f->width - got)
			take = f->width - got;
		uint64_t chunk = (uint64_t)(buf[byte] >> off) & ((1u << take) - 1);
		v |= chunk << got;
		got += take;
		bit += take;
	}
	return v;
}

uint64_t pt_field_get(const uint8_t *buf, const struct pt_field *f)
{
	uint64_t v = pt_field_bits(buf, f);
	return f->kind == PT_FK_ADDR ? v << f->shift : v;
}

int pt_field_set(uint8_t *buf, const struct pt_field *f, uint64_t value)
{
	uint64_t bits = value;
	if (f->kind == PT_FK_ADDR && f->shift) {
		if (value & ((UINT64_C(1) << f->shift) - 1))
			return -1;
		bits = value >> f->shift;
	}
	if (bits > pt_field_max(f))
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
	for (size_t i = 0; i < s->nfields; i++)
		if (strcmp(s->fields[i].name, name) == 0)
			return &s->fields[i];
	return NULL;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ptbuild.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"

#define MAX_PTW_FORMATS 64

static const struct pt_ptw_format *formats[MAX_PTW_FORMATS];
static size_t nformats;

void pt_ptw_format_register(const struct pt_ptw_format *f)
{
	for (size_t i = 0; i < nformats; i++)
		if (formats[i] == f)
			return;
	if (nformats < MAX_PTW_FORMATS)
		formats[nformats++] = f;
}

const struct pt_ptw_format *pt_ptw_format_find(const char *name)
{
	for (size_t i = 0; name && i < nformats; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

size_t pt_ptw_format_count(void)
{
	return nformats;
}

const struct pt_ptw_format *pt_ptw_format_at(size_t i)
{
	return i < nformats ? formats[i] : NULL;
}

int pt_ptb_start_level(const struct pt_ptw_format *f, unsigned ia_bits)
{
	if (ia_bits <= f->granule_bits)
		return f->last_level;
	unsigned levels = (ia_bits - f->granule_bits + f->stride - 1) / f->stride;
	return f->last_level + 1 - (int)levels;
}

static uint64_t low_mask(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

static uint64_t get64(const struct pt_ptb *b, uint64_t addr)
{
	const uint8_t *p = pt_image_at(b->img, addr, 8);
	return p ? pt_le64(p, 0) : 0;
}

static void put64(struct pt_ptb *b, uint64_t addr, uint64_t v)
{
	uint8_t *p = pt_image_at(b->img, addr, 8);
	if (p)
		pt_put_le64(p, 0, v);
}

static int set(uint64_t *desc, const struct pt_field *f, uint64_t value)
{
	uint8_t raw[8];
	pt_put_le64(raw, 0, *desc);
	if (pt_field_set(raw, f, value) != 0)
		return -1;
	*desc = pt_le64(raw, 0);
	return 0;
}

/* Spread an address over the format's address fields; -1 when some bit has
 * no field to hold it. */
static int set_addr(uint64_t *desc, const struct pt_field *const *fields, uint64_t addr)
{
	uint64_t held = 0;
	for (size_t i = 0; fields[i]; i++) {
		const struct pt_field *f = fields[i];
		uint64_t m = low_mask(f->width) << f->shift;
		if (set(desc, f, addr & m) != 0)
			return -1;
		held |= m;
	}
	return addr & ~held ? -1 : 0;
}

int pt_ptb_init(struct pt_ptb *b, struct pt_image *img, const struct pt_ptw_format *f,
		int start_level, unsigned ia_bits, uint64_t root, char *err, size_t errlen)
{
	memset(b, 0, sizeof *b);
	b->img = img;
	b->f = f;
	b->start_level = start_level;
	b->ia_bits = ia_bits;
	b->root = root;
	struct pt_ptw_regime r = { .fmt = f, .start_level = start_level, .ia_bits = ia_bits };
	const char *why;
	if (pt_ptw_check_regime(&r, &why) != 0) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	uint64_t bytes = pt_ptw_root_bytes(&r);
	if (root & (bytes - 1)) {
		snprintf(err, errlen, "root 0x%llx is not aligned to the %llu-byte start table",
			 (unsigned long long)root, (unsigned long long)bytes);
		return -1;
	}
	if (!pt_image_alloc(img, root, bytes, err, errlen))
		return -1;
	b->next = root + bytes;
	b->tables = 1;
	return 0;
}

static int new_table(struct pt_ptb *b, uint64_t *addr, char *err, size_t errlen)
{
	uint64_t size = UINT64_C(1) << b->f->granule_bits;
	uint64_t a = pt_image_free_at(b->img, b->next, size, size);
	if (!pt_image_alloc(b->img, a, size, err, errlen))
		return -1;
	b->next = a + size;
	b->tables++;
	*addr = a;
	return 0;
}

static uint64_t field_value(const struct pt_field *f, uint64_t desc)
{
	uint8_t raw[8];
	pt_put_le64(raw, 0, desc);
	return pt_field_get(raw, f);
}

int pt_ptb_map(struct pt_ptb *b, uint64_t ia, uint64_t oa, int level, uint64_t leaf_bits,
	       uint64_t table_bits, char *err, size_t errlen)
{
	const struct pt_ptw_format *f = b->f;
	if (level < b->start_level || level > f->last_level ||
	    (level < f->last_level && !((f->block_levels >> (level + 1)) & 1))) {
		snprintf(err, errlen, "no leaf can sit at level %d", level);
		return -1;
	}
	unsigned shift = pt_ptw_level_shift(f, level);
	if ((ia | oa) & low_mask(shift) || (b->ia_bits < 64 && ia >> b->ia_bits)) {
		snprintf(err, errlen, "iova 0x%llx / pa 0x%llx not aligned to 2^%u or out of range",
			 (unsigned long long)ia, (unsigned long long)oa, shift);
		return -1;
	}
	uint64_t table = b->root;
	struct pt_ptw_regime r = { .fmt = f, .start_level = b->start_level, .ia_bits = b->ia_bits };
	for (int l = b->start_level;; l++) {
		unsigned s = pt_ptw_level_shift(f, l);
		unsigned bits = l == b->start_level ? b->ia_bits - s : f->stride;
		(void)r;
		uint64_t pa = table + ((ia >> s) & low_mask(bits)) * f->desc_bytes;
		uint64_t d = get64(b, pa);
		if (l == level) {
			if (field_value(f->valid, d)) {
				snprintf(err, errlen, "iova 0x%llx is already mapped", (unsigned long long)ia);
				return -1;
			}
			uint64_t n = leaf_bits;
			if (set(&n, f->valid, 1) || (f->type && set(&n, f->type, l == f->last_level
							      ? f->type_page : f->type_block)) ||
			    set_addr(&n, f->leaf_addr, oa) != 0) {
				snprintf(err, errlen, "pa 0x%llx does not fit the descriptor",
					 (unsigned long long)oa);
				return -1;
			}
			put64(b, pa, n);
			return 0;
		}
		if (!field_value(f->valid, d)) {
			uint64_t t;
			if (new_table(b, &t, err, errlen) != 0)
				return -1;
			d = table_bits;
			if (set(&d, f->valid, 1) || (f->type && set(&d, f->type, f->type_table)) ||
			    set_addr(&d, f->table_addr, t) != 0) {
				snprintf(err, errlen, "table 0x%llx does not fit the descriptor",
					 (unsigned long long)t);
				return -1;
			}
			put64(b, pa, d);
		} else if (f->type && field_value(f->type, d) != f->type_table) {
			snprintf(err, errlen, "iova 0x%llx is inside a block already mapped",
				 (unsigned long long)ia);
			return -1;
		}
		table = pt_ptw_desc_addr(f->table_addr, d) & ~low_mask(f->granule_bits);
	}
}

int pt_ptb_map_range(struct pt_ptb *b, uint64_t ia, uint64_t oa, uint64_t size, int min_level,
		     uint64_t leaf_bits, uint64_t table_bits, char *err, size_t errlen)
{
	const struct pt_ptw_format *f = b->f;
	uint64_t page = UINT64_C(1) << f->granule_bits;
	if (!size || (ia | oa | size) & (page - 1) || ia + size - 1 < ia) {
		snprintf(err, errlen, "range must be whole, non-empty granules");
		return -1;
	}
	/* Bounded by the number of pages in the range (the image cap bounds that). */
	while (size) {
		int level = f->last_level;
		for (int l = min_level > b->start_level ? min_level : b->start_level; l < f->last_level; l++) {
			unsigned s = pt_ptw_level_shift(f, l);
			if (((f->block_levels >> (l + 1)) & 1) && !((ia | oa) & low_mask(s)) &&
			    size >= UINT64_C(1) << s) {
				level = l;
				break;
			}
		}
		if (pt_ptb_map(b, ia, oa, level, leaf_bits, table_bits, err, errlen) != 0)
			return -1;
		uint64_t step = UINT64_C(1) << pt_ptw_level_shift(f, level);
		ia += step;
		oa += step;
		size -= step;
	}
	return 0;
}

/* {"field": value} into descriptor bits, by the structure's field names. */
static int attrs_bits(const struct pt_struct *st, const json_t *attrs, uint64_t *bits, char *err,
		      size_t errlen)
{
	const char *key;
	const json_t *v;
	*bits = 0;
	if (!attrs)
		return 0;
	if (!json_is_object(attrs)) {
		snprintf(err, errlen, "attrs must be an object");
		return -1;
	}
	for (void *it = json_object_iter((json_t *)(uintptr_t)attrs); it;
	     it = json_object_iter_next((json_t *)(uintptr_t)attrs, it)) {
		key = json_object_iter_key(it);
		v = json_object_iter_value(it);
		const struct pt_field *f = pt_struct_field(st, key);
		uint64_t x;
		if (!f || f->kind == PT_FK_ADDR || !strcmp(key, "valid") || !strcmp(key, "type")) {
			snprintf(err, errlen, "%s: not an attribute field of %s", key, st->name);
			return -1;
		}
		if (json_is_string(v) && f->kind == PT_FK_ENUM && pt_field_enum_value(f, json_string_value(v), &x) == 0) {
			/* an enum name */
		} else if (pt_json_u64(v, &x) != 0) {
			snprintf(err, errlen, "%s: expected a number", key);
			return -1;
		}
		if (set(bits, f, x) != 0) {
			snprintf(err, errlen, "%s: value does not fit", key);
			return -1;
		}
	}
	return 0;
}

static int u64_member(const json_t *o, const char *key, uint64_t *v, int required, char *err,
		      size_t errlen)
{
	const json_t *j = json_object_get(o, key);
	if (!j && !required)
		return 0;
	if (!j || pt_json_u64(j, v) != 0) {
		snprintf(err, errlen, "\"%s\" must be a number or \"0x...\" string", key);
		return -1;
	}
	return 0;
}

static int build_mapping(struct pt_ptb *b, const json_t *m, char *err, size_t errlen)
{
	uint64_t ia, oa, size = UINT64_C(1) << b->f->granule_bits, level = UINT64_MAX;
	uint64_t lbits, tbits;
	if (u64_member(m, "iova", &ia, 1, err, errlen) || u64_member(m, "pa", &oa, 1, err, errlen) ||
	    u64_member(m, "size", &size, 0, err, errlen) ||
	    u64_member(m, "level", &level, 0, err, errlen))
		return -1;
	int min_level = level == UINT64_MAX ? b->start_level : (int)level;
	if (level != UINT64_MAX && (level > 3 || min_level < b->start_level)) {
		snprintf(err, errlen, "level %llu is not a level of this table",
			 (unsigned long long)level);
		return -1;
	}
	const struct pt_struct *st = min_level == b->f->last_level ? b->f->page : b->f->block;
	if (attrs_bits(st, json_object_get(m, "attrs"), &lbits, err, errlen) ||
	    attrs_bits(b->f->table, json_object_get(m, "table_attrs"), &tbits, err, errlen))
		return -1;
	if (level != UINT64_MAX) {
		uint64_t step = UINT64_C(1) << pt_ptw_level_shift(b->f, min_level);
		if (size % step) {
			snprintf(err, errlen, "size is not a multiple of the level-%d leaf size",
				 min_level);
			return -1;
		}
		for (uint64_t off = 0; off < size; off += step)
			if (pt_ptb_map(b, ia + off, oa + off, min_level, lbits, tbits, err, errlen))
				return -1;
		return 0;
	}
	return pt_ptb_map_range(b, ia, oa, size, min_level, lbits, tbits, err, errlen);
}

int pt_ptb_build_spec(struct pt_image *img, const json_t *page_tables, char *err, size_t errlen)
{
	size_t i;
	const json_t *t;
	if (!json_is_array(page_tables)) {
		snprintf(err, errlen, "\"page_tables\" must be an array");
		return -1;
	}
	json_array_foreach(page_tables, i, t) {
		char why[300];
		const char *name = json_string_value(json_object_get(t, "format"));
		const struct pt_ptw_format *f = pt_ptw_format_find(name);
		uint64_t ia_bits = 48, root;
		struct pt_ptb b;
		if (!f) {
			snprintf(err, errlen, "page_tables[%zu]: unknown page-table format '%s'", i,
				 name ? name : "(none)");
			return -1;
		}
		if (u64_member(t, "ia_bits", &ia_bits, 0, why, sizeof why) ||
		    u64_member(t, "root", &root, 1, why, sizeof why))
			goto fail;
		if (ia_bits > 64 || ia_bits <= f->granule_bits) {
			snprintf(why, sizeof why, "ia_bits out of range");
			goto fail;
		}
		int sl = pt_ptb_start_level(f, (unsigned)ia_bits);
		const json_t *lvl = json_object_get(t, "start_level");
		if (lvl && (!json_is_integer(lvl) || json_integer_value(lvl) < -1 ||
			    json_integer_value(lvl) > 3)) {
			snprintf(why, sizeof why, "\"start_level\" must be an integer -1..3");
			goto fail;
		}
		if (lvl)
			sl = (int)json_integer_value(lvl);
		if (pt_ptb_init(&b, img, f, sl, (unsigned)ia_bits, root, why, sizeof why) != 0)
			goto fail;
		const json_t *maps = json_object_get(t, "mappings");
		size_t j;
		const json_t *m;
		if (maps && !json_is_array(maps)) {
			snprintf(why, sizeof why, "\"mappings\" must be an array");
			goto fail;
		}
		json_array_foreach(maps, j, m) {
			char w2[240];
			if (build_mapping(&b, m, w2, sizeof w2) != 0) {
				snprintf(why, sizeof why, "mappings[%zu]: %s", j, w2);
				goto fail;
			}
		}
		continue;
	fail:
		snprintf(err, errlen, "page_tables[%zu]: %s", i, why);
		return -1;
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

static int get_u64(const json_t *obj, const char *key, uint64_t *v, int required, char *err,
		   size_t errlen)
{
	const json_t *j = json_object_get(obj, key);
	if (!j) {
		if (required)
			snprintf(err, errlen, "missing \"%s\"", key);
		return required ? -1 : 1;
	}
	if (pt_json_u64(j, v) != 0) {
		snprintf(err, errlen, "\"%s\" is not a number or hex string", key);
		return -1;
	}
	return 0;
}

int pt_build_table_cfg(const json_t *table, struct pt_table_cfg *cfg, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof *cfg);
	const char *fname = json_string_value(json_object_get(table, "format"));
	cfg->fmt = pt_format_find(fname ? fname : "smmuv3-cd");
	if (!cfg->fmt) {
		snprintf(err, errlen, "unknown table format \"%s\"", fname);
		return -1;
	}
	const char *lname = json_string_value(json_object_get(table, "layout"));
	cfg->layout = lname ? pt_format_layout(cfg->fmt, lname) : &cfg->fmt->layouts[0];
	if (!cfg->layout) {
		snprintf(err, errlen, "unknown layout \"%s\"", lname);
		return -1;
	}
	/* The index width is "ssid_bits" for CD tables, "sid_bits" for stream
	 * tables: the format names its index. */
	char bits_key[32];
	snprintf(bits_key, sizeof bits_key, "%s_bits", pt_format_index_name(cfg->fmt));
	uint64_t bits = 0, leaf = 0;
	if (get_u64(table, "base", &cfg->base, 1, err, errlen) < 0 ||
	    get_u64(table, bits_key, &bits, 1, err, errlen) < 0 ||
	    get_u64(table, "leaf_bits", &leaf, 0, err, errlen) < 0)
		return -1;
	unsigned max = pt_format_max_index_bits(cfg->fmt);
	if (bits > max) {
		snprintf(err, errlen, "\"%s\" %llu is more than %u", bits_key,
			 (unsigned long long)bits, max);
		return -1;
	}
	if (leaf > PT_MAX_INDEX_BITS) {
		snprintf(err, errlen, "\"leaf_bits\" %llu is more than %u", (unsigned long long)leaf,
			 PT_MAX_INDEX_BITS);
		return -1;
	}
	cfg->ssid_bits = (unsigned)bits;
	cfg->leaf_bits = (unsigned)leaf;
	return 0;
}

/* pt_image_at, trying the region of the previous entry first: entries come
 * leaf by leaf, and scanning 16385 regions for each of 2^20 entries made a
 * 2lvl-4k build quadratic (25 s). Regions never overlap, so the region that
 * holds [addr, addr+len) is the one pt_image_at would find. */
static int region_holds(const struct pt_image_region *r, uint64_t addr, uint64_t len)
{
	return addr >= r->addr && addr - r->addr <= r->size && len <= r->size - (addr - r->addr);
}

static uint8_t *image_at(struct pt_builder *b, uint64_t addr, uint64_t len)
{
	const struct pt_image *img = b->img;
	if (b->hit && b->hit <= img->n && region_holds(&img->regions[b->hit - 1], addr, len))
		return img->regions[b->hit - 1].data + (addr - img->regions[b->hit - 1].addr);
	for (size_t i = 0; i < img->n; i++)
		if (region_holds(&img->regions[i], addr, len)) {
			b->hit = i + 1;
			pt_image_touched(b->img, i);
			return img->regions[i].data + (addr - img->regions[i].addr);
		}
	return NULL;
}

static int array_of(const json_t *table, const char *key, const json_t **out, char *err,
		    size_t errlen)
{
	*out = json_object_get(table, key);
	if (*out && (!json_is_array(*out) || json_array_size(*out) > PT_BUILD_MAX_ENTRIES)) {
		snprintf(err, errlen, "\"%s\" must be an array of at most %u items", key,
			 PT_BUILD_MAX_ENTRIES);
		return -1;
	}
	return 0;
}

/* Bytes of the leaf a descriptor describes: the whole leaf unless the
 * descriptor says it holds fewer entries. */
static uint64_t leaf_bytes(const struct pt_builder *b, const struct pt_dir_view *dv)
{
	uint64_t bytes = dv->count * b->cfg->fmt->entry->size;
	return dv->count && bytes < b->g.leaf_bytes ? bytes : b->g.leaf_bytes;
}

/* A leaf that an "l1" descriptor names: allocate it unless another
 * descriptor already did (sharing a leaf is legal, validate warns). */
static int ensure_leaf(struct pt_builder *b, const struct pt_dir_view *dv)
{
	uint64_t bytes = leaf_bytes(b, dv);
	if (pt_image_at(b->img, dv->next, bytes))
		return 0;
	return pt_image_alloc(b->img, dv->next, bytes, b->err, b->errlen) ? 0 : -1;
}

/* After a descriptor's bytes are in place: the leaf it names. */
static int dir_placed(struct pt_builder *b, const uint8_t *raw)
{
	struct pt_dir_view dv;
	memset(&dv, 0, sizeof dv);
	b->cfg->fmt->dir_view(raw, &dv);
	return dv.valid ? ensure_leaf(b, &dv) : 0;
}

static uint8_t *dir_slot(struct pt_builder *b, uint64_t idx)
{
	if (idx >= b->g.ndir) {
		snprintf(b->err, b->errlen, "l1 index %llu is outside the %llu descriptors",
			 (unsigned long long)idx, (unsigned long long)b->g.ndir);
		return NULL;
	}
	return b->root + idx * b->cfg->fmt->dir->size;
}

int pt_build_dir(struct pt_builder *b, const json_t *item)
{
	uint64_t idx;
	if (get_u64(item, "index", &idx, 1, b->err, b->errlen) < 0)
		return -1;
	uint8_t *raw = dir_slot(b, idx);
	if (!raw || pt_struct_from_json(b->cfg->fmt->dir, item, raw, b->err, b->errlen) != 0)
		return -1;
	return dir_placed(b, raw);
}

int pt_build_dir_text(struct pt_builder *b, const struct pt_item_text *it)
{
	const struct pt_struct *ds = b->cfg->fmt->dir;
	uint8_t tmp[PT_MAX_ENTRY_SIZE];
	uint8_t *raw = dir_slot(b, it->index);
	if (!raw)
		return -1;
	/* A descriptor starts from what its slot holds (as pt_build_dir). */
	memcpy(tmp, raw, ds->size);
	if (pt_item_text_apply(ds, it, tmp) != 0)
		return 1;
	memcpy(raw, tmp, ds->size);
	return dir_placed(b, raw);
}

static void make_dir(const struct pt_builder *b, uint8_t *raw, uint64_t leaf)
{
	const struct pt_format *fmt = b->cfg->fmt;
	unsigned lb = b->cfg->leaf_bits ? b->cfg->leaf_bits : b->cfg->layout->leaf_bits;
	if (fmt->dir_make_sized)
		fmt->dir_make_sized(raw, leaf, lb);
	else
		fmt->dir_make(raw, leaf);
}

/* Where the entry for ssid goes; creates the leaf and its descriptor when
 * the description left the L1 table to us. */
static uint8_t *entry_slot(struct pt_builder *b, uint32_t ssid, int auto_dirs)
{
	uint32_t esize = b->cfg->fmt->entry->size;
	if (!b->g.ndir)
		return b->root + (uint64_t)ssid * esize;
	const struct pt_struct *ds = b->cfg->fmt->dir;
	uint64_t idx = (uint64_t)ssid >> b->g.leaf_bits;
	uint8_t *draw = b->root + idx * ds->size;
	struct pt_dir_view dv;
	memset(&dv, 0, sizeof dv);
	b->cfg->fmt->dir_view(draw, &dv);
	if (!dv.valid && auto_dirs) {
		uint64_t from, end;
		pt_image_extent(b->img, &from, &end);
		uint64_t leaf = pt_image_free_at(b->img, end, b->g.leaf_bytes, b->g.leaf_bytes);
		if (!pt_image_alloc(b->img, leaf, b->g.leaf_bytes, b->err, b->errlen))
			return NULL;
		make_dir(b, draw, leaf);
		memset(&dv, 0, sizeof dv);
		b->cfg->fmt->dir_view(draw, &dv);
		/* The leaf goes after every table; near the top of the address
		 * space that can be beyond what a descriptor encodes (L2Ptr is
		 * [55:12]), and entries must not land where the truncated
		 * pointer leads. */
		if (!dv.valid || dv.next != leaf) {
			snprintf(b->err, b->errlen, "the leaf for L1 descriptor %llu would go at "
				 "0x%llx, which the descriptor cannot point at; give \"l1\" "
				 "descriptors or a lower base", (unsigned long long)idx,
				 (unsigned long long)leaf);
			return NULL;
		}
	}
	const char *name = pt_format_index_name(b->cfg->fmt);
	if (!dv.valid) {
		snprintf(b->err, b->errlen, "%s %u sits behind L1 descriptor %llu, which is "
			 "not valid", name, ssid, (unsigned long long)idx);
		return NULL;
	}
	uint64_t in_leaf = ssid & ((UINT64_C(1) << b->g.leaf_bits) - 1);
	if (dv.count && in_leaf >= dv.count) {
		snprintf(b->err, b->errlen, "%s %u is past the %llu entries L1 descriptor %llu "
			 "gives its leaf", name, ssid, (unsigned long long)dv.count,
			 (unsigned long long)idx);
		return NULL;
	}
	uint8_t *p = image_at(b, dv.next + in_leaf * esize, esize);
	if (!p)
		snprintf(b->err, b->errlen, "%s %u: leaf 0x%llx is not part of the image", name,
			 ssid, (unsigned long long)dv.next);
	return p;
}

static int record(struct pt_builder *b, uint64_t index)
{
	if (!b->record)
		return 0;
	if (b->nwritten == b->wcap) {
		size_t cap = b->wcap ? b->wcap * 2 : 1024;
		uint32_t *w = realloc(b->written, cap * sizeof *w);
		if (!w) {
			snprintf(b->err, b->errlen, "out of memory");
			return -1;
		}
		b->written = w;
		b->wcap = cap;
	}
	b->written[b->nwritten++] = (uint32_t)index;
	return 0;
}

static uint8_t *index_slot(struct pt_builder *b, uint64_t ssid)
{
	if (ssid >= b->g.nentries) {
		snprintf(b->err, b->errlen, "%s %llu is outside a table of %u index bits",
			 pt_format_index_name(b->cfg->fmt), (unsigned long long)ssid,
			 b->cfg->ssid_bits);
		return NULL;
	}
	return entry_slot(b, (uint32_t)ssid, b->auto_dirs);
}

int pt_build_entry(struct pt_builder *b, const json_t *item)
{
	const struct pt_format *fmt = b->cfg->fmt;
	const char *name = pt_format_index_name(fmt);
	uint64_t ssid;
	if (get_u64(item, name, &ssid, 1, b->err, b->errlen) < 0)
		return -1;
	uint8_t *slot = index_slot(b, ssid);
	if (!slot)
		return -1;
	uint8_t raw[PT_MAX_ENTRY_SIZE];
	memset(raw, 0, sizeof raw);
	if (!json_object_get(item, "raw") && fmt->entry_defaults)
		fmt->entry_defaults(raw);
	char why[200];
	if (pt_struct_from_json(fmt->entry, item, raw, why, sizeof why) != 0) {
		snprintf(b->err, b->errlen, "%s %llu: %s", name, (unsigned long long)ssid, why);
		return -1;
	}
	memcpy(slot, raw, fmt->entry->size);
	return record(b, ssid);
}

int pt_build_entry_text(struct pt_builder *b, const struct pt_item_text *it)
{
	const struct pt_format *fmt = b->cfg->fmt;
	uint8_t raw[PT_MAX_ENTRY_SIZE];
	memset(raw, 0, sizeof raw);
	if (!it->has_raw && fmt->entry_defaults)
		fmt->entry_defaults(raw);
	/* The bytes first: a value that does not fit is the slow path's to
	 * word, and it finds the slot errors first, as it always did. */
	if (pt_item_text_apply(fmt->entry, it, raw) != 0)
		return 1;
	uint8_t *slot = index_slot(b, it->index);
	if (!slot)
		return -1;
	memcpy(slot, raw, fmt->entry->size);
	return record(b, it->index);
}

int pt_build_begin(struct pt_builder *b, struct pt_image *img, const struct pt_table_cfg *cfg,
		   int auto_dirs, char *err, size_t errlen)
{
	memset(b, 0, sizeof *b);
	b->img = img;
	b->cfg = cfg;
	b->err = err;
	b->errlen = errlen;
	b->auto_dirs = auto_dirs;
	if (pt_geometry(cfg, &b->g) != 0) {
		snprintf(err, errlen, "a table of %u index bits at 0x%llx cannot exist",
			 cfg->ssid_bits, (unsigned long long)cfg->base);
		return -1;
	}
	b->root = pt_image_alloc(img, cfg->base, b->g.root_bytes, err, errlen);
	return b->root ? 0 : -1;
}

void pt_build_end(struct pt_builder *b)
{
	if (b->img)
		pt_image_release(b->img);
	free(b->written);
	b->written = NULL;
	b->nwritten = b->wcap = 0;
}

int pt_build_table(struct pt_image *img, const struct pt_table_cfg *cfg, const json_t *table,
		   char *err, size_t errlen)
{
	const json_t *l1 = NULL, *entries = NULL;
	struct pt_geometry g;
	if (pt_geometry(cfg, &g) == 0 &&
	    (array_of(table, "l1", &l1, err, errlen) ||
	     array_of(table, pt_format_entries_key(cfg->fmt), &entries, err, errlen)))
		return -1;
	struct pt_builder b;
	if (pt_build_begin(&b, img, cfg, json_object_get(table, "l1") == NULL, err, errlen) != 0)
		return -1;
	size_t i;
	const json_t *item;
	int rc = 0;
	if (l1 && b.g.ndir)
		json_array_foreach(l1, i, item)
			if (rc == 0)
				rc = pt_build_dir(&b, item);
	if (entries)
		json_array_foreach(entries, i, item)
			if (rc == 0)
				rc = pt_build_entry(&b, item);
	pt_build_end(&b);
	return rc;
}

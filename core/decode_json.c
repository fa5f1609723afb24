/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "decode_json.h"

#include <stdio.h>
#include <string.h>

/* A word at a time: decode asks this of every empty entry of a table. */
static int nonzero(const uint8_t *raw, size_t n)
{
	size_t i = 0;
	for (uint64_t w; i + 8 <= n; i += 8) {
		memcpy(&w, raw + i, 8);
		if (w)
			return 1;
	}
	for (; i < n; i++)
		if (raw[i])
			return 1;
	return 0;
}

json_t *pt_decode_json_header(const struct pt_table_cfg *cfg)
{
	char key[32];
	json_t *h = json_object();
	json_object_set_new(h, "format", json_string(cfg->fmt->name));
	json_object_set_new(h, "layout", json_string(cfg->layout->name));
	json_object_set_new(h, "base", pt_json_hex(cfg->base));
	snprintf(key, sizeof key, "%s_bits", pt_format_index_name(cfg->fmt));
	json_object_set_new(h, key, json_integer(cfg->ssid_bits));
	if (cfg->leaf_bits)
		json_object_set_new(h, "leaf_bits", json_integer(cfg->leaf_bits));
	return h;
}

int pt_decode_json_want(const struct pt_decode_json *d, const struct pt_walk *w, int valid,
			const uint8_t *raw, size_t n)
{
	return valid || d->all || w->one_ssid || nonzero(raw, n);
}

void pt_decode_json_phase(struct pt_decode_json *d, const struct pt_walk *w,
			  enum pt_walk_phase phase)
{
	if (d->array_open)
		pt_emit_array_end(d->emit);
	d->array_open = 0;
	if (phase == PT_PHASE_END)
		return;
	pt_emit_array_begin(d->emit, phase == PT_PHASE_DIRS ? "l1"
							   : pt_format_entries_key(w->cfg->fmt));
	d->array_open = 1;
}

void pt_decode_json_dir(struct pt_decode_json *d, const struct pt_walk *w, uint32_t index,
			uint64_t addr, const uint8_t *raw, int valid)
{
	const struct pt_struct *st = w->cfg->fmt->dir;
	if (!pt_decode_json_want(d, w, valid, raw, st->size))
		return;
	pt_emit_struct_item(d->emit, "index", index, addr, st, raw, 0);
	d->items++;
}

void pt_decode_json_entry(struct pt_decode_json *d, const struct pt_walk *w, uint32_t index,
			  uint64_t addr, const uint8_t *raw)
{
	const struct pt_format *fmt = w->cfg->fmt;
	if (!pt_decode_json_want(d, w, fmt->entry_valid(raw), raw, fmt->entry->size))
		return;
	pt_emit_struct_item(d->emit, pt_format_index_name(fmt), index, addr, fmt->entry, raw, 1);
	d->items++;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tables: a root config from a format name or the SMMU's stream-table
 * registers (the library's own smmu_strtab_table_cfg / smmu_ste_cd_cfg),
 * walked by the core walker, entries printed by decode --json's writer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "decode_json.h"
#include "emit.h"

static int root_in_source(pasid_table *t, pasid_error *err)
{
	uint64_t lo, hi;
	if (pt_source_covers(&t->src->src, t->cfg.base, 1))
		return PASID_OK;
	pt_source_span(&t->src->src, &lo, &hi);
	return pasid_fail(err, PASID_ERR_INPUT,
			  "%s: the table root 0x%llx is not in the input, which holds 0x%llx-0x%llx",
			  t->src->name, (unsigned long long)t->cfg.base, (unsigned long long)lo,
			  (unsigned long long)hi);
}

/* A config the walker can take, whose root the source holds. */
static int finish_open(pasid_table **out, pasid_table *t, pasid_error *err)
{
	struct pt_geometry g;
	int rc = PASID_OK;
	if (pt_geometry(&t->cfg, &g) != 0)
		rc = pasid_fail(err, PASID_ERR_ARG,
				"a %s table at 0x%llx with %u index bits (%s) does not fit in the "
				"address space or the format", t->cfg.fmt->name,
				(unsigned long long)t->cfg.base, t->cfg.ssid_bits,
				t->cfg.layout->name);
	if (rc == PASID_OK)
		rc = root_in_source(t, err);
	if (rc != PASID_OK) {
		free(t);
		return rc;
	}
	*out = t;
	return pasid_ok(err);
}

static pasid_table *table_new(pasid_source *src)
{
	pasid_table *t = calloc(1, sizeof *t);
	if (t)
		t->src = src;
	return t;
}

PASID_API int pasid_table_open(pasid_table **out, pasid_source *src, const char *format,
			       uint64_t base, const char *layout, unsigned index_bits,
			       pasid_error *err)
{
	if (out)
		*out = NULL;
	if (!out || !src || !format)
		return pasid_fail(err, PASID_ERR_ARG, "pasid_table_open: no handle or no format");
	pasid_lib_init();
	const struct pt_format *fmt = pt_format_find(format);
	if (!fmt)
		return pasid_fail(err, PASID_ERR_ARG, "unknown table format '%s' (pasidtool formats)",
				  format);
	const struct pt_layout *lay = layout ? pt_format_layout(fmt, layout) : &fmt->layouts[0];
	if (!lay)
		return pasid_fail(err, PASID_ERR_ARG, "unknown %s layout '%s'", fmt->name, layout);
	if (index_bits > pt_format_max_index_bits(fmt))
		return pasid_fail(err, PASID_ERR_ARG, "%u index bits: a %s table has at most %u",
				  index_bits, fmt->name, pt_format_max_index_bits(fmt));
	pasid_table *t = table_new(src);
	if (!t)
		return pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	t->cfg.fmt = fmt;
	t->cfg.layout = lay;
	t->cfg.base = base;
	t->cfg.ssid_bits = index_bits;
	return finish_open(out, t, err);
}

PASID_API int pasid_table_open_strtab(pasid_table **out, pasid_source *src, uint64_t strtab_base,
				      uint64_t strtab_base_cfg, const char *caps,
				      pasid_error *err)
{
	if (out)
		*out = NULL;
	if (!out || !src)
		return pasid_fail(err, PASID_ERR_ARG, "pasid_table_open_strtab: no handle");
	pasid_lib_init();
	char why_caps[256];
	const char *spec = caps ? caps : "generic";
	if (strlen(spec) >= sizeof ((pasid_table *)0)->caps)
		return pasid_fail(err, PASID_ERR_ARG, "caps: longer than %zu characters",
				  sizeof ((pasid_table *)0)->caps - 1);
	struct smmu_caps *k = smmu_caps_parse(spec, why_caps, sizeof why_caps);
	if (!k)
		return pasid_fail(err, PASID_ERR_ARG, "caps: %s", why_caps);
	struct smmu_strtab st;
	const char *why = NULL;
	smmu_strtab_decode(strtab_base, strtab_base_cfg, k->sid_bits, &st);
	smmu_caps_free(k);
	pasid_table *t = table_new(src);
	if (!t)
		return pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	if (smmu_strtab_table_cfg(&st, &t->cfg, &why) != 0) {
		free(t);
		return pasid_fail(err, PASID_ERR_ARG, "STRTAB_BASE 0x%llx, STRTAB_BASE_CFG 0x%llx: %s",
				  (unsigned long long)strtab_base,
				  (unsigned long long)strtab_base_cfg, why);
	}
	t->strtab = 1;
	t->strtab_base = strtab_base;
	t->strtab_cfg = strtab_base_cfg;
	snprintf(t->caps, sizeof t->caps, "%s", spec);
	return finish_open(out, t, err);
}

PASID_API int pasid_table_open_cd(pasid_table **out, pasid_table *strtab, uint32_t sid,
				  pasid_error *err)
{
	if (out)
		*out = NULL;
	if (!out || !strtab)
		return pasid_fail(err, PASID_ERR_ARG, "pasid_table_open_cd: no handle");
	if (strtab->cfg.fmt != &smmu_strtab_format)
		return pasid_fail(err, PASID_ERR_ARG, "a %s table has no STEs",
				  strtab->cfg.fmt->name);
	if (strtab->cfg.ssid_bits < 32 && sid >> strtab->cfg.ssid_bits)
		return pasid_fail(err, PASID_ERR_ARG, "sid %u is outside a table of %u SID bits",
				  sid, strtab->cfg.ssid_bits);
	uint64_t addr;
	uint8_t ste[SMMU_STE_SIZE];
	const char *why = NULL;
	struct pt_source *s = &strtab->src->src;
	if (pt_entry_address(s, &strtab->cfg, sid, &addr, &why) != 0)
		return pasid_fail(err, PASID_ERR_INPUT, "sid %u: %s", sid, why);
	if (pt_source_read(s, addr, ste, sizeof ste) != PT_READ_OK)
		return pasid_fail(err, PASID_ERR_INPUT, "sid %u: the STE at 0x%llx %s", sid,
				  (unsigned long long)addr,
				  pt_source_why_unreadable(s, addr, sizeof ste));
	char why_caps[256];
	struct smmu_caps *k = smmu_caps_parse(strtab->caps[0] ? strtab->caps : "generic",
					      why_caps, sizeof why_caps);
	if (!k)
		return pasid_fail(err, PASID_ERR_ARG, "caps: %s", why_caps);
	pasid_table *t = table_new(strtab->src);
	int bad = !t || smmu_ste_cd_cfg(ste, k, &t->cfg, &why) != 0;
	smmu_caps_free(k);
	if (!t)
		return pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	if (bad) {
		free(t);
		return pasid_fail(err, PASID_ERR_INPUT, "sid %u: the STE at 0x%llx leads to no CD "
				  "table: %s", sid, (unsigned long long)addr, why);
	}
	t->cfg.has_sid = 1;
	t->cfg.sid = sid;
	snprintf(t->caps, sizeof t->caps, "%s", strtab->caps);
	return finish_open(out, t, err);
}

PASID_API void pasid_table_close(pasid_table *t)
{
	free(t);
}

/* A jansson value as text the caller frees with pasid_free. */
static int dump_json(json_t *j, char **json, pasid_error *err)
{
	*json = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!*json)
		return pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	return pasid_ok(err);
}

PASID_API int pasid_table_header_json(const pasid_table *t, char **json, pasid_error *err)
{
	if (json)
		*json = NULL;
	if (!t || !json)
		return pasid_fail(err, PASID_ERR_ARG, "pasid_table_header_json: no handle");
	json_t *h = pt_decode_json_header(&t->cfg);
	if (h && t->strtab) {
		json_object_set_new(h, "strtab_base", pt_json_hex(t->strtab_base));
		json_object_set_new(h, "strtab_base_cfg", pt_json_hex(t->strtab_cfg));
	}
	return dump_json(h, json, err);
}

/* Items of decode --json are written into one growing buffer, rewound for
 * each: a walk's memory stays that of its largest item. */
struct item_buf {
	FILE *f;
	char *text;
	size_t len;
};

static int item_open(struct item_buf *b)
{
	b->text = NULL;
	b->len = 0;
	b->f = open_memstream(&b->text, &b->len);
	return b->f ? 0 : -1;
}

static void item_close(struct item_buf *b)
{
	if (b->f)
		fclose(b->f);
	free(b->text);
	b->f = NULL;
	b->text = NULL;
}

/* The item for one descriptor or entry, NUL-terminated, valid until the
 * next call; NULL when memory runs out. */
static const char *item_write(struct item_buf *b, const struct pt_table_cfg *cfg, int dir,
			      uint32_t index, uint64_t addr, const uint8_t *raw)
{
	if (fseeko(b->f, 0, SEEK_SET) != 0)
		return NULL;
	struct pt_emit e;
	memset(&e, 0, sizeof e);
	e.out = b->f;
	e.json = 1;
	e.first_item = 1;
	const struct pt_format *fmt = cfg->fmt;
	if (dir)
		pt_emit_struct_item(&e, "index", index, addr, fmt->dir, raw, 0);
	else
		pt_emit_struct_item(&e, pt_format_index_name(fmt), index, addr, fmt->entry, raw, 1);
	/* The stream writes no NUL of its own over an earlier, longer item. */
	if (fputc('\0', b->f) == EOF || fflush(b->f) != 0 || b->len < 2 || ferror(b->f))
		return NULL;
	return b->text + 1; /* past the "\n" the stream puts before an item */
}

struct walk_state {
	pasid_table *t;
	unsigned flags;
	pasid_walk_fn fn;
	void *user;
	struct item_buf items;
	int stopped, nomem;
};

static int nonzero(const uint8_t *raw, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (raw[i])
			return 1;
	return 0;
}

static int hand_over(struct walk_state *ws, int kind, uint32_t index, uint64_t addr,
		     const uint8_t *raw, size_t size, int valid)
{
	if (!(ws->flags & PASID_WALK_ALL) && !valid && !nonzero(raw, size))
		return 0;
	pasid_entry e = { kind, index, addr, valid, raw, size, NULL };
	if (ws->flags & PASID_WALK_JSON) {
		e.json = item_write(&ws->items, &ws->t->cfg, kind == PASID_DIR, index, addr, raw);
		if (!e.json) {
			ws->nomem = 1;
			return 1;
		}
	}
	int rc = ws->fn(&e, ws->user);
	if (rc)
		ws->stopped = 1;
	return rc;
}

static int on_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw,
		  const struct pt_dir_view *dv)
{
	return hand_over(w->user, PASID_DIR, index, addr, raw, w->cfg->fmt->dir->size, dv->valid);
}

static int on_entry(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw)
{
	const struct pt_format *fmt = w->cfg->fmt;
	return hand_over(w->user, PASID_ENTRY, index, addr, raw, fmt->entry->size,
			 fmt->entry_valid(raw));
}

static const struct pt_walk_ops walk_ops = { NULL, on_dir, on_entry };

PASID_API int pasid_table_walk(pasid_table *t, unsigned flags, pasid_walk_fn fn, void *user,
			       pasid_error *err)
{
	if (!t || !fn)
		return pasid_fail(err, PASID_ERR_ARG, "pasid_table_walk: no handle or no callback");
	if (flags & ~(unsigned)(PASID_WALK_JSON | PASID_WALK_ALL))
		return pasid_fail(err, PASID_ERR_ARG, "pasid_table_walk: unknown flags 0x%x", flags);
	struct walk_state ws = { t, flags, fn, user, { NULL, NULL, 0 }, 0, 0 };
	if ((flags & PASID_WALK_JSON) && item_open(&ws.items) != 0)
		return pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	struct pt_diag_sink diags;
	struct pt_budget budget = { PT_DEFAULT_MAX_ENTRIES, 0, 0 };
	pt_diag_init(&diags, t->src->name, NULL);
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &t->cfg;
	w.src = &t->src->src;
	w.diags = &diags;
	w.ops = &walk_ops;
	w.user = &ws;
	w.visit_zero = (flags & PASID_WALK_ALL) != 0;
	w.budget = &budget;
	int rc = pt_walk_run(&w);
	if (ws.nomem)
		rc = pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	else if (rc != 0)
		rc = pasid_fail_diag(err, PASID_ERR_ARG, &diags, "the table cannot be walked");
	else if (budget.exhausted)
		rc = pasid_fail_diag(err, PASID_ERR_INPUT, &diags, "the walk budget ran out");
	else
		rc = ws.stopped ? PASID_STOPPED : pasid_ok(err);
	pt_diag_free(&diags);
	item_close(&ws.items);
	return rc;
}

PASID_API int pasid_table_entry_json(pasid_table *t, uint32_t index, char **json,
				     pasid_error *err)
{
	if (json)
		*json = NULL;
	if (!t || !json)
		return pasid_fail(err, PASID_ERR_ARG, "pasid_table_entry_json: no handle");
	const struct pt_format *fmt = t->cfg.fmt;
	if (t->cfg.ssid_bits < 32 && index >> t->cfg.ssid_bits)
		return pasid_fail(err, PASID_ERR_ARG, "%s %u is outside a table of %u %s bits",
				  pt_format_index_name(fmt), index, t->cfg.ssid_bits,
				  pt_format_index_name(fmt));
	uint64_t addr;
	const char *why = NULL;
	uint8_t raw[PT_MAX_ENTRY_SIZE];
	struct pt_source *s = &t->src->src;
	if (pt_entry_address(s, &t->cfg, index, &addr, &why) != 0)
		return pasid_fail(err, PASID_ERR_INPUT, "%s %u: %s", pt_format_index_name(fmt), index,
				  why);
	if (pt_source_read(s, addr, raw, fmt->entry->size) != PT_READ_OK)
		return pasid_fail(err, PASID_ERR_INPUT, "%s %u: the entry at 0x%llx %s",
				  pt_format_index_name(fmt), index, (unsigned long long)addr,
				  pt_source_why_unreadable(s, addr, fmt->entry->size));
	struct item_buf b;
	if (item_open(&b) == 0) {
		const char *text = item_write(&b, &t->cfg, 0, index, addr, raw);
		*json = text ? strdup(text) : NULL;
	}
	item_close(&b);
	if (!*json)
		return pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	return pasid_ok(err);
}

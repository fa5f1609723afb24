/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "build_check.h"

#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "smmuv3.h"
#include "source.h"
#include "table.h"

/* The image as a source: each region is a buffer mapped at its address. */
static int image_source(const struct pt_image *img, struct pt_source *src, const char *name,
			struct pt_diag_sink *diags)
{
	pt_source_init(src, name);
	int f = pt_source_add_buffer(src, name, NULL, 0);
	if (f < 0)
		return -1;
	for (size_t i = 0; i < img->n; i++) {
		const struct pt_image_region *r = &img->regions[i];
		if (pt_source_add_bytes(src, r->addr, r->data, r->size, (uint32_t)f) != 0)
			return -1;
	}
	return img->n && pt_source_finish(src, diags) == 0 ? 0 : -1;
}

static void walk_one(struct pt_source *src, const struct pt_table_cfg *cfg,
		     struct pt_diag_sink *diags)
{
	char err[160];
	void *caps = cfg->fmt->caps_parse ? cfg->fmt->caps_parse("generic", err, sizeof err) : NULL;
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = cfg;
	w.src = src;
	w.diags = diags;
	w.caps = caps;
	w.validate = 1;
	pt_walk_run(&w);
	if (caps)
		cfg->fmt->caps_free(caps);
}

/* Walk every table over src; findings (warnings) counted and printed. */
static long check_tables(struct pt_source *src, const struct pt_built_table *tables, size_t n,
			 struct pt_diag_sink *diags)
{
	for (size_t i = 0; i < n; i++)
		walk_one(src, &tables[i].cfg, diags);
	long found = 0;
	for (uint32_t i = 0; i < diags->nitems; i++) {
		struct pt_diag *d = &diags->items[i];
		if (d->severity > PT_SEV_WARNING)
			d->severity = PT_SEV_WARNING;
		found += 1 + (long)d->repeat;
	}
	pt_diag_flush_text(diags, stderr);
	return found;
}

long pt_build_check(const struct pt_image *img, const struct pt_built_table *tables, size_t n,
		    const char *out, int color)
{
	struct pt_diag_sink diags;
	struct pt_source src;
	long found = -1;
	pt_diag_init(&diags, out, NULL);
	diags.color = color;
	diags.fold = 1;
	if (image_source(img, &src, out, &diags) == 0)
		found = check_tables(&src, tables, n, &diags);
	pt_source_free(&src);
	pt_diag_free(&diags);
	return found;
}

long pt_build_check_file(const char *path, uint64_t base, const struct pt_built_table *tables,
			 size_t n, int color)
{
	struct pt_diag_sink diags, open_diags;
	struct pt_source src;
	struct pt_open_opts opts = { .base = base };
	long found = -1;
	pt_diag_init(&diags, path, NULL);
	pt_diag_init(&open_diags, path, NULL);
	diags.color = color;
	diags.fold = 1;
	pt_source_init(&src, path);
	if (pt_source_open(&src, &path, 1, &opts, &open_diags) == 0)
		found = check_tables(&src, tables, n, &diags);
	pt_source_free(&src);
	pt_diag_free(&open_diags);
	pt_diag_free(&diags);
	return found;
}

static int cd0_valid(struct pt_source *src, const struct pt_table_cfg *cfg)
{
	uint64_t addr;
	const char *why;
	uint8_t raw[PT_MAX_ENTRY_SIZE];
	size_t size = cfg->fmt->entry->size;
	return size <= sizeof raw && pt_entry_address(src, cfg, 0, &addr, &why) == 0 &&
	       pt_source_read(src, addr, raw, size) == PT_READ_OK && cfg->fmt->entry_valid(raw);
}

void pt_build_choose_s1dss(const struct pt_image *img, struct pt_built_table *cds, size_t n,
			   const char *out, int quiet)
{
	struct pt_diag_sink diags;
	struct pt_source src;
	pt_diag_init(&diags, out, NULL);
	if (image_source(img, &src, out, &diags) == 0) {
		for (size_t i = 0; i < n; i++) {
			struct smmu_ste_ctx ste;
			smmu_ste_ctx_unpack(cds[i].cfg.vendor[0], &ste);
			if (ste.present || cds[i].cfg.fmt != &smmu_cd_format)
				continue; /* an STE already says */
			int has0 = cd0_valid(&src, &cds[i].cfg);
			ste.present = 1;
			ste.s1dss = has0 ? 2 : 0;
			cds[i].cfg.vendor[0] = smmu_ste_ctx_pack(&ste);
			if (!quiet)
				fprintf(stderr, "%s: note: ATTACH_TABLE of the CD table at 0x%llx: "
					"S1DSS = %s\n", out, (unsigned long long)cds[i].cfg.base,
					has0 ? "ssid0 (CD 0 serves DMA without a PASID)"
					     : "terminate (no valid CD 0: DMA without a PASID is "
					       "aborted; give SSID 0 an entry for ssid0)");
		}
	}
	pt_source_free(&src);
	pt_diag_free(&diags);
}

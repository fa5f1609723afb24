/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small in-memory SMMU for the rule tests: an image with a linear CD
 * table (or a 2-level one), walked through the real core walker and the real
 * CD checks, with the findings counted by rule id. */
#ifndef PT_RULE_HARNESS_H
#define PT_RULE_HARNESS_H

#include <stdint.h>
#include <string.h>

#include "diag.h"
#include "formats.h"
#include "smmuv3.h"
#include "source.h"
#include "table.h"
#include "tableset.h"

#define H_BASE UINT64_C(0x100000)
#define H_SIZE 0x30000u

struct harness {
	uint8_t mem[H_SIZE];
	const char *layout;
	unsigned ssid_bits;
	uint64_t table_base;
	const char *caps;
	struct smmu_ste_ctx ste;
	int one_ssid;
	uint32_t ssid;
	uint64_t max_entries;      /* the walk's budget; 0: unlimited */
	uint64_t reserve_bytes;    /* memory of another structure at reserve_addr */
	uint64_t reserve_addr;     /* (the table is then walked through a table set) */
	/* The walk's callbacks (NULL: none, entries checked a run at a time). */
	const struct pt_walk_ops *ops;
	struct pt_diag_sink diags;
	uint64_t entries_read, entries_valid;   /* the last walk's counts */
};

static inline uint8_t *h_at(struct harness *h, uint64_t addr)
{
	return h->mem + (addr - H_BASE);
}

static inline uint8_t *h_cd(struct harness *h, uint32_t ssid)
{
	return h_at(h, h->table_base + (uint64_t)ssid * SMMU_CD_SIZE);
}

static inline void h_set(uint8_t *cd, enum smmu_cd_field_id id, uint64_t v)
{
	pt_field_set(cd, &smmu_cd_fields[id], v);
}

/* Two CDs in a linear table: SSID 0 valid with Linux's defaults, SSID 1 empty. */
static inline void h_init(struct harness *h)
{
	pt_formats_init();
	memset(h, 0, sizeof *h);
	h->layout = "linear";
	h->ssid_bits = 1;
	h->table_base = H_BASE;
	h->caps = "generic";
	smmu_cd_format.entry_defaults(h_cd(h, 0));
	h_set(h_cd(h, 0), CD_ASID, 1);
	h_set(h_cd(h, 0), CD_TTB0, 0x200000);
}

/* Walk with validation; returns the number of findings. */
static inline uint64_t h_run(struct harness *h)
{
	struct pt_source src;
	pt_source_init(&src, "mem");
	int f = pt_source_add_buffer(&src, "mem", h->mem, sizeof h->mem);
	pt_source_add_range(&src, H_BASE, sizeof h->mem, (uint32_t)f, 0, sizeof h->mem);
	pt_diag_free(&h->diags);
	pt_diag_init(&h->diags, "mem", NULL);
	pt_source_finish(&src, &h->diags);
	struct pt_table_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.fmt = &smmu_cd_format;
	cfg.layout = pt_format_layout(&smmu_cd_format, h->layout);
	cfg.base = h->table_base;
	cfg.ssid_bits = h->ssid_bits;
	cfg.vendor[0] = smmu_ste_ctx_pack(&h->ste);
	char err[200];
	struct smmu_caps *caps = smmu_caps_parse(h->caps, err, sizeof err);
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.src = &src;
	w.diags = &h->diags;
	w.caps = caps;
	w.validate = 1;
	w.one_ssid = h->one_ssid;
	w.ssid = h->ssid;
	w.ops = h->ops;
	struct pt_budget budget = { h->max_entries, 0, 0 };
	w.budget = &budget;
	struct pt_tset ts;
	struct pt_tset_table *t = NULL;
	pt_tset_init(&ts, "sid");
	if (h->reserve_bytes) {
		pt_tset_reserve(&ts, h->reserve_addr, h->reserve_bytes, "the stream table");
		pt_tset_add(&ts, &cfg, 0, &t);
		pt_tset_settle(&ts);
	}
	if (t && t->overlaps)
		pt_tset_report_overlap(&ts, t, &h->diags);
	else
		pt_walk_run(&w);
	h->entries_read = w.entries_read;
	h->entries_valid = w.entries_valid;
	pt_tset_free(&ts);
	smmu_caps_free(caps);
	pt_source_free(&src);
	return h->diags.counts[PT_SEV_NOTE] + h->diags.counts[PT_SEV_WARNING] +
	       h->diags.counts[PT_SEV_ERROR];
}

/* Findings of one rule, counting folded repeats. */
static inline unsigned h_count(const struct harness *h, const char *rule)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < h->diags.nitems; i++)
		if (strcmp(h->diags.items[i].rule->id, rule) == 0)
			n += 1 + h->diags.items[i].repeat;
	return n;
}

#endif

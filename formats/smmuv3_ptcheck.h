/* SPDX-License-Identifier: GPL-2.0-or-later */
/* validate --page-tables: the translation tables every valid CD (stage 1,
 * TTB0 and TTB1) and every stage-2 STE reaches, each address space walked
 * once however many streams and substreams share it, and each table once
 * however many descriptors point at it, under the run's --max-entries
 * budget. Findings are the TT-* rules of the walker, carrying the StreamID
 * and SubstreamID of the first stream that reaches the address space and
 * naming the other StreamIDs. */
#ifndef PT_SMMUV3_PTCHECK_H
#define PT_SMMUV3_PTCHECK_H

#include <stdint.h>

#include "diag.h"
#include "ptwalk.h"
#include "smmuv3.h"
#include "source.h"
#include "table.h"

/* Distinct address spaces remembered; later ones are counted in
 * `dropped` and reported once. */
#define SMMU_PTCHECK_MAX_SPACES 65536u
/* Distinct tables remembered as checked; past this, tables reached again
 * are walked again (correct, only slower; the budget still bounds it). */
#define SMMU_PTCHECK_MAX_TABLES (1u << 20)

struct smmu_ptcheck_space;
struct smmu_ptcheck_table;

struct smmu_ptcheck {
	struct smmu_caps *caps;
	struct smmu_ptcheck_space *v;
	uint32_t n, cap;
	uint32_t *slots;             /* hash of v: index + 1, 0 = empty */
	uint64_t dropped;
	struct smmu_ptcheck_table *tables;  /* open addressing, 0 table = empty */
	uint32_t ntables, tables_cap;
	/* Results of smmu_ptcheck_run. */
	uint64_t spaces_walked, tables_read, descriptors, leaves;
};

void smmu_ptcheck_init(struct smmu_ptcheck *c, struct smmu_caps *caps);
void smmu_ptcheck_free(struct smmu_ptcheck *c);

/* A valid CD reached by SubstreamID ssid (of StreamID sid when has_sid):
 * the halves it walks (TTB0, TTB1 unless EPDx) join the set. strw is the
 * STE's StreamWorld (0 for a bare CD table). */
void smmu_ptcheck_add_cd(struct smmu_ptcheck *c, int has_sid, uint32_t sid, uint32_t ssid,
			 const uint8_t *cd, unsigned strw);
/* An STE of StreamID sid: a valid stage-2 (S2-only or nested) STE's tables
 * join the set. */
void smmu_ptcheck_add_ste(struct smmu_ptcheck *c, uint32_t sid, const uint8_t *ste);

/* Walk every address space of the set once, in the order first reached,
 * reading at most what is left of `budget` (NULL: no cap). */
void smmu_ptcheck_run(struct smmu_ptcheck *c, struct pt_source *src,
		      struct pt_diag_sink *diags, struct pt_budget *budget);

#endif

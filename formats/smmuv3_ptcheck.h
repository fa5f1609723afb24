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
 * are walked again (correct, only slower; the budget still bounds it) and
 * are not checked for aliasing. */
#define SMMU_PTCHECK_MAX_TABLES (1u << 20)
/* Memory of other structures (stream table, CD tables) translation tables
 * must not overlap; later ones are not checked. */
#define SMMU_PTCHECK_MAX_SPANS 65536u

struct smmu_ptcheck_space;
struct smmu_ptcheck_table;
struct smmu_ptcheck_span;

struct smmu_ptcheck {
	struct smmu_caps *caps;
	struct smmu_ptcheck_space *v;
	uint32_t n, cap;
	uint32_t *slots;             /* hash of v: index + 1, 0 = empty */
	uint64_t dropped;
	struct smmu_ptcheck_table *tables;  /* open addressing, 0 table = empty */
	uint32_t ntables, tables_cap;
	struct smmu_ptcheck_span *spans;
	uint32_t nspans, spans_cap;
	/* Results of smmu_ptcheck_run (not_walked: of smmu_ptcheck_add_cd_checked). */
	uint64_t spaces_walked, tables_read, descriptors, leaves, not_walked;
};

void smmu_ptcheck_init(struct smmu_ptcheck *c, struct smmu_caps *caps);
void smmu_ptcheck_free(struct smmu_ptcheck *c);

/* A valid CD reached by SubstreamID ssid (of StreamID sid when has_sid):
 * the halves it walks (TTB0, TTB1 unless EPDx) join the set. strw is the
 * STE's StreamWorld (0 for a bare CD table). */
void smmu_ptcheck_add_cd(struct smmu_ptcheck *c, int has_sid, uint32_t sid, uint32_t ssid,
			 const uint8_t *cd, unsigned strw);
/* The same for a CD of the table `cfg` at `addr`, judged first by the CD
 * rules: a CD the SMMU rejects (C_BAD_CD) joins nothing, and TT-NOT-WALKED
 * says so in `diags` with the rule that rejects it. */
void smmu_ptcheck_add_cd_checked(struct smmu_ptcheck *c, struct pt_diag_sink *diags, int has_sid,
				 uint32_t sid, uint32_t ssid, uint64_t addr, const uint8_t *cd,
				 const struct pt_table_cfg *cfg, unsigned strw);
/* The same for a stage-2 STE of StreamID sid at `addr` in the stream table
 * `cfg`, judged by the STE rules: one the SMMU rejects (C_BAD_STE) joins
 * nothing and TT-NOT-WALKED says why. */
void smmu_ptcheck_add_ste_checked(struct smmu_ptcheck *c, struct pt_diag_sink *diags,
				  uint32_t sid, uint64_t addr, const uint8_t *ste,
				  const struct pt_table_cfg *cfg);
/* Memory of another structure the SMMU reads (`what`, a static string:
 * "the stream table", "a CD table"): a translation table laid over it is
 * TT-OVERLAP. */
void smmu_ptcheck_reserve(struct smmu_ptcheck *c, uint64_t addr, uint64_t bytes,
			  const char *what);
/* An STE of StreamID sid: a valid stage-2 (S2-only or nested) STE's tables
 * join the set. */
void smmu_ptcheck_add_ste(struct smmu_ptcheck *c, uint32_t sid, const uint8_t *ste);

/* Walk every address space of the set once, in the order first reached,
 * reading at most what is left of `budget` (NULL: no cap); then report each
 * table reached at two levels (TT-LEVEL-ALIAS) or laid over another
 * structure (TT-OVERLAP), once per table, naming both paths. */
void smmu_ptcheck_run(struct smmu_ptcheck *c, struct pt_source *src,
		      struct pt_diag_sink *diags, struct pt_budget *budget);

#endif

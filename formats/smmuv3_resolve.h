/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From a stream to its tables, as the SMMU follows it (IHI 0070 §3.3):
 *
 *   source → stream table → STE → CD table → CD → translation regime
 *
 * Two entry points, one path:
 *   - smmu_resolve(): one transaction's (StreamID, SubstreamID) resolved to
 *     its STE, CD table, CD and regime, or to the event that stops it first
 *     (C_BAD_STREAMID, C_BAD_STE, C_BAD_SUBSTREAMID, F_STREAM_DISABLED,
 *     C_BAD_CD), judged by the same rules `validate` runs. For translate,
 *     maps, explain and scan.
 *   - struct smmu_streams: while a stream table is walked, each STE's CD
 *     table goes into a table set (core/tableset.h), so every distinct CD
 *     table is walked once and findings about it name every StreamID that
 *     reaches it; CD tables laid over the stream table are reported, not
 *     walked. For decode, validate and the fuzz harnesses. */
#ifndef PT_SMMUV3_RESOLVE_H
#define PT_SMMUV3_RESOLVE_H

#include <stdint.h>

#include "smmuv3.h"
#include "smmuv3_queue.h"
#include "tableset.h"

/* Event ids (SMMU_EVT_*) are the event family's (smmuv3_queue.h); NONE
 * means resolution stopped without one. */
enum { SMMU_EVT_NONE = 0 };
/* The event's architecture name: smmu_evt_name(). */
const char *smmu_event_name(unsigned id);

/* Where a resolution ended. */
enum smmu_outcome {
	SMMU_RESOLVED,        /* a regime: s1/s2 say which stages translate */
	SMMU_TERMINATED,      /* aborted with `event` recorded */
	SMMU_ABORTED,         /* STE.Config = abort: terminated, no event */
	SMMU_NOT_IN_INPUT,    /* a structure the SMMU reads is not in the input
			       * (not an SMMU event: the dump ends there) */
	SMMU_NESTED_CD,       /* nested: the CD table address is an IPA; the
			       * caller walks stage 2 to reach it */
};

struct smmu_resolution {
	uint32_t sid;
	int has_ssid;             /* the transaction carries a SubstreamID */
	uint32_t ssid;
	enum smmu_outcome outcome;
	unsigned event;           /* SMMU_EVT_* when TERMINATED */
	char reason[200];         /* why, in words (the finding's message) */
	const char *rule;         /* rule id behind the event, or NULL */
	uint64_t addr;            /* address of the structure at fault or missing */
	/* The STE (have_ste: read, whatever it holds). */
	int have_ste;
	uint64_t ste_addr;
	uint8_t ste[SMMU_STE_SIZE];
	unsigned config;          /* STE.Config */
	/* Stage 1: the CD table and the CD used (have_cd). cd_index is the
	 * SSID the CD was fetched for: the SubstreamID, or 0 for traffic
	 * without one under S1DSS = SSID0. */
	int have_cd_table;
	struct pt_table_cfg cd_table;
	int have_cd;
	uint32_t cd_index;
	uint64_t cd_addr;
	uint8_t cd[SMMU_CD_SIZE];
	/* The regime when RESOLVED: which stages translate (neither: bypass). */
	int s1, s2;
};

/* Resolve (sid, ssid) through the stream table `strtab` (the config
 * smmu_strtab_table_cfg gives, or a one-STE table for --ste) in `src`,
 * judging each structure with the STE/CD rules under `caps`. Returns 0;
 * -1 only when strtab is not a stream-table config. */
int smmu_resolve(struct pt_source *src, const struct pt_table_cfg *strtab,
		 struct smmu_caps *caps, uint32_t sid, int has_ssid, uint32_t ssid,
		 struct smmu_resolution *out);

/* A bare CD table (no STE, as `--cd-table` gives it): the CD for ssid (0
 * without one) judged by the CD rules, as smmu_resolve judges the CD an STE
 * leads to. Returns 0; -1 only when cds is not a CD table config. */
int smmu_resolve_cd(struct pt_source *src, const struct pt_table_cfg *cds,
		    struct smmu_caps *caps, int has_ssid, uint32_t ssid,
		    struct smmu_resolution *out);

/* ---- every STE of a walk → the set of CD tables ---- */

struct smmu_streams {
	struct smmu_caps *caps;
	struct pt_tset cds;       /* referrers are StreamIDs */
};

/* What one STE led to. */
struct smmu_ste_outcome {
	const struct pt_tset_table *table;  /* its CD table, or NULL (see why) */
	int shared;               /* the table was reached from an earlier STE */
	const char *why;
};

void smmu_streams_init(struct smmu_streams *s, struct smmu_caps *caps);
void smmu_streams_free(struct smmu_streams *s);
/* The stream table's own memory (its root, or one leaf of it): CD tables
 * laid over it are reported, not walked. */
void smmu_streams_reserve(struct smmu_streams *s, uint64_t addr, uint64_t bytes);
/* STE `sid` at addr was walked: its CD table joins the set. */
void smmu_streams_add_ste(struct smmu_streams *s, uint32_t sid, const uint8_t *ste,
			  struct smmu_ste_outcome *out);
/* After the stream table walk, before the CD tables are walked. */
void smmu_streams_settle(struct smmu_streams *s);

/* ---- the stream table, then each CD table its STEs reach ---- */

/* For the callbacks of the walk smmu_strtab_walk's root runs: a valid L1
 * descriptor's leaf is reserved, an STE's CD table joins the set. Walks of
 * other tables (the CD tables themselves) are left alone; out is cleared. */
void smmu_streams_on_dir(struct smmu_streams *s, const struct pt_walk *w,
			 const struct pt_dir_view *dv);
void smmu_streams_on_entry(struct smmu_streams *s, const struct pt_walk *w, uint32_t sid,
			   const uint8_t *raw, struct smmu_ste_outcome *out);

struct smmu_strtab_walk {
	struct smmu_streams *streams;
	struct pt_diag_sink *diags;
	int contexts;             /* each CD table again per sharer (validate) */
	/* Walks the root table; its callbacks call the two hooks above. */
	int (*root)(void *user, const struct pt_table_cfg *cfg);
	pt_tset_walk_fn cd_table; /* each CD table, as pt_tset_walk_all */
	void *user;
};

/* A stream-table root is walked with its memory reserved, then every CD
 * table its STEs reached, each once (and per context with `contexts`);
 * any other root is only walked. Returns -1 when a walk did, else 0. */
int smmu_strtab_walk(const struct smmu_strtab_walk *sw, const struct pt_table_cfg *root);

#endif

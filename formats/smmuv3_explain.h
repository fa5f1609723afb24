/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Why an SMMUv3 event happened: the event record decoded, the STE and CD the
 * SMMU used for it found in the dump through the stream table, the checks
 * those structures fail, the commands of the history that touched its
 * StreamID, ASID or address, and one short paragraph that puts them
 * together. Library code: `explain` prints it, tests and fuzzers call it. */
#ifndef PT_SMMUV3_EXPLAIN_H
#define PT_SMMUV3_EXPLAIN_H

#include <stdint.h>

#include "diag.h"
#include "smmuv3.h"
#include "smmuv3_queue.h"
#include "smmuv3_resolve.h"

#define SMMU_EXPLAIN_MAX_HISTORY 16u
#define SMMU_EXPLAIN_TEXT 1536u

struct smmu_explain_ctx {
	struct pt_source *src;
	struct smmu_caps *caps;
	const struct smmu_strtab *strtab;  /* NULL: the stream table is not known */
	const struct smmu_queue *cmdq;     /* NULL: no command history */
};

/* A command of the history that concerns the event. */
struct smmu_explain_cmd {
	uint32_t index;
	uint64_t addr;
	int64_t age;                       /* -1: the newest consumed command */
	uint8_t raw[SMMU_CMD_SIZE];
	const char *why;                   /* "StreamID", "ASID and address", ... */
};

struct smmu_explain {
	uint8_t evt[SMMU_EVT_SIZE];
	const struct pt_struct *evt_st;
	unsigned id;
	uint32_t sid, ssid;
	int ssv;
	uint64_t addr;                     /* InputAddr, when the event has one */
	int has_addr;
	/* The STE, when the stream table reaches it. */
	int have_ste;
	uint64_t ste_addr;
	uint8_t ste[SMMU_STE_SIZE];
	const char *ste_missing;           /* why not */
	/* The CD, when the STE reaches one. */
	int have_cd;
	uint32_t cd_index;
	uint64_t cd_addr;
	uint8_t cd[SMMU_CD_SIZE];
	const char *cd_missing;
	/* What the SMMU would do with this stream now, by the dump
	 * (smmu_resolve): have_resolution when a stream table was given. */
	int have_resolution;
	struct smmu_resolution res;
	/* Findings of the STE and CD checks for this stream (errors first). */
	struct pt_diag_sink findings;
	/* Newest first. */
	struct smmu_explain_cmd hist[SMMU_EXPLAIN_MAX_HISTORY];
	unsigned nhist;
	uint64_t hist_matches;             /* all matching commands, shown or not */
	int hist_known;                    /* a command queue was searched */
	/* Set by the caller from the page-table walk, when there is one:
	 * 1 the address translates in the dump now, 0 it faults, -1 unknown. */
	int maps_now;
	char text[SMMU_EXPLAIN_TEXT];
};

/* Fill `out` for one event. Never fails: what cannot be found is said. */
void smmu_explain_event(const struct smmu_explain_ctx *ctx, const uint8_t evt[SMMU_EVT_SIZE],
			struct smmu_explain *out);
/* (Re)write out->text from what out holds (call again after maps_now). */
void smmu_explain_write(struct smmu_explain *out);
void smmu_explain_free(struct smmu_explain *out);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checks of SMMUv3 queue contents and queue registers: CMDQ-* for commands
 * (what makes the SMMU stop with CERROR_ILL, fields the SMMU in --caps does
 * not implement, a history that contradicts the stream table), EVTQ-* and
 * PRIQ-* for records, QUEUE-* for the PROD/CONS/BASE values themselves. */
#ifndef PT_SMMUV3_QUEUE_RULES_H
#define PT_SMMUV3_QUEUE_RULES_H

#include <stdint.h>

#include "diag.h"
#include "rule.h"
#include "smmuv3.h"
#include "smmuv3_queue.h"

enum smmu_queue_rule_id {
	R_CMDQ_OPCODE_RESERVED, R_CMDQ_RES0, R_CMDQ_SSEC, R_CMDQ_SECURE_ONLY, R_CMDQ_SYNC_CS,
	R_CMDQ_PRI_RESP, R_CMDQ_RANGE_EMPTY, R_CMDQ_RANGE_TTL, R_CMDQ_RANGE_TG0,
	R_CMDQ_STAGE, R_CMDQ_STALL_MODEL, R_CMDQ_HYP, R_CMDQ_ATS, R_CMDQ_PRI, R_CMDQ_RIL,
	R_CMDQ_VMID_NO_S2, R_CMDQ_ASID16, R_CMDQ_VMID16, R_CMDQ_ATC_SIZE, R_CMDQ_SID_RANGE, R_CMDQ_SSID_RANGE,
	R_CMDQ_ERROR,
	R_EVTQ_ID_RESERVED, R_EVTQ_RES0, R_EVTQ_SID_RANGE, R_EVTQ_OVERFLOW,
	R_PRIQ_RES0, R_PRIQ_OVERFLOW,
	R_QUEUE_PROD_BEHIND, R_QUEUE_OVERLAP, R_QUEUE_INDEX_RES0, R_QUEUE_LOG2SIZE,
	R_QUEUE_BASE_ALIGN, R_QUEUE_UNMAPPED, R_QUEUE_GEOMETRY,
	R_QUEUE_COUNT
};
extern const struct pt_rule smmu_queue_rule_list[R_QUEUE_COUNT];
extern const struct pt_rule_set smmu_queue_rules;

/* What the checks know about the SMMU and the dump. */
struct smmu_queue_ctx {
	const struct smmu_caps *caps;  /* never NULL: the default profile at least */
	int secure;                    /* the Secure command queue (not the NS one) */
	int have_strtab;               /* the stream table is known ... */
	unsigned strtab_sid_bits;      /* ... and holds 2^strtab_sid_bits STEs */
	const char *queue;             /* "cmdq", "eventq", "priq": message prefix */
};

/* One command / event record / PRI entry at `addr`, slot `index`. */
void smmu_cmd_check(struct pt_diag_sink *diags, const struct smmu_queue_ctx *ctx,
		    uint32_t index, uint64_t addr, const uint8_t *raw);
void smmu_evt_check(struct pt_diag_sink *diags, const struct smmu_queue_ctx *ctx,
		    uint32_t index, uint64_t addr, const uint8_t *raw);
void smmu_priq_check(struct pt_diag_sink *diags, const struct smmu_queue_ctx *ctx,
		     uint32_t index, uint64_t addr, const uint8_t *raw);

/* Report a queue rule with its effect appended (scope: the StreamID when
 * has_sid). */
void smmu_queue_report(struct pt_diag_sink *diags, enum smmu_queue_rule_id id, uint64_t addr,
		       int has_sid, uint32_t sid, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

#endif

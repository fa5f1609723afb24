/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SMMU register model: the SMMUv3 programming-interface registers a dump
 * does not hold (ID registers, controls, stream-table and queue bases and
 * indexes), each described once as a field table, and the values a user
 * gives for them (--regs FILE, --caps idr0=...). Everything that needs a
 * register value (the stream-table root, queue geometry, caps) reads it from
 * here, so ID-register decoding lives in one place. */
#ifndef PT_SMMUV3_REGS_H
#define PT_SMMUV3_REGS_H

#include <stddef.h>
#include <stdint.h>

#include "field.h"
#include "rule.h"

struct pt_diag_sink;
struct smmu_caps;

/* The registers, in the order of their offsets (IHI 0070 G.b §6.2). */
enum smmu_reg {
	SMMU_IDR0, SMMU_IDR1, SMMU_IDR2, SMMU_IDR3, SMMU_IDR4, SMMU_IDR5, SMMU_IIDR, SMMU_AIDR,
	SMMU_CR0, SMMU_CR1, SMMU_CR2, SMMU_GBPA, SMMU_STRTAB_BASE, SMMU_STRTAB_BASE_CFG,
	SMMU_CMDQ_BASE, SMMU_CMDQ_PROD, SMMU_CMDQ_CONS,
	SMMU_EVENTQ_BASE, SMMU_EVENTQ_PROD, SMMU_EVENTQ_CONS,
	SMMU_PRIQ_BASE, SMMU_PRIQ_PROD, SMMU_PRIQ_CONS,
	SMMU_NREGS
};

struct smmu_reg_info {
	const char *name;          /* architecture name without "SMMU_": "IDR0" */
	uint32_t offset;           /* from the SMMU's page 0 (page 1 registers: +0x10000) */
	uint8_t bytes;             /* 4 or 8 */
	const struct pt_struct *st; /* its fields */
	uint64_t hint_mask;        /* allocation-hint bits (RA/WA) a BASE value may carry */
};
const struct smmu_reg_info *smmu_reg_info(enum smmu_reg r);
/* A register by name, case-insensitive, with or without "SMMU_", EVTQ_ for
 * EVENTQ_; 0, or -1 when unknown. */
int smmu_reg_lookup(const char *name, enum smmu_reg *out);
/* The known name closest to an unknown one (for "did you mean"), or NULL. */
const char *smmu_reg_suggest(const char *name);

/* Field ids of the registers other code reads. */
enum smmu_idr0_field {
	IDR0_S2P, IDR0_S1P, IDR0_TTF, IDR0_COHACC, IDR0_BTM, IDR0_HTTU, IDR0_DORMHINT, IDR0_HYP,
	IDR0_ATS, IDR0_NS1ATS, IDR0_ASID16, IDR0_MSI, IDR0_SEV, IDR0_ATOS, IDR0_PRI, IDR0_VMW,
	IDR0_VMID16, IDR0_CD2L, IDR0_VATOS, IDR0_TTENDIAN, IDR0_ATSRECERR, IDR0_STALL_MODEL,
	IDR0_TERM_MODEL, IDR0_ST_LEVEL, IDR0_RES0_29, IDR0_RME_IMPL, IDR0_RES0_31, IDR0_NFIELDS
};
enum smmu_idr1_field {
	IDR1_SIDSIZE, IDR1_SSIDSIZE, IDR1_PRIQS, IDR1_EVENTQS, IDR1_CMDQS, IDR1_ATTR_PERMS_OVR,
	IDR1_ATTR_TYPES_OVR, IDR1_REL, IDR1_QUEUES_PRESET, IDR1_TABLES_PRESET, IDR1_ECMDQ,
	IDR1_NFIELDS
};
enum smmu_idr3_field {
	IDR3_RES0_1_0, IDR3_HAD, IDR3_PBHA, IDR3_XNX, IDR3_PPS, IDR3_RES0_6, IDR3_MPAM, IDR3_FWB,
	IDR3_STT, IDR3_RIL, IDR3_BBML, IDR3_E0PD, IDR3_PTWNNC, IDR3_DPT, IDR3_PASIDTT, IDR3_EPAN,
	IDR3_S1PI, IDR3_S2PI, IDR3_S2PO, IDR3_THE, IDR3_MTEPERM, IDR3_AIE, IDR3_RES0_31_24,
	IDR3_NFIELDS
};
enum smmu_idr5_field {
	IDR5_OAS, IDR5_RES0_3, IDR5_GRAN4K, IDR5_GRAN16K, IDR5_GRAN64K, IDR5_DS, IDR5_D128,
	IDR5_RES0_9, IDR5_VAX, IDR5_RES0_15_12, IDR5_STALL_MAX, IDR5_NFIELDS
};
enum smmu_aidr_field { AIDR_MINOR, AIDR_MAJOR, AIDR_RES0, AIDR_NFIELDS };
enum smmu_cr2_field { CR2_E2H, CR2_RECINVSID, CR2_PTM, CR2_OTHER, CR2_NFIELDS };
/* CMDQ_BASE, EVENTQ_BASE and PRIQ_BASE share one layout (bit 62 is RA for
 * the command queue, WA for the others). */
enum smmu_qbase_field { QBASE_LOG2SIZE, QBASE_ADDR, QBASE_RES0_61_56, QBASE_HINT,
			QBASE_RES0_63, QBASE_NFIELDS };
/* PROD and CONS: the index with its wrap bit, and the flags around it. */
enum smmu_qidx_field { QIDX_INDEX, QIDX_ERR, QIDX_FLAG, QIDX_NFIELDS };

/* The value of field `f` of register `r` holding `value`. */
uint64_t smmu_reg_field(enum smmu_reg r, uint64_t value, unsigned f);

/* Register values as given by the user. */
struct smmu_regs {
	uint64_t value[SMMU_NREGS];
	uint32_t have;             /* bit r: value[r] was given */
};
static inline int smmu_regs_have(const struct smmu_regs *r, enum smmu_reg id)
{
	return (r->have >> id) & 1u;
}
void smmu_regs_set(struct smmu_regs *r, enum smmu_reg id, uint64_t value);

/* Parsing a register file (formats/smmuv3_regs_file.c): NAME=VALUE or
 * NAME VALUE lines ('#' comments), or a JSON object of "NAME": VALUE or
 * "NAME": {"value": VALUE}. Findings (REGS-* rules) go to diags at the byte
 * offset of the line; returns the number of errors (0: usable). */
#define SMMU_REGS_MAX_FILE 65536u
#define SMMU_REGS_MAX_LINE 256u
int smmu_regs_parse(struct smmu_regs *r, const char *text, size_t len,
		    struct pt_diag_sink *diags);
/* Read and parse a file through the source reader ("-" is standard input). */
int smmu_regs_load(struct smmu_regs *r, const char *path, struct pt_diag_sink *diags);

/* Queues: the geometry and indexes the registers give. */
enum smmu_queue_id { SMMU_CMDQ, SMMU_EVENTQ, SMMU_PRIQ, SMMU_NQUEUES };
struct smmu_queue_regs {
	const char *name;          /* "cmdq", "eventq", "priq" */
	unsigned entry_bytes;      /* 16, 32, 16 */
	int have_base, have_prod, have_cons;
	uint64_t base_reg;         /* BASE as given, allocation hint masked */
	uint64_t base;             /* BASE.ADDR: the first entry */
	unsigned log2size;         /* BASE.LOG2SIZE, capped by IDR1's queue size when given */
	unsigned max_log2size;     /* IDR1.CMDQS/EVENTQS/PRIQS, or 19 without IDR1 */
	uint32_t prod, cons;       /* the PROD and CONS values */
};
/* 0 when the queue's BASE was given; -1 otherwise (out still describes
 * whatever PROD/CONS were given). */
int smmu_regs_queue(const struct smmu_regs *r, enum smmu_queue_id q, struct smmu_queue_regs *out);
/* Index and wrap bit of a PROD or CONS value for a queue of 2^log2size entries. */
static inline uint32_t smmu_queue_index(uint32_t v, unsigned log2size)
{
	return v & ((UINT32_C(1) << log2size) - 1);
}
static inline unsigned smmu_queue_wrap(uint32_t v, unsigned log2size)
{
	return (v >> log2size) & 1u;
}

/* Caps from ID registers (formats/smmuv3_idr.c): set every caps key that
 * register defines. Registers that define none (IDR2, CR0, ...) are no-ops. */
void smmu_caps_apply_reg(struct smmu_caps *c, enum smmu_reg r, uint64_t value);
/* Every given register that defines caps, applied in register order. */
void smmu_caps_apply_regs(struct smmu_caps *c, const struct smmu_regs *r);
/* The given registers as --caps keys ("idr0=0x...,idr1=0x..."), for a
 * command line that should reproduce them; returns the length written
 * (0 and an empty string when none are given or buf is too small). */
size_t smmu_regs_caps_spec(const struct smmu_regs *r, char *buf, size_t len);

/* The REGS-* rules and their registration with formats. */
enum smmu_regs_rule_id {
	R_REGS_SYNTAX, R_REGS_UNKNOWN, R_REGS_VALUE, R_REGS_DUPLICATE, R_REGS_TOO_LARGE,
	R_REGS_COUNT
};
extern const struct pt_rule smmu_regs_rule_list[R_REGS_COUNT];
extern const struct pt_rule_set smmu_regs_rules;
void smmu_regs_register(void);

#endif

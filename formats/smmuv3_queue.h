/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Arm SMMUv3 queue entries (IHI 0070 G.b chapters 4, 7 and 8): every command
 * of the command queue, every event record of the event queue, and the PRI
 * queue entry, each described once as a field table. Commands and events are
 * families keyed by their opcode / event id, so a raw CMDQ command (also an
 * iommufd invalidation entry) or a raw event record (also an iommufd vEVENT)
 * finds its layout in one call. Reference: shared/spec/smmuv3-queues.md. */
#ifndef PT_SMMUV3_QUEUE_H
#define PT_SMMUV3_QUEUE_H

#include <stdint.h>

#include "family.h"
#include "field.h"

#define SMMU_CMD_SIZE 16u
#define SMMU_EVT_SIZE 32u
#define SMMU_PRIQ_SIZE 16u

/* Command opcodes (IHI 0070 G.b §4.1.1). */
enum smmu_cmd_opcode {
	SMMU_CMD_PREFETCH_CONFIG = 0x01,
	SMMU_CMD_PREFETCH_ADDR = 0x02,
	SMMU_CMD_CFGI_STE = 0x03,
	SMMU_CMD_CFGI_STE_RANGE = 0x04, /* Range 31: CMD_CFGI_ALL */
	SMMU_CMD_CFGI_CD = 0x05,
	SMMU_CMD_CFGI_CD_ALL = 0x06,
	SMMU_CMD_CFGI_VMS_PIDM = 0x07,
	SMMU_CMD_TLBI_NH_ALL = 0x10,
	SMMU_CMD_TLBI_NH_ASID = 0x11,
	SMMU_CMD_TLBI_NH_VA = 0x12,
	SMMU_CMD_TLBI_NH_VAA = 0x13,
	SMMU_CMD_TLBI_EL3_ALL = 0x18,
	SMMU_CMD_TLBI_EL3_VA = 0x1a,
	SMMU_CMD_TLBI_EL2_ALL = 0x20,
	SMMU_CMD_TLBI_EL2_ASID = 0x21,
	SMMU_CMD_TLBI_EL2_VA = 0x22,
	SMMU_CMD_TLBI_EL2_VAA = 0x23,
	SMMU_CMD_TLBI_S12_VMALL = 0x28,
	SMMU_CMD_TLBI_S2_IPA = 0x2a,
	SMMU_CMD_TLBI_NSNH_ALL = 0x30,
	SMMU_CMD_ATC_INV = 0x40,
	SMMU_CMD_PRI_RESP = 0x41,
	SMMU_CMD_RESUME = 0x44,
	SMMU_CMD_STALL_TERM = 0x45,
	SMMU_CMD_SYNC = 0x46,
	SMMU_CMD_TLBI_S_EL2_ALL = 0x50,
	SMMU_CMD_TLBI_S_EL2_ASID = 0x51,
	SMMU_CMD_TLBI_S_EL2_VA = 0x52,
	SMMU_CMD_TLBI_S_EL2_VAA = 0x53,
	SMMU_CMD_TLBI_S_S12_VMALL = 0x58,
	SMMU_CMD_TLBI_S_S2_IPA = 0x5a,
	SMMU_CMD_TLBI_SNH_ALL = 0x60,
	SMMU_CMD_DPTI_ALL = 0x70,
	SMMU_CMD_DPTI_PA = 0x73,
	SMMU_CMD_IMPDEF_FIRST = 0x80,
	SMMU_CMD_IMPDEF_LAST = 0x8f,
};

/* Event record ids (IHI 0070 G.b §7.3). */
enum smmu_evt_id {
	SMMU_EVT_F_UUT = 0x01,
	SMMU_EVT_C_BAD_STREAMID = 0x02,
	SMMU_EVT_F_STE_FETCH = 0x03,
	SMMU_EVT_C_BAD_STE = 0x04,
	SMMU_EVT_F_BAD_ATS_TREQ = 0x05,
	SMMU_EVT_F_STREAM_DISABLED = 0x06,
	SMMU_EVT_F_TRANSL_FORBIDDEN = 0x07,
	SMMU_EVT_C_BAD_SUBSTREAMID = 0x08,
	SMMU_EVT_F_CD_FETCH = 0x09,
	SMMU_EVT_C_BAD_CD = 0x0a,
	SMMU_EVT_F_WALK_EABT = 0x0b,
	SMMU_EVT_F_TRANSLATION = 0x10,
	SMMU_EVT_F_ADDR_SIZE = 0x11,
	SMMU_EVT_F_ACCESS = 0x12,
	SMMU_EVT_F_PERMISSION = 0x13,
	SMMU_EVT_F_TLB_CONFLICT = 0x20,
	SMMU_EVT_F_CFG_CONFLICT = 0x21,
	SMMU_EVT_E_PAGE_REQUEST = 0x24,
	SMMU_EVT_F_VMS_FETCH = 0x25,
	SMMU_EVT_IMPDEF_FIRST = 0xe0,
	SMMU_EVT_IMPDEF_LAST = 0xef,
};

/* The families: key = opcode (bits [7:0]) / event id (bits [7:0]). */
extern const struct pt_family smmu_cmd_family;
extern const struct pt_family smmu_evt_family;
extern const struct pt_struct smmu_priq_struct;

/* Field table of an opcode / event id; NULL when the value is Reserved
 * (decode such entries with the family's `unknown` layout). */
const struct pt_struct *smmu_cmd_struct(unsigned opcode);
const struct pt_struct *smmu_evt_struct(unsigned id);
/* Architecture name ("CMD_SYNC", "F_TRANSLATION"), or NULL when Reserved. */
const char *smmu_cmd_name(unsigned opcode);
const char *smmu_evt_name(unsigned id);
/* Event id for a name, with or without a leading "EVT_" ("F_TRANSLATION",
 * case-insensitive); -1 when unknown. The kernel log parser uses it. */
int smmu_evt_parse_name(const char *name, unsigned *id);

/* A named field of an entry decoded with `st`: 0 and *v, or -1 when the
 * layout has no such field (so rules can ask "sid" of any command). */
int smmu_entry_field(const struct pt_struct *st, const uint8_t *raw, const char *name,
		     uint64_t *v);

/* Register every command, event and PRI structure (for `formats`, docs,
 * dictionaries); called from pt_formats_init. */
void smmu_queue_register(void);

/* ---- The queues themselves (formats/smmuv3_queue.c) ---- */

#include "diag.h"
#include "ring.h"
#include "smmuv3_regs.h"

enum smmu_queue_kind { SMMU_Q_CMD, SMMU_Q_EVT, SMMU_Q_PRI, SMMU_Q_COUNT };

/* "cmdq", "evtq", "priq": the JSON "queue" value and message prefix. */
const char *smmu_queue_name(enum smmu_queue_kind kind);
unsigned smmu_queue_entry_size(enum smmu_queue_kind kind);

/* Register values describing one queue, as given (--regs or options). */
struct smmu_queue_vals {
	uint64_t base_reg;         /* xQ_BASE: ADDR[55:5], LOG2SIZE[4:0] */
	uint32_t prod, cons;       /* xQ_PROD, xQ_CONS */
	unsigned max_log2size;     /* IDR1.CMDQS/EVENTQS/PRIQS, 19 when unknown */
};

/* The values of one queue a register file gives (BASE, PROD and CONS, each
 * where given, IDR1's size limit always): bit 0 of the result BASE, bit 1
 * PROD, bit 2 CONS, so options can override them one by one. */
unsigned smmu_queue_vals_from_regs(const struct smmu_regs *r, enum smmu_queue_kind kind,
				   struct smmu_queue_vals *v);
#define SMMU_QUEUE_VALS_ALL 7u

/* CMDQ_CONS.ERR values (IHI 0070 G.b §7.1). */
enum { SMMU_CERROR_NONE, SMMU_CERROR_ILL, SMMU_CERROR_ABT, SMMU_CERROR_ATC_INV_SYNC };
/* "none", "ill", "abt", "atc_inv_sync", or NULL for other values. */
const char *smmu_cerror_name(unsigned err);
/* The architecture's name for text: "CERROR_ILL", ..., "CERROR_reserved". */
const char *smmu_cerror_label(unsigned err);

struct smmu_queue {
	enum smmu_queue_kind kind;
	struct smmu_queue_vals vals;
	unsigned log2size_reg;     /* BASE.LOG2SIZE as written */
	struct pt_ring ring;       /* base aligned as the SMMU aligns it, size capped */
	struct pt_ring_geom geom;
	unsigned err;              /* CMDQ_CONS.ERR */
	int overflow;              /* EVTQ/PRIQ: PROD.OVFLG != CONS.OVACKFLG */
	int msi_polled;            /* CMDQ: completed CMD_SYNCs zeroed by their own MSI */
};

/* Turn register values into a ring, reporting QUEUE-* (and CMDQ-ERROR,
 * EVTQ/PRIQ-OVERFLOW) findings at the BASE address. 0, or -1 when the ring
 * cannot be walked (QUEUE-GEOMETRY). */
int smmu_queue_setup(struct smmu_queue *q, enum smmu_queue_kind kind,
		     const struct smmu_queue_vals *v, struct pt_diag_sink *diags);
/* One pass over the ring for what classifying an entry needs to know about
 * the whole history (whether Linux polls CMD_SYNC by MSI). */
void smmu_queue_scan(struct smmu_queue *q, struct pt_source *src);

enum smmu_qe_state { SMMU_QE_PENDING, SMMU_QE_CONSUMED, SMMU_QE_EMPTY };
/* "pending", "consumed", "empty". */
const char *smmu_qe_state_name(enum smmu_qe_state s);

/* What one slot holds. */
struct smmu_qentry {
	enum smmu_qe_state state;
	const struct pt_struct *st;  /* layout to decode with */
	const char *name;            /* "CMD_SYNC", "F_TRANSLATION", "PRI_REQUEST", "RESERVED" */
	const char *note;            /* a Linux or SMMU quirk that explains it, or NULL */
	int stopped_here;            /* the command CONS.ERR reports */
};
void smmu_queue_classify(const struct smmu_queue *q, const struct pt_ring_slot *s,
			 struct smmu_qentry *e);

/* What a walk of the whole ring finds, beyond the registers' pending count. */
struct smmu_queue_counts {
	uint64_t consumed;         /* consumed entries still in memory */
	uint64_t empty;            /* slots never written since allocation */
	uint64_t unmapped;         /* slots the dump does not hold */
};
void smmu_queue_count(const struct smmu_queue *q, struct pt_source *src,
		      struct smmu_queue_counts *c);

/* One line about a queue, for the first look at a dump (`decode --regs`):
 * "evtq @ 0x...: 2^15 entries, 12 pending, 4 consumed still in memory,
 * overflowed". The ring is walked once to count; buf is always terminated. */
void smmu_queue_summary(const struct smmu_queue *q, struct pt_source *src, char *buf,
			size_t len);

#endif

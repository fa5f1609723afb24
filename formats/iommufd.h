/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Linux iommufd records for nested Arm SMMUv3 (the upstream successor of the
 * virtio-iommu ATTACH_TABLE): the vSTE a VMM passes to IOMMU_HWPT_ALLOC, the
 * raw CMDQ commands of IOMMU_HWPT_INVALIDATE, the IDR block IOMMU_GET_HW_INFO
 * returns, and what read() on a vEVENTQ fd returns. The STE words are the
 * stream-table field table's first two words, the commands and events are the
 * queue families' tables: nothing here describes an SMMU structure again.
 * Each record gets the kernel's verdict (rule, errno, release it applies
 * from) and the architecture's findings on top. Reference:
 * shared/spec/iommufd-smmuv3.md. */
#ifndef PT_IOMMUFD_H
#define PT_IOMMUFD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "diag.h"
#include "field.h"
#include "rule.h"
#include "source.h"
#include "table.h"

struct smmu_caps;
struct smmu_regs;

enum pt_iommufd_type {
	PT_IOMMUFD_VSTE,        /* struct iommu_hwpt_arm_smmuv3 */
	PT_IOMMUFD_INVALIDATE,  /* struct iommu_viommu_arm_smmuv3_invalidate */
	PT_IOMMUFD_HW_INFO,     /* struct iommu_hw_info_arm_smmuv3 */
	PT_IOMMUFD_VEVENT,      /* iommufd_vevent_header [+ iommu_vevent_arm_smmuv3] */
	PT_IOMMUFD_NTYPES
};

#define PT_IOMMUFD_VSTE_SIZE 16u
#define PT_IOMMUFD_CMD_SIZE 16u
#define PT_IOMMUFD_HW_INFO_SIZE 40u
#define PT_IOMMUFD_VEVENT_HDR_SIZE 8u
#define PT_IOMMUFD_EVT_SIZE 32u
#define PT_IOMMUFD_MAX_RECORD 40u
/* Cap on records in one input: bounded work whatever the file claims. */
#define PT_IOMMUFD_MAX_RECORDS 1000000u
/* STE words 0 and 1 the kernel lets userspace set (STRTAB_STE_0/1_NESTING_ALLOWED). */
#define PT_IOMMUFD_VSTE0_ALLOWED UINT64_C(0xf80fffffffffffff)
#define PT_IOMMUFD_VSTE1_ALLOWED UINT64_C(0x00000000380000ff)
/* Commands per arm_smmu_cmdq_issue_cmdlist() call: CMDQ_BATCH_ENTRIES - 1 on arm64. */
#define PT_IOMMUFD_CMD_BATCH 63u
#define PT_IOMMUFD_VEVENT_LOST 1u          /* IOMMU_VEVENTQ_FLAG_LOST_EVENTS */
#define PT_IOMMUFD_SEQ_MASK 0x7fffffffu    /* sequence runs 0..INT_MAX, then 0 */

const char *pt_iommufd_type_name(enum pt_iommufd_type t);
/* "vste", "invalidate", "hw-info" (or "hw_info"), "vevent"; -1 when unknown. */
int pt_iommufd_type_parse(const char *name, enum pt_iommufd_type *out);
extern const char *const pt_iommufd_type_names[];
/* Whether this build decodes that type. */
int pt_iommufd_ops_available(enum pt_iommufd_type t);

/* The structures of this file (the vSTE view of the STE table, hw_info,
 * the vEVENT header), for `formats`. */
extern const struct pt_struct pt_iommufd_vste_struct;
extern const struct pt_struct pt_iommufd_hw_info_struct;
extern const struct pt_struct pt_iommufd_vevent_hdr_struct;
/* A 32-bit word of hw_info by its field id (HWI_*). */
uint32_t pt_iommufd_hw_info_word(const uint8_t *body, unsigned id);
/* The SMMU registers a hw_info record holds (IDR0-5, IIDR, AIDR), for
 * validate's and nest's --hw-info to take the caps from. */
void pt_iommufd_hw_info_regs(const uint8_t body[PT_IOMMUFD_HW_INFO_SIZE], struct smmu_regs *r);
enum { HWI_FLAGS, HWI_RESERVED, HWI_IDR0, HWI_IDR1, HWI_IDR2, HWI_IDR3, HWI_IDR4, HWI_IDR5,
       HWI_IIDR, HWI_AIDR, HWI_NFIELDS };
enum { VEH_LOST, VEH_FLAGS_RES, VEH_SEQUENCE, VEH_NFIELDS };

/* One record as it sits in the input. */
struct pt_iommufd_rec {
	enum pt_iommufd_type type;
	uint64_t index;               /* 0, 1, ... in the input */
	uint64_t offset;              /* of its first byte (the header for vEVENTs) */
	uint32_t size;                /* bytes it occupies */
	const struct pt_struct *st;   /* layout of the body (the command/event's own) */
	uint8_t body[PT_IOMMUFD_MAX_RECORD];
	int has_body;                 /* 0 only for a LOST_EVENTS vEVENT header */
	uint8_t hdr[PT_IOMMUFD_VEVENT_HDR_SIZE]; /* vEVENT header */
	int tail_set;                 /* invalidate: non-zero bytes past 16 of a longer entry */
};

/* Frame the record at `offset` of an input of `len` bytes read through src
 * (addresses = file offsets). 0 on success; -1 when the bytes left cannot
 * hold it (IOMMUFD-TRUNCATED reported). */
int pt_iommufd_next(enum pt_iommufd_type type, struct pt_source *src, uint64_t offset,
		    uint64_t len, uint64_t index, struct pt_iommufd_rec *rec,
		    struct pt_diag_sink *diags);
/* An invalidation entry of entry_len bytes (IOMMU_HWPT_INVALIDATE's
 * entry_len; 16 is the structure): the kernel copies each with
 * copy_struct_from_user, so a shorter entry is zero-extended and a longer
 * one must end in zeros (rec->tail_set when not: the verdict is E2BIG). */
#define PT_IOMMUFD_MAX_ENTRY_LEN 4096u
int pt_iommufd_next_cmd(struct pt_source *src, uint64_t offset, uint64_t len, uint64_t index,
			uint32_t entry_len, struct pt_iommufd_rec *rec, struct pt_diag_sink *diags);
/* Frame a record from bytes in memory (--hex, build). */
int pt_iommufd_from_bytes(enum pt_iommufd_type type, const uint8_t *buf, size_t len,
			  struct pt_iommufd_rec *rec, char *err, size_t errlen);

/* The kernel's verdict on one record by itself. */
struct pt_iommufd_verdict {
	int accepted;
	const char *err;              /* "EIO", "EOPNOTSUPP", or NULL when accepted */
	const char *since;            /* release the rule (or the record) applies from */
	const struct pt_rule *rule;   /* the rule that rejects it, or NULL */
};

/* What validation knows beyond the record: the SMMU, the vDEVICEs, the
 * stream so far (vEVENT sequence, the first rejected command). */
#define PT_IOMMUFD_MAX_VDEVICES 256u
struct pt_iommufd_ctx {
	const struct smmu_caps *caps;
	int caps_given;               /* caps came from --caps/--hw-info */
	uint32_t nvdev;
	int vdev_given;
	uint32_t vsid[PT_IOMMUFD_MAX_VDEVICES], psid[PT_IOMMUFD_MAX_VDEVICES];
	/* stream state */
	int have_seq;
	uint32_t last_seq;
	int rejected;                 /* a command was rejected: later ones never run */
	uint64_t first_rejected;
	int copy_failed;              /* an entry's tail is not zero: E2BIG before any command */
	uint64_t ncmds;
	uint64_t lost_events;         /* counted from sequence gaps */
	uint64_t lost_headers;
};
void pt_iommufd_ctx_init(struct pt_iommufd_ctx *ctx, const struct smmu_caps *caps);
/* "VSID=PSID"; 0, or -1 with err. */
int pt_iommufd_add_vdevice(struct pt_iommufd_ctx *ctx, const char *spec, char *err,
			   size_t errlen);
/* The physical StreamID of a vSID: 0 and *psid, -1 when no vDEVICE has it. */
int pt_iommufd_vsid_lookup(const struct pt_iommufd_ctx *ctx, uint32_t vsid, uint32_t *psid);
/* The vSID of a physical StreamID: 0 and *vsid, -1 when no vDEVICE has it. */
int pt_iommufd_psid_lookup(const struct pt_iommufd_ctx *ctx, uint32_t psid, uint32_t *vsid);

/* Kernel rules, then architecture findings; everything goes to diags at the
 * record's offset. */
void pt_iommufd_check(struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
		      struct pt_iommufd_verdict *v, struct pt_diag_sink *diags);
/* The kernel's verdict alone (no findings, no stream state): what the
 * batch logic, the tests' model comparison and fuzzers call. */
void pt_iommufd_verdict(const struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			struct pt_iommufd_verdict *v);

/* What IOMMU_HWPT_INVALIDATE does with a whole array (arm_vsmmu_cache_invalidate):
 * commands are converted in order and issued in batches of 63; at the
 * first rejected one it stops. */
struct pt_iommufd_batch {
	int rejected;
	const char *err;              /* "EIO", "E2BIG" (the copy failed), NULL */
	uint64_t entry_num;           /* what the ioctl writes back */
	uint64_t issued;              /* commands the SMMU received */
	uint64_t dropped;             /* converted, in the unissued batch, never issued */
	uint64_t not_reached;         /* after the rejected one: never looked at */
};
void pt_iommufd_batch(const struct pt_iommufd_ctx *ctx, uint64_t ncmds,
		      struct pt_iommufd_batch *b);
/* Report the batch effect (IOMMUFD-INVAL-BATCH) at the rejected entry. */
void pt_iommufd_batch_report(const struct pt_iommufd_ctx *ctx, uint64_t ncmds,
			     struct pt_diag_sink *diags);

/* Text and JSON of a record (JSON: schema pasidtool.iommufd/1's record). */
void pt_iommufd_print(FILE *out, const struct pt_iommufd_rec *rec,
		      const struct pt_iommufd_verdict *v, int validated, int color);
json_t *pt_iommufd_json(const struct pt_iommufd_rec *rec, const struct pt_iommufd_verdict *v,
			int validated);

/* Whether arm_vsmmu_convert_user_cmd() takes a command with this opcode
 * (TLBI_NH_ALL/ASID/VA/VAA, TLBI_NSNH_ALL, ATC_INV, CFGI_CD, CFGI_CD_ALL). */
int pt_iommufd_cmd_forwarded(unsigned opcode);
/* The command the SMMU receives for a forwarded one: TLBI_NSNH_ALL as
 * TLBI_NH_ALL, the TLBI_NH_* VMID as 0 (the vSMMU's VMID is not known
 * here), a vSID with a --vdevice as its physical StreamID. */
void pt_iommufd_cmd_issued(const struct pt_iommufd_ctx *ctx, const uint8_t *cmd,
			   uint8_t out[PT_IOMMUFD_CMD_SIZE]);

/* Whether arm_smmu_handle_event() hands an event with this id to the
 * vEVENTQ (C_BAD_STE, F_STREAM_DISABLED, C_BAD_SUBSTREAMID, C_BAD_CD,
 * F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, F_PERMISSION). */
int pt_iommufd_evt_forwarded(unsigned id);

/* Build one record from what pt_iommufd_json prints ("raw" first, then
 * "fields"; vEVENTs: "header" too) or the short form (field names as keys;
 * the opcode/event id by name in "op"/"id"). Returns bytes written to out. */
int pt_iommufd_build(enum pt_iommufd_type type, const json_t *obj, uint8_t *out, size_t cap,
		     size_t *outlen, char *err, size_t errlen);

/* The CD table a vSTE points at (S1ContextPtr is a guest IPA: a guest memory
 * dump holds it), as the core's table config. 0, or -1 with *why. */
int pt_iommufd_vste_cd_cfg(const uint8_t vste[PT_IOMMUFD_VSTE_SIZE],
			   const struct smmu_caps *caps, struct pt_table_cfg *cfg,
			   const char **why);
/* The 64-byte STE a guest would have written: vSTE in words 0-1, the rest 0. */
void pt_iommufd_vste_to_ste(const uint8_t vste[PT_IOMMUFD_VSTE_SIZE], uint8_t ste[64]);

/* The physical STE the kernel installs for a vSTE on a nesting parent whose
 * stage-2 STE is s2 (arm_smmu_make_nested_domain_ste): S1_TRANS merges the
 * two as Config = nested with MEV set, BYPASS installs s2, anything else
 * (or V = 0) an abort STE. ats: the device has ATS enabled (EATS of the
 * result, only when the vSTE asked for it). */
void pt_iommufd_nest(const uint8_t vste[PT_IOMMUFD_VSTE_SIZE], const uint8_t s2[64], int ats,
		     uint8_t out[64]);

/* Rules (formats/iommufd_rules.c). */
enum pt_iommufd_rule_id {
	R_IOFD_TRUNCATED, R_IOFD_TOO_MANY,
	R_IOFD_VSTE_NOT_VALID, R_IOFD_VSTE_BITS, R_IOFD_VSTE_CONFIG, R_IOFD_VSTE_EATS,
	R_IOFD_VSTE_SMMU, R_IOFD_VSTE_ATS,
	R_IOFD_INVAL_OPCODE, R_IOFD_INVAL_VSID, R_IOFD_INVAL_VSID_UNCHECKED, R_IOFD_INVAL_BATCH,
	R_IOFD_INVAL_REWRITE, R_IOFD_INVAL_SMMU, R_IOFD_INVAL_ENTRY_LEN,
	R_IOFD_HWI_FLAGS, R_IOFD_HWI_RESERVED, R_IOFD_HWI_UNUSED, R_IOFD_HWI_NESTING,
	R_IOFD_VEVENT_ID, R_IOFD_VEVENT_S2, R_IOFD_VEVENT_STALL, R_IOFD_VEVENT_FLAGS,
	R_IOFD_VEVENT_LOST, R_IOFD_VEVENT_GAP, R_IOFD_VEVENT_SEQ, R_IOFD_VEVENT_VSID,
	R_IOFD_COUNT
};
extern const struct pt_rule pt_iommufd_rule_list[R_IOFD_COUNT];
extern const struct pt_rule_set pt_iommufd_rules;

/* Register the rules and structures (from pt_formats_init). */
void pt_iommufd_register(void);

#endif

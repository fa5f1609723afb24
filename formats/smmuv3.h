/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Arm SMMUv3 structures (IHI 0070): Context Descriptor, L1 CD descriptor, and
 * the SMMU capabilities (ID register fields) that decide which CD values are
 * legal. The field tables are the single description of these structures. */
#ifndef PT_SMMUV3_H
#define PT_SMMUV3_H

#include <stdint.h>

#include "table.h"

#define SMMU_CD_SIZE 64u
#define SMMU_L1CD_SIZE 8u

/* Indices into smmu_cd_fields[]: the checks name fields through these so a
 * typo cannot silently read the wrong bits. */
enum smmu_cd_field_id {
	CD_T0SZ, CD_TG0, CD_IR0, CD_OR0, CD_SH0, CD_EPD0, CD_ENDI, CD_T1SZ, CD_TG1, CD_IR1,
	CD_OR1, CD_SH1, CD_EPD1, CD_V, CD_IPS, CD_AFFD, CD_WXN, CD_UWXN, CD_TBI0, CD_TBI1,
	CD_PAN, CD_AA64, CD_HD, CD_HA, CD_S, CD_R, CD_A, CD_ASET, CD_ASID,
	CD_NSCFG0, CD_HAD0, CD_E0PD0, CD_HAFT, CD_TTB0, CD_RES0_DW1, CD_PNCH, CD_EPAN,
	CD_HWU059, CD_HWU060, CD_HWU061, CD_HWU062,
	CD_NSCFG1, CD_HAD1, CD_E0PD1, CD_AIE, CD_TTB1, CD_RES0_DW2, CD_DS, CD_PIE,
	CD_HWU159, CD_HWU160, CD_HWU161, CD_HWU162,
	CD_MAIR0, CD_MAIR1, CD_AMAIR0, CD_AMAIR1, CD_IMPDEF, CD_PARTID, CD_PMG, CD_RES0_DW5,
	CD_PIIU, CD_RES0_DW6, CD_PIIP, CD_RES0_DW7,
	CD_NFIELDS
};

enum smmu_l1cd_field_id { L1CD_V, L1CD_RES0_LO, L1CD_L2PTR, L1CD_RES0_HI, L1CD_NFIELDS };

extern const struct pt_field smmu_cd_fields[CD_NFIELDS];
extern const struct pt_struct smmu_cd_struct;
extern const struct pt_field smmu_l1cd_fields[L1CD_NFIELDS];
extern const struct pt_struct smmu_l1cd_struct;
extern const struct pt_format smmu_cd_format;

/* Layout indices of smmu_cd_format.layouts, matching STE.S1Fmt encodings. */
enum { SMMU_LAYOUT_LINEAR = 0, SMMU_LAYOUT_4K = 1, SMMU_LAYOUT_64K = 2 };

static inline uint64_t smmu_cd(const uint8_t *raw, enum smmu_cd_field_id id)
{
	return pt_field_get(raw, &smmu_cd_fields[id]);
}

/* The SMMU that validation assumes: the ID register fields of IHI 0070 §6.3
 * that change CD, L1CD and STE legality. */
struct smmu_caps {
	const char *profile;
	unsigned version_minor;  /* 0 for SMMUv3.0, 1 for v3.1, ... */
	unsigned oas_bits;       /* IDR5.OAS as bits: 32..56 */
	unsigned ssid_bits;      /* IDR1.SSIDSIZE */
	unsigned sid_bits;       /* IDR1.SIDSIZE */
	int asid16, vmid16, cd2l, s1p, s2p;
	unsigned ttf;            /* IDR0.TTF: bit0 VMSAv8-32, bit1 VMSAv8-64 */
	unsigned httu;           /* 0 none, 1 AF, 2 AF+dirty, 3 + table AF */
	unsigned ttendian;       /* 0 mixed, 2 LE only, 3 BE only */
	unsigned stall_model;    /* 0 stall+terminate, 1 no stall, 2 stall forced */
	int term_model;
	int gran4k, gran16k, gran64k;
	int stt, vax, ds, had, e0pd, epan, s1pi, the, aie, pbha;
	int e2h;                 /* SMMU_CR2.E2H: EL2 streams use EL2-E2H (with TTB1) */
	int hyp;                 /* IDR0.Hyp: STE.STRW is RES0 without it */
	int ats;                 /* IDR0.ATS: STE.EATS is IGNORED without it */
	int attr_types_ovr;      /* IDR1.ATTR_TYPES_OVR: STE.SHCFG/MTCFG/MEMATTR/ALLOCCFG */
	int attr_perms_ovr;      /* IDR1.ATTR_PERMS_OVR: STE.PRIVCFG/INSTCFG/NSCFG */
	int ril;                 /* IDR3.RIL: range invalidation commands */
	int pri;                 /* IDR0.PRI: the PRI queue and CMD_PRI_RESP */
	unsigned qemu;           /* QEMU release modelled, major*100+minor (0: not QEMU) */
};

/* Parse "--caps": a profile name and/or key=value pairs, comma separated,
 * e.g. "qemu", "generic,oas=44,asid16=0". Returns NULL with err set. */
struct smmu_caps *smmu_caps_parse(const char *spec, char *err, size_t errlen);
void smmu_caps_free(struct smmu_caps *caps);
/* Text help for --caps (keys, values, defaults). */
extern const char smmu_caps_help[];
/* The keys --caps accepts, for help, docs and completion. */
size_t smmu_caps_nkeys(void);
const char *smmu_caps_key(size_t i, const char **doc);
/* Profile used when --caps is not given. */
void smmu_caps_default(struct smmu_caps *caps);

/* What an STE tells the CD checks (packed into pt_table_cfg.vendor[0]). */
struct smmu_ste_ctx {
	int present;
	unsigned s1dss, s1stalld, strw, config;
};
uint64_t smmu_ste_ctx_pack(const struct smmu_ste_ctx *ctx);
void smmu_ste_ctx_unpack(uint64_t word, struct smmu_ste_ctx *ctx);

/* CD and L1CD checks (formats/smmuv3_cd_rules.c). */
enum cd_rule_id {
	R_CD_NOT_VALID, R_CD_STALL_DISABLED, R_CD_A_TERM, R_CD_S_STALL_MODEL, R_CD_ENDI,
	R_CD_AA64_32, R_CD_AA64_64, R_CD_HTTU, R_CD_ASID16,
	R_CD_T0SZ, R_CD_T1SZ, R_CD_TG0_RESERVED, R_CD_TG1_RESERVED, R_CD_TG0_UNSUPPORTED,
	R_CD_TG1_UNSUPPORTED, R_CD_TTB0_RANGE, R_CD_TTB1_RANGE, R_CD_TTB0_48, R_CD_TTB1_48,
	R_CD_PIE_PERM, R_CD_EPD_BOTH, R_CD_IPS_CAPPED, R_CD_SH0_RESERVED, R_CD_SH1_RESERVED,
	R_CD_RES0, R_CD_RES0_FEATURE, R_CD_AMAIR, R_CD_TTB0_ALIGN, R_CD_TTB1_ALIGN,
	R_CD_TTB1_EL2, R_CD_ASID_ALIAS, R_CD_TABLE_ALIGN,
	R_L1CD_INVALID, R_L1CD_L2PTR_RANGE, R_L1CD_L2PTR_ALIGN, R_L1CD_RES0,
	R_CD_COUNT
};
extern const struct pt_rule smmu_cd_rule_list[R_CD_COUNT];
extern const struct pt_rule_set smmu_cd_rules;
void smmu_cd_check_entry(struct pt_walk *w, uint32_t ssid, uint64_t addr, const uint8_t *raw);
uint64_t smmu_cd_check_entries(struct pt_walk *w, uint32_t first, uint64_t addr,
			       const uint8_t *raw, uint64_t n);
void smmu_cd_check_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw);
void smmu_cd_check_done(struct pt_walk *w);

/* ---- Stream table: STE, L1STD, STRTAB_BASE/STRTAB_BASE_CFG ---- */

#define SMMU_STE_SIZE 64u
#define SMMU_L1STD_SIZE 8u

/* Indices into smmu_ste_fields[] (IHI 0070 G.b §5.2, all eight dwords). */
enum smmu_ste_field_id {
	STE_V, STE_CONFIG, STE_S1FMT, STE_S1CONTEXTPTR, STE_RES0_58_56, STE_S1CDMAX,
	STE_S1DSS, STE_S1CIR, STE_S1COR, STE_S1CSH, STE_S2HWU59, STE_S2HWU60, STE_S2HWU61,
	STE_S2HWU62, STE_DRE, STE_CONT, STE_DCP, STE_PPAR, STE_MEV, STE_SW_RESERVED, STE_S1PIE,
	STE_S2FWB, STE_S1MPAM, STE_S1STALLD, STE_EATS, STE_STRW, STE_MEMATTR, STE_MTCFG,
	STE_ALLOCCFG, STE_RES0_107_105, STE_SHCFG, STE_NSCFG, STE_PRIVCFG, STE_INSTCFG,
	STE_IMPDEF_127_116,
	STE_S2VMID, STE_IMPDEF_159_144, STE_S2T0SZ, STE_S2SL0, STE_S2IR0, STE_S2OR0, STE_S2SH0,
	STE_S2TG, STE_S2PS, STE_S2AA64, STE_S2ENDI, STE_S2AFFD, STE_S2PTW, STE_S2HD, STE_S2HA,
	STE_S2S, STE_S2R, STE_S2HAFT, STE_S2PIE, STE_S2POE, STE_DPT_VMATCH,
	STE_S2NSW, STE_S2NSA, STE_S2SL0_2, STE_S2DS, STE_S2TTB, STE_RES0_252_248, STE_S2SKL,
	STE_RES0_255,
	STE_IMPDEF_271_256, STE_PARTID, STE_S_S2T0SZ, STE_S_S2SL0, STE_RES0_301_296, STE_S_S2TG,
	STE_MECID,
	STE_PMG, STE_MPAM_NS, STE_ASSUREDONLY, STE_TL0, STE_TL1, STE_VMSPTR, STE_RES0_383_376,
	STE_S2SW, STE_S2SA, STE_S_S2SL0_2, STE_RES0_387, STE_S_S2TTB, STE_RES0_444_440,
	STE_S_S2SKL, STE_RES0_447,
	STE_S2POI,
	STE_NFIELDS
};

/* STE.Config encodings. */
enum { SMMU_STE_ABORT = 0, SMMU_STE_BYPASS = 4, SMMU_STE_S1 = 5, SMMU_STE_S2 = 6,
       SMMU_STE_NESTED = 7 };

enum smmu_l1std_field_id { L1STD_SPAN, L1STD_RES0_5, L1STD_L2PTR, L1STD_RES0_HI,
			   L1STD_NFIELDS };

enum smmu_strtab_base_field_id { STRTAB_BASE_RES0_LO, STRTAB_BASE_ADDR, STRTAB_BASE_RES0_MID,
				 STRTAB_BASE_RA, STRTAB_BASE_RES0_HI, STRTAB_BASE_NFIELDS };
enum smmu_strtab_cfg_field_id { STRTAB_CFG_LOG2SIZE, STRTAB_CFG_SPLIT, STRTAB_CFG_RES0_MID,
				STRTAB_CFG_FMT, STRTAB_CFG_RES0_HI, STRTAB_CFG_NFIELDS };

extern const struct pt_field smmu_ste_fields[STE_NFIELDS];
extern const struct pt_struct smmu_ste_struct;
extern const struct pt_field smmu_l1std_fields[L1STD_NFIELDS];
extern const struct pt_struct smmu_l1std_struct;
extern const struct pt_field smmu_strtab_base_fields[STRTAB_BASE_NFIELDS];
extern const struct pt_struct smmu_strtab_base_struct;
extern const struct pt_field smmu_strtab_cfg_fields[STRTAB_CFG_NFIELDS];
extern const struct pt_struct smmu_strtab_cfg_struct;
extern const struct pt_format smmu_strtab_format;
/* Register the stream-table format and the register structures. */
void smmu_strtab_register(void);

/* Layout indices of smmu_strtab_format.layouts, matching STRTAB_BASE_CFG.FMT. */
enum { SMMU_STRTAB_LINEAR = 0, SMMU_STRTAB_2LVL = 1 };

static inline uint64_t smmu_ste(const uint8_t *raw, enum smmu_ste_field_id id)
{
	return pt_field_get(raw, &smmu_ste_fields[id]);
}

/* STE.Config with stage 1 translating (0b1x1) / stage 2 translating (0b11x). */
static inline int smmu_ste_s1(unsigned config)
{
	return (config & 5) == 5;
}
static inline int smmu_ste_s2(unsigned config)
{
	return (config & 6) == 6;
}

/* A stream table as SMMU_STRTAB_BASE and SMMU_STRTAB_BASE_CFG describe it
 * (formats/smmuv3_strtab.c). */
struct smmu_strtab {
	uint64_t base_reg, cfg_reg;  /* the register values as given */
	uint64_t base;               /* STRTAB_BASE.ADDR */
	unsigned log2size, split, fmt;
	unsigned sid_bits;           /* effective: min(LOG2SIZE, IDR1.SIDSIZE) */
};
void smmu_strtab_decode(uint64_t base_reg, uint64_t cfg_reg, unsigned sidsize,
			struct smmu_strtab *st);
/* The core table config for the walker: 0, or -1 with *why when the
 * registers describe no table (reserved FMT or SPLIT). */
/* build: a stream-table description's short forms (formats/smmuv3_strtab_spec.c). */
int smmu_strtab_spec_expand(struct json_t *table, struct json_t *later, char *err, size_t errlen);
int smmu_strtab_spec_expand_ste(struct json_t *ste, struct json_t *later, char *err,
				size_t errlen);

int smmu_strtab_table_cfg(const struct smmu_strtab *st, struct pt_table_cfg *cfg,
			  const char **why);
/* Register-level findings (STRTAB-* rules), reported at the table base. */
void smmu_strtab_check(const struct smmu_strtab *st, const struct smmu_caps *caps,
		       struct pt_diag_sink *diags);
/* Findings about a StreamID asked for (STRTAB-SID-RANGE); 0 when in range. */
int smmu_strtab_check_sid(const struct smmu_strtab *st, uint32_t sid,
			  struct pt_diag_sink *diags);

/* The CD table an STE points at, as the core's table config for
 * "smmuv3-cd" (S1ContextPtr, S1Fmt, S1CDMax; S1DSS, S1STALLD, STRW and
 * Config packed in vendor[0]). 0, or -1 with *why when the STE reaches no
 * CD table this tool can walk. */
int smmu_ste_cd_cfg(const uint8_t *ste, const struct smmu_caps *caps, struct pt_table_cfg *cfg,
		    const char **why);

/* STE, L1STD and stream-table register checks (formats/smmuv3_ste_rules.c). */
enum ste_rule_id {
	R_STE_NOT_VALID, R_STE_CONFIG_RESERVED, R_STE_CONFIG_S1P, R_STE_CONFIG_S2P,
	R_STE_S1STALLD, R_STE_S1CDMAX, R_STE_S1FMT_CD2L, R_STE_S1FMT_RESERVED,
	R_STE_S1DSS_RESERVED, R_STE_S1CTXPTR_RANGE, R_STE_S1CTXPTR_RES0, R_STE_S1_IGNORED,
	R_STE_STRW_RESERVED, R_STE_RES0_FEATURE, R_STE_EATS, R_STE_S2VMID16, R_STE_S2AA64, R_STE_S2TG,
	R_STE_S2T0SZ, R_STE_S2SL0, R_STE_S2TTB_RANGE, R_STE_S2HTTU, R_STE_S2ENDI, R_STE_S2S_STALL, R_STE_RES0,
	R_L1STD_INVALID, R_L1STD_SPAN, R_L1STD_L2PTR_RANGE, R_L1STD_L2PTR_ALIGN, R_L1STD_RES0,
	R_STRTAB_FMT, R_STRTAB_SPLIT, R_STRTAB_LOG2SIZE, R_STRTAB_BASE_ALIGN, R_STRTAB_BASE_RANGE,
	R_STRTAB_RES0, R_STRTAB_SID_RANGE,
	R_STE_COUNT
};
extern const struct pt_rule smmu_ste_rule_list[R_STE_COUNT];
extern const struct pt_rule_set smmu_ste_rules;
void smmu_ste_check_entry(struct pt_walk *w, uint32_t sid, uint64_t addr, const uint8_t *raw);
void smmu_l1std_check_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw);
/* Report rule `id` with the rule's effect appended. */
void smmu_ste_report(struct pt_diag_sink *diags, enum ste_rule_id id, uint64_t addr,
		     enum pt_diag_scope scope, uint32_t scope_id, const char *field,
		     const char *fmt, ...) __attribute__((format(printf, 7, 8)));

#endif

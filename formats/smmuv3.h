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
void smmu_cd_check_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw);
void smmu_cd_check_done(struct pt_walk *w);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Intel VT-d scalable-mode PASID tables (VT-d 3.x §9.5, §9.6; 4.x names in
 * the field docs): the 64-bit PASID directory entry, the 512-bit PASID-table
 * entry, the remapping unit's CAP/ECAP bits that make entry values legal, and
 * the VTD-* checks. Written against the core's pt_format alone: nothing in
 * core/ knows this file exists. */
#ifndef PT_VTD_H
#define PT_VTD_H

#include <stdint.h>

#include "table.h"

#define VTD_PDE_SIZE 8u
#define VTD_PE_SIZE 64u
/* PASID[5:0] indexes a 4 KiB PASID table of 64 entries (VT-d §3.4.3). */
#define VTD_LEAF_BITS 6u
/* A context entry's PDTS gives 2^(PDTS+7) directory entries, PDTS 0..7:
 * tables of 13..20 PASID bits. */
#define VTD_MIN_PASID_BITS 13u

/* Indices into vtd_pe_fields[] (VT-d §9.6, absolute bit numbers). */
enum vtd_pe_field_id {
	PE_P, PE_FPD, PE_AW, PE_SLEE, PE_PGTT, PE_SLADE, PE_RES0_11_10, PE_SLPTPTR,
	PE_DID, PE_RES0_86_80, PE_PWSNP, PE_PGSNP, PE_CD, PE_EMTE, PE_EMT, PE_PWT, PE_PCD, PE_PAT,
	PE_SRE, PE_ERE, PE_FLPM, PE_WPE, PE_NXE, PE_SMEP, PE_EAFE, PE_RES0_139_136, PE_FLPTPTR,
	PE_RES0_255_192, PE_RES0_319_256, PE_RES0_383_320, PE_RES0_447_384, PE_RES0_511_448,
	PE_NFIELDS
};

/* Indices into vtd_pde_fields[] (VT-d §9.5). */
enum vtd_pde_field_id { PDE_P, PDE_FPD, PDE_RES0_11_2, PDE_SMPTBLPTR, PDE_NFIELDS };

/* PASID-entry PGTT encodings. */
enum { VTD_PGTT_FS = 1, VTD_PGTT_SS = 2, VTD_PGTT_NESTED = 3, VTD_PGTT_PT = 4 };

extern const struct pt_field vtd_pe_fields[PE_NFIELDS];
extern const struct pt_struct vtd_pe_struct;
extern const struct pt_field vtd_pde_fields[PDE_NFIELDS];
extern const struct pt_struct vtd_pde_struct;
extern const struct pt_format vtd_pasid_format;

static inline uint64_t vtd_pe(const uint8_t *raw, enum vtd_pe_field_id id)
{
	return pt_field_get(raw, &vtd_pe_fields[id]);
}

/* Second-stage input width an AW encoding selects: 39, 48 or 57 bits, 0
 * when the encoding is reserved. */
unsigned vtd_aw_bits(unsigned aw);

/* The remapping unit validation assumes: the CAP_REG and ECAP_REG bits of
 * VT-d §11.4.2/§11.4.3 that change what a PASID entry may hold. */
struct vtd_caps {
	const char *profile;
	unsigned sagaw;          /* CAP.SAGAW bit mask: bit 1 39-bit, 2 48-bit, 3 57-bit */
	unsigned mgaw;           /* CAP.MGAW + 1: host address width in bits */
	unsigned nd;             /* CAP.ND: 2^(4+2*ND) domain ids */
	unsigned fl1gp, fl5lp;   /* CAP.FL1GP, CAP.FL5LP */
	unsigned pt, mts, nest, ers, srs, eafs, slads, slts, flts, smpwc, smts;
	unsigned pasid;          /* ECAP.PASID */
	unsigned pss;            /* ECAP.PSS: PASID bits - 1 */
};

/* Parse "--caps": a profile and/or KEY=VALUE pairs, comma separated; the
 * keys "cap" and "ecap" take whole register values. NULL with err set. */
struct vtd_caps *vtd_caps_parse(const char *spec, char *err, size_t errlen);
void vtd_caps_free(struct vtd_caps *caps);
void vtd_caps_default(struct vtd_caps *caps);
/* Load CAP_REG / ECAP_REG values into the fields above. */
void vtd_caps_from_cap(struct vtd_caps *caps, uint64_t cap);
void vtd_caps_from_ecap(struct vtd_caps *caps, uint64_t ecap);

/* VTD-* rules (formats/vtd_rules.c), each naming its scalable-mode fault
 * reason. */
enum vtd_rule_id {
	R_VTD_PDE_READ, R_VTD_PDE_NOT_PRESENT, R_VTD_PDE_RSVD,
	R_VTD_PE_READ, R_VTD_PE_NOT_PRESENT, R_VTD_PE_RSVD, R_VTD_PE_RSVD_FEATURE,
	R_VTD_PE_PGTT_RESERVED, R_VTD_PE_PGTT_UNSUPPORTED, R_VTD_PE_AW, R_VTD_PE_FLPM,
	R_VTD_PE_DID, R_VTD_PE_SLPTPTR_RANGE, R_VTD_PE_FLPTPTR_RANGE,
	R_VTD_PE_ERE, R_VTD_PE_SRE,
	R_VTD_DIR_ALIGN, R_VTD_DIR_PDTS,
	R_VTD_COUNT
};
extern const struct pt_rule vtd_rule_list[R_VTD_COUNT];
extern const struct pt_rule_set vtd_rules;
void vtd_check_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw);
void vtd_check_entry(struct pt_walk *w, uint32_t pasid, uint64_t addr, const uint8_t *raw);
void vtd_check_done(struct pt_walk *w);

#endif

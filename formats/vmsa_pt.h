/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Arm VMSAv8-64 translation-table descriptors (DDI 0487 D8.3) as field tables
 * and as the core walker's formats: stage 1 and stage 2, 4K/16K/64K
 * granules, 48-bit and 52-bit (FEAT_LPA with 64K, FEAT_LPA2 "DS" with
 * 4K/16K) output. Nothing here knows the SMMU; formats/smmuv3_ptw.c does. */
#ifndef PT_VMSA_PT_H
#define PT_VMSA_PT_H

#include "ptwalk.h"

enum vmsa_granule { VMSA_4K, VMSA_16K, VMSA_64K, VMSA_NGRANULES };

/* The walker format of a stage (1 or 2), granule, and whether addresses are
 * 52 bits wide (LPA with 64K, DS with 4K/16K). */
const struct pt_ptw_format *vmsa_pt_format(unsigned stage, enum vmsa_granule g, int wide);
unsigned vmsa_granule_bits(enum vmsa_granule g);
const char *vmsa_granule_name(enum vmsa_granule g);

/* Register every descriptor structure (pasidtool formats, docs, fuzz dictionaries). */
void vmsa_pt_register(void);

/* Leaf and table descriptor bits, named once for the permission and
 * attribute code (formats/smmuv3_ptw.c) and for tests. */
const struct pt_field *vmsa_leaf_field(const struct pt_ptw_format *f, const char *name);

/* Memory type of a MAIR attribute byte, e.g. "normal-iwb-owb", "device-ngnre". */
const char *vmsa_mair_name(unsigned attr, char *buf, size_t len);
/* Stage-2 MemAttr[3:0] as a name. */
const char *vmsa_s2_memattr_name(unsigned memattr);

#endif

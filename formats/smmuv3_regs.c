/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SMMUv3 registers a dump does not hold, described as field tables
 * (IHI 0070 G.b §6.3: IDR0 §6.3.1, IDR1 §6.3.2, IDR3 §6.3.4, IDR5 §6.3.6,
 * AIDR §6.3.8, CR2 §6.3.12, queue registers §6.3.26-6.3.33 and
 * §6.3.95-6.3.98), the list of register names users may give, and the queue
 * geometry they describe. STRTAB_BASE and STRTAB_BASE_CFG keep their tables
 * in smmuv3_strtab.c. */
#include <string.h>
#include <strings.h>

#include "field_init.h"
#include "smmuv3.h"
#include "smmuv3_regs.h"

static const char *const ttf_names[] = { "reserved", "aarch32", "aarch64", "both" };
static const char *const httu_names[] = { "none", "af", "af-dirty", "af-dirty-table" };
static const char *const ttendian_names[] = { "mixed", "reserved", "le", "be" };
static const char *const stall_names[] = { "stall-terminate", "terminate", "stall", "reserved" };
static const char *const st_level_names[] = { "linear", "2lvl", "reserved2", "reserved3" };
static const char *const oas_names[] = { "32bit", "36bit", "40bit", "42bit",
					 "44bit", "48bit", "52bit", "56bit" };
static const char *const vax_names[] = { "48bit", "52bit", "56bit", "reserved" };
static const char *const cerror_names[] = { "none", "ill", "abt", "atc-inv-sync" };

#define B(id, key, lab, l, doc) F(id, key, lab, 0, l, 1, PT_FK_BOOL, doc)
#define U(id, key, lab, l, wd, doc) F(id, key, lab, 0, l, wd, PT_FK_UINT, doc)

static const struct pt_field idr0_fields[IDR0_NFIELDS] = {
	B(IDR0_S2P, "s2p", "S2P", 0, "stage 2 translation implemented"),
	B(IDR0_S1P, "s1p", "S1P", 1, "stage 1 translation implemented"),
	E(IDR0_TTF, "ttf", "TTF", 0, 2, 2, ttf_names, "translation table formats"),
	B(IDR0_COHACC, "cohacc", "COHACC", 4, "coherent access to tables and queues"),
	B(IDR0_BTM, "btm", "BTM", 5, "broadcast TLB maintenance"),
	E(IDR0_HTTU, "httu", "HTTU", 0, 6, 2, httu_names, "hardware access flag / dirty updates"),
	B(IDR0_DORMHINT, "dormhint", "DORMHINT", 8, "dormant hint"),
	B(IDR0_HYP, "hyp", "Hyp", 9, "EL2 stage-1 contexts: STE.STRW is RES0 without it"),
	B(IDR0_ATS, "ats", "ATS", 10, "PCIe ATS: STE.EATS is IGNORED without it"),
	B(IDR0_NS1ATS, "ns1ats", "NS1ATS", 11, "split-stage ATS not supported"),
	B(IDR0_ASID16, "asid16", "ASID16", 12, "16-bit ASIDs"),
	B(IDR0_MSI, "msi", "MSI", 13, "message-signalled interrupts"),
	B(IDR0_SEV, "sev", "SEV", 14, "WFE wake-up events"),
	B(IDR0_ATOS, "atos", "ATOS", 15, "address translation operations"),
	B(IDR0_PRI, "pri", "PRI", 16, "page request interface (PRI queue)"),
	B(IDR0_VMW, "vmw", "VMW", 17, "VMID wildcard matching"),
	B(IDR0_VMID16, "vmid16", "VMID16", 18, "16-bit VMIDs"),
	B(IDR0_CD2L, "cd2l", "CD2L", 19, "2-level CD tables"),
	B(IDR0_VATOS, "vatos", "VATOS", 20, "virtual ATOS page"),
	E(IDR0_TTENDIAN, "ttendian", "TTENDIAN", 0, 21, 2, ttendian_names,
	  "endianness of translation table walks"),
	B(IDR0_ATSRECERR, "atsrecerr", "ATSRECERR", 23, "extra ATS/PRI error records"),
	E(IDR0_STALL_MODEL, "stall_model", "STALL_MODEL", 0, 24, 2, stall_names, "stall model"),
	B(IDR0_TERM_MODEL, "term_model", "TERM_MODEL", 26, "terminated transactions abort (CD.A = 1)"),
	E(IDR0_ST_LEVEL, "st_level", "ST_LEVEL", 0, 27, 2, st_level_names, "stream table formats"),
	R(IDR0_RES0_29, "res0_29", "RES0[29]", 0, 29, 1),
	B(IDR0_RME_IMPL, "rme_impl", "RME_IMPL", 30, "Realm Management Extension"),
	R(IDR0_RES0_31, "res0_31", "RES0[31]", 0, 31, 1),
};

static const struct pt_field idr1_fields[IDR1_NFIELDS] = {
	U(IDR1_SIDSIZE, "sidsize", "SIDSIZE", 0, 6, "StreamID bits, 0..32"),
	U(IDR1_SSIDSIZE, "ssidsize", "SSIDSIZE", 6, 5, "SubstreamID bits, 0..20"),
	U(IDR1_PRIQS, "priqs", "PRIQS", 11, 5, "log2 of the largest PRI queue"),
	U(IDR1_EVENTQS, "eventqs", "EVENTQS", 16, 5, "log2 of the largest event queue"),
	U(IDR1_CMDQS, "cmdqs", "CMDQS", 21, 5, "log2 of the largest command queue"),
	B(IDR1_ATTR_PERMS_OVR, "attr_perms_ovr", "ATTR_PERMS_OVR", 26,
	  "STE.PRIVCFG/INSTCFG/NSCFG may override incoming attributes"),
	B(IDR1_ATTR_TYPES_OVR, "attr_types_ovr", "ATTR_TYPES_OVR", 27,
	  "STE.SHCFG/MTCFG/MemAttr/ALLOCCFG may override incoming attributes"),
	B(IDR1_REL, "rel", "REL", 28, "preset base addresses are offsets"),
	B(IDR1_QUEUES_PRESET, "queues_preset", "QUEUES_PRESET", 29, "queue bases fixed"),
	B(IDR1_TABLES_PRESET, "tables_preset", "TABLES_PRESET", 30, "stream table base fixed"),
	B(IDR1_ECMDQ, "ecmdq", "ECMDQ", 31, "enhanced command queues"),
};

static const struct pt_field idr2_fields[] = {
	{ "ba_vatos", "BA_VATOS", 0, 0, 10, PT_FK_UINT, 0, NULL, 0, "VATOS page base", 0 },
	{ "res0_31_10", "RES0[31:10]", 0, 10, 22, PT_FK_RES0, 0, NULL, 0, "reserved", 0 },
};

static const struct pt_field idr3_fields[IDR3_NFIELDS] = {
	R(IDR3_RES0_1_0, "res0_1_0", "RES0[1:0]", 0, 0, 2),
	B(IDR3_HAD, "had", "HAD", 2, "hierarchical attribute disable (CD.HAD0/1)"),
	B(IDR3_PBHA, "pbha", "PBHA", 3, "page-based hardware attributes (CD.HWUxxx)"),
	B(IDR3_XNX, "xnx", "XNX", 4, "stage-2 EL0/EL1 execute-never"),
	B(IDR3_PPS, "pps", "PPS", 5, "PRI responses carry the PASID"),
	R(IDR3_RES0_6, "res0_6", "RES0[6]", 0, 6, 1),
	B(IDR3_MPAM, "mpam", "MPAM", 7, "memory partitioning and monitoring"),
	B(IDR3_FWB, "fwb", "FWB", 8, "stage-2 forced write-back"),
	B(IDR3_STT, "stt", "STT", 9, "small translation tables"),
	B(IDR3_RIL, "ril", "RIL", 10, "range invalidation and level hints"),
	U(IDR3_BBML, "bbml", "BBML", 11, 2, "break-before-make level"),
	B(IDR3_E0PD, "e0pd", "E0PD", 13, "CD.E0PD0/1"),
	B(IDR3_PTWNNC, "ptwnnc", "PTWNNC", 14, "S2PTW=0 device walks as normal NC"),
	B(IDR3_DPT, "dpt", "DPT", 15, "device permission table"),
	B(IDR3_PASIDTT, "pasidtt", "PASIDTT", 16, "PASID on ATS translated transactions"),
	B(IDR3_EPAN, "epan", "EPAN", 17, "enhanced PAN (CD.EPAN)"),
	B(IDR3_S1PI, "s1pi", "S1PI", 18, "stage-1 permission indirection (CD.PIE)"),
	B(IDR3_S2PI, "s2pi", "S2PI", 19, "stage-2 permission indirection"),
	B(IDR3_S2PO, "s2po", "S2PO", 20, "stage-2 permission overlays"),
	B(IDR3_THE, "the", "THE", 21, "translation hardening (CD.PnCH)"),
	B(IDR3_MTEPERM, "mteperm", "MTEPERM", 22, "stage-2 NoTagAccess"),
	B(IDR3_AIE, "aie", "AIE", 23, "attribute index extension (CD.AIE)"),
	R(IDR3_RES0_31_24, "res0_31_24", "RES0[31:24]", 0, 24, 8),
};

static const struct pt_field idr4_fields[] = {
	{ "impdef", "IMPLEMENTATION DEFINED", 0, 0, 32, PT_FK_UINT, 0, NULL, 0,
	  "implementation defined", PT_FF_HEX },
};

static const struct pt_field idr5_fields[IDR5_NFIELDS] = {
	E(IDR5_OAS, "oas", "OAS", 0, 0, 3, oas_names, "output address size"),
	R(IDR5_RES0_3, "res0_3", "RES0[3]", 0, 3, 1),
	B(IDR5_GRAN4K, "gran4k", "GRAN4K", 4, "4 KiB granule"),
	B(IDR5_GRAN16K, "gran16k", "GRAN16K", 5, "16 KiB granule"),
	B(IDR5_GRAN64K, "gran64k", "GRAN64K", 6, "64 KiB granule"),
	B(IDR5_DS, "ds", "DS", 7, "52-bit addresses with 4K/16K granules"),
	B(IDR5_D128, "d128", "D128", 8, "VMSAv9-128 descriptors"),
	R(IDR5_RES0_9, "res0_9", "RES0[9]", 0, 9, 1),
	E(IDR5_VAX, "vax", "VAX", 0, 10, 2, vax_names, "virtual address size per TTB"),
	R(IDR5_RES0_15_12, "res0_15_12", "RES0[15:12]", 0, 12, 4),
	U(IDR5_STALL_MAX, "stall_max", "STALL_MAX", 16, 16, "outstanding stalled transactions"),
};

static const struct pt_field iidr_fields[] = {
	{ "implementer", "Implementer", 0, 0, 12, PT_FK_UINT, 0, NULL, 0, "JEP106 code", PT_FF_HEX },
	{ "revision", "Revision", 0, 12, 4, PT_FK_UINT, 0, NULL, 0, "minor revision", 0 },
	{ "variant", "Variant", 0, 16, 4, PT_FK_UINT, 0, NULL, 0, "major revision", 0 },
	{ "productid", "ProductID", 0, 20, 12, PT_FK_UINT, 0, NULL, 0, "product", PT_FF_HEX },
};

static const struct pt_field aidr_fields[AIDR_NFIELDS] = {
	U(AIDR_MINOR, "archminorrev", "ArchMinorRev", 0, 4, "SMMUv3.x: x"),
	U(AIDR_MAJOR, "archmajorrev", "ArchMajorRev", 4, 4, "0 for SMMUv3"),
	R(AIDR_RES0, "res0_31_8", "RES0[31:8]", 0, 8, 24),
};

/* Bits a table does not name are kept as "other" fields so that every bit
 * of every register belongs to one field: decode and build round-trip
 * exactly (fuzz/fuzz_cd_roundtrip.c checks it for every structure). */
#define OTHER(key, lab, l, wd) \
	{ key, lab, 0, l, wd, PT_FK_RES0, 0, NULL, 0, "reserved here, or a later version's", 0 }

static const struct pt_field cr0_fields[] = {
	{ "smmuen", "SMMUEN", 0, 0, 1, PT_FK_BOOL, 0, NULL, 0, "translation enabled", 0 },
	{ "priqen", "PRIQEN", 0, 1, 1, PT_FK_BOOL, 0, NULL, 0, "PRI queue enabled", 0 },
	{ "eventqen", "EVENTQEN", 0, 2, 1, PT_FK_BOOL, 0, NULL, 0, "event queue enabled", 0 },
	{ "cmdqen", "CMDQEN", 0, 3, 1, PT_FK_BOOL, 0, NULL, 0, "command queue enabled", 0 },
	{ "atschk", "ATSCHK", 0, 4, 1, PT_FK_BOOL, 0, NULL, 0, "ATS translated traffic checked", 0 },
	OTHER("res0_5", "RES0[5]", 5, 1),
	{ "vmw", "VMW", 0, 6, 3, PT_FK_UINT, 0, NULL, 0, "VMID wildcard", 0 },
	OTHER("res0_31_9", "RES0[31:9]", 9, 23),
};

static const char *const cache_names[] = { "nc", "wbwa", "wt", "wb" };
static const char *const sh_names[] = { "nsh", "reserved", "osh", "ish" };

static const struct pt_field cr1_fields[] = {
	{ "queue_ic", "QUEUE_IC", 0, 0, 2, PT_FK_ENUM, 0, ENUM(cache_names), "queue inner cacheability", 0 },
	{ "queue_oc", "QUEUE_OC", 0, 2, 2, PT_FK_ENUM, 0, ENUM(cache_names), "queue outer cacheability", 0 },
	{ "queue_sh", "QUEUE_SH", 0, 4, 2, PT_FK_ENUM, 0, ENUM(sh_names), "queue shareability", 0 },
	{ "table_ic", "TABLE_IC", 0, 6, 2, PT_FK_ENUM, 0, ENUM(cache_names), "table inner cacheability", 0 },
	{ "table_oc", "TABLE_OC", 0, 8, 2, PT_FK_ENUM, 0, ENUM(cache_names), "table outer cacheability", 0 },
	{ "table_sh", "TABLE_SH", 0, 10, 2, PT_FK_ENUM, 0, ENUM(sh_names), "table shareability", 0 },
	OTHER("res0_31_12", "RES0[31:12]", 12, 20),
};

static const struct pt_field cr2_fields[CR2_NFIELDS] = {
	B(CR2_E2H, "e2h", "E2H", 0, "STRW = EL2 streams are EL2-E2H (with TTB1, ASIDs)"),
	B(CR2_RECINVSID, "recinvsid", "RECINVSID", 1, "record C_BAD_STREAMID"),
	B(CR2_PTM, "ptm", "PTM", 2, "private TLB maintenance"),
	[CR2_OTHER] = OTHER("res0_31_3", "RES0[31:3]", 3, 29),
};

static const char *const incoming4[] = { "incoming", "reserved", "override2", "override3" };

/* IHI 0070 G.b §6.3.14: bypass attributes while SMMUEN = 0. */
static const struct pt_field gbpa_fields[] = {
	{ "memattr", "MemAttr", 0, 0, 4, PT_FK_UINT, 0, NULL, 0, "memory type (as STE.MemAttr)", 0 },
	{ "mtcfg", "MTCFG", 0, 4, 1, PT_FK_BOOL, 0, NULL, 0, "override the memory type", 0 },
	OTHER("res0_7_5", "RES0[7:5]", 5, 3),
	{ "alloccfg", "ALLOCCFG", 0, 8, 4, PT_FK_UINT, 0, NULL, 0, "allocation hints override", 0 },
	{ "shcfg", "SHCFG", 0, 12, 2, PT_FK_ENUM, 0, ENUM(sh_names), "shareability override", 0 },
	OTHER("res0_15_14", "RES0[15:14]", 14, 2),
	{ "privcfg", "PRIVCFG", 0, 16, 2, PT_FK_ENUM, 0, ENUM(incoming4),
	  "privilege override (2 unprivileged, 3 privileged)", 0 },
	{ "instcfg", "INSTCFG", 0, 18, 2, PT_FK_ENUM, 0, ENUM(incoming4),
	  "instruction/data override (2 data, 3 instruction)", 0 },
	{ "abort", "ABORT", 0, 20, 1, PT_FK_BOOL, 0, NULL, 0,
	  "incoming traffic aborts while SMMUEN = 0", 0 },
	OTHER("res0_30_21", "RES0[30:21]", 21, 10),
	{ "update", "Update", 0, 31, 1, PT_FK_BOOL, 0, NULL, 0, "an update is in progress", 0 },
};

static const struct pt_field qbase_fields[QBASE_NFIELDS] = {
	SF(QBASE_LOG2SIZE, "log2size", "LOG2SIZE", 0, 0, 5, PT_FK_UINT,
	   "the queue holds 2^LOG2SIZE entries (capped by IDR1)"),
	SA(QBASE_ADDR, "addr", "ADDR", 0, 5, 51, 5, "address of the first entry"),
	R(QBASE_RES0_61_56, "res0_61_56", "RES0[61:56]", 0, 56, 6),
	F(QBASE_HINT, "ra_wa", "RA/WA", 0, 62, 1, PT_FK_BOOL,
	  "allocation hint (read-allocate for CMDQ, write-allocate for EVENTQ/PRIQ)"),
	R(QBASE_RES0_63, "res0_63", "RES0[63]", 0, 63, 1),
};

static const struct pt_field cmdq_cons_fields[] = {
	SF(QIDX_INDEX, "rd", "RD", 0, 0, 20, PT_FK_UINT, "read index, wrap bit at LOG2SIZE"),
	SE(QIDX_ERR, "err", "ERR", 0, 24, 7, cerror_names, "why the last command failed"),
	R(QIDX_FLAG, "res0_31", "RES0[31]", 0, 31, 1),
	[QIDX_NFIELDS] = OTHER("res0_23_20", "RES0[23:20]", 20, 4),
};
static const struct pt_field cmdq_prod_fields[] = {
	SF(0, "wr", "WR", 0, 0, 20, PT_FK_UINT, "write index, wrap bit at LOG2SIZE"),
	[1] = OTHER("res0_31_20", "RES0[31:20]", 20, 12),
};
static const struct pt_field evq_prod_fields[QIDX_NFIELDS] = {
	SF(QIDX_INDEX, "wr", "WR", 0, 0, 20, PT_FK_UINT, "write index, wrap bit at LOG2SIZE"),
	R(QIDX_ERR, "res0_30_20", "RES0[30:20]", 0, 20, 11),
	F(QIDX_FLAG, "ovflg", "OVFLG", 0, 31, 1, PT_FK_BOOL, "overflow: differs from CONS.OVACKFLG"),
};
static const struct pt_field evq_cons_fields[QIDX_NFIELDS] = {
	SF(QIDX_INDEX, "rd", "RD", 0, 0, 20, PT_FK_UINT, "read index, wrap bit at LOG2SIZE"),
	R(QIDX_ERR, "res0_30_20", "RES0[30:20]", 0, 20, 11),
	F(QIDX_FLAG, "ovackflg", "OVACKFLG", 0, 31, 1, PT_FK_BOOL, "overflow acknowledged"),
};

#define N(a) a, sizeof a / sizeof a[0]
#define ST(var, key, label, bytes, fields, doc) \
	static const struct pt_struct var = { key, label, bytes, N(fields), doc, 0 }

ST(idr0_st, "smmuv3-idr0", "SMMU_IDR0 register", 4, idr0_fields, "IHI 0070 §6.3.1");
ST(idr1_st, "smmuv3-idr1", "SMMU_IDR1 register", 4, idr1_fields, "IHI 0070 §6.3.2");
ST(idr2_st, "smmuv3-idr2", "SMMU_IDR2 register", 4, idr2_fields, "IHI 0070 §6.3.3");
ST(idr3_st, "smmuv3-idr3", "SMMU_IDR3 register", 4, idr3_fields, "IHI 0070 §6.3.4");
ST(idr4_st, "smmuv3-idr4", "SMMU_IDR4 register", 4, idr4_fields, "IHI 0070 §6.3.5");
ST(idr5_st, "smmuv3-idr5", "SMMU_IDR5 register", 4, idr5_fields, "IHI 0070 §6.3.6");
ST(iidr_st, "smmuv3-iidr", "SMMU_IIDR register", 4, iidr_fields, "IHI 0070 §6.3.7");
ST(aidr_st, "smmuv3-aidr", "SMMU_AIDR register", 4, aidr_fields, "IHI 0070 §6.3.8");
ST(cr0_st, "smmuv3-cr0", "SMMU_CR0 register", 4, cr0_fields, "IHI 0070 §6.3.9");
ST(cr1_st, "smmuv3-cr1", "SMMU_CR1 register", 4, cr1_fields, "IHI 0070 §6.3.11");
ST(cr2_st, "smmuv3-cr2", "SMMU_CR2 register", 4, cr2_fields, "IHI 0070 §6.3.12");
ST(gbpa_st, "smmuv3-gbpa", "SMMU_GBPA register", 4, gbpa_fields, "IHI 0070 §6.3.14");
ST(qbase_st, "smmuv3-queue-base", "SMMU_CMDQ_BASE / EVENTQ_BASE / PRIQ_BASE register", 8,
   qbase_fields, "IHI 0070 §6.3.26, §6.3.29, §6.3.33");
ST(cmdq_prod_st, "smmuv3-cmdq-prod", "SMMU_CMDQ_PROD register", 4, cmdq_prod_fields,
   "IHI 0070 §6.3.27");
ST(cmdq_cons_st, "smmuv3-cmdq-cons", "SMMU_CMDQ_CONS register", 4, cmdq_cons_fields,
   "IHI 0070 §6.3.28");
ST(evq_prod_st, "smmuv3-queue-prod", "SMMU_EVENTQ_PROD / PRIQ_PROD register", 4,
   evq_prod_fields, "IHI 0070 §6.3.95, §6.3.97");
ST(evq_cons_st, "smmuv3-queue-cons", "SMMU_EVENTQ_CONS / PRIQ_CONS register", 4,
   evq_cons_fields, "IHI 0070 §6.3.96, §6.3.98");

#define HINT (UINT64_C(1) << 62)

static const struct smmu_reg_info regs[SMMU_NREGS] = {
	[SMMU_IDR0] = { "IDR0", 0x00, 4, &idr0_st, 0 },
	[SMMU_IDR1] = { "IDR1", 0x04, 4, &idr1_st, 0 },
	[SMMU_IDR2] = { "IDR2", 0x08, 4, &idr2_st, 0 },
	[SMMU_IDR3] = { "IDR3", 0x0c, 4, &idr3_st, 0 },
	[SMMU_IDR4] = { "IDR4", 0x10, 4, &idr4_st, 0 },
	[SMMU_IDR5] = { "IDR5", 0x14, 4, &idr5_st, 0 },
	[SMMU_IIDR] = { "IIDR", 0x18, 4, &iidr_st, 0 },
	[SMMU_AIDR] = { "AIDR", 0x1c, 4, &aidr_st, 0 },
	[SMMU_CR0] = { "CR0", 0x20, 4, &cr0_st, 0 },
	[SMMU_CR1] = { "CR1", 0x28, 4, &cr1_st, 0 },
	[SMMU_CR2] = { "CR2", 0x2c, 4, &cr2_st, 0 },
	[SMMU_GBPA] = { "GBPA", 0x44, 4, &gbpa_st, 0 },
	[SMMU_STRTAB_BASE] = { "STRTAB_BASE", 0x80, 8, &smmu_strtab_base_struct, HINT },
	[SMMU_STRTAB_BASE_CFG] = { "STRTAB_BASE_CFG", 0x88, 4, &smmu_strtab_cfg_struct, 0 },
	[SMMU_CMDQ_BASE] = { "CMDQ_BASE", 0x90, 8, &qbase_st, HINT },
	[SMMU_CMDQ_PROD] = { "CMDQ_PROD", 0x98, 4, &cmdq_prod_st, 0 },
	[SMMU_CMDQ_CONS] = { "CMDQ_CONS", 0x9c, 4, &cmdq_cons_st, 0 },
	[SMMU_EVENTQ_BASE] = { "EVENTQ_BASE", 0xa0, 8, &qbase_st, HINT },
	[SMMU_EVENTQ_PROD] = { "EVENTQ_PROD", 0x100a8, 4, &evq_prod_st, 0 },
	[SMMU_EVENTQ_CONS] = { "EVENTQ_CONS", 0x100ac, 4, &evq_cons_st, 0 },
	[SMMU_PRIQ_BASE] = { "PRIQ_BASE", 0xc0, 8, &qbase_st, HINT },
	[SMMU_PRIQ_PROD] = { "PRIQ_PROD", 0x100c8, 4, &evq_prod_st, 0 },
	[SMMU_PRIQ_CONS] = { "PRIQ_CONS", 0x100cc, 4, &evq_cons_st, 0 },
};

const struct smmu_reg_info *smmu_reg_info(enum smmu_reg r)
{
	return (unsigned)r < SMMU_NREGS ? &regs[r] : NULL;
}

/* Strip "SMMU_" and spell "EVTQ_" as "EVENTQ_" (Linux's and QEMU's name)
 * into out; 0, or -1 when the name cannot be a register name. */
static int canonical(const char *name, char *out, size_t outlen)
{
	if (strncasecmp(name, "SMMU_", 5) == 0)
		name += 5;
	const char *prefix = "";
	if (strncasecmp(name, "EVTQ_", 5) == 0) {
		prefix = "EVENTQ_";
		name += 5;
	}
	size_t lp = strlen(prefix), ln = strlen(name);
	if (lp + ln == 0 || lp + ln >= outlen)
		return -1;
	memcpy(out, prefix, lp);
	memcpy(out + lp, name, ln + 1);
	return 0;
}

int smmu_reg_lookup(const char *name, enum smmu_reg *out)
{
	char c[32];
	if (canonical(name, c, sizeof c) != 0)
		return -1;
	for (unsigned i = 0; i < SMMU_NREGS; i++)
		if (strcasecmp(regs[i].name, c) == 0) {
			*out = (enum smmu_reg)i;
			return 0;
		}
	return -1;
}

/* Edit distance, capped: names are short and the list is fixed. */
static unsigned distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[33];
	if (la > 32 || lb > 32)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned sub = diag + ((a[i - 1] | 0x20) != (b[j - 1] | 0x20));
			unsigned best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
			row[j] = sub < best ? sub : best;
			diag = up;
		}
	}
	return row[lb];
}

const char *smmu_reg_suggest(const char *name)
{
	char c[32];
	if (canonical(name, c, sizeof c) != 0)
		return NULL;
	const char *best = NULL;
	/* A suggestion only for near misses: one edit in three letters. */
	unsigned bestd = (unsigned)strlen(c) / 3 + 1;
	for (unsigned i = 0; i < SMMU_NREGS; i++) {
		unsigned d = distance(c, regs[i].name);
		if (d < bestd) {
			bestd = d;
			best = regs[i].name;
		}
	}
	return best;
}

uint64_t smmu_reg_field(enum smmu_reg r, uint64_t value, unsigned f)
{
	const struct pt_struct *st = regs[r].st;
	uint8_t raw[8];
	pt_put_le64(raw, 0, value);
	return f < st->nfields ? pt_field_get(raw, &st->fields[f]) : 0;
}

void smmu_regs_set(struct smmu_regs *r, enum smmu_reg id, uint64_t value)
{
	r->value[id] = value & ~regs[id].hint_mask;
	r->have |= UINT32_C(1) << id;
}

static const struct {
	enum smmu_reg base, prod, cons;
	unsigned idr1_field, entry_bytes;
	const char *name;
} queues[SMMU_NQUEUES] = {
	[SMMU_CMDQ] = { SMMU_CMDQ_BASE, SMMU_CMDQ_PROD, SMMU_CMDQ_CONS, IDR1_CMDQS, 16, "cmdq" },
	[SMMU_EVENTQ] = { SMMU_EVENTQ_BASE, SMMU_EVENTQ_PROD, SMMU_EVENTQ_CONS, IDR1_EVENTQS, 32,
			  "eventq" },
	[SMMU_PRIQ] = { SMMU_PRIQ_BASE, SMMU_PRIQ_PROD, SMMU_PRIQ_CONS, IDR1_PRIQS, 16, "priq" },
};

/* The architecture's largest queue: 2^19 entries (IHI 0070 §6.3.2). */
#define QUEUE_MAX_LOG2 19u

int smmu_regs_queue(const struct smmu_regs *r, enum smmu_queue_id q, struct smmu_queue_regs *out)
{
	memset(out, 0, sizeof *out);
	if ((unsigned)q >= SMMU_NQUEUES)
		return -1;
	out->name = queues[q].name;
	out->entry_bytes = queues[q].entry_bytes;
	out->max_log2size = QUEUE_MAX_LOG2;
	if (smmu_regs_have(r, SMMU_IDR1)) {
		unsigned m = (unsigned)smmu_reg_field(SMMU_IDR1, r->value[SMMU_IDR1],
						      queues[q].idr1_field);
		out->max_log2size = m < QUEUE_MAX_LOG2 ? m : QUEUE_MAX_LOG2;
	}
	out->have_prod = smmu_regs_have(r, queues[q].prod);
	out->have_cons = smmu_regs_have(r, queues[q].cons);
	out->prod = (uint32_t)r->value[queues[q].prod];
	out->cons = (uint32_t)r->value[queues[q].cons];
	out->have_base = smmu_regs_have(r, queues[q].base);
	if (!out->have_base)
		return -1;
	uint64_t b = r->value[queues[q].base];
	out->base_reg = b;
	out->base = smmu_reg_field(queues[q].base, b, QBASE_ADDR);
	unsigned l = (unsigned)smmu_reg_field(queues[q].base, b, QBASE_LOG2SIZE);
	out->log2size = l < out->max_log2size ? l : out->max_log2size;
	return 0;
}

void smmu_regs_register(void)
{
	for (unsigned i = 0; i < SMMU_NREGS; i++)
		pt_struct_register(regs[i].st);
	pt_rules_register(&smmu_regs_rules);
}

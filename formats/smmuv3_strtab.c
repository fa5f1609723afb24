/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SMMU_STRTAB_BASE and SMMU_STRTAB_BASE_CFG (IHI 0070 G.b §6.3.23/24) as
 * field tables, turned into the core's table config for the stream table;
 * and the step from an STE to the config of the CD table it points at, so
 * that --strtab/--ste walks reach CDs through the same walker and CD code as
 * --cd-table. */
#include <string.h>

#include "smmuv3.h"

static const char *const fmt_names[] = { "linear", "2lvl", "reserved2", "reserved3" };

#define ENUM(n) n, (uint8_t)(sizeof n / sizeof n[0])

const struct pt_field smmu_strtab_base_fields[STRTAB_BASE_NFIELDS] = {
	[STRTAB_BASE_RES0_LO] = { "res0_5_0", "RES0[5:0]", 0, 0, 6, PT_FK_RES0, 0, NULL, 0,
				  "reserved", 0 },
	[STRTAB_BASE_ADDR] = { "addr", "ADDR", 0, 6, 46, PT_FK_ADDR, 6, NULL, 0,
			       "address of the stream table (or its L1 table)", PT_FF_SHOW_ZERO },
	[STRTAB_BASE_RES0_MID] = { "res0_61_52", "RES0[61:52]", 0, 52, 10, PT_FK_RES0, 0, NULL, 0,
				   "reserved", 0 },
	[STRTAB_BASE_RA] = { "ra", "RA", 0, 62, 1, PT_FK_BOOL, 0, NULL, 0,
			     "read-allocate hint for table fetches", 0 },
	[STRTAB_BASE_RES0_HI] = { "res0_63", "RES0[63]", 0, 63, 1, PT_FK_RES0, 0, NULL, 0,
				  "reserved", 0 },
};

const struct pt_struct smmu_strtab_base_struct = {
	"smmuv3-strtab-base", "SMMU_STRTAB_BASE register", 8, smmu_strtab_base_fields,
	STRTAB_BASE_NFIELDS, "stream table base register, IHI 0070 §6.3.23", 0,
};

const struct pt_field smmu_strtab_cfg_fields[STRTAB_CFG_NFIELDS] = {
	[STRTAB_CFG_LOG2SIZE] = { "log2size", "LOG2SIZE", 0, 0, 6, PT_FK_UINT, 0, NULL, 0,
				  "the table covers 2^LOG2SIZE StreamIDs (capped by SIDSIZE)",
				  PT_FF_SHOW_ZERO },
	[STRTAB_CFG_SPLIT] = { "split", "SPLIT", 0, 6, 5, PT_FK_UINT, 0, NULL, 0,
			       "2-level: StreamID bits indexed in a leaf (6, 8 or 10)",
			       PT_FF_SHOW_ZERO },
	[STRTAB_CFG_RES0_MID] = { "res0_15_11", "RES0[15:11]", 0, 11, 5, PT_FK_RES0, 0, NULL, 0,
				  "reserved", 0 },
	[STRTAB_CFG_FMT] = { "fmt", "FMT", 0, 16, 2, PT_FK_ENUM, 0, ENUM(fmt_names),
			     "table format: linear or 2-level", PT_FF_SHOW_ZERO },
	[STRTAB_CFG_RES0_HI] = { "res0_63_18", "RES0[63:18]", 0, 18, 46, PT_FK_RES0, 0, NULL, 0,
				 "reserved", 0 },
};

const struct pt_struct smmu_strtab_cfg_struct = {
	"smmuv3-strtab-base-cfg", "SMMU_STRTAB_BASE_CFG register", 8, smmu_strtab_cfg_fields,
	STRTAB_CFG_NFIELDS, "stream table configuration register, IHI 0070 §6.3.24", 0,
};

void smmu_strtab_register(void)
{
	pt_format_register(&smmu_strtab_format);
	pt_struct_register(&smmu_strtab_base_struct);
	pt_struct_register(&smmu_strtab_cfg_struct);
}

static uint64_t reg_field(uint64_t reg, const struct pt_field *f)
{
	uint8_t raw[8];
	pt_put_le64(raw, 0, reg);
	return pt_field_get(raw, f);
}

void smmu_strtab_decode(uint64_t base_reg, uint64_t cfg_reg, unsigned sidsize,
			struct smmu_strtab *st)
{
	memset(st, 0, sizeof *st);
	st->base_reg = base_reg;
	st->cfg_reg = cfg_reg;
	st->base = reg_field(base_reg, &smmu_strtab_base_fields[STRTAB_BASE_ADDR]);
	st->log2size = (unsigned)reg_field(cfg_reg, &smmu_strtab_cfg_fields[STRTAB_CFG_LOG2SIZE]);
	st->split = (unsigned)reg_field(cfg_reg, &smmu_strtab_cfg_fields[STRTAB_CFG_SPLIT]);
	st->fmt = (unsigned)reg_field(cfg_reg, &smmu_strtab_cfg_fields[STRTAB_CFG_FMT]);
	/* The SMMU uses min(LOG2SIZE, SIDSIZE) for range checks and indexing. */
	unsigned bits = st->log2size < sidsize ? st->log2size : sidsize;
	st->sid_bits = bits < PT_MAX_INDEX_BITS ? bits : PT_MAX_INDEX_BITS;
}

static int split_valid(unsigned split)
{
	return split == 6 || split == 8 || split == 10;
}

int smmu_strtab_table_cfg(const struct smmu_strtab *st, struct pt_table_cfg *cfg,
			  const char **why)
{
	memset(cfg, 0, sizeof *cfg);
	if (st->fmt > SMMU_STRTAB_2LVL) {
		*why = "STRTAB_BASE_CFG.FMT is a reserved encoding";
		return -1;
	}
	if (st->fmt == SMMU_STRTAB_2LVL && !split_valid(st->split)) {
		*why = "STRTAB_BASE_CFG.SPLIT is not 6, 8 or 10";
		return -1;
	}
	cfg->fmt = &smmu_strtab_format;
	cfg->layout = &smmu_strtab_format.layouts[st->fmt];
	cfg->base = st->base;
	cfg->ssid_bits = st->sid_bits;
	cfg->leaf_bits = st->fmt == SMMU_STRTAB_2LVL ? st->split : 0;
	return 0;
}

/* Bytes the SMMU aligns STRTAB_BASE.ADDR to: the linear table, or the L1
 * table but at least 64 bytes. */
static uint64_t base_align(const struct smmu_strtab *st)
{
	if (st->fmt != SMMU_STRTAB_2LVL)
		return (UINT64_C(1) << st->sid_bits) * SMMU_STE_SIZE;
	unsigned l1_bits = st->sid_bits > st->split ? st->sid_bits - st->split : 0;
	uint64_t l1 = (UINT64_C(1) << l1_bits) * SMMU_L1STD_SIZE;
	return l1 > 64 ? l1 : 64;
}

static void check_res0(const struct smmu_strtab *st, struct pt_diag_sink *d)
{
	static const struct {
		const struct pt_field *f;
		int cfg;
	} res0[] = {
		{ &smmu_strtab_base_fields[STRTAB_BASE_RES0_LO], 0 },
		{ &smmu_strtab_base_fields[STRTAB_BASE_RES0_MID], 0 },
		{ &smmu_strtab_base_fields[STRTAB_BASE_RES0_HI], 0 },
		{ &smmu_strtab_cfg_fields[STRTAB_CFG_RES0_MID], 1 },
		{ &smmu_strtab_cfg_fields[STRTAB_CFG_RES0_HI], 1 },
	};
	for (size_t i = 0; i < sizeof res0 / sizeof res0[0]; i++) {
		uint64_t v = reg_field(res0[i].cfg ? st->cfg_reg : st->base_reg, res0[i].f);
		if (v)
			smmu_ste_report(d, R_STRTAB_RES0, st->base, PT_SCOPE_NONE, 0, res0[i].f->name,
					"%s %s = 0x%llx",
					res0[i].cfg ? "STRTAB_BASE_CFG" : "STRTAB_BASE",
					res0[i].f->label, (unsigned long long)v);
	}
}

void smmu_strtab_check(const struct smmu_strtab *st, const struct smmu_caps *caps,
		       struct pt_diag_sink *d)
{
	if (st->fmt > SMMU_STRTAB_2LVL)
		smmu_ste_report(d, R_STRTAB_FMT, st->base, PT_SCOPE_NONE, 0, NULL,
				"FMT = %u is reserved", st->fmt);
	if (st->fmt == SMMU_STRTAB_2LVL && !split_valid(st->split))
		smmu_ste_report(d, R_STRTAB_SPLIT, st->base, PT_SCOPE_NONE, 0, NULL,
				"SPLIT = %u is reserved", st->split);
	if (st->log2size > caps->sid_bits)
		smmu_ste_report(d, R_STRTAB_LOG2SIZE, st->base, PT_SCOPE_NONE, 0, NULL,
				"LOG2SIZE = %u is more than SIDSIZE = %u", st->log2size,
				caps->sid_bits);
	if (caps->oas_bits < 64 && (st->base >> caps->oas_bits))
		smmu_ste_report(d, R_STRTAB_BASE_RANGE, st->base, PT_SCOPE_NONE, 0, NULL,
				"ADDR 0x%llx is beyond the %u-bit output size",
				(unsigned long long)st->base, caps->oas_bits);
	uint64_t align = base_align(st);
	if (st->fmt <= SMMU_STRTAB_2LVL && (st->base & (align - 1)))
		smmu_ste_report(d, R_STRTAB_BASE_ALIGN, st->base, PT_SCOPE_NONE, 0, NULL,
				"ADDR 0x%llx is not aligned to its 0x%llx-byte table",
				(unsigned long long)st->base, (unsigned long long)align);
	check_res0(st, d);
}

int smmu_strtab_check_sid(const struct smmu_strtab *st, uint32_t sid, struct pt_diag_sink *d)
{
	if (((uint64_t)sid >> st->sid_bits) == 0)
		return 0;
	smmu_ste_report(d, R_STRTAB_SID_RANGE, st->base, PT_SCOPE_SID, sid, NULL,
			"StreamID %u is outside a table of 2^%u StreamIDs", sid, st->sid_bits);
	return -1;
}

/* ---- from an STE to its CD table ---- */

/* What the CD checks need to know of the STE. Without substreams the one
 * CD serves traffic without a SubstreamID, which is what S1DSS = ssid0 says
 * with substreams; reserved S1DSS behaves as terminate. */
static uint64_t ste_ctx(const uint8_t *ste, int substreams)
{
	unsigned s1dss = (unsigned)smmu_ste(ste, STE_S1DSS);
	struct smmu_ste_ctx ctx = {
		.present = 1,
		.s1dss = !substreams ? 2 : s1dss == 3 ? 0 : s1dss,
		.s1stalld = (unsigned)smmu_ste(ste, STE_S1STALLD),
		.strw = (unsigned)smmu_ste(ste, STE_STRW),
		.config = (unsigned)smmu_ste(ste, STE_CONFIG),
	};
	return smmu_ste_ctx_pack(&ctx);
}

int smmu_ste_cd_cfg(const uint8_t *ste, const struct smmu_caps *caps, struct pt_table_cfg *cfg,
		    const char **why)
{
	memset(cfg, 0, sizeof *cfg);
	unsigned config = (unsigned)smmu_ste(ste, STE_CONFIG);
	if (!smmu_ste(ste, STE_V)) {
		*why = "the STE is not valid";
		return -1;
	}
	if (!smmu_ste_s1(config)) {
		*why = "stage 1 does not translate: no CD table";
		return -1;
	}
	if (config == SMMU_STE_NESTED) {
		*why = "S1ContextPtr is an IPA (nested): not followed in a physical dump";
		return -1;
	}
	unsigned cdmax = (unsigned)smmu_ste(ste, STE_S1CDMAX);
	int substreams = cdmax != 0 && caps->ssid_bits != 0;
	if (substreams && cdmax > PT_MAX_SSID_BITS) {
		*why = "S1CDMax is more than 20 SSID bits";
		return -1;
	}
	const struct pt_format *cd = &smmu_cd_format;
	unsigned s1fmt = (unsigned)smmu_ste(ste, STE_S1FMT);
	/* S1Fmt 3 is reserved and behaves as linear. */
	unsigned layout = substreams && s1fmt <= SMMU_LAYOUT_64K ? s1fmt : SMMU_LAYOUT_LINEAR;
	cfg->fmt = cd;
	cfg->layout = &cd->layouts[layout];
	cfg->base = smmu_ste(ste, STE_S1CONTEXTPTR);
	cfg->ssid_bits = substreams ? cdmax : 0;
	cfg->vendor[0] = ste_ctx(ste, substreams);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Findings about translation tables as a whole (maps, validate
 * --page-tables): vendor-neutral, raised from the walker's events. */
#include "ptwalk.h"

const struct pt_rule pt_ptw_rule_list[PT_R_TT_COUNT] = {
	[PT_R_TT_NOT_IN_DUMP] = { "TT-NOT-IN-DUMP", PT_SEV_WARNING, NULL,
		"a translation table a valid descriptor points at is not in the input",
		"the dump ends there: the hardware reads whatever memory holds (or records "
		"F_WALK_EABT); mappings below it are unknown",
		"walk of the tables as configured" },
	[PT_R_TT_LOOP] = { "TT-LOOP", PT_SEV_ERROR, NULL,
		"a table descriptor points at a table on its own path (the table is its own "
		"descendant)",
		"the walk reads the same table at a deeper level and interprets its entries "
		"with that level's meaning", "DDI 0487 D8.2 (one table per level)" },
	[PT_R_TT_ADDR_SIZE] = { "TT-ADDR-SIZE", PT_SEV_ERROR, NULL,
		"a next-level table or output address is beyond the output size (IPS, S2PS, OAS)",
		"F_ADDR_SIZE (0x11) for every address below that descriptor",
		"DDI 0487 D8.3; IHI 0070 G.b §7.3.14" },
	[PT_R_TT_RESERVED] = { "TT-RESERVED", PT_SEV_ERROR, NULL,
		"a valid descriptor has a reserved encoding: a block at a level the granule "
		"allows none, or type 0b01 at the last level",
		"F_TRANSLATION (0x10) for every address below that descriptor",
		"DDI 0487 D8.3.1" },
	[PT_R_TT_BUDGET] = { "TT-BUDGET", PT_SEV_WARNING, NULL,
		"the walk read as many descriptors as --max-entries allows and stopped",
		"the rest of the address space is not listed", "pasidtool limit" },
	[PT_R_TT_NEXT_STAGE] = { "TT-NEXT-STAGE", PT_SEV_ERROR, NULL,
		"nested: stage 2 does not translate the IPA of a stage-1 table",
		"a stage-2 fault with CLASS = TT for every address below that descriptor",
		"IHI 0070 G.b §3.3, §7.3.13" },
	[PT_R_TT_RES0] = { "TT-RES0", PT_SEV_WARNING, NULL,
		"a valid table, block or page descriptor has a bit set that is RES0 for its "
		"stage, granule, level and output size ([50]; [49:48] without DS; [15:12] of a "
		"64K descriptor without a 52-bit output; [13:12] of a 16K one; a block's bits "
		"below its size; stage-2 table bits [63:59]): the walk reads only the address "
		"fields, so the translation stands, but where a feature gives the bit a meaning "
		"(DS, LPA, BBML1) it translates differently, and a 64K descriptor's [15:12] are "
		"OA[51:48] on an implementation that chooses so (IMPLEMENTATION DEFINED)",
		"ignored by the walk; with 64K [15:12] possibly F_ADDR_SIZE",
		"DDI 0487 D8.3.1 Tables D8-50 to D8-53; AArch64.NextTableBase" },
	[PT_R_TT_LEVEL_ALIAS] = { "TT-LEVEL-ALIAS", PT_SEV_ERROR, NULL,
		"one translation table is reached at two different levels (a descriptor at "
		"level N names a table also used at level M); the same table at the same level "
		"from several address spaces is sharing and is not reported",
		"its descriptors are read with both levels' meanings",
		"DDI 0487 D8.2, D8.3 (a descriptor's meaning depends on its lookup level)" },
	[PT_R_TT_OVERLAP] = { "TT-OVERLAP", PT_SEV_ERROR, NULL,
		"a translation table's memory overlaps another structure the SMMU reads: the "
		"stream table or an STE leaf, a CD table or its L1 table, or a translation table "
		"of another level, stage or granule",
		"that memory is read as descriptors; AF/dirty updates write into it",
		"DDI 0487 D8.3; IHI 0070 G.b §3.3, §5" },
	[PT_R_TT_NOT_WALKED] = { "TT-NOT-WALKED", PT_SEV_NOTE, NULL,
		"a valid CD or stage-2 STE the SMMU rejects (C_BAD_CD, C_BAD_STE) names "
		"translation tables: they are not walked",
		"the SMMU never reads them",
		"IHI 0070 G.b §5.2.2 SteIllegal(), §5.4.2 CdIllegal(), §7.3" },
};

const struct pt_rule_set pt_ptw_rules = { "translation-tables", pt_ptw_rule_list,
					  PT_R_TT_COUNT };

void pt_ptw_report(struct pt_diag_sink *diags, enum pt_ptw_event ev, unsigned stage, int level,
		   uint64_t addr, uint64_t ia, const char *what)
{
	pt_ptw_report_in(diags, ev, stage, level, addr, ia, what, PT_SCOPE_NONE, 0);
}

void pt_ptw_report_in(struct pt_diag_sink *diags, enum pt_ptw_event ev, unsigned stage,
		      int level, uint64_t addr, uint64_t ia, const char *what,
		      enum pt_diag_scope scope, uint32_t scope_id)
{
	static const enum pt_ptw_rule_id of[] = {
		[PT_PTW_EV_NOT_IN_DUMP] = PT_R_TT_NOT_IN_DUMP,
		[PT_PTW_EV_LOOP] = PT_R_TT_LOOP,
		[PT_PTW_EV_ADDR_SIZE] = PT_R_TT_ADDR_SIZE,
		[PT_PTW_EV_RESERVED] = PT_R_TT_RESERVED,
		[PT_PTW_EV_BUDGET] = PT_R_TT_BUDGET,
		[PT_PTW_EV_NEXT_STAGE] = PT_R_TT_NEXT_STAGE,
		[PT_PTW_EV_RES0] = PT_R_TT_RES0,
	};
	pt_diag_finding(diags, &pt_ptw_rule_list[of[ev]], addr, scope, scope_id, NULL,
			"stage %u level %d, input address 0x%llx: %s", stage, level,
			(unsigned long long)ia, what);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The three SMMUv3 queues as pasidtool knows them: their entry structures,
 * registered for `formats`, docs and fuzz dictionaries. */
#include "smmuv3_queue.h"
#include "table.h"

static void register_family(const struct pt_family *fam)
{
	const struct pt_struct *st;
	for (size_t i = 0; (st = pt_family_struct_at(fam, i)) != NULL; i++)
		pt_struct_register(st);
}

void smmu_queue_register(void)
{
	register_family(&smmu_cmd_family);
	register_family(&smmu_evt_family);
	pt_struct_register(&smmu_priq_struct);
}

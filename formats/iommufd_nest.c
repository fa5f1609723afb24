/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The physical STE Linux installs when a device attaches to a nested domain
 * (arm_smmu_make_nested_domain_ste, arm_smmu_make_nested_cd_table_ste,
 * v6.13): the vSTE's stage-1 half over the nesting parent's stage-2 STE.
 * Every field is set through the STE field table. */
#include <string.h>

#include "iommufd.h"
#include "smmuv3.h"

static void set(uint8_t *ste, enum smmu_ste_field_id id, uint64_t v)
{
	pt_field_set(ste, &smmu_ste_fields[id], v);
}

static uint64_t get(const uint8_t *ste, enum smmu_ste_field_id id)
{
	return pt_field_get(ste, &smmu_ste_fields[id]);
}

/* arm_smmu_make_s2_domain_ste writes EATS from the attach's ATS decision. */
static void s2_half(const uint8_t s2[64], int ats_enabled, uint8_t out[64])
{
	memcpy(out, s2, 64);
	set(out, STE_EATS, ats_enabled ? 1 : 0);
}

void pt_iommufd_nest(const uint8_t vste[PT_IOMMUFD_VSTE_SIZE], const uint8_t s2[64], int ats,
		     uint8_t out[64])
{
	unsigned cfg = get(vste, STE_V) ? (unsigned)get(vste, STE_CONFIG) : SMMU_STE_ABORT;
	/* The kernel keeps EATS only as "enable ATS" for a stage-1 vSTE. */
	int enable_ats = cfg == SMMU_STE_S1 && get(vste, STE_EATS) == 1 && ats;
	if (cfg == SMMU_STE_BYPASS) {
		s2_half(s2, 0, out);
		return;
	}
	if (cfg != SMMU_STE_S1) {
		memset(out, 0, 64);
		set(out, STE_V, 1);
		set(out, STE_CONFIG, SMMU_STE_ABORT);
		return;
	}
	s2_half(s2, enable_ats, out);
	uint8_t v1[PT_IOMMUFD_VSTE_SIZE];
	memcpy(v1, vste, sizeof v1);
	set(v1, STE_EATS, 0);
	pt_put_le64(out, 0, pt_le64(vste, 0));
	set(out, STE_V, 1);
	set(out, STE_CONFIG, SMMU_STE_NESTED);
	pt_put_le64(out, 1, pt_le64(out, 1) | pt_le64(v1, 1));
	set(out, STE_MEV, 1);
}

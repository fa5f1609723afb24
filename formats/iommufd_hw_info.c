/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What IOMMU_GET_HW_INFO returns for an SMMUv3 (struct
 * iommu_hw_info_arm_smmuv3): the raw IDR0-5, IIDR and AIDR the kernel read
 * from the SMMU (arm_smmu_hw_info), kernel output rather than input. The
 * words are described here; their fields are the SMMU register model's. */
#include <string.h>

#include "field_init.h"
#include "iommufd_types.h"

#define SINCE "6.13"

#define W32(id, key, lab, w, l, doc) \
	[id] = { key, lab, w, l, 32, PT_FK_UINT, 0, NULL, 0, doc, PT_FF_HEX | PT_FF_SHOW_ZERO }

static const struct pt_field hw_info_fields[HWI_NFIELDS] = {
	W32(HWI_FLAGS, "flags", "flags", 0, 0, "must be 0"),
	W32(HWI_RESERVED, "reserved", "__reserved", 0, 32,
	    "must be 0 (impl in kernels with implementation-specific hw_info)"),
	W32(HWI_IDR0, "idr0", "IDR0", 1, 0, "SMMU_IDR0 as read by the kernel"),
	W32(HWI_IDR1, "idr1", "IDR1", 1, 32, "SMMU_IDR1"),
	W32(HWI_IDR2, "idr2", "IDR2", 2, 0, "SMMU_IDR2"),
	W32(HWI_IDR3, "idr3", "IDR3", 2, 32, "SMMU_IDR3"),
	W32(HWI_IDR4, "idr4", "IDR4", 3, 0, "SMMU_IDR4 (implementation defined)"),
	W32(HWI_IDR5, "idr5", "IDR5", 3, 32, "SMMU_IDR5"),
	W32(HWI_IIDR, "iidr", "IIDR", 4, 0, "SMMU_IIDR: implementer, revision, product"),
	W32(HWI_AIDR, "aidr", "AIDR", 4, 32, "SMMU_AIDR: architecture version"),
};

const struct pt_struct pt_iommufd_hw_info_struct = {
	"iommufd-hw-info", "iommu_hw_info_arm_smmuv3 (IOMMU_GET_HW_INFO)",
	PT_IOMMUFD_HW_INFO_SIZE, hw_info_fields, HWI_NFIELDS,
	"40 bytes: flags, reserved, IDR0-5, IIDR, AIDR of the SMMU behind a device",
};

uint32_t pt_iommufd_hw_info_word(const uint8_t *body, unsigned id)
{
	return (uint32_t)pt_field_get(body, &hw_info_fields[id]);
}

static const struct pt_struct *hw_info_layout(const uint8_t *body)
{
	(void)body;
	return &pt_iommufd_hw_info_struct;
}

/* Kernel output: nothing to reject, only to compare with the uAPI. */
static void hw_info_verdict(const struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			    struct pt_iommufd_verdict *v)
{
	(void)ctx;
	(void)rec;
	(void)v;
}

static void hw_info_check(struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			  const struct pt_iommufd_verdict *v, struct pt_diag_sink *diags)
{
	(void)ctx;
	(void)v;
	uint32_t flags = pt_iommufd_hw_info_word(rec->body, HWI_FLAGS);
	uint32_t res = pt_iommufd_hw_info_word(rec->body, HWI_RESERVED);
	if (flags)
		pt_iommufd_report(diags, rec, R_IOFD_HWI_FLAGS, NULL, "flags = 0x%x", flags);
	if (res)
		pt_iommufd_report(diags, rec, R_IOFD_HWI_RESERVED, NULL, "__reserved = 0x%x", res);
}

const struct pt_iommufd_ops pt_iommufd_hw_info_ops = {
	"hw-info", "iommu_hw_info_arm_smmuv3", PT_IOMMUFD_HW_INFO_SIZE, SINCE,
	hw_info_layout, hw_info_verdict, hw_info_check, NULL,
};

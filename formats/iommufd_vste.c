/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The vSTE of IOMMU_HWPT_ALLOC (struct iommu_hwpt_arm_smmuv3): STE words 0
 * and 1 as the guest wrote them, described by the stream table's own field
 * table (its word 0-1 fields), judged first by the kernel's
 * arm_smmu_validate_vste() and then, when the kernel accepts it, by the STE
 * rules run on the STE the guest wrote. */
#include <string.h>

#include "iommufd_types.h"
#include "smmuv3.h"

#define SINCE "6.13"

/* STE fields are ordered by word: every field before S2VMID lies in words 0-1. */
const struct pt_struct pt_iommufd_vste_struct = {
	"iommufd-vste", "vSTE (iommu_hwpt_arm_smmuv3: STE words 0-1)", PT_IOMMUFD_VSTE_SIZE,
	smmu_ste_fields, STE_S2VMID,
	"IOMMU_HWPT_ALLOC data for IOMMU_HWPT_DATA_ARM_SMMUV3: the guest's STE dwords 0 and 1",
	PT_SF_COMPACT,
};

static const uint64_t allowed[2] = { PT_IOMMUFD_VSTE0_ALLOWED, PT_IOMMUFD_VSTE1_ALLOWED };

static const struct pt_struct *vste_layout(const uint8_t *body)
{
	(void)body;
	return &pt_iommufd_vste_struct;
}

static uint64_t vf(const uint8_t *body, enum smmu_ste_field_id id)
{
	return pt_field_get(body, &smmu_ste_fields[id]);
}

static int config_ok(unsigned cfg)
{
	return cfg == SMMU_STE_ABORT || cfg == SMMU_STE_BYPASS || cfg == SMMU_STE_S1;
}

/* The order of arm_smmu_validate_vste: V, the masks, Config, EATS. */
static void vste_verdict(const struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			 struct pt_iommufd_verdict *v)
{
	(void)ctx;
	const uint8_t *b = rec->body;
	if (!vf(b, STE_V))
		return;
	if ((pt_le64(b, 0) & ~allowed[0]) || (pt_le64(b, 1) & ~allowed[1]))
		pt_iommufd_reject(v, R_IOFD_VSTE_BITS, "EIO", SINCE);
	if (!config_ok((unsigned)vf(b, STE_CONFIG)))
		pt_iommufd_reject(v, R_IOFD_VSTE_CONFIG, "EIO", SINCE);
	if (vf(b, STE_EATS) > 1)
		pt_iommufd_reject(v, R_IOFD_VSTE_EATS, "EIO", SINCE);
}

/* The labels of the fields holding bits outside the masks, "S1ContextPtr,
 * STRW". */
static void outside_fields(const uint8_t *b, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < pt_iommufd_vste_struct.nfields && used + 1 < len; i++) {
		const struct pt_field *f = &smmu_ste_fields[i];
		uint64_t fmask = (f->width == 64 ? ~UINT64_C(0) : (UINT64_C(1) << f->width) - 1)
				 << f->lsb;
		if (pt_le64(b, f->word) & fmask & ~allowed[f->word])
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
						 f->label);
	}
}

static void report_kernel(const struct pt_iommufd_rec *rec, struct pt_diag_sink *diags)
{
	const uint8_t *b = rec->body;
	uint64_t x0 = pt_le64(b, 0) & ~allowed[0], x1 = pt_le64(b, 1) & ~allowed[1];
	unsigned cfg = (unsigned)vf(b, STE_CONFIG), eats = (unsigned)vf(b, STE_EATS);
	if (x0 || x1) {
		char names[120];
		outside_fields(b, names, sizeof names);
		pt_iommufd_report(diags, rec, R_IOFD_VSTE_BITS, NULL,
				  "bits outside NESTING_ALLOWED: word 0 0x%016llx, word 1 0x%016llx (%s)",
				  (unsigned long long)x0, (unsigned long long)x1, names);
	}
	if (!config_ok(cfg))
		pt_iommufd_report(diags, rec, R_IOFD_VSTE_CONFIG, NULL, "Config = %u (%s)", cfg,
				  pt_field_enum_name(&smmu_ste_fields[STE_CONFIG], cfg));
	if (eats > 1)
		pt_iommufd_report(diags, rec, R_IOFD_VSTE_EATS, NULL, "EATS = %u", eats);
}

void pt_iommufd_vste_to_ste(const uint8_t vste[PT_IOMMUFD_VSTE_SIZE], uint8_t ste[64])
{
	memset(ste, 0, 64);
	memcpy(ste, vste, PT_IOMMUFD_VSTE_SIZE);
}

/* The STE rules see the STE the guest wrote (Config as written, words 2-7
 * zero: the guest has no stage 2); what they find, the SMMU raises for the
 * guest's traffic once the kernel has installed the nested STE. */
static void report_smmu(const struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			struct pt_diag_sink *diags)
{
	uint8_t ste[64];
	struct pt_diag_sink tmp;
	struct pt_walk w;
	pt_iommufd_vste_to_ste(rec->body, ste);
	pt_iommufd_collect(&tmp, diags);
	memset(&w, 0, sizeof w);
	w.diags = &tmp;
	w.caps = (void *)(uintptr_t)ctx->caps;
	w.validate = 1;
	smmu_ste_check_entry(&w, 0, rec->offset, ste);
	pt_iommufd_forward(diags, rec, R_IOFD_VSTE_SMMU, &tmp);
}

static void vste_check(struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
		       const struct pt_iommufd_verdict *v, struct pt_diag_sink *diags)
{
	const uint8_t *b = rec->body;
	unsigned cfg = (unsigned)vf(b, STE_CONFIG);
	if (!vf(b, STE_V)) {
		pt_iommufd_report(diags, rec, R_IOFD_VSTE_NOT_VALID, NULL,
				  "V = 0%s", pt_le64(b, 0) | pt_le64(b, 1) ? " (other bits set: "
				  "the kernel zeroes them)" : "");
		return;
	}
	report_kernel(rec, diags);
	if (!v->accepted)
		return;
	if (vf(b, STE_EATS) == 1)
		pt_iommufd_report(diags, rec, R_IOFD_VSTE_ATS, NULL, "EATS = 1 with Config = %u%s",
				  cfg, cfg == SMMU_STE_S1 ? "" : ": ignored, ATS stays off");
	report_smmu(ctx, rec, diags);
}

int pt_iommufd_vste_cd_cfg(const uint8_t vste[PT_IOMMUFD_VSTE_SIZE],
			   const struct smmu_caps *caps, struct pt_table_cfg *cfg,
			   const char **why)
{
	uint8_t ste[64];
	pt_iommufd_vste_to_ste(vste, ste);
	return smmu_ste_cd_cfg(ste, caps, cfg, why);
}

const struct pt_iommufd_ops pt_iommufd_vste_ops = {
	"vste", "iommu_hwpt_arm_smmuv3 (vSTE)", PT_IOMMUFD_VSTE_SIZE, SINCE,
	vste_layout, vste_verdict, vste_check, NULL, NULL, NULL,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What IOMMU_GET_HW_INFO returns for an SMMUv3 (struct
 * iommu_hw_info_arm_smmuv3): the raw IDR0-5, IIDR and AIDR the kernel read
 * from the SMMU (arm_smmu_hw_info), kernel output rather than input. The
 * words are described here; their fields are the SMMU register model's. */
#include <string.h>

#include "emit.h"
#include "field_init.h"
#include "iommufd_types.h"
#include "smmuv3.h"
#include "smmuv3_regs.h"

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

/* The registers of words idr[0..5], iidr, aidr, in the register model's
 * order (SMMU_IDR0 .. SMMU_AIDR follow HWI_IDR0 .. HWI_AIDR). */
static enum smmu_reg reg_of(unsigned hwi)
{
	return (enum smmu_reg)(SMMU_IDR0 + (hwi - HWI_IDR0));
}

static void reg_bytes(const uint8_t *body, unsigned hwi, uint8_t out[8])
{
	memset(out, 0, 8);
	pt_put_le64(out, 0, pt_iommufd_hw_info_word(body, hwi));
}

static void hw_info_detail_text(FILE *out, const struct pt_iommufd_rec *rec, int color)
{
	for (unsigned i = HWI_IDR0; i <= HWI_AIDR; i++) {
		uint8_t b[8];
		const struct smmu_reg_info *ri = smmu_reg_info(reg_of(i));
		reg_bytes(rec->body, i, b);
		fprintf(out, "    %s:\n", ri->name);
		pt_struct_print_text(out, ri->st, b, "      ", color);
	}
}

static json_t *hw_info_detail_json(const struct pt_iommufd_rec *rec)
{
	json_t *j = json_object();
	for (unsigned i = HWI_IDR0; i <= HWI_AIDR; i++) {
		uint8_t b[8];
		reg_bytes(rec->body, i, b);
		json_object_set_new(j, hw_info_fields[i].name,
				    pt_struct_fields_json(smmu_reg_info(reg_of(i))->st, b));
	}
	return j;
}

/* The fields the kdoc of iommu_hw_info_arm_smmuv3 tells userspace to read
 * (Linux 6.13+): everything else is raw hardware capability. */
static const char *const listed[][8] = {
	[HWI_IDR0] = { "st_level", "term_model", "stall_model", "ttendian", "cd2l", "asid16",
		       "ttf", NULL },
	[HWI_IDR1] = { "sidsize", "ssidsize", NULL },
	[HWI_IDR3] = { "bbml", "ril", NULL },
	[HWI_IDR5] = { "vax", "gran64k", "gran16k", "gran4k", NULL },
	[HWI_AIDR] = { NULL },
};

static int is_listed(unsigned hwi, const char *name)
{
	if (hwi >= sizeof listed / sizeof listed[0])
		return 0;
	for (size_t k = 0; listed[hwi][k]; k++)
		if (strcmp(listed[hwi][k], name) == 0)
			return 1;
	return 0;
}

/* "IDR0 S2P, S1P, COHACC; IDR3 HAD": set fields of IDR0-5 outside the list. */
static size_t unlisted_fields(const uint8_t *body, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = HWI_IDR0; i <= HWI_IDR5; i++) {
		uint8_t b[8];
		const struct smmu_reg_info *ri = smmu_reg_info(reg_of(i));
		const char *sep = used ? "; " : "";
		reg_bytes(body, i, b);
		for (size_t f = 0; f < ri->st->nfields && used + 1 < len; f++) {
			const struct pt_field *fd = &ri->st->fields[f];
			if (!pt_field_bits(b, fd) || is_listed(i, fd->name))
				continue;
			int w = sep ? snprintf(buf + used, len - used, "%s%s %s", sep, ri->name, fd->label)
				    : snprintf(buf + used, len - used, ", %s", fd->label);
			used += w > 0 && (size_t)w < len - used ? (size_t)w : len - used - 1;
			sep = NULL;
		}
	}
	return used;
}

static void hw_info_check(struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			  const struct pt_iommufd_verdict *v, struct pt_diag_sink *diags)
{
	(void)ctx;
	(void)v;
	char names[400];
	uint32_t flags = pt_iommufd_hw_info_word(rec->body, HWI_FLAGS);
	uint32_t res = pt_iommufd_hw_info_word(rec->body, HWI_RESERVED);
	uint32_t idr0 = pt_iommufd_hw_info_word(rec->body, HWI_IDR0);
	if (flags)
		pt_iommufd_report(diags, rec, R_IOFD_HWI_FLAGS, NULL, "flags = 0x%x", flags);
	if (res)
		pt_iommufd_report(diags, rec, R_IOFD_HWI_RESERVED, NULL, "__reserved = 0x%x", res);
	if (!smmu_reg_field(SMMU_IDR0, idr0, IDR0_S1P) || !smmu_reg_field(SMMU_IDR0, idr0, IDR0_S2P))
		pt_iommufd_report(diags, rec, R_IOFD_HWI_NESTING, NULL, "IDR0 = 0x%x: S1P = %u, S2P = %u",
				  idr0, (unsigned)smmu_reg_field(SMMU_IDR0, idr0, IDR0_S1P),
				  (unsigned)smmu_reg_field(SMMU_IDR0, idr0, IDR0_S2P));
	if (unlisted_fields(rec->body, names, sizeof names))
		pt_iommufd_report(diags, rec, R_IOFD_HWI_UNUSED, NULL, "%s", names);
}

void pt_iommufd_hw_info_regs(const uint8_t body[PT_IOMMUFD_HW_INFO_SIZE], struct smmu_regs *r)
{
	memset(r, 0, sizeof *r);
	for (unsigned i = HWI_IDR0; i <= HWI_AIDR; i++)
		smmu_regs_set(r, reg_of(i), pt_iommufd_hw_info_word(body, i));
}

const struct pt_iommufd_ops pt_iommufd_hw_info_ops = {
	"hw-info", "iommu_hw_info_arm_smmuv3", PT_IOMMUFD_HW_INFO_SIZE, SINCE,
	hw_info_layout, hw_info_verdict, hw_info_check, NULL, hw_info_detail_text,
	hw_info_detail_json,
};

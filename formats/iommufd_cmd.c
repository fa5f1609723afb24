/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An entry of IOMMU_HWPT_INVALIDATE (struct
 * iommu_viommu_arm_smmuv3_invalidate): one raw 16-byte CMDQ command the
 * guest wrote, decoded with the command family's table of its opcode. The
 * kernel's verdict follows arm_vsmmu_convert_user_cmd() (v6.13): eight
 * opcodes pass, the TLBI_NH_* VMID becomes the vSMMU's, TLBI_NSNH_ALL becomes
 * TLBI_NH_ALL, and the vSID of ATC_INV and CFGI_CD(_ALL) becomes the
 * device's physical StreamID, EIO when no vDEVICE has it. What the SMMU then
 * receives is checked by the CMDQ rules. */
#include <string.h>
#include <strings.h>

#include "iommufd_types.h"
#include "smmuv3.h"
#include "smmuv3_queue.h"
#include "smmuv3_queue_rules.h"

#define SINCE "6.13"

static unsigned opcode(const uint8_t *body)
{
	return pt_family_key(&smmu_cmd_family, body);
}

static const struct pt_struct *cmd_layout(const uint8_t *body)
{
	return pt_family_struct(&smmu_cmd_family, body);
}

static int is_tlbi_nh(unsigned op)
{
	return op >= SMMU_CMD_TLBI_NH_ALL && op <= SMMU_CMD_TLBI_NH_VAA;
}

/* The commands whose StreamID is a vSID the kernel translates. */
static int has_vsid(unsigned op)
{
	return op == SMMU_CMD_ATC_INV || op == SMMU_CMD_CFGI_CD || op == SMMU_CMD_CFGI_CD_ALL;
}

int pt_iommufd_cmd_forwarded(unsigned op)
{
	return is_tlbi_nh(op) || op == SMMU_CMD_TLBI_NSNH_ALL || has_vsid(op);
}

static uint64_t field(const uint8_t *body, const char *name)
{
	uint64_t v = 0;
	smmu_entry_field(cmd_layout(body), body, name, &v);
	return v;
}

static void cmd_verdict(const struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			struct pt_iommufd_verdict *v)
{
	unsigned op = opcode(rec->body);
	uint32_t psid;
	if (rec->tail_set)
		pt_iommufd_reject(v, R_IOFD_INVAL_ENTRY_LEN, "E2BIG", SINCE);
	if (!pt_iommufd_cmd_forwarded(op))
		pt_iommufd_reject(v, R_IOFD_INVAL_OPCODE, "EIO", SINCE);
	else if (has_vsid(op) && ctx->vdev_given &&
		 pt_iommufd_vsid_lookup(ctx, (uint32_t)field(rec->body, "sid"), &psid) != 0)
		pt_iommufd_reject(v, R_IOFD_INVAL_VSID, "EIO", SINCE);
}

void pt_iommufd_cmd_issued(const struct pt_iommufd_ctx *ctx, const uint8_t *cmd,
			   uint8_t out[PT_IOMMUFD_CMD_SIZE])
{
	unsigned op = opcode(cmd);
	const struct pt_struct *st = cmd_layout(cmd);
	memcpy(out, cmd, PT_IOMMUFD_CMD_SIZE);
	if (op == SMMU_CMD_TLBI_NSNH_ALL) {
		memset(out, 0, PT_IOMMUFD_CMD_SIZE);
		out[0] = SMMU_CMD_TLBI_NH_ALL;
	} else if (is_tlbi_nh(op)) {
		pt_field_set(out, pt_struct_field(st, "vmid"), 0);
	} else if (has_vsid(op)) {
		uint32_t psid;
		if (pt_iommufd_vsid_lookup(ctx, (uint32_t)field(cmd, "sid"), &psid) == 0)
			pt_field_set(out, pt_struct_field(st, "sid"), psid);
	}
}

static void report_rewrite(const struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			   struct pt_diag_sink *diags)
{
	unsigned op = opcode(rec->body);
	const char *name = rec->st->label;
	uint32_t vsid = (uint32_t)field(rec->body, "sid"), psid;
	if (op == SMMU_CMD_TLBI_NSNH_ALL)
		pt_iommufd_report(diags, rec, R_IOFD_INVAL_REWRITE, NULL,
				  "%s is issued as CMD_TLBI_NH_ALL with the vSMMU's VMID (word 1 "
				  "cleared)", name);
	else if (is_tlbi_nh(op) && field(rec->body, "vmid"))
		pt_iommufd_report(diags, rec, R_IOFD_INVAL_REWRITE, "vmid",
				  "%s: VMID 0x%llx replaced by the vSMMU's", name,
				  (unsigned long long)field(rec->body, "vmid"));
	else if (has_vsid(op) && !ctx->vdev_given)
		pt_iommufd_report(diags, rec, R_IOFD_INVAL_VSID_UNCHECKED, "sid",
				  "%s: vSID 0x%x (no --vdevice given)", name, vsid);
	else if (has_vsid(op) && pt_iommufd_vsid_lookup(ctx, vsid, &psid) == 0 && psid != vsid)
		pt_iommufd_report(diags, rec, R_IOFD_INVAL_REWRITE, "sid",
				  "%s: vSID 0x%x issued as StreamID 0x%x", name, vsid, psid);
}

/* The CMDQ rules on the command as the kernel issues it; the SMMU stops the
 * whole (shared) command queue with CERROR_ILL on what they find. */
static void report_smmu(const struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			struct pt_diag_sink *diags)
{
	uint8_t cmd[PT_IOMMUFD_CMD_SIZE];
	struct pt_diag_sink tmp;
	struct smmu_caps dflt;
	struct smmu_queue_ctx q = { ctx->caps, 0, 0, 0, "cmd" };
	if (!q.caps) {
		smmu_caps_default(&dflt);
		q.caps = &dflt;
	}
	pt_iommufd_cmd_issued(ctx, rec->body, cmd);
	pt_iommufd_collect(&tmp, diags);
	smmu_cmd_check(&tmp, &q, (uint32_t)rec->index, rec->offset, cmd);
	pt_iommufd_forward(diags, rec, R_IOFD_INVAL_SMMU, &tmp);
}

static void cmd_check(struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
		      const struct pt_iommufd_verdict *v, struct pt_diag_sink *diags)
{
	unsigned op = opcode(rec->body);
	if (rec->tail_set) {
		pt_iommufd_report(diags, rec, R_IOFD_INVAL_ENTRY_LEN, NULL,
				  "entry of %u bytes with non-zero bytes past 16", rec->size);
		ctx->copy_failed = 1;
		return;
	}
	if (v->rule == &pt_iommufd_rule_list[R_IOFD_INVAL_OPCODE])
		pt_iommufd_report(diags, rec, R_IOFD_INVAL_OPCODE, "opcode", "opcode 0x%02x (%s)",
				  op, rec->st->label);
	else if (v->rule)
		pt_iommufd_report(diags, rec, R_IOFD_INVAL_VSID, "sid",
				  "%s: vSID 0x%llx", rec->st->label,
				  (unsigned long long)field(rec->body, "sid"));
	if (!v->accepted || ctx->rejected)
		return;  /* the kernel never issues it */
	report_rewrite(ctx, rec, diags);
	report_smmu(ctx, rec, diags);
}

/* The opcode a command name stands for, with or without "CMD_". */
static int opcode_of_name(const char *name, unsigned *op)
{
	size_t skip = strncasecmp(name, "CMD_", 4) == 0 ? 4 : 0;
	for (size_t i = 0; i < smmu_cmd_family.nmembers; i++) {
		const struct pt_family_member *m = &smmu_cmd_family.members[i];
		if (m->lo == m->hi && strcasecmp(m->st->label + 4, name + skip) == 0) {
			*op = m->lo;
			return 0;
		}
	}
	return -1;
}

/* Short form: "op" names the opcode. */
static int cmd_build_key(const char *key, const json_t *val, uint8_t *body, char *err,
			 size_t errlen)
{
	unsigned op;
	if (strcmp(key, "op") != 0)
		return 0;
	if (!json_is_string(val) || opcode_of_name(json_string_value(val), &op) != 0) {
		snprintf(err, errlen, "\"op\": expected a command name such as \"CMD_TLBI_NH_VA\"");
		return -1;
	}
	body[0] = (uint8_t)op;
	return 1;
}

const struct pt_iommufd_ops pt_iommufd_cmd_ops = {
	"invalidate", "iommu_viommu_arm_smmuv3_invalidate", PT_IOMMUFD_CMD_SIZE, SINCE,
	cmd_layout, cmd_verdict, cmd_check, cmd_build_key, NULL, NULL,
};

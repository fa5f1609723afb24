/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What IOMMU_HWPT_INVALIDATE does with a whole array, as read in
 * arm_vsmmu_cache_invalidate() (v6.13): each command is converted in turn;
 * every 63 converted commands (CMDQ_BATCH_ENTRIES - 1) and at the end of the
 * array the batch goes to the command queue with a CMD_SYNC. At the first
 * command the kernel rejects it stops: the converted commands of the batch
 * being gathered are never issued, later ones never read, and entry_num
 * says how far it got. */
#include <string.h>

#include "iommufd.h"

void pt_iommufd_batch(const struct pt_iommufd_ctx *ctx, uint64_t ncmds,
		      struct pt_iommufd_batch *b)
{
	memset(b, 0, sizeof *b);
	b->entry_num = b->issued = ncmds;
	if (ctx->copy_failed) {
		/* the whole array is copied before the first conversion */
		b->rejected = 1;
		b->err = "E2BIG";
		b->entry_num = b->issued = 0;
		b->not_reached = ncmds;
		return;
	}
	if (!ctx->rejected)
		return;
	b->err = "EIO";
	uint64_t k = ctx->first_rejected;
	b->rejected = 1;
	b->entry_num = k;
	b->issued = k / PT_IOMMUFD_CMD_BATCH * PT_IOMMUFD_CMD_BATCH;
	b->dropped = k - b->issued;
	b->not_reached = ncmds > k ? ncmds - k - 1 : 0;
}

void pt_iommufd_batch_report(const struct pt_iommufd_ctx *ctx, uint64_t ncmds,
			     struct pt_diag_sink *diags)
{
	struct pt_iommufd_batch b;
	pt_iommufd_batch(ctx, ncmds, &b);
	if (!b.rejected)
		return;
	if (b.err && strcmp(b.err, "E2BIG") == 0) {
		pt_diag_finding(diags, &pt_iommufd_rule_list[R_IOFD_INVAL_BATCH], 0, PT_SCOPE_NONE, 0,
				NULL, "E2BIG while copying: entry_num = 0, none of %llu issued",
				(unsigned long long)ncmds);
		return;
	}
	pt_diag_finding(diags, &pt_iommufd_rule_list[R_IOFD_INVAL_BATCH],
			b.entry_num * PT_IOMMUFD_CMD_SIZE, PT_SCOPE_NONE, 0, NULL,
			"invalidate[%llu] rejected: entry_num = %llu, %llu issued, %llu dropped, "
			"%llu not read", (unsigned long long)b.entry_num,
			(unsigned long long)b.entry_num, (unsigned long long)b.issued,
			(unsigned long long)b.dropped, (unsigned long long)b.not_reached);
}

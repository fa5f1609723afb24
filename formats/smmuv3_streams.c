/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every STE of a stream-table walk → the set of distinct CD tables. */
#include "smmuv3_resolve.h"

#include <string.h>

void smmu_streams_init(struct smmu_streams *s, struct smmu_caps *caps)
{
	memset(s, 0, sizeof *s);
	s->caps = caps;
	pt_tset_init(&s->cds, "sid");
}

void smmu_streams_free(struct smmu_streams *s)
{
	pt_tset_free(&s->cds);
}

void smmu_streams_reserve(struct smmu_streams *s, uint64_t addr, uint64_t bytes)
{
	pt_tset_reserve(&s->cds, addr, bytes, "the stream table");
}

void smmu_streams_add_ste(struct smmu_streams *s, uint32_t sid, const uint8_t *ste,
			  struct smmu_ste_outcome *out)
{
	struct pt_table_cfg cd;
	struct pt_tset_table *t;
	memset(out, 0, sizeof *out);
	if (smmu_ste_cd_cfg(ste, s->caps, &cd, &out->why) != 0)
		return;
	cd.has_sid = 1;
	cd.sid = sid;
	enum pt_tset_added added = pt_tset_add(&s->cds, &cd, sid, &t);
	out->table = t;
	out->shared = added == PT_TSET_SHARED;
	if (added == PT_TSET_FULL)
		out->why = "more than 65536 distinct CD tables";
}

void smmu_streams_settle(struct smmu_streams *s)
{
	pt_tset_settle(&s->cds);
}

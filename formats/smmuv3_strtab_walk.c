/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The walk decode, validate, the library and the strtab fuzz harness share:
 * the stream table, then each distinct CD table its STEs reach. Callers keep
 * their own walks (printing, counting, progress); this holds the order and
 * the bookkeeping that decides which CD tables are walked. */
#include "smmuv3_resolve.h"

static int walks_strtab(const struct pt_table_cfg *cfg)
{
	return cfg->fmt == &smmu_strtab_format;
}

void smmu_streams_on_dir(struct smmu_streams *s, const struct pt_walk *w,
			 const struct pt_dir_view *dv)
{
	if (!walks_strtab(w->cfg) || !dv->valid)
		return;
	/* A leaf of the stream table is stream-table memory: CD tables laid
	 * over it are reported, not walked. */
	uint64_t count = UINT64_C(1) << w->geo.leaf_bits;
	if (dv->count && dv->count < count)
		count = dv->count;
	smmu_streams_reserve(s, dv->next, count * w->cfg->fmt->entry->size);
}

void smmu_streams_on_entry(struct smmu_streams *s, const struct pt_walk *w, uint32_t sid,
			   const uint8_t *raw, struct smmu_ste_outcome *out)
{
	if (walks_strtab(w->cfg))
		smmu_streams_add_ste(s, sid, raw, out);
	else
		*out = (struct smmu_ste_outcome){ NULL, 0, NULL };
}

int smmu_strtab_walk(const struct smmu_strtab_walk *sw, const struct pt_table_cfg *root)
{
	if (!walks_strtab(root))
		return sw->root(sw->user, root);
	struct pt_geometry g;
	if (pt_geometry(root, &g) == 0)
		smmu_streams_reserve(sw->streams, root->base, g.root_bytes);
	int rc = sw->root(sw->user, root) != 0 ? -1 : 0;
	smmu_streams_settle(sw->streams);
	if (pt_tset_walk_all(&sw->streams->cds, sw->diags, sw->contexts, sw->cd_table,
			     sw->user) != 0)
		rc = -1;
	return rc;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The short forms of a stream-table description that `build` accepts: the
 * layout and widths given as the STRTAB_BASE_CFG register value decode
 * prints, and STEs that hold their CD table inline. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "build.h"
#include "emit.h"
#include "smmuv3.h"

/* "strtab_base_cfg" gives the layout, SID bits and leaf bits not written. */
static int strtab_from_register(json_t *t, char *err, size_t errlen)
{
	const json_t *jcfg = json_object_get(t, "strtab_base_cfg");
	uint64_t reg;
	if (!jcfg)
		return 0;
	if (pt_json_u64(jcfg, &reg) != 0) {
		snprintf(err, errlen, "\"strtab_base_cfg\" is not a number");
		return -1;
	}
	struct smmu_strtab st;
	struct pt_table_cfg cfg;
	const char *why;
	smmu_strtab_decode(0, reg, PT_MAX_INDEX_BITS, &st);
	if (smmu_strtab_table_cfg(&st, &cfg, &why) != 0) {
		snprintf(err, errlen, "\"strtab_base_cfg\": %s", why);
		return -1;
	}
	if (!json_object_get(t, "layout"))
		json_object_set_new(t, "layout", json_string(cfg.layout->name));
	if (!json_object_get(t, "sid_bits"))
		json_object_set_new(t, "sid_bits", json_integer(cfg.ssid_bits));
	if (cfg.leaf_bits && !json_object_get(t, "leaf_bits"))
		json_object_set_new(t, "leaf_bits", json_integer(cfg.leaf_bits));
	return 0;
}

static void set_default(json_t *fields, const char *key, json_t *v)
{
	if (json_object_get(fields, key))
		json_decref(v);
	else
		json_object_set_new(fields, key, v);
}

/* An STE holding its CD table ("cd_table"): S1ContextPtr, S1Fmt and
 * S1CDMax come from the table unless given, and the table is queued to be
 * built after the stream table, owned by the STE's StreamID. */
static int inline_cd_table(json_t *ste, json_t *later, char *err, size_t errlen)
{
	json_t *cd = json_object_get(ste, "cd_table");
	if (!cd)
		return 0;
	struct pt_table_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	if (!json_is_object(cd)) {
		snprintf(err, errlen, "\"cd_table\" must be a table object");
		return -1;
	}
	if (pt_build_table_cfg(cd, &cfg, err, errlen) != 0)
		return -1;
	if (cfg.fmt != &smmu_cd_format) {
		snprintf(err, errlen, "\"cd_table\" must be an smmuv3-cd table");
		return -1;
	}
	json_t *fields = json_object_get(ste, "fields");
	if (!fields) {
		fields = json_object();
		json_object_set_new(ste, "fields", fields);
	}
	set_default(fields, "s1contextptr", pt_json_hex(cfg.base));
	set_default(fields, "s1fmt", json_integer(cfg.layout - cfg.fmt->layouts));
	set_default(fields, "s1cdmax", json_integer(cfg.ssid_bits));
	json_t *item = json_object();
	json_object_set(item, "table", cd);
	json_t *sid = json_object_get(ste, "sid");
	if (sid)
		json_object_set(item, "owner", sid);
	json_array_append_new(later, item);
	return 0;
}

int smmu_strtab_spec_expand_ste(json_t *ste, json_t *later, char *err, size_t errlen)
{
	return inline_cd_table(ste, later, err, errlen);
}

int smmu_strtab_spec_expand(json_t *t, json_t *later, char *err, size_t errlen)
{
	if (strtab_from_register(t, err, errlen) != 0)
		return -1;
	json_t *stes = json_object_get(t, pt_format_entries_key(&smmu_strtab_format));
	size_t i;
	json_t *ste;
	json_array_foreach(stes, i, ste) {
		char why[160];
		if (json_is_object(ste) && inline_cd_table(ste, later, why, sizeof why) != 0) {
			snprintf(err, errlen, "stes[%zu]: %s", i, why);
			return -1;
		}
	}
	return 0;
}

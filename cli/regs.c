/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "regs.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "inspect.h"

int pt_cli_regs_load(const char *path, struct smmu_regs *r)
{
	struct pt_diag_sink d;
	memset(r, 0, sizeof *r);
	pt_diag_init(&d, path, stderr);
	d.color = pt_cli_color_for("auto", stderr) == 1;
	int errors = smmu_regs_load(r, path, &d);
	if (d.fold)
		pt_diag_flush_text(&d, stderr);
	pt_diag_free(&d);
	return errors ? PT_EXIT_USAGE : 0;
}

#define CAPS_MAX 4096

/* Append the words of list that are (want_pairs = 0) or are not names;
 * -1 when out is full. */
static int append_words(char *out, size_t *n, const char *list, int want_pairs)
{
	const char *p = list;
	while (*p) {
		size_t len = strcspn(p, ",");
		int pair = memchr(p, '=', len) != NULL;
		if (len && pair == want_pairs) {
			if (*n + len + 2 > CAPS_MAX)
				return -1;
			if (*n)
				out[(*n)++] = ',';
			memcpy(out + *n, p, len);
			*n += len;
			out[*n] = '\0';
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

const char *pt_cli_regs_caps(const struct smmu_regs *r, const char *user_caps)
{
	static char out[CAPS_MAX];
	char regs[512];
	size_t n = 0;
	out[0] = '\0';
	if (user_caps && append_words(out, &n, user_caps, 0) != 0)
		return NULL;
	if (smmu_regs_caps_spec(r, regs, sizeof regs) && append_words(out, &n, regs, 1) != 0)
		return NULL;
	if (user_caps && append_words(out, &n, user_caps, 1) != 0)
		return NULL;
	return n ? out : user_caps;
}

int pt_cli_regs_apply(struct pt_inspect_opts *o, struct smmu_regs *rp)
{
	struct smmu_regs r;
	memset(rp, 0, sizeof *rp);
	if (!o->regs)
		return 0;
	int rc = pt_cli_regs_load(o->regs, &r);
	*rp = r;
	if (rc != 0)
		return rc;
	int base = smmu_regs_have(&r, SMMU_STRTAB_BASE), cfg = smmu_regs_have(&r, SMMU_STRTAB_BASE_CFG);
	if (!o->has_cd_table && !o->has_ste && !o->has_strtab && (base || cfg)) {
		if (!base || !cfg)
			return pt_cli_usage_error("%s: STRTAB_BASE and STRTAB_BASE_CFG go together",
						  o->regs);
		o->strtab = r.value[SMMU_STRTAB_BASE];
		o->strtab_cfg = r.value[SMMU_STRTAB_BASE_CFG];
		o->has_strtab = o->has_strtab_cfg = 1;
	}
	const char *caps = pt_cli_regs_caps(&r, o->caps);
	if (!caps && o->caps)
		return pt_cli_usage_error("--caps: too long");
	o->caps = caps;
	return 0;
}

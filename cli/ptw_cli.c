/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ptw_cli.h"

#include <errno.h>
#include <string.h>

#include "cli.h"
#include "emit.h"
#include "source_json.h"

enum {
	OPT_BASE = 0x200, OPT_VADDR, OPT_CD_TABLE, OPT_LAYOUT, OPT_SSID_BITS, OPT_STRTAB,
	OPT_STRTAB_CFG, OPT_STE, OPT_SID, OPT_SSID, OPT_CAPS, OPT_ACCESS,
	OPT_PRIV, OPT_UNPRIV, OPT_ALL_SIDS, OPT_MAX_ENTRIES,
};

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Input:", 1 },
	{ "base", OPT_BASE, "ADDR", 0, "address of the first byte of a raw image (default 0)", 1 },
	{ "vaddr", OPT_VADDR, NULL, 0, "ELF cores: place segments at p_vaddr, not p_paddr", 1 },
	{ NULL, 0, NULL, 0, "Root (one of):", 2 },
	{ "strtab", OPT_STRTAB, "ADDR", 0, "stream table: SMMU_STRTAB_BASE; needs --strtab-cfg", 2 },
	{ "strtab-cfg", OPT_STRTAB_CFG, "VALUE", 0, "SMMU_STRTAB_BASE_CFG", 2 },
	{ "ste", OPT_STE, "ADDR", 0, "the STE at ADDR", 2 },
	{ "cd-table", OPT_CD_TABLE, "ADDR", 0, "a bare CD table (no STE: stage 1 only)", 2 },
	{ "layout", OPT_LAYOUT, "LAYOUT", 0, "--cd-table: linear (default), 2lvl-4k or 2lvl-64k", 2 },
	{ "ssid-bits", OPT_SSID_BITS, "N", 0, "--cd-table: SubstreamID bits (default 0)", 2 },
	{ NULL, 0, NULL, 0, "Stream:", 3 },
	{ "sid", OPT_SID, "N", 0, "StreamID (needed with --strtab)", 3 },
	{ "ssid", OPT_SSID, "N", 0, "SubstreamID (PASID); without it the transaction has none", 3 },
	{ "caps", OPT_CAPS, "SPEC", 0,
	  "the SMMU assumed: profile (generic, qemu, linux-host) and KEY=VALUE pairs", 3 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static const struct argp_option translate_options[] = {
	{ NULL, 0, NULL, 0, "Access:", 5 },
	{ "access", OPT_ACCESS, "r|w|x", 0,
	  "check this access (default: report permissions, fault only on translation)", 5 },
	{ "priv", OPT_PRIV, NULL, 0, "the access is privileged", 5 },
	{ "unpriv", OPT_UNPRIV, NULL, 0, "the access is unprivileged (default)", 5 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static const struct argp_option maps_options[] = {
	{ NULL, 0, NULL, 0, "Walk:", 5 },
	{ "all-sids", OPT_ALL_SIDS, NULL, 0, "every StreamID of --strtab (each address space once)", 5 },
	{ "max-entries", OPT_MAX_ENTRIES, "N", 0,
	  "read at most N descriptors per address space (default 2^23)", 5 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static void num(struct argp_state *st, const char *opt, const char *arg, uint64_t max,
		uint64_t *out)
{
	if (pt_parse_u64(arg, out) != 0 || *out > max)
		pt_cli_opt_error(st, "%s: '%s' is not a number%s", opt, arg,
			   max != UINT64_MAX ? " in range" : "");
}

static error_t parse_root(int key, char *arg, struct argp_state *st)
{
	struct ptw_opts *o = st->input;
	uint64_t v;
	switch (key) {
	case OPT_BASE: num(st, "--base", arg, UINT64_MAX, &o->base); return 0;
	case OPT_VADDR: o->use_vaddr = 1; return 0;
	case OPT_CD_TABLE: num(st, "--cd-table", arg, UINT64_MAX, &o->cd_table); o->has_cd_table = 1; return 0;
	case OPT_LAYOUT: o->layout = arg; o->has_layout = 1; return 0;
	case OPT_SSID_BITS:
		num(st, "--ssid-bits", arg, PT_MAX_SSID_BITS, &v);
		o->ssid_bits = (unsigned)v;
		o->has_ssid_bits = 1;
		return 0;
	case OPT_STRTAB: num(st, "--strtab", arg, UINT64_MAX, &o->strtab); o->has_strtab = 1; return 0;
	case OPT_STRTAB_CFG:
		num(st, "--strtab-cfg", arg, UINT64_MAX, &o->strtab_cfg);
		o->has_strtab_cfg = 1;
		return 0;
	case OPT_STE: num(st, "--ste", arg, UINT64_MAX, &o->ste); o->has_ste = 1; return 0;
	case OPT_SID: num(st, "--sid", arg, UINT32_MAX, &v); o->sid = (uint32_t)v; o->has_sid = 1; return 0;
	case OPT_SSID:
		num(st, "--ssid", arg, (1u << PT_MAX_SSID_BITS) - 1, &v);
		o->ssid = (uint32_t)v;
		o->has_ssid = 1;
		return 0;
	case OPT_CAPS: o->caps = arg; return 0;
	default: return ARGP_ERR_UNKNOWN;
	}
}

static error_t parse_more(int key, char *arg, struct argp_state *st)
{
	struct ptw_opts *o = st->input;
	switch (key) {
	case OPT_ACCESS:
		if (strcmp(arg, "r") && strcmp(arg, "w") && strcmp(arg, "x"))
			pt_cli_opt_error(st, "--access %s: expected r, w or x", arg);
		o->has_access = 1;
		o->access.write = arg[0] == 'w';
		o->access.exec = arg[0] == 'x';
		return 0;
	case OPT_PRIV: o->access.priv = 1; return 0;
	case OPT_UNPRIV: o->access.priv = 0; return 0;
	case OPT_ALL_SIDS: o->all_sids = 1; return 0;
	case OPT_MAX_ENTRIES: num(st, "--max-entries", arg, UINT64_MAX, &o->max_entries); return 0;
	case ARGP_KEY_ARG:
		if (!o->input) {
			o->input = arg;
			return 0;
		}
		if (o->maps)
			pt_cli_opt_error(st, "unexpected argument '%s'", arg);
		if (o->niovas >= PTW_MAX_IOVAS)
			pt_cli_opt_error(st, "at most %d addresses", PTW_MAX_IOVAS);
		num(st, "IOVA", arg, UINT64_MAX, &o->iovas[o->niovas++]);
		return 0;
	case ARGP_KEY_END:
		if (!o->input)
			pt_cli_opt_error(st, "no input: give an image or dump file");
		if (!o->maps && o->niovas == 0)
			pt_cli_opt_error(st, "no address: give one or more IOVAs after the input");
		return 0;
	default: return ARGP_ERR_UNKNOWN;
	}
}

const struct argp ptw_root_argp = { options, parse_root, NULL, NULL, NULL, NULL, NULL };
static const struct argp translate_argp = { translate_options, parse_more, NULL, NULL, NULL, NULL,
					    NULL };
static const struct argp maps_argp = { maps_options, parse_more, NULL, NULL, NULL, NULL, NULL };

const struct argp_child ptw_children[] = {
	{ &ptw_root_argp, 0, NULL, 0 },
	{ &translate_argp, 0, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};

const struct argp_child ptw_maps_children[] = {
	{ &ptw_root_argp, 0, NULL, 0 },
	{ &maps_argp, 0, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};

void ptw_take_common(struct ptw_opts *o)
{
	o->json = pt_cli.json;
	o->quiet = pt_cli.quiet;
}

error_t ptw_parent_parse(int key, char *arg, struct argp_state *st)
{
	(void)arg;
	if (key == ARGP_KEY_INIT) {
		st->child_inputs[0] = st->input;
		st->child_inputs[1] = st->input;
	}
	return ARGP_ERR_UNKNOWN;
}

static int make_root(struct ptw_run *run)
{
	struct ptw_opts *o = run->o;
	struct smmu_root *r = &run->root;
	memset(r, 0, sizeof *r);
	if (o->has_cd_table + o->has_ste + o->has_strtab != 1)
		return pt_cli_usage_error("give one root: --strtab ADDR --strtab-cfg VALUE, --ste "
					  "ADDR or --cd-table ADDR");
	if (o->has_strtab != o->has_strtab_cfg)
		return pt_cli_usage_error("--strtab ADDR and --strtab-cfg VALUE go together");
	if ((o->has_layout || o->has_ssid_bits) && !o->has_cd_table)
		return pt_cli_usage_error("--layout and --ssid-bits describe --cd-table");
	if (o->has_strtab && !o->has_sid && !o->all_sids)
		return pt_cli_usage_error("--strtab needs --sid N%s", o->maps ? " (or --all-sids)" : "");
	if (o->all_sids && !o->has_strtab)
		return pt_cli_usage_error("--all-sids walks the StreamIDs of --strtab");
	if (o->has_strtab) {
		r->kind = SMMU_ROOT_STRTAB;
		smmu_strtab_decode(o->strtab, o->strtab_cfg, run->caps->sid_bits, &r->strtab);
		return 0;
	}
	if (o->has_ste) {
		r->kind = SMMU_ROOT_STE;
		r->ste = o->ste;
		return 0;
	}
	r->kind = SMMU_ROOT_CD_TABLE;
	r->cd_cfg.fmt = &smmu_cd_format;
	r->cd_cfg.layout = pt_format_layout(&smmu_cd_format, o->has_layout ? o->layout : "linear");
	if (!r->cd_cfg.layout)
		return pt_cli_usage_error("--layout %s: expected linear, 2lvl-4k or 2lvl-64k", o->layout);
	r->cd_cfg.base = o->cd_table;
	r->cd_cfg.ssid_bits = o->has_ssid_bits ? o->ssid_bits : 0;
	if (o->has_ssid && (uint64_t)o->ssid >> r->cd_cfg.ssid_bits)
		return pt_cli_usage_error("--ssid %u is outside a table of %u SSID bits", o->ssid,
					  r->cd_cfg.ssid_bits);
	return 0;
}

int ptw_open(struct ptw_run *run, struct ptw_opts *o)
{
	char err[256];
	memset(run, 0, sizeof *run);
	run->o = o;
	run->out = stdout;
	pt_diag_init(&run->diags, o->input, NULL);
	run->diags.color = !o->json && pt_cli_color_for(pt_cli.color_when, stderr) == 1;
	run->caps = smmu_caps_parse(o->caps ? o->caps : "generic", err, sizeof err);
	if (!run->caps)
		return pt_cli_usage_error("%s", err);
	struct pt_open_opts oo = { o->base, o->use_vaddr, 0 };
	const char *inputs[1] = { o->input };
	if (pt_source_open(&run->src, inputs, 1, &oo, &run->diags) != 0) {
		pt_diag_flush_text(&run->diags, stderr);
		return PT_EXIT_USAGE;
	}
	return make_root(run);
}

void ptw_close(struct ptw_run *run)
{
	if (run->caps)
		smmu_caps_free(run->caps);
	pt_source_free(&run->src);
	pt_diag_free(&run->diags);
}

static void dump(struct ptw_run *run, json_t *j)
{
	json_dumpf(j, run->out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	json_decref(j);
}

void ptw_json_begin(struct ptw_run *run, const char *schema, const char *key)
{
	const char *input = run->o->input;
	json_t *src = pt_cli_source_json(&input, 1, &run->src);
	fputs("{\"schema\":", run->out);
	dump(run, json_string(schema));
	fputs(",\"source\":", run->out);
	dump(run, src);
	fprintf(run->out, ",\"%s\":[", key);
	run->first_item = 1;
}

void ptw_json_item(struct ptw_run *run, json_t *item)
{
	if (!run->first_item)
		fputc(',', run->out);
	run->first_item = 0;
	dump(run, item);
}

void ptw_json_end(struct ptw_run *run, json_t *summary)
{
	fputs("],\"diagnostics\":[", run->out);
	for (uint32_t i = 0; i < run->diags.nitems; i++) {
		if (i)
			fputc(',', run->out);
		dump(run, pt_diag_json(&run->diags.items[i]));
	}
	fputs("],\"summary\":", run->out);
	json_t *s = pt_diag_summary(&run->diags);
	json_object_update(s, summary);
	json_decref(summary);
	dump(run, s);
	fputs("}\n", run->out);
}

int ptw_finish_output(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "pasidtool: error: writing the output failed: %s\n", strerror(errno));
		return PT_EXIT_USAGE;
	}
	return rc;
}

void ptw_json_ids(json_t *j, const struct smmu_stream *s)
{
	json_object_set_new(j, "sid", json_integer(s->sid));
	json_object_set_new(j, "ssid", s->has_ssid ? json_integer(s->ssid) : json_null());
}

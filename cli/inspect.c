#include "inspect.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "elf_write.h"
#include "formats.h"
#include "pageset.h"
#include "smmuv3.h"

enum {
	OPT_BASE = 0x100, OPT_CD_TABLE, OPT_LAYOUT, OPT_SSID_BITS, OPT_SSID, OPT_ALL, OPT_JSON,
	OPT_CAPS, OPT_RULE, OPT_ALL_FINDINGS, OPT_STRICT, OPT_COLOR, OPT_VADDR, OPT_SAVE_PAGES,
	OPT_QUIET,
};

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Input:", 1 },
	{ "base", OPT_BASE, "ADDR", 0, "address of the first byte of a raw image (default 0)", 1 },
	{ "vaddr", OPT_VADDR, NULL, 0, "ELF cores: place segments at p_vaddr, not p_paddr", 1 },
	{ NULL, 0, NULL, 0, "Table root:", 2 },
	{ "cd-table", OPT_CD_TABLE, "ADDR", 0,
	  "CD table (or L1 table) address (default: the image's base)", 2 },
	{ "layout", OPT_LAYOUT, "LAYOUT", 0, "linear (default), 2lvl-4k or 2lvl-64k", 2 },
	{ "ssid-bits", OPT_SSID_BITS, "N", 0,
	  "SubstreamID bits of the table, 0..20 (STE.S1CDMax); linear default: what fits", 2 },
	{ NULL, 0, NULL, 0, "Selection and output:", 3 },
	{ "ssid", OPT_SSID, "N", 0, "only this SubstreamID (its CD must be valid)", 3 },
	{ "all", OPT_ALL, NULL, 0, "include invalid entries and L1 descriptors", 3 },
	{ "json", OPT_JSON, NULL, 0, "JSON output (schema pasidtool.<command>/1)", 3 },
	{ "quiet", OPT_QUIET, NULL, 0, "print nothing but findings; no summary line", 3 },
	{ "color", OPT_COLOR, "WHEN", 0, "auto (default), always or never; NO_COLOR is honoured", 3 },
	{ "save-pages", OPT_SAVE_PAGES, "OUT.elf", 0,
	  "write the pages this run read as a small ELF core (for bug reports)", 3 },
	{ NULL, 0, NULL, 0, "Validation:", 4 },
	{ "caps", OPT_CAPS, "SPEC", 0,
	  "the SMMU assumed: profile (generic, qemu, linux-host) and KEY=VALUE pairs", 4 },
	{ "rule", OPT_RULE, "ID=LEVEL", 0,
	  "set a rule (or prefix 'CD-*') to off, note, warning or error; repeatable", 4 },
	{ "all-findings", OPT_ALL_FINDINGS, NULL, 0, "do not fold repeated findings", 4 },
	{ "strict", OPT_STRICT, NULL, 0, "decode: also run the rules; exit 1 on errors", 4 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static int num(struct argp_state *st, const char *opt, const char *arg, uint64_t max,
	       uint64_t *out)
{
	if (pt_parse_u64(arg, out) != 0 || *out > max)
		argp_error(st, "%s: '%s' is not a number%s", opt, arg,
			   max != UINT64_MAX ? " in range" : "");
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct pt_inspect_opts *o = st->input;
	uint64_t v;
	switch (key) {
	case OPT_BASE: num(st, "--base", arg, UINT64_MAX, &o->base); break;
	case OPT_VADDR: o->use_vaddr = 1; break;
	case OPT_CD_TABLE:
		num(st, "--cd-table", arg, UINT64_MAX, &o->cd_table);
		o->has_cd_table = 1;
		break;
	case OPT_LAYOUT: o->layout = arg; break;
	case OPT_SSID_BITS:
		num(st, "--ssid-bits", arg, PT_MAX_SSID_BITS, &v);
		o->ssid_bits = (unsigned)v;
		o->has_ssid_bits = 1;
		break;
	case OPT_SSID:
		num(st, "--ssid", arg, (1u << PT_MAX_SSID_BITS) - 1, &v);
		o->ssid = (uint32_t)v;
		o->has_ssid = 1;
		break;
	case OPT_ALL: o->all = 1; break;
	case OPT_JSON: o->json = 1; break;
	case OPT_QUIET: o->quiet = 1; break;
	case OPT_COLOR: o->color = arg; break;
	case OPT_SAVE_PAGES: o->save_pages = arg; break;
	case OPT_CAPS: o->caps = arg; break;
	case OPT_RULE:
		if (pt_rules_override(arg) != 0)
			argp_error(st, "--rule %s: expected RULE-ID=off|note|warning|error with a "
				   "known rule id or prefix (see 'pasidtool rules')", arg);
		break;
	case OPT_ALL_FINDINGS: o->all_findings = 1; break;
	case OPT_STRICT: o->strict = 1; break;
	case ARGP_KEY_ARG:
		if (o->ninputs >= PT_MAX_INPUTS)
			argp_error(st, "at most %d inputs", PT_MAX_INPUTS);
		o->inputs[o->ninputs++] = arg;
		break;
	case ARGP_KEY_END:
		if (o->ninputs == 0)
			argp_error(st, "no input: give an image or dump file ('-' for stdin)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp pt_inspect_argp = { options, parse_opt, NULL, NULL, NULL, NULL, NULL };

void pt_inspect_defaults(struct pt_inspect_opts *o)
{
	memset(o, 0, sizeof *o);
	o->layout = "linear";
}

/* ---- the run ---- */

struct inspect {
	struct pt_inspect_opts *o;
	struct pt_source src;
	struct pt_diag_sink diags;
	struct pt_emit emit;
	struct pt_table_cfg cfg;
	void *caps;
	FILE *out;
	struct pt_walk walk;
	struct pt_cli_progress progress;
	int array_open;
	int emit_started;
};

static json_t *source_json(const struct inspect *in)
{
	json_t *s = json_object();
	json_t *inputs = json_array();
	for (size_t i = 0; i < in->o->ninputs; i++)
		json_array_append_new(inputs, json_string(in->o->inputs[i]));
	json_object_set_new(s, "inputs", inputs);
	json_object_set_new(s, "kind", json_string(in->src.kind == PT_SRC_ELF ? "elf" : "raw"));
	uint64_t lo, hi;
	uint64_t total = pt_source_span(&in->src, &lo, &hi);
	json_object_set_new(s, "base", pt_json_hex(lo));
	json_object_set_new(s, "size", pt_json_hex(hi - lo + 1));
	json_object_set_new(s, "bytes", pt_json_hex(total));
	json_object_set_new(s, "ranges", json_integer(in->src.nranges));
	return s;
}

/* With JSON an invalid entry that is not all zero is still printed, so that
 * decode --json | build gives back every byte; text shows it with --all. */
static int nonzero(const uint8_t *raw, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (raw[i])
			return 1;
	return 0;
}

static int want(const struct inspect *in, int valid, const uint8_t *raw, size_t n)
{
	return valid || in->o->all || in->o->has_ssid || (in->o->json && nonzero(raw, n));
}

static int on_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw,
		  const struct pt_dir_view *dv)
{
	struct inspect *in = w->user;
	const struct pt_struct *st = w->cfg->fmt->dir;
	if (!in->o->show_entries || !want(in, dv->valid, raw, st->size))
		return 0;
	if (in->o->json) {
		json_t *j = json_object();
		json_object_set_new(j, "index", json_integer(index));
		json_object_set_new(j, "address", pt_json_hex(addr));
		json_object_set_new(j, "raw", pt_json_hex(pt_le64(raw, 0)));
		json_object_set_new(j, "fields", pt_struct_fields_json(st, raw));
		pt_emit_item(&in->emit, j);
		return 0;
	}
	fprintf(in->out, "l1[%u] @ 0x%llx:", index, (unsigned long long)addr);
	pt_struct_print_text(in->out, st, raw, " ", in->emit.color);
	return 0;
}

static void entry_headline(const struct inspect *in, const struct pt_format *fmt,
			   uint32_t ssid, uint64_t addr, const uint8_t *raw)
{
	struct pt_entry_view v;
	memset(&v, 0, sizeof v);
	fmt->entry_view(raw, &v);
	fprintf(in->out, "ssid %u @ 0x%llx: %s", ssid, (unsigned long long)addr,
		v.valid ? "valid" : "invalid");
	if (v.valid && v.has_asid)
		fprintf(in->out, ", asid 0x%x", v.asid);
	if (v.valid && v.has_root)
		fprintf(in->out, ", root 0x%llx (%s)", (unsigned long long)v.root,
			v.pgtable ? v.pgtable : "?");
	fputc('\n', in->out);
}

static int on_entry(struct pt_walk *w, uint32_t ssid, uint64_t addr, const uint8_t *raw)
{
	struct inspect *in = w->user;
	const struct pt_format *fmt = w->cfg->fmt;
	const struct pt_struct *st = fmt->entry;
	pt_cli_progress_update(&in->progress, (uint64_t)ssid + 1);
	if (!in->o->show_entries || !want(in, fmt->entry_valid(raw), raw, st->size))
		return 0;
	if (in->o->json) {
		json_t *j = json_object();
		json_object_set_new(j, "ssid", json_integer(ssid));
		json_object_set_new(j, "address", pt_json_hex(addr));
		json_object_set_new(j, "raw", pt_struct_raw_json(st, raw));
		json_object_set_new(j, "fields", pt_struct_fields_json(st, raw));
		pt_emit_item(&in->emit, j);
		return 0;
	}
	entry_headline(in, fmt, ssid, addr, raw);
	pt_struct_print_text(in->out, st, raw, "    ", in->emit.color);
	return 0;
}

static void on_phase(struct pt_walk *w, enum pt_walk_phase phase)
{
	struct inspect *in = w->user;
	if (!in->o->show_entries || !in->o->json)
		return;
	if (in->array_open)
		pt_emit_array_end(&in->emit);
	in->array_open = 0;
	if (phase == PT_PHASE_END)
		return;
	pt_emit_array_begin(&in->emit, phase == PT_PHASE_DIRS ? "l1" : "entries");
	in->array_open = 1;
}

static const struct pt_walk_ops walk_ops = { on_phase, on_dir, on_entry };

static json_t *table_header(const struct pt_table_cfg *cfg)
{
	json_t *h = json_object();
	json_object_set_new(h, "format", json_string(cfg->fmt->name));
	json_object_set_new(h, "layout", json_string(cfg->layout->name));
	json_object_set_new(h, "base", pt_json_hex(cfg->base));
	json_object_set_new(h, "ssid_bits", json_integer(cfg->ssid_bits));
	return h;
}

static void text_header(const struct inspect *in, const struct pt_geometry *g)
{
	const struct pt_table_cfg *cfg = &in->cfg;
	fprintf(in->out, "%s table @ 0x%llx: %s, %u SSID bits (%llu entries)", cfg->fmt->name,
		(unsigned long long)cfg->base, cfg->layout->name, cfg->ssid_bits,
		(unsigned long long)g->nentries);
	if (g->ndir)
		fprintf(in->out, ", %llu L1 descriptors, %llu entries per leaf",
			(unsigned long long)g->ndir, (unsigned long long)(1ull << g->leaf_bits));
	fputc('\n', in->out);
}

static int walk_table(struct inspect *in)
{
	struct pt_walk *w = &in->walk;
	memset(w, 0, sizeof *w);
	w->cfg = &in->cfg;
	w->src = &in->src;
	w->diags = &in->diags;
	w->ops = &walk_ops;
	w->user = in;
	w->caps = in->caps;
	w->validate = in->o->validate;
	w->one_ssid = in->o->has_ssid;
	w->ssid = in->o->ssid;
	struct pt_geometry g;
	if (pt_geometry(&in->cfg, &g) != 0)
		return pt_walk_run(w);
	if (in->o->show_entries) {
		if (in->o->json)
			pt_emit_table_begin(&in->emit, table_header(&in->cfg));
		else
			text_header(in, &g);
	}
	/* Entries streaming to a terminal are progress enough. */
	int busy = in->o->show_entries && !in->o->json && isatty(STDOUT_FILENO);
	pt_cli_progress_start(&in->progress, in->diags.input, g.nentries, in->o->quiet || busy);
	int rc = pt_walk_run(w);
	pt_cli_progress_clear(&in->progress);
	if (in->o->show_entries && in->o->json)
		pt_emit_table_end(&in->emit);
	return rc;
}

/* ---- turning options into a table config ---- */

static unsigned fit_bits(uint64_t bytes, uint32_t entry_size)
{
	unsigned bits = 0;
	while (bits < PT_MAX_SSID_BITS && ((uint64_t)entry_size << (bits + 1)) <= bytes)
		bits++;
	return bits;
}

static int make_cfg(struct inspect *in)
{
	struct pt_inspect_opts *o = in->o;
	const struct pt_format *fmt = pt_format_find("smmuv3-cd");
	in->cfg.fmt = fmt;
	in->cfg.layout = pt_format_layout(fmt, o->layout);
	if (!in->cfg.layout) {
		const char *names[8] = { NULL };
		for (size_t i = 0; i < fmt->nlayouts && i < 7; i++)
			names[i] = fmt->layouts[i].name;
		const char *near = pt_cli_suggest(o->layout, names);
		return pt_cli_usage_error("--layout %s: unknown layout (linear, 2lvl-4k, 2lvl-64k)%s%s",
					  o->layout, near ? "; did you mean " : "",
					  near ? near : "");
	}
	uint64_t lo, hi;
	pt_source_span(&in->src, &lo, &hi);
	if (!o->has_cd_table && in->src.kind == PT_SRC_ELF)
		return pt_cli_usage_error("%s is a memory dump: give the table root with "
					  "--cd-table ADDR", in->diags.input);
	in->cfg.base = o->has_cd_table ? o->cd_table : lo;
	if (o->has_ssid_bits) {
		in->cfg.ssid_bits = o->ssid_bits;
	} else if (in->cfg.layout->nlevels == 1 && in->src.kind == PT_SRC_RAW &&
		   in->cfg.base >= lo && in->cfg.base <= hi) {
		in->cfg.ssid_bits = fit_bits(hi - in->cfg.base + 1, fmt->entry->size);
	} else {
		return pt_cli_usage_error("--ssid-bits N is needed for a %s table",
					  in->cfg.layout->name);
	}
	if (o->has_ssid && o->ssid >> in->cfg.ssid_bits)
		return pt_cli_usage_error("--ssid %u is outside a table of %u SSID bits", o->ssid,
					  in->cfg.ssid_bits);
	return 0;
}

static int load_caps(struct inspect *in)
{
	char err[256];
	const struct pt_format *fmt = in->cfg.fmt;
	if (!fmt->caps_parse)
		return 0;
	in->caps = fmt->caps_parse(in->o->caps ? in->o->caps : "generic", err, sizeof err);
	if (!in->caps)
		return pt_cli_usage_error("%s", err);
	return 0;
}

static int save_pages(struct inspect *in)
{
	const uint64_t *pages;
	char err[256];
	if (!in->src.touched)
		return 0;
	size_t n = pt_pageset_sorted(in->src.touched, &pages);
	if (pt_elf_write_pages(in->o->save_pages, &in->src, pages, n, err, sizeof err) != 0) {
		fprintf(stderr, "pasidtool: error: %s: %s\n", in->o->save_pages, err);
		return -1;
	}
	if (!in->o->quiet && !in->o->json)
		fprintf(stderr, "pasidtool: wrote %zu pages to %s\n", n, in->o->save_pages);
	return 0;
}

static void text_summary(const struct inspect *in)
{
	const struct pt_walk *w = &in->walk;
	fprintf(in->out, "%s: %llu of %llu entries valid", in->diags.input,
		(unsigned long long)w->entries_valid, (unsigned long long)w->entries_read);
	if (w->geo.ndir)
		fprintf(in->out, ", %llu of %llu L1 descriptors valid",
			(unsigned long long)w->dirs_valid, (unsigned long long)w->geo.ndir);
	fprintf(in->out, "; %llu errors, %llu warnings, %llu notes\n",
		(unsigned long long)in->diags.counts[PT_SEV_ERROR],
		(unsigned long long)in->diags.counts[PT_SEV_WARNING],
		(unsigned long long)in->diags.counts[PT_SEV_NOTE]);
}

static json_t *json_summary(const struct inspect *in)
{
	json_t *s = json_object();
	json_object_set_new(s, "entries_read", json_integer((json_int_t)in->walk.entries_read));
	json_object_set_new(s, "entries_valid", json_integer((json_int_t)in->walk.entries_valid));
	json_object_set_new(s, "l1_valid", json_integer((json_int_t)in->walk.dirs_valid));
	return s;
}

static int finish(struct inspect *in, int rc, const char *schema)
{
	struct pt_inspect_opts *o = in->o;
	if (rc == 0 && o->save_pages && save_pages(in) != 0)
		rc = PT_EXIT_USAGE;
	if (o->json) {
		if (!in->emit_started)
			pt_emit_begin(&in->emit, schema, json_object());
		pt_emit_end(&in->emit, &in->diags, json_summary(in));
	} else {
		pt_diag_flush_text(&in->diags, o->show_entries ? stderr : stdout);
		if (!o->quiet && rc == 0)
			text_summary(in);
	}
	if (rc == 0 && pt_diag_errors(&in->diags) && o->validate)
		rc = PT_EXIT_FINDINGS;
	if (in->caps)
		in->cfg.fmt->caps_free(in->caps);
	pt_source_free(&in->src);
	pt_diag_free(&in->diags);
	return rc;
}

int pt_inspect_run(struct pt_inspect_opts *o, const char *schema)
{
	struct inspect in;
	memset(&in, 0, sizeof in);
	in.o = o;
	in.out = stdout;
	if (o->strict)
		o->validate = 1;
	if (pt_cli_set_color(o->color, stdout) != 0)
		return pt_cli_usage_error("--color %s: expected auto, always or never", o->color);
	pt_diag_init(&in.diags, o->inputs[0], NULL);
	/* Findings go to stderr when entries take stdout: colour each stream
	 * by what it is connected to. */
	in.diags.color = o->json ? 0 : pt_cli_color_for(o->color, o->show_entries ? stderr : stdout);
	in.diags.fold = !o->all_findings;
	in.emit.out = stdout;
	in.emit.json = o->json;
	in.emit.color = o->json ? 0 : pt_cli.color;
	in.emit.all = o->all;

	struct pt_open_opts oo = { o->base, o->use_vaddr, o->save_pages != NULL };
	if (pt_source_open(&in.src, o->inputs, o->ninputs, &oo, &in.diags) != 0)
		return finish(&in, PT_EXIT_USAGE, schema);
	int rc = make_cfg(&in);
	if (rc == 0 && o->validate)
		rc = load_caps(&in);
	if (rc != 0)
		return finish(&in, rc, schema);
	if (o->json) {
		pt_emit_begin(&in.emit, schema, source_json(&in));
		in.emit_started = 1;
	}
	if (walk_table(&in) != 0)
		rc = PT_EXIT_USAGE;
	return finish(&in, rc, schema);
}

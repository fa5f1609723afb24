/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "inspect.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "decode_json.h"
#include "elf_write.h"
#include "formats.h"
#include "hints.h"
#include "linebuf.h"
#include "output.h"
#include "pageset.h"
#include "queues.h"
#include "regs.h"
#include "smmuv3.h"
#include "smmuv3_ptcheck.h"
#include "smmuv3_resolve.h"
#include "source_json.h"
#include "tableset.h"

enum {
	OPT_BASE = 0x100, OPT_CD_TABLE, OPT_LAYOUT, OPT_SSID_BITS, OPT_SSID, OPT_ALL, OPT_JSON,
	OPT_CAPS, OPT_RULE, OPT_ALL_FINDINGS, OPT_STRICT, OPT_COLOR, OPT_VADDR, OPT_SAVE_PAGES,
	OPT_QUIET, OPT_STE, OPT_STRTAB, OPT_STRTAB_CFG, OPT_SID, OPT_FORMAT, OPT_MAX_ENTRIES,
	OPT_REGS,
	OPT_MAX_INPUT, OPT_PAGE_TABLES,
};

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Input:", 1 },
	{ "base", OPT_BASE, "ADDR", 0, "address of the first byte of a raw image (default 0)", 1 },
	{ "vaddr", OPT_VADDR, NULL, 0, "ELF cores: place segments at p_vaddr, not p_paddr", 1 },
	{ "max-input", OPT_MAX_INPUT, "BYTES", 0,
	  "most bytes kept of an input that is a pipe, FIFO or standard input (default 4 GiB)", 1 },
	{ NULL, 0, NULL, 0, "Table root:", 2 },
	{ "cd-table", OPT_CD_TABLE, "ADDR", 0,
	  "CD table (or L1 table) address (default: the image's base)", 2 },
	{ "format", OPT_FORMAT, "NAME", 0,
	  "table format of --cd-table: smmuv3-cd (default) or vtd-pasid ('pasidtool formats')", 2 },
	{ "layout", OPT_LAYOUT, "LAYOUT", 0,
	  "smmuv3-cd: linear (default), 2lvl-4k or 2lvl-64k; vtd-pasid: 2lvl (default)", 2 },
	{ "ssid-bits", OPT_SSID_BITS, "N", 0,
	  "SubstreamID bits of the table, 0..20 (STE.S1CDMax); linear default: what fits", 2 },
	{ "strtab", OPT_STRTAB, "ADDR", 0,
	  "stream table: SMMU_STRTAB_BASE (its ADDR field, RA ignored); needs --strtab-cfg", 2 },
	{ "strtab-cfg", OPT_STRTAB_CFG, "VALUE", 0,
	  "SMMU_STRTAB_BASE_CFG: LOG2SIZE [5:0], SPLIT [10:6], FMT [17:16] (0 linear, 1 2-level)",
	  2 },
	{ "sid", OPT_SID, "N", 0, "only this StreamID of --strtab (its STE must be valid)", 2 },
	{ "ste", OPT_STE, "ADDR", 0, "one STE at ADDR, and the CD table it points at", 2 },
	{ "regs", OPT_REGS, "FILE", 0,
	  "SMMU register values (NAME=VALUE lines or JSON): the stream table (STRTAB_BASE, "
	  "STRTAB_BASE_CFG) and the caps (IDR0-5, AIDR, CR2)", 2 },
	{ NULL, 0, NULL, 0, "Selection and output:", 3 },
	{ "ssid", OPT_SSID, "N", 0, "only this SubstreamID (its CD must be valid)", 3 },
	{ "all", OPT_ALL, NULL, 0, "include invalid entries and L1 descriptors", 3 },
	{ "save-pages", OPT_SAVE_PAGES, "OUT.elf", 0,
	  "write the pages this run read as a small ELF core (for bug reports)", 3 },
	{ "max-entries", OPT_MAX_ENTRIES, "N", 0,
	  "stop after reading N entries and descriptors in all (default 16777216; 0: no "
	  "limit); a stopped walk is a TABLE-BUDGET finding", 3 },
	{ NULL, 0, NULL, 0, "Validation:", 4 },
	{ "caps", OPT_CAPS, "SPEC", 0,
	  "the SMMU assumed: profile (generic, qemu, linux-host) and KEY=VALUE pairs", 4 },
	{ "rule", OPT_RULE, "ID=LEVEL", 0,
	  "set a rule (or prefix 'CD-*') to off, note, warning or error; repeatable", 4 },
	{ "all-findings", OPT_ALL_FINDINGS, NULL, 0, "do not fold repeated findings", 4 },
	{ "strict", OPT_STRICT, NULL, 0, "decode: also run the rules; exit 1 on errors", 4 },
	{ "page-tables", OPT_PAGE_TABLES, NULL, 0,
	  "also walk the translation tables of every valid CD and stage-2 STE, each once "
	  "(TT-* rules)", 4 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static int num(struct argp_state *st, const char *opt, const char *arg, uint64_t max,
	       uint64_t *out)
{
	if (pt_parse_u64(arg, out) != 0 || *out > max)
		pt_cli_opt_error(st, "%s: '%s' is not a number%s", opt, arg,
			   max != UINT64_MAX ? " in range" : "");
	return 0;
}

/* The table format --format named (NULL: smmuv3-cd). Kept here, not in
 * struct pt_inspect_opts, so that this option stays within this file; reset
 * by pt_inspect_defaults. */
static const struct pt_format *cd_format;

/* Formats a --cd-table root can be: those indexed by SSID (PASID), not
 * stream tables. */
static int is_cd_format(const struct pt_format *fmt)
{
	return strcmp(pt_format_index_name(fmt), "ssid") == 0;
}

static void set_format(struct argp_state *st, const char *name)
{
	const char *names[16] = { NULL };
	size_t n = 0;
	for (size_t i = 0; i < pt_format_count() && n < 15; i++) {
		const struct pt_format *fmt = pt_format_at(i);
		if (!is_cd_format(fmt))
			continue;
		if (strcmp(fmt->name, name) == 0) {
			cd_format = fmt;
			return;
		}
		names[n++] = fmt->name;
	}
	char msg[512];
	pt_cli_opt_error(st, "--format: %s",
			 pt_cli_unknown("table format", name, names, msg, sizeof msg));
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct pt_inspect_opts *o = st->input;
	uint64_t v;
	switch (key) {
	case OPT_BASE:
		num(st, "--base", arg, UINT64_MAX, &o->base);
		o->has_base = 1;
		break;
	case OPT_VADDR: o->use_vaddr = 1; break;
	case OPT_MAX_INPUT: num(st, "--max-input", arg, UINT64_MAX, &o->max_input); break;
	case OPT_CD_TABLE:
		num(st, "--cd-table", arg, UINT64_MAX, &o->cd_table);
		o->has_cd_table = 1;
		break;
	case OPT_FORMAT: set_format(st, arg); break;
	case OPT_LAYOUT:
		o->layout = arg;
		o->has_layout = 1;
		break;
	case OPT_STE:
		num(st, "--ste", arg, UINT64_MAX, &o->ste);
		o->has_ste = 1;
		break;
	case OPT_STRTAB:
		num(st, "--strtab", arg, UINT64_MAX, &o->strtab);
		o->has_strtab = 1;
		break;
	case OPT_STRTAB_CFG:
		num(st, "--strtab-cfg", arg, UINT64_MAX, &o->strtab_cfg);
		o->has_strtab_cfg = 1;
		break;
	case OPT_SID:
		num(st, "--sid", arg, UINT32_MAX, &v);
		o->sid = (uint32_t)v;
		o->has_sid = 1;
		break;
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
	case OPT_SAVE_PAGES: o->save_pages = arg; break;
	case OPT_MAX_ENTRIES: num(st, "--max-entries", arg, UINT64_MAX, &o->max_entries); break;
	case OPT_CAPS: o->caps = arg; break;
	case OPT_REGS: o->regs = arg; break;
	case OPT_RULE:
		if (pt_rules_override(arg) != 0)
			pt_cli_rule_error(st, arg);
		break;
	case OPT_ALL_FINDINGS: o->all_findings = 1; break;
	case OPT_STRICT: o->strict = 1; break;
	case OPT_PAGE_TABLES: o->page_tables = 1; break;
	case ARGP_KEY_ARG:
		if (o->ninputs >= PT_MAX_INPUTS)
			pt_cli_opt_error(st, "at most %d inputs", PT_MAX_INPUTS);
		o->inputs[o->ninputs++] = arg;
		break;
	case ARGP_KEY_END:
		if (o->ninputs == 0)
			pt_cli_opt_error(st, "no input: give an image or dump file ('-' for stdin)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp pt_inspect_argp = { options, parse_opt, NULL, NULL, NULL, NULL, NULL };

const struct argp_child pt_inspect_children[] = {
	{ &pt_inspect_argp, 0, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};

error_t pt_inspect_parent_parse(int key, char *arg, struct argp_state *st)
{
	(void)arg;
	if (key == ARGP_KEY_INIT)
		st->child_inputs[0] = st->input;
	return ARGP_ERR_UNKNOWN;
}

void pt_inspect_defaults(struct pt_inspect_opts *o)
{
	memset(o, 0, sizeof *o);
	o->layout = "linear";
	o->max_entries = PT_DEFAULT_MAX_ENTRIES;
	cd_format = NULL;
}

void pt_inspect_common(struct pt_inspect_opts *o)
{
	o->json = pt_cli.json;
	o->quiet = pt_cli.quiet;
	o->color = pt_cli.color_when;
}

/* ---- the run ---- */

/* Sharers a table header lists by number; the rest are counted. */
#define MAX_LISTED_SHARERS 16u

struct totals {
	uint64_t read, valid, dirs_valid, ndir;
	uint64_t zero, excluded, absent;
};

/* Text output folds a run of entries identical to the one just printed
 * (Linux fills whole leaves with the same abort STE) into one line. */
struct text_run {
	int have;                 /* an entry was printed and may be repeated */
	uint32_t proto;           /* its index */
	uint32_t last;            /* last index folded into the run (proto: none yet) */
	uint64_t first_addr, last_addr;
	uint8_t raw[PT_MAX_ENTRY_SIZE];
};

struct inspect {
	struct pt_inspect_opts *o;
	struct pt_source src;
	struct pt_diag_sink diags;
	struct pt_emit emit;
	struct pt_decode_json dj;     /* decode --json, over emit */
	struct pt_table_cfg cfg;      /* the root table */
	const struct pt_format *caps_fmt;
	void *caps;
	FILE *out;
	struct pt_cli_progress progress;
	int emit_started;
	int silent;                   /* a validation-only walk: print nothing */
	int from_regs;                /* root from --strtab/--strtab-cfg */
	struct smmu_strtab strtab;
	struct smmu_streams streams;  /* the CD tables STEs lead to */
	struct pt_budget budget;      /* --max-entries, shared by every walk */
	struct totals root, cd;
	struct text_run run;
	struct smmu_regs regs;        /* --regs: the queue summary reads them */
	int pt_on;                    /* --page-tables */
	struct smmu_ptcheck pt;       /* the address spaces CDs and STEs reach */
};

static int is_strtab(const struct pt_table_cfg *cfg)
{
	return cfg->fmt == &smmu_strtab_format;
}

static json_t *source_json(const struct inspect *in)
{
	return pt_cli_source_json(in->o->inputs, in->o->ninputs, &in->src);
}

/* Text output says which kernel wrote the tables, when the dump says. */
static void print_kernel(const struct inspect *in)
{
	struct pt_kernel_info k;
	if (in->o->json || !in->o->show_entries || pt_source_kernel(&in->src, &k) != 0)
		return;
	fprintf(in->out, "dump of Linux %s%s%s%s", k.release[0] ? k.release : "(release unknown)",
		k.machine[0] ? " " : "", k.machine, k.page_size ? "" : "\n");
	if (k.page_size)
		fprintf(in->out, ", %u-byte pages\n", k.page_size);
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

static int showing(const struct inspect *in)
{
	return in->o->show_entries && !in->silent;
}

/* Text shows valid entries, or all of them with --all or --ssid. */
static int want_text(const struct inspect *in, const struct pt_walk *w, int valid)
{
	return valid || in->o->all || w->one_ssid;
}

/* --page-tables: what the SMMU reads as STEs, CDs and L1 descriptors is no
 * place for a translation table. */
static void reserve_for_pages(struct inspect *in, const struct pt_table_cfg *cfg,
			      uint64_t addr, uint64_t bytes, int leaf)
{
	if (!in->pt_on)
		return;
	int two = cfg->layout->nlevels > 1;
	const char *what = is_strtab(cfg) ? (leaf ? "an STE leaf table"
					       : two ? "the L1 stream table" : "the stream table")
					  : (leaf ? "a CD leaf table"
					       : two ? "an L1 CD table" : "a CD table");
	smmu_ptcheck_reserve(&in->pt, addr, bytes, what);
}

static int on_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw,
		  const struct pt_dir_view *dv)
{
	struct inspect *in = w->user;
	const struct pt_struct *st = w->cfg->fmt->dir;
	smmu_streams_on_dir(&in->streams, w, dv);
	if (dv->valid) {
		uint64_t count = UINT64_C(1) << w->geo.leaf_bits;
		if (dv->count && dv->count < count)
			count = dv->count;
		reserve_for_pages(in, w->cfg, dv->next, count * w->cfg->fmt->entry->size, 1);
	}
	if (!showing(in))
		return 0;
	if (in->o->json) {
		pt_decode_json_dir(&in->dj, w, index, addr, raw, dv->valid);
		return 0;
	}
	if (!want_text(in, w, dv->valid))
		return 0;
	fprintf(in->out, "l1[%u] @ 0x%llx:", index, (unsigned long long)addr);
	pt_struct_print_text(in->out, st, raw, " ", in->emit.color);
	return 0;
}

/* One line per entry of a million-entry table: assembled by hand, in the
 * words printf gave it ("ssid 14 @ 0x80010380: valid, asid 0xe, ..."). */
static void entry_headline(struct pt_linebuf *lb, const struct pt_format *fmt, uint32_t ssid,
			   uint64_t addr, const uint8_t *raw)
{
	struct pt_entry_view v;
	memset(&v, 0, sizeof v);
	fmt->entry_view(raw, &v);
	pt_lb_str(lb, pt_format_index_name(fmt));
	pt_lb_ch(lb, ' ');
	pt_lb_dec(lb, ssid);
	pt_lb_str(lb, " @ ");
	pt_lb_hex(lb, addr);
	pt_lb_str(lb, ": ");
	pt_lb_str(lb, v.valid ? "valid"
		       : nonzero(raw, fmt->entry->size) ? "invalid" : "invalid, all zero");
	if (v.valid && v.has_asid) {
		pt_lb_str(lb, ", asid ");
		pt_lb_hex(lb, v.asid);
	}
	if (v.valid && v.has_root) {
		pt_lb_str(lb, ", root ");
		pt_lb_hex(lb, v.root);
		pt_lb_str(lb, " (");
		pt_lb_str(lb, v.pgtable ? v.pgtable : "?");
		pt_lb_ch(lb, ')');
	}
	pt_lb_ch(lb, '\n');
}

static void ste_headline(const struct inspect *in, uint32_t sid, uint64_t addr,
			 const uint8_t *raw, const struct smmu_ste_outcome *r)
{
	unsigned config = (unsigned)smmu_ste(raw, STE_CONFIG);
	fprintf(in->out, "sid %u @ 0x%llx: ", sid, (unsigned long long)addr);
	if (!smmu_ste(raw, STE_V)) {
		fputs("invalid\n", in->out);
		return;
	}
	fprintf(in->out, "valid, %s",
		pt_field_enum_name(&smmu_ste_fields[STE_CONFIG], config));
	if (smmu_ste_s2(config))
		fprintf(in->out, ", vmid 0x%x", (unsigned)smmu_ste(raw, STE_S2VMID));
	if (r->table) {
		const struct pt_table_cfg *c = &r->table->cfg;
		fprintf(in->out, ", CD table 0x%llx (%s, %u SSID bits)", (unsigned long long)c->base,
			c->layout->name, c->ssid_bits);
		if (r->shared)
			fprintf(in->out, ": shared with sid %u", r->table->refs[0].first);
	} else if (smmu_ste_s1(config) && r->why) {
		fprintf(in->out, ", CD table not walked: %s", r->why);
	}
	fputc('\n', in->out);
}

static void run_flush(struct inspect *in, const struct pt_format *fmt)
{
	struct text_run *r = &in->run;
	if (r->have && r->last != r->proto) {
		const char *name = pt_format_index_name(fmt);
		uint32_t first = r->proto + 1;
		if (first == r->last)
			fprintf(in->out, "%s %u @ 0x%llx: same as %s %u\n", name, first,
				(unsigned long long)r->first_addr, name, r->proto);
		else
			fprintf(in->out, "%s %u-%u @ 0x%llx-0x%llx: %u entries, each the same as %s %u\n",
				name, first, r->last, (unsigned long long)r->first_addr,
				(unsigned long long)r->last_addr, r->last - r->proto, name, r->proto);
	}
	r->have = 0;
}

/* True when the entry extends the run of copies of the last printed one. */
static int run_extends(struct inspect *in, uint32_t idx, uint64_t addr, const uint8_t *raw,
		       size_t size)
{
	struct text_run *r = &in->run;
	if (!r->have || idx != r->last + 1 || memcmp(raw, r->raw, size) != 0)
		return 0;
	if (r->last == r->proto)
		r->first_addr = addr;
	r->last = idx;
	r->last_addr = addr;
	return 1;
}

static void run_start(struct inspect *in, uint32_t idx, const uint8_t *raw, size_t size)
{
	struct text_run *r = &in->run;
	r->have = 1;
	r->proto = r->last = idx;
	memcpy(r->raw, raw, size);
}

/* --page-tables: the address spaces an STE or CD sets up join the set; a
 * CD's StreamID is the one its table is being walked for. */
static void page_tables_add(struct inspect *in, const struct pt_walk *w, uint32_t idx,
			    uint64_t addr, const uint8_t *raw)
{
	if (is_strtab(w->cfg)) {
		smmu_ptcheck_add_ste_checked(&in->pt, &in->diags, idx, addr, raw, w->cfg);
		return;
	}
	if (w->cfg->fmt != &smmu_cd_format)
		return;
	struct smmu_ste_ctx ctx;
	smmu_ste_ctx_unpack(w->cfg->vendor[0], &ctx);
	smmu_ptcheck_add_cd_checked(&in->pt, &in->diags, in->diags.ctx_has_sid, in->diags.ctx_sid,
				    idx, addr, raw, w->cfg, ctx.present ? ctx.strw : 0);
}

static int on_entry(struct pt_walk *w, uint32_t ssid, uint64_t addr, const uint8_t *raw)
{
	struct inspect *in = w->user;
	const struct pt_format *fmt = w->cfg->fmt;
	const struct pt_struct *st = fmt->entry;
	struct smmu_ste_outcome r;
	pt_cli_progress_update(&in->progress, (uint64_t)ssid + 1);
	smmu_streams_on_entry(&in->streams, w, ssid, raw, &r);
	if (in->pt_on)
		page_tables_add(in, w, ssid, addr, raw);
	if (!showing(in))
		return 0;
	if (in->o->json) {
		pt_decode_json_entry(&in->dj, w, ssid, addr, raw);
		return 0;
	}
	if (!want_text(in, w, fmt->entry_valid(raw)))
		return 0;
	/* An STE that leads to a CD table keeps its own line: it says which
	 * StreamIDs share the table. */
	if (!r.table && run_extends(in, ssid, addr, raw, st->size))
		return 0;
	run_flush(in, fmt);
	if (is_strtab(w->cfg)) {
		ste_headline(in, ssid, addr, raw, &r);
		if (nonzero(raw, st->size))
			pt_struct_print_text(in->out, st, raw, "    ", in->emit.color);
	} else {
		struct pt_linebuf lb;
		pt_lb_init(&lb, in->out);
		entry_headline(&lb, fmt, ssid, addr, raw);
		if (nonzero(raw, st->size))
			pt_struct_text(&lb, st, raw, "    ", in->emit.color);
		pt_lb_flush(&lb);
	}
	if (!r.table)
		run_start(in, ssid, raw, st->size);
	return 0;
}

static void on_phase(struct pt_walk *w, enum pt_walk_phase phase)
{
	struct inspect *in = w->user;
	if (showing(in) && !in->o->json)
		run_flush(in, w->cfg->fmt);
	if (showing(in) && in->o->json)
		pt_decode_json_phase(&in->dj, w, phase);
}

/* A walk that prints nothing and collects nothing per entry: the walker
 * visits its entries a run at a time and only progress is told. */
static void on_entries(struct pt_walk *w, uint32_t first, uint64_t n)
{
	struct inspect *in = w->user;
	pt_cli_progress_update_n(&in->progress, (uint64_t)first + n, n);
}

static const struct pt_walk_ops walk_ops = { on_phase, on_dir, on_entry, NULL };
static const struct pt_walk_ops quiet_ops = { on_phase, on_dir, NULL, on_entries };

/* on_entry does nothing but progress when no entry is printed, no page
 * table is collected and the table is not a stream table (whose STEs lead
 * to CD tables). */
static const struct pt_walk_ops *ops_for(const struct inspect *in, const struct pt_table_cfg *cfg)
{
	return showing(in) || in->pt_on || is_strtab(cfg) ? &walk_ops : &quiet_ops;
}

static json_t *table_header(const struct inspect *in, const struct pt_table_cfg *cfg,
			    const struct pt_tset_table *t)
{
	json_t *h = pt_decode_json_header(cfg);
	if (is_strtab(cfg) && in->from_regs) {
		json_object_set_new(h, "strtab_base", pt_json_hex(in->strtab.base_reg));
		json_object_set_new(h, "strtab_base_cfg", pt_json_hex(in->strtab.cfg_reg));
	}
	if (t) {
		uint32_t sid;
		json_object_set_new(h, "sid", json_integer(t->refs[0].first));
		json_t *sh = json_array();
		for (uint32_t i = 1; i <= MAX_LISTED_SHARERS && pt_tset_ref_at(t, i, &sid) == 0; i++)
			json_array_append_new(sh, json_integer(sid));
		json_object_set_new(h, "shared_with", sh);
		if (t->nrefs - 1 > MAX_LISTED_SHARERS)
			json_object_set_new(h, "shared_count", json_integer(t->nrefs - 1));
	}
	return h;
}

static void text_header(const struct inspect *in, const struct pt_table_cfg *cfg,
			const struct pt_geometry *g, const struct pt_tset_table *t)
{
	const char *idx = pt_format_index_name(cfg->fmt);
	fprintf(in->out, "%s table @ 0x%llx", cfg->fmt->name, (unsigned long long)cfg->base);
	if (t)
		fprintf(in->out, " (sid %u)", t->refs[0].first);
	fprintf(in->out, ": %s, %u %s bits (%llu %s)", cfg->layout->name, cfg->ssid_bits,
		strcmp(idx, "sid") == 0 ? "SID" : "SSID", (unsigned long long)g->nentries,
		g->nentries == 1 ? "entry" : "entries");
	if (g->ndir)
		fprintf(in->out, ", %llu L1 descriptors, %llu entries per leaf",
			(unsigned long long)g->ndir, (unsigned long long)(1ull << g->leaf_bits));
	if (t && t->nrefs > 1) {
		uint32_t sid;
		fprintf(in->out, "; also used by sid");
		for (uint32_t i = 1; i <= MAX_LISTED_SHARERS && pt_tset_ref_at(t, i, &sid) == 0; i++)
			fprintf(in->out, "%s %u", i > 1 ? "," : "", sid);
		if (t->nrefs - 1 > MAX_LISTED_SHARERS)
			fprintf(in->out, " and %u more", t->nrefs - 1 - MAX_LISTED_SHARERS);
	}
	fputc('\n', in->out);
}

static void add_totals(struct totals *t, const struct pt_walk *w)
{
	t->read += w->entries_read;
	t->valid += w->entries_valid;
	t->dirs_valid += w->dirs_valid;
	t->ndir += w->dirs_read;
	t->zero += w->entries_zero;
	t->excluded += w->entries_excluded;
	t->absent += w->entries_absent;
}

/* Walk one table; `one`/`idx` select a single entry. Findings carry the
 * context the caller set (a CD table's StreamIDs, by the table set). */
static int walk_table(struct inspect *in, const struct pt_table_cfg *cfg, int one, uint32_t idx,
		      const struct pt_tset_table *t, struct totals *tot)
{
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = cfg;
	w.src = &in->src;
	w.diags = &in->diags;
	w.ops = ops_for(in, cfg);
	w.user = in;
	w.caps = in->caps;
	w.validate = in->o->validate;
	w.one_ssid = one;
	w.ssid = idx;
	w.budget = &in->budget;
	/* --all prints every entry: those in zero-filled memory too. */
	w.visit_zero = showing(in) && in->o->all;
	struct pt_geometry g;
	int rc;
	if (pt_geometry(cfg, &g) != 0) {
		rc = pt_walk_run(&w);
	} else {
		reserve_for_pages(in, cfg, cfg->base, g.root_bytes, 0);
		if (showing(in)) {
			if (in->o->json)
				pt_emit_table_begin(&in->emit, table_header(in, cfg, t));
			else
				text_header(in, cfg, &g, t);
		}
		/* Entries streaming to a terminal are progress enough. */
		int busy = showing(in) && !in->o->json && isatty(STDOUT_FILENO);
		pt_cli_progress_start(&in->progress, in->diags.input, g.nentries,
				      in->o->quiet || busy);
		rc = pt_walk_run(&w);
		pt_cli_progress_clear(&in->progress);
		if (showing(in) && in->o->json)
			pt_emit_table_end(&in->emit);
	}
	add_totals(tot, &w);
	return rc;
}

/* One CD table of the set (pt_tset_walk_all): printed and counted the
 * first time; walked again silently, when validating, in the context of a
 * sharer whose STE tells the CD checks something else. */
static int walk_cd_table(void *user, const struct pt_tset_table *t,
			 const struct pt_table_cfg *cfg, int again)
{
	struct inspect *in = user;
	struct totals ignored;
	memset(&ignored, 0, sizeof ignored);
	/* JSON lists only tables build can give back: one that is not in the
	 * input at all is left to its TABLE-UNMAPPED finding. */
	uint32_t first = cfg->layout->nlevels > 1 ? cfg->fmt->dir->size : cfg->fmt->entry->size;
	in->silent = again || (in->o->json && !pt_source_covers(&in->src, cfg->base, first));
	int rc = walk_table(in, cfg, in->o->has_ssid, in->o->ssid, t, again ? &ignored : &in->cd);
	in->silent = 0;
	return rc;
}

/* A root outside the input is a wrong address, not a finding: say where the
 * input is, and exit 2. */
static int root_in_input(struct inspect *in)
{
	uint64_t lo, hi;
	if (pt_source_covers(&in->src, in->cfg.base, 1))
		return 1;
	pt_source_span(&in->src, &lo, &hi);
	pt_diag_report(&in->diags, &pt_core_rule_list[PT_R_TABLE_UNMAPPED], 1, in->cfg.base,
		       PT_SCOPE_NONE, 0, NULL,
		       "the table root is not in the input, which holds 0x%llx-0x%llx: check "
		       "--base, --cd-table, --strtab or --ste", (unsigned long long)lo,
		       (unsigned long long)hi);
	return 0;
}

/* What the hints need to know of the command line. */
static void hint_args(const struct inspect *in, struct pt_hint_args *a)
{
	const struct pt_inspect_opts *o = in->o;
	memset(a, 0, sizeof *a);
	a->argc = o->argc;
	a->argv = o->argv;
	a->has_base = o->has_base;
	for (size_t i = 0; i < o->ninputs; i++)
		a->has_base |= strchr(o->inputs[i], '@') != NULL;
	a->root_given = o->has_cd_table || o->has_ste || o->has_strtab;
	a->has_ssid_bits = o->has_ssid_bits;
	a->has_strtab = o->has_strtab;
	a->strtab_cfg = o->strtab_cfg;
}

/* The root table as smmu_strtab_walk walks it; the hints read it after. */
static int walk_root_table(void *user, const struct pt_table_cfg *cfg)
{
	struct inspect *in = user;
	const struct pt_inspect_opts *o = in->o;
	int one = o->has_ssid;
	uint32_t idx = o->ssid;
	if (is_strtab(cfg)) {
		one = o->has_sid || o->has_ste;
		idx = o->has_sid ? o->sid : 0;
	}
	int rc = walk_table(in, cfg, one, idx, NULL, &in->root);
	if (o->argv) {
		struct pt_hint_args ha;
		hint_args(in, &ha);
		pt_hints_table(&in->src, cfg, &ha, &in->diags);
	}
	return rc;
}

static int walk_root(struct inspect *in)
{
	const struct pt_inspect_opts *o = in->o;
	if (!root_in_input(in)) {
		if (o->argv) {
			struct pt_hint_args ha;
			hint_args(in, &ha);
			pt_hints_root(&in->src, in->cfg.base, &ha, &in->diags);
		}
		return -1;
	}
	struct smmu_strtab_walk sw = { &in->streams, &in->diags, o->validate, walk_root_table,
				       walk_cd_table, in };
	int rc = smmu_strtab_walk(&sw, &in->cfg);
	if (in->pt_on)
		smmu_ptcheck_run(&in->pt, &in->src, &in->diags, &in->budget);
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

static int make_cd_cfg(struct inspect *in)
{
	struct pt_inspect_opts *o = in->o;
	const struct pt_format *fmt = cd_format ? cd_format : &smmu_cd_format;
	in->cfg.fmt = fmt;
	/* Without --layout a format's first layout is its default. */
	in->cfg.layout = o->has_layout ? pt_format_layout(fmt, o->layout) : &fmt->layouts[0];
	if (!in->cfg.layout) {
		const char *names[8] = { NULL };
		char list[128] = "";
		for (size_t i = 0; i < fmt->nlayouts && i < 7; i++) {
			names[i] = fmt->layouts[i].name;
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
				 i ? ", " : "", names[i]);
		}
		const char *near = pt_cli_suggest(o->layout, names);
		return pt_cli_usage_error("--layout %s: unknown %s layout (%s)%s%s", o->layout,
					  fmt->name, list, near ? "; did you mean " : "",
					  near ? near : "");
	}
	uint64_t lo, hi;
	pt_source_span(&in->src, &lo, &hi);
	if (!o->has_cd_table && in->src.kind == PT_SRC_ELF)
		return pt_cli_usage_error("%s is a memory dump: give the table root with "
					  "--cd-table ADDR, --strtab ADDR --strtab-cfg VALUE or "
					  "--ste ADDR", in->diags.input);
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

/* Which root the options name, and the combinations that make no sense. */
static int check_root_options(const struct pt_inspect_opts *o)
{
	if (o->has_cd_table + o->has_ste + o->has_strtab > 1)
		return pt_cli_usage_error("give one table root: --cd-table, --ste or --strtab");
	if (o->has_strtab != o->has_strtab_cfg)
		return pt_cli_usage_error("--strtab ADDR and --strtab-cfg VALUE go together "
					  "(SMMU_STRTAB_BASE and SMMU_STRTAB_BASE_CFG)");
	if (o->has_sid && !o->has_strtab)
		return pt_cli_usage_error("--sid N selects a stream of --strtab");
	if (!o->has_ste && !o->has_strtab)
		return 0;
	if (cd_format)
		return pt_cli_usage_error("--format names the format of --cd-table; --ste and "
					  "--strtab are SMMUv3 stream tables");
	if (o->has_layout || o->has_ssid_bits)
		return pt_cli_usage_error("--layout and --ssid-bits describe --cd-table; an STE "
					  "gives its CD table's own (S1Fmt, S1CDMax)");
	if (o->has_ssid && o->has_strtab && !o->has_sid)
		return pt_cli_usage_error("--ssid N needs --sid N with --strtab");
	return 0;
}

/* Stream-table roots: the registers (or one STE) as the root config. */
static int make_strtab_cfg(struct inspect *in)
{
	const struct pt_inspect_opts *o = in->o;
	const struct smmu_caps *k = in->caps;
	if (o->has_ste) {
		in->cfg.fmt = &smmu_strtab_format;
		in->cfg.layout = &smmu_strtab_format.layouts[SMMU_STRTAB_LINEAR];
		in->cfg.base = o->ste;
		return 0;
	}
	in->from_regs = 1;
	smmu_strtab_decode(o->strtab, o->strtab_cfg, k->sid_bits, &in->strtab);
	const char *why;
	int bad = smmu_strtab_table_cfg(&in->strtab, &in->cfg, &why) != 0;
	if (o->validate || bad)
		smmu_strtab_check(&in->strtab, k, &in->diags);
	if (bad)
		return PT_EXIT_USAGE;
	if (o->has_sid && smmu_strtab_check_sid(&in->strtab, o->sid, &in->diags) != 0)
		return PT_EXIT_USAGE;
	return 0;
}

static int load_caps(struct inspect *in, const struct pt_format *fmt)
{
	char err[256];
	if (!fmt->caps_parse)
		return 0;
	in->caps = fmt->caps_parse(in->o->caps ? in->o->caps : "generic", err, sizeof err);
	if (!in->caps)
		return pt_cli_usage_error("%s", err);
	in->caps_fmt = fmt;
	return 0;
}

/* The root config, with the caps loaded: validation needs them, and a
 * stream table needs SIDSIZE and SSIDSIZE even to be decoded. */
static int make_cfg(struct inspect *in)
{
	const struct pt_inspect_opts *o = in->o;
	int rc = pt_cli_regs_apply(in->o, &in->regs);
	if (rc != 0)
		return rc;
	rc = check_root_options(o);
	if (rc != 0)
		return rc;
	if (!o->has_ste && !o->has_strtab) {
		rc = make_cd_cfg(in);
		return rc == 0 && o->validate ? load_caps(in, in->cfg.fmt) : rc;
	}
	rc = load_caps(in, &smmu_strtab_format);
	in->streams.caps = in->caps;
	return rc == 0 ? make_strtab_cfg(in) : rc;
}

/* --save-pages must not land on an input (FILE@ADDR included). */
static int claim_files(const struct pt_inspect_opts *o)
{
	char err[PATH_MAX + 128];
	if (strcmp(o->save_pages, "-") == 0)
		return pt_cli_usage_error("--save-pages -: stdout carries the decode; name a file");
	for (size_t i = 0; i < o->ninputs; i++)
		pt_run_input(o->inputs[i]);
	if (pt_run_output(o->save_pages, err, sizeof err) == 0)
		return 0;
	pt_cli_usage_error("%s: %s", o->save_pages, err);
	return -1;
}

static int save_pages(struct inspect *in)
{
	const uint64_t *pages;
	char err[256];
	if (!in->src.touched)
		return 0;
	size_t n = pt_pageset_sorted(in->src.touched, &pages);
	if (pt_elf_write_pages(in->o->save_pages, &in->src, pages, n, err, sizeof err) != 0) {
		/* A finding too, so that a JSON document counts the failure. */
		pt_diag_report(&in->diags, &pt_output_rule_list[PT_R_OUT_WRITE], 0, 0,
			       PT_SCOPE_NONE, 0, NULL, "--save-pages %s: %s", in->o->save_pages, err);
		return -1;
	}
	if (!in->o->quiet && !in->o->json)
		fprintf(stderr, "pasidtool: wrote %zu pages to %s\n", n, in->o->save_pages);
	return 0;
}

/* Entries the walks did not read one by one: in zero-filled memory (all
 * invalid) or in pages the dump left out. (Memory outside the input has its
 * TABLE-UNMAPPED finding.) */
static void memory_counts(FILE *out, const struct totals *a, const struct totals *b)
{
	uint64_t zero = a->zero + (b ? b->zero : 0);
	uint64_t excluded = a->excluded + (b ? b->excluded : 0);
	if (zero)
		fprintf(out, "; %llu %s in zero-filled memory, all invalid",
			(unsigned long long)zero, zero == 1 ? "entry" : "entries");
	if (excluded)
		fprintf(out, "; %llu %s in pages the dump excluded, not read",
			(unsigned long long)excluded, excluded == 1 ? "entry" : "entries");
}

static void text_summary(struct inspect *in)
{
	const struct totals *r = &in->root;
	int st = is_strtab(&in->cfg);
	fprintf(in->out, "%s: %llu of %llu %s valid", in->diags.input, (unsigned long long)r->valid,
		(unsigned long long)r->read, st ? "STEs" : "entries");
	if (r->ndir)
		fprintf(in->out, ", %llu of %llu L1 descriptors valid",
			(unsigned long long)r->dirs_valid, (unsigned long long)r->ndir);
	if (st)
		fprintf(in->out, "; %u CD tables, %llu of %llu CDs valid", in->streams.cds.n,
			(unsigned long long)in->cd.valid, (unsigned long long)in->cd.read);
	memory_counts(in->out, r, st ? &in->cd : NULL);
	if (in->pt_on)
		fprintf(in->out, "; page tables: %llu address spaces, %llu tables, %llu descriptors",
			(unsigned long long)in->pt.spaces_walked,
			(unsigned long long)in->pt.tables_read,
			(unsigned long long)in->pt.descriptors);
	fputs("; ", in->out);
	pt_print_counts(in->out, in->diags.counts[PT_SEV_ERROR], in->diags.counts[PT_SEV_WARNING],
			in->diags.counts[PT_SEV_NOTE]);
	fputc('\n', in->out);
	if (in->o->show_entries)
		pt_queues_summary(&in->regs, &in->src, in->diags.input, in->out,
				  NULL);
}

static json_t *json_summary(struct inspect *in)
{
	json_t *s = json_object();
	json_object_set_new(s, "entries_read", json_integer((json_int_t)in->root.read));
	json_object_set_new(s, "entries_valid", json_integer((json_int_t)in->root.valid));
	json_object_set_new(s, "l1_valid", json_integer((json_int_t)in->root.dirs_valid));
	/* Entries the walks did not read one by one, when there are any. */
	const struct totals *c = is_strtab(&in->cfg) ? &in->cd : NULL;
	uint64_t zero = in->root.zero + (c ? c->zero : 0);
	uint64_t excluded = in->root.excluded + (c ? c->excluded : 0);
	if (zero)
		json_object_set_new(s, "entries_zero", json_integer((json_int_t)zero));
	if (excluded)
		json_object_set_new(s, "entries_excluded", json_integer((json_int_t)excluded));
	if (is_strtab(&in->cfg)) {
		json_object_set_new(s, "cd_tables", json_integer(in->streams.cds.n));
		json_object_set_new(s, "cd_entries_read", json_integer((json_int_t)in->cd.read));
		json_object_set_new(s, "cd_entries_valid", json_integer((json_int_t)in->cd.valid));
	}
	json_t *q = json_array();
	if (in->o->show_entries &&
	    pt_queues_summary(&in->regs, &in->src, in->diags.input, NULL, q))
		json_object_set_new(s, "queues", q);
	else
		json_decref(q);
	if (in->pt_on) {
		json_object_set_new(s, "pt_spaces", json_integer((json_int_t)in->pt.spaces_walked));
		json_object_set_new(s, "pt_tables", json_integer((json_int_t)in->pt.tables_read));
		json_object_set_new(s, "pt_descriptors", json_integer((json_int_t)in->pt.descriptors));
	}
	return s;
}

static int finish(struct inspect *in, int rc, const char *schema)
{
	struct pt_inspect_opts *o = in->o;
	if (rc == 0 && o->save_pages && save_pages(in) != 0)
		rc = PT_EXIT_USAGE;
	/* A run that failed (usage, unreadable input) says why on stderr; with
	 * --json, stdout gets a document only when its diagnostics carry the
	 * failure, never one that says "errors": 0. */
	int failed = rc == PT_EXIT_USAGE;
	if (failed)
		pt_diag_flush_text(&in->diags, stderr);
	if (o->json && (in->emit_started || !failed || pt_diag_errors(&in->diags))) {
		if (!in->emit_started)
			pt_emit_begin(&in->emit, schema, json_object());
		pt_emit_end(&in->emit, &in->diags, json_summary(in));
	} else if (!o->json && !failed) {
		pt_diag_flush_text(&in->diags, o->show_entries ? stderr : stdout);
		if (!o->quiet)
			text_summary(in);
	}
	if (rc == 0 && pt_diag_errors(&in->diags) && o->validate)
		rc = PT_EXIT_FINDINGS;
	if (in->caps)
		in->caps_fmt->caps_free(in->caps);
	smmu_streams_free(&in->streams);
	smmu_ptcheck_free(&in->pt);
	pt_source_free(&in->src);
	pt_diag_free(&in->diags);
	return rc;
}

/* --page-tables checks what the rules check: SMMUv3 CDs and STEs. */
static int page_tables_start(struct inspect *in)
{
	if (!in->o->validate)
		return pt_cli_usage_error("--page-tables is a check: use validate (or decode "
					  "--strict)");
	if (in->caps_fmt != &smmu_strtab_format && in->caps_fmt != &smmu_cd_format)
		return pt_cli_usage_error("--page-tables walks the tables of SMMUv3 CDs and STEs, "
					  "not of %s", in->cfg.fmt->name);
	smmu_ptcheck_init(&in->pt, in->caps);
	in->pt_on = 1;
	return 0;
}

int pt_inspect_run(struct pt_inspect_opts *o, const char *schema)
{
	struct inspect in;
	memset(&in, 0, sizeof in);
	in.o = o;
	in.out = stdout;
	in.budget.max = o->max_entries;
	smmu_streams_init(&in.streams, NULL);
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
	in.dj.emit = &in.emit;
	in.dj.all = o->all;

	if (o->save_pages && claim_files(o) != 0)
		return finish(&in, PT_EXIT_USAGE, schema);
	struct pt_open_opts oo = { o->base, o->use_vaddr, o->save_pages != NULL, o->max_input };
	if (pt_source_open(&in.src, o->inputs, o->ninputs, &oo, &in.diags) != 0)
		return finish(&in, PT_EXIT_USAGE, schema);
	int rc = make_cfg(&in);
	if (rc == 0 && o->page_tables)
		rc = page_tables_start(&in);
	if (rc != 0)
		return finish(&in, rc, schema);
	if (o->json) {
		pt_emit_begin(&in.emit, schema, source_json(&in));
		in.emit_started = 1;
	}
	print_kernel(&in);
	if (walk_root(&in) != 0)
		rc = PT_EXIT_USAGE;
	return finish(&in, rc, schema);
}

int pt_inspect_main(const struct pt_cli_cmd *cli, int argc, char **argv,
		    struct pt_inspect_opts *o, const char *schema)
{
	/* argp reorders argv; hints quote the command as it was typed. */
	char **typed = calloc((size_t)argc + 1, sizeof *typed);
	if (!typed)
		return PT_EXIT_INTERNAL;
	memcpy(typed, argv, (size_t)argc * sizeof *typed);
	int rc = pt_cli_parse(cli, argc, argv, o);
	if (!rc) {
		o->argc = argc;
		o->argv = typed;
		pt_inspect_common(o);
		rc = pt_inspect_run(o, schema);
	}
	free(typed);
	return rc;
}

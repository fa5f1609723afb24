/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pasidtool scan: where a dump holds IOMMU tables when no register value says
 * so. The library (core/scan.c and the scanners of formats/) finds and
 * scores the candidates; this file opens the input and prints them, each
 * with the decode command that shows it. */
#include <argp.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "emit.h"
#include "scan.h"
#include "source_json.h"

static const char doc[] =
	"Find IOMMU tables in a memory dump without register values: SMMUv3 stream tables "
	"(linear and 2-level) and the CD tables their STEs point at, CDs on their own, "
	"VT-d PASID directories and virtio-iommu ATTACH_TABLE requests. "
	"Each candidate has a score (0-100), the evidence for it and the arguments that decode "
	"it, best first. Only memory the dump holds with data is read, a page at a time.\v"
	"Exit status: 0 when a candidate was found, 1 when none was, 2 usage or input error.";

static const char *const examples[] = {
	"pasidtool scan guest.elf",
	"pasidtool scan vmcore --kind smmuv3-strtab --json | jq -r '.candidates[0].args | join(\" \")'",
	"pasidtool scan memory.raw@0x40000000 --min-score 50",
	NULL,
};

enum { OPT_BASE = 0x100, OPT_VADDR, OPT_MAX_INPUT, OPT_MAX_ENTRIES, OPT_KIND, OPT_MIN_SCORE };

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Input:", 1 },
	{ "base", OPT_BASE, "ADDR", 0, "address of the first byte of a raw image (default 0)", 1 },
	{ "vaddr", OPT_VADDR, NULL, 0, "ELF cores: place segments at p_vaddr, not p_paddr", 1 },
	{ "max-input", OPT_MAX_INPUT, "BYTES", 0,
	  "most bytes kept of an input that is a pipe, FIFO or standard input (default 4 GiB)", 1 },
	{ "max-entries", OPT_MAX_ENTRIES, "N", 0,
	  "stop after N pages and skipped runs (default 16777216, 64 GiB of pages; 0: no "
	  "limit)", 1 },
	{ NULL, 0, NULL, 0, "Selection:", 2 },
	{ "kind", OPT_KIND, "NAME", 0, "only candidates of this format (smmuv3-strtab, smmuv3-cd, "
	  "vtd-pasid, viommu-attach-pst-arm, ...)", 2 },
	{ "min-score", OPT_MIN_SCORE, "N", 0, "only candidates scoring at least N (0-100)", 2 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

#define MAX_INPUTS 64

struct scan_opts {
	const char *inputs[MAX_INPUTS];
	size_t ninputs;
	uint64_t base, max_input, max_entries, min_score;
	int use_vaddr;
	const char *kind;
};

static void num(struct argp_state *st, const char *opt, const char *arg, uint64_t max,
		uint64_t *out)
{
	if (pt_parse_u64(arg, out) != 0 || *out > max)
		pt_cli_opt_error(st, "%s %s: expected a number up to %llu", opt, arg,
				 (unsigned long long)max);
}

static void set_kind(struct argp_state *st, struct scan_opts *o, const char *name)
{
	static const char *const kinds[] = { "smmuv3-strtab", "smmuv3-cd", "vtd-pasid",
					     "viommu-attach-pst-arm", "viommu-attach-pst-arm-v07",
					     "viommu-attach-pst-arm-intel",
					     "viommu-attach-ste-arm-qcom", NULL };
	for (size_t i = 0; kinds[i]; i++)
		if (strcmp(kinds[i], name) == 0) {
			o->kind = kinds[i];
			return;
		}
	char msg[256];
	pt_cli_opt_error(st, "--kind: %s", pt_cli_unknown("kind", name, kinds, msg, sizeof msg));
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct scan_opts *o = st->input;
	switch (key) {
	case OPT_BASE: num(st, "--base", arg, UINT64_MAX, &o->base); return 0;
	case OPT_VADDR: o->use_vaddr = 1; return 0;
	case OPT_MAX_INPUT: num(st, "--max-input", arg, UINT64_MAX, &o->max_input); return 0;
	case OPT_MAX_ENTRIES: num(st, "--max-entries", arg, UINT64_MAX, &o->max_entries); return 0;
	case OPT_KIND: set_kind(st, o, arg); return 0;
	case OPT_MIN_SCORE: num(st, "--min-score", arg, 100, &o->min_score); return 0;
	case ARGP_KEY_ARG:
		if (o->ninputs >= MAX_INPUTS)
			pt_cli_opt_error(st, "at most %d inputs", MAX_INPUTS);
		o->inputs[o->ninputs++] = arg;
		return 0;
	case ARGP_KEY_END:
		if (o->ninputs == 0)
			pt_cli_opt_error(st, "no input file (a raw image, an ELF core or a kdump "
					     "vmcore; '-' for stdin)");
		return 0;
	default: return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = { options, parse_opt, "INPUT...", doc, NULL, NULL, NULL };
static const struct pt_cli_cmd cli = { "scan", &argp, PT_CLI_ALL, examples };

static int shown(const struct scan_opts *o, const struct pt_scan_candidate *c)
{
	return (!o->kind || strcmp(o->kind, c->kind) == 0) && (uint64_t)c->score >= o->min_score;
}

static json_t *candidate_json(const struct pt_scan_candidate *c)
{
	json_t *j = json_object(), *args = json_array(), *ev = json_array();
	json_object_set_new(j, "kind", json_string(c->kind));
	json_object_set_new(j, "base", pt_json_hex(c->base));
	json_object_set_new(j, "score", json_integer(c->score));
	json_object_set_new(j, "command", json_string(c->command ? c->command : "decode"));
	for (unsigned i = 0; i < c->nargs; i++)
		json_array_append_new(args, json_string(c->args[i]));
	json_object_set_new(j, "args", args);
	for (unsigned i = 0; i < c->nevidence; i++)
		json_array_append_new(ev, json_string(c->evidence[i]));
	json_object_set_new(j, "evidence", ev);
	return j;
}

static json_t *summary_json(const struct pt_scan *s, const struct pt_diag_sink *diags,
			    size_t nshown)
{
	json_t *j = pt_diag_summary(diags);
	json_object_set_new(j, "candidates", json_integer((json_int_t)nshown));
	json_object_set_new(j, "pages", json_integer((json_int_t)s->pages_data));
	json_object_set_new(j, "zero_pages", json_integer((json_int_t)s->pages_zero));
	json_object_set_new(j, "skipped", pt_json_hex(s->bytes_skipped));
	json_object_set_new(j, "dropped", json_integer((json_int_t)(s->dropped + s->overflow)));
	json_object_set_new(j, "stopped", json_boolean(s->stopped));
	return j;
}

static void print_json(const struct scan_opts *o, struct pt_source *src, int opened,
		       const struct pt_scan *s, const struct pt_diag_sink *diags, size_t nshown)
{
	json_t *root = json_object(), *cands = json_array(), *dj = json_array();
	json_object_set_new(root, "schema", json_string("pasidtool.scan/1"));
	json_object_set_new(root, "source", opened ? pt_cli_source_json(o->inputs, o->ninputs, src)
						    : json_object());
	for (size_t i = 0; i < s->ncands; i++)
		if (shown(o, &s->cands[i]))
			json_array_append_new(cands, candidate_json(&s->cands[i]));
	json_object_set_new(root, "candidates", cands);
	for (uint32_t i = 0; i < diags->nitems; i++)
		json_array_append_new(dj, pt_diag_json(&diags->items[i]));
	json_object_set_new(root, "diagnostics", dj);
	json_object_set_new(root, "summary", summary_json(s, diags, nshown));
	json_dumpf(root, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(root);
}

/* The command that decodes a candidate, quoted for a shell only where a
 * name needs it. */
static void print_command(const struct scan_opts *o, const struct pt_scan_candidate *c)
{
	printf("    pasidtool %s", c->command ? c->command : "decode");
	for (size_t i = 0; i < o->ninputs; i++) {
		const char *in = o->inputs[i];
		printf(strpbrk(in, " '\"$`\\*?;&|<>()") ? " '%s'" : " %s", in);
	}
	if (o->base)
		printf(" --base 0x%" PRIx64, o->base);
	if (o->use_vaddr)
		printf(" --vaddr");
	for (unsigned i = 0; i < c->nargs; i++)
		printf(" %s", c->args[i]);
	putchar('\n');
}

static void print_text(const struct scan_opts *o, const struct pt_scan *s, size_t nshown)
{
	for (size_t i = 0; i < s->ncands; i++) {
		const struct pt_scan_candidate *c = &s->cands[i];
		if (!shown(o, c))
			continue;
		printf("%s at 0x%" PRIx64 ", score %d\n", c->kind, c->base, c->score);
		print_command(o, c);
		for (unsigned k = 0; k < c->nevidence; k++)
			printf("    - %s\n", c->evidence[k]);
	}
	if (pt_cli.quiet)
		return;
	printf("%zu candidate%s; %" PRIu64 " pages of data scanned, %" PRIu64
	       " zero-filled pages and %" PRIu64 " bytes without data skipped\n",
	       nshown, nshown == 1 ? "" : "s", s->pages_data, s->pages_zero, s->bytes_skipped);
}

int cmd_scan(int argc, char **argv)
{
	struct scan_opts o;
	memset(&o, 0, sizeof o);
	o.max_entries = PT_DEFAULT_MAX_ENTRIES;
	int rc = pt_cli_parse(&cli, argc, argv, &o);
	if (rc)
		return rc;
	struct pt_source src;
	struct pt_diag_sink diags;
	struct pt_scan s;
	pt_diag_init(&diags, o.inputs[0], NULL);
	diags.color = pt_cli.json ? 0 : pt_cli_color_for(pt_cli.color_when, stderr);
	pt_source_init(&src, o.inputs[0]);
	struct pt_open_opts oo = { o.base, o.use_vaddr, 0, o.max_input };
	int opened = pt_source_open(&src, o.inputs, o.ninputs, &oo, &diags) == 0;
	pt_scan_init(&s, &src, o.max_entries);
	rc = PT_EXIT_USAGE;
	if (opened && pt_scan_run(&s) != 0) {
		fprintf(stderr, "pasidtool: error: scan: out of memory\n");
		rc = PT_EXIT_INTERNAL;
	}
	size_t nshown = 0;
	for (size_t i = 0; i < s.ncands; i++)
		nshown += (size_t)shown(&o, &s.cands[i]);
	if (pt_cli.json)
		print_json(&o, &src, opened, &s, &diags, nshown);
	else
		pt_diag_flush_text(&diags, stderr);
	if (opened && rc != PT_EXIT_INTERNAL) {
		if (!pt_cli.json)
			print_text(&o, &s, nshown);
		if (s.stopped)
			fprintf(stderr, "pasidtool: scan: the --max-entries budget stopped the scan "
					"at 0x%" PRIx64 "; later memory was not scanned\n",
				s.stopped_at);
		if (s.dropped + s.overflow && !pt_cli.quiet)
			fprintf(stderr, "pasidtool: scan: %" PRIu64 " candidates or entries past "
					"the scan's caps were dropped\n",
				s.dropped + s.overflow);
		rc = nshown ? PT_EXIT_OK : PT_EXIT_FINDINGS;
	}
	pt_scan_free(&s);
	pt_source_free(&src);
	pt_diag_free(&diags);
	return rc;
}

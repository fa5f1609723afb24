/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pasidtool attach decode|validate|build: virtio-iommu requests as captured
 * from a virtqueue (concatenated buffers), their rules, and the CD table an
 * ATTACH_TABLE points at, walked through the same core walker and CD rules
 * as `pasidtool validate`. */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "emit.h"
#include "load_json.h"
#include "rule.h"
#include "output.h"
#include "tableset.h"
#include "viommu.h"

#define INPUT_MAX_BYTES (UINT64_C(64) << 20)  /* requests are small; a capture is not GiBs */
#define MAX_DUMPS 16

static const char doc[] =
	"Decode, validate or build virtio-iommu requests (ATTACH_TABLE, PROBE, INVALIDATE, "
	"ATTACH, DETACH, MAP, UNMAP, PAGE_RESP). FILE holds one request or a captured "
	"sequence of them, back to back.\n\n"
	"  decode FILE      print every request with its offset, type and fields\n"
	"  validate FILE    check ATTACH-*, PROBE-*, INVAL-* rules (exit 1 on errors); with "
	"--dump, walk the CD table an ATTACH_TABLE points at with the CD rules\n"
	"  decode|validate DUMP --at ADDR   the one request at ADDR in guest memory (what "
	"'scan' finds); validate walks its CD table in the same dump\n"
	"  build SPEC.json -o REQ.bin   build requests from what 'decode --json' prints or a "
	"short hand-written form\n\n"
	"Variants: rfc1 (default: 2021 nested-stage RFC, same PASID-table bytes as v09d), v09d, "
	"v07, intel, qcom.\v"
	"--caps keys (defaults): pasid-bits (20), asid-bits (16), oas (48), cd2l (1), "
	"pst-format and pgt-format (any), page-size-mask (any), endpoint (any: the caps' endpoint).\n"
	"PROBE size: --probe-size N, else 512 (QEMU's VIOMMU_PROBE_SIZE; the spec reads it "
	"from config space) when more requests follow, else the rest of the file.\n"
	"Hand-written build form (omitted fields: zero, format = the variant's PASID table, "
	"s1dss = ssid0):\n"
	"  {\"requests\": [{\"type\": \"attach_table\", \"domain\": 1, \"endpoint\": 8,\n"
	"    \"s1contextptr\": \"0x80000000\", \"s1cdmax\": 8, \"s1fmt\": \"2lvl-64k\"}]}\n";

static const char *const examples[] = {
	"pasidtool attach decode req.bin --json",
	"pasidtool attach validate req.bin --probe probe.bin --dump guest.elf",
	"pasidtool attach validate req.bin --variant v07 --caps pasid-bits=10,cd2l=0",
	"pasidtool attach build spec.json -o req.bin",
	NULL,
};

enum {
	OPT_VARIANT = 0x100, OPT_PROBE_SIZE, OPT_CAPS, OPT_PROBE, OPT_DUMP, OPT_BASE,
	OPT_CD_CAPS, OPT_RULE, OPT_AT,
};

static const struct argp_option options[] = {
	{ "variant", OPT_VARIANT, "NAME", 0, "draft layout: rfc1 (default), v09d, v07, intel, qcom", 0 },
	{ "probe-size", OPT_PROBE_SIZE, "N", 0, "bytes of PROBE properties (config probe_size)", 0 },
	{ "caps", OPT_CAPS, "SPEC", 0, "what the device announced: key=value,... (see below)", 1 },
	{ "probe", OPT_PROBE, "PROBE.bin", 0, "take the caps from a PROBE request the device filled", 1 },
	{ "dump", OPT_DUMP, "DUMP", 0, "guest memory (raw image, FILE@ADDR or ELF core): walk "
	  "the CD table each ATTACH_TABLE points at", 1 },
	{ "base", OPT_BASE, "ADDR", 0, "address of a raw dump's first byte (default 0)", 1 },
	{ "at", OPT_AT, "ADDR", 0, "FILE is a dump (raw image, FILE@ADDR, ELF core, kdump vmcore): "
	  "the one request at guest address ADDR", 1 },
	{ "cd-caps", OPT_CD_CAPS, "SPEC", 0, "SMMU caps for the CD rules (as validate --caps; "
	  "default generic)", 1 },
	{ "rule", OPT_RULE, "ID=LEVEL", 0, "set a rule (or prefix 'ATTACH-*') to off, note, "
	  "warning or error, as validate --rule; repeatable", 1 },
	{ "output", 'o', "REQ.bin", 0, "build: output file (written atomically, never the input)", 2 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

enum sub { SUB_NONE, SUB_DECODE, SUB_VALIDATE, SUB_BUILD };

struct attach_opts {
	enum sub sub;
	const char *file;
	const char *out;
	struct pt_viommu_ctx ctx;
	int variant_given;
	int rules_given;
	int json, quiet;
	const char *caps, *probe, *cd_caps, *color;
	const char *dumps[MAX_DUMPS];
	size_t ndumps;
	uint64_t base;
	uint64_t at;
	int at_given;
};

static const char *const sub_names[] = { "decode", "validate", "build", NULL };

static int parse_sub(struct argp_state *st, struct attach_opts *o, const char *arg)
{
	for (unsigned i = 0; sub_names[i]; i++) {
		if (strcmp(arg, sub_names[i]) == 0) {
			o->sub = (enum sub)(i + 1);
			return 0;
		}
	}
	char msg[256];
	pt_cli_opt_error(st, "%s", pt_cli_unknown("action", arg, sub_names, msg, sizeof msg));
	return EINVAL;
}

static void parse_variant(struct argp_state *st, struct attach_opts *o, const char *arg)
{
	if (pt_viommu_variant_parse(arg, &o->ctx.variant) != 0) {
		char msg[256];
		pt_cli_opt_error(st, "--variant: %s",
				 pt_cli_unknown("variant", arg, pt_viommu_variant_names, msg,
						sizeof msg));
	}
	o->variant_given = 1;
}

static void parse_number(struct argp_state *st, const char *opt, const char *arg, uint64_t max,
			 uint64_t *out)
{
	if (pt_parse_u64(arg, out) != 0 || *out > max)
		pt_cli_opt_error(st, "%s: '%s' is not a number up to %llu", opt, arg,
			   (unsigned long long)max);
}

static void check_combination(struct argp_state *st, const struct attach_opts *o)
{
	if (o->sub == SUB_NONE || !o->file)
		pt_cli_opt_error(st, "expected decode|validate|build and a FILE");
	if (o->caps && o->probe)
		pt_cli_opt_error(st, "--caps and --probe are alternatives: give one");
	if (o->sub != SUB_VALIDATE &&
	    (o->caps || o->probe || o->ndumps || o->cd_caps || o->rules_given))
		pt_cli_opt_error(st, "--caps, --probe, --dump, --cd-caps and --rule belong to "
				 "'validate'");
	if (o->sub == SUB_BUILD && !o->out)
		pt_cli_opt_error(st, "build needs -o REQ.bin");
	if (o->sub != SUB_BUILD && o->out)
		pt_cli_opt_error(st, "-o belongs to 'build'");
	if (o->at_given && o->sub == SUB_BUILD)
		pt_cli_opt_error(st, "--at belongs to 'decode' and 'validate'");
	if (o->at_given && o->ndumps)
		pt_cli_opt_error(st, "with --at, FILE is the dump: --dump is not needed");
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct attach_opts *o = st->input;
	uint64_t v;
	switch (key) {
	case OPT_VARIANT: parse_variant(st, o, arg); break;
	case OPT_PROBE_SIZE:
		parse_number(st, "--probe-size", arg, PT_VIOMMU_MAX_PROBE_SIZE, &v);
		o->ctx.probe_size = (uint32_t)v;
		o->ctx.probe_size_given = 1;
		break;
	case OPT_CAPS: o->caps = arg; break;
	case OPT_PROBE: o->probe = arg; break;
	case OPT_DUMP:
		if (o->ndumps == MAX_DUMPS)
			pt_cli_opt_error(st, "at most %d --dump inputs", MAX_DUMPS);
		o->dumps[o->ndumps++] = arg;
		break;
	case OPT_BASE: parse_number(st, "--base", arg, UINT64_MAX, &o->base); break;
	case OPT_AT:
		parse_number(st, "--at", arg, UINT64_MAX, &o->at);
		o->at_given = 1;
		break;
	case OPT_CD_CAPS: o->cd_caps = arg; break;
	case OPT_RULE:
		if (pt_rules_override(arg) != 0)
			pt_cli_rule_error(st, arg);
		o->rules_given = 1;
		break;
	case 'o': o->out = arg; break;
	case ARGP_KEY_ARG:
		if (o->sub == SUB_NONE)
			return parse_sub(st, o, arg);
		if (o->file)
			pt_cli_opt_error(st, "one FILE at a time");
		o->file = arg;
		break;
	case ARGP_KEY_END: check_combination(st, o); break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { options, parse_opt,
				  "decode|validate FILE\nbuild SPEC.json -o REQ.bin", doc, NULL, NULL,
				  NULL };
static const struct pt_cli_cmd cli = { "attach", &argp, PT_CLI_ALL, examples };

/* ---- Input ---- */

static int read_input(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 0, n = 0;
	struct stat st;
	*buf = NULL;
	if (!f)
		return pt_cli_usage_error("%s: cannot open: %s", path, strerror(errno));
	/* fopen() opens a directory for reading; say what it is. */
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (f != stdin)
			fclose(f);
		return pt_cli_usage_error("%s: is a directory", path);
	}
	for (;;) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			uint8_t *nb = ncap <= INPUT_MAX_BYTES + 1 ? realloc(*buf, ncap) : NULL;
			if (!nb)
				break;
			*buf = nb;
			cap = ncap;
		}
		size_t got = fread(*buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int e = ferror(f) ? errno : 0;
	int big = !e && (n > INPUT_MAX_BYTES || (n == cap && !feof(f)));
	if (f != stdin)
		fclose(f);
	*len = n;
	if (e || big) {
		free(*buf);
		*buf = NULL;
		if (e)
			return pt_cli_usage_error("%s: read error: %s", path, strerror(e));
		return pt_cli_usage_error("%s: larger than %llu bytes", path,
					  (unsigned long long)INPUT_MAX_BYTES);
	}
	return 0;
}

/* ---- decode / validate ---- */

struct run {
	struct attach_opts *o;
	uint8_t *buf;
	size_t len;
	struct pt_diag_sink diags, dump_diags;
	struct pt_viommu_caps caps;
	struct pt_viommu_state state;
	struct pt_source src;
	int src_open;
	void *cd_caps;
	const struct pt_format *cd_fmt;
	struct pt_tset tables;        /* CD tables named by ATTACH_TABLE requests */
	struct pt_budget budget;      /* bounds the walks of all of them */
	uint64_t nrequests;
	int malformed, first_item;
	char dump_name[512];
};

/* Findings in the dump name it: "a.bin" or "a.bin+b.elf". */
static const char *dump_name(const struct attach_opts *o, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < o->ndumps && used + 1 < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "+" : "", o->dumps[i]);
	return o->ndumps ? buf : "dump";
}

static int load_probe_caps(struct run *r)
{
	uint8_t *pbuf;
	size_t plen;
	struct pt_viommu_req req;
	if (read_input(r->o->probe, &pbuf, &plen) != 0)
		return PT_EXIT_USAGE;
	struct pt_diag_sink tmp;
	pt_diag_init(&tmp, r->o->probe, NULL);
	int rc = pt_viommu_next(&r->o->ctx, pbuf, plen, 0, &req, &tmp);
	if (rc == 0 && req.kind->type == PT_VT_PROBE)
		pt_viommu_caps_from_probe(&r->o->ctx, &req, &r->caps);
	pt_diag_free(&tmp);
	free(pbuf);
	if (rc != 0 || req.kind->type != PT_VT_PROBE)
		return pt_cli_usage_error("%s: does not start with a PROBE request", r->o->probe);
	return 0;
}

static int load_caps(struct run *r)
{
	char err[256];
	pt_viommu_caps_default(&r->caps);
	if (r->o->caps && pt_viommu_caps_parse(r->o->caps, &r->caps, err, sizeof err) != 0)
		return pt_cli_usage_error("--caps: %s", err);
	if (r->o->probe)
		return load_probe_caps(r);
	return 0;
}

static int open_dump(struct run *r)
{
	char err[256];
	struct pt_open_opts oo = { r->o->base, 0, 0 };
	r->cd_fmt = pt_format_find("smmuv3-cd");
	if (!r->cd_fmt)
		return pt_cli_usage_error("--dump: the smmuv3-cd format is not built in");
	if (pt_source_open(&r->src, r->o->dumps, r->o->ndumps, &oo, &r->dump_diags) != 0)
		return PT_EXIT_USAGE;
	r->src_open = 1;
	if (r->cd_fmt->caps_parse) {
		r->cd_caps = r->cd_fmt->caps_parse(r->o->cd_caps ? r->o->cd_caps : "generic", err,
						   sizeof err);
		if (!r->cd_caps)
			return pt_cli_usage_error("--cd-caps: %s", err);
	}
	return 0;
}

/* Each distinct table is walked once however many requests name it (and
 * again for a request whose STE context tells the CD checks something
 * new); the set's referrers are request numbers. */
static int already_walked(struct run *r, const struct pt_table_cfg *cfg)
{
	struct pt_tset_table *t;
	enum pt_tset_added added = pt_tset_add(&r->tables, cfg, (uint32_t)r->nrequests, &t);
	if (added == PT_TSET_NEW)
		return 0;
	if (added == PT_TSET_SHARED && t->nctx && t->ctx[t->nctx - 1] == cfg->vendor[0] &&
	    t->ctx_ref[t->nctx - 1] == (uint32_t)r->nrequests)
		return 0;
	return 1;
}

/* The CD table behind one ATTACH_TABLE: request/dump cross-checks, then
 * the core walk with the CD rules, exactly as `pasidtool validate`. */
static void walk_attached(struct run *r, const struct pt_viommu_req *req)
{
	struct pt_table_cfg cfg;
	char err[160];
	if (pt_viommu_attach_to_cfg(req, &cfg, NULL, NULL, err, sizeof err) != 0 ||
	    already_walked(r, &cfg))
		return;
	if (!pt_viommu_check_dump(req, &cfg, &r->src, &r->diags))
		return;
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.src = &r->src;
	w.diags = &r->dump_diags;
	w.caps = r->cd_caps;
	w.validate = 1;
	w.budget = &r->budget;
	pt_walk_run(&w);
}

static void emit_request(struct run *r, const struct pt_viommu_req *req)
{
	if (r->o->json) {
		json_t *j = pt_viommu_json(&r->o->ctx, req);
		fputs(r->first_item ? "\n" : ",\n", stdout);
		r->first_item = 0;
		json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(j);
	} else if (r->o->sub == SUB_DECODE) {
		pt_viommu_print(stdout, &r->o->ctx, req, r->diags.color);
	}
}

static void one_request(struct run *r, const struct pt_viommu_req *req)
{
	emit_request(r, req);
	if (r->o->sub != SUB_VALIDATE)
		return;
	pt_viommu_check(&r->o->ctx, req, &r->caps, &r->state, &r->diags);
	if (r->src_open && (req->kind->view == PT_VW_PST_ARM || req->kind->view == PT_VW_STE_ARM))
		walk_attached(r, req);
}

static void decode_stream(struct run *r)
{
	uint64_t off = 0;
	/* At an address in a dump, the bytes after the request are other
	 * memory: one request, and no guess from how the rest frames. */
	const char *other = r->o->at_given ? NULL
					   : pt_viommu_guess_variant(&r->o->ctx, r->buf, r->len);
	if (other)
		pt_diag_report(&r->diags, &pt_viommu_rule_list[PT_R_VIOMMU_VARIANT], 1, 0,
			       PT_SCOPE_NONE, 0, NULL, "the bytes look like variant %s, not %s "
			       "(try --variant %s)", other,
			       pt_viommu_variant(r->o->ctx.variant)->name, other);
	if (r->len == 0)
		pt_diag_report(&r->diags, &pt_viommu_rule_list[PT_R_VIOMMU_TRUNCATED], 0, 0,
			       PT_SCOPE_NONE, 0, NULL, "empty file: no request");
	r->malformed = r->len == 0;
	while (off < r->len && r->nrequests < PT_VIOMMU_MAX_REQUESTS) {
		struct pt_viommu_req req;
		if (pt_viommu_next(&r->o->ctx, r->buf + off, r->len - off, r->o->at + off, &req,
				   &r->diags) != 0) {
			r->malformed = 1;
			break;
		}
		r->nrequests++;
		one_request(r, &req);
		off += req.size;
		if (r->o->at_given)
			break;
	}
}

static json_t *source_json(const struct run *r)
{
	json_t *s = json_object();
	/* "inputs" as decode names its files; "path" is kept for readers of
	 * earlier output. */
	json_object_set_new(s, "inputs", json_pack("[s]", r->o->file));
	json_object_set_new(s, "path", json_string(r->o->file));
	json_object_set_new(s, "size", json_integer((json_int_t)r->len));
	json_object_set_new(s, "variant",
			    json_string(pt_viommu_variant(r->o->ctx.variant)->name));
	if (r->o->ctx.probe_size_given)
		json_object_set_new(s, "probe_size", json_integer(r->o->ctx.probe_size));
	if (r->o->ndumps)
		json_object_set_new(s, "dump", json_string(r->dump_diags.input));
	return s;
}

static void json_diags(const struct pt_diag_sink *d, int *first, const char *input)
{
	for (uint32_t i = 0; i < d->nitems; i++) {
		json_t *j = pt_diag_json(&d->items[i]);
		if (input)
			json_object_set_new(j, "input", json_string(input));
		fputs(*first ? "\n" : ",\n", stdout);
		*first = 0;
		json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(j);
	}
}

static void json_end(const struct run *r)
{
	int first = 1;
	fputs("],\"diagnostics\":[", stdout);
	json_diags(&r->diags, &first, NULL);
	json_diags(&r->dump_diags, &first, r->o->ndumps ? r->dump_diags.input : NULL);
	json_t *s = pt_diag_summary(&r->diags);
	json_t *s2 = pt_diag_summary(&r->dump_diags);
	const char *key;
	json_t *v;
	json_object_foreach(s2, key, v)
		json_object_set_new(s, key, json_integer(json_integer_value(json_object_get(s, key)) +
							 json_integer_value(v)));
	json_decref(s2);
	json_object_set_new(s, "requests", json_integer((json_int_t)r->nrequests));
	fputs("],\"summary\":", stdout);
	json_dumpf(s, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(s);
	fputs("}\n", stdout);
}

static uint64_t count(const struct run *r, enum pt_severity s)
{
	return r->diags.counts[s] + r->dump_diags.counts[s];
}

static void text_end(const struct run *r)
{
	/* decode prints requests on stdout; a malformed stream is an input
	 * error, which goes to stderr like every other. */
	FILE *out = r->o->sub == SUB_DECODE || r->malformed ? stderr : stdout;
	pt_diag_flush_text(&r->diags, out);
	pt_diag_flush_text(&r->dump_diags, out);
	if (r->o->quiet)
		return;
	fprintf(out, "%s: %llu request%s (%s); ", r->o->file, (unsigned long long)r->nrequests,
		r->nrequests == 1 ? "" : "s", pt_viommu_variant(r->o->ctx.variant)->name);
	pt_print_counts(out, count(r, PT_SEV_ERROR), count(r, PT_SEV_WARNING),
			count(r, PT_SEV_NOTE));
	fputc('\n', out);
}

static void run_free(struct run *r)
{
	if (r->cd_caps)
		r->cd_fmt->caps_free(r->cd_caps);
	if (r->src_open)
		pt_source_free(&r->src);
	pt_tset_free(&r->tables);
	pt_diag_free(&r->diags);
	pt_diag_free(&r->dump_diags);
	free(r->buf);
}

/* The bytes from --at on that the dump holds, up to the largest request
 * (a PROBE with its properties): one request is framed from them. */
static int read_at(struct run *r)
{
	uint64_t run, at = r->o->at;
	enum pt_mem_kind k = pt_source_probe(&r->src, at, &run);
	if (k != PT_MEM_DATA && k != PT_MEM_ZERO)
		return pt_cli_usage_error("%s: 0x%llx is not in the dump (%s)", r->o->file,
					  (unsigned long long)at,
					  k == PT_MEM_EXCLUDED ? "excluded from it" : "no memory there");
	uint64_t want = PT_VIOMMU_PROBE_HEAD + (uint64_t)r->o->ctx.probe_size + PT_VIOMMU_TAIL;
	r->len = (size_t)(run < want ? run : want);
	r->buf = malloc(r->len ? r->len : 1);
	if (!r->buf)
		return pt_cli_usage_error("%s: out of memory", r->o->file);
	if (pt_source_read(&r->src, at, r->buf, r->len) != PT_READ_OK)
		return pt_cli_usage_error("%s: 0x%llx: the dump's bytes are unreadable",
					  r->o->file, (unsigned long long)at);
	return 0;
}

static int setup(struct run *r)
{
	if (r->o->at_given) {
		int rc = open_dump(r);
		if (rc == 0)
			rc = read_at(r);
		if (rc == 0 && r->o->sub == SUB_VALIDATE)
			rc = load_caps(r);
		return rc;
	}
	int rc = read_input(r->o->file, &r->buf, &r->len);
	if (rc == 0 && r->o->sub == SUB_VALIDATE)
		rc = load_caps(r);
	if (rc == 0 && r->o->ndumps)
		rc = open_dump(r);
	return rc;
}

static int inspect(struct attach_opts *o)
{
	static struct run r;  /* one per process */
	memset(&r, 0, sizeof r);
	r.o = o;
	r.first_item = 1;
	pt_tset_init(&r.tables, "request");
	r.budget.max = PT_DEFAULT_MAX_ENTRIES;
	/* With --at, FILE is the dump: the request is read from it, and
	 * validate walks the CD table in it. */
	if (o->at_given)
		o->dumps[o->ndumps++] = o->file;
	pt_diag_init(&r.diags, o->file, NULL);
	pt_diag_init(&r.dump_diags, dump_name(o, r.dump_name, sizeof r.dump_name), NULL);
	r.diags.color = r.dump_diags.color = o->json ? 0 : pt_cli.color;
	if (!o->ctx.probe_size_given)
		o->ctx.probe_size = PT_VIOMMU_DEFAULT_PROBE_SIZE;
	int rc = setup(&r);
	if (rc == 0) {
		if (o->json) {
			fputs("{\"schema\":\"pasidtool.attach/1\",\"source\":", stdout);
			json_t *s = source_json(&r);
			json_dumpf(s, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
			json_decref(s);
			fputs(",\"requests\":[", stdout);
		}
		decode_stream(&r);
		if (o->json)
			json_end(&r);
		else
			text_end(&r);
		if (o->json && r.malformed)
			pt_diag_flush_text(&r.diags, stderr);
		rc = r.malformed ? PT_EXIT_USAGE
		     : o->sub == SUB_VALIDATE && count(&r, PT_SEV_ERROR) ? PT_EXIT_FINDINGS
									 : PT_EXIT_OK;
	} else {
		pt_diag_flush_text(&r.dump_diags, stderr);
	}
	run_free(&r);
	return rc;
}

/* ---- build ---- */

/* The spec is read a request at a time (core/json_stream.c): memory holds
 * one request whatever their number. A request's JSON is small; a PROBE's
 * raw bytes in hex are the largest (2 MiB for the largest probe_size). */
#define REQ_MAX_VALUE ((size_t)16 << 20)

struct req_run {
	const struct attach_opts *o;
	struct pt_output out;
	int opened;            /* outputs claimed, the output open */
	int streamed;          /* "requests" built as read */
	uint64_t total;        /* bytes written */
	uint8_t *buf;
	size_t cap;
};

/* The requests of a spec read whole: {"requests": [...]} whose "requests"
 * is not an array yet holds "type", or one request object. */
static json_t *spec_requests(json_t *spec)
{
	json_t *reqs = json_object_get(spec, "requests");
	if (json_is_array(reqs))
		return json_incref(reqs);
	if (json_is_object(spec) && json_object_get(spec, "type")) {
		json_t *a = json_array();
		json_array_append(a, spec);
		return a;
	}
	return NULL;
}

/* The spec, the requests file it was decoded from and the output must be
 * different files; checked before anything is written, with the members
 * read so far (a "source" read later is checked by late_source). */
static int claim_files(struct req_run *r, const json_t *spec)
{
	const struct attach_opts *o = r->o;
	char err[PATH_MAX + 128];
	pt_run_input(o->file);
	pt_run_input_near(json_string_value(json_object_get(json_object_get(spec, "source"), "path")),
			  o->file);
	if (pt_run_output(o->out, err, sizeof err) != 0 ||
	    pt_output_open(&r->out, o->out, err, sizeof err) != 0) {
		pt_cli_usage_error("%s: %s", o->out, err);
		return -1;
	}
	r->opened = 1;
	return 0;
}

static int late_source(struct req_run *r, const json_t *source)
{
	char err[PATH_MAX + 128];
	const char *path = json_string_value(json_object_get(source, "path"));
	if (pt_run_input_late(path, r->o->file, err, sizeof err) == 0)
		return 0;
	pt_cli_usage_error("%s: %s", r->o->out, err);
	return -1;
}

static int build_req(struct req_run *r, const json_t *req, size_t i)
{
	const struct attach_opts *o = r->o;
	char err[256];
	size_t n;
	if (pt_viommu_build(req, o->ctx.variant, o->variant_given, o->ctx.probe_size, r->buf, r->cap,
			    &n, err, sizeof err) != 0) {
		fprintf(stderr, "%s: error: requests[%zu]: %s\n", o->file, i, err);
		return -1;
	}
	if ((r->total += n) > INPUT_MAX_BYTES || pt_output_write(&r->out, r->buf, n, err,
								 sizeof err) != 0) {
		fprintf(stderr, "%s: error: %s\n", o->out,
			r->total > INPUT_MAX_BYTES ? "too large" : err);
		return -1;
	}
	return 0;
}

/* "requests" as it is read, each item parsed alone. */
static int stream_requests(struct req_run *r, struct pt_jstream *s)
{
	size_t n = 0;
	int rc;
	if (pt_js_expect(s, '[', "'[' expected") != 0)
		return -2;
	while ((rc = pt_js_item(s, &n)) == 1) {
		json_t *req = pt_js_value(s);
		if (!req)
			return -2;
		rc = build_req(r, req, n - 1);
		json_decref(req);
		if (rc != 0)
			return -1;
	}
	return rc < 0 ? -2 : 0;
}

/* One member of the top object: "requests" streamed once the outputs are
 * claimed, anything else kept. 0, -1 (said), -2 (the stream's error). */
static int spec_member(struct req_run *r, struct pt_jstream *s, json_t *top, const char *key)
{
	if (json_object_get(top, key)) {
		pt_js_fail_key(s, "duplicate object key near '\"%s\"'", key);
		return -2;
	}
	if (strcmp(key, "requests") == 0 && pt_js_peek(s) == '[') {
		if (claim_files(r, top) != 0)
			return -1;
		r->streamed = 1;
		json_object_set_new(top, key, json_array());
		return stream_requests(r, s);
	}
	json_t *v = pt_js_value(s);
	if (!v)
		return -2;
	json_object_set_new(top, key, v);
	if (r->streamed && strcmp(key, "source") == 0)
		return late_source(r, v);
	return 0;
}

/* The spec: an object read member by member, anything else whole (*top).
 * 0, -1 (said), -2 (the stream's error). */
static int read_spec(struct req_run *r, struct pt_jstream *s, json_t **top)
{
	if (pt_js_peek(s) != '{') {
		*top = pt_js_document(s);
		return *top ? 0 : -2;
	}
	*top = json_object();
	pt_js_expect(s, '{', "'{' expected");
	size_t n = 0;
	char *key;
	int rc = 0;
	while (rc == 0 && (rc = pt_js_member(s, &n, &key)) == 1) {
		rc = spec_member(r, s, *top, key);
		free(key);
	}
	if (rc == -1 && s->failed)
		rc = -2;
	if (rc == 0 && pt_js_end(s) != 0)
		rc = -2;
	return rc;
}

/* A spec without a streamed "requests": its requests built whole. */
static int build_held(struct req_run *r, json_t *spec)
{
	json_t *reqs = spec_requests(spec);
	int rc = -1;
	if (!reqs)
		pt_cli_usage_error("%s: expected {\"requests\": [...]} or one request object",
				   r->o->file);
	else if (claim_files(r, spec) == 0) {
		size_t i;
		const json_t *req;
		rc = 0;
		json_array_foreach(reqs, i, req)
			if ((rc = build_req(r, req, i)) != 0)
				break;
	}
	json_decref(reqs);
	return rc;
}

static int build(struct attach_opts *o)
{
	char err[256];
	struct req_run r;
	memset(&r, 0, sizeof r);
	r.o = o;
	r.cap = PT_VIOMMU_PROBE_HEAD + PT_VIOMMU_MAX_PROBE_SIZE + PT_VIOMMU_TAIL;
	if (!o->ctx.probe_size_given)
		o->ctx.probe_size = PT_VIOMMU_DEFAULT_PROBE_SIZE;
	FILE *f = pt_cli_open_json(o->file);
	if (!f)
		return PT_EXIT_USAGE;
	r.buf = malloc(r.cap);
	struct pt_jstream s;
	json_t *spec = NULL;
	pt_js_init(&s, f, REQ_MAX_VALUE);
	int rc = r.buf ? read_spec(&r, &s, &spec) : -1;
	if (rc == -2)
		pt_cli_json_error(o->file, &s);
	if (rc == 0 && !r.streamed)
		rc = build_held(&r, spec);
	if (rc == 0 && pt_output_commit(&r.out, err, sizeof err) != 0) {
		pt_cli_usage_error("%s: %s", o->out, err);
		rc = -1;
	} else if (rc != 0 && r.opened) {
		pt_output_abort(&r.out);
	}
	pt_js_free(&s);
	pt_cli_close_json(o->file, f);
	json_decref(spec);
	free(r.buf);
	return rc == 0 ? PT_EXIT_OK : PT_EXIT_USAGE;
}

int cmd_attach(int argc, char **argv)
{
	struct attach_opts o;
	memset(&o, 0, sizeof o);
	o.ctx.variant = PT_VV_RFC1;
	int rc = pt_cli_parse(&cli, argc, argv, &o);
	if (rc)
		return rc;
	o.json = pt_cli.json;
	o.quiet = pt_cli.quiet;
	return o.sub == SUB_BUILD ? build(&o) : inspect(&o);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pasidtool iommufd decode|validate|build|nest: the records a VMM exchanges
 * with Linux's iommufd for a nested Arm SMMUv3 (vSTE, invalidation commands,
 * hw_info, vEVENTs), the kernel's verdict on each, the CD table a vSTE points
 * at (walked in a guest dump with the same walker and CD rules as
 * `pasidtool validate`), and the physical STE the kernel would install. */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "emit.h"
#include "enum_names.h"
#include "iommufd.h"
#include "output.h"
#include "regs.h"
#include "smmuv3.h"
#include "tableset.h"

#define MAX_DUMPS 16
#define MAX_HEX_WORDS 8
#define SPEC_MAX_BYTES (UINT64_C(256) << 20)

static const char doc[] =
	"Decode, validate or build the records a VMM passes to Linux's iommufd for a nested "
	"Arm SMMUv3 (kernel 6.13+), and show the physical STE the kernel installs.\n\n"
	"  decode FILE --type T     print every record\n"
	"  validate FILE --type T   the kernel's verdict per record (rule, errno, release) and "
	"the architecture's findings; exit 1 when the kernel rejects a record\n"
	"  build SPEC.json --type T -o OUT   records from 'decode --json' output or a short form\n"
	"  nest --vste FILE --s2-ste W0,..,W7   the nested STE for each vSTE, checked by the "
	"STE rules\n\n"
	"Types (little-endian, back to back): vste (16-byte iommu_hwpt_arm_smmuv3), invalidate "
	"(16-byte iommu_viommu_arm_smmuv3_invalidate: a raw CMDQ command), hw-info (40-byte "
	"iommu_hw_info_arm_smmuv3), vevent (what read() on a vEVENTQ fd returns: an 8-byte "
	"iommufd_vevent_header and a 32-byte event record, or a LOST_EVENTS header alone).\v"
	"Short build form: {\"records\": [{\"s1contextptr\": \"0x40000000\", \"s1cdmax\": 4, "
	"\"s1fmt\": \"linear\"}]} (a vSTE defaults to V = 1, Config = s1-trans, S1CIR = S1COR = "
	"wbra, S1CSH = ish); a command names its opcode: {\"op\": \"CMD_TLBI_NH_ASID\", "
	"\"asid\": 3}; a vEVENT its header and event: {\"sequence\": 4, \"id\": \"F_TRANSLATION\", "
	"\"sid\": 8} or {\"sequence\": 9, \"lost_events\": 1}.";

static const char *const examples[] = {
	"pasidtool iommufd validate vste.bin --type vste --dump guest.elf --caps ssid-bits=16",
	"pasidtool iommufd decode - --type vste --hex 0x40000055,0",
	"pasidtool iommufd validate inval.bin --type invalidate --vdevice 8=0x100",
	"pasidtool iommufd validate vste.bin --type vste --hw-info hw_info.bin",
	"pasidtool iommufd nest --vste vste.bin --s2-ste 0xd,0,0x8d0012a500000001,0x43210000",
	NULL,
};

enum {
	OPT_TYPE = 0x100, OPT_HEX, OPT_CAPS, OPT_VDEVICE, OPT_DUMP, OPT_BASE, OPT_VSTE,
	OPT_S2STE, OPT_NO_ATS, OPT_HWINFO, OPT_ENTRY_LEN,
};

static const struct argp_option options[] = {
	{ "type", OPT_TYPE, "TYPE", 0, "vste, invalidate, hw-info or vevent", 0 },
	{ "hex", OPT_HEX, "W0,W1,..", 0, "one record as 64-bit little-endian words (FILE is "
	  "then '-' or left out)", 0 },
	{ "caps", OPT_CAPS, "SPEC", 0, "the SMMU the architecture checks assume (as validate "
	  "--caps; default generic)", 1 },
	{ "entry-len", OPT_ENTRY_LEN, "N", 0, "invalidate: bytes per entry as the ioctl's "
	  "entry_len (default 16; shorter entries are zero-extended, longer ones must end in "
	  "zeros)", 0 },
	{ "hw-info", OPT_HWINFO, "FILE", 0, "validate/nest: the SMMU's caps from an "
	  "IOMMU_GET_HW_INFO record (IDR0-5, IIDR, AIDR), under --caps", 1 },
	{ "vdevice", OPT_VDEVICE, "VSID=PSID", 0, "a vDEVICE of the vIOMMU (repeatable): "
	  "invalidation and vEVENT vSIDs are checked and translated with them", 1 },
	{ "dump", OPT_DUMP, "DUMP", 0, "guest memory (raw image, FILE@ADDR or ELF core): walk "
	  "the CD table each vSTE points at", 1 },
	{ "base", OPT_BASE, "ADDR", 0, "address of a raw dump's first byte (default 0)", 1 },
	{ "vste", OPT_VSTE, "FILE", 0, "nest: the vSTE records", 2 },
	{ "s2-ste", OPT_S2STE, "W0,..,W7", 0, "nest: the nesting parent's stage-2 STE "
	  "(missing words are 0)", 2 },
	{ "no-ats", OPT_NO_ATS, NULL, 0, "nest: the device has no ATS (EATS stays 0)", 2 },
	{ "output", 'o', "OUT", 0, "build/nest: output file (written atomically, never an input)",
	  2 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

enum sub { SUB_NONE, SUB_DECODE, SUB_VALIDATE, SUB_BUILD, SUB_NEST };
static const char *const sub_names[] = { "decode", "validate", "build", "nest", NULL };

struct iofd_opts {
	enum sub sub;
	const char *file, *out, *caps, *color, *hex, *s2ste, *hw_info;
	enum pt_iommufd_type type;
	int type_given, json, quiet, no_ats;
	const char *vdevs[PT_IOMMUFD_MAX_VDEVICES];
	size_t nvdevs;
	const char *dumps[MAX_DUMPS];
	size_t ndumps;
	uint64_t base;
	uint32_t entry_len;
};

static int parse_sub(struct argp_state *st, struct iofd_opts *o, const char *arg)
{
	for (unsigned i = 0; sub_names[i]; i++)
		if (strcmp(arg, sub_names[i]) == 0) {
			o->sub = (enum sub)(i + 1);
			return 0;
		}
	char msg[256];
	pt_cli_opt_error(st, "%s", pt_cli_unknown("action", arg, sub_names, msg, sizeof msg));
	return EINVAL;
}

static void parse_type(struct argp_state *st, struct iofd_opts *o, const char *arg)
{
	if (pt_iommufd_type_parse(arg, &o->type) != 0) {
		char msg[256];
		pt_cli_opt_error(st, "--type: %s",
				 pt_cli_unknown("type", arg, pt_iommufd_type_names, msg, sizeof msg));
	}
	o->type_given = 1;
}

static void check_combination(struct argp_state *st, struct iofd_opts *o)
{
	if (o->sub == SUB_NONE)
		pt_cli_opt_error(st, "expected decode|validate|build|nest");
	if (!o->file && o->hex)
		o->file = "-";
	if (o->sub == SUB_NEST) {
		if (!o->file || !o->s2ste)
			pt_cli_opt_error(st, "nest needs --vste FILE and --s2-ste W0,..,W7");
		o->type = PT_IOMMUFD_VSTE;
		o->type_given = 1;
	} else if (!o->type_given) {
		pt_cli_opt_error(st, "--type vste|invalidate|hw-info|vevent is needed");
	}
	if (!o->file)
		pt_cli_opt_error(st, "expected a FILE (or --hex)");
	if (o->sub == SUB_BUILD && (!o->out || o->hex))
		pt_cli_opt_error(st, "build needs -o OUT (and a JSON file, not --hex)");
	if (o->out && o->sub != SUB_BUILD && o->sub != SUB_NEST)
		pt_cli_opt_error(st, "-o belongs to 'build' and 'nest'");
	if ((o->ndumps || o->nvdevs) && o->sub != SUB_VALIDATE)
		pt_cli_opt_error(st, "--dump and --vdevice belong to 'validate'");
	if (o->entry_len && (o->type != PT_IOMMUFD_INVALIDATE || o->sub == SUB_BUILD || o->hex))
		pt_cli_opt_error(st, "--entry-len frames an invalidation array file: decode or "
				 "validate --type invalidate");
	if (o->hw_info && o->sub != SUB_VALIDATE && o->sub != SUB_NEST)
		pt_cli_opt_error(st, "--hw-info belongs to 'validate' and 'nest'");
	if (o->ndumps && o->type != PT_IOMMUFD_VSTE)
		pt_cli_opt_error(st, "--dump follows vSTEs: use it with --type vste");
	if (o->hex && strcmp(o->file, "-") != 0)
		pt_cli_opt_error(st, "--hex gives the record: FILE must be '-' or left out");
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct iofd_opts *o = st->input;
	switch (key) {
	case OPT_TYPE: parse_type(st, o, arg); break;
	case OPT_HEX: o->hex = arg; break;
	case OPT_CAPS: o->caps = arg; break;
	case OPT_HWINFO: o->hw_info = arg; break;
	case OPT_ENTRY_LEN: {
		uint64_t n;
		if (pt_parse_u64(arg, &n) != 0 || n == 0 || n > PT_IOMMUFD_MAX_ENTRY_LEN)
			pt_cli_opt_error(st, "--entry-len: '%s' is not 1..%u (the kernel refuses 0 "
					 "with EINVAL)", arg, PT_IOMMUFD_MAX_ENTRY_LEN);
		o->entry_len = (uint32_t)n;
		break;
	}
	case OPT_VDEVICE:
		if (o->nvdevs == PT_IOMMUFD_MAX_VDEVICES)
			pt_cli_opt_error(st, "at most %u --vdevice", PT_IOMMUFD_MAX_VDEVICES);
		o->vdevs[o->nvdevs++] = arg;
		break;
	case OPT_DUMP:
		if (o->ndumps == MAX_DUMPS)
			pt_cli_opt_error(st, "at most %d --dump inputs", MAX_DUMPS);
		o->dumps[o->ndumps++] = arg;
		break;
	case OPT_BASE:
		if (pt_parse_u64(arg, &o->base) != 0)
			pt_cli_opt_error(st, "--base: '%s' is not a number", arg);
		break;
	case OPT_VSTE: o->file = arg; break;
	case OPT_S2STE: o->s2ste = arg; break;
	case OPT_NO_ATS: o->no_ats = 1; break;
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
	"decode|validate FILE --type TYPE\nbuild SPEC.json --type TYPE -o OUT\n"
	"nest --vste FILE --s2-ste W0,..,W7", doc, NULL, NULL, NULL };
static const struct pt_cli_cmd cli = { "iommufd", &argp, PT_CLI_ALL, examples };

/* "W0,W1,..." into little-endian bytes; returns the number of words or -1. */
static int parse_words(const char *what, const char *s, uint8_t *buf, size_t max_words)
{
	char tmp[512];
	size_t n = 0;
	if (strlen(s) >= sizeof tmp)
		return pt_cli_usage_error("%s: too long", what), -1;
	strcpy(tmp, s);
	for (char *save = NULL, *tok = strtok_r(tmp, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;
		if (n == max_words || pt_parse_u64(tok, &v) != 0) {
			pt_cli_usage_error("%s: '%s' is not a list of at most %zu 64-bit words", what,
					   s, max_words);
			return -1;
		}
		pt_put_le64(buf, n++, v);
	}
	if (n == 0)
		return pt_cli_usage_error("%s: no words", what), -1;
	return (int)n;
}

/* ---- decode / validate / nest ---- */

struct run {
	struct iofd_opts *o;
	struct pt_source src, dump;
	int dump_open;
	uint64_t len;
	struct pt_diag_sink diags, dump_diags;
	struct smmu_caps *caps;
	struct pt_iommufd_ctx ctx;
	uint8_t hexbuf[MAX_HEX_WORDS * 8];
	uint8_t s2[64];
	uint64_t nrecords, nrejected, nnested;
	int malformed, first_item;
	struct pt_tset cds;          /* the CD tables the vSTEs reach; referrers: vSTE index */
	struct pt_output out;
	int out_open;
	char dump_name[512];
};

static int open_input(struct run *r)
{
	char err[256];
	struct iofd_opts *o = r->o;
	pt_source_init(&r->src, o->hex ? "--hex" : o->file);
	int file;
	if (o->hex) {
		int n = parse_words("--hex", o->hex, r->hexbuf, MAX_HEX_WORDS);
		if (n < 0)
			return PT_EXIT_USAGE;
		file = pt_source_add_buffer(&r->src, "--hex", r->hexbuf, (size_t)n * 8);
	} else {
		file = pt_source_map_file(&r->src, o->file, err, sizeof err);
		if (file < 0)
			return pt_cli_usage_error("%s: %s", o->file, err);
	}
	r->len = r->src.files[file].size;
	if (r->len && pt_source_add_range(&r->src, 0, r->len, (uint32_t)file, 0, r->len) != 0)
		return pt_cli_usage_error("%s: cannot use", o->file);
	return pt_source_finish(&r->src, &r->diags) != 0 && r->len ? PT_EXIT_USAGE : 0;
}

/* The one hw_info record of --hw-info FILE, read through the source. */
static int read_hw_info(const char *path, uint8_t body[PT_IOMMUFD_HW_INFO_SIZE])
{
	struct pt_source src;
	struct pt_diag_sink d;
	struct pt_iommufd_rec rec;
	char err[256];
	int rc = PT_EXIT_USAGE;
	pt_source_init(&src, path);
	pt_diag_init(&d, path, NULL);
	int file = pt_source_map_file(&src, path, err, sizeof err);
	uint64_t len = file < 0 ? 0 : src.files[file].size;
	if (file < 0)
		pt_cli_usage_error("--hw-info %s: %s", path, err);
	else if (len != PT_IOMMUFD_HW_INFO_SIZE)
		pt_cli_usage_error("--hw-info %s: %llu bytes, not the %u of one "
				   "iommu_hw_info_arm_smmuv3", path, (unsigned long long)len,
				   PT_IOMMUFD_HW_INFO_SIZE);
	else if (pt_source_add_range(&src, 0, len, (uint32_t)file, 0, len) == 0 &&
		 pt_source_finish(&src, &d) == 0 &&
		 pt_iommufd_next(PT_IOMMUFD_HW_INFO, &src, 0, len, 0, &rec, &d) == 0) {
		memcpy(body, rec.body, PT_IOMMUFD_HW_INFO_SIZE);
		rc = 0;
	}
	pt_diag_flush_text(&d, stderr);
	pt_diag_free(&d);
	pt_source_free(&src);
	return rc;
}

/* --caps, with --hw-info's registers under the user's keys. */
static const char *caps_spec(const struct iofd_opts *o, int *rc)
{
	uint8_t body[PT_IOMMUFD_HW_INFO_SIZE];
	struct smmu_regs regs;
	*rc = 0;
	if (!o->hw_info)
		return o->caps ? o->caps : "generic";
	if ((*rc = read_hw_info(o->hw_info, body)) != 0)
		return NULL;
	pt_iommufd_hw_info_regs(body, &regs);
	const char *spec = pt_cli_regs_caps(&regs, o->caps);
	if (!spec)
		*rc = pt_cli_usage_error("--caps: too long with --hw-info");
	return spec;
}

static int load_caps(struct run *r)
{
	char err[256];
	int rc;
	const char *spec = caps_spec(r->o, &rc);
	if (!spec)
		return rc;
	r->caps = smmu_caps_parse(spec, err, sizeof err);
	if (!r->caps)
		return pt_cli_usage_error("--caps: %s", err);
	pt_iommufd_ctx_init(&r->ctx, r->caps);
	r->ctx.caps_given = r->o->caps != NULL || r->o->hw_info != NULL;
	for (size_t i = 0; i < r->o->nvdevs; i++)
		if (pt_iommufd_add_vdevice(&r->ctx, r->o->vdevs[i], err, sizeof err) != 0)
			return pt_cli_usage_error("--vdevice %s", err);
	if (r->o->s2ste && parse_words("--s2-ste", r->o->s2ste, r->s2, 8) < 0)
		return PT_EXIT_USAGE;
	return 0;
}

static const char *dump_name(const struct iofd_opts *o, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < o->ndumps && used + 1 < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "+" : "", o->dumps[i]);
	return o->ndumps ? buf : "dump";
}

static int open_dump(struct run *r)
{
	struct pt_open_opts oo = { r->o->base, 0, 0 };
	if (pt_source_open(&r->dump, r->o->dumps, r->o->ndumps, &oo, &r->dump_diags) != 0)
		return PT_EXIT_USAGE;
	r->dump_open = 1;
	return 0;
}

/* The guest's CD table behind an accepted vSTE joins the set: each distinct
 * table is walked once, after the records. */
static void add_cd_table(struct run *r, const struct pt_iommufd_rec *rec)
{
	struct pt_table_cfg cfg;
	struct pt_tset_table *t;
	const char *why;
	if (pt_iommufd_vste_cd_cfg(rec->body, r->caps, &cfg, &why) == 0 && rec->index <= UINT32_MAX)
		pt_tset_add(&r->cds, &cfg, (uint32_t)rec->index, &t);
}

/* Each distinct CD table once, as `pasidtool validate --cd-table` walks it
 * (the set's own walk would label the vSTEs as StreamIDs, which they are
 * not); tables overlapping another are reported instead. */
static void walk_cd_tables(struct run *r)
{
	pt_tset_settle(&r->cds);
	for (uint32_t i = 0; i < r->cds.n; i++) {
		const struct pt_tset_table *t = &r->cds.v[i];
		if (t->overlaps) {
			pt_tset_report_overlap(&r->cds, t, &r->dump_diags);
			continue;
		}
		struct pt_walk w;
		memset(&w, 0, sizeof w);
		w.cfg = &t->cfg;
		w.src = &r->dump;
		w.diags = &r->dump_diags;
		w.caps = r->caps;
		w.validate = 1;
		pt_walk_run(&w);
	}
}

static void emit_json(struct run *r, json_t *j)
{
	fputs(r->first_item ? "\n" : ",\n", stdout);
	r->first_item = 0;
	json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
}

/* The STE rules on the nested STE, their findings named after the record
 * rather than a StreamID (the STE is not in any stream table yet). */
static void check_nested(struct run *r, const struct pt_iommufd_rec *rec, const uint8_t *ste)
{
	struct pt_diag_sink tmp;
	struct pt_walk w;
	pt_diag_init(&tmp, r->diags.input, NULL);
	memset(&w, 0, sizeof w);
	w.diags = &tmp;
	w.caps = r->caps;
	w.validate = 1;
	smmu_ste_check_entry(&w, 0, rec->offset, ste);
	for (uint32_t i = 0; i < tmp.nitems; i++)
		pt_diag_report(&r->diags, tmp.items[i].rule, 1, rec->offset, PT_SCOPE_NONE, 0,
			       tmp.items[i].field, "vste[%llu] nested STE: %s",
			       (unsigned long long)rec->index, tmp.items[i].msg);
	pt_diag_free(&tmp);
}

/* The nested STE of one accepted vSTE: printed, checked by the STE rules
 * (Config = nested: S1ContextPtr is an IPA, stage 2 from --s2-ste), written
 * to -o. */
static json_t *nest_one(struct run *r, const struct pt_iommufd_rec *rec)
{
	uint8_t ste[64];
	char err[256];
	pt_iommufd_nest(rec->body, r->s2, !r->o->no_ats, ste);
	check_nested(r, rec, ste);
	r->nnested++;
	if (r->out_open && pt_output_write(&r->out, ste, sizeof ste, err, sizeof err) != 0) {
		pt_cli_usage_error("%s: %s", r->o->out, err);
		r->malformed = 1;
	}
	if (!r->o->json) {
		printf("  nested STE: %s\n", smmu_ste_struct.label);
		pt_struct_print_text(stdout, &smmu_ste_struct, ste, "    ", r->diags.color);
		return NULL;
	}
	json_t *n = json_object();
	json_object_set_new(n, "raw", pt_struct_raw_json(&smmu_ste_struct, ste));
	pt_struct_json_set(n, &smmu_ste_struct, ste);
	return n;
}

static void one_record(struct run *r, const struct pt_iommufd_rec *rec)
{
	struct pt_iommufd_verdict v;
	int validated = r->o->sub != SUB_DECODE;
	if (validated)
		pt_iommufd_check(&r->ctx, rec, &v, &r->diags);
	else
		pt_iommufd_verdict(&r->ctx, rec, &v);
	r->nrejected += validated && !v.accepted;
	if (!r->o->json && (r->o->sub != SUB_VALIDATE || !v.accepted || r->o->sub == SUB_NEST))
		pt_iommufd_print(stdout, rec, &v, validated, r->diags.color);
	json_t *nested = NULL;
	if (r->o->sub == SUB_NEST && v.accepted)
		nested = nest_one(r, rec);
	if (r->dump_open && v.accepted && rec->has_body)
		add_cd_table(r, rec);
	if (r->o->json) {
		json_t *j = pt_iommufd_json(rec, &v, validated);
		if (nested)
			json_object_set_new(j, "nested", nested);
		emit_json(r, j);
	}
}

static void read_records(struct run *r)
{
	uint64_t off = 0;
	while (off < r->len) {
		struct pt_iommufd_rec rec;
		if (r->nrecords == PT_IOMMUFD_MAX_RECORDS) {
			pt_diag_report(&r->diags, &pt_iommufd_rule_list[R_IOFD_TOO_MANY], 1, off,
				       PT_SCOPE_NONE, 0, NULL, "more than %u records",
				       PT_IOMMUFD_MAX_RECORDS);
			r->malformed = 1;
			break;
		}
		int bad = r->o->entry_len
			? pt_iommufd_next_cmd(&r->src, off, r->len, r->nrecords, r->o->entry_len,
					      &rec, &r->diags)
			: pt_iommufd_next(r->o->type, &r->src, off, r->len, r->nrecords, &rec,
					  &r->diags);
		if (bad) {
			r->malformed = 1;
			break;
		}
		r->nrecords++;
		one_record(r, &rec);
		off += rec.size;
	}
	if (r->o->type == PT_IOMMUFD_INVALIDATE && r->o->sub == SUB_VALIDATE)
		pt_iommufd_batch_report(&r->ctx, r->ctx.ncmds, &r->diags);
	if (r->dump_open)
		walk_cd_tables(r);
}

static json_t *source_json(const struct run *r)
{
	json_t *s = json_object();
	json_object_set_new(s, "path", json_string(r->o->hex ? "--hex" : r->o->file));
	json_object_set_new(s, "size", json_integer((json_int_t)r->len));
	json_object_set_new(s, "type", json_string(pt_iommufd_type_name(r->o->type)));
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

static uint64_t count(const struct run *r, enum pt_severity s)
{
	return r->diags.counts[s] + r->dump_diags.counts[s];
}

static json_t *batch_json(const struct run *r)
{
	struct pt_iommufd_batch b;
	pt_iommufd_batch(&r->ctx, r->ctx.ncmds, &b);
	json_t *j = json_object();
	json_object_set_new(j, "rejected", json_boolean(b.rejected));
	json_object_set_new(j, "errno", b.err ? json_string(b.err) : json_null());
	json_object_set_new(j, "entry_num", json_integer((json_int_t)b.entry_num));
	json_object_set_new(j, "issued", json_integer((json_int_t)b.issued));
	json_object_set_new(j, "dropped", json_integer((json_int_t)b.dropped));
	json_object_set_new(j, "not_reached", json_integer((json_int_t)b.not_reached));
	return j;
}

static void json_end(const struct run *r)
{
	int first = 1;
	fputs("]", stdout);
	if (r->o->type == PT_IOMMUFD_INVALIDATE && r->o->sub == SUB_VALIDATE) {
		fputs(",\"batch\":", stdout);
		json_t *b = batch_json(r);
		json_dumpf(b, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(b);
	}
	fputs(",\"diagnostics\":[", stdout);
	json_diags(&r->diags, &first, NULL);
	json_diags(&r->dump_diags, &first, r->o->ndumps ? r->dump_diags.input : NULL);
	json_t *s = json_object();
	json_object_set_new(s, "errors", json_integer((json_int_t)count(r, PT_SEV_ERROR)));
	json_object_set_new(s, "warnings", json_integer((json_int_t)count(r, PT_SEV_WARNING)));
	json_object_set_new(s, "notes", json_integer((json_int_t)count(r, PT_SEV_NOTE)));
	json_object_set_new(s, "records", json_integer((json_int_t)r->nrecords));
	if (r->o->sub != SUB_DECODE)
		json_object_set_new(s, "rejected", json_integer((json_int_t)r->nrejected));
	fputs("],\"summary\":", stdout);
	json_dumpf(s, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(s);
	fputs("}\n", stdout);
}

static void text_end(const struct run *r)
{
	/* A malformed input fails the run (exit 2): say why on stderr, as every
	 * other command does, whatever the subcommand. */
	FILE *out = r->o->sub == SUB_DECODE || r->malformed ? stderr : stdout;
	pt_diag_flush_text(&r->diags, out);
	pt_diag_flush_text(&r->dump_diags, out);
	if (r->o->quiet)
		return;
	fprintf(out, "%s: %llu %s record%s", r->o->hex ? "--hex" : r->o->file,
		(unsigned long long)r->nrecords, pt_iommufd_type_name(r->o->type),
		r->nrecords == 1 ? "" : "s");
	if (r->o->sub != SUB_DECODE)
		fprintf(out, ", %llu rejected by the kernel", (unsigned long long)r->nrejected);
	fputs("; ", out);
	pt_print_counts(out, count(r, PT_SEV_ERROR), count(r, PT_SEV_WARNING),
			count(r, PT_SEV_NOTE));
	fputc('\n', out);
}

static int setup(struct run *r)
{
	char err[256];
	pt_run_input(r->o->file);
	if (r->o->hw_info)
		pt_run_input(r->o->hw_info);
	for (size_t i = 0; i < r->o->ndumps; i++)
		pt_run_input(r->o->dumps[i]);
	int rc = open_input(r);
	if (rc == 0)
		rc = load_caps(r);
	if (rc == 0 && r->o->ndumps)
		rc = open_dump(r);
	if (rc == 0 && r->o->out) {
		char perr[PATH_MAX + 128];
		if (pt_run_output(r->o->out, perr, sizeof perr) != 0)
			return pt_cli_usage_error("%s: %s", r->o->out, perr);
		if (pt_output_open(&r->out, r->o->out, err, sizeof err) != 0)
			return pt_cli_usage_error("%s: %s", r->o->out, err);
		r->out_open = 1;
	}
	return rc;
}

static int finish_output(struct run *r)
{
	char err[256];
	if (!r->out_open)
		return 0;
	r->out_open = 0;
	if (r->malformed) {
		pt_output_abort(&r->out);
		return 0;
	}
	if (pt_output_commit(&r->out, err, sizeof err) != 0)
		return pt_cli_usage_error("%s: %s", r->o->out, err);
	return 0;
}

static int exit_status(const struct run *r)
{
	if (r->malformed)
		return PT_EXIT_USAGE;
	if (r->o->sub == SUB_DECODE)
		return PT_EXIT_OK;
	/* validate: 1 when the kernel rejects a record; nest also when the
	 * nested STE or the dump's CD table has errors. */
	if (r->nrejected || (r->o->sub == SUB_NEST && count(r, PT_SEV_ERROR)) ||
	    r->dump_diags.counts[PT_SEV_ERROR])
		return PT_EXIT_FINDINGS;
	return PT_EXIT_OK;
}

static void run_free(struct run *r)
{
	if (r->out_open)
		pt_output_abort(&r->out);
	smmu_caps_free(r->caps);
	if (r->dump_open)
		pt_source_free(&r->dump);
	pt_tset_free(&r->cds);
	pt_source_free(&r->src);
	pt_diag_free(&r->diags);
	pt_diag_free(&r->dump_diags);
}

static int inspect(struct iofd_opts *o)
{
	static struct run r;  /* large (walk memo); one per process */
	memset(&r, 0, sizeof r);
	r.o = o;
	r.first_item = 1;
	pt_tset_init(&r.cds, "vste");
	pt_diag_init(&r.diags, o->hex ? "--hex" : o->file, NULL);
	pt_diag_init(&r.dump_diags, dump_name(o, r.dump_name, sizeof r.dump_name), NULL);
	r.diags.fold = r.dump_diags.fold = !pt_cli.all_findings;
	r.diags.color = r.dump_diags.color = o->json ? 0 : pt_cli.color;
	int rc = setup(&r);
	if (rc == 0) {
		if (o->json) {
			fputs("{\"schema\":\"pasidtool.iommufd/1\",\"source\":", stdout);
			json_t *s = source_json(&r);
			json_dumpf(s, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
			json_decref(s);
			fputs(",\"records\":[", stdout);
		}
		read_records(&r);
		if (o->json) {
			if (r.malformed) {
				pt_diag_flush_text(&r.diags, stderr);
				pt_diag_flush_text(&r.dump_diags, stderr);
			}
			json_end(&r);
		} else
			text_end(&r);
		rc = finish_output(&r);
		if (rc == 0)
			rc = exit_status(&r);
	} else {
		pt_diag_flush_text(&r.diags, stderr);
		pt_diag_flush_text(&r.dump_diags, stderr);
	}
	run_free(&r);
	return rc;
}

/* ---- build ---- */

static json_t *load_spec(const char *path)
{
	json_error_t je;
	json_t *j = strcmp(path, "-") == 0 ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &je)
					   : json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		fprintf(stderr, "%s:%d:%d: error: %s\n", path, je.line, je.column, je.text);
	return j;
}

/* {"records": [...]} (what decode --json prints) or one record object. */
static json_t *spec_records(json_t *spec)
{
	json_t *recs = json_object_get(spec, "records");
	if (json_is_array(recs))
		return json_incref(recs);
	if (json_is_object(spec) && !json_object_get(spec, "schema")) {
		json_t *a = json_array();
		json_array_append(a, spec);
		return a;
	}
	return NULL;
}

static int build_all(const struct iofd_opts *o, const json_t *recs, struct pt_output *a)
{
	uint8_t buf[PT_IOMMUFD_VEVENT_HDR_SIZE + PT_IOMMUFD_MAX_RECORD];
	char err[256];
	size_t i, total = 0;
	const json_t *rec;
	json_array_foreach(recs, i, rec) {
		size_t n;
		if (pt_iommufd_build(o->type, rec, buf, sizeof buf, &n, err, sizeof err) != 0) {
			fprintf(stderr, "%s: error: records[%zu]: %s\n", o->file, i, err);
			return -1;
		}
		if ((total += n) > SPEC_MAX_BYTES || pt_output_write(a, buf, n, err, sizeof err) != 0) {
			fprintf(stderr, "%s: error: %s\n", o->out,
				total > SPEC_MAX_BYTES ? "too large" : err);
			return -1;
		}
	}
	return 0;
}

/* The spec, the records file it was decoded from and the output must be
 * different files; checked before anything is written. */
static int claim_files(const struct iofd_opts *o, const char *src, char *err, size_t errlen)
{
	pt_run_input(o->file);
	pt_run_input_near(src, o->file);
	return pt_run_output(o->out, err, errlen);
}

static int build(struct iofd_opts *o)
{
	char err[256];
	struct pt_output a;
	char perr[PATH_MAX + 128];
	json_t *spec = load_spec(o->file);
	json_t *recs = spec ? spec_records(spec) : NULL;
	const char *src = json_string_value(json_object_get(json_object_get(spec, "source"), "path"));
	int rc = PT_EXIT_USAGE;
	if (spec && !recs)
		pt_cli_usage_error("%s: expected {\"records\": [...]} or one record object", o->file);
	else if (recs && claim_files(o, src, perr, sizeof perr) != 0)
		pt_cli_usage_error("%s: %s", o->out, perr);
	else if (recs && pt_output_open(&a, o->out, err, sizeof err) != 0)
		pt_cli_usage_error("%s: %s", o->out, err);
	else if (recs && build_all(o, recs, &a) != 0)
		pt_output_abort(&a);
	else if (recs && pt_output_commit(&a, err, sizeof err) != 0)
		pt_cli_usage_error("%s: %s", o->out, err);
	else if (recs)
		rc = PT_EXIT_OK;
	json_decref(recs);
	json_decref(spec);
	return rc;
}

int cmd_iommufd(int argc, char **argv)
{
	struct iofd_opts o;
	memset(&o, 0, sizeof o);
	int rc = pt_cli_parse(&cli, argc, argv, &o);
	if (rc)
		return rc;
	o.json = pt_cli.json;
	o.quiet = pt_cli.quiet;
	return o.sub == SUB_BUILD ? build(&o) : inspect(&o);
}

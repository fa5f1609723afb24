#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "build.h"
#include "build_requests.h"
#include "cli.h"
#include "emit.h"
#include "image.h"
#include "smmuv3.h"

/* A spec holds at most a full table per entry plus JSON overhead. */
#define SPEC_MAX_BYTES (UINT64_C(1) << 30)

static const char doc[] =
	"Build table images from a JSON description: what 'decode --json' prints "
	"(decode -> build gives back every byte), or a short hand-written form:\n"
	"  {\"tables\": [{\"layout\": \"2lvl-4k\", \"base\": \"0x80000000\", \"ssid_bits\": 8,\n"
	"    \"entries\": [{\"ssid\": 1, \"fields\": {\"asid\": 1, \"ttb0\": \"0x81000000\"}}]}]}\n"
	"Omitted CD fields take what Linux writes (V=1, T0SZ=16, TG0=4k, IR0=OR0=wbwa, "
	"SH0=ish, EPD1=1, IPS=48bit, AA64=1, R=1, A=1, ASET=1, MAIR0=0xf404ff44); omitted "
	"\"l1\" descriptors are created with leaves placed after the tables. A stream table "
	"(\"format\": \"smmuv3-strtab\") lists \"stes\" by \"sid\"; \"strtab_base_cfg\" may give its "
	"layout and size, and an STE may hold its CD table inline as \"cd_table\" "
	"(docs/json-strtab.md).\v"
	"Examples:\n"
	"  pasidtool build spec.json -o cd.bin\n"
	"  pasidtool decode cd.bin --base 0x80000000 --ssid-bits 8 --json > d.json && "
	"pasidtool build d.json -o again.bin\n"
	"  pasidtool build spec.json --elf -o tables.elf\n"
	"  pasidtool build testdata/strtab/two-level.json --elf -o smmu.elf && pasidtool decode "
	"smmu.elf --strtab 0x80000000 --strtab-cfg 0x10210\n";

struct build_opts {
	const char *spec;
	const char *out;
	int elf;
	struct pt_req_opts req;
};

enum { OPT_ELF = 0x100, OPT_ATTACH_OUT, OPT_INVAL_OUT, OPT_DOMAIN, OPT_ENDPOINT, OPT_VARIANT };

static const struct argp_option options[] = {
	{ "output", 'o', "IMAGE", 0, "output image (required; never the input)", 0 },
	{ "elf", OPT_ELF, NULL, 0, "write an ELF core with the tables at their addresses", 0 },
	{ NULL, 0, NULL, 0, "virtio-iommu requests for the built CD tables:", 1 },
	{ "attach-out", OPT_ATTACH_OUT, "REQ.bin", 0,
	  "write one ATTACH_TABLE per CD table (endpoint = the STE's StreamID)", 1 },
	{ "emit-invalidations", OPT_INVAL_OUT, "INV.bin", 0,
	  "write the INVALIDATE requests a guest sends after writing those CDs", 1 },
	{ "domain", OPT_DOMAIN, "N", 0, "domain of the requests (default 1)", 1 },
	{ "endpoint", OPT_ENDPOINT, "N", 0, "endpoint of a CD table without an STE (default 0)", 1 },
	{ "variant", OPT_VARIANT, "NAME", 0, "request layout: rfc1 (default), v09d, v07, intel, qcom",
	  1 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static uint32_t u32_arg(struct argp_state *st, const char *opt, const char *arg)
{
	uint64_t v;
	if (pt_parse_u64(arg, &v) != 0 || v > UINT32_MAX)
		argp_error(st, "%s: '%s' is not a 32-bit number", opt, arg);
	return (uint32_t)v;
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct build_opts *o = st->input;
	switch (key) {
	case 'o': o->out = arg; break;
	case OPT_ELF: o->elf = 1; break;
	case OPT_ATTACH_OUT: o->req.attach_out = arg; break;
	case OPT_INVAL_OUT: o->req.inval_out = arg; break;
	case OPT_DOMAIN: o->req.domain = u32_arg(st, "--domain", arg); break;
	case OPT_ENDPOINT: o->req.endpoint = u32_arg(st, "--endpoint", arg); break;
	case OPT_VARIANT: o->req.variant = arg; break;
	case ARGP_KEY_ARG:
		if (o->spec)
			argp_error(st, "one SPEC.json at a time");
		o->spec = arg;
		break;
	case ARGP_KEY_END:
		if (!o->spec)
			argp_error(st, "no SPEC.json given");
		if (!o->out)
			argp_error(st, "no output given: use -o IMAGE");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { options, parse_opt, "SPEC.json", doc, NULL, NULL, NULL };

static json_t *load_spec(const char *path)
{
	struct stat st;
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && (uint64_t)st.st_size > SPEC_MAX_BYTES) {
		fprintf(stderr, "%s: error: larger than %llu bytes\n", path,
			(unsigned long long)SPEC_MAX_BYTES);
		return NULL;
	}
	json_error_t je;
	json_t *j = strcmp(path, "-") == 0 ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &je)
					   : json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		fprintf(stderr, "%s:%d:%d: error: %s\n", path, je.line, je.column, je.text);
	else if (!json_is_object(j)) {
		fprintf(stderr, "%s: error: the spec must be a JSON object\n", path);
		json_decref(j);
		j = NULL;
	}
	return j;
}

/* Refuse to write over the spec or over the image it was decoded from. */
static int output_is_input(const struct build_opts *o, const json_t *spec)
{
	if (pt_same_file(o->out, o->spec))
		return 1;
	const json_t *inputs = json_object_get(json_object_get(spec, "source"), "inputs");
	size_t i;
	const json_t *in;
	json_array_foreach(inputs, i, in)
		if (json_is_string(in) && pt_same_file(o->out, json_string_value(in)))
			return 1;
	return 0;
}

/* A stream table may be described by its register, as decode prints it:
 * "strtab_base_cfg" gives the layout, SID bits and leaf bits not written. */
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

/* A hand-written STE may hold its CD table ("cd_table": a table object):
 * S1ContextPtr, S1Fmt and S1CDMax come from it unless given, and the table
 * joins the list built after the stream table. */
static int inline_cd_table(json_t *ste, json_t *later, char *err, size_t errlen)
{
	json_t *cd = json_object_get(ste, "cd_table");
	if (!cd)
		return 0;
	struct pt_table_cfg cfg;
	if (!json_is_object(cd) || pt_build_table_cfg(cd, &cfg, err, errlen) != 0 ||
	    cfg.fmt != &smmu_cd_format) {
		if (json_is_object(cd) && cfg.fmt && cfg.fmt != &smmu_cd_format)
			snprintf(err, errlen, "\"cd_table\" must be an smmuv3-cd table");
		else if (!json_is_object(cd))
			snprintf(err, errlen, "\"cd_table\" must be a table object");
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
	/* The STE itself joins the list: its "sid" is the endpoint of the table. */
	json_array_append(later, ste);
	return 0;
}

static int expand_strtab(json_t *t, json_t *later, char *err, size_t errlen)
{
	const char *fname = json_string_value(json_object_get(t, "format"));
	if (!fname || strcmp(fname, smmu_strtab_format.name) != 0)
		return 0;
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

/* The CD tables built so far, for --attach-out and --emit-invalidations. */
struct built {
	struct pt_built_cd cds[PT_BUILD_MAX_ATTACH];
	size_t n;
};

static int build_one(struct pt_image *img, const json_t *t, const char *what, size_t i,
		     struct built *out, const json_t *sid, char *err, size_t errlen)
{
	struct pt_table_cfg cfg;
	char why[400];
	if (pt_build_table_cfg(t, &cfg, why, sizeof why) != 0 ||
	    pt_build_table(img, &cfg, t, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s[%zu]: %.400s", what, i, why);
		return -1;
	}
	if (cfg.fmt == &smmu_cd_format && out->n < PT_BUILD_MAX_ATTACH) {
		struct pt_built_cd *cd = &out->cds[out->n++];
		uint64_t v = 0;
		cd->cfg = cfg;
		cd->table = t;
		cd->has_sid = sid && pt_json_u64(sid, &v) == 0 && v <= UINT32_MAX;
		cd->sid = (uint32_t)v;
	}
	return 0;
}

static int build_tables(struct pt_image *img, json_t *spec, struct built *out, char *err,
			size_t errlen)
{
	json_t *tables = json_object_get(spec, "tables");
	if (!json_is_array(tables) || json_array_size(tables) == 0) {
		snprintf(err, errlen, "\"tables\" must be a non-empty array");
		return -1;
	}
	json_t *later = json_array();
	int rc = 0;
	size_t i;
	json_t *t;
	json_array_foreach(tables, i, t) {
		char why[200];
		if (!json_is_object(t) || expand_strtab(t, later, why, sizeof why) != 0) {
			snprintf(err, errlen, "tables[%zu]: %s", i,
				 json_is_object(t) ? why : "not an object");
			rc = -1;
			break;
		}
		if ((rc = build_one(img, t, "tables", i, out, NULL, err, errlen)) != 0)
			break;
	}
	json_array_foreach(later, i, t)
		if (rc == 0 && (rc = build_one(img, json_object_get(t, "cd_table"), "cd_table", i,
					       out, json_object_get(t, "sid"), err, errlen)) != 0)
			break;
	json_decref(later);
	return rc;
}

/* The raw image's extent: the decoded source's, the hand form's "image", or
 * just what the tables cover. */
static int raw_extent(const json_t *spec, const struct pt_image *img, uint64_t *base,
		      uint64_t *size)
{
	uint64_t lo, end;
	pt_image_extent(img, &lo, &end);
	*base = lo;
	*size = end - lo;
	const json_t *ext = json_object_get(spec, "image");
	if (!ext)
		ext = json_object_get(spec, "source");
	if (!ext)
		return 0;
	uint64_t b = lo, s = 0;
	const json_t *jb = json_object_get(ext, "base"), *js = json_object_get(ext, "size");
	if ((jb && pt_json_u64(jb, &b) != 0) || (js && pt_json_u64(js, &s) != 0))
		return -1;
	*base = b;
	*size = js ? s : end - b;
	return 0;
}

int cmd_build(int argc, char **argv)
{
	struct build_opts o;
	memset(&o, 0, sizeof o);
	if (argp_parse(&argp, argc, argv, 0, NULL, &o) != 0)
		return PT_EXIT_USAGE;
	json_t *spec = load_spec(o.spec);
	if (!spec)
		return PT_EXIT_USAGE;
	int rc = PT_EXIT_OK;
	char err[512];
	struct pt_image img;
	pt_image_init(&img);
	uint64_t base, size;
	struct built *built = calloc(1, sizeof *built);
	if (!built) {
		json_decref(spec);
		return PT_EXIT_INTERNAL;
	}
	if (o.req.domain == 0)
		o.req.domain = 1;
	if (output_is_input(&o, spec)) {
		rc = pt_cli_usage_error("%s: refusing to overwrite the input", o.out);
	} else if (build_tables(&img, spec, built, err, sizeof err) != 0) {
		fprintf(stderr, "%s: error: %s\n", o.spec, err);
		rc = PT_EXIT_USAGE;
	} else if (o.elf) {
		if (pt_image_write_elf(&img, o.out, err, sizeof err) != 0)
			rc = pt_cli_usage_error("%s: %s", o.out, err);
	} else if (raw_extent(spec, &img, &base, &size) != 0) {
		rc = pt_cli_usage_error("%s: \"image\"/\"source\" base or size is not a number",
					o.spec);
	} else if (pt_image_write_raw(&img, o.out, base, size, err, sizeof err) != 0) {
		rc = pt_cli_usage_error("%s: %s", o.out, err);
	}
	if (rc == PT_EXIT_OK && pt_write_requests(&o.req, built->cds, built->n, err, sizeof err) != 0)
		rc = pt_cli_usage_error("%s", err);
	free(built);
	pt_image_free(&img);
	json_decref(spec);
	return rc;
}

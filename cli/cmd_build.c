/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <argp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build_check.h"
#include "build_spec.h"
#include "build_stream.h"
#include "build_requests.h"
#include "cli.h"
#include "emit.h"
#include "image.h"
#include "load_json.h"
#include "output.h"
#include "smmuv3.h"

/* Entries are read one at a time; what is held whole (a table whose
 * entries come before its settings, "page_tables") is capped here. */
#define SPEC_MAX_VALUE ((size_t)1 << 30)

static const char doc[] =
	"Build table images from a JSON description: what 'decode --json' prints "
	"(decode -> build gives back every byte), or a short hand-written form:\n"
	"  {\"tables\": [{\"layout\": \"2lvl-4k\", \"base\": \"0x80000000\", \"ssid_bits\": 8,\n"
	"    \"entries\": [{\"ssid\": 1, \"fields\": {\"asid\": 1, \"ttb0\": \"0x81000000\"}}]}]}\n"
	"Omitted CD fields take what Linux writes (V=1, T0SZ=16, TG0=4k, IR0=OR0=wbwa, "
	"SH0=ish, EPD1=1, IPS=48bit, AA64=1, R=1, A=1, ASET=1, MAIR0=0xf404ff44, "
	"MAIR1=0xffffffff); omitted "
	"\"l1\" descriptors are created with leaves placed after the tables. A stream table "
	"(\"format\": \"smmuv3-strtab\") lists \"stes\" by \"sid\"; \"strtab_base_cfg\" may give its "
	"layout and size, and an STE may hold its CD table inline as \"cd_table\" "
	"(docs/json-strtab.md).";

static const char *const examples[] = {
	"pasidtool build spec.json -o cd.bin",
	"pasidtool decode cd.bin --base 0x80000000 --ssid-bits 8 --json > d.json && "
	"pasidtool build d.json -o again.bin",
	"pasidtool build spec.json --elf -o tables.elf",
	"pasidtool build testdata/strtab/two-level.json --elf -o smmu.elf && "
	"pasidtool decode smmu.elf --strtab 0x80000000 --strtab-cfg 0x10210",
	NULL,
};

struct build_opts {
	const char *spec;
	const char *out;
	int elf;
	int no_check;
	struct pt_req_opts req;
};

enum { OPT_ELF = 0x100, OPT_NO_CHECK, OPT_ATTACH_OUT, OPT_INVAL_OUT, OPT_DOMAIN, OPT_ENDPOINT, OPT_VARIANT };

static const struct argp_option options[] = {
	{ "output", 'o', "IMAGE", 0, "output image (required; never the input)", 0 },
	{ "elf", OPT_ELF, NULL, 0, "write an ELF core with the tables at their addresses", 0 },
	{ "no-check", OPT_NO_CHECK, NULL, 0,
	  "do not validate what was written (findings are warnings, never errors)", 0 },
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
		pt_cli_opt_error(st, "%s: '%s' is not a 32-bit number", opt, arg);
	return (uint32_t)v;
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct build_opts *o = st->input;
	switch (key) {
	case 'o': o->out = arg; break;
	case OPT_ELF: o->elf = 1; break;
	case OPT_NO_CHECK: o->no_check = 1; break;
	case OPT_ATTACH_OUT: o->req.attach_out = arg; break;
	case OPT_INVAL_OUT: o->req.inval_out = arg; break;
	case OPT_DOMAIN: o->req.domain = u32_arg(st, "--domain", arg); break;
	case OPT_ENDPOINT: o->req.endpoint = u32_arg(st, "--endpoint", arg); break;
	case OPT_VARIANT: o->req.variant = arg; break;
	case ARGP_KEY_ARG:
		if (o->spec)
			pt_cli_opt_error(st, "one SPEC.json at a time");
		o->spec = arg;
		break;
	case ARGP_KEY_END:
		if (!o->spec)
			pt_cli_opt_error(st, "no SPEC.json given");
		if (!o->out)
			pt_cli_opt_error(st, "no output given: use -o IMAGE");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { options, parse_opt, "SPEC.json", doc, NULL, NULL, NULL };
static const struct pt_cli_cmd cli = { "build", &argp, PT_CLI_QUIET | PT_CLI_COLOR, examples };

/* Read and build the spec an entry at a time (core/build_stream.c); *spec
 * gets what it holds besides the entries. 0 or an exit status. */
static int build_spec(const struct build_opts *o, struct pt_image *img,
		      struct pt_built_table *built, size_t *nbuilt, json_t **spec)
{
	FILE *f = pt_cli_open_json(o->spec);
	if (!f)
		return PT_EXIT_USAGE;
	struct pt_jstream s;
	char err[512];
	pt_js_init(&s, f, SPEC_MAX_VALUE);
	int rc = pt_build_spec_stream(&s, img, NULL, o->req.inval_out != NULL, built,
				      PT_BUILD_MAX_TABLES, nbuilt, spec, err, sizeof err);
	if (rc == PT_BS_JSON)
		pt_cli_json_error(o->spec, &s);
	else if (rc == PT_BS_NOT_OBJECT)
		fprintf(stderr, "%s: error: the spec must be a JSON object\n", o->spec);
	else if (rc != PT_BS_OK)
		fprintf(stderr, "%s: error: %s\n", o->spec, err);
	pt_js_free(&s);
	pt_cli_close_json(o->spec, f);
	return rc == PT_BS_OK ? 0 : PT_EXIT_USAGE;
}

/* Every file this run reads and writes, checked before anything is written:
 * no output may be the spec, an image the spec was decoded from, or another
 * output. */
static int claim_files(const struct build_opts *o, const json_t *spec)
{
	pt_run_input(o->spec);
	const json_t *inputs = json_object_get(json_object_get(spec, "source"), "inputs");
	size_t i;
	const json_t *in;
	json_array_foreach(inputs, i, in)
		pt_run_input_near(json_string_value(in), o->spec);
	const char *outs[] = { o->out, o->req.attach_out, o->req.inval_out };
	char err[PATH_MAX + 128];
	for (i = 0; i < sizeof outs / sizeof outs[0]; i++)
		if (outs[i] && pt_run_output(outs[i], err, sizeof err) != 0)
			return pt_cli_usage_error("%s: %s", outs[i], err);
	return 0;
}

/* The smmuv3-cd tables among those built: what the requests describe. */
static size_t cd_tables(const struct pt_built_table *all, size_t n, struct pt_built_table *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (all[i].cfg.fmt == &smmu_cd_format)
			out[k++] = all[i];
	return k;
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

/* Bytes in a human unit, rounded down: "388 MiB". */
static void human(char *buf, size_t len, uint64_t n)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	unsigned u = 0;
	while (n >= 10240 && u + 1 < sizeof unit / sizeof unit[0]) {
		n >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)n, unit[u]);
}

/* A raw image of a dump is mostly zero: say how little reached the disk
 * (small images keep quiet: a few holes there are no news). */
#define REPORT_HOLES_FROM (UINT64_C(1) << 20)
static void report_holes(const char *path, uint64_t size, uint64_t data)
{
	if (size - data < REPORT_HOLES_FROM)
		return;
	char a[32], b[32];
	human(a, sizeof a, size);
	human(b, sizeof b, data);
	fprintf(stderr, "pasidtool: wrote %s: %s, of which %s data and the rest holes\n", path,
		a, b);
}

/* The check reads the file written, a page at a time, when there is one;
 * stdout or a device is checked from the image held (its pages come back
 * from the scratch file as the walk reads them). */
static long check(const struct build_opts *o, const struct pt_image *img,
		  const struct pt_built_table *built, size_t nbuilt, uint64_t base)
{
	struct stat st;
	int color = pt_cli_color_for(pt_cli.color_when, stderr) == 1;
	if (strcmp(o->out, "-") != 0 && stat(o->out, &st) == 0 && S_ISREG(st.st_mode))
		return pt_build_check_file(o->out, o->elf ? 0 : base, built, nbuilt, color);
	return pt_build_check(img, built, nbuilt, o->out, color);
}

int cmd_build(int argc, char **argv)
{
	struct build_opts o;
	memset(&o, 0, sizeof o);
	int prc = pt_cli_parse(&cli, argc, argv, &o);
	if (prc)
		return prc;
	int rc = PT_EXIT_OK;
	char err[512];
	struct pt_image img;
	pt_image_init(&img);
	/* Without a scratch file the image is built in memory, as before. */
	pt_image_use_file(&img, err, sizeof err);
	uint64_t base = 0, size = 0, data = 0;
	struct pt_built_table *built = calloc(PT_BUILD_MAX_TABLES, sizeof *built);
	struct pt_built_table *cds = calloc(PT_BUILD_MAX_TABLES, sizeof *cds);
	size_t nbuilt = 0;
	json_t *spec = NULL;
	if (!built || !cds) {
		free(built);
		free(cds);
		return PT_EXIT_INTERNAL;
	}
	if (o.req.domain == 0)
		o.req.domain = 1;
	/* The image is built in memory, so the outputs are claimed once the
	 * spec (and the inputs it names) has been read, before any is written. */
	if ((rc = build_spec(&o, &img, built, &nbuilt, &spec)) != 0) {
		/* said */
	} else if (claim_files(&o, spec) != 0) {
		rc = PT_EXIT_USAGE;
	} else if (o.elf) {
		if (pt_image_write_elf(&img, o.out, err, sizeof err) != 0)
			rc = pt_cli_usage_error("%s: %s", o.out, err);
	} else if (raw_extent(spec, &img, &base, &size) != 0) {
		rc = pt_cli_usage_error("%s: \"image\"/\"source\" base or size is not a number",
					o.spec);
	} else if (pt_image_write_raw(&img, o.out, base, size, &data, err, sizeof err) != 0) {
		rc = pt_cli_usage_error("%s: %s", o.out, err);
	} else {
		report_holes(o.out, size, data);
	}
	if (rc == PT_EXIT_OK && !o.no_check && check(&o, &img, built, nbuilt, base) < 0)
		rc = pt_cli_usage_error("%s: cannot read back what was built", o.out);
	size_t ncds = rc == PT_EXIT_OK ? cd_tables(built, nbuilt, cds) : 0;
	if (rc == PT_EXIT_OK && o.req.attach_out)
		pt_build_choose_s1dss(&img, cds, ncds, o.out, pt_cli.quiet);
	if (rc == PT_EXIT_OK && pt_write_requests(&o.req, cds, ncds, err, sizeof err) != 0)
		rc = pt_cli_usage_error("%s", err);
	pt_built_free(built, nbuilt);
	free(built);
	free(cds);
	pt_image_free(&img);
	json_decref(spec);
	return rc;
}

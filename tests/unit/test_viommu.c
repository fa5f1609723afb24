/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtio-iommu requests: field tables cover every byte, golden layouts of
 * every request and variant (offsets from shared/spec/virtio-iommu.md),
 * every rule with a case that passes and one that fires, build -> decode ->
 * build round trips on random requests, hostile streams, and the mapping
 * between ATTACH_TABLE and the core table config. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "formats.h"
#include "smmuv3.h"
#include "viommu.h"

#define STREAM_MAX 8192

/* ---- helpers ---- */

static size_t build_json(const char *text, enum pt_viommu_variant v, uint8_t *out, size_t cap)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	if (!j)
		fail_msg("bad test JSON: %s: %s", je.text, text);
	json_t *arr = json_is_array(j) ? j : NULL;
	size_t total = 0, i;
	json_t *req;
	char err[256];
	if (!arr) {
		arr = json_array();
		json_array_append(arr, j);
	}
	json_array_foreach(arr, i, req) {
		size_t n;
		if (pt_viommu_build(req, v, 0, 64, out + total, cap - total, &n, err, sizeof err) != 0)
			fail_msg("build failed: %s: %s", err, text);
		total += n;
	}
	if (arr != j)
		json_decref(arr);
	json_decref(j);
	return total;
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	for (; s[0] && s[1] && n < cap; s += 2) {
		unsigned b;
		sscanf(s, "%2x", &b);
		out[n++] = (uint8_t)b;
	}
	return n;
}

/* "JSON" or "JSON +hex:HEX" or "hex:HEX": a stream of requests. */
static size_t make_stream(const char *spec, enum pt_viommu_variant v, uint8_t *out)
{
	if (strncmp(spec, "hex:", 4) == 0)
		return unhex(spec + 4, out, STREAM_MAX);
	char json[4096];
	const char *plus = strstr(spec, " +hex:");
	size_t jl = plus ? (size_t)(plus - spec) : strlen(spec);
	assert_true(jl < sizeof json);
	memcpy(json, spec, jl);
	json[jl] = '\0';
	size_t n = build_json(json, v, out, STREAM_MAX);
	if (plus)
		n += unhex(plus + 6, out + n, STREAM_MAX - n);
	return n;
}

/* What `attach validate` does to a stream: variant guess, framing, rules. */
static void validate(const uint8_t *buf, size_t len, enum pt_viommu_variant v, const char *caps_spec,
		     struct pt_diag_sink *diags)
{
	struct pt_viommu_ctx ctx = { v, 64, 1 };
	struct pt_viommu_caps caps;
	struct pt_viommu_state state;
	char err[128];
	memset(&state, 0, sizeof state);
	pt_viommu_caps_default(&caps);
	if (caps_spec)
		assert_int_equal(pt_viommu_caps_parse(caps_spec, &caps, err, sizeof err), 0);
	pt_diag_init(diags, "t", NULL);
	diags->fold = 0;
	if (pt_viommu_guess_variant(&ctx, buf, len))
		pt_diag_report(diags, &pt_viommu_rule_list[PT_R_VIOMMU_VARIANT], 0, 0, PT_SCOPE_NONE,
			       0, NULL, "variant");
	for (size_t off = 0, n = 0; off < len && n < 1000; n++) {
		struct pt_viommu_req req;
		if (pt_viommu_next(&ctx, buf + off, len - off, off, &req, diags) != 0)
			break;
		pt_viommu_check(&ctx, &req, &caps, &state, diags);
		off += req.size;
	}
}

static unsigned hits(const struct pt_diag_sink *d, const char *rule)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < d->nitems; i++)
		n += strcmp(d->items[i].rule->id, rule) == 0;
	return n;
}

static uint64_t le_at(const uint8_t *p, unsigned width)
{
	uint64_t v = 0;
	for (unsigned i = width; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

/* ---- every table covers its structure exactly ---- */

static void tables_cover_every_bit(void **state)
{
	(void)state;
	for (size_t s = 0; s < pt_viommu_nstructs; s++) {
		const struct pt_struct *st = pt_viommu_structs[s];
		uint8_t seen[1024] = { 0 };
		assert_true(st->size * 8 <= sizeof seen);
		for (size_t i = 0; i < st->nfields; i++) {
			const struct pt_field *f = &st->fields[i];
			unsigned lo = f->word * 64u + f->lsb;
			assert_true(f->width >= 1 && f->width <= 64);
			if (lo + f->width > st->size * 8)
				fail_msg("%s.%s runs past %u bytes", st->name, f->name, st->size);
			for (unsigned b = lo; b < lo + f->width; b++) {
				if (seen[b])
					fail_msg("%s.%s overlaps bit %u", st->name, f->name, b);
				seen[b] = 1;
			}
			for (size_t j = 0; j < i; j++)
				if (strcmp(st->fields[j].name, f->name) == 0)
					fail_msg("%s: field %s twice", st->name, f->name);
		}
		for (unsigned b = 0; b < st->size * 8; b++)
			if (!seen[b])
				fail_msg("%s: bit %u (byte %u) not described", st->name, b, b / 8);
	}
}

/* ---- golden layouts ---- */

struct at {
	unsigned off, width;
	uint64_t value;
};

struct golden {
	enum pt_viommu_variant v;
	const char *json;
	size_t size;
	const char *type, *view;
	struct at bytes[10];
};

#define PST "\"s1contextptr\":\"0x80000000\",\"s1cdmax\":8,\"s1fmt\":\"2lvl-64k\""
static const struct golden goldens[] = {
	{ PT_VV_RFC1, "{\"type\":\"attach_table\",\"domain\":1,\"endpoint\":8," PST "}", 80,
	  "attach_table", "pst_arm",
	  { { 0, 1, 6 }, { 4, 4, 1 }, { 8, 4, 8 }, { 12, 2, 2 }, { 14, 1, 2 }, { 15, 1, 2 },
	    { 16, 8, 0x80000000 }, { 24, 4, 8 }, { 76, 4, 0 } } },
	{ PT_VV_V09D, "{\"type\":\"attach_table\",\"domain\":1,\"endpoint\":8," PST "}", 80,
	  "attach_table", "pst_arm",
	  { { 0, 1, 6 }, { 12, 2, 2 }, { 14, 1, 2 }, { 16, 8, 0x80000000 }, { 24, 4, 8 } } },
	{ PT_VV_INTEL, "{\"type\":\"attach_table\",\"domain\":1,\"endpoint\":8," PST "}", 88,
	  "attach_table", "pst_arm",
	  { { 0, 1, 6 }, { 4, 4, 1 }, { 8, 4, 8 }, { 12, 4, 0 }, { 16, 2, 2 }, { 18, 1, 2 },
	    { 19, 1, 2 }, { 20, 4, 8 }, { 24, 8, 0x80000000 }, { 84, 4, 0 } } },
	{ PT_VV_QCOM, "{\"type\":\"attach_table\",\"domain\":1,\"endpoint\":8," PST "}", 128,
	  "attach_table", "ste_arm",
	  { { 12, 1, 1 }, { 16, 8, 1 | 5 << 1 | 2 << 4 | 0x80000000 | (UINT64_C(8) << 59) },
	    { 24, 8, 2 }, { 124, 4, 0 } } },
	{ PT_VV_V07, "{\"type\":\"attach_table\",\"domain\":1,\"endpoint\":8,\"base\":\"0x80000000\","
		     "\"size\":8,\"s1fmt\":2}", 84, "attach_table", "pst_arm",
	  { { 12, 4, 1 }, { 16, 8, 0x80000000 }, { 24, 4, 8 }, { 28, 1, 1 }, { 32, 1, 2 },
	    { 33, 1, 2 }, { 80, 4, 0 } } },
	{ PT_VV_V07, "{\"type\":\"attach_table\",\"view\":\"pgt_arm\",\"base\":\"0x81000000\","
		     "\"tcr\":\"0x1122334455667788\",\"ttbr1\":\"0x82000000\",\"mair\":\"0x44\",\"asid\":7}",
	  84, "attach_table", "pgt_arm",
	  { { 12, 4, 2 }, { 16, 8, 0x81000000 }, { 24, 1, 1 }, { 28, 8, 0x1122334455667788 },
	    { 36, 8, 0x82000000 }, { 44, 8, 0x44 }, { 52, 2, 7 } } },
	{ PT_VV_RFC1, "{\"type\":\"attach_table\",\"format\":\"arm_lpae\",\"asid\":3,\"tcr\":\"0x3510\","
		      "\"ttbr\":\"0x81000000\",\"mair\":\"0xf404ff44\"}", 80, "attach_table", "pgt_arm",
	  { { 12, 2, 1 }, { 14, 2, 3 }, { 16, 8, 0x3510 }, { 24, 8, 0x81000000 }, { 32, 8, 0xf404ff44 } } },
	{ PT_VV_V09D, "{\"type\":\"attach_table\",\"format\":1,\"asid\":3,\"tcr\":\"0x3510\","
		      "\"ttbr0\":\"0x81000000\",\"ttbr1\":\"0x82000000\",\"mair\":\"0xf404ff44\"}", 80,
	  "attach_table", "pgt_arm",
	  { { 12, 2, 1 }, { 24, 8, 0x81000000 }, { 32, 8, 0x82000000 }, { 40, 8, 0xf404ff44 } } },
	{ PT_VV_INTEL, "{\"type\":\"attach_table\",\"format\":\"vtd\",\"pasid\":5,\"pgd\":\"0x9000\","
		       "\"fl_flags\":3,\"addr_width\":48}", 88, "attach_table", "pgt_vtd",
	  { { 16, 2, 4 }, { 20, 4, 5 }, { 24, 8, 0x9000 }, { 32, 8, 3 }, { 40, 4, 48 } } },
	{ PT_VV_INTEL, "{\"type\":\"attach_table\",\"format\":\"virt\",\"pgd\":\"0x9000\"}", 88,
	  "attach_table", "pgt_virt", { { 16, 2, 3 }, { 24, 8, 0x9000 } } },
	{ PT_VV_RFC1, "{\"type\":\"invalidate\",\"domain\":1,\"pasid\":3,\"archid\":9,\"f_archid\":1,"
		      "\"virt_start\":\"0x10000\",\"nr_pages\":2,\"granule\":12,\"t_iotlb\":1}", 64,
	  "invalidate", NULL,
	  { { 0, 1, 7 }, { 4, 2, 2 }, { 6, 2, 5 }, { 8, 2, 3 }, { 12, 4, 1 }, { 16, 4, 3 },
	    { 24, 8, 9 }, { 32, 8, 0x10000 }, { 40, 8, 2 }, { 48, 1, 12 } } },
	{ PT_VV_V09D, "{\"type\":\"invalidate\",\"domain\":1,\"pasid\":3,\"id\":9,"
		      "\"virt_start\":\"0x10000\",\"nr_pages\":2,\"granule\":12}", 64, "invalidate", NULL,
	  { { 4, 2, 2 }, { 6, 2, 1 }, { 8, 4, 1 }, { 12, 4, 3 }, { 16, 8, 9 }, { 24, 8, 0x10000 },
	    { 32, 8, 2 }, { 40, 1, 12 }, { 60, 4, 0 } } },
	{ PT_VV_QCOM, "{\"type\":\"invalidate\",\"domain\":1,\"pasid\":3,\"id\":9,\"scope\":\"address\","
		      "\"address\":\"0x10000\",\"nr_pages\":2,\"page_size\":12}", 64, "invalidate", NULL,
	  { { 4, 1, 3 }, { 5, 1, 1 }, { 6, 2, 2 }, { 8, 4, 1 }, { 12, 4, 3 }, { 16, 8, 9 },
	    { 24, 8, 0x10000 }, { 32, 8, 2 }, { 40, 1, 12 } } },
	{ PT_VV_V07, "{\"type\":\"invalidate\",\"domain\":1,\"pasid\":3,\"tag\":9,"
		     "\"virt_start\":\"0x10000\",\"nr_pages\":2,\"granule\":12}", 52, "invalidate", NULL,
	  { { 4, 4, 2 }, { 8, 4, 1 }, { 12, 4, 1 }, { 16, 4, 3 }, { 20, 8, 0x10000 }, { 28, 8, 2 },
	    { 36, 1, 12 }, { 40, 8, 9 }, { 48, 4, 0 } } },
	{ PT_VV_RFC1, "{\"type\":\"attach\",\"domain\":1,\"endpoint\":8,\"bypass\":1}", 24, "attach",
	  NULL, { { 0, 1, 1 }, { 4, 4, 1 }, { 8, 4, 8 }, { 12, 4, 1 }, { 20, 4, 0 } } },
	{ PT_VV_INTEL, "{\"type\":\"attach\",\"posted\":true}", 24, "attach", NULL, { { 12, 4, 2 } } },
	{ PT_VV_V07, "{\"type\":\"attach\",\"domain\":1,\"endpoint\":8}", 20, "attach", NULL,
	  { { 4, 4, 1 }, { 8, 4, 8 }, { 16, 4, 0 } } },
	{ PT_VV_RFC1, "{\"type\":\"detach\",\"domain\":1,\"endpoint\":8}", 24, "detach", NULL,
	  { { 0, 1, 2 }, { 4, 4, 1 }, { 8, 4, 8 } } },
	{ PT_VV_V09D, "{\"type\":\"detach\",\"endpoint\":8}", 16, "detach", NULL,
	  { { 0, 1, 2 }, { 4, 4, 8 }, { 12, 4, 0 } } },
	{ PT_VV_RFC1, "{\"type\":\"map\",\"domain\":1,\"virt_start\":\"0x1000\",\"virt_end\":\"0x1fff\","
		      "\"phys_start\":\"0x80000\",\"read\":1,\"mmio\":1}", 40, "map", NULL,
	  { { 8, 8, 0x1000 }, { 16, 8, 0x1fff }, { 24, 8, 0x80000 }, { 32, 4, 5 } } },
	{ PT_VV_V09D, "{\"type\":\"map\",\"mmio\":1,\"exec\":1}", 40, "map", NULL, { { 32, 4, 12 } } },
	{ PT_VV_QCOM, "{\"type\":\"unmap\",\"domain\":1,\"virt_start\":\"0x1000\",\"virt_end\":\"0x1fff\"}",
	  32, "unmap", NULL, { { 0, 1, 4 }, { 8, 8, 0x1000 }, { 16, 8, 0x1fff }, { 28, 4, 0 } } },
	{ PT_VV_RFC1, "{\"type\":\"page_resp\",\"domain\":1,\"endpoint\":8,\"f_pasid_valid\":1,"
		      "\"pasid\":3,\"grpid\":4,\"resp_code\":\"failure\"}", 40, "page_resp", NULL,
	  { { 0, 1, 8 }, { 12, 4, 1 }, { 16, 4, 3 }, { 20, 4, 4 }, { 24, 2, 2 }, { 36, 4, 0 } } },
	{ PT_VV_RFC1, "{\"type\":\"probe\",\"endpoint\":8,\"probe_size\":32,\"properties\":["
		      "{\"type\":\"pasid_size\",\"bits\":10},{\"type\":\"pasid_table_fmt\","
		      "\"format\":2,\"asid_bits\":16}]}", 108, "probe", NULL,
	  { { 0, 1, 5 }, { 4, 4, 8 }, { 72, 2, 5 }, { 74, 2, 4 }, { 76, 1, 10 }, { 80, 2, 7 },
	    { 82, 2, 12 }, { 84, 2, 2 }, { 86, 2, 16 }, { 104, 4, 0 } } },
	{ PT_VV_QCOM, "{\"type\":\"probe\",\"endpoint\":8,\"probe_size\":64,\"properties\":["
		      "{\"type\":\"hw_arm_smmu3\",\"idr0\":\"0x80000\",\"idr1\":\"0x280\",\"idr5\":5}]}",
	  140, "probe", NULL,
	  { { 72, 2, 2 }, { 74, 2, 52 }, { 80, 8, 0x80000 }, { 88, 8, 0x280 }, { 120, 8, 5 } } },
};
#define NGOLDEN (sizeof goldens / sizeof goldens[0])

static void golden_one(void **state)
{
	const struct golden *g = *state;
	uint8_t buf[STREAM_MAX] = { 0 };
	size_t n = make_stream(g->json, g->v, buf);
	assert_int_equal(n, g->size);
	for (unsigned i = 0; i < 10 && g->bytes[i].width; i++)
		if (le_at(buf + g->bytes[i].off, g->bytes[i].width) != g->bytes[i].value)
			fail_msg("%s: %u bytes at %u: 0x%llx, expected 0x%llx", g->json,
				 g->bytes[i].width, g->bytes[i].off,
				 (unsigned long long)le_at(buf + g->bytes[i].off, g->bytes[i].width),
				 (unsigned long long)g->bytes[i].value);
	struct pt_viommu_ctx ctx = { g->v, 0, 0 };
	struct pt_viommu_req req;
	struct pt_diag_sink d;
	pt_diag_init(&d, "t", NULL);
	assert_int_equal(pt_viommu_next(&ctx, buf, n, 0, &req, &d), 0);
	assert_int_equal(req.size, g->size);
	assert_string_equal(req.kind->name, g->type);
	if (g->view)
		assert_string_equal(req.kind->view_name, g->view);
	/* The text and JSON views name the type and the variant. */
	char *text = NULL;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);
	pt_viommu_print(f, &ctx, &req, 0);
	fclose(f);
	assert_non_null(strstr(text, g->type));
	assert_non_null(strstr(text, pt_viommu_variant(g->v)->name));
	free(text);
	json_t *j = pt_viommu_json(&ctx, &req);
	assert_string_equal(json_string_value(json_object_get(j, "type")), g->type);
	assert_int_equal(json_integer_value(json_object_get(j, "size")), (json_int_t)g->size);
	json_decref(j);
	pt_diag_free(&d);
}

/* ---- every rule: a case that passes and one that fires ---- */

struct rcase {
	const char *rule;
	enum pt_viommu_variant v;
	const char *caps;
	const char *pass, *fire;
};

#define APST "{\"type\":\"attach_table\",\"domain\":1,\"endpoint\":8,\"s1contextptr\":\"0x80000000\"," \
	     "\"s1cdmax\":8,\"s1fmt\":\"linear\""
#define APGT "{\"type\":\"attach_table\",\"view\":\"pgt_arm\",\"asid\":1,\"ttbr\":\"0x81000000\"," \
	     "\"mair\":\"0xf404ff44\""
#define PROBE(props) "{\"type\":\"probe\",\"endpoint\":8,\"probe_size\":64,\"properties\":[" props "]}"
#define P_OUT "{\"type\":\"output_size\",\"bits\":48}"
#define P_PASID "{\"type\":\"pasid_size\",\"bits\":8}"
#define P_PST "{\"type\":\"pasid_table_fmt\",\"format\":\"arm_smmuv3\",\"asid_bits\":16}"
#define INV "{\"type\":\"invalidate\",\"domain\":1,\"pasid\":3"
#define INVVA "{\"type\":\"invalidate\",\"domain\":1,\"g_pasid\":0,\"g_va\":1,\"t_iotlb\":1," \
	      "\"t_pasid\":0,\"f_pasid\":0,\"f_archid\":1,\"archid\":1,\"virt_start\":\"0x10000\","   \
	      "\"nr_pages\":4,\"granule\":12"
#define QSTE "{\"type\":\"attach_table\",\"s1contextptr\":\"0x80000000\",\"s1cdmax\":8"

static const struct rcase rcases[] = {
	{ "VIOMMU-TRUNCATED", PT_VV_RFC1, NULL, APST "}", "hex:0600000001000000" },
	{ "VIOMMU-UNKNOWN-TYPE", PT_VV_RFC1, NULL, APST "}", "hex:090000000000000000000000" },
	{ "VIOMMU-TRAILING", PT_VV_RFC1, NULL, APST "}", APST "} +hex:0102" },
	{ "VIOMMU-VARIANT", PT_VV_RFC1, NULL, APST "}", APST ",\"variant\":\"intel\"}" },
	{ "VIOMMU-DECLARED-SIZE", PT_VV_RFC1, NULL, APGT ",\"tcr\":\"0x3510\"}",
	  APGT ",\"tcr\":\"0x3510\",\"declared\":true}" },
	{ "VIOMMU-HEAD-RESERVED", PT_VV_RFC1, NULL, APST "}", APST ",\"head_reserved\":1}" },
	{ "VIOMMU-STATUS", PT_VV_RFC1, NULL, APST ",\"status\":\"ok\"}", APST ",\"status\":\"inval\"}" },
	{ "VIOMMU-STATUS-UNKNOWN", PT_VV_V09D, NULL, APST ",\"status\":7}", APST ",\"status\":8}" },
	{ "VIOMMU-TAIL-RESERVED", PT_VV_RFC1, NULL, APST "}", APST ",\"tail_reserved\":1}" },
	{ "VIOMMU-RESERVED", PT_VV_RFC1, NULL, "{\"type\":\"attach\",\"domain\":1}",
	  "{\"type\":\"attach\",\"domain\":1,\"reserved_16\":1}" },
	{ "VIOMMU-FLAGS", PT_VV_RFC1, NULL, "{\"type\":\"map\",\"read\":1,\"virt_end\":\"0xfff\"}",
	  "{\"type\":\"map\",\"read\":1,\"virt_end\":\"0xfff\",\"flags_reserved\":1}" },
	{ "VIOMMU-MAP-RANGE", PT_VV_RFC1, NULL,
	  "{\"type\":\"unmap\",\"virt_start\":\"0x1000\",\"virt_end\":\"0x1fff\"}",
	  "{\"type\":\"unmap\",\"virt_start\":\"0x2000\",\"virt_end\":\"0x1fff\"}" },
	{ "ATTACH-FORMAT", PT_VV_RFC1, NULL, APST "}", "{\"type\":\"attach_table\",\"format\":7}" },
	{ "ATTACH-VIEW", PT_VV_V07, NULL, "{\"type\":\"attach_table\",\"base\":\"0x80000000\",\"size\":8}",
	  "{\"type\":\"attach_table\",\"table\":3}" },
	{ "ATTACH-RESERVED", PT_VV_RFC1, NULL, APST "}", APST ",\"reserved_40\":1}" },
	{ "ATTACH-S1FMT", PT_VV_RFC1, NULL, APST ",\"s1fmt\":2}", APST ",\"s1fmt\":3}" },
	{ "ATTACH-S1DSS", PT_VV_RFC1, NULL, APST ",\"s1dss\":1}", APST ",\"s1dss\":3}" },
	{ "ATTACH-S1CDMAX", PT_VV_RFC1, NULL, APST ",\"s1cdmax\":20,\"s1fmt\":2}",
	  APST ",\"s1cdmax\":21}" },
	{ "ATTACH-S1CDMAX-CAPS", PT_VV_RFC1, "pasid_bits=8", APST "}", APST ",\"s1cdmax\":9}" },
	{ "ATTACH-S1CDMAX-ZERO", PT_VV_RFC1, NULL, APST ",\"s1cdmax\":0}",
	  APST ",\"s1cdmax\":0,\"s1fmt\":\"2lvl-64k\"}" },
	{ "ATTACH-CD2L", PT_VV_RFC1, "cd2l=0", APST "}", APST ",\"s1cdmax\":12,\"s1fmt\":2}" },
	{ "ATTACH-PTR-LOW", PT_VV_RFC1, NULL, APST "}", APST ",\"s1contextptr\":\"0x80000020\"}" },
	{ "ATTACH-PTR-HIGH", PT_VV_RFC1, "oas=64", APST ",\"s1contextptr\":\"0xff000000000000\"}",
	  APST ",\"s1contextptr\":\"0x100000080000000\"}" },
	{ "ATTACH-PTR-ALIGN", PT_VV_RFC1, NULL, APST ",\"s1contextptr\":\"0x80004000\"}",
	  APST ",\"s1contextptr\":\"0x80001000\"}" },
	{ "ATTACH-PTR-RANGE", PT_VV_RFC1, NULL, APST ",\"s1contextptr\":\"0xffffffffc000\"}",
	  APST ",\"s1contextptr\":\"0x1000000000000\"}" },
	{ "ATTACH-CAPS-FORMAT", PT_VV_RFC1, "pst_format=2,pgt_format=3", APST "}",
	  APGT ",\"tcr\":\"0x3510\"}" },
	{ "ATTACH-CAPS-ENDPOINT", PT_VV_RFC1, "endpoint=8", APST "}", APST ",\"endpoint\":9}" },
	{ "ATTACH-ASID", PT_VV_RFC1, "asid_bits=8", APGT ",\"tcr\":\"0x3510\",\"asid\":255}",
	  APGT ",\"tcr\":\"0x3510\",\"asid\":256}" },
	{ "ATTACH-TG0", PT_VV_RFC1, NULL, APGT ",\"tcr\":\"0xb510\"}", APGT ",\"tcr\":\"0xf510\"}" },
	{ "ATTACH-T0SZ", PT_VV_RFC1, NULL, APGT ",\"tcr\":\"0x3530\"}", APGT ",\"tcr\":\"0x3500\"}" },
	{ "ATTACH-TTBR", PT_VV_RFC1, NULL, APGT ",\"tcr\":\"0x3510\"}",
	  APGT ",\"tcr\":\"0x3510\",\"ttbr\":\"0x81000008\"}" },
	{ "ATTACH-STE-BITS", PT_VV_QCOM, NULL, QSTE ",\"eats\":1,\"s1cir\":1}", QSTE ",\"ste1_hi\":1}" },
	{ "ATTACH-STE-CONFIG", PT_VV_QCOM, NULL, QSTE ",\"config\":\"bypass\"}",
	  QSTE ",\"config\":\"s2_trans\"}" },
	{ "PROBE-RESERVED", PT_VV_RFC1, NULL, PROBE(P_OUT), "{\"type\":\"probe\",\"reserved_8\":1}" },
	{ "PROBE-OVERRUN", PT_VV_RFC1, NULL, PROBE(P_OUT),
	  PROBE("{\"type\":\"pasid_size\",\"bits\":8,\"fields\":{\"length\":200}}") },
	{ "PROBE-PROP-RESERVED", PT_VV_RFC1, NULL, PROBE(P_PASID),
	  PROBE("{\"type\":\"pasid_size\",\"bits\":8,\"fields\":{\"type_reserved\":1}}") },
	{ "PROBE-PROP-LENGTH", PT_VV_RFC1, NULL, PROBE(P_PASID),
	  PROBE("{\"type\":\"pasid_size\",\"fields\":{\"length\":8}}") },
	{ "PROBE-PROP-UNKNOWN", PT_VV_RFC1, NULL, PROBE(P_PASID),
	  PROBE("{\"type\":\"pasid_size\",\"fields\":{\"type\":9}}") },
	{ "PROBE-DUPLICATE", PT_VV_RFC1, NULL, PROBE(P_OUT "," P_PST), PROBE(P_OUT "," P_PST "," P_PST) },
	{ "PROBE-UNUSED", PT_VV_RFC1, NULL, PROBE(P_PASID),
	  PROBE(P_PASID ",{\"type\":\"pasid_size\",\"fields\":{\"type\":0,\"bits\":5}}") },
	{ "PROBE-ASID-BITS", PT_VV_RFC1, NULL, PROBE(P_OUT "," P_PST),
	  PROBE(P_OUT ",{\"type\":\"pasid_table_fmt\",\"format\":2,\"asid_bits\":12}") },
	{ "PROBE-PASID-SIZE", PT_VV_RFC1, NULL, PROBE("{\"type\":\"pasid_size\",\"bits\":20}"),
	  PROBE("{\"type\":\"pasid_size\",\"bits\":21}") },
	{ "PROBE-RANGE", PT_VV_RFC1, NULL,
	  PROBE("{\"type\":\"input_range\",\"start\":\"0x1000\",\"end\":\"0x1000\"}"),
	  PROBE("{\"type\":\"input_range\",\"start\":\"0x2000\",\"end\":\"0x1000\"}") },
	{ "PROBE-NO-OUTPUT", PT_VV_RFC1, NULL, PROBE(P_OUT "," P_PST), PROBE(P_PASID "," P_PST) },
	{ "PROBE-FORMAT", PT_VV_RFC1, NULL, PROBE(P_PST),
	  PROBE("{\"type\":\"pasid_table_fmt\",\"format\":9,\"asid_bits\":16}") },
	{ "INVAL-RESERVED", PT_VV_RFC1, NULL, INV "}", INV ",\"reserved_20\":1}" },
	{ "INVAL-SCOPE", PT_VV_RFC1, NULL, INV "}", INV ",\"g_domain\":1}" },
	{ "INVAL-TYPE", PT_VV_RFC1, NULL, INV "}", INV ",\"t_pasid\":0}" },
	{ "INVAL-FLAGS", PT_VV_RFC1, NULL, INV "}", INV ",\"flags_reserved\":1}" },
	{ "INVAL-GRANULE", PT_VV_RFC1, NULL, INVVA "}", INVVA ",\"granule\":11}" },
	{ "INVAL-ALIGN", PT_VV_RFC1, NULL, INVVA "}", INVVA ",\"virt_start\":\"0x10800\"}" },
	{ "INVAL-PAGES", PT_VV_RFC1, NULL, INVVA "}", INVVA ",\"nr_pages\":0}" },
	{ "INVAL-PASID", PT_VV_RFC1, NULL, "[" APST "}," INV ",\"pasid\":255}]",
	  "[" APST "}," INV ",\"pasid\":256}]" },
	{ "INVAL-ASID", PT_VV_RFC1, "asid_bits=8", INVVA ",\"archid\":255}", INVVA ",\"archid\":256}" },
	{ "INVAL-DOMAIN", PT_VV_RFC1, NULL, "[" APST "}," INV "}]", "[" APST "}," INV ",\"domain\":2}]" },
};
#define NRCASES (sizeof rcases / sizeof rcases[0])

/* Rules checked outside the table above (they need a dump). */
static const char *const rules_elsewhere[] = { "ATTACH-DUMP-PTR", "ATTACH-DUMP-SHORT", NULL };

static void rule_one(void **state)
{
	const struct rcase *rc = *state;
	uint8_t buf[STREAM_MAX] = { 0 };
	struct pt_diag_sink d;
	assert_non_null(pt_rule_find(rc->rule));
	size_t n = make_stream(rc->pass, rc->v, buf);
	validate(buf, n, rc->v, rc->caps, &d);
	if (hits(&d, rc->rule))
		fail_msg("%s fired on its passing case: %s", rc->rule, d.items[0].msg);
	pt_diag_free(&d);
	memset(buf, 0, sizeof buf);
	n = make_stream(rc->fire, rc->v, buf);
	validate(buf, n, rc->v, rc->caps, &d);
	if (!hits(&d, rc->rule))
		fail_msg("%s did not fire: %s", rc->rule, rc->fire);
	pt_diag_free(&d);
}

static void every_rule_has_cases(void **state)
{
	(void)state;
	for (unsigned i = 0; i < PT_R_VIOMMU_COUNT; i++) {
		const char *id = pt_viommu_rule_list[i].id;
		int found = 0;
		assert_non_null(id);
		assert_non_null(pt_viommu_rule_list[i].summary);
		assert_non_null(pt_viommu_rule_list[i].effect);
		assert_non_null(pt_viommu_rule_list[i].source);
		for (size_t c = 0; c < NRCASES; c++)
			found |= strcmp(rcases[c].rule, id) == 0;
		for (size_t c = 0; rules_elsewhere[c]; c++)
			found |= strcmp(rules_elsewhere[c], id) == 0;
		if (!found)
			fail_msg("rule %s has no test case", id);
	}
}

/* Clean requests of every type raise nothing above a note. */
static void clean_stream_is_clean(void **state)
{
	(void)state;
	uint8_t buf[STREAM_MAX] = { 0 };
	struct pt_diag_sink d;
	size_t n = make_stream("[" PROBE(P_OUT "," P_PASID "," P_PST) "," APST "}," INV "},"
			       INVVA "}, {\"type\":\"detach\",\"domain\":1,\"endpoint\":8}]",
			       PT_VV_RFC1, buf);
	validate(buf, n, PT_VV_RFC1, NULL, &d);
	for (uint32_t i = 0; i < d.nitems; i++)
		if (d.items[i].severity > PT_SEV_NOTE)
			fail_msg("clean stream: %s: %s", d.items[i].rule->id, d.items[i].msg);
	pt_diag_free(&d);
}

/* ---- round trips on random requests ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random bytes that frame as kind k: type byte, and the selector value of
 * a view (or, for a generic frame, a value no view claims). */
static int random_request(enum pt_viommu_variant v, const struct pt_viommu_kind *k, uint8_t *buf,
			  size_t *len, uint32_t *ps)
{
	const struct pt_viommu_variant_desc *vd = pt_viommu_variant(v);
	*ps = k->type == PT_VT_PROBE ? (uint32_t)(rnd() % 64) * 4 : 0;
	*len = k->type == PT_VT_PROBE ? 76 + *ps : k->st->size;
	for (size_t i = 0; i < *len; i++)
		buf[i] = (uint8_t)rnd();
	buf[0] = k->type;
	if (k->sel_field)
		pt_field_set(buf, pt_struct_field(k->st, k->sel_field), k->sel_value);
	for (size_t i = 0; k->type == PT_VT_ATTACH_TABLE && !k->sel_field && i < vd->nkinds; i++) {
		const struct pt_viommu_kind *o = &vd->kinds[i];
		if (o->sel_field && pt_field_get(buf, pt_struct_field(o->st, o->sel_field)) == o->sel_value)
			return -1;
	}
	return 0;
}

static void round_trip_one(enum pt_viommu_variant v, const struct pt_viommu_kind *k)
{
	uint8_t buf[512], out[512];
	size_t len, n;
	uint32_t ps;
	char err[256];
	if (random_request(v, k, buf, &len, &ps) != 0)
		return;
	struct pt_viommu_ctx ctx = { v, ps, 1 };
	struct pt_viommu_req req;
	struct pt_diag_sink d;
	pt_diag_init(&d, "t", NULL);
	assert_int_equal(pt_viommu_next(&ctx, buf, len, 0, &req, &d), 0);
	assert_ptr_equal(req.kind, k);
	assert_int_equal(req.size, len);
	/* Through JSON text, as decode --json prints and build reads it. */
	json_t *j = pt_viommu_json(&ctx, &req);
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	j = json_loads(s, 0, NULL);
	free(s);
	if (pt_viommu_build(j, PT_VV_RFC1, 0, 0, out, sizeof out, &n, err, sizeof err) != 0)
		fail_msg("%s/%s: %s", pt_viommu_variant(v)->name, k->st->name, err);
	assert_int_equal(n, len);
	assert_memory_equal(out, buf, len);
	/* Fields alone (no raw) rebuild every bit: the tables cover them all. */
	if (k->type != PT_VT_PROBE) {
		json_object_del(j, "raw");
		if (pt_viommu_build(j, PT_VV_RFC1, 0, 0, out, sizeof out, &n, err, sizeof err) != 0)
			fail_msg("%s/%s without raw: %s", pt_viommu_variant(v)->name, k->st->name, err);
		assert_memory_equal(out, buf, len);
	}
	json_decref(j);
	pt_diag_free(&d);
}

static void round_trip_random(void **state)
{
	(void)state;
	unsigned done = 0;
	for (unsigned iter = 0; iter < 6000; iter++) {
		enum pt_viommu_variant v = (enum pt_viommu_variant)(rnd() % PT_VV_COUNT);
		const struct pt_viommu_variant_desc *vd = pt_viommu_variant(v);
		round_trip_one(v, &vd->kinds[rnd() % vd->nkinds]);
		done++;
	}
	assert_int_equal(done, 6000);
}

/* Hand-written and decoded forms of the same request give the same bytes,
 * and decode -> build of a stream gives the stream back. */
static void stream_round_trip(void **state)
{
	(void)state;
	uint8_t buf[STREAM_MAX] = { 0 }, out[STREAM_MAX];
	size_t n = make_stream("[" PROBE(P_OUT "," P_PASID) "," APST "}," INV "}," APGT
			       ",\"tcr\":\"0x3510\",\"declared\":true}]", PT_VV_RFC1, buf);
	struct pt_viommu_ctx ctx = { PT_VV_RFC1, 64, 1 };
	struct pt_diag_sink d;
	size_t off = 0, total = 0, m;
	char err[256];
	pt_diag_init(&d, "t", NULL);
	while (off < n) {
		struct pt_viommu_req req;
		assert_int_equal(pt_viommu_next(&ctx, buf + off, n - off, off, &req, &d), 0);
		json_t *j = pt_viommu_json(&ctx, &req);
		assert_int_equal(pt_viommu_build(j, PT_VV_RFC1, 1, 64, out + total, sizeof out - total,
						 &m, err, sizeof err), 0);
		json_decref(j);
		total += m;
		off += req.size;
	}
	assert_int_equal(total, n);
	assert_memory_equal(out, buf, n);
	assert_int_equal(n, 76 + 64 + 80 + 64 + 72);
	pt_diag_free(&d);
}

static void build_rejects_bad_specs(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"{\"type\":\"attach_table\",\"nosuchfield\":1}",
		"{\"type\":\"attach_table\",\"s1cdmax\":\"zz\"}",
		"{\"type\":\"attach_table\",\"s1fmt\":\"3lvl\"}",
		"{\"type\":\"attach_table\",\"s1fmt\":256}",
		"{\"type\":\"attach_table\",\"raw\":\"06\"}",
		"{\"type\":\"attach_table\",\"raw\":\"0g\"}",
		"{\"type\":\"bogus\"}",
		"{\"type\":9}",
		"{\"type\":\"attach_table\",\"variant\":\"v99\"}",
		"{\"type\":\"attach_table\",\"view\":\"pgt_vtd\"}",
		"{\"type\":\"page_resp\",\"variant\":\"qcom\"}",
		"{\"type\":\"probe\",\"probe_size\":8,\"properties\":[" P_PST "]}",
		"{\"type\":\"probe\",\"properties\":[{\"type\":\"hw_riscv\"}]}",
		"[1]",
	};
	uint8_t out[2048];
	char err[256];
	size_t n;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *j = json_loads(bad[i], 0, NULL);
		assert_non_null(j);
		err[0] = '\0';
		if (pt_viommu_build(json_is_array(j) ? json_array_get(j, 0) : j, PT_VV_RFC1, 0, 64, out,
				    sizeof out, &n, err, sizeof err) == 0)
			fail_msg("accepted: %s", bad[i]);
		assert_true(err[0] != '\0');
		json_decref(j);
	}
	/* --variant forced against a request that names another. */
	json_t *j = json_loads("{\"type\":\"attach\",\"variant\":\"v07\"}", 0, NULL);
	assert_int_not_equal(pt_viommu_build(j, PT_VV_RFC1, 1, 64, out, sizeof out, &n, err,
					     sizeof err), 0);
	assert_int_equal(pt_viommu_build(j, PT_VV_RFC1, 0, 64, out, sizeof out, &n, err, sizeof err), 0);
	assert_int_equal(n, 20);
	json_decref(j);
}

/* ---- hostile input ---- */

static void decode_everything(enum pt_viommu_variant v, uint32_t probe_size, const uint8_t *buf,
			      size_t len, struct pt_diag_sink *d)
{
	struct pt_viommu_ctx ctx = { v, probe_size, probe_size != 0 };
	struct pt_viommu_caps caps;
	struct pt_viommu_state st;
	FILE *null = fopen("/dev/null", "w");
	memset(&st, 0, sizeof st);
	pt_viommu_caps_default(&caps);
	for (size_t off = 0, n = 0; off < len && n < 10000; n++) {
		struct pt_viommu_req req;
		if (pt_viommu_next(&ctx, buf + off, len - off, off, &req, d) != 0)
			break;
		assert_true(req.size >= 4 && req.size <= len - off);
		pt_viommu_check(&ctx, &req, &caps, &st, d);
		pt_viommu_print(null, &ctx, &req, 0);
		json_decref(pt_viommu_json(&ctx, &req));
		off += req.size;
	}
	fclose(null);
}

static void hostile_prefixes_and_garbage(void **state)
{
	(void)state;
	uint8_t buf[STREAM_MAX] = { 0 };
	size_t n = make_stream("[" PROBE(P_OUT "," P_PASID "," P_PST) "," APST "}," INV "}]",
			       PT_VV_RFC1, buf);
	/* Every prefix: the last request is truncated or missing, never read past. */
	for (size_t len = 0; len <= n; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		struct pt_diag_sink d;
		memcpy(copy, buf, len);
		pt_diag_init(&d, "t", NULL);
		decode_everything(PT_VV_RFC1, 64, copy, len, &d);
		if (len != n && len != 76 + 64 && len != 76 + 64 + 80 && len != 0)
			assert_true(hits(&d, "VIOMMU-TRUNCATED") + hits(&d, "VIOMMU-TRAILING") > 0);
		pt_diag_free(&d);
		free(copy);
	}
	/* Random streams in every variant. */
	for (unsigned iter = 0; iter < 3000; iter++) {
		size_t len = (size_t)(rnd() % 700);
		uint8_t *r = malloc(len ? len : 1);
		struct pt_diag_sink d;
		for (size_t i = 0; i < len; i++)
			r[i] = (uint8_t)(i % 97 == 0 ? rnd() % 9 : rnd());
		pt_diag_init(&d, "t", NULL);
		decode_everything((enum pt_viommu_variant)(iter % PT_VV_COUNT), 0, r, len, &d);
		pt_diag_free(&d);
		free(r);
	}
}

static void hostile_specific(void **state)
{
	(void)state;
	struct pt_viommu_ctx ctx = { PT_VV_RFC1, 0xffff0, 1 };
	struct pt_viommu_req req;
	struct pt_diag_sink d;
	uint8_t probe[200] = { 5 };
	pt_diag_init(&d, "t", NULL);
	/* A PROBE claiming a huge probe_size is truncated, not read past. */
	assert_int_equal(pt_viommu_next(&ctx, probe, sizeof probe, 0, &req, &d), -1);
	assert_int_equal(hits(&d, "VIOMMU-TRUNCATED"), 1);
	/* Unknown type: stop with a diagnostic. */
	uint8_t unk[24] = { 0x42 };
	assert_int_equal(pt_viommu_next(&ctx, unk, sizeof unk, 0, &req, &d), -1);
	assert_int_equal(hits(&d, "VIOMMU-UNKNOWN-TYPE"), 1);
	/* Oversized: an 80-byte request with junk after it frames the request,
	 * then the junk. */
	uint8_t big[90] = { 6 };
	ctx.probe_size_given = 0;
	assert_int_equal(pt_viommu_next(&ctx, big, sizeof big, 0, &req, &d), 0);
	assert_int_equal(req.size, 80);
	assert_int_equal(pt_viommu_next(&ctx, big + 80, 10, 80, &req, &d), -1);
	/* A property whose length runs past probe_size. */
	uint8_t p2[76 + 16] = { 5 };
	p2[72] = 5;
	p2[74] = 0xff;
	p2[75] = 0xff;
	ctx.probe_size = 16;
	ctx.probe_size_given = 1;
	assert_int_equal(pt_viommu_next(&ctx, p2, sizeof p2, 0, &req, &d), 0);
	struct pt_viommu_caps caps;
	pt_viommu_caps_default(&caps);
	pt_viommu_check(&ctx, &req, &caps, NULL, &d);
	assert_true(hits(&d, "PROBE-OVERRUN") == 1);
	pt_diag_free(&d);
}

/* ---- probe size inference, caps ---- */

static void probe_size_inferred(void **state)
{
	(void)state;
	uint8_t buf[STREAM_MAX] = { 0 };
	size_t n = make_stream(PROBE(P_OUT), PT_VV_RFC1, buf);
	struct pt_viommu_ctx ctx = { PT_VV_RFC1, 0, 0 };
	struct pt_viommu_req req;
	struct pt_diag_sink d;
	pt_diag_init(&d, "t", NULL);
	assert_int_equal(pt_viommu_next(&ctx, buf, n, 0, &req, &d), 0);
	assert_int_equal(req.probe_size, 64);  /* the rest of the file */
	uint8_t big[76 + 512 + 24] = { 5 };
	big[76 + 512] = 1;  /* an ATTACH follows a default-size PROBE */
	assert_int_equal(pt_viommu_next(&ctx, big, sizeof big, 0, &req, &d), 0);
	assert_int_equal(req.probe_size, 512);
	pt_diag_free(&d);
}

static void caps_from_probe_and_spec(void **state)
{
	(void)state;
	uint8_t buf[STREAM_MAX] = { 0 };
	size_t n = make_stream(PROBE(P_OUT "," P_PASID "," P_PST
				     ",{\"type\":\"page_size_mask\",\"mask\":\"0x1000\"}"),
			       PT_VV_RFC1, buf);
	struct pt_viommu_ctx ctx = { PT_VV_RFC1, 64, 1 };
	struct pt_viommu_req req;
	struct pt_viommu_caps caps;
	struct pt_diag_sink d;
	char err[160];
	pt_diag_init(&d, "t", NULL);
	assert_int_equal(pt_viommu_next(&ctx, buf, n, 0, &req, &d), 0);
	pt_viommu_caps_from_probe(&ctx, &req, &caps);
	assert_int_equal(caps.pasid_bits, 8);
	assert_int_equal(caps.oas, 48);
	assert_int_equal(caps.pst_format, 2);
	assert_int_equal(caps.asid_bits, 16);
	assert_int_equal(caps.page_size_mask, 0x1000);
	assert_true(caps.has_endpoint && caps.endpoint == 8);
	/* QCOM: the caps come from raw SMMU ID registers. */
	memset(buf, 0, sizeof buf);
	ctx.variant = PT_VV_QCOM;
	n = make_stream(PROBE("{\"type\":\"hw_arm_smmu3\",\"idr0\":\"0x1000\",\"idr1\":\"0x280\","
			      "\"idr5\":4}"), PT_VV_QCOM, buf);
	assert_int_equal(pt_viommu_next(&ctx, buf, n, 0, &req, &d), 0);
	pt_viommu_caps_from_probe(&ctx, &req, &caps);
	assert_int_equal(caps.cd2l, 0);
	assert_int_equal(caps.asid_bits, 16);
	assert_int_equal(caps.pasid_bits, 10);
	assert_int_equal(caps.oas, 44);
	pt_viommu_caps_default(&caps);
	assert_int_equal(pt_viommu_caps_parse("pasid_bits=5,cd2l=0,oas=0x2c", &caps, err, sizeof err), 0);
	assert_int_equal(caps.pasid_bits, 5);
	assert_int_equal(caps.oas, 44);
	assert_int_not_equal(pt_viommu_caps_parse("pasid_bits=21", &caps, err, sizeof err), 0);
	assert_int_not_equal(pt_viommu_caps_parse("bogus=1", &caps, err, sizeof err), 0);
	assert_int_not_equal(pt_viommu_caps_parse("oas", &caps, err, sizeof err), 0);
	pt_diag_free(&d);
}

/* ---- ATTACH_TABLE <-> table config; the table in a dump ---- */

static void cfg_round_trip(void **state)
{
	(void)state;
	const struct pt_format *fmt = pt_format_find("smmuv3-cd");
	static const char *const layouts[] = { "linear", "2lvl-4k", "2lvl-64k" };
	assert_non_null(fmt);
	for (unsigned v = 0; v < PT_VV_COUNT; v++) {
		for (unsigned l = 0; l < 3; l++) {
			struct pt_table_cfg cfg = { 0 }, back;
			uint8_t buf[256];
			size_t n;
			uint32_t dom, ep;
			char err[128];
			cfg.fmt = fmt;
			cfg.layout = pt_format_layout(fmt, layouts[l]);
			cfg.base = 0x80000000;
			cfg.ssid_bits = 12;
			const char *name = pt_viommu_variant((enum pt_viommu_variant)v)->name;
			assert_int_equal(pt_viommu_attach_from_cfg(&cfg, 3, 9, name, buf, sizeof buf, &n), 0);
			struct pt_viommu_ctx ctx = { (enum pt_viommu_variant)v, 0, 0 };
			struct pt_viommu_req req;
			struct pt_diag_sink d;
			pt_diag_init(&d, "t", NULL);
			assert_int_equal(pt_viommu_next(&ctx, buf, n, 0, &req, &d), 0);
			assert_int_equal(pt_viommu_attach_to_cfg(&req, &back, &dom, &ep, err, sizeof err), 0);
			assert_ptr_equal(back.layout, cfg.layout);
			assert_int_equal(back.base, cfg.base);
			assert_int_equal(back.ssid_bits, 12);
			assert_int_equal(dom, 3);
			assert_int_equal(ep, 9);
			struct smmu_ste_ctx ste;
			smmu_ste_ctx_unpack(back.vendor[0], &ste);
			assert_true(ste.present && ste.s1dss == 2);
			pt_diag_free(&d);
		}
	}
	uint8_t small[8];
	size_t n;
	struct pt_table_cfg cfg = { .fmt = fmt, .layout = pt_format_layout(fmt, "linear"),
				    .base = 0x1000, .ssid_bits = 2 };
	assert_int_not_equal(pt_viommu_attach_from_cfg(&cfg, 1, 1, "rfc1", small, sizeof small, &n), 0);
	assert_int_not_equal(pt_viommu_attach_from_cfg(&cfg, 1, 1, "v99", small, sizeof small, &n), 0);
}

static void dump_cross_checks(void **state)
{
	(void)state;
	static uint8_t mem[0x4000];
	uint8_t buf[STREAM_MAX] = { 0 };
	struct pt_source src;
	struct pt_diag_sink d;
	struct pt_table_cfg cfg;
	char err[128];
	pt_diag_init(&d, "t", NULL);
	pt_source_init(&src, "mem");
	int fi = pt_source_add_buffer(&src, "mem", mem, sizeof mem);
	assert_true(fi >= 0);
	assert_int_equal(pt_source_add_range(&src, 0x80000000, sizeof mem, (uint32_t)fi, 0, sizeof mem), 0);
	assert_int_equal(pt_source_finish(&src, &d), 0);
	static const struct {
		const char *json;
		int walk;
		const char *rule;
	} cases[] = {
		{ APST ",\"s1cdmax\":8}", 1, NULL },                       /* 16 KiB: fits exactly */
		{ APST ",\"s1cdmax\":9}", 1, "ATTACH-DUMP-SHORT" },        /* 32 KiB: runs past */
		{ APST ",\"s1contextptr\":\"0x90000000\"}", 0, "ATTACH-DUMP-PTR" },
		{ APST ",\"s1cdmax\":20,\"s1fmt\":\"2lvl-64k\"}", 1, NULL }, /* 8 KiB of L1CDs */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pt_viommu_ctx ctx = { PT_VV_RFC1, 0, 0 };
		struct pt_viommu_req req;
		size_t n = make_stream(cases[i].json, PT_VV_RFC1, buf);
		assert_int_equal(pt_viommu_next(&ctx, buf, n, 0, &req, &d), 0);
		assert_int_equal(pt_viommu_attach_to_cfg(&req, &cfg, NULL, NULL, err, sizeof err), 0);
		uint32_t before = d.nitems;
		assert_int_equal(pt_viommu_check_dump(&req, &cfg, &src, &d), cases[i].walk);
		if (cases[i].rule) {
			assert_int_equal(d.nitems, before + 1);
			assert_string_equal(d.items[before].rule->id, cases[i].rule);
		} else {
			assert_int_equal(d.nitems, before);
		}
	}
	pt_source_free(&src);
	pt_diag_free(&d);
}

static void invalidations_for_ssids(void **state)
{
	(void)state;
	const struct pt_format *fmt = pt_format_find("smmuv3-cd");
	struct pt_table_cfg cfg = { .fmt = fmt, .layout = pt_format_layout(fmt, "linear"),
				    .base = 0x80000000, .ssid_bits = 4 };
	uint32_t ssids[100];
	uint8_t out[STREAM_MAX];
	size_t n;
	for (unsigned i = 0; i < 100; i++)
		ssids[i] = i % 16;
	for (unsigned v = 0; v < PT_VV_COUNT; v++) {
		const char *name = pt_viommu_variant((enum pt_viommu_variant)v)->name;
		uint32_t size = pt_viommu_kind_find((enum pt_viommu_variant)v, "invalidate", NULL)->st->size;
		assert_int_equal(pt_viommu_invalidations(&cfg, 5, name, ssids, 3, out, sizeof out, &n), 0);
		assert_int_equal(n, 3 * size);
		/* Each one is a clean PASID-scope CD invalidation for its SSID. */
		struct pt_diag_sink d;
		char caps[32];
		snprintf(caps, sizeof caps, "pasid_bits=4");
		validate(out, n, (enum pt_viommu_variant)v, caps, &d);
		for (uint32_t i = 0; i < d.nitems; i++)
			if (d.items[i].severity > PT_SEV_NOTE)
				fail_msg("%s: %s: %s", name, d.items[i].rule->id, d.items[i].msg);
		pt_diag_free(&d);
		struct pt_viommu_ctx ctx = { (enum pt_viommu_variant)v, 0, 0 };
		struct pt_viommu_req req;
		uint64_t pasid, dom;
		pt_diag_init(&d, "t", NULL);
		assert_int_equal(pt_viommu_next(&ctx, out + size, n - size, 0, &req, &d), 0);
		pt_viommu_get(&req, "pasid", &pasid);
		pt_viommu_get(&req, "domain", &dom);
		assert_int_equal(pasid, 1);
		assert_int_equal(dom, 5);
		pt_diag_free(&d);
		/* Many SSIDs: one domain-wide invalidation. */
		assert_int_equal(pt_viommu_invalidations(&cfg, 5, name, ssids, 100, out, sizeof out, &n), 0);
		assert_int_equal(n, size);
		/* An SSID outside the table, or no room. */
		uint32_t bad = 16;
		assert_int_not_equal(pt_viommu_invalidations(&cfg, 5, name, &bad, 1, out, sizeof out, &n), 0);
		assert_int_not_equal(pt_viommu_invalidations(&cfg, 5, name, ssids, 3, out, size, &n), 0);
	}
}

int main(void)
{
	pt_formats_init();
	struct CMUnitTest tests[NGOLDEN + NRCASES + 16];
	size_t nt = 0;
	tests[nt++] = (struct CMUnitTest)cmocka_unit_test(tables_cover_every_bit);
	for (size_t i = 0; i < NGOLDEN; i++) {
		tests[nt] = (struct CMUnitTest)cmocka_unit_test_prestate(golden_one, (void *)(uintptr_t)&goldens[i]);
		tests[nt++].name = goldens[i].json;
	}
	for (size_t i = 0; i < NRCASES; i++) {
		tests[nt] = (struct CMUnitTest)cmocka_unit_test_prestate(rule_one, (void *)(uintptr_t)&rcases[i]);
		tests[nt++].name = rcases[i].rule;
	}
	tests[nt++] = (struct CMUnitTest)cmocka_unit_test(every_rule_has_cases);
	tests[nt++] = (struct CMUnitTest)cmocka_unit_test(clean_stream_is_clean);
	tests[nt++] = (struct CMUnitTest)cmocka_unit_test(round_trip_random);
	tests[nt++] = (struct CMUnitTest)cmocka_unit_test(stream_round_trip);
	tests[nt++] = (struct CMUnitTest)cmocka_unit_test(build_rejects_bad_specs);
	tests[nt++] = (struct CMUnitTest)cmocka_unit_test(hostile_prefixes_and_garbage);
	tests[nt++] = (struct CMUnitTest)cmocka_unit_test(hostile_specific);
	tests[nt++] = (struct CMUnitTest)cmocka_unit_test(probe_size_inferred);
	tests[nt++] = (struct CMUnitTest)cmocka_unit_test(caps_from_probe_and_spec);
	tests[nt++] = (struct CMUnitTest)cmocka_unit_test(cfg_round_trip);
	tests[nt++] = (struct CMUnitTest)cmocka_unit_test(dump_cross_checks);
	tests[nt++] = (struct CMUnitTest)cmocka_unit_test(invalidations_for_ssids);
	return _cmocka_run_group_tests("viommu", tests, nt, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VT-d scalable-mode PASID format through the core alone: the field
 * tables tile both structures bit for bit, fields land on the bits VT-d
 * numbers, the 2-level walk splits PASID[19:6]/[5:0], caps parse from
 * registers, and every VTD-* rule has a case that passes and one that fires,
 * run through the real walker. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "formats.h"
#include "source.h"
#include "table.h"
#include "vtd.h"

/* ---- field tables ---- */

/* Every bit of the structure belongs to exactly one field. */
static void assert_tiles(const struct pt_struct *st)
{
	unsigned char owner[VTD_PE_SIZE * 8];
	memset(owner, 0, sizeof owner);
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		unsigned first = f->word * 64u + f->lsb;
		assert_true(f->width >= 1 && f->width <= 64);
		assert_true(first + f->width <= st->size * 8u);
		for (unsigned b = first; b < first + f->width; b++) {
			if (owner[b])
				fail_msg("%s: bit %u is in two fields (%s)", st->name, b, f->name);
			owner[b] = 1;
		}
	}
	for (unsigned b = 0; b < st->size * 8u; b++)
		if (!owner[b])
			fail_msg("%s: bit %u is in no field", st->name, b);
}

static void fields_tile_entry(void **state)
{
	(void)state;
	assert_int_equal(vtd_pe_struct.size, 64);
	assert_tiles(&vtd_pe_struct);
}

static void fields_tile_dir_entry(void **state)
{
	(void)state;
	assert_int_equal(vtd_pde_struct.size, 8);
	assert_tiles(&vtd_pde_struct);
}

/* Field keys are lower case and unique: they are JSON keys. */
static void field_names_unique(void **state)
{
	(void)state;
	for (size_t i = 0; i < PE_NFIELDS; i++)
		for (size_t j = i + 1; j < PE_NFIELDS; j++)
			assert_string_not_equal(vtd_pe_fields[i].name, vtd_pe_fields[j].name);
}

static uint64_t absolute_bits(const uint8_t *raw, unsigned lsb, unsigned width)
{
	uint64_t v = pt_le64(raw, lsb / 64) >> (lsb % 64);
	return width < 64 ? v & ((UINT64_C(1) << width) - 1) : v;
}

struct placed {
	enum vtd_pe_field_id id;
	uint64_t value;
	unsigned lsb, width;   /* absolute bits, as VT-d §9.6 numbers them */
	uint64_t bits;         /* what those bits must hold */
};

/* Encode one field at a time and find it on the spec's bits, nowhere else. */
static void encode_lands_on_spec_bits(void **state)
{
	(void)state;
	static const struct placed cases[] = {
		{ PE_P, 1, 0, 1, 1 },           { PE_FPD, 1, 1, 1, 1 },
		{ PE_AW, 3, 2, 3, 3 },          { PE_SLEE, 1, 5, 1, 1 },
		{ PE_PGTT, 4, 6, 3, 4 },        { PE_SLADE, 1, 9, 1, 1 },
		{ PE_SLPTPTR, UINT64_C(0x123456789000), 12, 52, UINT64_C(0x123456789) },
		{ PE_DID, 0xbeef, 64, 16, 0xbeef }, { PE_PWSNP, 1, 87, 1, 1 },
		{ PE_PGSNP, 1, 88, 1, 1 },      { PE_CD, 1, 89, 1, 1 },
		{ PE_EMTE, 1, 90, 1, 1 },       { PE_EMT, 6, 91, 3, 6 },
		{ PE_PWT, 1, 94, 1, 1 },        { PE_PCD, 1, 95, 1, 1 },
		{ PE_PAT, 0x07060504, 96, 32, 0x07060504 },
		{ PE_SRE, 1, 128, 1, 1 },       { PE_ERE, 1, 129, 1, 1 },
		{ PE_FLPM, 1, 130, 2, 1 },      { PE_WPE, 1, 132, 1, 1 },
		{ PE_NXE, 1, 133, 1, 1 },       { PE_SMEP, 1, 134, 1, 1 },
		{ PE_EAFE, 1, 135, 1, 1 },
		{ PE_FLPTPTR, UINT64_C(0xfedcba000), 140, 52, UINT64_C(0xfedcba) },
		{ PE_RES0_511_448, 1, 448, 64, 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct placed *c = &cases[i];
		uint8_t raw[VTD_PE_SIZE] = { 0 };
		assert_int_equal(pt_field_set(raw, &vtd_pe_fields[c->id], c->value), 0);
		assert_true(absolute_bits(raw, c->lsb, c->width) == c->bits);
		assert_true(vtd_pe(raw, c->id) == c->value);
		/* Clearing the spec's bits leaves an all-zero entry. */
		for (unsigned b = c->lsb; b < c->lsb + c->width; b++)
			raw[b / 8] &= (uint8_t) ~(1u << (b % 8));
		for (size_t k = 0; k < sizeof raw; k++)
			assert_int_equal(raw[k], 0);
	}
}

static void encode_refuses_what_does_not_fit(void **state)
{
	(void)state;
	uint8_t raw[VTD_PE_SIZE] = { 0 };
	assert_int_equal(pt_field_set(raw, &vtd_pe_fields[PE_FLPTPTR], 0x20000800), -1);
	assert_int_equal(pt_field_set(raw, &vtd_pe_fields[PE_PGTT], 8), -1);
	assert_int_equal(pt_field_set(raw, &vtd_pe_fields[PE_DID], 0x10000), -1);
	for (size_t k = 0; k < sizeof raw; k++)
		assert_int_equal(raw[k], 0);
	uint64_t v;
	assert_int_equal(pt_field_enum_value(&vtd_pe_fields[PE_PGTT], "nested", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(pt_field_enum_value(&vtd_pe_fields[PE_AW], "57bit", &v), 0);
	assert_int_equal(v, 3);
}

static void dir_entry_make_and_view(void **state)
{
	(void)state;
	pt_formats_init();
	uint8_t raw[VTD_PDE_SIZE];
	memset(raw, 0xff, sizeof raw);
	vtd_pasid_format.dir_make(raw, UINT64_C(0x7654321000));
	assert_true(pt_le64(raw, 0) == UINT64_C(0x7654321001));
	struct pt_dir_view dv;
	memset(&dv, 0, sizeof dv);
	vtd_pasid_format.dir_view(raw, &dv);
	assert_int_equal(dv.valid, 1);
	assert_true(dv.next == UINT64_C(0x7654321000));
	assert_int_equal(dv.count, 0);
}

/* The neutral view follows PGTT to the root in use. */
static void entry_view_follows_pgtt(void **state)
{
	(void)state;
	uint8_t raw[VTD_PE_SIZE] = { 0 };
	struct pt_entry_view v;
	vtd_pasid_format.entry_defaults(raw);
	pt_field_set(raw, &vtd_pe_fields[PE_DID], 42);
	pt_field_set(raw, &vtd_pe_fields[PE_FLPTPTR], 0x5000);
	pt_field_set(raw, &vtd_pe_fields[PE_SLPTPTR], 0x9000);
	memset(&v, 0, sizeof v);
	vtd_pasid_format.entry_view(raw, &v);
	assert_int_equal(v.valid, 1);
	assert_int_equal(v.asid, 42);
	assert_true(v.has_root && v.root == 0x5000);
	assert_string_equal(v.pgtable, "x86 4-level");
	pt_field_set(raw, &vtd_pe_fields[PE_PGTT], VTD_PGTT_SS);
	vtd_pasid_format.entry_view(raw, &v);
	assert_true(v.root == 0x9000);
	assert_string_equal(v.pgtable, "vtd-ss 4-level");
	pt_field_set(raw, &vtd_pe_fields[PE_PGTT], VTD_PGTT_PT);
	vtd_pasid_format.entry_view(raw, &v);
	assert_int_equal(v.has_root, 0);
	assert_string_equal(v.pgtable, "pass-through");
}

/* ---- caps ---- */

static void caps_from_registers(void **state)
{
	(void)state;
	char err[200];
	/* CAP: ND 6, SAGAW 0b00110, MGAW 47 (48 bits), FL1GP, FL5LP.
	 * ECAP: PT, SRS, PSS 19, PASID, SMTS, SLTS, FLTS. */
	uint64_t cap = 6 | UINT64_C(0x6) << 8 | UINT64_C(47) << 16 | UINT64_C(1) << 56 |
		       UINT64_C(1) << 60;
	uint64_t ecap = UINT64_C(1) << 6 | UINT64_C(1) << 31 | UINT64_C(19) << 35 |
			UINT64_C(1) << 40 | UINT64_C(1) << 43 | UINT64_C(1) << 46 | UINT64_C(1) << 47;
	char spec[96];
	snprintf(spec, sizeof spec, "cap=0x%llx,ecap=0x%llx", (unsigned long long)cap,
		 (unsigned long long)ecap);
	struct vtd_caps *c = vtd_caps_parse(spec, err, sizeof err);
	assert_non_null(c);
	assert_int_equal(c->nd, 6);
	assert_int_equal(c->sagaw, 6);
	assert_int_equal(c->mgaw, 48);
	assert_int_equal(c->fl1gp, 1);
	assert_int_equal(c->fl5lp, 1);
	assert_int_equal(c->pt, 1);
	assert_int_equal(c->srs, 1);
	assert_int_equal(c->pss, 19);
	assert_int_equal(c->slts, 1);
	assert_int_equal(c->flts, 1);
	assert_int_equal(c->nest, 0);
	assert_int_equal(c->mts, 0);
	vtd_caps_free(c);
}

static void caps_profiles_and_errors(void **state)
{
	(void)state;
	char err[200];
	struct vtd_caps *c = vtd_caps_parse("qemu,mgaw=48", err, sizeof err);
	assert_non_null(c);
	assert_string_equal(c->profile, "qemu");
	assert_int_equal(c->flts, 0);
	assert_int_equal(c->mgaw, 48);
	vtd_caps_free(c);
	assert_null(vtd_caps_parse("nosuch", err, sizeof err));
	assert_non_null(strstr(err, "nosuch"));
	assert_null(vtd_caps_parse("sagaw=99", err, sizeof err));
	assert_null(vtd_caps_parse("oas=48", err, sizeof err));
	assert_non_null(strstr(err, "oas"));
	assert_null(vtd_caps_parse("cap=zz", err, sizeof err));
}

/* ---- an in-memory table, walked by the core ---- */

#define V_BASE UINT64_C(0x100000)
#define V_SIZE 0x4000u

struct vharness {
	uint8_t mem[V_SIZE];
	uint64_t base;
	unsigned bits;
	const char *caps;
	int one_ssid;
	uint32_t ssid;
	uint64_t read, valid;
	struct pt_diag_sink diags;
};

static uint8_t *at(struct vharness *h, uint64_t addr)
{
	return h->mem + (addr - V_BASE);
}

/* Directory entry 0 -> table at +0x1000; PASID 0 a Linux first-stage entry. */
static uint8_t *pe0(struct vharness *h)
{
	return at(h, V_BASE + 0x1000);
}

static void pe_set(uint8_t *pe, enum vtd_pe_field_id id, uint64_t v)
{
	assert_int_equal(pt_field_set(pe, &vtd_pe_fields[id], v), 0);
}

static void v_init(struct vharness *h)
{
	pt_formats_init();
	memset(h, 0, sizeof *h);
	h->base = V_BASE;
	h->bits = 13;
	h->caps = "generic";
	vtd_pasid_format.dir_make(at(h, V_BASE), V_BASE + 0x1000);
	vtd_pasid_format.entry_defaults(pe0(h));
	pe_set(pe0(h), PE_DID, 1);
	pe_set(pe0(h), PE_FLPTPTR, 0x200000);
}

static uint64_t v_run(struct vharness *h)
{
	struct pt_source src;
	pt_source_init(&src, "mem");
	int fi = pt_source_add_buffer(&src, "mem", h->mem, sizeof h->mem);
	pt_source_add_range(&src, V_BASE, sizeof h->mem, (uint32_t)fi, 0, sizeof h->mem);
	pt_diag_free(&h->diags);
	pt_diag_init(&h->diags, "mem", NULL);
	pt_source_finish(&src, &h->diags);
	struct pt_table_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.fmt = pt_format_find("vtd-pasid");
	assert_non_null(cfg.fmt);
	cfg.layout = &cfg.fmt->layouts[0];
	cfg.base = h->base;
	cfg.ssid_bits = h->bits;
	char err[200];
	void *caps = cfg.fmt->caps_parse(h->caps, err, sizeof err);
	assert_non_null(caps);
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.src = &src;
	w.diags = &h->diags;
	w.caps = caps;
	w.validate = 1;
	w.one_ssid = h->one_ssid;
	w.ssid = h->ssid;
	pt_walk_run(&w);
	h->read = w.entries_read;
	h->valid = w.entries_valid;
	cfg.fmt->caps_free(caps);
	pt_source_free(&src);
	return h->diags.counts[PT_SEV_NOTE] + h->diags.counts[PT_SEV_WARNING] +
	       h->diags.counts[PT_SEV_ERROR];
}

static unsigned v_count(const struct vharness *h, const char *rule)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < h->diags.nitems; i++)
		if (strcmp(h->diags.items[i].rule->id, rule) == 0)
			n += 1 + h->diags.items[i].repeat;
	return n;
}

static struct vharness *v_new(void)
{
	struct vharness *h = malloc(sizeof *h);
	assert_non_null(h);
	v_init(h);
	return h;
}

static void v_free(struct vharness *h)
{
	pt_diag_free(&h->diags);
	free(h);
}

/* PASID[19:6] picks the directory entry, PASID[5:0] the entry in its table. */
static void walk_splits_pasid(void **state)
{
	(void)state;
	struct vharness *h = v_new();
	vtd_pasid_format.dir_make(at(h, V_BASE + 8 * 2), V_BASE + 0x2000);
	struct pt_source src;
	pt_source_init(&src, "mem");
	int fi = pt_source_add_buffer(&src, "mem", h->mem, sizeof h->mem);
	pt_source_add_range(&src, V_BASE, sizeof h->mem, (uint32_t)fi, 0, sizeof h->mem);
	pt_source_finish(&src, &h->diags);
	struct pt_table_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.fmt = &vtd_pasid_format;
	cfg.layout = pt_format_layout(&vtd_pasid_format, "2lvl");
	assert_non_null(cfg.layout);
	cfg.base = V_BASE;
	cfg.ssid_bits = 20;
	uint64_t addr;
	const char *why;
	assert_int_equal(pt_entry_address(&src, &cfg, 0, &addr, &why), 0);
	assert_true(addr == V_BASE + 0x1000);
	assert_int_equal(pt_entry_address(&src, &cfg, 63, &addr, &why), 0);
	assert_true(addr == V_BASE + 0x1000 + 63 * 64);
	assert_int_equal(pt_entry_address(&src, &cfg, 2 * 64 + 5, &addr, &why), 0);
	assert_true(addr == V_BASE + 0x2000 + 5 * 64);
	assert_int_equal(pt_entry_address(&src, &cfg, 64, &addr, &why), -1);
	assert_non_null(strstr(why, "not valid"));
	struct pt_geometry g;
	assert_int_equal(pt_geometry(&cfg, &g), 0);
	assert_int_equal(g.leaf_bits, 6);
	assert_int_equal(g.ndir, 1u << 14);
	assert_int_equal(g.leaf_bytes, 4096);
	assert_int_equal(g.root_bytes, 128 * 1024);
	pt_source_free(&src);
	v_free(h);
}

/* A full walk reads the 64 entries of each present table only. */
static void walk_counts_entries(void **state)
{
	(void)state;
	struct vharness *h = v_new();
	vtd_pasid_format.dir_make(at(h, V_BASE + 8 * 5), V_BASE + 0x2000);
	vtd_pasid_format.entry_defaults(at(h, V_BASE + 0x2000 + 7 * 64));
	pe_set(at(h, V_BASE + 0x2000 + 7 * 64), PE_FLPTPTR, 0x300000);
	assert_int_equal(v_run(h), 0);
	assert_int_equal(h->read, 128);
	assert_int_equal(h->valid, 2);
	v_free(h);
}

static void baseline_is_clean(void **state)
{
	(void)state;
	struct vharness *h = v_new();
	assert_int_equal(v_run(h), 0);
	h->caps = "qemu-flts";
	assert_int_equal(v_run(h), 0);
	v_free(h);
}

/* ---- every rule: a near miss that passes, a case that fires ---- */

typedef void (*setup_fn)(struct vharness *h);

struct rule_case {
	const char *rule;
	setup_fn pass, fire;
};

static void nothing(struct vharness *h) { (void)h; }
static void ss(struct vharness *h)
{
	pe_set(pe0(h), PE_PGTT, VTD_PGTT_SS);
	pe_set(pe0(h), PE_SLPTPTR, 0x400000);
}
static void nested(struct vharness *h)
{
	ss(h);
	pe_set(pe0(h), PE_PGTT, VTD_PGTT_NESTED);
}

static void pde_read_pass(struct vharness *h) { h->one_ssid = 1; }
static void pde_read_fire(struct vharness *h) { h->bits = 20; }
static void pde_np_pass(struct vharness *h) { h->one_ssid = 1; h->ssid = 1; }
static void pde_np_fire(struct vharness *h) { h->one_ssid = 1; h->ssid = 64; }
static void pde_rsvd_pass(struct vharness *h) { at(h, V_BASE + 8)[0] = 0x3c; }
static void pde_rsvd_fire(struct vharness *h) { at(h, V_BASE)[0] |= 0x4; }
static void pde_rsvd_ptr_fire(struct vharness *h)
{
	vtd_pasid_format.dir_make(at(h, V_BASE + 8), UINT64_C(1) << 48);
}
static void pe_read_pass(struct vharness *h)
{
	vtd_pasid_format.dir_make(at(h, V_BASE + 8), V_BASE + 0x3000);
}
static void pe_read_fire(struct vharness *h)
{
	vtd_pasid_format.dir_make(at(h, V_BASE + 8), V_BASE + 0x4000);
}
static void pe_np_pass(struct vharness *h) { h->one_ssid = 1; }
static void pe_np_fire(struct vharness *h) { h->one_ssid = 1; h->ssid = 1; }
static void pe_rsvd_pass(struct vharness *h) { pe_set(pe0(h), PE_PAT, 0x06060606); h->caps = "generic,mts=1"; }
static void pe_rsvd_fire(struct vharness *h) { pe_set(pe0(h), PE_RES0_319_256, 1); }
static void pe_rsvd_not_present(struct vharness *h)
{
	pe_set(pe0(h), PE_RES0_139_136, 1);
	pe_set(pe0(h), PE_P, 0);
}
static void feat_pass(struct vharness *h) { h->caps = "generic,eafs=1"; pe_set(pe0(h), PE_EAFE, 1); }
static void feat_fire(struct vharness *h) { pe_set(pe0(h), PE_EAFE, 1); }
static void pgtt_res_pass(struct vharness *h) { pe_set(pe0(h), PE_PGTT, VTD_PGTT_PT); }
static void pgtt_res_fire(struct vharness *h) { pe_set(pe0(h), PE_PGTT, 5); }
static void pgtt_un_pass(struct vharness *h) { h->caps = "qemu"; ss(h); pe_set(pe0(h), PE_AW, 1); }
static void pgtt_un_fire(struct vharness *h) { h->caps = "qemu"; nested(h); pe_set(pe0(h), PE_AW, 1); }
static void aw_pass(struct vharness *h) { ss(h); pe_set(pe0(h), PE_AW, 1); }
static void aw_fire(struct vharness *h) { ss(h); pe_set(pe0(h), PE_AW, 3); }
static void aw_fs_pass(struct vharness *h) { pe_set(pe0(h), PE_AW, 0); }
static void flpm_pass(struct vharness *h) { h->caps = "generic,fl5lp=1"; pe_set(pe0(h), PE_FLPM, 1); }
static void flpm_fire(struct vharness *h) { pe_set(pe0(h), PE_FLPM, 1); }
static void flpm_res_fire(struct vharness *h) { h->caps = "generic,fl5lp=1"; pe_set(pe0(h), PE_FLPM, 2); }
static void did_pass(struct vharness *h) { h->caps = "generic,nd=2"; pe_set(pe0(h), PE_DID, 0xff); }
static void did_fire(struct vharness *h) { h->caps = "generic,nd=2"; pe_set(pe0(h), PE_DID, 0x100); }
static void slpt_pass(struct vharness *h) { ss(h); pe_set(pe0(h), PE_SLPTPTR, (UINT64_C(1) << 48) - 0x1000); }
static void slpt_fire(struct vharness *h) { ss(h); pe_set(pe0(h), PE_SLPTPTR, UINT64_C(1) << 48); }
static void flpt_pass(struct vharness *h) { pe_set(pe0(h), PE_SLPTPTR, UINT64_C(1) << 50); }
static void flpt_fire(struct vharness *h) { pe_set(pe0(h), PE_FLPTPTR, UINT64_C(1) << 48); }
/* Nested: FLPTPTR is a GPA, bounded by the second stage's 39-bit input. */
static void flpt_nested_pass(struct vharness *h)
{
	nested(h);
	pe_set(pe0(h), PE_AW, 1);
	pe_set(pe0(h), PE_FLPTPTR, (UINT64_C(1) << 39) - 0x1000);
}
static void flpt_nested_fire(struct vharness *h) { flpt_nested_pass(h); pe_set(pe0(h), PE_FLPTPTR, UINT64_C(1) << 39); }
static void ere_pass(struct vharness *h) { h->caps = "generic,ers=1"; h->one_ssid = 1; pe_set(pe0(h), PE_ERE, 1); }
static void ere_fire(struct vharness *h) { h->caps = "generic,ers=1"; h->one_ssid = 1; }
static void ere_full_walk(struct vharness *h) { h->caps = "generic,ers=1"; }
static void sre_pass(struct vharness *h) { h->one_ssid = 1; pe_set(pe0(h), PE_SRE, 1); }
static void sre_fire(struct vharness *h) { h->one_ssid = 1; }
static void align_pass(struct vharness *h) { (void)h; }
static void align_fire(struct vharness *h)
{
	h->base = V_BASE + 0x400;
	vtd_pasid_format.dir_make(at(h, h->base), V_BASE + 0x1000);
}
static void pdts_pass(struct vharness *h) { h->bits = 14; }
static void pdts_fire(struct vharness *h) { h->bits = 12; }
static void pdts_pss_fire(struct vharness *h) { h->caps = "generic,pss=12"; h->bits = 14; }

static const struct rule_case cases[] = {
	{ "VTD-PDE-READ", pde_read_pass, pde_read_fire },
	{ "VTD-PDE-NOT-PRESENT", pde_np_pass, pde_np_fire },
	{ "VTD-PDE-RSVD", pde_rsvd_pass, pde_rsvd_fire },
	{ "VTD-PDE-RSVD", nothing, pde_rsvd_ptr_fire },
	{ "VTD-PE-READ", pe_read_pass, pe_read_fire },
	{ "VTD-PE-NOT-PRESENT", pe_np_pass, pe_np_fire },
	{ "VTD-PE-RSVD", pe_rsvd_pass, pe_rsvd_fire },
	{ "VTD-PE-RSVD", pe_rsvd_not_present, pe_rsvd_fire },
	{ "VTD-PE-RSVD-FEATURE", feat_pass, feat_fire },
	{ "VTD-PE-PGTT-RESERVED", pgtt_res_pass, pgtt_res_fire },
	{ "VTD-PE-PGTT-UNSUPPORTED", pgtt_un_pass, pgtt_un_fire },
	{ "VTD-PE-AW", aw_pass, aw_fire },
	{ "VTD-PE-AW", aw_fs_pass, aw_fire },
	{ "VTD-PE-FLPM", flpm_pass, flpm_fire },
	{ "VTD-PE-FLPM", flpm_pass, flpm_res_fire },
	{ "VTD-PE-DID", did_pass, did_fire },
	{ "VTD-PE-SLPTPTR-RANGE", slpt_pass, slpt_fire },
	{ "VTD-PE-FLPTPTR-RANGE", flpt_pass, flpt_fire },
	{ "VTD-PE-FLPTPTR-RANGE", flpt_nested_pass, flpt_nested_fire },
	{ "VTD-PE-ERE", ere_pass, ere_fire },
	{ "VTD-PE-ERE", ere_full_walk, ere_fire },
	{ "VTD-PE-SRE", sre_pass, sre_fire },
	{ "VTD-DIR-ALIGN", align_pass, align_fire },
	{ "VTD-DIR-PDTS", pdts_pass, pdts_fire },
	{ "VTD-DIR-PDTS", pdts_pass, pdts_pss_fire },
};

#define NCASES (sizeof cases / sizeof cases[0])

static void run_case(void **state)
{
	const struct rule_case *c = *state;
	struct vharness *h = v_new();
	c->pass(h);
	v_run(h);
	if (v_count(h, c->rule) != 0)
		fail_msg("%s fired on its passing case", c->rule);
	pt_diag_free(&h->diags);
	v_init(h);
	c->fire(h);
	v_run(h);
	if (v_count(h, c->rule) == 0)
		fail_msg("%s did not fire on its failing case", c->rule);
	v_free(h);
}

static void every_rule_has_cases(void **state)
{
	(void)state;
	pt_formats_init();
	for (size_t i = 0; i < vtd_rules.nrules; i++) {
		int found = 0;
		for (size_t c = 0; c < NCASES; c++)
			found |= strcmp(cases[c].rule, vtd_rules.rules[i].id) == 0;
		if (!found)
			fail_msg("rule %s has no test case", vtd_rules.rules[i].id);
	}
}

/* Every rule says what it is about and which fault the unit records. */
static void rules_are_complete(void **state)
{
	(void)state;
	for (size_t i = 0; i < vtd_rules.nrules; i++) {
		const struct pt_rule *r = &vtd_rules.rules[i];
		assert_non_null(r->id);
		assert_int_equal(strncmp(r->id, "VTD-", 4), 0);
		assert_true(r->severity >= PT_SEV_NOTE && r->severity <= PT_SEV_ERROR);
		assert_non_null(r->summary);
		assert_non_null(r->source);
		assert_non_null(strstr(r->source, "VT-d"));
		assert_non_null(strstr(r->effect, "0x"));
		assert_ptr_equal(pt_rule_find(r->id), r);
	}
}

/* A finding carries the field, the SSID, the address and the fault reason. */
static void finding_carries_fault_reason(void **state)
{
	(void)state;
	struct vharness *h = v_new();
	pgtt_res_fire(h);
	v_run(h);
	assert_int_equal(h->diags.nitems, 1);
	const struct pt_diag *d = &h->diags.items[0];
	assert_string_equal(d->rule->id, "VTD-PE-PGTT-RESERVED");
	assert_string_equal(d->field, "pgtt");
	assert_true(d->addr == V_BASE + 0x1000);
	assert_int_equal(d->scope, PT_SCOPE_SSID);
	assert_int_equal(d->scope_id, 0);
	assert_non_null(strstr(d->msg, "0x5B"));
	v_free(h);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(fields_tile_entry),
		cmocka_unit_test(fields_tile_dir_entry),
		cmocka_unit_test(field_names_unique),
		cmocka_unit_test(encode_lands_on_spec_bits),
		cmocka_unit_test(encode_refuses_what_does_not_fit),
		cmocka_unit_test(dir_entry_make_and_view),
		cmocka_unit_test(entry_view_follows_pgtt),
		cmocka_unit_test(caps_from_registers),
		cmocka_unit_test(caps_profiles_and_errors),
		cmocka_unit_test(walk_splits_pasid),
		cmocka_unit_test(walk_counts_entries),
		cmocka_unit_test(baseline_is_clean),
		cmocka_unit_test(every_rule_has_cases),
		cmocka_unit_test(rules_are_complete),
		cmocka_unit_test(finding_carries_fault_reason),
	};
	enum { NFIXED = sizeof fixed / sizeof fixed[0] };
	struct CMUnitTest tests[NFIXED + NCASES];
	static char names[NCASES][80];
	memcpy(tests, fixed, sizeof fixed);
	for (size_t i = 0; i < NCASES; i++) {
		snprintf(names[i], sizeof names[i], "rule %s #%zu", cases[i].rule, i);
		tests[NFIXED + i] = (struct CMUnitTest){ names[i], run_case, NULL, NULL,
							 (void *)(uintptr_t)&cases[i] };
	}
	return _cmocka_run_group_tests("vtd", tests, NFIXED + NCASES, NULL, NULL);
}

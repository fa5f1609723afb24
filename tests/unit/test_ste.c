/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SMMUv3 stream tables: STE/L1STD/register field tables (decode, encode,
 * exact bit coverage), STRTAB_BASE(_CFG) decoding, STE -> CD table config,
 * 2-level walks honouring L1STD.Span, and every STE-, L1STD- and STRTAB-
 * rule with a passing and a failing case. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "enum_rows.h"
#include "formats.h"
#include "smmuv3.h"
#include "source.h"

/* ---- field tables ---- */

/* Every bit of a structure belongs to exactly one field: no gaps, no
 * overlaps, so decode -> encode keeps every byte. */
static void assert_exact_cover(const struct pt_struct *st)
{
	uint8_t seen[64 * 8];
	memset(seen, 0, sizeof seen);
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		unsigned first = f->word * 64u + f->lsb;
		for (unsigned b = first; b < first + f->width; b++) {
			assert_true(b < st->size * 8);
			if (seen[b])
				fail_msg("%s: bit %u in %s and another field", st->name, b, f->name);
			seen[b] = 1;
		}
	}
	for (unsigned b = 0; b < st->size * 8; b++)
		if (!seen[b])
			fail_msg("%s: bit %u is in no field", st->name, b);
}

static void test_field_tables_cover(void **state)
{
	(void)state;
	assert_int_equal(smmu_ste_struct.size, 64);
	assert_int_equal(smmu_l1std_struct.size, 8);
	assert_exact_cover(&smmu_ste_struct);
	assert_exact_cover(&smmu_l1std_struct);
	assert_exact_cover(&smmu_strtab_base_struct);
	assert_exact_cover(&smmu_strtab_cfg_struct);
}

/* A stage-1 STE and a nested one as Linux and QEMU would write them. */
static void test_ste_decode(void **state)
{
	(void)state;
	uint8_t raw[64];
	memset(raw, 0, sizeof raw);
	/* V, Config 5, S1Fmt 2, S1ContextPtr 0x8_1234_5640, S1CDMax 10 */
	pt_put_le64(raw, 0, 1 | 5u << 1 | 2u << 4 | UINT64_C(0x812345640) | UINT64_C(10) << 59);
	/* S1DSS 2, S1CIR 1, S1COR 1, S1CSH 3, S1STALLD, EATS 1, STRW 2, SHCFG 1 */
	pt_put_le64(raw, 1, 2 | 1u << 2 | 1u << 4 | 3u << 6 | 1u << 27 | 1u << 28 | 2u << 30 |
				    UINT64_C(1) << 44);
	/* S2VMID 0x1234, S2T0SZ 24, S2SL0 1, S2TG 64k, S2PS 48bit, S2AA64, S2R */
	pt_put_le64(raw, 2, 0x1234 | UINT64_C(24) << 32 | UINT64_C(1) << 38 | UINT64_C(1) << 46 |
				    UINT64_C(5) << 48 | UINT64_C(1) << 51 | UINT64_C(1) << 58);
	pt_put_le64(raw, 3, UINT64_C(0x0000fedcba987650));    /* S2TTB 0xfedcba98765 << 4 */
	pt_put_le64(raw, 5, UINT64_C(0x0000123456789000) | 7); /* VMSPtr, PMG 7 */
	pt_put_le64(raw, 7, UINT64_C(0xfedcba9876543210));    /* S2POI */
	assert_int_equal(smmu_ste(raw, STE_V), 1);
	assert_int_equal(smmu_ste(raw, STE_CONFIG), 5);
	assert_string_equal(pt_field_enum_name(&smmu_ste_fields[STE_CONFIG], 5), "s1-trans");
	assert_int_equal(smmu_ste(raw, STE_S1FMT), 2);
	assert_int_equal(smmu_ste(raw, STE_S1CONTEXTPTR), UINT64_C(0x812345640));
	assert_int_equal(smmu_ste(raw, STE_S1CDMAX), 10);
	assert_int_equal(smmu_ste(raw, STE_S1DSS), 2);
	assert_string_equal(pt_field_enum_name(&smmu_ste_fields[STE_S1DSS], 2), "ssid0");
	assert_int_equal(smmu_ste(raw, STE_S1CIR), 1);
	assert_int_equal(smmu_ste(raw, STE_S1CSH), 3);
	assert_int_equal(smmu_ste(raw, STE_S1STALLD), 1);
	assert_int_equal(smmu_ste(raw, STE_EATS), 1);
	assert_int_equal(smmu_ste(raw, STE_STRW), 2);
	assert_string_equal(pt_field_enum_name(&smmu_ste_fields[STE_STRW], 2), "el2");
	assert_int_equal(smmu_ste(raw, STE_SHCFG), 1);
	assert_int_equal(smmu_ste(raw, STE_S2VMID), 0x1234);
	assert_int_equal(smmu_ste(raw, STE_S2T0SZ), 24);
	assert_int_equal(smmu_ste(raw, STE_S2SL0), 1);
	assert_int_equal(smmu_ste(raw, STE_S2TG), 1);
	assert_int_equal(smmu_ste(raw, STE_S2PS), 5);
	assert_int_equal(smmu_ste(raw, STE_S2AA64), 1);
	assert_int_equal(smmu_ste(raw, STE_S2R), 1);
	assert_int_equal(smmu_ste(raw, STE_S2S), 0);
	assert_int_equal(smmu_ste(raw, STE_S2TTB), UINT64_C(0xfedcba987650));
	assert_int_equal(smmu_ste(raw, STE_VMSPTR), UINT64_C(0x123456789000));
	assert_int_equal(smmu_ste(raw, STE_PMG), 7);
	assert_int_equal(smmu_ste(raw, STE_S2POI), UINT64_C(0xfedcba9876543210));
	assert_int_equal(smmu_ste(raw, STE_RES0_58_56), 0);
}

static void test_ste_encode(void **state)
{
	(void)state;
	uint8_t raw[64];
	memset(raw, 0, sizeof raw);
	assert_int_equal(pt_field_set(raw, &smmu_ste_fields[STE_V], 1), 0);
	assert_int_equal(pt_field_set(raw, &smmu_ste_fields[STE_CONFIG], 7), 0);
	assert_int_equal(pt_field_set(raw, &smmu_ste_fields[STE_S1CONTEXTPTR],
				      UINT64_C(0x4a000040)), 0);
	assert_int_equal(pt_field_set(raw, &smmu_ste_fields[STE_S1CDMAX], 31), 0);
	assert_int_equal(pt_field_set(raw, &smmu_ste_fields[STE_S1DSS], 1), 0);
	assert_int_equal(pt_field_set(raw, &smmu_ste_fields[STE_S2VMID], 0xbeef), 0);
	assert_int_equal(pt_field_set(raw, &smmu_ste_fields[STE_S_S2TTB], UINT64_C(0x1000)), 0);
	/* Values that do not fit, or addresses below the field's alignment. */
	assert_int_equal(pt_field_set(raw, &smmu_ste_fields[STE_S1CDMAX], 32), -1);
	assert_int_equal(pt_field_set(raw, &smmu_ste_fields[STE_S1CONTEXTPTR], 0x4a000020), -1);
	assert_int_equal(pt_field_set(raw, &smmu_ste_fields[STE_CONFIG], 8), -1);
	assert_int_equal(pt_le64(raw, 0), UINT64_C(0xf80000004a00004f));
	assert_int_equal(pt_le64(raw, 1), 1);
	assert_int_equal(pt_le64(raw, 2), 0xbeef);
	assert_int_equal(pt_le64(raw, 6), 0x1000);
	uint64_t v;
	assert_int_equal(pt_field_enum_value(&smmu_ste_fields[STE_EATS], "split", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(pt_field_enum_value(&smmu_ste_fields[STE_CONFIG], "nested", &v), 0);
	assert_int_equal(v, 7);
}

static void test_l1std_view(void **state)
{
	(void)state;
	const struct pt_format *f = &smmu_strtab_format;
	uint8_t raw[8];
	struct pt_dir_view dv;
	static const struct {
		uint64_t word;
		int valid;
		uint64_t count;
	} cases[] = {
		{ 0x48004009, 1, 256 }, { 0x48004001, 1, 1 }, { 0x4800400b, 1, 1024 },
		{ 0x48004000, 0, 0 },   { 0x4800400c, 0, 0 }, { 0x4800401f, 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pt_put_le64(raw, 0, cases[i].word);
		memset(&dv, 0, sizeof dv);
		f->dir_view(raw, &dv);
		assert_int_equal(dv.valid, cases[i].valid);
		assert_int_equal(dv.count, cases[i].count);
		assert_int_equal(dv.next, 0x48004000);
	}
	f->dir_make_sized(raw, 0x48010000, 8);
	assert_int_equal(pt_le64(raw, 0), 0x48010009);
	f->dir_make_sized(raw, 0x48010000, 10);
	assert_int_equal(pt_le64(raw, 0), 0x4801000b);
}

/* ---- registers ---- */

static void test_strtab_registers(void **state)
{
	(void)state;
	struct smmu_strtab st;
	struct pt_table_cfg cfg;
	const char *why = NULL;
	/* QEMU 7.2 with a Linux guest: 2-level, SPLIT 8, LOG2SIZE 16. */
	smmu_strtab_decode(UINT64_C(0x4000000048000000), 0x10210, 16, &st);
	assert_int_equal(st.base, 0x48000000);
	assert_int_equal(st.fmt, 1);
	assert_int_equal(st.split, 8);
	assert_int_equal(st.log2size, 16);
	assert_int_equal(st.sid_bits, 16);
	assert_int_equal(smmu_strtab_table_cfg(&st, &cfg, &why), 0);
	assert_ptr_equal(cfg.fmt, &smmu_strtab_format);
	assert_string_equal(cfg.layout->name, "2lvl");
	assert_int_equal(cfg.leaf_bits, 8);
	assert_int_equal(cfg.ssid_bits, 16);
	struct pt_geometry g;
	assert_int_equal(pt_geometry(&cfg, &g), 0);
	assert_int_equal(g.ndir, 256);
	assert_int_equal(g.leaf_bits, 8);
	assert_int_equal(g.root_bytes, 2048);
	/* LOG2SIZE above SIDSIZE is capped; linear. */
	smmu_strtab_decode(0x80000000, 20, 16, &st);
	assert_int_equal(st.sid_bits, 16);
	assert_int_equal(smmu_strtab_table_cfg(&st, &cfg, &why), 0);
	assert_string_equal(cfg.layout->name, "linear");
	assert_int_equal(cfg.leaf_bits, 0);
	/* LOG2SIZE 63 with SIDSIZE 32: 32 bits, still a geometry. */
	smmu_strtab_decode(0, 0x3f, 32, &st);
	assert_int_equal(st.sid_bits, 32);
	assert_int_equal(smmu_strtab_table_cfg(&st, &cfg, &why), 0);
	assert_int_equal(pt_geometry(&cfg, &g), 0);
	assert_int_equal(g.nentries, UINT64_C(1) << 32);
	/* SPLIT above LOG2SIZE: one L1 descriptor. */
	smmu_strtab_decode(0x1000, 0x10284, 32, &st);
	assert_int_equal(smmu_strtab_table_cfg(&st, &cfg, &why), 0);
	assert_int_equal(pt_geometry(&cfg, &g), 0);
	assert_int_equal(g.ndir, 1);
	assert_int_equal(g.leaf_bits, 4);
	/* Reserved FMT and SPLIT describe no table. */
	smmu_strtab_decode(0x1000, 0x20210, 32, &st);
	assert_int_equal(smmu_strtab_table_cfg(&st, &cfg, &why), -1);
	assert_non_null(strstr(why, "FMT"));
	smmu_strtab_decode(0x1000, 0x101d0, 32, &st);
	assert_int_equal(st.split, 7);
	assert_int_equal(smmu_strtab_table_cfg(&st, &cfg, &why), -1);
	assert_non_null(strstr(why, "SPLIT"));
}

/* ---- STE -> CD table ---- */

static void s1_ste(uint8_t *raw, uint64_t ptr, unsigned fmt, unsigned cdmax, unsigned s1dss)
{
	memset(raw, 0, 64);
	pt_field_set(raw, &smmu_ste_fields[STE_V], 1);
	pt_field_set(raw, &smmu_ste_fields[STE_CONFIG], SMMU_STE_S1);
	pt_field_set(raw, &smmu_ste_fields[STE_S1CONTEXTPTR], ptr);
	pt_field_set(raw, &smmu_ste_fields[STE_S1FMT], fmt);
	pt_field_set(raw, &smmu_ste_fields[STE_S1CDMAX], cdmax);
	pt_field_set(raw, &smmu_ste_fields[STE_S1DSS], s1dss);
}

static void test_ste_cd_cfg(void **state)
{
	(void)state;
	struct smmu_caps caps, qemu;
	smmu_caps_default(&caps);
	char err[128];
	struct smmu_caps *q = smmu_caps_parse("qemu", err, sizeof err);
	assert_non_null(q);
	qemu = *q;
	smmu_caps_free(q);
	uint8_t raw[64];
	struct pt_table_cfg cfg;
	struct smmu_ste_ctx ctx;
	const char *why = NULL;

	/* S1CDMax 0: one CD, and traffic without an SSID uses it. */
	s1_ste(raw, 0x4a000000, 2, 0, 0);
	assert_int_equal(smmu_ste_cd_cfg(raw, &caps, &cfg, &why), 0);
	assert_ptr_equal(cfg.fmt, &smmu_cd_format);
	assert_string_equal(cfg.layout->name, "linear");
	assert_int_equal(cfg.ssid_bits, 0);
	assert_int_equal(cfg.base, 0x4a000000);
	smmu_ste_ctx_unpack(cfg.vendor[0], &ctx);
	assert_int_equal(ctx.present, 1);
	assert_int_equal(ctx.s1dss, 2);
	assert_int_equal(ctx.config, 5);

	/* Substreams: layout from S1Fmt, bits from S1CDMax, S1DSS as given. */
	s1_ste(raw, 0x4a000000, 2, 16, 1);
	pt_field_set(raw, &smmu_ste_fields[STE_S1STALLD], 1);
	assert_int_equal(smmu_ste_cd_cfg(raw, &caps, &cfg, &why), 0);
	assert_string_equal(cfg.layout->name, "2lvl-64k");
	assert_int_equal(cfg.ssid_bits, 16);
	smmu_ste_ctx_unpack(cfg.vendor[0], &ctx);
	assert_int_equal(ctx.s1dss, 1);
	assert_int_equal(ctx.s1stalld, 1);
	/* ... but an SMMU without substreams (QEMU) ignores S1CDMax and S1Fmt. */
	assert_int_equal(smmu_ste_cd_cfg(raw, &qemu, &cfg, &why), 0);
	assert_string_equal(cfg.layout->name, "linear");
	assert_int_equal(cfg.ssid_bits, 0);
	/* S1Fmt 3 is reserved and behaves as linear; S1DSS 3 as terminate. */
	s1_ste(raw, 0x4a000000, 3, 4, 3);
	assert_int_equal(smmu_ste_cd_cfg(raw, &caps, &cfg, &why), 0);
	assert_string_equal(cfg.layout->name, "linear");
	smmu_ste_ctx_unpack(cfg.vendor[0], &ctx);
	assert_int_equal(ctx.s1dss, 0);

	/* No CD table: invalid, bypass, nested (IPA), S1CDMax beyond 20. */
	s1_ste(raw, 0x4a000000, 0, 0, 0);
	pt_field_set(raw, &smmu_ste_fields[STE_V], 0);
	assert_int_equal(smmu_ste_cd_cfg(raw, &caps, &cfg, &why), -1);
	s1_ste(raw, 0x4a000000, 0, 0, 0);
	pt_field_set(raw, &smmu_ste_fields[STE_CONFIG], SMMU_STE_BYPASS);
	assert_int_equal(smmu_ste_cd_cfg(raw, &caps, &cfg, &why), -1);
	pt_field_set(raw, &smmu_ste_fields[STE_CONFIG], SMMU_STE_NESTED);
	assert_int_equal(smmu_ste_cd_cfg(raw, &caps, &cfg, &why), -1);
	assert_non_null(strstr(why, "IPA"));
	s1_ste(raw, 0x4a000000, 0, 25, 0);
	assert_int_equal(smmu_ste_cd_cfg(raw, &caps, &cfg, &why), -1);
}

/* ---- walking a 2-level stream table with short leaves ---- */

struct counter {
	uint32_t sids[16];
	unsigned n;
};

static int count_entry(struct pt_walk *w, uint32_t sid, uint64_t addr, const uint8_t *raw)
{
	struct counter *c = w->user;
	(void)addr;
	(void)raw;
	if (c->n < 16)
		c->sids[c->n] = sid;
	c->n++;
	return 0;
}

static const struct pt_walk_ops count_ops = { NULL, NULL, count_entry };

static uint8_t mem[0x3000];

/* A walk of a stream table at 0x10000 (SPLIT 6, LOG2SIZE 8: 4 descriptors)
 * read from mem, of which the first filesz bytes are in the input (the rest
 * zero fill), counting the STEs it visits. */
struct strtab_walk {
	struct pt_source src;
	struct pt_table_cfg cfg;
	struct pt_diag_sink diags;
	struct counter c;
	struct pt_walk w;
};

static void walk_open(struct strtab_walk *t, const char *name, uint64_t filesz,
		      const struct pt_walk_ops *ops)
{
	pt_source_init(&t->src, name);
	int file = pt_source_add_buffer(&t->src, name, mem, sizeof mem);
	assert_true(file >= 0);
	assert_int_equal(pt_source_add_range(&t->src, 0x10000, sizeof mem, (uint32_t)file, 0,
					     filesz), 0);
	assert_int_equal(pt_source_finish(&t->src, NULL), 0);
	struct smmu_strtab st;
	const char *why;
	smmu_strtab_decode(0x10000, 0x10188, 32, &st);
	assert_int_equal(smmu_strtab_table_cfg(&st, &t->cfg, &why), 0);
	pt_diag_init(&t->diags, name, NULL);
	memset(&t->c, 0, sizeof t->c);
	memset(&t->w, 0, sizeof t->w);
	t->w.cfg = &t->cfg;
	t->w.src = &t->src;
	t->w.diags = &t->diags;
	t->w.ops = ops;
	t->w.user = &t->c;
}

static void walk_close(struct strtab_walk *t)
{
	pt_diag_free(&t->diags);
	pt_source_free(&t->src);
}

/* l1[0] a 2-STE leaf, l1[2] a full 64-STE leaf; STEs valid at SIDs 0, 1, 2
 * (past Span) and 130. */
static void make_2lvl(void)
{
	memset(mem, 0, sizeof mem);
	pt_put_le64(mem, 0, 0x11000 | 2);           /* l1[0]: Span 2 = 2 STEs */
	pt_put_le64(mem, 2, 0x12000 | 7);           /* l1[2]: Span 7 = 64 STEs */
	for (unsigned sid = 0; sid < 3; sid++)
		mem[0x1000 + sid * 64] = 1;             /* V */
	mem[0x2000 + 2 * 64] = 1;                   /* sid 130 */
}

static void test_walk_2lvl_span(void **state)
{
	(void)state;
	struct strtab_walk t;
	make_2lvl();
	walk_open(&t, "mem", sizeof mem, &count_ops);
	struct pt_walk *w = &t.w;
	assert_int_equal(pt_walk_run(w), 0);
	/* Two from the short leaf (SID 2 is past its Span), 64 from the other. */
	assert_int_equal(w->entries_read, 66);
	assert_int_equal(w->entries_valid, 3);
	assert_int_equal(w->dirs_valid, 2);
	assert_int_equal(t.c.sids[0], 0);
	assert_int_equal(t.c.sids[1], 1);
	assert_int_equal(t.c.sids[2], 128);

	uint64_t addr;
	const char *why;
	assert_int_equal(pt_entry_address(&t.src, &t.cfg, 1, &addr, &why), 0);
	assert_int_equal(addr, 0x11040);
	assert_int_equal(pt_entry_address(&t.src, &t.cfg, 130, &addr, &why), 0);
	assert_int_equal(addr, 0x12080);
	assert_int_equal(pt_entry_address(&t.src, &t.cfg, 2, &addr, &why), -1);
	assert_non_null(strstr(why, "past"));
	assert_int_equal(pt_entry_address(&t.src, &t.cfg, 64, &addr, &why), -1);

	/* Asking for SID 2 reports the descriptor's span, not a phantom STE. */
	memset(&t.c, 0, sizeof t.c);
	w->one_ssid = 1;
	w->ssid = 2;
	w->entries_read = 0;
	assert_int_equal(pt_walk_run(w), 0);
	assert_int_equal(t.c.n, 0);
	assert_int_equal(t.diags.nitems, 1);
	assert_string_equal(t.diags.items[0].rule->id, "L1STD-NOT-VALID");
	assert_int_equal(t.diags.items[0].scope, PT_SCOPE_SID);
	assert_int_equal(t.diags.items[0].scope_id, 2);
	walk_close(&t);
}

/* An L1 table in zero-filled memory (a core's p_memsz past p_filesz) is
 * one run: the first descriptor is read, the rest counted with it, so the
 * walk reports all four descriptors read and none valid. */
static void test_walk_dirs_in_zero_fill(void **state)
{
	(void)state;
	struct strtab_walk t;
	walk_open(&t, "zero", 0, &count_ops);
	assert_int_equal(pt_walk_run(&t.w), 0);
	assert_int_equal(t.w.dirs_read, 4);
	assert_int_equal(t.w.dirs_valid, 0);
	assert_int_equal(t.w.entries_read, 0);
	assert_int_equal(t.c.n, 0);
	walk_close(&t);
}

/* A geometry exists up to the format's widest index (32 StreamID bits)
 * and the widest leaf; one bit more is refused, not shifted out of range. */
static void test_geometry_limits(void **state)
{
	(void)state;
	struct smmu_strtab st;
	struct pt_table_cfg cfg;
	struct pt_geometry g;
	const char *why;
	smmu_strtab_decode(0, 0x3f, 32, &st);
	assert_int_equal(smmu_strtab_table_cfg(&st, &cfg, &why), 0);
	assert_int_equal(pt_format_max_index_bits(cfg.fmt), 32);
	assert_int_equal(pt_geometry(&cfg, &g), 0);
	cfg.ssid_bits = 33;
	assert_int_equal(pt_geometry(&cfg, &g), -1);
	/* Two levels: a leaf width of 32 bits is the most there is. */
	smmu_strtab_decode(0x1000, 0x10210, 16, &st);
	assert_int_equal(smmu_strtab_table_cfg(&st, &cfg, &why), 0);
	cfg.leaf_bits = PT_MAX_INDEX_BITS;
	assert_int_equal(pt_geometry(&cfg, &g), 0);
	assert_int_equal(g.leaf_bits, 16);
	assert_int_equal(g.ndir, 1);
	cfg.leaf_bits = PT_MAX_INDEX_BITS + 1;
	assert_int_equal(pt_geometry(&cfg, &g), -1);
}

/* --caps idrN=VALUE takes a 32-bit register: 0xffffffff is one, 2^32 is
 * refused with a message that says so (not truncated to IDR0 = 0). */
static void test_caps_register_width(void **state)
{
	(void)state;
	char err[256] = "";
	struct smmu_caps *c = smmu_caps_parse("generic,idr0=0xffffffff", err, sizeof err);
	assert_non_null(c);
	smmu_caps_free(c);
	c = smmu_caps_parse("generic,idr0=0x100000000", err, sizeof err);
	assert_null(c);
	assert_non_null(strstr(err, "a 32-bit register value"));
	err[0] = 0;
	c = smmu_caps_parse("generic,idr5=x", err, sizeof err);
	assert_null(c);
	assert_non_null(strstr(err, "a 32-bit register value"));
	/* Each key sets its own register: IDR5.OAS 0b101 is 48 bits, 0b000 32. */
	c = smmu_caps_parse("generic,idr5=0x5", err, sizeof err);
	assert_non_null(c);
	assert_int_equal(c->oas_bits, 48);
	smmu_caps_free(c);
	c = smmu_caps_parse("generic,idr5=0", err, sizeof err);
	assert_non_null(c);
	assert_int_equal(c->oas_bits, 32);
	smmu_caps_free(c);
}

static int stop_at_first_dir(struct pt_walk *w, uint32_t index, uint64_t addr,
			     const uint8_t *raw, const struct pt_dir_view *dv)
{
	(void)w;
	(void)index;
	(void)addr;
	(void)raw;
	(void)dv;
	return 1;
}

/* A directory callback that says stop ends the walk there: no later
 * descriptor and no STE is read. */
static void test_walk_stops_when_on_dir_says_so(void **state)
{
	(void)state;
	struct strtab_walk t;
	const struct pt_walk_ops ops = { NULL, stop_at_first_dir, count_entry };
	make_2lvl();
	walk_open(&t, "mem", sizeof mem, &ops);
	assert_int_equal(pt_walk_run(&t.w), 0);
	assert_int_equal(t.w.dirs_read, 1);
	assert_int_equal(t.w.entries_read, 0);
	assert_int_equal(t.c.n, 0);
	walk_close(&t);
}

/* ---- rules: each with a passing and a failing case ---- */

static const struct smmu_caps *caps_of(const char *spec)
{
	static struct smmu_caps c;
	char err[128];
	struct smmu_caps *p = smmu_caps_parse(spec, err, sizeof err);
	assert_non_null(p);
	c = *p;
	smmu_caps_free(p);
	return &c;
}

/* Number of findings of rule `id` for one STE checked as SID 7. */
static unsigned ste_findings(const uint8_t *raw, const char *caps, const char *id, int asked)
{
	struct pt_table_cfg cfg = { &smmu_strtab_format, &smmu_strtab_format.layouts[0], 0, 4 };
	struct pt_diag_sink diags;
	struct pt_walk w;
	pt_diag_init(&diags, "t", NULL);
	diags.fold = 0;
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.diags = &diags;
	w.caps = (void *)(uintptr_t)caps_of(caps);
	w.validate = 1;
	w.one_ssid = asked;
	smmu_ste_check_entry(&w, 7, 0x1000, raw);
	unsigned n = 0;
	for (uint32_t i = 0; i < diags.nitems; i++) {
		if (strcmp(diags.items[i].rule->id, id) == 0) {
			assert_int_equal(diags.items[i].scope, PT_SCOPE_SID);
			assert_int_equal(diags.items[i].scope_id, 7);
			n++;
		}
	}
	pt_diag_free(&diags);
	return n;
}

/* A stage-2 STE that every stage-2 rule accepts with the generic caps. */
static void s2_ste(uint8_t *raw)
{
	memset(raw, 0, 64);
	pt_field_set(raw, &smmu_ste_fields[STE_V], 1);
	pt_field_set(raw, &smmu_ste_fields[STE_CONFIG], SMMU_STE_S2);
	pt_field_set(raw, &smmu_ste_fields[STE_S2T0SZ], 24);
	pt_field_set(raw, &smmu_ste_fields[STE_S2SL0], 1);
	pt_field_set(raw, &smmu_ste_fields[STE_S2PS], 5);
	pt_field_set(raw, &smmu_ste_fields[STE_S2AA64], 1);
	pt_field_set(raw, &smmu_ste_fields[STE_S2TTB], 0x88000000);
	pt_field_set(raw, &smmu_ste_fields[STE_S2VMID], 0x42);
}

typedef void (*mutate_fn)(uint8_t *raw);
static void set_field(uint8_t *raw, enum smmu_ste_field_id id, uint64_t v)
{
	assert_int_equal(pt_field_set(raw, &smmu_ste_fields[id], v), 0);
}

struct rule_case {
	const char *rule;
	int stage2;           /* start from s2_ste() instead of a stage-1 STE */
	const char *caps;     /* caps under which the bad STE is checked */
	enum smmu_ste_field_id field;
	uint64_t bad;         /* value that breaks the rule */
	int asked;            /* the SID was asked for */
};

static const struct rule_case rule_cases[] = {
	{ "STE-NOT-VALID", 0, "generic", STE_V, 0, 1 },
	{ "STE-CONFIG-RESERVED", 0, "generic", STE_CONFIG, 3, 0 },
	{ "STE-CONFIG-S1P", 1, "generic,s1p=0", STE_CONFIG, 5, 0 },
	{ "STE-CONFIG-S2P", 0, "generic,s2p=0", STE_CONFIG, 6, 0 },
	{ "STE-S1STALLD-STALL-MODEL", 0, "generic,stall-model=1", STE_S1STALLD, 1, 0 },
	{ "STE-S1CDMAX-RANGE", 0, "generic,ssid-bits=8", STE_S1CDMAX, 9, 0 },
	{ "STE-S1FMT-CD2L", 0, "generic,cd2l=0", STE_S1FMT, 2, 0 },
	{ "STE-S1FMT-RESERVED", 0, "generic", STE_S1FMT, 3, 0 },
	{ "STE-S1DSS-RESERVED", 0, "generic", STE_S1DSS, 3, 0 },
	{ "STE-S1CONTEXTPTR-RANGE", 0, "generic,oas=40", STE_S1CONTEXTPTR,
	  UINT64_C(0x10000000000), 0 },
	{ "STE-S1CONTEXTPTR-RES0", 0, "generic,oas=56", STE_S1CONTEXTPTR,
	  UINT64_C(0x10000000000000), 0 },
	{ "STE-S1-IGNORED", 1, "generic", STE_S1CDMAX, 3, 0 },
	{ "STE-STRW-RESERVED", 0, "generic", STE_STRW, 1, 0 },
	{ "STE-EATS", 0, "generic", STE_EATS, 2, 0 },
	{ "STE-S2VMID16", 1, "generic,vmid16=0", STE_S2VMID, 0x1234, 0 },
	{ "STE-S2AA64", 1, "generic", STE_S2AA64, 0, 0 },
	{ "STE-S2TG", 1, "generic", STE_S2TG, 3, 0 },
	{ "STE-S2T0SZ-RANGE", 1, "generic", STE_S2T0SZ, 40, 0 },
	{ "STE-S2TTB-RANGE", 1, "generic", STE_S2TTB, UINT64_C(0x1000000000000), 0 },
	{ "STE-S2HTTU", 1, "generic", STE_S2HA, 1, 0 },
	{ "STE-S2ENDI", 1, "generic,ttendian=2", STE_S2ENDI, 1, 0 },
	{ "STE-S2S-STALL-MODEL", 1, "generic,stall-model=1", STE_S2S, 1, 0 },
	{ "STE-RES0", 0, "generic", STE_RES0_383_376, 0x5a, 0 },
};

static void test_ste_rules(void **state)
{
	(void)state;
	uint8_t good[64], bad[64];
	for (size_t i = 0; i < sizeof rule_cases / sizeof rule_cases[0]; i++) {
		const struct rule_case *rc = &rule_cases[i];
		if (rc->stage2)
			s2_ste(good);
		else
			s1_ste(good, 0x4a000000, 0, 4, 2);
		memcpy(bad, good, sizeof bad);
		set_field(bad, rc->field, rc->bad);
		unsigned ok = ste_findings(good, rc->caps, rc->rule, rc->asked);
		unsigned ko = ste_findings(bad, rc->caps, rc->rule, rc->asked);
		if (ok != 0 || ko != 1)
			fail_msg("%s: %u findings on the good STE, %u on the bad one", rc->rule, ok, ko);
		assert_non_null(pt_rule_find(rc->rule));
	}
	/* A V = 0 STE nobody asked for is not a finding. */
	s1_ste(bad, 0x4a000000, 0, 0, 0);
	set_field(bad, STE_V, 0);
	assert_int_equal(ste_findings(bad, "generic", "STE-NOT-VALID", 0), 0);
}

/* Findings of rule `id` in diags, which is freed. */
static unsigned take_count(struct pt_diag_sink *diags, const char *id)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < diags->nitems; i++)
		n += strcmp(diags->items[i].rule->id, id) == 0;
	pt_diag_free(diags);
	return n;
}

static unsigned dir_findings(uint64_t word, const char *id)
{
	struct smmu_strtab st;
	struct pt_table_cfg cfg;
	const char *why;
	smmu_strtab_decode(0x10000, 0x10210, 32, &st);  /* SPLIT 8 */
	assert_int_equal(smmu_strtab_table_cfg(&st, &cfg, &why), 0);
	struct pt_diag_sink diags;
	struct pt_walk w;
	pt_diag_init(&diags, "t", NULL);
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.diags = &diags;
	w.caps = (void *)(uintptr_t)caps_of("generic");
	uint8_t raw[8];
	pt_put_le64(raw, 0, word);
	smmu_l1std_check_dir(&w, 3, 0x10018, raw);
	return take_count(&diags, id);
}

static void test_l1std_rules(void **state)
{
	(void)state;
	uint64_t good = 0x48004000 | 9;
	assert_int_equal(dir_findings(good, "L1STD-SPAN"), 0);
	assert_int_equal(dir_findings(0x48004000 | 10, "L1STD-SPAN"), 1);  /* > SPLIT + 1 */
	assert_int_equal(dir_findings(0x48004000 | 31, "L1STD-SPAN"), 1);  /* reserved */
	assert_int_equal(dir_findings(0x48004000, "L1STD-SPAN"), 0);       /* Span 0: invalid */
	assert_int_equal(dir_findings(good, "L1STD-L2PTR-RANGE"), 0);
	assert_int_equal(dir_findings(UINT64_C(0x10000000000000) | 9, "L1STD-L2PTR-RANGE"), 1);
	assert_int_equal(dir_findings(good, "L1STD-L2PTR-ALIGN"), 0);
	assert_int_equal(dir_findings(0x48004040 | 9, "L1STD-L2PTR-ALIGN"), 1);
	assert_int_equal(dir_findings(good, "L1STD-RES0"), 0);
	assert_int_equal(dir_findings(good | 0x20, "L1STD-RES0"), 1);
	assert_int_equal(dir_findings(good | UINT64_C(0x100000000000000), "L1STD-RES0"), 1);
}

static unsigned reg_findings(uint64_t base, uint64_t cfgreg, const char *caps, const char *id)
{
	struct smmu_strtab st;
	struct pt_diag_sink diags;
	const struct smmu_caps *k = caps_of(caps);
	pt_diag_init(&diags, "t", NULL);
	smmu_strtab_decode(base, cfgreg, k->sid_bits, &st);
	smmu_strtab_check(&st, k, &diags);
	return take_count(&diags, id);
}

static void test_strtab_rules(void **state)
{
	(void)state;
	assert_int_equal(reg_findings(0x48000000, 0x10210, "generic", "STRTAB-FMT-RESERVED"), 0);
	assert_int_equal(reg_findings(0x48000000, 0x20210, "generic", "STRTAB-FMT-RESERVED"), 1);
	assert_int_equal(reg_findings(0x48000000, 0x10210, "generic", "STRTAB-SPLIT-RESERVED"), 0);
	assert_int_equal(reg_findings(0x48000000, 0x10250, "generic", "STRTAB-SPLIT-RESERVED"), 1);
	assert_int_equal(reg_findings(0x48000000, 0x10210, "qemu", "STRTAB-LOG2SIZE"), 0);
	assert_int_equal(reg_findings(0x48000000, 0x10211, "qemu", "STRTAB-LOG2SIZE"), 1);
	/* 2-level, 256 L1 descriptors: 2 KiB alignment. */
	assert_int_equal(reg_findings(0x48000800, 0x10210, "generic", "STRTAB-BASE-ALIGN"), 0);
	assert_int_equal(reg_findings(0x48000400, 0x10210, "generic", "STRTAB-BASE-ALIGN"), 1);
	/* linear, 16 STEs: 1 KiB alignment. */
	assert_int_equal(reg_findings(0x48000400, 4, "generic", "STRTAB-BASE-ALIGN"), 0);
	assert_int_equal(reg_findings(0x48000040, 4, "generic", "STRTAB-BASE-ALIGN"), 1);
	assert_int_equal(reg_findings(0x48000000, 0x10210, "generic,oas=32", "STRTAB-BASE-RANGE"), 0);
	assert_int_equal(reg_findings(UINT64_C(0x148000000), 0x10210, "generic,oas=32",
				      "STRTAB-BASE-RANGE"), 1);
	assert_int_equal(reg_findings(UINT64_C(0x4000000048000000), 0x10210, "generic",
				      "STRTAB-RES0"), 0);  /* RA is a field */
	assert_int_equal(reg_findings(0x48000004, 0x10210, "generic", "STRTAB-RES0"), 1);
	assert_int_equal(reg_findings(0x48000000, 0x18210, "generic", "STRTAB-RES0"), 1);

	struct smmu_strtab st;
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "t", NULL);
	smmu_strtab_decode(0x48000000, 0x10210, 16, &st);
	assert_int_equal(smmu_strtab_check_sid(&st, 65535, &diags), 0);
	assert_int_equal(diags.nitems, 0);
	assert_int_equal(smmu_strtab_check_sid(&st, 65536, &diags), -1);
	assert_int_equal(diags.nitems, 1);
	assert_string_equal(diags.items[0].rule->id, "STRTAB-SID-RANGE");
	pt_diag_free(&diags);
}

/* Every STE-, L1STD- and STRTAB- rule declared is exercised above. */
static void test_rules_listed(void **state)
{
	(void)state;
	assert_int_equal(smmu_ste_rules.nrules, R_STE_COUNT);
	for (size_t i = 0; i < smmu_ste_rules.nrules; i++) {
		const struct pt_rule *r = &smmu_ste_rules.rules[i];
		assert_non_null(r->id);
		assert_non_null(r->summary);
		assert_non_null(r->effect);
		assert_non_null(r->source);
		assert_ptr_equal(pt_rule_find(r->id), r);
	}
}

/* Every row of every STE enum table against IHI 0070 G.b §5.2 (DPT_VMATCH:
 * bits [191:190], 0b00 VMID or AC 0b10, 0b01 VMID or AC 0b01/0b10, 0b10 no
 * match required): a row swapped with its neighbour names the wrong setting
 * in text and JSON alike. */
static void test_ste_enum_rows(void **state)
{
	(void)state;
	static const struct enum_row rows[] = {
		{ STE_CONFIG, { "abort", "reserved1", "reserved2", "reserved3", "bypass",
				"s1-trans", "s2-trans", "nested" } },
		{ STE_S1FMT, { "linear", "2lvl-4k", "2lvl-64k", "reserved" } },
		{ STE_S1DSS, { "terminate", "bypass", "ssid0", "reserved" } },
		{ STE_S1CIR, { "nc", "wbra", "wtra", "wbnra" } },
		{ STE_S2IR0, { "nc", "wbwa", "wt", "wb" } },
		{ STE_EATS, { "off", "full", "split", "full-dpt" } },
		{ STE_STRW, { "el1", "el3", "el2", "reserved" } },
		{ STE_SHCFG, { "nsh", "incoming", "osh", "ish" } },
		{ STE_NSCFG, { "incoming", "reserved", "secure", "nonsecure" } },
		{ STE_PRIVCFG, { "incoming", "reserved", "unpriv", "priv" } },
		{ STE_INSTCFG, { "incoming", "reserved", "data", "inst" } },
		{ STE_S2TG, { "4k", "64k", "16k", "reserved" } },
		{ STE_S2PS, { "32bit", "36bit", "40bit", "42bit", "44bit", "48bit", "52bit",
			      "56bit" } },
		{ STE_DPT_VMATCH, { "vmid-or-ac10", "vmid-or-ac01-10", "any", "reserved" } },
	};
	assert_enum_rows(smmu_ste_fields, rows, sizeof rows / sizeof rows[0]);
}

int main(void)
{
	pt_formats_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_tables_cover),
		cmocka_unit_test(test_ste_decode),
		cmocka_unit_test(test_ste_encode),
		cmocka_unit_test(test_l1std_view),
		cmocka_unit_test(test_strtab_registers),
		cmocka_unit_test(test_ste_cd_cfg),
		cmocka_unit_test(test_walk_2lvl_span),
		cmocka_unit_test(test_ste_rules),
		cmocka_unit_test(test_l1std_rules),
		cmocka_unit_test(test_strtab_rules),
		cmocka_unit_test(test_rules_listed),
		cmocka_unit_test(test_ste_enum_rows),
		cmocka_unit_test(test_walk_dirs_in_zero_fill),
		cmocka_unit_test(test_geometry_limits),
		cmocka_unit_test(test_caps_register_width),
		cmocka_unit_test(test_walk_stops_when_on_dir_says_so),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* strtab: SMMUv3 stream tables (formats/smmuv3_strtab.c, smmuv3_ste*.c) as
 * `decode|validate --strtab ADDR --strtab-cfg VALUE [--sid N]` or `--ste
 * ADDR` read them: the registers, the STE walk, and the CD tables the STEs
 * lead to, through the same walker.
 *
 * Input: a 32-byte header, then the image placed at base & ~63:
 *   byte 0  bit 0 --ste (one STE at base + low 32 bits of strtab_base)
 *           instead of the registers, bit 1 --sid, bit 2 --all, bit 3 text,
 *           bit 4 follow CD tables, bit 5 the register ADDR is relative to
 *           the image base
 *   byte 1  caps (index into fz_caps_specs); u16 spare; u32 sid
 *   u64 base; u64 SMMU_STRTAB_BASE; u64 SMMU_STRTAB_BASE_CFG
 * Each input is decoded to JSON (stream table, then each CD table an STE
 * names, gathered by the library's smmu_streams as decode gathers them) and
 * validated. The JSON must parse and every STE, L1 descriptor and CD in it
 * must give back the bytes at its address; decode and validate must count
 * the same entries; diagnostic counts must add up. With --sid, the library
 * resolve of (sid[, ssid]) must land on the entries the walker addresses. */
#include "fuzz.h"
#include "smmuv3.h"
#include "smmuv3_ptcheck.h"
#include "smmuv3_resolve.h"

#define HDR 32u
/* Full walks cover at most 2^12 StreamIDs and CD tables of 2^10 SSIDs;
 * at most MAX_CD_TABLES distinct CD tables are followed. */
#define MAX_SID_BITS 12u
#define MAX_CD_BITS 10u
#define MAX_CD_TABLES 8u

struct run {
	uint8_t flags;
	uint32_t sid;
	uint64_t base;
	uint64_t base_reg, cfg_reg;
	const uint8_t *img;
	size_t len;
	struct smmu_caps *caps;
	struct pt_table_cfg root;
	int one;
	uint32_t idx;
	struct smmu_streams streams;  /* the CD tables the STEs name */
};

struct decode_user {
	struct fz_decode d;
	struct run *r;
};

/* At most MAX_CD_TABLES tables of at most 2^MAX_CD_BITS entries are
 * walked: bigger ones are legal but take the fuzzer's time. */
struct cd_walks {
	struct run *r;
	struct pt_source *src;
	struct pt_diag_sink *diags;
	struct fz_decode *d;       /* decode pass; NULL when validating */
	unsigned n;
	struct pt_walk *root_walk; /* decode pass: the stream table's */
	int root_rc;
};

static int cd_walk(void *user, const struct pt_tset_table *t, const struct pt_table_cfg *cfg,
		   int again);

/* fz_decode's callbacks, with the STE -> CD step of cli/inspect.c. The
 * fz_decode is the first member of decode_user, so w->user serves both. */
static int on_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw,
		  const struct pt_dir_view *dv)
{
	struct decode_user *u = w->user;
	if (u->r->flags & 0x10)
		smmu_streams_on_dir(&u->r->streams, w, dv);
	return fz_on_dir(w, index, addr, raw, dv);
}

static int on_entry(struct pt_walk *w, uint32_t idx, uint64_t addr, const uint8_t *raw)
{
	struct decode_user *u = w->user;
	struct smmu_ste_outcome out;
	if (u->r->flags & 0x10)
		smmu_streams_on_entry(&u->r->streams, w, idx, raw, &out);
	return fz_on_entry(w, idx, addr, raw);
}

static const struct pt_walk_ops decode_ops = { fz_on_phase, on_dir, on_entry };

/* The stream table of the decode pass, as smmu_strtab_walk's root; the CD
 * tables after it are walked whole. */
static int decode_root(void *user, const struct pt_table_cfg *cfg)
{
	struct cd_walks *cw = user;
	cw->root_rc = fz_decode_table(cw->d, cw->root_walk, cw->src, cfg, cw->diags);
	cw->d->one_ssid = 0;
	return cw->root_rc;
}

static void parse(const uint8_t *data, size_t size, struct run *r)
{
	struct fz_in in = { data, size };
	r->flags = fz_u8(&in);
	uint8_t capsel = fz_u8(&in);
	(void)fz_uint(&in, 2);
	r->sid = fz_u32(&in);
	r->base = fz_u64(&in) & ~UINT64_C(63);
	r->base_reg = fz_u64(&in);
	r->cfg_reg = fz_u64(&in);
	r->img = in.p;
	r->len = in.n;
	char err[256];
	r->caps = smmu_caps_parse(fz_caps_specs[capsel % FZ_NCAPS], err, sizeof err);
	if (!r->caps)
		abort();
	if (r->flags & 0x20) {
		uint8_t raw[8];
		const struct pt_field *f = &smmu_strtab_base_fields[STRTAB_BASE_ADDR];
		pt_put_le64(raw, 0, r->base_reg);
		pt_field_set(raw, f, (pt_field_get(raw, f) + r->base) &
					     (pt_field_max(f) << f->shift));
		r->base_reg = pt_le64(raw, 0);
	}
}

/* The root config as make_strtab_cfg in cli/inspect.c makes it; -1 when the
 * registers describe no table or --sid is out of range. */
static int root_cfg(struct run *r, struct pt_diag_sink *diags)
{
	memset(&r->root, 0, sizeof r->root);
	r->one = (r->flags & 1) || (r->flags & 2);
	r->idx = (r->flags & 2) && !(r->flags & 1) ? r->sid : 0;
	if (r->flags & 1) {
		r->root.fmt = &smmu_strtab_format;
		r->root.layout = &smmu_strtab_format.layouts[SMMU_STRTAB_LINEAR];
		r->root.base = r->base + (r->base_reg & 0xffffffffu);
		return 0;
	}
	struct smmu_strtab st;
	smmu_strtab_decode(r->base_reg, r->cfg_reg, r->caps->sid_bits, &st);
	const char *why;
	int bad = smmu_strtab_table_cfg(&st, &r->root, &why) != 0;
	smmu_strtab_check(&st, r->caps, diags);
	if (bad)
		return -1;
	if ((r->flags & 2) && smmu_strtab_check_sid(&st, r->sid, diags) != 0)
		return -1;
	if (!r->one && r->root.ssid_bits > MAX_SID_BITS)
		r->root.ssid_bits = MAX_SID_BITS;
	return 0;
}

/* decode --json: the stream table, then each CD table its STEs name. */
static void decode_pass(struct run *r, struct pt_source *src, struct pt_walk *root_walk,
			int *root_ok)
{
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "fuzz", NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out)
		abort();
	struct decode_user u;
	memset(&u, 0, sizeof u);
	u.r = r;
	u.d.emit.out = out;
	u.d.emit.json = 1;
	u.d.ops = &decode_ops;
	u.d.all = (r->flags & 4) != 0;
	pt_emit_begin(&u.d.emit, "pasidtool.decode/1", NULL);
	*root_ok = root_cfg(r, &diags) == 0;
	u.d.one_ssid = r->one;
	u.d.ssid = r->idx;
	if (*root_ok) {
		struct cd_walks cw = { r, src, &diags, &u.d, 0, root_walk, 0 };
		struct smmu_strtab_walk sw = { &r->streams, &diags, 0, decode_root, cd_walk, &cw };
		smmu_strtab_walk(&sw, &r->root);
		*root_ok = cw.root_rc == 0;
	}
	pt_emit_end(&u.d.emit, &diags, NULL);
	fclose(out);
	fz_check_decoded(buf, len, src, u.d.items);
	free(buf);
	fz_check_counts(&diags);
	pt_diag_free(&diags);
}

static int text_entry(struct pt_walk *w, uint32_t idx, uint64_t addr, const uint8_t *raw)
{
	struct pt_entry_view v;
	memset(&v, 0, sizeof v);
	w->cfg->fmt->entry_view(raw, &v);
	fprintf(fz_null(), "%u @ 0x%llx: %d\n", idx, (unsigned long long)addr, v.valid);
	pt_struct_print_text(fz_null(), w->cfg->fmt->entry, raw, "    ", 0);
	return 0;
}

static int text_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw,
		    const struct pt_dir_view *dv)
{
	fprintf(fz_null(), "l1[%u] @ 0x%llx: %d\n", index, (unsigned long long)addr, dv->valid);
	pt_struct_print_text(fz_null(), w->cfg->fmt->dir, raw, " ", 1);
	return 0;
}

static const struct pt_walk_ops text_ops = { NULL, text_dir, text_entry };

static void validate_walk(struct run *r, struct pt_source *src, const struct pt_table_cfg *cfg,
			  struct pt_diag_sink *diags, int one, uint32_t idx, struct pt_walk *w)
{
	memset(w, 0, sizeof *w);
	w->cfg = cfg;
	w->src = src;
	w->diags = diags;
	w->ops = (r->flags & 8) ? &text_ops : NULL;
	w->caps = r->caps;
	w->validate = 1;
	w->one_ssid = one;
	w->ssid = idx;
	pt_walk_run(w);
	FZ_CHECK(w->fmt_state == NULL, "check_done left per-walk state behind");
}

/* One CD table of the set, as inspect walks it: decode prints tables the
 * input holds; validate checks each in every context its sharers gave. */
static int cd_walk(void *user, const struct pt_tset_table *t, const struct pt_table_cfg *cfg,
		   int again)
{
	struct cd_walks *cw = user;
	struct pt_table_cfg c = *cfg;
	struct pt_walk w;
	(void)t;
	(void)again;
	if (cw->n++ >= MAX_CD_TABLES)
		return 0;
	if (c.ssid_bits > MAX_CD_BITS)
		c.ssid_bits = MAX_CD_BITS;
	if (!cw->d) {
		validate_walk(cw->r, cw->src, &c, cw->diags, 0, 0, &w);
		return 0;
	}
	uint32_t first = c.layout->nlevels > 1 ? c.fmt->dir->size : c.fmt->entry->size;
	if (pt_source_covers(cw->src, c.base, first))
		fz_decode_table(cw->d, &w, cw->src, &c, cw->diags);
	return 0;
}

/* validate --page-tables on what resolve found: the stream's STE (stage 2)
 * and CD (stage 1), twice from two StreamIDs, within a small budget: one
 * address space per distinct regime, no table read twice, the budget kept. */
#define PT_BUDGET 4096u

static void check_page_tables(struct run *r, struct pt_source *src,
			      const struct smmu_resolution *res)
{
	struct smmu_ptcheck c;
	struct pt_diag_sink d;
	struct pt_budget b = { PT_BUDGET, 0, 0 };
	smmu_ptcheck_init(&c, r->caps);
	for (uint32_t k = 0; k < 2; k++) {
		if (res->have_ste)
			smmu_ptcheck_add_ste(&c, r->sid + k, res->ste);
		if (res->have_cd)
			smmu_ptcheck_add_cd(&c, 1, r->sid + k, res->cd_index, res->cd,
					    (unsigned)smmu_ste(res->ste, STE_STRW));
	}
	FZ_CHECK(c.n <= 3, "%u address spaces from one STE and one CD", c.n);
	pt_diag_init(&d, "fuzz", NULL);
	smmu_ptcheck_run(&c, src, &d, &b);
	FZ_CHECK(b.used <= PT_BUDGET, "page tables read %llu descriptors of a %u budget",
		 (unsigned long long)b.used, PT_BUDGET);
	FZ_CHECK(c.descriptors == b.used, "%llu descriptors counted, %llu charged",
		 (unsigned long long)c.descriptors, (unsigned long long)b.used);
	FZ_CHECK(c.tables_read <= c.ntables, "%llu tables read, %u distinct",
		 (unsigned long long)c.tables_read, c.ntables);
	fz_check_counts(&d);
	pt_diag_free(&d);
	smmu_ptcheck_free(&c);
}

/* With --sid: the library's resolve lands on the STE and CD the walker
 * addresses, and a regime with stage 1 has a valid CD. */
static void check_resolve(struct run *r, struct pt_source *src)
{
	if (!(r->flags & 2) || (r->flags & 1))
		return;
	struct smmu_resolution res;
	int has_ssid = (r->flags & 4) != 0;
	uint32_t ssid = r->sid & 0xfffffu;
	FZ_CHECK(smmu_resolve(src, &r->root, r->caps, r->sid, has_ssid, ssid, &res) == 0,
		 "resolve refused a stream-table root");
	uint64_t addr;
	const char *why;
	if (res.have_ste)
		FZ_CHECK(pt_entry_address(src, &r->root, r->sid, &addr, &why) == 0 &&
				 addr == res.ste_addr,
			 "resolve read the STE of sid %u at 0x%llx", r->sid,
			 (unsigned long long)res.ste_addr);
	if (res.have_cd)
		FZ_CHECK(pt_entry_address(src, &res.cd_table, res.cd_index, &addr, &why) == 0 &&
				 addr == res.cd_addr,
			 "resolve read CD %u at 0x%llx", res.cd_index,
			 (unsigned long long)res.cd_addr);
	if (res.outcome == SMMU_RESOLVED && res.s1)
		FZ_CHECK(res.have_cd && smmu_cd(res.cd, CD_V), "stage 1 resolved without a valid CD");
	if (res.outcome == SMMU_TERMINATED)
		FZ_CHECK(smmu_event_name(res.event) != NULL, "event %u has no name", res.event);
	check_page_tables(r, src, &res);
}

static void validate_pass(struct run *r, struct pt_source *src, const struct pt_walk *w1,
			  int root_ok)
{
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "fuzz", NULL);
	struct pt_walk w;
	if (root_cfg(r, &diags) == 0) {
		validate_walk(r, src, &r->root, &diags, r->one, r->idx, &w);
		if (root_ok)
			FZ_CHECK(w.entries_read == w1->entries_read &&
					 w.entries_valid == w1->entries_valid,
				 "decode read %llu/%llu STEs, validate %llu/%llu",
				 (unsigned long long)w1->entries_read,
				 (unsigned long long)w1->entries_valid,
				 (unsigned long long)w.entries_read,
				 (unsigned long long)w.entries_valid);
		struct cd_walks cw = { r, src, &diags, NULL, 0, NULL, 0 };
		pt_tset_walk_all(&r->streams.cds, &diags, 1, cd_walk, &cw);
	}
	if (root_ok)
		check_resolve(r, src);
	fz_check_counts(&diags);
	pt_diag_flush_text(&diags, fz_null());
	pt_diag_free(&diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	if (size < HDR)
		return 0;
	static struct run r;
	memset(&r, 0, sizeof r);
	parse(data, size, &r);
	smmu_streams_init(&r.streams, r.caps);
	struct pt_source src;
	pt_source_init(&src, "fuzz");
	pt_source_add_buffer(&src, "fuzz", r.img, r.len);
	pt_source_add_range(&src, r.base, r.len, 0, 0, r.len);
	pt_source_finish(&src, NULL);
	struct pt_walk w;
	int root_ok = 0;
	memset(&w, 0, sizeof w);
	decode_pass(&r, &src, &w, &root_ok);
	validate_pass(&r, &src, &w, root_ok);
	smmu_streams_free(&r.streams);
	smmu_caps_free(r.caps);
	pt_source_free(&src);
	return 0;
}

/* ---- structure-aware mutations ---- */

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	fz_init();
	uint32_t s = seed;
	if (size < HDR || fz_rand(&s) % 4 == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	size_t len = size - HDR;
	uint8_t *img = data + HDR;
	struct fz_in in = { data, size };
	(void)fz_uint(&in, 8);
	uint64_t base = fz_u64(&in) & ~UINT64_C(63);
	switch (fz_rand(&s) % 6) {
	case 0: /* a valid STE with stage 1, its CD table inside the image */
		if (len >= 64) {
			size_t at = (fz_rand(&s) % (len / 64)) * 64;
			uint8_t raw[64];
			memset(raw, 0, sizeof raw);
			pt_field_set(raw, &smmu_ste_fields[STE_V], 1);
			pt_field_set(raw, &smmu_ste_fields[STE_CONFIG], 5 + (fz_rand(&s) % 2) * 2);
			pt_field_set(raw, &smmu_ste_fields[STE_S1FMT], fz_rand(&s) % 3);
			pt_field_set(raw, &smmu_ste_fields[STE_S1CDMAX], fz_rand(&s) % 9);
			pt_field_set(raw, &smmu_ste_fields[STE_S1CONTEXTPTR],
				     (base + fz_rand(&s) % len) & ~UINT64_C(63));
			memcpy(img + at, raw, 64);
		}
		break;
	case 1: /* a valid L1 stream table descriptor pointing inside the image */
		if (len >= 8) {
			size_t at = (fz_rand(&s) % (len / 8)) * 8;
			uint8_t raw[PT_MAX_DIR_SIZE];
			memset(raw, 0, sizeof raw);
			const struct pt_format *f = &smmu_strtab_format;
			uint64_t leaf = (base + fz_rand(&s) % len) & ~UINT64_C(63);
			if (f->dir_make_sized)
				f->dir_make_sized(raw, leaf, 6 + 2 * (fz_rand(&s) % 3));
			else
				f->dir_make(raw, leaf);
			memcpy(img + at, raw, f->dir->size);
		}
		break;
	case 2: { /* registers describing a table at the image's start */
		uint8_t raw[8];
		pt_put_le64(raw, 0, 0);
		pt_field_set(raw, &smmu_strtab_cfg_fields[STRTAB_CFG_LOG2SIZE], fz_rand(&s) % 17);
		pt_field_set(raw, &smmu_strtab_cfg_fields[STRTAB_CFG_SPLIT], 6 + 2 * (fz_rand(&s) % 3));
		pt_field_set(raw, &smmu_strtab_cfg_fields[STRTAB_CFG_FMT], fz_rand(&s) % 2);
		fz_put(data + 24, pt_le64(raw, 0), 8);
		fz_put(data + 16, (fz_rand(&s) % 8) << 6, 8);
		data[0] |= 0x20;
		data[0] &= (uint8_t)~1u;
		break;
	}
	case 3:
		data[0] ^= (uint8_t)(1u << (fz_rand(&s) % 6));
		data[1] = (uint8_t)(fz_rand(&s) % FZ_NCAPS);
		break;
	case 4:
		fz_put(data + 4, fz_rand(&s) % 64, 4);
		data[0] |= 2;
		break;
	default:
		return LLVMFuzzerMutate(data, size, max_size);
	}
	return size;
}

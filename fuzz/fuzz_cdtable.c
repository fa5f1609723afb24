/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cdtable: the SMMUv3 CD table walker, decode (streamed JSON) and validate;
 * with bits 4-6 of the caps byte, any other table format registered (the
 * VT-d PASID table, a stream table walked as a plain table, ...).
 *
 * Input: a 32-byte header (struct fz_cd_hdr in fuzz.h: layout, SSID bits,
 * caps, STE context, --ssid, image base, table offset, range split), an
 * optional NUL-terminated --caps string, then the image bytes placed at
 * `base`. Each input is walked twice, as `decode --json` and as `validate`:
 *   - the JSON printed must parse, and every entry in it must rebuild
 *     (pt_struct_from_json) into the bytes the source holds at its address;
 *   - both walks must count the same entries, never more than 2^ssid_bits;
 *   - with --ssid the entry visited is the one pt_entry_address names;
 *   - the diagnostic counts must add up to what the sink stored.
 * The custom mutator writes valid L1 descriptors and CDs that point inside
 * the image, which byte flips almost never produce. */
#include "fuzz.h"
#include "smmuv3.h"
#include "smmuv3_resolve.h"

/* Full walks read at most 2^11 entries (two 64K leaves), and --all (every
 * entry printed) is honoured up to 2^8: 2^20-entry walks are legal but take
 * the fuzzer's time without reaching new code. */
#define FULL_WALK_MAX_BITS 11u
#define ALL_MAX_BITS 8u

struct run {
	struct fz_cd_hdr h;
	char caps_spec[96];
	const uint8_t *img;
	size_t len;
	struct pt_table_cfg cfg;
};

/* An STE decode would follow to this table: its context comes from the
 * library's STE -> CD step (smmu_streams), as decode and validate get it.
 * STEs that step refuses (no stage 1, nesting) keep the packed context, so
 * the checks still see every Config. */
static void ste_context(struct run *r, const struct smmu_ste_ctx *ctx)
{
	uint8_t ste[SMMU_STE_SIZE];
	memset(ste, 0, sizeof ste);
	pt_field_set(ste, &smmu_ste_fields[STE_V], 1);
	pt_field_set(ste, &smmu_ste_fields[STE_CONFIG], ctx->config);
	pt_field_set(ste, &smmu_ste_fields[STE_S1FMT], (uint64_t)(r->cfg.layout - r->cfg.fmt->layouts));
	pt_field_set(ste, &smmu_ste_fields[STE_S1CONTEXTPTR], r->cfg.base);
	pt_field_set(ste, &smmu_ste_fields[STE_S1CDMAX], r->cfg.ssid_bits);
	pt_field_set(ste, &smmu_ste_fields[STE_S1DSS], ctx->s1dss);
	pt_field_set(ste, &smmu_ste_fields[STE_S1STALLD], ctx->s1stalld);
	pt_field_set(ste, &smmu_ste_fields[STE_STRW], ctx->strw);
	char err[128];
	struct smmu_caps *caps = smmu_caps_parse(r->caps_spec, err, sizeof err);
	if (!caps)
		return;
	struct smmu_streams s;
	struct smmu_ste_outcome out;
	smmu_streams_init(&s, caps);
	smmu_streams_add_ste(&s, r->cfg.sid, ste, &out);
	/* The same table, when the STE can say it exactly (aligned, in range). */
	if (out.table && out.table->cfg.base == r->cfg.base &&
	    out.table->cfg.layout == r->cfg.layout && out.table->cfg.ssid_bits == r->cfg.ssid_bits)
		r->cfg.vendor[0] = out.table->cfg.vendor[0];
	smmu_streams_free(&s);
	smmu_caps_free(caps);
}

static void parse(const uint8_t *data, size_t size, struct run *r)
{
	struct fz_in in = { data, size };
	fz_cd_hdr_read(&in, &r->h);
	const struct pt_format *fmt = fz_cd_format(&r->h);
	r->caps_spec[0] = '\0';
	if (r->h.caps & 0x80)
		fz_str(&in, r->caps_spec, sizeof r->caps_spec);
	else
		snprintf(r->caps_spec, sizeof r->caps_spec, "%s",
			 fz_caps_specs[(r->h.caps & 0x0fu) % FZ_NCAPS]);
	r->img = in.p;
	r->len = in.n;
	memset(&r->cfg, 0, sizeof r->cfg);
	r->cfg.fmt = fmt;
	r->cfg.layout = &fmt->layouts[(r->h.flags & 3u) % fmt->nlayouts];
	r->cfg.base = r->h.base + r->h.table_off;
	unsigned bits = r->h.ssid_bits % 32u;
	if (!(r->h.flags & FZ_CD_ONE_SSID) && bits > FULL_WALK_MAX_BITS &&
	    bits <= pt_format_max_index_bits(fmt))
		bits = FULL_WALK_MAX_BITS;
	r->cfg.ssid_bits = bits;
	if ((r->h.flags & FZ_CD_STE) && fmt == &smmu_cd_format) {
		struct smmu_ste_ctx ctx = { 1, r->h.ste & 3u, (r->h.ste >> 2) & 1u,
					    (r->h.ste >> 3) & 3u, (r->h.ste >> 5) & 7u };
		r->cfg.vendor[0] = smmu_ste_ctx_pack(&ctx);
		r->cfg.has_sid = 1;
		r->cfg.sid = r->h.ssid >> 20;
		ste_context(r, &ctx);
	}
}

/* The image at base, whole, split in two ranges with a gap, or followed by
 * a zero tail (a segment whose memory size exceeds its file size). */
static void make_source(struct pt_source *src, const struct run *r, struct pt_diag_sink *diags)
{
	pt_source_init(src, "fuzz");
	int f = pt_source_add_buffer(src, "fuzz", r->img, r->len);
	FZ_CHECK(f == 0, "add_buffer gave %d", f);
	uint64_t base = r->h.base, len = r->len;
	if (!(r->h.flags & FZ_CD_SPLIT)) {
		pt_source_add_range(src, base, len, 0, 0, len);
	} else if (r->h.split == 0 || r->h.split >= len) {
		pt_source_add_range(src, base, len + r->h.gap, 0, 0, len);
	} else {
		uint64_t s = r->h.split;
		pt_source_add_range(src, base, s, 0, 0, s);
		pt_source_add_range(src, base + s + r->h.gap, len - s, 0, s, len - s);
	}
	pt_source_finish(src, diags);
}

/* Pass 1: decode --json [--all] [--ssid N]. */
static void decode_pass(const struct run *r, struct pt_source *src, struct pt_walk *w)
{
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "fuzz", NULL);
	diags.fold = !(r->h.flags & FZ_CD_NOFOLD);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out)
		abort();
	struct fz_decode d;
	memset(&d, 0, sizeof d);
	d.emit.out = out;
	d.emit.json = 1;
	d.all = (r->h.flags & FZ_CD_ALL) && r->cfg.ssid_bits <= ALL_MAX_BITS;
	d.one_ssid = (r->h.flags & FZ_CD_ONE_SSID) != 0;
	d.ssid = (r->h.ssid & 0x80000000u) ? r->h.ssid : r->h.ssid & ((1u << r->cfg.ssid_bits) - 1);
	json_t *source = json_object();
	json_object_set_new(source, "kind", json_string("raw"));
	json_object_set_new(source, "base", pt_json_hex(r->h.base));
	pt_emit_begin(&d.emit, "pasidtool.decode/1", source);
	int rc = fz_decode_table(&d, w, src, &r->cfg, &diags);
	json_t *summary = json_object();
	json_object_set_new(summary, "entries_read", json_integer((json_int_t)w->entries_read));
	pt_emit_end(&d.emit, &diags, summary);
	fclose(out);
	fz_check_decoded(buf, len, src, d.items);
	free(buf);
	fz_check_counts(&diags);
	if (rc == 0) {
		FZ_CHECK(w->entries_valid <= w->entries_read && w->entries_read <= w->geo.nentries,
			 "%llu valid of %llu read, table of %llu",
			 (unsigned long long)w->entries_valid, (unsigned long long)w->entries_read,
			 (unsigned long long)w->geo.nentries);
	}
	/* pt_entry_address names the entry the --ssid walk visits; for any
	 * other SSID it must answer without crashing. */
	uint64_t addr;
	const char *why;
	int found = pt_entry_address(src, &r->cfg, d.ssid, &addr, &why) == 0;
	if (rc == 0 && d.one_ssid && d.entry_seen)
		FZ_CHECK(found && addr == d.last_entry,
			 "walk visited ssid %u at 0x%llx, pt_entry_address disagrees", d.ssid,
			 (unsigned long long)d.last_entry);
	pt_diag_free(&diags);
}

/* Pass 2: validate --caps SPEC, text output and JSON diagnostics. */
static int text_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw,
		    const struct pt_dir_view *dv)
{
	const int *color = w->user;
	if (!dv->valid && !w->one_ssid)
		return 0;
	fprintf(fz_null(), "l1[%u] @ 0x%llx: %d\n", index, (unsigned long long)addr, dv->valid);
	pt_struct_print_text(fz_null(), w->cfg->fmt->dir, raw, " ", *color);
	return 0;
}

static int text_entry(struct pt_walk *w, uint32_t ssid, uint64_t addr, const uint8_t *raw)
{
	const int *color = w->user;
	struct pt_entry_view v;
	memset(&v, 0, sizeof v);
	w->cfg->fmt->entry_view(raw, &v);
	if (!v.valid && !w->one_ssid) /* as decode's text: valid entries only */
		return 0;
	fprintf(fz_null(), "ssid %u @ 0x%llx: %d %u 0x%llx %s\n", ssid, (unsigned long long)addr,
		v.valid, v.asid, (unsigned long long)v.root, v.pgtable ? v.pgtable : "?");
	pt_struct_print_text(fz_null(), w->cfg->fmt->entry, raw, "    ", *color);
	return 0;
}

static const struct pt_walk_ops text_ops = { NULL, text_dir, text_entry };

static void validate_pass(const struct run *r, struct pt_source *src, const struct pt_walk *w1)
{
	char err[256];
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "fuzz", NULL);
	diags.fold = !(r->h.flags & FZ_CD_NOFOLD);
	diags.color = (r->h.flags & FZ_CD_ALL) != 0;
	/* Unfolded findings print as they come, as validate --all-findings. */
	if (!diags.fold)
		diags.text = fz_null();
	/* As validate: the caps asked for, else the format's default profile. */
	void *caps = NULL;
	if (r->cfg.fmt->caps_parse) {
		caps = r->cfg.fmt->caps_parse(r->caps_spec, err, sizeof err);
		if (!caps)
			caps = r->cfg.fmt->caps_parse("generic", err, sizeof err);
	}
	int color = diags.color;
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &r->cfg;
	w.src = src;
	w.diags = &diags;
	w.ops = (r->h.flags & FZ_CD_TEXT) ? &text_ops : NULL;
	w.user = &color;
	w.caps = caps;
	w.validate = 1;
	w.one_ssid = w1->one_ssid;
	w.ssid = w1->ssid;
	int rc = pt_walk_run(&w);
	FZ_CHECK(w.fmt_state == NULL, "check_done left per-walk state behind");
	if (rc == 0)
		FZ_CHECK(w.entries_read == w1->entries_read && w.entries_valid == w1->entries_valid,
			 "decode read %llu/%llu entries, validate %llu/%llu",
			 (unsigned long long)w1->entries_read, (unsigned long long)w1->entries_valid,
			 (unsigned long long)w.entries_read, (unsigned long long)w.entries_valid);
	fz_check_counts(&diags);
	pt_diag_flush_text(&diags, fz_null());
	struct pt_emit e;
	memset(&e, 0, sizeof e);
	e.out = fz_null();
	e.json = !(r->h.flags & FZ_CD_TEXT); /* text: the emitter must stay silent */
	pt_emit_begin(&e, "pasidtool.validate/1", json_object());
	pt_emit_table_begin(&e, json_object());
	pt_emit_array_begin(&e, "entries");
	pt_emit_item(&e, json_object());
	pt_emit_array_end(&e);
	pt_emit_table_end(&e);
	pt_emit_end(&e, &diags, json_object());
	if (caps)
		r->cfg.fmt->caps_free(caps);
	pt_diag_free(&diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	if (size < FZ_CD_HDR_SIZE)
		return 0;
	struct run r;
	parse(data, size, &r);
	struct pt_source src;
	struct pt_diag_sink sdiags;
	pt_diag_init(&sdiags, "fuzz", NULL);
	make_source(&src, &r, &sdiags);
	struct pt_walk w;
	decode_pass(&r, &src, &w);
	validate_pass(&r, &src, &w);
	pt_source_free(&src);
	pt_diag_free(&sdiags);
	return 0;
}

/* ---- structure-aware mutations ---- */

static uint64_t image_addr(const struct fz_cd_hdr *h, size_t len, uint32_t *seed, uint64_t align)
{
	uint64_t off = len ? fz_rand(seed) % len : 0;
	return (h->base + off) & ~(align - 1);
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	fz_init();
	uint32_t s = seed;
	if (size < FZ_CD_HDR_SIZE || max_size < FZ_CD_HDR_SIZE || fz_rand(&s) % 4 == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	struct fz_in in = { data, size };
	struct fz_cd_hdr h;
	fz_cd_hdr_read(&in, &h);
	size_t img = FZ_CD_HDR_SIZE;
	if (h.caps & 0x80) {
		while (img < size && data[img])
			img++;
		if (img < size)
			img++;
	}
	size_t len = size - img;
	const struct pt_format *fmt = fz_cd_format(&h);
	size_t dsize = fmt->dir ? fmt->dir->size : 0, esize = fmt->entry->size;
	switch (fz_rand(&s) % 8) {
	case 0: /* a valid directory descriptor pointing at a leaf inside the image */
		if (dsize && len >= dsize && fmt->dir_make) {
			size_t at = img + (fz_rand(&s) % (len / dsize)) * dsize;
			uint64_t align = (h.flags & 3u) == SMMU_LAYOUT_64K ? 0x10000 : 0x1000;
			uint8_t raw[PT_MAX_DIR_SIZE];
			memset(raw, 0, sizeof raw);
			fmt->dir_make(raw, image_addr(&h, len, &s, align));
			memcpy(data + at, raw, dsize);
		}
		break;
	case 1: /* an entry as the format's defaults write it, a few fields changed */
		if (len >= esize) {
			size_t at = img + (fz_rand(&s) % (len / esize)) * esize;
			uint8_t raw[PT_MAX_ENTRY_SIZE];
			memset(raw, 0, sizeof raw);
			if (fmt->entry_defaults)
				fmt->entry_defaults(raw);
			unsigned n = fz_rand(&s) % 4;
			for (unsigned i = 0; i < n; i++) {
				const struct pt_field *f =
					&fmt->entry->fields[fz_rand(&s) % fmt->entry->nfields];
				uint64_t v = fz_rand64(&s) & pt_field_max(f);
				pt_field_set(raw, f, f->kind == PT_FK_ADDR ? v << f->shift : v);
			}
			memcpy(data + at, raw, esize);
		}
		break;
	case 2: /* the table root somewhere inside the image */
		h.table_off = len ? (fz_rand(&s) % len) & ~UINT64_C(63) : 0;
		break;
	case 3:
		h.ssid_bits = (uint8_t)(fz_rand(&s) % 22);
		h.flags = (uint8_t)((h.flags & ~3u) | fz_rand(&s) % 3);
		break;
	case 4:
		h.ssid = fz_rand(&s) % (1u << (h.ssid_bits % 21));
		h.flags ^= FZ_CD_ONE_SSID;
		break;
	case 5:
		h.flags ^= (uint8_t)(1u << (2 + fz_rand(&s) % 6));
		h.caps = (uint8_t)((fz_rand(&s) % FZ_NCAPS) | (fz_rand(&s) % 8) << 4);
		h.ste = (uint8_t)fz_rand(&s);
		break;
	case 6: /* a base that makes the image wrap, or sit high */
		h.base = (fz_rand(&s) & 1) ? UINT64_MAX - (fz_rand(&s) % 0x10000) :
					     (uint64_t)(fz_rand(&s) % 0x100) << 32;
		break;
	default:
		return LLVMFuzzerMutate(data, size, max_size);
	}
	uint8_t hdr[FZ_CD_HDR_SIZE];
	fz_cd_hdr_write(hdr, &h);
	memcpy(data, hdr, sizeof hdr);
	return size;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hints.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "field.h"
#include "smmuv3.h"

enum { H_BASE, H_STRTAB_FMT, H_LAYOUT, H_N };

static const struct pt_rule hint_rules[H_N] = {
	[H_BASE] = { "HINT-BASE", PT_SEV_NOTE, NULL,
		"a raw image given without --base: the table root, or L1 descriptors that "
		"point outside the image, all land inside it at one base address",
		"none (a hint): the note ends with the command that gives that --base; when "
		"several bases fit the leaves alike, it says so and names none",
		"the image's own L1 pointers (L1CD.L2Ptr, L1STD.L2Ptr) or the root address" },
	[H_STRTAB_FMT] = { "HINT-STRTAB-FMT", PT_SEV_NOTE, NULL,
		"--strtab-cfg's FMT reads the stream table's L1 descriptors as STEs (FMT 0 on a "
		"2-level table), or its STEs as L1 descriptors (FMT 1 on a linear table)",
		"none (a hint): the note ends with the command with FMT (and SPLIT) changed",
		"IHI 0070 G.b §6.3.24 SMMU_STRTAB_BASE_CFG.FMT/SPLIT, §5.1 L1STD" },
	[H_LAYOUT] = { "HINT-LAYOUT", PT_SEV_NOTE, NULL,
		"--layout reads a table's L1 descriptors as entries (linear on a 2-level table), "
		"or its entries as L1 descriptors (2-level on a linear table)",
		"none (a hint): the note ends with the command with --layout changed",
		"the format's layouts (pasidtool formats); SMMUv3: IHI 0070 G.b §5.3 L1CD, STE.S1Fmt" },
};

const struct pt_rule_set pt_hint_rules = { "hints", hint_rules, H_N };

/* Entries looked at from the root: enough to see a pattern, few enough
 * that a hint costs nothing next to the walk. */
#define LOOK 64u
/* No leaf a descriptor can describe holds more (SMMUv3 L1STD.Span <= 11). */
#define MAX_LEAF_ENTRIES 4096u

/* ---- the corrected command ---- */

/* A word of the command as a shell reads it back. */
static void put_word(char *out, size_t len, const char *w)
{
	size_t n = strlen(out);
	int plain = *w != 0;
	for (const char *p = w; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "@%+=:,./_-", *p))
			plain = 0;
	if (plain) {
		snprintf(out + n, len - n, " %s", w);
		return;
	}
	snprintf(out + n, len - n, " '");
	for (const char *p = w; *p; p++) {
		n = strlen(out);
		snprintf(out + n, len - n, *p == '\'' ? "'\\''" : "%c", *p);
	}
	n = strlen(out);
	snprintf(out + n, len - n, "'");
}

/* The command line with each option in opts[] (NULL-terminated pairs of
 * "--name", value) set: replaced where it was given, appended where not.
 * 0, or -1 when it does not fit len. */
static int corrected(const struct pt_hint_args *a, const char *const *opts, char *out,
		     size_t len)
{
	int done[4] = { 0 };
	snprintf(out, len, "%s", a->argv[0]);
	for (int i = 1; i < a->argc; i++) {
		const char *w = a->argv[i];
		int hit = -1;
		for (int k = 0; opts[2 * k] && k < 4; k++) {
			size_t ol = strlen(opts[2 * k]);
			if (strncmp(w, opts[2 * k], ol) == 0 && (w[ol] == 0 || w[ol] == '='))
				hit = k;
		}
		if (hit < 0) {
			put_word(out, len, w);
			continue;
		}
		put_word(out, len, opts[2 * hit]);
		put_word(out, len, opts[2 * hit + 1]);
		done[hit] = 1;
		if (!strchr(w, '=') && i + 1 < a->argc)
			i++;
	}
	for (int k = 0; opts[2 * k] && k < 4; k++) {
		if (done[k])
			continue;
		put_word(out, len, opts[2 * k]);
		put_word(out, len, opts[2 * k + 1]);
	}
	return strlen(out) + 1 < len ? 0 : -1;
}

/* "WHY: COMMAND", or "WHY: give OPTION VALUE" when the whole command does
 * not fit a diagnostic. */
static void report(struct pt_diag_sink *diags, int rule, uint64_t addr,
		   const struct pt_hint_args *a, const char *const *opts, const char *why)
{
	char cmd[PT_DIAG_MSG_MAX];
	size_t room = PT_DIAG_MSG_MAX - strlen(why) - 4;
	if (room < 40 || room > sizeof cmd || corrected(a, opts, cmd, room) != 0) {
		snprintf(cmd, sizeof cmd, "give %s %s%s%s%s", opts[0], opts[1], opts[2] ? " " : "",
			 opts[2] ? opts[2] : "", opts[2] ? " " : "");
		if (opts[2])
			snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), "%s", opts[3]);
	}
	pt_diag_report(diags, &hint_rules[rule], 1, addr, PT_SCOPE_NONE, 0, NULL, "%s: %s", why,
		       cmd);
}

/* ---- what the memory at the root looks like ---- */

/* A directory descriptor by its shape alone: valid, pointing somewhere,
 * a leaf no larger than any format has, reserved bits clear. */
static int dir_shape(const struct pt_format *fmt, const uint8_t *raw, struct pt_dir_view *dv)
{
	memset(dv, 0, sizeof *dv);
	fmt->dir_view(raw, dv);
	if (!dv->valid || !dv->next || dv->count > MAX_LEAF_ENTRIES)
		return 0;
	for (size_t i = 0; i < fmt->dir->nfields; i++)
		if (fmt->dir->fields[i].kind == PT_FK_RES0 && pt_field_get(raw, &fmt->dir->fields[i]))
			return 0;
	return 1;
}

enum block { B_ZERO, B_DIRS, B_ENTRY, B_OTHER };

struct look {
	unsigned dirs, entries, other;
	uint64_t last_dir;        /* index of the last directory-shaped word, + 1 */
	uint64_t max_count;       /* largest leaf a descriptor describes */
	int all_64k;              /* every pointer 64 KiB aligned */
};

/* One entry-sized block at addr: directory descriptors whose leaves are
 * in the input (and zeros), a valid entry with a word no descriptor could
 * be, zero, or neither. */
static enum block classify(struct pt_source *src, const struct pt_format *fmt, uint64_t addr,
			   uint64_t word0, struct look *l)
{
	uint8_t raw[PT_MAX_ENTRY_SIZE];
	uint32_t es = fmt->entry->size, ds = fmt->dir->size;
	if (es > sizeof raw || pt_source_read(src, addr, raw, es) != PT_READ_OK)
		return B_OTHER;
	unsigned shaped = 0, inside = 0, other = 0;
	for (uint32_t off = 0; off + ds <= es; off += ds) {
		int z = 1;
		for (uint32_t i = 0; i < ds; i++)
			z &= raw[off + i] == 0;
		struct pt_dir_view dv;
		if (z)
			continue;
		if (!dir_shape(fmt, raw + off, &dv)) {
			other++;
			continue;
		}
		shaped++;
		if (!pt_source_covers(src, dv.next, es))
			continue;
		inside++;
		l->last_dir = word0 + off / ds + 1;
		if (dv.count > l->max_count)
			l->max_count = dv.count;
		if (dv.next & 0xffff)
			l->all_64k = 0;
	}
	if (!shaped && !other)
		return B_ZERO;
	if (inside && inside == shaped && !other)
		return B_DIRS;
	/* An STE's word 0 is shaped like an L1STD (Span = V | Config << 1),
	 * so an entry needs one word that is not a descriptor at all. */
	return other && fmt->entry_valid(raw) ? B_ENTRY : B_OTHER;
}

static void look_at_root(struct pt_source *src, const struct pt_table_cfg *cfg,
			 uint64_t root_bytes, struct look *l)
{
	const struct pt_format *fmt = cfg->fmt;
	uint64_t n = root_bytes / fmt->entry->size;
	memset(l, 0, sizeof *l);
	l->all_64k = 1;
	/* An L1 table smaller than one entry still starts one. */
	if (n == 0)
		n = 1;
	if (n > LOOK)
		n = LOOK;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t addr = cfg->base + i * fmt->entry->size;
		switch (classify(src, fmt, addr, i * (fmt->entry->size / fmt->dir->size), l)) {
		case B_DIRS: l->dirs++; break;
		case B_ENTRY: l->entries++; break;
		case B_OTHER: l->other++; break;
		default: break;
		}
	}
}

/* Directory-shaped memory read as entries, or entries read as directory
 * descriptors, and nothing else among the first LOOK entries. */
static int reads_dirs_as_entries(const struct look *l, int linear)
{
	return linear ? l->dirs && !l->entries && !l->other
		      : l->entries && !l->dirs && !l->other;
}

static unsigned log2_ceil(uint64_t v)
{
	unsigned b = 0;
	while (b < 63 && (UINT64_C(1) << b) < v)
		b++;
	return b;
}

/* ---- the three hints ---- */

static void hint_strtab(const struct pt_table_cfg *cfg, const struct look *l, int linear,
			const struct pt_hint_args *a, struct pt_diag_sink *diags)
{
	const struct pt_field *fmtf = &smmu_strtab_cfg_fields[STRTAB_CFG_FMT];
	const struct pt_field *split = &smmu_strtab_cfg_fields[STRTAB_CFG_SPLIT];
	uint8_t reg[8];
	pt_put_le64(reg, 0, a->strtab_cfg);
	unsigned s = log2_ceil(l->max_count);
	/* SPLIT takes 6, 8 or 10 (IHI 0070 §6.3.24); a shorter leaf is a Span. */
	s = s <= 6 ? 6 : s <= 8 ? 8 : 10;
	pt_field_set(reg, fmtf, linear ? 1 : 0);
	pt_field_set(reg, split, linear ? s : 0);
	char val[24], why[160];
	snprintf(val, sizeof val, "0x%llx", (unsigned long long)pt_le64(reg, 0));
	snprintf(why, sizeof why, linear ?
		 "the root holds L1 stream-table descriptors pointing into the input, not STEs: "
		 "FMT 1 (2-level) reads them" :
		 "the root holds valid STEs, not L1 stream-table descriptors: FMT 0 (linear) "
		 "reads them");
	const char *opts[] = { "--strtab-cfg", val, NULL, NULL };
	report(diags, H_STRTAB_FMT, cfg->base, a, opts, why);
}

static const struct pt_layout *layout_with(const struct pt_format *fmt, int levels2, int big)
{
	const struct pt_layout *pick = NULL;
	for (size_t i = 0; i < fmt->nlayouts; i++) {
		const struct pt_layout *ly = &fmt->layouts[i];
		if ((ly->nlevels > 1) != levels2)
			continue;
		/* 2-level: the largest leaf the pointers allow, else the smallest. */
		if (!pick || (big ? ly->leaf_bits > pick->leaf_bits : ly->leaf_bits < pick->leaf_bits))
			pick = ly;
	}
	return pick;
}

static void hint_layout(const struct pt_table_cfg *cfg, const struct look *l, int linear,
			const struct pt_hint_args *a, struct pt_diag_sink *diags)
{
	const struct pt_format *fmt = cfg->fmt;
	const struct pt_layout *to = layout_with(fmt, linear, l->all_64k);
	if (!to)
		return;
	char bits[16], why[160];
	const char *opts[] = { "--layout", to->name, NULL, NULL, NULL };
	if (linear && !a->has_ssid_bits) {
		unsigned b = log2_ceil(l->last_dir) + to->leaf_bits;
		snprintf(bits, sizeof bits, "%u", b < PT_MAX_SSID_BITS ? b : PT_MAX_SSID_BITS);
		opts[2] = "--ssid-bits";
		opts[3] = bits;
	}
	if (linear)
		snprintf(why, sizeof why, "the root holds %s descriptors pointing into the input, "
			 "not %s entries: a 2-level layout reads them", fmt->dir->name,
			 fmt->entry->name);
	else
		snprintf(why, sizeof why, "the root holds valid %s entries, not %s descriptors: "
			 "the linear layout reads them", fmt->entry->name, fmt->dir->name);
	report(diags, H_LAYOUT, cfg->base, a, opts, why);
}

/* Leaves and entries a base is tried on: enough to find a valid entry in
 * a real table, few enough to cost nothing. */
#define TRY_LEAVES 64u
#define TRY_ENTRIES 1024u
#define TRY_BASES 8

/* How the leaves the first valid L1 descriptors point at sit with the image
 * placed at base: -1 when one the image holds whole has no valid entry (a
 * base that puts a leaf on empty bytes is not where the image sits; one
 * leaf with entries is not enough: shifted by less than a leaf, a pointer
 * lands on part of the next leaf), or when none has one; else how many
 * leaves the image ends in (a cut image), which neither confirm nor refute. */
static int leaves_fit(struct pt_source *src, const struct pt_table_cfg *cfg, uint64_t ndir,
		      uint64_t leaf_entries, uint64_t base)
{
	const struct pt_format *fmt = cfg->fmt;
	uint32_t es = fmt->entry->size;
	unsigned leaves = 0, confirmed = 0;
	int partial = 0;
	uint64_t n = leaf_entries < TRY_ENTRIES ? leaf_entries : TRY_ENTRIES;
	for (uint64_t i = 0; i < ndir && leaves < TRY_LEAVES; i++) {
		uint8_t raw[PT_MAX_ENTRY_SIZE];
		struct pt_dir_view dv;
		if (pt_source_read(src, cfg->base + i * fmt->dir->size, raw, fmt->dir->size) !=
			    PT_READ_OK || !dir_shape(fmt, raw, &dv))
			continue;
		if (dv.next < base)
			return -1;
		leaves++;
		uint64_t at = cfg->base + (dv.next - base), e = 0;
		int whole = pt_source_covers(src, at, leaf_entries * es);
		while (e < n && !(pt_source_read(src, at + e * es, raw, es) == PT_READ_OK &&
				  fmt->entry_valid(raw)))
			e++;
		if (e < n)
			confirmed++;
		else if (whole)
			return -1;
		partial += !whole;
	}
	return confirmed ? partial : -1;
}

/* The bases in [lo, hi] the leaves fit best (fewest leaves cut by the
 * image's end), trying the most aligned addresses first (tables sit on page
 * boundaries and above): how many fit that well, the first in *out. */
static int base_in(struct pt_source *src, const struct pt_table_cfg *cfg,
		   const struct pt_geometry *g, uint64_t lo, uint64_t hi, uint64_t *out)
{
	uint64_t tried[TRY_BASES];
	int n = 0, found = 0, best = INT_MAX;
	uint64_t leaf_entries = g->leaf_bytes / cfg->fmt->entry->size;
	for (int k = 63; k >= 6 && n < TRY_BASES; k--) {
		uint64_t a = UINT64_C(1) << k, c = (lo + a - 1) & ~(a - 1);
		if (c < lo || c > hi || (n && c == tried[n - 1]))
			continue;
		tried[n++] = c;
		int partial = leaves_fit(src, cfg, g->ndir, leaf_entries, c);
		if (partial < 0 || partial > best)
			continue;
		if (partial < best) {
			best = partial;
			found = 0;
			*out = c;
		}
		found++;
	}
	return found;
}

/* A 2-level root at the image's start: where the image must sit for its
 * L1 pointers to land inside it (after the root, before its end). */
static void hint_base(struct pt_source *src, const struct pt_table_cfg *cfg,
		      const struct pt_geometry *g, const struct pt_hint_args *a,
		      struct pt_diag_sink *diags)
{
	const struct pt_format *fmt = cfg->fmt;
	uint64_t lo, hi, minp = UINT64_MAX, maxe = 0, outside = 0, n = g->ndir;
	pt_source_span(src, &lo, &hi);
	if (n > (UINT64_C(1) << 20))
		n = UINT64_C(1) << 20;
	for (uint64_t i = 0; i < n; i++) {
		uint8_t raw[PT_MAX_DIR_SIZE];
		struct pt_dir_view dv;
		uint64_t at = cfg->base + i * fmt->dir->size;
		if (pt_source_read(src, at, raw, fmt->dir->size) != PT_READ_OK)
			break;
		if (!dir_shape(fmt, raw, &dv))
			continue;
		uint64_t end = dv.next + fmt->entry->size;
		if (end < dv.next)
			return;
		outside += !pt_source_covers(src, dv.next, fmt->entry->size);
		minp = dv.next < minp ? dv.next : minp;
		maxe = end > maxe ? end : maxe;
	}
	uint64_t size = hi - lo + 1, base = 0;
	if (!outside || minp < g->root_bytes || hi < lo)
		return;
	uint64_t from = maxe > size ? maxe - size : 0, to = minp - g->root_bytes;
	int found = from > to ? 0 : base_in(src, cfg, g, from, to, &base);
	if (found > 1) {
		/* No command: any one base would be a guess. */
		pt_diag_report(diags, &hint_rules[H_BASE], 1, cfg->base, PT_SCOPE_NONE, 0, NULL,
			       "no --base: %llu L1 descriptors point outside the image (0x%llx-0x%llx); "
			       "%d bases put every leaf on entries: the image does not say where it "
			       "sits, give --base", (unsigned long long)outside, (unsigned long long)lo,
			       (unsigned long long)hi, found);
		return;
	}
	if (found == 0 || base == lo)
		return;
	char val[24], why[160];
	snprintf(val, sizeof val, "0x%llx", (unsigned long long)base);
	snprintf(why, sizeof why, "no --base: %llu L1 descriptors point outside the image "
		 "(0x%llx-0x%llx); at base %s every one lands inside it", (unsigned long long)outside,
		 (unsigned long long)lo, (unsigned long long)hi, val);
	const char *opts[] = { "--base", val, NULL, NULL };
	report(diags, H_BASE, cfg->base, a, opts, why);
}

void pt_hints_table(struct pt_source *src, const struct pt_table_cfg *cfg,
		    const struct pt_hint_args *a, struct pt_diag_sink *diags)
{
	const struct pt_format *fmt = cfg->fmt;
	struct pt_geometry g;
	if (!fmt->dir || !fmt->dir_view || fmt->dir->size > PT_MAX_DIR_SIZE ||
	    fmt->entry->size % fmt->dir->size || pt_geometry(cfg, &g) != 0)
		return;
	int linear = cfg->layout->nlevels == 1;
	int strtab = fmt == &smmu_strtab_format;
	if (!linear && src->kind == PT_SRC_RAW && !a->has_base && !a->root_given)
		hint_base(src, cfg, &g, a, diags);
	if (strtab && !a->has_strtab)
		return;  /* --ste: one STE, no FMT to get wrong */
	struct look l;
	look_at_root(src, cfg, linear ? g.nentries * fmt->entry->size : g.root_bytes, &l);
	if (!reads_dirs_as_entries(&l, linear))
		return;
	if (strtab)
		hint_strtab(cfg, &l, linear, a, diags);
	else
		hint_layout(cfg, &l, linear, a, diags);
}

void pt_hints_root(struct pt_source *src, uint64_t root, const struct pt_hint_args *a,
		   struct pt_diag_sink *diags)
{
	uint64_t lo, hi;
	pt_source_span(src, &lo, &hi);
	if (src->kind != PT_SRC_RAW || a->has_base || pt_source_covers(src, root, 1) || lo != 0)
		return;
	char val[24];
	snprintf(val, sizeof val, "0x%llx", (unsigned long long)root);
	const char *opts[] = { "--base", val, NULL, NULL };
	report(diags, H_BASE, root, a, opts,
	       "no --base: a raw image starts at 0; if it starts at the table");
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* VMSAv8-64 descriptors (DDI 0487 D8.3.1 stage 1, D8.3.2 stage 2). The
 * fields shared by every granule are listed once below; a variant (stage,
 * granule, 48/52-bit) adds its address fields, whose low bit moves with the
 * granule, and is assembled into field tables once at registration. */
#include <stdio.h>
#include <string.h>

#include "ptbuild.h"
#include "table.h"
#include "vmsa_pt.h"

static const char *const ap_names[] = { "rw-priv", "rw", "ro-priv", "ro" };
static const char *const sh_names[] = { "nsh", "reserved", "osh", "ish" };
static const char *const s2ap_names[] = { "none", "ro", "wo", "rw" };
static const char *const aptable_names[] = { "none", "no-el0", "no-write", "no-el0-no-write" };
static const char *const xn_names[] = { "exec", "no-el1", "no-exec", "no-el0" };

#define FLD(key, lab, lsb, wd, kind, doc) { key, lab, 0, lsb, wd, kind, 0, NULL, 0, doc, 0 }
#define FLDE(key, lab, lsb, wd, names, doc) \
	{ key, lab, 0, lsb, wd, PT_FK_ENUM, 0, names, (uint8_t)(sizeof names / sizeof names[0]), doc, 0 }
#define FLDA(key, lab, lsb, wd, sh, doc) { key, lab, 0, lsb, wd, PT_FK_ADDR, sh, NULL, 0, doc, PT_FF_SHOW_ZERO }

/* Bits every descriptor has. */
static const struct pt_field common_head[] = {
	{ "valid", "Valid", 0, 0, 1, PT_FK_BOOL, 0, NULL, 0, "descriptor is valid", PT_FF_SHOW_ZERO },
	{ "type", "Type", 0, 1, 1, PT_FK_UINT, 0, NULL, 0,
	  "1: table (above the last level) or page (at it); 0: block", PT_FF_SHOW_ZERO },
};

static const struct pt_field s1_table_tail[] = {
	FLD("ign_7_2", "IGNORED[7:2]", 2, 6, PT_FK_UINT, "ignored by the walk"),
	FLD("ign_11_10", "IGNORED[11:10]", 10, 2, PT_FK_UINT, "ignored ([10] AF with HAFT)"),
	FLD("ign_58_51", "IGNORED[58:51]", 51, 8, PT_FK_UINT, "ignored by the walk"),
	FLD("pxntable", "PXNTable", 59, 1, PT_FK_BOOL, "no privileged execution below"),
	FLD("uxntable", "UXNTable", 60, 1, PT_FK_BOOL, "no unprivileged execution below (XNTable)"),
	FLDE("aptable", "APTable", 61, 2, aptable_names, "access restrictions below"),
	FLD("nstable", "NSTable", 63, 1, PT_FK_BOOL, "next level is Non-secure (Secure walks)"),
};

static const struct pt_field s2_table_tail[] = {
	FLD("ign_7_2", "IGNORED[7:2]", 2, 6, PT_FK_UINT, "ignored by the walk"),
	FLD("ign_11_10", "IGNORED[11:10]", 10, 2, PT_FK_UINT, "ignored ([10] AF with HAFT)"),
	FLD("ign_58_51", "IGNORED[58:51]", 51, 8, PT_FK_UINT, "ignored by the walk"),
};

static const struct pt_field s1_leaf_tail[] = {
	FLD("attrindx", "AttrIndx", 2, 3, PT_FK_UINT, "MAIR byte that gives the memory type"),
	FLD("ns", "NS", 5, 1, PT_FK_BOOL, "Non-secure output (Secure walks)"),
	FLDE("ap", "AP", 6, 2, ap_names, "AP[2:1]: read-only, EL0 accessible"),
	FLD("af", "AF", 10, 1, PT_FK_BOOL, "access flag"),
	FLD("ng", "nG", 11, 1, PT_FK_BOOL, "not global: tagged with the ASID"),
	FLD("gp", "GP", 50, 1, PT_FK_BOOL, "guarded page (BTI)"),
	FLD("dbm", "DBM", 51, 1, PT_FK_BOOL, "dirty bit modifier: writable-clean with HD"),
	FLD("contiguous", "Contiguous", 52, 1, PT_FK_BOOL, "one of a contiguous run of entries"),
	FLD("pxn", "PXN", 53, 1, PT_FK_BOOL, "privileged execute-never"),
	FLD("uxn", "UXN", 54, 1, PT_FK_BOOL, "unprivileged execute-never (XN)"),
	FLD("sw", "SW", 55, 4, PT_FK_UINT, "reserved for software"),
	FLD("pbha", "PBHA", 59, 4, PT_FK_UINT, "page-based hardware attributes / ignored"),
	FLD("ign_63", "IGNORED[63]", 63, 1, PT_FK_UINT, "ignored"),
};

static const struct pt_field s2_leaf_tail[] = {
	FLD("memattr", "MemAttr", 2, 4, PT_FK_UINT, "stage-2 memory type"),
	FLDE("s2ap", "S2AP", 6, 2, s2ap_names, "stage-2 read/write permission"),
	FLD("af", "AF", 10, 1, PT_FK_BOOL, "access flag"),
	FLD("dbm", "DBM", 51, 1, PT_FK_BOOL, "dirty bit modifier: writable-clean with S2HD"),
	FLD("contiguous", "Contiguous", 52, 1, PT_FK_BOOL, "one of a contiguous run of entries"),
	FLDE("xn", "XN", 53, 2, xn_names, "execute-never, XN[1:0] (FEAT_XNX)"),
	FLD("sw", "SW", 55, 4, PT_FK_UINT, "reserved for software"),
	FLD("pbha", "PBHA", 59, 4, PT_FK_UINT, "page-based hardware attributes / ignored"),
	FLD("ign_63", "IGNORED[63]", 63, 1, PT_FK_UINT, "ignored"),
};

static const struct pt_field sh_field = FLDE("sh", "SH", 8, 2, sh_names, "shareability");
static const struct pt_field ign_9_8 = FLD("ign_9_8", "IGNORED[9:8]", 8, 2, PT_FK_UINT, "ignored");
static const struct pt_field nt_field = FLD("nt", "nT", 16, 1, PT_FK_BOOL, "block translation entry (FEAT_BBML1)");
/* 52-bit pieces of an address, wherever the granule leaves room. */
static const struct pt_field a51_50 = FLDA("a_51_50", "OA[51:50]", 8, 2, 50, "address bits [51:50] (DS)");
static const struct pt_field a49_48 = FLDA("a_49_48", "OA[49:48]", 48, 2, 48, "address bits [49:48] (DS)");
static const struct pt_field a51_48 = FLDA("a_51_48", "OA[51:48]", 12, 4, 48, "address bits [51:48] (64K, LPA)");

#define NVARIANTS (2 * VMSA_NGRANULES * 2)
#define MAXF 32

enum { K_TABLE, K_BLOCK, K_PAGE, NKINDS };

struct variant {
	struct pt_field fields[NKINDS][MAXF];
	char names[NKINDS][40], labels[NKINDS][80];
	char res0_names[NKINDS][8][16], res0_labels[NKINDS][8][16];
	struct pt_struct st[NKINDS];
	const struct pt_field *taddr[4], *laddr[4];
	struct pt_field addr_fields[NKINDS]; /* the granule-dependent [47:x] field */
	struct pt_ptw_format fmt;
	char fmtname[32];
};

static struct variant variants[NVARIANTS];
static int built;

static const unsigned gbits[VMSA_NGRANULES] = { 12, 14, 16 };
static const char *const gnames[VMSA_NGRANULES] = { "4k", "16k", "64k" };

unsigned vmsa_granule_bits(enum vmsa_granule g)
{
	return gbits[g];
}

const char *vmsa_granule_name(enum vmsa_granule g)
{
	return gnames[g];
}

static void add(struct pt_field *fs, size_t *n, const struct pt_field *f)
{
	if (*n < MAXF)
		fs[(*n)++] = *f;
}

static void add_all(struct pt_field *fs, size_t *n, const struct pt_field *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		add(fs, n, &list[i]);
}

/* Fields ordered by bit for the formats listing and text output. */
static void sort_fields(struct pt_field *fs, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && fs[j - 1].lsb > fs[j].lsb; j--) {
			struct pt_field t = fs[j];
			fs[j] = fs[j - 1];
			fs[j - 1] = t;
		}
}

static const struct pt_field *find(const struct pt_field *fs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(fs[i].name, name) == 0)
			return &fs[i];
	return NULL;
}

/* Which levels may hold blocks: 4K L1/L2 (L0 with DS), 16K L2 (L1 with DS),
 * 64K L2 (L1 with 52-bit output) (DDI 0487 D8.2). */
static uint32_t block_levels(enum vmsa_granule g, int wide)
{
	switch (g) {
	case VMSA_4K: return (1u << 2) | (1u << 3) | (wide ? 1u << 1 : 0);
	case VMSA_16K: return (1u << 3) | (wide ? 1u << 2 : 0);
	default: return (1u << 3) | (wide ? 1u << 2 : 0);
	}
}

static void fill_res0(struct variant *v, int kind, struct pt_field *fs, size_t *n);

static void build_kind(struct variant *v, int kind, unsigned stage, enum vmsa_granule g, int wide)
{
	struct pt_field *fs = v->fields[kind];
	size_t n = 0;
	unsigned gb = gbits[g], lo = kind == K_BLOCK ? gb + (gb - 3) : gb;
	add_all(fs, &n, common_head, 2);
	if (kind == K_TABLE) {
		if (stage == 1)
			add_all(fs, &n, s1_table_tail, sizeof s1_table_tail / sizeof s1_table_tail[0]);
		else
			add_all(fs, &n, s2_table_tail, sizeof s2_table_tail / sizeof s2_table_tail[0]);
		add(fs, &n, wide && g != VMSA_64K ? &a51_50 : &ign_9_8);
	} else {
		if (stage == 1)
			add_all(fs, &n, s1_leaf_tail, sizeof s1_leaf_tail / sizeof s1_leaf_tail[0]);
		else
			add_all(fs, &n, s2_leaf_tail, sizeof s2_leaf_tail / sizeof s2_leaf_tail[0]);
		add(fs, &n, wide && g != VMSA_64K ? &a51_50 : &sh_field);
		if (kind == K_BLOCK)
			add(fs, &n, &nt_field);
	}
	struct pt_field a = FLDA(kind == K_TABLE ? "nlta" : "oa",
				 kind == K_TABLE ? "NLTA" : "OA", 0, 0, 0,
				 kind == K_TABLE ? "next-level table address" : "output address");
	a.lsb = (uint8_t)lo;
	a.width = (uint8_t)(48 - lo);
	a.shift = (uint8_t)lo;
	add(fs, &n, &a);
	if (wide && g == VMSA_64K)
		add(fs, &n, &a51_48);
	if (wide && g != VMSA_64K)
		add(fs, &n, &a49_48);
	sort_fields(fs, n);
	fill_res0(v, kind, fs, &n);

	const char *kname[NKINDS] = { "table", "block", "page" };
	snprintf(v->names[kind], sizeof v->names[kind], "vmsa-s%u-%s%s-%s", stage, gnames[g],
		 wide ? "-52" : "", kname[kind]);
	snprintf(v->labels[kind], sizeof v->labels[kind], "VMSAv8-64 stage-%u %s%s %s descriptor",
		 stage, gnames[g], wide ? " 52-bit" : "", kname[kind]);
	struct pt_struct *st = &v->st[kind];
	st->name = v->names[kind];
	st->label = v->labels[kind];
	st->size = 8;
	st->fields = fs;
	st->nfields = n;
	st->doc = "DDI 0487 D8.3";
	st->flags = PT_SF_COMPACT;
}

/* Bits no field names are RES0 for this variant: listed as such, so that
 * decode -> build and the fuzzers' field round trips keep every bit. */
static void fill_res0(struct variant *v, int kind, struct pt_field *fs, size_t *n)
{
	uint64_t used = 0;
	for (size_t i = 0; i < *n; i++)
		used |= (fs[i].width >= 64 ? UINT64_MAX : ((UINT64_C(1) << fs[i].width) - 1))
			<< fs[i].lsb;
	unsigned k = 0;
	for (unsigned bit = 0; bit < 64 && k < 8;) {
		if (used >> bit & 1) {
			bit++;
			continue;
		}
		unsigned hi = bit;
		while (hi + 1 < 64 && !(used >> (hi + 1) & 1))
			hi++;
		snprintf(v->res0_names[kind][k], sizeof v->res0_names[kind][k], "res0_%u_%u", hi, bit);
		snprintf(v->res0_labels[kind][k], sizeof v->res0_labels[kind][k], "RES0[%u:%u]", hi,
			 bit);
		struct pt_field r = { v->res0_names[kind][k], v->res0_labels[kind][k], 0,
				      (uint8_t)bit, (uint8_t)(hi - bit + 1), PT_FK_RES0, 0, NULL, 0,
				      "reserved", 0 };
		add(fs, n, &r);
		k++;
		bit = hi + 1;
	}
	sort_fields(fs, *n);
}

static size_t variant_index(unsigned stage, enum vmsa_granule g, int wide)
{
	return ((stage - 1) * VMSA_NGRANULES + (size_t)g) * 2 + (wide ? 1 : 0);
}

static void build_variant(unsigned stage, enum vmsa_granule g, int wide)
{
	struct variant *v = &variants[variant_index(stage, g, wide)];
	for (int k = 0; k < NKINDS; k++)
		build_kind(v, k, stage, g, wide);
	const struct pt_field *tf = v->fields[K_TABLE], *pf = v->fields[K_PAGE];
	size_t tn = v->st[K_TABLE].nfields, pn = v->st[K_PAGE].nfields;
	size_t ti = 0, li = 0;
	static const char *const addr_names[] = { "nlta", "oa", "a_51_50", "a_49_48", "a_51_48" };
	for (size_t i = 0; i < sizeof addr_names / sizeof addr_names[0]; i++) {
		const struct pt_field *f = find(tf, tn, addr_names[i]);
		if (f)
			v->taddr[ti++] = f;
		/* Blocks share the page's address fields: the walker masks the
		 * bits below the block size. */
		f = find(pf, pn, addr_names[i]);
		if (f)
			v->laddr[li++] = f;
	}
	unsigned gb = gbits[g];
	struct pt_ptw_format *f = &v->fmt;
	snprintf(v->fmtname, sizeof v->fmtname, "vmsav8-64-s%u-%s%s", stage, gnames[g],
		 wide ? "-52" : "");
	f->name = v->fmtname;
	f->granule_bits = gb;
	f->stride = gb - 3;
	f->desc_bytes = 8;
	f->first_level = g == VMSA_4K ? (wide ? -1 : 0) : g == VMSA_16K ? 0 : 1;
	f->last_level = 3;
	f->table = &v->st[K_TABLE];
	f->block = &v->st[K_BLOCK];
	f->page = &v->st[K_PAGE];
	f->valid = find(pf, pn, "valid");
	f->type = find(pf, pn, "type");
	f->type_table = 1;
	f->type_page = 1;
	f->type_block = 0;
	f->block_levels = block_levels(g, wide);
	f->table_addr = v->taddr;
	f->leaf_addr = v->laddr;
	f->af = find(pf, pn, "af");
	f->contig = find(pf, pn, "contiguous");
	/* Entries one Contiguous hint spans (D8.7.1). */
	for (int l = 0; l < PT_PTW_MAX_LEVELS; l++)
		f->contig_bits[l] = g == VMSA_4K ? 4 : g == VMSA_16K ? (l == 4 ? 7 : 5) : 5;
	f->hier_or = stage == 1 ? UINT64_C(0xf) << 59 : 0;
	f->hier_and = 0;
	uint64_t mask = 0;
	for (size_t i = 0; i < pn; i++) {
		const struct pt_field *x = &pf[i];
		if (x->kind == PT_FK_ADDR || !strcmp(x->name, "type") || !strcmp(x->name, "contiguous"))
			continue;
		mask |= (x->width >= 64 ? UINT64_MAX : ((UINT64_C(1) << x->width) - 1)) << x->lsb;
	}
	f->leaf_attr_mask = mask;
}

static void build(void)
{
	if (built)
		return;
	for (unsigned s = 1; s <= 2; s++)
		for (int g = 0; g < VMSA_NGRANULES; g++)
			for (int w = 0; w < 2; w++)
				build_variant(s, (enum vmsa_granule)g, w);
	built = 1;
}

const struct pt_ptw_format *vmsa_pt_format(unsigned stage, enum vmsa_granule g, int wide)
{
	if (stage < 1 || stage > 2 || (unsigned)g >= VMSA_NGRANULES)
		return NULL;
	build();
	return &variants[variant_index(stage, g, wide)].fmt;
}

void vmsa_pt_register(void)
{
	build();
	for (size_t i = 0; i < NVARIANTS; i++)
	{
		for (int k = 0; k < NKINDS; k++)
			pt_struct_register(&variants[i].st[k]);
		pt_ptw_format_register(&variants[i].fmt);
	}
}

const struct pt_field *vmsa_leaf_field(const struct pt_ptw_format *f, const char *name)
{
	return pt_struct_field(f->page, name);
}

static const char *nibble_cache(unsigned n)
{
	if (n == 4)
		return "nc";
	switch (n >> 2) {
	case 0: return "wt-transient";
	case 1: return "wb-transient";
	case 2: return "wt";
	default: return "wb";
	}
}

const char *vmsa_mair_name(unsigned attr, char *buf, size_t len)
{
	static const char *const dev[] = { "device-ngnrne", "device-ngnre", "device-ngre",
					   "device-gre" };
	unsigned hi = (attr >> 4) & 0xf, lo = attr & 0xf;
	if (hi == 0) {
		snprintf(buf, len, "%s", (lo & 3) == 0 ? dev[lo >> 2] : "device-reserved");
		return buf;
	}
	if (attr == 0xf0) {
		snprintf(buf, len, "normal-tagged");
		return buf;
	}
	if (lo == 0) {
		snprintf(buf, len, "reserved");
		return buf;
	}
	const char *i = nibble_cache(lo), *o = nibble_cache(hi);
	if (strcmp(i, o) == 0)
		snprintf(buf, len, "normal-%s", i);
	else
		snprintf(buf, len, "normal-i%s-o%s", i, o);
	return buf;
}

const char *vmsa_s2_memattr_name(unsigned m)
{
	/* MemAttr[3:2] outer, [1:0] inner; 00xx is Device (DDI 0487 D8.6.5). */
	static const char *const names[16] = {
		"device-ngnrne", "device-ngnre", "device-ngre", "device-gre",
		"reserved", "normal-nc", "normal-iwt-onc", "normal-iwb-onc",
		"reserved", "normal-inc-owt", "normal-wt", "normal-iwb-owt",
		"reserved", "normal-inc-owb", "normal-iwt-owb", "normal-wb",
	};
	return names[m & 0xf];
}

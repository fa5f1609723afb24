/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "smmuv3_ptw.h"

/* IPS / S2PS / OAS encodings as bits (IHI 0070 §5.4 IPS, §5.2 S2PS). */
static unsigned ps_bits(uint64_t ps)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };
	return bits[ps & 7];
}

/* Field lookups by name, remembered per (format, name literal): maps prints
 * attributes of up to millions of ranges. */
#define FIELD_MEMO 128u

static const struct pt_field *leaf_field(const struct pt_ptw_format *f, const char *name)
{
	static struct {
		const struct pt_ptw_format *f;
		const char *name;
		const struct pt_field *field;
	} memo[FIELD_MEMO];
	size_t h = (((uintptr_t)f >> 4) ^ ((uintptr_t)name >> 3)) % FIELD_MEMO;
	if (memo[h].f == f && memo[h].name == name)
		return memo[h].field;
	const struct pt_field *fl = vmsa_leaf_field(f, name);
	memo[h].f = f;
	memo[h].name = name;
	memo[h].field = fl;
	return fl;
}

static uint64_t leaf_get(const struct pt_ptw_format *f, const char *name, uint64_t desc)
{
	const struct pt_field *fl = leaf_field(f, name);
	if (!fl)
		return 0;
	uint8_t raw[8];
	pt_put_le64(raw, 0, desc);
	return pt_field_get(raw, fl);
}

/* Table restrictions, by the stage-1 table descriptor's field positions. */
static uint64_t table_bit(const struct pt_ptw_format *f, const char *name, uint64_t hier)
{
	const struct pt_field *fl = pt_struct_field(f->table, name);
	if (!fl)
		return 0;
	uint8_t raw[8];
	pt_put_le64(raw, 0, hier);
	return pt_field_get(raw, fl);
}

void smmu_leaf_perms(const struct smmu_regime *g, uint64_t leaf, uint64_t hier_or,
		     uint64_t hier_and, struct smmu_perms *p)
{
	const struct pt_ptw_format *f = g->r.fmt;
	const struct smmu_ptw_ctx *c = &g->ctx;
	(void)hier_and;
	int dbm_write = c->hd && leaf_get(f, "dbm", leaf);
	memset(p, 0, sizeof *p);
	if (c->stage == 2) {
		unsigned s2ap = (unsigned)leaf_get(f, "s2ap", leaf);
		unsigned xn = (unsigned)leaf_get(f, "xn", leaf);
		for (int pr = 0; pr < 2; pr++) {
			p->r[pr] = s2ap & 1;
			p->w[pr] = (s2ap & 2) || dbm_write;
		}
		/* XN[1:0] (FEAT_XNX): 00 all, 01 not EL1, 10 none, 11 not EL0. */
		p->x[1] = xn == 0 || xn == 3;
		p->x[0] = xn == 0 || xn == 1;
		return;
	}
	unsigned ap = (unsigned)leaf_get(f, "ap", leaf);
	int ro = (ap >> 1) & 1, el0 = ap & 1;
	unsigned aptable = (unsigned)table_bit(f, "aptable", hier_or);
	int apt_noel0 = aptable & 1, apt_ro = (aptable >> 1) & 1;
	int w_ok = (!ro || dbm_write) && !apt_ro;
	int uxn = (int)leaf_get(f, "uxn", leaf) || (int)table_bit(f, "uxntable", hier_or);
	int pxn = (int)leaf_get(f, "pxn", leaf) || (int)table_bit(f, "pxntable", hier_or);
	if (!c->two_priv) {
		/* One privilege level: AP[1] is RES1, XN is bit 54. */
		for (int pr = 0; pr < 2; pr++) {
			p->r[pr] = 1;
			p->w[pr] = w_ok;
			p->x[pr] = !uxn && !(c->wxn && w_ok);
		}
		return;
	}
	int el0_r = el0 && !apt_noel0;
	p->r[0] = el0_r;
	p->w[0] = el0_r && w_ok;
	p->x[0] = !uxn && !(c->wxn && p->w[0]);
	/* PAN: privileged data accesses to EL0-accessible memory fault. */
	int pan_blocks = c->pan && el0_r;
	p->r[1] = !pan_blocks;
	p->w[1] = w_ok && !pan_blocks;
	/* Memory EL0 may write is never executable at EL1 (D8.4.1). */
	p->x[1] = !pxn && !p->w[0] && !(c->wxn && w_ok);
}

static int smmu_permits(const struct pt_ptw_regime *r, const struct pt_ptw_result *res,
			const struct pt_ptw_access *acc, const char **why)
{
	const struct smmu_regime *g = r->vendor;
	struct smmu_perms p;
	smmu_leaf_perms(g, res->leaf, res->hier_or, res->hier_and, &p);
	int pr = acc->priv ? 1 : 0;
	if (acc->exec ? p.x[pr] : acc->write ? p.w[pr] : p.r[pr])
		return 0;
	static const char *const msgs[2][3] = {
		{ "unprivileged read not permitted", "unprivileged write not permitted",
		  "unprivileged execute not permitted" },
		{ "privileged read not permitted", "privileged write not permitted",
		  "privileged execute not permitted" },
	};
	*why = msgs[pr][acc->exec ? 2 : acc->write ? 1 : 0];
	return -1;
}

static const struct pt_ptw_format *format_for(unsigned stage, unsigned tg_bits, int wide)
{
	enum vmsa_granule g = tg_bits == 12 ? VMSA_4K : tg_bits == 14 ? VMSA_16K : VMSA_64K;
	return vmsa_pt_format(stage, g, wide);
}

/* Start level for an N-bit input region (DDI 0487 D8.2.2; IHI 0070 §3.4). */
static int s1_start_level(unsigned n, unsigned g)
{
	unsigned s = g - 3;
	return 4 - (int)((n - g + s - 1) / s);
}

static void fill_regime(struct smmu_regime *out)
{
	out->r.permits = smmu_permits;
	out->r.vendor = out;
}

struct s1_half {
	int epd, tbi, had, e0pd;
	unsigned txsz, tg_bits; /* 0: reserved encoding */
	uint64_t ttb;
};

static void s1_half(const uint8_t *cd, int ttb, struct s1_half *h)
{
	/* TG0: 00 4K, 01 64K, 10 16K; TG1: 01 16K, 10 4K, 11 64K. */
	static const unsigned tg0[] = { 12, 16, 14, 0 }, tg1[] = { 0, 14, 12, 16 };
	if (ttb) {
		h->epd = (int)smmu_cd(cd, CD_EPD1);
		h->tbi = (int)smmu_cd(cd, CD_TBI1);
		h->had = (int)smmu_cd(cd, CD_HAD1);
		h->e0pd = (int)smmu_cd(cd, CD_E0PD1);
		h->txsz = (unsigned)smmu_cd(cd, CD_T1SZ);
		h->tg_bits = tg1[smmu_cd(cd, CD_TG1) & 3];
		h->ttb = smmu_cd(cd, CD_TTB1);
	} else {
		h->epd = (int)smmu_cd(cd, CD_EPD0);
		h->tbi = (int)smmu_cd(cd, CD_TBI0);
		h->had = (int)smmu_cd(cd, CD_HAD0);
		h->e0pd = (int)smmu_cd(cd, CD_E0PD0);
		h->txsz = (unsigned)smmu_cd(cd, CD_T0SZ);
		h->tg_bits = tg0[smmu_cd(cd, CD_TG0) & 3];
		h->ttb = smmu_cd(cd, CD_TTB0);
	}
}

/* Worlds without TTB1: any-EL2 without E2H (and EL3). */
static int single_range(unsigned strw, int e2h)
{
	return strw == 1 || (strw == 2 && !e2h);
}

static int build_s1(const uint8_t *cd, const struct smmu_caps *caps, unsigned strw, int e2h,
		    const struct s1_half *h, struct smmu_regime *out, const char **why)
{
	memset(out, 0, sizeof *out);
	if (!smmu_cd(cd, CD_AA64)) {
		*why = "AArch32 (VMSAv8-32 LPAE) CDs are not walked by pasidtool";
		return -1;
	}
	if (!h->tg_bits) {
		*why = "the TGx encoding is reserved";
		return -1;
	}
	if (h->txsz > 64 - h->tg_bits - 1) {
		*why = "TxSZ leaves no input bits";
		return -1;
	}
	unsigned n = 64 - h->txsz;
	int ds = caps->ds && smmu_cd(cd, CD_DS);
	unsigned ips = ps_bits(smmu_cd(cd, CD_IPS));
	unsigned oa = ips < caps->oas_bits ? ips : caps->oas_bits;
	int wide = h->tg_bits == 16 ? oa >= 52 : ds;
	if (oa > 48 && !wide)
		oa = 48;
	if (oa > 52)
		oa = 52;
	const struct pt_ptw_format *f = format_for(1, h->tg_bits, wide);
	int start = s1_start_level(n, h->tg_bits);
	if (start < f->first_level) {
		*why = "TxSZ asks for a level above the first level of the granule";
		return -1;
	}
	out->r.fmt = f;
	out->r.stage = 1;
	out->r.root = h->ttb;
	out->r.start_level = start;
	out->r.ia_bits = n;
	out->r.oa_bits = oa;
	out->r.big_endian = (int)smmu_cd(cd, CD_ENDI);
	out->r.af_ignored = (int)smmu_cd(cd, CD_HA) || (int)smmu_cd(cd, CD_AFFD);
	out->r.hier_disabled = caps->had && h->had;
	out->ctx.stage = 1;
	out->ctx.two_priv = !single_range(strw, e2h);
	out->ctx.wxn = (int)smmu_cd(cd, CD_WXN);
	out->ctx.pan = (int)smmu_cd(cd, CD_PAN);
	out->ctx.ha = (int)smmu_cd(cd, CD_HA);
	out->ctx.hd = (int)smmu_cd(cd, CD_HD) && out->ctx.ha;
	out->ctx.mair = smmu_cd(cd, CD_MAIR0) | smmu_cd(cd, CD_MAIR1) << 32;
	fill_regime(out);
	return 0;
}

void smmu_fault_set(struct smmu_fault *f, const char *event, unsigned id, const char *fmt, ...)
{
	memset(f, 0, sizeof *f);
	f->happened = 1;
	f->event = event;
	f->id = id;
	f->level = -2;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->reason, sizeof f->reason, fmt, ap);
	va_end(ap);
}

int smmu_s1_regime(const uint8_t *cd, const struct smmu_caps *caps, unsigned strw, int e2h,
		   uint64_t va, struct smmu_regime *out, uint64_t *ia, struct smmu_fault *fault)
{
	int ttb = single_range(strw, e2h) ? 0 : (int)((va >> 55) & 1);
	struct s1_half h;
	const char *why;
	s1_half(cd, ttb, &h);
	if (h.epd && !single_range(strw, e2h)) {
		smmu_fault_set(fault, "F_TRANSLATION", 0x10, "EPD%d = 1: no walks through TTB%d", ttb, ttb);
		fault->stage = 1;
		fault->cls = "IN";
		return -1;
	}
	if (build_s1(cd, caps, strw, e2h, &h, out, &why) != 0) {
		smmu_fault_set(fault, NULL, 0, "%s", why);
		return -1;
	}
	unsigned n = out->r.ia_bits, top = h.tbi ? 55 : 63;
	/* VA[top:N] must all equal the TTB select bit. */
	uint64_t mask = (top == 63 ? UINT64_MAX : (UINT64_C(1) << (top + 1)) - 1) &
			~((UINT64_C(1) << n) - 1);
	if ((va & mask) != (ttb ? mask : 0)) {
		smmu_fault_set(fault, "F_TRANSLATION", 0x10,
			       "address is outside the %u-bit TTB%d region (T%dSZ = %u%s)", n, ttb, ttb,
			       h.txsz, h.tbi ? ", top byte ignored" : "");
		fault->stage = 1;
		fault->cls = "IN";
		return -1;
	}
	*ia = va & ((UINT64_C(1) << n) - 1);
	return 0;
}

int smmu_s1_half(const uint8_t *cd, const struct smmu_caps *caps, unsigned strw, int e2h, int ttb,
		 struct smmu_regime *out, uint64_t *va_base, const char **why)
{
	struct s1_half h;
	if (ttb && single_range(strw, e2h)) {
		*why = "this stream world has no TTB1";
		return -1;
	}
	s1_half(cd, ttb, &h);
	if (h.epd && !single_range(strw, e2h)) {
		*why = ttb ? "EPD1 = 1" : "EPD0 = 1";
		return -1;
	}
	if (build_s1(cd, caps, strw, e2h, &h, out, why) != 0)
		return -1;
	*va_base = ttb ? ~((UINT64_C(1) << out->r.ia_bits) - 1) : 0;
	return 0;
}

/* Start level from S2SL0 and S2TG (IHI 0070 §5.2, VTCR_EL2.SL0 encoding). */
static int s2_start_level(unsigned tg_bits, unsigned sl0, int sl2, int ds)
{
	if (tg_bits == 12) {
		if (sl2)
			return ds && sl0 == 0 ? -1 : 99;
		static const int l[] = { 2, 1, 0, 3 };
		return l[sl0 & 3];
	}
	if (tg_bits == 14) {
		static const int l[] = { 3, 2, 1, 0 };
		return sl0 == 3 && !ds ? 99 : l[sl0 & 3];
	}
	static const int l[] = { 3, 2, 1, 99 };
	return l[sl0 & 3];
}

int smmu_s2_regime(const uint8_t *ste, const struct smmu_caps *caps, struct smmu_regime *out,
		   const char **why)
{
	static const unsigned tg[] = { 12, 16, 14, 0 };
	memset(out, 0, sizeof *out);
	if (!smmu_ste(ste, STE_S2AA64)) {
		*why = "AArch32 stage 2 (S2AA64 = 0) is not walked by pasidtool";
		return -1;
	}
	unsigned g = tg[smmu_ste(ste, STE_S2TG) & 3];
	if (!g) {
		*why = "S2TG is a reserved encoding";
		return -1;
	}
	unsigned t0sz = (unsigned)smmu_ste(ste, STE_S2T0SZ);
	int ds = caps->ds && smmu_ste(ste, STE_S2DS);
	unsigned ps = ps_bits(smmu_ste(ste, STE_S2PS));
	unsigned oa = ps < caps->oas_bits ? ps : caps->oas_bits;
	int wide = g == 16 ? oa >= 52 : ds;
	if (oa > 48 && !wide)
		oa = 48;
	if (oa > 52)
		oa = 52;
	int start = s2_start_level(g, (unsigned)smmu_ste(ste, STE_S2SL0),
				   (int)smmu_ste(ste, STE_S2SL0_2), ds);
	const struct pt_ptw_format *f = format_for(2, g, wide);
	if (start < f->first_level || start > f->last_level) {
		*why = "S2SL0 is reserved for this granule";
		return -1;
	}
	if (t0sz >= 64 - g) {
		*why = "S2T0SZ leaves no input bits";
		return -1;
	}
	out->r.fmt = f;
	out->r.stage = 2;
	out->r.root = smmu_ste(ste, STE_S2TTB);
	out->r.start_level = start;
	out->r.ia_bits = 64 - t0sz;
	out->r.oa_bits = oa;
	out->r.big_endian = (int)smmu_ste(ste, STE_S2ENDI);
	out->r.af_ignored = (int)smmu_ste(ste, STE_S2AFFD) || (int)smmu_ste(ste, STE_S2HA);
	out->ctx.stage = 2;
	out->ctx.ha = (int)smmu_ste(ste, STE_S2HA);
	out->ctx.hd = out->ctx.ha && smmu_ste(ste, STE_S2HD);
	fill_regime(out);
	const char *w2;
	if (pt_ptw_check_regime(&out->r, &w2) != 0) {
		*why = "S2T0SZ and S2SL0 do not agree (more than 16 concatenated start tables, "
		       "or none)";
		return -1;
	}
	return 0;
}

void smmu_fault_from_walk(const struct pt_ptw_result *res, struct smmu_fault *f)
{
	static const struct {
		const char *name;
		unsigned id;
	} ev[] = {
		[PT_PTF_TRANSLATION] = { "F_TRANSLATION", 0x10 },
		[PT_PTF_ADDR_SIZE] = { "F_ADDR_SIZE", 0x11 },
		[PT_PTF_ACCESS] = { "F_ACCESS", 0x12 },
		[PT_PTF_PERMISSION] = { "F_PERMISSION", 0x13 },
	};
	const struct pt_ptw_fault_info *fi = &res->fault;
	memset(f, 0, sizeof *f);
	if (res->ok || fi->kind == PT_PTF_NONE)
		return;
	f->happened = 1;
	f->stage = fi->stage;
	f->level = fi->level;
	snprintf(f->reason, sizeof f->reason, "%s", fi->reason);
	if (fi->kind == PT_PTF_NOT_IN_DUMP) {
		f->dump_ends = 1;
		f->dump_addr = fi->fetch;
		return;
	}
	f->event = ev[fi->kind].name;
	f->id = ev[fi->kind].id;
	/* Stage 1 faults are about the input; stage 2 says what it was
	 * translating (IHI 0070 §7.3.13). */
	if (fi->stage == 1)
		f->cls = "IN";
	else
		f->cls = fi->purpose == PT_PTW_FOR_CONTEXT ? "CD"
			 : fi->purpose == PT_PTW_FOR_TABLE ? "TT" : "IN";
}

static void perm_string(const struct smmu_perms *p, int pr, char out[4])
{
	out[0] = p->r[pr] ? 'r' : '-';
	out[1] = p->w[pr] ? 'w' : '-';
	out[2] = p->x[pr] ? 'x' : '-';
	out[3] = 0;
}

static const char *level_kind(const struct pt_ptw_format *f, int level)
{
	return level == f->last_level ? "page" : "block";
}

json_t *smmu_leaf_attrs_json(const struct smmu_regime *g, uint64_t leaf, int level,
			     unsigned size_bits, uint64_t hier_or, uint64_t hier_and)
{
	const struct pt_ptw_format *f = g->r.fmt;
	json_t *j = json_object();
	char buf[40], pr[4], up[4];
	struct smmu_perms p;
	smmu_leaf_perms(g, leaf, hier_or, hier_and, &p);
	perm_string(&p, 1, pr);
	perm_string(&p, 0, up);
	json_object_set_new(j, "stage", json_integer(g->ctx.stage));
	json_object_set_new(j, "kind", json_string(level_kind(f, level)));
	json_object_set_new(j, "level", json_integer(level));
	json_object_set_new(j, "size", pt_json_hex(UINT64_C(1) << size_bits));
	if (g->ctx.stage == 1) {
		unsigned idx = (unsigned)leaf_get(f, "attrindx", leaf);
		unsigned attr = (unsigned)(g->ctx.mair >> (8 * idx)) & 0xff;
		json_object_set_new(j, "attrindx", json_integer(idx));
		json_object_set_new(j, "mair", json_integer(attr));
		json_object_set_new(j, "memtype", json_string(vmsa_mair_name(attr, buf, sizeof buf)));
	} else {
		unsigned m = (unsigned)leaf_get(f, "memattr", leaf);
		json_object_set_new(j, "memattr", json_integer(m));
		json_object_set_new(j, "memtype", json_string(vmsa_s2_memattr_name(m)));
	}
	const struct pt_field *sh = leaf_field(f, "sh");
	if (sh)
		json_object_set_new(j, "sh", json_string(pt_field_enum_name(sh, leaf_get(f, "sh", leaf))));
	static const char *const bits1[] = { "ap", "af", "ng", "dbm", "contiguous", "pxn", "uxn" };
	static const char *const bits2[] = { "s2ap", "af", "dbm", "contiguous", "xn" };
	const char *const *names = g->ctx.stage == 1 ? bits1 : bits2;
	size_t n = g->ctx.stage == 1 ? 7 : 5;
	for (size_t i = 0; i < n; i++)
		json_object_set_new(j, names[i], json_integer((json_int_t)leaf_get(f, names[i], leaf)));
	if (leaf_get(f, "dbm", leaf) && g->ctx.hd)
		json_object_set_new(j, "dirty", json_boolean(p.w[1] && !((leaf >> 7) & 1) ? 1 : 0));
	json_object_set_new(j, "priv", json_string(pr));
	json_object_set_new(j, "unpriv", json_string(up));
	return j;
}

void smmu_leaf_attrs_text(const struct smmu_regime *g, uint64_t leaf, int level, unsigned size_bits,
			  uint64_t hier_or, uint64_t hier_and, char *buf, size_t len)
{
	const struct pt_ptw_format *f = g->r.fmt;
	char mt[40], pr[4], up[4];
	struct smmu_perms p;
	smmu_leaf_perms(g, leaf, hier_or, hier_and, &p);
	perm_string(&p, 1, pr);
	perm_string(&p, 0, up);
	const char *type;
	if (g->ctx.stage == 1) {
		unsigned idx = (unsigned)leaf_get(f, "attrindx", leaf);
		type = vmsa_mair_name((unsigned)(g->ctx.mair >> (8 * idx)) & 0xff, mt, sizeof mt);
	} else {
		type = vmsa_s2_memattr_name((unsigned)leaf_get(f, "memattr", leaf));
	}
	const struct pt_field *sh = leaf_field(f, "sh");
	unsigned long long size = (unsigned long long)1 << size_bits;
	const char *unit = "";
	unsigned long long shown = size;
	if (size >= (1ull << 30) && !(size & ((1ull << 30) - 1))) {
		shown = size >> 30;
		unit = "G";
	} else if (size >= (1ull << 20) && !(size & ((1ull << 20) - 1))) {
		shown = size >> 20;
		unit = "M";
	} else if (size >= 1024) {
		shown = size >> 10;
		unit = "K";
	}
	snprintf(buf, len, "s%u %s%s L%d %llu%s %s%s%s priv=%s unpriv=%s%s%s%s%s", g->ctx.stage,
		 level_kind(f, level), "", level, shown, unit, type, sh ? " " : "",
		 sh ? pt_field_enum_name(sh, leaf_get(f, "sh", leaf)) : "", pr, up,
		 leaf_get(f, "af", leaf) ? "" : " AF=0",
		 g->ctx.stage == 1 && leaf_get(f, "ng", leaf) ? " nG" : "",
		 leaf_get(f, "contiguous", leaf) ? " contiguous" : "",
		 leaf_get(f, "dbm", leaf) ? " DBM" : "");
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ptwalk: the page-table walker (core/ptwalk.c) on hostile translation
 * tables in the VMSAv8-64 formats (formats/vmsa_pt.c): loops, tables
 * outside the image, reserved encodings, addresses beyond the output size,
 * big-endian tables, concatenated start tables.
 *
 * Input: a 24-byte header, then the image placed at IMG_BASE:
 *   byte 0  bits 0-1 granule (4K, 16K, 64K), bit 2 stage 2, bit 3 52-bit,
 *           bit 4 big-endian, bit 5 AF faults off
 *   byte 1  input bits (ia_bits = 25 + b % 28); byte 2 start level offset;
 *   byte 3  output bits (32 + b % 21); u32 spare
 *   u64 root offset into the image; u64 seed of the addresses translated
 * Oracles: every translation stays within the step budget and yields an
 * output below 2^oa_bits at a level of the format; every leaf the tree walk
 * lists translates, one address at a time, to the same output; the tree
 * walk never reads more descriptors than its budget. */
#include "fuzz.h"
#include "ptbuild.h"
#include "ptwalk.h"
#include "vmsa_pt.h"

#define HDR 24u
#define IMG_BASE UINT64_C(0x40000000)
#define BUDGET 4096u
#define MAX_CHECKED_LEAVES 64u

struct leaves {
	struct pt_ptw_leaf v[MAX_CHECKED_LEAVES];
	unsigned n;
	unsigned oa_bits;
};

static int on_leaf(void *user, const struct pt_ptw_leaf *lf)
{
	struct leaves *l = user;
	FZ_CHECK(l->oa_bits >= 64 || (lf->oa >> l->oa_bits) == 0,
		 "tree walk leaf 0x%llx beyond %u output bits", (unsigned long long)lf->oa,
		 l->oa_bits);
	if (l->n < MAX_CHECKED_LEAVES)
		l->v[l->n++] = *lf;
	return 0;
}

static void check_one(struct pt_source *src, const struct pt_ptw_regime *r, uint64_t ia)
{
	static struct pt_ptw_result res;
	pt_ptw_translate(src, r, ia, PT_PTW_FOR_INPUT, NULL, &res);
	FZ_CHECK(res.nsteps <= PT_PTW_MAX_STEPS, "%u steps", res.nsteps);
	if (!res.ok)
		return;
	FZ_CHECK(r->oa_bits >= 64 || (res.oa >> r->oa_bits) == 0, "output 0x%llx beyond %u bits",
		 (unsigned long long)res.oa, r->oa_bits);
	FZ_CHECK(res.leaf_level >= r->start_level && res.leaf_level <= r->fmt->last_level,
		 "leaf at level %d", res.leaf_level);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	if (size < HDR)
		return 0;
	struct fz_in in = { data, HDR };
	uint8_t flags = fz_u8(&in), iab = fz_u8(&in), sl = fz_u8(&in), oab = fz_u8(&in);
	(void)fz_u32(&in);
	uint64_t root_off = fz_u64(&in), seed = fz_u64(&in);
	const uint8_t *img = data + HDR;
	size_t len = size - HDR;
	enum vmsa_granule g = (enum vmsa_granule)((flags & 3) % 3);
	struct pt_ptw_regime r;
	memset(&r, 0, sizeof r);
	r.fmt = vmsa_pt_format(flags & 4 ? 2 : 1, g, (flags >> 3) & 1);
	r.stage = flags & 4 ? 2 : 1;
	r.ia_bits = 25 + iab % 28u;
	r.start_level = pt_ptb_start_level(r.fmt, r.ia_bits) + (int)(sl % 3u);
	r.oa_bits = 32 + oab % 21u;
	r.big_endian = (flags >> 4) & 1;
	r.af_ignored = (flags >> 5) & 1;
	r.root = IMG_BASE + (len ? root_off % len : 0);
	const char *why;
	if (pt_ptw_check_regime(&r, &why) != 0)
		return 0;

	struct pt_source src;
	pt_source_init(&src, "fuzz");
	if (len == 0 || pt_source_add_buffer(&src, "fuzz", img, len) < 0 ||
	    pt_source_add_range(&src, IMG_BASE, len, 0, 0, len) != 0 ||
	    pt_source_finish(&src, NULL) != 0) {
		pt_source_free(&src);
		return 0;
	}
	uint64_t x = seed | 1;
	for (int i = 0; i < 16; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		check_one(&src, &r, r.ia_bits < 64 ? x & ((UINT64_C(1) << r.ia_bits) - 1) : x);
	}

	static struct leaves l;
	l.n = 0;
	l.oa_bits = r.oa_bits;
	struct pt_ptw_visit_ops ops = { on_leaf, NULL, NULL, NULL };
	struct pt_ptw_visit_stats st;
	pt_ptw_visit(&src, &r, BUDGET, &ops, &l, &st);
	FZ_CHECK(st.descriptors <= BUDGET, "%llu descriptors read", (unsigned long long)st.descriptors);
	/* Each leaf the tree lists is where a single walk of its address ends.
	 * A loop the tree skipped may lead a single walk elsewhere only below
	 * the looping table, which the tree never lists. */
	r.af_ignored = 1;
	for (unsigned i = 0; i < l.n; i++) {
		static struct pt_ptw_result res;
		pt_ptw_translate(&src, &r, l.v[i].ia, PT_PTW_FOR_INPUT, NULL, &res);
		FZ_CHECK(res.ok && res.oa == l.v[i].oa && res.leaf_level == l.v[i].level,
			 "tree leaf ia 0x%llx -> 0x%llx L%d, single walk ok=%d 0x%llx L%d (%s)",
			 (unsigned long long)l.v[i].ia, (unsigned long long)l.v[i].oa, l.v[i].level,
			 res.ok, (unsigned long long)res.oa, res.leaf_level, res.fault.reason);
	}
	pt_source_free(&src);
	return 0;
}

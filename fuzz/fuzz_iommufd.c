/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iommufd: records of every type as `iommufd validate` reads them
 * (formats/iommufd_*.c), one harness dispatching on a type byte.
 *
 * Input: byte 0 the record type (modulo the types), byte 1 flags (bit 0 two
 * vDEVICEs 8=0x100 and 9=0x101, bit 1 the qemu caps, bit 2 nest each vSTE
 * over a fixed stage-2 STE), then the records back to back.
 * Checks, per record framed by pt_iommufd_next through the source:
 *   - it lies inside the input and the next one starts where it ends;
 *   - the verdict alone (pt_iommufd_verdict) is the verdict validate gives;
 *   - its JSON builds (pt_iommufd_build, what `iommufd build` runs) back
 *     into the very same bytes, printed and parsed again first for the
 *     first four records;
 *   - a vSTE the kernel accepts with Config 5 nests into a Config 7 STE
 *     with MEV set, anything else accepted into Config 4's stage 2 or abort.
 * An invalidation array's batch arithmetic adds up to its command count; a
 * hw_info record's registers (what --hw-info takes) are its words. */
#include "fuzz.h"
#include "iommufd.h"
#include "smmuv3.h"
#include "smmuv3_regs.h"

#define HDR 2u

static const uint8_t s2_ste[64] = { 0x0d, [44 / 8 + 8] = 0x10, [16] = 1, [20] = 0x90,
				    [21] = 0x35, [22] = 0x4d, [23] = 0x04, [26] = 0x21,
				    [27] = 0x43 };

/* The first records of an input are printed and parsed again; the rest
 * build from the object printed, which jansson prints and parses back the
 * same: the text round trip per record (a few dozen allocations, each with
 * its stack recorded under ASan) was half of an execution. */
#define TEXT_ROUND_TRIPS 4u

static void check_rebuild(const struct pt_iommufd_rec *rec, const struct pt_iommufd_verdict *v,
			  const uint8_t *bytes, uint64_t nth)
{
	json_t *back = pt_iommufd_json(rec, v, 1);
	char *text = NULL;
	if (nth < TEXT_ROUND_TRIPS) {
		text = json_dumps(back, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(back);
		FZ_CHECK(text, "record %llu: JSON does not print", (unsigned long long)rec->index);
		json_error_t je;
		back = json_loads(text, JSON_REJECT_DUPLICATES, &je);
		FZ_CHECK(back, "record JSON does not parse (%s): %s", je.text, text);
	}
	uint8_t out[PT_IOMMUFD_VEVENT_HDR_SIZE + PT_IOMMUFD_MAX_RECORD];
	size_t n = 0;
	char err[256];
	int rc = pt_iommufd_build(rec->type, back, out, sizeof out, &n, err, sizeof err);
	if (rc != 0 || n != rec->size || memcmp(out, bytes, n) != 0) {
		if (!text)
			text = json_dumps(back, JSON_COMPACT | JSON_PRESERVE_ORDER);
		FZ_CHECK(rc == 0, "decoded record does not build (%s): %s", err, text);
		FZ_CHECK(n == rec->size && memcmp(out, bytes, n) == 0,
			 "record %llu (%u bytes) rebuilds into %zu different bytes: %s",
			 (unsigned long long)rec->index, rec->size, n, text);
	}
	json_decref(back);
	free(text);
}

static void check_nest(const struct pt_iommufd_rec *rec, const struct pt_iommufd_verdict *v)
{
	uint8_t ste[64];
	if (rec->type != PT_IOMMUFD_VSTE || !v->accepted)
		return;
	pt_iommufd_nest(rec->body, s2_ste, 1, ste);
	unsigned cfg = smmu_ste(rec->body, STE_V) ? (unsigned)smmu_ste(rec->body, STE_CONFIG) : 0;
	unsigned got = (unsigned)smmu_ste(ste, STE_CONFIG);
	FZ_CHECK(smmu_ste(ste, STE_V) == 1, "nested STE not valid");
	if (cfg == SMMU_STE_S1)
		FZ_CHECK(got == SMMU_STE_NESTED && smmu_ste(ste, STE_MEV) == 1 &&
			 smmu_ste(ste, STE_S1CONTEXTPTR) == smmu_ste(rec->body, STE_S1CONTEXTPTR),
			 "stage-1 vSTE nests into Config %u", got);
	else
		FZ_CHECK(got == (cfg == SMMU_STE_BYPASS ? 6u : 0u), "Config %u nests into %u", cfg,
			 got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	if (size < HDR)
		return 0;
	enum pt_iommufd_type type = (enum pt_iommufd_type)(data[0] % PT_IOMMUFD_NTYPES);
	uint8_t flags = data[1];
	if (!pt_iommufd_ops_available(type))
		return 0;
	const uint8_t *recs = data + HDR;
	size_t len = size - HDR;
	char err[256];
	struct smmu_caps *caps = smmu_caps_parse(flags & 2 ? "qemu" : "generic", err, sizeof err);
	FZ_CHECK(caps, "caps: %s", err);
	struct pt_iommufd_ctx ctx;
	pt_iommufd_ctx_init(&ctx, caps);
	if (flags & 1) {
		FZ_CHECK(pt_iommufd_add_vdevice(&ctx, "8=0x100", err, sizeof err) == 0, "%s", err);
		FZ_CHECK(pt_iommufd_add_vdevice(&ctx, "9=0x101", err, sizeof err) == 0, "%s", err);
	}
	struct pt_source src;
	struct pt_diag_sink diags;
	pt_source_init(&src, "fuzz.bin");
	pt_diag_init(&diags, "fuzz.bin", NULL);
	int file = pt_source_add_buffer(&src, "fuzz.bin", recs, len);
	if (len)
		pt_source_add_range(&src, 0, len, (uint32_t)file, 0, len);
	pt_source_finish(&src, &diags);
	uint64_t off = 0, n = 0;
	while (off < len && n < PT_IOMMUFD_MAX_RECORDS) {
		struct pt_iommufd_rec rec;
		if (pt_iommufd_next(type, &src, off, len, n, &rec, &diags) != 0)
			break;
		FZ_CHECK(rec.offset == off && rec.size > 0 && off + rec.size <= len,
			 "record %llu at %llu: %u bytes past the input", (unsigned long long)n,
			 (unsigned long long)off, rec.size);
		struct pt_iommufd_verdict alone, v;
		pt_iommufd_verdict(&ctx, &rec, &alone);
		pt_iommufd_check(&ctx, &rec, &v, &diags);
		FZ_CHECK(alone.accepted == v.accepted && alone.rule == v.rule,
			 "verdict alone and in validate differ at record %llu", (unsigned long long)n);
		check_rebuild(&rec, &v, recs + off, n);
		if (flags & 4)
			check_nest(&rec, &v);
		if (rec.type == PT_IOMMUFD_HW_INFO) {
			struct smmu_regs regs;
			pt_iommufd_hw_info_regs(rec.body, &regs);
			FZ_CHECK(regs.value[SMMU_IDR1] == pt_iommufd_hw_info_word(rec.body, HWI_IDR1) &&
				 regs.value[SMMU_AIDR] == pt_iommufd_hw_info_word(rec.body, HWI_AIDR),
				 "hw_info registers are not its words");
		}
		pt_iommufd_print(fz_null(), &rec, &v, 1, 0);
		off += rec.size;
		n++;
	}
	if (type == PT_IOMMUFD_INVALIDATE) {
		struct pt_iommufd_batch b;
		pt_iommufd_batch(&ctx, ctx.ncmds, &b);
		FZ_CHECK(!b.rejected || b.issued + b.dropped + 1 + b.not_reached == ctx.ncmds,
			 "batch does not add up to %llu commands", (unsigned long long)ctx.ncmds);
		pt_iommufd_batch_report(&ctx, ctx.ncmds, &diags);
	}
	pt_diag_flush_text(&diags, fz_null());
	pt_diag_free(&diags);
	pt_source_free(&src);
	smmu_caps_free(caps);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* regs: register files (formats/smmuv3_regs_file.c), the input of --regs,
 * and the register model behind them (formats/smmuv3_regs.c,
 * smmuv3_idr.c).
 *
 * Input: the file's bytes, as lines or JSON. Checks:
 *   - a register is marked given only with a value that fits it (32-bit
 *     registers at most 0xffffffff) and without its allocation-hint bit;
 *   - the --caps spec the registers print parses, and gives the very caps
 *     that applying the registers directly gives;
 *   - every queue's LOG2SIZE is within what IDR1 (or the architecture's 19)
 *     allows, and its index and wrap bit come from PROD and CONS. */
#include "fuzz.h"
#include "smmuv3.h"
#include "smmuv3_regs.h"

static void check_values(const struct smmu_regs *r)
{
	for (unsigned i = 0; i < SMMU_NREGS; i++) {
		if (!smmu_regs_have(r, (enum smmu_reg)i)) {
			FZ_CHECK(r->value[i] == 0, "register %u not given but holds a value", i);
			continue;
		}
		const struct smmu_reg_info *info = smmu_reg_info((enum smmu_reg)i);
		FZ_CHECK(info->bytes == 8 || r->value[i] <= UINT32_MAX, "%s wider than 32 bits",
			 info->name);
		FZ_CHECK((r->value[i] & info->hint_mask) == 0, "%s keeps its hint bit", info->name);
	}
}

static void check_caps(const struct smmu_regs *r)
{
	char spec[512], err[256];
	smmu_regs_caps_spec(r, spec, sizeof spec);
	struct smmu_caps *c = smmu_caps_parse(spec[0] ? spec : "generic", err, sizeof err);
	FZ_CHECK(c != NULL, "caps spec '%s' refused: %s", spec, err);
	struct smmu_caps direct;
	smmu_caps_default(&direct);
	smmu_caps_apply_regs(&direct, r);
	direct.profile = c->profile;
	FZ_CHECK(memcmp(&direct, c, sizeof direct) == 0, "caps from '%s' differ", spec);
	FZ_CHECK(c->ssid_bits <= 20 && c->sid_bits <= 32 && c->oas_bits >= 32 && c->oas_bits <= 56,
		 "caps out of the architecture's ranges");
	smmu_caps_free(c);
}

static void check_queues(const struct smmu_regs *r)
{
	for (unsigned q = 0; q < SMMU_NQUEUES; q++) {
		struct smmu_queue_regs qr;
		int rc = smmu_regs_queue(r, (enum smmu_queue_id)q, &qr);
		FZ_CHECK((rc == 0) == qr.have_base, "queue %u: return and have_base disagree", q);
		FZ_CHECK(qr.max_log2size <= 19 && qr.log2size <= qr.max_log2size,
			 "queue %u: log2size %u max %u", q, qr.log2size, qr.max_log2size);
		uint32_t idx = smmu_queue_index(qr.prod, qr.log2size);
		FZ_CHECK(idx < (UINT32_C(1) << qr.log2size), "queue %u: index beyond the queue", q);
		FZ_CHECK(smmu_queue_wrap(qr.cons, qr.log2size) <= 1, "wrap bit");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	struct smmu_regs r;
	struct pt_diag_sink diags;
	memset(&r, 0, sizeof r);
	pt_diag_init(&diags, "regs", NULL);
	int errors = smmu_regs_parse(&r, (const char *)data, size, &diags);
	FZ_CHECK(errors >= 0, "negative error count");
	FZ_CHECK((uint64_t)errors <= diags.counts[PT_SEV_ERROR], "errors without findings");
	check_values(&r);
	check_caps(&r);
	check_queues(&r);
	pt_diag_free(&diags);
	return 0;
}

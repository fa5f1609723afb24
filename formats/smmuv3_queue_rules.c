/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Checks of what the SMMUv3 queues hold (IHI 0070 G.b ch. 4 CERROR_ILL
 * conditions, §7.3 records, ch. 8 PRI entries) and of the PROD/CONS/BASE
 * values that describe them (§3.5, §6.3.26-6.3.33). */
#include <stdarg.h>
#include <stdio.h>

#include "smmuv3_queue_rules.h"

#define ILL "the SMMU stops the queue with CERROR_ILL (CONS.ERR = 1, GERROR.CMDQ_ERR)"
#define MAY_ILL "an SMMU may ignore the bits or stop with CERROR_ILL"
#define SPEC_ILL "IHI 0070 G.b §4.1.3, §7.1"

const struct pt_rule smmu_queue_rule_list[R_QUEUE_COUNT] = {
	[R_CMDQ_OPCODE_RESERVED] = { "CMDQ-OPCODE-RESERVED", PT_SEV_ERROR, "opcode",
		"a command to be consumed (or consumed) has a Reserved opcode", ILL,
		"IHI 0070 G.b §4.1.1, §4.1.3" },
	[R_CMDQ_RES0] = { "CMDQ-RES0", PT_SEV_WARNING, NULL,
		"a command has RES0 bits set", MAY_ILL, "IHI 0070 G.b §4.1.5" },
	[R_CMDQ_SSEC] = { "CMDQ-SSEC", PT_SEV_ERROR, "ssec",
		"a command on the Non-secure queue has SSec = 1", ILL, "IHI 0070 G.b §4.1.6" },
	[R_CMDQ_SECURE_ONLY] = { "CMDQ-SECURE-ONLY", PT_SEV_ERROR, "opcode",
		"a Secure-only command (TLBI_EL3_*, TLBI_S_*, TLBI_SNH_ALL) on the Non-secure queue",
		ILL, "IHI 0070 G.b §4.4.2.5, §4.4.3.3, §7.1" },
	[R_CMDQ_SYNC_CS] = { "CMDQ-SYNC-CS", PT_SEV_ERROR, "cs",
		"CMD_SYNC with CS = 0b11 (reserved)", ILL, "IHI 0070 G.b §4.7.3" },
	[R_CMDQ_PRI_RESP] = { "CMDQ-PRI-RESP", PT_SEV_ERROR, "resp",
		"CMD_PRI_RESP with Resp = 0b11 (reserved)", ILL, "IHI 0070 G.b §4.5.2" },
	[R_CMDQ_RANGE_EMPTY] = { "CMDQ-RANGE-EMPTY", PT_SEV_ERROR, "tg",
		"a range invalidation has TG != 0 with NUM = SCALE = TTL = 0", ILL,
		"IHI 0070 G.b §4.4.1.1; Linux \"Avoid constructing invalid range commands\"" },
	[R_CMDQ_RANGE_TTL] = { "CMDQ-RANGE-TTL", PT_SEV_ERROR, "ttl",
		"a range invalidation has TG = 16K and TTL = 0b01 on an SMMU without IDR5.DS", ILL,
		"IHI 0070 G.b §4.4.1.1" },
	[R_CMDQ_RANGE_TG0] = { "CMDQ-RANGE-TG0", PT_SEV_WARNING, NULL,
		"an invalidation has TG = 0 but NUM, SCALE or TTL set",
		"the fields are RES0 without TG: one address is invalidated, not a range",
		"IHI 0070 G.b §4.4.1.1" },
	[R_CMDQ_STAGE] = { "CMDQ-STAGE", PT_SEV_ERROR, "opcode",
		"a command for a translation stage the SMMU in --caps lacks (stage-1 TLBI or "
		"CFGI_CD without S1P, stage-2 TLBI without S2P)", ILL,
		"IHI 0070 G.b §4.3.3, §4.4.2, §4.4.3, §7.1; QEMU smmuv3_cmdq_consume" },
	[R_CMDQ_STALL_MODEL] = { "CMDQ-STALL-MODEL", PT_SEV_ERROR, "opcode",
		"CMD_RESUME or CMD_STALL_TERM on an SMMU without stalls (IDR0.STALL_MODEL = 0b01)",
		ILL, "IHI 0070 G.b §4.7.1, §4.7.2" },
	[R_CMDQ_HYP] = { "CMDQ-HYP", PT_SEV_ERROR, "opcode",
		"CMD_TLBI_EL2_* on an SMMU without EL2 (IDR0.Hyp = 0)", ILL,
		"IHI 0070 G.b §4.4.2.7-§4.4.2.10" },
	[R_CMDQ_ATS] = { "CMDQ-ATS", PT_SEV_ERROR, "opcode",
		"CMD_ATC_INV on an SMMU without ATS (IDR0.ATS = 0)", ILL, "IHI 0070 G.b §4.5.1" },
	[R_CMDQ_PRI] = { "CMDQ-PRI", PT_SEV_ERROR, "opcode",
		"CMD_PRI_RESP on an SMMU without PRI (IDR0.PRI = 0)", ILL, "IHI 0070 G.b §4.5.2" },
	[R_CMDQ_RIL] = { "CMDQ-RIL", PT_SEV_WARNING, "tg",
		"a TLB invalidation sets TG, NUM, SCALE, TTL or TTL128 on an SMMU without range "
		"invalidation (IDR3.RIL = 0)",
		"the fields are RES0 there: an SMMU may ignore them (one address, no range, no "
		"level hint) or stop with CERROR_ILL", "IHI 0070 G.b §4.4.1.1, §4.1.5, §6.3.4" },
	[R_CMDQ_VMID_NO_S2] = { "CMDQ-VMID-NO-S2", PT_SEV_WARNING, "vmid",
		"a stage-1 TLB invalidation (CMD_TLBI_NH_*) has VMID != 0 on an SMMU without stage 2",
		"VMID is RES0 there: the SMMU may invalidate for an UNKNOWN VMID or not at all",
		"IHI 0070 G.b §4.4.2" },
	[R_CMDQ_ASID16] = { "CMDQ-ASID16", PT_SEV_WARNING, "asid",
		"a TLB invalidation has ASID[15:8] set on an SMMU with 8-bit ASIDs (IDR0.ASID16 = 0)",
		"the bits are RES0: the command is not required to invalidate anything",
		"IHI 0070 G.b §4.4" },
	[R_CMDQ_VMID16] = { "CMDQ-VMID16", PT_SEV_WARNING, "vmid",
		"a TLB invalidation has VMID[15:8] set on an SMMU with 8-bit VMIDs (IDR0.VMID16 = 0)",
		"the bits are RES0: the command is not required to invalidate anything",
		"IHI 0070 G.b §4.4" },
	[R_CMDQ_ATC_SIZE] = { "CMDQ-ATC-SIZE", PT_SEV_WARNING, "size",
		"CMD_ATC_INV with Size > 52", "an SMMU may stop with CERROR_ILL",
		"IHI 0070 G.b §4.5.1" },
	[R_CMDQ_SID_RANGE] = { "CMDQ-SID-RANGE", PT_SEV_WARNING, "sid",
		"a command names a StreamID beyond the stream table (or IDR1.SIDSIZE)",
		"the command has no stream to act on: the history contradicts the stream table",
		"IHI 0070 G.b §4.3.1, §6.3.24" },
	[R_CMDQ_SSID_RANGE] = { "CMDQ-SSID-RANGE", PT_SEV_WARNING, "ssid",
		"a command names a SubstreamID beyond IDR1.SSIDSIZE",
		"no CD can have that SubstreamID", "IHI 0070 G.b §4.3.3, §6.3.2" },
	[R_CMDQ_ERROR] = { "CMDQ-ERROR", PT_SEV_ERROR, NULL,
		"CMDQ_CONS.ERR reports a command error at CONS",
		"the SMMU stopped consuming commands until software acknowledges GERROR.CMDQ_ERR",
		"IHI 0070 G.b §6.3.28, §7.1" },
	[R_EVTQ_ID_RESERVED] = { "EVTQ-ID-RESERVED", PT_SEV_WARNING, "id",
		"an event record has a Reserved event id", "not an architected event",
		"IHI 0070 G.b §7.3" },
	[R_EVTQ_RES0] = { "EVTQ-RES0", PT_SEV_NOTE, NULL,
		"an event record has bits set the architecture leaves RES0 for its event id",
		"a model or implementation writes more than the spec defines (QEMU puts "
		"F_CD_FETCH's address in InputAddr)", "IHI 0070 G.b §7.3" },
	[R_EVTQ_SID_RANGE] = { "EVTQ-SID-RANGE", PT_SEV_WARNING, "sid",
		"an event other than C_BAD_STREAMID names a StreamID beyond the stream table",
		"such StreamIDs only raise C_BAD_STREAMID: the record and the registers disagree",
		"IHI 0070 G.b §7.3.3" },
	[R_EVTQ_OVERFLOW] = { "EVTQ-OVERFLOW", PT_SEV_WARNING, NULL,
		"EVENTQ_PROD.OVFLG differs from EVENTQ_CONS.OVACKFLG",
		"the event queue overflowed: events were lost", "IHI 0070 G.b §7.4" },
	[R_PRIQ_RES0] = { "PRIQ-RES0", PT_SEV_NOTE, NULL, "a PRI queue entry has RES0 bits set",
		"not defined by the architecture", "IHI 0070 G.b ch. 8" },
	[R_PRIQ_OVERFLOW] = { "PRIQ-OVERFLOW", PT_SEV_WARNING, NULL,
		"PRIQ_PROD.OVFLG differs from PRIQ_CONS.OVACKFLG",
		"the PRI queue overflowed: requests with Last = 1 were answered Success "
		"automatically, others dropped", "IHI 0070 G.b §8.1" },
	[R_QUEUE_PROD_BEHIND] = { "QUEUE-PROD-BEHIND", PT_SEV_ERROR, NULL,
		"PROD and CONS have the same wrap bit but PROD's index is below CONS's",
		"CONSTRAINED UNPREDICTABLE; entries are shown as if the wrap bits differed",
		"IHI 0070 G.b §3.5.1" },
	[R_QUEUE_OVERLAP] = { "QUEUE-OVERLAP", PT_SEV_ERROR, NULL,
		"PROD and CONS have different wrap bits but PROD's index is above CONS's",
		"CONSTRAINED UNPREDICTABLE (more than a full queue); entries are shown as if the "
		"wrap bits agreed", "IHI 0070 G.b §3.5.1" },
	[R_QUEUE_INDEX_RES0] = { "QUEUE-INDEX-RES0", PT_SEV_WARNING, NULL,
		"PROD or CONS has bits set between the wrap bit and bit 19",
		"the bits are RES0 for this queue size and ignored", "IHI 0070 G.b §6.3.27" },
	[R_QUEUE_LOG2SIZE] = { "QUEUE-LOG2SIZE", PT_SEV_WARNING, "log2size",
		"BASE.LOG2SIZE exceeds the largest queue IDR1 allows",
		"the SMMU uses IDR1's size", "IHI 0070 G.b §6.3.26" },
	[R_QUEUE_BASE_ALIGN] = { "QUEUE-BASE-ALIGN", PT_SEV_WARNING, "addr",
		"BASE.ADDR is not aligned to the queue size (or 32 bytes)",
		"the SMMU treats the low address bits as zero", "IHI 0070 G.b §6.3.26" },
	[R_QUEUE_UNMAPPED] = { "QUEUE-UNMAPPED", PT_SEV_ERROR, NULL,
		"queue slots are not in the input", "their entries cannot be shown",
		"pasidtool: the dump must hold the queue's memory" },
	[R_QUEUE_GEOMETRY] = { "QUEUE-GEOMETRY", PT_SEV_ERROR, NULL,
		"the queue registers describe no walkable ring (the ring wraps the address space)",
		"nothing is decoded", "IHI 0070 G.b §6.3.26" },
};

const struct pt_rule_set smmu_queue_rules = { "smmuv3-queues", smmu_queue_rule_list,
					      R_QUEUE_COUNT };

void smmu_queue_report(struct pt_diag_sink *diags, enum smmu_queue_rule_id id, uint64_t addr,
		       int has_sid, uint32_t sid, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pt_diag_vfinding(diags, &smmu_queue_rule_list[id], addr,
			 has_sid ? PT_SCOPE_SID : PT_SCOPE_NONE, sid, field, fmt, ap);
	va_end(ap);
}

/* The first non-zero RES0 field of an entry, or NULL. */
static const struct pt_field *res0_set(const struct pt_struct *st, const uint8_t *raw)
{
	for (size_t i = 0; i < st->nfields; i++)
		if (st->fields[i].kind == PT_FK_RES0 && pt_field_bits(raw, &st->fields[i]))
			return &st->fields[i];
	return NULL;
}

static uint64_t fget(const struct pt_struct *st, const uint8_t *raw, const char *name,
		     int *present)
{
	uint64_t v = 0;
	*present = smmu_entry_field(st, raw, name, &v) == 0;
	return v;
}

static int secure_only(unsigned op)
{
	return op == SMMU_CMD_TLBI_EL3_ALL || op == SMMU_CMD_TLBI_EL3_VA ||
	       (op >= SMMU_CMD_TLBI_S_EL2_ALL && op <= SMMU_CMD_TLBI_SNH_ALL);
}

static int needs_s1(unsigned op)
{
	return op == SMMU_CMD_CFGI_CD || op == SMMU_CMD_CFGI_CD_ALL ||
	       (op >= SMMU_CMD_TLBI_NH_ALL && op <= SMMU_CMD_TLBI_NH_VAA);
}

static int needs_s2(unsigned op)
{
	return op == SMMU_CMD_TLBI_S12_VMALL || op == SMMU_CMD_TLBI_S2_IPA;
}

struct cmd_view {
	const struct smmu_queue_ctx *ctx;
	struct pt_diag_sink *diags;
	const struct pt_struct *st;
	const uint8_t *raw;
	uint64_t addr;
	uint32_t index;
	unsigned op;
	int has_sid;
	uint32_t sid;
};

static int is_el2_tlbi(unsigned op)
{
	return op >= SMMU_CMD_TLBI_EL2_ALL && op <= SMMU_CMD_TLBI_EL2_VAA;
}

static int is_tlbi(unsigned op)
{
	return (op >= SMMU_CMD_TLBI_NH_ALL && op <= SMMU_CMD_TLBI_NSNH_ALL) ||
	       (op >= SMMU_CMD_TLBI_S_EL2_ALL && op <= SMMU_CMD_TLBI_SNH_ALL);
}

/* Without IDR3.RIL the range and level-hint fields are RES0: report them
 * set, and judge no range encoding (nothing is a range there). */
static int ril_check(const struct cmd_view *c, uint64_t tg, uint64_t num, uint64_t scale,
		     uint64_t ttl)
{
	int has;
	uint64_t ttl128 = fget(c->st, c->raw, "ttl128", &has);
	if (c->ctx->caps->ril)
		return 0;
	if (tg || num || scale || ttl || ttl128)
		smmu_queue_report(c->diags, R_CMDQ_RIL, c->addr, c->has_sid, c->sid,
				  tg ? "tg" : num ? "num" : scale ? "scale" : ttl ? "ttl" : "ttl128",
				  "%s[%u] %s: TG = %llu, NUM = %llu, SCALE = %llu, TTL = %llu, "
				  "TTL128 = %llu (caps %s)", c->ctx->queue, c->index, c->st->label,
				  (unsigned long long)tg, (unsigned long long)num,
				  (unsigned long long)scale, (unsigned long long)ttl,
				  (unsigned long long)ttl128, c->ctx->caps->profile);
	return 1;
}

static void range_checks(const struct cmd_view *c)
{
	int has;
	uint64_t tg = fget(c->st, c->raw, "tg", &has);
	if (!has)
		return;
	uint64_t num = fget(c->st, c->raw, "num", &has);
	uint64_t scale = fget(c->st, c->raw, "scale", &has);
	uint64_t ttl = fget(c->st, c->raw, "ttl", &has);
	if (ril_check(c, tg, num, scale, ttl))
		return;
	if (tg == 0) {
		if (num || scale || ttl)
			smmu_queue_report(c->diags, R_CMDQ_RANGE_TG0, c->addr, c->has_sid, c->sid,
					  num ? "num" : scale ? "scale" : "ttl",
					  "%s[%u] %s: NUM = %llu, SCALE = %llu, TTL = %llu", c->ctx->queue,
					  c->index, c->st->label, (unsigned long long)num,
					  (unsigned long long)scale, (unsigned long long)ttl);
		return;
	}
	if (num == 0 && scale == 0 && ttl == 0)
		smmu_queue_report(c->diags, R_CMDQ_RANGE_EMPTY, c->addr, c->has_sid, c->sid, NULL,
				  "%s[%u] %s: TG = %s", c->ctx->queue, c->index, c->st->label,
				  pt_field_enum_name(pt_struct_field(c->st, "tg"), tg));
	if (tg == 2 && ttl == 1 && !c->ctx->caps->ds)
		smmu_queue_report(c->diags, R_CMDQ_RANGE_TTL, c->addr, c->has_sid, c->sid, NULL,
				  "%s[%u] %s: TG = 16K, TTL = 1", c->ctx->queue, c->index,
				  c->st->label);
}

static void cap_checks(const struct cmd_view *c)
{
	const struct smmu_caps *k = c->ctx->caps;
	if ((needs_s1(c->op) && !k->s1p) || (needs_s2(c->op) && !k->s2p))
		smmu_queue_report(c->diags, R_CMDQ_STAGE, c->addr, c->has_sid, c->sid, NULL,
				  "%s[%u] %s on an SMMU without stage %d (caps %s)", c->ctx->queue,
				  c->index, c->st->label, needs_s1(c->op) ? 1 : 2, k->profile);
	if ((c->op == SMMU_CMD_RESUME || c->op == SMMU_CMD_STALL_TERM) && k->stall_model == 1)
		smmu_queue_report(c->diags, R_CMDQ_STALL_MODEL, c->addr, c->has_sid, c->sid, NULL,
				  "%s[%u] %s", c->ctx->queue, c->index, c->st->label);
	enum smmu_queue_rule_id missing = R_QUEUE_COUNT;
	if (is_el2_tlbi(c->op) && !k->hyp)
		missing = R_CMDQ_HYP;
	else if (c->op == SMMU_CMD_ATC_INV && !k->ats)
		missing = R_CMDQ_ATS;
	else if (c->op == SMMU_CMD_PRI_RESP && !k->pri)
		missing = R_CMDQ_PRI;
	if (missing != R_QUEUE_COUNT)
		smmu_queue_report(c->diags, missing, c->addr, c->has_sid, c->sid, NULL,
				  "%s[%u] %s (caps %s)", c->ctx->queue, c->index, c->st->label,
				  k->profile);
}

/* ASID and VMID operands of TLB invalidations wider than the SMMU's. */
static void tag_checks(const struct cmd_view *c)
{
	const struct smmu_caps *k = c->ctx->caps;
	int has_asid, has_vmid;
	uint64_t asid = fget(c->st, c->raw, "asid", &has_asid);
	uint64_t vmid = fget(c->st, c->raw, "vmid", &has_vmid);
	if (!is_tlbi(c->op))
		return;
	int nh = c->op >= SMMU_CMD_TLBI_NH_ALL && c->op <= SMMU_CMD_TLBI_NH_VAA;
	if (has_asid && !k->asid16 && (asid >> 8))
		smmu_queue_report(c->diags, R_CMDQ_ASID16, c->addr, 0, 0, NULL,
				  "%s[%u] %s: ASID 0x%llx", c->ctx->queue, c->index, c->st->label,
				  (unsigned long long)asid);
	if (has_vmid && nh && !k->s2p && vmid)
		smmu_queue_report(c->diags, R_CMDQ_VMID_NO_S2, c->addr, 0, 0, NULL,
				  "%s[%u] %s: VMID 0x%llx", c->ctx->queue, c->index, c->st->label,
				  (unsigned long long)vmid);
	else if (has_vmid && !k->vmid16 && (vmid >> 8))
		smmu_queue_report(c->diags, R_CMDQ_VMID16, c->addr, 0, 0, NULL,
				  "%s[%u] %s: VMID 0x%llx", c->ctx->queue, c->index, c->st->label,
				  (unsigned long long)vmid);
}

static void id_checks(const struct cmd_view *c)
{
	const struct smmu_queue_ctx *x = c->ctx;
	if (c->has_sid && !(c->op == SMMU_CMD_CFGI_STE_RANGE && c->raw[8] == 31)) {
		unsigned bits = x->caps->sid_bits;
		if (x->have_strtab && x->strtab_sid_bits < bits)
			bits = x->strtab_sid_bits;
		if (bits < 32 && (c->sid >> bits))
			smmu_queue_report(c->diags, R_CMDQ_SID_RANGE, c->addr, 1, c->sid, NULL,
					  "%s[%u] %s: StreamID 0x%x, the stream table holds 2^%u",
					  x->queue, c->index, c->st->label, c->sid, bits);
	}
	int has;
	uint64_t ssid = fget(c->st, c->raw, "ssid", &has);
	uint64_t ssv = 1;
	if (has && c->op != SMMU_CMD_CFGI_CD)
		ssv = fget(c->st, c->raw, "ssv", &has);
	if (ssv && x->caps->ssid_bits < 20 && (ssid >> x->caps->ssid_bits))
		smmu_queue_report(c->diags, R_CMDQ_SSID_RANGE, c->addr, c->has_sid, c->sid, NULL,
				  "%s[%u] %s: SubstreamID 0x%llx with SSIDSIZE = %u", x->queue,
				  c->index, c->st->label, (unsigned long long)ssid,
				  x->caps->ssid_bits);
}

static void field_checks(const struct cmd_view *c)
{
	int has;
	if (fget(c->st, c->raw, "ssec", &has) && !c->ctx->secure)
		smmu_queue_report(c->diags, R_CMDQ_SSEC, c->addr, c->has_sid, c->sid, NULL,
				  "%s[%u] %s", c->ctx->queue, c->index, c->st->label);
	if (secure_only(c->op) && !c->ctx->secure)
		smmu_queue_report(c->diags, R_CMDQ_SECURE_ONLY, c->addr, 0, 0, NULL, "%s[%u] %s",
				  c->ctx->queue, c->index, c->st->label);
	if (c->op == SMMU_CMD_SYNC && fget(c->st, c->raw, "cs", &has) == 3)
		smmu_queue_report(c->diags, R_CMDQ_SYNC_CS, c->addr, 0, 0, NULL, "%s[%u] %s",
				  c->ctx->queue, c->index, c->st->label);
	if (c->op == SMMU_CMD_PRI_RESP && fget(c->st, c->raw, "resp", &has) == 3)
		smmu_queue_report(c->diags, R_CMDQ_PRI_RESP, c->addr, c->has_sid, c->sid, NULL,
				  "%s[%u] %s", c->ctx->queue, c->index, c->st->label);
	uint64_t size = fget(c->st, c->raw, "size", &has);
	if (c->op == SMMU_CMD_ATC_INV && size > 52)
		smmu_queue_report(c->diags, R_CMDQ_ATC_SIZE, c->addr, c->has_sid, c->sid, NULL,
				  "%s[%u] %s: Size = %llu", c->ctx->queue, c->index, c->st->label,
				  (unsigned long long)size);
	const struct pt_field *r = res0_set(c->st, c->raw);
	if (r)
		smmu_queue_report(c->diags, R_CMDQ_RES0, c->addr, c->has_sid, c->sid, r->name,
				  "%s[%u] %s: %s = 0x%llx", c->ctx->queue, c->index, c->st->label,
				  r->label, (unsigned long long)pt_field_bits(c->raw, r));
}

void smmu_cmd_check(struct pt_diag_sink *diags, const struct smmu_queue_ctx *ctx,
		    uint32_t index, uint64_t addr, const uint8_t *raw)
{
	struct cmd_view c = { ctx, diags, NULL, raw, addr, index, raw[0], 0, 0 };
	c.st = smmu_cmd_struct(c.op);
	if (!c.st) {
		smmu_queue_report(diags, R_CMDQ_OPCODE_RESERVED, addr, 0, 0, NULL,
				  "%s[%u]: opcode 0x%02x", ctx->queue, index, c.op);
		return;
	}
	uint64_t sid;
	c.has_sid = smmu_entry_field(c.st, raw, "sid", &sid) == 0;
	c.sid = (uint32_t)sid;
	field_checks(&c);
	range_checks(&c);
	cap_checks(&c);
	tag_checks(&c);
	id_checks(&c);
}

void smmu_evt_check(struct pt_diag_sink *diags, const struct smmu_queue_ctx *ctx,
		    uint32_t index, uint64_t addr, const uint8_t *raw)
{
	unsigned id = raw[0];
	const struct pt_struct *st = smmu_evt_struct(id);
	if (!st) {
		smmu_queue_report(diags, R_EVTQ_ID_RESERVED, addr, 0, 0, NULL,
				  "%s[%u]: event id 0x%02x", ctx->queue, index, id);
		return;
	}
	uint64_t sid = 0;
	int has_sid = smmu_entry_field(st, raw, "sid", &sid) == 0;
	const struct pt_field *r = res0_set(st, raw);
	if (r)
		smmu_queue_report(diags, R_EVTQ_RES0, addr, has_sid, (uint32_t)sid, r->name,
				  "%s[%u] %s: %s = 0x%llx", ctx->queue, index, st->label, r->label,
				  (unsigned long long)pt_field_bits(raw, r));
	if (has_sid && ctx->have_strtab && id != SMMU_EVT_C_BAD_STREAMID &&
	    ctx->strtab_sid_bits < 32 && (sid >> ctx->strtab_sid_bits))
		smmu_queue_report(diags, R_EVTQ_SID_RANGE, addr, 1, (uint32_t)sid, NULL,
				  "%s[%u] %s: the stream table holds 2^%u StreamIDs", ctx->queue,
				  index, st->label, ctx->strtab_sid_bits);
}

void smmu_priq_check(struct pt_diag_sink *diags, const struct smmu_queue_ctx *ctx,
		     uint32_t index, uint64_t addr, const uint8_t *raw)
{
	const struct pt_field *r = res0_set(&smmu_priq_struct, raw);
	if (r)
		smmu_queue_report(diags, R_PRIQ_RES0, addr, 1, (uint32_t)pt_le64(raw, 0), r->name,
				  "%s[%u]: %s = 0x%llx", ctx->queue, index, r->label,
				  (unsigned long long)pt_field_bits(raw, r));
}

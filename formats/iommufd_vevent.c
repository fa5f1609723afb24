/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What read() on an SMMUv3 vEVENTQ fd returns (Linux 6.15+): an
 * iommufd_vevent_header and a raw 32-byte event record
 * (iommu_vevent_arm_smmuv3), or a header alone with LOST_EVENTS. The record
 * is decoded with the event family's table of its id. The kernel forwards a
 * record only when arm_smmu_handle_event() takes it (one of eight ids, not
 * stalled, not a stage-2 fault) and arm_vmaster_report_event() has put the
 * device's vSID in place of the StreamID; every header, a lost one included,
 * takes the next sequence number (0..INT_MAX, then 0), so gaps count the
 * events a full queue dropped. */
#include <string.h>

#include "iommufd_types.h"
#include "smmuv3_queue.h"

#define SINCE "6.15"

static const struct pt_struct *vevent_layout(const uint8_t *body)
{
	return pt_family_struct(&smmu_evt_family, body);
}

static uint32_t hdr_field(const struct pt_iommufd_rec *rec, unsigned id)
{
	return (uint32_t)pt_field_get(rec->hdr, &pt_iommufd_vevent_hdr_struct.fields[id]);
}

/* arm_smmu_handle_event() reads STALL and S2 at the same bits of every
 * record (EVTQ_1_STALL, EVTQ_1_S2): those of the translation-fault layout. */
static uint64_t trans_bit(const uint8_t *body, const char *name)
{
	const struct pt_struct *st = smmu_evt_struct(SMMU_EVT_F_TRANSLATION);
	return pt_field_get(body, pt_struct_field(st, name));
}

int pt_iommufd_evt_forwarded(unsigned id)
{
	switch (id) {
	case SMMU_EVT_C_BAD_STE: case SMMU_EVT_F_STREAM_DISABLED:
	case SMMU_EVT_C_BAD_SUBSTREAMID: case SMMU_EVT_C_BAD_CD: case SMMU_EVT_F_TRANSLATION:
	case SMMU_EVT_F_ADDR_SIZE: case SMMU_EVT_F_ACCESS: case SMMU_EVT_F_PERMISSION:
		return 1;
	default:
		return 0;
	}
}

/* In the order the kernel decides: the header it writes, then the id
 * (arm_smmu_handle_event's switch), then stall, then stage 2. */
static void vevent_verdict(const struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			   struct pt_iommufd_verdict *v)
{
	(void)ctx;
	if (hdr_field(rec, VEH_FLAGS_RES))
		pt_iommufd_reject(v, R_IOFD_VEVENT_FLAGS, NULL, SINCE);
	if (hdr_field(rec, VEH_SEQUENCE) > PT_IOMMUFD_SEQ_MASK)
		pt_iommufd_reject(v, R_IOFD_VEVENT_SEQ, NULL, SINCE);
	if (!rec->has_body)
		return;
	if (!pt_iommufd_evt_forwarded(pt_family_key(&smmu_evt_family, rec->body)))
		pt_iommufd_reject(v, R_IOFD_VEVENT_ID, "EOPNOTSUPP", SINCE);
	if (trans_bit(rec->body, "stall"))
		pt_iommufd_reject(v, R_IOFD_VEVENT_STALL, NULL, SINCE);
	if (trans_bit(rec->body, "s2"))
		pt_iommufd_reject(v, R_IOFD_VEVENT_S2, "EOPNOTSUPP", SINCE);
}

static void report_header(const struct pt_iommufd_rec *rec, struct pt_diag_sink *diags)
{
	uint32_t res = hdr_field(rec, VEH_FLAGS_RES), seq = hdr_field(rec, VEH_SEQUENCE);
	if (res)
		pt_iommufd_report(diags, rec, R_IOFD_VEVENT_FLAGS, NULL, "flags = 0x%x",
				  (unsigned)(res << 1 | (uint32_t)!rec->has_body));
	if (seq > PT_IOMMUFD_SEQ_MASK)
		pt_iommufd_report(diags, rec, R_IOFD_VEVENT_SEQ, NULL, "sequence = 0x%x", seq);
}

static void report_body(const struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			struct pt_diag_sink *diags)
{
	unsigned id = pt_family_key(&smmu_evt_family, rec->body);
	uint64_t sid = 0;
	uint32_t psid;
	if (!pt_iommufd_evt_forwarded(id))
		pt_iommufd_report(diags, rec, R_IOFD_VEVENT_ID, "id", "event id 0x%02x (%s)", id,
				  rec->st->label);
	if (trans_bit(rec->body, "stall"))
		pt_iommufd_report(diags, rec, R_IOFD_VEVENT_STALL, NULL, "%s with Stall = 1",
				  rec->st->label);
	if (trans_bit(rec->body, "s2"))
		pt_iommufd_report(diags, rec, R_IOFD_VEVENT_S2, NULL, "%s with S2 = 1",
				  rec->st->label);
	if (ctx->vdev_given && smmu_entry_field(rec->st, rec->body, "sid", &sid) == 0) {
		int known = 0;
		for (uint32_t i = 0; i < ctx->nvdev && !known; i++)
			known = ctx->vsid[i] == sid;
		if (!known)
			pt_iommufd_report(diags, rec, R_IOFD_VEVENT_VSID, "sid",
					  "%s: StreamID 0x%llx is no vDEVICE's vSID%s", rec->st->label,
					  (unsigned long long)sid,
					  pt_iommufd_psid_lookup(ctx, (uint32_t)sid, &psid) == 0
					  ? " (it is a physical StreamID: not rewritten)" : "");
	}
}

/* The sequence since the previous header: a record should take the next
 * number; a LOST_EVENTS header carries the number of the last event lost. */
static void report_sequence(struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			    struct pt_diag_sink *diags)
{
	uint32_t seq = hdr_field(rec, VEH_SEQUENCE) & PT_IOMMUFD_SEQ_MASK;
	uint32_t delta = (seq - ctx->last_seq) & PT_IOMMUFD_SEQ_MASK;
	if (!rec->has_body) {
		ctx->lost_headers++;
		if (ctx->have_seq) {
			ctx->lost_events += delta;
			pt_iommufd_report(diags, rec, R_IOFD_VEVENT_LOST, NULL,
					  "sequence %u after %u: %u event%s lost", seq,
					  ctx->last_seq, delta, delta == 1 ? "" : "s");
		} else {
			pt_iommufd_report(diags, rec, R_IOFD_VEVENT_LOST, NULL,
					  "sequence %u: events up to it lost", seq);
		}
	} else if (ctx->have_seq && delta != 1) {
		ctx->lost_events += (delta - 1) & PT_IOMMUFD_SEQ_MASK;
		pt_iommufd_report(diags, rec, R_IOFD_VEVENT_GAP, NULL,
				  "sequence %u after %u: %u event%s lost", seq, ctx->last_seq,
				  (delta - 1) & PT_IOMMUFD_SEQ_MASK, delta == 2 ? "" : "s");
	}
	ctx->have_seq = 1;
	ctx->last_seq = seq;
}

static void vevent_check(struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			 const struct pt_iommufd_verdict *v, struct pt_diag_sink *diags)
{
	(void)v;
	report_header(rec, diags);
	if (rec->has_body)
		report_body(ctx, rec, diags);
	report_sequence(ctx, rec, diags);
}

/* Short form: "id" may name the event ("F_TRANSLATION"). */
static int vevent_build_key(const char *key, const json_t *val, uint8_t *body, char *err,
			    size_t errlen)
{
	unsigned id;
	if (strcmp(key, "id") != 0 || !json_is_string(val))
		return 0;
	if (smmu_evt_parse_name(json_string_value(val), &id) != 0) {
		snprintf(err, errlen, "\"id\": expected an event name such as \"F_TRANSLATION\"");
		return -1;
	}
	body[0] = (uint8_t)id;
	return 1;
}

const struct pt_iommufd_ops pt_iommufd_vevent_ops = {
	"vevent", "iommufd_vevent_header + iommu_vevent_arm_smmuv3", PT_IOMMUFD_EVT_SIZE, SINCE,
	vevent_layout, vevent_verdict, vevent_check, vevent_build_key, NULL, NULL,
};

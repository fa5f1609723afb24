/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iommufd records: framing an input into records (every byte read through
 * the source), the per-type dispatch, text and JSON of a record, and the
 * validation context (vDEVICEs, vEVENT sequence). What a type means lives
 * in its own file; this one only loops. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emit.h"
#include "enum_names.h"
#include "iommufd_types.h"

const char *const pt_iommufd_type_names[] = { "vste", "invalidate", "hw-info", "vevent", NULL };

static const struct pt_iommufd_ops *const type_ops[PT_IOMMUFD_NTYPES] = {
	[PT_IOMMUFD_VSTE] = &pt_iommufd_vste_ops,
	[PT_IOMMUFD_INVALIDATE] = &pt_iommufd_cmd_ops,
	[PT_IOMMUFD_HW_INFO] = &pt_iommufd_hw_info_ops,
	[PT_IOMMUFD_VEVENT] = &pt_iommufd_vevent_ops,
};

const struct pt_iommufd_ops *pt_iommufd_ops_of(enum pt_iommufd_type t)
{
	return (unsigned)t < PT_IOMMUFD_NTYPES ? type_ops[t] : NULL;
}

int pt_iommufd_ops_available(enum pt_iommufd_type t)
{
	return pt_iommufd_ops_of(t) != NULL;
}

const char *pt_iommufd_type_name(enum pt_iommufd_type t)
{
	return (unsigned)t < PT_IOMMUFD_NTYPES ? pt_iommufd_type_names[t] : "?";
}

int pt_iommufd_type_parse(const char *name, enum pt_iommufd_type *out)
{
	for (unsigned i = 0; i < PT_IOMMUFD_NTYPES; i++)
		if (type_ops[i] && strcasecmp(name, pt_iommufd_type_names[i]) == 0) {
			*out = (enum pt_iommufd_type)i;
			return 0;
		}
	if (strcasecmp(name, "hw_info") == 0) {
		*out = PT_IOMMUFD_HW_INFO;
		return 0;
	}
	return -1;
}

/* ---- the vEVENT header (include/uapi/linux/iommufd.h, v6.15) ---- */

static const struct pt_field vevent_hdr_fields[VEH_NFIELDS] = {
	[VEH_LOST] = { "lost_events", "LOST_EVENTS", 0, 0, 1, PT_FK_BOOL, 0, NULL, 0,
		       "IOMMU_VEVENTQ_FLAG_LOST_EVENTS: events were lost; no record follows",
		       PT_FF_SHOW_ZERO },
	[VEH_FLAGS_RES] = { "flags_reserved", "flags[31:1]", 0, 1, 31, PT_FK_RES0, 0, NULL, 0,
			    "undefined flags", 0 },
	[VEH_SEQUENCE] = { "sequence", "sequence", 0, 32, 32, PT_FK_UINT, 0, NULL, 0,
			   "0..INT_MAX, then 0 again; a gap counts lost events", PT_FF_SHOW_ZERO },
};

const struct pt_struct pt_iommufd_vevent_hdr_struct = {
	"iommufd-vevent-header", "iommufd vEVENT header (iommufd_vevent_header)", 8,
	vevent_hdr_fields, VEH_NFIELDS, "8 bytes before each vEVENT record read from a vEVENTQ fd",
};

/* ---- reporting ---- */

void pt_iommufd_report(struct pt_diag_sink *diags, const struct pt_iommufd_rec *rec,
		       enum pt_iommufd_rule_id id, const char *field, const char *fmt, ...)
{
	char msg[PT_DIAG_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pt_diag_finding(diags, &pt_iommufd_rule_list[id], rec->offset, PT_SCOPE_NONE, 0, field,
			"%s[%llu]: %s", type_ops[rec->type]->name, (unsigned long long)rec->index,
			msg);
}

void pt_iommufd_collect(struct pt_diag_sink *tmp, const struct pt_diag_sink *diags)
{
	pt_diag_init(tmp, diags->input, NULL);
	tmp->fold = 0;
}

void pt_iommufd_forward(struct pt_diag_sink *diags, const struct pt_iommufd_rec *rec,
			enum pt_iommufd_rule_id id, struct pt_diag_sink *tmp)
{
	for (uint32_t i = 0; i < tmp->nitems; i++)
		pt_diag_report(diags, &pt_iommufd_rule_list[id], 1, rec->offset, PT_SCOPE_NONE, 0,
			       tmp->items[i].field, "%s[%llu]: %s: %s", type_ops[rec->type]->name,
			       (unsigned long long)rec->index, tmp->items[i].rule->id,
			       tmp->items[i].msg);
	pt_diag_free(tmp);
}

void pt_iommufd_reject(struct pt_iommufd_verdict *v, enum pt_iommufd_rule_id id,
		       const char *err, const char *since)
{
	if (!v->accepted)
		return;  /* the kernel stops at its first check that fails */
	v->accepted = 0;
	v->err = err;
	v->since = since;
	v->rule = &pt_iommufd_rule_list[id];
}

/* ---- framing ---- */

static void set_layout(struct pt_iommufd_rec *rec)
{
	const struct pt_iommufd_ops *ops = type_ops[rec->type];
	rec->st = rec->has_body ? ops->layout(rec->body) : NULL;
}

static int truncated(struct pt_diag_sink *diags, enum pt_iommufd_type t, uint64_t offset,
		     uint64_t need, uint64_t left)
{
	pt_diag_report(diags, &pt_iommufd_rule_list[R_IOFD_TRUNCATED], 1, offset, PT_SCOPE_NONE, 0,
		       NULL, "%s record needs %llu bytes, only %llu left", type_ops[t]->name,
		       (unsigned long long)need, (unsigned long long)left);
	return -1;
}

static int read_at(struct pt_source *src, uint64_t off, void *buf, size_t len)
{
	return pt_source_read(src, off, buf, len) == PT_READ_OK ? 0 : -1;
}

int pt_iommufd_next(enum pt_iommufd_type type, struct pt_source *src, uint64_t offset,
		    uint64_t len, uint64_t index, struct pt_iommufd_rec *rec,
		    struct pt_diag_sink *diags)
{
	const struct pt_iommufd_ops *ops = type_ops[type];
	uint64_t left = len - offset, need = ops->size;
	memset(rec, 0, sizeof *rec);
	rec->type = type;
	rec->index = index;
	rec->offset = offset;
	rec->has_body = 1;
	if (type == PT_IOMMUFD_VEVENT) {
		if (left < PT_IOMMUFD_VEVENT_HDR_SIZE)
			return truncated(diags, type, offset, PT_IOMMUFD_VEVENT_HDR_SIZE, left);
		if (read_at(src, offset, rec->hdr, sizeof rec->hdr) != 0)
			return truncated(diags, type, offset, PT_IOMMUFD_VEVENT_HDR_SIZE, 0);
		rec->has_body = !(rec->hdr[0] & PT_IOMMUFD_VEVENT_LOST);
		need = rec->has_body ? PT_IOMMUFD_VEVENT_HDR_SIZE + ops->size
				     : PT_IOMMUFD_VEVENT_HDR_SIZE;
	}
	if (left < need || (rec->has_body && read_at(src, offset + need - ops->size, rec->body,
						     ops->size) != 0))
		return truncated(diags, type, offset, need, left);
	rec->size = (uint32_t)need;
	set_layout(rec);
	return 0;
}

/* Whether the bytes [off, off + n) of the source are all zero. */
static int zero_tail(struct pt_source *src, uint64_t off, uint64_t n)
{
	uint8_t buf[256];
	while (n) {
		size_t k = n < sizeof buf ? (size_t)n : sizeof buf;
		if (read_at(src, off, buf, k) != 0)
			return 0;
		for (size_t i = 0; i < k; i++)
			if (buf[i])
				return 0;
		off += k;
		n -= k;
	}
	return 1;
}

int pt_iommufd_next_cmd(struct pt_source *src, uint64_t offset, uint64_t len, uint64_t index,
			uint32_t entry_len, struct pt_iommufd_rec *rec, struct pt_diag_sink *diags)
{
	uint32_t body = entry_len < PT_IOMMUFD_CMD_SIZE ? entry_len : PT_IOMMUFD_CMD_SIZE;
	memset(rec, 0, sizeof *rec);
	rec->type = PT_IOMMUFD_INVALIDATE;
	rec->index = index;
	rec->offset = offset;
	rec->has_body = 1;
	if (len - offset < entry_len || read_at(src, offset, rec->body, body) != 0)
		return truncated(diags, rec->type, offset, entry_len, len - offset);
	rec->tail_set = entry_len > body && !zero_tail(src, offset + body, entry_len - body);
	rec->size = entry_len;
	set_layout(rec);
	return 0;
}

int pt_iommufd_from_bytes(enum pt_iommufd_type type, const uint8_t *buf, size_t len,
			  struct pt_iommufd_rec *rec, char *err, size_t errlen)
{
	const struct pt_iommufd_ops *ops = type_ops[type];
	size_t need = ops->size;
	memset(rec, 0, sizeof *rec);
	rec->type = type;
	rec->has_body = 1;
	if (type == PT_IOMMUFD_VEVENT) {
		if (len >= PT_IOMMUFD_VEVENT_HDR_SIZE) {
			memcpy(rec->hdr, buf, PT_IOMMUFD_VEVENT_HDR_SIZE);
			rec->has_body = !(buf[0] & PT_IOMMUFD_VEVENT_LOST);
		}
		need = rec->has_body ? PT_IOMMUFD_VEVENT_HDR_SIZE + ops->size
				     : PT_IOMMUFD_VEVENT_HDR_SIZE;
	}
	if (len != need) {
		snprintf(err, errlen, "a %s record is %zu bytes, not %zu", ops->name, need, len);
		return -1;
	}
	if (rec->has_body)
		memcpy(rec->body, buf + need - ops->size, ops->size);
	rec->size = (uint32_t)need;
	set_layout(rec);
	return 0;
}

/* ---- context ---- */

void pt_iommufd_ctx_init(struct pt_iommufd_ctx *ctx, const struct smmu_caps *caps)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->caps = caps;
}

static int parse_u32(const char *s, char **end, uint32_t *out)
{
	char *e;
	unsigned long long v = strtoull(s, &e, 0);
	if (e == s || *s == '-' || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	*end = e;
	return 0;
}

int pt_iommufd_add_vdevice(struct pt_iommufd_ctx *ctx, const char *spec, char *err,
			   size_t errlen)
{
	uint32_t vsid, psid;
	char *e;
	if (parse_u32(spec, &e, &vsid) != 0 || *e != '=' || parse_u32(e + 1, &e, &psid) != 0 ||
	    *e) {
		snprintf(err, errlen, "'%s': expected VSID=PSID (32-bit StreamIDs)", spec);
		return -1;
	}
	if (ctx->nvdev == PT_IOMMUFD_MAX_VDEVICES) {
		snprintf(err, errlen, "at most %u vDEVICEs", PT_IOMMUFD_MAX_VDEVICES);
		return -1;
	}
	uint32_t dup;
	if (pt_iommufd_vsid_lookup(ctx, vsid, &dup) == 0) {
		snprintf(err, errlen, "vSID %u given twice (a vIOMMU has one vDEVICE per vSID)",
			 vsid);
		return -1;
	}
	ctx->vsid[ctx->nvdev] = vsid;
	ctx->psid[ctx->nvdev++] = psid;
	ctx->vdev_given = 1;
	return 0;
}

int pt_iommufd_vsid_lookup(const struct pt_iommufd_ctx *ctx, uint32_t vsid, uint32_t *psid)
{
	for (uint32_t i = 0; i < ctx->nvdev; i++)
		if (ctx->vsid[i] == vsid) {
			*psid = ctx->psid[i];
			return 0;
		}
	return -1;
}

int pt_iommufd_psid_lookup(const struct pt_iommufd_ctx *ctx, uint32_t psid, uint32_t *vsid)
{
	for (uint32_t i = 0; i < ctx->nvdev; i++)
		if (ctx->psid[i] == psid) {
			*vsid = ctx->vsid[i];
			return 0;
		}
	return -1;
}

/* ---- checking ---- */

void pt_iommufd_verdict(const struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			struct pt_iommufd_verdict *v)
{
	const struct pt_iommufd_ops *ops = type_ops[rec->type];
	memset(v, 0, sizeof *v);
	v->accepted = 1;
	v->since = ops->since;
	ops->verdict(ctx, rec, v);
}

void pt_iommufd_check(struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
		      struct pt_iommufd_verdict *v, struct pt_diag_sink *diags)
{
	pt_iommufd_verdict(ctx, rec, v);
	type_ops[rec->type]->check(ctx, rec, v, diags);
	if (rec->type != PT_IOMMUFD_INVALIDATE)
		return;
	if (!v->accepted && !ctx->rejected) {
		ctx->rejected = 1;
		ctx->first_rejected = rec->index;
	}
	ctx->ncmds++;
}

/* ---- output ---- */

static void print_verdict(FILE *out, const struct pt_iommufd_rec *rec,
			  const struct pt_iommufd_verdict *v)
{
	if (rec->type == PT_IOMMUFD_VEVENT && v->accepted)
		fprintf(out, "  kernel: a record it delivers (since %s)\n", v->since);
	else if (rec->type == PT_IOMMUFD_VEVENT && v->err)
		fprintf(out, "  kernel: not delivered, %s [%s] (since %s)\n", v->err, v->rule->id,
			v->since);
	else if (v->accepted)
		fprintf(out, "  kernel: accepted (since %s)\n", v->since);
	else if (!v->err)  /* kernel output the kernel would not have written */
		fprintf(out, "  kernel: never writes this record [%s] (since %s)\n", v->rule->id,
			v->since);
	else
		fprintf(out, "  kernel: rejected, %s [%s] (since %s)\n", v->err, v->rule->id,
			v->since);
}

void pt_iommufd_print(FILE *out, const struct pt_iommufd_rec *rec,
		      const struct pt_iommufd_verdict *v, int validated, int color)
{
	const struct pt_iommufd_ops *ops = type_ops[rec->type];
	fprintf(out, "%s[%llu] @ 0x%llx: %s\n", ops->name, (unsigned long long)rec->index,
		(unsigned long long)rec->offset, rec->st ? rec->st->label : "lost events");
	if (rec->type == PT_IOMMUFD_VEVENT)
		pt_struct_print_text(out, &pt_iommufd_vevent_hdr_struct, rec->hdr, "    ", color);
	if (rec->st)
		pt_struct_print_text(out, rec->st, rec->body, "    ", color);
	if (rec->st && ops->detail_text)
		ops->detail_text(out, rec, color);
	if (validated)
		print_verdict(out, rec, v);
}

json_t *pt_iommufd_json(const struct pt_iommufd_rec *rec, const struct pt_iommufd_verdict *v,
			int validated)
{
	json_t *j = json_object();
	json_object_set_new(j, "index", json_integer((json_int_t)rec->index));
	json_object_set_new(j, "offset", pt_json_hex(rec->offset));
	json_object_set_new(j, "type", json_string(type_ops[rec->type]->name));
	if (rec->type == PT_IOMMUFD_VEVENT) {
		json_t *h = json_object();
		json_object_set_new(h, "raw", pt_json_hex(pt_le64(rec->hdr, 0)));
		json_object_set_new(h, "fields",
				    pt_struct_fields_json(&pt_iommufd_vevent_hdr_struct, rec->hdr));
		json_object_set_new(j, "header", h);
	}
	if (rec->st) {
		json_object_set_new(j, "structure", json_string(rec->st->name));
		json_object_set_new(j, "raw", pt_struct_raw_json(rec->st, rec->body));
		pt_struct_json_set(j, rec->st, rec->body);
		if (type_ops[rec->type]->detail_json)
			json_object_set_new(j, "registers", type_ops[rec->type]->detail_json(rec));
	}
	if (validated) {
		json_object_set_new(j, "accepted", json_boolean(v->accepted));
		json_object_set_new(j, "errno", v->err ? json_string(v->err) : json_null());
		json_object_set_new(j, "rule", v->rule ? json_string(v->rule->id) : json_null());
		json_object_set_new(j, "since", json_string(v->since));
	}
	return j;
}

/* ---- registration ---- */

void pt_iommufd_register(void)
{
	pt_rules_register(&pt_iommufd_rules);
	pt_struct_register(&pt_iommufd_vste_struct);
	pt_struct_register(&pt_iommufd_hw_info_struct);
	pt_struct_register(&pt_iommufd_vevent_hdr_struct);
}

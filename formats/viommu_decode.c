/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Splitting a captured virtqueue stream into requests: each request's size
 * follows from its type and the variant (PROBE: from probe_size), so a
 * stream of concatenated buffers decodes whole. Everything here reads only
 * inside [buf, buf + len). */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "enum_names.h"
#include "viommu.h"

static const struct pt_rule *rule(enum pt_viommu_rule_id id)
{
	return &pt_viommu_rule_list[id];
}

static const struct pt_viommu_kind *base_kind(const struct pt_viommu_variant_desc *vd,
					      unsigned type)
{
	for (size_t i = 0; i < vd->nkinds; i++)
		if (vd->kinds[i].type == type)
			return &vd->kinds[i];
	return NULL;
}

/* The view of a type whose selector matches the frame, else the kind
 * without selector (the generic frame). */
static const struct pt_viommu_kind *pick_view(const struct pt_viommu_variant_desc *vd,
					      unsigned type, const uint8_t *frame)
{
	const struct pt_viommu_kind *fallback = NULL;
	for (size_t i = 0; i < vd->nkinds; i++) {
		const struct pt_viommu_kind *k = &vd->kinds[i];
		if (k->type != type)
			continue;
		if (!k->sel_field) {
			fallback = k;
			continue;
		}
		const struct pt_field *f = pt_struct_field(k->st, k->sel_field);
		if (f && pt_field_get(frame, f) == k->sel_value)
			return k;
	}
	return fallback;
}

/* Declared structs end with their tail 4 or 8 bytes early; on the wire the
 * gap is reserved and the tail sits at the end. buf holds the wire layout. */
static void declared_to_wire(uint8_t *buf, uint32_t declared, uint32_t wire)
{
	uint8_t tailb[PT_VIOMMU_TAIL];
	memcpy(tailb, buf + declared - PT_VIOMMU_TAIL, PT_VIOMMU_TAIL);
	memset(buf + declared - PT_VIOMMU_TAIL, 0, wire - declared + PT_VIOMMU_TAIL);
	memcpy(buf + wire - PT_VIOMMU_TAIL, tailb, PT_VIOMMU_TAIL);
}

static int probe_fits_default(const struct pt_viommu_variant_desc *vd, const uint8_t *buf,
			      size_t len)
{
	size_t need = PT_VIOMMU_PROBE_HEAD + PT_VIOMMU_DEFAULT_PROBE_SIZE + PT_VIOMMU_TAIL;
	return len == need || (len > need && base_kind(vd, buf[need]) != NULL);
}

/* probe_size: given, or QEMU's 512 when the stream goes on after it, or
 * whatever is left of the file. */
static uint32_t probe_size_for(const struct pt_viommu_ctx *ctx,
			       const struct pt_viommu_variant_desc *vd, const uint8_t *buf,
			       size_t len)
{
	size_t fixed = PT_VIOMMU_PROBE_HEAD + PT_VIOMMU_TAIL;
	if (ctx->probe_size_given || len < fixed || probe_fits_default(vd, buf, len))
		return ctx->probe_size_given ? ctx->probe_size : PT_VIOMMU_DEFAULT_PROBE_SIZE;
	size_t rest = len - fixed;
	return rest > PT_VIOMMU_MAX_PROBE_SIZE ? PT_VIOMMU_MAX_PROBE_SIZE : (uint32_t)rest;
}

static int report_short(struct pt_diag_sink *diags, uint64_t offset, const char *name,
			uint64_t need, size_t len)
{
	pt_diag_report(diags, rule(PT_R_VIOMMU_TRUNCATED), 1, offset, PT_SCOPE_NONE, 0, NULL,
		       "%s needs %llu bytes, only %zu left", name, (unsigned long long)need, len);
	return -1;
}

int pt_viommu_next(const struct pt_viommu_ctx *ctx, const uint8_t *buf, size_t len,
		   uint64_t offset, struct pt_viommu_req *req, struct pt_diag_sink *diags)
{
	const struct pt_viommu_variant_desc *vd = pt_viommu_variant(ctx->variant);
	memset(req, 0, sizeof *req);
	req->offset = offset;
	req->bytes = buf;
	if (len < PT_VIOMMU_TAIL) {
		pt_diag_report(diags, rule(PT_R_VIOMMU_TRAILING), 1, offset, PT_SCOPE_NONE, 0, NULL,
			       "%zu trailing byte%s too short for a request", len, len == 1 ? "" : "s");
		return -1;
	}
	const struct pt_viommu_kind *k = base_kind(vd, buf[0]);
	if (!k) {
		pt_diag_report(diags, rule(PT_R_VIOMMU_UNKNOWN_TYPE), 1, offset, PT_SCOPE_NONE, 0,
			       "type", "request type 0x%02x is not defined by variant %s", buf[0],
			       vd->name);
		return -1;
	}
	uint64_t size = k->st->size;
	if (k->type == PT_VT_PROBE) {
		req->probe_size = probe_size_for(ctx, vd, buf, len);
		size = PT_VIOMMU_PROBE_HEAD + (uint64_t)req->probe_size + PT_VIOMMU_TAIL;
	}
	size_t ncopy = len < k->st->size ? len : k->st->size;
	memcpy(req->buf, buf, ncopy);
	if (k->type == PT_VT_ATTACH_TABLE)
		k = pick_view(vd, k->type, req->buf);
	req->kind = k;
	if (len < size) {
		if (!k->declared_size || len != k->declared_size)
			return report_short(diags, offset, k->name, size, len);
		req->declared = 1;
		size = k->declared_size;
		declared_to_wire(req->buf, k->declared_size, k->st->size);
	}
	req->size = (uint32_t)size;
	return 0;
}

/* A variant "fits" the bytes when its framing consumes exactly what is left
 * (or leaves a known request type behind) and, for ATTACH_TABLE, the frame
 * names a format that variant has a view for. */
static int variant_fits(enum pt_viommu_variant v, const uint8_t *buf, size_t len)
{
	const struct pt_viommu_variant_desc *vd = pt_viommu_variant(v);
	const struct pt_viommu_kind *k = base_kind(vd, buf[0]);
	if (!k || k->type == PT_VT_PROBE)
		return 0;
	uint32_t size = k->st->size;
	if (len < size || (len > size && (len - size < PT_VIOMMU_TAIL ||
					  !base_kind(vd, buf[size]))))
		return 0;
	if (k->type != PT_VT_ATTACH_TABLE)
		return 1;
	return pick_view(vd, k->type, buf)->view != PT_VW_GENERIC;
}

const char *pt_viommu_guess_variant(const struct pt_viommu_ctx *ctx, const uint8_t *buf,
				    size_t len)
{
	if (len < PT_VIOMMU_TAIL || variant_fits(ctx->variant, buf, len))
		return NULL;
	for (unsigned v = 0; v < PT_VV_COUNT; v++)
		if (v != (unsigned)ctx->variant && variant_fits((enum pt_viommu_variant)v, buf, len))
			return pt_viommu_variant((enum pt_viommu_variant)v)->name;
	return NULL;
}

uint8_t pt_viommu_status(const struct pt_viommu_req *req)
{
	return req->bytes[req->size - PT_VIOMMU_TAIL];
}

int pt_viommu_get(const struct pt_viommu_req *req, const char *field, uint64_t *out)
{
	const struct pt_field *f = pt_struct_field(req->kind->st, field);
	if (f) {
		*out = pt_field_get(req->buf, f);
		return 0;
	}
	*out = 0;
	if (req->kind->type == PT_VT_PROBE && strcmp(field, "status") == 0) {
		*out = pt_viommu_status(req);
		return 0;
	}
	return -1;
}

/* ---- PROBE properties ---- */

static uint16_t le16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static int prop_sel_ok(const struct pt_viommu_prop *p, const uint8_t *pb, uint32_t plen)
{
	if (!p->sel_field)
		return 1;
	const struct pt_field *f = pt_struct_field(p->st, p->sel_field);
	uint8_t tmp[64] = { 0 };
	memcpy(tmp, pb, plen < sizeof tmp ? plen : sizeof tmp);
	return f && pt_field_get(tmp, f) == p->sel_value;
}

/* Exact layout for type and length, else a named type without layout, else
 * any layout of the type (the length is then wrong), else NULL. */
static const struct pt_viommu_prop *match_prop(const struct pt_viommu_variant_desc *vd,
					       uint16_t type, uint32_t total, const uint8_t *pb,
					       uint32_t plen)
{
	const struct pt_viommu_prop *loose = NULL;
	for (size_t i = 0; i < vd->nprops; i++) {
		const struct pt_viommu_prop *p = &vd->props[i];
		if (p->type != type)
			continue;
		if (!p->st || (p->st->size == total && prop_sel_ok(p, pb, plen)))
			return p;
		if (!loose)
			loose = p;
	}
	return loose;
}

void pt_viommu_props_foreach(const struct pt_viommu_ctx *ctx, const struct pt_viommu_req *req,
			     pt_viommu_prop_fn fn, void *user)
{
	const struct pt_viommu_variant_desc *vd = pt_viommu_variant(ctx->variant);
	if (req->kind->type != PT_VT_PROBE)
		return;
	const uint8_t *props = req->bytes + PT_VIOMMU_PROBE_HEAD;
	uint32_t ps = req->probe_size, off = 0;
	/* Each property takes at least 4 bytes, so ps / 4 bounds the loop. */
	for (uint32_t n = 0; n <= ps / 4 && off + 4 <= ps; n++) {
		const uint8_t *pb = props + off;
		uint16_t type = le16_at(pb) & 0xfff;
		uint32_t length = le16_at(pb + 2);
		if (type == 0)
			return;
		uint32_t total = 4 + length, plen = total <= ps - off ? total : ps - off;
		const struct pt_viommu_prop *p = match_prop(vd, type, total, pb, plen);
		if (fn(user, off, p, pb, plen, length))
			return;
		if (total > ps - off)
			return;
		off += total;
	}
}

/* Zero-padded copy of a property for its field table. */
static const struct pt_struct *prop_struct(const struct pt_viommu_ctx *ctx,
					   const struct pt_viommu_prop *p, const uint8_t *pb,
					   uint32_t plen, uint8_t *tmp, size_t tmplen)
{
	const struct pt_struct *st = p && p->st && p->st->size == plen
		? p->st : pt_viommu_variant(ctx->variant)->prop_generic;
	memset(tmp, 0, tmplen);
	memcpy(tmp, pb, plen < st->size ? plen : st->size);
	return st;
}

struct prop_find {
	const struct pt_viommu_ctx *ctx;
	uint32_t off;
	uint8_t *tmp;
	size_t tmplen;
	const struct pt_struct *st;
};

static int find_prop(void *user, uint32_t off, const struct pt_viommu_prop *p, const uint8_t *pb,
		     uint32_t plen, uint32_t length)
{
	struct prop_find *pf = user;
	(void)length;
	if (off != pf->off)
		return off > pf->off;
	pf->st = prop_struct(pf->ctx, p, pb, plen, pf->tmp, pf->tmplen);
	return 1;
}

const struct pt_struct *pt_viommu_prop_at(const struct pt_viommu_ctx *ctx,
					  const struct pt_viommu_req *req, uint32_t off,
					  uint8_t *tmp, size_t tmplen)
{
	struct prop_find pf = { ctx, off, tmp, tmplen, NULL };
	pt_viommu_props_foreach(ctx, req, find_prop, &pf);
	return pf.st;
}

/* ---- Text ---- */

struct print_ctx {
	FILE *out;
	const struct pt_viommu_ctx *ctx;
	int color;
};

static int print_prop(void *user, uint32_t off, const struct pt_viommu_prop *p, const uint8_t *pb,
		      uint32_t plen, uint32_t length)
{
	struct print_ctx *pc = user;
	uint8_t tmp[64];
	const struct pt_struct *st = prop_struct(pc->ctx, p, pb, plen, tmp, sizeof tmp);
	fprintf(pc->out, "    property %s at +%u, length %u%s\n", p ? p->name : "unknown", off,
		length, plen < 4 + length ? " (runs past probe_size)" : "");
	pt_struct_print_text(pc->out, st, tmp, "        ", pc->color);
	return 0;
}

void pt_viommu_print(FILE *out, const struct pt_viommu_ctx *ctx, const struct pt_viommu_req *req,
		     int color)
{
	const struct pt_viommu_kind *k = req->kind;
	const struct pt_viommu_variant_desc *vd = pt_viommu_variant(ctx->variant);
	fprintf(out, "0x%llx: %s%s%s (%s, %u bytes%s)\n", (unsigned long long)req->offset, k->name,
		k->view_name ? " " : "", k->view_name ? k->view_name : "", vd->name, req->size,
		req->declared ? ", declared struct size" : "");
	pt_struct_print_text(out, k->st, req->buf, "    ", color);
	if (k->type != PT_VT_PROBE)
		return;
	fprintf(out, "    probe_size=%u\n", req->probe_size);
	struct print_ctx pc = { out, ctx, color };
	pt_viommu_props_foreach(ctx, req, print_prop, &pc);
	pt_struct_print_text(out, vd->tail, req->bytes + req->size - PT_VIOMMU_TAIL, "    ", color);
}

/* ---- JSON ---- */

static json_t *hex_bytes(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * n + 1);
	if (!s)
		return json_null();
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
	json_t *j = json_string(s);
	free(s);
	return j;
}

struct json_ctx {
	const struct pt_viommu_ctx *ctx;
	json_t *arr;
};

static int json_prop(void *user, uint32_t off, const struct pt_viommu_prop *p, const uint8_t *pb,
		     uint32_t plen, uint32_t length)
{
	struct json_ctx *jc = user;
	uint8_t tmp[64];
	const struct pt_struct *st = prop_struct(jc->ctx, p, pb, plen, tmp, sizeof tmp);
	json_t *o = json_object();
	json_object_set_new(o, "offset", json_integer(off));
	json_object_set_new(o, "type", p ? json_string(p->name) : json_integer(le16_at(pb) & 0xfff));
	json_object_set_new(o, "length", json_integer(length));
	pt_struct_json_set(o, st, tmp);
	json_array_append_new(jc->arr, o);
	return 0;
}

json_t *pt_viommu_json(const struct pt_viommu_ctx *ctx, const struct pt_viommu_req *req)
{
	const struct pt_viommu_kind *k = req->kind;
	const struct pt_viommu_variant_desc *vd = pt_viommu_variant(ctx->variant);
	json_t *o = json_object();
	json_object_set_new(o, "offset", json_integer((json_int_t)req->offset));
	json_object_set_new(o, "type", json_string(k->name));
	if (k->view_name)
		json_object_set_new(o, "view", json_string(k->view_name));
	json_object_set_new(o, "variant", json_string(vd->name));
	json_object_set_new(o, "size", json_integer(req->size));
	if (req->declared)
		json_object_set_new(o, "declared", json_true());
	json_object_set_new(o, "raw", hex_bytes(req->bytes, req->size));
	json_t *fields = pt_struct_fields_json(k->st, req->buf);
	json_t *names = pt_struct_names_json(k->st, req->buf);
	if (k->type == PT_VT_PROBE) {
		/* PROBE's status sits past the properties: its tail is a second
		 * structure whose fields and names join the head's. */
		const uint8_t *tailb = req->bytes + req->size - PT_VIOMMU_TAIL;
		json_t *tailf = pt_struct_fields_json(vd->tail, tailb);
		json_t *tailn = pt_struct_names_json(vd->tail, tailb);
		json_object_update(fields, tailf);
		json_object_update(names, tailn);
		json_decref(tailf);
		json_decref(tailn);
		json_object_set_new(o, "probe_size", json_integer(req->probe_size));
	}
	json_object_set_new(o, "fields", fields);
	if (names)
		json_object_set_new(o, "names", names);
	if (k->type == PT_VT_PROBE) {
		struct json_ctx jc = { ctx, json_array() };
		pt_viommu_props_foreach(ctx, req, json_prop, &jc);
		json_object_set_new(o, "properties", jc.arr);
	}
	return o;
}

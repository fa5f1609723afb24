/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building iommufd records from JSON: what `iommufd decode --json` prints
 * (raw words, then fields override them: byte-exact round trips), or a short
 * form with field names as keys. Every value goes through the field tables. */
#include <string.h>

#include "emit.h"
#include "enum_names.h"
#include "iommufd_types.h"
#include "smmuv3.h"

/* Keys of decode's record object that are not fields. */
static const char *const envelope[] = { "index", "offset", "type", "header", "structure",
					"raw", "fields", "names", "accepted", "errno", "rule",
					"since", "sequence", "lost_events", "registers", NULL };

static int is_envelope(const char *key)
{
	for (size_t i = 0; envelope[i]; i++)
		if (strcmp(key, envelope[i]) == 0)
			return 1;
	return 0;
}

/* A hand-written vSTE is a valid stage-1 one with Linux's CD fetch
 * attributes (arm_smmu_make_cdtable_ste) unless it says otherwise. */
static void vste_defaults(uint8_t *b)
{
	static const struct {
		enum smmu_ste_field_id id;
		uint64_t v;
	} d[] = { { STE_V, 1 }, { STE_CONFIG, SMMU_STE_S1 }, { STE_S1CIR, 1 }, { STE_S1COR, 1 },
		  { STE_S1CSH, 3 } };
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		pt_field_set(b, &smmu_ste_fields[d[i].id], d[i].v);
}

/* The short form's field keys, gathered into {"fields": {...}} for the core. */
static json_t *short_fields(const json_t *obj, const struct pt_iommufd_ops *ops, uint8_t *body,
			    char *err, size_t errlen, int *bad)
{
	json_t *fields = json_object();
	const char *key;
	json_t *val;
	json_object_foreach((json_t *)(uintptr_t)obj, key, val) {
		if (is_envelope(key))
			continue;
		int r = ops->build_key ? ops->build_key(key, val, body, err, errlen) : 0;
		if (r < 0) {
			*bad = 1;
			break;
		}
		if (r == 0)
			json_object_set(fields, key, val);
	}
	json_t *wrap = json_object();
	json_object_set_new(wrap, "fields", fields);
	return wrap;
}

/* Order: defaults, "raw", discriminator names (build_key), "fields", then
 * the short form's keys, each on the layout the body has by then. */
static int build_body(const struct pt_iommufd_ops *ops, const json_t *obj, uint8_t *body,
		      char *err, size_t errlen)
{
	int bad = 0, rc = 0;
	const json_t *raw = json_object_get(obj, "raw"), *fields = json_object_get(obj, "fields");
	if (!raw && ops == &pt_iommufd_vste_ops)
		vste_defaults(body);
	if (raw) {
		json_t *r = json_object();
		json_object_set(r, "raw", (json_t *)(uintptr_t)raw);
		rc = pt_struct_from_json(ops->layout(body), r, body, err, errlen);
		json_decref(r);
	}
	if (rc != 0)
		return -1;
	json_t *wrap = short_fields(obj, ops, body, err, errlen, &bad);
	if (!bad && fields) {
		json_t *f = json_object();
		json_object_set(f, "fields", (json_t *)(uintptr_t)fields);
		rc = pt_struct_from_json(ops->layout(body), f, body, err, errlen);
		json_decref(f);
	}
	if (!bad && rc == 0)
		rc = pt_struct_from_json(ops->layout(body), wrap, body, err, errlen);
	json_decref(wrap);
	/* decode's enum names: checked against the record built. */
	const json_t *names = json_object_get(obj, "names");
	if (!bad && rc == 0 && names)
		rc = pt_struct_names_check(ops->layout(body), names, body, err, errlen);
	return bad ? -1 : rc;
}

/* The vEVENT header: decode's {"header": {"raw", "fields"}} or short
 * "sequence"/"lost_events" keys. */
static int build_header(const json_t *obj, uint8_t *hdr, char *err, size_t errlen)
{
	const struct pt_struct *st = &pt_iommufd_vevent_hdr_struct;
	const json_t *h = json_object_get(obj, "header");
	if (h && (!json_is_object(h) || pt_struct_from_json(st, h, hdr, err, errlen) != 0)) {
		if (!json_is_object(h))
			snprintf(err, errlen, "\"header\" must be an object");
		return -1;
	}
	json_t *f = json_object();
	const char *keys[] = { "sequence", "lost_events" };
	for (size_t i = 0; i < 2; i++)
		if (json_object_get(obj, keys[i]))
			json_object_set(f, keys[i], json_object_get(obj, keys[i]));
	json_t *wrap = json_object();
	json_object_set_new(wrap, "fields", f);
	int rc = pt_struct_from_json(st, wrap, hdr, err, errlen);
	json_decref(wrap);
	return rc;
}

int pt_iommufd_build(enum pt_iommufd_type type, const json_t *obj, uint8_t *out, size_t cap,
		     size_t *outlen, char *err, size_t errlen)
{
	const struct pt_iommufd_ops *ops = pt_iommufd_ops_of(type);
	const char *t = json_string_value(json_object_get(obj, "type"));
	enum pt_iommufd_type named;
	if (!json_is_object(obj)) {
		snprintf(err, errlen, "a record must be a JSON object");
		return -1;
	}
	if (t && (pt_iommufd_type_parse(t, &named) != 0 || named != type)) {
		snprintf(err, errlen, "record of type \"%s\" in a %s build", t, ops->name);
		return -1;
	}
	uint8_t hdr[PT_IOMMUFD_VEVENT_HDR_SIZE] = { 0 }, body[PT_IOMMUFD_MAX_RECORD] = { 0 };
	size_t n = 0;
	if (type == PT_IOMMUFD_VEVENT) {
		if (build_header(obj, hdr, err, errlen) != 0)
			return -1;
		n = sizeof hdr;
	}
	int lost = type == PT_IOMMUFD_VEVENT && (hdr[0] & PT_IOMMUFD_VEVENT_LOST);
	if (lost && (json_object_get(obj, "raw") || json_object_get(obj, "fields"))) {
		snprintf(err, errlen, "a LOST_EVENTS header carries no record");
		return -1;
	}
	if (!lost && build_body(ops, obj, body, err, errlen) != 0)
		return -1;
	size_t total = n + (lost ? 0 : ops->size);
	if (total > cap) {
		snprintf(err, errlen, "output buffer too small");
		return -1;
	}
	memcpy(out, hdr, n);
	if (!lost)
		memcpy(out + n, body, ops->size);
	*outlen = total;
	return 0;
}

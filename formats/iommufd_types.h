/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside the iommufd records: what each record type supplies (its size, the
 * layout of a body, the kernel's verdict and the findings on top), so the
 * framing, printing, building and checking in iommufd_records.c stay one
 * loop over this table. */
#ifndef PT_IOMMUFD_TYPES_H
#define PT_IOMMUFD_TYPES_H

#include "iommufd.h"

struct pt_iommufd_ops {
	const char *name;            /* "vste" */
	const char *label;           /* "iommu_hwpt_arm_smmuv3 (vSTE)" */
	uint32_t size;               /* bytes of the body */
	const char *since;           /* release the uAPI structure appeared in */
	/* Field table for a body (commands and events: their opcode's). */
	const struct pt_struct *(*layout)(const uint8_t *body);
	void (*verdict)(const struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
			struct pt_iommufd_verdict *v);
	/* Findings beyond the verdict (the verdict's own rule is reported by
	 * the caller); may update the stream state. */
	void (*check)(struct pt_iommufd_ctx *ctx, const struct pt_iommufd_rec *rec,
		      const struct pt_iommufd_verdict *v, struct pt_diag_sink *diags);
	/* Short build form: set what the key names (opcode/event id by name).
	 * 1 when handled, 0 when not this type's key, -1 with err. */
	int (*build_key)(const char *key, const json_t *val, uint8_t *body, char *err,
			 size_t errlen);
	/* What the body's words hold, decoded with another table (hw_info:
	 * the registers), after the body's own fields; NULL when nothing. */
	void (*detail_text)(FILE *out, const struct pt_iommufd_rec *rec, int color);
	json_t *(*detail_json)(const struct pt_iommufd_rec *rec);
};

extern const struct pt_iommufd_ops pt_iommufd_vste_ops;
extern const struct pt_iommufd_ops pt_iommufd_hw_info_ops;
extern const struct pt_iommufd_ops pt_iommufd_cmd_ops;
extern const struct pt_iommufd_ops pt_iommufd_vevent_ops;

const struct pt_iommufd_ops *pt_iommufd_ops_of(enum pt_iommufd_type t);

/* Report rule id at the record's offset with "TYPE[N]: " before the message
 * and the rule's effect after it. */
void pt_iommufd_report(struct pt_diag_sink *diags, const struct pt_iommufd_rec *rec,
		       enum pt_iommufd_rule_id id, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* A sink that collects, unfolded, what another structure's rules find in
 * a record; pt_iommufd_forward reports each as rule id ("TYPE[N]: RULE-ID:
 * message", the message already ending in its own effect) and frees it. */
void pt_iommufd_collect(struct pt_diag_sink *tmp, const struct pt_diag_sink *diags);
void pt_iommufd_forward(struct pt_diag_sink *diags, const struct pt_iommufd_rec *rec,
			enum pt_iommufd_rule_id id, struct pt_diag_sink *tmp);

void pt_iommufd_reject(struct pt_iommufd_verdict *v, enum pt_iommufd_rule_id id,
		       const char *err, const char *since);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where QEMU's emulated SMMUv3 parts from the architecture (--caps qemu,
 * qemu=VERSION): notes that say what QEMU does with an STE or CD that the
 * architecture judges otherwise, each from reading QEMU's code at the
 * releases named (formats/smmuv3_qemu_rules.c). */
#ifndef PT_SMMUV3_QEMU_H
#define PT_SMMUV3_QEMU_H

#include <stdint.h>

#include "diag.h"
#include "rule.h"

struct smmu_caps;

/* What QEMU does with a structure: the outcome the notes describe and the
 * QEMU-behaviour table in tests/unit/test_qemu.c checks against. */
enum smmu_qemu_outcome {
	QEMU_ACCEPTS,      /* used as QEMU reads it */
	QEMU_BAD_STE,      /* decode_ste fails: C_BAD_STE */
	QEMU_BAD_CD,       /* decode_cd fails: C_BAD_CD */
	QEMU_ABORTS,       /* g_assert_not_reached(): the VMM process dies */
};

enum smmu_qemu_rule_id {
	R_QEMU_S1CDMAX, R_QEMU_S1STALLD, R_QEMU_CTXPTR_TRUNC, R_QEMU_S2HTTU, R_QEMU_S2AA64,
	R_QEMU_TTB_BIT51, R_QEMU_IPS_ABORT, R_QEMU_IPS_UNCHECKED,
	R_QEMU_COUNT
};
extern const struct pt_rule smmu_qemu_rule_list[R_QEMU_COUNT];
extern const struct pt_rule_set smmu_qemu_rules;

/* QEMU releases as major*100+minor, where behaviour changed. */
#define QEMU_V8_1 801u   /* stage 2 (decode_ste_s2_cfg) */
#define QEMU_V9_1 901u   /* oas2bits() asserts on OAS encodings 6 and 7 */
#define QEMU_V11_0 1100u /* registerfields accessors: CTXPTR [55:6], TTBx [51:4] */

/* The notes for one valid STE / CD under caps->qemu (no-ops when it is 0).
 * The CD check needs the STE context only for nothing QEMU reads, so it
 * takes the CD alone. */
void smmu_qemu_check_ste(struct pt_diag_sink *d, const struct smmu_caps *caps, uint32_t sid,
			 uint64_t addr, const uint8_t *ste);
void smmu_qemu_check_cd(struct pt_diag_sink *d, const struct smmu_caps *caps, uint32_t ssid,
			uint64_t addr, const uint8_t *cd);
/* Whether a CD whose configuration already passed needs the value checks
 * again: QEMU reads TTB0 differently from the architecture. */
int smmu_qemu_cd_ttb0_differs(const struct smmu_caps *caps, uint64_t ttb0);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where an SMMUv3 stream's DMA goes: the translation regimes a CD (stage 1)
 * and an STE (stage 2, nested) set up for the core page-table walker, the
 * permission model, the attributes of a mapping, and the event the SMMU
 * records for a walk that fails (IHI 0070 G.b §3.4, §5.2, §5.4, §7.3).
 * One walk, shared by `translate`, `maps`, `validate --page-tables` and
 * `explain`. */
#ifndef PT_SMMUV3_PTW_H
#define PT_SMMUV3_PTW_H

#include <jansson.h>

#include "ptwalk.h"
#include "smmuv3.h"
#include "vmsa_pt.h"

/* What the permission model and the attributes need besides the leaf. */
struct smmu_ptw_ctx {
	unsigned stage;
	int two_priv;      /* EL1&0 or EL2-E2H: AP[1], UXN/PXN and APTable[0] apply */
	int wxn, pan;
	int ha, hd;
	uint64_t mair;
};

struct smmu_regime {
	struct pt_ptw_regime r;
	struct smmu_ptw_ctx ctx;
};

/* An SMMU event, or the walk's own finding that the dump ends. */
struct smmu_fault {
	int happened;
	const char *event;     /* "F_TRANSLATION", NULL when the dump ends */
	unsigned id;           /* event number */
	unsigned stage;        /* 1 or 2; 0 before any walk (STE/CD/SSID) */
	int level;             /* -2: no level */
	const char *cls;       /* "CD", "TT", "IN" or NULL */
	char reason[200];
	int dump_ends;         /* the walk needs memory the input lacks */
	uint64_t dump_addr;
	/* Translation-class faults (F_TRANSLATION..F_PERMISSION) obey the
	 * CD's R/S/A (stage 1) or the STE's S2R/S2S (stage 2): not_recorded
	 * when no event is written, stall when it is written with Stall = 1
	 * and the transaction waits. `control` names the bit that decided,
	 * `response` what the device sees: "abort", "raz-wi" or "stall". */
	int not_recorded, stall;
	const char *control, *response;
};

/* Stage 1 from a CD for one input address: picks TTB0/TTB1 by VA[55],
 * applies TBI, the TxSZ region and EPDx. On a fault before any table is
 * read, fills *fault and returns -1; *ia is the address the tables see. */
int smmu_s1_regime(const uint8_t *cd, const struct smmu_caps *caps, unsigned strw, int e2h,
		   uint64_t va, struct smmu_regime *out, uint64_t *ia, struct smmu_fault *fault);
/* Stage 1 half `ttb` (0/1) for walking every mapping (maps); -1 with *why
 * when that half is disabled or unusable. *va_base is the VA of IA 0. */
int smmu_s1_half(const uint8_t *cd, const struct smmu_caps *caps, unsigned strw, int e2h, int ttb,
		 struct smmu_regime *out, uint64_t *va_base, const char **why);
/* Stage 2 from an STE; -1 with *why when the STE's stage-2 fields describe
 * no walk this tool does (reserved granule, start level, AArch32). */
int smmu_s2_regime(const uint8_t *ste, const struct smmu_caps *caps, struct smmu_regime *out,
		   const char **why);

/* The event for a walk's fault: F_TRANSLATION, F_ADDR_SIZE, F_ACCESS,
 * F_PERMISSION with stage and class, or "the dump ends". */
void smmu_fault_from_walk(const struct pt_ptw_result *res, struct smmu_fault *f);
/* An event that ends the transaction before any walk. */
void smmu_fault_set(struct smmu_fault *f, const char *event, unsigned id, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Attributes of a leaf (and its table restrictions) as JSON / one text line. */
json_t *smmu_leaf_attrs_json(const struct smmu_regime *g, uint64_t leaf, int level,
			     unsigned size_bits, uint64_t hier_or, uint64_t hier_and);
void smmu_leaf_attrs_text(const struct smmu_regime *g, uint64_t leaf, int level, unsigned size_bits,
			  uint64_t hier_or, uint64_t hier_and, char *buf, size_t len);

/* Permissions granted by a leaf, for JSON/text and for permits(). */
struct smmu_perms {
	int r[2], w[2], x[2];  /* [0] unprivileged, [1] privileged */
};
void smmu_leaf_perms(const struct smmu_regime *g, uint64_t leaf, uint64_t hier_or,
		     uint64_t hier_and, struct smmu_perms *p);

/* ---- A transaction's path: StreamID, SubstreamID -> STE -> CD -> regime
 * (formats/smmuv3_translate.c) ---- */

enum smmu_root_kind { SMMU_ROOT_STRTAB, SMMU_ROOT_STE, SMMU_ROOT_CD_TABLE };

/* Where resolution starts: the stream table registers, one STE, or a bare
 * CD table (no STE: stage 1 only, S1DSS as if SSID 0 were used). */
struct smmu_root {
	enum smmu_root_kind kind;
	struct smmu_strtab strtab;
	uint64_t ste;
	struct pt_table_cfg cd_cfg;
};

/* Everything the SMMU looked up for one (StreamID, SubstreamID). */
struct smmu_stream {
	uint32_t sid;
	int has_ssid;
	uint32_t ssid;
	int has_ste;
	uint64_t ste_addr;
	uint8_t ste[SMMU_STE_SIZE];
	unsigned config;          /* STE.Config (5 for a bare CD table) */
	int s1_bypass;            /* stage 1 bypassed (Config or S1DSS) */
	int has_cd;
	uint64_t cd_addr;         /* an IPA when nested */
	uint8_t cd[SMMU_CD_SIZE];
	unsigned strw;
	int has_s2;
	struct smmu_regime s2;
	/* The CD fetch through stage 2 (nested), for the walk listing. */
	struct pt_ptw_result cd_walk;
	struct smmu_fault fault;  /* resolution ended the transaction */
};

/* Resolve a stream. The result is never copied (its regimes point at
 * themselves). Returns 0 when translation can start, -1 when s->fault says
 * why not (an event, or the dump ending). */
int smmu_stream_resolve(struct pt_source *src, struct smmu_caps *caps,
			const struct smmu_root *root, uint32_t sid, int has_ssid, uint32_t ssid,
			struct smmu_stream *s);

/* The rules' verdict on entry idx of the table `cfg` (a CD with its STE
 * context in cfg->vendor[0], or an STE): the first error whose effect names
 * `event` ("C_BAD_CD", "C_BAD_STE"), with its message in why, or NULL when
 * the SMMU accepts the entry. */
const struct pt_rule *smmu_entry_illegal(const struct smmu_caps *caps,
					 const struct pt_table_cfg *cfg, uint32_t idx, uint64_t addr,
					 const uint8_t *raw, const char *event, char *why, size_t len);

struct smmu_xlate {
	uint64_t iova;
	int ok;
	uint64_t pa;
	const char *path;         /* "s1", "s2", "nested", "bypass" */
	struct smmu_regime s1;
	int has_s1;
	struct pt_ptw_result walk;
	struct smmu_fault fault;
};

/* Whether and how the SMMU records a translation-class fault of stream s
 * (IHI 0070 §5.5); other events are always recorded. */
void smmu_fault_recording(const struct smmu_stream *s, struct smmu_fault *f);

/* Translate one IOVA of a resolved stream; acc NULL: report permissions,
 * fault only on translation. Returns x->ok. */
int smmu_translate(struct pt_source *src, const struct smmu_caps *caps, struct smmu_stream *s,
		   uint64_t iova, const struct pt_ptw_access *acc, struct smmu_xlate *x);

#endif

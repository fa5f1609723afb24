/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SMMUv3 event records (IHI 0070 G.b §7.3) as field tables, one per event
 * id, all 32 bytes accounted for. Positions follow the spec text, Linux
 * (EVTQ_*) and QEMU (EVT_SET_*), which agree; where only a figure gives a
 * field, its doc says so, and bits no source places are a plain number
 * named "info" rather than RES0. */
#include <strings.h>

#include "field_bits.h"
#include "smmuv3_queue.h"

static const char *const class_names[] = { "cd", "tt", "in", "reserved" };

#define EVID BID("id", "EventID", 7, 0, "event id")
#define SSV BB("ssv", "SSV", 11, "SubstreamID valid")
#define SSID BH("ssid", "SubstreamID", 31, 12, "SubstreamID (UNKNOWN when SSV=0)")
#define SID BID("sid", "StreamID", 63, 32, "StreamID")
#define HEAD EVID, BR(10, 8), SSV, SSID, SID
#define REASON BH("reason", "Reason", 79, 64, "IMPLEMENTATION DEFINED reason")
#define PNU BB("pnu", "PnU", 97, "privileged transaction")
#define IND BB("ind", "InD", 98, "instruction fetch")
#define RNW BB("rnw", "RnW", 99, "read (0: write)")
#define S2 BB("s2", "S2", 103, "fault in stage 2 (0: stage 1)")
#define CLASS BE("class", "CLASS", 105, 104, class_names, \
		 "what was being translated: CD fetch, table walk, input address")
#define INPUT BA("address", "InputAddr", 191, 128, "input address of the transaction")
#define IPA BA("ipa", "IPA", 247, 204, "intermediate physical address (stage-2 faults)")
#define FETCH BA("fetch_addr", "FetchAddr", 247, 195, "physical address of the fetch")

static const struct pt_field f_sid[] = { HEAD, BR(127, 64), BR(191, 128), BR(255, 192) };

static const struct pt_field f_sid_only[] = {
	EVID, BR(31, 8), SID, BR(127, 64), BR(191, 128), BR(255, 192),
};

static const struct pt_field f_bad_ssid[] = {
	EVID, BR(11, 8), BID("ssid", "SubstreamID", 31, 12, "SubstreamID (always valid)"), SID,
	BR(127, 64), BR(191, 128), BR(255, 192),
};

static const struct pt_field f_uut[] = {
	HEAD, REASON, BR(96, 80), PNU, IND, RNW, BR(127, 100), INPUT, BR(255, 192),
};

static const struct pt_field f_fetch[] = {
	HEAD, REASON, BB("gpcf", "GPCF", 80, "granule protection check fault"), BR(127, 81),
	BR(191, 128), BR(194, 192), FETCH, BR(255, 248),
};

static const struct pt_field f_bad_ats[] = {
	HEAD, BH("info_127_64", "Info[127:64]", 127, 64, "R/W/X/PRIV and Span (positions not "
						 "confirmed by code)"),
	INPUT, BH("info_255_192", "Info[255:192]", 255, 192, "not decoded"),
};

static const struct pt_field f_forbidden[] = {
	HEAD, BR(98, 64), RNW, BR(127, 100), INPUT, BR(255, 192),
};

static const struct pt_field f_walk_eabt[] = {
	HEAD, REASON, BR(96, 80), PNU, IND, RNW, BR(102, 100), S2, CLASS, BR(127, 106), INPUT,
	BR(194, 192), FETCH, BR(255, 248),
};

#define TRANS_D1 \
	BID("stag", "STAG", 79, 64, "stall tag (with Stall=1): answer with CMD_RESUME"), \
	BR(94, 80), BB("stall", "Stall", 95, "the transaction is stalled"), BR(96, 96), PNU, \
	IND, RNW, BR(101, 100), BB("nsipa", "NSIPA", 102, "IPA is Non-secure (from the Arm " \
						"gem5 model)"), S2, CLASS

static const struct pt_field f_translation[] = {
	HEAD, TRANS_D1, BR(127, 106), INPUT, BR(203, 192), IPA, BR(255, 248),
};

static const struct pt_field f_permission[] = {
	HEAD, TRANS_D1, BR(107, 106),
	BB("ttrnw", "TTRnW", 108, "CLASS=TT: the walk read (0: an HTTU write)"), BR(127, 109),
	INPUT, BR(203, 192), IPA, BR(255, 248),
};

static const struct pt_field f_tlb_conflict[] = {
	HEAD, REASON, BR(96, 80), PNU, IND, RNW, BR(102, 100), S2, BR(127, 104), INPUT,
	BR(203, 192), IPA, BR(255, 248),
};

static const struct pt_field f_cfg_conflict[] = {
	HEAD, BH("reason", "Reason", 95, 64, "IMPLEMENTATION DEFINED reason (width from a figure)"),
	BR(127, 96), BR(191, 128), BR(255, 192),
};

static const struct pt_field f_page_request[] = {
	HEAD, BR(96, 64), BB("ux", "uX", 97, "unprivileged execute"),
	BB("uw", "uW", 98, "unprivileged write"), BB("ur", "uR", 99, "unprivileged read"),
	BR(100, 100), BB("px", "pX", 101, "privileged execute"),
	BB("pw", "pW", 102, "privileged write"), BB("pr", "pR", 103, "privileged read"),
	BR(107, 104), BZ("span", "Span", 115, 108, "pages requested (Span * 4 KiB)"),
	BR(127, 116), BR(139, 128), BA("address", "InputAddr", 191, 140, "page address"),
	BR(255, 192),
};

static const struct pt_field f_raw[] = {
	EVID, BH("info_63_8", "Info[63:8]", 63, 8, "not decoded"),
	BH("info_127_64", "Info[127:64]", 127, 64, "not decoded"),
	BH("info_191_128", "Info[191:128]", 191, 128, "not decoded"),
	BH("info_255_192", "Info[255:192]", 255, 192, "not decoded"),
};

#define EVT(var, name, label, fields, doc)                                               \
	static const struct pt_struct var = { "smmuv3-evt-" name, label, SMMU_EVT_SIZE, fields, \
					      NFIELDS(fields), doc, PT_SF_COMPACT }

EVT(e_uut, "f-uut", "F_UUT", f_uut, "unsupported upstream transaction, IHI 0070 §7.3.2");
EVT(e_bad_streamid, "c-bad-streamid", "C_BAD_STREAMID", f_sid,
    "StreamID beyond the stream table (or its L1STD span), §7.3.3");
EVT(e_ste_fetch, "f-ste-fetch", "F_STE_FETCH", f_fetch, "abort fetching an STE, §7.3.4");
EVT(e_bad_ste, "c-bad-ste", "C_BAD_STE", f_sid, "STE invalid or illegal, §7.3.5");
EVT(e_bad_ats_treq, "f-bad-ats-treq", "F_BAD_ATS_TREQ", f_bad_ats,
    "ATS translation request not allowed, §7.3.6");
EVT(e_stream_disabled, "f-stream-disabled", "F_STREAM_DISABLED", f_sid_only,
    "SubstreamID use the STE does not allow, §7.3.7");
EVT(e_transl_forbidden, "f-transl-forbidden", "F_TRANSL_FORBIDDEN", f_forbidden,
    "ATS-translated transaction where bypass is forbidden, §7.3.8");
EVT(e_bad_substreamid, "c-bad-substreamid", "C_BAD_SUBSTREAMID", f_bad_ssid,
    "SubstreamID beyond the CD table (S1CDMax, L1CD), §7.3.9");
EVT(e_cd_fetch, "f-cd-fetch", "F_CD_FETCH", f_fetch, "abort fetching a CD, §7.3.10");
EVT(e_bad_cd, "c-bad-cd", "C_BAD_CD", f_sid, "CD invalid or illegal, §7.3.11");
EVT(e_walk_eabt, "f-walk-eabt", "F_WALK_EABT", f_walk_eabt,
    "external abort on a translation table walk, §7.3.12");
EVT(e_translation, "f-translation", "F_TRANSLATION", f_translation,
    "translation fault: no valid mapping, §7.3.13");
EVT(e_addr_size, "f-addr-size", "F_ADDR_SIZE", f_translation,
    "address size fault, §7.3.14");
EVT(e_access, "f-access", "F_ACCESS", f_translation, "access flag fault, §7.3.15");
EVT(e_permission, "f-permission", "F_PERMISSION", f_permission,
    "permission fault, §7.3.16");
EVT(e_tlb_conflict, "f-tlb-conflict", "F_TLB_CONFLICT", f_tlb_conflict,
    "TLB conflict, §7.3.17");
EVT(e_cfg_conflict, "f-cfg-conflict", "F_CFG_CONFLICT", f_cfg_conflict,
    "configuration cache conflict, §7.3.18");
EVT(e_page_request, "e-page-request", "E_PAGE_REQUEST", f_page_request,
    "speculative page request hint, §7.3.19");
EVT(e_vms_fetch, "f-vms-fetch", "F_VMS_FETCH", f_fetch, "abort fetching a VMS, §7.3.20");
EVT(e_impdef, "impdef", "IMPDEF_EVENT", f_raw,
    "IMPLEMENTATION DEFINED events 0xe0-0xef, §7.3.21");
EVT(e_reserved, "reserved", "EVT_RESERVED", f_raw, "a Reserved event id, §7.3");

static const struct pt_family_member evt_members[] = {
	{ 0x01, 0x01, &e_uut }, { 0x02, 0x02, &e_bad_streamid }, { 0x03, 0x03, &e_ste_fetch },
	{ 0x04, 0x04, &e_bad_ste }, { 0x05, 0x05, &e_bad_ats_treq },
	{ 0x06, 0x06, &e_stream_disabled }, { 0x07, 0x07, &e_transl_forbidden },
	{ 0x08, 0x08, &e_bad_substreamid }, { 0x09, 0x09, &e_cd_fetch },
	{ 0x0a, 0x0a, &e_bad_cd }, { 0x0b, 0x0b, &e_walk_eabt },
	{ 0x10, 0x10, &e_translation }, { 0x11, 0x11, &e_addr_size },
	{ 0x12, 0x12, &e_access }, { 0x13, 0x13, &e_permission },
	{ 0x20, 0x20, &e_tlb_conflict }, { 0x21, 0x21, &e_cfg_conflict },
	{ 0x24, 0x24, &e_page_request }, { 0x25, 0x25, &e_vms_fetch },
	{ 0xe0, 0xef, &e_impdef },
};

const struct pt_family smmu_evt_family = {
	"smmuv3-evt", "SMMUv3 event record", SMMU_EVT_SIZE, &f_raw[0], evt_members,
	NFIELDS(evt_members), &e_reserved,
};

const struct pt_struct *smmu_evt_struct(unsigned id)
{
	return pt_family_member_struct(&smmu_evt_family, id);
}

const char *smmu_evt_name(unsigned id)
{
	const struct pt_struct *st = smmu_evt_struct(id);
	return st ? st->label : NULL;
}

int smmu_evt_parse_name(const char *name, unsigned *id)
{
	if (strncasecmp(name, "EVT_", 4) == 0)
		name += 4;
	for (size_t i = 0; i < NFIELDS(evt_members); i++)
		if (evt_members[i].lo == evt_members[i].hi &&
		    strcasecmp(evt_members[i].st->label, name) == 0) {
			*id = evt_members[i].lo;
			return 0;
		}
	return -1;
}

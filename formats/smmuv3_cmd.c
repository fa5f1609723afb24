/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SMMUv3 commands (IHI 0070 G.b chapter 4) as field tables, one per opcode,
 * every bit of the 16-byte command accounted for: operands where the spec
 * (or Linux/QEMU, which agree with it) places them, RES0 elsewhere, since an
 * SMMU may raise CERROR_ILL for non-zero RES0 bits (§4.1.5). Where only a
 * figure gives a position that no code confirms, the bits are a plain
 * number named "operands" rather than RES0 or a guessed field. */
#include <string.h>

#include "field_bits.h"
#include "smmuv3_queue.h"

static const char *const cs_names[] = { "none", "sig_irq", "sig_sev", "reserved" };
static const char *const sh_names[] = { "nsh", "reserved", "osh", "ish" };
static const char *const tg_names[] = { "any", "4k", "16k", "64k" };
static const char *const ttl_names[] = { "any", "level1", "level2", "level3" };
static const char *const resp_names[] = { "failure", "invalid", "success", "reserved" };

/* Operands shared by many commands (IHI 0070 G.b §4.1.6, Linux CMDQ_*). */
#define OPCODE BID("opcode", "Opcode", 7, 0, "command opcode")
#define SSEC BB("ssec", "SSec", 10, "StreamID is Secure (CERROR_ILL on the Non-secure queue)")
#define SSV BB("ssv", "SSV", 11, "SubstreamID valid")
#define SSID BH("ssid", "SubstreamID", 31, 12, "SubstreamID (PASID)")
#define SID BID("sid", "StreamID", 63, 32, "StreamID")
#define VMID BID("vmid", "VMID", 47, 32, "virtual machine id")
#define ASID BID("asid", "ASID", 63, 48, "address space id")
#define LEAF BB("leaf", "Leaf", 64, "only leaf entries (last-level descriptors / STE, CD)")
/* Range invalidation (§4.4.1.1, needs IDR3.RIL): NUM, SCALE, TTL, TG. */
#define NUM BU("num", "NUM", 16, 12, "range: (NUM+1) * 2^SCALE granules")
#define SCALE BU("scale", "SCALE", 25, 20, "range scale (bit 25 only with IDR5.DS)")
#define TTL128 BB("ttl128", "TTL128", 71, "TTL names a VMSAv9-128 level")
#define TTL BE("ttl", "TTL", 73, 72, ttl_names, "level of the leaf entries, 0 = any")
#define TG BE("tg", "TG", 75, 74, tg_names, "range granule, 0 = no range")
#define VA BA("address", "Address", 127, 76, "virtual address")
#define RANGE_D1 LEAF, BR(70, 65), TTL128, TTL, TG

static const struct pt_field f_plain[] = { OPCODE, BR(63, 8), BR(127, 64) };

static const struct pt_field f_prefetch_config[] = {
	OPCODE, BR(9, 8), SSEC, SSV, SSID, SID, BR(127, 64),
};

static const struct pt_field f_prefetch_addr[] = {
	OPCODE, BR(9, 8), SSEC, SSV, SSID, SID,
	BU("size", "Size", 68, 64, "prefetch 2^Size strides"),
	BH("operands_75_69", "Operands[75:69]", 75, 69,
	   "Stride and NS (positions not confirmed by code)"),
	VA,
};

static const struct pt_field f_cfgi_ste[] = {
	OPCODE, BR(9, 8), SSEC, BR(31, 11), SID, LEAF, BR(127, 65),
};

static const struct pt_field f_cfgi_ste_range[] = {
	OPCODE, BR(9, 8), SSEC, BR(31, 11), SID,
	BZ("range", "Range", 68, 64, "2^(Range+1) StreamIDs from SID; 31 = all (CMD_CFGI_ALL)"),
	BR(127, 69),
};

static const struct pt_field f_cfgi_cd[] = {
	OPCODE, BR(9, 8), SSEC, BR(11, 11),
	BID("ssid", "SubstreamID", 31, 12, "SubstreamID: index of the CD"), SID, LEAF,
	BR(127, 65),
};

static const struct pt_field f_sid[] = { OPCODE, BR(9, 8), SSEC, BR(31, 11), SID, BR(127, 64) };

static const struct pt_field f_vms_pidm[] = {
	OPCODE, BR(9, 8), SSEC, BR(31, 11),
	BID("vmid", "VMID", 47, 32, "virtual machine id (position from the common layout)"),
	BR(63, 48), BR(127, 64),
};

static const struct pt_field f_tlbi_vmid[] = { OPCODE, BR(31, 8), VMID, BR(63, 48), BR(127, 64) };
static const struct pt_field f_tlbi_asid[] = { OPCODE, BR(31, 8), VMID, ASID, BR(127, 64) };
static const struct pt_field f_tlbi_el2_asid[] = { OPCODE, BR(47, 8), ASID, BR(127, 64) };

static const struct pt_field f_tlbi_va[] = {
	OPCODE, BR(11, 8), NUM, BR(19, 17), SCALE, BR(31, 26), VMID, ASID, RANGE_D1, VA,
};
static const struct pt_field f_tlbi_vaa[] = {
	OPCODE, BR(11, 8), NUM, BR(19, 17), SCALE, BR(31, 26), VMID, BR(63, 48), RANGE_D1, VA,
};
static const struct pt_field f_tlbi_el2_va[] = {
	OPCODE, BR(11, 8), NUM, BR(19, 17), SCALE, BR(47, 26), ASID, RANGE_D1, VA,
};
static const struct pt_field f_tlbi_el2_vaa[] = {
	OPCODE, BR(11, 8), NUM, BR(19, 17), SCALE, BR(63, 26), RANGE_D1, VA,
};
static const struct pt_field f_tlbi_s2_ipa[] = {
	OPCODE, BR(11, 8), NUM, BR(19, 17), SCALE, BR(31, 26), VMID, BR(63, 48), RANGE_D1,
	BA("address", "IPA", 119, 76, "intermediate physical address"), BR(127, 120),
};

static const struct pt_field f_atc_inv[] = {
	OPCODE, BR(8, 8), BB("global", "Global", 9, "all SubstreamIDs (with SSV)"), BR(10, 10),
	SSV, SSID, SID, BZ("size", "Size", 69, 64, "span of 4 KiB * 2^Size; 52 = everything"),
	BR(75, 70), VA,
};

static const struct pt_field f_pri_resp[] = {
	OPCODE, BR(10, 8), SSV, SSID, SID,
	BZ("prgindex", "PRGIndex", 72, 64, "page request group answered"), BR(75, 73),
	BE("resp", "Resp", 77, 76, resp_names, "PRI response code (3 is CERROR_ILL)"),
	BR(127, 78),
};

static const struct pt_field f_resume[] = {
	OPCODE, BR(9, 8), SSEC, BR(11, 11), BB("ac", "Ac", 12, "retry the stalled transaction"),
	BB("ab", "Ab", 13, "terminate with an abort (else RAZ/WI)"), BR(31, 14), SID,
	BID("stag", "STAG", 79, 64, "stall tag of the event record"), BR(127, 80),
};

static const struct pt_field f_sync[] = {
	OPCODE, BR(11, 8),
	BEF("cs", "CS", 13, 12, cs_names, "completion signal (3 is CERROR_ILL)",
	    PT_FF_SHOW_ZERO),
	BR(21, 14), BE("msh", "MSH", 23, 22, sh_names, "MSI shareability"),
	BH("msiattr", "MSIAttr", 27, 24, "MSI memory type (STE.MemAttr encoding)"), BR(31, 28),
	BH("msidata", "MSIData", 63, 32, "32-bit MSI payload"), BR(65, 64),
	FBITS("msiaddr", "MSIAddr", 119, 66, PT_FK_ADDR, 2, NULL, 0,
	      "MSI target (0: no MSI); Linux points it at this very command", 0),
	BR(127, 120),
};

/* Layouts the spec gives only in figures no code confirms, IMPLEMENTATION
 * DEFINED commands and Reserved opcodes: opcode and raw operand bits. */
static const struct pt_field f_raw[] = {
	OPCODE, BH("operands_63_8", "Operands[63:8]", 63, 8, "operand bits"),
	BH("operands_127_64", "Operands[127:64]", 127, 64, "operand bits"),
};

#define CMD(var, name, label, fields, doc)                                               \
	static const struct pt_struct var = { "smmuv3-cmd-" name, label, SMMU_CMD_SIZE, fields, \
					      NFIELDS(fields), doc, PT_SF_COMPACT }

CMD(c_prefetch_config, "prefetch-config", "CMD_PREFETCH_CONFIG", f_prefetch_config,
    "prefetch the configuration of a stream, IHI 0070 §4.2.1");
CMD(c_prefetch_addr, "prefetch-addr", "CMD_PREFETCH_ADDR", f_prefetch_addr,
    "prefetch translations of an address range, §4.2.2");
CMD(c_cfgi_ste, "cfgi-ste", "CMD_CFGI_STE", f_cfgi_ste,
    "invalidate the cached STE of one StreamID, §4.3.1");
CMD(c_cfgi_ste_range, "cfgi-ste-range", "CMD_CFGI_STE_RANGE", f_cfgi_ste_range,
    "invalidate STEs of a StreamID range (Range 31: CMD_CFGI_ALL), §4.3.2, §4.3.6");
CMD(c_cfgi_cd, "cfgi-cd", "CMD_CFGI_CD", f_cfgi_cd,
    "invalidate the cached CD of one SubstreamID of a stream, §4.3.3");
CMD(c_cfgi_cd_all, "cfgi-cd-all", "CMD_CFGI_CD_ALL", f_sid,
    "invalidate every cached CD of a stream, §4.3.4");
CMD(c_cfgi_vms_pidm, "cfgi-vms-pidm", "CMD_CFGI_VMS_PIDM", f_vms_pidm,
    "invalidate cached VMS PARTID maps of a VMID, §4.3.5");
CMD(c_tlbi_nh_all, "tlbi-nh-all", "CMD_TLBI_NH_ALL", f_tlbi_vmid,
    "invalidate stage-1 NS-EL1 TLB entries of a VMID, §4.4.2");
CMD(c_tlbi_nh_asid, "tlbi-nh-asid", "CMD_TLBI_NH_ASID", f_tlbi_asid,
    "invalidate stage-1 NS-EL1 TLB entries of an ASID, §4.4.2.2");
CMD(c_tlbi_nh_va, "tlbi-nh-va", "CMD_TLBI_NH_VA", f_tlbi_va,
    "invalidate stage-1 NS-EL1 TLB entries of an address and ASID, §4.4.2.4");
CMD(c_tlbi_nh_vaa, "tlbi-nh-vaa", "CMD_TLBI_NH_VAA", f_tlbi_vaa,
    "invalidate stage-1 NS-EL1 TLB entries of an address, all ASIDs, §4.4.2");
CMD(c_tlbi_el3_all, "tlbi-el3-all", "CMD_TLBI_EL3_ALL", f_plain,
    "invalidate all EL3 TLB entries (Secure queue only), §4.4.2.5");
CMD(c_tlbi_el3_va, "tlbi-el3-va", "CMD_TLBI_EL3_VA", f_tlbi_el2_vaa,
    "invalidate EL3 TLB entries of an address (Secure queue only), §4.4.2.6");
CMD(c_tlbi_el2_all, "tlbi-el2-all", "CMD_TLBI_EL2_ALL", f_plain,
    "invalidate all NS-EL2 TLB entries, §4.4.2.7");
CMD(c_tlbi_el2_asid, "tlbi-el2-asid", "CMD_TLBI_EL2_ASID", f_tlbi_el2_asid,
    "invalidate NS-EL2 TLB entries of an ASID (E2H), §4.4.2");
CMD(c_tlbi_el2_va, "tlbi-el2-va", "CMD_TLBI_EL2_VA", f_tlbi_el2_va,
    "invalidate NS-EL2 TLB entries of an address, §4.4.2.8");
CMD(c_tlbi_el2_vaa, "tlbi-el2-vaa", "CMD_TLBI_EL2_VAA", f_tlbi_el2_vaa,
    "invalidate NS-EL2 TLB entries of an address, all ASIDs, §4.4.2.9");
CMD(c_tlbi_s12_vmall, "tlbi-s12-vmall", "CMD_TLBI_S12_VMALL", f_tlbi_vmid,
    "invalidate stage-1 and stage-2 TLB entries of a VMID, §4.4.3.2");
CMD(c_tlbi_s2_ipa, "tlbi-s2-ipa", "CMD_TLBI_S2_IPA", f_tlbi_s2_ipa,
    "invalidate stage-2 TLB entries of an IPA and VMID, §4.4.3.1");
CMD(c_tlbi_nsnh_all, "tlbi-nsnh-all", "CMD_TLBI_NSNH_ALL", f_plain,
    "invalidate all Non-secure non-Hyp TLB entries, §4.4.4.1");
CMD(c_atc_inv, "atc-inv", "CMD_ATC_INV", f_atc_inv,
    "invalidate a PCIe device's ATC (ATS), §4.5.1");
CMD(c_pri_resp, "pri-resp", "CMD_PRI_RESP", f_pri_resp,
    "answer a PRI page request group, §4.5.2");
CMD(c_resume, "resume", "CMD_RESUME", f_resume,
    "retry or terminate a stalled transaction, §4.7.1");
CMD(c_stall_term, "stall-term", "CMD_STALL_TERM", f_sid,
    "terminate every stalled transaction of a stream, §4.7.2");
CMD(c_sync, "sync", "CMD_SYNC", f_sync,
    "wait for earlier commands to complete, then signal, §4.7.3");
CMD(c_tlbi_s_el2_all, "tlbi-s-el2-all", "CMD_TLBI_S_EL2_ALL", f_plain,
    "Secure EL2: invalidate all (Secure queue only), §4.4.2.11");
CMD(c_tlbi_s_el2_asid, "tlbi-s-el2-asid", "CMD_TLBI_S_EL2_ASID", f_tlbi_el2_asid,
    "Secure EL2: invalidate an ASID (Secure queue only), §4.4.2.12");
CMD(c_tlbi_s_el2_va, "tlbi-s-el2-va", "CMD_TLBI_S_EL2_VA", f_tlbi_el2_va,
    "Secure EL2: invalidate an address (Secure queue only), §4.4.2.13");
CMD(c_tlbi_s_el2_vaa, "tlbi-s-el2-vaa", "CMD_TLBI_S_EL2_VAA", f_tlbi_el2_vaa,
    "Secure EL2: invalidate an address, all ASIDs (Secure queue only), §4.4.2.14");
CMD(c_tlbi_s_s12_vmall, "tlbi-s-s12-vmall", "CMD_TLBI_S_S12_VMALL", f_tlbi_vmid,
    "Secure stage 1+2: invalidate a VMID (Secure queue only), §4.4.3.4");
CMD(c_tlbi_s_s2_ipa, "tlbi-s-s2-ipa", "CMD_TLBI_S_S2_IPA", f_tlbi_s2_ipa,
    "Secure stage 2: invalidate an IPA (Secure queue only; NS bit not decoded), §4.4.3.3");
CMD(c_tlbi_snh_all, "tlbi-snh-all", "CMD_TLBI_SNH_ALL", f_plain,
    "invalidate all Secure non-Hyp TLB entries (Secure queue only), §4.4.4.2");
CMD(c_dpti_all, "dpti-all", "CMD_DPTI_ALL", f_plain,
    "invalidate all cached device permission table entries, §4.6.1");
CMD(c_dpti_pa, "dpti-pa", "CMD_DPTI_PA", f_raw,
    "invalidate DPT entries of a PA (operand positions not decoded), §4.6.2");
CMD(c_impdef, "impdef", "CMD_IMPDEF", f_raw,
    "IMPLEMENTATION DEFINED commands 0x80-0x8f, §4.1.1");
CMD(c_reserved, "reserved", "CMD_RESERVED", f_raw,
    "a Reserved opcode: CERROR_ILL, §4.1.3");

static const struct pt_family_member cmd_members[] = {
	{ 0x01, 0x01, &c_prefetch_config }, { 0x02, 0x02, &c_prefetch_addr },
	{ 0x03, 0x03, &c_cfgi_ste }, { 0x04, 0x04, &c_cfgi_ste_range },
	{ 0x05, 0x05, &c_cfgi_cd }, { 0x06, 0x06, &c_cfgi_cd_all },
	{ 0x07, 0x07, &c_cfgi_vms_pidm }, { 0x10, 0x10, &c_tlbi_nh_all },
	{ 0x11, 0x11, &c_tlbi_nh_asid }, { 0x12, 0x12, &c_tlbi_nh_va },
	{ 0x13, 0x13, &c_tlbi_nh_vaa }, { 0x18, 0x18, &c_tlbi_el3_all },
	{ 0x1a, 0x1a, &c_tlbi_el3_va }, { 0x20, 0x20, &c_tlbi_el2_all },
	{ 0x21, 0x21, &c_tlbi_el2_asid }, { 0x22, 0x22, &c_tlbi_el2_va },
	{ 0x23, 0x23, &c_tlbi_el2_vaa }, { 0x28, 0x28, &c_tlbi_s12_vmall },
	{ 0x2a, 0x2a, &c_tlbi_s2_ipa }, { 0x30, 0x30, &c_tlbi_nsnh_all },
	{ 0x40, 0x40, &c_atc_inv }, { 0x41, 0x41, &c_pri_resp },
	{ 0x44, 0x44, &c_resume }, { 0x45, 0x45, &c_stall_term },
	{ 0x46, 0x46, &c_sync }, { 0x50, 0x50, &c_tlbi_s_el2_all },
	{ 0x51, 0x51, &c_tlbi_s_el2_asid }, { 0x52, 0x52, &c_tlbi_s_el2_va },
	{ 0x53, 0x53, &c_tlbi_s_el2_vaa }, { 0x58, 0x58, &c_tlbi_s_s12_vmall },
	{ 0x5a, 0x5a, &c_tlbi_s_s2_ipa }, { 0x60, 0x60, &c_tlbi_snh_all },
	{ 0x70, 0x70, &c_dpti_all }, { 0x73, 0x73, &c_dpti_pa },
	{ 0x80, 0x8f, &c_impdef },
};

const struct pt_family smmu_cmd_family = {
	"smmuv3-cmd", "SMMUv3 command", SMMU_CMD_SIZE, &f_raw[0], cmd_members,
	NFIELDS(cmd_members), &c_reserved,
};

const struct pt_struct *smmu_cmd_struct(unsigned opcode)
{
	return pt_family_member_struct(&smmu_cmd_family, opcode);
}

const char *smmu_cmd_name(unsigned opcode)
{
	const struct pt_struct *st = smmu_cmd_struct(opcode);
	return st ? st->label : NULL;
}

int smmu_entry_field(const struct pt_struct *st, const uint8_t *raw, const char *name,
		     uint64_t *v)
{
	const struct pt_field *f = pt_struct_field(st, name);
	if (!f)
		return -1;
	*v = pt_field_get(raw, f);
	return 0;
}

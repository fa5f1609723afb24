/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The IOMMUFD-* rules: what the Linux kernel rejects (with the errno and the
 * release the check appeared in, each read in the function named as its
 * source) and what it accepts although the SMMU will fault on it. The checks
 * themselves live beside each record type (iommufd_vste.c, iommufd_cmd.c,
 * iommufd_batch.c, iommufd_hw_info.c, iommufd_vevent.c). */
#include "iommufd.h"

#define IOFD "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-iommufd.c"
#define UAPI "include/uapi/linux/iommufd.h"

const struct pt_rule pt_iommufd_rule_list[R_IOFD_COUNT] = {
	[R_IOFD_TRUNCATED] = { "IOMMUFD-TRUNCATED", PT_SEV_ERROR, NULL,
		"the input ends inside a record (vSTE 16, command 16, hw_info 40, vEVENT header 8 + "
		"record 32 bytes)", "not a record the ioctl could have taken or returned",
		UAPI " struct sizes" },
	[R_IOFD_TOO_MANY] = { "IOMMUFD-TOO-MANY", PT_SEV_ERROR, NULL,
		"more than 1000000 records in one input", "the rest is not read",
		"pasidtool limit" },
	[R_IOFD_VSTE_NOT_VALID] = { "IOMMUFD-VSTE-NOT-VALID", PT_SEV_NOTE, "v",
		"a vSTE with V = 0: accepted and zeroed whatever its other bits",
		"the kernel installs an abort STE, so the guest's traffic raises C_BAD_STE (0x04) "
		"to the vEVENTQ", IOFD " arm_smmu_validate_vste, arm_smmu_make_nested_domain_ste "
		"(v6.13)" },
	[R_IOFD_VSTE_BITS] = { "IOMMUFD-VSTE-BITS", PT_SEV_ERROR, NULL,
		"a valid vSTE sets bits outside STRTAB_STE_0_NESTING_ALLOWED (0xf80fffffffffffff) or "
		"STRTAB_STE_1_NESTING_ALLOWED (0x380000ff)", "IOMMU_HWPT_ALLOC fails with EIO",
		IOFD " arm_smmu_validate_vste (v6.13); arm-smmu-v3.h NESTING_ALLOWED masks" },
	[R_IOFD_VSTE_CONFIG] = { "IOMMUFD-VSTE-CONFIG", PT_SEV_ERROR, "config",
		"a valid vSTE's Config is not abort (0), bypass (4) or stage-1 translate (5)",
		"IOMMU_HWPT_ALLOC fails with EIO", IOFD " arm_smmu_validate_vste (v6.13)" },
	[R_IOFD_VSTE_EATS] = { "IOMMUFD-VSTE-EATS", PT_SEV_ERROR, "eats",
		"a valid vSTE's EATS is 2 (split-stage) or 3: only off (0) and full ATS (1) pass",
		"IOMMU_HWPT_ALLOC fails with EIO", IOFD " arm_smmu_validate_vste (v6.13)" },
	[R_IOFD_VSTE_SMMU] = { "IOMMUFD-VSTE-SMMU", PT_SEV_WARNING, NULL,
		"the kernel accepts the vSTE but the STE rules (run on the guest's STE, Config = "
		"stage 1) find something the SMMU faults on or treats as reserved",
		"the SMMU raises the event the STE rule names for the guest's traffic",
		"IHI 0070 G.b §5.2 via the STE-* rules" },
	[R_IOFD_VSTE_ATS] = { "IOMMUFD-VSTE-ATS", PT_SEV_NOTE, "eats",
		"a vSTE asks for full ATS (EATS = 1)",
		"the kernel strips EATS, enables ATS at attach only for Config = 5, and the guest "
		"must issue CMD_ATC_INV itself", IOFD " arm_smmu_validate_vste, "
		"arm_smmu_attach_dev_nested (v6.13)" },
	[R_IOFD_INVAL_OPCODE] = { "IOMMUFD-INVAL-OPCODE", PT_SEV_ERROR, "opcode",
		"an invalidation command's opcode is not one of the eight the kernel converts "
		"(CFGI_CD, CFGI_CD_ALL, TLBI_NH_ALL, TLBI_NH_ASID, TLBI_NH_VA, TLBI_NH_VAA, "
		"TLBI_NSNH_ALL, ATC_INV)", "IOMMU_HWPT_INVALIDATE fails with EIO; entry_num = "
		"its index", IOFD " arm_vsmmu_convert_user_cmd (v6.13)" },
	[R_IOFD_INVAL_VSID] = { "IOMMUFD-INVAL-VSID", PT_SEV_ERROR, "sid",
		"ATC_INV, CFGI_CD or CFGI_CD_ALL names a vSID no vDEVICE (--vdevice) has",
		"IOMMU_HWPT_INVALIDATE fails with EIO; entry_num = its index",
		IOFD " arm_vsmmu_vsid_to_sid (v6.13)" },
	[R_IOFD_INVAL_VSID_UNCHECKED] = { "IOMMUFD-INVAL-VSID-UNCHECKED", PT_SEV_NOTE, "sid",
		"ATC_INV, CFGI_CD or CFGI_CD_ALL names a vSID and no --vdevice was given",
		"the kernel's verdict depends on the vDEVICEs: not checked",
		IOFD " arm_vsmmu_vsid_to_sid (v6.13)" },
	[R_IOFD_INVAL_BATCH] = { "IOMMUFD-INVAL-BATCH", PT_SEV_NOTE, NULL,
		"an invalidation array holds a command the kernel rejects",
		"commands of the batch being gathered (up to 63) are dropped unissued, later ones "
		"never read; entry_num reports the rejected index",
		IOFD " arm_vsmmu_cache_invalidate (v6.13)" },
	[R_IOFD_INVAL_REWRITE] = { "IOMMUFD-INVAL-REWRITE", PT_SEV_NOTE, NULL,
		"the kernel rewrites a field of the command before issuing it: the VMID of "
		"TLBI_NH_* (the vSMMU's), TLBI_NSNH_ALL into TLBI_NH_ALL, the vSID of "
		"ATC_INV/CFGI_CD* into the physical SID", "what the guest wrote there is not what "
		"the SMMU receives", IOFD " arm_vsmmu_convert_user_cmd (v6.13)" },
	[R_IOFD_INVAL_SMMU] = { "IOMMUFD-INVAL-SMMU", PT_SEV_WARNING, NULL,
		"the kernel forwards the command but the CMDQ rules find something the SMMU "
		"rejects (CERROR_ILL) or treats as reserved",
		"the command queue stops with CERROR_ILL; the kernel reports the batch's error",
		"IHI 0070 G.b §4 via the CMDQ-* rules" },
	[R_IOFD_INVAL_ENTRY_LEN] = { "IOMMUFD-INVAL-ENTRY-LEN", PT_SEV_ERROR, NULL,
		"an entry longer than 16 bytes (--entry-len) has non-zero bytes past the structure",
		"IOMMU_HWPT_INVALIDATE fails with E2BIG while copying the array: no command is "
		"issued, entry_num = 0", "include/linux/iommu.h "
		"iommu_copy_struct_from_full_user_array, copy_struct_from_user (v6.13)" },
	[R_IOFD_HWI_FLAGS] = { "IOMMUFD-HWINFO-FLAGS", PT_SEV_WARNING, "flags",
		"hw_info flags are not 0 (the kdoc: must be set to 0)",
		"a newer kernel's meaning this tool does not know", UAPI " iommu_hw_info_arm_smmuv3" },
	[R_IOFD_HWI_RESERVED] = { "IOMMUFD-HWINFO-RESERVED", PT_SEV_WARNING, "reserved",
		"hw_info's word after flags (__reserved; impl in Tegra241 kernels) is not 0",
		"an implementation-specific value this tool does not decode",
		UAPI " iommu_hw_info_arm_smmuv3" },
	[R_IOFD_HWI_UNUSED] = { "IOMMUFD-HWINFO-UNLISTED", PT_SEV_NOTE, NULL,
		"IDR bits are set outside the fields the kdoc lists as meaningful (IDR0 ST_LEVEL, "
		"TERM_MODEL, STALL_MODEL, TTENDIAN, CD2L, ASID16, TTF; IDR1 SIDSIZE, SSIDSIZE; "
		"IDR3 BBML, RIL; IDR5 VAX, GRAN*)", "raw capability, not kernel support: not for "
		"the guest's IDRs",
		UAPI " iommu_hw_info_arm_smmuv3 kdoc (v6.13)" },
	[R_IOFD_HWI_NESTING] = { "IOMMUFD-HWINFO-NESTING", PT_SEV_WARNING, NULL,
		"the IDRs lack what nesting needs: stage 1 and stage 2 (IDR0.S1P and S2P)",
		"IOMMU_VIOMMU_ALLOC fails: the driver sets no ARM_SMMU_FEAT_NESTING without both "
		"stages", IOFD " arm_smmu_get_viommu_size; arm-smmu-v3.c arm_smmu_device_hw_probe" },
	[R_IOFD_VEVENT_ID] = { "IOMMUFD-VEVENT-ID", PT_SEV_ERROR, "id",
		"a vEVENT's event id is not one the kernel forwards (C_BAD_STE, F_STREAM_DISABLED, "
		"C_BAD_SUBSTREAMID, C_BAD_CD, F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, F_PERMISSION)",
		"this kernel never delivers such a record (arm_smmu_handle_event: EOPNOTSUPP)",
		UAPI " iommu_vevent_arm_smmuv3; arm-smmu-v3.c arm_smmu_handle_event (v6.15)" },
	[R_IOFD_VEVENT_S2] = { "IOMMUFD-VEVENT-S2", PT_SEV_ERROR, "s2",
		"a vEVENT record has S2 = 1 (a stage-2 fault)",
		"stage-2 faults belong to the host and are never forwarded",
		"arm-smmu-v3.c arm_smmu_handle_event (v6.15)" },
	[R_IOFD_VEVENT_STALL] = { "IOMMUFD-VEVENT-STALL", PT_SEV_ERROR, "stall",
		"a vEVENT record has STALL = 1", "stalled faults go to the IOPF fault queue, "
		"not the vEVENTQ", "arm-smmu-v3.c arm_smmu_handle_event (v6.15)" },
	[R_IOFD_VEVENT_FLAGS] = { "IOMMUFD-VEVENT-FLAGS", PT_SEV_ERROR, "flags_reserved",
		"a vEVENT header has flag bits other than LOST_EVENTS (bit 0)",
		"not a header this uAPI defines", UAPI " iommufd_vevent_header (v6.15)" },
	[R_IOFD_VEVENT_LOST] = { "IOMMUFD-VEVENT-LOST", PT_SEV_WARNING, "lost_events",
		"a LOST_EVENTS header: the vEVENTQ was full and events were dropped; its sequence "
		"is the last dropped event's", "the guest misses those events",
		UAPI " iommufd_vevent_header; iommufd driver.c iommufd_viommu_report_event (v6.15)" },
	[R_IOFD_VEVENT_GAP] = { "IOMMUFD-VEVENT-GAP", PT_SEV_WARNING, "sequence",
		"two adjacent vEVENT headers' sequence numbers differ by more than 1 (modulo 2^31)",
		"delta - 1 events were lost to an overflow", UAPI " iommufd_vevent_header (v6.15)" },
	[R_IOFD_VEVENT_SEQ] = { "IOMMUFD-VEVENT-SEQ", PT_SEV_ERROR, "sequence",
		"a vEVENT header's sequence has bit 31 set (the kernel counts 0..INT_MAX)",
		"not a sequence this kernel writes", UAPI " iommufd_vevent_header (v6.15)" },
	[R_IOFD_VEVENT_VSID] = { "IOMMUFD-VEVENT-VSID", PT_SEV_WARNING, "sid",
		"a vEVENT's StreamID is no --vdevice's vSID (the kernel writes the vDEVICE's "
		"virt_id there)", "the record came from another vIOMMU or the --vdevice list is "
		"incomplete", IOFD " arm_vmaster_report_event (v6.15)" },
};

const struct pt_rule_set pt_iommufd_rules = { "iommufd", pt_iommufd_rule_list, R_IOFD_COUNT };

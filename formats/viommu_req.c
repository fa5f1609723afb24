/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Field tables of every virtio-iommu request, PROBE property and variant
 * (shared/spec/virtio-iommu.md §1.7, §2–§5). Offsets are the byte offsets
 * of the drafts; AT() turns byte o, bit b into the word/lsb the core wants.
 * Every table covers its structure byte for byte (reserved runs included),
 * which tests/unit/test_viommu.c checks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emit.h"
#include "enum_names.h"
#include "smmuv3.h"
#include "viommu.h"

#define AT(o, b) .word = (uint16_t)((8 * (o) + (b)) / 64), .lsb = (uint8_t)((8 * (o) + (b)) % 64)
#define NAMES(a) .enums = (a), .nenums = (uint8_t)(sizeof(a) / sizeof((a)[0]))
#define RSV(o, n)                                                                      \
	{ .name = "reserved_" #o, .label = "reserved[" #o "]", AT(o, 0), .width = 8 * (n), \
	  .kind = PT_FK_RES0, .doc = #n " reserved bytes at offset " #o ", zero" }
#define U(nm, lb, o, b, w, d) \
	{ .name = nm, .label = lb, AT(o, b), .width = w, .kind = PT_FK_UINT, .doc = d }
#define B(nm, lb, o, b, d) \
	{ .name = nm, .label = lb, AT(o, b), .width = 1, .kind = PT_FK_BOOL, .doc = d }
#define E(nm, lb, o, b, w, names, d) \
	{ .name = nm, .label = lb, AT(o, b), .width = w, .kind = PT_FK_ENUM, NAMES(names), .doc = d }
#define A(nm, lb, o, b, w, sh, d) \
	{ .name = nm, .label = lb, AT(o, b), .width = w, .kind = PT_FK_ADDR, .shift = sh, .doc = d }
#define Z(nm, lb, o, b, w, d) \
	{ .name = nm, .label = lb, AT(o, b), .width = w, .kind = PT_FK_RES0, .doc = d }
#define STRUCT(var, nm, lb, sz, d) \
	static const struct pt_struct var = { .name = nm, .label = lb, .size = sz, .fields = var##_f, \
		.nfields = sizeof(var##_f) / sizeof(var##_f[0]), .doc = d }

static const char *const type_names[] = {
	NULL, "attach", "detach", "map", "unmap", "probe", "attach_table", "invalidate", "page_resp",
};
/* NOMEM (8) is absent from V07/V09D; the variant's max_status says so. */
static const char *const status_names[] = {
	"ok", "ioerr", "unsupp", "deverr", "inval", "range", "noent", "fault", "nomem",
};
static const char *const s1fmt_names[] = { "linear", "2lvl-4k", "2lvl-64k" };
static const char *const s1dss_names[] = { "terminate", "bypass", "ssid0" };
static const char *const fmt_rfc1[] = { NULL, "arm_lpae", "arm_smmuv3" };
static const char *const fmt_intel[] = { NULL, "arm_lpae", "arm_smmuv3", "virt", "vtd" };
static const char *const fmt_qcom[] = { NULL, "arm_smmuv3", "intel_pt", NULL, "riscv", "amd_gcr3",
					"amd_pt" };
static const char *const fmt_v07_pst[] = { NULL, "arm_smmuv3" };
static const char *const fmt_v07_pgt[] = { NULL, "arm_lpae" };
static const char *const v07_table_names[] = { NULL, "pst", "pgt" };
static const char *const ste_config_names[] = { "abort", NULL, NULL, NULL, "bypass", "s1_trans",
						"s2_trans", "nested" };
static const char *const resv_old[] = { "reserved", "msi", "identity" };
static const char *const resv_oasis[] = { "reserved", "msi" };
static const char *const qcom_scope_names[] = { NULL, "domain", "pasid", "address" };
static const char *const resp_code_names[] = { "success", "invalid", "failure" };

#define HEAD \
	E("type", "type", 0, 0, 8, type_names, "request type"), \
	Z("head_reserved", "head.reserved", 1, 0, 24, "driver should write 0, device ignores")
#define TAIL(o) \
	E("status", "status", o, 0, 8, status_names, "written by the device"), \
	Z("tail_reserved", "tail.reserved", o + 1, 0, 24, "device should write 0")
#define DOMAIN(o) U("domain", "domain", o, 0, 32, "domain id")
#define ENDPOINT(o) U("endpoint", "endpoint", o, 0, 32, "endpoint id")

/* ---- Base requests (OASIS, and the pre-OASIS layouts of V07/V09D) ---- */

static const struct pt_field attach_oasis_f[] = {
	HEAD, DOMAIN(4), ENDPOINT(8),
	B("bypass", "ATTACH_F_BYPASS", 12, 0, "bypass the domain's translation"),
	Z("flags_reserved", "flags[31:1]", 12, 1, 31, "unknown flags, must be 0"),
	RSV(16, 4), TAIL(20),
};
STRUCT(attach_oasis, "viommu-attach", "virtio-iommu ATTACH (OASIS)", 24, "OASIS §ATTACH");

static const struct pt_field attach_intel_f[] = {
	HEAD, DOMAIN(4), ENDPOINT(8),
	B("bypass", "ATTACH_F_BYPASS", 12, 0, "bypass the domain's translation"),
	B("posted", "ATTACH_F_POSTED", 12, 1, "INTEL QEMU posted-map extension"),
	Z("flags_reserved", "flags[31:2]", 12, 2, 30, "unknown flags, must be 0"),
	RSV(16, 4), TAIL(20),
};
STRUCT(attach_intel, "viommu-attach-intel", "virtio-iommu ATTACH (INTEL)", 24,
       "OASIS layout plus ATTACH_F_POSTED");

static const struct pt_field attach_v09d_f[] = { HEAD, DOMAIN(4), ENDPOINT(8), RSV(12, 8), TAIL(20) };
STRUCT(attach_v09d, "viommu-attach-v09d", "virtio-iommu ATTACH (V09D)", 24, "reserved[8], no flags");

static const struct pt_field attach_v07_f[] = { HEAD, DOMAIN(4), ENDPOINT(8), RSV(12, 4), TAIL(16) };
STRUCT(attach_v07, "viommu-attach-v07", "virtio-iommu ATTACH (V07, packed)", 20, "20 bytes");

static const struct pt_field detach_oasis_f[] = { HEAD, DOMAIN(4), ENDPOINT(8), RSV(12, 8), TAIL(20) };
STRUCT(detach_oasis, "viommu-detach", "virtio-iommu DETACH (OASIS)", 24, "OASIS §DETACH");

static const struct pt_field detach_old_f[] = { HEAD, ENDPOINT(4), RSV(8, 4), TAIL(12) };
STRUCT(detach_old, "viommu-detach-old", "virtio-iommu DETACH (V07/V09D)", 16, "no domain");

#define MAP_ADDRS \
	A("virt_start", "virt_start", 8, 0, 64, 0, "first IOVA"), \
	A("virt_end", "virt_end", 16, 0, 64, 0, "last IOVA, inclusive"), \
	A("phys_start", "phys_start", 24, 0, 64, 0, "first physical address")

static const struct pt_field map_oasis_f[] = {
	HEAD, DOMAIN(4), MAP_ADDRS,
	B("read", "MAP_F_READ", 32, 0, "readable"),
	B("write", "MAP_F_WRITE", 32, 1, "writable"),
	B("mmio", "MAP_F_MMIO", 32, 2, "device memory"),
	Z("flags_reserved", "flags[31:3]", 32, 3, 29, "unknown flags"),
	TAIL(36),
};
STRUCT(map_oasis, "viommu-map", "virtio-iommu MAP (OASIS)", 40, "OASIS §MAP");

static const struct pt_field map_old_f[] = {
	HEAD, DOMAIN(4), MAP_ADDRS,
	B("read", "MAP_F_READ", 32, 0, "readable"),
	B("write", "MAP_F_WRITE", 32, 1, "writable"),
	B("exec", "MAP_F_EXEC", 32, 2, "executable (pre-OASIS)"),
	B("mmio", "MAP_F_MMIO", 32, 3, "device memory (pre-OASIS bit)"),
	Z("flags_reserved", "flags[31:4]", 32, 4, 28, "unknown flags"),
	TAIL(36),
};
STRUCT(map_old, "viommu-map-old", "virtio-iommu MAP (V07/V09D)", 40, "EXEC bit 2, MMIO bit 3");

static const struct pt_field unmap_f[] = {
	HEAD, DOMAIN(4),
	A("virt_start", "virt_start", 8, 0, 64, 0, "first IOVA"),
	A("virt_end", "virt_end", 16, 0, 64, 0, "last IOVA, inclusive"),
	RSV(24, 4), TAIL(28),
};
STRUCT(unmap, "viommu-unmap", "virtio-iommu UNMAP", 32, "same in every variant");

static const struct pt_field probe_f[] = {
	HEAD, ENDPOINT(4),
	RSV(8, 8), RSV(16, 8), RSV(24, 8), RSV(32, 8), RSV(40, 8), RSV(48, 8), RSV(56, 8), RSV(64, 8),
};
STRUCT(probe, "viommu-probe", "virtio-iommu PROBE (device-readable part)", 72,
       "followed by properties[probe_size] and the tail");

static const struct pt_field tail_f[] = { TAIL(0) };
STRUCT(tail, "viommu-tail", "virtio-iommu request tail", 4, "last 4 bytes of every request");

static const struct pt_field page_resp_f[] = {
	HEAD, DOMAIN(4), ENDPOINT(8),
	B("f_pasid_valid", "PAGE_RESP_F_PASID_VALID", 12, 0, "pasid is valid"),
	Z("flags_reserved", "flags[31:1]", 12, 1, 31, "unknown flags"),
	U("pasid", "pasid", 16, 0, 32, "PASID of the page request"),
	U("grpid", "grpid", 20, 0, 32, "page request group index"),
	E("resp_code", "resp_code", 24, 0, 16, resp_code_names, "0 success, 1 invalid, 2 failure"),
	U("pasid_valid", "pasid_valid", 26, 0, 8, "duplicate of the flag (dropped in review)"),
	RSV(27, 5), RSV(32, 4), TAIL(36),
};
STRUCT(page_resp, "viommu-page-resp", "virtio-iommu PAGE_RESP (FLT21)", 40, "2021-04 RFC 10/11");

/* ---- ATTACH_TABLE, RFC1 = V09D frame (80 bytes) ---- */

#define FMT16(names) E("format", "format", 12, 0, 16, names, "table format code")

static const struct pt_field at_generic_f[] = {
	HEAD, DOMAIN(4), ENDPOINT(8), FMT16(fmt_rfc1),
	RSV(14, 2), RSV(16, 8), RSV(24, 8), RSV(32, 8), RSV(40, 8), RSV(48, 8), RSV(56, 8), RSV(64, 8),
	RSV(72, 4), TAIL(76),
};
STRUCT(at_generic, "viommu-attach-table", "virtio-iommu ATTACH_TABLE frame (RFC1/V09D)", 80,
       "format-specific bytes 14..75");

#define PST_FIELDS(o_fmt, o_ptr, o_max) \
	E("s1fmt", "S1Fmt", o_fmt, 0, 8, s1fmt_names, "-> STE.S1Fmt: CD table layout"), \
	E("s1dss", "S1DSS", o_fmt + 1, 0, 8, s1dss_names, "-> STE.S1DSS: traffic without SSID"), \
	A("s1contextptr", "S1ContextPtr", o_ptr, 0, 64, 0, "guest-physical address of the CD/L1CD table"), \
	U("s1cdmax", "S1CDMax", o_max, 0, 32, "log2 of the number of CDs")

static const struct pt_field at_pst_f[] = {
	HEAD, DOMAIN(4), ENDPOINT(8), FMT16(fmt_rfc1), PST_FIELDS(14, 16, 24),
	RSV(28, 4), RSV(32, 8), RSV(40, 8), RSV(48, 8), RSV(56, 8), RSV(64, 8), RSV(72, 4), TAIL(76),
};
STRUCT(at_pst, "viommu-attach-pst-arm", "ATTACH_TABLE Arm SMMUv3 PASID table (RFC1/V09D)", 80,
       "virtio_iommu_req_attach_pst_arm");

static const struct pt_field at_pgt_rfc1_f[] = {
	HEAD, DOMAIN(4), ENDPOINT(8), FMT16(fmt_rfc1),
	U("asid", "asid", 14, 0, 16, "address space id"),
	U("tcr", "TCR", 16, 0, 64, "TCR_EL1-style translation control"),
	A("ttbr", "TTBR", 24, 0, 64, 0, "stage-1 table base (guest-physical)"),
	U("mair", "MAIR", 32, 0, 64, "memory attributes"),
	RSV(40, 8), RSV(48, 8), RSV(56, 8), RSV(64, 8), RSV(72, 4), TAIL(76),
};
STRUCT(at_pgt_rfc1, "viommu-attach-pgt-arm-rfc1", "ATTACH_TABLE Arm LPAE page table (RFC1)", 80,
       "declared 72 bytes, sent as the 80-byte frame");

static const struct pt_field at_pgt_v09d_f[] = {
	HEAD, DOMAIN(4), ENDPOINT(8), FMT16(fmt_rfc1),
	U("asid", "asid", 14, 0, 16, "address space id"),
	U("tcr", "TCR", 16, 0, 64, "TCR_EL1-style translation control"),
	A("ttbr0", "TTBR0", 24, 0, 64, 0, "stage-1 table base for TTB0"),
	A("ttbr1", "TTBR1", 32, 0, 64, 0, "stage-1 table base for TTB1"),
	U("mair", "MAIR", 40, 0, 64, "memory attributes"),
	RSV(48, 8), RSV(56, 8), RSV(64, 8), RSV(72, 4), TAIL(76),
};
STRUCT(at_pgt_v09d, "viommu-attach-pgt-arm-v09d", "ATTACH_TABLE Arm LPAE page table (V09D)", 80,
       "ttbr0, ttbr1 and mair");

/* ---- ATTACH_TABLE, V07 (packed, 84 bytes, union at 16) ---- */

#define V07_FRAME \
	HEAD, DOMAIN(4), ENDPOINT(8), \
	E("table", "ATTACH_F_PST|PGT", 12, 0, 2, v07_table_names, "1 PASID table, 2 page table"), \
	Z("flags_reserved", "flags[31:2]", 12, 2, 30, "unknown flags")

static const struct pt_field at_v07_generic_f[] = {
	V07_FRAME, RSV(16, 8), RSV(24, 8), RSV(32, 8), RSV(40, 8), RSV(48, 8), RSV(56, 8), RSV(64, 8),
	RSV(72, 8), TAIL(80),
};
STRUCT(at_v07_generic, "viommu-attach-table-v07", "ATTACH_TABLE frame (V07)", 84, "64-byte union");

static const struct pt_field at_v07_pst_f[] = {
	V07_FRAME,
	A("base", "base", 16, 0, 64, 0, "guest-physical address of the PASID table"),
	U("size", "size", 24, 0, 32, "table size; assumed log2 like s1cdmax (undocumented)"),
	E("format", "format", 28, 0, 8, fmt_v07_pst, "PSTF_ARM_SV3 = 1"),
	RSV(29, 3),
	E("s1fmt", "S1Fmt", 32, 0, 8, s1fmt_names, "-> STE.S1Fmt"),
	E("s1dss", "S1DSS", 33, 0, 8, s1dss_names, "-> STE.S1DSS"),
	RSV(34, 6), RSV(40, 8), RSV(48, 8), RSV(56, 8), RSV(64, 8), RSV(72, 8), TAIL(80),
};
STRUCT(at_v07_pst, "viommu-attach-pst-arm-v07", "ATTACH_TABLE PASID table (V07)", 84, "pst view");

static const struct pt_field at_v07_pgt_f[] = {
	V07_FRAME,
	A("base", "base", 16, 0, 64, 0, "TTBR0"),
	E("format", "format", 24, 0, 8, fmt_v07_pgt, "PGTF_ARM_LPAE = 1"),
	RSV(25, 3),
	U("tcr", "TCR", 28, 0, 64, "SMMUv2-style TCR (HA 42, HD 43)"),
	A("ttbr1", "TTBR1", 36, 0, 64, 0, "TTBR1"),
	U("mair", "MAIR", 44, 0, 64, "memory attributes"),
	U("asid", "asid", 52, 0, 16, "address space id"),
	RSV(54, 2), RSV(56, 4), RSV(60, 4), RSV(64, 8), RSV(72, 8), TAIL(80),
};
STRUCT(at_v07_pgt, "viommu-attach-pgt-arm-v07", "ATTACH_TABLE page table (V07)", 84, "pgt view");

/* ---- ATTACH_TABLE, INTEL (88 bytes; per-format structs declare 84) ---- */

#define INTEL_FRAME \
	HEAD, DOMAIN(4), ENDPOINT(8), \
	Z("flags", "flags", 12, 0, 32, "no flag values defined"), \
	E("format", "format", 16, 0, 16, fmt_intel, "table format code")

static const struct pt_field at_intel_generic_f[] = {
	INTEL_FRAME, RSV(18, 6), RSV(24, 8), RSV(32, 8), RSV(40, 8), RSV(48, 8), RSV(56, 8), RSV(64, 8),
	RSV(72, 8), RSV(80, 4), TAIL(84),
};
STRUCT(at_intel_generic, "viommu-attach-table-intel", "ATTACH_TABLE frame (INTEL)", 88,
       "format at 16, tail at 84");

static const struct pt_field at_intel_pst_f[] = {
	INTEL_FRAME,
	E("s1fmt", "S1Fmt", 18, 0, 8, s1fmt_names, "-> STE.S1Fmt"),
	E("s1dss", "S1DSS", 19, 0, 8, s1dss_names, "-> STE.S1DSS"),
	U("s1cdmax", "S1CDMax", 20, 0, 32, "log2 of the number of CDs"),
	A("s1contextptr", "S1ContextPtr", 24, 0, 64, 0, "guest-physical address of the CD/L1CD table"),
	RSV(32, 8), RSV(40, 8), RSV(48, 8), RSV(56, 8), RSV(64, 8), RSV(72, 8), RSV(80, 4), TAIL(84),
};
STRUCT(at_intel_pst, "viommu-attach-pst-arm-intel", "ATTACH_TABLE PASID table (INTEL)", 88,
       "s1cdmax before s1contextptr");

static const struct pt_field at_intel_virt_f[] = {
	INTEL_FRAME, RSV(18, 6),
	A("pgd", "pgd", 24, 0, 64, 0, "page table root"),
	RSV(32, 8), RSV(40, 8), RSV(48, 8), RSV(56, 8), RSV(64, 8), RSV(72, 8), RSV(80, 4), TAIL(84),
};
STRUCT(at_intel_virt, "viommu-attach-pgt-virt-intel", "ATTACH_TABLE virt I/O page table (INTEL)",
       88, "format 3");

static const struct pt_field at_intel_vtd_f[] = {
	INTEL_FRAME, RSV(18, 2),
	U("pasid", "pasid", 20, 0, 32, "PASID the table is bound to"),
	A("pgd", "pgd", 24, 0, 64, 0, "first-level table root"),
	U("fl_flags", "fl_flags", 32, 0, 64, "first-level flags"),
	U("addr_width", "addr_width", 40, 0, 32, "address width"),
	RSV(44, 4), RSV(48, 8), RSV(56, 8), RSV(64, 8), RSV(72, 8), RSV(80, 4), TAIL(84),
};
STRUCT(at_intel_vtd, "viommu-attach-pgt-vtd-intel", "ATTACH_TABLE VT-d page table (INTEL)", 88,
       "format 4");

/* ---- ATTACH_TABLE, QCOM (128 bytes, raw STE dwords 0 and 1) ---- */

static const struct pt_field at_qcom_generic_f[] = {
	HEAD, DOMAIN(4), ENDPOINT(8),
	E("format", "format", 12, 0, 8, fmt_qcom, "table format code (u8)"),
	RSV(13, 3), RSV(16, 8), RSV(24, 8), RSV(32, 8), RSV(40, 8), RSV(48, 8), RSV(56, 8), RSV(64, 8),
	RSV(72, 8), RSV(80, 8), RSV(88, 8), RSV(96, 8), RSV(104, 8), RSV(112, 8), RSV(120, 4), TAIL(124),
};
STRUCT(at_qcom_generic, "viommu-attach-table-qcom", "ATTACH_TABLE frame (QCOM)", 128,
       "descriptor bytes 13..123");

static const struct pt_field at_qcom_ste_f[] = {
	HEAD, DOMAIN(4), ENDPOINT(8),
	E("format", "format", 12, 0, 8, fmt_qcom, "ARM_SMMU3 = 1"),
	RSV(13, 3),
	B("v", "STE.V", 16, 0, "STE valid"),
	E("config", "STE.Config", 16, 1, 3, ste_config_names, "STE configuration"),
	E("s1fmt", "STE.S1Fmt", 16, 4, 2, s1fmt_names, "CD table layout"),
	A("s1contextptr", "STE.S1ContextPtr", 16, 6, 50, 6, "CD/L1CD table address, bits 55:6"),
	Z("ste0_res0", "STE[58:56]", 23, 0, 3, "RES0"),
	U("s1cdmax", "STE.S1CDMax", 23, 3, 5, "log2 of the number of CDs"),
	E("s1dss", "STE.S1DSS", 24, 0, 2, s1dss_names, "traffic without SSID"),
	U("s1cir", "STE.S1CIR", 24, 2, 2, "CD fetch inner cacheability"),
	U("s1cor", "STE.S1COR", 24, 4, 2, "CD fetch outer cacheability"),
	U("s1csh", "STE.S1CSH", 24, 6, 2, "CD fetch shareability"),
	U("ste1_mid", "STE[90:72]", 25, 0, 19, "DW1 bits 26:8 (MEV, S1PIE, ...): outside the nesting mask"),
	B("s1stalld", "STE.S1STALLD", 27, 3, "stalls disabled for the CDs"),
	U("eats", "STE.EATS", 27, 4, 2, "ATS enable"),
	U("ste1_hi", "STE[127:94]", 27, 6, 34, "DW1 bits 63:30 (STRW, SHCFG, ...): outside the nesting mask"),
	RSV(32, 8), RSV(40, 8), RSV(48, 8), RSV(56, 8), RSV(64, 8), RSV(72, 8), RSV(80, 8), RSV(88, 8),
	RSV(96, 8), RSV(104, 8), RSV(112, 8), RSV(120, 4), TAIL(124),
};
STRUCT(at_qcom_ste, "viommu-attach-ste-arm-qcom", "ATTACH_TABLE Arm SMMUv3 STE (QCOM)", 128,
       "ste0 at 16, ste1 at 24");

/* ---- INVALIDATE ---- */

static const struct pt_field inval_v09d_f[] = {
	HEAD,
	B("s_domain", "SCOPE_DOMAIN", 4, 0, "whole domain"),
	B("s_pasid", "SCOPE_PASID", 4, 1, "one PASID (pasid, id valid)"),
	B("s_va", "SCOPE_VA", 4, 2, "address range (pasid, id, virt_start, nr_pages, granule)"),
	Z("scope_reserved", "scope[15:3]", 4, 3, 13, "unknown scope bits"),
	B("f_config", "F_CONFIG", 6, 0, "invalidate cached PASID-table entries (CDs)"),
	B("f_leaf", "F_LEAF", 6, 1, "only leaf entries changed"),
	Z("flags_reserved", "flags[15:2]", 6, 2, 14, "unknown flags"),
	DOMAIN(8),
	U("pasid", "pasid", 12, 0, 32, "PASID (SSID)"),
	U("id", "id", 16, 0, 64, "arch tag: ASID on Arm"),
	A("virt_start", "virt_start", 24, 0, 64, 0, "first address"),
	U("nr_pages", "nr_pages", 32, 0, 64, "number of pages"),
	U("granule", "granule", 40, 0, 8, "log2 of the page size"),
	RSV(41, 7), RSV(48, 8), RSV(56, 4), TAIL(60),
};
STRUCT(inval_v09d, "viommu-invalidate-v09d", "virtio-iommu INVALIDATE (V09D)", 64, "scope bits");

static const struct pt_field inval_rfc1_f[] = {
	HEAD,
	B("g_domain", "INV_G_DOMAIN", 4, 0, "whole domain"),
	B("g_pasid", "INV_G_PASID", 4, 1, "one PASID"),
	B("g_va", "INV_G_VA", 4, 2, "address range"),
	Z("gran_reserved", "inv_gran[15:3]", 4, 3, 13, "unknown granularity bits"),
	B("t_iotlb", "INV_T_IOTLB", 6, 0, "IOTLB"),
	B("t_dev_iotlb", "INV_T_DEV_IOTLB", 6, 1, "device (ATS) IOTLB"),
	B("t_pasid", "INV_T_PASID", 6, 2, "PASID-table / CD cache"),
	Z("type_reserved", "inv_type[15:3]", 6, 3, 13, "unknown type bits"),
	B("f_pasid", "F_PASID", 8, 0, "pasid valid"),
	B("f_archid", "F_ARCHID", 8, 1, "archid valid"),
	B("f_leaf", "F_LEAF", 8, 2, "only leaf entries changed"),
	Z("flags_reserved", "flags[15:3]", 8, 3, 13, "unknown flags"),
	RSV(10, 2), DOMAIN(12),
	U("pasid", "pasid", 16, 0, 32, "PASID (SSID)"),
	RSV(20, 4),
	U("archid", "archid", 24, 0, 64, "ASID on Arm"),
	A("virt_start", "virt_start", 32, 0, 64, 0, "first address"),
	U("nr_pages", "nr_pages", 40, 0, 64, "number of pages"),
	U("granule", "granule", 48, 0, 8, "log2 of the page size"),
	RSV(49, 7), RSV(56, 4), TAIL(60),
};
STRUCT(inval_rfc1, "viommu-invalidate", "virtio-iommu INVALIDATE (RFC1/INTEL)", 64,
       "inv_gran, inv_type, flags");

static const struct pt_field inval_qcom_f[] = {
	HEAD,
	E("scope", "scope", 4, 0, 8, qcom_scope_names, "1 domain, 2 pasid, 3 address"),
	B("c_pasid", "C_PASID", 5, 0, "PASID-table / CD caches"),
	B("c_tlb", "C_TLB", 5, 1, "TLBs"),
	Z("caches_reserved", "caches[7:2]", 5, 2, 6, "unknown cache bits"),
	B("f_leaf", "F_LEAF", 6, 0, "only leaf entries changed"),
	B("f_pasid", "F_PASID", 6, 1, "pasid valid"),
	B("f_id", "F_ID", 6, 2, "id valid"),
	B("f_global", "F_GLOBAL", 6, 3, "global entries"),
	Z("flags_reserved", "flags[15:4]", 6, 4, 12, "unknown flags"),
	DOMAIN(8),
	U("pasid", "pasid", 12, 0, 32, "PASID (SSID)"),
	U("id", "id", 16, 0, 64, "Arm: bits 15:0 = ASID"),
	A("address", "address", 24, 0, 64, 0, "first address"),
	U("nr_pages", "nr_pages", 32, 0, 64, "number of pages"),
	U("page_size", "page_size", 40, 0, 8, "log2 of the page size"),
	RSV(41, 7), RSV(48, 8), RSV(56, 4), TAIL(60),
};
STRUCT(inval_qcom, "viommu-invalidate-qcom", "virtio-iommu INVALIDATE (QCOM)", 64, "enumerated scope");

static const struct pt_field inval_v07_f[] = {
	HEAD,
	B("s_domain", "SCOPE_DOMAIN", 4, 0, "whole domain"),
	B("s_pasid", "SCOPE_PASID", 4, 1, "one PASID"),
	B("s_va", "SCOPE_VA", 4, 2, "address range"),
	Z("scope_reserved", "scope[31:3]", 4, 3, 29, "unknown scope bits"),
	B("f_config", "F_CONFIG", 8, 0, "invalidate cached PASID-table entries"),
	B("f_leaf", "F_LEAF", 8, 1, "only leaf entries changed"),
	Z("flags_reserved", "flags[31:2]", 8, 2, 30, "unknown flags"),
	DOMAIN(12),
	U("pasid", "pasid", 16, 0, 32, "PASID (SSID)"),
	A("virt_start", "virt_start", 20, 0, 64, 0, "first address"),
	U("nr_pages", "nr_pages", 28, 0, 64, "number of pages"),
	U("granule", "granule", 36, 0, 8, "log2 of the page size"),
	RSV(37, 3),
	U("tag", "tag", 40, 0, 64, "arch tag: ASID on Arm"),
	TAIL(48),
};
STRUCT(inval_v07, "viommu-invalidate-v07", "virtio-iommu INVALIDATE (V07, packed)", 52, "52 bytes");

/* ---- PROBE properties (offsets include the 4-byte header) ---- */

#define PHDR \
	U("type", "type", 0, 0, 12, "property type"), \
	Z("type_reserved", "type[15:12]", 1, 4, 4, "driver ignores the property when set"), \
	U("length", "length", 2, 0, 16, "value bytes, header excluded")

static const struct pt_field p_generic_f[] = { PHDR };
STRUCT(p_generic, "viommu-prop", "PROBE property header", 4, "type, length");

static const struct pt_field p_resv_oasis_f[] = {
	PHDR, E("subtype", "subtype", 4, 0, 8, resv_oasis, "0 reserved, 1 MSI"), RSV(5, 3),
	A("start", "start", 8, 0, 64, 0, "first address"),
	A("end", "end", 16, 0, 64, 0, "last address, inclusive"),
};
STRUCT(p_resv_oasis, "viommu-prop-resv-mem", "PROBE RESV_MEM (OASIS)", 24, "length 20");

static const struct pt_field p_resv_old_f[] = {
	PHDR, E("subtype", "subtype", 4, 0, 8, resv_old, "0 reserved, 1 MSI, 2 identity"), RSV(5, 3),
	A("start", "start", 8, 0, 64, 0, "first address"),
	A("end", "end", 16, 0, 64, 0, "last address, inclusive"),
	U("flags", "flags", 24, 0, 32, "region flags"), RSV(28, 4),
};
STRUCT(p_resv_old, "viommu-prop-resv-mem-v09d", "PROBE RESV_MEM (V09D)", 32, "length 28");

static const struct pt_field p_psm_f[] = {
	PHDR, RSV(4, 4), U("mask", "page_size_mask", 8, 0, 64, "supported page sizes"),
};
STRUCT(p_psm, "viommu-prop-page-size-mask", "PROBE PAGE_SIZE_MASK", 16, "length 12");

static const struct pt_field p_input_f[] = {
	PHDR, RSV(4, 4), A("start", "start", 8, 0, 64, 0, "first IOVA"),
	A("end", "end", 16, 0, 64, 0, "last IOVA"),
};
STRUCT(p_input, "viommu-prop-input-range", "PROBE INPUT_RANGE", 24, "length 20");

static const struct pt_field p_bits_f[] = { PHDR, U("bits", "bits", 4, 0, 8, "number of bits"), RSV(5, 3) };
STRUCT(p_bits, "viommu-prop-bits", "PROBE OUTPUT_SIZE / PASID_SIZE", 8, "bits at 4");

static const struct pt_field p_bits_v07_f[] = { PHDR, RSV(4, 3), U("bits", "bits", 7, 0, 8, "number of bits") };
STRUCT(p_bits_v07, "viommu-prop-bits-v07", "PROBE OUTPUT_SIZE / PASID_SIZE (V07)", 8, "bits at 7");

static const struct pt_field p_tfmt_short_f[] = {
	PHDR, E("format", "format", 4, 0, 16, fmt_intel, "table format code"), RSV(6, 2),
};
STRUCT(p_tfmt_short, "viommu-prop-table-fmt-0615", "PROBE table format (RFC1 06/15)", 8, "length 4");

static const struct pt_field p_tfmt_f[] = {
	PHDR, E("format", "format", 4, 0, 16, fmt_intel, "table format code"),
	U("asid_bits", "asid_bits", 6, 0, 16, "8 or 16"),
	Z("flags", "flags", 8, 0, 32, "no flags defined"), RSV(12, 4),
};
STRUCT(p_tfmt, "viommu-prop-table-fmt", "PROBE table format (RFC1 09/15)", 16, "length 12");

static const struct pt_field p_pgtf_v09d_f[] = {
	PHDR, E("format", "format", 4, 0, 16, fmt_rfc1, "PGTF_ARM_LPAE = 1"),
	U("asid_bits", "asid_bits", 6, 0, 8, "8 or 16"), RSV(7, 1),
	B("hw_access", "HW_ACCESS", 8, 0, "hardware access flag"),
	B("hw_dirty", "HW_DIRTY", 8, 1, "hardware dirty bit"),
	B("hw_float", "HW_FLOAT", 8, 2, "float bit"),
	B("hpd", "HPD", 8, 3, "hierarchical permission disable"),
	Z("flags_reserved", "flags[63:4]", 8, 4, 60, "unknown flags"),
};
STRUCT(p_pgtf_v09d, "viommu-prop-pgtf-arm-v09d", "PROBE PAGE_TABLE_FMT Arm (V09D)", 16, "length 12");

static const struct pt_field p_pstf_v09d_f[] = {
	PHDR, E("format", "format", 4, 0, 16, fmt_rfc1, "PSTF_ARM_SV3 = 2"), RSV(6, 2),
	B("stall", "STALL", 8, 0, "stall supported"),
	B("stall_force", "STALL_FORCE", 8, 1, "stall forced"),
	B("btm", "BTM", 8, 2, "broadcast TLB maintenance"),
	Z("flags_reserved", "flags[63:3]", 8, 3, 61, "unknown flags"),
};
STRUCT(p_pstf_v09d, "viommu-prop-pstf-arm-v09d", "PROBE PASID_TABLE_FMT Arm (V09D)", 16, "length 12");

static const struct pt_field p_pgtf_v07_f[] = {
	PHDR, E("format", "format", 4, 0, 8, fmt_v07_pgt, "PGTF_ARM_LPAE = 1"), RSV(5, 3),
	Z("quirks", "quirks", 8, 0, 64, "reserved"),
};
STRUCT(p_pgtf_v07, "viommu-prop-pgtf-arm-v07", "PROBE PAGE_TABLE_FMT Arm (V07)", 16, "length 12");

static const struct pt_field p_pstf_v07_f[] = {
	PHDR, E("format", "format", 4, 0, 8, fmt_v07_pst, "PSTF_ARM_SV3 = 1"), RSV(5, 3),
	B("stall", "STALL", 8, 0, "stall supported"),
	B("stall_force", "STALL_FORCE", 8, 1, "stall forced"),
	B("hw_dirty", "HW_DIRTY", 8, 2, "hardware dirty bit"),
	B("hw_access", "HW_ACCESS", 8, 3, "hardware access flag"),
	B("asid16", "ASID16", 8, 4, "16-bit ASIDs"),
	B("btm", "BTM", 8, 5, "broadcast TLB maintenance"),
	Z("flags_reserved", "flags[63:6]", 8, 6, 58, "unknown flags"),
};
STRUCT(p_pstf_v07, "viommu-prop-pstf-arm-v07", "PROBE PASID_TABLE_FMT Arm (V07)", 16, "length 12");

static const struct pt_field p_vtd_f[] = {
	PHDR, E("format", "format", 4, 0, 16, fmt_intel, "PGTF_VTD = 4"), RSV(6, 2),
	U("cap_reg", "CAP_REG", 8, 0, 64, "VT-d capability register"),
	U("ecap_reg", "ECAP_REG", 16, 0, 64, "VT-d extended capability register"),
};
STRUCT(p_vtd, "viommu-prop-pgt-vtd-intel", "PROBE PAGE_TABLE_FMT VT-d (INTEL)", 24, "length 20");

static const struct pt_field p_smmu3_f[] = {
	PHDR, RSV(4, 4),
	U("idr0", "SMMU_IDR0", 8, 0, 64, "raw IDR0 (CD2L bit 19, ASID16 bit 12)"),
	U("idr1", "SMMU_IDR1", 16, 0, 64, "raw IDR1 (SSIDSIZE bits 10:6)"),
	RSV(24, 8),
	U("idr3", "SMMU_IDR3", 32, 0, 64, "raw IDR3"),
	RSV(40, 8),
	U("idr5", "SMMU_IDR5", 48, 0, 64, "raw IDR5 (OAS bits 2:0)"),
};
STRUCT(p_smmu3, "viommu-prop-hw-arm-smmu3-qcom", "PROBE HW_ARM_SMMU3 (QCOM)", 56, "length 52");

/* ---- Variants ---- */

static const struct pt_viommu_default d_pst[] = { { "format", 2 }, { "s1dss", 2 }, { NULL, 0 } };
static const struct pt_viommu_default d_pgt[] = { { "format", 1 }, { NULL, 0 } };
static const struct pt_viommu_default d_v07_pst[] = { { "table", 1 }, { "format", 1 }, { "s1dss", 2 },
						      { NULL, 0 } };
static const struct pt_viommu_default d_v07_pgt[] = { { "table", 2 }, { "format", 1 }, { NULL, 0 } };
static const struct pt_viommu_default d_intel_virt[] = { { "format", 3 }, { NULL, 0 } };
static const struct pt_viommu_default d_intel_vtd[] = { { "format", 4 }, { NULL, 0 } };
static const struct pt_viommu_default d_qcom_ste[] = { { "format", 1 }, { "v", 1 }, { "config", 5 },
						       { "s1dss", 2 }, { NULL, 0 } };
static const struct pt_viommu_default d_rfc1_inval[] = { { "g_pasid", 1 }, { "t_pasid", 1 },
							 { "f_pasid", 1 }, { NULL, 0 } };
static const struct pt_viommu_default d_v09d_inval[] = { { "s_pasid", 1 }, { "f_config", 1 },
							 { NULL, 0 } };
static const struct pt_viommu_default d_qcom_inval[] = { { "scope", 2 }, { "c_pasid", 1 },
							 { "f_pasid", 1 }, { NULL, 0 } };

#define K(t, vw, nm, vn, st, sf, sv, decl, defs) \
	{ t, vw, nm, vn, &st, sf, sv, decl, defs }
#define BASE_OASIS(attach_st) \
	K(1, PT_VW_NONE, "attach", NULL, attach_st, NULL, 0, 0, NULL), \
	K(2, PT_VW_NONE, "detach", NULL, detach_oasis, NULL, 0, 0, NULL), \
	K(3, PT_VW_NONE, "map", NULL, map_oasis, NULL, 0, 0, NULL), \
	K(4, PT_VW_NONE, "unmap", NULL, unmap, NULL, 0, 0, NULL), \
	K(5, PT_VW_NONE, "probe", NULL, probe, NULL, 0, 0, NULL)
#define BASE_OLD(attach_st) \
	K(1, PT_VW_NONE, "attach", NULL, attach_st, NULL, 0, 0, NULL), \
	K(2, PT_VW_NONE, "detach", NULL, detach_old, NULL, 0, 0, NULL), \
	K(3, PT_VW_NONE, "map", NULL, map_old, NULL, 0, 0, NULL), \
	K(4, PT_VW_NONE, "unmap", NULL, unmap, NULL, 0, 0, NULL), \
	K(5, PT_VW_NONE, "probe", NULL, probe, NULL, 0, 0, NULL)

static const struct pt_viommu_kind kinds_rfc1[] = {
	BASE_OASIS(attach_oasis),
	K(6, PT_VW_PST_ARM, "attach_table", "pst_arm", at_pst, "format", 2, 0, d_pst),
	K(6, PT_VW_PGT_ARM, "attach_table", "pgt_arm", at_pgt_rfc1, "format", 1, 72, d_pgt),
	K(6, PT_VW_GENERIC, "attach_table", "generic", at_generic, NULL, 0, 0, NULL),
	K(7, PT_VW_NONE, "invalidate", NULL, inval_rfc1, NULL, 0, 0, d_rfc1_inval),
	K(8, PT_VW_NONE, "page_resp", NULL, page_resp, NULL, 0, 0, NULL),
};

static const struct pt_viommu_kind kinds_v09d[] = {
	BASE_OLD(attach_v09d),
	K(6, PT_VW_PST_ARM, "attach_table", "pst_arm", at_pst, "format", 2, 0, d_pst),
	K(6, PT_VW_PGT_ARM, "attach_table", "pgt_arm", at_pgt_v09d, "format", 1, 0, d_pgt),
	K(6, PT_VW_GENERIC, "attach_table", "generic", at_generic, NULL, 0, 0, NULL),
	K(7, PT_VW_NONE, "invalidate", NULL, inval_v09d, NULL, 0, 0, d_v09d_inval),
};

static const struct pt_viommu_kind kinds_v07[] = {
	BASE_OLD(attach_v07),
	K(6, PT_VW_PST_ARM, "attach_table", "pst_arm", at_v07_pst, "table", 1, 0, d_v07_pst),
	K(6, PT_VW_PGT_ARM, "attach_table", "pgt_arm", at_v07_pgt, "table", 2, 0, d_v07_pgt),
	K(6, PT_VW_GENERIC, "attach_table", "generic", at_v07_generic, NULL, 0, 0, NULL),
	K(7, PT_VW_NONE, "invalidate", NULL, inval_v07, NULL, 0, 0, d_v09d_inval),
};

static const struct pt_viommu_kind kinds_intel[] = {
	BASE_OASIS(attach_intel),
	K(6, PT_VW_PST_ARM, "attach_table", "pst_arm", at_intel_pst, "format", 2, 84, d_pst),
	K(6, PT_VW_PGT_VIRT, "attach_table", "pgt_virt", at_intel_virt, "format", 3, 84, d_intel_virt),
	K(6, PT_VW_PGT_VTD, "attach_table", "pgt_vtd", at_intel_vtd, "format", 4, 84, d_intel_vtd),
	K(6, PT_VW_GENERIC, "attach_table", "generic", at_intel_generic, NULL, 0, 0, NULL),
	K(7, PT_VW_NONE, "invalidate", NULL, inval_rfc1, NULL, 0, 0, d_rfc1_inval),
};

static const struct pt_viommu_kind kinds_qcom[] = {
	BASE_OASIS(attach_oasis),
	K(6, PT_VW_STE_ARM, "attach_table", "ste_arm", at_qcom_ste, "format", 1, 0, d_qcom_ste),
	K(6, PT_VW_GENERIC, "attach_table", "generic", at_qcom_generic, NULL, 0, 0, NULL),
	K(7, PT_VW_NONE, "invalidate", NULL, inval_qcom, NULL, 0, 0, d_qcom_inval),
};

#define P(t, nm, st, sf, sv) { t, nm, st, sf, sv }
static const struct pt_viommu_prop props_rfc1[] = {
	P(1, "resv_mem", &p_resv_oasis, NULL, 0),
	P(2, "page_size_mask", &p_psm, NULL, 0),
	P(3, "input_range", &p_input, NULL, 0),
	P(4, "output_size", &p_bits, NULL, 0),
	P(5, "pasid_size", &p_bits, NULL, 0),
	P(6, "page_table_fmt", &p_tfmt, NULL, 0),
	P(6, "page_table_fmt", &p_tfmt_short, NULL, 0),
	P(7, "pasid_table_fmt", &p_tfmt, NULL, 0),
	P(7, "pasid_table_fmt", &p_tfmt_short, NULL, 0),
};

static const struct pt_viommu_prop props_v09d[] = {
	P(1, "resv_mem", &p_resv_old, NULL, 0),
	P(1, "resv_mem", &p_resv_oasis, NULL, 0),
	P(2, "page_size_mask", &p_psm, NULL, 0),
	P(3, "input_range", &p_input, NULL, 0),
	P(4, "output_size", &p_bits, NULL, 0),
	P(5, "pasid_size", &p_bits, NULL, 0),
	P(6, "page_table_fmt", &p_pgtf_v09d, NULL, 0),
	P(7, "pasid_table_fmt", &p_pstf_v09d, NULL, 0),
};

static const struct pt_viommu_prop props_v07[] = {
	P(1, "resv_mem", &p_resv_oasis, NULL, 0),
	P(2, "page_size_mask", &p_psm, NULL, 0),
	P(3, "input_range", &p_input, NULL, 0),
	P(4, "output_size", &p_bits_v07, NULL, 0),
	P(5, "pasid_size", &p_bits_v07, NULL, 0),
	P(6, "page_table_fmt", &p_pgtf_v07, NULL, 0),
	P(7, "pasid_table_fmt", &p_pstf_v07, NULL, 0),
};

static const struct pt_viommu_prop props_intel[] = {
	P(1, "resv_mem", &p_resv_oasis, NULL, 0),
	P(2, "page_size_mask", &p_psm, NULL, 0),
	P(3, "input_range", &p_input, NULL, 0),
	P(4, "output_size", &p_bits, NULL, 0),
	P(5, "pasid_size", &p_bits, NULL, 0),
	P(6, "page_table_fmt", &p_tfmt, NULL, 0),
	P(6, "page_table_fmt", &p_vtd, "format", 4),
	P(6, "page_table_fmt", &p_tfmt_short, NULL, 0),
	P(7, "pasid_table_fmt", &p_tfmt, NULL, 0),
	P(7, "pasid_table_fmt", &p_tfmt_short, NULL, 0),
};

/* QCOM types 3..5 are named but their layouts were not retrieved. */
static const struct pt_viommu_prop props_qcom[] = {
	P(1, "resv_mem", &p_resv_oasis, NULL, 0),
	P(2, "hw_arm_smmu3", &p_smmu3, NULL, 0),
	P(3, "hw_intel_vtd", NULL, NULL, 0),
	P(4, "hw_riscv", NULL, NULL, 0),
	P(5, "hw_amd", NULL, NULL, 0),
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
static const struct pt_viommu_variant_desc variants[PT_VV_COUNT] = {
	[PT_VV_RFC1] = { "rfc1", "2021 RFC \"Nested stage support with Arm\" (default)", 6,
			 kinds_rfc1, N(kinds_rfc1), props_rfc1, N(props_rfc1), &p_generic, &tail,
			 2, 1, 8 },
	[PT_VV_V09D] = { "v09d", "virtio-iommu v0.9-devel uapi (2018)", 5, kinds_v09d, N(kinds_v09d),
			 props_v09d, N(props_v09d), &p_generic, &tail, 2, 1, 7 },
	[PT_VV_V07] = { "v07", "virtio-iommu v0.7 prototype (packed)", 5, kinds_v07, N(kinds_v07),
			props_v07, N(props_v07), &p_generic, &tail, 1, 1, 7 },
	[PT_VV_INTEL] = { "intel", "Intel prototype (flags after endpoint)", 8, kinds_intel,
			  N(kinds_intel), props_intel, N(props_intel), &p_generic, &tail, 2, 0, 8 },
	[PT_VV_QCOM] = { "qcom", "Qualcomm variant (raw STE words)", 7, kinds_qcom, N(kinds_qcom),
			 props_qcom, N(props_qcom), &p_generic, &tail, 1, 0, 8 },
};

const char *const pt_viommu_variant_names[] = { "rfc1", "v09d", "v07", "intel", "qcom", NULL };

const struct pt_struct *const pt_viommu_structs[] = {
	&attach_oasis, &attach_intel, &attach_v09d, &attach_v07, &detach_oasis, &detach_old,
	&map_oasis, &map_old, &unmap, &probe, &tail, &page_resp,
	&at_generic, &at_pst, &at_pgt_rfc1, &at_pgt_v09d, &at_v07_generic, &at_v07_pst, &at_v07_pgt,
	&at_intel_generic, &at_intel_pst, &at_intel_virt, &at_intel_vtd, &at_qcom_generic,
	&at_qcom_ste, &inval_v09d, &inval_rfc1, &inval_qcom, &inval_v07,
	&p_generic, &p_resv_oasis, &p_resv_old, &p_psm, &p_input, &p_bits, &p_bits_v07,
	&p_tfmt_short, &p_tfmt, &p_pgtf_v09d, &p_pstf_v09d, &p_pgtf_v07, &p_pstf_v07, &p_vtd,
	&p_smmu3,
};
const size_t pt_viommu_nstructs = N(pt_viommu_structs);

void pt_viommu_register(void)
{
	pt_rules_register(&pt_viommu_rules);
	for (size_t i = 0; i < pt_viommu_nstructs; i++)
		pt_struct_register(pt_viommu_structs[i]);
}

const struct pt_viommu_variant_desc *pt_viommu_variant(enum pt_viommu_variant v)
{
	return (unsigned)v < PT_VV_COUNT ? &variants[v] : NULL;
}

int pt_viommu_variant_parse(const char *name, enum pt_viommu_variant *out)
{
	for (unsigned i = 0; name && i < PT_VV_COUNT; i++) {
		if (strcmp(variants[i].name, name) == 0) {
			*out = (enum pt_viommu_variant)i;
			return 0;
		}
	}
	return -1;
}

static int type_by_name(const char *type)
{
	for (unsigned i = 1; i < N(type_names); i++)
		if (strcmp(type_names[i], type) == 0)
			return (int)i;
	return -1;
}

const struct pt_viommu_kind *pt_viommu_kind_find(enum pt_viommu_variant v, const char *type,
						 const char *view)
{
	const struct pt_viommu_variant_desc *vd = pt_viommu_variant(v);
	int t = type ? type_by_name(type) : -1;
	if (!vd || t < 0)
		return NULL;
	for (size_t i = 0; i < vd->nkinds; i++) {
		const struct pt_viommu_kind *k = &vd->kinds[i];
		if (k->type != t)
			continue;
		if (!view || !k->view_name || strcmp(k->view_name, view) == 0)
			return k;
	}
	return NULL;
}

/* ---- Building requests from JSON ---- */


struct build {
	const struct pt_viommu_variant_desc *vd;
	enum pt_viommu_variant variant;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct build *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->err, b->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A value for a field: number, "0x..." text, true/false, or an enum name. */
static int set_field(struct build *b, const struct pt_field *f, uint8_t *buf, const char *key,
		     const json_t *jv)
{
	uint64_t v;
	if (!f)
		return fail(b, "unknown field \"%s\"", key);
	int named = json_is_string(jv) && f->kind == PT_FK_ENUM &&
		    pt_field_enum_value(f, json_string_value(jv), &v) == 0;
	if (!named && pt_json_u64(jv, &v) != 0)
		return fail(b, "field \"%s\": not a number or a known name", key);
	if (pt_field_set(buf, f, v) != 0)
		return fail(b, "field \"%s\": value does not fit the field", key);
	return 0;
}

static int is_meta(const char *key)
{
	static const char *const meta[] = { "offset", "type", "variant", "view", "size", "raw",
					    "fields", "names", "properties", "probe_size",
					    "declared", "length", NULL };
	for (unsigned i = 0; meta[i]; i++)
		if (strcmp(meta[i], key) == 0)
			return 1;
	return 0;
}

/* Hand-written keys at the top level, then the "fields" object. The tail
 * struct takes the keys the main struct lacks (PROBE's status). */
static int apply_fields(struct build *b, const json_t *obj, const struct pt_struct *st,
			uint8_t *buf, const struct pt_struct *tail_st, uint8_t *tailbuf)
{
	const char *key;
	const json_t *jv;
	const json_t *fields = json_object_get(obj, "fields");
	if (fields && !json_is_object(fields))
		return fail(b, "%s must be an object", "\"fields\"");
	/* Each key looked up once, from where the last one was found: keys
	 * in table order (as decode prints them) are found at the first try. */
	size_t hint = 0, tail_hint = 0;
	for (int pass = 0; pass < 2; pass++) {
		const json_t *src = pass ? fields : obj;
		if (!src)
			continue;
		json_object_foreach((json_t *)(uintptr_t)src, key, jv) {
			const struct pt_field *f = pt_struct_field_next(st, key, &hint);
			/* A meta key that is also a field (V07's "size") is set
			 * here and, in decoded JSON, overridden by "fields". */
			if (!pass && (!f || strcmp(key, "type") == 0) && is_meta(key))
				continue;
			int in_tail = tail_st && !f &&
				      (f = pt_struct_field_next(tail_st, key, &tail_hint)) != NULL;
			if (set_field(b, f, in_tail ? tailbuf : buf, key, jv) != 0)
				return -1;
		}
	}
	return 0;
}

/* "names" (decode's view of the enum fields) against the bytes built from
 * "raw" and "fields": a name that disagrees is refused, never applied. A
 * key goes to the tail structure exactly when apply_fields would put it
 * there (PROBE's status). */
static int check_names(struct build *b, const json_t *obj, const struct pt_struct *st,
		       const uint8_t *buf, const struct pt_struct *tail_st, const uint8_t *tailbuf)
{
	const json_t *names = json_object_get(obj, "names");
	if (!names)
		return 0;
	if (!tail_st || !json_is_object(names))
		return pt_struct_names_check(st, names, buf, b->err, b->errlen);
	json_t *head = json_object(), *rest = json_object();
	const char *key;
	const json_t *jv;
	json_object_foreach((json_t *)(uintptr_t)names, key, jv) {
		int in_tail = !pt_struct_field(st, key) && pt_struct_field(tail_st, key);
		json_object_set(in_tail ? rest : head, key, (json_t *)(uintptr_t)jv);
	}
	int rc = pt_struct_names_check(st, head, buf, b->err, b->errlen);
	if (rc == 0)
		rc = pt_struct_names_check(tail_st, rest, tailbuf, b->err, b->errlen);
	json_decref(head);
	json_decref(rest);
	return rc;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Bytes of a "raw" hex string into a new buffer; -1 when malformed or
 * longer than the largest request (a PROBE with the largest probe_size). */
static long parse_hex(const char *s, uint8_t **outp)
{
	size_t n = strlen(s);
	if (n % 2 || n / 2 > PT_VIOMMU_PROBE_HEAD + PT_VIOMMU_MAX_PROBE_SIZE + PT_VIOMMU_TAIL)
		return -1;
	uint8_t *out = malloc(n / 2 + 1);
	if (!out)
		return -1;
	*outp = out;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

static int req_type_json(const json_t *jt)
{
	if (json_is_integer(jt))
		return (int)json_integer_value(jt);
	if (!json_is_string(jt))
		return -1;
	const char *s = json_string_value(jt);
	for (unsigned i = 1; i < N(type_names); i++)
		if (strcasecmp(type_names[i], s) == 0)
			return (int)i;
	return -1;
}

/* The selector value a hand-written ATTACH_TABLE names ("format": "arm_lpae"
 * or 2; V07 "table"), looked up at the top level and in "fields". */
static int json_selector(const json_t *obj, const struct pt_viommu_kind *k, uint64_t *v)
{
	const json_t *jv = json_object_get(obj, k->sel_field);
	const json_t *fields = json_object_get(obj, "fields");
	if (!jv && json_is_object(fields))
		jv = json_object_get(fields, k->sel_field);
	if (!jv)
		return -1;
	const struct pt_field *f = pt_struct_field(k->st, k->sel_field);
	if (json_is_string(jv) && pt_field_enum_value(f, json_string_value(jv), v) == 0)
		return 0;
	return pt_json_u64(jv, v);
}

static const struct pt_viommu_kind *pick_kind(struct build *b, const json_t *obj, int type,
					      const uint8_t *raw, long rawlen)
{
	const struct pt_viommu_kind *first = NULL, *generic = NULL;
	const char *view = json_string_value(json_object_get(obj, "view"));
	for (size_t i = 0; i < b->vd->nkinds; i++) {
		const struct pt_viommu_kind *k = &b->vd->kinds[i];
		if (k->type != type)
			continue;
		if (!first)
			first = k;
		if (view && k->view_name && strcmp(view, k->view_name) == 0)
			return k;
		if (!k->sel_field) {
			generic = k;
			continue;
		}
		const struct pt_field *f = pt_struct_field(k->st, k->sel_field);
		uint64_t v;
		if (rawlen > 0 && (long)(f->word * 8 + (f->lsb + f->width + 7) / 8) <= rawlen &&
		    pt_field_get(raw, f) == k->sel_value)
			return k;
		if (rawlen < 0 && json_selector(obj, k, &v) == 0 && v == k->sel_value)
			return k;
	}
	if (view) {
		fail(b, "view \"%s\" is not defined for this type and variant", view);
		return NULL;
	}
	/* A raw frame or an explicit selector that no view claims: generic. */
	uint64_t unused;
	if (generic && (rawlen > 0 || json_selector(obj, first, &unused) == 0))
		return generic;
	return first;
}

static int pick_variant(struct build *b, const json_t *obj, enum pt_viommu_variant variant,
			int forced)
{
	const json_t *jv = json_object_get(obj, "variant");
	b->variant = variant;
	if (jv) {
		enum pt_viommu_variant v;
		if (!json_is_string(jv) || pt_viommu_variant_parse(json_string_value(jv), &v) != 0)
			return fail(b, "unknown variant %s", json_is_string(jv) ? json_string_value(jv) : "");
		if (forced && v != variant)
			return fail(b, "request says variant \"%s\", --variant says otherwise",
				    json_string_value(jv));
		b->variant = v;
	}
	b->vd = pt_viommu_variant(b->variant);
	return 0;
}

static void apply_defaults(const struct pt_viommu_kind *k, uint8_t *buf)
{
	pt_field_set(buf, pt_struct_field(k->st, "type"), k->type);
	for (const struct pt_viommu_default *d = k->defaults; d && d->field; d++)
		pt_field_set(buf, pt_struct_field(k->st, d->field), d->value);
}

/* ---- PROBE properties ---- */

static const struct pt_viommu_prop *prop_by_json(struct build *b, const json_t *p)
{
	const json_t *jt = json_object_get(p, "type");
	const json_t *jl = json_object_get(p, "length");
	const struct pt_viommu_prop *first = NULL;
	for (size_t i = 0; i < b->vd->nprops; i++) {
		const struct pt_viommu_prop *d = &b->vd->props[i];
		int same = json_is_string(jt) ? strcmp(d->name, json_string_value(jt)) == 0
					      : json_is_integer(jt) && json_integer_value(jt) == d->type;
		if (!same || !d->st)
			continue;
		if (jl && json_is_integer(jl) && (json_int_t)d->st->size != 4 + json_integer_value(jl))
			continue;
		if (d->sel_field) {
			const json_t *sv = json_object_get(p, d->sel_field);
			uint64_t v;
			if (!sv || pt_json_u64(sv, &v) != 0 || v != d->sel_value)
				continue;
		}
		if (!first)
			first = d;
	}
	return first;
}

/* One property: its struct at props + off (zero bytes already there). */
static int build_prop(struct build *b, const json_t *p, uint8_t *props, uint32_t ps,
		      uint32_t *off)
{
	if (!json_is_object(p))
		return fail(b, "%s", "a property must be an object");
	const json_t *jo = json_object_get(p, "offset");
	if (jo && json_is_integer(jo))
		*off = (uint32_t)json_integer_value(jo);
	const struct pt_viommu_prop *d = prop_by_json(b, p);
	if (!d)
		return fail(b, "property type %s has no layout in this variant (give \"raw\")",
			    json_is_string(json_object_get(p, "type"))
				    ? json_string_value(json_object_get(p, "type")) : "?");
	if (*off > ps || d->st->size > ps - *off)
		return fail(b, "property %s does not fit in probe_size", d->name);
	uint8_t tmp[64] = { 0 };
	memcpy(tmp, props + *off, d->st->size);
	pt_field_set(tmp, pt_struct_field(d->st, "type"), d->type);
	pt_field_set(tmp, pt_struct_field(d->st, "length"), d->st->size - 4);
	if (d->sel_field)
		pt_field_set(tmp, pt_struct_field(d->st, d->sel_field), d->sel_value);
	if (apply_fields(b, p, d->st, tmp, NULL, NULL) != 0 ||
	    check_names(b, p, d->st, tmp, NULL, NULL) != 0)
		return -1;
	memcpy(props + *off, tmp, d->st->size);
	*off += d->st->size;
	return 0;
}

static int build_props(struct build *b, const json_t *obj, uint8_t *props, uint32_t ps)
{
	const json_t *arr = json_object_get(obj, "properties");
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return fail(b, "%s must be an array", "\"properties\"");
	uint32_t off = 0;
	size_t i;
	const json_t *p;
	json_array_foreach(arr, i, p) {
		if (build_prop(b, p, props, ps, &off) != 0)
			return -1;
	}
	return 0;
}

/* With "raw", the properties are bytes already: each one's "names" is
 * checked against the property decode finds at its "offset", read with the
 * structure decode reads it with. */
static int check_prop_names(struct build *b, const json_t *obj, const struct pt_viommu_kind *k,
			    const uint8_t *out, uint32_t probe_size)
{
	const json_t *arr = json_object_get(obj, "properties");
	struct pt_viommu_ctx ctx = { .variant = b->variant };
	struct pt_viommu_req req = { .kind = k, .bytes = out, .probe_size = probe_size };
	size_t i;
	const json_t *p;
	if (!json_is_array(arr))
		return 0;
	json_array_foreach(arr, i, p) {
		const json_t *jo = json_object_get(p, "offset");
		uint8_t tmp[64];
		if (!json_object_get(p, "names"))
			continue;
		json_int_t off = json_is_integer(jo) ? json_integer_value(jo) : -1;
		const struct pt_struct *st = off >= 0 && off < probe_size
			? pt_viommu_prop_at(&ctx, &req, (uint32_t)off, tmp, sizeof tmp) : NULL;
		if (!st)
			return fail(b, "properties[%zu]: \"names\" but no property at its \"offset\"", i);
		if (check_names(b, p, st, tmp, NULL, NULL) != 0)
			return -1;
	}
	return 0;
}

/* PROBE: head, properties[probe_size], tail, written straight into out. */
static int build_probe(struct build *b, const json_t *obj, const struct pt_viommu_kind *k,
		       const uint8_t *raw, long rawlen, uint32_t probe_size, uint8_t *out,
		       size_t outcap, size_t *outlen)
{
	const json_t *jps = json_object_get(obj, "probe_size");
	if (rawlen >= 0) {
		if (rawlen < (long)(PT_VIOMMU_PROBE_HEAD + PT_VIOMMU_TAIL))
			return fail(b, "%s", "\"raw\" is too short for a PROBE");
		probe_size = (uint32_t)(rawlen - PT_VIOMMU_PROBE_HEAD - PT_VIOMMU_TAIL);
	} else if (jps) {
		if (!json_is_integer(jps) || json_integer_value(jps) < 0 ||
		    json_integer_value(jps) > PT_VIOMMU_MAX_PROBE_SIZE)
			return fail(b, "%s out of range", "\"probe_size\"");
		probe_size = (uint32_t)json_integer_value(jps);
	}
	size_t size = PT_VIOMMU_PROBE_HEAD + (size_t)probe_size + PT_VIOMMU_TAIL;
	if (size > outcap)
		return fail(b, "%s", "output buffer too small");
	memset(out, 0, size);
	if (rawlen >= 0)
		memcpy(out, raw, size);
	else
		apply_defaults(k, out);
	uint8_t *tailb = out + size - PT_VIOMMU_TAIL;
	if (apply_fields(b, obj, k->st, out, b->vd->tail, tailb) != 0 ||
	    check_names(b, obj, k->st, out, b->vd->tail, tailb) != 0)
		return -1;
	if (rawlen < 0 && build_props(b, obj, out + PT_VIOMMU_PROBE_HEAD, probe_size) != 0)
		return -1;
	if (rawlen >= 0 && check_prop_names(b, obj, k, out, probe_size) != 0)
		return -1;
	*outlen = size;
	return 0;
}

/* Fixed-size request; declared-size requests are kept in wire layout in
 * buf and folded back at the end. */
static int build_fixed(struct build *b, const json_t *obj, const struct pt_viommu_kind *k,
		       const uint8_t *raw, long rawlen, uint8_t *out, size_t outcap,
		       size_t *outlen)
{
	uint8_t buf[PT_VIOMMU_MAX_FIXED] = { 0 };
	uint32_t wire = k->st->size, size = wire;
	int declared = json_is_true(json_object_get(obj, "declared")) ||
		       (rawlen >= 0 && k->declared_size && rawlen == (long)k->declared_size);
	if (declared) {
		if (!k->declared_size)
			return fail(b, "%s has no declared size", k->name);
		size = k->declared_size;
	}
	if (rawlen >= 0 && rawlen != (long)size)
		return fail(b, "\"raw\" length does not match %s", k->st->name);
	if (rawlen >= 0) {
		memcpy(buf, raw, size);
		if (declared) {
			memmove(buf + wire - PT_VIOMMU_TAIL, buf + size - PT_VIOMMU_TAIL, PT_VIOMMU_TAIL);
			memset(buf + size - PT_VIOMMU_TAIL, 0, wire - size);
		}
	} else {
		apply_defaults(k, buf);
	}
	if (apply_fields(b, obj, k->st, buf, NULL, NULL) != 0 ||
	    check_names(b, obj, k->st, buf, NULL, NULL) != 0)
		return -1;
	if (size > outcap)
		return fail(b, "%s", "output buffer too small");
	if (declared) {
		for (uint32_t i = size - PT_VIOMMU_TAIL; i < wire - PT_VIOMMU_TAIL; i++)
			if (buf[i])
				return fail(b, "%s: a field lies beyond the declared struct size", k->name);
		memmove(buf + size - PT_VIOMMU_TAIL, buf + wire - PT_VIOMMU_TAIL, PT_VIOMMU_TAIL);
	}
	memcpy(out, buf, size);
	*outlen = size;
	return 0;
}

static int build_one(struct build *b, const json_t *obj, enum pt_viommu_variant variant,
		     int forced, uint32_t probe_size, uint8_t **raw, uint8_t *out, size_t outcap,
		     size_t *outlen)
{
	long rawlen = -1;
	if (!json_is_object(obj))
		return fail(b, "%s", "a request must be a JSON object");
	if (pick_variant(b, obj, variant, forced) != 0)
		return -1;
	int type = req_type_json(json_object_get(obj, "type"));
	if (type <= 0 || type > 255)
		return fail(b, "%s", "\"type\" missing or not a known request type");
	const json_t *jraw = json_object_get(obj, "raw");
	if (jraw && (!json_is_string(jraw) || (rawlen = parse_hex(json_string_value(jraw), raw)) < 0))
		return fail(b, "%s", "\"raw\" must be a string of hex byte pairs");
	if (rawlen >= 0 && (rawlen < 1 || (*raw)[0] != type))
		return fail(b, "%s", "\"raw\" does not start with the request's type");
	const struct pt_viommu_kind *k = pick_kind(b, obj, type, *raw, rawlen);
	if (!k)
		return b->err[0] ? -1 : fail(b, "request type %d is not defined by variant %s", type,
					     b->vd->name);
	if (k->type == PT_VT_PROBE)
		return build_probe(b, obj, k, *raw, rawlen, probe_size, out, outcap, outlen);
	return build_fixed(b, obj, k, *raw, rawlen, out, outcap, outlen);
}

int pt_viommu_build(const json_t *obj, enum pt_viommu_variant variant, int forced,
		    uint32_t probe_size, uint8_t *out, size_t outcap, size_t *outlen, char *err,
		    size_t errlen)
{
	struct build b = { .err = err, .errlen = errlen };
	uint8_t *raw = NULL;
	err[0] = '\0';
	int rc = build_one(&b, obj, variant, forced, probe_size, &raw, out, outcap, outlen);
	free(raw);
	return rc;
}

/* ---- ATTACH_TABLE <-> table config, and the INVALIDATEs a guest owes ---- */

static int set_named(const struct pt_struct *st, uint8_t *buf, const char *a, const char *b,
		     uint64_t v)
{
	const struct pt_field *f = pt_struct_field(st, a);
	if (!f && b)
		f = pt_struct_field(st, b);
	return f ? pt_field_set(buf, f, v) : -1;
}

static uint64_t get_named(const struct pt_viommu_req *req, const char *a, const char *b)
{
	uint64_t v = 0;
	if (pt_viommu_get(req, a, &v) != 0 && b)
		pt_viommu_get(req, b, &v);
	return v;
}

int pt_viommu_attach_to_cfg(const struct pt_viommu_req *req, struct pt_table_cfg *cfg,
			    uint32_t *domain, uint32_t *endpoint, char *err, size_t errlen)
{
	const struct pt_viommu_kind *k = req->kind;
	if (k->view != PT_VW_PST_ARM && k->view != PT_VW_STE_ARM) {
		snprintf(err, errlen, "not a PASID-table ATTACH_TABLE");
		return -1;
	}
	const struct pt_format *fmt = pt_format_find("smmuv3-cd");
	uint64_t s1fmt = get_named(req, "s1fmt", NULL), n = get_named(req, "s1cdmax", "size");
	if (!fmt) {
		snprintf(err, errlen, "table format smmuv3-cd is not registered");
		return -1;
	}
	if (n > PT_MAX_SSID_BITS) {
		snprintf(err, errlen, "s1cdmax %llu: no table has more than 2^20 CDs",
			 (unsigned long long)n);
		return -1;
	}
	/* S1Fmt is ignored for a single CD, and the reserved 3 behaves as linear. */
	const char *layout = n == 0 || s1fmt == 0 || s1fmt == 3 ? "linear"
			     : s1fmt == 1 ? "2lvl-4k" : "2lvl-64k";
	memset(cfg, 0, sizeof *cfg);
	cfg->fmt = fmt;
	cfg->layout = pt_format_layout(fmt, layout);
	if (!cfg->layout) {
		snprintf(err, errlen, "smmuv3-cd has no layout %s", layout);
		return -1;
	}
	/* What an STE can hold: S1ContextPtr[55:6]. */
	cfg->base = get_named(req, "s1contextptr", "base") & UINT64_C(0x00ffffffffffffc0);
	cfg->ssid_bits = (unsigned)n;
	/* The host nests the guest's stage 1 over its stage 2 (Config 0b111). */
	struct smmu_ste_ctx ste = { .present = 1, .config = 7,
				    .s1dss = (unsigned)get_named(req, "s1dss", NULL) & 3,
				    .s1stalld = (unsigned)get_named(req, "s1stalld", NULL) & 1,
				    .strw = (unsigned)get_named(req, "ste1_hi", NULL) & 3 };
	cfg->vendor[0] = smmu_ste_ctx_pack(&ste);
	if (domain)
		*domain = (uint32_t)get_named(req, "domain", NULL);
	if (endpoint)
		*endpoint = (uint32_t)get_named(req, "endpoint", NULL);
	return 0;
}

int pt_viommu_attach_from_cfg(const struct pt_table_cfg *cfg, uint32_t domain, uint32_t endpoint,
			      const char *variant, uint8_t *out, size_t outcap, size_t *outlen)
{
	enum pt_viommu_variant v = PT_VV_RFC1;
	if (variant && pt_viommu_variant_parse(variant, &v) != 0)
		return -1;
	const struct pt_viommu_kind *k = pt_viommu_kind_find(v, "attach_table", NULL);
	uint8_t buf[PT_VIOMMU_MAX_FIXED] = { 0 };
	struct smmu_ste_ctx ste;
	smmu_ste_ctx_unpack(cfg->vendor[0], &ste);
	uint64_t s1fmt, s1dss = ste.present ? ste.s1dss : 2;
	if (!k || !cfg->layout || k->st->size > outcap ||
	    pt_field_enum_value(pt_struct_field(k->st, "s1fmt"), cfg->layout->name, &s1fmt) != 0)
		return -1;
	apply_defaults(k, buf);
	if (set_named(k->st, buf, "domain", NULL, domain) || set_named(k->st, buf, "endpoint", NULL, endpoint) ||
	    set_named(k->st, buf, "s1fmt", NULL, s1fmt) || set_named(k->st, buf, "s1dss", NULL, s1dss) ||
	    set_named(k->st, buf, "s1contextptr", "base", cfg->base) ||
	    set_named(k->st, buf, "s1cdmax", "size", cfg->ssid_bits))
		return -1;
	memcpy(out, buf, k->st->size);
	*outlen = k->st->size;
	return 0;
}

/* Domain-wide CD invalidation in every dialect: whichever of these fields
 * the variant has. */
static const struct pt_viommu_default inval_all[] = {
	{ "g_domain", 1 }, { "t_pasid", 1 }, { "s_domain", 1 }, { "f_config", 1 }, { "scope", 1 },
	{ "c_pasid", 1 }, { NULL, 0 },
};

int pt_viommu_invalidations(const struct pt_table_cfg *cfg, uint32_t domain, const char *variant,
			    const uint32_t *ssids, size_t nssids, uint8_t *out, size_t outcap,
			    size_t *outlen)
{
	enum pt_viommu_variant v = PT_VV_RFC1;
	if (variant && pt_viommu_variant_parse(variant, &v) != 0)
		return -1;
	const struct pt_viommu_kind *k = pt_viommu_kind_find(v, "invalidate", NULL);
	int all = nssids > PT_VIOMMU_INVAL_BATCH;
	size_t count = all ? 1 : nssids, size = k ? k->st->size : 0;
	if (!k || count > outcap / size)
		return -1;
	for (size_t i = 0; i < count; i++) {
		uint8_t *buf = out + i * size;
		memset(buf, 0, size);
		pt_field_set(buf, pt_struct_field(k->st, "type"), k->type);
		if (all) {
			for (const struct pt_viommu_default *d = inval_all; d->field; d++)
				set_named(k->st, buf, d->field, NULL, d->value);
		} else {
			if (cfg && cfg->ssid_bits < 32 && ssids[i] >> cfg->ssid_bits)
				return -1;
			for (const struct pt_viommu_default *d = k->defaults; d && d->field; d++)
				set_named(k->st, buf, d->field, NULL, d->value);
			set_named(k->st, buf, "pasid", NULL, ssids[i]);
		}
		set_named(k->st, buf, "domain", NULL, domain);
	}
	*outlen = count * size;
	return 0;
}

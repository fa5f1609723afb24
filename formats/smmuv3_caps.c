/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SMMU that validation assumes (--caps), as a table of keys so that the
 * parser, the help text and the docs read one description. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emit.h"
#include "kvlist.h"
#include "smmuv3.h"
#include "smmuv3_regs.h"
#include "suggest.h"

struct cap_key {
	const char *name;
	size_t offset;       /* of an unsigned or int member of struct smmu_caps */
	unsigned max;
	const char *doc;
};

#define K(n, m, mx, d) { n, offsetof(struct smmu_caps, m), mx, d }

static const struct cap_key cap_keys[] = {
	K("version", version_minor, 4, "SMMUv3.x minor version (AIDR): 0..4"),
	K("oas", oas_bits, 56, "output address size in bits (IDR5.OAS): 32,36,40,42,44,48,52,56"),
	K("ssid-bits", ssid_bits, 20, "IDR1.SSIDSIZE: SubstreamID bits, 0..20"),
	K("sid-bits", sid_bits, 32, "IDR1.SIDSIZE: StreamID bits, 0..32"),
	K("asid16", asid16, 1, "IDR0.ASID16: 16-bit ASIDs"),
	K("vmid16", vmid16, 1, "IDR0.VMID16: 16-bit VMIDs"),
	K("cd2l", cd2l, 1, "IDR0.CD2L: 2-level CD tables"),
	K("s1p", s1p, 1, "IDR0.S1P: stage 1 implemented"),
	K("s2p", s2p, 1, "IDR0.S2P: stage 2 implemented"),
	K("ttf", ttf, 3, "IDR0.TTF: 1 VMSAv8-32 only, 2 VMSAv8-64 only, 3 both"),
	K("httu", httu, 3, "IDR0.HTTU: 0 none, 1 access flag, 2 AF+dirty, 3 AF+dirty+table AF"),
	K("ttendian", ttendian, 3, "IDR0.TTENDIAN: 0 mixed, 2 little-endian only, 3 big-endian only"),
	K("stall-model", stall_model, 2, "IDR0.STALL_MODEL: 0 stall+terminate, 1 no stall, 2 stall forced"),
	K("term-model", term_model, 1, "IDR0.TERM_MODEL: 1 = CD.A must be 1"),
	K("gran4k", gran4k, 1, "IDR5.GRAN4K"),
	K("gran16k", gran16k, 1, "IDR5.GRAN16K"),
	K("gran64k", gran64k, 1, "IDR5.GRAN64K"),
	K("stt", stt, 1, "IDR3.STT: small translation tables (TxSZ up to 48)"),
	K("vax", vax, 2, "IDR5.VAX: 0 48-bit VA, 1 52-bit, 2 56-bit"),
	K("ds", ds, 1, "IDR5.DS: 52-bit addresses with 4K/16K granules"),
	K("had", had, 1, "IDR3.HAD: hierarchical attribute disable"),
	K("e0pd", e0pd, 1, "IDR3.E0PD"),
	K("epan", epan, 1, "IDR3.EPAN"),
	K("s1pi", s1pi, 1, "IDR3.S1PI: permission indirection"),
	K("the", the, 1, "IDR3.THE: translation hardening (PnCH)"),
	K("aie", aie, 1, "IDR3.AIE: 4-bit AttrIndx"),
	K("pbha", pbha, 1, "IDR3.PBHA: page-based hardware attributes"),
	K("e2h", e2h, 1, "SMMU_CR2.E2H: STRW=EL2 streams are EL2-E2H (have TTB1); Linux sets it"),
	K("hyp", hyp, 1, "IDR0.Hyp: EL2 stage-1 contexts; STE.STRW is RES0 without it"),
	K("ats", ats, 1, "IDR0.ATS: PCIe ATS; STE.EATS is IGNORED without it"),
	K("attr-types-ovr", attr_types_ovr, 1,
	  "IDR1.ATTR_TYPES_OVR: STE.SHCFG/MTCFG/MEMATTR/ALLOCCFG are RES0 without it"),
	K("attr-perms-ovr", attr_perms_ovr, 1,
	  "IDR1.ATTR_PERMS_OVR: STE.PRIVCFG/INSTCFG/NSCFG are RES0 without it"),
	K("ril", ril, 1, "IDR3.RIL: range-based TLB invalidation"),
	K("pri", pri, 1, "IDR0.PRI: PCIe PRI (the PRI queue, CMD_PRI_RESP)"),
};

#define NKEYS (sizeof cap_keys / sizeof cap_keys[0])

/* Keys that take a whole register value and set every key it defines
 * (formats/smmuv3_idr.c), so users can paste what dmesg, QEMU's monitor or
 * iommufd's hw_info report. */
static const struct {
	const char *name;
	enum smmu_reg reg;
	const char *doc;
} reg_keys[] = {
	{ "idr0", SMMU_IDR0, "SMMU_IDR0 value: sets s1p s2p ttf httu hyp ats pri asid16 vmid16 cd2l "
			     "ttendian stall-model term-model" },
	{ "idr1", SMMU_IDR1, "SMMU_IDR1 value: sets sid-bits ssid-bits attr-types-ovr "
			     "attr-perms-ovr" },
	{ "idr3", SMMU_IDR3, "SMMU_IDR3 value: sets had pbha stt ril e0pd epan s1pi the aie" },
	{ "idr5", SMMU_IDR5, "SMMU_IDR5 value: sets oas gran4k gran16k gran64k ds vax" },
	{ "aidr", SMMU_AIDR, "SMMU_AIDR value: sets version" },
	{ "cr2", SMMU_CR2, "SMMU_CR2 value: sets e2h" },
};
#define NREGKEYS (sizeof reg_keys / sizeof reg_keys[0])

/* QEMU releases whose behaviour the QEMU notes describe; the qemu profile
 * assumes the newest. */
#define QEMU_DEFAULT 1001u
static const char qemu_doc[] =
	"QEMU release (7.2, 8.1, 9.1, 10.1, ...) whose behaviour the QEMU-* notes describe";

/* One line per paragraph: argp's help stream wraps them at its margin. */
const char smmu_caps_help[] =
	"--caps takes a profile and/or KEY=VALUE pairs, comma separated.\n"
	"Profiles: generic (default: SMMUv3.1, OAS 48, SSIDSIZE 20, ASID16, CD2L, all granules, "
	"no HTTU, mixed endian, stall+terminate, Hyp, ATS, PRI, range invalidation, attribute "
	"overrides), qemu (the ID registers QEMU's SMMUv3 reports: OAS 44, SSIDSIZE 0, no "
	"CD2L, LE only, no stall, TERM_MODEL 1, no Hyp, no ATS, no PRI, no overrides; QEMU-* "
	"notes for qemu=10.1), linux-host (generic + HTTU 2).\n"
	"idr0=, idr1=, idr3=, idr5=, aidr=, cr2= take register values and set every key they "
	"define; later words override earlier ones.\n";

void smmu_caps_default(struct smmu_caps *c)
{
	memset(c, 0, sizeof *c);
	c->profile = "generic";
	c->version_minor = 1;
	c->oas_bits = 48;
	c->ssid_bits = 20;
	c->sid_bits = 32;
	c->asid16 = c->vmid16 = c->cd2l = c->s1p = c->s2p = 1;
	c->ttf = 2;
	c->gran4k = c->gran16k = c->gran64k = 1;
	c->had = 1;
	c->e2h = 1;
	/* An SMMUv3.1 with both stages implements Hyp (recommended, mandatory
	 * from v3.2), and a general-purpose one ATS, PRI and attribute
	 * overrides. Range invalidation is mandatory from v3.2 and Linux builds
	 * range commands only when IDR3.RIL says so, so a history holding them
	 * came from an SMMU with it: assuming it keeps them from being flagged. */
	c->hyp = c->ats = c->pri = c->ril = c->attr_types_ovr = c->attr_perms_ovr = 1;
}

/* What QEMU's SMMUv3 reports (hw/arm/smmuv3.c smmuv3_init_regs(), the same
 * from 7.2 to 10.1 with the default stage=1; read back from a 7.2 guest in
 * testdata/dumps/expected.json): stage 1 only, so no Hyp; no ATS, no
 * attribute overrides, SSIDSIZE 0, OAS 44. */
static void caps_qemu(struct smmu_caps *c)
{
	smmu_caps_default(c);
	c->profile = "qemu";
	smmu_caps_apply_reg(c, SMMU_IDR0, 0x0d40101a);
	smmu_caps_apply_reg(c, SMMU_IDR1, 0x02730010);
	smmu_caps_apply_reg(c, SMMU_IDR3, 0x1404);
	smmu_caps_apply_reg(c, SMMU_IDR5, 0x74);
	c->qemu = QEMU_DEFAULT;
}

static int set_profile(struct smmu_caps *c, const char *name)
{
	if (strcasecmp(name, "generic") == 0)
		smmu_caps_default(c);
	else if (strcasecmp(name, "qemu") == 0)
		caps_qemu(c);
	else if (strcasecmp(name, "linux-host") == 0) {
		smmu_caps_default(c);
		c->profile = "linux-host";
		c->httu = 2;
	} else
		return -1;
	return 0;
}

static int oas_valid(unsigned bits)
{
	static const unsigned ok[] = { 32, 36, 40, 42, 44, 48, 52, 56 };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (ok[i] == bits)
			return 1;
	return 0;
}

/* "7.2" as 702; -1 when not MAJOR.MINOR. */
static int parse_release(const char *s, unsigned *out)
{
	char *end;
	unsigned long major = strtoul(s, &end, 10);
	if (end == s || *end != '.' || major < 2 || major > 99)
		return -1;
	const char *m = end + 1;
	unsigned long minor = strtoul(m, &end, 10);
	if (end == m || *end || minor > 99)
		return -1;
	*out = (unsigned)(major * 100 + minor);
	return 0;
}

static int set_reg_key(struct smmu_caps *c, const char *key, const char *val, char *err,
		       size_t errlen)
{
	for (size_t i = 0; i < NREGKEYS; i++) {
		if (strcasecmp(reg_keys[i].name, key) != 0)
			continue;
		uint64_t v;
		if (pt_parse_u64(val, &v) != 0 || v > UINT32_MAX) {
			snprintf(err, errlen, "--caps %s=%s: a 32-bit register value", key, val);
			return -1;
		}
		smmu_caps_apply_reg(c, reg_keys[i].reg, v);
		return 0;
	}
	if (strcasecmp(key, "qemu") == 0) {
		if (parse_release(val, &c->qemu) == 0)
			return 0;
		snprintf(err, errlen, "--caps qemu=%s: %s", val, qemu_doc);
		return -1;
	}
	return 1;
}

static int set_key(struct smmu_caps *c, const char *key, const char *val, char *err,
		   size_t errlen)
{
	int rc = set_reg_key(c, key, val, err, errlen);
	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < NKEYS; i++) {
		const struct cap_key *k = &cap_keys[i];
		if (strcasecmp(k->name, key) != 0)
			continue;
		uint64_t v;
		if (pt_parse_u64(val, &v) != 0 || v > k->max ||
		    (strcmp(k->name, "oas") == 0 && !oas_valid((unsigned)v))) {
			snprintf(err, errlen, "--caps %s=%s: %s", key, val, k->doc);
			return -1;
		}
		/* Every member is an unsigned or an int of the same size. */
		unsigned u = (unsigned)v;
		memcpy((char *)c + k->offset, &u, sizeof u);
		return 0;
	}
	const char *names[NKEYS + NREGKEYS + 2];
	size_t n = 0;
	for (size_t i = 0; i < NKEYS; i++)
		names[n++] = cap_keys[i].name;
	for (size_t i = 0; i < NREGKEYS; i++)
		names[n++] = reg_keys[i].name;
	names[n++] = "qemu";
	names[n] = NULL;
	snprintf(err, errlen, "--caps: unknown key '%s' (see pasidtool validate --help)", key);
	pt_suggest_append(err, errlen, key, names);
	return -1;
}

static int on_name(void *ctx, const char *name, char *err, size_t errlen)
{
	if (set_profile(ctx, name) == 0)
		return 0;
	snprintf(err, errlen, "--caps: unknown profile '%s' (generic, qemu, linux-host)", name);
	return -1;
}

static int on_pair(void *ctx, const char *key, const char *value, char *err, size_t errlen)
{
	return set_key(ctx, key, value, err, errlen);
}

static const struct pt_kvlist_ops caps_syntax = { on_name, on_pair };

struct smmu_caps *smmu_caps_parse(const char *spec, char *err, size_t errlen)
{
	struct smmu_caps *c = malloc(sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	smmu_caps_default(c);
	if (pt_kvlist_parse(spec, &caps_syntax, c, err, errlen) != 0) {
		free(c);
		return NULL;
	}
	return c;
}

void smmu_caps_free(struct smmu_caps *caps)
{
	free(caps);
}

size_t smmu_caps_nkeys(void)
{
	return NKEYS + NREGKEYS + 1;
}

const char *smmu_caps_key(size_t i, const char **doc)
{
	if (i < NKEYS) {
		*doc = cap_keys[i].doc;
		return cap_keys[i].name;
	}
	i -= NKEYS;
	if (i < NREGKEYS) {
		*doc = reg_keys[i].doc;
		return reg_keys[i].name;
	}
	if (i == NREGKEYS) {
		*doc = qemu_doc;
		return "qemu";
	}
	return NULL;
}

uint64_t smmu_ste_ctx_pack(const struct smmu_ste_ctx *ctx)
{
	return (uint64_t)(ctx->present ? 1 : 0) | (uint64_t)(ctx->s1dss & 3) << 4 |
	       (uint64_t)(ctx->s1stalld & 1) << 8 | (uint64_t)(ctx->strw & 3) << 12 |
	       (uint64_t)(ctx->config & 7) << 16;
}

void smmu_ste_ctx_unpack(uint64_t word, struct smmu_ste_ctx *ctx)
{
	ctx->present = (int)(word & 1);
	ctx->s1dss = (unsigned)(word >> 4) & 3;
	ctx->s1stalld = (unsigned)(word >> 8) & 1;
	ctx->strw = (unsigned)(word >> 12) & 3;
	ctx->config = (unsigned)(word >> 16) & 7;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The caps an SMMU's own ID registers define: the one place where IDR0,
 * IDR1, IDR3, IDR5, AIDR and CR2 values become --caps keys, for --caps
 * idr0=..., --regs FILE and iommufd's hw_info alike. */
#include <stdio.h>

#include "smmuv3.h"
#include "smmuv3_regs.h"

static unsigned fld(enum smmu_reg r, uint64_t v, unsigned f)
{
	return (unsigned)smmu_reg_field(r, v, f);
}

static void apply_idr0(struct smmu_caps *c, uint64_t v)
{
	c->s2p = (int)fld(SMMU_IDR0, v, IDR0_S2P);
	c->s1p = (int)fld(SMMU_IDR0, v, IDR0_S1P);
	c->ttf = fld(SMMU_IDR0, v, IDR0_TTF);
	c->httu = fld(SMMU_IDR0, v, IDR0_HTTU);
	c->hyp = (int)fld(SMMU_IDR0, v, IDR0_HYP);
	c->ats = (int)fld(SMMU_IDR0, v, IDR0_ATS);
	c->pri = (int)fld(SMMU_IDR0, v, IDR0_PRI);
	c->asid16 = (int)fld(SMMU_IDR0, v, IDR0_ASID16);
	c->vmid16 = (int)fld(SMMU_IDR0, v, IDR0_VMID16);
	c->cd2l = (int)fld(SMMU_IDR0, v, IDR0_CD2L);
	c->ttendian = fld(SMMU_IDR0, v, IDR0_TTENDIAN);
	c->stall_model = fld(SMMU_IDR0, v, IDR0_STALL_MODEL);
	c->term_model = (int)fld(SMMU_IDR0, v, IDR0_TERM_MODEL);
}

static void apply_idr1(struct smmu_caps *c, uint64_t v)
{
	unsigned sid = fld(SMMU_IDR1, v, IDR1_SIDSIZE), ssid = fld(SMMU_IDR1, v, IDR1_SSIDSIZE);
	/* Values beyond the architecture's ranges are reserved: keep them in
	 * range so nothing downstream shifts by more than it can. */
	c->sid_bits = sid <= 32 ? sid : 32;
	c->ssid_bits = ssid <= 20 ? ssid : 20;
	c->attr_types_ovr = (int)fld(SMMU_IDR1, v, IDR1_ATTR_TYPES_OVR);
	c->attr_perms_ovr = (int)fld(SMMU_IDR1, v, IDR1_ATTR_PERMS_OVR);
}

static void apply_idr3(struct smmu_caps *c, uint64_t v)
{
	c->had = (int)fld(SMMU_IDR3, v, IDR3_HAD);
	c->pbha = (int)fld(SMMU_IDR3, v, IDR3_PBHA);
	c->stt = (int)fld(SMMU_IDR3, v, IDR3_STT);
	c->ril = (int)fld(SMMU_IDR3, v, IDR3_RIL);
	c->e0pd = (int)fld(SMMU_IDR3, v, IDR3_E0PD);
	c->epan = (int)fld(SMMU_IDR3, v, IDR3_EPAN);
	c->s1pi = (int)fld(SMMU_IDR3, v, IDR3_S1PI);
	c->the = (int)fld(SMMU_IDR3, v, IDR3_THE);
	c->aie = (int)fld(SMMU_IDR3, v, IDR3_AIE);
}

/* IDR5.OAS encodings as bits (IHI 0070 §6.3.6). */
static const unsigned oas_bits[8] = { 32, 36, 40, 42, 44, 48, 52, 56 };

static void apply_idr5(struct smmu_caps *c, uint64_t v)
{
	c->oas_bits = oas_bits[fld(SMMU_IDR5, v, IDR5_OAS) & 7];
	c->gran4k = (int)fld(SMMU_IDR5, v, IDR5_GRAN4K);
	c->gran16k = (int)fld(SMMU_IDR5, v, IDR5_GRAN16K);
	c->gran64k = (int)fld(SMMU_IDR5, v, IDR5_GRAN64K);
	c->ds = (int)fld(SMMU_IDR5, v, IDR5_DS);
	unsigned vax = fld(SMMU_IDR5, v, IDR5_VAX);
	c->vax = (int)(vax <= 2 ? vax : 0);
}

void smmu_caps_apply_reg(struct smmu_caps *c, enum smmu_reg r, uint64_t v)
{
	switch (r) {
	case SMMU_IDR0: apply_idr0(c, v); break;
	case SMMU_IDR1: apply_idr1(c, v); break;
	case SMMU_IDR3: apply_idr3(c, v); break;
	case SMMU_IDR5: apply_idr5(c, v); break;
	case SMMU_AIDR: {
		unsigned minor = fld(SMMU_AIDR, v, AIDR_MINOR);
		c->version_minor = minor <= 4 ? minor : 4;
		break;
	}
	case SMMU_CR2: c->e2h = (int)fld(SMMU_CR2, v, CR2_E2H); break;
	default: break;
	}
}

/* Registers that define caps, in the order they are applied. */
static const enum smmu_reg caps_regs[] = { SMMU_IDR0, SMMU_IDR1, SMMU_IDR3, SMMU_IDR5,
					   SMMU_AIDR, SMMU_CR2 };
#define NCAPS_REGS (sizeof caps_regs / sizeof caps_regs[0])

void smmu_caps_apply_regs(struct smmu_caps *c, const struct smmu_regs *r)
{
	for (size_t i = 0; i < NCAPS_REGS; i++)
		if (smmu_regs_have(r, caps_regs[i]))
			smmu_caps_apply_reg(c, caps_regs[i], r->value[caps_regs[i]]);
}

size_t smmu_regs_caps_spec(const struct smmu_regs *r, char *buf, size_t len)
{
	size_t n = 0;
	if (!len)
		return 0;
	buf[0] = '\0';
	for (size_t i = 0; i < NCAPS_REGS; i++) {
		if (!smmu_regs_have(r, caps_regs[i]))
			continue;
		char name[8];
		const char *up = smmu_reg_info(caps_regs[i])->name;
		size_t k = 0;
		for (; up[k] && k + 1 < sizeof name; k++)
			name[k] = (char)(up[k] | 0x20);
		name[k] = '\0';
		int w = snprintf(buf + n, len - n, "%s%s=0x%llx", n ? "," : "", name,
				 (unsigned long long)r->value[caps_regs[i]]);
		if (w < 0 || (size_t)w >= len - n) {
			buf[0] = '\0';
			return 0;
		}
		n += (size_t)w;
	}
	return n;
}

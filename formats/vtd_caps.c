/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VT-d remapping unit validation assumes (--caps): named CAP_REG/ECAP_REG
 * fields, or the two registers whole ("cap=0x...,ecap=0x..." as read from
 * /sys/class/iommu/dmarN/intel-iommu/{cap,ecap}), over a profile. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emit.h"
#include "kvlist.h"
#include "vtd.h"

struct cap_key {
	const char *name;
	size_t offset;       /* of an unsigned member of struct vtd_caps */
	unsigned min, max;
	const char *doc;
};

#define K(n, m, lo, hi, d) { n, offsetof(struct vtd_caps, m), lo, hi, d }

static const struct cap_key cap_keys[] = {
	K("sagaw", sagaw, 0, 31, "CAP.SAGAW bit mask: 2 = 39-bit, 4 = 48-bit, 8 = 57-bit"),
	K("mgaw", mgaw, 12, 64, "host address width in bits (CAP.MGAW + 1)"),
	K("nd", nd, 0, 6, "CAP.ND: 2^(4+2*ND) domain ids"),
	K("fl1gp", fl1gp, 0, 1, "CAP.FL1GP: first-stage 1 GiB pages"),
	K("fl5lp", fl5lp, 0, 1, "CAP.FL5LP: first-stage 5-level paging (FLPM = 1)"),
	K("pt", pt, 0, 1, "ECAP.PT: pass-through (PGTT 100)"),
	K("mts", mts, 0, 1, "ECAP.MTS: memory type fields (CD, EMTE, EMT, PWT, PCD, PAT)"),
	K("nest", nest, 0, 1, "ECAP.NEST: nested translation (PGTT 011)"),
	K("ers", ers, 0, 1, "ECAP.ERS: execute requests (ERE)"),
	K("srs", srs, 0, 1, "ECAP.SRS: supervisor requests (SRE)"),
	K("eafs", eafs, 0, 1, "ECAP.EAFS: extended accessed flag (EAFE)"),
	K("pss", pss, 0, 19, "ECAP.PSS: PASID bits - 1"),
	K("pasid", pasid, 0, 1, "ECAP.PASID: requests with PASID"),
	K("smts", smts, 0, 1, "ECAP.SMTS: scalable-mode translation"),
	K("slads", slads, 0, 1, "ECAP.SLADS: second-stage accessed/dirty (SLADE)"),
	K("slts", slts, 0, 1, "ECAP.SLTS: second-stage translation (PGTT 010)"),
	K("flts", flts, 0, 1, "ECAP.FLTS: first-stage translation (PGTT 001)"),
	K("smpwc", smpwc, 0, 1, "ECAP.SMPWC: snooped page walks (PWSNP)"),
};

#define NKEYS (sizeof cap_keys / sizeof cap_keys[0])

/* A unit with every feature an entry may use and a 48-bit host: what a
 * recent server part reports, so a Linux-written entry validates clean. */
void vtd_caps_default(struct vtd_caps *c)
{
	memset(c, 0, sizeof *c);
	c->profile = "generic";
	c->sagaw = 0x6;
	c->mgaw = 48;
	c->nd = 6;
	c->fl1gp = 1;
	c->pt = c->nest = c->srs = c->slads = c->slts = c->flts = c->smpwc = c->smts = 1;
	c->pasid = 1;
	c->pss = 19;
}

/* QEMU's intel-iommu with x-scalable-mode=on,x-pasid-mode=on and its default
 * aw-bits 39: second-stage only, no first stage, no nesting (vtd_cap_init). */
static void caps_qemu(struct vtd_caps *c)
{
	memset(c, 0, sizeof *c);
	c->profile = "qemu";
	c->sagaw = 0x2;
	c->mgaw = 39;
	c->nd = 6;
	c->pt = c->srs = c->slts = c->smts = c->pasid = 1;
	c->pss = 19;
}

/* QEMU with x-flts=on: first-stage only, 48-bit, FS1GP. */
static void caps_qemu_flts(struct vtd_caps *c)
{
	caps_qemu(c);
	c->profile = "qemu-flts";
	c->sagaw = 0x6;
	c->mgaw = 48;
	c->srs = c->slts = 0;
	c->flts = c->fl1gp = 1;
}

static unsigned bit(uint64_t v, unsigned n)
{
	return (unsigned)(v >> n) & 1;
}

/* CAP_REG fields (VT-d §11.4.2). */
void vtd_caps_from_cap(struct vtd_caps *c, uint64_t cap)
{
	c->nd = (unsigned)cap & 7;
	c->sagaw = (unsigned)(cap >> 8) & 0x1f;
	c->mgaw = ((unsigned)(cap >> 16) & 0x3f) + 1;
	c->fl1gp = bit(cap, 56);
	c->fl5lp = bit(cap, 60);
}

/* ECAP_REG fields (VT-d §11.4.3). */
void vtd_caps_from_ecap(struct vtd_caps *c, uint64_t ecap)
{
	c->pt = bit(ecap, 6);
	c->mts = bit(ecap, 25);
	c->nest = bit(ecap, 26);
	c->ers = bit(ecap, 30);
	c->srs = bit(ecap, 31);
	c->eafs = bit(ecap, 34);
	c->pss = (unsigned)(ecap >> 35) & 0x1f;
	c->pasid = bit(ecap, 40);
	c->smts = bit(ecap, 43);
	c->slads = bit(ecap, 45);
	c->slts = bit(ecap, 46);
	c->flts = bit(ecap, 47);
	c->smpwc = bit(ecap, 48);
}

static int set_profile(struct vtd_caps *c, const char *name)
{
	if (strcasecmp(name, "generic") == 0)
		vtd_caps_default(c);
	else if (strcasecmp(name, "qemu") == 0)
		caps_qemu(c);
	else if (strcasecmp(name, "qemu-flts") == 0)
		caps_qemu_flts(c);
	else
		return -1;
	return 0;
}

static int set_register(struct vtd_caps *c, const char *key, const char *val, char *err,
			size_t errlen)
{
	uint64_t v;
	if (pt_parse_u64(val, &v) != 0) {
		snprintf(err, errlen, "--caps %s=%s: expected the register's value", key, val);
		return -1;
	}
	if (strcasecmp(key, "cap") == 0)
		vtd_caps_from_cap(c, v);
	else
		vtd_caps_from_ecap(c, v);
	return 0;
}

static int set_key(struct vtd_caps *c, const char *key, const char *val, char *err,
		   size_t errlen)
{
	if (strcasecmp(key, "cap") == 0 || strcasecmp(key, "ecap") == 0)
		return set_register(c, key, val, err, errlen);
	for (size_t i = 0; i < NKEYS; i++) {
		const struct cap_key *k = &cap_keys[i];
		if (strcasecmp(k->name, key) != 0)
			continue;
		uint64_t v;
		if (pt_parse_u64(val, &v) != 0 || v < k->min || v > k->max) {
			snprintf(err, errlen, "--caps %s=%s: %s (%u..%u)", key, val, k->doc, k->min,
				 k->max);
			return -1;
		}
		unsigned u = (unsigned)v;
		memcpy((char *)c + k->offset, &u, sizeof u);
		return 0;
	}
	snprintf(err, errlen, "--caps: unknown VT-d key '%s' (cap, ecap, sagaw, mgaw, nd, ...; "
		 "see docs/vendors.md)", key);
	return -1;
}

static int on_name(void *ctx, const char *name, char *err, size_t errlen)
{
	if (set_profile(ctx, name) == 0)
		return 0;
	snprintf(err, errlen, "--caps: unknown VT-d profile '%s' (generic, "
					 "qemu, qemu-flts)", name);
	return -1;
}

static int on_pair(void *ctx, const char *key, const char *value, char *err, size_t errlen)
{
	return set_key(ctx, key, value, err, errlen);
}

static const struct pt_kvlist_ops caps_syntax = { on_name, on_pair };

struct vtd_caps *vtd_caps_parse(const char *spec, char *err, size_t errlen)
{
	struct vtd_caps *c = malloc(sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	vtd_caps_default(c);
	if (pt_kvlist_parse(spec, &caps_syntax, c, err, errlen) != 0) {
		free(c);
		return NULL;
	}
	return c;
}

void vtd_caps_free(struct vtd_caps *caps)
{
	free(caps);
}

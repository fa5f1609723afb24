/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtio-iommu ATTACH_TABLE requests left in a dump (a driver's request
 * buffers, a VMM's copy of a virtqueue): words whose head says
 * ATTACH_TABLE, framed and checked by the request field tables and the
 * ATTACH-* rules of `attach validate`, in each draft variant, and kept only
 * when the PASID table they name holds a CD table in the dump. */
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "viommu.h"
#include "viommu_scan.h"

/* A hostile dump can start a request in every word; past the cap the scan
 * says what it dropped. */
#define MAX_HEADS 65536u

struct state {
	uint64_t *heads;          /* addresses of words that start like an ATTACH_TABLE */
	size_t nheads, cheads;
	uint64_t dropped;
};

static void *start(struct pt_scan *s)
{
	(void)s;
	return calloc(1, sizeof(struct state));
}

static void free_state(void *p)
{
	struct state *st = p;
	free(st->heads);
	free(st);
}

/* The head every variant shares: type, then three reserved bytes. Requests
 * are at least 4-byte aligned in a virtqueue buffer; drivers allocate them
 * 8-byte aligned. */
static void page(struct pt_scan *s, void *p, uint64_t addr, const uint8_t *pg)
{
	struct state *st = p;
	(void)s;
	for (unsigned i = 0; i < PT_SCAN_PAGE; i += 8) {
		if (pg[i] != PT_VT_ATTACH_TABLE || pg[i + 1] || pg[i + 2] || pg[i + 3])
			continue;
		uint64_t *e = pt_scan_push(&st->heads, &st->nheads, &st->cheads, MAX_HEADS,
					   sizeof *e, &st->dropped);
		if (e)
			*e = addr + i;
	}
}

/* One variant's reading of the bytes at addr: a PASID-table request its
 * rules find no error in, and the table config it names. */
static int judge(const uint8_t *buf, size_t len, uint64_t addr, enum pt_viommu_variant v,
		 struct pt_viommu_req *req, struct pt_table_cfg *cfg, uint32_t *domain,
		 uint32_t *endpoint)
{
	struct pt_viommu_ctx ctx = { v, PT_VIOMMU_DEFAULT_PROBE_SIZE, 0 };
	struct pt_viommu_caps caps;
	struct pt_viommu_state state;
	struct pt_diag_sink sink;
	char err[160];
	pt_viommu_caps_default(&caps);
	memset(&state, 0, sizeof state);
	pt_diag_init(&sink, "scan", NULL);
	sink.fold = 0;
	sink.count_only = 1;
	int ok = pt_viommu_next(&ctx, buf, len, addr, req, &sink) == 0 &&
		 (req->kind->view == PT_VW_PST_ARM || req->kind->view == PT_VW_STE_ARM);
	if (ok)
		pt_viommu_check(&ctx, req, &caps, &state, &sink);
	ok = ok && !sink.counts[PT_SEV_ERROR] &&
	     pt_viommu_attach_to_cfg(req, cfg, domain, endpoint, err, sizeof err) == 0;
	pt_diag_free(&sink);
	return ok;
}

/* What the PASID table it names holds: 2 when the scan lists a CD table
 * there, 1 when its first CD is valid and its checks find no error. */
static int table_found(struct pt_scan *s, const struct pt_table_cfg *cfg, int *score,
		       uint64_t *cd0)
{
	const struct pt_scan_candidate *c = pt_scan_find(s, cfg->fmt->name, cfg->base);
	if (c) {
		*score = c->score;
		return 2;
	}
	uint8_t raw[64];
	const char *why;
	size_t size = cfg->fmt->entry->size;
	struct pt_scan_verdict v;
	if (size > sizeof raw || pt_entry_address(s->src, cfg, 0, cd0, &why) != 0 ||
	    pt_source_read(s->src, *cd0, raw, size) != PT_READ_OK || !cfg->fmt->entry_valid ||
	    !cfg->fmt->entry_valid(raw))
		return 0;
	pt_scan_check(cfg->fmt, cfg, 0, 0, *cd0, raw, &v);
	return v.errors ? 0 : 1;
}

/* The PASID table a request names is a CD table found: the request says
 * so in its evidence and raises its score, or lists it when the SMMU
 * scanner did not (a lone CD whose page tables are not in the dump). */
static void name_table(struct pt_scan *s, const struct pt_table_cfg *cfg, uint64_t req)
{
	struct pt_scan_candidate *c = pt_scan_find(s, cfg->fmt->name, cfg->base);
	if (c) {
		c->score = c->score + 20 > 100 ? 100 : c->score + 20;
	} else if ((c = pt_scan_add(s, cfg->fmt->name, cfg->base, 60)) != NULL) {
		pt_scan_arg(c, "--cd-table", "0x%llx", (unsigned long long)cfg->base);
		pt_scan_arg(c, "--layout", "%s", cfg->layout->name);
		pt_scan_arg(c, "--ssid-bits", "%u", cfg->ssid_bits);
	}
	pt_scan_evidence(c, "the virtio-iommu ATTACH_TABLE request at 0x%llx names it",
			 (unsigned long long)req);
}

static void add(struct pt_scan *s, uint64_t addr, enum pt_viommu_variant v,
		const struct pt_viommu_req *req, const struct pt_table_cfg *cfg, uint32_t domain,
		uint32_t endpoint)
{
	int table_score = 0;
	uint64_t cd0 = 0;
	int found = table_found(s, cfg, &table_score, &cd0);
	if (!found)
		return;
	struct pt_scan_candidate *c = pt_scan_add(s, req->kind->st->name, addr,
						  found == 2 ? 90 : 80);
	if (!c)
		return;
	c->command = "attach decode";
	pt_scan_arg(c, "--at", "0x%llx", (unsigned long long)addr);
	if (v != PT_VV_RFC1)
		pt_scan_arg(c, "--variant", "%s", pt_viommu_variant(v)->name);
	pt_scan_evidence(c, "ATTACH_TABLE (%s, %u bytes) for domain %u, endpoint %u: the ATTACH "
			    "rules find no error", pt_viommu_variant(v)->name, req->size, domain,
			 endpoint);
	pt_scan_evidence(c, "its PASID table: %s at 0x%llx, %s, %u SSID bits", cfg->fmt->name,
			 (unsigned long long)cfg->base, cfg->layout->name, cfg->ssid_bits);
	if (found == 2)
		pt_scan_evidence(c, "which the scan lists (score %d)", table_score);
	else
		pt_scan_evidence(c, "whose CD 0 at 0x%llx is valid, no errors",
				 (unsigned long long)cd0);
	name_table(s, cfg, addr);
}

/* Each head read once, judged in every variant; the first that reads a
 * PASID-table request there names the candidate. */
static void finish(struct pt_scan *s, void *p)
{
	struct state *st = p;
	for (size_t i = 0; i < st->nheads; i++) {
		uint64_t addr = st->heads[i], run;
		uint8_t buf[PT_VIOMMU_MAX_FIXED];
		if (pt_source_probe(s->src, addr, &run) != PT_MEM_DATA)
			continue;
		size_t len = run < sizeof buf ? (size_t)run : sizeof buf;
		if (pt_source_read(s->src, addr, buf, len) != PT_READ_OK)
			continue;
		for (unsigned v = 0; v < PT_VV_COUNT; v++) {
			struct pt_viommu_req req;
			struct pt_table_cfg cfg;
			uint32_t domain, endpoint;
			/* V09D reads a PASID-table request with RFC1's bytes. */
			if (v == PT_VV_V09D ||
			    !judge(buf, len, addr, (enum pt_viommu_variant)v, &req, &cfg, &domain,
				   &endpoint))
				continue;
			add(s, addr, (enum pt_viommu_variant)v, &req, &cfg, domain, endpoint);
			break;
		}
	}
	s->overflow += st->dropped;
}

static const struct pt_scanner viommu_scanner = { "viommu", start, page, finish, free_state };

void viommu_scan_register(void)
{
	pt_scanner_register(&viommu_scanner);
}

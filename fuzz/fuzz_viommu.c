/* SPDX-License-Identifier: GPL-2.0-or-later */
/* viommu: virtio-iommu request streams (formats/viommu_*.c) as `attach
 * decode|validate` reads them, optionally with a dump holding the attached
 * CD tables.
 *
 * Input: a 16-byte header, then `stream_len` bytes of requests, then the
 * dump placed at `dump_base`:
 *   byte 0   bits 0-2 variant, bit 3 --probe-size given, bit 4 caps from the
 *            first PROBE, bit 5 a dump follows, bit 6 text output
 *   byte 1   caps spec (index into caps_specs)
 *   u16      probe size; u16 stream_len; u16 spare; u64 dump base
 * Checks, per request framed by pt_viommu_next:
 *   - it lies inside the stream, and its JSON (pt_viommu_json) prints, parses
 *     and builds (pt_viommu_build, what `attach build` runs) back into the
 *     very same bytes;
 *   - an ATTACH_TABLE's table config, turned back into a request
 *     (pt_viommu_attach_from_cfg) and decoded again, gives the same config;
 *   - the INVALIDATEs a guest owes for that table frame as requests.
 * The attached CD table is walked over the dump with the CD rules, as
 * `attach validate --dump` does. */
#include "fuzz.h"
#include "viommu.h"

#define HDR 16u
/* Attached tables walked per input, and their size: enough to reach the
 * walker from a request without spending the run on 2^20 entries. */
#define MAX_WALKS 4u
#define MAX_WALK_BITS 10u

static const char *const caps_specs[] = {
	NULL, /* defaults */
	"pasid_bits=10,asid_bits=8,oas=44,cd2l=0",
	"pasid_bits=20,asid_bits=16,oas=48,cd2l=1,pst_format=1,pgt_format=1",
	"pasid_bits=0,oas=32,page_size_mask=0x1000",
	"pst_format=2,pgt_format=2,page_size_mask=0xfffffffffffff000",
};
#define NCAPS (sizeof caps_specs / sizeof caps_specs[0])

struct run {
	struct pt_viommu_ctx ctx;
	uint8_t flags;
	const uint8_t *stream;
	size_t slen;
	struct pt_source dump;
	int has_dump;
	struct pt_viommu_caps caps;
	struct pt_viommu_state state;
	struct pt_diag_sink diags;
	struct pt_table_cfg walked[MAX_WALKS];
	unsigned nwalked;
	void *cd_caps;
};

static void check_rebuild(const struct run *r, const struct pt_viommu_req *req)
{
	json_t *j = pt_viommu_json(&r->ctx, req);
	char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	FZ_CHECK(text, "request at %llu: JSON does not print", (unsigned long long)req->offset);
	json_error_t je;
	json_t *back = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	FZ_CHECK(back, "request JSON does not parse (%s): %s", je.text, text);
	uint8_t *out = malloc(req->size + 64);
	if (!out)
		abort();
	size_t outlen = 0;
	char err[256];
	int rc = pt_viommu_build(back, r->ctx.variant, 1, req->probe_size, out, req->size + 64,
				 &outlen, err, sizeof err);
	FZ_CHECK(rc == 0, "decoded request does not build (%s): %s", err, text);
	FZ_CHECK(outlen == req->size && memcmp(out, req->bytes, req->size) == 0,
		 "request at %llu (%u bytes) rebuilds into %zu different bytes: %s",
		 (unsigned long long)req->offset, req->size, outlen, text);
	free(out);
	json_decref(back);
	free(text);
}

static int same_cfg(const struct pt_table_cfg *a, const struct pt_table_cfg *b)
{
	return a->fmt == b->fmt && a->base == b->base && a->ssid_bits == b->ssid_bits &&
	       (a->ssid_bits == 0 || a->layout == b->layout);
}

/* The table an ATTACH_TABLE names: back and forth, its invalidations, and a
 * walk over the dump. */
static void attached(struct run *r, const struct pt_viommu_req *req)
{
	struct pt_table_cfg cfg;
	uint32_t domain = 0, endpoint = 0;
	char err[160];
	if (pt_viommu_attach_to_cfg(req, &cfg, &domain, &endpoint, err, sizeof err) != 0)
		return;
	uint8_t buf[PT_VIOMMU_MAX_FIXED * 2];
	size_t len = 0;
	const char *vname = pt_viommu_variant(r->ctx.variant)->name;
	if (pt_viommu_attach_from_cfg(&cfg, domain, endpoint, vname, buf, sizeof buf, &len) == 0) {
		struct pt_viommu_req again;
		struct pt_diag_sink tmp;
		pt_diag_init(&tmp, "again", NULL);
		FZ_CHECK(pt_viommu_next(&r->ctx, buf, len, 0, &again, &tmp) == 0,
			 "attach_from_cfg wrote a request that does not frame");
		struct pt_table_cfg cfg2;
		FZ_CHECK(pt_viommu_attach_to_cfg(&again, &cfg2, NULL, NULL, err, sizeof err) == 0 &&
				 same_cfg(&cfg, &cfg2),
			 "table 0x%llx/%u bits -> request -> table 0x%llx/%u bits",
			 (unsigned long long)cfg.base, cfg.ssid_bits, (unsigned long long)cfg2.base,
			 cfg2.ssid_bits);
		pt_diag_free(&tmp);
	}
	uint32_t ssids[3] = { 0, 1, (1u << cfg.ssid_bits) - 1 };
	uint8_t inval[4096];
	if (pt_viommu_invalidations(&cfg, domain, vname, ssids, 3, inval, sizeof inval, &len) == 0) {
		size_t off = 0;
		struct pt_diag_sink tmp;
		pt_diag_init(&tmp, "inval", NULL);
		while (off < len) {
			struct pt_viommu_req q;
			FZ_CHECK(pt_viommu_next(&r->ctx, inval + off, len - off, off, &q, &tmp) == 0 &&
					 q.size > 0,
				 "invalidation at %zu of %zu does not frame", off, len);
			off += q.size;
		}
		pt_diag_free(&tmp);
	}
	if (!r->has_dump || r->nwalked >= MAX_WALKS || cfg.ssid_bits > MAX_WALK_BITS)
		return;
	for (unsigned i = 0; i < r->nwalked; i++)
		if (same_cfg(&r->walked[i], &cfg) && r->walked[i].vendor[0] == cfg.vendor[0])
			return;
	r->walked[r->nwalked++] = cfg;
	if (!pt_viommu_check_dump(req, &cfg, &r->dump, &r->diags))
		return;
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.src = &r->dump;
	w.diags = &r->diags;
	w.caps = r->cd_caps;
	w.validate = 1;
	pt_walk_run(&w);
}

static int count_prop(void *user, uint32_t off, const struct pt_viommu_prop *prop,
		      const uint8_t *pbytes, uint32_t plen, uint32_t declared_len)
{
	uint64_t *n = user;
	(*n)++;
	(void)off;
	(void)prop;
	(void)declared_len;
	if (plen)
		FZ_CHECK(pbytes != NULL, "property without bytes");
	return 0;
}

static void one(struct run *r, const struct pt_viommu_req *req)
{
	FZ_CHECK(req->size > 0 && req->offset + req->size <= r->slen &&
			 req->bytes == r->stream + req->offset,
		 "request at %llu of %u bytes outside the %zu-byte stream",
		 (unsigned long long)req->offset, req->size, r->slen);
	if (r->flags & 0x40)
		pt_viommu_print(fz_null(), &r->ctx, req, 0);
	check_rebuild(r, req);
	uint64_t v, nprops = 0;
	pt_viommu_get(req, "domain", &v);
	pt_viommu_get(req, "endpoint", &v);
	(void)pt_viommu_status(req);
	if (req->kind->type == PT_VT_PROBE) {
		pt_viommu_props_foreach(&r->ctx, req, count_prop, &nprops);
		FZ_CHECK(nprops <= req->probe_size / 4 + 1, "%llu properties in %u bytes",
			 (unsigned long long)nprops, req->probe_size);
	}
	pt_viommu_check(&r->ctx, req, &r->caps, &r->state, &r->diags);
	if (req->kind->view == PT_VW_PST_ARM || req->kind->view == PT_VW_STE_ARM)
		attached(r, req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	if (size < HDR)
		return 0;
	static struct run r;
	memset(&r, 0, sizeof r);
	struct fz_in in = { data, size };
	r.flags = fz_u8(&in);
	uint8_t capsel = fz_u8(&in);
	uint16_t probe = (uint16_t)fz_uint(&in, 2), slen = (uint16_t)fz_uint(&in, 2);
	(void)fz_uint(&in, 2);
	uint64_t dump_base = fz_u64(&in);
	r.ctx.variant = (enum pt_viommu_variant)((r.flags & 7u) % PT_VV_COUNT);
	r.ctx.probe_size_given = (r.flags & 8) != 0;
	r.ctx.probe_size = r.ctx.probe_size_given ? probe : PT_VIOMMU_DEFAULT_PROBE_SIZE;
	r.stream = in.p;
	r.slen = slen < in.n ? slen : in.n;
	pt_diag_init(&r.diags, "fuzz.bin", NULL);
	pt_viommu_caps_default(&r.caps);
	char err[256];
	const char *spec = caps_specs[capsel % NCAPS];
	if (spec && pt_viommu_caps_parse(spec, &r.caps, err, sizeof err) != 0)
		pt_viommu_caps_default(&r.caps);
	r.has_dump = (r.flags & 0x20) && in.n > r.slen;
	pt_source_init(&r.dump, "dump");
	if (r.has_dump) {
		pt_source_add_buffer(&r.dump, "dump", in.p + r.slen, in.n - r.slen);
		pt_source_add_range(&r.dump, dump_base, in.n - r.slen, 0, 0, in.n - r.slen);
		r.has_dump = pt_source_finish(&r.dump, &r.diags) == 0;
	}
	static void *cd_caps;
	if (!cd_caps) {
		const struct pt_format *cd = pt_format_find("smmuv3-cd");
		cd_caps = cd->caps_parse("generic", err, sizeof err);
	}
	r.cd_caps = cd_caps;
	(void)pt_viommu_guess_variant(&r.ctx, r.stream, r.slen);
	int probe_done = 0;
	size_t off = 0;
	while (off < r.slen) {
		struct pt_viommu_req req;
		if (pt_viommu_next(&r.ctx, r.stream + off, r.slen - off, off, &req, &r.diags) != 0)
			break;
		if ((r.flags & 0x10) && !probe_done && req.kind->type == PT_VT_PROBE) {
			pt_viommu_caps_from_probe(&r.ctx, &req, &r.caps);
			probe_done = 1;
		}
		one(&r, &req);
		off += req.size;
	}
	pt_diag_flush_text(&r.diags, fz_null());
	pt_source_free(&r.dump);
	pt_diag_free(&r.diags);
	return 0;
}

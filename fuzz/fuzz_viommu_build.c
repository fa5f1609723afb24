/* SPDX-License-Identifier: GPL-2.0-or-later */
/* viommu_build: virtio-iommu request descriptions as `attach build` reads
 * them ({"requests": [...]} or one request object; pt_viommu_build), both
 * the hand-written short form (field names as keys, defaults for the rest)
 * and what `attach decode --json` prints.
 *
 * Input: the JSON text. The first byte of the document's "variant" choice is
 * left to the JSON; the default variant and whether it is forced come from
 * the length of the input (so the same text keeps its meaning). Every
 * request that builds must frame again with pt_viommu_next into exactly the
 * bytes written (its size, nothing left over), and its decoded JSON must
 * build back into the same bytes. The custom mutator works on the parsed
 * tree (fuzz/json_mutator.h); the dictionary holds every request field name. */
#include "fuzz.h"
#include "json_mutator.h"
#include "viommu.h"

#define OUT_CAP (PT_VIOMMU_PROBE_HEAD + 4096u + PT_VIOMMU_TAIL)
/* PROBE sizes beyond this are legal (up to 1 MiB) but only slow the run. */
#define MAX_PROBE 4096u

static void one(const json_t *req, enum pt_viommu_variant variant, int forced, uint32_t probe,
		uint8_t *out)
{
	size_t n = 0;
	char err[256];
	if (pt_viommu_build(req, variant, forced, probe, out, OUT_CAP, &n, err, sizeof err) != 0)
		return;
	FZ_CHECK(n > 0 && n <= OUT_CAP, "built %zu bytes", n);
	/* Decode it as attach decode would, with the variant it was built for. */
	const char *vname = json_string_value(json_object_get(req, "variant"));
	struct pt_viommu_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.variant = variant;
	if (vname && !forced)
		pt_viommu_variant_parse(vname, &ctx.variant);
	ctx.probe_size = probe;
	ctx.probe_size_given = 1;
	struct pt_viommu_req r;
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "built", NULL);
	int rc = pt_viommu_next(&ctx, out, n, 0, &r, &diags);
	if (rc == 0 && r.size == n) {
		/* decode --json -> build gives the same bytes. */
		json_t *j = pt_viommu_json(&ctx, &r);
		uint8_t *again = malloc(OUT_CAP);
		size_t m = 0;
		if (!again)
			abort();
		int brc = pt_viommu_build(j, ctx.variant, 1, r.probe_size, again, OUT_CAP, &m, err,
					  sizeof err);
		char *text = json_dumps(j, JSON_COMPACT);
		FZ_CHECK(brc == 0 && m == n && memcmp(again, out, n) == 0,
			 "built %zu bytes, decoded and rebuilt %zu (%s): %s", n, m,
			 brc ? err : "differ", text ? text : "?");
		free(text);
		free(again);
		json_decref(j);
	}
	pt_diag_free(&diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	json_error_t je;
	json_t *spec = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!spec)
		return 0;
	enum pt_viommu_variant variant = (enum pt_viommu_variant)(size % PT_VV_COUNT);
	int forced = (size / PT_VV_COUNT) % 2;
	uint32_t probe = PT_VIOMMU_DEFAULT_PROBE_SIZE;
	uint64_t p;
	if (pt_json_u64(json_object_get(spec, "probe_size"), &p) == 0 && p <= MAX_PROBE)
		probe = (uint32_t)p;
	static uint8_t out[OUT_CAP];
	const json_t *reqs = json_object_get(spec, "requests");
	if (json_is_array(reqs)) {
		size_t i;
		const json_t *req;
		json_array_foreach(reqs, i, req) {
			if (i >= 64)
				break;
			one(req, variant, forced, probe, out);
		}
	} else if (json_is_object(spec)) {
		one(spec, variant, forced, probe, out);
	}
	json_decref(spec);
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	return fz_json_mutate(data, size, max_size, seed);
}

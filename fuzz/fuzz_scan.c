/* SPDX-License-Identifier: GPL-2.0-or-later */
/* scan: the scan driver (core/scan.c) and every registered scanner
 * (formats/VENDOR_scan.c) over a dump, as `pasidtool scan` runs them.
 *
 * Input: a 16-byte header, then the dump.
 *   [0]     flags: bit 0 reads the dump as a raw image even when it starts
 *           like an ELF core or a kdump-compressed file
 *   [1..3]  --max-entries, little-endian (0: 2^16, so a run stays short)
 *   [4..7]  unused
 *   [8..15] the raw image's address (its low 12 bits kept, so pages the
 *           range cuts are exercised)
 * Oracles: the budget is never overspent; every page shown lies in the
 * input; candidates are sorted, scored 0..100, named by a registered
 * format, with option/value pairs and evidence; each candidate's arguments
 * describe a table the core's walker accepts (the stream table's
 * STRTAB_BASE_CFG has a legal FMT and SPLIT, a CD table's layout exists and
 * its SSID bits are at most 20) whose root is the candidate's base; a
 * virtio-iommu request's are `attach decode` at the candidate's base. */
#include "fuzz.h"
#include "scan.h"
#include "smmuv3.h"
#include "viommu.h"

static const char *arg_after(const struct pt_scan_candidate *c, const char *opt)
{
	for (unsigned i = 0; i + 1 < c->nargs; i += 2)
		if (strcmp(c->args[i], opt) == 0)
			return c->args[i + 1];
	return NULL;
}

static uint64_t num(const char *s)
{
	uint64_t v = 0;
	FZ_CHECK(s && pt_parse_u64(s, &v) == 0, "argument '%s' is not a number", s ? s : "(none)");
	return v;
}

/* A request's arguments: `attach decode DUMP --at BASE [--variant NAME]`. */
static void check_request_args(const struct pt_scan_candidate *c)
{
	enum pt_viommu_variant v;
	FZ_CHECK(strcmp(c->command, "attach decode") == 0, "command %s", c->command);
	FZ_CHECK(num(arg_after(c, "--at")) == c->base, "--at is not the base 0x%llx",
		 (unsigned long long)c->base);
	FZ_CHECK(!arg_after(c, "--variant") ||
		 pt_viommu_variant_parse(arg_after(c, "--variant"), &v) == 0,
		 "variant %s", arg_after(c, "--variant"));
}

/* The candidate's arguments as decode reads them give a walkable table. */
static void check_args(struct pt_source *src, const struct pt_scan_candidate *c)
{
	struct pt_table_cfg cfg;
	const char *why = "";
	memset(&cfg, 0, sizeof cfg);
	if (c->command) {
		check_request_args(c);
		return;
	}
	if (strcmp(c->kind, "smmuv3-strtab") == 0) {
		struct smmu_strtab st;
		smmu_strtab_decode(num(arg_after(c, "--strtab")), num(arg_after(c, "--strtab-cfg")),
				   32, &st);
		FZ_CHECK(smmu_strtab_table_cfg(&st, &cfg, &why) == 0, "strtab args: %s", why);
	} else {
		const struct pt_format *fmt = pt_format_find(c->kind);
		FZ_CHECK(fmt != NULL, "kind %s is not a format", c->kind);
		cfg.fmt = fmt;
		cfg.base = num(arg_after(c, "--cd-table"));
		cfg.layout = pt_format_layout(fmt, arg_after(c, "--layout"));
		FZ_CHECK(cfg.layout != NULL, "layout %s", arg_after(c, "--layout"));
		cfg.ssid_bits = (unsigned)num(arg_after(c, "--ssid-bits"));
		FZ_CHECK(cfg.ssid_bits <= PT_MAX_SSID_BITS, "ssid bits %u", cfg.ssid_bits);
	}
	FZ_CHECK(cfg.base == c->base, "args root 0x%llx, base 0x%llx",
		 (unsigned long long)cfg.base, (unsigned long long)c->base);
	struct pt_geometry g;
	FZ_CHECK(pt_geometry(&cfg, &g) == 0, "%s at 0x%llx: geometry refused", c->kind,
		 (unsigned long long)c->base);
	/* A short walk of it must run (bounded: the budget stops it). */
	struct pt_diag_sink diags;
	struct pt_budget budget = { 256, 0, 0 };
	struct pt_walk w;
	pt_diag_init(&diags, "fuzz", NULL);
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.src = src;
	w.diags = &diags;
	w.budget = &budget;
	FZ_CHECK(pt_walk_run(&w) == 0, "walk of %s at 0x%llx refused", c->kind,
		 (unsigned long long)c->base);
	pt_diag_free(&diags);
}

static void check_candidates(struct pt_source *src, const struct pt_scan *s)
{
	for (size_t i = 0; i < s->ncands; i++) {
		const struct pt_scan_candidate *c = &s->cands[i];
		FZ_CHECK(c->score >= 0 && c->score <= 100, "score %d", c->score);
		FZ_CHECK(i == 0 || s->cands[i - 1].score >= c->score, "candidates not sorted");
		FZ_CHECK(c->nargs >= 2 && c->nargs % 2 == 0, "%u args", c->nargs);
		FZ_CHECK(c->nevidence >= 1, "no evidence for %s at 0x%llx", c->kind,
			 (unsigned long long)c->base);
		check_args(src, c);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	struct fz_in in = { data, size };
	unsigned flags = fz_u8(&in);
	uint64_t max = fz_uint(&in, 3);
	(void)fz_u32(&in);
	uint64_t base = fz_u64(&in) & 0xfff;
	if (!max)
		max = UINT64_C(1) << 16;
	struct pt_source src;
	struct pt_diag_sink diags;
	pt_source_init(&src, "fuzz");
	pt_diag_init(&diags, "fuzz", NULL);
	int opened = 0;
	if (pt_source_add_buffer(&src, "fuzz", in.p, in.n) == 0 && in.n) {
		if (!(flags & 1) && in.n >= 4 && memcmp(in.p, "\177ELF", 4) == 0) {
			opened = pt_source_add_elf(&src, 0, 0, &diags) == 0;
		} else if (!(flags & 1) && pt_source_is_kdump(in.p, in.n)) {
			uint32_t file = 0;
			opened = pt_source_add_kdump(&src, &file, 1, &diags) == 0;
		} else {
			base |= UINT64_C(0x80000000);
			opened = pt_source_add_range(&src, base, in.n, 0, 0, in.n) == 0;
		}
		opened = opened && pt_source_finish(&src, &diags) == 0;
	}
	if (opened) {
		struct pt_scan s;
		pt_scan_init(&s, &src, max);
		pt_scan_run(&s);
		FZ_CHECK(s.budget.used <= max, "budget %llu overspent (%llu)",
			 (unsigned long long)max, (unsigned long long)s.budget.used);
		uint64_t lo, hi;
		uint64_t bytes = pt_source_span(&src, &lo, &hi);
		FZ_CHECK(s.pages_data + s.pages_zero <= bytes / PT_SCAN_PAGE + 2 * src.nranges,
			 "%llu pages shown from %llu bytes", (unsigned long long)s.pages_data,
			 (unsigned long long)bytes);
		check_candidates(&src, &s);
		pt_scan_free(&s);
	}
	pt_source_free(&src);
	pt_diag_free(&diags);
	return 0;
}

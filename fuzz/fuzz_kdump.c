/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kdump: the kdump-compressed and flattened containers (core/source_kdump.c,
 * core/source_flat.c, core/kdump_page.c) behind the source's probe and read.
 *
 * Input: a kdump-compressed file or a makedumpfile flattened stream. When it
 * opens, probe and read must agree at every interesting address (each
 * range's edges, pages around the first and last dumped page, a stride
 * through the range): DATA reads or reports a corrupt page, ZERO reads
 * zeros, EXCLUDED and UNMAPPED reads say so; a probe run is never empty and
 * never leaves the range. Page decompression is capped at one page, so no
 * input may make the harness allocate or loop beyond its size. */
#include "fuzz.h"

static int zero_bytes(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Returns the run probe gave. */
static uint64_t check_addr(struct pt_source *src, const struct pt_range *r, uint64_t addr)
{
	uint64_t run;
	uint8_t b[16];
	enum pt_mem_kind k = pt_source_probe(src, addr, &run);
	FZ_CHECK(run > 0, "empty run at 0x%llx", (unsigned long long)addr);
	/* One provider per file: a run of what it backs ends with it. */
	if (k != PT_MEM_UNMAPPED)
		FZ_CHECK(run <= r->size - (addr - r->addr), "run at 0x%llx leaves its range",
			 (unsigned long long)addr);
	size_t n = run < sizeof b ? (size_t)run : sizeof b;
	enum pt_read_status st = pt_source_read(src, addr, b, n);
	switch (k) {
	case PT_MEM_DATA:
		FZ_CHECK(st == PT_READ_OK || st == PT_READ_CORRUPT, "data at 0x%llx reads %d",
			 (unsigned long long)addr, st);
		break;
	case PT_MEM_ZERO:
		FZ_CHECK(st == PT_READ_OK && zero_bytes(b, n), "zero at 0x%llx reads %d",
			 (unsigned long long)addr, st);
		break;
	case PT_MEM_EXCLUDED:
		FZ_CHECK(st == PT_READ_EXCLUDED, "excluded at 0x%llx reads %d",
			 (unsigned long long)addr, st);
		break;
	case PT_MEM_UNMAPPED:
		FZ_CHECK(st == PT_READ_UNMAPPED, "unmapped at 0x%llx reads %d",
			 (unsigned long long)addr, st);
		break;
	}
	return run;
}

static void check_ranges(struct pt_source *src)
{
	for (uint32_t i = 0; i < src->nranges; i++) {
		const struct pt_range r = src->ranges[i];
		FZ_CHECK(r.kind == PT_RANGE_PROVIDER, "range %u is not a provider", i);
		check_addr(src, &r, r.addr);
		check_addr(src, &r, r.addr + r.size - 1);
		/* A stride through the range, and each run's next address. */
		uint64_t step = r.size / 61 + 1, addr = r.addr;
		for (unsigned k = 0; k < 64 && addr - r.addr < r.size; k++) {
			uint64_t run = check_addr(src, &r, addr);
			uint64_t next = addr + (run < step ? run : step);
			if (next <= addr)
				break;
			addr = next;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	struct pt_source src;
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "fuzz.kd", NULL);
	pt_source_init(&src, "fuzz.kd");
	uint32_t f = (uint32_t)pt_source_add_buffer(&src, "fuzz.kd", data, size);
	int rc = pt_source_add_kdump(&src, &f, 1, &diags);
	if (rc != 0)
		FZ_CHECK(diags.nitems > 0, "refused without a finding");
	if (pt_source_finish(&src, &diags) == 0)
		check_ranges(&src);
	char v[64];
	pt_source_vmcoreinfo(&src, "OSRELEASE", v, sizeof v);
	pt_diag_flush_text(&diags, fz_null());
	pt_source_free(&src);
	pt_diag_free(&diags);
	return 0;
}

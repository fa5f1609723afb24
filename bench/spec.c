/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The benchmark's table, described the way a person would write it: the
 * short hand-written form of `pasidtool build` (DESIGN.md §5), where every
 * CD field left out takes Linux's defaults and L1 descriptors are created. */
#include <stdio.h>

#include "bench.h"

uint64_t bench_spec_asid(uint32_t ssid)
{
	return ssid & 0xffffu;
}

/* One 4 KiB-aligned page-table root per ASID, below 2^44 so every caps
 * profile accepts it. */
uint64_t bench_spec_ttb0(uint32_t ssid)
{
	return UINT64_C(0x100000000) + (bench_spec_asid(ssid) << 12);
}

int bench_spec_write(const char *path, const char *layout, unsigned ssid_bits)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "{\"tables\": [{\"format\": \"smmuv3-cd\", \"layout\": \"%s\", "
		   "\"base\": \"0x%llx\", \"ssid_bits\": %u, \"entries\": [\n",
		layout, (unsigned long long)BENCH_TABLE_BASE, ssid_bits);
	uint32_t n = UINT32_C(1) << ssid_bits;
	for (uint32_t ssid = 0; ssid < n; ssid++)
		fprintf(f, "  {\"ssid\": %u, \"fields\": {\"asid\": %llu, \"ttb0\": \"0x%llx\"}}%s\n",
			ssid, (unsigned long long)bench_spec_asid(ssid),
			(unsigned long long)bench_spec_ttb0(ssid), ssid + 1 < n ? "," : "");
	fputs("]}]}\n", f);
	return fclose(f) == 0 ? 0 : -1;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* attach build of BENCH_ATTACH_MANY requests (about 130 MB of JSON,
 * ATTACH_TABLE and the long INVALIDATE form in turn): its time and peak
 * RSS, and Python's json.load of the same file as the yardstick for
 * reading it at all. Not a million: those requests are 72 bytes each on
 * average, and attach refuses to write more than the 64 MiB a requests
 * file may hold (attach decode reads one whole); 900,000 are 61.8 MiB. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

static int write_spec(const char *path, unsigned n)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("{\"requests\": [\n", f);
	for (unsigned i = 0; i < n; i++) {
		if (i % 2 == 0)
			fprintf(f, "  {\"type\": \"attach_table\", \"domain\": %u, \"endpoint\": %u, "
				   "\"s1contextptr\": \"0x%llx\", \"s1cdmax\": 12, \"s1fmt\": "
				   "\"2lvl-64k\"}", 1 + i % 1000, i % 65536,
				(unsigned long long)(UINT64_C(0x100000000) + (uint64_t)(i % 4096) * 0x10000));
		else
			fprintf(f, "  {\"type\": \"invalidate\", \"domain\": %u, \"g_pasid\": 0, "
				   "\"g_va\": 1, \"pasid\": %u, \"archid\": %u, \"virt_start\": "
				   "\"0x%llx\", \"nr_pages\": 16, \"granule\": 12}", 1 + i % 1000,
				i % 4096, i % 65536,
				(unsigned long long)(UINT64_C(0x7f0000000000) + (uint64_t)i * 0x10000));
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fputs("]}\n", f);
	return fclose(f) == 0 ? 0 : -1;
}

int bench_attach_measure(const char *tool, const char *dir, unsigned nreq, struct bench_attach *r)
{
	char spec[4096], out[4096];
	memset(r, 0, sizeof *r);
	r->nreq = nreq;
	snprintf(spec, sizeof spec, "%s/attach-%u.json", dir, nreq);
	snprintf(out, sizeof out, "%s/attach-%u.req", dir, nreq);
	fprintf(stderr, "bench: attach build of %u requests, and Python's json.load\n", nreq);
	if (write_spec(spec, nreq) != 0)
		return -1;
	struct stat st;
	r->spec_bytes = stat(spec, &st) == 0 ? (uint64_t)st.st_size : 0;
	const char *build[] = { tool, "attach", "build", spec, "-o", out, NULL };
	const char *py[] = { "/usr/bin/env", "python3", "-c",
			     "import json, sys; json.load(open(sys.argv[1]))", spec, NULL };
	struct bench_child b, p;
	int rc = -1;
	if (bench_child_run(build, &b) == 0 && b.status == 0 && bench_child_run(py, &p) == 0 &&
	    p.status == 0) {
		r->cpu = b.cpu_seconds;
		r->wall = b.seconds;
		r->rss = b.maxrss_mib;
		r->py_cpu = p.cpu_seconds;
		r->py_rss = p.maxrss_mib;
		r->out_bytes = stat(out, &st) == 0 ? (uint64_t)st.st_size : 0;
		r->ok = 1;
		rc = 0;
	}
	unlink(spec);
	unlink(out);
	return rc;
}

void bench_attach_report(struct bench_report *rep, const struct bench_attach *r)
{
	if (!r->ok)
		return;
	char c[64], v[32];
	snprintf(c, sizeof c, "attach build, %u requests", r->nreq);
	snprintf(v, sizeof v, "%.0f", (double)r->spec_bytes / 1e6);
	bench_report_row(rep, "0 issue 15", c, "spec MB", v, "", "");
	snprintf(v, sizeof v, "%.2f", r->cpu);
	bench_report_row(rep, "0 issue 15", c, "CPU seconds", v, "", "");
	snprintf(v, sizeof v, "%.2f", r->py_cpu);
	bench_report_row(rep, "0 issue 15", c, "Python json.load CPU seconds", v, "", "");
	snprintf(v, sizeof v, "%.2fx", r->cpu / r->py_cpu);
	bench_report_row(rep, "0 issue 15", c, "time / json.load", v, "<= 1x",
			 r->cpu <= r->py_cpu ? "met" : "missed");
	snprintf(v, sizeof v, "%.1f", r->rss);
	bench_report_row(rep, "0 issue 15", c, "peak RSS MiB", v, "<= 64",
			 r->rss <= 64 ? "met" : "missed");
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Validate measured inside this process, through the library exactly as the
 * CLI drives it (pt_source_open, pt_walk_run with validate = 1 and a
 * diagnostics sink), alternating with the floor over the same mapping so a
 * noisy neighbour slows both alike. Both are timed in thread CPU time (page
 * faults included, time spent waiting for a core excluded) and the best of
 * several runs is kept: noise only ever adds time. */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "table.h"

struct session {
	struct pt_source src;
	struct pt_table_cfg cfg;
	void *caps;
};

static int open_session(struct session *s, const char *image, const char *layout,
			unsigned ssid_bits)
{
	memset(s, 0, sizeof *s);
	struct pt_diag_sink diags;
	pt_diag_init(&diags, image, NULL);
	const char *inputs[1] = { image };
	struct pt_open_opts oo = { BENCH_TABLE_BASE, 0, 0 };
	int rc = pt_source_open(&s->src, inputs, 1, &oo, &diags);
	pt_diag_free(&diags);
	if (rc != 0)
		return -1;
	s->cfg.fmt = pt_format_find("smmuv3-cd");
	s->cfg.layout = s->cfg.fmt ? pt_format_layout(s->cfg.fmt, layout) : NULL;
	s->cfg.base = BENCH_TABLE_BASE;
	s->cfg.ssid_bits = ssid_bits;
	char err[256];
	/* The profile `validate` assumes without --caps. */
	s->caps = s->cfg.layout ? s->cfg.fmt->caps_parse("generic", err, sizeof err) : NULL;
	return s->caps ? 0 : -1;
}

static void close_session(struct session *s)
{
	if (s->caps)
		s->cfg.fmt->caps_free(s->caps);
	pt_source_free(&s->src);
}

static volatile uint64_t sink;

static uint64_t time_floor(struct session *s, uint64_t *bytes)
{
	uint64_t t0 = bench_cpu_ns();
	sink = bench_floor_read(&s->src, &s->cfg, bytes);
	return bench_cpu_ns() - t0;
}

static uint64_t time_walk(struct session *s, struct bench_validate *res)
{
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "bench", NULL);
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &s->cfg;
	w.src = &s->src;
	w.diags = &diags;
	w.caps = s->caps;
	w.validate = 1;
	uint64_t t0 = bench_cpu_ns();
	pt_walk_run(&w);
	uint64_t dt = bench_cpu_ns() - t0;
	res->entries = w.entries_read;
	res->findings = diags.counts[PT_SEV_ERROR] + diags.counts[PT_SEV_WARNING] +
			diags.counts[PT_SEV_NOTE];
	pt_diag_free(&diags);
	return dt;
}

int bench_validate_inproc(const char *image, const char *layout, unsigned ssid_bits,
			  double min_seconds, struct bench_validate *res)
{
	struct session s;
	memset(res, 0, sizeof *res);
	if (open_session(&s, image, layout, ssid_bits) != 0) {
		close_session(&s);
		return -1;
	}
	uint64_t spent = 0, best_floor = UINT64_MAX, best_walk = UINT64_MAX, warm;
	while (res->reps < 3 || (double)spent / 1e9 < min_seconds) {
		/* Both start with the table mapped in: page faults are not
		 * what this group compares. */
		time_floor(&s, &warm);
		uint64_t f = time_floor(&s, &res->bytes);
		time_floor(&s, &warm);
		uint64_t w = time_walk(&s, res);
		best_floor = f < best_floor ? f : best_floor;
		best_walk = w < best_walk ? w : best_walk;
		spent += f + w;
		res->reps++;
	}
	res->floor_ns = (double)best_floor;
	res->walk_ns = (double)best_walk;
	close_session(&s);
	return 0;
}

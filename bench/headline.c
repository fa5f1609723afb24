/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The figures issue 15 holds pasidtool to, on the full 2^20-SSID table,
 * each as a ratio measured in this run: validate against the memory-read
 * floor and against QEMU's decode_cd checks in a plain C loop (all three
 * whole processes, bench/yardstick.c); decode --json and text to /dev/null;
 * the JSON against an idiomatic Python decoder (bench/pydecode.py);
 * `decode --json | build` against the decode alone, and the image it gives
 * back; attach build of 900,000 requests against Python's json.load.
 *
 * Runs are interleaved (one of each, then again) and the median kept, so a
 * neighbour that slows one round slows every contender in it. Throughput
 * targets are on CPU time (user + system of the process): on a machine
 * shared by others, wall time measures the queue for a core as much as the
 * program; wall time is reported next to it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define ROUNDS 5
#define MB 1e6

static double median(double *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			double t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct contender {
	const char *const *argv;
	const char *out;          /* stdout to this file; NULL: counted */
	double cpu[ROUNDS], wall[ROUNDS], rss;
	uint64_t bytes;
};

/* One run of each contender per round; a failed or non-zero run fails all. */
static int interleave(struct contender *c, int n, int rounds)
{
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < n; i++) {
			struct bench_child res;
			if (bench_child_run_to(c[i].argv, c[i].out, &res) != 0 || res.status != 0)
				return -1;
			c[i].cpu[r] = res.cpu_seconds;
			c[i].wall[r] = res.seconds;
			c[i].rss = res.maxrss_mib > c[i].rss ? res.maxrss_mib : c[i].rss;
			if (!c[i].out)
				c[i].bytes = res.out_bytes;
		}
	return 0;
}

/* pasidtool CMD of the benchmark's table [and one more argument], as argv. */
struct table_argv {
	char bits[16], base[32];
	const char *argv[12];
};

static const char *const *table_argv(struct table_argv *t, const struct bench_headline_args *a,
				     const char *cmd, const char *extra)
{
	snprintf(t->bits, sizeof t->bits, "%u", a->bits);
	snprintf(t->base, sizeof t->base, "0x%llx", (unsigned long long)BENCH_TABLE_BASE);
	const char *v[] = { a->tool, cmd, a->image, "--base", t->base, "--layout", a->layout,
			    "--ssid-bits", t->bits, extra, NULL };
	memcpy(t->argv, v, sizeof v);
	return t->argv;
}

static int validate_group(const struct bench_headline_args *a, struct bench_headline *h)
{
	struct table_argv t;
	char leaf[16];
	snprintf(leaf, sizeof leaf, "%u", a->leaf_bits);
	const char *const *val = table_argv(&t, a, "validate", NULL);
	const char *floor[] = { a->self, "--floor", a->image, NULL };
	const char *qemu[] = { a->self, "--qemu-cd", a->image, t.base, leaf, t.bits, NULL };
	struct contender c[3] = { { val, "/dev/null" }, { floor, "/dev/null" },
				  { qemu, "/dev/null" } };
	if (interleave(c, 3, ROUNDS) != 0)
		return -1;
	h->validate_cpu = median(c[0].cpu, ROUNDS);
	h->floor_cpu = median(c[1].cpu, ROUNDS);
	h->qemu_cpu = median(c[2].cpu, ROUNDS);
	h->validate_rss = c[0].rss;
	return 0;
}

static int decode_group(const struct bench_headline_args *a, struct bench_headline *h)
{
	struct table_argv tj, tt;
	char pybits[16];
	snprintf(pybits, sizeof pybits, "%u", a->py_bits);
	const char *const *json = table_argv(&tj, a, "decode", "--json");
	const char *const *text = table_argv(&tt, a, "decode", NULL);
	const char *py[] = { "/usr/bin/env", "python3", a->pydecode, a->tool, a->image, tj.base,
			     a->layout, pybits, NULL };
	/* Byte counts first (through a pipe), then the rounds to /dev/null. */
	struct contender count[3] = { { json, NULL }, { text, NULL }, { py, NULL } };
	if (interleave(count, a->py_bits ? 3 : 2, 1) != 0)
		return -1;
	struct contender c[2] = { { json, "/dev/null" }, { text, "/dev/null" } };
	if (interleave(c, 2, 3) != 0)
		return -1;
	h->json_bytes = count[0].bytes;
	h->text_bytes = count[1].bytes;
	h->json_cpu = median(c[0].cpu, 3);
	h->json_wall = median(c[0].wall, 3);
	h->text_cpu = median(c[1].cpu, 3);
	h->text_wall = median(c[1].wall, 3);
	h->json_rss = c[0].rss > count[0].rss ? c[0].rss : count[0].rss;
	h->text_rss = c[1].rss > count[1].rss ? c[1].rss : count[1].rss;
	if (a->py_bits) {
		h->py_bytes = count[2].bytes;
		h->py_cpu = count[2].cpu[0];
	}
	return 0;
}

static int same_file(const char *x, const char *y)
{
	FILE *f = fopen(x, "rb"), *g = fopen(y, "rb");
	int same = f && g;
	char a[65536], b[65536];
	while (same) {
		size_t n = fread(a, 1, sizeof a, f), m = fread(b, 1, sizeof b, g);
		same = n == m && memcmp(a, b, n) == 0;
		if (n < sizeof a)
			break;
	}
	if (f)
		fclose(f);
	if (g)
		fclose(g);
	return same;
}

/* decode --json | build - : the pipeline as one shell child, so its CPU
 * time, wall time and peak RSS (the larger of the two) are the pair's. */
static int pipe_group(const struct bench_headline_args *a, struct bench_headline *h)
{
	char cmd[8192], out[4096];
	snprintf(out, sizeof out, "%s/roundtrip-%s.bin", a->dir, a->layout);
	snprintf(cmd, sizeof cmd, "'%s' decode '%s' --base 0x%llx --layout %s --ssid-bits %u "
		 "--json | '%s' build - -o '%s'", a->tool, a->image,
		 (unsigned long long)BENCH_TABLE_BASE, a->layout, a->bits, a->tool, out);
	const char *sh[] = { "/bin/sh", "-c", cmd, NULL };
	struct table_argv t;
	const char *const *json = table_argv(&t, a, "decode", "--json");
	struct contender c[2] = { { sh, "/dev/null" }, { json, NULL } };
	if (interleave(c, 2, 3) != 0)
		return -1;
	h->pipe_cpu = median(c[0].cpu, 3);
	h->pipe_wall = median(c[0].wall, 3);
	h->pipe_rss = c[0].rss;
	h->decode_pipe_cpu = median(c[1].cpu, 3);
	h->decode_pipe_wall = median(c[1].wall, 3);
	h->pipe_same = same_file(out, a->image);
	unlink(out);
	return 0;
}

int bench_headline_measure(const struct bench_headline_args *a, struct bench_headline *h)
{
	memset(h, 0, sizeof *h);
	h->layout = a->layout;
	h->bits = a->bits;
	h->py_bits = a->py_bits;
	fprintf(stderr, "bench: %s 2^%u: validate / floor / decode_cd loop", a->layout, a->bits);
	if (validate_group(a, h) != 0)
		return -1;
	fprintf(stderr, ", decode --json and text%s", a->py_bits ? ", Python" : "");
	if (decode_group(a, h) != 0)
		return -1;
	fprintf(stderr, ", decode --json | build\n");
	if (pipe_group(a, h) != 0)
		return -1;
	h->ok = 1;
	return 0;
}

/* A figure printed with `decimals` digits after the point, and a suffix. */
static void row(struct bench_report *rep, const struct bench_headline *h, const char *fig,
		const char *target, int met, int decimals, const char *suffix, double v)
{
	char c[64], val[32];
	snprintf(c, sizeof c, "2^%u SSIDs, %s", h->bits, h->layout);
	snprintf(val, sizeof val, "%.*f%s", decimals, v, suffix);
	bench_report_row(rep, "0 issue 15", c, fig, val, target, *target ? met ? "met" : "missed" : "");
}

void bench_headline_report(struct bench_report *rep, const struct bench_headline *h)
{
	if (!h->ok)
		return;
	double vf = h->validate_cpu / h->floor_cpu, vq = h->validate_cpu / h->qemu_cpu;
	row(rep, h, "validate CPU ms", "", 0, 1, "", h->validate_cpu * 1e3);
	row(rep, h, "floor CPU ms (mmap, read every word)", "", 0, 1, "", h->floor_cpu * 1e3);
	row(rep, h, "QEMU decode_cd loop CPU ms", "", 0, 1, "", h->qemu_cpu * 1e3);
	row(rep, h, "validate / floor", "<= 1.5x", vf <= 1.5, 2, "x", vf);
	row(rep, h, "validate / decode_cd loop", "<= 1x", vq <= 1.0, 2, "x", vq);
	row(rep, h, "validate peak RSS MiB", "", 0, 1, "", h->validate_rss);
	double jm = (double)h->json_bytes / h->json_cpu / MB;
	double tm = (double)h->text_bytes / h->text_cpu / MB;
	row(rep, h, "decode --json > /dev/null MB/s (CPU)", ">= 1000", jm >= 1000, 0, "", jm);
	row(rep, h, "decode --json > /dev/null MB/s (wall)", "", 0, 0, "",
	    (double)h->json_bytes / h->json_wall / MB);
	row(rep, h, "decode --json peak RSS MiB", "", 0, 1, "", h->json_rss);
	row(rep, h, "text decode > /dev/null MB/s (CPU)", ">= 300", tm >= 300, 0, "", tm);
	row(rep, h, "text decode > /dev/null MB/s (wall)", "", 0, 0, "",
	    (double)h->text_bytes / h->text_wall / MB);
	row(rep, h, "text decode peak RSS MiB", "", 0, 1, "", h->text_rss);
	if (h->py_bits && h->py_cpu > 0) {
		double pm = (double)h->py_bytes / h->py_cpu / MB;
		char fig[96];
		snprintf(fig, sizeof fig, "Python decoder MB/s (CPU, 2^%u SSIDs)", h->py_bits);
		row(rep, h, fig, "", 0, 1, "", pm);
		row(rep, h, "decode --json / Python (MB/s)", ">= 50x", jm / pm >= 50, 0, "x", jm / pm);
	}
	double pc = h->pipe_cpu / h->decode_pipe_cpu, pw = h->pipe_wall / h->decode_pipe_wall;
	row(rep, h, "decode --json | build: CPU / the decode's", "<= 2x", pc <= 2, 2, "x", pc);
	row(rep, h, "decode --json | build: wall / the decode's", "", 0, 2, "x", pw);
	row(rep, h, "decode --json | build: peak RSS MiB", "", 0, 1, "", h->pipe_rss);
	char c[64];
	snprintf(c, sizeof c, "2^%u SSIDs, %s", h->bits, h->layout);
	bench_report_row(rep, "0 issue 15", c, "decode --json | build gives the image back",
			 h->pipe_same ? "yes" : "no", "yes", h->pipe_same ? "met" : "missed");
}

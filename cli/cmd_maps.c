/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pasidtool maps: every valid mapping of a stream's address space, merged
 * into ranges where IOVA and PA run on with the same attributes (like the
 * kernel's ptdump), from one depth-first walk of each distinct table tree. */
#include <argp.h>
#include <inttypes.h>
#include <string.h>

#include "cli.h"
#include "emit.h"
#include "ptw_cli.h"

static const char doc[] =
	"List every valid mapping of a StreamID's (and SubstreamID's) address space: the "
	"stage-1 tables of its CD (TTB0 and TTB1), or the stage-2 tables of a stage-2-only "
	"STE, merged into ranges where IOVA and PA run on with the same attributes. "
	"--all-sids lists every StreamID of a stream table, each table tree walked once "
	"however many streams share it.\v"
	"Exit status: 0, or 1 when a walk met a loop, a table outside the input, a reserved "
	"encoding or the --max-entries budget; 2 usage or input error.";

static const char *const examples[] = {
	"pasidtool maps guest.elf --strtab 0x4836d000 --strtab-cfg 0x10210 --sid 8",
	"pasidtool maps dump.elf --strtab 0x4836d000 --strtab-cfg 0x10210 --all-sids --json",
	NULL,
};

static const struct argp argp = { NULL, ptw_parent_parse, "INPUT", doc, ptw_maps_children,
				  NULL, NULL };
static const struct pt_cli_cmd cli = { "maps", &argp, PT_CLI_ALL, examples };

/* Default descriptor budget per address space: 2^23 descriptors is 64 MiB
 * of tables (32 GiB mapped in 4K pages, past any device's regime) and under
 * a second of walking, so that 128 KiB of tables naming one table at every
 * level (2^36 pages) stops in time; a shared table is walked again for every
 * descriptor that names it because its mappings differ by input address. */
#define DEFAULT_BUDGET (UINT64_C(1) << 23)

struct maps {
	struct ptw_run *run;
	const struct smmu_stream *s;
	const struct smmu_regime *g;
	uint64_t va_base;          /* VA of IA 0 (TTB1 halves sit at the top) */
	struct pt_ptw_range cur;
	uint64_t ranges, bytes, problems;
};

static void print_range(struct maps *m)
{
	const struct pt_ptw_range *r = &m->cur;
	if (!r->open)
		return;
	const struct pt_ptw_leaf *lf = &r->first;
	uint64_t va = m->va_base + r->ia;
	m->ranges++;
	m->bytes += r->size;
	if (m->run->o->json) {
		json_t *j = json_object();
		ptw_json_ids(j, m->s);
		json_object_set_new(j, "iova", pt_json_hex(va));
		json_object_set_new(j, "pa", pt_json_hex(r->oa));
		json_object_set_new(j, "size", pt_json_hex(r->size));
		json_object_set_new(j, "attrs", smmu_leaf_attrs_json(m->g, lf->desc, lf->level,
								     lf->size_bits, lf->hier_or,
								     lf->hier_and));
		ptw_json_item(m->run, j);
		return;
	}
	char attrs[200];
	smmu_leaf_attrs_text(m->g, lf->desc, lf->level, lf->size_bits, lf->hier_or, lf->hier_and,
			     attrs, sizeof attrs);
	printf("0x%016" PRIx64 "-0x%016" PRIx64 " -> 0x%" PRIx64 " %" PRIu64 " x (%s)\n", va,
	       va + r->size - 1, r->oa, r->size >> lf->size_bits, attrs);
}

static int on_leaf(void *user, const struct pt_ptw_leaf *leaf)
{
	struct maps *m = user;
	if (pt_ptw_range_extends(m->g->r.fmt, &m->cur, leaf)) {
		print_range(m);
		pt_ptw_range_start(m->g->r.fmt, &m->cur, leaf);
	}
	return 0;
}

static void on_event(void *user, enum pt_ptw_event ev, int level, uint64_t addr, uint64_t ia,
		     const char *what)
{
	struct maps *m = user;
	m->problems++;
	pt_ptw_report(&m->run->diags, ev, m->g->r.stage, level, addr, m->va_base + ia, what);
}

static int walk_regime(struct ptw_run *run, const struct smmu_stream *s,
		       const struct smmu_regime *g, uint64_t va_base, uint64_t *problems,
		       uint64_t *ranges)
{
	struct maps m;
	memset(&m, 0, sizeof m);
	m.run = run;
	m.s = s;
	m.g = g;
	m.va_base = va_base;
	struct pt_ptw_visit_ops ops = { on_leaf, NULL, NULL, on_event };
	struct pt_ptw_visit_stats st;
	uint64_t budget = run->o->max_entries ? run->o->max_entries : DEFAULT_BUDGET;
	pt_ptw_visit(&run->src, &g->r, budget, &ops, &m, &st);
	print_range(&m);
	*problems += m.problems;
	*ranges += m.ranges;
	return 0;
}

/* Address spaces already listed (--all-sids): a stream that shares another
 * one's tables is named, not walked again. Bounded; past the cap streams are
 * walked (correct, only slower). */
#define MAX_SEEN 4096

struct seen_space {
	uint64_t key[4];
	uint32_t sid;
};

static struct seen_space seen[MAX_SEEN];
static size_t nseen;

static void space_key(const struct smmu_stream *s, uint64_t key[4])
{
	memset(key, 0, 4 * sizeof key[0]);
	if (s->has_cd && !s->s1_bypass) {
		/* TCR bits, TTB0, TTB1, MAIR: what the walk and attributes read. */
		key[0] = pt_le64(s->cd, 0) & ~(UINT64_C(0xffff) << 48);
		key[1] = pt_le64(s->cd, 1);
		key[2] = pt_le64(s->cd, 2);
		key[3] = pt_le64(s->cd, 3) ^ ((uint64_t)s->strw << 62);
	} else {
		key[0] = UINT64_MAX;
		key[1] = pt_le64(s->ste, 2);
		key[2] = pt_le64(s->ste, 3);
	}
}

/* 1 and *first when an earlier stream had the same address space. */
static int seen_before(const struct smmu_stream *s, uint32_t *first)
{
	uint64_t key[4];
	space_key(s, key);
	for (size_t i = 0; i < nseen; i++)
		if (!memcmp(seen[i].key, key, sizeof key)) {
			*first = seen[i].sid;
			return 1;
		}
	if (nseen < MAX_SEEN) {
		memcpy(seen[nseen].key, key, sizeof key);
		seen[nseen++].sid = s->sid;
	}
	return 0;
}

/* One stream: its stage-1 halves, or its stage-2 tables. */
static void maps_stream(struct ptw_run *run, struct smmu_stream *s, uint64_t *problems,
			uint64_t *ranges)
{
	if (s->fault.happened) {
		/* The stream asked for has no address space (its STE or CD faults or
		 * is not in the input): a finding, exit 1, as translate says. */
		if (!run->o->all_sids) {
			fprintf(stderr, "pasidtool: sid %u: no address space: %s\n", s->sid,
				s->fault.reason);
			(*problems)++;
		}
		return;
	}
	if (s->s1_bypass && s->has_s2) {
		walk_regime(run, s, &s->s2, 0, problems, ranges);
		return;
	}
	if (s->s1_bypass || !s->has_cd)
		return;
	if (s->has_s2 && !run->o->quiet)
		fprintf(stderr, "pasidtool: sid %u: nested: maps lists stage 1, IOVA -> IPA "
				"(translate gives the PA)\n", s->sid);
	for (int ttb = 0; ttb < 2; ttb++) {
		static struct smmu_regime g;
		uint64_t va_base;
		const char *why;
		if (smmu_s1_half(s->cd, run->caps, s->strw, run->caps->e2h, ttb, &g, &va_base, &why))
			continue;
		if (s->has_s2)
			g.r.next = &s->s2.r;
		walk_regime(run, s, &g, va_base, problems, ranges);
	}
}

/* --all-sids: every valid STE of the stream table, as the core walker finds
 * them (invalid L1 descriptors and empty memory skipped a run at a time,
 * within the --max-entries budget), not every StreamID the registers allow:
 * a 32-bit stream table with two valid STEs costs two resolutions. */
struct all_sids {
	struct ptw_run *run;
	struct smmu_stream *s;
	uint64_t *problems, *ranges, *streams, *shared;
};

static int on_ste(struct pt_walk *w, uint32_t sid, uint64_t addr, const uint8_t *raw)
{
	struct all_sids *a = w->user;
	struct smmu_stream *s = a->s;
	const struct ptw_opts *o = a->run->o;
	uint32_t first;
	(void)addr;
	if (!smmu_ste(raw, STE_V))
		return 0;
	smmu_stream_resolve(&a->run->src, a->run->caps, &a->run->root, sid, o->has_ssid, o->ssid, s);
	if (s->fault.happened || (s->s1_bypass && !s->has_s2))
		return 0;
	(*a->streams)++;
	if (seen_before(s, &first)) {
		(*a->shared)++;
		if (!o->json)
			printf("sid %u: the address space of sid %u\n", s->sid, first);
		return 0;
	}
	if (!o->json)
		printf("sid %u:\n", s->sid);
	maps_stream(a->run, s, a->problems, a->ranges);
	return 0;
}

static int walk_all_sids(struct all_sids *a)
{
	static const struct pt_walk_ops ops = { NULL, NULL, on_ste };
	struct ptw_run *run = a->run;
	struct pt_table_cfg cfg;
	const char *why;
	if (smmu_strtab_table_cfg(&run->root.strtab, &cfg, &why) != 0)
		return pt_cli_usage_error("--strtab-cfg: %s", why);
	struct pt_budget budget = { run->o->max_entries ? run->o->max_entries : DEFAULT_BUDGET, 0,
				    0 };
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.src = &run->src;
	w.diags = &run->diags;
	w.ops = &ops;
	w.user = a;
	w.budget = &budget;
	uint64_t errors = pt_diag_errors(&run->diags);
	pt_walk_run(&w);
	/* A stream table cut short (by the budget, or by leaves the input does
	 * not hold) is a finding like a page table's. */
	if (budget.exhausted || pt_diag_errors(&run->diags) > errors)
		(*a->problems)++;
	return 0;
}

int cmd_maps(int argc, char **argv)
{
	static struct ptw_opts o;
	memset(&o, 0, sizeof o);
	o.maps = 1;
	int rc = pt_cli_parse(&cli, argc, argv, &o);
	if (rc)
		return rc;
	ptw_take_common(&o);
	struct ptw_run run;
	rc = ptw_open(&run, &o);
	if (rc != 0) {
		ptw_close(&run);
		return rc;
	}
	static struct smmu_stream s;
	uint64_t problems = 0, ranges = 0, streams = 0, shared = 0;
	nseen = 0;
	if (o.json)
		ptw_json_begin(&run, "pasidtool.maps/1", "maps");
	struct all_sids all = { &run, &s, &problems, &ranges, &streams, &shared };
	if (o.all_sids) {
		rc = walk_all_sids(&all);
		if (rc != 0) {
			ptw_close(&run);
			return rc;
		}
	} else {
		smmu_stream_resolve(&run.src, run.caps, &run.root, o.sid, o.has_ssid, o.ssid, &s);
		streams += !s.fault.happened;
		maps_stream(&run, &s, &problems, &ranges);
	}
	if (o.json) {
		json_t *sum = json_object();
		json_object_set_new(sum, "streams", json_integer((json_int_t)streams));
		json_object_set_new(sum, "ranges", json_integer((json_int_t)ranges));
		json_object_set_new(sum, "shared", json_integer((json_int_t)shared));
		ptw_json_end(&run, sum);
	} else {
		pt_diag_flush_text(&run.diags, stderr);
		if (!o.quiet)
			printf("%" PRIu64 " ranges in %" PRIu64 " address spaces\n", ranges, streams);
	}
	rc = problems ? PT_EXIT_FINDINGS : PT_EXIT_OK;
	ptw_close(&run);
	return ptw_finish_output(rc);
}

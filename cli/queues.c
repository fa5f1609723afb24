/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The run of `queues`: open the dump, turn each queue's registers into a
 * ring, walk it oldest first, classify and check every slot, print it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "emit.h"
#include "enum_names.h"
#include "emit_line.h"
#include "queues.h"
#include "regs.h"
#include "smmuv3.h"
#include "smmuv3_queue_rules.h"
#include "source_json.h"

static const char *const opt_names[SMMU_Q_COUNT] = { "--cmdq", "--evtq", "--priq" };

int pt_queues_opts_check(struct pt_queues_opts *o, int need_one)
{
	unsigned given = 0;
	for (unsigned q = 0; q < SMMU_Q_COUNT; q++) {
		struct pt_queue_opt *x = &o->q[q];
		if (!x->have)
			continue;
		if (x->have != SMMU_QUEUE_VALS_ALL)
			return pt_cli_usage_error("%s needs BASE (%s), PROD (%s-prod) and CONS "
						  "(%s-cons), as options or in --regs",
						  opt_names[q] + 2, opt_names[q], opt_names[q],
						  opt_names[q]);
		if (!x->vals.max_log2size)
			x->vals.max_log2size = 19;
		given++;
	}
	if (need_one && !given)
		return pt_cli_usage_error("no queue: give --cmdq, --evtq or --priq with their "
					  "-prod and -cons values, or --regs with a queue's "
					  "BASE, PROD and CONS");
	return 0;
}

static void merge_queue(struct pt_queue_opt *x, const struct smmu_queue_vals *v, unsigned have)
{
	if (!x->have && !(have & 1))
		return; /* PROD or CONS of a queue without a BASE describe nothing */
	if (!(x->have & 1) && (have & 1))
		x->vals.base_reg = v->base_reg;
	if (!(x->have & 2) && (have & 2))
		x->vals.prod = v->prod;
	if (!(x->have & 4) && (have & 4))
		x->vals.cons = v->cons;
	x->have |= have;
}

int pt_queues_apply_regs(struct pt_queues_opts *o, unsigned kinds, struct smmu_regs *r)
{
	memset(r, 0, sizeof *r);
	if (!o->regs)
		return 0;
	int rc = pt_cli_regs_load(o->regs, r);
	if (rc != 0)
		return rc;
	for (unsigned k = 0; k < SMMU_Q_COUNT; k++) {
		struct smmu_queue_vals v;
		unsigned have = smmu_queue_vals_from_regs(r, (enum smmu_queue_kind)k, &v);
		if (smmu_regs_have(r, SMMU_IDR1))
			o->q[k].vals.max_log2size = v.max_log2size;
		if (kinds & (1u << k))
			merge_queue(&o->q[k], &v, have);
	}
	const char *caps = pt_cli_regs_caps(r, o->caps);
	if (!caps && o->caps)
		return pt_cli_usage_error("--caps: too long");
	o->caps = caps;
	if (!o->have_strtab_cfg && smmu_regs_have(r, SMMU_STRTAB_BASE_CFG)) {
		o->strtab_cfg = r->value[SMMU_STRTAB_BASE_CFG];
		o->have_strtab_cfg = 1;
	}
	return 0;
}

struct run {
	struct pt_queues_opts *o;
	struct pt_source src;
	struct pt_diag_sink diags;
	struct pt_emit emit;
	struct smmu_caps *caps;
	struct smmu_queue_ctx ctx;
	struct smmu_queue q;
	/* per queue */
	uint64_t unmapped, first_unmapped, shown, pending_shown;
	/* totals */
	uint64_t total_shown, total_pending;
	unsigned nqueues;
};

static json_t *source_json(const struct run *r)
{
	return pt_cli_source_json(r->o->inputs, r->o->ninputs, &r->src);
}

static json_t *queue_header_json(const struct smmu_queue *q)
{
	json_t *h = json_object();
	json_object_set_new(h, "queue", json_string(smmu_queue_name(q->kind)));
	json_object_set_new(h, "base", pt_json_hex(q->ring.base));
	json_object_set_new(h, "log2size", json_integer(q->ring.log2size));
	json_object_set_new(h, "entry_size", json_integer(q->ring.entry_size));
	json_object_set_new(h, "prod", json_integer(q->vals.prod));
	json_object_set_new(h, "cons", json_integer(q->vals.cons));
	json_object_set_new(h, "prod_index", json_integer(q->geom.prod_index));
	json_object_set_new(h, "prod_wrap", json_integer(q->geom.prod_wrap));
	json_object_set_new(h, "cons_index", json_integer(q->geom.cons_index));
	json_object_set_new(h, "cons_wrap", json_integer(q->geom.cons_wrap));
	json_object_set_new(h, "pending", json_integer(q->geom.pending));
	if (q->kind == SMMU_Q_CMD) {
		const char *e = smmu_cerror_name(q->err);
		json_object_set_new(h, "err", e ? json_string(e) : json_integer(q->err));
		json_object_set_new(h, "msi_polled", json_boolean(q->msi_polled));
	} else {
		json_object_set_new(h, "overflow", json_boolean(q->overflow));
	}
	return h;
}

static json_t *summary_json(const struct smmu_queue *q, struct pt_source *src)
{
	struct smmu_queue_counts c;
	smmu_queue_count(q, src, &c);
	json_t *h = queue_header_json(q);
	json_object_set_new(h, "walkable", json_true());
	json_object_set_new(h, "consumed", json_integer((json_int_t)c.consumed));
	json_object_set_new(h, "unmapped", json_integer((json_int_t)c.unmapped));
	json_object_set_new(h, "consistent", json_boolean(q->geom.order == PT_RING_ORDERED));
	return h;
}

static json_t *unwalkable_json(enum smmu_queue_kind kind, const struct smmu_queue_vals *v,
			       unsigned have)
{
	json_t *h = json_object();
	json_object_set_new(h, "queue", json_string(smmu_queue_name(kind)));
	json_object_set_new(h, "base", (have & 1) ? pt_json_hex(v->base_reg) : json_null());
	json_object_set_new(h, "walkable", json_false());
	return h;
}

unsigned pt_queues_summary(const struct smmu_regs *r, struct pt_source *src, const char *input,
			   FILE *out, json_t *arr)
{
	unsigned n = 0;
	for (unsigned k = 0; k < SMMU_Q_COUNT; k++) {
		struct smmu_queue_vals v;
		enum smmu_queue_kind kind = (enum smmu_queue_kind)k;
		unsigned have = smmu_queue_vals_from_regs(r, kind, &v);
		if (!(have & 1))
			continue;
		n++;
		if (!smmu_regs_have(r, SMMU_IDR1))
			v.max_log2size = 19;
		struct pt_diag_sink quiet;
		pt_diag_init(&quiet, input, NULL);
		struct smmu_queue q;
		int ok = have == SMMU_QUEUE_VALS_ALL && smmu_queue_setup(&q, kind, &v, &quiet) == 0;
		pt_diag_free(&quiet);
		if (ok)
			smmu_queue_scan(&q, src);
		if (arr) {
			json_array_append_new(arr, ok ? summary_json(&q, src)
						      : unwalkable_json(kind, &v, have));
			continue;
		}
		char line[256];
		if (ok)
			smmu_queue_summary(&q, src, line, sizeof line);
		else
			snprintf(line, sizeof line, "%s: %s", smmu_queue_name(kind),
				 have == SMMU_QUEUE_VALS_ALL ? "the registers describe no walkable "
							       "ring"
							     : "BASE without PROD or CONS");
		fprintf(out, "%s: %s\n", input, line);
	}
	return n;
}

static void print_header(const struct smmu_queue *q, FILE *out)
{
	const struct pt_ring_geom *g = &q->geom;
	fprintf(out, "%s @ 0x%llx: 2^%u entries of %u bytes; PROD 0x%x (index %u, wrap %u), "
		     "CONS 0x%x (index %u, wrap %u",
		smmu_queue_name(q->kind), (unsigned long long)q->ring.base, q->ring.log2size,
		q->ring.entry_size, q->vals.prod, g->prod_index, g->prod_wrap, q->vals.cons,
		g->cons_index, g->cons_wrap);
	if (q->kind == SMMU_Q_CMD) {
		const char *e = smmu_cerror_name(q->err);
		fprintf(out, ", ERR %s", e ? e : "reserved");
	} else if (q->overflow) {
		fputs(", overflowed", out);
	}
	fprintf(out, "): %u pending%s\n", g->pending,
		q->kind == SMMU_Q_CMD && q->msi_polled ? "; CMD_SYNC polled by MSI" : "");
}

/* {"opcode"/"id": N, "name": "...", other fields...} */
static json_t *fields_json(const struct smmu_qentry *e, const uint8_t *raw)
{
	json_t *all = pt_struct_fields_json(e->st, raw);
	json_t *f = json_object();
	const struct pt_field *first = &e->st->fields[0];
	json_object_set(f, first->name, json_object_get(all, first->name));
	json_object_set_new(f, "name", json_string(e->name));
	json_object_update(f, all);
	json_decref(all);
	return f;
}

static void emit_entry(struct run *r, const struct pt_ring_slot *s, const struct smmu_qentry *e)
{
	const char *qn = smmu_queue_name(r->q.kind);
	if (r->o->json) {
		json_t *item = json_object();
		json_object_set_new(item, "index", json_integer(s->index));
		json_object_set_new(item, "address", pt_json_hex(s->addr));
		json_object_set_new(item, "state", json_string(smmu_qe_state_name(e->state)));
		json_object_set_new(item, "raw", pt_struct_raw_json(e->st, s->raw));
		json_object_set_new(item, "fields", fields_json(e, s->raw));
		json_t *names = pt_struct_names_json(e->st, s->raw);
		if (names)
			json_object_set_new(item, "names", names);
		if (e->note)
			json_object_set_new(item, "note", json_string(e->note));
		if (e->stopped_here)
			json_object_set_new(item, "error",
					    json_string(smmu_cerror_name(r->q.err)
								? smmu_cerror_name(r->q.err)
								: "reserved"));
		pt_emit_item(&r->emit, item);
		return;
	}
	char ops[512];
	const struct pt_field *key = &e->st->fields[0];
	pt_struct_operands(ops, sizeof ops, e->st, s->raw, r->q.kind == SMMU_Q_PRI ? NULL : key);
	fprintf(stdout, "  %s[%u] 0x%llx %-8s %s%s%s", qn, s->index, (unsigned long long)s->addr,
		smmu_qe_state_name(e->state), e->name, ops[0] ? " " : "", ops);
	if (e->stopped_here)
		fprintf(stdout, "  <- CONS: %s", smmu_cerror_label(r->q.err));
	fputc('\n', stdout);
	if (e->note)
		fprintf(stdout, "      note: %s\n", e->note);
}

static void check_entry(struct run *r, const struct pt_ring_slot *s, const struct smmu_qentry *e)
{
	if (e->note)
		return; /* a quirk the note explains, not a command as written */
	switch (r->q.kind) {
	case SMMU_Q_CMD: smmu_cmd_check(&r->diags, &r->ctx, s->index, s->addr, s->raw); break;
	case SMMU_Q_EVT: smmu_evt_check(&r->diags, &r->ctx, s->index, s->addr, s->raw); break;
	default: smmu_priq_check(&r->diags, &r->ctx, s->index, s->addr, s->raw); break;
	}
}

static int on_slot(void *user, const struct pt_ring_slot *s)
{
	struct run *r = user;
	if (!s->mapped) {
		if (!r->unmapped++)
			r->first_unmapped = s->addr;
		return 0;
	}
	struct smmu_qentry e;
	smmu_queue_classify(&r->q, s, &e);
	if (e.state == SMMU_QE_EMPTY && !r->o->all)
		return 0;
	if (e.state != SMMU_QE_EMPTY)
		check_entry(r, s, &e);
	emit_entry(r, s, &e);
	r->shown++;
	r->pending_shown += e.state == SMMU_QE_PENDING;
	return 0;
}

static int run_queue(struct run *r, enum smmu_queue_kind kind)
{
	struct smmu_queue *q = &r->q;
	r->ctx.queue = smmu_queue_name(kind);
	if (smmu_queue_setup(q, kind, &r->o->q[kind].vals, &r->diags) < 0)
		return -1;
	smmu_queue_scan(q, &r->src);
	r->unmapped = r->shown = r->pending_shown = 0;
	if (r->o->json) {
		pt_emit_table_begin(&r->emit, queue_header_json(q));
		pt_emit_array_begin(&r->emit, "entries");
	} else {
		print_header(q, stdout);
	}
	pt_ring_walk(&q->ring, &r->src, on_slot, r);
	if (r->o->json) {
		pt_emit_array_end(&r->emit);
		pt_emit_table_end(&r->emit);
	}
	if (r->unmapped)
		smmu_queue_report(&r->diags, R_QUEUE_UNMAPPED, r->first_unmapped, 0, 0, NULL,
				  "%s: %llu of %u slots are not in the input (first at 0x%llx)",
				  smmu_queue_name(kind), (unsigned long long)r->unmapped,
				  q->geom.slots, (unsigned long long)r->first_unmapped);
	r->total_shown += r->shown;
	r->total_pending += q->geom.pending;
	r->nqueues++;
	return 0;
}

static int setup_ctx(struct run *r)
{
	char err[256];
	r->caps = smmu_caps_parse(r->o->caps ? r->o->caps : "generic", err, sizeof err);
	if (!r->caps)
		return pt_cli_usage_error("--caps: %s", err);
	r->ctx.caps = r->caps;
	if (r->o->have_strtab_cfg) {
		struct smmu_strtab st;
		smmu_strtab_decode(0, r->o->strtab_cfg, r->caps->sid_bits, &st);
		r->ctx.have_strtab = 1;
		r->ctx.strtab_sid_bits = st.sid_bits;
	}
	return 0;
}

static int finish(struct run *r, int rc)
{
	if (r->o->json) {
		json_t *s = json_object();
		json_object_set_new(s, "queues", json_integer(r->nqueues));
		json_object_set_new(s, "entries_shown", json_integer((json_int_t)r->total_shown));
		json_object_set_new(s, "pending", json_integer((json_int_t)r->total_pending));
		pt_emit_end(&r->emit, &r->diags, s);
	} else {
		pt_diag_flush_text(&r->diags, stderr);
		if (!r->o->quiet && rc == 0) {
			printf("%u queue%s, %llu entries shown, %llu pending; ", r->nqueues,
			       r->nqueues == 1 ? "" : "s", (unsigned long long)r->total_shown,
			       (unsigned long long)r->total_pending);
			pt_print_counts(stdout, r->diags.counts[PT_SEV_ERROR],
					r->diags.counts[PT_SEV_WARNING],
					r->diags.counts[PT_SEV_NOTE]);
			putchar('\n');
		}
	}
	if (rc == 0 && r->o->strict && pt_diag_errors(&r->diags))
		rc = PT_EXIT_FINDINGS;
	if (r->caps)
		smmu_caps_free(r->caps);
	pt_source_free(&r->src);
	pt_diag_free(&r->diags);
	return rc;
}

/* The envelope of pt_emit with "queues" where decode has "tables". */
static void json_begin(struct run *r, int opened)
{
	fputs("{\"schema\":\"pasidtool.queues/1\",\"source\":", stdout);
	json_t *s = opened ? source_json(r) : json_object();
	json_dumpf(s, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(s);
	fputs(",\"queues\":[", stdout);
	r->emit.first_table = 1;
}

int pt_queues_run(struct pt_queues_opts *o)
{
	struct smmu_regs regs;
	int rc = pt_queues_apply_regs(o, (1u << SMMU_Q_COUNT) - 1, &regs);
	if (rc == 0)
		rc = pt_queues_opts_check(o, 1);
	if (rc)
		return rc;
	if (pt_cli_set_color(o->color, stdout) != 0)
		return pt_cli_usage_error("--color %s: expected auto, always or never", o->color);
	struct run *r = calloc(1, sizeof *r);
	if (!r)
		return PT_EXIT_INTERNAL;
	r->o = o;
	pt_diag_init(&r->diags, o->inputs[0], NULL);
	r->diags.color = o->json ? 0 : pt_cli_color_for(o->color, stderr);
	r->diags.fold = 1;
	r->emit.out = stdout;
	r->emit.json = o->json;
	struct pt_open_opts oo = { o->base, o->use_vaddr, 0 };
	int opened = pt_source_open(&r->src, o->inputs, o->ninputs, &oo, &r->diags) == 0;
	rc = opened ? setup_ctx(r) : PT_EXIT_USAGE;
	if (o->json)
		json_begin(r, opened);
	for (unsigned k = 0; rc == 0 && k < SMMU_Q_COUNT; k++)
		if (o->q[k].have && run_queue(r, (enum smmu_queue_kind)k) < 0)
			rc = PT_EXIT_USAGE;
	rc = finish(r, rc);
	free(r);
	return rc;
}

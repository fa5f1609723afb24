/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The run of `explain`: gather the events (log, words or the event queue),
 * explain each through the library, print a paragraph per event or one
 * pasidtool.explain/1 document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "emit.h"
#include "enum_names.h"
#include "emit_line.h"
#include "explain.h"
#include "ptw_cli.h"
#include "smmuv3.h"
#include "smmuv3_evtlog.h"
#include "smmuv3_explain.h"
#include "smmuv3_queue_rules.h"
#include "source_json.h"

/* Events taken from the event queue, at most. */
#define MAX_QUEUE_EVENTS 4096u

struct event_in {
	uint8_t raw[SMMU_EVT_SIZE];
	char from[96];               /* "dmesg.txt line 12", "evtq[3]", "--event" */
	char client[64];
};

struct run {
	struct explain_opts *o;
	struct pt_source src;
	struct pt_diag_sink diags;
	struct pt_emit emit;
	struct smmu_caps *caps;
	struct smmu_strtab strtab;
	struct smmu_queue cmdq, evtq;
	struct smmu_explain_ctx ctx;
	struct event_in *ev;
	size_t nev, cap;
	int opened;
};

static int add_event(struct run *r, const uint8_t *raw, const char *from, const char *client)
{
	if (r->nev == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct event_in *v = realloc(r->ev, cap * sizeof *v);
		if (!v)
			return -1;
		r->ev = v;
		r->cap = cap;
	}
	struct event_in *e = &r->ev[r->nev++];
	memcpy(e->raw, raw, SMMU_EVT_SIZE);
	snprintf(e->from, sizeof e->from, "%s", from);
	snprintf(e->client, sizeof e->client, "%s", client ? client : "");
	return 0;
}

static int events_from_log(struct run *r)
{
	struct pt_source logsrc;
	char err[256];
	pt_source_init(&logsrc, r->o->log);
	if (pt_source_map_file(&logsrc, r->o->log, err, sizeof err) < 0) {
		pt_source_free(&logsrc);
		return pt_cli_usage_error("--event-log: %s", err);
	}
	struct smmu_evtlog log;
	memset(&log, 0, sizeof log);
	/* Findings about the log name the log, not the dump. */
	struct pt_diag_sink ld;
	pt_diag_init(&ld, r->o->log, NULL);
	long n = smmu_evtlog_parse((const char *)logsrc.files[0].base, logsrc.files[0].size, &log,
				   &ld);
	for (uint32_t i = 0; i < ld.nitems; i++)
		pt_diag_report(&r->diags, ld.items[i].rule, 0, 0, PT_SCOPE_NONE, 0, ld.items[i].field,
			       "%s: %s", r->o->log, ld.items[i].msg);
	pt_diag_free(&ld);
	int rc = n > 0 ? 0 : PT_EXIT_USAGE;
	for (size_t i = 0; rc == 0 && i < log.n; i++) {
		char from[96];
		snprintf(from, sizeof from, "%s line %u", r->o->log, log.ev[i].line);
		if (add_event(r, log.ev[i].raw, from, log.ev[i].client) < 0)
			rc = PT_EXIT_INTERNAL;
	}
	smmu_evtlog_free(&log);
	pt_source_free(&logsrc);
	return rc;
}

static int evtq_slot(void *user, const struct pt_ring_slot *s)
{
	struct run *r = user;
	if (!s->mapped || r->nev >= MAX_QUEUE_EVENTS)
		return 0;
	struct smmu_qentry e;
	smmu_queue_classify(&r->evtq, s, &e);
	if (e.state == SMMU_QE_EMPTY)
		return 0;
	char from[96];
	snprintf(from, sizeof from, "evtq[%u] (%s)", s->index, smmu_qe_state_name(e.state));
	return add_event(r, s->raw, from, NULL) < 0;
}

static int gather(struct run *r)
{
	struct explain_opts *o = r->o;
	if (o->log)
		return events_from_log(r);
	if (o->event) {
		uint8_t raw[SMMU_EVT_SIZE];
		char err[160];
		if (smmu_event_from_words(o->event, raw, err, sizeof err) != 0)
			return pt_cli_usage_error("--event %s: %s", o->event, err);
		return add_event(r, raw, "--event", NULL) < 0 ? PT_EXIT_INTERNAL : 0;
	}
	if (smmu_queue_setup(&r->evtq, SMMU_Q_EVT, &o->q.q[SMMU_Q_EVT].vals, &r->diags) < 0)
		return PT_EXIT_USAGE;
	pt_ring_walk(&r->evtq.ring, &r->src, evtq_slot, r);
	if (!r->nev)
		fprintf(stderr, "pasidtool: the event queue holds no event\n");
	return 0;
}

static json_t *struct_json(const char *idkey, uint64_t id, uint64_t addr,
			   const struct pt_struct *st, const uint8_t *raw, const char *name)
{
	json_t *o = json_object();
	if (idkey)
		json_object_set_new(o, idkey, json_integer((json_int_t)id));
	json_object_set_new(o, "address", pt_json_hex(addr));
	json_object_set_new(o, "raw", pt_struct_raw_json(st, raw));
	json_t *f = pt_struct_fields_json(st, raw);
	if (name) {
		json_t *g = json_object();
		json_object_set(g, st->fields[0].name, json_object_get(f, st->fields[0].name));
		json_object_set_new(g, "name", json_string(name));
		json_object_update(g, f);
		json_decref(f);
		f = g;
	}
	json_object_set_new(o, "fields", f);
	json_t *names = pt_struct_names_json(st, raw);
	if (names)
		json_object_set_new(o, "names", names);
	return o;
}

/* The walk of the event's address, the one translate makes, when the
 * stream table is known: where the address goes now, or where it stops. */
struct walk {
	struct smmu_stream s;
	struct smmu_xlate x;
	int done;
};

static void walk_event(struct run *r, struct smmu_explain *x, struct walk *w)
{
	w->done = 0;
	if (!r->ctx.strtab || !x->has_addr)
		return;
	struct smmu_root root;
	memset(&root, 0, sizeof root);
	root.kind = SMMU_ROOT_STRTAB;
	root.strtab = r->strtab;
	if (smmu_stream_resolve(&r->src, r->caps, &root, x->sid, x->ssv, x->ssid, &w->s) == 0) {
		smmu_translate(&r->src, r->caps, &w->s, x->addr, NULL, &w->x);
		x->maps_now = w->x.ok ? 1 : w->x.fault.dump_ends ? -1 : 0;
	} else {
		memset(&w->x, 0, sizeof w->x);
		w->x.iova = x->addr;
		w->x.fault = w->s.fault;
	}
	w->done = 1;
	smmu_explain_write(x);
}

static json_t *explanation_json(const struct event_in *in, const struct smmu_explain *x,
				const struct walk *w)
{
	json_t *o = json_object();
	json_object_set_new(o, "from", json_string(in->from));
	if (in->client[0])
		json_object_set_new(o, "client", json_string(in->client));
	json_t *ev = struct_json(NULL, 0, 0, x->evt_st, x->evt,
				 smmu_evt_name(x->id) ? smmu_evt_name(x->id) : "RESERVED");
	json_object_del(ev, "address");
	json_object_set_new(o, "event", ev);
	json_object_set_new(o, "ste", x->have_ste ? struct_json("sid", x->sid, x->ste_addr,
								&smmu_ste_struct, x->ste, NULL)
						  : json_null());
	json_object_set_new(o, "cd", x->have_cd ? struct_json("ssid", x->cd_index, x->cd_addr,
							      &smmu_cd_struct, x->cd, NULL)
						: json_null());
	json_object_set_new(o, "translation", w->done ? ptw_xlate_json(&w->s, &w->x) : json_null());
	json_t *h = json_array();
	for (unsigned i = 0; i < x->nhist; i++) {
		const struct smmu_explain_cmd *c = &x->hist[i];
		const struct pt_struct *st = pt_family_struct(&smmu_cmd_family, c->raw);
		json_t *cj = struct_json("index", c->index, c->addr, st, c->raw,
					 smmu_cmd_name(c->raw[0]));
		json_object_set_new(cj, "age", json_integer(c->age));
		json_object_set_new(cj, "why", json_string(c->why));
		json_array_append_new(h, cj);
	}
	json_object_set_new(o, "history", h);
	json_t *fnd = json_array();
	for (uint32_t i = 0; i < x->findings.nitems; i++)
		json_array_append_new(fnd, pt_diag_json(&x->findings.items[i]));
	json_object_set_new(o, "findings", fnd);
	json_object_set_new(o, "explanation", json_string(x->text));
	return o;
}

/* The paragraph, wrapped at 78 columns and indented. */
static void print_wrapped(const char *text, const char *indent)
{
	size_t col = 0, il = strlen(indent);
	const char *s = text;
	while (*s) {
		size_t w = strcspn(s, " ");
		if (col && col + 1 + w > 78) {
			putchar('\n');
			col = 0;
		}
		if (!col) {
			fputs(indent, stdout);
			col = il;
		} else {
			putchar(' ');
			col++;
		}
		fwrite(s, 1, w, stdout);
		col += w;
		s += w;
		while (*s == ' ')
			s++;
	}
	putchar('\n');
}

static void print_text(const struct run *r, const struct event_in *in,
		       const struct smmu_explain *x, const struct walk *w)
{
	char ops[512];
	printf("%s: %s\n", in->from, smmu_evt_name(x->id) ? smmu_evt_name(x->id) : "RESERVED");
	if (!r->o->q.quiet) {
		pt_struct_operands(ops, sizeof ops, x->evt_st, x->evt, &x->evt_st->fields[0]);
		printf("  event    %s%s%s\n", ops, in->client[0] ? " client=" : "", in->client);
		if (x->have_ste) {
			pt_struct_operands(ops, sizeof ops, &smmu_ste_struct, x->ste, NULL);
			printf("  ste      0x%llx %s\n", (unsigned long long)x->ste_addr, ops);
		}
		if (x->have_cd) {
			pt_struct_operands(ops, sizeof ops, &smmu_cd_struct, x->cd, NULL);
			printf("  cd       0x%llx %s\n", (unsigned long long)x->cd_addr, ops);
		}
		for (unsigned i = 0; i < x->nhist; i++) {
			const struct smmu_explain_cmd *c = &x->hist[i];
			const struct pt_struct *st = pt_family_struct(&smmu_cmd_family, c->raw);
			pt_struct_operands(ops, sizeof ops, st, c->raw, &st->fields[0]);
			printf("  %s cmdq[%u] %s %s (%s)\n", i ? "        " : "history", c->index,
			       smmu_cmd_name(c->raw[0]) ? smmu_cmd_name(c->raw[0]) : "?", ops,
			       c->why);
		}
		if (w->done) {
			fputs("  walk     ", stdout);
			ptw_xlate_print(stdout, &w->s, &w->x);
		}
	}
	print_wrapped(x->text, "  ");
}

static int setup(struct run *r)
{
	struct explain_opts *o = r->o;
	char err[256];
	r->caps = smmu_caps_parse(o->q.caps ? o->q.caps : "generic", err, sizeof err);
	if (!r->caps)
		return pt_cli_usage_error("--caps: %s", err);
	r->ctx.src = &r->src;
	r->ctx.caps = r->caps;
	if (o->have_strtab) {
		smmu_strtab_decode(o->strtab, o->strtab_cfg, r->caps->sid_bits, &r->strtab);
		smmu_strtab_check(&r->strtab, r->caps, &r->diags);
		r->ctx.strtab = &r->strtab;
	}
	if (o->q.q[SMMU_Q_CMD].have) {
		if (smmu_queue_setup(&r->cmdq, SMMU_Q_CMD, &o->q.q[SMMU_Q_CMD].vals, &r->diags) < 0)
			return PT_EXIT_USAGE;
		smmu_queue_scan(&r->cmdq, &r->src);
		r->ctx.cmdq = &r->cmdq;
	}
	return 0;
}

/* --regs: the command history and (when no log or words are given) the
 * event queue, the stream table, the caps. */
static int apply_regs(struct explain_opts *o, int evtq_given)
{
	struct smmu_regs r;
	int from_log = o->log || o->event;
	unsigned kinds = (1u << SMMU_Q_CMD) | (from_log && !evtq_given ? 0 : 1u << SMMU_Q_EVT);
	int rc = pt_queues_apply_regs(&o->q, kinds, &r);
	if (rc != 0 || o->have_strtab || o->have_strtab_cfg)
		return rc;
	int base = smmu_regs_have(&r, SMMU_STRTAB_BASE), cfg = smmu_regs_have(&r, SMMU_STRTAB_BASE_CFG);
	if (base != cfg)
		return pt_cli_usage_error("%s: STRTAB_BASE and STRTAB_BASE_CFG go together", o->q.regs);
	if (base) {
		o->strtab = r.value[SMMU_STRTAB_BASE];
		o->strtab_cfg = r.value[SMMU_STRTAB_BASE_CFG];
		o->have_strtab = o->have_strtab_cfg = 1;
	}
	return 0;
}

static int check_opts(struct explain_opts *o)
{
	int evtq_given = o->q.q[SMMU_Q_EVT].have != 0;
	int n = !!o->log + !!o->event + evtq_given;
	if (n > 1)
		return pt_cli_usage_error("give the events with one of --event-log FILE, --event "
					  "W0,W1,W2,W3 or the event queue (--evtq BASE --evtq-prod "
					  "P --evtq-cons C, or --regs)");
	if (o->q.q[SMMU_Q_PRI].have)
		return pt_cli_usage_error("--priq: PRI requests are not events; see `queues`");
	if (o->have_strtab != o->have_strtab_cfg)
		return pt_cli_usage_error("--strtab and --strtab-cfg go together");
	int rc = apply_regs(o, evtq_given);
	if (rc == 0)
		rc = pt_queues_opts_check(&o->q, 0);
	if (rc)
		return rc;
	if (!o->log && !o->event && !o->q.q[SMMU_Q_EVT].have)
		return pt_cli_usage_error("no events: give --event-log FILE, --event W0,W1,W2,W3, "
					  "--evtq BASE --evtq-prod P --evtq-cons C, or --regs "
					  "with the event queue's registers");
	return 0;
}

static void json_begin(struct run *r)
{
	fputs("{\"schema\":\"pasidtool.explain/1\",\"source\":", stdout);
	json_t *s = r->opened ? pt_cli_source_json(r->o->q.inputs, r->o->q.ninputs, &r->src)
			      : json_object();
	json_dumpf(s, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(s);
	fputs(",\"events\":[", stdout);
	r->emit.first_item = 1;
}

static int explain_all(struct run *r)
{
	for (size_t i = 0; i < r->nev; i++) {
		struct smmu_explain *x = calloc(1, sizeof *x);
		struct walk *w = calloc(1, sizeof *w);
		if (!x || !w) {
			free(x);
			free(w);
			return PT_EXIT_INTERNAL;
		}
		smmu_explain_event(&r->ctx, r->ev[i].raw, x);
		x->findings.input = r->o->q.inputs[0];
		walk_event(r, x, w);
		if (r->o->q.json) {
			pt_emit_item(&r->emit, explanation_json(&r->ev[i], x, w));
		} else {
			print_text(r, &r->ev[i], x, w);
			fflush(stdout);
			pt_diag_flush_text(&x->findings, stderr);
		}
		smmu_explain_free(x);
		free(x);
		free(w);
	}
	return 0;
}

int pt_explain_run(struct explain_opts *o)
{
	int rc = check_opts(o);
	if (rc)
		return rc;
	if (pt_cli_set_color(o->q.color, stdout) != 0)
		return pt_cli_usage_error("--color %s: expected auto, always or never", o->q.color);
	struct run *r = calloc(1, sizeof *r);
	if (!r)
		return PT_EXIT_INTERNAL;
	r->o = o;
	pt_diag_init(&r->diags, o->q.inputs[0], NULL);
	r->diags.color = o->q.json ? 0 : pt_cli_color_for(o->q.color, stderr);
	r->diags.fold = 1;
	r->emit.out = stdout;
	r->emit.json = o->q.json;
	struct pt_open_opts oo = { o->q.base, o->q.use_vaddr, 0 };
	r->opened = pt_source_open(&r->src, o->q.inputs, o->q.ninputs, &oo, &r->diags) == 0;
	rc = r->opened ? setup(r) : PT_EXIT_USAGE;
	if (rc == 0)
		rc = gather(r);
	if (o->q.json)
		json_begin(r);
	if (rc == 0)
		rc = explain_all(r);
	if (o->q.json) {
		/* A failed run says why on stderr too, as every command does. */
		if (rc == PT_EXIT_USAGE)
			pt_diag_flush_text(&r->diags, stderr);
		json_t *s = json_object();
		json_object_set_new(s, "events", json_integer((json_int_t)r->nev));
		pt_emit_end(&r->emit, &r->diags, s);
	} else {
		pt_diag_flush_text(&r->diags, stderr);
	}
	if (r->caps)
		smmu_caps_free(r->caps);
	free(r->ev);
	pt_source_free(&r->src);
	pt_diag_free(&r->diags);
	free(r);
	return rc;
}

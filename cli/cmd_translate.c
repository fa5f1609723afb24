/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pasidtool translate: where a device's DMA to an IOVA goes, walked exactly
 * as the SMMU does, with every level of the walk, or the event it records. */
#include <argp.h>
#include <inttypes.h>
#include <string.h>

#include "cli.h"
#include "emit.h"
#include "ptw_cli.h"

static const char doc[] =
	"Translate IOVAs of a StreamID (and SubstreamID) through the SMMUv3 tables in a "
	"memory dump: STE -> CD -> stage-1 tables (-> stage 2 when nested), printing the "
	"physical address, the mapping's attributes and every level of the walk, or the "
	"fault the SMMU would record (F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, F_PERMISSION, "
	"C_BAD_STE, C_BAD_CD, ...). A walk that needs memory the dump lacks says so.\v"
	"Exit status: 0 every address translated, 1 some did not (fault or dump ends), "
	"2 usage or input error.";

static const char *const examples[] = {
	"pasidtool translate guest.elf --strtab 0x4836d000 --strtab-cfg 0x10210 --sid 8 0xfffff000",
	"pasidtool translate dump.elf --ste 0x5b660200 --ssid 3 --access w 0x10000 --json",
	NULL,
};

static const struct argp argp = { NULL, ptw_parent_parse, "INPUT IOVA...", doc, ptw_children,
				  NULL, NULL };
static const struct pt_cli_cmd cli = { "translate", &argp, PT_CLI_ALL, examples };

static const char *purpose_class(const struct pt_ptw_step *s)
{
	if (s->stage == 1)
		return NULL;
	return s->purpose == PT_PTW_FOR_CONTEXT ? "CD" : s->purpose == PT_PTW_FOR_TABLE ? "TT" : "IN";
}

static json_t *step_json(const struct pt_ptw_step *s)
{
	json_t *j = json_object();
	json_object_set_new(j, "stage", json_integer(s->stage));
	json_object_set_new(j, "level", json_integer(s->level));
	if (purpose_class(s))
		json_object_set_new(j, "class", json_string(purpose_class(s)));
	json_object_set_new(j, "table", pt_json_hex(s->table));
	json_object_set_new(j, "index", json_integer(s->index));
	json_object_set_new(j, "pte_address", pt_json_hex(s->pte_address));
	json_object_set_new(j, "pte", s->decision == PT_PTW_DEC_NOT_IN_DUMP ? json_null()
									   : pt_json_hex(s->pte));
	json_object_set_new(j, "decision", json_string(pt_ptw_decision_name(s->decision)));
	return j;
}

static void add_steps(json_t *arr, const struct pt_ptw_result *r)
{
	for (unsigned i = 0; i < r->nsteps; i++)
		json_array_append_new(arr, step_json(&r->steps[i]));
}

static json_t *fault_json(const struct smmu_fault *f)
{
	if (!f->happened || f->dump_ends)
		return json_null();
	json_t *j = json_object();
	json_object_set_new(j, "event", f->event ? json_string(f->event) : json_null());
	json_object_set_new(j, "id", f->event ? json_integer(f->id) : json_null());
	json_object_set_new(j, "stage", f->stage ? json_integer(f->stage) : json_null());
	json_object_set_new(j, "level", f->level >= -1 ? json_integer(f->level) : json_null());
	json_object_set_new(j, "class", f->cls ? json_string(f->cls) : json_null());
	json_object_set_new(j, "reason", json_string(f->reason));
	json_object_set_new(j, "recorded", json_boolean(f->event && !f->not_recorded));
	json_object_set_new(j, "stall", json_boolean(f->stall));
	json_object_set_new(j, "control", f->control ? json_string(f->control) : json_null());
	json_object_set_new(j, "response", f->response ? json_string(f->response) : json_null());
	return j;
}

static json_t *dump_ends_json(const struct smmu_fault *f)
{
	if (!f->dump_ends)
		return json_null();
	json_t *j = json_object();
	json_object_set_new(j, "address", pt_json_hex(f->dump_addr));
	json_object_set_new(j, "stage", f->stage ? json_integer(f->stage) : json_null());
	json_object_set_new(j, "level", f->level >= -1 ? json_integer(f->level) : json_null());
	json_object_set_new(j, "reason", json_string(f->reason));
	return j;
}

static json_t *attrs_json(const struct smmu_stream *s, const struct smmu_xlate *x)
{
	/* A permission fault has a leaf worth showing: it says what is allowed. */
	int leaf = x->ok || (x->fault.event && x->fault.id == 0x13 && x->fault.stage == 1);
	if (!leaf || !strcmp(x->path, "bypass"))
		return json_null();
	const struct pt_ptw_result *w = &x->walk;
	const struct smmu_regime *first = x->has_s1 ? &x->s1 : &s->s2;
	json_t *a = smmu_leaf_attrs_json(first, w->leaf, w->leaf_level, w->size_bits, w->hier_or,
					 w->hier_and);
	if (w->has_next_leaf)
		json_object_set_new(a, "s2", smmu_leaf_attrs_json(&s->s2, w->next_leaf,
								  w->next_leaf_level, w->next_size_bits,
								  w->next_hier_or, w->next_hier_and));
	return a;
}

json_t *ptw_xlate_json(const struct smmu_stream *s, const struct smmu_xlate *x)
{
	json_t *j = json_object();
	ptw_json_ids(j, s);
	json_object_set_new(j, "iova", pt_json_hex(x->iova));
	json_object_set_new(j, "pa", x->ok ? pt_json_hex(x->pa) : json_null());
	json_object_set_new(j, "path", x->path ? json_string(x->path) : json_null());
	json_object_set_new(j, "attrs", attrs_json(s, x));
	json_object_set_new(j, "fault", fault_json(&x->fault));
	json_object_set_new(j, "dump_ends", dump_ends_json(&x->fault));
	json_t *walk = json_array();
	add_steps(walk, &s->cd_walk);
	add_steps(walk, &x->walk);
	json_object_set_new(j, "walk", walk);
	return j;
}

static void print_steps(FILE *out, const struct pt_ptw_result *r)
{
	for (unsigned i = 0; i < r->nsteps; i++) {
		const struct pt_ptw_step *s = &r->steps[i];
		const char *cls = purpose_class(s);
		fprintf(out, "  s%u%s%s L%d table 0x%" PRIx64 "[%u] pte@0x%" PRIx64 " = ", s->stage,
			cls ? "/" : "", cls ? cls : "", s->level, s->table, s->index, s->pte_address);
		if (s->decision == PT_PTW_DEC_NOT_IN_DUMP)
			fprintf(out, "(not in dump)");
		else
			fprintf(out, "0x%016" PRIx64, s->pte);
		fprintf(out, " %s\n", pt_ptw_decision_name(s->decision));
	}
}

/* A fault the configuration does not record is still where the walk
 * stopped: say which event it would have been and what the device sees. */
static void print_recording(FILE *out, const struct smmu_fault *f)
{
	if (f->not_recorded)
		fprintf(out, ", not recorded (%s: no event; the device sees %s)", f->control,
			!strcmp(f->response, "abort") ? "an abort" : "reads of zero, writes ignored");
	else if (f->stall)
		fprintf(out, ", recorded with Stall = 1 (%s: the transaction waits for CMD_RESUME "
			     "or CMD_STALL_TERM)", f->control);
}

void ptw_xlate_print(FILE *out, const struct smmu_stream *s, const struct smmu_xlate *x)
{
	char ids[64];
	if (s->has_ssid)
		snprintf(ids, sizeof ids, "sid %u ssid %u", s->sid, s->ssid);
	else
		snprintf(ids, sizeof ids, "sid %u", s->sid);
	if (x->ok) {
		char attrs[200] = "bypass";
		if (strcmp(x->path, "bypass") != 0) {
			const struct smmu_regime *first = x->has_s1 ? &x->s1 : &s->s2;
			const struct pt_ptw_result *w = &x->walk;
			smmu_leaf_attrs_text(first, w->leaf, w->leaf_level, w->size_bits, w->hier_or,
					     w->hier_and, attrs, sizeof attrs);
			if (w->has_next_leaf) {
				size_t n = strlen(attrs);
				snprintf(attrs + n, sizeof attrs - n, "; ");
				n = strlen(attrs);
				smmu_leaf_attrs_text(&s->s2, w->next_leaf, w->next_leaf_level,
						     w->next_size_bits, w->next_hier_or,
						     w->next_hier_and, attrs + n, sizeof attrs - n);
			}
		}
		fprintf(out, "%s iova 0x%" PRIx64 " -> pa 0x%" PRIx64 " (%s)\n", ids, x->iova, x->pa,
			attrs);
	} else if (x->fault.dump_ends) {
		fprintf(out, "%s iova 0x%" PRIx64 ": the dump ends here: %s (the SMMU would read "
			     "whatever memory holds there, or record F_WALK_EABT)\n",
			ids, x->iova, x->fault.reason);
	} else if (x->fault.event) {
		fprintf(out, "%s iova 0x%" PRIx64 ": fault %s (0x%02x)", ids, x->iova, x->fault.event,
			x->fault.id);
		if (x->fault.stage)
			fprintf(out, " stage %u", x->fault.stage);
		if (x->fault.level >= -1)
			fprintf(out, " level %d", x->fault.level);
		if (x->fault.cls)
			fprintf(out, " class %s", x->fault.cls);
		print_recording(out, &x->fault);
		fprintf(out, ": %s\n", x->fault.reason);
	} else {
		fprintf(out, "%s iova 0x%" PRIx64 ": not translated: %s\n", ids, x->iova,
			x->fault.reason);
	}
	print_steps(out, &s->cd_walk);
	print_steps(out, &x->walk);
}

int cmd_translate(int argc, char **argv)
{
	static struct ptw_opts o;
	memset(&o, 0, sizeof o);
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
	static struct smmu_xlate x;
	smmu_stream_resolve(&run.src, run.caps, &run.root, o.sid, o.has_ssid, o.ssid, &s);
	if (o.json)
		ptw_json_begin(&run, "pasidtool.translate/1", "translations");
	uint64_t ok = 0, faults = 0, ends = 0;
	for (size_t i = 0; i < o.niovas; i++) {
		smmu_translate(&run.src, run.caps, &s, o.iovas[i], o.has_access ? &o.access : NULL, &x);
		ok += x.ok;
		ends += !x.ok && x.fault.dump_ends;
		faults += !x.ok && !x.fault.dump_ends;
		if (o.json)
			ptw_json_item(&run, ptw_xlate_json(&s, &x));
		else
			ptw_xlate_print(stdout, &s, &x);
	}
	if (o.json) {
		json_t *sum = json_object();
		json_object_set_new(sum, "translations", json_integer((json_int_t)o.niovas));
		json_object_set_new(sum, "translated", json_integer((json_int_t)ok));
		json_object_set_new(sum, "faults", json_integer((json_int_t)faults));
		json_object_set_new(sum, "dump_ends", json_integer((json_int_t)ends));
		ptw_json_end(&run, sum);
	} else if (!o.quiet) {
		printf("%" PRIu64 " translated, %" PRIu64 " faulted, %" PRIu64 " reached the end of the dump\n",
		       ok, faults, ends);
	}
	ptw_close(&run);
	return ptw_finish_output(ok == o.niovas ? PT_EXIT_OK : PT_EXIT_FINDINGS);
}

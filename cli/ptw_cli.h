/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What translate and maps share: the input, the SMMU root (stream table,
 * STE or bare CD table), StreamID/SubstreamID, caps, output choice, and the
 * streamed JSON envelope of their answers. */
#ifndef PT_PTW_CLI_H
#define PT_PTW_CLI_H

#include <argp.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "diag.h"
#include "smmuv3_ptw.h"
#include "source.h"

#define PTW_MAX_IOVAS 4096

struct ptw_opts {
	const char *input;
	uint64_t base;
	int use_vaddr;
	int has_cd_table, has_ste, has_strtab, has_strtab_cfg, has_layout, has_ssid_bits;
	uint64_t cd_table, ste, strtab, strtab_cfg;
	const char *layout;
	unsigned ssid_bits;
	int has_sid, has_ssid;
	uint32_t sid, ssid;
	const char *caps;
	int json, quiet;
	/* translate */
	uint64_t iovas[PTW_MAX_IOVAS];
	size_t niovas;
	int has_access;
	struct pt_ptw_access access;
	/* maps */
	int all_sids;
	uint64_t max_entries;
	int maps;              /* parsing for maps: no IOVA arguments */
};

extern const struct argp ptw_root_argp;
extern const struct argp_child ptw_children[];      /* translate */
extern const struct argp_child ptw_maps_children[]; /* maps */
error_t ptw_parent_parse(int key, char *arg, struct argp_state *st);
/* After pt_cli_parse: --json (or --pretty) and --quiet into o. */
void ptw_take_common(struct ptw_opts *o);

/* An opened input and the resolved root, ready for smmu_stream_resolve. */
struct ptw_run {
	struct ptw_opts *o;
	struct pt_source src;
	struct pt_diag_sink diags;
	struct smmu_caps *caps;
	struct smmu_root root;
	FILE *out;
	int first_item;
};

/* Open the input, load caps and build the root; exit status (0 ok). */
int ptw_open(struct ptw_run *run, struct ptw_opts *o);
void ptw_close(struct ptw_run *run);

/* JSON envelope {"schema", "source", KEY: [items...], "diagnostics", "summary"}. */
void ptw_json_begin(struct ptw_run *run, const char *schema, const char *key);
void ptw_json_item(struct ptw_run *run, json_t *item /* stolen */);
void ptw_json_end(struct ptw_run *run, json_t *summary /* stolen */);

/* Flush stdout; a failed write is an error (exit 2) like a failed read. */
int ptw_finish_output(int rc);

/* The StreamID and SubstreamID as JSON ("ssid": null without one). */
void ptw_json_ids(json_t *j, const struct smmu_stream *s);

/* One translation as translate prints it (explain shows the same object). */
json_t *ptw_xlate_json(const struct smmu_stream *s, const struct smmu_xlate *x);
void ptw_xlate_print(FILE *out, const struct smmu_stream *s, const struct smmu_xlate *x);

#endif

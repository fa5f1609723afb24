/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libpasid example: from the SMMU's stream-table registers to every CD a
 * memory dump holds, as
 *   pasidtool decode DUMP --strtab BASE --strtab-cfg CFG --json
 * reaches them. Build against an installed libpasid:
 *   cc strtab_cds.c $(pkg-config --cflags --libs pasid) -o strtab_cds
 * Run:
 *   ./strtab_cds guest.elf 0x4836d000 0x10210
 * Prints, for each valid STE that leads to a CD table, the STE (one JSON
 * object a line), its CD table's header and its valid CDs, then how many
 * valid STEs lead to none (bypass, abort, stage 2 only). */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pasid/pasid.h>

struct run {
	pasid_table *strtab;
	pasid_error err;
	uint32_t sids[4096];
	char *json[4096];
	size_t nsids;
};

static int remember_ste(const pasid_entry *e, void *user)
{
	struct run *r = user;
	if (e->kind != PASID_ENTRY || !e->valid)
		return 0;
	if (r->nsids < sizeof r->sids / sizeof r->sids[0]) {
		r->json[r->nsids] = strdup(e->json);
		r->sids[r->nsids++] = e->index;
	}
	return 0;
}

static int print_cd(const pasid_entry *e, void *user)
{
	(void)user;
	if (e->kind == PASID_ENTRY && e->valid)
		printf("  %s\n", e->json);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s DUMP STRTAB_BASE STRTAB_BASE_CFG\n", argv[0]);
		return 2;
	}
	static struct run r;
	pasid_source *src = NULL;
	const char *input = argv[1];
	int rc = 2;
	if (pasid_source_open(&src, &input, 1, 0, &r.err) != PASID_OK ||
	    pasid_table_open_strtab(&r.strtab, src, strtoull(argv[2], NULL, 0),
				    strtoull(argv[3], NULL, 0), NULL, &r.err) != PASID_OK ||
	    pasid_table_walk(r.strtab, PASID_WALK_JSON, remember_ste, &r, &r.err) != PASID_OK) {
		fprintf(stderr, "strtab_cds: %s\n", r.err.message);
		goto out;
	}
	rc = 0;
	size_t none = 0;
	for (size_t i = 0; i < r.nsids; i++) {
		pasid_table *cds;
		if (pasid_table_open_cd(&cds, r.strtab, r.sids[i], &r.err) != PASID_OK) {
			none++;
			continue;
		}
		puts(r.json[i]);
		char *header = NULL;
		if (pasid_table_header_json(cds, &header, &r.err) == PASID_OK)
			printf("sid %" PRIu32 " %s\n", r.sids[i], header);
		pasid_free(header);
		if (pasid_table_walk(cds, PASID_WALK_JSON, print_cd, NULL, &r.err) != PASID_OK) {
			printf("sid %" PRIu32 ": %s\n", r.sids[i], r.err.message);
			rc = 1;
		}
		pasid_table_close(cds);
	}
	printf("%zu valid STEs lead to no CD table\n", none);
out:
	for (size_t i = 0; i < r.nsids; i++)
		free(r.json[i]);
	pasid_table_close(r.strtab);
	pasid_source_close(src);
	return rc;
}

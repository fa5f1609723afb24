/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libpasid example: decode and validate a CD table, as
 *   pasidtool decode --json / pasidtool validate
 * print it. Build against an installed libpasid:
 *   cc decode_cd.c $(pkg-config --cflags --libs pasid) -o decode_cd
 * Run:
 *   ./decode_cd IMAGE BASE LAYOUT SSID_BITS [CAPS]
 *   ./decode_cd cd.bin 0x80000000 linear 4
 * Prints every descriptor and entry decode --json prints (one JSON object a
 * line), then the findings, then a count. Exit 0, 1 with errors, 2 when a
 * call fails. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <pasid/pasid.h>

static int print_entry(const pasid_entry *e, void *user)
{
	(void)user;
	puts(e->json);
	return 0;
}

static void print_finding(const char *input, const pasid_finding *f)
{
	static const char *const sev[] = { "off", "note", "warning", "error" };
	printf("%s", input);
	if (f->has_address)
		printf(":0x%" PRIx64, f->address);
	printf(": %s: ", sev[f->severity]);
	if (f->has_sid)
		printf("sid %" PRIu32 ": ", f->sid);
	if (f->has_ssid)
		printf("ssid %" PRIu32 ": ", f->ssid);
	if (f->has_l1_index)
		printf("l1[%" PRIu32 "]: ", f->l1_index);
	printf("%s", f->message);
	if (f->repeat)
		printf(" (and %" PRIu32 " more like this)", f->repeat);
	printf(" [%s]\n", f->rule);
}

int main(int argc, char **argv)
{
	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: %s IMAGE BASE LAYOUT SSID_BITS [CAPS]\n", argv[0]);
		return 2;
	}
	const char *input = argv[1];
	uint64_t base = strtoull(argv[2], NULL, 0);
	unsigned bits = (unsigned)strtoul(argv[4], NULL, 0);
	pasid_error err;
	pasid_source *src = NULL;
	pasid_table *cds = NULL;
	pasid_findings *found = NULL;
	int rc = 2;
	if (pasid_source_open(&src, &input, 1, base, &err) != PASID_OK ||
	    pasid_table_open(&cds, src, "smmuv3-cd", base, argv[3], bits, &err) != PASID_OK ||
	    pasid_table_walk(cds, PASID_WALK_JSON, print_entry, NULL, &err) != PASID_OK ||
	    pasid_table_validate(cds, argc > 5 ? argv[5] : NULL, &found, &err) != PASID_OK) {
		fprintf(stderr, "decode_cd: %s\n", err.message);
		goto out;
	}
	for (size_t i = 0; i < pasid_findings_count(found); i++)
		print_finding(input, pasid_findings_at(found, i));
	printf("%" PRIu64 " errors, %" PRIu64 " warnings (libpasid %s)\n",
	       pasid_findings_total(found, PASID_ERROR), pasid_findings_total(found, PASID_WARNING),
	       pasid_version());
	rc = pasid_findings_total(found, PASID_ERROR) ? 1 : 0;
out:
	pasid_findings_free(found);
	pasid_table_close(cds);
	pasid_source_close(src);
	return rc;
}

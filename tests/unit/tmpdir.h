/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A private temporary directory for a test program: created before the
 * group runs, emptied and removed after (cmocka group setup/teardown). */
#ifndef PT_TEST_TMPDIR_H
#define PT_TEST_TMPDIR_H

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[256];

static int make_tmpdir(void **state)
{
	(void)state;
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/pt_test_XXXXXX", t && *t ? t : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

/* Entries of tmpdir other than . and .., to prove no temporary is left
 * (UINT_MAX, which no count equals, when it cannot be read). */
static inline unsigned tmpdir_entries(void)
{
	DIR *d = opendir(tmpdir);
	if (!d)
		return UINT_MAX;
	unsigned n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static int remove_tmpdir(void **state)
{
	(void)state;
	DIR *d = opendir(tmpdir);
	if (!d)
		return -1;
	struct dirent *e;
	char p[512];
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
		unlink(p);
	}
	closedir(d);
	return rmdir(tmpdir);
}

#endif

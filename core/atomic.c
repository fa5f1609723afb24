/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "dir/name" -> "dir/.name.XXXXXX": same directory, so rename() is atomic. */
static char *temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	size_t n = strlen(path) + 16;
	char *t = malloc(n);
	if (t)
		snprintf(t, n, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
	return t;
}

int pt_atomic_begin(struct pt_atomic *a, const char *path, char *err, size_t errlen)
{
	a->path = path;
	a->fd = -1;
	a->tmp = temp_name(path);
	if (!a->tmp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->fd = mkstemp(a->tmp);
	if (a->fd < 0) {
		snprintf(err, errlen, "cannot create a temporary file next to it: %s", strerror(errno));
		free(a->tmp);
		a->tmp = NULL;
		return -1;
	}
	/* mkstemp() makes 0600; outputs get the usual 0666 & ~umask. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(a->fd, 0666 & ~mask);
	return 0;
}

int pt_atomic_write(struct pt_atomic *a, const void *buf, uint64_t len, char *err, size_t errlen)
{
	const uint8_t *p = buf;
	while (len) {
		size_t chunk = len > (1u << 30) ? (1u << 30) : (size_t)len;
		ssize_t n = write(a->fd, p, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "write failed: %s", n < 0 ? strerror(errno) : "short write");
			return -1;
		}
		p += n;
		len -= (uint64_t)n;
	}
	return 0;
}

int pt_atomic_zeros(struct pt_atomic *a, uint64_t len, char *err, size_t errlen)
{
	static const uint8_t zeros[65536];
	while (len) {
		uint64_t n = len < sizeof zeros ? len : sizeof zeros;
		if (pt_atomic_write(a, zeros, n, err, errlen) != 0)
			return -1;
		len -= n;
	}
	return 0;
}

/* Make the rename itself durable; best effort, the data is already synced. */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096] = ".";
	if (slash && (size_t)(slash - path) < sizeof dir)
		snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int pt_atomic_commit(struct pt_atomic *a, char *err, size_t errlen)
{
	if (fsync(a->fd) != 0 || close(a->fd) != 0) {
		snprintf(err, errlen, "cannot flush: %s", strerror(errno));
		a->fd = -1;
		pt_atomic_abort(a);
		return -1;
	}
	a->fd = -1;
	if (rename(a->tmp, a->path) != 0) {
		snprintf(err, errlen, "cannot rename into place: %s", strerror(errno));
		pt_atomic_abort(a);
		return -1;
	}
	sync_dir(a->path);
	free(a->tmp);
	a->tmp = NULL;
	return 0;
}

void pt_atomic_abort(struct pt_atomic *a)
{
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	if (a->tmp)
		unlink(a->tmp);
	free(a->tmp);
	a->tmp = NULL;
}

int pt_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (!a || !b || stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

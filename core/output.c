/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Holes are made per block of this size (the page size of every target). */
#define BLOCK 4096u
/* Links are followed at most this often, as the kernel does (ELOOP). */
#define MAX_LINKS 40
#define MAX_SLOTS 8
#define MAX_RUN_FILES 1024

/* ---- Temporary files removed by signal handlers and at exit ---- */

/* Plain static storage: the handler may only read it. */
static char slot_path[MAX_SLOTS][PATH_MAX];
static volatile sig_atomic_t slot_used[MAX_SLOTS];
static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

static void unlink_slots(void)
{
	for (int i = 0; i < MAX_SLOTS; i++)
		if (slot_used[i])
			unlink(slot_path[i]);
}

static void on_signal(int sig)
{
	int saved = errno;
	unlink_slots();
	/* SA_RESETHAND restored the default action: dying of the same signal
	 * tells the parent what happened (a shell prints nothing for PIPE). */
	raise(sig);
	errno = saved;
}

static void at_exit(void)
{
	unlink_slots();
}

void pt_output_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	atexit(at_exit);
	/* Past a file size limit (ulimit -f) a write fails with EFBIG, which is
	 * reported like any write error, instead of killing the run with the
	 * temporary file left behind. */
	signal(SIGXFSZ, SIG_IGN);
	for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++) {
		struct sigaction old, sa;
		if (sigaction(cleanup_signals[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sa.sa_flags = SA_RESETHAND | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		sigaction(cleanup_signals[i], &sa, NULL);
	}
}

/* Creating the file and marking its slot happen with the signals blocked, so
 * no signal finds a file that exists but is not yet known (or the reverse). */
static void block_signals(sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++)
		sigaddset(&set, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void restore_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* ---- Paths ---- */

static void dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

/* Follow symbolic links from path to the file they finally name (which may
 * not exist yet). 0, or -1 with err set (a loop, a name too long). */
static int follow_links(const char *path, char *out, size_t outlen, char *err, size_t errlen)
{
	char cur[PATH_MAX], link[PATH_MAX], dir[PATH_MAX];
	if (snprintf(cur, sizeof cur, "%s", path) >= (int)sizeof cur)
		goto too_long;
	for (int hops = 0;; hops++) {
		struct stat st;
		if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
			break;
		if (hops == MAX_LINKS) {
			snprintf(err, errlen, "too many levels of symbolic links");
			return -1;
		}
		ssize_t n = readlink(cur, link, sizeof link - 1);
		if (n < 0) {
			snprintf(err, errlen, "cannot read the link: %s", strerror(errno));
			return -1;
		}
		link[n] = '\0';
		dir_of(cur, dir, sizeof dir);
		int w = link[0] == '/' ? snprintf(cur, sizeof cur, "%s", link)
				       : snprintf(cur, sizeof cur, "%s/%s", dir, link);
		if (w < 0 || w >= (int)sizeof cur)
			goto too_long;
	}
	if (strlen(cur) >= outlen)
		goto too_long;
	memcpy(out, cur, strlen(cur) + 1);
	return 0;
too_long:
	snprintf(err, errlen, "path too long");
	return -1;
}

/* ---- The run's files ---- */

/* A file is known by device and inode; an output that does not exist yet by
 * its directory's device and inode and its name there. */
struct run_file {
	dev_t dev;
	ino_t ino;
	char *name;            /* NULL for existing files */
	int output;
	char *given;           /* as the user wrote it, for messages */
};

static struct run_file run_files[MAX_RUN_FILES];
static size_t nrun_files;
static int stdout_claimed;

static int key_of(const char *path, struct run_file *k)
{
	struct stat st;
	memset(k, 0, sizeof *k);
	if (stat(path, &st) == 0) {
		k->dev = st.st_dev;
		k->ino = st.st_ino;
		return 0;
	}
	char dir[PATH_MAX];
	dir_of(path, dir, sizeof dir);
	if (stat(dir, &st) != 0)
		return -1;
	const char *slash = strrchr(path, '/');
	k->dev = st.st_dev;
	k->ino = st.st_ino;
	k->name = strdup(slash ? slash + 1 : path);
	return k->name ? 0 : -1;
}

static int same_key(const struct run_file *a, const struct run_file *b)
{
	if (a->dev != b->dev || a->ino != b->ino || !a->name != !b->name)
		return 0;
	return !a->name || strcmp(a->name, b->name) == 0;
}

static const struct run_file *find(const struct run_file *k)
{
	for (size_t i = 0; i < nrun_files; i++)
		if (same_key(&run_files[i], k))
			return &run_files[i];
	return NULL;
}

static void add(struct run_file *k, const char *given, int output)
{
	if (nrun_files == MAX_RUN_FILES || find(k)) {
		free(k->name);
		return;
	}
	k->output = output;
	k->given = strdup(given);
	run_files[nrun_files++] = *k;
}

static void add_input(const char *path, const char *given)
{
	struct run_file k;
	struct stat st;
	/* Inputs must exist; a missing one is the reader's to report. */
	if (stat(path, &st) != 0 || key_of(path, &k) != 0)
		return;
	add(&k, given, 0);
}

/* "-" read from a file (< spec.json) makes that file an input too. */
static void add_stdin(void)
{
	struct stat st;
	if (fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	struct run_file k = { st.st_dev, st.st_ino, NULL, 0, NULL };
	add(&k, "standard input", 0);
}

void pt_run_input(const char *path)
{
	if (!path)
		return;
	if (strcmp(path, "-") == 0) {
		add_stdin();
		return;
	}
	add_input(path, path);
	/* FILE@ADDR: the file is FILE unless the whole name exists (the reader
	 * decides the same way); recording both is the safe reading. */
	const char *at = strrchr(path, '@');
	if (at && at > path && (size_t)(at - path) < PATH_MAX) {
		char file[PATH_MAX];
		snprintf(file, sizeof file, "%.*s", (int)(at - path), path);
		add_input(file, path);
	}
}

void pt_run_input_near(const char *path, const char *from)
{
	if (!path || !*path)
		return;
	pt_run_input(path);
	if (path[0] == '/' || !from || strcmp(from, "-") == 0)
		return;
	char dir[PATH_MAX], joined[PATH_MAX];
	dir_of(from, dir, sizeof dir);
	if (snprintf(joined, sizeof joined, "%s/%s", dir, path) < (int)sizeof joined)
		pt_run_input(joined);
}

/* An existing file that is a claimed output: its entry, else NULL. */
static const struct run_file *output_named(const char *path)
{
	struct run_file k;
	struct stat st;
	if (stat(path, &st) != 0 || key_of(path, &k) != 0)
		return NULL;
	const struct run_file *hit = find(&k);
	free(k.name);
	return hit && hit->output ? hit : NULL;
}

int pt_run_input_late(const char *path, const char *from, char *err, size_t errlen)
{
	if (!path || !*path)
		return 0;
	const char *bad = output_named(path) ? path : NULL;
	char dir[PATH_MAX], joined[PATH_MAX];
	if (!bad && path[0] != '/' && from && strcmp(from, "-") != 0) {
		dir_of(from, dir, sizeof dir);
		if (snprintf(joined, sizeof joined, "%s/%s", dir, path) < (int)sizeof joined &&
		    output_named(joined))
			bad = path;
	}
	if (bad) {
		snprintf(err, errlen, "refusing to overwrite an input of this run ('%s')", bad);
		return -1;
	}
	pt_run_input_near(path, from);
	return 0;
}

static int stdout_is_input(void)
{
	struct stat st;
	if (fstat(STDOUT_FILENO, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	struct run_file k = { st.st_dev, st.st_ino, NULL, 0, NULL };
	const struct run_file *hit = find(&k);
	return hit && !hit->output;
}

int pt_run_output(const char *path, char *err, size_t errlen)
{
	if (strcmp(path, "-") == 0) {
		if (stdout_claimed) {
			snprintf(err, errlen, "two outputs of this run go to stdout");
			return -1;
		}
		if (stdout_is_input()) {
			snprintf(err, errlen, "stdout is an input of this run");
			return -1;
		}
		stdout_claimed = 1;
		return 0;
	}
	char target[PATH_MAX];
	struct run_file k;
	if (follow_links(path, target, sizeof target, err, errlen) != 0)
		return -1;
	if (key_of(target, &k) != 0) {
		snprintf(err, errlen, "its directory does not exist");
		return -1;
	}
	const struct run_file *hit = find(&k);
	if (hit) {
		if (hit->output)
			snprintf(err, errlen, "refusing to write it twice: it is also the output '%s'",
				 hit->given);
		else
			snprintf(err, errlen, "refusing to overwrite an input of this run ('%s')",
				 hit->given);
		free(k.name);
		return -1;
	}
	add(&k, path, 1);
	return 0;
}

void pt_run_reset(void)
{
	for (size_t i = 0; i < nrun_files; i++) {
		free(run_files[i].name);
		free(run_files[i].given);
	}
	nrun_files = 0;
	stdout_claimed = 0;
}

int pt_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (!a || !b || stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* ---- Writing ---- */

static int take_slot(void)
{
	for (int i = 0; i < MAX_SLOTS; i++)
		if (!slot_used[i])
			return i;
	return -1;
}

/* The temporary file: ".NAME.XXXXXX" next to the target, so that rename()
 * stays within one filesystem and is atomic. */
static int open_replacement(struct pt_output *o, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(o->target, '/');
	dir_of(o->target, dir, sizeof dir);
	int slot = take_slot();
	if (slot < 0) {
		snprintf(err, errlen, "too many outputs open at once");
		return -1;
	}
	char *t = slot_path[slot];
	if (snprintf(t, PATH_MAX, "%s/.%s.XXXXXX", dir, slash ? slash + 1 : o->target) >=
	    PATH_MAX) {
		snprintf(err, errlen, "path too long");
		return -1;
	}
	sigset_t old;
	block_signals(&old);
	o->fd = mkostemp(t, O_CLOEXEC);
	if (o->fd >= 0) {
		slot_used[slot] = 1;
		o->slot = slot;
	}
	int e = errno;
	restore_signals(&old);
	if (o->fd < 0) {
		snprintf(err, errlen, "cannot create a temporary file next to it: %s", strerror(e));
		return -1;
	}
	/* mkstemp makes 0600: a replaced file keeps its mode, a new one gets
	 * the usual 0666 & ~umask. */
	struct stat st;
	mode_t mode;
	if (stat(o->target, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(o->fd, mode) != 0) {
		snprintf(err, errlen, "cannot set the mode of the temporary file: %s",
			 strerror(errno));
		pt_output_abort(o);
		return -1;
	}
	return 0;
}

int pt_output_open(struct pt_output *o, const char *path, char *err, size_t errlen)
{
	memset(o, 0, sizeof *o);
	o->fd = -1;
	o->slot = -1;
	if (strcmp(path, "-") == 0) {
		/* What the command printed with stdio comes first. */
		if (fflush(stdout) != 0) {
			snprintf(err, errlen, "write error: %s", strerror(errno));
			return -1;
		}
		o->kind = PT_OUT_STDOUT;
		o->fd = STDOUT_FILENO;
		return 0;
	}
	char target[PATH_MAX];
	if (follow_links(path, target, sizeof target, err, errlen) != 0)
		return -1;
	o->target = strdup(target);
	if (!o->target) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	struct stat st;
	int exists = stat(o->target, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "is a directory");
		pt_output_abort(o);
		return -1;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		o->kind = PT_OUT_THROUGH;
		o->fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (o->fd < 0) {
			snprintf(err, errlen, "cannot open: %s", strerror(errno));
			pt_output_abort(o);
			return -1;
		}
		return 0;
	}
	o->kind = PT_OUT_REPLACE;
	if (open_replacement(o, err, errlen) != 0) {
		free(o->target);
		o->target = NULL;
		return -1;
	}
	return 0;
}

static int write_all(struct pt_output *o, const uint8_t *p, uint64_t len, char *err,
		     size_t errlen)
{
	while (len) {
		size_t chunk = len > (1u << 30) ? (1u << 30) : (size_t)len;
		ssize_t n = write(o->fd, p, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "write error: %s",
				 n < 0 ? strerror(errno) : "nothing written");
			return -1;
		}
		p += n;
		len -= (uint64_t)n;
		o->size += (uint64_t)n;
		o->data += (uint64_t)n;
	}
	return 0;
}

static int skip(struct pt_output *o, uint64_t len, char *err, size_t errlen)
{
	if (len > (uint64_t)INT64_MAX - o->size) {
		snprintf(err, errlen, "larger than a file can be");
		return -1;
	}
	if (lseek(o->fd, (off_t)len, SEEK_CUR) == (off_t)-1) {
		snprintf(err, errlen, "cannot seek: %s", strerror(errno));
		return -1;
	}
	o->size += len;
	return 0;
}

static int is_zero(const uint8_t *p, size_t len)
{
	static const uint8_t zeros[BLOCK];
	return len <= BLOCK && memcmp(p, zeros, len) == 0;
}

int pt_output_write(struct pt_output *o, const void *buf, uint64_t len, char *err,
		    size_t errlen)
{
	const uint8_t *p = buf;
	if (o->kind != PT_OUT_REPLACE)
		return write_all(o, p, len, err, errlen);
	/* Whole zero blocks (aligned in the file) become holes; runs of data
	 * are written with one call. */
	uint64_t run = 0;
	while (len) {
		uint64_t into = (o->size + run) % BLOCK;
		uint64_t n = BLOCK - into < len ? BLOCK - into : len;
		if (into == 0 && n == BLOCK && is_zero(p + run, BLOCK)) {
			if (write_all(o, p, run, err, errlen) != 0 ||
			    skip(o, BLOCK, err, errlen) != 0)
				return -1;
			p += run + BLOCK;
			run = 0;
		} else {
			run += n;
		}
		len -= n;
	}
	return write_all(o, p, run, err, errlen);
}

int pt_output_zeros(struct pt_output *o, uint64_t len, char *err, size_t errlen)
{
	static const uint8_t zeros[65536];
	if (o->kind == PT_OUT_REPLACE)
		return skip(o, len, err, errlen);
	while (len) {
		uint64_t n = len < sizeof zeros ? len : sizeof zeros;
		if (write_all(o, zeros, n, err, errlen) != 0)
			return -1;
		len -= n;
	}
	return 0;
}

/* Make the rename itself durable; best effort, the data is already synced. */
static void sync_dir(const char *path)
{
	char dir[PATH_MAX];
	dir_of(path, dir, sizeof dir);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

static int finish_replacement(struct pt_output *o, char *err, size_t errlen)
{
	/* A trailing hole: the size comes from ftruncate, not from a write. */
	if (ftruncate(o->fd, (off_t)o->size) != 0 || fsync(o->fd) != 0) {
		snprintf(err, errlen, "write error: %s", strerror(errno));
		return -1;
	}
	int rc = close(o->fd);
	o->fd = -1;
	if (rc != 0) {
		snprintf(err, errlen, "write error: %s", strerror(errno));
		return -1;
	}
	sigset_t old;
	block_signals(&old);
	rc = rename(slot_path[o->slot], o->target);
	int e = errno;
	if (rc == 0) {
		slot_used[o->slot] = 0;
		o->slot = -1;
	}
	restore_signals(&old);
	if (rc != 0) {
		snprintf(err, errlen, "cannot rename into place: %s", strerror(e));
		return -1;
	}
	sync_dir(o->target);
	return 0;
}

int pt_output_commit(struct pt_output *o, char *err, size_t errlen)
{
	int rc = 0;
	if (o->kind == PT_OUT_REPLACE) {
		rc = finish_replacement(o, err, errlen);
	} else if (o->kind == PT_OUT_THROUGH) {
		rc = close(o->fd);
		o->fd = -1;
		if (rc != 0)
			snprintf(err, errlen, "write error: %s", strerror(errno));
	}
	pt_output_abort(o);
	return rc;
}

void pt_output_abort(struct pt_output *o)
{
	if (o->fd >= 0 && o->kind != PT_OUT_STDOUT)
		close(o->fd);
	o->fd = -1;
	if (o->slot >= 0) {
		sigset_t old;
		block_signals(&old);
		unlink(slot_path[o->slot]);
		slot_used[o->slot] = 0;
		restore_signals(&old);
		o->slot = -1;
	}
	free(o->target);
	o->target = NULL;
}

int pt_output_buffer(const char *path, const void *buf, uint64_t len, char *err,
		     size_t errlen)
{
	struct pt_output o;
	if (pt_output_open(&o, path, err, errlen) != 0)
		return -1;
	if (pt_output_write(&o, buf, len, err, errlen) != 0) {
		pt_output_abort(&o);
		return -1;
	}
	return pt_output_commit(&o, err, errlen);
}

int pt_output_close_stdout(char *err, size_t errlen)
{
	errno = 0;
	int bad = fflush(stdout) != 0;
	int e = errno;
	bad |= ferror(stdout);
	/* A closed stdout (EBADF) is only an error when something was
	 * written to it, and then fflush has failed already. */
	if (fclose(stdout) != 0 && !bad && errno != EBADF) {
		bad = 1;
		e = errno;
	}
	if (!bad)
		return 0;
	if (e == EPIPE)
		return 1;
	snprintf(err, errlen, "write error%s%s", e ? ": " : "", e ? strerror(e) : "");
	return -1;
}

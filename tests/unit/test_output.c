/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The output writer (core/output.c): regular files replaced atomically and
 * sparsely, links followed and kept, FIFOs written through, temporary files
 * never left behind, and the run's inputs and outputs kept apart. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output.h"

#include "tmpdir.h"

static void path_of(char *p, size_t len, const char *name)
{
	snprintf(p, len, "%s/%s", tmpdir, name);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static size_t slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t n = fread(buf, 1, len, f);
	fclose(f);
	return n;
}

static int reset(void **state)
{
	(void)state;
	pt_run_reset();
	return 0;
}

static void write_text(const char *path, const char *text)
{
	struct pt_output o;
	char err[256];
	assert_int_equal(pt_output_open(&o, path, err, sizeof err), 0);
	assert_int_equal(pt_output_write(&o, text, strlen(text), err, sizeof err), 0);
	assert_int_equal(pt_output_commit(&o, err, sizeof err), 0);
}

static void test_replace_keeps_mode_and_leaves_nothing(void **state)
{
	(void)state;
	char p[512], buf[64];
	path_of(p, sizeof p, "r.bin");
	unsigned before = tmpdir_entries();
	write_text(p, "first");
	assert_int_equal(tmpdir_entries(), before + 1);
	assert_int_equal(chmod(p, 0640), 0);
	write_text(p, "second");
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(slurp(p, buf, sizeof buf), 6);
	assert_memory_equal(buf, "second", 6);
	assert_int_equal(tmpdir_entries(), before + 1);
	unlink(p);
}

static void test_abort_removes_temporary_and_keeps_target(void **state)
{
	(void)state;
	char p[512], buf[64], err[256];
	path_of(p, sizeof p, "keep.bin");
	put(p, "old");
	unsigned before = tmpdir_entries();
	struct pt_output o;
	assert_int_equal(pt_output_open(&o, p, err, sizeof err), 0);
	assert_int_equal(tmpdir_entries(), before + 1);   /* the temporary */
	assert_int_equal(pt_output_write(&o, "new!", 4, err, sizeof err), 0);
	pt_output_abort(&o);
	assert_int_equal(tmpdir_entries(), before);
	assert_int_equal(slurp(p, buf, sizeof buf), 3);
	assert_memory_equal(buf, "old", 3);
	unlink(p);
}

static void test_symlink_updates_target_and_stays(void **state)
{
	(void)state;
	char p[512], l[512], l2[512], buf[64];
	path_of(p, sizeof p, "target.bin");
	path_of(l, sizeof l, "link.bin");
	path_of(l2, sizeof l2, "link2.bin");
	put(p, "old");
	assert_int_equal(symlink("target.bin", l), 0);
	assert_int_equal(symlink("link.bin", l2), 0);   /* relative, two hops */
	write_text(l2, "via link");
	struct stat st;
	assert_int_equal(lstat(l, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lstat(l2, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(slurp(p, buf, sizeof buf), 8);
	assert_memory_equal(buf, "via link", 8);
	unlink(l2);
	unlink(l);
	unlink(p);
}

static void test_dangling_symlink_creates_target(void **state)
{
	(void)state;
	char p[512], l[512], buf[64];
	path_of(p, sizeof p, "later.bin");
	path_of(l, sizeof l, "dangling.bin");
	assert_int_equal(symlink("later.bin", l), 0);
	write_text(l, "made");
	assert_int_equal(slurp(p, buf, sizeof buf), 4);
	struct stat st;
	assert_int_equal(lstat(l, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	unlink(l);
	unlink(p);
}

static void test_symlink_loop_is_refused(void **state)
{
	(void)state;
	char a[512], b[512], err[256];
	path_of(a, sizeof a, "loop-a");
	path_of(b, sizeof b, "loop-b");
	assert_int_equal(symlink("loop-b", a), 0);
	assert_int_equal(symlink("loop-a", b), 0);
	struct pt_output o;
	assert_int_equal(pt_output_open(&o, a, err, sizeof err), -1);
	assert_non_null(strstr(err, "symbolic links"));
	unlink(a);
	unlink(b);
}

static void test_fifo_is_written_through(void **state)
{
	(void)state;
	char p[512], buf[64];
	path_of(p, sizeof p, "fifo");
	assert_int_equal(mkfifo(p, 0600), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		write_text(p, "through");
		_exit(0);
	}
	int fd = open(p, O_RDONLY);
	assert_true(fd >= 0);
	ssize_t n = 0, got;
	while ((got = read(fd, buf + n, sizeof buf - (size_t)n)) > 0)
		n += got;
	close(fd);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(n, 7);
	assert_memory_equal(buf, "through", 7);
	struct stat st;
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	unlink(p);
}

static void test_zero_blocks_become_holes(void **state)
{
	(void)state;
	char p[512], err[256];
	path_of(p, sizeof p, "sparse.bin");
	static uint8_t block[3 * 4096];
	memset(block, 0, sizeof block);
	block[5] = 1;                  /* block 0: data */
	block[2 * 4096 + 4095] = 2;    /* block 2: data; block 1 all zero */
	struct pt_output o;
	assert_int_equal(pt_output_open(&o, p, err, sizeof err), 0);
	assert_int_equal(pt_output_write(&o, block, sizeof block, err, sizeof err), 0);
	assert_int_equal(pt_output_zeros(&o, 1u << 20, err, sizeof err), 0);
	assert_int_equal(o.size, sizeof block + (1u << 20));
	assert_int_equal(o.data, 2 * 4096);
	assert_int_equal(pt_output_commit(&o, err, sizeof err), 0);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_size, sizeof block + (1u << 20));
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	static uint8_t back[3 * 4096];
	assert_int_equal(fread(back, 1, sizeof back, f), sizeof back);
	fclose(f);
	assert_memory_equal(back, block, sizeof block);
	unlink(p);
}

static void test_unaligned_zeros_are_written(void **state)
{
	(void)state;
	char p[512], err[256];
	path_of(p, sizeof p, "unaligned.bin");
	static uint8_t zero[4096 + 10];
	struct pt_output o;
	assert_int_equal(pt_output_open(&o, p, err, sizeof err), 0);
	assert_int_equal(pt_output_write(&o, "x", 1, err, sizeof err), 0);
	/* 4096 zeros from offset 1 cover no whole block: all written. */
	assert_int_equal(pt_output_write(&o, zero, 4096, err, sizeof err), 0);
	assert_int_equal(o.data, 4097);
	/* From offset 4097 to 8203 no block [8192, 12288) fits either. */
	assert_int_equal(pt_output_write(&o, zero, sizeof zero, err, sizeof err), 0);
	assert_int_equal(o.data, 4097 + sizeof zero);
	pt_output_abort(&o);
}

static void test_directory_is_refused(void **state)
{
	(void)state;
	char err[256];
	struct pt_output o;
	unsigned before = tmpdir_entries();
	assert_int_equal(pt_output_open(&o, tmpdir, err, sizeof err), -1);
	assert_non_null(strstr(err, "is a directory"));
	assert_int_equal(tmpdir_entries(), before);
}

static void test_output_may_not_be_an_input(void **state)
{
	(void)state;
	char in[512], placed[600], link[512], err[512];
	path_of(in, sizeof in, "img.bin");
	path_of(link, sizeof link, "img-link.bin");
	put(in, "data");
	assert_int_equal(symlink("img.bin", link), 0);
	snprintf(placed, sizeof placed, "%s@0x80000000", in);
	pt_run_input(placed);
	assert_int_equal(pt_run_output(in, err, sizeof err), -1);
	assert_non_null(strstr(err, "input"));
	assert_int_equal(pt_run_output(link, err, sizeof err), -1);
	char other[512];
	path_of(other, sizeof other, "other.bin");
	assert_int_equal(pt_run_output(other, err, sizeof err), 0);
	unlink(link);
	unlink(in);
}

static void test_outputs_must_differ(void **state)
{
	(void)state;
	char a[512], a2[600], err[512];
	path_of(a, sizeof a, "new.bin");
	snprintf(a2, sizeof a2, "%s/./new.bin", tmpdir);
	assert_int_equal(pt_run_output(a, err, sizeof err), 0);
	assert_int_equal(pt_run_output(a2, err, sizeof err), -1);   /* not yet existing */
	assert_non_null(strstr(err, "twice"));
	assert_int_equal(pt_run_output("-", err, sizeof err), 0);
	assert_int_equal(pt_run_output("-", err, sizeof err), -1);
	assert_non_null(strstr(err, "stdout"));
}

static void test_recorded_path_near_the_spec(void **state)
{
	(void)state;
	char sub[512], img[600], spec[600], err[512];
	path_of(sub, sizeof sub, "sub");
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(img, sizeof img, "%s/img.bin", sub);
	snprintf(spec, sizeof spec, "%s/d.json", sub);
	put(img, "x");
	/* The spec says "img.bin@0x1000", decoded inside sub/. */
	pt_run_input_near("img.bin@0x1000", spec);
	assert_int_equal(pt_run_output(img, err, sizeof err), -1);
	unlink(img);
	assert_int_equal(rmdir(sub), 0);
}

static void test_missing_directory(void **state)
{
	(void)state;
	char p[512], err[256];
	path_of(p, sizeof p, "no/such/dir/out.bin");
	assert_int_equal(pt_run_output(p, err, sizeof err), -1);
	struct pt_output o;
	assert_int_equal(pt_output_open(&o, p, err, sizeof err), -1);
	assert_non_null(strstr(err, "temporary"));
}

static void test_buffer_in_one_call(void **state)
{
	(void)state;
	char p[512], bad[512], buf[16], err[256];
	path_of(p, sizeof p, "buffer.bin");
	path_of(bad, sizeof bad, "missing/buffer.bin");
	unsigned before = tmpdir_entries();
	assert_int_equal(pt_output_buffer(p, "abc", 3, err, sizeof err), 0);
	assert_int_equal(slurp(p, buf, sizeof buf), 3);
	assert_memory_equal(buf, "abc", 3);
	assert_int_equal(pt_output_buffer(bad, "abc", 3, err, sizeof err), -1);
	assert_int_equal(tmpdir_entries(), before + 1);
	unlink(p);
}

/* A signal during a write removes the temporary and leaves the target. */
static void test_signal_removes_temporary(void **state)
{
	(void)state;
	char p[512], buf[16];
	path_of(p, sizeof p, "signalled.bin");
	put(p, "old");
	unsigned before = tmpdir_entries();
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char err[256];
		struct pt_output o;
		pt_output_init();
		if (pt_output_open(&o, p, err, sizeof err) != 0)
			_exit(1);
		(void)!write(ready[1], "r", 1);
		for (;;)
			pause();
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], buf, 1), 1);
	close(ready[0]);
	assert_int_equal(tmpdir_entries(), before + 1);
	kill(pid, SIGTERM);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	assert_int_equal(tmpdir_entries(), before);
	assert_int_equal(slurp(p, buf, sizeof buf), 3);
	unlink(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_replace_keeps_mode_and_leaves_nothing, reset),
		cmocka_unit_test_setup(test_abort_removes_temporary_and_keeps_target, reset),
		cmocka_unit_test_setup(test_symlink_updates_target_and_stays, reset),
		cmocka_unit_test_setup(test_dangling_symlink_creates_target, reset),
		cmocka_unit_test_setup(test_symlink_loop_is_refused, reset),
		cmocka_unit_test_setup(test_fifo_is_written_through, reset),
		cmocka_unit_test_setup(test_zero_blocks_become_holes, reset),
		cmocka_unit_test_setup(test_unaligned_zeros_are_written, reset),
		cmocka_unit_test_setup(test_directory_is_refused, reset),
		cmocka_unit_test_setup(test_output_may_not_be_an_input, reset),
		cmocka_unit_test_setup(test_outputs_must_differ, reset),
		cmocka_unit_test_setup(test_recorded_path_near_the_spec, reset),
		cmocka_unit_test_setup(test_missing_directory, reset),
		cmocka_unit_test_setup(test_buffer_in_one_call, reset),
		cmocka_unit_test_setup(test_signal_removes_temporary, reset),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}

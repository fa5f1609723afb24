/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running the real pasidtool binary and measuring it from outside.
 *
 * Peak RSS comes from getrusage(RUSAGE_CHILDREN) in a fresh intermediate
 * process: RUSAGE_CHILDREN reports the largest child ever waited for, so
 * asking it in the benchmark itself would keep returning the biggest run so
 * far (the 2^20-entry build). The intermediate also counts the child's
 * standard output through a pipe, which gives the JSON byte count without
 * storing it anywhere. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static int exit_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
}

#define MAX_ARGS 32

static void exec_child(const char *const argv[], int out_fd)
{
	/* execv's prototype predates const; it does not write the strings. */
	char *args[MAX_ARGS + 1];
	size_t n = 0;
	for (; argv[n] && n < MAX_ARGS; n++)
		args[n] = (char *)(uintptr_t)argv[n];
	args[n] = NULL;
	int null = open("/dev/null", O_RDWR);
	if (null < 0 || dup2(out_fd, STDOUT_FILENO) < 0 || dup2(null, STDERR_FILENO) < 0 ||
	    dup2(null, STDIN_FILENO) < 0)
		_exit(127);
	execv(args[0], args);
	_exit(127);
}

static uint64_t drain(int fd)
{
	static char buf[1 << 16];
	uint64_t total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return total;
		total += (uint64_t)n;
	}
}

/* The intermediate: runs the child, counts its output (or sends it to
 * out_path, uncounted), reports. */
static void intermediate(const char *const argv[], const char *out_path, int report_fd)
{
	struct bench_child res;
	memset(&res, 0, sizeof res);
	int out[2];
	if (out_path) {
		out[0] = -1;
		out[1] = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (out[1] < 0)
			_exit(1);
	} else if (pipe(out) != 0) {
		_exit(1);
	}
	uint64_t t0 = bench_now_ns();
	pid_t pid = fork();
	if (pid < 0)
		_exit(1);
	if (pid == 0) {
		if (out[0] >= 0)
			close(out[0]);
		exec_child(argv, out[1]);
	}
	close(out[1]);
	res.out_bytes = out[0] >= 0 ? drain(out[0]) : 0;
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			_exit(1);
	res.seconds = (double)(bench_now_ns() - t0) / 1e9;
	res.status = exit_code(st);
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	res.maxrss_mib = (double)ru.ru_maxrss / 1024.0; /* Linux reports KiB */
	res.cpu_seconds = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	if (write(report_fd, &res, sizeof res) != (ssize_t)sizeof res)
		_exit(1);
	_exit(0);
}

int bench_child_run(const char *const argv[], struct bench_child *res)
{
	return bench_child_run_to(argv, NULL, res);
}

int bench_child_run_to(const char *const argv[], const char *out_path, struct bench_child *res)
{
	int rep[2];
	if (pipe(rep) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(rep[0]);
		close(rep[1]);
		return -1;
	}
	if (pid == 0) {
		close(rep[0]);
		intermediate(argv, out_path, rep[1]);
	}
	close(rep[1]);
	ssize_t n = read(rep[0], res, sizeof *res);
	close(rep[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return n == (ssize_t)sizeof *res && exit_code(st) == 0 && res->status != 127 ? 0 : -1;
}

int bench_child_best(const char *const argv[], int reps, struct bench_child *res)
{
	struct bench_child one;
	for (int i = 0; i < reps; i++) {
		if (bench_child_run(argv, &one) != 0)
			return -1;
		if (i == 0 || one.seconds < res->seconds) {
			double rss = i ? res->maxrss_mib : one.maxrss_mib;
			*res = one;
			res->maxrss_mib = rss;
		}
		if (one.maxrss_mib > res->maxrss_mib)
			res->maxrss_mib = one.maxrss_mib;
	}
	return 0;
}

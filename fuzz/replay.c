/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Standalone driver for a fuzz harness, without libFuzzer (any C compiler):
 *
 *   replay [-m N] [-s SEED] FILE|DIR...
 *
 * feeds every file named, and every regular file inside every directory
 * named (recursively, in sorted order, hidden files skipped), to
 * LLVMFuzzerTestOneInput, each in a buffer of exactly its size so that
 * ASan sees any over-read, and prints "replayed N inputs". With -m N and a
 * harness that has a custom mutator, each input is also mutated N times
 * (deterministically, from SEED) and the results run too, so that `make
 * check` exercises the mutators as well. REPLAY_VERBOSE=1 in the environment
 * names each file before it runs (to find the one that crashed). Exit 0 unless a file cannot be read
 * (a crash or a failed check aborts, which is the point). */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
	__attribute__((weak));
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static uint32_t rng = 0x2545f491u;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* libFuzzer's generic mutator, as far as a replay needs one: a few byte
 * flips, insertions or erasures. */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size)
{
	unsigned n = 1 + next_rand() % 4;
	for (unsigned i = 0; i < n; i++) {
		switch (next_rand() % 3) {
		case 0:
			if (size)
				data[next_rand() % size] ^= (uint8_t)(1u << (next_rand() % 8));
			break;
		case 1:
			if (size < max_size) {
				size_t at = size ? next_rand() % (size + 1) : 0;
				memmove(data + at + 1, data + at, size - at);
				data[at] = (uint8_t)next_rand();
				size++;
			}
			break;
		default:
			if (size > 1) {
				size_t at = next_rand() % size;
				memmove(data + at, data + at + 1, size - at - 1);
				size--;
			}
			break;
		}
	}
	return size;
}

static unsigned long count;
static unsigned mutations;

static int verbose;

static int run_bytes(const uint8_t *bytes, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return -1;
	memcpy(copy, bytes, size);
	LLVMFuzzerTestOneInput(copy, size);
	free(copy);
	count++;
	if (!mutations || !LLVMFuzzerCustomMutator)
		return 0;
	size_t max = size * 2 + 4096;
	uint8_t *buf = malloc(max);
	if (!buf)
		return -1;
	for (unsigned i = 0; i < mutations; i++) {
		memcpy(buf, bytes, size);
		size_t n = LLVMFuzzerCustomMutator(buf, size, max, next_rand());
		if (n > max) {
			fprintf(stderr, "replay: custom mutator returned %zu > %zu bytes\n", n, max);
			abort();
		}
		uint8_t *exact = malloc(n ? n : 1);
		if (!exact)
			break;
		memcpy(exact, buf, n);
		LLVMFuzzerTestOneInput(exact, n);
		free(exact);
	}
	free(buf);
	return 0;
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);
	for (;;) {
		if (!buf)
			break;
		if (len == cap) {
			uint8_t *n = realloc(buf, cap * 2);
			if (!n) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = n;
			cap *= 2;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		free(buf);
		return -1;
	}
	if (verbose)
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	int rc = run_bytes(buf, len);
	free(buf);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path);

static int run_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *nn);
			if (!nn)
				break;
			names = nn;
		}
		size_t len = strlen(path) + strlen(e->d_name) + 2;
		names[n] = malloc(len);
		if (!names[n])
			break;
		snprintf(names[n], len, "%s/%s", path, e->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (run_path(names[i]) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

static int run_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return run_dir(path);
	if (!S_ISREG(st.st_mode))
		return 0;
	return run_file(path);
}

int main(int argc, char **argv)
{
	int rc = 0, i = 1;
	verbose = getenv("REPLAY_VERBOSE") != NULL;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-m") == 0 && i + 1 < argc) {
			mutations = (unsigned)strtoul(argv[++i], NULL, 0);
		} else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
			rng = (uint32_t)strtoul(argv[++i], NULL, 0);
			if (!rng)
				rng = 1;
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			fprintf(stderr, "usage: %s [-m MUTATIONS] [-s SEED] FILE|DIR...\n", argv[0]);
			return 2;
		}
	}
	for (; i < argc; i++)
		if (run_path(argv[i]) != 0)
			rc = 1;
	printf("replayed %lu inputs\n", count);
	return rc;
}

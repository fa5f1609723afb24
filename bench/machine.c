/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The machine the figures were measured on, read at run time: numbers from
 * another machine would not be comparable. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"

/* Value of the first "key<spaces>: value" line of a /proc file. */
static void proc_value(const char *path, const char *key, char *out, size_t len)
{
	snprintf(out, len, "unknown");
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[512];
	size_t klen = strlen(key);
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, key, klen) != 0)
			continue;
		const char *v = strchr(line, ':');
		if (!v)
			continue;
		v += strspn(v + 1, " \t") + 1;
		snprintf(out, len, "%.*s", (int)strcspn(v, "\n"), v);
		break;
	}
	fclose(f);
}

void bench_machine(char *buf, size_t len)
{
	char cpu[256], mem[64];
	proc_value("/proc/cpuinfo", "model name", cpu, sizeof cpu);
	proc_value("/proc/meminfo", "MemTotal", mem, sizeof mem);
	struct utsname u;
	if (uname(&u) != 0)
		memset(&u, 0, sizeof u);
	snprintf(buf, len,
		 "- CPU: %s\n- Cores online: %ld\n- Memory: %s\n- Kernel: %s %s %s\n"
		 "- Compiler: %s (`-O2`, no sanitizers, build/bench)\n",
		 cpu, sysconf(_SC_NPROCESSORS_ONLN), mem, u.sysname, u.release, u.machine,
#ifdef __clang__
		 "clang " __clang_version__
#else
		 "gcc " __VERSION__
#endif
	);
}

/*
 * /proc/cpuinfo, /proc/meminfo and the sysfs files platform detection reads,
 * from one input cut at lines "%%": cpuinfo, meminfo, cpu0's
 * core_cpus_list, the frequency governor, the device-tree model. They are
 * written under a private root folder the detection is pointed at; PATH is
 * emptied so no nvidia-smi is ever started.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env/platform.h"
#include "fuzz.h"

static char root[64];

static const char *const files[] = {
	"/proc/cpuinfo",
	"/proc/meminfo",
	"/sys/devices/system/cpu/cpu0/topology/core_cpus_list",
	"/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor",
	"/proc/device-tree/model",
};

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_root(void)
{
	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void mkdirs(const char *path)
{
	char p[256];
	char *s;

	snprintf(p, sizeof(p), "%s", path);
	for (s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0700);
			*s = '/';
		}
}

static void put(const char *rel, const char *text, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	mkdirs(path);
	if (!(f = fopen(path, "w")))
		abort();
	if (len && fwrite(text, 1, len, f) != len)
		abort();
	fclose(f);
}

CBENCH_FUZZ_TARGET(cpuinfo)
{
	struct cbench_platform p;
	char warning[256];
	char *text = fuzz_cstr(data, size), *part = text;
	size_t i;

	if (!root[0]) {
		snprintf(root, sizeof(root), "/tmp/cbench-fuzz-root-XXXXXX");
		if (!mkdtemp(root))
			abort();
		atexit(remove_root);
		setenv("PATH", "", 1);
		unsetenv("PERFORMANCE_PLATFORM");
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *end = part ? strstr(part, "\n%%\n") : NULL;
		size_t len = part ? (end ? (size_t)(end - part) : strlen(part)) : 0;

		put(files[i], part ? part : "", len);
		part = end ? end + 4 : NULL;
	}
	memset(&p, 0, sizeof(p));
	cbench_platform__detect(&p, root, NULL, warning, sizeof(warning));
	if (!memchr(p.id, '\0', sizeof(p.id)) || !memchr(warning, '\0', sizeof(warning)))
		abort();
	free(text);
	return 0;
}

/*
 * What machine this is. OS-specific reads live here and in clock.c only.
 */
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static FILE *open_under(const char *root, const char *path)
{
	char full[4096];

	snprintf(full, sizeof(full), "%s%s", root ? root : "", path);
	return fopen(full, "r");
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* The value of the first "key : value" line of /proc/cpuinfo with `key`. */
static void cpuinfo_field(char *out, size_t size, const char *root, const char *key)
{
	FILE *f = open_under(root, "/proc/cpuinfo");
	char line[1024];
	size_t klen = strlen(key);

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon;

		if (strncmp(line, key, klen) != 0 || !(colon = strchr(line, ':')))
			continue;
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		snprintf(out, size, "%s", colon);
		trim(out);
		break;
	}
	fclose(f);
}

static unsigned long long meminfo_total(const char *root)
{
	FILE *f = open_under(root, "/proc/meminfo");
	char line[256];
	unsigned long long kb = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024ull;
}

void cbench_platform__detect(struct cbench_platform *out, const char *root,
                             const char *override, char *warning, size_t wsize)
{
	struct utsname u;
	FILE *f;
	long cpus;

	memset(out, 0, sizeof(*out));
	if (gethostname(out->hostname, sizeof(out->hostname) - 1) != 0)
		snprintf(out->hostname, sizeof(out->hostname), "unknown");
	if (uname(&u) == 0) {
		snprintf(out->os, sizeof(out->os), "%s", u.sysname);
		snprintf(out->kernel, sizeof(out->kernel), "%s", u.release);
		snprintf(out->arch, sizeof(out->arch), "%s", u.machine);
	}
	cpuinfo_field(out->cpu_model, sizeof(out->cpu_model), root, "model name");
	if (!out->cpu_model[0]) /* ARM kernels name it differently */
		cpuinfo_field(out->cpu_model, sizeof(out->cpu_model), root, "Model");
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	out->cpus = cpus > 0 ? (unsigned)cpus : 1;
	out->ram_bytes = meminfo_total(root);
	f = open_under(root, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
	if (f) {
		if (fgets(out->governor, sizeof(out->governor), f))
			trim(out->governor);
		fclose(f);
	}
	if (warning && wsize)
		warning[0] = '\0';
	if (override && *override)
		snprintf(out->id, sizeof(out->id), "%s", override);
	else
		cbench_platform__derive_id(out->id, sizeof(out->id), out);
}

unsigned cbench_platform__ram_gb(uint64_t bytes)
{
	return (unsigned)((bytes + (1ull << 30) - 1) >> 30);
}

void cbench_platform__derive_id(char *out, size_t size, const struct cbench_platform *p)
{
	snprintf(out, size, "%s_%uGB", p->arch, cbench_platform__ram_gb(p->ram_bytes));
}

/*
 * `cbench platform`: the platform id this machine's baselines are filed
 * under, and what it was derived from, so a user can see why a run compared
 * against the section it did (or found none).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "app/cli.h"
#include "env/platform.h"
#include "model/context.h"
#include "tool/tool.h"

static const char usage_line[] = "usage: cbench platform [--json] [--platform NAME]\n";

static void help(FILE *out)
{
	fputs(usage_line, out);
	fputs("\n"
	      "Prints the platform id this machine's baselines are filed under, then\n"
	      "what it was derived from. Rules: docs/platforms.md.\n"
	      "\n"
	      "  --json           the details as one JSON object (as results files carry\n"
	      "                   them under \"platform\")\n"
	      "  --platform NAME  use NAME as the id\n"
	      "  -h, --help       this help\n"
	      "\n"
	      "The id is --platform NAME, else $PERFORMANCE_PLATFORM, else derived from\n"
	      "the GPU, the CI service, the CPU and the memory.\n"
	      "\n"
	      "Exit status: 0 success, 1 output could not be written, 2 usage error.\n", out);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("cbench platform: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(usage_line, stderr);
	return CBENCH_EXIT_USAGE;
}

static const char *or_none(const char *s)
{
	return s[0] ? s : "(none)";
}

#define KEY "%-15s "

static void print_text(const struct cbench_platform *p)
{
	double gib = (double)p->ram_bytes / (1024.0 * 1024 * 1024);

	printf("%s\n", p->id);
	printf(KEY "%s\n", "id_source:", p->id_source);
	printf(KEY "%s\n", "hostname:", p->hostname);
	printf(KEY "%s\n", "os:", p->os);
	printf(KEY "%s\n", "os_release:", or_none(p->os_release));
	printf(KEY "%s\n", "kernel:", p->kernel);
	printf(KEY "%s\n", "arch:", p->arch);
	printf(KEY "%s\n", "cpu_vendor:", or_none(p->cpu_vendor));
	printf(KEY "%s\n", "cpu_model:", or_none(p->cpu_model));
	printf(KEY "%u\n", "cpus:", p->cpus);
	if (p->physical_cores)
		printf(KEY "%u\n", "physical_cores:", p->physical_cores);
	else
		printf(KEY "%s\n", "physical_cores:", "(unknown)");
	if (p->ram_bytes)
		printf(KEY "%u GB (MemTotal %.1f GiB)\n", "ram:", cbench_context__ram_gb(p->ram_bytes), gib);
	else
		printf(KEY "%s\n", "ram:", "(unknown)");
	printf(KEY "%s\n", "governor:", p->governor[0] ? p->governor : "(not exposed)");
	if (!p->ngpus)
		printf(KEY "%s\n", "gpus:", "(none)");
	for (size_t i = 0; i < p->ngpus; i++) {
		char key[32];

		snprintf(key, sizeof(key), "gpu %zu:", i);
		printf(KEY "%s, %llu MiB, driver %s\n", key, p->gpus[i].name,
		       (unsigned long long)(p->gpus[i].memory_bytes / (1024 * 1024)),
		       or_none(p->gpus[i].driver));
	}
	if (!p->ci[0])
		printf(KEY "%s\n", "ci:", "(none)");
	else if (p->runner_os[0] || p->runner_arch[0])
		printf(KEY "%s (runner %s %s)\n", "ci:", p->ci, or_none(p->runner_os),
		       or_none(p->runner_arch));
	else
		printf(KEY "%s\n", "ci:", p->ci);
}

int cbench_tool_platform(int argc, char **argv)
{
	const char *override = NULL;
	struct cbench_platform p;
	char warning[512];
	bool json = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			help(stdout);
			return CBENCH_EXIT_OK;
		} else if (strcmp(a, "--json") == 0) {
			json = true;
		} else if (strcmp(a, "--platform") == 0) {
			if (i + 1 == argc)
				return usage_error("%s needs a NAME", a);
			override = argv[++i];
		} else if (strncmp(a, "--platform=", 11) == 0) {
			override = a + 11;
		} else if (a[0] == '-') {
			return usage_error("unknown option '%s'", a);
		} else {
			return usage_error("unexpected argument '%s'", a);
		}
	}
	if (override && !override[0])
		return usage_error("%s needs a NAME", "--platform");
	cbench_platform__detect(&p, NULL, override, warning, sizeof(warning));
	if (warning[0])
		fprintf(stderr, "cbench: warning: %s\n", warning);
	if (json) {
		json_t *obj = cbench_context__platform_to_json(&p);

		if (!obj) {
			fputs("cbench: error: out of memory\n", stderr);
			return CBENCH_EXIT_FAILED;
		}
		json_dumpf(obj, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(obj);
	} else {
		print_text(&p);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("cbench: error: standard output");
		return CBENCH_EXIT_FAILED;
	}
	return CBENCH_EXIT_OK;
}

/*
 * --gbench-json FILE: the results in Google Benchmark's JSON format, as
 * `--benchmark_format=json` writes it (src/json_reporter.cc), so that its
 * tools/compare.py, github-action-benchmark (tool "googlecpp") and Bencher
 * read cbench's results unchanged. Built with jansson, written atomically
 * at finish.
 *
 * One entry per benchmark: a single "iteration" run of rounds x batch
 * iterations whose real_time is the median per call. The time unit is
 * chosen per benchmark from the baseline when there is one, else from the
 * median, so that the unit stays the same from run to run (compare.py
 * ignores benchmarks whose unit changed). Custom metrics are counters.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cbench/reporter.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/utf8.h"

struct gbench {
	char *path;
	json_t *doc;
	json_t *benchmarks;
	/* Benchmark families: consecutive results of one (suite, name). */
	long family;
	long instance;
	char *last_suite, *last_name;
};

static json_t *number(double v)
{
	return json_real(isfinite(v) ? v : 0.0);
}

static int open_gbench(void **out, const char *path,
                       const struct cbench_report_config *config,
                       struct cbench_error *err)
{
	struct gbench *g = calloc(1, sizeof(*g));

	(void)config;
	if (!g || !(g->path = strdup(path)) || !(g->doc = json_object()) ||
	    !(g->benchmarks = json_array())) {
		if (g) {
			json_decref(g->doc);
			free(g->path);
		}
		free(g);
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	}
	g->family = -1;
	*out = g;
	return 0;
}

/* "2026-11-24T02:41:45Z" → "2026-11-24T02:41:45+00:00", as Google
 * Benchmark writes its date (RFC 3339 with the offset spelled out). */
static json_t *date(const char *started_at)
{
	char out[40];
	size_t n = strlen(started_at);

	if (n > 0 && n < sizeof(out) - 6 && started_at[n - 1] == 'Z') {
		memcpy(out, started_at, n - 1);
		memcpy(out + n - 1, "+00:00", 7);
		return json_string(out);
	}
	return json_string(started_at);
}

/* A string for jansson, which refuses invalid UTF-8: that becomes U+FFFD. */
static json_t *string(const char *s)
{
	return cbench_utf8__json_string(s);
}

static int context_gbench(void *self, const struct cbench_run *run,
                          struct cbench_error *err)
{
	struct gbench *g = self;
	const struct cbench_platform *p = &run->platform;
	json_t *c = json_object();

	(void)err;
	json_object_set_new(c, "date", date(run->started_at));
	json_object_set_new(c, "host_name", string(p->hostname));
	/* The run does not know its program's path; the tools do not read it. */
	json_object_set_new(c, "executable", json_string("cbench"));
	json_object_set_new(c, "num_cpus", json_integer((json_int_t)p->cpus));
	/* Not detected by cbench: 0, as Google Benchmark writes when it
	 * cannot tell. */
	json_object_set_new(c, "mhz_per_cpu", json_integer(0));
	/* Google Benchmark leaves the key out when it cannot tell. */
	if (p->governor[0])
		json_object_set_new(c, "cpu_scaling_enabled",
		                    json_boolean(strcmp(p->governor, "performance") != 0));
	json_object_set_new(c, "caches", json_array());
	json_object_set_new(c, "load_avg", json_array());
	json_object_set_new(c, "library_build_type", json_string("release"));
	json_object_set_new(c, "json_schema_version", json_integer(1));
	/* Custom context, as benchmark::AddCustomContext adds it: strings. */
	json_object_set_new(c, "cbench_version", string(run->cbench_version));
	json_object_set_new(c, "cbench_platform", string(p->id));
	if (run->git.present)
		json_object_set_new(c, "cbench_commit", string(run->git.commit));
	json_object_set_new(g->doc, "context", c);
	return 0;
}

/* Google Benchmark's units, largest first. */
static const struct { const char *name; double scale; } units[] = {
	{ "s", 1 }, { "ms", 1e-3 }, { "us", 1e-6 }, { "ns", 1e-9 }
};

/* The unit in which `seconds` reads as 1 to 999. */
static size_t unit_for(double seconds)
{
	size_t u = 0;

	while (u + 1 < sizeof(units) / sizeof(units[0]) && !(seconds >= units[u].scale))
		u++;
	return u;
}

static bool reserved(const char *key)
{
	static const char *const keys[] = {
		"name", "family_index", "per_family_instance_index", "run_name", "run_type",
		"repetitions", "repetition_index", "threads", "aggregate_name",
		"aggregate_unit", "error_occurred", "error_message", "skipped",
		"skip_message", "iterations", "real_time", "cpu_time", "time_unit",
		"label", "allocs_per_iter", "max_bytes_used"
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

static bool same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static int family(struct gbench *g, const struct cbench_result *res)
{
	if (g->family >= 0 && same(g->last_suite, res->suite) && same(g->last_name, res->name)) {
		g->instance++;
		return 0;
	}
	free(g->last_suite);
	free(g->last_name);
	g->last_suite = strdup(res->suite ? res->suite : "");
	g->last_name = strdup(res->name ? res->name : "");
	g->family++;
	g->instance = 0;
	return g->last_suite && g->last_name ? 0 : CBENCH_ENOMEM;
}

static int result_gbench(void *self, const struct cbench_result *res,
                         struct cbench_error *err)
{
	struct gbench *g = self;
	const struct cbench_metric *t = res->nmetrics && res->metrics[0].timing ?
	                                &res->metrics[0] : NULL;
	json_t *o = json_object();
	double per_call = 0, cpu, iterations;
	size_t u = unit_for(0);

	if (!o || family(g, res) != 0) {
		json_decref(o);
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	}
	iterations = t ? (double)t->stats.n * (double)res->batch : 0;
	if (t) {
		per_call = isfinite(t->stats.median) ? t->stats.median : 0;
		u = unit_for(isfinite(t->cmp.baseline) && t->cmp.baseline > 0 ?
		             t->cmp.baseline : per_call);
	}
	cpu = per_call;
	if (t && res->cpu_time > 0 && iterations > 0)
		cpu = res->cpu_time / iterations;
	json_object_set_new(o, "name", string(res->id));
	json_object_set_new(o, "family_index", json_integer(g->family));
	json_object_set_new(o, "per_family_instance_index", json_integer(g->instance));
	json_object_set_new(o, "run_name", string(res->id));
	json_object_set_new(o, "run_type", json_string("iteration"));
	json_object_set_new(o, "repetitions", json_integer(1));
	json_object_set_new(o, "repetition_index", json_integer(0));
	json_object_set_new(o, "threads", json_integer(1));
	if (res->status == CBENCH_STATUS_FAILED || res->status == CBENCH_STATUS_ERROR ||
	    res->status == CBENCH_STATUS_SKIPPED) {
		json_object_set_new(o, "error_occurred", json_true());
		json_object_set_new(o, "error_message",
		                    string(res->message ? res->message :
		                           cbench_status_name(res->status)));
	}
	json_object_set_new(o, "iterations", json_integer((json_int_t)iterations));
	json_object_set_new(o, "real_time", number(per_call / units[u].scale));
	json_object_set_new(o, "cpu_time", number(cpu / units[u].scale));
	json_object_set_new(o, "time_unit", json_string(units[u].name));
	for (size_t i = t ? 1 : 0; i < res->nmetrics; i++) {
		const struct cbench_metric *m = &res->metrics[i];
		json_t *key = string(m->name);
		const char *k = key ? json_string_value(key) : NULL;

		if (!k)
			continue;
		if (reserved(k) || json_object_get(o, k)) {
			/* A counter may not hide a field the tools read. */
			char *alt = malloc(strlen(k) + sizeof("cbench."));

			if (alt) {
				memcpy(alt, "cbench.", 7);
				memcpy(alt + 7, k, strlen(k) + 1);
				json_object_set_new(o, alt, number(m->value));
				free(alt);
			}
		} else {
			json_object_set_new(o, k, number(m->value));
		}
		json_decref(key);
	}
	json_array_append_new(g->benchmarks, o);
	return 0;
}

static int finish_gbench(void *self, const struct cbench_run *run,
                         struct cbench_error *err)
{
	struct gbench *g = self;
	char *text, *p;
	size_t len;
	int rc;

	(void)run;
	json_object_set(g->doc, "benchmarks", g->benchmarks);
	text = json_dumps(g->doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	if (!text)
		return cbench_error__set(err, CBENCH_ENOMEM, "%s: cannot format JSON", g->path);
	/* A final newline, as Google Benchmark ends its file. */
	len = strlen(text);
	if (!(p = realloc(text, len + 2))) {
		free(text);
		return cbench_error__set(err, CBENCH_ENOMEM, "%s: out of memory", g->path);
	}
	text = p;
	memcpy(text + len, "\n", 2);
	rc = cbench_file__write_atomic(g->path, text, len + 1, err);
	free(text);
	return rc;
}

static void close_gbench(void *self)
{
	struct gbench *g = self;

	if (!g)
		return;
	json_decref(g->benchmarks);
	json_decref(g->doc);
	free(g->last_suite);
	free(g->last_name);
	free(g->path);
	free(g);
}

const struct cbench_reporter cbench_reporter_gbench = {
	CBENCH_REPORTER_VERSION, "gbench",
	open_gbench, context_gbench, result_gbench, finish_gbench, close_gbench
};

/*
 * The results JSON read back with jansson, field by field, from a real
 * runner's file.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "cbench.h"
#include "support.h"

static json_t *get(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	cr_assert_not_null(v, "missing key \"%s\"", key);
	return v;
}

static void check_stats(json_t *stats, long long n)
{
	const char *keys[] = { "min", "max", "mean", "median", "stddev", "iqr", "p95",
	                       "p99", "ci_low", "ci_high" };
	double min = json_real_value(get(stats, "min")), max = json_real_value(get(stats, "max"));
	double median = json_real_value(get(stats, "median"));

	cr_assert_eq(json_integer_value(get(stats, "n")), n);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		cr_assert(json_is_real(get(stats, keys[i])), "stats.%s is not a number", keys[i]);
	cr_assert_leq(min, median);
	cr_assert_leq(median, max);
	cr_assert_leq(json_real_value(get(stats, "ci_low")), median);
	cr_assert_geq(json_real_value(get(stats, "ci_high")), median);
	cr_assert_leq(json_real_value(get(stats, "p95")), json_real_value(get(stats, "p99")));
	cr_assert(json_is_integer(get(get(stats, "outliers"), "mild")));
	cr_assert(json_is_integer(get(get(stats, "outliers"), "severe")));
}

Test(json, results_file_field_by_field)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "r.json");
	char *argv[] = { (char *)support_program("fixture_bench"), "-k",
	                 "ok.custom_metrics or ok.params or ok.throughput or bad.skipped",
	                 "--mode", "quick", "--json", path, "--json-samples", NULL };
	json_t *doc, *host, *b, *m, *settings, *samples;
	char started[32];

	cr_assert_eq(support_run(argv, NULL, NULL), 0);
	doc = support_load_json(path);
	cr_assert_str_eq(json_string_value(get(doc, "schema")), "cbench-results/1");
	cr_assert_str_eq(json_string_value(get(doc, "cbench_version")), CBENCH_VERSION);
	snprintf(started, sizeof(started), "%s", json_string_value(get(doc, "started_at")));
	/* ISO-8601 UTC: 2026-11-24T02:41:45Z */
	cr_assert_eq(strlen(started), 20);
	cr_assert_eq(started[4], '-');
	cr_assert_eq(started[10], 'T');
	cr_assert_eq(started[19], 'Z');
	cr_assert_str_eq(json_string_value(get(doc, "mode")), "quick");
	host = get(doc, "host");
	cr_assert_gt(strlen(json_string_value(get(host, "hostname"))), 0);
	cr_assert_str_eq(json_string_value(get(host, "os")), "Linux");
	cr_assert(json_is_string(get(host, "cpu_model")));
	cr_assert_geq(json_integer_value(get(host, "cpus")), 1);
	cr_assert_gt(json_integer_value(get(host, "ram_bytes")), 0);
	cr_assert(json_is_null(get(doc, "interrupted")));
	cr_assert_eq(json_integer_value(get(doc, "selected")), 5);
	cr_assert_eq(json_integer_value(get(get(doc, "summary"), "passed")), 4);
	cr_assert_eq(json_integer_value(get(get(doc, "summary"), "skipped")), 1);
	cr_assert_eq(json_array_size(get(doc, "benchmarks")), 5);

	/* a parametrized benchmark with a named timing metric */
	b = support_bench(doc, "ok.params[20]");
	cr_assert_not_null(b);
	cr_assert_str_eq(json_string_value(get(b, "suite")), "ok");
	cr_assert_str_eq(json_string_value(get(b, "name")), "params");
	cr_assert_eq(json_array_size(get(b, "params")), 1);
	cr_assert_str_eq(json_string_value(json_array_get(get(b, "params"), 0)), "20");
	cr_assert_eq(json_array_size(get(b, "markers")), 0);
	cr_assert_str_eq(json_string_value(get(b, "status")), "passed");
	cr_assert(json_is_null(get(b, "message")));
	settings = get(b, "settings");
	/* .iterations = 5 in quick mode: 5 x 0.2 = 1, raised to the floor of 3 */
	cr_assert_eq(json_integer_value(get(settings, "iterations")), 3);
	cr_assert_geq(json_integer_value(get(settings, "warmup")), 1);
	cr_assert_geq(json_integer_value(get(settings, "batch")), 1);
	m = json_array_get(get(b, "metrics"), 0);
	cr_assert_str_eq(json_string_value(get(m, "name")), "param_latency[20]");
	cr_assert_str_eq(json_string_value(get(m, "unit")), "s");
	cr_assert_str_eq(json_string_value(get(m, "direction")), "lower");
	cr_assert_eq(json_real_value(get(m, "value")), json_real_value(get(get(m, "stats"), "median")));
	check_stats(get(m, "stats"), 3);
	samples = get(m, "samples");
	cr_assert_eq(json_array_size(samples), 3);

	/* custom metrics: both directions, their own units and samples */
	b = support_bench(doc, "ok.custom_metrics");
	cr_assert_eq(json_array_size(get(b, "metrics")), 3);
	m = json_array_get(get(b, "metrics"), 1);
	cr_assert_str_eq(json_string_value(get(m, "name")), "hit_rate");
	cr_assert_str_eq(json_string_value(get(m, "unit")), "ratio");
	cr_assert_str_eq(json_string_value(get(m, "direction")), "higher");
	cr_assert_float_eq(json_real_value(get(m, "value")), 0.5, 1e-12);
	check_stats(get(m, "stats"), 2);
	m = json_array_get(get(b, "metrics"), 2);
	cr_assert_str_eq(json_string_value(get(m, "name")), "peak_bytes");
	cr_assert_str_eq(json_string_value(get(m, "direction")), "lower");
	cr_assert_float_eq(json_real_value(get(m, "value")), 4096, 1e-9);

	/* a derived throughput: value = bytes / median time, higher is better */
	b = support_bench(doc, "ok.throughput");
	m = json_array_get(get(b, "metrics"), 1);
	cr_assert_str_eq(json_string_value(get(m, "name")), "copy_throughput");
	cr_assert_str_eq(json_string_value(get(m, "unit")), "B/s");
	cr_assert_float_eq(json_real_value(get(m, "value")) *
	                   json_real_value(get(json_array_get(get(b, "metrics"), 0), "value")),
	                   256, 1e-6);

	b = support_bench(doc, "bad.skipped");
	cr_assert_str_eq(json_string_value(get(b, "status")), "skipped");
	cr_assert_str_eq(json_string_value(get(b, "message")), "not on this machine");
	cr_assert_eq(json_array_size(get(b, "metrics")), 0);
	cr_assert_eq(json_array_size(get(b, "markers")), 1);
	json_decref(doc);
	free(path);
	support_rmdir(dir);
}

Test(json, samples_only_when_asked_and_stdout_dash)
{
	char *dir = support_tmpdir(), *out = support_path(dir, "out.json");
	char *err = support_path(dir, "err.txt");
	char *argv[] = { (char *)support_program("fixture_bench"), "-k", "ok.fast",
	                 "--json", "-", NULL };
	json_t *doc, *m;
	char *text;

	cr_assert_eq(support_run(argv, out, err), 0);
	/* standard output is the JSON alone; the table went to stderr */
	doc = support_load_json(out);
	m = json_array_get(json_object_get(support_bench(doc, "ok.fast"), "metrics"), 0);
	cr_assert_null(json_object_get(m, "samples"));
	text = support_slurp(err);
	cr_assert(strstr(text, "1 passed") != NULL, "%s", text);
	free(text);
	json_decref(doc);
	free(out);
	free(err);
	support_rmdir(dir);
}

Test(json, a_failed_run_replaces_the_file_whole)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "r.json");
	char *argv[] = { (char *)support_program("fixture_bench"), "-k", "bad.segfault",
	                 "--json", path, NULL };
	FILE *f = fopen(path, "w");
	json_t *doc;

	fputs("old contents", f);
	fclose(f);
	cr_assert_eq(support_run(argv, NULL, NULL), 1);
	doc = support_load_json(path);
	cr_assert_str_eq(json_string_value(json_object_get(support_bench(doc, "bad.segfault"),
	                                                   "status")), "error");
	json_decref(doc);
	free(path);
	support_rmdir(dir);
}

/*
 * Google Benchmark JSON (--gbench-json): field by field against what
 * `--benchmark_format=json` writes (google/benchmark src/json_reporter.cc),
 * the time unit consistent with the median, and a golden file.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cbench/reporter.h"
#include "sample_run.h"
#include "support.h"

static json_t *report(const struct cbench_run *run)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "gbench.json");
	json_t *doc;

	cr_assert_eq(sample_report(&cbench_reporter_gbench, run, path), 0);
	doc = support_load_json(path);
	free(path);
	support_rmdir(dir);
	return doc;
}

static json_t *bench(json_t *doc, const char *name)
{
	json_t *b;
	size_t i;

	json_array_foreach(json_object_get(doc, "benchmarks"), i, b) {
		if (strcmp(json_string_value(json_object_get(b, "name")), name) == 0)
			return b;
	}
	cr_assert_fail("no benchmark %s", name);
	return NULL;
}

static double unit_seconds(const char *unit)
{
	if (strcmp(unit, "ns") == 0)
		return 1e-9;
	if (strcmp(unit, "us") == 0)
		return 1e-6;
	if (strcmp(unit, "ms") == 0)
		return 1e-3;
	cr_assert_str_eq(unit, "s");
	return 1;
}

Test(gbench, golden)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "gbench.json");

	cr_assert_eq(sample_report(&cbench_reporter_gbench, sample_run(SAMPLE_FULL), path), 0);
	sample_check_golden(path, "report.gbench.json");
	free(path);
	support_rmdir(dir);
}

Test(gbench, context)
{
	json_t *doc = report(sample_run(SAMPLE_FULL)), *c = json_object_get(doc, "context");

	cr_assert(json_is_object(c));
	cr_assert_str_eq(json_string_value(json_object_get(c, "date")), "2026-11-24T02:41:45+00:00");
	cr_assert_str_eq(json_string_value(json_object_get(c, "host_name")), "runner-1");
	cr_assert(json_is_string(json_object_get(c, "executable")));
	cr_assert_eq(json_integer_value(json_object_get(c, "num_cpus")), 4);
	cr_assert(json_is_integer(json_object_get(c, "mhz_per_cpu")));
	/* governor "powersave": the frequency scales */
	cr_assert(json_is_true(json_object_get(c, "cpu_scaling_enabled")));
	cr_assert(json_is_array(json_object_get(c, "caches")));
	cr_assert(json_is_array(json_object_get(c, "load_avg")));
	cr_assert_str_eq(json_string_value(json_object_get(c, "library_build_type")), "release");
	/* compare.py refuses any other schema version */
	cr_assert_eq(json_integer_value(json_object_get(c, "json_schema_version")), 1);
	cr_assert(json_is_array(json_object_get(doc, "benchmarks")));
	cr_assert_eq(json_array_size(json_object_get(doc, "benchmarks")), 8);
	json_decref(doc);
}

Test(gbench, benchmark_fields)
{
	const struct cbench_run *run = sample_run(SAMPLE_FULL);
	json_t *doc = report(run), *b;
	size_t i;

	json_array_foreach(json_object_get(doc, "benchmarks"), i, b) {
		const struct cbench_result *r = &run->results[i];

		cr_assert_str_eq(json_string_value(json_object_get(b, "name")), r->id);
		cr_assert_str_eq(json_string_value(json_object_get(b, "run_name")), r->id);
		cr_assert_eq(json_integer_value(json_object_get(b, "family_index")), (json_int_t)i);
		cr_assert_eq(json_integer_value(json_object_get(b, "per_family_instance_index")), 0);
		cr_assert_str_eq(json_string_value(json_object_get(b, "run_type")), "iteration");
		cr_assert_eq(json_integer_value(json_object_get(b, "repetitions")), 1);
		cr_assert_eq(json_integer_value(json_object_get(b, "repetition_index")), 0);
		cr_assert_eq(json_integer_value(json_object_get(b, "threads")), 1);
		cr_assert(json_is_integer(json_object_get(b, "iterations")));
		cr_assert(json_is_number(json_object_get(b, "real_time")));
		cr_assert(json_is_number(json_object_get(b, "cpu_time")));
		cr_assert(json_is_string(json_object_get(b, "time_unit")));
	}
	json_decref(doc);
}

Test(gbench, time_unit_matches_median)
{
	const struct cbench_run *run = sample_run(SAMPLE_FULL);
	json_t *doc = report(run);

	for (size_t i = 0; i < run->nresults; i++) {
		const struct cbench_result *r = &run->results[i];
		json_t *b = bench(doc, r->id);
		double real = json_number_value(json_object_get(b, "real_time"));
		double scale = unit_seconds(json_string_value(json_object_get(b, "time_unit")));

		if (r->nmetrics == 0 || !r->metrics[0].timing)
			continue;
		cr_expect(fabs(real * scale - r->metrics[0].stats.median) <=
		          1e-12 * r->metrics[0].stats.median, "%s: %g x %g != %g", r->id, real,
		          scale, r->metrics[0].stats.median);
		/* the unit Google Benchmark would show it in: 1 to 999 */
		cr_expect(real >= 1 && real < 1000, "%s: %g", r->id, real);
		cr_expect_eq(json_integer_value(json_object_get(b, "iterations")),
		             (json_int_t)(r->metrics[0].stats.n * r->batch));
	}
	cr_assert_str_eq(json_string_value(json_object_get(bench(doc, "search.flat[10000]"), "time_unit")), "us");
	cr_assert_str_eq(json_string_value(json_object_get(bench(doc, "sort.qsort"), "time_unit")), "ms");
	json_decref(doc);
}

Test(gbench, cpu_time)
{
	json_t *doc = report(sample_run(SAMPLE_FULL));

	/* known: the process's CPU seconds over rounds x batch, in the unit */
	cr_assert_float_eq(json_number_value(json_object_get(bench(doc, "sort.merge"), "cpu_time")),
	                   2.5 / 200 / 1e-3, 1e-9);
	/* unknown: the real time */
	cr_assert_float_eq(json_number_value(json_object_get(bench(doc, "sort.qsort"), "cpu_time")),
	                   12.3, 1e-9);
	json_decref(doc);
}

Test(gbench, counters)
{
	json_t *doc = report(sample_run(SAMPLE_FULL));

	cr_assert_float_eq(json_number_value(json_object_get(bench(doc, "search.flat[10000]"),
	                                                     "search_throughput[10000]")), 810372, 1e-6);
	cr_assert_float_eq(json_number_value(json_object_get(bench(doc, "search.hnsw"),
	                                                     "recall_at_10")), 0.91, 1e-12);
	cr_assert_float_eq(json_number_value(json_object_get(bench(doc, "sort.qsort"),
	                                                     "sort_peak_memory")), 64, 1e-12);
	cr_assert_float_eq(json_number_value(json_object_get(bench(doc, "sort.merge"),
	                                                     "merge_throughput")), 450, 1e-12);
	/* the timing metric is real_time, not a counter */
	cr_assert_null(json_object_get(bench(doc, "sort.qsort"), "sort.qsort"));
	json_decref(doc);
}

Test(gbench, errors)
{
	json_t *doc = report(sample_run(SAMPLE_FULL));
	static const struct { const char *name, *message; } errs[] = {
		{ "sort.broken", "assertion failed: is_sorted(v, n) (benchmarks/sort.c:42)" },
		{ "sort.crash", "crashed: SIGSEGV (Segmentation fault)" },
		{ "sort.gpu", "no GPU here" },
	};

	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		json_t *b = bench(doc, errs[i].name);

		cr_assert(json_is_true(json_object_get(b, "error_occurred")), "%s", errs[i].name);
		cr_assert_str_eq(json_string_value(json_object_get(b, "error_message")), errs[i].message);
		/* the numbers are still there, as Google Benchmark writes them */
		cr_assert_eq(json_integer_value(json_object_get(b, "iterations")), 0);
		cr_assert(json_is_number(json_object_get(b, "real_time")));
	}
	/* a missed target was measured: no error */
	cr_assert_null(json_object_get(bench(doc, "search.hnsw"), "error_occurred"));
	cr_assert_null(json_object_get(bench(doc, "sort.qsort"), "error_occurred"));
	json_decref(doc);
}

static struct cbench_metric timing(double median, double baseline)
{
	struct cbench_metric m;

	memset(&m, 0, sizeof(m));
	m.name = "t";
	m.unit = "s";
	m.timing = true;
	m.value = median;
	m.stats.n = 10;
	m.stats.median = median;
	m.cmp.current = median;
	m.cmp.baseline = baseline;
	m.cmp.change = isnan(baseline) ? NAN : (median - baseline) / baseline;
	m.cmp.verdict = isnan(baseline) ? CBENCH_VERDICT_NEW : CBENCH_VERDICT_UNCHANGED;
	return m;
}

Test(gbench, families_and_stable_unit)
{
	struct cbench_metric m[3];
	struct cbench_result r[3];
	struct cbench_run run;
	json_t *doc, *b;

	/* 1.001 us measured against a 999 ns baseline: reported in ns, as the
	 * baseline run was, so compare.py keeps comparing them. */
	m[0] = timing(1.001e-6, 0.999e-6);
	m[1] = timing(1.001e-6, NAN);
	m[2] = timing(2.5, NAN);
	memset(r, 0, sizeof(r));
	memset(&run, 0, sizeof(run));
	for (size_t i = 0; i < 3; i++) {
		r[i].suite = "s";
		r[i].name = i < 2 ? "f" : "g";
		r[i].batch = 1;
		r[i].metrics = &m[i];
		r[i].nmetrics = 1;
	}
	r[0].id = "s.f[1]";
	r[0].param = "1";
	r[1].id = "s.f[2]";
	r[1].param = "2";
	r[2].id = "s.g";
	run.results = r;
	run.nresults = 3;
	doc = report(&run);
	b = bench(doc, "s.f[1]");
	cr_assert_str_eq(json_string_value(json_object_get(b, "time_unit")), "ns");
	cr_assert_float_eq(json_number_value(json_object_get(b, "real_time")), 1001, 1e-9);
	cr_assert_eq(json_integer_value(json_object_get(b, "family_index")), 0);
	cr_assert_eq(json_integer_value(json_object_get(b, "per_family_instance_index")), 0);
	b = bench(doc, "s.f[2]");
	cr_assert_str_eq(json_string_value(json_object_get(b, "time_unit")), "us");
	cr_assert_eq(json_integer_value(json_object_get(b, "family_index")), 0);
	cr_assert_eq(json_integer_value(json_object_get(b, "per_family_instance_index")), 1);
	b = bench(doc, "s.g");
	cr_assert_str_eq(json_string_value(json_object_get(b, "time_unit")), "s");
	cr_assert_eq(json_integer_value(json_object_get(b, "family_index")), 1);
	/* no git, no governor: those keys are left out */
	cr_assert_null(json_object_get(json_object_get(doc, "context"), "cpu_scaling_enabled"));
	cr_assert_null(json_object_get(json_object_get(doc, "context"), "cbench_commit"));
	json_decref(doc);
}

Test(gbench, hostile_names)
{
	json_t *doc = report(sample_run(SAMPLE_HOSTILE)), *b;
	size_t i, n = 0;

	/* it parsed (jansson checks UTF-8); every benchmark is there */
	cr_assert_eq(json_array_size(json_object_get(doc, "benchmarks")), 8);
	json_array_foreach(json_object_get(doc, "benchmarks"), i, b) {
		const char *name = json_string_value(json_object_get(b, "name"));

		n += strlen(name) > 10000;
		cr_assert_null(strstr(name, "\xff"));
	}
	cr_assert_eq(n, 1, "the 10,000-character name is kept whole");
	b = bench(doc, "sea|rch<script>alert(1)</script>.fl]]>at[a|b]");
	cr_assert_not_null(json_object_get(b, "bad\xEF\xBF\xBD\xEF\xBF\xBDutf8 \x01\x1b[31mred"));
	json_decref(doc);
}

Test(gbench, empty_run)
{
	struct cbench_run run;
	json_t *doc;

	memset(&run, 0, sizeof(run));
	doc = report(&run);
	cr_assert(json_is_object(json_object_get(doc, "context")));
	cr_assert_eq(json_array_size(json_object_get(doc, "benchmarks")), 0);
	json_decref(doc);
}

/*
 * `--measure instructions`: the callgrind path end to end on
 * tests/programs/count_bench.c (work of N and 2N steps, and N steps with
 * 5N more inside cbench_pause/cbench_resume), the perf path where the
 * kernel lets a process count itself, the note when it does not, the
 * counts' own threshold, and the reading of callgrind's dumps.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "measure/counters.h"
#include "support.h"

/* An AddressSanitizer build cannot run under valgrind: its tests are
 * disabled there (a skip's message leaks in Criterion's worker, which
 * LeakSanitizer then reports). */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_VALGRIND .disabled = true,
#else
#define UNDER_VALGRIND
#endif

static void need_valgrind(void)
{
	char path[512];

	if (!cbench_counters__valgrind_path(path, sizeof(path)))
		cr_skip_test("valgrind is not installed (apt-get install valgrind)");
}

/* Skips the test unless the kernel lets this process count instructions. */
static void need_perf(void)
{
	struct cbench_counters *c = NULL;
	struct cbench_error err;

	if (cbench_counters__new(&c, CBENCH_COUNTERS_PERF, &err) != 0)
		cr_skip_test("%s", err.text);
	cbench_counters__free(c);
}

/* Whether perf would be refused here (the fallback's note is printed). */
static bool perf_refused(void)
{
	struct cbench_counters *c = NULL;

	if (cbench_counters__new(&c, CBENCH_COUNTERS_PERF, NULL) != 0)
		return true;
	cbench_counters__free(c);
	return false;
}

/* The value of `metric` of benchmark `id`, or NAN when absent. */
static double value_of(json_t *doc, const char *id, const char *metric)
{
	json_t *b = support_bench(doc, id), *m;
	size_t i;

	cr_assert_not_null(b, "no benchmark %s", id);
	json_array_foreach(json_object_get(b, "metrics"), i, m)
		if (strcmp(json_string_value(json_object_get(m, "name")), metric) == 0)
			return json_number_value(json_object_get(m, "value"));
	return NAN;
}

/* Runs count_bench with `measure` and backend `backend` (NULL: chosen by
 * the probe); returns the JSON; stderr goes to `errfile` when not NULL. */
static json_t *count_run(const char *dir, const char *measure, const char *backend,
                         const char *k, const char *errfile)
{
	char *json = support_path(dir, "counts.json");
	char env[64];
	char *argv[] = { (char *)support_program("count_bench"), "--measure", (char *)measure,
	                 "-k", (char *)k, "--json", json, "-q", NULL };
	char *extra[] = { env, NULL };
	json_t *doc;

	snprintf(env, sizeof(env), "CBENCH_COUNTERS=%s", backend ? backend : "");
	cr_assert_eq(support_wait(support_spawn(argv, NULL, errfile, extra)), 0);
	doc = support_load_json(json);
	free(json);
	return doc;
}

static void check_known_work(json_t *doc)
{
	double n = value_of(doc, "count.loop_n", "count.loop_n.instructions");
	double n2 = value_of(doc, "count.loop_2n", "count.loop_2n.instructions");
	double paused = value_of(doc, "count.paused", "count.paused.instructions");

	cr_assert(n > 20000, "loop_n: %g instructions per call", n);
	cr_assert(fabs(n2 / n - 2) < 0.02, "2N/N = %g, not 2 within 1%%", n2 / n);
	/* 5N steps paused: 6 times the count if they leaked in */
	cr_assert(fabs(paused / n - 1) < 0.01, "paused/N = %g, not 1 within 1%%", paused / n);
}

Test(counters, callgrind_counts_the_work_exactly, UNDER_VALGRIND .timeout = 120)
{
	char *dir = support_tmpdir();
	json_t *a, *b;

	need_valgrind();
	a = count_run(dir, "instructions", "callgrind", "count", NULL);
	check_known_work(a);
	/* only counts were asked for: no time metric */
	cr_assert(isnan(value_of(a, "count.loop_n", "count.loop_n")));
	/* the same build twice: the same counts, within 0.1% */
	b = count_run(dir, "instructions", "callgrind", "count", NULL);
	for (size_t i = 0; i < 3; i++) {
		const char *id = (const char *[]){ "count.loop_n", "count.loop_2n", "count.paused" }[i];
		char metric[64];
		double x, y;

		snprintf(metric, sizeof(metric), "%s.instructions", id);
		x = value_of(a, id, metric);
		y = value_of(b, id, metric);
		cr_assert(fabs(x - y) / x < 0.001, "%s: %g then %g", id, x, y);
	}
	json_decref(a);
	json_decref(b);
	support_rmdir(dir);
}

Test(counters, time_and_instructions_in_one_run, UNDER_VALGRIND .timeout = 120)
{
	char *dir = support_tmpdir();
	json_t *doc;
	json_t *m;

	need_valgrind();
	doc = count_run(dir, "time,instructions", "callgrind", "loop_n", NULL);
	cr_assert(value_of(doc, "count.loop_n", "count.loop_n") > 0);
	cr_assert(value_of(doc, "count.loop_n", "count.loop_n.instructions") > 20000);
	m = json_array_get(json_object_get(support_bench(doc, "count.loop_n"), "metrics"), 1);
	cr_assert_str_eq(json_string_value(json_object_get(m, "unit")), "instructions");
	cr_assert_str_eq(json_string_value(json_object_get(m, "direction")), "lower");
	json_decref(doc);
	support_rmdir(dir);
}

Test(counters, perf_counts_the_work, .timeout = 120)
{
	char *dir = support_tmpdir();
	json_t *doc;

	need_perf();
	doc = count_run(dir, "instructions", "perf", "count", NULL);
	check_known_work(doc);
	json_decref(doc);
	support_rmdir(dir);
}

Test(counters, refused_perf_is_one_note_then_callgrind, UNDER_VALGRIND .timeout = 120)
{
	char *dir = support_tmpdir(), *err = support_path(dir, "err.txt");
	char *text;
	json_t *doc;

	if (!perf_refused())
		cr_skip_test("perf_event_open works here: no fallback to note");
	need_valgrind();
	doc = count_run(dir, "instructions", NULL, "loop_n", err);
	text = support_slurp(err);
	cr_assert_not_null(text);
	cr_assert_eq(support_count(text, "note: perf_event_open refused ("), 1, "%s", text);
	cr_assert_eq(support_count(text, "counting instructions under callgrind\n"), 1, "%s", text);
	cr_assert_eq(support_count(text, "\n"), 1, "not one line: %s", text);
	cr_assert(value_of(doc, "count.loop_n", "count.loop_n.instructions") > 20000);
	json_decref(doc);
	free(text);
	free(err);
	support_rmdir(dir);
}

/* A baseline 1.5% under the count: a regression at 1%, not at the run's
 * 20%; and the file's own per-metric threshold still wins. */
Test(counters, counts_have_their_own_threshold, UNDER_VALGRIND .timeout = 180)
{
	char *dir = support_tmpdir(), *base = support_path(dir, "b.json");
	char *json = support_path(dir, "r.json");
	char *argv[] = { (char *)support_program("count_bench"), "--measure", "instructions",
	                 "-k", "loop_n", "--baselines", base, "--platform", "p", "--json", json,
	                 "-q", "--confirm", "1", "--threshold-instructions", "1%", NULL };
	char *extra[] = { "CBENCH_COUNTERS=callgrind", NULL };
	json_t *doc, *m;
	double n;
	FILE *f;

	need_valgrind();
	doc = count_run(dir, "instructions", "callgrind", "loop_n", NULL);
	n = value_of(doc, "count.loop_n", "count.loop_n.instructions");
	json_decref(doc);
	f = fopen(base, "w");
	cr_assert_not_null(f);
	fprintf(f, "{\"p\": {\"count.loop_n.instructions\": %.1f}}\n", n / 1.015);
	fclose(f);
	cr_assert_eq(support_wait(support_spawn(argv, NULL, NULL, extra)), 1);
	doc = support_load_json(json);
	m = json_array_get(json_object_get(support_bench(doc, "count.loop_n"), "metrics"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(m, "status")), "regression");
	cr_assert_str_eq(json_string_value(json_object_get(m, "threshold_source")),
	                 "--threshold-instructions");
	json_decref(doc);

	f = fopen(base, "w");
	cr_assert_not_null(f);
	fprintf(f, "{\"p\": {\"count.loop_n.instructions\": {\"value\": %.1f, "
	        "\"threshold\": 0.02}}}\n", n / 1.015);
	fclose(f);
	cr_assert_eq(support_wait(support_spawn(argv, NULL, NULL, extra)), 0);
	doc = support_load_json(json);
	m = json_array_get(json_object_get(support_bench(doc, "count.loop_n"), "metrics"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(m, "status")), "unchanged");
	json_decref(doc);
	free(base);
	free(json);
	support_rmdir(dir);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(counters, reads_callgrind_dump_totals)
{
	char *dir = support_tmpdir(), *out = support_path(dir, "cg.out");
	char *one = support_path(dir, "cg.out.1"), *two = support_path(dir, "cg.out.2");
	struct cbench_error err;
	uint64_t v[2] = { 0, 0 };

	write_file(one, "version: 1\ncreator: callgrind\nevents: Ir\n"
	                "fn=(1) walk\n16 140000\nsummary: 140010\ntotals: 140012\n");
	write_file(two, "events: Ir Dr\nsummary: 99 7\n");
	cr_assert_eq(cbench_counters__callgrind_read(v, 2, out, &err), 0, "%s", err.text);
	cr_assert_eq(v[0], 140012u); /* totals: wins over summary: */
	cr_assert_eq(v[1], 99u);     /* the first event, Ir */
	cr_assert_eq(cbench_counters__callgrind_read(v, 3, out, &err), CBENCH_EIO);
	cr_assert(strstr(err.text, "cg.out.3") != NULL, "%s", err.text);
	write_file(two, "events: Ir\n");
	cr_assert_eq(cbench_counters__callgrind_read(v, 2, out, &err), CBENCH_EPARSE);
	cr_assert(strstr(err.text, "cg.out.2: no totals: line") != NULL, "%s", err.text);
	free(out);
	free(one);
	free(two);
	support_rmdir(dir);
}

Test(counters, measure_option)
{
	struct cbench_cli cli;
	struct cbench_error err;
	char *time_only[] = { "bench", NULL };
	char *both[] = { "bench", "--measure", "instructions,time", NULL };
	char *bad[] = { "bench", "--measure", "time,cycles", NULL };
	char *empty[] = { "bench", "--measure", "", NULL };
	char *thr[] = { "bench", "--threshold-instructions", "1 percent", NULL };

	cr_assert_eq(cbench_cli__parse(&cli, 1, time_only, &err), 0);
	cr_assert(cli.measure_time && !cli.measure_counts);
	cr_assert_eq(cbench_cli__parse(&cli, 3, both, &err), 0);
	cr_assert(cli.measure_time && cli.measure_counts);
	cr_assert_eq(cbench_cli__parse(&cli, 3, bad, &err), CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "--measure: 'time,cycles' is not time, instructions or "
	                 "time,instructions");
	cr_assert_eq(cbench_cli__parse(&cli, 3, empty, &err), CBENCH_EUSAGE);
	cr_assert_eq(cbench_cli__parse(&cli, 3, thr, &err), CBENCH_EUSAGE);
	cr_assert(strstr(err.text, "--threshold-instructions") != NULL, "%s", err.text);
}

Test(counters, unknown_backend_is_a_usage_error)
{
	char *argv[] = { (char *)support_program("count_bench"), "--measure", "instructions",
	                 NULL };
	char *extra[] = { "CBENCH_COUNTERS=pmu", NULL };

	cr_assert_eq(support_wait(support_spawn(argv, NULL, NULL, extra)), 2);
}

/*
 * The gate end to end: a real runner, a baselines file written by the test,
 * the JSON read back; exit statuses for every path.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

struct run {
	char *dir, *json, *baselines, *err;
	json_t *doc;
	int status;
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* Runs fixture_bench -k EXPR against `baselines` (NULL: no --baselines). */
static void gate_run(struct run *r, const char *expr, const char *baselines,
                     const char *extra1, const char *extra2)
{
	char *flaky;
	char *env[2];
	char *argv[16];
	int k = 0;

	memset(r, 0, sizeof(*r));
	r->dir = support_tmpdir();
	r->json = support_path(r->dir, "r.json");
	r->err = support_path(r->dir, "err.txt");
	r->baselines = support_path(r->dir, "baselines.json");
	flaky = support_path(r->dir, "flaky-count");
	cr_assert(asprintf(&env[0], "CBENCH_TEST_FLAKY_FILE=%s", flaky) > 0);
	env[1] = NULL;
	argv[k++] = (char *)support_program("fixture_bench");
	argv[k++] = "-k";
	argv[k++] = (char *)expr;
	argv[k++] = "--platform";
	argv[k++] = "TestBox";
	argv[k++] = "--json";
	argv[k++] = r->json;
	if (baselines) {
		write_file(r->baselines, baselines);
		argv[k++] = "--baselines";
		argv[k++] = r->baselines;
	}
	if (extra1)
		argv[k++] = (char *)extra1;
	if (extra2)
		argv[k++] = (char *)extra2;
	argv[k] = NULL;
	r->status = support_wait(support_spawn(argv, NULL, r->err, env));
	r->doc = support_exists(r->json) ? support_load_json(r->json) : NULL;
	free(env[0]);
	free(flaky);
}

static void run_free(struct run *r)
{
	json_decref(r->doc);
	free(r->json);
	free(r->err);
	free(r->baselines);
	support_rmdir(r->dir);
}

static json_t *metric(struct run *r, const char *id, size_t i)
{
	json_t *b = support_bench(r->doc, id);

	cr_assert_not_null(b, "no %s", id);
	return json_array_get(json_object_get(b, "metrics"), i);
}

static const char *mstatus(json_t *m)
{
	return json_string_value(json_object_get(m, "status"));
}

Test(gate, confirmed_regression_fails_the_run)
{
	struct run r;
	json_t *m, *runs;

	/* 1e-15 s per call cannot be met: +huge change, confirmed twice */
	gate_run(&r, "ok.fast", "{\"TestBox\": {\"ok.fast\": 1e-15}}", NULL, NULL);
	cr_assert_eq(r.status, 1);
	m = metric(&r, "ok.fast", 0);
	cr_assert_str_eq(mstatus(m), "regression");
	cr_assert_eq(json_real_value(json_object_get(m, "baseline")), 1e-15);
	cr_assert_gt(json_real_value(json_object_get(m, "change")), 0.2);
	cr_assert_eq(json_real_value(json_object_get(m, "threshold")), 0.2);
	runs = json_object_get(json_object_get(m, "confirmation"), "runs");
	cr_assert_eq(json_array_size(runs), 2);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(r.doc, "gate"),
	                                                "regressions")), 1);
	run_free(&r);
}

Test(gate, fail_on_none_reports_but_passes)
{
	struct run r;

	gate_run(&r, "ok.fast", "{\"TestBox\": {\"ok.fast\": 1e-15}}", "--fail-on", "none");
	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(mstatus(metric(&r, "ok.fast", 0)), "regression");
	run_free(&r);
}

Test(gate, improvement_unchanged_new_and_missing)
{
	struct run r;

	gate_run(&r, "ok.fast or ok.custom_metrics",
	         "{\"TestBox\": {\"ok.fast\": 1.0, "
	         "\"hit_rate\": {\"value\": 0.5, \"direction\": \"higher\"}, "
	         "\"peak_bytes\": 3413.4, "
	         "\"gone_metric\": {\"value\": 7, \"unit\": \"B\"}, "
	         "\"metadata\": {\"notes\": \"test\"}}}", NULL, NULL);
	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(mstatus(metric(&r, "ok.fast", 0)), "improvement");
	cr_assert_str_eq(mstatus(metric(&r, "ok.custom_metrics", 1)), "unchanged");
	/* 4096 against 3413.4 is +20.0%: exactly at the threshold, unchanged */
	cr_assert_str_eq(mstatus(metric(&r, "ok.custom_metrics", 2)), "unchanged");
	cr_assert_str_eq(mstatus(metric(&r, "ok.custom_metrics", 0)), "new");
	{
		json_t *gate = json_object_get(r.doc, "gate");
		json_t *missing = json_object_get(gate, "missing");

		cr_assert(json_is_true(json_object_get(gate, "compared")));
		cr_assert_eq(json_array_size(missing), 1);
		cr_assert_str_eq(json_string_value(json_object_get(json_array_get(missing, 0), "name")),
		                 "gone_metric");
		cr_assert_eq(json_integer_value(json_object_get(gate, "improvements")), 1);
	}
	run_free(&r);
}

Test(gate, missing_fails_only_with_fail_on_any)
{
	struct run r;

	gate_run(&r, "ok.fast", "{\"TestBox\": {\"gone\": 3}}", "--fail-on", "any");
	cr_assert_eq(r.status, 1);
	run_free(&r);
}

Test(gate, a_crossing_not_confirmed_is_not_a_regression)
{
	struct run r;
	json_t *m, *runs;

	gate_run(&r, "gate.flaky", "{\"TestBox\": {\"flaky_value\": 1}}", NULL, NULL);
	cr_assert_eq(r.status, 0);
	m = metric(&r, "gate.flaky", 1);
	cr_assert_str_eq(json_string_value(json_object_get(m, "name")), "flaky_value");
	cr_assert_str_eq(mstatus(m), "unchanged");
	cr_assert(json_is_true(json_object_get(json_object_get(m, "confirmation"), "unconfirmed")));
	runs = json_object_get(json_object_get(m, "confirmation"), "runs");
	/* the first re-run read 1: no need for a second */
	cr_assert_eq(json_array_size(runs), 1);
	cr_assert_eq(json_real_value(json_array_get(runs, 0)), 1.0);
	run_free(&r);

	/* --fail-on any fails on it */
	gate_run(&r, "gate.flaky", "{\"TestBox\": {\"flaky_value\": 1}}", "--fail-on", "any");
	cr_assert_eq(r.status, 1);
	run_free(&r);

	/* --confirm 0: the first reading stands. A metric read once a run
	 * has no spread to test, so the threshold decides it: a regression,
	 * saying why it was not tested. */
	gate_run(&r, "gate.flaky", "{\"TestBox\": {\"flaky_value\": 1}}", "--confirm", "0");
	cr_assert_eq(r.status, 1);
	m = metric(&r, "gate.flaky", 1);
	cr_assert_str_eq(mstatus(m), "regression");
	cr_assert_not_null(strstr(json_string_value(json_object_get(json_object_get(m, "evidence"),
	                                                            "reason")), "single reading"));
	run_free(&r);
}

Test(gate, missed_target_fails_with_the_ratio)
{
	struct run r;
	json_t *target;

	gate_run(&r, "gate.target", NULL, NULL, NULL);
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(json_string_value(json_object_get(support_bench(r.doc, "gate.target_missed"),
	                                                   "status")), "target");
	target = json_object_get(metric(&r, "gate.target_missed", 0), "target");
	cr_assert_str_eq(json_string_value(json_object_get(target, "stat")), "p95");
	cr_assert(json_is_true(json_object_get(target, "missed")));
	cr_assert_gt(json_real_value(json_object_get(target, "ratio")), 1.0);
	cr_assert_str_eq(json_string_value(json_object_get(support_bench(r.doc, "gate.target_met"),
	                                                   "status")), "passed");
	cr_assert(json_is_false(json_object_get(json_object_get(metric(&r, "gate.target_met", 0),
	                                                        "target"), "missed")));
	run_free(&r);
}

Test(gate, threshold_precedence_end_to_end)
{
	struct run r;
	json_t *m;

	setenv("REGRESSION_THRESHOLD", "30%", 1);
	gate_run(&r, "ok.fast or gate.own_threshold", "{\"TestBox\": {\"ok.fast\": 1}}", NULL, NULL);
	m = metric(&r, "ok.fast", 0);
	cr_assert_float_eq(json_real_value(json_object_get(m, "threshold")), 0.3, 1e-12);
	cr_assert_str_eq(json_string_value(json_object_get(m, "threshold_source")),
	                 "REGRESSION_THRESHOLD");
	m = metric(&r, "gate.own_threshold", 0);
	cr_assert_float_eq(json_real_value(json_object_get(m, "threshold")), 0.05, 1e-12);
	run_free(&r);

	gate_run(&r, "ok.fast", "{\"TestBox\": {\"ok.fast\": 1}}", "--threshold", "10%");
	m = metric(&r, "ok.fast", 0);
	cr_assert_float_eq(json_real_value(json_object_get(m, "threshold")), 0.1, 1e-12);
	cr_assert_str_eq(json_string_value(json_object_get(m, "threshold_source")), "--threshold");
	run_free(&r);

	gate_run(&r, "ok.fast", "{\"TestBox\": {\"ok.fast\": {\"value\": 1, \"threshold\": 0.4}}}",
	         "--threshold", "10%");
	m = metric(&r, "ok.fast", 0);
	cr_assert_float_eq(json_real_value(json_object_get(m, "threshold")), 0.4, 1e-12);
	run_free(&r);
	unsetenv("REGRESSION_THRESHOLD");
}

Test(gate, no_section_is_a_note_unless_strict)
{
	struct run r;
	char *text;

	gate_run(&r, "ok.fast", "{\"Other\": {\"x\": 1}, \"Another\": {}}", NULL, NULL);
	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(mstatus(metric(&r, "ok.fast", 0)), "new");
	cr_assert(strstr(json_string_value(json_object_get(json_object_get(r.doc, "gate"), "note")),
	                 "no baselines for platform TestBox in ") != NULL);
	cr_assert(strstr(json_string_value(json_object_get(json_object_get(r.doc, "gate"), "note")),
	                 "(it has: Other, Another)") != NULL);
	run_free(&r);

	gate_run(&r, "ok.fast", "{\"Other\": {\"x\": 1}}", "--strict", NULL);
	cr_assert_eq(r.status, 2);
	cr_assert_null(r.doc, "a refused run wrote its JSON");
	text = support_slurp(r.err);
	cr_assert(strstr(text, "no baselines for platform TestBox") != NULL, "%s", text);
	free(text);
	run_free(&r);
}

Test(gate, malformed_baselines_exit_2_and_write_nothing)
{
	struct run r;
	char *text;

	gate_run(&r, "ok.fast", "{\"TestBox\": {\"ok.fast\": \"fast\"}}", NULL, NULL);
	cr_assert_eq(r.status, 2);
	cr_assert_null(r.doc);
	text = support_slurp(r.err);
	cr_assert(strstr(text, "baselines.json: \"TestBox\".\"ok.fast\": expected a number") != NULL,
	          "%s", text);
	free(text);
	run_free(&r);

	gate_run(&r, "ok.fast", "{\"TestBox\": {\"ok.fast\": 1,}}", NULL, NULL);
	cr_assert_eq(r.status, 2);
	cr_assert_null(r.doc);
	text = support_slurp(r.err);
	cr_assert(strstr(text, "baselines.json:1:") != NULL, "%s", text);
	free(text);
	run_free(&r);
}

Test(gate, named_baselines_file_must_exist)
{
	struct run r;
	char *argv[] = { (char *)support_program("fixture_bench"), "-k", "ok.fast",
	                 "--baselines", "/nonexistent/baselines.json", NULL };
	char *dir = support_tmpdir(), *err = support_path(dir, "err.txt"), *text;

	(void)r;
	cr_assert_eq(support_run(argv, NULL, err), 2);
	text = support_slurp(err);
	cr_assert(strstr(text, "baselines file /nonexistent/baselines.json does not exist") != NULL,
	          "%s", text);
	free(text);
	free(err);
	support_rmdir(dir);
}

/* In --mode quick the confirmation passes measure at the standard length:
 * the first reading has a fifth of the rounds, each pass all of them, and
 * the JSON says how many. */
Test(gate, quick_runs_confirm_at_full_length, .timeout = 60)
{
	struct run r;
	json_t *m, *passes;
	json_int_t first;

	gate_run(&r, "ok.fast", "{\"TestBox\": {\"ok.fast\": 1e-15}}", "--mode", "quick");
	cr_assert_eq(r.status, 1);
	m = metric(&r, "ok.fast", 0);
	cr_assert_str_eq(mstatus(m), "regression");
	first = json_integer_value(json_object_get(json_object_get(m, "stats"), "n"));
	passes = json_object_get(json_object_get(m, "confirmation"), "passes");
	cr_assert_eq(json_array_size(passes), 2);
	for (size_t i = 0; i < 2; i++) {
		json_int_t n = json_integer_value(json_object_get(json_array_get(passes, i),
		                                                  "rounds"));

		cr_assert_eq(n, 5 * first, "pass %zu: %lld rounds, the first reading %lld", i + 1,
		             (long long)n, (long long)first);
	}
	run_free(&r);
}

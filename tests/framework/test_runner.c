/*
 * The runner as users meet it: a benchmark program (tests/programs/
 * fixture_bench.c) started as a child, its exit status, output and JSON read
 * back. Every child failure mode becomes that benchmark's error while the
 * others are still measured.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

Test(runner, every_child_failure_is_that_benchmarks_error)
{
	char *dir = support_tmpdir(), *json = support_path(dir, "r.json");
	char *argv[] = { (char *)support_program("fixture_bench"), "-k", "bad or ok.fast",
	                 "--json", json, "-q", NULL };
	json_t *doc;

	cr_assert_eq(support_run(argv, NULL, NULL), 1);
	doc = support_load_json(json);
	cr_assert_str_eq(support_bench_status(doc, "bad.segfault"), "error");
	cr_assert_str_eq(support_bench_message(doc, "bad.segfault"), "crashed: SIGSEGV (Segmentation fault)");
	cr_assert_str_eq(support_bench_status(doc, "bad.aborts"), "error");
	cr_assert_str_eq(support_bench_message(doc, "bad.aborts"), "crashed: SIGABRT (Aborted)");
	cr_assert_str_eq(support_bench_status(doc, "bad.c_assert"), "error");
	cr_assert_str_eq(support_bench_message(doc, "bad.c_assert"), "crashed: SIGABRT (Aborted)");
	cr_assert_str_eq(support_bench_status(doc, "bad.exits"), "error");
	cr_assert_str_eq(support_bench_message(doc, "bad.exits"),
	                 "exited with status 0 before the benchmark finished");
	cr_assert_str_eq(support_bench_status(doc, "bad.hangs"), "error");
	cr_assert_str_eq(support_bench_message(doc, "bad.hangs"), "timed out after 0.5 s");
	cr_assert_str_eq(support_bench_status(doc, "bad.failed_assert"), "failed");
	cr_assert(strstr(support_bench_message(doc, "bad.failed_assert"),
	                 "assertion failed: 1 + 1 == 3") != NULL);
	cr_assert_str_eq(support_bench_status(doc, "bad.skipped"), "skipped");
	cr_assert_str_eq(support_bench_message(doc, "bad.skipped"), "not on this machine");
	/* and the healthy one next to them was measured */
	cr_assert_str_eq(support_bench_status(doc, "ok.fast"), "passed");
	cr_assert_eq(json_array_size(json_object_get(support_bench(doc, "ok.fast"), "metrics")), 1);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(doc, "summary"), "error")), 5);
	json_decref(doc);
	free(json);
	support_rmdir(dir);
}

Test(runner, exitfirst_stops_after_the_first_failure)
{
	char *dir = support_tmpdir(), *json = support_path(dir, "r.json");
	char *argv[] = { (char *)support_program("fixture_bench"), "-x", "-k",
	                 "bad.aborts or ok.fast", "--json", json, NULL };
	json_t *doc;

	cr_assert_eq(support_run(argv, NULL, NULL), 1);
	doc = support_load_json(json);
	/* sorted: bad.aborts runs first and stops the run */
	cr_assert_eq(json_array_size(json_object_get(doc, "benchmarks")), 1);
	cr_assert_eq(json_integer_value(json_object_get(doc, "selected")), 2);
	json_decref(doc);
	free(json);
	support_rmdir(dir);
}

Test(runner, shared_fixture_is_built_once_and_failures_propagate)
{
	char *dir = support_tmpdir(), *json = support_path(dir, "r.json");
	char *argv[] = { (char *)support_program("fixture_bench"), "-k", "fixture",
	                 "--json", json, NULL };
	json_t *doc, *m;

	cr_assert_eq(support_run(argv, NULL, NULL), 0);
	doc = support_load_json(json);
	/* both benchmarks saw the same, single build of the run-scoped fixture */
	m = json_array_get(json_object_get(support_bench(doc, "fixture.first"), "metrics"), 1);
	cr_assert_str_eq(json_string_value(json_object_get(m, "name")), "builds");
	cr_assert_eq(json_real_value(json_object_get(m, "value")), 1.0);
	m = json_array_get(json_object_get(support_bench(doc, "fixture.second"), "metrics"), 1);
	cr_assert_eq(json_real_value(json_object_get(m, "value")), 1.0);
	/* a fixture that skips skips every benchmark that uses it */
	cr_assert_str_eq(support_bench_status(doc, "fixture.needs_gpu"), "skipped");
	cr_assert_str_eq(support_bench_message(doc, "fixture.needs_gpu"), "fixture gpu: no GPU here");
	json_decref(doc);
	free(json);
	support_rmdir(dir);
}

Test(runner, no_fork_runs_in_process)
{
	char *dir = support_tmpdir(), *json = support_path(dir, "r.json");
	char *argv[] = { (char *)support_program("fixture_bench"), "--no-fork", "-m",
	                 "quick", "--json", json, NULL };
	json_t *doc;

	cr_assert_eq(support_run(argv, NULL, NULL), 0);
	doc = support_load_json(json);
	cr_assert(json_is_false(json_object_get(doc, "forked")));
	cr_assert_str_eq(support_bench_status(doc, "ok.custom_metrics"), "passed");
	json_decref(doc);
	free(json);
	support_rmdir(dir);
}

static void interrupt(int sig, int expected_status)
{
	char *dir = support_tmpdir(), *json = support_path(dir, "r.json");
	char *out = support_path(dir, "out.txt");
	char *argv[] = { (char *)support_program("fixture_bench"), "-k",
	                 "ok.fast or slow.long_rounds", "-v", "--json", json, NULL };
	struct timespec pause = { 0, 50000000 };
	json_t *doc, *b, *metric;
	pid_t pid = support_spawn(argv, out, NULL, NULL);
	char *text;

	/* Wait until the slow benchmark is measuring (it is last in the sort
	 * order and runs a million 1 ms rounds), then interrupt the runner. */
	for (int i = 0; i < 100; i++) {
		nanosleep(&pause, NULL);
		text = support_slurp(out);
		if (text && strstr(text, "slow.long_rounds")) {
			free(text);
			break;
		}
		free(text);
	}
	nanosleep(&pause, NULL);
	nanosleep(&pause, NULL);
	kill(pid, sig);
	cr_assert_eq(support_wait(pid), expected_status);
	doc = support_load_json(json);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "interrupted")),
	                 sig == SIGINT ? "SIGINT" : "SIGTERM");
	cr_assert_str_eq(support_bench_status(doc, "ok.fast"), "passed");
	b = support_bench(doc, "slow.long_rounds");
	cr_assert_str_eq(json_string_value(json_object_get(b, "status")), "error");
	cr_assert(strstr(json_string_value(json_object_get(b, "message")), "interrupted after") != NULL,
	          "%s", json_string_value(json_object_get(b, "message")));
	/* what was measured so far is kept */
	metric = json_array_get(json_object_get(b, "metrics"), 0);
	cr_assert_not_null(metric);
	cr_assert_gt(json_integer_value(json_object_get(json_object_get(metric, "stats"), "n")), 10);
	json_decref(doc);
	free(out);
	free(json);
	support_rmdir(dir);
}

Test(runner, sigint_writes_partial_results_and_exits_130, .timeout = 30)
{
	interrupt(SIGINT, 130);
}

Test(runner, sigterm_writes_partial_results_and_exits_143, .timeout = 30)
{
	interrupt(SIGTERM, 143);
}

Test(runner, own_main_calls_cbench_main)
{
	char *dir = support_tmpdir(), *out = support_path(dir, "out.txt");
	char *argv[] = { (char *)support_program("many_bench"), "--list", NULL };
	char *text;

	cr_assert_eq(support_run(argv, out, NULL), 0);
	text = support_slurp(out);
	cr_assert_str_eq(text, "own main\nown_main.noop\n");
	free(text);
	free(out);
	support_rmdir(dir);
}

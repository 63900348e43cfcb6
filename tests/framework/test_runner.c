/*
 * The runner as users meet it: a benchmark program (tests/programs/
 * fixture_bench.c) started as a child, its exit status, output and JSON read
 * back. Every child failure mode becomes that benchmark's error while the
 * others are still measured.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
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

/* ---- repetitions, pinning, the environment -------------------------------------- */

/* metrics[k] of benchmark `id` in doc */
static json_t *metric_of(json_t *doc, const char *id, size_t k)
{
	json_t *b = support_bench(doc, id);

	cr_assert_not_null(b, "no %s", id);
	return json_array_get(json_object_get(b, "metrics"), k);
}

Test(runner, repetitions_run_every_benchmark_n_times_and_pool_them)
{
	char *dir = support_tmpdir(), *json = support_path(dir, "r.json");
	char *out = support_path(dir, "out.txt"), *md = support_path(dir, "r.md");
	char *argv[] = { (char *)support_program("ab_bench"), "--mode", "quick", "--repetitions",
	                 "3", "--seed", "42", "--json", json, "--markdown", md, NULL };
	const char *ids[] = { "ab.same", "ab.work" };
	json_t *doc, *env;
	char *text;

	cr_assert_eq(support_run(argv, out, NULL), 0);
	doc = support_load_json(json);
	env = json_object_get(doc, "environment");
	cr_assert_eq(json_integer_value(json_object_get(env, "repetitions")), 3);
	cr_assert_eq(json_integer_value(json_object_get(env, "seed")), 42);
	for (size_t i = 0; i < 2; i++) {
		json_t *m = metric_of(doc, ids[i], 0), *reps = json_object_get(m, "repetitions");
		json_t *settings = json_object_get(support_bench(doc, ids[i]), "settings");
		json_int_t n = json_integer_value(json_object_get(json_object_get(m, "stats"), "n"));

		cr_assert_eq(json_integer_value(json_object_get(reps, "n")), 3, "%s", ids[i]);
		/* the rounds of all three, as many in each */
		cr_assert_eq(n % 3, 0, "%s: %lld rounds", ids[i], (long long)n);
		cr_assert_eq(json_integer_value(json_object_get(settings, "iterations")), n);
		cr_assert_leq(json_real_value(json_object_get(reps, "min_median")),
		              json_real_value(json_object_get(reps, "max_median")));
		cr_assert_geq(json_real_value(json_object_get(reps, "cv")), 0);
	}
	text = support_slurp(out);
	cr_assert(strstr(text, "3 repetitions in shuffled order, seed 42"), "%s", text);
	cr_assert(strstr(text, "3 repetitions: medians "), "%s", text);
	free(text);
	text = support_slurp(md);
	cr_assert(strstr(text, "**Repetitions**: 3 passes, each in a shuffled order (seed 42)") &&
	          strstr(text, "  - ab.work: "), "%s", text);
	free(text);
	free(md);
	json_decref(doc);
	free(json);
	free(out);
	support_rmdir(dir);
}

/* The CPUs pin.allowed_cpus found in its own /proc/self/status. */
static void pinned_run(const char *cpu, double *count, double *first, json_t **env)
{
	char *dir = support_tmpdir(), *json = support_path(dir, "r.json");
	char *argv[] = { (char *)support_program("pin_bench"), "--json", json,
	                 cpu ? "--cpu" : NULL, (char *)cpu, NULL };
	json_t *doc;

	cr_assert_eq(support_run(argv, NULL, NULL), 0);
	doc = support_load_json(json);
	*count = json_number_value(json_object_get(metric_of(doc, "pin.allowed_cpus", 1), "value"));
	*first = json_number_value(json_object_get(metric_of(doc, "pin.allowed_cpus", 2), "value"));
	*env = json_incref(json_object_get(doc, "environment"));
	json_decref(doc);
	free(json);
	support_rmdir(dir);
}

Test(runner, cpu_pins_the_child_that_measures)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	double count, first;
	json_t *env;

	pinned_run("0", &count, &first, &env);
	cr_assert_eq(count, 1);
	cr_assert_eq(first, 0);
	cr_assert_eq(json_integer_value(json_object_get(env, "pinned_cpu")), 0);
	json_decref(env);
	pinned_run(NULL, &count, &first, &env);
	cr_assert_geq(count, 1);
	cr_assert(json_is_null(json_object_get(env, "pinned_cpu")));
	/* what the environment reads is there, known or null */
	cr_assert(json_is_true(json_object_get(env, "optimized")));
	cr_assert_eq(json_integer_value(json_object_get(env, "repetitions")), 1);
	cr_assert(json_is_null(json_object_get(env, "seed")));
	cr_assert_not_null(json_object_get(env, "turbo"));
	cr_assert_not_null(json_object_get(env, "aslr"));
	cr_assert_not_null(json_object_get(env, "load_avg"));
	json_decref(env);
	if (online < 2)
		return;
	pinned_run("1", &count, &first, &env);
	cr_assert_eq(count, 1);
	cr_assert_eq(first, 1);
	json_decref(env);
}

Test(runner, bad_cpu_repetitions_and_seed_exit_2_with_one_line)
{
	const char *bad[][3] = {
		{ "--cpu", "99999", "--cpu: '99999' is not a count from 0 to 1023" },
		{ "--cpu", "1023", "--cpu: CPU 1023 is not one this process may run on" },
		{ "--repetitions", "0", "--repetitions: '0' is not a count from 1 to 1000" },
		{ "--seed", "5", "--seed needs --repetitions" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *dir = support_tmpdir(), *err = support_path(dir, "err.txt"), *text;
		char *argv[] = { (char *)support_program("pin_bench"), (char *)bad[i][0],
		                 (char *)bad[i][1], NULL };

		cr_assert_eq(support_run(argv, NULL, err), 2, "%s %s", bad[i][0], bad[i][1]);
		text = support_slurp(err);
		cr_assert(strstr(text, bad[i][2]), "%s", text);
		cr_assert_eq(support_count(strstr(text, "error: "), "error: "), 1, "%s", text);
		free(text);
		free(err);
		support_rmdir(dir);
	}
}

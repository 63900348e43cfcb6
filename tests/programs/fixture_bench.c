/*
 * A benchmark program as users write them, with every way a benchmark can
 * go wrong. The runner tests start it as a child process and read what it
 * reports; nothing here is timed for speed.
 */
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cbench.h>

CBENCH(ok, fast, .iterations = 20, .min_time = 0.001, .markers = "quick")
{
	cbench_keep(42);
}

CBENCH(ok, throughput, .iterations = 10, .min_time = 0.001, .markers = "quick io")
{
	static char buf[256];

	cbench_throughput("copy_throughput", sizeof(buf), "B/s");
	memset(buf, 1, sizeof(buf));
	cbench_keep(buf);
	cbench_clobber();
}

CBENCH_EX(ok, custom_metrics, .iterations = 5, .batch = 1, .markers = "quick")
{
	CBENCH_MEASURE {
		cbench_keep(1);
	}
	cbench_metric("hit_rate", 0.25, "ratio", CBENCH_HIGHER_IS_BETTER);
	cbench_metric("hit_rate", 0.75, "ratio", CBENCH_HIGHER_IS_BETTER);
	cbench_metric("peak_bytes", 4096, "bytes", CBENCH_LOWER_IS_BETTER);
}

CBENCH(ok, params, .iterations = 5, .min_time = 0.001,
       .params = CBENCH_PARAMS("10", "20"), .metric = "param_latency")
{
	cbench_keep(cbench_param_int());
}

CBENCH_EX(ok, param_metric, .iterations = 3, .batch = 1,
          .params = CBENCH_PARAMS("a", "b"))
{
	CBENCH_MEASURE {
		cbench_keep(0);
	}
	cbench_metric("index", (double)cbench_param_index(), "", CBENCH_LOWER_IS_BETTER);
}

/* Shared fixtures: built once in the runner, seen by both benchmarks. */
static int builds;
static int *make_counter(void)
{
	builds++;
	return &builds;
}

static void *make_shared(void)
{
	return make_counter();
}

static void drop_shared(void *p)
{
	(void)p;
}

CBENCH_FIXTURE(shared_counter, .scope = CBENCH_SCOPE_RUN, .setup = make_shared,
               .teardown = drop_shared);

CBENCH_EX(fixture, first, .iterations = 3, .batch = 1, .fixtures = "shared_counter")
{
	int *n = cbench_fixture("shared_counter");

	CBENCH_MEASURE {
		cbench_keep(*n);
	}
	cbench_metric("builds", *n, "", CBENCH_LOWER_IS_BETTER);
}

CBENCH_EX(fixture, second, .iterations = 3, .batch = 1, .fixtures = "shared_counter")
{
	int *n = cbench_fixture("shared_counter");

	CBENCH_MEASURE {
		cbench_keep(*n);
	}
	cbench_metric("builds", *n, "", CBENCH_LOWER_IS_BETTER);
}

static void *refuse(void)
{
	cbench_skip("no GPU here");
}

CBENCH_FIXTURE(gpu, .scope = CBENCH_SCOPE_SUITE, .setup = refuse);

CBENCH(fixture, needs_gpu, .fixtures = "gpu")
{
	cbench_keep(0);
}

/* ---- failures ---- */

CBENCH(bad, skipped, .markers = "bad")
{
	cbench_skip("not on this machine");
}

CBENCH(bad, failed_assert, .iterations = 3, .markers = "bad")
{
	cbench_assert(1 + 1 == 3);
}

CBENCH(bad, segfault, .markers = "bad crash")
{
	volatile int *p = NULL;

	raise(SIGSEGV);
	*p = 1;
}

CBENCH(bad, aborts, .markers = "bad crash")
{
	abort();
}

CBENCH(bad, c_assert, .markers = "bad crash")
{
	assert(!"broken invariant");
}

CBENCH(bad, exits, .markers = "bad")
{
	exit(0);
}

CBENCH(bad, hangs, .timeout = 0.5, .markers = "bad slow")
{
	for (;;)
		pause();
}

/* Runs for a long time, measuring: what SIGINT interrupts in the tests. */
CBENCH(slow, long_rounds, .iterations = 1000000, .batch = 1, .markers = "slow")
{
	usleep(1000);
}

/* ---- the gate ---- */

/* Reports 10 the first time it runs in a test, 1 afterwards: a first
 * reading that crossed and that re-runs do not confirm. The count lives in
 * the file named by CBENCH_TEST_FLAKY_FILE. */
CBENCH_EX(gate, flaky, .iterations = 3, .batch = 1, .markers = "gate")
{
	const char *path = getenv("CBENCH_TEST_FLAKY_FILE");
	int runs = 0;
	FILE *f;

	CBENCH_MEASURE {
		cbench_keep(0);
	}
	if (path && (f = fopen(path, "r"))) {
		if (fscanf(f, "%d", &runs) != 1)
			runs = 0;
		fclose(f);
	}
	if (path && (f = fopen(path, "w"))) {
		fprintf(f, "%d\n", runs + 1);
		fclose(f);
	}
	cbench_metric("flaky_value", runs == 0 ? 10 : 1, "", CBENCH_LOWER_IS_BETTER);
}

CBENCH(gate, target_missed, .iterations = 5, .min_time = 0.001, .target = 1e-15,
       .target_stat = "p95", .markers = "gate")
{
	cbench_keep(1);
}

CBENCH(gate, target_met, .iterations = 5, .min_time = 0.001, .target = 1.0,
       .markers = "gate")
{
	cbench_keep(1);
}

CBENCH(gate, own_threshold, .iterations = 5, .min_time = 0.001, .threshold = 0.05,
       .markers = "gate")
{
	cbench_keep(1);
}

/* ---- rogue benchmarks: what tests/framework/test_faults.c injects ---- */

/* Forks a child that outlives the benchmark (it waits forever, holding the
 * runner's pipe open as every forked child does); its pid goes to the file
 * named by CBENCH_TEST_PID_FILE, for the test to check it is gone. */
CBENCH(rogue, forks, .iterations = 5, .batch = 1, .markers = "rogue")
{
	static int forked;
	const char *path = getenv("CBENCH_TEST_PID_FILE");

	if (!forked++) {
		pid_t pid = fork();

		if (pid == 0) {
			for (;;)
				pause();
		}
		if (pid > 0 && path) {
			FILE *f = fopen(path, "a");

			if (f) {
				fprintf(f, "%d\n", (int)pid);
				fclose(f);
			}
		}
	}
	cbench_keep(forked);
}

CBENCH(rogue, closes_stdout, .iterations = 5, .batch = 1, .markers = "rogue")
{
	static int closed;

	if (!closed++) {
		fflush(stdout);
		close(STDOUT_FILENO);
	}
	cbench_keep(closed);
}

/* 8 MB on standard output and 8 MB on standard error, once. */
CBENCH(rogue, floods, .iterations = 3, .batch = 1, .markers = "rogue")
{
	static int flooded;
	static char line[1024];

	if (!flooded++) {
		memset(line, 'x', sizeof(line) - 1);
		line[sizeof(line) - 2] = '\n';
		for (int i = 0; i < 8192; i++) {
			fputs(line, stdout);
			fputs(line, stderr);
		}
	}
	cbench_keep(flooded);
}

/* exit(0) in the 25th of 100 rounds, after warm-up and measuring began. */
CBENCH(rogue, exits_mid_round, .iterations = 100, .batch = 1, .warmup = 2,
       .markers = "rogue")
{
	static int calls;

	if (++calls == 25)
		exit(0);
	cbench_keep(calls);
}

/*
 * cbench measuring itself: what the framework adds to every reading, and
 * what its own bookkeeping costs. These are the figures docs/measurement.md
 * quotes.
 */
#include <fcntl.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cbench.h>

#include "measure/registry.h"

/* An empty body, inlined into the timing loop: reads the per-call overhead
 * left after calibration (goal: 1 ns or less). */
CBENCH(overhead, empty_body, .markers = "dogfood")
{
}

/*
 * The fixed cost of one timed round: two clock reads plus the bookkeeping
 * between rounds, from the wall time of many batch-1 rounds of nothing
 * (goal: 60 ns or less).
 */
CBENCH_EX(overhead, round_fixed_cost, .batch = 1, .iterations = 100000,
          .warmup = CBENCH_NONE, .markers = "dogfood")
{
	struct timespec a, b;
	unsigned long rounds = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	CBENCH_MEASURE {
		rounds++;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	cbench_metric("round_fixed_cost",
	              ((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9) /
	              (double)rounds, "s", CBENCH_LOWER_IS_BETTER);
}

/* --list with 10,000 registered benchmarks (goal: under 100 ms). The extra
 * declarations only exist in this benchmark's process. */
#define EXTRA 10000
static struct cbench_bench_ extra[EXTRA];
static char names[EXTRA][16];
static int saved_stdout = -1;

static void noop(void)
{
}

static void register_many(void)
{
	int devnull = open("/dev/null", O_WRONLY);

	for (int i = 0; i < EXTRA; i++) {
		snprintf(names[i], sizeof(names[i]), "b%05d", (i * 7919) % EXTRA);
		extra[i].suite = "generated";
		extra[i].name = names[i];
		extra[i].file = __FILE__;
		extra[i].line = __LINE__;
		extra[i].optimized = 1;
		extra[i].run = noop;
		extra[i].opts.markers = i % 3 ? "fast" : "slow";
		cbench_register_(&extra[i]);
	}
	fflush(stdout);
	saved_stdout = dup(STDOUT_FILENO);
	dup2(devnull, STDOUT_FILENO);
	close(devnull);
}

static void restore_stdout(void)
{
	fflush(stdout);
	dup2(saved_stdout, STDOUT_FILENO);
	close(saved_stdout);
}

CBENCH(overhead, list_10k, .setup = register_many, .teardown = restore_stdout,
       .iterations = 20, .batch = 1, .markers = "dogfood")
{
	char prog[] = "bench", opt[] = "--list";
	char *argv[] = { prog, opt, NULL };

	if (cbench_main(2, argv) != 0)
		cbench_fail("--list failed");
	cbench_metric("registered", (double)cbench_registry__count(), "benchmarks",
	              CBENCH_HIGHER_IS_BETTER);
}

/* Statistics over 1,000,000 rounds: what a comprehensive run of a very fast
 * benchmark asks of the summary (sort, percentiles, exact median interval). */
#include "stats/stats.h"
#include "data.h"

static double *million;

static void make_million(void)
{
	uint64_t seed = 7;

	million = malloc(1000000 * sizeof(*million));
	if (!million)
		cbench_skip("out of memory");
	for (size_t i = 0; i < 1000000; i++)
		million[i] = 1e-6 + (double)(cbench_data_next(&seed) >> 40) * 1e-15;
}

static void free_million(void)
{
	free(million);
}

/* ~2 s with its setup: slow, out of the quick `make bench` loop */
CBENCH(overhead, stats_1m_rounds, .setup = make_million, .teardown = free_million,
       .iterations = 10, .batch = 1, .markers = "dogfood slow")
{
	struct cbench_stats s;

	if (cbench_stats__compute(&s, million, 1000000) != 0)
		cbench_fail("out of memory");
	cbench_keep(s.median);
}

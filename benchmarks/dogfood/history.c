/*
 * The run history at scale: a database of 1,000,000 metric values (2,000
 * runs x 500 metrics over 100 days on 4 platforms), and the query a
 * dashboard makes most, one metric's 90-day trend (goal: under 50 ms).
 * How long recording the million values took is reported as a metric of
 * its own, history_record_1m: each run is recorded as the runner records
 * one, in its own transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cbench.h>

#include "cbench/reporter.h"
#include "data.h"
#include "history/history.h"
#include "base/time.h"
#include "base/util.h"
#include "model/run.h"

#define NRUNS 2000
#define NBENCH 100
#define NMETRIC 5              /* per benchmark: 500 per run */
#define SPAN_DAYS 100.0
#define NPLATFORMS 4

static const char *const platforms[NPLATFORMS] = {
	"RTX_4090_24GB", "M1_Mac_16GB", "GitHub_Actions_Linux", "GitHub_Actions_macOS"
};

static char folder[] = "/tmp/cbench-history-XXXXXX";
static char path[sizeof(folder) + 32];
static struct cbench_history *history;
static double last_run;        /* the newest run's time: the trend's "now" */
static double record_seconds;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void fill(void)
{
	static struct cbench_result results[NBENCH];
	static struct cbench_metric metrics[NBENCH * NMETRIC];
	static char ids[NBENCH][32], names[NBENCH * NMETRIC][48];
	struct cbench_error err = { 0, "" };
	struct cbench_run run;
	double t0 = 1790000000.0, step = SPAN_DAYS * 86400 / NRUNS, start;
	uint64_t seed = 11;

	if (!mkdtemp(folder))
		cbench_skip("cannot create a temporary folder");
	snprintf(path, sizeof(path), "%s/performance.db", folder);
	if (cbench_history__open(&history, path, &err))
		cbench_fail("%s", err.text);
	for (size_t i = 0; i < NBENCH; i++) {
		snprintf(ids[i], sizeof(ids[i]), "suite%02zu.bench%03zu", i / 10, i);
		results[i].id = ids[i];
		results[i].suite = "suite";
		results[i].name = ids[i] + 8;
		results[i].status = CBENCH_STATUS_PASSED;
		results[i].metrics = &metrics[i * NMETRIC];
		results[i].nmetrics = NMETRIC;
		for (size_t j = 0; j < NMETRIC; j++) {
			struct cbench_metric *m = &metrics[i * NMETRIC + j];

			snprintf(names[i * NMETRIC + j], sizeof(names[0]), "%s.m%zu", ids[i], j);
			m->name = names[i * NMETRIC + j];
			m->unit = j ? "items/s" : "s";
			m->direction = j ? CBENCH_HIGHER_IS_BETTER : CBENCH_LOWER_IS_BETTER;
			m->timing = j == 0;
			m->stats.n = 100;
			m->cmp.verdict = CBENCH_VERDICT_UNCHANGED;
			m->cmp.threshold = 0.2;
		}
	}
	memset(&run, 0, sizeof(run));
	run.results = results;
	run.nresults = NBENCH;
	run.selected = NBENCH;
	run.mode = "standard";
	run.cbench_version = CBENCH_VERSION;
	run.duration = 60;
	run.compared = true;
	run.threshold = 0.2;
	run.compare_stat = "median";
	run.git.present = true;
	snprintf(run.git.branch, sizeof(run.git.branch), "main");
	start = now();
	for (size_t k = 0; k < NRUNS; k++) {
		double t = t0 + (double)k * step;

		for (size_t i = 0; i < NBENCH * NMETRIC; i++) {
			struct cbench_metric *m = &metrics[i];
			double v = 1e-6 * (1 + (double)(cbench_data_next(&seed) % 1000) / 1000);

			m->value = m->stats.median = m->stats.mean = m->stats.min = v;
			m->stats.max = m->stats.p95 = m->stats.p99 = v * 1.2;
			m->cmp.current = v;
			m->cmp.baseline = 1.5e-6;
			m->cmp.change = (v - 1.5e-6) / 1.5e-6;
		}
		cbench_run__new_id(run.run_id);
		cbench__iso8601(run.started_at, t);
		snprintf(run.platform.id, sizeof(run.platform.id), "%s", platforms[k % NPLATFORMS]);
		snprintf(run.platform.hostname, sizeof(run.platform.hostname), "host%zu",
		         k % NPLATFORMS);
		snprintf(run.git.commit, sizeof(run.git.commit), "%040zx", k);
		snprintf(run.git.short_commit, sizeof(run.git.short_commit), "%.7s", run.git.commit);
		if (cbench_history__record(history, &run, k % 10 ? "ci" : "nightly", NULL, &err))
			cbench_fail("%s", err.text);
		last_run = t;
	}
	record_seconds = now() - start;
}

static void drop(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char file[sizeof(path) + 8];

	cbench_history__close(history);
	history = NULL;
	for (size_t i = 0; i < 3; i++) {
		snprintf(file, sizeof(file), "%s%s", path, suffix[i]);
		unlink(file);
	}
	rmdir(folder);
}

CBENCH(history, trend_90_days_of_1m_rows, .setup = fill, .teardown = drop,
       .iterations = 50, .batch = 1, .timeout = 600, .markers = "dogfood slow")
{
	struct cbench_error err = { 0, "" };
	struct cbench_history_point *points;
	size_t n;

	if (cbench_history__trend(history, "suite04.bench042.m0", NULL, 90, last_run, &points,
	                          &n, &err))
		cbench_fail("%s", err.text);
	cbench_assert(n > 1700);
	cbench_keep(points);
	free(points);
	cbench_metric("history_record_1m", record_seconds, "s", CBENCH_LOWER_IS_BETTER);
}

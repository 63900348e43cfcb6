/*
 * The run history at scale: a database of 1,000,000 metric values (2,000
 * runs x 500 metrics over 100 days on 4 platforms), and the query a
 * dashboard makes most, one metric's 90-day trend (goal: under 50 ms).
 * How long recording the million values took is reported as a metric of
 * its own, history_record_1m: each run is recorded as the runner records
 * one, in its own transaction. And recording one run of 50 metrics, as
 * the runner's --record does. Each on SQLite and on PostgreSQL (a server
 * of the benchmark's own, fixtures/pgserver.c; skipped where there is
 * none), on the same data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cbench.h>

#include "cbench/reporter.h"
#include "data.h"
#include "pgserver.h"
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
static struct pgserver *server;
static char *url;

/* A new database on a PostgreSQL server of our own, or a skip. */
static const char *pg_database(void)
{
	char why[512];

	if (!(server = pgserver_start(NULL, why, sizeof(why))))
		cbench_skip("no PostgreSQL server: %s", why);
	if (!(url = pgserver_newdb(server, false)))
		cbench_skip("cannot create a database on the PostgreSQL server");
	return url;
}

static void pg_stop(void)
{
	pgserver_stop(server);
	server = NULL;
	free(url);
	url = NULL;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void fill_at(const char *location)
{
	static struct cbench_result results[NBENCH];
	static struct cbench_metric metrics[NBENCH * NMETRIC];
	static char ids[NBENCH][32], names[NBENCH * NMETRIC][48];
	struct cbench_error err = { 0, "" };
	struct cbench_run run;
	double t0 = 1790000000.0, step = SPAN_DAYS * 86400 / NRUNS, start;
	uint64_t seed = 11;

	if (cbench_history__open(&history, location, &err))
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

/* A new SQLite file in a temporary folder (drop removes both). */
static const char *sqlite_database(void)
{
	if (!mkdtemp(folder))
		cbench_skip("cannot create a temporary folder");
	snprintf(path, sizeof(path), "%s/performance.db", folder);
	return path;
}

static void fill(void)
{
	fill_at(sqlite_database());
}

static void fill_pg(void)
{
	fill_at(pg_database());
}

static void drop_pg(void)
{
	cbench_history__close(history);
	history = NULL;
	pg_stop();
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

static void trend_90_days(void)
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

CBENCH(history, trend_90_days_of_1m_rows, .setup = fill, .teardown = drop,
       .iterations = 50, .batch = 1, .timeout = 600, .markers = "dogfood slow")
{
	trend_90_days();
}

CBENCH(history, pg_trend_90_days_of_1m_rows, .setup = fill_pg, .teardown = drop_pg,
       .iterations = 50, .batch = 1, .timeout = 1800, .markers = "dogfood slow postgresql")
{
	trend_90_days();
}

/* ---- Recording one run ------------------------------------------------ */

#define NRECORD 50

static struct cbench_run one;
static struct cbench_result one_results[NRECORD];
static struct cbench_metric one_metrics[NRECORD];
static char one_names[NRECORD][32];

/* A run of 50 benchmarks of one metric each, as `--record` records it. */
static void make_run(const char *location)
{
	struct cbench_error err = { 0, "" };

	if (cbench_history__open(&history, location, &err))
		cbench_fail("%s", err.text);
	memset(&one, 0, sizeof(one));
	for (size_t i = 0; i < NRECORD; i++) {
		snprintf(one_names[i], sizeof(one_names[i]), "suite.bench%02zu", i);
		one_results[i].id = one_names[i];
		one_results[i].suite = "suite";
		one_results[i].name = one_names[i] + 6;
		one_results[i].status = CBENCH_STATUS_PASSED;
		one_results[i].metrics = &one_metrics[i];
		one_results[i].nmetrics = 1;
		one_metrics[i].name = one_names[i];
		one_metrics[i].unit = "s";
		one_metrics[i].timing = true;
		one_metrics[i].value = 1e-6 * (double)(i + 1);
		one_metrics[i].stats.n = 100;
		one_metrics[i].stats.median = one_metrics[i].value;
		one_metrics[i].cmp.verdict = CBENCH_VERDICT_NEW;
	}
	one.results = one_results;
	one.nresults = NRECORD;
	one.selected = NRECORD;
	one.mode = "standard";
	one.cbench_version = CBENCH_VERSION;
	one.duration = 10;
	snprintf(one.platform.id, sizeof(one.platform.id), "Record_Platform");
	cbench__iso8601(one.started_at, 1790000000.0);
}

static void record_setup(void)
{
	make_run(sqlite_database());
}

static void record_setup_pg(void)
{
	make_run(pg_database());
}

static void record_one(void)
{
	struct cbench_error err = { 0, "" };
	bool added = false;

	cbench_run__new_id(one.run_id);
	if (cbench_history__record(history, &one, "ci", &added, &err) || !added)
		cbench_fail("%s", err.text);
}

CBENCH(history, record_one_run_of_50_metrics, .setup = record_setup, .teardown = drop,
       .iterations = 200, .batch = 1, .markers = "dogfood")
{
	record_one();
}

CBENCH(history, pg_record_one_run_of_50_metrics, .setup = record_setup_pg,
       .teardown = drop_pg, .iterations = 200, .batch = 1, .markers = "dogfood slow postgresql")
{
	record_one();
}

/*
 * The trend dashboard at the size it is meant for: 50 metrics x 10
 * platforms x 90 nightly runs (45,000 points). Rendered from memory (goal:
 * well under 2 s; the page under 1 MB, reported as `dashboard_bytes`), and
 * from a real history database holding the same runs (the queries too).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cbench.h>

#include "base/buf.h"
#include "reporters/dashboard.h"
#include "data.h"
#include "pgserver.h"
#include "history/history.h"
#include "base/time.h"
#include "base/util.h"
#include "model/run.h"

#define NMETRICS 50
#define NPLATFORMS 10
#define NDAYS 90
#define DAY 86400.0
#define T0 1790000000.0

static struct cbench_dashboard_metric *metrics;
static struct cbench_dashboard_series *series;
static double *times, *values;
static const char **commit_of;
static char (*commits)[8], (*names)[32], (*platforms)[32];
static const char *const units[] = { "s", "items/s", "MB", "s", "" };

/* Value of metric i, platform p, night d: about +-5% around a level. */
static double level(size_t i, size_t p)
{
	double base = strcmp(units[i % 5], "s") == 0 ? 1.2345e-6 * pow(10, (double)(i % 6)) :
	              1000.0 * (double)(i + 1);

	return base * (1 + 0.15 * (double)p);
}

static void make_data(void)
{
	size_t ns = NMETRICS * NPLATFORMS, np = ns * NDAYS;
	uint64_t seed = 7;

	metrics = calloc(NMETRICS, sizeof(*metrics));
	series = calloc(ns, sizeof(*series));
	times = calloc(np, sizeof(*times));
	values = calloc(np, sizeof(*values));
	commit_of = calloc(np, sizeof(*commit_of));
	commits = calloc(NDAYS, sizeof(*commits));
	names = calloc(NMETRICS, sizeof(*names));
	platforms = calloc(NPLATFORMS, sizeof(*platforms));
	if (!metrics || !series || !times || !values || !commit_of || !commits || !names ||
	    !platforms)
		cbench_skip("out of memory preparing 45,000 points");
	for (size_t d = 0; d < NDAYS; d++)
		snprintf(commits[d], sizeof(commits[d]), "%07llx",
		         (unsigned long long)(cbench_data_next(&seed) & 0xfffffff));
	for (size_t p = 0; p < NPLATFORMS; p++)
		snprintf(platforms[p], sizeof(platforms[p]), "Platform_%02zu_%zuGB", p, (p + 1) * 8);
	for (size_t i = 0; i < NMETRICS; i++) {
		snprintf(names[i], sizeof(names[i]), "suite%zu.metric_%02zu", i / 10, i);
		metrics[i].name = names[i];
		metrics[i].unit = units[i % 5];
		metrics[i].direction = strcmp(units[i % 5], "items/s") == 0 ?
		                       CBENCH_HIGHER_IS_BETTER : CBENCH_LOWER_IS_BETTER;
		metrics[i].series = &series[i * NPLATFORMS];
		metrics[i].nseries = NPLATFORMS;
		for (size_t p = 0; p < NPLATFORMS; p++) {
			struct cbench_dashboard_series *s = &series[i * NPLATFORMS + p];
			size_t at = (i * NPLATFORMS + p) * NDAYS;

			s->platform = platforms[p];
			s->n = NDAYS;
			s->t = &times[at];
			s->value = &values[at];
			s->commit = &commit_of[at];
			s->baseline = level(i, p);
			s->threshold = 0.2;
			for (size_t d = 0; d < NDAYS; d++) {
				double noise = (double)(cbench_data_next(&seed) % 100001) / 100000 - 0.5;

				times[at + d] = T0 + (double)d * DAY + (double)p * 600;
				values[at + d] = level(i, p) * (1 + 0.1 * noise);
				commit_of[at + d] = commits[d];
			}
		}
	}
}

static void drop_data(void)
{
	free(metrics);
	free(series);
	free(times);
	free(values);
	free(commit_of);
	free(commits);
	free(names);
	free(platforms);
}

CBENCH(dashboard, render_50_metrics_10_platforms_90_days, .setup = make_data,
       .teardown = drop_data, .iterations = 20, .batch = 1, .markers = "dogfood")
{
	struct cbench_buf page = CBENCH_BUF_INIT((size_t)64 << 20);
	struct cbench_error err;

	if (cbench_dashboard__render(&page, metrics, NMETRICS, NULL, T0 + NDAYS * DAY, &err))
		cbench_skip("%s", err.text);   /* no libjs-dygraphs here */
	cbench_metric("dashboard_bytes", (double)cbench_buf__len(&page), "bytes",
	              CBENCH_LOWER_IS_BETTER);
	cbench_buf__free(&page);
}

/* ---- from a history database ------------------------------------------------------- */

static char folder[] = "/tmp/cbench-dashboard-XXXXXX";
static char path[sizeof(folder) + 16];
static const char *db;               /* path, or the PostgreSQL URL */
static struct pgserver *server;
static char *url;

/* The same 900 runs (50 metrics each) recorded into the database `db`. */
static void fill_history(void)
{
	struct cbench_metric *m = calloc(NMETRICS, sizeof(*m));
	struct cbench_result *r = calloc(NMETRICS, sizeof(*r));
	struct cbench_history *h = NULL;
	struct cbench_error err;
	struct cbench_run run;

	make_data();
	if (!m || !r)
		cbench_skip("cannot prepare a history");
	if (cbench_history__open(&h, db, &err))
		cbench_skip("%s", err.text);
	for (size_t i = 0; i < NMETRICS; i++) {
		r[i].id = names[i];
		r[i].suite = "suite";
		r[i].name = names[i];
		r[i].status = CBENCH_STATUS_PASSED;
		r[i].metrics = &m[i];
		r[i].nmetrics = 1;
		m[i].name = names[i];
		m[i].unit = metrics[i].unit;
		m[i].direction = metrics[i].direction;
		m[i].timing = strcmp(m[i].unit, "s") == 0;
		m[i].cmp.verdict = CBENCH_VERDICT_UNCHANGED;
		m[i].cmp.threshold = 0.2;
	}
	for (size_t d = 0; d < NDAYS; d++) {
		for (size_t p = 0; p < NPLATFORMS; p++) {
			memset(&run, 0, sizeof(run));
			run.cbench_version = CBENCH_VERSION;
			run.mode = "standard";
			run.results = r;
			run.nresults = NMETRICS;
			cbench_run__new_id(run.run_id);
			cbench__iso8601(run.started_at, T0 + (double)d * DAY + (double)p * 600);
			snprintf(run.platform.id, sizeof(run.platform.id), "%s", platforms[p]);
			run.git.present = true;
			snprintf(run.git.short_commit, sizeof(run.git.short_commit), "%s", commits[d]);
			snprintf(run.git.commit, sizeof(run.git.commit), "%s", commits[d]);
			for (size_t i = 0; i < NMETRICS; i++) {
				size_t at = (i * NPLATFORMS + p) * NDAYS + d;

				m[i].value = values[at];
				m[i].cmp.current = values[at];
				m[i].cmp.baseline = series[i * NPLATFORMS + p].baseline;
				m[i].cmp.change = values[at] / m[i].cmp.baseline - 1;
			}
			if (cbench_history__record(h, &run, "nightly", NULL, &err))
				cbench_skip("%s", err.text);
		}
	}
	cbench_history__close(h);
	free(m);
	free(r);
}

static void make_history(void)
{
	if (!mkdtemp(folder))
		cbench_skip("cannot prepare a history");
	snprintf(path, sizeof(path), "%s/perf.db", folder);
	db = path;
	fill_history();
}

/* The same on a PostgreSQL server of the benchmark's own. */
static void make_history_pg(void)
{
	char why[512];

	if (!(server = pgserver_start(NULL, why, sizeof(why))))
		cbench_skip("no PostgreSQL server: %s", why);
	if (!(url = pgserver_newdb(server, false)))
		cbench_skip("cannot create a database on the PostgreSQL server");
	db = url;
	fill_history();
}

static void drop_history(void)
{
	char file[sizeof(path) + 8];

	unlink(path);
	snprintf(file, sizeof(file), "%s-wal", path);
	unlink(file);
	snprintf(file, sizeof(file), "%s-shm", path);
	unlink(file);
	rmdir(folder);
	drop_data();
}

static void drop_history_pg(void)
{
	pgserver_stop(server);
	server = NULL;
	free(url);
	url = NULL;
	drop_data();
}

static void from_history(void)
{
	struct cbench_buf page = CBENCH_BUF_INIT((size_t)64 << 20);
	struct cbench_dashboard_summary sum;
	struct cbench_history *h;
	struct cbench_error err;

	if (cbench_history__open(&h, db, &err))
		cbench_fail("%s", err.text);
	if (cbench_dashboard__from_history(&page, h, NDAYS + 1, T0 + NDAYS * DAY, NULL, 0, NULL,
	                                   T0 + NDAYS * DAY, &sum, &err))
		cbench_skip("%s", err.text);
	cbench_history__close(h);
	if (sum.points != (size_t)NMETRICS * NPLATFORMS * NDAYS)
		cbench_fail("%zu points read back, not %d", sum.points,
		            NMETRICS * NPLATFORMS * NDAYS);
	cbench_metric("dashboard_history_bytes", (double)sum.bytes, "bytes",
	              CBENCH_LOWER_IS_BETTER);
	cbench_buf__free(&page);
}

CBENCH(dashboard, from_history_50_metrics_10_platforms_90_days, .setup = make_history,
       .teardown = drop_history, .iterations = 10, .batch = 1, .markers = "dogfood slow")
{
	from_history();
}

CBENCH(dashboard, pg_from_history_50_metrics_10_platforms_90_days, .setup = make_history_pg,
       .teardown = drop_history_pg, .iterations = 10, .batch = 1,
       .markers = "dogfood slow postgresql")
{
	from_history();
}

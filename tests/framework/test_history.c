/*
 * The run history on both backends: real SQLite files in temporary
 * folders, and real databases on a PostgreSQL server the tests start
 * (tests/support/pgtest.c). One body per behaviour, run on each backend
 * (HISTORY_TEST): what is recorded reads back (stats, runs, trend, last
 * runs, export), a run is recorded whole or not at all (a failing insert,
 * a writer killed midway), four writers at once all land, and the `cbench
 * history` commands. Then what is each backend's own: SQLite files
 * migrated, foreign or newer files refused and left as they were; and
 * PostgreSQL's: a newer or foreign database refused, migrations under a
 * lock, a run_id reused for other content, connections refused or denied,
 * a server killed mid-run, passwords never shown.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "history/history.h"
#include "pgtest.h"
#include "sample_run.h"
#include "support.h"
#include "base/time.h"
#include "base/util.h"

/* 2026-11-24T00:00:00Z: every test's "now". */
#define NOW 1795478400.0
#define DAY 86400.0

/* ---- Runs built by hand ------------------------------------------------ */

struct fake {
	struct cbench_run run;
	struct cbench_result *results;
	struct cbench_metric *metrics;
	char (*ids)[32];
	char (*names)[48];
};

/*
 * nresults benchmarks "bench<i>" of nmetrics metrics "bench<i>.m<j>" each,
 * of value base + i + j / 1000, started at t.
 */
static struct fake *fake_new(size_t nresults, size_t nmetrics, const char *platform,
                             double t, const char *run_id, double base)
{
	struct fake *f = calloc(1, sizeof(*f));

	cr_assert_not_null(f);
	f->results = calloc(nresults + 1, sizeof(*f->results));
	f->metrics = calloc(nresults * nmetrics + 1, sizeof(*f->metrics));
	f->ids = calloc(nresults + 1, sizeof(*f->ids));
	f->names = calloc(nresults * nmetrics + 1, sizeof(*f->names));
	cr_assert(f->results && f->metrics && f->ids && f->names);
	for (size_t i = 0; i < nresults; i++) {
		struct cbench_result *r = &f->results[i];

		snprintf(f->ids[i], sizeof(f->ids[i]), "bench%zu", i);
		r->id = f->ids[i];
		r->suite = "fake";
		r->name = f->ids[i];
		r->status = CBENCH_STATUS_PASSED;
		r->metrics = &f->metrics[i * nmetrics];
		r->nmetrics = nmetrics;
		for (size_t j = 0; j < nmetrics; j++) {
			struct cbench_metric *m = &f->metrics[i * nmetrics + j];
			double v = base + (double)i + (double)j / 1000;

			snprintf(f->names[i * nmetrics + j], sizeof(f->names[0]), "bench%zu.m%zu", i, j);
			m->name = f->names[i * nmetrics + j];
			m->unit = j == 1 ? "items/s" : "s";
			m->direction = j == 1 ? CBENCH_HIGHER_IS_BETTER : CBENCH_LOWER_IS_BETTER;
			m->timing = j == 0;
			m->value = v;
			m->stats.n = 10;
			m->stats.min = m->stats.max = m->stats.mean = m->stats.median = v;
			m->stats.p95 = m->stats.p99 = m->stats.ci_low = m->stats.ci_high = v;
			m->cmp.verdict = CBENCH_VERDICT_NEW;
			m->cmp.baseline = NAN;
			m->cmp.change = NAN;
		}
	}
	f->run.results = f->results;
	f->run.nresults = nresults;
	f->run.selected = nresults;
	f->run.mode = "quick";
	f->run.cbench_version = "0.0.0-test";
	f->run.duration = 1.5;
	cbench__iso8601(f->run.started_at, t);
	snprintf(f->run.platform.id, sizeof(f->run.platform.id), "%s", platform);
	snprintf(f->run.platform.hostname, sizeof(f->run.platform.hostname), "host-1");
	snprintf(f->run.run_id, sizeof(f->run.run_id), "%s", run_id ? run_id : "");
	return f;
}

static void fake_free(struct fake *f)
{
	if (!f)
		return;
	free(f->results);
	free(f->metrics);
	free(f->ids);
	free(f->names);
	free(f);
}

/* ---- Helpers ----------------------------------------------------------- */

static struct cbench_history *open_ok(const char *path)
{
	struct cbench_error err = { 0, "" };
	struct cbench_history *h = NULL;

	cr_assert_eq(cbench_history__open(&h, path, &err), 0, "%s", err.text);
	cr_assert_not_null(h);
	return h;
}

static void record_ok(struct cbench_history *h, const struct cbench_run *run,
                      const char *type, bool want_new)
{
	struct cbench_error err = { 0, "" };
	bool is_new = !want_new;

	cr_assert_eq(cbench_history__record(h, run, type, &is_new, &err), 0, "%s", err.text);
	cr_assert_eq(is_new, want_new);
}

static struct cbench_history_stats stats_of(struct cbench_history *h)
{
	struct cbench_history_stats s;
	struct cbench_error err = { 0, "" };

	cr_assert_eq(cbench_history__stats(h, &s, &err), 0, "%s", err.text);
	return s;
}

/* Raw SQL, to build files this module did not make and look behind it. */
static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f, "%s", path);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* Opening `path` fails with CBENCH_EUSAGE and this message, and the file
 * is byte for byte what it was, with no -wal or -shm left beside it. */
static void refused(const char *path, const char *want)
{
	struct cbench_error err = { 0, "" };
	struct cbench_history *h = NULL;
	size_t before_len, after_len;
	char *before = support_read_bytes(path, &before_len), *after, *side;

	cr_assert_eq(cbench_history__open(&h, path, &err), CBENCH_EUSAGE, "opened %s", path);
	cr_assert_null(h);
	cr_assert_str_eq(err.text, want);
	after = support_read_bytes(path, &after_len);
	cr_assert_eq(after_len, before_len);
	cr_assert(memcmp(before, after, before_len) == 0, "%s was modified", path);
	side = cbench__asprintf("%s-wal", path);
	cr_assert(!support_exists(side), "%s left behind", side);
	free(side);
	side = cbench__asprintf("%s-shm", path);
	cr_assert(!support_exists(side), "%s left behind", side);
	free(side);
	free(before);
	free(after);
}

/* ---- One body, two backends ------------------------------------------- */

/* The database of one test: a file in a temporary folder (SQLite), or a
 * new database on the shared test server (PostgreSQL). */
struct db {
	bool pg;
	char *dir;
	char *loc;
};

static struct db db_new(const char *backend)
{
	struct db d = { strcmp(backend, "postgresql") == 0, NULL, NULL };

	/* pgtest_db skips the test where no server can be started */
	d.loc = d.pg ? pgtest_db(false) : NULL;
	d.dir = support_tmpdir();
	if (!d.pg)
		d.loc = support_path(d.dir, "h.db");
	return d;
}

static void db_free(struct db *d)
{
	free(d->loc);
	support_rmdir(d->dir);
}

/* Raw SQL behind the backend, in each one's dialect. */
static void db_sql(const struct db *d, const char *sqlite_sql, const char *pg_sql)
{
	if (d->pg)
		pgtest_sql(d->loc, pg_sql);
	else
		support_sql(d->loc, sqlite_sql);
}

static long long db_int(const struct db *d, const char *query)
{
	return d->pg ? pgtest_int(d->loc, query) : support_sql_int(d->loc, query);
}

/* Whether `loc` holds a history: the file, or cbench's tables. */
static bool db_exists(const struct db *d, const char *loc)
{
	return d->pg ? pgtest_int(loc, "SELECT count(*) FROM pg_tables WHERE schemaname ="
	                               " 'public'") > 0
	             : support_exists(loc);
}

/* A test body run once on each backend: history/NAME on SQLite,
 * history_pg/NAME on PostgreSQL. */
#define HISTORY_TEST(name) \
	static void name(const char *backend); \
	Test(history, name, .timeout = 120) { name("sqlite"); } \
	Test(history_pg, name, .timeout = 120) { name("postgresql"); } \
	static void name(const char *backend)

/* ---- Recording and reading back ---------------------------------------- */

HISTORY_TEST(records_and_reads_back)
{
	struct db d = db_new(backend);
	const char *path = d.loc;
	struct fake *a = fake_new(2, 3, "Plat_A", NOW - 2 * DAY, "run-a", 1.0);
	struct fake *b = fake_new(2, 3, "Plat_B", NOW - DAY, "run-b", 2.0);
	struct cbench_history *h = open_ok(path);
	struct cbench_error err = { 0, "" };
	struct cbench_history_run *runs;
	struct cbench_history_point *p;
	struct cbench_history_stats s;
	size_t n;

	a->run.git.present = true;
	snprintf(a->run.git.commit, sizeof(a->run.git.commit), "0123456789abcdef0123456789abcdef01234567");
	snprintf(a->run.git.short_commit, sizeof(a->run.git.short_commit), "0123456");
	snprintf(a->run.git.branch, sizeof(a->run.git.branch), "main");
	a->run.git.dirty = true;
	a->run.regressions = 1;
	record_ok(h, &a->run, "ci", true);
	record_ok(h, &b->run, "nightly", true);

	s = stats_of(h);
	cr_assert_eq(s.total_runs, 2);
	cr_assert_eq(s.platforms, 2);
	cr_assert_eq(s.metrics, 12);
	cr_assert_str_eq(s.first_run, "2026-11-22T00:00:00Z");
	cr_assert_str_eq(s.last_run, "2026-11-23T00:00:00Z");

	cr_assert_eq(cbench_history__runs(h, NULL, 0, &runs, &n, &err), 0, "%s", err.text);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(runs[0].run_id, "run-b");    /* newest first */
	cr_assert_str_eq(runs[0].run_type, "nightly");
	cr_assert_str_eq(runs[0].commit, "");
	cr_assert_str_eq(runs[1].run_id, "run-a");
	cr_assert_str_eq(runs[1].platform, "Plat_A");
	cr_assert_str_eq(runs[1].run_type, "ci");
	cr_assert_str_eq(runs[1].mode, "quick");
	cr_assert_str_eq(runs[1].commit, "0123456789abcdef0123456789abcdef01234567");
	cr_assert_str_eq(runs[1].branch, "main");
	cr_assert(runs[1].dirty);
	cr_assert_str_eq(runs[1].hostname, "host-1");
	cr_assert_str_eq(runs[1].cbench_version, "0.0.0-test");
	cr_assert_eq(runs[1].nmetrics, 6);
	cr_assert_eq(runs[1].regressions, 1);
	free(runs);
	cr_assert_eq(cbench_history__runs(h, "Plat_A", 5, &runs, &n, &err), 0);
	cr_assert_eq(n, 1);
	free(runs);
	cr_assert_eq(cbench_history__runs(h, NULL, 1, &runs, &n, &err), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(runs[0].run_id, "run-b");
	free(runs);

	cr_assert_eq(cbench_history__trend(h, "bench1.m1", NULL, 30, NOW, &p, &n, &err), 0,
	             "%s", err.text);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(p[0].started_at, "2026-11-22T00:00:00Z");   /* oldest first */
	cr_assert_float_eq(p[0].t, NOW - 2 * DAY, 1e-6);
	cr_assert_float_eq(p[0].value, 2.001, 1e-12);
	cr_assert_str_eq(p[0].platform, "Plat_A");
	cr_assert_str_eq(p[0].commit, "0123456");
	cr_assert_str_eq(p[0].unit, "items/s");
	cr_assert_eq(p[0].direction, CBENCH_HIGHER_IS_BETTER);
	cr_assert(isnan(p[0].baseline));
	cr_assert(isnan(p[0].threshold));
	cr_assert_float_eq(p[1].value, 3.001, 1e-12);
	cr_assert_str_eq(p[1].commit, "");
	free(p);

	cbench_history__close(h);
	fake_free(a);
	fake_free(b);
	db_free(&d);
}

HISTORY_TEST(a_run_recorded_twice_is_one_run)
{
	struct db d = db_new(backend);
	const char *path = d.loc;
	struct fake *a = fake_new(1, 2, "P", NOW, "same-id", 1.0);
	struct fake *anon = fake_new(1, 2, "P", NOW - DAY, NULL, 1.0);
	struct cbench_history *h = open_ok(path);
	struct cbench_error err = { 0, "" };
	struct cbench_history_run *runs;
	size_t n;

	record_ok(h, &a->run, "ci", true);
	record_ok(h, &a->run, "ci", false);
	/* without an id: derived from start, host, platform and duration */
	record_ok(h, &anon->run, NULL, true);
	record_ok(h, &anon->run, NULL, false);
	cbench_history__close(h);
	h = open_ok(path);
	record_ok(h, &a->run, "nightly", false);
	cr_assert_eq(stats_of(h).total_runs, 2);
	cr_assert_eq(stats_of(h).metrics, 4);
	cr_assert_eq(cbench_history__runs(h, NULL, 0, &runs, &n, &err), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(runs[0].run_type, "ci");     /* the first record stands */
	cr_assert_eq(strlen(runs[1].run_id), 36);
	cr_assert_eq(runs[1].run_id[14], '8', "a version-8 UUID: %s", runs[1].run_id);
	free(runs);
	/* another duration is another run */
	anon->run.duration = 2.5;
	record_ok(h, &anon->run, NULL, true);
	cbench_history__close(h);
	fake_free(a);
	fake_free(anon);
	db_free(&d);
}

HISTORY_TEST(run_types)
{
	struct db d = db_new(backend);
	const char *path = d.loc;
	struct fake *f = fake_new(1, 1, "P", NOW, "r1", 1.0);
	struct cbench_history *h = open_ok(path);
	struct cbench_error err = { 0, "" };
	struct cbench_history_run *runs;
	size_t n;
	bool is_new = true;

	record_ok(h, &f->run, NULL, true);                 /* none: manual */
	snprintf(f->run.run_id, sizeof(f->run.run_id), "r2");
	f->run.run_type = "nightly";
	record_ok(h, &f->run, NULL, true);                 /* the run's own */
	snprintf(f->run.run_id, sizeof(f->run.run_id), "r3");
	record_ok(h, &f->run, "ci", true);                 /* the argument wins */
	snprintf(f->run.run_id, sizeof(f->run.run_id), "r4");
	cr_assert_eq(cbench_history__record(h, &f->run, "weekly", &is_new, &err), CBENCH_EUSAGE);
	cr_assert_not(is_new);
	cr_assert(strstr(err.text, "run type 'weekly' is not ci, nightly or manual"), "%s", err.text);
	cr_assert_eq(cbench_history__runs(h, NULL, 0, &runs, &n, &err), 0);
	cr_assert_eq(n, 3);
	/* equal times: the latest recorded first */
	cr_assert_str_eq(runs[0].run_type, "ci");
	cr_assert_str_eq(runs[1].run_type, "nightly");
	cr_assert_str_eq(runs[2].run_type, "manual");
	free(runs);
	cbench_history__close(h);
	fake_free(f);
	db_free(&d);
}

HISTORY_TEST(a_run_without_a_time_is_refused)
{
	struct db d = db_new(backend);
	const char *path = d.loc;
	struct fake *f = fake_new(1, 1, "P", NOW, "r1", 1.0);
	struct cbench_history *h = open_ok(path);
	struct cbench_error err = { 0, "" };

	snprintf(f->run.started_at, sizeof(f->run.started_at), "yesterday");
	cr_assert_eq(cbench_history__record(h, &f->run, NULL, NULL, &err), CBENCH_EPARSE);
	cr_assert(strstr(err.text, "started_at 'yesterday'"), "%s", err.text);
	/* fractions and an explicit offset are read */
	snprintf(f->run.started_at, sizeof(f->run.started_at), "2026-11-24T00:00:00.5+00:00");
	record_ok(h, &f->run, NULL, true);
	cr_assert_eq(stats_of(h).total_runs, 1);
	cbench_history__close(h);
	fake_free(f);
	db_free(&d);
}

HISTORY_TEST(trend_window_platform_and_missing_values)
{
	struct db d = db_new(backend);
	const char *path = d.loc;
	static const double ago[] = { 100, 50, 10, 1, 0.5 };
	static const char *const plat[] = { "A", "A", "B", "A", "A" };
	struct cbench_history *h = open_ok(path);
	struct cbench_error err = { 0, "" };
	struct cbench_history_point *p;
	char **names;
	size_t n;

	for (size_t i = 0; i < 5; i++) {
		char id[16];
		struct fake *f;

		snprintf(id, sizeof(id), "run%zu", i);
		f = fake_new(1, 2, plat[i], NOW - ago[i] * DAY, id, (double)i);
		if (i == 4)
			f->metrics[0].value = NAN;     /* no value: not a point */
		record_ok(h, &f->run, NULL, true);
		fake_free(f);
	}
	cr_assert_eq(cbench_history__trend(h, "bench0.m0", NULL, 30, NOW, &p, &n, &err), 0);
	cr_assert_eq(n, 2);
	cr_assert_float_eq(p[0].value, 2.0, 1e-12);
	cr_assert_float_eq(p[1].value, 3.0, 1e-12);
	free(p);
	cr_assert_eq(cbench_history__trend(h, "bench0.m0", "A", 60, NOW, &p, &n, &err), 0);
	cr_assert_eq(n, 2);
	cr_assert_float_eq(p[0].value, 1.0, 1e-12);
	cr_assert_str_eq(p[1].platform, "A");
	free(p);
	cr_assert_eq(cbench_history__trend(h, "bench0.m0", NULL, 0, NOW, &p, &n, &err), 0);
	cr_assert_eq(n, 4, "days <= 0: all of it");
	free(p);
	/* a run "in the future" of now is out */
	cr_assert_eq(cbench_history__trend(h, "bench0.m1", NULL, 1000, NOW - 5 * DAY, &p, &n,
	                                   &err), 0);
	cr_assert_eq(n, 3);
	free(p);
	cr_assert_eq(cbench_history__trend(h, "nope", NULL, 30, NOW, &p, &n, &err), 0);
	cr_assert_eq(n, 0);
	free(p);

	cr_assert_eq(cbench_history__metric_names(h, 30, NOW, NULL, 0, &names, &n, &err), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(names[0], "bench0.m0");
	cr_assert_str_eq(names[1], "bench0.m1");
	cbench_history__free_names(names, n);
	{
		const char *const only[] = { "B", "C" };

		cr_assert_eq(cbench_history__metric_names(h, 5, NOW, only, 2, &names, &n, &err), 0);
		cr_assert_eq(n, 0, "B's run is 10 days old");
		cbench_history__free_names(names, n);
		cr_assert_eq(cbench_history__metric_names(h, 30, NOW, only, 2, &names, &n, &err), 0);
		cr_assert_eq(n, 2);
		cbench_history__free_names(names, n);
	}
	cbench_history__close(h);
	db_free(&d);
}

HISTORY_TEST(last_runs_of_a_platform)
{
	struct db d = db_new(backend);
	const char *path = d.loc;
	struct cbench_history *h = open_ok(path);
	struct cbench_error err = { 0, "" };
	struct cbench_history_series *s;
	struct cbench_history_run newest;
	size_t runs, n;

	for (size_t i = 0; i < 4; i++) {
		char id[16];
		struct fake *f;

		snprintf(id, sizeof(id), "run%zu", i);
		f = fake_new(2, 2, "P", NOW - (double)(4 - i) * DAY, id, 10.0 * (double)i);
		if (i == 3) {
			/* the newest run has no bench1.m0, and one new metric */
			f->metrics[2].name = "fresh";
		}
		record_ok(h, &f->run, NULL, true);
		fake_free(f);
	}
	{
		struct fake *other = fake_new(2, 2, "Q", NOW, "other", 99);

		record_ok(h, &other->run, NULL, true);
		fake_free(other);
	}
	cr_assert_eq(cbench_history__last_runs(h, "P", 3, &runs, &s, &n, &newest, &err), 0,
	             "%s", err.text);
	cr_assert_eq(runs, 3);
	cr_assert_str_eq(newest.run_id, "run3");
	cr_assert_str_eq(newest.platform, "P");
	cr_assert_eq(newest.nmetrics, 4);
	cr_assert_eq(n, 5);
	/* in the order the newest runs list them */
	cr_assert_str_eq(s[0].name, "bench0.m0");
	cr_assert_str_eq(s[1].name, "bench0.m1");
	cr_assert_str_eq(s[2].name, "fresh");
	cr_assert_str_eq(s[3].name, "bench1.m1");
	cr_assert_str_eq(s[4].name, "bench1.m0");
	cr_assert_eq(s[0].n, 3);
	cr_assert_float_eq(s[0].values[0], 30.0, 1e-12);   /* newest first */
	cr_assert_float_eq(s[0].values[1], 20.0, 1e-12);
	cr_assert_float_eq(s[0].values[2], 10.0, 1e-12);
	cr_assert_str_eq(s[1].unit, "items/s");
	cr_assert_eq(s[1].direction, CBENCH_HIGHER_IS_BETTER);
	cr_assert_eq(s[2].n, 1);
	cr_assert_eq(s[4].n, 2, "missing from the newest run");
	cr_assert_float_eq(s[4].values[0], 21.0, 1e-12);
	cbench_history__free_series(s, n);

	cr_assert_eq(cbench_history__last_runs(h, "P", 100, &runs, &s, &n, NULL, &err), 0);
	cr_assert_eq(runs, 4);
	cr_assert_eq(s[0].n, 4);
	cbench_history__free_series(s, n);
	cr_assert_eq(cbench_history__last_runs(h, "Nowhere", 5, &runs, &s, &n, &newest, &err), 0);
	cr_assert_eq(runs, 0);
	cr_assert_eq(n, 0);
	cr_assert_str_eq(newest.run_id, "");
	cbench_history__free_series(s, n);
	cbench_history__close(h);
	db_free(&d);
}

/* ---- Export ------------------------------------------------------------ */

HISTORY_TEST(export_json)
{
	struct db d = db_new(backend);
	const char *path = d.loc;
	struct cbench_buf b = CBENCH_BUF_INIT(1 << 24);
	struct cbench_history *h = open_ok(path);
	struct cbench_error err = { 0, "" };
	const struct cbench_run *full = sample_run(SAMPLE_FULL);
	json_t *doc, *run, *m;
	json_error_t je;

	record_ok(h, full, "ci", true);
	cr_assert_eq(cbench_history__export(h, NULL, "json", &b, &err), 0, "%s", err.text);
	doc = json_loads(cbench_buf__str(&b), 0, &je);
	cr_assert_not_null(doc, "%s", je.text);
	cr_assert_eq(json_array_size(doc), 1);
	run = json_array_get(doc, 0);
	cr_assert_str_eq(json_string_value(json_object_get(run, "platform")), "GitHub_Actions_Linux");
	cr_assert_str_eq(json_string_value(json_object_get(run, "run_type")), "ci");
	cr_assert_null(json_object_get(run, "id"));
	cr_assert_eq(strlen(json_string_value(json_object_get(run, "run_id"))), 36);
	cr_assert_str_eq(json_string_value(json_object_get(run, "commit")),
	                 "0123456789abcdef0123456789abcdef01234567");
	cr_assert(json_is_true(json_object_get(run, "dirty")));
	cr_assert_str_eq(json_string_value(json_object_get(run, "subject")), "Sort: switch to introsort");
	cr_assert_eq(json_integer_value(json_object_get(run, "regressions")), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(run, "platform_details"),
	                                                   "cpu_model")), "AMD EPYC 7763");
	cr_assert_eq(json_array_size(json_object_get(run, "metrics")), 9);
	m = json_array_get(json_object_get(run, "metrics"), 5);
	cr_assert_str_eq(json_string_value(json_object_get(m, "name")), "sort_peak_memory");
	cr_assert_str_eq(json_string_value(json_object_get(m, "benchmark")), "sort.qsort");
	cr_assert_str_eq(json_string_value(json_object_get(m, "status")), "unchanged");
	cr_assert_float_eq(json_real_value(json_object_get(m, "value")), 64, 1e-12);
	cr_assert_float_eq(json_real_value(json_object_get(m, "baseline")), 64.5, 1e-12);
	cr_assert_eq(json_integer_value(json_object_get(m, "n")), 100);
	cr_assert(json_is_false(json_object_get(m, "timing")));
	json_decref(doc);
	cbench_buf__free(&b);
	/* another platform: none */
	cr_assert_eq(cbench_history__export(h, "Elsewhere", "json", &b, &err), 0);
	cr_assert_str_eq(cbench_buf__str(&b), "[\n]\n");
	cbench_buf__free(&b);
	cr_assert_eq(cbench_history__export(h, NULL, "xml", &b, &err), CBENCH_EUSAGE);
	cbench_history__close(h);
	db_free(&d);
}

HISTORY_TEST(export_json_of_hostile_text_is_json)
{
	struct db d = db_new(backend);
	const char *path = d.loc;
	struct cbench_buf b = CBENCH_BUF_INIT(1 << 24);
	struct cbench_history *h = open_ok(path);
	struct cbench_error err = { 0, "" };
	json_error_t je;
	json_t *doc;

	record_ok(h, sample_run(SAMPLE_HOSTILE), NULL, true);
	cr_assert_eq(cbench_history__export(h, NULL, "json", &b, &err), 0, "%s", err.text);
	doc = json_loads(cbench_buf__str(&b), 0, &je);
	cr_assert_not_null(doc, "%s", je.text);
	cr_assert_eq(json_array_size(json_object_get(json_array_get(doc, 0), "metrics")), 9);
	json_decref(doc);
	cbench_buf__free(&b);
	cbench_history__close(h);
	db_free(&d);
}

/* The CSV export of a new history holding `run` alone (malloc'd). */
static char *csv_of(const struct cbench_run *run)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "h.db"), *text;
	struct cbench_buf b = CBENCH_BUF_INIT(1 << 24);
	struct cbench_history *h = open_ok(path);
	struct cbench_error err = { 0, "" };

	record_ok(h, run, "manual", true);
	cr_assert_eq(cbench_history__export(h, NULL, "csv", &b, &err), 0, "%s", err.text);
	text = cbench_buf__take(&b, NULL);
	cr_assert_not_null(text);
	cbench_history__close(h);
	free(path);
	support_rmdir(dir);
	return text;
}

Test(history, stores_invalid_utf8_repaired)
{
	/* names with \xff\xfe, as a benchmark may hand them over */
	char *text = csv_of(sample_run(SAMPLE_HOSTILE));

	cr_assert(support_valid_utf8(text));
	cr_assert_not_null(strstr(text, "bad\xEF\xBF\xBD\xEF\xBF\xBDutf8"));
	free(text);
}

Test(history, export_csv_shows_formulas_as_text)
{
	struct fake *f = fake_new(3, 1, "P", NOW, "r1", 0.1);
	char *text;

	f->metrics[0].name = "=HYPERLINK(\"http://x\",\"y\")";
	f->metrics[1].name = "@SUM(1+1)";
	f->metrics[2].name = "-2+3";
	f->metrics[2].unit = "+cmd";
	f->metrics[2].value = -0.5;
	text = csv_of(&f->run);
	/* an apostrophe first, inside the quotes when quoted */
	cr_assert(strstr(text, ",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",0.1,"), "%s", text);
	cr_assert(strstr(text, ",'@SUM(1+1),"), "%s", text);
	/* a negative number stays a number */
	cr_assert(strstr(text, ",'-2+3,-0.5,'+cmd,"), "%s", text);
	free(text);
	fake_free(f);
}

HISTORY_TEST(export_csv_quotes_fields)
{
	struct db d = db_new(backend);
	const char *path = d.loc;
	struct cbench_buf b = CBENCH_BUF_INIT(1 << 20);
	struct fake *f = fake_new(2, 1, "P", NOW, "run,\"1\"", 0.1);
	struct cbench_history *h = open_ok(path);
	struct cbench_error err = { 0, "" };
	const char *text, *line2;

	f->metrics[1].name = "lat,\"p50\"\nms";
	record_ok(h, &f->run, "manual", true);
	cr_assert_eq(cbench_history__export(h, NULL, "csv", &b, &err), 0, "%s", err.text);
	text = cbench_buf__str(&b);
	cr_assert(strncmp(text, "run_id,started_at,platform,run_type,mode,commit,branch,benchmark,"
	                        "metric,value,unit,direction,n,min,max,mean,median,stddev,iqr,p95,"
	                        "p99,ci_low,ci_high,status,baseline,change,threshold\r\n",
	                  strlen("run_id,started_at,platform,run_type,mode,commit,branch,benchmark,"
	                         "metric,value,unit,direction,n,min,max,mean,median,stddev,iqr,p95,"
	                         "p99,ci_low,ci_high,status,baseline,change,threshold\r\n")) == 0,
	          "%s", text);
	line2 = strstr(text, "\r\n") + 2;
	{
		static const char want[] = "\"run,\"\"1\"\"\",2026-11-24T00:00:00Z,P,manual,quick,,,"
		                           "bench0,bench0.m0,0.1,s,lower,10,0.1,";

		cr_assert(strncmp(line2, want, strlen(want)) == 0, "%s", line2);
	}
	cr_assert(strstr(text, ",bench1,\"lat,\"\"p50\"\"\nms\",1.1,s,lower,"), "%s", text);
	cbench_buf__free(&b);
	cbench_history__close(h);
	fake_free(f);
	db_free(&d);
}

/* ---- All or nothing ---------------------------------------------------- */

HISTORY_TEST(a_failed_record_leaves_no_run)
{
	struct db d = db_new(backend);
	const char *path = d.loc;
	struct fake *f = fake_new(3, 3, "P", NOW, "doomed", 1.0);
	struct cbench_error err = { 0, "" };
	struct cbench_history *h = open_ok(path);
	bool is_new = true;

	cbench_history__close(h);
	/* the fifth metric of the run cannot be inserted */
	db_sql(&d, "CREATE TRIGGER boom BEFORE INSERT ON metrics WHEN NEW.name = 'bench1.m1'"
	           " BEGIN SELECT RAISE(ABORT, 'boom'); END;",
	       "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
	       " IF (SELECT name FROM metric_names WHERE id = NEW.metric_id) = 'bench1.m1'"
	       " THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;"
	       " CREATE TRIGGER boom BEFORE INSERT ON metrics FOR EACH ROW EXECUTE FUNCTION boom();");
	h = open_ok(path);
	cr_assert_eq(cbench_history__record(h, &f->run, NULL, &is_new, &err), CBENCH_EIO);
	cr_assert_not(is_new);
	/* SQLite inserts metric by metric and names the one; PostgreSQL
	 * copies them all in one COPY */
	cr_assert(strstr(err.text, path) && strstr(err.text, "boom") &&
	          (d.pg || strstr(err.text, "bench1.m1")), "%s", err.text);
	cr_assert_eq(stats_of(h).total_runs, 0);
	cr_assert_eq(stats_of(h).metrics, 0);
	/* the handle is still good: the same run, without the metric */
	f->metrics[4].name = "bench1.other";
	record_ok(h, &f->run, NULL, true);
	cr_assert_eq(stats_of(h).metrics, 9);
	cbench_history__close(h);
	fake_free(f);
	db_free(&d);
}

static off_t size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : 0;
}

/* Waits until the writer `pid` is midway through recording a big run:
 * SQLite's transaction has spilled a few MB into the WAL, PostgreSQL's
 * COPY is under way. False when it finished (or 20 s passed) first. */
static bool midway(const struct db *d, pid_t pid)
{
	char *wal = support_path(d->dir, "h.db-wal");
	bool found = false;
	int status;

	for (int i = 0; i < 20000 && !found; i++) {
		struct timespec ms = { 0, 1000000 };

		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		found = d->pg ? pgtest_int(d->loc, "SELECT count(*) FROM pg_stat_activity"
		                                   " WHERE query LIKE 'COPY metrics%'") > 0
		              : size_of(wal) >= (4 << 20);
		if (!found)
			nanosleep(&ms, NULL);
	}
	free(wal);
	return found;
}

HISTORY_TEST(a_killed_writer_leaves_all_or_nothing)
{
	struct db d = db_new(backend);
	const char *path = d.loc;
	struct cbench_run *big = sample_big(66667, 0);      /* 200,001 metrics */
	struct cbench_history *h = open_ok(path);
	struct cbench_history_stats s;
	pid_t pid;
	int status;

	cbench_history__close(h);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		struct cbench_history *c;

		if (cbench_history__open(&c, path, NULL) ||
		    cbench_history__record(c, big, NULL, NULL, NULL))
			_exit(1);
		_exit(0);
	}
	if (!midway(&d, pid))
		cr_log_info("the writer finished before it could be killed midway");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	h = open_ok(path);
	s = stats_of(h);
	cr_assert((s.total_runs == 0 && s.metrics == 0) || (s.total_runs == 1 && s.metrics == 200001),
	          "%lld runs with %lld metrics", (long long)s.total_runs, (long long)s.metrics);
	if (s.total_runs == 0)
		cr_log_info("killed midway: nothing recorded");
	cr_assert_eq(db_int(&d, "SELECT COUNT(*) FROM runs WHERE nmetrics !="
	                        " (SELECT COUNT(*) FROM metrics WHERE run = runs.id)"), 0);
	/* and the database takes the next run */
	{
		struct fake *f = fake_new(1, 1, "P", NOW, "after", 1.0);

		record_ok(h, &f->run, NULL, true);
		fake_free(f);
	}
	cbench_history__close(h);
	sample_big_free(big);
	db_free(&d);
}

/*
 * Starts n processes that wait at a gate and all run `body` the moment the
 * parent opens it; each exits with what body returns. Asserts that every
 * one exits 0.
 */
static void at_once(int n, int (*body)(int w, const char *loc), const char *loc)
{
	int gate[2];
	pid_t pid[8];

	cr_assert(n <= 8);
	cr_assert_eq(pipe(gate), 0);
	for (int w = 0; w < n; w++) {
		pid[w] = fork();
		cr_assert_neq(pid[w], -1);
		if (pid[w] == 0) {
			char byte;

			close(gate[1]);
			if (read(gate[0], &byte, 1) != 0)
				_exit(3);
			_exit(body(w, loc));
		}
	}
	close(gate[0]);
	close(gate[1]);
	for (int w = 0; w < n; w++)
		cr_assert_eq(support_wait(pid[w]), 0, "process %d", w);
}

/* One of four writers: 50 runs of 100 metrics, the same metric names in
 * every writer, so the dimension rows are contended. */
static int write_50_runs(int w, const char *path)
{
	struct cbench_error err = { 0, "" };
	struct cbench_history *c;
	char plat[8];

	if (cbench_history__open(&c, path, &err)) {
		fprintf(stderr, "writer %d: %s\n", w, err.text);
		return 1;
	}
	snprintf(plat, sizeof(plat), "W%d", w);
	for (int i = 0; i < 50; i++) {
		char id[32];
		struct fake *f;
		bool is_new = false;

		snprintf(id, sizeof(id), "writer%d-run%d", w, i);
		f = fake_new(10, 10, plat, NOW + i, id, (double)i);
		if (cbench_history__record(c, &f->run, "ci", &is_new, &err) || !is_new) {
			fprintf(stderr, "writer %d: %s\n", w, err.text);
			return 2;
		}
		fake_free(f);
	}
	cbench_history__close(c);
	return 0;
}

/* Four processes record 50 runs each into one database at the same
 * moment: none is lost, none fails. */
HISTORY_TEST(four_writers_at_once_all_land)
{
	struct db d = db_new(backend);
	struct cbench_history *h = open_ok(d.loc);
	struct cbench_history_stats s;

	cbench_history__close(h);
	at_once(4, write_50_runs, d.loc);
	h = open_ok(d.loc);
	s = stats_of(h);
	cr_assert_eq(s.total_runs, 200);
	cr_assert_eq(s.platforms, 4);
	cr_assert_eq(s.metrics, 200 * 100);
	cbench_history__close(h);
	db_free(&d);
}

/* ---- Schema versions and foreign files --------------------------------- */

/* Version 1 as cbench 0.1 wrote it, by hand: the test must not depend on
 * the module it checks to make the old file. */
static const char schema_v1[] =
	"CREATE TABLE cbench_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"INSERT INTO cbench_meta (key, value) VALUES ('application', 'cbench');"
	"CREATE TABLE runs (id INTEGER PRIMARY KEY, run_id TEXT UNIQUE NOT NULL,"
	" started_at TEXT NOT NULL, t REAL NOT NULL, platform TEXT NOT NULL, platform_json TEXT,"
	" run_type TEXT NOT NULL, mode TEXT, clock TEXT, commit_id TEXT, short_commit TEXT,"
	" branch TEXT, dirty INTEGER, commit_time INTEGER, subject TEXT, hostname TEXT,"
	" compiler TEXT, cbench_version TEXT, duration REAL, interrupted TEXT, selected INTEGER,"
	" nmetrics INTEGER NOT NULL DEFAULT 0, regressions INTEGER NOT NULL DEFAULT 0,"
	" improvements INTEGER, targets_missed INTEGER, compare_stat TEXT, threshold REAL,"
	" recorded_at TEXT);"
	"CREATE INDEX runs_platform_t ON runs (platform, t);"
	"CREATE TABLE metrics (run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
	" benchmark TEXT NOT NULL, name TEXT NOT NULL, value REAL, unit TEXT, direction TEXT,"
	" timing INTEGER, bench_status TEXT, n INTEGER, min REAL, max REAL, mean REAL,"
	" median REAL, stddev REAL, iqr REAL, p95 REAL, p99 REAL, ci_low REAL, ci_high REAL,"
	" status TEXT, baseline REAL, change REAL, threshold REAL, t REAL NOT NULL);"
	"CREATE INDEX metrics_name_t ON metrics (name, t, value, run, unit, direction, baseline,"
	" threshold);"
	"CREATE INDEX metrics_run ON metrics (run);"
	"INSERT INTO runs (id, run_id, started_at, t, platform, run_type, nmetrics)"
	" VALUES (1, 'old-run', '2026-11-23T00:00:00Z', 1795392000, 'Old', 'nightly', 2);"
	"INSERT INTO metrics (run, benchmark, name, value, unit, direction, t)"
	" VALUES (1, 'b', 'old.metric', 4.5, 's', 'lower', 1795392000),"
	" (1, 'b', 'old.other', 7, 'MB', 'lower', 1795392000);"
	"PRAGMA user_version = 1;";

Test(history, migrates_a_version_1_file)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "v1.db");
	struct fake *f = fake_new(1, 1, "Old", NOW, "new-run", 1.0);
	struct cbench_error err = { 0, "" };
	struct cbench_history_point *p;
	struct cbench_history *h;
	size_t n;

	cr_assert_eq(cbench_history__schema_version(), 3);
	support_sql(path, schema_v1);
	h = open_ok(path);
	cr_assert_eq(support_sql_int(path, "PRAGMA user_version"), 3);
	cr_assert_eq(support_sql_int(path, "SELECT COUNT(*) FROM pragma_table_info('runs')"
	                           " WHERE name = 'cflags'"), 1);
	cr_assert_eq(stats_of(h).total_runs, 1);
	cr_assert_eq(cbench_history__trend(h, "old.metric", NULL, 30, NOW, &p, &n, &err), 0);
	cr_assert_eq(n, 1);
	cr_assert_float_eq(p[0].value, 4.5, 1e-12);
	free(p);
	snprintf(f->run.platform.cflags, sizeof(f->run.platform.cflags), "-O2 -g");
	record_ok(h, &f->run, NULL, true);
	cbench_history__close(h);
	cr_assert_eq(support_sql_int(path, "SELECT COUNT(*) FROM runs WHERE cflags = '-O2 -g'"), 1);
	/* opening again changes nothing */
	h = open_ok(path);
	cr_assert_eq(stats_of(h).total_runs, 2);
	cbench_history__close(h);
	fake_free(f);
	free(path);
	support_rmdir(dir);
}

Test(history, a_failed_migration_leaves_the_file_at_its_version)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "v1.db");
	struct cbench_error err = { 0, "" };
	struct cbench_history *h = NULL;

	/* a version-1 file that somehow has the column version 2 adds */
	support_sql(path, schema_v1);
	support_sql(path, "ALTER TABLE runs ADD COLUMN cflags TEXT;"
	          "CREATE TABLE side (x); INSERT INTO side VALUES (1);");
	cr_assert_eq(cbench_history__open(&h, path, &err), CBENCH_EIO);
	cr_assert_null(h);
	cr_assert(strstr(err.text, "updating the schema to version 2") &&
	          strstr(err.text, "duplicate column name: cflags"), "%s", err.text);
	cr_assert_eq(support_sql_int(path, "PRAGMA user_version"), 1);
	cr_assert_eq(support_sql_int(path, "SELECT COUNT(*) FROM runs"), 1);
	free(path);
	support_rmdir(dir);
}

Test(history, refuses_a_newer_file)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "new.db"), want[512];
	struct cbench_history *h = open_ok(path);
	struct fake *f = fake_new(1, 1, "P", NOW, "r", 1.0);

	record_ok(h, &f->run, NULL, true);
	cbench_history__close(h);
	support_sql(path, "PRAGMA user_version = 99");
	snprintf(want, sizeof(want), "%s: written by a newer cbench (schema 99, this cbench reads"
	         " up to 3)", path);
	refused(path, want);
	fake_free(f);
	free(path);
	support_rmdir(dir);
}

Test(history, refuses_files_that_are_not_cbench_databases)
{
	char *dir = support_tmpdir(), *text = support_path(dir, "notes.db");
	char *noise = support_path(dir, "noise.db"), *other = support_path(dir, "other.db");
	char *meta = support_path(dir, "meta.db"), want[512];
	unsigned char bytes[8192];
	unsigned seed = 7;

	write_file(text, "Total runs: 3\nthis is not a database\n", 37);
	for (size_t i = 0; i < sizeof(bytes); i++) {
		seed = seed * 1103515245u + 12345u;
		bytes[i] = (unsigned char)(seed >> 16);
	}
	write_file(noise, bytes, sizeof(bytes));
	support_sql(other, "CREATE TABLE todo (task TEXT); INSERT INTO todo VALUES ('x');");
	support_sql(meta, "CREATE TABLE cbench_meta (key TEXT, value TEXT);"
	          "INSERT INTO cbench_meta VALUES ('application', 'cbench');");

	snprintf(want, sizeof(want), "%s: not a cbench history database (file is not a database)",
	         text);
	refused(text, want);
	snprintf(want, sizeof(want), "%s: not a cbench history database (file is not a database)",
	         noise);
	refused(noise, want);
	snprintf(want, sizeof(want), "%s: not a cbench history database (a SQLite database of"
	         " another application)", other);
	refused(other, want);
	snprintf(want, sizeof(want), "%s: not a cbench history database (no schema version)", meta);
	refused(meta, want);
	free(text);
	free(noise);
	free(other);
	free(meta);
	support_rmdir(dir);
}

Test(history, creates_missing_folders_and_takes_an_empty_file)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "a/b/c/performance.db");
	char *empty = support_path(dir, "empty.db"), *folder = support_path(dir, "a");
	struct cbench_error err = { 0, "" };
	struct cbench_history *h;

	h = open_ok(path);
	cbench_history__close(h);
	cr_assert(support_exists(path));
	cr_assert_eq(support_sql_int(path, "SELECT COUNT(*) FROM cbench_meta WHERE key = 'application'"
	                           " AND value = 'cbench'"), 1);
	cr_assert_eq(support_sql_int(path, "PRAGMA user_version"), 3);
	/* a zero-byte file (mktemp's) is an empty database: made ours */
	write_file(empty, "", 0);
	h = open_ok(empty);
	cbench_history__close(h);
	cr_assert_eq(support_sql_int(empty, "PRAGMA user_version"), 3);
	/* a folder is not a file */
	cr_assert_eq(cbench_history__open(&h, folder, &err), CBENCH_EUSAGE);
	cr_assert(strstr(err.text, "is a folder"), "%s", err.text);
	free(path);
	free(empty);
	free(folder);
	support_rmdir(dir);
}

/* ---- cbench history ---------------------------------------------------- */

/* A results file as the runner writes it, with this id, time and type. */
static void results_file(const char *path, const char *run_id, const char *started_at,
                         const char *run_type)
{
	json_t *doc;

	cr_assert_eq(sample_report(&cbench_reporter_json, sample_run(SAMPLE_FULL), path), 0);
	doc = support_load_json(path);
	json_object_set_new(doc, "run_id", json_string(run_id));
	json_object_set_new(doc, "started_at", json_string(started_at));
	json_object_set_new(doc, "run_type", run_type ? json_string(run_type) : json_null());
	cr_assert_eq(json_dump_file(doc, path, JSON_INDENT(1)), 0);
	json_decref(doc);
}

struct tool {
	char *dir, *db, *out, *err;
};

static int tool(struct tool *t, const char *const *args)
{
	char *argv[16];
	size_t n = 0;

	argv[n++] = (char *)support_program("../cbench");
	argv[n++] = "history";
	for (; *args; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	return support_run(argv, t->out, t->err);
}

static char *out_of(struct tool *t)
{
	char *s = support_slurp(t->out);

	cr_assert_not_null(s);
	return s;
}

static char *err_of(struct tool *t)
{
	char *s = support_slurp(t->err);

	cr_assert_not_null(s);
	return s;
}

HISTORY_TEST(tool_import_stats_runs_trend_export)
{
	struct db d = db_new(backend);
	struct tool t;
	char *a, *b, *bad, *weird, *csv, *s, *e, *iso;
	char stamp[32];

	t.dir = d.dir;
	/* SQLite: in a folder that does not exist yet */
	t.db = d.pg ? cbench__strdup(d.loc) : support_path(t.dir, "hist/perf.db");
	t.out = support_path(t.dir, "out.txt");
	t.err = support_path(t.dir, "err.txt");
	a = support_path(t.dir, "a.json");
	b = support_path(t.dir, "b.json");
	bad = support_path(t.dir, "bad.json");
	weird = support_path(t.dir, "weird.json");
	csv = support_path(t.dir, "export.csv");
	/* within trend's default 30 days of now */
	cbench__iso8601(stamp, (double)time(NULL) - 2 * DAY);
	results_file(a, "11111111-1111-4111-8111-111111111111", stamp, "nightly");
	cbench__iso8601(stamp, (double)time(NULL) - DAY);
	results_file(b, "22222222-2222-4222-8222-222222222222", stamp, NULL);
	write_file(bad, "{\"schema\": \"cbench-results/1\", \"benchmarks\": 3}",
	           strlen("{\"schema\": \"cbench-results/1\", \"benchmarks\": 3}"));

	/* nothing there yet: reading commands say so and create nothing */
	cr_assert_eq(tool(&t, (const char *[]){ "stats", "--db", t.db, NULL }), 2);
	e = err_of(&t);
	cr_assert(strstr(e, "no history database there"), "%s", e);
	free(e);
	cr_assert_not(db_exists(&d, t.db));

	/* a bad file among good ones: nothing recorded */
	cr_assert_eq(tool(&t, (const char *[]){ "import", "--db", t.db, a, bad, NULL }), 2);
	e = err_of(&t);
	cr_assert(strstr(e, "cbench history import: error: ") && strstr(e, bad), "%s", e);
	cr_assert_eq(strchr(e, '\n'), e + strlen(e) - 1, "one line: %s", e);
	free(e);
	cr_assert_not(db_exists(&d, t.db));
	/* a run type the history does not know: the same */
	results_file(weird, "33333333-3333-4333-8333-333333333333", stamp, "weekly");
	cr_assert_eq(tool(&t, (const char *[]){ "import", "--db", t.db, a, weird, NULL }), 2);
	e = err_of(&t);
	cr_assert(strstr(e, "run_type 'weekly' is not ci, nightly or manual"), "%s", e);
	free(e);
	cr_assert_not(db_exists(&d, t.db));

	cr_assert_eq(tool(&t, (const char *[]){ "import", "--db", t.db, a, b, a, NULL }), 0);
	s = out_of(&t);
	cr_assert_str_eq(s, "imported 2, already present 1\n");
	free(s);
	cr_assert_eq(tool(&t, (const char *[]){ "import", "--db", t.db, b, NULL }), 0);
	s = out_of(&t);
	cr_assert_str_eq(s, "imported 0, already present 1\n");
	free(s);

	cr_assert_eq(tool(&t, (const char *[]){ "stats", "--db", t.db, NULL }), 0);
	s = out_of(&t);
	cr_assert(strstr(s, "Total runs: 2\nPlatforms: 1\nDate range: "), "%s", s);
	cr_assert(strstr(s, "Metric rows: 18\n"), "%s", s);
	free(s);

	cr_assert_eq(tool(&t, (const char *[]){ "runs", "--db", t.db, "--limit", "1", NULL }), 0);
	s = out_of(&t);
	cr_assert(strncmp(s, "started_at ", 11) == 0, "%s", s);
	cr_assert(strstr(s, "regressions\n"), "%s", s);
	cr_assert(strstr(s, "GitHub_Actions_Linux  manual  standard  0123456-dirty  "
	                    "feature/introsort  9        2\n"), "%s", s);
	cr_assert_null(strstr(s, "nightly"), "--limit 1: %s", s);
	free(s);
	cr_assert_eq(tool(&t, (const char *[]){ "runs", "--db", t.db, "--platform", "None",
	                                        NULL }), 0);
	s = out_of(&t);
	cr_assert_str_eq(s, "(no runs of None)\n");
	free(s);

	cr_assert_eq(tool(&t, (const char *[]){ "trend", "sort_peak_memory", "--db", t.db, NULL }),
	             0);
	s = out_of(&t);
	cr_assert(strncmp(s, "time                  platform              value (MB)  commit\n",
	                  62) == 0, "%s", s);
	iso = strstr(s, "\n") + 1;
	cr_assert(strstr(iso, "  GitHub_Actions_Linux  64          0123456\n"), "%s", s);
	free(s);
	cr_assert_eq(tool(&t, (const char *[]){ "trend", "no_such_metric", "--db", t.db, NULL }), 1);
	e = err_of(&t);
	cr_assert(strstr(e, "no metric 'no_such_metric' was ever recorded"), "%s", e);
	free(e);
	cr_assert_eq(tool(&t, (const char *[]){ "trend", "sort_peak_memory", "--days", "0.5",
	                                        "--db", t.db, NULL }), 0);
	s = out_of(&t);
	cr_assert(strstr(s, "(no values of sort_peak_memory in the last 0.5 days)"), "%s", s);
	free(s);

	cr_assert_eq(tool(&t, (const char *[]){ "export", "--db", t.db, "--format", "csv",
	                                        "--output", csv, NULL }), 0);
	s = support_slurp(csv);
	cr_assert_not_null(s);
	cr_assert(strncmp(s, "run_id,started_at,", 18) == 0, "%s", s);
	cr_assert(strstr(s, "\r\n11111111-1111-4111-8111-111111111111,"), "%s", s);
	free(s);
	cr_assert_eq(tool(&t, (const char *[]){ "export", "--db", t.db, "--format", "json", NULL }),
	             0);
	{
		json_t *doc = support_load_json(t.out);

		cr_assert_eq(json_array_size(doc), 2);
		cr_assert_str_eq(json_string_value(json_object_get(json_array_get(doc, 0), "run_type")),
		                 "nightly");
		json_decref(doc);
	}

	/* PERFORMANCE_DB_PATH names the default database */
	{
		char *env[] = { NULL, NULL };
		char *argv[] = { (char *)support_program("../cbench"), "history", "stats", NULL };

		env[0] = cbench__asprintf("PERFORMANCE_DB_PATH=%s", t.db);
		cr_assert_eq(support_wait(support_spawn(argv, t.out, t.err, env)), 0);
		free(env[0]);
		s = out_of(&t);
		cr_assert(strstr(s, "Total runs: 2\n"), "%s", s);
		free(s);
	}

	free(a);
	free(b);
	free(bad);
	free(weird);
	free(csv);
	free(t.db);
	free(t.out);
	free(t.err);
	db_free(&d);
}

Test(history, tool_refuses_bad_use_with_2)
{
	struct tool t;
	char *notdb, *s;

	t.dir = support_tmpdir();
	t.db = support_path(t.dir, "h.db");
	t.out = support_path(t.dir, "out.txt");
	t.err = support_path(t.dir, "err.txt");
	notdb = support_path(t.dir, "notes.txt");
	write_file(notdb, "hello\n", 6);

	cr_assert_eq(tool(&t, (const char *[]){ "--help", NULL }), 0);
	s = out_of(&t);
	cr_assert(strstr(s, "usage: cbench history COMMAND") && strstr(s, "import"), "%s", s);
	free(s);
	{
		static const char *const cmds[] = { "stats", "runs", "trend", "export", "import" };

		for (size_t i = 0; i < 5; i++) {
			char want[64];

			cr_assert_eq(tool(&t, (const char *[]){ cmds[i], "--help", NULL }), 0);
			s = out_of(&t);
			snprintf(want, sizeof(want), "usage: cbench history %s", cmds[i]);
			cr_assert(strncmp(s, want, strlen(want)) == 0, "%s", s);
			free(s);
		}
	}
	cr_assert_eq(tool(&t, (const char *[]){ NULL }), 2);
	cr_assert_eq(tool(&t, (const char *[]){ "frobnicate", NULL }), 2);
	cr_assert_eq(tool(&t, (const char *[]){ "stats", "--bogus", NULL }), 2);
	s = err_of(&t);
	cr_assert(strstr(s, "cbench history stats: error: unknown option '--bogus'"), "%s", s);
	free(s);
	cr_assert_eq(tool(&t, (const char *[]){ "stats", "--limit", "3", NULL }), 2);
	cr_assert_eq(tool(&t, (const char *[]){ "runs", "--limit", "x", NULL }), 2);
	cr_assert_eq(tool(&t, (const char *[]){ "runs", "--db", NULL }), 2);
	cr_assert_eq(tool(&t, (const char *[]){ "trend", "--db", t.db, NULL }), 2);
	cr_assert_eq(tool(&t, (const char *[]){ "trend", "m", "--days", "-1", NULL }), 2);
	cr_assert_eq(tool(&t, (const char *[]){ "export", "--db", t.db, NULL }), 2);
	cr_assert_eq(tool(&t, (const char *[]){ "export", "--format", "xml", NULL }), 2);
	cr_assert_eq(tool(&t, (const char *[]){ "import", "--db", t.db, NULL }), 2);
	/* a file that is not a database: refused, untouched */
	cr_assert_eq(tool(&t, (const char *[]){ "stats", "--db", notdb, NULL }), 2);
	s = err_of(&t);
	cr_assert(strstr(s, "not a cbench history database (file is not a database)"), "%s", s);
	free(s);
	s = support_slurp(notdb);
	cr_assert_str_eq(s, "hello\n");
	free(s);
	free(notdb);
	free(t.db);
	free(t.out);
	free(t.err);
	support_rmdir(t.dir);
}

Test(history, records_the_environment_and_exports_it)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "env.db");
	struct fake *known = fake_new(1, 1, "Env", NOW, "env-known", 1.0);
	struct fake *unknown = fake_new(1, 1, "Env", NOW + 1, "env-unknown", 1.0);
	struct cbench_environment *e = &known->run.env;
	struct cbench_error err = { 0, "" };
	struct cbench_buf b = CBENCH_BUF_INIT(1 << 20);
	struct cbench_history *h;

	snprintf(known->run.platform.governor, sizeof(known->run.platform.governor), "powersave");
	*e = (struct cbench_environment){ .turbo = 1, .aslr = 2, .load_avg = 0.75, .optimized = 0,
	                                  .cpu = 1, .repetitions = 5, .seed = 123456789 };
	unknown->run.env = (struct cbench_environment){ .turbo = -1, .aslr = -1, .load_avg = -1,
	                                                .optimized = -1, .cpu = -1,
	                                                .repetitions = 1 };
	h = open_ok(path);
	record_ok(h, &known->run, NULL, true);
	record_ok(h, &unknown->run, NULL, true);
	cr_assert_eq(cbench_history__export(h, NULL, "json", &b, &err), 0, "%s",
	             err.text);
	cbench_history__close(h);
	cr_assert_eq(support_sql_int(path, "SELECT COUNT(*) FROM runs WHERE governor = 'powersave'"
	                           " AND turbo = 1 AND aslr = 2 AND load_avg = 0.75"
	                           " AND optimized = 0 AND pinned_cpu = 1 AND repetitions = 5"
	                           " AND seed = 123456789"), 1);
	cr_assert_eq(support_sql_int(path, "SELECT COUNT(*) FROM runs WHERE turbo IS NULL"
	                           " AND aslr IS NULL AND load_avg IS NULL AND optimized IS NULL"
	                           " AND pinned_cpu IS NULL AND repetitions = 1 AND seed IS NULL"),
	             1);
	cr_assert(strstr(b.data, "\"pinned_cpu\":1,") && strstr(b.data, "\"seed\":123456789,") &&
	          strstr(b.data, "\"turbo\":true,") && strstr(b.data, "\"pinned_cpu\":null,"),
	          "%s", b.data);
	cbench_buf__free(&b);
	fake_free(known);
	fake_free(unknown);
	free(path);
	support_rmdir(dir);
}

/* ---- PostgreSQL's own ---------------------------------------------------- */

/* Opening `url` fails with `code` and one line holding `want`. */
static void open_fails(const char *url, int code, const char *want)
{
	struct cbench_error err = { 0, "" };
	struct cbench_history *h = NULL;

	cr_assert_eq(cbench_history__open(&h, url, &err), code, "%s", err.text);
	cr_assert_null(h);
	cr_assert(strstr(err.text, want), "%s", err.text);
	cr_assert_null(strchr(err.text, '\n'), "one line: %s", err.text);
}

Test(history_pg, refuses_a_newer_database_and_leaves_it, .timeout = 60)
{
	char *url = pgtest_db(false), want[512];
	struct fake *f = fake_new(1, 1, "P", NOW, "r", 1.0);
	struct cbench_history *h = open_ok(url);

	record_ok(h, &f->run, NULL, true);
	cbench_history__close(h);
	pgtest_sql(url, "UPDATE cbench_meta SET value = '99' WHERE key = 'schema_version'");
	snprintf(want, sizeof(want), "%s: written by a newer cbench (schema 99, this cbench reads"
	         " up to 2)", url);
	open_fails(url, CBENCH_EUSAGE, want);
	cr_assert_eq(pgtest_int(url, "SELECT value::int FROM cbench_meta"
	                             " WHERE key = 'schema_version'"), 99);
	cr_assert_eq(pgtest_int(url, "SELECT count(*) FROM runs"), 1);
	fake_free(f);
	free(url);
}

Test(history_pg, refuses_a_database_of_another_application, .timeout = 60)
{
	char *url = pgtest_db(false);

	pgtest_sql(url, "CREATE TABLE runs (x integer); INSERT INTO runs VALUES (7)");
	open_fails(url, CBENCH_EUSAGE, "not a cbench history database (tables runs or metrics of"
	                               " another application)");
	cr_assert_eq(pgtest_int(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
	             1, "nothing created");
	free(url);
}

static int open_once(int w, const char *url)
{
	struct cbench_error err = { 0, "" };
	struct cbench_history *c;

	if (cbench_history__open(&c, url, &err)) {
		fprintf(stderr, "opener %d: %s\n", w, err.text);
		return 1;
	}
	cbench_history__close(c);
	return 0;
}

/* Four processes open a new database at the same moment: the advisory
 * lock lets one migrate, the others find it done; all open. */
Test(history_pg, openers_at_once_migrate_once, .timeout = 60)
{
	char *url = pgtest_db(false);

	at_once(4, open_once, url);
	cr_assert_eq(pgtest_int(url, "SELECT count(*) FROM cbench_meta"), 2);
	cr_assert_eq(pgtest_int(url, "SELECT value::int FROM cbench_meta"
	                             " WHERE key = 'schema_version'"), 2);
	free(url);
}

Test(history_pg, a_run_id_with_other_content_is_an_error, .timeout = 60)
{
	char *url = pgtest_db(false);
	struct fake *a = fake_new(2, 2, "P", NOW, "same-uuid", 1.0);
	struct fake *b = fake_new(2, 2, "Q", NOW - DAY, "same-uuid", 5.0);
	struct cbench_history *h = open_ok(url);
	struct cbench_error err = { 0, "" };
	bool is_new = true;

	record_ok(h, &a->run, "ci", true);
	record_ok(h, &a->run, "ci", false);
	cr_assert_eq(cbench_history__record(h, &b->run, "ci", &is_new, &err), CBENCH_EUSAGE);
	cr_assert_not(is_new);
	cr_assert(strstr(err.text, "run same-uuid is already recorded with other content"), "%s",
	          err.text);
	cr_assert_eq(stats_of(h).total_runs, 1);
	cr_assert_eq(stats_of(h).platforms, 1, "nothing of the refused run is kept");
	cbench_history__close(h);
	fake_free(a);
	fake_free(b);
	free(url);
}

Test(history_pg, a_refused_connection_is_one_clear_error, .timeout = 60)
{
	/* nothing listens on port 1 */
	open_fails("postgresql://cbench@127.0.0.1:1/cbench?connect_timeout=5", CBENCH_EIO,
	           "postgresql://cbench@127.0.0.1:1/cbench?connect_timeout=5: cannot connect: ");
	/* nor in a folder without a server */
	open_fails("postgresql://cbench@/cbench?host=/nonexistent-cbench", CBENCH_EIO,
	           "cannot connect: ");
}

Test(history_pg, a_wrong_password_is_one_clear_error_without_it, .timeout = 60)
{
	char *good = pgtest_db(true), *bad;
	const char *at = strchr(good, '@');
	struct cbench_error err = { 0, "" };
	struct cbench_history *h = NULL;

	bad = cbench__asprintf("postgresql://" PGSERVER_PASSWORD_USER ":Wr0ng-Secret-QQQ%s", at);
	cr_assert_eq(cbench_history__open(&h, bad, &err), CBENCH_EIO);
	cr_assert_null(h);
	cr_assert(strstr(err.text, "password authentication failed"), "%s", err.text);
	cr_assert(strstr(err.text, "postgresql://" PGSERVER_PASSWORD_USER ":***@"), "%s", err.text);
	cr_assert_null(strstr(err.text, "Wr0ng-Secret"), "%s", err.text);
	/* the right one opens */
	h = open_ok(good);
	cr_assert(strstr(cbench_history__location(h), ":***@"), "%s", cbench_history__location(h));
	cr_assert_null(strstr(cbench_history__location(h), pgserver_password));
	cbench_history__close(h);
	free(bad);
	free(good);
}

Test(history_pg, urls_are_shown_without_their_password)
{
	static const char *const cases[][2] = {
		{ "postgresql://u:s3cret@db.example:5432/h?sslmode=require",
		  "postgresql://u:***@db.example:5432/h?sslmode=require" },
		{ "postgres://u@db/h?password=s3cret&sslmode=require",
		  "postgres://u@db/h?password=***&sslmode=require" },
		{ "postgresql://u:p%40ss@h/db", "postgresql://u:***@h/db" },
		{ "postgresql://h/db", "postgresql://h/db" },
		{ "postgresql:", "postgresql:" },
		{ "benchmarks/history/performance.db", "benchmarks/history/performance.db" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *shown = cbench_history__mask(cases[i][0]);

		cr_assert_str_eq(shown, cases[i][1]);
		free(shown);
	}
}

/* SQLite file -> PostgreSQL -> another SQLite file: the same runs, to the
 * byte in the export. */
Test(history_pg, import_copies_runs_both_ways, .timeout = 120)
{
	struct tool t;
	char *url = pgtest_db(false), *a, *b, *back, *s, *e1, *e2, *e3;
	char stamp[32];

	t.dir = support_tmpdir();
	t.db = support_path(t.dir, "local.db");
	t.out = support_path(t.dir, "out.txt");
	t.err = support_path(t.dir, "err.txt");
	a = support_path(t.dir, "a.json");
	b = support_path(t.dir, "b.json");
	back = support_path(t.dir, "back.db");
	cbench__iso8601(stamp, (double)time(NULL) - 2 * DAY);
	results_file(a, "aaaaaaaa-1111-4111-8111-111111111111", stamp, "nightly");
	cbench__iso8601(stamp, (double)time(NULL) - DAY);
	results_file(b, "bbbbbbbb-2222-4222-8222-222222222222", stamp, "ci");
	cr_assert_eq(tool(&t, (const char *[]){ "import", "--db", t.db, a, b, NULL }), 0);

	cr_assert_eq(tool(&t, (const char *[]){ "import", "--from", t.db, "--db", url, NULL }), 0);
	s = out_of(&t);
	cr_assert_str_eq(s, "imported 2, already present 0\n");
	free(s);
	cr_assert_eq(tool(&t, (const char *[]){ "import", "--from", t.db, "--db", url, NULL }), 0);
	s = out_of(&t);
	cr_assert_str_eq(s, "imported 0, already present 2\n");
	free(s);
	cr_assert_eq(tool(&t, (const char *[]){ "import", "--from", url, "--db", back, NULL }), 0);
	s = out_of(&t);
	cr_assert_str_eq(s, "imported 2, already present 0\n");
	free(s);

	cr_assert_eq(tool(&t, (const char *[]){ "export", "--db", t.db, "--format", "json", NULL }),
	             0);
	e1 = out_of(&t);
	cr_assert_eq(tool(&t, (const char *[]){ "export", "--db", url, "--format", "json", NULL }), 0);
	e2 = out_of(&t);
	cr_assert_eq(tool(&t, (const char *[]){ "export", "--db", back, "--format", "json", NULL }),
	             0);
	e3 = out_of(&t);
	cr_assert(support_count(e1, "\"run_id\"") == 2, "%s", e1);
	cr_assert_str_eq(e2, e1);
	cr_assert_str_eq(e3, e1);
	/* a source that is not there: said, nothing made */
	cr_assert_eq(tool(&t, (const char *[]){ "import", "--from", "nowhere.db", "--db", url,
	                                        NULL }), 2);
	cr_assert_eq(tool(&t, (const char *[]){ "import", "--from", t.db, a, NULL }), 2);
	free(e1);
	free(e2);
	free(e3);
	free(a);
	free(b);
	free(back);
	free(url);
	free(t.db);
	free(t.out);
	free(t.err);
	support_rmdir(t.dir);
}

/* Two processes import the same 100 results files at once: 100 runs. */
Test(history_pg, two_importers_of_the_same_files_make_one_copy, .timeout = 120)
{
	char *url = pgtest_db(false), *dir = support_tmpdir(), *files[100], *argv[106];
	char *out[2], *err[2];
	size_t imported = 0;
	pid_t pid[2];

	for (int i = 0; i < 100; i++) {
		char name[32], id[40], stamp[32];

		snprintf(name, sizeof(name), "r%03d.json", i);
		snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012d", i);
		cbench__iso8601(stamp, NOW - (double)i * 3600);
		files[i] = support_path(dir, name);
		results_file(files[i], id, stamp, "ci");
	}
	argv[0] = (char *)support_program("../cbench");
	argv[1] = "history";
	argv[2] = "import";
	argv[3] = "--db";
	argv[4] = url;
	memcpy(argv + 5, files, sizeof(files));
	argv[105] = NULL;
	for (int w = 0; w < 2; w++) {
		out[w] = support_path(dir, w ? "out1" : "out0");
		err[w] = support_path(dir, w ? "err1" : "err0");
		pid[w] = support_spawn(argv, out[w], err[w], NULL);
	}
	for (int w = 0; w < 2; w++) {
		char *s, *e;
		size_t added, present;

		cr_assert_eq(support_wait(pid[w]), 0, "importer %d", w);
		s = support_slurp(out[w]);
		e = support_slurp(err[w]);
		cr_assert_str_eq(e, "", "importer %d: %s", w, e);
		cr_assert_eq(sscanf(s, "imported %zu, already present %zu", &added, &present), 2, "%s",
		             s);
		cr_assert_eq(added + present, 100);
		imported += added;
		free(s);
		free(e);
		free(out[w]);
		free(err[w]);
	}
	cr_assert_eq(imported, 100);
	cr_assert_eq(pgtest_int(url, "SELECT count(*) FROM runs"), 100);
	cr_assert_eq(pgtest_int(url, "SELECT count(*) FROM metrics"), 900);
	for (int i = 0; i < 100; i++)
		free(files[i]);
	free(url);
	support_rmdir(dir);
}

/* Every file in `dir` and every output: no password anywhere. */
static void no_password_in(const char *dir, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *path = support_path(dir, names[i]), *s = support_slurp(path);

		cr_assert_not_null(s, "%s", path);
		cr_assert_null(strstr(s, pgserver_password), "the password is in %s: %s", names[i], s);
		free(s);
		free(path);
	}
}

/* The password of a URL in --db or PERFORMANCE_DB_PATH: in no output of
 * the runner or of cbench, in no report, in no error. */
Test(history_pg, a_password_is_never_shown, .timeout = 120)
{
	static const char *const files[] = { "out.txt", "err.txt", "r.json", "r.md", "export.csv",
	                                     "dash.html" };
	struct tool t;
	char *url = pgtest_db(true), *json, *md, *csv, *html, *s, *env[2];

	t.dir = support_tmpdir();
	t.out = support_path(t.dir, "out.txt");
	t.err = support_path(t.dir, "err.txt");
	json = support_path(t.dir, "r.json");
	md = support_path(t.dir, "r.md");
	csv = support_path(t.dir, "export.csv");
	html = support_path(t.dir, "dash.html");
	{
		char *argv[] = { (char *)support_program("fixture_bench"), "-k", "ok.fast", "--record",
		                 "--db", url, "--json", json, "--markdown", md, NULL };

		cr_assert_eq(support_run(argv, t.out, t.err), 0, "%s", err_of(&t));
		s = out_of(&t);
		cr_assert(strstr(s, "in postgresql://" PGSERVER_PASSWORD_USER ":***@"), "%s", s);
		free(s);
		no_password_in(t.dir, files, 3);
	}
	cr_assert_eq(tool(&t, (const char *[]){ "stats", "--db", url, NULL }), 0);
	s = out_of(&t);
	cr_assert(strstr(s, "Database: postgresql://" PGSERVER_PASSWORD_USER ":***@"), "%s", s);
	cr_assert(strstr(s, "Total runs: 1\n"), "%s", s);
	free(s);
	no_password_in(t.dir, files, 2);
	cr_assert_eq(tool(&t, (const char *[]){ "trend", "nothing_like_it", "--db", url, NULL }), 1);
	no_password_in(t.dir, files, 2);
	cr_assert_eq(tool(&t, (const char *[]){ "export", "--db", url, "--format", "csv",
	                                        "--output", csv, NULL }), 0);
	no_password_in(t.dir, files, 5);
	{
		char *argv[] = { (char *)support_program("../cbench"), "dashboard", "--output", html,
		                 NULL };

		env[0] = cbench__asprintf("PERFORMANCE_DB_PATH=%s", url);
		env[1] = NULL;
		cr_assert_eq(support_wait(support_spawn(argv, t.out, t.err, env)), 0);
		free(env[0]);
		no_password_in(t.dir, files, 6);
	}
	{
		/* a wrong password: refused, and not shown either */
		char *wrong = cbench__asprintf("postgresql://" PGSERVER_PASSWORD_USER ":%sX%s",
		                               pgserver_password, strchr(url, '@'));

		cr_assert_eq(tool(&t, (const char *[]){ "stats", "--db", wrong, NULL }), 2);
		s = err_of(&t);
		cr_assert(strstr(s, "password authentication failed"), "%s", s);
		free(s);
		no_password_in(t.dir, files, 6);
		free(wrong);
	}
	free(json);
	free(md);
	free(csv);
	free(html);
	free(url);
	free(t.out);
	free(t.err);
	support_rmdir(t.dir);
}

static struct pgserver *private_server;

static void stop_private_server(void)
{
	pgserver_stop(private_server);
	private_server = NULL;
}

/* The server dies while benchmarks run: the reports are still written,
 * the run says recording failed (exit 2), and nothing is half-written. */
Test(history_pg, a_server_killed_mid_run, .timeout = 120, .fini = stop_private_server)
{
	char why[512], *url, *dir = support_tmpdir(), *json, *out, *err, *s;
	struct pgserver *srv = private_server = pgserver_start(NULL, why, sizeof(why));
	char *argv[] = { (char *)support_program("fixture_bench"), "-k", "bad.hangs", "--record",
	                 "--db", NULL, "--json", NULL, NULL };
	pid_t pid;
	bool connected = false;

	if (!srv) {
		support_rmdir(dir);
		cr_skip_test("no PostgreSQL server: %s", why);
	}
	url = pgserver_newdb(srv, false);
	cr_assert_not_null(url);
	json = support_path(dir, "r.json");
	out = support_path(dir, "out.txt");
	err = support_path(dir, "err.txt");
	argv[5] = url;
	argv[7] = json;
	pid = support_spawn(argv, out, err, NULL);
	/* the runner connects (and creates the schema) before running */
	for (int i = 0; i < 1000 && !connected; i++) {
		struct timespec ms = { 0, 5000000 };

		/* connected, the schema made, and idle: open() is over */
		connected = pgtest_int(url, "SELECT count(*) FROM pg_stat_activity"
		                            " WHERE application_name = 'cbench' AND state = 'idle'"
		                            " AND EXISTS (SELECT 1 FROM pg_tables"
		                            " WHERE tablename = 'metrics')") > 0;
		if (!connected)
			nanosleep(&ms, NULL);
	}
	cr_assert(connected, "the runner never connected");
	pgserver_kill(srv);
	cr_assert_eq(support_wait(pid), 2);
	cr_assert(support_exists(json), "the report was not written");
	s = support_slurp(err);
	cr_assert(strstr(s, "error: postgresql://cbench@/") && strstr(s, "record a run"), "%s", s);
	cr_assert_eq(support_count(s, "error:"), 1, "one error: %s", s);
	free(s);
	free(url);
	free(json);
	free(out);
	free(err);
	support_rmdir(dir);
}

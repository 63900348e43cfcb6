/*
 * The run history on real SQLite files in temporary folders: what is
 * recorded reads back (stats, runs, trend, last runs, export), a run is
 * recorded whole or not at all (a failing insert, a writer killed midway),
 * two writers at once both land, old files are migrated, and files that
 * are not ours, or are newer, are refused and left as they were. Then the
 * `cbench history` commands themselves.
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
static void sql(const char *path, const char *text)
{
	sqlite3 *db;
	char *msg = NULL;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, text, NULL, NULL, &msg), SQLITE_OK, "%s: %s", text,
	             msg ? msg : "");
	sqlite3_close(db);
}

static long long sql_int(const char *path, const char *query)
{
	sqlite3_stmt *st;
	long long v;
	sqlite3 *db;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, query, -1, &st, NULL), SQLITE_OK, "%s: %s", query,
	             sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", query);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static char *bytes_of(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

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
	char *before = bytes_of(path, &before_len), *after, *side;

	cr_assert_eq(cbench_history__open(&h, path, &err), CBENCH_EUSAGE, "opened %s", path);
	cr_assert_null(h);
	cr_assert_str_eq(err.text, want);
	after = bytes_of(path, &after_len);
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

/* ---- Recording and reading back ---------------------------------------- */

Test(history, records_and_reads_back)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "h.db");
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
	free(path);
	support_rmdir(dir);
}

Test(history, a_run_recorded_twice_is_one_run)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "h.db");
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
	free(path);
	support_rmdir(dir);
}

Test(history, run_types)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "h.db");
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
	free(path);
	support_rmdir(dir);
}

Test(history, a_run_without_a_time_is_refused)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "h.db");
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
	free(path);
	support_rmdir(dir);
}

Test(history, trend_window_platform_and_missing_values)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "h.db");
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
	free(path);
	support_rmdir(dir);
}

Test(history, last_runs_of_a_platform)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "h.db");
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
	free(path);
	support_rmdir(dir);
}

/* ---- Export ------------------------------------------------------------ */

Test(history, export_json)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "h.db");
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
	free(path);
	support_rmdir(dir);
}

Test(history, export_json_of_hostile_text_is_json)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "h.db");
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
	free(path);
	support_rmdir(dir);
}

Test(history, export_csv_quotes_fields)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "h.db");
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
	free(path);
	support_rmdir(dir);
}

/* ---- All or nothing ---------------------------------------------------- */

Test(history, a_failed_record_leaves_no_run)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "h.db");
	struct fake *f = fake_new(3, 3, "P", NOW, "doomed", 1.0);
	struct cbench_error err = { 0, "" };
	struct cbench_history *h = open_ok(path);
	bool is_new = true;

	cbench_history__close(h);
	/* the fifth metric of the run cannot be inserted */
	sql(path, "CREATE TRIGGER boom BEFORE INSERT ON metrics WHEN NEW.name = 'bench1.m1'"
	          " BEGIN SELECT RAISE(ABORT, 'boom'); END;");
	h = open_ok(path);
	cr_assert_eq(cbench_history__record(h, &f->run, NULL, &is_new, &err), CBENCH_EIO);
	cr_assert_not(is_new);
	cr_assert(strstr(err.text, path) && strstr(err.text, "bench1.m1") && strstr(err.text, "boom"),
	          "%s", err.text);
	cr_assert_eq(stats_of(h).total_runs, 0);
	cr_assert_eq(stats_of(h).metrics, 0);
	/* the handle is still good: the same run, without the metric */
	f->metrics[4].name = "bench1.other";
	record_ok(h, &f->run, NULL, true);
	cr_assert_eq(stats_of(h).metrics, 9);
	cbench_history__close(h);
	fake_free(f);
	free(path);
	support_rmdir(dir);
}

static off_t size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : 0;
}

Test(history, a_killed_writer_leaves_all_or_nothing, .timeout = 60)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "h.db");
	char *wal = support_path(dir, "h.db-wal");
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
	/* Kill it once the transaction has spilled a few MB of its pages into
	 * the WAL, i.e. midway (the whole run is about 60 MB); give up waiting
	 * after 20 s. */
	for (int i = 0; i < 20000 && size_of(wal) < (4 << 20); i++) {
		struct timespec ms = { 0, 1000000 };

		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		nanosleep(&ms, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	h = open_ok(path);
	s = stats_of(h);
	cr_assert((s.total_runs == 0 && s.metrics == 0) || (s.total_runs == 1 && s.metrics == 200001),
	          "%lld runs with %lld metrics", (long long)s.total_runs, (long long)s.metrics);
	if (s.total_runs == 0)
		cr_log_info("killed midway: nothing recorded");
	cr_assert_eq(sql_int(path, "SELECT COUNT(*) FROM runs WHERE nmetrics !="
	                           " (SELECT COUNT(*) FROM metrics WHERE run = runs.id)"), 0);
	/* and the file takes the next run */
	{
		struct fake *f = fake_new(1, 1, "P", NOW, "after", 1.0);

		record_ok(h, &f->run, NULL, true);
		fake_free(f);
	}
	cbench_history__close(h);
	sample_big_free(big);
	free(wal);
	free(path);
	support_rmdir(dir);
}

Test(history, two_writers_at_once_both_land, .timeout = 60)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "h.db");
	struct cbench_history *h = open_ok(path);
	struct cbench_history_stats s;
	int gate[2];
	pid_t pid[2];

	cbench_history__close(h);
	cr_assert_eq(pipe(gate), 0);
	for (int w = 0; w < 2; w++) {
		pid[w] = fork();
		cr_assert_neq(pid[w], -1);
		if (pid[w] == 0) {
			struct cbench_error err = { 0, "" };
			struct cbench_history *c;
			char byte;

			close(gate[1]);
			/* both start when the parent closes the gate */
			if (read(gate[0], &byte, 1) != 0)
				_exit(3);
			if (cbench_history__open(&c, path, &err)) {
				fprintf(stderr, "writer %d: %s\n", w, err.text);
				_exit(1);
			}
			for (int i = 0; i < 50; i++) {
				char id[32];
				struct fake *f;
				bool is_new = false;

				snprintf(id, sizeof(id), "writer%d-run%d", w, i);
				f = fake_new(20, 20, w ? "W1" : "W0", NOW + i, id, (double)i);
				if (cbench_history__record(c, &f->run, "ci", &is_new, &err) || !is_new) {
					fprintf(stderr, "writer %d: %s\n", w, err.text);
					_exit(2);
				}
				fake_free(f);
			}
			cbench_history__close(c);
			_exit(0);
		}
	}
	close(gate[0]);
	close(gate[1]);
	cr_assert_eq(support_wait(pid[0]), 0);
	cr_assert_eq(support_wait(pid[1]), 0);
	h = open_ok(path);
	s = stats_of(h);
	cr_assert_eq(s.total_runs, 100);
	cr_assert_eq(s.platforms, 2);
	cr_assert_eq(s.metrics, 100 * 400);
	cbench_history__close(h);
	free(path);
	support_rmdir(dir);
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
	sql(path, schema_v1);
	h = open_ok(path);
	cr_assert_eq(sql_int(path, "PRAGMA user_version"), 3);
	cr_assert_eq(sql_int(path, "SELECT COUNT(*) FROM pragma_table_info('runs')"
	                           " WHERE name = 'cflags'"), 1);
	cr_assert_eq(stats_of(h).total_runs, 1);
	cr_assert_eq(cbench_history__trend(h, "old.metric", NULL, 30, NOW, &p, &n, &err), 0);
	cr_assert_eq(n, 1);
	cr_assert_float_eq(p[0].value, 4.5, 1e-12);
	free(p);
	snprintf(f->run.platform.cflags, sizeof(f->run.platform.cflags), "-O2 -g");
	record_ok(h, &f->run, NULL, true);
	cbench_history__close(h);
	cr_assert_eq(sql_int(path, "SELECT COUNT(*) FROM runs WHERE cflags = '-O2 -g'"), 1);
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
	sql(path, schema_v1);
	sql(path, "ALTER TABLE runs ADD COLUMN cflags TEXT;"
	          "CREATE TABLE side (x); INSERT INTO side VALUES (1);");
	cr_assert_eq(cbench_history__open(&h, path, &err), CBENCH_EIO);
	cr_assert_null(h);
	cr_assert(strstr(err.text, "updating the schema to version 2") &&
	          strstr(err.text, "duplicate column name: cflags"), "%s", err.text);
	cr_assert_eq(sql_int(path, "PRAGMA user_version"), 1);
	cr_assert_eq(sql_int(path, "SELECT COUNT(*) FROM runs"), 1);
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
	sql(path, "PRAGMA user_version = 99");
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
	sql(other, "CREATE TABLE todo (task TEXT); INSERT INTO todo VALUES ('x');");
	sql(meta, "CREATE TABLE cbench_meta (key TEXT, value TEXT);"
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
	cr_assert_eq(sql_int(path, "SELECT COUNT(*) FROM cbench_meta WHERE key = 'application'"
	                           " AND value = 'cbench'"), 1);
	cr_assert_eq(sql_int(path, "PRAGMA user_version"), 3);
	/* a zero-byte file (mktemp's) is an empty database: made ours */
	write_file(empty, "", 0);
	h = open_ok(empty);
	cbench_history__close(h);
	cr_assert_eq(sql_int(empty, "PRAGMA user_version"), 3);
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

Test(history, tool_import_stats_runs_trend_export, .timeout = 60)
{
	struct tool t;
	char *a, *b, *bad, *weird, *csv, *s, *e, *iso;
	char stamp[32];

	t.dir = support_tmpdir();
	t.db = support_path(t.dir, "hist/perf.db");
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
	cr_assert_not(support_exists(t.db));

	/* a bad file among good ones: nothing recorded */
	cr_assert_eq(tool(&t, (const char *[]){ "import", "--db", t.db, a, bad, NULL }), 2);
	e = err_of(&t);
	cr_assert(strstr(e, "cbench history import: error: ") && strstr(e, bad), "%s", e);
	cr_assert_eq(strchr(e, '\n'), e + strlen(e) - 1, "one line: %s", e);
	free(e);
	cr_assert_not(support_exists(t.db));
	/* a run type the history does not know: the same */
	results_file(weird, "33333333-3333-4333-8333-333333333333", stamp, "weekly");
	cr_assert_eq(tool(&t, (const char *[]){ "import", "--db", t.db, a, weird, NULL }), 2);
	e = err_of(&t);
	cr_assert(strstr(e, "run_type 'weekly' is not ci, nightly or manual"), "%s", e);
	free(e);
	cr_assert_not(support_exists(t.db));

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
	support_rmdir(t.dir);
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
	cr_assert_eq(sql_int(path, "SELECT COUNT(*) FROM runs WHERE governor = 'powersave'"
	                           " AND turbo = 1 AND aslr = 2 AND load_avg = 0.75"
	                           " AND optimized = 0 AND pinned_cpu = 1 AND repetitions = 5"
	                           " AND seed = 123456789"), 1);
	cr_assert_eq(sql_int(path, "SELECT COUNT(*) FROM runs WHERE turbo IS NULL"
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

/*
 * The run history in SQLite (docs/history.md). One file holds every
 * recorded run and its metrics; the schema carries its version in PRAGMA
 * user_version and a cbench_meta table that tells our files from any other
 * SQLite database. Every SQL statement of cbench lives in this file, so a
 * PostgreSQL backend can be written beside it against history.h alone.
 */
#include "history/history.h"

#include <assert.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "app/cli.h"
#include "base/error.h"
#include "reporters/escape.h"
#include "env/platform.h"
#include "measure/runner.h"
#include "base/util.h"

struct cbench_history {
	sqlite3 *db;
	char *path;
	/* Prepared on the first record and kept: a run of 10,000 metrics
	 * binds the same statement 10,000 times instead of compiling it. */
	sqlite3_stmt *insert_run;
	sqlite3_stmt *insert_metric;
};

/*
 * Migrations, oldest first: migrations[i] takes a database from version
 * i to version i + 1, and the last one's version is what this build
 * writes. They run in one transaction on open, so a file is at one
 * version or the next, never between. Never edit a step once released:
 * append one.
 */
struct migration {
	int version;
	const char *sql;
};

static const struct migration migrations[] = {
	{ 1,
	  "CREATE TABLE cbench_meta (\n"
	  "	key TEXT PRIMARY KEY,\n"
	  "	value TEXT NOT NULL\n"
	  ");\n"
	  "INSERT INTO cbench_meta (key, value) VALUES ('application', 'cbench');\n"
	  "CREATE TABLE runs (\n"
	  "	id INTEGER PRIMARY KEY,\n"
	  "	run_id TEXT UNIQUE NOT NULL,\n"
	  "	started_at TEXT NOT NULL,\n"
	  "	t REAL NOT NULL,\n"
	  "	platform TEXT NOT NULL,\n"
	  "	platform_json TEXT,\n"
	  "	run_type TEXT NOT NULL,\n"
	  "	mode TEXT,\n"
	  "	clock TEXT,\n"
	  "	commit_id TEXT,\n"
	  "	short_commit TEXT,\n"
	  "	branch TEXT,\n"
	  "	dirty INTEGER,\n"
	  "	commit_time INTEGER,\n"
	  "	subject TEXT,\n"
	  "	hostname TEXT,\n"
	  "	compiler TEXT,\n"
	  "	cbench_version TEXT,\n"
	  "	duration REAL,\n"
	  "	interrupted TEXT,\n"
	  "	selected INTEGER,\n"
	  "	nmetrics INTEGER NOT NULL DEFAULT 0,\n"
	  "	regressions INTEGER NOT NULL DEFAULT 0,\n"
	  "	improvements INTEGER,\n"
	  "	targets_missed INTEGER,\n"
	  "	compare_stat TEXT,\n"
	  "	threshold REAL,\n"
	  "	recorded_at TEXT\n"
	  ");\n"
	  "CREATE INDEX runs_platform_t ON runs (platform, t);\n"
	  "CREATE TABLE metrics (\n"
	  "	run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,\n"
	  "	benchmark TEXT NOT NULL,\n"
	  "	name TEXT NOT NULL,\n"
	  "	value REAL,\n"
	  "	unit TEXT,\n"
	  "	direction TEXT,\n"
	  "	timing INTEGER,\n"
	  "	bench_status TEXT,\n"
	  "	n INTEGER,\n"
	  "	min REAL,\n"
	  "	max REAL,\n"
	  "	mean REAL,\n"
	  "	median REAL,\n"
	  "	stddev REAL,\n"
	  "	iqr REAL,\n"
	  "	p95 REAL,\n"
	  "	p99 REAL,\n"
	  "	ci_low REAL,\n"
	  "	ci_high REAL,\n"
	  "	status TEXT,\n"
	  "	baseline REAL,\n"
	  "	change REAL,\n"
	  "	threshold REAL,\n"
	  "	t REAL NOT NULL\n"
	  ");\n"
	  /* (name, t) finds a trend; the other columns are what trend
	   * reads, so it never visits the table: one metric's rows are
	   * one per run, each on a page of its own there. */
	  "CREATE INDEX metrics_name_t ON metrics (name, t, value, run, unit, direction,"
	  " baseline, threshold);\n"
	  "CREATE INDEX metrics_run ON metrics (run);\n" },
	/* The build flags, so a trend that jumps can be told apart from a
	 * -O2 that became -O0. */
	{ 2, "ALTER TABLE runs ADD COLUMN cflags TEXT;\n" },
};

#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

const char *cbench_history__default_path(void)
{
	const char *env = getenv("PERFORMANCE_DB_PATH");

	return env && *env ? env : CBENCH_DEFAULT_DB;
}

int cbench_history__schema_version(void)
{
	return migrations[NMIGRATIONS - 1].version;
}

/* ---- Errors ------------------------------------------------------------ */

/* SQLite's message, translated once, here, naming the file. */
static int db_error(struct cbench_history *h, struct cbench_error *err, const char *what)
{
	int code = sqlite3_errcode(h->db);

	return cbench_error__set(err, code == SQLITE_NOMEM ? CBENCH_ENOMEM : CBENCH_EIO,
	                         "%s: %s: %s", h->path, what, sqlite3_errmsg(h->db));
}

static int no_memory(struct cbench_error *err)
{
	return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
}

static int exec(struct cbench_history *h, const char *sql, const char *what,
                struct cbench_error *err)
{
	if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(h, err, what);
	return 0;
}

static int prepare(struct cbench_history *h, const char *sql, sqlite3_stmt **out,
                   struct cbench_error *err)
{
	if (sqlite3_prepare_v2(h->db, sql, -1, out, NULL) != SQLITE_OK) {
		*out = NULL;
		return db_error(h, err, "preparing a query");
	}
	return 0;
}

/* Ends a failed write transaction. Nothing to report if it fails too: a
 * transaction that cannot be committed is rolled back by SQLite anyway. */
static void rollback(struct cbench_history *h)
{
	if (!sqlite3_get_autocommit(h->db))
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- Opening: recognise, then migrate ---------------------------------- */

enum content { CONTENT_EMPTY, CONTENT_CBENCH, CONTENT_FOREIGN };

/*
 * What the file holds, found by reading only: its schema version, and
 * whether it is empty, ours or someone else's. A file that is not SQLite
 * at all fails right here, in prepare, with SQLITE_NOTADB.
 */
static int inspect(struct cbench_history *h, int *version, enum content *content,
                   const char **why, struct cbench_error *err)
{
	static const char sql[] =
		"SELECT (SELECT user_version FROM pragma_user_version),"
		" (SELECT COUNT(*) FROM sqlite_master),"
		" (SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'cbench_meta')";
	sqlite3_stmt *st = NULL;
	int64_t objects = 0;
	bool meta = false;
	int rc;

	*why = NULL;
	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = sqlite3_errcode(h->db);
		sqlite3_finalize(st);
		if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
			*content = CONTENT_FOREIGN;
			*why = sqlite3_errmsg(h->db);
			return 0;
		}
		return db_error(h, err, "reading the schema");
	}
	*version = sqlite3_column_int(st, 0);
	objects = sqlite3_column_int64(st, 1);
	meta = sqlite3_column_int64(st, 2) > 0;
	sqlite3_finalize(st);
	if (objects == 0 && *version == 0) {
		*content = CONTENT_EMPTY;
		return 0;
	}
	*content = CONTENT_FOREIGN;
	*why = "a SQLite database of another application";
	if (!meta)
		return 0;
	if ((rc = prepare(h, "SELECT value FROM cbench_meta WHERE key = 'application'", &st, err)))
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "cbench") == 0)
		*content = CONTENT_CBENCH;
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		*why = sqlite3_errmsg(h->db);
	sqlite3_finalize(st);
	if (*content == CONTENT_CBENCH && *version < 1) {
		/* Migrations set the version in the transaction that creates
		 * cbench_meta: a file with one and not the other was made by
		 * hand. */
		*content = CONTENT_FOREIGN;
		*why = "no schema version";
	}
	return 0;
}

/* Why a file is refused, or 0 when it can be used (or initialised). */
static int judge(struct cbench_history *h, int version, enum content content,
                 const char *why, struct cbench_error *err)
{
	int latest = cbench_history__schema_version();

	if (content == CONTENT_FOREIGN)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "%s: not a cbench history database (%s)", h->path, why);
	if (content == CONTENT_CBENCH && version > latest)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "%s: written by a newer cbench (schema %d, this cbench "
		                         "reads up to %d)", h->path, version, latest);
	return 0;
}

/*
 * Brings the file to this build's schema. BEGIN IMMEDIATE takes the write
 * lock first and the file is inspected again inside it: two processes
 * opening a new file at once both see it empty before, and the second
 * finds it already made once it has the lock.
 */
static int migrate(struct cbench_history *h, struct cbench_error *err)
{
	int version = 0, latest = cbench_history__schema_version(), rc;
	enum content content;
	const char *why;
	char sql[64];

	if ((rc = exec(h, "BEGIN IMMEDIATE", "starting the schema update", err)))
		return rc;
	if ((rc = inspect(h, &version, &content, &why, err)) ||
	    (rc = judge(h, version, content, why, err)))
		goto out;
	if (content == CONTENT_CBENCH && version == latest)
		goto out;       /* another process got there first */
	for (size_t i = 0; i < NMIGRATIONS; i++) {
		char what[64];

		assert(migrations[i].version == (int)i + 1);
		if (migrations[i].version <= version)
			continue;
		snprintf(what, sizeof(what), "updating the schema to version %d",
		         migrations[i].version);
		if ((rc = exec(h, migrations[i].sql, what, err)))
			goto out;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", latest);
	if ((rc = exec(h, sql, "setting the schema version", err)) ||
	    (rc = exec(h, "COMMIT", "committing the schema update", err)))
		goto out;
	return 0;
out:
	rollback(h);
	return rc;
}

/*
 * Creates the folders above `path` that are missing, like mkdir -p: a
 * fresh checkout has no benchmarks/history/ yet.
 */
static int make_parents(const char *path, struct cbench_error *err)
{
	char *dir = cbench__strdup(path);
	int rc = 0;

	if (!dir)
		return no_memory(err);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
			rc = cbench_error__set(err, CBENCH_EIO, "%s: cannot create the folder %s: %s",
			                       path, dir, strerror(errno));
			break;
		}
		*p = '/';
	}
	free(dir);
	return rc;
}

int cbench_history__open(struct cbench_history **out, const char *path,
                         struct cbench_error *err)
{
	int flags = SQLITE_OPEN_READWRITE, version = 0, rc;
	struct cbench_history *h;
	enum content content;
	const char *why;
	struct stat st;

	assert(out && path);
	*out = NULL;
	if (!path[0])
		return cbench_error__set(err, CBENCH_EUSAGE, "the history database path is empty");
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return cbench_error__set(err, CBENCH_EUSAGE,
			                         "%s: is a folder, not a history database", path);
	} else if (errno == ENOENT) {
		/* Only a file that does not exist is created: an existing
		 * one is opened without SQLITE_OPEN_CREATE and judged before
		 * anything is written to it. */
		if ((rc = make_parents(path, err)))
			return rc;
		flags |= SQLITE_OPEN_CREATE;
	} else {
		return cbench_error__errno(err, path);
	}
	h = calloc(1, sizeof(*h));
	if (!h || !(h->path = cbench__strdup(path))) {
		free(h);
		return no_memory(err);
	}
	if (sqlite3_open_v2(path, &h->db, flags, NULL) != SQLITE_OK) {
		rc = h->db ? db_error(h, err, "cannot open")
		           : cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
		goto fail;
	}
	/* Another process recording holds the write lock for the length of
	 * one transaction: wait for it rather than fail with "database is
	 * locked". */
	sqlite3_busy_timeout(h->db, 10000);
	if ((rc = inspect(h, &version, &content, &why, err)) ||
	    (rc = judge(h, version, content, why, err)))
		goto fail;
	/* Accepted: from here on the file may be written. WAL lets readers
	 * go on while a run is recorded; synchronous=NORMAL is what SQLite
	 * advises with WAL (a crash of the process loses nothing committed;
	 * a power cut may lose the last run, never corrupts). */
	if ((rc = exec(h, "PRAGMA journal_mode = WAL", "enabling WAL", err)) ||
	    (rc = exec(h, "PRAGMA synchronous = NORMAL", "setting synchronous", err)) ||
	    (rc = exec(h, "PRAGMA foreign_keys = ON", "enabling foreign keys", err)))
		goto fail;
	/* Each run's metrics land on as many leaves of the (name, t) index
	 * as it has names, and every commit writes those pages to the WAL:
	 * checkpointing every 1,000 pages (SQLite's default) meant copying
	 * and syncing the same leaves over and over when importing many
	 * runs. 10,000 pages (40 MB) of WAL, and a cache that holds the
	 * index's hot leaves, made a 2,000-run import 30% faster; the WAL is
	 * checkpointed and removed when the last connection closes anyway. */
	if ((rc = exec(h, "PRAGMA wal_autocheckpoint = 10000", "setting the checkpoint", err)) ||
	    (rc = exec(h, "PRAGMA cache_size = -65536", "setting the cache size", err)))
		goto fail;
	if (content != CONTENT_CBENCH || version < cbench_history__schema_version())
		if ((rc = migrate(h, err)))
			goto fail;
	*out = h;
	return 0;
fail:
	cbench_history__close(h);
	return rc;
}

void cbench_history__close(struct cbench_history *h)
{
	if (!h)
		return;
	sqlite3_finalize(h->insert_run);
	sqlite3_finalize(h->insert_metric);
	sqlite3_close(h->db);
	free(h->path);
	free(h);
}

/* ---- Recording --------------------------------------------------------- */

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && s[0])
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* NaN (no baseline, no value) and infinities are NULL: SQL has no NaN and
 * JSON exports could not spell them. */
static void bind_double(sqlite3_stmt *st, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	/* Howard Hinnant's algorithm: no timegm (not POSIX), no TZ. */
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * "2026-11-24T02:41:45Z" (fractions of a second, a space for the T and a
 * missing Z or "+00:00" accepted) as seconds since the epoch.
 */
static bool parse_time(const char *s, double *out)
{
	int y, mo, d, hh, mm, ss, n = 0;
	double frac = 0, scale = 0.1;

	if (sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &hh, &mm, &ss, &n) != 6 ||
	    n == 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60 ||
	    hh < 0 || mm < 0 || ss < 0)
		return false;
	s += n;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
			frac += (*s - '0') * scale;
	if (*s == 'Z')
		s++;
	else if (strcmp(s, "+00:00") == 0)
		s += 6;
	if (*s)
		return false;
	*out = (double)(days_from_civil(y, mo, d) * 86400 + hh * 3600 + mm * 60 + ss) + frac;
	return true;
}

static uint64_t fnv1a(const char *s, uint64_t h)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * A run without an id (a results file from before run ids) gets one
 * derived from what tells runs apart: when it started, on which host and
 * platform, and how long it took (to the microsecond). The same file
 * imported twice gets the same id, so it is recorded once. The id is an
 * RFC 9562 version-8 (custom) UUID made of two 64-bit FNV-1a hashes.
 */
static void derive_run_id(char out[40], const struct cbench_run *run)
{
	char key[640];
	uint64_t a, b;

	snprintf(key, sizeof(key), "%s\n%s\n%s\n%lld", run->started_at, run->platform.hostname,
	         run->platform.id, (long long)llround(run->duration * 1e6));
	a = fnv1a(key, 0xcbf29ce484222325ULL);
	b = fnv1a(key, a ^ 0x9e3779b97f4a7c15ULL);
	a = (a & ~0xf000ULL) | 0x8000ULL;                 /* version 8 */
	b = (b & ~(3ULL << 62)) | (2ULL << 62);           /* variant 10 */
	snprintf(out, 40, "%08llx-%04llx-%04llx-%04llx-%012llx",
	         (unsigned long long)(a >> 32), (unsigned long long)((a >> 16) & 0xffff),
	         (unsigned long long)(a & 0xffff), (unsigned long long)(b >> 48),
	         (unsigned long long)(b & 0xffffffffffffULL));
}

static const char insert_run_sql[] =
	"INSERT INTO runs (run_id, started_at, t, platform, platform_json, run_type, mode,"
	" clock, commit_id, short_commit, branch, dirty, commit_time, subject, hostname,"
	" compiler, cflags, cbench_version, duration, interrupted, selected, nmetrics,"
	" regressions, improvements, targets_missed, compare_stat, threshold, recorded_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
	" ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)"
	/* Only a second run_id is skipped: OR IGNORE would also swallow a
	 * NOT NULL violation and call it "already recorded". */
	" ON CONFLICT (run_id) DO NOTHING";

static const char insert_metric_sql[] =
	"INSERT INTO metrics (run, benchmark, name, value, unit, direction, timing,"
	" bench_status, n, min, max, mean, median, stddev, iqr, p95, p99, ci_low, ci_high,"
	" status, baseline, change, threshold, t)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
	" ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)";

static int bind_run(struct cbench_history *h, const struct cbench_run *run, const char *id,
                    const char *run_type, double t, struct cbench_error *err)
{
	sqlite3_stmt *st = h->insert_run;
	const struct cbench_git *g = &run->git;
	json_t *pj = cbench_platform__to_json(&run->platform);
	char *pjson = pj ? json_dumps(pj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	char sig[96] = "", now[32];
	int64_t nmetrics = 0;

	json_decref(pj);
	if (!pjson)
		return no_memory(err);
	if (run->interrupted) {
		char *space;

		cbench_runner__signal_name(sig, sizeof(sig), run->interrupted);
		if ((space = strchr(sig, ' ')))
			*space = '\0';
	}
	for (size_t i = 0; i < run->nresults; i++)
		nmetrics += (int64_t)run->results[i].nmetrics;
	cbench__iso8601(now, (double)time(NULL));
	bind_text(st, 1, id);
	sqlite3_bind_text(st, 2, run->started_at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(st, 3, t);
	sqlite3_bind_text(st, 4, run->platform.id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, pjson, -1, free);
	sqlite3_bind_text(st, 6, run_type, -1, SQLITE_TRANSIENT);
	bind_text(st, 7, run->mode);
	bind_text(st, 8, run->clock);
	bind_text(st, 9, g->present ? g->commit : NULL);
	bind_text(st, 10, g->present ? g->short_commit : NULL);
	bind_text(st, 11, g->present ? g->branch : NULL);
	if (g->present)
		sqlite3_bind_int(st, 12, g->dirty);
	else
		sqlite3_bind_null(st, 12);
	if (g->present && g->commit_time)
		sqlite3_bind_int64(st, 13, g->commit_time);
	else
		sqlite3_bind_null(st, 13);
	bind_text(st, 14, g->present ? g->subject : NULL);
	bind_text(st, 15, run->platform.hostname);
	bind_text(st, 16, run->platform.compiler);
	bind_text(st, 17, run->platform.cflags);
	bind_text(st, 18, run->cbench_version);
	bind_double(st, 19, run->duration);
	bind_text(st, 20, sig);
	sqlite3_bind_int64(st, 21, (int64_t)run->selected);
	sqlite3_bind_int64(st, 22, nmetrics);
	sqlite3_bind_int64(st, 23, (int64_t)run->regressions);
	sqlite3_bind_int64(st, 24, (int64_t)run->improvements);
	sqlite3_bind_int64(st, 25, (int64_t)run->targets_missed);
	bind_text(st, 26, run->compared ? run->compare_stat : NULL);
	bind_double(st, 27, run->compared ? run->threshold : NAN);
	sqlite3_bind_text(st, 28, now, -1, SQLITE_TRANSIENT);
	return 0;
}

static void bind_metric(sqlite3_stmt *st, int64_t run_row, const struct cbench_result *r,
                        const struct cbench_metric *m, double t)
{
	const struct cbench_stats *s = &m->stats;
	bool compared = m->cmp.verdict != CBENCH_VERDICT_NEW && isfinite(m->cmp.baseline);

	sqlite3_bind_int64(st, 1, run_row);
	sqlite3_bind_text(st, 2, r->id ? r->id : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->name ? m->name : "", -1, SQLITE_STATIC);
	bind_double(st, 4, m->value);
	bind_text(st, 5, m->unit);
	sqlite3_bind_text(st, 6, m->direction == CBENCH_HIGHER_IS_BETTER ? "higher" : "lower",
	                  -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, m->timing);
	sqlite3_bind_text(st, 8, cbench_status_name(r->status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, (int64_t)s->n);
	bind_double(st, 10, s->n ? s->min : NAN);
	bind_double(st, 11, s->n ? s->max : NAN);
	bind_double(st, 12, s->n ? s->mean : NAN);
	bind_double(st, 13, s->n ? s->median : NAN);
	bind_double(st, 14, s->n > 1 ? s->stddev : NAN);
	bind_double(st, 15, s->n ? s->iqr : NAN);
	bind_double(st, 16, s->n ? s->p95 : NAN);
	bind_double(st, 17, s->n ? s->p99 : NAN);
	bind_double(st, 18, s->n ? s->ci_low : NAN);
	bind_double(st, 19, s->n ? s->ci_high : NAN);
	sqlite3_bind_text(st, 20, cbench_verdict_name(m->cmp.verdict), -1, SQLITE_STATIC);
	bind_double(st, 21, compared ? m->cmp.baseline : NAN);
	bind_double(st, 22, compared ? m->cmp.change : NAN);
	bind_double(st, 23, compared ? m->cmp.threshold : NAN);
	sqlite3_bind_double(st, 24, t);
}

int cbench_history__record(struct cbench_history *h, const struct cbench_run *run,
                           const char *run_type, bool *out_new,
                           struct cbench_error *err)
{
	char derived[40];
	const char *id = run->run_id;
	int64_t run_row;
	double t;
	int rc;

	assert(h && run);
	if (out_new)
		*out_new = false;
	if (!run_type || !run_type[0])
		run_type = run->run_type && run->run_type[0] ? run->run_type : "manual";
	if (!cbench_cli__valid_run_type(run_type))
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "%s: run type '%s' is not ci, nightly or manual",
		                         h->path, run_type);
	if (!parse_time(run->started_at, &t))
		return cbench_error__set(err, CBENCH_EPARSE,
		                         "%s: the run's started_at '%s' is not an ISO-8601 UTC time",
		                         h->path, run->started_at);
	if (!id[0]) {
		derive_run_id(derived, run);
		id = derived;
	}
	if ((!h->insert_run && (rc = prepare(h, insert_run_sql, &h->insert_run, err))) ||
	    (!h->insert_metric && (rc = prepare(h, insert_metric_sql, &h->insert_metric, err))))
		return rc;
	/* IMMEDIATE: take the write lock now, waiting (busy timeout) for
	 * another writer, rather than upgrading a read lock later, which
	 * SQLite cannot wait for and fails with SQLITE_BUSY at once. */
	if ((rc = exec(h, "BEGIN IMMEDIATE", "starting to record a run", err)))
		return rc;
	if ((rc = bind_run(h, run, id, run_type, t, err)))
		goto out;
	if (sqlite3_step(h->insert_run) != SQLITE_DONE) {
		rc = db_error(h, err, "recording a run");
		goto out;
	}
	if (sqlite3_changes(h->db) == 0)
		goto commit;    /* recorded before: *out_new stays false */
	run_row = sqlite3_last_insert_rowid(h->db);
	for (size_t i = 0; i < run->nresults; i++) {
		const struct cbench_result *r = &run->results[i];

		for (size_t j = 0; j < r->nmetrics; j++) {
			bind_metric(h->insert_metric, run_row, r, &r->metrics[j], t);
			if (sqlite3_step(h->insert_metric) != SQLITE_DONE) {
				char what[320];

				snprintf(what, sizeof(what), "recording metric %s",
				         r->metrics[j].name ? r->metrics[j].name : "?");
				rc = db_error(h, err, what);
				goto out;
			}
			sqlite3_reset(h->insert_metric);
		}
	}
	if (out_new)
		*out_new = true;
commit:
	if ((rc = exec(h, "COMMIT", "committing a run", err)) && out_new)
		*out_new = false;
out:
	/* The statements outlive the run: let go of its strings. */
	sqlite3_reset(h->insert_run);
	sqlite3_clear_bindings(h->insert_run);
	sqlite3_reset(h->insert_metric);
	sqlite3_clear_bindings(h->insert_metric);
	if (rc)
		rollback(h);
	return rc;
}

/* ---- Reading ----------------------------------------------------------- */

static void column_copy(char *out, size_t size, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(out, size, "%s", s ? (const char *)s : "");
}

static double column_double(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

/* Makes room for one more element in a growing array: the array (moved
 * or not), or NULL when out of memory (the old one is then untouched). */
static void *grow(void *arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(arr, ncap * size);
	if (p)
		*cap = ncap;
	return p;
}

static double now_or(double now)
{
	struct timespec ts;

	if (now != 0)
		return now;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int cbench_history__stats(struct cbench_history *h, struct cbench_history_stats *out,
                          struct cbench_error *err)
{
	static const char sql[] =
		"SELECT (SELECT COUNT(*) FROM runs), (SELECT COUNT(DISTINCT platform) FROM runs),"
		" (SELECT COUNT(*) FROM metrics),"
		" (SELECT started_at FROM runs ORDER BY t, id LIMIT 1),"
		" (SELECT started_at FROM runs ORDER BY t DESC, id DESC LIMIT 1)";
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = prepare(h, sql, &st, err)))
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = db_error(h, err, "counting runs");
	} else {
		out->total_runs = sqlite3_column_int64(st, 0);
		out->platforms = sqlite3_column_int64(st, 1);
		out->metrics = sqlite3_column_int64(st, 2);
		column_copy(out->first_run, sizeof(out->first_run), st, 3);
		column_copy(out->last_run, sizeof(out->last_run), st, 4);
	}
	sqlite3_finalize(st);
	return rc;
}

#define RUN_COLUMNS "id, run_id, started_at, platform, run_type, mode, commit_id, branch," \
	" dirty, hostname, compiler, cbench_version, nmetrics, regressions"

static void read_run(struct cbench_history_run *r, sqlite3_stmt *st)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	column_copy(r->run_id, sizeof(r->run_id), st, 1);
	column_copy(r->started_at, sizeof(r->started_at), st, 2);
	column_copy(r->platform, sizeof(r->platform), st, 3);
	column_copy(r->run_type, sizeof(r->run_type), st, 4);
	column_copy(r->mode, sizeof(r->mode), st, 5);
	column_copy(r->commit, sizeof(r->commit), st, 6);
	column_copy(r->branch, sizeof(r->branch), st, 7);
	r->dirty = sqlite3_column_int(st, 8) != 0;
	column_copy(r->hostname, sizeof(r->hostname), st, 9);
	column_copy(r->compiler, sizeof(r->compiler), st, 10);
	column_copy(r->cbench_version, sizeof(r->cbench_version), st, 11);
	r->nmetrics = sqlite3_column_int64(st, 12);
	r->regressions = sqlite3_column_int64(st, 13);
}

/* The newest runs first; (platform, t) is the index when a platform is
 * named. */
static int select_runs(struct cbench_history *h, const char *platform, size_t limit,
                       sqlite3_stmt **st, struct cbench_error *err)
{
	int rc = prepare(h, platform ?
	                 "SELECT " RUN_COLUMNS " FROM runs WHERE platform = ?1"
	                 " ORDER BY t DESC, id DESC LIMIT ?2" :
	                 "SELECT " RUN_COLUMNS " FROM runs ORDER BY t DESC, id DESC LIMIT ?2",
	                 st, err);

	if (rc)
		return rc;
	if (platform)
		sqlite3_bind_text(*st, 1, platform, -1, SQLITE_STATIC);
	sqlite3_bind_int64(*st, 2, limit && limit < INT64_MAX ? (int64_t)limit : -1);
	return 0;
}

int cbench_history__runs(struct cbench_history *h, const char *platform, size_t limit,
                         struct cbench_history_run **out, size_t *n,
                         struct cbench_error *err)
{
	struct cbench_history_run *runs = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *st;
	int rc, step;

	*out = NULL;
	*n = 0;
	if ((rc = select_runs(h, platform, limit, &st, err)))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct cbench_history_run *p = grow(runs, &cap, count, sizeof(*runs));

		if (!p) {
			rc = no_memory(err);
			goto out;
		}
		runs = p;
		read_run(&runs[count++], st);
	}
	if (step != SQLITE_DONE)
		rc = db_error(h, err, "listing runs");
out:
	sqlite3_finalize(st);
	if (rc) {
		free(runs);
		return rc;
	}
	*out = runs;
	*n = count;
	return 0;
}

int cbench_history__trend(struct cbench_history *h, const char *metric,
                          const char *platform, double days, double now,
                          struct cbench_history_point **out, size_t *n,
                          struct cbench_error *err)
{
	/*
	 * metrics_name_t finds the metric's rows of the period directly (and
	 * covers the columns read from metrics); the CROSS JOIN keeps metrics
	 * the outer loop, so each row then costs one primary-key look-up in
	 * runs. Without it the planner may walk runs by platform and scan
	 * each run's metrics instead.
	 */
	static const char sql[] =
		"SELECT r.started_at, m.t, m.value, r.platform, r.short_commit, m.unit,"
		" m.direction, m.baseline, m.threshold"
		" FROM metrics AS m INDEXED BY metrics_name_t CROSS JOIN runs AS r ON r.id = m.run"
		" WHERE m.name = ?1 AND m.t >= ?2 AND m.t <= ?3 AND m.value IS NOT NULL"
		" AND (?4 IS NULL OR r.platform = ?4)"
		" ORDER BY m.t, m.rowid";     /* the index's own order: no sort */
	struct cbench_history_point *points = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *st;
	int rc, step;

	assert(metric);
	*out = NULL;
	*n = 0;
	now = now_or(now);
	if ((rc = prepare(h, sql, &st, err)))
		return rc;
	sqlite3_bind_text(st, 1, metric, -1, SQLITE_STATIC);
	/* days <= 0: everything recorded up to now */
	sqlite3_bind_double(st, 2, days > 0 ? now - days * 86400 : -1e300);
	sqlite3_bind_double(st, 3, now);
	if (platform)
		sqlite3_bind_text(st, 4, platform, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct cbench_history_point *p = grow(points, &cap, count, sizeof(*points));
		const unsigned char *dir;

		if (!p) {
			rc = no_memory(err);
			goto out;
		}
		points = p;
		p = &points[count++];
		memset(p, 0, sizeof(*p));
		column_copy(p->started_at, sizeof(p->started_at), st, 0);
		p->t = sqlite3_column_double(st, 1);
		p->value = sqlite3_column_double(st, 2);
		column_copy(p->platform, sizeof(p->platform), st, 3);
		column_copy(p->commit, sizeof(p->commit), st, 4);
		column_copy(p->unit, sizeof(p->unit), st, 5);
		dir = sqlite3_column_text(st, 6);
		p->direction = dir && strcmp((const char *)dir, "higher") == 0 ?
		               CBENCH_HIGHER_IS_BETTER : CBENCH_LOWER_IS_BETTER;
		p->baseline = column_double(st, 7);
		p->threshold = column_double(st, 8);
	}
	if (step != SQLITE_DONE)
		rc = db_error(h, err, "reading a trend");
out:
	sqlite3_finalize(st);
	if (rc) {
		free(points);
		return rc;
	}
	*out = points;
	*n = count;
	return 0;
}

void cbench_history__free_names(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

int cbench_history__metric_names(struct cbench_history *h, double days, double now,
                                 const char *const *platforms, size_t nplatforms,
                                 char ***out, size_t *n, struct cbench_error *err)
{
	/*
	 * SELECT DISTINCT over the period would read every row of it (a
	 * million on a big file: half a second). Instead, walk the distinct
	 * names by seeking the next one in metrics_name_t, and ask of each
	 * whether it has a row in the period (of those platforms): two index
	 * seeks per name.
	 */
	struct cbench_buf sql = CBENCH_BUF_INIT(1 << 20);
	char **names = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *st = NULL;
	int rc = 0, step;

	*out = NULL;
	*n = 0;
	now = now_or(now);
	if (!platforms)
		nplatforms = 0;
	cbench_buf__adds(&sql,
		"WITH RECURSIVE names (name) AS ("
		" SELECT MIN(name) FROM metrics"
		" UNION ALL"
		" SELECT (SELECT MIN(m.name) FROM metrics AS m WHERE m.name > names.name)"
		" FROM names WHERE names.name IS NOT NULL)"
		" SELECT name FROM names WHERE name IS NOT NULL AND EXISTS (SELECT 1"
		" FROM metrics AS m INDEXED BY metrics_name_t");
	if (nplatforms)
		cbench_buf__adds(&sql, " CROSS JOIN runs AS r ON r.id = m.run");
	cbench_buf__adds(&sql, " WHERE m.name = names.name AND m.t >= ?1 AND m.t <= ?2");
	for (size_t i = 0; i < nplatforms; i++)
		cbench_buf__addf(&sql, "%s?%zu", i ? ", " : " AND r.platform IN (", i + 3);
	if (cbench_buf__adds(&sql, nplatforms ? ")) ORDER BY name" : ") ORDER BY name"))
		return no_memory(err);
	rc = prepare(h, cbench_buf__str(&sql), &st, err);
	cbench_buf__free(&sql);
	if (rc)
		return rc;
	sqlite3_bind_double(st, 1, days > 0 ? now - days * 86400 : -1e300);
	sqlite3_bind_double(st, 2, now);
	for (size_t i = 0; i < nplatforms; i++)
		sqlite3_bind_text(st, (int)i + 3, platforms[i], -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char **p = grow(names, &cap, count, sizeof(*names));

		if (p)
			names = p;
		if (!p || !(names[count] = cbench__strdup((const char *)sqlite3_column_text(st, 0)))) {
			rc = no_memory(err);
			goto out;
		}
		count++;
	}
	if (step != SQLITE_DONE)
		rc = db_error(h, err, "listing metric names");
out:
	sqlite3_finalize(st);
	if (rc) {
		cbench_history__free_names(names, count);
		return rc;
	}
	*out = names;
	*n = count;
	return 0;
}

/* ---- Export ------------------------------------------------------------ */

/* jansson refuses text that is not UTF-8: such bytes become U+FFFD. */
static json_t *json_text(const char *s)
{
	struct cbench_buf b = CBENCH_BUF_INIT(1 << 24);
	json_t *j = json_string(s);

	if (j || cbench_escape__utf8(&b, s))
		return j;
	j = json_string(cbench_buf__str(&b));
	cbench_buf__free(&b);
	return j;
}

/* One row as an object keyed by column name; 0/1 columns named in
 * `bools` become false/true. */
static json_t *row_object(sqlite3_stmt *st, const char *const *bools)
{
	json_t *o = json_object();

	for (int i = 0; o && i < sqlite3_column_count(st); i++) {
		const char *name = sqlite3_column_name(st, i);
		json_t *v = NULL;
		bool is_bool = false;

		for (size_t k = 0; bools && bools[k]; k++)
			is_bool |= strcmp(bools[k], name) == 0;
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_NULL:
			v = json_null();
			break;
		case SQLITE_INTEGER:
			v = is_bool ? json_boolean(sqlite3_column_int64(st, i) != 0)
			            : json_integer((json_int_t)sqlite3_column_int64(st, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(st, i));
			break;
		default:
			v = json_text((const char *)sqlite3_column_text(st, i));
			break;
		}
		if (json_object_set_new(o, name, v)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

#define EXPORT_RUN_COLUMNS "id, run_id, started_at, t, platform, run_type, mode, clock," \
	" commit_id AS \"commit\", short_commit, branch, dirty, commit_time, subject," \
	" hostname, compiler, cflags, cbench_version, duration, interrupted, selected," \
	" nmetrics, regressions, improvements, targets_missed, compare_stat, threshold," \
	" recorded_at, platform_json"

#define EXPORT_METRIC_COLUMNS "benchmark, name, value, unit, direction, timing," \
	" bench_status, n, min, max, mean, median, stddev, iqr, p95, p99, ci_low," \
	" ci_high, status, baseline, change, threshold"

static int dump_to_buf(const char *data, size_t size, void *b)
{
	return cbench_buf__add(b, data, size) ? -1 : 0;
}

/* One run and its metrics as an object, in *out. */
static int run_object(struct cbench_history *h, sqlite3_stmt *runs, sqlite3_stmt *metrics,
                      json_t **out, struct cbench_error *err)
{
	static const char *const run_bools[] = { "dirty", NULL };
	static const char *const metric_bools[] = { "timing", NULL };
	const char *pj = (const char *)sqlite3_column_text(runs, sqlite3_column_count(runs) - 1);
	json_t *run = row_object(runs, run_bools), *list = json_array(), *details;
	int rc = 0, step;

	*out = NULL;
	if (!run || !list) {
		json_decref(run);
		json_decref(list);
		return no_memory(err);
	}
	/* The row id is this file's business; run_id names the run. The
	 * platform's details are an object, not a string in a string. */
	json_object_del(run, "id");
	json_object_del(run, "platform_json");
	details = pj ? json_loads(pj, 0, NULL) : NULL;
	if (json_object_set_new(run, "platform_details", details ? details : json_null()) ||
	    json_object_set_new(run, "metrics", list)) {
		json_decref(run);
		return no_memory(err);
	}
	sqlite3_bind_int64(metrics, 1, sqlite3_column_int64(runs, 0));
	while ((step = sqlite3_step(metrics)) == SQLITE_ROW) {
		json_t *m = row_object(metrics, metric_bools);

		if (!m || json_array_append_new(list, m)) {
			rc = no_memory(err);
			break;
		}
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(h, err, "exporting metrics");
	sqlite3_reset(metrics);
	if (rc) {
		json_decref(run);
		return rc;
	}
	*out = run;
	return 0;
}

/*
 * An array of runs, one per line. Each run's tree is formatted as soon as
 * it is built and then freed: a million metric values are never all
 * jansson objects at once.
 */
static int export_json(struct cbench_history *h, const char *platform, struct cbench_buf *b,
                       struct cbench_error *err)
{
	sqlite3_stmt *runs = NULL, *metrics = NULL;
	size_t nruns = 0;
	int rc, step;

	if ((rc = prepare(h, platform ?
	                  "SELECT " EXPORT_RUN_COLUMNS " FROM runs WHERE platform = ?1"
	                  " ORDER BY t, id" :
	                  "SELECT " EXPORT_RUN_COLUMNS " FROM runs ORDER BY t, id", &runs, err)) ||
	    (rc = prepare(h, "SELECT " EXPORT_METRIC_COLUMNS " FROM metrics WHERE run = ?1"
	                  " ORDER BY rowid", &metrics, err)))
		goto out;
	if (platform)
		sqlite3_bind_text(runs, 1, platform, -1, SQLITE_STATIC);
	cbench_buf__add(b, "[\n", 2);
	while ((step = sqlite3_step(runs)) == SQLITE_ROW) {
		json_t *run;

		if ((rc = run_object(h, runs, metrics, &run, err)))
			goto out;
		if (nruns++)
			cbench_buf__add(b, ",\n", 2);
		rc = json_dump_callback(run, dump_to_buf, b, JSON_COMPACT | JSON_PRESERVE_ORDER |
		                        JSON_REAL_PRECISION(17));
		json_decref(run);
		if (rc) {
			rc = no_memory(err);
			goto out;
		}
	}
	if (step != SQLITE_DONE)
		rc = db_error(h, err, "exporting runs");
	else if (cbench_buf__add(b, nruns ? "\n]\n" : "]\n", nruns ? 3 : 2))
		rc = no_memory(err);
out:
	sqlite3_finalize(runs);
	sqlite3_finalize(metrics);
	return rc;
}

/* RFC 4180: a field with a comma, a quote or a line break is quoted, its
 * quotes doubled. */
static int csv_text(struct cbench_buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n"))
		return cbench_buf__adds(b, s);
	cbench_buf__add(b, "\"", 1);
	for (const char *q; (q = strchr(s, '"')); s = q + 1) {
		cbench_buf__add(b, s, (size_t)(q - s));
		cbench_buf__add(b, "\"\"", 2);
	}
	cbench_buf__adds(b, s);
	return cbench_buf__add(b, "\"", 1);
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same
 * double: 0.1 stays 0.1, and nothing is lost. The caller set the C
 * locale. */
static int csv_number(struct cbench_buf *b, double v)
{
	char s[40];

	for (int prec = 15; prec <= 17; prec++) {
		snprintf(s, sizeof(s), "%.*g", prec, v);
		if (strtod(s, NULL) == v)
			break;
	}
	return cbench_buf__adds(b, s);
}

static int export_csv(struct cbench_history *h, const char *platform, struct cbench_buf *b,
                      struct cbench_error *err)
{
	static const char columns[] =
		"SELECT r.run_id, r.started_at, r.platform, r.run_type, r.mode,"
		" r.commit_id AS \"commit\", r.branch, m.benchmark, m.name AS metric, m.value,"
		" m.unit, m.direction, m.n, m.min, m.max, m.mean, m.median, m.stddev, m.iqr,"
		" m.p95, m.p99, m.ci_low, m.ci_high, m.status, m.baseline, m.change, m.threshold"
		" FROM runs AS r CROSS JOIN metrics AS m ON m.run = r.id";
	locale_t c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0), saved = (locale_t)0;
	struct cbench_buf sql = CBENCH_BUF_INIT(4096);
	sqlite3_stmt *st = NULL;
	int rc, step, ncol;

	cbench_buf__adds(&sql, columns);
	cbench_buf__adds(&sql, platform ? " WHERE r.platform = ?1" : "");
	if (cbench_buf__adds(&sql, " ORDER BY r.t, r.id, m.rowid")) {
		rc = no_memory(err);
		goto out;
	}
	if ((rc = prepare(h, cbench_buf__str(&sql), &st, err)))
		goto out;
	if (platform)
		sqlite3_bind_text(st, 1, platform, -1, SQLITE_STATIC);
	if (c_locale)
		saved = uselocale(c_locale);
	ncol = sqlite3_column_count(st);
	for (int i = 0; i < ncol; i++) {
		cbench_buf__adds(b, i ? "," : "");
		csv_text(b, sqlite3_column_name(st, i));
	}
	cbench_buf__add(b, "\r\n", 2);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++) {
			cbench_buf__adds(b, i ? "," : "");
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_NULL:
				break;
			case SQLITE_INTEGER:
				cbench_buf__addf(b, "%lld", (long long)sqlite3_column_int64(st, i));
				break;
			case SQLITE_FLOAT:
				csv_number(b, sqlite3_column_double(st, i));
				break;
			default:
				csv_text(b, (const char *)sqlite3_column_text(st, i));
				break;
			}
		}
		if (cbench_buf__add(b, "\r\n", 2))
			break;
	}
	if (c_locale)
		uselocale(saved);
	if (b->failed)
		rc = no_memory(err);
	else if (step != SQLITE_DONE)
		rc = db_error(h, err, "exporting metrics");
out:
	if (c_locale)
		freelocale(c_locale);
	cbench_buf__free(&sql);
	sqlite3_finalize(st);
	return rc;
}

int cbench_history__export(struct cbench_history *h, const char *platform,
                           const char *format, struct cbench_buf *b,
                           struct cbench_error *err)
{
	int rc;

	assert(h && format && b);
	if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
		return cbench_error__set(err, CBENCH_EUSAGE, "export format '%s' is not json or csv",
		                         format);
	/* One read transaction: a run recorded meanwhile is wholly in the
	 * export or wholly out of it. */
	if ((rc = exec(h, "BEGIN", "starting the export", err)))
		return rc;
	rc = strcmp(format, "json") == 0 ? export_json(h, platform, b, err)
	                                 : export_csv(h, platform, b, err);
	rollback(h);
	return rc;
}

/* ---- The newest run, as a results document ----------------------------- */

static json_t *take(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return v ? json_incref(v) : json_null();
}

/* Moves the export form's keys into the results format's places. */
static json_t *as_results(json_t *run)
{
	static const char *const stats[] = { "n", "min", "max", "mean", "median", "stddev",
	                                     "iqr", "p95", "p99", "ci_low", "ci_high", NULL };
	json_t *doc = json_object(), *benchmarks = json_array(), *bench = NULL, *m;
	json_t *git = json_object(), *gate = json_object(), *ct = json_object_get(run, "commit_time");
	const char *last = NULL;
	bool compared = false;
	size_t i;

	json_object_set_new(doc, "schema", json_string("cbench-results/1"));
	json_object_set_new(doc, "run_id", take(run, "run_id"));
	json_object_set_new(doc, "run_type", take(run, "run_type"));
	json_object_set_new(doc, "cbench_version", take(run, "cbench_version"));
	json_object_set_new(doc, "started_at", take(run, "started_at"));
	json_object_set_new(doc, "mode", take(run, "mode"));
	json_object_set_new(doc, "clock", take(run, "clock"));
	json_object_set_new(doc, "platform", take(run, "platform_details"));
	json_object_set_new(git, "commit", take(run, "commit"));
	json_object_set_new(git, "short_commit", take(run, "short_commit"));
	json_object_set_new(git, "branch", take(run, "branch"));
	json_object_set_new(git, "dirty", take(run, "dirty"));
	if (json_is_integer(ct) && json_integer_value(ct) > 0) {
		char iso[32];

		cbench__iso8601(iso, (double)json_integer_value(ct));
		json_object_set_new(git, "commit_time", json_string(iso));
	}
	json_object_set_new(git, "subject", take(run, "subject"));
	json_object_set_new(doc, "git", git);
	json_object_set_new(doc, "duration", take(run, "duration"));
	json_object_set_new(doc, "interrupted", take(run, "interrupted"));
	json_object_set_new(doc, "selected", take(run, "selected"));
	json_array_foreach(json_object_get(run, "metrics"), i, m) {
		const char *id = json_string_value(json_object_get(m, "benchmark"));
		json_t *metric = json_object(), *st = json_object();

		if (!id)
			id = "";
		if (!last || strcmp(last, id) != 0) {
			const char *dot = strchr(id, '.'), *bracket;
			char *suite = cbench__strdup(id), *name;

			if (suite && dot)
				suite[dot - id] = '\0';
			name = cbench__strdup(dot ? dot + 1 : id);
			bracket = name ? strchr(name, '[') : NULL;
			bench = json_object();
			json_object_set_new(bench, "id", json_string(id));
			json_object_set_new(bench, "suite", json_string(suite ? suite : id));
			if (bracket) {
				size_t len = strlen(bracket + 1);

				json_object_set_new(bench, "params",
				                    json_pack("[s%]", bracket + 1, len ? len - 1 : 0));
				name[bracket - name] = '\0';
			} else {
				json_object_set_new(bench, "params", json_array());
			}
			json_object_set_new(bench, "name", json_string(name ? name : id));
			json_object_set_new(bench, "markers", json_array());
			json_object_set_new(bench, "status", take(m, "bench_status"));
			json_object_set_new(bench, "metrics", json_array());
			json_array_append_new(benchmarks, bench);
			free(suite);
			free(name);
			last = id;
		}
		json_object_set_new(metric, "name", take(m, "name"));
		json_object_set_new(metric, "unit", take(m, "unit"));
		json_object_set_new(metric, "direction", take(m, "direction"));
		json_object_set_new(metric, "timing", take(m, "timing"));
		json_object_set_new(metric, "value", take(m, "value"));
		for (size_t k = 0; stats[k]; k++)
			json_object_set_new(st, stats[k], take(m, stats[k]));
		json_object_set_new(metric, "stats", st);
		json_object_set_new(metric, "baseline", take(m, "baseline"));
		json_object_set_new(metric, "change", take(m, "change"));
		json_object_set_new(metric, "threshold", take(m, "threshold"));
		json_object_set_new(metric, "status", take(m, "status"));
		if (json_is_number(json_object_get(m, "baseline")))
			compared = true;
		json_array_append_new(json_object_get(bench, "metrics"), metric);
	}
	json_object_set_new(gate, "compared", json_boolean(compared));
	json_object_set_new(gate, "threshold", take(run, "threshold"));
	json_object_set_new(gate, "compare_stat", take(run, "compare_stat"));
	json_object_set_new(gate, "regressions", take(run, "regressions"));
	json_object_set_new(gate, "improvements", take(run, "improvements"));
	json_object_set_new(gate, "targets_missed", take(run, "targets_missed"));
	json_object_set_new(doc, "gate", gate);
	json_object_set_new(doc, "benchmarks", benchmarks);
	return doc;
}

int cbench_history__latest_results(struct cbench_history *h, const char *platform,
                                   json_t **out, struct cbench_error *err)
{
	sqlite3_stmt *runs = NULL, *metrics = NULL;
	json_t *run = NULL;
	int rc, step;

	assert(h && out);
	if ((rc = exec(h, "BEGIN", "reading the newest run", err)))
		return rc;
	if ((rc = prepare(h, platform ?
	                  "SELECT " EXPORT_RUN_COLUMNS " FROM runs WHERE platform = ?1"
	                  " ORDER BY t DESC, id DESC LIMIT 1" :
	                  "SELECT " EXPORT_RUN_COLUMNS " FROM runs ORDER BY t DESC, id DESC LIMIT 1",
	                  &runs, err)) ||
	    (rc = prepare(h, "SELECT " EXPORT_METRIC_COLUMNS " FROM metrics WHERE run = ?1"
	                  " ORDER BY rowid", &metrics, err)))
		goto out;
	if (platform)
		sqlite3_bind_text(runs, 1, platform, -1, SQLITE_STATIC);
	step = sqlite3_step(runs);
	if (step == SQLITE_DONE) {
		rc = cbench_error__set(err, CBENCH_ENOTFOUND, "%s: no recorded run%s%s", h->path,
		                       platform ? " of " : "", platform ? platform : "");
		goto out;
	}
	if (step != SQLITE_ROW) {
		rc = db_error(h, err, "reading the newest run");
		goto out;
	}
	if ((rc = run_object(h, runs, metrics, &run, err)))
		goto out;
	*out = as_results(run);
	json_decref(run);
	if (!*out)
		rc = no_memory(err);
out:
	sqlite3_finalize(runs);
	sqlite3_finalize(metrics);
	rollback(h);
	return rc;
}

/* ---- The last runs of a platform --------------------------------------- */

void cbench_history__free_series(struct cbench_history_series *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++) {
		free(s[i].name);
		free(s[i].unit);
		free(s[i].values);
	}
	free(s);
}

/* The series of `name`: runs usually list their metrics in the same order,
 * so the one after the last found is tried first. SIZE_MAX when new. */
static size_t find_series(const struct cbench_history_series *s, size_t n, size_t hint,
                          const char *name)
{
	if (hint < n && strcmp(s[hint].name, name) == 0)
		return hint;
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

static int add_value(struct cbench_history_series *s, double v)
{
	/* values grow by doubling from 4: n is a power of two when full */
	if (s->n >= 4 && (s->n & (s->n - 1)) == 0) {
		double *p = realloc(s->values, 2 * s->n * sizeof(*p));

		if (!p)
			return CBENCH_ENOMEM;
		s->values = p;
	}
	s->values[s->n++] = v;
	return 0;
}

static int read_metrics(struct cbench_history *h, sqlite3_stmt *st,
                        struct cbench_history_series **series, size_t *count, size_t *cap,
                        struct cbench_error *err)
{
	size_t hint = 0;
	int step;

	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *dir = (const char *)sqlite3_column_text(st, 2);
		size_t i = find_series(*series, *count, hint, name ? name : "");
		struct cbench_history_series *s;

		if (i == SIZE_MAX) {
			s = grow(*series, cap, *count, sizeof(**series));
			if (!s)
				return no_memory(err);
			*series = s;
			s = &(*series)[*count];
			memset(s, 0, sizeof(*s));
			s->name = cbench__strdup(name ? name : "");
			s->unit = cbench__strdup(sqlite3_column_text(st, 1) ?
			                         (const char *)sqlite3_column_text(st, 1) : "");
			s->direction = dir && strcmp(dir, "higher") == 0 ?
			               CBENCH_HIGHER_IS_BETTER : CBENCH_LOWER_IS_BETTER;
			s->values = malloc(4 * sizeof(double));
			i = (*count)++;
			if (!s->name || !s->unit || !s->values)
				return no_memory(err);
		}
		if (add_value(&(*series)[i], sqlite3_column_double(st, 3)))
			return no_memory(err);
		hint = i + 1;
	}
	if (step != SQLITE_DONE)
		return db_error(h, err, "reading the last runs");
	return 0;
}

int cbench_history__last_runs(struct cbench_history *h, const char *platform, size_t n,
                              size_t *runs, struct cbench_history_series **out,
                              size_t *nseries, struct cbench_history_run *newest,
                              struct cbench_error *err)
{
	struct cbench_history_series *series = NULL;
	sqlite3_stmt *list = NULL, *metrics = NULL;
	size_t count = 0, cap = 0, nruns = 0;
	int rc, step;

	*runs = 0;
	*out = NULL;
	*nseries = 0;
	if (newest)
		memset(newest, 0, sizeof(*newest));
	if (n == 0)
		return 0;
	if ((rc = exec(h, "BEGIN", "reading the last runs", err)))
		return rc;
	if ((rc = select_runs(h, platform, n, &list, err)) ||
	    (rc = prepare(h, "SELECT name, unit, direction, value FROM metrics"
	                  " WHERE run = ?1 AND value IS NOT NULL ORDER BY rowid", &metrics, err)))
		goto out;
	while ((step = sqlite3_step(list)) == SQLITE_ROW) {
		if (nruns == 0 && newest)
			read_run(newest, list);
		nruns++;
		sqlite3_bind_int64(metrics, 1, sqlite3_column_int64(list, 0));
		rc = read_metrics(h, metrics, &series, &count, &cap, err);
		sqlite3_reset(metrics);
		if (rc)
			goto out;
	}
	if (step != SQLITE_DONE)
		rc = db_error(h, err, "listing the last runs");
out:
	sqlite3_finalize(list);
	sqlite3_finalize(metrics);
	rollback(h);
	if (rc) {
		cbench_history__free_series(series, count);
		if (newest)
			memset(newest, 0, sizeof(*newest));
		return rc;
	}
	*runs = nruns;
	*out = series;
	*nseries = count;
	return 0;
}

/*
 * The SQLite backend of the run history (docs/history.md): every SQL
 * statement of cbench, and nothing else. One file holds every recorded run
 * and its metrics; the schema carries its version in PRAGMA user_version
 * and a cbench_meta table that tells our files from any other SQLite
 * database. Rows in, rows out: what they mean is history.c's and
 * export.c's (history/backend.h).
 */
#include "history/backend.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fileio.h"
#include "history/history.h"
#include "base/util.h"
#include "base/utf8.h"
#include "model/run.h"

/* How long a writer waits for another one's transaction. */
#define HISTORY_BUSY_MS 10000

struct sqlite_history {
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
	/* The machine's state and how the run was made, so a trend's jump
	 * can be laid beside a turbo switched on or a busy machine. */
	{ 3, "ALTER TABLE runs ADD COLUMN governor TEXT;\n"
	     "ALTER TABLE runs ADD COLUMN turbo INTEGER;\n"
	     "ALTER TABLE runs ADD COLUMN aslr INTEGER;\n"
	     "ALTER TABLE runs ADD COLUMN load_avg REAL;\n"
	     "ALTER TABLE runs ADD COLUMN optimized INTEGER;\n"
	     "ALTER TABLE runs ADD COLUMN pinned_cpu INTEGER;\n"
	     "ALTER TABLE runs ADD COLUMN repetitions INTEGER;\n"
	     "ALTER TABLE runs ADD COLUMN seed INTEGER;\n" },
};

#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

static int schema_version(void)
{
	return migrations[NMIGRATIONS - 1].version;
}

/* ---- Errors ------------------------------------------------------------ */

/* SQLite's message, translated once, here, naming the file. */
/* "PATH: WHAT: SQLite's message", and for an I/O error or a full disk
 * the system's reason ("disk I/O error" alone does not say the disk is
 * full or the file too large). */
static int db_error(struct sqlite_history *h, struct cbench_error *err, const char *what)
{
	int code = sqlite3_errcode(h->db), sys = sqlite3_system_errno(h->db);

	if ((code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN) && sys)
		return cbench_error__set(err, CBENCH_EIO, "%s: %s: %s (%s)", h->path, what,
		                         sqlite3_errmsg(h->db), strerror(sys));
	return cbench_error__set(err, code == SQLITE_NOMEM ? CBENCH_ENOMEM : CBENCH_EIO,
	                         "%s: %s: %s", h->path, what, sqlite3_errmsg(h->db));
}

static int no_memory(struct cbench_error *err)
{
	return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
}

static int exec(struct sqlite_history *h, const char *sql, const char *what,
                struct cbench_error *err)
{
	if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(h, err, what);
	return 0;
}

/*
 * PRAGMA journal_mode = WAL. Switching a file to WAL needs an exclusive
 * lock, and SQLite answers SQLITE_BUSY at once, without the busy handler,
 * when another connection holds a shared lock meanwhile (the handler would
 * risk a deadlock there): four processes opening a new history together
 * failed "enabling WAL: database is locked" now and then, always under
 * valgrind. The switch is retried for as long as the busy timeout, 10 ms
 * apart; a file already in WAL answers at once.
 */
static int set_wal(struct sqlite_history *h, struct cbench_error *err)
{
	for (int waited = 0;; waited += 10) {
		int rc = sqlite3_exec(h->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);

		if (rc == SQLITE_OK)
			return 0;
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited >= HISTORY_BUSY_MS)
			return db_error(h, err, "enabling WAL");
		sqlite3_sleep(10);
	}
}

static int prepare(struct sqlite_history *h, const char *sql, sqlite3_stmt **out,
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
static void rollback(struct sqlite_history *h)
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
static int inspect(struct sqlite_history *h, int *version, enum content *content,
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
static int judge(struct sqlite_history *h, int version, enum content content,
                 const char *why, struct cbench_error *err)
{
	int latest = schema_version();

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
static int migrate(struct sqlite_history *h, struct cbench_error *err)
{
	int version = 0, latest = schema_version(), rc;
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

static void sq_close(void *self);

static bool sq_accepts(const char *location)
{
	/* A path: anything but a URL ("scheme://..."). */
	const char *colon = strchr(location, ':');

	if (!colon || strncmp(colon, "://", 3) != 0)
		return true;
	for (const char *p = location; p < colon; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.'))
			return true;
	return colon == location;
}

static int sq_open(void **out, const char *path, bool create, struct cbench_error *err)
{
	int flags = SQLITE_OPEN_READWRITE, version = 0, rc;
	struct sqlite_history *h;
	enum content content;
	const char *why;
	struct stat st;

	assert(out && path);
	*out = NULL;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return cbench_error__set(err, CBENCH_EUSAGE,
			                         "%s: is a folder, not a history database", path);
		/* SQLite opens a file it may not write read-only (root
		 * even writes a mode-0444 one): a writer must refuse first. */
		if (create && (rc = cbench_file__check_not_readonly(path, err)))
			return rc;
	} else if (errno == ENOENT && !create) {
		return cbench_error__set(err, CBENCH_ENOTFOUND, "%s: no history database there",
		                         path);
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
	sqlite3_busy_timeout(h->db, HISTORY_BUSY_MS);
	if ((rc = inspect(h, &version, &content, &why, err)) ||
	    (rc = judge(h, version, content, why, err)))
		goto fail;
	/* Accepted: from here on the file may be written. WAL lets readers
	 * go on while a run is recorded; synchronous=NORMAL is what SQLite
	 * advises with WAL (a crash of the process loses nothing committed;
	 * a power cut may lose the last run, never corrupts). */
	if ((rc = set_wal(h, err)) ||
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
	if (content != CONTENT_CBENCH || version < schema_version())
		if ((rc = migrate(h, err)))
			goto fail;
	*out = h;
	return 0;
fail:
	sq_close(h);
	return rc;
}

static void sq_close(void *self)
{
	struct sqlite_history *h = self;

	if (!h)
		return;
	sqlite3_finalize(h->insert_run);
	sqlite3_finalize(h->insert_metric);
	sqlite3_close(h->db);
	free(h->path);
	free(h);
}


/* ---- Recording --------------------------------------------------------- */

/* TEXT columns hold UTF-8: a name that is not (a benchmark's bytes, taken
 * as they came) is stored repaired, as every JSON writer repairs it, so
 * no export or reader downstream meets invalid UTF-8. */
static void bind_utf8(sqlite3_stmt *st, int i, const char *s)
{
	size_t len = strlen(s);
	struct cbench_buf b = CBENCH_BUF_INIT(len * 3 + 1);

	if (cbench_utf8__valid(s, len)) {
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
		return;
	}
	cbench_utf8__repair(&b, s, len);
	sqlite3_bind_text(st, i, cbench_buf__str(&b), -1, SQLITE_TRANSIENT);
	cbench_buf__free(&b);
}

/* NULL and "" are NULL. */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && s[0])
		bind_utf8(st, i, s);
	else
		sqlite3_bind_null(st, i);
}

/* For NOT NULL columns: NULL is "". */
static void bind_required(sqlite3_stmt *st, int i, const char *s)
{
	bind_utf8(st, i, s ? s : "");
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

static void bind_int(sqlite3_stmt *st, int i, int64_t v)
{
	if (v == CBENCH_HISTORY_NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

static const char insert_run_sql[] =
	"INSERT INTO runs (run_id, started_at, t, platform, platform_json, run_type, mode,"
	" clock, commit_id, short_commit, branch, dirty, commit_time, subject, hostname,"
	" compiler, cflags, cbench_version, duration, interrupted, selected, nmetrics,"
	" regressions, improvements, targets_missed, compare_stat, threshold, recorded_at,"
	" governor, turbo, aslr, load_avg, optimized, pinned_cpu, repetitions, seed)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
	" ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32,"
	" ?33, ?34, ?35, ?36)"
	/* Only a second run_id is skipped: OR IGNORE would also swallow a
	 * NOT NULL violation and call it "already recorded". */
	" ON CONFLICT (run_id) DO NOTHING";

static const char insert_metric_sql[] =
	"INSERT INTO metrics (run, benchmark, name, value, unit, direction, timing,"
	" bench_status, n, min, max, mean, median, stddev, iqr, p95, p99, ci_low, ci_high,"
	" status, baseline, change, threshold, t)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
	" ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)";

/* The strings stay the caller's until the statement is reset: they are
 * bound without a copy. */
static void bind_run(sqlite3_stmt *st, const struct cbench_history_run_row *r)
{
	bind_text(st, 1, r->run_id);
	bind_required(st, 2, r->started_at);
	sqlite3_bind_double(st, 3, r->t);
	bind_required(st, 4, r->platform);
	bind_text(st, 5, r->platform_json);
	bind_required(st, 6, r->run_type);
	bind_text(st, 7, r->mode);
	bind_text(st, 8, r->clock);
	bind_text(st, 9, r->commit);
	bind_text(st, 10, r->short_commit);
	bind_text(st, 11, r->branch);
	bind_int(st, 12, r->dirty);
	bind_int(st, 13, r->commit_time);
	bind_text(st, 14, r->subject);
	bind_text(st, 15, r->hostname);
	bind_text(st, 16, r->compiler);
	bind_text(st, 17, r->cflags);
	bind_text(st, 18, r->cbench_version);
	bind_double(st, 19, r->duration);
	bind_text(st, 20, r->interrupted);
	bind_int(st, 21, r->selected);
	bind_int(st, 22, r->nmetrics);
	bind_int(st, 23, r->regressions);
	bind_int(st, 24, r->improvements);
	bind_int(st, 25, r->targets_missed);
	bind_text(st, 26, r->compare_stat);
	bind_double(st, 27, r->threshold);
	bind_text(st, 28, r->recorded_at);
	bind_text(st, 29, r->governor);
	bind_int(st, 30, r->turbo);
	bind_int(st, 31, r->aslr);
	bind_double(st, 32, r->load_avg);
	bind_int(st, 33, r->optimized);
	bind_int(st, 34, r->pinned_cpu);
	bind_int(st, 35, r->repetitions);
	bind_int(st, 36, r->seed);
}

static void bind_metric(sqlite3_stmt *st, int64_t run_row, const struct cbench_history_metric_row *m,
                        double t)
{
	sqlite3_bind_int64(st, 1, run_row);
	bind_required(st, 2, m->benchmark);
	bind_required(st, 3, m->name);
	bind_double(st, 4, m->value);
	bind_text(st, 5, m->unit);
	bind_text(st, 6, m->direction);
	bind_int(st, 7, m->timing);
	bind_text(st, 8, m->bench_status);
	bind_int(st, 9, m->n);
	bind_double(st, 10, m->min);
	bind_double(st, 11, m->max);
	bind_double(st, 12, m->mean);
	bind_double(st, 13, m->median);
	bind_double(st, 14, m->stddev);
	bind_double(st, 15, m->iqr);
	bind_double(st, 16, m->p95);
	bind_double(st, 17, m->p99);
	bind_double(st, 18, m->ci_low);
	bind_double(st, 19, m->ci_high);
	bind_text(st, 20, m->status);
	bind_double(st, 21, m->baseline);
	bind_double(st, 22, m->change);
	bind_double(st, 23, m->threshold);
	sqlite3_bind_double(st, 24, t);
}

static int sq_record(void *self, const struct cbench_history_run_row *run,
                     const struct cbench_history_metric_row *metrics, size_t nmetrics,
                     bool *out_new, struct cbench_error *err)
{
	struct sqlite_history *h = self;
	int64_t run_row;
	int rc;

	*out_new = false;
	if ((!h->insert_run && (rc = prepare(h, insert_run_sql, &h->insert_run, err))) ||
	    (!h->insert_metric && (rc = prepare(h, insert_metric_sql, &h->insert_metric, err))))
		return rc;
	/* IMMEDIATE: take the write lock now, waiting (busy timeout) for
	 * another writer, rather than upgrading a read lock later, which
	 * SQLite cannot wait for and fails with SQLITE_BUSY at once. */
	if ((rc = exec(h, "BEGIN IMMEDIATE", "starting to record a run", err)))
		return rc;
	bind_run(h->insert_run, run);
	if (sqlite3_step(h->insert_run) != SQLITE_DONE) {
		rc = db_error(h, err, "recording a run");
		goto out;
	}
	if (sqlite3_changes(h->db) == 0)
		goto commit;    /* recorded before: *out_new stays false */
	run_row = sqlite3_last_insert_rowid(h->db);
	for (size_t i = 0; i < nmetrics; i++) {
		bind_metric(h->insert_metric, run_row, &metrics[i], run->t);
		if (sqlite3_step(h->insert_metric) != SQLITE_DONE) {
			char what[320];

			snprintf(what, sizeof(what), "recording metric %s",
			         metrics[i].name ? metrics[i].name : "?");
			rc = db_error(h, err, what);
			goto out;
		}
		sqlite3_reset(h->insert_metric);
	}
	*out_new = true;
commit:
	if ((rc = exec(h, "COMMIT", "committing a run", err)))
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

static const char *column_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static double column_double(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

static int64_t column_int(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? CBENCH_HISTORY_NULL
	                                                   : sqlite3_column_int64(st, col);
}

static int sq_stats(void *self, struct cbench_history_stats *out, struct cbench_error *err)
{
	static const char sql[] =
		"SELECT (SELECT COUNT(*) FROM runs), (SELECT COUNT(DISTINCT platform) FROM runs),"
		" (SELECT COUNT(*) FROM metrics),"
		" (SELECT started_at FROM runs ORDER BY t, id LIMIT 1),"
		" (SELECT started_at FROM runs ORDER BY t DESC, id DESC LIMIT 1)";
	struct sqlite_history *h = self;
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

#define RUN_COLUMNS "id, run_id, started_at, t, platform, platform_json, run_type, mode," \
	" clock, commit_id, short_commit, branch, dirty, commit_time, subject, hostname," \
	" compiler, cflags, cbench_version, duration, interrupted, selected, nmetrics," \
	" regressions, improvements, targets_missed, compare_stat, threshold, recorded_at," \
	" governor, turbo, aslr, load_avg, optimized, pinned_cpu, repetitions, seed"

#define METRIC_COLUMNS "benchmark, name, value, unit, direction, timing, bench_status, n," \
	" min, max, mean, median, stddev, iqr, p95, p99, ci_low, ci_high, status, baseline," \
	" change, threshold"

static void read_run(struct cbench_history_run_row *r, sqlite3_stmt *st)
{
	r->id = sqlite3_column_int64(st, 0);
	r->run_id = column_text(st, 1);
	r->started_at = column_text(st, 2);
	r->t = sqlite3_column_double(st, 3);
	r->platform = column_text(st, 4);
	r->platform_json = column_text(st, 5);
	r->run_type = column_text(st, 6);
	r->mode = column_text(st, 7);
	r->clock = column_text(st, 8);
	r->commit = column_text(st, 9);
	r->short_commit = column_text(st, 10);
	r->branch = column_text(st, 11);
	r->dirty = column_int(st, 12);
	r->commit_time = column_int(st, 13);
	r->subject = column_text(st, 14);
	r->hostname = column_text(st, 15);
	r->compiler = column_text(st, 16);
	r->cflags = column_text(st, 17);
	r->cbench_version = column_text(st, 18);
	r->duration = column_double(st, 19);
	r->interrupted = column_text(st, 20);
	r->selected = column_int(st, 21);
	r->nmetrics = column_int(st, 22);
	r->regressions = column_int(st, 23);
	r->improvements = column_int(st, 24);
	r->targets_missed = column_int(st, 25);
	r->compare_stat = column_text(st, 26);
	r->threshold = column_double(st, 27);
	r->recorded_at = column_text(st, 28);
	r->governor = column_text(st, 29);
	r->turbo = column_int(st, 30);
	r->aslr = column_int(st, 31);
	r->load_avg = column_double(st, 32);
	r->optimized = column_int(st, 33);
	r->pinned_cpu = column_int(st, 34);
	r->repetitions = column_int(st, 35);
	r->seed = column_int(st, 36);
}

static void read_metric(struct cbench_history_metric_row *m, sqlite3_stmt *st)
{
	m->benchmark = column_text(st, 0);
	m->name = column_text(st, 1);
	m->value = column_double(st, 2);
	m->unit = column_text(st, 3);
	m->direction = column_text(st, 4);
	m->timing = column_int(st, 5);
	m->bench_status = column_text(st, 6);
	m->n = column_int(st, 7);
	m->min = column_double(st, 8);
	m->max = column_double(st, 9);
	m->mean = column_double(st, 10);
	m->median = column_double(st, 11);
	m->stddev = column_double(st, 12);
	m->iqr = column_double(st, 13);
	m->p95 = column_double(st, 14);
	m->p99 = column_double(st, 15);
	m->ci_low = column_double(st, 16);
	m->ci_high = column_double(st, 17);
	m->status = column_text(st, 18);
	m->baseline = column_double(st, 19);
	m->change = column_double(st, 20);
	m->threshold = column_double(st, 21);
}

/* The runs of a query; (platform, t) is the index when a platform is
 * named. */
static int select_runs(struct sqlite_history *h, const struct cbench_history_query *q,
                       sqlite3_stmt **st, struct cbench_error *err)
{
	struct cbench_buf sql = CBENCH_BUF_INIT(4096);
	int rc;

	cbench_buf__adds(&sql, "SELECT " RUN_COLUMNS " FROM runs");
	cbench_buf__adds(&sql, q->platform ? " WHERE platform = ?1" : "");
	cbench_buf__adds(&sql, q->oldest_first ? " ORDER BY t, id" : " ORDER BY t DESC, id DESC");
	if (cbench_buf__adds(&sql, " LIMIT ?2"))
		return no_memory(err);
	rc = prepare(h, cbench_buf__str(&sql), st, err);
	cbench_buf__free(&sql);
	if (rc)
		return rc;
	if (q->platform)
		sqlite3_bind_text(*st, 1, q->platform, -1, SQLITE_STATIC);
	sqlite3_bind_int64(*st, 2, q->limit && q->limit < INT64_MAX ? (int64_t)q->limit : -1);
	return 0;
}

static int sq_runs(void *self, const struct cbench_history_query *q,
                   cbench_history_run_fn on_run, cbench_history_metric_fn on_metric,
                   void *ctx, struct cbench_error *err)
{
	struct sqlite_history *h = self;
	sqlite3_stmt *runs = NULL, *metrics = NULL;
	int rc, step = SQLITE_DONE;

	/* One read transaction: a run recorded meanwhile is wholly in the
	 * answer or wholly out of it. */
	if ((rc = exec(h, "BEGIN", "starting to read runs", err)))
		return rc;
	if ((rc = select_runs(h, q, &runs, err)) ||
	    (on_metric && (rc = prepare(h, "SELECT " METRIC_COLUMNS " FROM metrics WHERE run = ?1"
	                                " ORDER BY rowid", &metrics, err))))
		goto out;
	while ((step = sqlite3_step(runs)) == SQLITE_ROW) {
		struct cbench_history_run_row run;

		read_run(&run, runs);
		if ((rc = on_run(ctx, &run)))
			goto out;
		if (!on_metric)
			continue;
		sqlite3_bind_int64(metrics, 1, run.id);
		while ((step = sqlite3_step(metrics)) == SQLITE_ROW) {
			struct cbench_history_metric_row m;

			read_metric(&m, metrics);
			if ((rc = on_metric(ctx, &run, &m)))
				goto out;
		}
		sqlite3_reset(metrics);
		if (step != SQLITE_DONE) {
			rc = db_error(h, err, "reading metrics");
			goto out;
		}
	}
	if (step != SQLITE_DONE)
		rc = db_error(h, err, "reading runs");
out:
	sqlite3_finalize(runs);
	sqlite3_finalize(metrics);
	rollback(h);
	return rc;
}

static int sq_trend(void *self, const char *metric, const char *platform, double from,
                    double to, cbench_history_point_fn on_point, void *ctx,
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
	struct sqlite_history *h = self;
	sqlite3_stmt *st;
	int rc, step;

	if ((rc = prepare(h, sql, &st, err)))
		return rc;
	sqlite3_bind_text(st, 1, metric, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 2, from);
	sqlite3_bind_double(st, 3, to);
	if (platform)
		sqlite3_bind_text(st, 4, platform, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct cbench_history_point p;

		memset(&p, 0, sizeof(p));
		column_copy(p.started_at, sizeof(p.started_at), st, 0);
		p.t = sqlite3_column_double(st, 1);
		p.value = sqlite3_column_double(st, 2);
		column_copy(p.platform, sizeof(p.platform), st, 3);
		column_copy(p.commit, sizeof(p.commit), st, 4);
		column_copy(p.unit, sizeof(p.unit), st, 5);
		p.direction = cbench_run__direction_of(column_text(st, 6));
		p.baseline = column_double(st, 7);
		p.threshold = column_double(st, 8);
		if ((rc = on_point(ctx, &p)))
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(h, err, "reading a trend");
	sqlite3_finalize(st);
	return rc;
}

static int sq_metric_names(void *self, double from, double to, const char *const *platforms,
                           size_t nplatforms, cbench_history_name_fn on_name, void *ctx,
                           struct cbench_error *err)
{
	/*
	 * SELECT DISTINCT over the period would read every row of it (a
	 * million on a big file: half a second). Instead, walk the distinct
	 * names by seeking the next one in metrics_name_t, and ask of each
	 * whether it has a row in the period (of those platforms): two index
	 * seeks per name.
	 */
	struct sqlite_history *h = self;
	struct cbench_buf sql = CBENCH_BUF_INIT(1 << 20);
	sqlite3_stmt *st = NULL;
	int rc = 0, step;

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
	sqlite3_bind_double(st, 1, from);
	sqlite3_bind_double(st, 2, to);
	for (size_t i = 0; i < nplatforms; i++)
		sqlite3_bind_text(st, (int)i + 3, platforms[i], -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = on_name(ctx, column_text(st, 0))))
			break;
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(h, err, "listing metric names");
	sqlite3_finalize(st);
	return rc;
}

const struct cbench_history_backend cbench_history_sqlite = {
	.version = CBENCH_HISTORY_BACKEND_VERSION,
	.name = "sqlite",
	.accepts = sq_accepts,
	.open = sq_open,
	.close = sq_close,
	.schema_version = schema_version,
	.record = sq_record,
	.stats = sq_stats,
	.runs = sq_runs,
	.trend = sq_trend,
	.metric_names = sq_metric_names,
};

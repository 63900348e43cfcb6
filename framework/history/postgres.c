/*
 * The PostgreSQL backend of the run history (docs/history.md, "PostgreSQL"):
 * one database shared by every runner, spoken to directly through libpq.
 * The same rows as SQLite's (history/backend.h), kept in a schema of
 * PostgreSQL's own: timestamptz times, bigint ids, and platforms, commits
 * and metric names as dimension tables upserted with INSERT ... ON
 * CONFLICT, so writers on many machines never collide.
 *
 * Every value travels as a parameter of PQexecParams (binary for numbers,
 * so no locale can change them), never pasted into SQL; metric rows go in
 * by COPY ... (FORMAT binary). Compiled in only with CBENCH_HAVE_LIBPQ;
 * without it, opening says this cbench was built without PostgreSQL.
 */
#include "history/backend.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "history/history.h"

/* A location is ours when it names PostgreSQL's scheme: a URL, or the bare
 * scheme for libpq's PG* environment variables. */
static bool pg_accepts(const char *location)
{
	static const char *const schemes[] = { "postgresql:", "postgres:" };

	for (size_t i = 0; i < 2; i++)
		if (strncmp(location, schemes[i], strlen(schemes[i])) == 0)
			return true;
	return false;
}

#ifndef CBENCH_HAVE_LIBPQ

static int pg_open(void **out, const char *location, bool create, struct cbench_error *err)
{
	char *shown = cbench_history__mask(location);
	int rc;

	(void)create;
	*out = NULL;
	rc = cbench_error__set(err, CBENCH_EUSAGE,
	                       "%s: this cbench was built without PostgreSQL (libpq); install "
	                       "libpq-dev and rebuild", shown ? shown : "postgresql:");
	free(shown);
	return rc;
}

static void pg_close(void *self)
{
	(void)self;
}

static int pg_schema_version(void)
{
	return 1;
}

static int pg_record(void *self, const struct cbench_history_run_row *run,
                     const struct cbench_history_metric_row *metrics, size_t nmetrics,
                     bool *out_new, struct cbench_error *err)
{
	(void)self, (void)run, (void)metrics, (void)nmetrics, (void)out_new;
	return cbench_error__set(err, CBENCH_ERROR, "built without PostgreSQL");
}

static int pg_stats(void *self, struct cbench_history_stats *out, struct cbench_error *err)
{
	(void)self, (void)out;
	return cbench_error__set(err, CBENCH_ERROR, "built without PostgreSQL");
}

static int pg_runs(void *self, const struct cbench_history_query *q,
                   cbench_history_run_fn on_run, cbench_history_metric_fn on_metric,
                   void *ctx, struct cbench_error *err)
{
	(void)self, (void)q, (void)on_run, (void)on_metric, (void)ctx;
	return cbench_error__set(err, CBENCH_ERROR, "built without PostgreSQL");
}

static int pg_trend(void *self, const char *metric, const char *platform, double from,
                    double to, cbench_history_point_fn on_point, void *ctx,
                    struct cbench_error *err)
{
	(void)self, (void)metric, (void)platform, (void)from, (void)to, (void)on_point, (void)ctx;
	return cbench_error__set(err, CBENCH_ERROR, "built without PostgreSQL");
}

static int pg_metric_names(void *self, double from, double to, const char *const *platforms,
                           size_t nplatforms, cbench_history_name_fn on_name, void *ctx,
                           struct cbench_error *err)
{
	(void)self, (void)from, (void)to, (void)platforms, (void)nplatforms, (void)on_name,
		(void)ctx;
	return cbench_error__set(err, CBENCH_ERROR, "built without PostgreSQL");
}

#else /* CBENCH_HAVE_LIBPQ */

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "base/buf.h"
#include "base/time.h"
#include "base/utf8.h"
#include "base/util.h"
#include "model/run.h"

/* The types of parameters (pg_type.h's OIDs, stable across versions). */
#define BOOLOID 16
#define INT8OID 20
#define TEXTOID 25
#define FLOAT8OID 701
#define TEXTARRAYOID 1009
#define INT8ARRAYOID 1016

/* Seconds between the Unix epoch and PostgreSQL's (2000-01-01). */
#define PG_EPOCH 946684800.0

/* Before any time: the lower bound of "everything". */
#define ALL_TIME -1e10

/* A transaction that failed on a serialisation conflict or a deadlock is
 * run again, this many times in all. */
#define ATTEMPTS 8

struct pg_history {
	PGconn *conn;
	char *shown;        /* the URL with its password masked, for messages */
	char state[6];      /* SQLSTATE of the last error, "" when none */
};

/*
 * Migrations, oldest first, as for SQLite: migrations[i] takes a database
 * from version i to i + 1, in one transaction under an advisory lock.
 * Never edit a released step: append one.
 */
static const char *const migrations[] = {
	/* 1 */
	"CREATE TABLE cbench_meta (\n"
	"	key text PRIMARY KEY,\n"
	"	value text NOT NULL\n"
	");\n"
	"INSERT INTO cbench_meta (key, value) VALUES ('application', 'cbench'),"
	" ('schema_version', '0');\n"
	"CREATE TABLE platforms (\n"
	"	id bigserial PRIMARY KEY,\n"
	"	name text NOT NULL UNIQUE\n"
	");\n"
	"CREATE TABLE commits (\n"
	"	id bigserial PRIMARY KEY,\n"
	"	commit_id text NOT NULL UNIQUE,\n"
	"	short_commit text,\n"
	"	commit_time bigint,\n"
	"	subject text\n"
	");\n"
	"CREATE TABLE metric_names (\n"
	"	id bigserial PRIMARY KEY,\n"
	"	name text NOT NULL UNIQUE\n"
	");\n"
	"CREATE TABLE runs (\n"
	"	id bigserial PRIMARY KEY,\n"
	"	run_id text NOT NULL UNIQUE,\n"
	"	started_at timestamptz NOT NULL,\n"
	"	platform_id bigint NOT NULL REFERENCES platforms (id),\n"
	"	platform_json text,\n"
	"	run_type text NOT NULL,\n"
	"	mode text,\n"
	"	clock text,\n"
	"	commit_ref bigint REFERENCES commits (id),\n"
	"	branch text,\n"
	"	dirty boolean,\n"
	"	hostname text,\n"
	"	compiler text,\n"
	"	cflags text,\n"
	"	cbench_version text,\n"
	"	duration double precision,\n"
	"	interrupted text,\n"
	"	selected bigint,\n"
	"	nmetrics bigint NOT NULL DEFAULT 0,\n"
	"	regressions bigint NOT NULL DEFAULT 0,\n"
	"	improvements bigint,\n"
	"	targets_missed bigint,\n"
	"	compare_stat text,\n"
	"	threshold double precision,\n"
	"	recorded_at timestamptz NOT NULL DEFAULT now()\n"
	");\n"
	"CREATE INDEX runs_platform_t ON runs (platform_id, started_at);\n"
	"CREATE INDEX runs_t ON runs (started_at);\n"
	"CREATE TABLE metrics (\n"
	"	run bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,\n"
	"	seq integer NOT NULL,\n"
	"	metric_id bigint NOT NULL REFERENCES metric_names (id),\n"
	"	t timestamptz NOT NULL,\n"
	"	benchmark text NOT NULL,\n"
	"	value double precision,\n"
	"	unit text,\n"
	"	direction text,\n"
	"	timing boolean,\n"
	"	bench_status text,\n"
	"	n bigint,\n"
	"	min double precision,\n"
	"	max double precision,\n"
	"	mean double precision,\n"
	"	median double precision,\n"
	"	stddev double precision,\n"
	"	iqr double precision,\n"
	"	p95 double precision,\n"
	"	p99 double precision,\n"
	"	ci_low double precision,\n"
	"	ci_high double precision,\n"
	"	status text,\n"
	"	baseline double precision,\n"
	"	change double precision,\n"
	"	threshold double precision,\n"
	"	PRIMARY KEY (run, seq)\n"
	");\n"
	/* (metric, t) finds a trend; INCLUDE carries what a trend reads,
	 * so an index-only scan never visits the heap for them. */
	"CREATE INDEX metrics_name_t ON metrics (metric_id, t)"
	" INCLUDE (value, run, unit, direction, baseline, threshold);\n",
	/* 2: the environment a run was measured in (SQLite's schema 3), so a
	 * reading can be laid beside a turbo switched on or a busy machine */
	"ALTER TABLE runs ADD COLUMN governor text, ADD COLUMN turbo bigint,"
	" ADD COLUMN aslr bigint, ADD COLUMN load_avg double precision,"
	" ADD COLUMN optimized bigint, ADD COLUMN pinned_cpu bigint,"
	" ADD COLUMN repetitions bigint, ADD COLUMN seed bigint;\n",
};

#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

/* The key of the advisory lock that serialises migrations: "cbench" in
 * ASCII, as a number. */
#define MIGRATION_LOCK "426853163880"

static int pg_schema_version(void)
{
	return (int)NMIGRATIONS;
}

/* ---- Errors ------------------------------------------------------------ */

/* libpq's message on one line: its lines joined with "; ". */
static void one_line(char *out, size_t size, const char *msg)
{
	size_t n = 0;
	bool gap = false;

	for (const char *p = msg ? msg : ""; *p && n + 3 < size; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			gap = n > 0;
			continue;
		}
		if (gap) {
			out[n++] = ';';
			out[n++] = ' ';
			gap = false;
		}
		out[n++] = *p;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static int db_error(struct pg_history *h, const PGresult *res, const char *what,
                    struct cbench_error *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char msg[200];

	snprintf(h->state, sizeof(h->state), "%s", state ? state : "");
	one_line(msg, sizeof(msg), primary ? primary : PQerrorMessage(h->conn));
	return cbench_error__set(err, CBENCH_EIO, "%s: %s: %s", h->shown, what,
	                         msg[0] ? msg : "the connection failed");
}

static int no_memory(struct cbench_error *err)
{
	return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
}

/* A conflict the server asks the client to resolve by running again. */
static bool retryable(const struct pg_history *h)
{
	return strcmp(h->state, "40001") == 0 || strcmp(h->state, "40P01") == 0;
}

/* ---- Parameters -------------------------------------------------------- */

#define MAXPARAMS 32

/* The parameters of one statement: text as text, numbers in binary
 * (network order), so neither the locale nor rounding changes them. */
struct params {
	int n;
	const char *values[MAXPARAMS];
	int lengths[MAXPARAMS];
	int formats[MAXPARAMS];
	Oid types[MAXPARAMS];
	unsigned char bin[MAXPARAMS][8];
	char *owned[MAXPARAMS];     /* repaired text, freed by params_free */
};

/*
 * PostgreSQL stores text as valid UTF-8 only, where SQLite keeps any
 * bytes: a string that is not valid (a hostile benchmark name, a Latin-1
 * commit subject) is repaired as every export repairs it (U+FFFD per bad
 * byte, base/utf8.h). NULL when it is valid already, or out of memory.
 */
static char *repaired(const char *s)
{
	struct cbench_buf b = CBENCH_BUF_INIT((size_t)1 << 30);

	if (!s || cbench_utf8__valid(s, strlen(s)))
		return NULL;
	cbench_utf8__repair(&b, s, strlen(s));
	return cbench_buf__take(&b, NULL);
}

/* Frees what the parameters own; they are empty again. */
static void params_free(struct params *p)
{
	for (int i = 0; i < p->n; i++)
		free(p->owned[i]);
	memset(p, 0, sizeof(*p));
}

static void put_be64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static uint64_t get_be64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static void p_null(struct params *p, Oid type)
{
	assert(p->n < MAXPARAMS);
	p->values[p->n] = NULL;
	p->lengths[p->n] = 0;
	p->formats[p->n] = 0;
	p->types[p->n++] = type;
}

/* NULL and "" are NULL, as in SQLite's backend. */
static void p_text(struct params *p, const char *s)
{
	if (!s || !s[0]) {
		p_null(p, TEXTOID);
		return;
	}
	assert(p->n < MAXPARAMS);
	p->owned[p->n] = repaired(s);
	p->values[p->n] = p->owned[p->n] ? p->owned[p->n] : s;
	p->lengths[p->n] = 0;
	p->formats[p->n] = 0;
	p->types[p->n++] = TEXTOID;
}

/* For NOT NULL columns: NULL is "". */
static void p_required(struct params *p, const char *s)
{
	assert(p->n < MAXPARAMS);
	p->owned[p->n] = repaired(s);
	p->values[p->n] = p->owned[p->n] ? p->owned[p->n] : s ? s : "";
	p->lengths[p->n] = 0;
	p->formats[p->n] = 0;
	p->types[p->n++] = TEXTOID;
}

static void p_bin(struct params *p, Oid type, uint64_t bits, int len)
{
	assert(p->n < MAXPARAMS);
	if (len == 1)
		p->bin[p->n][0] = (unsigned char)bits;
	else
		put_be64(p->bin[p->n], bits);
	p->values[p->n] = (const char *)p->bin[p->n];
	p->lengths[p->n] = len;
	p->formats[p->n] = 1;
	p->types[p->n++] = type;
}

static uint64_t double_bits(double v)
{
	uint64_t bits;

	memcpy(&bits, &v, sizeof(bits));
	return bits;
}

/* NaN and infinities are NULL, as in SQLite's backend. */
static void p_double(struct params *p, double v)
{
	if (isfinite(v))
		p_bin(p, FLOAT8OID, double_bits(v), 8);
	else
		p_null(p, FLOAT8OID);
}

/* A time bound: "everything" is -infinity, which to_timestamp takes. */
static void p_time(struct params *p, double t)
{
	p_bin(p, FLOAT8OID, double_bits(t <= ALL_TIME ? -INFINITY : t), 8);
}

static void p_int(struct params *p, int64_t v)
{
	if (v == CBENCH_HISTORY_NULL)
		p_null(p, INT8OID);
	else
		p_bin(p, INT8OID, (uint64_t)v, 8);
}

static void p_bool(struct params *p, int64_t v)
{
	if (v == CBENCH_HISTORY_NULL)
		p_null(p, BOOLOID);
	else
		p_bin(p, BOOLOID, v != 0, 1);
}

/* A text[] in the array literal form, every element quoted. */
static int array_literal(struct cbench_buf *b, const char *const *items, size_t n)
{
	cbench_buf__adds(b, "{");
	for (size_t i = 0; i < n; i++) {
		char *fixed = repaired(items[i]);

		cbench_buf__adds(b, i ? ",\"" : "\"");
		for (const char *s = fixed ? fixed : items[i] ? items[i] : ""; *s; s++) {
			if (*s == '"' || *s == '\\')
				cbench_buf__add(b, "\\", 1);
			cbench_buf__add(b, s, 1);
		}
		free(fixed);
		cbench_buf__adds(b, "\"");
	}
	return cbench_buf__adds(b, "}");
}

/* ---- Statements -------------------------------------------------------- */

/*
 * Runs one statement; the result (binary columns) when it has the status
 * wanted, else NULL with `err` set and the SQLSTATE kept for retrying.
 */
static PGresult *query(struct pg_history *h, const char *sql, const struct params *p,
                       ExecStatusType want, const char *what, struct cbench_error *err)
{
	PGresult *res = PQexecParams(h->conn, sql, p ? p->n : 0, p ? p->types : NULL,
	                             p ? p->values : NULL, p ? p->lengths : NULL,
	                             p ? p->formats : NULL, 1);

	h->state[0] = '\0';
	if (res && PQresultStatus(res) == want)
		return res;
	db_error(h, res, what, err);
	PQclear(res);
	return NULL;
}

static int command(struct pg_history *h, const char *sql, const struct params *p,
                   const char *what, struct cbench_error *err)
{
	PGresult *res = query(h, sql, p, PGRES_COMMAND_OK, what, err);

	if (!res)
		return CBENCH_EIO;
	PQclear(res);
	return 0;
}

/* Ends a failed transaction; a broken connection rolls back by itself. */
static void rollback(struct pg_history *h)
{
	if (PQtransactionStatus(h->conn) != PQTRANS_IDLE)
		PQclear(PQexec(h->conn, "ROLLBACK"));
}

static const char *col_text(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static double col_double(const PGresult *r, int row, int col)
{
	uint64_t bits;
	double v;

	if (PQgetisnull(r, row, col) || PQgetlength(r, row, col) != 8)
		return NAN;
	bits = get_be64((const unsigned char *)PQgetvalue(r, row, col));
	memcpy(&v, &bits, sizeof(v));
	return v;
}

static int64_t col_int(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col) || PQgetlength(r, row, col) != 8)
		return CBENCH_HISTORY_NULL;
	return (int64_t)get_be64((const unsigned char *)PQgetvalue(r, row, col));
}

static int64_t col_bool(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col) || PQgetlength(r, row, col) != 1)
		return CBENCH_HISTORY_NULL;
	return PQgetvalue(r, row, col)[0] != 0;
}

/* ---- Opening: recognise, then migrate ---------------------------------- */

/*
 * The database's schema version, read only: 0 when it has no cbench
 * tables at all, -1 (with *why) when it holds another application's.
 */
static int inspect(struct pg_history *h, int *version, const char **why,
                   struct cbench_error *err)
{
	static const char sql[] =
		/* pg_class itself, read with the statement's snapshot: after
		 * the migration lock, to_regclass's catalog cache could still
		 * miss the tables another process has just committed */
		"SELECT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'cbench_meta'"
		" AND relnamespace = current_schema()::regnamespace),"
		" EXISTS (SELECT 1 FROM pg_class WHERE relname IN ('runs', 'metrics')"
		" AND relnamespace = current_schema()::regnamespace)";
	static const char meta_sql[] =
		"SELECT (SELECT value FROM cbench_meta WHERE key = 'application'),"
		" (SELECT value FROM cbench_meta WHERE key = 'schema_version')";
	PGresult *res;
	const char *app, *ver;
	bool meta, tables;

	*version = 0;
	*why = NULL;
	if (!(res = query(h, sql, NULL, PGRES_TUPLES_OK, "reading the schema", err)))
		return CBENCH_EIO;
	meta = PQgetvalue(res, 0, 0)[0] != 0;
	tables = PQgetvalue(res, 0, 1)[0] != 0;
	PQclear(res);
	if (!meta) {
		if (tables) {
			*version = -1;
			*why = "tables runs or metrics of another application";
		}
		return 0;
	}
	if (!(res = query(h, meta_sql, NULL, PGRES_TUPLES_OK, "reading the schema", err)))
		return CBENCH_EIO;
	app = col_text(res, 0, 0);
	ver = col_text(res, 0, 1);
	if (!app || strcmp(app, "cbench") != 0) {
		*version = -1;
		*why = "a cbench_meta table of another application";
	} else if (!ver || (*version = atoi(ver)) < 1) {
		*version = -1;
		*why = "no schema version";
	}
	PQclear(res);
	return 0;
}

static int judge(struct pg_history *h, int version, const char *why, struct cbench_error *err)
{
	if (version < 0)
		return cbench_error__set(err, CBENCH_EUSAGE, "%s: not a cbench history database (%s)",
		                         h->shown, why);
	if (version > pg_schema_version())
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "%s: written by a newer cbench (schema %d, this cbench "
		                         "reads up to %d)", h->shown, version, pg_schema_version());
	return 0;
}

/*
 * Brings the database to this build's schema in one transaction, under an
 * advisory lock: two runners starting at once on a new database queue
 * here, and the second, once it has the lock, finds the work done.
 */
static int migrate(struct pg_history *h, struct cbench_error *err)
{
	int version = 0, rc;
	const char *why;
	char num[16];
	struct params p = { 0 };
	PGresult *res;

	if ((rc = command(h, "BEGIN", NULL, "starting the schema update", err)))
		goto out;
	if (!(res = query(h, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")", NULL,
	                  PGRES_TUPLES_OK, "waiting for the schema lock", err))) {
		rc = CBENCH_EIO;
		goto out;
	}
	PQclear(res);
	if ((rc = inspect(h, &version, &why, err)) || (rc = judge(h, version, why, err)))
		goto out;
	for (size_t i = (size_t)version; i < NMIGRATIONS; i++) {
		char what[64];

		snprintf(what, sizeof(what), "updating the schema to version %zu", i + 1);
		/* several statements: the simple protocol, no parameters */
		res = PQexec(h->conn, migrations[i]);
		if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
			rc = db_error(h, res, what, err);
			PQclear(res);
			goto out;
		}
		PQclear(res);
	}
	snprintf(num, sizeof(num), "%d", pg_schema_version());
	p_required(&p, num);
	if ((rc = command(h, "UPDATE cbench_meta SET value = $1 WHERE key = 'schema_version'", &p,
	                  "setting the schema version", err)) ||
	    (rc = command(h, "COMMIT", NULL, "committing the schema update", err)))
		goto out;
	return 0;
out:
	rollback(h);
	return rc;
}

static void ignore_notice(void *arg, const char *message)
{
	(void)arg, (void)message;
}

static void pg_close(void *self)
{
	struct pg_history *h = self;

	if (!h)
		return;
	PQfinish(h->conn);
	free(h->shown);
	free(h);
}

static int pg_open(void **out, const char *location, bool create, struct cbench_error *err)
{
	const char *keys[] = { "dbname", "fallback_application_name", "client_encoding", NULL };
	const char *values[] = { NULL, "cbench", "UTF8", NULL };
	struct pg_history *h;
	const char *why;
	int version = 0, rc;
	char msg[200];

	assert(out && location);
	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (!h || !(h->shown = cbench_history__mask(location))) {
		free(h);
		return no_memory(err);
	}
	/* The bare scheme ("postgresql:") is the PG* environment alone;
	 * a URL is expanded by libpq (expand_dbname). */
	values[0] = strstr(location, "://") ? location : "";
	h->conn = PQconnectdbParams(keys, values, 1);
	if (!h->conn) {
		rc = no_memory(err);
		goto fail;
	}
	if (PQstatus(h->conn) != CONNECTION_OK) {
		one_line(msg, sizeof(msg), PQerrorMessage(h->conn));
		rc = cbench_error__set(err, CBENCH_EIO, "%s: cannot connect: %s", h->shown, msg);
		goto fail;
	}
	/* the server's notices ("terminating connection ...") are not
	 * printed: what matters comes back as an error, once */
	PQsetNoticeProcessor(h->conn, ignore_notice, NULL);
	PQclear(PQexec(h->conn, "SET client_min_messages = warning"));
	if ((rc = inspect(h, &version, &why, err)) || (rc = judge(h, version, why, err)))
		goto fail;
	if (version == 0 && !create) {
		rc = cbench_error__set(err, CBENCH_ENOTFOUND, "%s: no history database there (no "
		                       "cbench tables)", h->shown);
		goto fail;
	}
	if (version < pg_schema_version() && (rc = migrate(h, err)))
		goto fail;
	*out = h;
	return 0;
fail:
	pg_close(h);
	return rc;
}

/* ---- Recording --------------------------------------------------------- */

/* The id of a dimension row, inserted when absent. DO NOTHING waits for a
 * writer inserting the same key and then skips it; the SELECT after it is
 * a new statement, so it sees that writer's row. */
static int dimension(struct pg_history *h, const char *upsert, const char *select,
                     const struct params *p, int64_t *id, struct cbench_error *err)
{
	PGresult *res;

	if (command(h, upsert, p, "recording a run", err))
		return CBENCH_EIO;
	/* select takes the key only: the first parameter */
	{
		struct params key = *p;

		key.n = 1;
		if (!(res = query(h, select, &key, PGRES_TUPLES_OK, "recording a run", err)))
			return CBENCH_EIO;
	}
	*id = PQntuples(res) == 1 ? col_int(res, 0, 0) : CBENCH_HISTORY_NULL;
	PQclear(res);
	if (*id == CBENCH_HISTORY_NULL)
		return cbench_error__set(err, CBENCH_EIO, "%s: recording a run: a dimension row "
		                         "vanished", h->shown);
	return 0;
}

/* Names and their ids, sorted by name for bsearch. */
struct name_id {
	const char *name;
	int64_t id;
};

static int cmp_name_id(const void *a, const void *b)
{
	return strcmp(((const struct name_id *)a)->name, ((const struct name_id *)b)->name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The ids of the metric names of a run, inserting the new ones in one
 * statement. Sorted names lock in the same order in every writer, so two
 * writers adding the same new names wait for each other, never deadlock.
 */
static int metric_ids(struct pg_history *h, const struct cbench_history_metric_row *m,
                      size_t n, struct name_id **out, size_t *nout, struct cbench_error *err)
{
	const char **names = malloc((n ? n : 1) * sizeof(*names));
	struct cbench_buf arr = CBENCH_BUF_INIT((size_t)1 << 30);
	struct name_id *ids = NULL;
	struct params p = { 0 };
	PGresult *res = NULL;
	size_t k = 0;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	if (!names)
		return no_memory(err);
	for (size_t i = 0; i < n; i++)
		names[i] = m[i].name ? m[i].name : "";
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || strcmp(names[k - 1], names[i]) != 0)
			names[k++] = names[i];
	if (array_literal(&arr, names, k)) {
		rc = no_memory(err);
		goto out;
	}
	p_required(&p, cbench_buf__str(&arr));
	p.types[0] = TEXTARRAYOID;
	if ((rc = command(h, "INSERT INTO metric_names (name) SELECT x FROM unnest($1::text[]) AS x"
	                     " ORDER BY x ON CONFLICT (name) DO NOTHING", &p,
	                  "recording the metric names", err)))
		goto out;
	if (!(res = query(h, "SELECT name, id FROM metric_names WHERE name = ANY ($1::text[])", &p,
	                  PGRES_TUPLES_OK, "recording the metric names", err))) {
		rc = CBENCH_EIO;
		goto out;
	}
	ids = malloc(((size_t)PQntuples(res) + 1) * sizeof(*ids));
	if (!ids) {
		rc = no_memory(err);
		goto out;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		/* the names are the run's own strings, which outlive res */
		struct name_id key = { PQgetvalue(res, i, 0), col_int(res, i, 1) };
		const char **found = bsearch(&key.name, names, k, sizeof(*names), cmp_str);

		if (found) {
			ids[*nout].name = *found;
			ids[(*nout)++].id = key.id;
		}
	}
	qsort(ids, *nout, sizeof(*ids), cmp_name_id);
	if (*nout != k)
		rc = cbench_error__set(err, CBENCH_EIO, "%s: recording the metric names: %zu of %zu "
		                       "found", h->shown, *nout, k);
out:
	params_free(&p);
	PQclear(res);
	cbench_buf__free(&arr);
	free(names);
	if (rc) {
		free(ids);
		ids = NULL;
		*nout = 0;
	}
	*out = ids;
	return rc;
}

/* COPY binary: each field is its length (-1: NULL) then its bytes. */
static void copy_be32(struct cbench_buf *b, int32_t v)
{
	unsigned char x[4] = { (unsigned char)((uint32_t)v >> 24), (unsigned char)((uint32_t)v >> 16),
	                       (unsigned char)((uint32_t)v >> 8), (unsigned char)v };

	cbench_buf__add(b, x, 4);
}

static void copy_null(struct cbench_buf *b)
{
	copy_be32(b, -1);
}

static void copy_text(struct cbench_buf *b, const char *s, bool required)
{
	if (!s || (!s[0] && !required)) {
		copy_null(b);
		return;
	}
	copy_be32(b, (int32_t)strlen(s));
	cbench_buf__add(b, s, strlen(s));
}

static void copy_u64(struct cbench_buf *b, uint64_t v)
{
	unsigned char x[8];

	put_be64(x, v);
	copy_be32(b, 8);
	cbench_buf__add(b, x, 8);
}

static void copy_double(struct cbench_buf *b, double v)
{
	if (isfinite(v))
		copy_u64(b, double_bits(v));
	else
		copy_null(b);
}

static void copy_int(struct cbench_buf *b, int64_t v)
{
	if (v == CBENCH_HISTORY_NULL)
		copy_null(b);
	else
		copy_u64(b, (uint64_t)v);
}

/* A metric row of the run `run`, the seq-th, as a COPY binary tuple. */
static void copy_metric(struct cbench_buf *b, int64_t run, int32_t seq, int64_t metric_id,
                        double t, const struct cbench_history_metric_row *m)
{
	const double stats[] = { m->min, m->max, m->mean, m->median, m->stddev, m->iqr,
	                         m->p95, m->p99, m->ci_low, m->ci_high };
	unsigned char x[2] = { 0, 25 };

	cbench_buf__add(b, x, 2);             /* the number of fields */
	copy_int(b, run);
	copy_be32(b, 4);
	copy_be32(b, seq);
	copy_int(b, metric_id);
	/* timestamptz: microseconds since 2000-01-01 */
	copy_int(b, (int64_t)llround((t - PG_EPOCH) * 1e6));
	copy_text(b, m->benchmark, true);
	copy_double(b, m->value);
	copy_text(b, m->unit, false);
	copy_text(b, m->direction, false);
	if (m->timing == CBENCH_HISTORY_NULL) {
		copy_null(b);
	} else {
		unsigned char v = m->timing != 0;

		copy_be32(b, 1);
		cbench_buf__add(b, &v, 1);
	}
	copy_text(b, m->bench_status, false);
	copy_int(b, m->n);
	for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
		copy_double(b, stats[i]);
	copy_text(b, m->status, false);
	copy_double(b, m->baseline);
	copy_double(b, m->change);
	copy_double(b, m->threshold);
}

static int copy_metrics(struct pg_history *h, int64_t run, double t,
                        const struct cbench_history_metric_row *m, size_t n,
                        const struct name_id *ids, size_t nids, struct cbench_error *err)
{
	static const char header[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
	struct cbench_buf b = CBENCH_BUF_INIT((size_t)1 << 31);
	PGresult *res;
	int rc = 0;

	cbench_buf__add(&b, header, sizeof(header));
	for (size_t i = 0; i < n; i++) {
		struct name_id key = { m[i].name ? m[i].name : "", 0 };
		const struct name_id *id = bsearch(&key, ids, nids, sizeof(*ids), cmp_name_id);

		assert(id);
		copy_metric(&b, run, (int32_t)i, id->id, t, &m[i]);
	}
	{
		unsigned char trailer[2] = { 0xff, 0xff };

		if (cbench_buf__add(&b, trailer, 2))
			return no_memory(err);
	}
	if (!(res = query(h, "COPY metrics (run, seq, metric_id, t, benchmark, value, unit,"
	                     " direction, timing, bench_status, n, min, max, mean, median, stddev,"
	                     " iqr, p95, p99, ci_low, ci_high, status, baseline, change, threshold)"
	                     " FROM STDIN (FORMAT binary)", NULL, PGRES_COPY_IN,
	                  "recording the metrics", err))) {
		cbench_buf__free(&b);
		return CBENCH_EIO;
	}
	PQclear(res);
	if (PQputCopyData(h->conn, cbench_buf__str(&b), (int)cbench_buf__len(&b)) != 1 ||
	    PQputCopyEnd(h->conn, NULL) != 1) {
		rc = db_error(h, NULL, "recording the metrics", err);
		cbench_buf__free(&b);
		while ((res = PQgetResult(h->conn)))
			PQclear(res);
		return rc;
	}
	cbench_buf__free(&b);
	while ((res = PQgetResult(h->conn))) {
		if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = db_error(h, res, "recording the metrics", err);
		PQclear(res);
	}
	return rc;
}

/*
 * A run_id already recorded: the same run again (imported twice, or
 * recorded and then imported) is nothing to do; another run under that
 * id is an error, never an overwrite.
 */
static int same_run(struct pg_history *h, const struct cbench_history_run_row *run,
                    struct cbench_error *err)
{
	static const char sql[] =
		"SELECT extract(epoch FROM r.started_at)::float8, p.name, r.nmetrics, r.hostname"
		" FROM runs AS r JOIN platforms AS p ON p.id = r.platform_id WHERE r.run_id = $1";
	struct params p = { 0 };
	PGresult *res;
	bool same;

	p_required(&p, run->run_id);
	res = query(h, sql, &p, PGRES_TUPLES_OK, "recording a run", err);
	params_free(&p);
	if (!res)
		return CBENCH_EIO;
	same = PQntuples(res) == 1 && fabs(col_double(res, 0, 0) - run->t) < 1e-3 &&
	       strcmp(PQgetvalue(res, 0, 1), run->platform ? run->platform : "") == 0 &&
	       col_int(res, 0, 2) == run->nmetrics &&
	       strcmp(col_text(res, 0, 3) ? col_text(res, 0, 3) : "",
	              run->hostname ? run->hostname : "") == 0;
	PQclear(res);
	if (!same)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "%s: run %s is already recorded with other content (start, "
		                         "platform, host or metrics differ); not overwritten",
		                         h->shown, run->run_id);
	return 0;
}

static const char insert_run_sql[] =
	"INSERT INTO runs (run_id, started_at, platform_id, platform_json, run_type, mode,"
	" clock, commit_ref, branch, dirty, hostname, compiler, cflags, cbench_version,"
	" duration, interrupted, selected, nmetrics, regressions, improvements,"
	" targets_missed, compare_stat, threshold, recorded_at, governor, turbo, aslr,"
	" load_avg, optimized, pinned_cpu, repetitions, seed)"
	" VALUES ($1, to_timestamp($2), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
	" $15, $16, $17, $18, $19, $20, $21, $22, $23, coalesce($24::timestamptz, now()),"
	" $25, $26, $27, $28, $29, $30, $31, $32)"
	" ON CONFLICT (run_id) DO NOTHING RETURNING id";

/* One attempt at recording a run: the transaction, begun and ended. */
static int record_once(struct pg_history *h, const struct cbench_history_run_row *run,
                       const struct cbench_history_metric_row *metrics, size_t nmetrics,
                       bool *out_new, struct cbench_error *err)
{
	struct params p = { 0 };
	struct name_id *ids = NULL;
	size_t nids = 0;
	int64_t platform_id, commit_ref = CBENCH_HISTORY_NULL, run_row;
	PGresult *res;
	int rc;

	if ((rc = command(h, "BEGIN", NULL, "starting to record a run", err)))
		return rc;
	p_required(&p, run->platform);
	if ((rc = dimension(h, "INSERT INTO platforms (name) VALUES ($1) ON CONFLICT (name)"
	                       " DO NOTHING", "SELECT id FROM platforms WHERE name = $1", &p,
	                    &platform_id, err)))
		goto out;
	if (run->commit && run->commit[0]) {
		params_free(&p);
		p_required(&p, run->commit);
		p_text(&p, run->short_commit);
		p_int(&p, run->commit_time);
		p_text(&p, run->subject);
		if ((rc = dimension(h, "INSERT INTO commits (commit_id, short_commit, commit_time,"
		                       " subject) VALUES ($1, $2, $3, $4) ON CONFLICT (commit_id)"
		                       " DO NOTHING", "SELECT id FROM commits WHERE commit_id = $1",
		                    &p, &commit_ref, err)))
			goto out;
	}
	params_free(&p);
	p_required(&p, run->run_id);
	p_bin(&p, FLOAT8OID, double_bits(run->t), 8);
	p_int(&p, platform_id);
	p_text(&p, run->platform_json);
	p_required(&p, run->run_type);
	p_text(&p, run->mode);
	p_text(&p, run->clock);
	p_int(&p, commit_ref);
	p_text(&p, run->branch);
	p_bool(&p, run->dirty);
	p_text(&p, run->hostname);
	p_text(&p, run->compiler);
	p_text(&p, run->cflags);
	p_text(&p, run->cbench_version);
	p_double(&p, run->duration);
	p_text(&p, run->interrupted);
	p_int(&p, run->selected);
	p_int(&p, run->nmetrics == CBENCH_HISTORY_NULL ? 0 : run->nmetrics);
	p_int(&p, run->regressions == CBENCH_HISTORY_NULL ? 0 : run->regressions);
	p_int(&p, run->improvements);
	p_int(&p, run->targets_missed);
	p_text(&p, run->compare_stat);
	p_double(&p, run->threshold);
	p_text(&p, run->recorded_at);
	p_text(&p, run->governor);
	p_int(&p, run->turbo);
	p_int(&p, run->aslr);
	p_double(&p, run->load_avg);
	p_int(&p, run->optimized);
	p_int(&p, run->pinned_cpu);
	p_int(&p, run->repetitions);
	p_int(&p, run->seed);
	if (!(res = query(h, insert_run_sql, &p, PGRES_TUPLES_OK, "recording a run", err))) {
		rc = CBENCH_EIO;
		goto out;
	}
	run_row = PQntuples(res) == 1 ? col_int(res, 0, 0) : CBENCH_HISTORY_NULL;
	PQclear(res);
	if (run_row == CBENCH_HISTORY_NULL) {
		/* recorded before: nothing of this transaction is kept */
		rc = same_run(h, run, err);
		goto out;
	}
	if (nmetrics && ((rc = metric_ids(h, metrics, nmetrics, &ids, &nids, err)) ||
	                 (rc = copy_metrics(h, run_row, run->t, metrics, nmetrics, ids, nids, err))))
		goto out;
	if ((rc = command(h, "COMMIT", NULL, "committing a run", err)))
		goto out;
	*out_new = true;
out:
	params_free(&p);
	free(ids);
	rollback(h);
	return rc;
}

/* Strings repaired for PostgreSQL (repaired()), freed together. */
struct fixes {
	char **v;
	size_t n, cap;
};

/* Repairs every string field in `fields` that is not valid UTF-8; the
 * repaired copies are `f`'s. False when out of memory. */
static bool fix_fields(struct fixes *f, const char **const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char **field = (const char **)fields[i];
		char *fixed = repaired(*field);

		if (!fixed)
			continue;
		if (f->n == f->cap) {
			size_t cap = f->cap ? 2 * f->cap : 16;
			char **v = realloc(f->v, cap * sizeof(*v));

			if (!v) {
				free(fixed);
				return false;
			}
			f->v = v;
			f->cap = cap;
		}
		f->v[f->n++] = fixed;
		*field = fixed;
	}
	return true;
}

/*
 * The rows with every string valid UTF-8: `run` and `metrics` themselves
 * when they are (the usual case, no copy), else repaired copies in *run_out
 * and *metrics_out (free *metrics_out and the fixes).
 */
static int valid_rows(const struct cbench_history_run_row *run,
                      const struct cbench_history_metric_row *metrics, size_t nmetrics,
                      struct cbench_history_run_row *run_out,
                      struct cbench_history_metric_row **metrics_out, struct fixes *f,
                      struct cbench_error *err)
{
	const char **const rs[] = CBENCH_HISTORY_RUN_STRINGS(run_out);
	struct cbench_history_metric_row *m;

	*run_out = *run;
	*metrics_out = NULL;
	if (!fix_fields(f, rs, sizeof(rs) / sizeof(rs[0])))
		return no_memory(err);
	for (size_t i = 0; i < nmetrics; i++) {
		const struct cbench_history_metric_row *row = &metrics[i];
		const char *const ms[] = { row->benchmark, row->name, row->unit, row->direction,
		                           row->bench_status, row->status };
		bool ok = true;

		for (size_t k = 0; k < sizeof(ms) / sizeof(ms[0]) && ok; k++)
			ok = !ms[k] || cbench_utf8__valid(ms[k], strlen(ms[k]));
		if (ok)
			continue;
		/* one metric is not: repair a copy of them all */
		m = malloc(nmetrics * sizeof(*m));
		if (!m)
			return no_memory(err);
		memcpy(m, metrics, nmetrics * sizeof(*m));
		*metrics_out = m;
		for (size_t j = 0; j < nmetrics; j++) {
			const char **const fields[] = CBENCH_HISTORY_METRIC_STRINGS(&m[j]);

			if (!fix_fields(f, fields, sizeof(fields) / sizeof(fields[0])))
				return no_memory(err);
		}
		break;
	}
	return 0;
}

static int pg_record(void *self, const struct cbench_history_run_row *run_in,
                     const struct cbench_history_metric_row *metrics_in, size_t nmetrics,
                     bool *out_new, struct cbench_error *err)
{
	struct pg_history *h = self;
	struct cbench_history_run_row run_row;
	const struct cbench_history_run_row *run = &run_row;
	struct cbench_history_metric_row *fixed = NULL;
	const struct cbench_history_metric_row *metrics;
	struct fixes f = { NULL, 0, 0 };
	int rc = 0;

	*out_new = false;
	if ((rc = valid_rows(run_in, metrics_in, nmetrics, &run_row, &fixed, &f, err)))
		goto out;
	metrics = fixed ? fixed : metrics_in;
	for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
		rc = record_once(h, run, metrics, nmetrics, out_new, err);
		if (rc == 0 || !retryable(h) || PQstatus(h->conn) != CONNECTION_OK)
			break;
		/* back off a little more each time, by a pause that differs
		 * between processes, so two writers that collided do not
		 * collide again */
		{
			struct timespec ts = { 0, (long)(attempt * 10 + getpid() % 20) * 1000000L };

			nanosleep(&ts, NULL);
		}
	}
out:
	for (size_t i = 0; i < f.n; i++)
		free(f.v[i]);
	free(f.v);
	free(fixed);
	return rc;
}

/* ---- Reading ----------------------------------------------------------- */

static void iso_of(char out[32], double t)
{
	if (isnan(t))
		out[0] = '\0';
	else
		cbench__iso8601(out, t);
}

static int pg_stats(void *self, struct cbench_history_stats *out, struct cbench_error *err)
{
	static const char sql[] =
		"SELECT (SELECT count(*) FROM runs), (SELECT count(DISTINCT platform_id) FROM runs),"
		" (SELECT count(*) FROM metrics),"
		" (SELECT extract(epoch FROM min(started_at))::float8 FROM runs),"
		" (SELECT extract(epoch FROM max(started_at))::float8 FROM runs)";
	struct pg_history *h = self;
	PGresult *res;

	memset(out, 0, sizeof(*out));
	if (!(res = query(h, sql, NULL, PGRES_TUPLES_OK, "counting runs", err)))
		return CBENCH_EIO;
	out->total_runs = col_int(res, 0, 0);
	out->platforms = col_int(res, 0, 1);
	out->metrics = col_int(res, 0, 2);
	iso_of(out->first_run, col_double(res, 0, 3));
	iso_of(out->last_run, col_double(res, 0, 4));
	PQclear(res);
	return 0;
}

#define RUN_COLUMNS "r.id, r.run_id, extract(epoch FROM r.started_at)::float8, p.name," \
	" r.platform_json, r.run_type, r.mode, r.clock, c.commit_id, c.short_commit, r.branch," \
	" r.dirty, c.commit_time, c.subject, r.hostname, r.compiler, r.cflags," \
	" r.cbench_version, r.duration, r.interrupted, r.selected, r.nmetrics, r.regressions," \
	" r.improvements, r.targets_missed, r.compare_stat, r.threshold," \
	" extract(epoch FROM r.recorded_at)::float8, r.governor, r.turbo, r.aslr, r.load_avg," \
	" r.optimized, r.pinned_cpu, r.repetitions, r.seed"

#define METRIC_COLUMNS "m.run, m.benchmark, n.name, m.value, m.unit, m.direction, m.timing," \
	" m.bench_status, m.n, m.min, m.max, m.mean, m.median, m.stddev, m.iqr, m.p95, m.p99," \
	" m.ci_low, m.ci_high, m.status, m.baseline, m.change, m.threshold"

/* Strings that are formatted from the row, for the callback's while. */
struct run_text {
	char started_at[32];
	char recorded_at[32];
};

static void read_run(struct cbench_history_run_row *r, struct run_text *txt,
                     const PGresult *res, int i)
{
	memset(r, 0, sizeof(*r));
	r->id = col_int(res, i, 0);
	r->run_id = col_text(res, i, 1);
	r->t = col_double(res, i, 2);
	iso_of(txt->started_at, r->t);
	r->started_at = txt->started_at;
	r->platform = col_text(res, i, 3);
	r->platform_json = col_text(res, i, 4);
	r->run_type = col_text(res, i, 5);
	r->mode = col_text(res, i, 6);
	r->clock = col_text(res, i, 7);
	r->commit = col_text(res, i, 8);
	r->short_commit = col_text(res, i, 9);
	r->branch = col_text(res, i, 10);
	r->dirty = col_bool(res, i, 11);
	r->commit_time = col_int(res, i, 12);
	r->subject = col_text(res, i, 13);
	r->hostname = col_text(res, i, 14);
	r->compiler = col_text(res, i, 15);
	r->cflags = col_text(res, i, 16);
	r->cbench_version = col_text(res, i, 17);
	r->duration = col_double(res, i, 18);
	r->interrupted = col_text(res, i, 19);
	r->selected = col_int(res, i, 20);
	r->nmetrics = col_int(res, i, 21);
	r->regressions = col_int(res, i, 22);
	r->improvements = col_int(res, i, 23);
	r->targets_missed = col_int(res, i, 24);
	r->compare_stat = col_text(res, i, 25);
	r->threshold = col_double(res, i, 26);
	iso_of(txt->recorded_at, col_double(res, i, 27));
	r->recorded_at = txt->recorded_at;
	r->governor = col_text(res, i, 28);
	r->turbo = col_int(res, i, 29);
	r->aslr = col_int(res, i, 30);
	r->load_avg = col_double(res, i, 31);
	r->optimized = col_int(res, i, 32);
	r->pinned_cpu = col_int(res, i, 33);
	r->repetitions = col_int(res, i, 34);
	r->seed = col_int(res, i, 35);
}

static void read_metric(struct cbench_history_metric_row *m, const PGresult *res, int i)
{
	m->benchmark = col_text(res, i, 1);
	m->name = col_text(res, i, 2);
	m->value = col_double(res, i, 3);
	m->unit = col_text(res, i, 4);
	m->direction = col_text(res, i, 5);
	m->timing = col_bool(res, i, 6);
	m->bench_status = col_text(res, i, 7);
	m->n = col_int(res, i, 8);
	m->min = col_double(res, i, 9);
	m->max = col_double(res, i, 10);
	m->mean = col_double(res, i, 11);
	m->median = col_double(res, i, 12);
	m->stddev = col_double(res, i, 13);
	m->iqr = col_double(res, i, 14);
	m->p95 = col_double(res, i, 15);
	m->p99 = col_double(res, i, 16);
	m->ci_low = col_double(res, i, 17);
	m->ci_high = col_double(res, i, 18);
	m->status = col_text(res, i, 19);
	m->baseline = col_double(res, i, 20);
	m->change = col_double(res, i, 21);
	m->threshold = col_double(res, i, 22);
}

/* Metrics are fetched for this many runs at a time: one round trip per
 * batch, and a bounded result in memory. */
#define BATCH 64

/* The metrics of runs[first .. first + n), ordered by run and then as
 * recorded, in one query. */
static PGresult *batch_metrics(struct pg_history *h, const PGresult *runs, int first, int n,
                               struct cbench_error *err)
{
	struct cbench_buf arr = CBENCH_BUF_INIT(1 << 20);
	struct params p = { 0 };
	PGresult *res;

	cbench_buf__adds(&arr, "{");
	for (int i = 0; i < n; i++)
		cbench_buf__addf(&arr, "%s%lld", i ? "," : "", (long long)col_int(runs, first + i, 0));
	if (cbench_buf__adds(&arr, "}")) {
		no_memory(err);
		return NULL;
	}
	p_required(&p, cbench_buf__str(&arr));
	p.types[0] = INT8ARRAYOID;
	res = query(h, "SELECT " METRIC_COLUMNS " FROM metrics AS m"
	               " JOIN metric_names AS n ON n.id = m.metric_id"
	               " WHERE m.run = ANY ($1::bigint[]) ORDER BY m.run, m.seq", &p,
	            PGRES_TUPLES_OK, "reading metrics", err);
	cbench_buf__free(&arr);
	return res;
}

static int pg_runs(void *self, const struct cbench_history_query *q,
                   cbench_history_run_fn on_run, cbench_history_metric_fn on_metric,
                   void *ctx, struct cbench_error *err)
{
	struct pg_history *h = self;
	struct cbench_buf sql = CBENCH_BUF_INIT(4096);
	struct params p = { 0 };
	PGresult *runs = NULL, *metrics = NULL;
	int rc, nruns;

	/* One snapshot: a run recorded meanwhile is wholly in or out. */
	if ((rc = command(h, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL,
	                  "starting to read runs", err)))
		return rc;
	cbench_buf__adds(&sql, "SELECT " RUN_COLUMNS " FROM runs AS r"
	                       " JOIN platforms AS p ON p.id = r.platform_id"
	                       " LEFT JOIN commits AS c ON c.id = r.commit_ref");
	cbench_buf__adds(&sql, " WHERE ($1::text IS NULL OR p.name = $1)");
	cbench_buf__adds(&sql, q->oldest_first ? " ORDER BY r.started_at, r.id"
	                                       : " ORDER BY r.started_at DESC, r.id DESC");
	if (cbench_buf__adds(&sql, " LIMIT $2")) {
		rc = no_memory(err);
		goto out;
	}
	p_text(&p, q->platform);
	p_int(&p, q->limit && q->limit < INT64_MAX ? (int64_t)q->limit : CBENCH_HISTORY_NULL);
	if (!(runs = query(h, cbench_buf__str(&sql), &p, PGRES_TUPLES_OK, "reading runs", err))) {
		rc = CBENCH_EIO;
		goto out;
	}
	nruns = PQntuples(runs);
	for (int first = 0; first < nruns; first += BATCH) {
		int n = nruns - first < BATCH ? nruns - first : BATCH, row = 0;

		if (on_metric && !(metrics = batch_metrics(h, runs, first, n, err))) {
			rc = CBENCH_EIO;
			goto out;
		}
		for (int i = first; i < first + n; i++) {
			struct cbench_history_run_row run;
			struct run_text txt;
			int lo = 0, hi;

			read_run(&run, &txt, runs, i);
			if ((rc = on_run(ctx, &run)))
				goto out;
			if (!metrics)
				continue;
			/* rows are by run id: find this run's first one */
			hi = PQntuples(metrics);
			while (lo < hi) {
				int mid = lo + (hi - lo) / 2;

				if (col_int(metrics, mid, 0) < run.id)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (row = lo; row < PQntuples(metrics) && col_int(metrics, row, 0) == run.id;
			     row++) {
				struct cbench_history_metric_row m;

				read_metric(&m, metrics, row);
				if ((rc = on_metric(ctx, &run, &m)))
					goto out;
			}
		}
		PQclear(metrics);
		metrics = NULL;
	}
out:
	params_free(&p);
	cbench_buf__free(&sql);
	PQclear(runs);
	PQclear(metrics);
	rollback(h);
	return rc;
}

static int pg_trend(void *self, const char *metric, const char *platform, double from,
                    double to, cbench_history_point_fn on_point, void *ctx,
                    struct cbench_error *err)
{
	/* The metric's id first, then a range of metrics_name_t. */
	static const char sql[] =
		"SELECT extract(epoch FROM m.t)::float8, m.value, p.name, c.short_commit, m.unit,"
		" m.direction, m.baseline, m.threshold"
		" FROM metric_names AS n"
		" JOIN metrics AS m ON m.metric_id = n.id"
		" JOIN runs AS r ON r.id = m.run"
		" JOIN platforms AS p ON p.id = r.platform_id"
		" LEFT JOIN commits AS c ON c.id = r.commit_ref"
		" WHERE n.name = $1 AND m.t >= to_timestamp($2) AND m.t <= to_timestamp($3)"
		" AND m.value IS NOT NULL AND ($4::text IS NULL OR p.name = $4)"
		" ORDER BY m.t, m.run, m.seq";
	struct pg_history *h = self;
	struct params p = { 0 };
	PGresult *res;
	int rc = 0;

	p_required(&p, metric);
	p_time(&p, from);
	p_time(&p, to);
	p_text(&p, platform);
	res = query(h, sql, &p, PGRES_TUPLES_OK, "reading a trend", err);
	params_free(&p);
	if (!res)
		return CBENCH_EIO;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		struct cbench_history_point pt;

		memset(&pt, 0, sizeof(pt));
		pt.t = col_double(res, i, 0);
		iso_of(pt.started_at, pt.t);
		pt.value = col_double(res, i, 1);
		snprintf(pt.platform, sizeof(pt.platform), "%s", PQgetvalue(res, i, 2));
		snprintf(pt.commit, sizeof(pt.commit), "%s", PQgetvalue(res, i, 3));
		snprintf(pt.unit, sizeof(pt.unit), "%s", PQgetvalue(res, i, 4));
		pt.direction = cbench_run__direction_of(col_text(res, i, 5));
		pt.baseline = col_double(res, i, 6);
		pt.threshold = col_double(res, i, 7);
		rc = on_point(ctx, &pt);
	}
	PQclear(res);
	return rc;
}

static int pg_metric_names(void *self, double from, double to, const char *const *platforms,
                           size_t nplatforms, cbench_history_name_fn on_name, void *ctx,
                           struct cbench_error *err)
{
	/* Each name asks metrics_name_t whether it has a row in the period:
	 * one index probe per name, not a scan of the period's rows. */
	static const char sql[] =
		"SELECT n.name FROM metric_names AS n WHERE EXISTS (SELECT 1 FROM metrics AS m"
		" JOIN runs AS r ON r.id = m.run JOIN platforms AS p ON p.id = r.platform_id"
		" WHERE m.metric_id = n.id AND m.t >= to_timestamp($1) AND m.t <= to_timestamp($2)"
		" AND ($3::text[] IS NULL OR p.name = ANY ($3::text[])))"
		" ORDER BY n.name COLLATE \"C\"";
	struct pg_history *h = self;
	struct cbench_buf arr = CBENCH_BUF_INIT((size_t)1 << 24);
	struct params p = { 0 };
	PGresult *res;
	int rc = 0;

	p_time(&p, from);
	p_time(&p, to);
	if (platforms && nplatforms) {
		if (array_literal(&arr, platforms, nplatforms))
			return no_memory(err);
		p_required(&p, cbench_buf__str(&arr));
		p.types[2] = TEXTARRAYOID;
	} else {
		p_null(&p, TEXTARRAYOID);
	}
	res = query(h, sql, &p, PGRES_TUPLES_OK, "listing metric names", err);
	params_free(&p);
	cbench_buf__free(&arr);
	if (!res)
		return CBENCH_EIO;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++)
		rc = on_name(ctx, PQgetvalue(res, i, 0));
	PQclear(res);
	return rc;
}

#endif /* CBENCH_HAVE_LIBPQ */

const struct cbench_history_backend cbench_history_postgres = {
	.version = CBENCH_HISTORY_BACKEND_VERSION,
	.name = "postgresql",
	.accepts = pg_accepts,
	.open = pg_open,
	.close = pg_close,
	.schema_version = pg_schema_version,
	.record = pg_record,
	.stats = pg_stats,
	.runs = pg_runs,
	.trend = pg_trend,
	.metric_names = pg_metric_names,
};

#ifndef CBENCH_FRAMEWORK_HISTORY_BACKEND_H
#define CBENCH_FRAMEWORK_HISTORY_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbench/error.h"

struct cbench_history;
struct cbench_history_point;
struct cbench_history_stats;

/*
 * A storage backend of the run history, as a table of callbacks (libgit2's
 * git_odb_backend, curl's vtls): history.c picks one by the location it is
 * given and forwards every cbench_history__* call to it. A backend stores
 * and finds rows; it formats nothing. What a run becomes as rows (the
 * signal's name, the platform as JSON, the derived run id, the time as
 * seconds), and what rows become (exports, results documents, trends,
 * series), is shared code in history.c and export.c, so two backends
 * cannot disagree about it.
 *
 * Rows borrow their strings: from the run being recorded, or, passed to a
 * callback, from the backend until that callback returns. A NULL string is
 * SQL NULL (an empty one is stored as NULL too); a NAN double is NULL; a
 * nullable integer is CBENCH_HISTORY_NULL when NULL.
 *
 * Every callback returns 0 or a negative CBENCH_E* code and fills `err`
 * with a message naming the database (its path or URL). A callback a
 * backend was given that returns non-zero stops the reading, and the
 * backend returns that code unchanged.
 */

/* 2: open takes `create` (PostgreSQL came, and a server's database
 * cannot be told missing by looking for a file). */
#define CBENCH_HISTORY_BACKEND_VERSION 2

#define CBENCH_HISTORY_NULL INT64_MIN

/* One row of `runs` (docs/history.md, "Schema"). */
struct cbench_history_run_row {
	int64_t id;                  /* the backend's row id; not exported */
	const char *run_id;
	const char *started_at;      /* ISO-8601 UTC */
	double t;                    /* started_at in seconds since the epoch */
	const char *platform;
	const char *platform_json;   /* the platform as `cbench platform --json` */
	const char *run_type;
	const char *mode;
	const char *clock;
	const char *commit;
	const char *short_commit;
	const char *branch;
	int64_t dirty;               /* 0, 1 or CBENCH_HISTORY_NULL */
	int64_t commit_time;         /* seconds, or CBENCH_HISTORY_NULL */
	const char *subject;
	const char *hostname;
	const char *compiler;
	const char *cflags;
	const char *cbench_version;
	double duration;
	const char *interrupted;     /* "SIGINT", "SIGTERM", ... or NULL */
	int64_t selected;
	int64_t nmetrics;            /* metric rows recorded with the run */
	int64_t regressions;
	int64_t improvements;
	int64_t targets_missed;
	const char *compare_stat;    /* NULL when not compared */
	double threshold;            /* NAN when not compared */
	const char *recorded_at;     /* ISO-8601 UTC */
	/* The environment (schema 3): CBENCH_HISTORY_NULL / NAN / NULL when
	 * not known, and for runs recorded before it was. */
	const char *governor;
	int64_t turbo;               /* 0 or 1 */
	int64_t aslr;                /* randomize_va_space: 0, 1 or 2 */
	double load_avg;             /* 1-minute load average at the start */
	int64_t optimized;           /* 0 or 1: every benchmark built with -O */
	int64_t pinned_cpu;          /* --cpu, NULL when not pinned */
	int64_t repetitions;         /* --repetitions */
	int64_t seed;                /* their shuffle's seed */
};

/* One row of `metrics`: one metric of one benchmark of one run. */
struct cbench_history_metric_row {
	const char *benchmark;       /* suite.name[param] */
	const char *name;
	double value;
	const char *unit;
	const char *direction;       /* "lower" or "higher" */
	int64_t timing;              /* 0, 1 or CBENCH_HISTORY_NULL */
	const char *bench_status;    /* the benchmark's status */
	int64_t n;                   /* or CBENCH_HISTORY_NULL */
	double min, max, mean, median, stddev, iqr, p95, p99, ci_low, ci_high;
	const char *status;          /* the verdict */
	double baseline, change, threshold;
};

/* Which runs `runs` visits. */
struct cbench_history_query {
	const char *platform;        /* NULL: every platform */
	size_t limit;                /* 0: all */
	bool oldest_first;           /* else newest first; ties by row id */
};

typedef int (*cbench_history_run_fn)(void *ctx, const struct cbench_history_run_row *run);
typedef int (*cbench_history_metric_fn)(void *ctx, const struct cbench_history_run_row *run,
                                        const struct cbench_history_metric_row *metric);
typedef int (*cbench_history_point_fn)(void *ctx, const struct cbench_history_point *p);
typedef int (*cbench_history_name_fn)(void *ctx, const char *name);

struct cbench_history_backend {
	unsigned version;            /* CBENCH_HISTORY_BACKEND_VERSION: first */
	const char *name;            /* "sqlite", ... */

	/* Whether `location` is this backend's (a path, a URL scheme). */
	bool (*accepts)(const char *location);

	/* Opens (creating or migrating when needed) the database at
	 * `location`, refusing what is not a cbench history (CBENCH_EUSAGE)
	 * without writing to it; cbench_history__open says what else.
	 * Without `create`, where there is no cbench history yet (no file, a
	 * database without our tables) it is CBENCH_ENOTFOUND, and nothing
	 * is written. */
	int (*open)(void **out, const char *location, bool create, struct cbench_error *err);
	void (*close)(void *self);

	/* The schema version this build writes. */
	int (*schema_version)(void);

	/*
	 * Stores one run and its metric rows in one transaction: all or
	 * nothing. A run_id already stored stores nothing and leaves *out_new
	 * false (it is true when the run was stored).
	 */
	int (*record)(void *self, const struct cbench_history_run_row *run,
	              const struct cbench_history_metric_row *metrics, size_t nmetrics,
	              bool *out_new, struct cbench_error *err);

	/* Counts and the first and last started_at ("" when empty). */
	int (*stats)(void *self, struct cbench_history_stats *out, struct cbench_error *err);

	/*
	 * The runs `q` selects, in its order, each passed to on_run and then,
	 * when on_metric is not NULL, each of its metric rows in the order
	 * they were recorded. One read transaction: a run recorded meanwhile
	 * is wholly in or wholly out.
	 */
	int (*runs)(void *self, const struct cbench_history_query *q,
	            cbench_history_run_fn on_run, cbench_history_metric_fn on_metric,
	            void *ctx, struct cbench_error *err);

	/*
	 * The values (not NULL) of `metric` with from <= t <= to, of
	 * `platform` (NULL: any), oldest first (ties in the order recorded).
	 * Fast on a million rows: an index on (metric, t).
	 */
	int (*trend)(void *self, const char *metric, const char *platform, double from,
	             double to, cbench_history_point_fn on_point, void *ctx,
	             struct cbench_error *err);

	/* The distinct names of the metrics with a row with from <= t <= to
	 * (of one of `platforms`, when nplatforms > 0), sorted bytewise. */
	int (*metric_names)(void *self, double from, double to, const char *const *platforms,
	                    size_t nplatforms, cbench_history_name_fn on_name, void *ctx,
	                    struct cbench_error *err);
};

extern const struct cbench_history_backend cbench_history_sqlite;
extern const struct cbench_history_backend cbench_history_postgres;

/* Pointers to every string field of a run row and of a metric row, for
 * code that copies or repairs them all. */
#define CBENCH_HISTORY_RUN_STRINGS(r) { &(r)->run_id, &(r)->started_at, &(r)->platform, \
	&(r)->platform_json, &(r)->run_type, &(r)->mode, &(r)->clock, &(r)->commit, \
	&(r)->short_commit, &(r)->branch, &(r)->subject, &(r)->hostname, &(r)->compiler, \
	&(r)->cflags, &(r)->cbench_version, &(r)->interrupted, &(r)->compare_stat, \
	&(r)->recorded_at, &(r)->governor }
#define CBENCH_HISTORY_METRIC_STRINGS(m) { &(m)->benchmark, &(m)->name, &(m)->unit, \
	&(m)->direction, &(m)->bench_status, &(m)->status }

/* For the formatting shared by every backend (export.c, history.c): the
 * open backend's `runs`. */
int cbench_history__rows(struct cbench_history *h, const struct cbench_history_query *q,
                         cbench_history_run_fn on_run, cbench_history_metric_fn on_metric,
                         void *ctx, struct cbench_error *err);

#endif

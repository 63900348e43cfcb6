#ifndef CBENCH_FRAMEWORK_HISTORY_H
#define CBENCH_FRAMEWORK_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "cbench/reporter.h"

/*
 * The run history: every recorded run and its metrics. These functions
 * are the same for every storage backend: history.c picks the backend by
 * the location opened and forwards to its table (history/backend.h);
 * SQLite's is sqlite.c, which holds every SQL statement.
 */

#define CBENCH_DEFAULT_DB "benchmarks/history/performance.db"

struct cbench_history;

/* The database every command uses unless given --db: PERFORMANCE_DB_PATH
 * when set and not empty, else CBENCH_DEFAULT_DB. */
const char *cbench_history__default_path(void);

/*
 * Opens (creating it, and its folder, when absent) the database at `path`
 * (a file: SQLite; the backend that accepts it otherwise),
 * in WAL mode with a busy timeout, migrating an older cbench schema. A file
 * that is not a cbench database, or is corrupt, or comes from a newer
 * cbench, is an error (CBENCH_EUSAGE) naming the file; it is never written.
 */
int cbench_history__open(struct cbench_history **out, const char *path,
                         struct cbench_error *err);
void cbench_history__close(struct cbench_history *h);

/* Where the history is, for messages: the path or URL, its password (if
 * any) shown as *** (base/util.h cbench__redact_location). */
const char *cbench_history__location(const struct cbench_history *h);

/* The schema version this build writes. */
int cbench_history__schema_version(void);

/*
 * Records a run and all its metrics in one transaction (all or nothing).
 * A run whose run_id is already recorded is not recorded twice: *out_new
 * is then false. `run_type` is "ci", "nightly" or "manual".
 */
int cbench_history__record(struct cbench_history *h, const struct cbench_run *run,
                           const char *run_type, bool *out_new,
                           struct cbench_error *err);

struct cbench_history_stats {
	int64_t total_runs;
	int64_t platforms;
	int64_t metrics;          /* metric rows */
	char first_run[32];       /* ISO-8601 UTC, "" when empty */
	char last_run[32];
};

int cbench_history__stats(struct cbench_history *h, struct cbench_history_stats *out,
                          struct cbench_error *err);

/* One recorded run, newest first in lists. */
struct cbench_history_run {
	int64_t id;
	char run_id[40];
	char started_at[32];
	char platform[128];
	char run_type[16];
	char mode[16];
	char commit[41];
	char branch[256];
	bool dirty;
	char hostname[256];
	char compiler[128];
	char cbench_version[32];
	int64_t nmetrics;
	int64_t regressions;
};

/* The last `limit` runs (0: all), of `platform` (NULL: any), newest first.
 * *out is freed with free(). */
int cbench_history__runs(struct cbench_history *h, const char *platform, size_t limit,
                         struct cbench_history_run **out, size_t *n,
                         struct cbench_error *err);

/* One value of a metric in one run. */
struct cbench_history_point {
	char started_at[32];
	double t;                 /* seconds since the epoch */
	double value;
	char platform[128];
	char commit[16];          /* short id, "" when unknown */
	char unit[32];
	enum cbench_direction direction;
	double baseline;          /* NAN when the run had none */
	double threshold;         /* NAN when the run had none */
};

/*
 * The values of `metric` over the last `days` days before `now` (seconds
 * since the epoch; 0: the current time), of `platform` (NULL: every
 * platform), oldest first. Uses an index on (metric, time): fast on a
 * million rows. *out is freed with free().
 */
int cbench_history__trend(struct cbench_history *h, const char *metric,
                          const char *platform, double days, double now,
                          struct cbench_history_point **out, size_t *n,
                          struct cbench_error *err);

/* The names of the metrics recorded in the last `days` days (NULL
 * platforms: any; else only those), sorted. Free with
 * cbench_history__free_names. */
int cbench_history__metric_names(struct cbench_history *h, double days, double now,
                                 const char *const *platforms, size_t nplatforms,
                                 char ***out, size_t *n, struct cbench_error *err);
void cbench_history__free_names(char **names, size_t n);

/* Appends every run (of `platform`, NULL: all) and its metrics to `b`, as
 * JSON (an array of runs) or CSV (one row per metric value, header first). */
int cbench_history__export(struct cbench_history *h, const char *platform,
                           const char *format, struct cbench_buf *b,
                           struct cbench_error *err);

/*
 * The newest recorded run (of `platform`, NULL: any) as a results document
 * (schema cbench-results/1, without samples), for `cbench report --latest`.
 * CBENCH_ENOTFOUND when there is none. *out is the caller's (json_decref).
 */
int cbench_history__latest_results(struct cbench_history *h, const char *platform,
                                   json_t **out, struct cbench_error *err);

/* One platform's values of a metric, oldest first (the dashboard's
 * lines). */
struct cbench_history_trend_series {
	const char *platform;
	size_t n;
	const double *t;               /* seconds since the epoch */
	const double *value;
	const char *const *commit;     /* short ids, "" when unknown */
	double baseline;               /* of its most recent point; NAN if none */
	double threshold;              /* of its most recent point; NAN if none */
};

/* A metric and its series, one per platform in order of first appearance;
 * its unit and direction are those of its most recent point. */
struct cbench_history_trend {
	const char *name;
	const char *unit;
	enum cbench_direction direction;
	const struct cbench_history_trend_series *series;
	size_t nseries;
};

/* What cbench_history__trends read. metrics[0..nmetrics), nplatforms
 * (distinct) and npoints are for reading; the rest is its storage. */
struct cbench_history_trends {
	struct cbench_history_trend *metrics;
	size_t nmetrics;
	size_t nplatforms;
	size_t npoints;
	char **names;
	size_t nnames;
	struct cbench_history_point **points;
	const char **platforms;
};

/*
 * Every metric recorded in the `days` days before `now` (0: the current
 * time; days 0: everything), of `platforms` (NULL: all), as series per
 * platform: what the trend dashboard draws. A metric only other platforms
 * recorded is left out. Free with cbench_history__free_trends (also after
 * a failure).
 */
int cbench_history__trends(struct cbench_history *h, double days, double now,
                           const char *const *platforms, size_t nplatforms,
                           struct cbench_history_trends *out, struct cbench_error *err);
void cbench_history__free_trends(struct cbench_history_trends *t);

/*
 * For the baseline update tool: the values of every metric over the last
 * `n` runs of `platform` (fewer when fewer exist: *runs says how many),
 * newest first. A metric missing from some of those runs has fewer values.
 */
struct cbench_history_series {
	char *name;
	char *unit;
	enum cbench_direction direction;
	double *values;
	size_t n;
};

int cbench_history__last_runs(struct cbench_history *h, const char *platform, size_t n,
                              size_t *runs, struct cbench_history_series **out,
                              size_t *nseries, struct cbench_history_run *newest,
                              struct cbench_error *err);
void cbench_history__free_series(struct cbench_history_series *s, size_t n);

#endif

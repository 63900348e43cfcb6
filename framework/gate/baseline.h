#ifndef CBENCH_FRAMEWORK_BASELINE_H
#define CBENCH_FRAMEWORK_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "cbench.h"

/*
 * The baselines file, in the reference's multi-platform format:
 *
 *   { "<platform id>": { "<metric>": <number> | { "value": <number>,
 *       "unit": "...", "direction": "lower"|"higher", "threshold": <number> },
 *       ..., "metadata": { ... } }, ... }
 *
 * The whole document is kept (key order preserved) so the update tool can
 * write it back changing only what it must.
 */
struct cbench_baselines {
	char *path;
	json_t *doc;
};

/*
 * What the statistical test needs of a baseline: how many readings it
 * summarises and their five-number summary. Stored as
 *   "summary": { "n": 60, "runs": 5, "min": ..., "q1": ..., "median": ...,
 *                "q3": ..., "max": ... }
 * in the metric's object form; optional (hand-written files rarely have it).
 */
#define CBENCH_SUMMARY_QUANTILES 5
struct cbench_baseline_summary {
	size_t n;                /* readings (rounds) it summarises, >= 1 */
	size_t runs;             /* runs they came from; 0 when not said */
	double q[CBENCH_SUMMARY_QUANTILES]; /* min, q1, median, q3, max */
};

/* One metric of a platform's section. */
struct cbench_baseline_metric {
	const char *name;        /* borrowed from the document */
	double value;
	const char *unit;        /* NULL when not given */
	bool has_direction;
	enum cbench_direction direction;
	bool has_threshold;
	double threshold;
	bool has_summary;
	struct cbench_baseline_summary summary;
};

/*
 * Reads and validates the whole file. A missing file is CBENCH_ENOTFOUND
 * (the caller decides whether that matters); bad JSON is CBENCH_EPARSE with
 * "FILE:LINE:COLUMN: ..."; a value of the wrong kind (a non-number, a
 * baseline <= 0, an unknown direction, a negative threshold) is
 * CBENCH_EUSAGE naming the file and the key's path.
 */
int cbench_baseline__load(struct cbench_baselines **out, const char *path,
                          struct cbench_error *err);
void cbench_baseline__free(struct cbench_baselines *b);

/*
 * The metrics of `platform`'s section, in file order (the "metadata" key
 * excluded). CBENCH_ENOTFOUND when the file has no such section. *out is
 * freed with free(); its strings live as long as `b`.
 */
int cbench_baseline__section(struct cbench_baseline_metric **out, size_t *n,
                             const struct cbench_baselines *b,
                             const char *platform);

/* "A, B, C": the platforms the file has, for messages; "" when none.
 * Freed with free(). */
char *cbench_baseline__platforms(const struct cbench_baselines *b);

/* An empty document for `path` (for a file that does not exist yet). */
int cbench_baseline__new(struct cbench_baselines **out, const char *path,
                         struct cbench_error *err);

/*
 * Sets platform.metric to `value`. An entry in the object form keeps its
 * other keys and gets the new "value"; a new entry is a plain number, or
 * an object when `unit` or `direction` ("lower"/"higher") is given; a new
 * platform section is created. Everything else keeps its place, so the
 * file's diff shows only what changed.
 */
int cbench_baseline__set(struct cbench_baselines *b, const char *platform,
                         const char *metric, double value, const char *unit,
                         const char *direction);

/*
 * Sets platform.metric's "summary" (the entry becomes an object when it was
 * a plain number, keeping its value). Its other keys keep their place.
 */
int cbench_baseline__set_summary(struct cbench_baselines *b, const char *platform,
                                 const char *metric,
                                 const struct cbench_baseline_summary *s);

/* Sets `key` of the platform's "metadata" object (created when absent) to
 * `value`, whose reference is taken. */
int cbench_baseline__set_metadata(struct cbench_baselines *b, const char *platform,
                                  const char *key, json_t *value);

/*
 * Writes the document to b->path atomically (temporary file in the same
 * folder, fsync, rename): 2-space indentation, numbers with up to 15
 * significant digits, a final newline: the layout of the reference's file,
 * so a file in that layout changes only where values changed.
 */
int cbench_baseline__save(const struct cbench_baselines *b, struct cbench_error *err);

/*
 * Takes an exclusive lock on `path` (on a sibling "PATH.lock" file, which
 * survives the rename that replaces the file), waiting for another
 * update's lock. Returns a descriptor for cbench_baseline__unlock, or a
 * negative code with a message.
 */
int cbench_baseline__lock(const char *path, struct cbench_error *err);
void cbench_baseline__unlock(int fd);

#endif

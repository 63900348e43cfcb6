#ifndef CBENCH_FRAMEWORK_RESULTS_H
#define CBENCH_FRAMEWORK_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "cbench/reporter.h"

/*
 * The results JSON (schema cbench-results/1, docs/results-json.md), both
 * ways: the one codec. encode.c writes it from the structures reporters
 * take (for --json, and for a run rebuilt from the history); decode.c reads
 * it back into them, so `cbench report` renders any format from a saved
 * run.
 */

#define CBENCH_RESULTS_SCHEMA "cbench-results/1"

/* ---- Writing ------------------------------------------------------------ */

/* One benchmark as an element of "benchmarks"; its rounds under each
 * metric's "samples" when `samples`. NULL when out of memory. */
json_t *cbench_results__result_to_json(const struct cbench_result *r, bool samples);

/* The whole document of `run` and its results, as one tree: for a run of
 * a few benchmarks (the history's newest). NULL when out of memory. */
json_t *cbench_results__to_json(const struct cbench_run *run, bool samples);

/*
 * The document written as a run goes, for runs of any size: begin with the
 * run's context (before the first benchmark), add each benchmark as it
 * finishes (formatted at once, its tree freed), finish with the whole run:
 * *out is the document's text (the caller frees it), two-space indented
 * with one benchmark per line, at most `max` bytes. Each returns 0,
 * CBENCH_ENOMEM (out of memory or over `max`), or CBENCH_ERROR.
 */
struct cbench_results_writer;

int cbench_results__writer_new(struct cbench_results_writer **out, bool samples, size_t max);
int cbench_results__writer_begin(struct cbench_results_writer *w, const struct cbench_run *run);
int cbench_results__writer_add(struct cbench_results_writer *w, const struct cbench_result *r);
int cbench_results__writer_finish(struct cbench_results_writer *w, const struct cbench_run *run,
                                  char **out, size_t *len);
void cbench_results__writer_free(struct cbench_results_writer *w);

/* ---- Reading ------------------------------------------------------------ */

/* A results document read back; everything is owned by the object. */
struct cbench_results;

/*
 * Reads `path`. Bad JSON is CBENCH_EPARSE ("FILE:LINE:COLUMN: ..."); a
 * different schema or a value of the wrong type is CBENCH_EPARSE naming the
 * file and the key's path (e.g. "r.json: benchmarks[2].metrics[0].value:
 * expected a number").
 */
int cbench_results__load(struct cbench_results **out, const char *path,
                         struct cbench_error *err);

/* The same from a document already parsed (its reference is taken, even on
 * failure); `label` names it in messages. */
int cbench_results__from_json(struct cbench_results **out, json_t *doc, const char *label,
                              struct cbench_error *err);

/* The run, valid as long as `r`. */
const struct cbench_run *cbench_results__run(const struct cbench_results *r);

void cbench_results__free(struct cbench_results *r);

#endif

#ifndef CBENCH_FRAMEWORK_RESULTS_H
#define CBENCH_FRAMEWORK_RESULTS_H

#include <jansson.h>

#include "cbench/reporter.h"

/*
 * A results file (`--json`, schema cbench-results/1) read back into the
 * structures reporters take, so `cbench report` renders any format from a
 * saved run. Everything is owned by the returned object.
 */
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

#ifndef CBENCH_REPORTERS_REGISTRY_H
#define CBENCH_REPORTERS_REGISTRY_H

#include "cbench/reporter.h"

/*
 * The output formats by name, and the one loop that drives a reporter;
 * the runner and `cbench report` both go through here.
 */

/*
 * The reporter called `name`: console, json, markdown, junit, gbench or
 * html. An unknown name is CBENCH_EUSAGE, "WHAT: 'NAME' is not console,
 * json, ...", `what` naming where the name came from ("--format").
 */
int cbench_reporters__find(const struct cbench_reporter **out, const char *name,
                           const char *what, struct cbench_error *err);

/*
 * Writes `run` through `rep` to `path`: open, context, result for each
 * result, finish, close (close also after a failure), with the calling
 * thread in the C locale. A table whose version is not
 * CBENCH_REPORTER_VERSION is refused (CBENCH_EUSAGE naming the reporter)
 * before anything is called. Returns 0 or the first failure's code.
 */
int cbench_reporters__emit(const struct cbench_reporter *rep, const char *path,
                           const struct cbench_report_config *cfg,
                           const struct cbench_run *run, struct cbench_error *err);

#endif

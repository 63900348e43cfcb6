#ifndef CBENCH_FRAMEWORK_RUN_H
#define CBENCH_FRAMEWORK_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "cbench/reporter.h"

/*
 * The run and its vocabulary: run types, statuses, verdicts, directions
 * and signals by name, both ways, and the run's id. The structures
 * themselves are public (cbench/reporter.h); cbench_status_name() and
 * cbench_verdict_name() are defined here too.
 */

/* "ci", "nightly" and "manual" are the run types. */
bool cbench_run__valid_type(const char *type);

/* A status or verdict by name; -1 when not one (NULL: -1 for a status,
 * CBENCH_VERDICT_NEW for a verdict, as a results file without one means). */
int cbench_run__status_of(const char *name);
int cbench_run__verdict_of(const char *name);

/* "lower" or "higher"; and back ("higher" is higher, anything else lower). */
const char *cbench_run__direction_name(enum cbench_direction d);
enum cbench_direction cbench_run__direction_of(const char *name);

/* The name an interrupted run records: "SIGINT", "SIGTERM", "SIGHUP"...
 * ("signal" for one without a name); "" for 0. */
void cbench_run__signal_name(char out[16], int sig);
/* Back: SIGTERM for "SIGTERM", SIGINT for any other name, 0 for NULL. */
int cbench_run__signal_of(const char *name);

/* A new run's id: a random (version 4) UUID,
 * "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx". */
void cbench_run__new_id(char out[40]);

/*
 * The id a run is recorded under: its run_id, or for a run without one (a results file from
 * before run ids) one derived from what tells runs apart: when it started,
 * on which host and platform, and how long it took (to the microsecond).
 * The same file imported twice gets the same id, so it is recorded once.
 * That id is an RFC 9562 version-8 (custom) UUID of two 64-bit FNV-1a
 * hashes.
 */
void cbench_run__id(char out[40], const struct cbench_run *run);

#endif

#ifndef CBENCH_FRAMEWORK_PROC_H
#define CBENCH_FRAMEWORK_PROC_H

#include <stdbool.h>
#include <stddef.h>

#include "cbench/error.h"

/*
 * Runs argv[0] (a full path: no shell, no PATH search) with the arguments
 * argv[0..] (NULL-terminated), standard input and error on /dev/null, the
 * default signal dispositions and a process group of its own, and collects
 * its standard output.
 *
 * Returns 0 when it exited with status 0 within `timeout_ms`: *out is the
 * output (malloc'd, NUL-terminated, its first `max_output` bytes; the rest
 * is read and dropped) and *len its length (`len` may be NULL). Otherwise
 * *out is NULL and the one-line reason names the program: CBENCH_EIO when
 * it could not be started, CBENCH_ERROR when it exited non-zero, died of a
 * signal, or ran past the deadline; then its whole process group is
 * killed and it is reaped, and *timed_out (which may be NULL) is set.
 */
int cbench_proc__capture(char **out, size_t *len, char *const argv[], int timeout_ms,
                         size_t max_output, bool *timed_out, struct cbench_error *err);

#endif

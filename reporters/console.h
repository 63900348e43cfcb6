#ifndef CBENCH_REPORTERS_CONSOLE_H
#define CBENCH_REPORTERS_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cbench/reporter.h"

/* The "[3/10] suite.name" line shown while a benchmark runs. */
void cbench_console__progress(FILE *out, bool tty, int verbosity, const char *id,
                              size_t i, size_t n);
void cbench_console__progress_done(FILE *out, bool tty, int verbosity,
                                   const struct cbench_result *r);

#endif

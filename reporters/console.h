#ifndef CBENCH_REPORTERS_CONSOLE_H
#define CBENCH_REPORTERS_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cbench/reporter.h"

/* "12.3 ns", "1.234 us", "250.0 ms": three significant digits at least. */
void cbench_console__duration(char *out, size_t size, double seconds);
/* 1234567 → "1.23M". */
void cbench_console__number(char *out, size_t size, double v);

/*
 * A value in human units, without its unit's text: "12.30 ms" for seconds
 * (the unit is part of it), "810.4k" otherwise. Returns true when the
 * caller still has to append " " and the unit (escaped for its format).
 * `v` must be finite.
 */
bool cbench_console__value(char *out, size_t size, const char *unit, double v);

/* The "[3/10] suite.name" line shown while a benchmark runs. */
void cbench_console__progress(FILE *out, bool tty, int verbosity, const char *id,
                              size_t i, size_t n);
void cbench_console__progress_done(FILE *out, bool tty, int verbosity,
                                   const struct cbench_result *r);

#endif

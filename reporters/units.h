#ifndef CBENCH_REPORTERS_UNITS_H
#define CBENCH_REPORTERS_UNITS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Values in human units, the same in every format (console, Markdown,
 * JUnit, HTML). Call under the C locale (reporters/registry.h does).
 */

/* "12.3 ns", "1.234 us", "250.0 ms": three significant digits at least. */
void cbench_units__duration(char *out, size_t size, double seconds);
/* 1234567 → "1.23M". */
void cbench_units__number(char *out, size_t size, double v);

/*
 * A value in human units, without its unit's text: "12.30 ms" for seconds
 * (the unit is part of it), "810.4k" otherwise. Returns true when the
 * caller still has to append " " and the unit (escaped for its format).
 * `v` must be finite.
 */
bool cbench_units__value(char *out, size_t size, const char *unit, double v);

#endif

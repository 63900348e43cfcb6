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

struct cbench_comparison;

/*
 * The evidence behind a verdict, the same words in every format: "p =
 * 0.0012, median ratio 1.103 [1.081, 1.125]; re-measured: pass 1
 * (2026-01-02T03:04:05Z) 12.30 ms regression (100 rounds), ...; why: ...".
 * Empty when
 * nothing was tested or re-measured. Plain text: escape it for the format.
 * `unit` is the metric's (for the re-measured values' own units).
 */
void cbench_units__evidence(char *out, size_t size, const struct cbench_comparison *c,
                            const char *unit);

#endif

#ifndef CBENCH_FRAMEWORK_TIME_H
#define CBENCH_FRAMEWORK_TIME_H

#include <stdbool.h>

/*
 * ISO-8601 UTC times, written and read in one place: every time cbench
 * stores or prints is "YYYY-MM-DDTHH:MM:SSZ".
 */

/* Formats `t` (seconds since the epoch) as "YYYY-MM-DDTHH:MM:SSZ". */
void cbench__iso8601(char out[32], double t);

/*
 * Reads "2026-11-24T02:41:45Z" (fractions of a second, a space for the T,
 * a missing Z or "+00:00" accepted) as seconds since the epoch, without
 * timegm or TZ. false when `s` is not such a time.
 */
bool cbench__iso8601_parse(const char *s, double *out);

#endif

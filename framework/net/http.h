#ifndef CBENCH_FRAMEWORK_NET_HTTP_H
#define CBENCH_FRAMEWORK_NET_HTTP_H

#include <stddef.h>

#include "cbench/http.h"

/*
 * Fills the latency fields of `s` (min, mean, p50, p95, p99, max, and
 * `latencies`) from lat[0..n), which it sorts in place, and the success
 * rate and requests per second from the counts and `seconds` already in
 * `s`. Percentiles interpolate between order statistics as the rest of
 * cbench does (cbench_stats__quantile). Split out so the arithmetic is
 * tested on given latencies.
 */
void cbench_http__summarize(struct cbench_http_summary *s, double *lat, size_t n);

#endif

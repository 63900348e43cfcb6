/*
 * cbench HTTP load helper: drives one endpoint (method, URL, headers, body)
 * at a fixed concurrency through libcurl's multi interface, in one thread,
 * with connections kept alive and reused, and measures every request.
 *
 * Include it next to <cbench.h>:
 *
 *     #include <cbench.h>
 *     #include <cbench/http.h>
 *
 *     CBENCH_EX(api, search, .params = CBENCH_PARAMS("1", "10", "50"),
 *               .batch = 1, .iterations = 100, .warmup = CBENCH_NONE,
 *               .target = 0.3, .target_stat = "p95") {
 *         struct cbench_http_options o = { .url = "http://127.0.0.1:8080/q",
 *             .concurrency = (unsigned)cbench_param_int() };
 *         struct cbench_http_load *load;
 *         struct cbench_http_summary s;
 *         struct cbench_error err;
 *
 *         if (cbench_http_load_new(&load, &o, &err) < 0)
 *             cbench_fail("%s", err.text);
 *         cbench_http_load_warmup(load);
 *         CBENCH_MEASURE cbench_http_load_request(load);
 *         cbench_http_load_summary(load, &s);
 *         cbench_http_summary_publish(&s, "search");
 *         cbench_http_load_free(load);
 *     }
 *
 * Each measured round is one request timed while the other concurrency - 1
 * connections stay busy, so the timing metric (and a `.target` on "p95") is
 * the latency of one request under that load; the summary covers every
 * request of every connection. docs/http.md has the details.
 */
#ifndef CBENCH_HTTP_H
#define CBENCH_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Kinds of failed request. */
enum cbench_http_error_kind {
	CBENCH_HTTP_ERR_CONNECT = 0, /**< refused, unreachable, unresolved */
	CBENCH_HTTP_ERR_TIMEOUT,     /**< per-request timeout or overall deadline */
	CBENCH_HTTP_ERR_4XX,         /**< a response with status 400 to 499 */
	CBENCH_HTTP_ERR_5XX,         /**< a response with status 500 to 599 */
	CBENCH_HTTP_ERR_OTHER,       /**< protocol errors, closed mid-response, ... */
	CBENCH_HTTP_ERR_KINDS
};

/** `.warmup = CBENCH_HTTP_NO_WARMUP`: no warm-up requests (0 means the default). */
#define CBENCH_HTTP_NO_WARMUP ((size_t)-1)

/**
 * What to send and how hard. Zero (or NULL) means the default. Strings are
 * copied by cbench_http_load_new().
 */
struct cbench_http_options {
	const char *url;             /**< required; http:// or https:// */
	const char *method;          /**< default "GET" ("POST" when a body is given) */
	const char *const *headers;  /**< NULL-terminated list of "Name: value" */
	const void *body;            /**< request body, or NULL */
	size_t body_len;             /**< its length in bytes */
	unsigned concurrency;        /**< requests in flight at once (default 1, at most 1000) */
	size_t requests;             /**< cbench_http_load_run(): measured requests */
	double duration;             /**< cbench_http_load_run(): seconds of measured load */
	size_t warmup;               /**< requests before measuring (default 2 per connection) */
	double timeout;              /**< seconds one request may take (default 10) */
	double deadline;             /**< seconds one call may take in all (default: duration
	                                  or 60, plus the timeout) */
};

/** Figures of a load run. Latencies are in seconds. */
struct cbench_http_summary {
	size_t requests;          /**< requests completed or failed */
	size_t ok;                /**< responses with a status below 400 */
	size_t errors[CBENCH_HTTP_ERR_KINDS];
	/** First message of each kind ("" when none), naming the URL. */
	char first_error[CBENCH_HTTP_ERR_KINDS][CBENCH_ERROR_TEXT_MAX];
	double success_rate;      /**< ok / requests (0 when no request) */
	size_t latencies;         /**< requests that got a whole response (any status) */
	double min, mean, p50, p95, p99, max; /**< over those, exact */
	double seconds;           /**< wall time of the measured load */
	double requests_per_second;
	uint64_t bytes_sent;      /**< request bodies sent */
	uint64_t bytes_received;  /**< response bodies received */
	double cpu_seconds;       /**< CPU time (user + system) of the load generator */
};

/** A load generator on one endpoint: its connections and its measurements. */
struct cbench_http_load;

/**
 * Checks the options and prepares `concurrency` transfers (no request is
 * sent yet). A URL that does not parse, an unknown scheme or a bad value is
 * CBENCH_EUSAGE with a one-line message naming it.
 *
 * @param out   receives the load; free it with cbench_http_load_free()
 * @param opts  the options (copied)
 * @param err   details on failure, or NULL
 * @return 0, CBENCH_EUSAGE or CBENCH_ENOMEM
 */
int cbench_http_load_new(struct cbench_http_load **out,
                         const struct cbench_http_options *opts,
                         struct cbench_error *err);

/** Stops whatever is in flight and frees the load. NULL is allowed. */
void cbench_http_load_free(struct cbench_http_load *load);

/**
 * Sends the options' `warmup` requests at the full concurrency (opening the
 * connections), then forgets them: the measurements start afresh.
 */
void cbench_http_load_warmup(struct cbench_http_load *load);

/**
 * Warms up, then keeps `concurrency` requests in flight until `requests`
 * have been sent or `duration` seconds have passed (whichever comes first;
 * at least one of them must be set), waits for the last ones, and
 * summarises the measured requests. Failed requests are counted, not
 * returned as errors. Returns within the deadline: requests still in flight
 * then are cancelled and counted as timeouts.
 *
 * @return 0, or CBENCH_EUSAGE when neither `requests` nor `duration` is set
 */
int cbench_http_load_run(struct cbench_http_load *load,
                         struct cbench_http_summary *out,
                         struct cbench_error *err);

/**
 * One request, timed by the caller (a CBENCH_MEASURE round), while the
 * other `concurrency - 1` connections are kept busy with requests of their
 * own. Returns when that one request has ended, within the per-request
 * timeout. Every request ended meanwhile is measured.
 *
 * @return 0 when the request succeeded, else the kind of failure as
 *         `-1 - enum cbench_http_error_kind`
 */
int cbench_http_load_request(struct cbench_http_load *load);

/**
 * Summarises every request measured since the load was made or warmed up.
 * Requests still in flight are not counted.
 */
void cbench_http_load_summary(struct cbench_http_load *load,
                              struct cbench_http_summary *out);

/**
 * Publishes a summary as cbench metrics of the running benchmark, named
 * `<prefix>_p50`, `_p95`, `_p99`, `_max` (s), `_requests_per_second`,
 * `_success_rate`, `_errors` (and `_errors_<kind>` for each kind that
 * occurred), `_bytes_per_request` and `_cpu_per_request` (s), each with its
 * direction. Call it inside a benchmark body.
 */
void cbench_http_summary_publish(const struct cbench_http_summary *s,
                                 const char *prefix);

/** The first error message of the most frequent kind, or NULL when none. */
const char *cbench_http_summary_first_error(const struct cbench_http_summary *s);

/** The name of an error kind: "connect", "timeout", "4xx", "5xx", "other". */
const char *cbench_http_error_kind_name(enum cbench_http_error_kind kind);

#ifdef __cplusplus
}
#endif

#endif

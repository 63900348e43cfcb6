/*
 * The HTTP load helper (<cbench/http.h>) on libcurl's multi interface.
 *
 * One thread drives `concurrency` easy handles, one per slot; a slot whose
 * request ends is started again at once, so the server sees a constant
 * number of requests in flight (a closed loop, as wrk does). The easy
 * handles stay attached to one multi handle's connection cache, so
 * connections are kept alive and reused. Every latency is kept (wall time
 * from handing the request to libcurl to its completion being read), and
 * percentiles are computed exactly from the sorted list.
 */
#include "net/http.h"

#include <curl/curl.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cbench.h>

#include "base/error.h"
#include "base/util.h"
#include "stats/stats.h"

#define MAX_CONCURRENCY 1000u
#define DEFAULT_TIMEOUT 10.0
#define DEFAULT_DEADLINE 60.0
/* How long past its own timeout a request may run before the loop gives
 * up on libcurl enforcing it. */
#define DEADLINE_SLACK 1.0

struct slot {
	CURL *easy;
	struct cbench_http_load *load;
	double start;      /* monotonic seconds when handed to libcurl */
	bool busy;
	uint64_t received; /* body bytes of the current response */
	char errbuf[CURL_ERROR_SIZE];
};

struct cbench_http_load {
	char *url, *method;
	char *shown;         /* the URL for messages, its password as *** */
	struct curl_slist *headers;
	void *body;
	size_t body_len;
	unsigned concurrency;
	size_t requests, warmup;
	double duration, timeout, deadline;

	CURLM *multi;
	struct slot *slots;
	unsigned busy;
	/* The sockets libcurl asks us to watch (CURLMOPT_SOCKETFUNCTION) and
	 * when it wants to be called back without one (CURLMOPT_TIMERFUNCTION). */
	struct pollfd *watch;
	size_t nwatch, watch_cap;
	double timer_due;  /* monotonic seconds; < 0: none */

	/* Measurements since the last reset. */
	double *lat;
	size_t nlat, cap;
	size_t count, ok, errors[CBENCH_HTTP_ERR_KINDS];
	char first_error[CBENCH_HTTP_ERR_KINDS][CBENCH_ERROR_TEXT_MAX];
	uint64_t sent, received;
	double started, last_end, cpu_start;
};

/* What the event loop does until it returns. */
struct pump {
	size_t to_start;     /* requests left to start (SIZE_MAX: no limit) */
	double start_until;  /* no new request after this time (0: no limit) */
	unsigned probe;      /* return when this slot's request ends (or UINT_MAX) */
	int probe_result;
	double budget;       /* seconds the call may take */
	double deadline;     /* when it started plus the budget */
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_seconds(void)
{
	struct rusage ru;

#ifdef RUSAGE_THREAD
	/* The load generator is this thread; a server in another thread of the
	 * same process (the tests') is not its cost. */
	if (getrusage(RUSAGE_THREAD, &ru) != 0)
#endif
		if (getrusage(RUSAGE_SELF, &ru) != 0)
			return 0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

const char *cbench_http_error_kind_name(enum cbench_http_error_kind kind)
{
	static const char *const names[CBENCH_HTTP_ERR_KINDS] = {
		"connect", "timeout", "4xx", "5xx", "other"
	};

	return (unsigned)kind < CBENCH_HTTP_ERR_KINDS ? names[kind] : "unknown";
}

/* ---- the summary --------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void cbench_http__summarize(struct cbench_http_summary *s, double *lat, size_t n)
{
	double sum = 0;

	s->success_rate = s->requests ? (double)s->ok / (double)s->requests : 0;
	s->requests_per_second = s->seconds > 0 ? (double)s->requests / s->seconds : 0;
	s->latencies = n;
	s->min = s->mean = s->p50 = s->p95 = s->p99 = s->max = 0;
	if (n == 0)
		return;
	qsort(lat, n, sizeof(*lat), cmp_double);
	for (size_t i = 0; i < n; i++)
		sum += lat[i];
	s->min = lat[0];
	s->max = lat[n - 1];
	s->mean = sum / (double)n;
	s->p50 = cbench_stats__quantile(lat, n, 0.50);
	s->p95 = cbench_stats__quantile(lat, n, 0.95);
	s->p99 = cbench_stats__quantile(lat, n, 0.99);
}

void cbench_http_load_summary(struct cbench_http_load *load,
                              struct cbench_http_summary *out)
{
	memset(out, 0, sizeof(*out));
	out->requests = load->count;
	out->ok = load->ok;
	memcpy(out->errors, load->errors, sizeof(out->errors));
	memcpy(out->first_error, load->first_error, sizeof(out->first_error));
	out->seconds = load->count ? load->last_end - load->started : 0;
	out->bytes_sent = load->sent;
	out->bytes_received = load->received;
	out->cpu_seconds = cpu_seconds() - load->cpu_start;
	cbench_http__summarize(out, load->lat, load->nlat);
}

const char *cbench_http_summary_first_error(const struct cbench_http_summary *s)
{
	int best = -1;

	for (int k = 0; k < CBENCH_HTTP_ERR_KINDS; k++)
		if (s->errors[k] > 0 && (best < 0 || s->errors[k] > s->errors[best]))
			best = k;
	return best < 0 ? NULL : s->first_error[best];
}

void cbench_http_summary_publish(const struct cbench_http_summary *s,
                                 const char *prefix)
{
	static const struct {
		const char *suffix;
		size_t offset;
	} latencies[] = {
		{ "p50", offsetof(struct cbench_http_summary, p50) },
		{ "p95", offsetof(struct cbench_http_summary, p95) },
		{ "p99", offsetof(struct cbench_http_summary, p99) },
		{ "max", offsetof(struct cbench_http_summary, max) },
	};
	char name[256];
	size_t errors = 0;
	double n = s->requests ? (double)s->requests : 1;

	for (size_t i = 0; i < sizeof(latencies) / sizeof(latencies[0]); i++) {
		double v;

		memcpy(&v, (const char *)s + latencies[i].offset, sizeof(v));
		snprintf(name, sizeof(name), "%s_%s", prefix, latencies[i].suffix);
		cbench_metric(name, v, "s", CBENCH_LOWER_IS_BETTER);
	}
	snprintf(name, sizeof(name), "%s_requests_per_second", prefix);
	cbench_metric(name, s->requests_per_second, "req/s", CBENCH_HIGHER_IS_BETTER);
	snprintf(name, sizeof(name), "%s_success_rate", prefix);
	cbench_metric(name, s->success_rate, "ratio", CBENCH_HIGHER_IS_BETTER);
	for (int k = 0; k < CBENCH_HTTP_ERR_KINDS; k++) {
		errors += s->errors[k];
		if (s->errors[k] == 0)
			continue;
		snprintf(name, sizeof(name), "%s_errors_%s", prefix,
		         cbench_http_error_kind_name((enum cbench_http_error_kind)k));
		cbench_metric(name, (double)s->errors[k], "requests",
		              CBENCH_LOWER_IS_BETTER);
	}
	snprintf(name, sizeof(name), "%s_errors", prefix);
	cbench_metric(name, (double)errors, "requests", CBENCH_LOWER_IS_BETTER);
	snprintf(name, sizeof(name), "%s_bytes_per_request", prefix);
	cbench_metric(name, (double)s->bytes_received / n, "B", CBENCH_LOWER_IS_BETTER);
	snprintf(name, sizeof(name), "%s_cpu_per_request", prefix);
	cbench_metric(name, s->cpu_seconds / n, "s", CBENCH_LOWER_IS_BETTER);
}

/* ---- options -------------------------------------------------------------- */

/* A copy of `s` fit for a one-line message: control characters become '?'
 * and it is cut at 120 characters. */
static void printable(char *out, size_t size, const char *s)
{
	size_t i = 0;

	for (; s[i] && i + 4 < size && i < 120; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (s[i] && i + 4 < size) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
}

static int check_url(const char *url, struct cbench_error *err)
{
	char shown[128];
	CURLU *u;
	CURLUcode rc;
	char *scheme = NULL;
	int ret = 0;

	{
		char hidden[1024];

		/* http://user:password@host: the password is not shown */
		cbench__redact_location(hidden, sizeof(hidden), url);
		printable(shown, sizeof(shown), hidden);
	}
	u = curl_url();
	if (!u)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory parsing URL");
	rc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (rc != CURLUE_OK) {
		ret = cbench_error__set(err, CBENCH_EUSAGE, "http: URL \"%s\" does not parse: %s",
		                        shown, curl_url_strerror(rc));
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		ret = cbench_error__set(err, CBENCH_EUSAGE,
		                        "http: URL \"%s\" is not http:// or https://", shown);
		goto out;
	}
out:
	curl_free(scheme);
	curl_url_cleanup(u);
	return ret;
}

static int check_options(const struct cbench_http_options *o, struct cbench_error *err)
{
	char shown[128];
	int rc;

	if (!o->url || !*o->url)
		return cbench_error__set(err, CBENCH_EUSAGE, "http: no URL given");
	if ((rc = check_url(o->url, err)) < 0)
		return rc;
	if (o->method) {
		size_t len = strlen(o->method);

		if (len == 0 || len > 32 || strspn(o->method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                                   "abcdefghijklmnopqrstuvwxyz-_") != len) {
			printable(shown, sizeof(shown), o->method);
			return cbench_error__set(err, CBENCH_EUSAGE,
			                         "http: method \"%s\" is not a method name", shown);
		}
	}
	for (size_t i = 0; o->headers && o->headers[i]; i++) {
		const char *h = o->headers[i];

		if (!strchr(h, ':') || h[0] == ':' || strpbrk(h, "\r\n")) {
			printable(shown, sizeof(shown), h);
			return cbench_error__set(err, CBENCH_EUSAGE,
			                         "http: header \"%s\" is not \"Name: value\" on one line",
			                         shown);
		}
	}
	if (o->concurrency > MAX_CONCURRENCY)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "http: concurrency %u is over the limit of %u",
		                         o->concurrency, MAX_CONCURRENCY);
	if (!(o->timeout >= 0) || !(o->duration >= 0) || !(o->deadline >= 0) ||
	    isinf(o->timeout) || isinf(o->duration) || isinf(o->deadline))
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "http: timeout, duration and deadline must be finite "
		                         "and not negative (got %g, %g, %g)",
		                         o->timeout, o->duration, o->deadline);
	if (o->body_len > 0 && !o->body)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "http: body_len is %zu but body is NULL", o->body_len);
	return 0;
}

/* ---- transfers ------------------------------------------------------------ */

static size_t on_data(char *data, size_t size, size_t n, void *arg)
{
	struct slot *s = arg;

	(void)data;
	s->received += (uint64_t)size * n;
	return size * n;
}

static int setup_slot(struct cbench_http_load *l, struct slot *s)
{
	CURL *e = curl_easy_init();
	long timeout_ms = (long)ceil(l->timeout * 1000);
	bool ok;

	if (!e)
		return CBENCH_ENOMEM;
	s->easy = e;
	s->load = l;
	ok = curl_easy_setopt(e, CURLOPT_URL, l->url) == CURLE_OK &&
	     curl_easy_setopt(e, CURLOPT_PRIVATE, s) == CURLE_OK &&
	     curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data) == CURLE_OK &&
	     curl_easy_setopt(e, CURLOPT_WRITEDATA, s) == CURLE_OK &&
	     curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf) == CURLE_OK &&
	     curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms) == CURLE_OK &&
	     curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	     curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L) == CURLE_OK &&
	     /* The endpoint is measured, not a proxy named in the environment. */
	     curl_easy_setopt(e, CURLOPT_PROXY, "") == CURLE_OK &&
	     curl_easy_setopt(e, CURLOPT_HTTPHEADER, l->headers) == CURLE_OK;
	if (ok && l->body) {
		ok = curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		                      (curl_off_t)l->body_len) == CURLE_OK &&
		     curl_easy_setopt(e, CURLOPT_POSTFIELDS, l->body) == CURLE_OK;
	}
	if (ok && strcmp(l->method, "HEAD") == 0)
		ok = curl_easy_setopt(e, CURLOPT_NOBODY, 1L) == CURLE_OK;
	else if (ok && strcmp(l->method, l->body ? "POST" : "GET") != 0)
		ok = curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, l->method) == CURLE_OK;
	return ok ? 0 : CBENCH_ERROR;
}

static void reset_measurements(struct cbench_http_load *l)
{
	l->nlat = l->count = l->ok = 0;
	memset(l->errors, 0, sizeof(l->errors));
	memset(l->first_error, 0, sizeof(l->first_error));
	l->sent = l->received = 0;
	l->started = l->last_end = now_seconds();
	l->cpu_start = cpu_seconds();
}

static void record_error(struct cbench_http_load *l, enum cbench_http_error_kind k,
                         const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void record_error(struct cbench_http_load *l, enum cbench_http_error_kind k,
                         const char *fmt, ...)
{
	va_list ap;

	l->errors[k]++;
	if (l->first_error[k][0])
		return;
	va_start(ap, fmt);
	vsnprintf(l->first_error[k], sizeof(l->first_error[k]), fmt, ap);
	va_end(ap);
}

static void record_latency(struct cbench_http_load *l, double seconds)
{
	if (l->nlat == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4096;
		double *p = realloc(l->lat, cap * sizeof(*p));

		/* Out of memory: the request is still counted, its latency not. */
		if (!p)
			return;
		l->lat = p;
		l->cap = cap;
	}
	l->lat[l->nlat++] = seconds;
}

static enum cbench_http_error_kind kind_of(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return CBENCH_HTTP_ERR_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return CBENCH_HTTP_ERR_TIMEOUT;
	default:
		return CBENCH_HTTP_ERR_OTHER;
	}
}

/* Records the end of slot `s`'s request; returns 0 or -1 - its error kind. */
static int finish_request(struct cbench_http_load *l, struct slot *s, CURLcode rc,
                          double end)
{
	long status = 0;
	curl_off_t up = 0;
	int result = 0;

	curl_multi_remove_handle(l->multi, s->easy);
	s->busy = false;
	l->busy--;
	l->count++;
	l->last_end = end;
	l->received += s->received;
	if (curl_easy_getinfo(s->easy, CURLINFO_SIZE_UPLOAD_T, &up) == CURLE_OK && up > 0)
		l->sent += (uint64_t)up;
	if (rc != CURLE_OK) {
		enum cbench_http_error_kind k = kind_of(rc);

		record_error(l, k, "%s %s: %s", l->method, l->shown,
		             s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc));
		return -1 - (int)k;
	}
	record_latency(l, end - s->start);
	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 500) {
		record_error(l, CBENCH_HTTP_ERR_5XX, "%s %s: HTTP %ld", l->method, l->shown, status);
		result = -1 - CBENCH_HTTP_ERR_5XX;
	} else if (status >= 400) {
		record_error(l, CBENCH_HTTP_ERR_4XX, "%s %s: HTTP %ld", l->method, l->shown, status);
		result = -1 - CBENCH_HTTP_ERR_4XX;
	} else {
		l->ok++;
	}
	return result;
}

static bool start_request(struct cbench_http_load *l, struct slot *s)
{
	s->received = 0;
	s->errbuf[0] = '\0';
	s->start = now_seconds();
	if (curl_multi_add_handle(l->multi, s->easy) != CURLM_OK) {
		l->count++;
		record_error(l, CBENCH_HTTP_ERR_OTHER, "%s %s: libcurl refused the transfer",
		             l->method, l->shown);
		return false;
	}
	s->busy = true;
	l->busy++;
	return true;
}

/* Starts idle slots as `p` allows; returns how many were started. */
static unsigned fill(struct cbench_http_load *l, struct pump *p, double now)
{
	unsigned started = 0;

	for (unsigned i = 0; i < l->concurrency; i++) {
		if (l->slots[i].busy || i == p->probe)
			continue;
		if (p->to_start == 0 || (p->start_until > 0 && now >= p->start_until))
			break;
		if (start_request(l, &l->slots[i])) {
			started++;
			if (p->to_start != SIZE_MAX)
				p->to_start--;
		}
	}
	return started;
}

/* Cancels every request in flight, counting each as a timeout. */
static void cancel_all(struct cbench_http_load *l, const char *why)
{
	for (unsigned i = 0; i < l->concurrency; i++) {
		struct slot *s = &l->slots[i];

		if (!s->busy)
			continue;
		curl_multi_remove_handle(l->multi, s->easy);
		s->busy = false;
		l->busy--;
		l->count++;
		record_error(l, CBENCH_HTTP_ERR_TIMEOUT, "%s %s: %s", l->method, l->shown, why);
	}
}

/*
 * libcurl's socket interface: it says which sockets to watch for what, and
 * only the socket that is ready is processed (curl_multi_perform() would
 * walk every transfer on every wake-up: measurably slower at 50).
 */
static int on_socket(CURL *easy, curl_socket_t fd, int what, void *arg, void *sockp)
{
	struct cbench_http_load *l = arg;
	size_t i = 0;

	(void)easy;
	(void)sockp;
	while (i < l->nwatch && l->watch[i].fd != fd)
		i++;
	if (what == CURL_POLL_REMOVE) {
		if (i < l->nwatch)
			l->watch[i] = l->watch[--l->nwatch];
		return 0;
	}
	if (i == l->nwatch) {
		if (l->nwatch == l->watch_cap) {
			size_t cap = l->watch_cap ? l->watch_cap * 2 : 64;
			struct pollfd *w = realloc(l->watch, cap * sizeof(*w));

			if (!w)
				return -1;
			l->watch = w;
			l->watch_cap = cap;
		}
		l->watch[l->nwatch++].fd = fd;
	}
	l->watch[i].events = (short)((what & CURL_POLL_IN ? POLLIN : 0) |
	                             (what & CURL_POLL_OUT ? POLLOUT : 0));
	return 0;
}

static int on_timer(CURLM *multi, long ms, void *arg)
{
	struct cbench_http_load *l = arg;

	(void)multi;
	/* 0 ms: due now, whatever clock reading the loop holds. */
	l->timer_due = ms < 0 ? -1 : ms == 0 ? 0 : now_seconds() + (double)ms / 1000;
	return 0;
}

/* Reads the transfers libcurl has finished; returns whether the probe's was one. */
static bool collect(struct cbench_http_load *l, struct pump *p)
{
	bool probe_done = false;
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(l->multi, &left))) {
		char *priv = NULL;
		struct slot *s;
		int r;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		s = (struct slot *)(void *)priv;
		r = finish_request(l, s, msg->data.result, now_seconds());
		if ((unsigned)(s - l->slots) == p->probe) {
			p->probe_result = r;
			probe_done = true;
		}
	}
	return probe_done;
}

/* Waits for the sockets or libcurl's timer, at most until `until`, and
 * hands libcurl what became ready. */
static void wait_and_act(struct cbench_http_load *l, double now, double until)
{
	struct pollfd ready[64];
	size_t nready = 0;
	double wake = l->timer_due >= 0 && l->timer_due < until ? l->timer_due : until;
	int ms = wake <= now ? 0 : (int)ceil((wake - now) * 1000);
	int running, n;

	if (ms > 100)
		ms = 100;
	/* libcurl's timer already due (a transfer just added waits to be
	 * started): no poll system call for that. */
	n = ms == 0 && l->timer_due >= 0 ? 0 : poll(l->watch, (nfds_t)l->nwatch, ms);
	/* Copied out: the callbacks below may reorder l->watch. */
	for (size_t i = 0; n > 0 && i < l->nwatch && nready < 64; i++)
		if (l->watch[i].revents)
			ready[nready++] = l->watch[i];
	for (size_t i = 0; i < nready; i++) {
		int ev = (ready[i].revents & POLLIN ? CURL_CSELECT_IN : 0) |
		         (ready[i].revents & POLLOUT ? CURL_CSELECT_OUT : 0) |
		         (ready[i].revents & (POLLERR | POLLHUP | POLLNVAL) ? CURL_CSELECT_ERR : 0);

		curl_multi_socket_action(l->multi, ready[i].fd, ev, &running);
	}
	if (l->timer_due >= 0 && now_seconds() >= l->timer_due) {
		l->timer_due = -1;
		curl_multi_socket_action(l->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	}
}

/*
 * The event loop: reads completions, restarts slots, waits on the sockets.
 * Returns when the probe slot's request has ended (probe mode) or when no
 * request is in flight and none may start (run mode), or at the deadline.
 */
static void pump(struct cbench_http_load *l, struct pump *p)
{
	char why[96];

	for (;;) {
		bool probe_done = collect(l, p);
		double now = now_seconds();

		fill(l, p, now);
		if (probe_done || l->busy == 0)
			return;
		if (now >= p->deadline) {
			snprintf(why, sizeof(why),
			         "no response within the call's deadline of %.3g s", p->budget);
			cancel_all(l, why);
			p->probe_result = -1 - CBENCH_HTTP_ERR_TIMEOUT;
			return;
		}
		wait_and_act(l, now, p->deadline);
	}
}

/* ---- the public calls ------------------------------------------------------ */

int cbench_http_load_new(struct cbench_http_load **out,
                         const struct cbench_http_options *opts,
                         struct cbench_error *err)
{
	struct cbench_http_load *l = NULL;
	int rc;

	*out = NULL;
	if ((rc = check_options(opts, err)) < 0)
		return rc;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return cbench_error__set(err, CBENCH_ERROR, "http: libcurl failed to initialise");
	l = calloc(1, sizeof(*l));
	if (!l) {
		curl_global_cleanup();
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	}
	l->concurrency = opts->concurrency ? opts->concurrency : 1;
	l->requests = opts->requests;
	l->duration = opts->duration;
	l->timeout = opts->timeout > 0 ? opts->timeout : DEFAULT_TIMEOUT;
	l->deadline = opts->deadline;
	l->warmup = opts->warmup == CBENCH_HTTP_NO_WARMUP ? 0
	            : opts->warmup ? opts->warmup : 2 * (size_t)l->concurrency;
	l->url = cbench__strdup(opts->url);
	{
		char hidden[1024];

		cbench__redact_location(hidden, sizeof(hidden), opts->url);
		l->shown = cbench__strdup(hidden);
	}
	l->method = cbench__strdup(opts->method ? opts->method : opts->body ? "POST" : "GET");
	l->multi = curl_multi_init();
	l->slots = calloc(l->concurrency, sizeof(*l->slots));
	if (!l->url || !l->shown || !l->method || !l->multi || !l->slots)
		goto nomem;
	if (opts->body) {
		l->body = malloc(opts->body_len ? opts->body_len : 1);
		if (!l->body)
			goto nomem;
		memcpy(l->body, opts->body, opts->body_len);
		l->body_len = opts->body_len;
	}
	for (size_t i = 0; opts->headers && opts->headers[i]; i++) {
		struct curl_slist *h = curl_slist_append(l->headers, opts->headers[i]);

		if (!h)
			goto nomem;
		l->headers = h;
	}
	if (l->body) {
		/* No "Expect: 100-continue" round trip on large bodies: one request
		 * is one round trip, as with wrk. */
		struct curl_slist *h = curl_slist_append(l->headers, "Expect:");

		if (!h)
			goto nomem;
		l->headers = h;
	}
	l->timer_due = -1;
	curl_multi_setopt(l->multi, CURLMOPT_MAXCONNECTS, (long)l->concurrency);
	curl_multi_setopt(l->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(l->multi, CURLMOPT_SOCKETDATA, l);
	curl_multi_setopt(l->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(l->multi, CURLMOPT_TIMERDATA, l);
	for (unsigned i = 0; i < l->concurrency; i++) {
		rc = setup_slot(l, &l->slots[i]);
		if (rc == CBENCH_ENOMEM)
			goto nomem;
		if (rc < 0) {
			cbench_http_load_free(l);
			return cbench_error__set(err, CBENCH_ERROR,
			                         "http: libcurl rejected an option for %s", opts->url);
		}
	}
	reset_measurements(l);
	*out = l;
	return 0;
nomem:
	cbench_http_load_free(l);
	return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
}

void cbench_http_load_free(struct cbench_http_load *l)
{
	if (!l)
		return;
	for (unsigned i = 0; l->slots && i < l->concurrency; i++) {
		if (l->slots[i].busy)
			curl_multi_remove_handle(l->multi, l->slots[i].easy);
		if (l->slots[i].easy)
			curl_easy_cleanup(l->slots[i].easy);
	}
	if (l->multi)
		curl_multi_cleanup(l->multi);
	curl_slist_free_all(l->headers);
	free(l->slots);
	free(l->watch);
	free(l->lat);
	free(l->body);
	free(l->url);
	free(l->shown);
	free(l->method);
	free(l);
	curl_global_cleanup();
}

static void set_deadline(const struct cbench_http_load *l, struct pump *p, double now)
{
	if (l->deadline > 0)
		p->budget = l->deadline;
	else
		p->budget = (l->duration > 0 ? l->duration : DEFAULT_DEADLINE) + l->timeout;
	p->deadline = now + p->budget;
}

void cbench_http_load_warmup(struct cbench_http_load *l)
{
	struct pump p = { .to_start = l->warmup, .probe = UINT32_MAX };

	reset_measurements(l);
	if (l->warmup > 0) {
		set_deadline(l, &p, l->started);
		pump(l, &p);
		/* In probe mode the probe slot must be idle before a round. */
		cancel_all(l, "cancelled after the warm-up");
	}
	reset_measurements(l);
}

int cbench_http_load_run(struct cbench_http_load *l, struct cbench_http_summary *out,
                         struct cbench_error *err)
{
	struct pump p = { .probe = UINT32_MAX };

	if (l->requests == 0 && l->duration <= 0) {
		memset(out, 0, sizeof(*out));
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "http: a load run needs .requests or .duration");
	}
	cbench_http_load_warmup(l);
	p.to_start = l->requests ? l->requests : SIZE_MAX;
	p.start_until = l->duration > 0 ? l->started + l->duration : 0;
	set_deadline(l, &p, l->started);
	fill(l, &p, l->started);
	if (l->busy > 0)
		pump(l, &p);
	cbench_http_load_summary(l, out);
	return 0;
}

int cbench_http_load_request(struct cbench_http_load *l)
{
	struct pump p = { .to_start = SIZE_MAX, .probe = 0 };
	double now = now_seconds();

	if (l->count == 0 && l->busy == 0)
		l->started = now; /* the first round starts the measured period */
	p.budget = l->timeout + DEADLINE_SLACK;
	p.deadline = now + p.budget;
	if (!start_request(l, &l->slots[0]))
		return -1 - CBENCH_HTTP_ERR_OTHER;
	fill(l, &p, now);
	pump(l, &p);
	return p.probe_result;
}

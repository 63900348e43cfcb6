/*
 * The HTTP load helper against servers of the tests' own on 127.0.0.1 (a
 * thread per connection, each behaving as the test asks), the summary's
 * arithmetic on given latencies, and one run against the real nginx
 * fixture (skipped where nginx is not installed).
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cbench.h>
#include <cbench/http.h>

#include "measure/clock.h"
#include "measure/engine.h"
#include "net/http.h"
#include "nginx.h"

enum behaviour {
	ANSWER,     /* 200 and a 12-byte body; /e404 and /e500 answer those */
	CHECK,      /* 200 when method, header and body are the expected ones, else 400 */
	CLOSE_MID,  /* promises 1000 bytes, sends 7, closes */
	STALL,      /* reads the request, never answers */
	BARRIER,    /* holds each request until `expect` are in at once (or 5 s) */
	RESET,      /* reads the request, resets the connection (RST, no answer) */
	GARBAGE,    /* answers bytes that are not HTTP, then closes */
};

#define MAX_CONNS 64
#define BODY "hello world\n"
#define CHECK_BODY "payload-123"

struct server {
	int lfd, port;
	enum behaviour behaviour;
	int expect;
	pthread_t acceptor;
	pthread_t conns[MAX_CONNS];
	atomic_int nconns;
	atomic_int stop;
	atomic_int requests, active, max_active, bad;
};

struct conn_arg {
	struct server *s;
	int fd;
};

/* Waits up to 50 ms for data; -1 when the server stops or the peer left. */
static ssize_t read_some(struct server *s, int fd, char *buf, size_t size)
{
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int r;

		if (atomic_load(&s->stop))
			return -1;
		r = poll(&p, 1, 50);
		if (r < 0 && errno != EINTR)
			return -1;
		if (r > 0) {
			ssize_t n = recv(fd, buf, size, 0);

			return n > 0 ? n : -1;
		}
	}
}

static void send_all(int fd, const char *text)
{
	size_t len = strlen(text), off = 0;

	while (off < len) {
		ssize_t w = send(fd, text + off, len - off, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		off += (size_t)w;
	}
}

static void hold_until_all_in(struct server *s)
{
	int now = atomic_fetch_add(&s->active, 1) + 1;
	int max = atomic_load(&s->max_active);

	while (now > max && !atomic_compare_exchange_weak(&s->max_active, &max, now))
		;
	for (int i = 0; i < 5000 && atomic_load(&s->max_active) < s->expect &&
	     !atomic_load(&s->stop); i++)
		usleep(1000);
}

static void answer(struct server *s, int fd, const char *req, const char *body)
{
	const char *status = "200 OK";

	if (strncmp(req, "GET /e404 ", 10) == 0)
		status = "404 Not Found";
	else if (strncmp(req, "GET /e500 ", 10) == 0)
		status = "500 Internal Server Error";
	if (s->behaviour == CHECK &&
	    (strncmp(req, "PUT /check ", 11) != 0 || !strstr(req, "\r\nX-Cbench-Test: yes\r\n") ||
	     strcmp(body, CHECK_BODY) != 0)) {
		atomic_fetch_add(&s->bad, 1);
		status = "400 Bad Request";
	}
	{
		char reply[256];

		snprintf(reply, sizeof(reply),
		         "HTTP/1.1 %s\r\nContent-Length: %zu\r\n\r\n%s", status,
		         strlen(BODY), BODY);
		send_all(fd, reply);
	}
}

/* One connection: requests one after the other (keep-alive). */
static void *serve_conn(void *arg)
{
	struct conn_arg *a = arg;
	struct server *s = a->s;
	int fd = a->fd;
	char buf[8192];
	size_t len = 0;

	free(a);
	for (;;) {
		char *end;
		ssize_t n;
		size_t head, want = 0;
		const char *cl;

		buf[len] = '\0';
		while (!(end = strstr(buf, "\r\n\r\n"))) {
			if (len == sizeof(buf) - 1 || (n = read_some(s, fd, buf + len,
			                                             sizeof(buf) - 1 - len)) < 0)
				goto out;
			len += (size_t)n;
			buf[len] = '\0';
		}
		head = (size_t)(end + 4 - buf);
		if ((cl = strstr(buf, "Content-Length: ")) && cl < end)
			want = strtoul(cl + 16, NULL, 10);
		while (len < head + want && len < sizeof(buf) - 1) {
			if ((n = read_some(s, fd, buf + len, sizeof(buf) - 1 - len)) < 0)
				goto out;
			len += (size_t)n;
		}
		buf[len] = '\0';
		atomic_fetch_add(&s->requests, 1);
		switch (s->behaviour) {
		case CLOSE_MID:
			send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial");
			goto out;
		case STALL:
			while (!atomic_load(&s->stop))
				usleep(10000);
			goto out;
		case RESET: {
			/* linger 0: close() sends RST instead of FIN */
			struct linger l = { 1, 0 };

			setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
			goto out;
		}
		case GARBAGE:
			send_all(fd, "\x16\x03\x01 SSH-2.0-not-http\r\n\x01\x02\r\n\r\n<html>");
			goto out;
		case BARRIER:
			hold_until_all_in(s);
			atomic_fetch_sub(&s->active, 1);
			break;
		default:
			break;
		}
		{
			char saved = buf[head + want];

			buf[head + want] = '\0';
			answer(s, fd, buf, buf + head);
			buf[head + want] = saved;
		}
		memmove(buf, buf + head + want, len - head - want);
		len -= head + want;
	}
out:
	close(fd);
	return NULL;
}

static void *accept_loop(void *arg)
{
	struct server *s = arg;

	while (!atomic_load(&s->stop)) {
		struct pollfd p = { s->lfd, POLLIN, 0 };
		struct conn_arg *a;
		int fd, i;

		if (poll(&p, 1, 50) <= 0)
			continue;
		fd = accept(s->lfd, NULL, NULL);
		if (fd < 0)
			continue;
		i = atomic_load(&s->nconns);
		a = malloc(sizeof(*a));
		if (i == MAX_CONNS || !a) {
			free(a);
			close(fd);
			continue;
		}
		a->s = s;
		a->fd = fd;
		if (pthread_create(&s->conns[i], NULL, serve_conn, a) != 0) {
			free(a);
			close(fd);
			continue;
		}
		atomic_store(&s->nconns, i + 1);
	}
	return NULL;
}

static int bind_loopback(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(fd >= 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void server_start(struct server *s, enum behaviour b)
{
	memset(s, 0, sizeof(*s));
	s->behaviour = b;
	s->lfd = bind_loopback(&s->port);
	cr_assert_eq(listen(s->lfd, 128), 0);
	cr_assert_eq(pthread_create(&s->acceptor, NULL, accept_loop, s), 0);
}

static void server_stop(struct server *s)
{
	atomic_store(&s->stop, 1);
	pthread_join(s->acceptor, NULL);
	for (int i = 0; i < atomic_load(&s->nconns); i++)
		pthread_join(s->conns[i], NULL);
	close(s->lfd);
}

static char *url_of(const struct server *s, const char *path)
{
	static char url[128];

	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", s->port, path);
	return url;
}

static void run_load(struct cbench_http_summary *sum, const struct cbench_http_options *o)
{
	struct cbench_http_load *load;
	struct cbench_error err;

	cr_assert_eq(cbench_http_load_new(&load, o, &err), 0, "%s", err.text);
	cr_assert_eq(cbench_http_load_run(load, sum, &err), 0, "%s", err.text);
	cbench_http_load_free(load);
}

static void assert_ordered(const struct cbench_http_summary *s)
{
	cr_assert(s->min > 0);
	cr_assert(s->min <= s->p50 && s->p50 <= s->p95 && s->p95 <= s->p99 &&
	          s->p99 <= s->max, "%g %g %g %g %g", s->min, s->p50, s->p95, s->p99, s->max);
	cr_assert(s->mean >= s->min && s->mean <= s->max);
}

/* ---- the summary's arithmetic ------------------------------------------------ */

Test(http, summary_of_given_latencies)
{
	struct cbench_http_summary s;
	double lat[100];

	/* 1..100 ms, shuffled: the summary sorts. */
	for (int i = 0; i < 100; i++)
		lat[i] = (double)((i * 37) % 100 + 1) / 1000;
	memset(&s, 0, sizeof(s));
	s.requests = 120;
	s.ok = 90;
	s.seconds = 2.0;
	cbench_http__summarize(&s, lat, 100);
	cr_assert_eq(s.latencies, 100);
	cr_assert_float_eq(s.min, 0.001, 1e-12);
	cr_assert_float_eq(s.max, 0.100, 1e-12);
	cr_assert_float_eq(s.mean, 0.0505, 1e-12);
	/* Hyndman-Fan type 7: h = 99 p. */
	cr_assert_float_eq(s.p50, 0.0505, 1e-12);
	cr_assert_float_eq(s.p95, 0.09505, 1e-12);
	cr_assert_float_eq(s.p99, 0.09901, 1e-12);
	cr_assert_float_eq(s.success_rate, 0.75, 1e-12);
	cr_assert_float_eq(s.requests_per_second, 60.0, 1e-12);
}

Test(http, summary_of_nothing)
{
	struct cbench_http_summary s;

	memset(&s, 0, sizeof(s));
	cbench_http__summarize(&s, NULL, 0);
	cr_assert_eq(s.latencies, 0);
	cr_assert_eq(s.p95, 0);
	cr_assert_eq(s.success_rate, 0);
	cr_assert_eq(s.requests_per_second, 0);
	cr_assert_null(cbench_http_summary_first_error(&s));
}

Test(http, first_error_is_of_the_most_frequent_kind)
{
	struct cbench_http_summary s;

	memset(&s, 0, sizeof(s));
	s.errors[CBENCH_HTTP_ERR_CONNECT] = 1;
	snprintf(s.first_error[CBENCH_HTTP_ERR_CONNECT], CBENCH_ERROR_TEXT_MAX, "refused");
	s.errors[CBENCH_HTTP_ERR_5XX] = 3;
	snprintf(s.first_error[CBENCH_HTTP_ERR_5XX], CBENCH_ERROR_TEXT_MAX, "HTTP 503");
	cr_assert_str_eq(cbench_http_summary_first_error(&s), "HTTP 503");
	cr_assert_str_eq(cbench_http_error_kind_name(CBENCH_HTTP_ERR_TIMEOUT), "timeout");
}

/* cbench_http_summary_publish() inside the engine: names, units, directions. */
static struct cbench_http_summary published;

static void publish_body(void)
{
	CBENCH_MEASURE cbench_keep(0);
	cbench_http_summary_publish(&published, "api");
}

Test(http, publish_gives_every_figure_its_unit_and_direction)
{
	const struct cbench_clock *clock = cbench_clock__get("monotonic");
	struct cbench_engine_config c;
	struct cbench_engine_job j;
	struct cbench_outcome o;
	const struct { const char *name, *unit; enum cbench_direction dir; double value; } want[] = {
		{ "api_p50[10]", "s", CBENCH_LOWER_IS_BETTER, 0.002 },
		{ "api_p95[10]", "s", CBENCH_LOWER_IS_BETTER, 0.004 },
		{ "api_p99[10]", "s", CBENCH_LOWER_IS_BETTER, 0.005 },
		{ "api_max[10]", "s", CBENCH_LOWER_IS_BETTER, 0.009 },
		{ "api_requests_per_second[10]", "req/s", CBENCH_HIGHER_IS_BETTER, 400 },
		{ "api_success_rate[10]", "ratio", CBENCH_HIGHER_IS_BETTER, 0.9 },
		{ "api_errors_timeout[10]", "requests", CBENCH_LOWER_IS_BETTER, 10 },
		{ "api_errors[10]", "requests", CBENCH_LOWER_IS_BETTER, 10 },
		{ "api_bytes_per_request[10]", "B", CBENCH_LOWER_IS_BETTER, 50 },
		{ "api_cpu_per_request[10]", "s", CBENCH_LOWER_IS_BETTER, 0.0001 },
	};

	cr_assert_not_null(clock);
	memset(&published, 0, sizeof(published));
	published.requests = 100;
	published.ok = 90;
	published.errors[CBENCH_HTTP_ERR_TIMEOUT] = 10;
	published.p50 = 0.002;
	published.p95 = 0.004;
	published.p99 = 0.005;
	published.max = 0.009;
	published.requests_per_second = 400;
	published.success_rate = 0.9;
	published.bytes_received = 5000;
	published.cpu_seconds = 0.01;
	memset(&c, 0, sizeof(c));
	c.clock = clock;
	c.rounds = 1;
	c.batch = 1;
	memset(&j, 0, sizeof(j));
	j.run = publish_body;
	j.param = "10";
	cbench_engine__run(&o, &c, &j);
	cr_assert_eq(o.status, CBENCH_STATUS_PASSED, "%s", o.message ? o.message : "");
	cr_assert_eq(o.ncustom, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < o.ncustom; i++) {
		cr_assert_str_eq(o.custom[i].name, want[i].name);
		cr_assert_str_eq(o.custom[i].unit, want[i].unit);
		cr_assert_eq(o.custom[i].direction, want[i].dir, "%s", want[i].name);
		cr_assert_float_eq(o.custom[i].values[0], want[i].value, 1e-12, "%s", want[i].name);
	}
	cbench_outcome__clear(&o);
}

/* ---- bad input ------------------------------------------------------------------ */

Test(http, url_that_does_not_parse_is_one_line_naming_it)
{
	static const char *const bad[] = { "http://exa mple.com/", "htp//nowhere",
	                                   "ftp://127.0.0.1/x", "http://127.0.0.1:99999/",
	                                   "http://[::1/\nx" };
	struct cbench_http_options o;
	struct cbench_http_load *load = (void *)&o;
	struct cbench_error err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&o, 0, sizeof(o));
		o.url = bad[i];
		cr_assert_eq(cbench_http_load_new(&load, &o, &err), CBENCH_EUSAGE, "%s", bad[i]);
		cr_assert_null(load);
		cr_assert_null(strchr(err.text, '\n'), "%s", err.text);
		cr_assert(strncmp(err.text, "http: URL \"", 11) == 0, "%s", err.text);
		if (!strchr(bad[i], '\n'))
			cr_assert(strstr(err.text, bad[i]), "%s does not name %s", err.text, bad[i]);
	}
}

Test(http, bad_options_are_usage_errors)
{
	static const char *const crlf[] = { "X-A: b\r\nX-Injected: 1", NULL };
	struct cbench_http_options o = { .url = "http://127.0.0.1:1/" };
	struct cbench_http_load *load;
	struct cbench_http_summary sum;
	struct cbench_error err;

	o.method = "GET /x";
	cr_assert_eq(cbench_http_load_new(&load, &o, &err), CBENCH_EUSAGE);
	cr_assert(strstr(err.text, "GET /x"), "%s", err.text);
	o.method = NULL;
	o.headers = crlf;
	cr_assert_eq(cbench_http_load_new(&load, &o, &err), CBENCH_EUSAGE);
	cr_assert_null(strchr(err.text, '\n'), "%s", err.text);
	o.headers = NULL;
	o.concurrency = 5000;
	cr_assert_eq(cbench_http_load_new(&load, &o, &err), CBENCH_EUSAGE);
	cr_assert(strstr(err.text, "5000"), "%s", err.text);
	o.concurrency = 1;
	o.timeout = -1;
	cr_assert_eq(cbench_http_load_new(&load, &o, &err), CBENCH_EUSAGE);
	o.timeout = 0;
	/* Neither a request count nor a duration: the run would never end. */
	cr_assert_eq(cbench_http_load_new(&load, &o, &err), 0, "%s", err.text);
	cr_assert_eq(cbench_http_load_run(load, &sum, &err), CBENCH_EUSAGE);
	cr_assert(strstr(err.text, ".requests or .duration"), "%s", err.text);
	cbench_http_load_free(load);
}

Test(http, connection_refused_is_counted_as_connect)
{
	struct cbench_http_options o = { .requests = 6, .concurrency = 2,
	                                 .warmup = CBENCH_HTTP_NO_WARMUP, .timeout = 5 };
	struct cbench_http_summary s;
	char url[64];
	int port, fd = bind_loopback(&port);

	/* Bound then closed: nothing listens there now. */
	close(fd);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/x", port);
	o.url = url;
	run_load(&s, &o);
	cr_assert_eq(s.requests, 6);
	cr_assert_eq(s.ok, 0);
	cr_assert_eq(s.errors[CBENCH_HTTP_ERR_CONNECT], 6);
	cr_assert_eq(s.latencies, 0);
	cr_assert_eq(s.success_rate, 0);
	cr_assert(strstr(s.first_error[CBENCH_HTTP_ERR_CONNECT], url),
	          "%s", s.first_error[CBENCH_HTTP_ERR_CONNECT]);
	cr_assert_str_eq(cbench_http_summary_first_error(&s), s.first_error[CBENCH_HTTP_ERR_CONNECT]);
}

/* A URL's password is never in a message: not in the usage error of a
 * URL that does not parse, nor in the errors of the requests. */
Test(http, url_password_not_in_messages)
{
	struct cbench_http_options o = { .requests = 2, .warmup = CBENCH_HTTP_NO_WARMUP,
	                                 .timeout = 5 };
	struct cbench_http_load *load = NULL;
	struct cbench_error err = { 0, "" };
	struct cbench_http_summary s;
	char url[96];
	int port, fd = bind_loopback(&port);

	o.url = "http://bench:pwSECRET@[::1/x";
	cr_assert_eq(cbench_http_load_new(&load, &o, &err), CBENCH_EUSAGE);
	cr_assert_null(strstr(err.text, "pwSECRET"), "%s", err.text);
	cr_assert_not_null(strstr(err.text, "bench:***@"), "%s", err.text);
	close(fd);
	snprintf(url, sizeof(url), "http://bench:pwSECRET@127.0.0.1:%d/x", port);
	o.url = url;
	run_load(&s, &o);
	cr_assert_eq(s.errors[CBENCH_HTTP_ERR_CONNECT], 2);
	cr_assert_null(strstr(s.first_error[CBENCH_HTTP_ERR_CONNECT], "pwSECRET"), "%s",
	               s.first_error[CBENCH_HTTP_ERR_CONNECT]);
	cr_assert_not_null(strstr(s.first_error[CBENCH_HTTP_ERR_CONNECT], "bench:***@127.0.0.1"));
}

/* ---- servers of known behaviour --------------------------------------------------- */

Test(http, counts_bytes_and_percentiles_against_a_known_server, .timeout = 30)
{
	struct server srv;
	struct cbench_http_options o = { .requests = 57, .concurrency = 4 };
	struct cbench_http_summary s;

	server_start(&srv, ANSWER);
	o.url = url_of(&srv, "/ok");
	run_load(&s, &o);
	server_stop(&srv);
	cr_assert_eq(s.requests, 57);
	cr_assert_eq(s.ok, 57);
	cr_assert_eq(s.latencies, 57);
	cr_assert_eq(s.success_rate, 1.0);
	cr_assert_eq(s.bytes_received, 57 * strlen(BODY));
	/* The default warm-up is two requests per connection, not counted. */
	cr_assert_eq(atomic_load(&srv.requests), 57 + 8);
	/* Connections are reused: no more than the concurrency were opened. */
	cr_assert_leq(atomic_load(&srv.nconns), 4);
	for (int k = 0; k < CBENCH_HTTP_ERR_KINDS; k++)
		cr_assert_eq(s.errors[k], 0);
	assert_ordered(&s);
	cr_assert(s.seconds > 0 && s.requests_per_second > 0);
	cr_assert_float_eq(s.requests_per_second, 57 / s.seconds, 1e-9);
}

Test(http, duration_bounds_the_run, .timeout = 30)
{
	struct server srv;
	struct cbench_http_options o = { .duration = 0.2, .concurrency = 3 };
	struct cbench_http_summary s;

	server_start(&srv, ANSWER);
	o.url = url_of(&srv, "/ok");
	run_load(&s, &o);
	server_stop(&srv);
	cr_assert_gt(s.requests, 0);
	cr_assert_eq(s.ok, s.requests);
	cr_assert_eq((size_t)atomic_load(&srv.requests), s.requests + 6);
}

Test(http, client_and_server_errors_by_kind, .timeout = 30)
{
	struct server srv;
	struct cbench_http_options o = { .requests = 5, .concurrency = 2,
	                                 .warmup = CBENCH_HTTP_NO_WARMUP };
	struct cbench_http_summary s4, s5;
	char url[128];

	server_start(&srv, ANSWER);
	o.url = url_of(&srv, "/e404");
	run_load(&s4, &o);
	snprintf(url, sizeof(url), "%s", url_of(&srv, "/e500"));
	o.url = url;
	run_load(&s5, &o);
	server_stop(&srv);
	cr_assert_eq(s4.errors[CBENCH_HTTP_ERR_4XX], 5);
	cr_assert_eq(s4.errors[CBENCH_HTTP_ERR_5XX], 0);
	cr_assert_eq(s5.errors[CBENCH_HTTP_ERR_5XX], 5);
	cr_assert_eq(s5.errors[CBENCH_HTTP_ERR_4XX], 0);
	cr_assert_eq(s4.ok + s5.ok, 0);
	cr_assert_eq(s4.success_rate, 0);
	/* A response is a response: its latency counts. */
	cr_assert_eq(s4.latencies, 5);
	cr_assert(strstr(s4.first_error[CBENCH_HTTP_ERR_4XX], "HTTP 404"));
	cr_assert(strstr(s5.first_error[CBENCH_HTTP_ERR_5XX], "HTTP 500"));
	cr_assert(strstr(s5.first_error[CBENCH_HTTP_ERR_5XX], url), "%s",
	          s5.first_error[CBENCH_HTTP_ERR_5XX]);
}

Test(http, headers_and_body_are_sent, .timeout = 30)
{
	static const char *const headers[] = { "X-Cbench-Test: yes", NULL };
	struct server srv;
	struct cbench_http_options o = { .method = "PUT", .headers = headers,
	                                 .body = CHECK_BODY, .body_len = strlen(CHECK_BODY),
	                                 .requests = 10, .concurrency = 2,
	                                 .warmup = CBENCH_HTTP_NO_WARMUP };
	struct cbench_http_summary s;

	server_start(&srv, CHECK);
	o.url = url_of(&srv, "/check");
	run_load(&s, &o);
	server_stop(&srv);
	cr_assert_eq(atomic_load(&srv.bad), 0);
	cr_assert_eq(atomic_load(&srv.requests), 10);
	cr_assert_eq(s.ok, 10);
	cr_assert_eq(s.bytes_sent, 10 * strlen(CHECK_BODY));
}

Test(http, server_closing_mid_response_is_other, .timeout = 30)
{
	struct server srv;
	struct cbench_http_options o = { .requests = 4, .concurrency = 2,
	                                 .warmup = CBENCH_HTTP_NO_WARMUP };
	struct cbench_http_summary s;

	server_start(&srv, CLOSE_MID);
	o.url = url_of(&srv, "/partial");
	run_load(&s, &o);
	server_stop(&srv);
	cr_assert_eq(s.requests, 4);
	cr_assert_eq(s.errors[CBENCH_HTTP_ERR_OTHER], 4);
	cr_assert_eq(s.ok, 0);
	cr_assert(s.first_error[CBENCH_HTTP_ERR_OTHER][0]);
}

/* A server that resets or answers garbage: every request is a counted
 * error of kind "other" with its message, none an answer, and the run ends
 * (no request waits for the timeout: it is 20 s, the test's own 30 s). */
static void broken_server(enum behaviour behaviour, const char *path)
{
	struct server srv;
	struct cbench_http_options o = { .requests = 6, .concurrency = 2, .timeout = 20,
	                                 .warmup = CBENCH_HTTP_NO_WARMUP };
	struct cbench_http_summary s;

	server_start(&srv, behaviour);
	o.url = url_of(&srv, path);
	run_load(&s, &o);
	server_stop(&srv);
	cr_assert_eq(s.requests, 6);
	cr_assert_eq(s.ok, 0);
	cr_assert_eq(s.errors[CBENCH_HTTP_ERR_OTHER], 6, "other: %zu, timeout: %zu (%s)",
	             s.errors[CBENCH_HTTP_ERR_OTHER], s.errors[CBENCH_HTTP_ERR_TIMEOUT],
	             s.first_error[CBENCH_HTTP_ERR_TIMEOUT]);
	cr_assert(strstr(s.first_error[CBENCH_HTTP_ERR_OTHER], path), "%s",
	          s.first_error[CBENCH_HTTP_ERR_OTHER]);
}

Test(http, connection_reset_is_counted_as_other, .timeout = 30)
{
	broken_server(RESET, "/reset");
}

Test(http, garbage_answer_is_counted_as_other, .timeout = 30)
{
	broken_server(GARBAGE, "/garbage");
}

Test(http, stalled_server_times_out_within_the_deadline, .timeout = 30)
{
	struct server srv;
	struct cbench_http_options o = { .requests = 4, .concurrency = 2, .timeout = 0.2,
	                                 .warmup = CBENCH_HTTP_NO_WARMUP };
	struct cbench_http_summary s;
	struct timespec t0, t1;

	server_start(&srv, STALL);
	o.url = url_of(&srv, "/stall");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_load(&s, &o);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert_eq(s.requests, 4);
	cr_assert_eq(s.errors[CBENCH_HTTP_ERR_TIMEOUT], 4);
	cr_assert(strstr(s.first_error[CBENCH_HTTP_ERR_TIMEOUT], "/stall"));
	/* The server never answers: only the timeouts can have ended the run
	 * (a generous bound, far below the test's own timeout). */
	cr_assert_lt((double)(t1.tv_sec - t0.tv_sec), 10.0);

	/* The overall deadline cuts a run whose requests would outlive it. */
	o.timeout = 20;
	o.deadline = 0.3;
	o.requests = 2;
	run_load(&s, &o);
	server_stop(&srv);
	cr_assert_eq(s.errors[CBENCH_HTTP_ERR_TIMEOUT], 2);
	cr_assert(strstr(s.first_error[CBENCH_HTTP_ERR_TIMEOUT], "deadline"),
	          "%s", s.first_error[CBENCH_HTTP_ERR_TIMEOUT]);
}

Test(http, concurrency_is_really_reached, .timeout = 30)
{
	struct server srv;
	struct cbench_http_options o = { .requests = 30, .concurrency = 10,
	                                 .warmup = CBENCH_HTTP_NO_WARMUP };
	struct cbench_http_summary s;

	server_start(&srv, BARRIER);
	srv.expect = 10;
	o.url = url_of(&srv, "/held");
	run_load(&s, &o);
	server_stop(&srv);
	cr_assert_eq(s.ok, 30);
	cr_assert_eq(atomic_load(&srv.max_active), 10);
	cr_assert_eq(atomic_load(&srv.nconns), 10);
}

Test(http, one_request_at_a_time_under_load, .timeout = 30)
{
	struct server srv;
	struct cbench_http_options o = { .concurrency = 3 };
	struct cbench_http_load *load;
	struct cbench_http_summary s;
	struct cbench_error err;

	server_start(&srv, ANSWER);
	o.url = url_of(&srv, "/ok");
	cr_assert_eq(cbench_http_load_new(&load, &o, &err), 0, "%s", err.text);
	cbench_http_load_warmup(load);
	for (int i = 0; i < 20; i++)
		cr_assert_eq(cbench_http_load_request(load), 0);
	cbench_http_load_summary(load, &s);
	cbench_http_load_free(load);
	server_stop(&srv);
	/* The 20 timed requests, and those of the two other connections. */
	cr_assert_geq(s.requests, 20);
	cr_assert_eq(s.ok, s.requests);
	cr_assert_leq((size_t)atomic_load(&srv.requests), 6 + s.requests + 2);
	assert_ordered(&s);
}

/* ---- the real nginx -------------------------------------------------------------------- */

Test(http, against_the_real_nginx_fixture, .timeout = 60)
{
	struct cbench_nginx *n;
	struct cbench_error err;
	struct cbench_http_options o = { .requests = 100, .concurrency = 5 };
	struct cbench_http_summary s;
	int rc = cbench_nginx_start(&n, 0.02, &err);

	if (rc == CBENCH_ENOTFOUND)
		cr_skip_test("%s", err.text);
	cr_assert_eq(rc, 0, "%s", err.text);
	o.url = n->static_url;
	run_load(&s, &o);
	cr_assert_eq(s.ok, 100, "%s", cbench_http_summary_first_error(&s));
	cr_assert_eq(s.bytes_received, 100 * n->static_bytes);
	assert_ordered(&s);
	o.url = n->slow_url;
	o.requests = 20;
	run_load(&s, &o);
	cbench_nginx_stop(n);
	cr_assert_eq(s.ok, 20, "%s", cbench_http_summary_first_error(&s));
	/* Nothing answers faster than the upstream's wait. */
	cr_assert_geq(s.min, 0.02);
}

/*
 * `make compare-http`: cbench's HTTP load helper and wrk on the same nginx
 * (fixtures/nginx.c), same concurrency, same duration, alternating, one
 * thread each (wrk -t1: the helper is one thread too).
 *
 *     build/compare/http_load [RUNS [SECONDS [CONCURRENCY]]]   (3, 3, 50)
 *
 * For each endpoint (the static document, the 20 ms proxied one) and run it
 * prints both tools' requests/s, P50 and CPU time per request (getrusage:
 * the helper's own thread; wrk's as a child), then the medians of the
 * per-run ratios helper/wrk. Ratios within one run are compared because
 * the machine is shared: absolute figures drift between runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cbench.h>
#include <cbench/http.h>

#include "nginx.h"

extern char **environ;

struct reading {
	double rps, p50, cpu_per_request;
};

static double cpu_of(const struct rusage *r)
{
	return (double)r->ru_utime.tv_sec + (double)r->ru_utime.tv_usec * 1e-6 +
	       (double)r->ru_stime.tv_sec + (double)r->ru_stime.tv_usec * 1e-6;
}

static int helper_run(const char *url, unsigned c, double seconds, struct reading *out)
{
	struct cbench_http_options o = { .url = url, .concurrency = c, .duration = seconds };
	struct cbench_http_load *load;
	struct cbench_http_summary s;
	struct cbench_error err;

	if (cbench_http_load_new(&load, &o, &err) < 0 ||
	    cbench_http_load_run(load, &s, &err) < 0) {
		fprintf(stderr, "http_load: %s\n", err.text);
		return -1;
	}
	cbench_http_load_free(load);
	if (s.ok != s.requests)
		fprintf(stderr, "http_load: helper: %zu of %zu requests failed: %s\n",
		        s.requests - s.ok, s.requests, cbench_http_summary_first_error(&s));
	out->rps = s.requests_per_second;
	out->p50 = s.p50;
	out->cpu_per_request = s.requests ? s.cpu_seconds / (double)s.requests : 0;
	return 0;
}

/* wrk's "50%  612.00us" and "Requests/sec:  41234.56". */
static double wrk_time(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (strncmp(end, "us", 2) == 0)
		return v * 1e-6;
	if (strncmp(end, "ms", 2) == 0)
		return v * 1e-3;
	if (strncmp(end, "s", 1) == 0)
		return v;
	if (strncmp(end, "m", 1) == 0)
		return v * 60;
	return -1;
}

static int wrk_run(const char *url, unsigned c, double seconds, struct reading *out)
{
	char conns[16], dur[16], text[8192];
	char *argv[] = { "wrk", "-t1", "-c", conns, "-d", dur, "--latency", (char *)url, NULL };
	posix_spawn_file_actions_t fa;
	struct rusage before, after;
	int fds[2], status, rc;
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	const char *p;
	double requests = 0;

	snprintf(conns, sizeof(conns), "%u", c);
	snprintf(dur, sizeof(dur), "%.0fs", seconds);
	if (pipe(fds) != 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	getrusage(RUSAGE_CHILDREN, &before);
	rc = posix_spawnp(&pid, "wrk", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		fprintf(stderr, "http_load: cannot start wrk: %s (Debian: apt-get install wrk)\n",
		        strerror(rc));
		return -1;
	}
	while (len < sizeof(text) - 1 &&
	       (n = read(fds[0], text + len, sizeof(text) - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
	}
	text[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	getrusage(RUSAGE_CHILDREN, &after);
	p = strstr(text, "Requests/sec:");
	out->rps = p ? strtod(p + 13, NULL) : -1;
	p = strstr(text, " 50% ");
	out->p50 = p ? wrk_time(p + strspn(p + 5, " ") + 5) : -1;
	p = strstr(text, " requests in ");
	if (p) {
		while (p > text && p[-1] >= '0' && p[-1] <= '9')
			p--;
		requests = strtod(p, NULL);
	}
	out->cpu_per_request = requests > 0 ? (cpu_of(&after) - cpu_of(&before)) / requests : -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out->rps <= 0 || out->p50 <= 0) {
		fprintf(stderr, "http_load: wrk failed or printed what was not expected:\n%s\n", text);
		return -1;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int compare(const char *name, const char *url, int runs, double seconds, unsigned c)
{
	double rps[32], p50[32], cpu[32];

	printf("\n%s (%s), concurrency %u, %.0f s per run\n", name, url, c, seconds);
	printf("run  helper req/s    wrk req/s  ratio | helper P50    wrk P50  ratio | "
	       "helper CPU/req  wrk CPU/req\n");
	for (int i = 0; i < runs; i++) {
		struct reading h, w;

		/* Alternate which goes first, so a drift of the machine is shared. */
		if (i % 2 == 0 ? helper_run(url, c, seconds, &h) < 0 || wrk_run(url, c, seconds, &w) < 0
		               : wrk_run(url, c, seconds, &w) < 0 || helper_run(url, c, seconds, &h) < 0)
			return -1;
		rps[i] = h.rps / w.rps;
		p50[i] = h.p50 / w.p50;
		cpu[i] = h.cpu_per_request;
		printf("%3d  %12.0f %12.0f  %5.3f | %8.3f ms %7.3f ms %6.3f | %11.2f us %9.2f us\n",
		       i + 1, h.rps, w.rps, rps[i], h.p50 * 1e3, w.p50 * 1e3, p50[i],
		       h.cpu_per_request * 1e6, w.cpu_per_request * 1e6);
	}
	printf("median ratio helper/wrk: requests/s %.3f, P50 %.3f; helper CPU per request %.2f us\n",
	       median(rps, runs), median(p50, runs), median(cpu, runs) * 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 3;
	double seconds = argc > 2 ? atof(argv[2]) : 3;
	unsigned c = argc > 3 ? (unsigned)atoi(argv[3]) : 50;
	struct cbench_nginx *n;
	struct cbench_error err;
	int rc;

	if (runs < 1 || runs > 32 || !(seconds >= 1 && seconds <= 600) || c < 1 || c > 1000) {
		fprintf(stderr, "usage: %s [RUNS (1-32) [SECONDS (1-600) [CONCURRENCY (1-1000)]]]\n",
		        argv[0]);
		return 2;
	}
	if ((rc = cbench_nginx_start(&n, 0.020, &err)) < 0) {
		fprintf(stderr, "http_load: %s\n", err.text);
		return rc == CBENCH_ENOTFOUND ? 77 : 1;
	}
	rc = compare("static document", n->static_url, runs, seconds, c) < 0 ||
	     compare("slow endpoint", n->slow_url, runs, seconds, c) < 0;
	cbench_nginx_stop(n);
	return rc ? 1 : 0;
}

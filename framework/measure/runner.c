/*
 * Runs benchmark instances one at a time, each (by default) in a forked
 * child, so that a crash, exit() or hang is that benchmark's error and the
 * run goes on. The child measures with the engine and sends its outcome back
 * through a pipe; the parent adds the resource usage of the child, computes
 * the statistics and hands results on.
 */
#include "measure/runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "measure/engine.h"
#include "env/platform.h"
#include "base/error.h"
#include "measure/registry.h"
#include "stats/stats.h"
#include "base/util.h"

volatile sig_atomic_t cbench_runner__stop;

static struct sigaction old_int, old_term;

static void on_signal(int sig)
{
	cbench_runner__stop = sig;
}

void cbench_runner__handle_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: poll() must wake up to forward the signal. */
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
}

void cbench_runner__restore_signals(void)
{
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
}

void cbench_runner__signal_name(char *out, size_t size, int sig)
{
	const char *abbrev = sigabbrev_np(sig);
	const char *desc = sigdescr_np(sig);

	if (abbrev)
		snprintf(out, size, "SIG%s (%s)", abbrev, desc ? desc : "?");
	else
		snprintf(out, size, "signal %d", sig);
}

/* ---- shared fixtures ------------------------------------------------------ */

struct fixture_state {
	const char *name;
	const struct cbench_fixture_ *decl;
	void *value;
	bool built;
	bool failed;
	enum cbench_status status;
	char *message;
};

struct fixtures {
	struct fixture_state *v;
	size_t n;
};

static struct fixture_state *find_fixture(struct fixtures *fx, const char *name)
{
	for (size_t i = 0; i < fx->n; i++)
		if (strcmp(fx->v[i].name, name) == 0)
			return &fx->v[i];
	return NULL;
}

static int collect_fixtures(struct fixtures *fx, const struct cbench_instance *v,
                            size_t n)
{
	memset(fx, 0, sizeof(*fx));
	for (size_t i = 0; i < n; i++) {
		for (size_t f = 0; f < v[i].nfixtures; f++) {
			struct fixture_state *s = find_fixture(fx, v[i].fixtures[f]);

			if (!s) {
				s = realloc(fx->v, (fx->n + 1) * sizeof(*s));
				if (!s)
					return CBENCH_ENOMEM;
				fx->v = s;
				s = &fx->v[fx->n++];
				memset(s, 0, sizeof(*s));
				s->name = v[i].fixtures[f];
				s->decl = cbench_registry__fixture(s->name);
			}
		}
	}
	return 0;
}

struct call {
	void *(*setup)(void);
	void *value;
};

static void call_setup(void *arg)
{
	struct call *c = arg;

	c->value = c->setup ? c->setup() : NULL;
}

static void build_fixture(struct fixture_state *s)
{
	struct call c = { s->decl->opts.setup, NULL };

	s->built = true;
	s->failed = !cbench_engine__guard(call_setup, &c, &s->status, &s->message);
	s->value = c.value;
}

struct teardown_call {
	void (*teardown)(void *);
	void *value;
};

static void call_teardown(void *arg)
{
	struct teardown_call *c = arg;

	if (c->teardown)
		c->teardown(c->value);
}

static void teardown_fixture(struct fixture_state *s)
{
	struct teardown_call c = { s->decl->opts.teardown, s->value };
	enum cbench_status status;
	char *message = NULL;

	if (s->built && !s->failed &&
	    !cbench_engine__guard(call_teardown, &c, &status, &message))
		fprintf(stderr, "cbench: teardown of fixture %s: %s\n", s->name,
		        message ? message : "failed");
	free(message);
	free(s->message);
	s->message = NULL;
	s->built = false;
	s->value = NULL;
}

/* ---- one instance, in this process ----------------------------------------- */

struct settings {
	struct cbench_engine_config engine;
	double timeout;
	bool pin;
	int cpu;
	/* a callgrind child: the command line's parts (runner.h) */
	const char *valgrind;    /* NULL: measure in the forked child */
	const char *exe;
	const char *cg_out;      /* --callgrind-out-file */
	double factor;
};

static void settle(struct settings *s, const struct cbench_runner_config *cfg,
                   const struct cbench_instance *in)
{
	const struct cbench_options *o = &in->bench->opts;
	double f = cfg->factor > 0 ? cfg->factor : 1.0;
	double rounds = o->iterations ? o->iterations : CBENCH_DEFAULT_ROUNDS;

	memset(s, 0, sizeof(*s));
	s->engine.clock = cfg->clock;
	s->engine.rounds = (unsigned)fmax(3, fmin(CBENCH_MAX_ROUNDS, round(rounds * f)));
	s->engine.rounds_default = o->iterations == 0;
	s->engine.min_rounds = (unsigned)fmax(3, round(CBENCH_DEFAULT_MIN_ROUNDS * f));
	if (o->warmup == CBENCH_NONE)
		s->engine.warmup = 0;
	else if (o->warmup)
		s->engine.warmup = o->warmup;
	else /* a tenth of the rounds, between 1 and 10; of the rounds the
	      * declaration asks for, not the mode's share of them: reaching a
	      * steady state takes as long in --mode quick (threads.embed[2]
	      * read +50% in quick runs with 2 warm-up rounds, its first 17
	      * rounds slow while the second CPU woke up) */
		s->engine.warmup = (unsigned)fmin(10, fmax(1, round(rounds / 10)));
	s->engine.batch = o->batch;
	s->engine.min_time = (o->min_time > 0 ? o->min_time : CBENCH_DEFAULT_MIN_TIME) * f;
	s->engine.min_time_given = o->min_time > 0;
	s->engine.max_time = fmax(CBENCH_DEFAULT_MAX_TIME * f, s->engine.min_time);
	s->engine.stop = &cbench_runner__stop;
	s->timeout = o->timeout > 0 ? o->timeout :
	             cfg->timeout > 0 ? cfg->timeout : CBENCH_DEFAULT_TIMEOUT;
	s->timeout *= fmax(1.0, f);
	s->pin = cfg->pin;
	s->cpu = cfg->cpu;
}

/* Builds benchmark-scoped fixtures, measures, tears them down. Shared
 * fixtures in `fx` are already built. */
static void measure_here(struct cbench_outcome *out, const struct settings *s,
                         const struct cbench_instance *in, struct fixtures *fx)
{
	size_t nf = in->nfixtures;
	void **values = calloc(nf ? nf : 1, sizeof(void *));
	struct fixture_state *local = calloc(nf ? nf : 1, sizeof(*local));
	struct cbench_engine_job job;
	size_t built = 0;

	memset(out, 0, sizeof(*out));
	if (!values || !local) {
		out->status = CBENCH_STATUS_ERROR;
		out->message = cbench__strdup("out of memory");
		goto done;
	}
	for (size_t i = 0; i < nf; i++) {
		struct fixture_state *shared = find_fixture(fx, in->fixtures[i]);

		if (shared->decl->opts.scope != CBENCH_SCOPE_BENCHMARK) {
			if (shared->failed) {
				out->status = shared->status == CBENCH_STATUS_SKIPPED ?
				              CBENCH_STATUS_SKIPPED : CBENCH_STATUS_ERROR;
				out->message = cbench__asprintf("fixture %s: %s", shared->name,
				                                shared->message ? shared->message : "failed");
				goto done;
			}
			values[i] = shared->value;
			continue;
		}
		local[i] = *shared;
		local[i].message = NULL;
		build_fixture(&local[i]);
		built = i + 1;
		if (local[i].failed) {
			out->status = local[i].status == CBENCH_STATUS_SKIPPED ?
			              CBENCH_STATUS_SKIPPED : CBENCH_STATUS_ERROR;
			out->message = cbench__asprintf("fixture %s: %s", local[i].name,
			                                local[i].message ? local[i].message : "failed");
			goto done;
		}
		values[i] = local[i].value;
	}
	memset(&job, 0, sizeof(job));
	job.run = in->bench->run;
	job.setup = in->bench->opts.setup;
	job.teardown = in->bench->opts.teardown;
	job.param = in->param;
	job.param_index = in->param_index;
	job.fixture_names = (const char *const *)in->fixtures;
	job.fixture_values = values;
	job.nfixtures = nf;
	job.metric = in->metric;
	cbench_engine__run(out, &s->engine, &job);
done:
	for (size_t i = built; i-- > 0;)
		if (local[i].decl && local[i].decl->opts.scope == CBENCH_SCOPE_BENCHMARK)
			teardown_fixture(&local[i]);
	free(values);
	free(local);
}

/* ---- the pipe between child and parent -------------------------------------- */

#define WIRE_MAGIC 0x31524243u /* "CBR1" */
#define WIRE_END 0x21444e45u   /* "END!" */

struct wbuf {
	char *p;
	size_t n, cap;
	bool oom;
};

static void put(struct wbuf *b, const void *data, size_t n)
{
	if (b->oom || n == 0)
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->n + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, data, n);
	b->n += n;
}

static void put_u64(struct wbuf *b, uint64_t v)
{
	put(b, &v, sizeof(v));
}

static void put_f64(struct wbuf *b, double v)
{
	put(b, &v, sizeof(v));
}

static void put_str(struct wbuf *b, const char *s)
{
	uint64_t n = s ? strlen(s) : UINT64_MAX;

	put_u64(b, n);
	if (s)
		put(b, s, (size_t)n);
}

static void encode(struct wbuf *b, const struct cbench_outcome *o)
{
	put_u64(b, WIRE_MAGIC);
	put_u64(b, (uint64_t)o->status);
	put_str(b, o->message);
	put_u64(b, o->batch);
	put_u64(b, o->warmup);
	put_u64(b, o->calibration_rounds);
	put_u64(b, o->interrupted);
	put_f64(b, o->measure_seconds);
	put_u64(b, o->nsamples);
	put(b, o->samples, o->nsamples * sizeof(double));
	put_u64(b, o->ncustom);
	for (size_t i = 0; i < o->ncustom; i++) {
		put_str(b, o->custom[i].name);
		put_str(b, o->custom[i].unit);
		put_u64(b, (uint64_t)o->custom[i].direction);
		put_u64(b, o->custom[i].n);
		put(b, o->custom[i].values, o->custom[i].n * sizeof(double));
	}
	put_u64(b, WIRE_END);
}

struct rbuf {
	const char *p;
	size_t n, pos;
	bool bad;
};

static bool get(struct rbuf *r, void *out, size_t n)
{
	if (r->bad || r->n - r->pos < n) {
		r->bad = true;
		return false;
	}
	memcpy(out, r->p + r->pos, n);
	r->pos += n;
	return true;
}

static uint64_t get_u64(struct rbuf *r)
{
	uint64_t v = 0;

	get(r, &v, sizeof(v));
	return v;
}

static char *get_str(struct rbuf *r)
{
	uint64_t n = get_u64(r);
	char *s;

	if (n == UINT64_MAX || r->bad)
		return NULL;
	if (r->n - r->pos < n) {
		r->bad = true;
		return NULL;
	}
	s = malloc((size_t)n + 1);
	if (!s) {
		r->bad = true;
		return NULL;
	}
	get(r, s, (size_t)n);
	s[n] = '\0';
	return s;
}

static double *get_doubles(struct rbuf *r, uint64_t n)
{
	double *v;

	if (r->bad || n > (r->n - r->pos) / sizeof(double)) {
		r->bad = true;
		return NULL;
	}
	v = malloc(n ? (size_t)n * sizeof(double) : 1);
	if (!v) {
		r->bad = true;
		return NULL;
	}
	get(r, v, (size_t)n * sizeof(double));
	return v;
}

/* Decodes a complete message; false when it is cut short (the child died
 * while writing) or malformed. */
static bool decode(struct cbench_outcome *o, const char *data, size_t n)
{
	struct rbuf r = { data, n, 0, false };

	memset(o, 0, sizeof(*o));
	if (get_u64(&r) != WIRE_MAGIC)
		return false;
	o->status = (enum cbench_status)get_u64(&r);
	o->message = get_str(&r);
	o->batch = get_u64(&r);
	o->warmup = (unsigned)get_u64(&r);
	o->calibration_rounds = (unsigned)get_u64(&r);
	o->interrupted = get_u64(&r) != 0;
	get(&r, &o->measure_seconds, sizeof(double));
	o->nsamples = (size_t)get_u64(&r);
	o->samples = get_doubles(&r, o->nsamples);
	o->ncustom = (size_t)get_u64(&r);
	if (!r.bad && o->ncustom <= 1024u) {
		o->custom = calloc(o->ncustom ? o->ncustom : 1, sizeof(*o->custom));
		for (size_t i = 0; o->custom && i < o->ncustom && !r.bad; i++) {
			struct cbench_custom *c = &o->custom[i];

			c->name = get_str(&r);
			c->unit = get_str(&r);
			c->direction = (enum cbench_direction)get_u64(&r);
			c->n = (size_t)get_u64(&r);
			c->values = get_doubles(&r, c->n);
			c->cap = c->n;
		}
		if (!o->custom)
			r.bad = true;
	} else {
		r.bad = true;
	}
	if (r.bad || get_u64(&r) != WIRE_END || r.bad) {
		cbench_outcome__clear(o);
		return false;
	}
	return true;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static double now_seconds(void)
{
	return (double)cbench_clock__monotonic_ns() * 1e-9;
}

/* ---- one instance, in a child ----------------------------------------------- */

/* How often the parent looks whether the child exited while something it
 * forked keeps the pipe open. */
#define CHILD_POLL_MS 100.0

/* Reads what is in the pipe into msg; false at end of file or on error. */
static bool drain(int fd, struct wbuf *msg)
{
	char chunk[65536];
	ssize_t got;

	do
		got = read(fd, chunk, sizeof(chunk));
	while (got < 0 && errno == EINTR);
	if (got <= 0)
		return false;
	put(msg, chunk, (size_t)got);
	return true;
}

/* wait4 through EINTR; true when the child was reaped. */
static bool reap(pid_t pid, int *status, struct rusage *usage, int flags)
{
	pid_t r;

	while ((r = wait4(pid, status, flags, usage)) < 0 && errno == EINTR)
		;
	return r == pid;
}

struct child_report {
	struct cbench_outcome outcome;
	struct rusage usage;
	double wall;
};

extern char **environ;

/*
 * In a benchmark child: the secrets of base/util.h (GITHUB_TOKEN, the
 * database's password) gone from its environment. A benchmark has no
 * business with them, and what it measures (a library, a fixture's
 * server) could log or send its environment. unsetenv() alone is not
 * enough: /proc/PID/environ shows the block the process started with, so
 * those bytes are blanked too (this child's copy; the runner keeps its own).
 */
static void scrub_secrets(void)
{
	char **e;

	/* The values first (every copy), then the variables. */
	for (e = environ; e && *e; e++)
		if (cbench__secret_env(*e))
			explicit_bzero(strchr(*e, '=') + 1, strlen(strchr(*e, '=') + 1));
	for (;;) {
		char name[64];

		for (e = environ; e && *e && !cbench__secret_env(*e); e++)
			;
		if (!e || !*e)
			return;
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(*e, "="), *e);
		unsetenv(name);
	}
}

/*
 * In the forked child: becomes `valgrind --tool=callgrind ... EXE
 * --cbench-child FD FACTOR CLOCK ID`, the pipe's write end kept open
 * across exec. Returns only when exec failed.
 */
static void exec_callgrind(const struct settings *s, const struct cbench_instance *in,
                           int fd)
{
	char out[4200], fdtext[16], factor[32];
	char *argv[] = { (char *)s->valgrind, "--tool=callgrind", "--quiet",
	                 "--collect-atstart=no", out, (char *)s->exe,
	                 CBENCH_CHILD_OPTION, fdtext, factor,
	                 (char *)s->engine.clock->name, in->id, NULL };

	snprintf(out, sizeof(out), "--callgrind-out-file=%s", s->cg_out);
	snprintf(fdtext, sizeof(fdtext), "%d", fd);
	snprintf(factor, sizeof(factor), "%.17g", s->factor);
	if (fcntl(fd, F_SETFD, 0) != 0)
		return;
	execv(s->valgrind, argv);
	fprintf(stderr, "cbench: %s: %s\n", s->valgrind, strerror(errno));
}

static void run_forked(struct child_report *rep, const struct settings *s,
                       const struct cbench_instance *in, struct fixtures *fx)
{
	struct wbuf msg = { 0 };
	int fds[2], status = 0;
	pid_t pid;
	double start = now_seconds(), deadline = start + s->timeout, grace = 0;
	bool timed_out = false, forwarded = false, reaped = false, eof = false, strays;
	char sig[96];

	memset(rep, 0, sizeof(*rep));
	if (pipe2(fds, O_CLOEXEC) != 0) {
		rep->outcome.status = CBENCH_STATUS_ERROR;
		rep->outcome.message = cbench__asprintf("pipe: %s", strerror(errno));
		return;
	}
	fflush(NULL); /* or the child's exit() would print our buffers twice */
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		rep->outcome.status = CBENCH_STATUS_ERROR;
		rep->outcome.message = cbench__asprintf("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		struct cbench_outcome o;
		struct wbuf b = { 0 };

		struct cbench_error perr;

		/* Its own process group: whatever it forks goes with it. */
		setpgid(0, 0);
		close(fds[0]);
		scrub_secrets();
		if (s->pin && cbench_platform__pin(s->cpu, NULL, &perr) != 0) {
			memset(&o, 0, sizeof(o));
			o.status = CBENCH_STATUS_ERROR;
			o.message = cbench__strdup(perr.text);
		} else if (s->valgrind) {
			exec_callgrind(s, in, fds[1]);
			_exit(127);
		} else {
			measure_here(&o, s, in, fx);
		}
		encode(&b, &o);
		if (!b.oom)
			write_all(fds[1], b.p, b.n);
		fflush(NULL);
		_exit(0);
	}
	close(fds[1]);
	/* Both sides set the group, whichever runs first (the parent's call
	 * fails harmlessly once the child has exec'd or exited). */
	setpgid(pid, pid);
	for (;;) {
		/* After end of file only the exit is awaited, briefly: the
		 * pipe closes a moment before the child can be reaped. */
		struct pollfd p = { eof ? -1 : fds[0], POLLIN, 0 };
		double now = now_seconds(), limit = grace > 0 ? grace : deadline;
		int ms = (int)fmin(eof ? 1.0 : CHILD_POLL_MS,
		                   fmax(0.0, (limit - now) * 1000.0)) + 1;
		int rc;

		if (cbench_runner__stop && !forwarded) {
			/* A terminal's Ctrl-C reaches only the runner's group; the
			 * benchmark's group gets it from here. */
			kill(-pid, (int)cbench_runner__stop);
			forwarded = true;
			grace = now + CBENCH_STOP_GRACE;
		}
		if (now >= limit) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			timed_out = grace == 0;
			break;
		}
		rc = poll(&p, 1, ms);
		if (rc < 0 && errno != EINTR)
			break;
		if (rc > 0 && !drain(fds[0], &msg))
			eof = true;
		if (rc != 0 && !eof)
			continue;
		if (reap(pid, &status, &rep->usage, WNOHANG)) {
			/* Exited. When a process it forked still holds the pipe
			 * open, no end of file comes: take what was sent. */
			reaped = true;
			p.fd = fds[0];
			while (!eof && poll(&p, 1, 0) > 0 && drain(fds[0], &msg))
				;
			break;
		}
	}
	close(fds[0]);
	if (!reaped)
		reap(pid, &status, &rep->usage, 0);
	rep->wall = now_seconds() - start;
	/* Anything left in its group outlived the benchmark: no orphans. */
	strays = kill(-pid, 0) == 0;
	if (strays)
		kill(-pid, SIGKILL);

	if (!msg.oom && decode(&rep->outcome, msg.p, msg.n)) {
		free(msg.p);
		if (strays && rep->outcome.status != CBENCH_STATUS_ERROR) {
			free(rep->outcome.message);
			rep->outcome.status = CBENCH_STATUS_ERROR;
			rep->outcome.message = cbench__strdup(
				"left processes running after it finished (killed)");
		}
		return;
	}
	free(msg.p);
	memset(&rep->outcome, 0, sizeof(rep->outcome));
	rep->outcome.status = CBENCH_STATUS_ERROR;
	if (timed_out) {
		rep->outcome.message = cbench__asprintf("timed out after %g s", s->timeout);
	} else if (forwarded) {
		cbench_runner__signal_name(sig, sizeof(sig), (int)cbench_runner__stop);
		rep->outcome.message = cbench__asprintf("interrupted by %s", sig);
	} else if (WIFSIGNALED(status)) {
		cbench_runner__signal_name(sig, sizeof(sig), WTERMSIG(status));
		rep->outcome.message = cbench__asprintf("crashed: %s", sig);
	} else if (WIFEXITED(status)) {
		rep->outcome.message = cbench__asprintf(
			"exited with status %d before the benchmark finished",
			WEXITSTATUS(status));
	} else {
		rep->outcome.message = cbench__strdup("lost its result");
	}
}

static void run_inline(struct child_report *rep, const struct settings *s,
                       const struct cbench_instance *in, struct fixtures *fx)
{
	struct rusage before, after;
	double start = now_seconds();

	memset(rep, 0, sizeof(*rep));
	getrusage(RUSAGE_SELF, &before);
	measure_here(&rep->outcome, s, in, fx);
	getrusage(RUSAGE_SELF, &after);
	rep->wall = now_seconds() - start;
	rep->usage = after;
	timersub(&after.ru_utime, &before.ru_utime, &rep->usage.ru_utime);
	timersub(&after.ru_stime, &before.ru_stime, &rep->usage.ru_stime);
}

/* ---- counts under callgrind ----------------------------------------------------- */

/* Valgrind runs code some 50 times slower: setup and the rounds' batches
 * (found by the clock) take longer, so the child gets more time. */
#define CALLGRIND_TIMEOUT_FACTOR 20

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL) {
		char *path;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		path = cbench__asprintf("%s/%s", dir, e->d_name);
		if (path)
			unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static void set_error(struct cbench_outcome *o, char *message)
{
	o->status = CBENCH_STATUS_ERROR;
	free(o->message);
	o->message = message;
}

/* The per-call instruction counts of the child's dumps, one per measured
 * round, as the metric "<metric>.instructions". */
static int read_counts(struct cbench_custom *out, const struct cbench_outcome *o,
                       const char *cg_out, const struct cbench_instance *in,
                       struct cbench_error *err)
{
	uint64_t *totals = malloc((o->nsamples ? o->nsamples : 1) * sizeof(*totals));
	int rc;

	memset(out, 0, sizeof(*out));
	if (!totals)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	rc = cbench_counters__callgrind_read(totals, o->nsamples, cg_out, err);
	if (rc == 0) {
		out->name = cbench__asprintf("%s.instructions", in->metric);
		out->unit = cbench__strdup("instructions");
		out->values = malloc((o->nsamples ? o->nsamples : 1) * sizeof(double));
		out->direction = CBENCH_LOWER_IS_BETTER;
		out->n = out->cap = o->nsamples;
		if (!out->name || !out->unit || !out->values)
			rc = cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
		for (size_t i = 0; rc == 0 && i < o->nsamples; i++)
			out->values[i] = (double)totals[i] / (double)(o->batch ? o->batch : 1);
	}
	free(totals);
	return rc;
}

static int append_custom(struct cbench_outcome *o, struct cbench_custom *c)
{
	struct cbench_custom *p = realloc(o->custom, (o->ncustom + 1) * sizeof(*p));

	if (!p)
		return CBENCH_ENOMEM;
	o->custom = p;
	p[o->ncustom++] = *c;
	memset(c, 0, sizeof(*c));
	return 0;
}

/*
 * Measures `in` once more in a child under callgrind and adds its
 * instruction counts to rep's outcome. With `timed` false the child's run
 * is the result (its times, valgrind's, are not reported); with it true
 * only the counts are taken and an error of the child becomes rep's.
 */
static void count_with_callgrind(struct child_report *rep, bool timed,
                                 const struct settings *base,
                                 const struct cbench_runner_config *cfg,
                                 const struct cbench_instance *in, struct fixtures *fx)
{
	struct settings s = *base;
	struct child_report cg;
	struct cbench_custom count;
	struct cbench_error err = { 0, "" };
	const char *tmp = getenv("TMPDIR");
	char valgrind[512], exe[4096];
	char *dir = cbench__asprintf("%s/cbench-callgrind-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	char *cg_out = NULL;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	memset(&cg, 0, sizeof(cg));
	if (!dir || !mkdtemp(dir)) {
		cbench_error__set(&err, CBENCH_EIO, "callgrind: a temporary folder: %s",
		                  strerror(errno));
		goto out;
	}
	if (len <= 0 || !cbench_counters__valgrind_path(valgrind, sizeof(valgrind))) {
		cbench_error__set(&err, CBENCH_EIO, "callgrind: no valgrind on PATH or no "
		                  "/proc/self/exe");
		goto out;
	}
	exe[len] = '\0';
	cg_out = cbench__asprintf("%s/callgrind.out", dir);
	s.valgrind = valgrind;
	s.exe = exe;
	s.cg_out = cg_out;
	s.factor = cfg->factor > 0 ? cfg->factor : 1.0;
	s.timeout *= CALLGRIND_TIMEOUT_FACTOR;
	run_forked(&cg, &s, in, fx);
	if (cg.outcome.status == CBENCH_STATUS_PASSED &&
	    read_counts(&count, &cg.outcome, cg_out, in, &err) == 0 &&
	    append_custom(timed ? &rep->outcome : &cg.outcome, &count) != 0)
		cbench_error__set(&err, CBENCH_ENOMEM, "out of memory");
out:
	if (!timed) {
		*rep = cg;
		memset(&cg, 0, sizeof(cg));
		if (err.text[0])
			set_error(&rep->outcome, cbench__strdup(err.text));
	} else if (cg.outcome.status != CBENCH_STATUS_PASSED) {
		rep->outcome.status = cg.outcome.status;
		free(rep->outcome.message);
		rep->outcome.message = cbench__asprintf("under callgrind: %s",
		                                        cg.outcome.message ? cg.outcome.message : "?");
	} else if (err.text[0]) {
		set_error(&rep->outcome, cbench__strdup(err.text));
	}
	cbench_outcome__clear(&cg.outcome);
	if (dir)
		remove_tree(dir);
	free(cg_out);
	free(dir);
}

/* The child's side of count_with_callgrind (runner.h). */
int cbench_runner__child(int argc, char **argv)
{
	struct cbench_instance *all = NULL;
	struct cbench_outcome o;
	struct cbench_runner_config cfg;
	struct fixtures fx = { 0 };
	struct settings s;
	struct wbuf b = { 0 };
	size_t n = 0, k;
	char *end;
	long fd;

	if (argc != 6 || strcmp(argv[1], CBENCH_CHILD_OPTION) != 0) {
		fprintf(stderr, "cbench: %s FD FACTOR CLOCK ID\n", CBENCH_CHILD_OPTION);
		return 2;
	}
	fd = strtol(argv[2], &end, 10);
	memset(&cfg, 0, sizeof(cfg));
	cfg.factor = strtod(argv[3], NULL);
	cfg.clock = cbench_clock__get(argv[4]);
	if (*end || fd < 0 || !cfg.clock || !(cfg.factor > 0) ||
	    cbench_registry__instances(&all, &n, NULL) != 0) {
		fprintf(stderr, "cbench: %s: bad arguments or registry\n", CBENCH_CHILD_OPTION);
		cbench_registry__instances_free(all, n);
		return 2;
	}
	for (k = 0; k < n && strcmp(all[k].id, argv[5]) != 0; k++)
		;
	if (k == n || collect_fixtures(&fx, &all[k], 1) != 0) {
		fprintf(stderr, "cbench: %s: no benchmark %s\n", CBENCH_CHILD_OPTION, argv[5]);
		cbench_registry__instances_free(all, n);
		return 2;
	}
	for (size_t f = 0; f < fx.n; f++)
		if (fx.v[f].decl->opts.scope != CBENCH_SCOPE_BENCHMARK)
			build_fixture(&fx.v[f]);
	settle(&s, &cfg, &all[k]);
	s.engine.counters = CBENCH_COUNTERS_CALLGRIND;
	s.engine.no_time = true;
	measure_here(&o, &s, &all[k], &fx);
	encode(&b, &o);
	if (!b.oom)
		write_all((int)fd, b.p, b.n);
	free(b.p);
	cbench_outcome__clear(&o);
	for (size_t f = 0; f < fx.n; f++)
		teardown_fixture(&fx.v[f]);
	free(fx.v);
	cbench_registry__instances_free(all, n);
	return 0;
}

/* ---- results ----------------------------------------------------------------- */

static int make_metric(struct cbench_metric *m, char *name, char *unit,
                       enum cbench_direction dir, bool timing, double *samples,
                       size_t n)
{
	m->name = name;
	m->unit = unit;
	m->direction = dir;
	m->timing = timing;
	m->samples = samples;
	m->nsamples = n;
	if (cbench_stats__compute(&m->stats, samples, n) != 0)
		return CBENCH_ENOMEM;
	m->value = m->stats.median;
	return 0;
}

static int make_result(struct cbench_result *r, const struct cbench_instance *in,
                       const struct settings *s, struct child_report *rep)
{
	struct cbench_outcome *o = &rep->outcome;
	size_t nm = (o->nsamples > 0) + o->ncustom, k = 0;
	struct cbench_metric *metrics = calloc(nm ? nm : 1, sizeof(*metrics));
	int rc = 0;

	memset(r, 0, sizeof(*r));
	r->id = in->id;
	r->suite = in->bench->suite;
	r->name = in->bench->name;
	r->param = in->param;
	r->file = in->bench->file;
	r->line = in->bench->line;
	r->markers = (const char *const *)in->markers;
	r->nmarkers = in->nmarkers;
	r->status = o->status;
	r->message = o->message;
	o->message = NULL;
	r->warmup = o->warmup;
	r->iterations = s->engine.rounds;
	r->batch = o->batch;
	r->optimized = in->bench->optimized;
	r->wall_time = rep->wall;
	r->cpu_time = (double)(rep->usage.ru_utime.tv_sec + rep->usage.ru_stime.tv_sec) +
	              (double)(rep->usage.ru_utime.tv_usec + rep->usage.ru_stime.tv_usec) * 1e-6;
	r->peak_rss = (uint64_t)rep->usage.ru_maxrss * 1024u;
	if (!metrics)
		return CBENCH_ENOMEM;
	r->metrics = metrics;
	if (o->nsamples > 0) {
		rc = make_metric(&metrics[k++], cbench__strdup(in->metric),
		                 cbench__strdup("s"), CBENCH_LOWER_IS_BETTER, true,
		                 o->samples, o->nsamples);
		o->samples = NULL;
		r->iterations = (unsigned)o->nsamples;
	}
	for (size_t i = 0; i < o->ncustom && rc == 0; i++) {
		struct cbench_custom *c = &o->custom[i];

		rc = make_metric(&metrics[k++], c->name, c->unit, c->direction, false,
		                 c->values, c->n);
		c->name = c->unit = NULL;
		c->values = NULL;
	}
	r->nmetrics = k;
	return rc;
}

static void clear_result(struct cbench_result *r)
{
	for (size_t i = 0; i < r->nmetrics; i++) {
		free((void *)r->metrics[i].name);
		free((void *)r->metrics[i].unit);
		free((void *)r->metrics[i].samples);
	}
	free((void *)r->metrics);
	free((void *)r->message);
}

void cbench_runner__results_free(struct cbench_result *r, size_t n)
{
	if (!r)
		return;
	for (size_t i = 0; i < n; i++)
		clear_result(&r[i]);
	free(r);
}

int cbench_runner__run(struct cbench_result **out, size_t *nout,
                       const struct cbench_runner_config *cfg,
                       const struct cbench_instance *v, size_t n,
                       struct cbench_error *err)
{
	struct cbench_result *results = calloc(n ? n : 1, sizeof(*results));
	struct fixtures fx;
	struct cbench_platform_cpus saved = { 0 };
	size_t done = 0;
	int rc = 0;

	if (!results || collect_fixtures(&fx, v, n) != 0) {
		free(results);
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	}
	/* Without fork the benchmarks run here: pin this process for them. */
	if (cfg->pin && !cfg->fork && (rc = cbench_platform__pin(cfg->cpu, &saved, err)) != 0) {
		free(fx.v);
		free(results);
		return rc;
	}
	/* Measure the TSC rate once here, not in every child. */
	cbench_clock__tick_seconds(cfg->clock);
	for (size_t i = 0; i < n && !cbench_runner__stop; i++) {
		const struct cbench_instance *in = &v[i];
		struct child_report rep;
		struct settings s;

		for (size_t f = 0; f < in->nfixtures; f++) {
			struct fixture_state *fs = find_fixture(&fx, in->fixtures[f]);

			if (fs->decl->opts.scope != CBENCH_SCOPE_BENCHMARK && !fs->built)
				build_fixture(fs);
		}
		if (cfg->on_start)
			cfg->on_start(cfg->ctx, in, i, n);
		settle(&s, cfg, in);
		s.engine.no_time = cfg->no_time;
		if (cfg->counters == CBENCH_COUNTERS_PERF)
			s.engine.counters = CBENCH_COUNTERS_PERF;
		if (cfg->counters == CBENCH_COUNTERS_CALLGRIND && cfg->no_time)
			count_with_callgrind(&rep, false, &s, cfg, in, &fx);
		else if (cfg->fork)
			run_forked(&rep, &s, in, &fx);
		else
			run_inline(&rep, &s, in, &fx);
		if (cfg->counters == CBENCH_COUNTERS_CALLGRIND && !cfg->no_time &&
		    rep.outcome.status == CBENCH_STATUS_PASSED)
			count_with_callgrind(&rep, true, &s, cfg, in, &fx);
		if (cfg->no_time) {
			/* the rounds' times exist (the batch comes from them) but
			 * were not asked for */
			free(rep.outcome.samples);
			rep.outcome.samples = NULL;
			rep.outcome.nsamples = 0;
		}
		rc = make_result(&results[done], in, &s, &rep);
		cbench_outcome__clear(&rep.outcome);
		done++;
		if (rc) {
			cbench_error__set(err, rc, "out of memory");
			break;
		}
		if (cfg->on_result)
			cfg->on_result(cfg->ctx, &results[done - 1], i, n);
		/* Suite-scoped fixtures go when the suite ends (instances are
		 * sorted by suite). */
		if (i + 1 == n || strcmp(v[i + 1].bench->suite, in->bench->suite) != 0)
			for (size_t f = 0; f < fx.n; f++)
				if (fx.v[f].built &&
				    fx.v[f].decl->opts.scope == CBENCH_SCOPE_SUITE)
					teardown_fixture(&fx.v[f]);
		if (cfg->exitfirst && (results[done - 1].status == CBENCH_STATUS_FAILED ||
		                       results[done - 1].status == CBENCH_STATUS_ERROR))
			break;
	}
	for (size_t f = 0; f < fx.n; f++)
		if (fx.v[f].built)
			teardown_fixture(&fx.v[f]);
	free(fx.v);
	cbench_platform__unpin(&saved);
	if (rc) {
		cbench_runner__results_free(results, done);
		return rc;
	}
	*out = results;
	*nout = done;
	return 0;
}

/*
 * Instruction counts around the timed region: perf_event_open where the
 * kernel allows it, callgrind's client requests where it does not. The
 * engine calls start/pause/resume/stop at the same places it reads the
 * clock; which backend answers is decided once, by the runner's probe.
 */
#include "measure/counters.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/util.h"

#if defined(__linux__) && defined(__has_include)
#if __has_include(<linux/perf_event.h>)
#define CBENCH_HAVE_PERF_EVENT 1
#endif
#endif
#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#define CBENCH_HAVE_VALGRIND_H 1
#endif
#endif

#ifdef CBENCH_HAVE_PERF_EVENT
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#endif
#ifdef CBENCH_HAVE_VALGRIND_H
#include <valgrind/callgrind.h>
#endif

struct cbench_counters {
	enum cbench_counters_backend backend;
	size_t n;
	int fd[CBENCH_COUNTERS_MAX];          /* perf: fd[0] leads the group */
	const char *event[CBENCH_COUNTERS_MAX];
	const char *unit[CBENCH_COUNTERS_MAX];
	uint64_t at[CBENCH_COUNTERS_MAX];     /* values at the start or resume */
	uint64_t sum[CBENCH_COUNTERS_MAX];    /* counted so far in this region */
};

const char *cbench_counters__backend_name(enum cbench_counters_backend b)
{
	switch (b) {
	case CBENCH_COUNTERS_PERF: return "perf";
	case CBENCH_COUNTERS_CALLGRIND: return "callgrind";
	default: return "none";
	}
}

bool cbench_counters__valgrind_path(char *out, size_t size)
{
	const char *path = getenv("PATH");
	const char *p = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";

	while (*p) {
		size_t len = strcspn(p, ":");

		if (len > 0 && (size_t)snprintf(out, size, "%.*s/valgrind", (int)len, p) < size &&
		    access(out, X_OK) == 0)
			return true;
		p += len;
		if (*p == ':')
			p++;
	}
	return false;
}

/* ---- perf ------------------------------------------------------------------ */

#ifdef CBENCH_HAVE_PERF_EVENT
static const struct {
	uint64_t config;
	const char *event, *unit;
} perf_events[CBENCH_COUNTERS_MAX] = {
	{ PERF_COUNT_HW_INSTRUCTIONS, "instructions", "instructions" },
	{ PERF_COUNT_HW_CPU_CYCLES, "cycles", "cycles" },
	{ PERF_COUNT_HW_BRANCH_MISSES, "branch-misses", "misses" },
	{ PERF_COUNT_HW_CACHE_MISSES, "cache-misses", "misses" },
};

static int perf_open(uint64_t config, int group)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_HARDWARE;
	a.config = config;
	a.disabled = group < 0;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	a.read_format = PERF_FORMAT_GROUP;
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, group, 0);
}

/* Why the kernel said no, in words a user can act on. */
static void perf_refusal(char *out, size_t size, int e)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int level = 0;
	bool known = f && fscanf(f, "%d", &level) == 1;

	if (f)
		fclose(f);
	if (e == ENOENT || e == EOPNOTSUPP || e == ENODEV)
		snprintf(out, size, "%s: this machine exposes no hardware counters "
		         "(a virtual machine without a PMU?)", strerror(e));
	else if ((e == EACCES || e == EPERM) && known)
		snprintf(out, size, "%s: kernel.perf_event_paranoid is %d", strerror(e), level);
	else
		snprintf(out, size, "%s", strerror(e));
}

static int perf_new(struct cbench_counters *c, struct cbench_error *err)
{
	char why[160];

	for (size_t i = 0; i < CBENCH_COUNTERS_MAX; i++) {
		int fd = perf_open(perf_events[i].config, c->n ? c->fd[0] : -1);

		if (fd < 0) {
			if (i > 0)
				continue; /* counted where the CPU has it */
			perf_refusal(why, sizeof(why), errno);
			return cbench_error__set(err, CBENCH_EUSAGE,
			                         "perf_event_open refused (%s)", why);
		}
		c->fd[c->n] = fd;
		c->event[c->n] = perf_events[i].event;
		c->unit[c->n] = perf_events[i].unit;
		c->n++;
	}
	if (ioctl(c->fd[0], PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP) != 0)
		return cbench_error__set(err, CBENCH_EIO, "perf_event enable: %s", strerror(errno));
	return 0;
}

/* One read(2) of the whole group: nr, then the values in opening order. */
static void perf_read(struct cbench_counters *c, uint64_t *v)
{
	uint64_t buf[1 + CBENCH_COUNTERS_MAX];
	ssize_t got = read(c->fd[0], buf, sizeof(buf));

	if (got < (ssize_t)sizeof(uint64_t) || buf[0] != c->n) {
		memset(v, 0, c->n * sizeof(*v));
		return;
	}
	memcpy(v, buf + 1, c->n * sizeof(*v));
}
#endif

/* ---- the backends behind one interface -------------------------------------- */

int cbench_counters__probe(enum cbench_counters_backend *out, char *note,
                           size_t note_size, struct cbench_error *err)
{
	const char *force = getenv("CBENCH_COUNTERS");
	struct cbench_counters *c = NULL;
	struct cbench_error perr = { 0, "" };
	char valgrind[512];
	bool want_perf = !force || !*force || strcmp(force, "perf") == 0;
	bool want_cg = !force || !*force || strcmp(force, "callgrind") == 0;

	note[0] = '\0';
	if (!want_perf && !want_cg)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "CBENCH_COUNTERS: '%s' is not perf or callgrind", force);
	if (want_perf) {
		if (cbench_counters__new(&c, CBENCH_COUNTERS_PERF, &perr) == 0) {
			cbench_counters__free(c);
			*out = CBENCH_COUNTERS_PERF;
			return 0;
		}
		if (!want_cg)
			return cbench_error__set(err, CBENCH_EUSAGE, "--measure instructions: %s",
			                         perr.text);
	}
#ifdef CBENCH_HAVE_VALGRIND_H
	if (!cbench_counters__valgrind_path(valgrind, sizeof(valgrind)))
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "--measure instructions: %s%sand valgrind is not on PATH "
		                         "(install the valgrind package)",
		                         want_perf ? perr.text : "", want_perf ? ", " : "");
#else
	(void)valgrind;
	return cbench_error__set(err, CBENCH_EUSAGE,
	                         "--measure instructions: %s%sand cbench was built without "
	                         "valgrind/callgrind.h", want_perf ? perr.text : "",
	                         want_perf ? ", " : "");
#endif
	if (want_perf)
		snprintf(note, note_size, "note: %s; counting instructions under callgrind",
		         perr.text);
	*out = CBENCH_COUNTERS_CALLGRIND;
	return 0;
}

int cbench_counters__new(struct cbench_counters **out, enum cbench_counters_backend b,
                         struct cbench_error *err)
{
	struct cbench_counters *c = calloc(1, sizeof(*c));
	int rc = 0;

	*out = NULL;
	if (!c)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	c->backend = b;
	for (size_t i = 0; i < CBENCH_COUNTERS_MAX; i++)
		c->fd[i] = -1;
	switch (b) {
	case CBENCH_COUNTERS_PERF:
#ifdef CBENCH_HAVE_PERF_EVENT
		rc = perf_new(c, err);
#else
		rc = cbench_error__set(err, CBENCH_EUSAGE,
		                       "perf_event_open: cbench was built without linux/perf_event.h");
#endif
		break;
	case CBENCH_COUNTERS_CALLGRIND:
#ifdef CBENCH_HAVE_VALGRIND_H
		if (!RUNNING_ON_VALGRIND)
			rc = cbench_error__set(err, CBENCH_EUSAGE,
			                       "callgrind counters outside valgrind");
#else
		rc = cbench_error__set(err, CBENCH_EUSAGE,
		                       "callgrind: cbench was built without valgrind/callgrind.h");
#endif
		break;
	default:
		rc = cbench_error__set(err, CBENCH_EUSAGE, "no counter backend");
		break;
	}
	if (rc) {
		cbench_counters__free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void cbench_counters__free(struct cbench_counters *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < CBENCH_COUNTERS_MAX; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
	free(c);
}

size_t cbench_counters__count(const struct cbench_counters *c)
{
	return c->n;
}

const char *cbench_counters__event(const struct cbench_counters *c, size_t i)
{
	return c->event[i];
}

const char *cbench_counters__unit(const struct cbench_counters *c, size_t i)
{
	return c->unit[i];
}

static void toggle_collect(void)
{
#ifdef CBENCH_HAVE_VALGRIND_H
	CALLGRIND_TOGGLE_COLLECT;
#endif
}

void cbench_counters__start(struct cbench_counters *c)
{
	if (c->backend == CBENCH_COUNTERS_CALLGRIND) {
		toggle_collect();
		return;
	}
	memset(c->sum, 0, sizeof(c->sum));
#ifdef CBENCH_HAVE_PERF_EVENT
	perf_read(c, c->at);
#endif
}

void cbench_counters__pause(struct cbench_counters *c)
{
	uint64_t now[CBENCH_COUNTERS_MAX] = { 0 };

	if (c->backend == CBENCH_COUNTERS_CALLGRIND) {
		toggle_collect();
		return;
	}
#ifdef CBENCH_HAVE_PERF_EVENT
	perf_read(c, now);
#endif
	for (size_t i = 0; i < c->n; i++)
		c->sum[i] += now[i] - c->at[i];
}

void cbench_counters__resume(struct cbench_counters *c)
{
	if (c->backend == CBENCH_COUNTERS_CALLGRIND) {
		toggle_collect();
		return;
	}
#ifdef CBENCH_HAVE_PERF_EVENT
	perf_read(c, c->at);
#endif
}

void cbench_counters__stop(struct cbench_counters *c, uint64_t *out)
{
	if (c->backend == CBENCH_COUNTERS_CALLGRIND) {
		toggle_collect();
#ifdef CBENCH_HAVE_VALGRIND_H
		CALLGRIND_DUMP_STATS;
#endif
		return;
	}
	cbench_counters__pause(c);
	memcpy(out, c->sum, c->n * sizeof(*out));
}

/* ---- callgrind's dumps ----------------------------------------------------------- */

/* The first event's total of one dump: `totals:` (or, in older files,
 * `summary:`) followed by one number per event, Ir first. */
static int read_dump(uint64_t *out, const char *path, struct cbench_error *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	bool found = false;

	if (!f)
		return cbench_error__set(err, CBENCH_EIO, "%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		const char *v = NULL;
		char *end;
		unsigned long long n;

		if (strncmp(line, "totals:", 7) == 0)
			v = line + 7;
		else if (strncmp(line, "summary:", 8) == 0 && !found)
			v = line + 8;
		if (!v)
			continue;
		errno = 0;
		n = strtoull(v, &end, 10);
		if (end == v || errno)
			continue;
		*out = (uint64_t)n;
		found = true;
		if (strncmp(line, "totals:", 7) == 0)
			break;
	}
	free(line);
	fclose(f);
	if (!found)
		return cbench_error__set(err, CBENCH_EPARSE, "%s: no totals: line", path);
	return 0;
}

int cbench_counters__callgrind_read(uint64_t *out, size_t n, const char *outfile,
                                    struct cbench_error *err)
{
	for (size_t i = 0; i < n; i++) {
		char *path = cbench__asprintf("%s.%zu", outfile, i + 1);
		int rc;

		if (!path)
			return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
		rc = read_dump(&out[i], path, err);
		free(path);
		if (rc)
			return rc;
	}
	return 0;
}

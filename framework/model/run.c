/*
 * The run's vocabulary and its id: every name a results file, the history
 * or a report writes for a status, a verdict, a direction, a run type or a
 * signal comes from here, and every run id is made here.
 */
#include "model/run.h"

#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

bool cbench_run__valid_type(const char *type)
{
	return type && (strcmp(type, "ci") == 0 || strcmp(type, "nightly") == 0 ||
	                strcmp(type, "manual") == 0);
}

const char *cbench_status_name(enum cbench_status status)
{
	switch (status) {
	case CBENCH_STATUS_PASSED: return "passed";
	case CBENCH_STATUS_FAILED: return "failed";
	case CBENCH_STATUS_ERROR: return "error";
	case CBENCH_STATUS_SKIPPED: return "skipped";
	case CBENCH_STATUS_TARGET: return "target";
	}
	return "error";
}

const char *cbench_verdict_name(enum cbench_verdict verdict)
{
	switch (verdict) {
	case CBENCH_VERDICT_NEW: return "new";
	case CBENCH_VERDICT_UNCHANGED: return "unchanged";
	case CBENCH_VERDICT_IMPROVEMENT: return "improvement";
	case CBENCH_VERDICT_REGRESSION: return "regression";
	case CBENCH_VERDICT_MISSING: return "missing";
	case CBENCH_VERDICT_INCONCLUSIVE: return "inconclusive";
	}
	return "new";
}

int cbench_run__status_of(const char *name)
{
	for (int i = CBENCH_STATUS_PASSED; name && i <= CBENCH_STATUS_TARGET; i++)
		if (strcmp(name, cbench_status_name((enum cbench_status)i)) == 0)
			return i;
	return -1;
}

int cbench_run__verdict_of(const char *name)
{
	if (!name)
		return CBENCH_VERDICT_NEW;
	for (int i = CBENCH_VERDICT_NEW; i <= CBENCH_VERDICT_INCONCLUSIVE; i++)
		if (strcmp(name, cbench_verdict_name((enum cbench_verdict)i)) == 0)
			return i;
	return -1;
}

const char *cbench_run__direction_name(enum cbench_direction d)
{
	return d == CBENCH_HIGHER_IS_BETTER ? "higher" : "lower";
}

enum cbench_direction cbench_run__direction_of(const char *name)
{
	return name && strcmp(name, "higher") == 0 ? CBENCH_HIGHER_IS_BETTER
	                                           : CBENCH_LOWER_IS_BETTER;
}

void cbench_run__signal_name(char out[16], int sig)
{
	const char *abbrev = sig ? sigabbrev_np(sig) : NULL;

	if (!sig)
		out[0] = '\0';
	else if (abbrev)
		snprintf(out, 16, "SIG%s", abbrev);
	else
		snprintf(out, 16, "signal");
}

int cbench_run__signal_of(const char *name)
{
	return !name ? 0 : strcmp(name, "SIGTERM") == 0 ? SIGTERM : SIGINT;
}

/* ---- Ids --------------------------------------------------------------- */

static void format_uuid(char out[40], const unsigned char b[16])
{
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
	         b[12], b[13], b[14], b[15]);
}

void cbench_run__new_id(char out[40])
{
	unsigned char b[16];
	ssize_t got = getrandom(b, sizeof(b), 0);

	if (got != (ssize_t)sizeof(b)) {
		/* No entropy to be had: time and pid are unique enough for
		 * telling runs apart. */
		uint64_t t = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);

		for (size_t i = 0; i < sizeof(b); i++)
			b[i] = (unsigned char)(t >> (8 * (i % 8))) ^ (unsigned char)(i * 131);
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);        /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);        /* variant 10 */
	format_uuid(out, b);
}

static uint64_t fnv1a(const char *s, uint64_t h)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void cbench_run__id(char out[40], const struct cbench_run *run)
{
	unsigned char b[16];
	char key[640];
	uint64_t hi, lo;

	if (run->run_id[0]) {
		snprintf(out, 40, "%s", run->run_id);
		return;
	}
	snprintf(key, sizeof(key), "%s\n%s\n%s\n%lld", run->started_at, run->platform.hostname,
	         run->platform.id, (long long)llround(run->duration * 1e6));
	hi = fnv1a(key, 0xcbf29ce484222325ULL);
	lo = fnv1a(key, hi ^ 0x9e3779b97f4a7c15ULL);
	hi = (hi & ~0xf000ULL) | 0x8000ULL;                   /* version 8 */
	lo = (lo & ~(3ULL << 62)) | (2ULL << 62);             /* variant 10 */
	for (int i = 0; i < 8; i++) {
		b[i] = (unsigned char)(hi >> (56 - 8 * i));
		b[8 + i] = (unsigned char)(lo >> (56 - 8 * i));
	}
	format_uuid(out, b);
}

/*
 * Clock sources. OS- and CPU-specific code for timing lives here (and in
 * platform.c), nowhere else.
 */
#include "measure/clock.h"

#include <string.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <x86intrin.h>
#define CBENCH_HAVE_TSC 1
#endif

uint64_t cbench_clock__monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double cbench_clock__wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t monotonic_now(void *ctx)
{
	(void)ctx;
	return cbench_clock__monotonic_ns();
}

static const struct cbench_clock monotonic_clock = {
	"monotonic", monotonic_now, NULL, 1e-9
};

#ifdef CBENCH_HAVE_TSC
/*
 * rdtsc costs about 10 ns here against 24 ns for the vDSO's clock_gettime,
 * which keeps a round's fixed cost well under the 60 ns budget. It is only
 * usable when the TSC ticks at a constant rate through frequency changes and
 * idle states: CPUID 0x80000007, EDX bit 8 ("invariant TSC").
 */
static uint64_t tsc_now(void *ctx)
{
	(void)ctx;
	return __rdtsc();
}

static const struct cbench_clock tsc_clock = { "tsc", tsc_now, NULL, 0.0 };

static bool tsc_invariant(void)
{
	unsigned a, b, c, d;

	if (__get_cpuid_max(0x80000000u, NULL) < 0x80000007u)
		return false;
	__cpuid(0x80000007u, a, b, c, d);
	return (d >> 8) & 1u;
}
#endif

const struct cbench_clock *cbench_clock__get(const char *name)
{
	bool best = !name || strcmp(name, "auto") == 0;

#ifdef CBENCH_HAVE_TSC
	if ((best || strcmp(name, "tsc") == 0) && tsc_invariant())
		return &tsc_clock;
#endif
	if (best || strcmp(name, "monotonic") == 0)
		return &monotonic_clock;
	return NULL;
}

double cbench_clock__tick_seconds(const struct cbench_clock *clock)
{
	static double tsc_estimate;
	uint64_t m0, m1, t0, t1;

	if (clock->tick_seconds > 0)
		return clock->tick_seconds;
	if (tsc_estimate > 0)
		return tsc_estimate;
	/* 2 ms against CLOCK_MONOTONIC: good to ~0.01%, which is all the
	 * batch calibration needs; results use the rate measured over the
	 * benchmark's own duration. */
	m0 = cbench_clock__monotonic_ns();
	t0 = clock->now(clock->ctx);
	do
		m1 = cbench_clock__monotonic_ns();
	while (m1 - m0 < 2000000u);
	t1 = clock->now(clock->ctx);
	tsc_estimate = (t1 > t0) ? (double)(m1 - m0) * 1e-9 / (double)(t1 - t0) : 1e-9;
	return tsc_estimate;
}

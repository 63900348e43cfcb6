#ifndef CBENCH_FRAMEWORK_CLOCK_H
#define CBENCH_FRAMEWORK_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A clock the engine reads around each round. Tests inject their own; the
 * runner uses the TSC where it is invariant and CLOCK_MONOTONIC otherwise.
 */
struct cbench_clock {
	const char *name;
	uint64_t (*now)(void *ctx);
	void *ctx;
	/*
	 * Seconds per tick. 0 means the rate is not known in advance: the
	 * engine measures it against CLOCK_MONOTONIC over each benchmark's
	 * whole duration (for the TSC, whose rate the kernel does not publish).
	 */
	double tick_seconds;
};

/* The best clock of this machine ("tsc" or "monotonic"), or the one named
 * (NULL or "auto" for the best). Returns NULL for an unknown or unavailable
 * name. The result is static. */
const struct cbench_clock *cbench_clock__get(const char *name);

/* Seconds per tick: the clock's own figure, or an estimate measured once per
 * process against CLOCK_MONOTONIC (2 ms of spinning, then cached). */
double cbench_clock__tick_seconds(const struct cbench_clock *clock);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t cbench_clock__monotonic_ns(void);

/* Seconds since the epoch (CLOCK_REALTIME), for timestamps. */
double cbench_clock__wall(void);

#endif

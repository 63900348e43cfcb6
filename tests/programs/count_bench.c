/*
 * Benchmarks doing a known amount of work, for `--measure instructions`
 * (tests/framework/test_counters.c): a loop of N steps, of 2N steps, and
 * N steps with 5N more between cbench_pause() and cbench_resume(), which
 * the counts must leave out.
 */
#include <stdint.h>

#include <cbench.h>

#define STEPS 20000

/* noinline and an asm barrier per step: the compiler can neither fold the
 * loop nor merge two calls, so the instructions grow with `steps`. */
__attribute__((noinline)) static uint64_t walk(uint64_t steps)
{
	uint64_t acc = 0;

	for (uint64_t i = 0; i < steps; i++) {
		acc += i ^ (acc >> 3);
		__asm__ volatile("" : "+r"(acc));
	}
	return acc;
}

CBENCH_EX(count, loop_n, .iterations = 20, .min_time = 0.02)
{
	CBENCH_MEASURE {
		cbench_keep(walk(STEPS));
	}
}

CBENCH_EX(count, loop_2n, .iterations = 20, .min_time = 0.02)
{
	CBENCH_MEASURE {
		cbench_keep(walk(2 * STEPS));
	}
}

CBENCH_EX(count, paused, .iterations = 20, .min_time = 0.02)
{
	CBENCH_MEASURE {
		cbench_keep(walk(STEPS));
		cbench_pause();
		cbench_keep(walk(5 * STEPS));
		cbench_resume();
	}
}

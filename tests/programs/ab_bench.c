/*
 * The program `cbench ab` compares in its end-to-end test: built as is
 * (build/tests/ab_bench) and with -DAB_WORK=2 (build/tests/ab_bench_2x),
 * whose `ab.work` does twice the work by construction and whose `ab.same`
 * is the same code, so HEAD regresses on one and not on the other.
 */
#include <stdint.h>

#include <cbench.h>

#ifndef AB_WORK
#define AB_WORK 1
#endif

static uint64_t mix(unsigned n)
{
	uint64_t x = 0x9e3779b97f4a7c15u;

	for (unsigned i = 0; i < n; i++) {
		x ^= x >> 31;
		x *= 0xbf58476d1ce4e5b9u;
		cbench_keep(x);
	}
	return x;
}

CBENCH(ab, work, .iterations = 30, .min_time = 0.002)
{
	cbench_keep(mix(2000u * AB_WORK));
}

CBENCH(ab, same, .iterations = 30, .min_time = 0.002)
{
	cbench_keep(mix(2000u));
}

/*
 * See workload.h. The sizes below were tuned on the reference VM (AMD EPYC,
 * KVM) so that one call takes about 1 µs and about 100 µs.
 */
#include "workload.h"

#include <stddef.h>

#define HASH_STEPS 285
#define DOT_N 1024
#define DOT_PASSES 115

__attribute__((noinline)) uint64_t compare_hash_chain(uint64_t seed)
{
	uint64_t h = seed;

	/* splitmix64's finaliser: each step depends on the previous one, so
	 * the loop runs at the multiplier's latency whatever the CPU. */
	for (unsigned i = 0; i < HASH_STEPS; i++) {
		h += UINT64_C(0x9e3779b97f4a7c15);
		h = (h ^ (h >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
		h = (h ^ (h >> 27)) * UINT64_C(0x94d049bb133111eb);
		h ^= h >> 31;
	}
	return h;
}

__attribute__((noinline)) double compare_dot_product(uint64_t seed)
{
	double x[DOT_N], y[DOT_N], sum = 0;
	uint64_t s = seed | 1;
	size_t i;
	unsigned pass;

	for (i = 0; i < DOT_N; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		x[i] = (double)(s >> 40) * 0x1p-24;
		y[i] = (double)(s & 0xffffff) * 0x1p-24;
	}
	/* Without -ffast-math the additions stay in order: one dependent
	 * chain, no vectorised reduction, the same speed on every run. */
	for (pass = 0; pass < DOT_PASSES; pass++)
		for (i = 0; i < DOT_N; i++)
			sum += x[i] * y[i];
	return sum;
}

/*
 * See verdict_workloads.h. Sizes chosen on the reference VM (AMD EPYC,
 * KVM; docs/measurement.md) for about 1 us, 100 us and 1.5 ns per call.
 */
#include "verdict_workloads.h"

#include <stddef.h>
#include <stdlib.h>

#ifndef VERDICT_SLOWDOWN
#define VERDICT_SLOWDOWN 0
#endif
#if VERDICT_SLOWDOWN < 0 || VERDICT_SLOWDOWN > 1000
#error "VERDICT_SLOWDOWN is a percentage from 0 to 1000"
#endif

#define DOT_N 1024
#define DOT_PASSES 100
/* The slowdown by construction: P% more passes over the same arrays. */
#define DOT_PASSES_RUN (DOT_PASSES + DOT_PASSES * VERDICT_SLOWDOWN / 100)
#define WALK_BYTES (32u << 20)
#define WALK_WORDS (WALK_BYTES / sizeof(uint64_t))

static double dot_x[DOT_N], dot_y[DOT_N];
static uint64_t *walk;

__attribute__((noinline)) double verdict_dot_100us(void)
{
	double sum = 0;

	/* Without -ffast-math the additions stay in order: one dependent
	 * chain, no vectorised reduction. */
	for (unsigned pass = 0; pass < DOT_PASSES_RUN; pass++)
		for (size_t i = 0; i < DOT_N; i++)
			sum += dot_x[i] * dot_y[i];
	return sum;
}

__attribute__((noinline)) uint64_t verdict_call_1ns(uint64_t x)
{
	return (x ^ (x >> 29)) * UINT64_C(0xbf58476d1ce4e5b9) + 1;
}

__attribute__((noinline)) uint64_t verdict_walk_32mib(void)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < WALK_WORDS; i++)
		sum += walk[i];
	return sum;
}

int verdict_prepare(void)
{
	uint64_t s = VERDICT_SEED | 1;

	if (walk)
		return 0;
	for (size_t i = 0; i < DOT_N; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		dot_x[i] = (double)(s >> 40) * 0x1p-24;
		dot_y[i] = (double)(s & 0xffffff) * 0x1p-24;
	}
	if (!(walk = malloc(WALK_BYTES)))
		return -1;
	for (size_t i = 0; i < WALK_WORDS; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		walk[i] = s;
	}
	return 0;
}

int verdict_slowdown(void)
{
	return VERDICT_SLOWDOWN;
}

/*
 * compare_hash_chain() (workload.h): the ~1 us workload `make compare`
 * and `make compare-verdicts` both time, in a file of its own so both
 * link this one copy. 285 steps take about 1 us on the reference VM (AMD
 * EPYC, KVM).
 */
#include "workload.h"

#define HASH_STEPS 285

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

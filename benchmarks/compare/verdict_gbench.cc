// Google Benchmark's side of `make compare-verdicts` (verdicts_tools.sh):
// the four workloads of verdict_workloads.c at default settings, as Google
// Benchmark's user guide writes them; the same names as verdict_cbench.c.
#include <benchmark/benchmark.h>

#include "verdict_workloads.h"

// Read from memory at every call, as in verdict_cbench.c.
static volatile uint64_t seed = VERDICT_SEED;

static void hash_1us(benchmark::State &state)
{
	for (auto _ : state)
		benchmark::DoNotOptimize(compare_hash_chain(seed));
}
BENCHMARK(hash_1us);

// The arrays and the 32 MiB buffer are built before the loop.
static void dot_100us(benchmark::State &state)
{
	if (verdict_prepare() != 0) {
		state.SkipWithError("cannot allocate the 32 MiB buffer");
		return;
	}
	for (auto _ : state)
		benchmark::DoNotOptimize(verdict_dot_100us());
}
BENCHMARK(dot_100us);

static void call_1ns(benchmark::State &state)
{
	for (auto _ : state)
		benchmark::DoNotOptimize(verdict_call_1ns(seed));
}
BENCHMARK(call_1ns);

static void walk_32mib(benchmark::State &state)
{
	if (verdict_prepare() != 0) {
		state.SkipWithError("cannot allocate the 32 MiB buffer");
		return;
	}
	for (auto _ : state)
		benchmark::DoNotOptimize(verdict_walk_32mib());
}
BENCHMARK(walk_32mib);

BENCHMARK_MAIN();

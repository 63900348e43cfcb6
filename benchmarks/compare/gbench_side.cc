// Google Benchmark's side of `make compare`: the workloads of workload.c at
// default settings, as Google Benchmark's user guide writes them.
#include <benchmark/benchmark.h>

#include "workload.h"

// Read from memory at every call, as in cbench_side.c.
static volatile uint64_t seed = COMPARE_SEED;

static void hash_chain(benchmark::State &state)
{
	for (auto _ : state)
		benchmark::DoNotOptimize(compare_hash_chain(seed));
}
BENCHMARK(hash_chain);

static void dot_product(benchmark::State &state)
{
	for (auto _ : state)
		benchmark::DoNotOptimize(compare_dot_product(seed));
}
BENCHMARK(dot_product);

// The suite's workloads: data built before the loop, one step per iteration.
#define SUITE_WORKLOAD(name)                                                   \
	static void name(benchmark::State &state)                              \
	{                                                                      \
		if (compare_prepare(#name) != 0) {                             \
			state.SkipWithError("cannot prepare " #name);          \
			return;                                                \
		}                                                              \
		for (auto _ : state)                                           \
			benchmark::DoNotOptimize(compare_##name());            \
	}                                                                      \
	BENCHMARK(name);

COMPARE_SUITE_WORKLOADS(SUITE_WORKLOAD)

BENCHMARK_MAIN();

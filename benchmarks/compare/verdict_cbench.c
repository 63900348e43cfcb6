/*
 * cbench's side of `make compare-verdicts` (verdicts_tools.sh): the four
 * workloads of verdict_workloads.c at default settings, as a user would
 * write them. verdict_gbench.cc is the same for Google Benchmark and
 * test_verdicts_pytest.py for pytest-benchmark. Linked with
 * BUILD/libcbench.a, whose ready main() is the runner.
 */
#include <cbench.h>

#include "verdict_workloads.h"

/* Read from memory at every call, so the argument is not a constant the
 * compiler could reason about (it cannot see into the workloads' object
 * anyway). */
static volatile uint64_t seed = VERDICT_SEED;

/* The arrays and the 32 MiB buffer, built before the rounds. */
static void prepare(void)
{
	if (verdict_prepare() != 0)
		cbench_skip("cannot allocate the 32 MiB buffer");
}

CBENCH(verdict, hash_1us)
{
	cbench_keep(compare_hash_chain(seed));
}

CBENCH(verdict, dot_100us, .setup = prepare)
{
	cbench_keep(verdict_dot_100us());
}

CBENCH(verdict, call_1ns)
{
	cbench_keep(verdict_call_1ns(seed));
}

CBENCH(verdict, walk_32mib, .setup = prepare)
{
	cbench_keep(verdict_walk_32mib());
}

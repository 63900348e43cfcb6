/*
 * cbench's side of `make compare`: the workloads of workload.c at default
 * settings, as a user would write them. gbench_side.cc is the same for
 * Google Benchmark; run.sh runs both and prints the table.
 */
#include <cbench.h>

#include "workload.h"

/* Read from memory at every call, so the argument is not a constant the
 * compiler could reason about (it cannot see into workload.o anyway). */
static volatile uint64_t seed = COMPARE_SEED;

CBENCH(compare, hash_chain)
{
	cbench_keep(compare_hash_chain(seed));
}

CBENCH(compare, dot_product)
{
	cbench_keep(compare_dot_product(seed));
}

/* The suite's workloads: data built before the rounds, one step per call. */
#define SUITE_WORKLOAD(name)                                                   	static void prepare_##name(void)                                       	{                                                                      		if (compare_prepare(#name) != 0)                               			cbench_skip("cannot prepare " #name);                  	}                                                                      	CBENCH(compare, name, .setup = prepare_##name)                         	{                                                                      		cbench_keep(compare_##name());                                 	}

COMPARE_SUITE_WORKLOADS(SUITE_WORKLOAD)

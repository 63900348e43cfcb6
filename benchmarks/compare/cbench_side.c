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

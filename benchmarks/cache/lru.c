/*
 * An LRU cache in front of a Zipf-distributed query stream: its hit rate
 * (higher is better, exact for the seed) and the latency of one query
 * through it, hit or miss.
 */
#include <cbench.h>

#include "workloads.h"

static struct cache_workload cache;

static void load_cache(void)
{
	if (cache_workload_init(&cache) != 0)
		cbench_skip("out of memory for the query stream");
}

static void free_cache(void)
{
	cache_workload_free(&cache);
}

CBENCH_EX(cache, lru_zipf, .setup = load_cache, .teardown = free_cache,
          .min_time = 1.0, .iterations = 100,
          .metric = "lru_lookup_latency")
{
	double rate = cache_workload_hit_rate(&cache);

	if (rate < 0)
		cbench_skip("out of memory for the cache");
	cbench_metric("lru_hit_rate", rate, "ratio", CBENCH_HIGHER_IS_BETTER);
	CBENCH_MEASURE {
		cbench_keep(cache_workload_step(&cache));
	}
}

/*
 * Vector search: the latency of an exact top-10 query by cosine, the
 * quality of an approximate (IVF) index against it, and the memory that
 * index takes to build. The work is in fixtures/workloads.c, which
 * `make compare` also times under Google Benchmark.
 */
#include <cbench.h>

#include "workloads.h"

static struct search_workload search;

static void load_search(void)
{
	size_t n = (size_t)cbench_param_int();

	if (search_workload_init(&search, n) != 0)
		cbench_skip("out of memory for %zu vectors of %d", n, VEC_DIM);
}

static void free_search(void)
{
	search_workload_free(&search);
}

/* One query per call, the 16 queries in turn; the P95 and P99 of the
 * rounds are in the results next to the median. */
CBENCH(vector_search, exact_top10, .params = CBENCH_PARAMS("1000", "10000"),
       .setup = load_search, .teardown = free_search, .min_time = 1.0,
       .iterations = 100,
       .metric = "vector_search_latency")
{
	cbench_keep(search_workload_step(&search));
}

static struct retrieval_workload retrieval;

static void load_retrieval(void)
{
	if (retrieval_workload_init(&retrieval) != 0)
		cbench_skip("out of memory for the retrieval index");
}

static void free_retrieval(void)
{
	retrieval_workload_free(&retrieval);
}

/* A round asks every query once: the queries probe lists of different
 * sizes, so rounds of different mixes would differ by more than noise.
 * Quality is deterministic: the same seed gives the same index and the
 * same answers, so these metrics are exact and any change is real. */
CBENCH_EX(retrieval, ivf_top10, .setup = load_retrieval,
          .teardown = free_retrieval, .batch = RETRIEVAL_QUERIES,
          .iterations = 60,
          .metric = "ivf_search_latency")
{
	struct retrieval_quality q = retrieval_workload_quality(&retrieval);

	cbench_metric("ivf_mrr", q.mrr, "ratio", CBENCH_HIGHER_IS_BETTER);
	cbench_metric("ivf_recall_at_10", q.recall, "ratio",
	              CBENCH_HIGHER_IS_BETTER);
	cbench_metric("ivf_ndcg_at_10", q.ndcg, "ratio", CBENCH_HIGHER_IS_BETTER);
	cbench_throughput("ivf_search_throughput", 1, "queries/s");
	CBENCH_MEASURE {
		cbench_keep(retrieval_workload_step(&retrieval));
	}
}

static struct index_build_workload build;

static void load_build(void)
{
	if (index_build_workload_init(&build) != 0)
		cbench_skip("out of memory for the index's vectors");
}

static void free_build(void)
{
	index_build_workload_free(&build);
}

/* The peak is counted by the fixture's allocator, byte for byte: the same
 * on every run, so the 5% threshold catches any growth of the index or of
 * the build's scratch space. */
CBENCH_EX(memory, ivf_build, .setup = load_build, .teardown = free_build,
          .batch = 2, .iterations = 15, .metric = "ivf_build_latency")
{
	CBENCH_MEASURE {
		if (index_build_workload_step(&build) != 0)
			cbench_fail("out of memory building the index");
	}
	cbench_metric("ivf_build_peak_bytes", (double)build.mem.peak, "bytes",
	              CBENCH_LOWER_IS_BETTER);
	cbench_assert(build.mem.current == 0);
}

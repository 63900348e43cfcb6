/*
 * Text embedding: chunks/s of a feature-hashing embedder over a generated
 * corpus, on one thread and split over 1, 2 and 4 threads (created and
 * joined inside the measured call). The corpus is a run-scoped fixture:
 * built once, inherited by every benchmark's process.
 */
#include <stdlib.h>

#include <cbench.h>

#include "workloads.h"

static void *make_corpus(void)
{
	struct embed_workload *w = malloc(sizeof(*w));

	if (!w || embed_workload_init(w) != 0) {
		if (w)
			embed_workload_free(w);
		free(w);
		cbench_skip("out of memory for the corpus");
	}
	return w;
}

static void free_corpus(void *w)
{
	embed_workload_free(w);
	free(w);
}

CBENCH_FIXTURE(corpus, .scope = CBENCH_SCOPE_RUN, .setup = make_corpus,
               .teardown = free_corpus);

CBENCH_EX(embedding, chunks, .fixtures = "corpus", .min_time = 1.0,
          .iterations = 100,
          .metric = "embed_latency")
{
	struct embed_workload *w = cbench_fixture("corpus");

	cbench_throughput("embed_throughput", EMBED_BATCH, "chunks/s");
	CBENCH_MEASURE {
		cbench_keep(embed_workload_step(w));
	}
}

CBENCH_EX(threads, embed, .params = CBENCH_PARAMS("1", "2", "4"),
          .fixtures = "corpus", .min_time = 1.0, .iterations = 100,
          .markers = "threads", .metric = "embed_threads_latency")
{
	struct embed_workload *w = cbench_fixture("corpus");
	unsigned threads = (unsigned)cbench_param_int();

	cbench_throughput("embed_threads_throughput", EMBED_CHUNKS, "chunks/s");
	CBENCH_MEASURE {
		if (embed_workload_parallel(w, threads) != 0)
			cbench_fail("cannot start %u threads", threads);
		cbench_clobber();
	}
}

/*
 * Rows/s into a SQLite database file, 1,000 rows per transaction. The
 * database lives in a temporary folder the fixture makes for each
 * benchmark's process and removes after it.
 */
#include <cbench.h>

#include "rowstore.h"

#define ROWS_PER_TRANSACTION 1000
/* Emptied and checkpointed (untimed) at this size: a steady state, not a
 * database that grows by 200 MB over a long run; the timed work is the
 * inserts and their commits to the log. */
#define MAX_ROWS 100000

static void *open_store(void)
{
	struct rowstore *rs;
	char err[512];

	if (rowstore_open(&rs, err, sizeof(err)) != 0)
		cbench_skip("%s", err);
	return rs;
}

static void close_store(void *rs)
{
	rowstore_close(rs);
}

CBENCH_FIXTURE(rowstore, .setup = open_store, .teardown = close_store);

/* slow: with the untimed emptying and checkpoints (about 100 MB written)
 * the process takes 1.5 s on a quiet machine, 3-7 s on a busy one. */
CBENCH_EX(sqlite, insert_batched, .fixtures = "rowstore", .min_time = 1.0,
          .iterations = 100, .markers = "io slow",
          .metric = "sqlite_insert_latency")
{
	struct rowstore *rs = cbench_fixture("rowstore");
	char err[512];
	long long rows, held = 0;

	cbench_throughput("sqlite_insert_throughput", ROWS_PER_TRANSACTION,
	                  "rows/s");
	CBENCH_MEASURE {
		if (rowstore_insert(rs, ROWS_PER_TRANSACTION, err, sizeof(err)) != 0)
			cbench_fail("%s", err);
		held += ROWS_PER_TRANSACTION;
		if (held >= MAX_ROWS) {
			cbench_pause();
			if (rowstore_clear(rs, err, sizeof(err)) != 0)
				cbench_fail("%s", err);
			held = 0;
			cbench_resume();
		}
	}
	rows = (long long)rowstore_count(rs);
	if (rows != held)
		cbench_fail("%s: %lld rows after the run, expected %lld",
		            rowstore_path(rs), rows, held);
}

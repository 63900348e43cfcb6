/*
 * The benchmark program the CI scripts' tests run: one benchmark whose
 * custom metric reads CI_BENCH_UNITS (default 100), so a test makes it
 * regress by exactly the amount it wants against a baselines file.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cbench.h>

CBENCH_EX(ci, work, .iterations = 3, .batch = 1, .metric = "ci_work_time")
{
	const char *units = getenv("CI_BENCH_UNITS");

	CBENCH_MEASURE {
		cbench_keep(1);
	}
	cbench_metric("work_units", units ? atof(units) : 100, "units", CBENCH_LOWER_IS_BETTER);
}

/* CI_BENCH_ENV_DUMP=FILE: the environment the benchmarks saw, for the test
 * that no token reaches the pull request's code. */
extern char **environ;

CBENCH(ci, environment, .iterations = 3, .min_time = 0.001)
{
	static int dumped;
	const char *path = getenv("CI_BENCH_ENV_DUMP");

	if (path && !dumped) {
		FILE *f = fopen(path, "a");

		dumped = 1;
		for (char **e = environ; f && *e; e++)
			fprintf(f, "%s\n", *e);
		if (f)
			fclose(f);
	}
	cbench_keep(dumped);
}

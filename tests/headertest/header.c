/* The public header compiled alone, as C99 -pedantic and as C++11. */
#include <cbench.h>
#include <cbench/reporter.h>

int cbench_headertest_(void);
int cbench_headertest_(void)
{
	struct cbench_options o = { 0, 1, 2, 3, 0.5, 1.0, "slow", NULL, NULL, NULL, NULL, NULL,
	                            0.1, 0.3, "p95" };
	return (int)o.warmup + (int)CBENCH_HIGHER_IS_BETTER + CBENCH_REPORTER_VERSION;
}

/*
 * The public headers compiled alone, as C99 and C11 -pedantic and as C++11
 * and C++20 (make check). The declaring macros are expanded with and
 * without options everywhere but C++11, which has no designated
 * initializers; in C++ the options come in the order of the struct.
 */
#include <cbench.h>
#include <cbench/reporter.h>

int cbench_headertest_(void);
int cbench_headertest_(void)
{
	struct cbench_options o = { 1, 2, 3, 0.5, 1.0, "slow", NULL, NULL, NULL, NULL, NULL,
	                            0.1, 0.3, "p95", 0 };
	return (int)o.warmup + (int)CBENCH_HIGHER_IS_BETTER + CBENCH_REPORTER_VERSION;
}

#if !defined(__cplusplus) || __cplusplus >= 202002L
static int headertest_sink_;

static void headertest_setup_(void)
{
	headertest_sink_ = 0;
}

static void *headertest_make_(void)
{
	return &headertest_sink_;
}

static void headertest_drop_(void *p)
{
	(void)p;
}

CBENCH(headertest, bare)
{
	cbench_keep(headertest_sink_);
}

CBENCH(headertest, options, .warmup = CBENCH_NONE, .iterations = 5, .markers = "slow",
       .setup = headertest_setup_)
{
	cbench_keep(headertest_sink_ + 1);
}

CBENCH_EX(headertest, ex_bare)
{
	int local = 3;

	CBENCH_MEASURE {
		cbench_keep(local);
	}
	cbench_clobber();
}

CBENCH_EX(headertest, ex_options, .iterations = 3, .batch = 1, .fixtures = "hfix")
{
	int *n = (int *)cbench_fixture("hfix");

	CBENCH_MEASURE cbench_keep(*n);
}

CBENCH_FIXTURE(hfix_bare);
CBENCH_FIXTURE(hfix, .scope = CBENCH_SCOPE_RUN, .setup = headertest_make_,
               .teardown = headertest_drop_);

#ifndef __cplusplus
CBENCH(headertest, params, .params = CBENCH_PARAMS("1", "2"))
{
	cbench_keep(cbench_param_int());
}
#endif
#endif

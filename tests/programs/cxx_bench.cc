/*
 * A benchmark file in C++20, linked with libcbench.so and its ready main():
 * options in the order of struct cbench_options, a named parameter array
 * (C++ has no compound literals for CBENCH_PARAMS).
 */
#include <cbench.h>

#include <array>
#include <numeric>

static std::array<int, 64> values;
static int built;

static void fill(void)
{
	std::iota(values.begin(), values.end(), 1);
}

static void *make_offset(void)
{
	built = 100;
	return &built;
}

static void drop_offset(void *p)
{
	*static_cast<int *>(p) = 0;
}

CBENCH_FIXTURE(offset, .scope = CBENCH_SCOPE_RUN, .setup = make_offset,
               .teardown = drop_offset);

CBENCH(cxx, bare)
{
	cbench_keep(values);
}

CBENCH(cxx, sum, .iterations = 5, .min_time = 0.001, .markers = "cxx", .setup = fill)
{
	cbench_keep(std::accumulate(values.begin(), values.end(), 0));
}

static const char *const sizes[] = { "8", "16", nullptr };

CBENCH_EX(cxx, sized, .iterations = 3, .batch = 1, .fixtures = "offset", .params = sizes)
{
	int offset = *static_cast<int *>(cbench_fixture("offset"));
	long long n = cbench_param_int();

	CBENCH_MEASURE {
		cbench_keep(n + offset);
	}
	cbench_metric("cxx_offset", offset, "", CBENCH_LOWER_IS_BETTER);
}

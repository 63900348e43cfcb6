/*
 * Registration across files: this file and registry_other.c both declare
 * benchmarks; the registry sees them all, in one stable order.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "cbench.h"
#include "measure/registry.h"

CBENCH(zz_registry, beta, .markers = "slow, io")
{
}

CBENCH(aa_registry, zulu, .params = CBENCH_PARAMS("3", "1", "2"), .metric = "zulu_time")
{
}

static int index_of(const struct cbench_instance *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return (int)i;
	return -1;
}

Test(registry, sees_every_file_sorted_with_params_in_declaration_order)
{
	struct cbench_instance *v;
	struct cbench_error err;
	size_t n;
	int a, b, c, d, e;

	cr_assert_eq(cbench_registry__instances(&v, &n, &err), 0, "%s", err.text);
	a = index_of(v, n, "aa_registry.alpha");       /* registry_other.c */
	b = index_of(v, n, "aa_registry.zulu[3]");
	c = index_of(v, n, "aa_registry.zulu[1]");
	d = index_of(v, n, "aa_registry.zulu[2]");
	e = index_of(v, n, "zz_registry.beta");
	cr_assert(a >= 0 && b >= 0 && c >= 0 && d >= 0 && e >= 0);
	cr_assert(a < b && b < c && c < d && d < e);
	cr_assert_str_eq(v[b].param, "3");
	cr_assert_eq(v[d].param_index, 2);
	cr_assert_str_eq(v[b].metric, "zulu_time[3]");
	cr_assert_str_eq(v[a].metric, "aa_registry.alpha");
	cr_assert_eq(v[e].nmarkers, 2);
	cr_assert_str_eq(v[e].markers[0], "slow");
	cr_assert_str_eq(v[e].markers[1], "io");
	cr_assert(strstr(v[a].bench->file, "registry_other.c") != NULL);
	for (size_t i = 1; i < n; i++)
		cr_assert(strcmp(v[i - 1].bench->suite, v[i].bench->suite) <= 0);
	cbench_registry__instances_free(v, n);
}

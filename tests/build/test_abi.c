/*
 * What libcbench.so exports is its public API (framework/include/, marked
 * CBENCH_EXPORT) and nothing else, and that is enough: the test programs,
 * the user-style benchmarks and a C++20 benchmark file link against the
 * shared library (make builds them into build/tests/shared/) and run.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define NM "/usr/bin/nm"

/* Standard output of argv, which must exit 0; caller frees. */
static char *output_of(char *const argv[])
{
	char *dir = support_tmpdir(), *out = support_path(dir, "out.txt");
	char *err = support_path(dir, "err.txt"), *text;
	int status = support_run(argv, out, err);

	text = support_slurp(err);
	cr_assert_eq(status, 0, "%s exited %d: %s", argv[0], status, text);
	free(text);
	text = support_slurp(out);
	cr_assert_not_null(text);
	free(out);
	free(err);
	support_rmdir(dir);
	return text;
}

Test(abi, shared_library_exports_only_the_public_api)
{
	char *argv[] = { NM, "-D", "--defined-only", CBENCH_TEST_BUILD "/libcbench.so", NULL };
	const char *needed[] = { "cbench_main", "cbench_register_", "cbench_round_begin_",
	                         "cbench_round_next_", "cbench_fixture_register_", "cbench_skip",
	                         "cbench_reporter_json", "cbench_status_name", "main" };
	char *text, *line, *save = NULL;
	size_t names = 0;

	if (access(NM, X_OK) != 0)
		cr_skip_test(NM " is not installed (Debian: binutils)");
	text = output_of(argv);
	/* "ADDRESS TYPE NAME" per line; the name is the last field */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *name = strrchr(line, ' ') ? strrchr(line, ' ') + 1 : line;

#if defined(__SANITIZE_ADDRESS__)
		/* ASan's own: one per exported global, for its ODR check */
		if (strncmp(name, "__odr_asan.", 11) == 0)
			continue;
#endif
		names++;
		cr_expect_null(strstr(name, "__"), "internal symbol exported: %s", name);
		/* main: the weak ready main() a program without its own takes */
		cr_expect(strncmp(name, "cbench_", 7) == 0 || strcmp(name, "main") == 0,
		          "symbol outside the cbench_ namespace exported: %s", name);
	}
	free(text);
	text = output_of(argv);
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		char *pattern;

		cr_assert(asprintf(&pattern, " %s\n", needed[i]) > 0);
		cr_expect(strstr(text, pattern) != NULL, "%s is not exported", needed[i]);
		free(pattern);
	}
	cr_assert_gt(names, 0);
	free(text);
}

Test(abi, programs_run_the_same_against_the_shared_library)
{
	const char *progs[] = { "fixture_bench", "many_bench" };

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		char shared[256];
		char *a[] = { (char *)support_program(progs[i]), "--list", NULL };
		char *b[] = { shared, "--list", NULL };
		char *x, *y;

		snprintf(shared, sizeof(shared), "shared/%s", progs[i]);
		b[0] = (char *)support_program(shared);
		x = output_of(a);
		y = output_of(b);
		cr_assert_str_eq(x, y, "%s lists other benchmarks linked shared", progs[i]);
		free(x);
		free(y);
	}
}

Test(abi, user_benchmarks_link_against_the_shared_library, .timeout = 60)
{
	char *list[] = { (char *)support_program("shared/bench_core"), "--list", NULL };
	/* --fail-on none: the shipped baselines name hash.fnv1a_4k, and a
	 * slower machine (or valgrind) reads a regression there; this test is
	 * about linking and running, not about this machine's speed */
	char *run[] = { (char *)support_program("shared/bench_core"), "-q", "--mode", "quick",
	                "--fail-on", "none", "-k", "hash.fnv1a_4k", NULL };
	char *text = output_of(list);

	/* benchmarks/core and fixtures/, as `make` links them into build/bench */
	cr_assert(strstr(text, "hash.fnv1a_4k\n") != NULL, "%s", text);
	cr_assert(strstr(text, "sort.qsort_u32[1000]\n") != NULL, "%s", text);
	free(text);
	text = output_of(run);
	cr_assert(strstr(text, "1 passed") != NULL, "%s", text);
	free(text);
}

Test(abi, cxx20_benchmark_file_runs, .timeout = 60)
{
	char *dir = support_tmpdir(), *json = support_path(dir, "r.json");
	char *argv[] = { (char *)support_program("shared/cxx_bench"), "-q", "--json", json, NULL };
	char *list[] = { (char *)support_program("shared/cxx_bench"), "--list", NULL };
	char *text = output_of(list);
	json_t *doc, *b, *m;
	double offset = 0;
	size_t i;

	cr_assert_str_eq(text, "cxx.bare\ncxx.sized[8]\ncxx.sized[16]\ncxx.sum\n");
	free(text);
	free(output_of(argv));
	doc = support_load_json(json);
	b = support_bench(doc, "cxx.sized[16]");
	cr_assert_not_null(b);
	cr_assert_str_eq(json_string_value(json_object_get(b, "status")), "passed");
	/* the run-scoped fixture's value, seen through cbench_fixture() */
	json_array_foreach(json_object_get(b, "metrics"), i, m)
		if (strcmp(json_string_value(json_object_get(m, "name")), "cxx_offset[16]") == 0)
			offset = json_number_value(json_object_get(m, "value"));
	cr_assert_float_eq(offset, 100.0, 1e-9);
	cr_assert_str_eq(json_string_value(json_object_get(support_bench(doc, "cxx.sum"),
	                                                    "status")), "passed");
	json_decref(doc);
	free(json);
	support_rmdir(dir);
}

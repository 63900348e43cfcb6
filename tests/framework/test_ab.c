/*
 * `cbench ab` end to end: build/tests/ab_bench against itself and against
 * build/tests/ab_bench_2x, whose ab.work does twice the work by
 * construction (tests/programs/ab_bench.c). Nothing asserts a time: only
 * the verdicts, which a doubling decides on any machine.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *status_of(json_t *doc, const char *id)
{
	json_t *b = support_bench(doc, id);

	cr_assert_not_null(b, "no %s in the results", id);
	return json_string_value(json_object_get(json_array_get(json_object_get(b, "metrics"), 0),
	                                         "status"));
}

/* Runs `cbench ab BASE HEAD --mode quick --repetitions 3 --seed 9 --json FILE`;
 * returns its exit status and the JSON. */
static int ab(const char *base, const char *head, json_t **doc, char **console)
{
	char *dir = support_tmpdir(), *json = support_path(dir, "ab.json");
	char *out = support_path(dir, "out.txt");
	char *argv[] = { (char *)support_program("../cbench"), "ab",
	                 (char *)support_program(base), (char *)support_program(head), "--mode",
	                 "quick", "--repetitions", "3", "--seed", "9", "--json", json, NULL };
	int status = support_run(argv, out, NULL);

	*doc = support_load_json(json);
	*console = support_slurp(out);
	free(json);
	free(out);
	support_rmdir(dir);
	return status;
}

Test(ab, twice_the_work_is_a_regression_and_the_same_code_is_not, .timeout = 300)
{
	json_t *doc, *env, *m;
	char *console;

	cr_assert_eq(ab("ab_bench", "ab_bench_2x", &doc, &console), 1, "%s", console);
	cr_assert_str_eq(status_of(doc, "ab.work"), "regression");
	cr_assert_str_neq(status_of(doc, "ab.same"), "regression");
	m = json_array_get(json_object_get(support_bench(doc, "ab.work"), "metrics"), 0);
	/* HEAD's median over BASE's: twice, give or take the machine */
	cr_assert_gt(json_real_value(json_object_get(m, "change")), 0.5);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(m, "repetitions"), "n")),
	             3);
	env = json_object_get(doc, "environment");
	cr_assert_eq(json_integer_value(json_object_get(env, "repetitions")), 3);
	cr_assert_eq(json_integer_value(json_object_get(env, "seed")), 9);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(doc, "gate"),
	                                                "regressions")), 1);
	cr_assert(strstr(console, "REGRESSION"), "%s", console);
	/* the evidence: the U test and the interval of the ratio, both beyond doubt */
	m = json_object_get(m, "evidence");
	cr_assert(json_is_true(json_object_get(m, "tested")));
	cr_assert_lt(json_real_value(json_object_get(m, "p")), 0.05);
	cr_assert_gt(json_real_value(json_object_get(m, "ratio_low")), 1.5);
	free(console);
	json_decref(doc);
}

Test(ab, a_build_against_itself_has_no_regression, .timeout = 300)
{
	json_t *doc;
	char *console;

	cr_assert_eq(ab("ab_bench", "ab_bench", &doc, &console), 0, "%s", console);
	cr_assert_str_neq(status_of(doc, "ab.work"), "regression");
	cr_assert_str_neq(status_of(doc, "ab.same"), "regression");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(doc, "gate"),
	                                                "regressions")), 0);
	free(console);
	json_decref(doc);
}

Test(ab, bad_arguments_exit_2_with_one_line)
{
	const char *prog = support_program("ab_bench");
	const struct {
		const char *args[4];
		const char *error;
	} bad[] = {
		{ { NULL }, "no BASE program given" },
		{ { prog, NULL }, "no HEAD program given" },
		{ { prog, "/nonexistent/bench", NULL }, "HEAD /nonexistent/bench: No such file" },
		{ { prog, prog, "--record", NULL }, "'--record' is not an option of cbench ab" },
		{ { prog, prog, "--repetitions", "1" }, "--repetitions: '1' is not a count from 2" },
		{ { prog, prog, "--threshold", "lots" }, "--threshold" },
		{ { prog, prog, prog, NULL }, "unexpected argument" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *dir = support_tmpdir(), *err = support_path(dir, "err.txt"), *text;
		char *argv[7] = { (char *)support_program("../cbench"), "ab" };

		for (size_t k = 0; k < 4 && bad[i].args[k]; k++)
			argv[2 + k] = (char *)bad[i].args[k];
		cr_assert_eq(support_run(argv, NULL, err), 2, "case %zu", i);
		text = support_slurp(err);
		cr_assert(strncmp(text, "cbench ab: error: ", 18) == 0 && strstr(text, bad[i].error),
		          "case %zu: %s", i, text);
		cr_assert_eq(support_count(text, "error"), 1, "one error line: %s", text);
		free(text);
		free(err);
		support_rmdir(dir);
	}
}

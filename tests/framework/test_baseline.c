/*
 * The baselines file: the reference's example loads as it is; every kind of
 * damage is one data-driven case under tests/data/baseline/<case>/ with the
 * exact message in expected_errors.txt.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "gate/baseline.h"
#include "support.h"

Test(baseline, reference_example_loads_as_it_is)
{
	struct cbench_baselines *b;
	struct cbench_baseline_metric *m;
	struct cbench_error err;
	size_t n;
	char *platforms;

	cr_assert_eq(cbench_baseline__load(&b, "fixtures/reference_baselines.json", &err), 0,
	             "%s", err.text);
	platforms = cbench_baseline__platforms(b);
	cr_assert_str_eq(platforms, "M1_Mac_16GB, GitHub_Actions_macOS");
	free(platforms);
	cr_assert_eq(cbench_baseline__section(&m, &n, b, "M1_Mac_16GB"), 0);
	cr_assert_eq(n, 8); /* metadata is not a metric */
	cr_assert_str_eq(m[0].name, "embedding_throughput");
	cr_assert_eq(m[0].value, 67.0);
	cr_assert_str_eq(m[1].name, "vector_search_latency");
	cr_assert_eq(m[1].value, 0.011);
	cr_assert_not(m[1].has_direction);
	cr_assert_not(m[1].has_threshold);
	free(m);
	cr_assert_eq(cbench_baseline__section(&m, &n, b, "GitHub_Actions_macOS"), 0);
	cr_assert_eq(n, 2);
	free(m);
	cr_assert_eq(cbench_baseline__section(&m, &n, b, "RTX_4090_24GB"), CBENCH_ENOTFOUND);
	cbench_baseline__free(b);
}

Test(baseline, object_form_with_unit_direction_threshold)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "b.json");
	struct cbench_baselines *b;
	struct cbench_baseline_metric *m;
	struct cbench_error err;
	size_t n;
	FILE *f = fopen(path, "w");

	fputs("{\"P\": {\"hit_rate\": {\"value\": 0.42, \"unit\": \"ratio\", "
	      "\"direction\": \"higher\", \"threshold\": 0.05, \"note\": \"kept\"}, "
	      "\"lat\": 2e-6}}", f);
	fclose(f);
	cr_assert_eq(cbench_baseline__load(&b, path, &err), 0, "%s", err.text);
	cr_assert_eq(cbench_baseline__section(&m, &n, b, "P"), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(m[0].value, 0.42);
	cr_assert_str_eq(m[0].unit, "ratio");
	cr_assert(m[0].has_direction);
	cr_assert_eq(m[0].direction, CBENCH_HIGHER_IS_BETTER);
	cr_assert(m[0].has_threshold);
	cr_assert_eq(m[0].threshold, 0.05);
	cr_assert_eq(m[1].value, 2e-6);
	cr_assert_null(m[1].unit);
	free(m);
	cbench_baseline__free(b);
	free(path);
	support_rmdir(dir);
}

Test(baseline, missing_file_is_not_found)
{
	struct cbench_baselines *b;
	struct cbench_error err;

	cr_assert_eq(cbench_baseline__load(&b, "tests/data/baseline/none.json", &err),
	             CBENCH_ENOTFOUND);
	cr_assert_str_eq(err.text, "tests/data/baseline/none.json: no such file");
}

Test(baseline, every_kind_of_damage_has_its_message)
{
	char *list = support_slurp("tests/data/baseline/expected_errors.txt"), *save = NULL;
	int cases = 0;

	cr_assert_not_null(list);
	for (char *line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t'), path[256], expected[512];
		struct cbench_baselines *b = NULL;
		struct cbench_error err;
		int rc;

		cr_assert_not_null(tab);
		*tab = '\0';
		snprintf(path, sizeof(path), "tests/data/baseline/%s/baselines.json", line);
		/* messages start with the path as given */
		snprintf(expected, sizeof(expected), "tests/data/baseline/%s/%s", line, tab + 1);
		rc = cbench_baseline__load(&b, path, &err);
		cr_assert(rc == CBENCH_EUSAGE || rc == CBENCH_EPARSE, "%s: rc %d", line, rc);
		cr_assert_null(b);
		cr_assert_str_eq(err.text, expected, "case %s", line);
		cases++;
	}
	cr_assert_eq(cases, 12);
	free(list);
}

Test(baseline, summary_is_read_and_written_back)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "b.json"), *text;
	struct cbench_baselines *b;
	struct cbench_baseline_metric *m;
	struct cbench_baseline_summary s = { 40, 4, { 1, 2, 3, 4, 5 } };
	struct cbench_error err;
	size_t n;
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs("{\"P\": {\"bare\": 2.0, \"lat\": {\"value\": 1.0, \"note\": \"x\", \"summary\": "
	      "{\"n\": 10, \"runs\": 5, \"min\": 0.9, \"q1\": 0.95, \"median\": 1.0, "
	      "\"q3\": 1.1, \"max\": 1.3}}}}\n", f);
	fclose(f);
	cr_assert_eq(cbench_baseline__load(&b, path, &err), 0, "%s", err.text);
	cr_assert_eq(cbench_baseline__section(&m, &n, b, "P"), 0);
	cr_assert_eq(n, 2);
	cr_assert_not(m[0].has_summary);
	cr_assert(m[1].has_summary);
	cr_assert_eq(m[1].summary.n, 10);
	cr_assert_eq(m[1].summary.runs, 5);
	cr_assert_eq(m[1].summary.q[1], 0.95);
	cr_assert_eq(m[1].summary.q[4], 1.3);
	free(m);
	/* a bare value becomes an object keeping its value; unknown keys stay */
	cr_assert_eq(cbench_baseline__set_summary(b, "P", "bare", &s), 0);
	cr_assert_eq(cbench_baseline__save(b, &err), 0, "%s", err.text);
	cbench_baseline__free(b);
	text = support_slurp(path);
	cr_assert_not_null(strstr(text, "\"bare\": {\n      \"value\": 2.0,\n      \"summary\": {\n"
	                                "        \"n\": 40,\n        \"runs\": 4,\n"), "%s", text);
	cr_assert_not_null(strstr(text, "\"note\": \"x\""), "%s", text);
	free(text);
	free(path);
	free(dir);
}

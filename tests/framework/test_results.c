/*
 * Results files read back: a run's JSON rendered again by `cbench report
 * --format json` is the same document; damaged files are refused with the
 * key's path.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "model/results.h"
#include "support.h"

static bool same_json(const char *a, const char *b)
{
	json_t *x = support_load_json(a), *y = support_load_json(b);
	bool same = json_equal(x, y);

	json_decref(x);
	json_decref(y);
	return same;
}

Test(results, report_json_round_trips_a_run, .timeout = 60)
{
	char *dir = support_tmpdir(), *first = support_path(dir, "first.json");
	char *second = support_path(dir, "second.json");
	char *baselines = support_path(dir, "b.json");
	char *run[] = { (char *)support_program("fixture_bench"), "-k",
	                "ok or gate.target or bad.segfault or bad.skipped", "--platform", "RoundTrip",
	                "--baselines", baselines, "--json", first, "--json-samples", NULL };
	char *report[] = { (char *)support_program("../cbench"), "report", "--from", first,
	                   "--format", "json", "--output", second, NULL };
	FILE *f = fopen(baselines, "w");

	fputs("{\"RoundTrip\": {\"ok.fast\": 1e-15, \"hit_rate\": 0.5, \"gone\": 2}}", f);
	fclose(f);
	cr_assert_eq(support_run(run, NULL, NULL), 1);
	cr_assert_eq(support_run(report, NULL, NULL), 0);
	cr_assert(same_json(first, second), "cbench report changed the document");
	free(first);
	free(second);
	free(baselines);
	support_rmdir(dir);
}

static void refused(const char *text, const char *expected)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "r.json");
	struct cbench_results *r = NULL;
	struct cbench_error err;
	FILE *f = fopen(path, "w");
	char want[512];

	fputs(text, f);
	fclose(f);
	cr_assert_eq(cbench_results__load(&r, path, &err), CBENCH_EPARSE);
	cr_assert_null(r);
	snprintf(want, sizeof(want), "%s%s", path, expected);
	cr_assert_str_eq(err.text, want);
	free(path);
	support_rmdir(dir);
}

Test(results, damaged_files_name_the_key)
{
	refused("{\"schema\": \"other/9\"}", ": schema \"other/9\" is not cbench-results/1");
	refused("[]", ": expected a cbench results object");
	refused("{\"schema\": \"cbench-results/1\", \"benchmarks\": [{\"id\": \"a.b\", "
	        "\"suite\": \"a\", \"name\": \"b\", \"status\": \"passed\", \"metrics\": "
	        "[{\"name\": \"m\", \"value\": \"fast\"}]}]}",
	        ": benchmarks[0].metrics[0].value: expected a number");
	refused("{\"schema\": \"cbench-results/1\", \"benchmarks\": [{\"id\": \"a.b\", "
	        "\"suite\": \"a\", \"name\": \"b\", \"status\": \"great\"}]}",
	        ": benchmarks[0].status: expected passed, failed, error, skipped or target");
	refused("{\"schema\": \"cbench-results/1\", \"benchmarks\": [{\"suite\": \"a\"}]}",
	        ": benchmarks[0].id: missing");
	refused("{\"schema\": \"cbench-results/1\",", ":1:30: string or '}' expected near end of file");
}

Test(results, report_refuses_bad_use_with_2)
{
	char *dir = support_tmpdir(), *err = support_path(dir, "err.txt"), *text;
	char *no_file[] = { (char *)support_program("../cbench"), "report", "--from",
	                    "/nonexistent.json", "--format", "json", NULL };
	char *bad_format[] = { (char *)support_program("../cbench"), "report", "--from",
	                       "x.json", "--format", "yaml", NULL };
	char *no_from[] = { (char *)support_program("../cbench"), "report", "--format", "json",
	                    NULL };

	cr_assert_eq(support_run(no_file, NULL, err), 2);
	text = support_slurp(err);
	cr_assert(strstr(text, "/nonexistent.json") != NULL, "%s", text);
	free(text);
	cr_assert_eq(support_run(bad_format, NULL, err), 2);
	text = support_slurp(err);
	cr_assert(strstr(text, "--format: 'yaml' is not") != NULL, "%s", text);
	free(text);
	cr_assert_eq(support_run(no_from, NULL, err), 2);
	free(err);
	support_rmdir(dir);
}

Test(results, report_latest_renders_the_newest_recorded_run, .timeout = 60)
{
	char *dir = support_tmpdir(), *db = support_path(dir, "h.db");
	char *first = support_path(dir, "first.json"), *again = support_path(dir, "again.json");
	char *run[] = { (char *)support_program("fixture_bench"), "-k", "ok.custom or ok.fast",
	                "--platform", "Latest", "--record", "--db", db, "--json", first, NULL };
	char *report[] = { (char *)support_program("../cbench"), "report", "--latest", "--db", db,
	                   "--platform", "Latest", "--format", "json", "--output", again, NULL };
	char *none[] = { (char *)support_program("../cbench"), "report", "--latest", "--db", db,
	                 "--platform", "Elsewhere", "--format", "json", NULL };
	json_t *a, *b;

	cr_assert_eq(support_run(run, NULL, NULL), 0);
	cr_assert_eq(support_run(report, NULL, NULL), 0);
	a = support_load_json(first);
	b = support_load_json(again);
	cr_assert_str_eq(json_string_value(json_object_get(b, "run_id")),
	                 json_string_value(json_object_get(a, "run_id")));
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(b, "platform"), "id")),
	                 "Latest");
	cr_assert_eq(json_array_size(json_object_get(b, "benchmarks")), 2);
	{
		json_t *ma = json_object_get(support_bench(a, "ok.custom_metrics"), "metrics");
		json_t *mb = json_object_get(support_bench(b, "ok.custom_metrics"), "metrics");

		cr_assert_eq(json_array_size(mb), 3);
		for (size_t i = 0; i < 3; i++) {
			json_t *x = json_array_get(ma, i), *y = json_array_get(mb, i);

			cr_assert_str_eq(json_string_value(json_object_get(y, "name")),
			                 json_string_value(json_object_get(x, "name")));
			cr_assert_eq(json_real_value(json_object_get(y, "value")),
			             json_real_value(json_object_get(x, "value")));
			cr_assert_eq(json_real_value(json_object_get(json_object_get(y, "stats"), "p95")),
			             json_real_value(json_object_get(json_object_get(x, "stats"), "p95")));
		}
	}
	cr_assert_eq(support_run(none, NULL, NULL), 2);
	json_decref(a);
	json_decref(b);
	free(db);
	free(first);
	free(again);
	support_rmdir(dir);
}

/*
 * Recording from the runner: on with --record or
 * ENABLE_PERFORMANCE_RECORDING=1, off otherwise; the run type from
 * --run-type or PERFORMANCE_RUN_TYPE; the database from --db or
 * PERFORMANCE_DB_PATH; a bad database refused before anything runs.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "history/history.h"
#include "support.h"

static int bench(char *const extra_env[], const char *a1, const char *a2, const char *a3,
                 const char *a4)
{
	char *argv[] = { (char *)support_program("fixture_bench"), "-k", "ok.fast or ok.custom",
	                 "-q", (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL };

	return support_wait(support_spawn(argv, NULL, NULL, extra_env));
}

static struct cbench_history_run last_run(const char *db, size_t *count)
{
	struct cbench_history *h;
	struct cbench_history_run *runs, r;
	struct cbench_error err;
	size_t n;

	cr_assert_eq(cbench_history__open(&h, db, &err), 0, "%s", err.text);
	cr_assert_eq(cbench_history__runs(h, NULL, 0, &runs, &n, &err), 0, "%s", err.text);
	cr_assert_gt(n, 0);
	r = runs[0];
	*count = n;
	free(runs);
	cbench_history__close(h);
	return r;
}

Test(record, off_by_default, .timeout = 30)
{
	char *dir = support_tmpdir(), *db = support_path(dir, "h.db"), *env[2];

	cr_assert(asprintf(&env[0], "PERFORMANCE_DB_PATH=%s", db) > 0);
	env[1] = NULL;
	cr_assert_eq(bench(env, NULL, NULL, NULL, NULL), 0);
	cr_assert_not(support_exists(db), "a run without --record created %s", db);
	free(env[0]);
	free(db);
	support_rmdir(dir);
}

Test(record, flag_and_run_type, .timeout = 30)
{
	char *dir = support_tmpdir(), *db = support_path(dir, "sub/h.db");
	struct cbench_history_run r;
	size_t n;

	cr_assert_eq(bench(NULL, "--record", "--db", db, NULL), 0);
	r = last_run(db, &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(r.run_type, "manual");
	cr_assert_eq(r.nmetrics, 4); /* ok.fast: 1, ok.custom_metrics: 3 */
	cr_assert_eq(bench(NULL, "--record", "--db", db, "--run-type=nightly"), 0);
	r = last_run(db, &n);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(r.run_type, "nightly");
	free(db);
	support_rmdir(dir);
}

Test(record, environment, .timeout = 30)
{
	char *dir = support_tmpdir(), *db = support_path(dir, "h.db");
	char *env[4];
	struct cbench_history_run r;
	size_t n;

	env[0] = "ENABLE_PERFORMANCE_RECORDING=1";
	env[1] = "PERFORMANCE_RUN_TYPE=ci";
	cr_assert(asprintf(&env[2], "PERFORMANCE_DB_PATH=%s", db) > 0);
	env[3] = NULL;
	cr_assert_eq(bench(env, NULL, NULL, NULL, NULL), 0);
	r = last_run(db, &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(r.run_type, "ci");
	env[1] = "PERFORMANCE_RUN_TYPE=weekly";
	cr_assert_eq(bench(env, NULL, NULL, NULL, NULL), 2);
	free(env[2]);
	free(db);
	support_rmdir(dir);
}

Test(record, a_foreign_database_is_refused_before_running, .timeout = 30)
{
	char *dir = support_tmpdir(), *db = support_path(dir, "h.db");
	char *err = support_path(dir, "err.txt"), *json = support_path(dir, "r.json"), *text;
	char *argv[] = { (char *)support_program("fixture_bench"), "-k", "ok.fast", "--record",
	                 "--db", db, "--json", json, NULL };
	FILE *f = fopen(db, "w");

	fputs("not a database, just text\n", f);
	fclose(f);
	cr_assert_eq(support_run(argv, NULL, err), 2);
	cr_assert_not(support_exists(json), "the refused run wrote its JSON");
	text = support_slurp(err);
	cr_assert(strstr(text, db) != NULL, "%s", text);
	free(text);
	text = support_slurp(db);
	cr_assert_str_eq(text, "not a database, just text\n");
	free(text);
	free(err);
	free(json);
	free(db);
	support_rmdir(dir);
}

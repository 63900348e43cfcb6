/*
 * Tokens and database passwords never leave: recognisable secrets in the
 * environment and on the command line, the runner (--record, every output
 * file), `cbench history`, `report`, `dashboard` and `baseline update` run
 * with them, and then every byte they produced (standard output and error,
 * every file in the folder, the database included) is searched. A
 * benchmark child writes its own /proc environ and cmdline there too.
 */
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/cli.h"
#include "base/util.h"
#include "support.h"

#define TOKEN "ghp_cbenchSECRETtoken0123456789"
#define GH_TOKEN "gho_cbenchSECRETgh"
#define PGPASS "pgSECRETpassword"
#define DBPASS "dbSECRETpassword"
#define DB_URL "postgresql://bench:" DBPASS "@127.0.0.1:1/perf"

static const char *const secrets[] = { TOKEN, GH_TOKEN, PGPASS, DBPASS };

/* Every file below the folder, searched (binary files too). */
static int search(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	FILE *f;
	char *data;
	size_t n;

	(void)ftw;
	if (type != FTW_F)
		return 0;
	f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	data = malloc((size_t)st->st_size + 1);
	cr_assert_not_null(data);
	n = fread(data, 1, (size_t)st->st_size, f);
	fclose(f);
	for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
		cr_expect_null(memmem(data, n, secrets[i], strlen(secrets[i])), "%s holds %s", path,
		               secrets[i]);
	/* the word itself: a secret cut or reformatted is still found */
	cr_expect_null(memmem(data, n, "SECRET", 6), "%s holds a part of a secret", path);
	free(data);
	return 0;
}

/* argv run with the secrets in its environment, output to dir/<name>.out
 * and .err; its exit status. */
static int run(const char *dir, const char *name, char *const argv[], bool db_in_env)
{
	char *out = support_path(dir, name), *err, *dump = support_path(dir, "child");
	char *o = NULL, *e = NULL, dumpvar[4200];
	char *env[] = { "GITHUB_TOKEN=" TOKEN, "GH_TOKEN=" GH_TOKEN, "PGPASSWORD=" PGPASS,
	                dumpvar, db_in_env ? "PERFORMANCE_DB_PATH=" DB_URL : NULL, NULL };
	int status;

	snprintf(dumpvar, sizeof(dumpvar), "CBENCH_TEST_DUMP=%s", dump);
	cr_assert(asprintf(&o, "%s.out", out) > 0 && asprintf(&e, "%s.err", out) > 0);
	err = e;
	status = support_wait(support_spawn(argv, o, err, env));
	free(o);
	free(e);
	free(out);
	free(dump);
	return status;
}

Test(secrets, never_in_output_files_or_children, .timeout = 120)
{
	char *dir = support_tmpdir();
	char *db = support_path(dir, "history.db"), *json = support_path(dir, "r.json");
	char *md = support_path(dir, "r.md"), *xml = support_path(dir, "r.xml");
	char *gb = support_path(dir, "r.gbench.json"), *page = support_path(dir, "dash.html");
	char *again = support_path(dir, "again.md"), *base = support_path(dir, "b.json");
	char *bench = (char *)support_program("env_bench"), *tool = (char *)support_program("../cbench");
	FILE *f = fopen(base, "w");

	fputs("{}\n", f);
	fclose(f);
	{
		char *argv[] = { bench, "--baselines", base, "--record", "--db", db, "--json", json,
		                 "--markdown", md, "--junit", xml, "--gbench-json", gb, "-v", NULL };

		cr_assert_eq(run(dir, "runner", argv, true), 0);
	}
	{
		/* the child wrote what it saw */
		char *env = support_path(dir, "child.environ"), *text = support_slurp(env);

		cr_assert_not_null(text, "the benchmark child wrote no environ");
		free(text);
		free(env);
	}
	{
		/* a URL with a password: refused (no such backend in this build),
		 * the message naming it without the password */
		char *argv[] = { bench, "--baselines", base, "--record", "--db", DB_URL, NULL };
		char *argv2[] = { bench, "--baselines", base, "--record", NULL };

		cr_assert_eq(run(dir, "runner-url", argv, false), 2);
		cr_assert_eq(run(dir, "runner-env-url", argv2, true), 2);
	}
	{
		char *cmds[][12] = {
			{ tool, "history", "stats", "--db", db, NULL },
			{ tool, "history", "runs", "--db", db, NULL },
			{ tool, "history", "export", "--db", db, "--format", "csv", NULL },
			{ tool, "history", "export", "--db", db, "--format", "json", NULL },
			{ tool, "report", "--from", json, "--format", "markdown", "--output", again, NULL },
			{ tool, "report", "--latest", "--db", db, "--format", "json", NULL },
			{ tool, "dashboard", "--db", db, "--days", "0", "--output", page, NULL },
			{ tool, "baseline", "update", "--db", db, "--baselines", base, "--init", NULL },
			/* the database from PERFORMANCE_DB_PATH, a URL: errors */
			{ tool, "history", "stats", NULL },
			{ tool, "report", "--latest", "--format", "json", NULL },
			{ tool, "dashboard", "--output", page, NULL },
			{ tool, "baseline", "update", "--baselines", base, NULL },
		};

		for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			char name[32];

			snprintf(name, sizeof(name), "tool%zu", i);
			run(dir, name, cmds[i], true);
		}
	}
	cr_assert_eq(nftw(dir, search, 16, FTW_PHYS), 0);
	free(db);
	free(json);
	free(md);
	free(xml);
	free(gb);
	free(page);
	free(again);
	free(base);
	support_rmdir(dir);
}

Test(secrets, db_password_hidden_from_the_command_line)
{
	char url[] = "postgresql://bench:" DBPASS "@127.0.0.1:1/perf?sslmode=disable";
	char *argv[] = { "bench", "--db", url, NULL };
	struct cbench_cli cli;
	struct cbench_error err = { 0, "" };

	cr_assert_eq(cbench_cli__parse(&cli, 3, argv, &err), 0, "%s", err.text);
	/* the runner has it; /proc/PID/cmdline (the same bytes) does not */
	cr_assert_str_eq(cli.db, "postgresql://bench:" DBPASS "@127.0.0.1:1/perf?sslmode=disable");
	cr_assert_str_eq(url, "postgresql://bench:****************@127.0.0.1:1/perf?sslmode=disable");
}

Test(secrets, locations_shown_without_password)
{
	static const char *const cases[][2] = {
		{ "benchmarks/history/performance.db", "benchmarks/history/performance.db" },
		{ "postgresql://u:pw@h:5432/db", "postgresql://u:***@h:5432/db" },
		{ "postgresql://u@h/db", "postgresql://u@h/db" },
		{ "postgres://u:p@ss:w@h/db", "postgres://u:***@h/db" },
		{ "postgresql://h/db?user=u&password=pw&sslmode=require",
		  "postgresql://h/db?user=u&password=***&sslmode=require" },
		{ "host=h user=u password=pw dbname=d", "host=h user=u password=*** dbname=d" },
		{ "host=h password='p w\\'x' dbname=d", "host=h password='***' dbname=d" },
		{ "postgresql://u:pw@h/db?PASSWORD=x", "postgresql://u:***@h/db?PASSWORD=***" },
	};
	char out[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cbench__redact_location(out, sizeof(out), cases[i][0]);
		cr_expect_str_eq(out, cases[i][1], "%s", cases[i][0]);
	}
	/* too long to show whole: nothing cut in the middle of a secret */
	cbench__redact_location(out, 16, "postgresql://u:pw@h/a-long-database-name");
	cr_expect_null(strstr(out, "pw"), "%s", out);
}

/*
 * The PostgreSQL server shared by the tests (pgtest.h). Criterion runs
 * each test in a process of its own, so the server outlives the test that
 * started it: the runner names its folder before any test (PRE_ALL), the
 * first test to need it starts it there under a file lock, later tests
 * attach, and the runner stops it and removes the folder after the last
 * test (POST_ALL).
 */
#include "pgtest.h"

#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#ifdef CBENCH_HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#define ENV "CBENCH_TEST_PGSERVER"

static char shared_dir[128];

ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
	(void)set;
	snprintf(shared_dir, sizeof(shared_dir), "/tmp/cbench-pg-shared-%ld", (long)getpid());
	setenv(ENV, shared_dir, 1);
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
	char lock[160];

	(void)stats;
	if (!shared_dir[0])
		return;
	pgserver_remove(shared_dir);
	snprintf(lock, sizeof(lock), "%s.lock", shared_dir);
	unlink(lock);
}

static struct pgserver *server;

static struct pgserver *shared(void)
{
	const char *dir = getenv(ENV);
	char why[512] = "", lock[160];
	int fd;

	if (server)
		return server;
	if (!dir || !dir[0])
		cr_skip_test("no shared PostgreSQL folder (" ENV " is not set)");
	snprintf(lock, sizeof(lock), "%s.lock", dir);
	fd = open(lock, O_RDWR | O_CREAT, 0600);
	cr_assert(fd >= 0, "%s", lock);
	cr_assert_eq(flock(fd, LOCK_EX), 0);
	server = pgserver_start(dir, why, sizeof(why));
	flock(fd, LOCK_UN);
	close(fd);
	if (!server)
		cr_skip_test("no PostgreSQL server: %s", why);
	return server;
}

char *pgtest_db(bool password)
{
	char *url = pgserver_newdb(shared(), password);

	cr_assert_not_null(url, "cannot create a database on the test server");
	return url;
}

const char *pgtest_dir(void)
{
	return pgserver_dir(shared());
}

#ifdef CBENCH_HAVE_LIBPQ

static PGresult *exec_on(const char *url, const char *sql, ExecStatusType want)
{
	PGconn *c = PQconnectdb(url);
	PGresult *r;

	cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
	r = PQexec(c, sql);
	cr_assert_eq(PQresultStatus(r), want, "%s: %s", sql, PQerrorMessage(c));
	PQfinish(c);
	return r;
}

void pgtest_sql(const char *url, const char *sql)
{
	PQclear(exec_on(url, sql, PGRES_COMMAND_OK));
}

long long pgtest_int(const char *url, const char *query)
{
	PGresult *r = exec_on(url, query, PGRES_TUPLES_OK);
	long long v;

	cr_assert_eq(PQntuples(r), 1, "%s", query);
	v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

#else

void pgtest_sql(const char *url, const char *sql)
{
	(void)url, (void)sql;
	cr_skip_test("built without libpq");
}

long long pgtest_int(const char *url, const char *query)
{
	(void)url, (void)query;
	cr_skip_test("built without libpq");
	return 0;
}

#endif

#ifndef CBENCH_TESTS_PGTEST_H
#define CBENCH_TESTS_PGTEST_H

#include <stdbool.h>

#include "pgserver.h"

/*
 * The PostgreSQL server shared by every test of this test binary: started
 * by the first test that asks (1-2 s), stopped and removed after the last
 * (a Criterion report hook in the runner process). Each test takes a new
 * database of its own on it.
 */

/* The URL of a new, empty database on the shared server (malloc'd), as the
 * superuser or, with `password`, as PGSERVER_PASSWORD_USER. Skips the test
 * (cr_skip_test, with the reason) where no server can be started. */
char *pgtest_db(bool password);

/* The shared server's folder (its socket); pgtest_db first. */
const char *pgtest_dir(void);

/* Raw SQL on the database at `url`, to look behind the backend or build a
 * database it did not make: asserts that it succeeds. */
void pgtest_sql(const char *url, const char *sql);
long long pgtest_int(const char *url, const char *query);

#endif

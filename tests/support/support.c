#include "support.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

const char *support_program(const char *name)
{
	/* A ring of buffers: tests keep several argv arrays at once. */
	static char paths[8][4096];
	static unsigned next;
	char *path = paths[next++ % 8];

	snprintf(path, sizeof(paths[0]), "%s/tests/%s", CBENCH_TEST_BUILD, name);
	return path;
}

char *support_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *dir;

	if (!base || !*base)
		base = "/tmp";
	if (asprintf(&dir, "%s/cbench-test-XXXXXX", base) < 0)
		cr_assert_fail("out of memory");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	return dir;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void support_rmdir(char *dir)
{
	if (dir)
		nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

char *support_path(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		cr_assert_fail("out of memory");
	return p;
}

pid_t support_spawn(char *const argv[], const char *out, const char *err,
                    char *const extra_env[])
{
	posix_spawn_file_actions_t fa;
	char **env;
	size_t n = 0, k = 0;
	pid_t pid;
	int rc;

	while (environ[n])
		n++;
	for (size_t i = 0; extra_env && extra_env[i]; i++)
		k++;
	env = calloc(n + k + 1, sizeof(*env));
	cr_assert_not_null(env);
	/* extra entries first: getenv() takes the first match */
	for (size_t i = 0; i < k; i++)
		env[i] = extra_env[i];
	for (size_t i = 0; i < n; i++)
		env[k + i] = environ[i];
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null",
	                                 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err ? err : "/dev/null",
	                                 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	cr_assert_eq(rc, 0, "posix_spawn %s: %s", argv[0], strerror(rc));
	return pid;
}

int support_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		cr_assert_eq(errno, EINTR, "waitpid: %s", strerror(errno));
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int support_run(char *const argv[], const char *out, const char *err)
{
	return support_wait(support_spawn(argv, out, err, NULL));
}

char *support_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
		got = fread(buf + n, 1, 4096, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

bool support_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

json_t *support_load_json(const char *path)
{
	json_error_t e;
	json_t *doc = json_load_file(path, 0, &e);

	cr_assert_not_null(doc, "%s:%d:%d: %s", path, e.line, e.column, e.text);
	return doc;
}

json_t *support_bench(json_t *doc, const char *id)
{
	json_t *list = json_object_get(doc, "benchmarks"), *b;
	size_t i;

	json_array_foreach(list, i, b) {
		if (strcmp(json_string_value(json_object_get(b, "id")), id) == 0)
			return b;
	}
	return NULL;
}

size_t support_count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

bool support_valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 :
		           (*p >> 3) == 30 ? 4 : 0;

		if (n == 0)
			return false;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xC0) != 0x80)
				return false;
		p += n;
	}
	return true;
}

#define XMLLINT "/usr/bin/xmllint"

const char *support_schemas(void)
{
	const char *dir = getenv("CBENCH_SCHEMAS");

	return dir && *dir ? dir : "../shared/schemas";
}

void support_need_junit_schemas(void)
{
	char *xsd = support_path(support_schemas(), "junit-10.xsd");
	bool have = support_exists(xsd);

	free(xsd);
	if (!have)
		cr_skip_test("no JUnit schemas in %s (set CBENCH_SCHEMAS to the folder "
		             "holding junit-10.xsd and junit-ant.xsd)", support_schemas());
	if (access(XMLLINT, X_OK) != 0)
		cr_skip_test(XMLLINT " is not installed (Debian: libxml2-utils)");
}

void support_xmllint(const char *dir, const char *file, const char *schema)
{
	char *xsd = schema ? support_path(support_schemas(), schema) : NULL;
	char *log = support_path(dir, "xmllint.log"), *msg;
	char *argv[] = { XMLLINT, "--noout", "--schema", xsd, (char *)file, NULL };
	char *plain[] = { XMLLINT, "--noout", (char *)file, NULL };
	int rc = support_run(schema ? argv : plain, NULL, log);

	msg = support_slurp(log);
	cr_expect_eq(rc, 0, "xmllint %s %s: %.2000s", schema ? schema : "(well-formed)", file,
	             msg ? msg : "");
	free(msg);
	free(log);
	free(xsd);
}

const char *support_bench_status(json_t *doc, const char *id)
{
	json_t *b = support_bench(doc, id);

	cr_assert_not_null(b, "no benchmark %s in the JSON", id);
	return json_string_value(json_object_get(b, "status"));
}

const char *support_bench_message(json_t *doc, const char *id)
{
	return json_string_value(json_object_get(support_bench(doc, id), "message"));
}

char *support_read_bytes(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

void support_sql(const char *path, const char *text)
{
	sqlite3 *db;
	char *msg = NULL;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, text, NULL, NULL, &msg), SQLITE_OK, "%s: %s", text,
	             msg ? msg : "");
	sqlite3_close(db);
}

long long support_sql_int(const char *path, const char *query)
{
	sqlite3_stmt *st;
	long long v;
	sqlite3 *db;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, query, -1, &st, NULL), SQLITE_OK, "%s: %s", query,
	             sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", query);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Blanks out every code span (a run of N backticks up to the next run of
 * exactly N), as CommonMark reads them: inside one, nothing is markup. */
void support_blank_code_spans(char *s)
{
	for (char *p = s; *p;) {
		size_t n = strspn(p, "`"), m;
		char *q;

		if (n == 0) {
			p++;
			continue;
		}
		for (q = p + n; *q; q += m ? m : 1) {
			m = strspn(q, "`");
			if (m == n)
				break;
		}
		if (!*q) {
			p += n;
			continue;
		}
		memset(p, ' ', (size_t)(q + n - p));
		p = q + n;
	}
}

/* Whether `s` holds a byte or character a terminal acts on: a C0 control
 * but the newline, DEL, a C1 control (U+0080..U+009F), U+202A..U+202E. */
const char *support_terminal_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7F)
			return (const char *)p;
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return (const char *)p;
		if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE)
			return (const char *)p;
	}
	return NULL;
}

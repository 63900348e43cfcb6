#ifndef CBENCH_TESTS_SUPPORT_H
#define CBENCH_TESTS_SUPPORT_H

#include <stdbool.h>
#include <sys/types.h>

#include <jansson.h>

/* Path of a program built for the tests: build/tests/<name>. */
const char *support_program(const char *name);

/* A new empty folder under $TMPDIR or /tmp; removed by support_rmdir. */
char *support_tmpdir(void);
void support_rmdir(char *dir);
/* dir + "/" + name, malloc'd. */
char *support_path(const char *dir, const char *name);

/*
 * Starts argv[0] with argv (no shell), standard output and error to the
 * files named (NULL: /dev/null), standard input from /dev/null, and extra
 * "NAME=value" entries added to the environment. Returns the pid.
 */
pid_t support_spawn(char *const argv[], const char *out, const char *err,
                    char *const extra_env[]);
/* Waits for pid; returns its exit status, or 128 + signal. */
int support_wait(pid_t pid);
/* spawn + wait */
int support_run(char *const argv[], const char *out, const char *err);

/* The whole file, NUL-terminated; NULL when unreadable. */
char *support_slurp(const char *path);
bool support_exists(const char *path);

/* How many times `needle` occurs in `s` (overlaps counted). */
size_t support_count(const char *s, const char *needle);
/* Whether `s` is well-formed UTF-8. */
bool support_valid_utf8(const char *s);

/* The folder of the JUnit schemas: $CBENCH_SCHEMAS, or ../shared/schemas. */
const char *support_schemas(void);
/* Skips the test, saying why, unless the schemas (junit-10.xsd) and
 * /usr/bin/xmllint are there. */
void support_need_junit_schemas(void);
/* xmllint's verdict on `file`: with `schema` (a file in support_schemas()),
 * validity; without, that it is well-formed. Fails the test with xmllint's
 * messages. */
void support_xmllint(const char *dir, const char *file, const char *schema);

/* The JSON file parsed; fails the test when it does not parse. */
json_t *support_load_json(const char *path);
/* The object of benchmarks[] with this id, or NULL. */
json_t *support_bench(json_t *doc, const char *id);
/* Its "status" (fails the test when there is no such benchmark), its
 * "message" (NULL when none). */
const char *support_bench_status(json_t *doc, const char *id);
const char *support_bench_message(json_t *doc, const char *id);

/* The whole file, its length in *len (binary files too); fails the test
 * when it cannot be read. */
char *support_read_bytes(const char *path, size_t *len);

/* SQL run on the SQLite file at path; fails the test on any error. */
void support_sql(const char *path, const char *text);
/* The first column of the first row of `query`, as an integer. */
long long support_sql_int(const char *path, const char *query);

/* Blanks out every Markdown code span of `s` in place (a run of N
 * backticks up to the next run of exactly N), as CommonMark reads them:
 * what is left is what GitHub would read as markup. */
void support_blank_code_spans(char *s);

/* The first byte of `s` a terminal would act on, or NULL: a C0 control
 * but the newline, DEL, a C1 control (U+0080..U+009F), U+202A..U+202E. */
const char *support_terminal_control(const char *s);

#endif

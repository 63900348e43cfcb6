#ifndef CBENCH_FRAMEWORK_UTIL_H
#define CBENCH_FRAMEWORK_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* strdup that accepts NULL (and returns NULL for it). */
char *cbench__strdup(const char *s);
/* Formats into a new string; NULL when out of memory. */
char *cbench__asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Splits `text` at spaces and commas into words (empty words dropped).
 * *out is one allocation: the pointer array followed by the strings; free
 * it with free(). Returns the number of words, or -1 when out of memory.
 */
long cbench__split_words(char ***out, const char *text);

/*
 * A database location as it may be shown (messages, files, logs): the
 * password of a URL (scheme://user:PASSWORD@host) and the value of every
 * password=... (a query parameter, a libpq key=value string) become ***.
 * Anything else is copied; cut to out[0..size).
 */
void cbench__redact_location(char *out, size_t size, const char *location);

/*
 * Whether an environment entry ("NAME=value") holds a secret no program we
 * start needs: GITHUB_TOKEN, GH_TOKEN, PGPASSWORD, and PERFORMANCE_DB_PATH
 * (a database URL may hold a password). Benchmark children and helper
 * programs (nvidia-smi) get an environment without them.
 */
bool cbench__secret_env(const char *entry);

/* The same passwords overwritten with '*' in place (same length): for a
 * command line, so ps and /proc/PID/cmdline do not show them. */
void cbench__redact_in_place(char *location);

/* Makes room for one more element (`n` in use, `*cap` allocated, each of
 * `size` bytes) in a growing array: the array (moved or not), or NULL when
 * out of memory (the old one is then untouched). */
void *cbench__grow(void *arr, size_t *cap, size_t n, size_t size);

#endif

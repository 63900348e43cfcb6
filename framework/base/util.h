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

#endif

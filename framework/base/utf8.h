#ifndef CBENCH_FRAMEWORK_UTF8_H
#define CBENCH_FRAMEWORK_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"

/*
 * Text from anywhere (a benchmark's name, a commit subject, a CPU model
 * read from the machine) as UTF-8 every format can carry. One definition
 * of "valid": well-formed UTF-8 without overlong forms, surrogates, code
 * points past U+10FFFF, cut sequences, or the noncharacters U+FFFE and
 * U+FFFF (not XML characters). What is not valid becomes U+FFFD, one per
 * byte.
 */

#define CBENCH_UTF8_REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* The length (2 to 4) of the valid sequence of a non-ASCII character at
 * s[0..n), or 0 when there is none. */
size_t cbench_utf8__char(const unsigned char *s, size_t n);

/* Whether text[0..len) is valid UTF-8 throughout. */
bool cbench_utf8__valid(const char *text, size_t len);

/* Appends text[0..len) to `b` with what is not valid replaced by U+FFFD,
 * nothing else changed. 0 or CBENCH_ENOMEM (the buffer's error). */
int cbench_utf8__repair(struct cbench_buf *b, const char *text, size_t len);

/*
 * The length of the longest prefix of text[0..len) that is at most `max`
 * bytes and does not cut a UTF-8 sequence in two: for shortening names.
 */
size_t cbench_utf8__prefix(const char *text, size_t len, size_t max);

/* A jansson string of `s` (NULL: ""), repaired first when not valid
 * (jansson refuses invalid UTF-8); NULL only when out of memory. */
json_t *cbench_utf8__json_string(const char *s);

#endif

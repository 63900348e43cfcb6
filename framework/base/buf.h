#ifndef CBENCH_FRAMEWORK_BUF_H
#define CBENCH_FRAMEWORK_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * A growable string buffer with a fixed maximum size, for all formatting
 * (curl's dynbuf, docs/internals/DYNBUF.md). The content is always
 * NUL-terminated. An append that would reach `max` bytes (the terminating
 * NUL counts), or that runs out of memory, frees the content and leaves
 * the buffer failed: every later append fails too, so a caller may append
 * many times and check once. cbench_buf__free makes it usable again.
 *
 *	struct cbench_buf b = CBENCH_BUF_INIT(1 << 20);
 *	cbench_buf__add(&b, "x = ", 4);
 *	if (cbench_buf__addf(&b, "%d\n", x) != 0) ...   (CBENCH_ENOMEM)
 *	text = cbench_buf__take(&b, &len);               (caller frees)
 */
struct cbench_buf {
	char *data;      /* NULL until something is added */
	size_t len;      /* bytes used, not counting the NUL */
	size_t cap;      /* bytes allocated */
	size_t max;      /* len + 1 never reaches beyond this */
	bool failed;     /* an append failed: the buffer refuses all others */
};

#define CBENCH_BUF_INIT(max_) { NULL, 0, 0, (max_), false }

/* An empty buffer of at most `max` bytes (counting the NUL). */
void cbench_buf__init(struct cbench_buf *b, size_t max);

/* Appends data[0..len). 0, or CBENCH_ENOMEM (over max, out of memory, or
 * an earlier failure). */
int cbench_buf__add(struct cbench_buf *b, const void *data, size_t len);
/* Appends a NUL-terminated string. */
int cbench_buf__adds(struct cbench_buf *b, const char *s);
/* Appends printf-style; same returns as cbench_buf__add. Numbers follow the
 * calling thread's locale: the runner formats reports in the C locale. */
int cbench_buf__addf(struct cbench_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cbench_buf__vaddf(struct cbench_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Cuts the content back to its first `len` bytes (no-op when len is not
 * shorter); used to drop a part that turned out not to fit. */
void cbench_buf__truncate(struct cbench_buf *b, size_t len);

/* The content (never NULL: "" when empty or failed) and its length; they
 * stay valid until the next append. */
const char *cbench_buf__str(const struct cbench_buf *b);
size_t cbench_buf__len(const struct cbench_buf *b);

/*
 * Hands the content over: a malloc'd NUL-terminated string the caller
 * frees, its length in *len (len may be NULL). The buffer is left empty and
 * usable. NULL when the buffer failed (it is then reset) or when out of
 * memory.
 */
char *cbench_buf__take(struct cbench_buf *b, size_t *len);

/* Frees the content; the buffer is empty and usable again, same max.
 * Accepts NULL. */
void cbench_buf__free(struct cbench_buf *b);

#endif

#ifndef CBENCH_FRAMEWORK_ERROR_H
#define CBENCH_FRAMEWORK_ERROR_H

#include <stdarg.h>

#include "cbench/error.h"

/*
 * Fills `err` (which may be NULL) with `code` and a printf-style message,
 * and returns `code`, so callers can write `return cbench_error__set(...)`.
 */
int cbench_error__set(struct cbench_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int cbench_error__setv(struct cbench_error *err, int code, const char *fmt,
                       va_list ap);

/* Sets `err` from errno with "what: strerror" and returns CBENCH_EIO. */
int cbench_error__errno(struct cbench_error *err, const char *what);

#endif

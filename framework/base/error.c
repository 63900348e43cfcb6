#include "base/error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int cbench_error__setv(struct cbench_error *err, int code, const char *fmt,
                       va_list ap)
{
	if (err) {
		err->code = code;
		vsnprintf(err->text, sizeof(err->text), fmt, ap);
	}
	return code;
}

int cbench_error__set(struct cbench_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cbench_error__setv(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int cbench_error__errno(struct cbench_error *err, const char *what)
{
	int saved = errno;

	return cbench_error__set(err, CBENCH_EIO, "%s: %s", what, strerror(saved));
}

#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbench/error.h"

void cbench_buf__init(struct cbench_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->failed = false;
}

/* Frees and marks failed: from now on every append refuses. */
static int fail(struct cbench_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = true;
	return CBENCH_ENOMEM;
}

/* Makes room for `extra` more bytes plus the NUL. */
static int reserve(struct cbench_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return CBENCH_ENOMEM;
	if (extra >= b->max || b->len >= b->max - extra)
		return fail(b);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > b->max / 2 ? b->max : cap * 2;
	if (cap > b->max)
		cap = b->max;
	p = realloc(b->data, cap);
	if (!p)
		return fail(b);
	b->data = p;
	b->cap = cap;
	return 0;
}

int cbench_buf__add(struct cbench_buf *b, const void *data, size_t len)
{
	int rc = reserve(b, len);

	if (rc != 0)
		return rc;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int cbench_buf__adds(struct cbench_buf *b, const char *s)
{
	return cbench_buf__add(b, s, strlen(s));
}

int cbench_buf__vaddf(struct cbench_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	size_t room;
	int n, rc;

	if (b->failed)
		return CBENCH_ENOMEM;
	room = b->cap > b->len ? b->cap - b->len : 0;
	va_copy(again, ap);
	n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
	if (n < 0) {
		va_end(again);
		return fail(b);
	}
	if ((size_t)n < room) {
		b->len += (size_t)n;
		va_end(again);
		return 0;
	}
	/* Did not fit: vsnprintf wrote a cut copy; the NUL below the old
	 * length was overwritten, so restore it if growing fails. */
	if (room)
		b->data[b->len] = '\0';
	rc = reserve(b, (size_t)n);
	if (rc == 0) {
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
		b->len += (size_t)n;
	}
	va_end(again);
	return rc;
}

int cbench_buf__addf(struct cbench_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cbench_buf__vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void cbench_buf__truncate(struct cbench_buf *b, size_t len)
{
	if (b->data && len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

const char *cbench_buf__str(const struct cbench_buf *b)
{
	return b->data ? b->data : "";
}

size_t cbench_buf__len(const struct cbench_buf *b)
{
	return b->len;
}

char *cbench_buf__take(struct cbench_buf *b, size_t *len)
{
	char *s;

	if (len)
		*len = 0;
	if (b->failed) {
		cbench_buf__free(b);
		return NULL;
	}
	s = b->data ? b->data : calloc(1, 1);
	if (s && len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void cbench_buf__free(struct cbench_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = false;
}

#include "base/util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"

char *cbench__strdup(const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

char *cbench__asprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : p;
}

static bool is_sep(char c)
{
	return c == ' ' || c == ',' || c == '\t' || c == '\n';
}

long cbench__split_words(char ***out, const char *text)
{
	size_t len = text ? strlen(text) : 0, words = 0;
	char **arr, *store;
	long n = 0;

	for (size_t i = 0; i < len; i++)
		if (!is_sep(text[i]) && (i == 0 || is_sep(text[i - 1])))
			words++;
	arr = malloc((words + 1) * sizeof(*arr) + len + 1);
	if (!arr)
		return -1;
	store = (char *)(arr + words + 1);
	for (size_t i = 0; i < len;) {
		size_t j;

		while (i < len && is_sep(text[i]))
			i++;
		if (i == len)
			break;
		for (j = i; j < len && !is_sep(text[j]); j++)
			;
		memcpy(store, text + i, j - i);
		store[j - i] = '\0';
		arr[n++] = store;
		store += j - i + 1;
		i = j;
	}
	arr[n] = NULL;
	*out = arr;
	return n;
}

/*
 * The next password in a database location at or after `from`: the
 * password of a URL's user (scheme://user:PASSWORD@host), or the value of
 * a password=... (query parameter, libpq key=value, quoted or not).
 * Returns its offset, with its length in *len, or -1 when there is none.
 */
static long next_secret(const char *loc, size_t from, size_t *len)
{
	static const char key[] = "password=";
	const char *scheme = strstr(loc, "://"), *q;

	if (scheme && (size_t)(scheme + 3 - loc) >= from) {
		/* libpq reads user:password@ up to the first '/' only: a '?' or
		 * '#' may sit inside the credentials (tests/fuzz/fuzz_pgconn.c
		 * found it). From the first ':' to the last '@' before that '/'
		 * covers whatever password libpq would take. */
		const char *host = scheme + 3, *end = host + strcspn(host, "/");
		const char *at = NULL, *colon;

		for (const char *c = host; c < end; c++)
			if (*c == '@')
				at = c;
		colon = at ? memchr(host, ':', (size_t)(at - host)) : NULL;
		if (colon) {
			*len = (size_t)(at - colon - 1);
			return colon + 1 - loc;
		}
	}
	if (from > strlen(loc) || !(q = strcasestr(loc + from, key)))
		return -1;
	q += sizeof(key) - 1;
	if (*q == '\'') {
		/* libpq: a quoted value, \' inside; the quotes are kept */
		const char *e = q + 1;

		for (; *e && *e != '\''; e++)
			if (*e == '\\' && e[1])
				e++;
		*len = (size_t)(e - q - 1);
		return q + 1 - loc;
	}
	*len = strcspn(q, "& \t#");
	return q - loc;
}

void cbench__redact_location(char *out, size_t size, const char *location)
{
	struct cbench_buf b = CBENCH_BUF_INIT(size);
	size_t at = 0, len;
	long s;

	if (size == 0)
		return;
	while ((s = next_secret(location, at, &len)) >= 0) {
		cbench_buf__add(&b, location + at, (size_t)s - at);
		cbench_buf__add(&b, "***", 3);
		at = (size_t)s + len;
	}
	cbench_buf__adds(&b, location + at);
	/* Too long for `out`: cut, never showing what a cut might expose. */
	snprintf(out, size, "%s", b.failed ? "(location too long to show)" : cbench_buf__str(&b));
	cbench_buf__free(&b);
}

void cbench__redact_in_place(char *location)
{
	size_t at = 0, len;
	long s;

	while ((s = next_secret(location, at, &len)) >= 0) {
		memset(location + s, '*', len);
		at = (size_t)s + len;
	}
}

static const char *const secret_names[] = {
	"GITHUB_TOKEN", "GH_TOKEN", "PGPASSWORD", "PERFORMANCE_DB_PATH",
};

bool cbench__secret_env(const char *entry)
{
	for (size_t i = 0; i < sizeof(secret_names) / sizeof(secret_names[0]); i++) {
		size_t n = strlen(secret_names[i]);

		if (strncmp(entry, secret_names[i], n) == 0 && entry[n] == '=')
			return true;
	}
	return false;
}

void *cbench__grow(void *arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(arr, ncap * size);
	if (p)
		*cap = ncap;
	return p;
}

#include "base/util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

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

void cbench__iso8601(char out[32], double t)
{
	time_t secs = (time_t)t;
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void cbench__uuid(char out[40])
{
	unsigned char b[16];
	ssize_t got = getrandom(b, sizeof(b), 0);

	if (got != (ssize_t)sizeof(b)) {
		/* No entropy to be had: time and pid are unique enough for
		 * telling runs apart. */
		uint64_t t = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);

		for (size_t i = 0; i < sizeof(b); i++)
			b[i] = (unsigned char)(t >> (8 * (i % 8))) ^ (unsigned char)(i * 131);
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
	         b[12], b[13], b[14], b[15]);
}

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

/*
 * A PostgreSQL location (--db postgresql://…, PERFORMANCE_DB_PATH): what
 * cbench shows of it must never show the password. Where libpq is built
 * in, libpq's own parser says which password the location holds; when it
 * holds one that appears once in the text, the masked form must not
 * contain it.
 */
#include <stdlib.h>
#include <string.h>

#ifdef CBENCH_HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#include "history/history.h"
#include "fuzz.h"

#ifdef CBENCH_HAVE_LIBPQ
static size_t occurrences(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, what)) != NULL; p++)
		n++;
	return n;
}
#endif

CBENCH_FUZZ_TARGET(pgconn)
{
	char *text = fuzz_cstr(data, size), *shown;

	if (strncmp(text, "postgresql:", 11) != 0 && strncmp(text, "postgres:", 9) != 0) {
		free(text);
		return 0;   /* not a location the PostgreSQL backend takes */
	}
	shown = cbench_history__mask(text);
	if (!shown)
		abort();
#ifdef CBENCH_HAVE_LIBPQ
	{
		char *why = NULL;
		PQconninfoOption *opts = PQconninfoParse(text, &why);

		for (PQconninfoOption *o = opts; o && o->keyword; o++) {
			const char *pw = o->val;

			if (strcmp(o->keyword, "password") != 0 || !pw || strlen(pw) < 4 ||
			    strchr(pw, '*') || occurrences(text, pw) != 1)
				continue;
			if (strstr(shown, pw))
				abort();   /* the password is shown */
		}
		PQconninfoFree(opts);
		PQfreemem(why);
	}
#endif
	free(shown);
	free(text);
	return 0;
}

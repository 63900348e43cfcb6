/*
 * A PostgreSQL location (--db postgresql://…, PERFORMANCE_DB_PATH): what
 * cbench shows of it must never show the password. Where libpq is built
 * in, libpq's own parser says which password the location holds, and the
 * masked form, read by libpq again, must not give it back (a password
 * that happens to be spelled in another part, say the database's name,
 * is no leak: fuzzing found such a false alarm of a plain text search).
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

static const char *password_of(PQconninfoOption *opts)
{
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0)
			return o->val;
	return NULL;
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
		const char *pw = password_of(opts);

		if (pw && strlen(pw) >= 4 && !strchr(pw, '*')) {
			char *why2 = NULL;
			PQconninfoOption *masked = PQconninfoParse(shown, &why2);

			if (masked) {
				/* what is shown, read as libpq would, has no password */
				const char *left = password_of(masked);

				if (left && strcmp(left, pw) == 0)
					abort();
			} else if (occurrences(text, pw) == 1 && strstr(shown, pw)) {
				abort();   /* written as is, and shown as is */
			}
			PQconninfoFree(masked);
			PQfreemem(why2);
		}
		PQconninfoFree(opts);
		PQfreemem(why);
	}
#endif
	free(shown);
	free(text);
	return 0;
}

/* -k and -m expressions: the first byte picks the kind, the rest up to a
 * newline is the expression, each later line a subject it is matched on. */
#include <stdlib.h>
#include <string.h>

#include "measure/expr.h"
#include "fuzz.h"

CBENCH_FUZZ_TARGET(expr)
{
	struct cbench_expr *e = NULL;
	struct cbench_error err;
	const char *subjects[8];
	size_t n = 0;
	char *text, *nl;
	enum cbench_expr_kind kind;

	if (size < 1)
		return 0;
	kind = (data[0] & 1) ? CBENCH_EXPR_MARKER : CBENCH_EXPR_KEYWORD;
	text = fuzz_cstr(data + 1, size - 1);
	nl = strchr(text, '\n');
	while (nl && n < 8) {
		*nl = '\0';
		subjects[n++] = nl + 1;
		nl = strchr(nl + 1, '\n');
	}
	if (nl)
		*nl = '\0';
	if (cbench_expr__parse(&e, text, kind, kind == CBENCH_EXPR_MARKER ? "-m" : "-k", &err) == 0) {
		(void)cbench_expr__match(e, subjects, n);
		cbench_expr__free(e);
	} else if (!memchr(err.text, '\0', sizeof(err.text))) {
		abort(); /* the message must be a string */
	}
	free(text);
	return 0;
}

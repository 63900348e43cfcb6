#ifndef CBENCH_FRAMEWORK_EXPR_H
#define CBENCH_FRAMEWORK_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "cbench/error.h"

/*
 * Selection expressions as pytest's -k and -m take them:
 *   expr := or ; or := and ('or' and)* ; and := not ('and' not)* ;
 *   not := 'not' not | '(' or ')' | NAME
 * A NAME is a run of characters other than whitespace and parentheses
 * that is not one of the three keywords.
 */
enum cbench_expr_kind {
	/* -k: a NAME matches when it is a case-insensitive substring of any
	 * of the subject strings (the benchmark's id). */
	CBENCH_EXPR_KEYWORD,
	/* -m: a NAME matches when it equals one of the subject strings (the
	 * benchmark's markers), case-sensitively. */
	CBENCH_EXPR_MARKER
};

struct cbench_expr;

/*
 * Parses `text`. On success *out owns the expression (free with
 * cbench_expr__free). On a malformed expression returns CBENCH_EPARSE with
 * a one-line message quoting the expression and the column (1-based) at
 * fault, e.g. `-k "a and": expected a name after 'and' at column 6`;
 * `option` ("-k" or "-m") is used in that message.
 */
int cbench_expr__parse(struct cbench_expr **out, const char *text,
                       enum cbench_expr_kind kind, const char *option,
                       struct cbench_error *err);

/* True when the expression holds for the subject strings subjects[0..n). */
bool cbench_expr__match(const struct cbench_expr *expr,
                        const char *const *subjects, size_t n);

void cbench_expr__free(struct cbench_expr *expr);

#endif

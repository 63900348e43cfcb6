#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/expr.h"

/* Parses `text` (which must be valid), matches it once, frees it. */
static bool match(const char *text, enum cbench_expr_kind kind,
                  const char *const *subjects, size_t n)
{
	struct cbench_expr *expr = NULL;
	struct cbench_error err = { 0, "" };
	bool result;
	int rc;

	rc = cbench_expr__parse(&expr, text, kind,
	                        kind == CBENCH_EXPR_KEYWORD ? "-k" : "-m", &err);
	cr_assert_eq(rc, 0, "parsing \"%s\" failed: %s", text, err.text);
	cr_assert_not_null(expr);
	result = cbench_expr__match(expr, subjects, n);
	cbench_expr__free(expr);
	return result;
}

#define SUBJECTS_(...) ((const char *const[]){ __VA_ARGS__ })
#define COUNT_(...) (sizeof(SUBJECTS_(__VA_ARGS__)) / sizeof(const char *))
/* KW("expr", "subject", ...): does -k "expr" select these subjects? */
#define KW(text, ...) \
	match(text, CBENCH_EXPR_KEYWORD, SUBJECTS_(__VA_ARGS__), COUNT_(__VA_ARGS__))
#define MK(text, ...) \
	match(text, CBENCH_EXPR_MARKER, SUBJECTS_(__VA_ARGS__), COUNT_(__VA_ARGS__))

/*
 * Asserts that -k `text` is rejected with CBENCH_EPARSE, that the message is
 * one line quoting the option and the expression, and that it contains
 * `what` and "at column <column>".
 */
static void expect_error(const char *text, const char *what, size_t column)
{
	struct cbench_expr *expr = (struct cbench_expr *)&expr;
	struct cbench_error err = { 0, "" };
	char at[64];
	char head[256];
	int rc;

	rc = cbench_expr__parse(&expr, text, CBENCH_EXPR_KEYWORD, "-k", &err);
	cr_assert_eq(rc, CBENCH_EPARSE, "\"%s\": rc %d", text, rc);
	cr_assert_eq(err.code, CBENCH_EPARSE);
	cr_assert_null(expr, "\"%s\": *out must be NULL on failure", text);
	snprintf(at, sizeof(at), " at column %zu", column);
	cr_assert_not_null(strstr(err.text, at), "\"%s\": got \"%s\", want \"%s\"",
	                   text, err.text, at);
	cr_assert_not_null(strstr(err.text, what), "\"%s\": got \"%s\", want \"%s\"",
	                   text, err.text, what);
	cr_assert_null(strchr(err.text, '\n'), "message must be one line: %s",
	               err.text);
	if (strlen(text) < 100 && !strpbrk(text, "\t\n\r")) {
		snprintf(head, sizeof(head), "-k \"%s\": ", text);
		cr_assert_eq(strncmp(err.text, head, strlen(head)), 0,
		             "got \"%s\", want it to start with \"%s\"", err.text,
		             head);
	}
}

static char *repeat(const char *prefix, const char *unit, size_t times,
                    const char *suffix)
{
	size_t len = strlen(prefix) + strlen(unit) * times + strlen(suffix) + 1;
	char *s = malloc(len);
	char *p = s;
	size_t i;

	cr_assert_not_null(s);
	p += snprintf(p, len, "%s", prefix);
	for (i = 0; i < times; i++)
		p += snprintf(p, len - (size_t)(p - s), "%s", unit);
	snprintf(p, len - (size_t)(p - s), "%s", suffix);
	return s;
}

Test(expr, single_name)
{
	cr_assert(KW("flat", "vector_search.flat[10000]"));
	cr_assert_not(KW("hnsw", "vector_search.flat[10000]"));
	cr_assert(MK("slow", "slow"));
	cr_assert_not(MK("slow", "fast"));
}

Test(expr, any_subject_matches)
{
	cr_assert(KW("hash", "sort.quick", "map.hash_insert", "io.read"));
	cr_assert(MK("slow", "gpu", "slow", "network"));
	cr_assert_not(MK("slow", "gpu", "network"));
}

Test(expr, no_subjects)
{
	struct cbench_expr *expr = NULL;

	cr_assert_eq(cbench_expr__parse(&expr, "not slow", CBENCH_EXPR_MARKER,
	                                "-m", NULL), 0);
	cr_assert(cbench_expr__match(expr, NULL, 0));
	cbench_expr__free(expr);
	cr_assert_eq(cbench_expr__parse(&expr, "slow", CBENCH_EXPR_MARKER,
	                                "-m", NULL), 0);
	cr_assert_not(cbench_expr__match(expr, NULL, 0));
	cbench_expr__free(expr);
}

Test(expr, precedence_or_and_not)
{
	/* a or (b and (not c)) */
	cr_assert(MK("a or b and not c", "a"));
	cr_assert(MK("a or b and not c", "b"));
	cr_assert_not(MK("a or b and not c", "b", "c"));
	cr_assert(MK("a or b and not c", "a", "b", "c"));
	cr_assert(MK("a or b and not c", "a", "c"));
	cr_assert_not(MK("a or b and not c", "c"));
	cr_assert_not(MK("a or b and not c", "d"));
	cr_assert_not(match("a or b and not c", CBENCH_EXPR_MARKER, NULL, 0));
	/* The same through -k, where the names are substrings of an id. */
	cr_assert(KW("a or b and not c", "xax"));
	cr_assert(KW("a or b and not c", "xbx"));
	cr_assert_not(KW("a or b and not c", "xbcx"));
	cr_assert_not(KW("a or b and not c", "xyz"));
}

Test(expr, and_binds_tighter_than_or)
{
	/* (a and b) or c, not a and (b or c) */
	cr_assert(MK("a and b or c", "c"));
	cr_assert_not(MK("a and b or c", "a"));
	cr_assert(MK("a and b or c", "a", "b"));
	cr_assert(MK("c or a and b", "c"));
	cr_assert_not(MK("c or a and b", "b"));
}

Test(expr, not_binds_tighter_than_and)
{
	/* (not a) and b, not not (a and b) */
	cr_assert(MK("not a and b", "b"));
	cr_assert_not(MK("not a and b", "a", "b"));
	cr_assert_not(MK("not a and b", "c"));
	cr_assert(MK("not (a and b)", "a"));
	cr_assert_not(MK("not (a and b)", "a", "b"));
	cr_assert(MK("not not a", "a"));
	cr_assert_not(MK("not not a", "b"));
	cr_assert_not(MK("not not not a", "a"));
}

Test(expr, parentheses_group)
{
	cr_assert_not(MK("(a or b) and not c", "a", "c"));
	cr_assert(MK("a or b and not c", "a", "c"));
	cr_assert(MK("(a or b) and not c", "b"));
	cr_assert(MK("a and (b or c)", "a", "c"));
	cr_assert_not(MK("a and (b or c)", "c"));
	cr_assert(MK("((a))", "a"));
	cr_assert(MK("((a or b) and (c or d)) or e", "b", "d"));
	cr_assert_not(MK("((a or b) and (c or d)) or e", "b", "a"));
	cr_assert(MK("((a or b) and (c or d)) or e", "e"));
}

Test(expr, parentheses_need_no_spaces)
{
	cr_assert(MK("(a)and(b)", "a", "b"));
	cr_assert_not(MK("(a)and(b)", "a"));
	cr_assert(MK("not(a)", "b"));
	cr_assert_not(MK("not(a)", "a"));
	cr_assert(MK("(a)or(b)", "b"));
}

Test(expr, any_whitespace_separates)
{
	cr_assert(MK("  a\tand\nb  ", "a", "b"));
	cr_assert_not(MK("\ta\r\nand\vb\f", "a"));
}

Test(expr, keyword_is_case_insensitive)
{
	cr_assert(KW("FLAT", "vector_search.flat[10000]"));
	cr_assert(KW("Vector_Search", "vector_search.flat[10000]"));
	cr_assert(KW("flat", "VECTOR_SEARCH.FLAT[10000]"));
	cr_assert_not(KW("not FLAT", "vector_search.flat[10000]"));
}

Test(expr, marker_is_case_sensitive_and_exact)
{
	cr_assert_not(MK("slow", "Slow"));
	cr_assert_not(MK("Slow", "slow"));
	cr_assert(MK("Slow", "Slow"));
	/* -m wants the whole marker, -k any part of the id */
	cr_assert_not(MK("slo", "slow"));
	cr_assert_not(MK("slow", "slower"));
	cr_assert(KW("slo", "slow"));
}

Test(expr, ids_with_brackets_and_dots)
{
	const char *big = "vector_search.flat[10000]";
	const char *small = "vector_search.flat[1000]";

	cr_assert(KW("flat[10000]", big));
	cr_assert_not(KW("flat[10000]", small));
	cr_assert(KW("flat[1000]", small));
	cr_assert_not(KW("flat[1000]", big));
	cr_assert(KW("vector_search.flat", big));
	/* "1000]" ends the small id only: "10000]" has a fourth zero. */
	cr_assert(KW("vector_search and not 1000]", big));
	cr_assert_not(KW("vector_search and not 1000]", small));
	cr_assert(KW("[1000", big, small));
	cr_assert(MK("size[1e6].v2", "size[1e6].v2"));
}

Test(expr, names_that_contain_keywords)
{
	cr_assert(KW("android", "build.android_arm64"));
	cr_assert_not(KW("android", "build.ios"));
	cr_assert(KW("notes", "parse.notes"));
	cr_assert(KW("order", "sort.reverse_order"));
	cr_assert(KW("not notes", "parse.chords"));
	cr_assert_not(KW("not notes", "parse.notes"));
	cr_assert(KW("android and order", "android_order"));
	cr_assert(KW("nota or orca or andy", "orca"));
	cr_assert(MK("notes and not android", "notes"));
	/* Keywords are lowercase words: "AND" is a name, -k folds it. */
	cr_assert(KW("AND", "build.android"));
	cr_assert(KW("Not", "parse.notes"));
	cr_assert(MK("OR", "OR"));
}

Test(expr, empty_or_blank_is_an_error)
{
	expect_error("", "empty expression", 1);
	expect_error("   ", "empty expression", 1);
	expect_error("\t\n", "empty expression", 1);
}

Test(expr, unbalanced_parentheses)
{
	expect_error("(a", "unclosed '('", 1);
	expect_error("a and (b or (c)", "unclosed '('", 7);
	expect_error("(", "expected a name, 'not' or '('", 2);
	expect_error(")", "unmatched ')'", 1);
	expect_error("a)", "unmatched ')'", 2);
	expect_error("(a))", "unmatched ')'", 4);
	expect_error("a and b) or c", "unmatched ')'", 8);
	expect_error("not )", "unmatched ')'", 5);
}

Test(expr, missing_operand)
{
	expect_error("a and", "expected a name, 'not' or '('", 6);
	expect_error("a or", "expected a name, 'not' or '('", 5);
	expect_error("and a", "expected a name, 'not' or '('", 1);
	expect_error("or a", "expected a name, 'not' or '('", 1);
	expect_error("not", "expected a name, 'not' or '('", 4);
	expect_error("a and not", "expected a name, 'not' or '('", 10);
	expect_error("a or or b", "expected a name, 'not' or '('", 6);
	expect_error("a and or b", "expected a name, 'not' or '('", 7);
	expect_error("(a or)", "expected a name, 'not' or '('", 6);
}

Test(expr, message_format)
{
	struct cbench_expr *expr = NULL;
	struct cbench_error err = { 0, "" };

	cr_assert_eq(cbench_expr__parse(&expr, "a and", CBENCH_EXPR_KEYWORD,
	                                "-k", &err), CBENCH_EPARSE);
	cr_assert_str_eq(err.text,
	                 "-k \"a and\": expected a name, 'not' or '(' at column 6");
	cr_assert_eq(cbench_expr__parse(&expr, "a b", CBENCH_EXPR_MARKER,
	                                "-m", &err), CBENCH_EPARSE);
	cr_assert_str_eq(err.text, "-m \"a b\": expected 'and' or 'or' at column 3");
}

Test(expr, option_named_in_message)
{
	struct cbench_expr *expr = NULL;
	struct cbench_error err = { 0, "" };

	cbench_expr__parse(&expr, "and", CBENCH_EXPR_KEYWORD, "--select", &err);
	cr_assert_str_eq(err.text,
	                 "--select \"and\": expected a name, 'not' or '(' at column 1");
	/* NULL picks the option that goes with the kind. */
	cbench_expr__parse(&expr, "and", CBENCH_EXPR_KEYWORD, NULL, &err);
	cr_assert_str_eq(err.text,
	                 "-k \"and\": expected a name, 'not' or '(' at column 1");
	cbench_expr__parse(&expr, "and", CBENCH_EXPR_MARKER, NULL, &err);
	cr_assert_str_eq(err.text,
	                 "-m \"and\": expected a name, 'not' or '(' at column 1");
}

Test(expr, two_names_in_a_row)
{
	expect_error("a b", "expected 'and' or 'or'", 3);
	expect_error("a and b c", "expected 'and' or 'or'", 9);
	expect_error("a (b)", "expected 'and' or 'or'", 3);
	expect_error("a not b", "expected 'and' or 'or'", 3);
	expect_error("(a b)", "expected 'and', 'or' or ')'", 4);
	expect_error("(a)(b)", "expected 'and' or 'or'", 4);
}

Test(expr, empty_parentheses)
{
	expect_error("()", "empty parentheses", 1);
	expect_error("a and ()", "empty parentheses", 7);
	expect_error("not ( )", "empty parentheses", 5);
}

Test(expr, column_counts_characters)
{
	/* "é" is two bytes but one column. */
	expect_error("\xc3\xa9 b", "expected 'and' or 'or'", 3);
	expect_error("caf\xc3\xa9 and", "expected a name, 'not' or '('", 9);
}

Test(expr, message_stays_one_line)
{
	expect_error("a\nb", "expected 'and' or 'or'", 3);
}

Test(expr, long_expression_keeps_the_column)
{
	char *text = repeat("", "x", 300, " y");
	struct cbench_expr *expr = NULL;
	struct cbench_error err = { 0, "" };

	cr_assert_eq(cbench_expr__parse(&expr, text, CBENCH_EXPR_KEYWORD, "-k",
	                                &err), CBENCH_EPARSE);
	cr_assert_not_null(strstr(err.text, "...\": "), "%s", err.text);
	cr_assert_not_null(strstr(err.text, " at column 302"), "%s", err.text);
	cr_assert_lt(strlen(err.text), sizeof(err.text) - 1);
	free(text);
}

Test(expr, nesting_up_to_the_limit)
{
	char *parens = repeat("", "(", 256, "a");
	char *text = repeat(parens, ")", 256, "");

	cr_assert(MK(text, "a"));
	cr_assert_not(MK(text, "b"));
	free(parens);
	free(text);

	text = repeat("", "not ", 256, "a");
	cr_assert(MK(text, "a"));
	free(text);
	text = repeat("", "not ", 255, "(a)");
	cr_assert(MK(text, "b"));
	free(text);
}

Test(expr, deep_nesting_rejected)
{
	char *parens = repeat("", "(", 257, "a");
	char *text = repeat(parens, ")", 257, "");

	expect_error(text, "nested deeper than 256 levels", 257);
	free(parens);
	free(text);

	text = repeat("", "not ", 257, "a");
	expect_error(text, "nested deeper than 256 levels", 1025);
	free(text);

	/* Far past the limit: rejected without running out of stack. */
	text = repeat("", "(", 1000000, "");
	expect_error(text, "nested deeper than 256 levels", 257);
	free(text);
	text = repeat("", "not (", 200000, "a");
	expect_error(text, "nested deeper than 256 levels", 641);
	free(text);
}

Test(expr, long_flat_chains_are_fine)
{
	/* A chain is one node however long, so matching does not recurse
	 * once per operand. */
	char *text = repeat("", "a or ", 200000, "b");

	cr_assert(MK(text, "b"));
	cr_assert_not(MK(text, "c"));
	free(text);
	text = repeat("", "a and ", 200000, "b");
	cr_assert(MK(text, "a", "b"));
	cr_assert_not(MK(text, "a"));
	free(text);
}

Test(expr, null_error_is_allowed)
{
	struct cbench_expr *expr = (struct cbench_expr *)&expr;

	cr_assert_eq(cbench_expr__parse(&expr, "a and", CBENCH_EXPR_KEYWORD,
	                                "-k", NULL), CBENCH_EPARSE);
	cr_assert_null(expr);
	cr_assert_eq(cbench_expr__parse(&expr, "", CBENCH_EXPR_MARKER, "-m",
	                                NULL), CBENCH_EPARSE);
	cr_assert_null(expr);
	cr_assert_eq(cbench_expr__parse(&expr, "(((a", CBENCH_EXPR_MARKER, "-m",
	                                NULL), CBENCH_EPARSE);
	cr_assert_eq(cbench_expr__parse(&expr, "a and not b", CBENCH_EXPR_KEYWORD,
	                                "-k", NULL), 0);
	cr_assert_not_null(expr);
	cr_assert(cbench_expr__match(expr, (const char *const[]){ "xa" }, 1));
	cbench_expr__free(expr);
}

Test(expr, success_leaves_error_alone)
{
	struct cbench_expr *expr = NULL;
	struct cbench_error err = { 0, "untouched" };

	cr_assert_eq(cbench_expr__parse(&expr, "a", CBENCH_EXPR_KEYWORD, "-k",
	                                &err), 0);
	cr_assert_eq(err.code, 0);
	cr_assert_str_eq(err.text, "untouched");
	cbench_expr__free(expr);
}

Test(expr, free_null_is_a_no_op)
{
	cbench_expr__free(NULL);
}

/*
 * Selection expressions for -k and -m. A recursive-descent parser reads the
 * text one token at a time and builds a tree whose 'and' and 'or' nodes hold
 * every operand of a chain, so "a or b or c ..." stays one level deep however
 * long it is. Only parentheses and 'not' make the tree deeper, and both are
 * capped at CBENCH_EXPR_MAX_DEPTH: that bound is what keeps the recursion of
 * parsing and of matching off the end of the stack.
 */
#include "measure/expr.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/utf8.h"

#define CBENCH_EXPR_MAX_DEPTH 256
#define CBENCH_EXPR_STR_(x) #x
#define CBENCH_EXPR_XSTR_(x) CBENCH_EXPR_STR_(x)

/*
 * Most bytes of the expression quoted in an error message. The rest of the
 * 256-byte message (option, the complaint, "at column N") needs about 80, and
 * the column is the part the user cannot do without, so a long expression is
 * cut rather than the end of the message.
 */
#define CBENCH_EXPR_QUOTE_MAX 150

#define NO_NODE SIZE_MAX

enum op { OP_NAME, OP_NOT, OP_AND, OP_OR };

struct node {
	enum op op;
	size_t child;	/* NOT, AND, OR: the first operand */
	size_t next;	/* the next operand of the enclosing AND or OR */
	size_t name;	/* NAME: offset of its string in expr->names */
};

struct cbench_expr {
	enum cbench_expr_kind kind;
	/* Indices rather than pointers, so growing the array moves nothing. */
	struct node *nodes;
	size_t count;
	size_t cap;
	size_t root;
	/* The NAMEs, each NUL-terminated; lowercased for KEYWORD so matching
	 * only has to fold the subject. */
	char *names;
	size_t names_len;
	size_t names_cap;
};

enum tok { TOK_END, TOK_NAME, TOK_AND, TOK_OR, TOK_NOT, TOK_LPAREN, TOK_RPAREN };

struct parser {
	const char *text;
	enum tok tok;		/* the current token ... */
	size_t start;		/* ... its first byte in text ... */
	size_t len;		/* ... and its length */
	unsigned depth;		/* enclosing '(' and 'not' */
	unsigned parens;	/* enclosing '(' only */
	struct cbench_expr *expr;
	const char *option;
	struct cbench_error *err;
};

/* ASCII only, never the locale's idea of a space or of case: a selection
 * must pick the same benchmarks whatever LANG says. */
static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool ends_name(char c)
{
	return c == '\0' || c == '(' || c == ')' || is_space(c);
}

/* Keywords are whole, lowercase words, as in pytest: "android" and "AND"
 * are names. */
static enum tok classify(const char *s, size_t len)
{
	if (len == 3 && memcmp(s, "and", 3) == 0)
		return TOK_AND;
	if (len == 2 && memcmp(s, "or", 2) == 0)
		return TOK_OR;
	if (len == 3 && memcmp(s, "not", 3) == 0)
		return TOK_NOT;
	return TOK_NAME;
}

static void advance(struct parser *p)
{
	const char *s = p->text;
	size_t i = p->start + p->len;

	while (is_space(s[i]))
		i++;
	p->start = i;
	if (s[i] == '\0') {
		p->tok = TOK_END;
		p->len = 0;
		return;
	}
	if (s[i] == '(' || s[i] == ')') {
		p->tok = s[i] == '(' ? TOK_LPAREN : TOK_RPAREN;
		p->len = 1;
		return;
	}
	while (!ends_name(s[i]))
		i++;
	p->len = i - p->start;
	p->tok = classify(s + p->start, p->len);
}

/* Columns count characters, not bytes, so that a UTF-8 benchmark id does
 * not push the reported column past the one the user sees. */
static size_t column(const char *text, size_t at)
{
	size_t col = 1;
	size_t i;

	for (i = 0; i < at; i++)
		if (((unsigned char)text[i] & 0xc0) != 0x80)
			col++;
	return col;
}

/* Copies the expression for quoting: one line (control characters become
 * spaces, which keeps the columns right) and cut at a character boundary. */
static void quote(char *out, const char *text)
{
	size_t len = strlen(text);
	bool cut = len > CBENCH_EXPR_QUOTE_MAX;
	size_t i;

	if (cut)
		len = cbench_utf8__prefix(text, len, CBENCH_EXPR_QUOTE_MAX - 3);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		out[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	if (cut) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
}

static int fail(struct parser *p, size_t at, const char *what)
{
	char quoted[CBENCH_EXPR_QUOTE_MAX + 1];

	quote(quoted, p->text);
	return cbench_error__set(p->err, CBENCH_EPARSE,
	                         "%s \"%s\": %s at column %zu", p->option,
	                         quoted, what, column(p->text, at));
}

static int no_memory(struct parser *p)
{
	return cbench_error__set(p->err, CBENCH_ENOMEM,
	                         "%s: out of memory parsing the expression",
	                         p->option);
}

static int add_node(struct parser *p, enum op op, size_t *out)
{
	struct cbench_expr *e = p->expr;

	if (e->count == e->cap) {
		/* Nodes never outnumber the bytes of the text, so this
		 * cannot overflow before malloc gives up. */
		size_t cap = e->cap ? e->cap * 2 : 16;
		struct node *nodes = realloc(e->nodes, cap * sizeof(*nodes));

		if (!nodes)
			return no_memory(p);
		e->nodes = nodes;
		e->cap = cap;
	}
	e->nodes[e->count].op = op;
	e->nodes[e->count].child = NO_NODE;
	e->nodes[e->count].next = NO_NODE;
	e->nodes[e->count].name = 0;
	*out = e->count++;
	return 0;
}

/* Both '(' and 'not' recurse, in the parser and later in the matcher. */
static int enter(struct parser *p)
{
	if (p->depth == CBENCH_EXPR_MAX_DEPTH)
		return fail(p, p->start, "nested deeper than "
		            CBENCH_EXPR_XSTR_(CBENCH_EXPR_MAX_DEPTH) " levels");
	p->depth++;
	return 0;
}

static int parse_name(struct parser *p, size_t *out)
{
	struct cbench_expr *e = p->expr;
	char *dst = e->names + e->names_len;
	size_t node;
	size_t i;
	int rc;

	assert(e->names_len + p->len < e->names_cap);
	rc = add_node(p, OP_NAME, &node);
	if (rc)
		return rc;
	e->nodes[node].name = e->names_len;
	for (i = 0; i < p->len; i++) {
		char c = p->text[p->start + i];

		dst[i] = e->kind == CBENCH_EXPR_KEYWORD ? fold(c) : c;
	}
	dst[i] = '\0';
	e->names_len += p->len + 1;
	*out = node;
	advance(p);
	return 0;
}

static int parse_or(struct parser *p, size_t *out);

static int parse_not(struct parser *p, size_t *out)
{
	size_t at = p->start;
	size_t node;
	size_t child;
	int rc;

	switch (p->tok) {
	case TOK_NAME:
		return parse_name(p, out);
	case TOK_NOT:
		rc = enter(p);
		if (rc)
			return rc;
		advance(p);
		rc = parse_not(p, &child);
		if (rc)
			return rc;
		p->depth--;
		rc = add_node(p, OP_NOT, &node);
		if (rc)
			return rc;
		p->expr->nodes[node].child = child;
		*out = node;
		return 0;
	case TOK_LPAREN:
		rc = enter(p);
		if (rc)
			return rc;
		advance(p);
		if (p->tok == TOK_RPAREN)
			return fail(p, at, "empty parentheses");
		p->parens++;
		rc = parse_or(p, out);
		if (rc)
			return rc;
		if (p->tok == TOK_END)
			return fail(p, at, "unclosed '('");
		if (p->tok != TOK_RPAREN)
			return fail(p, p->start, "expected 'and', 'or' or ')'");
		p->parens--;
		p->depth--;
		advance(p);
		return 0;
	case TOK_RPAREN:
		if (p->parens == 0)
			return fail(p, at, "unmatched ')'");
		/* fall through */
	default:
		return fail(p, at, "expected a name, 'not' or '('");
	}
}

/* One AND or OR node for the whole chain: see the top of the file. */
static int parse_chain(struct parser *p, enum tok tok, enum op op,
                       int (*operand)(struct parser *, size_t *),
                       size_t *out)
{
	size_t first;
	size_t last;
	size_t next;
	size_t node;
	int rc;

	rc = operand(p, &first);
	if (rc)
		return rc;
	if (p->tok != tok) {
		*out = first;
		return 0;
	}
	rc = add_node(p, op, &node);
	if (rc)
		return rc;
	p->expr->nodes[node].child = first;
	last = first;
	while (p->tok == tok) {
		advance(p);
		rc = operand(p, &next);
		if (rc)
			return rc;
		p->expr->nodes[last].next = next;
		last = next;
	}
	*out = node;
	return 0;
}

static int parse_and(struct parser *p, size_t *out)
{
	return parse_chain(p, TOK_AND, OP_AND, parse_not, out);
}

static int parse_or(struct parser *p, size_t *out)
{
	return parse_chain(p, TOK_OR, OP_OR, parse_and, out);
}

int cbench_expr__parse(struct cbench_expr **out, const char *text,
                       enum cbench_expr_kind kind, const char *option,
                       struct cbench_error *err)
{
	struct parser p;
	struct cbench_expr *e;
	int rc = 0;

	assert(out);
	assert(text);
	*out = NULL;

	memset(&p, 0, sizeof(p));
	p.text = text;
	p.option = option ? option : kind == CBENCH_EXPR_MARKER ? "-m" : "-k";
	p.err = err;

	e = calloc(1, sizeof(*e));
	if (!e)
		return no_memory(&p);
	e->kind = kind;
	p.expr = e;
	/*
	 * Every NAME is followed by a byte that belongs to no name (a space,
	 * a parenthesis or the final NUL), so the names and their NULs fit in
	 * as many bytes as the text and its NUL.
	 */
	e->names_cap = strlen(text) + 1;
	e->names = malloc(e->names_cap);
	if (!e->names) {
		rc = no_memory(&p);
		goto out;
	}

	advance(&p);
	if (p.tok == TOK_END) {
		rc = fail(&p, 0, "empty expression");
		goto out;
	}
	rc = parse_or(&p, &e->root);
	if (rc)
		goto out;
	if (p.tok == TOK_RPAREN)
		rc = fail(&p, p.start, "unmatched ')'");
	else if (p.tok != TOK_END)
		rc = fail(&p, p.start, "expected 'and' or 'or'");

out:
	if (rc) {
		cbench_expr__free(e);
		return rc;
	}
	*out = e;
	return 0;
}

/* `needle` is already folded. */
static bool contains_folded(const char *hay, const char *needle)
{
	for (; *hay; hay++) {
		size_t i = 0;

		/* The NUL ending hay never equals a byte of needle, so this
		 * stops at the end of either. */
		while (needle[i] && fold(hay[i]) == needle[i])
			i++;
		if (!needle[i])
			return true;
	}
	return false;
}

static bool name_matches(const struct cbench_expr *e, const char *name,
                         const char *const *subjects, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!subjects[i])
			continue;
		if (e->kind == CBENCH_EXPR_KEYWORD ?
		    contains_folded(subjects[i], name) :
		    strcmp(subjects[i], name) == 0)
			return true;
	}
	return false;
}

static bool eval(const struct cbench_expr *e, size_t at,
                 const char *const *subjects, size_t n)
{
	const struct node *node = &e->nodes[at];
	size_t c;

	switch (node->op) {
	case OP_NAME:
		return name_matches(e, e->names + node->name, subjects, n);
	case OP_NOT:
		return !eval(e, node->child, subjects, n);
	case OP_AND:
		for (c = node->child; c != NO_NODE; c = e->nodes[c].next)
			if (!eval(e, c, subjects, n))
				return false;
		return true;
	case OP_OR:
		for (c = node->child; c != NO_NODE; c = e->nodes[c].next)
			if (eval(e, c, subjects, n))
				return true;
		return false;
	}
	assert(!"unknown node");
	return false;
}

bool cbench_expr__match(const struct cbench_expr *expr,
                        const char *const *subjects, size_t n)
{
	assert(expr);
	assert(subjects || n == 0);
	return eval(expr, expr->root, subjects, n);
}

void cbench_expr__free(struct cbench_expr *expr)
{
	if (!expr)
		return;
	free(expr->nodes);
	free(expr->names);
	free(expr);
}

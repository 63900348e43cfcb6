/*
 * Escaping for XML, HTML, Markdown and the terminal: one table per format saying what
 * each ASCII byte becomes, and one loop that also replaces what is not
 * UTF-8 (Criterion's cri_escape_str in src/io/xml.c does the same for XML).
 * What "not UTF-8" means is base/utf8.c's, shared with every JSON writer.
 */
#include "reporters/escape.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/utf8.h"

#define REPLACEMENT CBENCH_UTF8_REPLACEMENT

/* Private to this file: the body of a Markdown code span. */
#define ESCAPE_CODE_BODY (CBENCH_ESCAPE_TERMINAL + 1)
#define NFORMATS (ESCAPE_CODE_BODY + 1)

/*
 * table[format][byte] for ASCII: NULL keeps a printable byte as it is and
 * turns a control character (below 0x20, and DEL) into U+FFFD; a string
 * replaces the byte. Control characters a format keeps are listed as
 * themselves.
 */
static const char *const table[NFORMATS][128] = {
	[CBENCH_ESCAPE_XML] = {
		['\t'] = "\t", ['\n'] = "\n", ['\r'] = "\r",
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
		['"'] = "&quot;", ['\''] = "&apos;",
	},
	[CBENCH_ESCAPE_XML_ATTR] = {
		['\t'] = "&#9;", ['\n'] = "&#10;", ['\r'] = "&#13;",
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
		['"'] = "&quot;", ['\''] = "&apos;",
	},
	[CBENCH_ESCAPE_HTML] = {
		['\t'] = "\t", ['\n'] = "\n", ['\r'] = "\r",
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
		['"'] = "&quot;", ['\''] = "&#39;",
	},
	[CBENCH_ESCAPE_MARKDOWN_CELL] = {
		['\t'] = " ", ['\n'] = "<br>", ['\r'] = "",
		['|'] = "&#124;", ['`'] = "&#96;", ['*'] = "&#42;", ['_'] = "&#95;",
		['['] = "&#91;", [']'] = "&#93;", ['~'] = "&#126;", ['$'] = "&#36;",
		['\\'] = "&#92;", ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
	},
	[CBENCH_ESCAPE_TERMINAL] = {
		['\t'] = "\\t", ['\n'] = "\\n", ['\r'] = "\\r",
	},
	[ESCAPE_CODE_BODY] = {
		['\t'] = "\t", ['\n'] = " ", ['\r'] = " ",
	},
};

/* Characters valid in UTF-8 that no name needs and that act on what
 * reads them: the C1 controls (U+009B is a CSI on some terminals) and the
 * bidirectional embeddings, overrides and isolates, which reorder what a
 * terminal, a browser or GitHub shows ("Trojan Source"). */
static bool hidden_control(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 2)
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	else if (n == 3)
		*cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	else
		return false;
	return (*cp >= 0x80 && *cp <= 0x9F) || (*cp >= 0x202A && *cp <= 0x202E) ||
	       (*cp >= 0x2066 && *cp <= 0x2069);
}

/* What a control character the table leaves out becomes: U+FFFD, or on a
 * terminal its code, visible. */
static int control(struct cbench_buf *b, int format, uint32_t c)
{
	if (format != CBENCH_ESCAPE_TERMINAL)
		return cbench_buf__adds(b, REPLACEMENT);
	if (c < 0x80)
		return cbench_buf__addf(b, "\\x%02x", (unsigned)c);
	return cbench_buf__addf(b, "\\u%04x", (unsigned)c);
}

static int escape(struct cbench_buf *b, int format, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, run = 0;
	int rc = 0;

	/* Bytes kept as they are are copied in runs, not one by one. */
	while (i < len && rc == 0) {
		const char *rep = NULL;
		bool ctl = false;
		uint32_t cp = 0;
		size_t n = 1;

		if (s[i] < 0x80) {
			rep = table[format][s[i]];
			ctl = !rep && (s[i] < 0x20 || s[i] == 0x7F);
		} else if ((n = cbench_utf8__char(s + i, len - i)) == 0) {
			rep = REPLACEMENT;
			n = 1;
		} else {
			ctl = hidden_control(s + i, n, &cp);
		}
		if (!rep && !ctl) {
			i += n;
			run += n;
			continue;
		}
		if (run)
			rc = cbench_buf__add(b, s + i - run, run);
		if (rc == 0 && rep)
			rc = cbench_buf__adds(b, rep);
		else if (rc == 0)
			rc = control(b, format, ctl && cp ? cp : s[i]);
		run = 0;
		i += n;
	}
	if (rc == 0 && run)
		rc = cbench_buf__add(b, s + i - run, run);
	return rc;
}

int cbench_escape__mem(struct cbench_buf *b, enum cbench_escape_format format,
                       const char *text, size_t len)
{
	return escape(b, (int)format, text, len);
}

int cbench_escape__xml(struct cbench_buf *b, const char *text)
{
	return escape(b, CBENCH_ESCAPE_XML, text, strlen(text));
}

int cbench_escape__xml_attr(struct cbench_buf *b, const char *text)
{
	return escape(b, CBENCH_ESCAPE_XML_ATTR, text, strlen(text));
}

int cbench_escape__html(struct cbench_buf *b, const char *text)
{
	return escape(b, CBENCH_ESCAPE_HTML, text, strlen(text));
}

int cbench_escape__markdown_cell(struct cbench_buf *b, const char *text)
{
	return escape(b, CBENCH_ESCAPE_MARKDOWN_CELL, text, strlen(text));
}

int cbench_escape__markdown_cell_n(struct cbench_buf *b, const char *text, size_t len)
{
	return escape(b, CBENCH_ESCAPE_MARKDOWN_CELL, text, len);
}

int cbench_escape__terminal(struct cbench_buf *b, const char *text)
{
	return escape(b, CBENCH_ESCAPE_TERMINAL, text, strlen(text));
}

static int fence(struct cbench_buf *b, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++)
		rc = cbench_buf__add(b, "`", 1);
	return rc;
}

int cbench_escape__markdown_code(struct cbench_buf *b, const char *text)
{
	size_t len = strlen(text), longest = 0, run = 0;
	bool pad;
	int rc;

	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		run = text[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	pad = text[0] == '`' || text[len - 1] == '`';
	rc = fence(b, longest + 1);
	if (rc == 0 && pad)
		rc = cbench_buf__add(b, " ", 1);
	if (rc == 0)
		rc = escape(b, ESCAPE_CODE_BODY, text, len);
	if (rc == 0 && pad)
		rc = cbench_buf__add(b, " ", 1);
	if (rc == 0)
		rc = fence(b, longest + 1);
	return rc;
}

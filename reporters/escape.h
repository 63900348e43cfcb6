#ifndef CBENCH_REPORTERS_ESCAPE_H
#define CBENCH_REPORTERS_ESCAPE_H

#include <stddef.h>

#include "base/buf.h"

/*
 * Escaping for every text format, in one place with a table per format
 * (Criterion's cri_escape_str). Each function appends `text` to `b`, made
 * safe for its context, and returns 0 or CBENCH_ENOMEM (the buffer's
 * error). In every format bytes that are not valid UTF-8 (and U+FFFE,
 * U+FFFF) become U+FFFD, as base/utf8.h repairs them, and so do control
 * characters the format cannot carry, so a name taken from anywhere keeps
 * the document well-formed; so do, in every format, the C1 controls
 * (U+0080..U+009F) and the bidirectional embeddings, overrides and
 * isolates (U+202A..U+202E, U+2066..U+2069), which would reorder what a
 * reader sees. JSON strings: cbench_utf8__json_string.
 */

enum cbench_escape_format {
	CBENCH_ESCAPE_XML,           /* element text */
	CBENCH_ESCAPE_XML_ATTR,      /* attribute values: also \t \n \r */
	CBENCH_ESCAPE_HTML,          /* text and attribute values */
	CBENCH_ESCAPE_MARKDOWN_CELL, /* inline Markdown, table cells included */
	CBENCH_ESCAPE_TERMINAL       /* text written to a terminal */
};

/* text[0..len) in `format`; text may hold NUL bytes. */
int cbench_escape__mem(struct cbench_buf *b, enum cbench_escape_format format,
                       const char *text, size_t len);

/*
 * XML 1.0 element text: & < > " ' as entities; control characters other
 * than tab, newline and carriage return (XML 1.0 forbids them) as U+FFFD.
 * "]]>" cannot occur in the output since ">" is escaped.
 */
int cbench_escape__xml(struct cbench_buf *b, const char *text);
/* An XML attribute value: as above, and tab, newline and carriage return
 * as character references, so parsers do not fold them into spaces. */
int cbench_escape__xml_attr(struct cbench_buf *b, const char *text);

/* HTML text or a quoted attribute value: & < > " '. */
int cbench_escape__html(struct cbench_buf *b, const char *text);

/*
 * Inline Markdown (GitHub flavour), safe inside a table cell: | ` * _ [ ]
 * ~ $ \ < > & become HTML entities (&#124; &#96; ... &lt; &gt; &amp;), which
 * GitHub renders as the characters, so a name cannot split a cell, open a
 * code span or a link, emphasize, or inject HTML. A newline becomes <br>,
 * a tab a space, a carriage return nothing.
 */
int cbench_escape__markdown_cell(struct cbench_buf *b, const char *text);
int cbench_escape__markdown_cell_n(struct cbench_buf *b, const char *text, size_t len);

/*
 * Text for a terminal (the console reporter, progress lines): nothing a
 * terminal would act on reaches it. C0 control characters and DEL are
 * shown as \xNN (\n, \r and \t as such), so an escape sequence in a name
 * cannot recolour, retitle or rewrite the screen, nor a newline or a
 * carriage return forge a line; the C1 controls U+0080..U+009F (a CSI on
 * some terminals) and the bidirectional overrides U+202A..U+202E,
 * U+2066..U+2069 (which reorder what is shown) as \uNNNN; bytes that are
 * not UTF-8 as U+FFFD. Everything else, backslashes included, as it is.
 */
int cbench_escape__terminal(struct cbench_buf *b, const char *text);

/*
 * An inline code span `text`, for text shown as typed (a platform id, a
 * branch). Code spans ignore entities, so the fence is made longer than any
 * run of backticks inside and padded with spaces when the text starts or
 * ends with one; newlines become spaces (a blank line would end the span).
 * Not for table cells: a | would still split the cell there.
 */
int cbench_escape__markdown_code(struct cbench_buf *b, const char *text);

#endif

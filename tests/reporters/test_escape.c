/*
 * Each escaper on tricky input, with the exact output expected.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cbench/error.h"
#include "reporters/escape.h"

typedef int (*escaper)(struct cbench_buf *, const char *);

/* The escaper's output for `in`, malloc'd. */
static char *esc(escaper fn, const char *in)
{
	struct cbench_buf b = CBENCH_BUF_INIT(1 << 20);
	char *out;

	cr_assert_eq(fn(&b, in), 0);
	out = cbench_buf__take(&b, NULL);
	cr_assert_not_null(out);
	return out;
}

static void check(escaper fn, const char *in, const char *want)
{
	char *got = esc(fn, in);

	cr_expect_str_eq(got, want, "input \"%s\"", in);
	free(got);
}

#define FFFD "\xEF\xBF\xBD"

Test(escape, xml_text)
{
	check(cbench_escape__xml, "", "");
	check(cbench_escape__xml, "plain text 123", "plain text 123");
	check(cbench_escape__xml, "a & b < c > d \"e\" 'f'",
	      "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;");
	check(cbench_escape__xml, "<![CDATA[x]]>", "&lt;![CDATA[x]]&gt;");
	check(cbench_escape__xml, "&amp;", "&amp;amp;");
	/* tab, newline, carriage return stay; other controls are not XML */
	check(cbench_escape__xml, "a\tb\nc\rd", "a\tb\nc\rd");
	check(cbench_escape__xml, "\x01\x1b[31m\x7f", FFFD FFFD "[31m" FFFD);
}

Test(escape, xml_attribute)
{
	check(cbench_escape__xml_attr, "a\tb\nc\rd", "a&#9;b&#10;c&#13;d");
	check(cbench_escape__xml_attr, "\"'<>&", "&quot;&apos;&lt;&gt;&amp;");
	check(cbench_escape__xml_attr, "\x0b", FFFD);
}

Test(escape, utf8)
{
	/* valid: 2, 3 and 4 bytes */
	check(cbench_escape__xml, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\x8A",
	      "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\x8A");
	/* stray bytes */
	check(cbench_escape__xml, "a\xff\xfe" "b", "a" FFFD FFFD "b");
	/* a cut sequence at the end, and in the middle */
	check(cbench_escape__xml, "x\xE2\x82", "x" FFFD FFFD);
	check(cbench_escape__xml, "\xE2\x82y", FFFD FFFD "y");
	/* overlong "/" and an overlong 3-byte form */
	check(cbench_escape__xml, "\xC0\xAF", FFFD FFFD);
	check(cbench_escape__xml, "\xE0\x80\xAF", FFFD FFFD FFFD);
	/* a UTF-16 surrogate, past U+10FFFF, and U+FFFE (not an XML char) */
	check(cbench_escape__xml, "\xED\xA0\x80", FFFD FFFD FFFD);
	check(cbench_escape__xml, "\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD);
	check(cbench_escape__xml, "\xEF\xBF\xBE", FFFD FFFD FFFD);
	/* every format repairs the same way */
	check(cbench_escape__html, "\xff", FFFD);
	check(cbench_escape__markdown_cell, "\xff", FFFD);
}

Test(escape, html)
{
	check(cbench_escape__html, "<script>alert('x' & \"y\")</script>",
	      "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
	check(cbench_escape__html, "a\nb|`*", "a\nb|`*");
	check(cbench_escape__html, "\x1b", FFFD);
}

Test(escape, markdown_cell)
{
	check(cbench_escape__markdown_cell, "sort.qsort[1000]", "sort.qsort&#91;1000&#93;");
	check(cbench_escape__markdown_cell, "a|b", "a&#124;b");
	check(cbench_escape__markdown_cell, "`code`", "&#96;code&#96;");
	check(cbench_escape__markdown_cell, "*b* _i_ ~~s~~ $x$",
	      "&#42;b&#42; &#95;i&#95; &#126;&#126;s&#126;&#126; &#36;x&#36;");
	check(cbench_escape__markdown_cell, "[x](http://e)", "&#91;x&#93;(http://e)");
	check(cbench_escape__markdown_cell, "<script>alert(1)</script>",
	      "&lt;script&gt;alert(1)&lt;/script&gt;");
	check(cbench_escape__markdown_cell, "a\\|b", "a&#92;&#124;b");
	check(cbench_escape__markdown_cell, "&#124;", "&amp;#124;");
	check(cbench_escape__markdown_cell, "one\ntwo\r\tthree", "one<br>two three");
	check(cbench_escape__markdown_cell, "\x01", FFFD);
	/* quotes and a leading # are harmless inside a cell */
	check(cbench_escape__markdown_cell, "\"q\" 'a' # h", "\"q\" 'a' # h");
}

Test(escape, markdown_cell_n)
{
	struct cbench_buf b = CBENCH_BUF_INIT(1024);

	cr_assert_eq(cbench_escape__markdown_cell_n(&b, "a|b|c", 3), 0);
	cr_assert_str_eq(cbench_buf__str(&b), "a&#124;b");
	cbench_buf__free(&b);
}

Test(escape, markdown_code)
{
	check(cbench_escape__markdown_code, "", "");
	check(cbench_escape__markdown_code, "GitHub_Actions_Linux", "`GitHub_Actions_Linux`");
	/* inside a code span nothing is markup: < | * stay */
	check(cbench_escape__markdown_code, "<b>|*", "`<b>|*`");
	check(cbench_escape__markdown_code, "a`b", "``a`b``");
	check(cbench_escape__markdown_code, "a``b`c", "```a``b`c```");
	check(cbench_escape__markdown_code, "`x`", "`` `x` ``");
	check(cbench_escape__markdown_code, "one\n\ntwo", "`one  two`");
	check(cbench_escape__markdown_code, "\xff\x01", "`" FFFD FFFD "`");
}

Test(escape, mem_format)
{
	struct cbench_buf b = CBENCH_BUF_INIT(1024);

	/* a NUL inside the length is a control character like the others */
	cr_assert_eq(cbench_escape__mem(&b, CBENCH_ESCAPE_XML, "a\0b", 3), 0);
	cr_assert_eq(cbench_buf__len(&b), 5);
	cr_assert_eq(memcmp(cbench_buf__str(&b), "a" FFFD "b", 5), 0);
	cbench_buf__free(&b);
}

Test(escape, failed_buffer)
{
	struct cbench_buf b = CBENCH_BUF_INIT(8);

	/* "&lt;&lt;" is 8 bytes: one more than fits with the NUL */
	cr_assert_eq(cbench_escape__xml(&b, "<<"), CBENCH_ENOMEM);
	cr_assert(b.failed);
	cr_assert_eq(cbench_escape__xml(&b, "a"), CBENCH_ENOMEM);
	cbench_buf__free(&b);
}

Test(escape, terminal)
{
	check(cbench_escape__terminal, "plain text 123 \\ é", "plain text 123 \\ é");
	/* what a terminal would act on is shown, not sent */
	check(cbench_escape__terminal, "\x1b[31mred", "\\x1b[31mred");
	check(cbench_escape__terminal, "\x1b]0;title\x07", "\\x1b]0;title\\x07");
	check(cbench_escape__terminal, "a\nb\rc\td\x7f\x01", "a\\nb\\rc\\td\\x7f\\x01");
	/* C1 CSI (U+009B) and a right-to-left override (U+202E) */
	check(cbench_escape__terminal, "x\xc2\x9b" "2J", "x\\u009b2J");
	check(cbench_escape__terminal, "\xe2\x80\xae" "abc\xe2\x81\xa6", "\\u202eabc\\u2066");
	/* markup means nothing to a terminal; bytes that are not UTF-8 */
	check(cbench_escape__terminal, "<b>&amp;</b>|`x`", "<b>&amp;</b>|`x`");
	check(cbench_escape__terminal, "bad\xff\xfe", "bad" FFFD FFFD);
}

Test(escape, terminal_nul_inside)
{
	struct cbench_buf b = CBENCH_BUF_INIT(64);

	cr_assert_eq(cbench_escape__mem(&b, CBENCH_ESCAPE_TERMINAL, "a\0b", 3), 0);
	cr_assert_str_eq(cbench_buf__str(&b), "a\\x00b");
	cbench_buf__free(&b);
}

Test(escape, hidden_controls_in_every_format)
{
	/* C1 CSI, right-to-left override, first strong isolate: no document
	 * carries them; ordinary non-ASCII text stays */
	const char *in = "a\xc2\x9b" "b\xe2\x80\xae" "c\xe2\x81\xa8" "d \xc2\xa0\xc3\xa9\xe2\x80\x94";
	const char *want = "a" FFFD "b" FFFD "c" FFFD "d \xc2\xa0\xc3\xa9\xe2\x80\x94";

	check(cbench_escape__xml, in, want);
	check(cbench_escape__xml_attr, in, want);
	check(cbench_escape__html, in, want);
	check(cbench_escape__markdown_cell, in, want);
}

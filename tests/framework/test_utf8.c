/*
 * base/utf8.c: the one validator and repairer of UTF-8 every format uses.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "cbench/error.h"

#define FFFD "\xEF\xBF\xBD"

static void repaired(const char *in, size_t len, const char *want)
{
	struct cbench_buf b = CBENCH_BUF_INIT(1 << 20);

	cr_assert_eq(cbench_utf8__repair(&b, in, len), 0);
	cr_expect_str_eq(cbench_buf__str(&b), want, "input \"%s\"", in);
	cr_expect_eq(cbench_utf8__valid(cbench_buf__str(&b), cbench_buf__len(&b)), true);
	cbench_buf__free(&b);
}

static void repaired_s(const char *in, const char *want)
{
	repaired(in, strlen(in), want);
}

Test(utf8, repair_keeps_valid_text_and_controls)
{
	repaired_s("", "");
	repaired_s("plain ascii", "plain ascii");
	repaired_s("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\x8A", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\x8A");
	/* only the encoding is repaired: control characters stay */
	repaired_s("\xff" "a\x01\n", FFFD "a\x01\n");
}

Test(utf8, repair_replaces_each_bad_byte)
{
	repaired_s("a\xff\xfe" "b", "a" FFFD FFFD "b");
	/* a cut sequence at the end, and in the middle */
	repaired_s("x\xE2\x82", "x" FFFD FFFD);
	repaired_s("\xE2\x82y", FFFD FFFD "y");
	/* overlong forms, a surrogate, past U+10FFFF, U+FFFE */
	repaired_s("\xC0\xAF", FFFD FFFD);
	repaired_s("\xE0\x80\xAF", FFFD FFFD FFFD);
	repaired_s("\xED\xA0\x80", FFFD FFFD FFFD);
	repaired_s("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD);
	repaired_s("\xEF\xBF\xBE", FFFD FFFD FFFD);
	/* a NUL inside the length is kept */
	{
		struct cbench_buf b = CBENCH_BUF_INIT(64);

		cr_assert_eq(cbench_utf8__repair(&b, "a\0\xff", 3), 0);
		cr_assert_eq(cbench_buf__len(&b), 5);
		cr_assert_eq(memcmp(cbench_buf__str(&b), "a\0" FFFD, 5), 0);
		cbench_buf__free(&b);
	}
}

Test(utf8, valid_and_char)
{
	cr_assert(cbench_utf8__valid("", 0));
	cr_assert(cbench_utf8__valid("\xE2\x82\xAC", 3));
	cr_assert_not(cbench_utf8__valid("\xE2\x82\xAC", 2));
	cr_assert_not(cbench_utf8__valid("\x80", 1));
	cr_assert_eq(cbench_utf8__char((const unsigned char *)"\xC3\xA9", 2), 2);
	cr_assert_eq(cbench_utf8__char((const unsigned char *)"\xF0\x9F\x93\x8A", 4), 4);
	cr_assert_eq(cbench_utf8__char((const unsigned char *)"\xF0\x9F\x93", 3), 0);
	cr_assert_eq(cbench_utf8__char((const unsigned char *)"a", 1), 0);
}

Test(utf8, repair_into_a_failed_buffer_fails)
{
	struct cbench_buf b = CBENCH_BUF_INIT(4);

	cr_assert_eq(cbench_utf8__repair(&b, "\xff\xff", 2), CBENCH_ENOMEM);
	cr_assert(b.failed);
	cbench_buf__free(&b);
}

Test(utf8, prefix)
{
	const char *s = "ab\xE2\x82\xAC" "cd"; /* ab€cd */

	cr_assert_eq(cbench_utf8__prefix(s, 7, 10), 7);
	cr_assert_eq(cbench_utf8__prefix(s, 7, 2), 2);
	cr_assert_eq(cbench_utf8__prefix(s, 7, 3), 2);
	cr_assert_eq(cbench_utf8__prefix(s, 7, 4), 2);
	cr_assert_eq(cbench_utf8__prefix(s, 7, 5), 5);
	cr_assert_eq(cbench_utf8__prefix(s, 7, 0), 0);
}

Test(utf8, json_string_of_anything)
{
	json_t *j = cbench_utf8__json_string("Caf\xe9 CPU");
	char *text;

	cr_assert_not_null(j);
	cr_expect_str_eq(json_string_value(j), "Caf" FFFD " CPU");
	text = json_dumps(j, JSON_ENCODE_ANY);
	cr_expect_str_eq(text, "\"Caf\xEF\xBF\xBD CPU\"");
	free(text);
	json_decref(j);
	j = cbench_utf8__json_string(NULL);
	cr_expect_str_eq(json_string_value(j), "");
	json_decref(j);
	j = cbench_utf8__json_string("\xE2\x82\xAC");
	cr_expect_str_eq(json_string_value(j), "\xE2\x82\xAC");
	json_decref(j);
}

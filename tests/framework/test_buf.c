/*
 * The growable string buffer: appends, printf, the maximum, and curl's
 * rule that a failed append frees the content and fails every later call.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cbench/error.h"

Test(buf, add_and_take)
{
	struct cbench_buf b = CBENCH_BUF_INIT(1024);
	size_t len;
	char *s;

	cr_assert_str_eq(cbench_buf__str(&b), "");
	cr_assert_eq(cbench_buf__add(&b, "abc", 3), 0);
	cr_assert_eq(cbench_buf__adds(&b, "def"), 0);
	cr_assert_eq(cbench_buf__add(&b, NULL, 0), 0);
	cr_assert_eq(cbench_buf__len(&b), 6);
	cr_assert_str_eq(cbench_buf__str(&b), "abcdef");
	s = cbench_buf__take(&b, &len);
	cr_assert_str_eq(s, "abcdef");
	cr_assert_eq(len, 6);
	free(s);
	/* taken: empty and usable again */
	cr_assert_eq(cbench_buf__len(&b), 0);
	cr_assert_eq(cbench_buf__adds(&b, "x"), 0);
	cr_assert_str_eq(cbench_buf__str(&b), "x");
	cbench_buf__free(&b);
}

Test(buf, take_empty)
{
	struct cbench_buf b = CBENCH_BUF_INIT(16);
	size_t len = 99;
	char *s = cbench_buf__take(&b, &len);

	cr_assert_not_null(s);
	cr_assert_str_eq(s, "");
	cr_assert_eq(len, 0);
	free(s);
}

Test(buf, addf_grows)
{
	struct cbench_buf b = CBENCH_BUF_INIT(1 << 20);

	for (int i = 0; i < 1000; i++)
		cr_assert_eq(cbench_buf__addf(&b, "%d,", i), 0);
	cr_assert_eq(strncmp(cbench_buf__str(&b), "0,1,2,", 6), 0);
	cr_assert_eq(strcmp(cbench_buf__str(&b) + cbench_buf__len(&b) - 4, "999,"), 0);
	cr_assert_eq(cbench_buf__addf(&b, "%s|%.3f", "long string that forces a regrowth", 1.5), 0);
	cr_assert_eq(strcmp(cbench_buf__str(&b) + cbench_buf__len(&b) - 6, "|1.500"), 0);
	cbench_buf__free(&b);
}

Test(buf, maximum_counts_the_nul)
{
	struct cbench_buf b = CBENCH_BUF_INIT(8);

	cr_assert_eq(cbench_buf__add(&b, "1234567", 7), 0);
	cr_assert_str_eq(cbench_buf__str(&b), "1234567");
	cr_assert_eq(cbench_buf__add(&b, "8", 1), CBENCH_ENOMEM);
	cbench_buf__free(&b);
}

Test(buf, failure_is_sticky)
{
	struct cbench_buf b = CBENCH_BUF_INIT(10);

	cr_assert_eq(cbench_buf__adds(&b, "abc"), 0);
	cr_assert_eq(cbench_buf__addf(&b, "%s", "far too long for ten bytes"), CBENCH_ENOMEM);
	/* the content is gone and every later call fails */
	cr_assert(b.failed);
	cr_assert_null(b.data);
	cr_assert_eq(cbench_buf__len(&b), 0);
	cr_assert_str_eq(cbench_buf__str(&b), "");
	cr_assert_eq(cbench_buf__adds(&b, "x"), CBENCH_ENOMEM);
	cr_assert_eq(cbench_buf__addf(&b, "%d", 1), CBENCH_ENOMEM);
	cr_assert_null(cbench_buf__take(&b, NULL));
	/* take (or free) resets it */
	cr_assert_eq(cbench_buf__adds(&b, "ok"), 0);
	cr_assert_str_eq(cbench_buf__str(&b), "ok");
	cbench_buf__free(&b);
}

Test(buf, addf_failure_keeps_nothing)
{
	struct cbench_buf b = CBENCH_BUF_INIT(64);

	cr_assert_eq(cbench_buf__adds(&b, "abc"), 0);
	/* fits the allocation (64) but not the maximum once formatted */
	cr_assert_eq(cbench_buf__addf(&b, "%070d", 1), CBENCH_ENOMEM);
	cr_assert(b.failed);
	cbench_buf__free(&b);
}

Test(buf, truncate)
{
	struct cbench_buf b = CBENCH_BUF_INIT(64);

	cbench_buf__adds(&b, "hello world");
	cbench_buf__truncate(&b, 5);
	cr_assert_str_eq(cbench_buf__str(&b), "hello");
	cbench_buf__truncate(&b, 50);
	cr_assert_str_eq(cbench_buf__str(&b), "hello");
	cbench_buf__free(&b);
}

Test(buf, init)
{
	struct cbench_buf b;

	cbench_buf__init(&b, 4);
	cr_assert_eq(cbench_buf__adds(&b, "abc"), 0);
	cr_assert_eq(cbench_buf__adds(&b, "d"), CBENCH_ENOMEM);
	cbench_buf__free(&b);
	cr_assert_eq(b.max, 4);
}

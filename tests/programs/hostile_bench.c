/*
 * A benchmark program whose parameters, markers, metric names, units and
 * messages hold every kind of hostile text: markup (< & " ]]> | ` <!--
 * </script>), newlines, terminal escape sequences, invalid UTF-8 and a
 * 10,000-character name. tests/reporters/test_hostile.c runs it and checks
 * every output it and the cbench tool write from it.
 */
#include <string.h>

#include <cbench.h>

/* Kept in a string split where a hex escape would swallow what follows. */
#define MARKUP "<b>&amp;\"'</b>|`x`]]><!--</script><script>alert(1)</script>"
#define TERMINAL "\x1b[31mred\x1b]0;title\x07\rback\xc2\x9b" "2J\xe2\x80\xae" "rtl"
#define BYTES "bad\xff\xfe\xc0\xaf"

static char long_name[10001];

static const char *long_metric(void)
{
	static const char piece[] = "long|<script>`&_*";

	for (size_t i = 0; i < sizeof(long_name) - 1; i++)
		long_name[i] = piece[i % (sizeof(piece) - 1)];
	return long_name;
}

CBENCH_EX(hostile, metrics, .iterations = 5, .batch = 1,
          .params = CBENCH_PARAMS(MARKUP, TERMINAL "\nline2", BYTES),
          .markers = "quick m<!--|`x`&\"</script>]]>")
{
	CBENCH_MEASURE {
		cbench_keep(cbench_param_index());
	}
	cbench_metric("m " MARKUP, 1.5, "u" MARKUP, CBENCH_LOWER_IS_BETTER);
	cbench_metric("t " TERMINAL "\r\n\t", 2.5, TERMINAL, CBENCH_HIGHER_IS_BETTER);
	cbench_metric("b " BYTES, 3.5, BYTES, CBENCH_LOWER_IS_BETTER);
	cbench_metric(long_metric(), 4.5, "ops/s", CBENCH_HIGHER_IS_BETTER);
	/* formulas, for a spreadsheet opening the CSV export */
	cbench_metric("=HYPERLINK(\"http://x\")", 5.5, "@SUM(1)", CBENCH_LOWER_IS_BETTER);
}

CBENCH(hostile, skipped, .iterations = 3, .min_time = 0.001)
{
	cbench_skip("skip " MARKUP " " TERMINAL " " BYTES "\nsecond line");
}

CBENCH(hostile, failed, .iterations = 3, .min_time = 0.001)
{
	cbench_fail("fail " MARKUP " " TERMINAL " " BYTES "\nsecond line");
}

/*
 * The one UTF-8 validator and repairer: the escapes of every format, the
 * JSON strings of every writer and the history's exports all use it.
 */
#include "base/utf8.h"

#include <stdint.h>
#include <string.h>

size_t cbench_utf8__char(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		cp = s[0] & 0x1Fu;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		cp = s[0] & 0x0Fu;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		cp = s[0] & 0x07u;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3Fu);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
		return 0;
	return len;
}

bool cbench_utf8__valid(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;

	for (size_t i = 0, n; i < len; i += n) {
		n = 1;
		if (s[i] >= 0x80 && (n = cbench_utf8__char(s + i, len - i)) == 0)
			return false;
	}
	return true;
}

int cbench_utf8__repair(struct cbench_buf *b, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, run = 0;
	int rc = 0;

	/* Valid bytes are copied in runs, not one by one. */
	while (i < len && rc == 0) {
		size_t n = 1;

		if (s[i] < 0x80 || (n = cbench_utf8__char(s + i, len - i)) != 0) {
			i += n;
			run += n;
			continue;
		}
		if (run)
			rc = cbench_buf__add(b, s + i - run, run);
		if (rc == 0)
			rc = cbench_buf__adds(b, CBENCH_UTF8_REPLACEMENT);
		run = 0;
		i++;
	}
	if (rc == 0 && run)
		rc = cbench_buf__add(b, s + i - run, run);
	return rc;
}

size_t cbench_utf8__prefix(const char *text, size_t len, size_t max)
{
	size_t cut;

	if (len <= max)
		return len;
	cut = max;
	/* Back off continuation bytes (10xxxxxx): at most three of them. */
	for (int k = 0; k < 3 && cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80; k++)
		cut--;
	return cut;
}

json_t *cbench_utf8__json_string(const char *s)
{
	struct cbench_buf b = CBENCH_BUF_INIT((size_t)1 << 30);
	size_t len;
	json_t *j;

	if (!s)
		s = "";
	len = strlen(s);
	if (cbench_utf8__valid(s, len))
		return json_stringn(s, len);
	if (cbench_utf8__repair(&b, s, len) != 0)
		return NULL;
	j = json_stringn(cbench_buf__str(&b), cbench_buf__len(&b));
	cbench_buf__free(&b);
	return j;
}

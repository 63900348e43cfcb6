/*
 * What GitHub's API sends back: the first byte picks the parser, the rest is
 * the input. 0: a Link header's value; 1: an error answer's body; 2: a page
 * of a comment or issue list (each element tried as the marked comment and
 * as the titled issue, as the client does).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "net/github.h"
#include "fuzz.h"

CBENCH_FUZZ_TARGET(github)
{
	char msg[256];

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0: {
		char *value = fuzz_cstr(data + 1, size - 1), *next = cbench_github__link_next(value);

		if (next && strlen(next) >= size)
			abort();   /* a URL longer than the header it came from */
		free(next);
		free(value);
		break;
	}
	case 1:
		cbench_github__error_message((const char *)data + 1, size - 1, msg, sizeof(msg));
		for (const char *p = msg; *p; p++)
			if ((unsigned char)*p < 0x20)
				abort();   /* control characters would reach the terminal */
		break;
	default: {
		json_t *page = json_loadb((const char *)data + 1, size - 1, 0, NULL), *item;
		size_t i;
		long long id;

		json_array_foreach(page, i, item) {
			(void)cbench_github__is_comment(item, "<!-- cbench-performance-report -->", &id);
			(void)cbench_github__is_issue(item, "Performance regression", &id);
		}
		json_decref(page);
		break;
	}
	}
	return 0;
}

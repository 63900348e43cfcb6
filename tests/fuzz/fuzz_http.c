/* The HTTP load helper's input: a URL, a method and header lines, as a
 * benchmark hands them to cbench_http_load_new (which parses and checks
 * them and prepares the transfers; nothing is sent). The first byte
 * picks the concurrency (1 to 4) and whether a body is given; then the
 * URL up to a newline, the method up to the next, each later line a
 * header. */
#include <stdlib.h>
#include <string.h>

#include "cbench/http.h"
#include "fuzz.h"

#define MAX_HEADERS 16

CBENCH_FUZZ_TARGET(http)
{
	struct cbench_http_options o;
	struct cbench_http_load *load = NULL;
	struct cbench_error err;
	const char *headers[MAX_HEADERS + 1];
	size_t n = 0;
	char *text, *method = NULL, *nl;
	int rc;

	if (size < 1)
		return 0;
	text = fuzz_cstr(data + 1, size - 1);
	if ((nl = strchr(text, '\n'))) {
		*nl = '\0';
		method = nl + 1;
		if ((nl = strchr(method, '\n'))) {
			*nl = '\0';
			while (nl && n < MAX_HEADERS) {
				headers[n++] = nl + 1;
				if ((nl = strchr(nl + 1, '\n')))
					*nl = '\0';
			}
		}
	}
	headers[n] = NULL;
	memset(&o, 0, sizeof(o));
	o.url = text;
	o.method = method && *method ? method : NULL;
	o.headers = headers;
	o.concurrency = 1 + (data[0] & 3);
	if (data[0] & 4) {
		o.body = data;
		o.body_len = size;
	}
	rc = cbench_http_load_new(&load, &o, &err);
	if (rc == 0) {
		if (!load)
			abort();
		cbench_http_load_free(load);
	} else if (load || !memchr(err.text, '\0', sizeof(err.text)) || err.text[0] == '\0') {
		abort(); /* a failure is a one-line message and no load */
	}
	free(text);
	return 0;
}

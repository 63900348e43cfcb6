/* A results JSON (cbench report --from, cbench history import). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "model/results.h"
#include "fuzz.h"

CBENCH_FUZZ_TARGET(results)
{
	struct cbench_results *r = NULL;
	struct cbench_error err;
	json_error_t jerr;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);

	if (!doc)
		return 0;
	if (cbench_results__from_json(&r, doc, "fuzz.json", &err) == 0) {
		const struct cbench_run *run = cbench_results__run(r);

		if (!run)
			abort();
		cbench_results__free(r);
	} else if (!memchr(err.text, '\0', sizeof(err.text))) {
		abort();
	}
	return 0;
}

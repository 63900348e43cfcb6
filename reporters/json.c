/*
 * --json FILE: the results as one JSON document (schema "cbench-results/1",
 * described in docs/results-json.md), written by the model's encoder as
 * the run goes (model/encode.c: each benchmark formatted as it arrives),
 * and replaced atomically at finish.
 */
#include <stdlib.h>
#include <string.h>

#include "cbench/reporter.h"
#include "base/error.h"
#include "base/fileio.h"
#include "model/results.h"

#define MAX_JSON_BYTES ((size_t)1 << 34)

struct json_reporter {
	char *path;
	struct cbench_results_writer *w;
};

static int open_json(void **out, const char *path,
                     const struct cbench_report_config *config,
                     struct cbench_error *err)
{
	struct json_reporter *r = calloc(1, sizeof(*r));

	if (!r || !(r->path = strdup(path)) ||
	    cbench_results__writer_new(&r->w, config->samples, MAX_JSON_BYTES)) {
		if (r)
			free(r->path);
		free(r);
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	}
	*out = r;
	return 0;
}

static int context_json(void *self, const struct cbench_run *run,
                        struct cbench_error *err)
{
	struct json_reporter *r = self;

	if (cbench_results__writer_begin(r->w, run))
		return cbench_error__set(err, CBENCH_ENOMEM, "%s: out of memory formatting JSON",
		                         r->path);
	return 0;
}

static int result_json(void *self, const struct cbench_result *res,
                       struct cbench_error *err)
{
	struct json_reporter *r = self;

	if (cbench_results__writer_add(r->w, res))
		return cbench_error__set(err, CBENCH_ENOMEM, "%s: out of memory formatting %s",
		                         r->path, res->id);
	return 0;
}

static int finish_json(void *self, const struct cbench_run *run,
                       struct cbench_error *err)
{
	struct json_reporter *r = self;
	char *text;
	size_t len;
	int rc;

	rc = cbench_results__writer_finish(r->w, run, &text, &len);
	if (rc == CBENCH_ERROR)
		return cbench_error__set(err, CBENCH_ERROR, "%s: unexpected JSON layout", r->path);
	if (rc)
		return cbench_error__set(err, CBENCH_ENOMEM, "%s: out of memory formatting JSON",
		                         r->path);
	rc = cbench_file__write_atomic(r->path, text, len, err);
	free(text);
	return rc;
}

static void close_json(void *self)
{
	struct json_reporter *r = self;

	if (!r)
		return;
	cbench_results__writer_free(r->w);
	free(r->path);
	free(r);
}

const struct cbench_reporter cbench_reporter_json = {
	CBENCH_REPORTER_VERSION, "json",
	open_json, context_json, result_json, finish_json, close_json
};

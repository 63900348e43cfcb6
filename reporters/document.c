#include "reporters/document.h"

#include <stdlib.h>

#include "base/error.h"
#include "base/fileio.h"
#include "base/util.h"

struct document {
	char *path;
	cbench_document_build_fn build;
	size_t max;
};

int cbench_document__open(void **out, const char *path, cbench_document_build_fn build,
                          size_t max, struct cbench_error *err)
{
	struct document *d = calloc(1, sizeof(*d));

	if (!d || !(d->path = cbench__strdup(path))) {
		free(d);
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	}
	d->build = build;
	d->max = max;
	*out = d;
	return 0;
}

int cbench_document__context(void *self, const struct cbench_run *run,
                             struct cbench_error *err)
{
	(void)self;
	(void)run;
	(void)err;
	return 0;
}

int cbench_document__result(void *self, const struct cbench_result *res,
                            struct cbench_error *err)
{
	(void)self;
	(void)res;
	(void)err;
	return 0;
}

int cbench_document__finish(void *self, const struct cbench_run *run,
                            struct cbench_error *err)
{
	struct document *d = self;
	struct cbench_buf b;
	size_t len;
	char *text;
	int rc;

	cbench_buf__init(&b, d->max);
	if (d->build(&b, run) != 0 || !(text = cbench_buf__take(&b, &len))) {
		cbench_buf__free(&b);
		return cbench_error__set(err, CBENCH_ENOMEM,
		                         "%s: out of memory formatting the report", d->path);
	}
	rc = cbench_file__write_atomic(d->path, text, len, err);
	free(text);
	return rc;
}

void cbench_document__close(void *self)
{
	struct document *d = self;

	if (!d)
		return;
	free(d->path);
	free(d);
}

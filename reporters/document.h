#ifndef CBENCH_REPORTERS_DOCUMENT_H
#define CBENCH_REPORTERS_DOCUMENT_H

#include <stddef.h>

#include "base/buf.h"
#include "cbench/reporter.h"

/*
 * The callbacks of a reporter that writes its whole document at finish,
 * from run->results (Markdown and JUnit: a summary or a suite's counts must
 * see every result first). A format provides only `build`, which appends
 * the document to a buffer of at most `max` bytes.
 */
typedef int (*cbench_document_build_fn)(struct cbench_buf *b, const struct cbench_run *run);

int cbench_document__open(void **out, const char *path, cbench_document_build_fn build,
                          size_t max, struct cbench_error *err);
int cbench_document__context(void *self, const struct cbench_run *run,
                             struct cbench_error *err);
int cbench_document__result(void *self, const struct cbench_result *res,
                            struct cbench_error *err);
int cbench_document__finish(void *self, const struct cbench_run *run,
                            struct cbench_error *err);
void cbench_document__close(void *self);

#endif

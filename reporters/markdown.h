#ifndef CBENCH_REPORTERS_MARKDOWN_H
#define CBENCH_REPORTERS_MARKDOWN_H

/*
 * The hidden first line of the pull-request comment (--markdown): a CI step
 * finds the bot's earlier comment by it and updates it instead of posting a
 * new one. Keep it byte for byte: workflows search for this string.
 */
#define CBENCH_MARKDOWN_MARKER "<!-- cbench-report -->"

/* GitHub refuses comment bodies over 65,536 characters; the report stays
 * within this many bytes (so within that many characters), with room to
 * spare for a workflow that adds a line. */
#define CBENCH_MARKDOWN_BUDGET 65000

/* The verdict heading of a report with a confirmed regression: `cbench
 * github issue` tells a clean report by its absence. */
#define CBENCH_MARKDOWN_REGRESSED "### \xE2\x9D\x8C Regressions Detected"

#include <stddef.h>

#include "base/buf.h"
#include "cbench/reporter.h"

/*
 * One comment for several runs, one per platform (a CI matrix): the marker
 * once, a table of each platform's verdict, then a section per run as
 * --markdown would write it, within CBENCH_MARKDOWN_BUDGET together (a
 * section over its share is summarised). 0 or CBENCH_ENOMEM.
 */
int cbench_markdown__merge(struct cbench_buf *b, const struct cbench_run *const *runs,
                           size_t n);

#endif

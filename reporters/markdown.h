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

#endif

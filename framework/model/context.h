#ifndef CBENCH_FRAMEWORK_CONTEXT_H
#define CBENCH_FRAMEWORK_CONTEXT_H

#include <stdint.h>

#include <jansson.h>

#include "cbench/reporter.h"

/*
 * What a run measured on and what it measured, as the results JSON
 * carries them ("platform", "git"); env/ only detects them.
 */

/* RAM as people name it: 23.4 GiB is 24, 15.6 GiB is 16. */
unsigned cbench_context__ram_gb(uint64_t bytes);

/* The platform as the JSON object `cbench platform --json` prints and the
 * results JSON carries under "platform" (text that is not UTF-8 repaired
 * to U+FFFD); and back (unknown keys ignored, missing ones left empty;
 * CBENCH_EPARSE naming the key on a wrong type). */
json_t *cbench_context__platform_to_json(const struct cbench_platform *p);
int cbench_context__platform_from_json(struct cbench_platform *out, const json_t *obj,
                                       struct cbench_error *err);

/* The "git" object of the results JSON (null fields when not present);
 * and back. */
json_t *cbench_context__git_to_json(const struct cbench_git *g);
int cbench_context__git_from_json(struct cbench_git *out, const json_t *obj,
                                  struct cbench_error *err);

#endif

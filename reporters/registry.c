/*
 * The output formats by name, and the loop that drives one
 * (reporters/registry.h).
 */
#include "reporters/registry.h"

#include <assert.h>
#include <string.h>

#include "base/error.h"
#include "base/locale.h"

static const struct cbench_reporter *const reporters[] = {
	&cbench_reporter_console,
	&cbench_reporter_json,
	&cbench_reporter_markdown,
	&cbench_reporter_junit,
	&cbench_reporter_gbench,
	&cbench_reporter_html,
};

#define NREPORTERS (sizeof(reporters) / sizeof(reporters[0]))

int cbench_reporters__find(const struct cbench_reporter **out, const char *name,
                           const char *what, struct cbench_error *err)
{
	char names[128] = "";
	size_t len = 0;

	assert(out && name && what);
	*out = NULL;
	for (size_t i = 0; i < NREPORTERS; i++) {
		if (strcmp(reporters[i]->name, name) == 0) {
			*out = reporters[i];
			return 0;
		}
	}
	/* "console, json, ... or html", from the table itself. */
	for (size_t i = 0; i < NREPORTERS && len < sizeof(names); i++) {
		int n = snprintf(names + len, sizeof(names) - len, "%s%s",
		                 i == 0 ? "" : i + 1 == NREPORTERS ? " or " : ", ",
		                 reporters[i]->name);

		if (n < 0)
			break;
		len += (size_t)n;
	}
	return cbench_error__set(err, CBENCH_EUSAGE, "%s: '%s' is not %s", what, name, names);
}

int cbench_reporters__emit(const struct cbench_reporter *rep, const char *path,
                           const struct cbench_report_config *cfg,
                           const struct cbench_run *run, struct cbench_error *err)
{
	struct cbench_locale locale;
	void *self = NULL;
	int rc;

	assert(rep && path && cfg && run);
	/* The version comes first in the table, so it can be read whatever
	 * the rest of a foreign table looks like. */
	if (rep->version != CBENCH_REPORTER_VERSION)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "reporter '%s': table version %u, this cbench reads "
		                         "version %d", rep->name ? rep->name : "?", rep->version,
		                         CBENCH_REPORTER_VERSION);
	/* Numbers in reports never follow the user's locale. */
	cbench_locale__c_begin(&locale);
	rc = rep->open(&self, path, cfg, err);
	if (rc == 0)
		rc = rep->context(self, run, err);
	for (size_t i = 0; rc == 0 && i < run->nresults; i++)
		rc = rep->result(self, &run->results[i], err);
	if (rc == 0)
		rc = rep->finish(self, run, err);
	if (self)
		rep->close(self);
	cbench_locale__c_end(&locale);
	return rc;
}

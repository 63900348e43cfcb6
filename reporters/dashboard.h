#ifndef CBENCH_FRAMEWORK_DASHBOARD_H
#define CBENCH_FRAMEWORK_DASHBOARD_H

#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"
#include "cbench/reporter.h"

/*
 * The trend dashboard: one standalone HTML page (no network: the charting
 * library, dygraphs, is inlined) with a chart per metric and a line per
 * platform, its baseline dashed and its regression threshold dotted red.
 * Built from data in memory, so it is tested without a database; `cbench
 * dashboard` (framework/tool/dashboard.c) fills it from the history.
 */

/* Where Debian's libjs-dygraphs puts the library; CBENCH_DYGRAPHS_DIR
 * overrides it. */
#define CBENCH_DYGRAPHS_DIR "/usr/share/javascript/dygraphs"

/* One platform's values of a metric, oldest first. */
struct cbench_dashboard_series {
	const char *platform;
	size_t n;
	const double *t;               /* seconds since the epoch */
	const double *value;           /* NAN: the point is left out */
	const char *const *commit;     /* short ids; NULL (or NULL/"" items): unknown */
	double baseline;               /* NAN if none */
	double threshold;              /* a fraction, e.g. 0.2; NAN if none */
};

struct cbench_dashboard_metric {
	const char *name;
	const char *unit;              /* NULL or "" when unitless */
	enum cbench_direction direction;
	const struct cbench_dashboard_series *series;
	size_t nseries;
};

/*
 * Appends the page for metrics m[0..n) to `out`. `generated_at` is seconds
 * since the epoch, shown in the header. Points whose time or value is not
 * finite are left out. Values keep 6 significant digits (of the largest in
 * their series); times are whole seconds. All metrics of one platform share a table of
 * runs (time, commit), so a page of 50 metrics x 10 platforms x 90 days
 * stays well under 1 MB. Returns 0; CBENCH_EIO naming the file (and the
 * libjs-dygraphs package) when dygraphs cannot be read; CBENCH_ENOMEM.
 */
int cbench_dashboard__render(struct cbench_buf *out, const struct cbench_dashboard_metric *m,
                             size_t n, const char *title, double generated_at,
                             struct cbench_error *err);

struct cbench_history;

struct cbench_dashboard_summary {
	size_t metrics, platforms, points;
	size_t bytes;                  /* of the page */
};

/*
 * The page of every metric `h` recorded in the `days` days before `now`
 * (0: the current time; days 0: everything), of `platforms` (NULL: all),
 * appended to `out`. Each platform is a series; its baseline and threshold
 * are those of its most recent point, a metric's unit and direction those
 * of its most recent point. `summary` (may be NULL) gets the counts.
 * Returns 0, or the history's or cbench_dashboard__render's error.
 */
int cbench_dashboard__from_history(struct cbench_buf *out, struct cbench_history *h,
                                   double days, double now, const char *const *platforms,
                                   size_t nplatforms, const char *title, double generated_at,
                                   struct cbench_dashboard_summary *summary,
                                   struct cbench_error *err);

/*
 * For other pages with charts (reporters/html.c): appends
 * <style>dygraph.min.css</style><script>dygraph.min.js</script>, read from
 * $CBENCH_DYGRAPHS_DIR or CBENCH_DYGRAPHS_DIR. CBENCH_EIO when unreadable.
 */
int cbench_dashboard__add_dygraphs(struct cbench_buf *out, struct cbench_error *err);

/*
 * Appends `doc` as compact JSON that is safe inside any <script> element:
 * '/' is escaped (JSON_ESCAPE_SLASH) and '<' and '>' are written as \u003c
 * and \u003e, so neither "</script" nor "<!--" can appear. Reals keep 6
 * significant digits. 0 or CBENCH_ENOMEM.
 */
int cbench_dashboard__add_json(struct cbench_buf *out, const json_t *doc);

/*
 * The page's self-check, for a script after the charts are drawn: counts
 * charts (elements with class "cbench-chart" holding a canvas) and the
 * series of each, looks for coloured pixels in each chart's canvases, and
 * writes "charts=N series=M blank=B errors=E" (and window.cbenchExtra,
 * e.g. " hover=ok", when a page sets it) into <pre id="cbench-selfcheck">
 * and the document title. `errors` counts
 * uncaught script errors (CBENCH_DASHBOARD_ERRORS_JS counts them from the
 * <head>). The script defines cbenchSelfCheck(charts), charts being an
 * array of the Dygraph objects drawn.
 */
extern const char cbench_dashboard__selfcheck_js[];
/* Helpers the scripts share: cbenchEsc(s) (HTML escaping, for what
 * dygraphs writes with innerHTML), cbenchNum(v), cbenchDur(seconds) and
 * cbenchFormatter(unit) (a value in human units). */
extern const char cbench_dashboard__common_js[];
extern const char cbench_dashboard__errors_js[];

#endif

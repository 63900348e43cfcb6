#ifndef CBENCH_TESTS_CHROMIUM_H
#define CBENCH_TESTS_CHROMIUM_H

/* Headless Chromium for the tests of generated pages. */

#define SUPPORT_CHROMIUM "/usr/bin/chromium"

/* Skips the test, saying why, when Chromium is not installed. */
void support_need_chromium(void);

/*
 * Runs headless Chromium on the file `page` with `what` (--dump-dom, or
 * --screenshot=FILE), standard output to `out`, in a fresh profile, with
 * the network-related background work off; fails the test when it exits
 * badly, and kills it after 45 s.
 */
void support_chromium(const char *page, const char *what, const char *out);

/*
 * Loads `page` and returns the text of its <pre id="cbench-selfcheck">
 * (malloc'd), which the page's script writes after drawing; *dom (when not
 * NULL) gets the whole dumped document.
 */
char *support_chromium_selfcheck(const char *page, char **dom);

#endif

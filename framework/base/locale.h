#ifndef CBENCH_FRAMEWORK_LOCALE_H
#define CBENCH_FRAMEWORK_LOCALE_H

#include <locale.h>

/*
 * The calling thread in the C locale for a while: numbers written to
 * reports, dashboards and the database never follow the user's locale
 * ("1,5" for 1.5), whatever LC_NUMERIC says. Thread-local (uselocale), so
 * the process's setlocale is untouched.
 *
 *     struct cbench_locale l;
 *
 *     cbench_locale__c_begin(&l);
 *     ... format numbers ...
 *     cbench_locale__c_end(&l);
 *
 * Should the C locale not be creatable (out of memory), the thread keeps
 * its locale: begin and end still pair up.
 */
struct cbench_locale {
	locale_t c;
	locale_t saved;
};

void cbench_locale__c_begin(struct cbench_locale *l);
void cbench_locale__c_end(struct cbench_locale *l);

#endif

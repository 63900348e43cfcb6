/*
 * The switch to the C locale every writer of numbers makes
 * (base/locale.h).
 */
#include "base/locale.h"

#include <assert.h>

void cbench_locale__c_begin(struct cbench_locale *l)
{
	assert(l);
	l->saved = (locale_t)0;
	l->c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (l->c)
		l->saved = uselocale(l->c);
}

void cbench_locale__c_end(struct cbench_locale *l)
{
	assert(l);
	if (!l->c)
		return;
	uselocale(l->saved);
	freelocale(l->c);
	l->c = (locale_t)0;
}

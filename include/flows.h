#ifndef SIGNALDESK_FLOWS_H
#define SIGNALDESK_FLOWS_H

#include "dupes.h"
#include "ui.h"

/* The steps of a user action that more than one screen offers: asking,
 * checking, doing it in one transaction and saying what happened. */

/* Offers the allowed next statuses of a signal, asks for the public comment
 * where the workflow needs one, and changes it.  Returns 1 when changed. */
int flow_change_status(struct app *app, long long id, int version, const char *status);

/* Merges signals into one (n >= 2, each with the version the operator saw):
 * asks which is the main signal in a menu (the oldest first, so F8 then
 * Enter merges), asks again when they lie far apart or in different
 * categories, merges in one transaction and says what happened.  Any screen
 * can offer it: the duplicates screen with its marks, the queue with its
 * tagged signals.  Returns 1 when merged. */
int flow_merge(struct app *app, const struct merge_item *items, int n);

/* Undoes the merge that made the signal a duplicate (or the last merge into
 * it), after showing which signals it brings back.  Returns 1 when undone. */
int flow_unmerge(struct app *app, long long signal_id);

/* The status menu's "duplicate": asks the number of the main signal (the
 * best candidate offered) and merges the signal into it.  Returns 1 when
 * merged. */
int flow_mark_duplicate(struct app *app, long long id, int version);

#endif

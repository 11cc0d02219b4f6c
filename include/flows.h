#ifndef SIGNALDESK_FLOWS_H
#define SIGNALDESK_FLOWS_H

#include "ui.h"

/* The steps of a user action that more than one screen offers: asking,
 * checking, doing it in one transaction and saying what happened. */

/* Offers the allowed next statuses of a signal, asks for the public comment
 * where the workflow needs one, and changes it.  Returns 1 when changed. */
int flow_change_status(struct app *app, long long id, int version, const char *status);

/* Moves signals to another unit, to an operator or to nobody: asks where
 * and why, moves them all in one transaction (every move an event), and
 * says what happened.  When some were changed by someone else meanwhile (or
 * closed), nothing is moved: they are listed and the person is asked whether
 * to move the others.  Refused for operators.  Returns how many moved. */
int flow_move(struct app *app, const struct sig_ref *items, int n);

#endif

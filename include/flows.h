#ifndef SIGNALDESK_FLOWS_H
#define SIGNALDESK_FLOWS_H

#include "ui.h"

/* The steps of a user action that more than one screen offers: asking,
 * checking, doing it in one transaction and saying what happened. */

/* Offers the allowed next statuses of a signal, asks for the public comment
 * where the workflow needs one, and changes it.  Returns 1 when changed. */
int flow_change_status(struct app *app, long long id, int version, const char *status);

#endif

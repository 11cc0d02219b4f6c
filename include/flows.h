#ifndef SIGNALDESK_FLOWS_H
#define SIGNALDESK_FLOWS_H

#include "query.h"
#include "ui.h"

/* The steps of a user action that more than one screen offers: asking,
 * checking, doing it in one transaction and saying what happened. */

/* Offers the allowed next statuses of a signal, asks for the public comment
 * where the workflow needs one, and changes it.  Returns 1 when changed. */
int flow_change_status(struct app *app, long long id, int version, const char *status);

/* Asks for a CSV file and an import profile, then opens the import screen. */
void flow_import(struct app *app);
/* What the import screen is opened with. */
struct import_request {
    const char *path;
    const char *profile;
};

/* Asks for a file name and exports the signals of a queue's filter to it,
 * telling the progress on the status line.  Returns 1 when written. */
int flow_export(struct app *app, const struct query *query);

#endif

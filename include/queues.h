#ifndef SIGNALDESK_QUEUES_H
#define SIGNALDESK_QUEUES_H

#include "config.h"
#include "db.h"
#include "query.h"

/* A queue: a saved search with its order and columns.  They come from the
 * [queue NAME] sections of the settings, else the shipped ones, then the
 * searches a person saved (kept in the database, so they follow the person
 * from console to console). */
struct queue_def {
    char name[64];
    char query[512];
    struct qsort sort;
    enum qcol cols[QUERY_MAX_COLUMNS];
    int ncols;
    int shipped;            /* one of ours: the name passes through gettext */
    int saved;              /* saved by the person: can be removed */
};

#define MAX_QUEUES 9

/* The queues of the settings, or the shipped ones (without "My unit" when
 * has_unit is 0).  Returns how many. */
int queues_configured(const struct config *cfg, int has_unit, struct queue_def *out, int max);
/* Appends the person's saved queues to out[*n..max). */
enum db_status queues_saved(struct db *db, struct queue_def *out, int max, int *n);
/* Saves (or replaces) a queue of the person's under q->name. */
enum db_status queue_save(struct db *db, const struct queue_def *q);
enum db_status queue_forget(struct db *db, const char *name);

/* The columns and order a queue has when nothing else is said. */
void queue_defaults(struct queue_def *q);
/* Columns as the INI writes them: "reg, age, status". */
void queue_columns_text(const struct queue_def *q, char *out, size_t size);

#endif

#ifndef SIGNALDESK_EXPORT_H
#define SIGNALDESK_EXPORT_H

#include <stdio.h>

#include "db.h"
#include "query.h"
#include "signals.h"

/* Exporting signals as CSV (RFC 4180, UTF-8): the columns FixMyStreet
 * exports (id, title, detail, reporter, category, created, confirmed,
 * acknowledged, fixed, closed, status, lat, lon, district, channel), then
 * ours.  The built-in import profile "signaldesk" reads it back. */
struct export_options {
    int bom;                /* a UTF-8 byte order mark first, for spreadsheets */
    char delim;             /* ',' or ';' (what spreadsheets in Bulgarian expect) */
};

/* Called every few thousand rows. */
typedef void (*export_progress_fn)(void *ctx, long rows);

/* Streams the signals the query finds (in the search language; NULL: all)
 * to out, oldest first, through a server-side cursor: memory stays flat
 * whatever their number.  *rows tells how many were written. */
enum db_status export_signals(struct db *db, const struct query *query, const struct query_ctx *ctx,
                              const struct export_options *o, FILE *out, export_progress_fn progress,
                              void *progress_ctx, long *rows);

/* The statement the export runs, without a filter (for the benchmark's
 * comparison with psql). */
const char *export_select_sql(void);

/* One CSV field, RFC 4180: quoted (with csv_fwrite) only when it must be. */
void export_write_field(FILE *out, const char *s, size_t len, char delim);

#endif

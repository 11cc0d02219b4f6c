#ifndef SIGNALDESK_IMPORT_H
#define SIGNALDESK_IMPORT_H

#include "db.h"
#include "importcsv.h"

/* Imports a CSV file through a profile, all or nothing, in one transaction:
 * the file is streamed into a staging table (COPY), checked row by row in C
 * and set-based in SQL, and only when no row is bad inserted set-based
 * (registration numbers, routing, due dates, events, reporters, where it
 * came from).  With dry_run the file is read and checked the same way and
 * the count and the numbers foreseen; nothing is written and the year's
 * number counter is not held.
 *
 * Returns DB_OK when the work ran to its end: rep->fatal (the file as a
 * whole) or rep->nerrors (bad rows) then say whether anything was imported.
 * Any other status: the database failed (db->errmsg), nothing was imported. */
enum db_status import_file(struct db *db, const struct import_profile *p, const char *path,
                           const char *regno_format, int dry_run, import_progress_fn progress, void *progress_ctx,
                           struct import_report *rep);

/* One line of the report for a bad row: "line 5, column "type": unknown
 * category "Foo"". */
void import_error_text(const struct import_error *e, char *out, size_t size);

#endif

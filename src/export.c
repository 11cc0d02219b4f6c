#include "export.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sqlbuild.h"
#include "util.h"

/* The header and the statement name the columns in the same order. */
static const char *const header[] = {
    "id", "title", "detail", "reporter", "category", "created", "confirmed", "acknowledged", "fixed",
    "closed", "status", "lat", "lon", "district", "channel",
    "reg_no", "kind", "address", "unit", "assignee", "priority", "due", "duplicate_of",
    "reporter_phone", "reporter_email", "reporter_updates",
};

/* The signals to export first (the filter), then their first reporter and
 * history milestones for all of them at once: one pass over events and
 * reporters for a big export, index look-ups for a small one.  Reporters come
 * through reporter_contacts, so an operator exports only the phones and
 * e-mails the database lets them read (other units: left empty). */
#define SELECT_HEAD "WITH sel AS MATERIALIZED (SELECT s.id FROM signaldesk.signals s"
#define SELECT_TAIL \
    "), ev AS (" \
    "  SELECT e.signal_id," \
    "         min(e.at) FILTER (WHERE e.kind = 'confirmed'" \
    "                           OR (e.kind = 'status' AND e.new_value = 'registered')) AS confirmed," \
    "         min(e.at) FILTER (WHERE e.kind = 'acknowledged'" \
    "                           OR (e.kind = 'status' AND e.new_value IN ('assigned', 'in_progress')))" \
    "             AS acknowledged" \
    "    FROM signaldesk.signal_events e JOIN sel ON sel.id = e.signal_id" \
    "   WHERE e.kind IN ('confirmed', 'acknowledged', 'status')" \
    "   GROUP BY e.signal_id" \
    "), rp AS (" \
    "  SELECT DISTINCT ON (r.signal_id) r.signal_id, r.name, r.phone, r.email, r.wants_updates" \
    "    FROM signaldesk.reporter_contacts r JOIN sel ON sel.id = r.signal_id" \
    "   ORDER BY r.signal_id, r.id" \
    ")" \
    "SELECT s.id, split_part(s.description, E'\\n', 1), s.description, rp.name," \
    "       coalesce(p.name || ' › ', '') || c.name, s.created_at, ev.confirmed, ev.acknowledged," \
    "       s.resolved_at, s.closed_at, s.status, s.location[1], s.location[0], d.name, s.channel," \
    "       s.reg_no, s.kind, s.address, u.name, s.assignee, s.priority, s.due_at, m.reg_no," \
    "       rp.phone, rp.email, CASE rp.wants_updates WHEN true THEN 'yes' WHEN false THEN 'no' END" \
    "  FROM sel JOIN signaldesk.signals s ON s.id = sel.id" \
    "  LEFT JOIN signaldesk.categories c ON c.id = s.category_id" \
    "  LEFT JOIN signaldesk.categories p ON p.id = c.parent_id" \
    "  LEFT JOIN signaldesk.districts d ON d.id = s.district_id" \
    "  LEFT JOIN signaldesk.units u ON u.id = s.unit_id" \
    "  LEFT JOIN signaldesk.signals m ON m.id = s.duplicate_of" \
    "  LEFT JOIN rp ON rp.signal_id = s.id" \
    "  LEFT JOIN ev ON ev.signal_id = s.id" \
    " ORDER BY s.created_at, s.id"

const char *export_select_sql(void)
{
    return SELECT_HEAD SELECT_TAIL;
}

void export_write_field(FILE *out, const char *s, size_t len, char delim)
{
    size_t i;
    int quote = len > 0 && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t');

    for (i = 0; i < len && !quote; i++)
        if (s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            quote = 1;
    if (quote)
        csv_fwrite(out, s, len);
    else
        fwrite(s, 1, len, out);
}

#define BATCH "5000"

enum db_status export_signals(struct db *db, const struct query *query, const struct query_ctx *ctx,
                              const struct export_options *o, FILE *out, export_progress_fn progress,
                              void *progress_ctx, long *rows)
{
    struct sqlq q;
    PGresult *r;
    enum db_status rc;
    char delim = o && o->delim ? o->delim : ',';
    size_t i;

    *rows = 0;
    if (o && o->bom)
        fputs("\xEF\xBB\xBF", out);
    for (i = 0; i < ARRAY_SIZE(header); i++) {
        if (i)
            fputc(delim, out);
        fputs(header[i], out);
    }
    fputs("\r\n", out);
    if ((rc = db_begin(db)) != DB_OK)
        return rc;
    rc = db_exec(db, "SET LOCAL statement_timeout = 0", 0, NULL);
    /* plan for reading every row, not for the first few */
    if (rc == DB_OK)
        rc = db_exec(db, "SET LOCAL cursor_tuple_fraction = 1.0", 0, NULL);
    sqlq_init(&q);
    sqlq_sql(&q, "DECLARE export_cursor NO SCROLL CURSOR FOR " SELECT_HEAD);
    sqlq_sql(&q, " WHERE true");
    if (query)
        query_where(query, ctx, &q);
    sqlq_sql(&q, SELECT_TAIL);
    if (rc == DB_OK)
        rc = db_exec(db, q.sql.buf, q.n, q.params);
    sqlq_free(&q);
    while (rc == DB_OK) {
        int n, nf, row, col;

        rc = db_query(db, &r, "FETCH FORWARD " BATCH " FROM export_cursor", 0, NULL);
        if (rc != DB_OK)
            break;
        n = PQntuples(r);
        nf = PQnfields(r);
        for (row = 0; row < n; row++) {
            for (col = 0; col < nf; col++) {
                if (col)
                    fputc(delim, out);
                if (!PQgetisnull(r, row, col))
                    export_write_field(out, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col), delim);
            }
            fputs("\r\n", out);
        }
        PQclear(r);
        *rows += n;
        if (progress)
            progress(progress_ctx, *rows);
        if (ferror(out)) {
            db_set_error(db, _("cannot write the file: %s"), "I/O error");
            rc = DB_ERROR;
            break;
        }
        if (n == 0)
            break;
    }
    if (rc != DB_OK) {
        db_rollback(db);
        return rc;
    }
    db_rollback(db);    /* it only read */
    if (fflush(out) != 0) {
        db_set_error(db, "%s", _("cannot write the file"));
        return DB_ERROR;
    }
    return DB_OK;
}

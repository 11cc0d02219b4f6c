#include "signals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sqlbuild.h"
#include "timefmt.h"
#include "util.h"

/* The partial indexes of the schema are defined over exactly this list; the
 * planner uses them only when the query repeats it literally. */
#define OPEN_SQL "s.status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting')"

enum db_status operator_load(struct db *db, struct operator_info *me)
{
    PGresult *r;
    enum db_status rc;

    rc = db_query(db, &r,
                  "SELECT current_user, coalesce(o.name, current_user), coalesce(o.unit_id, 0),"
                  "       signaldesk.current_level()"
                  "  FROM (SELECT 1) AS one"
                  "  LEFT JOIN operators o ON o.login = current_user",
                  0, NULL);
    if (rc != DB_OK)
        return rc;
    str_copy(me->login, sizeof me->login, db_val(r, 0, 0));
    str_copy(me->name, sizeof me->name, db_val(r, 0, 1));
    me->unit_id = (int)db_ll(r, 0, 2);
    str_copy(me->level, sizeof me->level, db_val(r, 0, 3));
    PQclear(r);
    return DB_OK;
}

static void add_filter(struct sqlq *q, const struct sig_filter *f, const struct operator_info *me)
{
    sqlq_sql(q, " WHERE true");
    if (f->status_mask == OPEN_STATUSES) {
        sqlq_sql(q, " AND " OPEN_SQL);
    } else if (f->status_mask) {
        struct strbuf list;
        int i;

        sb_init(&list);
        sb_add(&list, "{");
        for (i = 0; i < ST_COUNT; i++)
            if (f->status_mask & STATUS_BIT(i)) {
                if (list.len > 1)
                    sb_add(&list, ",");
                sb_add(&list, status_table[i].code);
            }
        sb_add(&list, "}");
        sqlq_sql(q, " AND s.status = ANY(");
        sqlq_param(q, list.buf);
        sqlq_sql(q, "::text[])");
        sb_free(&list);
    }
    if (f->mine) {
        sqlq_sql(q, " AND s.assignee = ");
        sqlq_param(q, me->login);
    }
    if (f->my_unit) {
        sqlq_sql(q, " AND s.unit_id = ");
        sqlq_paramf(q, "%d", me->unit_id);
        sqlq_sql(q, "::integer");
    }
    if (f->unassigned)
        sqlq_sql(q, " AND s.assignee IS NULL");
    if (f->overdue)
        sqlq_sql(q, " AND s.due_at < now()");
}

#define ROW_COLUMNS \
    "s.id, s.reg_no, s.created_at, s.status, coalesce(c.name, ''), coalesce(d.name, '')," \
    " left(split_part(s.description, E'\\n', 1), 200), coalesce(s.assignee, ''), s.priority," \
    " (s.due_at < now() AND s.status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting'))," \
    " s.version"
#define ROW_FROM \
    " FROM signals s LEFT JOIN categories c ON c.id = s.category_id" \
    " LEFT JOIN districts d ON d.id = s.district_id"

static void read_row(const PGresult *r, int i, struct sig_row *row)
{
    row->id = db_ll(r, i, 0);
    str_copy(row->reg_no, sizeof row->reg_no, db_val(r, i, 1));
    str_copy(row->created, sizeof row->created, db_val(r, i, 2));
    if (parse_pg_time(row->created, &row->created_t) < 0)
        row->created_t = 0;
    str_copy(row->status, sizeof row->status, db_val(r, i, 3));
    str_copy(row->category, sizeof row->category, db_val(r, i, 4));
    str_copy(row->district, sizeof row->district, db_val(r, i, 5));
    str_copy(row->summary, sizeof row->summary, db_val(r, i, 6));
    str_copy(row->assignee, sizeof row->assignee, db_val(r, i, 7));
    row->priority = (int)db_ll(r, i, 8);
    row->overdue = db_val(r, i, 9)[0] == 't';
    row->version = (int)db_ll(r, i, 10);
}

enum db_status signals_page(struct db *db, const struct sig_filter *f, const struct operator_info *me,
                            enum page_dir dir, const struct sig_key *key, int limit,
                            struct sig_row *rows, int *nrows, int *more)
{
    struct sqlq q;
    PGresult *r;
    enum db_status rc;
    int backwards = dir == PAGE_BEFORE || dir == PAGE_LAST;
    int i, n;

    *nrows = 0;
    *more = 0;
    sqlq_init(&q);
    sqlq_sql(&q, "SELECT " ROW_COLUMNS ROW_FROM);
    add_filter(&q, f, me);
    /* Newest first; backwards means towards the newer rows. */
    if (dir == PAGE_AFTER || dir == PAGE_FROM || dir == PAGE_BEFORE) {
        sqlq_sql(&q, dir == PAGE_AFTER  ? " AND (s.created_at, s.id) < ("
                   : dir == PAGE_FROM   ? " AND (s.created_at, s.id) <= ("
                                        : " AND (s.created_at, s.id) > (");
        sqlq_param(&q, key->created);
        sqlq_sql(&q, "::timestamptz, ");
        sqlq_paramf(&q, "%lld", key->id);
        sqlq_sql(&q, "::bigint)");
    }
    sqlq_sql(&q, backwards ? " ORDER BY s.created_at, s.id" : " ORDER BY s.created_at DESC, s.id DESC");
    sqlq_sql(&q, " LIMIT ");
    sqlq_paramf(&q, "%d", limit + 1);
    rc = db_query(db, &r, q.sql.buf, q.n, q.params);
    sqlq_free(&q);
    if (rc != DB_OK)
        return rc;
    n = PQntuples(r);
    if (n > limit) {
        *more = 1;
        n = limit;
    }
    for (i = 0; i < n; i++)
        read_row(r, i, &rows[backwards ? n - 1 - i : i]);
    *nrows = n;
    PQclear(r);
    return DB_OK;
}

enum db_status signals_count(struct db *db, const struct sig_filter *f, const struct operator_info *me,
                             long long *count, int *approx)
{
    struct sqlq q;
    PGresult *r;
    enum db_status rc;

    *approx = 0;
    if (!f->status_mask && !f->mine && !f->my_unit && !f->overdue && !f->unassigned) {
        /* The whole table: counting a million rows takes longer than a
         * glance; the statistics are close enough for a tab. */
        rc = db_query(db, &r,
                      "SELECT greatest(reltuples, 0)::bigint, reltuples < 100000"
                      "  FROM pg_class WHERE oid = 'signaldesk.signals'::regclass",
                      0, NULL);
        if (rc != DB_OK)
            return rc;
        *count = db_ll(r, 0, 0);
        if (db_val(r, 0, 1)[0] != 't') {
            *approx = 1;
            PQclear(r);
            return DB_OK;
        }
        PQclear(r);
    }
    sqlq_init(&q);
    sqlq_sql(&q, "SELECT count(*) FROM signals s");
    add_filter(&q, f, me);
    rc = db_query(db, &r, q.sql.buf, q.n, q.params);
    sqlq_free(&q);
    if (rc != DB_OK)
        return rc;
    *count = db_ll(r, 0, 0);
    PQclear(r);
    return DB_OK;
}

enum db_status signals_row(struct db *db, long long id, struct sig_row *row)
{
    char idbuf[32];
    const char *params[1] = { idbuf };
    PGresult *r;
    enum db_status rc;

    snprintf(idbuf, sizeof idbuf, "%lld", id);
    rc = db_query(db, &r, "SELECT " ROW_COLUMNS ROW_FROM " WHERE s.id = $1", 1, params);
    if (rc != DB_OK)
        return rc;
    if (PQntuples(r) == 1)
        read_row(r, 0, row);
    else
        rc = DB_ERROR;
    PQclear(r);
    return rc;
}

enum db_status signal_load(struct db *db, long long id, struct signal *s)
{
    char idbuf[32];
    const char *params[1] = { idbuf };
    PGresult *r;
    enum db_status rc;
    int i;

    memset(s, 0, sizeof *s);
    snprintf(idbuf, sizeof idbuf, "%lld", id);
    rc = db_query(db, &r,
                  "SELECT s.id, s.reg_no, s.kind, s.created_at, s.channel,"
                  "       coalesce(p.name || ' › ', '') || coalesce(c.name, ''),"
                  "       coalesce(d.name, ''), s.address, s.location IS NOT NULL,"
                  "       coalesce(s.location[1], 0), coalesce(s.location[0], 0),"
                  "       s.description, s.status, coalesce(u.name, ''), coalesce(s.assignee, ''),"
                  "       coalesce(o.name, ''), s.priority, s.due_at, coalesce(m.reg_no, ''),"
                  "       s.version, s.updated_at"
                  "  FROM signals s"
                  "  LEFT JOIN categories c ON c.id = s.category_id"
                  "  LEFT JOIN categories p ON p.id = c.parent_id"
                  "  LEFT JOIN districts d ON d.id = s.district_id"
                  "  LEFT JOIN units u ON u.id = s.unit_id"
                  "  LEFT JOIN operators o ON o.login = s.assignee"
                  "  LEFT JOIN signals m ON m.id = s.duplicate_of"
                  " WHERE s.id = $1",
                  1, params);
    if (rc != DB_OK)
        return rc;
    if (PQntuples(r) != 1) {
        PQclear(r);
        db_set_error(db, "%s", _("The signal no longer exists."));
        return DB_ERROR;
    }
    s->id = db_ll(r, 0, 0);
    str_copy(s->reg_no, sizeof s->reg_no, db_val(r, 0, 1));
    str_copy(s->kind, sizeof s->kind, db_val(r, 0, 2));
    parse_pg_time(db_val(r, 0, 3), &s->created);
    str_copy(s->channel, sizeof s->channel, db_val(r, 0, 4));
    str_copy(s->category, sizeof s->category, db_val(r, 0, 5));
    str_copy(s->district, sizeof s->district, db_val(r, 0, 6));
    str_copy(s->address, sizeof s->address, db_val(r, 0, 7));
    s->has_location = db_val(r, 0, 8)[0] == 't';
    s->lat = strtod(db_val(r, 0, 9), NULL);
    s->lon = strtod(db_val(r, 0, 10), NULL);
    s->description = xstrdup(db_val(r, 0, 11));
    str_copy(s->status, sizeof s->status, db_val(r, 0, 12));
    str_copy(s->unit, sizeof s->unit, db_val(r, 0, 13));
    str_copy(s->assignee, sizeof s->assignee, db_val(r, 0, 14));
    str_copy(s->assignee_name, sizeof s->assignee_name, db_val(r, 0, 15));
    s->priority = (int)db_ll(r, 0, 16);
    s->has_due = !db_isnull(r, 0, 17) && parse_pg_time(db_val(r, 0, 17), &s->due) == 0;
    str_copy(s->duplicate_of, sizeof s->duplicate_of, db_val(r, 0, 18));
    s->version = (int)db_ll(r, 0, 19);
    parse_pg_time(db_val(r, 0, 20), &s->updated);
    PQclear(r);

    /* the view shows phone and e-mail only to those who may read them */
    rc = db_query(db, &r,
                  "SELECT name, phone, email, wants_updates, has_contacts AND NOT contacts_shown"
                  "  FROM reporter_contacts WHERE signal_id = $1 ORDER BY id LIMIT 50",
                  1, params);
    if (rc != DB_OK) {
        signal_free(s);
        return rc;
    }
    s->nreporters = PQntuples(r);
    s->reporters = xcalloc((size_t)s->nreporters, sizeof *s->reporters);
    for (i = 0; i < s->nreporters; i++) {
        str_copy(s->reporters[i].name, sizeof s->reporters[i].name, db_val(r, i, 0));
        str_copy(s->reporters[i].phone, sizeof s->reporters[i].phone, db_val(r, i, 1));
        str_copy(s->reporters[i].email, sizeof s->reporters[i].email, db_val(r, i, 2));
        s->reporters[i].wants_updates = db_val(r, i, 3)[0] == 't';
        s->reporters[i].contacts_hidden = db_val(r, i, 4)[0] == 't';
    }
    PQclear(r);
    return DB_OK;
}

void signal_free(struct signal *s)
{
    free(s->description);
    free(s->reporters);
    s->description = NULL;
    s->reporters = NULL;
    s->nreporters = 0;
}

#define MAX_EVENTS 500

enum db_status signal_events(struct db *db, long long id, struct event_list *list)
{
    char idbuf[32], limit[16];
    const char *params[2] = { idbuf, limit };
    PGresult *r;
    enum db_status rc;
    int i, n;

    memset(list, 0, sizeof *list);
    snprintf(idbuf, sizeof idbuf, "%lld", id);
    snprintf(limit, sizeof limit, "%d", MAX_EVENTS + 1);
    /* the newest MAX_EVENTS, shown oldest first */
    rc = db_query(db, &r,
                  "SELECT at, actor, kind, old_value, new_value, comment, public FROM ("
                  "  SELECT * FROM signal_events WHERE signal_id = $1"
                  "   ORDER BY at DESC, id DESC LIMIT $2) e"
                  " ORDER BY at, id",
                  2, params);
    if (rc != DB_OK)
        return rc;
    n = PQntuples(r);
    i = 0;
    if (n > MAX_EVENTS) {
        list->truncated = 1;
        i = 1;  /* drop the oldest */
    }
    list->items = xcalloc((size_t)n, sizeof *list->items);
    for (; i < n; i++) {
        struct event *e = &list->items[list->n++];

        parse_pg_time(db_val(r, i, 0), &e->at);
        str_copy(e->actor, sizeof e->actor, db_val(r, i, 1));
        str_copy(e->kind, sizeof e->kind, db_val(r, i, 2));
        e->old_value = db_isnull(r, i, 3) ? NULL : xstrdup(db_val(r, i, 3));
        e->new_value = db_isnull(r, i, 4) ? NULL : xstrdup(db_val(r, i, 4));
        e->comment = db_isnull(r, i, 5) ? NULL : xstrdup(db_val(r, i, 5));
        e->public = db_val(r, i, 6)[0] == 't';
    }
    PQclear(r);
    return DB_OK;
}

void event_list_free(struct event_list *list)
{
    int i;

    for (i = 0; i < list->n; i++) {
        free(list->items[i].old_value);
        free(list->items[i].new_value);
        free(list->items[i].comment);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}

enum db_status signal_change_status(struct db *db, long long id, int version, const char *status,
                                    const char *comment, int public)
{
    char idbuf[32], verbuf[16];
    const char *params[5] = { idbuf, verbuf, status, comment, public ? "true" : "false" };
    PGresult *r;
    enum db_status rc;

    snprintf(idbuf, sizeof idbuf, "%lld", id);
    snprintf(verbuf, sizeof verbuf, "%d", version);
    rc = db_query(db, &r, "SELECT change_status($1, $2, $3, $4, $5)", 5, params);
    if (rc != DB_OK)
        return rc;
    if (db_isnull(r, 0, 0)) {
        db_set_error(db, "%s", _("Another operator changed this signal meanwhile; nothing was saved."));
        rc = DB_CONFLICT;
    }
    PQclear(r);
    return rc;
}

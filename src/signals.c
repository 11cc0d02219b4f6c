#include "signals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sqlbuild.h"
#include "timefmt.h"
#include "util.h"

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

#define ROW_COLUMNS \
    "s.id, s.reg_no, s.created_at, s.status, coalesce(c.name, ''), coalesce(d.name, '')," \
    " left(split_part(s.description, E'\\n', 1), 200), coalesce(s.assignee, ''), s.priority," \
    " (s.due_at < now() AND s.status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting'))," \
    " s.version, s.updated_at, s.due_at, coalesce(u.name, ''), s.channel, left(s.address, 120)"
#define ROW_FROM \
    " FROM signals s LEFT JOIN categories c ON c.id = s.category_id" \
    " LEFT JOIN districts d ON d.id = s.district_id" \
    " LEFT JOIN units u ON u.id = s.unit_id"
#define KEY_COL 16

static void read_row(const PGresult *r, int i, struct sig_row *row)
{
    row->id = db_ll(r, i, 0);
    str_copy(row->reg_no, sizeof row->reg_no, db_val(r, i, 1));
    if (parse_pg_time(db_val(r, i, 2), &row->created_t) < 0)
        row->created_t = 0;
    str_copy(row->status, sizeof row->status, db_val(r, i, 3));
    str_copy(row->category, sizeof row->category, db_val(r, i, 4));
    str_copy(row->district, sizeof row->district, db_val(r, i, 5));
    str_copy(row->summary, sizeof row->summary, db_val(r, i, 6));
    str_copy(row->assignee, sizeof row->assignee, db_val(r, i, 7));
    row->priority = (int)db_ll(r, i, 8);
    row->overdue = db_val(r, i, 9)[0] == 't';
    row->version = (int)db_ll(r, i, 10);
    if (parse_pg_time(db_val(r, i, 11), &row->updated_t) < 0)
        row->updated_t = 0;
    if (db_isnull(r, i, 12) || parse_pg_time(db_val(r, i, 12), &row->due_t) < 0)
        row->due_t = 0;
    str_copy(row->unit, sizeof row->unit, db_val(r, i, 13));
    str_copy(row->channel, sizeof row->channel, db_val(r, i, 14));
    str_copy(row->address, sizeof row->address, db_val(r, i, 15));
    str_copy(row->key, sizeof row->key, db_val(r, i, KEY_COL));
}

void sig_key_of(const struct sig_row *row, struct sig_key *key)
{
    str_copy(key->value, sizeof key->value, row->key);
    key->id = row->id;
}

static void view_where(const struct sig_view *v, struct sqlq *q)
{
    struct query_ctx ctx;

    sqlq_sql(q, " WHERE true");
    if (!v || !v->query)
        return;
    ctx.now = v->now;
    query_where(v->query, &ctx, q);
}

static void signals_page_sql(const struct sig_view *v, enum page_dir dir, const struct sig_key *key, int limit,
                      struct sqlq *q)
{
    const struct qcol_info *col = &qcol_table[v->sort.col];
    int backwards = dir == PAGE_BEFORE || dir == PAGE_LAST;
    /* is the key descending in the direction we read? */
    int key_desc = v->sort.desc != col->invert;
    int desc = key_desc ? !backwards : backwards;

    sqlq_sql(q, "SELECT " ROW_COLUMNS ", (");
    sqlq_sql(q, col->sort_sql);
    sqlq_sql(q, ")::text" ROW_FROM);
    view_where(v, q);
    if (dir == PAGE_AFTER || dir == PAGE_FROM || dir == PAGE_BEFORE) {
        sqlq_sql(q, " AND (");
        sqlq_sql(q, col->sort_sql);
        sqlq_sql(q, ", s.id) ");
        sqlq_sql(q, desc ? (dir == PAGE_FROM ? "<=" : "<") : (dir == PAGE_FROM ? ">=" : ">"));
        sqlq_sql(q, " (");
        sqlq_param(q, key->value);
        sqlq_sql(q, "::");
        sqlq_sql(q, col->sort_type);
        sqlq_sql(q, ", ");
        sqlq_paramf(q, "%lld", key->id);
        sqlq_sql(q, "::bigint)");
    }
    sqlq_sql(q, " ORDER BY ");
    sqlq_sql(q, col->sort_sql);
    sqlq_sql(q, desc ? " DESC, s.id DESC LIMIT " : ", s.id LIMIT ");
    sqlq_paramf(q, "%d", limit + 1);
}

static void signals_page_read(const PGresult *r, enum page_dir dir, int limit, struct sig_row *rows, int *nrows, int *more)
{
    int backwards = dir == PAGE_BEFORE || dir == PAGE_LAST;
    int i, n = PQntuples(r);

    *more = 0;
    if (n > limit) {
        *more = 1;
        n = limit;
    }
    for (i = 0; i < n; i++)
        read_row(r, i, &rows[backwards ? n - 1 - i : i]);
    *nrows = n;
}

enum db_status signals_page(struct db *db, const struct sig_view *v, enum page_dir dir, const struct sig_key *key,
                            int limit, struct sig_row *rows, int *nrows, int *more)
{
    struct sqlq q;
    PGresult *r;
    enum db_status rc;

    *nrows = 0;
    *more = 0;
    sqlq_init(&q);
    signals_page_sql(v, dir, key, limit, &q);
    rc = db_read(db, &r, q.sql.buf, q.n, q.params);
    sqlq_free(&q);
    if (rc != DB_OK)
        return rc;
    signals_page_read(r, dir, limit, rows, nrows, more);
    PQclear(r);
    return DB_OK;
}

enum db_status signals_refs(struct db *db, const struct sig_view *v, int limit, struct sig_ref *out, int *n,
                            int *more)
{
    const struct qcol_info *col = &qcol_table[v->sort.col];
    int desc = v->sort.desc != col->invert;
    struct sqlq q;
    PGresult *r;
    enum db_status rc;
    int i, rows;

    *n = 0;
    *more = 0;
    sqlq_init(&q);
    sqlq_sql(&q, "SELECT s.id, s.version, s.reg_no FROM signals s");
    view_where(v, &q);
    sqlq_sql(&q, " ORDER BY ");
    sqlq_sql(&q, col->sort_sql);
    sqlq_sql(&q, desc ? " DESC, s.id DESC LIMIT " : ", s.id LIMIT ");
    sqlq_paramf(&q, "%d", limit + 1);
    rc = db_read(db, &r, q.sql.buf, q.n, q.params);
    sqlq_free(&q);
    if (rc != DB_OK)
        return rc;
    rows = PQntuples(r);
    if (rows > limit) {
        *more = 1;
        rows = limit;
    }
    for (i = 0; i < rows; i++) {
        out[i].id = db_ll(r, i, 0);
        out[i].version = (int)db_ll(r, i, 1);
        str_copy(out[i].reg_no, sizeof out[i].reg_no, db_val(r, i, 2));
    }
    *n = rows;
    PQclear(r);
    return DB_OK;
}

static void signals_count_sql(const struct sig_view *v, long long cap, struct sqlq *q)
{
    if (!v->query || v->query->nterms == 0) {
        /* The whole table: counting a million rows takes longer than a
         * glance; the statistics are close enough for a tab. */
        sqlq_sql(q, "SELECT CASE WHEN reltuples < 100000 THEN (SELECT count(*) FROM signals)"
                    " ELSE reltuples::bigint END, reltuples >= 100000"
                    "  FROM pg_class WHERE oid = 'signaldesk.signals'::regclass");
        return;
    }
    sqlq_sql(q, "SELECT count(*), false FROM (SELECT 1 FROM signals s");
    view_where(v, q);
    sqlq_sql(q, " LIMIT ");
    sqlq_paramf(q, "%lld", cap + 1);
    sqlq_sql(q, ") x");
}

static void signals_count_read(const PGresult *r, long long cap, long long *count, int *approx)
{
    *count = PQntuples(r) ? db_ll(r, 0, 0) : 0;
    *approx = PQntuples(r) && db_val(r, 0, 1)[0] == 't';
    if (!*approx && *count > cap) {
        *count = cap;
        *approx = 2;
    }
}

enum db_status signals_count(struct db *db, const struct sig_view *v, long long cap, long long *count, int *approx)
{
    struct sqlq q;
    PGresult *r;
    enum db_status rc;

    *count = 0;
    *approx = 0;
    sqlq_init(&q);
    signals_count_sql(v, cap, &q);
    rc = db_read(db, &r, q.sql.buf, q.n, q.params);
    sqlq_free(&q);
    if (rc != DB_OK)
        return rc;
    signals_count_read(r, cap, count, approx);
    PQclear(r);
    return DB_OK;
}

enum db_status signals_page_start(struct db *db, const struct sig_view *v, int limit)
{
    struct sqlq q;
    enum db_status rc;

    sqlq_init(&q);
    signals_page_sql(v, PAGE_FIRST, NULL, limit, &q);
    rc = db_send(db, q.sql.buf, q.n, q.params);
    sqlq_free(&q);
    return rc;
}

enum db_status signals_page_finish(struct db *db, int limit, struct sig_row *rows, int *nrows, int *more)
{
    PGresult *r;
    enum db_status rc = db_result(db, &r);

    *nrows = 0;
    *more = 0;
    if (rc != DB_OK)
        return rc;
    signals_page_read(r, PAGE_FIRST, limit, rows, nrows, more);
    PQclear(r);
    return DB_OK;
}

enum db_status signals_count_start(struct db *db, const struct sig_view *v, long long cap)
{
    struct sqlq q;
    enum db_status rc;

    sqlq_init(&q);
    signals_count_sql(v, cap, &q);
    rc = db_send(db, q.sql.buf, q.n, q.params);
    sqlq_free(&q);
    return rc;
}

enum db_status signals_count_finish(struct db *db, long long cap, long long *count, int *approx)
{
    PGresult *r;
    enum db_status rc = db_result(db, &r);

    *count = 0;
    *approx = 0;
    if (rc != DB_OK)
        return rc;
    signals_count_read(r, cap, count, approx);
    PQclear(r);
    return DB_OK;
}

enum db_status signals_row(struct db *db, const struct sig_view *v, long long id, struct sig_row *row, int *found)
{
    struct sqlq q;
    PGresult *r;
    enum db_status rc;

    *found = 0;
    sqlq_init(&q);
    sqlq_sql(&q, "SELECT " ROW_COLUMNS ", (");
    sqlq_sql(&q, v ? qcol_table[v->sort.col].sort_sql : "s.created_at");
    sqlq_sql(&q, ")::text" ROW_FROM);
    view_where(v, &q);
    sqlq_sql(&q, " AND s.id = ");
    sqlq_paramf(&q, "%lld", id);
    sqlq_sql(&q, "::bigint");
    rc = db_read(db, &r, q.sql.buf, q.n, q.params);
    sqlq_free(&q);
    if (rc != DB_OK)
        return rc;
    if (PQntuples(r) == 1) {
        read_row(r, 0, row);
        *found = 1;
    }
    PQclear(r);
    return DB_OK;
}

int signals_field_values(struct db *db, enum qfield field, const char *prefix, char **out, int max)
{
    struct strbuf pat;
    const char *sql;
    const char *params[2];
    char lim[16];
    char folded[256];
    PGresult *r;
    int i, n;

    switch (field) {
    case QF_CATEGORY:
        sql = "SELECT DISTINCT name FROM categories WHERE active AND sd_latin(name) LIKE $1 ORDER BY 1 LIMIT $2";
        break;
    case QF_DISTRICT:
        sql = "SELECT name FROM districts WHERE sd_latin(name) LIKE $1 ORDER BY 1 LIMIT $2";
        break;
    case QF_UNIT:
        sql = "SELECT name FROM units WHERE active AND sd_latin(name) LIKE $1 ORDER BY 1 LIMIT $2";
        break;
    case QF_ASSIGNEE:
        sql = "SELECT login FROM operators WHERE active AND sd_latin(login) LIKE $1 ORDER BY 1 LIMIT $2";
        break;
    default:
        return 0;
    }
    sb_init(&pat);
    query_fold(prefix, folded, sizeof folded);
    {
        const char *p;

        for (p = folded; *p; p++) {
            if (*p == '%' || *p == '_' || *p == '\\')
                sb_addn(&pat, "\\", 1);
            sb_addn(&pat, p, 1);
        }
    }
    sb_add(&pat, "%");
    snprintf(lim, sizeof lim, "%d", max);
    params[0] = pat.buf;
    params[1] = lim;
    if (db_read(db, &r, sql, 2, params) != DB_OK) {
        sb_free(&pat);
        return 0;
    }
    sb_free(&pat);
    n = PQntuples(r);
    for (i = 0; i < n && i < max; i++)
        out[i] = xstrdup(db_val(r, i, 0));
    PQclear(r);
    return i;
}

enum db_status signal_query(struct db *db, PGresult **r, const char *sql, long long id, int one)
{
    char idbuf[32];
    const char *params[1] = { idbuf };
    enum db_status rc;

    snprintf(idbuf, sizeof idbuf, "%lld", id);
    rc = db_query(db, r, sql, 1, params);
    if (rc != DB_OK || !one || PQntuples(*r) == 1)
        return rc;
    PQclear(*r);
    db_set_error(db, "%s", _("The signal no longer exists."));
    return DB_ERROR;
}

enum db_status signal_load(struct db *db, long long id, struct signal *s)
{
    PGresult *r;
    enum db_status rc;
    int i;

    memset(s, 0, sizeof *s);
    rc = signal_query(db, &r,
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
                      id, 1);
    if (rc != DB_OK)
        return rc;
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
    rc = signal_query(db, &r,
                      "SELECT name, phone, email, wants_updates, has_contacts AND NOT contacts_shown"
                      "  FROM reporter_contacts WHERE signal_id = $1 ORDER BY id LIMIT 50",
                      id, 0);
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

    rc = signal_query(db, &r, "SELECT ref FROM attachments WHERE signal_id = $1 ORDER BY id LIMIT 50", id, 0);
    if (rc != DB_OK) {
        signal_free(s);
        return rc;
    }
    s->nattachments = PQntuples(r);
    s->attachments = xcalloc((size_t)(s->nattachments ? s->nattachments : 1), sizeof *s->attachments);
    for (i = 0; i < s->nattachments; i++)
        s->attachments[i] = xstrdup(db_val(r, i, 0));
    PQclear(r);
    return DB_OK;
}

void signal_free(struct signal *s)
{
    int i;

    for (i = 0; i < s->nattachments; i++)
        free(s->attachments[i]);
    free(s->attachments);
    s->attachments = NULL;
    s->nattachments = 0;
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
    db_mark_change(db);
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

enum db_status signals_changed_since(struct db *db, long long since_ms, char (*regs)[40], int max, int *n, int *total)
{
    char since[32], limit[16];
    const char *params[2] = { since, limit };
    PGresult *r;
    enum db_status rc;
    int i;

    *n = *total = 0;
    snprintf(since, sizeof since, "%lld", since_ms);
    snprintf(limit, sizeof limit, "%d", max);
    rc = db_query(db, &r,
                  "SELECT s.reg_no, count(*) OVER ()"
                  "  FROM (SELECT DISTINCT signal_id FROM signal_events"
                  "         WHERE actor = acting_login() AND at >= to_timestamp($1::bigint / 1000.0)) e"
                  "  JOIN signals s ON s.id = e.signal_id"
                  " ORDER BY s.reg_no LIMIT $2::integer",
                  2, params);
    if (rc != DB_OK)
        return rc;
    for (i = 0; i < PQntuples(r) && i < max; i++)
        str_copy(regs[i], sizeof regs[i], db_val(r, i, 0));
    *n = i;
    *total = PQntuples(r) ? (int)db_ll(r, 0, 1) : 0;
    PQclear(r);
    return DB_OK;
}

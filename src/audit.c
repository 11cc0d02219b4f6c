#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sqlbuild.h"
#include "timefmt.h"
#include "util.h"

/* A date (YYYY-MM-DD) as the start of that day in the console's time zone,
 * in seconds since the epoch; next_day: the start of the day after. */
static int day_start(const char *date, int next_day, long long *out)
{
    struct tm tm;

    memset(&tm, 0, sizeof tm);
    if (sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_mday += next_day ? 1 : 0;
    tm.tm_isdst = -1;
    *out = (long long)mktime(&tm);
    return 0;
}

/* One side of the union: the rows of one history table, in page order. */
static void add_branch(struct sqlq *q, const struct audit_filter *f, int source, enum page_dir dir,
                       const struct audit_key *key, int limit)
{
    const char *t = source == AUDIT_SIGNALS ? "e" : "a";
    int backwards = dir == PAGE_BEFORE || dir == PAGE_LAST;
    char buf[256];
    long long bound;

    if (source == AUDIT_SIGNALS)
        /* the number by a subquery per row shown: a join would plan a
         * cache sized for millions of events */
        sqlq_sql(q, "(SELECT e.at, 1 AS source, e.id, e.actor, e.kind,"
                    " (SELECT s.reg_no FROM signals s WHERE s.id = e.signal_id) AS object, '' AS action,"
                    " '' AS field, coalesce(left(e.old_value, 250), '') AS old_value,"
                    " coalesce(left(e.new_value, 250), '') AS new_value,"
                    " coalesce(left(e.comment, 250), '') AS comment, e.public, e.signal_id,"
                    " (extract(epoch FROM e.at) * 1000000)::bigint"
                    " FROM signal_events e WHERE true");
    else
        sqlq_sql(q, "(SELECT a.at, 2 AS source, a.id, a.actor, a.object, a.object_name, a.action,"
                    " coalesce(a.field, ''), coalesce(left(a.old_value, 250), ''),"
                    " coalesce(left(a.new_value, 250), ''), '', false, 0::bigint,"
                    " (extract(epoch FROM a.at) * 1000000)::bigint"
                    " FROM admin_events a WHERE true");
    if (f->actor[0]) {
        snprintf(buf, sizeof buf, " AND %s.actor = ", t);
        sqlq_sql(q, buf);
        sqlq_param(q, f->actor);
    }
    if (f->signal_id) {
        sqlq_sql(q, " AND e.signal_id = ");
        sqlq_paramf(q, "%lld", f->signal_id);
        sqlq_sql(q, "::bigint");
    }
    if (f->kind[0]) {
        snprintf(buf, sizeof buf, " AND %s.%s = ", t, source == AUDIT_SIGNALS ? "kind" : "object");
        sqlq_sql(q, buf);
        sqlq_param(q, f->kind);
    }
    if (f->from[0] && day_start(f->from, 0, &bound) == 0) {
        snprintf(buf, sizeof buf, " AND %s.at >= to_timestamp(", t);
        sqlq_sql(q, buf);
        sqlq_paramf(q, "%lld", bound);
        sqlq_sql(q, "::bigint)");
    }
    if (f->to[0] && day_start(f->to, 1, &bound) == 0) {
        snprintf(buf, sizeof buf, " AND %s.at < to_timestamp(", t);
        sqlq_sql(q, buf);
        sqlq_paramf(q, "%lld", bound);
        sqlq_sql(q, "::bigint)");
    }
    if (dir == PAGE_AFTER || dir == PAGE_BEFORE || dir == PAGE_FROM) {
        /* (at, source, id) beyond the key, written so that at's index serves it */
        int after = dir != PAGE_BEFORE;

        snprintf(buf, sizeof buf, " AND %s.at %s ", t, after ? "<=" : ">=");
        sqlq_sql(q, buf);
        sqlq_param(q, key->at);
        snprintf(buf, sizeof buf, "::timestamptz AND (%s.at %s ", t, after ? "<" : ">");
        sqlq_sql(q, buf);
        sqlq_param(q, key->at);
        snprintf(buf, sizeof buf, "::timestamptz OR %d %s ", source, after ? "<" : ">");
        sqlq_sql(q, buf);
        sqlq_paramf(q, "%d", key->source);
        snprintf(buf, sizeof buf, "::integer OR (%d = ", source);
        sqlq_sql(q, buf);
        sqlq_paramf(q, "%d", key->source);
        snprintf(buf, sizeof buf, "::integer AND %s.id %s ", t, dir == PAGE_AFTER ? "<" : dir == PAGE_FROM ? "<=" : ">");
        sqlq_sql(q, buf);
        sqlq_paramf(q, "%lld", key->id);
        sqlq_sql(q, "::bigint))");
    }
    snprintf(buf, sizeof buf, " ORDER BY %s.at %s, %s.id %s LIMIT ", t, backwards ? "" : "DESC", t,
             backwards ? "" : "DESC");
    sqlq_sql(q, buf);
    sqlq_paramf(q, "%d", limit + 1);
    sqlq_sql(q, ")");
}

static void read_row(const PGresult *r, int i, struct audit_row *row)
{
    memset(row, 0, sizeof *row);
    str_copy(row->key.at, sizeof row->key.at, db_val(r, i, 0));
    if (parse_pg_time(row->key.at, &row->at) < 0)
        row->at = 0;
    row->source = row->key.source = (int)db_ll(r, i, 1);
    row->key.id = db_ll(r, i, 2);
    str_copy(row->actor, sizeof row->actor, db_val(r, i, 3));
    str_copy(row->kind, sizeof row->kind, db_val(r, i, 4));
    str_copy(row->object, sizeof row->object, db_val(r, i, 5));
    str_copy(row->action, sizeof row->action, db_val(r, i, 6));
    str_copy(row->field, sizeof row->field, db_val(r, i, 7));
    str_copy(row->old_value, sizeof row->old_value, db_val(r, i, 8));
    str_copy(row->new_value, sizeof row->new_value, db_val(r, i, 9));
    str_copy(row->comment, sizeof row->comment, db_val(r, i, 10));
    row->public = db_val(r, i, 11)[0] == 't';
    row->signal_id = db_ll(r, i, 12);
}

/* The page's order: newest first, (at, source, id) descending. */
struct ordered {
    long long usec, id;
    int source, row;
};

static int newest_first(const void *a, const void *b)
{
    const struct ordered *x = a, *y = b;

    if (x->usec != y->usec)
        return x->usec > y->usec ? -1 : 1;
    if (x->source != y->source)
        return x->source > y->source ? -1 : 1;
    return x->id > y->id ? -1 : x->id < y->id;
}

static int oldest_first(const void *a, const void *b)
{
    return newest_first(b, a);
}

enum db_status audit_page(struct db *db, const struct audit_filter *f, enum page_dir dir,
                          const struct audit_key *key, int limit, struct audit_row *rows, int *nrows, int *more)
{
    struct sqlq q;
    PGresult *r;
    enum db_status rc;
    int backwards = dir == PAGE_BEFORE || dir == PAGE_LAST;
    int signals = f->source != AUDIT_ADMIN || f->signal_id;
    int admin = f->source != AUDIT_SIGNALS && !f->signal_id;
    int i, n;

    *nrows = 0;
    *more = 0;
    if (limit <= 0)
        return DB_OK;
    /* Each history in its index's order, limited; the two are merged here
     * (a sort over both in the database would cost more than the page). */
    sqlq_init(&q);
    if (signals)
        add_branch(&q, f, AUDIT_SIGNALS, dir, key, limit);
    if (signals && admin)
        sqlq_sql(&q, " UNION ALL ");
    if (admin)
        add_branch(&q, f, AUDIT_ADMIN, dir, key, limit);
    rc = db_query(db, &r, q.sql.buf, q.n, q.params);
    sqlq_free(&q);
    if (rc != DB_OK)
        return rc;
    n = PQntuples(r);
    {
        struct ordered *order = xcalloc((size_t)n, sizeof *order);

        for (i = 0; i < n; i++) {
            order[i].usec = db_ll(r, i, 13);
            order[i].source = (int)db_ll(r, i, 1);
            order[i].id = db_ll(r, i, 2);
            order[i].row = i;
        }
        qsort(order, (size_t)n, sizeof *order, backwards ? oldest_first : newest_first);
        if (n > limit) {
            *more = 1;
            n = limit;
        }
        for (i = 0; i < n; i++)
            read_row(r, order[i].row, &rows[backwards ? n - 1 - i : i]);
        free(order);
    }
    *nrows = n;
    PQclear(r);
    return DB_OK;
}

enum db_status audit_signal_kinds(struct db *db, char (**kinds)[40], int *n)
{
    PGresult *r;
    enum db_status rc;
    int i;

    *kinds = NULL;
    *n = 0;
    /* one index probe per kind, however long the history */
    rc = db_query(db, &r,
                  "WITH RECURSIVE k AS ("
                  "  (SELECT kind FROM signal_events ORDER BY kind LIMIT 1)"
                  "  UNION ALL"
                  "  SELECT (SELECT e.kind FROM signal_events e WHERE e.kind > k.kind ORDER BY e.kind LIMIT 1)"
                  "    FROM k WHERE k.kind IS NOT NULL)"
                  " SELECT kind FROM k WHERE kind IS NOT NULL LIMIT 100",
                  0, NULL);
    if (rc != DB_OK)
        return rc;
    *n = PQntuples(r);
    *kinds = xcalloc((size_t)*n, sizeof **kinds);
    for (i = 0; i < *n; i++)
        str_copy((*kinds)[i], sizeof (*kinds)[i], db_val(r, i, 0));
    PQclear(r);
    return DB_OK;
}

enum db_status signal_by_reg_no(struct db *db, const char *reg_no, long long *id)
{
    const char *params[1] = { reg_no };
    PGresult *r;
    enum db_status rc;

    *id = 0;
    rc = db_query(db, &r, "SELECT id FROM signals WHERE reg_no = upper(btrim($1))", 1, params);
    if (rc != DB_OK)
        return rc;
    if (PQntuples(r) == 1)
        *id = db_ll(r, 0, 0);
    PQclear(r);
    return DB_OK;
}

#include "assign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "timefmt.h"
#include "util.h"

int may_assign(const struct operator_info *me)
{
    return strcmp(me->level, "supervisor") == 0 || strcmp(me->level, "admin") == 0;
}

/* The open statuses literally, as the partial indexes are defined. */
#define OPEN_SQL "s.status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting')"

enum db_status assign_units(struct db *db, struct unit_load **rows, int *n)
{
    PGresult *r;
    enum db_status rc;
    int i, k;

    *rows = NULL;
    *n = 0;
    rc = db_query(db, &r,
                  "WITH a AS ("
                  "  SELECT s.unit_id,"
                  "         count(*) FILTER (WHERE s.status = 'new') AS n1,"
                  "         count(*) FILTER (WHERE s.status = 'registered') AS n2,"
                  "         count(*) FILTER (WHERE s.status = 'assigned') AS n3,"
                  "         count(*) FILTER (WHERE s.status = 'in_progress') AS n4,"
                  "         count(*) FILTER (WHERE s.status = 'waiting') AS n5,"
                  "         count(*) AS open,"
                  "         count(*) FILTER (WHERE s.assignee IS NULL) AS unassigned,"
                  "         count(*) FILTER (WHERE s.due_at < now()) AS overdue"
                  "    FROM signals s WHERE " OPEN_SQL " GROUP BY s.unit_id"
                  ")"
                  "SELECT coalesce(a.unit_id, -1), coalesce(u.name, ''), a.n1, a.n2, a.n3, a.n4, a.n5,"
                  "       a.open, a.unassigned, a.overdue"
                  "  FROM a LEFT JOIN units u ON u.id = a.unit_id"
                  " ORDER BY a.open DESC, u.name NULLS LAST",
                  0, NULL);
    if (rc != DB_OK)
        return rc;
    *n = PQntuples(r);
    *rows = xcalloc((size_t)*n + 1, sizeof **rows);
    for (i = 0; i < *n; i++) {
        struct unit_load *u = &(*rows)[i];

        u->unit_id = (int)db_ll(r, i, 0);
        str_copy(u->name, sizeof u->name, db_val(r, i, 1));
        for (k = 0; k < ASSIGN_OPEN_STATUSES; k++)
            u->by_status[k] = db_ll(r, i, 2 + k);
        u->open = db_ll(r, i, 7);
        u->unassigned = db_ll(r, i, 8);
        u->overdue = db_ll(r, i, 9);
    }
    PQclear(r);
    return DB_OK;
}

enum db_status assign_operators(struct db *db, struct op_load **rows, int *n)
{
    PGresult *r;
    enum db_status rc;
    time_t now = now_time();
    int i;

    *rows = NULL;
    *n = 0;
    rc = db_query(db, &r,
                  "WITH a AS ("
                  "  SELECT s.assignee, count(*) AS open, count(*) FILTER (WHERE s.due_at < now()) AS overdue,"
                  "         min(s.created_at) AS oldest"
                  "    FROM signals s WHERE " OPEN_SQL " AND s.assignee IS NOT NULL GROUP BY s.assignee"
                  ")"
                  "SELECT o.login, o.name, coalesce(u.name, ''), o.level, coalesce(a.open, 0),"
                  "       coalesce(a.overdue, 0), a.oldest"
                  "  FROM a FULL JOIN (SELECT login FROM operators WHERE active AND level <> 'admin') p"
                  "       ON p.login = a.assignee"
                  "  JOIN operators o ON o.login = coalesce(a.assignee, p.login)"
                  "  LEFT JOIN units u ON u.id = o.unit_id"
                  " ORDER BY coalesce(a.open, 0) DESC, o.name, o.login",
                  0, NULL);
    if (rc != DB_OK)
        return rc;
    *n = PQntuples(r);
    *rows = xcalloc((size_t)*n + 1, sizeof **rows);
    for (i = 0; i < *n; i++) {
        struct op_load *o = &(*rows)[i];
        time_t oldest;

        str_copy(o->login, sizeof o->login, db_val(r, i, 0));
        str_copy(o->name, sizeof o->name, db_val(r, i, 1));
        str_copy(o->unit, sizeof o->unit, db_val(r, i, 2));
        str_copy(o->level, sizeof o->level, db_val(r, i, 3));
        o->open = db_ll(r, i, 4);
        o->overdue = db_ll(r, i, 5);
        /* the age against the console's clock, like every age it shows */
        if (!db_isnull(r, i, 6) && parse_pg_time(db_val(r, i, 6), &oldest) == 0)
            o->oldest_age_s = (long long)(now - oldest);
        else
            o->oldest_age_s = -1;
    }
    PQclear(r);
    return DB_OK;
}

enum db_status pick_units(struct db *db, const char *match, struct pick **rows, int *n)
{
    const char *params[1] = { match ? match : "" };
    PGresult *r;
    enum db_status rc;
    int i;

    *rows = NULL;
    *n = 0;
    rc = db_query(db, &r,
                  "SELECT id, name FROM units"
                  " WHERE active AND ($1 = '' OR strpos(lower(name), lower($1)) > 0)"
                  " ORDER BY name",
                  1, params);
    if (rc != DB_OK)
        return rc;
    *n = PQntuples(r);
    *rows = xcalloc((size_t)*n + 1, sizeof **rows);
    for (i = 0; i < *n; i++) {
        (*rows)[i].id = (int)db_ll(r, i, 0);
        str_copy((*rows)[i].label, sizeof (*rows)[i].label, db_val(r, i, 1));
        str_copy((*rows)[i].name, sizeof (*rows)[i].name, db_val(r, i, 1));
    }
    PQclear(r);
    return DB_OK;
}

enum db_status pick_operators(struct db *db, const char *match, struct pick **rows, int *n)
{
    const char *params[1] = { match ? match : "" };
    PGresult *r;
    enum db_status rc;
    int i;

    *rows = NULL;
    *n = 0;
    rc = db_query(db, &r,
                  "SELECT o.login, o.name || ' (' || o.login || ')' || coalesce(' · ' || u.name, ''),"
                  "       o.name || ' (' || o.login || ')'"
                  "  FROM operators o LEFT JOIN units u ON u.id = o.unit_id"
                  " WHERE o.active AND ($1 = '' OR strpos(lower(o.name), lower($1)) > 0"
                  "                    OR strpos(lower(o.login), lower($1)) > 0)"
                  " ORDER BY o.name, o.login",
                  1, params);
    if (rc != DB_OK)
        return rc;
    *n = PQntuples(r);
    *rows = xcalloc((size_t)*n + 1, sizeof **rows);
    for (i = 0; i < *n; i++) {
        str_copy((*rows)[i].login, sizeof (*rows)[i].login, db_val(r, i, 0));
        str_copy((*rows)[i].label, sizeof (*rows)[i].label, db_val(r, i, 1));
        str_copy((*rows)[i].name, sizeof (*rows)[i].name, db_val(r, i, 2));
    }
    PQclear(r);
    return DB_OK;
}

static enum move_outcome outcome_of(const char *s)
{
    if (strcmp(s, "moved") == 0)
        return MOVE_MOVED;
    if (strcmp(s, "same") == 0)
        return MOVE_SAME;
    if (strcmp(s, "ready") == 0)
        return MOVE_READY;
    if (strcmp(s, "changed") == 0)
        return MOVE_CHANGED;
    if (strcmp(s, "closed") == 0)
        return MOVE_CLOSED;
    return MOVE_MISSING;
}

enum db_status signals_move(struct db *db, struct sig_ref *items, int n, const struct move_target *to,
                            const char *reason, enum move_outcome *out, int *moved)
{
    struct strbuf ids, versions;
    char unit[16];
    const char *params[6];
    PGresult *r;
    enum db_status rc;
    int i, k;

    *moved = 0;
    sb_init(&ids);
    sb_init(&versions);
    sb_add(&ids, "{");
    sb_add(&versions, "{");
    for (i = 0; i < n; i++) {
        sb_addf(&ids, "%s%lld", i ? "," : "", items[i].id);
        sb_addf(&versions, "%s%d", i ? "," : "", items[i].version);
        out[i] = MOVE_MISSING;
    }
    sb_add(&ids, "}");
    sb_add(&versions, "}");
    snprintf(unit, sizeof unit, "%d", to->unit_id);
    params[0] = ids.buf;
    params[1] = versions.buf;
    params[2] = to->unit_id > 0 ? unit : NULL;
    params[3] = to->unassign ? NULL : to->assignee;
    params[4] = to->unassign ? "true" : "false";
    params[5] = reason;
    db_mark_change(db);
    rc = db_query(db, &r,
                  "SELECT signal_id, outcome, version"
                  "  FROM move_signals($1::bigint[], $2::integer[], $3::integer, $4, $5::boolean, $6)",
                  6, params);
    sb_free(&ids);
    sb_free(&versions);
    if (rc != DB_OK)
        return rc;
    for (k = 0; k < PQntuples(r); k++) {
        long long id = db_ll(r, k, 0);
        enum move_outcome o = outcome_of(db_val(r, k, 1));

        for (i = 0; i < n; i++) {
            if (items[i].id != id)
                continue;
            out[i] = o;
            if (o == MOVE_MOVED || o == MOVE_SAME)
                items[i].version = (int)db_ll(r, k, 2);
            if (o == MOVE_MOVED)
                (*moved)++;
        }
    }
    PQclear(r);
    return DB_OK;
}

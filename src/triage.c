#include "triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "sqlbuild.h"
#include "timefmt.h"
#include "translit.h"
#include "util.h"

#define OPEN_SQL "s.status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting')"

enum db_status triage_load(struct db *db, long long id, struct triage_info *t)
{
    PGresult *r;
    enum db_status rc;

    memset(t, 0, sizeof *t);
    rc = signal_query(db, &r,
                      "SELECT s.id, s.reg_no, s.kind, s.status, s.version, coalesce(s.category_id, 0),"
                      "       coalesce(s.district_id, 0), coalesce(s.unit_id, 0),"
                      "       coalesce(p.name || ' › ', '') || coalesce(c.name, ''), coalesce(d.name, ''),"
                      "       coalesce(u.name, ''), coalesce(s.assignee, ''), s.priority, s.address, s.description"
                      "  FROM signals s"
                      "  LEFT JOIN categories c ON c.id = s.category_id"
                      "  LEFT JOIN categories p ON p.id = c.parent_id"
                      "  LEFT JOIN districts d ON d.id = s.district_id"
                      "  LEFT JOIN units u ON u.id = s.unit_id"
                      " WHERE s.id = $1",
                      id, 1);
    if (rc != DB_OK)
        return rc;
    t->id = db_ll(r, 0, 0);
    str_copy(t->reg_no, sizeof t->reg_no, db_val(r, 0, 1));
    str_copy(t->kind, sizeof t->kind, db_val(r, 0, 2));
    str_copy(t->status, sizeof t->status, db_val(r, 0, 3));
    t->version = (int)db_ll(r, 0, 4);
    t->category_id = (int)db_ll(r, 0, 5);
    t->district_id = (int)db_ll(r, 0, 6);
    t->unit_id = (int)db_ll(r, 0, 7);
    str_copy(t->category, sizeof t->category, db_val(r, 0, 8));
    str_copy(t->district, sizeof t->district, db_val(r, 0, 9));
    str_copy(t->unit, sizeof t->unit, db_val(r, 0, 10));
    str_copy(t->assignee, sizeof t->assignee, db_val(r, 0, 11));
    t->priority = (int)db_ll(r, 0, 12);
    str_copy(t->address, sizeof t->address, db_val(r, 0, 13));
    t->description = xstrdup(db_val(r, 0, 14));
    PQclear(r);
    return DB_OK;
}

void triage_free(struct triage_info *t)
{
    free(t->description);
    t->description = NULL;
}

const char *sig_field_code(enum sig_field f)
{
    switch (f) {
    case FIELD_STATUS: return "status";
    case FIELD_CATEGORY: return "category";
    case FIELD_DISTRICT: return "district";
    case FIELD_UNIT: return "unit";
    case FIELD_ASSIGNEE: return "assignee";
    case FIELD_PRIORITY: return "priority";
    case FIELD_DESCRIPTION: return "description";
    case FIELD_ADDRESS: return "address";
    case FIELD_KIND: return "kind";
    }
    return "?";
}

static void conflict_message(struct db *db)
{
    db_set_error(db, "%s", _("Another operator changed this signal meanwhile; nothing was saved."));
}

enum db_status signal_set_field(struct db *db, long long id, int version, enum sig_field f, const char *value,
                                const char *comment, int public, int *new_version)
{
    char idbuf[32], verbuf[16];
    const char *params[6] = { idbuf, verbuf, sig_field_code(f), value && *value ? value : NULL,
                              comment && *comment ? comment : NULL, public ? "true" : "false" };
    PGresult *r;
    enum db_status rc;

    if (f == FIELD_STATUS) {
        rc = signal_change_status(db, id, version, value, comment, public);
        if (rc == DB_OK && new_version)
            *new_version = version + 1;
        return rc;
    }
    snprintf(idbuf, sizeof idbuf, "%lld", id);
    snprintf(verbuf, sizeof verbuf, "%d", version);
    db_mark_change(db);
    rc = db_query(db, &r, "SELECT set_signal_field($1, $2, $3, $4, $5, $6)", 6, params);
    if (rc != DB_OK)
        return rc;
    if (db_isnull(r, 0, 0)) {
        conflict_message(db);
        rc = DB_CONFLICT;
    } else if (new_version) {
        *new_version = (int)db_ll(r, 0, 0);
    }
    PQclear(r);
    return rc;
}

enum db_status signal_add_comment(struct db *db, long long id, const char *text, int public)
{
    char idbuf[32];
    const char *params[3] = { idbuf, text, public ? "true" : "false" };

    snprintf(idbuf, sizeof idbuf, "%lld", id);
    db_mark_change(db);
    return db_exec(db, "SELECT add_comment($1, $2, $3)", 3, params);
}

/* Open statuses, as the query module marks them. */
#define OPEN_BITS ((1u << ST_NEW) | (1u << ST_REGISTERED) | (1u << ST_ASSIGNED) | (1u << ST_IN_PROGRESS) | \
                   (1u << ST_WAITING))

/* Does the query keep to open statuses by itself (a status term of open
 * statuses only, not negated)? */
static int keeps_to_open(const struct query *q)
{
    int i;

    for (i = 0; q && i < q->nterms; i++) {
        const struct qterm *t = &q->terms[i];

        if (t->field == QF_STATUS && !t->negate && t->mask && !(t->mask & ~OPEN_BITS))
            return 1;
    }
    return 0;
}

enum db_status signal_take_next(struct db *db, const struct sig_view *v, const struct operator_info *me,
                                long long *id, char *reg_no, size_t size)
{
    struct query_ctx ctx;
    struct sqlq q;
    PGresult *r;
    enum db_status rc;

    *id = 0;
    if (reg_no && size)
        reg_no[0] = '\0';
    ctx.now = v->now;
    /* Only open signals are taken, and the status is said once: a second
     * condition on it makes the planner think almost nothing matches and
     * sort them all (9 ms instead of 0.2 at 1M).  A queue of one status
     * (status:new) comes as a plain equality, so the partial index
     * signals_unclaimed_status_idx gives its free signals in order. */
    sqlq_init(&q);
    sqlq_sql(&q, "WITH picked AS (SELECT s.id FROM signals s WHERE true");
    query_where(v->query, &ctx, &q);
    if (!keeps_to_open(v->query))
        sqlq_sql(&q, " AND " OPEN_SQL);
    /* One statement, so one short transaction: pick, claim, record, tell. */
    sqlq_sql(&q, " AND s.assignee IS NULL"
                 " ORDER BY s.priority DESC, s.created_at, s.id LIMIT 1 FOR UPDATE SKIP LOCKED),"
                 " claimed AS (UPDATE signals s SET assignee = ");
    sqlq_param(&q, me->login);
    sqlq_sql(&q, ", version = s.version + 1, updated_at = now() FROM picked WHERE s.id = picked.id"
                 " RETURNING s.id, s.reg_no, s.assignee),"
                 " event AS (INSERT INTO signal_events (signal_id, kind, new_value)"
                 " SELECT id, 'assignee', assignee FROM claimed)"
                 " SELECT id, reg_no, pg_notify('signaldesk', id::text) FROM claimed");
    db_mark_change(db);
    rc = db_query(db, &r, q.sql.buf, q.n, q.params);
    sqlq_free(&q);
    if (rc != DB_OK)
        return rc;
    if (PQntuples(r) == 1) {
        *id = db_ll(r, 0, 0);
        if (reg_no)
            str_copy(reg_no, size, db_val(r, 0, 1));
    }
    PQclear(r);
    return DB_OK;
}

enum db_status fill_template(struct db *db, const char *text, long long id, const char *status, char **out)
{
    char idbuf[32], date[32];
    const char *params[4] = { text, idbuf, status, date };
    PGresult *r;
    enum db_status rc;
    time_t now = now_time();

    *out = NULL;
    snprintf(idbuf, sizeof idbuf, "%lld", id);
    strftime(date, sizeof date, "%d.%m.%Y", localtime(&now));
    rc = db_query(db, &r, "SELECT fill_placeholders($1, $2, $3, NULL, $4)", 4, params);
    if (rc != DB_OK)
        return rc;
    *out = xstrdup(PQntuples(r) ? db_val(r, 0, 0) : text);
    PQclear(r);
    return DB_OK;
}

/* ---- lists for the pickers -------------------------------------------- */

static void list_alloc(struct ref_list *list, int n)
{
    list->n = n;
    list->items = xcalloc((size_t)(n ? n : 1), sizeof *list->items);
}

void ref_list_free(struct ref_list *list)
{
    int i;

    for (i = 0; i < list->n; i++) {
        free(list->items[i].code);
        free(list->items[i].name);
        free(list->items[i].parent);
        free(list->items[i].search);
        free(list->items[i].text);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}

/* Runs a picker list's query and makes an item of each row with fill(). */
static enum db_status ref_query(struct db *db, struct ref_list *list, const char *sql, int nparams,
                                const char *const *params,
                                void (*fill)(struct ref_item *it, PGresult *r, int i, const void *arg),
                                const void *arg)
{
    PGresult *r;
    enum db_status rc;
    int i;

    memset(list, 0, sizeof *list);
    rc = db_query(db, &r, sql, nparams, params);
    if (rc != DB_OK)
        return rc;
    list_alloc(list, PQntuples(r));
    for (i = 0; i < list->n; i++)
        fill(&list->items[i], r, i, arg);
    PQclear(r);
    return DB_OK;
}

static char *text_at(PGresult *r, int i, int col)
{
    return xstrdup(db_val(r, i, col));
}

static void category_item(struct ref_item *it, PGresult *r, int i, const void *arg)
{
    (void)arg;
    it->id = db_ll(r, i, 0);
    it->name = text_at(r, i, 1);
    it->parent = text_at(r, i, 2);
    it->search = text_at(r, i, 3);
    it->depth = db_val(r, i, 4)[0] == 't';
}

enum db_status ref_categories(struct db *db, struct ref_list *list)
{
    /* the tree in order: each parent, then its children */
    return ref_query(db, list,
                     "SELECT c.id, c.name, coalesce(p.name, ''), c.name_latin, c.parent_id IS NOT NULL"
                     "  FROM categories c LEFT JOIN categories p ON p.id = c.parent_id"
                     " WHERE c.active AND (p.id IS NULL OR p.active)"
                     " ORDER BY coalesce(c.parent_id, c.id), c.parent_id IS NOT NULL, c.name",
                     0, NULL, category_item, NULL);
}

static void district_item(struct ref_item *it, PGresult *r, int i, const void *arg)
{
    (void)arg;
    it->id = db_ll(r, i, 0);
    it->name = text_at(r, i, 1);
    it->search = text_at(r, i, 2);
    it->lat = strtod(db_val(r, i, 3), NULL);
    it->lon = strtod(db_val(r, i, 4), NULL);
    it->radius_km = strtod(db_val(r, i, 5), NULL);
}

enum db_status ref_districts(struct db *db, struct ref_list *list)
{
    return ref_query(db, list, "SELECT id, name, name_latin, lat, lon, radius_km FROM districts ORDER BY name", 0,
                     NULL, district_item, NULL);
}

static const char *id_param(char *buf, size_t size, long long id)
{
    if (id <= 0)
        return NULL;
    snprintf(buf, size, "%lld", id);
    return buf;
}

static void unit_item(struct ref_item *it, PGresult *r, int i, const void *arg)
{
    (void)arg;
    it->id = db_ll(r, i, 0);
    it->name = text_at(r, i, 1);
    it->code = text_at(r, i, 2);
    it->mark = (db_val(r, i, 3)[0] == 't' ? REF_SUGGESTED : 0) | (db_val(r, i, 4)[0] == 't' ? REF_CURRENT : 0);
}

enum db_status ref_units(struct db *db, int category_id, int district_id, int current_unit, struct ref_list *list)
{
    char cat[16], dis[16], cur[16];
    const char *params[3];

    params[0] = id_param(cat, sizeof cat, category_id);
    params[1] = id_param(dis, sizeof dis, district_id);
    params[2] = id_param(cur, sizeof cur, current_unit);
    return ref_query(db, list,
                     "SELECT u.id, u.name, u.kind,"
                     "       (u.id = route_unit($1::integer, $2::smallint)) IS TRUE AS suggested,"
                     "       (u.id = $3::integer) IS TRUE AS current"
                     "  FROM units u WHERE u.active OR u.id = $3::integer"
                     " ORDER BY 4 DESC, 5 DESC, u.name",
                     3, params, unit_item, NULL);
}

static void operator_item(struct ref_item *it, PGresult *r, int i, const void *arg)
{
    const struct operator_info *me = arg;

    it->id = i + 1;
    it->code = text_at(r, i, 0);
    it->name = text_at(r, i, 1);
    it->parent = text_at(r, i, 2);
    it->search = text_at(r, i, 0);
    it->count = db_ll(r, i, 3);
    it->mark = strcmp(it->code, me->login) == 0 ? REF_CURRENT : 0;
}

enum db_status ref_operators(struct db *db, const struct operator_info *me, struct ref_list *list)
{
    char unit[16];
    const char *params[1];

    params[0] = id_param(unit, sizeof unit, me->unit_id);
    return ref_query(db, list,
                     "SELECT o.login, o.name, coalesce(u.name, ''),"
                     "       (SELECT count(*) FROM signals s WHERE s.assignee = o.login AND " OPEN_SQL ")"
                     "  FROM operators o LEFT JOIN units u ON u.id = o.unit_id"
                     " WHERE o.active"
                     " ORDER BY o.login = current_user DESC, (o.unit_id = $1::integer) IS TRUE DESC, o.name",
                     1, params, operator_item, me);
}

static void template_item(struct ref_item *it, PGresult *r, int i, const void *arg)
{
    (void)arg;
    it->id = db_ll(r, i, 0);
    it->code = text_at(r, i, 1);
    it->name = text_at(r, i, 2);
    it->text = text_at(r, i, 3);
    it->parent = text_at(r, i, 4);
    it->search = text_at(r, i, 3);
    it->mark = db_val(r, i, 5)[0] == 't' ? REF_SUGGESTED : 0;
    it->ref_id = db_ll(r, i, 6);
}

enum db_status ref_templates(struct db *db, const char *kind, int category_id, struct ref_list *list)
{
    char cat[16];
    const char *params[2];

    params[0] = kind;
    params[1] = id_param(cat, sizeof cat, category_id);
    return ref_query(db, list,
                     "SELECT t.id, t.kind, t.title, t.body, coalesce(c.name, ''),"
                     "       (t.category_id = $2::integer OR t.category_id ="
                     "          (SELECT parent_id FROM categories WHERE id = $2::integer)) IS TRUE AS own,"
                     "       coalesce(t.category_id, 0)"
                     "  FROM response_templates t LEFT JOIN categories c ON c.id = t.category_id"
                     " WHERE t.active AND ($1::text IS NULL OR t.kind = $1::text)"
                     " ORDER BY own DESC, t.category_id IS NULL DESC, t.kind DESC, t.title",
                     2, params, template_item, NULL);
}

/* ---- addresses -------------------------------------------------------- */

static void lower_trimmed(const char *in, char *out, size_t size)
{
    char buf[1024];

    str_copy(buf, sizeof buf, in ? in : "");
    str_trim(buf);
    utf8_lower(buf, out, size);
}

enum db_status district_of_address(struct db *db, const char *address, int *district_id)
{
    char key[1024];
    const char *params[1] = { key };
    PGresult *r;
    enum db_status rc;

    *district_id = 0;
    lower_trimmed(address, key, sizeof key);
    if (!*key)
        return DB_OK;
    rc = db_query(db, &r,
                  "SELECT district_id FROM ("
                  "  SELECT district_id FROM signals"
                  "   WHERE (lower(address) COLLATE \"C\") = $1 AND address <> '' AND district_id IS NOT NULL"
                  "   LIMIT 100) x"
                  " GROUP BY district_id ORDER BY count(*) DESC, district_id LIMIT 1",
                  1, params);
    if (rc != DB_OK)
        return rc;
    if (PQntuples(r) == 1)
        *district_id = (int)db_ll(r, 0, 0);
    PQclear(r);
    return DB_OK;
}

enum db_status address_suggestion(struct db *db, const char *prefix, char *out, size_t size)
{
    char low[1024];
    struct strbuf pat;
    const char *params[1];
    PGresult *r;
    enum db_status rc;
    const char *p;

    out[0] = '\0';
    lower_trimmed(prefix, low, sizeof low);
    if (utf8_width(low) < 3)
        return DB_OK;
    /* a LIKE prefix: escape its own wildcards */
    sb_init(&pat);
    for (p = low; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            sb_add(&pat, "\\");
        sb_addn(&pat, p, 1);
    }
    sb_add(&pat, "%");
    params[0] = pat.buf;
    rc = db_query(db, &r,
                  "SELECT address FROM ("
                  "  SELECT address FROM signals"
                  "   WHERE (lower(address) COLLATE \"C\") LIKE $1 AND address <> ''"
                  "   ORDER BY (lower(address) COLLATE \"C\") LIMIT 200) x"
                  " GROUP BY address ORDER BY count(*) DESC, address LIMIT 1",
                  1, params);
    sb_free(&pat);
    if (rc != DB_OK)
        return rc;
    if (PQntuples(r) == 1)
        str_copy(out, size, db_val(r, 0, 0));
    PQclear(r);
    return DB_OK;
}

/* ---- tagging ---------------------------------------------------------- */

enum db_status signals_tag_matching(struct db *db, const struct sig_view *v, const char *text, int limit,
                                    struct tagset *tags, int *added)
{
    struct query_ctx ctx;
    struct sqlq q;
    PGresult *r;
    enum db_status rc;
    int i;

    *added = 0;
    ctx.now = v->now;
    sqlq_init(&q);
    sqlq_sql(&q, "SELECT s.id, s.version, s.reg_no FROM signals s WHERE true");
    query_where(v->query, &ctx, &q);
    sqlq_sql(&q, " AND (strpos(lower(s.reg_no), lower(");
    sqlq_param(&q, text);
    sqlq_sql(&q, ")) > 0 OR strpos(lower(s.description), lower(");
    sqlq_param(&q, text);
    sqlq_sql(&q, ")) > 0 OR strpos(lower(s.address), lower(");
    sqlq_param(&q, text);
    sqlq_sql(&q, ")) > 0) ORDER BY s.created_at DESC, s.id DESC LIMIT ");
    sqlq_paramf(&q, "%d", limit);
    rc = db_query(db, &r, q.sql.buf, q.n, q.params);
    sqlq_free(&q);
    if (rc != DB_OK)
        return rc;
    for (i = 0; i < PQntuples(r); i++) {
        int k = tags_add(tags, db_ll(r, i, 0), (int)db_ll(r, i, 1), db_val(r, i, 2));

        if (k < 0)
            break;
        *added += k;
    }
    PQclear(r);
    return DB_OK;
}

/* ---- bulk ------------------------------------------------------------- */

/* {1,2,3} from the tags' ids or versions. */
static void tag_array(const struct tagset *tags, int versions, struct strbuf *out)
{
    int i;

    sb_add(out, "{");
    for (i = 0; i < tags->n; i++) {
        if (versions)
            sb_addf(out, "%s%d", i ? "," : "", tags->items[i].version);
        else
            sb_addf(out, "%s%lld", i ? "," : "", tags->items[i].id);
    }
    sb_add(out, "}");
}

enum db_status bulk_check(struct db *db, const struct tagset *tags, enum sig_field f, const char *value,
                          struct bulk_item **items, int *n)
{
    struct strbuf ids, vers;
    const char *params[4];
    PGresult *r;
    enum db_status rc;
    int i;

    *items = NULL;
    *n = 0;
    sb_init(&ids);
    sb_init(&vers);
    tag_array(tags, 0, &ids);
    tag_array(tags, 1, &vers);
    params[0] = ids.buf;
    params[1] = vers.buf;
    params[2] = sig_field_code(f);
    params[3] = value && *value ? value : NULL;
    rc = db_query(db, &r,
                  "SELECT v.id, v.version, s.id IS NOT NULL, coalesce(s.reg_no, ''), coalesce(s.status, ''),"
                  "       coalesce(s.kind, ''), coalesce(s.version, 0),"
                  "       CASE $3 WHEN 'status' THEN s.status"
                  "               WHEN 'category' THEN s.category_id::text"
                  "               WHEN 'district' THEN s.district_id::text"
                  "               WHEN 'unit' THEN s.unit_id::text"
                  "               WHEN 'assignee' THEN s.assignee"
                  "               WHEN 'priority' THEN s.priority::text END IS NOT DISTINCT FROM $4,"
                  "       $3 <> 'status' OR $4 IS NULL OR EXISTS (SELECT 1 FROM status_transitions t"
                  "          WHERE t.from_status = s.status AND t.to_status = $4"
                  "            AND (t.only_kind IS NULL OR t.only_kind = s.kind)),"
                  "       coalesce((SELECT e.actor FROM signal_events e WHERE e.signal_id = s.id"
                  "                  ORDER BY e.at DESC, e.id DESC LIMIT 1), '')"
                  "  FROM unnest($1::bigint[], $2::integer[]) WITH ORDINALITY AS v(id, version, ord)"
                  "  LEFT JOIN signals s ON s.id = v.id"
                  " ORDER BY v.ord",
                  4, params);
    sb_free(&ids);
    sb_free(&vers);
    if (rc != DB_OK)
        return rc;
    *n = PQntuples(r);
    *items = xcalloc((size_t)(*n ? *n : 1), sizeof **items);
    for (i = 0; i < *n; i++) {
        struct bulk_item *it = &(*items)[i];

        it->id = db_ll(r, i, 0);
        it->version = (int)db_ll(r, i, 1);
        str_copy(it->reg_no, sizeof it->reg_no, db_val(r, i, 3));
        str_copy(it->status, sizeof it->status, db_val(r, i, 4));
        str_copy(it->kind, sizeof it->kind, db_val(r, i, 5));
        it->now_version = (int)db_ll(r, i, 6);
        str_copy(it->changed_by, sizeof it->changed_by, db_val(r, i, 9));
        if (db_val(r, i, 2)[0] != 't')
            it->problem = BULK_GONE;
        else if (it->now_version != it->version)
            it->problem = BULK_CHANGED;
        else if (value && db_val(r, i, 7)[0] == 't')
            it->problem = BULK_SAME;
        else if (db_val(r, i, 8)[0] != 't')
            it->problem = BULK_NOT_ALLOWED;
        else
            it->problem = BULK_OK;
        if (!it->reg_no[0]) {
            int k = tags_find(tags, it->id);

            if (k >= 0)
                str_copy(it->reg_no, sizeof it->reg_no, tags->items[k].reg_no);
        }
    }
    PQclear(r);
    return DB_OK;
}

enum db_status bulk_apply(struct db *db, struct bulk_item *items, int n, enum sig_field f, const char *value,
                          const char *comment, int public, struct tagset *tags, int *applied)
{
    struct strbuf ids, vers;
    const char *params[6];
    PGresult *r;
    enum db_status rc;
    int i, count = 0;

    *applied = 0;
    sb_init(&ids);
    sb_init(&vers);
    sb_add(&ids, "{");
    sb_add(&vers, "{");
    for (i = 0; i < n; i++) {
        if (items[i].problem != BULK_OK)
            continue;
        sb_addf(&ids, "%s%lld", count ? "," : "", items[i].id);
        sb_addf(&vers, "%s%d", count ? "," : "", items[i].version);
        count++;
    }
    sb_add(&ids, "}");
    sb_add(&vers, "}");
    if (count == 0) {
        sb_free(&ids);
        sb_free(&vers);
        return DB_OK;
    }
    params[0] = ids.buf;
    params[1] = vers.buf;
    params[2] = sig_field_code(f);
    params[3] = value && *value ? value : NULL;
    params[4] = comment && *comment ? comment : NULL;
    params[5] = public ? "true" : "false";
    db_mark_change(db);
    rc = db_query(db, &r, "SELECT id, version FROM bulk_set($1::bigint[], $2::integer[], $3, $4, $5, $6)", 6,
                  params);
    sb_free(&ids);
    sb_free(&vers);
    if (rc != DB_OK)
        return rc;
    for (i = 0; i < PQntuples(r); i++)
        tags_set_version(tags, db_ll(r, i, 0), (int)db_ll(r, i, 1));
    *applied = PQntuples(r);
    PQclear(r);
    return DB_OK;
}

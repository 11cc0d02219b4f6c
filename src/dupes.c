#include "dupes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sqlbuild.h"
#include "timefmt.h"
#include "util.h"

void dupe_params_default(struct dupe_params *p)
{
    p->radius_m = 250;
    p->days = 30;
    p->similarity_pct = 30;
    p->far_m = 1000;
}

void dupe_params_from_config(const struct config *cfg, struct dupe_params *p)
{
    dupe_params_default(p);
    if (cfg->dupes_radius_m > 0)
        p->radius_m = cfg->dupes_radius_m;
    if (cfg->dupes_days > 0)
        p->days = cfg->dupes_days;
    if (cfg->dupes_similarity_pct > 0)
        p->similarity_pct = cfg->dupes_similarity_pct;
    if (cfg->dupes_far_m >= 0)
        p->far_m = cfg->dupes_far_m;
}

/* The weights of the score's parts; the screens say what each part is. */
#define W_PLACE "0.45"
#define W_TEXT  "0.35"
#define W_TIME  "0.20"
/* Addresses this alike name the same place (when coordinates are missing). */
#define ADDRESS_SIM "0.5"
/* At most this many nearest, and most alike addresses, are ranked: the
 * screens show a handful, and each one ranked costs a text comparison. */
#define PLACE_MAX "100"
#define TEXT_MAX "50"

static void add_point(struct sqlq *q, const struct dupe_draft *d)
{
    sqlq_sql(q, "point(");
    sqlq_paramf(q, "%.7f", d->lon);
    sqlq_sql(q, "::float8, ");
    sqlq_paramf(q, "%.7f", d->lat);
    sqlq_sql(q, "::float8)");
}

static void add_time(struct sqlq *q, time_t t)
{
    sqlq_sql(q, "to_timestamp(");
    sqlq_paramf(q, "%lld", (long long)t);
    sqlq_sql(q, "::float8)");
}

static void add_window(struct sqlq *q, const struct dupe_draft *d, const struct dupe_params *p)
{
    sqlq_sql(q, "tstzrange(");
    add_time(q, d->created);
    sqlq_sql(q, " - make_interval(days => ");
    sqlq_paramf(q, "%d", p->days);
    sqlq_sql(q, "::integer), ");
    add_time(q, d->created);
    sqlq_sql(q, " + make_interval(days => ");
    sqlq_paramf(q, "%d", p->days);
    sqlq_sql(q, "::integer), '[]')");
}

/* The related categories (those under the same top-level category), as
 * the array the database wrote: one constant for the planner. */
static void add_family(struct sqlq *q, const char *family)
{
    sqlq_param(q, family);
    sqlq_sql(q, "::integer[]");
}

#define FAMILY_SQL(cat) \
    "(SELECT coalesce(array_agg(f.id), '{}') FROM categories f WHERE coalesce(f.parent_id, f.id) =" \
    " (SELECT coalesce(parent_id, id) FROM categories WHERE id = " cat "))"

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* One query: the signals near in place (a box of the radius on the GiST
 * index of place and time) and, where coordinates are missing on either
 * side, those of related categories and a similar address in the same
 * district (the btree of category and time); then ranked. */
static char *id_array(const long long *ids, int n);

static enum db_status candidates(struct db *db, const struct dupe_draft *draft, const char *family,
                                 long long exclude, const long long *only, int nonly, const struct dupe_params *p,
                                 int limit, struct dupe_list *out)
{
    struct dupe_draft dd = *draft, *d = &dd;
    struct sqlq q;
    PGresult *r;
    enum db_status rc;
    int branches = 0, i;
    int text_branch = d->category_id > 0 && (d->district_id > 0 || !d->has_location) &&
                      (!str_empty(d->address) || !str_empty(d->description));

    memset(out, 0, sizeof *out);
    /* "now" as the console shows it (pinned in tests) */
    if (!d->created)
        d->created = now_time();
    out->reference = d->created;
    if (only)
        text_branch = 0;
    else if (!d->has_location && !text_branch)
        return DB_OK;   /* nothing to compare the place with */
    sqlq_init(&q);
    sqlq_sql(&q, "SELECT id, reg_no, status, created_at, version, priority, by_address, m, asim, tsim, days,"
                 " place, tsim, timep, " W_PLACE " * place + " W_TEXT " * tsim + " W_TIME " * timep AS score,"
                 " category, address, summary FROM ("
                 "SELECT s.id, s.reg_no, s.status, s.created_at, s.version, s.priority, c.by_address,"
                 " coalesce(c.m, 0) AS m, coalesce(c.asim, 0) AS asim,"
                 " similarity(s.description, ");
    sqlq_param(&q, nz(d->description));
    sqlq_sql(&q, ") AS tsim, extract(epoch FROM s.created_at - ");
    add_time(&q, d->created);
    sqlq_sql(&q, ") / 86400.0 AS days,"
                 " CASE WHEN c.by_address THEN coalesce(c.asim, 0) ELSE greatest(0, 1 - c.m / ");
    sqlq_paramf(&q, "%d", p->radius_m);
    sqlq_sql(&q, "::float8) END AS place,"
                 " greatest(0, 1 - abs(extract(epoch FROM s.created_at - ");
    add_time(&q, d->created);
    sqlq_sql(&q, ")) / 86400.0 / ");
    sqlq_paramf(&q, "%d", p->days);
    sqlq_sql(&q, "::float8) AS timep,"
                 " coalesce(cat.name, '') AS category, s.address,"
                 " left(split_part(s.description, E'\\n', 1), 190) AS summary"
                 " FROM (");
    if (only) {
        /* given signals (a cluster, tagged ones): compared, not searched */
        char *arr = id_array(only, nonly);

        if (d->has_location) {
            sqlq_sql(&q, "SELECT s.id, s.location IS NULL AS by_address, distance_m(");
            add_point(&q, d);
            sqlq_sql(&q, ", s.location) AS m, ");
        } else {
            sqlq_sql(&q, "SELECT s.id, true AS by_address, NULL::float8 AS m, ");
        }
        sqlq_sql(&q, "similarity(s.address, ");
        sqlq_param(&q, nz(d->address));
        sqlq_sql(&q, ") AS asim FROM signals s WHERE s.id = ANY (");
        sqlq_param(&q, arr);
        sqlq_sql(&q, "::bigint[])");
        free(arr);
    } else if (d->has_location) {
        /* the nearest first (KNN on the GiST index), a hundred at most */
        sqlq_sql(&q, "(SELECT s.id, false AS by_address, distance_m(");
        add_point(&q, d);
        sqlq_sql(&q, ", s.location) AS m, NULL::real AS asim FROM signals s"
                     " WHERE s.location <@ box_around(");
        add_point(&q, d);
        sqlq_sql(&q, ", ");
        sqlq_paramf(&q, "%d", p->radius_m);
        sqlq_sql(&q, "::float8) AND alive(s.status, s.created_at, s.closed_at, s.resolved_at) && ");
        add_window(&q, d, p);
        sqlq_sql(&q, " AND s.status <> 'duplicate' AND distance_m(");
        add_point(&q, d);
        sqlq_sql(&q, ", s.location) <= ");
        sqlq_paramf(&q, "%d", p->radius_m);
        sqlq_sql(&q, "::float8");
        if (d->category_id > 0) {
            sqlq_sql(&q, " AND s.category_id = ANY (");
            add_family(&q, family);
            sqlq_sql(&q, ")");
        }
        sqlq_sql(&q, " ORDER BY s.location <-> ");
        add_point(&q, d);
        sqlq_sql(&q, " LIMIT " PLACE_MAX ")");
        branches++;
    }
    if (text_branch) {
        /* the most alike addresses, fifty at most */
        if (branches)
            sqlq_sql(&q, " UNION ALL ");
        sqlq_sql(&q, "(SELECT id, true AS by_address, NULL::float8 AS m, asim FROM (SELECT s.id, similarity(s.address, ");
        sqlq_param(&q, nz(d->address));
        sqlq_sql(&q, ") AS asim");
        if (str_empty(d->address)) {
            sqlq_sql(&q, ", similarity(s.description, ");
            sqlq_param(&q, nz(d->description));
            sqlq_sql(&q, ") AS dsim");
        }
        sqlq_sql(&q, " FROM signals s WHERE s.category_id = ANY (");
        add_family(&q, family);
        sqlq_sql(&q, ") AND alive_end(s.status, s.created_at, s.closed_at, s.resolved_at) >= ");
        add_time(&q, d->created);
        sqlq_sql(&q, " - make_interval(days => ");
        sqlq_paramf(&q, "%d", p->days);
        sqlq_sql(&q, "::integer) AND s.created_at <= ");
        add_time(&q, d->created);
        sqlq_sql(&q, " + make_interval(days => ");
        sqlq_paramf(&q, "%d", p->days);
        sqlq_sql(&q, "::integer) AND s.status <> 'duplicate'");
        if (d->district_id > 0) {
            sqlq_sql(&q, " AND s.district_id = ");
            sqlq_paramf(&q, "%d", d->district_id);
            sqlq_sql(&q, "::smallint");
        }
        if (d->has_location)
            sqlq_sql(&q, " AND s.location IS NULL");
        if (!str_empty(d->address)) {
            sqlq_sql(&q, " OFFSET 0) t WHERE asim >= " ADDRESS_SIM " ORDER BY asim DESC, id LIMIT " TEXT_MAX ")");
        } else {
            sqlq_sql(&q, " OFFSET 0) t WHERE dsim >= ");
            sqlq_paramf(&q, "%d", p->similarity_pct);
            sqlq_sql(&q, "::float8 / 100 ORDER BY dsim DESC, id LIMIT " TEXT_MAX ")");
        }
    }
    sqlq_sql(&q, ") c JOIN signals s ON s.id = c.id LEFT JOIN categories cat ON cat.id = s.category_id WHERE s.id <> ");
    sqlq_paramf(&q, "%lld", exclude);
    sqlq_sql(&q, "::bigint");
    /* OFFSET 0 keeps x a subquery of its own: pulled up, each part (a
     * similarity() call) would be worked out again at every use */
    sqlq_sql(&q, " OFFSET 0) x ORDER BY score DESC, id LIMIT ");
    sqlq_paramf(&q, "%d", limit);
    if (only) {
        rc = db_query(db, &r, q.sql.buf, q.n, q.params);
    } else {
        /* one shape of the statement per kind of reference: prepared once */
        char name[64];

        snprintf(name, sizeof name, "sd_dupes_%d%d%d%d%d", d->has_location, text_branch, !str_empty(d->address),
                 d->district_id > 0, d->category_id > 0);
        rc = db_query_named(db, &r, name, q.sql.buf, q.n, q.params);
    }
    sqlq_free(&q);
    if (rc != DB_OK)
        return rc;
    out->n = PQntuples(r);
    out->items = xcalloc((size_t)(out->n ? out->n : 1), sizeof *out->items);
    for (i = 0; i < out->n; i++) {
        struct dupe_candidate *c = &out->items[i];

        c->id = db_ll(r, i, 0);
        str_copy(c->reg_no, sizeof c->reg_no, db_val(r, i, 1));
        str_copy(c->status, sizeof c->status, db_val(r, i, 2));
        parse_pg_time(db_val(r, i, 3), &c->created);
        c->version = (int)db_ll(r, i, 4);
        c->priority = (int)db_ll(r, i, 5);
        c->by_address = db_val(r, i, 6)[0] == 't';
        c->distance_m = strtod(db_val(r, i, 7), NULL);
        c->address_sim = strtod(db_val(r, i, 8), NULL);
        c->text_sim = strtod(db_val(r, i, 9), NULL);
        c->days_apart = strtod(db_val(r, i, 10), NULL);
        c->part_place = strtod(db_val(r, i, 11), NULL);
        c->part_text = strtod(db_val(r, i, 12), NULL);
        c->part_time = strtod(db_val(r, i, 13), NULL);
        c->score = strtod(db_val(r, i, 14), NULL);
        str_copy(c->category, sizeof c->category, db_val(r, i, 15));
        str_copy(c->address, sizeof c->address, db_val(r, i, 16));
        str_copy(c->summary, sizeof c->summary, db_val(r, i, 17));
    }
    PQclear(r);
    return DB_OK;
}

enum db_status dupes_for_draft(struct db *db, const struct dupe_draft *d, const struct dupe_params *p,
                               int limit, struct dupe_list *out)
{
    char cat[16];
    const char *params[1] = { cat };
    PGresult *r;
    enum db_status rc;

    memset(out, 0, sizeof *out);
    snprintf(cat, sizeof cat, "%d", d->category_id);
    rc = db_query_named(db, &r, "sd_dupes_family", "SELECT " FAMILY_SQL("$1::integer"), 1, params);
    if (rc != DB_OK)
        return rc;
    rc = candidates(db, d, db_val(r, 0, 0), 0, NULL, 0, p, limit, out);
    PQclear(r);
    return rc;
}

static enum db_status for_signal(struct db *db, long long id, const long long *only, int nonly,
                                 const struct dupe_params *p, int limit, struct dupe_list *out)
{
    char idbuf[32];
    const char *params[1] = { idbuf };
    struct dupe_draft d;
    PGresult *r;
    enum db_status rc;

    memset(out, 0, sizeof *out);
    snprintf(idbuf, sizeof idbuf, "%lld", id);
    rc = db_query_named(db, &r, "sd_dupes_reference",
                  "SELECT coalesce(category_id, 0), coalesce(district_id, 0), location IS NOT NULL,"
                  "       coalesce(location[1], 0), coalesce(location[0], 0), address, description,"
                  "       extract(epoch FROM created_at)::bigint, " FAMILY_SQL("s.category_id")
                  "  FROM signals s WHERE id = $1",
                  1, params);
    if (rc != DB_OK)
        return rc;
    if (PQntuples(r) != 1) {
        PQclear(r);
        db_set_error(db, "%s", _("The signal no longer exists."));
        return DB_ERROR;
    }
    memset(&d, 0, sizeof d);
    d.category_id = (int)db_ll(r, 0, 0);
    d.district_id = (int)db_ll(r, 0, 1);
    d.has_location = db_val(r, 0, 2)[0] == 't';
    d.lat = strtod(db_val(r, 0, 3), NULL);
    d.lon = strtod(db_val(r, 0, 4), NULL);
    d.address = db_val(r, 0, 5);
    d.description = db_val(r, 0, 6);
    d.created = (time_t)db_ll(r, 0, 7);
    rc = candidates(db, &d, db_val(r, 0, 8), id, only, nonly, p, limit, out);
    PQclear(r);
    return rc;
}

enum db_status dupes_for_signal(struct db *db, long long id, const struct dupe_params *p, int limit,
                                struct dupe_list *out)
{
    return for_signal(db, id, NULL, 0, p, limit, out);
}

enum db_status dupes_compare(struct db *db, long long id, const long long *ids, int n, const struct dupe_params *p,
                             struct dupe_list *out)
{
    if (n <= 0) {
        memset(out, 0, sizeof *out);
        out->reference = now_time();
        return DB_OK;
    }
    return for_signal(db, id, ids, n, p, n, out);
}

void dupe_list_free(struct dupe_list *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* "{1,2,3}" from the database. */
static int parse_ids(const char *s, long long **out)
{
    int n = 0, cap = 8;
    long long *ids = xmalloc((size_t)cap * sizeof *ids);

    while (*s) {
        char *end;
        long long v;

        if (*s < '0' || *s > '9') {
            s++;
            continue;
        }
        v = strtoll(s, &end, 10);
        if (n == cap) {
            cap *= 2;
            ids = xrealloc(ids, (size_t)cap * sizeof *ids);
        }
        ids[n++] = v;
        s = end;
    }
    *out = ids;
    return n;
}

enum db_status dupes_clusters(struct db *db, int district_id, const struct dupe_params *p, int limit,
                              struct cluster_list *out)
{
    char dist[16], radius[16], sim[16], lim[16];
    const char *params[4] = { district_id > 0 ? dist : NULL, radius, sim, lim };
    PGresult *r;
    enum db_status rc;
    int i;

    memset(out, 0, sizeof *out);
    snprintf(dist, sizeof dist, "%d", district_id);
    snprintf(radius, sizeof radius, "%d", p->radius_m);
    snprintf(sim, sizeof sim, "%.2f", p->similarity_pct / 100.0);
    snprintf(lim, sizeof lim, "%d", limit);
    /* the whole city takes seconds: a key press stops it */
    rc = db_read(db, &r,
                  "SELECT c.size, c.ids, f.reg_no, coalesce(cat.name, ''), coalesce(d.name, ''), f.address,"
                  "       left(split_part(f.description, E'\\n', 1), 190), f.created_at, l.created_at,"
                  "       (SELECT max(distance_m(f.location, x.location)) FROM signals x WHERE x.id = ANY (c.ids))"
                  "  FROM dupe_clusters($1::smallint, $2::float8, $3::real, $4::integer) c"
                  "  JOIN signals f ON f.id = c.ids[1]"
                  "  JOIN signals l ON l.id = c.ids[cardinality(c.ids)]"
                  "  LEFT JOIN categories cat ON cat.id = f.category_id"
                  "  LEFT JOIN districts d ON d.id = f.district_id"
                  " ORDER BY c.size DESC, f.created_at, f.id",
                  4, params);
    if (rc != DB_OK)
        return rc;
    out->n = PQntuples(r);
    out->items = xcalloc((size_t)(out->n ? out->n : 1), sizeof *out->items);
    for (i = 0; i < out->n; i++) {
        struct dupe_cluster *c = &out->items[i];

        c->size = (int)db_ll(r, i, 0);
        c->size = parse_ids(db_val(r, i, 1), &c->ids);
        str_copy(c->first_reg, sizeof c->first_reg, db_val(r, i, 2));
        str_copy(c->category, sizeof c->category, db_val(r, i, 3));
        str_copy(c->district, sizeof c->district, db_val(r, i, 4));
        str_copy(c->address, sizeof c->address, db_val(r, i, 5));
        str_copy(c->summary, sizeof c->summary, db_val(r, i, 6));
        parse_pg_time(db_val(r, i, 7), &c->first);
        parse_pg_time(db_val(r, i, 8), &c->last);
        c->span_m = strtod(db_val(r, i, 9), NULL);
    }
    PQclear(r);
    return DB_OK;
}

void cluster_list_free(struct cluster_list *l)
{
    int i;

    for (i = 0; i < l->n; i++)
        free(l->items[i].ids);
    free(l->items);
    memset(l, 0, sizeof *l);
}

enum db_status dupes_districts(struct db *db, struct district **out, int *n)
{
    PGresult *r;
    enum db_status rc;
    int i;

    *out = NULL;
    *n = 0;
    rc = db_query(db, &r, "SELECT id, name FROM districts ORDER BY name", 0, NULL);
    if (rc != DB_OK)
        return rc;
    *n = PQntuples(r);
    *out = xcalloc((size_t)(*n ? *n : 1), sizeof **out);
    for (i = 0; i < *n; i++) {
        (*out)[i].id = (int)db_ll(r, i, 0);
        str_copy((*out)[i].name, sizeof (*out)[i].name, db_val(r, i, 1));
    }
    PQclear(r);
    return DB_OK;
}

static char *id_array(const long long *ids, int n)
{
    struct strbuf sb;
    int i;

    sb_init(&sb);
    sb_add(&sb, "{");
    for (i = 0; i < n; i++)
        sb_addf(&sb, "%s%lld", i ? "," : "", ids[i]);
    sb_add(&sb, "}");
    return sb_steal(&sb);
}

enum db_status dupes_rows(struct db *db, const long long *ids, int n, struct merge_row *rows, int *nrows)
{
    char *arr = id_array(ids, n);
    const char *params[1] = { arr };
    PGresult *r;
    enum db_status rc;
    int i;

    *nrows = 0;
    rc = db_query(db, &r,
                  "SELECT s.id, s.reg_no, s.status, s.created_at, s.version, s.priority,"
                  "       coalesce(s.duplicate_of, 0), coalesce(m.reg_no, ''),"
                  "       left(split_part(s.description, E'\\n', 1), 190)"
                  "  FROM signals s LEFT JOIN signals m ON m.id = s.duplicate_of"
                  " WHERE s.id = ANY ($1::bigint[]) ORDER BY s.created_at, s.id",
                  1, params);
    free(arr);
    if (rc != DB_OK)
        return rc;
    for (i = 0; i < PQntuples(r) && i < n; i++) {
        struct merge_row *m = &rows[i];

        m->id = db_ll(r, i, 0);
        str_copy(m->reg_no, sizeof m->reg_no, db_val(r, i, 1));
        str_copy(m->status, sizeof m->status, db_val(r, i, 2));
        parse_pg_time(db_val(r, i, 3), &m->created);
        m->version = (int)db_ll(r, i, 4);
        m->priority = (int)db_ll(r, i, 5);
        m->duplicate_of = db_ll(r, i, 6);
        str_copy(m->main_reg, sizeof m->main_reg, db_val(r, i, 7));
        str_copy(m->summary, sizeof m->summary, db_val(r, i, 8));
    }
    *nrows = i;
    PQclear(r);
    return DB_OK;
}

enum db_status dupes_merge(struct db *db, long long main_id, int main_version, const struct merge_item *others,
                           int n, const struct dupe_params *p, int force, const char *comment,
                           long long *merge_id)
{
    char mainbuf[32], verbuf[16], farbuf[16];
    struct strbuf ids, versions;
    const char *params[7];
    PGresult *r;
    enum db_status rc;
    int i;

    sb_init(&ids);
    sb_init(&versions);
    sb_add(&ids, "{");
    sb_add(&versions, "{");
    for (i = 0; i < n; i++) {
        sb_addf(&ids, "%s%lld", i ? "," : "", others[i].id);
        sb_addf(&versions, "%s%d", i ? "," : "", others[i].version);
    }
    sb_add(&ids, "}");
    sb_add(&versions, "}");
    snprintf(mainbuf, sizeof mainbuf, "%lld", main_id);
    snprintf(verbuf, sizeof verbuf, "%d", main_version);
    snprintf(farbuf, sizeof farbuf, "%d", p ? p->far_m : 0);
    params[0] = mainbuf;
    params[1] = verbuf;
    params[2] = ids.buf;
    params[3] = versions.buf;
    params[4] = force ? "true" : "false";
    params[5] = p && p->far_m > 0 ? farbuf : NULL;
    params[6] = comment;
    db_mark_change(db);
    rc = db_query(db, &r,
                  "SELECT merge_signals($1::bigint, $2::integer, $3::bigint[], $4::integer[], $5::boolean,"
                  " $6::float8, $7::text)",
                  7, params);
    sb_free(&ids);
    sb_free(&versions);
    if (rc != DB_OK)
        return rc;
    if (merge_id)
        *merge_id = db_ll(r, 0, 0);
    PQclear(r);
    return DB_OK;
}

int dupes_needs_force(const struct db *db)
{
    return strcmp(db->sqlstate, "SD027") == 0 || strcmp(db->sqlstate, "SD028") == 0;
}

static enum db_status merge_details(struct db *db, struct merge_info *info)
{
    char mbuf[32];
    const char *params[1] = { mbuf };
    PGresult *r;
    enum db_status rc;

    snprintf(mbuf, sizeof mbuf, "%lld", info->merge_id);
    rc = db_query(db, &r,
                  "SELECT m.main_id, ms.reg_no, m.at, m.actor, count(s.id),"
                  "       coalesce(string_agg(s.reg_no, ', ' ORDER BY s.created_at, s.id), '')"
                  "  FROM merges m JOIN signals ms ON ms.id = m.main_id"
                  "  LEFT JOIN merge_items i ON i.merge_id = m.id AND i.role = 'merged'"
                  "  LEFT JOIN signals s ON s.id = i.signal_id"
                  " WHERE m.id = $1 GROUP BY m.id, ms.reg_no",
                  1, params);
    if (rc != DB_OK)
        return rc;
    if (PQntuples(r) == 1) {
        info->main_id = db_ll(r, 0, 0);
        str_copy(info->main_reg, sizeof info->main_reg, db_val(r, 0, 1));
        parse_pg_time(db_val(r, 0, 2), &info->at);
        str_copy(info->actor, sizeof info->actor, db_val(r, 0, 3));
        info->n = (int)db_ll(r, 0, 4);
        str_copy(info->regs, sizeof info->regs, db_val(r, 0, 5));
    }
    PQclear(r);
    return DB_OK;
}

enum db_status dupes_merge_info(struct db *db, long long signal_id, struct merge_info *info)
{
    PGresult *r;
    enum db_status rc;

    memset(info, 0, sizeof *info);
    /* merged away by a merge, else the latest merge into it */
    rc = signal_query(db, &r,
                      "SELECT s.status = 'duplicate',"
                      "       (SELECT m.id FROM merge_items i JOIN merges m ON m.id = i.merge_id"
                      "         WHERE i.signal_id = s.id AND i.role = 'merged' AND m.undone_at IS NULL"
                      "         ORDER BY m.id DESC LIMIT 1),"
                      "       (SELECT m.id FROM merges m WHERE m.main_id = s.id AND m.undone_at IS NULL"
                      "         ORDER BY m.id DESC LIMIT 1)"
                      "  FROM signals s WHERE s.id = $1",
                      signal_id, 0);
    if (rc != DB_OK)
        return rc;
    if (PQntuples(r) == 1) {
        int duplicate = db_val(r, 0, 0)[0] == 't';

        if (duplicate && !db_isnull(r, 0, 1)) {
            info->found = info->recorded = 1;
            info->merge_id = db_ll(r, 0, 1);
        } else if (!duplicate && !db_isnull(r, 0, 2)) {
            info->found = info->recorded = 1;
            info->merge_id = db_ll(r, 0, 2);
        } else if (duplicate) {
            info->found = 1;
            info->recorded = 0;
        }
    }
    PQclear(r);
    if (info->recorded)
        return merge_details(db, info);
    return DB_OK;
}

enum db_status dupes_unmerge(struct db *db, long long merge_id, const char *comment, int *restored)
{
    char mbuf[32];
    const char *params[2] = { mbuf, comment };
    PGresult *r;
    enum db_status rc;

    snprintf(mbuf, sizeof mbuf, "%lld", merge_id);
    db_mark_change(db);
    rc = db_query(db, &r, "SELECT unmerge_signals($1::bigint, $2::text)", 2, params);
    if (rc != DB_OK)
        return rc;
    if (restored)
        *restored = (int)db_ll(r, 0, 0);
    PQclear(r);
    return DB_OK;
}

enum db_status dupes_lookup(struct db *db, const char *reg_no, long long *id, long long *main_id)
{
    char buf[64];
    const char *params[1] = { buf };
    PGresult *r;
    enum db_status rc;

    *id = *main_id = 0;
    str_copy(buf, sizeof buf, reg_no ? reg_no : "");
    str_trim(buf);
    rc = db_query(db, &r, "SELECT id, coalesce(duplicate_of, id) FROM signals WHERE reg_no IN ($1, upper($1))", 1,
                  params);
    if (rc != DB_OK)
        return rc;
    if (PQntuples(r) == 1) {
        *id = db_ll(r, 0, 0);
        *main_id = db_ll(r, 0, 1);
    }
    PQclear(r);
    return DB_OK;
}

enum db_status dupes_add_reporter(struct db *db, long long *signal_id, const struct reporter *rep,
                                  const char *channel)
{
    char idbuf[32];
    const char *params[6] = { idbuf, rep->name, rep->phone, rep->email, rep->wants_updates ? "true" : "false",
                              channel };
    PGresult *r;
    enum db_status rc;

    snprintf(idbuf, sizeof idbuf, "%lld", *signal_id);
    db_mark_change(db);
    rc = db_query(db, &r, "SELECT add_reporter($1::bigint, $2, $3, $4, $5::boolean, $6)", 6, params);
    if (rc != DB_OK)
        return rc;
    *signal_id = db_ll(r, 0, 0);
    PQclear(r);
    return DB_OK;
}

enum db_status dupes_of(struct db *db, long long id, struct merge_row *rows, int max, int *nrows, int *total)
{
    char idbuf[32], maxbuf[16];
    const char *params[2] = { idbuf, maxbuf };
    PGresult *r;
    enum db_status rc;
    int i;

    *nrows = *total = 0;
    snprintf(idbuf, sizeof idbuf, "%lld", id);
    snprintf(maxbuf, sizeof maxbuf, "%d", max);
    rc = db_query(db, &r,
                  "SELECT s.id, s.reg_no, s.status, s.created_at, s.version, s.priority,"
                  "       left(split_part(s.description, E'\\n', 1), 190), count(*) OVER ()"
                  "  FROM signals s WHERE s.duplicate_of = $1::bigint"
                  " ORDER BY s.created_at, s.id LIMIT $2::integer",
                  2, params);
    if (rc != DB_OK)
        return rc;
    for (i = 0; i < PQntuples(r) && i < max; i++) {
        struct merge_row *m = &rows[i];

        memset(m, 0, sizeof *m);
        m->id = db_ll(r, i, 0);
        str_copy(m->reg_no, sizeof m->reg_no, db_val(r, i, 1));
        str_copy(m->status, sizeof m->status, db_val(r, i, 2));
        parse_pg_time(db_val(r, i, 3), &m->created);
        m->version = (int)db_ll(r, i, 4);
        m->priority = (int)db_ll(r, i, 5);
        m->duplicate_of = id;
        str_copy(m->summary, sizeof m->summary, db_val(r, i, 6));
        *total = (int)db_ll(r, i, 7);
    }
    *nrows = i;
    PQclear(r);
    return DB_OK;
}

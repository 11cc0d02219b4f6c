#include "reports.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "timefmt.h"
#include "util.h"

const struct report_info report_list[REPORT_COUNT] = {
    [REPORT_WORKLOAD] = { "workload", N_("Workload"),
                          N_("Open signals per unit and per operator: at the start, in, out, at the end") },
    [REPORT_FLOW] = { "flow", N_("Flow"), N_("Signals received and closed per day, week or month") },
    [REPORT_AGE] = { "age", N_("Age"), N_("Signals open at the end of the period, by how long they had been open") },
    [REPORT_SLA] = { "sla", N_("Deadlines"), N_("Deadlines that fell in the period and were missed") },
    [REPORT_TIMES] = { "times", N_("Times"), N_("Time to the first response and to resolve (median, 90%)") },
    [REPORT_DISTRICTS] = { "districts", N_("Districts"), N_("Signals received per district and category") },
    [REPORT_STALLED] = { "stalled", N_("Stalled"),
                         N_("Signals left at new or registered for longer than the days given") },
};

int report_find(const char *name)
{
    int i;

    for (i = 0; i < REPORT_COUNT; i++)
        if (strcmp(report_list[i].name, name) == 0)
            return i;
    return -1;
}

/* ---- building a report -------------------------------------------------- */

static void add_col(struct report *r, const char *key, const char *label, enum col_kind kind, int width)
{
    struct report_col *c = &r->cols[r->ncols++];

    c->key = key;
    c->label = label;
    c->kind = kind;
    c->width = width;
}

static void add_section(struct report *r, const char *key, const char *title, int total)
{
    struct report_section *s = &r->sections[r->nsections++];

    s->key = key;
    s->title = title;
    s->first = 0;
    s->n = 0;
    s->total = total;
}

static struct report_cell *new_row(struct report *r, int section)
{
    r->cells = xrealloc(r->cells, (size_t)(r->nrows + 1) * (size_t)r->ncols * sizeof *r->cells);
    memset(REPORT_CELL(r, r->nrows, 0), 0, (size_t)r->ncols * sizeof *r->cells);
    /* rows arrive section by section */
    if (r->sections[section].n == 0)
        r->sections[section].first = r->nrows;
    r->sections[section].n++;
    return REPORT_CELL(r, r->nrows++, 0);
}

/* Reads every row of res into the report: column 0 is the section number
 * when the report has more than one, then the report's columns in order. */
static void read_rows(struct report *r, PGresult *res)
{
    int i, c, off = r->nsections > 1 ? 1 : 0;

    for (i = 0; i < PQntuples(res); i++) {
        int sec = off ? (int)db_ll(res, i, 0) : 0;
        struct report_cell *row;

        if (sec < 0 || sec >= r->nsections)
            continue;
        row = new_row(r, sec);
        for (c = 0; c < r->ncols; c++) {
            if (db_isnull(res, i, c + off)) {
                row[c].null = 1;
                if (r->cols[c].kind == COL_TEXT)
                    row[c].text = xstrdup("");
            } else if (r->cols[c].kind == COL_TEXT || r->cols[c].kind == COL_DATE) {
                row[c].text = xstrdup(db_val(res, i, c + off));
            } else {
                row[c].v = db_ll(res, i, c + off);
            }
        }
    }
}

/* The instant t as the database reads it, whatever its time zone. */
static void pg_time(time_t t, char *out, size_t size)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%d %H:%M:%S+00", &tm);
}

/* ---- the queries ---------------------------------------------------------- */

/* The spans open at the start, those that began or ended in the period
 * (their partial indexes) and those open at the end, each counted per unit
 * and operator pair (a few hundred rows), then summed per unit and per
 * operator. */
static const char workload_sql[] =
    "WITH x AS ("
    "  SELECT unit_id, assignee, count(*) AS au, 0 AS iu, 0 AS io, 0 AS ou, 0 AS oo, 0 AS cu, 0 AS co, 0 AS e"
    "    FROM report_spans WHERE tstzrange(start_at, end_at) @> $1::timestamptz GROUP BY 1, 2"
    "  UNION ALL"
    "  SELECT unit_id, assignee, 0, count(*) FILTER (WHERE entered_unit), count(*) FILTER (WHERE entered_assignee),"
    "         0, 0, 0, 0, 0"
    "    FROM report_spans WHERE (entered_unit OR entered_assignee)"
    "     AND start_at > $1::timestamptz AND start_at <= $2::timestamptz GROUP BY 1, 2"
    "  UNION ALL"
    "  SELECT unit_id, assignee, 0, 0, 0, count(*) FILTER (WHERE exits_unit), count(*) FILTER (WHERE exits_assignee),"
    "         count(*) FILTER (WHERE exits_unit AND ends_closed), count(*) FILTER (WHERE exits_assignee AND ends_closed), 0"
    "    FROM report_spans WHERE (exits_unit OR exits_assignee)"
    "     AND end_at > $1::timestamptz AND end_at <= $2::timestamptz GROUP BY 1, 2"
    "  UNION ALL"
    "  SELECT unit_id, assignee, 0, 0, 0, 0, 0, 0, 0, count(*)"
    "    FROM report_spans WHERE tstzrange(start_at, end_at) @> $2::timestamptz GROUP BY 1, 2"
    "), g AS ("
    "  SELECT GROUPING(x.unit_id) AS by_op, x.unit_id, x.assignee,"
    "         sum(x.au) AS a,"
    "         sum(x.iu) AS iu, sum(x.io) AS io, sum(x.ou) AS ou, sum(x.oo) AS oo, sum(x.cu) AS cu, sum(x.co) AS co,"
    "         sum(x.e) AS e"
    "    FROM x GROUP BY GROUPING SETS ((x.unit_id), (x.assignee))"
    ")"
    "SELECT 0, coalesce(u.name, ''), g.a, g.iu, g.ou, g.cu, g.e"
    "  FROM g LEFT JOIN units u ON u.id = g.unit_id WHERE g.by_op = 0"
    " UNION ALL "
    "SELECT 1, coalesce(o.name, g.assignee) || ' (' || g.assignee || ')', g.a, g.io, g.oo, g.co, g.e"
    "  FROM g LEFT JOIN operators o ON o.login = g.assignee WHERE g.by_op = 1 AND g.assignee IS NOT NULL"
    " AND (g.a + g.io + g.oo + g.e) > 0"
    " ORDER BY 1, 7 DESC, 4 DESC, 2";

/* Straight from the events: receipts, and the status changes that crossed
 * between open and closed (their own partial index). */
static const char flow_sql[] =
    "SELECT k, sum(r), sum(c), sum(o) FROM ("
    "  SELECT width_bucket(e.at, $3::timestamptz[]) AS k, 1 AS r, 0 AS c, 0 AS o"
    "    FROM signal_events e"
    "   WHERE e.kind = 'created' AND e.at >= $1::timestamptz AND e.at < $2::timestamptz"
    "  UNION ALL"
    "  SELECT width_bucket(e.at, $3::timestamptz[]),"
    "         0, (e.new_value NOT IN ('new', 'registered', 'assigned', 'in_progress', 'waiting'))::int,"
    "         (e.new_value IN ('new', 'registered', 'assigned', 'in_progress', 'waiting'))::int"
    "    FROM signal_events e"
    "   WHERE e.kind = 'status' AND e.at >= $1::timestamptz AND e.at < $2::timestamptz"
    "     AND (e.old_value IN ('new', 'registered', 'assigned', 'in_progress', 'waiting'))"
    "      <> (e.new_value IN ('new', 'registered', 'assigned', 'in_progress', 'waiting'))"
    ") x GROUP BY k ORDER BY k";

/* Open at the end of the period (or now, if it has not ended). */
static const char age_sql[] =
    "SELECT coalesce(u.name, ''),"
    "       count(*) FILTER (WHERE x.age < interval '1 day'),"
    "       count(*) FILTER (WHERE x.age >= interval '1 day' AND x.age < interval '3 days'),"
    "       count(*) FILTER (WHERE x.age >= interval '3 days' AND x.age < interval '7 days'),"
    "       count(*) FILTER (WHERE x.age >= interval '7 days' AND x.age < interval '30 days'),"
    "       count(*) FILTER (WHERE x.age >= interval '30 days' AND x.age < interval '90 days'),"
    "       count(*) FILTER (WHERE x.age >= interval '90 days'),"
    "       count(*)"
    "  FROM (SELECT sp.unit_id, least($2::timestamptz, $3::timestamptz) - sp.created_at AS age FROM report_spans sp"
    "         WHERE tstzrange(sp.start_at, sp.end_at) @> least($2::timestamptz, $3::timestamptz)"
    "           AND $1::timestamptz IS NOT NULL) x"
    "  LEFT JOIN units u ON u.id = x.unit_id"
    " GROUP BY x.unit_id, u.name ORDER BY 8 DESC, 1";

/* Deadlines that came in the period (and have come already); missed when the
 * signal was still open at that moment, counted for the unit it was with.
 * One index range, counted per unit and per category at once. */
static const char sla_sql[] =
    "WITH g AS ("
    "  SELECT GROUPING(f.due_unit_id) AS by_cat, f.due_unit_id, f.top_category_id,"
    "         count(*) AS due, count(*) FILTER (WHERE f.due_open) AS missed"
    "    FROM report_facts f"
    "   WHERE f.due_at >= $1::timestamptz AND f.due_at < least($2::timestamptz, $3::timestamptz)"
    "   GROUP BY GROUPING SETS ((f.due_unit_id), (f.top_category_id))"
    ")"
    "SELECT g.by_cat, coalesce(CASE WHEN g.by_cat = 0 THEN u.name ELSE c.name END, ''), g.due, g.missed,"
    "       round(1000.0 * g.missed / g.due)::bigint"
    "  FROM g LEFT JOIN units u ON u.id = g.due_unit_id AND g.by_cat = 0"
    "  LEFT JOIN categories c ON c.id = g.top_category_id AND g.by_cat = 1"
    " ORDER BY 1, 4 DESC, 3 DESC, 2";

static const char districts_sql[] =
    "SELECT coalesce(d.name, ''), coalesce(c.name, ''), count(*),"
    "       count(*) FILTER (WHERE f.resolved_at < $2::timestamptz),"
    "       count(*) FILTER (WHERE f.progress_at IS NULL OR f.progress_at >= $2::timestamptz)"
    "  FROM report_facts f"
    "  LEFT JOIN districts d ON d.id = f.district_id"
    "  LEFT JOIN categories c ON c.id = f.top_category_id"
    " WHERE f.created_at >= $1::timestamptz AND f.created_at < $2::timestamptz"
    " GROUP BY f.district_id, d.name, f.top_category_id, c.name"
    " ORDER BY d.name NULLS LAST, 3 DESC, c.name NULLS LAST";

/* Received in the period, and old enough to tell: did it move past
 * new/registered within N days?  Per unit and per category in one pass. */
static const char stalled_sql[] =
    "WITH g AS ("
    "  SELECT GROUPING(f.unit_id) AS by_cat, f.unit_id, f.top_category_id, count(*) AS n,"
    "         count(*) FILTER (WHERE f.progress_at IS NULL OR f.progress_at > f.created_at + $4::interval) AS stalled"
    "    FROM report_facts f"
    "   WHERE f.created_at >= $1::timestamptz AND f.created_at < $2::timestamptz"
    "     AND f.created_at <= $3::timestamptz - $4::interval"
    "   GROUP BY GROUPING SETS ((f.unit_id), (f.top_category_id))"
    ")"
    "SELECT g.by_cat, coalesce(CASE WHEN g.by_cat = 0 THEN u.name ELSE c.name END, ''), g.n, g.stalled,"
    "       round(1000.0 * g.stalled / g.n)::bigint"
    "  FROM g LEFT JOIN units u ON u.id = g.unit_id AND g.by_cat = 0"
    "  LEFT JOIN categories c ON c.id = g.top_category_id AND g.by_cat = 1"
    " ORDER BY 1, 4 DESC, 3 DESC, 2";

/* ---- times: percentiles in one ordered pass ------------------------------ */

/* The median and the 90th percentile (interpolated, as percentile_cont) of
 * each group (all, per district, per category) from one read of the values
 * in order: the database sorts each of the two series once and the ranks
 * fall out of counting, where an ordered-set aggregate per grouping set
 * would sort the values again for every group and set.  Memory stays that
 * of a group table, whatever the period. */
enum { T_ALL, T_DISTRICT, T_CATEGORY, T_SETS };
#define T_MAX_GROUPS 512
#define T_FETCH "20000"

struct tgroup {
    int set, key;               /* key: an id, or -1 for none */
    long long received, answered, resolved;
    long long seen[2];          /* values counted so far: response, resolve */
    double v[2][4];             /* at the ranks floor and ceil of p(k-1), for 0.5 and 0.9 */
    char name[160];
};

struct tgroups {
    struct tgroup g[T_MAX_GROUPS];
    int n;
};

static struct tgroup *tgroup(struct tgroups *t, int set, int key)
{
    int i;

    for (i = 0; i < t->n; i++)
        if (t->g[i].set == set && t->g[i].key == key)
            return &t->g[i];
    if (t->n == T_MAX_GROUPS)
        return NULL;
    memset(&t->g[t->n], 0, sizeof t->g[t->n]);
    t->g[t->n].set = set;
    t->g[t->n].key = key;
    return &t->g[t->n++];
}

static const double t_pct[2] = { 0.5, 0.9 };

/* Counts the value at 0-based rank seen of a group of k values. */
static void t_take(struct tgroup *g, int m, long long k, double value)
{
    long long r = g->seen[m]++;
    int p;

    for (p = 0; p < 2; p++) {
        double pos = t_pct[p] * (double)(k - 1);
        long long lo = (long long)floor(pos), hi = (long long)ceil(pos);

        if (r == lo)
            g->v[m][p * 2] = value;
        if (r == hi)
            g->v[m][p * 2 + 1] = value;
    }
}

static void t_cell(struct report_cell *c, const struct tgroup *g, int m, int p, long long k)
{
    double pos = t_pct[p] * (double)(k - 1), lo = g->v[m][p * 2], hi = g->v[m][p * 2 + 1];

    if (k <= 0) {
        c->null = 1;
        return;
    }
    c->v = llrint(lo + (pos - floor(pos)) * (hi - lo));
}

/* The counts per group of one series, from counts per district and
 * category pair (one small hash aggregate). */
static enum db_status t_counts(struct db *db, struct tgroups *t, const char *sql, const char *const *params, int m)
{
    PGresult *r;
    enum db_status rc = db_query(db, &r, sql, 2, params);
    int i, set;

    if (rc != DB_OK)
        return rc;
    for (i = 0; i < PQntuples(r); i++) {
        int key[T_SETS] = { 0, (int)db_ll(r, i, 0), (int)db_ll(r, i, 1) };

        for (set = 0; set < T_SETS; set++) {
            struct tgroup *x = tgroup(t, set, key[set]);

            if (!x)
                continue;
            if (m == 0) {
                x->received += db_ll(r, i, 2);
                x->answered += db_ll(r, i, 3);
            } else {
                x->resolved += db_ll(r, i, 2);
            }
        }
    }
    PQclear(r);
    return DB_OK;
}

/* Reads a series in order through a cursor, a batch at a time. */
static enum db_status t_stream(struct db *db, struct tgroups *t, const char *declare, const char *const *params, int m)
{
    enum db_status rc = db_exec(db, declare, 2, params);

    while (rc == DB_OK) {
        PGresult *r;
        int i, n;

        rc = db_query(db, &r, "FETCH " T_FETCH " FROM sd_times", 0, NULL);
        if (rc != DB_OK)
            break;
        n = PQntuples(r);
        for (i = 0; i < n; i++) {
            int key[T_SETS] = { 0, (int)db_ll(r, i, 0), (int)db_ll(r, i, 1) };
            double value = (double)db_ll(r, i, 2);
            int set;

            for (set = 0; set < T_SETS; set++) {
                struct tgroup *g = tgroup(t, set, key[set]);

                if (g)
                    t_take(g, m, m == 0 ? g->answered : g->resolved, value);
            }
        }
        PQclear(r);
        if (n == 0)
            break;
    }
    if (rc == DB_OK)
        rc = db_exec(db, "CLOSE sd_times", 0, NULL);
    return rc;
}

static int t_order(const void *a, const void *b)
{
    const struct tgroup *x = a, *y = b;

    if (x->set != y->set)
        return x->set - y->set;
    if (x->received != y->received)
        return x->received > y->received ? -1 : 1;
    if (x->resolved != y->resolved)
        return x->resolved > y->resolved ? -1 : 1;
    if (x->key < 0 || y->key < 0)
        return (x->key < 0) - (y->key < 0);
    return strcmp(x->name, y->name);
}

#define T_RECEIVED " FROM report_facts f WHERE f.created_at >= $1::timestamptz AND f.created_at < $2::timestamptz"
#define T_RESOLVED " FROM report_facts f WHERE f.resolved_at >= $1::timestamptz AND f.resolved_at < $2::timestamptz"
#define T_GROUPS "SELECT coalesce(f.district_id, -1), coalesce(f.top_category_id, -1), count(*), "

static enum db_status run_times(struct db *db, struct report *r, const char *const *params)
{
    struct tgroups *t = xcalloc(1, sizeof *t);
    PGresult *res;
    enum db_status rc;
    int i;

    rc = t_counts(db, t, T_GROUPS "count(f.response_s)" T_RECEIVED " GROUP BY 1, 2", params, 0);
    if (rc == DB_OK)
        rc = t_counts(db, t, T_GROUPS "0" T_RESOLVED " GROUP BY 1, 2", params, 1);
    if (rc == DB_OK)
        rc = t_stream(db, t, "DECLARE sd_times NO SCROLL CURSOR FOR"
                             " SELECT coalesce(f.district_id, -1), coalesce(f.top_category_id, -1), f.response_s"
                             T_RECEIVED " AND f.response_s IS NOT NULL ORDER BY f.response_s", params, 0);
    if (rc == DB_OK)
        rc = t_stream(db, t, "DECLARE sd_times NO SCROLL CURSOR FOR"
                             " SELECT coalesce(f.district_id, -1), coalesce(f.top_category_id, -1), f.resolve_s"
                             T_RESOLVED " AND f.resolve_s IS NOT NULL ORDER BY f.resolve_s", params, 1);
    if (rc == DB_OK)
        rc = db_query(db, &res, "SELECT 1, id, name FROM districts UNION ALL SELECT 2, id, name FROM categories", 0,
                      NULL);
    if (rc != DB_OK) {
        free(t);
        return rc;
    }
    for (i = 0; i < PQntuples(res); i++) {
        int set = (int)db_ll(res, i, 0), key = (int)db_ll(res, i, 1), k;

        for (k = 0; k < t->n; k++)
            if (t->g[k].set == set && t->g[k].key == key)
                str_copy(t->g[k].name, sizeof t->g[k].name, db_val(res, i, 2));
    }
    PQclear(res);
    qsort(t->g, (size_t)t->n, sizeof t->g[0], t_order);
    for (i = 0; i < t->n; i++) {
        const struct tgroup *g = &t->g[i];
        struct report_cell *row;

        if (g->received == 0 && g->resolved == 0)
            continue;
        row = new_row(r, g->set);
        row[0].text = xstrdup(g->set == T_ALL ? "" : g->name);
        row[1].v = g->received;
        row[2].v = g->answered;
        t_cell(&row[3], g, 0, 0, g->answered);
        t_cell(&row[4], g, 0, 1, g->answered);
        row[5].v = g->resolved;
        t_cell(&row[6], g, 1, 0, g->resolved);
        t_cell(&row[7], g, 1, 1, g->resolved);
    }
    free(t);
    return DB_OK;
}

/* Flow: one row per group, also the empty ones. */
static enum db_status run_flow(struct db *db, struct report *r, const char *const *period)
{
    static struct day starts[PERIOD_MAX_DAYS];
    struct strbuf bounds;
    const char *params[3];
    PGresult *res;
    enum db_status rc;
    int n = period_groups(&r->p.period, r->grouping, starts, PERIOD_MAX_DAYS), i, k;

    sb_init(&bounds);
    sb_add(&bounds, "{");
    for (i = 0; i < n; i++) {
        char t[40];

        pg_time(day_start(&starts[i]), t, sizeof t);
        sb_addf(&bounds, "%s\"%s\"", i ? "," : "", t);
    }
    sb_add(&bounds, "}");
    params[0] = period[0];
    params[1] = period[1];
    params[2] = bounds.buf;
    rc = db_query(db, &res, flow_sql, 3, params);
    sb_free(&bounds);
    if (rc != DB_OK)
        return rc;
    for (i = 0; i < n; i++) {
        struct report_cell *row = new_row(r, 0);
        char iso[16];

        day_iso(&starts[i], iso, sizeof iso);
        row[0].text = xstrdup(iso);
    }
    for (k = 0; k < PQntuples(res); k++) {
        int b = (int)db_ll(res, k, 0) - 1;

        if (b < 0 || b >= n)
            continue;
        REPORT_CELL(r, b, 1)->v = db_ll(res, k, 1);
        REPORT_CELL(r, b, 2)->v = db_ll(res, k, 2);
        REPORT_CELL(r, b, 3)->v = db_ll(res, k, 3);
    }
    PQclear(res);
    return DB_OK;
}

/* ---- each report ---------------------------------------------------------- */

#define COUNT(key, label, width) { key, label, COL_COUNT, width }
#define TEXT(key, label, width) { key, label, COL_TEXT, width }

/* What a report shows, and how its rows are read: one query whose rows are
 * the report's (sql, with its first nparams of from, to, days), or a
 * function of its own (run). */
static const struct report_def {
    const char *sql;
    int nparams;
    enum db_status (*run)(struct db *db, struct report *r, const char *const *params);
    struct report_col cols[REPORT_MAX_COLS];
    struct {
        const char *key, *title;
        int total;
    } sections[REPORT_MAX_SECTIONS];
} report_defs[REPORT_COUNT] = {
    [REPORT_WORKLOAD] = {
        workload_sql, 2, NULL,
        { TEXT("name", N_("Unit or operator"), 0), COUNT("open_at_start", N_("At start"), 9),
          COUNT("came_in", N_("Came in"), 9), COUNT("went_out", N_("Went out"), 9), COUNT("closed", N_("Closed"), 9),
          COUNT("open_at_end", N_("At end"), 9) },
        { { "unit", N_("Units"), 1 }, { "operator", N_("Operators"), 1 } },
    },
    [REPORT_FLOW] = {
        NULL, 2, run_flow,
        { { "period", N_("From"), COL_DATE, 10 }, COUNT("received", N_("Came in"), 9),
          COUNT("closed", N_("Closed"), 9), COUNT("reopened", N_("Reopened"), 11) },
        { { "period", N_("Received and closed"), 1 } },
    },
    [REPORT_AGE] = {
        age_sql, 3, NULL,
        { TEXT("unit", N_("Responsible unit"), 0), COUNT("under_1d", N_("<1 d"), 6), COUNT("d1_3", N_("1-3 d"), 6),
          COUNT("d3_7", N_("3-7 d"), 6), COUNT("d7_30", N_("7-30 d"), 7), COUNT("d30_90", N_("30-90 d"), 7),
          COUNT("over_90d", N_(">90 d"), 6), COUNT("open", N_("Open"), 8) },
        { { "unit", N_("Open at the end, by age"), 1 } },
    },
    [REPORT_SLA] = {
        sla_sql, 3, NULL,
        { TEXT("name", N_("Unit or category"), 0), COUNT("due", N_("Deadlines"), 9),
          COUNT("missed", N_("Missed"), 10), { "missed_share", N_("Share"), COL_SHARE, 8 } },
        { { "unit", N_("By unit"), 1 }, { "category", N_("By category"), 1 } },
    },
    [REPORT_TIMES] = {
        NULL, 2, run_times,
        { TEXT("name", N_("District or category"), 0), COUNT("received", N_("Recv."), 6),
          COUNT("answered", N_("Answ."), 6), { "response_median_h", N_("Ans. ½"), COL_DURATION, 8 },
          { "response_p90_h", N_("Ans. 90%"), COL_DURATION, 8 }, COUNT("resolved", N_("Resol."), 6),
          { "resolve_median_h", N_("Res. ½"), COL_DURATION, 8 }, { "resolve_p90_h", N_("Res. 90%"), COL_DURATION, 8 } },
        { { "total", N_("All signals"), 0 }, { "district", N_("By district"), 0 },
          { "category", N_("By category"), 0 } },
    },
    [REPORT_DISTRICTS] = {
        districts_sql, 2, NULL,
        { TEXT("district", N_("District"), 16), TEXT("category", N_("Category"), 0),
          COUNT("received", N_("Came in"), 9), COUNT("resolved", N_("Resolved"), 9),
          COUNT("not_moved", N_("Not moved"), 10) },
        { { "district", N_("Received in the period"), 1 } },
    },
    [REPORT_STALLED] = {
        stalled_sql, 4, NULL,
        { TEXT("name", N_("Unit or category"), 0), COUNT("received", N_("Came in"), 9),
          COUNT("stalled", N_("Stalled"), 9), { "stalled_share", N_("Share"), COL_SHARE, 8 } },
        { { "unit", N_("By unit"), 1 }, { "category", N_("By category"), 1 } },
    },
};

/* The columns and the sections of the report, from its description. */
static void define(struct report *r, const struct report_def *d)
{
    int i;

    for (i = 0; i < REPORT_MAX_COLS && d->cols[i].key; i++)
        add_col(r, d->cols[i].key, d->cols[i].label, d->cols[i].kind, d->cols[i].width);
    for (i = 0; i < REPORT_MAX_SECTIONS && d->sections[i].key; i++)
        add_section(r, d->sections[i].key, d->sections[i].title, d->sections[i].total);
}

enum db_status report_run(struct db *db, enum report_id id, const struct report_params *p, struct report *r)
{
    const struct report_def *d = &report_defs[id];
    char from[40], to[40], now[40], days[24];
    /* $1, $2 the period; $3 now (the console's clock, so that a pinned
     * clock pins the reports too); $4 the days after which a signal stalls */
    const char *params[4] = { from, to, now, days };
    time_t t0, t1;
    PGresult *res;
    enum db_status rc;

    memset(r, 0, sizeof *r);
    r->id = id;
    r->p = *p;
    r->grouping = period_grouping(&p->period, p->grouping);
    if (r->p.stalled_days <= 0)
        r->p.stalled_days = 7;
    define(r, d);
    period_bounds(&p->period, &t0, &t1);
    pg_time(t0, from, sizeof from);
    pg_time(t1, to, sizeof to);
    pg_time(now_time(), now, sizeof now);
    snprintf(days, sizeof days, "%d days", r->p.stalled_days);

    /* one snapshot for the whole report; reports never write */
    rc = db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL);
    if (rc != DB_OK)
        return rc;
    /* short queries: compiling them would cost more than it saves */
    rc = db_exec(db, "SET LOCAL jit = off", 0, NULL);
    if (rc == DB_OK && d->run) {
        rc = d->run(db, r, params);
    } else if (rc == DB_OK && d->sql) {
        rc = db_query(db, &res, d->sql, d->nparams, params);
        if (rc == DB_OK) {
            read_rows(r, res);
            PQclear(res);
        }
    }
    if (rc != DB_OK) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}

void report_free(struct report *r)
{
    int i;

    for (i = 0; i < r->nrows * r->ncols; i++)
        free(r->cells[i].text);
    free(r->cells);
    r->cells = NULL;
    r->nrows = 0;
}

long long report_sum(const struct report *r, int section, int col)
{
    const struct report_section *s = &r->sections[section];
    long long sum = 0;
    int i;

    for (i = 0; i < s->n; i++)
        sum += REPORT_CELL(r, s->first + i, col)->v;
    return sum;
}

/* ---- output --------------------------------------------------------------- */

/* "45 min", "3.5 h", "2.5 d": tenths by integer arithmetic, no locale. */
static void format_duration(long long s, char *out, size_t size)
{
    if (s < 3600) {
        snprintf(out, size, _("%lld min"), (s + 30) / 60);
    } else if (s < 48 * 3600) {
        long long tenths = (s * 10 + 1800) / 3600;

        snprintf(out, size, _("%lld.%lld h"), tenths / 10, tenths % 10);
    } else {
        long long tenths = (s * 10 + 43200) / 86400;

        snprintf(out, size, _("%lld.%lld d"), tenths / 10, tenths % 10);
    }
}

void report_format(const struct report *r, const struct report_cell *c, int col, char *out, size_t size)
{
    if (c->null) {
        snprintf(out, size, "%s", r->cols[col].kind == COL_TEXT ? "" : "—");
        return;
    }
    switch (r->cols[col].kind) {
    case COL_TEXT:
    case COL_DATE:
        snprintf(out, size, "%s", c->text ? c->text : "");
        break;
    case COL_COUNT:
        snprintf(out, size, "%lld", c->v);
        break;
    case COL_DURATION:
        format_duration(c->v, out, size);
        break;
    case COL_SHARE:
        snprintf(out, size, _("%lld.%lld %%"), c->v / 10, c->v % 10);
        break;
    }
}

int report_write_csv(const struct report *r, FILE *f, const struct csv_options *o)
{
    struct csv_writer w;
    int s, i, c;

    errno = 0;
    csvw_start(&w, f, o);
    if (r->nsections > 1)
        csvw_text(&w, "group");
    for (c = 0; c < r->ncols; c++)
        csvw_text(&w, r->cols[c].key);
    csvw_end(&w);
    for (s = 0; s < r->nsections; s++) {
        for (i = 0; i < r->sections[s].n; i++) {
            const struct report_cell *row = REPORT_CELL(r, r->sections[s].first + i, 0);

            if (r->nsections > 1)
                csvw_text(&w, r->sections[s].key);
            for (c = 0; c < r->ncols; c++) {
                if (row[c].null && r->cols[c].kind != COL_TEXT) {
                    csvw_text(&w, NULL);
                    continue;
                }
                switch (r->cols[c].kind) {
                case COL_TEXT:
                case COL_DATE:
                    csvw_text(&w, row[c].text);
                    break;
                case COL_COUNT:
                    csvw_int(&w, row[c].v);
                    break;
                case COL_DURATION:
                    /* hours with one decimal */
                    csvw_fixed(&w, (row[c].v * 10 + 1800) / 3600, 1);
                    break;
                case COL_SHARE:
                    csvw_fixed(&w, row[c].v, 1);
                    break;
                }
            }
            csvw_end(&w);
        }
    }
    return csvw_finish(&w);
}

static int is_number(const struct report *r, int c)
{
    return r->cols[c].kind != COL_TEXT && r->cols[c].kind != COL_DATE;
}

/* One line of cells, aligned to the columns' widths (name_w for the one
 * that takes the rest); numbers to the right. */
static void text_line(struct strbuf *line, const struct report *r, char cells[][256], int name_w)
{
    int c;

    sb_clear(line);
    for (c = 0; c < r->ncols; c++) {
        if (c)
            sb_add(line, " ");
        sb_cell(line, cells[c], r->cols[c].width ? r->cols[c].width : name_w, is_number(r, c));
    }
}

int report_write_text(const struct report *r, FILE *f)
{
    char a[16], b[16], cells[REPORT_MAX_COLS][256];
    int s, i, c, name_w = 30;
    struct strbuf line;

    day_text(&r->p.period.from, a, sizeof a);
    day_text(&r->p.period.to, b, sizeof b);
    fprintf(f, "%s: %s\n%s %s – %s\n", _(report_list[r->id].tab), _(report_list[r->id].title), _("Period"), a, b);
    sb_init(&line);
    for (s = 0; s < r->nsections; s++) {
        fprintf(f, "\n%s\n", _(r->sections[s].title));
        for (c = 0; c < r->ncols; c++)
            str_copy(cells[c], sizeof cells[c], _(r->cols[c].label));
        text_line(&line, r, cells, name_w);
        fprintf(f, "%s\n", str_trim(line.buf));
        for (i = 0; i < r->sections[s].n; i++) {
            const struct report_cell *row = REPORT_CELL(r, r->sections[s].first + i, 0);

            for (c = 0; c < r->ncols; c++) {
                report_format(r, &row[c], c, cells[c], sizeof cells[c]);
                if (r->cols[c].kind == COL_TEXT && !*cells[c])
                    snprintf(cells[c], sizeof cells[c], "%s",
                             s == 0 && r->id == REPORT_TIMES ? _("All") : _("(none)"));
            }
            text_line(&line, r, cells, name_w);
            fprintf(f, "%s\n", line.buf);
        }
    }
    sb_free(&line);
    fflush(f);
    return ferror(f) ? -1 : 0;
}

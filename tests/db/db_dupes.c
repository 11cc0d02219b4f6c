/* Duplicates against a real PostgreSQL: candidates on a labelled set,
 * clusters, merging (chains, refusals, conflicts), undoing a merge exactly,
 * and two consoles merging the same signals at the same moment. */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dbtest.h"
#include "dupes.h"
#include "query.h"
#include "signals.h"
#include "test.h"
#include "util.h"

static struct db db;
static char dbname[64];

/* A database of its own for each test: the fixture and tests/dupes.sql. */
static int fresh(const char *name)
{
    FILE *f;
    char *sql;
    long n;

    db_close(&db);
    snprintf(dbname, sizeof dbname, "t_dupes_%s", name);
    if (dbt_fresh(&db, dbname, "sd_fixture", NULL) < 0)
        return -1;
    f = fopen("tests/dupes.sql", "r");
    if (!f) {
        printf("FAIL setup: tests/dupes.sql\n");
        return -1;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    sql = xmalloc((size_t)n + 1);
    sql[fread(sql, 1, (size_t)n, f)] = '\0';
    fclose(f);
    if (db_script(&db, sql) != DB_OK) {
        printf("FAIL setup: tests/dupes.sql: %s\n", db.errmsg);
        free(sql);
        return -1;
    }
    free(sql);
    return 0;
}

static long long id_of(const char *reg)
{
    char sql[160];

    snprintf(sql, sizeof sql, "SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-000%s'", reg);
    return dbt_number(&db, sql);
}

static int version_of(long long id)
{
    char sql[128];

    snprintf(sql, sizeof sql, "SELECT version FROM signals WHERE id = %lld", id);
    return (int)dbt_number(&db, sql);
}

/* One text from a query without parameters ("" when no row). */
static char *text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *text(const char *fmt, ...)
{
    static char out[4][4096];
    static int k;
    char sql[1024];
    va_list ap;
    PGresult *r;
    char *o = out[k++ % 4];

    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    o[0] = '\0';
    if (db_query(&db, &r, sql, 0, NULL) != DB_OK) {
        printf("    query failed: %s: %s\n", sql, db.errmsg);
        return o;
    }
    if (PQntuples(r) > 0)
        str_copy(o, 4096, db_val(r, 0, 0));
    PQclear(r);
    return o;
}

/* What undo must give back: the signal's own fields and its reporters. */
static char *snapshot(long long id)
{
    return text("SELECT row(s.status, s.unit_id, s.assignee, s.priority, s.due_at, s.duplicate_of, s.resolved_at,"
                " s.closed_at)::text || ' ' || coalesce((SELECT string_agg(r.name || '/' || r.phone || '/' ||"
                " r.wants_updates, ';' ORDER BY r.id) FROM reporters r WHERE r.signal_id = s.id), '')"
                " FROM signals s WHERE s.id = %lld", id);
}

static int merge(long long main_id, const long long *ids, int n, int force, long long *merge_id)
{
    struct merge_item items[16];
    struct dupe_params p;
    int i;

    dupe_params_default(&p);
    for (i = 0; i < n; i++) {
        items[i].id = ids[i];
        items[i].version = version_of(ids[i]);
    }
    return dupes_merge(&db, main_id, version_of(main_id), items, n, &p, force, NULL, merge_id);
}

static int in_list(const struct dupe_list *l, long long id)
{
    int i;

    for (i = 0; i < l->n; i++)
        if (l->items[i].id == id)
            return 1;
    return 0;
}

/* The labelled set of tests/dupes.sql: the street light's reports (one of
 * them closed five days before, one without coordinates, one of a related
 * category) are one problem, the bins another; the light two kilometres
 * away, the pothole at the same door and the light fixed two months before
 * are not.  Every signal's candidates must be exactly the others of its
 * problem. */
TEST(candidates_on_a_labelled_set)
{
    static const char *const groups[][6] = {
        { "160", "161", "162", "166", "167", NULL },
        { "168", "169", "170", NULL },
        { "163", NULL }, { "164", NULL }, { "165", NULL },
    };
    struct dupe_params p;
    size_t g, i, j;
    int returned = 0, right = 0, expected = 0, found = 0;

    if (fresh("labelled") < 0)
        return;
    dupe_params_default(&p);
    for (g = 0; g < ARRAY_SIZE(groups); g++)
        for (i = 0; groups[g][i]; i++) {
            struct dupe_list l;
            int k;

            if (!CHECK_INT(dupes_for_signal(&db, id_of(groups[g][i]), &p, 20, &l), DB_OK)) {
                printf("    %s: %s\n", groups[g][i], db.errmsg);
                continue;
            }
            for (k = 0; k < l.n; k++) {
                int ok = 0;

                for (j = 0; groups[g][j]; j++)
                    ok |= j != i && l.items[k].id == id_of(groups[g][j]);
                returned++;
                right += ok;
                if (!CHECK(ok))
                    printf("    %s: %s is not of its problem\n", groups[g][i], l.items[k].reg_no);
                CHECK(l.items[k].score > 0 && l.items[k].score <= 1.0);
                CHECK(k == 0 || l.items[k].score <= l.items[k - 1].score);
            }
            for (j = 0; groups[g][j]; j++) {
                if (j == i)
                    continue;
                expected++;
                if (in_list(&l, id_of(groups[g][j])))
                    found++;
                else if (!CHECK(0))
                    printf("    %s: %s is missing\n", groups[g][i], groups[g][j]);
            }
            dupe_list_free(&l);
        }
    printf("    labelled set: %d candidates, %d right: precision %.2f; %d of %d found: recall %.2f\n", returned,
           right, returned ? (double)right / returned : 0.0, found, expected, expected ? (double)found / expected : 0.0);
    CHECK_INT(right, returned);
    CHECK_INT(found, expected);
}

TEST(candidates_show_each_part)
{
    struct dupe_params p;
    struct dupe_list l;
    int i;

    if (fresh("parts") < 0)
        return;
    dupe_params_default(&p);
    CHECK_INT(dupes_for_signal(&db, id_of("160"), &p, 20, &l), DB_OK);
    CHECK_INT(l.n, 4);
    for (i = 0; i < l.n; i++) {
        const struct dupe_candidate *c = &l.items[i];
        double score = 0.45 * c->part_place + 0.35 * c->part_text + 0.20 * c->part_time;

        CHECK(score > c->score - 1e-6 && score < c->score + 1e-6);
        if (c->id == id_of("161")) {
            /* 40 m east, half an hour earlier */
            CHECK(!c->by_address);
            CHECK(c->distance_m > 30 && c->distance_m < 40);
            CHECK(c->days_apart < 0 && c->days_apart > -0.03);
            CHECK(c->text_sim > 0.3 && c->text_sim < 0.7);
        }
        if (c->id == id_of("167")) {
            /* no coordinates: the same address */
            CHECK(c->by_address);
            CHECK(c->address_sim > 0.99);
            CHECK(c->part_place > 0.99);
        }
        if (c->id == id_of("166"))
            CHECK_STR(c->status, "closed");
    }
    dupe_list_free(&l);
    /* a smaller radius leaves the one 110 m away out */
    p.radius_m = 100;
    CHECK_INT(dupes_for_signal(&db, id_of("160"), &p, 20, &l), DB_OK);
    CHECK(!in_list(&l, id_of("162")));
    CHECK(in_list(&l, id_of("161")));
    dupe_list_free(&l);
    /* fewer days leave the one closed five days before out */
    dupe_params_default(&p);
    p.days = 3;
    CHECK_INT(dupes_for_signal(&db, id_of("160"), &p, 20, &l), DB_OK);
    CHECK(!in_list(&l, id_of("166")));
    dupe_list_free(&l);
}

/* The intake form asks while the operator types: a draft. */
TEST(candidates_for_a_draft)
{
    struct dupe_params p;
    struct dupe_draft d;
    struct dupe_list l;
    struct tm tm;

    if (fresh("draft") < 0)
        return;
    dupe_params_default(&p);
    memset(&d, 0, sizeof d);
    memset(&tm, 0, sizeof tm);
    tm.tm_year = 2026 - 1900;
    tm.tm_mon = 10;
    tm.tm_mday = 20;
    tm.tm_hour = 10;    /* UTC: 12:00 in Sofia */
    d.created = timegm(&tm);
    d.category_id = (int)dbt_number(&db, "SELECT id FROM categories WHERE name = 'Не свети лампа'");
    d.district_id = (int)dbt_number(&db, "SELECT id FROM districts WHERE name = 'Лозенец'");
    /* only an address so far */
    d.address = "бул. „Черни връх“ 45";
    d.description = "Не свети лампата пред нас";
    if (!CHECK_INT(dupes_for_draft(&db, &d, &p, 20, &l), DB_OK))
        printf("    %s\n", db.errmsg);
    CHECK(in_list(&l, id_of("160")));
    CHECK(in_list(&l, id_of("161")));
    CHECK(in_list(&l, id_of("166")));
    CHECK(in_list(&l, id_of("167")));
    CHECK(!in_list(&l, id_of("163")));  /* another street */
    CHECK(!in_list(&l, id_of("164")));  /* a pothole */
    CHECK(!in_list(&l, id_of("165")));  /* fixed in September */
    CHECK(l.n > 0 && l.items[0].by_address);
    dupe_list_free(&l);
    /* with coordinates */
    d.has_location = 1;
    d.lon = 23.3141;
    d.lat = 42.6712;
    CHECK_INT(dupes_for_draft(&db, &d, &p, 20, &l), DB_OK);
    CHECK(l.n >= 4);
    /* the same door: by coordinates, and by the address where there are none */
    CHECK(l.n > 1 && (l.items[0].id == id_of("160") || l.items[1].id == id_of("160")));
    CHECK(l.n > 1 && (l.items[0].id == id_of("167") || l.items[1].id == id_of("167")));
    CHECK(!in_list(&l, id_of("164")));
    dupe_list_free(&l);
    /* no category yet: by place alone, any category */
    d.category_id = 0;
    CHECK_INT(dupes_for_draft(&db, &d, &p, 20, &l), DB_OK);
    CHECK(in_list(&l, id_of("164")));
    dupe_list_free(&l);
    /* nothing to compare the place with */
    memset(&d, 0, sizeof d);
    d.description = "Не свети";
    CHECK_INT(dupes_for_draft(&db, &d, &p, 20, &l), DB_OK);
    CHECK_INT(l.n, 0);
    dupe_list_free(&l);
}

TEST(clusters_largest_first)
{
    struct dupe_params p;
    struct cluster_list l;

    if (fresh("clusters") < 0)
        return;
    dupe_params_default(&p);
    CHECK_INT(dupes_clusters(&db, 0, &p, 50, &l), DB_OK);
    CHECK_INT(l.n, 2);
    if (l.n == 2) {
        CHECK_INT(l.items[0].size, 3);
        CHECK_STR(l.items[0].first_reg, "СО26-КЦ-000168");
        CHECK_STR(l.items[0].district, "Люлин");
        CHECK(l.items[0].span_m > 30 && l.items[0].span_m < 100);
        CHECK_INT(l.items[1].size, 2);
        CHECK_INT(l.items[1].ids[0], id_of("161"));     /* in order of arrival */
        CHECK_INT(l.items[1].ids[1], id_of("160"));
    }
    cluster_list_free(&l);
    CHECK_INT(dupes_clusters(&db, (int)dbt_number(&db, "SELECT id FROM districts WHERE name = 'Лозенец'"), &p, 50, &l),
              DB_OK);
    CHECK_INT(l.n, 1);
    cluster_list_free(&l);
    CHECK_INT(dupes_clusters(&db, (int)dbt_number(&db, "SELECT id FROM districts WHERE name = 'Банкя'"), &p, 50, &l),
              DB_OK);
    CHECK_INT(l.n, 0);
    cluster_list_free(&l);
}

TEST(merge_takes_reporters_priority_and_due)
{
    long long main_id, ids[2], merge_id = 0;
    struct db other;
    struct pollfd pfd;
    int got = 0, i;

    if (fresh("merge") < 0)
        return;
    main_id = id_of("160");
    ids[0] = id_of("161");
    ids[1] = id_of("162");
    memset(&other, 0, sizeof other);
    {
        char conninfo[96];

        snprintf(conninfo, sizeof conninfo, "dbname=%s", dbname);
        CHECK_INT(db_connect(&other, conninfo, 0), DB_OK);
        CHECK_INT(db_listen(&other), DB_OK);
    }
    CHECK_INT(merge(main_id, ids, 2, 0, &merge_id), DB_OK);
    CHECK(merge_id > 0);
    /* the others: duplicates of the main signal, with their own numbers */
    CHECK_STR(text("SELECT string_agg(reg_no || ' ' || status || ' ' || duplicate_of, ', ' ORDER BY reg_no)"
                   " FROM signals WHERE duplicate_of IS NOT NULL"),
              text("SELECT 'СО26-КЦ-000161 duplicate %lld, СО26-КЦ-000162 duplicate %lld'", main_id, main_id));
    /* every reporter hears of the main signal: Георги's copy; Мария reported both, once is enough */
    CHECK_STR(text("SELECT string_agg(name, ', ' ORDER BY id) FROM reporters WHERE signal_id = %lld", main_id),
              "Мария Петрова, Георги Стоянов");
    /* the highest priority, due as the earliest report (10:45 + 120 h) */
    CHECK_STR(text("SELECT priority || ' ' || to_char(due_at AT TIME ZONE 'Europe/Sofia', 'DD.MM HH24:MI')"
                   " FROM signals WHERE id = %lld", main_id),
              "2 25.11 10:45");
    /* both sides' timelines */
    CHECK_STR(text("SELECT string_agg(kind || ':' || coalesce(old_value, '') || '>' || coalesce(new_value, ''), ' '"
                   " ORDER BY id) FROM signal_events WHERE signal_id = %lld AND kind <> 'created'", main_id),
              "merge:>СО26-КЦ-000162, СО26-КЦ-000161 priority:1>2 due:2026-11-25 09:50:00+00>2026-11-25 08:45:00+00");
    CHECK_STR(text("SELECT string_agg(kind || ':' || coalesce(old_value, '') || '>' || coalesce(new_value, ''), ' '"
                   " ORDER BY id) FROM signal_events WHERE signal_id = %lld AND kind <> 'created'", ids[1]),
              "status:registered>duplicate merged_into:>СО26-КЦ-000160");
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signals WHERE version = 2"), 3);
    /* another console hears of it */
    pfd.fd = db_socket(&other);
    pfd.events = POLLIN;
    for (i = 0; i < 50 && got < 3; i++) {
        int n = db_drain_notifications(&other);

        got += n > 0 ? n : 0;
        if (got < 3)
            poll(&pfd, 1, 100);
    }
    CHECK(got >= 3);
    db_close(&other);
    /* an old number leads to the main signal */
    {
        long long id, main;

        CHECK_INT(dupes_lookup(&db, "СО26-КЦ-000161", &id, &main), DB_OK);
        CHECK_INT(id, ids[0]);
        CHECK_INT(main, main_id);
        CHECK_INT(dupes_lookup(&db, "СО26-КЦ-999999", &id, &main), DB_OK);
        CHECK_INT(id, 0);
    }
    /* searching for the old number finds the main signal too */
    {
        struct query q;
        struct query_error err;
        struct sig_view v;
        long long n = -1;
        int approx;

        memset(&v, 0, sizeof v);
        if (CHECK_INT(query_parse("reg:СО26-КЦ-000161", &q, &err), 0)) {
            v.query = &q;
            v.sort.col = QC_AGE;
            v.now = 1795168800;
            CHECK_INT(signals_count(&db, &v, 100000, &n, &approx), DB_OK);
            CHECK_INT(n, 2);
            query_free(&q);
        }
    }
    /* and its candidates no longer list the merged ones */
    {
        struct dupe_params p;
        struct dupe_list l;

        dupe_params_default(&p);
        CHECK_INT(dupes_for_signal(&db, main_id, &p, 20, &l), DB_OK);
        CHECK(!in_list(&l, ids[0]) && !in_list(&l, ids[1]));
        dupe_list_free(&l);
    }
}

/* Every refusal leaves everything as it was. */
TEST(merge_refusals_change_nothing)
{
    long long a, b, far, pothole, closed, mid = 0, ids[2];
    struct merge_item item;
    struct dupe_params p;
    char *before;

    if (fresh("refusals") < 0)
        return;
    dupe_params_default(&p);
    a = id_of("160");
    b = id_of("161");
    far = id_of("163");
    pothole = id_of("164");
    closed = id_of("166");
    before = xstrdup(text("SELECT string_agg(id || status || version || coalesce(duplicate_of, 0), ',' ORDER BY id)"
                          " FROM signals"));
    /* different categories: asked, not refused outright */
    ids[0] = pothole;
    CHECK_INT(merge(a, ids, 1, 0, &mid), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD027");
    CHECK(dupes_needs_force(&db));
    CHECK(strstr(db.errmsg, "СО26-КЦ-000164") != NULL);
    /* two kilometres apart */
    ids[0] = far;
    CHECK_INT(merge(a, ids, 1, 0, &mid), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD028");
    CHECK(dupes_needs_force(&db));
    /* a closed signal cannot become a duplicate; nor be the main one */
    ids[0] = closed;
    CHECK_INT(merge(a, ids, 1, 0, &mid), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD026");
    CHECK(!dupes_needs_force(&db));
    ids[0] = a;
    CHECK_INT(merge(closed, ids, 1, 1, &mid), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD024");
    /* itself, twice */
    ids[0] = a;
    CHECK_INT(merge(a, ids, 1, 0, &mid), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD021");
    ids[0] = b;
    ids[1] = b;
    CHECK_INT(merge(a, ids, 2, 0, &mid), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD021");
    /* a signal that is not there */
    ids[0] = 99999999;
    CHECK_INT(merge(a, ids, 1, 0, &mid), DB_REFUSED);
    /* someone changed it since it was read */
    item.id = b;
    item.version = version_of(b) - 1;
    CHECK_INT(dupes_merge(&db, a, version_of(a), &item, 1, &p, 0, NULL, &mid), DB_CONFLICT);
    CHECK_STR(db.sqlstate, "SD022");
    CHECK_STR(text("SELECT string_agg(id || status || version || coalesce(duplicate_of, 0), ',' ORDER BY id)"
                   " FROM signals"), before);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM merges"), 0);
    free(before);
    /* a status menu cannot make a duplicate of nothing */
    CHECK_INT(signal_change_status(&db, a, version_of(a), "duplicate", NULL, 0), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD020");
    /* the operator says yes: merged across categories */
    ids[0] = pothole;
    CHECK_INT(merge(a, ids, 1, 1, &mid), DB_OK);
    /* merging into a duplicate, or a duplicate again */
    ids[0] = b;
    CHECK_INT(merge(pothole, ids, 1, 1, &mid), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD023");
    CHECK(strstr(db.errmsg, "СО26-КЦ-000160") != NULL);
    ids[0] = pothole;
    CHECK_INT(merge(b, ids, 1, 1, &mid), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD025");
}

/* A main signal merged into another: its duplicates follow it, and undoing
 * goes back one merge at a time. */
TEST(chain_merge_and_undo)
{
    long long a, b, c, m1 = 0, m2 = 0, ids[1];
    char *sa, *sb, *sc;
    int restored = 0;
    struct merge_info info;

    if (fresh("chain") < 0)
        return;
    a = id_of("160");
    b = id_of("161");
    c = id_of("167");
    sa = xstrdup(snapshot(a));
    sb = xstrdup(snapshot(b));
    sc = xstrdup(snapshot(c));
    ids[0] = b;
    CHECK_INT(merge(a, ids, 1, 0, &m1), DB_OK);
    ids[0] = a;
    CHECK_INT(merge(c, ids, 1, 0, &m2), DB_OK);
    /* one hop from any old number to the main signal */
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signals WHERE duplicate_of IS NOT NULL"), 2);
    CHECK_STR(text("SELECT string_agg(DISTINCT duplicate_of::text, ',') FROM signals"), text("SELECT '%lld'", c));
    /* Мария and Георги reach the last main signal too */
    CHECK_STR(text("SELECT string_agg(name, ', ' ORDER BY id) FROM reporters WHERE signal_id = %lld", c),
              "Анна Маринова, Мария Петрова, Георги Стоянов");
    CHECK_STR(text("SELECT string_agg(kind || ':' || coalesce(old_value, '') || '>' || new_value, ' ' ORDER BY id)"
                   " FROM signal_events WHERE signal_id = %lld AND kind = 'merged_into'", b),
              "merged_into:>СО26-КЦ-000160 merged_into:СО26-КЦ-000160>СО26-КЦ-000167");
    /* the first merge cannot be undone before the second */
    CHECK_INT(dupes_unmerge(&db, m1, NULL, &restored), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD031");
    /* what the signal screens offer to undo */
    CHECK_INT(dupes_merge_info(&db, a, &info), DB_OK);
    CHECK(info.found && info.recorded);
    CHECK_INT(info.merge_id, m2);
    CHECK_INT(dupes_merge_info(&db, c, &info), DB_OK);
    CHECK_INT(info.merge_id, m2);
    CHECK_STR(info.regs, "СО26-КЦ-000160");
    CHECK_STR(info.main_reg, "СО26-КЦ-000167");
    CHECK_INT(dupes_unmerge(&db, m2, "не е същото", &restored), DB_OK);
    CHECK_INT(restored, 1);
    CHECK_STR(text("SELECT coalesce(duplicate_of, 0)::text FROM signals WHERE id = %lld", b), text("SELECT '%lld'", a));
    CHECK_STR(snapshot(c), sc);
    CHECK_INT(dupes_unmerge(&db, m2, NULL, &restored), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD030");
    CHECK_INT(dupes_unmerge(&db, m1, NULL, &restored), DB_OK);
    CHECK_STR(snapshot(a), sa);
    CHECK_STR(snapshot(b), sb);
    CHECK_STR(snapshot(c), sc);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signals WHERE duplicate_of IS NOT NULL"), 0);
    CHECK_STR(text("SELECT string_agg(kind || ':' || coalesce(old_value, '') || '>' || coalesce(new_value, ''), ' '"
                   " ORDER BY id) FROM signal_events WHERE signal_id = %lld AND kind IN ('unmerge', 'unmerged', 'status')"
                   " AND id > (SELECT max(id) FROM signal_events WHERE signal_id = %lld AND kind = 'merge')", a, c),
              "unmerged:СО26-КЦ-000167> status:duplicate>new unmerge:СО26-КЦ-000161>");
    CHECK_INT(dupes_merge_info(&db, a, &info), DB_OK);
    CHECK(!info.found);
    free(sa);
    free(sb);
    free(sc);
}

/* Undo gives back status, unit, assignee, priority, due date and reporters
 * of every signal, whatever its status was. */
TEST(unmerge_restores_exactly)
{
    long long ids[4], main_id, mid = 0;
    char *before[5];
    int i, restored = 0;

    if (fresh("unmerge") < 0)
        return;
    main_id = id_of("160");
    ids[0] = id_of("161");
    ids[1] = id_of("162");
    ids[2] = id_of("167");
    /* in several stages of work, taken by people */
    CHECK_INT(db_exec(&db, "UPDATE signals SET status = 'assigned', assignee = 'ivanova', unit_id ="
                           " (SELECT id FROM units WHERE name = 'Столичен инспекторат') WHERE reg_no = 'СО26-КЦ-000161'",
                      0, NULL), DB_OK);
    CHECK_INT(db_exec(&db, "UPDATE signals SET status = 'in_progress', assignee = 'petrov', priority = 3"
                           " WHERE reg_no = 'СО26-КЦ-000162'", 0, NULL), DB_OK);
    CHECK_INT(db_exec(&db, "UPDATE signals SET status = 'registered' WHERE reg_no = 'СО26-КЦ-000167'", 0, NULL), DB_OK);
    CHECK_INT(db_exec(&db, "UPDATE signals SET status = 'waiting' WHERE reg_no = 'СО26-КЦ-000167'", 0, NULL), DB_OK);
    for (i = 0; i < 3; i++)
        before[i] = xstrdup(snapshot(ids[i]));
    before[3] = xstrdup(snapshot(main_id));
    CHECK_INT(merge(main_id, ids, 3, 0, &mid), DB_OK);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signals WHERE status = 'duplicate'"), 3);
    CHECK_INT(dbt_number(&db, "SELECT priority FROM signals WHERE reg_no = 'СО26-КЦ-000160'"), 3);
    CHECK_INT(dupes_unmerge(&db, mid, NULL, &restored), DB_OK);
    CHECK_INT(restored, 3);
    for (i = 0; i < 3; i++)
        if (!CHECK_STR(snapshot(ids[i]), before[i]))
            printf("    signal %d\n", i);
    CHECK_STR(snapshot(main_id), before[3]);
    /* each side's timeline says so */
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signal_events WHERE kind = 'unmerged' AND public"), 3);
    CHECK_STR(text("SELECT old_value FROM signal_events WHERE kind = 'unmerge'"),
              "СО26-КЦ-000162, СО26-КЦ-000167, СО26-КЦ-000161");
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signal_events WHERE kind = 'status' AND old_value = 'duplicate'"),
              3);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM merges WHERE undone_at IS NOT NULL AND undone_by = current_user"),
              1);
    for (i = 0; i < 4; i++)
        free(before[i]);

    /* a change made to the main signal after the merge stays */
    ids[0] = id_of("161");
    CHECK_INT(merge(main_id, ids, 1, 0, &mid), DB_OK);
    CHECK_INT(db_exec(&db, "UPDATE signals SET priority = 0 WHERE reg_no = 'СО26-КЦ-000160'", 0, NULL), DB_OK);
    CHECK_INT(dupes_unmerge(&db, mid, NULL, &restored), DB_OK);
    CHECK_INT(dbt_number(&db, "SELECT priority FROM signals WHERE reg_no = 'СО26-КЦ-000160'"), 0);

    /* a duplicate brought back by a status change is no longer one, and
     * there is then nothing left to undo */
    CHECK_INT(merge(main_id, ids, 1, 0, &mid), DB_OK);
    CHECK_INT(signal_change_status(&db, ids[0], version_of(ids[0]), "registered", NULL, 0), DB_OK);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signals WHERE duplicate_of IS NOT NULL"), 0);
    CHECK_INT(dupes_unmerge(&db, mid, NULL, &restored), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD032");
}

/* The intake form's "it is already reported": one more reporter. */
TEST(caller_added_to_existing_signal)
{
    struct reporter r;
    long long id, main_id = id_of("160"), mid = 0, ids[1];

    if (fresh("reporter") < 0)
        return;
    main_id = id_of("160");
    ids[0] = id_of("161");
    CHECK_INT(merge(main_id, ids, 1, 0, &mid), DB_OK);
    memset(&r, 0, sizeof r);
    str_copy(r.name, sizeof r.name, "Нов Подател");
    str_copy(r.phone, sizeof r.phone, "0888 999 000");
    r.wants_updates = 1;
    /* the caller names the old number: they join the main signal */
    id = ids[0];
    CHECK_INT(dupes_add_reporter(&db, &id, &r, "phone"), DB_OK);
    CHECK_INT(id, main_id);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM reporters WHERE name = 'Нов Подател' AND wants_updates"
                              " AND signal_id = (SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-000160')"), 1);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signal_events WHERE kind = 'reporter' AND new_value = 'phone'"), 1);
    id = 99999999;
    CHECK_INT(dupes_add_reporter(&db, &id, &r, "phone"), DB_REFUSED);
}

/* Two consoles merge overlapping signals at the same moment: both wait on
 * a third that holds the row, then race.  One merge wins whole, the other
 * is told someone was first; nothing is half-merged, nobody deadlocks. */
static int wait_result(struct db *d, PGresult **last)
{
    PGresult *r;

    *last = NULL;
    while ((r = PQgetResult(d->conn)) != NULL) {
        if (*last)
            PQclear(*last);
        *last = r;
    }
    return *last ? (int)PQresultStatus(*last) : -1;
}

TEST(concurrent_merges_of_the_same_signals)
{
    struct db one, two, holder;
    char conninfo[96], a1[64], a2[64], v1[64], v2[64], ma[32], mb[32], va[16], vb[16];
    long long a, b, c;
    PGresult *r1, *r2;
    const char *p1[7], *p2[7];
    int waiting = 0, tries, ok1, ok2;

    if (fresh("concurrent") < 0)
        return;
    a = id_of("160");
    b = id_of("161");
    c = id_of("162");
    memset(&one, 0, sizeof one);
    memset(&two, 0, sizeof two);
    memset(&holder, 0, sizeof holder);
    snprintf(conninfo, sizeof conninfo, "dbname=%s", dbname);
    CHECK_INT(db_connect(&one, conninfo, 0), DB_OK);
    CHECK_INT(db_connect(&two, conninfo, 0), DB_OK);
    CHECK_INT(db_connect(&holder, conninfo, 0), DB_OK);
    /* console one: b and c into a; console two: a and c into b */
    snprintf(ma, sizeof ma, "%lld", a);
    snprintf(mb, sizeof mb, "%lld", b);
    snprintf(va, sizeof va, "%d", version_of(a));
    snprintf(vb, sizeof vb, "%d", version_of(b));
    snprintf(a1, sizeof a1, "{%lld,%lld}", b, c);
    snprintf(v1, sizeof v1, "{%d,%d}", version_of(b), version_of(c));
    snprintf(a2, sizeof a2, "{%lld,%lld}", a, c);
    snprintf(v2, sizeof v2, "{%d,%d}", version_of(a), version_of(c));
    p1[0] = ma; p1[1] = va; p1[2] = a1; p1[3] = v1; p1[4] = "false"; p1[5] = NULL; p1[6] = NULL;
    p2[0] = mb; p2[1] = vb; p2[2] = a2; p2[3] = v2; p2[4] = "false"; p2[5] = NULL; p2[6] = NULL;
    CHECK_INT(db_exec(&holder, "BEGIN", 0, NULL), DB_OK);
    CHECK_INT(db_exec(&holder, "SELECT 1 FROM signals WHERE reg_no = 'СО26-КЦ-000162' FOR UPDATE", 0, NULL), DB_OK);
#define MERGE_SQL "SELECT merge_signals($1::bigint, $2::integer, $3::bigint[], $4::integer[], $5::boolean, $6::float8, $7)"
    CHECK(PQsendQueryParams(one.conn, MERGE_SQL, 7, NULL, p1, NULL, NULL, 0));
    CHECK(PQsendQueryParams(two.conn, MERGE_SQL, 7, NULL, p2, NULL, NULL, 0));
    /* both are waiting for the row: seen, not slept on (asked outside the
     * holder's transaction, which sees the activity of its first look) */
    for (tries = 0; tries < 2000 && waiting < 2; tries++) {
        struct pollfd none;

        waiting = (int)dbt_number(&db, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                           " AND query LIKE 'SELECT merge_signals%'");
        if (waiting < 2)
            poll(&none, 0, 5);
    }
    CHECK_INT(waiting, 2);
    CHECK_INT(db_exec(&holder, "COMMIT", 0, NULL), DB_OK);
    wait_result(&one, &r1);
    wait_result(&two, &r2);
    ok1 = PQresultStatus(r1) == PGRES_TUPLES_OK;
    ok2 = PQresultStatus(r2) == PGRES_TUPLES_OK;
    CHECK_INT(ok1 + ok2, 1);
    CHECK_STR(PQresultErrorField(ok1 ? r2 : r1, PG_DIAG_SQLSTATE), "SD022");
    PQclear(r1);
    PQclear(r2);
    /* one whole merge, nothing of the other */
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM merges"), 1);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signals WHERE status = 'duplicate'"), 2);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signals s JOIN signals m ON m.id = s.duplicate_of"
                              " WHERE m.status = 'duplicate'"), 0);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signal_events WHERE kind = 'merge'"), 1);
    db_close(&one);
    db_close(&two);
    db_close(&holder);
}

/* Two processes merging and undoing among the same six signals as fast as
 * they can: afterwards every duplicate points at a signal that is not one,
 * every merge is whole, and no deadlock happened. */
TEST(merges_racing_in_two_processes)
{
    static const char *const regs[] = { "160", "161", "162", "166", "167", "170" };
    long long ids[6];
    pid_t pid[2];
    int k, status, bad = 0;

    if (fresh("race") < 0)
        return;
    for (k = 0; k < 6; k++)
        ids[k] = id_of(regs[k]);
    ids[3] = id_of("169");      /* open, unlike 166 */
    for (k = 0; k < 2; k++) {
        pid[k] = fork();
        if (pid[k] == 0) {
            struct db me;
            char conninfo[96];
            int i, deadlocks = 0;

            memset(&me, 0, sizeof me);
            snprintf(conninfo, sizeof conninfo, "dbname=%s", dbname);
            if (db_connect(&me, conninfo, 0) != DB_OK)
                _exit(2);
            srand((unsigned)(k + 1) * 7919u);
            for (i = 0; i < 40; i++) {
                struct merge_item items[2];
                struct dupe_params p;
                long long main_id = ids[rand() % 6], mid;
                char sql[160];
                PGresult *r;
                int n = 0, j;

                dupe_params_default(&p);
                for (j = 0; j < 2; j++) {
                    long long o = ids[rand() % 6];

                    if (o == main_id || (n && items[0].id == o))
                        continue;
                    snprintf(sql, sizeof sql, "SELECT version FROM signals WHERE id = %lld", o);
                    if (db_query(&me, &r, sql, 0, NULL) != DB_OK)
                        continue;
                    items[n].id = o;
                    items[n++].version = (int)db_ll(r, 0, 0);
                    PQclear(r);
                }
                if (n == 0)
                    continue;
                snprintf(sql, sizeof sql, "SELECT version FROM signals WHERE id = %lld", main_id);
                if (db_query(&me, &r, sql, 0, NULL) != DB_OK)
                    continue;
                j = (int)db_ll(r, 0, 0);
                PQclear(r);
                if (dupes_merge(&me, main_id, j, items, n, &p, 1, NULL, &mid) != DB_OK &&
                    strcmp(me.sqlstate, "40P01") == 0)
                    deadlocks++;
                if (rand() % 3 == 0) {
                    if (db_query(&me, &r, "SELECT max(id) FROM merges WHERE undone_at IS NULL", 0, NULL) == DB_OK) {
                        if (!db_isnull(r, 0, 0) && dupes_unmerge(&me, db_ll(r, 0, 0), NULL, NULL) != DB_OK &&
                            strcmp(me.sqlstate, "40P01") == 0)
                            deadlocks++;
                        PQclear(r);
                    }
                }
            }
            db_close(&me);
            _exit(deadlocks ? 1 : 0);
        }
    }
    for (k = 0; k < 2; k++) {
        waitpid(pid[k], &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            bad++;
    }
    CHECK_INT(bad, 0);
    CHECK(dbt_number(&db, "SELECT count(*) FROM merges") > 0);
    /* one hop: no duplicate of a duplicate; only duplicates point */
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signals s JOIN signals m ON m.id = s.duplicate_of"
                              " WHERE m.status = 'duplicate'"), 0);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signals WHERE (status = 'duplicate') <> (duplicate_of IS NOT NULL)"),
              0);
    /* every merge not undone is whole: what it merged is a duplicate still */
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM merges m JOIN merge_items i ON i.merge_id = m.id AND i.role = 'merged'"
                              " JOIN signals s ON s.id = i.signal_id WHERE m.undone_at IS NULL AND s.status <> 'duplicate'"),
              0);
    /* each merge wrote its event on the main signal, each undo too */
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signal_events WHERE kind = 'merge'"),
              dbt_number(&db, "SELECT count(*) FROM merges"));
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signal_events WHERE kind = 'unmerge'"),
              dbt_number(&db, "SELECT count(*) FROM merges WHERE undone_at IS NOT NULL"));
}

TEST_LIST = {
    { "candidates_on_a_labelled_set", candidates_on_a_labelled_set },
    { "candidates_show_each_part", candidates_show_each_part },
    { "candidates_for_a_draft", candidates_for_a_draft },
    { "clusters_largest_first", clusters_largest_first },
    { "merge_takes_reporters_priority_and_due", merge_takes_reporters_priority_and_due },
    { "merge_refusals_change_nothing", merge_refusals_change_nothing },
    { "chain_merge_and_undo", chain_merge_and_undo },
    { "unmerge_restores_exactly", unmerge_restores_exactly },
    { "caller_added_to_existing_signal", caller_added_to_existing_signal },
    { "concurrent_merges_of_the_same_signals", concurrent_merges_of_the_same_signals },
    { "merges_racing_in_two_processes", merges_racing_in_two_processes },
    { NULL, NULL }
};

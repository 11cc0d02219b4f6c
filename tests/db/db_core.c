/* The schema, the workflow and the queue against a real PostgreSQL. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbadmin.h"
#include "dbtest.h"
#include "regno.h"
#include "util.h"
#include "signals.h"
#include "test.h"
#include "workflow.h"

static struct db db;
static struct operator_info me;

static void connect_fixture(void)
{
    static int done;

    if (done)
        return;
    done = 1;
    if (dbt_fresh(&db, "t_db_core", "sd_fixture", NULL) < 0)
        exit(1);
    operator_load(&db, &me);
}

TEST(workflow_matches_schema)
{
    PGresult *r;
    int i, n;
    size_t j;

    connect_fixture();
    CHECK_INT(db_query(&db, &r, "SELECT from_status, to_status, needs_public_comment FROM status_transitions", 0,
                       NULL), DB_OK);
    n = PQntuples(r);
    CHECK_INT(n, (int)transition_count);
    for (i = 0; i < n; i++) {
        const struct transition *t = workflow_find(status_from_code(db_val(r, i, 0)), status_from_code(db_val(r, i, 1)));

        if (!CHECK(t != NULL))
            printf("    the schema allows %s -> %s, the code does not\n", db_val(r, i, 0), db_val(r, i, 1));
        else
            CHECK_INT(t->needs_public_comment, db_val(r, i, 2)[0] == 't');
    }
    PQclear(r);
    CHECK_INT(db_query(&db, &r, "SELECT code, is_open FROM statuses", 0, NULL), DB_OK);
    CHECK_INT(PQntuples(r), ST_COUNT);
    for (i = 0; i < PQntuples(r); i++) {
        enum status s = status_from_code(db_val(r, i, 0));

        if (CHECK(s != ST_COUNT))
            CHECK_INT(status_table[s].open, db_val(r, i, 1)[0] == 't');
    }
    PQclear(r);
    for (j = 0; j < transition_count; j++) {
        char sql[256];

        snprintf(sql, sizeof sql, "SELECT count(*) FROM status_transitions WHERE from_status = '%s' AND to_status = '%s'",
                 status_table[transition_table[j].from].code, status_table[transition_table[j].to].code);
        CHECK_INT(dbt_number(&db, sql), 1);
    }
}

TEST(reference_data_loaded)
{
    connect_fixture();
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM districts"), 24);
    CHECK(dbt_number(&db, "SELECT count(*) FROM categories WHERE parent_id IS NULL") >= 10);
    CHECK(dbt_number(&db, "SELECT count(*) FROM routing") > 0);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM categories c WHERE parent_id IS NOT NULL"
                              " AND default_unit_id IS NULL AND NOT EXISTS (SELECT 1 FROM categories p"
                              " WHERE p.id = c.parent_id AND p.default_unit_id IS NOT NULL)"), 0);
    /* Cyrillic trigrams work: the database's LC_CTYPE is not C */
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM (SELECT show_trgm('улица') t) x WHERE t <> '{}'"), 1);
}

TEST(migrate_is_idempotent)
{
    int applied = -1, version = 0;

    connect_fixture();
    CHECK_INT(db_migrate(&db, &applied), DB_OK);
    CHECK_INT(applied, 0);
    CHECK_INT(db_schema_version(&db, &version), DB_OK);
    CHECK(version >= 1);
}

TEST(locale_c_is_refused)
{
    struct db c;
    int applied;

    if (dbt_fresh(&c, "t_locale_c", "template0", "'C'") < 0) {
        CHECK(0);
        return;
    }
    CHECK_INT(db_migrate(&c, &applied), DB_REFUSED);
    CHECK(strstr(c.errmsg, "LC_CTYPE") != NULL);
    CHECK_INT(dbt_number(&c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'signaldesk'"), 0);
    db_close(&c);
}

static long long first_new(void)
{
    return dbt_number(&db, "SELECT min(id) FROM signals WHERE status = 'new'");
}

TEST(status_change_checks_version)
{
    long long id, events;
    int version;
    char sql[256];

    connect_fixture();
    id = first_new();
    snprintf(sql, sizeof sql, "SELECT version FROM signals WHERE id = %lld", id);
    version = (int)dbt_number(&db, sql);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signal_events WHERE signal_id = %lld", id);
    events = dbt_number(&db, sql);
    CHECK_INT(signal_change_status(&db, id, version, "registered", NULL, 0), DB_OK);
    /* a second console still holding the old version loses, visibly */
    CHECK_INT(signal_change_status(&db, id, version, "assigned", NULL, 0), DB_CONFLICT);
    CHECK(strlen(db.errmsg) > 0);
    CHECK_INT(dbt_number(&db, sql), events + 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signals WHERE id = %lld AND status = 'registered' AND version = %d",
             id, version + 1);
    CHECK_INT(dbt_number(&db, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signal_events WHERE signal_id = %lld AND kind = 'status'"
                              " AND old_value = 'new' AND new_value = 'registered' AND actor = current_user", id);
    CHECK_INT(dbt_number(&db, sql), 1);
}

TEST(database_refuses_bad_transitions)
{
    char sql[256];
    long long id;

    connect_fixture();
    id = first_new();
    /* even a raw UPDATE that skips the console is refused */
    snprintf(sql, sizeof sql, "UPDATE signals SET status = 'closed' WHERE id = %lld", id);
    CHECK_INT(db_exec(&db, sql, 0, NULL), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD001");
    snprintf(sql, sizeof sql, "SELECT version FROM signals WHERE id = %lld", id);
    CHECK_INT(signal_change_status(&db, id, (int)dbt_number(&db, sql), "closed", "x", 1), DB_REFUSED);
}

TEST(public_comment_required)
{
    char sql[256];
    long long id;
    int version;

    connect_fixture();
    id = first_new();
    snprintf(sql, sizeof sql, "SELECT version FROM signals WHERE id = %lld", id);
    version = (int)dbt_number(&db, sql);
    CHECK_INT(signal_change_status(&db, id, version, "rejected", NULL, 0), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD002");
    CHECK_INT(signal_change_status(&db, id, version, "rejected", "   ", 1), DB_REFUSED);
    CHECK_INT(signal_change_status(&db, id, version, "rejected", "Не е в компетенциите на общината.", 1), DB_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signals WHERE id = %lld AND closed_at IS NOT NULL", id);
    CHECK_INT(dbt_number(&db, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signal_events WHERE signal_id = %lld AND public"
                              " AND comment = 'Не е в компетенциите на общината.'", id);
    CHECK_INT(dbt_number(&db, sql), 1);
}

TEST(change_is_announced_to_other_consoles)
{
    struct db other;
    struct pollfd p;
    long long id;
    char sql[128];
    int got = 0, i;

    connect_fixture();
    memset(&other, 0, sizeof other);
    CHECK_INT(db_connect(&other, "dbname=t_db_core", 0), DB_OK);
    CHECK_INT(db_listen(&other), DB_OK);
    id = first_new();
    snprintf(sql, sizeof sql, "SELECT version FROM signals WHERE id = %lld", id);
    CHECK_INT(signal_change_status(&db, id, (int)dbt_number(&db, sql), "registered", NULL, 0), DB_OK);
    p.fd = db_socket(&other);
    p.events = POLLIN;
    for (i = 0; i < 50 && !got; i++) {
        got = db_drain_notifications(&other);
        if (!got)
            poll(&p, 1, 100);
    }
    CHECK(got > 0);
    db_close(&other);
}

/* Walks a whole queue page by page, down then up, and compares with a plain
 * ORDER BY: keyset paging must neither skip nor repeat a row, in any order. */
static void walk(const char *query, const char *where, const char *sort)
{
    char sql[1024];
    PGresult *r;
    long long *expect, *got;
    int n, total = 0, i, more, nrows;
    struct sig_row rows[7];
    struct sig_key key;
    long long count;
    int approx, key_desc;
    struct query qr;
    struct query_error err;
    struct sig_view v;
    char why[256];

    if (!CHECK_INT(query_parse(query, &qr, &err), 0))
        return;
    if (!CHECK_INT(qsort_parse(sort, &v.sort, why, sizeof why), 0))
        return;
    v.query = &qr;
    v.now = time(NULL);
    key_desc = v.sort.desc != qcol_table[v.sort.col].invert;
    snprintf(sql, sizeof sql, "SELECT id FROM signals s WHERE %s ORDER BY %s %s, id %s", where,
             qcol_table[v.sort.col].sort_sql, key_desc ? "DESC" : "", key_desc ? "DESC" : "");
    if (!CHECK_INT(db_query(&db, &r, sql, 0, NULL), DB_OK))
        return;
    n = PQntuples(r);
    expect = calloc((size_t)n + 1, sizeof *expect);
    got = calloc((size_t)n + 8, sizeof *got);
    for (i = 0; i < n; i++)
        expect[i] = db_ll(r, i, 0);
    PQclear(r);
    CHECK_INT(signals_count(&db, &v, 100000, &count, &approx), DB_OK);
    CHECK_INT(count, n);
    CHECK_INT(signals_page(&db, &v, PAGE_FIRST, NULL, 7, rows, &nrows, &more), DB_OK);
    while (nrows > 0 && total + nrows <= n + 7) {
        for (i = 0; i < nrows; i++)
            got[total++] = rows[i].id;
        sig_key_of(&rows[nrows - 1], &key);
        if (!more)
            break;
        signals_page(&db, &v, PAGE_AFTER, &key, 7, rows, &nrows, &more);
    }
    if (!CHECK_INT(total, n))
        printf("    query '%s' sort '%s'\n", query, sort);
    for (i = 0; i < n && i < total; i++)
        if (!CHECK_INT(got[i], expect[i])) {
            printf("    query '%s' sort '%s' row %d\n", query, sort, i);
            break;
        }
    /* and back up from the end */
    total = 0;
    CHECK_INT(signals_page(&db, &v, PAGE_LAST, NULL, 7, rows, &nrows, &more), DB_OK);
    while (nrows > 0 && total + nrows <= n + 7) {
        for (i = nrows - 1; i >= 0; i--)
            got[total++] = rows[i].id;
        sig_key_of(&rows[0], &key);
        if (!more)
            break;
        signals_page(&db, &v, PAGE_BEFORE, &key, 7, rows, &nrows, &more);
    }
    CHECK_INT(total, n);
    for (i = 0; i < n && i < total; i++)
        if (!CHECK_INT(got[i], expect[n - 1 - i]))
            break;
    free(expect);
    free(got);
    query_free(&qr);
}

TEST(keyset_paging_walks_every_queue)
{
    connect_fixture();
    walk("", "true", "age");
    walk("status:new", "status = 'new'", "age");
    walk("assignee:me status:open",
         "status IN ('new','registered','assigned','in_progress','waiting') AND assignee = current_user", "age");
    walk("overdue", "status IN ('new','registered','assigned','in_progress','waiting') AND due_at < now()", "due");
}

/* Every sortable column, both ways, with ties (many signals share a status,
 * a district, a priority): the order is (key, id) and paging is exact. */
TEST(keyset_paging_in_every_order)
{
    int c;

    connect_fixture();
    for (c = 0; c < QC_COUNT; c++) {
        char sort[64];

        snprintf(sort, sizeof sort, "%s asc", qcol_table[c].name);
        walk("", "true", sort);
        snprintf(sort, sizeof sort, "%s desc", qcol_table[c].name);
        walk("", "true", sort);
    }
    walk("status:open", "status IN ('new','registered','assigned','in_progress','waiting')", "priority desc");
    walk("-status:closed district:a", "status <> 'closed' AND district_id IN (SELECT id FROM districts"
         " WHERE sd_latin(name) LIKE '%a%')", "district asc");
}

TEST(signal_detail_and_timeline)
{
    struct signal s;
    struct event_list ev;
    long long id;

    connect_fixture();
    id = dbt_number(&db, "SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-000103'");
    CHECK_INT(signal_load(&db, id, &s), DB_OK);
    CHECK_STR(s.reg_no, "СО26-КЦ-000103");
    CHECK(strstr(s.category, " › ") != NULL);
    CHECK(s.nreporters == 1);
    CHECK(s.has_location);
    signal_free(&s);
    CHECK_INT(signal_events(&db, id, &ev), DB_OK);
    CHECK_INT(ev.n, 2);
    CHECK_STR(ev.items[0].kind, "created");
    CHECK_STR(ev.items[1].new_value, "assigned");
    event_list_free(&ev);
    CHECK(signal_load(&db, 99999999, &s) != DB_OK);
}

/* The database formats registration numbers exactly as the C code does. */
TEST(reg_numbers_agree_with_the_code)
{
    static const char *formats[] = { REGNO_DEFAULT_FORMAT, "RU-%Y/%N", "%%%y-%3N", "%N", "ПЛ%y%8N" };
    static const long numbers[] = { 1, 123, 999999, 1234567 };
    size_t f, n;

    connect_fixture();
    for (f = 0; f < ARRAY_SIZE(formats); f++)
        for (n = 0; n < ARRAY_SIZE(numbers); n++) {
            char want[128], num[32], year[8];
            const char *params[3] = { formats[f], year, num };
            PGresult *r;

            snprintf(num, sizeof num, "%ld", numbers[n]);
            snprintf(year, sizeof year, "%d", 2026);
            regno_format(formats[f], 2026, numbers[n], want, sizeof want);
            if (CHECK_INT(db_query(&db, &r, "SELECT format_reg_no($1, $2::integer, $3::bigint)", 3, params), DB_OK)) {
                CHECK_STR(db_val(r, 0, 0), want);
                PQclear(r);
            }
        }
}

TEST(reg_numbers_are_taken_in_blocks)
{
    long long first;

    connect_fixture();
    first = dbt_number(&db, "SELECT take_reg_numbers(2026, 1000)");
    CHECK_INT(first, 160);  /* the fixture used 100..159 */
    CHECK_INT(dbt_number(&db, "SELECT take_reg_numbers(2026)"), 1160);
    CHECK_INT(dbt_number(&db, "SELECT take_reg_numbers(2031)"), 1);
}

TEST(routing_falls_back_to_defaults)
{
    connect_fixture();
    /* every leaf category has a unit in every district */
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM categories c, districts d WHERE c.parent_id IS NOT NULL"
                              " AND route_unit(c.id, d.id) IS NULL"), 0);
    /* a routing row wins over the default */
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM routing r WHERE route_unit(r.category_id, r.district_id)"
                              " <> r.unit_id"), 0);
    CHECK_INT(dbt_number(&db, "SELECT extract(epoch FROM due_at(c.id, '2026-01-01') - '2026-01-01')::bigint"
                              " - c.sla_hours * 3600 FROM categories c ORDER BY id LIMIT 1"), 0);
}

/* The server ends our session: the next statement says so, and connecting
 * again restores the session, LISTEN included. */
TEST(reconnects_after_the_server_ends_the_session)
{
    struct db victim, other;
    char sql[160];
    struct pollfd p;
    int got = 0, i;

    connect_fixture();
    memset(&victim, 0, sizeof victim);
    memset(&other, 0, sizeof other);
    CHECK_INT(db_connect(&victim, "dbname=t_db_core", 0), DB_OK);
    CHECK_INT(db_listen(&victim), DB_OK);
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)::int", PQbackendPID(victim.conn));
    CHECK_INT(dbt_number(&db, sql), 1);
    CHECK_INT(db_exec(&victim, "SELECT 1", 0, NULL), DB_LOST);
    if (!CHECK_INT(db_reconnect(&victim), DB_OK))
        printf("    %s\n", victim.errmsg);
    CHECK_INT(db_exec(&victim, "SELECT 1", 0, NULL), DB_OK);
    CHECK_INT(dbt_number(&victim, "SELECT count(*) FROM signals") > 0, 1);
    /* still hears others */
    CHECK_INT(db_connect(&other, "dbname=t_db_core", 0), DB_OK);
    CHECK_INT(db_exec(&other, "NOTIFY signaldesk, '1'", 0, NULL), DB_OK);
    p.fd = db_socket(&victim);
    p.events = POLLIN;
    for (i = 0; i < 50 && !got; i++) {
        got = db_drain_notifications(&victim);
        if (!got)
            poll(&p, 1, 100);
    }
    CHECK(got > 0);
    db_close(&other);
    db_close(&victim);
}

TEST_LIST = {
    { "reconnects_after_the_server_ends_the_session", reconnects_after_the_server_ends_the_session },
    { "reg_numbers_agree_with_the_code", reg_numbers_agree_with_the_code },
    { "reg_numbers_are_taken_in_blocks", reg_numbers_are_taken_in_blocks },
    { "routing_falls_back_to_defaults", routing_falls_back_to_defaults },
    { "workflow_matches_schema", workflow_matches_schema },
    { "reference_data_loaded", reference_data_loaded },
    { "migrate_is_idempotent", migrate_is_idempotent },
    { "locale_c_is_refused", locale_c_is_refused },
    { "status_change_checks_version", status_change_checks_version },
    { "database_refuses_bad_transitions", database_refuses_bad_transitions },
    { "public_comment_required", public_comment_required },
    { "change_is_announced_to_other_consoles", change_is_announced_to_other_consoles },
    { "keyset_paging_walks_every_queue", keyset_paging_walks_every_queue },
    { "keyset_paging_in_every_order", keyset_paging_in_every_order },
    { "signal_detail_and_timeline", signal_detail_and_timeline },
    { NULL, NULL }
};

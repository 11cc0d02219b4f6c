/* Search against the real server: the folded Latin column agrees with the C
 * fold, every field finds what it should, reporters are found, saved
 * queues, notifications that name the changed signal, and the
 * asynchronous path (send, result, cancel, a key press that stops a read). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dbtest.h"
#include "queues.h"
#include "signals.h"
#include "test.h"
#include "translit.h"
#include "util.h"

static struct db db;

static void connect_fixture(void)
{
    static int done;

    if (done)
        return;
    done = 1;
    /* days are the console's local days */
    setenv("TZ", "Europe/Sofia", 1);
    tzset();
    if (dbt_fresh(&db, "t_db_search", "sd_fixture", NULL) < 0)
        exit(1);
}

static double ms_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

/* How many signals the query finds (exact), -1 when it does not parse. */
static long long found(const char *text)
{
    struct query q;
    struct query_error err;
    struct sig_view v;
    long long n;
    int approx;

    if (query_parse(text, &q, &err) < 0) {
        printf("    '%s' does not parse: %s\n", text, err.msg);
        return -1;
    }
    v.query = &q;
    v.sort.col = QC_AGE;
    v.sort.desc = 0;
    v.now = 1795168800; /* 2026-11-20 12:00 +02, the clock of the screen tests */
    if (signals_count(&db, &v, 100000, &n, &approx) != DB_OK) {
        printf("    '%s': %s\n", text, db.errmsg);
        n = -1;
    }
    query_free(&q);
    return n;
}

static long long number(const char *sql)
{
    return dbt_number(&db, sql);
}

TEST(sql_fold_agrees_with_the_c_fold)
{
    static const char *samples[] = {
        "Витоша", "ЖЕЛЯЗКО", "София", "Шипка", "щастие", "Юлия", "ия", "Ия", "България е тук",
        "Българията", "Ѝ и ѐ", "ъгъл, ьо", "Цар Борис III", "бул. „Черни връх“ 45", "ALL CAPS 123",
        "Mixed Латиница", "ж.к. Люлин, бл. 312", "100% _x_ \\", "Ёлка ЫЭ", "", "Ѐ Ѝ Ђ Ѓ",
    };
    size_t i;
    PGresult *r;

    connect_fixture();
    for (i = 0; i < ARRAY_SIZE(samples); i++) {
        char want[512];
        const char *params[1] = { samples[i] };

        translit_fold(samples[i], want, sizeof want);
        if (!CHECK_INT(db_query(&db, &r, "SELECT sd_latin($1)", 1, params), DB_OK))
            continue;
        if (!CHECK_STR(db_val(r, 0, 0), want))
            printf("    for '%s'\n", samples[i]);
        PQclear(r);
    }
    /* and over every text of the fixture */
    CHECK_INT(db_query(&db, &r, "SELECT description || ' ' || address, sd_latin(description || ' ' || address)"
                                " FROM signals", 0, NULL), DB_OK);
    for (i = 0; r && i < (size_t)PQntuples(r); i++) {
        char want[2048];

        translit_fold(db_val(r, (int)i, 0), want, sizeof want);
        if (!CHECK_STR(db_val(r, (int)i, 1), want))
            break;
    }
    PQclear(r);
}

TEST(words_ignore_case_and_alphabet)
{
    long long vitosha;

    connect_fixture();
    /* address бул. „Витоша“ (every 8th signal) */
    vitosha = number("SELECT count(*) FROM signals WHERE address ILIKE '%витоша%' OR description ILIKE '%витоша%'"
                     " OR reg_no ILIKE '%витоша%'");
    CHECK(vitosha > 0);
    CHECK_INT(found("витоша"), vitosha);
    CHECK_INT(found("ВИТОША"), vitosha);
    CHECK_INT(found("vitosha"), vitosha);
    CHECK_INT(found("Vitosha"), vitosha);
    /* a phrase keeps its words together */
    CHECK_INT(found("\"не свети лампата\""), number("SELECT count(*) FROM signals WHERE description ILIKE '%не свети лампата%'"));
    CHECK_INT(found("\"лампата не свети\""), 0);
    /* all words must be there, in any order */
    CHECK_INT(found("лампата входа"), number("SELECT count(*) FROM signals WHERE description ILIKE '%лампата%'"
                                            " AND description ILIKE '%входа%'"));
    CHECK_INT(found("-витоша"), number("SELECT count(*) FROM signals") - vitosha);
}

TEST(latin_text_is_found_in_cyrillic)
{
    long long id;
    char sql[256];

    connect_fixture();
    id = number("SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-000150'");
    snprintf(sql, sizeof sql, "UPDATE signals SET address = 'ul. Shipka 10, Sofia' WHERE id = %lld", id);
    CHECK_INT(db_exec(&db, sql, 0, NULL), DB_OK);
    /* шипка finds Shipka, and the Cyrillic ул. „Шипка“ of other signals */
    CHECK_INT(found("шипка"), number("SELECT count(*) FROM signals WHERE address ILIKE '%шипка%'") + 1);
    CHECK_INT(found("shipka"), found("шипка"));
    CHECK_INT(found("софия reg:150"), 1);
}

/* By name; a phone or an e-mail is contact data only the signal's unit may
 * read (008), so it is not in the searchable text. */
TEST(reporters_are_found_by_name_not_by_contacts)
{
    long long id;
    char sql[256];

    connect_fixture();
    id = number("SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-000101'");
    snprintf(sql, sizeof sql, "INSERT INTO reporters (signal_id, name, phone) VALUES (%lld, 'Благовест Зографов', '0899 777 111')", id);
    CHECK_INT(db_exec(&db, sql, 0, NULL), DB_OK);
    CHECK_INT(found("Зографов"), 1);
    CHECK_INT(found("zografov"), 1);
    CHECK_INT(found("\"0899 777 111\""), 0);
    /* a change of name follows */
    CHECK_INT(db_exec(&db, "UPDATE reporters SET name = 'Благовест Иконописов' WHERE name = 'Благовест Зографов'",
                      0, NULL), DB_OK);
    CHECK_INT(found("Зографов"), 0);
    CHECK_INT(found("ikonopisov"), 1);
    CHECK_INT(db_exec(&db, "DELETE FROM reporters WHERE name = 'Благовест Иконописов'", 0, NULL), DB_OK);
    CHECK_INT(found("ikonopisov"), 0);
    /* the fixture's reporters were there before the migration's triggers */
    CHECK(found("\"Елена Николова\"") > 0);
}

TEST(every_field_finds_its_signals)
{
    connect_fixture();
    CHECK_INT(found("status:new"), number("SELECT count(*) FROM signals WHERE status = 'new'"));
    CHECK_INT(found("status:open"), number("SELECT count(*) FROM signals WHERE status IN "
                                           "('new','registered','assigned','in_progress','waiting')"));
    CHECK_INT(found("-status:closed,rejected"), number("SELECT count(*) FROM signals WHERE status NOT IN ('closed','rejected')"));
    CHECK_INT(found("district:Лозенец"), number("SELECT count(*) FROM signals s JOIN districts d ON d.id = s.district_id"
                                                " WHERE d.name = 'Лозенец'"));
    CHECK_INT(found("district:lozenets"), found("district:Лозенец"));
    CHECK_INT(found("district:\"Красна поляна\",Люлин"),
              number("SELECT count(*) FROM signals s JOIN districts d ON d.id = s.district_id"
                     " WHERE d.name IN ('Красна поляна', 'Люлин')"));
    CHECK(found("cat:осветление") > 0);
    CHECK_INT(found("cat:osvetlenie"), found("cat:осветление"));
    CHECK_INT(found("unit:mine status:open"), number("SELECT count(*) FROM signals WHERE status IN "
        "('new','registered','assigned','in_progress','waiting') AND unit_id = "
        "(SELECT unit_id FROM operators WHERE login = current_user)"));
    CHECK_INT(found("unit:инспекторат"), number("SELECT count(*) FROM signals s JOIN units u ON u.id = s.unit_id"
                                                " WHERE u.name = 'Столичен инспекторат'"));
    CHECK_INT(found("assignee:me"), number("SELECT count(*) FROM signals WHERE assignee = current_user"));
    CHECK_INT(found("assignee:ivanova"), number("SELECT count(*) FROM signals WHERE assignee = 'ivanova'"));
    CHECK_INT(found("assignee:Иванова"), found("assignee:ivanova"));
    CHECK_INT(found("assignee:none"), number("SELECT count(*) FROM signals WHERE assignee IS NULL"));
    CHECK_INT(found("-assignee:ivanova"), number("SELECT count(*) FROM signals WHERE assignee IS DISTINCT FROM 'ivanova'"));
    CHECK_INT(found("priority:high,urgent"), number("SELECT count(*) FROM signals WHERE priority >= 2"));
    CHECK_INT(found("channel:phone"), number("SELECT count(*) FROM signals WHERE channel = 'phone'"));
    CHECK_INT(found("created:2026-11-01..2026-11-10"),
              number("SELECT count(*) FROM signals WHERE created_at >= '2026-11-01 00:00+02' AND created_at < '2026-11-11 00:00+02'"));
    CHECK_INT(found("since:7d"), number("SELECT count(*) FROM signals WHERE created_at >= '2026-11-13 12:00+02'"));
    CHECK_INT(found("changed:1d"), number("SELECT count(*) FROM signals WHERE updated_at >= '2026-11-19 12:00+02'"));
    CHECK_INT(found("overdue"), number("SELECT count(*) FROM signals WHERE due_at < '2026-11-20 12:00+02' AND status IN "
                                       "('new','registered','assigned','in_progress','waiting')"));
    CHECK_INT(found("due:..2025-12-31"), number("SELECT count(*) FROM signals WHERE due_at < '2026-01-01 00:00+02'"));
    CHECK_INT(found("reg:СО26-КЦ-000123"), 1);
    CHECK_INT(found("reg:123"), 1);
    CHECK_INT(found("reg:12"), 1);      /* the last digits (000112), not any digits */
    CHECK_INT(found("reg:1234"), 0);
    CHECK_INT(found("id:1,2,3"), number("SELECT count(*) FROM signals WHERE id IN (1, 2, 3)"));
    CHECK_INT(found("статус:нов район:Средец"), found("status:new district:Средец"));
}

TEST(values_with_quotes_and_wildcards_are_only_values)
{
    connect_fixture();
    CHECK_INT(found("\"'; DROP TABLE signals; --\""), 0);
    CHECK_INT(found("district:\"x' OR '1'='1\""), 0);
    CHECK_INT(found("%"), 0);
    CHECK_INT(found("_"), 0);
    CHECK(number("SELECT count(*) FROM signals") > 0);
}

TEST(saved_queues_belong_to_their_person)
{
    struct queue_def defs[MAX_QUEUES], q;
    int n = 0;
    char err[256];

    connect_fixture();
    memset(&q, 0, sizeof q);
    queue_defaults(&q);
    str_copy(q.name, sizeof q.name, "Лампи в Лозенец");
    str_copy(q.query, sizeof q.query, "лампата district:Лозенец");
    qsort_parse("due asc", &q.sort, err, sizeof err);
    CHECK_INT(queue_save(&db, &q), DB_OK);
    str_copy(q.query, sizeof q.query, "лампата district:Лозенец status:open");
    CHECK_INT(queue_save(&db, &q), DB_OK);     /* the same name replaces it */
    CHECK_INT(queues_saved(&db, defs, MAX_QUEUES, &n), DB_OK);
    CHECK_INT(n, 1);
    CHECK_STR(defs[0].name, "Лампи в Лозенец");
    CHECK_STR(defs[0].query, "лампата district:Лозенец status:open");
    CHECK_INT(defs[0].sort.col, QC_DUE);
    CHECK_INT(defs[0].saved, 1);
    CHECK_INT(number("SELECT count(*) FROM saved_queues WHERE login = current_user"), 1);
    CHECK_INT(queue_forget(&db, "Лампи в Лозенец"), DB_OK);
    n = 0;
    CHECK_INT(queues_saved(&db, defs, MAX_QUEUES, &n), DB_OK);
    CHECK_INT(n, 0);
}

TEST(notifications_name_the_changed_signal)
{
    struct db other;
    struct pollfd p;
    long long ids[DB_MAX_CHANGED], id;
    char sql[256];
    int got = 0, i, n;

    connect_fixture();
    memset(&other, 0, sizeof other);
    CHECK_INT(db_connect(&other, "dbname=t_db_search", 0), DB_OK);
    CHECK_INT(db_listen(&other), DB_OK);
    CHECK_INT(db_listen(&db), DB_OK);
    id = number("SELECT min(id) FROM signals WHERE status = 'new'");
    snprintf(sql, sizeof sql, "SELECT change_status(%lld, version, 'registered', NULL, false) FROM signals WHERE id = %lld",
             id, id);
    CHECK_INT(db_exec(&db, sql, 0, NULL), DB_OK);
    p.fd = db_socket(&other);
    p.events = POLLIN;
    for (i = 0; i < 50 && !got; i++) {
        got = db_drain_notifications(&other);
        if (!got)
            poll(&p, 1, 100);
    }
    CHECK_INT(got, 1);
    n = db_take_changed(&other, ids, DB_MAX_CHANGED);
    CHECK_INT(n, 1);
    CHECK_INT(ids[0], id);
    CHECK_INT(db_take_changed(&other, ids, DB_MAX_CHANGED), 0);
    /* our own change is not news to us */
    CHECK_INT(db_drain_notifications(&db), 0);
    db_close(&other);
}

TEST(a_running_statement_can_be_cancelled)
{
    PGresult *r;
    double t0;
    int fds[2];
    enum db_status rc;

    connect_fixture();
    t0 = ms_now();
    CHECK_INT(db_send(&db, "SELECT pg_sleep(20)", 0, NULL), DB_OK);
    CHECK(db_busy(&db));
    CHECK_INT(db_result(&db, &r), DB_PENDING);
    db_cancel(&db);
    CHECK(!db_busy(&db));
    CHECK(ms_now() - t0 < 15000);   /* well before the 20 s sleep ends, even on a loaded machine */
    /* the connection is usable at once */
    CHECK_INT(dbt_number(&db, "SELECT 42"), 42);

    /* a result that comes */
    CHECK_INT(db_send(&db, "SELECT 7", 0, NULL), DB_OK);
    do {
        struct pollfd p = { db_socket(&db), POLLIN, 0 };

        poll(&p, 1, 1000);
        rc = db_result(&db, &r);
    } while (rc == DB_PENDING);
    CHECK_INT(rc, DB_OK);
    if (r) {
        CHECK_STR(db_val(r, 0, 0), "7");
        PQclear(r);
    }
    /* a synchronous call while one runs stops it first */
    CHECK_INT(db_send(&db, "SELECT pg_sleep(20)", 0, NULL), DB_OK);
    t0 = ms_now();
    CHECK_INT(dbt_number(&db, "SELECT 43"), 43);
    CHECK(ms_now() - t0 < 5000);

    /* a read stopped by a key press (input on the watched descriptor) */
    CHECK_INT(pipe(fds), 0);
    CHECK_INT(write(fds[1], "j", 1), 1);
    db.interrupt_fd = fds[0];
    t0 = ms_now();
    CHECK_INT(db_read(&db, &r, "SELECT pg_sleep(20)", 0, NULL), DB_CANCELED);
    CHECK(ms_now() - t0 < 5000);
    CHECK(ms_now() - t0 >= DB_WAIT_GRACE_MS - 10);
    /* a quick read is not disturbed by the key waiting there */
    CHECK_INT(db_read(&db, &r, "SELECT 1", 0, NULL), DB_OK);
    PQclear(r);
    db.interrupt_fd = -1;
    close(fds[0]);
    close(fds[1]);
    /* the search time limit */
    CHECK_INT(db_set_timeout(&db, 200), DB_OK);
    CHECK_INT(db_query(&db, &r, "SELECT pg_sleep(5)", 0, NULL), DB_CANCELED);
    CHECK_STR(db.sqlstate, "57014");
    CHECK_INT(db_set_timeout(&db, 30000), DB_OK);
}

TEST_LIST = {
    { "sql_fold_agrees_with_the_c_fold", sql_fold_agrees_with_the_c_fold },
    { "words_ignore_case_and_alphabet", words_ignore_case_and_alphabet },
    { "latin_text_is_found_in_cyrillic", latin_text_is_found_in_cyrillic },
    { "reporters_are_found_by_name_not_by_contacts", reporters_are_found_by_name_not_by_contacts },
    { "every_field_finds_its_signals", every_field_finds_its_signals },
    { "values_with_quotes_and_wildcards_are_only_values", values_with_quotes_and_wildcards_are_only_values },
    { "saved_queues_belong_to_their_person", saved_queues_belong_to_their_person },
    { "notifications_name_the_changed_signal", notifications_name_the_changed_signal },
    { "a_running_statement_can_be_cancelled", a_running_statement_can_be_cancelled },
    { NULL, NULL }
};

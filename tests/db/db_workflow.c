/* The operator's working day against a real PostgreSQL: the workflow table,
 * field changes and routing, taking the next signal under concurrency,
 * bulk changes, the intake transaction, answers and the messages outbox. */
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dbtest.h"
#include "intake.h"
#include "notify.h"
#include "regno.h"
#include "signals.h"
#include "tags.h"
#include "test.h"
#include "triage.h"
#include "util.h"
#include "workflow.h"

#define DBNAME "t_db_workflow"

static struct db db;
static struct operator_info me;

/* A queue as the console has it: a parsed query. */
static void view_for(const char *text, struct query *q, struct sig_view *v)
{
    struct query_error err;

    if (query_parse(text, q, &err) < 0)
        printf("    query %s: %s\n", text, err.msg);
    memset(v, 0, sizeof *v);
    v->query = q;
    v->now = time(NULL);
}

static void connect_fixture(void)
{
    static int done;

    if (done)
        return;
    done = 1;
    setenv("SIGNALDESK_NOW", "2026-11-20 12:00", 1);     /* "today" of the console */
    if (dbt_fresh(&db, DBNAME, "sd_fixture", NULL) < 0)
        exit(1);
    operator_load(&db, &me);
}

static long long num(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long long num(const char *fmt, ...)
{
    char sql[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return dbt_number(&db, sql);
}

static int version_of(long long id)
{
    return (int)num("SELECT version FROM signals WHERE id = %lld", id);
}

/* A fresh new, unassigned problem signal of a known category and district. */
static long long make_signal(const char *category, const char *district)
{
    char sql[1024];

    snprintf(sql, sizeof sql,
             "INSERT INTO signals (reg_no, category_id, district_id, description, unit_id, due_at)"
             " SELECT 'T-' || nextval('signals_id_seq'), c.id, d.id, 'проба',"
             "        route_unit(c.id, d.id), due_at(c.id, now())"
             "   FROM categories c, districts d WHERE c.name = '%s' AND d.name = '%s'"
             " RETURNING id",
             category, district);
    return dbt_number(&db, sql);
}

TEST(workflow_table_agrees_with_the_code)
{
    PGresult *r;
    int i;
    size_t j;

    connect_fixture();
    /* which status stamps which time */
    CHECK_INT(db_query(&db, &r, "SELECT code, coalesce(stamps, '') FROM statuses", 0, NULL), DB_OK);
    for (i = 0; i < PQntuples(r); i++) {
        enum status s = status_from_code(db_val(r, i, 0));

        if (CHECK(s != ST_COUNT))
            CHECK_STR(status_table[s].stamps ? status_table[s].stamps : "", db_val(r, i, 1));
    }
    PQclear(r);
    /* transitions only for one kind of signal */
    for (j = 0; j < transition_count; j++) {
        const struct transition *t = &transition_table[j];

        CHECK_INT(num("SELECT count(*) FROM status_transitions WHERE from_status = '%s' AND to_status = '%s'"
                      " AND only_kind IS NOT DISTINCT FROM %s%s%s",
                      status_table[t->from].code, status_table[t->to].code, t->only_kind ? "'" : "",
                      t->only_kind ? t->only_kind : "NULL", t->only_kind ? "'" : ""),
                  1);
    }
}

TEST(questions_close_on_the_spot_problems_do_not)
{
    long long id;

    connect_fixture();
    id = make_signal("Не свети лампа", "Лозенец");
    /* a problem cannot skip to closed, not even by a raw UPDATE */
    CHECK_INT(signal_change_status(&db, id, version_of(id), "closed", "Отговор.", 1), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD001");
    {
        char sql[128];

        snprintf(sql, sizeof sql, "UPDATE signals SET status = 'closed' WHERE id = %lld", id);
        CHECK_INT(db_exec(&db, sql, 0, NULL), DB_REFUSED);
    }
    /* a question can, with its answer as the public comment */
    CHECK_INT(signal_set_field(&db, id, version_of(id), FIELD_KIND, "question", NULL, 0, NULL), DB_OK);
    CHECK_INT(signal_change_status(&db, id, version_of(id), "closed", NULL, 0), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD002");
    CHECK_INT(signal_change_status(&db, id, version_of(id), "closed", "Плаща се до 30 юни.", 1), DB_OK);
    CHECK_INT(num("SELECT count(*) FROM signals WHERE id = %lld AND status = 'closed' AND closed_at IS NOT NULL"
                  " AND resolved_at IS NULL", id), 1);
    /* the time stamps follow statuses.stamps; reopening clears them */
    CHECK_INT(signal_change_status(&db, id, version_of(id), "in_progress", "Отваряме отново.", 1), DB_OK);
    CHECK_INT(num("SELECT count(*) FROM signals WHERE id = %lld AND closed_at IS NULL", id), 1);
    CHECK_INT(signal_change_status(&db, id, version_of(id), "resolved", "Готово.", 1), DB_OK);
    CHECK_INT(num("SELECT count(*) FROM signals WHERE id = %lld AND resolved_at IS NOT NULL AND closed_at IS NULL",
                  id), 1);
    CHECK_INT(signal_change_status(&db, id, version_of(id), "closed", NULL, 0), DB_OK);
    CHECK_INT(num("SELECT count(*) FROM signals WHERE id = %lld AND resolved_at IS NOT NULL"
                  " AND closed_at IS NOT NULL", id), 1);
}

TEST(field_changes_write_events_and_route)
{
    long long id;
    int v, nv = 0;
    char cat[16], unit[16];

    connect_fixture();
    id = make_signal("Не свети лампа", "Лозенец");
    v = version_of(id);
    /* the unit was the routing table's: a new category routes again and brings its due date */
    snprintf(cat, sizeof cat, "%lld", num("SELECT id FROM categories WHERE name = 'Дупка на пътното платно'"));
    CHECK_INT(signal_set_field(&db, id, v, FIELD_CATEGORY, cat, NULL, 0, &nv), DB_OK);
    CHECK_INT(nv, v + 1);
    CHECK_INT(num("SELECT count(*) FROM signals s WHERE id = %lld AND unit_id = route_unit(category_id, district_id)"
                  " AND due_at = due_at(category_id, created_at)", id), 1);
    CHECK_INT(num("SELECT count(*) FROM signal_events WHERE signal_id = %lld AND kind = 'category'"
                  " AND old_value = 'Не свети лампа' AND new_value = 'Дупка на пътното платно'"
                  " AND actor = current_user", id), 1);
    CHECK_INT(num("SELECT count(*) FROM signal_events WHERE signal_id = %lld AND kind = 'due'", id), 1);
    CHECK_INT(num("SELECT count(*) FROM signal_events WHERE signal_id = %lld AND kind = 'unit'", id),
              num("SELECT (route_unit(c.id, d.id) <> route_unit(n.id, d.id))::int FROM categories c, categories n,"
                  " districts d WHERE c.name = 'Не свети лампа' AND n.name = 'Дупка на пътното платно'"
                  " AND d.name = 'Лозенец'"));
    /* the same value again changes nothing and writes nothing */
    {
        long long events = num("SELECT count(*) FROM signal_events WHERE signal_id = %lld", id);

        CHECK_INT(signal_set_field(&db, id, nv, FIELD_CATEGORY, cat, NULL, 0, &nv), DB_OK);
        CHECK_INT(nv, v + 1);
        CHECK_INT(num("SELECT count(*) FROM signal_events WHERE signal_id = %lld", id), events);
    }
    /* a unit chosen by hand stays when the district changes */
    snprintf(unit, sizeof unit, "%lld", num("SELECT id FROM units WHERE name = 'Столичен инспекторат'"));
    CHECK_INT(signal_set_field(&db, id, nv, FIELD_UNIT, unit, "по-бързо е", 0, &nv), DB_OK);
    {
        char d[16];

        snprintf(d, sizeof d, "%lld", num("SELECT id FROM districts WHERE name = 'Люлин'"));
        CHECK_INT(signal_set_field(&db, id, nv, FIELD_DISTRICT, d, NULL, 0, &nv), DB_OK);
    }
    CHECK_INT(num("SELECT count(*) FROM signals WHERE id = %lld AND unit_id = %s", id, unit), 1);
    CHECK_INT(num("SELECT count(*) FROM signal_events WHERE signal_id = %lld AND kind = 'district'"
                  " AND old_value = 'Лозенец' AND new_value = 'Люлин'", id), 1);
    /* every field, with old and new value */
    CHECK_INT(signal_set_field(&db, id, nv, FIELD_PRIORITY, "3", NULL, 0, &nv), DB_OK);
    CHECK_INT(signal_set_field(&db, id, nv, FIELD_ASSIGNEE, "ivanova", NULL, 0, &nv), DB_OK);
    CHECK_INT(signal_set_field(&db, id, nv, FIELD_ASSIGNEE, "", NULL, 0, &nv), DB_OK);
    CHECK_INT(signal_set_field(&db, id, nv, FIELD_DESCRIPTION, "Дупка, не лампа.", NULL, 0, &nv), DB_OK);
    CHECK_INT(signal_set_field(&db, id, nv, FIELD_ADDRESS, "ул. „Шипка“ 6", NULL, 0, &nv), DB_OK);
    CHECK_INT(num("SELECT count(*) FROM signal_events WHERE signal_id = %lld AND ("
                  " (kind = 'priority' AND old_value = '1' AND new_value = '3')"
                  " OR (kind = 'assignee' AND old_value IS NULL AND new_value = 'ivanova')"
                  " OR (kind = 'assignee' AND old_value = 'ivanova' AND new_value IS NULL)"
                  " OR (kind = 'description' AND old_value = 'проба' AND new_value = 'Дупка, не лампа.')"
                  " OR (kind = 'address' AND old_value = '' AND new_value = 'ул. „Шипка“ 6')"
                  " OR (kind = 'unit' AND comment = 'по-бързо е'))", id), 6);
    /* someone else's change in between: a conflict, nothing written */
    CHECK_INT(signal_set_field(&db, id, nv - 1, FIELD_PRIORITY, "0", NULL, 0, NULL), DB_CONFLICT);
    CHECK_INT(num("SELECT priority FROM signals WHERE id = %lld", id), 3);
    /* values that are not there are refused */
    CHECK_INT(signal_set_field(&db, id, nv, FIELD_ASSIGNEE, "nobody-such", NULL, 0, NULL), DB_REFUSED);
    CHECK_INT(signal_set_field(&db, id, nv, FIELD_CATEGORY, "999999", NULL, 0, NULL), DB_REFUSED);
    CHECK_INT(signal_set_field(&db, id, nv, FIELD_DESCRIPTION, "  ", NULL, 0, NULL), DB_REFUSED);
    /* a comment alone needs no version */
    CHECK_INT(signal_add_comment(&db, id, "Обадих се на подателя.", 0), DB_OK);
    CHECK_INT(num("SELECT count(*) FROM signal_events WHERE signal_id = %lld AND kind = 'comment' AND NOT public",
                  id), 1);
}

TEST(templates_fill_their_placeholders)
{
    char *out = NULL;
    long long id;

    connect_fixture();
    id = num("SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-000103'");
    CHECK_INT(fill_template(&db, "№ {reg_no}, {unit}, {status}, {date}, {nothing}", id, "resolved", &out), DB_OK);
    if (CHECK(out != NULL)) {
        char want[512];
        PGresult *r;

        db_query(&db, &r, "SELECT u.name FROM signals s JOIN units u ON u.id = s.unit_id WHERE s.reg_no = 'СО26-КЦ-000103'",
                 0, NULL);
        snprintf(want, sizeof want, "№ СО26-КЦ-000103, %s, решен, 20.11.2026, {nothing}", db_val(r, 0, 0));
        PQclear(r);
        CHECK_STR(out, want);
    }
    free(out);
}

/* ---- taking the next signal: 20 connections at once, 1,000 takes ------- */

#define TAKERS 20
#define TAKES 50

static void take_many(int start_fd, int out_fd)
{
    struct db mine;
    struct operator_info op;
    struct query q;
    struct sig_view f;
    char go;
    int i;

    memset(&mine, 0, sizeof mine);
    if (db_connect(&mine, "dbname=" DBNAME, 0) != DB_OK)
        _exit(2);
    operator_load(&mine, &op);
    view_for("status:new", &q, &f);
    /* everybody connected; now all at once */
    if (read(start_fd, &go, 1) < 0)
        _exit(3);
    for (i = 0; i < TAKES; i++) {
        long long id = 0;

        if (signal_take_next(&mine, &f, &op, &id, NULL, 0) != DB_OK)
            _exit(4);
        if (write(out_fd, &id, sizeof id) != (ssize_t)sizeof id)
            _exit(5);
    }
    db_close(&mine);
    _exit(0);
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return x < y ? -1 : x > y;
}

TEST(twenty_operators_never_take_the_same_signal)
{
    int start[2], out[2], i, k, status, ok = 1;
    pid_t pids[TAKERS];
    long long *ids = calloc(TAKERS * TAKES + 1, sizeof *ids), last_event;
    int n = 0, dup = 0, zero = 0;
    size_t got = 0;
    char *buf = (char *)ids;

    connect_fixture();
    last_event = num("SELECT coalesce(max(id), 0) FROM signal_events");
    /* 1,100 new unassigned signals, so every take finds one */
    CHECK_INT(db_exec(&db, "INSERT INTO signals (reg_no, description, created_at)"
                           " SELECT 'TN-' || g, 'проба ' || g, now() - g * interval '1 minute'"
                           "   FROM generate_series(1, 1100) g", 0, NULL), DB_OK);
    CHECK_INT(db_exec(&db, "ANALYZE signals", 0, NULL), DB_OK);
    if (pipe(start) < 0 || pipe(out) < 0) {
        CHECK(0);
        return;
    }
    for (i = 0; i < TAKERS; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            close(start[1]);
            close(out[0]);
            take_many(start[0], out[1]);
        }
    }
    close(start[0]);
    close(out[1]);
    /* closing the pipe wakes all of them in the same instant */
    close(start[1]);
    for (;;) {
        ssize_t r = read(out[0], buf + got, (TAKERS * TAKES) * sizeof *ids - got);

        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(out[0]);
    for (i = 0; i < TAKERS; i++) {
        waitpid(pids[i], &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            ok = 0;
    }
    CHECK(ok);
    n = (int)(got / sizeof *ids);
    CHECK_INT(n, TAKERS * TAKES);
    qsort(ids, (size_t)n, sizeof *ids, cmp_ll);
    for (k = 0; k < n; k++) {
        if (ids[k] == 0)
            zero++;
        else if (k > 0 && ids[k] == ids[k - 1])
            dup++;
    }
    CHECK_INT(zero, 0);
    CHECK_INT(dup, 0);
    /* the database agrees: 1,000 claims of 1,000 different signals, each
     * of them unassigned before */
    CHECK_INT(num("SELECT count(*) FROM signal_events WHERE id > %lld AND kind = 'assignee' AND old_value IS NULL"
                  " AND new_value = current_user", last_event), TAKERS * TAKES);
    CHECK_INT(num("SELECT count(DISTINCT signal_id) FROM signal_events WHERE id > %lld AND kind = 'assignee'",
                  last_event), TAKERS * TAKES);
    CHECK_INT(num("SELECT count(*) FROM signals s WHERE assignee = current_user AND EXISTS (SELECT 1 FROM signal_events e"
                  " WHERE e.id > %lld AND e.signal_id = s.id AND e.kind = 'assignee')", last_event), TAKERS * TAKES);
    free(ids);
}

TEST(take_next_picks_urgent_then_oldest_and_stops_when_none)
{
    struct query q;
    struct sig_view f;
    long long id = -1, want;
    char reg[40];

    connect_fixture();
    view_for("status:new unit:mine", &q, &f);
    /* the most urgent unassigned new signal of my unit, the oldest of those */
    want = num("SELECT id FROM signals WHERE status = 'new' AND assignee IS NULL AND unit_id = %d"
               " ORDER BY priority DESC, created_at, id LIMIT 1", me.unit_id);
    CHECK(want > 0);
    CHECK_INT(signal_take_next(&db, &f, &me, &id, reg, sizeof reg), DB_OK);
    CHECK_INT(id, want);
    CHECK(reg[0] != '\0');
    /* take them all; then there is none */
    while (id)
        CHECK_INT(signal_take_next(&db, &f, &me, &id, NULL, 0), DB_OK);
    CHECK_INT(num("SELECT count(*) FROM signals WHERE status = 'new' AND assignee IS NULL AND unit_id = %d",
                  me.unit_id), 0);
    query_free(&q);
    /* a queue of closed signals has nothing to take */
    view_for("status:closed", &q, &f);
    CHECK_INT(signal_take_next(&db, &f, &me, &id, NULL, 0), DB_OK);
    CHECK_INT(id, 0);
    query_free(&q);
}

/* ---- bulk ---------------------------------------------------------------- */

TEST(bulk_is_all_or_nothing_with_an_event_each)
{
    struct tagset tags;
    struct bulk_item *items;
    int n, applied, i, changed = 0, ok = 0;
    long long a, b, c;
    char cat[16];

    connect_fixture();
    a = make_signal("Не свети лампа", "Лозенец");
    b = make_signal("Не свети лампа", "Люлин");
    c = make_signal("Не свети лампа", "Младост");
    tags_init(&tags);
    tags_add(&tags, a, version_of(a), "A");
    tags_add(&tags, b, version_of(b), "B");
    tags_add(&tags, c, version_of(c), "C");
    /* another operator changes b meanwhile */
    CHECK(num("SELECT set_signal_field(%lld, %d, 'priority', '3')", b, version_of(b)) > 0);
    snprintf(cat, sizeof cat, "%lld", num("SELECT id FROM categories WHERE name = 'Свети през деня'"));
    CHECK_INT(bulk_check(&db, &tags, FIELD_CATEGORY, cat, &items, &n), DB_OK);
    CHECK_INT(n, 3);
    for (i = 0; i < n; i++) {
        changed += items[i].problem == BULK_CHANGED;
        ok += items[i].problem == BULK_OK;
    }
    CHECK_INT(changed, 1);
    CHECK_INT(ok, 2);
    /* the listed one changes again after the check: nothing at all is applied */
    CHECK(num("SELECT set_signal_field(%lld, %d, 'priority', '2')", a, version_of(a)) > 0);
    CHECK_INT(bulk_apply(&db, items, n, FIELD_CATEGORY, cat, NULL, 0, &tags, &applied), DB_CONFLICT);
    CHECK_INT(num("SELECT count(*) FROM signals WHERE id IN (%lld, %lld, %lld) AND category_id = %s", a, b, c, cat), 0);
    free(items);
    /* checked again and confirmed: the others change, each with its own event */
    tags_set_version(&tags, a, version_of(a));
    CHECK_INT(bulk_check(&db, &tags, FIELD_CATEGORY, cat, &items, &n), DB_OK);
    CHECK_INT(bulk_apply(&db, items, n, FIELD_CATEGORY, cat, NULL, 0, &tags, &applied), DB_OK);
    CHECK_INT(applied, 2);
    CHECK_INT(num("SELECT count(*) FROM signals WHERE id IN (%lld, %lld) AND category_id = %s", a, c, cat), 2);
    CHECK_INT(num("SELECT count(*) FROM signals WHERE id = %lld AND category_id = %s", b, cat), 0);
    CHECK_INT(num("SELECT count(*) FROM signal_events WHERE signal_id IN (%lld, %lld) AND kind = 'category'", a, c), 2);
    CHECK_INT(tags.items[tags_find(&tags, a)].version, version_of(a));
    free(items);
    /* a status for many, a template comment filled for each */
    tags_clear(&tags);
    tags_add(&tags, a, version_of(a), "A");
    tags_add(&tags, c, version_of(c), "C");
    CHECK_INT(bulk_check(&db, &tags, FIELD_STATUS, "rejected", &items, &n), DB_OK);
    CHECK_INT(bulk_apply(&db, items, n, FIELD_STATUS, "rejected", "Сигнал № {reg_no}: не е за общината.", 1, &tags,
                         &applied), DB_OK);
    CHECK_INT(applied, 2);
    CHECK_INT(num("SELECT count(*) FROM signal_events e JOIN signals s ON s.id = e.signal_id"
                  " WHERE e.signal_id IN (%lld, %lld) AND e.kind = 'status' AND e.public"
                  "   AND e.comment = 'Сигнал № ' || s.reg_no || ': не е за общината.'", a, c), 2);
    free(items);
    /* a status some cannot take is listed as not allowed */
    CHECK_INT(bulk_check(&db, &tags, FIELD_STATUS, "closed", &items, &n), DB_OK);
    CHECK_INT(items[0].problem, BULK_NOT_ALLOWED);
    free(items);
    tags_free(&tags);
}

TEST(tagging_by_text_stays_in_the_queue)
{
    struct query q;
    struct sig_view f;
    struct tagset tags;
    int added = 0;

    connect_fixture();
    view_for("status:new", &q, &f);
    tags_init(&tags);
    CHECK_INT(signals_tag_matching(&db, &f, "ШИПКА", 500, &tags, &added), DB_OK);
    CHECK_INT(added, (int)num("SELECT count(*) FROM signals WHERE status = 'new' AND address ILIKE '%%шипка%%'"));
    CHECK(added > 0);
    CHECK_INT(signals_tag_matching(&db, &f, "%", 500, &tags, &added), DB_OK);
    CHECK_INT(added, 0);     /* a percent sign is a character, not a wildcard */
    CHECK_INT(signals_tag_matching(&db, &f, "СО26-КЦ-0001", 2, &tags, &added), DB_OK);
    CHECK(added <= 2);
    tags_free(&tags);
    query_free(&q);
}

/* ---- registering a call -------------------------------------------------- */

TEST(intake_saves_once_in_one_transaction)
{
    struct intake in;
    struct intake_result res, again;
    long long before = num("SELECT count(*) FROM signals");

    connect_fixture();
    intake_init(&in);
    in.category_id = (int)num("SELECT id FROM categories WHERE name = 'Не свети лампа'");
    in.district_id = (int)num("SELECT id FROM districts WHERE name = 'Люлин'");
    intake_set_text(&in, IF_ADDRESS, "ж.к. Люлин, бл. 312");
    intake_set_text(&in, IF_DESCRIPTION, "Не свети лампата.\nОт три дни.");
    intake_set_text(&in, IF_NAME, "Мария Петрова");
    intake_set_text(&in, IF_EMAIL, "maria@example.bg");
    intake_set_text(&in, IF_COORDS, "42,716; 23,25");
    intake_set_text(&in, IF_ATTACHMENTS, "https://example.bg/a.jpg\n/srv/снимки/b.jpg\n");
    in.wants_updates = 1;
    CHECK_INT(intake_save(&db, &in, REGNO_DEFAULT_FORMAT, 2026, &res), DB_OK);
    CHECK(res.created);
    CHECK(res.id > 0);
    CHECK(strncmp(res.reg_no, "СО26-КЦ-", strlen("СО26-КЦ-")) == 0);
    CHECK_STR(res.status, "new");
    CHECK(res.unit[0] && res.has_due);
    CHECK_INT(num("SELECT count(*) FROM signals WHERE id = %lld AND unit_id = route_unit(category_id, district_id)"
                  " AND due_at = due_at(category_id, created_at) AND description LIKE E'%%\\nОт три дни.'"
                  " AND location[1] BETWEEN 42.71 AND 42.72", res.id), 1);
    CHECK_INT(num("SELECT count(*) FROM reporters WHERE signal_id = %lld AND wants_updates"
                  " AND email = 'maria@example.bg'", res.id), 1);
    CHECK_INT(num("SELECT count(*) FROM attachments WHERE signal_id = %lld", res.id), 2);
    CHECK_INT(num("SELECT count(*) FROM signal_events WHERE signal_id = %lld AND kind = 'created'"
                  " AND new_value = 'phone'", res.id), 1);
    /* saving again with the same form (a retry after a lost connection) finds it */
    CHECK_INT(intake_save(&db, &in, REGNO_DEFAULT_FORMAT, 2026, &again), DB_OK);
    CHECK(!again.created);
    CHECK_INT(again.id, res.id);
    CHECK_STR(again.reg_no, res.reg_no);
    CHECK_INT(num("SELECT count(*) FROM signals"), before + 1);
    intake_free(&in);

    /* a question answered on the spot: closed, the answer public, counted like any call */
    intake_init(&in);
    str_copy(in.kind, sizeof in.kind, "question");
    intake_set_text(&in, IF_DESCRIPTION, "Докога се плаща данъкът?");
    intake_set_text(&in, IF_ANSWER, "До 30 юни и до 31 октомври.");
    CHECK_INT(intake_save(&db, &in, "ПЛ%Y/%N", 2026, &res), DB_OK);
    CHECK_INT(strncmp(res.reg_no, "ПЛ2026/", strlen("ПЛ2026/")), 0);
    CHECK_STR(res.status, "closed");
    CHECK_INT(num("SELECT count(*) FROM signal_events WHERE signal_id = %lld AND kind = 'status'"
                  " AND new_value = 'closed' AND public AND comment = 'До 30 юни и до 31 октомври.'", res.id), 1);
    intake_free(&in);

    /* the database says no to what the form would catch too */
    intake_init(&in);
    CHECK_INT(intake_save(&db, &in, REGNO_DEFAULT_FORMAT, 2026, &res), DB_REFUSED);
    intake_free(&in);
}

/* Ten consoles saving calls at once: every number different, none skipped. */
TEST(intake_numbers_are_unique_under_concurrency)
{
    int go[2], i, status, ok = 1;
    pid_t pids[10];
    long long before;

    connect_fixture();
    before = num("SELECT count(*) FROM signals WHERE reg_no LIKE 'КОН%%'");
    if (!CHECK(pipe(go) == 0))
        return;
    for (i = 0; i < 10; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            struct db mine;
            char c;
            int k;

            close(go[1]);
            memset(&mine, 0, sizeof mine);
            if (db_connect(&mine, "dbname=" DBNAME, 0) != DB_OK)
                _exit(2);
            if (read(go[0], &c, 1) < 0)
                _exit(3);
            for (k = 0; k < 20; k++) {
                struct intake in;
                struct intake_result res;

                intake_init(&in);
                in.category_id = (int)dbt_number(&mine, "SELECT min(id) FROM categories WHERE parent_id IS NOT NULL");
                intake_set_text(&in, IF_ADDRESS, "ул. „Шипка“ 6");
                intake_set_text(&in, IF_DESCRIPTION, "едновременно");
                if (intake_save(&mine, &in, "КОН-%N", 2040, &res) != DB_OK || !res.created)
                    _exit(4);
                intake_free(&in);
            }
            db_close(&mine);
            _exit(0);
        }
    }
    close(go[0]);
    close(go[1]);
    for (i = 0; i < 10; i++) {
        waitpid(pids[i], &status, 0);
        ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    CHECK(ok);
    CHECK_INT(num("SELECT count(*) FROM signals WHERE reg_no LIKE 'КОН%%'") - before, 200);
    CHECK_INT(num("SELECT count(DISTINCT reg_no) FROM signals WHERE reg_no LIKE 'КОН%%'") - before, 200);
    /* gap-free when nothing rolled back: 1 .. 200 */
    CHECK_INT(num("SELECT max(substr(reg_no, 5)::int) FROM signals WHERE reg_no LIKE 'КОН-%%'"), 200);
}

TEST(district_and_address_from_earlier_signals)
{
    int d = 0;
    char s[256];

    connect_fixture();
    CHECK_INT(district_of_address(&db, "ул. „ШИПКА“ 6 ", &d), DB_OK);
    CHECK_INT(d, num("SELECT district_id FROM signals WHERE address = 'ул. „Шипка“ 6' AND district_id IS NOT NULL"
                     " GROUP BY district_id ORDER BY count(*) DESC, district_id LIMIT 1"));
    CHECK_INT(district_of_address(&db, "нищо такова", &d), DB_OK);
    CHECK_INT(d, 0);
    CHECK_INT(address_suggestion(&db, "ул. „ч", s, sizeof s), DB_OK);
    CHECK_STR(s, "ул. „Черни връх“ 45");
    CHECK_INT(address_suggestion(&db, "ул", s, sizeof s), DB_OK);
    CHECK_STR(s, "");   /* too short to guess */
    CHECK_INT(address_suggestion(&db, "%%%", s, sizeof s), DB_OK);
    CHECK_STR(s, "");
}

/* ---- messages to citizens ------------------------------------------------ */

static void count_report(void *ctx, long long id, const char *to, const char *why)
{
    (void)id;
    (void)to;
    (void)why;
    (*(int *)ctx)++;
}

TEST(status_changes_queue_messages_and_notify_sends_each_once)
{
    long long id;
    struct notify_stats st;
    int reported = 0;
    char cmd[512], dir[] = "/tmp/sd-notify-XXXXXX";

    connect_fixture();
    id = make_signal("Не свети лампа", "Лозенец");
    CHECK_INT(db_exec(&db, "INSERT INTO reporters (signal_id, name, email, wants_updates) VALUES"
                           " (currval('signals_id_seq'), 'А', 'a@example.bg', true),"
                           " (currval('signals_id_seq'), 'Б', ' A@example.bg ', true),"   /* the same address */
                           " (currval('signals_id_seq'), 'В', 'v@example.bg', false),"
                           " (currval('signals_id_seq'), 'Г', '', true)", 0, NULL), DB_OK);
    CHECK_INT(signal_change_status(&db, id, version_of(id), "registered", "Приет е.", 0), DB_OK);
    CHECK_INT(num("SELECT count(*) FROM notifications WHERE signal_id = %lld", id), 1);
    /* an internal comment stays out of the message, a public one goes in */
    CHECK_INT(num("SELECT count(*) FROM notifications WHERE signal_id = %lld AND body LIKE '%%Приет%%'", id), 0);
    CHECK_INT(signal_change_status(&db, id, version_of(id), "rejected", "Не е за общината.", 1), DB_OK);
    CHECK_INT(num("SELECT count(*) FROM notifications WHERE signal_id = %lld AND status = 'pending'"
                  " AND to_addr = 'a@example.bg' AND subject LIKE 'Сигнал T-%%: отхвърлен'"
                  " AND body LIKE '%%„отхвърлен“%%Не е за общината.%%'", id), 1);

    /* the mailer: each message once; what it refuses is marked with its words */
    if (!CHECK(mkdtemp(dir) != NULL))
        return;
    snprintf(cmd, sizeof cmd, "cat > $(mktemp %s/msg.XXXXXX)", dir);
    CHECK_INT(db_exec(&db, "UPDATE notifications SET status = 'sent' WHERE signal_id <> currval('signals_id_seq')",
                      0, NULL), DB_OK);
    CHECK_INT(notify_run(&db, cmd, "Столична община <signali@sofia.example.bg>", 0, &st, count_report, &reported),
              DB_OK);
    CHECK_INT(st.sent, 2);
    CHECK_INT(st.failed, 0);
    CHECK_INT(notify_run(&db, cmd, "", 0, &st, count_report, &reported), DB_OK);
    CHECK_INT(st.sent, 0);
    snprintf(cmd, sizeof cmd, "ls %s | wc -l", dir);
    {
        FILE *p = popen(cmd, "r");
        int files = -1;

        if (p) {
            if (fscanf(p, "%d", &files) != 1)
                files = -1;
            pclose(p);
        }
        CHECK_INT(files, 2);
    }
    CHECK_INT(num("SELECT count(*) FROM notifications WHERE signal_id = %lld AND status = 'sent'"
                  " AND sent_at IS NOT NULL", id), 2);
    /* a mailer that says no; an address that cannot be used; a run that died midway */
    CHECK_INT(signal_change_status(&db, id, version_of(id), "registered", "Отново.", 1), DB_OK);
    CHECK_INT(num("UPDATE notifications SET to_addr = 'x@example.bg' || chr(10) || 'Bcc: all@example.bg'"
                  " WHERE id = (SELECT max(id) FROM notifications) RETURNING 1"), 1);
    CHECK_INT(db_exec(&db, "INSERT INTO notifications (signal_id, to_addr, subject, body, status, claimed_by)"
                           " VALUES (currval('signals_id_seq'), 'b@example.bg', 's', 'b', 'sending', 2147483647)",
                      0, NULL), DB_OK);
    CHECK_INT(signal_change_status(&db, id, version_of(id), "in_progress", NULL, 0), DB_OK);
    reported = 0;
    CHECK_INT(notify_run(&db, "echo 'relay refused' >&2; exit 75", "", 0, &st, count_report, &reported), DB_OK);
    CHECK_INT(st.sent, 0);
    CHECK_INT(st.failed, 2);
    CHECK_INT(st.interrupted, 1);
    CHECK_INT(reported, 3);
    CHECK_INT(num("SELECT count(*) FROM notifications WHERE status = 'failed' AND error LIKE '%%75%%relay refused%%'"),
              1);
    CHECK_INT(num("SELECT count(*) FROM notifications WHERE status = 'failed' AND to_addr LIKE 'x@%%'"
                  " AND error NOT LIKE '%%relay%%'"), 1);
    CHECK_INT(num("SELECT count(*) FROM notifications WHERE status = 'failed' AND to_addr = 'b@example.bg'"
                  " AND error LIKE '%%interrupted%%'"), 1);
    CHECK_INT(num("SELECT count(*) FROM notifications WHERE status IN ('pending', 'sending')"), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        CHECK(0);
}

TEST_LIST = {
    { "workflow_table_agrees_with_the_code", workflow_table_agrees_with_the_code },
    { "questions_close_on_the_spot_problems_do_not", questions_close_on_the_spot_problems_do_not },
    { "field_changes_write_events_and_route", field_changes_write_events_and_route },
    { "templates_fill_their_placeholders", templates_fill_their_placeholders },
    { "take_next_picks_urgent_then_oldest_and_stops_when_none", take_next_picks_urgent_then_oldest_and_stops_when_none },
    { "twenty_operators_never_take_the_same_signal", twenty_operators_never_take_the_same_signal },
    { "bulk_is_all_or_nothing_with_an_event_each", bulk_is_all_or_nothing_with_an_event_each },
    { "tagging_by_text_stays_in_the_queue", tagging_by_text_stays_in_the_queue },
    { "intake_saves_once_in_one_transaction", intake_saves_once_in_one_transaction },
    { "intake_numbers_are_unique_under_concurrency", intake_numbers_are_unique_under_concurrency },
    { "district_and_address_from_earlier_signals", district_and_address_from_earlier_signals },
    { "status_changes_queue_messages_and_notify_sends_each_once",
      status_changes_queue_messages_and_notify_sends_each_once },
    { NULL, NULL }
};

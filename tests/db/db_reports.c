/* Reports and moves against a real PostgreSQL.  The report numbers are not
 * computed by any code: a small history with known answers (March 2024,
 * long before the fixture's signals) is written here, and every expected
 * number below was worked out by hand from it (see the comments). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assign.h"
#include "csvread.h"
#include "dbtest.h"
#include "reports.h"
#include "signals.h"
#include "test.h"
#include "util.h"

static struct db db;

/* The history.  Units: A = Район „Лозенец“, B = Столичен инспекторат;
 * operators: ivanova (A), petrov (B); districts D1 = Средец, D2 = Лозенец;
 * top categories T1 = Пътна инфраструктура, T2 = Улично осветление (a
 * subcategory of each is used).  All times are Sofia time (+02 in March).
 *
 * S1 20.02 10:00 A; registered 20.02 11:00; assigned to ivanova 21.02 09:00;
 *    in progress 05.03 10:00; resolved 10.03 12:00; closed 12.03 09:00.
 *    Due 08.03 12:00 (still open then: missed, unit A).  D1, T1.
 * S2 02.03 09:00 A; registered 02.03 09:30; moved to B and to petrov and
 *    assigned 04.03 12:00; in progress 05.03; resolved 06.03 15:00.
 *    Due 09.03 09:00 (resolved before: met, unit B).  D1, T2.
 * S3 03.03 08:00 B; never touched.  Due 10.03 08:00 (missed, B).  D2, T1.
 * S4 15.03 14:00 B; registered 15.03 15:00; in progress 25.03 10:00;
 *    rejected 26.03 10:00.  Due 15.04.  D2, T2.
 * S5 20.03 10:00 A; public comment 20.03 12:00; registered 21.03 10:00;
 *    resolved 22.03 10:00; reopened (in progress) 28.03 10:00.
 *    Due 21.03 08:00 (open then: missed, A).  D2, T2.
 * S6 02.04 10:00 A (after the period).  D1, T1.
 * S7 01.02 10:00 B; registered 01.02 12:00; assigned to petrov 02.02 10:00.
 *    Due 10.02.  D1, T1.
 * The period: 01.03.2024 – 31.03.2024. */
static const char history_sql[] =
    "CREATE TEMP TABLE h_sig (n int, created timestamptz, unit text, district text, top text, status text,"
    "                         assignee text, due timestamptz);"
    "INSERT INTO h_sig VALUES"
    " (1, '2024-02-20 10:00+02', 'Район „Лозенец“', 'Средец', 'Пътна инфраструктура', 'closed', 'ivanova', '2024-03-08 12:00+02'),"
    " (2, '2024-03-02 09:00+02', 'Столичен инспекторат', 'Средец', 'Улично осветление', 'resolved', 'petrov', '2024-03-09 09:00+02'),"
    " (3, '2024-03-03 08:00+02', 'Столичен инспекторат', 'Лозенец', 'Пътна инфраструктура', 'new', NULL, '2024-03-10 08:00+02'),"
    " (4, '2024-03-15 14:00+02', 'Столичен инспекторат', 'Лозенец', 'Улично осветление', 'rejected', NULL, '2024-04-15 14:00+02'),"
    " (5, '2024-03-20 10:00+02', 'Район „Лозенец“', 'Лозенец', 'Улично осветление', 'in_progress', NULL, '2024-03-21 08:00+02'),"
    " (6, '2024-04-02 10:00+02', 'Район „Лозенец“', 'Средец', 'Пътна инфраструктура', 'new', NULL, '2024-04-09 10:00+02'),"
    " (7, '2024-02-01 10:00+02', 'Столичен инспекторат', 'Средец', 'Пътна инфраструктура', 'assigned', 'petrov', '2024-02-10 10:00+02');"
    "INSERT INTO signals (reg_no, created_at, category_id, district_id, description, status, unit_id, assignee, due_at)"
    " SELECT 'Т24-' || h.n, h.created,"
    "        (SELECT min(c.id) FROM categories c JOIN categories p ON p.id = c.parent_id WHERE p.name = h.top),"
    "        (SELECT id FROM districts WHERE name = h.district), 'Сигнал ' || h.n, h.status,"
    "        (SELECT id FROM units WHERE name = h.unit), h.assignee, h.due"
    "   FROM h_sig h ORDER BY h.n;"
    "CREATE TEMP TABLE h_ev (n int, at timestamptz, kind text, old_value text, new_value text, public boolean);"
    "INSERT INTO h_ev VALUES"
    " (1, '2024-02-20 10:00+02', 'created', NULL, 'phone', false),"
    " (1, '2024-02-20 11:00+02', 'status', 'new', 'registered', false),"
    " (1, '2024-02-21 09:00+02', 'status', 'registered', 'assigned', false),"
    " (1, '2024-02-21 09:00+02', 'assignee', NULL, 'ivanova', false),"
    " (1, '2024-03-05 10:00+02', 'status', 'assigned', 'in_progress', false),"
    " (1, '2024-03-10 12:00+02', 'status', 'in_progress', 'resolved', true),"
    " (1, '2024-03-12 09:00+02', 'status', 'resolved', 'closed', false),"
    " (2, '2024-03-02 09:00+02', 'created', NULL, 'web', false),"
    " (2, '2024-03-02 09:30+02', 'status', 'new', 'registered', false),"
    " (2, '2024-03-04 12:00+02', 'unit', 'Район „Лозенец“', 'Столичен инспекторат', false),"
    " (2, '2024-03-04 12:00+02', 'assignee', NULL, 'petrov', false),"
    " (2, '2024-03-04 12:00+02', 'status', 'registered', 'assigned', false),"
    " (2, '2024-03-05 10:00+02', 'status', 'assigned', 'in_progress', false),"
    " (2, '2024-03-06 15:00+02', 'status', 'in_progress', 'resolved', true),"
    " (3, '2024-03-03 08:00+02', 'created', NULL, 'app', false),"
    " (4, '2024-03-15 14:00+02', 'created', NULL, 'phone', false),"
    " (4, '2024-03-15 15:00+02', 'status', 'new', 'registered', false),"
    " (4, '2024-03-25 10:00+02', 'status', 'registered', 'in_progress', false),"
    " (4, '2024-03-26 10:00+02', 'status', 'in_progress', 'rejected', true),"
    " (5, '2024-03-20 10:00+02', 'created', NULL, 'email', false),"
    " (5, '2024-03-20 12:00+02', 'comment', NULL, NULL, true),"
    " (5, '2024-03-21 10:00+02', 'status', 'new', 'registered', false),"
    " (5, '2024-03-22 10:00+02', 'status', 'registered', 'resolved', true),"
    " (5, '2024-03-28 10:00+02', 'status', 'resolved', 'in_progress', true),"
    " (6, '2024-04-02 10:00+02', 'created', NULL, 'phone', false),"
    " (7, '2024-02-01 10:00+02', 'created', NULL, 'phone', false),"
    " (7, '2024-02-01 12:00+02', 'status', 'new', 'registered', false),"
    " (7, '2024-02-02 10:00+02', 'status', 'registered', 'assigned', false),"
    " (7, '2024-02-02 10:00+02', 'assignee', NULL, 'petrov', false);"
    /* one statement for all: the summary is built as a bulk load builds it */
    "INSERT INTO signal_events (signal_id, at, actor, kind, old_value, new_value, comment, public)"
    " SELECT s.id, e.at, 'ivanova', e.kind, e.old_value, e.new_value,"
    "        CASE WHEN e.public THEN 'Отговор' END, e.public"
    "   FROM h_ev e JOIN signals s ON s.reg_no = 'Т24-' || e.n ORDER BY e.at, e.n;";

static void setup(void)
{
    static int done;

    if (done)
        return;
    done = 1;
    /* days and weeks of the periods are Sofia's */
    setenv("TZ", "Europe/Sofia", 1);
    tzset();
    if (dbt_fresh(&db, "t_db_reports", "sd_fixture", NULL) < 0)
        exit(1);
    if (db_script(&db, history_sql) != DB_OK) {
        printf("FAIL setup: the history: %s\n", db.errmsg);
        exit(1);
    }
}

static struct report_params march(void)
{
    struct report_params p;

    memset(&p, 0, sizeof p);
    p.period.from = (struct day){ 2024, 3, 1 };
    p.period.to = (struct day){ 2024, 3, 31 };
    p.grouping = GROUP_DAY;
    p.stalled_days = 7;
    return p;
}

/* The row of a section whose first column is name; -1 when missing. */
static int find_row(const struct report *r, int section, const char *name)
{
    int i;

    for (i = 0; i < r->sections[section].n; i++) {
        const struct report_cell *c = REPORT_CELL(r, r->sections[section].first + i, 0);

        if (c->text && strcmp(c->text, name) == 0)
            return r->sections[section].first + i;
    }
    printf("    no row '%s' in section %d\n", name, section);
    return -1;
}

static long long num(const struct report *r, int row, int col)
{
    return row < 0 ? -999 : REPORT_CELL(r, row, col)->v;
}

#define A "Район „Лозенец“"
#define B "Столичен инспекторат"

TEST(workload_balances)
{
    struct report_params p = march();
    struct report r;
    int a, b, iv, pe;

    setup();
    if (!CHECK_INT(report_run(&db, REPORT_WORKLOAD, &p, &r), DB_OK))
        return;
    CHECK_INT(r.sections[0].n, 2);   /* only A and B had signals then */
    a = find_row(&r, 0, A);
    b = find_row(&r, 0, B);
    /* A: S1 open at the start; in: S2 new, S5 new, S5 reopened; out: S1 and
     * S5 resolved (closed), S2 moved away; S5 open at the end */
    CHECK_INT(num(&r, a, 1), 1);
    CHECK_INT(num(&r, a, 2), 3);
    CHECK_INT(num(&r, a, 3), 3);
    CHECK_INT(num(&r, a, 4), 2);
    CHECK_INT(num(&r, a, 5), 1);
    /* B: S7 at the start; in: S2 moved in, S3, S4; out: S2 resolved, S4
     * rejected; S7 and S3 at the end */
    CHECK_INT(num(&r, b, 1), 1);
    CHECK_INT(num(&r, b, 2), 3);
    CHECK_INT(num(&r, b, 3), 2);
    CHECK_INT(num(&r, b, 4), 2);
    CHECK_INT(num(&r, b, 5), 2);
    /* ivanova had S1 until it was resolved; petrov S7 throughout, S2 from
     * the move until resolved */
    CHECK_INT(r.sections[1].n, 2);
    iv = find_row(&r, 1, "Мария Иванова (ivanova)");
    pe = find_row(&r, 1, "Петър Петров (petrov)");
    CHECK_INT(num(&r, iv, 1), 1);
    CHECK_INT(num(&r, iv, 2), 0);
    CHECK_INT(num(&r, iv, 3), 1);
    CHECK_INT(num(&r, iv, 4), 1);
    CHECK_INT(num(&r, iv, 5), 0);
    CHECK_INT(num(&r, pe, 1), 1);
    CHECK_INT(num(&r, pe, 2), 1);
    CHECK_INT(num(&r, pe, 3), 1);
    CHECK_INT(num(&r, pe, 4), 1);
    CHECK_INT(num(&r, pe, 5), 1);
    report_free(&r);
}

TEST(flow_per_day_week_month)
{
    struct report_params p = march();
    struct report r;
    long long recv = 0, closed = 0, reopened = 0;
    int i;

    setup();
    if (!CHECK_INT(report_run(&db, REPORT_FLOW, &p, &r), DB_OK))
        return;
    CHECK_INT(r.nrows, 31);
    CHECK_STR(REPORT_CELL(&r, 0, 0)->text, "2024-03-01");
    for (i = 0; i < r.nrows; i++) {
        recv += REPORT_CELL(&r, i, 1)->v;
        closed += REPORT_CELL(&r, i, 2)->v;
        reopened += REPORT_CELL(&r, i, 3)->v;
    }
    /* received S2, S3, S4, S5; closed S2 (06.03), S1 (10.03), S5 (22.03),
     * S4 (26.03); reopened S5 (28.03) */
    CHECK_INT(recv, 4);
    CHECK_INT(closed, 4);
    CHECK_INT(reopened, 1);
    CHECK_INT(REPORT_CELL(&r, 1, 1)->v, 1);     /* 02.03 */
    CHECK_INT(REPORT_CELL(&r, 2, 1)->v, 1);     /* 03.03 */
    CHECK_INT(REPORT_CELL(&r, 5, 2)->v, 1);     /* 06.03 */
    CHECK_INT(REPORT_CELL(&r, 9, 2)->v, 1);     /* 10.03 */
    CHECK_INT(REPORT_CELL(&r, 11, 2)->v, 0);    /* 12.03: resolved -> closed is no outflow */
    CHECK_INT(REPORT_CELL(&r, 27, 3)->v, 1);    /* 28.03 */
    report_free(&r);

    /* weeks start on Monday: 01.03 (Fri), 04.03, 11.03, 18.03, 25.03 */
    p.grouping = GROUP_WEEK;
    if (!CHECK_INT(report_run(&db, REPORT_FLOW, &p, &r), DB_OK))
        return;
    CHECK_INT(r.nrows, 5);
    CHECK_STR(REPORT_CELL(&r, 1, 0)->text, "2024-03-04");
    CHECK_INT(REPORT_CELL(&r, 0, 1)->v, 2);     /* S2, S3 */
    CHECK_INT(REPORT_CELL(&r, 1, 2)->v, 2);     /* S2, S1 */
    CHECK_INT(REPORT_CELL(&r, 3, 1)->v, 1);     /* S5 */
    CHECK_INT(REPORT_CELL(&r, 3, 2)->v, 1);     /* S5 resolved */
    CHECK_INT(REPORT_CELL(&r, 4, 2)->v, 1);     /* S4 rejected */
    report_free(&r);

    /* February to April by month */
    p.period.from = (struct day){ 2024, 2, 1 };
    p.period.to = (struct day){ 2024, 4, 30 };
    p.grouping = GROUP_MONTH;
    if (!CHECK_INT(report_run(&db, REPORT_FLOW, &p, &r), DB_OK))
        return;
    CHECK_INT(r.nrows, 3);
    CHECK_INT(REPORT_CELL(&r, 0, 1)->v, 2);     /* S7, S1 */
    CHECK_INT(REPORT_CELL(&r, 1, 1)->v, 4);
    CHECK_INT(REPORT_CELL(&r, 2, 1)->v, 1);     /* S6 */
    report_free(&r);
}

TEST(age_of_open_signals_at_the_end)
{
    struct report_params p = march();
    struct report r;
    int a, b;

    setup();
    if (!CHECK_INT(report_run(&db, REPORT_AGE, &p, &r), DB_OK))
        return;
    /* open at 01.04 00:00: S5 (A, 11.6 days), S3 (B, 28.7 days), S7 (B, 60 days) */
    a = find_row(&r, 0, A);
    b = find_row(&r, 0, B);
    CHECK_INT(num(&r, a, 4), 1);
    CHECK_INT(num(&r, a, 7), 1);
    CHECK_INT(num(&r, b, 4), 1);
    CHECK_INT(num(&r, b, 5), 1);
    CHECK_INT(num(&r, b, 7), 2);
    CHECK_INT(num(&r, b, 1) + num(&r, b, 2) + num(&r, b, 3) + num(&r, b, 6), 0);
    report_free(&r);
}

TEST(sla_missed_by_unit_and_category)
{
    struct report_params p = march();
    struct report r;
    int row;

    setup();
    if (!CHECK_INT(report_run(&db, REPORT_SLA, &p, &r), DB_OK))
        return;
    /* due in March: S1 missed (A), S2 met (B), S3 missed (B), S5 missed (A) */
    row = find_row(&r, 0, A);
    CHECK_INT(num(&r, row, 1), 2);
    CHECK_INT(num(&r, row, 2), 2);
    CHECK_INT(num(&r, row, 3), 1000);
    row = find_row(&r, 0, B);
    CHECK_INT(num(&r, row, 1), 2);
    CHECK_INT(num(&r, row, 2), 1);
    CHECK_INT(num(&r, row, 3), 500);
    row = find_row(&r, 1, "Пътна инфраструктура");    /* S1, S3 */
    CHECK_INT(num(&r, row, 1), 2);
    CHECK_INT(num(&r, row, 2), 2);
    row = find_row(&r, 1, "Улично осветление");       /* S2 met, S5 missed */
    CHECK_INT(num(&r, row, 1), 2);
    CHECK_INT(num(&r, row, 2), 1);
    report_free(&r);
}

TEST(response_and_resolve_times)
{
    struct report_params p = march();
    struct report r;
    int row;

    setup();
    if (!CHECK_INT(report_run(&db, REPORT_TIMES, &p, &r), DB_OK))
        return;
    CHECK_INT(r.sections[0].n, 1);
    row = r.sections[0].first;
    /* received S2, S3, S4, S5; answered after 30 min, 1 h, 2 h (S3 never):
     * median 3600 s, 90th percentile 3600 + 0.8 * 3600 = 6480 s */
    CHECK_INT(num(&r, row, 1), 4);
    CHECK_INT(num(&r, row, 2), 3);
    CHECK_INT(num(&r, row, 3), 3600);
    CHECK_INT(num(&r, row, 4), 6480);
    /* resolved in March: S5 after 2 d (172800 s), S2 after 4 d 6 h (367200),
     * S1 after 19 d 2 h (1648800): median 367200,
     * 90th 367200 + 0.8 * (1648800 - 367200) = 1392480 */
    CHECK_INT(num(&r, row, 5), 3);
    CHECK_INT(num(&r, row, 6), 367200);
    CHECK_INT(num(&r, row, 7), 1392480);
    /* per district: D1 received S2 and resolved S1, S2; D2 received S3, S4,
     * S5 and resolved S5 */
    row = find_row(&r, 1, "Средец");
    CHECK_INT(num(&r, row, 1), 1);
    CHECK_INT(num(&r, row, 5), 2);
    row = find_row(&r, 1, "Лозенец");
    CHECK_INT(num(&r, row, 1), 3);
    CHECK_INT(num(&r, row, 2), 2);
    CHECK_INT(num(&r, row, 5), 1);
    CHECK_INT(num(&r, row, 6), 172800);
    row = find_row(&r, 2, "Улично осветление");       /* S2, S4, S5 */
    CHECK_INT(num(&r, row, 1), 3);
    report_free(&r);
}

TEST(received_by_district_and_category)
{
    struct report_params p = march();
    struct report r;
    int i, found = 0;

    setup();
    if (!CHECK_INT(report_run(&db, REPORT_DISTRICTS, &p, &r), DB_OK))
        return;
    CHECK_INT(r.nrows, 3);
    for (i = 0; i < r.nrows; i++) {
        const char *d = REPORT_CELL(&r, i, 0)->text, *c = REPORT_CELL(&r, i, 1)->text;

        if (strcmp(d, "Лозенец") == 0 && strcmp(c, "Улично осветление") == 0) {
            /* S4 (rejected) and S5 (resolved 22.03): both moved on */
            CHECK_INT(num(&r, i, 2), 2);
            CHECK_INT(num(&r, i, 3), 1);
            CHECK_INT(num(&r, i, 4), 0);
            found++;
        } else if (strcmp(d, "Лозенец") == 0 && strcmp(c, "Пътна инфраструктура") == 0) {
            CHECK_INT(num(&r, i, 2), 1);    /* S3, never moved */
            CHECK_INT(num(&r, i, 3), 0);
            CHECK_INT(num(&r, i, 4), 1);
            found++;
        } else if (strcmp(d, "Средец") == 0 && strcmp(c, "Улично осветление") == 0) {
            CHECK_INT(num(&r, i, 2), 1);    /* S2 */
            CHECK_INT(num(&r, i, 3), 1);
            found++;
        }
    }
    CHECK_INT(found, 3);
    report_free(&r);
}

TEST(stalled_after_received)
{
    struct report_params p = march();
    struct report r;
    int row;

    setup();
    if (!CHECK_INT(report_run(&db, REPORT_STALLED, &p, &r), DB_OK))
        return;
    /* S3 never moved; S4 moved after 9.8 days; S2 after 2 days; S5 after 2 */
    row = find_row(&r, 0, B);       /* S2, S3, S4 */
    CHECK_INT(num(&r, row, 1), 3);
    CHECK_INT(num(&r, row, 2), 2);
    CHECK_INT(num(&r, row, 3), 667);
    row = find_row(&r, 0, A);       /* S5 */
    CHECK_INT(num(&r, row, 1), 1);
    CHECK_INT(num(&r, row, 2), 0);
    report_free(&r);
    /* within 10 days S4 counts as moved in time */
    p.stalled_days = 10;
    if (!CHECK_INT(report_run(&db, REPORT_STALLED, &p, &r), DB_OK))
        return;
    row = find_row(&r, 0, B);
    CHECK_INT(num(&r, row, 2), 1);
    report_free(&r);
}

/* A past period gives the same numbers after later changes. */
TEST(a_past_period_does_not_change)
{
    struct report_params p = march();
    struct report r;
    long long id;
    char sql[256];
    int b;

    setup();
    id = dbt_number(&db, "SELECT id FROM signals WHERE reg_no = 'Т24-7'");
    /* S7 is resolved today */
    snprintf(sql, sizeof sql, "SELECT change_status(%lld, version, 'resolved', 'Готово', true) FROM signals WHERE id = %lld",
             id, id);
    CHECK(dbt_number(&db, sql) > 0);
    if (!CHECK_INT(report_run(&db, REPORT_WORKLOAD, &p, &r), DB_OK))
        return;
    b = find_row(&r, 0, B);
    CHECK_INT(num(&r, b, 5), 2);
    report_free(&r);
}

/* Writes the report as CSV and reads it back with libcsv's parser. */
struct csv_back {
    char rows[16][8][64];
    int n;
};

static int keep_record(void *ctx, const struct csv_record *rec)
{
    struct csv_back *b = ctx;
    size_t i;

    if (b->n < 16)
        for (i = 0; i < rec->n && i < 8; i++)
            str_copy(b->rows[b->n][i], sizeof b->rows[b->n][i], rec->fields[i]);
    b->n++;
    return 0;
}

TEST(csv_of_a_report_reads_back)
{
    struct report_params p = march();
    struct csv_options o;
    struct report r;
    struct csv_back back;
    char err[256], head[4];
    FILE *f;

    setup();
    if (!CHECK_INT(report_run(&db, REPORT_SLA, &p, &r), DB_OK))
        return;
    csv_options_default(&o);
    o.delimiter = ';';
    o.bom = 1;
    o.decimal_comma = 1;
    f = tmpfile();
    CHECK_INT(report_write_csv(&r, f, &o), 0);
    rewind(f);
    CHECK_INT((int)fread(head, 1, 3, f), 3);
    CHECK(memcmp(head, "\xEF\xBB\xBF", 3) == 0);
    memset(&back, 0, sizeof back);
    CHECK_INT(csv_read(f, ';', keep_record, &back, err, sizeof err), 0);
    fclose(f);
    CHECK_INT(back.n, 1 + r.nrows);
    CHECK_STR(back.rows[0][0], "group");
    CHECK_STR(back.rows[0][1], "name");
    CHECK_STR(back.rows[0][4], "missed_share");
    CHECK_STR(back.rows[1][0], "unit");
    CHECK_STR(back.rows[1][1], A);
    CHECK_STR(back.rows[1][4], "100,0");
    CHECK_STR(back.rows[2][4], "50,0");
    report_free(&r);
}

/* ---- the summary stays true under changes ------------------------------ */

/* The summary as it is, against one built from scratch from the history. */
static long long summary_differences(void)
{
    long long n;

    db_exec(&db, "CREATE TEMP TABLE k_spans AS SELECT * FROM report_spans", 0, NULL);
    db_exec(&db, "CREATE TEMP TABLE k_facts AS SELECT * FROM report_facts", 0, NULL);
    db_exec(&db, "SELECT report_rebuild(NULL)", 0, NULL);
    n = dbt_number(&db, "SELECT (SELECT count(*) FROM (SELECT * FROM k_spans EXCEPT ALL SELECT * FROM report_spans) a)"
                        "     + (SELECT count(*) FROM (SELECT * FROM report_spans EXCEPT ALL SELECT * FROM k_spans) b)"
                        "     + (SELECT count(*) FROM (SELECT * FROM k_facts EXCEPT ALL SELECT * FROM report_facts) c)"
                        "     + (SELECT count(*) FROM (SELECT * FROM report_facts EXCEPT ALL SELECT * FROM k_facts) d)");
    db_exec(&db, "DROP TABLE k_spans, k_facts", 0, NULL);
    return n;
}

TEST(summary_follows_every_change)
{
    struct sig_ref items[3];
    enum move_outcome out[3];
    struct move_target to;
    int moved;

    setup();
    /* status changes, moves and comments through the schema's functions */
    db_exec(&db, "SELECT change_status(id, version, 'registered', NULL, false) FROM signals"
                 " WHERE status = 'new' AND reg_no LIKE 'СО26%'", 0, NULL);
    db_exec(&db, "INSERT INTO signal_events (signal_id, kind, comment, public)"
                 " SELECT id, 'comment', 'Благодарим', true FROM signals WHERE reg_no LIKE 'СО26%' AND id % 3 = 0",
            0, NULL);
    memset(items, 0, sizeof items);
    items[0].id = dbt_number(&db, "SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-000102'");
    items[1].id = dbt_number(&db, "SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-000103'");
    items[0].version = (int)dbt_number(&db, "SELECT version FROM signals WHERE reg_no = 'СО26-КЦ-000102'");
    items[1].version = (int)dbt_number(&db, "SELECT version FROM signals WHERE reg_no = 'СО26-КЦ-000103'");
    memset(&to, 0, sizeof to);
    to.unit_id = (int)dbt_number(&db, "SELECT id FROM units WHERE name = 'Софийска вода'");
    CHECK_INT(signals_move(&db, items, 2, &to, "Теч на вода", out, &moved), DB_OK);
    CHECK_INT(moved, 2);
    db_exec(&db, "UPDATE signals SET due_at = due_at - interval '3 days' WHERE reg_no = 'СО26-КЦ-000104'", 0, NULL);
    CHECK_INT(summary_differences(), 0);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM report_spans WHERE end_at IS NULL"),
              dbt_number(&db, "SELECT count(*) FROM signals WHERE status IN"
                              " ('new', 'registered', 'assigned', 'in_progress', 'waiting')"));
}

/* Two transactions write events of the same signal at once: the second
 * waits for the first and then sums up both. */
TEST(summary_under_concurrent_writers)
{
    struct db other;
    PGresult *r;
    long long id;
    char sql[512];

    setup();
    memset(&other, 0, sizeof other);
    if (!CHECK_INT(db_connect(&other, "dbname=t_db_reports", 0), DB_OK))
        return;
    id = dbt_number(&db, "SELECT id FROM signals WHERE reg_no = 'Т24-3'");
    CHECK_INT(db_exec(&db, "BEGIN", 0, NULL), DB_OK);
    snprintf(sql, sizeof sql, "INSERT INTO signal_events (signal_id, kind, comment, public)"
                              " VALUES (%lld, 'comment', 'Първи отговор', true)", id);
    CHECK_INT(db_exec(&db, sql, 0, NULL), DB_OK);
    /* the other one, in its own transaction, without waiting for us */
    snprintf(sql, sizeof sql, "BEGIN; SELECT change_status(%lld, version, 'registered', NULL, false)"
                              " FROM signaldesk.signals WHERE id = %lld; COMMIT", id, id);
    CHECK(PQsendQuery(other.conn, sql) == 1);
    {
        /* it must be waiting for us now */
        struct pollfd pf = { PQsocket(other.conn), POLLIN, 0 };

        CHECK_INT(poll(&pf, 1, 300), 0);
    }
    CHECK_INT(db_exec(&db, "COMMIT", 0, NULL), DB_OK);
    while ((r = PQgetResult(other.conn)) != NULL) {
        CHECK(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
        PQclear(r);
    }
    db_close(&other);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM report_facts WHERE signal_id = %lld"
                              " AND first_response_at IS NOT NULL AND progress_at IS NULL", id);
    CHECK_INT(dbt_number(&db, sql), 1);
    CHECK_INT(summary_differences(), 0);
}

/* ---- moves ---------------------------------------------------------------- */

static void ref(struct sig_ref *s, const char *reg_no)
{
    char sql[256];

    memset(s, 0, sizeof *s);
    str_copy(s->reg_no, sizeof s->reg_no, reg_no);
    snprintf(sql, sizeof sql, "SELECT id FROM signals WHERE reg_no = '%s'", reg_no);
    s->id = dbt_number(&db, sql);
    snprintf(sql, sizeof sql, "SELECT version FROM signals WHERE reg_no = '%s'", reg_no);
    s->version = (int)dbt_number(&db, sql);
}

TEST(move_to_operator_and_unit)
{
    struct sig_ref s[2];
    enum move_outcome out[2];
    struct move_target to;
    int moved, v;
    char sql[256];

    setup();
    /* 000113 is ivanova's (unit Лозенец... of its own unit) */
    ref(&s[0], "СО26-КЦ-000113");
    v = s[0].version;
    memset(&to, 0, sizeof to);
    to.assignee = "petrov";
    CHECK_INT(signals_move(&db, s, 1, &to, "Отпуск", out, &moved), DB_OK);
    CHECK_INT(out[0], MOVE_MOVED);
    CHECK_INT(moved, 1);
    CHECK_INT(s[0].version, v + 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signal_events WHERE signal_id = %lld AND kind = 'assignee'"
                              " AND new_value = 'petrov' AND comment = 'Отпуск' AND NOT public AND actor = current_user",
             s[0].id);
    CHECK_INT(dbt_number(&db, sql), 1);
    /* again: it is there already */
    CHECK_INT(signals_move(&db, s, 1, &to, "Отпуск", out, &moved), DB_OK);
    CHECK_INT(out[0], MOVE_SAME);
    CHECK_INT(moved, 0);
    /* to ivanova's unit: petrov is not of it, so nobody has it then */
    memset(&to, 0, sizeof to);
    to.unit_id = (int)dbt_number(&db, "SELECT id FROM units WHERE name = 'Район „Лозенец“'");
    ref(&s[0], "СО26-КЦ-000113");
    CHECK_INT(signals_move(&db, s, 1, &to, "По район", out, &moved), DB_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signals s JOIN units u ON u.id = s.unit_id WHERE s.id = %lld"
                              " AND u.name = 'Район „Лозенец“' AND s.assignee IS NULL", s[0].id);
    CHECK_INT(dbt_number(&db, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signal_events WHERE signal_id = %lld AND kind = 'unit'"
                              " AND new_value = 'Район „Лозенец“' AND comment = 'По район'", s[0].id);
    CHECK_INT(dbt_number(&db, sql), 1);
    /* to nobody */
    ref(&s[0], "СО26-КЦ-000114");
    memset(&to, 0, sizeof to);
    to.unassign = 1;
    CHECK_INT(signals_move(&db, s, 1, &to, "Освободен", out, &moved), DB_OK);
    CHECK_INT(out[0], MOVE_MOVED);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signals WHERE id = %lld AND assignee IS NULL", s[0].id);
    CHECK_INT(dbt_number(&db, sql), 1);
}

TEST(bulk_move_with_a_conflict_moves_nothing)
{
    struct sig_ref s[3];
    enum move_outcome out[3];
    struct move_target to;
    int moved;
    long long events;

    setup();
    ref(&s[0], "СО26-КЦ-000123");
    ref(&s[1], "СО26-КЦ-000124");
    ref(&s[2], "СО26-КЦ-000126");   /* resolved: no longer open */
    /* someone changes 000124 after we read it */
    db_exec(&db, "SELECT change_status(id, version, 'waiting', NULL, false) FROM signals"
                 " WHERE reg_no = 'СО26-КЦ-000124'", 0, NULL);
    events = dbt_number(&db, "SELECT count(*) FROM signal_events");
    memset(&to, 0, sizeof to);
    to.assignee = "ivanova";
    CHECK_INT(signals_move(&db, s, 3, &to, "Балансиране", out, &moved), DB_OK);
    CHECK_INT(moved, 0);
    CHECK_INT(out[0], MOVE_READY);
    CHECK_INT(out[1], MOVE_CHANGED);
    CHECK_INT(out[2], MOVE_CLOSED);
    CHECK_INT(dbt_number(&db, "SELECT count(*) FROM signal_events"), events);
    /* the ready one alone */
    CHECK_INT(signals_move(&db, s, 1, &to, "Балансиране", out, &moved), DB_OK);
    CHECK_INT(moved, 1);
    CHECK_INT(out[0], MOVE_MOVED);
}

TEST(database_refuses_moves)
{
    struct sig_ref s;
    enum move_outcome out;
    struct move_target to;
    int moved;

    setup();
    ref(&s, "СО26-КЦ-000133");
    memset(&to, 0, sizeof to);
    to.assignee = "petrov";
    CHECK_INT(signals_move(&db, &s, 1, &to, "   ", &out, &moved), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD061");
    to.assignee = "nobody_such";
    CHECK_INT(signals_move(&db, &s, 1, &to, "Причина", &out, &moved), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD063");
    memset(&to, 0, sizeof to);
    to.unit_id = 999999;
    CHECK_INT(signals_move(&db, &s, 1, &to, "Причина", &out, &moved), DB_REFUSED);
    CHECK_STR(db.sqlstate, "SD062");
    /* that an operator may not move, whatever client they use, is proven
     * with real login roles of each level in db_roles
     * (moving_across_units_is_for_supervisors) */
}

TEST(load_per_unit_and_operator)
{
    struct unit_load *u;
    struct op_load *o;
    int nu, no, i;
    long long open = 0;

    setup();
    CHECK_INT(assign_units(&db, &u, &nu), DB_OK);
    for (i = 0; i < nu; i++) {
        CHECK_INT(u[i].by_status[0] + u[i].by_status[1] + u[i].by_status[2] + u[i].by_status[3] + u[i].by_status[4],
                  u[i].open);
        open += u[i].open;
    }
    CHECK_INT(open, dbt_number(&db, "SELECT count(*) FROM signals WHERE status IN"
                                    " ('new', 'registered', 'assigned', 'in_progress', 'waiting')"));
    free(u);
    CHECK_INT(assign_operators(&db, &o, &no), DB_OK);
    CHECK(no >= 3);
    for (i = 0; i < no; i++) {
        char sql[256];

        snprintf(sql, sizeof sql, "SELECT count(*) FROM signals WHERE assignee = '%s' AND status IN"
                                  " ('new', 'registered', 'assigned', 'in_progress', 'waiting')", o[i].login);
        CHECK_INT(o[i].open, dbt_number(&db, sql));
    }
    free(o);
}

TEST_LIST = {
    { "workload_balances", workload_balances },
    { "flow_per_day_week_month", flow_per_day_week_month },
    { "age_of_open_signals_at_the_end", age_of_open_signals_at_the_end },
    { "sla_missed_by_unit_and_category", sla_missed_by_unit_and_category },
    { "response_and_resolve_times", response_and_resolve_times },
    { "received_by_district_and_category", received_by_district_and_category },
    { "stalled_after_received", stalled_after_received },
    { "csv_of_a_report_reads_back", csv_of_a_report_reads_back },
    { "a_past_period_does_not_change", a_past_period_does_not_change },
    { "summary_follows_every_change", summary_follows_every_change },
    { "summary_under_concurrent_writers", summary_under_concurrent_writers },
    { "move_to_operator_and_unit", move_to_operator_and_unit },
    { "bulk_move_with_a_conflict_moves_nothing", bulk_move_with_a_conflict_moves_nothing },
    { "database_refuses_moves", database_refuses_moves },
    { "load_per_unit_and_operator", load_per_unit_and_operator },
    { NULL, NULL }
};

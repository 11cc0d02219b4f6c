/* Unit tests of the domain code that needs neither curses nor a database. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "regno.h"
#include "sqlbuild.h"
#include "test.h"
#include "timefmt.h"
#include "util.h"
#include "workflow.h"

TEST(workflow_codes_round_trip)
{
    int i;

    for (i = 0; i < ST_COUNT; i++)
        CHECK_INT(status_from_code(status_table[i].code), i);
    CHECK_INT(status_from_code("nonsense"), ST_COUNT);
    CHECK_INT(status_from_code(NULL), ST_COUNT);
}

TEST(workflow_transitions_are_sane)
{
    size_t i, j;

    for (i = 0; i < transition_count; i++) {
        const struct transition *t = &transition_table[i];

        CHECK(t->from != t->to);
        /* no transition twice */
        for (j = i + 1; j < transition_count; j++)
            CHECK(!(transition_table[j].from == t->from && transition_table[j].to == t->to));
        /* telling the citizen "resolved" or "rejected" always comes with words */
        if (t->to == ST_RESOLVED || t->to == ST_REJECTED)
            CHECK(t->needs_public_comment);
    }
    /* every open state can reach "resolved" or "rejected"; every state can be left */
    for (i = 0; i < ST_COUNT; i++) {
        const struct transition *moves[ST_COUNT * 2];

        CHECK(workflow_moves((enum status)i, moves, ST_COUNT * 2) > 0);
    }
    CHECK(workflow_find(ST_NEW, ST_REGISTERED) != NULL);
    CHECK(workflow_find(ST_CLOSED, ST_NEW) == NULL);
    CHECK(workflow_find(ST_RESOLVED, ST_IN_PROGRESS)->needs_public_comment);  /* reopening */
}

TEST(regno_formats)
{
    char buf[64];

    CHECK_INT(regno_format(REGNO_DEFAULT_FORMAT, 2026, 123, buf, sizeof buf), (int)strlen("СО26-КЦ-000123"));
    CHECK_STR(buf, "СО26-КЦ-000123");
    regno_format("RU-%Y/%N", 2026, 7, buf, sizeof buf);
    CHECK_STR(buf, "RU-2026/7");
    regno_format("%%%y-%3N", 2005, 1234, buf, sizeof buf);
    CHECK_STR(buf, "%05-1234");
    CHECK_INT(regno_format("%Q", 2026, 1, buf, sizeof buf), -1);
    CHECK_INT(regno_format(REGNO_DEFAULT_FORMAT, 2026, 1, buf, 8), -1);
    CHECK_INT(regno_format("%99999999999999999999N", 2026, 1, buf, sizeof buf), -1);
    CHECK_INT(regno_format("%0012N", 2026, 1, buf, sizeof buf), 12);
}

TEST(regno_checks_format)
{
    char err[256];

    CHECK_INT(regno_check_format(REGNO_DEFAULT_FORMAT, err, sizeof err), 0);
    CHECK_INT(regno_check_format("PL-%y", err, sizeof err), -1);
    CHECK_INT(regno_check_format("%N-%N", err, sizeof err), -1);
    CHECK_INT(regno_check_format("%N-%x", err, sizeof err), -1);
    /* widths: up to 12 digits; more, however many, is refused (never overflows) */
    CHECK_INT(regno_check_format("A-%12N", err, sizeof err), 0);
    CHECK_INT(regno_check_format("A-%13N", err, sizeof err), -1);
    CHECK(strstr(err, "12 digits") != NULL);
    CHECK_INT(regno_check_format("A-%0000000000000844674407370955161500N", err, sizeof err), -1);
}

TEST(pg_time_parses_offsets)
{
    time_t t;

    CHECK_INT(parse_pg_time("2026-11-22 09:14:05+02", &t), 0);
    CHECK_INT((long long)t, 1795331645LL);
    CHECK_INT(parse_pg_time("2026-11-22 07:14:05.123456+00", &t), 0);
    CHECK_INT((long long)t, 1795331645LL);
    CHECK_INT(parse_pg_time("2026-11-22 12:44:05+05:30", &t), 0);
    CHECK_INT((long long)t, 1795331645LL);
    CHECK_INT(parse_pg_time("yesterday", &t), -1);
    CHECK_INT(parse_pg_time("2026-11-22 09:14:05", &t), -1);
}

TEST(age_buckets)
{
    char buf[32];
    time_t now = 1795331645;

    fmt_age(now, now - 30, buf, sizeof buf);
    CHECK_STR(buf, "0 min");
    fmt_age(now, now - 12 * 60, buf, sizeof buf);
    CHECK_STR(buf, "12 min");
    fmt_age(now, now - 3 * 3600 - 5, buf, sizeof buf);
    CHECK_STR(buf, "3 h");
    fmt_age(now, now - 5 * 86400, buf, sizeof buf);
    CHECK_STR(buf, "5 d");
    fmt_age(now, now - 120 * 86400, buf, sizeof buf);
    CHECK_STR(buf, "4 mo");
    fmt_age(now, now - 800 * 86400, buf, sizeof buf);
    CHECK_STR(buf, "2 y");
    fmt_age(now, now + 100, buf, sizeof buf);   /* a clock a little ahead */
    CHECK_STR(buf, "0 min");
}

TEST(due_dates)
{
    char buf[64];
    time_t now = 1795331645;

    setenv("TZ", "Europe/Sofia", 1);
    tzset();
    fmt_due(now, now + 3 * 86400, buf, sizeof buf);
    CHECK_STR(buf, "in 3 days");
    fmt_due(now, now + 3600, buf, sizeof buf);
    CHECK_STR(buf, "today");
    fmt_due(now, now - 2 * 86400 - 60, buf, sizeof buf);
    CHECK_STR(buf, "overdue by 2 days");
    fmt_due(now, now - 600, buf, sizeof buf);
    CHECK_STR(buf, "overdue by 1 h");
    fmt_datetime(now, buf, sizeof buf);
    CHECK_STR(buf, "22.11.2026 09:14");
}

TEST(utf8_widths)
{
    setlocale(LC_ALL, "C.UTF-8");
    CHECK_INT(utf8_width("Лозенец"), 7);
    CHECK_INT(utf8_width("abc"), 3);
    CHECK_INT(utf8_width("日本"), 4);
    CHECK_INT((int)utf8_fit("Лозенец", 3), 6);
    CHECK_INT((int)utf8_fit("日本", 3), 3);
    CHECK_INT(utf8_width("\xff\xfe"), 2);   /* invalid bytes count one column each */
}

TEST(copy_never_cuts_a_character)
{
    char buf[6];

    str_copy(buf, sizeof buf, "Люлин");   /* 10 bytes into 6 */
    CHECK_STR(buf, "Лю");
    str_copy(buf, sizeof buf, "abc");
    CHECK_STR(buf, "abc");
}

TEST(trim_and_empty)
{
    char s[] = "  \t Витоша \n";

    CHECK_STR(str_trim(s), "Витоша");
    CHECK(str_empty("  \n"));
    CHECK(str_empty(NULL));
    CHECK(!str_empty(" x "));
}

TEST(sql_values_only_as_parameters)
{
    struct sqlq q;

    sqlq_init(&q);
    sqlq_sql(&q, "SELECT 1 FROM signals WHERE reg_no = ");
    sqlq_param(&q, "'; DROP TABLE signals; --");
    sqlq_sql(&q, " AND id = ");
    sqlq_paramf(&q, "%d", 42);
    CHECK_STR(q.sql.buf, "SELECT 1 FROM signals WHERE reg_no = $1 AND id = $2");
    CHECK_INT(q.n, 2);
    CHECK_STR(q.params[0], "'; DROP TABLE signals; --");
    CHECK_STR(q.params[1], "42");
    sqlq_free(&q);
}

TEST(strbuf_grows)
{
    struct strbuf sb;
    int i;

    sb_init(&sb);
    for (i = 0; i < 1000; i++)
        sb_addf(&sb, "%d,", i);
    CHECK(sb.len > 3000);
    CHECK(strncmp(sb.buf, "0,1,2,", 6) == 0);
    sb_free(&sb);
}

TEST_LIST = {
    { "workflow_codes_round_trip", workflow_codes_round_trip },
    { "workflow_transitions_are_sane", workflow_transitions_are_sane },
    { "regno_formats", regno_formats },
    { "regno_checks_format", regno_checks_format },
    { "pg_time_parses_offsets", pg_time_parses_offsets },
    { "age_buckets", age_buckets },
    { "due_dates", due_dates },
    { "utf8_widths", utf8_widths },
    { "copy_never_cuts_a_character", copy_never_cuts_a_character },
    { "trim_and_empty", trim_and_empty },
    { "sql_values_only_as_parameters", sql_values_only_as_parameters },
    { "strbuf_grows", strbuf_grows },
    { NULL, NULL }
};

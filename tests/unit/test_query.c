/* The search language: parsing, errors with their place, the SQL a query
 * stands for (values only as parameters), completion, columns and sorting. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "query.h"
#include "sqlbuild.h"
#include "test.h"
#include "util.h"
#include "workflow.h"

static struct query q;
static struct query_error err;

static int parse(const char *text)
{
    return query_parse(text, &q, &err);
}

/* The SQL of text with now pinned; the parameters joined by " | ". */
static void sql_of(const char *text, char *sql, size_t ssz, char *params, size_t psz)
{
    struct sqlq s;
    struct query_ctx ctx;
    int i;
    size_t n = 0;

    ctx.now = 1795000000;   /* 2026-11-18 */
    sqlq_init(&s);
    if (query_parse(text, &q, &err) < 0) {
        snprintf(sql, ssz, "ERROR %d %s", err.pos, err.msg);
        params[0] = '\0';
        return;
    }
    query_where(&q, &ctx, &s);
    snprintf(sql, ssz, "%s", s.sql.buf ? s.sql.buf : "");
    params[0] = '\0';
    for (i = 0; i < s.n; i++)
        n += (size_t)snprintf(params + n, psz - n, "%s%s", i ? " | " : "", s.params[i] ? s.params[i] : "NULL");
    sqlq_free(&s);
    query_free(&q);
}

TEST(empty_query_matches_everything)
{
    CHECK_INT(parse(""), 0);
    CHECK_INT(q.nterms, 0);
    query_free(&q);
    CHECK_INT(parse("   \t "), 0);
    CHECK_INT(q.nterms, 0);
    query_free(&q);
    CHECK_INT(query_parse(NULL, &q, &err), 0);
    query_free(&q);
}

TEST(the_example_of_the_manual_parses)
{
    const char *text = "status:new,assigned cat:осветление district:Лозенец unit:mine assignee:me priority:high "
                       "channel:phone created:2026-01-01..2026-02-01 since:7d overdue id:123 "
                       "reg:СО26-КЦ-000123 -status:closed \"точна фраза\" free words";

    CHECK_INT(parse(text), 0);
    CHECK_INT(q.nterms, 16);
    CHECK_INT(q.terms[0].field, QF_STATUS);
    CHECK_INT(q.terms[0].mask, (1u << ST_NEW) | (1u << ST_ASSIGNED));
    CHECK_INT(q.terms[1].field, QF_CATEGORY);
    CHECK_STR(q.terms[1].values[0], "осветление");
    CHECK_INT(q.terms[3].me, 1);
    CHECK_INT(q.terms[4].me, 1);
    CHECK_INT(q.terms[5].mask, 1u << 2);
    CHECK_STR(q.terms[7].from, "2026-01-01");
    CHECK_STR(q.terms[7].to, "2026-02-01");
    CHECK_INT(q.terms[8].seconds, 7 * 86400);
    CHECK_INT(q.terms[9].field, QF_OVERDUE);
    CHECK_STR(q.terms[10].values[0], "123");
    CHECK_STR(q.terms[11].values[0], "СО26-КЦ-000123");
    CHECK_INT(q.terms[12].negate, 1);
    CHECK_INT(q.terms[13].field, QF_PHRASE);
    CHECK_STR(q.terms[13].values[0], "точна фраза");
    CHECK_INT(q.terms[14].field, QF_WORD);
    CHECK_STR(q.terms[15].values[0], "words");
    /* where each term stands */
    CHECK_INT(q.terms[1].pos, (int)(strstr(text, "cat:") - text));
    CHECK_INT(q.terms[13].len, (int)strlen("\"точна фраза\""));
    query_free(&q);
}

TEST(aliases_and_bulgarian_names)
{
    CHECK_INT(parse("category:пътища статус:нов район:Младост приоритет:спешен канал:телефон"), 0);
    CHECK_INT(q.terms[0].field, QF_CATEGORY);
    CHECK_INT(q.terms[1].mask, 1u << ST_NEW);
    CHECK_INT(q.terms[2].field, QF_DISTRICT);
    CHECK_INT(q.terms[3].mask, 1u << 3);
    CHECK_INT(q.terms[4].mask, 1u << 0);
    query_free(&q);
    CHECK_INT(parse("STATUS:OPEN просрочен"), 0);
    CHECK_INT(q.terms[0].open, 1);
    CHECK_INT(q.terms[1].field, QF_OVERDUE);
    query_free(&q);
}

TEST(quoted_values_and_lists)
{
    CHECK_INT(parse("district:\"Красна поляна\",Люлин -\"не свети\""), 0);
    CHECK_INT(q.nterms, 2);
    CHECK_INT(q.terms[0].nvalues, 2);
    CHECK_STR(q.terms[0].values[0], "Красна поляна");
    CHECK_STR(q.terms[0].values[1], "Люлин");
    CHECK_INT(q.terms[1].negate, 1);
    CHECK_INT(q.terms[1].field, QF_PHRASE);
    query_free(&q);
    /* a colon after something that is no name is just part of a word */
    CHECK_INT(parse("10:30 бл.5:вход"), 0);
    CHECK_INT(q.terms[0].field, QF_WORD);
    CHECK_INT(q.terms[1].field, QF_WORD);
    query_free(&q);
}

TEST(dates_and_durations)
{
    CHECK_INT(parse("created:05.01.2026"), 0);
    CHECK_STR(q.terms[0].from, "2026-01-05");
    CHECK_STR(q.terms[0].to, "2026-01-05");
    query_free(&q);
    CHECK_INT(parse("created:..2026-02-01 due:2026-03-01.."), 0);
    CHECK_STR(q.terms[0].from, "");
    CHECK_STR(q.terms[0].to, "2026-02-01");
    CHECK_STR(q.terms[1].from, "2026-03-01");
    query_free(&q);
    CHECK_INT(parse("since:12h changed:30min since:2w"), 0);
    CHECK_INT(q.terms[0].seconds, 12 * 3600);
    CHECK_INT(q.terms[1].seconds, 30 * 60);
    CHECK_INT(q.terms[2].seconds, 14 * 86400);
    query_free(&q);
    CHECK_INT(parse("since:3mo since:1y since:5 since:2д"), 0);
    CHECK_INT(q.terms[0].seconds, 90 * 86400);
    CHECK_INT(q.terms[1].seconds, 365 * 86400);
    CHECK_INT(q.terms[2].seconds, 5 * 86400);
    CHECK_INT(q.terms[3].seconds, 2 * 86400);
    query_free(&q);
}

/* Every error says where (the byte offset) and why. */
static void check_error(const char *text, int pos, const char *why)
{
    if (!CHECK_INT(parse(text), -1)) {
        query_free(&q);
        return;
    }
    if (!CHECK_INT(err.pos, pos) || !CHECK(strstr(err.msg, why) != NULL))
        printf("    '%s': at %d: %s\n", text, err.pos, err.msg);
    CHECK_INT(q.nterms, 0);
    CHECK(q.terms == NULL);
}

TEST(errors_say_where_and_why)
{
    check_error("stat:new", 0, "'stat' is not a field");
    check_error("district:Лозенец  stauts:new", 25, "'stauts' is not a field");
    /* people are told the character, not the byte */
    CHECK_INT(query_char_pos("district:Лозенец  stauts:new", 25), 19);
    CHECK_INT(query_char_pos("abc", 0), 1);
    check_error("status:nw", 7, "'nw' is not a status");
    check_error("status:new,bogus", 11, "'bogus' is not a status");
    check_error("status:", 7, "needs a value");
    check_error("status:new,", 11, "needs a value");
    check_error("priority:huge", 9, "'huge' is not a priority");
    check_error("created:2026-02-30", 8, "not a day");
    check_error("created:2026-13-01", 8, "not a day");
    check_error("created:2026-03-01..2026-02-01", 8, "ends before it starts");
    check_error("created:2026-01-01..x", 8, "not a range");
    check_error("created:..", 8, "not a range");
    check_error("since:7x", 6, "not a length of time");
    check_error("since:0d", 6, "not a length of time");
    check_error("since:d", 6, "not a length of time");
    check_error("id:12a", 3, "not a number");
    check_error("\"open quote", 0, "not closed");
    check_error("word \"\"", 5, "hold nothing");
    check_error("a - b", 2, "minus");
    check_error("overdue:yes", 0, "takes no value");
    check_error("district:\"Красна", 9, "not closed");
    check_error("status:new\"x\"", 10, "comma or a space");
}

TEST(limits_are_errors_not_crashes)
{
    struct strbuf sb;
    int i;

    sb_init(&sb);
    for (i = 0; i < QUERY_MAX_TERMS + 5; i++)
        sb_add(&sb, "дума ");
    CHECK_INT(parse(sb.buf), -1);
    CHECK(strstr(err.msg, "too many") != NULL);
    sb_clear(&sb);
    sb_add(&sb, "id:");
    for (i = 0; i < QUERY_MAX_VALUES + 5; i++)
        sb_add(&sb, "1,");
    sb_add(&sb, "1");
    CHECK_INT(parse(sb.buf), -1);
    CHECK(strstr(err.msg, "too many") != NULL);
    sb_free(&sb);
}

/* Numbers of registrations take two parameters each, a range of days two:
 * few values can still make a statement too large.  Refused in words, at
 * the term that overflows; never the end of the program. */
TEST(statement_size_is_a_limit_too)
{
    struct strbuf sb;
    struct sqlq s;
    struct query_ctx ctx = { 1795000000 };
    int i;

    sb_init(&sb);
    for (i = 0; i < QUERY_MAX_TERMS; i++)
        sb_add(&sb, "created:2026-01-01..2026-02-01 ");
    CHECK_INT(parse(sb.buf), 0);
    CHECK_INT(query_params(&q), 2 * QUERY_MAX_TERMS);
    sqlq_init(&s);
    query_where(&q, &ctx, &s);
    CHECK_INT(s.n, query_params(&q));
    sqlq_free(&s);
    query_free(&q);
    sb_clear(&sb);
    for (i = 0; i < 13; i++)
        sb_add(&sb, "reg:СО26-00001,СО26-00002 ");
    CHECK_INT(parse(sb.buf), -1);
    CHECK(strstr(err.msg, "too many") != NULL);
    CHECK_INT(err.pos, 12 * (int)strlen("reg:СО26-00001,СО26-00002 "));
    CHECK(q.terms == NULL && q.nterms == 0);
    sb_free(&sb);
}

TEST(sql_has_every_value_as_a_parameter)
{
    char sql[4096], params[4096];

    sql_of("витоша", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND s.search_latin LIKE $1");
    CHECK_STR(params, "%vitosha%");
    /* Latin finds the same: both are folded to Latin */
    sql_of("VITOSHA", sql, sizeof sql, params, sizeof params);
    CHECK_STR(params, "%vitosha%");
    sql_of("шипка", sql, sizeof sql, params, sizeof params);
    CHECK_STR(params, "%shipka%");
    /* LIKE's own characters are escaped: a value never becomes a pattern */
    sql_of("100%_a\\b", sql, sizeof sql, params, sizeof params);
    CHECK_STR(params, "%100\\%\\_a\\\\b%");
    /* quotes and SQL never reach the statement's text */
    sql_of("\"'; DROP TABLE signals; --\" district:\"x' OR 1=1\"", sql, sizeof sql, params, sizeof params);
    CHECK(strstr(sql, "DROP") == NULL);
    CHECK(strstr(sql, "1=1") == NULL);
    CHECK(strstr(params, "drop table signals") != NULL);
}

TEST(sql_of_each_field)
{
    char sql[4096], params[4096];

    sql_of("status:new", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND s.status = $1");
    CHECK_STR(params, "new");
    sql_of("status:new,waiting", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND s.status = ANY($1::text[])");
    CHECK_STR(params, "{new,waiting}");
    /* the open statuses are the text of the partial indexes */
    sql_of("status:open", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND s.status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting')");
    CHECK_STR(params, "");
    sql_of("-status:closed", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND (s.status = $1) IS NOT TRUE");
    sql_of("priority:high,urgent", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND s.priority = ANY($1::smallint[])");
    CHECK_STR(params, "{2,3}");
    sql_of("channel:web", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND s.channel = $1");
    sql_of("assignee:me", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND (s.assignee = current_user::text COLLATE \"default\")");
    sql_of("assignee:none,ivanova", sql, sizeof sql, params, sizeof params);
    CHECK(strstr(sql, "s.assignee IS NULL OR s.assignee IN (SELECT o.login") != NULL);
    CHECK_STR(params, "%ivanova%");
    sql_of("unit:mine", sql, sizeof sql, params, sizeof params);
    CHECK(strstr(sql, "o.login = current_user") != NULL);
    sql_of("cat:osvetlenie", sql, sizeof sql, params, sizeof params);
    CHECK(strstr(sql, "sd_latin(c.name) LIKE $1 OR sd_latin(coalesce(p.name, '')) LIKE $1") != NULL);
    CHECK_STR(params, "%osvetlenie%");
    sql_of("id:7,8", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND s.id = ANY($1::bigint[])");
    CHECK_STR(params, "{\"7\",\"8\"}");
    sql_of("id:7", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND s.id = $1::bigint");
    sql_of("reg:СО26-КЦ-000123", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND (s.reg_no = $1 OR s.id = (SELECT d.duplicate_of FROM signals d WHERE d.reg_no = $2))");
    sql_of("reg:123", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND ((s.search_latin LIKE $1 AND s.reg_no LIKE $2))");
    CHECK_STR(params, "%123% | %123");
    sql_of("since:1d", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND s.created_at >= $1::timestamptz");
    sql_of("overdue", sql, sizeof sql, params, sizeof params);
    CHECK(strstr(sql, "s.due_at < $1::timestamptz AND s.status IN (") != NULL);
    sql_of("created:2026-01-01..2026-01-31", sql, sizeof sql, params, sizeof params);
    CHECK_STR(sql, " AND (true AND s.created_at >= $1::timestamptz AND s.created_at < $2::timestamptz)");
}

TEST(dates_are_local_days)
{
    char sql[4096], params[4096];

    setenv("TZ", "Europe/Sofia", 1);
    tzset();
    sql_of("created:2026-01-01..2026-01-31", sql, sizeof sql, params, sizeof params);
    CHECK_STR(params, "2026-01-01 00:00:00+0200 | 2026-02-01 00:00:00+0200");
    sql_of("due:2026-07-15", sql, sizeof sql, params, sizeof params);
    CHECK_STR(params, "2026-07-15 00:00:00+0300 | 2026-07-16 00:00:00+0300");
}

TEST(completion_of_fields_and_values)
{
    const char *out[40];
    int n;

    n = query_complete_field("st", out, 40);
    CHECK_INT(n, 1);
    CHECK_STR(out[0], "status");
    n = query_complete_field("c", out, 40);
    CHECK_INT(n, 4);    /* cat, channel, created, changed */
    n = query_complete_field("ра", out, 40);
    CHECK_INT(n, 1);
    CHECK_STR(out[0], "район");
    n = query_complete_value(QF_STATUS, "re", out, 40);
    CHECK_INT(n, 3);    /* registered, resolved, rejected */
    n = query_complete_value(QF_STATUS, "", out, 40);
    CHECK_INT(n, 10);
    n = query_complete_value(QF_PRIORITY, "ур", out, 40);
    CHECK_INT(n, 0);
    n = query_complete_value(QF_PRIORITY, "сп", out, 40);
    CHECK_INT(n, 1);
    CHECK_STR(out[0], "спешен");
    n = query_complete_value(QF_ASSIGNEE, "m", out, 40);
    CHECK_INT(n, 1);
    CHECK_STR(out[0], "me");
    CHECK(query_field("Категория") != NULL);
    CHECK(query_field("nonsense") == NULL);
}

TEST(has_text_and_free_text)
{
    char buf[256];

    CHECK_INT(parse("status:new district:Люлин"), 0);
    CHECK_INT(query_has_text(&q), 0);
    query_free(&q);
    CHECK_INT(parse("status:new дупка \"Черни връх\""), 0);
    CHECK_INT(query_has_text(&q), 1);
    query_free_text(&q, "", buf, sizeof buf);
    CHECK_STR(buf, "дупка Черни връх");
    query_free(&q);
}

TEST(sort_and_columns)
{
    struct qsort so;
    enum qcol cols[QUERY_MAX_COLUMNS];
    char why[256];
    int widths[QUERY_MAX_COLUMNS], n, i, total;

    CHECK_INT(qsort_parse("due asc", &so, why, sizeof why), 0);
    CHECK_INT(so.col, QC_DUE);
    CHECK_INT(so.desc, 0);
    CHECK_INT(qsort_parse("priority", &so, why, sizeof why), 0);
    CHECK_INT(so.desc, 1);
    CHECK_INT(qsort_parse("age sideways", &so, why, sizeof why), -1);
    CHECK_INT(qsort_parse("colour", &so, why, sizeof why), -1);
    CHECK(strstr(why, "'colour' is not a column") != NULL);
    n = qcolumns_parse("reg, age, status, category, district, description", cols, QUERY_MAX_COLUMNS, why, sizeof why);
    CHECK_INT(n, 6);
    /* the layout the queue has always had at 80 and 120 columns */
    qcolumns_layout(cols, n, 80, widths);
    CHECK_INT(widths[3], 12);
    CHECK_INT(widths[5], 15);
    qcolumns_layout(cols, n, 120, widths);
    CHECK_INT(widths[3], 27);
    CHECK_INT(widths[5], 40);
    for (total = 2, i = 0; i < n; i++)
        total += widths[i] + (i < n - 1);
    CHECK_INT(total, 120);
    CHECK_INT(qcolumns_parse("reg, reg", cols, QUERY_MAX_COLUMNS, why, sizeof why), -1);
    CHECK_INT(qcolumns_parse("", cols, QUERY_MAX_COLUMNS, why, sizeof why), -1);
    CHECK_INT(qcolumns_parse("reg nonsense", cols, QUERY_MAX_COLUMNS, why, sizeof why), -1);
    /* every column of the table has a sort key and a type for it */
    for (i = 0; i < QC_COUNT; i++)
        CHECK(qcol_table[i].sort_sql && qcol_table[i].sort_type && qcol_table[i].name);
}

TEST_LIST = {
    { "empty_query_matches_everything", empty_query_matches_everything },
    { "the_example_of_the_manual_parses", the_example_of_the_manual_parses },
    { "aliases_and_bulgarian_names", aliases_and_bulgarian_names },
    { "quoted_values_and_lists", quoted_values_and_lists },
    { "dates_and_durations", dates_and_durations },
    { "errors_say_where_and_why", errors_say_where_and_why },
    { "limits_are_errors_not_crashes", limits_are_errors_not_crashes },
    { "statement_size_is_a_limit_too", statement_size_is_a_limit_too },
    { "sql_has_every_value_as_a_parameter", sql_has_every_value_as_a_parameter },
    { "sql_of_each_field", sql_of_each_field },
    { "dates_are_local_days", dates_are_local_days },
    { "completion_of_fields_and_values", completion_of_fields_and_values },
    { "has_text_and_free_text", has_text_and_free_text },
    { "sort_and_columns", sort_and_columns },
    { NULL, NULL }
};

/* CSV writing (libcsv's writer) read back with libcsv's parser, and the
 * block-character charts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "csvread.h"
#include "csvwrite.h"
#include "test.h"
#include "util.h"

struct back {
    char fields[8][8][128];
    size_t n[8];
    int records;
};

static int keep(void *ctx, const struct csv_record *rec)
{
    struct back *b = ctx;
    size_t i;

    if (b->records < 8) {
        b->n[b->records] = rec->n;
        for (i = 0; i < rec->n && i < 8; i++)
            str_copy(b->fields[b->records][i], sizeof b->fields[b->records][i], rec->fields[i]);
    }
    b->records++;
    return 0;
}

static const char *const tricky[] = {
    "Район „Лозенец“",
    "запетая, в текста",
    "точка; и запетая",
    "кавички \"вътре\"",
    "два\r\nреда",
    " интервал отпред",
    "",
};

/* Writes one record of tricky fields and a number, reads it back. */
static char *write_and_read(const struct csv_options *o, struct back *b, size_t *len)
{
    struct csv_writer w;
    char err[256], *buf = NULL;
    size_t size = 0, i;
    FILE *f = open_memstream(&buf, &size);

    csvw_start(&w, f, o);
    for (i = 0; i < ARRAY_SIZE(tricky); i++)
        csvw_text(&w, tricky[i]);
    csvw_fixed(&w, 125, 1);
    csvw_end(&w);
    csvw_text(&w, "second");
    csvw_int(&w, -42);
    csvw_end(&w);
    CHECK_INT(csvw_finish(&w), 0);
    fclose(f);
    *len = size;
    memset(b, 0, sizeof *b);
    f = fmemopen(buf, size, "r");
    if (o->bom)
        fseek(f, 3, SEEK_SET);
    CHECK_INT(csv_read(f, o->delimiter, keep, b, err, sizeof err), 0);
    fclose(f);
    return buf;
}

TEST(round_trip_with_commas)
{
    struct csv_options o;
    struct back b;
    size_t len, i;
    char *text;

    csv_options_default(&o);
    text = write_and_read(&o, &b, &len);
    CHECK(strncmp(text, "\xEF\xBB\xBF", 3) != 0);   /* no BOM unless asked */
    CHECK_INT(b.records, 2);
    CHECK_INT((long long)b.n[0], (long long)ARRAY_SIZE(tricky) + 1);
    for (i = 0; i < ARRAY_SIZE(tricky); i++)
        CHECK_STR(b.fields[0][i], tricky[i]);
    CHECK_STR(b.fields[0][ARRAY_SIZE(tricky)], "12.5");
    CHECK_STR(b.fields[1][1], "-42");
    /* RFC 4180: CRLF after every record; quotes only where needed */
    CHECK(len > 2 && text[len - 2] == '\r' && text[len - 1] == '\n');
    CHECK(strncmp(text, "Район „Лозенец“,\"запетая, в текста\",точка; и запетая,", 70) == 0);
    CHECK(strstr(text, "\"кавички \"\"вътре\"\"\"") != NULL);
    free(text);
}

TEST(bom_and_semicolons_for_spreadsheets)
{
    struct csv_options o;
    struct back b;
    size_t len, i;
    char *text;

    csv_options_default(&o);
    o.delimiter = ';';
    o.bom = 1;
    o.decimal_comma = 1;
    text = write_and_read(&o, &b, &len);
    CHECK(memcmp(text, "\xEF\xBB\xBF", 3) == 0);
    CHECK_INT(b.records, 2);
    for (i = 0; i < ARRAY_SIZE(tricky); i++)
        CHECK_STR(b.fields[0][i], tricky[i]);
    CHECK_STR(b.fields[0][ARRAY_SIZE(tricky)], "12,5");
    /* a comma is no reason to quote now, a semicolon is */
    CHECK(strstr(text, ";запетая, в текста;\"точка; и запетая\";") != NULL);
    free(text);
}

TEST(delimiter_names)
{
    unsigned char d = 0;

    CHECK_INT(csv_parse_delimiter("semicolon", &d), 0);
    CHECK_INT(d, ';');
    CHECK_INT(csv_parse_delimiter(",", &d), 0);
    CHECK_INT(d, ',');
    CHECK_INT(csv_parse_delimiter("pipe", &d), -1);
}

TEST(write_error_is_reported)
{
    struct csv_writer w;
    FILE *f = fopen("/dev/full", "w");

    if (!f)
        return;
    csvw_start(&w, f, NULL);
    csvw_text(&w, "нещо");
    csvw_end(&w);
    CHECK_INT(csvw_finish(&w), -1);
    fclose(f);
}

TEST(sparkline)
{
    long long v[] = { 0, 1, 4, 8, 2 };
    char out[64];

    chart_spark(v, 5, 0, out, sizeof out);
    CHECK_STR(out, " ▁▄█▂");
    chart_spark(v, 5, 16, out, sizeof out);
    CHECK_STR(out, " ▁▂▄▁");
    chart_spark(v, 0, 0, out, sizeof out);
    CHECK_STR(out, "");
}

TEST(bars_in_eighths)
{
    char out[128];

    chart_bar(10, 10, 4, out, sizeof out);
    CHECK_STR(out, "████");
    chart_bar(5, 10, 3, out, sizeof out);
    CHECK_STR(out, "█▌");
    chart_bar(1, 1000, 10, out, sizeof out);
    CHECK_STR(out, "▏");     /* something is never nothing */
    chart_bar(0, 10, 10, out, sizeof out);
    CHECK_STR(out, "");
    chart_bar(20, 10, 2, out, sizeof out);
    CHECK_STR(out, "██");
    CHECK_INT(utf8_width("█▌"), 2);
}

TEST_LIST = {
    { "round_trip_with_commas", round_trip_with_commas },
    { "bom_and_semicolons_for_spreadsheets", bom_and_semicolons_for_spreadsheets },
    { "delimiter_names", delimiter_names },
    { "write_error_is_reported", write_error_is_reported },
    { "sparkline", sparkline },
    { "bars_in_eighths", bars_in_eighths },
    { NULL, NULL }
};

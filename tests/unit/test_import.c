/* Unit tests of CSV reading, import profiles and the export's query
 * stand-in: no curses, no database. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "csvread.h"
#include "importcsv.h"
#include "test.h"
#include "util.h"

/* ---- csvread: records, lines, field positions ---------------------- */

struct seen {
    int n;
    long lines[16];
    long field_lines[16][4];
    char first[16][64];
    size_t nfields[16];
    size_t lens[16][4];
};

static int collect(void *ctx, const struct csv_record *rec)
{
    struct seen *s = ctx;
    size_t i;

    if (s->n < 16) {
        s->lines[s->n] = rec->line;
        s->nfields[s->n] = rec->n;
        str_copy(s->first[s->n], sizeof s->first[s->n], rec->fields[0]);
        for (i = 0; i < rec->n && i < 4; i++) {
            s->field_lines[s->n][i] = rec->lines[i];
            s->lens[s->n][i] = rec->lens[i];
        }
    }
    s->n++;
    return 0;
}

static int feed_all(const char *data, size_t len, size_t piece, unsigned char delim, size_t max, struct seen *s,
                    char *err, size_t errsz)
{
    struct csv_reader *r = csv_reader_new(delim, max, collect, s);
    size_t off = 0;
    int rc = 0;

    memset(s, 0, sizeof *s);
    while (rc == 0 && off < len) {
        size_t n = len - off < piece ? len - off : piece;

        rc = csv_reader_feed(r, data + off, n);
        off += n;
    }
    if (rc == 0)
        rc = csv_reader_finish(r);
    snprintf(err, errsz, "%s", csv_reader_error(r));
    csv_reader_free(r);
    return rc;
}

TEST(csv_lines_of_records_and_fields)
{
    /* a quoted field over two lines, CRLF endings, a blank line */
    static const char data[] = "a,b,c\r\n1,\"two\nlines\",3\r\n\r\n4,5,6\r\nx,\"y\",z";
    struct seen s;
    char err[256];
    size_t piece;

    /* the same result whatever the pieces the bytes come in */
    for (piece = 1; piece <= sizeof data; piece += piece < 8 ? 1 : 16) {
        CHECK_INT(feed_all(data, sizeof data - 1, piece, ',', 0, &s, err, sizeof err), 0);
        CHECK_INT(s.n, 4);
        CHECK_INT(s.lines[0], 1);
        CHECK_INT(s.lines[1], 2);
        CHECK_INT(s.field_lines[1][1], 2);      /* "two\nlines" starts on line 2 */
        CHECK_INT(s.field_lines[1][2], 3);      /* 3 stands on line 3 */
        CHECK_INT(s.lines[2], 5);               /* after the blank line 4 */
        CHECK_INT(s.lines[3], 6);
        CHECK_INT(s.lens[1][1], 9);
        CHECK_STR(s.first[3], "x");
    }
}

TEST(csv_nul_bytes_keep_their_length)
{
    static const char data[] = "a,b\n1,x\0y\n";
    struct seen s;
    char err[256];

    CHECK_INT(feed_all(data, sizeof data - 1, 64, ',', 0, &s, err, sizeof err), 0);
    CHECK_INT(s.n, 2);
    CHECK_INT(s.lens[1][1], 3);
}

TEST(csv_errors_name_the_line)
{
    struct seen s;
    char err[256], *big;

    CHECK_INT(feed_all("a,b\n1,2\n3,\"open\n", 16, 4, ',', 0, &s, err, sizeof err), -1);
    CHECK(strstr(err, "line 3") != NULL);
    CHECK_INT(feed_all("a,b\n1,2\n3,x\"y\"\n", 15, 64, ',', 0, &s, err, sizeof err), -1);
    CHECK(strstr(err, "line 3") != NULL);
    /* a field past the limit stops the reading early: memory stays bounded */
    big = xmalloc(300000);
    memset(big, 'x', 300000);
    memcpy(big, "a\n\"", 3);
    CHECK_INT(feed_all(big, 300000, 65536, ',', 100000, &s, err, sizeof err), -1);
    CHECK(strstr(err, "line 2") != NULL);
    CHECK(strstr(err, "100000") != NULL);
    free(big);
}

/* ---- dates ---------------------------------------------------------- */

TEST(import_dates)
{
    char out[64];

    CHECK_INT(import_parse_date("2026-11-20", "iso", out, sizeof out), 0);
    CHECK_STR(out, "2026-11-20 00:00:00");
    CHECK_INT(import_parse_date("2026-11-20T09:14:05.123456789+02", "iso", out, sizeof out), 0);
    CHECK_STR(out, "2026-11-20 09:14:05.123456+02:00");
    CHECK_INT(import_parse_date("2026-11-20 09:14:05-05:30", "iso", out, sizeof out), 0);
    CHECK_STR(out, "2026-11-20 09:14:05-05:30");
    CHECK_INT(import_parse_date("2026-11-20 09:14Z", "iso", out, sizeof out), 0);
    CHECK_STR(out, "2026-11-20 09:14:00+00:00");
    CHECK_INT(import_parse_date("2026-02-29", "iso", out, sizeof out), -1);
    CHECK_INT(import_parse_date("2024-02-29", "iso", out, sizeof out), 0);
    CHECK_INT(import_parse_date("2026-13-01", "iso", out, sizeof out), -1);
    CHECK_INT(import_parse_date("2026-11-20 25:00", "iso", out, sizeof out), -1);
    CHECK_INT(import_parse_date("yesterday", "iso", out, sizeof out), -1);
    CHECK_INT(import_parse_date("03.09.2019 08:15", "%d.%m.%Y %H:%M | %d.%m.%Y", out, sizeof out), 0);
    CHECK_STR(out, "2019-09-03 08:15:00");
    CHECK_INT(import_parse_date("03.09.2019", "%d.%m.%Y %H:%M | %d.%m.%Y", out, sizeof out), 0);
    CHECK_STR(out, "2019-09-03 00:00:00");
    CHECK_INT(import_parse_date("31.02.2019", "%d.%m.%Y", out, sizeof out), -1);
    CHECK_INT(import_parse_date("03.09.2019 trailing", "%d.%m.%Y", out, sizeof out), -1);
}

/* ---- profiles and reading a whole file ------------------------------ */

static const char *const city_profile[] = {
    "source", "city",
    "date_format", "%d.%m.%Y %H:%M",
    "column.source_id", "No",
    "column.created", "Date",
    "column.category", "Type",
    "column.status", "State",
    "column.title", "Title",
    "column.description", "Text",
    "column.lat", "Lat",
    "default.district", "Младост",
    "map.status.Открит", "new",
    "map.status.Closed", "closed",
    "map.category.Боклук", "Неизвозени контейнери за смет",
    "map.category.*", "Информация и въпроси",
    NULL,
};

struct sinkbuf {
    struct strbuf sb;
};

static int to_buf(void *ctx, const char *buf, size_t len)
{
    sb_addn(&((struct sinkbuf *)ctx)->sb, buf, len);
    return 0;
}

TEST(import_profile_errors)
{
    struct import_profile p;
    char err[512];
    static const char *const bad_field[] = { "column.categroy", "Type", NULL };
    static const char *const bad_enc[] = { "encoding", "latin9", NULL };
    static const char *const bad_map[] = { "map.status", "x", NULL };

    CHECK_INT(import_profile_from_pairs("x", bad_field, &p, err, sizeof err), -1);
    CHECK(strstr(err, "categroy") != NULL);
    CHECK_INT(import_profile_from_pairs("x", bad_enc, &p, err, sizeof err), -1);
    CHECK(strstr(err, "latin9") != NULL);
    CHECK_INT(import_profile_from_pairs("x", bad_map, &p, err, sizeof err), -1);
    CHECK_INT(import_profile_from_pairs("x", city_profile, &p, err, sizeof err), 0);
    import_profile_free(&p);
}

TEST(import_maps_defaults_and_copy_text)
{
    static const char data[] =
        "\xEF\xBB\xBFNo;Date;Type;State;Title;Text;Lat\r\n"
        "7;03.09.2019 08:15;боклук;открит;Кофи;\"Не са \\ извозени;\nот петък\";42.5\r\n"
        "8;04.09.2019 09:00;Something else;CLOSED;;\"\ttab\t\";\r\n";
    struct import_profile p;
    struct import_report *rep = xcalloc(1, sizeof *rep);
    struct sinkbuf out;
    char err[512];

    CHECK_INT(import_profile_from_pairs("city", city_profile, &p, err, sizeof err), 0);
    sb_init(&out.sb);
    CHECK_INT(import_read_buffer(data, sizeof data - 1, &p, to_buf, &out, rep), 0);
    CHECK_INT(rep->encoding, ENC_UTF8);
    CHECK_INT(rep->delim, ';');
    CHECK_INT(rep->rows, 2);
    CHECK_INT(rep->nerrors, 0);
    CHECK_STR(out.sb.buf,
              "2\t7\t\\N\t\\N\t2019-09-03 08:15:00\t\\N\tНеизвозени контейнери за смет\tМладост\t\\N\t42.5\t\\N\t"
              "Кофи\\nНе са \\\\ извозени;\\nот петък\tnew\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n"
              "4\t8\t\\N\t\\N\t2019-09-04 09:00:00\t\\N\tИнформация и въпроси\tМладост\t\\N\t\\N\t\\N\t"
              "\\ttab\\t\tclosed\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n");
    sb_free(&out.sb);
    free(rep);
    import_profile_free(&p);
}

TEST(import_windows_1251_detected)
{
    /* "No;Date;Type;State;Title;Text;Lat" and a row with Cyrillic in CP1251 */
    static const char data[] = "No;Date;Type;State;Title;Text;Lat\r\n"
                               "1;01.01.2020 10:00;\xC1\xEE\xEA\xEB\xF3\xEA;Closed;;\xD2\xE5\xEA\xF1\xF2;\r\n";
    struct import_profile p;
    struct import_report *rep = xcalloc(1, sizeof *rep);
    struct sinkbuf out;
    char err[512];

    CHECK_INT(import_profile_from_pairs("city", city_profile, &p, err, sizeof err), 0);
    sb_init(&out.sb);
    CHECK_INT(import_read_buffer(data, sizeof data - 1, &p, to_buf, &out, rep), 0);
    CHECK_INT(rep->encoding, ENC_CP1251);
    CHECK_INT(rep->nerrors, 0);
    CHECK(out.sb.buf && strstr(out.sb.buf, "\tНеизвозени контейнери за смет\t") != NULL);
    CHECK(out.sb.buf && strstr(out.sb.buf, "\tТекст\t") != NULL);
    sb_free(&out.sb);
    free(rep);
    import_profile_free(&p);
}

TEST(import_tab_separated_detected)
{
    static const char data[] = "No\tDate\tType\tState\tTitle\tText\tLat\n"
                               "9\t01.01.2020 10:00\tБоклук\tClosed\t\t  two  spaces \t\n";
    struct import_profile p;
    struct import_report *rep = xcalloc(1, sizeof *rep);
    struct sinkbuf out;
    char err[512];

    CHECK_INT(import_profile_from_pairs("city", city_profile, &p, err, sizeof err), 0);
    sb_init(&out.sb);
    CHECK_INT(import_read_buffer(data, sizeof data - 1, &p, to_buf, &out, rep), 0);
    CHECK_INT(rep->delim, '\t');
    CHECK_INT(rep->nerrors, 0);
    /* empty cells between tabs stay cells; spaces around a value are dropped */
    CHECK(out.sb.buf && strstr(out.sb.buf, "\t\\N\t\\N\ttwo  spaces\tclosed\t") != NULL);
    sb_free(&out.sb);
    free(rep);
    import_profile_free(&p);
}

TEST(import_bad_rows_are_reported_by_line_and_column)
{
    static const char data[] = "No,Date,Type,State,Title,Text,Lat\n"
                               "1,01.01.2020 10:00,x,Closed,Кофи,\"two\nlines\",\n"
                               "2,2020-01-01,x,Closed,,t,\n"          /* line 4: date */
                               "3,01.01.2020 10:00,x,gone,,t,91\n"     /* line 5: status, lat */
                               "4,01.01.2020 10:00,x\n"                /* line 6: too few */
                               "5,01.01.2020 10:00,x,Closed,,a\xff,\n" /* line 7: not UTF-8 */
                               "6,01.01.2020 10:00,x,Closed,,a\0b,\n"; /* line 8: NUL */
    struct import_profile p;
    struct import_report *rep = xcalloc(1, sizeof *rep);
    struct sinkbuf out;
    char err[512];

    CHECK_INT(import_profile_from_pairs("city", city_profile, &p, err, sizeof err), 0);
    sb_init(&out.sb);
    CHECK_INT(import_read_buffer(data, sizeof data - 1, &p, to_buf, &out, rep), 0);
    CHECK_INT(rep->encoding, ENC_UTF8);
    CHECK_INT(rep->rows, 6);
    CHECK_INT(rep->nerrors, 6);
    if (CHECK_INT(rep->shown, 6)) {
        CHECK_INT(rep->errors[0].line, 4);
        CHECK_STR(rep->errors[0].column, "Date");
        CHECK_INT(rep->errors[1].line, 5);
        CHECK_STR(rep->errors[1].column, "Lat");
        CHECK_INT(rep->errors[2].line, 5);
        CHECK_STR(rep->errors[2].column, "State");
        CHECK_INT(rep->errors[3].line, 6);
        CHECK_STR(rep->errors[3].column, "");
        CHECK_INT(rep->errors[4].line, 7);
        CHECK_STR(rep->errors[4].column, "Text");
        CHECK_INT(rep->errors[5].line, 8);
        CHECK(strstr(rep->errors[5].reason, "NUL") != NULL);
    }
    /* only the good row went on, with its own line */
    CHECK(out.sb.buf && strncmp(out.sb.buf, "2\t1\t", 4) == 0 && !strchr(strchr(out.sb.buf, '\n') + 1, '\n'));
    sb_free(&out.sb);
    free(rep);
    import_profile_free(&p);
}

TEST(import_first_hundred_errors_then_a_count)
{
    struct import_profile p;
    struct import_report *rep = xcalloc(1, sizeof *rep);
    struct strbuf data;
    char err[512];
    int i;

    sb_init(&data);
    sb_add(&data, "No,Date,Type,State,Title,Text,Lat\n");
    for (i = 0; i < 250; i++)
        sb_addf(&data, "%d,not a date,x,Closed,,t,\n", i);
    CHECK_INT(import_profile_from_pairs("city", city_profile, &p, err, sizeof err), 0);
    CHECK_INT(import_read_buffer(data.buf, data.len, &p, NULL, NULL, rep), 0);
    CHECK_INT(rep->nerrors, 250);
    CHECK_INT(rep->shown, IMPORT_MAX_ERRORS);
    CHECK_INT(rep->errors[99].line, 101);
    sb_free(&data);
    free(rep);
    import_profile_free(&p);
}

TEST(import_whole_file_problems)
{
    struct import_profile p;
    struct import_report *rep = xcalloc(1, sizeof *rep);
    char err[512];

    CHECK_INT(import_profile_from_pairs("city", city_profile, &p, err, sizeof err), 0);
    CHECK_INT(import_read_buffer("", 0, &p, NULL, NULL, rep), -1);
    CHECK(strstr(rep->fatal, "empty") != NULL);
    CHECK_INT(import_read_buffer("\xEF\xBB\xBF", 3, &p, NULL, NULL, rep), -1);
    CHECK(strstr(rep->fatal, "empty") != NULL);
    CHECK_INT(import_read_buffer("No,Date\n1,2\n", 12, &p, NULL, NULL, rep), -1);
    CHECK(strstr(rep->fatal, "no column 'Type'") != NULL);
    CHECK_INT(import_read_buffer("\xFF\xFEN\0o\0", 6, &p, NULL, NULL, rep), -1);
    CHECK(strstr(rep->fatal, "UTF-16") != NULL);
    /* only the column names: nothing to do, and no error */
    CHECK_INT(import_read_buffer("No,Date,Type,State,Title,Text,Lat\n", 34, &p, NULL, NULL, rep), 0);
    CHECK_INT(rep->rows, 0);
    CHECK_INT(rep->nerrors, 0);
    free(rep);
    import_profile_free(&p);
}

TEST(import_profile_from_the_config_file)
{
    struct config cfg;
    struct import_profile p;
    char err[1024], path[] = "/tmp/sd-test-import-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");

    fputs("[import Town]\nsource = town\ndelimiter = semicolon\ncolumn.category = Вид\n"
          "map.category.Боклук = Неизвозени контейнери за смет\n",
          f);
    fclose(f);
    CHECK_INT(config_load(&cfg, path, err, sizeof err), 0);
    CHECK_INT(import_profile_load(&cfg, "town", &p, err, sizeof err), 0);
    CHECK_STR(p.source, "town");
    CHECK_INT(p.delim, ';');
    CHECK_STR(p.columns[IF_CATEGORY], "Вид");
    CHECK_INT((long)p.nmaps[IF_CATEGORY], 1);
    import_profile_free(&p);
    CHECK_INT(import_profile_load(&cfg, "signaldesk", &p, err, sizeof err), 0);   /* built in */
    CHECK_STR(p.columns[IF_DESCRIPTION], "detail");
    import_profile_free(&p);
    CHECK_INT(import_profile_load(&cfg, "nowhere", &p, err, sizeof err), -1);
    config_free(&cfg);

    /* a typing error in a profile names the file and the line */
    f = fopen(path, "w");
    fputs("[import town]\nsource = town\ncolumn.categroy = Вид\n", f);
    fclose(f);
    CHECK_INT(config_load(&cfg, path, err, sizeof err), -1);
    CHECK(strstr(err, ":3: ") != NULL && strstr(err, "categroy") != NULL);
    config_free(&cfg);
    unlink(path);
}

TEST_LIST = {
    { "csv_lines_of_records_and_fields", csv_lines_of_records_and_fields },
    { "csv_nul_bytes_keep_their_length", csv_nul_bytes_keep_their_length },
    { "csv_errors_name_the_line", csv_errors_name_the_line },
    { "import_dates", import_dates },
    { "import_profile_errors", import_profile_errors },
    { "import_maps_defaults_and_copy_text", import_maps_defaults_and_copy_text },
    { "import_windows_1251_detected", import_windows_1251_detected },
    { "import_tab_separated_detected", import_tab_separated_detected },
    { "import_bad_rows_are_reported_by_line_and_column", import_bad_rows_are_reported_by_line_and_column },
    { "import_first_hundred_errors_then_a_count", import_first_hundred_errors_then_a_count },
    { "import_whole_file_problems", import_whole_file_problems },
    { "import_profile_from_the_config_file", import_profile_from_the_config_file },
    { NULL, NULL },
};

/* How a duplicate candidate reads: cells cut and padded by columns, the
 * parts of the score in words, one line exactly as wide as asked. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#include "dupefmt.h"
#include "test.h"
#include "util.h"

static void utf8(void)
{
    setlocale(LC_ALL, "C.UTF-8");
}

TEST(cells_pad_and_cut_by_columns)
{
    char out[256];

    utf8();
    out[0] = '\0';
    fmt_cell(out, sizeof out, "нов", 6, 0);
    CHECK_STR(out, "нов   ");
    out[0] = '\0';
    fmt_cell(out, sizeof out, "35 м", 7, 1);
    CHECK_STR(out, "   35 м");
    out[0] = '\0';
    fmt_cell(out, sizeof out, "Улично осветление", 8, 0);
    CHECK_STR(out, "Улично… ");
    CHECK_INT(utf8_width(out), 8);
    out[0] = '\0';
    fmt_cell(out, sizeof out, "x", 0, 0);
    CHECK_STR(out, "");
    /* a small buffer is never overrun */
    {
        char tiny[8] = "";

        fmt_cell(tiny, sizeof tiny, "Улично осветление", 20, 0);
        CHECK(strlen(tiny) < sizeof tiny);
    }
}

TEST(place_in_metres_or_the_address)
{
    struct dupe_candidate c;
    char out[64];

    utf8();
    memset(&c, 0, sizeof c);
    c.distance_m = 35.4;
    dupe_fmt_place(&c, out, sizeof out);
    CHECK_STR(out, "35 m");
    c.distance_m = 1249;
    dupe_fmt_place(&c, out, sizeof out);
    CHECK_STR(out, "1.2 km");
    c.distance_m = 999.7;
    dupe_fmt_place(&c, out, sizeof out);
    CHECK_STR(out, "1.0 km");
    c.by_address = 1;
    dupe_fmt_place(&c, out, sizeof out);
    CHECK_STR(out, "address");
    dupe_fmt_pct(0.724, out, sizeof out);
    CHECK_STR(out, "72%");
}

TEST(time_before_or_after)
{
    char out[64];

    dupe_fmt_when(-0.02, out, sizeof out);
    CHECK_STR(out, "<1 h before");
    dupe_fmt_when(0.5, out, sizeof out);
    CHECK_STR(out, "12 h after");
    dupe_fmt_when(-9.3, out, sizeof out);
    CHECK_STR(out, "9 d before");
    dupe_fmt_when(-95, out, sizeof out);
    CHECK_STR(out, "3 mo before");
}

TEST(one_line_as_wide_as_asked)
{
    struct dupe_candidate c;
    char out[1024];
    int width;

    utf8();
    memset(&c, 0, sizeof c);
    strcpy(c.reg_no, "СО26-КЦ-000161");
    strcpy(c.status, "registered");
    strcpy(c.summary, "Лампата пред входа не свети, тъмно е вечер.");
    c.distance_m = 35;
    c.text_sim = 0.49;
    c.days_apart = -0.02;
    c.score = 0.76;
    for (width = 70; width <= 140; width += 7) {
        dupe_format_line(&c, width, 1, 1, 1, out, sizeof out);
        CHECK_INT(utf8_width(out), width);
        CHECK(strncmp(out, "▶*СО26-КЦ-000161", strlen("▶*СО26-КЦ-000161")) == 0);
        dupe_format_header(width, 0, out, sizeof out);
        CHECK_INT(utf8_width(out), width);
    }
    dupe_format_line(&c, 78, 0, 0, 0, out, sizeof out);
    CHECK_STR(out, "СО26-КЦ-000161     76%    35 m   49% <1 h before registered  Лампата пред вхо…");
}

static int load_ini(const char *text, struct config *cfg, char *err, size_t errsz)
{
    char path[] = "/tmp/signaldesk-dupes-XXXXXX";
    int fd = mkstemp(path), rc;
    FILE *f;

    if (fd < 0)
        return -2;
    f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    rc = config_load(cfg, path, err, errsz);
    unlink(path);
    return rc;
}

TEST(dupes_settings_are_checked)
{
    struct config cfg;
    char err[512];

    CHECK_INT(load_ini("[ui]\nlanguage = en\n", &cfg, err, sizeof err), 0);
    CHECK_INT(cfg.dupes_radius_m, 250);
    CHECK_INT(cfg.dupes_days, 30);
    CHECK_INT(cfg.dupes_similarity_pct, 30);
    CHECK_INT(cfg.dupes_far_m, 1000);
    config_free(&cfg);
    CHECK_INT(load_ini("[dupes]\nradius_m = 150\ndays = 7\nsimilarity = 40\nfar_m = 0\n", &cfg, err, sizeof err), 0);
    CHECK_INT(cfg.dupes_radius_m, 150);
    CHECK_INT(cfg.dupes_days, 7);
    CHECK_INT(cfg.dupes_similarity_pct, 40);
    CHECK_INT(cfg.dupes_far_m, 0);
    config_free(&cfg);
    /* a typing error stops with the line */
    CHECK_INT(load_ini("[dupes]\n\nradius_m = 5\n", &cfg, err, sizeof err), -1);
    CHECK(strstr(err, ":3: radius_m must be a whole number from 10 to 10000") != NULL);
    config_free(&cfg);
    CHECK_INT(load_ini("[dupes]\nradius = 100\n", &cfg, err, sizeof err), -1);
    CHECK(strstr(err, ":2: unknown key 'radius' in [dupes]") != NULL);
    config_free(&cfg);
}

TEST_LIST = {
    { "dupes_settings_are_checked", dupes_settings_are_checked },
    { "cells_pad_and_cut_by_columns", cells_pad_and_cut_by_columns },
    { "place_in_metres_or_the_address", place_in_metres_or_the_address },
    { "time_before_or_after", time_before_or_after },
    { "one_line_as_wide_as_asked", one_line_as_wide_as_asked },
    { NULL, NULL }
};

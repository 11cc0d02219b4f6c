/* Periods of whole days in the local time zone, as the reports ask for them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "period.h"
#include "test.h"

static const struct day today = { 2026, 11, 20 };

static int parse(const char *text, struct period *p)
{
    char err[256];

    return period_parse(text, &today, p, err, sizeof err);
}

#define CHECK_DAY(x, yy, mm, dd) \
    do { CHECK_INT((x).y, yy); CHECK_INT((x).m, mm); CHECK_INT((x).d, dd); } while (0)

static void sofia(void)
{
    setenv("TZ", "Europe/Sofia", 1);
    tzset();
}

TEST(forms_of_a_period)
{
    struct period p;

    sofia();
    CHECK_INT(parse("2026-11-01..2026-11-20", &p), 0);
    CHECK_DAY(p.from, 2026, 11, 1);
    CHECK_DAY(p.to, 2026, 11, 20);
    CHECK_INT(parse("01.11.2026-20.11.2026", &p), 0);
    CHECK_DAY(p.to, 2026, 11, 20);
    CHECK_INT(parse(" 01.11.2026 – 05.11.2026 ", &p), 0);
    CHECK_DAY(p.to, 2026, 11, 5);
    CHECK_INT(parse("2026-11-01 2026-11-03", &p), 0);
    CHECK_INT(period_days(&p), 3);
    CHECK_INT(parse("2026-02", &p), 0);
    CHECK_DAY(p.to, 2026, 2, 28);
    CHECK_INT(parse("02.2024", &p), 0);
    CHECK_DAY(p.to, 2024, 2, 29);
    CHECK_INT(parse("2025", &p), 0);
    CHECK_DAY(p.from, 2025, 1, 1);
    CHECK_DAY(p.to, 2025, 12, 31);
    CHECK_INT(parse("2026-11-05", &p), 0);
    CHECK_INT(period_days(&p), 1);
    CHECK_INT(parse("7d", &p), 0);
    CHECK_DAY(p.from, 2026, 11, 14);
    CHECK_DAY(p.to, 2026, 11, 20);
    CHECK_INT(parse("2w", &p), 0);
    CHECK_DAY(p.from, 2026, 11, 7);
    CHECK_INT(parse("1m", &p), 0);
    CHECK_DAY(p.from, 2026, 10, 21);
    CHECK_INT(parse("12m", &p), 0);
    CHECK_DAY(p.from, 2025, 11, 21);
}

TEST(bad_periods)
{
    struct period p;
    char err[256];

    sofia();
    CHECK_INT(parse("", &p), -1);
    CHECK_INT(parse("вчера", &p), -1);
    CHECK_INT(parse("2026-02-30", &p), -1);
    CHECK_INT(parse("2026-11-20..2026-11-01", &p), -1);
    CHECK_INT(parse("0d", &p), -1);
    CHECK_INT(parse("2000..2026", &p), -1);
    CHECK_INT(period_parse("1990-01-01..2026-01-01", &today, &p, err, sizeof err), -1);
    CHECK(strstr(err, "3700") != NULL);
}

TEST(bounds_are_local_midnights)
{
    struct period p;
    time_t from, to;
    struct tm tm;

    sofia();
    /* the clocks go forward on 29.03.2026: that day has 23 hours */
    CHECK_INT(parse("2026-03-29", &p), 0);
    period_bounds(&p, &from, &to);
    CHECK_INT((long long)(to - from), 23 * 3600);
    localtime_r(&from, &tm);
    CHECK_INT(tm.tm_hour, 0);
    gmtime_r(&from, &tm);
    CHECK_INT(tm.tm_hour, 22);  /* 00:00 in Sofia is 22:00 UTC in winter */
}

TEST(groups_of_days_weeks_months)
{
    struct day s[64];
    struct period p;
    int n;

    sofia();
    CHECK_INT(parse("2026-11-01..2026-11-20", &p), 0);
    CHECK_INT(period_grouping(&p, GROUP_AUTO), GROUP_DAY);
    CHECK_INT(period_groups(&p, GROUP_DAY, s, 64), 20);
    /* 01.11.2026 is a Sunday: then Mondays */
    n = period_groups(&p, GROUP_WEEK, s, 64);
    CHECK_INT(n, 4);
    CHECK_DAY(s[0], 2026, 11, 1);
    CHECK_DAY(s[1], 2026, 11, 2);
    CHECK_DAY(s[3], 2026, 11, 16);
    CHECK_INT(parse("2025-12-15..2026-03-10", &p), 0);
    CHECK_INT(period_grouping(&p, GROUP_AUTO), GROUP_WEEK);
    n = period_groups(&p, GROUP_MONTH, s, 64);
    CHECK_INT(n, 4);
    CHECK_DAY(s[0], 2025, 12, 15);
    CHECK_DAY(s[1], 2026, 1, 1);
    CHECK_DAY(s[3], 2026, 3, 1);
    CHECK_INT(parse("2024..2026", &p), -1);
    CHECK_INT(parse("2024-01-01..2026-06-30", &p), 0);
    CHECK_INT(period_grouping(&p, GROUP_AUTO), GROUP_MONTH);
    CHECK_INT(day_weekday(&today), 4);  /* Friday */
}

TEST(grouping_names)
{
    CHECK_INT(grouping_parse("week"), GROUP_WEEK);
    CHECK_INT(grouping_parse("fortnight"), -1);
    CHECK_STR(grouping_name(GROUP_MONTH), "month");
}

static int load_ini(const char *text, struct config *cfg, char *err, size_t errsz)
{
    char path[] = "/tmp/signaldesk-test-XXXXXX";
    int fd = mkstemp(path), rc;
    FILE *f = fdopen(fd, "w");

    fputs(text, f);
    fclose(f);
    rc = config_load(cfg, path, err, errsz);
    unlink(path);
    return rc;
}

TEST(report_settings_in_the_ini)
{
    struct config cfg;
    char err[512];

    CHECK_INT(load_ini("[reports]\nperiod = 2026-11\nstalled_days = 10\ncsv_delimiter = semicolon\n"
                       "csv_bom = yes\n", &cfg, err, sizeof err), 0);
    CHECK_STR(cfg.report_period, "2026-11");
    CHECK_INT(cfg.report_stalled_days, 10);
    CHECK_INT(cfg.csv_delimiter, ';');
    CHECK_INT(cfg.csv_bom, 1);
    config_free(&cfg);
    CHECK_INT(load_ini("", &cfg, err, sizeof err), 0);
    CHECK_STR(cfg.report_period, "30d");
    CHECK_INT(cfg.csv_delimiter, ',');
    CHECK_INT(cfg.csv_bom, 0);
    config_free(&cfg);
    CHECK_INT(load_ini("[reports]\n\nperiod = вчера\n", &cfg, err, sizeof err), -1);
    CHECK(strstr(err, ":3: period:") != NULL);
    config_free(&cfg);
    CHECK_INT(load_ini("[reports]\ncsv_delimiter = ;\n", &cfg, err, sizeof err), -1);
    config_free(&cfg);
    CHECK_INT(load_ini("[reports]\nstalled_days = 0\n", &cfg, err, sizeof err), -1);
    config_free(&cfg);
}

TEST_LIST = {
    { "report_settings_in_the_ini", report_settings_in_the_ini },
    { "forms_of_a_period", forms_of_a_period },
    { "bad_periods", bad_periods },
    { "bounds_are_local_midnights", bounds_are_local_midnights },
    { "groups_of_days_weeks_months", groups_of_days_weeks_months },
    { "grouping_names", grouping_names },
    { NULL, NULL }
};

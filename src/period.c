#include "period.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

static struct tm tm_of(const struct day *d)
{
    struct tm tm;

    memset(&tm, 0, sizeof tm);
    tm.tm_year = d->y - 1900;
    tm.tm_mon = d->m - 1;
    tm.tm_mday = d->d;
    tm.tm_hour = 12;    /* noon: never in a DST gap */
    tm.tm_isdst = -1;
    return tm;
}

static int valid(const struct day *d)
{
    struct tm tm;

    if (d->y < 1900 || d->y > 9999 || d->m < 1 || d->m > 12 || d->d < 1 || d->d > 31)
        return 0;
    tm = tm_of(d);
    if (mktime(&tm) == (time_t)-1)
        return 0;
    return tm.tm_year == d->y - 1900 && tm.tm_mon == d->m - 1 && tm.tm_mday == d->d;
}

/* Digits only, exactly n of them. */
static int number(const char *s, size_t n, int *out)
{
    size_t i;
    int v = 0;

    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int day_parse(const char *s, struct day *out)
{
    size_t n = strlen(s);
    struct day d;

    if (n == 10 && s[4] == '-' && s[7] == '-' && number(s, 4, &d.y) == 0 && number(s + 5, 2, &d.m) == 0 &&
        number(s + 8, 2, &d.d) == 0) {
        /* 2026-11-01 */
    } else if (n == 10 && s[2] == '.' && s[5] == '.' && number(s, 2, &d.d) == 0 && number(s + 3, 2, &d.m) == 0 &&
               number(s + 6, 4, &d.y) == 0) {
        /* 01.11.2026 */
    } else {
        return -1;
    }
    if (!valid(&d))
        return -1;
    *out = d;
    return 0;
}

void day_of(time_t t, struct day *out)
{
    struct tm tm;

    localtime_r(&t, &tm);
    out->y = tm.tm_year + 1900;
    out->m = tm.tm_mon + 1;
    out->d = tm.tm_mday;
}

time_t day_start(const struct day *d)
{
    struct tm tm = tm_of(d);

    tm.tm_hour = 0;
    return mktime(&tm);
}

struct day day_add(struct day d, int n)
{
    struct tm tm = tm_of(&d);
    struct day out;

    tm.tm_mday += n;
    mktime(&tm);
    out.y = tm.tm_year + 1900;
    out.m = tm.tm_mon + 1;
    out.d = tm.tm_mday;
    return out;
}

int day_weekday(const struct day *d)
{
    struct tm tm = tm_of(d);

    mktime(&tm);
    return (tm.tm_wday + 6) % 7;
}

int day_cmp(const struct day *a, const struct day *b)
{
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    if (a->m != b->m)
        return a->m < b->m ? -1 : 1;
    if (a->d != b->d)
        return a->d < b->d ? -1 : 1;
    return 0;
}

void day_iso(const struct day *d, char *out, size_t size)
{
    snprintf(out, size, "%04d-%02d-%02d", d->y, d->m, d->d);
}

void day_text(const struct day *d, char *out, size_t size)
{
    snprintf(out, size, "%02d.%02d.%04d", d->d, d->m, d->y);
}

static int days_in_month(int y, int m)
{
    static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return n[m - 1];
}

/* "7d", "4w", "3m": the last ones up to today. */
static int relative(const char *s, const struct day *today, struct period *p)
{
    char *end;
    long n = strtol(s, &end, 10);

    if (end == s || n <= 0 || n > 1200 || end[1] != '\0')
        return -1;
    p->to = *today;
    switch (*end) {
    case 'd': case 'D':
        p->from = day_add(*today, (int)-(n - 1));
        return 0;
    case 'w': case 'W':
        p->from = day_add(*today, (int)-(7 * n - 1));
        return 0;
    case 'm': case 'M': {
        struct day f = *today;
        int months = (int)n;

        f.m -= months % 12;
        f.y -= months / 12;
        if (f.m < 1) {
            f.m += 12;
            f.y--;
        }
        if (f.d > days_in_month(f.y, f.m))
            f.d = days_in_month(f.y, f.m);
        p->from = day_add(f, 1);
        return 0;
    }
    default:
        return -1;
    }
}

/* A month ("2026-11", "11.2026") or a year ("2026"). */
static int whole(const char *s, struct period *p)
{
    size_t n = strlen(s);
    int y, m;

    if (n == 4 && number(s, 4, &y) == 0 && y >= 1900) {
        p->from = (struct day){ y, 1, 1 };
        p->to = (struct day){ y, 12, 31 };
        return 0;
    }
    if (n == 7 && s[4] == '-' && number(s, 4, &y) == 0 && number(s + 5, 2, &m) == 0) {
        /* 2026-11 */
    } else if (n == 7 && s[2] == '.' && number(s, 2, &m) == 0 && number(s + 3, 4, &y) == 0) {
        /* 11.2026 */
    } else {
        return -1;
    }
    if (y < 1900 || m < 1 || m > 12)
        return -1;
    p->from = (struct day){ y, m, 1 };
    p->to = (struct day){ y, m, days_in_month(y, m) };
    return 0;
}

/* Splits "A..B", "A – B", "A - B", "A B" (and "A-B" for dotted dates). */
static int split(char *s, char **a, char **b)
{
    static const char *const seps[] = { "..", "–", " - ", " " };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(seps); i++) {
        char *at = strstr(s, seps[i]);

        if (at) {
            *at = '\0';
            *a = str_trim(s);
            *b = str_trim(at + strlen(seps[i]));
            return 0;
        }
    }
    if (strlen(s) == 21 && s[2] == '.' && s[10] == '-') {
        s[10] = '\0';
        *a = s;
        *b = s + 11;
        return 0;
    }
    return -1;
}

int period_parse(const char *text, const struct day *today, struct period *p, char *err, size_t errsz)
{
    char buf[128], *s, *a, *b;
    struct period q;

    str_copy(buf, sizeof buf, text ? text : "");
    s = str_trim(buf);
    if (!*s) {
        snprintf(err, errsz, "%s", _("Give a period, e.g. 2026-11-01..2026-11-20, 2026-11 or 30d."));
        return -1;
    }
    if (relative(s, today, &q) == 0 || whole(s, &q) == 0) {
        /* done */
    } else if (day_parse(s, &q.from) == 0) {
        q.to = q.from;
    } else if (split(s, &a, &b) == 0 && day_parse(a, &q.from) == 0 && day_parse(b, &q.to) == 0) {
        /* done */
    } else {
        snprintf(err, errsz, _("'%s' is not a period; write e.g. 2026-11-01..2026-11-20, 01.11.2026-20.11.2026, "
                               "2026-11, 2026 or 30d."),
                 s);
        return -1;
    }
    if (day_cmp(&q.from, &q.to) > 0) {
        snprintf(err, errsz, "%s", _("The period ends before it begins."));
        return -1;
    }
    if (period_days(&q) > PERIOD_MAX_DAYS) {
        snprintf(err, errsz, _("A period may be at most %d days long."), PERIOD_MAX_DAYS);
        return -1;
    }
    *p = q;
    return 0;
}

int period_days(const struct period *p)
{
    struct tm a = tm_of(&p->from), b = tm_of(&p->to);
    time_t ta = mktime(&a), tb = mktime(&b);

    /* noon to noon: DST moves it by an hour at most */
    return (int)((tb - ta + 43200) / 86400) + 1;
}

void period_bounds(const struct period *p, time_t *from, time_t *to)
{
    struct day end = day_add(p->to, 1);

    *from = day_start(&p->from);
    *to = day_start(&end);
}

enum grouping period_grouping(const struct period *p, enum grouping g)
{
    int n;

    if (g != GROUP_AUTO)
        return g;
    n = period_days(p);
    if (n <= 62)
        return GROUP_DAY;
    if (n <= 7 * 60)
        return GROUP_WEEK;
    return GROUP_MONTH;
}

int period_groups(const struct period *p, enum grouping g, struct day *starts, int max)
{
    struct day d = p->from;
    int n = 0;

    g = period_grouping(p, g);
    while (n < max && day_cmp(&d, &p->to) <= 0) {
        starts[n++] = d;
        if (g == GROUP_DAY) {
            d = day_add(d, 1);
        } else if (g == GROUP_WEEK) {
            d = day_add(d, 7 - day_weekday(&d));
        } else {
            d.d = 1;
            if (++d.m > 12) {
                d.m = 1;
                d.y++;
            }
        }
    }
    return n;
}

const char *grouping_name(enum grouping g)
{
    switch (g) {
    case GROUP_DAY: return "day";
    case GROUP_WEEK: return "week";
    case GROUP_MONTH: return "month";
    default: return "auto";
    }
}

int grouping_parse(const char *s)
{
    if (strcmp(s, "day") == 0)
        return GROUP_DAY;
    if (strcmp(s, "week") == 0)
        return GROUP_WEEK;
    if (strcmp(s, "month") == 0)
        return GROUP_MONTH;
    if (strcmp(s, "auto") == 0)
        return GROUP_AUTO;
    return -1;
}

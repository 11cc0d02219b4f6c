#include "timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

time_t now_time(void)
{
    static int checked;
    static time_t pinned;

    if (!checked) {
        const char *v = getenv("SIGNALDESK_NOW");
        struct tm tm;

        checked = 1;
        memset(&tm, 0, sizeof tm);
        if (v && strptime(v, "%Y-%m-%d %H:%M", &tm)) {
            tm.tm_isdst = -1;
            pinned = mktime(&tm);
        }
    }
    return pinned ? pinned : time(NULL);
}

void fmt_age(time_t now, time_t then, char *out, size_t size)
{
    long s = (long)difftime(now, then);

    if (s < 0)
        s = 0;
    if (s < 3600)
        snprintf(out, size, _("%ld min"), s / 60);
    else if (s < 86400)
        snprintf(out, size, _("%ld h"), s / 3600);
    else if (s < 86400L * 61)
        snprintf(out, size, _("%ld d"), s / 86400);
    else if (s < 86400L * 730)
        snprintf(out, size, _("%ld mo"), s / (86400L * 30));
    else
        snprintf(out, size, _("%ld y"), s / (86400L * 365));
}

void fmt_datetime(time_t t, char *out, size_t size)
{
    struct tm tm;

    localtime_r(&t, &tm);
    strftime(out, size, "%d.%m.%Y %H:%M", &tm);
}

void fmt_short(time_t now, time_t t, char *out, size_t size)
{
    struct tm tm, tn;

    localtime_r(&t, &tm);
    localtime_r(&now, &tn);
    if (tm.tm_year == tn.tm_year)
        strftime(out, size, "%d.%m %H:%M", &tm);
    else
        strftime(out, size, "%d.%m.%Y", &tm);
}

static long day_number(time_t t)
{
    struct tm tm;

    localtime_r(&t, &tm);
    return (long)(tm.tm_year + 1900) * 366 + tm.tm_yday;
}

void fmt_due(time_t now, time_t due, char *out, size_t size)
{
    long days;

    if (due < now) {
        days = (long)(difftime(now, due) / 86400);
        if (days < 1)
            snprintf(out, size, _("overdue by %ld h"), (long)(difftime(now, due) / 3600) + 1);
        else
            snprintf(out, size, ngettext("overdue by %ld day", "overdue by %ld days", (unsigned long)days), days);
        return;
    }
    days = day_number(due) - day_number(now);
    if (days < 0 || days > 400)
        days = (long)(difftime(due, now) / 86400);
    if (days == 0)
        snprintf(out, size, "%s", _("today"));
    else
        snprintf(out, size, ngettext("in %ld day", "in %ld days", (unsigned long)days), days);
}

int parse_pg_time(const char *s, time_t *out)
{
    struct tm tm;
    int y, mo, d, h, mi, sec, n = 0, sign, oh = 0, om = 0;
    const char *p;
    long off;

    if (!s || sscanf(s, "%d-%d-%d %d:%d:%d%n", &y, &mo, &d, &h, &mi, &sec, &n) < 6)
        return -1;
    p = s + n;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    if (*p != '+' && *p != '-')
        return -1;
    sign = *p == '-' ? -1 : 1;
    p++;
    if (sscanf(p, "%2d", &oh) != 1)
        return -1;
    p += 2;
    if (*p == ':')
        p++;
    if (*p >= '0' && *p <= '9')
        sscanf(p, "%2d", &om);
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    off = sign * (oh * 3600L + om * 60L);
    *out = timegm(&tm) - off;
    return 0;
}

#include "adminval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

/* Characters of valid UTF-8; -1 when it is not. */
static long utf8_chars(const char *s, int allow_newline)
{
    long n = 0;
    unsigned cp;
    int k;

    while ((k = utf8_decode(s, &cp)) != 0) {
        if (k < 0)
            return -1;
        if ((cp < 32 && !(allow_newline && (cp == '\n' || cp == '\t'))) || cp == 0x7f ||
            (cp >= 0x80 && cp < 0xa0))
            return -2;
        n++;
        s += k;
    }
    return n;
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n')
            return 0;
    return 1;
}

static int check_chars(const char *s, size_t max_chars, int allow_newline, char *err, size_t errsz)
{
    long n;

    if (!s || blank(s)) {
        snprintf(err, errsz, "%s", _("It cannot be empty."));
        return -1;
    }
    n = utf8_chars(s, allow_newline);
    if (n == -1) {
        snprintf(err, errsz, "%s", _("The text is not valid UTF-8."));
        return -1;
    }
    if (n == -2) {
        snprintf(err, errsz, "%s", allow_newline ? _("The text has control characters.")
                                                 : _("The text has control characters or a line break."));
        return -1;
    }
    if ((size_t)n > max_chars) {
        snprintf(err, errsz, _("At most %zu characters, please (this has %ld)."), max_chars, n);
        return -1;
    }
    return 0;
}

int check_text(const char *s, size_t max_chars, char *err, size_t errsz)
{
    return check_chars(s, max_chars, 0, err, errsz);
}

int check_body(const char *s, size_t max_chars, char *err, size_t errsz)
{
    return check_chars(s, max_chars, 1, err, errsz);
}

int check_email(const char *s, int optional, char *err, size_t errsz)
{
    const char *at, *dot, *p;

    if (!s || !*s) {
        if (optional)
            return 0;
        snprintf(err, errsz, "%s", _("It cannot be empty."));
        return -1;
    }
    at = strchr(s, '@');
    dot = at ? strrchr(at, '.') : NULL;
    for (p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            break;
    if (*p || !at || at == s || strchr(at + 1, '@') || !dot || dot == at + 1 || !dot[1] ||
        strlen(s) > 254) {
        snprintf(err, errsz, _("'%s' is not an e-mail address (name@example.bg)."), s);
        return -1;
    }
    return 0;
}

int check_login(const char *s, char *err, size_t errsz)
{
    const char *p;

    if (!s || !*s) {
        snprintf(err, errsz, "%s", _("It cannot be empty."));
        return -1;
    }
    for (p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
            break;
    if (*p || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_') || strlen(s) > 63) {
        snprintf(err, errsz, "%s",
                 _("A login is lower-case Latin letters, digits, '_', '.' or '-', starting with a letter."));
        return -1;
    }
    if (strncmp(s, "pg_", 3) == 0 || strncmp(s, "signaldesk_", 11) == 0 || strcmp(s, "public") == 0 ||
        strcmp(s, "none") == 0 || strcmp(s, "user") == 0 || strcmp(s, "current_user") == 0 ||
        strcmp(s, "session_user") == 0 || strcmp(s, "current_role") == 0) {
        snprintf(err, errsz, _("'%s' is reserved; choose another login."), s);
        return -1;
    }
    return 0;
}

int check_hours(const char *s, int *hours, char *err, size_t errsz)
{
    char *end;
    long v;

    v = s ? strtol(s, &end, 10) : 0;
    if (!s || end == s || *end || v < 1 || v > 8760) {
        snprintf(err, errsz, "%s", _("The hours to handle a signal are a whole number from 1 to 8760."));
        return -1;
    }
    *hours = (int)v;
    return 0;
}

int check_password(const char *password, const char *login, char *err, size_t errsz)
{
    long n = password ? utf8_chars(password, 0) : 0;

    if (n < 8) {
        snprintf(err, errsz, "%s", _("A password has at least 8 characters."));
        return -1;
    }
    if (login && strcmp(password, login) == 0) {
        snprintf(err, errsz, "%s", _("The password cannot be the login."));
        return -1;
    }
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* One date, "D.M.YYYY" or "YYYY-MM-DD", of exactly len bytes. */
static int parse_date(const char *s, size_t len, char *out)
{
    char buf[32], tail;
    int y, m, d;

    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (sscanf(buf, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 &&
        sscanf(buf, "%2d.%2d.%4d%c", &d, &m, &y, &tail) != 3)
        return -1;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    return 0;
}

int parse_period(const char *s, char *from, char *to, char *err, size_t errsz)
{
    char buf[64];
    const char *dots;
    size_t n1, n2;

    from[0] = to[0] = '\0';
    str_copy(buf, sizeof buf, s ? s : "");
    str_trim(buf);
    dots = strstr(buf, "..");
    n1 = dots ? (size_t)(dots - buf) : strlen(buf);
    n2 = dots ? strlen(dots + 2) : 0;
    if ((!n1 && !n2) || (n1 && parse_date(buf, n1, from) < 0) ||
        (dots && n2 && parse_date(dots + 2, n2, to) < 0)) {
        snprintf(err, errsz, _("'%s' is not a period: a day (20.11.2026) or from..to (1.11.2026..20.11.2026)."),
                 buf);
        return -1;
    }
    if (!dots)
        memcpy(to, from, 11);
    if (from[0] && to[0] && strcmp(from, to) > 0) {
        snprintf(err, errsz, "%s", _("The period ends before it starts."));
        return -1;
    }
    return 0;
}

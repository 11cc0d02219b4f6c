#include "regno.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"

int regno_format(const char *fmt, int year, long number, char *out, size_t size)
{
    size_t len = 0;
    char piece[32];
    const char *p;
    int width;

    for (p = fmt; *p; p++) {
        const char *add = piece;
        size_t n;

        if (*p != '%') {
            piece[0] = *p;
            piece[1] = '\0';
        } else {
            p++;
            width = 0;
            for (; *p >= '0' && *p <= '9'; p++)
                width = width > 12 ? 13 : width * 10 + (*p - '0');
            if (width > 12)
                return -1;
            switch (*p) {
            case 'y': snprintf(piece, sizeof piece, "%02d", year % 100); break;
            case 'Y': snprintf(piece, sizeof piece, "%04d", year); break;
            case 'N': snprintf(piece, sizeof piece, "%0*ld", width, number); break;
            case '%': add = "%"; break;
            default: return -1;
            }
        }
        n = strlen(add);
        if (len + n + 1 > size)
            return -1;
        memcpy(out + len, add, n);
        len += n;
    }
    if (size == 0)
        return -1;
    out[len] = '\0';
    return (int)len;
}

int regno_check_format(const char *fmt, char *err, size_t errsz)
{
    const char *p;
    int numbers = 0;

    for (p = fmt; *p; p++) {
        int width = 0;

        if (*p != '%')
            continue;
        p++;
        for (; *p >= '0' && *p <= '9'; p++)
            width = width > 12 ? 13 : width * 10 + (*p - '0');
        if (width > 12) {
            snprintf(err, errsz, "%s", _("a number in the registration number format is at most 12 digits wide"));
            return -1;
        }
        if (*p == 'N') {
            numbers++;
        } else if (*p != 'y' && *p != 'Y' && *p != '%') {
            snprintf(err, errsz, _("unknown placeholder %%%c in the registration number format"), *p ? *p : ' ');
            return -1;
        }
        if (!*p)
            break;
    }
    if (numbers != 1) {
        /* xgettext:no-c-format */
        snprintf(err, errsz, "%s", _("the registration number format needs exactly one %N"));
        return -1;
    }
    return 0;
}

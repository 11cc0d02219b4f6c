#include "csvwrite.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void csv_options_default(struct csv_options *o)
{
    o->delimiter = ',';
    o->bom = 0;
    o->decimal_comma = 0;
}

int csv_parse_delimiter(const char *s, unsigned char *out)
{
    if (strcmp(s, ",") == 0 || strcmp(s, "comma") == 0)
        *out = ',';
    else if (strcmp(s, ";") == 0 || strcmp(s, "semicolon") == 0)
        *out = ';';
    else if (strcmp(s, "\t") == 0 || strcmp(s, "tab") == 0)
        *out = '\t';
    else
        return -1;
    return 0;
}

void csvw_start(struct csv_writer *w, FILE *f, const struct csv_options *o)
{
    w->f = f;
    if (o)
        w->opt = *o;
    else
        csv_options_default(&w->opt);
    w->fields = 0;
    w->failed = 0;
    if (w->opt.bom && fwrite("\xEF\xBB\xBF", 1, 3, f) != 3)
        w->failed = 1;
}

static int needs_quotes(const struct csv_writer *w, const char *s, size_t n)
{
    size_t i;

    if (n > 0 && (s[0] == ' ' || s[n - 1] == ' '))
        return 1;
    for (i = 0; i < n; i++)
        if (s[i] == '"' || s[i] == '\r' || s[i] == '\n' || (unsigned char)s[i] == w->opt.delimiter)
            return 1;
    return 0;
}

static void separator(struct csv_writer *w)
{
    if (w->fields++ > 0 && fputc(w->opt.delimiter, w->f) == EOF)
        w->failed = 1;
}

void csvw_text(struct csv_writer *w, const char *s)
{
    size_t n = s ? strlen(s) : 0;

    separator(w);
    if (n == 0)
        return;
    if (needs_quotes(w, s, n)) {
        if (csv_fwrite(w->f, s, n) != 0)
            w->failed = 1;
    } else if (fwrite(s, 1, n, w->f) != n) {
        w->failed = 1;
    }
}

void csvw_int(struct csv_writer *w, long long v)
{
    csvw_fixed(w, v, 0);
}

void csvw_fixed(struct csv_writer *w, long long v, int decimals)
{
    char buf[64], frac[24];
    unsigned long long a = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, scale = 1;
    int i;

    if (decimals < 0 || decimals > 18)
        decimals = 0;
    for (i = 0; i < decimals; i++)
        scale *= 10;
    /* the fraction's digits, leading zeros kept */
    {
        unsigned long long f = a % scale;

        for (i = decimals - 1; i >= 0; i--) {
            frac[i] = (char)('0' + f % 10);
            f /= 10;
        }
        frac[decimals] = '\0';
    }
    if (decimals > 0)
        snprintf(buf, sizeof buf, "%s%llu%c%s", v < 0 ? "-" : "", a / scale, w->opt.decimal_comma ? ',' : '.',
                 frac);
    else
        snprintf(buf, sizeof buf, "%s%llu", v < 0 ? "-" : "", a);
    /* a decimal comma is the delimiter only if someone asked for both */
    csvw_text(w, buf);
}

void csvw_end(struct csv_writer *w)
{
    if (fputs("\r\n", w->f) == EOF)
        w->failed = 1;
    w->fields = 0;
}

int csvw_finish(struct csv_writer *w)
{
    if (fflush(w->f) != 0)
        w->failed = 1;
    if (ferror(w->f)) {
        w->failed = 1;
        if (!errno)
            errno = EIO;
    }
    return w->failed ? -1 : 0;
}

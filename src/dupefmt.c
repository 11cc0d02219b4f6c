#include "dupefmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "util.h"
#include "workflow.h"

static void append(char *out, size_t size, const char *s)
{
    size_t len = strlen(out);

    if (len + 1 < size)
        str_copy(out + len, size - len, s);
}

static void append_spaces(char *out, size_t size, int n)
{
    size_t len = strlen(out);

    while (n-- > 0 && len + 1 < size)
        out[len++] = ' ';
    out[len] = '\0';
}

void fmt_cell(char *out, size_t size, const char *text, int width, int right)
{
    char cut[1024];
    int w;

    if (width <= 0)
        return;
    w = utf8_width(text);
    if (w > width) {
        /* cut, with "…" in the last column */
        size_t n = utf8_fit(text, width - 1);

        if (n > sizeof cut - 4)
            n = utf8_fit(text, 0);
        while (n > 0 && text[n - 1] == ' ')
            n--;    /* "Улично…", not "Улично …" */
        memcpy(cut, text, n);
        memcpy(cut + n, "…", sizeof "…");
        text = cut;
        w = utf8_width(cut);
    }
    if (right)
        append_spaces(out, size, width - w);
    append(out, size, text);
    if (!right)
        append_spaces(out, size, width - w);
}

void dupe_fmt_place(const struct dupe_candidate *c, char *out, size_t size)
{
    if (c->by_address)
        snprintf(out, size, "%s", _("address"));
    else if (c->distance_m < 999.5)
        snprintf(out, size, _("%d m"), (int)lround(c->distance_m));
    else {
        long tenths = lround(c->distance_m / 100.0);

        /* TRANSLATORS: kilometres and tenths, "1.2 km"; the separator is the language's */
        snprintf(out, size, _("%ld.%ld km"), tenths / 10, tenths % 10);
    }
}

void dupe_fmt_pct(double part, char *out, size_t size)
{
    snprintf(out, size, "%d%%", (int)lround(part * 100.0));
}

void dupe_fmt_when(double days_apart, char *out, size_t size)
{
    double hours = fabs(days_apart) * 24.0;
    char amount[32];

    if (hours < 1.0)
        snprintf(amount, sizeof amount, "%s", _("<1 h"));
    else if (hours < 48.0)
        snprintf(amount, sizeof amount, _("%ld h"), (long)hours);
    else if (hours < 24.0 * 61)
        snprintf(amount, sizeof amount, _("%ld d"), (long)(hours / 24.0));
    else
        snprintf(amount, sizeof amount, _("%ld mo"), (long)(hours / (24.0 * 30)));
    /* TRANSLATORS: how long before / after the signal on screen the candidate came in, e.g. "2 d before" */
    snprintf(out, size, days_apart < 0 ? _("%s before") : _("%s after"), amount);
}

/* Column widths: reg. no., score, place, text, time, status; the rest is
 * the description. */
#define W_REG 15
#define W_SCORE 6
#define W_PLACE 7
#define W_TEXT 5
#define W_WHEN 11
#define W_STATUS 11

static int rest_width(int width, int marks)
{
    return width - (marks ? 2 : 0) - W_REG - W_SCORE - W_PLACE - W_TEXT - W_WHEN - W_STATUS - 6;
}

void dupe_format_header(int width, int marks, char *out, size_t size)
{
    out[0] = '\0';
    if (marks)
        fmt_cell(out, size, "", 2, 0);
    fmt_cell(out, size, _("Reg. No."), W_REG, 0);
    fmt_cell(out, size, "", 1, 0);
    fmt_cell(out, size, _("Score"), W_SCORE, 1);
    fmt_cell(out, size, "", 1, 0);
    fmt_cell(out, size, _("Place"), W_PLACE, 1);
    fmt_cell(out, size, "", 1, 0);
    fmt_cell(out, size, _("Text"), W_TEXT, 1);
    fmt_cell(out, size, "", 1, 0);
    fmt_cell(out, size, _("Time"), W_WHEN, 0);
    fmt_cell(out, size, "", 1, 0);
    fmt_cell(out, size, _("Status"), W_STATUS, 0);
    fmt_cell(out, size, "", 1, 0);
    fmt_cell(out, size, _("Description"), rest_width(width, marks), 0);
}

void dupe_format_line(const struct dupe_candidate *c, int width, int marks, int cursor, int marked, char *out,
                      size_t size)
{
    char buf[64];

    out[0] = '\0';
    if (marks) {
        fmt_cell(out, size, cursor ? "▶" : " ", 1, 0);
        fmt_cell(out, size, marked ? "*" : " ", 1, 0);
    }
    fmt_cell(out, size, c->reg_no, W_REG, 0);
    fmt_cell(out, size, "", 1, 0);
    dupe_fmt_pct(c->score, buf, sizeof buf);
    fmt_cell(out, size, buf, W_SCORE, 1);
    fmt_cell(out, size, "", 1, 0);
    dupe_fmt_place(c, buf, sizeof buf);
    fmt_cell(out, size, buf, W_PLACE, 1);
    fmt_cell(out, size, "", 1, 0);
    dupe_fmt_pct(c->text_sim, buf, sizeof buf);
    fmt_cell(out, size, buf, W_TEXT, 1);
    fmt_cell(out, size, "", 1, 0);
    dupe_fmt_when(c->days_apart, buf, sizeof buf);
    fmt_cell(out, size, buf, W_WHEN, 0);
    fmt_cell(out, size, "", 1, 0);
    fmt_cell(out, size, status_label(c->status), W_STATUS, 0);
    fmt_cell(out, size, "", 1, 0);
    fmt_cell(out, size, c->summary, rest_width(width, marks), 0);
}

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

/* The columns: reg. no., score, place, text, time, status; the rest is
 * the description. */
enum { C_REG, C_SCORE, C_PLACE, C_TEXT, C_WHEN, C_STATUS, C_DESCRIPTION, C_COUNT };

static const struct {
    const char *title;      /* N_() */
    int width;              /* 0: what is left */
    int right;
} columns[C_COUNT] = {
    [C_REG] = { N_("Reg. No."), 15, 0 },
    [C_SCORE] = { N_("Score"), 6, 1 },
    [C_PLACE] = { N_("Place"), 7, 1 },
    [C_TEXT] = { N_("Text"), 5, 1 },
    [C_WHEN] = { N_("Time"), 11, 0 },
    [C_STATUS] = { N_("Status"), 11, 0 },
    [C_DESCRIPTION] = { N_("Description"), 0, 0 },
};

/* The cells after the marks, a space between two. */
static void format_cells(const char *const cells[C_COUNT], int width, int marks, char *out, size_t size)
{
    int i, rest = width - (marks ? 2 : 0) - (C_COUNT - 1);

    for (i = 0; i < C_COUNT; i++)
        rest -= columns[i].width;
    for (i = 0; i < C_COUNT; i++) {
        if (i)
            fmt_cell(out, size, "", 1, 0);
        fmt_cell(out, size, cells[i], columns[i].width ? columns[i].width : rest, columns[i].right);
    }
}

void dupe_format_line(const struct dupe_candidate *c, int width, int marks, int cursor, int marked, char *out,
                      size_t size)
{
    char score[64], place[64], text[64], when[64];
    const char *cells[C_COUNT] = { c->reg_no, score, place, text, when, status_label(c->status), c->summary };

    out[0] = '\0';
    if (marks) {
        fmt_cell(out, size, cursor ? "▶" : " ", 1, 0);
        fmt_cell(out, size, marked ? "*" : " ", 1, 0);
    }
    dupe_fmt_pct(c->score, score, sizeof score);
    dupe_fmt_place(c, place, sizeof place);
    dupe_fmt_pct(c->text_sim, text, sizeof text);
    dupe_fmt_when(c->days_apart, when, sizeof when);
    format_cells(cells, width, marks, out, size);
}

void dupe_format_header(int width, int marks, char *out, size_t size)
{
    const char *cells[C_COUNT];
    int i;

    out[0] = '\0';
    if (marks)
        fmt_cell(out, size, "", 2, 0);
    for (i = 0; i < C_COUNT; i++)
        cells[i] = _(columns[i].title);
    format_cells(cells, width, marks, out, size);
}

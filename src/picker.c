#include "picker.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "keys.h"
#include "textmatch.h"
#include "translit.h"
#include "ui.h"
#include "util.h"

struct picker {
    const struct pick_item *items;
    int n;
    char **folded;          /* label + hint + search, folded once */
    int *shown;             /* indices of the items that match, best first */
    int nshown;
    int sel, top;
    char filter[256];
    char swapped[256];      /* the filter in the other keyboard layout, when that is what matched */
};

/* Lists the matching items: by score, then in the list's own order. */
static void refilter(struct picker *p)
{
    char *fq;
    int i, pass;
    int *score = xcalloc((size_t)(p->n ? p->n : 1), sizeof *score);

    p->swapped[0] = '\0';
    for (pass = 0; pass < 3; pass++) {
        const char *q = p->filter;
        char buf[256];

        if (pass > 0) {
            /* nothing matched: maybe it was typed in the other layout */
            if (!*p->filter)
                break;
            layout_swap(p->filter, pass == 1 ? KB_BDS : KB_PHONETIC, LAYOUT_TO_CYRILLIC, buf, sizeof buf);
            if (strcmp(buf, p->filter) == 0)
                continue;
            q = buf;
        }
        fq = text_fold(q);
        p->nshown = 0;
        for (i = 0; i < p->n; i++) {
            score[i] = text_match_folded(fq, p->folded[i]);
            if (score[i] > 0)
                p->shown[p->nshown++] = i;
        }
        free(fq);
        if (p->nshown > 0) {
            if (pass > 0)
                str_copy(p->swapped, sizeof p->swapped, q);
            break;
        }
    }
    /* best first, stable: insertion sort keeps the list's order among equals */
    if (*p->filter)
        for (i = 1; i < p->nshown; i++) {
            int v = p->shown[i], j = i - 1;

            while (j >= 0 && score[p->shown[j]] < score[v]) {
                p->shown[j + 1] = p->shown[j];
                j--;
            }
            p->shown[j + 1] = v;
        }
    free(score);
    p->sel = 0;
    p->top = 0;
}

/* An empty box of w by h at (y0, x0), the title in its top line. */
static void draw_box(int y0, int x0, int w, int h, const char *title)
{
    int i, tw;

    ui_fill(y0, x0, w, R_HEADER);
    ui_text(y0, x0, 2, "┌ ", R_HEADER);
    tw = ui_text(y0, x0 + 2, w - 5, title, R_HEADER);
    tw += ui_text(y0, x0 + 2 + tw, 1, " ", R_HEADER);
    ui_hline(y0, x0 + 2 + tw, w - 3 - tw, NULL, R_HEADER);
    ui_text(y0, x0 + w - 1, 1, "┐", R_HEADER);
    for (i = 1; i < h - 1; i++) {
        ui_text(y0 + i, x0, 1, "│", R_HEADER);
        ui_fill(y0 + i, x0 + 1, w - 2, R_NORMAL);
        ui_text(y0 + i, x0 + w - 1, 1, "│", R_HEADER);
    }
    ui_text(y0 + h - 1, x0, 1, "└", R_HEADER);
    ui_hline(y0 + h - 1, x0 + 1, w - 2, NULL, R_HEADER);
    ui_text(y0 + h - 1, x0 + w - 1, 1, "┘", R_HEADER);
}

static void draw(struct app *app, struct picker *p, const char *title)
{
    int w = app->cols - 4, h, x0, y0, list_h, i, has_preview = 0, prev_h = 0;
    char line[512], count[64];

    for (i = 0; i < p->n; i++)
        if (p->items[i].preview)
            has_preview = 1;
    if (w > 76)
        w = 76;
    prev_h = has_preview ? 4 : 0;
    /* at most a dozen lines: the screen behind stays in sight */
    h = app->rows - 4;
    if (h > 15 + prev_h)
        h = 15 + prev_h;
    if (h > p->n + 3 + prev_h)
        h = p->n + 3 + prev_h;
    if (h < 6 + prev_h)
        h = 6 + prev_h;
    list_h = h - 3 - prev_h;
    x0 = (app->cols - w) / 2;
    y0 = (app->rows - 2 - h) / 2;
    if (p->sel < p->top)
        p->top = p->sel;
    if (p->sel >= p->top + list_h)
        p->top = p->sel - list_h + 1;

    ui_redraw(app);
    draw_box(y0, x0, w, h, title);

    /* what was typed, and how many match */
    snprintf(count, sizeof count, _("%d of %d"), p->nshown, p->n);
    {
        int cw = utf8_width(count), used;

        used = ui_text(y0 + 1, x0 + 2, w - cw - 5, _("Find: "), R_TITLE);
        used += ui_text(y0 + 1, x0 + 2 + used, w - cw - 5 - used, p->filter, R_NORMAL);
        if (p->swapped[0]) {
            snprintf(line, sizeof line, "  (%s)", p->swapped);
            ui_text(y0 + 1, x0 + 2 + used, w - cw - 5 - used, line, R_DIM);
        }
        ui_text(y0 + 1, x0 + w - 2 - cw, cw, count, R_DIM);
    }
    if (p->nshown == 0) {
        snprintf(line, sizeof line, _("Nothing matches \"%s\"."), p->filter);
        ui_text(y0 + 2, x0 + 2, w - 4, line, R_DIM);
    }
    for (i = 0; i < list_h && p->top + i < p->nshown; i++) {
        const struct pick_item *it = &p->items[p->shown[p->top + i]];
        int sel = p->top + i == p->sel, y = y0 + 2 + i, avail = w - 4, indent;
        enum ui_role role = sel ? R_CURSOR : R_NORMAL;
        const char *hint = it->hint && *it->hint && (!it->hint_filtered || *p->filter) ? it->hint : NULL;
        int hw = hint ? utf8_width(hint) : 0;

        ui_fill(y, x0 + 1, w - 2, role);
        indent = *p->filter ? 0 : it->depth * 2;
        if (hw > avail / 2)
            hw = avail / 2;
        ui_text(y, x0 + 2 + indent, avail - indent - (hint ? hw + 2 : 0), it->label, role);
        if (hint)
            ui_text(y, x0 + 2 + avail - hw, hw, hint, sel ? R_CURSOR : R_DIM);
    }
    if (has_preview) {
        int py = y0 + h - 1 - prev_h;

        ui_text(py, x0, 1, "├", R_HEADER);
        ui_hline(py, x0 + 1, w - 2, NULL, R_HEADER);
        ui_text(py, x0 + w - 1, 1, "┤", R_HEADER);
        if (p->nshown > 0 && p->items[p->shown[p->sel]].preview) {
            const char *s = p->items[p->shown[p->sel]].preview;
            int row;

            /* word-wrapped into the lines there are */
            for (row = 0; row < prev_h - 1 && *s; row++) {
                size_t fit = utf8_fit(s, w - 4), cut = fit;
                char buf[512];

                if (s[fit]) {
                    while (cut > 0 && s[cut] != ' ')
                        cut--;
                    if (cut == 0)
                        cut = fit;
                }
                if (row == prev_h - 2 && s[cut]) {
                    /* the last line shows that there is more */
                    fit = utf8_fit(s, w - 5);
                    snprintf(buf, sizeof buf, "%.*s…", (int)fit, s);
                } else {
                    snprintf(buf, sizeof buf, "%.*s", (int)(cut < sizeof buf - 1 ? cut : sizeof buf - 1), s);
                }
                ui_text(py + 1 + row, x0 + 2, w - 4, buf, R_DIM);
                s += cut;
                while (*s == ' ')
                    s++;
            }
        }
    }
    wnoutrefresh(stdscr);
    doupdate();
}

static void drop_last_char(char *s)
{
    size_t n = strlen(s);

    while (n > 0) {
        n--;
        if (((unsigned char)s[n] & 0xC0) != 0x80)
            break;
    }
    s[n] = '\0';
}

int picker_run(struct app *app, const char *title, const struct pick_item *items, int n, int current,
               const char *filter)
{
    struct picker p;
    int i, result = -2;

    memset(&p, 0, sizeof p);
    p.items = items;
    p.n = n;
    p.folded = xcalloc((size_t)(n ? n : 1), sizeof *p.folded);
    p.shown = xcalloc((size_t)(n ? n : 1), sizeof *p.shown);
    for (i = 0; i < n; i++) {
        struct strbuf sb;

        sb_init(&sb);
        sb_addf(&sb, "%s  %s  %s", items[i].label ? items[i].label : "", items[i].hint ? items[i].hint : "",
                items[i].search ? items[i].search : "");
        p.folded[i] = text_fold(sb.buf);
        sb_free(&sb);
    }
    str_copy(p.filter, sizeof p.filter, filter ? filter : "");
    refilter(&p);
    if (!*p.filter)
        for (i = 0; i < p.nshown; i++)
            if (p.shown[i] == current)
                p.sel = i;
    while (result == -2) {
        int key, list_h = 12;

        if (app->too_small) {
            ui_redraw(app);
        } else {
            draw(app, &p, title);
        }
        key = ui_getkey(app);
        switch (key) {
        case KEYF(KEY_RESIZE):
            ui_resized(app);
            break;
        case PSEUDO_TICK:
        case PSEUDO_NOTIFY:
            ui_idle(app);
            break;
        case PSEUDO_LOST:
            ui_db_error(app, DB_LOST);
            break;
        case PSEUDO_EOF:
            app->quit = 1;
            result = -1;
            break;
        case KEY_ESC:
        case KEY_CTRL('g'):
        case KEY_CTRL('c'):
            result = -1;
            break;
        case '\n':
        case KEYF(KEY_ENTER):
            if (p.nshown > 0)
                result = p.shown[p.sel];
            break;
        case KEYF(KEY_DOWN):
        case KEY_CTRL('n'):
            if (p.sel < p.nshown - 1)
                p.sel++;
            break;
        case KEYF(KEY_UP):
        case KEY_CTRL('p'):
            if (p.sel > 0)
                p.sel--;
            break;
        case KEYF(KEY_NPAGE):
            p.sel += list_h > 1 ? list_h - 1 : 1;
            if (p.sel > p.nshown - 1)
                p.sel = p.nshown > 0 ? p.nshown - 1 : 0;
            break;
        case KEYF(KEY_PPAGE):
            p.sel -= list_h > 1 ? list_h - 1 : 1;
            if (p.sel < 0)
                p.sel = 0;
            break;
        case KEYF(KEY_HOME):
            p.sel = 0;
            break;
        case KEYF(KEY_END):
            p.sel = p.nshown > 0 ? p.nshown - 1 : 0;
            break;
        case KEYF(KEY_BACKSPACE):
            drop_last_char(p.filter);
            refilter(&p);
            break;
        case KEY_CTRL('u'):
            p.filter[0] = '\0';
            refilter(&p);
            break;
        case KEY_CTRL('w'): {
            size_t len = strlen(p.filter);

            while (len > 0 && p.filter[len - 1] == ' ')
                len--;
            while (len > 0 && p.filter[len - 1] != ' ')
                len--;
            p.filter[len] = '\0';
            refilter(&p);
            break;
        }
        default:
            if (!KEY_IS_FUNC(key) && key >= ' ') {
                char ch[8];
                unsigned cp = (unsigned)key;
                int k = 0;

                if (cp < 0x80) {
                    ch[k++] = (char)cp;
                } else if (cp < 0x800) {
                    ch[k++] = (char)(0xC0 | (cp >> 6));
                    ch[k++] = (char)(0x80 | (cp & 0x3F));
                } else {
                    ch[k++] = (char)(0xE0 | (cp >> 12));
                    ch[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    ch[k++] = (char)(0x80 | (cp & 0x3F));
                }
                ch[k] = '\0';
                if (strlen(p.filter) + (size_t)k < sizeof p.filter) {
                    strcat(p.filter, ch);
                    refilter(&p);
                }
            }
            break;
        }
    }
    for (i = 0; i < n; i++)
        free(p.folded[i]);
    free(p.folded);
    free(p.shown);
    return result;
}

int ui_confirm_list(struct app *app, const char *title, const char *const *lines, int n, const char *question)
{
    for (;;) {
        int key, w = app->cols - 6, h = n + 2, x0, y0, i, shown;

        if (h > app->rows - 6)
            h = app->rows - 6;
        shown = h - 2;
        x0 = (app->cols - w) / 2;
        y0 = (app->rows - 2 - h) / 2;
        /* a question asks yes or no; a statement only waits for a key */
        if (question[strlen(question) - 1] == '?')
            ui_message(app, MSG_INFO, "%s %s", question, _("(y/n)"));
        else
            ui_message(app, MSG_INFO, "%s", question);
        ui_redraw(app);
        if (!app->too_small) {
            draw_box(y0, x0, w, h, title);
            for (i = 0; i < shown; i++) {
                char more[128];
                const char *text = lines[i];

                if (i == shown - 1 && n > shown) {
                    snprintf(more, sizeof more, _("… and %d more"), n - shown + 1);
                    text = more;
                }
                ui_text(y0 + 1 + i, x0 + 2, w - 4, text, R_NORMAL);
            }
            wnoutrefresh(stdscr);
            doupdate();
        }
        key = ui_getkey(app);
        if (key == PSEUDO_TICK || key == PSEUDO_NOTIFY) {
            ui_idle(app);
            continue;
        }
        if (key == KEYF(KEY_RESIZE)) {
            ui_resized(app);
            continue;
        }
        app->msg[0] = '\0';
        /* y/д (Bulgarian "да") and Enter say yes */
        if (key == 'y' || key == 'Y' || key == 0x434 || key == 0x414 || key == '\n')
            return 1;
        if (key == PSEUDO_EOF)
            app->quit = 1;
        return 0;
    }
}

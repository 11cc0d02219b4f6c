#include "lineedit.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "i18n.h"
#include "keys.h"
#include "prompt.h"
#include "ui.h"
#include "util.h"

/* readline runs inside curses: it reads bytes through our key reader and
 * we paint its line ourselves (as prompt.c does for the status line). */

static struct app *cur_app;
static const struct le_opts *cur;
static struct strbuf queue;         /* bytes readline has yet to read */
static size_t queue_pos;
static enum le_end end_how;
static int end_key;
static int first_pending;
static char *sugg_line, sugg[1024];  /* the last suggestion and the line it was for */

static void push_bytes(const char *s, size_t n)
{
    if (queue_pos == queue.len)
        sb_clear(&queue), queue_pos = 0;
    sb_addn(&queue, s, n);
}

static void push_char(unsigned cp)
{
    char buf[4];
    size_t n = 0;

    if (cp < 0x80) {
        buf[n++] = (char)cp;
    } else if (cp < 0x800) {
        buf[n++] = (char)(0xC0 | (cp >> 6));
        buf[n++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        buf[n++] = (char)(0xE0 | (cp >> 12));
        buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[n++] = (char)(0x80 | (cp & 0x3F));
    } else {
        buf[n++] = (char)(0xF0 | (cp >> 18));
        buf[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[n++] = (char)(0x80 | (cp & 0x3F));
    }
    push_bytes(buf, n);
}

/* Text to insert as if typed: a line break is quoted (C-v C-j) so readline
 * inserts it; on one line it becomes a space. */
static void push_text(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n' && cur->multiline)
            push_bytes("\026\n", 2);
        else if (*s == '\n' || *s == '\t' || *s == '\r')
            push_bytes(" ", 1);
        else
            push_bytes(s, 1);
    }
}

static const char *current_suggestion(void)
{
    const char *line = rl_line_buffer ? rl_line_buffer : "";

    if (!cur->suggest || rl_point != rl_end || strchr(line, '\n'))
        return "";
    if (!sugg_line || strcmp(sugg_line, line) != 0) {
        free(sugg_line);
        sugg_line = xstrdup(line);
        cur->suggest(cur->ctx, line, sugg, sizeof sugg);
        /* only what continues the line as typed */
        if (strlen(sugg) <= strlen(line))
            sugg[0] = '\0';
    }
    return sugg[0] ? sugg + strlen(line) : "";
}

/* Ends editing: readline returns the line on the newline we hand it. */
static int finish(enum le_end how, int key)
{
    end_how = how;
    end_key = key;
    return '\n';
}

/* One key from the console's reader, as the bytes readline understands;
 * returns a byte to hand over now, or -1 to look again. */
static int translate(int key)
{
    switch (key) {
    case PSEUDO_TICK:
    case PSEUDO_NOTIFY:
        ui_idle(cur_app);
        if (cur->poll && cur->poll(cur->ctx))
            return finish(LE_POLL, key);
        return -1;
    case PSEUDO_LOST:
        ui_db_error(cur_app, DB_LOST);
        return -1;
    case KEYF(KEY_RESIZE):
        ui_resized(cur_app);
        rl_forced_update_display();
        return -1;
    case PSEUDO_EOF:
        cur_app->quit = 1;
        return finish(LE_EOF, key);
    case KEY_ESC:
    case KEY_CTRL('g'):
    case KEY_CTRL('c'):
        return finish(LE_ESC, key);
    case '\t':
        if (cur->tab) {
            char *text = cur->tab(cur->ctx);

            if (text)
                push_text(text);
            free(text);
            rl_forced_update_display();
            return -1;
        }
        return finish(LE_TAB, key);
    case KEYF(KEY_BTAB):
        return finish(LE_BTAB, key);
    case '\n':
    case KEYF(KEY_ENTER):
        if (cur->multiline) {
            push_bytes("\026\n", 2);
            return -1;
        }
        return finish(LE_ENTER, key);
    case KEYF(KEY_RIGHT):
    case KEYF(KEY_END):
        if (*current_suggestion()) {
            /* take the earlier text as it was written */
            push_bytes("\001\013", 2);
            push_text(sugg);
            return -1;
        }
        push_bytes(key == KEYF(KEY_END) ? "\005" : "\033[C", key == KEYF(KEY_END) ? 1 : 3);
        return -1;
    case KEYF(KEY_LEFT): push_bytes("\033[D", 3); return -1;
    case KEYF(KEY_UP): push_bytes("\033[A", 3); return -1;
    case KEYF(KEY_DOWN): push_bytes("\033[B", 3); return -1;
    case KEYF(KEY_HOME): push_bytes("\001", 1); return -1;
    case KEYF(KEY_DC): push_bytes("\004", 1); return -1;
    case KEYF(KEY_BACKSPACE): return 127;
    default:
        if (KEY_IS_FUNC(key)) {
            int k = key & ~KEY_FUNC;

            if (k >= KEY_F(1) && k <= KEY_F(12))
                return finish(LE_FKEY, key);
            return -1;      /* PgUp and the like mean nothing in a line */
        }
        push_char((unsigned)key);
        return -1;
    }
}

static int getc_from_app(FILE *unused)
{
    (void)unused;
    for (;;) {
        int key, b;

        if (queue_pos < queue.len)
            return (unsigned char)queue.buf[queue_pos++];
        if (first_pending) {
            key = first_pending;
            first_pending = 0;
        } else {
            /* a script never idles: reconnecting happens between its keys */
            if (cur_app->script && cur_app->lost) {
                ui_idle(cur_app);
                if (cur->poll && cur->poll(cur->ctx))
                    return finish(LE_POLL, 0);
            }
            key = ui_getkey(cur_app);
        }
        b = translate(key);
        if (b >= 0)
            return b;
    }
}

static int input_available(void)
{
    return queue_pos < queue.len || first_pending;
}

/* Width in columns of bytes [from, to) of s. */
static int width_between(const char *s, size_t from, size_t to)
{
    char buf[4096];
    size_t n = to - from < sizeof buf - 1 ? to - from : sizeof buf - 1;

    memcpy(buf, s + from, n);
    buf[n] = '\0';
    return utf8_width(buf);
}

static void paint_one_line(const char *line, int y, int x, int avail)
{
    int before, start = 0;
    const char *s = current_suggestion();

    before = width_between(line, 0, (size_t)rl_point);
    /* scroll so the cursor stays visible */
    while (before - width_between(line, 0, (size_t)start) >= avail && line[start]) {
        start++;
        while (line[start] && ((unsigned char)line[start] & 0xC0) == 0x80)
            start++;
    }
    {
        int used = ui_text(y, x, avail, line + start, R_NORMAL);

        if (*s && used < avail)
            ui_text(y, x + used, avail - used, s, R_DIM);
    }
    move(y, x + before - width_between(line, 0, (size_t)start));
}

/* Where the character at byte p goes when the text is broken at line
 * breaks and at w columns: moves *row and *col to its place, gives its
 * width in *cw and returns its length in bytes; a line break moves to the
 * next row and returns 0 (it is one byte, of no width). */
static int place(const char *line, size_t p, int w, int *row, int *col, int *cw)
{
    unsigned cp;
    int n;

    *cw = 0;
    if (line[p] == '\n') {
        (*row)++;
        *col = 0;
        return 0;
    }
    n = utf8_decode(line + p, &cp);
    if (n <= 0)
        n = 1;
    *cw = width_between(line, p, p + (size_t)n);
    if (*col + *cw > w) {
        (*row)++;
        *col = 0;
    }
    return n;
}

/* Lines broken at line breaks and at the width (by character, so the
 * cursor can be found); the cursor's row kept in view. */
static void paint_area(const char *line, int y, int x, int w, int h)
{
    int row = 0, col = 0, cur_row = 0, cur_col = 0, top, i, n, cw;
    size_t p = 0, len = strlen(line);

    /* pass 1: where is the cursor */
    for (;;) {
        if (p == (size_t)rl_point) {
            cur_row = row;
            cur_col = col;
        }
        if (p >= len)
            break;
        n = place(line, p, w, &row, &col, &cw);
        col += cw;
        p += n ? (size_t)n : 1;
    }
    if (cur_col >= w) {
        cur_row++;
        cur_col = 0;
    }
    top = cur_row >= h ? cur_row - h + 1 : 0;
    for (i = 0; i < h; i++)
        ui_fill(y + i, x, w, R_NORMAL);
    /* pass 2: draw the rows in view */
    row = 0;
    col = 0;
    for (p = 0; p < len; p += n ? (size_t)n : 1) {
        n = place(line, p, w, &row, &col, &cw);
        if (n && row >= top && row < top + h) {
            char ch[8];

            memcpy(ch, line + p, (size_t)n);
            ch[n] = '\0';
            ui_text(y + row - top, x + col, cw, ch, R_NORMAL);
        }
        col += cw;
    }
    move(y + cur_row - top, x + cur_col);
}

static void redisplay(void)
{
    struct app *app = cur_app;
    const struct le_opts *o = cur;
    char *line = rl_line_buffer ? rl_line_buffer : "";
    int x = o->x, w = o->width;

    ui_redraw(app);
    if (o->label) {
        int lw;

        ui_fill(o->y, 0, app->cols, R_NORMAL);
        lw = ui_text(o->y, o->x, app->cols / 2, o->label, R_TITLE);
        x = o->x + lw;
        w = app->cols - x - 1;
    }
    if (o->height <= 1) {
        ui_fill(o->y, x, w, R_NORMAL);
        paint_one_line(line, o->y, x, w);
    } else {
        paint_area(line, o->y, x, w, o->height);
    }
    curs_set(1);
    wnoutrefresh(stdscr);
    doupdate();
}

static int insert_initial(void)
{
    if (cur && cur->initial)
        rl_insert_text(cur->initial);
    return 0;
}

#define HISTORY_KEEP 50

char *line_edit(struct app *app, const struct le_opts *o, enum le_end *end, int *key)
{
    HISTORY_STATE *outer = NULL;
    char *line;

    cur_app = app;
    cur = o;
    sb_clear(&queue);
    queue_pos = 0;
    end_how = LE_ENTER;
    end_key = '\n';
    first_pending = o->first_key;
    free(sugg_line);
    sugg_line = NULL;
    sugg[0] = '\0';
    if (o->history) {
        outer = history_get_history_state();
        if (*o->history) {
            history_set_history_state(*o->history);
        } else {
            HISTORY_STATE empty;

            memset(&empty, 0, sizeof empty);
            history_set_history_state(&empty);
        }
    }
    prompt_readline_setup(getc_from_app, redisplay, insert_initial, input_available);
    line = readline("");
    rl_startup_hook = NULL;
    curs_set(0);
    if (!line)
        line = xstrdup("");
    if (o->history) {
        HISTORY_STATE *mine;

        if (*line && (end_how == LE_ENTER || end_how == LE_TAB || end_how == LE_BTAB || end_how == LE_FKEY))
            add_history(line);
        while (history_length > HISTORY_KEEP) {
            HIST_ENTRY *e = remove_history(0);

            if (e)
                free_history_entry(e);
        }
        mine = history_get_history_state();
        free(*o->history);
        *o->history = mine;
        history_set_history_state(outer);
        free(outer);
    }
    free(sugg_line);
    sugg_line = NULL;
    cur = NULL;
    if (end)
        *end = end_how;
    if (key)
        *key = end_key;
    return line;
}

/* Each prompt its own history (comments, tag texts, edits), by its label. */
static void **history_for(const char *label)
{
    static struct {
        char *label;
        void *state;
    } kept[16];
    static int nkept;
    int i;

    for (i = 0; i < nkept; i++)
        if (strcmp(kept[i].label, label) == 0)
            return &kept[i].state;
    if (nkept == (int)ARRAY_SIZE(kept))
        return &kept[0].state;
    kept[nkept].label = xstrdup(label);
    return &kept[nkept++].state;
}

char *prompt_tab(struct app *app, const char *label, const char *initial, char *(*tab)(void *ctx), void *ctx)
{
    struct le_opts o;
    enum le_end end;
    char *text = initial ? xstrdup(initial) : NULL, *line;

    memset(&o, 0, sizeof o);
    o.y = app->rows - 2;
    o.x = 0;
    o.width = app->cols;
    o.height = 1;
    o.label = label;
    o.history = history_for(label);
    o.tab = tab;
    o.ctx = ctx;
    for (;;) {
        o.initial = text;
        line = line_edit(app, &o, &end, NULL);
        free(text);
        if (end == LE_ENTER)
            break;
        if (end != LE_BTAB && end != LE_FKEY) {
            free(line);
            app->msg[0] = '\0';
            return NULL;
        }
        text = line;    /* a key that means nothing here: go on editing */
    }
    app->msg[0] = '\0';
    return line;
}

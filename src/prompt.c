#include "prompt.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "i18n.h"
#include "keys.h"
#include "ui.h"
#include "util.h"

/* readline runs inside curses: it reads bytes through our key reader (so the
 * scripted tests can type into it) and we paint its line ourselves. */

static struct app *cur_app;
static const char *cur_label;
static const char *cur_initial;
static unsigned char bytes[64];
static int nbytes, ibytes;
static int cancelled;
static int masked;          /* a password: one * per character, no history */
static FILE *devnull;

static void queue_bytes(const char *s, size_t n)
{
    if (n > sizeof bytes)
        n = sizeof bytes;
    memcpy(bytes, s, n);
    nbytes = (int)n;
    ibytes = 0;
}

static void queue_char(unsigned cp)
{
    char buf[4];

    queue_bytes(buf, (size_t)utf8_encode(cp, buf));
}

static int getc_from_app(FILE *unused)
{
    (void)unused;
    for (;;) {
        int key;

        if (ibytes < nbytes)
            return bytes[ibytes++];
        key = ui_getkey(cur_app);
        switch (key) {
        case PSEUDO_TICK:
        case PSEUDO_NOTIFY:
            continue;
        case PSEUDO_LOST:
            ui_db_error(cur_app, DB_LOST);
            continue;
        case KEYF(KEY_RESIZE):
            cur_app->rows = LINES;
            cur_app->cols = COLS;
            rl_forced_update_display();
            continue;
        case PSEUDO_EOF:
            cur_app->quit = 1;
            /* fall through */
        case KEY_ESC:
        case KEY_CTRL('g'):
            cancelled = 1;
            return '\n';
        case '\n':
        case KEYF(KEY_ENTER):
            return '\n';
        case KEYF(KEY_LEFT): queue_bytes("\033[D", 3); continue;
        case KEYF(KEY_RIGHT): queue_bytes("\033[C", 3); continue;
        case KEYF(KEY_UP): queue_bytes("\033[A", 3); continue;
        case KEYF(KEY_DOWN): queue_bytes("\033[B", 3); continue;
        case KEYF(KEY_HOME): queue_bytes("\001", 1); continue;
        case KEYF(KEY_END): queue_bytes("\005", 1); continue;
        case KEYF(KEY_DC): queue_bytes("\004", 1); continue;
        case KEYF(KEY_BACKSPACE): return 127;
        default:
            if (KEY_IS_FUNC(key))
                continue;
            queue_char((unsigned)key);
            continue;
        }
    }
}

/* Display width of the first n bytes of s. */
static int width_n(char *s, int n)
{
    char saved = s[n];
    int w;

    s[n] = '\0';
    w = utf8_width(s);
    s[n] = saved;
    return w;
}

static void redisplay(void)
{
    static char stars[256];
    struct app *app = cur_app;
    int y = app->rows - 2, lw, avail, before, start = 0;
    char *line = rl_line_buffer ? rl_line_buffer : "";
    char saved;

    ui_redraw(app);
    /* what was wrong with the last answer stays in sight above the line */
    if (app->msg[0] && app->msg_kind == MSG_ERROR)
        ui_text_pad(y - 1, 0, app->cols, app->msg, R_ERROR);
    ui_fill(y, 0, app->cols, R_NORMAL);
    lw = ui_text(y, 0, app->cols / 2, cur_label, R_TITLE);
    avail = app->cols - lw - 1;
    /* scroll so the cursor stays visible */
    saved = line[rl_point];
    line[rl_point] = '\0';
    before = utf8_width(line);
    line[rl_point] = saved;
    while (before - width_n(line, start) >= avail && line[start]) {
        start++;
        while (line[start] && ((unsigned char)line[start] & 0xC0) == 0x80)
            start++;
    }
    if (masked) {
        int n = 0, k;
        unsigned cp;
        const char *p = line;

        while (n < (int)sizeof stars - 1 && (k = utf8_decode(p, &cp)) != 0) {
            stars[n++] = '*';
            p += k > 0 ? k : 1;
        }
        stars[n] = '\0';
        /* the cursor: one column per character before it */
        for (p = line, before = 0; p < line + rl_point && (k = utf8_decode(p, &cp)) != 0; p += k > 0 ? k : 1)
            before++;
        start = 0;
        line = stars;
    }
    ui_text(y, lw, avail, line + start, R_NORMAL);
    move(y, lw + before - width_n(line, start));
    curs_set(1);
    wnoutrefresh(stdscr);
    doupdate();
}

static void prep_term(int meta)
{
    (void)meta;
}

static void deprep_term(void)
{
}

/* readline asks whether more input waits before it redraws; only our own
 * queue of bytes counts (its stream is /dev/null, which always looks ready). */
static int input_available(void)
{
    return ibytes < nbytes;
}

static int insert_initial(void)
{
    if (cur_initial)
        rl_insert_text(cur_initial);
    return 0;
}

static char *no_completion(const char *text, int state)
{
    (void)text;
    (void)state;
    return NULL;
}

char *prompt_line(struct app *app, const char *label, const char *initial)
{
    char *line;

    if (!devnull)
        devnull = fopen("/dev/null", "w+");
    cur_app = app;
    cur_label = label;
    cur_initial = initial;
    nbytes = ibytes = 0;
    cancelled = 0;
    rl_readline_name = "signaldesk";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_instream = devnull;
    rl_outstream = devnull;
    rl_getc_function = getc_from_app;
    rl_redisplay_function = redisplay;
    rl_prep_term_function = prep_term;
    rl_deprep_term_function = deprep_term;
    rl_startup_hook = insert_initial;
    rl_input_available_hook = input_available;
    rl_completion_entry_function = no_completion;
    line = readline("");
    rl_startup_hook = NULL;
    curs_set(0);
    app->msg[0] = '\0';
    if (cancelled) {
        free(line);
        return NULL;
    }
    if (line && *line && !masked)
        add_history(line);
    return line ? line : xstrdup("");
}

char *prompt_secret(struct app *app, const char *label)
{
    char *line;

    masked = 1;
    line = prompt_line(app, label, NULL);
    masked = 0;
    return line;
}

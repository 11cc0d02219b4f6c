#include "prompt.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
static const struct prompt_opts *cur_opts;
static char note[1024];
static int note_error;

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
        case KEY_CTRL('c'):
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
    if (note[0]) {
        ui_fill(y - 1, 0, app->cols, note_error ? R_ERROR : R_STATUS);
        ui_text(y - 1, 0, app->cols, note, note_error ? R_ERROR : R_STATUS);
    } else if (app->msg[0] && app->msg_kind == MSG_ERROR) {
        /* what was wrong with the last answer stays in sight above the line */
        ui_text_pad(y - 1, 0, app->cols, app->msg, R_ERROR);
    }
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
    if (cur_opts && cur_opts->point >= 0 && cur_opts->point <= rl_end)
        rl_point = cur_opts->point;
    return 0;
}

/* readline's completion, through the caller's function. */
static char **complete(const char *text, int start, int end)
{
    int append = ' ';
    char **m;

    (void)text;
    rl_attempted_completion_over = 1;
    if (!cur_opts || !cur_opts->complete)
        return NULL;
    m = cur_opts->complete(cur_opts->ctx, rl_line_buffer, start, end, &append);
    rl_completion_append_character = append;
    rl_completion_suppress_quote = 1;
    if (!m || !m[0]) {
        free(m);
        return NULL;
    }
    {
        /* readline wants the common prefix first, then the matches */
        int n = 0, i;
        size_t common;
        char **out;

        while (m[n])
            n++;
        common = strlen(m[0]);
        for (i = 1; i < n; i++) {
            size_t k = 0;

            while (k < common && m[i][k] == m[0][k])
                k++;
            common = k;
        }
        /* never split a UTF-8 character */
        while (common > 0 && ((unsigned char)m[0][common] & 0xC0) == 0x80)
            common--;
        out = xcalloc((size_t)n + 2, sizeof *out);
        if (n == 1) {
            out[0] = m[0];
        } else {
            out[0] = xmalloc(common + 1);
            memcpy(out[0], m[0], common);
            out[0][common] = '\0';
            for (i = 0; i < n; i++)
                out[i + 1] = m[i];
        }
        free(m);
        return out;
    }
}

/* More than one match: they are listed on the line above the prompt. */
static void show_matches(char **matches, int num, int max_length)
{
    int i;
    size_t n = 0;

    (void)max_length;
    note[0] = '\0';
    note_error = 0;
    for (i = 1; i <= num && n + 2 < sizeof note; i++)
        n += (size_t)snprintf(note + n, sizeof note - n, "%s%s", i > 1 ? "  " : " ", matches[i]);
    rl_forced_update_display();
}

int prompt_history_path(const char *name, char *out, unsigned size)
{
    return state_path(name, out, size);
}

static char *no_completion(const char *text, int state)
{
    (void)text;
    (void)state;
    return NULL;
}

void prompt_readline_setup(int (*getc_fn)(FILE *), void (*redisplay_fn)(void), int (*startup_fn)(void),
                           int (*pending_fn)(void))
{
    if (!devnull)
        devnull = fopen("/dev/null", "w+");
    rl_readline_name = "signaldesk";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_instream = devnull;
    rl_outstream = devnull;
    rl_getc_function = getc_fn;
    rl_redisplay_function = redisplay_fn;
    rl_prep_term_function = prep_term;
    rl_deprep_term_function = deprep_term;
    rl_startup_hook = startup_fn;
    rl_input_available_hook = pending_fn;
    rl_completion_entry_function = no_completion;
}

char *prompt_line(struct app *app, const char *label, const char *initial)
{
    struct prompt_opts o;

    memset(&o, 0, sizeof o);
    o.point = -1;
    return prompt_line_opts(app, label, initial, &o);
}

char *prompt_line_opts(struct app *app, const char *label, const char *initial, const struct prompt_opts *o)
{
    char *line;
    char histfile[4096] = "";

    cur_app = app;
    cur_label = label;
    cur_initial = initial;
    nbytes = ibytes = 0;
    cancelled = 0;
    cur_opts = o;
    str_copy(note, sizeof note, o->note ? o->note : "");
    note_error = o->note_error;
    if (o->history && prompt_history_path(o->history, histfile, sizeof histfile) == 0) {
        clear_history();
        read_history(histfile);
    }
    prompt_readline_setup(getc_from_app, redisplay, insert_initial, input_available);
    rl_attempted_completion_function = complete;
    rl_completion_display_matches_hook = show_matches;
    rl_completer_word_break_characters = (char *)" ";
    rl_variable_bind("show-all-if-ambiguous", "on");
    rl_variable_bind("bell-style", "none");
    line = readline("");
    rl_startup_hook = NULL;
    cur_opts = NULL;
    note[0] = '\0';
    curs_set(0);
    app->msg[0] = '\0';
    if (cancelled) {
        free(line);
        if (histfile[0])
            clear_history();
        return NULL;
    }
    if (line && *line && !masked) {
        HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;

        /* the same search twice in a row is kept once */
        if (!last || strcmp(last->line, line) != 0) {
            add_history(line);
            if (histfile[0]) {
                if (append_history(1, histfile) != 0)
                    write_history(histfile);
                if (o->history_size > 0)
                    history_truncate_file(histfile, o->history_size);
            }
        }
    }
    if (histfile[0])
        clear_history();
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

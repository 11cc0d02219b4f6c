#include "ui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "i18n.h"
#include "script.h"
#include "signals.h"
#include "util.h"

#define MIN_COLS 80
#define MIN_ROWS 24

static SCREEN *screen;
static FILE *null_out, *null_in;
static int role_attr[R_COUNT];
static volatile sig_atomic_t got_terminate;   /* the signal that ends us (SIGHUP for a terminal gone) */
static volatile sig_atomic_t got_winch;
/* The handlers of SIGINT, SIGTERM and SIGHUP write a byte here: it wakes
 * whatever waits (the key loop, or db.c waiting for a statement, which then
 * cancels it). */
static int wake_pipe[2] = { -1, -1 };

/* ---- colours -------------------------------------------------------- */

struct role_spec {
    const char *name;
    const char *color;  /* default "fg bg attrs" */
    int mono;           /* attributes without colour */
};

static const struct role_spec role_specs[R_COUNT] = {
    [R_NORMAL]     = { "normal",     "default default",       A_NORMAL },
    [R_HEADER]     = { "header",     "white blue",            A_REVERSE },
    [R_TAB]        = { "tab",        "white blue",            A_REVERSE },
    [R_TAB_ACTIVE] = { "tab-active", "black cyan bold",       A_BOLD },
    [R_CURSOR]     = { "cursor",     "black cyan",            A_REVERSE },
    [R_STATUS]     = { "status",     "black white",           A_REVERSE },
    [R_ERROR]      = { "error",      "white red bold",        A_BOLD | A_REVERSE },
    [R_BAR_KEY]    = { "bar-key",    "default default bold",  A_BOLD },
    [R_BAR_LABEL]  = { "bar-label",  "black cyan",            A_REVERSE },
    [R_OVERDUE]    = { "overdue",    "red default bold",      A_BOLD },
    [R_TITLE]      = { "title",      "yellow default bold",   A_BOLD },
    [R_DIM]        = { "dim",        "cyan default",          A_NORMAL },
    [R_PUBLIC]     = { "public",     "green default",         A_NORMAL },
    [R_RULE]       = { "rule",       "blue default bold",     A_NORMAL },
    [R_CHANGED]    = { "changed",    "default default bold",  A_BOLD },
};

static const char *const color_names[] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static int parse_color_word(const char *w, short *c)
{
    size_t i;

    if (strcasecmp(w, "default") == 0) {
        *c = -1;
        return 0;
    }
    for (i = 0; i < ARRAY_SIZE(color_names); i++)
        if (strcasecmp(w, color_names[i]) == 0) {
            *c = (short)i;
            return 0;
        }
    return -1;
}

static int parse_attr_word(const char *w, int *attr)
{
    if (strcasecmp(w, "bold") == 0)
        *attr |= A_BOLD;
    else if (strcasecmp(w, "reverse") == 0)
        *attr |= A_REVERSE;
    else if (strcasecmp(w, "underline") == 0)
        *attr |= A_UNDERLINE;
    else if (strcasecmp(w, "dim") == 0)
        *attr |= A_DIM;
    else if (strcasecmp(w, "normal") != 0)
        return -1;
    return 0;
}

/* "fg bg [bold|reverse|underline|dim ...]" */
static int parse_color_spec(const char *value, short *fg, short *bg, int *attr, char *err, size_t errsz)
{
    char buf[128], *tok, *save = NULL;
    int i = 0;

    *fg = *bg = -1;
    *attr = 0;
    str_copy(buf, sizeof buf, value);
    for (tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save), i++) {
        if (i < 2 && parse_color_word(tok, i == 0 ? fg : bg) == 0)
            continue;
        if (i >= 2 && parse_attr_word(tok, attr) == 0)
            continue;
        snprintf(err, errsz,
                 _("'%s' is not a colour or attribute (colours: default black red green yellow blue magenta "
                   "cyan white; then bold, reverse, underline, dim)"),
                 tok);
        return -1;
    }
    if (i < 2) {
        snprintf(err, errsz, "%s", _("a colour needs a foreground and a background, e.g. 'white blue bold'"));
        return -1;
    }
    return 0;
}

static int role_by_name(const char *name)
{
    int i;

    for (i = 0; i < R_COUNT; i++)
        if (strcmp(role_specs[i].name, name) == 0)
            return i;
    return -1;
}

int ui_check_color(const char *name, const char *value, char *err, size_t errsz)
{
    short fg, bg;
    int attr;

    if (role_by_name(name) < 0) {
        struct strbuf names;
        int i;

        sb_init(&names);
        for (i = 0; i < R_COUNT; i++)
            sb_addf(&names, "%s%s", i ? ", " : "", role_specs[i].name);
        snprintf(err, errsz, _("unknown screen element '%s' in [colors] (known: %s)"), name, names.buf);
        sb_free(&names);
        return -1;
    }
    return parse_color_spec(value, &fg, &bg, &attr, err, errsz);
}

static int want_colors(const struct app *app)
{
    const char *term = getenv("TERM");
    const char *no = getenv("NO_COLOR");

    if (app->cfg->colors == 0)
        return 0;
    if (app->cfg->colors < 0 && no && *no)
        return 0;
    if (term && strncmp(term, "vt1", 3) == 0)
        return 0;
    return has_colors();
}

static void setup_colors(struct app *app)
{
    int i;

    if (!want_colors(app)) {
        for (i = 0; i < R_COUNT; i++)
            role_attr[i] = role_specs[i].mono;
        return;
    }
    start_color();
    use_default_colors();
    for (i = 0; i < R_COUNT; i++) {
        const char *value = config_str(app->cfg, "colors", role_specs[i].name, role_specs[i].color);
        short fg, bg;
        int attr;
        char err[256];

        if (parse_color_spec(value, &fg, &bg, &attr, err, sizeof err) < 0)
            parse_color_spec(role_specs[i].color, &fg, &bg, &attr, err, sizeof err);
        init_pair((short)(i + 1), fg, bg);
        role_attr[i] = (int)COLOR_PAIR(i + 1) | attr;
    }
}

int ui_attr(enum ui_role role)
{
    return role_attr[role];
}

/* ---- start and end -------------------------------------------------- */

/* Takes the size the terminal reports, whatever LINES/COLUMNS say.  Returns
 * 1 when it changed (curses then queues KEY_RESIZE). */
static int sync_size(void)
{
    struct winsize ws;

    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
        (ws.ws_row != LINES || ws.ws_col != COLS)) {
        resizeterm(ws.ws_row, ws.ws_col);
        return 1;
    }
    return 0;
}

static void wake(void)
{
    int saved = errno;

    if (wake_pipe[1] >= 0 && write(wake_pipe[1], "!", 1) < 0) {
        /* full: a wake-up is waiting already */
    }
    errno = saved;
}

static void on_terminate(int sig)
{
    got_terminate = sig;
    wake();
}

/* Only a flag here; the key loop asks the terminal for its size. */
static void on_winch(int sig)
{
    (void)sig;
    got_winch = 1;
}

/* Ctrl-C: stops the statement running, never the program. */
static void on_interrupt(int sig)
{
    (void)sig;
    wake();
}

/* 1 when a Ctrl-C (or an ending signal) came since the last look. */
static int take_wake(void)
{
    char buf[64];
    int any = 0;

    if (wake_pipe[0] < 0)
        return 0;
    while (read(wake_pipe[0], buf, sizeof buf) > 0)
        any = 1;
    return any;
}

int ui_terminated(void)
{
    return got_terminate;
}

void ui_end(void)
{
    if (screen) {
        endwin();
        delscreen(screen);
        screen = NULL;
    }
    if (null_out)
        fclose(null_out);
    if (null_in)
        fclose(null_in);
    null_out = null_in = NULL;
}

/* A statement takes long: say so on the status line, and how to stop it.
 * Only that line is painted, from nothing the screen holds: the screen may
 * be half-way through a change. */
static void ui_waiting(void *ctx, enum db_wait what)
{
    static char saved[sizeof ((struct app *)0)->msg];
    static enum msg_kind saved_kind;
    static const char *shown;
    struct app *app = ctx;

    if (what == DB_WAIT_END) {
        /* what was there before, unless something else was said meanwhile */
        if (shown && strcmp(app->msg, shown) == 0) {
            memcpy(app->msg, saved, sizeof saved);
            app->msg_kind = saved_kind;
        }
        shown = NULL;
        return;
    }
    if (!shown) {
        memcpy(saved, app->msg, sizeof saved);
        saved_kind = app->msg_kind;
    }
    shown = what == DB_WAIT_START_KEY ? _("Working… any key stops it.") : _("Working… Ctrl-C stops it.");
    ui_message(app, MSG_INFO, "%s", shown);
    if (app->too_small || !screen)
        return;
    ui_fill(app->rows - 2, 0, app->cols, R_STATUS);
    ui_text(app->rows - 2, 1, app->cols - 2, shown, R_STATUS);
    wnoutrefresh(stdscr);
    doupdate();
}

/* Keys that some terminal descriptions leave out (vt100 has no PgDn, Home,
 * End, Delete, Shift-Tab or F5-F10; screen no Home/End of the VT220 kind)
 * while the terminal in front, often an emulator or tmux, sends them the
 * xterm or VT220 way whatever TERM says.  Unknown, a PgDn would come as
 * four keys: Esc [ 6 ~, and the 6 would jump to the sixth queue. */
static void define_missing_keys(void)
{
    static const struct {
        const char *seq;
        int key;
    } extra[] = {
        { "\033[A", KEY_UP }, { "\033[B", KEY_DOWN }, { "\033[C", KEY_RIGHT }, { "\033[D", KEY_LEFT },
        { "\033OA", KEY_UP }, { "\033OB", KEY_DOWN }, { "\033OC", KEY_RIGHT }, { "\033OD", KEY_LEFT },
        { "\033[H", KEY_HOME }, { "\033[F", KEY_END }, { "\033OH", KEY_HOME }, { "\033OF", KEY_END },
        { "\033[1~", KEY_HOME }, { "\033[4~", KEY_END }, { "\033[7~", KEY_HOME }, { "\033[8~", KEY_END },
        { "\033[2~", KEY_IC }, { "\033[3~", KEY_DC }, { "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE },
        { "\033[Z", KEY_BTAB },
        { "\033OP", KEY_F(1) }, { "\033OQ", KEY_F(2) }, { "\033OR", KEY_F(3) }, { "\033OS", KEY_F(4) },
        { "\033[11~", KEY_F(1) }, { "\033[12~", KEY_F(2) }, { "\033[13~", KEY_F(3) }, { "\033[14~", KEY_F(4) },
        { "\033[[A", KEY_F(1) }, { "\033[[B", KEY_F(2) }, { "\033[[C", KEY_F(3) }, { "\033[[D", KEY_F(4) },
        { "\033[[E", KEY_F(5) }, { "\033[15~", KEY_F(5) }, { "\033[17~", KEY_F(6) }, { "\033[18~", KEY_F(7) },
        { "\033[19~", KEY_F(8) }, { "\033[20~", KEY_F(9) }, { "\033[21~", KEY_F(10) },
        { "\033[23~", KEY_F(11) }, { "\033[24~", KEY_F(12) },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(extra); i++)
        if (key_defined(extra[i].seq) == 0)
            define_key(extra[i].seq, extra[i].key);
}

int ui_start(struct app *app, int script_mode, char *err, size_t errsz)
{
    struct sigaction sa;
    /* SIGNALDESK_SCRIPT_TTY=1: a scripted run that still draws on the
     * terminal, as a person's run does (make bench counts the bytes) */
    const char *on_tty = getenv("SIGNALDESK_SCRIPT_TTY");
    int tty = !script_mode || (on_tty && strcmp(on_tty, "1") == 0);

    if (!tty) {
        const char *term = getenv("TERM");

        null_out = fopen("/dev/null", "w");
        null_in = fopen("/dev/null", "r");
        if (!null_out || !null_in) {
            snprintf(err, errsz, "/dev/null: %s", strerror(errno));
            return -1;
        }
        screen = newterm(term && *term ? term : "xterm", null_out, null_in);
    } else {
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
            snprintf(err, errsz, "%s", _("signaldesk needs a terminal (for scripted runs set SIGNALDESK_SCRIPT)."));
            return -1;
        }
        screen = newterm(NULL, stdout, stdin);
    }
    if (!screen) {
        snprintf(err, errsz, _("cannot use the terminal type '%s'; try TERM=xterm"),
                 getenv("TERM") ? getenv("TERM") : "");
        return -1;
    }
    set_term(screen);
    die_hook = ui_end;
    if (tty)
        sync_size();
    if (tty && (LINES < MIN_ROWS || COLS < MIN_COLS)) {
        int l = LINES, c = COLS;

        ui_end();
        snprintf(err, errsz, _("The terminal is %dx%d; signaldesk needs at least %dx%d."), c, l, MIN_COLS,
                 MIN_ROWS);
        return -1;
    }
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    define_missing_keys();
    set_escdelay(25);
    curs_set(0);
    setup_colors(app);
    app->rows = LINES;
    app->cols = COLS;
    app->too_small = LINES < MIN_ROWS || COLS < MIN_COLS;
    app->script = script_mode;
    if (wake_pipe[0] < 0 && pipe(wake_pipe) == 0) {
        int i;

        for (i = 0; i < 2; i++) {
            fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    /* every statement: Ctrl-C cancels it, and past a moment the status
     * line says it is working; a key stops reads only at a real keyboard */
    app->db->cancel_fd = wake_pipe[0];
    app->db->ending = ui_terminated;
    app->db->waiting = ui_waiting;
    app->db->waiting_ctx = app;
    if (!script_mode)
        app->db->interrupt_fd = STDIN_FILENO;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_terminate;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_interrupt;
    sigaction(SIGINT, &sa, NULL);
    if (tty) {
        sa.sa_handler = on_winch;
        sigaction(SIGWINCH, &sa, NULL);
    }
    return 0;
}

/* ---- drawing -------------------------------------------------------- */

static void put_wc(int y, int x, wchar_t wc, int attr)
{
    cchar_t cc;
    wchar_t s[2] = { wc, 0 };

    setcchar(&cc, s, (attr_t)(attr & ~A_COLOR), (short)PAIR_NUMBER(attr), NULL);
    mvadd_wch(y, x, &cc);
}

int ui_text(int y, int x, int width, const char *s, enum ui_role role)
{
    int used = 0, attr = role_attr[role];
    unsigned cp;
    int n;

    if (!s || width <= 0 || y < 0 || y >= LINES)
        return 0;
    while ((n = utf8_decode(s, &cp)) != 0) {
        int w;
        wchar_t wc;

        if (n < 0) {
            n = 1;
            cp = '?';
        }
        wc = (wchar_t)cp;
        if (cp < 32 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
            wc = cp == '\t' || cp == '\n' ? L' ' : L'?';
        w = wcwidth(wc);
        if (w < 0)
            w = 1, wc = L'?';
        if (used + w > width)
            break;
        if (w > 0)
            put_wc(y, x + used, wc, attr);
        used += w;
        s += n;
    }
    return used;
}

void ui_fill(int y, int x, int width, enum ui_role role)
{
    int i;

    for (i = 0; i < width; i++)
        put_wc(y, x + i, L' ', role_attr[role]);
}

int ui_text_pad(int y, int x, int width, const char *s, enum ui_role role)
{
    int used = ui_text(y, x, width, s, role);

    ui_fill(y, x + used, width - used, role);
    return width;
}

void ui_hline(int y, int x, int width, const char *title, enum ui_role role)
{
    int i = 0;

    if (title) {
        i += ui_text(y, x, width, "── ", role);
        i += ui_text(y, x + i, width - i, title, role);
        i += ui_text(y, x + i, width - i, " ", role);
    }
    for (; i < width; i++)
        put_wc(y, x + i, L'─', role_attr[role]);
}

void ui_message(struct app *app, enum msg_kind kind, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(app->msg, sizeof app->msg, fmt, ap);
    va_end(ap);
    app->msg_kind = kind;
}

static void draw_status(struct app *app)
{
    char left[512] = "", right[128] = "", conn[64];
    int y = app->rows - 2, w = app->cols, rw, cw;

    if (app->depth > 0 && app->stack[app->depth - 1].ops->status)
        app->stack[app->depth - 1].ops->status(app->stack[app->depth - 1].st, app, left, sizeof left, right,
                                               sizeof right);
    snprintf(conn, sizeof conn, "%s", app->lost ? _("○ no connection") : _("● connected"));
    ui_fill(y, 0, w, R_STATUS);
    cw = utf8_width(conn);
    ui_text(y, w - cw - 1, cw, conn, app->lost ? R_ERROR : R_STATUS);
    rw = utf8_width(right);
    if (rw)
        ui_text(y, w - cw - rw - 4, rw, right, R_STATUS);
    if (app->msg[0])
        ui_text_pad(y, 0, w - cw - rw - 5, app->msg, app->msg_kind == MSG_ERROR ? R_ERROR : R_STATUS);
    else
        ui_text(y, 1, w - cw - rw - 6, left, R_STATUS);
}

/* The function-key bar: F1..F10 with the actions bound to them here. */
static void draw_bar(struct app *app)
{
    unsigned scopes = SCOPE_GLOBAL | (app->depth ? app->stack[app->depth - 1].ops->scope : 0);
    int y = app->rows - 1, x = 0, f, slot = app->cols / 10;

    ui_fill(y, 0, app->cols, R_BAR_LABEL);
    for (f = 1; f <= 10; f++) {
        enum action act = keymap_lookup(KEYF(KEY_F(f)), scopes);
        char num[4];

        x = (f - 1) * slot;
        snprintf(num, sizeof num, "%d", f);
        x += ui_text(y, x, 2, num, R_BAR_KEY);
        /* only what this person may use */
        if (act != ACT_NONE && action_table[act].bar && action_allowed(act, level_parse(app->me.level)))
            ui_text_pad(y, x, slot - (int)strlen(num), _(action_table[act].bar), R_BAR_LABEL);
        else
            ui_fill(y, x, slot - (int)strlen(num), R_BAR_LABEL);
    }
}

void ui_redraw(struct app *app)
{
    erase();
    if (app->too_small) {
        char line[160];

        snprintf(line, sizeof line, _("The terminal is %dx%d; signaldesk needs at least %dx%d."), app->cols,
                 app->rows, MIN_COLS, MIN_ROWS);
        mvaddstr(0, 0, "");
        ui_text(app->rows / 2, 0, app->cols, line, R_ERROR);
        ui_text(app->rows / 2 + 1, 0, app->cols, _("Make the window larger, or press Q or F10 to quit."), R_NORMAL);
    } else {
        if (app->depth > 0)
            app->stack[app->depth - 1].ops->draw(app->stack[app->depth - 1].st, app);
        draw_status(app);
        draw_bar(app);
    }
    wnoutrefresh(stdscr);
    doupdate();
}

/* ---- screens -------------------------------------------------------- */

int ui_push(struct app *app, const struct screen_ops *ops, const void *arg)
{
    void *st;

    if (app->depth >= MAX_SCREENS)
        return -1;
    st = ops->open(app, arg);
    if (!st)
        return -1;
    app->stack[app->depth].ops = ops;
    app->stack[app->depth].st = st;
    app->depth++;
    return 0;
}

void ui_pop(struct app *app)
{
    if (app->depth == 0)
        return;
    app->depth--;
    app->stack[app->depth].ops->close(app->stack[app->depth].st);
    /* what is under it may have changed meanwhile */
    if (app->depth > 0 && app->stack[app->depth - 1].ops->reload)
        app->stack[app->depth - 1].ops->reload(app->stack[app->depth - 1].st, app);
}

/* ---- the connection ------------------------------------------------- */

void ui_db_error(struct app *app, enum db_status rc)
{
    if (rc == DB_LOST) {
        if (!app->lost) {
            app->lost = 1;
            app->reconnect_delay = 1;
            app->next_reconnect = time(NULL);
        }
        ui_message(app, MSG_ERROR, "%s", _("The connection to the database was lost; reconnecting…"));
        return;
    }
    ui_message(app, MSG_ERROR, "%s", app->db->errmsg);
}

/* A change the connection dropped under was made or not, and nobody could
 * tell at the time: the history says which, now that it is back. */
static void tell_lost_change(struct app *app)
{
    char regs[3][40];
    struct strbuf list;
    long long since;
    int n, total, i;

    if (!db_change_lost(app->db, &since))
        return;
    if (signals_changed_since(app->db, since, regs, 3, &n, &total) != DB_OK) {
        ui_message(app, MSG_ERROR, "%s", _("Back online; whether your last change was saved is unknown: see the history."));
        return;
    }
    if (total == 0) {
        ui_message(app, MSG_ERROR, "%s", _("Back online: your last change was NOT saved; do it again."));
        return;
    }
    sb_init(&list);
    for (i = 0; i < n; i++)
        sb_addf(&list, "%s%s", i ? ", " : "", regs[i]);
    if (total > n)
        sb_add(&list, " …");
    ui_message(app, MSG_INFO, _("Back online: your last change was saved (%s)."), list.buf);
    sb_free(&list);
}

static void try_reconnect(struct app *app)
{
    time_t now = time(NULL);

    /* a script has no idle seconds: it tries at every key */
    /* ending: a server that does not answer would only hold the end up */
    if (!app->lost || got_terminate || (!app->script && now < app->next_reconnect))
        return;
    if (db_reconnect(app->db) == DB_OK) {
        app->lost = 0;
        ui_message(app, MSG_INFO, "%s", _("Connected to the database again."));
        if (app->depth > 0 && app->stack[app->depth - 1].ops->reload)
            app->stack[app->depth - 1].ops->reload(app->stack[app->depth - 1].st, app);
        tell_lost_change(app);
        return;
    }
    app->next_reconnect = now + app->reconnect_delay;
    if (app->reconnect_delay < 30)
        app->reconnect_delay *= 2;
    ui_message(app, MSG_ERROR, _("No connection to the database (%s); trying again in %d s…"),
               app->db->errmsg, app->reconnect_delay);
}

/* ---- keys ----------------------------------------------------------- */

static int read_terminal_key(void)
{
    wint_t wc;
    int rc = get_wch(&wc);

    if (rc == ERR)
        return -1;
    if (rc == KEY_CODE_YES)
        return KEYF((int)wc);
    if (wc == '\r')
        return '\n';
    if (wc == 127 || wc == 8)
        return KEYF(KEY_BACKSPACE);
    return (int)wc;
}

/* A statement of the screen's is running and its result has come. */
static int result_arrived(struct app *app)
{
    if (!db_busy(app->db) || app->db->told || !db_ready(app->db))
        return 0;
    app->db->told = 1;
    return 1;
}

int ui_getkey(struct app *app)
{
    for (;;) {
        struct pollfd fds[3];
        int nfds = 1, sock = -1, key, rc;

        if (got_terminate)
            return PSEUDO_EOF;
        /* Ctrl-C comes as a signal (the terminal is in cbreak mode): here,
         * with no statement of ours running, it is a key */
        if (take_wake())
            return got_terminate ? PSEUDO_EOF : KEY_CTRL('c');
        if (result_arrived(app))
            return PSEUDO_RESULT;
        if (app->script && db_busy(app->db) && !app->db->told) {
            /* a script's next key waits until the screen's statement is done */
            struct pollfd p[2];

            p[0].fd = db_socket(app->db);
            p[0].events = POLLIN;
            p[1].fd = wake_pipe[0];
            p[1].events = POLLIN;
            if (p[0].fd < 0 || (poll(p, wake_pipe[0] >= 0 ? 2 : 1, -1) < 0 && errno != EINTR)) {
                app->db->told = 1;
                return PSEUDO_RESULT;
            }
            continue;
        }
        if (got_winch) {
            got_winch = 0;
            sync_size();    /* queues KEY_RESIZE when the size changed */
            continue;
        }
        if (app->script) {
            if (!app->lost && db_socket(app->db) >= 0 && db_drain_notifications(app->db) < 0)
                return PSEUDO_LOST;
            key = script_next_key(app);
            if (key == -1)
                return KEYF(KEY_RESIZE);
            return key;
        }
        timeout(0);
        key = read_terminal_key();
        if (key != -1)
            return key;
        fds[0].fd = STDIN_FILENO;
        fds[0].events = POLLIN;
        if (wake_pipe[0] >= 0) {
            fds[nfds].fd = wake_pipe[0];
            fds[nfds++].events = POLLIN;
        }
        if (!app->lost && db_socket(app->db) >= 0) {
            sock = nfds;
            fds[nfds].fd = db_socket(app->db);
            fds[nfds++].events = POLLIN;
        }
        rc = poll(fds, (nfds_t)nfds, 1000);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc == 0)
            return PSEUDO_TICK;
        if (sock >= 0 && fds[sock].revents && db_busy(app->db)) {
            if (result_arrived(app))
                return PSEUDO_RESULT;
            continue;
        }
        if (sock >= 0 && fds[sock].revents) {
            int n = db_drain_notifications(app->db);

            if (n < 0)
                return PSEUDO_LOST;
            if (n > 0)
                return PSEUDO_NOTIFY;
        }
        if (fds[0].revents & (POLLHUP | POLLERR)) {
            /* the terminal is gone (a dropped SSH session): as SIGHUP */
            got_terminate = SIGHUP;
            return PSEUDO_EOF;
        }
    }
}

void ui_idle(struct app *app)
{
    try_reconnect(app);
}

static void handle_resize(struct app *app);

void ui_resized(struct app *app)
{
    handle_resize(app);
}

static void handle_resize(struct app *app)
{
    app->rows = LINES;
    app->cols = COLS;
    app->too_small = LINES < MIN_ROWS || COLS < MIN_COLS;
    if (!app->too_small && app->depth > 0 && app->stack[app->depth - 1].ops->reload)
        app->stack[app->depth - 1].ops->reload(app->stack[app->depth - 1].st, app);
}

static void dispatch(struct app *app, int key)
{
    void *st = app->stack[app->depth - 1].st;
    const struct screen_ops *ops = app->stack[app->depth - 1].ops;
    enum action act;
    char name[32];

    switch (key) {
    case KEYF(KEY_RESIZE):
        handle_resize(app);
        return;
    case PSEUDO_TICK:
        try_reconnect(app);
        return;
    case PSEUDO_NOTIFY:
        if (ops->reload)
            ops->reload(st, app);
        return;
    case PSEUDO_LOST:
        /* the first attempt at once: a restarted server is back in ms */
        ui_db_error(app, DB_LOST);
        try_reconnect(app);
        return;
    case PSEUDO_EOF:
        app->quit = 1;
        return;
    case PSEUDO_RESULT:
        ops->handle(st, app, ACT_NONE, key);
        return;
    default:
        break;
    }
    app->msg[0] = '\0';
    if (db_busy(app->db)) {
        /* a key press stops what the screen was waiting for */
        db_cancel(app->db);
        ops->handle(st, app, ACT_NONE, PSEUDO_CANCELED);
        if (key == KEY_ESC || key == KEY_CTRL('c'))
            return;
    }
    if (app->lost)
        try_reconnect(app);
    act = keymap_lookup(key, SCOPE_GLOBAL | ops->scope);
    if (key == KEY_CTRL('c') && act == ACT_NONE) {
        /* a reflex from the shell: it never ends the console */
        ui_message(app, MSG_INFO, "%s", _("Ctrl-C stops only a slow request; F10 quits."));
        return;
    }
    if (app->too_small) {
        if (act == ACT_QUIT)
            app->quit = 1;
        return;
    }
    /* an action above the person's level never reaches the screen */
    if (!action_allowed(act, level_parse(app->me.level))) {
        ui_message(app, MSG_ERROR, _("Only a %s may do this; you are a %s."), level_label(action_level(act)),
                   level_label(level_parse(app->me.level)));
        return;
    }
    if (ops->handle(st, app, act, key) == HANDLED) {
        /* a screen that closed itself may leave an action for the one below */
        if (app->pending_action && app->depth > 0) {
            enum action next = app->pending_action;

            app->pending_action = ACT_NONE;
            app->stack[app->depth - 1].ops->handle(app->stack[app->depth - 1].st, app, next, 0);
        }
        return;
    }
    switch (act) {
    case ACT_HELP:
        ui_push(app, &help_screen, NULL);
        break;
    case ACT_NEW:
        ui_push(app, &intake_screen, NULL);
        break;
    case ACT_ADMIN:
        admin_menu(app);
        break;
    case ACT_QUIT:
        app->quit = 1;
        break;
    case ACT_BACK:
        if (app->depth > 1)
            ui_pop(app);
        else if (key != KEY_ESC)
            app->quit = 1;
        break;
    case ACT_REDRAW:
        clearok(curscr, TRUE);
        break;
    case ACT_RELOAD:
        if (ops->reload)
            ops->reload(st, app);
        break;
    default:
        key_label(key, name, sizeof name);
        ui_message(app, MSG_INFO, _("The key %s does nothing here; ? shows the keys."), name);
        break;
    }
}

void ui_run(struct app *app)
{
    while (!app->quit && app->depth > 0) {
        ui_redraw(app);
        dispatch(app, ui_getkey(app));
    }
    while (app->depth > 0) {
        app->depth--;
        app->stack[app->depth].ops->close(app->stack[app->depth].st);
    }
}

/* ---- small modal widgets -------------------------------------------- */

int ui_menu(struct app *app, const char *title, const char *const *items, int n, int current)
{
    int sel = current >= 0 && current < n ? current : 0;

    for (;;) {
        int i, w = utf8_width(title) + 6, h, y0, x0, key;

        for (i = 0; i < n; i++)
            if (utf8_width(items[i]) + 8 > w)
                w = utf8_width(items[i]) + 8;
        if (w > app->cols - 4)
            w = app->cols - 4;
        h = n + 2;
        if (h > app->rows - 4)
            h = app->rows - 4;
        ui_redraw(app);
        y0 = (app->rows - h) / 2;
        x0 = (app->cols - w) / 2;
        if (!app->too_small) {
            int first = sel >= h - 2 ? sel - (h - 3) : 0, tw;

            /* a framed box, so it reads as one on any terminal and in text */
            ui_fill(y0, x0, w, R_HEADER);
            ui_text(y0, x0, 2, "┌ ", R_HEADER);
            tw = ui_text(y0, x0 + 2, w - 4, title, R_HEADER);
            ui_hline(y0, x0 + 2 + tw, w - 3 - tw, NULL, R_HEADER);
            ui_text(y0, x0 + w - 1, 1, "┐", R_HEADER);
            for (i = 0; i < h - 2; i++) {
                int idx = first + i;
                char line[512];

                ui_text(y0 + 1 + i, x0, 1, "│", R_HEADER);
                if (idx >= n) {
                    ui_fill(y0 + 1 + i, x0 + 1, w - 2, R_NORMAL);
                } else {
                    snprintf(line, sizeof line, " %c %s", idx < 9 ? '1' + idx : ' ', items[idx]);
                    ui_text_pad(y0 + 1 + i, x0 + 1, w - 2, line, idx == sel ? R_CURSOR : R_NORMAL);
                }
                ui_text(y0 + 1 + i, x0 + w - 1, 1, "│", R_HEADER);
            }
            ui_text(y0 + h - 1, x0, 1, "└", R_HEADER);
            ui_hline(y0 + h - 1, x0 + 1, w - 2, NULL, R_HEADER);
            ui_text(y0 + h - 1, x0 + w - 1, 1, "┘", R_HEADER);
            wnoutrefresh(stdscr);
            doupdate();
        }
        key = ui_getkey(app);
        switch (key) {
        case KEYF(KEY_RESIZE):
            handle_resize(app);
            continue;
        case PSEUDO_TICK:
        case PSEUDO_NOTIFY:
            continue;
        case PSEUDO_EOF:
            app->quit = 1;
            return -1;
        case PSEUDO_LOST:
            ui_db_error(app, DB_LOST);
            return -1;
        case KEYF(KEY_DOWN):
        case 'j':
            if (sel < n - 1)
                sel++;
            continue;
        case KEYF(KEY_UP):
        case 'k':
            if (sel > 0)
                sel--;
            continue;
        case KEYF(KEY_HOME):
            sel = 0;
            continue;
        case KEYF(KEY_END):
            sel = n - 1;
            continue;
        case '\n':
        case KEYF(KEY_ENTER):
            return sel;
        case KEY_ESC:
        case 'q':
        case KEY_CTRL('g'):
        case KEY_CTRL('c'):
            return -1;
        default:
            if (key >= '1' && key <= '9' && key - '1' < n)
                return key - '1';
            continue;
        }
    }
}

int ui_confirm(struct app *app, const char *question)
{
    for (;;) {
        int key;

        ui_message(app, MSG_INFO, "%s %s", question, _("(y/n)"));
        ui_redraw(app);
        key = ui_getkey(app);
        if (key == PSEUDO_TICK || key == PSEUDO_NOTIFY)
            continue;
        if (key == KEYF(KEY_RESIZE)) {
            handle_resize(app);
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

/* Wraps text to width columns at spaces; returns the number of lines, each
 * (start, length) in starts/lens. */
static int wrap_text(const char *text, int width, const char **starts, size_t *lens, int max)
{
    const char *p = text;
    int n = 0;

    while (*p && n < max) {
        size_t fit = utf8_fit(p, width), len = strlen(p);

        if (fit < len) {
            size_t cut = fit;

            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut > 0)
                fit = cut;
        }
        if (fit == 0)
            fit = len < 1 ? len : 1;
        starts[n] = p;
        lens[n++] = fit;
        p += fit;
        while (*p == ' ')
            p++;
    }
    return n;
}

int ui_confirm_box(struct app *app, const char *title, const char *text)
{
    for (;;) {
        const char *starts[12];
        size_t lens[12];
        char line[512], keys[128];
        int w = app->cols - 8 > 72 ? 72 : app->cols - 8, n, h, y0, x0, i, tw, key;

        n = wrap_text(text, w - 4, starts, lens, 12);
        h = n + 4;
        ui_redraw(app);
        y0 = (app->rows - h) / 2;
        x0 = (app->cols - w) / 2;
        if (!app->too_small) {
            ui_fill(y0, x0, w, R_HEADER);
            ui_text(y0, x0, 2, "┌ ", R_HEADER);
            tw = ui_text(y0, x0 + 2, w - 4, title, R_HEADER);
            ui_hline(y0, x0 + 2 + tw, w - 3 - tw, NULL, R_HEADER);
            ui_text(y0, x0 + w - 1, 1, "┐", R_HEADER);
            for (i = 0; i < h - 2; i++) {
                ui_text(y0 + 1 + i, x0, 1, "│", R_HEADER);
                ui_fill(y0 + 1 + i, x0 + 1, w - 2, R_NORMAL);
                ui_text(y0 + 1 + i, x0 + w - 1, 1, "│", R_HEADER);
            }
            for (i = 0; i < n; i++) {
                size_t len = lens[i] < sizeof line - 1 ? lens[i] : sizeof line - 1;

                memcpy(line, starts[i], len);
                line[len] = '\0';
                ui_text(y0 + 1 + i, x0 + 2, w - 4, line, R_NORMAL);
            }
            snprintf(keys, sizeof keys, "%s", _("y: yes · n: no"));
            ui_text(y0 + h - 2, x0 + 2, w - 4, keys, R_TITLE);
            ui_text(y0 + h - 1, x0, 1, "└", R_HEADER);
            ui_hline(y0 + h - 1, x0 + 1, w - 2, NULL, R_HEADER);
            ui_text(y0 + h - 1, x0 + w - 1, 1, "┘", R_HEADER);
            wnoutrefresh(stdscr);
            doupdate();
        }
        key = ui_getkey(app);
        if (key == PSEUDO_TICK || key == PSEUDO_NOTIFY)
            continue;
        if (key == KEYF(KEY_RESIZE)) {
            handle_resize(app);
            continue;
        }
        /* y/д (Bulgarian "да") and Enter say yes */
        if (key == 'y' || key == 'Y' || key == 0x434 || key == 0x414 || key == '\n')
            return 1;
        if (key == PSEUDO_EOF)
            app->quit = 1;
        if (key == PSEUDO_LOST)
            ui_db_error(app, DB_LOST);
        return 0;
    }
}

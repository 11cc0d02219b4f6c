#ifndef SIGNALDESK_UI_H
#define SIGNALDESK_UI_H

#include <stddef.h>
#include <time.h>

#include "actions.h"
#include "config.h"
#include "db.h"
#include "keys.h"
#include "signals.h"

struct app;

/* What a handler did; the loop redraws once per pass whatever it was. */
enum handled { NOT_HANDLED = 0, HANDLED = 1 };

/* One screen.  Each file of screens/ ends with its instance. */
struct screen_ops {
    const char *name;
    unsigned scope;                         /* SCOPE_* for key bindings */
    /* Makes the screen's state; NULL (with a message set) when it cannot open. */
    void *(*open)(struct app *app, const void *arg);
    void (*close)(void *st);
    /* Draws rows 0 .. app->rows - 3 (the last two are the status line and the bar). */
    void (*draw)(void *st, struct app *app);
    enum handled (*handle)(void *st, struct app *app, enum action act, int key);
    /* Reads its data again: after another console's change or a reconnect. */
    void (*reload)(void *st, struct app *app);
    /* Texts for the status line: left (what is shown) and right (position). */
    void (*status)(void *st, struct app *app, char *left, size_t lsize, char *right, size_t rsize);
};

extern const struct screen_ops queue_screen, signal_screen, help_screen, intake_screen;
extern const struct screen_ops import_screen;   /* arg: struct import_request */
extern const struct screen_ops assign_screen, reports_screen;

/* Opens the queue on one list instead of the usual tabs (e.g. the signals
 * behind a row of the assignment screen): ui_push(app, &queue_screen, &arg). */
struct queue_arg {
    const char *title;      /* the tab */
    const char *query;      /* which signals, in the search language */
};
/* The admin screens (screens/admin.c, routing.c, audit.c); admin_screen
 * takes a const enum admin_list * as its argument. */
extern const struct screen_ops admin_screen, routing_screen, audit_screen;

/* At start: says on the status line when an intake form the console was
 * ended in is kept (screens/intake.c; F2 brings it back). */
void intake_mention_drafts(struct app *app);

/* The admin menu (F9): opens the chosen admin screen. */
void admin_menu(struct app *app);
/* The title line of an admin screen: "Administration › what", the login at the right. */
void admin_title(struct app *app, const char *what);
extern const struct screen_ops queue_screen, signal_screen, help_screen;
extern const struct screen_ops dupes_screen, clusters_screen;

/* What the duplicates screen shows: the candidates of a signal, or given
 * signals (a cluster, tagged ones: all marked) measured against the first. */
struct dupes_arg {
    long long signal_id;
    const long long *ids;   /* NULL: the candidates of signal_id */
    int nids;
};

enum msg_kind { MSG_INFO, MSG_ERROR };

#define MAX_SCREENS 8

struct app {
    struct db *db;
    struct config *cfg;
    struct operator_info me;
    int rows, cols;
    int too_small;
    struct {
        const struct screen_ops *ops;
        void *st;
    } stack[MAX_SCREENS];
    int depth;
    char msg[512];
    enum msg_kind msg_kind;
    int quit;
    int lost;                   /* the connection is down; reconnecting */
    time_t next_reconnect;
    int reconnect_delay;
    int script;                 /* keys come from SIGNALDESK_SCRIPT */
    enum action pending_action; /* for the screen below, after the top one closed itself */
};

/* Colour pairs / attributes by role. */
enum ui_role {
    R_NORMAL, R_HEADER, R_TAB, R_TAB_ACTIVE, R_CURSOR, R_STATUS, R_ERROR, R_BAR_KEY,
    R_BAR_LABEL, R_OVERDUE, R_TITLE, R_DIM, R_PUBLIC, R_RULE, R_CHANGED, R_COUNT
};

/* Start and end curses.  In script mode the display goes to /dev/null. */
int ui_start(struct app *app, int script_mode, char *err, size_t errsz);
void ui_end(void);
/* The signal that ended the console (SIGTERM, SIGHUP; SIGHUP too when the
 * terminal went away), or 0.  The loop then ends as if quit, screens close
 * (an unsaved intake form is kept as a draft), and main ends by it. */
int ui_terminated(void);
/* Checks a [colors] entry (installed as config_check_color). */
int ui_check_color(const char *name, const char *value, char *err, size_t errsz);

/* The loop: runs until quit. */
void ui_run(struct app *app);

/* Screens. */
int ui_push(struct app *app, const struct screen_ops *ops, const void *arg);
void ui_pop(struct app *app);

/* The status-line message until the next key. */
void ui_message(struct app *app, enum msg_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports a database failure: a lost connection starts reconnecting. */
void ui_db_error(struct app *app, enum db_status rc);

/* Waits for the next key (or pseudo-key), keeping the connection watched. */
int ui_getkey(struct app *app);
/* What a modal widget does while it waits: reconnect when the connection
 * is down (the top screen then reloads), and follow a resized terminal. */
void ui_idle(struct app *app);
void ui_resized(struct app *app);
/* Draws everything and updates the terminal once. */
void ui_redraw(struct app *app);

/* Drawing helpers: text clipped to width columns (UTF-8 in, wide characters
 * out); returns columns used.  ui_text_pad fills the rest with spaces. */
int ui_text(int y, int x, int width, const char *s, enum ui_role role);
int ui_text_pad(int y, int x, int width, const char *s, enum ui_role role);
void ui_fill(int y, int x, int width, enum ui_role role);
void ui_hline(int y, int x, int width, const char *title, enum ui_role role);
int ui_attr(enum ui_role role);

/* A pick list in a box; returns the chosen index or -1 (Esc). */
int ui_menu(struct app *app, const char *title, const char *const *items, int n, int current);
/* Yes/no question on the status line; 1 for yes. */
int ui_confirm(struct app *app, const char *question);
/* Yes/no question in a framed box, for what needs more words than the
 * status line holds; 1 for yes (y, д or Enter). */
int ui_confirm_box(struct app *app, const char *title, const char *text);

#endif

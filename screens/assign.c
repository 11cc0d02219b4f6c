/* Balancing the load (supervisors and admins): open signals per unit and
 * status, per operator, and where signals wait with nobody on them or past
 * their due date.  Every row opens the signals behind it in the queue,
 * where they are tagged and moved. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "i18n.h"
#include "timefmt.h"
#include "ui.h"
#include "uilist.h"
#include "util.h"

enum assign_tab { TAB_UNITS, TAB_OPERATORS, TAB_UNASSIGNED, TAB_OVERDUE, TAB_COUNT };

static const char *const tab_names[TAB_COUNT] = {
    N_("Units"), N_("Operators"), N_("Unassigned"), N_("Overdue"),
};

/* A line of the list: a unit, an operator or the line of all of them. */
struct line {
    int unit;               /* index into units, or -1 */
    int op;                 /* index into ops, or -1 */
    int all;                /* the total line */
};

struct assign_st {
    int tab;
    struct unit_load *units;
    int nunits;
    struct op_load *ops;
    int nops;
    struct unit_load total;
    struct line *lines;
    int nlines;
    int cursor, top;
};

static int list_height(const struct app *app)
{
    return app->rows - 4;
}

static void build_lines(struct assign_st *a)
{
    int i;

    free(a->lines);
    a->lines = xcalloc((size_t)(a->nunits + a->nops + 2), sizeof *a->lines);
    a->nlines = 0;
    if (a->tab == TAB_OPERATORS) {
        for (i = 0; i < a->nops; i++)
            a->lines[a->nlines++] = (struct line){ -1, i, 0 };
    } else {
        /* the line of all units first where only some units show */
        if (a->tab != TAB_UNITS)
            a->lines[a->nlines++] = (struct line){ -1, -1, 1 };
        for (i = 0; i < a->nunits; i++) {
            const struct unit_load *u = &a->units[i];

            if ((a->tab == TAB_UNASSIGNED && u->unassigned == 0) || (a->tab == TAB_OVERDUE && u->overdue == 0))
                continue;
            a->lines[a->nlines++] = (struct line){ i, -1, 0 };
        }
        if (a->tab == TAB_UNITS)
            a->lines[a->nlines++] = (struct line){ -1, -1, 1 };
    }
    if (a->cursor >= a->nlines)
        a->cursor = a->nlines ? a->nlines - 1 : 0;
}

static int load(struct assign_st *a, struct app *app)
{
    enum db_status rc;
    int i, k;

    free(a->units);
    free(a->ops);
    a->units = NULL;
    a->ops = NULL;
    a->nunits = a->nops = 0;
    rc = assign_units(app->db, &a->units, &a->nunits);
    if (rc == DB_OK)
        rc = assign_operators(app->db, &a->ops, &a->nops);
    memset(&a->total, 0, sizeof a->total);
    a->total.unit_id = 0;
    for (i = 0; i < a->nunits; i++) {
        for (k = 0; k < ASSIGN_OPEN_STATUSES; k++)
            a->total.by_status[k] += a->units[i].by_status[k];
        a->total.open += a->units[i].open;
        a->total.unassigned += a->units[i].unassigned;
        a->total.overdue += a->units[i].overdue;
    }
    build_lines(a);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return -1;
    }
    return 0;
}

static void *open_assign(struct app *app, const void *arg)
{
    struct assign_st *a;

    (void)arg;
    if (!may_assign(&app->me)) {
        ui_message(app, MSG_ERROR, "%s",
                   _("Not allowed: only supervisors and admins may do this."));
        return NULL;
    }
    a = xcalloc(1, sizeof *a);
    load(a, app);
    return a;
}

static void close_assign(void *st)
{
    struct assign_st *a = st;

    free(a->units);
    free(a->ops);
    free(a->lines);
    free(a);
}

static int count_cell(int y, int x, int width, long long v, enum ui_role role)
{
    char buf[32];

    snprintf(buf, sizeof buf, "%lld", v);
    return ui_cell(y, x, width, buf, role, 1);
}

static void draw_tabs(struct app *app, struct assign_st *a)
{
    int x = 0, i, w = app->cols, lw = utf8_width(app->me.login) + 2;

    ui_fill(0, 0, w, R_HEADER);
    x += ui_text(0, x, w, _(" Load "), R_HEADER);
    for (i = 0; i < TAB_COUNT && x < w - lw; i++) {
        char label[96];

        x += ui_text(0, x, w - lw - x, "│", R_HEADER);
        if (i == TAB_UNASSIGNED)
            snprintf(label, sizeof label, "%s %lld", _(tab_names[i]), a->total.unassigned);
        else if (i == TAB_OVERDUE)
            snprintf(label, sizeof label, "%s %lld", _(tab_names[i]), a->total.overdue);
        else
            snprintf(label, sizeof label, "%s", _(tab_names[i]));
        x += ui_text(0, x, w - lw - x, label, i == a->tab ? R_TAB_ACTIVE : R_TAB);
    }
    if (x < w - lw)
        ui_text(0, x, 1, "│", R_HEADER);
    ui_text(0, w - lw + 1, lw - 1, app->me.login, R_HEADER);
}

#define NUM_W 6         /* a count per status */
#define OVERDUE_W 8
#define WAIT_W 15

/* The units' column: what the counts leave. */
static int units_name_w(const struct app *app)
{
    return app->cols - 2 - (NUM_W + 1) * (ASSIGN_OPEN_STATUSES + 1) - OVERDUE_W - 1;
}

static const char *const status_heads[ASSIGN_OPEN_STATUSES] = {
    N_("new"), N_("reg."), N_("assd."), N_("in pr."), N_("wait."),
};

static const char *unit_name(const struct unit_load *u)
{
    return u->unit_id < 0 || !u->name[0] ? _("(no unit)") : u->name;
}

static void draw_units(struct app *app, struct assign_st *a, int y, const struct line *l, enum ui_role role)
{
    const struct unit_load *u = l->all ? &a->total : &a->units[l->unit];
    int name_w = units_name_w(app), x = 2, k;

    x += ui_cell(y, x, name_w, l->all ? _("All units") : unit_name(u), role, 0);
    for (k = 0; k < ASSIGN_OPEN_STATUSES; k++)
        x += count_cell(y, x, NUM_W, u->by_status[k], role);
    x += count_cell(y, x, NUM_W, u->open, role);
    count_cell(y, x, OVERDUE_W, u->overdue, role == R_NORMAL && u->overdue ? R_OVERDUE : role);
}

static void draw_waiting(struct app *app, struct assign_st *a, int y, const struct line *l, enum ui_role role)
{
    const struct unit_load *u = l->all ? &a->total : &a->units[l->unit];
    int name_w = app->cols - 2 - 2 * (WAIT_W + 1), x = 2;

    x += ui_cell(y, x, name_w, l->all ? _("All units") : unit_name(u), role, 0);
    x += count_cell(y, x, WAIT_W, a->tab == TAB_UNASSIGNED ? u->unassigned : u->overdue, role);
    count_cell(y, x, WAIT_W, u->open, role);
}

static void draw_operator(struct app *app, struct assign_st *a, int y, const struct line *l, enum ui_role role)
{
    const struct op_load *o = &a->ops[l->op];
    int unit_w = 24, name_w = app->cols - 2 - unit_w - 1 - 9 * 3, x = 2;
    char age[32], name[200];

    snprintf(name, sizeof name, "%s (%s)", o->name, o->login);
    x += ui_cell(y, x, name_w, name, role, 0);
    x += ui_cell(y, x, unit_w, o->unit[0] ? o->unit : "—", role, 0);
    x += count_cell(y, x, 8, o->open, role);
    x += count_cell(y, x, 8, o->overdue, role == R_NORMAL && o->overdue ? R_OVERDUE : role);
    if (o->oldest_age_s >= 0)
        fmt_age(now_time(), now_time() - (time_t)o->oldest_age_s, age, sizeof age);
    else
        snprintf(age, sizeof age, "—");
    ui_cell(y, x, 8, age, role, 1);
}

static void draw_titles(struct app *app, struct assign_st *a)
{
    int x = 2, k;

    ui_fill(1, 0, app->cols, R_NORMAL);
    if (a->tab == TAB_UNITS) {
        x += ui_cell(1, x, units_name_w(app), _("Responsible unit"), R_TITLE, 0);
        for (k = 0; k < ASSIGN_OPEN_STATUSES; k++)
            x += ui_cell(1, x, NUM_W, _(status_heads[k]), R_TITLE, 1);
        x += ui_cell(1, x, NUM_W, _("total"), R_TITLE, 1);
        ui_cell(1, x, OVERDUE_W, _("overdue"), R_TITLE, 1);
    } else if (a->tab == TAB_OPERATORS) {
        int unit_w = 24, name_w = app->cols - 2 - unit_w - 1 - 9 * 3;

        x += ui_cell(1, x, name_w, _("Operator"), R_TITLE, 0);
        x += ui_cell(1, x, unit_w, _("Responsible unit"), R_TITLE, 0);
        x += ui_cell(1, x, 8, _("open"), R_TITLE, 1);
        x += ui_cell(1, x, 8, _("overdue"), R_TITLE, 1);
        ui_cell(1, x, 8, _("oldest"), R_TITLE, 1);
    } else {
        int name_w = app->cols - 2 - 2 * (WAIT_W + 1);

        x += ui_cell(1, x, name_w, _("Responsible unit"), R_TITLE, 0);
        x += ui_cell(1, x, WAIT_W, a->tab == TAB_UNASSIGNED ? _("unassigned") : _("overdue"), R_TITLE, 1);
        ui_cell(1, x, WAIT_W, _("open"), R_TITLE, 1);
    }
}

static void draw_assign(void *st, struct app *app)
{
    struct assign_st *a = st;
    int h = list_height(app), i;

    draw_tabs(app, a);
    draw_titles(app, a);
    if (a->cursor < a->top)
        a->top = a->cursor;
    if (a->cursor >= a->top + h)
        a->top = a->cursor - h + 1;
    if (a->nlines == 0) {
        ui_text(3, 2, app->cols - 4, a->tab == TAB_OPERATORS ? _("No operators.") : _("Nothing here."), R_DIM);
        return;
    }
    for (i = 0; i < h && a->top + i < a->nlines; i++) {
        const struct line *l = &a->lines[a->top + i];
        int y = 2 + i;
        enum ui_role role = a->top + i == a->cursor ? R_CURSOR : R_NORMAL;

        ui_fill(y, 0, app->cols, role);
        ui_text(y, 0, 1, a->top + i == a->cursor ? "▶" : " ", role);
        if (a->tab == TAB_OPERATORS)
            draw_operator(app, a, y, l, role);
        else if (a->tab == TAB_UNITS)
            draw_units(app, a, y, l, role);
        else
            draw_waiting(app, a, y, l, role);
    }
}

static void status_assign(void *st, struct app *app, char *left, size_t lsize, char *right, size_t rsize)
{
    struct assign_st *a = st;
    static const char *const what[TAB_COUNT] = {
        N_("open signals per unit and status"),
        N_("open signals per operator"),
        N_("open signals nobody has taken, per unit"),
        N_("open signals past their due date, per unit"),
    };

    (void)app;
    snprintf(left, lsize, "%s", _(what[a->tab]));
    snprintf(right, rsize, "%d/%d", a->nlines ? a->cursor + 1 : 0, a->nlines);
}

/* The signals behind the line under the cursor, in the queue, as a search
 * (the operator sees it on the status line and can refine it there). */
static void open_line(struct app *app, struct assign_st *a)
{
    struct queue_arg qa;
    char title[256], query[400];
    const struct line *l;

    if (!a->nlines)
        return;
    l = &a->lines[a->cursor];
    if (l->op >= 0) {
        const struct op_load *o = &a->ops[l->op];

        snprintf(title, sizeof title, "%s", o->name);
        snprintf(query, sizeof query, "assignee:%s status:open", o->login);
    } else {
        const struct unit_load *u = l->all ? NULL : &a->units[l->unit];
        const char *extra = a->tab == TAB_UNASSIGNED ? " assignee:none" : a->tab == TAB_OVERDUE ? " overdue" : "";

        if (!u)
            snprintf(query, sizeof query, "status:open%s", extra);
        else if (u->unit_id < 0)
            snprintf(query, sizeof query, "unit:none status:open%s", extra);
        else
            snprintf(query, sizeof query, "unit:\"%s\" status:open%s", u->name, extra);
        snprintf(title, sizeof title, "%s", u ? unit_name(u) : _("All units"));
        if (a->tab == TAB_UNASSIGNED || a->tab == TAB_OVERDUE) {
            size_t len = strlen(title);

            snprintf(title + len, sizeof title - len, " · %s", _(tab_names[a->tab]));
        }
    }
    qa.title = title;
    qa.query = query;
    ui_push(app, &queue_screen, &qa);
}

static void switch_tab(struct assign_st *a, int tab)
{
    if (tab < 0 || tab >= TAB_COUNT || tab == a->tab)
        return;
    a->tab = tab;
    a->cursor = 0;
    a->top = 0;
    build_lines(a);
}

static enum handled handle_assign(void *st, struct app *app, enum action act, int key)
{
    struct assign_st *a = st;
    int h = list_height(app);

    (void)key;
    if (ui_list_move(act, &a->cursor, a->nlines, h))
        return HANDLED;
    switch (act) {
    case ACT_NEXT_TAB: switch_tab(a, (a->tab + 1) % TAB_COUNT); return HANDLED;
    case ACT_PREV_TAB: switch_tab(a, (a->tab + TAB_COUNT - 1) % TAB_COUNT); return HANDLED;
    case ACT_TAB_1: case ACT_TAB_2: case ACT_TAB_3: case ACT_TAB_4:
        switch_tab(a, act - ACT_TAB_1);
        return HANDLED;
    case ACT_OPEN: open_line(app, a); return HANDLED;
    default: return NOT_HANDLED;
    }
}

static void reload_assign(void *st, struct app *app)
{
    load(st, app);
}

const struct screen_ops assign_screen = {
    .name = "assign",
    .scope = SCOPE_ASSIGN,
    .open = open_assign,
    .close = close_assign,
    .draw = draw_assign,
    .handle = handle_assign,
    .reload = reload_assign,
    .status = status_assign,
};

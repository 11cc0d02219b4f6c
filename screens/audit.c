/* The audit trail: every change by anyone, newest first: the signals'
 * history and the changes of reference data and people.  Filtered by
 * person, signal, kind and period; paged by key like the queue, holding
 * only the rows on screen.  Enter opens the signal of a row. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "adminval.h"
#include "audit.h"
#include "i18n.h"
#include "prompt.h"
#include "timefmt.h"
#include "ui.h"
#include "uilist.h"
#include "util.h"

struct audit_st {
    struct audit_filter f;
    struct audit_row *rows;     /* the visible window, newest first */
    int nrows, cap;
    int cursor;
    int height;
    int more_below;             /* older rows exist beyond the window */
};

/* ---- words ------------------------------------------------------------- */

/* What a kind of signal event is called (the timeline's words). */
static const char *event_label(const char *kind)
{
    static const struct {
        const char *kind, *label;
    } labels[] = {
        { "created", N_("created") }, { "status", N_("status") }, { "category", N_("category") },
        { "district", N_("district") }, { "unit", N_("responsible unit") }, { "assignee", N_("taken by") },
        { "priority", N_("priority") }, { "description", N_("text") }, { "edit", N_("text") },
        { "address", N_("address") }, { "merge", N_("merged") }, { "comment", N_("comment") },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(labels); i++)
        if (strcmp(labels[i].kind, kind) == 0)
            return _(labels[i].label);
    return kind;
}

/* What an admin table's rows are called. */
static const char *object_label(const char *object)
{
    static const struct {
        const char *object, *label;
    } labels[] = {
        { "categories", N_("category") }, { "units", N_("unit") }, { "routing", N_("routing") },
        { "operators", N_("person") }, { "response_templates", N_("template") }, { "settings", N_("setting") },
        { "districts", N_("district") }, { "message_templates", N_("message text") },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(labels); i++)
        if (strcmp(labels[i].object, object) == 0)
            return _(labels[i].label);
    return object;
}

/* The admin tables the kind filter offers. */
static const char *const admin_objects[] = {
    "categories", "units", "routing", "operators", "response_templates", "settings",
};

static const char *field_label(const char *field)
{
    static const struct {
        const char *field, *label;
    } labels[] = {
        { "name", N_("name") }, { "name_latin", N_("Latin name") }, { "email", N_("e-mail") },
        { "kind", N_("kind") }, { "active", N_("active") }, { "parent_id", N_("under") },
        { "default_unit_id", N_("default unit") }, { "sla_hours", N_("hours to handle") },
        { "unit_id", N_("unit") }, { "level", N_("level") }, { "title", N_("title") }, { "body", N_("wording") },
        { "category_id", N_("category") }, { "value", N_("value") }, { "password", N_("password") },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(labels); i++)
        if (strcmp(labels[i].field, field) == 0)
            return _(labels[i].label);
    return field;
}

static const char *value_label(const char *field, const char *v)
{
    if (!*v)
        return "—";
    if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0)
        return _("yes");
    if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0)
        return _("no");
    if (strcmp(field, "level") == 0)
        return level_label(level_parse(v));
    if (strcmp(field, "status") == 0)
        return status_label(v);
    if (strcmp(field, "priority") == 0 && v[0] >= '0' && v[0] <= '3' && !v[1])
        return priority_label(v[0] - '0');
    return v;
}

/* One line for a row: what changed, old → new. */
static void describe(const struct audit_row *r, char *out, size_t size)
{
    if (r->source == AUDIT_SIGNALS) {
        if (strcmp(r->kind, "created") == 0)
            snprintf(out, size, "%s · %s (%s)", r->object, _("created"), channel_label(r->new_value));
        else if (strcmp(r->kind, "comment") == 0)
            snprintf(out, size, "%s · %s: %s", r->object, r->public ? _("public comment") : _("internal note"),
                     r->comment);
        else if (!r->old_value[0] && !r->new_value[0])
            snprintf(out, size, "%s · %s%s%s", r->object, event_label(r->kind), r->comment[0] ? ": " : "",
                     r->comment);
        else
            snprintf(out, size, "%s · %s %s → %s", r->object, event_label(r->kind),
                     value_label(r->kind, r->old_value), value_label(r->kind, r->new_value));
        return;
    }
    if (strcmp(r->kind, "settings") == 0 && strcmp(r->object, "contacts_outside_unit") == 0)
        snprintf(out, size, "%s %s · %s → %s", object_label(r->kind), _("contacts of other units for operators"),
                 value_label(r->field, r->old_value), value_label(r->field, r->new_value));
    else if (strcmp(r->action, "add") == 0)
        snprintf(out, size, "%s %s · %s", object_label(r->kind), r->object, _("added"));
    else if (strcmp(r->action, "remove") == 0)
        snprintf(out, size, "%s %s · %s", object_label(r->kind), r->object, _("removed"));
    else if (strcmp(r->field, "password") == 0)
        snprintf(out, size, "%s %s · %s", object_label(r->kind), r->object, _("new password"));
    else
        snprintf(out, size, "%s %s · %s %s → %s", object_label(r->kind), r->object, field_label(r->field),
                 value_label(r->field, r->old_value), value_label(r->field, r->new_value));
}

/* ---- paging ------------------------------------------------------------ */

static int list_height(const struct app *app)
{
    return app->rows - 4;
}

static void ensure_cap(struct audit_st *s, int n)
{
    if (s->cap >= n)
        return;
    s->cap = n;
    s->rows = xrealloc(s->rows, (size_t)n * sizeof *s->rows);
}

static int fetch(struct app *app, struct audit_st *s, enum page_dir dir, const struct audit_key *key, int limit,
                 struct audit_row *out, int *n, int *more)
{
    enum db_status rc = audit_page(app->db, &s->f, dir, key, limit, out, n, more);

    if (rc != DB_OK) {
        ui_db_error(app, rc);
        *n = 0;
        return -1;
    }
    return 0;
}

static void load_first(struct app *app, struct audit_st *s)
{
    int n, more;

    s->height = list_height(app);
    ensure_cap(s, s->height * 2);
    if (fetch(app, s, PAGE_FIRST, NULL, s->height, s->rows, &n, &more) < 0)
        n = 0;
    s->nrows = n;
    s->cursor = 0;
    s->more_below = more;
}

static void load_last(struct app *app, struct audit_st *s)
{
    int n, more;

    s->height = list_height(app);
    ensure_cap(s, s->height * 2);
    if (fetch(app, s, PAGE_LAST, NULL, s->height, s->rows, &n, &more) < 0)
        n = 0;
    s->nrows = n;
    s->cursor = n ? n - 1 : 0;
    s->more_below = 0;
}

/* Moves the window k rows down (older, k > 0) or up; returns how far. */
static int scroll_rows(struct app *app, struct audit_st *s, int k)
{
    struct audit_key key;
    int n, more;

    if (s->nrows == 0)
        return 0;
    ensure_cap(s, s->nrows + (k > 0 ? k : -k));
    if (k > 0) {
        key = s->rows[s->nrows - 1].key;
        if (fetch(app, s, PAGE_AFTER, &key, k, s->rows + s->nrows, &n, &more) < 0 || n == 0) {
            s->more_below = 0;
            return 0;
        }
        memmove(s->rows, s->rows + n, (size_t)s->nrows * sizeof *s->rows);
        s->more_below = more;
        return n;
    }
    k = -k;
    key = s->rows[0].key;
    {
        struct audit_row *above = xmalloc((size_t)k * sizeof *above);

        if (fetch(app, s, PAGE_BEFORE, &key, k, above, &n, &more) < 0 || n == 0) {
            free(above);
            return 0;
        }
        memmove(s->rows + n, s->rows, (size_t)(s->nrows - n) * sizeof *s->rows);
        memcpy(s->rows, above, (size_t)n * sizeof *above);
        free(above);
        s->more_below = 1;
    }
    return -n;
}

static void move_cursor(struct app *app, struct audit_st *s, int delta)
{
    int target = s->cursor + delta;

    if (s->nrows == 0)
        return;
    if (target >= s->nrows) {
        if (s->nrows == s->height)
            target -= scroll_rows(app, s, target - (s->nrows - 1));
        if (target >= s->nrows)
            target = s->nrows - 1;
    } else if (target < 0) {
        target -= scroll_rows(app, s, target);
        if (target < 0)
            target = 0;
    }
    s->cursor = target;
}

static void page(struct app *app, struct audit_st *s, int dir)
{
    if (s->nrows < s->height) {
        s->cursor = dir > 0 ? (s->nrows ? s->nrows - 1 : 0) : 0;
        return;
    }
    if (scroll_rows(app, s, dir * s->height) == 0)
        s->cursor = dir > 0 ? s->nrows - 1 : 0;
}

/* Reads the window again from its first row (after a change elsewhere). */
static void reload_audit(void *st, struct app *app)
{
    struct audit_st *s = st;
    struct audit_key key;
    int n, more, cursor = s->cursor;

    if (s->nrows == 0) {
        load_first(app, s);
        return;
    }
    key = s->rows[0].key;
    s->height = list_height(app);
    ensure_cap(s, s->height * 2);
    if (fetch(app, s, PAGE_FROM, &key, s->height, s->rows, &n, &more) < 0)
        return;
    s->nrows = n;
    s->more_below = more;
    s->cursor = cursor < n ? cursor : (n ? n - 1 : 0);
}

/* ---- filters ----------------------------------------------------------- */

static void filter_summary(const struct audit_filter *f, char *out, size_t size)
{
    char from[16] = "", to[16] = "";
    size_t n = 0;

    out[0] = '\0';
    if (f->actor[0])
        n += (size_t)snprintf(out + n, size - n, "%s:%s ", _("who"), f->actor);
    if (n < size && f->signal_id)
        n += (size_t)snprintf(out + n, size - n, "%s ", f->signal_reg);
    if (n < size && f->kind[0])
        n += (size_t)snprintf(out + n, size - n, "%s:%s ", _("kind"),
                              f->source == AUDIT_ADMIN ? object_label(f->kind) : event_label(f->kind));
    /* short dates: the status line is narrow */
    if (f->from[0])
        snprintf(from, sizeof from, "%.2s.%.2s.%.2s", f->from + 8, f->from + 5, f->from + 2);
    if (f->to[0])
        snprintf(to, sizeof to, "%.2s.%.2s.%.2s", f->to + 8, f->to + 5, f->to + 2);
    if (n < size && (from[0] || to[0])) {
        if (strcmp(from, to) == 0)
            n += (size_t)snprintf(out + n, size - n, "%s ", from);
        else
            n += (size_t)snprintf(out + n, size - n, "%s..%s ", from, to);
    }
    if (!out[0])
        snprintf(out, size, "%s", _("every change by anyone"));
}

static void choose_person(struct app *app, struct audit_st *s)
{
    struct ref_operator *ops = NULL;
    int n = 0, i, choice, sel = 0;
    const char **items;
    char (*labels)[240];
    enum db_status rc = operators_list(app->db, &ops, &n);

    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return;
    }
    items = xcalloc((size_t)n + 2, sizeof *items);
    labels = xcalloc((size_t)n + 2, sizeof *labels);
    items[0] = _("everyone");
    for (i = 0; i < n; i++) {
        snprintf(labels[i + 1], sizeof labels[i + 1], "%-12s %s", ops[i].login, ops[i].name);
        items[i + 1] = labels[i + 1];
        if (strcmp(ops[i].login, s->f.actor) == 0)
            sel = i + 1;
    }
    items[n + 1] = _("another login (type it)…");
    choice = ui_menu(app, _("Whose changes?"), items, n + 2, sel);
    if (choice == 0) {
        s->f.actor[0] = '\0';
    } else if (choice > 0 && choice <= n) {
        str_copy(s->f.actor, sizeof s->f.actor, ops[choice - 1].login);
    } else if (choice == n + 1) {
        char *login = prompt_line(app, _("Login: "), s->f.actor);

        if (login) {
            str_trim(login);
            str_copy(s->f.actor, sizeof s->f.actor, login);
            free(login);
        }
    }
    free(items);
    free(labels);
    free(ops);
}

static void choose_signal(struct app *app, struct audit_st *s)
{
    char *reg = prompt_line(app, _("Reg. No. (empty: all): "), s->f.signal_reg);
    long long id;
    enum db_status rc;

    if (!reg)
        return;
    str_trim(reg);
    if (!*reg) {
        s->f.signal_id = 0;
        s->f.signal_reg[0] = '\0';
        free(reg);
        return;
    }
    rc = signal_by_reg_no(app->db, reg, &id);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
    } else if (!id) {
        ui_message(app, MSG_ERROR, _("There is no signal %s."), reg);
    } else {
        s->f.signal_id = id;
        str_copy(s->f.signal_reg, sizeof s->f.signal_reg, reg);
        if (s->f.source == AUDIT_ADMIN) {
            s->f.source = AUDIT_ANY;
            s->f.kind[0] = '\0';
        }
    }
    free(reg);
}

static void choose_kind(struct app *app, struct audit_st *s)
{
    char (*kinds)[40] = NULL;
    int nk = 0, i, n = 0, choice, sel = 0;
    const char **items;
    int *src;
    const char **codes;
    enum db_status rc = audit_signal_kinds(app->db, &kinds, &nk);
    char (*labels)[120];

    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return;
    }
    items = xcalloc((size_t)nk + ARRAY_SIZE(admin_objects) + 1, sizeof *items);
    codes = xcalloc((size_t)nk + ARRAY_SIZE(admin_objects) + 1, sizeof *codes);
    src = xcalloc((size_t)nk + ARRAY_SIZE(admin_objects) + 1, sizeof *src);
    labels = xcalloc((size_t)nk + ARRAY_SIZE(admin_objects) + 1, sizeof *labels);
    items[n] = _("every kind");
    codes[n] = "";
    src[n++] = AUDIT_ANY;
    for (i = 0; i < nk; i++) {
        snprintf(labels[n], sizeof labels[n], _("signal: %s"), event_label(kinds[i]));
        items[n] = labels[n];
        codes[n] = kinds[i];
        src[n++] = AUDIT_SIGNALS;
    }
    for (i = 0; i < (int)ARRAY_SIZE(admin_objects); i++) {
        snprintf(labels[n], sizeof labels[n], _("administration: %s"), object_label(admin_objects[i]));
        items[n] = labels[n];
        codes[n] = admin_objects[i];
        src[n++] = AUDIT_ADMIN;
    }
    for (i = 1; i < n; i++)
        if (src[i] == (int)s->f.source && strcmp(codes[i], s->f.kind) == 0)
            sel = i;
    choice = ui_menu(app, _("Which kind of change?"), items, n, sel);
    if (choice >= 0) {
        str_copy(s->f.kind, sizeof s->f.kind, codes[choice]);
        s->f.source = (enum audit_source)src[choice];
        if (s->f.source == AUDIT_ADMIN) {
            s->f.signal_id = 0;
            s->f.signal_reg[0] = '\0';
        }
    }
    free(items);
    free(codes);
    free(src);
    free(labels);
    free(kinds);
}

static void choose_period(struct app *app, struct audit_st *s)
{
    char initial[40] = "", err[400], from[11], to[11];
    char *text;

    if (s->f.from[0] || s->f.to[0]) {
        char a[16] = "", b[16] = "";

        if (s->f.from[0])
            snprintf(a, sizeof a, "%.2s.%.2s.%.4s", s->f.from + 8, s->f.from + 5, s->f.from);
        if (s->f.to[0])
            snprintf(b, sizeof b, "%.2s.%.2s.%.4s", s->f.to + 8, s->f.to + 5, s->f.to);
        snprintf(initial, sizeof initial, "%s..%s", a, b);
    }
    for (;;) {
        text = prompt_line(app, _("Period (from..to): "), initial);
        if (!text)
            return;
        str_trim(text);
        if (!*text) {
            s->f.from[0] = s->f.to[0] = '\0';
            free(text);
            return;
        }
        if (parse_period(text, from, to, err, sizeof err) == 0) {
            memcpy(s->f.from, from, sizeof s->f.from);
            memcpy(s->f.to, to, sizeof s->f.to);
            free(text);
            return;
        }
        ui_message(app, MSG_ERROR, "%s", err);
        str_copy(initial, sizeof initial, text);
        free(text);
    }
}

static void filter_menu(struct app *app, struct audit_st *s)
{
    char items[5][200], v[120];
    const char *menu[5];
    int i, choice;

    snprintf(items[0], sizeof items[0], _("Person: %s"), s->f.actor[0] ? s->f.actor : _("everyone"));
    snprintf(items[1], sizeof items[1], _("Signal: %s"), s->f.signal_id ? s->f.signal_reg : _("all"));
    if (!s->f.kind[0])
        snprintf(v, sizeof v, "%s", _("every kind"));
    else
        snprintf(v, sizeof v, "%s", s->f.source == AUDIT_ADMIN ? object_label(s->f.kind) : event_label(s->f.kind));
    snprintf(items[2], sizeof items[2], _("Kind: %s"), v);
    if (s->f.from[0] || s->f.to[0]) {
        char summary[200];
        struct audit_filter only = { 0 };

        memcpy(only.from, s->f.from, sizeof only.from);
        memcpy(only.to, s->f.to, sizeof only.to);
        filter_summary(&only, summary, sizeof summary);
        str_trim(summary);
        snprintf(items[3], sizeof items[3], _("Period: %s"), summary);
    } else {
        snprintf(items[3], sizeof items[3], _("Period: %s"), _("any time"));
    }
    snprintf(items[4], sizeof items[4], "%s", _("Show every change again"));
    for (i = 0; i < 5; i++)
        menu[i] = items[i];
    choice = ui_menu(app, _("Filter the audit trail"), menu, 5, 0);
    switch (choice) {
    case 0: choose_person(app, s); break;
    case 1: choose_signal(app, s); break;
    case 2: choose_kind(app, s); break;
    case 3: choose_period(app, s); break;
    case 4: memset(&s->f, 0, sizeof s->f); break;
    default: return;
    }
    load_first(app, s);
}

/* ---- the screen -------------------------------------------------------- */

static void *open_audit(struct app *app, const void *arg)
{
    struct audit_st *s = xcalloc(1, sizeof *s);

    (void)arg;
    load_first(app, s);
    return s;
}

static void close_audit(void *st)
{
    struct audit_st *s = st;

    free(s->rows);
    free(s);
}

static void draw_audit(void *st, struct app *app)
{
    struct audit_st *s = st;
    time_t now = now_time();
    int i;

    admin_title(app, _("Audit trail"));
    ui_text_pad(1, 2, 11, _("When"), R_TITLE);
    ui_text_pad(1, 14, 10, _("Who"), R_TITLE);
    ui_text_pad(1, 25, app->cols - 26, _("What changed"), R_TITLE);
    if (s->nrows == 0) {
        ui_text(3, 2, app->cols - 4, _("No changes match."), R_DIM);
        return;
    }
    for (i = 0; i < s->nrows && i < s->height; i++) {
        const struct audit_row *r = &s->rows[i];
        enum ui_role role = i == s->cursor ? R_CURSOR : R_NORMAL;
        char when[32], what[1024];
        int y = 2 + i;

        fmt_short(now, r->at, when, sizeof when);
        describe(r, what, sizeof what);
        ui_fill(y, 0, app->cols, role);
        ui_text(y, 0, 1, i == s->cursor ? "▶" : " ", role);
        ui_text(y, 2, 11, when, role);
        ui_text(y, 14, 10, r->actor, role);
        ui_cell(y, 25, app->cols - 26, what, role, 0);
    }
}

static void status_audit(void *st, struct app *app, char *left, size_t lsize, char *right, size_t rsize)
{
    struct audit_st *s = st;

    (void)app;
    filter_summary(&s->f, left, lsize);
    if (s->more_below)
        snprintf(right, rsize, "%s", _("more ↓"));
}

static enum handled handle_audit(void *st, struct app *app, enum action act, int key)
{
    struct audit_st *s = st;

    (void)key;
    switch (act) {
    case ACT_MOVE_DOWN: move_cursor(app, s, 1); return HANDLED;
    case ACT_MOVE_UP: move_cursor(app, s, -1); return HANDLED;
    case ACT_PAGE_DOWN: page(app, s, 1); return HANDLED;
    case ACT_PAGE_UP: page(app, s, -1); return HANDLED;
    case ACT_FIRST: load_first(app, s); return HANDLED;
    case ACT_LAST: load_last(app, s); return HANDLED;
    case ACT_FILTER: filter_menu(app, s); return HANDLED;
    case ACT_OPEN:
        if (s->nrows && s->rows[s->cursor].signal_id)
            ui_push(app, &signal_screen, &s->rows[s->cursor].signal_id);
        return HANDLED;
    default:
        return NOT_HANDLED;
    }
}

const struct screen_ops audit_screen = {
    .name = "audit",
    .scope = SCOPE_AUDIT,
    .open = open_audit,
    .close = close_audit,
    .draw = draw_audit,
    .handle = handle_audit,
    .reload = reload_audit,
    .status = status_audit,
};

/* The admin lists: categories (a tree), units, people, response templates
 * and settings; and the admin menu that reaches them and the routing grid
 * and the audit trail.  The lists are small reference tables, read whole.
 * Every edit is checked here first, then by the database, which audits it.
 *
 * One screen draws and edits every list: a list is described once in
 * `lists` (its title, columns, key, name and the fields of its change
 * menu), and the drawing, moving, changing and switching on and off read
 * the description.  What is truly a list's own (its add steps, its cells)
 * stays a function of its own. */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "adminval.h"
#include "i18n.h"
#include "prompt.h"
#include "translit.h"
#include "ui.h"
#include "uilist.h"
#include "util.h"

enum admin_list { ADMIN_CATEGORIES, ADMIN_UNITS, ADMIN_OPERATORS, ADMIN_TEMPLATES, ADMIN_SETTINGS, ADMIN_LISTS };

struct admin_st {
    enum admin_list kind;
    struct ref_category *cats;
    struct ref_unit *units;
    struct ref_operator *ops;
    struct ref_template *tpls;
    struct ref_setting *sets;
    int ncats, nunits, nops, ntpls, nsets;
    const void *rows;       /* the array of this list (one of the above) */
    int n;                  /* rows of this list */
    int cursor, top;
    char focus[200];        /* keep the cursor on this row after a reload */
};

#define NAME_MAX_CHARS 150
#define BODY_MAX_CHARS 1900
#define MAX_FIELDS 6
#define MAX_COLUMNS 5

/* ---- what a list is ----------------------------------------------------- */

/* A field's value, and how a new one is chosen. */
enum value {
    V_TEXT,             /* typed (char[] in the row) */
    V_NUMBER,           /* typed (int in the row) */
    V_ACTIVE,           /* switched on or off (int) */
    V_PASSWORD,         /* typed twice, never shown */
    V_PARENT,           /* a top-level category, or none (an id) */
    V_CATEGORY_UNIT,    /* a category's default unit (an id) */
    V_WORK_UNIT,        /* the unit a person works in (an id) */
    V_CATEGORY,         /* a template's category, or any (an id) */
    V_UNIT_KIND,        /* one of unit_kinds (char[]) */
    V_LEVEL,            /* one of levels (char[]) */
    V_TEMPLATE_KIND,    /* one of template_kinds (char[]) */
};

/* One line of a row's change menu. */
struct field {
    const char *item;       /* the menu line (N_): "Name: %s"; "%d" for V_NUMBER */
    enum value value;
    size_t off;             /* where the row keeps the value */
    enum ref_field ref;     /* saved with ref_set(); F_COUNT: a person's level,
                             * password and login, each with its own call */
    const char *prompt;     /* V_TEXT, V_NUMBER (N_) */
    int (*check)(const char *s, char *err, size_t errsz);
    const char *const *codes;   /* V_UNIT_KIND, V_LEVEL, V_TEMPLATE_KIND */
    size_t name_off;        /* an id's value: where the row keeps its name */
    const char *empty;      /* shown for an empty value (N_), or NULL */
};

struct column {
    const char *title;      /* N_() */
    int width;              /* 0: what is left */
};

/* The words of switching a row off and on again (N_). */
struct toggle_words {
    const char *ask, *off, *on;
};

struct list_desc {
    const char *title;      /* N_() */
    struct column cols[MAX_COLUMNS];
    int ncols;
    size_t size;            /* of a row */
    size_t name_off;        /* char[]: a row's name in menus and messages */
    int by_id;              /* keyed by the int at id_off, else by its name */
    size_t id_off;
    const struct field *fields;
    int nfields;
    const struct toggle_words *words;
    void (*add)(struct app *app, struct admin_st *a);       /* NULL: rows are not added */
    void (*change)(struct app *app, struct admin_st *a);    /* NULL: the fields' menu */
};

static const struct list_desc lists[ADMIN_LISTS];

#define INT_AT(row, off) (*(const int *)(const void *)((row) + (off)))

/* ---- labels ------------------------------------------------------------- */

static const char *const unit_kinds[] = { "district", "municipal", "external" };
/* For the list (short) and for the choice (with examples). */
static const char *const unit_kind_labels[] = { N_("district"), N_("municipal"), N_("external") };
static const char *const unit_kind_choices[] = { N_("district administration"),
                                                 N_("municipal (directorate, enterprise)"),
                                                 N_("outside body (water company, police …)") };

/* Anything unknown counts as municipal. */
static int unit_kind(const char *kind)
{
    int i;

    for (i = 0; i < 3; i++)
        if (strcmp(kind, unit_kinds[i]) == 0)
            return i;
    return 1;
}

static const char *template_kind_label(const char *kind)
{
    return strcmp(kind, "answer") == 0 ? _("answer") : _("comment");
}

static const char *yes_no(int v)
{
    return v ? _("yes") : _("no");
}

/* ---- loading ------------------------------------------------------------ */

static void free_lists(struct admin_st *a)
{
    free(a->cats);
    free(a->units);
    free(a->ops);
    free(a->tpls);
    free(a->sets);
    a->cats = NULL;
    a->units = NULL;
    a->ops = NULL;
    a->tpls = NULL;
    a->sets = NULL;
    a->rows = NULL;
    a->ncats = a->nunits = a->nops = a->ntpls = a->nsets = 0;
}

/* Row i of the list shown; its fields are found by their offsets. */
static const char *row_at(const struct admin_st *a, int i)
{
    return (const char *)a->rows + (size_t)i * lists[a->kind].size;
}

/* The field that switches a row on and off, if the list has one. */
static const struct field *active_field(const struct list_desc *d)
{
    int i;

    for (i = 0; i < d->nfields; i++)
        if (d->fields[i].value == V_ACTIVE)
            return &d->fields[i];
    return NULL;
}

/* The key of a row, to find it again after a reload and to name it in a change. */
static void row_key(const struct admin_st *a, int i, char *out, size_t size)
{
    const struct list_desc *d = &lists[a->kind];

    out[0] = '\0';
    if (i < 0 || i >= a->n)
        return;
    if (d->by_id)
        snprintf(out, size, "%d", INT_AT(row_at(a, i), d->id_off));
    else
        snprintf(out, size, "%s", row_at(a, i) + d->name_off);
}

static int load(struct admin_st *a, struct app *app)
{
    enum db_status rc;
    char key[200];
    int i;

    if (!a->focus[0])
        row_key(a, a->cursor, a->focus, sizeof a->focus);
    free_lists(a);
    /* the units are needed by every list's menus */
    rc = units_list(app->db, &a->units, &a->nunits);
    if (rc == DB_OK)
        rc = categories_list(app->db, &a->cats, &a->ncats);
    if (rc == DB_OK && a->kind == ADMIN_OPERATORS)
        rc = operators_list(app->db, &a->ops, &a->nops);
    if (rc == DB_OK && a->kind == ADMIN_TEMPLATES)
        rc = templates_list(app->db, &a->tpls, &a->ntpls);
    if (rc == DB_OK && a->kind == ADMIN_SETTINGS)
        rc = settings_list(app->db, &a->sets, &a->nsets);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        a->n = 0;
        return -1;
    }
    switch (a->kind) {
    case ADMIN_CATEGORIES: a->rows = a->cats; a->n = a->ncats; break;
    case ADMIN_UNITS: a->rows = a->units; a->n = a->nunits; break;
    case ADMIN_OPERATORS: a->rows = a->ops; a->n = a->nops; break;
    case ADMIN_TEMPLATES: a->rows = a->tpls; a->n = a->ntpls; break;
    default: a->rows = a->sets; a->n = a->nsets; break;
    }
    for (i = 0; i < a->n && a->focus[0]; i++) {
        row_key(a, i, key, sizeof key);
        if (strcmp(key, a->focus) == 0) {
            a->cursor = i;
            break;
        }
    }
    a->focus[0] = '\0';
    if (a->cursor >= a->n)
        a->cursor = a->n ? a->n - 1 : 0;
    return 0;
}

static const struct ref_category *category_by_id(const struct admin_st *a, int id)
{
    int i;

    for (i = 0; i < a->ncats; i++)
        if (a->cats[i].id == id)
            return &a->cats[i];
    return NULL;
}

/* ---- asking --------------------------------------------------------------- */

/* Asks for a text until it passes the check or the person gives up (Esc).
 * Returns a malloc'd string or NULL. */
static char *ask_text(struct app *app, const char *label, const char *initial,
                      int (*check)(const char *s, char *err, size_t errsz))
{
    char *s = NULL, err[512];

    for (;;) {
        char *again = prompt_line(app, label, s ? s : initial);

        free(s);
        s = again;
        if (!s)
            return NULL;
        str_trim(s);
        if (!check || check(s, err, sizeof err) == 0)
            return s;
        ui_message(app, MSG_ERROR, "%s", err);
    }
}

static int check_name(const char *s, char *err, size_t errsz)
{
    return check_text(s, NAME_MAX_CHARS, err, errsz);
}

static int check_body_text(const char *s, char *err, size_t errsz)
{
    return check_body(s, BODY_MAX_CHARS, err, errsz);
}

static int check_unit_email(const char *s, char *err, size_t errsz)
{
    return check_email(s, 1, err, errsz);
}

static int check_sla(const char *s, char *err, size_t errsz)
{
    int h;

    return check_hours(s, &h, err, errsz);
}

/* A menu of ids being put together: a label and an id per line. */
struct id_menu {
    const char **items;
    char (*labels)[200];
    int *ids;
    int n, sel;
};

static void id_menu_start(struct id_menu *m, int most)
{
    m->items = xcalloc((size_t)most, sizeof *m->items);
    m->labels = xcalloc((size_t)most, sizeof *m->labels);
    m->ids = xcalloc((size_t)most, sizeof *m->ids);
    m->n = m->sel = 0;
}

/* A line; the one whose id is current is selected when the menu opens. */
static void id_menu_add(struct id_menu *m, const char *indent, const char *label, int id, int current)
{
    if (id == current)
        m->sel = m->n;
    snprintf(m->labels[m->n], sizeof m->labels[m->n], "%s%s", indent, label);
    m->items[m->n] = m->labels[m->n];
    m->ids[m->n++] = id;
}

/* Shows the menu; returns the chosen id or -1. */
static int id_menu_run(struct app *app, struct id_menu *m, const char *title)
{
    int choice = ui_menu(app, title, m->items, m->n, m->sel), id = choice < 0 ? -1 : m->ids[choice];

    free(m->items);
    free(m->labels);
    free(m->ids);
    return id;
}

/* A unit from a menu of the active ones, after none_label for "no unit".  Returns the id, 0 for none, -1 when cancelled. */
static int ask_unit(struct app *app, const struct admin_st *a, const char *title, const char *none_label,
                    int current)
{
    struct id_menu m;
    int i;

    id_menu_start(&m, a->nunits + 1);
    id_menu_add(&m, "", none_label, 0, -1);
    for (i = 0; i < a->nunits; i++)
        if (a->units[i].active || a->units[i].id == current)
            id_menu_add(&m, "", a->units[i].name, a->units[i].id, current);
    return id_menu_run(app, &m, title);
}

/* The unit that answers for a category (of the parent parent_id, 0: top level) by default. */
static int ask_category_unit(struct app *app, const struct admin_st *a, int parent_id, int current)
{
    return ask_unit(app, a, _("Which unit answers for it by default?"),
                    parent_id ? _("— the parent category's unit") : _("— none"), current);
}

/* A top-level category as a parent, or none (top level itself).  Returns
 * the id, 0 for the top level, -1 when cancelled. */
static int ask_parent(struct app *app, const struct admin_st *a, int current, int except)
{
    struct id_menu m;
    int i;

    id_menu_start(&m, a->ncats + 1);
    id_menu_add(&m, "", _("— a category of its own (top level)"), 0, -1);
    for (i = 0; i < a->ncats; i++)
        if (!a->cats[i].parent_id && a->cats[i].id != except)
            id_menu_add(&m, "", a->cats[i].name, a->cats[i].id, current);
    return id_menu_run(app, &m, _("Under which category?"));
}

/* Any category (for a template), or none. */
static int ask_category(struct app *app, const struct admin_st *a, int current)
{
    struct id_menu m;
    int i;

    id_menu_start(&m, a->ncats + 1);
    id_menu_add(&m, "", _("— any category"), 0, -1);
    for (i = 0; i < a->ncats; i++)
        if (a->cats[i].active || a->cats[i].id == current)
            id_menu_add(&m, a->cats[i].parent_id ? "  " : "", a->cats[i].name, a->cats[i].id, current);
    return id_menu_run(app, &m, _("For which category?"));
}

static const char *const levels[] = { "operator", "supervisor", "admin" };
static const char *const template_kinds[] = { "response", "answer" };

/* A choice among fixed codes, current (or the usual one) selected; returns
 * the index or -1. */
static int ask_code(struct app *app, const char *title, const char *const *codes, const char *const *labels, int n,
                    const char *current, int usual)
{
    int i, sel = usual;

    for (i = 0; i < n; i++)
        if (current && strcmp(current, codes[i]) == 0)
            sel = i;
    return ui_menu(app, title, labels, n, sel);
}

static int ask_unit_kind(struct app *app, const char *current)
{
    const char *labels[3];
    int i;

    for (i = 0; i < 3; i++)
        labels[i] = _(unit_kind_choices[i]);
    return ask_code(app, _("What kind of unit?"), unit_kinds, labels, 3, current, 1);
}

static int ask_level(struct app *app, const char *current)
{
    const char *labels[3];
    int i;

    for (i = 0; i < 3; i++)
        labels[i] = level_label((enum level)i);
    return ask_code(app, _("Which level?"), levels, labels, 3, current, 0);
}

static int ask_template_kind(struct app *app, const char *current)
{
    const char *labels[2] = { _("comment (a public comment to the citizen)"),
                              _("answer (closes a question on the spot)") };

    return ask_code(app, _("What kind of template?"), template_kinds, labels, 2, current, 0);
}

static void wipe(char *s)
{
    if (s) {
        memset(s, 0, strlen(s));
        free(s);
    }
}

/* Asks for a new password twice.  Returns 1 with *out malloc'd (or NULL
 * for no password when allow_none and both were empty), 0 when cancelled. */
static int ask_password(struct app *app, const char *login, int allow_none, char **out)
{
    char err[256];

    *out = NULL;
    for (;;) {
        char *p1 = prompt_secret(app, allow_none ? _("Password (empty: SSH login only): ")
                                                 : _("New password: "));
        char *p2;

        if (!p1)
            return 0;
        if (!*p1 && allow_none) {
            free(p1);
            if (ui_confirm(app, _("No password: this person can log in only by peer authentication. Right?")))
                return 1;
            continue;
        }
        if (check_password(p1, login, err, sizeof err) < 0) {
            wipe(p1);
            ui_message(app, MSG_ERROR, "%s", err);
            continue;
        }
        p2 = prompt_secret(app, _("The same password again: "));
        if (!p2) {
            wipe(p1);
            return 0;
        }
        if (strcmp(p1, p2) != 0) {
            wipe(p1);
            wipe(p2);
            ui_message(app, MSG_ERROR, "%s", _("The two passwords differ; once more."));
            continue;
        }
        wipe(p2);
        *out = p1;
        return 1;
    }
}

static int check_new_login(const char *s, char *err, size_t errsz)
{
    return check_login(s, err, errsz);
}

/* Reports the outcome of a change; reloads on success and on a conflict
 * (the list then shows what the other person saved). */
static int done(struct app *app, struct admin_st *a, enum db_status rc, const char *ok_fmt, const char *what)
{
    if (rc == DB_OK) {
        ui_message(app, MSG_INFO, ok_fmt, what);
        load(a, app);
        return 1;
    }
    ui_db_error(app, rc);
    if (rc == DB_CONFLICT)
        load(a, app);
    return 0;
}

/* After an add: the cursor on the new row, found by its name (and parent). */
static void focus_name(struct admin_st *a, const char *name, int parent_id)
{
    int i;

    for (i = 0; i < a->n; i++) {
        if (strcmp(row_at(a, i) + lists[a->kind].name_off, name) == 0
            && (a->kind != ADMIN_CATEGORIES || a->cats[i].parent_id == parent_id)) {
            a->cursor = i;
            return;
        }
    }
}

/* ---- changing a field ------------------------------------------------------ */

/* The value as the list read it, as text: what a change names as the old one. */
static const char *old_text(const struct field *f, const char *row, char *buf, size_t size)
{
    switch (f->value) {
    case V_TEXT:
    case V_UNIT_KIND:
    case V_LEVEL:
    case V_TEMPLATE_KIND:
        return row + f->off;
    case V_ACTIVE:
        return INT_AT(row, f->off) ? "true" : "false";
    case V_PASSWORD:
        return "";
    default:
        snprintf(buf, size, "%d", INT_AT(row, f->off));
        return buf;
    }
}

/* The line of the change menu for a field. */
static void field_item(const struct admin_st *a, const struct field *f, const char *row, char *out, size_t size)
{
    const struct ref_category *parent;
    const char *s;

    switch (f->value) {
    case V_NUMBER:
        snprintf(out, size, _(f->item), INT_AT(row, f->off));
        return;
    case V_PASSWORD:
        snprintf(out, size, "%s", _(f->item));
        return;
    case V_ACTIVE:
        s = yes_no(INT_AT(row, f->off));
        break;
    case V_PARENT:
        parent = INT_AT(row, f->off) ? category_by_id(a, INT_AT(row, f->off)) : NULL;
        s = parent ? parent->name : _("(top level)");
        break;
    case V_CATEGORY_UNIT:
    case V_WORK_UNIT:
    case V_CATEGORY:
        s = row + f->name_off;
        break;
    case V_UNIT_KIND:
        s = _(unit_kind_choices[unit_kind(row + f->off)]);
        break;
    case V_LEVEL:
        s = level_label(level_parse(row + f->off));
        break;
    case V_TEMPLATE_KIND:
        s = template_kind_label(row + f->off);
        break;
    default:
        s = row + f->off;
        break;
    }
    snprintf(out, size, _(f->item), !*s && f->empty ? _(f->empty) : s);
}

/* A new value from a menu: an id, or an index into the field's codes; -1
 * when cancelled or not possible. */
static int ask_value(struct app *app, const struct admin_st *a, const struct field *f, const char *row,
                     const char *old)
{
    const struct ref_category *c = (const struct ref_category *)(const void *)row;

    switch (f->value) {
    case V_PARENT:
        if (c->children) {
            ui_message(app, MSG_ERROR, "%s", _("This category has subcategories, so it stays at the top level."));
            return -1;
        }
        return ask_parent(app, a, c->parent_id, c->id);
    case V_CATEGORY_UNIT:
        return ask_category_unit(app, a, c->parent_id, c->unit_id);
    case V_WORK_UNIT:
        return ask_unit(app, a, _("Which unit does the person work in?"), _("— none"), atoi(old));
    case V_CATEGORY:
        return ask_category(app, a, atoi(old));
    case V_UNIT_KIND:
        return ask_unit_kind(app, old);
    case V_LEVEL:
        return ask_level(app, old);
    case V_TEMPLATE_KIND:
        return ask_template_kind(app, old);
    default:
        return -1;
    }
}

static enum db_status save(struct db *db, const struct field *f, const char *key, const char *old, const char *value)
{
    if (f->ref != F_COUNT)
        return ref_set(db, f->ref, key, old, value);
    switch (f->value) {
    case V_LEVEL: return operator_set_level(db, key, old, value);
    case V_PASSWORD: return operator_set_password(db, key, value);
    default: return operator_set_active(db, key, strcmp(value, "true") == 0);
    }
}

/* Asks for a field's new value and saves it. */
static void change_field(struct app *app, struct admin_st *a, const struct field *f, const char *row,
                         const char *key, const char *what)
{
    char num[16], id[16];
    const char *old = old_text(f, row, num, sizeof num), *value;
    char *typed = NULL;
    enum db_status rc;
    int v;

    switch (f->value) {
    case V_TEXT:
    case V_NUMBER:
        typed = ask_text(app, _(f->prompt), old, f->check);
        if (!typed)
            return;
        value = typed;
        break;
    case V_PASSWORD:
        if (!ask_password(app, key, 0, &typed))
            return;
        value = typed;
        break;
    case V_ACTIVE:
        value = INT_AT(row, f->off) ? "false" : "true";
        break;
    default:
        v = ask_value(app, a, f, row, old);
        if (v < 0)
            return;
        snprintf(id, sizeof id, "%d", v);
        value = f->codes ? f->codes[v] : id;
        break;
    }
    rc = save(app->db, f, key, old, value);
    if (f->value == V_PASSWORD)
        memset(typed, 0, strlen(typed));
    free(typed);
    done(app, a, rc, _("%s: saved."), what);
}

/* Enter: the fields of the row under the cursor, one to change. */
static void change_flow(struct app *app, struct admin_st *a)
{
    const struct list_desc *d = &lists[a->kind];
    char items[MAX_FIELDS][400], key[64], what[200];
    const char *menu[MAX_FIELDS], *row;
    int choice, i;

    if (!a->n)
        return;
    if (d->change) {
        d->change(app, a);
        return;
    }
    row = row_at(a, a->cursor);
    row_key(a, a->cursor, key, sizeof key);
    snprintf(what, sizeof what, "%s", row + d->name_off);
    for (i = 0; i < d->nfields; i++) {
        field_item(a, &d->fields[i], row, items[i], sizeof items[i]);
        menu[i] = items[i];
    }
    choice = ui_menu(app, row + d->name_off, menu, d->nfields, 0);
    if (choice >= 0 && choice < d->nfields)
        change_field(app, a, &d->fields[choice], row, key, what);
}

/* Space: a row off (asked first) or on again; settings change their value. */
static void toggle_flow(struct app *app, struct admin_st *a)
{
    const struct list_desc *d = &lists[a->kind];
    const struct field *f = active_field(d);
    char key[64], question[400], what[200];
    const char *row;
    int active;

    if (!a->n)
        return;
    if (!f) {
        change_flow(app, a);
        return;
    }
    row = row_at(a, a->cursor);
    active = INT_AT(row, f->off);
    row_key(a, a->cursor, key, sizeof key);
    snprintf(what, sizeof what, "%s", row + d->name_off);
    if (active) {
        snprintf(question, sizeof question, _(d->words->ask), what);
        if (!ui_confirm(app, question))
            return;
    }
    done(app, a, save(app->db, f, key, active ? "true" : "false", active ? "false" : "true"),
         active ? _(d->words->off) : _(d->words->on), what);
}

/* ---- adding ------------------------------------------------------------------ */

static void category_add_flow(struct app *app, struct admin_st *a)
{
    char *name = NULL, *latin = NULL, *sla = NULL, buf[512], initial[16];
    int parent, unit, hours = 168;
    const struct ref_category *p;
    enum db_status rc;

    parent = ask_parent(app, a, a->n ? (a->cats[a->cursor].parent_id ? a->cats[a->cursor].parent_id
                                                                        : a->cats[a->cursor].id) : 0, 0);
    if (parent < 0)
        return;
    name = ask_text(app, _("Name of the category: "), NULL, check_name);
    if (!name)
        return;
    translit_to_latin(name, buf, sizeof buf);
    latin = ask_text(app, _("The name in Latin letters: "), buf, check_name);
    if (!latin)
        goto out;
    unit = ask_category_unit(app, a, parent, 0);
    if (unit < 0)
        goto out;
    p = category_by_id(a, parent);
    if (p)
        hours = p->sla_hours;
    snprintf(initial, sizeof initial, "%d", hours);
    sla = ask_text(app, _("Hours to handle a signal (1-8760): "), initial, check_sla);
    if (!sla)
        goto out;
    hours = atoi(sla);
    rc = category_add(app->db, parent, name, latin, unit, hours);
    if (done(app, a, rc, _("Category added: %s."), name))
        focus_name(a, name, parent);
out:
    free(name);
    free(latin);
    free(sla);
}

static void unit_add_flow(struct app *app, struct admin_st *a)
{
    char *name, *email;
    int kind;

    name = ask_text(app, _("Name of the unit: "), NULL, check_name);
    if (!name)
        return;
    kind = ask_unit_kind(app, NULL);
    if (kind < 0) {
        free(name);
        return;
    }
    email = ask_text(app, _("Its e-mail address (may stay empty): "), NULL, check_unit_email);
    if (email && done(app, a, unit_add(app->db, name, email, unit_kinds[kind]), _("Unit added: %s."), name))
        focus_name(a, name, 0);
    free(name);
    free(email);
}

static void operator_add_flow(struct app *app, struct admin_st *a)
{
    char *login, *name = NULL, *password = NULL;
    int unit, level;
    enum db_status rc;

    login = ask_text(app, _("Login: "), NULL, check_new_login);
    if (!login)
        return;
    name = ask_text(app, _("Full name: "), NULL, check_name);
    if (!name)
        goto out;
    unit = ask_unit(app, a, _("Which unit does the person work in?"), _("— none"), 0);
    if (unit < 0)
        goto out;
    level = ask_level(app, NULL);
    if (level < 0)
        goto out;
    if (!ask_password(app, login, 1, &password))
        goto out;
    rc = operator_add(app->db, login, name, unit, levels[level], password);
    if (done(app, a, rc, _("%s can now log in."), login))
        focus_name(a, login, 0);
out:
    free(login);
    free(name);
    wipe(password);
}

static void template_add_flow(struct app *app, struct admin_st *a)
{
    char *title = NULL, *body = NULL;
    int kind, cat;

    kind = ask_template_kind(app, NULL);
    if (kind < 0)
        return;
    cat = ask_category(app, a, 0);
    if (cat < 0)
        return;
    title = ask_text(app, _("Title: "), NULL, check_name);
    if (!title)
        return;
    body = ask_text(app, _("Text: "), NULL, check_body_text);
    if (body && done(app, a, template_add(app->db, cat, template_kinds[kind], title, body),
                     _("Template added: %s."), title))
        focus_name(a, title, 0);
    free(title);
    free(body);
}

/* ---- settings ---------------------------------------------------------------------- */

static const char *setting_label(const char *key)
{
    if (strcmp(key, "contacts_outside_unit") == 0)
        return _("Operators see contacts of other units' reporters");
    return key;
}

static const char *setting_value(const char *key, const char *value)
{
    (void)key;
    if (strcmp(value, "yes") == 0)
        return _("yes");
    if (strcmp(value, "no") == 0)
        return _("no");
    return value;
}

static void setting_change_flow(struct app *app, struct admin_st *a)
{
    const struct ref_setting *s;
    const char *labels[2];
    char what[200];
    int choice;

    if (!a->n)
        return;
    s = &a->sets[a->cursor];
    str_copy(what, sizeof what, setting_label(s->key));
    if (strcmp(s->key, "contacts_outside_unit") != 0) {
        ui_message(app, MSG_ERROR, "%s", _("This setting is changed with psql by the database's owner."));
        return;
    }
    labels[0] = _("no: only for the signals of their own unit");
    labels[1] = _("yes: for every signal");
    choice = ui_menu(app, what, labels, 2, strcmp(s->value, "yes") == 0);
    if (choice < 0)
        return;
    done(app, a, ref_set(app->db, F_SETTING, s->key, s->value, choice ? "yes" : "no"), _("Saved: %s."),
         choice ? _("yes") : _("no"));
}

/* ---- the lists ----------------------------------------------------------------------- */

#define CAT(m) offsetof(struct ref_category, m)
#define UNIT(m) offsetof(struct ref_unit, m)
#define OP(m) offsetof(struct ref_operator, m)
#define TPL(m) offsetof(struct ref_template, m)

static const struct field category_fields[] = {
    { N_("Name: %s"), V_TEXT, CAT(name), F_CAT_NAME, N_("Name of the category: "), check_name, NULL, 0, NULL },
    { N_("In Latin letters: %s"), V_TEXT, CAT(name_latin), F_CAT_LATIN, N_("The name in Latin letters: "),
      check_name, NULL, 0, NULL },
    { N_("Under: %s"), V_PARENT, CAT(parent_id), F_CAT_PARENT, NULL, NULL, NULL, 0, NULL },
    { N_("Default unit: %s"), V_CATEGORY_UNIT, CAT(unit_id), F_CAT_UNIT, NULL, NULL, NULL, CAT(unit), "—" },
    { N_("Hours to handle: %d"), V_NUMBER, CAT(sla_hours), F_CAT_SLA, N_("Hours to handle a signal (1-8760): "),
      check_sla, NULL, 0, NULL },
    { N_("Active: %s"), V_ACTIVE, CAT(active), F_CAT_ACTIVE, NULL, NULL, NULL, 0, NULL },
};

static const struct field unit_fields[] = {
    { N_("Name: %s"), V_TEXT, UNIT(name), F_UNIT_NAME, N_("Name of the unit: "), check_name, NULL, 0, NULL },
    { N_("Kind: %s"), V_UNIT_KIND, UNIT(kind), F_UNIT_KIND, NULL, NULL, unit_kinds, 0, NULL },
    { N_("E-mail: %s"), V_TEXT, UNIT(email), F_UNIT_EMAIL, N_("Its e-mail address (may stay empty): "),
      check_unit_email, NULL, 0, "—" },
    { N_("Active: %s"), V_ACTIVE, UNIT(active), F_UNIT_ACTIVE, NULL, NULL, NULL, 0, NULL },
};

static const struct field operator_fields[] = {
    { N_("Name: %s"), V_TEXT, OP(name), F_OP_NAME, N_("Full name: "), check_name, NULL, 0, NULL },
    { N_("Unit: %s"), V_WORK_UNIT, OP(unit_id), F_OP_UNIT, NULL, NULL, NULL, OP(unit), "—" },
    { N_("Level: %s"), V_LEVEL, OP(level), F_COUNT, NULL, NULL, levels, 0, NULL },
    { N_("New password"), V_PASSWORD, 0, F_COUNT, NULL, NULL, NULL, 0, NULL },
    { N_("Active: %s"), V_ACTIVE, OP(active), F_COUNT, NULL, NULL, NULL, 0, NULL },
};

static const struct field template_fields[] = {
    { N_("Title: %s"), V_TEXT, TPL(title), F_TPL_TITLE, N_("Title: "), check_name, NULL, 0, NULL },
    { N_("Text: %s"), V_TEXT, TPL(body), F_TPL_BODY, N_("Text: "), check_body_text, NULL, 0, NULL },
    { N_("Kind: %s"), V_TEMPLATE_KIND, TPL(kind), F_TPL_KIND, NULL, NULL, template_kinds, 0, NULL },
    { N_("Category: %s"), V_CATEGORY, TPL(category_id), F_TPL_CATEGORY, NULL, NULL, NULL, TPL(category), N_("any") },
    { N_("Active: %s"), V_ACTIVE, TPL(active), F_TPL_ACTIVE, NULL, NULL, NULL, 0, NULL },
};

static const struct toggle_words thing_words = {
    N_("Deactivate %s?"), N_("Deactivated: %s. Nobody can choose it any more."), N_("Active again: %s.")
};
static const struct toggle_words person_words = {
    N_("Deactivate %s? No more logins; the name stays."), N_("Deactivated: %s. The name stays in the history."),
    N_("%s can log in again.")
};

static const struct list_desc lists[ADMIN_LISTS] = {
    [ADMIN_CATEGORIES] = {
        N_("Categories"),
        { { N_("Category"), 0 }, { N_("Default unit"), 26 }, { N_("Hours"), 6 }, { N_("Active"), 7 } }, 4,
        sizeof(struct ref_category), CAT(name), 1, CAT(id),
        category_fields, (int)ARRAY_SIZE(category_fields), &thing_words, category_add_flow, NULL,
    },
    [ADMIN_UNITS] = {
        N_("Units"),
        { { N_("Name"), 0 }, { N_("Kind"), 9 }, { N_("E-mail"), 28 }, { N_("Active"), 7 } }, 4,
        sizeof(struct ref_unit), UNIT(name), 1, UNIT(id),
        unit_fields, (int)ARRAY_SIZE(unit_fields), &thing_words, unit_add_flow, NULL,
    },
    [ADMIN_OPERATORS] = {
        N_("People"),
        { { N_("Login"), 12 }, { N_("Full name"), 0 }, { N_("Works in"), 20 }, { N_("Level"), 13 },
          { N_("Active"), 7 } }, 5,
        sizeof(struct ref_operator), OP(login), 0, 0,
        operator_fields, (int)ARRAY_SIZE(operator_fields), &person_words, operator_add_flow, NULL,
    },
    [ADMIN_TEMPLATES] = {
        N_("Response templates"),
        { { N_("Title"), 0 }, { N_("Kind"), 9 }, { N_("Category"), 25 }, { N_("Active"), 7 } }, 4,
        sizeof(struct ref_template), TPL(title), 1, TPL(id),
        template_fields, (int)ARRAY_SIZE(template_fields), &thing_words, template_add_flow, NULL,
    },
    [ADMIN_SETTINGS] = {
        N_("Settings"),
        { { N_("Setting"), 0 }, { N_("Value"), 10 } }, 2,
        sizeof(struct ref_setting), offsetof(struct ref_setting, key), 0, 0,
        NULL, 0, NULL, NULL, setting_change_flow,
    },
};

/* ---- the screen --------------------------------------------------------------------- */

static void cells(const struct admin_st *a, int i, char cell[][256])
{
    switch (a->kind) {
    case ADMIN_CATEGORIES: {
        const struct ref_category *c = &a->cats[i];
        int last_child = c->parent_id && (i + 1 >= a->n || a->cats[i + 1].parent_id != c->parent_id);

        snprintf(cell[0], 256, "%s%s", c->parent_id ? (last_child ? "└ " : "├ ") : "", c->name);
        snprintf(cell[1], 256, "%s", c->unit[0] ? c->unit : c->parent_id ? "↑" : "—");
        snprintf(cell[2], 256, "%d", c->sla_hours);
        snprintf(cell[3], 256, "%s", yes_no(c->active));
        break;
    }
    case ADMIN_UNITS: {
        const struct ref_unit *u = &a->units[i];

        snprintf(cell[0], 256, "%s", u->name);
        snprintf(cell[1], 256, "%s", _(unit_kind_labels[unit_kind(u->kind)]));
        snprintf(cell[2], 256, "%s", u->email[0] ? u->email : "—");
        snprintf(cell[3], 256, "%s", yes_no(u->active));
        break;
    }
    case ADMIN_OPERATORS: {
        const struct ref_operator *o = &a->ops[i];

        snprintf(cell[0], 256, "%s", o->login);
        snprintf(cell[1], 256, "%s", o->name);
        snprintf(cell[2], 256, "%s", o->unit[0] ? o->unit : "—");
        snprintf(cell[3], 256, "%s", level_label(level_parse(o->level)));
        snprintf(cell[4], 256, "%s", yes_no(o->active));
        break;
    }
    case ADMIN_TEMPLATES: {
        const struct ref_template *t = &a->tpls[i];

        snprintf(cell[0], 256, "%s", t->title);
        snprintf(cell[1], 256, "%s", template_kind_label(t->kind));
        snprintf(cell[2], 256, "%s", t->category[0] ? t->category : _("any"));
        snprintf(cell[3], 256, "%s", yes_no(t->active));
        break;
    }
    default:
        snprintf(cell[0], 256, "%s", setting_label(a->sets[i].key));
        snprintf(cell[1], 256, "%s", setting_value(a->sets[i].key, a->sets[i].value));
        break;
    }
}

void admin_title(struct app *app, const char *what)
{
    char title[256];
    int w = utf8_width(app->me.login);

    snprintf(title, sizeof title, " %s › %s", _("Administration"), what);
    ui_text_pad(0, 0, app->cols, title, R_HEADER);
    ui_text(0, app->cols - w - 1, w, app->me.login, R_HEADER);
}

static int list_height(const struct app *app)
{
    return app->rows - 4;
}

/* The columns' titles or a row's cells, from x = 2 on; rest: the width of
 * the column that takes what is left. */
static void draw_line(const struct list_desc *d, int y, int rest, char cell[][256], enum ui_role role)
{
    int k, x = 2;

    for (k = 0; k < d->ncols; k++)
        x += ui_cell(y, x, d->cols[k].width ? d->cols[k].width : rest, cell[k], role, 0);
}

static void draw_admin(void *st, struct app *app)
{
    struct admin_st *a = st;
    const struct list_desc *d = &lists[a->kind];
    const struct field *active = active_field(d);
    char cell[MAX_COLUMNS][256];
    int i, fixed = 0, rest, h = list_height(app);

    admin_title(app, _(d->title));
    for (i = 0; i < d->ncols; i++) {
        fixed += d->cols[i].width + 1;
        str_copy(cell[i], sizeof cell[i], _(d->cols[i].title));
    }
    rest = app->cols - 2 - fixed - 1;
    draw_line(d, 1, rest, cell, R_TITLE);
    if (a->cursor < a->top)
        a->top = a->cursor;
    if (a->cursor >= a->top + h)
        a->top = a->cursor - h + 1;
    if (a->n == 0) {
        ui_text(3, 2, app->cols - 4, _("Nothing here yet; F2 adds."), R_DIM);
        return;
    }
    for (i = 0; i < h && a->top + i < a->n; i++) {
        int row = a->top + i;
        enum ui_role role = row == a->cursor ? R_CURSOR
                          : active && !INT_AT(row_at(a, row), active->off) ? R_DIM : R_NORMAL;

        cells(a, row, cell);
        ui_fill(2 + i, 0, app->cols, role);
        ui_text(2 + i, 0, 1, row == a->cursor ? "▶" : " ", role);
        draw_line(d, 2 + i, rest, cell, role);
    }
}

static void status_admin(void *st, struct app *app, char *left, size_t lsize, char *right, size_t rsize)
{
    struct admin_st *a = st;

    (void)app;
    if (a->kind == ADMIN_TEMPLATES && a->n)
        snprintf(left, lsize, "%s", a->tpls[a->cursor].body);
    else if (a->kind == ADMIN_CATEGORIES && a->n)
        snprintf(left, lsize, "%s", a->cats[a->cursor].name_latin);
    else if (a->kind == ADMIN_OPERATORS && a->n && !a->ops[a->cursor].has_login)
        snprintf(left, lsize, "%s", _("no database login of this name"));
    else
        snprintf(left, lsize, "%s", _(lists[a->kind].title));
    snprintf(right, rsize, "%d/%d", a->n ? a->cursor + 1 : 0, a->n);
}

static void *open_admin(struct app *app, const void *arg)
{
    struct admin_st *a = xcalloc(1, sizeof *a);

    a->kind = *(const enum admin_list *)arg;
    if (load(a, app) < 0) {
        free_lists(a);
        free(a);
        return NULL;
    }
    return a;
}

static void close_admin(void *st)
{
    struct admin_st *a = st;

    free_lists(a);
    free(a);
}

static void reload_admin(void *st, struct app *app)
{
    load(st, app);
}

static enum handled handle_admin(void *st, struct app *app, enum action act, int key)
{
    struct admin_st *a = st;
    int h = list_height(app);

    (void)key;
    if (ui_list_move(act, &a->cursor, a->n, h)) {
        /* a page turns the page, not only the cursor */
        if (act == ACT_PAGE_DOWN) {
            a->top = a->cursor - h + 1 > a->top + h ? a->cursor - h + 1 : a->top + h;
            if (a->top > a->n - h)
                a->top = a->n - h > 0 ? a->n - h : 0;
        } else if (act == ACT_PAGE_UP) {
            a->top = a->top - h > 0 ? a->top - h : 0;
        }
        return HANDLED;
    }
    switch (act) {
    case ACT_ADD_ITEM:
        if (lists[a->kind].add)
            lists[a->kind].add(app, a);
        else
            ui_message(app, MSG_ERROR, "%s", _("The settings are fixed; Enter changes a value."));
        return HANDLED;
    case ACT_CHANGE_ITEM:
        change_flow(app, a);
        return HANDLED;
    case ACT_TOGGLE_ACTIVE:
        toggle_flow(app, a);
        return HANDLED;
    default:
        return NOT_HANDLED;
    }
}

/* ---- the menu ----------------------------------------------------------------------- */

void admin_menu(struct app *app)
{
    static const enum admin_list lists_shown[] = { ADMIN_CATEGORIES, ADMIN_UNITS, ADMIN_OPERATORS, ADMIN_TEMPLATES,
                                                   ADMIN_SETTINGS };
    const char *items[7];
    int choice;

    items[0] = _("Categories (tree, default unit, hours to handle)");
    items[1] = _("Units (their e-mail addresses)");
    items[2] = _("Routing: category × district → unit");
    items[3] = _("People: logins, levels, units");
    items[4] = _("Response templates");
    items[5] = _("Settings");
    items[6] = _("Audit trail: who changed what");
    choice = ui_menu(app, _("Administration"), items, 7, 0);
    if (choice < 0)
        return;
    /* one admin screen at a time: the chosen one takes the place of the last */
    if (app->depth > 1) {
        const struct screen_ops *top = app->stack[app->depth - 1].ops;

        if (top == &admin_screen || top == &routing_screen || top == &audit_screen)
            ui_pop(app);
    }
    switch (choice) {
    case 0: ui_push(app, &admin_screen, &lists_shown[0]); break;
    case 1: ui_push(app, &admin_screen, &lists_shown[1]); break;
    case 2: ui_push(app, &routing_screen, NULL); break;
    case 3: ui_push(app, &admin_screen, &lists_shown[2]); break;
    case 4: ui_push(app, &admin_screen, &lists_shown[3]); break;
    case 5: ui_push(app, &admin_screen, &lists_shown[4]); break;
    case 6: ui_push(app, &audit_screen, NULL); break;
    default: break;
    }
}

const struct screen_ops admin_screen = {
    .name = "admin",
    .scope = SCOPE_ADMIN,
    .open = open_admin,
    .close = close_admin,
    .draw = draw_admin,
    .handle = handle_admin,
    .reload = reload_admin,
    .status = status_admin,
};

/* The admin lists: categories (a tree), units, people, response templates
 * and settings; and the admin menu that reaches them and the routing grid
 * and the audit trail.  The lists are small reference tables, read whole.
 * Every edit is checked here first, then by the database, which audits it. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "adminval.h"
#include "i18n.h"
#include "prompt.h"
#include "translit.h"
#include "ui.h"
#include "util.h"

enum admin_list { ADMIN_CATEGORIES, ADMIN_UNITS, ADMIN_OPERATORS, ADMIN_TEMPLATES, ADMIN_SETTINGS };

struct admin_st {
    enum admin_list kind;
    struct ref_category *cats;
    struct ref_unit *units;
    struct ref_operator *ops;
    struct ref_template *tpls;
    struct ref_setting *sets;
    int ncats, nunits, nops, ntpls, nsets;
    int n;                  /* rows of this list */
    int cursor, top;
    char focus[200];        /* keep the cursor on this row after a reload */
};

#define NAME_MAX_CHARS 150
#define BODY_MAX_CHARS 1900

/* ---- labels ------------------------------------------------------------- */

/* For the list (short) and for the choice (with examples). */
static const char *unit_kind_label(const char *kind)
{
    if (strcmp(kind, "district") == 0)
        return _("district");
    if (strcmp(kind, "external") == 0)
        return _("external");
    return _("municipal");
}

static const char *unit_kind_choice(const char *kind)
{
    if (strcmp(kind, "district") == 0)
        return _("district administration");
    if (strcmp(kind, "external") == 0)
        return _("outside body (water company, police …)");
    return _("municipal (directorate, enterprise)");
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
    a->ncats = a->nunits = a->nops = a->ntpls = a->nsets = 0;
}

/* The key of a row, to find it again after a reload. */
static void row_key(const struct admin_st *a, int i, char *out, size_t size)
{
    out[0] = '\0';
    if (i < 0 || i >= a->n)
        return;
    switch (a->kind) {
    case ADMIN_CATEGORIES: snprintf(out, size, "%d", a->cats[i].id); break;
    case ADMIN_UNITS: snprintf(out, size, "%d", a->units[i].id); break;
    case ADMIN_OPERATORS: snprintf(out, size, "%s", a->ops[i].login); break;
    case ADMIN_TEMPLATES: snprintf(out, size, "%d", a->tpls[i].id); break;
    case ADMIN_SETTINGS: snprintf(out, size, "%s", a->sets[i].key); break;
    }
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
    a->n = a->kind == ADMIN_CATEGORIES ? a->ncats : a->kind == ADMIN_UNITS ? a->nunits
         : a->kind == ADMIN_OPERATORS ? a->nops : a->kind == ADMIN_TEMPLATES ? a->ntpls : a->nsets;
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

/* A unit from a menu of the active ones; none_label (if set) comes first for
 * "no unit".  Returns the id, 0 for none, -1 when cancelled. */
static int ask_unit(struct app *app, const struct admin_st *a, const char *title, const char *none_label,
                    int current)
{
    const char **items = xcalloc((size_t)a->nunits + 1, sizeof *items);
    int *ids = xcalloc((size_t)a->nunits + 1, sizeof *ids);
    int n = 0, i, sel = 0, choice;

    if (none_label) {
        items[n] = none_label;
        ids[n++] = 0;
    }
    for (i = 0; i < a->nunits; i++) {
        if (!a->units[i].active && a->units[i].id != current)
            continue;
        if (a->units[i].id == current)
            sel = n;
        items[n] = a->units[i].name;
        ids[n++] = a->units[i].id;
    }
    choice = ui_menu(app, title, items, n, sel);
    i = choice < 0 ? -1 : ids[choice];
    free(items);
    free(ids);
    return i;
}

/* A top-level category as a parent, or none (top level itself).  Returns
 * the id, 0 for the top level, -1 when cancelled. */
static int ask_parent(struct app *app, const struct admin_st *a, int current, int except)
{
    const char **items = xcalloc((size_t)a->ncats + 1, sizeof *items);
    int *ids = xcalloc((size_t)a->ncats + 1, sizeof *ids);
    int n = 0, i, sel = 0, choice;

    items[n] = _("— a category of its own (top level)");
    ids[n++] = 0;
    for (i = 0; i < a->ncats; i++) {
        if (a->cats[i].parent_id || a->cats[i].id == except)
            continue;
        if (a->cats[i].id == current)
            sel = n;
        items[n] = a->cats[i].name;
        ids[n++] = a->cats[i].id;
    }
    choice = ui_menu(app, _("Under which category?"), items, n, sel);
    i = choice < 0 ? -1 : ids[choice];
    free(items);
    free(ids);
    return i;
}

/* Any category (for a template), or none. */
static int ask_category(struct app *app, const struct admin_st *a, int current)
{
    const char **items = xcalloc((size_t)a->ncats + 1, sizeof *items);
    int *ids = xcalloc((size_t)a->ncats + 1, sizeof *ids);
    char (*labels)[200] = xcalloc((size_t)a->ncats + 1, sizeof *labels);
    int n = 0, i, sel = 0, choice;

    items[n] = _("— any category");
    ids[n++] = 0;
    for (i = 0; i < a->ncats; i++) {
        if (!a->cats[i].active && a->cats[i].id != current)
            continue;
        if (a->cats[i].id == current)
            sel = n;
        snprintf(labels[n], sizeof labels[n], "%s%s", a->cats[i].parent_id ? "  " : "", a->cats[i].name);
        items[n] = labels[n];
        ids[n++] = a->cats[i].id;
    }
    choice = ui_menu(app, _("For which category?"), items, n, sel);
    i = choice < 0 ? -1 : ids[choice];
    free(items);
    free(ids);
    free(labels);
    return i;
}

/* A choice among fixed codes; returns the index or -1. */
static int ask_choice(struct app *app, const char *title, const char *const *labels, int n, int current)
{
    return ui_menu(app, title, labels, n, current);
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
        const char *v = a->kind == ADMIN_CATEGORIES ? a->cats[i].name : a->kind == ADMIN_UNITS ? a->units[i].name
                      : a->kind == ADMIN_TEMPLATES ? a->tpls[i].title : a->kind == ADMIN_OPERATORS ? a->ops[i].login
                      : a->sets[i].key;

        if (strcmp(v, name) == 0 && (a->kind != ADMIN_CATEGORIES || a->cats[i].parent_id == parent_id)) {
            a->cursor = i;
            return;
        }
    }
}

/* ---- categories -------------------------------------------------------------- */

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
    unit = ask_unit(app, a, _("Which unit answers for it by default?"),
                    parent ? _("— the parent category's unit") : _("— none"), 0);
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

static void category_change_flow(struct app *app, struct admin_st *a)
{
    const struct ref_category *c;
    char items[6][400], key[16], old[16], val[16];
    const char *menu[6];
    char *s = NULL;
    int choice, v, i;
    enum db_status rc = DB_OK;
    char what[200];

    if (!a->n)
        return;
    c = &a->cats[a->cursor];
    snprintf(key, sizeof key, "%d", c->id);
    snprintf(what, sizeof what, "%s", c->name);
    snprintf(items[0], sizeof items[0], _("Name: %s"), c->name);
    snprintf(items[1], sizeof items[1], _("In Latin letters: %s"), c->name_latin);
    snprintf(items[2], sizeof items[2], _("Under: %s"),
             c->parent_id && category_by_id(a, c->parent_id) ? category_by_id(a, c->parent_id)->name : _("(top level)"));
    snprintf(items[3], sizeof items[3], _("Default unit: %s"), c->unit[0] ? c->unit : "—");
    snprintf(items[4], sizeof items[4], _("Hours to handle: %d"), c->sla_hours);
    snprintf(items[5], sizeof items[5], _("Active: %s"), yes_no(c->active));
    for (i = 0; i < 6; i++)
        menu[i] = items[i];
    choice = ui_menu(app, c->name, menu, 6, 0);
    switch (choice) {
    case 0:
    case 1:
        s = ask_text(app, choice == 0 ? _("Name of the category: ") : _("The name in Latin letters: "),
                     choice == 0 ? c->name : c->name_latin, check_name);
        if (!s)
            return;
        rc = ref_set(app->db, choice == 0 ? F_CAT_NAME : F_CAT_LATIN, key, choice == 0 ? c->name : c->name_latin, s);
        break;
    case 2:
        if (c->children) {
            ui_message(app, MSG_ERROR, "%s", _("This category has subcategories, so it stays at the top level."));
            return;
        }
        v = ask_parent(app, a, c->parent_id, c->id);
        if (v < 0)
            return;
        snprintf(old, sizeof old, "%d", c->parent_id);
        snprintf(val, sizeof val, "%d", v);
        rc = ref_set(app->db, F_CAT_PARENT, key, old, val);
        break;
    case 3:
        v = ask_unit(app, a, _("Which unit answers for it by default?"),
                     c->parent_id ? _("— the parent category's unit") : _("— none"), c->unit_id);
        if (v < 0)
            return;
        snprintf(old, sizeof old, "%d", c->unit_id);
        snprintf(val, sizeof val, "%d", v);
        rc = ref_set(app->db, F_CAT_UNIT, key, old, val);
        break;
    case 4:
        snprintf(old, sizeof old, "%d", c->sla_hours);
        s = ask_text(app, _("Hours to handle a signal (1-8760): "), old, check_sla);
        if (!s)
            return;
        rc = ref_set(app->db, F_CAT_SLA, key, old, s);
        break;
    case 5:
        rc = ref_set(app->db, F_CAT_ACTIVE, key, c->active ? "true" : "false", c->active ? "false" : "true");
        break;
    default:
        return;
    }
    free(s);
    done(app, a, rc, _("%s: saved."), what);
}

/* ---- units ------------------------------------------------------------------- */

static const char *const unit_kinds[] = { "district", "municipal", "external" };

static int ask_unit_kind(struct app *app, const char *current)
{
    const char *labels[3];
    int i, sel = 1;

    for (i = 0; i < 3; i++) {
        labels[i] = unit_kind_choice(unit_kinds[i]);
        if (current && strcmp(current, unit_kinds[i]) == 0)
            sel = i;
    }
    return ask_choice(app, _("What kind of unit?"), labels, 3, sel);
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

static void unit_change_flow(struct app *app, struct admin_st *a)
{
    const struct ref_unit *u;
    char items[4][400], key[16], what[200];
    const char *menu[4];
    char *s = NULL;
    int choice, k, i;
    enum db_status rc;

    if (!a->n)
        return;
    u = &a->units[a->cursor];
    snprintf(key, sizeof key, "%d", u->id);
    snprintf(what, sizeof what, "%s", u->name);
    snprintf(items[0], sizeof items[0], _("Name: %s"), u->name);
    snprintf(items[1], sizeof items[1], _("Kind: %s"), unit_kind_choice(u->kind));
    snprintf(items[2], sizeof items[2], _("E-mail: %s"), u->email[0] ? u->email : "—");
    snprintf(items[3], sizeof items[3], _("Active: %s"), yes_no(u->active));
    for (i = 0; i < 4; i++)
        menu[i] = items[i];
    choice = ui_menu(app, u->name, menu, 4, 0);
    switch (choice) {
    case 0:
        s = ask_text(app, _("Name of the unit: "), u->name, check_name);
        if (!s)
            return;
        rc = ref_set(app->db, F_UNIT_NAME, key, u->name, s);
        break;
    case 1:
        k = ask_unit_kind(app, u->kind);
        if (k < 0)
            return;
        rc = ref_set(app->db, F_UNIT_KIND, key, u->kind, unit_kinds[k]);
        break;
    case 2:
        s = ask_text(app, _("Its e-mail address (may stay empty): "), u->email, check_unit_email);
        if (!s)
            return;
        rc = ref_set(app->db, F_UNIT_EMAIL, key, u->email, s);
        break;
    case 3:
        rc = ref_set(app->db, F_UNIT_ACTIVE, key, u->active ? "true" : "false", u->active ? "false" : "true");
        break;
    default:
        return;
    }
    free(s);
    done(app, a, rc, _("%s: saved."), what);
}

/* ---- people -------------------------------------------------------------------- */

static const char *const levels[] = { "operator", "supervisor", "admin" };

static int ask_level(struct app *app, const char *current)
{
    const char *labels[3];
    int i, sel = 0;

    for (i = 0; i < 3; i++) {
        labels[i] = level_label((enum level)i);
        if (current && strcmp(current, levels[i]) == 0)
            sel = i;
    }
    return ask_choice(app, _("Which level?"), labels, 3, sel);
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

static void operator_change_flow(struct app *app, struct admin_st *a)
{
    const struct ref_operator *o;
    char items[5][400], old[16], val[16], login[64];
    const char *menu[5];
    char *s = NULL;
    int choice, v, i;
    enum db_status rc;

    if (!a->n)
        return;
    o = &a->ops[a->cursor];
    snprintf(login, sizeof login, "%s", o->login);
    snprintf(items[0], sizeof items[0], _("Name: %s"), o->name);
    snprintf(items[1], sizeof items[1], _("Unit: %s"), o->unit[0] ? o->unit : "—");
    snprintf(items[2], sizeof items[2], _("Level: %s"), level_label(level_parse(o->level)));
    snprintf(items[3], sizeof items[3], "%s", _("New password"));
    snprintf(items[4], sizeof items[4], _("Active: %s"), yes_no(o->active));
    for (i = 0; i < 5; i++)
        menu[i] = items[i];
    choice = ui_menu(app, o->login, menu, 5, 0);
    switch (choice) {
    case 0:
        s = ask_text(app, _("Full name: "), o->name, check_name);
        if (!s)
            return;
        rc = ref_set(app->db, F_OP_NAME, login, o->name, s);
        break;
    case 1:
        v = ask_unit(app, a, _("Which unit does the person work in?"), _("— none"), o->unit_id);
        if (v < 0)
            return;
        snprintf(old, sizeof old, "%d", o->unit_id);
        snprintf(val, sizeof val, "%d", v);
        rc = ref_set(app->db, F_OP_UNIT, login, old, val);
        break;
    case 2:
        v = ask_level(app, o->level);
        if (v < 0)
            return;
        rc = operator_set_level(app->db, login, o->level, levels[v]);
        break;
    case 3:
        if (!ask_password(app, login, 0, &s))
            return;
        rc = operator_set_password(app->db, login, s);
        memset(s, 0, strlen(s));
        break;
    case 4:
        rc = operator_set_active(app->db, login, !o->active);
        break;
    default:
        return;
    }
    free(s);
    done(app, a, rc, _("%s: saved."), login);
}

/* ---- templates -------------------------------------------------------------------- */

static const char *const template_kinds[] = { "response", "answer" };

static int ask_template_kind(struct app *app, const char *current)
{
    const char *labels[2] = { _("comment (a public comment to the citizen)"),
                              _("answer (closes a question on the spot)") };

    return ask_choice(app, _("What kind of template?"), labels, 2, current && strcmp(current, "answer") == 0);
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

static void template_change_flow(struct app *app, struct admin_st *a)
{
    const struct ref_template *t;
    char items[5][400], key[16], old[16], val[16], what[200];
    const char *menu[5];
    char *s = NULL;
    int choice, v, i;
    enum db_status rc;

    if (!a->n)
        return;
    t = &a->tpls[a->cursor];
    snprintf(key, sizeof key, "%d", t->id);
    snprintf(what, sizeof what, "%s", t->title);
    snprintf(items[0], sizeof items[0], _("Title: %s"), t->title);
    snprintf(items[1], sizeof items[1], _("Text: %s"), t->body);
    snprintf(items[2], sizeof items[2], _("Kind: %s"), template_kind_label(t->kind));
    snprintf(items[3], sizeof items[3], _("Category: %s"), t->category[0] ? t->category : _("any"));
    snprintf(items[4], sizeof items[4], _("Active: %s"), yes_no(t->active));
    for (i = 0; i < 5; i++)
        menu[i] = items[i];
    choice = ui_menu(app, t->title, menu, 5, 0);
    switch (choice) {
    case 0:
        s = ask_text(app, _("Title: "), t->title, check_name);
        if (!s)
            return;
        rc = ref_set(app->db, F_TPL_TITLE, key, t->title, s);
        break;
    case 1:
        s = ask_text(app, _("Text: "), t->body, check_body_text);
        if (!s)
            return;
        rc = ref_set(app->db, F_TPL_BODY, key, t->body, s);
        break;
    case 2:
        v = ask_template_kind(app, t->kind);
        if (v < 0)
            return;
        rc = ref_set(app->db, F_TPL_KIND, key, t->kind, template_kinds[v]);
        break;
    case 3:
        v = ask_category(app, a, t->category_id);
        if (v < 0)
            return;
        snprintf(old, sizeof old, "%d", t->category_id);
        snprintf(val, sizeof val, "%d", v);
        rc = ref_set(app->db, F_TPL_CATEGORY, key, old, val);
        break;
    case 4:
        rc = ref_set(app->db, F_TPL_ACTIVE, key, t->active ? "true" : "false", t->active ? "false" : "true");
        break;
    default:
        return;
    }
    free(s);
    done(app, a, rc, _("%s: saved."), what);
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

/* ---- on/off ------------------------------------------------------------------------ */

static void toggle_flow(struct app *app, struct admin_st *a)
{
    char key[64], question[400], what[200];
    int active;
    enum ref_field field;
    enum db_status rc;

    if (!a->n)
        return;
    switch (a->kind) {
    case ADMIN_CATEGORIES:
        active = a->cats[a->cursor].active;
        field = F_CAT_ACTIVE;
        snprintf(what, sizeof what, "%s", a->cats[a->cursor].name);
        snprintf(key, sizeof key, "%d", a->cats[a->cursor].id);
        break;
    case ADMIN_UNITS:
        active = a->units[a->cursor].active;
        field = F_UNIT_ACTIVE;
        snprintf(what, sizeof what, "%s", a->units[a->cursor].name);
        snprintf(key, sizeof key, "%d", a->units[a->cursor].id);
        break;
    case ADMIN_TEMPLATES:
        active = a->tpls[a->cursor].active;
        field = F_TPL_ACTIVE;
        snprintf(what, sizeof what, "%s", a->tpls[a->cursor].title);
        snprintf(key, sizeof key, "%d", a->tpls[a->cursor].id);
        break;
    case ADMIN_OPERATORS:
        active = a->ops[a->cursor].active;
        snprintf(what, sizeof what, "%s", a->ops[a->cursor].login);
        if (active) {
            snprintf(question, sizeof question, _("Deactivate %s? No more logins; the name stays."), what);
            if (!ui_confirm(app, question))
                return;
        }
        done(app, a, operator_set_active(app->db, what, !active),
             active ? _("Deactivated: %s. The name stays in the history.") : _("%s can log in again."), what);
        return;
    case ADMIN_SETTINGS:
    default:
        setting_change_flow(app, a);
        return;
    }
    if (active) {
        snprintf(question, sizeof question, _("Deactivate %s?"), what);
        if (!ui_confirm(app, question))
            return;
    }
    rc = ref_set(app->db, field, key, active ? "true" : "false", active ? "false" : "true");
    done(app, a, rc, active ? _("Deactivated: %s. Nobody can choose it any more.")
                            : _("Active again: %s."), what);
}

/* ---- the screen --------------------------------------------------------------------- */

struct column {
    const char *title;
    int width;              /* 0: what is left */
};

static int columns(enum admin_list kind, struct column *c)
{
    switch (kind) {
    case ADMIN_CATEGORIES:
        c[0] = (struct column){ N_("Category"), 0 };
        c[1] = (struct column){ N_("Default unit"), 26 };
        c[2] = (struct column){ N_("Hours"), 6 };
        c[3] = (struct column){ N_("Active"), 7 };
        return 4;
    case ADMIN_UNITS:
        c[0] = (struct column){ N_("Name"), 0 };
        c[1] = (struct column){ N_("Kind"), 9 };
        c[2] = (struct column){ N_("E-mail"), 28 };
        c[3] = (struct column){ N_("Active"), 7 };
        return 4;
    case ADMIN_OPERATORS:
        c[0] = (struct column){ N_("Login"), 12 };
        c[1] = (struct column){ N_("Full name"), 0 };
        c[2] = (struct column){ N_("Works in"), 20 };
        c[3] = (struct column){ N_("Level"), 13 };
        c[4] = (struct column){ N_("Active"), 7 };
        return 5;
    case ADMIN_TEMPLATES:
        c[0] = (struct column){ N_("Title"), 0 };
        c[1] = (struct column){ N_("Kind"), 9 };
        c[2] = (struct column){ N_("Category"), 25 };
        c[3] = (struct column){ N_("Active"), 7 };
        return 4;
    case ADMIN_SETTINGS:
    default:
        c[0] = (struct column){ N_("Setting"), 0 };
        c[1] = (struct column){ N_("Value"), 10 };
        return 2;
    }
}

static void cells(const struct admin_st *a, int i, char cell[][256], int *inactive)
{
    *inactive = 0;
    switch (a->kind) {
    case ADMIN_CATEGORIES: {
        const struct ref_category *c = &a->cats[i];
        int last_child = c->parent_id && (i + 1 >= a->n || a->cats[i + 1].parent_id != c->parent_id);

        snprintf(cell[0], 256, "%s%s", c->parent_id ? (last_child ? "└ " : "├ ") : "", c->name);
        snprintf(cell[1], 256, "%s", c->unit[0] ? c->unit : c->parent_id ? "↑" : "—");
        snprintf(cell[2], 256, "%d", c->sla_hours);
        snprintf(cell[3], 256, "%s", yes_no(c->active));
        *inactive = !c->active;
        break;
    }
    case ADMIN_UNITS: {
        const struct ref_unit *u = &a->units[i];

        snprintf(cell[0], 256, "%s", u->name);
        snprintf(cell[1], 256, "%s", unit_kind_label(u->kind));
        snprintf(cell[2], 256, "%s", u->email[0] ? u->email : "—");
        snprintf(cell[3], 256, "%s", yes_no(u->active));
        *inactive = !u->active;
        break;
    }
    case ADMIN_OPERATORS: {
        const struct ref_operator *o = &a->ops[i];

        snprintf(cell[0], 256, "%s", o->login);
        snprintf(cell[1], 256, "%s", o->name);
        snprintf(cell[2], 256, "%s", o->unit[0] ? o->unit : "—");
        snprintf(cell[3], 256, "%s", level_label(level_parse(o->level)));
        snprintf(cell[4], 256, "%s", yes_no(o->active));
        *inactive = !o->active;
        break;
    }
    case ADMIN_TEMPLATES: {
        const struct ref_template *t = &a->tpls[i];

        snprintf(cell[0], 256, "%s", t->title);
        snprintf(cell[1], 256, "%s", template_kind_label(t->kind));
        snprintf(cell[2], 256, "%s", t->category[0] ? t->category : _("any"));
        snprintf(cell[3], 256, "%s", yes_no(t->active));
        *inactive = !t->active;
        break;
    }
    case ADMIN_SETTINGS:
        snprintf(cell[0], 256, "%s", setting_label(a->sets[i].key));
        snprintf(cell[1], 256, "%s", setting_value(a->sets[i].key, a->sets[i].value));
        break;
    }
}

static const char *list_title(enum admin_list kind)
{
    switch (kind) {
    case ADMIN_CATEGORIES: return _("Categories");
    case ADMIN_UNITS: return _("Units");
    case ADMIN_OPERATORS: return _("People");
    case ADMIN_TEMPLATES: return _("Response templates");
    case ADMIN_SETTINGS: default: return _("Settings");
    }
}

/* A cell cut to its width, "…" where it was cut. */
static void cell_text(int y, int x, int width, const char *s, enum ui_role role)
{
    if (utf8_width(s) <= width) {
        ui_text_pad(y, x, width, s, role);
    } else {
        int used = ui_text(y, x, width - 1, s, role);

        ui_text(y, x + used, 1, "…", role);
        ui_fill(y, x + used + 1, width - used - 1, role);
    }
}

static int list_height(const struct app *app)
{
    return app->rows - 4;
}

static void draw_admin(void *st, struct app *app)
{
    struct admin_st *a = st;
    struct column col[6];
    int nc = columns(a->kind, col), i, x, fixed = 0, rest, h = list_height(app);
    char title[256];

    snprintf(title, sizeof title, " %s › %s", _("Administration"), list_title(a->kind));
    ui_text_pad(0, 0, app->cols, title, R_HEADER);
    ui_text(0, app->cols - utf8_width(app->me.login) - 1, utf8_width(app->me.login), app->me.login, R_HEADER);
    for (i = 0; i < nc; i++)
        fixed += col[i].width + 1;
    rest = app->cols - 2 - fixed - 1;
    x = 2;
    for (i = 0; i < nc; i++) {
        int w = col[i].width ? col[i].width : rest;

        cell_text(1, x, w, _(col[i].title), R_TITLE);
        x += w + 1;
    }
    if (a->cursor < a->top)
        a->top = a->cursor;
    if (a->cursor >= a->top + h)
        a->top = a->cursor - h + 1;
    if (a->n == 0) {
        ui_text(3, 2, app->cols - 4, _("Nothing here yet; F2 adds."), R_DIM);
        return;
    }
    for (i = 0; i < h && a->top + i < a->n; i++) {
        char cell[6][256];
        int inactive, k, row = a->top + i;
        enum ui_role role;

        cells(a, row, cell, &inactive);
        role = row == a->cursor ? R_CURSOR : inactive ? R_DIM : R_NORMAL;
        ui_fill(2 + i, 0, app->cols, role);
        ui_text(2 + i, 0, 1, row == a->cursor ? "▶" : " ", role);
        x = 2;
        for (k = 0; k < nc; k++) {
            int w = col[k].width ? col[k].width : rest;

            cell_text(2 + i, x, w, cell[k], role);
            x += w + 1;
        }
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
        snprintf(left, lsize, "%s", list_title(a->kind));
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
    switch (act) {
    case ACT_MOVE_DOWN: if (a->cursor < a->n - 1) a->cursor++; return HANDLED;
    case ACT_MOVE_UP: if (a->cursor > 0) a->cursor--; return HANDLED;
    case ACT_PAGE_DOWN:
        a->cursor = a->cursor + h < a->n ? a->cursor + h : (a->n ? a->n - 1 : 0);
        a->top = a->cursor - h + 1 > a->top + h ? a->cursor - h + 1 : a->top + h;
        if (a->top > a->n - h)
            a->top = a->n - h > 0 ? a->n - h : 0;
        return HANDLED;
    case ACT_PAGE_UP:
        a->cursor = a->cursor - h > 0 ? a->cursor - h : 0;
        a->top = a->top - h > 0 ? a->top - h : 0;
        return HANDLED;
    case ACT_FIRST: a->cursor = 0; return HANDLED;
    case ACT_LAST: a->cursor = a->n ? a->n - 1 : 0; return HANDLED;
    case ACT_ADD_ITEM:
        switch (a->kind) {
        case ADMIN_CATEGORIES: category_add_flow(app, a); break;
        case ADMIN_UNITS: unit_add_flow(app, a); break;
        case ADMIN_OPERATORS: operator_add_flow(app, a); break;
        case ADMIN_TEMPLATES: template_add_flow(app, a); break;
        case ADMIN_SETTINGS:
            ui_message(app, MSG_ERROR, "%s", _("The settings are fixed; Enter changes a value."));
            break;
        }
        return HANDLED;
    case ACT_CHANGE_ITEM:
        switch (a->kind) {
        case ADMIN_CATEGORIES: category_change_flow(app, a); break;
        case ADMIN_UNITS: unit_change_flow(app, a); break;
        case ADMIN_OPERATORS: operator_change_flow(app, a); break;
        case ADMIN_TEMPLATES: template_change_flow(app, a); break;
        case ADMIN_SETTINGS: setting_change_flow(app, a); break;
        }
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
    static const enum admin_list lists[] = { ADMIN_CATEGORIES, ADMIN_UNITS, ADMIN_OPERATORS, ADMIN_TEMPLATES,
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
    case 0: ui_push(app, &admin_screen, &lists[0]); break;
    case 1: ui_push(app, &admin_screen, &lists[1]); break;
    case 2: ui_push(app, &routing_screen, NULL); break;
    case 3: ui_push(app, &admin_screen, &lists[2]); break;
    case 4: ui_push(app, &admin_screen, &lists[3]); break;
    case 5: ui_push(app, &admin_screen, &lists[4]); break;
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

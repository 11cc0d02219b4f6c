/* Triage, routing, assignment, comments, answers and bulk changes: the
 * steps of each action (choose, ask, change in one transaction, say what
 * happened), shared by the queue and the signal screen. */
#include "flows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "lineedit.h"
#include "picker.h"
#include "tags.h"
#include "triage.h"
#include "util.h"

/* ---- pickers ---------------------------------------------------------- */

/* The items of a picker for a reference list read with rc: each item's
 * name, its parent as the hint, its search text and depth; `extra` empty
 * items after them.  NULL (the error shown) when the list could not be
 * read.  ref_done() frees both. */
static struct pick_item *ref_items(struct app *app, enum db_status rc, const struct ref_list *list, int extra)
{
    struct pick_item *items;
    int i, n = list->n + extra;

    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return NULL;
    }
    items = xcalloc((size_t)(n ? n : 1), sizeof *items);
    for (i = 0; i < list->n; i++) {
        items[i].label = list->items[i].name;
        items[i].hint = list->items[i].parent;
        items[i].search = list->items[i].search;
        items[i].depth = list->items[i].depth;
    }
    return items;
}

static void ref_done(struct pick_item *items, struct ref_list *list)
{
    free(items);
    ref_list_free(list);
}

/* The index of the item with that id, or -1. */
static int ref_index(const struct ref_list *list, long long id)
{
    int i;

    for (i = 0; i < list->n; i++)
        if (list->items[i].id == id)
            return i;
    return -1;
}

int flow_pick_category(struct app *app, int current, const char *filter, char *name, size_t size)
{
    struct ref_list list;
    struct pick_item *items = ref_items(app, ref_categories(app->db, &list), &list, 0);
    int i, choice, id = 0;

    if (!items)
        return 0;
    for (i = 0; i < list.n; i++)
        items[i].hint_filtered = 1;
    choice = picker_run(app, _("Category"), items, list.n, ref_index(&list, current), filter);
    if (choice >= 0) {
        const struct ref_item *it = &list.items[choice];

        id = (int)it->id;
        if (name) {
            if (*it->parent)
                snprintf(name, size, "%s › %s", it->parent, it->name);
            else
                snprintf(name, size, "%s", it->name);
        }
    }
    ref_done(items, &list);
    return id;
}

int flow_pick_district(struct app *app, int current, const char *filter, char *name, size_t size)
{
    struct ref_list list;
    struct pick_item *items = ref_items(app, ref_districts(app->db, &list), &list, 0);
    int choice, id = 0;

    if (!items)
        return 0;
    choice = picker_run(app, _("District"), items, list.n, ref_index(&list, current), filter);
    if (choice >= 0) {
        id = (int)list.items[choice].id;
        if (name)
            snprintf(name, size, "%s", list.items[choice].name);
    }
    ref_done(items, &list);
    return id;
}

/* Templates and answers: title, whose they are, the text as a preview. */
static int pick_template(struct app *app, const char *title, const char *kind, int category_id, const char *filter,
                         char **text, int *category, char *name, size_t size)
{
    struct ref_list list;
    struct pick_item *items;
    int i, choice;

    *text = NULL;
    items = ref_items(app, ref_templates(app->db, kind, category_id, &list), &list, 0);
    if (!items)
        return -1;
    if (list.n == 0) {
        ui_message(app, MSG_INFO, "%s", _("There are no templates yet."));
        ref_done(items, &list);
        return -1;
    }
    for (i = 0; i < list.n; i++) {
        /* whose it is; among responses, an answer says so */
        items[i].hint = *list.items[i].parent                             ? list.items[i].parent
                        : !kind && strcmp(list.items[i].code, "answer") == 0 ? _("answer")
                                                                          : _("general");
        items[i].preview = list.items[i].text;
    }
    choice = picker_run(app, title, items, list.n, 0, filter);
    if (choice >= 0) {
        *text = xstrdup(list.items[choice].text);
        if (category)
            *category = (int)list.items[choice].ref_id;
        if (name)
            snprintf(name, size, "%s", list.items[choice].parent);
    }
    ref_done(items, &list);
    return choice;
}

char *flow_pick_answer(struct app *app, int category_id, const char *filter, int *category, char *name,
                       size_t size)
{
    char *text;

    if (category)
        *category = 0;
    if (name && size)
        name[0] = '\0';
    pick_template(app, _("Knowledge base: answers"), "answer", category_id, filter, &text, category, name, size);
    return text;
}

/* Tab in a comment: a response template, its placeholders filled for the
 * signal (for many signals at once, left for each to fill). */
struct tab_ctx {
    struct app *app;
    long long id;           /* 0: many signals */
    int category_id;
    const char *status;     /* the status the comment goes with, or NULL */
};

static char *insert_template(void *vctx)
{
    struct tab_ctx *c = vctx;
    char *text = NULL, *filled = NULL;
    enum db_status rc;

    if (pick_template(c->app, _("Templates (placeholders are filled in)"), NULL, c->category_id, NULL, &text,
                      NULL, NULL, 0) < 0)
        return NULL;
    if (c->id <= 0)
        return text;
    rc = fill_template(c->app->db, text, c->id, c->status, &filled);
    if (rc != DB_OK) {
        ui_db_error(c->app, rc);
        return text;
    }
    free(text);
    return filled;
}

char *flow_comment_prompt(struct app *app, const char *label, long long id, int category_id, const char *status,
                            const char *initial)
{
    struct tab_ctx ctx = { app, id, category_id, status };

    return prompt_tab(app, label, initial, insert_template, &ctx);
}

char *flow_needed_comment(struct app *app, const char *label, long long id, int category_id, const char *status)
{
    char *comment = flow_comment_prompt(app, label, id, category_id, status, NULL);

    if (comment && str_empty(comment)) {
        free(comment);
        ui_message(app, MSG_ERROR, "%s", _("This status change needs a public comment; nothing was changed."));
        return NULL;
    }
    return comment;
}

/* ---- one signal ------------------------------------------------------- */

static int apply(struct app *app, long long id, int version, enum sig_field f, const char *value, const char *comment,
                 int public)
{
    int newv = 0;
    enum db_status rc = signal_set_field(app->db, id, version, f, value, comment, public, &newv);

    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return 0;
    }
    if (newv == version) {
        ui_message(app, MSG_INFO, "%s", _("It was so already; nothing changed."));
        return 0;
    }
    return 1;
}

/* After a new category or district: where the signal went, if it moved. */
static void said_where(struct app *app, const struct triage_info *before, const char *what)
{
    struct triage_info t;

    if (triage_load(app->db, before->id, &t) != DB_OK) {
        ui_message(app, MSG_INFO, "%s", what);
        return;
    }
    if (t.unit_id != before->unit_id)
        ui_message(app, MSG_INFO, _("%s; responsible now: %s"), what, t.unit[0] ? t.unit : "—");
    else
        ui_message(app, MSG_INFO, "%s.", what);
    triage_free(&t);
}

/* Saves a number chosen for a field: an id, a priority. */
static int apply_number(struct app *app, const struct triage_info *t, int version, enum sig_field f, int v)
{
    char value[16];

    snprintf(value, sizeof value, "%d", v);
    return apply(app, t->id, version, f, value, NULL, 0);
}

static void set_category(struct app *app, const struct triage_info *t, int version)
{
    char name[256];
    int cat = flow_pick_category(app, t->category_id, NULL, name, sizeof name);

    if (cat && apply_number(app, t, version, FIELD_CATEGORY, cat))
        said_where(app, t, _("Category set"));
}

static void set_district(struct app *app, const struct triage_info *t, int version)
{
    char name[64], what[160];
    int d = flow_pick_district(app, t->district_id, NULL, name, sizeof name);

    if (d && apply_number(app, t, version, FIELD_DISTRICT, d)) {
        snprintf(what, sizeof what, _("District: %s"), name);
        said_where(app, t, what);
    }
}

static int pick_priority(struct app *app, int current)
{
    const char *items[4];
    int i;

    char title[64];

    for (i = 0; i < 4; i++)
        items[i] = priority_label(i);
    snprintf(title, sizeof title, "%s ", _("Priority"));
    return ui_menu(app, title, items, 4, current);
}

static void set_priority(struct app *app, const struct triage_info *t, int version)
{
    int p = pick_priority(app, t->priority);

    if (p >= 0 && apply_number(app, t, version, FIELD_PRIORITY, p))
        ui_message(app, MSG_INFO, _("Priority: %s."), priority_label(p));
}

/* Units: the routing table's choice first.  Returns the unit id or 0. */
static int pick_unit(struct app *app, int category_id, int district_id, int current, char *name, size_t size)
{
    struct ref_list list;
    struct pick_item *items = ref_items(app, ref_units(app->db, category_id, district_id, current, &list), &list, 0);
    int i, choice, id = 0;

    if (!items)
        return 0;
    for (i = 0; i < list.n; i++) {
        int m = list.items[i].mark;

        items[i].hint = m == (REF_SUGGESTED | REF_CURRENT) ? _("routing table, now")
                        : m == REF_SUGGESTED               ? _("routing table")
                        : m == REF_CURRENT                 ? _("now")
                                                           : NULL;
    }
    choice = picker_run(app, _("Responsible unit"), items, list.n, 0, NULL);
    if (choice >= 0) {
        id = (int)list.items[choice].id;
        snprintf(name, size, "%s", list.items[choice].name);
    }
    ref_done(items, &list);
    return id;
}

static void set_unit(struct app *app, const struct triage_info *t, int version)
{
    char name[160];
    int u = pick_unit(app, t->category_id, t->district_id, t->unit_id, name, sizeof name);

    if (u && apply_number(app, t, version, FIELD_UNIT, u))
        ui_message(app, MSG_INFO, _("Responsible: %s."), name);
}

/* Operators, me first; "nobody" when offer_nobody.  Returns 1 with the
 * login ("" for nobody) in out, 0 when cancelled. */
static int pick_operator(struct app *app, const char *current, int offer_nobody, char *out, size_t size,
                         char *name, size_t nsize)
{
    struct ref_list list;
    struct pick_item *items = ref_items(app, ref_operators(app->db, &app->me, &list), &list, offer_nobody ? 1 : 0);
    char (*labels)[192], (*hints)[192];
    int i, n, cur = 0, choice, ok = 0;

    if (!items)
        return 0;
    n = list.n + (offer_nobody ? 1 : 0);
    labels = xcalloc((size_t)(n ? n : 1), sizeof *labels);
    hints = xcalloc((size_t)(n ? n : 1), sizeof *hints);
    for (i = 0; i < list.n; i++) {
        const struct ref_item *it = &list.items[i];

        if (it->mark & REF_CURRENT)
            snprintf(labels[i], sizeof labels[i], _("%s (%s) — me"), it->name, it->code);
        else
            snprintf(labels[i], sizeof labels[i], "%s (%s)", it->name, it->code);
        snprintf(hints[i], sizeof hints[i],
                 ngettext("%s%s%lld open", "%s%s%lld open", (unsigned long)it->count),
                 it->parent, *it->parent ? " · " : "", it->count);
        items[i].label = labels[i];
        items[i].hint = hints[i];
        if (current && strcmp(current, it->code) == 0)
            cur = i;
    }
    if (offer_nobody) {
        snprintf(labels[list.n], sizeof labels[list.n], "%s", _("— nobody (release it)"));
        items[list.n].label = labels[list.n];
    }
    choice = picker_run(app, _("Assign to"), items, n, cur, NULL);
    if (choice >= 0 && choice < list.n) {
        snprintf(out, size, "%s", list.items[choice].code);
        snprintf(name, nsize, "%s", list.items[choice].name);
        ok = 1;
    } else if (choice == list.n) {
        out[0] = '\0';
        name[0] = '\0';
        ok = 1;
    }
    free(labels);
    free(hints);
    ref_done(items, &list);
    return ok;
}

static void set_assignee(struct app *app, const struct triage_info *t, int version)
{
    char login[64], name[128];

    if (!pick_operator(app, t->assignee, t->assignee[0] != '\0', login, sizeof login, name, sizeof name))
        return;
    if (apply(app, t->id, version, FIELD_ASSIGNEE, login, NULL, 0)) {
        if (login[0])
            ui_message(app, MSG_INFO, _("Taken by %s."), name);
        else
            ui_message(app, MSG_INFO, "%s", _("Nobody has it now."));
    }
}

/* A comment or an answer as typed: 0 when cancelled (NULL) or empty (then
 * freed, and said so). */
static int written(struct app *app, char *text)
{
    if (!text)
        return 0;
    if (str_empty(text)) {
        free(text);
        ui_message(app, MSG_INFO, "%s", _("Nothing was written."));
        return 0;
    }
    return 1;
}

static void add_comment(struct app *app, const struct triage_info *t, int public)
{
    char *text = flow_comment_prompt(app, public ? _("Public comment for the citizen: ") : _("Internal note: "), t->id,
                                t->category_id, NULL, NULL);
    enum db_status rc;

    if (!written(app, text))
        return;
    rc = signal_add_comment(app->db, t->id, text, public);
    free(text);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return;
    }
    ui_message(app, MSG_INFO, "%s", public ? _("Public comment added.") : _("Note added."));
}

static void edit_text(struct app *app, const struct triage_info *t, int version)
{
    const char *items[3];
    int question = strcmp(t->kind, "question") == 0, choice;
    char *text;

    items[0] = _("Description");
    items[1] = _("Address");
    items[2] = question ? _("Type: a problem, not a question") : _("Type: a question (information request)");
    {
        char title[64];

        snprintf(title, sizeof title, "%s ", _("Edit"));
        choice = ui_menu(app, title, items, 3, 0);
    }
    if (choice < 0)
        return;
    if (choice == 2) {
        if (apply(app, t->id, version, FIELD_KIND, question ? "problem" : "question", NULL, 0))
            ui_message(app, MSG_INFO, "%s", question ? _("It is a problem now.") : _("It is a question now."));
        return;
    }
    text = prompt_tab(app, choice == 0 ? _("Description: ") : _("Address: "),
                      choice == 0 ? t->description : t->address, NULL, NULL);
    if (!text)
        return;
    if (apply(app, t->id, version, choice == 0 ? FIELD_DESCRIPTION : FIELD_ADDRESS, text, NULL, 0))
        ui_message(app, MSG_INFO, "%s", choice == 0 ? _("Description changed.") : _("Address changed."));
    free(text);
}

static void answer(struct app *app, const struct triage_info *t, int version)
{
    int question = strcmp(t->kind, "question") == 0;
    int open = status_from_code(t->status) < ST_COUNT && status_table[status_from_code(t->status)].open;
    char *kb, *filled = NULL, *text;
    enum db_status rc;

    kb = flow_pick_answer(app, t->category_id, NULL, NULL, NULL, 0);
    if (!kb)
        return;
    if (fill_template(app->db, kb, t->id, question && open ? "closed" : NULL, &filled) != DB_OK)
        filled = xstrdup(kb);
    free(kb);
    text = flow_comment_prompt(app, _("Answer for the citizen: "), t->id, t->category_id,
                          question && open ? "closed" : NULL, filled);
    free(filled);
    if (!written(app, text))
        return;
    if (question && open) {
        if (apply(app, t->id, version, FIELD_STATUS, "closed", text, 1))
            ui_message(app, MSG_INFO, "%s", _("Answered and closed."));
    } else {
        rc = signal_add_comment(app->db, t->id, text, 1);
        if (rc != DB_OK)
            ui_db_error(app, rc);
        else
            ui_message(app, MSG_INFO, "%s", _("The answer was added as a public comment."));
    }
    free(text);
}

enum handled flow_signal_action(struct app *app, enum action act, long long id, int version)
{
    struct triage_info t;
    enum db_status rc;

    switch (act) {
    case ACT_CATEGORY: case ACT_DISTRICT: case ACT_PRIORITY: case ACT_ROUTE: case ACT_ASSIGN:
    case ACT_REPLY: case ACT_NOTE: case ACT_EDIT: case ACT_ANSWER:
        break;
    default:
        return NOT_HANDLED;
    }
    rc = triage_load(app->db, id, &t);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return HANDLED;
    }
    switch (act) {
    case ACT_CATEGORY: set_category(app, &t, version); break;
    case ACT_DISTRICT: set_district(app, &t, version); break;
    case ACT_PRIORITY: set_priority(app, &t, version); break;
    case ACT_ROUTE: set_unit(app, &t, version); break;
    case ACT_ASSIGN: set_assignee(app, &t, version); break;
    case ACT_REPLY: add_comment(app, &t, 1); break;
    case ACT_NOTE: add_comment(app, &t, 0); break;
    case ACT_EDIT: edit_text(app, &t, version); break;
    case ACT_ANSWER: answer(app, &t, version); break;
    default: break;
    }
    triage_free(&t);
    return HANDLED;
}

/* ---- the queue: taking, tagging, bulk ---------------------------------- */

static void take_next(struct app *app, const struct sig_view *view)
{
    long long id;
    char reg_no[40];
    enum db_status rc = signal_take_next(app->db, view, &app->me, &id, reg_no, sizeof reg_no);

    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return;
    }
    if (!id) {
        ui_message(app, MSG_INFO, "%s", _("Nobody's signal is left in this queue: all are taken."));
        return;
    }
    if (ui_push(app, &signal_screen, &id) == 0)
        ui_message(app, MSG_INFO, _("%s is yours now."), reg_no);
}

static void tag_pattern(struct app *app, const struct sig_view *view, struct tagset *tags)
{
    char *text = str_given(prompt_tab(app, _("Tag the signals containing: "), NULL, NULL, NULL));
    int added = 0;
    enum db_status rc;

    if (!text)
        return;
    rc = signals_tag_matching(app->db, view, text, 500, tags, &added);
    free(text);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return;
    }
    ui_message(app, MSG_INFO, ngettext("%d signal tagged (%d in all).", "%d signals tagged (%d in all).",
                                       (unsigned long)added),
               added, tags->n);
}

static const char *problem_text(const struct bulk_item *it, char *buf, size_t size)
{
    switch (it->problem) {
    case BULK_CHANGED:
        snprintf(buf, size, _("%s — changed by %s meanwhile"), it->reg_no, it->changed_by[0] ? it->changed_by : "?");
        break;
    case BULK_NOT_ALLOWED:
        snprintf(buf, size, _("%s — cannot change that from \"%s\""), it->reg_no, status_label(it->status));
        break;
    case BULK_GONE:
        snprintf(buf, size, _("%s — no longer exists"), it->reg_no);
        break;
    default:
        buf[0] = '\0';
    }
    return buf;
}

/* The status menu for many signals: every status one of them may go to. */
static int bulk_pick_status(struct app *app, struct tagset *tags, char *code, size_t size, int *needs_comment)
{
    struct bulk_item *items;
    int n, i, avail[ST_COUNT] = { 0 }, needs[ST_COUNT] = { 0 }, map[ST_COUNT], nitems = 0, choice;
    const char *labels[ST_COUNT];
    char text[ST_COUNT][128];
    enum db_status rc = bulk_check(app->db, tags, FIELD_STATUS, NULL, &items, &n);

    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return 0;
    }
    for (i = 0; i < n; i++) {
        const struct transition *moves[ST_COUNT * 2];
        enum status from = status_from_code(items[i].status);
        size_t k, nm;

        if (items[i].problem == BULK_GONE || from == ST_COUNT)
            continue;
        nm = workflow_moves_kind(from, items[i].kind, moves, ARRAY_SIZE(moves));
        for (k = 0; k < nm; k++) {
            avail[moves[k]->to] = 1;
            needs[moves[k]->to] |= moves[k]->needs_public_comment;
        }
    }
    free(items);
    for (i = 0; i < ST_COUNT; i++)
        if (avail[i]) {
            if (needs[i])
                snprintf(text[nitems], sizeof text[nitems], _("%s (with a public comment)"), _(status_table[i].label));
            else
                snprintf(text[nitems], sizeof text[nitems], "%s", _(status_table[i].label));
            labels[nitems] = text[nitems];
            map[nitems++] = i;
        }
    if (nitems == 0) {
        ui_message(app, MSG_INFO, "%s", _("None of the tagged signals can change its status."));
        return 0;
    }
    {
        char title[96];

        snprintf(title, sizeof title, ngettext("Status of %d tagged signal ", "Status of %d tagged signals ",
                                               (unsigned long)tags->n),
                 tags->n);
        choice = ui_menu(app, title, labels, nitems, 0);
    }
    if (choice < 0)
        return 0;
    snprintf(code, size, "%s", status_table[map[choice]].code);
    *needs_comment = needs[map[choice]];
    return 1;
}

static void bulk(struct app *app, enum action act, struct tagset *tags)
{
    enum sig_field f;
    char value[64] = "", name[256] = "", what[320];
    char *comment = NULL;
    int public = 0, needs = 0, n = 0, i, nok = 0, nsame = 0, nbad = 0, applied = 0;
    struct bulk_item *items = NULL;
    enum db_status rc;

    if (tags->n == 0) {
        ui_message(app, MSG_INFO, "%s", _("Nothing is tagged (t tags the signal under the cursor)."));
        return;
    }
    if (act == ACT_MERGE) {
        flow_merge_tags(app, tags);
        return;
    }
    switch (act) {
    case ACT_STATUS:
        f = FIELD_STATUS;
        if (!bulk_pick_status(app, tags, value, sizeof value, &needs))
            return;
        snprintf(what, sizeof what, _("status %s"), status_label(value));
        if (needs) {
            comment = flow_needed_comment(app, _("Public comment for the citizens: "), 0, 0, value);
            if (!comment)
                return;
            public = 1;
        }
        break;
    case ACT_CATEGORY: {
        int id = flow_pick_category(app, 0, NULL, name, sizeof name);

        if (!id)
            return;
        f = FIELD_CATEGORY;
        snprintf(value, sizeof value, "%d", id);
        {
            const char *leaf = strstr(name, "› ");

            snprintf(what, sizeof what, _("category %s"), leaf ? leaf + strlen("› ") : name);
        }
        break;
    }
    case ACT_DISTRICT: {
        int id = flow_pick_district(app, 0, NULL, name, sizeof name);

        if (!id)
            return;
        f = FIELD_DISTRICT;
        snprintf(value, sizeof value, "%d", id);
        snprintf(what, sizeof what, _("district %s"), name);
        break;
    }
    case ACT_PRIORITY: {
        int p = pick_priority(app, 1);

        if (p < 0)
            return;
        f = FIELD_PRIORITY;
        snprintf(value, sizeof value, "%d", p);
        snprintf(what, sizeof what, _("priority %s"), priority_label(p));
        break;
    }
    case ACT_ASSIGN: {
        char login[64];

        if (!pick_operator(app, NULL, 1, login, sizeof login, name, sizeof name))
            return;
        f = FIELD_ASSIGNEE;
        snprintf(value, sizeof value, "%s", login);
        if (login[0])
            snprintf(what, sizeof what, _("taken by %s"), name);
        else
            snprintf(what, sizeof what, "%s", _("released"));
        break;
    }
    case ACT_ROUTE: {
        int id = pick_unit(app, 0, 0, 0, name, sizeof name);

        if (!id)
            return;
        f = FIELD_UNIT;
        snprintf(value, sizeof value, "%d", id);
        snprintf(what, sizeof what, _("responsible %s"), name);
        break;
    }
    default:
        ui_message(app, MSG_INFO, "%s", _("After ; press s, c, d, p, a, F6 or F8; nothing was changed."));
        return;
    }

    /* what stands in the way is listed before anything is applied */
    rc = bulk_check(app->db, tags, f, value, &items, &n);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        free(comment);
        return;
    }
    for (i = 0; i < n; i++) {
        if (items[i].problem == BULK_OK)
            nok++;
        else if (items[i].problem == BULK_SAME)
            nsame++;
        else
            nbad++;
    }
    if (nbad > 0) {
        const char **lines = xcalloc((size_t)nbad, sizeof *lines);
        char (*buf)[192] = xcalloc((size_t)nbad, sizeof *buf);
        char title[128], question[128];
        int k = 0, yes;

        for (i = 0; i < n; i++)
            if (items[i].problem != BULK_OK && items[i].problem != BULK_SAME)
                lines[k] = problem_text(&items[i], buf[k], sizeof buf[k]), k++;
        snprintf(title, sizeof title, ngettext("%d tagged signal is left out", "%d tagged signals are left out",
                                               (unsigned long)nbad),
                 nbad);
        if (nok > 0)
            snprintf(question, sizeof question,
                     ngettext("Apply to the other %d?", "Apply to the other %d?", (unsigned long)nok), nok);
        else
            snprintf(question, sizeof question, "%s", _("Nothing else is left to change; a key closes the list."));
        yes = ui_confirm_list(app, title, lines, nbad, question);
        free(lines);
        free(buf);
        /* what was listed has been seen: a next bulk change includes it */
        for (i = 0; i < n; i++)
            if (items[i].problem == BULK_CHANGED)
                tags_set_version(tags, items[i].id, items[i].now_version);
        if (!yes || nok == 0) {
            ui_message(app, MSG_INFO, "%s", _("Nothing was changed."));
            goto out;
        }
    }
    if (nok == 0) {
        ui_message(app, MSG_INFO, "%s", _("All tagged signals are so already; nothing changed."));
        goto out;
    }
    rc = bulk_apply(app->db, items, n, f, value, comment, public, tags, &applied);
    if (rc == DB_CONFLICT) {
        ui_message(app, MSG_ERROR, "%s %s", app->db->errmsg, _("Press ; and the key again to see which."));
        goto out;
    }
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        goto out;
    }
    ui_message(app, MSG_INFO, ngettext("%d signal changed: %s.", "%d signals changed: %s.", (unsigned long)applied),
               applied, what);
out:
    free(items);
    free(comment);
}

enum handled flow_queue_action(struct app *app, enum action act, const struct sig_view *view,
                               struct tagset *tags)
{
    if (tags->prefix) {
        tags->prefix = 0;
        bulk(app, act, tags);
        return HANDLED;
    }
    switch (act) {
    case ACT_TAKE:
        take_next(app, view);
        return HANDLED;
    case ACT_TAG_PATTERN:
        tag_pattern(app, view, tags);
        return HANDLED;
    case ACT_UNTAG_ALL:
        tags_clear(tags);
        ui_message(app, MSG_INFO, "%s", _("No signal is tagged now."));
        return HANDLED;
    case ACT_TAG_PREFIX:
        if (tags->n == 0) {
            ui_message(app, MSG_INFO, "%s", _("Nothing is tagged (t tags the signal under the cursor)."));
            return HANDLED;
        }
        tags->prefix = 1;
        ui_message(app, MSG_INFO,
                   ngettext("%d tagged: now press s, c, d, p, a, F6 or F8", "%d tagged: now press s, c, d, p, a, F6 or F8",
                            (unsigned long)tags->n),
                   tags->n);
        return HANDLED;
    default:
        return NOT_HANDLED;
    }
}

/* Duplicates: the signals that probably report the same problem as one
 * signal, each part of the score shown; mark some and merge them (F8). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dupeview.h"
#include "dupes.h"
#include "flows.h"
#include "i18n.h"
#include "timefmt.h"
#include "ui.h"
#include "uilist.h"
#include "util.h"

#define MAX_CANDIDATES 50

struct dupes_st {
    long long id;               /* the signal the others are measured against */
    long long *ids;             /* given signals (a cluster), or NULL */
    int nids;
    struct signal sig;
    int loaded;
    struct dupe_list list;
    long long *marks;           /* marked signals, by id: they survive a reload */
    int nmarks;
    int cursor, top;
    struct dupe_params p;
};

static int is_marked(const struct dupes_st *d, long long id)
{
    int i;

    for (i = 0; i < d->nmarks; i++)
        if (d->marks[i] == id)
            return 1;
    return 0;
}

static void toggle_mark(struct dupes_st *d, long long id)
{
    int i;

    for (i = 0; i < d->nmarks; i++)
        if (d->marks[i] == id) {
            d->marks[i] = d->marks[--d->nmarks];
            return;
        }
    d->marks = xrealloc(d->marks, (size_t)(d->nmarks + 1) * sizeof *d->marks);
    d->marks[d->nmarks++] = id;
}

static int load(struct dupes_st *d, struct app *app)
{
    enum db_status rc;

    if (d->loaded)
        signal_free(&d->sig);
    d->loaded = 0;
    dupe_list_free(&d->list);
    rc = signal_load(app->db, d->id, &d->sig);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return -1;
    }
    d->loaded = 1;
    if (d->ids)
        rc = dupes_compare(app->db, d->id, d->ids, d->nids, &d->p, &d->list);
    else
        rc = dupes_for_signal(app->db, d->id, &d->p, MAX_CANDIDATES, &d->list);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return -1;
    }
    if (d->cursor >= d->list.n)
        d->cursor = d->list.n - 1;
    if (d->cursor < 0)
        d->cursor = 0;
    return 0;
}

static void close_dupes(void *st)
{
    struct dupes_st *d = st;

    if (d->loaded)
        signal_free(&d->sig);
    dupe_list_free(&d->list);
    free(d->ids);
    free(d->marks);
    free(d);
}

static void *open_dupes(struct app *app, const void *arg)
{
    const struct dupes_arg *a = arg;
    struct dupes_st *d = xcalloc(1, sizeof *d);
    int i;

    d->id = a->signal_id;
    dupe_params_from_config(app->cfg, &d->p);
    if (a->ids) {
        /* the first is the one shown on top; the others are listed, marked */
        for (i = 0; i < a->nids; i++)
            if (a->ids[i] != d->id) {
                d->ids = xrealloc(d->ids, (size_t)(d->nids + 1) * sizeof *d->ids);
                d->ids[d->nids++] = a->ids[i];
                toggle_mark(d, a->ids[i]);
            }
    }
    if (load(d, app) < 0) {
        close_dupes(d);
        return NULL;
    }
    return d;
}

#define TOP_ROWS 4      /* signal, address, text, rule */

static int list_rows(const struct app *app)
{
    return app->rows - 2 - TOP_ROWS - 2;    /* titles included; the detail line below */
}

static void draw_dupes(void *st, struct app *app)
{
    struct dupes_st *d = st;
    const struct signal *g = &d->sig;
    char buf[1024], when[32], title[256];
    unsigned char *flags;
    int i, height = list_rows(app);

    if (!d->loaded) {
        ui_text(1, 1, app->cols - 2, _("The signal could not be read."), R_ERROR);
        return;
    }
    snprintf(buf, sizeof buf, " %s · %s · %s · %s", g->reg_no, status_label(g->status),
             g->category[0] ? g->category : _("no category"), g->district[0] ? g->district : _("no district"));
    ui_text_pad(0, 0, app->cols, buf, R_HEADER);
    fmt_datetime(g->created, when, sizeof when);
    if (g->has_location)
        snprintf(buf, sizeof buf, "%s  (%.4f, %.4f) · %s", g->address[0] ? g->address : "—", g->lat, g->lon, when);
    else
        snprintf(buf, sizeof buf, "%s · %s", g->address[0] ? g->address : "—", when);
    ui_text(1, 1, app->cols - 2, buf, R_NORMAL);
    str_copy(buf, sizeof buf, g->description);
    buf[strcspn(buf, "\n")] = '\0';
    ui_text(2, 1, app->cols - 2, buf, R_NORMAL);
    if (g->duplicate_of[0])
        snprintf(title, sizeof title, _("Duplicate of %s"), g->duplicate_of);
    else if (d->ids)
        snprintf(title, sizeof title, "%s", _("Signals to merge with it"));
    else
        snprintf(title, sizeof title, _("Possible duplicates (within %d m, %d days)"), d->p.radius_m, d->p.days);
    ui_hline(3, 1, app->cols - 2, title, R_RULE);

    if (d->cursor < d->top)
        d->top = d->cursor;
    if (d->cursor >= d->top + height - 1)
        d->top = d->cursor - (height - 2);
    if (d->top < 0)
        d->top = 0;
    flags = xcalloc((size_t)(d->list.n + 1), 1);
    for (i = 0; i < d->list.n; i++)
        flags[i] = (unsigned char)is_marked(d, d->list.items[i].id);
    dupeview_draw(TOP_ROWS, 1, app->cols - 2, height, &d->list, d->top, d->list.n ? d->cursor : -1, flags);
    free(flags);
    if (d->list.n == 0)
        ui_text(TOP_ROWS + 2, 3, app->cols - 4,
                d->ids ? _("None of them exists any more.") : _("No possible duplicates."), R_DIM);
    else
        dupeview_detail(app->rows - 3, 1, app->cols - 2, &d->list.items[d->cursor]);
}

static void status_dupes(void *st, struct app *app, char *left, size_t lsize, char *right, size_t rsize)
{
    struct dupes_st *d = st;
    int n = 0, i;

    (void)app;
    for (i = 0; i < d->list.n; i++)
        n += is_marked(d, d->list.items[i].id);
    if (n)
        snprintf(left, lsize, ngettext("%d marked · F8 merges them with %s", "%d marked · F8 merges them with %s",
                                       (unsigned long)n),
                 n, d->loaded ? d->sig.reg_no : "");
    else
        snprintf(left, lsize, "%s", _("t marks · F8 merges · Enter opens"));
    if (d->list.n)
        snprintf(right, rsize, "%d/%d", d->cursor + 1, d->list.n);
}

static void merge_marked(struct dupes_st *d, struct app *app)
{
    struct merge_item *items;
    int n = 0, i;

    if (!d->loaded)
        return;
    items = xcalloc((size_t)d->list.n + 1, sizeof *items);
    items[n].id = d->id;
    items[n++].version = d->sig.version;
    for (i = 0; i < d->list.n; i++)
        if (is_marked(d, d->list.items[i].id)) {
            items[n].id = d->list.items[i].id;
            items[n++].version = d->list.items[i].version;
        }
    if (n == 1 && d->list.n > 0) {
        /* nothing marked: the one under the cursor */
        items[n].id = d->list.items[d->cursor].id;
        items[n++].version = d->list.items[d->cursor].version;
    }
    if (flow_merge(app, items, n))
        d->nmarks = 0;
    free(items);
    load(d, app);
}

static enum handled handle_dupes(void *st, struct app *app, enum action act, int key)
{
    struct dupes_st *d = st;
    int page = list_rows(app) - 1;

    (void)key;
    if (ui_list_move(act, &d->cursor, d->list.n, page))
        return HANDLED;
    switch (act) {
    case ACT_OPEN:
        if (d->list.n)
            ui_push(app, &signal_screen, &d->list.items[d->cursor].id);
        return HANDLED;
    case ACT_TAG:
        if (d->list.n) {
            toggle_mark(d, d->list.items[d->cursor].id);
            if (d->cursor < d->list.n - 1)
                d->cursor++;
        }
        return HANDLED;
    case ACT_MERGE:
        merge_marked(d, app);
        return HANDLED;
    case ACT_UNMERGE:
        flow_unmerge(app, d->id);
        load(d, app);
        return HANDLED;
    case ACT_CLUSTERS:
        ui_push(app, &clusters_screen, NULL);
        return HANDLED;
    default:
        return NOT_HANDLED;
    }
}

static void reload_dupes(void *st, struct app *app)
{
    load(st, app);
}

const struct screen_ops dupes_screen = {
    .name = "dupes",
    .scope = SCOPE_DUPES,
    .open = open_dupes,
    .close = close_dupes,
    .draw = draw_dupes,
    .handle = handle_dupes,
    .reload = reload_dupes,
    .status = status_dupes,
};

/* Clusters: groups of open signals that look like one problem (same
 * category, close together, alike in words), largest first, in a district
 * or the whole city.  Enter shows a group on the duplicates screen, all of
 * it marked, ready to merge. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dupefmt.h"
#include "dupes.h"
#include "i18n.h"
#include "timefmt.h"
#include "ui.h"
#include "uilist.h"
#include "util.h"

#define MAX_CLUSTERS 200

struct clusters_st {
    int district_id;            /* 0: the whole city */
    char district[64];
    struct cluster_list list;
    int cursor, top;
    struct dupe_params p;
    time_t loaded_at;
    int fresh_next;             /* back from a group: read again at once */
};

static void load(struct clusters_st *c, struct app *app)
{
    enum db_status rc;

    cluster_list_free(&c->list);
    c->loaded_at = time(NULL);
    c->fresh_next = 0;
    rc = dupes_clusters(app->db, c->district_id, &c->p, MAX_CLUSTERS, &c->list);
    if (rc != DB_OK)
        ui_db_error(app, rc);
    if (c->cursor >= c->list.n)
        c->cursor = c->list.n - 1;
    if (c->cursor < 0)
        c->cursor = 0;
}

/* The district menu: the whole city first.  Returns 0 when one was chosen. */
static int choose_district(struct clusters_st *c, struct app *app)
{
    struct district *d;
    const char **items;
    int n, i, choice, current = 0;
    enum db_status rc = dupes_districts(app->db, &d, &n);

    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return -1;
    }
    items = xcalloc((size_t)n + 1, sizeof *items);
    items[0] = _("The whole city");
    for (i = 0; i < n; i++) {
        items[i + 1] = d[i].name;
        if (d[i].id == c->district_id)
            current = i + 1;
    }
    choice = ui_menu(app, _("Clusters in which district?"), items, n + 1, current);
    if (choice >= 0) {
        c->district_id = choice == 0 ? 0 : d[choice - 1].id;
        str_copy(c->district, sizeof c->district, choice == 0 ? "" : d[choice - 1].name);
        c->cursor = c->top = 0;
    }
    free(items);
    free(d);
    return choice >= 0 ? 0 : -1;
}

static void *open_clusters(struct app *app, const void *arg)
{
    struct clusters_st *c = xcalloc(1, sizeof *c);

    (void)arg;
    dupe_params_from_config(app->cfg, &c->p);
    if (choose_district(c, app) < 0) {
        free(c);
        return NULL;
    }
    load(c, app);
    return c;
}

static void close_clusters(void *st)
{
    struct clusters_st *c = st;

    cluster_list_free(&c->list);
    free(c);
}

static int list_height(const struct app *app)
{
    return app->rows - 2 - 2 - 1;   /* title, column titles ... detail line */
}

#define W_SIZE 4
#define W_REG 15
#define W_CAT 18
#define W_DIST 12
#define W_SPAN 7

/* Columns of a wide terminal: the category and the district are read first,
 * so they widen first (to their longest names), the description after. */
static void column_widths(const struct app *app, int *w_cat, int *w_dist, int *rest)
{
    int extra;

    *w_cat = W_CAT;
    *w_dist = W_DIST;
    *rest = app->cols - 2 - W_SIZE - W_REG - W_CAT - W_DIST - W_SPAN - 6;
    extra = *rest - 40;
    if (extra <= 0)
        return;
    *w_cat += extra < 30 ? extra : 30;     /* the longest names are some 47 letters */
    extra -= *w_cat - W_CAT;
    *w_dist += extra < 2 ? extra : 2;      /* and 13 */
    *rest -= *w_cat - W_CAT + *w_dist - W_DIST;
}

static void draw_clusters(void *st, struct app *app)
{
    struct clusters_st *c = st;
    char line[2048], buf[256];
    int i, y, height = list_height(app), w_cat, w_dist, rest;

    column_widths(app, &w_cat, &w_dist, &rest);

    snprintf(buf, sizeof buf, _(" Clusters of possible duplicates · %s"),
             c->district_id ? c->district : _("the whole city"));
    ui_text_pad(0, 0, app->cols, buf, R_HEADER);
    line[0] = '\0';
    fmt_cell(line, sizeof line, _("Sig."), W_SIZE, 1);
    fmt_cell(line, sizeof line, "", 2, 0);
    fmt_cell(line, sizeof line, _("First"), W_REG, 0);
    fmt_cell(line, sizeof line, "", 1, 0);
    fmt_cell(line, sizeof line, _("Category"), w_cat, 0);
    fmt_cell(line, sizeof line, "", 1, 0);
    fmt_cell(line, sizeof line, _("District"), w_dist, 0);
    fmt_cell(line, sizeof line, "", 1, 0);
    fmt_cell(line, sizeof line, _("Spread"), W_SPAN, 1);
    fmt_cell(line, sizeof line, "", 1, 0);
    fmt_cell(line, sizeof line, _("Description"), rest, 0);
    ui_text_pad(1, 1, app->cols - 2, line, R_TITLE);
    if (c->list.n == 0) {
        ui_text(3, 2, app->cols - 4, _("No open signals look like one problem here."), R_DIM);
        return;
    }
    if (c->cursor < c->top)
        c->top = c->cursor;
    if (c->cursor >= c->top + height)
        c->top = c->cursor - height + 1;
    for (i = 0, y = 2; i < height && c->top + i < c->list.n; i++, y++) {
        const struct dupe_cluster *k = &c->list.items[c->top + i];
        enum ui_role role = c->top + i == c->cursor ? R_CURSOR : R_NORMAL;

        line[0] = '\0';
        snprintf(buf, sizeof buf, "%d", k->size);
        fmt_cell(line, sizeof line, buf, W_SIZE, 1);
        fmt_cell(line, sizeof line, "", 2, 0);
        fmt_cell(line, sizeof line, k->first_reg, W_REG, 0);
        fmt_cell(line, sizeof line, "", 1, 0);
        fmt_cell(line, sizeof line, k->category, w_cat, 0);
        fmt_cell(line, sizeof line, "", 1, 0);
        fmt_cell(line, sizeof line, k->district, w_dist, 0);
        fmt_cell(line, sizeof line, "", 1, 0);
        snprintf(buf, sizeof buf, _("%d m"), (int)(k->span_m + 0.5));
        fmt_cell(line, sizeof line, buf, W_SPAN, 1);
        fmt_cell(line, sizeof line, "", 1, 0);
        fmt_cell(line, sizeof line, k->summary, rest, 0);
        ui_text(y, 0, 1, c->top + i == c->cursor ? "▶" : " ", role);
        ui_text_pad(y, 1, app->cols - 2, line, role);
    }
    {
        const struct dupe_cluster *k = &c->list.items[c->cursor];
        char from[32], to[32];

        fmt_datetime(k->first, from, sizeof from);
        fmt_datetime(k->last, to, sizeof to);
        snprintf(line, sizeof line,
                 ngettext("%d signal from %s to %s · %s", "%d signals from %s to %s · %s", (unsigned long)k->size),
                 k->size, from, to, k->address[0] ? k->address : "—");
        ui_text_pad(app->rows - 3, 1, app->cols - 2, line, R_DIM);
    }
}

static void status_clusters(void *st, struct app *app, char *left, size_t lsize, char *right, size_t rsize)
{
    struct clusters_st *c = st;

    (void)app;
    snprintf(left, lsize, "%s", _("Enter shows the group · d another district"));
    if (c->list.n)
        snprintf(right, rsize, "%d/%d", c->cursor + 1, c->list.n);
}

static enum handled handle_clusters(void *st, struct app *app, enum action act, int key)
{
    struct clusters_st *c = st;
    int page = list_height(app) - 1;

    (void)key;
    if (ui_list_move(act, &c->cursor, c->list.n, page))
        return HANDLED;
    switch (act) {
    case ACT_DISTRICT:
        if (choose_district(c, app) == 0)
            load(c, app);
        return HANDLED;
    case ACT_OPEN:
    case ACT_MERGE:
        if (c->list.n) {
            const struct dupe_cluster *k = &c->list.items[c->cursor];
            struct dupes_arg a;

            a.signal_id = k->ids[0];
            a.ids = k->ids;
            a.nids = k->size;
            c->fresh_next = 1;
            ui_push(app, &dupes_screen, &a);
        }
        return HANDLED;
    case ACT_CLUSTERS:
        return HANDLED;
    case ACT_RELOAD:
        load(c, app);
        return HANDLED;
    default:
        return NOT_HANDLED;
    }
}

/* Other consoles' changes come many a second on a busy day, and a city's
 * clusters take a while to find: read them again only now and then (R at
 * once), and at once when back from merging one. */
#define RELOAD_EVERY 30

static void reload_clusters(void *st, struct app *app)
{
    struct clusters_st *c = st;

    if (c->fresh_next || time(NULL) - c->loaded_at >= RELOAD_EVERY)
        load(c, app);
}

const struct screen_ops clusters_screen = {
    .name = "clusters",
    .scope = SCOPE_DUPES,
    .open = open_clusters,
    .close = close_clusters,
    .draw = draw_clusters,
    .handle = handle_clusters,
    .reload = reload_clusters,
    .status = status_clusters,
};

/* The routing table as a grid: categories down, districts across, in each
 * cell the unit that answers for that category in that district.  A cell
 * set here is drawn plainly; one that follows the parent category's row or
 * the category's default unit is dim.  Left and Right move across the
 * districts (the grid scrolls sideways on an 80-column terminal). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "i18n.h"
#include "ui.h"
#include "uilist.h"
#include "util.h"

#define NAME_W 26
#define CELL_W 12

struct routing_st {
    struct ref_category *cats;
    struct ref_district *dists;
    struct ref_unit *units;
    struct routing_cell *cells;
    int ncats, ndists, nunits, ncells;
    int row, col;           /* the cursor: category, district */
    int top, left;          /* first row and column shown */
};

/* Where a cell's unit comes from. */
enum origin { FROM_CELL, FROM_PARENT_CELL, FROM_DEFAULT, FROM_PARENT_DEFAULT, FROM_NOWHERE };

static void free_grid(struct routing_st *g)
{
    free(g->cats);
    free(g->dists);
    free(g->units);
    free(g->cells);
    g->cats = NULL;
    g->dists = NULL;
    g->units = NULL;
    g->cells = NULL;
    g->ncats = g->ndists = g->nunits = g->ncells = 0;
}

static int load(struct routing_st *g, struct app *app)
{
    enum db_status rc;

    free_grid(g);
    rc = categories_list(app->db, &g->cats, &g->ncats);
    if (rc == DB_OK)
        rc = districts_list(app->db, &g->dists, &g->ndists);
    if (rc == DB_OK)
        rc = units_list(app->db, &g->units, &g->nunits);
    if (rc == DB_OK)
        rc = routing_list(app->db, &g->cells, &g->ncells);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return -1;
    }
    if (g->row >= g->ncats)
        g->row = g->ncats ? g->ncats - 1 : 0;
    if (g->col >= g->ndists)
        g->col = g->ndists ? g->ndists - 1 : 0;
    return 0;
}

/* The cell's own unit (0: none); cells come sorted by category, district. */
static int own_unit(const struct routing_st *g, int category_id, int district_id)
{
    int lo = 0, hi = g->ncells - 1;

    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        const struct routing_cell *c = &g->cells[mid];
        int cmp = c->category_id != category_id ? (c->category_id < category_id ? -1 : 1)
                : c->district_id != district_id ? (c->district_id < district_id ? -1 : 1) : 0;

        if (cmp == 0)
            return c->unit_id;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return 0;
}

static const struct ref_category *category(const struct routing_st *g, int id)
{
    int i;

    for (i = 0; i < g->ncats; i++)
        if (g->cats[i].id == id)
            return &g->cats[i];
    return NULL;
}

static const char *unit_name(const struct routing_st *g, int id)
{
    int i;

    for (i = 0; i < g->nunits; i++)
        if (g->units[i].id == id)
            return g->units[i].name;
    return "?";
}

/* The unit that answers, as route_unit() in the schema decides it. */
static int effective(const struct routing_st *g, const struct ref_category *c, int district_id, enum origin *from)
{
    const struct ref_category *p = c->parent_id ? category(g, c->parent_id) : NULL;
    int u;

    if ((u = own_unit(g, c->id, district_id)) != 0) {
        *from = FROM_CELL;
        return u;
    }
    if (p && (u = own_unit(g, p->id, district_id)) != 0) {
        *from = FROM_PARENT_CELL;
        return u;
    }
    if (c->unit_id) {
        *from = FROM_DEFAULT;
        return c->unit_id;
    }
    if (p && p->unit_id) {
        *from = FROM_PARENT_DEFAULT;
        return p->unit_id;
    }
    *from = FROM_NOWHERE;
    return 0;
}

/* A unit's name made to fit a cell: the usual words shortened, quotes gone. */
static void short_name(const char *name, char *out, size_t size)
{
    static const struct {
        const char *from, *to;
    } words[] = {
        { "Район ", "р-н " }, { "Дирекция ", "Д-я " }, { "Общинско предприятие ", "ОП " },
        { "Столичен ", "Ст. " }, { "Столична ", "Ст. " }, { "Столично ", "Ст. " },
    };
    char buf[256];
    size_t i, o = 0;
    const char *p = name;

    for (i = 0; i < ARRAY_SIZE(words); i++)
        if (strncmp(p, words[i].from, strlen(words[i].from)) == 0) {
            o = (size_t)snprintf(buf, sizeof buf, "%s", words[i].to);
            p += strlen(words[i].from);
            break;
        }
    for (; *p && o + 4 < sizeof buf; p++) {
        /* „ and “ (U+201E, U+201C) are 3 bytes each */
        if (strncmp(p, "„", 3) == 0 || strncmp(p, "“", 3) == 0) {
            p += 2;
            continue;
        }
        buf[o++] = *p;
    }
    buf[o] = '\0';
    str_copy(out, size, buf);
}

static int grid_rows(const struct app *app)
{
    return app->rows - 4;
}

static int grid_cols(const struct app *app)
{
    int n = (app->cols - NAME_W - 1) / (CELL_W + 1);

    return n > 0 ? n : 1;
}

static void draw_routing(void *st, struct app *app)
{
    struct routing_st *g = st;
    int h = grid_rows(app), w = grid_cols(app), i, j;

    admin_title(app, _("Routing: category × district → unit"));
    if (g->row < g->top)
        g->top = g->row;
    if (g->row >= g->top + h)
        g->top = g->row - h + 1;
    if (g->col < g->left)
        g->left = g->col;
    if (g->col >= g->left + w)
        g->left = g->col - w + 1;
    ui_cell(1, 1, NAME_W - 1, g->left > 0 ? _("Category ◀") : _("Category"), R_TITLE, 0);
    for (j = 0; j < w && g->left + j < g->ndists; j++)
        ui_cell(1, NAME_W + j * (CELL_W + 1), CELL_W, g->dists[g->left + j].name, R_TITLE, 0);
    if (g->left + w < g->ndists)
        ui_text(1, app->cols - 1, 1, "▶", R_TITLE);
    for (i = 0; i < h && g->top + i < g->ncats; i++) {
        const struct ref_category *c = &g->cats[g->top + i];
        char name[200];
        int y = 2 + i;

        snprintf(name, sizeof name, "%s%s", c->parent_id ? "  " : "", c->name);
        ui_text(y, 0, 1, g->top + i == g->row ? "▶" : " ", R_TITLE);
        ui_cell(y, 1, NAME_W - 1, name, g->top + i == g->row ? R_TITLE : c->active ? R_NORMAL : R_DIM, 0);
        for (j = 0; j < w && g->left + j < g->ndists; j++) {
            enum origin from;
            int u = effective(g, c, g->dists[g->left + j].id, &from);
            char cell[64];
            enum ui_role role = from == FROM_CELL ? R_NORMAL : R_DIM;

            if (g->top + i == g->row && g->left + j == g->col)
                role = R_CURSOR;
            if (u)
                short_name(unit_name(g, u), cell, sizeof cell);
            else
                snprintf(cell, sizeof cell, "—");
            ui_cell(y, NAME_W + j * (CELL_W + 1), CELL_W, cell, role, 0);
        }
    }
}

static void status_routing(void *st, struct app *app, char *left, size_t lsize, char *right, size_t rsize)
{
    struct routing_st *g = st;
    const struct ref_category *c;
    enum origin from;
    int u;

    (void)app;
    if (!g->ncats || !g->ndists)
        return;
    c = &g->cats[g->row];
    u = effective(g, c, g->dists[g->col].id, &from);
    (void)c;
    snprintf(left, lsize, "%s → %s (%s)", g->dists[g->col].name, u ? unit_name(g, u) : "—",
             from == FROM_CELL ? _("set here")
             : from == FROM_PARENT_CELL ? _("as the parent category")
             : from == FROM_NOWHERE ? _("nobody") : _("the category's default"));
    snprintf(right, rsize, "%d/%d", g->row + 1, g->ncats);
}

static void change_cell(struct app *app, struct routing_st *g)
{
    const struct ref_category *c;
    const struct ref_district *d;
    const char **items;
    int *ids, n = 0, i, sel = 0, own, choice;
    char title[256];
    enum db_status rc;

    if (!g->ncats || !g->ndists)
        return;
    c = &g->cats[g->row];
    d = &g->dists[g->col];
    own = own_unit(g, c->id, d->id);
    items = xcalloc((size_t)g->nunits, sizeof *items);
    ids = xcalloc((size_t)g->nunits, sizeof *ids);
    for (i = 0; i < g->nunits; i++) {
        if (!g->units[i].active && g->units[i].id != own)
            continue;
        if (g->units[i].id == own)
            sel = n;
        items[n] = g->units[i].name;
        ids[n++] = g->units[i].id;
    }
    snprintf(title, sizeof title, "%s × %s", c->name, d->name);
    choice = n ? ui_menu(app, title, items, n, sel) : -1;
    if (!n)
        ui_message(app, MSG_ERROR, "%s", _("There is no active unit to choose."));
    if (choice >= 0) {
        rc = routing_set(app->db, c->id, d->id, own, ids[choice]);
        if (rc == DB_OK)
            ui_message(app, MSG_INFO, _("Saved: %s → %s."), d->name, items[choice]);
        else
            ui_db_error(app, rc);
        load(g, app);
    }
    free(items);
    free(ids);
}

static void default_cell(struct app *app, struct routing_st *g)
{
    const struct ref_category *c;
    const struct ref_district *d;
    enum db_status rc;
    int own;

    if (!g->ncats || !g->ndists)
        return;
    c = &g->cats[g->row];
    d = &g->dists[g->col];
    own = own_unit(g, c->id, d->id);
    if (!own) {
        ui_message(app, MSG_INFO, "%s", _("This cell has no unit of its own already."));
        return;
    }
    rc = routing_set(app->db, c->id, d->id, own, 0);
    if (rc == DB_OK)
        ui_message(app, MSG_INFO, _("%s: the category's default again."), d->name);
    else
        ui_db_error(app, rc);
    load(g, app);
}

static void *open_routing(struct app *app, const void *arg)
{
    struct routing_st *g = xcalloc(1, sizeof *g);

    (void)arg;
    if (load(g, app) < 0) {
        free_grid(g);
        free(g);
        return NULL;
    }
    return g;
}

static void close_routing(void *st)
{
    free_grid(st);
    free(st);
}

static void reload_routing(void *st, struct app *app)
{
    load(st, app);
}

static enum handled handle_routing(void *st, struct app *app, enum action act, int key)
{
    struct routing_st *g = st;
    int h = grid_rows(app);

    (void)key;
    if (ui_list_move(act, &g->row, g->ncats, h))
        return HANDLED;
    switch (act) {
    case ACT_COLUMN_RIGHT: if (g->col < g->ndists - 1) g->col++; return HANDLED;
    case ACT_COLUMN_LEFT: if (g->col > 0) g->col--; return HANDLED;
    case ACT_CHANGE_ITEM: change_cell(app, g); return HANDLED;
    case ACT_CELL_DEFAULT: default_cell(app, g); return HANDLED;
    default: return NOT_HANDLED;
    }
}

const struct screen_ops routing_screen = {
    .name = "routing",
    .scope = SCOPE_ROUTING,
    .open = open_routing,
    .close = close_routing,
    .draw = draw_routing,
    .handle = handle_routing,
    .reload = reload_routing,
    .status = status_routing,
};

/* The queue: the home screen.  Tabs of queues, a list of signals paged by
 * key (never by offset): it holds only the rows on screen. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flows.h"
#include "i18n.h"
#include "timefmt.h"
#include "ui.h"
#include "util.h"

struct tab {
    const char *name;       /* through gettext */
    const char *query;      /* how the queue reads as a search */
    struct sig_filter filter;
    long long count;
    int approx;
    int counted;
};

struct queue_st {
    struct tab tabs[8];
    int ntabs, cur;
    struct sig_row *rows;   /* the visible window, in display order */
    int nrows, cap;
    int cursor;             /* index into rows */
    long long pos;          /* position of rows[0] in the queue, from 0 */
    int height;
};

static int list_height(const struct app *app)
{
    return app->rows - 4;   /* tabs, column titles ... status line, bar */
}

static struct tab *cur_tab(struct queue_st *q)
{
    return &q->tabs[q->cur];
}

static void key_of(const struct sig_row *row, struct sig_key *key)
{
    str_copy(key->created, sizeof key->created, row->created);
    key->id = row->id;
}

static void ensure_cap(struct queue_st *q, int n)
{
    if (q->cap >= n)
        return;
    q->cap = n;
    q->rows = xrealloc(q->rows, (size_t)n * sizeof *q->rows);
}

static int fetch(struct app *app, struct queue_st *q, enum page_dir dir, const struct sig_key *key, int limit,
                 struct sig_row *out, int *n)
{
    int more;
    enum db_status rc;

    *n = 0;
    if (limit <= 0)
        return 0;
    rc = signals_page(app->db, &cur_tab(q)->filter, &app->me, dir, key, limit, out, n, &more);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return -1;
    }
    return 0;
}

static void count_tabs(struct app *app, struct queue_st *q)
{
    int i;

    for (i = 0; i < q->ntabs; i++) {
        struct tab *t = &q->tabs[i];
        enum db_status rc = signals_count(app->db, &t->filter, &app->me, &t->count, &t->approx);

        if (rc != DB_OK) {
            ui_db_error(app, rc);
            return;
        }
        t->counted = 1;
    }
}

static void load_first(struct app *app, struct queue_st *q)
{
    int n;

    q->height = list_height(app);
    ensure_cap(q, q->height * 2);
    if (fetch(app, q, PAGE_FIRST, NULL, q->height, q->rows, &n) < 0)
        return;
    q->nrows = n;
    q->cursor = 0;
    q->pos = 0;
}

static void load_last(struct app *app, struct queue_st *q)
{
    int n;
    struct tab *t = cur_tab(q);

    q->height = list_height(app);
    ensure_cap(q, q->height * 2);
    if (fetch(app, q, PAGE_LAST, NULL, q->height, q->rows, &n) < 0)
        return;
    q->nrows = n;
    q->cursor = n > 0 ? n - 1 : 0;
    q->pos = t->count > n ? t->count - n : 0;
}

/* Reads the window again so that the signal under the cursor stays on the
 * same screen line (or, if it left the queue, the one that took its place). */
static void load_around(struct app *app, struct queue_st *q)
{
    struct sig_key key;
    struct sig_row *below;
    int line, nabove = 0, nbelow = 0;

    if (q->nrows == 0) {
        load_first(app, q);
        return;
    }
    key_of(&q->rows[q->cursor], &key);
    line = q->cursor;
    q->height = list_height(app);
    if (line >= q->height)
        line = q->height - 1;
    ensure_cap(q, q->height * 2);
    below = xmalloc((size_t)q->height * sizeof *below);
    if (fetch(app, q, PAGE_FROM, &key, q->height, below, &nbelow) < 0)
        goto out;
    if (nbelow == 0) {
        free(below);
        load_last(app, q);
        return;
    }
    /* fill the screen: the rows above the cursor's line, more if the end is near */
    if (fetch(app, q, PAGE_BEFORE, &key, line + (q->height - line - nbelow > 0 ? q->height - line - nbelow : 0),
              q->rows, &nabove) < 0)
        goto out;
    if (nabove + nbelow > q->height)
        nbelow = q->height - nabove;
    memcpy(q->rows + nabove, below, (size_t)nbelow * sizeof *below);
    q->pos += q->cursor - nabove;
    if (q->pos < 0)
        q->pos = 0;
    q->nrows = nabove + nbelow;
    q->cursor = nabove;
out:
    free(below);
}

/* Moves the window k rows down (k > 0) or up; returns how far it moved. */
static int scroll_rows(struct app *app, struct queue_st *q, int k)
{
    struct sig_key key;
    int n;

    if (q->nrows == 0)
        return 0;
    ensure_cap(q, q->nrows + (k > 0 ? k : -k));
    if (k > 0) {
        key_of(&q->rows[q->nrows - 1], &key);
        if (fetch(app, q, PAGE_AFTER, &key, k, q->rows + q->nrows, &n) < 0 || n == 0)
            return 0;
        memmove(q->rows, q->rows + n, (size_t)q->nrows * sizeof *q->rows);
        q->pos += n;
        return n;
    }
    k = -k;
    key_of(&q->rows[0], &key);
    {
        struct sig_row *above = xmalloc((size_t)k * sizeof *above);

        if (fetch(app, q, PAGE_BEFORE, &key, k, above, &n) < 0 || n == 0) {
            free(above);
            return 0;
        }
        memmove(q->rows + n, q->rows, (size_t)(q->nrows - n) * sizeof *q->rows);
        memcpy(q->rows, above, (size_t)n * sizeof *above);
        free(above);
    }
    q->pos -= n;
    if (q->pos < 0)
        q->pos = 0;
    return -n;
}

static void move_cursor(struct app *app, struct queue_st *q, int delta)
{
    int target = q->cursor + delta;

    if (q->nrows == 0)
        return;
    if (target >= q->nrows) {
        if (q->nrows == q->height) {
            int moved = scroll_rows(app, q, target - (q->nrows - 1));

            target -= moved;
        }
        if (target >= q->nrows)
            target = q->nrows - 1;
    } else if (target < 0) {
        int moved = scroll_rows(app, q, target);

        target -= moved;
        if (target < 0)
            target = 0;
    }
    q->cursor = target;
}

static void page(struct app *app, struct queue_st *q, int dir)
{
    int moved, h = q->height;

    if (q->nrows < h) {
        q->cursor = dir > 0 ? (q->nrows ? q->nrows - 1 : 0) : 0;
        return;
    }
    moved = scroll_rows(app, q, dir * h);
    if (moved == 0)
        q->cursor = dir > 0 ? q->nrows - 1 : 0;
}

static void reload(void *st, struct app *app)
{
    struct queue_st *q = st;

    count_tabs(app, q);
    load_around(app, q);
}

static void switch_tab(struct app *app, struct queue_st *q, int idx)
{
    if (idx < 0 || idx >= q->ntabs)
        return;
    q->cur = idx;
    load_first(app, q);
}

static void add_tab(struct queue_st *q, const char *name, const char *query, struct sig_filter f)
{
    struct tab *t = &q->tabs[q->ntabs++];

    t->name = name;
    t->query = query;
    t->filter = f;
}

static void *open_queue(struct app *app, const void *arg)
{
    struct queue_st *q = xcalloc(1, sizeof *q);
    struct sig_filter f;

    (void)arg;
    memset(&f, 0, sizeof f);
    f.status_mask = STATUS_BIT(ST_NEW);
    add_tab(q, N_("New"), "status:new", f);
    memset(&f, 0, sizeof f);
    f.status_mask = OPEN_STATUSES;
    f.mine = 1;
    add_tab(q, N_("Mine"), "assignee:me status:open", f);
    if (app->me.unit_id) {
        memset(&f, 0, sizeof f);
        f.status_mask = OPEN_STATUSES;
        f.my_unit = 1;
        add_tab(q, N_("My unit"), "unit:mine status:open", f);
    }
    memset(&f, 0, sizeof f);
    f.status_mask = OPEN_STATUSES;
    f.overdue = 1;
    add_tab(q, N_("Overdue"), "overdue status:open", f);
    memset(&f, 0, sizeof f);
    add_tab(q, N_("All"), "", f);
    count_tabs(app, q);
    load_first(app, q);
    return q;
}

static void close_queue(void *st)
{
    struct queue_st *q = st;

    free(q->rows);
    free(q);
}

static void fmt_count(long long n, int approx, char *out, size_t size)
{
    if (n >= 100000)
        snprintf(out, size, "%s%lldk", approx ? "≈" : "", (n + 500) / 1000);
    else
        snprintf(out, size, "%s%lld", approx ? "≈" : "", n);
}

static void draw_tabs(struct app *app, struct queue_st *q)
{
    int x = 0, i, w = app->cols, lw;

    ui_fill(0, 0, w, R_HEADER);
    x += ui_text(0, x, w, " signaldesk ", R_HEADER);
    lw = utf8_width(app->me.login) + 2;
    for (i = 0; i < q->ntabs && x < w - lw; i++) {
        char label[128], count[32];

        x += ui_text(0, x, w - lw - x, "│", R_HEADER);
        if (q->tabs[i].counted)
            fmt_count(q->tabs[i].count, q->tabs[i].approx, count, sizeof count);
        else
            count[0] = '\0';
        snprintf(label, sizeof label, "%s %s", _(q->tabs[i].name), count);
        x += ui_text(0, x, w - lw - x, label, i == q->cur ? R_TAB_ACTIVE : R_TAB);
    }
    if (x < w - lw)
        ui_text(0, x, 1, "│", R_HEADER);
    ui_text(0, w - lw + 1, lw - 1, app->me.login, R_HEADER);
}

struct columns {
    int reg, age, status, cat, district, desc;
};

static void layout(int width, struct columns *c)
{
    int rest;

    c->reg = 15;
    c->age = 7;
    c->status = 12;
    c->district = 12;
    rest = width - 2 - c->reg - c->age - c->status - c->district - 4;
    c->cat = rest * 2 / 5;
    if (c->cat < 12)
        c->cat = 12;
    if (c->cat > 30)
        c->cat = 30;
    c->desc = rest - c->cat - 1;
}

/* A cell: the text cut to width, with "…" where it was cut. */
static int cell(int y, int x, int width, const char *s, enum ui_role role)
{
    if (utf8_width(s) <= width) {
        ui_text_pad(y, x, width, s, role);
    } else {
        int used = ui_text(y, x, width - 1, s, role);

        ui_text(y, x + used, 1, "…", role);
        ui_fill(y, x + used + 1, width - used - 1, role);
    }
    return width + 1;
}

static void draw_queue(void *st, struct app *app)
{
    struct queue_st *q = st;
    struct columns c;
    time_t now = now_time();
    int i, x, y;

    draw_tabs(app, q);
    layout(app->cols, &c);
    x = 2;
    x += cell(1, x, c.reg, _("Reg. No."), R_TITLE);
    x += cell(1, x, c.age, _("Age"), R_TITLE);
    x += cell(1, x, c.status, _("Status"), R_TITLE);
    x += cell(1, x, c.cat, _("Category"), R_TITLE);
    x += cell(1, x, c.district, _("District"), R_TITLE);
    cell(1, x, c.desc, _("Description"), R_TITLE);
    if (q->nrows == 0) {
        ui_text(3, 2, app->cols - 4, _("No signals in this queue."), R_DIM);
        return;
    }
    for (i = 0; i < q->nrows && i < q->height; i++) {
        const struct sig_row *r = &q->rows[i];
        enum ui_role role = i == q->cursor ? R_CURSOR : R_NORMAL;
        char age[32];

        y = 2 + i;
        fmt_age(now, r->created_t, age, sizeof age);
        ui_fill(y, 0, app->cols, role);
        ui_text(y, 0, 1, i == q->cursor ? "▶" : " ", role);
        ui_text(y, 1, 1, r->priority >= 2 ? "!" : " ", role == R_NORMAL && r->priority >= 2 ? R_OVERDUE : role);
        x = 2;
        x += cell(y, x, c.reg, r->reg_no, role);
        x += cell(y, x, c.age, age, role == R_NORMAL && r->overdue ? R_OVERDUE : role);
        x += cell(y, x, c.status, status_label(r->status), role);
        x += cell(y, x, c.cat, r->category[0] ? r->category : "—", role);
        x += cell(y, x, c.district, r->district[0] ? r->district : "—", role);
        cell(y, x, c.desc, r->summary, role);
    }
}

static void status_queue(void *st, struct app *app, char *left, size_t lsize, char *right, size_t rsize)
{
    struct queue_st *q = st;
    struct tab *t = cur_tab(q);

    (void)app;
    snprintf(left, lsize, "%s", t->query);
    if (q->nrows)
        snprintf(right, rsize, "%lld/%s%lld", q->pos + q->cursor + 1, t->approx ? "≈" : "", t->count);
    else
        snprintf(right, rsize, "0/0");
}

static enum handled handle_queue(void *st, struct app *app, enum action act, int key)
{
    struct queue_st *q = st;

    (void)key;
    switch (act) {
    case ACT_MOVE_DOWN: move_cursor(app, q, 1); return HANDLED;
    case ACT_MOVE_UP: move_cursor(app, q, -1); return HANDLED;
    case ACT_PAGE_DOWN: page(app, q, 1); return HANDLED;
    case ACT_PAGE_UP: page(app, q, -1); return HANDLED;
    case ACT_FIRST: load_first(app, q); return HANDLED;
    case ACT_LAST: load_last(app, q); return HANDLED;
    case ACT_NEXT_TAB: switch_tab(app, q, (q->cur + 1) % q->ntabs); return HANDLED;
    case ACT_PREV_TAB: switch_tab(app, q, (q->cur + q->ntabs - 1) % q->ntabs); return HANDLED;
    case ACT_TAB_1: case ACT_TAB_2: case ACT_TAB_3: case ACT_TAB_4: case ACT_TAB_5:
    case ACT_TAB_6: case ACT_TAB_7: case ACT_TAB_8: case ACT_TAB_9:
        switch_tab(app, q, act - ACT_TAB_1);
        return HANDLED;
    case ACT_OPEN:
        if (q->nrows)
            ui_push(app, &signal_screen, &q->rows[q->cursor].id);
        return HANDLED;
    case ACT_STATUS:
        if (q->nrows) {
            const struct sig_row *r = &q->rows[q->cursor];

            flow_change_status(app, r->id, r->version, r->status);
            reload(q, app);
        }
        return HANDLED;
    case ACT_DUPES:
    case ACT_MERGE:
        /* the signal's possible duplicates, to mark and merge */
        if (q->nrows) {
            struct dupes_arg a;

            memset(&a, 0, sizeof a);
            a.signal_id = q->rows[q->cursor].id;
            ui_push(app, &dupes_screen, &a);
        }
        return HANDLED;
    case ACT_CLUSTERS:
        ui_push(app, &clusters_screen, NULL);
        return HANDLED;
    default:
        return NOT_HANDLED;
    }
}

const struct screen_ops queue_screen = {
    .name = "queue",
    .scope = SCOPE_QUEUE,
    .open = open_queue,
    .close = close_queue,
    .draw = draw_queue,
    .handle = handle_queue,
    .reload = reload,
    .status = status_queue,
};

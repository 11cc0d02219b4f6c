/* The queue: the home screen.  Tabs of queues with live counts, a list of
 * signals paged by key (never by offset) that holds only the rows on
 * screen, sorting by any shown column, the search prompt, and other
 * consoles' changes marked as they arrive. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flows.h"
#include "i18n.h"
#include "prompt.h"
#include "queues.h"
#include "tags.h"
#include "timefmt.h"
#include "translit.h"
#include "ui.h"
#include "uilist.h"
#include "util.h"

#define MAX_TABS (MAX_QUEUES + 1)
#define MAX_MARKS 256
#define TAB_COUNT_CAP 100000    /* tab counts stop there ("100k+") */
#define SEARCH_COUNT_CAP 1000

struct tab {
    struct queue_def def;
    const char *title;      /* a queue opened on one list: its longer name */
    struct query query;
    int parsed;             /* 0: the query does not parse */
    int search;             /* the results of the last search */
    long long count;
    int approx;
    int counted;
};

/* What the statement running in the background is for. */
enum pending { PEND_NONE, PEND_PAGE, PEND_COUNT };

struct queue_st {
    struct tab tabs[MAX_TABS];
    int ntabs, cur, before_search;
    struct sig_row *rows;   /* the visible window, in display order */
    int nrows, cap;
    int cursor;             /* index into rows */
    long long pos;          /* position of rows[0] in the queue, from 0 */
    int height;
    long long marks[MAX_MARKS]; /* changed by others, not looked at yet */
    int nmarks;
    enum pending pending;
    int timeout_ms;         /* the statement time limit in force */
    struct tagset tags;     /* t, T, ; */
    char title[256];        /* of a queue opened on one list */
};


static int list_height(const struct app *app)
{
    return app->rows - 4;   /* tabs, column titles ... status line, bar */
}

static struct tab *cur_tab(struct queue_st *q)
{
    return &q->tabs[q->cur];
}

static void view_of(struct tab *t, struct sig_view *v)
{
    v->query = &t->query;
    v->sort = t->def.sort;
    v->now = now_time();
}

static void ensure_cap(struct queue_st *q, int n)
{
    if (q->cap >= n)
        return;
    q->cap = n;
    q->rows = xrealloc(q->rows, (size_t)n * sizeof *q->rows);
}

/* ---- marks: rows other consoles changed ---------------------------- */

static int marked(const struct queue_st *q, long long id)
{
    int i;

    for (i = 0; i < q->nmarks; i++)
        if (q->marks[i] == id)
            return 1;
    return 0;
}

static void unmark(struct queue_st *q, long long id)
{
    int i;

    for (i = 0; i < q->nmarks; i++)
        if (q->marks[i] == id) {
            q->marks[i] = q->marks[--q->nmarks];
            return;
        }
}

static void mark(struct queue_st *q, long long id)
{
    if (marked(q, id))
        return;
    if (q->nmarks == MAX_MARKS) /* forget the oldest */
        memmove(q->marks, q->marks + 1, (MAX_MARKS - 1) * sizeof *q->marks);
    else
        q->nmarks++;
    q->marks[q->nmarks - 1] = id;
}

/* ---- the search time limit ----------------------------------------- */

/* A queue with words to find may read much of the table: it runs with the
 * [search] timeout instead of the usual limit. */
static void apply_timeout(struct app *app, struct queue_st *q)
{
    struct tab *t = cur_tab(q);
    int want = t->parsed && query_has_text(&t->query) ? app->cfg->search_timeout_ms
                                                      : app->cfg->statement_timeout_ms;

    if (want == q->timeout_ms || app->lost || db_busy(app->db))
        return;
    if (db_set_timeout(app->db, want) == DB_OK)
        q->timeout_ms = want;
}

static void report_error(struct app *app, struct queue_st *q, enum db_status rc)
{
    if (rc == DB_CANCELED && strcmp(app->db->sqlstate, "57014") == 0 && query_has_text(&cur_tab(q)->query))
        ui_message(app, MSG_ERROR, "%s",
                   _("The search took too long; narrow it, e.g. since:30d"));
    else
        ui_db_error(app, rc);
}

/* ---- reading rows --------------------------------------------------- */

static int fetch(struct app *app, struct queue_st *q, enum page_dir dir, const struct sig_key *key, int limit,
                 struct sig_row *out, int *n)
{
    struct sig_view v;
    int more;
    enum db_status rc;

    *n = 0;
    if (limit <= 0 || !cur_tab(q)->parsed)
        return 0;
    view_of(cur_tab(q), &v);
    rc = signals_page(app->db, &v, dir, key, limit, out, n, &more);
    if (rc != DB_OK) {
        report_error(app, q, rc);
        return -1;
    }
    return 0;
}

static void count_tabs(struct app *app, struct queue_st *q)
{
    int i;

    for (i = 0; i < q->ntabs; i++) {
        struct tab *t = &q->tabs[i];
        struct sig_view v;
        enum db_status rc;

        if (!t->parsed || t->search)
            continue;
        view_of(t, &v);
        /* words to find: counting every match could take long */
        rc = signals_count(app->db, &v, query_has_text(&t->query) ? SEARCH_COUNT_CAP : TAB_COUNT_CAP, &t->count,
                           &t->approx);
        if (rc != DB_OK) {
            report_error(app, q, rc);
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
    q->nrows = q->cursor = 0;
    q->pos = 0;
    if (fetch(app, q, PAGE_FIRST, NULL, q->height, q->rows, &n) < 0)
        return;
    q->nrows = n;
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
 * same screen line, wherever it moved in the order; if it left the queue,
 * the one that took its place does. */
static void load_around(struct app *app, struct queue_st *q)
{
    struct sig_key key;
    struct sig_row *below, now;
    struct sig_view v;
    int line, want, nabove = 0, nbelow = 0, found = 0;

    if (q->nrows == 0 || !cur_tab(q)->parsed) {
        load_first(app, q);
        return;
    }
    view_of(cur_tab(q), &v);
    if (q->cursor >= q->nrows)
        q->cursor = q->nrows - 1;
    if (signals_row(app->db, &v, q->rows[q->cursor].id, &now, &found) != DB_OK)
        found = 0;
    sig_key_of(found ? &now : &q->rows[q->cursor], &key);
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
    want = line + (q->height - line - nbelow > 0 ? q->height - line - nbelow : 0);
    if (fetch(app, q, PAGE_BEFORE, &key, want, q->rows, &nabove) < 0)
        goto out;
    if (nabove + nbelow > q->height)
        nbelow = q->height - nabove;
    memcpy(q->rows + nabove, below, (size_t)nbelow * sizeof *below);
    if (nabove < want)
        q->pos = 0;     /* nothing more above: this is the top */
    else
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
        sig_key_of(&q->rows[q->nrows - 1], &key);
        if (fetch(app, q, PAGE_AFTER, &key, k, q->rows + q->nrows, &n) < 0 || n == 0)
            return 0;
        memmove(q->rows, q->rows + n, (size_t)q->nrows * sizeof *q->rows);
        q->pos += n;
        return n;
    }
    k = -k;
    sig_key_of(&q->rows[0], &key);
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

/* ---- searching in the background ----------------------------------- */

static void start_async(struct app *app, struct queue_st *q, enum pending what)
{
    struct sig_view v;
    enum db_status rc;

    view_of(cur_tab(q), &v);
    if (what == PEND_PAGE) {
        q->height = list_height(app);
        ensure_cap(q, q->height * 2);
        rc = signals_page_start(app->db, &v, q->height);
    } else {
        rc = signals_count_start(app->db, &v, SEARCH_COUNT_CAP);
    }
    if (rc != DB_OK) {
        report_error(app, q, rc);
        q->pending = PEND_NONE;
        return;
    }
    q->pending = what;
    if (what == PEND_PAGE)
        ui_message(app, MSG_INFO, "%s", _("Searching… any key stops it."));
}

/* Whether a query in the background came back well: 0 while it still runs
 * and when it failed (then said so). */
static int finished(struct app *app, struct queue_st *q, enum db_status rc)
{
    if (rc == DB_PENDING)
        return 0;
    q->pending = PEND_NONE;
    if (rc != DB_OK) {
        report_error(app, q, rc);
        return 0;
    }
    return 1;
}

static void finish_async(struct app *app, struct queue_st *q)
{
    struct tab *t = cur_tab(q);

    if (q->pending == PEND_PAGE) {
        int more;

        if (!finished(app, q, signals_page_finish(app->db, q->height, q->rows, &q->nrows, &more)))
            return;
        q->cursor = 0;
        q->pos = 0;
        app->msg[0] = '\0';
        if (!more) {
            /* all of it is on the screen: that is the count */
            t->count = q->nrows;
            t->approx = 0;
            t->counted = 1;
            return;
        }
        start_async(app, q, PEND_COUNT);
        return;
    }
    if (finished(app, q, signals_count_finish(app->db, SEARCH_COUNT_CAP, &t->count, &t->approx)))
        t->counted = 1;
}

/* ---- tabs ----------------------------------------------------------- */

static void set_tab(struct tab *t, const struct queue_def *def)
{
    struct query_error err;

    if (t->parsed)
        query_free(&t->query);
    memset(t, 0, sizeof *t);
    t->def = *def;
    t->parsed = query_parse(def->query, &t->query, &err) == 0;
}

static void switch_tab(struct app *app, struct queue_st *q, int idx)
{
    if (idx < 0 || idx >= q->ntabs)
        return;
    q->cur = idx;
    apply_timeout(app, q);
    if (!cur_tab(q)->parsed) {
        q->nrows = 0;
        ui_message(app, MSG_ERROR, _("The query of the queue '%s' does not parse; see the settings."),
                   cur_tab(q)->def.name);
        return;
    }
    load_first(app, q);
}

static const char *tab_name(const struct tab *t)
{
    if (t->search)
        return _("Search results");
    if (t->title)
        return t->title;
    return t->def.shipped ? _(t->def.name) : t->def.name;
}

static void reload(void *st, struct app *app)
{
    struct queue_st *q = st;
    long long ids[DB_MAX_CHANGED];
    int n, i;

    if (q->pending)
        return;     /* what is coming is fresh anyway */
    n = db_take_changed(app->db, ids, DB_MAX_CHANGED);
    if (n < 0) {
        /* more than we could keep: every row on the screen may have changed */
        for (i = 0; i < q->nrows; i++)
            mark(q, q->rows[i].id);
        n = DB_MAX_CHANGED;
    }
    for (i = 0; i < n; i++)
        mark(q, ids[i]);
    count_tabs(app, q);
    if (cur_tab(q)->search && cur_tab(q)->parsed) {
        struct sig_view v;
        long long count;
        int approx;

        view_of(cur_tab(q), &v);
        if (signals_count(app->db, &v, SEARCH_COUNT_CAP, &count, &approx) == DB_OK) {
            cur_tab(q)->count = count;
            cur_tab(q)->approx = approx;
        }
    }
    load_around(app, q);
}

static void *open_queue(struct app *app, const void *arg)
{
    struct queue_st *q = xcalloc(1, sizeof *q);
    struct queue_def defs[MAX_QUEUES];
    int n, i;

    q->timeout_ms = app->cfg->statement_timeout_ms;
    if (arg) {
        /* one list, e.g. the signals behind a line of the assignment screen */
        const struct queue_arg *qa = arg;

        queue_defaults(&defs[0]);
        str_copy(defs[0].name, sizeof defs[0].name, qa->title);
        str_copy(defs[0].query, sizeof defs[0].query, qa->query);
        str_copy(q->title, sizeof q->title, qa->title);
        set_tab(&q->tabs[0], &defs[0]);
        q->tabs[0].title = q->title;
        q->ntabs = 1;
        count_tabs(app, q);
        switch_tab(app, q, 0);
        return q;
    }
    n = queues_configured(app->cfg, app->me.unit_id != 0, defs, MAX_QUEUES);
    if (queues_saved(app->db, defs, MAX_QUEUES, &n) != DB_OK)
        ui_db_error(app, DB_ERROR);
    for (i = 0; i < n; i++)
        set_tab(&q->tabs[i], &defs[i]);
    q->ntabs = n;
    count_tabs(app, q);
    switch_tab(app, q, 0);
    return q;
}

static void close_queue(void *st)
{
    struct queue_st *q = st;
    int i;

    for (i = 0; i < q->ntabs; i++)
        if (q->tabs[i].parsed)
            query_free(&q->tabs[i].query);
    tags_free(&q->tags);
    free(q->rows);
    free(q);
}

/* ---- drawing -------------------------------------------------------- */

static void fmt_count(long long n, int approx, char *out, size_t size)
{
    const char *pre = approx == 1 ? "≈" : "", *post = approx == 2 ? "+" : "";

    if (n >= 100000)
        snprintf(out, size, "%s%lldk%s", pre, (n + 500) / 1000, post);
    else
        snprintf(out, size, "%s%lld%s", pre, n, post);
}

static void tab_label(const struct tab *t, char *out, size_t size)
{
    char count[32] = "";

    if (t->counted)
        fmt_count(t->count, t->approx, count, sizeof count);
    else if (!t->parsed)
        snprintf(count, sizeof count, "!");
    snprintf(out, size, "%s%s%s", tab_name(t), count[0] ? " " : "", count);
}

/* The tabs; the program's name first when everything fits, and a window
 * of tabs around the current one when not even they do. */
static void draw_tabs(struct app *app, struct queue_st *q)
{
    int x = 0, i, w = app->cols, lw, total = 1, first = 0, last;
    char label[160];
    int widths[MAX_TABS];

    ui_fill(0, 0, w, R_HEADER);
    lw = utf8_width(app->me.login) + 2;
    for (i = 0; i < q->ntabs; i++) {
        tab_label(&q->tabs[i], label, sizeof label);
        widths[i] = utf8_width(label) + 1;
        total += widths[i];
    }
    if (total + 12 <= w - lw)
        x += ui_text(0, x, w, " signaldesk ", R_HEADER);
    else if (total > w - lw) {
        /* drop tabs from the left, then the right, until the current fits with "‹ ›" */
        int avail = w - lw - 2;

        first = q->cur;
        total = widths[q->cur] + 1;
        last = q->cur;
        while (first > 0 && total + widths[first - 1] <= avail)
            total += widths[--first];
        while (last + 1 < q->ntabs && total + widths[last + 1] <= avail)
            total += widths[++last];
        if (first > 0)
            x += ui_text(0, x, 1, "‹", R_HEADER);
    }
    for (i = first; i < q->ntabs && x < w - lw; i++) {
        if (x + widths[i] > w - lw)
            break;
        tab_label(&q->tabs[i], label, sizeof label);
        x += ui_text(0, x, w - lw - x, "│", R_HEADER);
        x += ui_text(0, x, w - lw - x, label, i == q->cur ? R_TAB_ACTIVE : R_TAB);
    }
    if (x < w - lw)
        x += ui_text(0, x, 1, i < q->ntabs ? "›" : "│", R_HEADER);
    ui_text(0, w - lw + 1, lw - 1, app->me.login, R_HEADER);
}

static const char *cell_text(const struct sig_row *r, enum qcol c, time_t now, char *buf, size_t size,
                             enum ui_role *role)
{
    switch (c) {
    case QC_REG: return r->reg_no;
    case QC_AGE:
        fmt_age(now, r->created_t, buf, size);
        if (r->overdue && *role == R_NORMAL)
            *role = R_OVERDUE;
        return buf;
    case QC_CREATED: fmt_short(now, r->created_t, buf, size); return buf;
    case QC_UPDATED: fmt_age(now, r->updated_t, buf, size); return buf;
    case QC_DUE:
        if (!r->due_t)
            return "—";
        fmt_datetime(r->due_t, buf, size);
        buf[10] = '\0';
        if (r->overdue && *role == R_NORMAL)
            *role = R_OVERDUE;
        return buf;
    case QC_STATUS: return status_label(r->status);
    case QC_PRIORITY: return priority_label(r->priority);
    case QC_CATEGORY: return r->category[0] ? r->category : "—";
    case QC_DISTRICT: return r->district[0] ? r->district : "—";
    case QC_UNIT: return r->unit[0] ? r->unit : "—";
    case QC_ASSIGNEE: return r->assignee[0] ? r->assignee : "—";
    case QC_CHANNEL: return channel_label(r->channel);
    case QC_ADDRESS: return r->address[0] ? r->address : "—";
    case QC_DESCRIPTION: return r->summary;
    case QC_COUNT: break;
    }
    return "";
}

/* ---- tags: signals picked for an action on many ---------------------- */

/* Moves the tagged signals (or the one under the cursor) to another unit
 * or operator, with a reason: the supervisors' load balancing. */
static void move_tagged(struct app *app, struct queue_st *q)
{
    struct sig_ref *refs;
    int n = 0, i;

    if (q->tags.n) {
        refs = xcalloc((size_t)q->tags.n, sizeof *refs);
        for (i = 0; i < q->tags.n; i++) {
            refs[i].id = q->tags.items[i].id;
            refs[i].version = q->tags.items[i].version;
            str_copy(refs[i].reg_no, sizeof refs[i].reg_no, q->tags.items[i].reg_no);
        }
        n = q->tags.n;
    } else if (q->nrows) {
        const struct sig_row *r = &q->rows[q->cursor];

        refs = xcalloc(1, sizeof *refs);
        refs[0].id = r->id;
        refs[0].version = r->version;
        str_copy(refs[0].reg_no, sizeof refs[0].reg_no, r->reg_no);
        n = 1;
    } else {
        return;
    }
    if (flow_move(app, refs, n) > 0 && q->tags.n)
        tags_clear(&q->tags);
    free(refs);
    reload(q, app);
}

static void draw_queue(void *st, struct app *app)
{
    struct queue_st *q = st;
    struct tab *t = cur_tab(q);
    int widths[QUERY_MAX_COLUMNS];
    time_t now = now_time();
    int i, k, x, y;

    draw_tabs(app, q);
    qcolumns_layout(t->def.cols, t->def.ncols, app->cols, widths);
    x = 2;
    for (k = 0; k < t->def.ncols; k++) {
        /* the sorted column: an arrow in the space before its title */
        if (t->def.cols[k] == t->def.sort.col)
            ui_text(1, x - 1, 1, t->def.sort.desc ? "▼" : "▲", R_TITLE);
        x += ui_cell(1, x, widths[k], _(qcol_table[t->def.cols[k]].title), R_TITLE, 0);
    }
    if (q->nrows == 0) {
        if (q->pending)
            ui_text(3, 2, app->cols - 4, _("Searching…"), R_DIM);
        else if (t->parsed)
            ui_text(3, 2, app->cols - 4, t->search ? _("No signal matches the search.") : _("No signals in this queue."),
                    R_DIM);
        return;
    }
    for (i = 0; i < q->nrows && i < q->height; i++) {
        const struct sig_row *r = &q->rows[i];
        int changed = marked(q, r->id);
        enum ui_role base = i == q->cursor ? R_CURSOR : changed ? R_CHANGED : R_NORMAL;

        y = 2 + i;
        ui_fill(y, 0, app->cols, base);
        ui_text(y, 0, 1, tags_find(&q->tags, r->id) >= 0 ? "*" : i == q->cursor ? "▶" : changed ? "•" : " ", base);
        ui_text(y, 1, 1, r->priority >= 2 ? "!" : " ", base == R_NORMAL && r->priority >= 2 ? R_OVERDUE : base);
        x = 2;
        for (k = 0; k < t->def.ncols; k++) {
            char buf[64];
            enum ui_role role = base;
            const char *text = cell_text(r, t->def.cols[k], now, buf, sizeof buf, &role);

            x += ui_cell(y, x, k == t->def.ncols - 1 ? app->cols - x : widths[k], text, role, 0);
        }
    }
}

static void status_queue(void *st, struct app *app, char *left, size_t lsize, char *right, size_t rsize)
{
    struct queue_st *q = st;
    struct tab *t = cur_tab(q);

    (void)app;
    if (q->tags.n)
        snprintf(left, lsize, ngettext("%s   %d tagged", "%s   %d tagged", (unsigned long)q->tags.n), t->def.query,
                 q->tags.n);
    else
        snprintf(left, lsize, "%s", t->def.query);
    if (q->nrows && t->counted)
        snprintf(right, rsize, "%lld/%s%lld%s", q->pos + q->cursor + 1, t->approx == 1 ? "≈" : "", t->count,
                 t->approx == 2 ? "+" : "");
    else if (q->nrows)
        snprintf(right, rsize, "%lld", q->pos + q->cursor + 1);
    else
        snprintf(right, rsize, "0/0");
}

/* ---- the search prompt ---------------------------------------------- */

struct completer {
    struct app *app;
};

static char **add_match(char **m, int *n, const char *s)
{
    m = xrealloc(m, (size_t)(*n + 2) * sizeof *m);
    m[(*n)++] = xstrdup(s);
    m[*n] = NULL;
    return m;
}

/* Field names, then the values of the field before the colon: the fixed
 * ones from the language, names (categories, districts, ...) from the
 * database. */
static char **complete_query(void *ctx, const char *line, int start, int end, int *append)
{
    struct completer *c = ctx;
    char word[512], *colon, *item;
    char **m = NULL;
    int n = 0, i, neg;

    if (end - start >= (int)sizeof word)
        return NULL;
    memcpy(word, line + start, (size_t)(end - start));
    word[end - start] = '\0';
    neg = word[0] == '-';
    colon = strchr(word, ':');
    if (!colon) {
        const char *names[32];
        int k = query_complete_field(word + neg, names, 32);

        for (i = 0; i < k; i++) {
            char buf[80];

            snprintf(buf, sizeof buf, "%s%s%s", neg ? "-" : "", names[i],
                     query_field(names[i])->kind == QK_NONE ? "" : ":");
            m = add_match(m, &n, buf);
        }
        *append = k == 1 && query_field(names[0])->kind == QK_NONE ? ' ' : '\0';
        return m;
    }
    *colon = '\0';
    {
        const struct qfield_info *f = query_field(word + neg);
        char *vals[40];
        const char *fixed[40];
        int k;

        if (!f)
            return NULL;
        /* the item after the last comma */
        item = strrchr(colon + 1, ',');
        item = item ? item + 1 : colon + 1;
        if (*item == '"')
            item++;
        k = query_complete_value(f->field, item, fixed, 40);
        for (i = 0; i < k; i++)
            vals[i] = xstrdup(fixed[i]);
        if (k < 40)
            k += signals_field_values(c->app->db, f->field, item, vals + k, 40 - k);
        for (i = 0; i < k; i++) {
            char buf[640];
            int quote = strchr(vals[i], ' ') != NULL;
            int keep = (int)(item - word) - (item > colon + 1 && item[-1] == '"');

            *colon = ':';
            snprintf(buf, sizeof buf, "%.*s%s%s%s", keep, word, quote ? "\"" : "", vals[i], quote ? "\"" : "");
            *colon = '\0';
            m = add_match(m, &n, buf);
            free(vals[i]);
        }
        *append = ' ';
    }
    return m;
}

/* The text with every word typed in the wrong keyboard layout set right,
 * or "" when there is none. */
static void layout_fix(const char *text, const struct query *qr, char *out, size_t size)
{
    char fixed[512];
    struct strbuf sb;
    int i, last = 0, any = 0;

    out[0] = '\0';
    if (layout_guess(text, fixed, sizeof fixed)) {
        /* the whole text, field names too */
        str_copy(out, size, fixed);
        return;
    }
    if (!qr)
        return;
    sb_init(&sb);
    for (i = 0; i < qr->nterms; i++) {
        const struct qterm *t = &qr->terms[i];

        if (t->field != QF_WORD || !layout_guess(t->values[0], fixed, sizeof fixed))
            continue;
        sb_addn(&sb, text + last, (size_t)(t->pos + t->negate - last));
        sb_add(&sb, fixed);
        last = t->pos + t->len;
        any = 1;
    }
    if (any) {
        sb_add(&sb, text + last);
        str_copy(out, size, sb.buf);
    }
    sb_free(&sb);
}

static void show_search(struct app *app, struct queue_st *q, const char *text)
{
    struct queue_def def;
    struct tab *t;
    int idx = q->ntabs;

    if (q->ntabs > 0 && q->tabs[q->ntabs - 1].search)
        idx = q->ntabs - 1;
    else if (q->ntabs >= MAX_TABS)
        idx = MAX_TABS - 1;
    if (!cur_tab(q)->search)
        q->before_search = q->cur;
    memset(&def, 0, sizeof def);
    queue_defaults(&def);
    /* a search keeps the columns and the order of the queue it was made from */
    def.ncols = q->tabs[q->before_search].def.ncols;
    memcpy(def.cols, q->tabs[q->before_search].def.cols, sizeof def.cols);
    def.sort = q->tabs[q->before_search].def.sort;
    str_copy(def.query, sizeof def.query, text);
    t = &q->tabs[idx];
    set_tab(t, &def);
    t->search = 1;
    if (idx == q->ntabs)
        q->ntabs++;
    q->cur = idx;
    q->nrows = 0;
    apply_timeout(app, q);
    start_async(app, q, PEND_PAGE);
}

static void search(struct app *app, struct queue_st *q)
{
    struct completer comp = { app };
    struct prompt_opts o;
    char *text, *initial = NULL, note[512] = "";
    int point = -1;

    if (cur_tab(q)->search)
        initial = xstrdup(cur_tab(q)->def.query);
    for (;;) {
        struct query qr;
        struct query_error err;
        char fixed[512];
        int ok;

        memset(&o, 0, sizeof o);
        o.history = "history";
        o.history_size = app->cfg->history_size;
        o.point = point;
        o.note = note[0] ? note : NULL;
        o.note_error = 1;
        o.complete = complete_query;
        o.ctx = &comp;
        text = prompt_line_opts(app, _("Search: "), initial, &o);
        free(initial);
        initial = NULL;
        if (!text)
            return;
        ok = query_parse(text, &qr, &err) == 0;
        layout_fix(text, ok ? &qr : NULL, fixed, sizeof fixed);
        if (fixed[0] && strcmp(fixed, text) != 0) {
            struct query q2;
            struct query_error e2;
            char question[700];

            if (query_parse(fixed, &q2, &e2) == 0) {
                query_free(&q2);
                snprintf(question, sizeof question, _("Wrong keyboard layout? Search for \"%s\"?"), fixed);
                if (ui_confirm(app, question)) {
                    if (ok)
                        query_free(&qr);
                    free(text);
                    text = xstrdup(fixed);
                    ok = query_parse(text, &qr, &err) == 0;
                }
            }
        }
        if (ok) {
            query_free(&qr);
            show_search(app, q, text);
            free(text);
            return;
        }
        /* say where and why, and give the text back to be put right */
        snprintf(note, sizeof note, _("At character %d: %s"), query_char_pos(text, err.pos), err.msg);
        point = err.pos;
        initial = text;
    }
}

static void save_queue(struct app *app, struct queue_st *q)
{
    struct tab *t = cur_tab(q);
    struct queue_def def = t->def;
    char *name;
    enum db_status rc;
    int i;

    if (!t->search && !t->def.saved) {
        ui_message(app, MSG_INFO, "%s", _("Search first (/ or F3), then save the result as a queue."));
        return;
    }
    name = str_given(prompt_line(app, _("Name of the queue: "), t->def.saved ? t->def.name : NULL));
    if (!name)
        return;
    str_copy(def.name, sizeof def.name, name);
    free(name);
    def.saved = 1;
    def.shipped = 0;
    rc = queue_save(app->db, &def);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return;
    }
    /* the search tab becomes the queue (or the queue of that name is replaced) */
    for (i = 0; i < q->ntabs; i++)
        if (!q->tabs[i].search && q->tabs[i].def.saved && strcmp(q->tabs[i].def.name, def.name) == 0)
            break;
    if (i == q->ntabs && q->ntabs > MAX_QUEUES && t->search) {
        ui_message(app, MSG_INFO, _("Saved; the queue shows when there is room for it (at most %d)."), MAX_QUEUES);
        return;
    }
    if (i < q->ntabs && i != q->cur) {
        /* replaced another tab of that name: drop the search tab */
        set_tab(&q->tabs[i], &def);
        if (t->search) {
            query_free(&t->query);
            q->ntabs--;
        }
        q->cur = i;
    } else {
        long long count = t->count;
        int approx = t->approx, counted = t->counted;

        set_tab(t, &def);
        t->count = count;
        t->approx = approx;
        t->counted = counted;
    }
    ui_message(app, MSG_INFO, _("Saved as the queue '%s'."), def.name);
}

static void forget_queue(struct app *app, struct queue_st *q)
{
    struct tab *t = cur_tab(q);
    char question[200];
    enum db_status rc;

    if (!t->def.saved) {
        ui_message(app, MSG_INFO, "%s", _("Only queues you saved can be removed."));
        return;
    }
    snprintf(question, sizeof question, _("Remove the queue '%s'?"), t->def.name);
    if (!ui_confirm(app, question))
        return;
    rc = queue_forget(app->db, t->def.name);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return;
    }
    query_free(&t->query);
    memmove(t, t + 1, (size_t)(q->ntabs - q->cur - 1) * sizeof *t);
    q->ntabs--;
    memset(&q->tabs[q->ntabs], 0, sizeof q->tabs[q->ntabs]);   /* its query moved up */
    switch_tab(app, q, q->cur > 0 ? q->cur - 1 : 0);
}

static void close_search(struct app *app, struct queue_st *q)
{
    query_free(&cur_tab(q)->query);
    q->ntabs--;
    switch_tab(app, q, q->before_search < q->ntabs ? q->before_search : 0);
}

/* ---- sorting -------------------------------------------------------- */

static void resort(struct app *app, struct queue_st *q)
{
    if (q->pending) {
        q->pending = PEND_NONE;
        db_cancel(app->db);
    }
    load_around(app, q);
}

static void choose_sort(struct app *app, struct queue_st *q)
{
    struct tab *t = cur_tab(q);
    const char *items[QUERY_MAX_COLUMNS];
    char labels[QUERY_MAX_COLUMNS][96];
    int i, cur = 0, pick;

    for (i = 0; i < t->def.ncols; i++) {
        enum qcol c = t->def.cols[i];

        if (c == t->def.sort.col) {
            cur = i;
            snprintf(labels[i], sizeof labels[i], "%s %s", _(qcol_table[c].title), t->def.sort.desc ? "▼" : "▲");
        } else {
            snprintf(labels[i], sizeof labels[i], "%s", _(qcol_table[c].title));
        }
        items[i] = labels[i];
    }
    pick = ui_menu(app, _("Sort by"), items, t->def.ncols, cur);
    if (pick < 0)
        return;
    if (t->def.cols[pick] == t->def.sort.col) {
        t->def.sort.desc = !t->def.sort.desc;
    } else {
        t->def.sort.col = t->def.cols[pick];
        t->def.sort.desc = qcol_table[t->def.sort.col].default_desc;
    }
    resort(app, q);
}

static enum handled handle_queue(void *st, struct app *app, enum action act, int key)
{
    struct queue_st *q = st;
    enum handled h = HANDLED;
    const struct sig_row *row = q->nrows ? &q->rows[q->cursor] : NULL;

    if (act == ACT_NONE && key == PSEUDO_RESULT) {
        finish_async(app, q);
        return HANDLED;
    }
    if (act == ACT_NONE && key == PSEUDO_CANCELED) {
        if (q->pending) {
            q->pending = PEND_NONE;
            ui_message(app, MSG_INFO, "%s", _("The search was stopped."));
        }
        return HANDLED;
    }
    /* taking, tagging and the actions on a signal live in src/flows_triage.c */
    if (cur_tab(q)->parsed) {
        struct sig_view v;

        view_of(cur_tab(q), &v);
        if (flow_queue_action(app, act, &v, &q->tags) == HANDLED ||
            (row && flow_signal_action(app, act, row->id, row->version) == HANDLED)) {
            if (app->depth > 0 && app->stack[app->depth - 1].st == q)
                reload(q, app);
            return HANDLED;
        }
    }
    if (act == ACT_TAG && row) {
        if (tags_toggle(&q->tags, row->id, row->version, row->reg_no) < 0)
            ui_message(app, MSG_INFO, _("At most %d signals can be tagged."), TAGS_MAX);
        move_cursor(app, q, 1);
        return HANDLED;
    }
    switch (act) {
    case ACT_MOVE_DOWN: move_cursor(app, q, 1); break;
    case ACT_MOVE_UP: move_cursor(app, q, -1); break;
    case ACT_PAGE_DOWN: page(app, q, 1); break;
    case ACT_PAGE_UP: page(app, q, -1); break;
    case ACT_FIRST: load_first(app, q); break;
    case ACT_LAST: load_last(app, q); break;
    case ACT_NEXT_TAB: switch_tab(app, q, (q->cur + 1) % q->ntabs); break;
    case ACT_PREV_TAB: switch_tab(app, q, (q->cur + q->ntabs - 1) % q->ntabs); break;
    case ACT_TAB_1: case ACT_TAB_2: case ACT_TAB_3: case ACT_TAB_4: case ACT_TAB_5:
    case ACT_TAB_6: case ACT_TAB_7: case ACT_TAB_8: case ACT_TAB_9:
        switch_tab(app, q, act - ACT_TAB_1);
        break;
    case ACT_OPEN:
        if (q->nrows) {
            unmark(q, q->rows[q->cursor].id);
            ui_push(app, &signal_screen, &q->rows[q->cursor].id);
        }
        return HANDLED;
    case ACT_STATUS:
        if (q->nrows) {
            const struct sig_row *r = &q->rows[q->cursor];

            flow_change_status(app, r->id, r->version, r->status);
            reload(q, app);
        }
        break;
    case ACT_MERGE:
        /* the tagged signals into one */
        if (q->tags.n >= 2) {
            if (flow_merge_tags(app, &q->tags))
                reload(q, app);
            return HANDLED;
        }
        /* fewer tagged: the signal's possible duplicates */
        /* fall through */
    case ACT_DUPES:
        /* the signal's possible duplicates, to mark and merge */
        if (q->nrows) {
            struct dupes_arg a;

            memset(&a, 0, sizeof a);
            a.signal_id = q->rows[q->cursor].id;
            unmark(q, a.signal_id);
            ui_push(app, &dupes_screen, &a);
        }
        return HANDLED;
    case ACT_CLUSTERS:
        ui_push(app, &clusters_screen, NULL);
        return HANDLED;
    case ACT_SEARCH: search(app, q); return HANDLED;
    case ACT_SORT: choose_sort(app, q); break;
    case ACT_SORT_REVERSE:
        cur_tab(q)->def.sort.desc = !cur_tab(q)->def.sort.desc;
        resort(app, q);
        break;
    case ACT_SAVE_QUEUE: save_queue(app, q); break;
    case ACT_FORGET_QUEUE: forget_queue(app, q); break;
    case ACT_IMPORT:
        flow_import(app);
        break;
    case ACT_EXPORT:
        /* what the tab shows, search results included */
        if (cur_tab(q)->parsed)
            flow_export(app, &cur_tab(q)->query);
        break;
    case ACT_MOVE: move_tagged(app, q); break;
    case ACT_LOAD: ui_push(app, &assign_screen, NULL); return HANDLED;
    case ACT_REPORTS: ui_push(app, &reports_screen, NULL); return HANDLED;
    case ACT_BACK:
        if (key == KEY_ESC && cur_tab(q)->search) {
            close_search(app, q);
            break;
        }
        return NOT_HANDLED;
    default:
        h = NOT_HANDLED;
    }
    /* the row under the cursor has been looked at */
    if (h == HANDLED && q->nrows && q->cursor < q->nrows)
        unmark(q, q->rows[q->cursor].id);
    return h;
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

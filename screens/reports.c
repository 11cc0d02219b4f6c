/* The management reports: one tab per report, a period chosen with a prompt,
 * tables and block-character charts laid out for the width of the terminal,
 * and CSV export.  With [database] report_conninfo set, the reports read
 * from that database (a read replica) over a connection of their own. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart.h"
#include "i18n.h"
#include "prompt.h"
#include "reports.h"
#include "timefmt.h"
#include "ui.h"
#include "util.h"

struct rline {
    char *text;
    enum ui_role role;
};

struct reports_st {
    int tab;
    struct report_params p;
    struct report rep;
    int have;
    struct db own;          /* the replica's connection, when configured */
    int use_own;
    struct csv_options csv;
    struct rline *lines;
    int nlines, cap, top, width;
};

static struct db *rdb(struct reports_st *r, struct app *app)
{
    return r->use_own ? &r->own : app->db;
}

/* ---- lines -------------------------------------------------------------- */

static void clear_lines(struct reports_st *r)
{
    int i;

    for (i = 0; i < r->nlines; i++)
        free(r->lines[i].text);
    r->nlines = 0;
}

static void add_line(struct reports_st *r, const char *text, enum ui_role role)
{
    if (r->nlines == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->lines = xrealloc(r->lines, (size_t)r->cap * sizeof *r->lines);
    }
    r->lines[r->nlines].text = xstrdup(text);
    r->lines[r->nlines].role = role;
    r->nlines++;
}

static int is_text(const struct report *rep, int c)
{
    return rep->cols[c].kind == COL_TEXT || rep->cols[c].kind == COL_DATE;
}

/* The widths of the columns for the screen: the flexible one takes the rest. */
static void widths(const struct report *rep, int total, int *w)
{
    int c, used = 0, flex = -1;

    for (c = 0; c < rep->ncols; c++) {
        w[c] = rep->cols[c].width;
        if (!w[c])
            flex = c;
        used += w[c] + (c ? 1 : 0);
    }
    if (flex >= 0) {
        w[flex] = total - used;
        if (w[flex] < 8)
            w[flex] = 8;
    }
}

static const char *empty_name(const struct report *rep, int section)
{
    return rep->id == REPORT_TIMES && section == 0 ? _("All signals") : _("(none)");
}

/* "01.11 Mon", "from 02.11", "11.2026": the label of a group. */
static void group_label(const struct report *rep, const char *iso, char *out, size_t size)
{
    static const char *const wd[7] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun") };
    struct day d;

    if (day_parse(iso, &d) < 0) {
        snprintf(out, size, "%s", iso);
        return;
    }
    if (rep->grouping == GROUP_MONTH)
        snprintf(out, size, "%02d.%04d", d.m, d.y);
    else if (rep->grouping == GROUP_WEEK)
        snprintf(out, size, _("from %02d.%02d"), d.d, d.m);
    else
        snprintf(out, size, "%02d.%02d %s", d.d, d.m, _(wd[day_weekday(&d)]));
}

static void table_section(struct reports_st *r, int s, int width)
{
    const struct report *rep = &r->rep;
    const struct report_section *sec = &rep->sections[s];
    struct strbuf sb;
    int w[REPORT_MAX_COLS], c, i;

    widths(rep, width, w);
    add_line(r, _(sec->title), R_RULE);
    sb_init(&sb);
    sb_add(&sb, " ");
    for (c = 0; c < rep->ncols; c++) {
        if (c)
            sb_add(&sb, " ");
        sb_cell(&sb, _(rep->cols[c].label), w[c], !is_text(rep, c));
    }
    add_line(r, sb.buf, R_TITLE);
    for (i = 0; i < sec->n; i++) {
        const struct report_cell *row = REPORT_CELL(rep, sec->first + i, 0);

        sb_clear(&sb);
        sb_add(&sb, " ");
        for (c = 0; c < rep->ncols; c++) {
            char v[256];

            report_format(rep, &row[c], c, v, sizeof v);
            if (rep->cols[c].kind == COL_TEXT && !v[0])
                snprintf(v, sizeof v, "%s", empty_name(rep, s));
            if (c)
                sb_add(&sb, " ");
            sb_cell(&sb, v, w[c], !is_text(rep, c));
        }
        add_line(r, sb.buf, R_NORMAL);
    }
    if (sec->total && sec->n > 1) {
        sb_clear(&sb);
        sb_add(&sb, " ");
        for (c = 0; c < rep->ncols; c++) {
            char v[64] = "";

            if (c == 0)
                snprintf(v, sizeof v, "%s", _("Total"));
            else if (rep->cols[c].kind == COL_COUNT)
                snprintf(v, sizeof v, "%lld", report_sum(rep, s, c));
            if (c)
                sb_add(&sb, " ");
            sb_cell(&sb, v, w[c], !is_text(rep, c));
        }
        add_line(r, sb.buf, R_TITLE);
    }
    if (sec->n == 0)
        add_line(r, _(" No signals here in this period."), R_DIM);
    sb_free(&sb);
}

/* A count and its bar (of bar_w columns, max the longest), then a space. */
static void count_bar(struct strbuf *sb, long long v, long long max, int bar_w)
{
    char num[32], bar[256];

    snprintf(num, sizeof num, "%lld", v);
    sb_cell(sb, num, 6, 1);
    sb_add(sb, " ");
    chart_bar(v, max, bar_w, bar, sizeof bar);
    sb_cell(sb, bar, bar_w, 0);
    sb_add(sb, " ");
}

/* Flow: two sparklines over the whole period, then one line per group with
 * bars on one scale for received and closed. */
static void flow_lines(struct reports_st *r, int width)
{
    const struct report *rep = &r->rep;
    long long *recv = xcalloc((size_t)rep->nrows + 1, sizeof *recv);
    long long *closed = xcalloc((size_t)rep->nrows + 1, sizeof *closed);
    long long max = 0, sum_r = 0, sum_c = 0, sum_o = 0;
    char *spark, tot[64];
    struct strbuf sb;
    int i, label_w = 11, tot_w = 14, room = width - label_w - tot_w - 2, first = 0, bar_w;

    for (i = 0; i < rep->nrows; i++) {
        recv[i] = REPORT_CELL(rep, i, 1)->v;
        closed[i] = REPORT_CELL(rep, i, 2)->v;
        sum_r += recv[i];
        sum_c += closed[i];
        sum_o += REPORT_CELL(rep, i, 3)->v;
        if (recv[i] > max)
            max = recv[i];
        if (closed[i] > max)
            max = closed[i];
    }
    spark = xmalloc((size_t)rep->nrows * 4 + 8);
    sb_init(&sb);
    if (room < 8)
        room = 8;
    /* the most recent groups when they do not all fit */
    if (rep->nrows > room)
        first = rep->nrows - room + 1;
    for (i = 0; i < 2; i++) {
        sb_clear(&sb);
        sb_add(&sb, " ");
        sb_cell(&sb, i == 0 ? _("Came in") : _("Closed"), label_w, 0);
        sb_add(&sb, " ");
        if (first)
            sb_add(&sb, "…");
        chart_spark((i == 0 ? recv : closed) + first, rep->nrows - first, max, spark, (size_t)rep->nrows * 4 + 8);
        sb_cell(&sb, spark, room - (first ? 1 : 0), 0);
        snprintf(tot, sizeof tot, "%s %lld", _("total"), i == 0 ? sum_r : sum_c);
        sb_add(&sb, " ");
        sb_cell(&sb, tot, tot_w, 1);
        add_line(r, sb.buf, i == 0 ? R_NORMAL : R_PUBLIC);
    }
    snprintf(tot, sizeof tot, " %s: %lld", _("Reopened"), sum_o);
    add_line(r, tot, R_DIM);

    add_line(r, _(rep->sections[0].title), R_RULE);
    /* label, two counts with their bars, reopened */
    bar_w = (width - 10 - (1 + 6 + 1) * 2 - 1 - 1 - 11) / 2;
    sb_clear(&sb);
    sb_add(&sb, " ");
    sb_cell(&sb, _(rep->cols[0].label), 10, 0);
    sb_add(&sb, " ");
    sb_cell(&sb, _(rep->cols[1].label), 6 + 1 + bar_w, 0);
    sb_add(&sb, " ");
    sb_cell(&sb, _(rep->cols[2].label), 6 + 1 + bar_w, 0);
    sb_add(&sb, " ");
    sb_cell(&sb, _(rep->cols[3].label), 11, 1);
    add_line(r, sb.buf, R_TITLE);
    for (i = 0; i < rep->nrows; i++) {
        char label[32], num[32];

        sb_clear(&sb);
        sb_add(&sb, " ");
        group_label(rep, REPORT_CELL(rep, i, 0)->text, label, sizeof label);
        sb_cell(&sb, label, 10, 0);
        sb_add(&sb, " ");
        count_bar(&sb, recv[i], max, bar_w);
        count_bar(&sb, closed[i], max, bar_w);
        snprintf(num, sizeof num, "%lld", REPORT_CELL(rep, i, 3)->v);
        sb_cell(&sb, num, 11, 1);
        add_line(r, sb.buf, R_NORMAL);
    }
    sb_free(&sb);
    free(spark);
    free(recv);
    free(closed);
}

/* Age: the totals of the buckets as bars, then the table per unit. */
static void age_lines(struct reports_st *r, int width)
{
    const struct report *rep = &r->rep;
    long long v[8], max = 0;
    struct strbuf sb;
    int c, label_w = 9, bar_w = width - label_w - 10;

    add_line(r, _("All units"), R_RULE);
    for (c = 1; c <= 6; c++) {
        v[c] = report_sum(rep, 0, c);
        if (v[c] > max)
            max = v[c];
    }
    sb_init(&sb);
    for (c = 1; c <= 6; c++) {
        char bar[512], num[32];

        sb_clear(&sb);
        sb_add(&sb, " ");
        sb_cell(&sb, _(rep->cols[c].label), label_w, 0);
        sb_add(&sb, " ");
        chart_bar(v[c], max, bar_w, bar, sizeof bar);
        sb_cell(&sb, bar, bar_w, 0);
        snprintf(num, sizeof num, "%lld", v[c]);
        sb_cell(&sb, num, 8, 1);
        add_line(r, sb.buf, R_NORMAL);
    }
    sb_free(&sb);
    table_section(r, 0, width);
}

static void build(struct reports_st *r, struct app *app)
{
    int width = app->cols - 3, s;   /* lines start with a space, drawn from column 1 */
    char desc[256];

    clear_lines(r);
    r->width = app->cols;
    snprintf(desc, sizeof desc, " %s", _(report_list[r->tab].title));
    add_line(r, desc, R_DIM);
    if (!r->have) {
        add_line(r, _(" The report could not be made; R tries again."), R_ERROR);
        return;
    }
    if (r->rep.id == REPORT_FLOW) {
        flow_lines(r, width);
        return;
    }
    if (r->rep.id == REPORT_AGE) {
        age_lines(r, width);
        return;
    }
    for (s = 0; s < r->rep.nsections; s++)
        table_section(r, s, width);
}

/* ---- running -------------------------------------------------------------- */

static void run(struct reports_st *r, struct app *app)
{
    enum db_status rc;

    if (r->have)
        report_free(&r->rep);
    r->have = 0;
    r->top = 0;
    rc = report_run(rdb(r, app), (enum report_id)r->tab, &r->p, &r->rep);
    if (rc == DB_OK) {
        r->have = 1;
    } else {
        report_free(&r->rep);
        ui_message(app, MSG_ERROR, "%s", rdb(r, app)->errmsg);
        if (rc == DB_LOST && r->use_own)
            db_reconnect(&r->own);
        else if (rc == DB_LOST)
            ui_db_error(app, rc);
    }
    build(r, app);
}

static void *open_reports(struct app *app, const void *arg)
{
    struct reports_st *r = xcalloc(1, sizeof *r);
    const struct config *cfg = app->cfg;
    struct day today;
    char err[256];

    (void)arg;
    day_of(now_time(), &today);
    if (period_parse(cfg->report_period ? cfg->report_period : "30d", &today, &r->p.period, err, sizeof err) < 0)
        period_parse("30d", &today, &r->p.period, err, sizeof err);
    r->p.grouping = GROUP_AUTO;
    r->p.stalled_days = cfg->report_stalled_days > 0 ? cfg->report_stalled_days : 7;
    csv_options_default(&r->csv);
    r->csv.delimiter = cfg->csv_delimiter ? cfg->csv_delimiter : ',';
    r->csv.bom = cfg->csv_bom;
    r->csv.decimal_comma = r->csv.delimiter == ';';
    if (cfg->report_conninfo && *cfg->report_conninfo) {
        r->own.statement_timeout_ms = cfg->statement_timeout_ms > 0 ? cfg->statement_timeout_ms : -1; /* 0: none */
        if (db_connect(&r->own, cfg->report_conninfo, 0) == DB_OK) {
            /* stopped and waited for as the main connection is */
            r->own.cancel_fd = app->db->cancel_fd;
            r->own.interrupt_fd = app->db->interrupt_fd;
            r->own.waiting = app->db->waiting;
            r->own.waiting_ctx = app->db->waiting_ctx;
            r->use_own = 1;
        } else {
            ui_message(app, MSG_ERROR, _("The report database cannot be reached; reading from the main one (%s)."),
                       r->own.errmsg);
            db_close(&r->own);
        }
    }
    run(r, app);
    return r;
}

static void close_reports(void *st)
{
    struct reports_st *r = st;

    clear_lines(r);
    free(r->lines);
    if (r->have)
        report_free(&r->rep);
    if (r->use_own)
        db_close(&r->own);
    free(r);
}

/* ---- drawing -------------------------------------------------------------- */

static void draw_tabs(struct app *app, struct reports_st *r)
{
    int x = 0, i, w = app->cols, lw = utf8_width(app->me.login) + 2;

    ui_fill(0, 0, w, R_HEADER);
    x += ui_text(0, x, w, _(" Reports "), R_HEADER);
    for (i = 0; i < REPORT_COUNT && x < w - lw; i++) {
        x += ui_text(0, x, w - lw - x, "│", R_HEADER);
        x += ui_text(0, x, w - lw - x, _(report_list[i].tab), i == r->tab ? R_TAB_ACTIVE : R_TAB);
    }
    if (x < w - lw)
        ui_text(0, x, 1, "│", R_HEADER);
    ui_text(0, w - lw + 1, lw - 1, app->me.login, R_HEADER);
}

static void period_text(const struct reports_st *r, char *out, size_t size)
{
    char a[16], b[16];
    int days = period_days(&r->p.period);
    size_t len;

    day_text(&r->p.period.from, a, sizeof a);
    day_text(&r->p.period.to, b, sizeof b);
    snprintf(out, size, ngettext("%s – %s (%d day)", "%s – %s (%d days)", (unsigned long)days), a, b, days);
    len = strlen(out);
    if (r->tab == REPORT_FLOW) {
        enum grouping g = period_grouping(&r->p.period, r->p.grouping);

        snprintf(out + len, size - len, " · %s",
                 g == GROUP_DAY ? _("by day") : g == GROUP_WEEK ? _("by week") : _("by month"));
    } else if (r->tab == REPORT_STALLED) {
        snprintf(out + len, size - len,
                 ngettext(" · stalled: not moved within %d day", " · stalled: not moved within %d days",
                          (unsigned long)r->p.stalled_days),
                 r->p.stalled_days);
    }
}

static int body_height(const struct app *app)
{
    return app->rows - 4;
}

static void draw_reports(void *st, struct app *app)
{
    struct reports_st *r = st;
    char line[256];
    int h = body_height(app), i;

    if (r->width != app->cols)
        build(r, app);
    draw_tabs(app, r);
    period_text(r, line, sizeof line);
    ui_fill(1, 0, app->cols, R_NORMAL);
    i = ui_text(1, 1, app->cols - 2, _("Period "), R_TITLE);
    ui_text(1, 1 + i, app->cols - 2 - i, line, R_NORMAL);
    if (r->top > r->nlines - h)
        r->top = r->nlines - h;
    if (r->top < 0)
        r->top = 0;
    for (i = 0; i < h && r->top + i < r->nlines; i++) {
        const struct rline *l = &r->lines[r->top + i];

        if (l->role == R_RULE)
            ui_hline(2 + i, 1, app->cols - 2, l->text, R_RULE);
        else
            ui_text(2 + i, 1, app->cols - 2, l->text, l->role);
    }
}

static void status_reports(void *st, struct app *app, char *left, size_t lsize, char *right, size_t rsize)
{
    struct reports_st *r = st;
    int h = body_height(app);

    char a[16], b[16];

    /* the same report from the command line */
    day_iso(&r->p.period.from, a, sizeof a);
    day_iso(&r->p.period.to, b, sizeof b);
    snprintf(left, lsize, "%sreport %s --from %s --to %s", r->use_own ? _("replica: ") : "", report_list[r->tab].name,
             a, b);
    if (r->nlines > h)
        snprintf(right, rsize, "%d–%d/%d", r->top + 1, r->top + h < r->nlines ? r->top + h : r->nlines, r->nlines);
}

/* ---- actions -------------------------------------------------------------- */

static void ask_period(struct reports_st *r, struct app *app)
{
    char initial[64], a[16], b[16], err[256], *text;
    struct day today;
    struct period p;

    day_iso(&r->p.period.from, a, sizeof a);
    day_iso(&r->p.period.to, b, sizeof b);
    snprintf(initial, sizeof initial, "%s..%s", a, b);
    text = prompt_line(app, _("Period (from..to, 2026-11, 30d): "), initial);
    if (!text)
        return;
    day_of(now_time(), &today);
    if (period_parse(text, &today, &p, err, sizeof err) < 0) {
        ui_message(app, MSG_ERROR, "%s", err);
    } else {
        r->p.period = p;
        r->p.grouping = GROUP_AUTO;
        run(r, app);
    }
    free(text);
}

static void ask_days(struct reports_st *r, struct app *app)
{
    char initial[16], *text, *end;
    long n;

    snprintf(initial, sizeof initial, "%d", r->p.stalled_days);
    text = prompt_line(app, _("A signal counts as stalled after how many days: "), initial);
    if (!text)
        return;
    n = strtol(str_trim(text), &end, 10);
    if (end == text || *end || n < 1 || n > 365) {
        ui_message(app, MSG_ERROR, "%s", _("Give a number of days from 1 to 365."));
    } else {
        r->p.stalled_days = (int)n;
        if (r->tab == REPORT_STALLED)
            run(r, app);
    }
    free(text);
}

static void next_grouping(struct reports_st *r, struct app *app)
{
    enum grouping g = period_grouping(&r->p.period, r->p.grouping);

    if (r->tab != REPORT_FLOW) {
        ui_message(app, MSG_INFO, "%s", _("Only the flow report counts by day, week or month."));
        return;
    }
    r->p.grouping = g == GROUP_DAY ? GROUP_WEEK : g == GROUP_WEEK ? GROUP_MONTH : GROUP_DAY;
    run(r, app);
}

static void export_csv(struct reports_st *r, struct app *app)
{
    char initial[256], a[16], b[16], tmp[4200], *path;
    FILE *f;
    int ok;

    if (!r->have)
        return;
    day_iso(&r->p.period.from, a, sizeof a);
    day_iso(&r->p.period.to, b, sizeof b);
    snprintf(initial, sizeof initial, "signaldesk-%s-%s-%s.csv", report_list[r->tab].name, a, b);
    path = str_given(prompt_line(app, _("Save as CSV file: "), initial));
    if (!path)
        return;
    /* a finished file or none: write beside it, then rename */
    snprintf(tmp, sizeof tmp, "%s.part", path);
    f = fopen(tmp, "w");
    if (!f) {
        ui_message(app, MSG_ERROR, _("Cannot write %s: %s"), tmp, strerror(errno));
        free(path);
        return;
    }
    ok = report_write_csv(&r->rep, f, &r->csv) == 0;
    if (fclose(f) != 0)
        ok = 0;
    if (ok && rename(tmp, path) == 0) {
        ui_message(app, MSG_INFO, ngettext("Saved %d row to %s.", "Saved %d rows to %s.", (unsigned long)r->rep.nrows),
                   r->rep.nrows, path);
    } else {
        ui_message(app, MSG_ERROR, _("Cannot write %s: %s"), path, strerror(errno ? errno : EIO));
        unlink(tmp);
    }
    free(path);
}

static void switch_tab(struct reports_st *r, struct app *app, int tab)
{
    if (tab < 0 || tab >= REPORT_COUNT)
        return;
    r->tab = tab;
    run(r, app);
}

static enum handled handle_reports(void *st, struct app *app, enum action act, int key)
{
    struct reports_st *r = st;
    int h = body_height(app);

    (void)key;
    switch (act) {
    case ACT_MOVE_DOWN: r->top++; return HANDLED;
    case ACT_MOVE_UP: r->top--; return HANDLED;
    case ACT_PAGE_DOWN: r->top += h - 1; return HANDLED;
    case ACT_PAGE_UP: r->top -= h - 1; return HANDLED;
    case ACT_FIRST: r->top = 0; return HANDLED;
    case ACT_LAST: r->top = r->nlines; return HANDLED;
    case ACT_NEXT_TAB: switch_tab(r, app, (r->tab + 1) % REPORT_COUNT); return HANDLED;
    case ACT_PREV_TAB: switch_tab(r, app, (r->tab + REPORT_COUNT - 1) % REPORT_COUNT); return HANDLED;
    case ACT_TAB_1: case ACT_TAB_2: case ACT_TAB_3: case ACT_TAB_4: case ACT_TAB_5: case ACT_TAB_6:
    case ACT_TAB_7:
        switch_tab(r, app, act - ACT_TAB_1);
        return HANDLED;
    case ACT_PERIOD: ask_period(r, app); return HANDLED;
    case ACT_DAYS: ask_days(r, app); return HANDLED;
    case ACT_GROUPING: next_grouping(r, app); return HANDLED;
    case ACT_REPORT_CSV: export_csv(r, app); return HANDLED;
    case ACT_RELOAD: run(r, app); return HANDLED;
    default: return NOT_HANDLED;
    }
}

/* Another console's change or a resize: lay out again; the numbers are
 * read again only when asked (R), a report is not a live view. */
static void relayout(void *st, struct app *app)
{
    build(st, app);
}

const struct screen_ops reports_screen = {
    .name = "reports",
    .scope = SCOPE_REPORTS,
    .open = open_reports,
    .close = close_reports,
    .draw = draw_reports,
    .handle = handle_reports,
    .reload = relayout,
    .status = status_reports,
};

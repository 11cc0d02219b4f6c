/* Importing a CSV file from the screen: the file and profile chosen (see
 * flow_import), Enter checks the file (a dry run: nothing changes), then
 * Enter imports it; a progress bar while the file is read.  The work itself
 * is the domain's import_file(). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flows.h"
#include "i18n.h"
#include "import.h"
#include "ui.h"
#include "util.h"

enum phase { PH_READY, PH_CHECKED, PH_DONE, PH_FAILED };

struct import_st {
    char path[1024];
    struct import_profile prof;
    struct import_report *rep;
    enum phase phase;
    int working;                /* reading now: the bar moves */
    int dry_run;
    long long done, total;
    long rows;
    int last_percent;
    int top;                    /* first problem shown */
    struct app *app;
};

static void *open_import(struct app *app, const void *arg)
{
    const struct import_request *req = arg;
    struct import_st *s = xcalloc(1, sizeof *s);
    char err[1024];

    if (import_profile_load(app->cfg, req->profile, &s->prof, err, sizeof err) < 0) {
        ui_message(app, MSG_ERROR, "%s", err);
        free(s);
        return NULL;
    }
    str_copy(s->path, sizeof s->path, req->path);
    s->rep = xcalloc(1, sizeof *s->rep);
    s->app = app;
    return s;
}

static void close_import(void *st)
{
    struct import_st *s = st;

    import_profile_free(&s->prof);
    free(s->rep);
    free(s);
}

static void progress(void *ctx, long long done, long long total, long rows)
{
    struct import_st *s = ctx;
    int percent = total > 0 ? (int)(done * 100 / total) : 0;

    s->done = done;
    s->total = total;
    s->rows = rows;
    if (percent != s->last_percent || total <= 0) {
        s->last_percent = percent;
        ui_redraw(s->app);
    }
}

static void run(struct import_st *s, struct app *app, int dry_run)
{
    enum db_status rc;

    s->working = 1;
    s->dry_run = dry_run;
    s->done = s->rows = 0;
    s->last_percent = -1;
    s->top = 0;
    ui_message(app, MSG_INFO, "%s", dry_run ? _("Checking the file…") : _("Importing…"));
    ui_redraw(app);
    rc = import_file(app->db, &s->prof, s->path, app->cfg->regno_format, dry_run, progress, s, s->rep);
    s->working = 0;
    app->msg[0] = '\0';
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        s->phase = PH_FAILED;
        return;
    }
    if (s->rep->fatal[0] || s->rep->nerrors > 0)
        s->phase = PH_FAILED;
    else
        s->phase = dry_run ? PH_CHECKED : PH_DONE;
    if (s->phase == PH_DONE && s->rep->imported > 0)
        ui_message(app, MSG_INFO,
                   ngettext("%ld signal imported.", "%ld signals imported.", (unsigned long)s->rep->imported),
                   s->rep->imported);
}

static void draw_bar(int y, int width, long long done, long long total)
{
    char pct[16];
    int filled, i, bar = width - 6;
    struct strbuf sb;

    if (bar < 10)
        return;
    filled = total > 0 ? (int)(done * bar / total) : 0;
    if (filled > bar)
        filled = bar;
    sb_init(&sb);
    for (i = 0; i < bar; i++)
        sb_add(&sb, i < filled ? "█" : "░");
    ui_text(y, 1, bar, sb.buf, R_NORMAL);
    sb_free(&sb);
    snprintf(pct, sizeof pct, "%3d%%", total > 0 ? (int)(done * 100 / total) : 0);
    ui_text(y, bar + 2, 4, pct, R_NORMAL);
}

static int label_row(int y, const char *label, const char *value, int width)
{
    ui_text(y, 1, 10, label, R_TITLE);
    ui_text(y, 12, width - 13, value, R_NORMAL);
    return y + 1;
}

/* What a check or an import found: how many signals (said by `some`, with
 * their numbers) or `none`, then the rows skipped; returns the line after
 * it and an empty one. */
static int draw_outcome(int y, int w, const struct import_report *rep, const char *some, const char *none)
{
    char buf[512];

    if (rep->imported > 0) {
        ui_text(y++, 1, w - 2, some, R_NORMAL);
        snprintf(buf, sizeof buf, _("Their numbers: %s … %s"), rep->first_reg_no, rep->last_reg_no);
        ui_text(y++, 1, w - 2, buf, R_NORMAL);
    } else {
        ui_text(y++, 1, w - 2, none, R_NORMAL);
    }
    if (rep->skipped > 0) {
        snprintf(buf, sizeof buf,
                 ngettext("%ld row was imported before and is skipped.",
                          "%ld rows were imported before and are skipped.", (unsigned long)rep->skipped),
                 rep->skipped);
        ui_text(y++, 1, w - 2, buf, R_DIM);
    }
    return y + 1;
}

static void draw_import(void *st, struct app *app)
{
    struct import_st *s = st;
    const struct import_report *rep = s->rep;
    char buf[512];
    int y = 1, w = app->cols, i, listh;

    ui_text_pad(0, 0, w, _(" signaldesk — import signals from a CSV file"), R_HEADER);
    y = label_row(y, _("File"), s->path, w);
    snprintf(buf, sizeof buf, "%s", s->prof.name);
    if (strcmp(s->prof.source, s->prof.name) != 0)
        snprintf(buf, sizeof buf, _("%s (source %s)"), s->prof.name, s->prof.source);
    y = label_row(y, _("Profile"), buf, w);
    if (s->working || s->phase != PH_READY) {
        if (rep->delim)
            snprintf(buf, sizeof buf,
                     ngettext("%s, separated by '%s'; %ld row", "%s, separated by '%s'; %ld rows",
                              (unsigned long)(s->working ? s->rows : rep->rows)),
                     import_encoding_name(rep->encoding), rep->delim == '\t' ? "tab" : (char[2]){ rep->delim, 0 },
                     s->working ? s->rows : rep->rows);
        else
            buf[0] = '\0';
        y = label_row(y, _("Read"), buf, w);
        draw_bar(y++, w, s->working ? s->done : 1, s->working ? s->total : 1);
    }
    y++;
    if (s->working)
        return;
    switch (s->phase) {
    case PH_READY:
        ui_text(y++, 1, w - 2, _("Enter checks the file: a dry run, nothing changes yet."), R_NORMAL);
        ui_text(y++, 1, w - 2, _("q goes back."), R_DIM);
        return;
    case PH_CHECKED:
        snprintf(buf, sizeof buf,
                 ngettext("The file is good: %ld signal can be imported.",
                          "The file is good: %ld signals can be imported.", (unsigned long)rep->imported),
                 rep->imported);
        y = draw_outcome(y, w, rep, buf, _("The file is good, but it has no new signals."));
        if (rep->imported > 0)
            ui_text(y++, 1, w - 2, _("Enter imports them now; q goes back without importing."), R_TITLE);
        return;
    case PH_DONE:
        snprintf(buf, sizeof buf,
                 ngettext("Imported: %ld signal.", "Imported: %ld signals.", (unsigned long)rep->imported),
                 rep->imported);
        y = draw_outcome(y, w, rep, buf, _("Nothing new to import."));
        ui_text(y++, 1, w - 2, _("q goes back to the queue."), R_DIM);
        return;
    case PH_FAILED:
        break;
    }
    if (rep->fatal[0]) {
        ui_text(y++, 1, w - 2, _("The file cannot be imported; nothing was imported:"), R_OVERDUE);
        ui_text(y++, 1, w - 2, rep->fatal, R_NORMAL);
        return;
    }
    if (rep->nerrors == 0)
        return;
    snprintf(buf, sizeof buf,
             ngettext("%ld problem; nothing was imported.", "%ld problems; nothing was imported.",
                      (unsigned long)rep->nerrors),
             rep->nerrors);
    ui_text(y++, 1, w - 2, buf, R_OVERDUE);
    ui_hline(y++, 1, w - 2, _("Problems"), R_RULE);
    listh = app->rows - 2 - y;
    if (s->top > rep->shown - listh)
        s->top = rep->shown - listh;
    if (s->top < 0)
        s->top = 0;
    for (i = 0; i < listh && s->top + i < rep->shown; i++) {
        import_error_text(&rep->errors[s->top + i], buf, sizeof buf);
        ui_text(y + i, 1, w - 2, buf, R_NORMAL);
    }
}

static enum handled handle_import(void *st, struct app *app, enum action act, int key)
{
    struct import_st *s = st;

    static int kenter = -1;

    if (kenter < 0)
        kenter = key_parse("KEnter");
    if (act == ACT_NONE && (key == '\n' || key == kenter)) {
        if (s->phase == PH_READY)
            run(s, app, 1);
        else if (s->phase == PH_CHECKED && s->rep->imported > 0)
            run(s, app, 0);
        return HANDLED;
    }
    switch (act) {
    case ACT_MOVE_DOWN: s->top++; return HANDLED;
    case ACT_MOVE_UP: s->top--; return HANDLED;
    case ACT_PAGE_DOWN: s->top += app->rows - 12; return HANDLED;
    case ACT_PAGE_UP: s->top -= app->rows - 12; return HANDLED;
    case ACT_FIRST: s->top = 0; return HANDLED;
    case ACT_LAST: s->top = IMPORT_MAX_ERRORS; return HANDLED;
    default: return NOT_HANDLED;
    }
}

static void status_import(void *st, struct app *app, char *left, size_t lsize, char *right, size_t rsize)
{
    struct import_st *s = st;
    const char *base = strrchr(s->path, '/');

    (void)app;
    snprintf(left, lsize, _("import %s"), base ? base + 1 : s->path);
    if (s->phase == PH_FAILED && s->rep->shown > 0)
        snprintf(right, rsize, "%d/%ld", s->top + 1, s->rep->nerrors);
    else
        right[0] = '\0';
}

const struct screen_ops import_screen = {
    .name = "import",
    .scope = 0,
    .open = open_import,
    .close = close_import,
    .draw = draw_import,
    .handle = handle_import,
    .reload = NULL,
    .status = status_import,
};

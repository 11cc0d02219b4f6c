#include "flows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <unistd.h>

#include "export.h"
#include "i18n.h"
#include "importcsv.h"
#include "prompt.h"
#include "timefmt.h"
#include "triage.h"
#include "util.h"

int flow_change_status(struct app *app, long long id, int version, const char *status)
{
    const struct transition *moves[ST_COUNT * 2];
    const char *items[ST_COUNT * 2];
    char labels[ST_COUNT * 2][128];
    enum status from = status_from_code(status);
    size_t n, i;
    int choice, category_id = 0;
    char *comment = NULL, title[160], kind[16] = "problem";
    enum db_status rc;
    struct triage_info t;

    if (from == ST_COUNT) {
        ui_message(app, MSG_ERROR, _("Unknown status '%s'."), status);
        return 0;
    }
    /* a question may be closed with its answer; templates follow the category */
    if (triage_load(app->db, id, &t) == DB_OK) {
        str_copy(kind, sizeof kind, t.kind);
        category_id = t.category_id;
        triage_free(&t);
    }
    n = workflow_moves_kind(from, kind, moves, ARRAY_SIZE(moves));
    if (n == 0) {
        ui_message(app, MSG_INFO, _("A signal with the status \"%s\" cannot change it."), status_label(status));
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (moves[i]->needs_public_comment)
            snprintf(labels[i], sizeof labels[i], _("%s (with a public comment)"),
                     _(status_table[moves[i]->to].label));
        else
            snprintf(labels[i], sizeof labels[i], "%s", _(status_table[moves[i]->to].label));
        items[i] = labels[i];
    }
    snprintf(title, sizeof title, _("Status %s → "), status_label(status));
    choice = ui_menu(app, title, items, (int)n, 0);
    if (choice < 0)
        return 0;
    if (moves[choice]->needs_public_comment) {
        comment = flow_comment_prompt(app, _("Public comment for the citizen: "), id, category_id,
                                      status_table[moves[choice]->to].code, NULL);
        if (!comment)
            return 0;
        if (str_empty(comment)) {
            free(comment);
            ui_message(app, MSG_ERROR, "%s", _("This status change needs a public comment; nothing was changed."));
            return 0;
        }
    }
    rc = signal_change_status(app->db, id, version, status_table[moves[choice]->to].code, comment,
                              comment != NULL);
    free(comment);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return 0;
    }
    ui_message(app, MSG_INFO, _("Status changed: %s → %s."), status_label(status),
               _(status_table[moves[choice]->to].label));
    return 1;
}

void flow_import(struct app *app)
{
    struct import_request req;
    char **names, *path;
    int n, i, choice;

    path = prompt_line(app, _("CSV file to import: "), NULL);
    if (!path)
        return;
    str_trim(path);
    if (!*path) {
        free(path);
        return;
    }
    n = import_profile_names(app->cfg, &names);
    choice = n == 1 ? 0 : ui_menu(app, _("Import profile"), (const char *const *)names, n, 0);
    if (choice >= 0) {
        req.path = path;
        req.profile = names[choice];
        ui_push(app, &import_screen, &req);
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(path);
}

struct export_progress {
    struct app *app;
    long last;
};

static void export_progress(void *ctx, long rows)
{
    struct export_progress *p = ctx;

    if (rows - p->last < 50000)
        return;
    p->last = rows;
    ui_message(p->app, MSG_INFO, ngettext("Exporting… %ld signal", "Exporting… %ld signals", (unsigned long)rows),
               rows);
    ui_redraw(p->app);
}

int flow_export(struct app *app, const struct query *query)
{
    struct query_ctx ctx;
    struct export_options eo = { 0, ',' };
    struct export_progress pr = { app, 0 };
    char *path, suggestion[128], day[16];
    time_t now = now_time();
    FILE *out;
    long rows = 0;
    enum db_status rc;

    strftime(day, sizeof day, "%Y%m%d", localtime(&now));
    snprintf(suggestion, sizeof suggestion, "signals-%s.csv", day);
    path = prompt_line(app, _("Export this queue to the CSV file: "), suggestion);
    if (!path)
        return 0;
    str_trim(path);
    if (!*path) {
        free(path);
        return 0;
    }
    ctx.now = now;
    out = fopen(path, "w");
    if (!out) {
        ui_message(app, MSG_ERROR, _("%s: cannot write the file: %s"), path, strerror(errno));
        free(path);
        return 0;
    }
    ui_message(app, MSG_INFO, "%s", _("Exporting…"));
    ui_redraw(app);
    rc = export_signals(app->db, query, &ctx, &eo, out, export_progress, &pr, &rows);
    if (fclose(out) != 0 && rc == DB_OK) {
        db_set_error(app->db, _("%s: cannot write the file: %s"), path, strerror(errno));
        rc = DB_ERROR;
    }
    if (rc != DB_OK) {
        unlink(path);
        ui_db_error(app, rc);
        free(path);
        return 0;
    }
    ui_message(app, MSG_INFO, ngettext("%ld signal exported to %s.", "%ld signals exported to %s.", (unsigned long)rows),
               rows, path);
    free(path);
    return 1;
}

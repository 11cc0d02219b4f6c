#include "flows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <unistd.h>

#include "export.h"
#include "assign.h"
#include "i18n.h"
#include "importcsv.h"
#include "prompt.h"
#include "tags.h"
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
    if (moves[choice]->to == ST_DUPLICATE)
        return flow_mark_duplicate(app, id, version);  /* a duplicate names its main signal */
    if (moves[choice]->needs_public_comment) {
        comment = flow_needed_comment(app, _("Public comment for the citizen: "), id, category_id,
                                      status_table[moves[choice]->to].code);
        if (!comment)
            return 0;
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

    path = str_given(prompt_line(app, _("CSV file to import: "), NULL));
    if (!path)
        return;
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
    path = str_given(prompt_line(app, _("Export this queue to the CSV file: "), suggestion));
    if (!path)
        return 0;
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

/* Asks for part of a name and offers the units or operators that match. */
static int pick_target(struct app *app, int kind, struct move_target *to, char *label, size_t lsize)
{
    struct pick *picks = NULL;
    const char **items;
    char *match;
    enum db_status rc;
    int n = 0, i, choice;

    match = prompt_line(app, kind == 0 ? _("Unit (part of the name): ") : _("Operator (name or login): "), NULL);
    if (!match)
        return -1;
    str_trim(match);
    rc = kind == 0 ? pick_units(app->db, match, &picks, &n) : pick_operators(app->db, match, &picks, &n);
    if (rc != DB_OK) {
        free(match);
        ui_db_error(app, rc);
        return -1;
    }
    if (n == 0) {
        ui_message(app, MSG_ERROR, kind == 0 ? _("No active unit matches '%s'.") : _("No active operator matches '%s'."),
                   match);
        free(match);
        free(picks);
        return -1;
    }
    free(match);
    items = xcalloc((size_t)n, sizeof *items);
    for (i = 0; i < n; i++)
        items[i] = picks[i].label;
    choice = ui_menu(app, kind == 0 ? _("To the unit ") : _("To the operator "), items, n, 0);
    if (choice >= 0) {
        if (kind == 0) {
            to->unit_id = picks[choice].id;
        } else {
            static char login[64];

            str_copy(login, sizeof login, picks[choice].login);
            to->assignee = login;
        }
        str_copy(label, lsize, picks[choice].name);
    }
    free(items);
    free(picks);
    return choice < 0 ? -1 : 0;
}

static const char *outcome_text(enum move_outcome o)
{
    switch (o) {
    case MOVE_CHANGED: return _("changed by someone else meanwhile");
    case MOVE_CLOSED: return _("no longer open");
    case MOVE_MISSING: return _("no longer exists");
    default: return "";
    }
}

int flow_move(struct app *app, const struct sig_ref *picked, int n)
{
    struct sig_ref *items;
    const char *where[3];
    struct move_target to;
    enum move_outcome *out;
    char title[160], label[256] = "", *reason;
    enum db_status rc;
    int choice, moved = 0, attempt;

    if (n <= 0)
        return 0;
    if (!may_assign(&app->me)) {
        ui_message(app, MSG_ERROR, "%s", _("Not allowed: only supervisors and admins may do this."));
        return 0;
    }
    where[0] = _("to another unit");
    where[1] = _("to an operator");
    where[2] = _("to nobody (not taken by anyone)");
    if (n == 1)
        snprintf(title, sizeof title, _("Move %s "), picked[0].reg_no);
    else
        snprintf(title, sizeof title, ngettext("Move %d signal ", "Move %d signals ", (unsigned long)n), n);
    choice = ui_menu(app, title, where, 3, 0);
    if (choice < 0)
        return 0;
    memset(&to, 0, sizeof to);
    if (choice == 2) {
        to.unassign = 1;
        str_copy(label, sizeof label, _("nobody"));
    } else if (pick_target(app, choice, &to, label, sizeof label) < 0) {
        return 0;
    }
    reason = prompt_line(app, _("Reason for the move: "), NULL);
    if (!reason)
        return 0;
    if (str_empty(reason)) {
        free(reason);
        ui_message(app, MSG_ERROR, "%s", _("A move needs a reason; nothing was moved."));
        return 0;
    }
    out = xcalloc((size_t)n, sizeof *out);
    items = xcalloc((size_t)n, sizeof *items);
    memcpy(items, picked, (size_t)n * sizeof *items);
    /* the rest works on its own copy: a second round keeps only some */
    /* a second round only for the ones that were fine the first time */
    for (attempt = 0; attempt < 2; attempt++) {
        int i, ready = 0, problems = 0;

        rc = signals_move(app->db, items, n, &to, reason, out, &moved);
        if (rc != DB_OK) {
            ui_db_error(app, rc);
            break;
        }
        for (i = 0; i < n; i++) {
            if (out[i] == MOVE_READY)
                ready++;
            else if (out[i] != MOVE_MOVED && out[i] != MOVE_SAME)
                problems++;
        }
        if (!problems) {
            if (moved == 0)
                ui_message(app, MSG_INFO, "%s", _("Nothing to move: the signals are there already."));
            else if (to.unassign)
                ui_message(app, MSG_INFO, ngettext("%d signal is no longer taken by anyone.",
                                                   "%d signals are no longer taken by anyone.", (unsigned long)moved),
                           moved);
            else
                ui_message(app, MSG_INFO, ngettext("%d signal moved %s: %s.", "%d signals moved %s: %s.",
                                                   (unsigned long)moved),
                           moved, where[choice], label);
            break;
        }
        if (n == 1) {
            ui_message(app, MSG_ERROR, _("%s is %s; nothing was moved."), items[0].reg_no, outcome_text(out[0]));
            break;
        }
        {
            const char **lines = xcalloc((size_t)problems, sizeof *lines);
            char (*text)[160] = xcalloc((size_t)problems, sizeof *text);
            int k = 0, j;
            char question[200];

            for (i = 0; i < n; i++)
                if (out[i] != MOVE_READY && out[i] != MOVE_MOVED && out[i] != MOVE_SAME) {
                    snprintf(text[k], sizeof text[k], "%s — %s", items[i].reg_no, outcome_text(out[i]));
                    lines[k] = text[k];
                    k++;
                }
            snprintf(title, sizeof title,
                     ngettext("%d signal cannot be moved ", "%d signals cannot be moved ", (unsigned long)problems),
                     problems);
            ui_menu(app, title, lines, problems, 0);
            free(lines);
            free(text);
            if (ready == 0 || app->quit) {
                ui_message(app, MSG_ERROR, "%s", _("Nothing was moved."));
                break;
            }
            snprintf(question, sizeof question,
                     ngettext("Move the other %d signal?", "Move the other %d signals?", (unsigned long)ready), ready);
            if (!ui_confirm(app, question)) {
                ui_message(app, MSG_INFO, "%s", _("Nothing was moved."));
                break;
            }
            /* keep only the ready ones */
            for (i = 0, j = 0; i < n; i++)
                if (out[i] == MOVE_READY)
                    items[j++] = items[i];
            n = j;
        }
    }
    free(out);
    free(items);
    free(reason);
    return moved;
}

/* Merges with the operator's say on the refusals that are theirs to
 * override (far apart, different categories). */
static int merge_asking(struct app *app, long long main_id, int main_version, const struct merge_item *others,
                        int n, const char *main_reg)
{
    struct dupe_params p;
    enum db_status rc;
    long long merge_id;
    int force = 0;

    dupe_params_from_config(app->cfg, &p);
    for (;;) {
        char question[1200];

        rc = dupes_merge(app->db, main_id, main_version, others, n, &p, force, NULL, &merge_id);
        if (rc == DB_OK)
            break;
        if (rc != DB_REFUSED || !dupes_needs_force(app->db) || force) {
            ui_db_error(app, rc);
            return 0;
        }
        snprintf(question, sizeof question, _("%s Merge them anyway?"), app->db->errmsg);
        if (!ui_confirm_box(app, _("Merging"), question)) {
            ui_message(app, MSG_INFO, "%s", _("Nothing was merged."));
            return 0;
        }
        force = 1;
    }
    ui_message(app, MSG_INFO,
               ngettext("%d signal merged into %s.", "%d signals merged into %s.", (unsigned long)n), n, main_reg);
    return 1;
}

int flow_merge(struct app *app, const struct merge_item *items, int n)
{
    struct merge_row *rows;
    struct merge_item *others;
    const char **labels;
    char (*text)[256];
    long long *ids;
    char title[128];
    int nrows, i, j, choice, done;
    enum db_status rc;

    if (n < 2) {
        ui_message(app, MSG_INFO, "%s", _("Mark at least one more signal to merge with (t), then F8."));
        return 0;
    }
    ids = xcalloc((size_t)n, sizeof *ids);
    for (i = 0; i < n; i++)
        ids[i] = items[i].id;
    rows = xcalloc((size_t)n, sizeof *rows);
    rc = dupes_rows(app->db, ids, n, rows, &nrows);
    free(ids);
    if (rc != DB_OK || nrows < 2) {
        if (rc != DB_OK)
            ui_db_error(app, rc);
        else
            ui_message(app, MSG_ERROR, "%s", _("The signal no longer exists."));
        free(rows);
        return 0;
    }
    /* what the database would refuse whichever is the main one, said first */
    for (i = 0; i < nrows; i++) {
        enum status st = status_from_code(rows[i].status);

        if (rows[i].duplicate_of) {
            ui_message(app, MSG_ERROR, _("%s is already a duplicate of %s."), rows[i].reg_no, rows[i].main_reg);
            free(rows);
            return 0;
        }
        if (st == ST_COUNT || !status_table[st].open) {
            ui_message(app, MSG_ERROR, _("%s is %s; it cannot become a duplicate."), rows[i].reg_no,
                       status_label(rows[i].status));
            free(rows);
            return 0;
        }
    }
    /* oldest first, the one offered */
    labels = xcalloc((size_t)nrows, sizeof *labels);
    text = xcalloc((size_t)nrows, sizeof *text);
    for (i = 0; i < nrows; i++) {
        char when[32];

        fmt_datetime(rows[i].created, when, sizeof when);
        snprintf(text[i], sizeof text[i], "%s · %s · %s", rows[i].reg_no, when, status_label(rows[i].status));
        labels[i] = text[i];
    }
    snprintf(title, sizeof title,
             ngettext("Merge %d signal into which one?", "Merge %d signals into which one?", (unsigned long)nrows),
             nrows);
    choice = ui_menu(app, title, labels, nrows, 0);
    done = 0;
    if (choice >= 0) {
        int main_version = rows[choice].version;

        others = xcalloc((size_t)nrows, sizeof *others);
        for (i = 0, j = 0; i < nrows; i++) {
            int k;

            /* the versions the operator saw, not the ones just read */
            for (k = 0; k < n; k++)
                if (items[k].id == rows[i].id) {
                    if (i == choice)
                        main_version = items[k].version;
                    else
                        others[j++] = items[k];
                }
        }
        done = merge_asking(app, rows[choice].id, main_version, others, j, rows[choice].reg_no);
        free(others);
    }
    free(labels);
    free(text);
    free(rows);
    return done;
}

int flow_merge_tags(struct app *app, struct tagset *tags)
{
    struct merge_item *items;
    int i, done;

    if (tags->n < 2) {
        ui_message(app, MSG_INFO, "%s", _("Tag at least two signals to merge them (t tags the one under the cursor)."));
        return 0;
    }
    items = xcalloc((size_t)tags->n, sizeof *items);
    for (i = 0; i < tags->n; i++) {
        items[i].id = tags->items[i].id;
        items[i].version = tags->items[i].version;
    }
    done = flow_merge(app, items, tags->n);
    free(items);
    if (done)
        tags_clear(tags);
    return done;
}

int flow_unmerge(struct app *app, long long signal_id)
{
    struct merge_info info;
    enum db_status rc;
    char question[1024], when[32];
    int restored = 0;

    rc = dupes_merge_info(app->db, signal_id, &info);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return 0;
    }
    if (!info.found) {
        ui_message(app, MSG_INFO, "%s", _("This signal was not merged; there is nothing to undo."));
        return 0;
    }
    if (!info.recorded) {
        ui_message(app, MSG_INFO, "%s",
                   _("This signal became a duplicate before merges were recorded; change its status to bring it back."));
        return 0;
    }
    fmt_short(now_time(), info.at, when, sizeof when);
    snprintf(question, sizeof question, _("Merged %s by %s: %s into %s. Undo it? Each of them gets back its status, "
                                          "unit, assignee and reporters as before the merge."),
             when, info.actor, info.regs, info.main_reg);
    if (!ui_confirm_box(app, _("Undo a merge"), question))
        return 0;
    rc = dupes_unmerge(app->db, info.merge_id, NULL, &restored);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return 0;
    }
    ui_message(app, MSG_INFO,
               ngettext("Merge undone: %d signal is on its own again.", "Merge undone: %d signals are on their own again.",
                        (unsigned long)restored),
               restored);
    return 1;
}

int flow_mark_duplicate(struct app *app, long long id, int version)
{
    struct dupe_params p;
    struct dupe_list best;
    struct merge_row rows[2];
    struct merge_item other;
    long long ids[2], found_id, main_id;
    char *reg;
    int nrows, i;
    enum db_status rc;

    dupe_params_from_config(app->cfg, &p);
    memset(&best, 0, sizeof best);
    if (dupes_for_signal(app->db, id, &p, 1, &best) != DB_OK)
        memset(&best, 0, sizeof best);
    reg = prompt_line(app, _("Duplicate of (reg. No.): "), best.n ? best.items[0].reg_no : NULL);
    dupe_list_free(&best);
    if (!reg)
        return 0;
    rc = dupes_lookup(app->db, reg, &found_id, &main_id);
    if (rc != DB_OK) {
        free(reg);
        ui_db_error(app, rc);
        return 0;
    }
    if (!found_id) {
        ui_message(app, MSG_ERROR, _("No signal has the number %s."), reg);
        free(reg);
        return 0;
    }
    free(reg);
    ids[0] = main_id;
    ids[1] = found_id;
    rc = dupes_rows(app->db, ids, main_id == found_id ? 1 : 2, rows, &nrows);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return 0;
    }
    if (main_id != found_id) {
        /* the number given is itself a duplicate: its main signal is the one */
        const struct merge_row *f = rows[0].id == found_id ? &rows[0] : &rows[1];
        char question[512];

        snprintf(question, sizeof question, _("%s is a duplicate of %s; merge into %s?"), f->reg_no, f->main_reg,
                 f->main_reg);
        if (!ui_confirm_box(app, _("Merging"), question))
            return 0;
    }
    for (i = 0; i < nrows; i++)
        if (rows[i].id == main_id)
            break;
    if (i == nrows)
        return 0;
    other.id = id;
    other.version = version;
    return merge_asking(app, main_id, rows[i].version, &other, 1, rows[i].reg_no);
}

#include "flows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
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

/* Help: generated from the action list and the key bindings in force, so it
 * always tells the truth about the keys. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ui.h"
#include "util.h"

struct help_st {
    int top;
};

static const struct {
    unsigned scope;
    const char *title;
} sections[] = {
    { SCOPE_GLOBAL, N_("Everywhere") },
    { SCOPE_QUEUE, N_("In the queue") },
    { SCOPE_SIGNAL, N_("On a signal") },
    { SCOPE_INTAKE, N_("In the new-signal form") },
    { SCOPE_ASSIGN, N_("Balancing the load") },
    { SCOPE_REPORTS, N_("In the reports") },
    { SCOPE_ADMIN, N_("In the admin lists") },
    { SCOPE_ROUTING, N_("In the routing grid") },
    { SCOPE_AUDIT, N_("In the audit trail") },
    { SCOPE_DUPES, N_("Duplicates and merging") },
};

static int has_keys(enum action a, unsigned scope)
{
    int k[1];

    return keymap_keys(a, scope, k, 1) > 0;
}

/* One line per action that has keys in the section's scope and that the
 * person's level allows. */
static int help_lines(char lines[][256], enum ui_role *roles, int max, enum level level)
{
    size_t s;
    int n = 0;

    for (s = 0; s < ARRAY_SIZE(sections); s++) {
        int a, header = 0;

        for (a = 1; a < ACT_COUNT; a++) {
            int keys[16], nk, k, only_here = 1;
            char names[128] = "";

            nk = keymap_keys((enum action)a, sections[s].scope, keys, 16);
            if (nk == 0 || !action_allowed((enum action)a, level))
                continue;
            /* list an action under the first section it belongs to, unless
             * it has other keys here (answers: i on a signal, F5 in the form) */
            {
                size_t p;
                int k2, other = 0;

                for (p = 0; p < s; p++)
                    if (has_keys((enum action)a, sections[p].scope))
                        only_here = 0;
                for (k2 = 0; k2 < nk && !only_here; k2++) {
                    int seen = 0;

                    for (p = 0; p < s; p++)
                        if (keymap_lookup(keys[k2], sections[p].scope | SCOPE_GLOBAL) == (enum action)a)
                            seen = 1;
                    if (!seen)
                        other = 1;
                }
                if (other)
                    only_here = 1;
            }
            if (!only_here)
                continue;
            if (a > ACT_TAB_1 && a <= ACT_TAB_9)
                continue;   /* one line for all the queue numbers */
            nk = keymap_keys((enum action)a, sections[s].scope, keys, 16);
            if (a == ACT_TAB_1) {
                int t;

                nk = 0;
                for (t = ACT_TAB_1; t <= ACT_TAB_9; t++)
                    nk += keymap_keys((enum action)t, sections[s].scope, keys + nk, 1);
            }
            for (k = 0; k < nk; k++) {
                char kn[32];

                key_label(keys[k], kn, sizeof kn);
                if (k)
                    strncat(names, a == ACT_TAB_1 ? " " : ", ", sizeof names - strlen(names) - 1);
                strncat(names, kn, sizeof names - strlen(names) - 1);
            }
            if (!header && n < max) {
                if (n > 0 && n < max) {
                    lines[n][0] = '\0';
                    roles[n++] = R_NORMAL;
                }
                snprintf(lines[n], 256, "%s", _(sections[s].title));
                roles[n++] = R_RULE;
                header = 1;
            }
            if (n < max) {
                char pad[64];
                int w = utf8_width(names);

                snprintf(pad, sizeof pad, "%*s", w < 22 ? 22 - w : 1, "");
                snprintf(lines[n], 256, "  %s%s%s", names, pad,
                         a == ACT_TAB_1 ? _("Show the queue with that number") : _(action_table[a].help));
                roles[n++] = R_NORMAL;
            }
        }
    }
    return n;
}

static void *open_help(struct app *app, const void *arg)
{
    (void)app;
    (void)arg;
    return xcalloc(1, sizeof(struct help_st));
}

static void close_help(void *st)
{
    free(st);
}

#define MAX_HELP 128

static void draw_help(void *st, struct app *app)
{
    struct help_st *h = st;
    static char lines[MAX_HELP][256];
    static enum ui_role roles[MAX_HELP];
    int n = help_lines(lines, roles, MAX_HELP, level_parse(app->me.level)), body = app->rows - 3, i;

    ui_text_pad(0, 0, app->cols, _(" signaldesk — keys (q goes back)"), R_HEADER);
    if (h->top > n - body)
        h->top = n - body;
    if (h->top < 0)
        h->top = 0;
    for (i = 0; i < body && h->top + i < n; i++) {
        if (roles[h->top + i] == R_RULE)
            ui_hline(1 + i, 1, app->cols - 2, lines[h->top + i], R_RULE);
        else
            ui_text(1 + i, 1, app->cols - 2, lines[h->top + i], roles[h->top + i]);
    }
}

static enum handled handle_help(void *st, struct app *app, enum action act, int key)
{
    struct help_st *h = st;

    (void)key;
    switch (act) {
    case ACT_MOVE_DOWN: h->top++; return HANDLED;
    case ACT_MOVE_UP: h->top--; return HANDLED;
    case ACT_PAGE_DOWN: h->top += app->rows - 4; return HANDLED;
    case ACT_PAGE_UP: h->top -= app->rows - 4; return HANDLED;
    case ACT_FIRST: h->top = 0; return HANDLED;
    case ACT_LAST: h->top = MAX_HELP; return HANDLED;
    case ACT_HELP: ui_pop(app); return HANDLED;
    default: return NOT_HANDLED;
    }
}

const struct screen_ops help_screen = {
    .name = "help",
    .scope = SCOPE_HELP,
    .open = open_help,
    .close = close_help,
    .draw = draw_help,
    .handle = handle_help,
    .reload = NULL,
    .status = NULL,
};

/* One signal: its fields, its description and its whole timeline. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dupefmt.h"
#include "dupes.h"
#include "flows.h"
#include "i18n.h"
#include "timefmt.h"
#include "ui.h"
#include "util.h"

struct line {
    char *text;
    enum ui_role role;
    int indent;
};

#define SHOWN_DUPES 5

struct signal_st {
    long long id;
    struct signal sig;
    int loaded;
    long long main_id;      /* of a duplicate: its main signal */
    struct merge_row main_row;
    struct dupe_list cands; /* possible duplicates */
    struct merge_row merged[SHOWN_DUPES];   /* duplicates merged into it */
    int nmerged, total_merged;
    struct line *lines;     /* description and timeline, wrapped to the width */
    int nlines, cap;
    int top;                /* first line shown */
    int width;
};

static void clear_lines(struct signal_st *s)
{
    int i;

    for (i = 0; i < s->nlines; i++)
        free(s->lines[i].text);
    s->nlines = 0;
}

static void add_line(struct signal_st *s, const char *text, size_t len, enum ui_role role, int indent)
{
    if (s->nlines == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->lines = xrealloc(s->lines, (size_t)s->cap * sizeof *s->lines);
    }
    s->lines[s->nlines].text = xmalloc(len + 1);
    memcpy(s->lines[s->nlines].text, text, len);
    s->lines[s->nlines].text[len] = '\0';
    s->lines[s->nlines].role = role;
    s->lines[s->nlines].indent = indent;
    s->nlines++;
}

/* Word-wraps text to width columns; each paragraph of the text starts a line. */
static void add_wrapped(struct signal_st *s, const char *text, int width, enum ui_role role, int indent)
{
    const char *p = text;

    if (width < 10)
        width = 10;
    while (*p) {
        size_t para = strcspn(p, "\n"), fit;
        const char *end = p + para;

        if (para == 0) {
            add_line(s, "", 0, role, indent);
        }
        while (p < end) {
            char chunk[4096];
            size_t n = (size_t)(end - p) < sizeof chunk - 1 ? (size_t)(end - p) : sizeof chunk - 1;

            memcpy(chunk, p, n);
            chunk[n] = '\0';
            fit = utf8_fit(chunk, width);
            if (fit < n) {
                size_t cut = fit;

                while (cut > 0 && chunk[cut] != ' ')
                    cut--;
                if (cut > 0)
                    fit = cut;
            }
            if (fit == 0)
                fit = 1;
            add_line(s, p, fit, role, indent);
            p += fit;
            while (p < end && *p == ' ')
                p++;
        }
        p = *end ? end + 1 : end;
    }
}

static const char *field_label(const char *kind)
{
    if (strcmp(kind, "status") == 0)
        return _("status");
    if (strcmp(kind, "category") == 0)
        return _("category");
    if (strcmp(kind, "district") == 0)
        return _("district");
    if (strcmp(kind, "unit") == 0)
        return _("responsible unit");
    if (strcmp(kind, "assignee") == 0)
        return _("taken by");
    if (strcmp(kind, "priority") == 0)
        return _("priority");
    if (strcmp(kind, "description") == 0 || strcmp(kind, "edit") == 0)
        return _("text");
    if (strcmp(kind, "address") == 0)
        return _("address");
    if (strcmp(kind, "merge") == 0)
        return _("merged");
    if (strcmp(kind, "due") == 0)
        return _("due");
    if (strcmp(kind, "kind") == 0)
        return _("type");
    return kind;
}

static const char *value_text(const char *kind, const char *v, char *buf, size_t size)
{
    if (!v || !*v)
        return "—";
    if (strcmp(kind, "status") == 0)
        return status_label(v);
    if (strcmp(kind, "priority") == 0 && v[0] >= '0' && v[0] <= '3' && !v[1])
        return priority_label(v[0] - '0');
    if (strcmp(kind, "kind") == 0)
        return strcmp(v, "question") == 0 ? _("question") : _("problem");
    if (strcmp(kind, "due") == 0) {
        time_t t;

        if (parse_pg_time(v, &t) == 0) {
            fmt_datetime(t, buf, size);
            return buf;
        }
    }
    snprintf(buf, size, "%s", v);
    return buf;
}

/* A date from an event's value (event_time() in the schema), or "—". */
static const char *event_date(const char *v, char *buf, size_t size)
{
    time_t t;

    if (!v || parse_pg_time(v, &t) < 0)
        return "—";
    fmt_datetime(t, buf, size);
    return buf;
}

static void describe_event(const struct event *e, char *out, size_t size)
{
    char a[256], b[256];

    if (strcmp(e->kind, "merged_into") == 0) {
        if (e->old_value && e->new_value)
            snprintf(out, size, _("main signal %s → %s"), e->old_value, e->new_value);
        else
            snprintf(out, size, _("duplicate of %s"), e->new_value ? e->new_value : "?");
    } else if (strcmp(e->kind, "merge") == 0) {
        snprintf(out, size, _("merged into it: %s"), e->new_value ? e->new_value : "?");
    } else if (strcmp(e->kind, "unmerged") == 0) {
        snprintf(out, size, _("separated from %s (merge undone)"), e->old_value ? e->old_value : "?");
    } else if (strcmp(e->kind, "unmerge") == 0) {
        snprintf(out, size, _("separated again: %s (merge undone)"), e->old_value ? e->old_value : "?");
    } else if (strcmp(e->kind, "due") == 0) {
        snprintf(out, size, "%s %s → %s", _("due"), event_date(e->old_value, a, sizeof a),
                 event_date(e->new_value, b, sizeof b));
    } else if (strcmp(e->kind, "reporter") == 0) {
        if (e->new_value)
            snprintf(out, size, _("one more reporter (%s)"), channel_label(e->new_value));
        else
            snprintf(out, size, "%s", _("one more reporter"));
    } else if (strcmp(e->kind, "created") == 0) {
        if (e->new_value)
            snprintf(out, size, _("created (%s)"), channel_label(e->new_value));
        else
            snprintf(out, size, "%s", _("created"));
    } else if (strcmp(e->kind, "confirmed") == 0 || strcmp(e->kind, "acknowledged") == 0) {
        /* imported: when the source system confirmed or took up the signal */
        snprintf(out, size, "%s", strcmp(e->kind, "confirmed") == 0 ? _("confirmed (in the source system)")
                                                                    : _("acknowledged (in the source system)"));
    } else if (strcmp(e->kind, "comment") == 0) {
        snprintf(out, size, "%s", e->public ? _("public comment") : _("internal note"));
    } else {
        snprintf(out, size, "%s %s → %s", field_label(e->kind), value_text(e->kind, e->old_value, a, sizeof a),
                 value_text(e->kind, e->new_value, b, sizeof b));
    }
}

static void build_lines(struct signal_st *s, struct app *app, const struct event_list *events)
{
    int w = app->cols - 2, i;
    time_t now = now_time();
    char buf[1024];

    clear_lines(s);
    s->width = app->cols;
    add_wrapped(s, s->sig.description, w, R_NORMAL, 1);
    for (i = 0; i < s->sig.nattachments; i++) {
        snprintf(buf, sizeof buf, _("Attachment: %s"), s->sig.attachments[i]);
        add_wrapped(s, buf, w, R_DIM, 1);
    }
    if (s->sig.duplicate_of[0]) {
        char line[1024];

        snprintf(buf, sizeof buf, _("Duplicate of %s · Enter opens it"), s->sig.duplicate_of);
        add_line(s, buf, strlen(buf), R_RULE, -1);
        if (s->main_row.id) {
            line[0] = '\0';
            fmt_cell(line, sizeof line, s->main_row.reg_no, 15, 0);
            fmt_cell(line, sizeof line, "", 1, 0);
            fmt_cell(line, sizeof line, status_label(s->main_row.status), 11, 0);
            fmt_cell(line, sizeof line, "", 1, 0);
            fmt_cell(line, sizeof line, s->main_row.summary, w - 28, 0);
            add_line(s, line, strlen(line), R_NORMAL, 1);
        }
    }
    if (s->nmerged > 0) {
        snprintf(buf, sizeof buf, _("Merged into this one (%d)"), s->total_merged);
        add_line(s, buf, strlen(buf), R_RULE, -1);
        for (i = 0; i < s->nmerged; i++) {
            char line[1024];

            line[0] = '\0';
            fmt_cell(line, sizeof line, s->merged[i].reg_no, 15, 0);
            fmt_cell(line, sizeof line, "", 1, 0);
            fmt_cell(line, sizeof line, s->merged[i].summary, w - 16, 0);
            add_line(s, line, strlen(line), R_NORMAL, 1);
        }
        if (s->total_merged > s->nmerged) {
            snprintf(buf, sizeof buf, _("… and %d more"), s->total_merged - s->nmerged);
            add_line(s, buf, strlen(buf), R_DIM, 1);
        }
    }
    if (s->cands.n > 0) {
        char line[2048];

        add_line(s, _("Possible duplicates · F7 shows them all"), strlen(_("Possible duplicates · F7 shows them all")),
                 R_RULE, -1);
        dupe_format_header(w, 0, line, sizeof line);
        add_line(s, line, strlen(line), R_TITLE, 1);
        for (i = 0; i < s->cands.n; i++) {
            dupe_format_line(&s->cands.items[i], w, 0, 0, 0, line, sizeof line);
            add_line(s, line, strlen(line), R_NORMAL, 1);
        }
    }
    {
        char title[64];

        snprintf(title, sizeof title, "%s", _("History"));
        add_line(s, title, strlen(title), R_RULE, -1);
    }
    if (events->truncated)
        add_wrapped(s, _("(older events are not shown)"), w, R_DIM, 1);
    for (i = 0; i < events->n; i++) {
        const struct event *e = &events->items[i];
        char when[32], what[600];

        fmt_short(now, e->at, when, sizeof when);
        describe_event(e, what, sizeof what);
        snprintf(buf, sizeof buf, "%s %-10s %s", when, e->actor, what);
        add_wrapped(s, buf, w, R_NORMAL, 1);
        if (e->comment && *e->comment) {
            snprintf(buf, sizeof buf, "%s %s", e->public ? _("[public]") : _("[internal]"), e->comment);
            add_wrapped(s, buf, w - 12, e->public ? R_PUBLIC : R_DIM, 13);
        }
    }
}

static int load(struct signal_st *s, struct app *app)
{
    struct event_list events;
    enum db_status rc;

    if (s->loaded)
        signal_free(&s->sig);
    s->loaded = 0;
    rc = signal_load(app->db, s->id, &s->sig);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return -1;
    }
    s->loaded = 1;
    dupe_list_free(&s->cands);
    s->nmerged = s->total_merged = 0;
    s->main_id = 0;
    if (s->sig.duplicate_of[0]) {
        long long dup_id;

        int n = 0;

        memset(&s->main_row, 0, sizeof s->main_row);
        rc = dupes_lookup(app->db, s->sig.duplicate_of, &dup_id, &s->main_id);
        if (rc == DB_OK && s->main_id)
            rc = dupes_rows(app->db, &s->main_id, 1, &s->main_row, &n);
        if (n != 1)
            memset(&s->main_row, 0, sizeof s->main_row);
    } else {
        struct dupe_params p;

        dupe_params_from_config(app->cfg, &p);
        rc = dupes_for_signal(app->db, s->id, &p, SHOWN_DUPES, &s->cands);
        if (rc == DB_OK)
            rc = dupes_of(app->db, s->id, s->merged, SHOWN_DUPES, &s->nmerged, &s->total_merged);
    }
    if (rc != DB_OK)
        ui_db_error(app, rc);
    rc = signal_events(app->db, s->id, &events);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        memset(&events, 0, sizeof events);
    }
    build_lines(s, app, &events);
    event_list_free(&events);
    return 0;
}

static void *open_signal(struct app *app, const void *arg)
{
    struct signal_st *s = xcalloc(1, sizeof *s);

    s->id = *(const long long *)arg;
    if (load(s, app) < 0) {
        free(s);
        return NULL;
    }
    return s;
}

static void close_signal(void *st)
{
    struct signal_st *s = st;

    clear_lines(s);
    free(s->lines);
    if (s->loaded)
        signal_free(&s->sig);
    dupe_list_free(&s->cands);
    free(s);
}

#define HEAD_ROWS 7
#define LABEL_W 10

/* "Label     value" with the label in its own colour; the value is cut at width. */
static void field(int y, int x, int width, const char *label, const char *value)
{
    int lw = LABEL_W;

    if (utf8_width(label) + 1 > lw)
        lw = utf8_width(label) + 1;
    ui_text(y, x, lw, label, R_TITLE);
    ui_text(y, x + lw, width - lw, value, R_NORMAL);
}

static void draw_signal(void *st, struct app *app)
{
    struct signal_st *s = st;
    const struct signal *g = &s->sig;
    time_t now = now_time();
    char buf[1024], a[128], b[128];
    int right = 44, body, i;

    if (!s->loaded) {
        ui_text(1, 1, app->cols - 2, _("The signal could not be read."), R_ERROR);
        return;
    }
    snprintf(buf, sizeof buf, " %s%s · %s · %s · %s", g->reg_no,
             strcmp(g->kind, "question") == 0 ? _(" (question)") : "", status_label(g->status),
             g->category[0] ? g->category : _("no category"), g->district[0] ? g->district : _("no district"));
    ui_text_pad(0, 0, app->cols, buf, R_HEADER);

    /* whole lines for what can be long; pairs where both halves are short */
    fmt_datetime(g->created, a, sizeof a);
    snprintf(buf, sizeof buf, "%s, %s", a, channel_label(g->channel));
    field(1, 1, app->cols - 2, _("Received"), buf);

    if (g->has_due) {
        fmt_datetime(g->due, a, sizeof a);
        a[10] = '\0';   /* the date is enough */
        fmt_due(now, g->due, b, sizeof b);
        snprintf(buf, sizeof buf, "%s (%s)", a, b);
    } else {
        snprintf(buf, sizeof buf, "—");
    }
    field(2, 1, right - 2, _("Due"), buf);
    field(2, right, app->cols - right - 1, _("Priority"), priority_label(g->priority));

    if (g->has_location)
        snprintf(buf, sizeof buf, "%s  (%.4f, %.4f)", g->address[0] ? g->address : "—", g->lat, g->lon);
    else
        snprintf(buf, sizeof buf, "%s", g->address[0] ? g->address : "—");
    field(3, 1, app->cols - 2, _("Address"), buf);

    field(4, 1, app->cols - 2, _("Unit"), g->unit[0] ? g->unit : "—");

    if (g->assignee[0])
        snprintf(buf, sizeof buf, "%s", g->assignee_name[0] ? g->assignee_name : g->assignee);
    else
        snprintf(buf, sizeof buf, "—");
    field(5, 1, right - 2, _("Taken by"), buf);
    if (g->duplicate_of[0])
        field(5, right, app->cols - right - 1, _("Duplicate of"), g->duplicate_of);

    if (g->nreporters > 0) {
        const struct reporter *r = &g->reporters[0];

        snprintf(buf, sizeof buf, "%s", r->name[0] ? r->name : _("anonymous"));
        if (r->phone[0])
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " · %s", r->phone);
        if (r->email[0])
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " · %s", r->email);
        if (r->contacts_hidden)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " · %s", _("contacts of another unit"));
        if (r->wants_updates)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " · %s", _("wants updates"));
        if (g->nreporters > 1)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
                     ngettext(" (+%d more)", " (+%d more)", (unsigned long)(g->nreporters - 1)),
                     g->nreporters - 1);
    } else {
        snprintf(buf, sizeof buf, "—");
    }
    field(6, 1, app->cols - 2, _("Reporter"), buf);

    body = app->rows - 2 - HEAD_ROWS;
    if (s->top > s->nlines - body)
        s->top = s->nlines - body;
    if (s->top < 0)
        s->top = 0;
    for (i = 0; i < body && s->top + i < s->nlines; i++) {
        const struct line *l = &s->lines[s->top + i];

        if (l->indent < 0)
            ui_hline(HEAD_ROWS + i, 1, app->cols - 2, l->text, l->role);
        else
            ui_text(HEAD_ROWS + i, l->indent, app->cols - l->indent - 1, l->text, l->role);
    }
}

static void status_signal(void *st, struct app *app, char *left, size_t lsize, char *right, size_t rsize)
{
    struct signal_st *s = st;
    int body = app->rows - 2 - HEAD_ROWS;

    snprintf(left, lsize, "%s", s->loaded ? s->sig.reg_no : "");
    if (s->nlines > body)
        snprintf(right, rsize, "%d–%d/%d", s->top + 1,
                 s->top + body < s->nlines ? s->top + body : s->nlines, s->nlines);
}

static enum handled handle_signal(void *st, struct app *app, enum action act, int key)
{
    struct signal_st *s = st;
    int body = app->rows - 2 - HEAD_ROWS;

    (void)key;
    switch (act) {
    case ACT_MOVE_DOWN: s->top++; return HANDLED;
    case ACT_MOVE_UP: s->top--; return HANDLED;
    case ACT_PAGE_DOWN: s->top += body - 1; return HANDLED;
    case ACT_PAGE_UP: s->top -= body - 1; return HANDLED;
    case ACT_FIRST: s->top = 0; return HANDLED;
    case ACT_LAST: s->top = s->nlines; return HANDLED;
    case ACT_MOVE:
        if (s->loaded) {
            struct sig_ref one;

            one.id = s->id;
            one.version = s->sig.version;
            str_copy(one.reg_no, sizeof one.reg_no, s->sig.reg_no);
            if (flow_move(app, &one, 1) > 0) {
                load(s, app);
                s->top = s->nlines;     /* show the new events */
            } else {
                load(s, app);
            }
        }
        return HANDLED;
    case ACT_OPEN:
        if (s->main_id)
            ui_push(app, &signal_screen, &s->main_id);
        else
            ui_message(app, MSG_INFO, "%s", _("This signal is no one's duplicate; F7 shows its possible duplicates."));
        return HANDLED;
    case ACT_DUPES:
    case ACT_MERGE:
        if (s->loaded) {
            struct dupes_arg a;

            memset(&a, 0, sizeof a);
            a.signal_id = s->main_id ? s->main_id : s->id;
            ui_push(app, &dupes_screen, &a);
        }
        return HANDLED;
    case ACT_UNMERGE:
        if (s->loaded) {
            flow_unmerge(app, s->id);
            load(s, app);
        }
        return HANDLED;
    case ACT_STATUS:
        if (s->loaded && flow_change_status(app, s->id, s->sig.version, s->sig.status)) {
            load(s, app);
            s->top = s->nlines;     /* show the new event */
        } else if (s->loaded) {
            load(s, app);           /* after a conflict: the signal as it is now */
        }
        return HANDLED;
    case ACT_TAKE:
        /* done with this one: the queue below takes the next */
        app->pending_action = ACT_TAKE;
        ui_pop(app);
        return HANDLED;
    default:
        if (s->loaded && flow_signal_action(app, act, s->id, s->sig.version) == HANDLED) {
            int before = s->nlines;

            load(s, app);
            if (s->nlines != before)
                s->top = s->nlines;     /* show the new event */
            return HANDLED;
        }
        return NOT_HANDLED;
    }
}

static void reload_signal(void *st, struct app *app)
{
    load(st, app);
}

const struct screen_ops signal_screen = {
    .name = "signal",
    .scope = SCOPE_SIGNAL,
    .open = open_signal,
    .close = close_signal,
    .draw = draw_signal,
    .handle = handle_signal,
    .reload = reload_signal,
    .status = status_signal,
};

/* Intake: a new signal typed in during a phone call.  The fields in the
 * order a call goes (what, where, who), readline in each text field,
 * type-ahead pickers for the lists, the district found from the place,
 * and after saving the registration number in letters large enough to read
 * out.  A lost connection loses nothing: saving waits and tries again. */

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bigtext.h"
#include "dupefmt.h"
#include "dupes.h"
#include "dupeview.h"
#include "flows.h"
#include "i18n.h"
#include "intake.h"
#include "lineedit.h"
#include "timefmt.h"
#include "triage.h"
#include "ui.h"
#include "util.h"

enum mode { MODE_EDIT, MODE_SAVED };

struct intake_st {
    struct intake in;
    enum mode mode;
    enum intake_field focus;
    enum intake_field bad;          /* marked after a failed check; IF_COUNT: none */
    int pending_save;               /* the connection dropped while saving */
    int retry_now;                  /* ... and it is back */
    struct intake_result res;
    struct ref_list districts;      /* read once, for finding the district */
    int have_districts;
    struct dupe_list cands;         /* possible duplicates of what is typed so far */
    int added;                      /* saved by adding the caller to an existing signal */
    struct app *app;
};

/* Each field's own history for the whole session (Up/Down in the field). */
static void *field_history[IF_COUNT];

struct geom {
    int y, x, w, h;     /* the value's area */
    int label_x;
};

static const char *field_label(const struct intake_st *st, enum intake_field f)
{
    switch (f) {
    case IF_CATEGORY: return _("Category");
    case IF_ADDRESS: return _("Address");
    case IF_DESCRIPTION: return strcmp(st->in.kind, "question") == 0 ? _("Question") : _("Description");
    case IF_ANSWER: return _("Answer");
    case IF_NAME: return _("Reporter");
    case IF_PHONE: return _("Phone");
    case IF_EMAIL: return _("E-mail");
    case IF_UPDATES: return _("Updates");
    case IF_DISTRICT: return _("District");
    case IF_COORDS: return _("Coordinates");
    case IF_ATTACHMENTS: return _("Attachments");
    case IF_CHANNEL: return _("Channel");
    case IF_KIND: return _("Type");
    default: return "";
    }
}

#define LABEL_X 2
#define VALUE_X 15

/* Where each field is: full-width rows for what can be long, pairs of
 * short ones side by side; rows follow the order of a call. */
static void geometry(const struct intake_st *st, const struct app *app, enum intake_field f, struct geom *g)
{
    int question = strcmp(st->in.kind, "question") == 0;
    int rx = app->cols * 46 / 80, rvx = rx + 12, full = app->cols - VALUE_X - 1;
    int shift = question ? 3 : 0;

    g->h = 1;
    g->label_x = LABEL_X;
    g->x = VALUE_X;
    g->w = full;
    switch (f) {
    case IF_CATEGORY: g->y = 2; break;
    case IF_ADDRESS: g->y = 3; break;
    case IF_DESCRIPTION: g->y = 4; g->h = 4; break;
    case IF_ANSWER: g->y = 8; g->h = 3; break;
    case IF_NAME: g->y = 8 + shift; g->w = rx - VALUE_X - 2; break;
    case IF_PHONE: g->y = 8 + shift; g->label_x = rx; g->x = rvx; g->w = app->cols - rvx - 1; break;
    case IF_EMAIL: g->y = 9 + shift; g->w = rx - VALUE_X - 2; break;
    case IF_UPDATES: g->y = 9 + shift; g->label_x = rx; g->x = rvx; g->w = app->cols - rvx - 1; break;
    case IF_DISTRICT: g->y = 10 + shift; g->w = rx - VALUE_X - 2; break;
    case IF_COORDS: g->y = 10 + shift; g->label_x = rx; g->x = rvx; g->w = app->cols - rvx - 1; break;
    case IF_ATTACHMENTS: g->y = 11 + shift; g->h = 2; break;
    case IF_CHANNEL: g->y = 13 + shift; g->w = rx - VALUE_X - 2; break;
    case IF_KIND: g->y = 13 + shift; g->label_x = rx; g->x = rvx; g->w = app->cols - rvx - 1; break;
    default: g->y = 0; break;
    }
}

static enum intake_field next_field(const struct intake_st *st, enum intake_field f, int dir)
{
    do
        f = (enum intake_field)(((int)f + dir + IF_COUNT) % IF_COUNT);
    while (!intake_field_shown(&st->in, f));
    return f;
}

/* ---- finding the district --------------------------------------------- */

static const char *source_note(enum district_source s)
{
    switch (s) {
    case DSRC_COORDS: return _("(from the coordinates)");
    case DSRC_ADDRESS:
    case DSRC_HISTORY: return _("(from the address)");   /* named in it, or where earlier signals there were */
    default: return "";
    }
}

static void set_district(struct intake_st *st, int id, enum district_source src)
{
    int i;

    st->in.district_id = id;
    st->in.district_src = id ? src : DSRC_NONE;
    st->in.district[0] = '\0';
    for (i = 0; i < st->districts.n; i++)
        if (st->districts.items[i].id == id)
            str_copy(st->in.district, sizeof st->in.district, st->districts.items[i].name);
}

/* From the coordinates, else a district the address names, else where
 * earlier signals at the same address were; never over a choice by hand. */
static void derive_district(struct intake_st *st, struct app *app)
{
    struct district_ref *refs;
    double lat, lon;
    int i, k, id = 0;
    enum db_status rc;

    if (st->in.district_src == DSRC_HAND)
        return;
    if (!st->have_districts) {
        rc = ref_districts(app->db, &st->districts);
        if (rc != DB_OK) {
            if (rc == DB_LOST)
                ui_db_error(app, rc);
            return;
        }
        st->have_districts = 1;
    }
    refs = xcalloc((size_t)(st->districts.n ? st->districts.n : 1), sizeof *refs);
    for (i = 0; i < st->districts.n; i++) {
        refs[i].id = (int)st->districts.items[i].id;
        refs[i].name = st->districts.items[i].name;
        refs[i].lat = st->districts.items[i].lat;
        refs[i].lon = st->districts.items[i].lon;
        refs[i].radius_km = st->districts.items[i].radius_km;
    }
    if (parse_coords(intake_text(&st->in, IF_COORDS), &lat, &lon) == 0 &&
        (k = district_nearest(lat, lon, refs, st->districts.n)) >= 0) {
        set_district(st, refs[k].id, DSRC_COORDS);
    } else if ((k = district_in_address(intake_text(&st->in, IF_ADDRESS), refs, st->districts.n)) >= 0) {
        set_district(st, refs[k].id, DSRC_ADDRESS);
    } else if (!str_empty(intake_text(&st->in, IF_ADDRESS)) &&
               district_of_address(app->db, intake_text(&st->in, IF_ADDRESS), &id) == DB_OK && id) {
        set_district(st, id, DSRC_HISTORY);
    } else {
        set_district(st, 0, DSRC_NONE);
    }
    free(refs);
}

static void suggest_address(void *ctx, const char *line, char *out, size_t size)
{
    struct intake_st *st = ctx;
    struct app *app = st->app;
    enum db_status rc = address_suggestion(app->db, line, out, size);

    if (rc != DB_OK) {
        out[0] = '\0';
        if (rc == DB_LOST)
            ui_db_error(app, rc);
    }
}

/* ---- drawing ---------------------------------------------------------- */

static void value_text(const struct intake_st *st, enum intake_field f, char *buf, size_t size, enum ui_role *role)
{
    *role = R_NORMAL;
    buf[0] = '\0';
    switch (f) {
    case IF_CATEGORY:
        if (st->in.category_id)
            snprintf(buf, size, "%s", st->in.category);
        else
            snprintf(buf, size, "%s", _("type a few letters to find it (osv finds осветление)")), *role = R_DIM;
        return;
    case IF_DISTRICT:
        if (st->in.district_id)
            snprintf(buf, size, "%s  %s", st->in.district, source_note(st->in.district_src));
        else
            snprintf(buf, size, "%s", _("found from the address")), *role = R_DIM;
        return;
    case IF_UPDATES:
        snprintf(buf, size, "%s", st->in.wants_updates ? _("yes, by e-mail") : _("no"));
        return;
    case IF_CHANNEL:
        snprintf(buf, size, "%s", channel_label(st->in.channel));
        return;
    case IF_KIND:
        snprintf(buf, size, "%s", strcmp(st->in.kind, "question") == 0 ? _("question") : _("problem"));
        return;
    case IF_COORDS:
        if (str_empty(intake_text(&st->in, f)))
            snprintf(buf, size, "%s", _("lat, lon")), *role = R_DIM;
        else
            snprintf(buf, size, "%s", intake_text(&st->in, f));
        return;
    case IF_ATTACHMENTS:
        if (str_empty(intake_text(&st->in, f)))
            snprintf(buf, size, "%s", _("links or file paths, one per line")), *role = R_DIM;
        else
            snprintf(buf, size, "%s", intake_text(&st->in, f));
        return;
    default:
        snprintf(buf, size, "%s", intake_text(&st->in, f));
        return;
    }
}

/* Text in an area, broken at line breaks and between words at the width. */
static void draw_area(int y, int x, int w, int h, const char *s, enum ui_role role)
{
    int row = 0;

    while (row < h && *s) {
        size_t n = strcspn(s, "\n"), fit;
        char line[2048];

        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), s);
        fit = utf8_fit(line, w);
        if (fit < strlen(line)) {
            size_t cut = fit;

            while (cut > 0 && line[cut] != ' ')
                cut--;
            if (cut > 0)
                fit = cut;
            line[fit] = '\0';
            n = fit;
            ui_text(y + row, x, w, line, role);
            s += n;
            while (*s == ' ')
                s++;
        } else {
            ui_text(y + row, x, w, line, role);
            s += n;
            if (*s == '\n')
                s++;
        }
        row++;
    }
}

/* The hint under the form for the field being typed in. */
static const char *field_hint(enum intake_field f)
{
    switch (f) {
    case IF_CATEGORY:
    case IF_DISTRICT:
        return _("Type to search the list (Latin finds Cyrillic); Delete clears.");
    case IF_ADDRESS:
        return _("An earlier address that fits shows dimmed: → or End takes it.");
    case IF_DESCRIPTION:
    case IF_ANSWER:
    case IF_ATTACHMENTS:
        return _("Enter starts a new line; Tab goes on.");
    case IF_UPDATES:
        return _("Space or y/n: does the citizen want e-mails about each change?");
    case IF_CHANNEL:
    case IF_KIND:
        return _("Space or a letter opens the list.");
    default:
        return _("Up and Down bring back what was typed here before.");
    }
}

static void draw_form(struct intake_st *st, struct app *app)
{
    int f, y;
    char buf[1024];
    struct geom g;

    ui_text_pad(0, 0, app->cols, _(" New signal"), R_HEADER);
    ui_text(0, app->cols - utf8_width(app->me.login) - 1, utf8_width(app->me.login), app->me.login, R_HEADER);
    for (f = 0; f < IF_COUNT; f++) {
        enum ui_role role, lrole;
        int focused = f == (int)st->focus;

        if (!intake_field_shown(&st->in, (enum intake_field)f))
            continue;
        geometry(st, app, (enum intake_field)f, &g);
        snprintf(buf, sizeof buf, "%s%s", field_label(st, (enum intake_field)f),
                 intake_required(&st->in, (enum intake_field)f) ? "*" : "");
        lrole = f == (int)st->bad ? R_ERROR : focused ? R_TAB_ACTIVE : R_TITLE;
        ui_text(g.y, g.label_x, 12, buf, lrole);
        if (focused)
            ui_text(g.y, g.label_x == LABEL_X ? 0 : g.label_x - 2, 1, "▶", R_TITLE);
        value_text(st, (enum intake_field)f, buf, sizeof buf, &role);
        if (focused && !intake_is_text((enum intake_field)f)) {
            ui_fill(g.y, g.x, g.w, R_CURSOR);
            ui_text(g.y, g.x, g.w, buf, R_CURSOR);
        } else if (!(focused && role == R_DIM)) {
            draw_area(g.y, g.x, g.w, g.h, buf, role);
        }
    }
    geometry(st, app, IF_KIND, &g);
    y = g.y + 2;
    ui_hline(y, 1, app->cols - 2, NULL, R_RULE);
    ui_text(y + 1, 2, app->cols - 3,
            _("Tab/Shift-Tab: field · Enter: next · F2: save · F5: answers · Esc: cancel"), R_DIM);
    ui_text(y + 2, 2, app->cols - 3, field_hint(st->focus), R_DIM);
    y += 3;
    if (st->cands.n > 0 && y + 2 < app->rows - 2) {
        snprintf(buf, sizeof buf, _("Possible duplicates (%d) · F7: the caller reports one of them"), st->cands.n);
        ui_hline(y, 1, app->cols - 2, buf, R_RULE);
        dupeview_draw(y + 1, 1, app->cols - 2, app->rows - 2 - (y + 1), &st->cands, 0, -1, NULL);
    }
}

static void draw_saved(struct intake_st *st, struct app *app)
{
    char rows[BIGTEXT_ROWS][1024], buf[512], date[32];
    int w = bigtext_width(st->res.reg_no), x, i, y = 4;

    ui_text_pad(0, 0, app->cols, st->added ? _(" New signal — the caller added to an existing one")
                                           : _(" New signal — saved"), R_HEADER);
    ui_text(0, app->cols - utf8_width(app->me.login) - 1, utf8_width(app->me.login), app->me.login, R_HEADER);
    ui_text(2, 2, app->cols - 4, _("Registration number — read it out to the caller:"), R_NORMAL);
    if (w > 0 && w <= app->cols - 4 && bigtext_render(st->res.reg_no, rows, sizeof rows[0]) > 0) {
        x = (app->cols - w) / 2;
        for (i = 0; i < BIGTEXT_ROWS; i++)
            ui_text(y + i, x, w, rows[i], R_TITLE);
        y += BIGTEXT_ROWS + 1;
    }
    snprintf(buf, sizeof buf, "%s", st->res.reg_no);
    ui_text((app->cols - utf8_width(buf)) / 2 > 0 ? y : y, (app->cols - utf8_width(buf)) / 2, utf8_width(buf), buf,
            R_TITLE);
    y += 2;
    snprintf(buf, sizeof buf, _("Status: %s"), status_label(st->res.status));
    ui_text(y++, 2, app->cols - 4, buf, R_NORMAL);
    snprintf(buf, sizeof buf, _("Responsible: %s"), st->res.unit[0] ? st->res.unit : "—");
    ui_text(y++, 2, app->cols - 4, buf, R_NORMAL);
    if (st->res.has_due) {
        time_t due = (time_t)st->res.due;

        fmt_datetime(due, date, sizeof date);
        date[10] = '\0';
        snprintf(buf, sizeof buf, _("Due: %s"), date);
        ui_text(y++, 2, app->cols - 4, buf, R_NORMAL);
    }
    y++;
    ui_text(y, 2, app->cols - 4, _("Enter: open the signal · F2: next call · Esc: back"), R_DIM);
}

static void draw_intake(void *vst, struct app *app)
{
    struct intake_st *st = vst;

    if (st->mode == MODE_SAVED)
        draw_saved(st, app);
    else
        draw_form(st, app);
}

/* ---- saving ----------------------------------------------------------- */

static void say_waiting(struct app *app)
{
    ui_message(app, MSG_ERROR, "%s", _("No connection: nothing is lost; it is saved once it is back."));
}

static int save(struct intake_st *st, struct app *app)
{
    char why[512];
    enum intake_field bad = intake_check(&st->in, why, sizeof why);
    time_t now = now_time();
    enum db_status rc;

    if (bad != IF_COUNT) {
        st->bad = bad;
        st->focus = bad;
        ui_message(app, MSG_ERROR, "%s", why);
        return 0;
    }
    st->bad = IF_COUNT;
    rc = intake_save(app->db, &st->in, app->cfg->regno_format, localtime(&now)->tm_year + 1900, &st->res);
    if (rc == DB_LOST) {
        ui_db_error(app, rc);
        st->pending_save = 1;
        say_waiting(app);
        return 0;
    }
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return 0;
    }
    st->pending_save = 0;
    st->mode = MODE_SAVED;
    if (st->res.created)
        ui_message(app, MSG_INFO, _("Saved as %s."), st->res.reg_no);
    else
        ui_message(app, MSG_INFO, _("It had been saved before the connection dropped: %s."), st->res.reg_no);
    return 1;
}

/* Instead of a new signal: the caller reports one that is already there
 * (chosen among the possible duplicates) and becomes one more of its
 * reporters; its number is theirs.  Returns 1 when added. */
static int add_caller(struct intake_st *st, struct app *app)
{
    const char **items;
    char **lines, why[256];
    struct reporter rep;
    struct signal sig;
    long long id;
    enum db_status rc;
    int i, choice, width = app->cols - 6;

    if (st->cands.n == 0) {
        ui_message(app, MSG_INFO, "%s", _("No possible duplicates of what is typed so far (an address or "
                                          "coordinates are needed to look)."));
        return 0;
    }
    if (!str_empty(intake_text(&st->in, IF_PHONE)) && !phone_ok(intake_text(&st->in, IF_PHONE))) {
        st->focus = st->bad = IF_PHONE;
        ui_message(app, MSG_ERROR, "%s", _("That is not a phone number."));
        return 0;
    }
    if (!str_empty(intake_text(&st->in, IF_EMAIL)) && !email_ok(intake_text(&st->in, IF_EMAIL))) {
        st->focus = st->bad = IF_EMAIL;
        ui_message(app, MSG_ERROR, "%s", _("That is not an e-mail address."));
        return 0;
    }
    items = xcalloc((size_t)st->cands.n, sizeof *items);
    lines = xcalloc((size_t)st->cands.n, sizeof *lines);
    for (i = 0; i < st->cands.n; i++) {
        lines[i] = xmalloc(1024);
        dupe_format_line(&st->cands.items[i], width, 0, 0, 0, lines[i], 1024);
        items[i] = lines[i];
    }
    choice = ui_menu(app, _("The caller reports which signal?"), items, st->cands.n, 0);
    id = choice >= 0 ? st->cands.items[choice].id : 0;
    for (i = 0; i < st->cands.n; i++)
        free(lines[i]);
    free(lines);
    free(items);
    if (choice < 0)
        return 0;
    memset(&rep, 0, sizeof rep);
    str_copy(rep.name, sizeof rep.name, intake_text(&st->in, IF_NAME));
    str_copy(rep.phone, sizeof rep.phone, intake_text(&st->in, IF_PHONE));
    str_copy(rep.email, sizeof rep.email, intake_text(&st->in, IF_EMAIL));
    rep.wants_updates = st->in.wants_updates;
    rc = dupes_add_reporter(app->db, &id, &rep, st->in.channel);
    if (rc != DB_OK) {
        ui_db_error(app, rc);
        return 0;
    }
    memset(&sig, 0, sizeof sig);
    memset(&st->res, 0, sizeof st->res);
    st->res.id = id;
    if (signal_load(app->db, id, &sig) == DB_OK) {
        str_copy(st->res.reg_no, sizeof st->res.reg_no, sig.reg_no);
        str_copy(st->res.status, sizeof st->res.status, sig.status);
        str_copy(st->res.unit, sizeof st->res.unit, sig.unit);
        st->res.has_due = sig.has_due;
        st->res.due = (long long)sig.due;
    }
    signal_free(&sig);
    st->res.created = 1;
    st->added = 1;
    st->mode = MODE_SAVED;
    snprintf(why, sizeof why, _("The caller was added as a reporter of %s."), st->res.reg_no);
    ui_message(app, MSG_INFO, "%s", why);
    return 1;
}

/* Asked after each attempt to reconnect: a save that waits says so (over
 * the general "no connection" line) until it can go. */
static int poll_retry(void *ctx)
{
    struct intake_st *st = ctx;

    if (st->pending_save && st->app->lost)
        say_waiting(st->app);
    return st->retry_now;
}

/* ---- the form --------------------------------------------------------- */

static void reset(struct intake_st *st)
{
    intake_free(&st->in);
    intake_init(&st->in);
    st->mode = MODE_EDIT;
    st->focus = IF_CATEGORY;
    st->bad = IF_COUNT;
    st->pending_save = st->retry_now = 0;
    st->added = 0;
    memset(&st->res, 0, sizeof st->res);
    dupe_list_free(&st->cands);
}

static void refresh_candidates(struct intake_st *st, struct app *app);

static void *open_intake(struct app *app, const void *arg)
{
    struct intake_st *st = xcalloc(1, sizeof *st);
    char dir[4096];

    (void)arg;
    st->app = app;
    intake_init(&st->in);
    reset(st);
    /* a form the console was ended in (a dropped connection, a shutdown) */
    if (state_path("", dir, sizeof dir) == 0) {
        struct intake kept;

        if (intake_draft_take(&kept, dir)) {
            intake_free(&st->in);
            st->in = kept;
            /* the caller's problem may have been reported meanwhile */
            refresh_candidates(st, app);
            ui_message(app, MSG_INFO, "%s",
                       _("The unsaved signal from last time is back: check it and save."));
        }
    }
    return st;
}

void intake_mention_drafts(struct app *app)
{
    char dir[4096];

    if (state_path("", dir, sizeof dir) == 0 && intake_draft_count(dir) > 0)
        ui_message(app, MSG_INFO, "%s",
                   _("An unsaved signal from last time is kept: F2 brings it back."));
}

static void close_intake(void *vst)
{
    struct intake_st *st = vst;
    char dir[4096];

    /* ended from outside (SIGHUP, SIGTERM) in the middle of a call: nothing
     * half-saved goes to the database; the form is kept for the next F2 */
    if (ui_terminated() && st->mode == MODE_EDIT && intake_dirty(&st->in) && state_path("", dir, sizeof dir) == 0)
        intake_draft_keep(&st->in, dir);
    intake_free(&st->in);
    ref_list_free(&st->districts);
    dupe_list_free(&st->cands);
    free(st);
}

/* 1: the form is to close. */
static int ask_discard(struct intake_st *st, struct app *app)
{
    if (!intake_dirty(&st->in))
        return 1;
    return ui_confirm(app, _("Throw away the signal typed so far?"));
}

enum outcome { GO_ON, LEAVE };

/* A function key pressed in the form. */
static enum outcome function_key(struct intake_st *st, struct app *app, int key)
{
    enum action act = keymap_lookup(key, SCOPE_GLOBAL | SCOPE_INTAKE);

    switch (act) {
    case ACT_SAVE:
        return save(st, app) ? LEAVE : GO_ON;
    case ACT_DUPES:
        return add_caller(st, app) ? LEAVE : GO_ON;
    case ACT_ANSWER: {
        char name[256];
        int cat = 0;
        char *text = flow_pick_answer(app, st->in.category_id, NULL, &cat, name, sizeof name);

        if (text) {
            str_copy(st->in.kind, sizeof st->in.kind, "question");
            intake_set_text(&st->in, IF_ANSWER, text);
            if (!st->in.category_id && cat) {
                st->in.category_id = cat;
                str_copy(st->in.category, sizeof st->in.category, name);
            }
            /* the question itself next, if it is not written yet */
            st->focus = str_empty(intake_text(&st->in, IF_DESCRIPTION)) ? IF_DESCRIPTION : IF_ANSWER;
            free(text);
        }
        return GO_ON;
    }
    case ACT_HELP:
        ui_push(app, &help_screen, NULL);
        return LEAVE;
    case ACT_QUIT:
        if (ask_discard(st, app))
            app->quit = 1;
        return app->quit ? LEAVE : GO_ON;
    case ACT_REDRAW:
        clearok(curscr, TRUE);
        return GO_ON;
    default:
        return GO_ON;
    }
}

/* The possible duplicates of the signal being typed: asked again whenever
 * what, where or the text changes, once there is a place to measure from. */
#define INTAKE_CANDIDATES 20
static void refresh_candidates(struct intake_st *st, struct app *app)
{
    struct dupe_draft d;
    struct dupe_params p;
    const char *coords = intake_text(&st->in, IF_COORDS);

    dupe_list_free(&st->cands);
    memset(&d, 0, sizeof d);
    d.category_id = st->in.category_id;
    d.district_id = st->in.district_id;
    d.has_location = !str_empty(coords) && parse_coords(coords, &d.lat, &d.lon) == 0;
    d.address = intake_text(&st->in, IF_ADDRESS);
    d.description = intake_text(&st->in, IF_DESCRIPTION);
    if (strcmp(st->in.kind, "question") == 0 || (!d.has_location && str_empty(d.address)))
        return;
    dupe_params_from_config(app->cfg, &p);
    if (dupes_for_draft(app->db, &d, &p, INTAKE_CANDIDATES, &st->cands) != DB_OK)
        dupe_list_free(&st->cands);     /* only a hint: the form goes on without it */
}

static void after_edit(struct intake_st *st, struct app *app, enum intake_field f)
{
    if (f == IF_ADDRESS || f == IF_COORDS)
        derive_district(st, app);
    if (f == IF_CATEGORY || f == IF_ADDRESS || f == IF_DESCRIPTION || f == IF_COORDS || f == IF_DISTRICT ||
        f == IF_KIND)
        refresh_candidates(st, app);
    if (f == st->bad && intake_check(&st->in, (char[8]){ 0 }, 8) != f)
        st->bad = IF_COUNT;
}

/* A key on a field chosen from a list (not typed). */
static enum outcome choice_key(struct intake_st *st, struct app *app, int key)
{
    enum intake_field f = st->focus;
    char filter[8] = "", name[256];
    int printable = !KEY_IS_FUNC(key) && key > ' ';

    switch (key) {
    case '\t':
    case '\n':
    case KEYF(KEY_ENTER):
        st->focus = next_field(st, f, 1);
        return GO_ON;
    case KEYF(KEY_BTAB):
        st->focus = next_field(st, f, -1);
        return GO_ON;
    case KEY_ESC:
    case KEY_CTRL('c'):
        if (ask_discard(st, app)) {
            ui_pop(app);
            return LEAVE;
        }
        return GO_ON;
    case KEYF(KEY_DC):
    case KEYF(KEY_BACKSPACE):
        if (f == IF_CATEGORY) {
            st->in.category_id = 0;
            st->in.category[0] = '\0';
        } else if (f == IF_DISTRICT) {
            set_district(st, 0, DSRC_NONE);
        } else if (f == IF_UPDATES) {
            st->in.wants_updates = 0;
        }
        after_edit(st, app, f);
        return GO_ON;
    default:
        break;
    }
    if (KEY_IS_FUNC(key) && key != KEYF(KEY_DOWN)) {
        int k = key & ~KEY_FUNC;

        if (k >= KEY_F(1) && k <= KEY_F(12))
            return function_key(st, app, key);
        return GO_ON;
    }
    if (printable) {
        unsigned cp = (unsigned)key;
        int n = 0;

        if (cp < 0x80) {
            filter[n++] = (char)cp;
        } else if (cp < 0x800) {
            filter[n++] = (char)(0xC0 | (cp >> 6));
            filter[n++] = (char)(0x80 | (cp & 0x3F));
        } else {
            filter[n++] = (char)(0xE0 | (cp >> 12));
            filter[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            filter[n++] = (char)(0x80 | (cp & 0x3F));
        }
        filter[n] = '\0';
    }
    switch (f) {
    case IF_CATEGORY: {
        int id = flow_pick_category(app, st->in.category_id, filter, name, sizeof name);

        if (id) {
            st->in.category_id = id;
            str_copy(st->in.category, sizeof st->in.category, name);
            after_edit(st, app, f);
            st->focus = next_field(st, f, 1);
        }
        return GO_ON;
    }
    case IF_DISTRICT: {
        int id = flow_pick_district(app, st->in.district_id, filter, name, sizeof name);

        if (!st->have_districts && ref_districts(app->db, &st->districts) == DB_OK)
            st->have_districts = 1;
        if (id) {
            set_district(st, id, DSRC_HAND);
            after_edit(st, app, f);
            st->focus = next_field(st, f, 1);
        }
        return GO_ON;
    }
    case IF_UPDATES:
        if (key == ' ')
            st->in.wants_updates = !st->in.wants_updates;
        else if (key == 'y' || key == 'Y' || key == 0x434 || key == 0x414)
            st->in.wants_updates = 1, st->focus = next_field(st, f, 1);
        else if (key == 'n' || key == 'N' || key == 0x43d || key == 0x41d)
            st->in.wants_updates = 0, st->focus = next_field(st, f, 1);
        return GO_ON;
    case IF_CHANNEL: {
        const char *items[8];
        size_t i;
        int cur = 0, choice;

        for (i = 0; i < channel_count && i < 8; i++) {
            items[i] = _(channel_table[i].label);
            if (strcmp(channel_table[i].code, st->in.channel) == 0)
                cur = (int)i;
        }
        {
            char title[64];

            snprintf(title, sizeof title, "%s ", _("Channel"));
            choice = ui_menu(app, title, items, (int)i, cur);
        }
        if (choice >= 0) {
            str_copy(st->in.channel, sizeof st->in.channel, channel_table[choice].code);
            st->focus = next_field(st, f, 1);
        }
        return GO_ON;
    }
    case IF_KIND: {
        const char *items[2] = { _("problem"), _("question (information request)") };
        char title[64];
        int choice;

        snprintf(title, sizeof title, "%s ", _("Type"));
        choice = ui_menu(app, title, items, 2, strcmp(st->in.kind, "question") == 0);

        if (choice >= 0)
            str_copy(st->in.kind, sizeof st->in.kind, choice ? "question" : "problem");
        return GO_ON;
    }
    default:
        return GO_ON;
    }
}

/* Waits for a key on a list field, keeping the connection watched. */
static int wait_key(struct intake_st *st, struct app *app)
{
    for (;;) {
        int key;

        if (app->script && app->lost)
            ui_idle(app);
        if (poll_retry(st))
            return 0;
        ui_redraw(app);
        key = ui_getkey(app);
        switch (key) {
        case PSEUDO_TICK:
            ui_idle(app);
            poll_retry(st);
            continue;
        case PSEUDO_NOTIFY:
            continue;
        case PSEUDO_LOST:
            ui_db_error(app, DB_LOST);
            continue;
        case KEYF(KEY_RESIZE):
            ui_resized(app);
            continue;
        default:
            app->msg[0] = '\0';
            return key;
        }
    }
}

/* The form runs here until it is saved, closed or left for help. */
static void form_loop(struct intake_st *st, struct app *app, int first_key)
{
    while (!app->quit) {
        enum intake_field f = st->focus;

        if (st->retry_now) {
            st->retry_now = 0;
            if (st->pending_save && save(st, app))
                return;
        }
        if (app->too_small)
            return;
        if (intake_is_text(f)) {
            struct le_opts o;
            struct geom g;
            enum le_end end;
            int key;
            char *text;

            geometry(st, app, f, &g);
            memset(&o, 0, sizeof o);
            o.y = g.y;
            o.x = g.x;
            o.width = g.w;
            o.height = g.h;
            o.multiline = intake_is_multiline(f);
            o.initial = intake_text(&st->in, f);
            o.first_key = first_key;
            o.history = &field_history[f];
            o.poll = poll_retry;
            o.ctx = st;
            if (f == IF_ADDRESS)
                o.suggest = suggest_address;
            first_key = 0;
            text = line_edit(app, &o, &end, &key);
            intake_set_text(&st->in, f, text);
            free(text);
            after_edit(st, app, f);
            app->msg[0] = '\0';
            switch (end) {
            case LE_ENTER:
            case LE_TAB:
                st->focus = next_field(st, f, 1);
                break;
            case LE_BTAB:
                st->focus = next_field(st, f, -1);
                break;
            case LE_ESC:
                if (ask_discard(st, app)) {
                    ui_pop(app);
                    return;
                }
                break;
            case LE_FKEY:
                if (function_key(st, app, key) == LEAVE)
                    return;
                break;
            case LE_EOF:
                return;
            case LE_POLL:
                break;
            }
        } else {
            int key = first_key ? first_key : wait_key(st, app);

            first_key = 0;
            if (key == 0)
                continue;   /* the connection is back: save */
            if (key == PSEUDO_EOF) {
                app->quit = 1;
                return;
            }
            if (choice_key(st, app, key) == LEAVE)
                return;
        }
    }
}

static enum handled handle_intake(void *vst, struct app *app, enum action act, int key)
{
    struct intake_st *st = vst;

    if (st->mode == MODE_SAVED) {
        long long id = st->res.id;

        switch (act) {
        case ACT_SAVE:
        case ACT_NEW:
            reset(st);
            form_loop(st, app, 0);
            return HANDLED;
        case ACT_OPEN:
            ui_pop(app);
            ui_push(app, &signal_screen, &id);
            return HANDLED;
        default:
            if (key == '\n' || key == KEYF(KEY_ENTER)) {
                ui_pop(app);
                ui_push(app, &signal_screen, &id);
                return HANDLED;
            }
            return NOT_HANDLED;
        }
    }
    /* help by its function key only: ? is text in a form */
    if ((act == ACT_HELP && KEY_IS_FUNC(key)) || act == ACT_REDRAW)
        return NOT_HANDLED;
    form_loop(st, app, key);
    return HANDLED;
}

/* After a reconnect (or coming back from help): a save that waited goes now. */
static void reload_intake(void *vst, struct app *app)
{
    struct intake_st *st = vst;

    (void)app;
    if (st->pending_save)
        st->retry_now = 1;
}

static void status_intake(void *vst, struct app *app, char *left, size_t lsize, char *right, size_t rsize)
{
    struct intake_st *st = vst;

    (void)app;
    (void)right;
    (void)rsize;
    if (st->mode == MODE_SAVED)
        snprintf(left, lsize, "%s", st->res.reg_no);
    else if (st->pending_save)
        snprintf(left, lsize, "%s", _("waiting for the connection to save (F2 tries now)"));
    else
        snprintf(left, lsize, "%s", _("new signal"));
}

const struct screen_ops intake_screen = {
    .name = "intake",
    .scope = SCOPE_INTAKE,
    .open = open_intake,
    .close = close_intake,
    .draw = draw_intake,
    .handle = handle_intake,
    .reload = reload_intake,
    .status = status_intake,
};

#ifndef SIGNALDESK_INTAKE_H
#define SIGNALDESK_INTAKE_H

#include <stddef.h>
#include <stdio.h>

/* A new signal as the operator types it during a call: the fields of the
 * intake form, in the order of the form (which is the Tab order), and the
 * checks before saving.  No curses, no database. */
enum intake_field {
    IF_CATEGORY, IF_ADDRESS, IF_DESCRIPTION, IF_ANSWER, IF_NAME, IF_PHONE, IF_EMAIL, IF_UPDATES,
    IF_DISTRICT, IF_COORDS, IF_ATTACHMENTS, IF_CHANNEL, IF_KIND,
    IF_COUNT
};

/* Where the district came from. */
enum district_source { DSRC_NONE, DSRC_HAND, DSRC_COORDS, DSRC_ADDRESS, DSRC_HISTORY };

struct intake {
    char key[40];               /* the form's own key: saving twice makes one signal */
    char kind[16];              /* "problem" or "question" */
    char channel[16];           /* "phone" ... */
    int category_id;            /* 0: none yet */
    char category[256];         /* "Parent › Child" */
    int district_id;            /* 0: none */
    char district[64];
    enum district_source district_src;
    int wants_updates;
    char *text[IF_COUNT];       /* the typed fields; NULL is empty */
};

void intake_init(struct intake *in);
void intake_free(struct intake *in);
/* Typed into (anything that would be lost by closing the form). */
int intake_dirty(const struct intake *in);
/* A field typed as text (the others are chosen from lists). */
int intake_is_text(enum intake_field f);
/* Fields of more than one line. */
int intake_is_multiline(enum intake_field f);
/* Shown only for questions (the answer). */
int intake_field_shown(const struct intake *in, enum intake_field f);
const char *intake_text(const struct intake *in, enum intake_field f);   /* "" when empty */
void intake_set_text(struct intake *in, enum intake_field f, const char *value);
/* Required for this kind of signal (marked in the form). */
int intake_required(const struct intake *in, enum intake_field f);

/* The first field, in the order of the form, that stops saving, with the
 * reason in why; IF_COUNT when the signal can be saved. */
enum intake_field intake_check(const struct intake *in, char *why, size_t size);

/* "42.6712, 23.3140", "42.6712 23.3140", "42,6712; 23,3140": latitude then
 * longitude.  0 when read, 1 when empty, -1 when not coordinates. */
int parse_coords(const char *s, double *lat, double *lon);
int email_ok(const char *s);
int phone_ok(const char *s);
/* One attachment: a URL (http, https, ftp, file) or an absolute path. */
int attachment_ok(const char *s);

struct district_ref {
    int id;
    const char *name;
    double lat, lon, radius_km;
};

/* The district whose centre is nearest, measured in its own radii; -1 when
 * the point is far from all of them. */
int district_nearest(double lat, double lon, const struct district_ref *d, int n);
/* A district the address names ("ж.к. Люлин, бл. 312", "Младост 1, бл. 23",
 * "кв. Лозенец"), not a street named after one ("бул. „Витоша“ 12"); the
 * longest name wins.  Index into d, or -1. */
int district_in_address(const char *address, const struct district_ref *d, int n);

/* ---- drafts: a form the console was ended in (SIGHUP, SIGTERM) --------- */

/* A draft is a small text file: a first line "signaldesk intake draft 1",
 * then "name<TAB>value" lines with \\, \n and \t escaped. */
int intake_draft_write(const struct intake *in, FILE *f);
/* 0 when read (in is filled), -1 when f is not a draft. */
int intake_draft_read(struct intake *in, FILE *f);
/* Keeps the form in a file of its own in dir, readable only by its owner
 * (it holds a citizen's contacts); written whole or not at all.  0, or -1. */
int intake_draft_keep(const struct intake *in, const char *dir);
/* Takes the oldest draft of dir into in and removes its file: 1 taken,
 * 0 none.  How many are there: intake_draft_count. */
int intake_draft_take(struct intake *in, const char *dir);
int intake_draft_count(const char *dir);

/* ---- saving (src/intake_store.c: the database side) ------------------- */

struct db;

struct intake_result {
    long long id;
    char reg_no[40];
    int created;            /* 0: it had been saved before (a retry) */
    char status[16];
    char unit[160];
    int has_due;
    long long due;          /* time_t */
};

/* Saves the signal in one transaction (number, routing, due date, reporter,
 * attachments, the first event; a question with an answer is closed).  The
 * form's key makes a second call after a lost connection find the signal
 * saved by the first instead of making another.  format: [signals]
 * reg_no_format; year: the registration year.  Returns an enum db_status. */
int intake_save(struct db *db, struct intake *in, const char *format, int year, struct intake_result *res);

#endif

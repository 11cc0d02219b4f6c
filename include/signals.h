#ifndef SIGNALDESK_SIGNALS_H
#define SIGNALDESK_SIGNALS_H

#include <stddef.h>
#include <time.h>

#include "db.h"
#include "sqlbuild.h"
#include "workflow.h"

#include "query.h"

/* What a queue or a search shows: which signals (a parsed query), in which
 * order, and the clock that since:/overdue are measured against. */
struct sig_view {
    const struct query *query;
    struct qsort sort;
    time_t now;
};

/* One line of a queue: only what the list shows. */
struct sig_row {
    long long id;
    char reg_no[40];
    char key[256];          /* the sort key as the database wrote it: the keyset key */
    time_t created_t;
    time_t updated_t;
    time_t due_t;           /* 0: no due date */
    char status[16];
    char category[128];
    char district[64];
    char unit[128];
    char channel[16];
    char address[128];
    char summary[256];      /* first line of the description, cut */
    char assignee[64];
    int priority;
    int overdue;
    int version;
};

/* Where a page starts: the key of the row next to it. */
struct sig_key {
    char value[256];
    long long id;
};

/* AFTER: the rows below key in the view's order; FROM: key's row and below;
 * BEFORE: the rows above key (returned in display order). */
enum page_dir { PAGE_FIRST, PAGE_AFTER, PAGE_FROM, PAGE_BEFORE, PAGE_LAST };

/* The person at the console: login is the database role. */
struct operator_info {
    char login[64];
    char name[128];
    int unit_id;            /* 0: none */
    char level[16];
};

enum db_status operator_load(struct db *db, struct operator_info *me);

/* Fetches up to `limit` rows in the view's order around `key` (not needed
 * for PAGE_FIRST/PAGE_LAST).  Rows come back in display order.  *more tells
 * whether further rows exist beyond the page in the direction of travel. */
enum db_status signals_page(struct db *db, const struct sig_view *v, enum page_dir dir, const struct sig_key *key,
                            int limit, struct sig_row *rows, int *nrows, int *more);
/* The first page without blocking the screen: _start sends the statement
 * (db_send), _finish takes the rows once the key loop saw the result come
 * (DB_PENDING while it runs). */
enum db_status signals_page_start(struct db *db, const struct sig_view *v, int limit);
enum db_status signals_page_finish(struct db *db, int limit, struct sig_row *rows, int *nrows, int *more);

/* How many signals a view holds.  The whole table is the planner's estimate
 * (*approx = 1, shown as "≈"); a count that reaches `cap` stops there
 * (*approx = 2, shown as "cap+"); else exact (*approx = 0). */
enum db_status signals_count(struct db *db, const struct sig_view *v, long long cap, long long *count, int *approx);
enum db_status signals_count_start(struct db *db, const struct sig_view *v, long long cap);
enum db_status signals_count_finish(struct db *db, long long cap, long long *count, int *approx);
/* Re-reads one row for the list; *found is 0 when it no longer belongs to
 * the view (v may be NULL: any signal). */
enum db_status signals_row(struct db *db, const struct sig_view *v, long long id, struct sig_row *row, int *found);
/* Names a field's values may take, for completing them in the search
 * prompt: categories, districts, units, operators' logins.  Returns how
 * many (at most max) malloc'd strings were put in out. */
int signals_field_values(struct db *db, enum qfield field, const char *prefix, char **out, int max);

/* A key for keyset paging from a row. */
void sig_key_of(const struct sig_row *row, struct sig_key *key);

/* A signal picked for an action on many: what the action needs to check. */
struct sig_ref {
    long long id;
    int version;            /* as read; the action refuses if it changed */
    char reg_no[40];
};

/* The first `limit` signals of a view, in its order; *more when there are
 * others beyond them. */
enum db_status signals_refs(struct db *db, const struct sig_view *v, int limit, struct sig_ref *out, int *n,
                            int *more);

struct reporter {
    char name[128];
    char phone[64];
    char email[128];
    int wants_updates;
    int contacts_hidden;    /* phone and e-mail exist but are not for this person */
};

struct signal {
    long long id;
    char reg_no[40];
    char kind[16];
    time_t created;
    char channel[16];
    char category[256];     /* "Parent › Child" */
    char district[64];
    char address[256];
    int has_location;
    double lat, lon;
    char *description;
    char status[16];
    char unit[160];
    char assignee[64];
    char assignee_name[128];
    int priority;
    int has_due;
    time_t due;
    char duplicate_of[40];  /* reg. number of the main signal, or "" */
    int version;
    time_t updated;
    struct reporter *reporters;
    int nreporters;
    char **attachments;     /* links and paths given with it */
    int nattachments;
};

struct event {
    time_t at;
    char actor[64];
    char kind[24];
    char *old_value;
    char *new_value;
    char *comment;
    int public;
};

struct event_list {
    struct event *items;
    int n;
    int truncated;          /* more events exist than were read */
};

/* Runs sql, whose one parameter ($1) is a signal's id.  one: the signal must
 * be there (exactly one row), else DB_ERROR "The signal no longer exists." */
enum db_status signal_query(struct db *db, PGresult **r, const char *sql, long long id, int one);
enum db_status signal_load(struct db *db, long long id, struct signal *s);
void signal_free(struct signal *s);
enum db_status signal_events(struct db *db, long long id, struct event_list *list);
void event_list_free(struct event_list *list);

/* One short transaction: checks the version, changes the status, writes the
 * event and tells every console.  DB_CONFLICT when someone changed the signal
 * since `version` was read. */
enum db_status signal_change_status(struct db *db, long long id, int version, const char *status,
                                    const char *comment, int public);

/* The signals the person at the console changed since a moment (ms since
 * the epoch by the server's clock): up to max registration numbers, and
 * how many there are.  What a change cut off by a lost connection left. */
enum db_status signals_changed_since(struct db *db, long long since_ms, char (*regs)[40], int max, int *n,
                                     int *total);

#endif

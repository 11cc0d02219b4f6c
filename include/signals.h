#ifndef SIGNALDESK_SIGNALS_H
#define SIGNALDESK_SIGNALS_H

#include <stddef.h>
#include <time.h>

#include "db.h"
#include "workflow.h"

/* Which signals a queue shows. */
struct sig_filter {
    unsigned status_mask;   /* bit (1 << enum status); 0 = any status */
    int mine;               /* assigned to the person logged in */
    int my_unit;            /* the responsible unit is the person's unit */
    int overdue;            /* open and past its due date */
    int unassigned;         /* nobody has taken it */
};

#define STATUS_BIT(s) (1u << (s))
#define OPEN_STATUSES (STATUS_BIT(ST_NEW) | STATUS_BIT(ST_REGISTERED) | STATUS_BIT(ST_ASSIGNED) | \
                       STATUS_BIT(ST_IN_PROGRESS) | STATUS_BIT(ST_WAITING))

/* One line of a queue: only what the list shows. */
struct sig_row {
    long long id;
    char reg_no[40];
    char created[40];       /* exact database text: the keyset key */
    time_t created_t;
    char status[16];
    char category[128];
    char district[64];
    char summary[256];      /* first line of the description, cut */
    char assignee[64];
    int priority;
    int overdue;
    int version;
};

/* Where a page starts: the key of the row next to it. */
struct sig_key {
    char created[40];
    long long id;
};

/* Queue order is newest first.  AFTER: the rows below key; FROM: key's row
 * and below; BEFORE: the rows above key (returned in display order). */
enum page_dir { PAGE_FIRST, PAGE_AFTER, PAGE_FROM, PAGE_BEFORE, PAGE_LAST };

/* The person at the console: login is the database role. */
struct operator_info {
    char login[64];
    char name[128];
    int unit_id;            /* 0: none */
    char level[16];
};

enum db_status operator_load(struct db *db, struct operator_info *me);

/* Fetches up to `limit` rows in queue order around `key` (not needed for
 * PAGE_FIRST/PAGE_LAST).  Rows come back in display order.  *more tells
 * whether further rows exist beyond the page in the direction of travel. */
enum db_status signals_page(struct db *db, const struct sig_filter *f, const struct operator_info *me,
                            enum page_dir dir, const struct sig_key *key, int limit,
                            struct sig_row *rows, int *nrows, int *more);
/* Counts the queue's rows.  Where an exact count would be slow (the whole
 * table), returns the planner's estimate and sets *approx. */
enum db_status signals_count(struct db *db, const struct sig_filter *f, const struct operator_info *me,
                             long long *count, int *approx);
/* Re-reads one row (after a change) for the list. */
enum db_status signals_row(struct db *db, long long id, struct sig_row *row);

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

enum db_status signal_load(struct db *db, long long id, struct signal *s);
void signal_free(struct signal *s);
enum db_status signal_events(struct db *db, long long id, struct event_list *list);
void event_list_free(struct event_list *list);

/* One short transaction: checks the version, changes the status, writes the
 * event and tells every console.  DB_CONFLICT when someone changed the signal
 * since `version` was read. */
enum db_status signal_change_status(struct db *db, long long id, int version, const char *status,
                                    const char *comment, int public);

#endif

#ifndef SIGNALDESK_AUDIT_H
#define SIGNALDESK_AUDIT_H

/* The audit trail: every change by anyone, newest first, from the history
 * of the signals (signal_events) and of everything else (admin_events),
 * paged by key (never by offset): only the rows on screen are read. */

#include <time.h>

#include "db.h"
#include "signals.h"

enum audit_source { AUDIT_ANY = 0, AUDIT_SIGNALS = 1, AUDIT_ADMIN = 2 };

struct audit_filter {
    char actor[64];         /* a login; "" any */
    long long signal_id;    /* 0 any; implies AUDIT_SIGNALS */
    char signal_reg[40];    /* its registration number, for the status line */
    enum audit_source source;
    char kind[40];          /* a kind of signal event, or an admin table; "" any */
    char from[11], to[11];  /* YYYY-MM-DD, inclusive; "" open */
};

/* Where a page starts: the order is (at, source, id), newest first. */
struct audit_key {
    char at[40];            /* exact database text */
    int source;
    long long id;
};

struct audit_row {
    struct audit_key key;
    time_t at;
    char actor[64];
    int source;             /* AUDIT_SIGNALS or AUDIT_ADMIN */
    char kind[40];          /* signal event kind, or the admin table */
    char object[200];       /* the signal's number, or the row's name */
    char action[16];        /* admin: add, change, remove */
    char field[40];         /* admin: the column changed */
    char old_value[256];
    char new_value[256];
    char comment[256];
    int public;
    long long signal_id;    /* 0 for admin rows */
};

/* Fetches up to `limit` rows around key (dir as for queues: PAGE_FIRST is
 * the newest, PAGE_AFTER older than key, PAGE_BEFORE newer, PAGE_LAST the
 * oldest).  Rows come back newest first; *more when further rows exist in
 * the direction of travel. */
enum db_status audit_page(struct db *db, const struct audit_filter *f, enum page_dir dir,
                          const struct audit_key *key, int limit, struct audit_row *rows, int *nrows, int *more);

/* The kinds of signal events there are (a short list read by index skips),
 * malloc'd. */
enum db_status audit_signal_kinds(struct db *db, char (**kinds)[40], int *n);

/* The id of a signal by its registration number; 0 when there is none. */
enum db_status signal_by_reg_no(struct db *db, const char *reg_no, long long *id);

#endif

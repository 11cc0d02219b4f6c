#ifndef SIGNALDESK_DUPES_H
#define SIGNALDESK_DUPES_H

#include <stddef.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "signals.h"

/* Duplicates: the signals that probably report the same problem as a given
 * one (or as a draft being typed in), groups of them among the open signals,
 * merging them into one and undoing a merge.  No curses here. */

/* How alike is alike enough: from [dupes] of signaldesk.ini. */
struct dupe_params {
    int radius_m;           /* candidates within this distance */
    int days;               /* closed this recently still counts; the time scale of the score */
    int similarity_pct;     /* address text alike (no coordinates), descriptions alike (clusters) */
    int far_m;              /* merging signals farther apart asks first; 0: never */
};

void dupe_params_default(struct dupe_params *p);
void dupe_params_from_config(const struct config *cfg, struct dupe_params *p);

/* What an intake form knows so far.  Any field may be missing: 0, NULL or "". */
struct dupe_draft {
    int category_id;
    int district_id;
    int has_location;
    double lat, lon;
    const char *address;
    const char *description;
    time_t created;         /* 0: now */
};

/* One candidate and the parts of its score (each 0..1; the score weighs
 * them 0.45 place, 0.35 text, 0.20 time). */
struct dupe_candidate {
    long long id;
    char reg_no[40];
    char status[16];
    time_t created;
    int version;
    int priority;
    int by_address;         /* no coordinates on one side: place is the address text */
    double distance_m;      /* when !by_address */
    double address_sim;
    double text_sim;
    double days_apart;      /* candidate's arrival minus the reference's, in days */
    double part_place, part_text, part_time, score;
    char category[128];
    char address[160];
    char summary[200];      /* first line of the description, cut */
};

struct dupe_list {
    struct dupe_candidate *items;
    int n;
    time_t reference;       /* the time the parts are measured from */
};

/* The best `limit` candidates, best first.  For a signal: not itself, not
 * its own duplicates, never a duplicate (its main signal stands for it). */
enum db_status dupes_for_signal(struct db *db, long long id, const struct dupe_params *p, int limit,
                                struct dupe_list *out);
enum db_status dupes_for_draft(struct db *db, const struct dupe_draft *d, const struct dupe_params *p,
                               int limit, struct dupe_list *out);
/* Given signals (a cluster, tagged ones) measured against signal id the
 * same way, best first, whatever their distance and time. */
enum db_status dupes_compare(struct db *db, long long id, const long long *ids, int n, const struct dupe_params *p,
                             struct dupe_list *out);
void dupe_list_free(struct dupe_list *l);


/* Groups of open signals that look like one problem, largest first. */
struct dupe_cluster {
    int size;
    long long *ids;         /* in order of arrival */
    char first_reg[40];
    char category[128];
    char district[64];
    char address[160];
    char summary[200];
    time_t first, last;     /* arrival of the first and the last */
    double span_m;          /* farthest from the first */
};

struct cluster_list {
    struct dupe_cluster *items;
    int n;
};

/* district_id 0: the whole city. */
enum db_status dupes_clusters(struct db *db, int district_id, const struct dupe_params *p, int limit,
                              struct cluster_list *out);
void cluster_list_free(struct cluster_list *l);

/* Districts for a pick list. */
struct district {
    int id;
    char name[64];
};
enum db_status dupes_districts(struct db *db, struct district **out, int *n);

/* A signal as a merge needs it: one query for all of them. */
struct merge_row {
    long long id;
    char reg_no[40];
    char status[16];
    time_t created;
    int version;
    int priority;
    long long duplicate_of;
    char main_reg[40];      /* of duplicate_of */
    char summary[200];
};
enum db_status dupes_rows(struct db *db, const long long *ids, int n, struct merge_row *rows, int *nrows);
/* The duplicates merged into a signal, oldest first: up to max of them, and
 * how many there are. */
enum db_status dupes_of(struct db *db, long long id, struct merge_row *rows, int max, int *nrows, int *total);

struct merge_item {
    long long id;
    int version;
};

/* Merges the others into main in one transaction (the schema's
 * merge_signals()).  Refusals come back as DB_REFUSED (DB_CONFLICT when a
 * signal changed since its version was read) with a sentence in errmsg;
 * dupes_needs_force() tells the ones the operator may override. */
enum db_status dupes_merge(struct db *db, long long main_id, int main_version, const struct merge_item *others,
                           int n, const struct dupe_params *p, int force, const char *comment,
                           long long *merge_id);
int dupes_needs_force(const struct db *db);

/* The merge that made a signal what it is: the one it was merged away by,
 * else the latest one into it.  found = 0 when there is none to undo;
 * recorded = 0 when the signal is a duplicate from before merges were
 * recorded (older data). */
struct merge_info {
    int found, recorded;
    long long merge_id;
    long long main_id;
    char main_reg[40];
    time_t at;
    char actor[64];
    int n;                  /* signals merged away */
    char regs[512];         /* their numbers, ", " between */
};
enum db_status dupes_merge_info(struct db *db, long long signal_id, struct merge_info *info);
/* Undoes a merge; *restored: how many signals came back. */
enum db_status dupes_unmerge(struct db *db, long long merge_id, const char *comment, int *restored);

/* A registration number to its signal and its main signal (main_id = id
 * when it is not a duplicate).  DB_OK with *id = 0 when there is none. */
enum db_status dupes_lookup(struct db *db, const char *reg_no, long long *id, long long *main_id);

/* The caller of an intake form reports a signal that is already there: adds
 * them as one more reporter of it (of its main signal if it is a duplicate).
 * *signal_id becomes the signal they were added to (its number is theirs). */
enum db_status dupes_add_reporter(struct db *db, long long *signal_id, const struct reporter *r,
                                  const char *channel);

#endif

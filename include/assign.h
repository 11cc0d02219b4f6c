#ifndef SIGNALDESK_ASSIGN_H
#define SIGNALDESK_ASSIGN_H

#include <stddef.h>

#include "db.h"
#include "signals.h"

/* The supervisor's view of the load, and moving signals between units and
 * operators.  The database checks the person's level on every move too. */

/* May this person balance the load (supervisor or admin)? */
int may_assign(const struct operator_info *me);

#define ASSIGN_OPEN_STATUSES 5     /* new, registered, assigned, in_progress, waiting */

/* One unit's open signals.  unit_id -1: signals without a unit. */
struct unit_load {
    int unit_id;
    char name[160];
    long long by_status[ASSIGN_OPEN_STATUSES];
    long long open, unassigned, overdue;
};

/* One operator's open signals. */
struct op_load {
    char login[64];
    char name[128];
    char unit[160];
    char level[16];
    long long open, overdue;
    long long oldest_age_s;     /* age of the oldest open signal, seconds */
};

/* The units that have open signals, busiest first. */
enum db_status assign_units(struct db *db, struct unit_load **rows, int *n);
/* Active operators (not admins) and whoever holds open signals, busiest first. */
enum db_status assign_operators(struct db *db, struct op_load **rows, int *n);

/* A choice in a picker. */
struct pick {
    int id;                     /* units */
    char login[64];             /* operators */
    char label[256];            /* in the list: an operator with their unit */
    char name[192];             /* in a sentence */
};
/* Active units / operators whose name (or login) holds `match` (any case,
 * Latin or Cyrillic as typed); all of them when match is empty. */
enum db_status pick_units(struct db *db, const char *match, struct pick **rows, int *n);
enum db_status pick_operators(struct db *db, const char *match, struct pick **rows, int *n);

enum move_outcome {
    MOVE_MOVED,     /* done */
    MOVE_SAME,      /* it was there already */
    MOVE_READY,     /* fine, but not moved because of the others */
    MOVE_CHANGED,   /* someone changed it meanwhile */
    MOVE_CLOSED,    /* no longer open */
    MOVE_MISSING,
};

struct move_target {
    int unit_id;            /* 0: keep the unit */
    const char *assignee;   /* NULL: keep (unless the unit changes) */
    int unassign;           /* nobody */
};

/* One transaction: moves all of items, or (when any of them was changed
 * meanwhile, is closed or gone) none, telling each one's outcome in out[]
 * (and the new version in items[].version when moved).  *moved counts the
 * moved ones.  DB_REFUSED when the person may not move signals. */
enum db_status signals_move(struct db *db, struct sig_ref *items, int n, const struct move_target *to,
                            const char *reason, enum move_outcome *out, int *moved);

#endif

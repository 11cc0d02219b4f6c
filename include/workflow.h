#ifndef SIGNALDESK_WORKFLOW_H
#define SIGNALDESK_WORKFLOW_H

#include <stddef.h>

/* The states of a signal and the moves between them.  The same table is in
 * the schema (statuses, status_transitions); tests/db checks they agree. */
enum status {
    ST_NEW, ST_REGISTERED, ST_ASSIGNED, ST_IN_PROGRESS, ST_WAITING,
    ST_RESOLVED, ST_CLOSED, ST_REJECTED, ST_DUPLICATE,
    ST_COUNT
};

struct status_info {
    const char *code;   /* as stored in the database */
    const char *label;  /* for people; pass through gettext */
    int open;           /* still someone's work */
    const char *stamps; /* entering it sets this time: "resolved_at", "closed_at" or NULL */
};

struct transition {
    enum status from, to;
    int needs_public_comment;
    const char *only_kind;  /* NULL: any signal; "question": only information requests */
};

extern const struct status_info status_table[ST_COUNT];
extern const struct transition transition_table[];
extern const size_t transition_count;

/* ST_COUNT when the code is unknown. */
enum status status_from_code(const char *code);
/* The label in the current language; "?" for an unknown code. */
const char *status_label(const char *code);
/* The transition from -> to, or NULL when it is not allowed. */
const struct transition *workflow_find(enum status from, enum status to);
/* Fills out[] with the allowed transitions from a state; returns how many. */
size_t workflow_moves(enum status from, const struct transition **out, size_t max);
/* The same for a signal of a kind ("problem", "question"; NULL is a problem). */
size_t workflow_moves_kind(enum status from, const char *kind, const struct transition **out, size_t max);

/* Channels and priorities, with labels for people. */
struct code_label {
    const char *code;
    const char *label;
};
extern const struct code_label channel_table[];
extern const size_t channel_count;
const char *channel_label(const char *code);
extern const char *const priority_labels[4];
const char *priority_label(int priority);

#endif

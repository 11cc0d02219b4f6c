#include "workflow.h"

#include <string.h>

#include "i18n.h"
#include "util.h"

const struct status_info status_table[ST_COUNT] = {
    [ST_NEW]         = { "new",         N_("new"),         1, NULL },
    [ST_REGISTERED]  = { "registered",  N_("registered"),  1, NULL },
    [ST_ASSIGNED]    = { "assigned",    N_("assigned"),    1, NULL },
    [ST_IN_PROGRESS] = { "in_progress", N_("in progress"), 1, NULL },
    [ST_WAITING]     = { "waiting",     N_("waiting"),     1, NULL },
    [ST_RESOLVED]    = { "resolved",    N_("resolved"),    0, "resolved_at" },
    [ST_CLOSED]      = { "closed",      N_("closed"),      0, "closed_at" },
    [ST_REJECTED]    = { "rejected",    N_("rejected"),    0, "closed_at" },
    [ST_DUPLICATE]   = { "duplicate",   N_("duplicate"),   0, "closed_at" },
};

/* Keep in step with status_transitions in src/sql/001_schema.sql,
 * 003_workflow.sql (the question-only ones) and 009_duplicates.sql
 * (waiting -> duplicate). */
const struct transition transition_table[] = {
    { ST_NEW, ST_REGISTERED, 0, NULL },         { ST_NEW, ST_ASSIGNED, 0, NULL },
    { ST_NEW, ST_IN_PROGRESS, 0, NULL },        { ST_NEW, ST_REJECTED, 1, NULL },
    { ST_NEW, ST_DUPLICATE, 0, NULL },
    { ST_REGISTERED, ST_ASSIGNED, 0, NULL },    { ST_REGISTERED, ST_IN_PROGRESS, 0, NULL },
    { ST_REGISTERED, ST_WAITING, 0, NULL },     { ST_REGISTERED, ST_REJECTED, 1, NULL },
    { ST_REGISTERED, ST_DUPLICATE, 0, NULL },
    { ST_ASSIGNED, ST_REGISTERED, 0, NULL },    { ST_ASSIGNED, ST_IN_PROGRESS, 0, NULL },
    { ST_ASSIGNED, ST_WAITING, 0, NULL },       { ST_ASSIGNED, ST_RESOLVED, 1, NULL },
    { ST_ASSIGNED, ST_REJECTED, 1, NULL },      { ST_ASSIGNED, ST_DUPLICATE, 0, NULL },
    { ST_IN_PROGRESS, ST_ASSIGNED, 0, NULL },   { ST_IN_PROGRESS, ST_WAITING, 0, NULL },
    { ST_IN_PROGRESS, ST_RESOLVED, 1, NULL },   { ST_IN_PROGRESS, ST_REJECTED, 1, NULL },
    { ST_IN_PROGRESS, ST_DUPLICATE, 0, NULL },
    { ST_WAITING, ST_IN_PROGRESS, 0, NULL },    { ST_WAITING, ST_RESOLVED, 1, NULL },
    { ST_WAITING, ST_REJECTED, 1, NULL },       { ST_WAITING, ST_DUPLICATE, 0, NULL },
    { ST_RESOLVED, ST_CLOSED, 0, NULL },        { ST_RESOLVED, ST_IN_PROGRESS, 1, NULL },
    { ST_CLOSED, ST_IN_PROGRESS, 1, NULL },
    { ST_REJECTED, ST_REGISTERED, 1, NULL },
    { ST_DUPLICATE, ST_REGISTERED, 0, NULL },
    /* a question is answered and closed on the spot */
    { ST_NEW, ST_CLOSED, 1, "question" },         { ST_REGISTERED, ST_CLOSED, 1, "question" },
    { ST_ASSIGNED, ST_CLOSED, 1, "question" },    { ST_IN_PROGRESS, ST_CLOSED, 1, "question" },
    { ST_WAITING, ST_CLOSED, 1, "question" },
};
const size_t transition_count = ARRAY_SIZE(transition_table);

enum status status_from_code(const char *code)
{
    int i;

    for (i = 0; code && i < ST_COUNT; i++)
        if (strcmp(status_table[i].code, code) == 0)
            return (enum status)i;
    return ST_COUNT;
}

const char *status_label(const char *code)
{
    enum status s = status_from_code(code);

    return s == ST_COUNT ? "?" : _(status_table[s].label);
}

const struct transition *workflow_find(enum status from, enum status to)
{
    size_t i;

    for (i = 0; i < transition_count; i++)
        if (transition_table[i].from == from && transition_table[i].to == to)
            return &transition_table[i];
    return NULL;
}

size_t workflow_moves(enum status from, const struct transition **out, size_t max)
{
    return workflow_moves_kind(from, "problem", out, max);
}

size_t workflow_moves_kind(enum status from, const char *kind, const struct transition **out, size_t max)
{
    size_t i, n = 0;

    if (!kind)
        kind = "problem";
    for (i = 0; i < transition_count && n < max; i++)
        if (transition_table[i].from == from &&
            (!transition_table[i].only_kind || strcmp(transition_table[i].only_kind, kind) == 0))
            out[n++] = &transition_table[i];
    return n;
}

const struct code_label channel_table[] = {
    { "phone",  N_("phone") },
    { "web",    N_("web portal") },
    { "app",    N_("mobile app") },
    { "email",  N_("e-mail") },
    { "walkin", N_("walk-in") },
};
const size_t channel_count = ARRAY_SIZE(channel_table);

const char *channel_label(const char *code)
{
    size_t i;

    for (i = 0; code && i < channel_count; i++)
        if (strcmp(channel_table[i].code, code) == 0)
            return _(channel_table[i].label);
    return code ? code : "?";
}

const char *const priority_labels[4] = {
    N_("low"), N_("normal"), N_("high"), N_("urgent"),
};

const char *priority_label(int priority)
{
    if (priority < 0 || priority > 3)
        return "?";
    return _(priority_labels[priority]);
}

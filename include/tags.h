#ifndef SIGNALDESK_TAGS_H
#define SIGNALDESK_TAGS_H

#include <stddef.h>

/* The tagged signals of a queue (neomutt-style: t toggles, a pattern tags
 * many, ; applies the next action to all of them).  Each tag keeps the
 * version the operator saw, so a bulk change can tell which signals someone
 * else changed since. */
#define TAGS_MAX 1000

struct tag {
    long long id;
    int version;
    char reg_no[40];
};

struct tagset {
    struct tag *items;
    int n, cap;
    int prefix;     /* ; was pressed: the next action is for all tagged */
};

void tags_init(struct tagset *t);
void tags_free(struct tagset *t);
void tags_clear(struct tagset *t);
/* Index of id, or -1. */
int tags_find(const struct tagset *t, long long id);
/* 1 when added, 0 when it was tagged already, -1 when the set is full. */
int tags_add(struct tagset *t, long long id, int version, const char *reg_no);
int tags_remove(struct tagset *t, long long id);
/* 1 when now tagged, 0 when now untagged, -1 when full. */
int tags_toggle(struct tagset *t, long long id, int version, const char *reg_no);
/* After our own change: the version we now know. */
void tags_set_version(struct tagset *t, long long id, int version);

#endif

#include "tags.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void tags_init(struct tagset *t)
{
    memset(t, 0, sizeof *t);
}

void tags_free(struct tagset *t)
{
    free(t->items);
    memset(t, 0, sizeof *t);
}

void tags_clear(struct tagset *t)
{
    t->n = 0;
    t->prefix = 0;
}

int tags_find(const struct tagset *t, long long id)
{
    int i;

    for (i = 0; i < t->n; i++)
        if (t->items[i].id == id)
            return i;
    return -1;
}

int tags_add(struct tagset *t, long long id, int version, const char *reg_no)
{
    if (tags_find(t, id) >= 0)
        return 0;
    if (t->n >= TAGS_MAX)
        return -1;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->items = xrealloc(t->items, (size_t)t->cap * sizeof *t->items);
    }
    t->items[t->n].id = id;
    t->items[t->n].version = version;
    str_copy(t->items[t->n].reg_no, sizeof t->items[t->n].reg_no, reg_no ? reg_no : "");
    t->n++;
    return 1;
}

int tags_remove(struct tagset *t, long long id)
{
    int i = tags_find(t, id);

    if (i < 0)
        return 0;
    memmove(&t->items[i], &t->items[i + 1], (size_t)(t->n - i - 1) * sizeof *t->items);
    t->n--;
    return 1;
}

int tags_toggle(struct tagset *t, long long id, int version, const char *reg_no)
{
    if (tags_remove(t, id))
        return 0;
    return tags_add(t, id, version, reg_no);
}

void tags_set_version(struct tagset *t, long long id, int version)
{
    int i = tags_find(t, id);

    if (i >= 0)
        t->items[i].version = version;
}

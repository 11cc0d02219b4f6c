#include "keys.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "util.h"

const struct action_info action_table[ACT_COUNT] = {
    [ACT_NONE] = { "none", NULL, NULL },
#define A(id, name, bar, help) [ACT_##id] = { name, bar, help },
    ACTION_LIST(A)
#undef A
};

static const unsigned char levels[ACT_COUNT] = {
#define L(id, level) [ACT_##id] = level,
    ACTION_LEVEL_LIST(L)
#undef L
};

enum level action_level(enum action act)
{
    return act > ACT_NONE && act < ACT_COUNT ? (enum level)levels[act] : LEVEL_OPERATOR;
}

int action_allowed(enum action act, enum level level)
{
    return level >= action_level(act);
}

enum level level_parse(const char *text)
{
    if (text && strcmp(text, "admin") == 0)
        return LEVEL_ADMIN;
    if (text && strcmp(text, "supervisor") == 0)
        return LEVEL_SUPERVISOR;
    return LEVEL_OPERATOR;
}

const char *level_label(enum level level)
{
    switch (level) {
    case LEVEL_ADMIN: return _("admin");
    case LEVEL_SUPERVISOR: return _("supervisor");
    default: return _("operator");
    }
}

enum action action_by_name(const char *name)
{
    int i;

    for (i = 1; i < ACT_COUNT; i++)
        if (strcmp(action_table[i].name, name) == 0)
            return (enum action)i;
    return ACT_NONE;
}

static const struct {
    const char *name;
    int key;
} named_keys[] = {
    { "Enter", '\n' },        { "Return", '\r' },         { "Esc", KEY_ESC },
    { "Tab", '\t' },          { "S-Tab", KEYF(KEY_BTAB) }, { "Space", ' ' },
    { "Up", KEYF(KEY_UP) },   { "Down", KEYF(KEY_DOWN) }, { "Left", KEYF(KEY_LEFT) },
    { "Right", KEYF(KEY_RIGHT) }, { "PgUp", KEYF(KEY_PPAGE) }, { "PgDn", KEYF(KEY_NPAGE) },
    { "Home", KEYF(KEY_HOME) }, { "End", KEYF(KEY_END) },  { "Backspace", KEYF(KEY_BACKSPACE) },
    { "Delete", KEYF(KEY_DC) }, { "Insert", KEYF(KEY_IC) }, { "KEnter", KEYF(KEY_ENTER) },
    { "lt", '<' },
};

int key_parse(const char *name)
{
    size_t i;
    unsigned cp;
    int n;

    if (!name || !*name)
        return -1;
    for (i = 0; i < ARRAY_SIZE(named_keys); i++)
        if (strcasecmp(named_keys[i].name, name) == 0)
            return named_keys[i].key;
    if ((name[0] == 'F' || name[0] == 'f') && name[1] >= '1' && name[1] <= '9') {
        int f = atoi(name + 1);

        if (f >= 1 && f <= 12 && strspn(name + 1, "0123456789") == strlen(name + 1))
            return KEYF(KEY_F(f));
        return -1;
    }
    if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2] && !name[3]) {
        char c = name[2];

        if (c >= 'a' && c <= 'z')
            return KEY_CTRL(c);
        if (c >= 'A' && c <= 'Z')
            return KEY_CTRL(c - 'A' + 'a');
        return -1;
    }
    n = utf8_decode(name, &cp);
    if (n > 0 && name[n] == '\0' && cp >= 32)
        return (int)cp;
    return -1;
}

void key_label(int key, char *out, size_t size)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(named_keys); i++)
        if (named_keys[i].key == key && strcmp(named_keys[i].name, "Return") != 0 &&
            strcmp(named_keys[i].name, "lt") != 0) {
            snprintf(out, size, "%s", named_keys[i].name);
            return;
        }
    if (KEY_IS_FUNC(key)) {
        int k = key & ~KEY_FUNC;

        if (k >= KEY_F(1) && k <= KEY_F(12))
            snprintf(out, size, "F%d", k - KEY_F0);
        else
            snprintf(out, size, "<%d>", k);
        return;
    }
    if (key < 32) {
        snprintf(out, size, "C-%c", key + 'a' - 1);
        return;
    }
    {
        char buf[8];
        int n = utf8_encode((unsigned)key, buf);

        buf[n] = '\0';
        snprintf(out, size, "%s", buf);
    }
}

struct binding {
    enum action action;
    unsigned scopes;
    int key;
};

#define G SCOPE_GLOBAL
#define Q SCOPE_QUEUE
#define AS SCOPE_ASSIGN
#define RP SCOPE_REPORTS
static const struct {
    enum action action;
    unsigned scopes;
    const char *keys;
} default_bindings[] = {
    { ACT_HELP, G, "?,F1" },
    { ACT_QUIT, G, "Q,F10" },
    { ACT_BACK, G, "q,Esc" },
    { ACT_MOVE_DOWN, G, "j,Down" },
    { ACT_MOVE_UP, G, "k,Up" },
    { ACT_PAGE_DOWN, G, "PgDn,C-f,Space" },
    { ACT_PAGE_UP, G, "PgUp,C-b" },
    { ACT_FIRST, G, "Home,g" },
    { ACT_LAST, G, "End,G" },
    { ACT_OPEN, Q | AS | SCOPE_AUDIT | SCOPE_SIGNAL | SCOPE_DUPES, "Enter,KEnter" },
    { ACT_NEXT_TAB, Q | AS | RP, "Tab,Right" },
    { ACT_PREV_TAB, Q | AS | RP, "S-Tab,Left" },
    { ACT_TAB_1, Q | AS | RP, "1" }, { ACT_TAB_2, Q | AS | RP, "2" }, { ACT_TAB_3, Q | AS | RP, "3" },
    { ACT_TAB_4, Q | AS | RP, "4" }, { ACT_TAB_5, Q | AS | RP, "5" }, { ACT_TAB_6, Q | AS | RP, "6" },
    { ACT_TAB_7, Q | AS | RP, "7" }, { ACT_TAB_8, Q | AS | RP, "8" }, { ACT_TAB_9, Q | AS | RP, "9" },
    { ACT_STATUS, Q | SCOPE_SIGNAL, "s,F5" },
    { ACT_DUPES, Q | SCOPE_SIGNAL, "F7,D" },
    { ACT_MERGE, Q | SCOPE_SIGNAL | SCOPE_DUPES, "F8,M" },
    { ACT_UNMERGE, SCOPE_SIGNAL | SCOPE_DUPES, "U" },
    { ACT_CLUSTERS, Q | SCOPE_DUPES, "C" },
    { ACT_DISTRICT, SCOPE_DUPES, "d" },
    { ACT_SEARCH, Q, "/,F3" },
    { ACT_SORT, Q, "o" },
    { ACT_SORT_REVERSE, Q, "O" },
    { ACT_SAVE_QUEUE, Q, "+" },
    { ACT_FORGET_QUEUE, Q, "-" },
    { ACT_IMPORT, Q, "I" },
    { ACT_EXPORT, Q, "X" },
    { ACT_NEW, G, "F2" },
    { ACT_SAVE, SCOPE_INTAKE, "F2" },
    { ACT_TAKE, Q | SCOPE_SIGNAL, "F4" },
    { ACT_ROUTE, Q | SCOPE_SIGNAL, "F6" },
    { ACT_CATEGORY, Q | SCOPE_SIGNAL, "c" },
    { ACT_DISTRICT, Q | SCOPE_SIGNAL, "d" },
    { ACT_PRIORITY, Q | SCOPE_SIGNAL, "p" },
    { ACT_ASSIGN, Q | SCOPE_SIGNAL, "a" },
    { ACT_REPLY, Q | SCOPE_SIGNAL, "r" },
    { ACT_NOTE, Q | SCOPE_SIGNAL, "n" },
    { ACT_EDIT, Q | SCOPE_SIGNAL, "e" },
    { ACT_ANSWER, Q | SCOPE_SIGNAL, "i" },
    { ACT_ANSWER, SCOPE_INTAKE, "F5" },
    { ACT_DUPES, SCOPE_INTAKE, "F7" },
    { ACT_TAG, Q | SCOPE_DUPES, "t" },
    { ACT_TAG_PATTERN, Q, "T" },
    { ACT_UNTAG_ALL, Q, "C-t" },
    { ACT_TAG_PREFIX, Q, ";" },
    { ACT_RELOAD, G, "R" },
    { ACT_REDRAW, G, "C-l" },
    { ACT_LOAD, Q, "A" },
    { ACT_REPORTS, Q, "S" },
    { ACT_MOVE, Q | SCOPE_SIGNAL, "m" },
    { ACT_PERIOD, RP, "p,F3" },
    { ACT_REPORT_CSV, RP, "e,F4" },
    { ACT_GROUPING, RP, "b,F6" },
    { ACT_DAYS, RP, "n" },
    { ACT_ADMIN, G, "F9" },
    { ACT_ADD_ITEM, SCOPE_ADMIN, "F2,Insert,a" },
    { ACT_CHANGE_ITEM, SCOPE_ADMIN | SCOPE_ROUTING, "F4,Enter,KEnter,e" },
    { ACT_TOGGLE_ACTIVE, SCOPE_ADMIN, "F8,x" },
    { ACT_CELL_DEFAULT, SCOPE_ROUTING, "F8,Delete,x" },
    { ACT_COLUMN_LEFT, SCOPE_ROUTING, "Left,h" },
    { ACT_COLUMN_RIGHT, SCOPE_ROUTING, "Right,l" },
    { ACT_FILTER, SCOPE_AUDIT, "F7,f,/" },
};
#undef G
#undef Q
#undef AS
#undef RP

static struct binding *bindings;
static size_t nbindings;

static void add_binding(enum action act, unsigned scopes, int key)
{
    bindings = xrealloc(bindings, (nbindings + 1) * sizeof *bindings);
    bindings[nbindings].action = act;
    bindings[nbindings].scopes = scopes;
    bindings[nbindings].key = key;
    nbindings++;
}

/* Calls fn for each key of a comma-separated list; -1 at the first bad one. */
static int parse_list(const char *list, int *keys, int max, int *n, char *err, size_t errsz)
{
    char buf[256], *tok, *save = NULL;

    *n = 0;
    str_copy(buf, sizeof buf, list);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int k;

        str_trim(tok);
        if (!*tok)
            continue;
        k = key_parse(tok);
        if (k < 0) {
            snprintf(err, errsz, _("unknown key '%s' (try a letter, Enter, C-f, F5, PgDn …)"), tok);
            return -1;
        }
        if (*n < max)
            keys[(*n)++] = k;
    }
    if (*n == 0) {
        snprintf(err, errsz, "%s", _("no key given"));
        return -1;
    }
    return 0;
}

void keymap_reset(void)
{
    size_t i;

    free(bindings);
    bindings = NULL;
    nbindings = 0;
    for (i = 0; i < ARRAY_SIZE(default_bindings); i++) {
        int keys[8], n, j;
        char err[128];

        if (parse_list(default_bindings[i].keys, keys, 8, &n, err, sizeof err) < 0)
            die("bad default key list %s", default_bindings[i].keys);
        for (j = 0; j < n; j++)
            add_binding(default_bindings[i].action, default_bindings[i].scopes, keys[j]);
    }
}

enum action keymap_lookup(int key, unsigned scopes)
{
    size_t i;
    enum action found = ACT_NONE;

    if (!bindings)
        keymap_reset();
    /* a binding of the screen's own scope wins over a global one */
    for (i = 0; i < nbindings; i++) {
        if (bindings[i].key != key || !(bindings[i].scopes & scopes))
            continue;
        if (!(bindings[i].scopes & SCOPE_GLOBAL))
            return bindings[i].action;
        if (found == ACT_NONE)
            found = bindings[i].action;
    }
    return found;
}

int keymap_keys(enum action act, unsigned scopes, int *keys, int max)
{
    size_t i;
    int n = 0;

    if (!bindings)
        keymap_reset();
    for (i = 0; i < nbindings && n < max; i++)
        if (bindings[i].action == act && (bindings[i].scopes & scopes))
            keys[n++] = bindings[i].key;
    return n;
}

int keymap_bind(const char *action, const char *list, char *err, size_t errsz)
{
    enum action act = action_by_name(action);
    int keys[16], n, j;
    unsigned scopes = 0;
    size_t i, out;

    if (act == ACT_NONE) {
        snprintf(err, errsz, _("unknown action '%s' (signaldesk --list-keys shows the names)"), action);
        return -1;
    }
    if (parse_list(list, keys, 16, &n, err, errsz) < 0)
        return -1;
    if (!bindings)
        keymap_reset();
    for (i = 0, out = 0; i < nbindings; i++) {
        if (bindings[i].action == act)
            scopes |= bindings[i].scopes;
        else
            bindings[out++] = bindings[i];
    }
    nbindings = out;
    if (!scopes)
        scopes = SCOPE_GLOBAL;
    for (j = 0; j < n; j++)
        add_binding(act, scopes, keys[j]);
    return 0;
}

#ifndef SIGNALDESK_KEYS_H
#define SIGNALDESK_KEYS_H

#include <stddef.h>

#include "actions.h"

/* A key is an int: a character (its code point) or a curses function key
 * marked with KEY_FUNC, so the two ranges never meet.  Pseudo-keys tell the
 * loop about things that are not key presses. */
#define KEY_FUNC        0x40000000
#define KEY_IS_FUNC(k)  ((k) & KEY_FUNC)
#define KEYF(curses)    ((curses) | KEY_FUNC)
#define KEY_CTRL(c)     ((c) & 0x1f)
#define KEY_ESC         27
#define PSEUDO_NOTIFY   (KEY_FUNC | 0x1000000)  /* another console changed something */
#define PSEUDO_TICK     (KEY_FUNC | 0x1000001)  /* a second passed */
#define PSEUDO_EOF      (KEY_FUNC | 0x1000002)  /* the script ended */
#define PSEUDO_LOST     (KEY_FUNC | 0x1000003)  /* the connection dropped */
#define PSEUDO_RESULT   (KEY_FUNC | 0x1000004)  /* a statement sent with db_send() finished */
#define PSEUDO_CANCELED (KEY_FUNC | 0x1000005)  /* a key press stopped that statement */

/* Where a binding applies. */
enum key_scope {
    SCOPE_GLOBAL = 1 << 0,
    SCOPE_QUEUE  = 1 << 1,
    SCOPE_SIGNAL = 1 << 2,
    SCOPE_HELP   = 1 << 3,
    SCOPE_INTAKE = 1 << 4,
    SCOPE_ASSIGN = 1 << 5,
    SCOPE_REPORTS = 1 << 6,
    SCOPE_ADMIN  = 1 << 10,     /* the admin lists */
    SCOPE_ROUTING = 1 << 11,    /* the routing grid */
    SCOPE_AUDIT  = 1 << 12,     /* the audit trail */
    SCOPE_DUPES  = 1 << 9,      /* the duplicates, merge and clusters screens */
};

/* Parses "j", "Enter", "C-f", "F5", "PgDn", "S-Tab", "Space"; -1 if unknown. */
int key_parse(const char *name);
/* The name of a key, for help and the bar ("F5", "Enter", "j"). */
void key_label(int key, char *out, size_t size);

/* The action bound to key in any of the scopes; ACT_NONE if none. */
enum action keymap_lookup(int key, unsigned scopes);
/* Keys bound to an action (in the given scopes); returns how many. */
int keymap_keys(enum action act, unsigned scopes, int *keys, int max);
/* Replaces the bindings of an action by a comma-separated key list, as read
 * from the [keys] section.  Returns 0, or -1 with a reason. */
int keymap_bind(const char *action, const char *keys, char *err, size_t errsz);
/* Resets to the defaults. */
void keymap_reset(void);

#endif

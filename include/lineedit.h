#ifndef SIGNALDESK_LINEEDIT_H
#define SIGNALDESK_LINEEDIT_H

#include <stddef.h>

struct app;

/* GNU readline in a field of a form, or on the status line: the readline
 * keys (C-a C-e C-k C-w C-y, M-b M-f, Up/Down for the field's own history),
 * keys read through the console's own reader so scripts can type, the line
 * painted by us.  Editing ends on Enter (in a multi-line field Enter breaks
 * the line), Tab, Shift-Tab, Esc, C-g or a function key; the caller learns
 * which. */
enum le_end { LE_ENTER, LE_TAB, LE_BTAB, LE_ESC, LE_FKEY, LE_EOF, LE_POLL };

struct le_opts {
    int y, x, width, height;    /* the area edited in; height 1 scrolls sideways */
    const char *label;          /* drawn before the area, at x - its width (status line prompts) */
    int multiline;              /* Enter breaks the line */
    const char *initial;
    int first_key;              /* a key already pressed, taken as typed first (0: none) */
    void **history;             /* the field's own history (readline state), kept by the caller */
    /* Tab: text to insert at the cursor (malloc'd), or NULL; without this
     * hook Tab ends editing. */
    char *(*tab)(void *ctx);
    /* A completion shown dimmed after the cursor at the end of the line;
     * Right or End takes it.  Writes "" when there is none. */
    void (*suggest)(void *ctx, const char *line, char *out, size_t size);
    /* Asked while waiting for keys: non-zero ends editing with LE_POLL
     * (e.g. the connection is back and a save is waiting). */
    int (*poll)(void *ctx);
    void *ctx;
};

/* Edits; returns the text (malloc'd, also after Esc: the caller decides),
 * with how editing ended in *end and the ending key in *key. */
char *line_edit(struct app *app, const struct le_opts *o, enum le_end *end, int *key);

/* A prompt on the status line (as prompt_line) whose Tab inserts text from
 * the hook, e.g. a response template.  NULL when cancelled with Esc/C-g. */
char *prompt_tab(struct app *app, const char *label, const char *initial, char *(*tab)(void *ctx), void *ctx);

#endif

#ifndef SIGNALDESK_PICKER_H
#define SIGNALDESK_PICKER_H

struct app;

/* A list to choose from in a box, with type-ahead: what is typed filters it
 * (every word must occur; Latin finds Cyrillic: "osv" finds "Улично
 * осветление"; a word typed in the wrong keyboard layout is recognised).
 * Up/Down, PgUp/PgDn, Home/End move, Enter chooses, Esc cancels, Backspace,
 * C-u and C-w edit what was typed. */
struct pick_item {
    const char *label;
    const char *hint;       /* dimmed at the right; matched too */
    const char *search;     /* more text to match, not shown */
    const char *preview;    /* shown under the list while the item is selected */
    int depth;              /* indent */
    int hint_filtered;      /* show the hint only while filtering (a tree's parent) */
};

/* Returns the index into items, or -1.  current: selected at first;
 * filter: letters typed before the list opened (the type-ahead starts). */
int picker_run(struct app *app, const char *title, const struct pick_item *items, int n, int current,
               const char *filter);

/* Lines in a box, then a yes/no question on the status line; 1 for yes. */
int ui_confirm_list(struct app *app, const char *title, const char *const *lines, int n, const char *question);

#endif

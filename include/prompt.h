#ifndef SIGNALDESK_PROMPT_H
#define SIGNALDESK_PROMPT_H

#include <stdio.h>

struct app;

/* Reads a line with readline on the status line (Ctrl-A/E/K/W, history),
 * keys coming through the console's own key reader so scripts can type.
 * Returns a malloc'd string, or NULL when cancelled with Esc or C-g. */
char *prompt_line(struct app *app, const char *label, const char *initial);
/* The same for a password: shown as one * per character, kept out of the
 * history.  The caller wipes and frees it. */
char *prompt_secret(struct app *app, const char *label);

/* Completion: the candidates for the word of `line` between start and end
 * (words are separated by spaces).  Returns a malloc'd NULL-terminated
 * array of malloc'd strings, or NULL for none.  *append is the character
 * put after a single match ('\0' for none). */
typedef char **(*prompt_complete_fn)(void *ctx, const char *line, int start, int end, int *append);

struct prompt_opts {
    const char *history;        /* file name under $XDG_STATE_HOME/signaldesk, kept across runs */
    int history_size;           /* lines kept in it */
    int point;                  /* where the cursor starts in initial (bytes); -1: at the end */
    const char *note;           /* a line shown above the prompt (e.g. why the text did not parse) */
    int note_error;             /* the note is an error */
    prompt_complete_fn complete;
    void *ctx;
};

char *prompt_line_opts(struct app *app, const char *label, const char *initial, const struct prompt_opts *o);

/* The history file's path ($XDG_STATE_HOME/signaldesk/NAME, else
 * ~/.local/state/signaldesk/NAME); creates the directory. */
int prompt_history_path(const char *name, char *out, unsigned size);

/* readline inside curses, set up as both line editors use it (prompt.c on
 * the status line, lineedit.c in an area of the screen): keys come from
 * getc_fn, nothing is written to the terminal (redisplay_fn paints),
 * startup_fn inserts the initial text, pending_fn says whether keys wait. */
void prompt_readline_setup(int (*getc_fn)(FILE *), void (*redisplay_fn)(void), int (*startup_fn)(void),
                           int (*pending_fn)(void));

#endif

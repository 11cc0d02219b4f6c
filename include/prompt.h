#ifndef SIGNALDESK_PROMPT_H
#define SIGNALDESK_PROMPT_H

struct app;

/* Reads a line with readline on the status line (Ctrl-A/E/K/W, history),
 * keys coming through the console's own key reader so scripts can type.
 * Returns a malloc'd string, or NULL when cancelled with Esc or C-g. */
char *prompt_line(struct app *app, const char *label, const char *initial);

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

#endif

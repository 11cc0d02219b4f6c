#ifndef SIGNALDESK_PROMPT_H
#define SIGNALDESK_PROMPT_H

struct app;

/* Reads a line with readline on the status line (Ctrl-A/E/K/W, history),
 * keys coming through the console's own key reader so scripts can type.
 * Returns a malloc'd string, or NULL when cancelled with Esc or C-g. */
char *prompt_line(struct app *app, const char *label, const char *initial);
/* The same for a password: shown as one * per character, kept out of the
 * history.  The caller wipes and frees it. */
char *prompt_secret(struct app *app, const char *label);

#endif

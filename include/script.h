#ifndef SIGNALDESK_SCRIPT_H
#define SIGNALDESK_SCRIPT_H

#include <stddef.h>

/* Headless mode for tests (SIGNALDESK_SCRIPT=FILE).  Each line of FILE is
 *   # a comment
 *   :dump PATH        write the screen as UTF-8 text to PATH
 *   :resize COLSxROWS resize the (virtual) terminal
 *   :wait-notify      wait until another console's change arrives
 *   :run COMMAND      run a shell command (another operator's action)
 *   anything else     keys: characters as typed, <Name> for named keys
 *                     (<Enter> <Esc> <Down> <F5> <C-f> <lt> ...)
 * The next key is read only when the screen is idle; a watchdog
 * (SIGNALDESK_SCRIPT_TIMEOUT seconds, default 60) ends a hung run.
 * Nothing is drawn on the terminal unless SIGNALDESK_SCRIPT_TTY=1 (then
 * the screen goes to the terminal as in an ordinary run; ui_start). */
struct app;

int script_open(const char *path, char *err, size_t errsz);
/* The next key, running commands on the way; PSEUDO_EOF at the end.
 * Returns -1 after a command that needs the loop (e.g. a resize: KEY_RESIZE). */
int script_next_key(struct app *app);
/* Writes the current screen to path. */
int script_dump(const char *path);

#endif

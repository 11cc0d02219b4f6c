#ifndef SIGNALDESK_ADMINVAL_H
#define SIGNALDESK_ADMINVAL_H

#include <stddef.h>

/* Checks of what admins type, before anything goes to the database (which
 * checks again).  Each returns 0, or -1 with a sentence for people in err.
 * Pure: no curses, no database. */

/* A name or title: not empty, at most max_chars characters, no control
 * characters (a line break too), valid UTF-8. */
int check_text(const char *s, size_t max_chars, char *err, size_t errsz);
/* A longer text (a template's body): as check_text, line breaks allowed. */
int check_body(const char *s, size_t max_chars, char *err, size_t errsz);
/* An e-mail address (name@domain.tld); "" passes when optional. */
int check_email(const char *s, int optional, char *err, size_t errsz);
/* A login (a database role of one person): lower-case Latin letters,
 * digits, '_', '.' and '-', starting with a letter or '_', at most 63
 * bytes, not pg_* or signaldesk_*. */
int check_login(const char *s, char *err, size_t errsz);
/* Hours to handle a signal: a whole number from 1 to 8760 (a year). */
int check_hours(const char *s, int *hours, char *err, size_t errsz);
/* A password: at least 8 characters, not the login. */
int check_password(const char *password, const char *login, char *err, size_t errsz);

/* A period as people type it: "20.11.2026", "1.11.2026..20.11.2026",
 * "2026-11-01..2026-11-20", "..20.11.2026", "1.11.2026..".  from and to
 * (11 bytes each) get YYYY-MM-DD or "" for an open end.  The whole input
 * empty is an error. */
int parse_period(const char *s, char *from, char *to, char *err, size_t errsz);

#endif

#ifndef SIGNALDESK_DUPEFMT_H
#define SIGNALDESK_DUPEFMT_H

#include <stddef.h>

#include "dupes.h"

/* How a duplicate candidate reads on screen: one line of columns, each part
 * of its score shown.  Pure text, measured in columns (Cyrillic and all),
 * so any screen can show it: the signal screen, the duplicates screen, the
 * intake form. */

/* "40 m", "1.2 km", or "address" when matched by the address text. */
void dupe_fmt_place(const struct dupe_candidate *c, char *out, size_t size);
/* "72%" */
void dupe_fmt_pct(double part, char *out, size_t size);
/* How the candidate's arrival stands to the reference: "2 d before",
 * "5 h after", "<1 h after". */
void dupe_fmt_when(double days_apart, char *out, size_t size);

/* The column titles and one candidate, `width` columns exactly (padded or
 * cut).  With marks, the line starts with two columns for the cursor and
 * the mark. */
void dupe_format_header(int width, int marks, char *out, size_t size);
void dupe_format_line(const struct dupe_candidate *c, int width, int marks, int cursor, int marked, char *out,
                      size_t size);

/* Text cut or padded to exactly width columns; right-aligned if asked.
 * Appends to out (a string of size bytes). */
void fmt_cell(char *out, size_t size, const char *text, int width, int right);

#endif

#ifndef SIGNALDESK_BIGTEXT_H
#define SIGNALDESK_BIGTEXT_H

#include <stddef.h>

/* Large letters for the one thing an operator reads aloud: a new signal's
 * registration number.  Five rows of full blocks; digits, Latin and
 * Bulgarian Cyrillic letters, - / . % and space (a character without a
 * glyph stands as itself in the middle row). */
#define BIGTEXT_ROWS 5

/* Writes the rows as UTF-8 into rows[i] (each of size bytes); returns the
 * width in columns, or -1 when it does not fit in size bytes. */
int bigtext_render(const char *s, char rows[BIGTEXT_ROWS][1024], size_t size);
/* The width bigtext_render would need, in columns. */
int bigtext_width(const char *s);

#endif

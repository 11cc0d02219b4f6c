#ifndef SIGNALDESK_UILIST_H
#define SIGNALDESK_UILIST_H

#include "ui.h"

/* A cell of a table on screen: the text cut to width columns with "…"
 * where it was cut, or padded with spaces; right: a text that fits goes to
 * the right.  Returns how far the next cell starts (width + 1; 1 when
 * there is no room at all). */
int ui_cell(int y, int x, int width, const char *s, enum ui_role role, int right);

/* Moves the cursor of a list of n rows, h of them shown at a time, for the
 * moving actions (a row down or up, a page, the first, the last); returns
 * 0 for any other action. */
int ui_list_move(enum action act, int *cursor, int n, int h);

#endif

#ifndef SIGNALDESK_DUPEVIEW_H
#define SIGNALDESK_DUPEVIEW_H

#include "dupes.h"

/* A list of duplicate candidates drawn inside any screen (the duplicates
 * screen, the intake form): column titles on row y, then the candidates
 * from `top`, `height` rows in all, `width` columns from x.  The cursor row
 * (-1: none) is highlighted; with `marked` (one flag per candidate, or
 * NULL) the first two columns show the cursor and the marks.  Returns the
 * rows used. */
int dupeview_draw(int y, int x, int width, int height, const struct dupe_list *l, int top, int cursor,
                  const unsigned char *marked);

/* One line below such a list: the parts of the candidate's score in words,
 * its address and category. */
void dupeview_detail(int y, int x, int width, const struct dupe_candidate *c);

#endif

#ifndef SIGNALDESK_TEXTMATCH_H
#define SIGNALDESK_TEXTMATCH_H

#include <stddef.h>

/* Type-ahead matching for pick lists.  Query and text are both folded to
 * lower-case Latin (translit_fold), so "osv" and "осв" both find "Улично
 * осветление".  Every word of the query must occur in the text.  Returns 0
 * for no match; more is better: a word found at the start of the text beats
 * one at the start of a word, which beats one inside a word. */
int text_match(const char *query, const char *text);

/* The same on strings already folded with text_fold (for long lists). */
int text_match_folded(const char *fquery, const char *ftext);
/* translit_fold into a new string. */
char *text_fold(const char *s);

#endif

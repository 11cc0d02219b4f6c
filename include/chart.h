#ifndef SIGNALDESK_CHART_H
#define SIGNALDESK_CHART_H

#include <stddef.h>

/* Charts made of block characters, readable in any UTF-8 terminal and in
 * text: one character is one column wide, so they fit an 80-column screen. */

/* A sparkline: one character per value, ▁▂▃▄▅▆▇█ by its share of max (the
 * largest value when max is 0); a zero is a space.  UTF-8 into out. */
void chart_spark(const long long *v, int n, long long max, char *out, size_t size);
/* A horizontal bar `width` columns long at most, in eighths of a column
 * (▏▎▍▌▋▊▉█); any value above zero shows at least an eighth. */
void chart_bar(long long v, long long max, int width, char *out, size_t size);

#endif

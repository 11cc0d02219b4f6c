#ifndef SIGNALDESK_EXPORTQUERY_H
#define SIGNALDESK_EXPORTQUERY_H

#include <stddef.h>

#include "signals.h"

/* Which signals an export takes: a queue's filter plus a time window. */
struct export_filter {
    struct sig_filter queue;
    char created_from[32];      /* "YYYY-MM-DD", inclusive; "" for no limit */
    char created_to[32];        /* "YYYY-MM-DD", inclusive; "" for no limit */
};

/* A stand-in for the search query language, until it lands: it knows only
 *   status:new,registered   (or status:open, status:closed ...)
 *   created:2026-01-01..2026-03-31   (either end may be left out)
 * The search language's own parser replaces this function; whatever parses
 * the query only has to fill a struct export_filter.
 * Returns 0, or -1 with a sentence in err. */
int export_query_parse(const char *query, struct export_filter *f, char *err, size_t errsz);

#endif

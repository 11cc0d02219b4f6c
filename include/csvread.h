#ifndef SIGNALDESK_CSVREAD_H
#define SIGNALDESK_CSVREAD_H

#include <stddef.h>
#include <stdio.h>

/* Streaming CSV reading with libcsv: one callback per record, memory bounded
 * by the longest record.  Fields are NUL-terminated copies. */
struct csv_record {
    char **fields;
    size_t n;
    long record;            /* 1 for the first record (the header, if any) */
};

/* Returns 0 to go on, non-zero to stop (that value is returned by csv_read). */
typedef int (*csv_record_fn)(void *ctx, const struct csv_record *rec);

/* Reads all of f.  Returns 0, the callback's non-zero value, or -1 with a
 * reason in err (a quote left open, a read error). */
int csv_read(FILE *f, unsigned char delim, csv_record_fn fn, void *ctx, char *err, size_t errsz);

/* Index of a header column by name, or -1. */
int csv_column(const struct csv_record *header, const char *name);

#endif

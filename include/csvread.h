#ifndef SIGNALDESK_CSVREAD_H
#define SIGNALDESK_CSVREAD_H

#include <stddef.h>
#include <stdio.h>

/* Streaming CSV reading with libcsv: one callback per record, memory bounded
 * by the longest record (and a field never grows past max_field bytes).
 * Fields are NUL-terminated, but may hold NUL bytes of their own: lens[]
 * has their true lengths. */
struct csv_record {
    char **fields;
    size_t *lens;
    long *lines;            /* the physical line (from 1) each field starts on */
    size_t n;
    long record;            /* 1 for the first record (the header, if any) */
    long line;              /* the physical line the record starts on */
};

/* Returns 0 to go on, non-zero to stop (that value is returned). */
typedef int (*csv_record_fn)(void *ctx, const struct csv_record *rec);

/* A push parser: feed it bytes as they come, then finish.  Lines are
 * counted by '\n', so CRLF and LF files number alike. */
struct csv_reader;

/* max_field 0: no limit of our own. */
struct csv_reader *csv_reader_new(unsigned char delim, size_t max_field, csv_record_fn fn, void *ctx);
/* 0, the callback's non-zero value, or -1 with csv_reader_error() set. */
int csv_reader_feed(struct csv_reader *r, const char *buf, size_t len);
/* After the last byte: reports the last record (a quote left open is -1). */
int csv_reader_finish(struct csv_reader *r);
/* The reason for a -1, a sentence that names the line. */
const char *csv_reader_error(const struct csv_reader *r);
/* The line being read (1 + the number of '\n' fed so far). */
long csv_reader_line(const struct csv_reader *r);
void csv_reader_free(struct csv_reader *r);

/* Reads all of f.  Returns 0, the callback's non-zero value, or -1 with a
 * reason in err (a quote left open, a read error). */
int csv_read(FILE *f, unsigned char delim, csv_record_fn fn, void *ctx, char *err, size_t errsz);

/* Index of a header column by name, or -1. */
int csv_column(const struct csv_record *header, const char *name);

#endif

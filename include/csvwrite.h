#ifndef SIGNALDESK_CSVWRITE_H
#define SIGNALDESK_CSVWRITE_H

#include <stdio.h>

/* Writing CSV for spreadsheets and scripts, with libcsv's writer: RFC 4180
 * (CRLF after every record, a field is quoted when it holds the delimiter,
 * a quote, CR or LF, or begins or ends with a space), UTF-8 as given.
 * Made for any export: reports, signals, anything with rows. */
struct csv_options {
    unsigned char delimiter;    /* ',' (default) or ';' */
    int bom;                    /* start with the UTF-8 byte order mark (Excel) */
    int decimal_comma;          /* numbers with a decimal comma (with ';') */
};

struct csv_writer {
    FILE *f;
    struct csv_options opt;
    int fields;                 /* in the current record */
    int failed;                 /* a write failed */
};

/* The defaults: ',' no BOM, decimal point. */
void csv_options_default(struct csv_options *o);
/* Parses "," ";" "comma" "semicolon" "tab"; 0, or -1 when unknown. */
int csv_parse_delimiter(const char *s, unsigned char *out);

/* Starts writing to f (writes the BOM when asked). */
void csvw_start(struct csv_writer *w, FILE *f, const struct csv_options *o);
/* One field of text (NULL is an empty field). */
void csvw_text(struct csv_writer *w, const char *s);
/* Whole numbers, and numbers with `decimals` places given in units of
 * 10^-decimals (e.g. 125 with 1 decimal is 12.5); no locale involved. */
void csvw_int(struct csv_writer *w, long long v);
void csvw_fixed(struct csv_writer *w, long long v, int decimals);
/* Ends the record (CRLF). */
void csvw_end(struct csv_writer *w);
/* Flushes; 0 when everything was written, -1 otherwise (errno says why). */
int csvw_finish(struct csv_writer *w);

#endif

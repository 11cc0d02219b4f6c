#ifndef SIGNALDESK_REPORTS_H
#define SIGNALDESK_REPORTS_H

#include <stdio.h>

#include "csvwrite.h"
#include "db.h"
#include "period.h"

/* The management reports.  Each answers for any past period from the
 * history (signal_events and the summary the schema keeps of it), so "what
 * happened in March" gives the same numbers in March and in December.
 * A report is a table of rows in sections; the screen draws it (with
 * charts), the batch command prints it or writes it as CSV. */
enum report_id {
    REPORT_WORKLOAD,    /* per unit and per operator: open at start, in, out, closed, open at end */
    REPORT_FLOW,        /* received, closed and reopened per day, week or month */
    REPORT_AGE,         /* open signals at the end of the period by age, per unit */
    REPORT_SLA,         /* deadlines that fell in the period and were missed, by unit and category */
    REPORT_TIMES,       /* first response and time to resolve (median, 90th percentile) */
    REPORT_DISTRICTS,   /* received per district and category */
    REPORT_STALLED,     /* received, but not moved past new/registered within N days */
    REPORT_COUNT
};

struct report_info {
    const char *name;   /* for the command line and file names */
    const char *tab;    /* short title (gettext) */
    const char *title;  /* one line on what it shows (gettext) */
};

extern const struct report_info report_list[REPORT_COUNT];

/* -1 when unknown. */
int report_find(const char *name);

enum col_kind {
    COL_TEXT,
    COL_COUNT,
    COL_DURATION,   /* seconds; CSV in hours with one decimal */
    COL_SHARE,      /* per mille; CSV in percent with one decimal */
    COL_DATE,       /* the first day of a group (text "YYYY-MM-DD") */
};

struct report_col {
    const char *key;    /* CSV header: stable English words */
    const char *label;  /* for people (gettext) */
    enum col_kind kind;
    int width;          /* on screen; 0 for the one that takes the rest */
};

struct report_cell {
    char *text;         /* COL_TEXT, COL_DATE */
    long long v;        /* the numbers */
    int null;           /* no value (e.g. a median of nothing) */
};

struct report_section {
    const char *key;    /* CSV "group" column */
    const char *title;  /* gettext */
    int first, n;       /* rows */
    int total;          /* the screen adds a total line */
};

#define REPORT_MAX_COLS 10
#define REPORT_MAX_SECTIONS 4

struct report_params {
    struct period period;
    enum grouping grouping;     /* flow */
    int stalled_days;           /* stalled: N */
};

struct report {
    enum report_id id;
    struct report_params p;
    enum grouping grouping;     /* the one used (never AUTO) */
    int ncols;
    struct report_col cols[REPORT_MAX_COLS];
    int nsections;
    struct report_section sections[REPORT_MAX_SECTIONS];
    int nrows;
    struct report_cell *cells;  /* nrows * ncols */
};

#define REPORT_CELL(r, row, col) (&(r)->cells[(size_t)(row) * (size_t)(r)->ncols + (size_t)(col)])

/* Runs one report, in one read-only transaction.  The report is freed with
 * report_free whatever the outcome. */
enum db_status report_run(struct db *db, enum report_id id, const struct report_params *p, struct report *out);
void report_free(struct report *r);

/* The sum of a numeric column over a section (for total lines). */
long long report_sum(const struct report *r, int section, int col);

/* Values as people read them: "12", "3 h 20 min", "2.5 d", "12.5 %". */
void report_format(const struct report *r, const struct report_cell *c, int col, char *out, size_t size);

/* CSV: a header of column keys (with a first "group" column when the report
 * has sections), then one record per row.  0, or -1 (errno) on a write error. */
int report_write_csv(const struct report *r, FILE *f, const struct csv_options *o);
/* Plain text for a terminal or a mail from cron: the title, the period and
 * aligned columns.  0, or -1 on a write error. */
int report_write_text(const struct report *r, FILE *f);

#endif

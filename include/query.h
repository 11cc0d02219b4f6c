#ifndef SIGNALDESK_QUERY_H
#define SIGNALDESK_QUERY_H

/*
 * The search language of queues, the search prompt and `export --query`:
 *
 *   status:new,assigned cat:осветление district:Лозенец unit:mine
 *   assignee:me priority:high channel:phone created:2026-01-01..2026-02-01
 *   since:7d changed:1d overdue id:123 reg:СО26-КЦ-000123 -status:closed
 *   "точна фраза" free words
 *
 * Terms are separated by spaces and all must hold; a leading '-' negates a
 * term; a value list "a,b" means any of them.  The fields are one table
 * (query.c), like neomutt's pattern flags: its name, Bulgarian alias, kind
 * of value and help.  Pure C: no curses, no database, no locale.
 *
 * query_parse() turns text into a struct query or an error with the byte
 * position and a sentence; query_where() turns a query into SQL conditions
 * on `signals s` where every value typed travels as a parameter.
 */

#include <stddef.h>
#include <time.h>

#include "sqlbuild.h"

enum qfield {
    QF_WORD,        /* a free word: description, address, reporter, reg. no. */
    QF_PHRASE,      /* "a quoted phrase" */
    QF_STATUS, QF_CATEGORY, QF_DISTRICT, QF_UNIT, QF_ASSIGNEE, QF_PRIORITY,
    QF_CHANNEL, QF_CREATED, QF_SINCE, QF_CHANGED, QF_DUE, QF_OVERDUE, QF_ID, QF_REG,
    QF_COUNT
};

/* What a field's value looks like. */
enum qkind {
    QK_NONE,        /* a flag: overdue */
    QK_TEXT,        /* words matched ignoring case and alphabet */
    QK_CHOICE,      /* one of a fixed list: status, priority, channel */
    QK_DATES,       /* a day or a range of days: 2026-01-01..2026-02-01 */
    QK_DURATION,    /* how far back from now: 7d, 12h, 2w, 3mo */
    QK_NUMBER,      /* id */
};

struct qfield_info {
    const char *name;       /* as typed: "status" */
    const char *alias;      /* a second name, or NULL */
    const char *alias_bg;   /* the Bulgarian name, or NULL */
    enum qfield field;
    enum qkind kind;
    const char *help;       /* through gettext */
    const char *example;
};

extern const struct qfield_info qfield_table[];
extern const size_t qfield_count;

#define QUERY_MAX_TERMS  24
#define QUERY_MAX_VALUES 40     /* in all terms together */
#define QUERY_MAX_PARAMS 48     /* statement parameters of all terms; the rest of SQLQ_MAX_PARAMS is the callers' */

struct qterm {
    enum qfield field;
    int negate;
    int pos, len;           /* where it stands in the text (bytes) */
    char **values;          /* as typed (QK_TEXT, QK_NUMBER, reg) */
    int nvalues;
    unsigned mask;          /* QK_CHOICE: bit per status / priority / channel */
    int open;               /* status:open was among the values */
    int me, none;           /* assignee:me, unit:mine; ...:none */
    char from[11], to[11];  /* QK_DATES: YYYY-MM-DD, "" for an open end (to is inclusive) */
    long seconds;           /* QK_DURATION */
};

struct query {
    struct qterm *terms;
    int nterms;
};

struct query_error {
    int pos;                /* byte offset in the text */
    int len;                /* bytes of the offending part (at least 1 unless at the end) */
    char msg[256];          /* a sentence for people (translated) */
};

/* Parses text.  Returns 0, or -1 with err filled (q is then empty).
 * An empty text is the query that matches every signal. */
int query_parse(const char *text, struct query *q, struct query_error *err);
/* The character (1 for the first) at byte offset pos of text, for people. */
int query_char_pos(const char *text, int pos);
void query_free(struct query *q);

/* What the SQL needs besides the query: "now" for since:, changed:,
 * overdue (the console's clock, which tests pin). */
struct query_ctx {
    time_t now;
};

/* Appends " AND (...)" for every term to out, on the table alias "s".
 * Values are parameters; the only text pasted is ours (column names, the
 * list of open statuses).  Uses current_user for assignee:me and the
 * operator's unit for unit:mine. */
void query_where(const struct query *q, const struct query_ctx *ctx, struct sqlq *out);

/* Words or phrases to find in text: such a search may read much of the
 * table, so it is run with the search time limit. */
int query_has_text(const struct query *q);
/* Statement parameters the search's conditions take (at most QUERY_MAX_PARAMS). */
int query_params(const struct query *q);
/* All the free words and phrases, space-separated (for layout checks). */
void query_free_text(const struct query *q, const char *text, char *out, size_t size);

/* Field names that start with prefix (names and aliases, each once); returns
 * how many were written to out (pointers into the table). */
int query_complete_field(const char *prefix, const char **out, int max);
/* The field called name (any alias), or NULL. */
const struct qfield_info *query_field(const char *name);
/* The fixed values of a field that start with prefix (status codes, ...). */
int query_complete_value(enum qfield field, const char *prefix, const char **out, int max);

/* Folds text for matching: Latin transliteration, lower case (translit_fold).
 * The database keeps the same fold of every signal's text (sd_latin). */
void query_fold(const char *in, char *out, size_t size);

/* ---- columns and sorting ------------------------------------------- */

enum qcol {
    QC_REG, QC_AGE, QC_CREATED, QC_UPDATED, QC_DUE, QC_STATUS, QC_PRIORITY,
    QC_CATEGORY, QC_DISTRICT, QC_UNIT, QC_ASSIGNEE, QC_CHANNEL, QC_ADDRESS,
    QC_DESCRIPTION,
    QC_COUNT
};

struct qcol_info {
    const char *name;       /* in the INI: reg, age, ... */
    const char *title;      /* column title, through gettext */
    int width;              /* fixed width, or 0: shares the rest */
    int weight, min, max;   /* for the sharing columns */
    const char *sort_sql;   /* the sort key on "s"; an index (key, id) serves it */
    const char *sort_type;  /* the cast of a key sent back as a parameter */
    int default_desc;       /* the direction a first choice of it sorts in */
    int invert;             /* shown as an age: descending age is ascending key */
};

extern const struct qcol_info qcol_table[QC_COUNT];

#define QUERY_MAX_COLUMNS 10

struct qsort {
    enum qcol col;
    int desc;
};

/* "age", "age desc", "due asc": returns 0 or -1 with a reason. */
int qsort_parse(const char *text, struct qsort *out, char *err, size_t errsz);
/* "reg, age, status": returns the count, or -1 with a reason. */
int qcolumns_parse(const char *text, enum qcol *cols, int max, char *err, size_t errsz);
enum qcol qcol_by_name(const char *name);   /* QC_COUNT when unknown */

/* Widths of the columns for a line of `width` cells starting at column 2,
 * each followed by one space. */
void qcolumns_layout(const enum qcol *cols, int n, int width, int *widths);

#endif

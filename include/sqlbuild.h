#ifndef SIGNALDESK_SQLBUILD_H
#define SIGNALDESK_SQLBUILD_H

#include "util.h"

#define SQLQ_MAX_PARAMS 64

/* Builds a statement and its parameters together, so a value can only ever
 * travel as a parameter: sqlq_param() copies the value and appends "$n". */
struct sqlq {
    struct strbuf sql;
    const char *params[SQLQ_MAX_PARAMS];
    char *owned[SQLQ_MAX_PARAMS];
    int n;
};

void sqlq_init(struct sqlq *q);
void sqlq_free(struct sqlq *q);
/* Appends SQL text written by us (never user text). */
void sqlq_sql(struct sqlq *q, const char *sql);
/* Appends $n bound to a copy of value (NULL is SQL NULL); cast like "::bigint" may follow. */
void sqlq_param(struct sqlq *q, const char *value);
void sqlq_paramf(struct sqlq *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

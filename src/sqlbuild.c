#include "sqlbuild.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void sqlq_init(struct sqlq *q)
{
    sb_init(&q->sql);
    q->n = 0;
}

void sqlq_free(struct sqlq *q)
{
    int i;

    for (i = 0; i < q->n; i++)
        free(q->owned[i]);
    sb_free(&q->sql);
    q->n = 0;
}

void sqlq_sql(struct sqlq *q, const char *sql)
{
    sb_add(&q->sql, sql);
}

void sqlq_param(struct sqlq *q, const char *value)
{
    if (q->n >= SQLQ_MAX_PARAMS)
        die("too many query parameters");
    q->owned[q->n] = value ? xstrdup(value) : NULL;
    q->params[q->n] = q->owned[q->n];
    q->n++;
    sb_addf(&q->sql, "$%d", q->n);
}

void sqlq_paramf(struct sqlq *q, const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sqlq_param(q, buf);
}

/* Queues: the shipped ones, the ones in the settings, the saved ones. */

#include "queues.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

static const enum qcol default_cols[] = { QC_REG, QC_AGE, QC_STATUS, QC_CATEGORY, QC_DISTRICT, QC_DESCRIPTION };

void queue_defaults(struct queue_def *q)
{
    memcpy(q->cols, default_cols, sizeof default_cols);
    q->ncols = (int)ARRAY_SIZE(default_cols);
    q->sort.col = QC_AGE;
    q->sort.desc = 0;
}

static const struct {
    const char *name;
    const char *query;
    const char *sort;
    const char *columns;    /* NULL: the default ones */
    int needs_unit;
} shipped[] = {
    { N_("New"), "status:new", "age", NULL, 0 },
    { N_("Mine"), "assignee:me status:open", "age", NULL, 0 },
    { N_("My unit"), "unit:mine status:open", "age", NULL, 1 },
    { N_("Overdue"), "overdue", "due asc", "reg, due, status, category, district, description", 0 },
    /* waiting for another body (a utility, another institution): longest waiting first */
    { N_("Waiting"), "status:waiting", "updated desc", "reg, updated, unit, category, district, description", 0 },
    { N_("Recent"), "changed:1d", "updated", "reg, updated, status, assignee, category, description", 0 },
    { N_("All"), "", "age", NULL, 0 },
};

static void fill(struct queue_def *q, const char *name, const char *query, const char *sort, const char *columns)
{
    char err[256];
    int n;

    memset(q, 0, sizeof *q);
    queue_defaults(q);
    str_copy(q->name, sizeof q->name, name);
    str_copy(q->query, sizeof q->query, query ? query : "");
    if (sort && *sort && qsort_parse(sort, &q->sort, err, sizeof err) < 0)
        queue_defaults(q);
    if (columns && *columns) {
        n = qcolumns_parse(columns, q->cols, QUERY_MAX_COLUMNS, err, sizeof err);
        if (n > 0)
            q->ncols = n;
        else
            queue_defaults(q);
    }
}

int queues_configured(const struct config *cfg, int has_unit, struct queue_def *out, int max)
{
    const char *names[MAX_QUEUES];
    int n = config_sections(cfg, "queue ", names, MAX_QUEUES), i, k = 0;
    size_t s;

    if (n > 0) {
        for (i = 0; i < n && k < max; i++) {
            char section[256], name[256], *p;

            str_copy(section, sizeof section, names[i]);
            str_copy(name, sizeof name, names[i] + 6);
            for (p = section; *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                    *p = (char)(*p - 'A' + 'a');
            fill(&out[k], str_trim(name), config_str(cfg, section, "query", ""),
                 config_str(cfg, section, "sort", NULL), config_str(cfg, section, "columns", NULL));
            k++;
        }
        return k;
    }
    for (s = 0; s < ARRAY_SIZE(shipped) && k < max; s++) {
        if (shipped[s].needs_unit && !has_unit)
            continue;
        fill(&out[k], shipped[s].name, shipped[s].query, shipped[s].sort, shipped[s].columns);
        out[k].shipped = 1;
        k++;
    }
    return k;
}

void queue_columns_text(const struct queue_def *q, char *out, size_t size)
{
    int i;
    size_t n = 0;

    out[0] = '\0';
    for (i = 0; i < q->ncols && n + 1 < size; i++)
        n += (size_t)snprintf(out + n, size - n, "%s%s", i ? ", " : "", qcol_table[q->cols[i]].name);
}

enum db_status queues_saved(struct db *db, struct queue_def *out, int max, int *n)
{
    PGresult *r;
    enum db_status rc;
    int i;

    rc = db_query(db, &r, "SELECT name, query, sort, columns FROM saved_queues WHERE login = current_user"
                          " ORDER BY created_at, id", 0, NULL);
    if (rc != DB_OK)
        return rc;
    for (i = 0; i < PQntuples(r) && *n < max; i++) {
        fill(&out[*n], db_val(r, i, 0), db_val(r, i, 1), db_val(r, i, 2), db_val(r, i, 3));
        out[*n].saved = 1;
        (*n)++;
    }
    PQclear(r);
    return DB_OK;
}

enum db_status queue_save(struct db *db, const struct queue_def *q)
{
    char sort[64], cols[256];
    const char *params[4] = { q->name, q->query, sort, cols };

    snprintf(sort, sizeof sort, "%s %s", qcol_table[q->sort.col].name, q->sort.desc ? "desc" : "asc");
    queue_columns_text(q, cols, sizeof cols);
    return db_exec(db, "INSERT INTO saved_queues (name, query, sort, columns) VALUES ($1, $2, $3, $4)"
                       " ON CONFLICT (login, name) DO UPDATE"
                       " SET query = excluded.query, sort = excluded.sort, columns = excluded.columns",
                   4, params);
}

enum db_status queue_forget(struct db *db, const char *name)
{
    const char *params[1] = { name };

    return db_exec(db, "DELETE FROM saved_queues WHERE login = current_user AND name = $1", 1, params);
}

#include "import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "i18n.h"
#include "util.h"

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static int copy_sink(void *ctx, const char *buf, size_t len)
{
    return db_copy_put(ctx, buf, len) == DB_OK ? 0 : -1;
}

/* The source's column a field came from, for the report. */
static const char *column_of(const struct import_profile *p, const char *field)
{
    enum import_field f = import_field_by_name(field);

    if (f != IF_COUNT && p->columns[f])
        return p->columns[f];
    return field;
}

static const char *reason_text(const char *field, const char *reason, const char *other, char *buf, size_t size)
{
    if (strcmp(reason, "repeated") == 0) {
        snprintf(buf, size, _("the same as on line %s"), other);
        return buf;
    }
    if (strcmp(reason, "used") == 0)
        return _("this registration number is already taken");
    if (strcmp(reason, "ambiguous") == 0)
        return _("more than one category has this name; write it as \"Parent › Category\"");
    if (strcmp(field, "category") == 0)
        return _("unknown category");
    if (strcmp(field, "district") == 0)
        return _("unknown district");
    if (strcmp(field, "unit") == 0)
        return _("unknown unit");
    if (strcmp(field, "assignee") == 0)
        return _("no operator has this login");
    if (strcmp(field, "duplicate_of") == 0)
        return _("no signal has this registration number");
    return reason;
}

/* Reads the database's findings and merges them with the file's, keeping
 * the first IMPORT_MAX_ERRORS by line. */
static enum db_status merge_db_errors(struct db *db, const struct import_profile *p, long long total,
                                      struct import_report *rep)
{
    static struct import_report dbrep;
    struct import_error *all;
    PGresult *r;
    enum db_status rc;
    char limit[16];
    const char *params[1] = { limit };
    int i, n, a = 0, b = 0, k = 0;

    snprintf(limit, sizeof limit, "%d", IMPORT_MAX_ERRORS);
    rc = db_query(db, &r,
                  "SELECT line, field, reason, value, other_line FROM pg_temp.import_errors"
                  " ORDER BY line, field LIMIT $1::integer",
                  1, params);
    if (rc != DB_OK)
        return rc;
    memset(&dbrep, 0, sizeof dbrep);
    n = PQntuples(r);
    for (i = 0; i < n; i++) {
        char buf[256];
        const char *field = db_val(r, i, 1);

        import_report_add(&dbrep, atol(db_val(r, i, 0)), column_of(p, field), db_val(r, i, 3), "%s",
                          reason_text(field, db_val(r, i, 2), db_val(r, i, 4), buf, sizeof buf));
    }
    PQclear(r);
    import_report_sort(rep);
    all = xcalloc(IMPORT_MAX_ERRORS, sizeof *all);
    while (k < IMPORT_MAX_ERRORS && (a < rep->shown || b < dbrep.shown)) {
        if (b >= dbrep.shown || (a < rep->shown && rep->errors[a].line <= dbrep.errors[b].line))
            all[k++] = rep->errors[a++];
        else
            all[k++] = dbrep.errors[b++];
    }
    memcpy(rep->errors, all, (size_t)k * sizeof *all);
    rep->shown = k;
    rep->nerrors += total;
    free(all);
    return DB_OK;
}

enum db_status import_file(struct db *db, const struct import_profile *p, const char *path,
                           const char *regno_format, int dry_run, import_progress_fn progress, void *progress_ctx,
                           struct import_report *rep)
{
    FILE *f;
    struct stat st;
    enum db_status rc;
    PGresult *r;
    int read_rc;
    long long db_errors = 0;
    double t0 = now_ms();

    memset(rep, 0, sizeof *rep);
    f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(rep->fatal, sizeof rep->fatal, _("cannot read the file: %s"), strerror(errno));
        return DB_OK;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(rep->fatal, sizeof rep->fatal, _("cannot read the file: %s"), strerror(EISDIR));
        if (f != stdin)
            fclose(f);
        return DB_OK;
    }
    if ((rc = db_begin(db)) != DB_OK)
        goto close;
    /* a million rows take longer than any one screen's query */
    rc = db_exec(db, "SET LOCAL statement_timeout = 0", 0, NULL);
    /* compiling the big statements costs more than it saves */
    if (rc == DB_OK)
        rc = db_exec(db, "SET LOCAL jit = off", 0, NULL);
    if (rc == DB_OK && p->timezone[0]) {
        const char *params[1] = { p->timezone };

        rc = db_exec(db, "SELECT set_config('TimeZone', $1, true)", 1, params);
    }
    if (rc == DB_OK) {
        /* one import of a source at a time; the second then finds the first's rows */
        const char *params[1] = { p->source };

        rc = db_exec(db, "SELECT pg_advisory_xact_lock(hashtext('signaldesk.import'), hashtext($1))", 1, params);
    }
    if (rc == DB_OK)
        rc = db_exec(db, "SELECT signaldesk.import_stage()", 0, NULL);
    if (rc == DB_OK)
        rc = db_copy_begin(db, "COPY pg_temp.import_rows FROM STDIN");
    if (rc != DB_OK)
        goto rollback;
    read_rc = import_read(f, S_ISREG(st.st_mode) ? (long long)st.st_size : 0, p, copy_sink, db, progress,
                          progress_ctx, rep);
    if (read_rc == -2) {
        /* the connection failed under the COPY */
        char why[sizeof db->errmsg];

        str_copy(why, sizeof why, db->errmsg);
        db_copy_end(db, "stopped");
        db_set_error(db, "%s", why);
        rc = db_connected(db) ? DB_ERROR : DB_LOST;
        goto rollback;
    }
    if (read_rc < 0) {
        db_copy_end(db, "the file cannot be read");
        db_rollback(db);
        goto close;
    }
    if ((rc = db_copy_end(db, NULL)) != DB_OK)
        goto rollback;
    rep->ms_read = now_ms() - t0;
    t0 = now_ms();
    {
        const char *params[2] = { p->source, p->match_reg_no ? "true" : "false" };

        rc = db_query(db, &r, "SELECT errors, skipped FROM signaldesk.import_check($1, $2::boolean)", 2, params);
        if (rc != DB_OK)
            goto rollback;
        db_errors = db_ll(r, 0, 0);
        rep->skipped = db_ll(r, 0, 1);
        PQclear(r);
    }
    if (db_errors > 0 && (rc = merge_db_errors(db, p, db_errors, rep)) != DB_OK)
        goto rollback;
    import_report_sort(rep);
    rep->ms_check = now_ms() - t0;
    t0 = now_ms();
    if (rep->nerrors > 0) {
        db_rollback(db);
        goto close;
    }
    {
        char comment[256], source[160];
        const char *params[3] = { regno_format, p->source, comment };
        size_t i, o = 0;

        /* the comment goes through format(): a % of the name stays one */
        for (i = 0; p->source[i] && o + 2 < sizeof source; i++) {
            if (p->source[i] == '%')
                source[o++] = '%';
            source[o++] = p->source[i];
        }
        source[o] = '\0';
        snprintf(comment, sizeof comment, _("Imported from %s, id %%s"), source);
        /* a dry run only foresees the numbers: taking them would hold the
         * year's counter, and with it every intake, until the end */
        rc = db_query(db, &r,
                      dry_run ? "SELECT inserted, coalesce(first_reg_no, ''), coalesce(last_reg_no, '')"
                                "  FROM signaldesk.import_preview($1)"
                              : "SELECT inserted, coalesce(first_reg_no, ''), coalesce(last_reg_no, '')"
                                "  FROM signaldesk.import_apply($1, $2, $3)",
                      dry_run ? 1 : 3, params);
        if (rc != DB_OK)
            goto rollback;
        rep->imported = db_ll(r, 0, 0);
        str_copy(rep->first_reg_no, sizeof rep->first_reg_no, db_val(r, 0, 1));
        str_copy(rep->last_reg_no, sizeof rep->last_reg_no, db_val(r, 0, 2));
        PQclear(r);
    }
    if (dry_run)
        db_rollback(db);
    else
        rc = db_commit(db);
    rep->ms_insert = now_ms() - t0;
    goto close;
rollback:
    db_rollback(db);
    rep->imported = 0;
close:
    if (f != stdin)
        fclose(f);
    return rc;
}

void import_error_text(const struct import_error *e, char *out, size_t size)
{
    char where[160];

    if (e->column[0])
        snprintf(where, sizeof where, _("line %ld, column \"%s\""), e->line, e->column);
    else
        snprintf(where, sizeof where, _("line %ld"), e->line);
    if (e->value[0])
        snprintf(out, size, _("%s: %s: \"%s\""), where, e->reason, e->value);
    else
        snprintf(out, size, "%s: %s", where, e->reason);
}

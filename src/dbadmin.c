#include "dbadmin.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvread.h"
#include "i18n.h"
#include "sqlfiles.h"
#include "util.h"

const char *sql_file_text(const char *name)
{
    const struct sql_file *f;

    for (f = sql_files; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f->text;
    return NULL;
}

static int migration_number(const char *name)
{
    if (name[0] < '0' || name[0] > '9')
        return 0;
    return atoi(name);
}

enum db_status db_schema_version(struct db *db, int *version)
{
    PGresult *r;
    enum db_status rc;
    int exists;

    *version = 0;
    rc = db_query(db, &r, "SELECT to_regclass('signaldesk.schema_migrations') IS NOT NULL", 0, NULL);
    if (rc != DB_OK)
        return rc;
    exists = db_val(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!exists)
        return DB_OK;
    rc = db_query(db, &r, "SELECT coalesce(max(version), 0) FROM signaldesk.schema_migrations", 0, NULL);
    if (rc != DB_OK)
        return rc;
    *version = (int)db_ll(r, 0, 0);
    PQclear(r);
    return DB_OK;
}

enum db_status db_migrate(struct db *db, int *applied)
{
    const struct sql_file *f;
    enum db_status rc;

    *applied = 0;
    rc = db_check_locale(db);
    if (rc != DB_OK)
        return rc;
    for (f = sql_files; f->name; f++) {
        int num = migration_number(f->name), have;
        char numbuf[16];
        const char *params[2] = { numbuf, f->name };
        PGresult *r;

        if (num <= 0)
            continue;
        if ((rc = db_begin(db)) != DB_OK)
            return rc;
        /* one migrator at a time; the other waits, then finds the work done */
        rc = db_exec(db, "SELECT pg_advisory_xact_lock(hashtext('signaldesk.migrate'))", 0, NULL);
        /* a migration may have to go over all the history there is */
        if (rc == DB_OK)
            rc = db_exec(db, "SET LOCAL statement_timeout = 0", 0, NULL);
        if (rc == DB_OK)
            rc = db_script(db, "CREATE SCHEMA IF NOT EXISTS signaldesk;"
                               "CREATE TABLE IF NOT EXISTS signaldesk.schema_migrations ("
                               " version integer PRIMARY KEY, name text NOT NULL,"
                               " applied_at timestamptz NOT NULL DEFAULT now())");
        snprintf(numbuf, sizeof numbuf, "%d", num);
        if (rc == DB_OK)
            rc = db_query(db, &r, "SELECT 1 FROM signaldesk.schema_migrations WHERE version = $1", 1, params);
        if (rc != DB_OK) {
            db_rollback(db);
            return rc;
        }
        have = PQntuples(r) > 0;
        PQclear(r);
        if (have) {
            db_rollback(db);
            continue;
        }
        rc = db_script(db, f->text);
        if (rc == DB_OK)
            rc = db_exec(db, "INSERT INTO signaldesk.schema_migrations (version, name) VALUES ($1, $2)", 2,
                         params);
        if (rc == DB_OK)
            rc = db_exec(db, "SET search_path = signaldesk, public", 0, NULL);
        if (rc != DB_OK) {
            char why[sizeof db->errmsg];

            str_copy(why, sizeof why, db->errmsg);
            db_rollback(db);
            db_set_error(db, _("migration %s failed: %s"), f->name, why);
            return rc;
        }
        if ((rc = db_commit(db)) != DB_OK)
            return rc;
        (*applied)++;
    }
    /* what the new migrations made gets the privileges of its kind */
    if (*applied > 0)
        return db_apply_privileges(db);
    return DB_OK;
}

enum db_status db_apply_privileges(struct db *db)
{
    PGresult *r;
    enum db_status rc;
    int have;

    rc = db_query(db, &r, "SELECT to_regprocedure('signaldesk.apply_privileges()') IS NOT NULL", 0, NULL);
    if (rc != DB_OK)
        return rc;
    have = db_val(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!have)
        return DB_OK;
    rc = db_exec(db, "SELECT signaldesk.apply_privileges()", 0, NULL);
    if (rc != DB_OK) {
        char why[sizeof db->errmsg];

        str_copy(why, sizeof why, db->errmsg);
        db_set_error(db, _("the privileges could not be applied (db init and migrate are for the database's "
                           "owner): %s"),
                     why);
    }
    return rc;
}

enum db_status db_apply_access(struct db *db, const char *key, const char *value, int *changed)
{
    const char *params[2] = { key, value };
    PGresult *r;
    enum db_status rc;

    *changed = 0;
    if (!value)
        return DB_OK;
    rc = db_query(db, &r,
                  "UPDATE signaldesk.settings SET value = $2 WHERE key = $1 AND value IS DISTINCT FROM $2", 2,
                  params);
    if (rc != DB_OK)
        return rc;
    *changed = strcmp(PQcmdTuples(r), "0") != 0;
    PQclear(r);
    return DB_OK;
}

/* Reference files: their columns, in the order of the statement's $n. */
struct ref_file {
    const char *file;
    const char *columns[6];
    const char *sql;
};

static const struct ref_file ref_files[] = {
    { "districts.csv", { "name", "name_latin", "lat", "lon", "radius_km", "weight" },
      "INSERT INTO districts (name, name_latin, lat, lon, radius_km, weight)"
      " VALUES ($1, $2, $3::float8, $4::float8, coalesce(nullif($5, '')::real, 2),"
      "         coalesce(nullif($6, '')::real, 1))" },
    { "units.csv", { "name", "email", "kind" },
      "INSERT INTO units (name, email, kind) VALUES ($1, nullif($2, ''), coalesce(nullif($3, ''), 'municipal'))" },
    { "categories.csv", { "parent", "name", "name_latin", "default_unit", "sla_hours", "weight" },
      "INSERT INTO categories (parent_id, name, name_latin, default_unit_id, sla_hours, weight)"
      " SELECT p.id, $2, $3, u.id, coalesce(nullif($5, '')::integer, 168), coalesce(nullif($6, '')::real, 1)"
      "   FROM (SELECT 1) one"
      "   LEFT JOIN categories p ON p.name = $1 AND p.parent_id IS NULL"
      "   LEFT JOIN units u ON u.name = $4"
      "  WHERE ($1 = '' OR p.id IS NOT NULL) AND ($4 = '' OR u.id IS NOT NULL)" },
    { "routing.csv", { "category", "district", "unit" },
      "INSERT INTO routing (category_id, district_id, unit_id)"
      " SELECT c.id, d.id, u.id FROM categories c, districts d, units u"
      "  WHERE c.name = $1 AND d.name = $2 AND u.name = $3" },
    { "templates.csv", { "category", "kind", "title", "body" },
      "INSERT INTO response_templates (category_id, kind, title, body)"
      " SELECT c.id, $2, $3, $4 FROM (SELECT 1) one LEFT JOIN categories c ON c.name = $1"
      "  WHERE $1 = '' OR c.id IS NOT NULL" },
};

struct ref_load {
    struct db *db;
    const struct ref_file *spec;
    int map[6];
    int ncols;
    char err[1024];
    enum db_status rc;
};

static int ref_record(void *vctx, const struct csv_record *rec)
{
    struct ref_load *ctx = vctx;
    const char *params[6];
    PGresult *r;
    int i;

    if (rec->record == 1) {
        for (i = 0; i < ctx->ncols; i++) {
            ctx->map[i] = csv_column(rec, ctx->spec->columns[i]);
            if (ctx->map[i] < 0) {
                snprintf(ctx->err, sizeof ctx->err, _("%s: the header has no column '%s'"), ctx->spec->file,
                         ctx->spec->columns[i]);
                ctx->rc = DB_ERROR;
                return 1;
            }
        }
        return 0;
    }
    if (rec->n == 1 && rec->fields[0][0] == '\0')
        return 0;  /* a blank line */
    for (i = 0; i < ctx->ncols; i++)
        params[i] = (size_t)ctx->map[i] < rec->n ? rec->fields[ctx->map[i]] : "";
    ctx->rc = db_query(ctx->db, &r, ctx->spec->sql, ctx->ncols, params);
    if (ctx->rc != DB_OK) {
        snprintf(ctx->err, sizeof ctx->err, _("%s, record %ld: %s"), ctx->spec->file, rec->record,
                 ctx->db->errmsg);
        return 1;
    }
    if (strcmp(PQcmdTuples(r), "1") != 0) {
        snprintf(ctx->err, sizeof ctx->err,
                 _("%s, record %ld: it names a category, district or unit that is not defined"),
                 ctx->spec->file, rec->record);
        ctx->rc = DB_ERROR;
        PQclear(r);
        return 1;
    }
    PQclear(r);
    return 0;
}

enum db_status db_load_reference(struct db *db, const char *dir, int *loaded)
{
    PGresult *r;
    enum db_status rc;
    size_t i;

    *loaded = 0;
    rc = db_query(db, &r, "SELECT EXISTS (SELECT 1 FROM districts) OR EXISTS (SELECT 1 FROM categories)", 0,
                  NULL);
    if (rc != DB_OK)
        return rc;
    if (db_val(r, 0, 0)[0] == 't') {
        PQclear(r);
        return DB_OK;
    }
    PQclear(r);
    if ((rc = db_begin(db)) != DB_OK)
        return rc;
    for (i = 0; i < ARRAY_SIZE(ref_files); i++) {
        struct ref_load ctx;
        char path[PATH_MAX], err[512];
        FILE *f;
        int n;

        memset(&ctx, 0, sizeof ctx);
        ctx.db = db;
        ctx.spec = &ref_files[i];
        for (n = 0; n < 6 && ctx.spec->columns[n]; n++)
            ;
        ctx.ncols = n;
        snprintf(path, sizeof path, "%s/%s", dir, ctx.spec->file);
        f = fopen(path, "r");
        if (!f) {
            if (errno == ENOENT && strcmp(ctx.spec->file, "templates.csv") == 0)
                continue;
            db_rollback(db);
            db_set_error(db, _("%s: cannot read the reference data: %s"), path, strerror(errno));
            return DB_ERROR;
        }
        n = csv_read(f, ',', ref_record, &ctx, err, sizeof err);
        fclose(f);
        if (n < 0) {
            db_rollback(db);
            db_set_error(db, "%s: %s", path, err);
            return DB_ERROR;
        }
        if (ctx.rc != DB_OK) {
            db_rollback(db);
            db_set_error(db, "%s", ctx.err);
            return ctx.rc;
        }
    }
    if ((rc = db_commit(db)) != DB_OK)
        return rc;
    *loaded = 1;
    return DB_OK;
}

enum db_status db_demo(struct db *db, long signals, double seed)
{
    char nbuf[32], seedbuf[32];
    const char *params[2] = { nbuf, seedbuf };
    const char *script = sql_file_text("demo.sql");
    PGresult *r;
    enum db_status rc;
    long long have;

    if (!script) {
        db_set_error(db, "%s", _("this build has no demo data generator"));
        return DB_ERROR;
    }
    rc = db_query(db, &r, "SELECT count(*) FROM signals", 0, NULL);
    if (rc != DB_OK)
        return rc;
    have = db_ll(r, 0, 0);
    PQclear(r);
    if (have > 0) {
        db_set_error(db,
                     ngettext("the database already holds %lld signal; demo data goes only into an empty one",
                              "the database already holds %lld signals; demo data goes only into an empty one",
                              (unsigned long)have),
                     have);
        return DB_REFUSED;
    }
    snprintf(nbuf, sizeof nbuf, "%ld", signals);
    snprintf(seedbuf, sizeof seedbuf, "%.6f", seed);
    if ((rc = db_begin(db)) != DB_OK)
        return rc;
    /* the generator runs long; no statement limit for it */
    rc = db_exec(db, "SET LOCAL statement_timeout = 0", 0, NULL);
    if (rc == DB_OK)
        rc = db_script(db, script);
    if (rc == DB_OK)
        rc = db_exec(db, "SELECT pg_temp.demo_generate($1::integer, $2::float8)", 2, params);
    /* the planner's statistics of what was made, in the same transaction
     * (a million signals take longer than a console statement may) */
    if (rc == DB_OK)
        rc = db_script(db, "ANALYZE signaldesk.signals; ANALYZE signaldesk.signal_events;"
                           " ANALYZE signaldesk.reporters; ANALYZE signaldesk.report_facts;"
                           " ANALYZE signaldesk.report_spans");
    if (rc != DB_OK) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}

const char *reference_dir(const char *configured, const char *argv0, char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n;

    if (configured && *configured)
        return configured;
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        char *slash;

        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, size, "%s/../conf/sofia", exe);
            if (access(buf, R_OK) == 0)
                return buf;
        }
    }
    (void)argv0;
    snprintf(buf, size, "%s/sofia", DATADIR);
    return buf;
}

#include "admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

/* Reads all rows of a query into an array of `size`-byte records, one
 * callback per row. */
static enum db_status read_list(struct db *db, const char *sql, size_t size, void **out, int *n,
                                void (*row)(const PGresult *r, int i, void *rec))
{
    PGresult *r;
    enum db_status rc;
    int i;

    *out = NULL;
    *n = 0;
    rc = db_query(db, &r, sql, 0, NULL);
    if (rc != DB_OK)
        return rc;
    *n = PQntuples(r);
    *out = xcalloc((size_t)*n, size);
    for (i = 0; i < *n; i++)
        row(r, i, (char *)*out + (size_t)i * size);
    PQclear(r);
    return DB_OK;
}

static void unit_row(const PGresult *r, int i, void *rec)
{
    struct ref_unit *u = rec;

    u->id = (int)db_ll(r, i, 0);
    str_copy(u->name, sizeof u->name, db_val(r, i, 1));
    str_copy(u->email, sizeof u->email, db_val(r, i, 2));
    str_copy(u->kind, sizeof u->kind, db_val(r, i, 3));
    u->active = db_val(r, i, 4)[0] == 't';
}

enum db_status units_list(struct db *db, struct ref_unit **out, int *n)
{
    return read_list(db,
                     "SELECT id, name, coalesce(email, ''), kind, active FROM units"
                     " ORDER BY name COLLATE \"C\", id",
                     sizeof **out, (void **)out, n, unit_row);
}

static void category_row(const PGresult *r, int i, void *rec)
{
    struct ref_category *c = rec;

    c->id = (int)db_ll(r, i, 0);
    c->parent_id = (int)db_ll(r, i, 1);
    str_copy(c->name, sizeof c->name, db_val(r, i, 2));
    str_copy(c->name_latin, sizeof c->name_latin, db_val(r, i, 3));
    c->unit_id = (int)db_ll(r, i, 4);
    str_copy(c->unit, sizeof c->unit, db_val(r, i, 5));
    c->sla_hours = (int)db_ll(r, i, 6);
    c->active = db_val(r, i, 7)[0] == 't';
    c->children = (int)db_ll(r, i, 8);
}

enum db_status categories_list(struct db *db, struct ref_category **out, int *n)
{
    /* the tree: each parent, then its children; both by name */
    return read_list(db,
                     "SELECT c.id, coalesce(c.parent_id, 0), c.name, c.name_latin, coalesce(c.default_unit_id, 0),"
                     "       coalesce(u.name, ''), c.sla_hours, c.active,"
                     "       (SELECT count(*) FROM categories k WHERE k.parent_id = c.id)"
                     "  FROM categories c"
                     "  LEFT JOIN categories p ON p.id = c.parent_id"
                     "  LEFT JOIN units u ON u.id = c.default_unit_id"
                     " ORDER BY coalesce(p.name, c.name), coalesce(p.id, c.id), c.parent_id IS NOT NULL, c.name, c.id",
                     sizeof **out, (void **)out, n, category_row);
}

static void district_row(const PGresult *r, int i, void *rec)
{
    struct ref_district *d = rec;

    d->id = (int)db_ll(r, i, 0);
    str_copy(d->name, sizeof d->name, db_val(r, i, 1));
}

enum db_status districts_list(struct db *db, struct ref_district **out, int *n)
{
    return read_list(db, "SELECT id, name FROM districts ORDER BY id", sizeof **out, (void **)out, n, district_row);
}

static void operator_row(const PGresult *r, int i, void *rec)
{
    struct ref_operator *o = rec;

    str_copy(o->login, sizeof o->login, db_val(r, i, 0));
    str_copy(o->name, sizeof o->name, db_val(r, i, 1));
    o->unit_id = (int)db_ll(r, i, 2);
    str_copy(o->unit, sizeof o->unit, db_val(r, i, 3));
    str_copy(o->level, sizeof o->level, db_val(r, i, 4));
    o->active = db_val(r, i, 5)[0] == 't';
    o->has_login = db_val(r, i, 6)[0] == 't';
}

enum db_status operators_list(struct db *db, struct ref_operator **out, int *n)
{
    return read_list(db,
                     "SELECT o.login, o.name, coalesce(o.unit_id, 0), coalesce(u.name, ''), o.level, o.active,"
                     "       EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = o.login)"
                     "  FROM operators o LEFT JOIN units u ON u.id = o.unit_id"
                     " ORDER BY o.login",
                     sizeof **out, (void **)out, n, operator_row);
}

static void template_row(const PGresult *r, int i, void *rec)
{
    struct ref_template *t = rec;

    t->id = (int)db_ll(r, i, 0);
    t->category_id = (int)db_ll(r, i, 1);
    str_copy(t->category, sizeof t->category, db_val(r, i, 2));
    str_copy(t->kind, sizeof t->kind, db_val(r, i, 3));
    str_copy(t->title, sizeof t->title, db_val(r, i, 4));
    str_copy(t->body, sizeof t->body, db_val(r, i, 5));
    t->active = db_val(r, i, 6)[0] == 't';
}

enum db_status templates_list(struct db *db, struct ref_template **out, int *n)
{
    return read_list(db,
                     "SELECT t.id, coalesce(t.category_id, 0), coalesce(c.name, ''), t.kind, t.title, t.body, t.active"
                     "  FROM response_templates t LEFT JOIN categories c ON c.id = t.category_id"
                     " ORDER BY t.kind DESC, coalesce(c.name, ''), t.title, t.id",
                     sizeof **out, (void **)out, n, template_row);
}

static void routing_row(const PGresult *r, int i, void *rec)
{
    struct routing_cell *c = rec;

    c->category_id = (int)db_ll(r, i, 0);
    c->district_id = (int)db_ll(r, i, 1);
    c->unit_id = (int)db_ll(r, i, 2);
}

enum db_status routing_list(struct db *db, struct routing_cell **out, int *n)
{
    return read_list(db, "SELECT category_id, district_id, unit_id FROM routing ORDER BY 1, 2", sizeof **out,
                     (void **)out, n, routing_row);
}

static void setting_row(const PGresult *r, int i, void *rec)
{
    struct ref_setting *s = rec;

    str_copy(s->key, sizeof s->key, db_val(r, i, 0));
    str_copy(s->value, sizeof s->value, db_val(r, i, 1));
}

enum db_status settings_list(struct db *db, struct ref_setting **out, int *n)
{
    return read_list(db, "SELECT key, value FROM settings ORDER BY key", sizeof **out, (void **)out, n,
                     setting_row);
}

/* ---- changes ---------------------------------------------------------- */

/* $1 the row's key, $2 the value as the person saw it, $3 the new value.
 * The WHERE clause compares the old value so a change made meanwhile is
 * never overwritten. */
static const char *const field_sql[F_COUNT] = {
    [F_UNIT_NAME] = "UPDATE units SET name = btrim($3) WHERE id = $1::integer AND name = $2",
    [F_UNIT_EMAIL] = "UPDATE units SET email = nullif(btrim($3), '')"
                     " WHERE id = $1::integer AND coalesce(email, '') = $2",
    [F_UNIT_KIND] = "UPDATE units SET kind = $3 WHERE id = $1::integer AND kind = $2",
    [F_UNIT_ACTIVE] = "UPDATE units SET active = $3::boolean WHERE id = $1::integer AND active = $2::boolean",
    [F_CAT_NAME] = "UPDATE categories SET name = btrim($3) WHERE id = $1::integer AND name = $2",
    [F_CAT_LATIN] = "UPDATE categories SET name_latin = btrim($3) WHERE id = $1::integer AND name_latin = $2",
    [F_CAT_PARENT] = "UPDATE categories SET parent_id = nullif($3, '0')::integer"
                     " WHERE id = $1::integer AND coalesce(parent_id, 0) = $2::integer",
    [F_CAT_UNIT] = "UPDATE categories SET default_unit_id = nullif($3, '0')::integer"
                   " WHERE id = $1::integer AND coalesce(default_unit_id, 0) = $2::integer",
    [F_CAT_SLA] = "UPDATE categories SET sla_hours = $3::integer WHERE id = $1::integer AND sla_hours = $2::integer",
    [F_CAT_ACTIVE] = "UPDATE categories SET active = $3::boolean WHERE id = $1::integer AND active = $2::boolean",
    [F_TPL_TITLE] = "UPDATE response_templates SET title = btrim($3) WHERE id = $1::integer AND title = $2",
    [F_TPL_BODY] = "UPDATE response_templates SET body = btrim($3) WHERE id = $1::integer AND body = $2",
    [F_TPL_KIND] = "UPDATE response_templates SET kind = $3 WHERE id = $1::integer AND kind = $2",
    [F_TPL_CATEGORY] = "UPDATE response_templates SET category_id = nullif($3, '0')::integer"
                       " WHERE id = $1::integer AND coalesce(category_id, 0) = $2::integer",
    [F_TPL_ACTIVE] = "UPDATE response_templates SET active = $3::boolean"
                     " WHERE id = $1::integer AND active = $2::boolean",
    [F_OP_NAME] = "UPDATE operators SET name = btrim($3) WHERE login = $1 AND name = $2",
    [F_OP_UNIT] = "UPDATE operators SET unit_id = nullif($3, '0')::integer"
                  " WHERE login = $1 AND coalesce(unit_id, 0) = $2::integer",
    [F_SETTING] = "UPDATE settings SET value = $3 WHERE key = $1 AND value = $2",
};

/* One statement; zero rows changed means someone was first. */
static enum db_status change(struct db *db, const char *sql, int nparams, const char *const *params)
{
    PGresult *r;
    enum db_status rc = db_query(db, &r, sql, nparams, params);

    if (rc != DB_OK)
        return rc;
    if (strcmp(PQcmdTuples(r), "0") == 0) {
        db_set_error(db, "%s", _("Someone changed this meanwhile; nothing was saved."));
        rc = DB_CONFLICT;
    }
    PQclear(r);
    return rc;
}

enum db_status ref_set(struct db *db, enum ref_field field, const char *key, const char *old, const char *value)
{
    const char *params[3] = { key, old ? old : "", value ? value : "" };

    if (field < 0 || field >= F_COUNT)
        return DB_ERROR;
    return change(db, field_sql[field], 3, params);
}

enum db_status unit_add(struct db *db, const char *name, const char *email, const char *kind)
{
    const char *params[3] = { name, email ? email : "", kind };

    return db_exec(db, "INSERT INTO units (name, email, kind) VALUES (btrim($1), nullif(btrim($2), ''), $3)", 3,
                   params);
}

enum db_status category_add(struct db *db, int parent_id, const char *name, const char *name_latin, int unit_id,
                            int sla_hours)
{
    char parent[16], unit[16], sla[16];
    const char *params[5] = { parent, name, name_latin, unit, sla };

    snprintf(parent, sizeof parent, "%d", parent_id);
    snprintf(unit, sizeof unit, "%d", unit_id);
    snprintf(sla, sizeof sla, "%d", sla_hours);
    return db_exec(db,
                   "INSERT INTO categories (parent_id, name, name_latin, default_unit_id, sla_hours)"
                   " VALUES (nullif($1, '0')::integer, btrim($2), btrim($3), nullif($4, '0')::integer, $5::integer)",
                   5, params);
}

enum db_status template_add(struct db *db, int category_id, const char *kind, const char *title, const char *body)
{
    char cat[16];
    const char *params[4] = { cat, kind, title, body };

    snprintf(cat, sizeof cat, "%d", category_id);
    return db_exec(db,
                   "INSERT INTO response_templates (category_id, kind, title, body)"
                   " VALUES (nullif($1, '0')::integer, $2, btrim($3), btrim($4))",
                   4, params);
}

enum db_status routing_set(struct db *db, int category_id, int district_id, int old_unit, int unit_id)
{
    char cat[16], dist[16], old[16], unit[16];
    const char *params[4] = { cat, dist, old, unit };

    snprintf(cat, sizeof cat, "%d", category_id);
    snprintf(dist, sizeof dist, "%d", district_id);
    snprintf(old, sizeof old, "%d", old_unit);
    snprintf(unit, sizeof unit, "%d", unit_id);
    if (old_unit == unit_id)
        return DB_OK;
    if (unit_id == 0)
        return change(db,
                      "DELETE FROM routing WHERE category_id = $1::integer AND district_id = $2::smallint"
                      " AND unit_id = $3::integer",
                      3, params);
    if (old_unit == 0)
        return change(db,
                      "INSERT INTO routing (category_id, district_id, unit_id)"
                      " VALUES ($1::integer, $2::smallint, $3::integer) ON CONFLICT DO NOTHING",
                      3, (const char *const[]){ cat, dist, unit });
    return change(db,
                  "UPDATE routing SET unit_id = $4::integer"
                  " WHERE category_id = $1::integer AND district_id = $2::smallint AND unit_id = $3::integer",
                  4, params);
}

enum db_status operator_add(struct db *db, const char *login, const char *name, int unit_id, const char *level,
                            const char *password)
{
    char unit[16], *verifier = NULL;
    const char *params[5] = { login, name, unit, level, NULL };
    enum db_status rc;

    snprintf(unit, sizeof unit, "%d", unit_id);
    if (password && *password) {
        verifier = db_password_verifier(db, login, password);
        if (!verifier)
            return DB_ERROR;
        params[4] = verifier;
    }
    rc = db_exec(db, "SELECT create_operator($1, $2, nullif($3, '0')::integer, $4, $5)", 5, params);
    free(verifier);
    return rc;
}

enum db_status operator_set_level(struct db *db, const char *login, const char *old, const char *level)
{
    const char *params[3] = { login, level, old };

    return db_exec(db, "SELECT set_operator_level($1, $2, $3)", 3, params);
}

enum db_status operator_set_active(struct db *db, const char *login, int active)
{
    const char *params[2] = { login, active ? "true" : "false" };

    return db_exec(db, "SELECT set_operator_active($1, $2::boolean)", 2, params);
}

enum db_status operator_set_password(struct db *db, const char *login, const char *password)
{
    char *verifier = db_password_verifier(db, login, password);
    const char *params[2] = { login, verifier };
    enum db_status rc;

    if (!verifier)
        return DB_ERROR;
    rc = db_exec(db, "SELECT set_operator_password($1, $2)", 2, params);
    free(verifier);
    return rc;
}

#ifndef SIGNALDESK_ADMIN_H
#define SIGNALDESK_ADMIN_H

/* The reference data and the people, for the admin screens.  The tables are
 * small (hundreds of rows), so a list is read whole.  Every change is one
 * statement, so one short transaction; the database audits it
 * (admin_events) and refuses what the person's role may not do.  A change
 * of a field names the value the person saw: when someone changed it
 * meanwhile nothing is saved and DB_CONFLICT comes back. */

#include "db.h"

struct ref_unit {
    int id;
    char name[160];
    char email[160];
    char kind[16];          /* district, municipal, external */
    int active;
};

struct ref_category {
    int id;
    int parent_id;          /* 0: a top-level category */
    char name[160];
    char name_latin[160];
    int unit_id;            /* the default unit; 0: none */
    char unit[160];
    int sla_hours;
    int active;
    int children;           /* how many subcategories */
};

struct ref_district {
    int id;
    char name[64];
};

struct ref_operator {
    char login[64];
    char name[160];
    int unit_id;            /* 0: none */
    char unit[160];
    char level[16];
    int active;
    int has_login;          /* a database role of that name exists */
};

struct ref_template {
    int id;
    int category_id;        /* 0: any category */
    char category[160];
    char kind[16];          /* response, answer */
    char title[200];
    char body[2000];
    int active;
};

struct routing_cell {
    int category_id;
    int district_id;
    int unit_id;
};

struct ref_setting {
    char key[64];
    char value[64];
};

/* Lists, malloc'd (free() them).  Categories come as a tree: each top-level
 * category followed by its subcategories, by name. */
enum db_status units_list(struct db *db, struct ref_unit **out, int *n);
enum db_status categories_list(struct db *db, struct ref_category **out, int *n);
enum db_status districts_list(struct db *db, struct ref_district **out, int *n);
enum db_status operators_list(struct db *db, struct ref_operator **out, int *n);
enum db_status templates_list(struct db *db, struct ref_template **out, int *n);
enum db_status routing_list(struct db *db, struct routing_cell **out, int *n);
enum db_status settings_list(struct db *db, struct ref_setting **out, int *n);

/* The fields a change names; each has its own statement. */
enum ref_field {
    F_UNIT_NAME, F_UNIT_EMAIL, F_UNIT_KIND, F_UNIT_ACTIVE,
    F_CAT_NAME, F_CAT_LATIN, F_CAT_PARENT, F_CAT_UNIT, F_CAT_SLA, F_CAT_ACTIVE,
    F_TPL_TITLE, F_TPL_BODY, F_TPL_KIND, F_TPL_CATEGORY, F_TPL_ACTIVE,
    F_OP_NAME, F_OP_UNIT,
    F_SETTING,
    F_COUNT
};

/* Sets one field of the row with key `key` (an id, a login, a setting's
 * key) from `old` (as text, as the list read it; "" for none) to `value`
 * ("" for none; numbers and ids as text, booleans "true"/"false"). */
enum db_status ref_set(struct db *db, enum ref_field field, const char *key, const char *old, const char *value);

enum db_status unit_add(struct db *db, const char *name, const char *email, const char *kind);
enum db_status category_add(struct db *db, int parent_id, const char *name, const char *name_latin, int unit_id,
                            int sla_hours);
enum db_status template_add(struct db *db, int category_id, const char *kind, const char *title, const char *body);

/* A routing cell: the unit (0: back to the category's default).  old_unit
 * is the cell's own unit as read (0: it had none). */
enum db_status routing_set(struct db *db, int category_id, int district_id, int old_unit, int unit_id);

/* People.  The password is hashed here (SCRAM) and never sent in clear; ""
 * or NULL: no password (peer authentication, e.g. admins over SSH). */
enum db_status operator_add(struct db *db, const char *login, const char *name, int unit_id, const char *level,
                            const char *password);
enum db_status operator_set_level(struct db *db, const char *login, const char *old, const char *level);
enum db_status operator_set_active(struct db *db, const char *login, int active);
enum db_status operator_set_password(struct db *db, const char *login, const char *password);

#endif

/* Who may do what: the database, not the console, refuses.  Each test logs
 * in as a person of a level (their own login role, with a password) and
 * tries things directly, with the console out of the way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "audit.h"
#include "dbadmin.h"
#include "dbtest.h"
#include "dupes.h"
#include "signals.h"
#include "test.h"
#include "util.h"

#define DB_NAME "t_db_roles"

static struct db owner;     /* the superuser that ran db init */
static struct db op, op2, sup, adm;

/* Signals of the fixture by their number СО26-КЦ-000100 + i: unit Лозенец
 * when i % 3 == 0, else Столичен инспекторат; status by i % 10 (0 new,
 * 2 registered, 3 assigned, 4 in progress, 6 resolved). */
#define SIG_LOZENETS_NEW sig(0)
#define SIG_INSPECT_NEW sig(1)
#define SIG_LOZENETS_ASSIGNED sig(3)
#define SIG_INSPECT_IN_PROGRESS sig(4)
#define SIG_INSPECT_ASSIGNED sig(13)
#define SIG_INSPECT_RESOLVED sig(16)

static long long sig(int i);

static void quote_conn(char *out, size_t size, const char *v)
{
    size_t n = 0;

    out[n++] = '\'';
    for (; *v && n + 3 < size; v++) {
        if (*v == '\'' || *v == '\\')
            out[n++] = '\\';
        out[n++] = *v;
    }
    out[n++] = '\'';
    out[n] = '\0';
}

static enum db_status connect_as(struct db *d, const char *login, const char *password)
{
    char conninfo[512], qp[256];

    memset(d, 0, sizeof *d);
    quote_conn(qp, sizeof qp, password);
    snprintf(conninfo, sizeof conninfo, "dbname=" DB_NAME " user=%s password=%s", login, qp);
    return db_connect(d, conninfo, 0);
}

static const char *unit_id(const char *name, char *buf, size_t size)
{
    char sql[256];

    snprintf(sql, sizeof sql, "SELECT id FROM units WHERE name = '%s'", name);
    snprintf(buf, size, "%lld", dbt_number(&owner, sql));
    return buf;
}

static long long sig(int i)
{
    char sql[128];

    snprintf(sql, sizeof sql, "SELECT id FROM signals WHERE reg_no = 'СО26-КЦ-%06d'", 100 + i);
    return dbt_number(&owner, sql);
}

static void setup(void)
{
    static int done;
    char lozenets[16], inspect[16];
    const char *people[][4] = {
        { "t8_op", "Оля Операторова", "Район „Лозенец“", "operator" },
        { "t8_op2", "Пенчо Операторов", "Столичен инспекторат", "operator" },
        { "t8_sup", "Стела Супервайзорова", "Район „Лозенец“", "supervisor" },
        { "t8_adm", "Ана Администраторова", "Столичен инспекторат", "admin" },
    };
    size_t i;

    if (done)
        return;
    done = 1;
    if (dbt_fresh(&owner, DB_NAME, "sd_fixture", NULL) < 0)
        exit(1);
    unit_id("Район „Лозенец“", lozenets, sizeof lozenets);
    unit_id("Столичен инспекторат", inspect, sizeof inspect);
    /* roles are the cluster's: a run before may have left them */
    for (i = 0; i < ARRAY_SIZE(people); i++) {
        const char *params[5] = { people[i][0], people[i][1],
                                  strcmp(people[i][2], "Район „Лозенец“") == 0 ? lozenets : inspect,
                                  people[i][3], "pw-t8-secret" };

        if (db_exec(&owner, "SELECT create_operator($1, $2, $3::integer, $4, $5)", 5, params) != DB_OK)
            printf("FAIL setup: create_operator %s: %s\n", people[i][0], owner.errmsg);
    }
    if (connect_as(&op, "t8_op", "pw-t8-secret") != DB_OK || connect_as(&op2, "t8_op2", "pw-t8-secret") != DB_OK ||
        connect_as(&sup, "t8_sup", "pw-t8-secret") != DB_OK || connect_as(&adm, "t8_adm", "pw-t8-secret") != DB_OK) {
        printf("FAIL setup: cannot log in as the test people\n");
        exit(1);
    }
}

/* Runs sql as one person; the status, and the SQLSTATE in d->sqlstate. */
static enum db_status run(struct db *d, const char *sql)
{
    return db_exec(d, sql, 0, NULL);
}

static int refused(struct db *d, const char *sql, const char *state)
{
    enum db_status rc = run(d, sql);

    if (rc != DB_REFUSED || strcmp(d->sqlstate, state) != 0) {
        printf("    expected %s, got %d (%s): %s\n      for %s\n", state, rc, d->sqlstate, d->errmsg, sql);
        return 0;
    }
    return 1;
}

static long long count(const char *sql)
{
    return dbt_number(&owner, sql);
}

TEST(operator_cannot_change_reference_data)
{
    struct ref_category *cats;
    int n;
    char key[16], old[16];

    setup();
    CHECK(refused(&op, "UPDATE categories SET sla_hours = 1", "42501"));
    CHECK(refused(&op, "INSERT INTO units (name) VALUES ('Нов отдел')", "42501"));
    CHECK(refused(&op, "UPDATE routing SET unit_id = unit_id", "42501"));
    CHECK(refused(&op, "UPDATE operators SET level = 'admin' WHERE login = 't8_op'", "42501"));
    CHECK(refused(&op, "UPDATE settings SET value = 'yes'", "42501"));
    CHECK(refused(&sup, "UPDATE categories SET sla_hours = 1", "42501"));
    /* through the console's own functions: the same answer, as a sentence */
    CHECK_INT(categories_list(&op, &cats, &n), DB_OK);
    snprintf(key, sizeof key, "%d", cats[0].id);
    snprintf(old, sizeof old, "%d", cats[0].sla_hours);
    CHECK_INT(ref_set(&op, F_CAT_SLA, key, old, "1"), DB_REFUSED);
    CHECK_STR(op.errmsg, "You are not allowed to do this.");
    CHECK_INT(category_add(&op, 0, "Нова", "Nova", 0, 24), DB_REFUSED);
    free(cats);
    CHECK_INT(count("SELECT count(*) FROM categories WHERE sla_hours = 1 OR name = 'Нова'"), 0);
    CHECK_INT(count("SELECT count(*) FROM units WHERE name = 'Нов отдел'"), 0);
    /* an admin may */
    CHECK_INT(run(&adm, "UPDATE categories SET sla_hours = sla_hours + 1 WHERE name = 'Животни'"), DB_OK);
}

TEST(nobody_deletes)
{
    setup();
    CHECK(refused(&op, "DELETE FROM signals WHERE id = 1", "42501"));
    CHECK(refused(&op, "DELETE FROM reporters WHERE signal_id = 1", "42501"));
    CHECK(refused(&op, "TRUNCATE signals CASCADE", "42501"));
    CHECK(refused(&sup, "DELETE FROM signals WHERE id = 1", "42501"));
    CHECK(refused(&adm, "DELETE FROM signals WHERE id = 1", "42501"));
    CHECK(refused(&adm, "DELETE FROM categories WHERE id = (SELECT max(id) FROM categories)", "42501"));
    CHECK(refused(&adm, "DELETE FROM operators WHERE login = 'petrov'", "42501"));
    /* people are never removed, not even by the owner */
    CHECK(refused(&owner, "DELETE FROM operators WHERE login = 'petrov'", "SD807"));
    CHECK_INT(count("SELECT count(*) FROM signals"), 60);
    CHECK_INT(count("SELECT count(*) FROM operators WHERE login = 'petrov'"), 1);
}

TEST(history_is_append_only)
{
    long long before;

    setup();
    before = count("SELECT count(*) FROM signal_events");
    CHECK(refused(&op, "UPDATE signal_events SET comment = 'пренаписано' WHERE signal_id = 1", "42501"));
    CHECK(refused(&op, "DELETE FROM signal_events WHERE signal_id = 1", "42501"));
    CHECK(refused(&adm, "UPDATE signal_events SET actor = 'petrov'", "42501"));
    CHECK(refused(&adm, "DELETE FROM signal_events", "42501"));
    /* the owner (here a superuser) is stopped by the trigger */
    CHECK(refused(&owner, "UPDATE signal_events SET comment = 'пренаписано' WHERE signal_id = 1", "SD801"));
    CHECK(refused(&owner, "DELETE FROM signal_events WHERE signal_id = 1", "SD801"));
    CHECK(refused(&owner, "TRUNCATE signal_events CASCADE", "SD801"));
    CHECK(refused(&owner, "UPDATE signal_events SET comment = 'x' WHERE false", "SD801"));
    CHECK_STR(owner.errmsg, "The history is never changed or removed.");
    /* the audit of everything else too */
    CHECK(refused(&adm, "INSERT INTO admin_events (object, object_id, action) VALUES ('units', '1', 'add')", "42501"));
    CHECK(refused(&adm, "DELETE FROM admin_events", "42501"));
    CHECK(refused(&owner, "DELETE FROM admin_events", "SD801"));
    CHECK(refused(&owner, "UPDATE admin_events SET actor = 'petrov'", "SD801"));
    CHECK(refused(&op, "SELECT count(*) FROM admin_events", "42501"));
    CHECK_INT(run(&sup, "SELECT count(*) FROM admin_events"), DB_OK);
    CHECK_INT(count("SELECT count(*) FROM signal_events"), before);
}

TEST(who_and_when_come_from_the_database)
{
    char sql[256];

    setup();
    /* a client that names another actor and another time is overruled */
    CHECK_INT(run(&op, "INSERT INTO signal_events (signal_id, kind, comment, actor, at)"
                       " VALUES (3, 'comment', 'подправено', 'petrov', '2001-01-01')"),
              DB_OK);
    CHECK_INT(count("SELECT count(*) FROM signal_events WHERE comment = 'подправено'"
                    " AND actor = 't8_op' AND at > now() - interval '1 hour'"),
              1);
    CHECK_INT(run(&adm, "INSERT INTO signal_events (signal_id, kind, comment, actor)"
                        " VALUES (3, 'comment', 'като друг', 'postgres')"),
              DB_OK);
    CHECK_INT(count("SELECT count(*) FROM signal_events WHERE comment = 'като друг' AND actor = 't8_adm'"), 1);
    /* a function that runs with the owner's rights still names the person */
    CHECK_INT(signal_change_status(&op, SIG_LOZENETS_NEW, 1, "registered", NULL, 0), DB_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signal_events WHERE signal_id = %lld AND kind = 'status'"
                              " AND actor = 't8_op' AND at > now() - interval '1 hour'", SIG_LOZENETS_NEW);
    CHECK_INT(count(sql), 1);
    CHECK_INT(count("SELECT count(*) FROM pg_proc WHERE proname = 'change_status' AND prosecdef"), 1);
    /* operators cannot touch the number or the time a signal came in */
    CHECK(refused(&op, "UPDATE signals SET reg_no = 'X'", "42501"));
    CHECK(refused(&op, "UPDATE signals SET created_at = now()", "42501"));
}

TEST(contacts_of_other_units_are_not_for_operators)
{
    struct signal s;
    char sql[256];

    setup();
    /* the table itself: refused */
    snprintf(sql, sizeof sql, "SELECT phone FROM reporters WHERE signal_id = %lld", SIG_INSPECT_NEW);
    CHECK(refused(&op, sql, "42501"));
    CHECK(refused(&op, "SELECT * FROM reporters", "42501"));
    CHECK(refused(&op, "SELECT email FROM reporters", "42501"));
    CHECK(refused(&op, "SELECT to_addr FROM notifications", "42501"));
    CHECK_INT(run(&op, "SELECT name, wants_updates FROM reporters"), DB_OK);
    /* the console's view: hidden for another unit's signal ... */
    CHECK_INT(signal_load(&op, SIG_INSPECT_NEW, &s), DB_OK);
    CHECK_INT(s.nreporters, 1);
    CHECK_STR(s.reporters[0].phone, "");
    CHECK_INT(s.reporters[0].contacts_hidden, 1);
    CHECK(s.reporters[0].name[0] != '\0');
    signal_free(&s);
    /* ... shown for their own unit's */
    CHECK_INT(signal_load(&op, SIG_LOZENETS_NEW, &s), DB_OK);
    CHECK(strncmp(s.reporters[0].phone, "0888 ", 5) == 0);
    CHECK_INT(s.reporters[0].contacts_hidden, 0);
    signal_free(&s);
    /* supervisors see every reporter */
    CHECK_INT(signal_load(&sup, SIG_INSPECT_NEW, &s), DB_OK);
    CHECK(strncmp(s.reporters[0].phone, "0888 ", 5) == 0);
    signal_free(&s);
    CHECK_INT(run(&sup, "SELECT phone, email FROM reporters"), DB_OK);
    /* the setting only admins change opens them up */
    CHECK_INT(ref_set(&op, F_SETTING, "contacts_outside_unit", "no", "yes"), DB_REFUSED);
    CHECK_INT(ref_set(&adm, F_SETTING, "contacts_outside_unit", "no", "yes"), DB_OK);
    CHECK_INT(signal_load(&op, SIG_INSPECT_NEW, &s), DB_OK);
    CHECK(strncmp(s.reporters[0].phone, "0888 ", 5) == 0);
    signal_free(&s);
    CHECK_INT(ref_set(&adm, F_SETTING, "contacts_outside_unit", "yes", "no"), DB_OK);
    CHECK_INT(ref_set(&adm, F_SETTING, "contacts_outside_unit", "no", "maybe"), DB_REFUSED);
    CHECK_STR(adm.errmsg, "That value is not allowed for this setting.");
}

/* Whatever tables and views later migrations add: no column an operator
 * can read holds the phone or e-mail of another unit's reporter. */
TEST(no_copy_of_contacts_is_readable)
{
    PGresult *r;
    int i, leaks = 0;

    setup();
    CHECK_INT(run(&owner, "INSERT INTO reporters (signal_id, name, phone, email)"
                          " SELECT id, 'Тайна Тайнова', '+359 899 700 123', 'tayna.taynova@example.bg'"
                          "   FROM signals WHERE reg_no = 'СО26-КЦ-000101'"),
              DB_OK);
    CHECK_INT(db_query(&owner, &r,
                       "SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid"
                       " WHERE c.relnamespace = 'signaldesk'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')"
                       "   AND a.attnum > 0 AND NOT a.attisdropped"
                       "   AND has_column_privilege('t8_op', c.oid, a.attnum, 'SELECT')",
                       0, NULL),
              DB_OK);
    CHECK(PQntuples(r) > 50);
    for (i = 0; i < PQntuples(r); i++) {
        char sql[512];
        PGresult *x;

        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM signaldesk.\"%s\" WHERE \"%s\"::text LIKE '%%899 700 123%%'"
                 " OR \"%s\"::text LIKE '%%tayna.taynova%%'",
                 db_val(r, i, 0), db_val(r, i, 1), db_val(r, i, 1));
        if (db_query(&op, &x, sql, 0, NULL) != DB_OK) {
            printf("    %s: %s\n", sql, op.errmsg);
            leaks++;
            continue;
        }
        if (db_ll(x, 0, 0) != 0) {
            printf("    an operator reads another unit's reporter in %s.%s\n", db_val(r, i, 0), db_val(r, i, 1));
            leaks++;
        }
        PQclear(x);
    }
    PQclear(r);
    CHECK_INT(leaks, 0);
}

TEST(people_are_managed_by_admins_only)
{
    struct db fresh;
    struct operator_info me;
    char unit[16], sql[256];
    struct ref_operator *ops;
    int n, i, found = 0;

    setup();
    unit_id("Район „Лозенец“", unit, sizeof unit);
    /* a supervisor may not make anyone */
    CHECK_INT(operator_add(&sup, "t8_new", "Нов Човек", atoi(unit), "operator", "pw-new-person"), DB_REFUSED);
    CHECK_STR(sup.sqlstate, "42501");
    CHECK(refused(&sup, "CREATE ROLE t8_sneaky LOGIN PASSWORD 'x'", "42501"));
    CHECK(refused(&sup, "SELECT set_operator_level('t8_op', 'admin')", "42501"));
    CHECK(refused(&op, "SELECT set_operator_password('t8_sup', 'takeover1')", "42501"));
    CHECK(refused(&sup, "GRANT signaldesk_admin TO t8_sup", "42501"));
    CHECK_INT(count("SELECT count(*) FROM pg_roles WHERE rolname IN ('t8_new', 't8_sneaky')"), 0);
    /* an admin may; the new person logs in with the password at once */
    CHECK_INT(run(&owner, "DROP ROLE IF EXISTS t8_new"), DB_OK);
    CHECK_INT(operator_add(&adm, "t8_new", "Нов Човек", atoi(unit), "operator", "pw-new-person"), DB_OK);
    CHECK_INT(connect_as(&fresh, "t8_new", "pw-new-person"), DB_OK);
    CHECK_INT(operator_load(&fresh, &me), DB_OK);
    db_close(&fresh);
    /* the password travelled hashed */
    CHECK_INT(count("SELECT count(*) FROM pg_authid WHERE rolname = 't8_new' AND rolpassword LIKE 'SCRAM-SHA-256$%'"), 1);
    CHECK_INT(operators_list(&adm, &ops, &n), DB_OK);
    for (i = 0; i < n; i++)
        if (strcmp(ops[i].login, "t8_new") == 0)
            found = ops[i].has_login && ops[i].active && strcmp(ops[i].level, "operator") == 0;
    free(ops);
    CHECK(found);
    /* level: the group role and the row together */
    CHECK_INT(operator_set_level(&adm, "t8_new", "operator", "supervisor"), DB_OK);
    CHECK_INT(count("SELECT count(*) FROM operators WHERE login = 't8_new' AND level = 'supervisor'"), 1);
    CHECK_INT(count("SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                    " JOIN pg_roles p ON p.oid = m.member"
                    " WHERE p.rolname = 't8_new' AND g.rolname = 'signaldesk_supervisor'"), 1);
    CHECK_INT(count("SELECT count(*) FROM pg_auth_members m JOIN pg_roles p ON p.oid = m.member"
                    " WHERE p.rolname = 't8_new'"), 1);
    /* a level read before someone else changed it */
    CHECK_INT(operator_set_level(&adm, "t8_new", "operator", "admin"), DB_REFUSED);
    CHECK_STR(adm.sqlstate, "SD812");
    /* a new password works, the old one no longer */
    CHECK_INT(operator_set_password(&adm, "t8_new", "pw-second-one"), DB_OK);
    CHECK(connect_as(&fresh, "t8_new", "pw-new-person") != DB_OK);
    db_close(&fresh);
    CHECK_INT(connect_as(&fresh, "t8_new", "pw-second-one"), DB_OK);
    db_close(&fresh);
    /* deactivated: no login, but the name stays */
    CHECK_INT(operator_set_active(&adm, "t8_new", 0), DB_OK);
    CHECK(connect_as(&fresh, "t8_new", "pw-second-one") != DB_OK);
    db_close(&fresh);
    CHECK_INT(count("SELECT count(*) FROM operators WHERE login = 't8_new' AND NOT active"), 1);
    CHECK_INT(operator_set_active(&adm, "t8_new", 1), DB_OK);
    /* nobody demotes or deactivates themselves; powerful roles stay out of reach */
    CHECK_INT(operator_set_level(&adm, "t8_adm", "admin", "operator"), DB_REFUSED);
    CHECK_STR(adm.sqlstate, "SD813");
    CHECK_INT(operator_set_active(&adm, "t8_adm", 0), DB_REFUSED);
    CHECK_INT(operator_set_password(&adm, "postgres", "takeover-attempt"), DB_REFUSED);
    CHECK_STR(adm.sqlstate, "SD805");
    CHECK_INT(operator_set_active(&adm, "postgres", 0), DB_REFUSED);
    CHECK_INT(operator_add(&adm, "postgres", "Супер", 0, "operator", NULL), DB_REFUSED);
    CHECK_INT(operator_add(&adm, "pg_monitor", "Системна", 0, "operator", NULL), DB_REFUSED);
    CHECK_INT(operator_add(&adm, "signaldesk_admin", "Група", 0, "admin", NULL), DB_REFUSED);
    CHECK_INT(count("SELECT count(*) FROM pg_roles WHERE rolname = 'postgres' AND rolcanlogin"), 1);
    /* every step is in the audit, by the admin, without the password */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM admin_events WHERE object = 'operators' AND object_id = 't8_new'"
                              " AND actor = 't8_adm'");
    CHECK_INT(count(sql), 5);   /* added, level, password, off and on */
    CHECK_INT(count("SELECT count(*) FROM admin_events WHERE field = 'password' AND object_id = 't8_new'"
                    " AND old_value IS NULL AND new_value IS NULL"), 1);
    CHECK_INT(count("SELECT count(*) FROM admin_events WHERE old_value LIKE '%pw-%' OR new_value LIKE '%pw-%'"), 0);
}

TEST(moving_across_units_is_for_supervisors)
{
    char sql[256];

    setup();
    /* another unit's signal that left triage: not for an operator */
    snprintf(sql, sizeof sql, "UPDATE signals SET unit_id = (SELECT unit_id FROM operators WHERE login = 't8_op')"
                              " WHERE id = %lld", SIG_INSPECT_ASSIGNED);
    CHECK(refused(&op, sql, "SD802"));
    CHECK_STR(op.errmsg, "Only a supervisor may move a signal of another unit.");
    CHECK_INT(run(&sup, sql), DB_OK);
    /* a signal still in triage: any operator routes it */
    snprintf(sql, sizeof sql, "UPDATE signals SET unit_id = (SELECT id FROM units WHERE name = 'Софийска вода')"
                              " WHERE id = %lld", SIG_INSPECT_NEW);
    CHECK_INT(run(&op, sql), DB_OK);
    /* their own unit's: passed on */
    snprintf(sql, sizeof sql, "UPDATE signals SET unit_id = (SELECT id FROM units WHERE name = 'Софийска вода')"
                              " WHERE id = %lld", SIG_LOZENETS_ASSIGNED);
    CHECK_INT(run(&op, sql), DB_OK);
    /* giving one to someone of another unit */
    snprintf(sql, sizeof sql, "UPDATE signals SET assignee = 't8_op2' WHERE id = %lld", SIG_INSPECT_ASSIGNED);
    CHECK(refused(&op, sql, "SD803"));
    CHECK_INT(run(&sup, sql), DB_OK);
    /* taking one and giving it back are always fine */
    snprintf(sql, sizeof sql, "UPDATE signals SET assignee = 't8_op' WHERE id = %lld", SIG_INSPECT_IN_PROGRESS);
    CHECK_INT(run(&op, sql), DB_OK);
    snprintf(sql, sizeof sql, "UPDATE signals SET assignee = NULL WHERE id = %lld", SIG_INSPECT_IN_PROGRESS);
    CHECK_INT(run(&op, sql), DB_OK);
}

TEST(levels_come_from_the_roles)
{
    struct operator_info me;

    setup();
    CHECK_INT(operator_load(&op, &me), DB_OK);
    CHECK_STR(me.level, "operator");
    CHECK_STR(me.login, "t8_op");
    CHECK_STR(me.name, "Оля Операторова");
    CHECK_INT(operator_load(&sup, &me), DB_OK);
    CHECK_STR(me.level, "supervisor");
    CHECK_INT(operator_load(&adm, &me), DB_OK);
    CHECK_STR(me.level, "admin");
    /* the row cannot lift anyone: the group role decides */
    CHECK_INT(run(&owner, "UPDATE operators SET level = 'admin' WHERE login = 't8_op'"), DB_OK);
    CHECK_INT(operator_load(&op, &me), DB_OK);
    CHECK_STR(me.level, "operator");
    CHECK_INT(run(&owner, "UPDATE operators SET level = 'operator' WHERE login = 't8_op'"), DB_OK);
    /* the superuser of the fixture is what operators says */
    CHECK_INT(operator_load(&owner, &me), DB_OK);
    CHECK_STR(me.level, "supervisor");
    CHECK(run(&op, "SELECT require_level('supervisor')") != DB_OK);
    CHECK_STR(op.sqlstate, "SD403");
    CHECK_INT(run(&sup, "SELECT require_level('supervisor')"), DB_OK);
}

TEST(every_admin_change_is_audited)
{
    struct ref_unit *units;
    struct ref_category *cats;
    struct ref_district *d;
    int nu, nc, nd, i, cat = 0, unit = 0;
    char key[16], old[16];

    setup();
    CHECK_INT(units_list(&adm, &units, &nu), DB_OK);
    CHECK_INT(categories_list(&adm, &cats, &nc), DB_OK);
    CHECK_INT(districts_list(&adm, &d, &nd), DB_OK);
    for (i = 0; i < nc; i++)
        if (strcmp(cats[i].name, "Улично осветление") == 0)
            cat = i;
    for (i = 0; i < nu; i++)
        if (strcmp(units[i].name, "Софийска вода") == 0)
            unit = i;
    snprintf(key, sizeof key, "%d", cats[cat].id);
    snprintf(old, sizeof old, "%d", cats[cat].sla_hours);
    CHECK_INT(ref_set(&adm, F_CAT_SLA, key, old, "48"), DB_OK);
    CHECK_INT(count("SELECT count(*) FROM admin_events WHERE object = 'categories' AND field = 'sla_hours'"
                    " AND object_name = 'Улично осветление' AND new_value = '48' AND actor = 't8_adm'"),
              1);
    /* the same old value again: someone was first */
    CHECK_INT(ref_set(&adm, F_CAT_SLA, key, old, "24"), DB_CONFLICT);
    /* a routing cell, by names */
    CHECK_INT(routing_set(&adm, cats[cat].id, d[0].id, 0, units[unit].id), DB_OK);
    CHECK_INT(count("SELECT count(*) FROM admin_events WHERE object = 'routing' AND field = 'unit_id'"
                    " AND object_name = 'Улично осветление × Средец' AND new_value = 'Софийска вода'"),
              1);
    CHECK_INT(routing_set(&adm, cats[cat].id, d[0].id, units[unit].id, 0), DB_OK);
    CHECK_INT(count("SELECT count(*) FROM admin_events WHERE object = 'routing'"
                    " AND old_value = 'Софийска вода' AND new_value IS NULL"),
              1);
    /* a unit's e-mail, checked by the database too */
    snprintf(key, sizeof key, "%d", units[unit].id);
    CHECK_INT(ref_set(&adm, F_UNIT_EMAIL, key, units[unit].email, "not an address"), DB_REFUSED);
    CHECK_STR(adm.errmsg, "That is not an e-mail address.");
    CHECK_INT(ref_set(&adm, F_UNIT_EMAIL, key, units[unit].email, "avarii@sofiyskavoda.example.bg"), DB_OK);
    /* the tree has two levels */
    CHECK_INT(category_add(&adm, cats[cat + 1].id, "Трето ниво", "Treto nivo", 0, 24), DB_REFUSED);
    CHECK_STR(adm.sqlstate, "SD809");
    free(units);
    free(cats);
    free(d);
}

TEST(the_audit_trail_pages_by_key)
{
    struct audit_filter f;
    struct audit_row rows[8], again[8];
    int n, more, total = 0, m;
    struct audit_key key;
    long long expected;

    setup();
    memset(&f, 0, sizeof f);
    /* walk everything by ivanova (fixture) in pages of 8 */
    str_copy(f.actor, sizeof f.actor, "ivanova");
    expected = count("SELECT count(*) FROM signal_events WHERE actor = 'ivanova'")
             + count("SELECT count(*) FROM admin_events WHERE actor = 'ivanova'");
    CHECK_INT(audit_page(&adm, &f, PAGE_FIRST, NULL, 8, rows, &n, &more), DB_OK);
    total = n;
    while (more && total < 1000) {
        key = rows[n - 1].key;
        CHECK_INT(audit_page(&adm, &f, PAGE_AFTER, &key, 8, rows, &n, &more), DB_OK);
        total += n;
    }
    CHECK_INT(total, expected);
    /* and back: the page before the last one read is the one before it */
    key = rows[0].key;
    CHECK_INT(audit_page(&adm, &f, PAGE_BEFORE, &key, 8, again, &m, &more), DB_OK);
    CHECK_INT(m, 8);
    CHECK(strcmp(again[7].key.at, rows[0].key.at) >= 0);
    /* by kind, by signal, by period */
    memset(&f, 0, sizeof f);
    f.source = AUDIT_ADMIN;
    str_copy(f.kind, sizeof f.kind, "operators");
    CHECK_INT(audit_page(&adm, &f, PAGE_FIRST, NULL, 8, rows, &n, &more), DB_OK);
    CHECK(n > 0);
    CHECK_STR(rows[0].kind, "operators");
    memset(&f, 0, sizeof f);
    CHECK_INT(signal_by_reg_no(&adm, "СО26-КЦ-000103", &f.signal_id), DB_OK);
    CHECK_INT(f.signal_id, sig(3));
    CHECK_INT(audit_page(&adm, &f, PAGE_FIRST, NULL, 8, rows, &n, &more), DB_OK);
    CHECK_INT(n, count("SELECT count(*) FROM signal_events e JOIN signals s ON s.id = e.signal_id"
                       " WHERE s.reg_no = 'СО26-КЦ-000103'"));
    memset(&f, 0, sizeof f);
    str_copy(f.from, sizeof f.from, "2026-11-18");
    str_copy(f.to, sizeof f.to, "2026-11-19");
    f.source = AUDIT_SIGNALS;
    {
        struct tm a = { .tm_year = 126, .tm_mon = 10, .tm_mday = 18, .tm_isdst = -1 };
        struct tm b = { .tm_year = 126, .tm_mon = 10, .tm_mday = 20, .tm_isdst = -1 };
        time_t from = mktime(&a), to = mktime(&b);
        char sql[256];
        int k;

        snprintf(sql, sizeof sql, "SELECT count(*) FROM signal_events WHERE at >= to_timestamp(%lld)"
                                  " AND at < to_timestamp(%lld)", (long long)from, (long long)to);
        CHECK_INT(audit_page(&adm, &f, PAGE_FIRST, NULL, 8, rows, &n, &more), DB_OK);
        CHECK(count(sql) > 0);
        CHECK_INT(n, count(sql) < 8 ? count(sql) : 8);
        for (k = 0; k < n; k++)
            CHECK(rows[k].at >= from && rows[k].at < to);
    }
    /* the audit is not for operators */
    memset(&f, 0, sizeof f);
    CHECK_INT(audit_page(&op, &f, PAGE_FIRST, NULL, 8, rows, &n, &more), DB_REFUSED);
}

/* Text that looks like SQL stays text: stored as typed, nothing else
 * changes.  Every text field of the admin screens and the audit filters. */
TEST(sql_in_text_fields_stays_text)
{
    static const char *evil[] = {
        "'); DROP TABLE signals; --",
        "x' OR '1'='1",
        "Robert\"; DELETE FROM signal_events; --",
        "$1; TRUNCATE categories",
        "\\'; SELECT pg_sleep(5); --",
    };
    struct audit_filter f;
    struct audit_row rows[4];
    struct db fresh;
    long long signals = count("SELECT count(*) FROM signals"), events, id;
    size_t i;
    int n, more;
    char key[16];

    setup();
    events = count("SELECT count(*) FROM signal_events");
    for (i = 0; i < ARRAY_SIZE(evil); i++) {
        const char *params[1] = { evil[i] };
        PGresult *r;

        CHECK_INT(category_add(&adm, 0, evil[i], evil[i], 0, 24), DB_OK);
        CHECK_INT(unit_add(&adm, evil[i], "", "municipal"), DB_OK);
        CHECK_INT(template_add(&adm, 0, "response", evil[i], evil[i]), DB_OK);
        CHECK_INT(db_query(&owner, &r, "SELECT count(*) FROM categories WHERE name = $1 AND name_latin = $1", 1,
                           params), DB_OK);
        CHECK_INT(db_ll(r, 0, 0), 1);
        PQclear(r);
        CHECK_INT(db_query(&owner, &r, "SELECT id FROM units WHERE name = $1", 1, params), DB_OK);
        snprintf(key, sizeof key, "%s", db_val(r, 0, 0));
        PQclear(r);
        CHECK_INT(ref_set(&adm, F_UNIT_NAME, key, evil[i], evil[i]), DB_OK);
        /* a login with SQL in it is not a login */
        CHECK_INT(operator_add(&adm, evil[i], evil[i], 0, "operator", evil[i]), DB_REFUSED);
        CHECK_STR(adm.sqlstate, "SD804");
        /* the audit filters and the signal prompt */
        memset(&f, 0, sizeof f);
        str_copy(f.actor, sizeof f.actor, evil[i]);
        CHECK_INT(audit_page(&adm, &f, PAGE_FIRST, NULL, 4, rows, &n, &more), DB_OK);
        CHECK_INT(n, 0);
        memset(&f, 0, sizeof f);
        f.source = AUDIT_SIGNALS;
        str_copy(f.kind, sizeof f.kind, evil[i]);
        CHECK_INT(audit_page(&adm, &f, PAGE_FIRST, NULL, 4, rows, &n, &more), DB_OK);
        CHECK_INT(n, 0);
        CHECK_INT(signal_by_reg_no(&adm, evil[i], &id), DB_OK);
        CHECK_INT(id, 0);
        /* a status comment */
        CHECK_INT(signal_change_status(&op, SIG_INSPECT_RESOLVED, 1 + (int)i, "in_progress", evil[i], 1) == DB_OK ||
                  signal_change_status(&op, SIG_INSPECT_RESOLVED, 1 + (int)i, "waiting", evil[i], 1) == DB_OK, 1);
    }
    /* a password full of quotes is just a password */
    CHECK_INT(run(&owner, "DROP ROLE IF EXISTS t8_quotes"), DB_OK);
    CHECK_INT(operator_add(&adm, "t8_quotes", "Кавичкова", 0, "operator", "it's a \"pass\"; --"), DB_OK);
    CHECK_INT(connect_as(&fresh, "t8_quotes", "it's a \"pass\"; --"), DB_OK);
    db_close(&fresh);
    CHECK_INT(count("SELECT count(*) FROM signals"), signals);
    CHECK_INT(count("SELECT count(*) FROM signal_events"), events + (long long)ARRAY_SIZE(evil));
    CHECK(count("SELECT count(*) FROM categories") > 80);
    CHECK_INT(count("SELECT count(*) FROM pg_roles WHERE rolname LIKE '%DROP%' OR rolname LIKE '%''%'"), 0);
}

/* The rules hold for what comes later: a table a later migration makes gets
 * them when the privileges are applied again (db migrate does that). */
TEST(later_tables_get_the_same_rules)
{
    setup();
    CHECK_INT(run(&owner, "CREATE TABLE signaldesk.t8_later (id serial PRIMARY KEY, note text)"), DB_OK);
    CHECK_INT(run(&owner, "CREATE FUNCTION signaldesk.t8_touch() RETURNS trigger LANGUAGE plpgsql AS"
                          " $$ BEGIN RETURN NEW; END $$"),
              DB_OK);
    CHECK_INT(db_apply_privileges(&owner), DB_OK);
    CHECK_INT(run(&op, "INSERT INTO t8_later (note) VALUES ('a')"), DB_OK);
    CHECK_INT(run(&op, "UPDATE t8_later SET note = 'b'"), DB_OK);
    CHECK(refused(&op, "DELETE FROM t8_later", "42501"));
    /* trigger functions run with the owner's rights */
    CHECK_INT(count("SELECT count(*) FROM pg_proc WHERE proname = 't8_touch' AND prosecdef"), 1);
    CHECK_INT(count("SELECT count(*) FROM pg_proc WHERE proname = 'check_status_transition' AND prosecdef"), 1);
    CHECK_INT(count("SELECT count(*) FROM pg_proc WHERE proname = 'stamp_event' AND NOT prosecdef"), 1);
    /* rows of one person: their own only */
    CHECK_INT(run(&op, "INSERT INTO saved_queues (name, query) VALUES ('моята', 'status:new')"), DB_OK);
    CHECK(refused(&op2, "INSERT INTO saved_queues (login, name, query) VALUES ('t8_op', 'подхвърлена', 'status:new')", "42501"));
    CHECK_INT(run(&op2, "DELETE FROM saved_queues"), DB_OK);
    CHECK_INT(count("SELECT count(*) FROM saved_queues"), 1);
    CHECK_INT(run(&op, "DELETE FROM saved_queues"), DB_OK);
    CHECK_INT(count("SELECT count(*) FROM saved_queues"), 0);
    /* applying again changes nothing */
    CHECK_INT(db_apply_privileges(&owner), DB_OK);
    CHECK(refused(&op, "UPDATE categories SET sla_hours = 1", "42501"));
}

TEST(init_takes_access_from_the_ini)
{
    int changed;

    setup();
    CHECK_INT(db_apply_access(&owner, "contacts_outside_unit", "yes", &changed), DB_OK);
    CHECK_INT(changed, 1);
    CHECK_INT(db_apply_access(&owner, "contacts_outside_unit", "yes", &changed), DB_OK);
    CHECK_INT(changed, 0);
    CHECK_INT(db_apply_access(&owner, "contacts_outside_unit", "no", &changed), DB_OK);
    CHECK_INT(count("SELECT count(*) FROM admin_events WHERE object = 'settings' AND actor = 'postgres'"), 2);
}

/* Merging copies reporters (whose phones an operator may not read) onto the
 * main signal and undoing removes them: both run with the database's rights,
 * for the person who asked, and the merge records are theirs to write only
 * through them. */
TEST(an_operator_merges_and_undoes)
{
    struct merge_item other;
    struct dupe_params p;
    long long main_id, merge_id;
    int main_version, restored = 0;
    char sql[512];

    setup();
    main_id = count("SELECT id FROM signals WHERE status = 'new' AND duplicate_of IS NULL ORDER BY id LIMIT 1");
    other.id = count("SELECT id FROM signals WHERE status IN ('new', 'registered') AND duplicate_of IS NULL"
                     " AND NOT EXISTS (SELECT 1 FROM signals d WHERE d.duplicate_of = signals.id)"
                     " ORDER BY id OFFSET 1 LIMIT 1");
    snprintf(sql, sizeof sql, "INSERT INTO reporters (signal_id, name, phone) VALUES (%lld, 'Скрит Подател', '0888 000 999')",
             other.id);
    CHECK_INT(run(&owner, sql), DB_OK);
    snprintf(sql, sizeof sql, "SELECT version FROM signals WHERE id = %lld", other.id);
    other.version = (int)count(sql);
    snprintf(sql, sizeof sql, "SELECT version FROM signals WHERE id = %lld", main_id);
    main_version = (int)count(sql);
    dupe_params_default(&p);
    CHECK_INT(dupes_merge(&op, main_id, main_version, &other, 1, &p, 1, NULL, &merge_id), DB_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signals WHERE id = %lld AND status = 'duplicate' AND duplicate_of = %lld",
             other.id, main_id);
    CHECK_INT(count(sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM reporters WHERE signal_id = %lld AND phone = '0888 000 999'", main_id);
    CHECK_INT(count(sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM merges WHERE id = %lld AND actor = 't8_op'", merge_id);
    CHECK_INT(count(sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signal_events WHERE signal_id = %lld AND kind = 'merge'"
                              " AND actor = 't8_op'", main_id);
    CHECK_INT(count(sql), 1);
    /* the records of merges are written by the merge only */
    CHECK(refused(&op, "UPDATE merges SET undone_at = now()", "42501"));
    CHECK(refused(&op, "DELETE FROM merge_items", "42501"));
    CHECK_INT(dupes_unmerge(&op, merge_id, NULL, &restored), DB_OK);
    CHECK_INT(restored, 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM reporters WHERE signal_id = %lld AND phone = '0888 000 999'", main_id);
    CHECK_INT(count(sql), 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM signals WHERE id = %lld AND status <> 'duplicate'"
                              " AND duplicate_of IS NULL", other.id);
    CHECK_INT(count(sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM merges WHERE id = %lld AND undone_by = 't8_op'", merge_id);
    CHECK_INT(count(sql), 1);
}

TEST_LIST = {
    { "operator_cannot_change_reference_data", operator_cannot_change_reference_data },
    { "nobody_deletes", nobody_deletes },
    { "history_is_append_only", history_is_append_only },
    { "who_and_when_come_from_the_database", who_and_when_come_from_the_database },
    { "contacts_of_other_units_are_not_for_operators", contacts_of_other_units_are_not_for_operators },
    { "no_copy_of_contacts_is_readable", no_copy_of_contacts_is_readable },
    { "people_are_managed_by_admins_only", people_are_managed_by_admins_only },
    { "moving_across_units_is_for_supervisors", moving_across_units_is_for_supervisors },
    { "levels_come_from_the_roles", levels_come_from_the_roles },
    { "every_admin_change_is_audited", every_admin_change_is_audited },
    { "the_audit_trail_pages_by_key", the_audit_trail_pages_by_key },
    { "sql_in_text_fields_stays_text", sql_in_text_fields_stays_text },
    { "later_tables_get_the_same_rules", later_tables_get_the_same_rules },
    { "init_takes_access_from_the_ini", init_takes_access_from_the_ini },
    { "an_operator_merges_and_undoes", an_operator_merges_and_undoes },
    { NULL, NULL }
};

/* Helpers for the database tests: each test gets a database of its own,
 * copied from the fixture (tests/fixture.sql) that tests/run-cluster made. */
#ifndef SIGNALDESK_DBTEST_H
#define SIGNALDESK_DBTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

/* Makes database `name` from `template` ("sd_fixture" or "template0") and
 * connects db to it.  Names are the tests' own constants. */
static inline int dbt_fresh(struct db *db, const char *name, const char *template_db, const char *locale)
{
    char sql[512], conninfo[256];
    struct db admin;

    memset(&admin, 0, sizeof admin);
    if (db_connect(&admin, "dbname=postgres", 0) != DB_OK) {
        printf("FAIL setup: %s\n", admin.errmsg);
        return -1;
    }
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
    db_exec(&admin, sql, 0, NULL);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s%s%s", name, template_db,
             locale ? " LC_COLLATE 'C' LC_CTYPE " : "", locale ? locale : "");
    if (db_exec(&admin, sql, 0, NULL) != DB_OK) {
        printf("FAIL setup: %s: %s\n", sql, admin.errmsg);
        db_close(&admin);
        return -1;
    }
    db_close(&admin);
    memset(db, 0, sizeof *db);
    snprintf(conninfo, sizeof conninfo, "dbname=%s", name);
    if (db_connect(db, conninfo, 0) != DB_OK) {
        printf("FAIL setup: %s\n", db->errmsg);
        return -1;
    }
    return 0;
}

/* One number from a query without parameters. */
static inline long long dbt_number(struct db *db, const char *sql)
{
    PGresult *r;
    long long v;

    if (db_query(db, &r, sql, 0, NULL) != DB_OK) {
        printf("    query failed: %s: %s\n", sql, db->errmsg);
        return -1;
    }
    v = PQntuples(r) ? db_ll(r, 0, 0) : -1;
    PQclear(r);
    return v;
}

#endif

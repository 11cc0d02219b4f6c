#ifndef SIGNALDESK_DB_H
#define SIGNALDESK_DB_H

#include <stddef.h>

#include <libpq-fe.h>

/* The one connection of a console.  Errors travel as values: every call
 * returns a db_status and leaves a sentence for people in db->errmsg.
 * Nothing here prints or exits. */
enum db_status {
    DB_OK = 0,
    DB_ERROR = -1,      /* the statement failed; errmsg says why */
    DB_CONFLICT = -2,   /* someone else changed the row first */
    DB_LOST = -3,       /* the connection is gone */
    DB_REFUSED = -4,    /* the database said no: a rule or a permission */
    DB_CANCELED = -5,   /* cancelled, or ran past statement_timeout */
};

struct db {
    PGconn *conn;
    char *conninfo;
    char errmsg[1024];
    char sqlstate[6];
    int statement_timeout_ms;
    int listening;
};

/* Connects the libpq way: conninfo may be empty (PG* variables, the service
 * file and .pgpass apply), a key=value string or a URI.  When the server wants
 * a password and ask_password is set, asks for it on the terminal.
 * Returns DB_OK, or DB_LOST with libpq's reason in errmsg. */
enum db_status db_connect(struct db *db, const char *conninfo, int ask_password);
void db_close(struct db *db);
int db_connected(const struct db *db);
/* Tries to connect again (after a lost connection); re-LISTENs. */
enum db_status db_reconnect(struct db *db);

/* Runs one statement with text parameters.  On success *out holds the result
 * (PQclear it); on failure *out is NULL. */
enum db_status db_query(struct db *db, PGresult **out, const char *sql, int nparams,
                        const char *const *params);
/* Same, for statements whose rows nobody reads. */
enum db_status db_exec(struct db *db, const char *sql, int nparams, const char *const *params);
/* A script of several statements without parameters (schema migrations). */
enum db_status db_script(struct db *db, const char *sql);

enum db_status db_begin(struct db *db);
enum db_status db_commit(struct db *db);
void db_rollback(struct db *db);

/* LISTEN signaldesk; notifications carry a signal id. */
enum db_status db_listen(struct db *db);
int db_socket(const struct db *db);
/* Reads what arrived on the socket; returns the number of notifications
 * (their payloads are dropped: the screen reloads what it shows), or -1 when
 * the connection is lost. */
int db_drain_notifications(struct db *db);

/* The database's LC_CTYPE is C or POSIX: Cyrillic search would find nothing. */
enum db_status db_check_locale(struct db *db);

/* The SCRAM verifier of a password, made here so the password itself never
 * travels to the server (malloc'd; NULL with errmsg set on failure). */
char *db_password_verifier(struct db *db, const char *login, const char *password);

/* Sets db->errmsg. */
void db_set_error(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Helpers for results. */
const char *db_val(const PGresult *r, int row, int col);   /* "" for NULL */
int db_isnull(const PGresult *r, int row, int col);
long long db_ll(const PGresult *r, int row, int col);

#endif

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
    DB_PENDING = 1,     /* db_result(): the statement is still running */
};

#define DB_MAX_CHANGED 64

/* What db->waiting is told about a statement that takes long. */
enum db_wait {
    DB_WAIT_START,      /* past DB_WAIT_GRACE_MS; a Ctrl-C (cancel_fd) stops it */
    DB_WAIT_START_KEY,  /* the same for a read that any key stops (db_read) */
    DB_WAIT_END,        /* it is over (done, failed or stopped) */
};

struct db {
    PGconn *conn;
    char *conninfo;
    char errmsg[1024];
    char sqlstate[6];
    /* The statement time limit of the session: 0 the default (30 s),
     * negative none.  timeout_now_ms is the limit in force (db_set_timeout
     * changes it); a reconnect sets it again. */
    int statement_timeout_ms;
    int timeout_now_ms;
    int listening;
    /* A statement sent with db_send() whose result is not read yet. */
    int busy;
    int told;               /* the key loop has said the result is there */
    /* db_read() watches this descriptor (the keyboard) while it waits: input
     * there after DB_WAIT_GRACE_MS cancels the statement.  -1: never. */
    int interrupt_fd;
    /* Every statement watches this one (non-blocking; the console's Ctrl-C
     * writes a byte to it): a byte there cancels the statement running
     * (PQcancel) or about to run, and is taken.  -1 (or 0 before
     * db_connect): none, statements run plainly. */
    int cancel_fd;
    /* Told when a statement has run DB_WAIT_GRACE_MS (say "working…") and
     * when it ends.  NULL: nobody is told. */
    void (*waiting)(void *ctx, enum db_wait what);
    void *waiting_ctx;
    /* Nonzero when the console is ending (SIGTERM, SIGHUP): a statement
     * being stopped then is waited for DB_END_WAIT_MS at most.  NULL: never. */
    int (*ending)(void);
    /* A change of signals marked with db_mark_change(): pending until its
     * statement (or transaction) ends; lost when the connection dropped
     * meanwhile, so that nobody knows whether the server made it.  Times by
     * the server's clock (ms since the epoch); clock_skew_ms is the
     * server's clock minus ours, measured at each connect. */
    int change_pending, change_lost;
    long long change_since_ms, clock_skew_ms, clock_error_ms;
    /* The server process of this connection (pg_backend_pid(), so through a
     * pooler too) and when it started; when the connection was lost (the
     * server's clock, ms since the epoch; 0 while connected). */
    int backend_pid;
    char backend_start[40];
    long generation;        /* this connection's number among those of the process (from 1) */
    long long lost_at_ms;
    /* Signals other consoles changed, from the notifications' payloads. */
    long long changed[DB_MAX_CHANGED];
    int nchanged;
    int changed_overflow;   /* more than DB_MAX_CHANGED arrived */
};

#define DB_WAIT_GRACE_MS 200
#define DB_END_WAIT_MS 2000

/* Connects the libpq way: conninfo may be empty (PG* variables, the service
 * file and .pgpass apply), a key=value string or a URI.  When the server wants
 * a password and ask_password is set, asks for it on the terminal.
 * Returns DB_OK, or DB_LOST with libpq's reason in errmsg. */
enum db_status db_connect(struct db *db, const char *conninfo, int ask_password);
void db_close(struct db *db);

/* A change of signals starts (a write whose outcome the person must know
 * even if the connection drops before the answer comes). */
void db_mark_change(struct db *db);
/* 1 once after a marked change lost its connection; since_ms: the moment
 * it started, by the server's clock, to ask afterwards what was saved. */
int db_change_lost(struct db *db, long long *since_ms);
int db_connected(const struct db *db);
/* Tries to connect again (after a lost connection); re-LISTENs. */
enum db_status db_reconnect(struct db *db);

/* Runs one statement with text parameters.  On success *out holds the result
 * (PQclear it); on failure *out is NULL.  A byte on db->cancel_fd stops it
 * (DB_CANCELED, the server undoes what it began); if it finished before the
 * cancel took, it is DB_OK as usual. */
enum db_status db_query(struct db *db, PGresult **out, const char *sql, int nparams,
                        const char *const *params);
/* db_query for reads a person waits for: while it runs longer than
 * DB_WAIT_GRACE_MS, a key press (db->interrupt_fd) cancels it too. */
enum db_status db_read(struct db *db, PGresult **out, const char *sql, int nparams, const char *const *params);
/* db_query for a statement run often: prepared once per connection under
 * `name` (the same name always with the same text), so the server skips
 * parsing and planning it again.  Not inside an explicit transaction: the
 * first run on a connection may fail once to find it missing. */
enum db_status db_query_named(struct db *db, PGresult **out, const char *name, const char *sql, int nparams,
                              const char *const *params);
/* Same, for statements whose rows nobody reads. */
enum db_status db_exec(struct db *db, const char *sql, int nparams, const char *const *params);
/* A script of several statements without parameters (schema migrations). */
enum db_status db_script(struct db *db, const char *sql);

/* The asynchronous path: db_send() starts a statement and returns at once;
 * the caller polls db_socket() with its other input and calls db_result(),
 * which returns DB_PENDING until the result is there.  db_cancel() stops it
 * (PQcancel) and waits for the server to say so.  Any other call on the
 * connection first cancels a statement still running. */
enum db_status db_send(struct db *db, const char *sql, int nparams, const char *const *params);
enum db_status db_result(struct db *db, PGresult **out);
void db_cancel(struct db *db);
int db_busy(const struct db *db);
/* Reads what arrived; 1 when the running statement's result can be taken
 * with db_result() (or the connection failed), 0 while it runs. */
int db_ready(struct db *db);
/* Sets the statement time limit of the session (ms, 0: none). */
enum db_status db_set_timeout(struct db *db, int ms);

/* A COMMIT is always sent (one not sent would leave the transaction open):
 * a Ctrl-C cancels it on the server, which then commits or rolls back
 * whole.  A ROLLBACK is never cancelled. */
enum db_status db_begin(struct db *db);
enum db_status db_commit(struct db *db);
void db_rollback(struct db *db);

/* COPY ... FROM STDIN in three steps: begin with the statement, put the
 * data (COPY text) in pieces, end.  abort_reason non-NULL ends it failed
 * (the transaction is then to be rolled back). */
enum db_status db_copy_begin(struct db *db, const char *sql);
enum db_status db_copy_put(struct db *db, const char *buf, size_t len);
enum db_status db_copy_end(struct db *db, const char *abort_reason);

/* LISTEN signaldesk; notifications carry a signal id. */
enum db_status db_listen(struct db *db);
int db_socket(const struct db *db);
/* Reads what arrived on the socket; returns the number of notifications from
 * other sessions (their payloads, signal ids, go to db->changed), or -1 when
 * the connection is lost. */
int db_drain_notifications(struct db *db);
/* Takes the ids of changed signals collected so far; returns how many, or
 * -1 when more arrived than were kept (treat everything as changed). */
int db_take_changed(struct db *db, long long *ids, int max);

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

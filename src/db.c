#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"
#include "workflow.h"

void db_set_error(struct db *db, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
    va_end(ap);
}

/* The terminal's modes while the password is typed without echo: a signal
 * that ends us then (Ctrl-C, a shutdown, the session dropped) gives the
 * terminal back as it was before it ends us. */
static struct termios pw_modes;
static volatile sig_atomic_t pw_fd = -1;

static void pw_signal(int sig)
{
    if (pw_fd >= 0)
        tcsetattr(pw_fd, TCSANOW, &pw_modes);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void read_password(char *buf, size_t size)
{
    static const int ends[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    struct sigaction sa, saved[ARRAY_SIZE(ends)];
    struct termios quiet;
    FILE *tty = fopen("/dev/tty", "r+");
    FILE *in = tty ? tty : stdin, *out = tty ? tty : stderr;
    int have_tio;
    size_t i;

    fputs(_("Password: "), out);
    fflush(out);
    have_tio = tcgetattr(fileno(in), &pw_modes) == 0;
    if (have_tio) {
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = pw_signal;
        sigemptyset(&sa.sa_mask);
        for (i = 0; i < ARRAY_SIZE(ends); i++)
            sigaction(ends[i], &sa, &saved[i]);
        pw_fd = fileno(in);
        quiet = pw_modes;
        quiet.c_lflag &= (tcflag_t)~ECHO;
        tcsetattr(fileno(in), TCSAFLUSH, &quiet);
    }
    if (!fgets(buf, (int)size, in))
        buf[0] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    if (have_tio) {
        tcsetattr(fileno(in), TCSAFLUSH, &pw_modes);
        pw_fd = -1;
        for (i = 0; i < ARRAY_SIZE(ends); i++)
            sigaction(ends[i], &saved[i], NULL);
    }
    fputc('\n', out);
    if (tty)
        fclose(tty);
}

/* libpq prints notices (and a dying server's FATAL) on stderr, which would
 * scribble over the screen; the console reports through its status line. */
static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static PGconn *open_conn(const char *conninfo, const char *password)
{
    /* Our defaults come before dbname so the user's conninfo can override them. */
    const char *keys[] = { "connect_timeout", "keepalives", "keepalives_idle",
                           "keepalives_interval", "keepalives_count",
                           "fallback_application_name", "dbname",
                           password ? "password" : NULL, NULL };
    const char *vals[] = { "10", "1", "30", "10", "3", "signaldesk",
                           conninfo ? conninfo : "", password, NULL };

    PGconn *conn = PQconnectdbParams(keys, vals, 1);

    if (conn)
        PQsetNoticeProcessor(conn, quiet_notices, NULL);
    return conn;
}

/* Per-session settings: our schema first, and no transaction left open.
 * The time limit is the one in force before (a reconnect keeps a search's). */
static long long wall_ms(void);

/* Every connection made in this process, so each has a number of its own. */
static atomic_long connections_made;

static enum db_status setup_session(struct db *db)
{
    char timeout[32];
    const char *params[1];
    PGresult *r;
    long long before, after;

    if (db_exec(db, "SET search_path = signaldesk, public", 0, NULL) != DB_OK)
        return DB_ERROR;
    snprintf(timeout, sizeof timeout, "%d", db->timeout_now_ms);
    params[0] = timeout;
    before = wall_ms();
    if (db_query(db, &r, "SELECT set_config('statement_timeout', $1, false),"
                         " set_config('idle_in_transaction_session_timeout', '60s', false),"
                         " set_config('client_min_messages', 'warning', false),"
                         " (extract(epoch FROM clock_timestamp()) * 1000)::bigint,"
                         " pg_backend_pid(), (SELECT backend_start::text FROM pg_stat_activity"
                         "                    WHERE pid = pg_backend_pid())",
                 1, params) != DB_OK)
        return DB_ERROR;
    /* the server's clock against ours, to ask it later what happened since
     * a moment of ours (half the round trip either way) */
    after = wall_ms();
    db->clock_skew_ms = db_ll(r, 0, 3) - (before + after) / 2;
    /* how far off that can be: half the round trip, and the clocks' own
     * steps (a millisecond here, one there) */
    db->clock_error_ms = (after - before) / 2 + 20;
    /* which server process is ours (through a pooler too), see end_previous */
    db->backend_pid = (int)db_ll(r, 0, 4);
    db->generation = atomic_fetch_add(&connections_made, 1) + 1;
    str_copy(db->backend_start, sizeof db->backend_start, db_val(r, 0, 5));
    PQclear(r);
    return DB_OK;
}

/* After a reconnect: the server process of the connection that was lost
 * may live on, waiting on a lock with our change, or holding a transaction
 * open with rows locked, until the server notices the connection is gone
 * (minutes, or through a pooler never).  It is ended (and waited for), so
 * a change it was making is either done by now or never, and what the
 * history says of it stays true.  Only a process that is still the one we
 * had (same start) and has not started anything since we lost it, so
 * never another's after a pooler has passed it on. */
static void end_previous(struct db *db, int pid, const char *started)
{
    char pidbuf[16], lost[32];
    const char *params[3] = { pidbuf, started, lost };
    PGresult *r;

    if (pid <= 0 || pid == db->backend_pid || !started[0])
        return;
    snprintf(pidbuf, sizeof pidbuf, "%d", pid);
    snprintf(lost, sizeof lost, "%lld", db->lost_at_ms ? db->lost_at_ms : wall_ms() + db->clock_skew_ms);
    if (db_query(db, &r, "SELECT pg_terminate_backend(a.pid, 5000) FROM pg_stat_activity a"
                         " WHERE a.pid = $1::int AND a.backend_start = $2::timestamptz AND a.state <> 'idle'"
                         "   AND a.state_change <= to_timestamp($3::float8 / 1000)",
                 3, params) == DB_OK)
        PQclear(r);
}

/* Milliseconds since the epoch by our clock. */
static long long wall_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void db_mark_change(struct db *db)
{
    db->change_pending = 1;
    db->change_lost = 0;
    /* by the server's clock, less what the measure of the clocks may be
     * off: the change's events are stamped when its transaction begins on
     * the server, which is after this */
    db->change_since_ms = wall_ms() + db->clock_skew_ms - db->clock_error_ms;
}

int db_change_lost(struct db *db, long long *since_ms)
{
    int lost = db->change_lost;

    if (since_ms)
        *since_ms = db->change_since_ms;
    db->change_lost = 0;
    return lost;
}

/* After each statement: a marked change ends with its statement, or with
 * its transaction; one the connection dropped under is remembered. */
static enum db_status after_statement(struct db *db, enum db_status rc)
{
    if (rc == DB_LOST && !db->lost_at_ms)
        db->lost_at_ms = wall_ms() + db->clock_skew_ms;
    if (db->change_pending) {
        if (rc == DB_LOST) {
            db->change_pending = 0;
            db->change_lost = 1;
        } else if (!db->conn || PQtransactionStatus(db->conn) == PQTRANS_IDLE) {
            db->change_pending = 0;
        }
    }
    return rc;
}

enum db_status db_connect(struct db *db, const char *conninfo, int ask_password)
{
    char password[256];

    if (!db->statement_timeout_ms)
        db->statement_timeout_ms = 30000;
    db->timeout_now_ms = db->statement_timeout_ms > 0 ? db->statement_timeout_ms : 0;
    db->interrupt_fd = -1;
    db->cancel_fd = -1;
    db->busy = 0;
    free(db->conninfo);
    db->conninfo = xstrdup(conninfo ? conninfo : "");
    db->conn = open_conn(db->conninfo, NULL);
    if (PQstatus(db->conn) == CONNECTION_BAD && PQconnectionNeedsPassword(db->conn) && ask_password &&
        isatty(STDIN_FILENO)) {
        PQfinish(db->conn);
        read_password(password, sizeof password);
        db->conn = open_conn(db->conninfo, password);
        memset(password, 0, sizeof password);
    }
    if (PQstatus(db->conn) == CONNECTION_BAD) {
        db_set_error(db, "%s", PQerrorMessage(db->conn));
        str_trim(db->errmsg);
        PQfinish(db->conn);
        db->conn = NULL;
        return DB_LOST;
    }
    PQsetClientEncoding(db->conn, "UTF8");
    if (setup_session(db) != DB_OK)
        return DB_ERROR;
    return DB_OK;
}

void db_close(struct db *db)
{
    if (db->conn)
        PQfinish(db->conn);
    db->conn = NULL;
    free(db->conninfo);
    db->conninfo = NULL;
}

int db_connected(const struct db *db)
{
    return db->conn && PQstatus(db->conn) == CONNECTION_OK;
}

enum db_status db_reconnect(struct db *db)
{
    int old_pid = db->backend_pid;
    char old_start[sizeof db->backend_start];

    str_copy(old_start, sizeof old_start, db->backend_start);
    db->busy = 0;
    if (!db->conn) {
        db->conn = open_conn(db->conninfo, NULL);
    } else {
        PQreset(db->conn);
    }
    if (PQstatus(db->conn) != CONNECTION_OK) {
        db_set_error(db, "%s", PQerrorMessage(db->conn));
        str_trim(db->errmsg);
        return DB_LOST;
    }
    PQsetClientEncoding(db->conn, "UTF8");
    if (setup_session(db) != DB_OK)
        return DB_LOST;
    end_previous(db, old_pid, old_start);
    db->lost_at_ms = 0;
    if (db->listening) {
        db->listening = 0;
        if (db_listen(db) != DB_OK)
            return DB_LOST;
    }
    return DB_OK;
}

/* Our own SQLSTATEs (class SD, raised by the schema's functions and
 * triggers), and the server's that people meet (some only for a given
 * constraint), with what to tell them. */
static const struct {
    const char *state;
    const char *constraint;     /* NULL: any */
    const char *message;        /* through gettext */
    enum db_status status;
} known_states[] = {
    { "SD001", NULL, N_("This status change is not allowed."), DB_REFUSED },
    { "SD002", NULL, N_("This status change needs a public comment."), DB_REFUSED },
    { "SD004", NULL, N_("The signal no longer exists."), DB_REFUSED },
    { "SD005", NULL, N_("That value is not known (it may have been removed meanwhile); nothing was changed."), DB_REFUSED },
    { "SD009", NULL, N_("Another operator changed one of the signals meanwhile; nothing was applied."), DB_CONFLICT },
    { "SD403", NULL, N_("You are not allowed to do this: only supervisors and admins move signals."), DB_REFUSED },
    { "SD061", NULL, N_("A move needs a reason; nothing was moved."), DB_REFUSED },
    { "SD062", NULL, N_("That unit does not exist or is no longer active; nothing was moved."), DB_REFUSED },
    { "SD063", NULL, N_("That operator does not exist or is no longer active; nothing was moved."), DB_REFUSED },
    { "42501", NULL, N_("You are not allowed to do this."), DB_REFUSED },
    { "SD801", NULL, N_("The history is never changed or removed."), DB_REFUSED },
    { "SD802", NULL, N_("Only a supervisor may move a signal of another unit."), DB_REFUSED },
    { "SD803", NULL, N_("Only a supervisor may give a signal to someone of another unit."), DB_REFUSED },
    { "SD804", NULL,
      N_("A login is lower-case Latin letters, digits, '_', '.' or '-', starting with a letter."), DB_REFUSED },
    { "SD805", NULL,
      N_("That role cannot be managed here: a superuser, the owner, a system role, or one "
         "that is a person already."), DB_REFUSED },
    { "SD806", NULL, N_("The level is operator, supervisor or admin."), DB_REFUSED },
    { "SD807", NULL, N_("People are deactivated, never removed: the history keeps their names."), DB_REFUSED },
    { "SD808", NULL, N_("There is no such person."), DB_REFUSED },
    { "SD809", NULL,
      N_("Categories have two levels: a category cannot go under a subcategory, and one with "
         "subcategories cannot go under another."), DB_REFUSED },
    { "SD810", NULL, N_("That unit does not exist or is not active."), DB_REFUSED },
    { "SD811", NULL, N_("A value is missing."), DB_REFUSED },
    { "SD812", NULL, N_("Someone changed this meanwhile; nothing was saved."), DB_REFUSED },
    { "SD813", NULL, N_("Nobody changes their own level or deactivates themselves; ask another admin."), DB_REFUSED },
    { "23505", "categories_name_key", N_("A category of that name exists already at that place."), DB_REFUSED },
    { "23505", "units_name_key", N_("A unit of that name exists already."), DB_REFUSED },
    { "23505", "districts_name_key", N_("A district of that name exists already."), DB_REFUSED },
    { "23505", "operators_pkey", N_("That login exists already."), DB_REFUSED },
    { "23505", "routing_pkey", N_("Someone set this cell meanwhile; nothing was saved."), DB_REFUSED },
    { "23514", "categories_name_check", N_("A category needs a name."), DB_REFUSED },
    { "23514", "categories_sla_range",
      N_("The hours to handle a signal are a whole number from 1 to 8760."), DB_REFUSED },
    { "23514", "categories_sla_hours_check",
      N_("The hours to handle a signal are a whole number from 1 to 8760."), DB_REFUSED },
    { "23514", "units_name_check", N_("A unit needs a name."), DB_REFUSED },
    { "23514", "units_email_check", N_("That is not an e-mail address."), DB_REFUSED },
    { "23514", "units_kind_check", N_("A unit is a district, municipal or external."), DB_REFUSED },
    { "23514", "operators_name_check", N_("A person needs a name."), DB_REFUSED },
    { "23514", "response_templates_text_check", N_("A template needs a title and a text."), DB_REFUSED },
    { "23514", "settings_value_check", N_("That value is not allowed for this setting."), DB_REFUSED },
    { "23503", "signals_assignee_fkey",
      N_("Only people listed as operators can take signals; ask an administrator to add you."), DB_REFUSED },
};

/* Field n (from 0) of an error's DETAIL, where our functions put the
 * registration numbers a sentence names, separated by tabs. */
static const char *detail_field(const PGresult *r, int n, char *buf, size_t size)
{
    const char *d = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
    size_t len;

    buf[0] = '\0';
    while (d && n-- > 0) {
        d = strchr(d, '\t');
        if (d)
            d++;
    }
    if (!d)
        return "?";
    len = strcspn(d, "\t");
    if (len >= size)
        len = size - 1;
    memcpy(buf, d, len);
    buf[len] = '\0';
    return buf;
}

/* The refusals of merging and undoing a merge (009_duplicates.sql). */
static int classify_merge(struct db *db, const PGresult *r, const char *state, enum db_status *rc)
{
    char a[64], b[64], c[64];

    *rc = DB_REFUSED;
    if (strcmp(state, "SD020") == 0)
        db_set_error(db, "%s", _("A signal becomes a duplicate only by merging it into its main signal (F8)."));
    else if (strcmp(state, "SD021") == 0)
        db_set_error(db, "%s", _("A signal cannot be merged into itself, nor twice in one merge."));
    else if (strcmp(state, "SD022") == 0) {
        db_set_error(db, "%s", _("Another operator changed one of these signals meanwhile; nothing was merged."));
        *rc = DB_CONFLICT;
    } else if (strcmp(state, "SD023") == 0)
        db_set_error(db, _("%s is itself a duplicate of %s; merge into that one."), detail_field(r, 0, a, sizeof a),
                     detail_field(r, 1, b, sizeof b));
    else if (strcmp(state, "SD024") == 0)
        db_set_error(db, _("%s is not open; reopen it or choose an open signal as the main one."),
                     detail_field(r, 0, a, sizeof a));
    else if (strcmp(state, "SD025") == 0)
        db_set_error(db, _("%s is already a duplicate of %s."), detail_field(r, 0, a, sizeof a),
                     detail_field(r, 1, b, sizeof b));
    else if (strcmp(state, "SD026") == 0)
        db_set_error(db, _("%s is %s; it cannot become a duplicate."), detail_field(r, 0, a, sizeof a),
                     status_label(detail_field(r, 1, b, sizeof b)));
    else if (strcmp(state, "SD027") == 0)
        db_set_error(db, _("%s and %s are in different categories."), detail_field(r, 0, a, sizeof a),
                     detail_field(r, 1, b, sizeof b));
    else if (strcmp(state, "SD028") == 0)
        db_set_error(db, _("%s and %s are %s m apart."), detail_field(r, 0, a, sizeof a),
                     detail_field(r, 1, b, sizeof b), detail_field(r, 2, c, sizeof c));
    else if (strcmp(state, "SD030") == 0)
        db_set_error(db, "%s", _("This merge was undone already."));
    else if (strcmp(state, "SD031") == 0)
        db_set_error(db, _("%s was merged into %s afterwards; undo that merge first."),
                     detail_field(r, 0, a, sizeof a), detail_field(r, 1, b, sizeof b));
    else if (strcmp(state, "SD032") == 0)
        db_set_error(db, "%s", _("None of the merged signals is a duplicate any more; there is nothing to undo."));
    else
        return 0;
    return 1;
}

/* Turns a failed result into a status and a sentence for people.  Our own
 * SQLSTATEs (SDnnn) come from the schema's functions and triggers. */
static enum db_status classify(struct db *db, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *constraint;
    enum db_status rc;
    size_t i;

    str_copy(db->sqlstate, sizeof db->sqlstate, state ? state : "");
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK || (state && strncmp(state, "08", 2) == 0) ||
        (state && strcmp(state, "57P01") == 0)) {
        db_set_error(db, "%s", _("The connection to the database was lost."));
        return DB_LOST;
    }
    if (!state) {
        db_set_error(db, "%s", db->conn ? PQerrorMessage(db->conn) : "?");
        str_trim(db->errmsg);
        return DB_ERROR;
    }
    if (strcmp(state, "57014") == 0) {
        /* not ours (db_cancel and a Ctrl-C say so themselves): the time
         * limit, or someone on the server */
        if (db->timeout_now_ms > 0)
            db_set_error(db, _("The database did not answer in %g s; stopped, nothing was changed."),
                         db->timeout_now_ms / 1000.0);
        else
            db_set_error(db, "%s", _("The database stopped the request; nothing was changed."));
        return DB_CANCELED;
    }
    if (classify_merge(db, r, state, &rc))
        return rc;
    constraint = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : NULL;
    for (i = 0; i < ARRAY_SIZE(known_states); i++)
        if (strcmp(state, known_states[i].state) == 0 &&
            (!known_states[i].constraint || (constraint && strcmp(known_states[i].constraint, constraint) == 0))) {
            db_set_error(db, "%s", _(known_states[i].message));
            return known_states[i].status;
        }
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
        db_set_error(db, "%s", _("Another operator was changing the same signals; try again."));
        return DB_CONFLICT;
    }
    db_set_error(db, "%s", primary ? primary : PQresultErrorMessage(r));
    return DB_ERROR;
}

static double ms_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static enum db_status collect(struct db *db, PGresult **out);

/* How run() may stop a statement. */
enum {
    RUN_KEYS = 1,           /* a key press stops it too (reads a person waits for) */
    RUN_NO_PRECHECK = 2,    /* a Ctrl-C made before it does not keep it from being sent */
    RUN_NO_CANCEL = 4,      /* nothing stops it (ROLLBACK) */
};

/* Takes what waits on the cancel descriptor; 1 when something did. */
static int take_cancel(struct db *db)
{
    char buf[64];
    int any = 0;

    if (db->cancel_fd < 0)
        return 0;
    while (read(db->cancel_fd, buf, sizeof buf) > 0)
        any = 1;
    return any;
}

/* PQcancel() opens a connection of its own and waits for the server to
 * close it, with no time limit: against a server or pooler that has stopped
 * answering it would hang the console, Ctrl-C and SIGTERM with it.  So the
 * request goes from a thread of its own (it takes none of our signals),
 * which writes a byte to cancel_done when it is through, while the console
 * goes on waiting.  cancel_for: the connection (its generation) a request
 * is on its way for, 0 when none; one stuck for a connection given up
 * since holds nothing up. */
static atomic_long cancel_for;
static int cancel_done[2] = { -1, -1 };

struct cancel_req {
    PGcancel *c;
    long generation;
};

static void *cancel_thread(void *arg)
{
    struct cancel_req *q = arg;
    char err[256];
    long mine = q->generation;

    PQcancel(q->c, err, sizeof err);
    PQfreeCancel(q->c);
    free(q);
    atomic_compare_exchange_strong(&cancel_for, &mine, 0);
    if (cancel_done[1] >= 0 && write(cancel_done[1], "!", 1) < 0) {
        /* full: a byte is waiting already */
    }
    return NULL;
}

/* A cancel request is on its way for this connection. */
static int cancel_pending(const struct db *db)
{
    return atomic_load(&cancel_for) == db->generation;
}

static int make_done_pipe(void)
{
    int i;

    if (pipe(cancel_done) < 0)
        return 0;
    for (i = 0; i < 2; i++) {
        fcntl(cancel_done[i], F_SETFL, fcntl(cancel_done[i], F_GETFL) | O_NONBLOCK);
        fcntl(cancel_done[i], F_SETFD, FD_CLOEXEC);
    }
    return 1;
}

static void send_cancel(struct db *db)
{
    struct cancel_req *q;
    pthread_attr_t attr;
    pthread_t t;
    sigset_t all, old;
    int started;

    if (cancel_pending(db))
        return;     /* the last one has not got through yet */
    q = xmalloc(sizeof *q);
    q->c = PQgetCancel(db->conn);
    q->generation = db->generation;
    if (!q->c) {
        free(q);
        return;
    }
    atomic_store(&cancel_for, db->generation);
    if (cancel_done[0] < 0 && !make_done_pipe()) {
        cancel_done[0] = cancel_done[1] = -1;
        cancel_thread(q);   /* no pipe: the plain way */
        return;
    }
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    started = pthread_create(&t, &attr, cancel_thread, q) == 0;
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!started)
        cancel_thread(q);
}

/* Gives up on the connection: the server may still be working on what was
 * sent (or a cancel may still reach it), but nothing more is waited for.
 * The socket is shut, so libpq sees the connection end (DB_LOST), and a
 * reconnect (PQreset) keeps its password; a change in flight is told of as
 * one the connection dropped under. */
static enum db_status abandon(struct db *db)
{
    int fd = PQsocket(db->conn);

    if (fd >= 0)
        shutdown(fd, SHUT_RDWR);
    PQconsumeInput(db->conn);
    db->busy = 0;
    return classify(db, NULL);
}

/* Asks the server to stop the statement running and reads how it ended:
 * DB_OK when it was done before the cancel came (then it is done, once),
 * DB_CANCELED when it was stopped.  Nothing more is sent on the connection
 * until the cancel request is through (it would stop whatever runs when it
 * lands).  Meanwhile another Ctrl-C, the first not through, gives up on
 * the connection (DB_LOST) instead of waiting on; so does the console
 * ending (SIGTERM, SIGHUP) once the server has had DB_END_WAIT_MS. */
static enum db_status stop_running(struct db *db, PGresult **out, const char *why)
{
    enum db_status rc;
    double deadline = 0;
    int busy = 1;

    send_cancel(db);
    for (;;) {
        struct pollfd fds[3];
        int nfds = 0, wake = -1, timeout = -1;
        char buf[16];

        if (busy) {
            if (!PQconsumeInput(db->conn)) {
                db->busy = 0;
                return classify(db, NULL);
            }
            busy = PQisBusy(db->conn);
        }
        if (!busy && !cancel_pending(db))
            break;
        if (!deadline && db->ending && db->ending())
            deadline = ms_now() + DB_END_WAIT_MS;
        if (deadline) {
            double left = deadline - ms_now();

            if (left <= 0)
                return abandon(db);
            timeout = (int)left + 1;
        }
        if (busy) {
            fds[nfds].fd = PQsocket(db->conn);
            fds[nfds++].events = POLLIN;
        }
        fds[nfds].fd = cancel_done[0];
        fds[nfds++].events = POLLIN;
        if (db->cancel_fd >= 0) {
            wake = nfds;
            fds[nfds].fd = db->cancel_fd;
            fds[nfds++].events = POLLIN;
        }
        if (poll(fds, (nfds_t)nfds, timeout) <= 0)
            continue;
        while (cancel_done[0] >= 0 && read(cancel_done[0], buf, sizeof buf) > 0)
            ;
        if (wake >= 0 && (fds[wake].revents & POLLIN) && take_cancel(db) && !deadline &&
            !(db->ending && db->ending())) {
            if (cancel_pending(db))
                return abandon(db);
            if (busy)
                send_cancel(db);
        }
    }
    rc = collect(db, out);
    if (rc == DB_CANCELED && strcmp(db->sqlstate, "57014") == 0) {
        db->sqlstate[0] = '\0';
        db_set_error(db, "%s", why);
    }
    return rc;
}

/* Runs a statement the plain way (nothing to watch): PQexecParams, or
 * PQexecPrepared under name, preparing it when this connection lacks it. */
static enum db_status exec_plain(struct db *db, PGresult **out, const char *name, const char *sql, int nparams,
                                 const char *const *params)
{
    PGresult *r;
    ExecStatusType st;
    enum db_status rc;
    int attempt;

    for (attempt = 0;; attempt++) {
        const char *state;

        r = name ? PQexecPrepared(db->conn, name, nparams, params, NULL, NULL, 0)
                 : PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
        st = PQresultStatus(r);
        if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
            *out = r;
            return DB_OK;
        }
        state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (!name || attempt > 0 || !state || strcmp(state, "26000") != 0)
            break;
        /* not prepared on this connection yet (a new one, or after a reconnect) */
        PQclear(r);
        r = PQprepare(db->conn, name, sql, nparams, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            break;
        PQclear(r);
    }
    rc = classify(db, r);
    PQclear(r);
    return rc;
}

/* Waits for the result of what was sent, watching the cancel descriptor
 * (Ctrl-C) and, with watch_keys, the keyboard; tells the waiting hook once
 * the statement has run DB_WAIT_GRACE_MS since start (*told then set). */
static enum db_status wait_result(struct db *db, PGresult **out, int watch_cancel, int watch_keys, double start,
                                  int *told)
{
    for (;;) {
        struct pollfd fds[3];
        int nfds = 1, cfd = -1, kfd = -1, late;
        double waited;

        if (!PQconsumeInput(db->conn))
            return classify(db, NULL);
        if (!PQisBusy(db->conn))
            return collect(db, out);
        waited = ms_now() - start;
        late = waited >= DB_WAIT_GRACE_MS;
        if (late && !*told && db->waiting) {
            *told = 1;
            db->waiting(db->waiting_ctx, watch_keys ? DB_WAIT_START_KEY : DB_WAIT_START);
        }
        fds[0].fd = PQsocket(db->conn);
        fds[0].events = POLLIN;
        if (watch_cancel) {
            cfd = nfds++;
            fds[cfd].fd = db->cancel_fd;
            fds[cfd].events = POLLIN;
        }
        if (watch_keys && late) {
            kfd = nfds++;
            fds[kfd].fd = db->interrupt_fd;
            fds[kfd].events = POLLIN;
        }
        /* a signal (EINTR) just looks again */
        if (poll(fds, (nfds_t)nfds, late ? -1 : (int)(DB_WAIT_GRACE_MS - waited) + 1) <= 0)
            continue;
        if (cfd >= 0 && (fds[cfd].revents & POLLIN) && take_cancel(db))
            return stop_running(db, out, _("Cancelled: nothing was changed."));
        if (kfd >= 0 && (fds[kfd].revents & POLLIN))
            return stop_running(db, out, _("Stopped by a key press."));
    }
}

/* Every statement of the console comes here (name: prepared under that
 * name).  With nothing to watch it runs the plain way; otherwise it is sent
 * and waited for while a Ctrl-C (the cancel descriptor) and, for RUN_KEYS,
 * a key can stop it, and the waiting hook hears of it once it takes longer
 * than DB_WAIT_GRACE_MS. */
static enum db_status run_statement(struct db *db, PGresult **out, const char *name, const char *sql, int nparams,
                                    const char *const *params, int how)
{
    int watch_cancel, watch_keys, told = 0, attempt;
    double start;
    enum db_status rc;

    *out = NULL;
    if (db->busy)
        db_cancel(db);
    db->errmsg[0] = '\0';
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
        db_set_error(db, "%s", _("There is no connection to the database."));
        return DB_LOST;
    }
    watch_cancel = db->cancel_fd >= 0 && !(how & RUN_NO_CANCEL);
    watch_keys = (how & RUN_KEYS) && db->interrupt_fd >= 0;
    if (!watch_cancel && !watch_keys && !db->waiting)
        return exec_plain(db, out, name, sql, nparams, params);
    /* a Ctrl-C during the work between two statements of one action */
    if (watch_cancel && !(how & RUN_NO_PRECHECK) && take_cancel(db)) {
        db->sqlstate[0] = '\0';
        db_set_error(db, "%s", _("Cancelled: nothing was changed."));
        return DB_CANCELED;
    }
    start = ms_now();
    for (attempt = 0;; attempt++) {
        PGresult *prepared;

        if (!(name ? PQsendQueryPrepared(db->conn, name, nparams, params, NULL, NULL, 0)
                   : PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0))) {
            rc = classify(db, NULL);
            break;
        }
        rc = wait_result(db, out, watch_cancel, watch_keys, start, &told);
        if (rc == DB_OK || !name || attempt > 0 || strcmp(db->sqlstate, "26000") != 0)
            break;
        /* not prepared on this connection yet (a new one, or after a
         * reconnect); preparing reads the tables, so it may wait too */
        if (!PQsendPrepare(db->conn, name, sql, nparams, NULL)) {
            rc = classify(db, NULL);
            break;
        }
        rc = wait_result(db, &prepared, watch_cancel, watch_keys, start, &told);
        PQclear(prepared);
        if (rc != DB_OK)
            break;
    }
    if (told)
        db->waiting(db->waiting_ctx, DB_WAIT_END);
    return rc;
}

static enum db_status run(struct db *db, PGresult **out, const char *name, const char *sql, int nparams,
                          const char *const *params, int how)
{
    return after_statement(db, run_statement(db, out, name, sql, nparams, params, how));
}

enum db_status db_query(struct db *db, PGresult **out, const char *sql, int nparams,
                        const char *const *params)
{
    return run(db, out, NULL, sql, nparams, params, 0);
}

enum db_status db_query_named(struct db *db, PGresult **out, const char *name, const char *sql, int nparams,
                              const char *const *params)
{
    return run(db, out, name, sql, nparams, params, 0);
}

enum db_status db_read(struct db *db, PGresult **out, const char *sql, int nparams, const char *const *params)
{
    return run(db, out, NULL, sql, nparams, params, RUN_KEYS);
}

enum db_status db_send(struct db *db, const char *sql, int nparams, const char *const *params)
{
    if (db->busy)
        db_cancel(db);
    db->errmsg[0] = '\0';
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
        db_set_error(db, "%s", _("There is no connection to the database."));
        return DB_LOST;
    }
    if (!PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0)) {
        return classify(db, NULL);
    }
    db->busy = 1;
    db->told = 0;
    return DB_OK;
}

int db_busy(const struct db *db)
{
    return db->busy;
}

int db_ready(struct db *db)
{
    if (!db->busy)
        return 1;
    if (!PQconsumeInput(db->conn))
        return 1;
    return !PQisBusy(db->conn);
}

/* Reads every result of the statement; the first failure wins. */
static enum db_status collect(struct db *db, PGresult **out)
{
    PGresult *r, *keep = NULL;
    enum db_status rc = DB_OK;

    while ((r = PQgetResult(db->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);

        if (rc == DB_OK && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) && !keep) {
            keep = r;
            continue;
        }
        if (rc == DB_OK && st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
            rc = classify(db, r);
        PQclear(r);
    }
    db->busy = 0;
    if (rc != DB_OK) {
        PQclear(keep);
        keep = NULL;
    }
    if (out)
        *out = keep;
    else
        PQclear(keep);
    return rc;
}

enum db_status db_result(struct db *db, PGresult **out)
{
    *out = NULL;
    if (!db->busy) {
        db_set_error(db, "%s", _("Nothing is running."));
        return DB_ERROR;
    }
    if (!PQconsumeInput(db->conn)) {
        db->busy = 0;
        return classify(db, NULL);
    }
    if (PQisBusy(db->conn))
        return DB_PENDING;
    return collect(db, out);
}

void db_cancel(struct db *db)
{
    if (!db->busy || !db->conn)
        return;
    /* the server answers the cancel at once; drop what it sends */
    if (stop_running(db, NULL, "") != DB_LOST)
        db_set_error(db, "%s", _("The search was stopped."));
}

enum db_status db_set_timeout(struct db *db, int ms)
{
    char buf[32];
    const char *params[1] = { buf };

    enum db_status rc;

    snprintf(buf, sizeof buf, "%d", ms > 0 ? ms : 0);
    rc = db_exec(db, "SELECT set_config('statement_timeout', $1, false)", 1, params);
    if (rc == DB_OK)
        db->timeout_now_ms = ms > 0 ? ms : 0;
    return rc;
}

enum db_status db_exec(struct db *db, const char *sql, int nparams, const char *const *params)
{
    PGresult *r;
    enum db_status rc = db_query(db, &r, sql, nparams, params);

    PQclear(r);
    return rc;
}

enum db_status db_script(struct db *db, const char *sql)
{
    PGresult *r;
    enum db_status rc = DB_OK;

    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
        db_set_error(db, "%s", _("There is no connection to the database."));
        return DB_LOST;
    }
    if (!PQsendQuery(db->conn, sql)) {
        db_set_error(db, "%s", PQerrorMessage(db->conn));
        return DB_LOST;
    }
    while ((r = PQgetResult(db->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);

        if (rc == DB_OK && st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
            rc = classify(db, r);
        PQclear(r);
    }
    return rc;
}

static enum db_status exec_how(struct db *db, const char *sql, int how)
{
    PGresult *r;
    enum db_status rc = run(db, &r, NULL, sql, 0, NULL, how);

    PQclear(r);
    return rc;
}

enum db_status db_begin(struct db *db)
{
    return db_exec(db, "BEGIN", 0, NULL);
}

/* A COMMIT not sent would leave the transaction open, so a Ctrl-C made
 * before it only cancels it on the server: then it either committed
 * (DB_OK) or rolled back (DB_CANCELED), and the transaction is over. */
enum db_status db_commit(struct db *db)
{
    return exec_how(db, "COMMIT", RUN_NO_PRECHECK);
}

void db_rollback(struct db *db)
{
    char keep[sizeof db->errmsg];

    /* keep the reason for the failure that made us roll back */
    memcpy(keep, db->errmsg, sizeof keep);
    if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
        exec_how(db, "ROLLBACK", RUN_NO_CANCEL);
    memcpy(db->errmsg, keep, sizeof keep);
}

enum db_status db_copy_begin(struct db *db, const char *sql)
{
    PGresult *r;
    enum db_status rc = DB_OK;

    db->errmsg[0] = '\0';
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
        db_set_error(db, "%s", _("There is no connection to the database."));
        return DB_LOST;
    }
    r = PQexec(db->conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN)
        rc = classify(db, r);
    PQclear(r);
    return rc;
}

enum db_status db_copy_put(struct db *db, const char *buf, size_t len)
{
    if (take_cancel(db)) {
        db_set_error(db, "%s", _("Cancelled: nothing was changed."));
        return DB_CANCELED;
    }
    while (len > 0) {
        int n = len > 1 << 30 ? 1 << 30 : (int)len;

        if (PQputCopyData(db->conn, buf, n) != 1) {
            db_set_error(db, "%s", PQerrorMessage(db->conn));
            str_trim(db->errmsg);
            return PQstatus(db->conn) == CONNECTION_OK ? DB_ERROR : DB_LOST;
        }
        buf += n;
        len -= (size_t)n;
    }
    return DB_OK;
}

enum db_status db_copy_end(struct db *db, const char *abort_reason)
{
    PGresult *r;
    enum db_status rc = DB_OK;

    if (PQputCopyEnd(db->conn, abort_reason) != 1) {
        db_set_error(db, "%s", PQerrorMessage(db->conn));
        str_trim(db->errmsg);
        return PQstatus(db->conn) == CONNECTION_OK ? DB_ERROR : DB_LOST;
    }
    while ((r = PQgetResult(db->conn)) != NULL) {
        if (rc == DB_OK && PQresultStatus(r) != PGRES_COMMAND_OK && !abort_reason)
            rc = classify(db, r);
        PQclear(r);
    }
    return rc;
}

enum db_status db_listen(struct db *db)
{
    enum db_status rc;

    if (db->listening)
        return DB_OK;
    rc = db_exec(db, "LISTEN signaldesk", 0, NULL);
    if (rc == DB_OK)
        db->listening = 1;
    return rc;
}

int db_socket(const struct db *db)
{
    return db->conn ? PQsocket(db->conn) : -1;
}

int db_drain_notifications(struct db *db)
{
    PGnotify *n;
    int count = 0;

    if (!db->conn)
        return -1;
    if (!PQconsumeInput(db->conn) || PQstatus(db->conn) != CONNECTION_OK) {
        db_set_error(db, "%s", _("The connection to the database was lost."));
        return -1;
    }
    while ((n = PQnotifies(db->conn)) != NULL) {
        /* our own changes come back too; the screen has reloaded already */
        if (n->be_pid != PQbackendPID(db->conn)) {
            long long id = strtoll(n->extra ? n->extra : "", NULL, 10);
            int i, seen = 0;

            count++;
            for (i = 0; i < db->nchanged; i++)
                seen |= db->changed[i] == id;
            if (!seen && id > 0) {
                if (db->nchanged < DB_MAX_CHANGED)
                    db->changed[db->nchanged++] = id;
                else
                    db->changed_overflow = 1;
            }
        }
        PQfreemem(n);
    }
    return count;
}

int db_take_changed(struct db *db, long long *ids, int max)
{
    int n = db->nchanged < max ? db->nchanged : max;
    int over = db->changed_overflow || db->nchanged > max;

    memcpy(ids, db->changed, (size_t)n * sizeof *ids);
    db->nchanged = 0;
    db->changed_overflow = 0;
    return over ? -1 : n;
}

enum db_status db_check_locale(struct db *db)
{
    PGresult *r;
    enum db_status rc;
    const char *ctype;

    rc = db_query(db, &r, "SELECT datctype FROM pg_database WHERE datname = current_database()", 0, NULL);
    if (rc != DB_OK)
        return rc;
    ctype = PQntuples(r) ? db_val(r, 0, 0) : "";
    if (strcmp(ctype, "C") == 0 || strcmp(ctype, "POSIX") == 0) {
        db_set_error(db, _("The database's character type (LC_CTYPE) is %s, so searching Cyrillic text "
                           "would silently find nothing. Create the database with LC_CTYPE C.UTF-8 or "
                           "bg_BG.UTF-8, e.g. createdb --locale=C.UTF-8 --template=template0 NAME."),
                     ctype);
        PQclear(r);
        return DB_REFUSED;
    }
    PQclear(r);
    return DB_OK;
}

const char *db_val(const PGresult *r, int row, int col)
{
    return PQgetvalue(r, row, col);
}

int db_isnull(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col);
}

long long db_ll(const PGresult *r, int row, int col)
{
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

char *db_password_verifier(struct db *db, const char *login, const char *password)
{
    char *hashed, *copy;

    if (!db->conn) {
        db_set_error(db, "%s", _("There is no connection to the database."));
        return NULL;
    }
    hashed = PQencryptPasswordConn(db->conn, password, login, "scram-sha-256");
    if (!hashed) {
        db_set_error(db, "%s", PQerrorMessage(db->conn));
        str_trim(db->errmsg);
        return NULL;
    }
    copy = xstrdup(hashed);
    PQfreemem(hashed);
    return copy;
}

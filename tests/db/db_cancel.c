/* Stopping statements against the real server: a Ctrl-C (a byte on the
 * cancel descriptor, written here by a signal handler as the console's
 * SIGINT handler does) cancels the statement running, or the next one of
 * an action, never a COMMIT before it starts nor a ROLLBACK; what was
 * cancelled left nothing; slow statements are announced; the time limit
 * says what it was, holds across a reconnect, and 0 in the INI means none. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "dbtest.h"
#include "test.h"

static struct db db;
static int fds[2] = { -1, -1 };

static void on_alarm(int sig)
{
    (void)sig;
    if (write(fds[1], "!", 1) < 0) {
        /* the test then fails on its own */
    }
}

/* A Ctrl-C in ms milliseconds. */
static void ctrl_c_in(int ms)
{
    struct itimerval t;

    memset(&t, 0, sizeof t);
    t.it_value.tv_sec = ms / 1000;
    t.it_value.tv_usec = (ms % 1000) * 1000;
    setitimer(ITIMER_REAL, &t, NULL);
}

static double ms_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static void setup(void)
{
    static int done;
    struct sigaction sa;
    int i;

    if (done)
        return;
    done = 1;
    if (dbt_fresh(&db, "t_db_cancel", "sd_fixture", NULL) < 0)
        exit(1);
    if (pipe(fds) != 0)
        exit(1);
    for (i = 0; i < 2; i++)
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    db.cancel_fd = fds[0];
    db_exec(&db, "CREATE TABLE IF NOT EXISTS public.t_cancel (n int)", 0, NULL);
}

static long long rows(void)
{
    long long n;
    int keep = db.cancel_fd;

    db.cancel_fd = -1;
    n = dbt_number(&db, "SELECT count(*) FROM public.t_cancel");
    db.cancel_fd = keep;
    return n;
}

TEST(ctrl_c_cancels_the_statement_running)
{
    PGresult *r;
    double t0;

    setup();
    ctrl_c_in(300);
    t0 = ms_now();
    CHECK_INT(db_query(&db, &r, "SELECT pg_sleep(20)", 0, NULL), DB_CANCELED);
    CHECK(ms_now() - t0 < 5000);
    CHECK(ms_now() - t0 >= 250);
    CHECK_STR(db.errmsg, "Cancelled: nothing was changed.");
    /* not the time limit: that one names itself */
    CHECK_STR(db.sqlstate, "");
    CHECK(r == NULL);
    /* the connection works on, and the Ctrl-C was used up */
    CHECK_INT(dbt_number(&db, "SELECT 44"), 44);
}

TEST(a_cancelled_write_leaves_nothing)
{
    setup();
    CHECK_INT(db_exec(&db, "DELETE FROM public.t_cancel", 0, NULL), DB_OK);
    ctrl_c_in(300);
    CHECK_INT(db_exec(&db, "INSERT INTO public.t_cancel SELECT g FROM generate_series(1, 5) g, pg_sleep(20)", 0,
                      NULL),
              DB_CANCELED);
    CHECK_INT(rows(), 0);
    /* inside a transaction: the caller rolls back, nothing stays */
    CHECK_INT(db_begin(&db), DB_OK);
    CHECK_INT(db_exec(&db, "INSERT INTO public.t_cancel VALUES (1)", 0, NULL), DB_OK);
    ctrl_c_in(300);
    CHECK_INT(db_exec(&db, "INSERT INTO public.t_cancel SELECT 2 FROM pg_sleep(20)", 0, NULL), DB_CANCELED);
    db_rollback(&db);
    CHECK_INT(PQtransactionStatus(db.conn), PQTRANS_IDLE);
    CHECK_INT(rows(), 0);
}

TEST(a_ctrl_c_between_statements_stops_the_next_one)
{
    PGresult *r;

    setup();
    CHECK_INT(write(fds[1], "!", 1), 1);
    CHECK_INT(db_query(&db, &r, "SELECT 1", 0, NULL), DB_CANCELED);
    CHECK_STR(db.errmsg, "Cancelled: nothing was changed.");
    CHECK_INT(dbt_number(&db, "SELECT 45"), 45);
}

TEST(commit_is_always_sent_and_rollback_never_stopped)
{
    enum db_status rc;

    setup();
    CHECK_INT(db_exec(&db, "DELETE FROM public.t_cancel", 0, NULL), DB_OK);
    CHECK_INT(db_begin(&db), DB_OK);
    CHECK_INT(db_exec(&db, "INSERT INTO public.t_cancel VALUES (1)", 0, NULL), DB_OK);
    CHECK_INT(write(fds[1], "!", 1), 1);
    /* a COMMIT not sent would leave the transaction open: it is sent, and
     * it is done whole or not at all, and says which */
    rc = db_commit(&db);
    CHECK(rc == DB_OK || rc == DB_CANCELED);
    CHECK_INT(PQtransactionStatus(db.conn), PQTRANS_IDLE);
    CHECK_INT(rows(), rc == DB_OK ? 1 : 0);
    /* a BEGIN after a Ctrl-C is not sent: nothing is opened */
    CHECK_INT(write(fds[1], "!", 1), 1);
    CHECK_INT(db_begin(&db), DB_CANCELED);
    CHECK_INT(PQtransactionStatus(db.conn), PQTRANS_IDLE);
    /* a ROLLBACK is not stopped even with a Ctrl-C waiting */
    CHECK_INT(db_begin(&db), DB_OK);
    CHECK_INT(db_exec(&db, "INSERT INTO public.t_cancel VALUES (2)", 0, NULL), DB_OK);
    CHECK_INT(write(fds[1], "!", 1), 1);
    db_rollback(&db);
    CHECK_INT(PQtransactionStatus(db.conn), PQTRANS_IDLE);
    CHECK_INT(rows(), rc == DB_OK ? 1 : 0);
    {
        PGresult *r;

        CHECK_INT(db_query(&db, &r, "SELECT 1", 0, NULL), DB_CANCELED);    /* that one took the Ctrl-C */
    }
    CHECK_INT(dbt_number(&db, "SELECT 46"), 46);
}

static int starts, ends, key_starts;

static void on_waiting(void *ctx, enum db_wait what)
{
    (void)ctx;
    if (what == DB_WAIT_START)
        starts++;
    else if (what == DB_WAIT_START_KEY)
        key_starts++;
    else
        ends++;
}

TEST(slow_statements_are_announced_and_quick_ones_not)
{
    PGresult *r;

    setup();
    db.waiting = on_waiting;
    starts = ends = key_starts = 0;
    CHECK_INT(dbt_number(&db, "SELECT 1"), 1);
    CHECK_INT(starts + ends + key_starts, 0);
    CHECK_INT(db_query(&db, &r, "SELECT pg_sleep(0.5)", 0, NULL), DB_OK);
    PQclear(r);
    CHECK_INT(starts, 1);
    CHECK_INT(ends, 1);
    /* a read that a key would stop says so (no key comes) */
    {
        int keys[2];

        CHECK_INT(pipe(keys), 0);
        db.interrupt_fd = keys[0];
        CHECK_INT(db_read(&db, &r, "SELECT pg_sleep(0.5)", 0, NULL), DB_OK);
        PQclear(r);
        db.interrupt_fd = -1;
        close(keys[0]);
        close(keys[1]);
    }
    CHECK_INT(key_starts, 1);
    CHECK_INT(ends, 2);
    /* a cancelled one ends too */
    ctrl_c_in(400);
    CHECK_INT(db_query(&db, &r, "SELECT pg_sleep(20)", 0, NULL), DB_CANCELED);
    CHECK_INT(starts, 2);
    CHECK_INT(ends, 3);
    db.waiting = NULL;
}

static char *show_timeout(struct db *d)
{
    static char buf[32];
    PGresult *r;

    buf[0] = '\0';
    if (db_query(d, &r, "SHOW statement_timeout", 0, NULL) == DB_OK) {
        snprintf(buf, sizeof buf, "%s", db_val(r, 0, 0));
        PQclear(r);
    }
    return buf;
}

TEST(the_time_limit_names_itself_and_holds_across_a_reconnect)
{
    PGresult *r;
    struct db other;

    setup();
    CHECK_INT(db_set_timeout(&db, 300), DB_OK);
    CHECK_INT(db_query(&db, &r, "SELECT pg_sleep(5)", 0, NULL), DB_CANCELED);
    CHECK_STR(db.sqlstate, "57014");
    CHECK_STR(db.errmsg, "The database did not answer in 0.3 s; stopped, nothing was changed.");
    /* the connection dies; the limit in force comes back with it */
    CHECK_INT(db_set_timeout(&db, 700), DB_OK);
    CHECK_INT(db_query(&db, &r, "SELECT pg_terminate_backend(pg_backend_pid())", 0, NULL), DB_LOST);
    CHECK_INT(db_reconnect(&db), DB_OK);
    CHECK_STR(show_timeout(&db), "700ms");
    CHECK_INT(db_set_timeout(&db, 30000), DB_OK);
    /* 0 in the INI (a negative limit here): none at all */
    memset(&other, 0, sizeof other);
    other.statement_timeout_ms = -1;
    CHECK_INT(db_connect(&other, "dbname=t_db_cancel", 0), DB_OK);
    CHECK_STR(show_timeout(&other), "0");
    db_close(&other);
    /* left unset: the default 30 s */
    memset(&other, 0, sizeof other);
    CHECK_INT(db_connect(&other, "dbname=t_db_cancel", 0), DB_OK);
    CHECK_STR(show_timeout(&other), "30s");
    db_close(&other);
}

TEST_LIST = {
    { "ctrl_c_cancels_the_statement_running", ctrl_c_cancels_the_statement_running },
    { "a_cancelled_write_leaves_nothing", a_cancelled_write_leaves_nothing },
    { "a_ctrl_c_between_statements_stops_the_next_one", a_ctrl_c_between_statements_stops_the_next_one },
    { "commit_is_always_sent_and_rollback_never_stopped", commit_is_always_sent_and_rollback_never_stopped },
    { "slow_statements_are_announced_and_quick_ones_not", slow_statements_are_announced_and_quick_ones_not },
    { "the_time_limit_names_itself_and_holds_across_a_reconnect",
      the_time_limit_names_itself_and_holds_across_a_reconnect },
    { NULL, NULL }
};

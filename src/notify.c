#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "mailmsg.h"
#include "util.h"

#define SENDMAIL_SECONDS 120

/* Pipes msg into `sh -c command`; 0 when it exited with status 0, else -1
 * and what went wrong (with the first line it printed) in why. */
static int pipe_to(const char *command, const char *msg, size_t len, char *why, size_t whysz)
{
    int in[2], out[2], status;
    pid_t pid;
    size_t off = 0, got = 0;
    char output[1024];
    time_t deadline = time(NULL) + SENDMAIL_SECONDS;
    int open_in = 1, open_out = 1, timed_out = 0;

    why[0] = '\0';
    if (pipe(in) < 0 || pipe(out) < 0) {
        snprintf(why, whysz, "pipe: %s", strerror(errno));
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        snprintf(why, whysz, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        dup2(out[1], STDERR_FILENO);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    /* write the message and read what it says, both at once */
    while (open_out) {
        struct pollfd p[2];
        int n = 0, io = -1, oo = -1, left = (int)(deadline - time(NULL));

        if (left <= 0) {
            timed_out = 1;
            kill(pid, SIGKILL);
            break;
        }
        if (open_in) {
            p[n].fd = in[1];
            p[n].events = POLLOUT;
            io = n++;
        }
        p[n].fd = out[0];
        p[n].events = POLLIN;
        oo = n++;
        if (poll(p, (nfds_t)n, left * 1000) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (io >= 0 && p[io].revents) {
            ssize_t w = write(in[1], msg + off, len - off);

            if (w > 0)
                off += (size_t)w;
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || off == len) {
                close(in[1]);
                open_in = 0;
            }
        }
        if (p[oo].revents) {
            char buf[512];
            ssize_t rd = read(out[0], buf, sizeof buf);

            if (rd <= 0) {
                open_out = 0;
            } else if (got < sizeof output - 1) {
                size_t k = (size_t)rd < sizeof output - 1 - got ? (size_t)rd : sizeof output - 1 - got;

                memcpy(output + got, buf, k);
                got += k;
            }
        }
    }
    if (open_in)
        close(in[1]);
    close(out[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    output[got] = '\0';
    output[strcspn(output, "\n")] = '\0';
    if (timed_out) {
        snprintf(why, whysz, _("the mailer did not finish in %d seconds and was stopped"), SENDMAIL_SECONDS);
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        if (off < len) {
            snprintf(why, whysz, "%s", _("the mailer did not read the whole message"));
            return -1;
        }
        return 0;
    }
    if (WIFEXITED(status))
        snprintf(why, whysz, _("the mailer exited with status %d%s%s"), WEXITSTATUS(status), *output ? ": " : "",
                 output);
    else
        snprintf(why, whysz, _("the mailer was stopped by signal %d"), WTERMSIG(status));
    return -1;
}

static enum db_status mark(struct db *db, long long id, const char *why)
{
    char idbuf[32];
    const char *params[2] = { idbuf, why };

    snprintf(idbuf, sizeof idbuf, "%lld", id);
    if (!why)
        return db_exec(db, "UPDATE notifications SET status = 'sent', sent_at = now(), error = NULL"
                           " WHERE id = $1 AND status = 'sending'", 1, params);
    return db_exec(db, "UPDATE notifications SET status = 'failed', error = $2 WHERE id = $1 AND status = 'sending'",
                   2, params);
}

enum db_status notify_run(struct db *db, const char *command, const char *from, int limit,
                          struct notify_stats *stats, notify_report_fn report, void *ctx)
{
    const char *params[1];
    PGresult *r;
    enum db_status rc;
    struct sigaction ign, old;
    int i, done = 0;

    memset(stats, 0, sizeof *stats);
    if (!command || !*command)
        command = NOTIFY_DEFAULT_SENDMAIL;
    /* what an earlier run left half done stays unsent: better once too few than twice */
    params[0] = _("interrupted while being handed to the mailer; it may or may not have been sent");
    rc = db_query(db, &r,
                  "UPDATE notifications SET status = 'failed', error = $1"
                  " WHERE status = 'sending'"
                  "   AND NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = claimed_by)"
                  " RETURNING id, to_addr",
                  1, params);
    if (rc != DB_OK)
        return rc;
    for (i = 0; i < PQntuples(r); i++) {
        stats->interrupted++;
        if (report)
            report(ctx, db_ll(r, i, 0), db_val(r, i, 1), params[0]);
    }
    PQclear(r);

    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old);
    while (limit <= 0 || done < limit) {
        struct strbuf msg;
        char why[1024];
        long long id;
        int ok;

        rc = db_query(db, &r,
                      "UPDATE notifications n SET status = 'sending', claimed_by = pg_backend_pid(),"
                      "       attempted_at = now()"
                      " WHERE n.id = (SELECT id FROM notifications WHERE status = 'pending'"
                      "                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
                      " RETURNING n.id, n.to_addr, n.subject, n.body",
                      0, NULL);
        if (rc != DB_OK)
            break;
        if (PQntuples(r) == 0) {
            PQclear(r);
            break;
        }
        id = db_ll(r, 0, 0);
        sb_init(&msg);
        if (mail_build(&msg, from, db_val(r, 0, 1), db_val(r, 0, 2), db_val(r, 0, 3), id) < 0) {
            snprintf(why, sizeof why, _("'%s' is not an e-mail address this system can send to"), db_val(r, 0, 1));
            ok = 0;
        } else {
            ok = pipe_to(command, msg.buf, msg.len, why, sizeof why) == 0;
        }
        sb_free(&msg);
        if (ok) {
            stats->sent++;
        } else {
            stats->failed++;
            if (report)
                report(ctx, id, db_val(r, 0, 1), why);
        }
        PQclear(r);
        rc = mark(db, id, ok ? NULL : why);
        if (rc != DB_OK)
            break;
        done++;
    }
    sigaction(SIGPIPE, &old, NULL);
    return rc;
}

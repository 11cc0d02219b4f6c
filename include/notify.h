#ifndef SIGNALDESK_NOTIFY_H
#define SIGNALDESK_NOTIFY_H

#include "db.h"

/* `signaldesk notify`: hands each pending message of the notifications
 * outbox to the system's sendmail interface and marks it sent or failed
 * with the reason.  A message is claimed ('sending', with our backend's
 * pid) before the mailer sees it, so it is never sent twice: one left
 * 'sending' by a run that died is marked failed, not sent again. */

#define NOTIFY_DEFAULT_SENDMAIL "/usr/sbin/sendmail -t -i"

struct notify_stats {
    int sent;
    int failed;
    int interrupted;    /* left behind by an earlier run that stopped midway */
};

/* Called for each message that failed: its id, address and the reason. */
typedef void (*notify_report_fn)(void *ctx, long long id, const char *to, const char *why);

/* command: a shell command that reads one message on its standard input
 * (default NOTIFY_DEFAULT_SENDMAIL); from: the From header ("" leaves it to
 * sendmail); limit: at most that many messages (0: all pending). */
enum db_status notify_run(struct db *db, const char *command, const char *from, int limit,
                          struct notify_stats *stats, notify_report_fn report, void *ctx);

#endif

/* make bench: times the console's database work against a database of a
 * million signals, with the project's own domain code.  One line per
 * operation: "bench: NAME p50_ms=X p95_ms=Y target_ms=Z". */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "db.h"
#include "signals.h"
#include "util.h"

#define MAX_RUNS 1000

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void report(const char *name, double *ms, int n, double target)
{
    qsort(ms, (size_t)n, sizeof *ms, cmp_double);
    printf("bench: %s p50_ms=%.2f p95_ms=%.2f target_ms=%.0f\n", name, ms[n / 2], ms[(n * 95) / 100], target);
    fflush(stdout);
}

static struct db db;
static struct operator_info me;

/* Keys spread over the whole table, to start deep pages from. */
static int sample_keys(struct sig_key *keys, int n)
{
    PGresult *r;
    char nbuf[16];
    const char *params[1] = { nbuf };
    int i, got;

    snprintf(nbuf, sizeof nbuf, "%d", n);
    if (db_query(&db, &r,
                 "SELECT created_at, id FROM signals TABLESAMPLE SYSTEM (1) ORDER BY random() LIMIT $1::integer",
                 1, params) != DB_OK) {
        fprintf(stderr, "bench: %s\n", db.errmsg);
        exit(1);
    }
    got = PQntuples(r);
    for (i = 0; i < got; i++) {
        str_copy(keys[i].created, sizeof keys[i].created, db_val(r, i, 0));
        keys[i].id = db_ll(r, i, 1);
    }
    PQclear(r);
    return got;
}

static void bench_pages(void)
{
    static double ms[MAX_RUNS];
    static struct sig_key keys[MAX_RUNS];
    struct sig_row rows[21];
    struct sig_filter all, newq, mine;
    int i, n, nrows, more, nkeys;

    memset(&all, 0, sizeof all);
    memset(&newq, 0, sizeof newq);
    newq.status_mask = STATUS_BIT(ST_NEW);
    memset(&mine, 0, sizeof mine);
    mine.status_mask = OPEN_STATUSES;
    mine.my_unit = 1;

    n = 200;
    for (i = 0; i < n; i++) {
        double t0 = now_ms();

        signals_page(&db, i % 2 ? &all : &newq, &me, PAGE_FIRST, NULL, 20, rows, &nrows, &more);
        ms[i] = now_ms() - t0;
    }
    report("queue_first_page", ms, n, 5);

    nkeys = sample_keys(keys, 200);
    for (i = 0; i < nkeys; i++) {
        double t0 = now_ms();

        signals_page(&db, &all, &me, i % 2 ? PAGE_AFTER : PAGE_BEFORE, &keys[i], 20, rows, &nrows, &more);
        ms[i] = now_ms() - t0;
    }
    report("queue_deep_page", ms, nkeys, 5);

    for (i = 0; i < 100; i++) {
        double t0 = now_ms();

        signals_page(&db, i % 2 ? &all : &mine, &me, PAGE_LAST, NULL, 20, rows, &nrows, &more);
        ms[i] = now_ms() - t0;
    }
    report("queue_last_page", ms, 100, 5);
}

static void bench_counts(void)
{
    static double ms[MAX_RUNS];
    struct sig_filter f[5];
    int i, j;
    long long count;
    int approx;

    memset(f, 0, sizeof f);
    f[0].status_mask = STATUS_BIT(ST_NEW);
    f[1].status_mask = OPEN_STATUSES;
    f[1].mine = 1;
    f[2].status_mask = OPEN_STATUSES;
    f[2].my_unit = 1;
    f[3].status_mask = OPEN_STATUSES;
    f[3].overdue = 1;
    for (i = 0; i < 50; i++) {
        double t0 = now_ms();

        for (j = 0; j < 5; j++)
            signals_count(&db, &f[j], &me, &count, &approx);
        ms[i] = now_ms() - t0;
    }
    report("tab_counts", ms, 50, 50);
}

/* The audit trail: every change by anyone (millions of events), newest
 * first, paged by key, with and without its filters. */
static void bench_audit(void)
{
    static double ms[MAX_RUNS];
    static struct audit_key keys[MAX_RUNS];
    static char logins[64][64];
    static long long signal_ids[MAX_RUNS];
    struct audit_row rows[21];
    struct audit_filter f;
    PGresult *r;
    int i, n, nkeys, nlogins, nsignals, more;

    if (db_query(&db, &r, "SELECT at, id FROM signal_events TABLESAMPLE SYSTEM (1) ORDER BY random() LIMIT 200", 0,
                 NULL) != DB_OK) {
        fprintf(stderr, "bench: %s\n", db.errmsg);
        exit(1);
    }
    nkeys = PQntuples(r);
    for (i = 0; i < nkeys; i++) {
        str_copy(keys[i].at, sizeof keys[i].at, db_val(r, i, 0));
        keys[i].source = AUDIT_SIGNALS;
        keys[i].id = db_ll(r, i, 1);
    }
    PQclear(r);
    if (db_query(&db, &r, "SELECT login FROM operators ORDER BY login LIMIT 64", 0, NULL) != DB_OK)
        exit(1);
    nlogins = PQntuples(r);
    for (i = 0; i < nlogins; i++)
        str_copy(logins[i], sizeof logins[i], db_val(r, i, 0));
    PQclear(r);
    if (db_query(&db, &r, "SELECT id FROM signals TABLESAMPLE SYSTEM (1) LIMIT 200", 0, NULL) != DB_OK)
        exit(1);
    nsignals = PQntuples(r);
    for (i = 0; i < nsignals; i++)
        signal_ids[i] = db_ll(r, i, 0);
    PQclear(r);

    memset(&f, 0, sizeof f);
    for (i = 0; i < 100; i++) {
        double t0 = now_ms();

        audit_page(&db, &f, PAGE_FIRST, NULL, 20, rows, &n, &more);
        ms[i] = now_ms() - t0;
    }
    report("audit_first_page", ms, 100, 5);
    for (i = 0; i < nkeys; i++) {
        double t0 = now_ms();

        audit_page(&db, &f, i % 2 ? PAGE_AFTER : PAGE_BEFORE, &keys[i], 20, rows, &n, &more);
        ms[i] = now_ms() - t0;
    }
    report("audit_deep_page", ms, nkeys, 5);
    for (i = 0; i < nkeys; i++) {
        double t0 = now_ms();

        memset(&f, 0, sizeof f);
        str_copy(f.actor, sizeof f.actor, logins[i % (nlogins ? nlogins : 1)]);
        audit_page(&db, &f, i % 2 ? PAGE_AFTER : PAGE_FIRST, &keys[i], 20, rows, &n, &more);
        ms[i] = now_ms() - t0;
    }
    report("audit_by_person", ms, nkeys, 5);
    for (i = 0; i < nkeys; i++) {
        static const char *kinds[] = { "status", "comment", "assignee", "created" };
        double t0 = now_ms();

        memset(&f, 0, sizeof f);
        f.source = AUDIT_SIGNALS;
        str_copy(f.kind, sizeof f.kind, kinds[i % 4]);
        audit_page(&db, &f, i % 2 ? PAGE_AFTER : PAGE_FIRST, &keys[i], 20, rows, &n, &more);
        ms[i] = now_ms() - t0;
    }
    report("audit_by_kind", ms, nkeys, 5);
    for (i = 0; i < nsignals; i++) {
        double t0 = now_ms();

        memset(&f, 0, sizeof f);
        f.signal_id = signal_ids[i];
        audit_page(&db, &f, PAGE_FIRST, NULL, 20, rows, &n, &more);
        ms[i] = now_ms() - t0;
    }
    report("audit_by_signal", ms, nsignals, 5);
    for (i = 0; i < 50; i++) {
        double t0 = now_ms();

        memset(&f, 0, sizeof f);
        str_copy(f.from, sizeof f.from, "2025-03-01");
        str_copy(f.to, sizeof f.to, "2025-03-31");
        str_copy(f.actor, sizeof f.actor, logins[i % (nlogins ? nlogins : 1)]);
        audit_page(&db, &f, PAGE_FIRST, NULL, 20, rows, &n, &more);
        ms[i] = now_ms() - t0;
    }
    report("audit_person_period", ms, 50, 5);
}

/* What stamping every event (actor and time from the database) costs a
 * bulk insert: 100,000 rows into a scratch copy of signal_events with and
 * without the trigger (the real table keeps no dead rows from it). */
static void bench_stamp(void)
{
    static const char *insert =
        "INSERT INTO pg_temp.bench_events (signal_id, kind, comment)"
        " SELECT 1, 'comment', 'bench ' || g FROM generate_series(1, 100000) g";
    double with_ms, without_ms, t0;

    if (db_exec(&db, "CREATE TEMP TABLE bench_events (LIKE signaldesk.signal_events INCLUDING DEFAULTS)", 0,
                NULL) != DB_OK)
        return;
    t0 = now_ms();
    db_exec(&db, insert, 0, NULL);
    without_ms = now_ms() - t0;
    db_exec(&db, "TRUNCATE pg_temp.bench_events", 0, NULL);
    /* the trigger as an operator's insert meets it: every row decided */
    db_exec(&db, "CREATE TRIGGER stamp BEFORE INSERT ON pg_temp.bench_events"
                 " FOR EACH ROW WHEN (NEW.actor IS DISTINCT FROM 'nobody')"
                 " EXECUTE FUNCTION signaldesk.stamp_event()", 0, NULL);
    t0 = now_ms();
    db_exec(&db, insert, 0, NULL);
    with_ms = now_ms() - t0;
    db_exec(&db, "DROP TABLE pg_temp.bench_events", 0, NULL);
    printf("bench: event_stamp_100k with_ms=%.0f without_ms=%.0f us_per_event=%.2f\n", with_ms, without_ms,
           (with_ms - without_ms) * 1000.0 / 100000.0);
}

/* The console itself paging through the whole "All" queue and back: its
 * peak memory must not grow with the table. */
static void bench_console_rss(const char *bin)
{
    char script[] = "/tmp/signaldesk-bench-XXXXXX";
    int fd = mkstemp(script), i;
    FILE *f;
    pid_t pid;
    int status;
    struct rusage ru;
    double t0;

    if (fd < 0)
        return;
    f = fdopen(fd, "w");
    fprintf(f, "5\n");
    for (i = 0; i < 2000; i++)
        fprintf(f, "<PgDn>\n");
    fprintf(f, "<End>\n<Home>\n<End>\n");
    for (i = 0; i < 200; i++)
        fprintf(f, "<PgUp>\n");
    fprintf(f, "q\n");
    fclose(f);
    t0 = now_ms();
    pid = fork();
    if (pid == 0) {
        setenv("SIGNALDESK_SCRIPT", script, 1);
        setenv("TERM", "xterm", 1);
        setenv("LINES", "24", 1);
        setenv("COLUMNS", "80", 1);
        execl(bin, bin, (char *)NULL);
        _exit(127);
    }
    wait4(pid, &status, 0, &ru);
    printf("bench: console_2200_pages ms=%.0f exit=%d\n", now_ms() - t0, WEXITSTATUS(status));
    printf("bench: rss_kb=%ld\n", ru.ru_maxrss);
    unlink(script);
}

int main(int argc, char **argv)
{
    if (db_connect(&db, "", 0) != DB_OK) {
        fprintf(stderr, "bench: %s\n", db.errmsg);
        return 1;
    }
    operator_load(&db, &me);
    bench_pages();
    bench_counts();
    bench_audit();
    bench_stamp();
    if (argc > 1)
        bench_console_rss(argv[1]);
    db_close(&db);
    return 0;
}

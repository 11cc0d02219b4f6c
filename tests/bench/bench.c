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

#include "db.h"
#include "dupes.h"
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

/* Ids from a query without parameters. */
static int sample_ids(const char *sql, long long *ids, int max)
{
    PGresult *r;
    int i, n;

    if (db_query(&db, &r, sql, 0, NULL) != DB_OK) {
        fprintf(stderr, "bench: %s\n", db.errmsg);
        exit(1);
    }
    n = PQntuples(r) < max ? PQntuples(r) : max;
    for (i = 0; i < n; i++)
        ids[i] = db_ll(r, i, 0);
    PQclear(r);
    return n;
}

/* Which signals report the same problem, as the demo generator planted them:
 * a re-report and its original share a root (the original's id). */
static long long planted_root(long long id)
{
    char sql[128];
    PGresult *r;
    long long root = id;

    snprintf(sql, sizeof sql, "SELECT original_id FROM demo_planted_duplicates WHERE signal_id = %lld", id);
    if (db_query(&db, &r, sql, 0, NULL) == DB_OK) {
        if (PQntuples(r) == 1)
            root = db_ll(r, 0, 0);
        PQclear(r);
    }
    return root;
}

/* Candidates for a signal: the time, and how good they are against the
 * duplicates the demo generator planted (signaldesk.demo_planted_duplicates).
 * Recall: the planted original is among the candidates (first, first five,
 * any of twenty).  Precision: of the candidates at or above a score, the
 * share that are planted pairs.  Two independent reports of the same thing
 * that the generator did not plant count as wrong here, so precision is a
 * lower bound. */
static void bench_dupes(void)
{
    static double ms[MAX_RUNS];
    static long long ids[MAX_RUNS];
    static const double thresholds[] = { 0.5, 0.6, 0.7, 0.8 };
    struct dupe_params p;
    struct dupe_list l;
    int i, j, n, found1 = 0, found5 = 0, found = 0, t;
    int above[4] = { 0 }, true_above[4] = { 0 }, recalled[4] = { 0 };

    dupe_params_default(&p);
    /* any signal: the time */
    n = sample_ids("SELECT id FROM signals TABLESAMPLE SYSTEM (0.5) WHERE status <> 'duplicate'"
                   " ORDER BY random() LIMIT 300", ids, 300);
    for (i = 0; i < n; i++) {
        double t0 = now_ms();

        dupes_for_signal(&db, ids[i], &p, 20, &l);
        ms[i] = now_ms() - t0;
        dupe_list_free(&l);
    }
    report("dupes_candidates", ms, n, 20);

    /* planted re-reports: how good */
    n = sample_ids("SELECT signal_id FROM demo_planted_duplicates ORDER BY md5(signal_id::text) LIMIT 400", ids, 400);
    if (n == 0) {
        printf("bench: dupes_precision skipped (no demo_planted_duplicates)\n");
        return;
    }
    for (i = 0; i < n; i++) {
        long long root = planted_root(ids[i]);
        int first = -1, best_true = -1;

        if (dupes_for_signal(&db, ids[i], &p, 20, &l) != DB_OK)
            continue;
        for (j = 0; j < l.n; j++) {
            int same = planted_root(l.items[j].id) == root;

            if (same && first < 0)
                first = j;
            if (same && (best_true < 0 || l.items[j].score > l.items[best_true].score))
                best_true = j;
            for (t = 0; t < 4; t++)
                if (l.items[j].score >= thresholds[t]) {
                    above[t]++;
                    true_above[t] += same;
                }
        }
        if (first == 0)
            found1++;
        if (first >= 0 && first < 5)
            found5++;
        if (first >= 0)
            found++;
        for (t = 0; t < 4; t++)
            if (best_true >= 0 && l.items[best_true].score >= thresholds[t])
                recalled[t]++;
        dupe_list_free(&l);
    }
    printf("bench: dupes_recall planted=%d at1=%.3f at5=%.3f at20=%.3f\n", n, (double)found1 / n,
           (double)found5 / n, (double)found / n);
    for (t = 0; t < 4; t++)
        printf("bench: dupes_precision score>=%.1f candidates=%d true=%d precision=%.3f recall=%.3f\n",
               thresholds[t], above[t], true_above[t], above[t] ? (double)true_above[t] / above[t] : 0,
               (double)recalled[t] / n);
}

int main(int argc, char **argv)
{
    if (db_connect(&db, "", 0) != DB_OK) {
        fprintf(stderr, "bench: %s\n", db.errmsg);
        return 1;
    }
    operator_load(&db, &me);
    db_exec(&db, "SET search_path = signaldesk, public", 0, NULL);
    if (argc > 2 && strcmp(argv[2], "dupes") == 0) {
        bench_dupes();
        db_close(&db);
        return 0;
    }
    bench_pages();
    bench_counts();
    bench_dupes();
    if (argc > 1)
        bench_console_rss(argv[1]);
    db_close(&db);
    return 0;
}

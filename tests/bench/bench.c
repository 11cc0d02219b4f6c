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

#include "assign.h"
#include "db.h"
#include "period.h"
#include "reports.h"
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

/* Every report over the last 30 days (what a monthly report asks) and over
 * the last 365 (the longest a person usually asks for). */
static void bench_reports(void)
{
    static double ms[MAX_RUNS];
    struct report_params p;
    struct report r;
    struct day today;
    char name[64], err[128];
    int id, span, i, runs = 7;

    day_of(time(NULL), &today);
    for (span = 0; span < 2; span++) {
        for (id = 0; id < REPORT_COUNT; id++) {
            memset(&p, 0, sizeof p);
            period_parse(span == 0 ? "30d" : "365d", &today, &p.period, err, sizeof err);
            p.grouping = GROUP_AUTO;
            p.stalled_days = 7;
            for (i = 0; i < runs; i++) {
                double t0 = now_ms();

                if (report_run(&db, (enum report_id)id, &p, &r) != DB_OK) {
                    fprintf(stderr, "bench: report %s: %s\n", report_list[id].name, db.errmsg);
                    exit(1);
                }
                ms[i] = now_ms() - t0;
                report_free(&r);
            }
            snprintf(name, sizeof name, "report_%s%s", report_list[id].name, span == 0 ? "" : "_year");
            report(name, ms, runs, 1000);
        }
    }
}

/* The assignment screen's numbers, and moves (each one also rebuilds the
 * signal's summary in the same transaction). */
static void bench_assign(void)
{
    static double ms[MAX_RUNS];
    static struct sig_ref refs[100];
    struct unit_load *u;
    struct op_load *o;
    struct sig_filter f;
    struct move_target to;
    enum move_outcome out[100];
    const char *who[2];
    char login[2][64];
    PGresult *r;
    int i, n, nu, no, more, moved;

    for (i = 0; i < 50; i++) {
        double t0 = now_ms();

        assign_units(&db, &u, &nu);
        assign_operators(&db, &o, &no);
        ms[i] = now_ms() - t0;
        free(u);
        free(o);
    }
    report("assign_overview", ms, 50, 50);

    if (db_query(&db, &r, "SELECT login FROM operators WHERE active AND level = 'operator' ORDER BY login LIMIT 2", 0,
                 NULL) != DB_OK || PQntuples(r) < 2) {
        fprintf(stderr, "bench: no operators to move signals between\n");
        return;
    }
    str_copy(login[0], sizeof login[0], db_val(r, 0, 0));
    str_copy(login[1], sizeof login[1], db_val(r, 1, 0));
    PQclear(r);
    who[0] = login[0];
    who[1] = login[1];
    memset(&f, 0, sizeof f);
    f.status_mask = OPEN_STATUSES;
    signals_refs(&db, &f, &me, 100, refs, &n, &more);
    memset(&to, 0, sizeof to);
    for (i = 0; i < n; i++) {
        double t0 = now_ms();

        to.assignee = who[i % 2];
        signals_move(&db, &refs[i], 1, &to, "bench", out, &moved);
        ms[i] = now_ms() - t0;
    }
    report("move_one", ms, n, 50);
    for (i = 0; i < 10; i++) {
        double t0 = now_ms();

        to.assignee = who[i % 2];
        signals_move(&db, refs, n, &to, "bench", out, &moved);
        ms[i] = now_ms() - t0;
    }
    report("move_100", ms, 10, 1000);
    for (i = 0; i < n; i++) {
        double t0 = now_ms();

        signal_change_status(&db, refs[i].id, refs[i].version, "in_progress", NULL, 0);
        ms[i] = now_ms() - t0;
        refs[i].version++;
    }
    report("status_change", ms, n, 50);

    /* what keeping the summary of the history costs each change: the same
     * without it (then the summary of those signals is brought up to date) */
    if (db_exec(&db, "ALTER TABLE signal_events DISABLE TRIGGER signal_events_report", 0, NULL) != DB_OK)
        return;
    for (i = 0; i < n; i++) {
        double t0 = now_ms();

        signal_change_status(&db, refs[i].id, refs[i].version, "waiting", NULL, 0);
        ms[i] = now_ms() - t0;
    }
    db_exec(&db, "ALTER TABLE signal_events ENABLE TRIGGER signal_events_report", 0, NULL);
    report("status_change_without_summary", ms, n, 50);
    {
        struct strbuf ids;
        const char *params[1];

        sb_init(&ids);
        sb_add(&ids, "{");
        for (i = 0; i < n; i++)
            sb_addf(&ids, "%s%lld", i ? "," : "", refs[i].id);
        sb_add(&ids, "}");
        params[0] = ids.buf;
        db_exec(&db, "SELECT report_rebuild($1::bigint[])", 1, params);
        sb_free(&ids);
    }
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
    bench_reports();
    bench_assign();
    if (argc > 1)
        bench_console_rss(argv[1]);
    db_close(&db);
    return 0;
}

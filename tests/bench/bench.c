/* make bench: times the console's database work against a database of a
 * million signals, with the project's own domain code.  One line per
 * operation: "bench: NAME p50_ms=X p95_ms=Y target_ms=Z". */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "assign.h"
#include "config.h"
#include "audit.h"
#include "db.h"
#include "intake.h"
#include "regno.h"
#include "dupes.h"
#include "queues.h"
#include "export.h"
#include "period.h"
#include "queues.h"
#include "reports.h"
#include "signals.h"
#include "triage.h"
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

/* The CPU time the server spent for our connection so far, in ms (the
 * server runs on this machine: make bench starts it).  On a machine
 * shared with other work the wall times of the writes mostly measure the
 * wait for a core and for the disk; this is the work itself.  -1 when it
 * cannot be read. */
static double backend_cpu_ms(void)
{
    char path[64], buf[1024], *p;
    unsigned long utime, stime;
    FILE *f;
    size_t n;
    int pid = PQbackendPID(db.conn);

    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    if (!pid || !(f = fopen(path, "r")))
        return -1;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* fields 14 and 15, counted after the command name in parentheses */
    p = strrchr(buf, ')');
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
        return -1;
    return (double)(utime + stime) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

static void report_cpu(const char *name, const char *suffix_, double cpu0, int n)
{
    double cpu1 = backend_cpu_ms();

    if (cpu0 >= 0 && cpu1 >= 0 && n > 0)
        printf("bench: %s%s_server_cpu_ms=%.2f\n", name, suffix_, (cpu1 - cpu0) / n);
}

struct view {
    struct query q;
    struct sig_view v;
};

static void make_view(struct view *w, const char *query, const char *sort)
{
    struct query_error err;
    char why[256];

    if (query_parse(query, &w->q, &err) < 0) {
        fprintf(stderr, "bench: '%s': %s\n", query, err.msg);
        exit(1);
    }
    if (qsort_parse(sort, &w->v.sort, why, sizeof why) < 0) {
        fprintf(stderr, "bench: '%s': %s\n", sort, why);
        exit(1);
    }
    w->v.query = &w->q;
    w->v.now = time(NULL);
}

/* Keys spread over the whole table in a view's order, to start deep pages from. */
static int sample_keys(const struct view *w, struct sig_key *keys, int n)
{
    PGresult *r;
    char nbuf[16], sql[512];
    const char *params[1] = { nbuf };
    int i, got;

    snprintf(nbuf, sizeof nbuf, "%d", n);
    snprintf(sql, sizeof sql, "SELECT (%s)::text, id FROM signals s TABLESAMPLE SYSTEM (1) ORDER BY random()"
                              " LIMIT $1::integer", qcol_table[w->v.sort.col].sort_sql);
    if (db_query(&db, &r, sql, 1, params) != DB_OK) {
        fprintf(stderr, "bench: %s\n", db.errmsg);
        exit(1);
    }
    got = PQntuples(r);
    for (i = 0; i < got; i++) {
        str_copy(keys[i].value, sizeof keys[i].value, db_val(r, i, 0));
        keys[i].id = db_ll(r, i, 1);
    }
    PQclear(r);
    return got;
}

static double page_ms(const struct view *w, enum page_dir dir, const struct sig_key *key)
{
    struct sig_row rows[21];
    int nrows, more;
    double t0 = now_ms();

    if (signals_page(&db, &w->v, dir, key, 20, rows, &nrows, &more) != DB_OK)
        fprintf(stderr, "bench: page: %s\n", db.errmsg);
    return now_ms() - t0;
}

static void bench_pages(void)
{
    static double ms[MAX_RUNS];
    static struct sig_key keys[MAX_RUNS];
    static const char *sorts[] = { "priority desc", "district asc", "due asc", "status desc", "reg asc",
                                   "assignee asc", "updated desc", "description asc" };
    struct view all, newq, unit, sorted;
    int i, n, nkeys, s;

    make_view(&all, "", "age");
    make_view(&newq, "status:new", "age");
    make_view(&unit, "unit:mine status:open", "age");
    /* the console's connection is long-lived: warm its catalogue cache first */
    for (i = 0; i < 20; i++) {
        page_ms(&all, PAGE_FIRST, NULL);
        page_ms(&newq, PAGE_LAST, NULL);
    }

    n = 200;
    for (i = 0; i < n; i++)
        ms[i] = page_ms(i % 2 ? &all : &newq, PAGE_FIRST, NULL);
    report("queue_first_page", ms, n, 5);

    nkeys = sample_keys(&all, keys, 200);
    for (i = 0; i < nkeys; i++)
        ms[i] = page_ms(&all, i % 2 ? PAGE_AFTER : PAGE_BEFORE, &keys[i]);
    report("queue_deep_page", ms, nkeys, 5);

    /* any depth in any other order, both directions */
    n = 0;
    for (s = 0; s < (int)ARRAY_SIZE(sorts); s++) {
        make_view(&sorted, "", sorts[s]);
        nkeys = sample_keys(&sorted, keys, 40);
        for (i = 0; i < nkeys; i++) {
            sorted.v.sort.desc = i % 2;
            ms[n++] = page_ms(&sorted, i % 4 < 2 ? PAGE_AFTER : PAGE_BEFORE, &keys[i]);
        }
        query_free(&sorted.q);
    }
    report("queue_deep_page_sorted", ms, n, 5);

    for (i = 0; i < 100; i++)
        ms[i] = page_ms(i % 2 ? &all : &unit, PAGE_LAST, NULL);
    report("queue_last_page", ms, 100, 5);
    query_free(&all.q);
    query_free(&newq.q);
    query_free(&unit.q);
}

/* A search as the operator sees it: the first page of results. */
static void bench_search(const char *name, const char *const *queries, int nq, double target)
{
    static double ms[MAX_RUNS];
    int i, k = 0, round;

    for (round = 0; round < 5; round++)
        for (i = 0; i < nq; i++) {
            struct view w;

            make_view(&w, queries[i], "age");
            ms[k++] = page_ms(&w, PAGE_FIRST, NULL);
            query_free(&w.q);
        }
    report(name, ms, k, target);
}

static void bench_searches(void)
{
    static const char *words[] = {
        "дупка", "контейнерите", "лампата", "шум", "паркиран", "клон", "тротоара", "боклук",
        "светофар", "Черни връх", "\"не свети\"", "Иванова", "автобус", "кучета", "вода",
        "Люлин", "пейка", "асфалт", "графити", "сняг",
    };
    static const char *fields[] = {
        "status:new", "status:open district:Лозенец", "cat:осветление status:open", "assignee:ivanova status:open",
        "priority:urgent since:30d", "channel:web created:2026-01-01..2026-03-31", "overdue district:Младост",
        "unit:инспекторат status:waiting", "reg:СО25-КЦ-000123", "id:123456", "status:resolved changed:7d",
        "district:Люлин cat:паркиране since:90d", "-status:closed,rejected,duplicate priority:high",
        "dupka district:Младост", "лампата status:open", "controller cat:сметосъбиране since:7d",
    };
    static const char *latin[] = {
        "dupka", "kontejnerite", "lampata", "vitosha", "shipka", "parkiran", "tsentar", "cherni vrah",
        "lyulin", "mladost", "boklutsi", "asfalt", "kucheta", "svetofar", "izgrev", "ivanova",
    };
    static double ms[MAX_RUNS];
    int i, k = 0;

    bench_search("search_word", words, (int)ARRAY_SIZE(words), 100);
    bench_search("search_fields", fields, (int)ARRAY_SIZE(fields), 100);
    bench_search("search_latin", latin, (int)ARRAY_SIZE(latin), 100);
    /* the count the tab shows after the page (up to 1,000, then "1000+") */
    for (i = 0; i < (int)ARRAY_SIZE(words); i++) {
        struct view w;
        long long count;
        int approx;
        double t0;

        make_view(&w, words[i], "age");
        t0 = now_ms();
        signals_count(&db, &w.v, 1000, &count, &approx);
        ms[k++] = now_ms() - t0;
        query_free(&w.q);
    }
    report("search_count", ms, k, 100);
}

static void bench_counts(void)
{
    static double ms[MAX_RUNS];
    struct queue_def defs[MAX_QUEUES];
    struct view w[MAX_QUEUES];
    int i, j, n;
    long long count;
    int approx;
    struct config cfg;
    char err[256];

    config_load(&cfg, "/dev/null", err, sizeof err);
    n = queues_configured(&cfg, 1, defs, MAX_QUEUES);
    for (j = 0; j < n; j++) {
        make_view(&w[j], defs[j].query, "age");
        w[j].v.sort = defs[j].sort;
    }
    for (i = 0; i < 50; i++) {
        double t0 = now_ms();

        for (j = 0; j < n; j++)
            signals_count(&db, &w[j].v, 100000, &count, &approx);
        ms[i] = now_ms() - t0;
    }
    report("tab_counts", ms, 50, 50);
    for (j = 0; j < n; j++) {
        signals_count(&db, &w[j].v, 100000, &count, &approx);
        printf("bench: tab %s=%lld%s\n", defs[j].name, count, approx == 1 ? " (estimate)" : approx == 2 ? "+" : "");
        query_free(&w[j].q);
    }
    config_free(&cfg);
}

static long long one_number(const char *sql)
{
    PGresult *r;
    long long v = -1;

    if (db_query(&db, &r, sql, 0, NULL) == DB_OK) {
        v = PQntuples(r) ? db_ll(r, 0, 0) : -1;
        PQclear(r);
    } else {
        fprintf(stderr, "bench: %s: %s\n", sql, db.errmsg);
    }
    return v;
}

/* Undo what a measurement wrote, so the million-signal database stays as
 * it was built; triggers off for the undo only (this is not an operator). */
static void undo(const char *sql, long long since_event, long long since_note)
{
    char a[32], b[32];
    const char *params[2] = { a, b };

    snprintf(a, sizeof a, "%lld", since_event);
    snprintf(b, sizeof b, "%lld", since_note);
    if (db_begin(&db) != DB_OK || db_exec(&db, "SET LOCAL session_replication_role = replica", 0, NULL) != DB_OK ||
        db_exec(&db, sql, 2, params) != DB_OK || db_commit(&db) != DB_OK) {
        fprintf(stderr, "bench: undo: %s\n", db.errmsg);
        db_rollback(&db);
    }
}

/* Writes end in a commit that waits for the disk: on a shared machine that
 * wait is most of the time.  suffix "" measures it as operators live it;
 * "_async_commit" again with synchronous_commit off, which is the work of
 * the statement alone. */
static const char *suffix = "";

static void report_write(const char *name, double *ms, int n, double target)
{
    char full[96];

    snprintf(full, sizeof full, "%s%s", name, suffix);
    report(full, ms, n, target);
}

/* Taking the next free signal of the New queue (FOR UPDATE SKIP LOCKED). */
static void bench_take_next(void)
{
    static double ms[MAX_RUNS];
    struct query qr;
    struct query_error err;
    struct sig_view f;
    long long last = one_number("SELECT coalesce(max(id), 0) FROM signal_events"), id;
    int i, n = 500;

    double cpu0;

    memset(&f, 0, sizeof f);
    query_parse("status:new", &qr, &err);
    f.query = &qr;
    f.now = time(NULL);
    cpu0 = backend_cpu_ms();
    for (i = 0; i < n; i++) {
        double t0 = now_ms();

        if (signal_take_next(&db, &f, &me, &id, NULL, 0) != DB_OK || !id) {
            fprintf(stderr, "bench: take_next: %s\n", id ? db.errmsg : "nothing to take");
            n = i;
            break;
        }
        ms[i] = now_ms() - t0;
    }
    if (n > 0) {
        report_write("take_next", ms, n, 20);
        report_cpu("take_next", suffix, cpu0, n);
    }
    undo("WITH e AS (DELETE FROM signal_events WHERE id > $1::bigint AND kind = 'assignee' RETURNING signal_id)"
         " UPDATE signals SET assignee = NULL WHERE id IN (SELECT signal_id FROM e) AND $2::bigint >= 0",
         last, 0);
}

/* 20 operators taking at once, 50 each: claims per second. */
static void bench_take_concurrent(void)
{
    long long last = one_number("SELECT coalesce(max(id), 0) FROM signal_events");
    int go[2], i, status, ok = 1;
    pid_t pids[20];
    double t0;
    char c = 0;

    if (pipe(go) < 0)
        return;
    for (i = 0; i < 20; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            struct db mine;
            struct operator_info op;
            struct query qr;
            struct query_error err;
            struct sig_view f;
            long long id;
            int k;

            close(go[1]);
            memset(&mine, 0, sizeof mine);
            if (db_connect(&mine, "", 0) != DB_OK)
                _exit(2);
            operator_load(&mine, &op);
            memset(&f, 0, sizeof f);
            query_parse("status:new", &qr, &err);
            f.query = &qr;
            f.now = time(NULL);
            if (read(go[0], &c, 1) < 0)
                _exit(3);
            for (k = 0; k < 50; k++)
                if (signal_take_next(&mine, &f, &op, &id, NULL, 0) != DB_OK || !id)
                    _exit(4);
            db_close(&mine);
            _exit(0);
        }
    }
    close(go[0]);
    /* let them connect, then all at once */
    usleep(300000);
    t0 = now_ms();
    close(go[1]);
    for (i = 0; i < 20; i++) {
        waitpid(pids[i], &status, 0);
        ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    printf("bench: take_next_20_operators claims_per_s=%.0f ok=%d\n", 1000.0 / ((now_ms() - t0) / 1000.0), ok);
    fflush(stdout);
    undo("WITH e AS (DELETE FROM signal_events WHERE id > $1::bigint AND kind = 'assignee' RETURNING signal_id)"
         " UPDATE signals SET assignee = NULL WHERE id IN (SELECT signal_id FROM e) AND $2::bigint >= 0",
         last, 0);
}

/* A status change: version check, event, the citizens' messages, NOTIFY. */
static void bench_status_change(void)
{
    static double ms[MAX_RUNS];
    long long last = one_number("SELECT coalesce(max(id), 0) FROM signal_events");
    long long last_note = one_number("SELECT coalesce(max(id), 0) FROM notifications");
    PGresult *r;
    int i, n;
    double cpu0;

    if (db_query(&db, &r, "SELECT id, version FROM signals WHERE status = 'new' ORDER BY random() LIMIT 500", 0,
                 NULL) != DB_OK) {
        fprintf(stderr, "bench: %s\n", db.errmsg);
        return;
    }
    n = PQntuples(r);
    cpu0 = backend_cpu_ms();
    for (i = 0; i < n; i++) {
        double t0 = now_ms();

        if (signal_change_status(&db, db_ll(r, i, 0), (int)db_ll(r, i, 1), "registered", NULL, 0) != DB_OK)
            fprintf(stderr, "bench: status_change: %s\n", db.errmsg);
        ms[i] = now_ms() - t0;
    }
    PQclear(r);
    if (n > 0) {
        report_write("status_change", ms, n, 20);
        report_cpu("status_change", suffix, cpu0, n);
    }
    undo("WITH e AS (DELETE FROM signal_events WHERE id > $1::bigint AND kind = 'status' RETURNING signal_id),"
         " n AS (DELETE FROM notifications WHERE id > $2::bigint)"
         " UPDATE signals SET status = 'new' WHERE id IN (SELECT signal_id FROM e)",
         last, last_note);
}

/* Saving a call from the intake form: number, routing, due date, reporter,
 * first event, in one transaction. */
static void bench_intake_save(void)
{
    static double ms[MAX_RUNS];
    long long last = one_number("SELECT coalesce(max(id), 0) FROM signals");
    int cat = (int)one_number("SELECT min(id) FROM categories WHERE parent_id IS NOT NULL");
    int dis = (int)one_number("SELECT min(id) FROM districts");
    int i, n = 300;
    double cpu0 = backend_cpu_ms();

    for (i = 0; i < n; i++) {
        struct intake in;
        struct intake_result res;
        double t0;

        intake_init(&in);
        in.category_id = cat;
        in.district_id = dis;
        intake_set_text(&in, IF_ADDRESS, "ул. „Шипка“ 6");
        intake_set_text(&in, IF_DESCRIPTION, "Проба от make bench.");
        intake_set_text(&in, IF_NAME, "Мария Петрова");
        intake_set_text(&in, IF_PHONE, "0888 123 456");
        t0 = now_ms();
        if (intake_save(&db, &in, REGNO_DEFAULT_FORMAT, 2099, &res) != DB_OK)
            fprintf(stderr, "bench: intake_save: %s\n", db.errmsg);
        ms[i] = now_ms() - t0;
        intake_free(&in);
    }
    report_write("intake_save", ms, n, 20);
    report_cpu("intake_save", suffix, cpu0, n);
    undo("WITH k AS (DELETE FROM intake_keys WHERE signal_id > $1::bigint),"
         " r AS (DELETE FROM reporters WHERE signal_id > $1::bigint),"
         " e AS (DELETE FROM signal_events WHERE signal_id > $1::bigint)"
         " SELECT $2::bigint",
         last, 0);
    undo("DELETE FROM signals WHERE id > $1::bigint AND $2::bigint >= 0", last, 0);
    undo("DELETE FROM reg_counters WHERE year = 2099 AND $1::bigint >= 0 AND $2::bigint >= 0", 0, 0);
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

/* The environment of a console run by the bench: the demo's language, a
 * pinned clock (ages do not tick between two steps), no settings file. */
static void console_env(void)
{
    char now[32];
    time_t t = time(NULL);

    strftime(now, sizeof now, "%Y-%m-%d %H:%M", localtime(&t));
    setenv("SIGNALDESK_NOW", now, 1);
    setenv("LANG", "bg_BG.UTF-8", 1);
    unsetenv("LC_ALL");
    unsetenv("LANGUAGE");
    setenv("TERM", "xterm", 1);
}

/* The console itself paging through the whole "All" queue at 200x60 (the
 * most rows a page holds here), opening a signal every 500 pages, to the
 * end and back: its peak memory must not grow with the table. */
static void bench_console_rss(const char *bin, long long signals)
{
    char script[] = "/tmp/signaldesk-bench-XXXXXX", dump[64];
    int fd = mkstemp(script), i, pages;
    FILE *f;
    pid_t pid;
    int status;
    struct rusage ru;
    double t0;

    if (fd < 0)
        return;
    snprintf(dump, sizeof dump, "%s.dump", script);
    /* a page holds 60 - 4 rows (tabs, header, status line, key bar); a
     * few presses more than that, and the end is checked below */
    pages = (int)(signals / 56) + 20;
    f = fdopen(fd, "w");
    fprintf(f, "7\n");
    for (i = 0; i < pages; i++) {
        fprintf(f, "<PgDn>\n");
        if (i % 500 == 250)
            fprintf(f, "<Enter>\n<Esc>\n");
    }
    fprintf(f, ":dump %s\n", dump);
    fprintf(f, "<Home>\n<End>\n<Enter>\n<Esc>\n<Home>\nq\n");
    fclose(f);
    t0 = now_ms();
    pid = fork();
    if (pid == 0) {
        console_env();
        setenv("SIGNALDESK_SCRIPT", script, 1);
        setenv("SIGNALDESK_SCRIPT_TIMEOUT", "900", 1);
        setenv("LINES", "60", 1);
        setenv("COLUMNS", "200", 1);
        execl(bin, bin, "-c", "/dev/null", (char *)NULL);
        _exit(127);
    }
    wait4(pid, &status, 0, &ru);
    printf("bench: console_whole_queue pages=%d ms=%.0f exit=%d\n", pages, now_ms() - t0,
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    /* where the paging ended: the status line's "position/count" */
    f = fopen(dump, "r");
    if (f) {
        char line[2048], last[2048] = "";

        while (fgets(line, sizeof line, f))
            if (strchr(line, '/'))
                str_copy(last, sizeof last, line);
        fclose(f);
        last[strcspn(last, "\n")] = '\0';
        printf("bench: console_whole_queue end_line=\"%s\"\n", str_trim(last));
        unlink(dump);
    }
    printf("bench: rss_kb=%ld\n", ru.ru_maxrss);
    fflush(stdout);
    unlink(script);
}

/* What the console writes to the terminal: the real binary on a
 * pseudo-terminal of the given size (SIGNALDESK_SCRIPT_TTY=1: a scripted
 * run draws on its terminal as an ordinary one does), every byte read
 * from the terminal's other side.  Between two steps the script writes a
 * marker to the terminal (`:run printf`); the console reads the next line
 * of its script only after its screen is drawn, so the bytes between two
 * markers are exactly one step's. */
#define TTY_MARK "\033]777;sdbench\007"
#define TTY_MARK_LINE ":run printf '\\033]777;sdbench\\007'\n"   /* the script line writing it */
#define TTY_STEPS 10

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return x < y ? -1 : x > y;
}

static void bench_tty(const char *bin, int cols, int rows)
{
    static const struct {
        const char *name, *key;
    } steps[] = { { "cursor", "<Down>" }, { "page", "<PgDn>" }, { "redraw", "<C-l>" } };
    char script[] = "/tmp/signaldesk-bench-XXXXXX";
    int fd = mkstemp(script), master, status, i, k;
    struct winsize ws;
    struct strbuf out;
    size_t sizes[ARRAY_SIZE(steps)][TTY_STEPS], first = 0, tab = 0;
    FILE *f;
    pid_t pid;
    const char *p;
    char buf[65536];
    ssize_t n;

    if (fd < 0)
        return;
    f = fdopen(fd, "w");
    /* the first screen, the "All" queue, then each kind of step TTY_STEPS times */
    fprintf(f, "%s7\n%s", TTY_MARK_LINE, TTY_MARK_LINE);
    for (k = 0; k < (int)ARRAY_SIZE(steps); k++)
        for (i = 0; i < TTY_STEPS; i++)
            fprintf(f, "%s\n%s", steps[k].key, TTY_MARK_LINE);
    fprintf(f, "q\n");
    fclose(f);

    memset(&ws, 0, sizeof ws);
    ws.ws_col = (unsigned short)cols;
    ws.ws_row = (unsigned short)rows;
    pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0) {
        perror("bench: forkpty");
        unlink(script);
        return;
    }
    if (pid == 0) {
        int err = open("/dev/null", O_WRONLY);

        if (err >= 0)
            dup2(err, STDERR_FILENO);
        console_env();
        unsetenv("LINES");
        unsetenv("COLUMNS");
        setenv("SIGNALDESK_SCRIPT", script, 1);
        setenv("SIGNALDESK_SCRIPT_TTY", "1", 1);
        execl(bin, bin, "-c", "/dev/null", (char *)NULL);
        _exit(127);
    }
    sb_init(&out);
    for (;;) {
        n = read(master, buf, sizeof buf);
        if (n > 0)
            sb_addn(&out, buf, (size_t)n);
        else if (n < 0 && errno == EINTR)
            continue;
        else
            break;  /* EIO: the console has closed the terminal */
    }
    close(master);
    waitpid(pid, &status, 0);
    unlink(script);
    if (getenv("BENCH_TTY_LOG")) {
        /* BENCH_TTY_LOG=PREFIX: the raw bytes, to look at (PREFIX-80x24) */
        char path[512];
        FILE *log;

        snprintf(path, sizeof path, "%s-%dx%d", getenv("BENCH_TTY_LOG"), cols, rows);
        log = fopen(path, "w");
        if (log) {
            fwrite(out.buf ? out.buf : "", 1, out.len, log);
            fclose(log);
        }
    }

    /* the pieces between markers: the start, then the steps in order */
    p = out.buf ? out.buf : "";
    for (k = -2; k < (int)ARRAY_SIZE(steps); k++)
        for (i = 0; i < (k < 0 ? 1 : TTY_STEPS); i++) {
            const char *m = strstr(p, TTY_MARK);

            if (!m) {
                fprintf(stderr, "bench: tty %dx%d: the console's output ended early (exit %d)\n", cols, rows,
                        WIFEXITED(status) ? WEXITSTATUS(status) : -1);
                sb_free(&out);
                return;
            }
            if (k == -2)
                first = (size_t)(m - p);
            else if (k == -1)
                tab = (size_t)(m - p);
            else
                sizes[k][i] = (size_t)(m - p);
            p = m + strlen(TTY_MARK);
        }
    printf("bench: tty_bytes_start_%dx%d=%zu\n", cols, rows, first);
    printf("bench: tty_bytes_tab_%dx%d=%zu\n", cols, rows, tab);
    for (k = 0; k < (int)ARRAY_SIZE(steps); k++) {
        /* the median of the steps (a cursor step over a longer row writes more) */
        qsort(sizes[k], TTY_STEPS, sizeof sizes[k][0], cmp_size);
        printf("bench: tty_bytes_%s_%dx%d=%zu\n", steps[k].name, cols, rows, sizes[k][TTY_STEPS / 2]);
    }
    fflush(stdout);
    sb_free(&out);
}

/* One run of a command (import, export, psql): wall time and the child's
 * peak memory.  Single runs: p50 = p95 = the run. */
static int bench_cmd(const char *name, double target, char **argv)
{
    struct rusage ru;
    double t0 = now_ms(), ms;
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(127);
    }
    wait4(pid, &status, 0, &ru);
    ms = now_ms() - t0;
    printf("bench: %s p50_ms=%.0f p95_ms=%.0f target_ms=%.0f\n", name, ms, ms, target);
    printf("bench: %s_rss_kb=%ld exit=%d\n", name, ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    fflush(stdout);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
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
            snprintf(name, sizeof name, "report_%s_%s", report_list[id].name, span == 0 ? "30d" : "365d");
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
    struct sig_view v;
    struct query open_q;
    struct query_error qerr;
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
    query_parse("status:open", &open_q, &qerr);
    memset(&v, 0, sizeof v);
    v.query = &open_q;
    v.sort.col = QC_AGE;
    v.now = time(NULL);
    signals_refs(&db, &v, 100, refs, &n, &more);
    query_free(&open_q);
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
    report("status_change_with_summary", ms, n, 50);

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
    /* the ones operators look at most: open signals */
    n = sample_ids("SELECT id FROM signals WHERE status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting')"
                   " ORDER BY random() LIMIT 300", ids, 300);
    for (i = 0; i < n; i++) {
        double t0 = now_ms();

        dupes_for_signal(&db, ids[i], &p, 20, &l);
        ms[i] = now_ms() - t0;
        dupe_list_free(&l);
    }
    report("dupes_candidates_open", ms, n, 20);

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

/* An intake form with only an address typed (no coordinates): the
 * candidates by category, district, time and address text. */
static void bench_dupes_draft(void)
{
    static double ms[MAX_RUNS];
    struct dupe_params p;
    PGresult *r;
    int i, n;

    dupe_params_default(&p);
    if (db_query(&db, &r,
                 "SELECT category_id, district_id, address, description FROM signals TABLESAMPLE SYSTEM (0.5)"
                 " WHERE category_id IS NOT NULL AND district_id IS NOT NULL AND address <> ''"
                 " ORDER BY random() LIMIT 200", 0, NULL) != DB_OK) {
        fprintf(stderr, "bench: %s\n", db.errmsg);
        return;
    }
    n = PQntuples(r);
    for (i = 0; i < n; i++) {
        struct dupe_draft d;
        struct dupe_list l;
        double t0;

        memset(&d, 0, sizeof d);
        d.category_id = (int)db_ll(r, i, 0);
        d.district_id = (int)db_ll(r, i, 1);
        d.address = db_val(r, i, 2);
        d.description = db_val(r, i, 3);
        t0 = now_ms();
        dupes_for_draft(&db, &d, &p, 20, &l);
        ms[i] = now_ms() - t0;
        dupe_list_free(&l);
    }
    PQclear(r);
    if (n)
        report("dupes_draft_address", ms, n, 20);
}

/* Merging ten open signals into an eleventh, and undoing it: each one
 * transaction, committed. */
static void bench_merge(void)
{
    static double ms_merge[MAX_RUNS], ms_undo[MAX_RUNS];
    static long long ids[MAX_RUNS * 11];
    struct dupe_params p;
    int i, j, n, runs = 0;

    dupe_params_default(&p);
    n = sample_ids("SELECT id FROM signals WHERE status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting')"
                   " ORDER BY random() LIMIT 330", ids, 330);
    for (i = 0; i + 11 <= n; i += 11) {
        struct merge_row rows[11];
        struct merge_item items[10];
        long long merge_id = 0;
        int nrows, restored = 0, main_version = 0;
        double t0;

        if (dupes_rows(&db, &ids[i], 11, rows, &nrows) != DB_OK || nrows != 11)
            continue;
        for (j = 0; j < 11; j++) {
            if (rows[j].id == ids[i])
                main_version = rows[j].version;
        }
        for (j = 0, nrows = 0; j < 11; j++)
            if (rows[j].id != ids[i]) {
                items[nrows].id = rows[j].id;
                items[nrows++].version = rows[j].version;
            }
        t0 = now_ms();
        if (dupes_merge(&db, ids[i], main_version, items, 10, &p, 1, NULL, &merge_id) != DB_OK) {
            fprintf(stderr, "bench: merge_10: %s\n", db.errmsg);
            continue;
        }
        ms_merge[runs] = now_ms() - t0;
        t0 = now_ms();
        if (dupes_unmerge(&db, merge_id, NULL, &restored) != DB_OK || restored != 10) {
            fprintf(stderr, "bench: unmerge_10: %s\n", db.errmsg);
            continue;
        }
        ms_undo[runs++] = now_ms() - t0;
    }
    if (runs) {
        report("merge_10", ms_merge, runs, 50);
        report("unmerge_10", ms_undo, runs, 50);
    }
}

/* The clusters of each district, and of the whole city once. */
static void bench_clusters(void)
{
    static double ms[64];
    struct dupe_params p;
    struct district *d;
    struct cluster_list l;
    int n, i, groups = 0;
    double t0;

    dupe_params_default(&p);
    if (dupes_districts(&db, &d, &n) != DB_OK)
        return;
    for (i = 0; i < n && i < 64; i++) {
        t0 = now_ms();
        dupes_clusters(&db, d[i].id, &p, 200, &l);
        ms[i] = now_ms() - t0;
        groups += l.n;
        cluster_list_free(&l);
    }
    free(d);
    report("clusters_district", ms, n < 64 ? n : 64, 1000);
    t0 = now_ms();
    dupes_clusters(&db, 0, &p, 200, &l);
    ms[0] = now_ms() - t0;
    printf("bench: clusters_city ms=%.0f clusters_shown=%d groups_in_districts=%d\n", ms[0], l.n, groups);
    cluster_list_free(&l);
}

/* The writes as operators live them, then again without waiting for the
 * disk at each commit (the statements' own work). */
static void bench_writes(void)
{
    bench_take_next();
    bench_take_concurrent();
    bench_status_change();
    bench_intake_save();
    suffix = "_async_commit";
    db_exec(&db, "SET synchronous_commit = off", 0, NULL);
    bench_take_next();
    bench_status_change();
    bench_intake_save();
    db_exec(&db, "RESET synchronous_commit", 0, NULL);
    suffix = "";
}

int main(int argc, char **argv)
{
    /* bench --cmd NAME TARGET_MS COMMAND...: time one command */
    if (argc > 4 && strcmp(argv[1], "--cmd") == 0)
        return bench_cmd(argv[2], atof(argv[3]), argv + 4);
    /* bench --export-sql: the statement export runs, for psql's \copy */
    if (argc > 1 && strcmp(argv[1], "--export-sql") == 0) {
        puts(export_select_sql());
        return 0;
    }

    if (db_connect(&db, "", 0) != DB_OK) {
        fprintf(stderr, "bench: %s\n", db.errmsg);
        return 1;
    }
    /* bench --console BIN: only the console's terminal bytes and memory */
    if (argc > 2 && strcmp(argv[1], "--console") == 0) {
        bench_tty(argv[2], 80, 24);
        bench_tty(argv[2], 200, 60);
        bench_console_rss(argv[2], one_number("SELECT count(*) FROM signals"));
        db_close(&db);
        return 0;
    }
    /* whoever runs the bench takes signals: an operator for it */
    db_exec(&db, "INSERT INTO operators (login, name) VALUES (current_user, 'make bench')"
                 " ON CONFLICT (login) DO NOTHING", 0, NULL);
    operator_load(&db, &me);
    db_exec(&db, "SET search_path = signaldesk, public", 0, NULL);
    /* bench --writes: only the writes (to compare two databases in turns) */
    if (argc > 1 && strcmp(argv[1], "--writes") == 0) {
        bench_writes();
        db_close(&db);
        return 0;
    }
    if (argc > 2 && strcmp(argv[2], "reports") == 0) {
        bench_reports();
        db_close(&db);
        return 0;
    }
    if (argc > 2 && strcmp(argv[2], "dupes") == 0) {
        /* only these, while working on them */
        bench_dupes();
        bench_dupes_draft();
        bench_merge();
        bench_clusters();
        db_close(&db);
        return 0;
    }
    bench_pages();
    bench_searches();
    bench_counts();
    bench_writes();
    bench_reports();
    bench_assign();
    bench_audit();
    bench_stamp();
    bench_dupes();
    bench_dupes_draft();
    bench_merge();
    bench_clusters();
    if (argc > 1) {
        bench_tty(argv[1], 80, 24);
        bench_tty(argv[1], 200, 60);
        bench_console_rss(argv[1], one_number("SELECT count(*) FROM signals"));
    }
    db_close(&db);
    return 0;
}

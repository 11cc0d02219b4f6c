/* tests/bin/load: simulated operators against one database, then checks
 * that nothing was lost.
 *
 *   load [-d CONNINFO] [--operators N] [--seconds S] [--think MS] [--seed N]
 *        [--prefix NAME] [--bench] [--plant KIND,...]
 *
 * N operators (threads, each with a connection of its own, logged in as an
 * operator role made through the project's own create-operator path so the
 * database's permissions apply) work for S seconds through the console's own
 * domain code: register a call (intake_save), take the next signal of the
 * New queue (signal_take_next, F4), open it (triage_load), triage it
 * (category, district, priority, route), move it along the workflow
 * (signal_change_status), search (the query language, first page and
 * count), look at the duplicate candidates of a signal (F7) and merge the
 * best one into it (dupes_merge, F8), and meddle: change a signal another
 * operator has just opened, with the version they read, so that one of the
 * two gets a conflict.  A conflict is a correct outcome, counted, never an
 * error.  Operators think 0..MS ms between steps (--think 0: flat out).
 * Most calls are about a few recurring incidents, so duplicates arise.
 * --bench adds "bench: load_ACTION p50_ms=X p95_ms=Y target_ms=Z" lines.
 *
 * Every successful change is recorded; afterwards the records are compared
 * with the database (as the connecting role, which must own the schema):
 * no signal taken twice, every change exactly one event of its kind by its
 * operator, versions advanced by exactly the successful changes (no lost
 * update), the last write of each field visible, registration numbers
 * unique and gapless, counts that add up, no unexpected errors.  Exit 0
 * when all hold, 1 when one fails, 2 when the run could not be made.
 *
 * --plant KIND,... damages the result on purpose after the run, to show
 * the checks catch it: take-twice (a second operator also "took" a taken
 * signal), missing-event (a change recorded as done whose event was never
 * written), lost-update (a second change from the same version that
 * overwrote the first), reg-gap (a registration number taken and lost).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin.h"
#include "db.h"
#include "dupes.h"
#include "intake.h"
#include "query.h"
#include "regno.h"
#include "signals.h"
#include "timefmt.h"
#include "triage.h"
#include "util.h"
#include "workflow.h"

/* ---- what operators do ------------------------------------------------ */

enum act { A_INTAKE, A_TAKE, A_OPEN, A_TRIAGE, A_STATUS, A_SEARCH, A_MEDDLE, A_DUPES, A_MERGE, A_COUNT };
static const char *const act_name[A_COUNT] = { "intake", "take", "open", "triage", "status", "search",
                                               "meddle", "dupes", "merge" };
/* How often each is chosen: open comes with triage, status and merge, the
 * duplicate candidates (F7) with merge (F8). */
static const int act_weight[A_COUNT] = { 15, 12, 0, 19, 22, 17, 8, 0, 7 };

/* empty: nothing to do (the queue was empty, no candidate to merge) */
enum outcome { O_OK, O_CONFLICT, O_REFUSED, O_EMPTY, O_ERROR, O_COUNT };

/* One row for the checker: what a successful action should have left in
 * the database.  An action gives one or more rows; only the first bumps. */
struct rec {
    long long signal_id;
    long seq;               /* global order of the action */
    int op;
    unsigned char action;
    const char *kind;       /* the event it writes, or NULL */
    int bump;               /* the version it adds */
    int new_version;        /* as the domain said (0: not told) */
    const char *field;      /* a column whose last write must be visible */
    char value[24];
    int definite;           /* value is what the column holds after it */
};

struct lat {
    double *ms;
    size_t n, cap;
};

#define HAND_MAX 4
#define REFUSAL_KINDS 16

struct op {
    int idx;
    pthread_t thread;
    char login[64];
    char password[64];
    struct db db;
    struct operator_info me;
    unsigned long long rng;
    long long hand[HAND_MAX];
    int nhand;
    long counts[A_COUNT][O_COUNT];
    struct lat lat[A_COUNT];
    struct rec *recs;
    size_t nrecs, caprecs;
    struct {
        char state[6];
        int act;
        long n;
    } refusals[REFUSAL_KINDS];
    char first_error[1200];
    struct query q_new;
    struct query *q_search;
};

/* ---- settings and shared state ---------------------------------------- */

static struct {
    const char *conninfo;
    int operators, seconds, think_ms;
    unsigned long long seed;
    const char *prefix;
    int bench;
    const char *plant;
    const char *regfmt;
    int year;
} opt = { "", 50, 30, 300, 0, "load", 0, NULL, REGNO_DEFAULT_FORMAT, 0 };

static const char *const searches[] = {
    "status:new", "status:open district:Лозенец", "лампа", "cat:осветление status:open",
    "priority:high status:open", "assignee:me", "dupka", "since:7d", "\"не свети\"", "unit:mine status:open",
    "контейнер since:30d", "-status:closed,rejected паркиране",
};
#define NSEARCH ((int)ARRAY_SIZE(searches))

static struct ref_list categories, districts;
static int *leaf_idx, nleaf;
static double deadline_ms;
static atomic_long seq_counter;

/* Signals operators have just opened: what a second operator, opening the
 * same one at the same moment, would have read. */
#define HOT 64
static struct {
    long long id;
    int version;
    int priority;
    int op;
} hot[HOT];
static int nhot, hot_next;
static pthread_mutex_t hot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start_barrier;

/* Merges: a signal merged into another (or about to be) never becomes the
 * main signal of a later merge, so no merge moves duplicates of its own
 * along (that would change signals no operator touched). */
enum merge_role { MR_NONE, MR_MAIN, MR_MERGED };
static unsigned char *merge_roles;
static long long nmerge_roles;
static pthread_mutex_t merge_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dupe_params dupe_params;

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static unsigned long long rnd(struct op *o)
{
    /* xorshift64* */
    o->rng ^= o->rng >> 12;
    o->rng ^= o->rng << 25;
    o->rng ^= o->rng >> 27;
    return o->rng * 2685821657736338717ULL;
}

static int pick(struct op *o, int n)
{
    return n > 0 ? (int)(rnd(o) % (unsigned long long)n) : 0;
}

static void think(struct op *o)
{
    double left;
    long ms;
    struct timespec ts;

    if (opt.think_ms <= 0)
        return;
    ms = pick(o, opt.think_ms + 1);
    left = deadline_ms - now_ms();
    if (left <= 0)
        return;
    if (ms > left)
        ms = (long)left;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* Before a statement: the SQLSTATE of an earlier failure is not this one's. */
static double start_call(struct op *o)
{
    o->db.sqlstate[0] = '\0';
    return now_ms();
}

static void lat_add(struct lat *l, double ms)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->ms = xrealloc(l->ms, l->cap * sizeof *l->ms);
    }
    l->ms[l->n++] = ms;
}

static struct rec *rec_add(struct op *o, long seq, enum act a, long long id, const char *kind, int bump,
                           int new_version, const char *field, const char *value, int definite)
{
    struct rec *r;

    if (o->nrecs == o->caprecs) {
        o->caprecs = o->caprecs ? o->caprecs * 2 : 256;
        o->recs = xrealloc(o->recs, o->caprecs * sizeof *o->recs);
    }
    r = &o->recs[o->nrecs++];
    memset(r, 0, sizeof *r);
    r->signal_id = id;
    r->seq = seq;
    r->op = o->idx;
    r->action = (unsigned char)a;
    r->kind = kind;
    r->bump = bump;
    r->new_version = new_version;
    r->field = field;
    if (value)
        str_copy(r->value, sizeof r->value, value);
    r->definite = definite;
    return r;
}

/* Counts the outcome of a statement: DB_OK, a conflict, a refusal (kept by
 * SQLSTATE), anything else an error.  A lost connection is tried again. */
static enum outcome outcome_of(struct op *o, enum act a, enum db_status rc)
{
    enum outcome out;
    int i;

    switch (rc) {
    case DB_OK: out = O_OK; break;
    case DB_CONFLICT: out = O_CONFLICT; break;
    case DB_REFUSED: out = O_REFUSED; break;
    default: out = O_ERROR; break;
    }
    if (out == O_REFUSED || (out == O_CONFLICT && o->db.sqlstate[0])) {
        for (i = 0; i < REFUSAL_KINDS && o->refusals[i].n; i++)
            if (strcmp(o->refusals[i].state, o->db.sqlstate) == 0 && o->refusals[i].act == (int)a)
                break;
        if (i < REFUSAL_KINDS) {
            str_copy(o->refusals[i].state, sizeof o->refusals[i].state, o->db.sqlstate);
            o->refusals[i].act = (int)a;
            o->refusals[i].n++;
        }
    }
    if (out == O_ERROR) {
        if (!o->first_error[0])
            snprintf(o->first_error, sizeof o->first_error, "%s: [%s] %.1000s", act_name[a],
                     o->db.sqlstate, o->db.errmsg);
        if (!db_connected(&o->db))
            db_reconnect(&o->db);
    }
    o->counts[a][out]++;
    return out;
}

static void hand_drop(struct op *o, long long id)
{
    int i;

    for (i = 0; i < o->nhand; i++)
        if (o->hand[i] == id) {
            o->hand[i] = o->hand[--o->nhand];
            return;
        }
}

static void hand_add(struct op *o, long long id)
{
    if (o->nhand == HAND_MAX)
        o->hand[pick(o, HAND_MAX)] = id;    /* put one aside: it stays theirs */
    else
        o->hand[o->nhand++] = id;
}

/* ---- the actions ------------------------------------------------------ */

static const char *const descriptions[] = {
    "Не свети лампата пред входа от три дни.",
    "Дупка на платното, колите я заобикалят в насрещното.",
    "Контейнерите не са извозвани от седмица.",
    "Изоставен автомобил без номера от месеци.",
    "Паднал клон препречва тротоара.",
    "Спукана водопроводна тръба, тече вода по улицата.",
    "Счупена пейка в градинката.",
    "Паркирани коли на тротоара, не може да се мине с количка.",
};
static const char *const addresses[] = {
    "ул. „Черни връх“ 45", "бул. „Витоша“ 112", "ж.к. Люлин, бл. 312", "ул. „Шипка“ 6",
    "бул. „Цар Борис III“ 90", "ул. „Оборище“ 18", "ж.к. Младост 1, до бл. 23", "ул. „Бяла черква“ 12",
};
static const char *const names[] = { "Мария Петрова", "Георги Стоянов", "Елена Николова", "Иван Димитров", "" };

/* Problems that many people call about (a dark street, a pothole): most
 * calls are about one of them, so duplicates are there to be merged. */
#define INCIDENTS 16
static struct incident {
    int category;           /* index into categories.items */
    int district;           /* index into districts.items */
    double lat, lon;
    int address, description;
} incidents[INCIDENTS];

static void make_incidents(struct op *rng)
{
    int i;

    for (i = 0; i < INCIDENTS; i++) {
        struct incident *in = &incidents[i];

        in->category = leaf_idx[pick(rng, nleaf)];
        in->district = pick(rng, districts.n);
        in->lat = districts.items[in->district].lat + (pick(rng, 200) - 100) * 0.00002;
        in->lon = districts.items[in->district].lon + (pick(rng, 200) - 100) * 0.00003;
        in->address = pick(rng, (int)ARRAY_SIZE(addresses));
        in->description = pick(rng, (int)ARRAY_SIZE(descriptions));
    }
}

static void do_intake(struct op *o)
{
    struct intake in;
    struct intake_result res;
    const struct incident *inc = pick(o, 100) < 70 ? &incidents[pick(o, INCIDENTS)] : NULL;
    const struct ref_item *cat = &categories.items[inc ? inc->category : leaf_idx[pick(o, nleaf)]];
    const struct ref_item *dis = &districts.items[inc ? inc->district : pick(o, districts.n)];
    char buf[128], why[256], idbuf[32];
    enum db_status rc;
    double t0;
    long seq;
    int n = pick(o, 1000);

    intake_init(&in);
    str_copy(in.kind, sizeof in.kind, "problem");
    str_copy(in.channel, sizeof in.channel, channel_table[pick(o, (int)channel_count)].code);
    in.category_id = (int)cat->id;
    snprintf(in.category, sizeof in.category, "%s › %s", cat->parent, cat->name);
    in.district_id = (int)dis->id;
    str_copy(in.district, sizeof in.district, dis->name);
    in.district_src = DSRC_HAND;
    intake_set_text(&in, IF_ADDRESS, addresses[inc ? inc->address : pick(o, (int)ARRAY_SIZE(addresses))]);
    intake_set_text(&in, IF_DESCRIPTION,
                    descriptions[inc ? inc->description : pick(o, (int)ARRAY_SIZE(descriptions))]);
    /* a few tens of metres from the incident, or anywhere near the centre */
    if (inc)
        snprintf(buf, sizeof buf, "%.5f, %.5f", inc->lat + (pick(o, 60) - 30) * 0.00001,
                 inc->lon + (pick(o, 60) - 30) * 0.000013);
    else
        snprintf(buf, sizeof buf, "%.5f, %.5f", dis->lat + (pick(o, 200) - 100) * 0.00003,
                 dis->lon + (pick(o, 200) - 100) * 0.00004);
    intake_set_text(&in, IF_COORDS, buf);
    intake_set_text(&in, IF_NAME, names[pick(o, (int)ARRAY_SIZE(names))]);
    snprintf(buf, sizeof buf, "0888 %06d", n * 997 % 1000000);
    intake_set_text(&in, IF_PHONE, buf);
    if (n % 3 == 0) {
        snprintf(buf, sizeof buf, "citizen%d@example.bg", n);
        intake_set_text(&in, IF_EMAIL, buf);
        in.wants_updates = 1;
    }
    if (intake_check(&in, why, sizeof why) != IF_COUNT) {
        snprintf(o->first_error, sizeof o->first_error, "intake form refused: %s", why);
        o->counts[A_INTAKE][O_ERROR]++;
        intake_free(&in);
        return;
    }
    think(o);   /* the call goes on */
    t0 = start_call(o);
    rc = intake_save(&o->db, &in, opt.regfmt, opt.year, &res);
    lat_add(&o->lat[A_INTAKE], now_ms() - t0);
    if (outcome_of(o, A_INTAKE, rc) == O_OK) {
        if (!res.created) {
            snprintf(o->first_error, sizeof o->first_error, "intake: the form's key found an earlier signal");
            o->counts[A_INTAKE][O_OK]--;
            o->counts[A_INTAKE][O_ERROR]++;
        } else {
            seq = atomic_fetch_add(&seq_counter, 1);
            rec_add(o, seq, A_INTAKE, res.id, "created", 0, 1, "status", "new", 1);
            snprintf(idbuf, sizeof idbuf, "%d", in.category_id);
            rec_add(o, seq, A_INTAKE, res.id, NULL, 0, 1, "category", idbuf, 1);
            snprintf(idbuf, sizeof idbuf, "%d", in.district_id);
            rec_add(o, seq, A_INTAKE, res.id, NULL, 0, 1, "district", idbuf, 1);
        }
    }
    intake_free(&in);
}

static void do_take(struct op *o)
{
    struct sig_view v;
    long long id;
    char reg[40];
    enum db_status rc;
    double t0;

    memset(&v, 0, sizeof v);
    v.query = &o->q_new;
    v.sort.col = QC_AGE;
    v.now = now_time();
    t0 = start_call(o);
    rc = signal_take_next(&o->db, &v, &o->me, &id, reg, sizeof reg);
    lat_add(&o->lat[A_TAKE], now_ms() - t0);
    if (rc == DB_OK && !id) {
        o->counts[A_TAKE][O_EMPTY]++;
        return;
    }
    if (outcome_of(o, A_TAKE, rc) == O_OK) {
        rec_add(o, atomic_fetch_add(&seq_counter, 1), A_TAKE, id, "assignee", 1, 0, "assignee", o->login, 1);
        hand_add(o, id);
    }
}

/* Opens one of the signals in hand as the signal screen does (with empty
 * hands the operator takes the next instead); 0 when it can still be worked
 * on: then t is filled and the signal is offered to meddlers with the
 * version read. */
static int open_held(struct op *o, struct triage_info *t)
{
    enum db_status rc;
    long long id;
    double t0;

    if (!o->nhand) {
        do_take(o);
        return -1;
    }
    id = o->hand[pick(o, o->nhand)];
    t0 = start_call(o);
    rc = triage_load(&o->db, id, t);
    lat_add(&o->lat[A_OPEN], now_ms() - t0);
    if (outcome_of(o, A_OPEN, rc) != O_OK)
        return -1;
    if (status_from_code(t->status) >= ST_RESOLVED || strcmp(t->assignee, o->login) != 0) {
        hand_drop(o, id);
        triage_free(t);
        return -1;
    }
    pthread_mutex_lock(&hot_lock);
    hot[hot_next].id = id;
    hot[hot_next].version = t->version;
    hot[hot_next].priority = t->priority;
    hot[hot_next].op = o->idx;
    hot_next = (hot_next + 1) % HOT;
    if (nhot < HOT)
        nhot++;
    pthread_mutex_unlock(&hot_lock);
    return 0;
}

static void record_field(struct op *o, enum act a, long long id, enum sig_field f, const char *value, int version)
{
    long seq = atomic_fetch_add(&seq_counter, 1);
    const char *code = sig_field_code(f);

    rec_add(o, seq, a, id, code, 1, version, code, value, 1);
    /* a new category or district may route it elsewhere, and bring a due date */
    if (f == FIELD_CATEGORY || f == FIELD_DISTRICT)
        rec_add(o, seq, a, id, NULL, 0, version, "unit", NULL, 0);
}

static void do_triage(struct op *o)
{
    struct triage_info t;
    enum sig_field f;
    char value[24];
    int in_triage, newv = 0, i;
    enum db_status rc;
    double t0;

    if (open_held(o, &t) < 0)
        return;
    in_triage = strcmp(t.status, "new") == 0 || strcmp(t.status, "registered") == 0;
    /* routing belongs to triage; afterwards only the priority moves */
    f = in_triage ? (enum sig_field[]){ FIELD_CATEGORY, FIELD_DISTRICT, FIELD_PRIORITY, FIELD_UNIT }[pick(o, 4)]
                  : FIELD_PRIORITY;
    switch (f) {
    case FIELD_CATEGORY: {
        const struct ref_item *c = &categories.items[leaf_idx[pick(o, nleaf)]];

        if (c->id == t.category_id)
            c = &categories.items[leaf_idx[(pick(o, nleaf - 1) + 1) % nleaf]];
        snprintf(value, sizeof value, "%lld", c->id);
        break;
    }
    case FIELD_DISTRICT: {
        int d = pick(o, districts.n);

        if (districts.items[d].id == t.district_id)
            d = (d + 1) % districts.n;
        snprintf(value, sizeof value, "%lld", districts.items[d].id);
        break;
    }
    case FIELD_UNIT: {
        struct ref_list units;
        long long to = 0;

        /* the picker: the routing table's choice first */
        if (ref_units(&o->db, t.category_id, t.district_id, t.unit_id, &units) != DB_OK) {
            outcome_of(o, A_TRIAGE, DB_ERROR);
            triage_free(&t);
            return;
        }
        for (i = 0; i < units.n && !to; i++)
            if ((units.items[i].mark & REF_SUGGESTED) && units.items[i].id != t.unit_id)
                to = units.items[i].id;
        while (!to && units.n > 1) {
            i = pick(o, units.n);
            if (units.items[i].id != t.unit_id)
                to = units.items[i].id;
        }
        ref_list_free(&units);
        snprintf(value, sizeof value, "%lld", to);
        break;
    }
    default:
        snprintf(value, sizeof value, "%d", (t.priority + 1 + pick(o, 3)) % 4);
        break;
    }
    think(o);
    t0 = start_call(o);
    rc = signal_set_field(&o->db, t.id, t.version, f, value, NULL, 0, &newv);
    lat_add(&o->lat[A_TRIAGE], now_ms() - t0);
    if (outcome_of(o, A_TRIAGE, rc) == O_OK && newv != t.version)
        record_field(o, A_TRIAGE, t.id, f, value, newv);
    triage_free(&t);
}

static void do_status(struct op *o)
{
    struct triage_info t;
    const struct transition *moves[16], *fwd[16], *any[16];
    size_t n, i;
    int nf = 0, na = 0;
    const struct transition *m;
    const char *to;
    enum status from;
    enum db_status rc;
    double t0;

    if (open_held(o, &t) < 0)
        return;
    from = status_from_code(t.status);
    n = workflow_moves_kind(from, t.kind, moves, ARRAY_SIZE(moves));
    for (i = 0; i < n; i++) {
        if (moves[i]->to == ST_DUPLICATE)
            continue;       /* that is a merge */
        if (moves[i]->to == ST_REJECTED && pick(o, 20))
            continue;       /* seldom */
        any[na++] = moves[i];
        if (moves[i]->to > from && moves[i]->to != ST_REJECTED)
            fwd[nf++] = moves[i];
    }
    if (!na) {
        hand_drop(o, t.id);
        triage_free(&t);
        return;
    }
    /* mostly along the workflow, sometimes back */
    m = nf && pick(o, 100) < 85 ? fwd[pick(o, nf)] : any[pick(o, na)];
    to = status_table[m->to].code;
    think(o);
    t0 = start_call(o);
    rc = signal_change_status(&o->db, t.id, t.version, to,
                              m->needs_public_comment ? "Сигналът е обработен, благодарим Ви." : NULL,
                              m->needs_public_comment);
    lat_add(&o->lat[A_STATUS], now_ms() - t0);
    if (outcome_of(o, A_STATUS, rc) == O_OK) {
        rec_add(o, atomic_fetch_add(&seq_counter, 1), A_STATUS, t.id, "status", 1, t.version + 1, "status", to, 1);
        if (!status_table[m->to].open)
            hand_drop(o, t.id);
    }
    triage_free(&t);
}

static void do_search(struct op *o)
{
    struct sig_view v;
    struct sig_row rows[25];
    int nrows, more, approx, i = pick(o, NSEARCH);
    long long count;
    enum db_status rc;
    double t0;

    memset(&v, 0, sizeof v);
    v.query = &o->q_search[i];
    v.sort.col = QC_AGE;
    v.now = now_time();
    think(o);   /* typing it */
    t0 = start_call(o);
    rc = signals_page(&o->db, &v, PAGE_FIRST, NULL, 25, rows, &nrows, &more);
    if (rc == DB_OK)
        rc = signals_count(&o->db, &v, 1000, &count, &approx);
    lat_add(&o->lat[A_SEARCH], now_ms() - t0);
    outcome_of(o, A_SEARCH, rc);
}

/* A second operator at the same signal: opened at the same moment as its
 * owner (the version they read), changes the priority.  One of the two
 * changes meets a conflict. */
static void do_meddle(struct op *o)
{
    long long id = 0;
    int version = 0, priority = 0, i, newv = 0;
    char value[8];
    enum db_status rc;
    double t0;

    pthread_mutex_lock(&hot_lock);
    /* one of the signals opened last: its owner is most likely still at it */
    for (i = 0; i < 4 && nhot; i++) {
        int k = (hot_next + HOT - 1 - pick(o, nhot < 3 ? nhot : 3)) % HOT;

        if (hot[k].op != o->idx) {
            id = hot[k].id;
            version = hot[k].version;
            priority = hot[k].priority;
            break;
        }
    }
    pthread_mutex_unlock(&hot_lock);
    if (!id) {
        do_search(o);
        return;
    }
    snprintf(value, sizeof value, "%d", (priority + 1 + pick(o, 3)) % 4);
    t0 = start_call(o);
    rc = signal_set_field(&o->db, id, version, FIELD_PRIORITY, value, NULL, 0, &newv);
    lat_add(&o->lat[A_MEDDLE], now_ms() - t0);
    if (outcome_of(o, A_MEDDLE, rc) == O_OK && newv != version)
        record_field(o, A_MEDDLE, id, FIELD_PRIORITY, value, newv);
}

/* Claims main and other for a merge (see merge_role); 0 when they may. */
static int merge_claim(long long main_id, long long other)
{
    long long need = (main_id > other ? main_id : other) + 1;
    int ok;

    pthread_mutex_lock(&merge_lock);
    if (need > nmerge_roles) {
        long long n = need * 2;

        merge_roles = xrealloc(merge_roles, (size_t)n);
        memset(merge_roles + nmerge_roles, MR_NONE, (size_t)(n - nmerge_roles));
        nmerge_roles = n;
    }
    ok = merge_roles[main_id] != MR_MERGED && merge_roles[other] == MR_NONE;
    if (ok) {
        merge_roles[main_id] = MR_MAIN;
        merge_roles[other] = MR_MERGED;
    }
    pthread_mutex_unlock(&merge_lock);
    return ok ? 0 : -1;
}

/* F7 on one's own signal, then F8 with the best candidate: it becomes a
 * duplicate of this one.  When the database asks (another family of
 * categories, far apart), the operator says yes. */
static void do_merge(struct op *o)
{
    struct triage_info t;
    struct dupe_list list;
    struct merge_item other = { 0, 0 };
    struct merge_row rows[1];
    int i, nrows, total;
    long long merge_id;
    long seq;
    enum db_status rc;
    double t0;

    if (open_held(o, &t) < 0)
        return;
    t0 = start_call(o);
    rc = dupes_for_signal(&o->db, t.id, &dupe_params, 5, &list);
    lat_add(&o->lat[A_DUPES], now_ms() - t0);
    if (outcome_of(o, A_DUPES, rc) != O_OK) {
        triage_free(&t);
        return;
    }
    for (i = 0; i < list.n && !other.id; i++) {
        const struct dupe_candidate *c = &list.items[i];

        if (status_from_code(c->status) >= ST_RESOLVED || c->id == t.id)
            continue;
        /* one with duplicates of its own is a main signal already */
        if (dupes_of(&o->db, c->id, rows, 1, &nrows, &total) != DB_OK || total > 0)
            continue;
        if (merge_claim(t.id, c->id) == 0) {
            other.id = c->id;
            other.version = c->version;
        }
    }
    dupe_list_free(&list);
    if (!other.id) {
        o->counts[A_MERGE][O_EMPTY]++;
        triage_free(&t);
        return;
    }
    think(o);
    t0 = start_call(o);
    rc = dupes_merge(&o->db, t.id, t.version, &other, 1, &dupe_params, 0, NULL, &merge_id);
    if (rc == DB_REFUSED && dupes_needs_force(&o->db)) {
        t0 = start_call(o);
        rc = dupes_merge(&o->db, t.id, t.version, &other, 1, &dupe_params, 1, NULL, &merge_id);
    }
    lat_add(&o->lat[A_MERGE], now_ms() - t0);
    if (outcome_of(o, A_MERGE, rc) == O_OK) {
        seq = atomic_fetch_add(&seq_counter, 1);
        /* the main signal: one event naming the merged one; it may take
         * the higher priority and the earlier due date (same transaction) */
        rec_add(o, seq, A_MERGE, t.id, "merge", 1, t.version + 1, "priority", NULL, 0);
        /* the other: a duplicate now, pointing at the main signal */
        rec_add(o, seq, A_MERGE, other.id, "status", 1, other.version + 1, "status", "duplicate", 1);
        rec_add(o, seq, A_MERGE, other.id, "merged_into", 0, other.version + 1, NULL, NULL, 0);
    }
    triage_free(&t);
}

static void *operator_main(void *arg)
{
    struct op *o = arg;
    int total = 0, a, w;

    for (a = 0; a < A_COUNT; a++)
        total += act_weight[a];
    pthread_barrier_wait(&start_barrier);
    think(o);   /* not all at once */
    while (now_ms() < deadline_ms) {
        w = pick(o, total);
        for (a = 0; a < A_COUNT && w >= act_weight[a]; a++)
            w -= act_weight[a];
        switch ((enum act)a) {
        case A_INTAKE: do_intake(o); break;
        case A_TAKE: do_take(o); break;
        case A_TRIAGE: do_triage(o); break;
        case A_STATUS: do_status(o); break;
        case A_SEARCH: do_search(o); break;
        case A_MEDDLE: do_meddle(o); break;
        case A_MERGE: do_merge(o); break;
        default: do_search(o); break;
        }
        think(o);
    }
    return NULL;
}

/* ---- setting up ------------------------------------------------------- */

static int fail_setup(const char *what, const struct db *db)
{
    fprintf(stderr, "load: %s: %s\n", what, db ? db->errmsg : strerror(errno));
    return 2;
}

/* The connection string of an operator: the given one with their login. */
static void op_conninfo(const struct op *o, char *out, size_t size)
{
    snprintf(out, size, "%s%suser='%s' password='%s'", opt.conninfo, *opt.conninfo ? " " : "", o->login,
             o->password);
}

static int make_operators(struct db *admin, struct op *ops)
{
    struct ref_unit *units;
    int nunits, i, k, nok = 0;
    int *ok;
    enum db_status rc;

    if (units_list(admin, &units, &nunits) != DB_OK)
        return fail_setup("units", admin);
    ok = xcalloc((size_t)(nunits ? nunits : 1), sizeof *ok);
    for (k = 0; k < nunits; k++)
        if (units[k].active)
            ok[nok++] = units[k].id;
    for (i = 0; i < opt.operators; i++) {
        struct op *o = &ops[i];
        char name[64];

        o->idx = i;
        snprintf(o->login, sizeof o->login, "%s%02d", opt.prefix, i + 1);
        snprintf(o->password, sizeof o->password, "pw-%s", o->login);
        snprintf(name, sizeof name, "Оператор %d", i + 1);
        rc = operator_add(admin, o->login, name, nok ? ok[i % nok] : 0, "operator", o->password);
        if (rc == DB_REFUSED && strcmp(admin->sqlstate, "SD805") == 0)    /* from an earlier run */
            rc = operator_set_password(admin, o->login, o->password);
        if (rc != DB_OK) {
            free(ok);
            free(units);
            return fail_setup(o->login, admin);
        }
    }
    free(ok);
    free(units);
    return 0;
}

static int connect_operator(struct op *o)
{
    char conninfo[1024], why[256];
    struct query_error err;
    int i;

    op_conninfo(o, conninfo, sizeof conninfo);
    if (db_connect(&o->db, conninfo, 0) != DB_OK) {
        snprintf(why, sizeof why, "%s cannot log in", o->login);
        return fail_setup(why, &o->db);
    }
    if (operator_load(&o->db, &o->me) != DB_OK)
        return fail_setup(o->login, &o->db);
    if (strcmp(o->me.level, "operator") != 0 || strcmp(o->me.login, o->login) != 0) {
        fprintf(stderr, "load: %s logged in as %s (%s), not as an operator\n", o->login, o->me.login,
                o->me.level);
        return 2;
    }
    o->rng = opt.seed * 0x9E3779B97F4A7C15ULL + (unsigned long long)(o->idx + 1) * 0xBF58476D1CE4E5B9ULL;
    if (!o->rng)
        o->rng = 1;
    if (query_parse("status:new", &o->q_new, &err) < 0)
        return fail_setup("status:new", NULL);
    o->q_search = xcalloc(NSEARCH, sizeof *o->q_search);
    for (i = 0; i < NSEARCH; i++)
        if (query_parse(searches[i], &o->q_search[i], &err) < 0) {
            fprintf(stderr, "load: search '%s': %s\n", searches[i], err.msg);
            return 2;
        }
    return 0;
}

/* ---- the report ------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double pct(const struct lat *l, int p)
{
    size_t i;

    if (!l->n)
        return 0;
    i = (l->n * (size_t)p) / 100;
    return l->ms[i < l->n ? i : l->n - 1];
}

static long report(struct op *ops, double elapsed_s)
{
    struct lat all[A_COUNT];
    long counts[A_COUNT][O_COUNT], total = 0, errors = 0;
    int a, k, i;

    memset(all, 0, sizeof all);
    memset(counts, 0, sizeof counts);
    for (i = 0; i < opt.operators; i++)
        for (a = 0; a < A_COUNT; a++) {
            for (k = 0; k < O_COUNT; k++)
                counts[a][k] += ops[i].counts[a][k];
            for (size_t j = 0; j < ops[i].lat[a].n; j++)
                lat_add(&all[a], ops[i].lat[a].ms[j]);
        }
    for (a = 0; a < A_COUNT; a++) {
        for (k = 0; k < O_COUNT; k++)
            total += counts[a][k];
        errors += counts[a][O_ERROR];
        if (all[a].n)
            qsort(all[a].ms, all[a].n, sizeof *all[a].ms, cmp_double);
    }
    printf("load: %d operators, %.1f s, think 0-%d ms: %ld actions, %.1f actions/s\n", opt.operators, elapsed_s,
           opt.think_ms, total, total / elapsed_s);
    printf("load: %-7s %7s %7s %8s %7s %6s %6s %8s %8s %8s\n", "action", "count", "ok", "conflict", "refused",
           "empty", "error", "p50_ms", "p95_ms", "p99_ms");
    for (a = 0; a < A_COUNT; a++) {
        long n = 0;

        for (k = 0; k < O_COUNT; k++)
            n += counts[a][k];
        printf("load: %-7s %7ld %7ld %8ld %7ld %6ld %6ld %8.1f %8.1f %8.1f\n", act_name[a], n, counts[a][O_OK],
               counts[a][O_CONFLICT], counts[a][O_REFUSED], counts[a][O_EMPTY], counts[a][O_ERROR],
               pct(&all[a], 50), pct(&all[a], 95), pct(&all[a], 99));
    }
    /* refusals and conflicts the server raised, by action and SQLSTATE */
    for (a = 0; a < A_COUNT; a++) {
        char seen[REFUSAL_KINDS * 4][6];
        int nseen = 0, s;

        for (i = 0; i < opt.operators; i++)
            for (k = 0; k < REFUSAL_KINDS && ops[i].refusals[k].n; k++) {
                long sum = 0;
                const char *st = ops[i].refusals[k].state;

                if (ops[i].refusals[k].act != a)
                    continue;
                for (s = 0; s < nseen && strcmp(seen[s], st) != 0; s++)
                    ;
                if (s < nseen || nseen == (int)ARRAY_SIZE(seen))
                    continue;
                str_copy(seen[nseen++], sizeof seen[0], st);
                for (int j = 0; j < opt.operators; j++)
                    for (int m = 0; m < REFUSAL_KINDS && ops[j].refusals[m].n; m++)
                        if (ops[j].refusals[m].act == a && strcmp(ops[j].refusals[m].state, st) == 0)
                            sum += ops[j].refusals[m].n;
                printf("load: %s: SQLSTATE %s %ld times\n", act_name[a], st, sum);
            }
    }
    for (i = 0; i < opt.operators; i++)
        if (ops[i].first_error[0])
            printf("load: %s: first error: %s\n", ops[i].login, ops[i].first_error);
    if (opt.bench) {
        printf("bench: load_actions_per_s=%.0f operators=%d seconds=%.0f think_ms=%d\n", total / elapsed_s,
               opt.operators, elapsed_s, opt.think_ms);
        for (a = 0; a < A_COUNT; a++)
            if (all[a].n)
                printf("bench: load_%s p50_ms=%.2f p95_ms=%.2f target_ms=%d\n", act_name[a], pct(&all[a], 50),
                       pct(&all[a], 95), a == A_SEARCH ? 100 : 50);
    }
    for (a = 0; a < A_COUNT; a++)
        free(all[a].ms);
    return errors;
}

/* ---- the checks ------------------------------------------------------- */

struct baseline {
    long long ev0, sig0, counter0, signals0;
};

static int failures, checks;

static void verdict(const char *name, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void verdict(const char *name, int ok, const char *fmt, ...)
{
    va_list ap;

    checks++;
    if (!ok)
        failures++;
    printf("invariant %s: %s", name, ok ? "ok" : "FAILED");
    if (fmt && *fmt) {
        printf(ok ? " (" : ": ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        if (ok)
            printf(")");
    }
    printf("\n");
}

/* Runs a check query: each row an offender, its columns joined for the
 * report.  Returns the number of rows, or -1. */
static long offenders(struct db *db, const char *sql, int nparams, const char *const *params, char *first,
                      size_t size)
{
    PGresult *r;
    int i, j;
    size_t len = 0;
    long n;

    first[0] = '\0';
    if (db_query(db, &r, sql, nparams, params) != DB_OK) {
        snprintf(first, size, "the check itself failed: %.900s", db->errmsg);
        return -1;
    }
    n = PQntuples(r);
    for (i = 0; i < n && i < 3 && len + 2 < size; i++) {
        len += (size_t)snprintf(first + len, size - len, "%s", i ? "; " : "e.g. ");
        for (j = 0; j < PQnfields(r) && len + 2 < size; j++)
            len += (size_t)snprintf(first + len, size - len, "%s%s=%s", j ? " " : "", PQfname(r, j),
                                    PQgetisnull(r, i, j) ? "NULL" : PQgetvalue(r, i, j));
    }
    PQclear(r);
    return n;
}

static int upload(struct db *db, struct op *ops)
{
    struct strbuf sb;
    int i;
    size_t k;

    if (db_exec(db, "CREATE TEMP TABLE load_act (signal_id bigint, seq bigint, actor text, action text, kind text,"
                    " bump int, new_version int, field text, value text, definite boolean)",
                0, NULL) != DB_OK)
        return -1;
    if (db_copy_begin(db, "COPY load_act FROM STDIN") != DB_OK)
        return -1;
    sb_init(&sb);
    for (i = 0; i < opt.operators; i++)
        for (k = 0; k < ops[i].nrecs; k++) {
            const struct rec *r = &ops[i].recs[k];

            sb_clear(&sb);
            sb_addf(&sb, "%lld\t%ld\t%s\t%s\t%s\t%d\t", r->signal_id, r->seq, ops[r->op].login,
                    act_name[r->action], r->kind ? r->kind : "\\N", r->bump);
            if (r->new_version)
                sb_addf(&sb, "%d\t", r->new_version);
            else
                sb_add(&sb, "\\N\t");
            sb_addf(&sb, "%s\t%s\t%s\n", r->field ? r->field : "\\N", r->value[0] ? r->value : "\\N",
                    r->definite ? "t" : "f");
            if (db_copy_put(db, sb.buf, sb.len) != DB_OK) {
                sb_free(&sb);
                db_copy_end(db, "failed");
                return -1;
            }
        }
    sb_free(&sb);
    if (db_copy_end(db, NULL) != DB_OK)
        return -1;
    return db_exec(db, "ANALYZE load_act", 0, NULL) == DB_OK ? 0 : -1;
}

static void check(struct db *db, struct op *ops, const struct baseline *b, long errors)
{
    char ev0[32], sig0[32], c0[32], year[16], why[1024];
    const char *p[4];
    long n, takes = 0, intakes = 0;
    int i;
    size_t k;

    for (i = 0; i < opt.operators; i++) {
        takes += ops[i].counts[A_TAKE][O_OK];
        intakes += ops[i].counts[A_INTAKE][O_OK];
    }
    snprintf(ev0, sizeof ev0, "%lld", b->ev0);
    snprintf(sig0, sizeof sig0, "%lld", b->sig0);
    snprintf(c0, sizeof c0, "%lld", b->counter0);
    snprintf(year, sizeof year, "%d", opt.year);
    if (upload(db, ops) < 0) {
        verdict("records", 0, "could not hand the records to the database: %s", db->errmsg);
        return;
    }

    /* 1. take next: no signal went to two operators */
    n = offenders(db,
                  "SELECT signal_id, string_agg(actor, ',' ORDER BY seq) AS taken_by FROM load_act"
                  " WHERE action = 'take' GROUP BY signal_id HAVING count(*) > 1 ORDER BY 1",
                  0, NULL, why, sizeof why);
    verdict("taken_once", n == 0, n == 0 ? "%ld takes, each signal once" : "%ld signals taken twice, %s",
            n == 0 ? takes : n, why);

    /* 2. every change exactly one event of its kind, by whoever made it.
     * What a change does besides (a new category routes it elsewhere and
     * brings a due date; a merge raises the main signal's priority) is in
     * the same transaction as the event of the change itself. */
    p[0] = ev0;
    n = offenders(db,
                  "WITH ev AS ("
                  "  SELECT e.signal_id, e.kind, e.actor FROM signal_events e"
                  "   WHERE e.id > $1::bigint"
                  "     AND NOT (e.kind IN ('unit', 'due', 'priority') AND EXISTS ("
                  "          SELECT 1 FROM signal_events c"
                  "           WHERE c.signal_id = e.signal_id AND c.id > $1::bigint AND c.id <> e.id"
                  "             AND c.xmin = e.xmin"
                  "             AND c.kind = ANY (CASE e.kind WHEN 'unit' THEN ARRAY['category', 'district']"
                  "                                           WHEN 'due' THEN ARRAY['category', 'merge']"
                  "                                           ELSE ARRAY['merge'] END)))),"
                  " actual AS (SELECT signal_id, kind, actor, count(*) AS n FROM ev GROUP BY 1, 2, 3),"
                  " expected AS (SELECT signal_id, kind, actor, count(*) AS n FROM load_act"
                  "               WHERE kind IS NOT NULL GROUP BY 1, 2, 3)"
                  " SELECT coalesce(a.signal_id, x.signal_id) AS signal, coalesce(a.kind, x.kind) AS kind,"
                  "        coalesce(a.actor, x.actor) AS actor, coalesce(x.n, 0) AS changes,"
                  "        coalesce(a.n, 0) AS events"
                  "   FROM actual a FULL JOIN expected x"
                  "     ON x.signal_id = a.signal_id AND x.kind = a.kind AND x.actor = a.actor"
                  "  WHERE coalesce(a.n, 0) <> coalesce(x.n, 0) ORDER BY 1, 2, 3",
                  1, p, why, sizeof why);
    {
        long nrec = 0;

        for (i = 0; i < opt.operators; i++)
            for (k = 0; k < ops[i].nrecs; k++)
                nrec += ops[i].recs[k].kind != NULL;
        verdict("one_event_per_change", n == 0,
                n == 0 ? "%ld changes, each with its event" : "%ld (signal, kind, operator) differ, %s",
                n == 0 ? nrec : n, why);
    }

    /* 3. no lost update: each signal's version moved by exactly the
     * changes that succeeded, and no two successes claim the same version */
    n = offenders(db,
                  "WITH bumps AS (SELECT signal_id, sum(bump) AS n FROM load_act GROUP BY 1)"
                  " SELECT s.id AS signal, coalesce(b.version, 1) AS version_before, s.version AS version_now,"
                  "        coalesce(x.n, 0) AS changes"
                  "   FROM signals s LEFT JOIN load_base b ON b.id = s.id LEFT JOIN bumps x ON x.signal_id = s.id"
                  "  WHERE s.version - coalesce(b.version, 1) <> coalesce(x.n, 0) ORDER BY 1",
                  0, NULL, why, sizeof why);
    if (n == 0)
        n = offenders(db,
                      "SELECT signal_id AS signal, new_version AS version, string_agg(actor || ':' || action, ',')"
                      "       AS changes"
                      "  FROM load_act WHERE bump = 1 AND new_version IS NOT NULL"
                      " GROUP BY 1, 2 HAVING count(*) > 1 ORDER BY 1",
                      0, NULL, why, sizeof why);
    verdict("no_lost_update", n == 0,
            n == 0 ? "every version = changes made" : "%ld signals whose versions and changes disagree, %s", n,
            why);

    /* 4. the last write of each field is what the signal holds */
    n = offenders(db,
                  "WITH last AS ("
                  "  SELECT DISTINCT ON (signal_id, field) signal_id, field, value, definite, actor"
                  "    FROM load_act WHERE field IS NOT NULL"
                  "   ORDER BY signal_id, field, new_version DESC NULLS LAST, seq DESC)"
                  " SELECT l.signal_id AS signal, l.field, l.value AS written, l.actor,"
                  "        CASE l.field WHEN 'status' THEN s.status WHEN 'assignee' THEN s.assignee"
                  "             WHEN 'category' THEN s.category_id::text WHEN 'district' THEN s.district_id::text"
                  "             WHEN 'priority' THEN s.priority::text WHEN 'unit' THEN s.unit_id::text END AS holds"
                  "   FROM last l JOIN signals s ON s.id = l.signal_id"
                  "  WHERE l.definite AND l.value IS DISTINCT FROM"
                  "        CASE l.field WHEN 'status' THEN s.status WHEN 'assignee' THEN s.assignee"
                  "             WHEN 'category' THEN s.category_id::text WHEN 'district' THEN s.district_id::text"
                  "             WHEN 'priority' THEN s.priority::text WHEN 'unit' THEN s.unit_id::text END"
                  "  ORDER BY 1, 2",
                  0, NULL, why, sizeof why);
    verdict("last_write_visible", n == 0, n == 0 ? "" : "%ld fields differ, %s", n, why);

    /* 5. registration numbers: unique, and the year's numbers taken during
     * the run are exactly those of the new signals, without a gap */
    p[0] = opt.regfmt;
    p[1] = year;
    p[2] = c0;
    p[3] = sig0;
    n = offenders(db,
                  "WITH want AS (SELECT format_reg_no($1, $2::integer, n) AS reg_no"
                  "                FROM generate_series($3::bigint + 1,"
                  "                       coalesce((SELECT last FROM reg_counters WHERE year = $2::integer), 0)) n),"
                  "      got AS (SELECT reg_no FROM signals WHERE id > $4::bigint)"
                  " SELECT 'missing' AS problem, reg_no FROM (SELECT reg_no FROM want EXCEPT SELECT reg_no FROM got) m"
                  " UNION ALL"
                  " SELECT 'unexpected', reg_no FROM (SELECT reg_no FROM got EXCEPT SELECT reg_no FROM want) u"
                  " UNION ALL"
                  " SELECT 'twice', reg_no FROM signals GROUP BY reg_no HAVING count(*) > 1",
                  4, p, why, sizeof why);
    verdict("reg_no_unique_gapless", n == 0,
            n == 0 ? "%ld new numbers, consecutive" : "%ld numbers wrong, %s", n == 0 ? intakes : n, why);

    /* 6. counts add up: signals, their first events, and each status */
    {
        char want[32];

        snprintf(want, sizeof want, "%ld", intakes);
        p[0] = ev0;
        p[1] = want;
        n = offenders(db,
                      "SELECT 'signals' AS what, (SELECT count(*) FROM load_base) + $2::bigint AS expected,"
                      "       (SELECT count(*) FROM signals) AS found"
                      " WHERE (SELECT count(*) FROM load_base) + $2::bigint <> (SELECT count(*) FROM signals)"
                      " UNION ALL"
                      " SELECT 'created events', $2::bigint,"
                      "        (SELECT count(*) FROM signal_events WHERE id > $1::bigint AND kind = 'created')"
                      " WHERE $2::bigint <>"
                      "       (SELECT count(*) FROM signal_events WHERE id > $1::bigint AND kind = 'created')"
                      " UNION ALL"
                      " SELECT 'status ' || st.code, coalesce(b.n, 0) + coalesce(d.n, 0), coalesce(a.n, 0)"
                      "   FROM statuses st"
                      "   LEFT JOIN (SELECT status, count(*) AS n FROM load_base GROUP BY 1) b ON b.status = st.code"
                      "   LEFT JOIN (SELECT status, count(*) AS n FROM signals GROUP BY 1) a ON a.status = st.code"
                      "   LEFT JOIN (SELECT status, sum(d) AS n FROM ("
                      "                SELECT new_value AS status, 1 AS d FROM signal_events"
                      "                 WHERE id > $1::bigint AND kind = 'status'"
                      "                UNION ALL SELECT old_value, -1 FROM signal_events"
                      "                 WHERE id > $1::bigint AND kind = 'status'"
                      "                UNION ALL SELECT 'new', 1 FROM signal_events"
                      "                 WHERE id > $1::bigint AND kind = 'created') m GROUP BY 1) d"
                      "     ON d.status = st.code"
                      "  WHERE coalesce(b.n, 0) + coalesce(d.n, 0) <> coalesce(a.n, 0)",
                      2, p, why, sizeof why);
        verdict("counts_add_up", n == 0,
                n == 0 ? "signals = before + %ld registered; statuses = before + events" : "%ld counts differ, %s",
                n == 0 ? intakes : n, why);
    }

    /* 7. nothing failed that should not have */
    verdict("no_errors", errors == 0, errors == 0 ? "" : "%ld actions failed with an error (see above)", errors);
}

/* ---- planted damage --------------------------------------------------- */

/* A record of ops[] that can be damaged: the first of action a. */
static struct rec *find_rec(struct op *ops, enum act a, int need_version)
{
    int i;
    size_t k;

    for (i = 0; i < opt.operators; i++)
        for (k = 0; k < ops[i].nrecs; k++)
            if (ops[i].recs[k].action == a && ops[i].recs[k].bump &&
                (!need_version || ops[i].recs[k].new_version))
                return &ops[i].recs[k];
    return NULL;
}

static int plant(struct db *db, struct op *ops, const char *kind)
{
    char id[32], num[16];
    const char *p[4];
    struct op *other;
    struct rec *r, copy;
    PGresult *res;

    if (strcmp(kind, "reg-gap") == 0) {
        snprintf(num, sizeof num, "%d", opt.year);
        p[0] = num;
        return db_exec(db, "SELECT take_reg_numbers($1::integer)", 1, p) == DB_OK ? 0 : -1;
    }
    if (strcmp(kind, "take-twice") == 0) {
        /* a broken take next hands a taken signal to a second operator */
        if (!(r = find_rec(ops, A_TAKE, 0)))
            return -1;
        copy = *r;
        other = &ops[(r->op + 1) % opt.operators];
        snprintf(id, sizeof id, "%lld", copy.signal_id);
        p[0] = id;
        p[1] = other->login;
        p[2] = ops[copy.op].login;
        if (db_exec(db,
                    "WITH u AS (UPDATE signals SET assignee = $2, version = version + 1 WHERE id = $1::bigint)"
                    " INSERT INTO signal_events (signal_id, kind, old_value, new_value, actor)"
                    " VALUES ($1::bigint, 'assignee', $3, $2, $2)",
                    3, p) != DB_OK)
            return -1;
        rec_add(other, atomic_fetch_add(&seq_counter, 1), A_TAKE, copy.signal_id, "assignee", 1, 0, "assignee",
                other->login, 1);
        return 0;
    }
    if (strcmp(kind, "missing-event") == 0) {
        /* a change that says it is done, without its event */
        if (!(r = find_rec(ops, A_TAKE, 0)))
            return -1;
        copy = *r;
        snprintf(id, sizeof id, "%lld", copy.signal_id);
        p[0] = id;
        if (db_query(db, &res,
                     "UPDATE signals SET priority = (priority + 1) % 4, version = version + 1"
                     " WHERE id = $1::bigint RETURNING version, priority",
                     1, p) != DB_OK)
            return -1;
        rec_add(&ops[copy.op], atomic_fetch_add(&seq_counter, 1), A_TRIAGE, copy.signal_id, "priority", 1,
                (int)db_ll(res, 0, 0), "priority", db_val(res, 0, 1), 1);
        PQclear(res);
        return 0;
    }
    if (strcmp(kind, "lost-update") == 0) {
        /* a second operator's change from the same version went through
         * too, over the first (no version check): two successes, one bump */
        if (!(r = find_rec(ops, A_STATUS, 1)) && !(r = find_rec(ops, A_TRIAGE, 1)))
            return -1;
        copy = *r;
        other = &ops[(copy.op + 1) % opt.operators];
        snprintf(id, sizeof id, "%lld", copy.signal_id);
        p[0] = id;
        p[1] = other->login;
        if (db_query(db, &res,
                     "WITH u AS (UPDATE signals SET priority = (priority + 1) % 4 WHERE id = $1::bigint"
                     "           RETURNING priority, version),"
                     " e AS (INSERT INTO signal_events (signal_id, kind, new_value, actor)"
                     "       SELECT $1::bigint, 'priority', priority::text, $2 FROM u)"
                     " SELECT priority FROM u",
                     2, p) != DB_OK)
            return -1;
        if (PQntuples(res) != 1) {
            PQclear(res);
            return -1;
        }
        rec_add(other, atomic_fetch_add(&seq_counter, 1), A_TRIAGE, copy.signal_id, "priority", 1,
                copy.new_version, "priority", db_val(res, 0, 0), 1);
        PQclear(res);
        return 0;
    }
    fprintf(stderr, "load: unknown --plant %s (take-twice, missing-event, lost-update, reg-gap)\n", kind);
    return -2;
}

/* ---- main ------------------------------------------------------------- */

static void free_all(struct op *ops)
{
    int i, a;

    for (i = 0; i < opt.operators; i++) {
        for (a = 0; a < A_COUNT; a++)
            free(ops[i].lat[a].ms);
        free(ops[i].recs);
        query_free(&ops[i].q_new);
        for (a = 0; ops[i].q_search && a < NSEARCH; a++)
            query_free(&ops[i].q_search[a]);
        free(ops[i].q_search);
    }
    free(ops);
    free(merge_roles);
    free(leaf_idx);
    ref_list_free(&categories);
    ref_list_free(&districts);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: load [-d CONNINFO] [--operators N] [--seconds S] [--think MS] [--seed N]\n"
               "            [--prefix LOGIN] [--reg-format FMT] [--bench] [--plant KIND,...]\n");
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "dbname", required_argument, NULL, 'd' }, { "operators", required_argument, NULL, 'n' },
        { "seconds", required_argument, NULL, 's' }, { "think", required_argument, NULL, 't' },
        { "seed", required_argument, NULL, 'S' },    { "prefix", required_argument, NULL, 'p' },
        { "bench", no_argument, NULL, 'b' },         { "plant", required_argument, NULL, 'P' },
        { "reg-format", required_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct db admin;
    struct op *ops;
    struct baseline base;
    PGresult *r;
    double t0, elapsed;
    time_t now;
    long errors;
    int c, i, rc;

    while ((c = getopt_long(argc, argv, "d:n:s:t:S:p:bP:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': opt.conninfo = optarg; break;
        case 'n': opt.operators = atoi(optarg); break;
        case 's': opt.seconds = atoi(optarg); break;
        case 't': opt.think_ms = atoi(optarg); break;
        case 'S': opt.seed = strtoull(optarg, NULL, 10); break;
        case 'p': opt.prefix = optarg; break;
        case 'b': opt.bench = 1; break;
        case 'P': opt.plant = optarg; break;
        case 'f': opt.regfmt = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (opt.operators < 1 || opt.operators > 500 || opt.seconds < 1 || opt.think_ms < 0 ||
        strncmp(opt.conninfo, "postgres", 8) == 0) {
        usage(stderr);
        fprintf(stderr, "load: 1-500 operators, at least 1 second; CONNINFO as key=value pairs\n");
        return 2;
    }
    if (!opt.seed)
        opt.seed = (unsigned long long)time(NULL);
    now = now_time();   /* reads SIGNALDESK_NOW once, before the threads */
    dupe_params_default(&dupe_params);
    opt.year = localtime(&now)->tm_year + 1900;

    memset(&admin, 0, sizeof admin);
    if (db_connect(&admin, opt.conninfo, 0) != DB_OK)
        return fail_setup("cannot connect", &admin);
    if (ref_categories(&admin, &categories) != DB_OK || ref_districts(&admin, &districts) != DB_OK)
        return fail_setup("reference data", &admin);
    leaf_idx = xcalloc((size_t)categories.n + 1, sizeof *leaf_idx);
    for (i = 0; i < categories.n; i++)
        if (categories.items[i].depth == 1)
            leaf_idx[nleaf++] = i;
    if (nleaf < 2 || districts.n < 2) {
        fprintf(stderr, "load: the database has no reference data (signaldesk db init)\n");
        return 2;
    }
    ops = xcalloc((size_t)opt.operators, sizeof *ops);
    {
        struct op rng;

        rng.rng = opt.seed * 0x2545F4914F6CDD1DULL | 1;
        make_incidents(&rng);
    }
    if ((rc = make_operators(&admin, ops)) != 0)
        return rc;
    for (i = 0; i < opt.operators; i++)
        if ((rc = connect_operator(&ops[i])) != 0)
            return rc;

    /* where the database stands before anyone starts */
    {
        char year[16];
        const char *p[1] = { year };

        snprintf(year, sizeof year, "%d", opt.year);
        if (db_exec(&admin, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL) != DB_OK ||
            db_exec(&admin, "CREATE TEMP TABLE load_base AS SELECT id, version, status FROM signals", 0, NULL) !=
                DB_OK ||
            db_exec(&admin, "ALTER TABLE load_base ADD PRIMARY KEY (id)", 0, NULL) != DB_OK ||
            db_query(&admin, &r,
                     "SELECT (SELECT coalesce(max(id), 0) FROM signal_events), (SELECT coalesce(max(id), 0) FROM"
                     " signals), coalesce((SELECT last FROM reg_counters WHERE year = $1::integer), 0),"
                     " (SELECT count(*) FROM load_base)",
                     1, p) != DB_OK)
            return fail_setup("baseline", &admin);
        base.ev0 = db_ll(r, 0, 0);
        base.sig0 = db_ll(r, 0, 1);
        base.counter0 = db_ll(r, 0, 2);
        base.signals0 = db_ll(r, 0, 3);
        PQclear(r);
        if (db_commit(&admin) != DB_OK)
            return fail_setup("baseline", &admin);
    }

    pthread_barrier_init(&start_barrier, NULL, (unsigned)opt.operators + 1);
    for (i = 0; i < opt.operators; i++)
        if (pthread_create(&ops[i].thread, NULL, operator_main, &ops[i]) != 0)
            return fail_setup("threads", NULL);
    t0 = now_ms();
    deadline_ms = t0 + opt.seconds * 1000.0;
    pthread_barrier_wait(&start_barrier);
    for (i = 0; i < opt.operators; i++)
        pthread_join(ops[i].thread, NULL);
    elapsed = (now_ms() - t0) / 1000.0;
    for (i = 0; i < opt.operators; i++)
        db_close(&ops[i].db);

    errors = report(ops, elapsed);

    if (opt.plant) {
        char *list = xstrdup(opt.plant), *save = NULL, *k;

        for (k = strtok_r(list, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
            rc = plant(&admin, ops, k);
            if (rc == -2)
                return 2;
            printf("load: planted %s%s\n", k, rc < 0 ? " FAILED (nothing to plant it on)" : "");
            if (rc < 0)
                failures++;
        }
        free(list);
    }
    check(&admin, ops, &base, errors);
    if (failures)
        printf("load: %d of %d invariants FAILED\n", failures, checks);
    else
        printf("load: all %d invariants hold\n", checks);
    db_close(&admin);
    free_all(ops);
    return failures ? 1 : 0;
}

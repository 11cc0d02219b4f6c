/* The search language: a table of fields, a parser that says where and why
 * a text does not parse, and the SQL conditions a query stands for. */

#include "query.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "translit.h"
#include "util.h"
#include "workflow.h"

const struct qfield_info qfield_table[] = {
    { "status",   NULL,       "статус",    QF_STATUS,   QK_CHOICE,
      N_("status; open means every status still someone's work"), "status:new,assigned" },
    { "cat",      "category", "категория", QF_CATEGORY, QK_TEXT,
      N_("category or its parent category, by a part of the name"), "cat:осветление" },
    { "district", NULL,       "район",     QF_DISTRICT, QK_TEXT, N_("district, by a part of the name"),
      "district:Лозенец" },
    { "unit",     NULL,       "отговаря",  QF_UNIT,     QK_TEXT,
      N_("responsible unit, by a part of the name; mine: your own unit"), "unit:mine" },
    { "assignee", NULL,       "поет",      QF_ASSIGNEE, QK_TEXT,
      N_("who has taken it: a login or a part of the name; me; none"), "assignee:me" },
    { "priority", NULL,       "приоритет", QF_PRIORITY, QK_CHOICE, N_("priority: low, normal, high, urgent"),
      "priority:high" },
    { "channel",  NULL,       "канал",     QF_CHANNEL,  QK_CHOICE, N_("how it came in: phone, web, app, email, walkin"),
      "channel:phone" },
    { "created",  NULL,       "подаден",   QF_CREATED,  QK_DATES,
      N_("the day it came in, or a range of days (both ends included)"), "created:2026-01-01..2026-02-01" },
    { "since",    NULL,       "от",        QF_SINCE,    QK_DURATION,
      N_("came in within the last minutes (min), hours (h), days (d), weeks (w), months (mo) or years (y)"),
      "since:7d" },
    { "changed",  NULL,       "променен",  QF_CHANGED,  QK_DURATION, N_("changed within the last ... (as since)"),
      "changed:1d" },
    { "due",      NULL,       "срок",      QF_DUE,      QK_DATES, N_("due on a day or in a range of days"),
      "due:..2026-12-31" },
    { "overdue",  NULL,       "просрочен", QF_OVERDUE,  QK_NONE, N_("still open and past its due date"),
      "overdue" },
    { "id",       NULL,       NULL,        QF_ID,       QK_NUMBER, N_("the internal number"), "id:123" },
    { "reg",      NULL,       "рег",       QF_REG,      QK_TEXT,
      N_("registration number, whole or its last digits"), "reg:СО26-КЦ-000123" },
};
const size_t qfield_count = ARRAY_SIZE(qfield_table);

/* Fixed values: what may be typed and the code it means. */
struct qchoice {
    enum qfield field;
    const char *word;
    int code;               /* enum status, priority 0-3, channel index; -1: open */
};

static const struct qchoice choices[] = {
    { QF_STATUS, "new", ST_NEW }, { QF_STATUS, "registered", ST_REGISTERED },
    { QF_STATUS, "assigned", ST_ASSIGNED }, { QF_STATUS, "in_progress", ST_IN_PROGRESS },
    { QF_STATUS, "waiting", ST_WAITING }, { QF_STATUS, "resolved", ST_RESOLVED },
    { QF_STATUS, "closed", ST_CLOSED }, { QF_STATUS, "rejected", ST_REJECTED },
    { QF_STATUS, "duplicate", ST_DUPLICATE }, { QF_STATUS, "open", -1 },
    { QF_STATUS, "нов", ST_NEW }, { QF_STATUS, "нови", ST_NEW }, { QF_STATUS, "регистриран", ST_REGISTERED },
    { QF_STATUS, "възложен", ST_ASSIGNED }, { QF_STATUS, "в_работа", ST_IN_PROGRESS },
    { QF_STATUS, "чака", ST_WAITING }, { QF_STATUS, "решен", ST_RESOLVED },
    { QF_STATUS, "приключен", ST_CLOSED }, { QF_STATUS, "отхвърлен", ST_REJECTED },
    { QF_STATUS, "дубликат", ST_DUPLICATE }, { QF_STATUS, "отворен", -1 }, { QF_STATUS, "отворени", -1 },
    { QF_PRIORITY, "low", 0 }, { QF_PRIORITY, "normal", 1 }, { QF_PRIORITY, "high", 2 },
    { QF_PRIORITY, "urgent", 3 }, { QF_PRIORITY, "0", 0 }, { QF_PRIORITY, "1", 1 },
    { QF_PRIORITY, "2", 2 }, { QF_PRIORITY, "3", 3 },
    { QF_PRIORITY, "нисък", 0 }, { QF_PRIORITY, "нормален", 1 }, { QF_PRIORITY, "висок", 2 },
    { QF_PRIORITY, "спешен", 3 },
    { QF_CHANNEL, "phone", 0 }, { QF_CHANNEL, "web", 1 }, { QF_CHANNEL, "app", 2 },
    { QF_CHANNEL, "email", 3 }, { QF_CHANNEL, "walkin", 4 },
    { QF_CHANNEL, "телефон", 0 }, { QF_CHANNEL, "уеб", 1 }, { QF_CHANNEL, "приложение", 2 },
    { QF_CHANNEL, "имейл", 3 }, { QF_CHANNEL, "лично", 4 },
};

/* Words a text field takes besides names. */
struct qspecial {
    enum qfield field;
    const char *word;
    int me;                 /* 1: me / mine, 0: none */
};

static const struct qspecial specials[] = {
    { QF_ASSIGNEE, "me", 1 }, { QF_ASSIGNEE, "аз", 1 }, { QF_ASSIGNEE, "none", 0 },
    { QF_ASSIGNEE, "никой", 0 },
    { QF_UNIT, "mine", 1 }, { QF_UNIT, "my", 1 }, { QF_UNIT, "моят", 1 }, { QF_UNIT, "none", 0 },
    { QF_CATEGORY, "none", 0 }, { QF_DISTRICT, "none", 0 },
};

/* The open statuses: the schema's partial indexes repeat exactly this text. */
#define OPEN_SQL "s.status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting')"
#define OPEN_MASK ((1u << ST_NEW) | (1u << ST_REGISTERED) | (1u << ST_ASSIGNED) | \
                   (1u << ST_IN_PROGRESS) | (1u << ST_WAITING))

/* ---- small helpers ------------------------------------------------- */

static int is_space_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Lower-case (ASCII and Cyrillic) copy, for comparing names. */
static void lower_copy(const char *in, char *out, size_t size)
{
    utf8_lower(in, out, size);
}

static int same_word(const char *a, const char *b)
{
    char la[128], lb[128];

    lower_copy(a, la, sizeof la);
    lower_copy(b, lb, sizeof lb);
    return strcmp(la, lb) == 0;
}

static int starts_with_ci(const char *s, const char *prefix)
{
    char ls[256], lp[256];

    lower_copy(s, ls, sizeof ls);
    lower_copy(prefix, lp, sizeof lp);
    return strncmp(ls, lp, strlen(lp)) == 0;
}

const struct qfield_info *query_field(const char *name)
{
    size_t i;

    for (i = 0; i < qfield_count; i++) {
        const struct qfield_info *f = &qfield_table[i];

        if (same_word(name, f->name) || (f->alias && same_word(name, f->alias)) ||
            (f->alias_bg && same_word(name, f->alias_bg)))
            return f;
    }
    return NULL;
}

static void set_error(struct query_error *err, int pos, int len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void set_error(struct query_error *err, int pos, int len, const char *fmt, ...)
{
    va_list ap;

    err->pos = pos;
    err->len = len;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

static void field_names(char *out, size_t size)
{
    size_t i, n = 0;

    out[0] = '\0';
    for (i = 0; i < qfield_count && n + 1 < size; i++)
        n += (size_t)snprintf(out + n, size - n, "%s%s", i ? ", " : "", qfield_table[i].name);
}

static void choice_names(enum qfield field, char *out, size_t size)
{
    size_t i, n = 0;

    out[0] = '\0';
    for (i = 0; i < ARRAY_SIZE(choices) && n + 1 < size; i++) {
        unsigned char c = (unsigned char)choices[i].word[0];

        /* the English words only; the Bulgarian ones are in the manual */
        if (choices[i].field != field || c >= 0x80 || (c >= '0' && c <= '9'))
            continue;
        n += (size_t)snprintf(out + n, size - n, "%s%s", n ? ", " : "", choices[i].word);
    }
}

void query_fold(const char *in, char *out, size_t size)
{
    translit_fold(in, out, size);
}

static void add_value(struct qterm *t, const char *s, size_t n)
{
    char *v = xmalloc(n + 1);

    memcpy(v, s, n);
    v[n] = '\0';
    t->values = xrealloc(t->values, (size_t)(t->nvalues + 1) * sizeof *t->values);
    t->values[t->nvalues++] = v;
}

static void free_term(struct qterm *t)
{
    int i;

    for (i = 0; i < t->nvalues; i++)
        free(t->values[i]);
    free(t->values);
    t->values = NULL;
    t->nvalues = 0;
}

void query_free(struct query *q)
{
    int i;

    for (i = 0; i < q->nterms; i++)
        free_term(&q->terms[i]);
    free(q->terms);
    q->terms = NULL;
    q->nterms = 0;
}

/* YYYY-MM-DD or DD.MM.YYYY -> YYYY-MM-DD; -1 when it is not a real day. */
static int parse_day(const char *s, size_t n, char *out)
{
    char buf[16];
    int y, m, d, used = 0;
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (sscanf(buf, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && used == (int)n && n == 10)
        ;
    else if (sscanf(buf, "%2d.%2d.%4d%n", &d, &m, &y, &used) == 3 && used == (int)n && (n == 10 || n == 9 || n == 8))
        ;
    else
        return -1;
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return -1;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return -1;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    return 0;
}

/* 7d, 12h, 30min, 2w, 3mo, 1y (Bulgarian: д, ч, мин, с, м, г); a bare number is days. */
static long parse_duration(const char *s, size_t n)
{
    static const struct {
        const char *unit;
        long seconds;
    } units[] = {
        { "", 86400 }, { "min", 60 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 }, { "w", 7 * 86400 },
        { "mo", 30 * 86400 }, { "y", 365 * 86400 },
        { "мин", 60 }, { "ч", 3600 }, { "д", 86400 }, { "с", 7 * 86400 }, { "м", 30 * 86400 },
        { "г", 365 * 86400 },
    };
    size_t i, digits = 0;
    long v = 0;

    while (digits < n && s[digits] >= '0' && s[digits] <= '9') {
        if (v > 100000)
            return -1;
        v = v * 10 + (s[digits] - '0');
        digits++;
    }
    if (digits == 0 || v == 0)
        return -1;
    for (i = 0; i < ARRAY_SIZE(units); i++)
        if (strlen(units[i].unit) == n - digits && strncmp(units[i].unit, s + digits, n - digits) == 0) {
            if (v > 100L * 365 * 86400 / units[i].seconds)
                return -1;
            return v * units[i].seconds;
        }
    return -1;
}

/* Does s[0..n) look like a field name (letters only)? */
static int looks_like_name(const char *s, size_t n)
{
    size_t i;

    if (n == 0)
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (!(isalpha(c) && c < 0x80) && c < 0x80 && c != '_')
            return 0;
    }
    return 1;
}

struct item {
    const char *s;
    size_t n;
    int pos;
};

/* Checks one value of a term and records it. */
static int take_value(struct qterm *t, const struct qfield_info *f, const struct item *it, int *nvalues,
                      struct query_error *err)
{
    char word[256];
    size_t i;

    if (it->n == 0) {
        set_error(err, it->pos, 1, _("%s: needs a value here, e.g. %s"), f->name, f->example);
        return -1;
    }
    if (++*nvalues > QUERY_MAX_VALUES) {
        set_error(err, it->pos, (int)it->n, "%s", _("The search has too many values; make it shorter."));
        return -1;
    }
    str_copy(word, sizeof word, "");
    if (it->n < sizeof word) {
        memcpy(word, it->s, it->n);
        word[it->n] = '\0';
    } else {
        set_error(err, it->pos, (int)it->n, "%s", _("This value is too long."));
        return -1;
    }
    switch (f->kind) {
    case QK_CHOICE:
        for (i = 0; i < ARRAY_SIZE(choices); i++)
            if (choices[i].field == f->field && same_word(word, choices[i].word)) {
                if (choices[i].code < 0) {
                    t->open = 1;
                    t->mask |= OPEN_MASK;
                } else {
                    t->mask |= 1u << choices[i].code;
                }
                return 0;
            }
        {
            char names[256];

            choice_names(f->field, names, sizeof names);
            set_error(err, it->pos, (int)it->n, _("'%s' is not a %s (try: %s)"), word, f->name, names);
        }
        return -1;
    case QK_DATES: {
        const char *dots = strstr(word, "..");

        if (t->nvalues > 0 || t->from[0] || t->to[0]) {
            set_error(err, it->pos, (int)it->n, _("%s: one day or one range of days, e.g. %s"), f->name,
                      f->example);
            return -1;
        }
        if (dots) {
            size_t a = (size_t)(dots - word), b = strlen(dots + 2);

            if ((a && parse_day(word, a, t->from) < 0) || (b && parse_day(dots + 2, b, t->to) < 0) ||
                (!a && !b)) {
                set_error(err, it->pos, (int)it->n,
                          _("'%s' is not a range of days; write YYYY-MM-DD..YYYY-MM-DD (either end may be left out)"),
                          word);
                return -1;
            }
            if (a && b && strcmp(t->from, t->to) > 0) {
                set_error(err, it->pos, (int)it->n, _("the range '%s' ends before it starts"), word);
                return -1;
            }
        } else {
            if (parse_day(word, strlen(word), t->from) < 0) {
                set_error(err, it->pos, (int)it->n, _("'%s' is not a day; write YYYY-MM-DD or DD.MM.YYYY"), word);
                return -1;
            }
            memcpy(t->to, t->from, sizeof t->to);
        }
        return 0;
    }
    case QK_DURATION:
        if (t->seconds) {
            set_error(err, it->pos, (int)it->n, _("%s: one value only, e.g. %s"), f->name, f->example);
            return -1;
        }
        t->seconds = parse_duration(word, strlen(word));
        if (t->seconds <= 0) {
            set_error(err, it->pos, (int)it->n,
                      _("'%s' is not a length of time; write e.g. 30min, 12h, 7d, 2w, 3mo, 1y"), word);
            return -1;
        }
        return 0;
    case QK_NUMBER:
        if (strspn(word, "0123456789") != strlen(word) || strlen(word) > 18) {
            set_error(err, it->pos, (int)it->n, _("'%s' is not a number"), word);
            return -1;
        }
        add_value(t, word, strlen(word));
        return 0;
    case QK_TEXT:
        for (i = 0; i < ARRAY_SIZE(specials); i++)
            if (specials[i].field == f->field && same_word(word, specials[i].word)) {
                if (specials[i].me)
                    t->me = 1;
                else
                    t->none = 1;
                return 0;
            }
        add_value(t, word, strlen(word));
        return 0;
    case QK_NONE:
        break;
    }
    return 0;
}

static struct qterm *new_term(struct query *q, enum qfield field, int negate, int pos)
{
    struct qterm *t;

    q->terms = xrealloc(q->terms, (size_t)(q->nterms + 1) * sizeof *q->terms);
    t = &q->terms[q->nterms++];
    memset(t, 0, sizeof *t);
    t->field = field;
    t->negate = negate;
    t->pos = pos;
    return t;
}

/* How many parameters term_condition() will give a term: a search is
 * refused in words before its statement could outgrow what the statement
 * builder holds. */
static int term_params(const struct qterm *t)
{
    switch (t->field) {
    case QF_CATEGORY:
    case QF_DISTRICT:
    case QF_UNIT:
    case QF_ASSIGNEE:
        return t->nvalues;
    case QF_CREATED:
    case QF_DUE:
        return (t->from[0] != '\0') + (t->to[0] != '\0');
    case QF_REG:
        return 2 * t->nvalues;
    case QF_COUNT:
        return 0;
    default:
        return 1;
    }
}

int query_params(const struct query *q)
{
    int i, n = 0;

    for (i = 0; i < q->nterms; i++)
        n += term_params(&q->terms[i]);
    return n;
}

/* The last term made the statement too large. */
static int over_budget(const struct query *q, struct query_error *err)
{
    const struct qterm *t;

    if (query_params(q) <= QUERY_MAX_PARAMS)
        return 0;
    t = &q->terms[q->nterms - 1];
    set_error(err, t->pos, t->len, "%s", _("The search has too many values; make it shorter."));
    return 1;
}

int query_parse(const char *text, struct query *q, struct query_error *err)
{
    const char *p = text ? text : "";
    int nvalues = 0;

    memset(q, 0, sizeof *q);
    memset(err, 0, sizeof *err);
    for (;;) {
        const char *start, *name_end;
        int negate = 0, pos;
        struct qterm *t;

        while (is_space_byte(*p))
            p++;
        if (q->nterms && over_budget(q, err))
            goto fail;
        if (!*p)
            break;
        start = p;
        pos = (int)(p - text);
        if (q->nterms >= QUERY_MAX_TERMS) {
            set_error(err, pos, (int)strlen(p), "%s", _("The search has too many parts; make it shorter."));
            goto fail;
        }
        if (*p == '-') {
            if (!p[1] || is_space_byte(p[1])) {
                set_error(err, pos, 1, "%s", _("A minus must stand right before what it excludes, e.g. -status:closed"));
                goto fail;
            }
            negate = 1;
            p++;
        }
        if (*p == '"') {
            const char *close = strchr(p + 1, '"');

            if (!close) {
                set_error(err, (int)(p - text), (int)strlen(p), "%s", _("The quotation mark is not closed."));
                goto fail;
            }
            if (close == p + 1 || strspn(p + 1, " \t") == (size_t)(close - p - 1)) {
                set_error(err, (int)(p - text), 2, "%s", _("The quotation marks hold nothing."));
                goto fail;
            }
            if (++nvalues > QUERY_MAX_VALUES) {
                set_error(err, pos, (int)(close + 1 - start), "%s", _("The search has too many values; make it shorter."));
                goto fail;
            }
            t = new_term(q, QF_PHRASE, negate, pos);
            add_value(t, p + 1, (size_t)(close - p - 1));
            t->len = (int)(close + 1 - start);
            p = close + 1;
            continue;
        }
        /* a field name is letters up to a colon */
        name_end = p;
        while (*name_end && *name_end != ':' && *name_end != '"' && !is_space_byte(*name_end))
            name_end++;
        if (*name_end == ':' && looks_like_name(p, (size_t)(name_end - p))) {
            char name[64];
            const struct qfield_info *f;
            size_t nl = (size_t)(name_end - p);

            if (nl >= sizeof name)
                nl = sizeof name - 1;
            memcpy(name, p, nl);
            name[nl] = '\0';
            f = query_field(name);
            if (!f) {
                char names[512];

                field_names(names, sizeof names);
                set_error(err, (int)(p - text), (int)nl, _("'%s' is not a field; the fields are: %s"), name, names);
                goto fail;
            }
            if (f->kind == QK_NONE) {
                set_error(err, (int)(p - text), (int)(name_end + 1 - p), _("%s takes no value: write just %s"),
                          f->name, f->name);
                goto fail;
            }
            t = new_term(q, f->field, negate, pos);
            p = name_end + 1;
            /* values: items separated by commas, each plain or "quoted" */
            for (;;) {
                struct item it;

                it.pos = (int)(p - text);
                if (*p == '"') {
                    const char *close = strchr(p + 1, '"');

                    if (!close) {
                        set_error(err, it.pos, (int)strlen(p), "%s", _("The quotation mark is not closed."));
                        goto fail;
                    }
                    it.s = p + 1;
                    it.n = (size_t)(close - p - 1);
                    it.pos++;
                    p = close + 1;
                } else {
                    it.s = p;
                    while (*p && *p != ',' && *p != '"' && !is_space_byte(*p))
                        p++;
                    it.n = (size_t)(p - it.s);
                }
                if (take_value(t, f, &it, &nvalues, err) < 0)
                    goto fail;
                if (*p == ',') {
                    p++;
                    continue;
                }
                if (*p && !is_space_byte(*p)) {
                    set_error(err, (int)(p - text), 1, _("%s: put a comma or a space between values"), f->name);
                    goto fail;
                }
                break;
            }
            t->len = (int)(p - start);
            continue;
        }
        /* a free word, or a flag such as overdue */
        {
            const char *w = p;
            char word[256];
            const struct qfield_info *f;
            size_t n;

            while (*p && !is_space_byte(*p))
                p++;
            n = (size_t)(p - w);
            if (n < sizeof word) {
                memcpy(word, w, n);
                word[n] = '\0';
                f = query_field(word);
                if (f && f->kind == QK_NONE) {
                    t = new_term(q, f->field, negate, pos);
                    t->len = (int)(p - start);
                    continue;
                }
            }
            if (++nvalues > QUERY_MAX_VALUES) {
                set_error(err, pos, (int)(p - start), "%s", _("The search has too many values; make it shorter."));
                goto fail;
            }
            t = new_term(q, QF_WORD, negate, pos);
            add_value(t, w, n);
            t->len = (int)(p - start);
        }
    }
    return 0;
fail:
    query_free(q);
    return -1;
}

int query_char_pos(const char *text, int pos)
{
    int i, n = 1;

    for (i = 0; text && text[i] && i < pos; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            n++;
    return n;
}

int query_has_text(const struct query *q)
{
    int i;

    for (i = 0; i < q->nterms; i++)
        if ((q->terms[i].field == QF_WORD || q->terms[i].field == QF_PHRASE) && !q->terms[i].negate)
            return 1;
    return 0;
}

void query_free_text(const struct query *q, const char *text, char *out, size_t size)
{
    int i;
    size_t n = 0;

    (void)text;
    if (size)
        out[0] = '\0';
    for (i = 0; i < q->nterms && n + 1 < size; i++)
        if (q->terms[i].field == QF_WORD || q->terms[i].field == QF_PHRASE)
            n += (size_t)snprintf(out + n, size - n, "%s%s", n ? " " : "", q->terms[i].values[0]);
    if (n >= size && size)
        out[size - 1] = '\0';
}

/* ---- SQL ------------------------------------------------------------ */

/* '%' + fold(value) + '%', with LIKE's own characters escaped. */
static void like_pattern(const char *value, int prefix_any, struct strbuf *out)
{
    char folded[1024];
    const char *p;

    query_fold(value, folded, sizeof folded);
    sb_clear(out);
    if (prefix_any)
        sb_add(out, "%");
    for (p = folded; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            sb_addn(out, "\\", 1);
        sb_addn(out, p, 1);
    }
    sb_add(out, "%");
}

/* {"a","b"}: a PostgreSQL array of text values. */
static void pg_array(char *const *values, int n, struct strbuf *out)
{
    int i;
    const char *p;

    sb_clear(out);
    sb_add(out, "{");
    for (i = 0; i < n; i++) {
        sb_add(out, i ? ",\"" : "\"");
        for (p = values[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                sb_addn(out, "\\", 1);
            sb_addn(out, p, 1);
        }
        sb_add(out, "\"");
    }
    sb_add(out, "}");
}

/* "$n" again for the parameter just added. */
static void same_param(struct sqlq *out)
{
    sb_addf(&out->sql, "$%d", out->n);
}

static void timestamp_param(struct sqlq *out, time_t t)
{
    struct tm tm;
    char buf[64];

    localtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S%z", &tm);
    sqlq_param(out, buf);
    sqlq_sql(out, "::timestamptz");
}

/* Local midnight of YYYY-MM-DD, plus days. */
static time_t day_start(const char *day, int plus_days)
{
    struct tm tm;

    memset(&tm, 0, sizeof tm);
    sscanf(day, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_mday += plus_days;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

static void mask_condition(const struct qterm *t, struct sqlq *out, const char *column, int status)
{
    struct strbuf list;
    int i, n = 0, first = -1;
    char num[16];

    if (status && t->mask == OPEN_MASK) {
        sqlq_sql(out, OPEN_SQL);
        return;
    }
    sb_init(&list);
    sb_add(&list, "{");
    for (i = 0; i < 32; i++) {
        if (!(t->mask & (1u << i)))
            continue;
        if (n++)
            sb_add(&list, ",");
        if (status)
            sb_add(&list, status_table[i].code);
        else if (strcmp(column, "s.channel") == 0)
            sb_add(&list, channel_table[i].code);
        else {
            snprintf(num, sizeof num, "%d", i);
            sb_add(&list, num);
        }
        if (first < 0)
            first = i;
    }
    sb_add(&list, "}");
    sqlq_sql(out, column);
    if (n == 1) {
        sqlq_sql(out, " = ");
        if (status)
            sqlq_param(out, status_table[first].code);
        else if (strcmp(column, "s.channel") == 0)
            sqlq_param(out, channel_table[first].code);
        else {
            sqlq_paramf(out, "%d", first);
            sqlq_sql(out, "::smallint");
        }
    } else {
        sqlq_sql(out, " = ANY(");
        sqlq_param(out, list.buf);
        sqlq_sql(out, strcmp(column, "s.priority") == 0 ? "::smallint[])" : "::text[])");
    }
    sb_free(&list);
}

/* Any of the values matched by a part of a name (folded, so Latin finds
 * Cyrillic and back), or me / none. */
static void name_condition(const struct qterm *t, struct sqlq *out, struct strbuf *pat)
{
    int i, n = 0;

    sqlq_sql(out, "(");
    if (t->none) {
        sqlq_sql(out, t->field == QF_CATEGORY ? "s.category_id IS NULL"
                      : t->field == QF_DISTRICT ? "s.district_id IS NULL"
                      : t->field == QF_UNIT ? "s.unit_id IS NULL" : "s.assignee IS NULL");
        n++;
    }
    if (t->me) {
        if (n++)
            sqlq_sql(out, " OR ");
        sqlq_sql(out, t->field == QF_UNIT ? "s.unit_id = (SELECT o.unit_id FROM operators o WHERE o.login = current_user::text COLLATE \"default\")"
                                          /* name's own collation (C) would keep the index out */
                                          : "s.assignee = current_user::text COLLATE \"default\"");
    }
    for (i = 0; i < t->nvalues; i++) {
        if (n++)
            sqlq_sql(out, " OR ");
        like_pattern(t->values[i], 1, pat);
        switch (t->field) {
        case QF_CATEGORY:
            sqlq_sql(out, "s.category_id IN (SELECT c.id FROM categories c LEFT JOIN categories p ON p.id = c.parent_id"
                          " WHERE sd_latin(c.name) LIKE ");
            sqlq_param(out, pat->buf);
            sqlq_sql(out, " OR sd_latin(coalesce(p.name, '')) LIKE ");
            same_param(out);
            sqlq_sql(out, ")");
            break;
        case QF_DISTRICT:
            sqlq_sql(out, "s.district_id IN (SELECT d.id FROM districts d WHERE sd_latin(d.name) LIKE ");
            sqlq_param(out, pat->buf);
            sqlq_sql(out, ")");
            break;
        case QF_UNIT:
            sqlq_sql(out, "s.unit_id IN (SELECT u.id FROM units u WHERE sd_latin(u.name) LIKE ");
            sqlq_param(out, pat->buf);
            sqlq_sql(out, ")");
            break;
        default: /* QF_ASSIGNEE */
            sqlq_sql(out, "s.assignee IN (SELECT o.login FROM operators o WHERE sd_latin(o.login) LIKE ");
            sqlq_param(out, pat->buf);
            sqlq_sql(out, " OR sd_latin(o.name) LIKE ");
            same_param(out);
            sqlq_sql(out, ")");
            break;
        }
    }
    sqlq_sql(out, ")");
}

static void term_condition(const struct qterm *t, const struct query_ctx *ctx, struct sqlq *out, struct strbuf *tmp)
{
    switch (t->field) {
    case QF_WORD:
    case QF_PHRASE:
        like_pattern(t->values[0], 1, tmp);
        sqlq_sql(out, "s.search_latin LIKE ");
        sqlq_param(out, tmp->buf);
        break;
    case QF_STATUS:
        mask_condition(t, out, "s.status", 1);
        break;
    case QF_PRIORITY:
        mask_condition(t, out, "s.priority", 0);
        break;
    case QF_CHANNEL:
        mask_condition(t, out, "s.channel", 0);
        break;
    case QF_CATEGORY:
    case QF_DISTRICT:
    case QF_UNIT:
    case QF_ASSIGNEE:
        name_condition(t, out, tmp);
        break;
    case QF_CREATED:
    case QF_DUE: {
        const char *col = t->field == QF_CREATED ? "s.created_at" : "s.due_at";

        sqlq_sql(out, "(true");
        if (t->from[0]) {
            sqlq_sql(out, " AND ");
            sqlq_sql(out, col);
            sqlq_sql(out, " >= ");
            timestamp_param(out, day_start(t->from, 0));
        }
        if (t->to[0]) {
            sqlq_sql(out, " AND ");
            sqlq_sql(out, col);
            sqlq_sql(out, " < ");
            timestamp_param(out, day_start(t->to, 1));
        }
        sqlq_sql(out, ")");
        break;
    }
    case QF_SINCE:
    case QF_CHANGED:
        sqlq_sql(out, t->field == QF_SINCE ? "s.created_at >= " : "s.updated_at >= ");
        timestamp_param(out, ctx->now - t->seconds);
        break;
    case QF_OVERDUE:
        sqlq_sql(out, "(s.due_at < ");
        timestamp_param(out, ctx->now);
        sqlq_sql(out, " AND " OPEN_SQL ")");
        break;
    case QF_ID:
        if (t->nvalues == 1) {
            sqlq_sql(out, "s.id = ");
            sqlq_param(out, t->values[0]);
            sqlq_sql(out, "::bigint");
        } else {
            pg_array(t->values, t->nvalues, tmp);
            sqlq_sql(out, "s.id = ANY(");
            sqlq_param(out, tmp->buf);
            sqlq_sql(out, "::bigint[])");
        }
        break;
    case QF_REG: {
        int i;

        sqlq_sql(out, "(");
        for (i = 0; i < t->nvalues; i++) {
            const char *v = t->values[i];

            if (i)
                sqlq_sql(out, " OR ");
            if (strspn(v, "0123456789") == strlen(v)) {
                /* the last digits: the trigram index finds them, the
                 * second test keeps only numbers that end so */
                like_pattern(v, 1, tmp);
                sqlq_sql(out, "(s.search_latin LIKE ");
                sqlq_param(out, tmp->buf);
                tmp->len--;     /* drop the final % */
                tmp->buf[tmp->len] = '\0';
                sqlq_sql(out, " AND s.reg_no LIKE ");
                sqlq_param(out, tmp->buf);
                sqlq_sql(out, ")");
            } else {
                /* an old number leads to the main signal too: a merged
                 * duplicate keeps its number and points at the main one */
                sqlq_sql(out, "s.reg_no = ");
                sqlq_param(out, v);
                sqlq_sql(out, " OR s.id = (SELECT d.duplicate_of FROM signals d WHERE d.reg_no = ");
                sqlq_param(out, v);
                sqlq_sql(out, ")");
            }
        }
        sqlq_sql(out, ")");
        break;
    }
    case QF_COUNT:
        break;
    }
}

void query_where(const struct query *q, const struct query_ctx *ctx, struct sqlq *out)
{
    struct strbuf tmp;
    int i;

    sb_init(&tmp);
    for (i = 0; i < q->nterms; i++) {
        const struct qterm *t = &q->terms[i];

        sqlq_sql(out, " AND ");
        if (t->negate)
            sqlq_sql(out, "(");
        term_condition(t, ctx, out, &tmp);
        if (t->negate)
            sqlq_sql(out, ") IS NOT TRUE");
    }
    sb_free(&tmp);
}

/* ---- completion ----------------------------------------------------- */

int query_complete_field(const char *prefix, const char **out, int max)
{
    size_t i;
    int n = 0;

    for (i = 0; i < qfield_count && n < max; i++) {
        const struct qfield_info *f = &qfield_table[i];

        if (starts_with_ci(f->name, prefix))
            out[n++] = f->name;
        else if (f->alias && starts_with_ci(f->alias, prefix))
            out[n++] = f->alias;
        else if (f->alias_bg && starts_with_ci(f->alias_bg, prefix) && *prefix)
            out[n++] = f->alias_bg;
    }
    return n;
}

int query_complete_value(enum qfield field, const char *prefix, const char **out, int max)
{
    size_t i;
    int n = 0;
    int cyr = (unsigned char)prefix[0] >= 0x80;

    for (i = 0; i < ARRAY_SIZE(choices) && n < max; i++) {
        const char *w = choices[i].word;

        if (choices[i].field != field || (w[0] >= '0' && w[0] <= '9'))
            continue;
        /* offer the words of the alphabet being typed */
        if (((unsigned char)w[0] >= 0x80) != cyr && *prefix)
            continue;
        if (!*prefix && (unsigned char)w[0] >= 0x80)
            continue;
        if (starts_with_ci(w, prefix))
            out[n++] = w;
    }
    for (i = 0; i < ARRAY_SIZE(specials) && n < max; i++) {
        const char *w = specials[i].word;

        if (specials[i].field != field || ((unsigned char)w[0] >= 0x80) != cyr)
            continue;
        if (starts_with_ci(w, prefix))
            out[n++] = w;
    }
    return n;
}

/* ---- columns and sorting -------------------------------------------- */

const struct qcol_info qcol_table[QC_COUNT] = {
    [QC_REG]         = { "reg",         N_("Reg. No."),    15, 0, 0, 0, "s.reg_no", "text", 0, 0 },
    [QC_AGE]         = { "age",         N_("Age"),         7, 0, 0, 0, "s.created_at", "timestamptz", 0, 1 },
    [QC_CREATED]     = { "created",     N_("Received"),    11, 0, 0, 0, "s.created_at", "timestamptz", 1, 0 },
    [QC_UPDATED]     = { "updated",     N_("Changed"),     7, 0, 0, 0, "s.updated_at", "timestamptz", 0, 1 },
    [QC_DUE]         = { "due",         N_("Due"),         10, 0, 0, 0,
                         "coalesce(s.due_at, 'infinity'::timestamptz)", "timestamptz", 0, 0 },
    [QC_STATUS]      = { "status",      N_("Status"),      12, 0, 0, 0, "sd_status_rank(s.status)", "integer", 0, 0 },
    [QC_PRIORITY]    = { "priority",    N_("Priority"),    9, 0, 0, 0, "s.priority", "smallint", 1, 0 },
    [QC_CATEGORY]    = { "category",    N_("Category"),    0, 2, 12, 30, "coalesce(s.category_id, 0)", "integer", 0, 0 },
    [QC_DISTRICT]    = { "district",    N_("District"),    12, 0, 0, 0, "coalesce(s.district_id, 0)", "integer", 0, 0 },
    [QC_UNIT]        = { "unit",        N_("Unit"),        0, 2, 12, 30, "coalesce(s.unit_id, 0)", "integer", 0, 0 },
    [QC_ASSIGNEE]    = { "assignee",    N_("Taken by"),    10, 0, 0, 0, "coalesce(s.assignee, '')", "text", 0, 0 },
    [QC_CHANNEL]     = { "channel",     N_("Channel"),     10, 0, 0, 0, "s.channel", "text", 0, 0 },
    [QC_ADDRESS]     = { "address",     N_("Address"),     0, 2, 12, 40, "s.address", "text", 0, 0 },
    [QC_DESCRIPTION] = { "description", N_("Description"), 0, 3, 10, 0, "left(s.description, 60)", "text", 0, 0 },
};

enum qcol qcol_by_name(const char *name)
{
    int i;

    for (i = 0; i < QC_COUNT; i++)
        if (strcasecmp(qcol_table[i].name, name) == 0)
            return (enum qcol)i;
    return QC_COUNT;
}

static void column_names(char *out, size_t size)
{
    size_t n = 0;
    int i;

    out[0] = '\0';
    for (i = 0; i < QC_COUNT && n + 1 < size; i++)
        n += (size_t)snprintf(out + n, size - n, "%s%s", i ? ", " : "", qcol_table[i].name);
}

int qsort_parse(const char *text, struct qsort *out, char *err, size_t errsz)
{
    char buf[128], *words[3], *save = NULL, *w;
    int n = 0;

    str_copy(buf, sizeof buf, text ? text : "");
    for (w = strtok_r(buf, " \t,", &save); w && n < 3; w = strtok_r(NULL, " \t,", &save))
        words[n++] = w;
    if (n == 0 || n > 2) {
        char names[256];

        column_names(names, sizeof names);
        snprintf(err, errsz, _("sort is a column and asc or desc, e.g. 'age desc' (columns: %s)"), names);
        return -1;
    }
    out->col = qcol_by_name(words[0]);
    if (out->col == QC_COUNT) {
        char names[256];

        column_names(names, sizeof names);
        snprintf(err, errsz, _("'%s' is not a column (columns: %s)"), words[0], names);
        return -1;
    }
    out->desc = qcol_table[out->col].default_desc;
    if (n == 2) {
        if (strcasecmp(words[1], "asc") == 0)
            out->desc = 0;
        else if (strcasecmp(words[1], "desc") == 0)
            out->desc = 1;
        else {
            snprintf(err, errsz, _("'%s': the direction is asc or desc"), words[1]);
            return -1;
        }
    }
    return 0;
}

int qcolumns_parse(const char *text, enum qcol *cols, int max, char *err, size_t errsz)
{
    char buf[512], *save = NULL, *w;
    int n = 0, i;

    str_copy(buf, sizeof buf, text ? text : "");
    for (w = strtok_r(buf, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
        enum qcol c = qcol_by_name(w);

        if (c == QC_COUNT) {
            char names[256];

            column_names(names, sizeof names);
            snprintf(err, errsz, _("'%s' is not a column (columns: %s)"), w, names);
            return -1;
        }
        for (i = 0; i < n; i++)
            if (cols[i] == c) {
                snprintf(err, errsz, _("the column '%s' is listed twice"), w);
                return -1;
            }
        if (n >= max) {
            snprintf(err, errsz, _("at most %d columns"), max);
            return -1;
        }
        cols[n++] = c;
    }
    if (n == 0) {
        snprintf(err, errsz, "%s", _("name at least one column"));
        return -1;
    }
    return n;
}

void qcolumns_layout(const enum qcol *cols, int n, int width, int *widths)
{
    int i, fixed = 0, weights = 0, flex_total, last_flex = -1, used = 0;

    for (i = 0; i < n; i++) {
        const struct qcol_info *c = &qcol_table[cols[i]];

        if (c->width) {
            fixed += c->width;
        } else {
            weights += c->weight;
            last_flex = i;
        }
    }
    flex_total = width - 2 - fixed - (n - 1);
    for (i = 0; i < n; i++) {
        const struct qcol_info *c = &qcol_table[cols[i]];
        int w;

        if (c->width) {
            widths[i] = c->width;
            continue;
        }
        if (i == last_flex) {
            w = flex_total - used;
        } else {
            w = (flex_total + 1) * c->weight / weights;
            if (c->max && w > c->max)
                w = c->max;
        }
        if (w < c->min)
            w = c->min;
        widths[i] = w;
        used += w;
    }
}

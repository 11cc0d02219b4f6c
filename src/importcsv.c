#include "importcsv.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "csvread.h"
#include "i18n.h"
#include "translit.h"
#include "util.h"
#include "workflow.h"

const char *const import_field_names[IF_COUNT] = {
#define F(id, name, type) name,
    IMPORT_FIELDS(F)
#undef F
};

static const enum import_type field_types[IF_COUNT] = {
#define F(id, name, type) type,
    IMPORT_FIELDS(F)
#undef F
};

enum import_field import_field_by_name(const char *name)
{
    int i;

    for (i = 0; i < IF_COUNT; i++)
        if (strcmp(import_field_names[i], name) == 0)
            return (enum import_field)i;
    return IF_COUNT;
}

const char *import_encoding_name(enum import_encoding e)
{
    return e == ENC_CP1251 ? "Windows-1251" : e == ENC_UTF8 ? "UTF-8" : "auto";
}

/* ---- profiles -------------------------------------------------------- */

/* Our own export, as `signaldesk export` writes it. */
static const char *const builtin_signaldesk[] = {
    "source", "signaldesk",
    "match", "reg_no",
    "date_format", "iso",
    "column.source_id", "id",
    "column.reg_no", "reg_no",
    "column.kind", "kind",
    "column.created", "created",
    "column.confirmed", "confirmed",
    "column.acknowledged", "acknowledged",
    "column.resolved", "fixed",
    "column.closed", "closed",
    "column.status", "status",
    "column.channel", "channel",
    "column.category", "category",
    "column.district", "district",
    "column.address", "address",
    "column.lat", "lat",
    "column.lon", "lon",
    "column.description", "detail",
    "column.unit", "unit",
    "column.assignee", "assignee",
    "column.priority", "priority",
    "column.due", "due",
    "column.duplicate_of", "duplicate_of",
    "column.reporter", "reporter",
    "column.reporter_phone", "reporter_phone",
    "column.reporter_email", "reporter_email",
    "column.reporter_updates", "reporter_updates",
    NULL,
};

/* Lower case (Latin and Cyrillic) and trimmed: how map keys are compared. */
static char *fold(const char *s)
{
    size_t n = utf8_lower(s, NULL, 0);
    char *out = xmalloc(n + 1), *t;

    utf8_lower(s, out, n + 1);
    t = str_trim(out);
    if (t != out)
        memmove(out, t, strlen(t) + 1);
    return out;
}

static int cmp_map(const void *a, const void *b)
{
    return strcmp(((const struct import_map *)a)->from, ((const struct import_map *)b)->from);
}

static void set_str(char **slot, const char *v)
{
    free(*slot);
    *slot = xstrdup(v);
}

/* One key of a profile.  Returns 0, or -1 with the reason in why. */
static int profile_key(struct import_profile *p, const char *key, const char *value, char *why, size_t whysz)
{
    enum import_field f;

    if (strcmp(key, "source") == 0) {
        if (str_empty(value)) {
            snprintf(why, whysz, "%s", _("source must not be empty"));
            return -1;
        }
        str_copy(p->source, sizeof p->source, value);
    } else if (strcmp(key, "encoding") == 0) {
        if (strcasecmp(value, "auto") == 0)
            p->encoding = ENC_AUTO;
        else if (strcasecmp(value, "utf-8") == 0 || strcasecmp(value, "utf8") == 0)
            p->encoding = ENC_UTF8;
        else if (strcasecmp(value, "windows-1251") == 0 || strcasecmp(value, "cp1251") == 0)
            p->encoding = ENC_CP1251;
        else {
            snprintf(why, whysz, _("encoding must be one of: auto utf-8 windows-1251 (not '%s')"), value);
            return -1;
        }
    } else if (strcmp(key, "delimiter") == 0) {
        if (strcasecmp(value, "auto") == 0)
            p->delim = 0;
        else if (strcasecmp(value, "comma") == 0 || strcmp(value, ",") == 0)
            p->delim = ',';
        else if (strcasecmp(value, "semicolon") == 0 || strcmp(value, ";") == 0)
            p->delim = ';';
        else if (strcasecmp(value, "tab") == 0 || strcmp(value, "\t") == 0)
            p->delim = '\t';
        else {
            snprintf(why, whysz, _("delimiter must be one of: auto comma semicolon tab (not '%s')"), value);
            return -1;
        }
    } else if (strcmp(key, "date_format") == 0) {
        if (str_empty(value)) {
            snprintf(why, whysz, "%s", _("date_format must not be empty"));
            return -1;
        }
        set_str(&p->date_formats, value);
    } else if (strcmp(key, "timezone") == 0) {
        str_copy(p->timezone, sizeof p->timezone, value);
    } else if (strcmp(key, "match") == 0) {
        if (strcmp(value, "source_id") == 0)
            p->match_reg_no = 0;
        else if (strcmp(value, "reg_no") == 0)
            p->match_reg_no = 1;
        else {
            snprintf(why, whysz, _("match must be one of: source_id reg_no (not '%s')"), value);
            return -1;
        }
    } else if (strcmp(key, "max_field_kb") == 0) {
        char *end;
        long kb = strtol(value, &end, 10);

        if (*end || kb < 1 || kb > 65536) {
            snprintf(why, whysz, _("%s must be a whole number from %ld to %ld, not '%s'"), key, 1L, 65536L, value);
            return -1;
        }
        p->max_field = (size_t)kb * 1024;
    } else if (strncmp(key, "column.", 7) == 0 || strncmp(key, "default.", 8) == 0) {
        int is_col = key[0] == 'c';

        f = import_field_by_name(key + (is_col ? 7 : 8));
        if (f == IF_COUNT)
            goto unknown_field;
        set_str(is_col ? &p->columns[f] : &p->defaults[f], value);
    } else if (strncmp(key, "map.", 4) == 0) {
        const char *dot = strchr(key + 4, '.');
        char fname[64];

        if (!dot || (size_t)(dot - key - 4) >= sizeof fname) {
            snprintf(why, whysz, _("'%s': a value map is written map.FIELD.VALUE = OUR VALUE"), key);
            return -1;
        }
        memcpy(fname, key + 4, (size_t)(dot - key - 4));
        fname[dot - key - 4] = '\0';
        f = import_field_by_name(fname);
        if (f == IF_COUNT)
            goto unknown_field;
        if (strcmp(dot + 1, "*") == 0) {
            set_str(&p->map_other[f], value);
        } else {
            struct import_map *m;

            p->maps[f] = xrealloc(p->maps[f], (p->nmaps[f] + 1) * sizeof *p->maps[f]);
            m = &p->maps[f][p->nmaps[f]++];
            m->from = fold(dot + 1);
            m->to = xstrdup(value);
        }
    } else {
        snprintf(why, whysz, _("unknown key '%s' in an import profile"), key);
        return -1;
    }
    return 0;
unknown_field: {
        struct strbuf names;
        int i;

        sb_init(&names);
        for (i = 0; i < IF_COUNT; i++)
            sb_addf(&names, "%s%s", i ? " " : "", import_field_names[i]);
        snprintf(why, whysz, _("'%s' names no field of ours (the fields: %s)"), key, names.buf);
        sb_free(&names);
        return -1;
    }
}

static void profile_init(struct import_profile *p, const char *name);

int import_check_key(const char *key, const char *value, char *why, size_t whysz)
{
    struct import_profile p;
    int rc;

    profile_init(&p, "check");
    rc = profile_key(&p, key, value, why, whysz);
    import_profile_free(&p);
    return rc;
}

static void profile_init(struct import_profile *p, const char *name)
{
    memset(p, 0, sizeof *p);
    str_copy(p->name, sizeof p->name, name);
    str_copy(p->source, sizeof p->source, name);
    p->max_field = 1024 * 1024;
}

static void profile_finish(struct import_profile *p)
{
    int f;

    if (!p->date_formats)
        p->date_formats = xstrdup("iso");
    for (f = 0; f < IF_COUNT; f++)
        if (p->nmaps[f] > 1)
            qsort(p->maps[f], p->nmaps[f], sizeof *p->maps[f], cmp_map);
}

int import_profile_from_pairs(const char *name, const char *const *pairs, struct import_profile *p, char *err,
                              size_t errsz)
{
    char why[512];

    profile_init(p, name);
    for (; pairs[0]; pairs += 2)
        if (profile_key(p, pairs[0], pairs[1], why, sizeof why) < 0) {
            snprintf(err, errsz, "[import %s] %s: %s", name, pairs[0], why);
            import_profile_free(p);
            return -1;
        }
    profile_finish(p);
    return 0;
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

int import_profile_load(const struct config *cfg, const char *name, struct import_profile *p, char *err,
                        size_t errsz)
{
    char why[512], *section, *lname;
    const char **keys;
    int n, i;
    size_t slen;

    /* a name as long as the file allows: cut short, it would name no section */
    section = xmalloc(strlen(name) + 8);
    sprintf(section, "import %s", name);
    lower_ascii(section);
    lname = section + 7;
    n = config_keys(cfg, section, &keys);
    if (n == 0) {
        free(keys);
        if (strcmp(lname, "signaldesk") == 0) {
            free(section);
            return import_profile_from_pairs("signaldesk", builtin_signaldesk, p, err, errsz);
        }
        snprintf(err, errsz, _("there is no import profile '%s' (a section [import %s] in %s)"), name, lname,
                 cfg->path[0] ? cfg->path : _("the configuration file"));
        free(section);
        return -1;
    }
    profile_init(p, lname);
    slen = strlen(section);
    for (i = 0; i < n; i++) {
        const char *key = keys[i], *value;

        if (strncmp(key, section, slen) == 0 && key[slen] == ':')
            key += slen + 1;
        value = config_str(cfg, section, key, "");
        if (profile_key(p, key, value, why, sizeof why) < 0) {
            snprintf(err, errsz, "%s:%d: %s", cfg->path, config_line(cfg, section, key), why);
            free(keys);
            free(section);
            import_profile_free(p);
            return -1;
        }
    }
    free(keys);
    free(section);
    profile_finish(p);
    return 0;
}

void import_profile_free(struct import_profile *p)
{
    int f;
    size_t i;

    for (f = 0; f < IF_COUNT; f++) {
        free(p->columns[f]);
        free(p->defaults[f]);
        free(p->map_other[f]);
        for (i = 0; i < p->nmaps[f]; i++) {
            free(p->maps[f][i].from);
            free(p->maps[f][i].to);
        }
        free(p->maps[f]);
    }
    free(p->date_formats);
    memset(p, 0, sizeof *p);
}

int import_profile_names(const struct config *cfg, char ***names)
{
    int n = 0, i, have_builtin = 0, nsec;

    *names = NULL;
    nsec = cfg->ini ? iniparser_getnsec(cfg->ini) : 0;
    for (i = 0; i < nsec; i++) {
        const char *sec = iniparser_getsecname(cfg->ini, i);

        /* a section with no key in it is no profile (import_profile_load says so) */
        if (sec && strncmp(sec, "import ", 7) == 0 && sec[7] && iniparser_getsecnkeys(cfg->ini, sec) > 0) {
            *names = xrealloc(*names, (size_t)(n + 1) * sizeof **names);
            (*names)[n++] = xstrdup(sec + 7);
            if (strcmp(sec + 7, "signaldesk") == 0)
                have_builtin = 1;
        }
    }
    if (!have_builtin) {
        *names = xrealloc(*names, (size_t)(n + 1) * sizeof **names);
        (*names)[n++] = xstrdup("signaldesk");
    }
    return n;
}

/* ---- the report ----------------------------------------------------- */

/* Copies at most size-1 bytes of a value for a message, whole characters,
 * with control characters shown as '?'. */
static void cut_value(char *dst, size_t size, const char *src, size_t len)
{
    size_t i = 0, o = 0;

    while (i < len && o + 4 < size) {
        unsigned cp;
        int n = utf8_decode(src + i, &cp);

        if (n <= 0 || (size_t)n > len - i) {
            dst[o++] = '?';
            i++;
            continue;
        }
        if (cp < 32 || cp == 127) {
            dst[o++] = '?';
        } else {
            if (o + (size_t)n + 4 >= size)
                break;
            memcpy(dst + o, src + i, (size_t)n);
            o += (size_t)n;
        }
        i += (size_t)n;
    }
    if (i < len && o + 3 < size) {
        memcpy(dst + o, "…", 3);
        o += 3;
    }
    dst[o] = '\0';
}

void import_report_add(struct import_report *rep, long line, const char *column, const char *value,
                       const char *fmt, ...)
{
    struct import_error *e;
    va_list ap;

    rep->nerrors++;
    if (rep->shown >= IMPORT_MAX_ERRORS)
        return;
    e = &rep->errors[rep->shown++];
    e->line = line;
    str_copy(e->column, sizeof e->column, column ? column : "");
    if (value)
        cut_value(e->value, sizeof e->value, value, strlen(value));
    else
        e->value[0] = '\0';
    va_start(ap, fmt);
    vsnprintf(e->reason, sizeof e->reason, fmt, ap);
    va_end(ap);
}

static int cmp_error(const void *a, const void *b)
{
    const struct import_error *x = a, *y = b;

    return x->line < y->line ? -1 : x->line > y->line ? 1 : strcmp(x->column, y->column);
}

void import_report_sort(struct import_report *rep)
{
    qsort(rep->errors, (size_t)rep->shown, sizeof *rep->errors, cmp_error);
}

/* ---- values --------------------------------------------------------- */

static int days_in_month(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static int digits(const char **s, int n, int *out)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*s)[i]))
            return -1;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return 0;
}

static int valid_ymdhms(int y, int mo, int d, int h, int mi, int sec)
{
    return y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= days_in_month(y, mo) && h >= 0 &&
           h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 59;
}

/* YYYY-MM-DD[(T| )HH:MM[:SS[.frac]]][Z|±HH[[:]MM]] */
static int parse_iso(const char *s, char *out, size_t size)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, has_zone = 0;
    char frac[8] = "", sign = '+';

    if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) || *s++ != '-' || digits(&s, 2, &d))
        return -1;
    if (*s == 'T' || *s == ' ') {
        s++;
        if (digits(&s, 2, &h) || *s++ != ':' || digits(&s, 2, &mi))
            return -1;
        if (*s == ':') {
            s++;
            if (digits(&s, 2, &sec))
                return -1;
            if (*s == '.' || *s == ',') {
                int n = 0;

                s++;
                while (isdigit((unsigned char)*s)) {
                    if (n < 6)
                        frac[n++] = *s;
                    s++;
                }
                if (n == 0)
                    return -1;
                frac[n] = '\0';
            }
        }
        if (*s == 'Z') {
            s++;
            has_zone = 1;
        } else if (*s == '+' || *s == '-') {
            sign = *s++;
            if (digits(&s, 2, &oh))
                return -1;
            if (*s == ':')
                s++;
            if (isdigit((unsigned char)*s) && digits(&s, 2, &om))
                return -1;
            if (oh > 15 || om > 59)
                return -1;
            has_zone = 1;
        }
    }
    while (*s == ' ')
        s++;
    if (*s || !valid_ymdhms(y, mo, d, h, mi, sec))
        return -1;
    snprintf(out, size, "%04d-%02d-%02d %02d:%02d:%02d%s%s", y, mo, d, h, mi, sec, frac[0] ? "." : "", frac);
    if (has_zone) {
        size_t n = strlen(out);

        snprintf(out + n, size - n, "%c%02d:%02d", sign, oh, om);
    }
    return 0;
}

static int parse_with(const char *s, const char *fmt, char *out, size_t size)
{
    struct tm tm;
    const char *end;

    memset(&tm, 0, sizeof tm);
    tm.tm_mday = 1;
    end = strptime(s, fmt, &tm);
    if (!end)
        return -1;
    while (*end == ' ')
        end++;
    if (*end)
        return -1;
    if (!valid_ymdhms(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec))
        return -1;
    snprintf(out, size, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (strstr(fmt, "%z")) {
        long off = tm.tm_gmtoff, a = off < 0 ? -off : off;
        size_t n = strlen(out);

        snprintf(out + n, size - n, "%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
    }
    return 0;
}

int import_parse_date(const char *s, const char *formats, char *out, size_t size)
{
    char fmt[256];
    const char *p = formats;

    while (*s == ' ')
        s++;
    while (p && *p) {
        size_t n = strcspn(p, "|");
        char *f;

        if (n >= sizeof fmt)
            n = sizeof fmt - 1;
        memcpy(fmt, p, n);
        fmt[n] = '\0';
        f = str_trim(fmt);
        if (strcmp(f, "iso") == 0 ? parse_iso(s, out, size) == 0 : parse_with(s, f, out, size) == 0)
            return 0;
        p += n;
        if (*p == '|')
            p++;
    }
    return -1;
}

void import_date_examples(const char *formats, char *out, size_t size)
{
    struct tm tm;
    const char *p = formats;
    size_t o = 0;

    memset(&tm, 0, sizeof tm);
    tm.tm_year = 2026 - 1900;
    tm.tm_mon = 0;
    tm.tm_mday = 31;
    tm.tm_hour = 14;
    tm.tm_min = 30;
    out[0] = '\0';
    while (*p && o + 1 < size) {
        size_t n = strcspn(p, "|");
        char fmt[256], one[128];
        char *f;

        if (n >= sizeof fmt)
            n = sizeof fmt - 1;
        memcpy(fmt, p, n);
        fmt[n] = '\0';
        f = str_trim(fmt);
        if (strcmp(f, "iso") == 0)
            snprintf(one, sizeof one, "%s", "2026-01-31 14:30");
        else if (strftime(one, sizeof one, f, &tm) == 0)
            snprintf(one, sizeof one, "%s", f);
        o += (size_t)snprintf(out + o, size - o, "%s\"%s\"", o ? _(" or ") : "", one);
        if (o >= size)
            break;
        p += n;
        if (*p == '|')
            p++;
    }
}

/* ---- reading -------------------------------------------------------- */

struct rd {
    const struct import_profile *p;
    struct import_report *rep;
    int col[IF_COUNT];          /* index in the record, or -1 */
    char **header;              /* the source's column names */
    size_t ncols;
    int have_header;
    struct strbuf out;          /* COPY text waiting for the sink */
    import_sink_fn sink;
    void *sink_ctx;
    int sink_failed;
};

static int flush_out(struct rd *r)
{
    if (r->out.len && !r->sink_failed && r->sink && r->sink(r->sink_ctx, r->out.buf, r->out.len) < 0)
        r->sink_failed = 1;
    sb_clear(&r->out);
    return r->sink_failed ? -1 : 0;
}

static int valid_utf8(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned cp;
        int n;

        if ((unsigned char)s[i] < 0x80) {
            if (s[i] == '\0')
                return 0;
            i++;
            continue;
        }
        n = utf8_decode(s + i, &cp);
        if (n <= 0 || (size_t)n > len - i)
            return 0;
        i += (size_t)n;
    }
    return 1;
}

static const char *column_name(const struct rd *r, int idx)
{
    return idx >= 0 && (size_t)idx < r->ncols ? r->header[idx] : "";
}

static const char *lookup_map(const struct import_profile *p, enum import_field f, const char *v)
{
    struct import_map key, *m;
    char *folded;

    if (!p->nmaps[f] && !p->map_other[f])
        return v;
    folded = fold(v);
    key.from = folded;
    m = p->nmaps[f] ? bsearch(&key, p->maps[f], p->nmaps[f], sizeof key, cmp_map) : NULL;
    free(folded);
    if (m)
        return m->to;
    if (p->map_other[f] && *v)
        return p->map_other[f];
    return v;
}

static void copy_escape(struct strbuf *sb, const char *s)
{
    const char *run = s;

    for (; *s; s++) {
        const char *rep = NULL;

        switch (*s) {
        case '\\': rep = "\\\\"; break;
        case '\t': rep = "\\t"; break;
        case '\n': rep = "\\n"; break;
        case '\r': rep = "\\r"; break;
        default: continue;
        }
        sb_addn(sb, run, (size_t)(s - run));
        sb_add(sb, rep);
        run = s + 1;
    }
    sb_addn(sb, run, (size_t)(s - run));
}

static int is_trim_type(enum import_type t)
{
    return t != IT_TEXT;
}

static char *trim_copy(const char *s)
{
    char *c = xstrdup(s);
    char *t = str_trim(c);

    if (t != c)
        memmove(c, t, strlen(t) + 1);
    return c;
}

/* The value of one field for a record, in the staging table's text form,
 * or NULL for SQL NULL.  Adds an error and sets *bad when it cannot be. */
static char *field_value(struct rd *r, const struct csv_record *rec, enum import_field f, int *bad)
{
    const struct import_profile *p = r->p;
    enum import_type t = field_types[f];
    int idx = r->col[f];
    const char *raw = "", *v;
    char *val, buf[128];
    const char *colname = idx >= 0 ? column_name(r, idx) : import_field_names[f];

    if (idx >= 0 && (size_t)idx < rec->n) {
        raw = rec->fields[idx];
        if (memchr(raw, '\0', rec->lens[idx])) {
            import_report_add(r->rep, rec->lines[idx], colname, NULL, "%s", _("the value holds a NUL byte"));
            *bad = 1;
            return NULL;
        }
        if (!valid_utf8(raw, rec->lens[idx])) {
            import_report_add(r->rep, rec->lines[idx], colname, raw,
                              _("the value is not valid text in the file's encoding (%s)"),
                              import_encoding_name(r->rep->encoding));
            *bad = 1;
            return NULL;
        }
    }
    val = is_trim_type(t) ? trim_copy(raw) : xstrdup(raw);
    v = lookup_map(p, f, val);
    if (!*v && p->defaults[f])
        v = p->defaults[f];
    if (v != val) {
        char *c = is_trim_type(t) ? trim_copy(v) : xstrdup(v);

        free(val);
        val = c;
    }
    if (!*val) {
        free(val);
        return NULL;
    }
    switch (t) {
    case IT_TEXT:
        return val;
    case IT_DATE:
        if (import_parse_date(val, p->date_formats, buf, sizeof buf) < 0) {
            char forms[256];

            import_date_examples(p->date_formats, forms, sizeof forms);
            import_report_add(r->rep, idx >= 0 ? rec->lines[idx] : rec->line, colname, val,
                              _("not a date like %s"), forms);
            break;
        }
        free(val);
        return xstrdup(buf);
    case IT_LAT:
    case IT_LON: {
        char *end;
        double d;

        errno = 0;
        d = strtod(val, &end);
        if (errno || *end || end == val || d != d || (t == IT_LAT ? (d < -90 || d > 90) : (d < -180 || d > 180))) {
            import_report_add(r->rep, idx >= 0 ? rec->lines[idx] : rec->line, colname, val,
                              t == IT_LAT ? _("not a latitude (a number from -90 to 90)")
                                          : _("not a longitude (a number from -180 to 180)"));
            break;
        }
        return val;
    }
    case IT_PRIORITY:
        if (!(val[0] >= '0' && val[0] <= '3' && !val[1])) {
            import_report_add(r->rep, idx >= 0 ? rec->lines[idx] : rec->line, colname, val, "%s",
                              _("not a priority (0 low, 1 normal, 2 high, 3 urgent)"));
            break;
        }
        return val;
    case IT_BOOL: {
        static const char *const yes[] = { "1", "t", "true", "y", "yes", "да", "д" };
        static const char *const no[] = { "0", "f", "false", "n", "no", "не", "н" };
        char *low = fold(val);
        size_t i;

        for (i = 0; i < ARRAY_SIZE(yes); i++)
            if (strcmp(low, yes[i]) == 0) {
                free(low);
                free(val);
                return xstrdup("t");
            }
        for (i = 0; i < ARRAY_SIZE(no); i++)
            if (strcmp(low, no[i]) == 0) {
                free(low);
                free(val);
                return xstrdup("f");
            }
        free(low);
        import_report_add(r->rep, idx >= 0 ? rec->lines[idx] : rec->line, colname, val, "%s",
                          _("not yes or no"));
        break;
    }
    case IT_STATUS:
        if (status_from_code(val) == ST_COUNT) {
            struct strbuf codes;
            int i;

            sb_init(&codes);
            for (i = 0; i < ST_COUNT; i++)
                sb_addf(&codes, "%s%s", i ? " " : "", status_table[i].code);
            import_report_add(r->rep, idx >= 0 ? rec->lines[idx] : rec->line, colname, val,
                              _("unknown status (ours: %s)"), codes.buf);
            sb_free(&codes);
            break;
        }
        return val;
    case IT_CHANNEL: {
        size_t i;
        struct strbuf codes;

        for (i = 0; i < channel_count; i++)
            if (strcmp(channel_table[i].code, val) == 0)
                return val;
        sb_init(&codes);
        for (i = 0; i < channel_count; i++)
            sb_addf(&codes, "%s%s", i ? " " : "", channel_table[i].code);
        import_report_add(r->rep, idx >= 0 ? rec->lines[idx] : rec->line, colname, val,
                          _("unknown channel (ours: %s)"), codes.buf);
        sb_free(&codes);
        break;
    }
    case IT_KIND:
        if (strcmp(val, "problem") == 0 || strcmp(val, "question") == 0)
            return val;
        import_report_add(r->rep, idx >= 0 ? rec->lines[idx] : rec->line, colname, val, "%s",
                          _("unknown kind (ours: problem question)"));
        break;
    }
    free(val);
    *bad = 1;
    return NULL;
}

static int take_header(struct rd *r, const struct csv_record *rec)
{
    const struct import_profile *p = r->p;
    size_t i;
    int f;

    if (rec->n == 1 && rec->lens[0] == 0) {
        snprintf(r->rep->fatal, sizeof r->rep->fatal, "%s",
                 _("line 1: the first line (the column names) is empty"));
        return -1;
    }
    r->ncols = rec->n;
    r->header = xcalloc(rec->n, sizeof *r->header);
    for (i = 0; i < rec->n; i++) {
        if (memchr(rec->fields[i], '\0', rec->lens[i]) || !valid_utf8(rec->fields[i], rec->lens[i])) {
            snprintf(r->rep->fatal, sizeof r->rep->fatal,
                     _("line %ld: the column names are not valid text in the file's encoding (%s)"), rec->lines[i],
                     import_encoding_name(r->rep->encoding));
            return -1;
        }
        r->header[i] = trim_copy(rec->fields[i]);
    }
    for (f = 0; f < IF_COUNT; f++) {
        r->col[f] = -1;
        if (!p->columns[f])
            continue;
        {
            char *want = fold(p->columns[f]);

            for (i = 0; i < r->ncols && r->col[f] < 0; i++) {
                char *have = fold(r->header[i]);

                if (strcmp(have, want) == 0)
                    r->col[f] = (int)i;
                free(have);
            }
            free(want);
        }
        if (r->col[f] < 0) {
            struct strbuf have;

            sb_init(&have);
            for (i = 0; i < r->ncols && have.len < 300; i++)
                sb_addf(&have, "%s%s", i ? ", " : "", r->header[i]);
            snprintf(r->rep->fatal, sizeof r->rep->fatal,
                     _("line 1: the file has no column '%s' (the profile '%s' takes %s from it); its columns are: %s"),
                     p->columns[f], p->name, import_field_names[f], have.buf);
            sb_free(&have);
            return -1;
        }
    }
    r->have_header = 1;
    return 0;
}

static int on_record(void *vctx, const struct csv_record *rec)
{
    struct rd *r = vctx;
    char *vals[IF_COUNT];
    int f, bad = 0;

    if (!r->have_header)
        return take_header(r, rec) < 0 ? 1 : 0;
    r->rep->rows++;
    if (rec->n != r->ncols) {
        if (rec->n == 1 && rec->lens[0] == 0) {
            r->rep->rows--;     /* a line of spaces */
            return 0;
        }
        import_report_add(r->rep, rec->line, "", NULL,
                          ngettext("%zu field where the column names have %zu",
                                   "%zu fields where the column names have %zu", rec->n),
                          rec->n, r->ncols);
        return 0;
    }
    for (f = 0; f < IF_COUNT; f++)
        vals[f] = field_value(r, rec, (enum import_field)f, &bad);
    if (!bad) {
        /* the title, when there is one, heads the description */
        if (vals[IF_TITLE]) {
            if (!vals[IF_DESCRIPTION] || strcmp(vals[IF_DESCRIPTION], vals[IF_TITLE]) == 0) {
                free(vals[IF_DESCRIPTION]);
                vals[IF_DESCRIPTION] = vals[IF_TITLE];
            } else {
                char *both = xmalloc(strlen(vals[IF_TITLE]) + strlen(vals[IF_DESCRIPTION]) + 2);

                sprintf(both, "%s\n%s", vals[IF_TITLE], vals[IF_DESCRIPTION]);
                free(vals[IF_DESCRIPTION]);
                free(vals[IF_TITLE]);
                vals[IF_DESCRIPTION] = both;
            }
            vals[IF_TITLE] = NULL;
        }
        sb_addf(&r->out, "%ld", rec->line);
        for (f = 0; f < IF_STAGED; f++) {
            sb_addn(&r->out, "\t", 1);
            if (vals[f])
                copy_escape(&r->out, vals[f]);
            else
                sb_addn(&r->out, "\\N", 2);
        }
        sb_addn(&r->out, "\n", 1);
    }
    for (f = 0; f < IF_COUNT; f++)
        free(vals[f]);
    if (r->out.len >= 256 * 1024 && flush_out(r) < 0)
        return 2;
    return 0;
}

/* Most bytes valid UTF-8 (a few bad ones are errors to report); else the
 * Cyrillic single-byte code page Bulgarian Excel writes. */
static enum import_encoding detect_encoding(const char *s, size_t len)
{
    size_t i = 0, valid = 0, invalid = 0;

    while (i < len) {
        unsigned cp;
        int n;

        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        n = utf8_decode(s + i, &cp);
        if (n > 0 && (size_t)n > len - i)
            break;      /* cut at the end of the sample */
        if (n <= 0) {
            /* a sequence cut by the end of the sample is not an error */
            if (len - i < 4 && ((unsigned char)s[i] & 0xC0) == 0xC0)
                break;
            invalid++;
            i++;
            continue;
        }
        valid++;
        i += (size_t)n;
    }
    return invalid == 0 || valid > invalid ? ENC_UTF8 : ENC_CP1251;
}

/* The separator the first line uses most, outside quotes. */
static char detect_delim(const char *s, size_t len)
{
    size_t i, comma = 0, semi = 0, tab = 0;
    int quoted = 0;

    for (i = 0; i < len; i++) {
        char c = s[i];

        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted && c == ',')
            comma++;
        else if (!quoted && c == ';')
            semi++;
        else if (!quoted && c == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

#define CHUNK 65536

/* Windows-1251 to UTF-8.  A byte the code page does not define becomes an
 * invalid UTF-8 byte, so the field check reports it with its line. */
static size_t convert_cp1251(iconv_t cd, const char *in, size_t len, struct strbuf *out)
{
    char *ip = (char *)in;
    size_t left = len;

    sb_clear(out);
    while (left > 0) {
        char *op;
        size_t room, r;

        if (out->cap - out->len < left * 3 + 16) {
            size_t want = out->len + left * 3 + 16;

            out->buf = xrealloc(out->buf, want + 1);
            out->cap = want;
        }
        op = out->buf + out->len;
        room = out->cap - out->len;
        r = iconv(cd, &ip, &left, &op, &room);
        out->len = (size_t)(op - out->buf);
        if (r == (size_t)-1 && errno == EILSEQ) {
            out->buf[out->len++] = (char)0xFF;
            ip++;
            left--;
        } else if (r == (size_t)-1 && errno != E2BIG) {
            break;
        }
    }
    out->buf[out->len] = '\0';
    return out->len;
}

int import_read(FILE *f, long long total, const struct import_profile *p, import_sink_fn sink, void *sink_ctx,
                import_progress_fn progress, void *progress_ctx, struct import_report *rep)
{
    struct rd r;
    struct csv_reader *reader = NULL;
    struct strbuf conv;
    iconv_t cd = (iconv_t)-1;
    char *buf = xmalloc(CHUNK);
    size_t got;
    long long done = 0;
    int rc = 0, first = 1, f2;

    memset(rep, 0, sizeof *rep);
    memset(&r, 0, sizeof r);
    r.p = p;
    r.rep = rep;
    r.sink = sink;
    r.sink_ctx = sink_ctx;
    for (f2 = 0; f2 < IF_COUNT; f2++)
        r.col[f2] = -1;
    sb_init(&r.out);
    sb_init(&conv);
    while ((got = fread(buf, 1, CHUNK, f)) > 0 || first) {
        const char *data = buf;
        size_t len = got;

        if (first) {
            first = 0;
            if (got == 0)
                break;
            if (len >= 2 && (((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) ||
                             ((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF))) {
                snprintf(rep->fatal, sizeof rep->fatal, "%s",
                         _("the file is in UTF-16; save it as UTF-8 (or Windows-1251) CSV"));
                rc = -1;
                goto out;
            }
            rep->encoding = p->encoding;
            if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
                data += 3;
                len -= 3;
                if (rep->encoding == ENC_AUTO)
                    rep->encoding = ENC_UTF8;
            }
            if (rep->encoding == ENC_AUTO)
                rep->encoding = detect_encoding(data, len);
            if (rep->encoding == ENC_CP1251) {
                cd = iconv_open("UTF-8", "WINDOWS-1251");
                if (cd == (iconv_t)-1) {
                    snprintf(rep->fatal, sizeof rep->fatal, "%s",
                             _("this system cannot convert from Windows-1251 (iconv)"));
                    rc = -1;
                    goto out;
                }
            }
        }
        done += (long long)got;
        if (rep->encoding == ENC_CP1251) {
            len = convert_cp1251(cd, data, len, &conv);
            data = conv.buf;
        }
        if (!reader) {
            rep->delim = p->delim ? p->delim : detect_delim(data, len);
            reader = csv_reader_new((unsigned char)rep->delim, p->max_field, on_record, &r);
        }
        rc = csv_reader_feed(reader, data, len);
        if (progress)
            progress(progress_ctx, done, total, rep->rows);
        if (rc != 0)
            break;
    }
    if (rc == 0 && ferror(f)) {
        snprintf(rep->fatal, sizeof rep->fatal, _("cannot read the file: %s"), strerror(errno));
        rc = -1;
        goto out;
    }
    if (!reader) {
        snprintf(rep->fatal, sizeof rep->fatal, "%s", _("the file is empty: not even a line of column names"));
        rc = -1;
        goto out;
    }
    if (rc == 0)
        rc = csv_reader_finish(reader);
    if (rc == 1 || rep->fatal[0]) {
        rc = -1;            /* the header was refused */
    } else if (rc == 2 || r.sink_failed) {
        rc = -2;
    } else if (rc < 0) {
        snprintf(rep->fatal, sizeof rep->fatal, "%s", csv_reader_error(reader));
    } else if (!r.have_header) {
        snprintf(rep->fatal, sizeof rep->fatal, "%s", _("the file is empty: not even a line of column names"));
        rc = -1;
    } else if (flush_out(&r) < 0) {
        rc = -2;
    }
out:
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    csv_reader_free(reader);
    if (r.header) {
        size_t i;

        for (i = 0; i < r.ncols; i++)
            free(r.header[i]);
        free(r.header);
    }
    sb_free(&r.out);
    sb_free(&conv);
    free(buf);
    return rc;
}

int import_read_buffer(const char *buf, size_t len, const struct import_profile *p, import_sink_fn sink,
                       void *sink_ctx, struct import_report *rep)
{
    FILE *f = len ? fmemopen((void *)buf, len, "r") : fopen("/dev/null", "r");
    int rc;

    if (!f) {
        memset(rep, 0, sizeof *rep);
        snprintf(rep->fatal, sizeof rep->fatal, "%s", strerror(errno));
        return -1;
    }
    rc = import_read(f, (long long)len, p, sink, sink_ctx, NULL, NULL, rep);
    fclose(f);
    return rc;
}

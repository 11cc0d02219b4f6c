#include "csvread.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

/* libcsv reads at most this much per call, so a runaway field (a quote left
 * open) is caught before it takes the memory of the whole file. */
#define PIECE 65536

struct csv_reader {
    struct csv_parser p;
    struct csv_record rec;
    size_t cap;             /* of fields, lens, lines */
    struct strbuf data;     /* the record's fields, one after another, NUL-separated */
    size_t *offs;           /* where each field starts in data */
    csv_record_fn fn;
    void *ctx;
    size_t max_field;
    long line;              /* the line being fed */
    long field_line;        /* where the field being read started */
    int stop;               /* the callback's value */
    int failed;
    char err[512];
};

static long count_newlines(const char *s, size_t len)
{
    long n = 0;
    const char *end = s + len;

    while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
        n++;
        s++;
    }
    return n;
}

static void on_field(void *data, size_t len, void *vr)
{
    struct csv_reader *r = vr;
    size_t i;

    if (r->stop || r->failed)
        return;
    if (r->rec.n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->rec.lens = xrealloc(r->rec.lens, r->cap * sizeof *r->rec.lens);
        r->rec.lines = xrealloc(r->rec.lines, r->cap * sizeof *r->rec.lines);
        r->offs = xrealloc(r->offs, r->cap * sizeof *r->offs);
        r->rec.fields = xrealloc(r->rec.fields, r->cap * sizeof *r->rec.fields);
    }
    i = r->rec.n++;
    r->offs[i] = r->data.len;
    r->rec.lens[i] = len;
    /* a quoted field may span lines: it started as many lines back as it holds */
    r->rec.lines[i] = r->line - (len ? count_newlines(data, len) : 0);
    sb_addn(&r->data, len ? data : "", len);
    sb_addn(&r->data, "", 1);
    r->field_line = r->line;
}

static void on_record(int c, void *vr)
{
    struct csv_reader *r = vr;
    size_t i;

    (void)c;
    if (!r->stop && !r->failed && r->rec.n > 0) {
        for (i = 0; i < r->rec.n; i++)
            r->rec.fields[i] = r->data.buf + r->offs[i];
        r->rec.record++;
        r->rec.line = r->rec.lines[0];
        r->stop = r->fn(r->ctx, &r->rec);
    }
    r->rec.n = 0;
    r->data.len = 0;
    r->field_line = r->line + 1;
}

struct csv_reader *csv_reader_new(unsigned char delim, size_t max_field, csv_record_fn fn, void *ctx)
{
    struct csv_reader *r = xcalloc(1, sizeof *r);

    if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(r);
        return NULL;
    }
    csv_set_delim(&r->p, delim);
    sb_init(&r->data);
    r->fn = fn;
    r->ctx = ctx;
    r->max_field = max_field;
    r->line = 1;
    r->field_line = 1;
    return r;
}

static int parse_error(struct csv_reader *r)
{
    int e = csv_error(&r->p);

    r->failed = 1;
    if (e == CSV_EPARSE)
        snprintf(r->err, sizeof r->err,
                 _("line %ld: a quote in the middle of a field, or a quoted field not followed by a separator"),
                 r->line);
    else if (e == CSV_ETOOBIG || e == CSV_ENOMEM)
        snprintf(r->err, sizeof r->err, _("line %ld: a field too large to read"), r->field_line);
    else
        snprintf(r->err, sizeof r->err, _("line %ld: %s"), r->line, csv_strerror(e));
    return -1;
}

int csv_reader_feed(struct csv_reader *r, const char *buf, size_t len)
{
    while (len > 0 && !r->stop && !r->failed) {
        const char *nl = memchr(buf, '\n', len < PIECE ? len : PIECE);
        size_t n = nl ? (size_t)(nl - buf) + 1 : (len < PIECE ? len : PIECE);

        if (csv_parse(&r->p, buf, n, on_field, on_record, r) != n)
            return parse_error(r);
        if (nl)
            r->line++;
        if (r->max_field && r->p.entry_pos > r->max_field && !r->stop) {
            r->failed = 1;
            snprintf(r->err, sizeof r->err,
                     _("line %ld: a field longer than %zu bytes (or a quote that is never closed)"),
                     r->field_line, r->max_field);
            return -1;
        }
        buf += n;
        len -= n;
    }
    if (r->failed)
        return -1;
    return r->stop;
}

int csv_reader_finish(struct csv_reader *r)
{
    if (r->failed)
        return -1;
    if (r->stop)
        return r->stop;
    if (csv_fini(&r->p, on_field, on_record, r) != 0) {
        r->failed = 1;
        snprintf(r->err, sizeof r->err, _("line %ld: a quoted field is not closed by the end of the file"),
                 r->field_line);
        return -1;
    }
    if (r->failed)
        return -1;
    return r->stop;
}

const char *csv_reader_error(const struct csv_reader *r)
{
    return r->err;
}

long csv_reader_line(const struct csv_reader *r)
{
    return r->line;
}

void csv_reader_free(struct csv_reader *r)
{
    if (!r)
        return;
    csv_free(&r->p);
    sb_free(&r->data);
    free(r->rec.fields);
    free(r->rec.lens);
    free(r->rec.lines);
    free(r->offs);
    free(r);
}

int csv_read(FILE *f, unsigned char delim, csv_record_fn fn, void *ctx, char *err, size_t errsz)
{
    struct csv_reader *r = csv_reader_new(delim, 0, fn, ctx);
    char buf[65536];
    size_t got;
    int rc = 0;

    if (!r) {
        snprintf(err, errsz, "%s", _("out of memory"));
        return -1;
    }
    while (rc == 0 && (got = fread(buf, 1, sizeof buf, f)) > 0)
        rc = csv_reader_feed(r, buf, got);
    if (rc == 0 && ferror(f)) {
        snprintf(err, errsz, "%s", strerror(errno));
        rc = -1;
    } else if (rc == 0) {
        rc = csv_reader_finish(r);
    }
    if (rc < 0 && csv_reader_error(r)[0])
        snprintf(err, errsz, "%s", csv_reader_error(r));
    csv_reader_free(r);
    return rc;
}

int csv_column(const struct csv_record *header, const char *name)
{
    size_t i;

    for (i = 0; i < header->n; i++)
        if (strcmp(header->fields[i], name) == 0)
            return (int)i;
    return -1;
}

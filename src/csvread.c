#include "csvread.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

struct reader {
    struct csv_record rec;
    size_t cap;
    csv_record_fn fn;
    void *ctx;
    int stop;
};

static void on_field(void *data, size_t len, void *vr)
{
    struct reader *r = vr;
    char *copy;

    if (r->stop)
        return;
    if (r->rec.n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->rec.fields = xrealloc(r->rec.fields, r->cap * sizeof *r->rec.fields);
    }
    copy = xmalloc(len + 1);
    if (len)
        memcpy(copy, data, len);
    copy[len] = '\0';
    r->rec.fields[r->rec.n++] = copy;
}

static void clear_record(struct reader *r)
{
    size_t i;

    for (i = 0; i < r->rec.n; i++)
        free(r->rec.fields[i]);
    r->rec.n = 0;
}

static void on_record(int c, void *vr)
{
    struct reader *r = vr;

    (void)c;
    if (!r->stop) {
        r->rec.record++;
        r->stop = r->fn(r->ctx, &r->rec);
    }
    clear_record(r);
}

int csv_read(FILE *f, unsigned char delim, csv_record_fn fn, void *ctx, char *err, size_t errsz)
{
    struct csv_parser p;
    struct reader r;
    char buf[65536];
    size_t got;
    int rc = 0;

    memset(&r, 0, sizeof r);
    r.fn = fn;
    r.ctx = ctx;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        snprintf(err, errsz, "%s", _("out of memory"));
        return -1;
    }
    csv_set_delim(&p, delim);
    while (!r.stop && (got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (csv_parse(&p, buf, got, on_field, on_record, &r) != got) {
            snprintf(err, errsz, _("record %ld: %s"), r.rec.record + 1, csv_strerror(csv_error(&p)));
            rc = -1;
            break;
        }
    }
    if (rc == 0 && !r.stop && ferror(f)) {
        snprintf(err, errsz, "%s", strerror(errno));
        rc = -1;
    }
    if (rc == 0 && !r.stop && csv_fini(&p, on_field, on_record, &r) != 0) {
        snprintf(err, errsz, _("record %ld: a quoted field is not closed"), r.rec.record + 1);
        rc = -1;
    }
    if (rc == 0 && r.stop)
        rc = r.stop;
    clear_record(&r);
    free(r.rec.fields);
    csv_free(&p);
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

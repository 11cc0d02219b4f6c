/* libFuzzer target for the import path: whatever bytes a CSV file holds,
 * reading it through a profile must neither crash nor leak, and must either
 * refuse the file as a whole or account for every record.
 * Built by `make tests/bin/fuzz_import` (clang -fsanitize=fuzzer,address);
 * runs briefly in `make check`, longer in `make fuzz`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "importcsv.h"

static const char *const pairs[] = {
    "source", "fuzz",
    "max_field_kb", "4",
    "date_format", "%d.%m.%Y %H:%M | iso",
    "column.source_id", "id",
    "column.created", "created",
    "column.category", "category",
    "column.status", "status",
    "column.title", "title",
    "column.description", "text",
    "column.lat", "lat",
    "column.lon", "lon",
    "column.priority", "priority",
    "column.reporter_updates", "updates",
    "column.channel", "channel",
    "default.district", "Младост",
    "map.status.открит", "new",
    "map.channel.*", "web",
    "map.category.боклук", "Неизвозени контейнери за смет",
    NULL,
};

static int sink(void *ctx, const char *buf, size_t len)
{
    size_t *total = ctx;

    /* every line of COPY text ends in a newline and holds no NUL */
    if (len == 0 || buf[len - 1] != '\n' || memchr(buf, '\0', len))
        abort();
    *total += len;
    return 0;
}

static int count(void *ctx, const struct csv_record *rec)
{
    size_t i;

    for (i = 0; i < rec->n; i++)
        if (rec->fields[i][rec->lens[i]] != '\0' || rec->lines[i] < 1)
            abort();
    ++*(long *)ctx;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct import_profile p;
    static int ready;
    static struct import_report rep;
    char err[512];
    size_t total = 0;
    long records = 0;
    struct csv_reader *r;

    if (!ready) {
        if (import_profile_from_pairs("fuzz", pairs, &p, err, sizeof err) < 0)
            abort();
        ready = 1;
    }
    if (import_read_buffer((const char *)data, size, &p, sink, &total, &rep) == 0 && rep.fatal[0])
        abort();
    if (rep.shown > IMPORT_MAX_ERRORS || rep.shown > rep.nerrors)
        abort();
    /* the reader alone, with the delimiter the first byte chooses */
    r = csv_reader_new(size && data[0] == ';' ? ';' : size && data[0] == '\t' ? '\t' : ',', 4096, count, &records);
    if (csv_reader_feed(r, (const char *)data, size) == 0)
        csv_reader_finish(r);
    csv_reader_free(r);
    return 0;
}

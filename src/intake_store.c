/* The database side of the intake form: saving a new signal. */
#include "intake.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "timefmt.h"
#include "util.h"

/* A key no other form will make: random bytes, else time and process. */
static void make_key(char *out, size_t size)
{
    unsigned char b[16];
    int fd = open("/dev/urandom", O_RDONLY), i, ok = 0;

    if (fd >= 0) {
        ok = read(fd, b, sizeof b) == (ssize_t)sizeof b;
        close(fd);
    }
    if (!ok) {
        struct timespec t;

        clock_gettime(CLOCK_REALTIME, &t);
        snprintf(out, size, "%lx-%lx-%lx", (long)t.tv_sec, t.tv_nsec, (long)getpid());
        return;
    }
    for (i = 0; i < 16 && (size_t)(i * 2 + 2) < size; i++)
        snprintf(out + i * 2, 3, "%02x", b[i]);
}

/* The attachments field as a PostgreSQL array value: one line, one element. */
static void text_array(const char *lines, struct strbuf *out)
{
    const char *p = lines;
    int first = 1;

    sb_add(out, "{");
    while (*p) {
        size_t n = strcspn(p, "\n");
        char line[2048];
        const char *c;

        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), p);
        str_trim(line);
        if (*line) {
            sb_add(out, first ? "\"" : ",\"");
            for (c = line; *c; c++) {
                if (*c == '"' || *c == '\\')
                    sb_add(out, "\\");
                sb_addn(out, c, 1);
            }
            sb_add(out, "\"");
            first = 0;
        }
        p += n;
        if (*p)
            p++;
    }
    sb_add(out, "}");
}

int intake_save(struct db *db, struct intake *in, const char *format, int year, struct intake_result *res)
{
    char yearbuf[16], cat[16], dis[16], lat[32], lon[32];
    const char *params[17];
    struct strbuf att;
    double la, lo;
    int question = strcmp(in->kind, "question") == 0;
    PGresult *r;
    enum db_status rc;

    memset(res, 0, sizeof *res);
    if (!in->key[0])
        make_key(in->key, sizeof in->key);
    snprintf(yearbuf, sizeof yearbuf, "%d", year);
    snprintf(cat, sizeof cat, "%d", in->category_id);
    snprintf(dis, sizeof dis, "%d", in->district_id);
    sb_init(&att);
    text_array(intake_text(in, IF_ATTACHMENTS), &att);
    if (parse_coords(intake_text(in, IF_COORDS), &la, &lo) == 0) {
        snprintf(lat, sizeof lat, "%.7f", la);
        snprintf(lon, sizeof lon, "%.7f", lo);
    }
    params[0] = in->key;
    params[1] = format;
    params[2] = yearbuf;
    params[3] = in->kind;
    params[4] = in->channel;
    params[5] = in->category_id ? cat : NULL;
    params[6] = in->district_id ? dis : NULL;
    params[7] = intake_text(in, IF_ADDRESS);
    params[8] = parse_coords(intake_text(in, IF_COORDS), &la, &lo) == 0 ? lat : NULL;
    params[9] = params[8] ? lon : NULL;
    params[10] = intake_text(in, IF_DESCRIPTION);
    params[11] = intake_text(in, IF_NAME);
    params[12] = intake_text(in, IF_PHONE);
    params[13] = intake_text(in, IF_EMAIL);
    params[14] = in->wants_updates ? "true" : "false";
    params[15] = att.buf;
    params[16] = question ? intake_text(in, IF_ANSWER) : NULL;
    rc = db_query(db, &r,
                  "SELECT id, reg_no, created, status_now, coalesce(unit_name, ''), due"
                  "  FROM create_signal($1, $2, $3::integer, $4, $5, $6::integer, $7::smallint, $8,"
                  "                     $9::float8, $10::float8, $11, $12, $13, $14, $15::boolean,"
                  "                     $16::text[], $17)",
                  17, params);
    sb_free(&att);
    if (rc != DB_OK)
        return rc;
    if (PQntuples(r) == 1) {
        time_t due;

        res->id = db_ll(r, 0, 0);
        str_copy(res->reg_no, sizeof res->reg_no, db_val(r, 0, 1));
        res->created = db_val(r, 0, 2)[0] == 't';
        str_copy(res->status, sizeof res->status, db_val(r, 0, 3));
        str_copy(res->unit, sizeof res->unit, db_val(r, 0, 4));
        res->has_due = !db_isnull(r, 0, 5) && parse_pg_time(db_val(r, 0, 5), &due) == 0;
        res->due = res->has_due ? (long long)due : 0;
    } else {
        db_set_error(db, "%s", "create_signal returned no row");
        rc = DB_ERROR;
    }
    PQclear(r);
    return rc;
}

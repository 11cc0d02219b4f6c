#ifndef SIGNALDESK_IMPORTCSV_H
#define SIGNALDESK_IMPORTCSV_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"

/* Reading another system's CSV export through an import profile: no curses,
 * no database.  The file is read as a stream (memory stays flat whatever
 * its size), converted to UTF-8, each record mapped to our fields, checked,
 * and written as one line of PostgreSQL COPY text for the staging table
 * (see src/sql/007_import.sql) or reported as a bad row. */

/* Our fields, in the order of the staging table's columns after `line`.
 * F(ID, "name in profiles", type) */
#define IMPORT_FIELDS(F) \
    F(SOURCE_ID,     "source_id",     IT_TEXT) \
    F(REG_NO,        "reg_no",        IT_TEXT) \
    F(KIND,          "kind",          IT_KIND) \
    F(CREATED,       "created",       IT_DATE) \
    F(CHANNEL,       "channel",       IT_CHANNEL) \
    F(CATEGORY,      "category",      IT_TEXT) \
    F(DISTRICT,      "district",      IT_TEXT) \
    F(ADDRESS,       "address",       IT_TEXT) \
    F(LAT,           "lat",           IT_LAT) \
    F(LON,           "lon",           IT_LON) \
    F(DESCRIPTION,   "description",   IT_TEXT) \
    F(STATUS,        "status",        IT_STATUS) \
    F(UNIT,          "unit",          IT_TEXT) \
    F(ASSIGNEE,      "assignee",      IT_TEXT) \
    F(PRIORITY,      "priority",      IT_PRIORITY) \
    F(DUE,           "due",           IT_DATE) \
    F(RESOLVED,      "resolved",      IT_DATE) \
    F(CLOSED,        "closed",        IT_DATE) \
    F(DUPLICATE_OF,  "duplicate_of",  IT_TEXT) \
    F(REPORTER,      "reporter",      IT_TEXT) \
    F(PHONE,         "reporter_phone", IT_TEXT) \
    F(EMAIL,         "reporter_email", IT_TEXT) \
    F(WANTS_UPDATES, "reporter_updates", IT_BOOL) \
    F(CONFIRMED,     "confirmed",     IT_DATE) \
    F(ACKNOWLEDGED,  "acknowledged",  IT_DATE) \
    F(TITLE,         "title",         IT_TEXT)

enum import_type { IT_TEXT, IT_DATE, IT_LAT, IT_LON, IT_PRIORITY, IT_BOOL, IT_STATUS, IT_CHANNEL, IT_KIND };

enum import_field {
#define F(id, name, type) IF_##id,
    IMPORT_FIELDS(F)
#undef F
    IF_COUNT
};
/* The fields that are columns of the staging table (title is folded into
 * the description). */
#define IF_STAGED IF_TITLE

extern const char *const import_field_names[IF_COUNT];
/* IF_COUNT when unknown. */
enum import_field import_field_by_name(const char *name);

enum import_encoding { ENC_AUTO, ENC_UTF8, ENC_CP1251 };

struct import_map {
    char *from;     /* folded: lower case, trimmed */
    char *to;
};

struct import_profile {
    char name[64];              /* the section's name: [import NAME] */
    char source[64];            /* remembered with each source id */
    enum import_encoding encoding;
    char delim;                 /* 0: detect */
    char *columns[IF_COUNT];    /* the source's column for each field, or NULL */
    char *defaults[IF_COUNT];   /* the value when the cell is empty or there is no column */
    struct import_map *maps[IF_COUNT];
    size_t nmaps[IF_COUNT];
    char *map_other[IF_COUNT];  /* map.FIELD.* : any value not in the map */
    char *date_formats;         /* "iso", or strptime formats separated by | */
    char timezone[64];          /* "" : the database session's */
    int match_reg_no;           /* a known registration number means the same signal */
    size_t max_field;           /* bytes */
};

/* The profile [import NAME] of the configuration.  "signaldesk" (our own
 * export) is built in and used when the configuration has no such section.
 * Returns 0, or -1 with a sentence naming file and line in err. */
int import_profile_load(const struct config *cfg, const char *name, struct import_profile *p, char *err,
                        size_t errsz);
/* From key/value pairs as they would stand in the section (for tests). */
int import_profile_from_pairs(const char *name, const char *const *pairs, struct import_profile *p, char *err,
                              size_t errsz);
void import_profile_free(struct import_profile *p);
/* Checks one key of an [import NAME] section (for the configuration's own
 * check).  Returns 0, or -1 with the reason in why. */
int import_check_key(const char *key, const char *value, char *why, size_t whysz);
/* The names of the profiles: the configuration's and the built-in one.
 * Returns how many (names malloc'd, free each and the array). */
int import_profile_names(const struct config *cfg, char ***names);

#define IMPORT_MAX_ERRORS 100

struct import_error {
    long line;
    char column[64];            /* the source's column name, "" for the whole row */
    char reason[256];
    char value[96];             /* cut */
};

/* What reading (and later the database) found. */
struct import_report {
    long rows;                  /* data records read */
    long imported;              /* inserted, or would be in a dry run */
    long skipped;               /* there already (same source id) */
    long nerrors;               /* bad rows found, all of them */
    int shown;                  /* how many of them are in errors[] */
    struct import_error errors[IMPORT_MAX_ERRORS];
    char fatal[512];            /* the file as a whole cannot be read; nothing else counts */
    enum import_encoding encoding;
    char delim;
    char first_reg_no[64], last_reg_no[64];
    double ms_read, ms_check, ms_insert;    /* where the time went */
};

void import_report_add(struct import_report *rep, long line, const char *column, const char *value,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Sorts the errors by line (after the database added its own). */
void import_report_sort(struct import_report *rep);
const char *import_encoding_name(enum import_encoding e);

/* Where the COPY text goes; returns 0, or -1 to stop (the reason is the
 * sink's to keep). */
typedef int (*import_sink_fn)(void *ctx, const char *buf, size_t len);
/* Called about every 64 KB read. */
typedef void (*import_progress_fn)(void *ctx, long long done, long long total, long rows);

/* Reads f to the end, writing one COPY line per good record to sink and
 * reporting bad ones.  total: the file's size for progress (0 unknown).
 * Returns 0 when the file could be read to its end (rep->nerrors may still
 * be non-zero), -1 when it cannot be read as a whole (rep->fatal says why),
 * -2 when the sink stopped. */
int import_read(FILE *f, long long total, const struct import_profile *p, import_sink_fn sink, void *sink_ctx,
                import_progress_fn progress, void *progress_ctx, struct import_report *rep);

/* The same, from memory (for the fuzzer and tests). */
int import_read_buffer(const char *buf, size_t len, const struct import_profile *p, import_sink_fn sink,
                       void *sink_ctx, struct import_report *rep);

/* Parses a date the profile's way into "YYYY-MM-DD HH:MM:SS[.ffffff][+hh:mm]".
 * Returns 0 or -1. */
int import_parse_date(const char *s, const char *formats, char *out, size_t size);
/* The formats as people read them: "2026-01-31 14:30" or "31.01.2026". */
void import_date_examples(const char *formats, char *out, size_t size);

#endif

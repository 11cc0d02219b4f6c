#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "i18n.h"
#include "period.h"
#include "query.h"
#include "importcsv.h"
#include "regno.h"
#include "util.h"

int (*config_check_key_binding)(const char *action, const char *value, char *err, size_t errsz);
int (*config_check_color)(const char *name, const char *value, char *err, size_t errsz);

enum key_type { K_STR, K_INT, K_ENUM, K_REGNO, K_QUERY, K_SORT, K_COLUMNS, K_IMPORT, K_PERIOD };

/* Every key the file may hold.  A section ending in " *" matches any name
 * after the word, e.g. [queue Нови]; a key ending in ".*" any key that
 * starts so, e.g. map.status.Closed. */
struct key_spec {
    const char *section, *key;
    enum key_type type;
    const char *choices;    /* K_ENUM: space-separated */
    long min, max;          /* K_INT */
};

static const struct key_spec key_specs[] = {
    { "database", "conninfo", K_STR, NULL, 0, 0 },
    { "database", "report_conninfo", K_STR, NULL, 0, 0 },
    { "database", "statement_timeout", K_INT, NULL, 0, 3600000 },
    { "database", "reference_data", K_STR, NULL, 0, 0 },
    { "signals", "reg_no_format", K_REGNO, NULL, 0, 0 },
    { "notify", "sendmail", K_STR, NULL, 0, 0 },
    { "notify", "from", K_STR, NULL, 0, 0 },
    { "ui", "language", K_ENUM, "auto bg en", 0, 0 },
    { "ui", "colors", K_ENUM, "auto on off", 0, 0 },
    { "reports", "period", K_PERIOD, NULL, 0, 0 },
    { "reports", "stalled_days", K_INT, NULL, 1, 365 },
    { "reports", "csv_delimiter", K_ENUM, "comma semicolon", 0, 0 },
    { "reports", "csv_bom", K_ENUM, "yes no", 0, 0 },
    { "dupes", "radius_m", K_INT, NULL, 10, 10000 },
    { "dupes", "days", K_INT, NULL, 1, 3650 },
    { "dupes", "similarity", K_INT, NULL, 1, 100 },
    { "dupes", "far_m", K_INT, NULL, 0, 1000000 },
    { "search", "timeout", K_INT, NULL, 100, 600000 },
    { "search", "history_size", K_INT, NULL, 0, 100000 },
    { "queue *", "query", K_QUERY, NULL, 0, 0 },
    { "queue *", "sort", K_SORT, NULL, 0, 0 },
    { "queue *", "columns", K_COLUMNS, NULL, 0, 0 },
    /* import profiles: [import NAME], see src/importcsv.c */
    { "import *", "source", K_IMPORT, NULL, 0, 0 },
    { "import *", "encoding", K_IMPORT, NULL, 0, 0 },
    { "import *", "delimiter", K_IMPORT, NULL, 0, 0 },
    { "import *", "date_format", K_IMPORT, NULL, 0, 0 },
    { "import *", "timezone", K_IMPORT, NULL, 0, 0 },
    { "import *", "match", K_IMPORT, NULL, 0, 0 },
    { "import *", "max_field_kb", K_IMPORT, NULL, 0, 0 },
    { "import *", "column.*", K_IMPORT, NULL, 0, 0 },
    { "import *", "default.*", K_IMPORT, NULL, 0, 0 },
    { "import *", "map.*", K_IMPORT, NULL, 0, 0 },
    { "access", "contacts_outside_unit", K_ENUM, "no yes", 0, 0 },
};

/* Where each key was set, for messages that name the line. */
struct key_line {
    char *section, *key;
    int line;
};

static struct key_line *lines;
static size_t nlines;
static char **sections;     /* as written, in the order of the file */
static size_t nsections;

static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

static int section_matches(const char *pattern, const char *section)
{
    size_t n = strlen(pattern);

    if (n > 2 && strcmp(pattern + n - 2, " *") == 0)
        return strncmp(pattern, section, n - 1) == 0 && section[n - 1] != '\0';
    return strcmp(pattern, section) == 0;
}

static int known_section(const char *section)
{
    size_t i;

    if (strcmp(section, "keys") == 0 || strcmp(section, "colors") == 0)
        return 1;
    for (i = 0; i < ARRAY_SIZE(key_specs); i++)
        if (section_matches(key_specs[i].section, section))
            return 1;
    return 0;
}

static const struct key_spec *find_spec(const char *section, const char *key)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(key_specs); i++) {
        const char *k = key_specs[i].key;
        size_t n = strlen(k);

        if (!section_matches(key_specs[i].section, section))
            continue;
        if (n > 2 && strcmp(k + n - 2, ".*") == 0 ? strncmp(k, key, n - 1) == 0 && key[n - 1] != '\0'
                                                  : strcmp(k, key) == 0)
            return &key_specs[i];
    }
    return NULL;
}

static int check_value(const char *section, const char *key, const char *value, char *why, size_t whysz)
{
    const struct key_spec *spec;
    char *end;
    long v;

    if (strcmp(section, "keys") == 0)
        return config_check_key_binding ? config_check_key_binding(key, value, why, whysz) : 0;
    if (strcmp(section, "colors") == 0)
        return config_check_color ? config_check_color(key, value, why, whysz) : 0;
    spec = find_spec(section, key);
    if (!spec) {
        snprintf(why, whysz, _("unknown key '%s' in [%s]"), key, section);
        return -1;
    }
    switch (spec->type) {
    case K_STR:
        return 0;
    case K_INT:
        errno = 0;
        v = strtol(value, &end, 10);
        if (errno || end == value || *end || v < spec->min || v > spec->max) {
            snprintf(why, whysz, _("%s must be a whole number from %ld to %ld, not '%s'"),
                     key, spec->min, spec->max, value);
            return -1;
        }
        return 0;
    case K_ENUM: {
        const char *p = spec->choices;
        size_t n = strlen(value);

        while (*p) {
            size_t w = strcspn(p, " ");

            if (w == n && strncasecmp(p, value, n) == 0)
                return 0;
            p += w;
            while (*p == ' ')
                p++;
        }
        snprintf(why, whysz, _("%s must be one of: %s (not '%s')"), key, spec->choices, value);
        return -1;
    }
    case K_REGNO:
        return regno_check_format(value, why, whysz);
    case K_PERIOD: {
        struct day today = { 2026, 1, 1 };
        struct period p;
        char err[256];

        if (period_parse(value, &today, &p, err, sizeof err) < 0) {
            snprintf(why, whysz, "%s: %s", key, err);
            return -1;
        }
        return 0;
    }
    case K_QUERY: {
        struct query q;
        struct query_error e;

        if (query_parse(value, &q, &e) < 0) {
            snprintf(why, whysz, _("query, at character %d: %s"), query_char_pos(value, e.pos), e.msg);
            return -1;
        }
        query_free(&q);
        return 0;
    }
    case K_SORT: {
        struct qsort so;

        return qsort_parse(value, &so, why, whysz);
    }
    case K_COLUMNS: {
        enum qcol cols[QUERY_MAX_COLUMNS];

        return qcolumns_parse(value, cols, QUERY_MAX_COLUMNS, why, whysz) < 0 ? -1 : 0;
    }
    case K_IMPORT:
        return import_check_key(key, value, why, whysz);
    }
    return 0;
}

/* Where each key is set: the last line wins, as it does for iniparser. */
static void add_line(const char *section, const char *key, int line)
{
    size_t i;

    for (i = 0; i < nlines; i++)
        if (strcmp(lines[i].section, section) == 0 && strcmp(lines[i].key, key) == 0) {
            lines[i].line = line;
            return;
        }
    lines = xrealloc(lines, (nlines + 1) * sizeof *lines);
    lines[nlines].section = xstrdup(section);
    lines[nlines].key = xstrdup(key);
    lines[nlines].line = line;
    nlines++;
}

static void forget_lines(void)
{
    size_t i;

    for (i = 0; i < nlines; i++) {
        free(lines[i].section);
        free(lines[i].key);
    }
    free(lines);
    lines = NULL;
    nlines = 0;
    for (i = 0; i < nsections; i++)
        free(sections[i]);
    free(sections);
    sections = NULL;
    nsections = 0;
}

/* iniparser reads a line in pieces of at most INI_LINE - 1 bytes and
 * refuses a file with a longer line (its ASCIILINESZ). */
#define INI_LINE 1024

/* Reads one line as iniparser does: a line that ends in a backslash goes on
 * in the next one (the backslash and the line break dropped), so that both
 * see the same lines.  Returns the line, trimmed, or NULL at the end (and
 * *too_long set when the line does not fit, which iniparser refuses). */
static char *read_line(FILE *f, char *buf, size_t size, int *lineno, int *first, int *too_long)
{
    size_t last = 0;

    *first = 0;
    *too_long = 0;
    while (last + 1 < size && fgets(buf + last, (int)(size - last), f)) {
        size_t len = strlen(buf);

        ++*lineno;
        if (!*first)
            *first = *lineno;
        if (len > 0 && buf[len - 1] != '\n' && !feof(f)) {
            *too_long = 1;
            return NULL;
        }
        while (len > last && (buf[len - 1] == '\n' || buf[len - 1] == ' ' || buf[len - 1] == '\t' ||
                              buf[len - 1] == '\r' || buf[len - 1] == '\v' || buf[len - 1] == '\f'))
            buf[--len] = '\0';
        if (len > 0 && buf[len - 1] == '\\') {
            last = len - 1;
            buf[last] = '\0';
            continue;
        }
        return str_trim(buf);
    }
    if (*first && last + 1 >= size) {
        *too_long = 1;
        return NULL;
    }
    return *first ? str_trim(buf) : NULL;
}

/* A settings file is text: a zero byte would make iniparser and us read
 * different lines.  Returns its line, or 0 when there is none. */
static int zero_byte_line(FILE *f)
{
    int c, line = 1;

    while ((c = getc(f)) != EOF) {
        if (c == '\0')
            return line;
        if (c == '\n')
            line++;
    }
    rewind(f);
    return 0;
}

/* Our own pass over the file: iniparser gives values, not line numbers.  It
 * finds the sections and keys, where each is, and refuses what we do not
 * know; the values are checked once iniparser has read them (check_values),
 * so that what is checked is what the console gets. */
static int scan_file(const char *path, char *err, size_t errsz)
{
    FILE *f = fopen(path, "r");
    char buf[INI_LINE], section[512] = "", why[512], *line;
    int lineno = 0, at, too_long, zero;

    if (!f) {
        snprintf(err, errsz, _("%s: cannot read the configuration file: %s"), path, strerror(errno));
        return -1;
    }
    if ((zero = zero_byte_line(f)) > 0) {
        snprintf(err, errsz, _("%s:%d: a zero byte; the settings file must be text"), path, zero);
        goto fail;
    }
    while ((line = read_line(f, buf, sizeof buf, &lineno, &at, &too_long)) != NULL || too_long) {
        if (too_long) {
            snprintf(err, errsz, _("%s:%d: the line is longer than %d characters"), path, at, INI_LINE - 2);
            goto fail;
        }
        char *eq, *key;
        size_t n = strlen(line);

        if (!*line || *line == ';' || *line == '#')
            continue;
        if (*line == '[') {
            /* as iniparser: the name ends at the first ] and the line at the last */
            char *close = strchr(line, ']');

            if (!close || line[n - 1] != ']') {
                snprintf(err, errsz, _("%s:%d: a section name needs a closing ]"), path, at);
                goto fail;
            }
            *close = '\0';
            str_copy(section, sizeof section, str_trim(line + 1));
            sections = xrealloc(sections, (nsections + 1) * sizeof *sections);
            sections[nsections++] = xstrdup(section);
            lower_ascii(section);
            if (!known_section(section)) {
                snprintf(err, errsz, _("%s:%d: unknown section [%s]"), path, at, section);
                goto fail;
            }
            continue;
        }
        eq = strchr(line, '=');
        if (!eq) {
            snprintf(err, errsz, _("%s:%d: expected 'key = value', found '%s'"), path, at, line);
            goto fail;
        }
        if (!*section) {
            snprintf(err, errsz, _("%s:%d: '%s' stands before any [section]"), path, at, line);
            goto fail;
        }
        *eq = '\0';
        key = str_trim(line);
        lower_ascii(key);
        if (strcmp(section, "keys") != 0 && strcmp(section, "colors") != 0 && !find_spec(section, key)) {
            snprintf(why, sizeof why, _("unknown key '%s' in [%s]"), key, section);
            snprintf(err, errsz, "%s:%d: %s", path, at, why);
            goto fail;
        }
        add_line(section, key, at);
    }
    fclose(f);
    return 0;
fail:
    fclose(f);
    return -1;
}

/* Each key of the file, with the value iniparser read for it. */
static int check_values(const struct config *cfg, char *err, size_t errsz)
{
    size_t i;
    char why[512];

    for (i = 0; i < nlines; i++) {
        const char *value = config_str(cfg, lines[i].section, lines[i].key, NULL);

        if (!value) {
            /* a line we read as a key and iniparser did not */
            snprintf(err, errsz, _("%s:%d: expected 'key = value', found '%s'"), cfg->path, lines[i].line,
                     lines[i].key);
            return -1;
        }
        if (check_value(lines[i].section, lines[i].key, value, why, sizeof why) < 0) {
            snprintf(err, errsz, "%s:%d: %s", cfg->path, lines[i].line, why);
            return -1;
        }
    }
    return 0;
}

static char ini_error[1024];

static int ini_errback(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(ini_error, sizeof ini_error, fmt, ap);
    va_end(ap);
    return n;
}

static const char *find_default_file(char *buf, size_t size)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

    if (xdg && *xdg)
        snprintf(buf, size, "%s/signaldesk/signaldesk.ini", xdg);
    else if (home && *home)
        snprintf(buf, size, "%s/.config/signaldesk/signaldesk.ini", home);
    else
        buf[0] = '\0';
    if (buf[0] && access(buf, F_OK) == 0)
        return buf;
    snprintf(buf, size, "%s/signaldesk/signaldesk.ini", SYSCONFDIR);
    if (access(buf, F_OK) == 0)
        return buf;
    return NULL;
}

int config_load(struct config *cfg, const char *explicit_path, char *err, size_t errsz)
{
    char buf[4096];
    const char *path = explicit_path;
    const char *v;

    memset(cfg, 0, sizeof *cfg);
    cfg->colors = -1;
    cfg->language = "auto";
    cfg->regno_format = REGNO_DEFAULT_FORMAT;
    cfg->statement_timeout_ms = 30000;
    cfg->dupes_radius_m = 250;
    cfg->dupes_days = 30;
    cfg->dupes_similarity_pct = 30;
    cfg->dupes_far_m = 1000;
    cfg->search_timeout_ms = 5000;
    cfg->history_size = 1000;
    if (!path)
        path = find_default_file(buf, sizeof buf);
    if (path) {
        forget_lines();
        if (scan_file(path, err, errsz) < 0) {
            forget_lines();
            return -1;
        }
        ini_error[0] = '\0';
        iniparser_set_error_callback(ini_errback);
        cfg->ini = iniparser_load(path);
        if (!cfg->ini) {
            snprintf(err, errsz, _("%s: cannot read the configuration file: %s"), path,
                     ini_error[0] ? str_trim(ini_error) : _("syntax error"));
            forget_lines();
            return -1;
        }
        str_copy(cfg->path, sizeof cfg->path, path);
        if (check_values(cfg, err, errsz) < 0) {
            config_free(cfg);
            return -1;
        }
    }
    cfg->conninfo = config_str(cfg, "database", "conninfo", NULL);
    cfg->report_conninfo = config_str(cfg, "database", "report_conninfo", NULL);
    cfg->data_dir = config_str(cfg, "database", "reference_data", NULL);
    cfg->regno_format = config_str(cfg, "signals", "reg_no_format", REGNO_DEFAULT_FORMAT);
    cfg->sendmail = config_str(cfg, "notify", "sendmail", "/usr/sbin/sendmail -t -i");
    cfg->mail_from = config_str(cfg, "notify", "from", "");
    cfg->language = config_str(cfg, "ui", "language", "auto");
    v = config_str(cfg, "ui", "colors", "auto");
    cfg->colors = strcasecmp(v, "on") == 0 ? 1 : strcasecmp(v, "off") == 0 ? 0 : -1;
    v = config_str(cfg, "database", "statement_timeout", NULL);
    if (v)
        cfg->statement_timeout_ms = atoi(v);
    cfg->report_period = config_str(cfg, "reports", "period", "30d");
    cfg->report_stalled_days = atoi(config_str(cfg, "reports", "stalled_days", "7"));
    cfg->csv_delimiter = strcasecmp(config_str(cfg, "reports", "csv_delimiter", "comma"), "semicolon") == 0 ? ';' : ',';
    cfg->csv_bom = strcasecmp(config_str(cfg, "reports", "csv_bom", "no"), "yes") == 0;
    cfg->dupes_radius_m = atoi(config_str(cfg, "dupes", "radius_m", "250"));
    cfg->dupes_days = atoi(config_str(cfg, "dupes", "days", "30"));
    cfg->dupes_similarity_pct = atoi(config_str(cfg, "dupes", "similarity", "30"));
    cfg->dupes_far_m = atoi(config_str(cfg, "dupes", "far_m", "1000"));
    v = config_str(cfg, "search", "timeout", NULL);
    cfg->search_timeout_ms = v ? atoi(v) : 5000;
    v = config_str(cfg, "search", "history_size", NULL);
    cfg->history_size = v ? atoi(v) : 1000;
    return 0;
}

void config_free(struct config *cfg)
{
    if (cfg->ini)
        iniparser_freedict(cfg->ini);
    cfg->ini = NULL;
    forget_lines();
}

int config_sections(const struct config *cfg, const char *prefix, const char **names, int max)
{
    size_t i, j, plen = strlen(prefix);
    int n = 0;

    (void)cfg;
    for (i = 0; i < nsections && n < max; i++) {
        int dup = 0;

        if (strncasecmp(sections[i], prefix, plen) != 0)
            continue;
        for (j = 0; j < i; j++)
            dup |= strcmp(sections[j], sections[i]) == 0;
        if (!dup)
            names[n++] = sections[i];
    }
    return n;
}

const char *config_str(const struct config *cfg, const char *section, const char *key, const char *def)
{
    char full[2 * 1024 + 2];  /* iniparser's lines are at most 1024 bytes */

    if (!cfg->ini)
        return def;
    snprintf(full, sizeof full, "%s:%s", section, key);
    return iniparser_getstring(cfg->ini, full, def);
}

int config_line(const struct config *cfg, const char *section, const char *key)
{
    size_t i;

    (void)cfg;
    for (i = 0; i < nlines; i++)
        if (strcmp(lines[i].section, section) == 0 && strcmp(lines[i].key, key) == 0)
            return lines[i].line;
    return 0;
}

int config_keys(const struct config *cfg, const char *section, const char ***keys)
{
    int n;

    *keys = NULL;
    if (!cfg->ini)
        return 0;
    n = iniparser_getsecnkeys(cfg->ini, section);
    if (n <= 0)
        return 0;
    *keys = xcalloc((size_t)n, sizeof **keys);
    iniparser_getseckeys(cfg->ini, section, *keys);
    return n;
}

#ifndef SIGNALDESK_CONFIG_H
#define SIGNALDESK_CONFIG_H

#include <stddef.h>

#include <iniparser.h>

/* The settings, from -c FILE, else $XDG_CONFIG_HOME/signaldesk/signaldesk.ini,
 * else /etc/signaldesk/signaldesk.ini, else the defaults.  Every key is checked
 * against a table: an unknown key or a bad value is an error with file:line. */
struct config {
    dictionary *ini;            /* NULL when no file was read */
    char path[4096];            /* the file read, or "" */
    const char *conninfo;       /* [database] conninfo */
    const char *report_conninfo;
    int statement_timeout_ms;   /* [database] statement_timeout */
    const char *regno_format;   /* [signals] reg_no_format */
    const char *language;       /* [ui] language: auto, bg, en */
    int colors;                 /* [ui] colors: -1 auto, 0 off, 1 on */
    const char *data_dir;       /* [database] reference_data: directory of CSV files */
    const char *report_period;  /* [reports] period: what the reports open with */
    int report_stalled_days;    /* [reports] stalled_days */
    unsigned char csv_delimiter;    /* [reports] csv_delimiter: ',' or ';' */
    int csv_bom;                /* [reports] csv_bom */
    int dupes_radius_m;         /* [dupes] radius_m: candidates within this distance */
    int dupes_days;             /* [dupes] days: closed this recently still counts */
    int dupes_similarity_pct;   /* [dupes] similarity: how alike texts must be, in percent */
    int dupes_far_m;            /* [dupes] far_m: merging signals farther apart asks first */
    int search_timeout_ms;      /* [search] timeout: longest a search with words may run */
    int history_size;           /* [search] history_size: lines kept in the history file */
    const char *sendmail;       /* [notify] sendmail: the command messages are piped to */
    const char *mail_from;      /* [notify] from: the From of messages ("": sendmail's) */
};

/* Loads the file.  Returns 0, or -1 with a sentence naming file and line in err. */
int config_load(struct config *cfg, const char *explicit_path, char *err, size_t errsz);
void config_free(struct config *cfg);

/* A string value with a default; section and key in lower case. */
const char *config_str(const struct config *cfg, const char *section, const char *key, const char *def);
/* The line of the file where section/key was set, or 0. */
int config_line(const struct config *cfg, const char *section, const char *key);
/* Lists the keys of a section (for [keys] and [colors]); returns how many. */
int config_keys(const struct config *cfg, const char *section, const char ***keys);

/* Names of the sections that start with prefix ("queue "), as written in
 * the file (case kept) and in its order; returns how many (at most max).
 * For config_str, lower-case the ASCII letters of the name. */
int config_sections(const struct config *cfg, const char *prefix, const char **names, int max);

/* Value checkers for keys the UI owns ([keys], [colors]); set by the UI
 * before config_load.  Each returns 0 or -1 with a reason in err. */
extern int (*config_check_key_binding)(const char *action, const char *value, char *err, size_t errsz);
extern int (*config_check_color)(const char *name, const char *value, char *err, size_t errsz);

#endif

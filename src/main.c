/* signaldesk: the console for the operators of a municipal citizen-signal
 * system, and its batch commands. */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "dbadmin.h"
#include "export.h"
#include "query.h"
#include "timefmt.h"
#include "i18n.h"
#include "import.h"
#include "keys.h"
#include "notify.h"
#include "period.h"
#include "reports.h"
#include "script.h"
#include "signals.h"
#include "ui.h"
#include "util.h"

#define VERSION "0.1"

/* Exit codes. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_TERMINAL = 3, EXIT_BADFILE = 4 };

static void usage(FILE *f)
{
    fprintf(f, "%s",
            _("Usage: signaldesk [-d CONNINFO] [-c FILE]\n"
              "       signaldesk [-d CONNINFO] db init|migrate\n"
              "       signaldesk [-d CONNINFO] db demo [--signals N]\n"
              "       signaldesk [-d CONNINFO] notify [--limit N]\n"
              "       signaldesk [-d CONNINFO] import FILE --profile NAME [--dry-run]\n"
              "       signaldesk [-d CONNINFO] export [--query QUERY] [--csv FILE|-]\n"
              "                                       [--bom] [--semicolon]\n"
              "       signaldesk [-d CONNINFO] report NAME --from DATE --to DATE [--csv FILE|-]\n"
              "\n"
              "The console for the operators of a citizen-signal system: register calls,\n"
              "triage, route and follow signals through their stages.\n"
              "\n"
              "Options:\n"
              "  -d, --dbname CONNINFO  the database: a name, key=value pairs or a URI;\n"
              "                         unset parts come from PG* variables, the service\n"
              "                         file and ~/.pgpass\n"
              "  -c, --config FILE      settings (default:\n"
              "                         $XDG_CONFIG_HOME/signaldesk/signaldesk.ini,\n"
              "                         then /etc/signaldesk/signaldesk.ini)\n"
              "  -h, --help             show this help\n"
              "  -V, --version          show the version\n"
              "      --list-keys[=man]  list the actions, their names for [keys] and their keys\n"
              "\n"
              "Commands:\n"
              "  db init                create the schema and load the reference data\n"
              "  db migrate             bring the schema up to date\n"
              "  db demo [--signals N]  fill an empty database with N demo signals\n"
              "                         (default 100000)\n"
              "  notify [--limit N]     hand the pending messages to citizens to sendmail\n"
              "                         ([notify] sendmail in the settings), for cron\n"
              "  import FILE --profile NAME [--dry-run]\n"
              "                         import signals from another system's CSV file\n"
              "                         through the profile [import NAME] of the settings\n"
              "                         (\"signaldesk\" reads our own export); all rows or\n"
              "                         none; --dry-run only tells what would happen\n"
              "  export [--query QUERY] [--csv FILE|-] [--bom] [--semicolon]\n"
              "                         write signals as CSV (default: to the standard\n"
              "                         output); QUERY in the search language of the\n"
              "                         console's / prompt (see signaldesk(1));\n"
              "                         --bom and --semicolon for spreadsheets\n"
              "  report NAME --from DATE --to DATE [--csv FILE|-] [--by day|week|month]\n"
              "        [--days N] [--bom] [--delimiter comma|semicolon]\n"
              "                         a report of the days from DATE to DATE (both\n"
              "                         included; YYYY-MM-DD), printed, or as CSV into\n"
              "                         FILE (- for standard output).  NAME is one of\n"
              "                         workload, flow, age, sla, times, districts, stalled\n"
              "\n"
              "Exit status: 0 done, 1 failed, 2 wrong usage or settings, 4 the file to\n"
              "import has errors (nothing was imported).\n"
              "\n"
              "In the console, ? or F1 shows the keys.  See signaldesk(1).\n"));
}

/* The key table for the man page and for people: every action, its name in
 * [keys] and its keys, from the same list the help screen reads. */
static void list_keys(int man)
{
    int a, k;

    for (a = 1; a < ACT_COUNT; a++) {
        int keys[16], nk = keymap_keys((enum action)a, ~0u, keys, 16);
        char names[256] = "";

        for (k = 0; k < nk; k++) {
            char kn[32];

            key_label(keys[k], kn, sizeof kn);
            if (k)
                strncat(names, ", ", sizeof names - strlen(names) - 1);
            strncat(names, kn, sizeof names - strlen(names) - 1);
        }
        if (man) {
            const char *p;

            printf(".TP\n\\fB");
            for (p = names; *p; p++)
                printf(*p == '-' ? "\\-" : *p == '\\' ? "\\e" : "%c", *p);
            printf("\\fR  (%s)\n%s\n", action_table[a].name, _(action_table[a].help));
        } else {
            printf("%-14s %-22s %s\n", action_table[a].name, names, _(action_table[a].help));
        }
    }
}

struct options {
    const char *conninfo;
    const char *config;
    int list_keys;  /* 1: text, 2: man page */
};

static int connect_db(struct db *db, const struct config *cfg, const struct options *o)
{
    const char *conninfo = o->conninfo ? o->conninfo : cfg->conninfo;

    db->statement_timeout_ms = cfg->statement_timeout_ms > 0 ? cfg->statement_timeout_ms : -1; /* 0: none */
    if (db_connect(db, conninfo, 1) != DB_OK) {
        fprintf(stderr, _("signaldesk: cannot connect to the database: %s\n"), db->errmsg);
        db_close(db);
        return -1;
    }
    return 0;
}

/* The [access] rules of the INI go into the database, where they hold for
 * every console (a console's own INI cannot loosen them). */
static enum db_status apply_access(struct db *db, const struct config *cfg)
{
    const char *v = config_str(cfg, "access", "contacts_outside_unit", NULL);
    int changed = 0;
    enum db_status rc;

    if (!v)
        return DB_OK;
    rc = db_apply_access(db, "contacts_outside_unit", strcasecmp(v, "yes") == 0 ? "yes" : "no", &changed);
    if (rc == DB_OK && changed)
        printf(_("signaldesk: [access] contacts_outside_unit = %s now holds for every console\n"),
               strcasecmp(v, "yes") == 0 ? "yes" : "no");
    return rc;
}

static int cmd_db(const struct config *cfg, const struct options *o, int argc, char **argv, const char *argv0)
{
    struct db db;
    enum db_status rc;
    const char *what = argc > 0 ? argv[0] : "";

    memset(&db, 0, sizeof db);
    if (strcmp(what, "init") && strcmp(what, "migrate") && strcmp(what, "demo")) {
        fprintf(stderr, _("signaldesk: db needs one of: init, migrate, demo\n"));
        return EXIT_USAGE;
    }
    if (strcmp(what, "demo") == 0) {
        long n = 100000;
        int i;

        for (i = 1; i < argc; i++) {
            char *end;

            if (strcmp(argv[i], "--signals") == 0 && i + 1 < argc) {
                n = strtol(argv[++i], &end, 10);
                if (*end || n < 0 || n > 50000000) {
                    fprintf(stderr, _("signaldesk: --signals takes a number from 0 to 50000000\n"));
                    return EXIT_USAGE;
                }
            } else {
                fprintf(stderr, _("signaldesk: unknown argument '%s'\n"), argv[i]);
                return EXIT_USAGE;
            }
        }
        if (connect_db(&db, cfg, o) < 0)
            return EXIT_FAIL;
        {
            struct timespec t0, t1;

            clock_gettime(CLOCK_MONOTONIC, &t0);
            rc = db_demo(&db, n, 0.42);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            if (rc == DB_OK)
                printf(ngettext("signaldesk: %ld demo signal made in %.1f s\n", "signaldesk: %ld demo signals made in %.1f s\n",
                                (unsigned long)n),
                       n,
                       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
        }
    } else {
        int applied = 0, loaded = 0, version = 0;

        if (argc > 1) {
            fprintf(stderr, _("signaldesk: unknown argument '%s'\n"), argv[1]);
            return EXIT_USAGE;
        }
        if (connect_db(&db, cfg, o) < 0)
            return EXIT_FAIL;
        rc = db_migrate(&db, &applied);
        if (rc == DB_OK && strcmp(what, "init") == 0) {
            char buf[4096];
            const char *dir = reference_dir(cfg->data_dir, argv0, buf, sizeof buf);

            rc = db_load_reference(&db, dir, &loaded);
            if (rc == DB_OK && loaded)
                printf(_("signaldesk: reference data loaded from %s\n"), dir);
            else if (rc == DB_OK)
                printf("%s\n", _("signaldesk: the reference data was already there; left as it is"));
            if (rc == DB_OK)
                rc = db_apply_privileges(&db);
            if (rc == DB_OK)
                rc = apply_access(&db, cfg);
        }
        if (rc == DB_OK)
            rc = db_schema_version(&db, &version);
        if (rc == DB_OK)
            printf(ngettext("signaldesk: schema at version %d (%d migration applied now)\n",
                            "signaldesk: schema at version %d (%d migrations applied now)\n", (unsigned long)applied),
                   version, applied);
    }
    if (rc != DB_OK) {
        fprintf(stderr, "signaldesk: %s\n", db.errmsg);
        db_close(&db);
        return EXIT_FAIL;
    }
    db_close(&db);
    return EXIT_OK;
}

static void print_import_errors(const struct import_report *rep)
{
    int i;

    for (i = 0; i < rep->shown; i++) {
        char line[512];

        import_error_text(&rep->errors[i], line, sizeof line);
        fprintf(stderr, "signaldesk: %s\n", line);
    }
    if (rep->nerrors > rep->shown)
        fprintf(stderr, ngettext("signaldesk: … and %ld more problem\n", "signaldesk: … and %ld more problems\n",
                                 (unsigned long)(rep->nerrors - rep->shown)),
                rep->nerrors - rep->shown);
}

static int cmd_import(const struct config *cfg, const struct options *o, int argc, char **argv)
{
    const char *path = NULL, *profile = NULL;
    struct import_profile prof;
    struct import_report *rep;
    struct db db;
    char err[1024];
    int i, dry_run = 0, rc;
    enum db_status st;

    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc)
            profile = argv[++i];
        else if (strncmp(argv[i], "--profile=", 10) == 0)
            profile = argv[i] + 10;
        else if (strcmp(argv[i], "--dry-run") == 0)
            dry_run = 1;
        else if (!path && (argv[i][0] != '-' || strcmp(argv[i], "-") == 0))
            path = argv[i];
        else {
            fprintf(stderr, _("signaldesk: unknown argument '%s'\n"), argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!path || !profile) {
        fprintf(stderr, "%s\n", _("signaldesk: import needs a FILE and --profile NAME"));
        return EXIT_USAGE;
    }
    if (import_profile_load(cfg, profile, &prof, err, sizeof err) < 0) {
        fprintf(stderr, "signaldesk: %s\n", err);
        return EXIT_USAGE;
    }
    memset(&db, 0, sizeof db);
    if (connect_db(&db, cfg, o) < 0) {
        import_profile_free(&prof);
        return EXIT_FAIL;
    }
    rep = xcalloc(1, sizeof *rep);
    st = import_file(&db, &prof, path, cfg->regno_format, dry_run, NULL, NULL, rep);
    if (st != DB_OK) {
        fprintf(stderr, "signaldesk: %s\n", db.errmsg);
        rc = EXIT_FAIL;
    } else if (rep->fatal[0]) {
        fprintf(stderr, "signaldesk: %s: %s\n", path, rep->fatal);
        fprintf(stderr, "%s\n", _("signaldesk: nothing was imported"));
        rc = EXIT_BADFILE;
    } else {
        printf(ngettext("signaldesk: %s: %ld row read (%s, separated by '%s'), profile %s\n",
                        "signaldesk: %s: %ld rows read (%s, separated by '%s'), profile %s\n",
                        (unsigned long)rep->rows),
               path, rep->rows, import_encoding_name(rep->encoding), rep->delim == '\t' ? "tab" : (char[2]){ rep->delim, 0 },
               prof.name);
        if (rep->nerrors > 0) {
            print_import_errors(rep);
            fprintf(stderr, ngettext("signaldesk: %ld problem found; nothing was imported\n",
                                     "signaldesk: %ld problems found; nothing was imported\n",
                                     (unsigned long)rep->nerrors),
                    rep->nerrors);
            rc = EXIT_BADFILE;
        } else {
            if (rep->imported > 0 && dry_run)
                printf(ngettext("signaldesk: %ld signal would be imported (%s … %s)\n",
                                "signaldesk: %ld signals would be imported (%s … %s)\n", (unsigned long)rep->imported),
                       rep->imported, rep->first_reg_no, rep->last_reg_no);
            else if (rep->imported > 0)
                printf(ngettext("signaldesk: %ld signal imported (%s … %s)\n",
                                "signaldesk: %ld signals imported (%s … %s)\n", (unsigned long)rep->imported),
                       rep->imported, rep->first_reg_no, rep->last_reg_no);
            else
                printf("%s\n", dry_run ? _("signaldesk: nothing would be imported")
                                       : _("signaldesk: nothing to import"));
            if (rep->skipped > 0)
                printf(ngettext("signaldesk: %ld row was imported before; skipped\n",
                                "signaldesk: %ld rows were imported before; skipped\n", (unsigned long)rep->skipped),
                       rep->skipped);
            if (dry_run)
                printf("%s\n", _("signaldesk: dry run: nothing was changed"));
            printf(_("signaldesk: %.1f s: reading %.1f s, checking %.1f s, inserting %.1f s\n"),
                   (rep->ms_read + rep->ms_check + rep->ms_insert) / 1000, rep->ms_read / 1000,
                   rep->ms_check / 1000, rep->ms_insert / 1000);
            rc = EXIT_OK;
        }
    }
    free(rep);
    import_profile_free(&prof);
    db_close(&db);
    return rc;
}

static int cmd_export(const struct config *cfg, const struct options *o, int argc, char **argv)
{
    const char *query = NULL, *path = "-";
    struct query q;
    struct query_error qe;
    struct query_ctx ctx;
    struct export_options eo = { 0, ',' };
    struct db db;
    FILE *out;
    long rows = 0;
    int i;
    enum db_status st;

    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--query") == 0 && i + 1 < argc)
            query = argv[++i];
        else if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc)
            path = argv[++i];
        else if (strcmp(argv[i], "--bom") == 0)
            eo.bom = 1;
        else if (strcmp(argv[i], "--semicolon") == 0)
            eo.delim = ';';
        else {
            fprintf(stderr, _("signaldesk: unknown argument '%s'\n"), argv[i]);
            return EXIT_USAGE;
        }
    }
    /* the same search language as the console's / prompt */
    if (query_parse(query ? query : "", &q, &qe) < 0) {
        fprintf(stderr, _("signaldesk: --query, at character %d: %s\n"), query_char_pos(query, qe.pos), qe.msg);
        return EXIT_USAGE;
    }
    ctx.now = now_time();
    memset(&db, 0, sizeof db);
    if (connect_db(&db, cfg, o) < 0) {
        query_free(&q);
        return EXIT_FAIL;
    }
    out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!out) {
        fprintf(stderr, _("signaldesk: %s: cannot write the file: %s\n"), path, strerror(errno));
        query_free(&q);
        db_close(&db);
        return EXIT_FAIL;
    }
    setvbuf(out, NULL, _IOFBF, 1 << 16);
    st = export_signals(&db, &q, &ctx, &eo, out, NULL, NULL, &rows);
    query_free(&q);
    if (out != stdout && fclose(out) != 0 && st == DB_OK) {
        db_set_error(&db, _("%s: cannot write the file: %s"), path, strerror(errno));
        st = DB_ERROR;
    }
    if (st != DB_OK) {
        fprintf(stderr, "signaldesk: %s\n", db.errmsg);
        if (out != stdout)
            unlink(path);
        db_close(&db);
        return EXIT_FAIL;
    }
    if (out != stdout)
        fprintf(stderr, ngettext("signaldesk: %ld signal exported to %s\n", "signaldesk: %ld signals exported to %s\n",
                                 (unsigned long)rows),
                rows, path);
    db_close(&db);
    return EXIT_OK;
}

static void report_failed(void *ctx, long long id, const char *to, const char *why)
{
    (void)ctx;
    fprintf(stderr, _("signaldesk: message %lld to %s not sent: %s\n"), id, to, why);
}

static int cmd_notify(const struct config *cfg, const struct options *o, int argc, char **argv)
{
    struct db db;
    struct notify_stats st;
    enum db_status rc;
    long limit = 0;
    int i;

    for (i = 0; i < argc; i++) {
        char *end;

        if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
            limit = strtol(argv[++i], &end, 10);
            if (*end || limit < 1 || limit > 10000000) {
                fprintf(stderr, _("signaldesk: --limit takes a number from 1 to 10000000\n"));
                return EXIT_USAGE;
            }
        } else {
            fprintf(stderr, _("signaldesk: unknown argument '%s'\n"), argv[i]);
            return EXIT_USAGE;
        }
    }
    memset(&db, 0, sizeof db);
    if (connect_db(&db, cfg, o) < 0)
        return EXIT_FAIL;
    rc = notify_run(&db, cfg->sendmail, cfg->mail_from, (int)limit, &st, report_failed, NULL);
    printf(ngettext("signaldesk: %d message sent, %d failed\n", "signaldesk: %d messages sent, %d failed\n",
                    (unsigned long)st.sent),
           st.sent, st.failed + st.interrupted);
    if (rc != DB_OK) {
        fprintf(stderr, "signaldesk: %s\n", db.errmsg);
        db_close(&db);
        return EXIT_FAIL;
    }
    db_close(&db);
    return st.failed + st.interrupted ? EXIT_FAIL : EXIT_OK;
}

/* signaldesk report NAME --from DATE --to DATE [--csv FILE|-] ...: for cron.
 * Reads from [database] report_conninfo when it is set.  A file is written
 * beside its name and renamed when complete, so it is whole or not there. */
static int cmd_report(const struct config *cfg, const struct options *o, int argc, char **argv)
{
    struct report_params p;
    struct csv_options csv;
    struct report rep;
    struct db db;
    const char *csv_path = NULL, *from = NULL, *to = NULL;
    char tmp[4200];
    int id, i, version = 0, rc = EXIT_OK;
    enum db_status st;

    memset(&p, 0, sizeof p);
    memset(&rep, 0, sizeof rep);
    p.grouping = GROUP_AUTO;
    p.stalled_days = cfg->report_stalled_days > 0 ? cfg->report_stalled_days : 7;
    csv_options_default(&csv);
    csv.delimiter = cfg->csv_delimiter ? cfg->csv_delimiter : ',';
    csv.bom = cfg->csv_bom;
    id = argc > 0 ? report_find(argv[0]) : -1;
    if (id < 0) {
        fprintf(stderr, _("signaldesk: report needs a name: %s\n"),
                "workload, flow, age, sla, times, districts, stalled");
        return EXIT_USAGE;
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--bom") == 0) {
            csv.bom = 1;
        } else if (strcmp(a, "--no-bom") == 0) {
            csv.bom = 0;
        } else if (!v) {
            fprintf(stderr, _("signaldesk: unknown argument '%s'\n"), a);
            return EXIT_USAGE;
        } else if (strcmp(a, "--from") == 0) {
            from = argv[++i];
        } else if (strcmp(a, "--to") == 0) {
            to = argv[++i];
        } else if (strcmp(a, "--csv") == 0) {
            csv_path = argv[++i];
        } else if (strcmp(a, "--by") == 0) {
            int g = grouping_parse(v);

            if (g < 0) {
                fprintf(stderr, "%s\n", _("signaldesk: --by takes day, week, month or auto"));
                return EXIT_USAGE;
            }
            p.grouping = (enum grouping)g;
            i++;
        } else if (strcmp(a, "--days") == 0) {
            char *end;
            long n = strtol(v, &end, 10);

            if (*end || n < 1 || n > 365) {
                fprintf(stderr, "%s\n", _("signaldesk: --days takes a number from 1 to 365"));
                return EXIT_USAGE;
            }
            p.stalled_days = (int)n;
            i++;
        } else if (strcmp(a, "--delimiter") == 0) {
            if (csv_parse_delimiter(v, &csv.delimiter) < 0 || csv.delimiter == '\t') {
                fprintf(stderr, "%s\n", _("signaldesk: --delimiter takes comma or semicolon"));
                return EXIT_USAGE;
            }
            i++;
        } else {
            fprintf(stderr, _("signaldesk: unknown argument '%s'\n"), a);
            return EXIT_USAGE;
        }
    }
    csv.decimal_comma = csv.delimiter == ';';
    if (!from || !to) {
        fprintf(stderr, "%s\n", _("signaldesk: report needs --from DATE and --to DATE (YYYY-MM-DD)"));
        return EXIT_USAGE;
    }
    if (day_parse(from, &p.period.from) < 0 || day_parse(to, &p.period.to) < 0) {
        fprintf(stderr, _("signaldesk: '%s' is not a date (YYYY-MM-DD)\n"),
                day_parse(from, &p.period.from) < 0 ? from : to);
        return EXIT_USAGE;
    }
    if (day_cmp(&p.period.from, &p.period.to) > 0 || period_days(&p.period) > PERIOD_MAX_DAYS) {
        fprintf(stderr, _("signaldesk: --from must not be after --to, and a period has at most %d days\n"),
                PERIOD_MAX_DAYS);
        return EXIT_USAGE;
    }

    memset(&db, 0, sizeof db);
    db.statement_timeout_ms = cfg->statement_timeout_ms > 0 ? cfg->statement_timeout_ms : -1; /* 0: none */
    if (db_connect(&db, cfg->report_conninfo && *cfg->report_conninfo ? cfg->report_conninfo
                        : o->conninfo ? o->conninfo : cfg->conninfo, 1) != DB_OK) {
        fprintf(stderr, _("signaldesk: cannot connect to the database: %s\n"), db.errmsg);
        db_close(&db);
        return EXIT_FAIL;
    }
    st = db_schema_version(&db, &version);
    if (st == DB_OK && version < 6) {
        fprintf(stderr, "%s\n", _("signaldesk: the database has no report tables yet; run 'signaldesk db migrate'."));
        db_close(&db);
        return EXIT_FAIL;
    }
    if (st == DB_OK)
        st = report_run(&db, (enum report_id)id, &p, &rep);
    if (st != DB_OK) {
        fprintf(stderr, "signaldesk: %s\n", db.errmsg);
        report_free(&rep);
        db_close(&db);
        return EXIT_FAIL;
    }
    if (!csv_path) {
        if (report_write_text(&rep, stdout) < 0)
            rc = EXIT_FAIL;
    } else if (strcmp(csv_path, "-") == 0) {
        if (report_write_csv(&rep, stdout, &csv) < 0) {
            fprintf(stderr, _("signaldesk: cannot write the report: %s\n"), strerror(errno));
            rc = EXIT_FAIL;
        }
    } else {
        FILE *f;

        snprintf(tmp, sizeof tmp, "%s.part", csv_path);
        f = fopen(tmp, "w");
        if (!f || report_write_csv(&rep, f, &csv) < 0 || fclose(f) != 0 || rename(tmp, csv_path) != 0) {
            fprintf(stderr, _("signaldesk: cannot write %s: %s\n"), csv_path, strerror(errno ? errno : EIO));
            if (f)
                unlink(tmp);
            rc = EXIT_FAIL;
        }
    }
    report_free(&rep);
    db_close(&db);
    return rc;
}

static int run_console(struct config *cfg, const struct options *o)
{
    struct db db;
    struct app app;
    char err[1024];
    const char *script = getenv("SIGNALDESK_SCRIPT");
    int version;
    enum db_status rc;

    memset(&db, 0, sizeof db);
    memset(&app, 0, sizeof app);
    app.db = &db;
    app.cfg = cfg;
    if (connect_db(&db, cfg, o) < 0)
        return EXIT_FAIL;
    rc = db_check_locale(&db);
    if (rc == DB_OK)
        rc = db_schema_version(&db, &version);
    if (rc == DB_OK && version == 0) {
        fprintf(stderr, "%s\n", _("signaldesk: the database has no signaldesk schema yet; "
                                  "run 'signaldesk db init' first."));
        db_close(&db);
        return EXIT_FAIL;
    }
    if (rc == DB_OK)
        rc = db_listen(&db);
    if (rc == DB_OK)
        rc = operator_load(&db, &app.me);
    if (rc == DB_REFUSED && strcmp(db.sqlstate, "42501") == 0) {
        fprintf(stderr, _("signaldesk: the database role %s is not one of signaldesk's people; an admin adds "
                          "people on the People screen (F9).\n"),
                PQuser(db.conn));
        db_close(&db);
        return EXIT_FAIL;
    }
    if (rc != DB_OK) {
        fprintf(stderr, "signaldesk: %s\n", db.errmsg);
        db_close(&db);
        return EXIT_FAIL;
    }
    if (script && *script && script_open(script, err, sizeof err) < 0) {
        fprintf(stderr, "signaldesk: %s\n", err);
        db_close(&db);
        return EXIT_USAGE;
    }
    if (ui_start(&app, script && *script, err, sizeof err) < 0) {
        fprintf(stderr, "signaldesk: %s\n", err);
        db_close(&db);
        return EXIT_TERMINAL;
    }
    if (ui_push(&app, &queue_screen, NULL) < 0) {
        ui_end();
        fprintf(stderr, "signaldesk: %s\n", app.msg[0] ? app.msg : db.errmsg);
        db_close(&db);
        return EXIT_FAIL;
    }
    intake_mention_drafts(&app);
    ui_run(&app);
    ui_end();
    db_close(&db);
    if (ui_terminated()) {
        /* the terminal is back as it was and the connection closed: end
         * by the signal, so the shell or service manager sees why */
        int sig = ui_terminated();

        signal(sig, SIG_DFL);
        raise(sig);
    }
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "dbname", required_argument, NULL, 'd' },
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { "list-keys", optional_argument, NULL, 'K' },
        { NULL, 0, NULL, 0 },
    };
    struct options o = { NULL, NULL, 0 };
    struct config cfg;
    char err[1024];
    int c, rc;

    if (i18n_init(argv[0], NULL, err, sizeof err) < 0) {
        fprintf(stderr, "signaldesk: %s\n", err);
        return EXIT_USAGE;
    }
    while ((c = getopt_long(argc, argv, "+d:c:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o.conninfo = optarg; break;
        case 'c': o.config = optarg; break;
        case 'h': usage(stdout); return EXIT_OK;
        case 'V': printf("signaldesk %s\n", VERSION); return EXIT_OK;
        case 'K':
            /* after the [keys] of the config file, so it shows what is in force */
            o.list_keys = optarg && strcmp(optarg, "man") == 0 ? 2 : 1;
            break;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    config_check_key_binding = keymap_bind;
    config_check_color = ui_check_color;
    if (config_load(&cfg, o.config, err, sizeof err) < 0) {
        fprintf(stderr, "signaldesk: %s\n", err);
        return EXIT_USAGE;
    }
    if (strcmp(cfg.language, "auto") != 0 && i18n_init(argv[0], cfg.language, err, sizeof err) < 0) {
        fprintf(stderr, "signaldesk: %s\n", err);
        config_free(&cfg);
        return EXIT_USAGE;
    }
    if (o.list_keys) {
        list_keys(o.list_keys == 2);
        rc = EXIT_OK;
    } else if (optind < argc && strcmp(argv[optind], "import") == 0) {
        rc = cmd_import(&cfg, &o, argc - optind - 1, argv + optind + 1);
    } else if (optind < argc && strcmp(argv[optind], "export") == 0) {
        rc = cmd_export(&cfg, &o, argc - optind - 1, argv + optind + 1);
    } else if (optind < argc && strcmp(argv[optind], "db") == 0) {
        rc = cmd_db(&cfg, &o, argc - optind - 1, argv + optind + 1, argv[0]);
    } else if (optind < argc && strcmp(argv[optind], "report") == 0) {
        rc = cmd_report(&cfg, &o, argc - optind - 1, argv + optind + 1);
    } else if (optind < argc && strcmp(argv[optind], "notify") == 0) {
        rc = cmd_notify(&cfg, &o, argc - optind - 1, argv + optind + 1);
    } else if (optind < argc) {
        fprintf(stderr, _("signaldesk: unknown command '%s'; see signaldesk --help\n"), argv[optind]);
        rc = EXIT_USAGE;
    } else {
        rc = run_console(&cfg, &o);
    }
    config_free(&cfg);
    return rc;
}

/* signaldesk: the console for the operators of a municipal citizen-signal
 * system, and its batch commands. */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "dbadmin.h"
#include "i18n.h"
#include "keys.h"
#include "script.h"
#include "signals.h"
#include "ui.h"
#include "util.h"

#define VERSION "0.1"

/* Exit codes. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_TERMINAL = 3 };

static void usage(FILE *f)
{
    fprintf(f, "%s",
            _("Usage: signaldesk [-d CONNINFO] [-c FILE]\n"
              "       signaldesk [-d CONNINFO] db init|migrate\n"
              "       signaldesk [-d CONNINFO] db demo [--signals N]\n"
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

    db->statement_timeout_ms = cfg->statement_timeout_ms;
    if (db_connect(db, conninfo, 1) != DB_OK) {
        fprintf(stderr, _("signaldesk: cannot connect to the database: %s\n"), db->errmsg);
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
    ui_run(&app);
    ui_end();
    db_close(&db);
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
    } else if (optind < argc && strcmp(argv[optind], "db") == 0) {
        rc = cmd_db(&cfg, &o, argc - optind - 1, argv + optind + 1, argv[0]);
    } else if (optind < argc) {
        fprintf(stderr, _("signaldesk: unknown command '%s'; see signaldesk --help\n"), argv[optind]);
        rc = EXIT_USAGE;
    } else {
        rc = run_console(&cfg, &o);
    }
    config_free(&cfg);
    return rc;
}

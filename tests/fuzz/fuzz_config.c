/* libFuzzer target for the configuration file: whatever bytes an INI file
 * holds, loading it must either succeed or fail with a sentence that names
 * the file, never crash, leak or overrun; and a file that loads must give
 * the console only values that passed the checks: what the later steps
 * (queues, import profiles, registration numbers, report period, numbers
 * with limits) read from it is valid, or the check and the reader of the
 * file disagree.
 * Built by `make tests/bin/fuzz_config`; runs briefly in `make check`,
 * longer in `make fuzz`.  Seeds: tests/fuzz/seeds/config. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "importcsv.h"
#include "keys.h"
#include "period.h"
#include "query.h"
#include "regno.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
static int fd = -1;

/* The file the loader reads: one per fuzzing process, in memory where it
 * can be (/dev/shm), rewritten each run, and unlinked at once, so that
 * nothing is left behind: the loader opens it as /proc/self/fd/N. */
static void write_input(const uint8_t *data, size_t size)
{
    if (fd < 0) {
        char tmp[64];

        snprintf(tmp, sizeof tmp, "%s/sd-fuzz-config-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        fd = mkstemp(tmp);
        if (fd < 0)
            abort();
        unlink(tmp);
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
}

static void use_queues(const struct config *cfg)
{
    const char *names[32];
    int n = config_sections(cfg, "queue ", names, 32), i;

    for (i = 0; i < n; i++) {
        char section[256], *p, err[256];
        struct query q;
        struct query_error e;
        struct qsort so;
        enum qcol cols[QUERY_MAX_COLUMNS];
        const char *v;

        if (strncasecmp(names[i], "queue ", 6) != 0)
            abort();
        str_copy(section, sizeof section, names[i]);
        for (p = section; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        /* what the file check let through, the queue screen parses again */
        if (query_parse(config_str(cfg, section, "query", ""), &q, &e) < 0)
            abort();
        query_free(&q);
        v = config_str(cfg, section, "sort", NULL);
        if (v && qsort_parse(v, &so, err, sizeof err) < 0)
            abort();
        v = config_str(cfg, section, "columns", NULL);
        if (v && qcolumns_parse(v, cols, QUERY_MAX_COLUMNS, err, sizeof err) < 0)
            abort();
    }
}

static void use_profiles(const struct config *cfg)
{
    char **names, err[1024];
    int n = import_profile_names(cfg, &names), i;

    for (i = 0; i < n; i++) {
        struct import_profile p;

        if (import_profile_load(cfg, names[i], &p, err, sizeof err) < 0) {
            fprintf(stderr, "profile [import %s] let through, then refused: %s\n", names[i], err);
            abort();
        }
        import_profile_free(&p);
        free(names[i]);
    }
    free(names);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config cfg;
    char err[1024], out[256];
    const char **keys;
    int n;

    write_input(data, size);
    config_check_key_binding = keymap_bind;
    err[0] = '\0';
    if (config_load(&cfg, path, err, sizeof err) < 0) {
        /* a refusal names the file and holds nothing */
        if (!strstr(err, path) || cfg.ini)
            abort();
        config_free(&cfg);
        return 0;
    }
    use_queues(&cfg);
    use_profiles(&cfg);
    n = config_keys(&cfg, "keys", &keys);
    if (n < 0)
        abort();
    free(keys);
    if (regno_check_format(cfg.regno_format, err, sizeof err) < 0)
        abort();
    n = regno_format(cfg.regno_format, 2026, 123, out, sizeof out);
    if (n >= 0 && (size_t)n != strlen(out))
        abort();
    {
        struct day today = { 2026, 11, 20 };
        struct period p;

        if (period_parse(cfg.report_period, &today, &p, err, sizeof err) < 0)
            abort();
    }
    if (cfg.statement_timeout_ms < 0 || cfg.statement_timeout_ms > 3600000 || cfg.search_timeout_ms < 100 ||
        cfg.search_timeout_ms > 600000 || cfg.history_size < 0 || cfg.history_size > 100000 ||
        cfg.report_stalled_days < 1 || cfg.report_stalled_days > 365 || cfg.dupes_radius_m < 10 ||
        cfg.dupes_radius_m > 10000 || cfg.dupes_days < 1 || cfg.dupes_days > 3650 || cfg.dupes_similarity_pct < 1 ||
        cfg.dupes_similarity_pct > 100 || cfg.dupes_far_m < 0 || cfg.dupes_far_m > 1000000)
        abort();
    if (strcasecmp(cfg.language, "auto") != 0 && strcasecmp(cfg.language, "bg") != 0 &&
        strcasecmp(cfg.language, "en") != 0)
        abort();
    config_free(&cfg);
    keymap_reset();
    return 0;
}

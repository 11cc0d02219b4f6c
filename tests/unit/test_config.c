/* The configuration loader: what its checks pass is what the console gets.
 * Each case here was found by the fuzzer (tests/fuzz/fuzz_config.c): our
 * line-by-line check and iniparser read some files differently. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "importcsv.h"
#include "test.h"

static int load_bytes(const char *text, size_t len, struct config *cfg, char *err, size_t errsz)
{
    char path[] = "/tmp/signaldesk-test-XXXXXX";
    int fd = mkstemp(path), rc;
    FILE *f = fdopen(fd, "w");

    fwrite(text, 1, len, f);
    fclose(f);
    err[0] = '\0';
    rc = config_load(cfg, path, err, errsz);
    unlink(path);
    return rc;
}

static int load_ini(const char *text, struct config *cfg, char *err, size_t errsz)
{
    return load_bytes(text, strlen(text), cfg, err, errsz);
}

/* A quoted value followed by a comment: iniparser keeps what is inside the
 * quotes, so that is what is checked (the check used to see the quotes and
 * the comment, and let a query through that the queue could not parse). */
TEST(quoted_value_with_a_comment)
{
    struct config cfg;
    char err[512];

    CHECK_INT(load_ini("[queue Мои]\nquery = \"status:clo *d\"  ; a comment\n", &cfg, err, sizeof err), -1);
    CHECK(strstr(err, ":2: query") != NULL);
    CHECK(cfg.ini == NULL);
    config_free(&cfg);
    CHECK_INT(load_ini("[queue Мои]\nquery = \"status:new -priority:low\"  ; a comment\n", &cfg, err, sizeof err), 0);
    CHECK_STR(config_str(&cfg, "queue Мои", "query", ""), "status:new -priority:low");
    config_free(&cfg);
}

/* iniparser ends a value at the first ; or #, space before it or not. */
TEST(comment_sign_inside_a_value)
{
    struct config cfg;
    char err[512];

    /* the console would get "X", a format without %N */
    CHECK_INT(load_ini("[signals]\nreg_no_format = X;%N\n", &cfg, err, sizeof err), -1);
    CHECK(strstr(err, ":2: ") != NULL);
    config_free(&cfg);
    CHECK_INT(load_ini("[search]\ntimeout = 800#ms\n", &cfg, err, sizeof err), 0);
    CHECK_INT(cfg.search_timeout_ms, 800);
    config_free(&cfg);
    /* in double quotes they stay */
    CHECK_INT(load_ini("[notify]\nfrom = \"Община; отдел #2\"\n", &cfg, err, sizeof err), 0);
    CHECK_STR(cfg.mail_from, "Община; отдел #2");
    config_free(&cfg);
}

/* A line ending in a backslash goes on in the next one, for iniparser and
 * now for the check too. */
TEST(backslash_continues_a_line)
{
    struct config cfg;
    char err[512];

    CHECK_INT(load_ini("[queue A]\nquery = status:new \\\n  priority:high\nsort = due asc\n", &cfg, err, sizeof err),
              0);
    CHECK_STR(config_str(&cfg, "queue a", "query", ""), "status:new   priority:high");
    CHECK_INT(config_line(&cfg, "queue a", "query"), 2);
    CHECK_INT(config_line(&cfg, "queue a", "sort"), 4);
    config_free(&cfg);
    /* a comment that ends in a backslash takes the next line with it */
    CHECK_INT(load_ini("[ui]\n; see C:\\\nlanguage = nonsense\n", &cfg, err, sizeof err), 0);
    CHECK_STR(cfg.language, "auto");
    CHECK_INT(config_line(&cfg, "ui", "language"), 0);
    config_free(&cfg);
}

/* A section name ends at its first ], as iniparser reads it. */
TEST(section_name_with_a_bracket)
{
    struct config cfg;
    char err[512];
    const char *names[4];

    CHECK_INT(load_ini("[queue A]b]\nquery = status:new\n", &cfg, err, sizeof err), 0);
    CHECK_INT(config_sections(&cfg, "queue ", names, 4), 1);
    CHECK_STR(names[0], "queue A");
    CHECK_STR(config_str(&cfg, "queue a", "query", ""), "status:new");
    config_free(&cfg);
    CHECK_INT(load_ini("[queue A] ; x\nquery = status:new\n", &cfg, err, sizeof err), -1);
    CHECK(strstr(err, ":1: ") != NULL);
    config_free(&cfg);
}

/* A refused file leaves nothing behind for the next load. */
TEST(refused_file_holds_nothing)
{
    struct config cfg;
    char err[512];
    const char *names[4];

    CHECK_INT(load_ini("[queue Стара]\nquery = status:new\n[queue Лоша]\nsort = colour\n", &cfg, err, sizeof err), -1);
    CHECK(strstr(err, ":4: ") != NULL);
    CHECK(cfg.ini == NULL);
    CHECK_INT(config_sections(&cfg, "queue ", names, 4), 0);
    CHECK_INT(load_ini("[queue Нова]\nquery = status:new\n", &cfg, err, sizeof err), 0);
    CHECK_INT(config_sections(&cfg, "queue ", names, 4), 1);
    CHECK_STR(names[0], "queue Нова");
    config_free(&cfg);
}

/* iniparser reads a line in pieces of 1023 bytes and C strings end at a
 * zero byte: a line with a zero byte in it, longer than a piece, made it
 * see keys (the rest of the line) that our check never saw. */
TEST(zero_bytes_and_long_lines_are_refused)
{
    static const char zero[] = "[queue A]\n \0\0ce = x\nquery = status:new\n";
    struct config cfg;
    char err[512], text[1200];

    CHECK_INT(load_bytes(zero, sizeof zero - 1, &cfg, err, sizeof err), -1);
    CHECK(strstr(err, ":2: ") != NULL && strstr(err, "zero byte") != NULL);
    CHECK(cfg.ini == NULL);
    /* 1022 characters is the longest line */
    snprintf(text, sizeof text, "[signals]\n; %01020d\n", 0);
    CHECK_INT(load_ini(text, &cfg, err, sizeof err), 0);
    config_free(&cfg);
    snprintf(text, sizeof text, "[signals]\n; %01021d\n", 0);
    CHECK_INT(load_ini(text, &cfg, err, sizeof err), -1);
    CHECK(strstr(err, ":2: ") != NULL && strstr(err, "longer than 1022") != NULL);
}

/* A key set twice: the last one is in force, and named in messages. */
TEST(last_of_a_repeated_key)
{
    struct config cfg;
    char err[512];

    CHECK_INT(load_ini("[search]\ntimeout = 900\ntimeout = 1200\n", &cfg, err, sizeof err), 0);
    CHECK_INT(cfg.search_timeout_ms, 1200);
    CHECK_INT(config_line(&cfg, "search", "timeout"), 3);
    config_free(&cfg);
    CHECK_INT(load_ini("[search]\ntimeout = 900\ntimeout = 5\n", &cfg, err, sizeof err), -1);
    CHECK(strstr(err, ":3: ") != NULL);
    config_free(&cfg);
}

/* Every profile the import screen lists can be loaded: a section with no
 * key is not listed, and a long name is not cut short. */
TEST(listed_profiles_load)
{
    struct config cfg;
    char err[512], text[1200], **names;
    struct import_profile p;
    int n, i;

    CHECK_INT(load_ini("[import празен]\n[import mladost]\nsource = mladost\n", &cfg, err, sizeof err), 0);
    n = import_profile_names(&cfg, &names);
    CHECK_INT(n, 2);
    CHECK_STR(names[0], "mladost");
    CHECK_STR(names[1], "signaldesk");
    for (i = 0; i < n; i++) {
        CHECK_INT(import_profile_load(&cfg, names[i], &p, err, sizeof err), 0);
        import_profile_free(&p);
        free(names[i]);
    }
    free(names);
    config_free(&cfg);

    snprintf(text, sizeof text, "[import %0300d]\nsource = дълго\n", 7);
    CHECK_INT(load_ini(text, &cfg, err, sizeof err), 0);
    n = import_profile_names(&cfg, &names);
    CHECK_INT(n, 2);
    CHECK_INT(strlen(names[0]), 300);
    CHECK_INT(import_profile_load(&cfg, names[0], &p, err, sizeof err), 0);
    CHECK_STR(p.source, "дълго");
    import_profile_free(&p);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    config_free(&cfg);
}

TEST_LIST = {
    { "quoted_value_with_a_comment", quoted_value_with_a_comment },
    { "comment_sign_inside_a_value", comment_sign_inside_a_value },
    { "backslash_continues_a_line", backslash_continues_a_line },
    { "section_name_with_a_bracket", section_name_with_a_bracket },
    { "refused_file_holds_nothing", refused_file_holds_nothing },
    { "zero_bytes_and_long_lines_are_refused", zero_bytes_and_long_lines_are_refused },
    { "last_of_a_repeated_key", last_of_a_repeated_key },
    { "listed_profiles_load", listed_profiles_load },
    { NULL, NULL },
};

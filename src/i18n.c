#include "i18n.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static const char *lang = "bg";

const char *i18n_lang(void)
{
    return lang;
}

static const char *locale_env(void)
{
    const char *names[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(names); i++) {
        const char *v = getenv(names[i]);

        if (v && *v)
            return v;
    }
    return NULL;
}

static int is_plain_c(const char *loc)
{
    return !loc || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0 || strncmp(loc, "C.", 2) == 0;
}

/* The catalogues of an uninstalled build sit in po/locale beside src/. */
static void bind_catalogue(void)
{
    char exe[PATH_MAX], dir[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

    if (n > 0) {
        char *slash;

        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(dir, sizeof dir, "%s/../po/locale", exe);
            if (access(dir, R_OK) == 0) {
                bindtextdomain("signaldesk", dir);
                return;
            }
        }
    }
    bindtextdomain("signaldesk", LOCALEDIR);
}

int i18n_init(const char *argv0, const char *want, char *err, size_t errsz)
{
    const char *env = locale_env();
    const char *codeset;

    (void)argv0;
    if (!setlocale(LC_ALL, ""))
        setlocale(LC_ALL, "C.UTF-8");   /* the asked-for locale is not installed */
    codeset = nl_langinfo(CODESET);
    if (strcmp(codeset, "UTF-8") != 0) {
        if (is_plain_c(env) && setlocale(LC_ALL, "C.UTF-8")) {
            codeset = nl_langinfo(CODESET);
        } else {
            snprintf(err, errsz,
                     "a UTF-8 locale is needed, but %s uses %s; set for example LANG=bg_BG.UTF-8 "
                     "or LANG=C.UTF-8.",
                     env ? env : "the current locale", codeset);
            return -1;
        }
    }
    /* numbers keep a decimal point whatever the language: coordinates are
     * read back, and the database wants 42.6712, not 42,6712 */
    setlocale(LC_NUMERIC, "C");
    if (want && strcmp(want, "en") == 0)
        lang = "en";
    else if (want && strcmp(want, "bg") == 0)
        lang = "bg";
    else
        lang = env && (strncmp(env, "en", 2) == 0 || is_plain_c(env)) ? "en" : "bg";
    /* LANGUAGE picks the catalogue even where the bg_BG locale is not installed */
    setenv("LANGUAGE", lang, 1);
    bind_catalogue();
    bind_textdomain_codeset("signaldesk", "UTF-8");
    textdomain("signaldesk");
    return 0;
}

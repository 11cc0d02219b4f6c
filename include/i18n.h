#ifndef SIGNALDESK_I18N_H
#define SIGNALDESK_I18N_H

#include <libintl.h>
#include <stddef.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Sets the locale and the message catalogue.  The console speaks Bulgarian
 * unless the locale asks for English (en_*, C, POSIX); `lang` ("bg", "en" or
 * NULL for that default) overrides.  Returns 0, or -1 with a sentence in err
 * when the locale cannot show UTF-8. */
int i18n_init(const char *argv0, const char *lang, char *err, size_t errsz);

/* "bg" or "en": the language the console speaks. */
const char *i18n_lang(void);

#endif

#ifndef SIGNALDESK_REGNO_H
#define SIGNALDESK_REGNO_H

#include <stddef.h>

#define REGNO_DEFAULT_FORMAT "СО%y-КЦ-%6N"

/* Registration numbers from a format: %y two-digit year, %Y four-digit year,
 * %N the year's running number (%6N: zero-padded to 6 digits), %% a percent.
 * Returns the length written, or -1 when the format is bad or out is small. */
int regno_format(const char *fmt, int year, long number, char *out, size_t size);
/* 0 when fmt is usable (has exactly one %N and nothing unknown); else -1 and
 * a reason in err. */
int regno_check_format(const char *fmt, char *err, size_t errsz);

#endif

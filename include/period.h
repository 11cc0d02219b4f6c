#ifndef SIGNALDESK_PERIOD_H
#define SIGNALDESK_PERIOD_H

#include <stddef.h>
#include <time.h>

/* Periods of whole days in the local time zone (TZ), as reports ask for
 * them: from the start of the first day to the end of the last. */
struct day {
    int y, m, d;
};

struct period {
    struct day from, to;        /* both included */
};

enum grouping { GROUP_AUTO, GROUP_DAY, GROUP_WEEK, GROUP_MONTH };

#define PERIOD_MAX_DAYS 3700    /* ten years and a bit */

/* "2026-11-01" or "01.11.2026"; 0, or -1 when it is not a real date. */
int day_parse(const char *s, struct day *out);
/* The day of t in local time. */
void day_of(time_t t, struct day *out);
/* Local midnight at the start of the day. */
time_t day_start(const struct day *d);
/* The day n days later (earlier for n < 0). */
struct day day_add(struct day d, int n);
/* 0 Monday .. 6 Sunday. */
int day_weekday(const struct day *d);
int day_cmp(const struct day *a, const struct day *b);
/* "2026-11-01" and "01.11.2026". */
void day_iso(const struct day *d, char *out, size_t size);
void day_text(const struct day *d, char *out, size_t size);

/* Reads what a person types for a period, `today` being the last day of the
 * relative forms:
 *   2026-11-01..2026-11-20  01.11.2026-20.11.2026  (also with a space or –)
 *   2026-11-05  a single day      2026-11  11.2026  a month      2026  a year
 *   7d  the last 7 days (today included)   4w  the last 4 weeks   3m  months
 * Returns 0, or -1 with a sentence in err. */
int period_parse(const char *text, const struct day *today, struct period *p, char *err, size_t errsz);
/* How many days the period has. */
int period_days(const struct period *p);
/* Its instants: [*from, *to). */
void period_bounds(const struct period *p, time_t *from, time_t *to);
/* The grouping AUTO stands for: days up to two months, weeks up to about
 * a year, months beyond. */
enum grouping period_grouping(const struct period *p, enum grouping g);
/* The first day of each group (days, weeks from Monday, months) in the
 * period; the first group starts on the period's first day.  Returns how
 * many (at most max). */
int period_groups(const struct period *p, enum grouping g, struct day *starts, int max);
/* "day", "week", "month" and back; GROUP_AUTO for "auto", -1 unknown. */
const char *grouping_name(enum grouping g);
int grouping_parse(const char *s);

#endif

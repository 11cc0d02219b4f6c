#ifndef SIGNALDESK_TIMEFMT_H
#define SIGNALDESK_TIMEFMT_H

#include <stddef.h>
#include <time.h>

/* The time the console shows ages and due dates against: now, unless
 * SIGNALDESK_NOW ("YYYY-MM-DD HH:MM", local time) pins it for tests. */
time_t now_time(void);

/* How long ago: "12 min", "3 h", "5 d", "4 mo", "2 y" (translated). */
void fmt_age(time_t now, time_t then, char *out, size_t size);
/* "22.11.2026 09:14" in local time. */
void fmt_datetime(time_t t, char *out, size_t size);
/* "22.11 09:14" within the current year, "22.11.2025" before it. */
void fmt_short(time_t now, time_t t, char *out, size_t size);
/* "in 3 days", "2 days overdue", "today": how a due date stands. */
void fmt_due(time_t now, time_t due, char *out, size_t size);
/* Parses the database's text for timestamptz ("2026-11-22 09:14:05.123+02",
 * as sent with DateStyle ISO); returns 0 or -1. */
int parse_pg_time(const char *s, time_t *out);

#endif

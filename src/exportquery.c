/* The smallest query language export needs; to be replaced by the search
 * language's parser (see include/exportquery.h). */
#include "exportquery.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

static int is_date(const char *s, size_t n)
{
    size_t i;

    if (n != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (i = 0; i < n; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    return 1;
}

static int parse_status(const char *list, struct export_filter *f, char *err, size_t errsz)
{
    const char *p = list;

    if (!*p) {
        snprintf(err, errsz, "%s", _("status: needs one or more statuses, e.g. status:new,registered"));
        return -1;
    }
    while (*p) {
        size_t n = strcspn(p, ",");
        char code[32];
        enum status s;

        str_copy(code, sizeof code, p);
        if (n < sizeof code)
            code[n] = '\0';
        if (strcmp(code, "open") == 0) {
            f->queue.status_mask |= OPEN_STATUSES;
        } else if (strcmp(code, "done") == 0) {
            f->queue.status_mask |= ((1u << ST_COUNT) - 1) & ~OPEN_STATUSES;
        } else if ((s = status_from_code(code)) != ST_COUNT) {
            f->queue.status_mask |= STATUS_BIT(s);
        } else {
            snprintf(err, errsz, _("unknown status '%s' (new registered assigned in_progress waiting resolved "
                                   "closed rejected duplicate, or open, done)"),
                     code);
            return -1;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

static int parse_created(const char *range, struct export_filter *f, char *err, size_t errsz)
{
    const char *dots = strstr(range, "..");
    size_t n1 = dots ? (size_t)(dots - range) : strlen(range);
    const char *to = dots ? dots + 2 : range;
    size_t n2 = strlen(to);

    if ((n1 && !is_date(range, n1)) || (n2 && !is_date(to, n2)) || (!n1 && !n2)) {
        snprintf(err, errsz, _("created: takes dates like 2026-01-01..2026-03-31, not '%s'"), range);
        return -1;
    }
    if (n1) {
        memcpy(f->created_from, range, n1);
        f->created_from[n1] = '\0';
    }
    if (n2)
        str_copy(f->created_to, sizeof f->created_to, to);
    return 0;
}

int export_query_parse(const char *query, struct export_filter *f, char *err, size_t errsz)
{
    char buf[1024], *tok, *save = NULL;

    memset(f, 0, sizeof *f);
    if (!query)
        return 0;
    str_copy(buf, sizeof buf, query);
    for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        if (strncmp(tok, "status:", 7) == 0) {
            if (parse_status(tok + 7, f, err, errsz) < 0)
                return -1;
        } else if (strncmp(tok, "created:", 8) == 0) {
            if (parse_created(tok + 8, f, err, errsz) < 0)
                return -1;
        } else {
            snprintf(err, errsz, _("'%s' is not understood here (status:LIST and created:FROM..TO are)"), tok);
            return -1;
        }
    }
    return 0;
}

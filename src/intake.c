#include "intake.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "translit.h"
#include "util.h"

void intake_init(struct intake *in)
{
    memset(in, 0, sizeof *in);
    str_copy(in->kind, sizeof in->kind, "problem");
    str_copy(in->channel, sizeof in->channel, "phone");
}

void intake_free(struct intake *in)
{
    int i;

    for (i = 0; i < IF_COUNT; i++)
        free(in->text[i]);
    memset(in, 0, sizeof *in);
}

int intake_is_text(enum intake_field f)
{
    switch (f) {
    case IF_ADDRESS: case IF_DESCRIPTION: case IF_ANSWER: case IF_NAME: case IF_PHONE:
    case IF_EMAIL: case IF_COORDS: case IF_ATTACHMENTS:
        return 1;
    default:
        return 0;
    }
}

int intake_is_multiline(enum intake_field f)
{
    return f == IF_DESCRIPTION || f == IF_ANSWER || f == IF_ATTACHMENTS;
}

int intake_field_shown(const struct intake *in, enum intake_field f)
{
    return f != IF_ANSWER || strcmp(in->kind, "question") == 0;
}

const char *intake_text(const struct intake *in, enum intake_field f)
{
    return in->text[f] ? in->text[f] : "";
}

void intake_set_text(struct intake *in, enum intake_field f, const char *value)
{
    free(in->text[f]);
    in->text[f] = value && *value ? xstrdup(value) : NULL;
}

int intake_dirty(const struct intake *in)
{
    int i;

    for (i = 0; i < IF_COUNT; i++)
        if (in->text[i] && !str_empty(in->text[i]))
            return 1;
    return in->category_id != 0 || (in->district_id != 0 && in->district_src == DSRC_HAND) ||
           in->wants_updates;
}

int intake_required(const struct intake *in, enum intake_field f)
{
    int question = strcmp(in->kind, "question") == 0;

    if (f == IF_DESCRIPTION)
        return 1;
    if (question)
        return 0;
    return f == IF_CATEGORY || f == IF_ADDRESS;
}

static int blank(const struct intake *in, enum intake_field f)
{
    return !in->text[f] || str_empty(in->text[f]);
}

enum intake_field intake_check(const struct intake *in, char *why, size_t size)
{
    int question = strcmp(in->kind, "question") == 0;
    double lat, lon;
    int coords = parse_coords(intake_text(in, IF_COORDS), &lat, &lon);

    why[0] = '\0';
    if (!question && in->category_id == 0) {
        snprintf(why, size, "%s", _("Choose the category: type a few letters of it."));
        return IF_CATEGORY;
    }
    if (!question && blank(in, IF_ADDRESS) && coords != 0) {
        snprintf(why, size, "%s", _("Where is it? Give the address or the coordinates."));
        return IF_ADDRESS;
    }
    if (blank(in, IF_DESCRIPTION)) {
        snprintf(why, size, "%s", question ? _("Write down the question.") : _("Describe the problem."));
        return IF_DESCRIPTION;
    }
    if (!blank(in, IF_PHONE) && !phone_ok(intake_text(in, IF_PHONE))) {
        snprintf(why, size, "%s", _("The phone number should be digits (spaces, + and - are fine)."));
        return IF_PHONE;
    }
    if (!blank(in, IF_EMAIL) && !email_ok(intake_text(in, IF_EMAIL))) {
        snprintf(why, size, "%s", _("This is not an e-mail address."));
        return IF_EMAIL;
    }
    if (in->wants_updates && blank(in, IF_EMAIL)) {
        snprintf(why, size, "%s", _("Updates go by e-mail: give the address, or answer \"no\" to updates."));
        return IF_EMAIL;
    }
    if (coords < 0) {
        snprintf(why, size, "%s", _("Coordinates are latitude and longitude, e.g. 42.6977, 23.3219."));
        return IF_COORDS;
    }
    if (!blank(in, IF_ATTACHMENTS)) {
        const char *p = intake_text(in, IF_ATTACHMENTS);

        while (*p) {
            size_t n = strcspn(p, "\n");
            char line[2048];

            snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), p);
            str_trim(line);
            if (*line && !attachment_ok(line)) {
                snprintf(why, size, _("\"%s\" is neither a link (https://…) nor a file path (/…)."), line);
                return IF_ATTACHMENTS;
            }
            p += n;
            if (*p)
                p++;
        }
    }
    return IF_COUNT;
}

/* ---- values ----------------------------------------------------------- */

static int read_number(const char *s, double *v)
{
    char buf[64], *end;
    size_t i;

    str_copy(buf, sizeof buf, s);
    str_trim(buf);
    if (!*buf)
        return -1;
    for (i = 0; buf[i]; i++)
        if (buf[i] == ',')
            buf[i] = '.';
    *v = strtod(buf, &end);
    return *end == '\0' && isfinite(*v) ? 0 : -1;
}

int parse_coords(const char *s, double *lat, double *lon)
{
    char buf[128], *a, *b;
    const char *sep;

    str_copy(buf, sizeof buf, s ? s : "");
    str_trim(buf);
    if (!*buf)
        return 1;
    /* the separator: ';', ", ", a single ',' between two numbers, or spaces */
    if ((sep = strchr(buf, ';')) != NULL || (sep = strstr(buf, ", ")) != NULL) {
        a = buf;
        b = (char *)sep + 1;
        buf[sep - buf] = '\0';
    } else if (strchr(buf, ' ') || strchr(buf, '\t')) {
        a = buf;
        b = buf + strcspn(buf, " \t");
        *b++ = '\0';
    } else if (strchr(buf, ',') && strchr(buf, ',') == strrchr(buf, ',')) {
        a = buf;
        b = strchr(buf, ',');
        *b++ = '\0';
    } else {
        return -1;
    }
    if (read_number(a, lat) < 0 || read_number(b, lon) < 0)
        return -1;
    if (*lat < -90 || *lat > 90 || *lon < -180 || *lon > 180)
        return -1;
    return 0;
}

int email_ok(const char *s)
{
    const char *at, *dot, *p;

    if (!s || strlen(s) > 254)
        return 0;
    at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@'))
        return 0;
    for (p = s; *p; p++)
        if (isspace((unsigned char)*p) || strchr(",;<>()[]\"\\:", *p) || (unsigned char)*p < 32)
            return 0;
    dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || !dot[1] || strstr(at, ".."))
        return 0;
    return 1;
}

int phone_ok(const char *s)
{
    int digits = 0;

    for (; s && *s; s++) {
        if (isdigit((unsigned char)*s))
            digits++;
        else if (!strchr(" +-()/.", *s))
            return 0;
    }
    return digits >= 3 && digits <= 20;
}

int attachment_ok(const char *s)
{
    static const char *const schemes[] = { "http://", "https://", "ftp://", "file://" };
    size_t i;

    if (!s || !*s)
        return 0;
    for (i = 0; i < ARRAY_SIZE(schemes); i++) {
        size_t n = strlen(schemes[i]);

        if (strncasecmp(s, schemes[i], n) == 0)
            return s[n] != '\0' && !strchr(s, ' ');
    }
    if (s[0] == '/' && s[1])
        return 1;
    if (s[0] == '~' && s[1] == '/' && s[2])
        return 1;
    /* C:\Users\... from a Windows share */
    if (isalpha((unsigned char)s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/') && s[3])
        return 1;
    return 0;
}

/* ---- where ------------------------------------------------------------ */

int district_nearest(double lat, double lon, const struct district_ref *d, int n)
{
    int i, best = -1;
    double best_score = 0;

    for (i = 0; i < n; i++) {
        double dy = (lat - d[i].lat) * 110.57;
        double dx = (lon - d[i].lon) * 111.32 * cos(d[i].lat * M_PI / 180.0);
        double km = sqrt(dx * dx + dy * dy);
        double score = km / (d[i].radius_km > 0.1 ? d[i].radius_km : 0.1);

        if (best < 0 || score < best_score) {
            best = i;
            best_score = score;
        }
    }
    /* more than four radii from the nearest centre: outside the map */
    return best >= 0 && best_score <= 4.0 ? best : -1;
}

/* What may stand right before a district's name in an address. */
static const char *const district_markers[] = {
    "ж.к.", "жк", "ж.к", "кв.", "кв", "квартал", "район", "р-н", "р-н.", "гр.", "с.",
};

static int letter_at(const char *s)
{
    unsigned cp;

    if (utf8_decode(s, &cp) <= 0)
        return 0;
    return isalnum((int)(cp < 128 ? cp : 0)) || cp >= 0x400;
}

/* Does the lower-case address name at pos something we accept as "in the
 * district": the start of the text or after a marker word? */
static int marked_before(const char *addr, const char *pos)
{
    const char *p = pos;
    size_t i;

    while (p > addr && (p[-1] == ' ' || p[-1] == '\t'))
        p--;
    if (p == addr)
        return 1;
    for (i = 0; i < ARRAY_SIZE(district_markers); i++) {
        size_t n = strlen(district_markers[i]);
        const char *m = p - n;

        if (m >= addr && strncmp(m, district_markers[i], n) == 0 &&
            (m == addr || m[-1] == ' ' || m[-1] == ',' || m[-1] == '('))
            return 1;
    }
    return 0;
}

int district_in_address(const char *address, const struct district_ref *d, int n)
{
    char addr[1024], name[256];
    int i, best = -1;
    size_t best_len = 0;

    utf8_lower(address ? address : "", addr, sizeof addr);
    for (i = 0; i < n; i++) {
        const char *p = addr;
        size_t len;

        utf8_lower(d[i].name, name, sizeof name);
        len = strlen(name);
        if (!len)
            continue;
        while ((p = strstr(p, name)) != NULL) {
            if (marked_before(addr, p) && !letter_at(p + len) && len > best_len) {
                best = i;
                best_len = len;
                break;
            }
            p += len;
        }
    }
    return best;
}

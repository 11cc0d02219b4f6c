#include "intake.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* ---- drafts ------------------------------------------------------------ */

#define DRAFT_HEAD "signaldesk intake draft 1"
#define DRAFT_PREFIX "intake-draft-"

static const char *const draft_text_names[IF_COUNT] = {
    [IF_ADDRESS] = "address", [IF_DESCRIPTION] = "description", [IF_ANSWER] = "answer",
    [IF_NAME] = "name", [IF_PHONE] = "phone", [IF_EMAIL] = "email", [IF_COORDS] = "coords",
    [IF_ATTACHMENTS] = "attachments",
};

static void put_value(FILE *f, const char *name, const char *v)
{
    fprintf(f, "%s\t", name);
    for (; *v; v++) {
        if (*v == '\\')
            fputs("\\\\", f);
        else if (*v == '\n')
            fputs("\\n", f);
        else if (*v == '\t')
            fputs("\\t", f);
        else
            fputc(*v, f);
    }
    fputc('\n', f);
}

int intake_draft_write(const struct intake *in, FILE *f)
{
    char num[32];
    int i;

    fprintf(f, "%s\n", DRAFT_HEAD);
    put_value(f, "key", in->key);
    put_value(f, "kind", in->kind);
    put_value(f, "channel", in->channel);
    snprintf(num, sizeof num, "%d", in->category_id);
    put_value(f, "category_id", num);
    put_value(f, "category", in->category);
    snprintf(num, sizeof num, "%d", in->district_id);
    put_value(f, "district_id", num);
    put_value(f, "district", in->district);
    snprintf(num, sizeof num, "%d", (int)in->district_src);
    put_value(f, "district_src", num);
    snprintf(num, sizeof num, "%d", in->wants_updates);
    put_value(f, "wants_updates", num);
    for (i = 0; i < IF_COUNT; i++)
        if (draft_text_names[i] && in->text[i])
            put_value(f, draft_text_names[i], in->text[i]);
    return ferror(f) ? -1 : 0;
}

/* Undoes put_value's escapes in place. */
static void unescape(char *s)
{
    char *o = s;

    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *o++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
}

int intake_draft_read(struct intake *in, FILE *f)
{
    struct strbuf line;
    int c, first = 1, ok = 0;

    intake_init(in);
    sb_init(&line);
    for (;;) {
        char *tab, *v;
        int i;

        sb_clear(&line);
        while ((c = fgetc(f)) != EOF && c != '\n') {
            char ch = (char)c;

            sb_addn(&line, &ch, 1);
        }
        if (c == EOF && line.len == 0)
            break;
        sb_add(&line, "");
        if (first) {
            first = 0;
            if (strcmp(line.buf, DRAFT_HEAD) != 0)
                break;
            ok = 1;
            continue;
        }
        tab = strchr(line.buf, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        v = tab + 1;
        unescape(v);
        if (strcmp(line.buf, "key") == 0)
            str_copy(in->key, sizeof in->key, v);
        else if (strcmp(line.buf, "kind") == 0)
            str_copy(in->kind, sizeof in->kind, strcmp(v, "question") == 0 ? "question" : "problem");
        else if (strcmp(line.buf, "channel") == 0 && *v)
            str_copy(in->channel, sizeof in->channel, v);
        else if (strcmp(line.buf, "category_id") == 0)
            in->category_id = atoi(v);
        else if (strcmp(line.buf, "category") == 0)
            str_copy(in->category, sizeof in->category, v);
        else if (strcmp(line.buf, "district_id") == 0)
            in->district_id = atoi(v);
        else if (strcmp(line.buf, "district") == 0)
            str_copy(in->district, sizeof in->district, v);
        else if (strcmp(line.buf, "district_src") == 0)
            in->district_src = atoi(v) >= DSRC_NONE && atoi(v) <= DSRC_HISTORY ? (enum district_source)atoi(v)
                                                                              : DSRC_NONE;
        else if (strcmp(line.buf, "wants_updates") == 0)
            in->wants_updates = atoi(v) != 0;
        else
            for (i = 0; i < IF_COUNT; i++)
                if (draft_text_names[i] && strcmp(line.buf, draft_text_names[i]) == 0)
                    intake_set_text(in, (enum intake_field)i, v);
    }
    sb_free(&line);
    if (!ok) {
        intake_free(in);
        intake_init(in);
        return -1;
    }
    return 0;
}

int intake_draft_keep(const struct intake *in, const char *dir)
{
    char tmp[4096], path[4096], stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    FILE *f;
    int fd, rc;

    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
    snprintf(path, sizeof path, "%s/" DRAFT_PREFIX "%s-%ld", dir, stamp, (long)getpid());
    snprintf(tmp, sizeof tmp, "%s/.draft-%ld.tmp", dir, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    rc = intake_draft_write(in, f);
    if (fflush(f) != 0 || fsync(fileno(f)) != 0)
        rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    /* a draft is there whole or not at all */
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0)
        unlink(tmp);
    return rc;
}

/* The name of the oldest draft in dir (the names sort by time). */
static int oldest_draft(const char *dir, char *name, size_t size, int *count)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    name[0] = '\0';
    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, DRAFT_PREFIX, strlen(DRAFT_PREFIX)) != 0)
            continue;
        n++;
        if (!name[0] || strcmp(e->d_name, name) < 0)
            str_copy(name, size, e->d_name);
    }
    closedir(d);
    if (count)
        *count = n;
    return n > 0;
}

int intake_draft_count(const char *dir)
{
    char name[256];
    int n = 0;

    oldest_draft(dir, name, sizeof name, &n);
    return n;
}

int intake_draft_take(struct intake *in, const char *dir)
{
    char name[256], path[4096];
    FILE *f;
    int rc;

    if (!oldest_draft(dir, name, sizeof name, NULL))
        return 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "r");
    if (!f)
        return 0;
    rc = intake_draft_read(in, f);
    fclose(f);
    if (rc != 0) {
        /* not ours to read: set aside, never lost */
        char aside[4200];

        snprintf(aside, sizeof aside, "%s/unreadable-%s", dir, name);
        rename(path, aside);
        return 0;
    }
    unlink(path);
    return 1;
}

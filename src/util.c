#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

void (*die_hook)(void);

_Noreturn void die(const char *fmt, ...)
{
    va_list ap;

    if (die_hook)
        die_hook();
    fputs("signaldesk: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        die("out of memory");
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        die("out of memory");
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(xmalloc(n), s, n);
}

void sb_init(struct strbuf *sb)
{
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

void sb_free(struct strbuf *sb)
{
    free(sb->buf);
    sb_init(sb);
}

static void sb_grow(struct strbuf *sb, size_t more)
{
    if (sb->len + more + 1 <= sb->cap)
        return;
    sb->cap = sb->cap ? sb->cap * 2 : 64;
    while (sb->cap < sb->len + more + 1)
        sb->cap *= 2;
    sb->buf = xrealloc(sb->buf, sb->cap);
}

void sb_addn(struct strbuf *sb, const char *s, size_t n)
{
    sb_grow(sb, n);
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_add(struct strbuf *sb, const char *s)
{
    sb_addn(sb, s, strlen(s));
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;
    char probe[1];

    va_start(ap, fmt);
    n = vsnprintf(probe, sizeof probe, fmt, ap);   /* the length it needs */
    va_end(ap);
    if (n < 0)
        return;
    sb_grow(sb, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void sb_clear(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->buf)
        sb->buf[0] = '\0';
}

char *sb_steal(struct strbuf *sb)
{
    char *s = sb->buf ? sb->buf : xstrdup("");

    sb_init(sb);
    return s;
}

void str_copy(char *dst, size_t size, const char *src)
{
    size_t n;

    if (!size)
        return;
    n = strlen(src);
    if (n >= size) {
        n = size - 1;
        /* step back over continuation bytes so no character is cut */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int str_empty(const char *s)
{
    if (!s)
        return 1;
    while (*s && isspace((unsigned char)*s))
        s++;
    return *s == '\0';
}

char *str_trim(char *s)
{
    char *start = s, *end;

    while (*start && isspace((unsigned char)*start))
        start++;
    end = start + strlen(start);
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    *end = '\0';
    if (start != s)
        memmove(s, start, (size_t)(end - start) + 1);
    return s;
}

char *str_given(char *s)
{
    if (!s)
        return NULL;
    if (!*str_trim(s)) {
        free(s);
        return NULL;
    }
    return s;
}

int utf8_decode(const char *s, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    int n, i;
    unsigned c;

    if (!u[0])
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if ((u[0] & 0xE0) == 0xC0) {
        n = 2;
        c = u[0] & 0x1F;
    } else if ((u[0] & 0xF0) == 0xE0) {
        n = 3;
        c = u[0] & 0x0F;
    } else if ((u[0] & 0xF8) == 0xF0) {
        n = 4;
        c = u[0] & 0x07;
    } else {
        return -1;
    }
    for (i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return -1;
        c = (c << 6) | (u[i] & 0x3F);
    }
    if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
        c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return -1;
    *cp = c;
    return n;
}

int utf8_encode(unsigned cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int cp_width(unsigned cp)
{
    int w = wcwidth((wchar_t)cp);

    if (cp == '\t')
        return 1;
    return w < 0 ? 1 : w;
}

int utf8_width(const char *s)
{
    int w = 0, n;
    unsigned cp;

    while ((n = utf8_decode(s, &cp)) != 0) {
        if (n < 0) {
            w++;
            s++;
            continue;
        }
        w += cp_width(cp);
        s += n;
    }
    return w;
}

size_t utf8_fit(const char *s, int width)
{
    const char *p = s;
    int w = 0, n, cw;
    unsigned cp;

    while ((n = utf8_decode(p, &cp)) != 0) {
        if (n < 0) {
            n = 1;
            cw = 1;
        } else {
            cw = cp_width(cp);
        }
        if (w + cw > width)
            break;
        w += cw;
        p += n;
    }
    return (size_t)(p - s);
}

void sb_cell(struct strbuf *sb, const char *s, int width, int right)
{
    int w = utf8_width(s);

    if (width <= 0)
        return;
    if (w > width) {
        sb_addn(sb, s, utf8_fit(s, width - 1));
        sb_add(sb, "…");
        return;
    }
    if (right)
        sb_addf(sb, "%*s", width - w, "");
    sb_add(sb, s);
    if (!right)
        sb_addf(sb, "%*s", width - w, "");
}

int state_path(const char *name, char *out, size_t size)
{
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    char dir[4096], *p;

    if (xdg && *xdg)
        snprintf(dir, sizeof dir, "%s/signaldesk", xdg);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.local/state/signaldesk", home);
    else
        return -1;
    /* the directories one by one, as mkdir -p */
    for (p = dir + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return -1;
    if ((size_t)snprintf(out, size, "%s%s%s", dir, *name ? "/" : "", name) >= size)
        return -1;
    return 0;
}

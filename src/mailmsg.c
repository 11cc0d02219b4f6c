#include "mailmsg.h"

#include <stdio.h>
#include <string.h>

int mail_address_ok(const char *addr)
{
    const char *p, *at;

    if (!addr || !*addr || strlen(addr) > 254)
        return 0;
    for (p = addr; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || strchr(",;<>()[]\"\\:", *p))
            return 0;
    at = strchr(addr, '@');
    return at && at != addr && at[1] && !strchr(at + 1, '@');
}

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80 || (unsigned char)*s < 32)
            return 0;
    return 1;
}

static void base64(struct strbuf *out, const unsigned char *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;

    for (i = 0; i + 2 < n; i += 3) {
        char q[4] = { tab[s[i] >> 2], tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)],
                      tab[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)], tab[s[i + 2] & 63] };

        sb_addn(out, q, 4);
    }
    if (n - i == 1) {
        char q[4] = { tab[s[i] >> 2], tab[(s[i] & 3) << 4], '=', '=' };

        sb_addn(out, q, 4);
    } else if (n - i == 2) {
        char q[4] = { tab[s[i] >> 2], tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)], tab[(s[i + 1] & 15) << 2], '=' };

        sb_addn(out, q, 4);
    }
}

/* Encoded words of at most 39 bytes of text each (52 characters of
 * base64, 64 with the =?UTF-8?B? ?= around them), never splitting a
 * character; each on its own folded line after the first. */
static void encode_words(struct strbuf *out, const char *s, size_t first_room)
{
    int first = 1;

    (void)first_room;
    while (*s) {
        size_t n = 0;

        while (s[n]) {
            unsigned cp;
            int k = utf8_decode(s + n, &cp);

            if (k <= 0)
                k = 1;
            if (n + (size_t)k > 39)
                break;
            n += (size_t)k;
        }
        if (!first)
            sb_add(out, "\n ");
        sb_add(out, "=?UTF-8?B?");
        base64(out, (const unsigned char *)s, n);
        sb_add(out, "?=");
        s += n;
        first = 0;
    }
}

void mail_header(struct strbuf *out, const char *name, const char *value, const char *addr)
{
    sb_addf(out, "%s: ", name);
    if (value && *value) {
        if (is_ascii(value))
            sb_add(out, value);
        else
            encode_words(out, value, 76 - strlen(name));
        if (addr)
            sb_add(out, " ");
    }
    if (addr)
        sb_addf(out, "<%s>", addr);
    sb_add(out, "\n");
}

/* Splits "Name <addr>" (or a bare address) into its parts. */
static int split_address(const char *s, char *name, size_t nsize, char *addr, size_t asize)
{
    const char *lt = strchr(s, '<'), *gt = lt ? strchr(lt, '>') : NULL;

    if (!lt) {
        name[0] = '\0';
        str_copy(addr, asize, s);
        str_trim(addr);
    } else {
        size_t n = (size_t)(lt - s);

        if (!gt)
            return -1;
        snprintf(name, nsize, "%.*s", (int)(n < nsize - 1 ? n : nsize - 1), s);
        str_trim(name);
        /* a quoted display name loses its quotes; we encode it anyway */
        if (name[0] == '"' && strlen(name) > 1 && name[strlen(name) - 1] == '"') {
            memmove(name, name + 1, strlen(name));
            name[strlen(name) - 1] = '\0';
        }
        snprintf(addr, asize, "%.*s", (int)(gt - lt - 1), lt + 1);
    }
    return mail_address_ok(addr) ? 0 : -1;
}

/* The body in lines of at most 76 characters, broken at spaces where it can
 * be (a word longer than a line is broken where it must). */
static void add_body(struct strbuf *out, const char *body)
{
    const char *p = body;

    while (*p) {
        size_t para = strcspn(p, "\n");
        const char *end = p + para;

        while (p < end) {
            size_t bytes = 0, last_space = 0;
            int chars = 0;

            while (p + bytes < end && chars < 76) {
                unsigned cp;
                int k = utf8_decode(p + bytes, &cp);

                if (k <= 0)
                    k = 1;
                if (p[bytes] == ' ')
                    last_space = bytes;
                bytes += (size_t)k;
                chars++;
            }
            if (p + bytes < end && last_space > 0 && p[bytes] != ' ')
                bytes = last_space;
            {
                size_t keep = bytes;

                while (keep > 0 && p[keep - 1] == ' ')
                    keep--;
                sb_addn(out, p, keep);
                sb_add(out, "\n");
            }
            p += bytes;
            while (p < end && *p == ' ')
                p++;
        }
        if (para == 0)
            sb_add(out, "\n");
        p = *end ? end + 1 : end;
    }
}

int mail_build(struct strbuf *out, const char *from, const char *to, const char *subject,
               const char *body, long long id)
{
    char name[256], addr[256];

    if (!mail_address_ok(to))
        return -1;
    if (from && *from) {
        if (split_address(from, name, sizeof name, addr, sizeof addr) < 0)
            return -1;
        mail_header(out, "From", name, addr);
    }
    mail_header(out, "To", NULL, to);
    mail_header(out, "Subject", subject, NULL);
    sb_add(out, "MIME-Version: 1.0\n"
                "Content-Type: text/plain; charset=UTF-8\n"
                "Content-Transfer-Encoding: 8bit\n"
                "Auto-Submitted: auto-generated\n");
    sb_addf(out, "X-Signaldesk-Notification: %lld\n", id);
    sb_add(out, "\n");
    add_body(out, body ? body : "");
    return 0;
}

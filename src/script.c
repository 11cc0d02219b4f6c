#include "script.h"

#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "i18n.h"
#include "keys.h"
#include "ui.h"
#include "util.h"

static FILE *script;
static int pending[512];
static int npending, ipending;
static long lineno;

static void on_watchdog(int sig)
{
    static const char msg[] = "signaldesk: the script did not finish in time (watchdog)\n";

    (void)sig;
    endwin();
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing more to do */
    }
    _exit(124);
}

int script_open(const char *path, char *err, size_t errsz)
{
    const char *t = getenv("SIGNALDESK_SCRIPT_TIMEOUT");
    int seconds = t ? atoi(t) : 60;

    script = fopen(path, "r");
    if (!script) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    signal(SIGALRM, on_watchdog);
    alarm(seconds > 0 ? (unsigned)seconds : 60);
    return 0;
}

int script_dump(const char *path)
{
    FILE *f = fopen(path, "w");
    int y, x;

    if (!f)
        return -1;
    for (y = 0; y < LINES; y++) {
        struct strbuf line;
        size_t keep = 0;

        sb_init(&line);
        for (x = 0; x < COLS; x++) {
            cchar_t cc;
            wchar_t wc[CCHARW_MAX + 1];
            attr_t attrs;
            short pair;
            char mb[MB_LEN_MAX * (CCHARW_MAX + 1) + 1];
            size_t n;

            if (mvwin_wch(curscr, y, x, &cc) == ERR)
                break;
            if (getcchar(&cc, wc, &attrs, &pair, NULL) == ERR)
                continue;
            if (wc[0] == 0)
                continue;   /* the right half of a wide character */
            n = wcstombs(mb, wc, sizeof mb);
            if (n == (size_t)-1) {
                strcpy(mb, "?");
                n = 1;
            }
            sb_addn(&line, mb, n);
            if (!(wc[0] == L' ' && wc[1] == 0))
                keep = line.len;
        }
        fprintf(f, "%.*s\n", (int)keep, line.buf ? line.buf : "");
        sb_free(&line);
    }
    return fclose(f);
}

static void push_key(int k)
{
    if (npending < (int)ARRAY_SIZE(pending))
        pending[npending++] = k;
}

/* Turns a line of keys into pending keys: "jj<Enter>", "Мария<Tab>". */
static void parse_keys(const char *s)
{
    while (*s) {
        unsigned cp;
        int n;

        if (*s == '<') {
            const char *end = strchr(s, '>');

            if (end && end > s + 1) {
                char name[32];
                int k;

                size_t len = (size_t)(end - s - 1);

                if (len >= sizeof name)
                    len = sizeof name - 1;
                memcpy(name, s + 1, len);
                name[len] = '\0';
                k = key_parse(name);
                if (k >= 0) {
                    push_key(k);
                    s = end + 1;
                    continue;
                }
                fprintf(stderr, "signaldesk: script line %ld: unknown key <%s>\n", lineno, name);
            }
        }
        n = utf8_decode(s, &cp);
        if (n <= 0) {
            s++;
            continue;
        }
        push_key((int)cp);
        s += n;
    }
}

static int wait_notify(struct app *app)
{
    struct pollfd fd;

    fd.fd = db_socket(app->db);
    fd.events = POLLIN;
    if (fd.fd < 0)
        return PSEUDO_LOST;
    for (;;) {
        int n = db_drain_notifications(app->db);

        if (n < 0)
            return PSEUDO_LOST;
        if (n > 0)
            return PSEUDO_NOTIFY;
        if (poll(&fd, 1, -1) < 0 && errno != EINTR)
            return PSEUDO_LOST;
    }
}

int script_next_key(struct app *app)
{
    char buf[4096];

    for (;;) {
        if (ipending < npending)
            return pending[ipending++];
        npending = ipending = 0;
        if (!script || !fgets(buf, sizeof buf, script))
            return PSEUDO_EOF;
        lineno++;
        buf[strcspn(buf, "\n")] = '\0';
        if (buf[0] == '#' || buf[0] == '\0')
            continue;
        if (strncmp(buf, ":dump ", 6) == 0) {
            /* the screen as the person sees it now: every screen, menu and
             * prompt has updated the terminal before it asks for a key */
            if (script_dump(str_trim(buf + 6)) != 0)
                fprintf(stderr, "signaldesk: script line %ld: cannot write %s\n", lineno, buf + 6);
            continue;
        }
        if (strncmp(buf, ":resize ", 8) == 0) {
            int c, r;

            if (sscanf(buf + 8, "%dx%d", &c, &r) == 2 && c > 0 && r > 0) {
                resizeterm(r, c);
                return -1;
            }
            fprintf(stderr, "signaldesk: script line %ld: :resize COLSxROWS\n", lineno);
            continue;
        }
        if (strncmp(buf, ":run ", 5) == 0) {
            /* another operator's action, in the middle of ours */
            int st = system(buf + 5);

            if (st != 0)
                fprintf(stderr, "signaldesk: script line %ld: '%s' exited with %d\n", lineno, buf + 5, st);
            continue;
        }
        if (strcmp(buf, ":wait-notify") == 0)
            return wait_notify(app);
        if (buf[0] == ':' && buf[1] != '\0' && buf[1] != ':') {
            fprintf(stderr, "signaldesk: script line %ld: unknown command %s\n", lineno, buf);
            continue;
        }
        parse_keys(buf[0] == ':' ? buf + 1 : buf);
    }
}

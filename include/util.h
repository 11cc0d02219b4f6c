#ifndef SIGNALDESK_UTIL_H
#define SIGNALDESK_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Allocation that cannot fail: out of memory ends the program (via die). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Called on out-of-memory and fatal start-up errors.  The UI installs a hook
 * that ends curses first, so the message lands on a sane terminal. */
extern void (*die_hook)(void);
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growing string. */
struct strbuf {
    char *buf;
    size_t len, cap;
};
void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_clear(struct strbuf *sb);
/* Takes the buffer out; the strbuf is empty afterwards. */
char *sb_steal(struct strbuf *sb);

/* Bounded copy that always terminates and never cuts a UTF-8 character in two. */
void str_copy(char *dst, size_t size, const char *src);
int str_empty(const char *s);
/* Removes leading and trailing white space in place; returns s. */
char *str_trim(char *s);
/* What a prompt gave when something must be typed: s trimmed, or NULL
 * (s freed) when s is NULL or nothing is left. */
char *str_given(char *s);

/* Display width of a UTF-8 string (wcwidth per character; invalid bytes count 1). */
int utf8_width(const char *s);
/* Byte length of the longest prefix of s that fits in width columns. */
size_t utf8_fit(const char *s, int width);
/* Adds s to sb as a cell of width columns: padded with spaces, or cut with
 * "…"; right: a text that fits goes to the right.  Nothing when width <= 0. */
void sb_cell(struct strbuf *sb, const char *s, int width, int right);
/* Decode one UTF-8 character; returns bytes used (0 at the end, -1 on invalid). */
int utf8_decode(const char *s, unsigned *cp);
/* Encode a code point into out (room for 4 bytes, not terminated); returns bytes. */
int utf8_encode(unsigned cp, char *out);

/* The path of name in the per-user state directory
 * ($XDG_STATE_HOME/signaldesk, else ~/.local/state/signaldesk), made (0700)
 * when missing; name "" gives the directory.  0, or -1. */
int state_path(const char *name, char *out, size_t size);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif

/*
 * Tiny single-header unit-test framework (in the spirit of acutest).
 *
 *     #include "test.h"
 *     TEST(test_add) { CHECK_INT(1 + 1, 2); CHECK_STR(name(), "x"); }
 *     TEST_LIST = { {"add", test_add}, {NULL, NULL} };
 *
 * Checks do not stop the test; each failure prints
 * "FAIL NAME: file:line: message", a passing test prints "ok NAME", and the
 * run ends with "unit: N passed, N failed".  Exit code 0 only if nothing
 * failed.  Arguments: test names to run (default all), -l to list them.
 * Include it in exactly one file per test program (it defines main()).
 */
#ifndef SIGNALDESK_TEST_H
#define SIGNALDESK_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct test_entry {
    const char *name;
    void (*func)(void);
};

extern const struct test_entry test_list_[];

#define TEST(name) static void name(void)
#define TEST_LIST const struct test_entry test_list_[]

#define CHECK(cond) test_check_((cond) != 0, __FILE__, __LINE__, "CHECK(%s)", #cond)
#define CHECK_INT(a, b) \
    test_check_int_((long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_STR(a, b) test_check_str_((a), (b), #a, #b, __FILE__, __LINE__)

static const char *test_name_;
static int test_failed_;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static inline int test_check_(int ok, const char *file, int line, const char *fmt, ...);

static inline int test_check_(int ok, const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    if (ok)
        return 1;
    test_failed_ = 1;
    printf("FAIL %s: %s:%d: ", test_name_, file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    return 0;
}

static inline int test_check_int_(long long a, long long b, const char *ea, const char *eb,
                           const char *file, int line)
{
    return test_check_(a == b, file, line, "CHECK_INT(%s, %s): %lld != %lld",
                       ea, eb, a, b);
}

/* Quote s into buf, escaping control bytes, '"' and '\'. */
static inline const char *test_quote_(const char *s, char *buf, size_t size)
{
    size_t n = 0;

    if (!s)
        return "NULL";
    buf[n++] = '"';
    for (; *s && n + 6 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7F || c == '"' || c == '\\')
            n += (size_t)snprintf(buf + n, size - n,
                                  c == '"' || c == '\\' ? "\\%c" : "\\x%02X", c);
        else
            buf[n++] = (char)c;
    }
    if (*s)
        n += (size_t)snprintf(buf + n, size - n, "...");
    snprintf(buf + n, size - n, "\"");
    return buf;
}

static inline int test_check_str_(const char *a, const char *b, const char *ea, const char *eb,
                           const char *file, int line)
{
    char qa[512], qb[512];
    int ok = (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;

    return test_check_(ok, file, line, "CHECK_STR(%s, %s): %s != %s", ea, eb,
                       test_quote_(a, qa, sizeof qa), test_quote_(b, qb, sizeof qb));
}

int main(int argc, char **argv)
{
    const struct test_entry *t;
    int passed = 0, failed = 0, i, run;

    if (argc == 2 && strcmp(argv[1], "-l") == 0) {
        for (t = test_list_; t->name; t++)
            puts(t->name);
        return 0;
    }
    for (i = 1; i < argc; i++) { /* unknown names are failures */
        for (t = test_list_; t->name && strcmp(t->name, argv[i]) != 0; t++)
            ;
        if (!t->name) {
            printf("FAIL %s: no such test\n", argv[i]);
            failed++;
        }
    }
    for (t = test_list_; t->name; t++) {
        for (run = argc < 2, i = 1; i < argc && !run; i++)
            run = strcmp(t->name, argv[i]) == 0;
        if (!run)
            continue;
        test_name_ = t->name;
        test_failed_ = 0;
        t->func();
        if (test_failed_) {
            failed++;
        } else {
            passed++;
            printf("ok %s\n", t->name);
        }
        fflush(stdout);
    }
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#endif

/* Unit tests of the messages handed to sendmail. */
#include <stdlib.h>
#include <string.h>

#include "mailmsg.h"
#include "test.h"
#include "util.h"

TEST(addresses_that_cannot_inject)
{
    CHECK(mail_address_ok("maria@example.bg"));
    CHECK(!mail_address_ok(""));
    CHECK(!mail_address_ok("maria"));
    CHECK(!mail_address_ok("maria@example.bg\nBcc: all@example.bg"));
    CHECK(!mail_address_ok("a@example.bg, b@example.bg"));
    CHECK(!mail_address_ok("Мария <maria@example.bg>"));
    CHECK(!mail_address_ok("мария@пример.бг"));
}

TEST(headers_are_encoded_and_folded)
{
    struct strbuf sb;
    const char *p;

    sb_init(&sb);
    mail_header(&sb, "Subject", "Signal 7: closed", NULL);
    CHECK_STR(sb.buf, "Subject: Signal 7: closed\n");
    sb_clear(&sb);
    mail_header(&sb, "Subject", "Сигнал СО26-КЦ-000160: регистриран, с дълъг текст за проверка на сгъването", NULL);
    CHECK(strncmp(sb.buf, "Subject: =?UTF-8?B?", 19) == 0);
    /* every line short, continuation lines start with a space */
    for (p = sb.buf; *p;) {
        size_t n = strcspn(p, "\n");

        CHECK(n <= 78);
        if (p != sb.buf)
            CHECK(*p == ' ');
        p += n + (p[n] != 0);
    }
    /* "Сиг" is 0xD0A1 0xD0B8 0xD0B3 */
    CHECK(strstr(sb.buf, "=?UTF-8?B?0KHQuNCz") != NULL);
    sb_clear(&sb);
    mail_header(&sb, "From", "Столична община", "signali@sofia.example.bg");
    CHECK(strstr(sb.buf, "?= <signali@sofia.example.bg>\n") != NULL);
    sb_free(&sb);
}

TEST(message_is_whole)
{
    struct strbuf sb;
    char body[600];
    const char *p;
    int i;

    /* one long paragraph: lines of at most 76 characters */
    body[0] = '\0';
    for (i = 0; i < 30; i++)
        strcat(body, "дума ");
    strcat(body, "\n\nкрай\n");
    sb_init(&sb);
    CHECK_INT(mail_build(&sb, "Столична община <signali@sofia.example.bg>", "maria@example.bg",
                         "Сигнал: решен", body, 42), 0);
    CHECK(strstr(sb.buf, "To: <maria@example.bg>\n") != NULL);
    CHECK(strstr(sb.buf, "Content-Type: text/plain; charset=UTF-8\n") != NULL);
    CHECK(strstr(sb.buf, "X-Signaldesk-Notification: 42\n") != NULL);
    p = strstr(sb.buf, "\n\n");
    CHECK(p != NULL);
    for (p = p + 2; p && *p;) {
        size_t n = strcspn(p, "\n");
        char line[1024];

        snprintf(line, sizeof line, "%.*s", (int)n, p);
        CHECK(utf8_width(line) <= 76);
        p += n + (p[n] != 0);
    }
    CHECK(strstr(sb.buf, "дума\n\nкрай\n") != NULL);
    sb_clear(&sb);
    CHECK_INT(mail_build(&sb, "", "bad address", "x", "y", 1), -1);
    CHECK_INT(mail_build(&sb, "Us <no-address>", "a@example.bg", "x", "y", 1), -1);
    sb_free(&sb);
}

TEST_LIST = {
    { "addresses_that_cannot_inject", addresses_that_cannot_inject },
    { "headers_are_encoded_and_folded", headers_are_encoded_and_folded },
    { "message_is_whole", message_is_whole },
    { NULL, NULL }
};

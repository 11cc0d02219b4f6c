/* What admins type is checked before it goes to the database. */
#include <string.h>

#include "adminval.h"
#include "test.h"

static char err[512];

TEST(texts)
{
    CHECK_INT(check_text("Улично осветление", 150, err, sizeof err), 0);
    CHECK_INT(check_text("", 150, err, sizeof err), -1);
    CHECK_INT(check_text("   ", 150, err, sizeof err), -1);
    CHECK_STR(err, "It cannot be empty.");
    CHECK_INT(check_text("ред\nдруг ред", 150, err, sizeof err), -1);
    CHECK_INT(check_text("звънец\a", 150, err, sizeof err), -1);
    CHECK_INT(check_text("\xff\xfe", 150, err, sizeof err), -1);
    CHECK_STR(err, "The text is not valid UTF-8.");
    /* characters, not bytes: 5 Cyrillic letters are 10 bytes */
    CHECK_INT(check_text("абвгд", 5, err, sizeof err), 0);
    CHECK_INT(check_text("абвгде", 5, err, sizeof err), -1);
    CHECK_STR(err, "At most 5 characters, please (this has 6).");
    CHECK_INT(check_body("ред\nдруг ред", 150, err, sizeof err), 0);
    CHECK_INT(check_text("'); DROP TABLE signals; --", 150, err, sizeof err), 0);
}

TEST(emails)
{
    CHECK_INT(check_email("chistota@sofia.example.bg", 0, err, sizeof err), 0);
    CHECK_INT(check_email("", 1, err, sizeof err), 0);
    CHECK_INT(check_email("", 0, err, sizeof err), -1);
    CHECK_INT(check_email("not an address", 1, err, sizeof err), -1);
    CHECK_INT(check_email("a@b", 1, err, sizeof err), -1);
    CHECK_INT(check_email("@sofia.bg", 1, err, sizeof err), -1);
    CHECK_INT(check_email("a@@sofia.bg", 1, err, sizeof err), -1);
    CHECK_INT(check_email("a@sofia.", 1, err, sizeof err), -1);
    CHECK_INT(check_email("a b@sofia.bg", 1, err, sizeof err), -1);
    CHECK_STR(err, "'a b@sofia.bg' is not an e-mail address (name@example.bg).");
}

TEST(logins)
{
    CHECK_INT(check_login("ivanova", err, sizeof err), 0);
    CHECK_INT(check_login("g.dimitrova", err, sizeof err), 0);
    CHECK_INT(check_login("_svc-mail2", err, sizeof err), 0);
    CHECK_INT(check_login("Ivanova", err, sizeof err), -1);
    CHECK_INT(check_login("2ivanova", err, sizeof err), -1);
    CHECK_INT(check_login("иванова", err, sizeof err), -1);
    CHECK_INT(check_login("ivan petrov", err, sizeof err), -1);
    CHECK_INT(check_login("x\"; DROP ROLE postgres; --", err, sizeof err), -1);
    CHECK_INT(check_login("", err, sizeof err), -1);
    CHECK_INT(check_login("pg_monitor", err, sizeof err), -1);
    CHECK_INT(check_login("signaldesk_admin", err, sizeof err), -1);
    CHECK_STR(err, "'signaldesk_admin' is reserved; choose another login.");
    CHECK_INT(check_login("public", err, sizeof err), -1);
    CHECK_INT(check_login("a234567890123456789012345678901234567890123456789012345678901234", err, sizeof err), -1);
}

TEST(hours)
{
    int h = 0;

    CHECK_INT(check_hours("72", &h, err, sizeof err), 0);
    CHECK_INT(h, 72);
    CHECK_INT(check_hours("8760", &h, err, sizeof err), 0);
    CHECK_INT(check_hours("8761", &h, err, sizeof err), -1);
    CHECK_INT(check_hours("0", &h, err, sizeof err), -1);
    CHECK_INT(check_hours("-5", &h, err, sizeof err), -1);
    CHECK_INT(check_hours("много", &h, err, sizeof err), -1);
    CHECK_INT(check_hours("12ч", &h, err, sizeof err), -1);
    CHECK_INT(check_hours("", &h, err, sizeof err), -1);
}

TEST(passwords)
{
    CHECK_INT(check_password("dobra-parola", "ivanova", err, sizeof err), 0);
    CHECK_INT(check_password("парола12", "ivanova", err, sizeof err), 0);
    CHECK_INT(check_password("kratka", "ivanova", err, sizeof err), -1);
    CHECK_STR(err, "A password has at least 8 characters.");
    CHECK_INT(check_password("g.dimitrova", "g.dimitrova", err, sizeof err), -1);
    CHECK_INT(check_password("it's a \"pass\"; --", "x", err, sizeof err), 0);
}

TEST(periods)
{
    char from[11], to[11];

    CHECK_INT(parse_period("20.11.2026", from, to, err, sizeof err), 0);
    CHECK_STR(from, "2026-11-20");
    CHECK_STR(to, "2026-11-20");
    CHECK_INT(parse_period("1.11.2026..20.11.2026", from, to, err, sizeof err), 0);
    CHECK_STR(from, "2026-11-01");
    CHECK_STR(to, "2026-11-20");
    CHECK_INT(parse_period(" 2026-11-01..2026-11-20 ", from, to, err, sizeof err), 0);
    CHECK_STR(from, "2026-11-01");
    CHECK_INT(parse_period("..20.11.2026", from, to, err, sizeof err), 0);
    CHECK_STR(from, "");
    CHECK_STR(to, "2026-11-20");
    CHECK_INT(parse_period("1.11.2026..", from, to, err, sizeof err), 0);
    CHECK_STR(to, "");
    CHECK_INT(parse_period("29.02.2028", from, to, err, sizeof err), 0);
    CHECK_INT(parse_period("29.02.2026", from, to, err, sizeof err), -1);
    CHECK_INT(parse_period("32.13.2026", from, to, err, sizeof err), -1);
    CHECK_INT(parse_period("вчера", from, to, err, sizeof err), -1);
    CHECK_INT(parse_period("..", from, to, err, sizeof err), -1);
    CHECK_INT(parse_period("", from, to, err, sizeof err), -1);
    CHECK_INT(parse_period("20.11.2026..1.11.2026", from, to, err, sizeof err), -1);
    CHECK_STR(err, "The period ends before it starts.");
    CHECK_INT(parse_period("1.11.2026'; DROP TABLE x; --", from, to, err, sizeof err), -1);
}

TEST_LIST = {
    { "texts", texts },
    { "emails", emails },
    { "logins", logins },
    { "hours", hours },
    { "passwords", passwords },
    { "periods", periods },
    { NULL, NULL }
};

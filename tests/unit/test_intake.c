/* Unit tests of the intake form's checks, type-ahead matching, tags, the
 * large letters of a new registration number and the drafts kept of a form
 * the console was ended in. */
#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bigtext.h"
#include "intake.h"
#include "tags.h"
#include "test.h"
#include "textmatch.h"
#include "util.h"

static const struct district_ref sofia[] = {
    { 1, "Средец", 42.6905, 23.3290, 1.1 },
    { 2, "Лозенец", 42.6720, 23.3250, 1.4 },
    { 3, "Люлин", 42.7160, 23.2500, 2.2 },
    { 4, "Младост", 42.6470, 23.3780, 2.0 },
    { 5, "Витоша", 42.6330, 23.2860, 2.8 },
    { 6, "Искър", 42.6660, 23.4130, 2.2 },
    { 7, "Нови Искър", 42.7960, 23.3500, 4.5 },
    { 8, "Оборище", 42.6980, 23.3440, 1.1 },
};

TEST(latin_finds_cyrillic)
{
    CHECK(text_match("osv", "Улично осветление") > 0);
    CHECK(text_match("осв", "Улично осветление") > 0);
    CHECK(text_match("OSV", "Улично осветление") > 0);
    CHECK(text_match("lampa", "Не свети лампа") > 0);
    CHECK(text_match("ne sveti", "Не свети лампа") > 0);
    CHECK_INT(text_match("dupka", "Не свети лампа"), 0);
    /* every word must be there */
    CHECK_INT(text_match("sveti dupka", "Не свети лампа"), 0);
    /* the start of the text beats the start of a word beats the middle */
    CHECK(text_match("ul", "Улично осветление") > text_match("osv", "Улично осветление"));
    CHECK(text_match("osv", "Улично осветление") > text_match("vet", "Улично осветление"));
    CHECK(text_match("", "anything") > 0);
    CHECK(text_match("zh", "Жълт павета") > 0);
}

TEST(intake_checks_in_form_order)
{
    struct intake in;
    char why[256];

    intake_init(&in);
    CHECK_STR(in.channel, "phone");
    CHECK_STR(in.kind, "problem");
    CHECK(!intake_dirty(&in));
    CHECK_INT(intake_check(&in, why, sizeof why), IF_CATEGORY);
    CHECK(*why);
    in.category_id = 12;
    CHECK_INT(intake_check(&in, why, sizeof why), IF_ADDRESS);
    intake_set_text(&in, IF_COORDS, "42.6712, 23.3140");
    CHECK_INT(intake_check(&in, why, sizeof why), IF_DESCRIPTION);     /* coordinates will do */
    intake_set_text(&in, IF_COORDS, NULL);
    intake_set_text(&in, IF_ADDRESS, "ул. „Черни връх“ 45");
    CHECK(intake_dirty(&in));
    CHECK_INT(intake_check(&in, why, sizeof why), IF_DESCRIPTION);
    intake_set_text(&in, IF_DESCRIPTION, "Не свети лампата.");
    CHECK_INT(intake_check(&in, why, sizeof why), IF_COUNT);
    intake_set_text(&in, IF_PHONE, "позвънете ми");
    CHECK_INT(intake_check(&in, why, sizeof why), IF_PHONE);
    intake_set_text(&in, IF_PHONE, "+359 888 123-456");
    in.wants_updates = 1;
    CHECK_INT(intake_check(&in, why, sizeof why), IF_EMAIL);
    intake_set_text(&in, IF_EMAIL, "maria@");
    CHECK_INT(intake_check(&in, why, sizeof why), IF_EMAIL);
    intake_set_text(&in, IF_EMAIL, "maria@example.bg");
    intake_set_text(&in, IF_COORDS, "north of here");
    CHECK_INT(intake_check(&in, why, sizeof why), IF_COORDS);
    intake_set_text(&in, IF_COORDS, "42,6712; 23,3140");
    intake_set_text(&in, IF_ATTACHMENTS, "https://example.bg/a.jpg\n\n/srv/photos/b.jpg\nснимка");
    CHECK_INT(intake_check(&in, why, sizeof why), IF_ATTACHMENTS);
    CHECK(strstr(why, "снимка") != NULL);
    intake_set_text(&in, IF_ATTACHMENTS, "https://example.bg/a.jpg\n/srv/photos/b.jpg\n");
    CHECK_INT(intake_check(&in, why, sizeof why), IF_COUNT);
    intake_free(&in);

    /* a question needs only the question */
    intake_init(&in);
    str_copy(in.kind, sizeof in.kind, "question");
    CHECK(intake_field_shown(&in, IF_ANSWER));
    CHECK(!intake_required(&in, IF_CATEGORY));
    CHECK_INT(intake_check(&in, why, sizeof why), IF_DESCRIPTION);
    intake_set_text(&in, IF_DESCRIPTION, "Докога се плаща данъкът?");
    CHECK_INT(intake_check(&in, why, sizeof why), IF_COUNT);
    intake_free(&in);
}

TEST(coordinates_and_contacts)
{
    double lat, lon;

    CHECK_INT(parse_coords("42.6712, 23.3140", &lat, &lon), 0);
    CHECK(lat > 42.67 && lat < 42.672 && lon > 23.313 && lon < 23.315);
    CHECK_INT(parse_coords("42.6712 23.3140", &lat, &lon), 0);
    CHECK_INT(parse_coords("42,6712; 23,3140", &lat, &lon), 0);
    CHECK(lat > 42.67 && lon > 23.31);
    CHECK_INT(parse_coords("42.6712,23.3140", &lat, &lon), 0);
    CHECK_INT(parse_coords("  ", &lat, &lon), 1);
    CHECK_INT(parse_coords("42.6712", &lat, &lon), -1);
    CHECK_INT(parse_coords("142.6, 23.3", &lat, &lon), -1);
    CHECK_INT(parse_coords("a, b", &lat, &lon), -1);
    CHECK(email_ok("user@example.bg"));
    CHECK(!email_ok("user@example"));
    CHECK(!email_ok("us er@example.bg"));
    CHECK(!email_ok("a@b.bg, c@d.bg"));
    CHECK(!email_ok("a@b.bg\nBcc: x@y.bg"));
    CHECK(phone_ok("0888 123 456"));
    CHECK(phone_ok("+359 (2) 987-65-43"));
    CHECK(!phone_ok("нямам"));
    CHECK(attachment_ok("https://example.bg/x.jpg"));
    CHECK(attachment_ok("/home/ivanova/снимка.jpg"));
    CHECK(attachment_ok("C:\\Users\\op\\a.png"));
    CHECK(!attachment_ok("снимка.jpg"));
    CHECK(!attachment_ok("https://"));
}

TEST(district_from_place)
{
    int n = (int)ARRAY_SIZE(sofia);

    /* nearest centre, in its own radii */
    CHECK_INT(district_nearest(42.6712, 23.3140, sofia, n), 1);     /* Лозенец */
    CHECK_INT(district_nearest(42.7160, 23.2450, sofia, n), 2);     /* Люлин */
    CHECK_INT(district_nearest(0, 0, sofia, n), -1);
    /* named in the address, not a street called after one */
    CHECK_INT(district_in_address("ж.к. Люлин, бл. 312", sofia, n), 2);
    CHECK_INT(district_in_address("Младост 1, до бл. 23", sofia, n), 3);
    CHECK_INT(district_in_address("кв. Лозенец, ул. Кораб планина 5", sofia, n), 1);
    CHECK_INT(district_in_address("бул. „Витоша“ 112", sofia, n), -1);
    CHECK_INT(district_in_address("ул. „Оборище“ 18", sofia, n), -1);
    CHECK_INT(district_in_address("ж.к. Нови Искър", sofia, n), 6);  /* the longest name */
    CHECK_INT(district_in_address("ЖК ЛЮЛИН 5", sofia, n), 2);
    CHECK_INT(district_in_address("Люлинска 4", sofia, n), -1);     /* a whole word only */
    CHECK_INT(district_in_address("", sofia, n), -1);
}

TEST(tags_toggle_and_bound)
{
    struct tagset t;
    int i;

    tags_init(&t);
    CHECK_INT(tags_toggle(&t, 5, 1, "СО26-КЦ-000105"), 1);
    CHECK_INT(tags_find(&t, 5), 0);
    CHECK_INT(tags_toggle(&t, 5, 1, "СО26-КЦ-000105"), 0);
    CHECK_INT(tags_find(&t, 5), -1);
    CHECK_INT(tags_add(&t, 7, 3, "x"), 1);
    CHECK_INT(tags_add(&t, 7, 3, "x"), 0);
    tags_set_version(&t, 7, 4);
    CHECK_INT(t.items[tags_find(&t, 7)].version, 4);
    for (i = 0; i < TAGS_MAX + 10; i++)
        tags_add(&t, 1000 + i, 1, "");
    CHECK_INT(t.n, TAGS_MAX);
    CHECK_INT(tags_add(&t, 99999, 1, ""), -1);
    tags_clear(&t);
    CHECK_INT(t.n, 0);
    tags_free(&t);
}

TEST(big_registration_number)
{
    char rows[BIGTEXT_ROWS][1024];
    int w = bigtext_render("СО26-КЦ-000160", rows, sizeof rows[0]);

    CHECK_INT(w, bigtext_width("СО26-КЦ-000160"));
    CHECK(w > 14 * 3 && w <= 76);
    CHECK_INT(utf8_width(rows[0]), w);
    CHECK_INT(utf8_width(rows[4]), w);
    /* "0" is a ring of ink */
    bigtext_render("0", rows, sizeof rows[0]);
    CHECK_STR(rows[0], "███");
    CHECK_STR(rows[2], "█ █");
    /* lower case is drawn as upper case; unknown characters stand as themselves */
    bigtext_render("к", rows, sizeof rows[0]);
    CHECK_STR(rows[2], "██ ");
    CHECK_INT(bigtext_render("@", rows, sizeof rows[0]), 1);
    CHECK_STR(rows[2], "@");
    CHECK_INT(bigtext_render("0000000000", rows, 8), -1);
}

TEST(drafts_keep_the_form_whole)
{
    struct intake in, back;
    char dir[] = "/tmp/sd-drafts-XXXXXX", path[512];
    FILE *f;
    struct stat st;
    int i;

    intake_init(&in);
    str_copy(in.key, sizeof in.key, "k-123");
    str_copy(in.kind, sizeof in.kind, "question");
    str_copy(in.channel, sizeof in.channel, "email");
    in.category_id = 17;
    str_copy(in.category, sizeof in.category, "Пътна сигнализация › Повреден знак");
    in.district_id = 4;
    str_copy(in.district, sizeof in.district, "Младост");
    in.district_src = DSRC_ADDRESS;
    in.wants_updates = 1;
    intake_set_text(&in, IF_ADDRESS, "ж.к. Младост 1, бл. 23");
    /* new lines, tabs and backslashes come back as they were */
    intake_set_text(&in, IF_DESCRIPTION, "Паднал знак.\nВтори ред\tс таб и \\ наклонена\\n черта.");
    intake_set_text(&in, IF_PHONE, "0888 123 456");

    CHECK(mkdtemp(dir) != NULL);
    CHECK_INT(intake_draft_count(dir), 0);
    CHECK_INT(intake_draft_take(&back, dir), 0);
    CHECK_INT(intake_draft_keep(&in, dir), 0);
    CHECK_INT(intake_draft_count(dir), 1);
    /* only its owner may read it: it holds a citizen's contacts */
    {
        DIR *d = opendir(dir);
        struct dirent *e;
        int seen = 0;

        while (d && (e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            seen++;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            CHECK(strncmp(e->d_name, "intake-draft-", 13) == 0);
            CHECK_INT(stat(path, &st), 0);
            CHECK_INT(st.st_mode & 0777, 0600);
        }
        if (d)
            closedir(d);
        CHECK_INT(seen, 1);     /* and no temporary file left */
    }
    CHECK_INT(intake_draft_take(&back, dir), 1);
    CHECK_INT(intake_draft_count(dir), 0);
    CHECK_STR(back.key, "k-123");
    CHECK_STR(back.kind, "question");
    CHECK_STR(back.channel, "email");
    CHECK_INT(back.category_id, 17);
    CHECK_STR(back.category, "Пътна сигнализация › Повреден знак");
    CHECK_INT(back.district_id, 4);
    CHECK_STR(back.district, "Младост");
    CHECK_INT(back.district_src, DSRC_ADDRESS);
    CHECK_INT(back.wants_updates, 1);
    for (i = 0; i < IF_COUNT; i++)
        CHECK_STR(intake_text(&back, (enum intake_field)i), intake_text(&in, (enum intake_field)i));
    intake_free(&back);

    /* the oldest first; a file that is not a draft is set aside, not lost */
    CHECK_INT(intake_draft_keep(&in, dir), 0);
    snprintf(path, sizeof path, "%s/intake-draft-00000000000000-1", dir);
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("something else\n", f);
        fclose(f);
    }
    CHECK_INT(intake_draft_count(dir), 2);
    CHECK_INT(intake_draft_take(&back, dir), 0);
    snprintf(path, sizeof path, "%s/unreadable-intake-draft-00000000000000-1", dir);
    CHECK_INT(stat(path, &st), 0);
    unlink(path);
    CHECK_INT(intake_draft_take(&back, dir), 1);
    CHECK_STR(intake_text(&back, IF_PHONE), "0888 123 456");
    intake_free(&back);
    intake_free(&in);
    CHECK_INT(rmdir(dir), 0);
}

TEST_LIST = {
    { "latin_finds_cyrillic", latin_finds_cyrillic },
    { "intake_checks_in_form_order", intake_checks_in_form_order },
    { "coordinates_and_contacts", coordinates_and_contacts },
    { "district_from_place", district_from_place },
    { "tags_toggle_and_bound", tags_toggle_and_bound },
    { "big_registration_number", big_registration_number },
    { "drafts_keep_the_form_whole", drafts_keep_the_form_whole },
    { NULL, NULL }
};

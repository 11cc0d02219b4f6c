/* Unit tests for src/translit.c */
#include "translit.h"

#include "test.h"

/* ---- helpers: each call returns its own buffer (8 in rotation) and
 * checks that the return value is the length of what was written ---- */

static char bufs_[8][1024];
static int cur_;

static char *next_buf(void)
{
    cur_ = (cur_ + 1) % 8;
    return bufs_[cur_];
}

static const char *checked(size_t n, const char *out)
{
    CHECK_INT(n, strlen(out));
    return out;
}

static const char *lat(const char *s)
{
    char *b = next_buf();
    return checked(translit_to_latin(s, b, sizeof bufs_[0]), b);
}

static const char *fold(const char *s)
{
    char *b = next_buf();
    return checked(translit_fold(s, b, sizeof bufs_[0]), b);
}

static const char *cyr(const char *s)
{
    char *b = next_buf();
    return checked(translit_to_cyrillic(s, b, sizeof bufs_[0]), b);
}

static const char *lower(const char *s)
{
    char *b = next_buf();
    return checked(utf8_lower(s, b, sizeof bufs_[0]), b);
}

static const char *swap(const char *s, enum kb_layout l, enum kb_direction d)
{
    char *b = next_buf();
    return checked(layout_swap(s, l, d, b, sizeof bufs_[0]), b);
}

/* layout_guess: the corrected text, or "-" when it returns 0 (and then
 * checks that it wrote "") */
static const char *guess(const char *s)
{
    char *b = next_buf();
    int r;

    b[0] = 'X';
    r = layout_guess(s, b, sizeof bufs_[0]);
    CHECK(r == 0 || r == 1);
    if (r == 0) {
        CHECK_STR(b, "");
        return "-";
    }
    return b;
}

/* All printable ASCII, the keys of a US keyboard. */
static const char all_keys[] =
    "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~";

/* ------------------------------------------------------------------ */
/* translit_to_latin                                                   */

TEST(latin_alphabet_letters)
{
    static const char *const pairs[][2] = {
        {"а", "a"}, {"б", "b"}, {"в", "v"}, {"г", "g"}, {"д", "d"},
        {"е", "e"}, {"ж", "zh"}, {"з", "z"}, {"и", "i"}, {"й", "y"},
        {"к", "k"}, {"л", "l"}, {"м", "m"}, {"н", "n"}, {"о", "o"},
        {"п", "p"}, {"р", "r"}, {"с", "s"}, {"т", "t"}, {"у", "u"},
        {"ф", "f"}, {"х", "h"}, {"ц", "ts"}, {"ч", "ch"}, {"ш", "sh"},
        {"щ", "sht"}, {"ъ", "a"}, {"ь", "y"}, {"ю", "yu"}, {"я", "ya"},
        {"А", "A"}, {"Б", "B"}, {"В", "V"}, {"Г", "G"}, {"Д", "D"},
        {"Е", "E"}, {"Ж", "Zh"}, {"З", "Z"}, {"И", "I"}, {"Й", "Y"},
        {"К", "K"}, {"Л", "L"}, {"М", "M"}, {"Н", "N"}, {"О", "O"},
        {"П", "P"}, {"Р", "R"}, {"С", "S"}, {"Т", "T"}, {"У", "U"},
        {"Ф", "F"}, {"Х", "H"}, {"Ц", "Ts"}, {"Ч", "Ch"}, {"Ш", "Sh"},
        {"Щ", "Sht"}, {"Ъ", "A"}, {"Ь", "Y"}, {"Ю", "Yu"}, {"Я", "Ya"},
    };
    size_t i;

    for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        CHECK_STR(lat(pairs[i][0]), pairs[i][1]);
}

TEST(latin_alphabet_words)
{
    CHECK_STR(lat("абвгдежзийклмнопрстуфхцчшщъьюя"),
              "abvgdezhziyklmnoprstufhtschshshtayyuya");
    CHECK_STR(lat("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ"),
              "ABVGDEZHZIYKLMNOPRSTUFHTSCHSHSHTAYYUYA");
    CHECK_STR(lat("а б в г д е ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ь ю я"),
              "a b v g d e zh z i y k l m n o p r s t u f h ts ch sh sht a y yu ya");
}

TEST(latin_sentence)
{
    CHECK_STR(lat("Жълтата ябълка щеше"), "Zhaltata yabalka shteshe");
    CHECK_STR(lat("ЖЪЛТАТА ЯБЪЛКА ЩЕШЕ"), "ZHALTATA YABALKA SHTESHE");
}

TEST(latin_case)
{
    CHECK_STR(lat("ЖЕЛЯЗКО"), "ZHELYAZKO");
    CHECK_STR(lat("Желязко"), "Zhelyazko");
    CHECK_STR(lat("Ж. Иванов"), "Zh. Ivanov");
    CHECK_STR(lat("ЖК Младост"), "ZHK Mladost");
    CHECK_STR(lat("Щастие"), "Shtastie");
    CHECK_STR(lat("ЩАСТИЕ"), "SHTASTIE");
    CHECK_STR(lat("ЦЕНТЪР"), "TSENTAR");
    CHECK_STR(lat("ЧАЙКА 1"), "CHAYKA 1");
    CHECK_STR(lat("ЮЛИЯ Ш."), "YULIA Sh.");
    CHECK_STR(lat("жЖ"), "zhZh"); /* a lower-case letter: not an upper-case word */
    CHECK_STR(lat("ЖЖ"), "ZHZH");
    CHECK_STR(lat("ЖK"), "ZHK"); /* Latin letters count for the word's case */
}

TEST(latin_ia_final)
{
    CHECK_STR(lat("София"), "Sofia");
    CHECK_STR(lat("СОФИЯ"), "SOFIA");
    CHECK_STR(lat("Илия"), "Ilia");
    CHECK_STR(lat("Мария Иванова"), "Maria Ivanova");
    CHECK_STR(lat("Марияна"), "Mariyana"); /* not final */
    CHECK_STR(lat("Сияна"), "Siyana");
    CHECK_STR(lat("София-град"), "Sofia-grad");
    CHECK_STR(lat("Ия"), "Ia");
    CHECK_STR(lat("Благоевград, Мизия."), "Blagoevgrad, Mizia.");
    CHECK_STR(lat("Струмяна"), "Strumyana"); /* я after a consonant */
    CHECK_STR(lat("моята"), "moyata");
}

TEST(latin_bulgaria)
{
    /* Art. 6 of the Act: the traditional name of the state */
    CHECK_STR(lat("България"), "Bulgaria");
    CHECK_STR(lat("БЪЛГАРИЯ"), "BULGARIA");
    CHECK_STR(lat("Република България"), "Republika Bulgaria");
    CHECK_STR(lat("българите"), "balgarite");
    CHECK_STR(lat("Българиян"), "Balgariyan");
}

TEST(latin_places)
{
    CHECK_STR(lat("Лозенец"), "Lozenets");
    CHECK_STR(lat("Люлин"), "Lyulin");
    CHECK_STR(lat("Младост"), "Mladost");
    CHECK_STR(lat("Витоша"), "Vitosha");
    CHECK_STR(lat("Шипка"), "Shipka");
    CHECK_STR(lat("Цар Борис III"), "Tsar Boris III");
    CHECK_STR(lat("Кърджали"), "Kardzhali");
    CHECK_STR(lat("Търговище"), "Targovishte");
    CHECK_STR(lat("Шофьор"), "Shofyor");
    CHECK_STR(lat("Йордан Йовков"), "Yordan Yovkov");
    CHECK_STR(lat("Джумая"), "Dzhumaya");
    CHECK_STR(lat("Дзерман"), "Dzerman");
}

TEST(latin_passthrough)
{
    CHECK_STR(lat(""), "");
    CHECK_STR(lat(NULL), "");
    CHECK_STR(lat("ул. „Граф Игнатиев“ № 12, ет. 3 — €5"),
              "ul. „Graf Ignatiev“ № 12, et. 3 — €5");
    CHECK_STR(lat("Ελλάδα café 😀 tab\there"), "Ελλάδα café 😀 tab\there");
    CHECK_STR(lat("ѝ Ѝ ѐ Ѐ ы э ё"), "i I e E y e yo");
    CHECK_STR(lat("ђ Ђ ѣ"), "ђ Ђ ѣ"); /* other Cyrillic is kept */
    CHECK_STR(lat("Ѝ"), "I");
}

TEST(latin_invalid_utf8)
{
    CHECK_STR(lat("a\xff" "b"), "a?b");
    CHECK_STR(lat("\xd0"), "?");               /* truncated */
    CHECK_STR(lat("\xd0\x96"), "Zh");          /* valid Ж */
    CHECK_STR(lat("\x80\xd0\x96"), "?Zh");     /* stray continuation */
    CHECK_STR(lat("\xe2\x82" "x"), "??x");      /* truncated 3-byte */
    CHECK_STR(lat("\xc0\xaf"), "??");          /* overlong '/' */
    CHECK_STR(lat("\xed\xa0\x80"), "???");     /* surrogate */
    CHECK_STR(lat("\xf4\x90\x80\x80"), "????"); /* > U+10FFFF */
    CHECK_STR(lat("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80"); /* valid U+1F600 */
    CHECK_STR(lower("\xff\xd0\x90"), "?\xd0\xb0");
    CHECK_STR(cyr("\xfe" "a"), "?а");
    CHECK_STR(swap("\xff", KB_BDS, LAYOUT_TO_CYRILLIC), "?"); /* not mapped to Б */
    CHECK_STR(fold("\xffЖ"), "?zh");
}

/* ------------------------------------------------------------------ */
/* buffer contract                                                     */

TEST(buffer_truncation)
{
    char b[16];
    size_t n;

    memset(b, 'X', sizeof b);
    n = translit_to_latin("Жълтата", b, 4);
    CHECK_INT(n, 8);
    CHECK_STR(b, "Zha");
    CHECK(b[4] == 'X'); /* nothing written past out_size */

    memset(b, 'X', sizeof b);
    CHECK_INT(translit_to_latin("Жълтата", b, 9), 8); /* exact fit */
    CHECK_STR(b, "Zhaltata");
    CHECK_INT(translit_to_latin("Жълтата", b, 8), 8); /* one short */
    CHECK_STR(b, "Zhaltat");

    memset(b, 'X', sizeof b);
    CHECK_INT(translit_to_latin("Жълтата", b, 1), 8);
    CHECK(b[0] == '\0' && b[1] == 'X');
    CHECK_INT(translit_to_latin("Жълтата", NULL, 0), 8);
    CHECK_INT(translit_fold("ЖЕЛЯЗКО", NULL, 0), 9);
    CHECK_INT(translit_to_cyrillic("vitosha", NULL, 0), 12);
    CHECK_INT(utf8_lower("АБВ", NULL, 0), 6);
    CHECK_INT(layout_swap("lrjftd", KB_BDS, LAYOUT_TO_CYRILLIC, NULL, 0), 12);

    /* a multi-byte character is never split */
    memset(b, 'X', sizeof b);
    CHECK_INT(utf8_lower("АБВ", b, 4), 6);
    CHECK_STR(b, "а");
    CHECK_INT(utf8_lower("АБВ", b, 5), 6);
    CHECK_STR(b, "аб");
    CHECK_INT(utf8_lower("АaБ", b, 4), 5);
    CHECK_STR(b, "аa"); /* ... and nothing after a character that did not fit */
    CHECK_INT(utf8_lower("АБa", b, 4), 5);
    CHECK_STR(b, "а");
    CHECK_INT(translit_to_cyrillic("vitosha", b, 7), 12);
    CHECK_STR(b, "вит");
    CHECK_INT(layout_swap("lrjftd", KB_BDS, LAYOUT_TO_CYRILLIC, b, 6), 12);
    CHECK_STR(b, "ви");
    CHECK_INT(translit_fold("Щ", b, 3), 3);
    CHECK_STR(b, "sh");
}

TEST(buffer_guess_truncation)
{
    char b[8];

    memset(b, 'X', sizeof b);
    CHECK_INT(layout_guess("lrjftd", b, 5), 1);
    CHECK_STR(b, "ви");
    CHECK_INT(layout_guess("lrjftd", NULL, 0), 1);
    CHECK_INT(layout_guess("витоша", NULL, 0), 0);
    CHECK_INT(layout_guess(NULL, b, sizeof b), 0);
    CHECK_STR(b, "");
}

/* Every function, on many generated strings and every buffer size: the
 * return value never changes, the output is a NUL-terminated prefix of the
 * full result that ends on a character boundary, nothing is written past
 * out_size. */
static size_t call_fn(int fn, const char *in, char *out, size_t size)
{
    switch (fn) {
    case 0: return translit_to_latin(in, out, size);
    case 1: return translit_fold(in, out, size);
    case 2: return translit_to_cyrillic(in, out, size);
    case 3: return utf8_lower(in, out, size);
    case 4: return layout_swap(in, KB_BDS, LAYOUT_TO_CYRILLIC, out, size);
    default: return layout_swap(in, KB_PHONETIC, LAYOUT_TO_LATIN, out, size);
    }
}

TEST(buffer_property)
{
    static const char *const parts[] = {
        "ия", "Ж", "щ", "ЖЕ", "sht", "Ts", "ia", "III", "VI", " ", "-", ".",
        "\xff", "\xd0", "\xe2\x82", "😀", "a", "Я", "[", "yo", "ьо", "България",
        "lrjftd", "Bulgaria", "x", "\xf0\x9f",
    };
    unsigned seed = 12345;
    char in[256], full[1024], part[1024];
    int iter, fn, bad = 0;
    size_t i, n, size, want;

    for (iter = 0; iter < 300; iter++) {
        in[0] = '\0';
        for (i = 0; i < 8; i++) {
            seed = seed * 1103515245u + 12345u;
            strcat(in, parts[(seed >> 16) % (sizeof parts / sizeof parts[0])]);
        }
        for (fn = 0; fn < 6; fn++) {
            want = call_fn(fn, in, full, sizeof full);
            bad += want != strlen(full);
            for (size = 0; size <= want + 1; size++) {
                memset(part, 'X', sizeof part);
                n = call_fn(fn, in, size ? part : NULL, size);
                bad += n != want;
                if (size == 0)
                    continue;
                n = strlen(part);
                bad += n >= size || part[size] != 'X' || memcmp(part, full, n) != 0;
                /* stops on a boundary: the rest of full starts a character */
                bad += n < want && ((unsigned char)full[n] & 0xC0) == 0x80;
            }
        }
    }
    CHECK_INT(bad, 0);
}

/* ------------------------------------------------------------------ */
/* translit_fold and utf8_lower                                        */

TEST(fold_keys)
{
    CHECK_STR(fold("Витоша"), "vitosha");
    CHECK_STR(fold("VITOSHA"), "vitosha");
    CHECK_STR(fold("ВИТОША"), "vitosha");
    CHECK_STR(fold("Vitosha"), "vitosha");
    CHECK_STR(fold("ЖЕЛЯЗКО"), "zhelyazko");
    CHECK_STR(fold("Цар Борис III"), "tsar boris iii");
    CHECK_STR(fold("СОФИЯ"), "sofia");
    CHECK_STR(fold("БЪЛГАРИЯ"), "bulgaria");
    CHECK_STR(fold("Ђ Ѝ № 5"), "ђ i № 5");
    CHECK_STR(fold("Ελλάδα"), "Ελλάδα");
    CHECK_STR(fold("ул. Шипка"), fold("UL. SHIPKA"));
    CHECK_STR(fold("шипка"), fold("Shipka"));
    CHECK_STR(fold("Люлин 5"), fold("lyulin 5"));
}

TEST(lower_case)
{
    CHECK_STR(lower("ЖЕЛЯЗКО Abc XYZ"), "желязко abc xyz");
    CHECK_STR(lower("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"),
              "абвгдежзийклмнопрстуфхцчшщъыьэюя");
    CHECK_STR(lower("ЀЁЂЃЄЅІЇЈЉЊЋЌЍЎЏ"), "ѐёђѓєѕіїјљњћќѝўџ");
    CHECK_STR(lower("абв xyz"), "абв xyz");
    CHECK_STR(lower("Ελλάδα ÀÉ 1-2 [@]"), "Ελλάδα ÀÉ 1-2 [@]");
    CHECK_STR(lower(""), "");
    CHECK_STR(lower(NULL), "");
}

/* ------------------------------------------------------------------ */
/* translit_to_cyrillic                                                */

TEST(cyrillic_official)
{
    CHECK_STR(cyr("abvgdezhziyklmnoprstufhtschshshtayyuya"),
              "абвгдежзийклмнопрстуфхцчшщайюя");
    CHECK_STR(cyr("vitosha"), "витоша");
    CHECK_STR(cyr("Vitosha"), "Витоша");
    CHECK_STR(cyr("VITOSHA"), "ВИТОША");
    CHECK_STR(cyr("Shipka"), "Шипка");
    CHECK_STR(cyr("Zhelyazko"), "Желязко");
    CHECK_STR(cyr("ZHELYAZKO"), "ЖЕЛЯЗКО");
    CHECK_STR(cyr("Shtastie"), "Щастие");
    CHECK_STR(cyr("SHTASTIE"), "ЩАСТИЕ");
    CHECK_STR(cyr("Tsar"), "Цар");
    CHECK_STR(cyr("Chayka"), "Чайка");
    CHECK_STR(cyr("Lyulin"), "Люлин");
    CHECK_STR(cyr("Dzhumaya"), "Джумая");
    CHECK_STR(cyr("Zh. Ivanov"), "Ж. Иванов");
}

TEST(cyrillic_special_rules)
{
    CHECK_STR(cyr("Sofia"), "София");      /* final ia */
    CHECK_STR(cyr("SOFIA"), "СОФИЯ");
    CHECK_STR(cyr("Sofia-grad"), "София-град");
    CHECK_STR(cyr("Iliana"), "Илиана");    /* not final */
    CHECK_STR(cyr("Sofiya"), "София");
    CHECK_STR(cyr("Shofyor"), "Шофьор");   /* yo after a consonant */
    CHECK_STR(cyr("Yordan"), "Йордан");    /* yo at word start */
    CHECK_STR(cyr("mayor"), "майор");      /* yo after a vowel */
    CHECK_STR(cyr("otshelnik"), "отшелник"); /* tsh = т + ш */
    CHECK_STR(cyr("Nikolay"), "Николай");
    CHECK_STR(cyr("Bulgaria"), "България");
    CHECK_STR(cyr("BULGARIA"), "БЪЛГАРИЯ");
    CHECK_STR(cyr("Bulgarian"), "Булгариан");
}

TEST(cyrillic_unofficial)
{
    CHECK_STR(cyr("Wasil"), "Васил");
    CHECK_STR(cyr("Qvor"), "Явор");
    CHECK_STR(cyr("Xenia"), "Ксения");
    CHECK_STR(cyr("XEROX"), "КСЕРОКС");
    CHECK_STR(cyr("Jordan"), "Йордан");
    CHECK_STR(cyr("Lozenec"), "Лозенец");
    CHECK_STR(cyr("x"), "кс");
    CHECK_STR(cyr("X"), "Кс");
}

TEST(cyrillic_roman_numerals)
{
    CHECK_STR(cyr("Tsar Boris III"), "Цар Борис III");
    CHECK_STR(cyr("TSAR BORIS III"), "ЦАР БОРИС III");
    CHECK_STR(cyr("Pius XII"), "Пиус XII");
    CHECK_STR(cyr("IV"), "IV");
    CHECK_STR(cyr("XXXIX"), "XXXIX");
    CHECK_STR(cyr("Iv"), "Ив");
    CHECK_STR(cyr("IIII"), "ИИИИ");      /* not a numeral */
    CHECK_STR(cyr("VI"), "ВИ");          /* all upper text: the pronoun */
    CHECK_STR(cyr("vi i VI"), "ви и VI"); /* mixed-case text: the numeral */
    CHECK_STR(cyr("I"), "И");
    CHECK_STR(cyr("Boris III-ti"), "Борис III-ти");
    CHECK_STR(cyr("XIVth"), "КсИВтх"); /* not a numeral: a letter follows */
}

TEST(cyrillic_passthrough)
{
    CHECK_STR(cyr(""), "");
    CHECK_STR(cyr(NULL), "");
    CHECK_STR(cyr("шипка"), "шипка");
    CHECK_STR(cyr("Витоша"), "Витоша");
    CHECK_STR(cyr("ul. 12, №3"), "ул. 12, №3");
    CHECK_STR(cyr("Shipka-2"), "Шипка-2");
    CHECK_STR(cyr("Çà va? Ελλάδα"), "Çà ва? Ελλάδα");
}

TEST(cyrillic_lossy)
{
    /* documented losses: ъ and а are both "a", зх reads as ж */
    CHECK_STR(cyr("Zhaltata yabalka shteshe"), "Жалтата ябалка щеше");
    CHECK_STR(cyr("izhod"), "ижод");
}

TEST(round_trips)
{
    static const char *const names[] = {
        "Лозенец", "Люлин", "Младост", "Витоша", "Шипка", "Цар Борис III",
        "Дружба", "Овча купел", "Красна поляна", "Надежда", "Изток",
        "Гоце Делчев", "Банишора", "Княжево", "Илинден", "Подуяне",
        "София", "ЛОЗЕНЕЦ", "СОФИЯ", "Люлин 5", "Шофьор", "Йордан Йовков",
        "България", "ЖК Младост 1",
    };
    size_t i;

    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK_STR(cyr(lat(names[i])), names[i]);
    /* search keys: "vitosha" finds "Витоша", "шипка" finds "Shipka" */
    CHECK_STR(cyr("vitosha"), lower("Витоша"));
    CHECK_STR(lower(cyr("Shipka")), "шипка");
    CHECK_STR(fold("vitosha"), fold("Витоша"));
}

/* ------------------------------------------------------------------ */
/* layout_swap                                                         */

TEST(swap_bds_to_cyrillic)
{
    CHECK_STR(swap("lrjftd", KB_BDS, LAYOUT_TO_CYRILLIC), "витоша");
    CHECK_STR(swap("Lrjftd", KB_BDS, LAYOUT_TO_CYRILLIC), "Витоша");
    CHECK_STR(swap("LRJFTD", KB_BDS, LAYOUT_TO_CYRILLIC), "ВИТОША");
    CHECK_STR(swap(".fpeke[", KB_BDS, LAYOUT_TO_CYRILLIC), "лозенец");
    CHECK_STR(swap("`1234567890-=", KB_BDS, LAYOUT_TO_CYRILLIC), "(1234567890-.");
    CHECK_STR(swap("~!@#$%^&*()_+", KB_BDS, LAYOUT_TO_CYRILLIC), ")!?+\"%=:/–№$€");
    CHECK_STR(swap("qwertyuiop[]", KB_BDS, LAYOUT_TO_CYRILLIC), ",уеишщксдзц;");
    CHECK_STR(swap("QWERTYUIOP{}", KB_BDS, LAYOUT_TO_CYRILLIC), "ыУЕИШЩКСДЗЦ§");
    CHECK_STR(swap("asdfghjkl;'\\", KB_BDS, LAYOUT_TO_CYRILLIC), "ьяаожгтнвмч„");
    CHECK_STR(swap("ASDFGHJKL:\"|", KB_BDS, LAYOUT_TO_CYRILLIC), "ѝЯАОЖГТНВМЧ“");
    CHECK_STR(swap("zxcvbnm,./", KB_BDS, LAYOUT_TO_CYRILLIC), "юйъэфхпрлб");
    CHECK_STR(swap("ZXCVBNM<>?", KB_BDS, LAYOUT_TO_CYRILLIC), "ЮЙЪЭФХПРЛБ");
    CHECK_STR(swap("a б\n", KB_BDS, LAYOUT_TO_CYRILLIC), "ь б\n"); /* non-ASCII kept */
}

TEST(swap_bds_to_latin)
{
    CHECK_STR(swap("витоша", KB_BDS, LAYOUT_TO_LATIN), "lrjftd");
    CHECK_STR(swap("Лозенец", KB_BDS, LAYOUT_TO_LATIN), ">fpeke[");
    CHECK_STR(swap(",уеишщксдзц;", KB_BDS, LAYOUT_TO_LATIN), "qwertyuiop[]");
    CHECK_STR(swap("ѝЯАОЖГТНВМЧ“", KB_BDS, LAYOUT_TO_LATIN), "ASDFGHJKL:\"|");
    CHECK_STR(swap("сэьх?ьфэлфж", KB_BDS, LAYOUT_TO_LATIN), "ivan@abv.bg");
    CHECK_STR(swap("геввдр удива", KB_BDS, LAYOUT_TO_LATIN), "hello, world");
    CHECK_STR(swap("Ь", KB_BDS, LAYOUT_TO_LATIN), "A"); /* no key: upper-cased ь */
    CHECK_STR(swap("abc #[", KB_BDS, LAYOUT_TO_LATIN), "abc #["); /* not produced by BDS */
    CHECK_STR(swap("Ελλάδα", KB_BDS, LAYOUT_TO_LATIN), "Ελλάδα");
    /* every key survives the round trip */
    CHECK_STR(swap(swap(all_keys, KB_BDS, LAYOUT_TO_CYRILLIC), KB_BDS, LAYOUT_TO_LATIN),
              all_keys);
    CHECK_STR(swap(swap("абвгдежзийклмнопрстуфхцчшщъьюяэы", KB_BDS, LAYOUT_TO_LATIN),
                   KB_BDS, LAYOUT_TO_CYRILLIC),
              "абвгдежзийклмнопрстуфхцчшщъьюяэы");
    CHECK_STR(swap(swap("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЮЯ", KB_BDS, LAYOUT_TO_LATIN),
                   KB_BDS, LAYOUT_TO_CYRILLIC),
              "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЮЯ");
}

TEST(swap_phonetic_to_cyrillic)
{
    CHECK_STR(swap("wito[a", KB_PHONETIC, LAYOUT_TO_CYRILLIC), "витоша");
    CHECK_STR(swap("[ipka", KB_PHONETIC, LAYOUT_TO_CYRILLIC), "шипка");
    CHECK_STR(swap("l\\lin", KB_PHONETIC, LAYOUT_TO_CYRILLIC), "люлин");
    CHECK_STR(swap("Ow`a kupel", KB_PHONETIC, LAYOUT_TO_CYRILLIC), "Овча купел");
    CHECK_STR(swap("`1234567890-=", KB_PHONETIC, LAYOUT_TO_CYRILLIC), "ч1234567890-=");
    CHECK_STR(swap("~!@#$%^&*()_+", KB_PHONETIC, LAYOUT_TO_CYRILLIC), "Ч!@№$%€§*()–+");
    CHECK_STR(swap("qwertyuiop[]\\", KB_PHONETIC, LAYOUT_TO_CYRILLIC), "явертъуиопшщю");
    CHECK_STR(swap("QWERTYUIOP{}|", KB_PHONETIC, LAYOUT_TO_CYRILLIC), "ЯВЕРТЪУИОПШЩЮ");
    CHECK_STR(swap("asdfghjkl;'", KB_PHONETIC, LAYOUT_TO_CYRILLIC), "асдфгхйкл;'");
    CHECK_STR(swap("ASDFGHJKL:\"", KB_PHONETIC, LAYOUT_TO_CYRILLIC), "АСДФГХЙКЛ:\"");
    CHECK_STR(swap("zxcvbnm,./", KB_PHONETIC, LAYOUT_TO_CYRILLIC), "зьцжбнм,./");
    CHECK_STR(swap("ZXCVBNM<>?", KB_PHONETIC, LAYOUT_TO_CYRILLIC), "ЗѝЦЖБНМ„“?");
}

TEST(swap_phonetic_to_latin)
{
    CHECK_STR(swap("витоша", KB_PHONETIC, LAYOUT_TO_LATIN), "wito[a");
    CHECK_STR(swap("Люлин", KB_PHONETIC, LAYOUT_TO_LATIN), "L\\lin");
    CHECK_STR(swap("ЮЛИЯ", KB_PHONETIC, LAYOUT_TO_LATIN), "|LIQ");
    CHECK_STR(swap("щастие, чушка", KB_PHONETIC, LAYOUT_TO_LATIN), "]astie, `u[ka");
    CHECK_STR(swap("хелло", KB_PHONETIC, LAYOUT_TO_LATIN), "hello");
    CHECK_STR(swap("Ь", KB_PHONETIC, LAYOUT_TO_LATIN), "X");
    CHECK_STR(swap("ы э", KB_PHONETIC, LAYOUT_TO_LATIN), "ы э"); /* not on the layout */
    CHECK_STR(swap("№ € „ “ § –", KB_PHONETIC, LAYOUT_TO_LATIN), "# ^ < > & _");
    CHECK_STR(swap(swap(all_keys, KB_PHONETIC, LAYOUT_TO_CYRILLIC), KB_PHONETIC,
                   LAYOUT_TO_LATIN),
              all_keys);
    CHECK_STR(swap(swap("абвгдежзийклмнопрстуфхцчшщъьюя", KB_PHONETIC, LAYOUT_TO_LATIN),
                   KB_PHONETIC, LAYOUT_TO_CYRILLIC),
              "абвгдежзийклмнопрстуфхцчшщъьюя");
}

TEST(swap_layouts_differ)
{
    CHECK_STR(swap("vitosha", KB_BDS, LAYOUT_TO_CYRILLIC), "эсшдягь");
    CHECK_STR(swap("vitosha", KB_PHONETIC, LAYOUT_TO_CYRILLIC), "житосха");
    CHECK_STR(swap("", KB_PHONETIC, LAYOUT_TO_LATIN), "");
    CHECK_STR(swap(NULL, KB_BDS, LAYOUT_TO_CYRILLIC), "");
}

/* ------------------------------------------------------------------ */
/* layout_guess                                                        */

TEST(guess_latin_typed_for_bulgarian)
{
    /* BDS keys */
    CHECK_STR(guess("lrjftd"), "витоша");
    CHECK_STR(guess("Lrjftd"), "Витоша");
    CHECK_STR(guess("LRJFTD"), "ВИТОША");
    CHECK_STR(guess(".fpeke["), "лозенец");
    CHECK_STR(guess(";.dofij"), "младост");
    CHECK_STR(guess("Rldk Ldpfl"), "Иван Вазов");
    CHECK_STR(guess("Rldk Ldpfl 12"), "Иван Вазов 12");
    CHECK_STR(guess("ijwoekjiur h,do"), "студентски град");
    CHECK_STR(guess(",e;fkj kd w.r[d"), "ремонт на улица");
    /* phonetic keys */
    CHECK_STR(guess("wito[a"), "витоша");
    CHECK_STR(guess("[ipka"), "шипка");
    CHECK_STR(guess("dupka na pytq"), "дупка на пътя");
    CHECK_STR(guess("Ow`a kupel"), "Овча купел");
}

TEST(guess_bulgarian_typed_for_latin)
{
    CHECK_STR(guess("геввд"), "hello");        /* BDS */
    CHECK_STR(guess("яшиееш всжгш"), "street light");
    CHECK_STR(guess("Ядось"), "Sofia");
    CHECK_STR(guess("хелло"), "hello");        /* phonetic */
}

TEST(guess_negatives)
{
    /* plausible as they are */
    CHECK_STR(guess("витоша"), "-");
    CHECK_STR(guess("Lozenets"), "-");
    CHECK_STR(guess("dupka"), "-");
    CHECK_STR(guess("Sofia"), "-");
    CHECK_STR(guess("lozenec"), "-");
    CHECK_STR(guess("hello world"), "-");
    CHECK_STR(guess("Младост 1"), "-");
    CHECK_STR(guess("Цар Борис III"), "-");
    CHECK_STR(guess("Tsar Boris III"), "-");
    CHECK_STR(guess("Иван Вазов"), "-");
    CHECK_STR(guess("Studentski grad"), "-");
    CHECK_STR(guess("Zhaltata yabalka"), "-");
    CHECK_STR(guess("Жълтата ябълка щеше"), "-");
    CHECK_STR(guess("Кърджали"), "-");
    CHECK_STR(guess("ЖК Младост"), "-");
    /* gibberish that no Bulgarian layout explains (Russian layout) */
    CHECK_STR(guess("ghbdtn"), "-");
    CHECK_STR(guess("руддщ"), "-");
    CHECK_STR(guess("dbnjif"), "-");
    /* too short, or not mostly letters */
    CHECK_STR(guess(""), "-");
    CHECK_STR(guess(NULL), "-");
    CHECK_STR(guess("ok"), "-");
    CHECK_STR(guess("12345"), "-");
    CHECK_STR(guess("+359 888 123 456"), "-");
    CHECK_STR(guess("ул. Шипка 12"), "-");
    CHECK_STR(guess("---"), "-");
}

TEST_LIST = {
    {"latin_alphabet_letters", latin_alphabet_letters},
    {"latin_alphabet_words", latin_alphabet_words},
    {"latin_sentence", latin_sentence},
    {"latin_case", latin_case},
    {"latin_ia_final", latin_ia_final},
    {"latin_bulgaria", latin_bulgaria},
    {"latin_places", latin_places},
    {"latin_passthrough", latin_passthrough},
    {"latin_invalid_utf8", latin_invalid_utf8},
    {"buffer_truncation", buffer_truncation},
    {"buffer_guess_truncation", buffer_guess_truncation},
    {"buffer_property", buffer_property},
    {"fold_keys", fold_keys},
    {"lower_case", lower_case},
    {"cyrillic_official", cyrillic_official},
    {"cyrillic_special_rules", cyrillic_special_rules},
    {"cyrillic_unofficial", cyrillic_unofficial},
    {"cyrillic_roman_numerals", cyrillic_roman_numerals},
    {"cyrillic_passthrough", cyrillic_passthrough},
    {"cyrillic_lossy", cyrillic_lossy},
    {"round_trips", round_trips},
    {"swap_bds_to_cyrillic", swap_bds_to_cyrillic},
    {"swap_bds_to_latin", swap_bds_to_latin},
    {"swap_phonetic_to_cyrillic", swap_phonetic_to_cyrillic},
    {"swap_phonetic_to_latin", swap_phonetic_to_latin},
    {"swap_layouts_differ", swap_layouts_differ},
    {"guess_latin_typed_for_bulgarian", guess_latin_typed_for_bulgarian},
    {"guess_bulgarian_typed_for_latin", guess_bulgarian_typed_for_latin},
    {"guess_negatives", guess_negatives},
    {NULL, NULL},
};

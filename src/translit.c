/*
 * Bulgarian transliteration, case folding and wrong-keyboard-layout repair.
 * See include/translit.h for the contract.  Pure C11: no locale, no global
 * mutable state, no allocation; UTF-8 is decoded here.
 */
#include "translit.h"

#include <stdint.h>
#include <string.h>

#define BADCP 0xFFFFFFFFu /* an invalid byte; written as '?' */

/* ------------------------------------------------------------------ */
/* UTF-8 and character classes                                         */

/* Decode one code point at s (NUL-terminated).  Returns the number of bytes
 * used (>= 1); an invalid byte yields BADCP and consumes one byte. */
static size_t u8_decode(const unsigned char *s, uint32_t *cp)
{
    unsigned c = s[0];
    uint32_t v, min;
    size_t n, i;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2; v = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3; v = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4; v = c & 0x07; min = 0x10000;
    } else {
        *cp = BADCP;
        return 1;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) { /* also stops at the NUL */
            *cp = BADCP;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = BADCP;
        return 1;
    }
    *cp = v;
    return n;
}

static int is_ascii_alpha(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_cyr_letter(uint32_t c)
{
    return c >= 0x400 && c <= 0x4FF && !(c >= 0x482 && c <= 0x489);
}

static int is_letter(uint32_t c)
{
    return is_ascii_alpha(c) || is_cyr_letter(c);
}

/* combining diacritics (U+0300 grave for accented vowels): part of a word */
static int is_mark(uint32_t c)
{
    return c >= 0x300 && c <= 0x36F;
}

static int is_upper(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 0x400 && c <= 0x42F);
}

static int is_lower(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 0x430 && c <= 0x45F);
}

static int is_space(uint32_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0;
}

static uint32_t lower_cp(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0x410 && c <= 0x42F)
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50;
    return c;
}

static uint32_t upper_cp(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c >= 0x430 && c <= 0x44F)
        return c - 0x20;
    if (c >= 0x450 && c <= 0x45F)
        return c - 0x50;
    return c;
}

/* ------------------------------------------------------------------ */
/* Output with the snprintf contract                                   */

struct sink {
    char *buf;
    size_t size;
    size_t len;  /* bytes the full result needs */
    size_t wlen; /* bytes written */
    int full;    /* something did not fit: write nothing more */
};

static void sink_init(struct sink *k, char *buf, size_t size)
{
    k->buf = buf;
    k->size = buf ? size : 0;
    k->len = 0;
    k->wlen = 0;
    k->full = 0;
}

static void put_bytes(struct sink *k, const char *p, size_t n)
{
    if (!k->full && k->wlen + n < k->size) {
        memcpy(k->buf + k->wlen, p, n);
        k->wlen += n;
    } else {
        k->full = 1;
    }
    k->len += n;
}

static void put_cp(struct sink *k, uint32_t c)
{
    char b[4];

    if (c == BADCP || c > 0x10FFFF) {
        put_bytes(k, "?", 1);
    } else if (c < 0x80) {
        b[0] = (char)c;
        put_bytes(k, b, 1);
    } else if (c < 0x800) {
        b[0] = (char)(0xC0 | (c >> 6));
        b[1] = (char)(0x80 | (c & 0x3F));
        put_bytes(k, b, 2);
    } else if (c < 0x10000) {
        b[0] = (char)(0xE0 | (c >> 12));
        b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F));
        put_bytes(k, b, 3);
    } else {
        b[0] = (char)(0xF0 | (c >> 18));
        b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[3] = (char)(0x80 | (c & 0x3F));
        put_bytes(k, b, 4);
    }
}

static size_t sink_end(struct sink *k)
{
    if (k->size > 0)
        k->buf[k->wlen] = '\0';
    return k->len;
}

static const unsigned char *in_bytes(const char *in)
{
    return (const unsigned char *)(in ? in : "");
}

/* Is the word starting at p (a run of letters and marks) "all upper case":
 * two or more letters and not one of them lower case? */
static int word_all_upper(const unsigned char *p)
{
    int letters = 0, lower = 0;
    uint32_t c;

    while (*p) {
        p += u8_decode(p, &c);
        if (is_letter(c)) {
            letters++;
            if (is_lower(c))
                lower = 1;
        } else if (!is_mark(c)) {
            break;
        }
    }
    return letters >= 2 && !lower;
}

static int in_word(uint32_t c)
{
    return is_letter(c) || is_mark(c);
}

/* Does the word at p, compared ignoring case, equal the code points w? */
static int word_is(const unsigned char *p, const uint16_t *w, size_t n)
{
    uint32_t c;
    size_t i;

    for (i = 0; i < n; i++) {
        if (!*p)
            return 0;
        p += u8_decode(p, &c);
        if (lower_cp(c) != w[i])
            return 0;
    }
    u8_decode(p, &c);
    return !in_word(c);
}

/* Art. 6 of the Act: the name of the state keeps its traditional form. */
static const uint16_t bulgaria_cyr[8] = {
    0x431, 0x44A, 0x43B, 0x433, 0x430, 0x440, 0x438, 0x44F /* българия */
};
static const uint16_t bulgaria_lat[8] = {'b', 'u', 'l', 'g', 'a', 'r', 'i', 'a'};

/* ------------------------------------------------------------------ */
/* Cyrillic -> Latin                                                   */

/* а..я, U+0430..U+044F (ы -> y and э -> e are not Bulgarian) */
static const char *const lat_tab[32] = {
    "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n",
    "o", "p", "r", "s", "t", "u", "f", "h", "ts", "ch", "sh", "sht", "a",
    "y", "y", "e", "yu", "ya",
};

static const char *latin_of(uint32_t lc)
{
    if (lc >= 0x430 && lc <= 0x44F)
        return lat_tab[lc - 0x430];
    switch (lc) {
    case 0x450: return "e";  /* ѐ */
    case 0x451: return "yo"; /* ё */
    case 0x45D: return "i";  /* ѝ */
    default: return NULL;
    }
}

static void put_latin(struct sink *k, const char *s, int upper, int all)
{
    size_t i;

    for (i = 0; s[i]; i++) {
        char c = s[i];
        if (upper && (i == 0 || all))
            c = (char)(c - 'a' + 'A');
        put_bytes(k, &c, 1);
    }
}

static size_t to_latin(const char *in, char *out, size_t out_size, int fold)
{
    const unsigned char *p = in_bytes(in);
    struct sink k;
    uint32_t c, prev = 0, next;
    int upper_word = 0, bulgaria = 0;

    sink_init(&k, out, out_size);
    while (*p) {
        size_t n = u8_decode(p, &c);
        uint32_t lc = lower_cp(c);
        const char *s = c == BADCP ? NULL : latin_of(lc);

        if (in_word(c) && !in_word(prev)) {
            upper_word = word_all_upper(p);
            bulgaria = word_is(p, bulgaria_cyr, 8);
        }
        if (lc == 0x44A && bulgaria)
            s = "u";
        if (s) {
            if (lc == 0x44F && lower_cp(prev) == 0x438) { /* "ия" ... */
                u8_decode(p + n, &next);
                if (!in_word(next))                        /* ... final */
                    s = "a";
            }
            put_latin(&k, s, !fold && is_upper(c), upper_word);
        } else if (fold && c != BADCP) {
            put_cp(&k, lower_cp(c));
        } else {
            put_cp(&k, c);
        }
        prev = c;
        p += n;
    }
    return sink_end(&k);
}

size_t translit_to_latin(const char *in, char *out, size_t out_size)
{
    return to_latin(in, out, out_size, 0);
}

size_t translit_fold(const char *in, char *out, size_t out_size)
{
    return to_latin(in, out, out_size, 1);
}

size_t utf8_lower(const char *in, char *out, size_t out_size)
{
    const unsigned char *p = in_bytes(in);
    struct sink k;
    uint32_t c;

    sink_init(&k, out, out_size);
    while (*p) {
        p += u8_decode(p, &c);
        put_cp(&k, c == BADCP ? c : lower_cp(c));
    }
    return sink_end(&k);
}

/* ------------------------------------------------------------------ */
/* Latin -> Cyrillic                                                   */

/* a..z: one or two lower-case Cyrillic letters */
static const uint16_t cyr_tab[26][2] = {
    {0x430, 0}, {0x431, 0}, {0x446, 0}, {0x434, 0}, {0x435, 0},     /* a b c d e */
    {0x444, 0}, {0x433, 0}, {0x445, 0}, {0x438, 0}, {0x439, 0},     /* f g h i j */
    {0x43A, 0}, {0x43B, 0}, {0x43C, 0}, {0x43D, 0}, {0x43E, 0},     /* k l m n o */
    {0x43F, 0}, {0x44F, 0}, {0x440, 0}, {0x441, 0}, {0x442, 0},     /* p q r s t */
    {0x443, 0}, {0x432, 0}, {0x432, 0}, {0x43A, 0x441}, {0x439, 0}, /* u v w x y */
    {0x437, 0},                                                     /* z */
};

static uint32_t ascii_lower_letter(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32u;
    if (c >= 'a' && c <= 'z')
        return c;
    return 0;
}

/* Upper-case Roman numeral from 2 to 39 letters long (II .. XXXIX)? */
static int roman_numeral(const unsigned char *w, size_t n)
{
    static const char *const ones[10] = {
        "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"
    };
    size_t t, o, i, ol;

    if (n < 2)
        return 0;
    for (t = 0; t <= 3; t++) {
        for (o = 0; o < 10; o++) {
            ol = strlen(ones[o]);
            if (t + ol != n)
                continue;
            for (i = 0; i < t && w[i] == 'X'; i++)
                ;
            if (i == t && memcmp(w + t, ones[o], ol) == 0)
                return 1;
        }
    }
    return 0;
}

static int has_lower_letter(const unsigned char *p)
{
    uint32_t c;

    while (*p) {
        p += u8_decode(p, &c);
        if (is_lower(c))
            return 1;
    }
    return 0;
}

static void put_cyr(struct sink *k, uint32_t a, uint32_t b, int upper, int all)
{
    put_cp(k, upper ? upper_cp(a) : a);
    if (b)
        put_cp(k, upper && all ? upper_cp(b) : b);
}

/* Letter groups, longest first: Latin (lower case) -> one or two Cyrillic */
static const struct {
    char latin[4];
    uint16_t a, b;
} latin_groups[] = {
    {"sht", 0x449, 0},     /* щ */
    {"tsh", 0x442, 0x448}, /* тш: отшелник, not цх */
    {"zh", 0x436, 0},      /* ж */
    {"ts", 0x446, 0},      /* ц */
    {"ch", 0x447, 0},      /* ч */
    {"sh", 0x448, 0},      /* ш */
    {"yu", 0x44E, 0},      /* ю */
    {"ya", 0x44F, 0},      /* я */
};

/* Match the group of Latin letters at p (an ASCII letter); prev is the
 * code point before it.  Sets the Cyrillic letters (b may be 0) and returns
 * the number of bytes used. */
static size_t latin_group(const unsigned char *p, uint32_t prev, int bulgaria,
                          uint32_t *a, uint32_t *b)
{
    uint32_t l0 = ascii_lower_letter(p[0]);
    uint32_t l1 = ascii_lower_letter(p[1]);
    uint32_t next;
    size_t g, i;

    *b = 0;
    if (bulgaria && l0 == 'u') { /* Bulgaria -> България */
        *a = 0x44A;
        return 1;
    }
    for (g = 0; g < sizeof latin_groups / sizeof latin_groups[0]; g++) {
        const char *lg = latin_groups[g].latin;
        for (i = 0; lg[i] && ascii_lower_letter(p[i]) == (unsigned char)lg[i]; i++)
            ;
        if (!lg[i]) {
            *a = latin_groups[g].a;
            *b = latin_groups[g].b;
            return i;
        }
    }
    if (l0 == 'y' && l1 == 'o') { /* ьо after a consonant, else йо */
        uint32_t pl = is_ascii_alpha(prev) ? lower_cp(prev) : 0;
        *a = pl && !strchr("aeiouy", (int)pl) ? 0x44C : 0x439;
        *b = 0x43E;
        return 2;
    }
    if (l0 == 'i' && l1 == 'a') {
        u8_decode(p + 2, &next);
        if (!in_word(next)) { /* final ия */
            *a = 0x438;
            *b = 0x44F;
            return 2;
        }
    }
    *a = cyr_tab[l0 - 'a'][0];
    *b = cyr_tab[l0 - 'a'][1];
    return 1;
}

size_t translit_to_cyrillic(const char *in, char *out, size_t out_size)
{
    const unsigned char *p = in_bytes(in);
    int any_lower = has_lower_letter(p);
    int upper_word = 0, bulgaria = 0;
    uint32_t c, prev = 0;
    struct sink k;

    sink_init(&k, out, out_size);
    while (*p) {
        size_t n = u8_decode(p, &c), wl;
        uint32_t a, b, after;
        int up;

        if (in_word(c) && !in_word(prev)) {
            upper_word = word_all_upper(p);
            bulgaria = word_is(p, bulgaria_lat, 8);
            for (wl = 0; p[wl] == 'I' || p[wl] == 'V' || p[wl] == 'X'; wl++)
                ;
            u8_decode(p + wl, &after);
            if (!in_word(after) && roman_numeral(p, wl) &&
                !(wl == 2 && p[0] == 'V' && p[1] == 'I' && !any_lower)) {
                put_bytes(&k, (const char *)p, wl);
                prev = 'I';
                p += wl;
                continue;
            }
        }
        if (!ascii_lower_letter(*p)) {
            put_cp(&k, c);
            prev = c;
            p += n;
            continue;
        }
        n = latin_group(p, prev, bulgaria, &a, &b);
        up = *p >= 'A' && *p <= 'Z';
        put_cyr(&k, a, b, up, upper_word);
        prev = p[n - 1];
        p += n;
    }
    return sink_end(&k);
}

/* ------------------------------------------------------------------ */
/* Keyboard layouts                                                    */

/* Generated from /usr/share/X11/xkb/symbols/bg, variants "bds" and
 * "phonetic", levels 1 and 2 of the US main-block keys (TLDE, AE01-AE12,
 * AD01-AD12, AC01-AC11, BKSL, AB01-AB10): the US character of the key and
 * what the Bulgarian layout produces there.  Keys that produce their own
 * US character are left out.  Both tables are one-to-one. */
struct key_map {
    char key;
    uint16_t cp;
};

static const struct key_map kb_bds[] = {
    {'"', 0x0427}, {'#', 0x002B}, {'$', 0x0022}, {'&', 0x003A}, {'\'', 0x0447}, {'(', 0x2013}, /* "Ч #+ $" &: 'ч (– */
    {')', 0x2116}, {'*', 0x002F}, {'+', 0x20AC}, {',', 0x0440}, {'.', 0x043B}, {'/', 0x0431}, /* )№ * / +€ ,р .л /б */
    {':', 0x041C}, {';', 0x043C}, {'<', 0x0420}, {'=', 0x002E}, {'>', 0x041B}, {'?', 0x0411}, /* :М ;м <Р =. >Л ?Б */
    {'@', 0x003F}, {'A', 0x045D}, {'B', 0x0424}, {'C', 0x042A}, {'D', 0x0410}, {'E', 0x0415}, /* @? Aѝ BФ CЪ DА EЕ */
    {'F', 0x041E}, {'G', 0x0416}, {'H', 0x0413}, {'I', 0x0421}, {'J', 0x0422}, {'K', 0x041D}, /* FО GЖ HГ IС JТ KН */
    {'L', 0x0412}, {'M', 0x041F}, {'N', 0x0425}, {'O', 0x0414}, {'P', 0x0417}, {'Q', 0x044B}, /* LВ MП NХ OД PЗ Qы */
    {'R', 0x0418}, {'S', 0x042F}, {'T', 0x0428}, {'U', 0x041A}, {'V', 0x042D}, {'W', 0x0423}, /* RИ SЯ TШ UК VЭ WУ */
    {'X', 0x0419}, {'Y', 0x0429}, {'Z', 0x042E}, {'[', 0x0446}, {'\\', 0x201E}, {']', 0x003B}, /* XЙ YЩ ZЮ [ц \„ ]; */
    {'^', 0x003D}, {'_', 0x0024}, {'`', 0x0028}, {'a', 0x044C}, {'b', 0x0444}, {'c', 0x044A}, /* ^= _$ `( aь bф cъ */
    {'d', 0x0430}, {'e', 0x0435}, {'f', 0x043E}, {'g', 0x0436}, {'h', 0x0433}, {'i', 0x0441}, /* dа eе fо gж hг iс */
    {'j', 0x0442}, {'k', 0x043D}, {'l', 0x0432}, {'m', 0x043F}, {'n', 0x0445}, {'o', 0x0434}, /* jт kн lв mп nх oд */
    {'p', 0x0437}, {'q', 0x002C}, {'r', 0x0438}, {'s', 0x044F}, {'t', 0x0448}, {'u', 0x043A}, /* pз q, rи sя tш uк */
    {'v', 0x044D}, {'w', 0x0443}, {'x', 0x0439}, {'y', 0x0449}, {'z', 0x044E}, {'{', 0x0426}, /* vэ wу xй yщ zю {Ц */
    {'|', 0x201C}, {'}', 0x00A7}, {'~', 0x0029}, /* |“ }§ ~) */
    {0, 0}
};

static const struct key_map kb_phonetic[] = {
    {'#', 0x2116}, {'&', 0x00A7}, {'<', 0x201E}, {'>', 0x201C}, {'A', 0x0410}, {'B', 0x0411}, /* #№ &§ <„ >“ AА BБ */
    {'C', 0x0426}, {'D', 0x0414}, {'E', 0x0415}, {'F', 0x0424}, {'G', 0x0413}, {'H', 0x0425}, /* CЦ DД EЕ FФ GГ HХ */
    {'I', 0x0418}, {'J', 0x0419}, {'K', 0x041A}, {'L', 0x041B}, {'M', 0x041C}, {'N', 0x041D}, /* IИ JЙ KК LЛ MМ NН */
    {'O', 0x041E}, {'P', 0x041F}, {'Q', 0x042F}, {'R', 0x0420}, {'S', 0x0421}, {'T', 0x0422}, /* OО PП QЯ RР SС TТ */
    {'U', 0x0423}, {'V', 0x0416}, {'W', 0x0412}, {'X', 0x045D}, {'Y', 0x042A}, {'Z', 0x0417}, /* UУ VЖ WВ Xѝ YЪ ZЗ */
    {'[', 0x0448}, {'\\', 0x044E}, {']', 0x0449}, {'^', 0x20AC}, {'_', 0x2013}, {'`', 0x0447}, /* [ш \ю ]щ ^€ _– `ч */
    {'a', 0x0430}, {'b', 0x0431}, {'c', 0x0446}, {'d', 0x0434}, {'e', 0x0435}, {'f', 0x0444}, /* aа bб cц dд eе fф */
    {'g', 0x0433}, {'h', 0x0445}, {'i', 0x0438}, {'j', 0x0439}, {'k', 0x043A}, {'l', 0x043B}, /* gг hх iи jй kк lл */
    {'m', 0x043C}, {'n', 0x043D}, {'o', 0x043E}, {'p', 0x043F}, {'q', 0x044F}, {'r', 0x0440}, /* mм nн oо pп qя rр */
    {'s', 0x0441}, {'t', 0x0442}, {'u', 0x0443}, {'v', 0x0436}, {'w', 0x0432}, {'x', 0x044C}, /* sс tт uу vж wв xь */
    {'y', 0x044A}, {'z', 0x0437}, {'{', 0x0428}, {'|', 0x042E}, {'}', 0x0429}, {'~', 0x0427}, /* yъ zз {Ш |Ю }Щ ~Ч */
    {0, 0}
};

static const struct key_map *kb_table(enum kb_layout layout)
{
    return layout == KB_PHONETIC ? kb_phonetic : kb_bds;
}

static uint32_t swap_cp(const struct key_map *t, enum kb_direction dir, uint32_t c)
{
    const struct key_map *e;
    uint32_t lc;

    if (c == BADCP)
        return c;
    if (dir == LAYOUT_TO_CYRILLIC) {
        if (c > 0x20 && c < 0x7F)
            for (e = t; e->key; e++)
                if ((uint32_t)(unsigned char)e->key == c)
                    return e->cp;
        return c;
    }
    for (e = t; e->key; e++)
        if (e->cp == c)
            return (unsigned char)e->key;
    if (c >= 0x400 && is_upper(c)) { /* e.g. Ь: no key of its own */
        lc = lower_cp(c);
        for (e = t; e->key; e++)
            if (e->cp == lc && e->key >= 'a' && e->key <= 'z')
                return (unsigned char)(e->key - 'a' + 'A');
    }
    return c;
}

size_t layout_swap(const char *in, enum kb_layout layout, enum kb_direction dir,
                   char *out, size_t out_size)
{
    const struct key_map *t = kb_table(layout);
    const unsigned char *p = in_bytes(in);
    struct sink k;
    uint32_t c;

    sink_init(&k, out, out_size);
    while (*p) {
        p += u8_decode(p, &c);
        put_cp(&k, swap_cp(t, dir, c));
    }
    return sink_end(&k);
}

/* ------------------------------------------------------------------ */
/* Wrong-layout detection                                              */

/*
 * Letter-bigram models: cost of letter b following letter a, in quarter
 * bits (-4 * log2 P(b | a), add-0.5 smoothing, capped at 99); index 0 is
 * the word boundary.  Built offline from the Debian word lists wbulgarian
 * (867k Bulgarian word forms) and wamerican (73k English words plus as many
 * Bulgarian words transliterated by the Streamlined System); only these
 * numbers are kept.
 */

static const unsigned char bg_bigram[31][31] = {
    /*    #  а  б  в  г  д  е  ж  з  и  й  к  л  м  н  о  п  р  с  т  у  ф  х  ц  ч  ш  щ  ъ  ь  ю  я */
    /* # */ {83,25,21,19,24,18,27,32,15,15,45,19,26,22,14,14, 8,16,15,23,22,28,27,30,28,29,36,53,83,42,37},
    /* а */ {10,51,24,17,24,21,29,28,17,36,21,22,13,19,12,36,22,19,20,13,38,34,19,30,25,23,15,84,84,63,35},
    /* б */ {44,14,71,19,32,32,10,41,34,13,71,33,13,30,22,12,50,12,25,33,15,57,35,43,34,40,28,17,71,36,18},
    /* в */ {29, 3,44,40,37,30,15,48,32,15,79,28,25,35,24,17,34,24,28,28,23,55,52,39,36,47,50,17,56,51,19},
    /* г */ {34,10,70,19,61,44,20,70,48,17,70,70,11,31,14,10,70,10,37,55,20,61,64,70,35,70,70,16,37,41,49},
    /* д */ {35,11,31,18,29,35,11,25,33,12,74,26,26,26,16,11,23,15,22,36,18,55,31,37,35,36,61,19,49,38,16},
    /* е */ { 8,36,26,23,25,19,22,24,22,32,25,22,13,21,13,28,21,18,17,16,34,34,21,31,25,24,18,62,82,64,34},
    /* ж */ {32,10,35,19,61, 8, 9,67,67,11,67,28,30,51,17,25,67,32,67,41,20,67,67,49,54,67,67,21,53,67,67},
    /* з */ {43, 7,21,15,21,19,21,32,32,16,76,18,20,19,18,20,15,20,20,19,26,34,24,30,25,32,38,28,44,41,24},
    /* и */ {12,32,32,20,25,26,26,29,12,30,32,22,17,23,20,28,24,15,19,11,43,33,23,27,20,26,32,59,82,49,10},
    /* й */ { 9,60,36,17,40,25,34,66,37,57,66, 7,26,25,16,26,40,38,14, 9,66,35,45,29,26,40,46,49,66,66,66},
    /* к */ {29, 8,75,14,75,51,27,75,40,11,75,69,17,34,22,10,58,15,24,21,18,61,51,31,35,55,75,17,38,41,41},
    /* л */ {17,10,33,24,35,39,13,38,33, 7,79,28,54,40,19,11,37,79,26,29,20,46,48,34,32,43,56,23,41,22,17},
    /* м */ {14,12,29,24,41,45, 7,37,57,12,74,34,28,74,20,12,24,22,32,31,20,36,74,46,29,45,57,17,56,46,20},
    /* н */ {18, 7,51,29,33,27,11,44,38, 8,80,27,45,58,27,12,54,40,24,21,30,35,41,32,29,45,52,37,43,47,19},
    /* о */ {10,36,17,16,21,17,31,25,21,24,33,20,19,20,18,23,17,16,15,11,29,32,27,32,25,30,33,49,82,49,27},
    /* п */ {45,16,78,20,69,78,17,78,78,16,78,29,17,69,26, 6,78, 7,31,29,22,53,65,49,29,58,61,21,59,47,24},
    /* р */ {33, 7,29,22,31,26,10,29,31,12,80,24,30,26,23,13,29,57,24,23,21,39,37,35,28,28,54,18,62,44,18},
    /* с */ {37,16,31,14,27,32,16,77,77,16,77,12,17,20,18,22,19,24,60, 7,23,37,36,34,35,50,77,17,46,43,21},
    /* т */ {12,10,35,17,36,37, 8,50,44,15,81,28,29,33,24,11,32,17,28,31,24,56,40,45,38,46,47,21,46,42,21},
    /* у */ {42,31,20,11,22,17,25,22,24,28,32,17,15,15,21,34,15,16,14,18,49,31,20,27,17,15,29,73,73,45,33},
    /* ф */ {31,12,62,25,38,49,13,62,62, 7,62,28,18,45,25,11,47,15,23,18,16,62,62,62,33,62,46,23,39,29,25},
    /* х */ {11, 9,57,16,72,55,28,72,52,20,72,30,19,11,21,18,49,19,43,10,27,72,72,59,43,72,55,26,72,62,72},
    /* ц */ {24,11,65,16,48,51, 9,65,65, 5,65,28,40,41,28,20,65,39,65,65,21,65,46,65,65,51,65,17,44,58,33},
    /* ч */ {34, 9,54,15,70,70, 6,70,70,12,70,18,29,43,14,23,70,35,70,29,16,70,64,61,70,70,70,33,70,70,46},
    /* ш */ { 9,13,68,16,62,68, 6,68,68,13,68,17,21,32,20,28,29,39,68,62,19,68,55,56,46,68,68,33,68,68,51},
    /* щ */ {14, 8,72,28,72,72,21,72,72, 5,72,72,72,72,31, 9,72,30,72,54,29,72,72,60,72,72,72,35,72,72,23},
    /* ъ */ {61,53,21,21,21,20,35,20,15,46,66,17,15,22,18,28,17, 8,15,14,39,27,20,31,20,27,23,73,73,39,73},
    /* ь */ {47,47,47,47,47,47,47,47,47,47,47,47,47,47,47, 0,47,47,47,47,47,47,47,47,47,47,47,47,47,47,47},
    /* ю */ {18,30,11,20,31,17,25,29,19,28,34,21,15,17,17,58,24,17,18,12,58,30,27,22,14,20,17,58,58,58,40},
    /* я */ { 9,77,40, 9,26,26,34,34,28,58,29,28,15,30,18,77,37,31,23, 8,44,58,19,46,38,32,16,77,77,67,54},
};

static const unsigned char lat_bigram[27][27] = {
    /*    #  a  b  c  d  e  f  g  h  i  j  k  l  m  n  o  p  q  r  s  t  u  v  w  x  y  z */
    /* # */ {73,19,18,17,17,21,21,21,22,17,30,22,22,19,17,17,11,35,16,13,19,22,21,25,44,33,18},
    /* a */ {12,46,23,22,21,30,31,23,20,27,47,23,13,20,13,37,21,47,16,13,11,30,16,34,40,23,18},
    /* b */ {27,11,22,34,32,10,42,36,36,13,35,38,11,32,25,12,42,55,13,20,30,15,24,42,55,21,36},
    /* c */ {21,13,48,25,45,15,51,49, 6,17,64,16,20,46,46,12,48,38,18,27,17,19,51,64,64,27,45},
    /* d */ { 9,13,32,34,25,10,37,27,32,12,37,30,23,28,21,14,27,51,17,19,35,19,22,33,65,20,28},
    /* e */ {10,22,27,22,15,22,28,25,24,29,43,25,15,21,13,28,22,38,13,11,17,32,24,31,28,26,23},
    /* f */ {22,13,38,37,43,13,15,40,40, 9,48,36,14,42,31,12,43,57,15,23,18,14,35,45,57,22,57},
    /* g */ { 8,12,40,43,41,14,41,22,20,16,50,46,15,30,18,14,41,54,13,21,35,19,26,39,63,28,44},
    /* h */ {15,11,37,44,22,10,41,50,44,14,51,25,24,20,20,17,40,54,24,30, 8,20,20,37,67,28,53},
    /* i */ {15,16,28,17,23,19,27,23,26,33,48,24,17,21,11,19,24,40,17,15,12,36,20,49,39,17,14},
    /* j */ {27, 8,46,46,46,10,39,46,46,14,46,39,46,46,46, 9,36,46,36,36,46, 8,39,39,46,46,46},
    /* k */ {19, 8,35,36,40,15,38,44,32,11,47,38,17,32,21,11,38,63,16,19,21,19,16,35,63,27,40},
    /* l */ {16,10,32,31,27,11,34,33,41, 8,54,28,17,32,22,12,33,54,42,22,24,20,26,44,50,14,34},
    /* m */ {15,10,20,30,44, 8,34,45,43,11,64,37,30,22,22,13,17,50,26,22,34,19,28,45,64,22,40},
    /* n */ {15,10,36,20,19,12,29,13,35,10,39,26,34,38,24,14,37,39,35,17,15,27,29,39,47,22,37},
    /* o */ {12,27,19,22,18,29,29,21,28,23,46,21,17,19,13,20,18,45,14,15,13,20,18,25,36,26,21},
    /* p */ {26,13,41,31,44,14,43,47,22,15,53,30,16,41,28, 8,23,66, 8,23,24,20,23,43,60,25,60},
    /* q */ {26,31,38,45,45,45,45,45,45,29,45,45,32,45,45,38,45,45,45,38,38, 0,45,38,45,45,45},
    /* r */ {17, 8,27,25,23,10,33,27,34,12,44,25,27,24,23,13,28,46,25,17,20,21,24,37,53,20,30},
    /* s */ { 9,17,35,23,37,16,38,34, 9,16,51,19,22,24,24,22,21,36,31,20,11,23,22,32,70,26,56},
    /* t */ {12,11,35,31,39, 9,39,38,23,11,55,31,26,33,27,12,34,71,17,17,24,23,21,36,65,22,38},
    /* u */ {29,21,19,18,19,20,27,21,26,21,43,22,14,16,13,30,17,49,13,11,15,44,16,48,36,32,23},
    /* v */ {28, 3,44,36,30,11,53,37,49,14,59,29,26,37,24,17,34,66,24,29,28,23,39,66,66,20,34},
    /* w */ {18, 9,26,35,24,10,31,36,16,10,54,28,21,31,17,13,31,54,19,17,30,33,47,36,54,30,39},
    /* x */ {12,16,38,15,47,11,38,38,20,10,47,47,32,36,38,20,11,38,38,36,12,20,26,32,23,23,41},
    /* y */ {10, 3,34,29,32,26,38,36,39,26,49,19,29,28,25,26,28,58,31,21,20,20,30,35,44,53,41},
    /* z */ {31, 8,22,26,20,17,35,22,10,16,64,20,21,20,20,21,16,57,22,21,20,26,16,49,64,24,26},
};

#define BIGRAM_OTHER 56 /* a bigram with a non-letter (or foreign letter) */
/* Thresholds in tenths of a bit per bigram: */
#define COST_BAD 46  /* text above this is not plausible */
#define COST_GOOD 52 /* a correction must score below this ... */
#define COST_GAIN 15 /* ... and this much better than the input */

struct model {
    const unsigned char *cost; /* dim x dim */
    int dim;
    int cyrillic;
};

/* Model index of a code point: 1.. for a letter of the alphabet, -1 for
 * anything else. */
static int model_index(const struct model *m, uint32_t c)
{
    c = lower_cp(c);
    if (!m->cyrillic)
        return c >= 'a' && c <= 'z' ? (int)(c - 'a') + 1 : -1;
    if (c == 0x45D) /* ѝ */
        c = 0x438;
    if (c < 0x430 || c > 0x44F || c == 0x44B || c == 0x44D) /* no ы, э */
        return -1;
    return (int)(c - 0x430) + 1 - (c > 0x44B) - (c > 0x44D);
}

/* Streaming scorer.  Words are split at white space; leading ( " ' and
 * trailing . , ! ? ; : ) " ' are ignored; words without a letter of the
 * model's alphabet (numbers, "III" in Cyrillic text) are skipped; any other
 * character inside a word costs BIGRAM_OTHER. */
struct scorer {
    const struct model *m;
    long sum, n;   /* words taken so far */
    long wsum, wn; /* current word */
    int prev;      /* previous index, 0 = word start, -2 = between words */
    int lead;
    int pending;   /* trailing punctuation held back */
    int letter;
    /* counts for the "mostly letters" test */
    long nonspace, letters, keyish, latin, cyrillic;
};

static void scorer_init(struct scorer *s, const struct model *m)
{
    memset(s, 0, sizeof *s);
    s->m = m;
    s->prev = -2;
}

static void scorer_add(struct scorer *s, int a, int b)
{
    s->wsum += a < 0 || b < 0 ? BIGRAM_OTHER : s->m->cost[a * s->m->dim + b];
    s->wn++;
}

static void scorer_end_word(struct scorer *s)
{
    if (s->prev == -2)
        return;
    scorer_add(s, s->prev, 0);
    if (s->letter) {
        s->sum += s->wsum;
        s->n += s->wn;
    }
    s->prev = -2;
}

static void scorer_feed(struct scorer *s, uint32_t c)
{
    int i;

    if (is_space(c)) {
        scorer_end_word(s);
        return;
    }
    s->nonspace++;
    if (is_letter(c))
        s->letters++;
    else if (c < 0x80 && strchr("[{]};:'\",<.>/?`~\\|", (int)c))
        s->keyish++; /* keys that carry letters on the Bulgarian layouts */
    if (is_ascii_alpha(c))
        s->latin++;
    else if (is_cyr_letter(c))
        s->cyrillic++;

    if (s->prev == -2) {
        s->prev = 0;
        s->wsum = s->wn = 0;
        s->lead = 1;
        s->pending = 0;
        s->letter = 0;
    }
    if (s->lead && (c == '(' || c == '"' || c == '\''))
        return;
    s->lead = 0;
    if (c < 0x80 && strchr(".,!?;:)\"'", (int)c)) {
        s->pending++;
        return;
    }
    for (; s->pending > 0; s->pending--) {
        scorer_add(s, s->prev, -1);
        s->prev = -1;
    }
    i = model_index(s->m, c);
    if (i > 0)
        s->letter = 1;
    scorer_add(s, s->prev, i);
    s->prev = i;
}

/* Feed `in`, mapped through layout table t in direction dir (t NULL: as
 * is).  The cost per bigram is then s->sum / s->n quarter bits (n may be 0). */
static void score_text(struct scorer *s, const char *in,
                         const struct key_map *t, enum kb_direction dir)
{
    const unsigned char *p = in_bytes(in);
    uint32_t c;

    while (*p) {
        p += u8_decode(p, &c);
        if (c == BADCP)
            c = '?';
        else if (t)
            c = swap_cp(t, dir, c);
        scorer_feed(s, c);
    }
    scorer_end_word(s);
}

/* Compare cost a/an with b/bn + tenths/10 bits (costs in quarter bits per
 * bigram): < 0, 0 or > 0. */
static int cost_cmp(long a, long an, long b, long bn, long tenths)
{
    long long l = (long long)a * bn * 10;
    long long r = (long long)b * an * 10 + (long long)tenths * 4 * an * bn;

    return (l > r) - (l < r);
}

int layout_guess(const char *in, char *out, size_t out_size)
{
    static const struct model lat = {&lat_bigram[0][0], 27, 0};
    static const struct model bg = {&bg_bigram[0][0], 31, 1};
    static const enum kb_layout layouts[2] = {KB_BDS, KB_PHONETIC};
    struct scorer s;
    enum kb_direction dir;
    const struct model *from, *to;
    long src, src_n, best = 0, best_n = 0;
    int i, which = 0;

    if (out && out_size > 0)
        out[0] = '\0';

    scorer_init(&s, &lat); /* counts only */
    score_text(&s, in, NULL, LAYOUT_TO_CYRILLIC);
    if (s.latin + s.cyrillic < 3)
        return 0;
    dir = s.latin >= s.cyrillic ? LAYOUT_TO_CYRILLIC : LAYOUT_TO_LATIN;
    from = dir == LAYOUT_TO_CYRILLIC ? &lat : &bg;
    to = dir == LAYOUT_TO_CYRILLIC ? &bg : &lat;
    if ((s.letters + (dir == LAYOUT_TO_CYRILLIC ? s.keyish : 0)) * 10 < s.nonspace * 7)
        return 0;

    scorer_init(&s, from);
    score_text(&s, in, NULL, dir);
    src = s.sum;
    src_n = s.n;
    if (src_n == 0 || cost_cmp(src, src_n, 0, 1, COST_BAD) <= 0)
        return 0;

    for (i = 0; i < 2; i++) {
        scorer_init(&s, to);
        score_text(&s, in, kb_table(layouts[i]), dir);
        if (s.n == 0 || s.letters * 10 < s.nonspace * 7)
            continue;
        if (best_n == 0 || cost_cmp(s.sum, s.n, best, best_n, 0) < 0) {
            best = s.sum;
            best_n = s.n;
            which = i;
        }
    }
    if (best_n == 0 || cost_cmp(best, best_n, 0, 1, COST_GOOD) >= 0 ||
        cost_cmp(src, src_n, best, best_n, COST_GAIN) <= 0)
        return 0;
    layout_swap(in, layouts[which], dir, out, out_size);
    return 1;
}

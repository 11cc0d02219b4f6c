#ifndef SIGNALDESK_TRANSLIT_H
#define SIGNALDESK_TRANSLIT_H

/*
 * Bulgarian transliteration, case folding and wrong-keyboard-layout repair.
 *
 * Pure C11: no locale, no global state, no allocation.  All functions take
 * NUL-terminated UTF-8 (a NULL `in` is treated as "") and share one buffer
 * contract, like snprintf: at most out_size-1 bytes are written plus a NUL
 * (nothing at all when out_size is 0, in which case `out` may be NULL), and
 * the return value is the length the complete result needs.  A truncated
 * result never ends in a partial UTF-8 sequence.  Bytes that are not valid
 * UTF-8 (stray continuation bytes, overlong forms, surrogates, > U+10FFFF,
 * truncated sequences) are written as '?', one per byte.
 */

#include <stddef.h>

/* Bulgarian Cyrillic -> Latin by the official Streamlined System
 * (Transliteration Act 2009):
 * а a, б b, в v, г g, д d, е e, ж zh, з z, и i, й y, к k, л l, м m, н n,
 * о o, п p, р r, с s, т t, у u, ф f, х h, ц ts, ч ch, ш sh, щ sht, ъ a,
 * ь y, ю yu, я ya; "ия" at the end of a word -> "ia".
 * Case is kept: an upper-case letter becomes a capitalised group ("Ж" ->
 * "Zh") unless its word (a run of letters) has two or more letters and none
 * of them is lower case, then the whole group is upper case ("ЖЕЛЯЗКО" ->
 * "ZHELYAZKO", "ЖК" -> "ZHK", "София" -> "Sofia").
 * Also ѝ -> i, ѐ -> e, ы -> y, э -> e, ё -> yo.  Every other character
 * passes through unchanged. */
size_t translit_to_latin(const char *in, char *out, size_t out_size);

/* translit_to_latin, then ASCII A-Z lower-cased; Cyrillic letters that are
 * not transliterated are lower-cased as by utf8_lower.  For search keys:
 * translit_fold("Витоша") == translit_fold("VITOSHA") == "vitosha". */
size_t translit_fold(const char *in, char *out, size_t out_size);

/* Latin -> Cyrillic, best effort (the reverse is lossy).  Longest match
 * first: sht щ, zh ж, ts ц, ch ч, sh ш, yu ю, ya я, "tsh" -> тш, "ia" at the
 * end of a word -> ия, "yo" -> ьо after a consonant and йо elsewhere
 * (Shofyor -> Шофьор, Yordan -> Йордан), y й, then one letter each
 * (a а, b б, v в, g г, d д, e е, z з, i и, k к, l л, m м, n н, o о, p п,
 * r р, s с, t т, u у, f ф, h х) plus the common non-official spellings
 * w в, q я, x кс, j й, c ц.  Case pattern as in translit_to_latin.  An
 * upper-case Roman numeral of 2+ letters (II, III, IV, XIV...) is kept as
 * it is, except "VI" in a text with no lower-case letter ("ВИ").
 * Everything that is not an ASCII letter passes through unchanged. */
size_t translit_to_cyrillic(const char *in, char *out, size_t out_size);

/* Wrong keyboard layout.  The tables are the Linux xkb ones, levels 1 and 2
 * of every key of the US main block: KB_BDS is xkb "bg" (default variant
 * "bds", BDS 5237:2006), KB_PHONETIC is xkb "bg(phonetic)" (traditional
 * phonetic).
 * LAYOUT_TO_CYRILLIC: each printable ASCII character is taken as the US key
 *   that produces it and replaced by what the Bulgarian layout produces on
 *   that key (BDS: "lrjftd" -> "витоша", q -> ',', '/' -> б; phonetic:
 *   "wito[a" -> "витоша").
 * LAYOUT_TO_LATIN: the inverse: each character the Bulgarian layout
 *   produces (Cyrillic, and also its punctuation, e.g. BDS '?' -> '@')
 *   is replaced by the US key at that position.  Upper-case Cyrillic missing
 *   from a layout (Ь) falls back to the upper-cased key of its lower case.
 * Characters not in the table pass through. */
enum kb_layout { KB_BDS, KB_PHONETIC };
enum kb_direction { LAYOUT_TO_CYRILLIC, LAYOUT_TO_LATIN };
size_t layout_swap(const char *in, enum kb_layout layout, enum kb_direction dir,
                   char *out, size_t out_size);

/* Heuristic: does `in` look like text typed in the wrong layout?
 * Returns 1 and writes the most plausible layout_swap() of `in` to `out`
 * when: the text has at least 3 letters and at least 70% of its non-space
 * characters are letters (for Latin text the punctuation keys that carry
 * Bulgarian letters count as letters); the text itself is not plausible
 * in its own script; and a conversion (both layouts, in the direction
 * away from the text's majority script) is plausible and much more so.
 * Plausibility is a letter-bigram model (with word boundaries) built into
 * the code: Bulgarian for Cyrillic, English plus transliterated Bulgarian
 * for Latin.  Returns 0 otherwise and writes "" (if out_size > 0).
 * Examples: "lrjftd" -> "витоша" (BDS), "wito[a" -> "витоша" (phonetic),
 * "геввд" -> "hello" (BDS); "витоша", "Lozenets", "dupka" -> 0. */
int layout_guess(const char *in, char *out, size_t out_size);

/* Lower-case a UTF-8 string: ASCII A-Z, Cyrillic А-Я (U+0410-U+042F) and
 * Ѐ-Џ (U+0400-U+040F); everything else is copied unchanged. */
size_t utf8_lower(const char *in, char *out, size_t out_size);

#endif

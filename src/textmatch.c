#include "textmatch.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "translit.h"
#include "util.h"

char *text_fold(const char *s)
{
    size_t n = translit_fold(s, NULL, 0);
    char *out = xmalloc(n + 1);

    translit_fold(s, out, n + 1);
    return out;
}

static int is_word_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

/* The best place of one word in the text: 3 at its start, 2 at the start of
 * a word, 1 inside a word, 0 nowhere. */
static int word_score(const char *word, size_t len, const char *text)
{
    const char *q;
    int best = 0;

    for (q = text; *q; q++) {
        if (strncmp(q, word, len) != 0)
            continue;
        if (q == text)
            return 3;
        if (!is_word_char((unsigned char)q[-1]))
            best = 2;
        else if (best < 1)
            best = 1;
    }
    return best;
}

int text_match_folded(const char *fquery, const char *ftext)
{
    const char *p = fquery;
    int score = 0, words = 0;

    while (*p) {
        size_t len;
        int s;

        while (*p == ' ' || *p == '\t')
            p++;
        len = strcspn(p, " \t");
        if (len == 0)
            break;
        s = word_score(p, len, ftext);
        if (s == 0)
            return 0;
        score += s;
        words++;
        p += len;
    }
    return words ? score : 1;   /* an empty query matches everything */
}

int text_match(const char *query, const char *text)
{
    char *fq = text_fold(query), *ft = text_fold(text);
    int s = text_match_folded(fq, ft);

    free(fq);
    free(ft);
    return s;
}

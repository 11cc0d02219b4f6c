/* libFuzzer target for the search language: any bytes must parse or fail
 * with a position inside the text, never crash, leak or overrun, and a
 * query that parses must turn into SQL whose values are all parameters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "sqlbuild.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    struct query q;
    struct query_error err;

    memcpy(text, data, size);
    text[size] = '\0';
    if (query_parse(text, &q, &err) == 0) {
        struct sqlq s;
        struct query_ctx ctx = { 1795000000 };
        char free_text[256];
        int i;

        sqlq_init(&s);
        query_where(&q, &ctx, &s);
        /* a parameter for every value: the statement never holds a quote of ours beyond the open list */
        if (s.n > QUERY_MAX_PARAMS || s.n != query_params(&q))
            abort();
        for (i = 0; i < q.nterms; i++)
            if (q.terms[i].pos < 0 || q.terms[i].pos + q.terms[i].len > (int)strlen(text))
                abort();
        query_has_text(&q);
        query_free_text(&q, text, free_text, sizeof free_text);
        sqlq_free(&s);
        query_free(&q);
    } else {
        if (err.pos < 0 || err.pos > (int)strlen(text) || !err.msg[0])
            abort();
        if (q.terms || q.nterms)
            abort();
        query_char_pos(text, err.pos);
    }
    free(text);
    return 0;
}

#include "chart.h"

#include <string.h>

static const char *const rising[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
static const char *const growing[8] = { "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█" };

static void put(char *out, size_t size, size_t *len, const char *s)
{
    size_t n = strlen(s);

    if (*len + n < size) {
        memcpy(out + *len, s, n);
        *len += n;
    }
    out[*len] = '\0';
}

void chart_spark(const long long *v, int n, long long max, char *out, size_t size)
{
    size_t len = 0;
    int i;

    if (!size)
        return;
    out[0] = '\0';
    if (max <= 0)
        for (i = 0; i < n; i++)
            if (v[i] > max)
                max = v[i];
    for (i = 0; i < n; i++) {
        long long level;

        if (v[i] <= 0 || max <= 0) {
            put(out, size, &len, " ");
            continue;
        }
        level = (v[i] * 8 + max - 1) / max;     /* 1..8, rounded up */
        if (level > 8)
            level = 8;
        put(out, size, &len, rising[level - 1]);
    }
}

void chart_bar(long long v, long long max, int width, char *out, size_t size)
{
    size_t len = 0;
    long long eighths;
    int i;

    if (!size)
        return;
    out[0] = '\0';
    if (v <= 0 || max <= 0 || width <= 0)
        return;
    if (v > max)
        v = max;
    eighths = (v * width * 8 + max / 2) / max;
    if (eighths < 1)
        eighths = 1;
    for (i = 0; i < eighths / 8; i++)
        put(out, size, &len, "█");
    if (eighths % 8)
        put(out, size, &len, growing[eighths % 8 - 1]);
}

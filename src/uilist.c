/* The screens' lists: their cells, drawn with ui.c's text helpers, and the
 * moves of their cursor. */
#include "uilist.h"

#include "util.h"

int ui_cell(int y, int x, int width, const char *s, enum ui_role role, int right)
{
    int w;

    if (width <= 0)
        return 1;
    w = utf8_width(s);
    if (w > width) {
        int used = ui_text(y, x, width - 1, s, role);

        ui_text(y, x + used, 1, "…", role);
        ui_fill(y, x + used + 1, width - used - 1, role);
    } else if (right) {
        ui_fill(y, x, width - w, role);
        ui_text(y, x + width - w, w, s, role);
    } else {
        ui_text_pad(y, x, width, s, role);
    }
    return width + 1;
}

int ui_list_move(enum action act, int *cursor, int n, int h)
{
    switch (act) {
    case ACT_MOVE_DOWN:
        if (*cursor < n - 1)
            (*cursor)++;
        return 1;
    case ACT_MOVE_UP:
        if (*cursor > 0)
            (*cursor)--;
        return 1;
    case ACT_PAGE_DOWN:
        *cursor = *cursor + h < n ? *cursor + h : (n ? n - 1 : 0);
        return 1;
    case ACT_PAGE_UP:
        *cursor = *cursor - h > 0 ? *cursor - h : 0;
        return 1;
    case ACT_FIRST:
        *cursor = 0;
        return 1;
    case ACT_LAST:
        *cursor = n ? n - 1 : 0;
        return 1;
    default:
        return 0;
    }
}

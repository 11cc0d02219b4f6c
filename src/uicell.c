/* Table cells for the screens' lists, drawn with ui.c's text helpers. */
#include "uicell.h"

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

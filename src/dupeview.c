#include "dupeview.h"

#include <stdio.h>

#include "dupefmt.h"
#include "i18n.h"
#include "ui.h"

int dupeview_draw(int y, int x, int width, int height, const struct dupe_list *l, int top, int cursor,
                  const unsigned char *marked)
{
    char line[2048];
    int i, rows = 0, marks = marked != NULL || cursor >= 0;

    if (height <= 0)
        return 0;
    dupe_format_header(width, marks, line, sizeof line);
    ui_text_pad(y, x, width, line, R_TITLE);
    rows++;
    for (i = top; i < l->n && rows < height; i++, rows++) {
        enum ui_role role = i == cursor ? R_CURSOR : R_NORMAL;

        dupe_format_line(&l->items[i], width, marks, i == cursor, marked && marked[i], line, sizeof line);
        ui_text_pad(y + rows, x, width, line, role);
    }
    return rows;
}

void dupeview_detail(int y, int x, int width, const struct dupe_candidate *c)
{
    char line[1024], place[64], text[16], when[64];

    dupe_fmt_place(c, place, sizeof place);
    dupe_fmt_pct(c->text_sim, text, sizeof text);
    dupe_fmt_when(c->days_apart, when, sizeof when);
    if (c->by_address) {
        char addr[16];

        dupe_fmt_pct(c->address_sim, addr, sizeof addr);
        snprintf(line, sizeof line, _("address %s · text %s · %s · %s · %s"), addr, text, when,
                 c->address[0] ? c->address : "—", c->category[0] ? c->category : "—");
    } else {
        snprintf(line, sizeof line, _("%s away · text %s · %s · %s · %s"), place, text, when,
                 c->address[0] ? c->address : "—", c->category[0] ? c->category : "—");
    }
    ui_text_pad(y, x, width, line, R_DIM);
}

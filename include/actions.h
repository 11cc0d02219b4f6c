#ifndef SIGNALDESK_ACTIONS_H
#define SIGNALDESK_ACTIONS_H

/* Every action of the console, once: the enum, the name used in the [keys]
 * section of signaldesk.ini, the short label of the function-key bar and the
 * help text all come from this list, so they cannot disagree.
 * A(ID, "config-name", bar label or NULL, help text) */
#define ACTION_LIST(A) \
    A(HELP,       "help",       N_("Help"),   N_("Show this help")) \
    A(QUIT,       "quit",       N_("Quit"),   N_("Quit signaldesk")) \
    A(BACK,       "back",       NULL,         N_("Close this screen and go back (on the queue: quit)")) \
    A(MOVE_DOWN,  "move-down",  NULL,         N_("Move down one line")) \
    A(MOVE_UP,    "move-up",    NULL,         N_("Move up one line")) \
    A(PAGE_DOWN,  "page-down",  NULL,         N_("Move down one page")) \
    A(PAGE_UP,    "page-up",    NULL,         N_("Move up one page")) \
    A(FIRST,      "first",      NULL,         N_("Go to the first line")) \
    A(LAST,       "last",       NULL,         N_("Go to the last line")) \
    A(OPEN,       "open",       NULL,         N_("Open the signal under the cursor")) \
    A(NEXT_TAB,   "next-queue", NULL,         N_("Show the next queue")) \
    A(PREV_TAB,   "prev-queue", NULL,         N_("Show the previous queue")) \
    A(TAB_1,      "queue-1",    NULL,         N_("Show queue 1")) \
    A(TAB_2,      "queue-2",    NULL,         N_("Show queue 2")) \
    A(TAB_3,      "queue-3",    NULL,         N_("Show queue 3")) \
    A(TAB_4,      "queue-4",    NULL,         N_("Show queue 4")) \
    A(TAB_5,      "queue-5",    NULL,         N_("Show queue 5")) \
    A(TAB_6,      "queue-6",    NULL,         N_("Show queue 6")) \
    A(TAB_7,      "queue-7",    NULL,         N_("Show queue 7")) \
    A(TAB_8,      "queue-8",    NULL,         N_("Show queue 8")) \
    A(TAB_9,      "queue-9",    NULL,         N_("Show queue 9")) \
    A(STATUS,     "status",     N_("Status"), N_("Change the status of the signal")) \
    A(DUPES,      "duplicates", N_("Dupes"),  N_("Show the possible duplicates of the signal")) \
    A(MERGE,      "merge",      N_("Merge"),  N_("Merge the marked signals into one main signal")) \
    A(UNMERGE,    "unmerge",    NULL,         N_("Undo the merge of this signal (or the last one into it)")) \
    A(CLUSTERS,   "clusters",   NULL,         N_("Show groups of signals that look like one problem")) \
    A(MARK,       "mark",       NULL,         N_("Mark or unmark the signal for merging")) \
    A(DISTRICT,   "district",   NULL,         N_("Choose the district (or the whole city)")) \
    A(SEARCH,     "search",     N_("Search"), N_("Search: find signals by words and fields")) \
    A(SORT,       "sort",       NULL,         N_("Sort the queue by one of its columns")) \
    A(SORT_REVERSE, "sort-reverse", NULL,     N_("Reverse the order of the queue")) \
    A(SAVE_QUEUE, "save-queue", NULL,         N_("Save this search as a queue of your own")) \
    A(FORGET_QUEUE, "forget-queue", NULL,     N_("Remove a queue you saved")) \
    A(RELOAD,     "reload",     NULL,         N_("Read the data again from the database")) \
    A(REDRAW,     "redraw",     NULL,         N_("Redraw the whole screen"))

enum action {
    ACT_NONE = 0,
#define A(id, name, bar, help) ACT_##id,
    ACTION_LIST(A)
#undef A
    ACT_COUNT
};

struct action_info {
    const char *name;
    const char *bar;    /* through gettext; NULL: not on the bar */
    const char *help;   /* through gettext */
};

extern const struct action_info action_table[ACT_COUNT];

/* ACT_NONE when the name is unknown. */
enum action action_by_name(const char *name);

#endif

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
    A(MERGE,      "merge",      N_("Merge"),  N_("Merge the tagged signals into one main signal")) \
    A(UNMERGE,    "unmerge",    NULL,         N_("Undo the merge of this signal (or the last one into it)")) \
    A(CLUSTERS,   "clusters",   NULL,         N_("Show groups of signals that look like one problem")) \
    A(SEARCH,     "search",     N_("Search"), N_("Search: find signals by words and fields")) \
    A(SORT,       "sort",       NULL,         N_("Sort the queue by one of its columns")) \
    A(SORT_REVERSE, "sort-reverse", NULL,     N_("Reverse the order of the queue")) \
    A(SAVE_QUEUE, "save-queue", NULL,         N_("Save this search as a queue of your own")) \
    A(FORGET_QUEUE, "forget-queue", NULL,     N_("Remove a queue you saved")) \
    A(IMPORT,     "import",     NULL,         N_("Import signals from another system's CSV file")) \
    A(EXPORT,     "export",     NULL,         N_("Export the signals of this queue to a CSV file")) \
    A(NEW,        "new",        N_("Intake"), N_("Register a new signal (a call)")) \
    A(SAVE,       "save",       N_("Save"),   N_("Save the new signal and show its number")) \
    A(TAKE,       "take-next",  N_("Take"),   N_("Take the next free signal of the queue and open it")) \
    A(ROUTE,      "route",      N_("Route"),  N_("Choose the responsible unit (routing table's first)")) \
    A(CATEGORY,   "category",   NULL,         N_("Set the category (type to search, Latin too)")) \
    A(DISTRICT,   "district",   NULL,         N_("Set the district")) \
    A(PRIORITY,   "priority",   NULL,         N_("Set the priority")) \
    A(ASSIGN,     "assign",     NULL,         N_("Assign to an operator (yourself first) or to nobody")) \
    A(REPLY,      "reply",      NULL,         N_("Write a public comment for the citizen (Tab inserts a template)")) \
    A(NOTE,       "note",       NULL,         N_("Write an internal note")) \
    A(EDIT,       "edit",       NULL,         N_("Edit the description, the address or the type")) \
    A(ANSWER,     "answer",     N_("Answers"), N_("Answer from the knowledge base (closes a question)")) \
    A(TAG,        "tag",        NULL,         N_("Tag or untag the signal and move down")) \
    A(TAG_PATTERN, "tag-pattern", NULL,       N_("Tag the signals that contain a text")) \
    A(UNTAG_ALL,  "untag-all",  NULL,         N_("Untag all signals")) \
    A(TAG_PREFIX, "tag-prefix", NULL,         N_("Apply the next action (s c d p a F6) to the tagged")) \
    A(RELOAD,     "reload",     NULL,         N_("Read the data again from the database")) \
    A(LOAD,       "load",       NULL,         N_("Balance the load of units and operators (supervisors)")) \
    A(REPORTS,    "reports",    NULL,         N_("Management reports")) \
    A(MOVE,       "move",       NULL,         N_("Move the signal (or the tagged ones) to another unit or operator")) \
    A(PERIOD,     "period",     N_("Period"), N_("Choose the period of the report")) \
    A(REPORT_CSV, "report-csv", N_("Export"), N_("Save the report as a CSV file")) \
    A(GROUPING,   "grouping",   N_("Groups"), N_("Count by day, by week or by month")) \
    A(DAYS,       "stalled-days", NULL,       N_("Set after how many days a signal counts as stalled")) \
    A(REDRAW,     "redraw",     NULL,         N_("Redraw the whole screen")) \
    A(ADMIN,      "admin",      N_("Admin"),  N_("Administration: categories, units, routing, people, templates, audit trail")) \
    A(ADD_ITEM,   "add",        N_("Add"),    N_("Add a new entry to this list")) \
    A(CHANGE_ITEM, "change",    N_("Change"), N_("Change the entry under the cursor")) \
    A(TOGGLE_ACTIVE, "toggle-active", N_("On/off"), N_("Deactivate the entry under the cursor, or activate it again")) \
    A(CELL_DEFAULT, "cell-default", N_("Default"), N_("Route this cell by the category's default unit again")) \
    A(COLUMN_LEFT, "column-left", NULL,       N_("Move one column to the left")) \
    A(COLUMN_RIGHT, "column-right", NULL,     N_("Move one column to the right")) \
    A(FILTER,     "filter",     N_("Filter"), N_("Show only some changes: by person, signal, kind or period"))

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

/* The levels of people, lowest first (current_level() in the schema). */
enum level { LEVEL_OPERATOR, LEVEL_SUPERVISOR, LEVEL_ADMIN };

/* Actions that need more than the operator level; every other action is
 * for everyone.  The dispatcher checks this before a screen sees the key,
 * and the function-key bar and the help show a person only what they may
 * use.  The database checks again whatever the console does.
 * L(ID, level) */
#define ACTION_LEVEL_LIST(L) \
    L(LOAD,          LEVEL_SUPERVISOR) \
    L(MOVE,          LEVEL_SUPERVISOR) \
    L(ADMIN,         LEVEL_ADMIN) \
    L(ADD_ITEM,      LEVEL_ADMIN) \
    L(CHANGE_ITEM,   LEVEL_ADMIN) \
    L(TOGGLE_ACTIVE, LEVEL_ADMIN) \
    L(CELL_DEFAULT,  LEVEL_ADMIN) \
    L(COLUMN_LEFT,   LEVEL_ADMIN) \
    L(COLUMN_RIGHT,  LEVEL_ADMIN) \
    L(FILTER,        LEVEL_ADMIN)

/* The level an action needs. */
enum level action_level(enum action act);
/* Whether a person of the level may use the action. */
int action_allowed(enum action act, enum level level);
/* "operator", "supervisor", "admin" (anything else: operator). */
enum level level_parse(const char *text);
/* The level's name for people, translated. */
const char *level_label(enum level level);

/* ACT_NONE when the name is unknown. */
enum action action_by_name(const char *name);

#endif

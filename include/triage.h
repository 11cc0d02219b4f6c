#ifndef SIGNALDESK_TRIAGE_H
#define SIGNALDESK_TRIAGE_H

#include <stddef.h>

#include "db.h"
#include "signals.h"
#include "tags.h"

/* Triage and routing: changing one field of a signal (or of many tagged
 * ones at once), taking the next signal of a queue, comments, and the lists
 * the pickers offer.  Each change is one short transaction that checks the
 * version the operator saw, writes an event and tells every console. */

/* What a triage action needs to know of a signal. */
struct triage_info {
    long long id;
    char reg_no[40];
    char kind[16];
    char status[16];
    int version;
    int category_id, district_id, unit_id;  /* 0: none */
    char category[256];     /* "Parent › Child" */
    char district[64];
    char unit[160];
    char assignee[64];
    int priority;
    char address[256];
    char *description;
};

enum db_status triage_load(struct db *db, long long id, struct triage_info *t);
void triage_free(struct triage_info *t);

enum sig_field {
    FIELD_STATUS, FIELD_CATEGORY, FIELD_DISTRICT, FIELD_UNIT, FIELD_ASSIGNEE, FIELD_PRIORITY,
    FIELD_DESCRIPTION, FIELD_ADDRESS, FIELD_KIND
};
/* As the schema's set_signal_field() names it. */
const char *sig_field_code(enum sig_field f);

/* Sets one field (value: an id, a login, "0".."3" or text; NULL or "" clears
 * the district or the assignee).  *new_version gets the version after it
 * (unchanged when the value was already there).  DB_CONFLICT when someone
 * changed the signal since `version`. */
enum db_status signal_set_field(struct db *db, long long id, int version, enum sig_field f, const char *value,
                                const char *comment, int public, int *new_version);
/* A comment alone (public: the citizen may read it). */
enum db_status signal_add_comment(struct db *db, long long id, const char *text, int public);
/* Takes the most urgent, oldest unassigned open signal of the view (a
 * queue) for me, in one statement (FOR UPDATE SKIP LOCKED: two operators
 * never get the same one).  *id is 0 when there is none. */
enum db_status signal_take_next(struct db *db, const struct sig_view *v, const struct operator_info *me,
                                long long *id, char *reg_no, size_t size);
/* A response template with its placeholders ({reg_no} {unit} {date}
 * {status} ...) filled for a signal; status: the status it speaks of (NULL:
 * the signal's own).  *out is malloc'd. */
enum db_status fill_template(struct db *db, const char *text, long long id, const char *status, char **out);

/* Lists for the pickers. */
enum ref_mark { REF_PLAIN = 0, REF_SUGGESTED = 1, REF_CURRENT = 2 };

struct ref_item {
    long long id;
    char *code;         /* an operator's login; a template's kind */
    char *name;
    char *parent;       /* a category's parent; a unit's kind; a template's category */
    char *search;       /* more text to match: Latin names, a template's body */
    char *text;         /* a template's body */
    int depth;          /* 1: a subcategory */
    int mark;           /* REF_SUGGESTED | REF_CURRENT */
    long long count;    /* an operator's open signals */
    long long ref_id;   /* a template's category (0: general) */
    double lat, lon, radius_km;     /* districts */
};

struct ref_list {
    struct ref_item *items;
    int n;
};

enum db_status ref_categories(struct db *db, struct ref_list *list);
enum db_status ref_districts(struct db *db, struct ref_list *list);
/* Units, the routing table's choice for (category, district) first, then
 * the current one, then the rest by name. */
enum db_status ref_units(struct db *db, int category_id, int district_id, int current_unit, struct ref_list *list);
/* Operators: me first, then my unit's, then the rest, with their open load. */
enum db_status ref_operators(struct db *db, const struct operator_info *me, struct ref_list *list);
/* Response templates and answers (kind "response", "answer" or NULL for
 * both): the category's own first, then the general ones, then the rest. */
enum db_status ref_templates(struct db *db, const char *kind, int category_id, struct ref_list *list);
void ref_list_free(struct ref_list *list);

/* The district most signals at this very address were in (0: none known). */
enum db_status district_of_address(struct db *db, const char *address, int *district_id);
/* The most common earlier address starting with prefix ("" when none). */
enum db_status address_suggestion(struct db *db, const char *prefix, char *out, size_t size);

/* Tags every signal of the view (a queue) whose registration number,
 * description or address contains text (at most `limit`); *added counts
 * the new ones. */
enum db_status signals_tag_matching(struct db *db, const struct sig_view *v, const char *text, int limit,
                                    struct tagset *tags, int *added);

/* Bulk changes over tagged signals. */
enum bulk_problem { BULK_OK, BULK_CHANGED, BULK_NOT_ALLOWED, BULK_SAME, BULK_GONE };

struct bulk_item {
    long long id;
    int version;            /* as the operator saw it when tagging */
    char reg_no[40];
    char status[16];        /* now */
    char kind[16];
    int now_version;
    char changed_by[64];    /* who changed it last, when it changed */
    enum bulk_problem problem;
};

/* Reads the tagged signals as they are now and says, for the change
 * (field, value), what stands in the way of each (field FIELD_STATUS with
 * value NULL: only whether someone else changed it). */
enum db_status bulk_check(struct db *db, const struct tagset *tags, enum sig_field f, const char *value,
                          struct bulk_item **items, int *n);
/* Applies the change to the items that are BULK_OK, all in one
 * transaction; each gets its own event, placeholders in the comment are
 * filled per signal.  DB_CONFLICT (nothing applied) when one of them
 * changed meanwhile.  Updates the tags' versions.  *applied: how many. */
enum db_status bulk_apply(struct db *db, struct bulk_item *items, int n, enum sig_field f, const char *value,
                          const char *comment, int public, struct tagset *tags, int *applied);

#endif

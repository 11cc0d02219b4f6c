#ifndef SIGNALDESK_FLOWS_H
#define SIGNALDESK_FLOWS_H

#include "query.h"
#include "dupes.h"
#include "ui.h"

/* The steps of a user action that more than one screen offers: asking,
 * checking, doing it in one transaction and saying what happened. */

/* Offers the allowed next statuses of a signal, asks for the public comment
 * where the workflow needs one, and changes it.  Returns 1 when changed. */
int flow_change_status(struct app *app, long long id, int version, const char *status);

/* Asks for a CSV file and an import profile, then opens the import screen. */
void flow_import(struct app *app);
/* What the import screen is opened with. */
struct import_request {
    const char *path;
    const char *profile;
};

/* Asks for a file name and exports the signals of a queue's filter to it,
 * telling the progress on the status line.  Returns 1 when written. */
int flow_export(struct app *app, const struct query *query);
struct tagset;

/* The triage of one signal, from the queue or the signal screen: category,
 * district, priority, unit (route), assignee, public reply, internal note,
 * text edits, answers.  Returns HANDLED when act is one of them, whatever
 * came of it (the screen then reads the signal again). */
enum handled flow_signal_action(struct app *app, enum action act, long long id, int version);

/* The queue's own: take the next signal (and open it), tag by a text, untag
 * all, and ; then an action for all tagged signals. */
enum handled flow_queue_action(struct app *app, enum action act, const struct sig_view *view,
                               struct tagset *tags);

/* A comment prompt on the status line whose Tab inserts a response
 * template with its placeholders filled for signal id (0: left for each of
 * many signals); status: the status the comment goes with.  NULL when
 * cancelled. */
char *flow_comment_prompt(struct app *app, const char *label, long long id, int category_id, const char *status,
                          const char *initial);
/* The public comment a status change needs, asked with flow_comment_prompt:
 * NULL when cancelled or left empty (then the person is told nothing changed). */
char *flow_needed_comment(struct app *app, const char *label, long long id, int category_id, const char *status);

/* Pickers the intake form shares: they return the chosen id (0: cancelled)
 * and its name (a category as "Parent › Child").  filter: letters already
 * typed. */
int flow_pick_category(struct app *app, int current, const char *filter, char *name, size_t size);
int flow_pick_district(struct app *app, int current, const char *filter, char *name, size_t size);
/* The knowledge base: an answer's text (malloc'd) or NULL; *category and
 * name get the answer's category (0 and "": a general answer). */
char *flow_pick_answer(struct app *app, int category_id, const char *filter, int *category, char *name,
                       size_t size);
/* Moves signals to another unit, to an operator or to nobody: asks where
 * and why, moves them all in one transaction (every move an event), and
 * says what happened.  When some were changed by someone else meanwhile (or
 * closed), nothing is moved: they are listed and the person is asked whether
 * to move the others.  Refused for operators.  Returns how many moved. */
int flow_move(struct app *app, const struct sig_ref *items, int n);
/* Merges signals into one (n >= 2, each with the version the operator saw):
 * asks which is the main signal in a menu (the oldest first, so F8 then
 * Enter merges), asks again when they lie far apart or in different
 * categories, merges in one transaction and says what happened.  Any screen
 * can offer it: the duplicates screen with its marks, the queue with its
 * tagged signals.  Returns 1 when merged. */
int flow_merge(struct app *app, const struct merge_item *items, int n);

/* The queue's tagged signals merged into one (flow_merge); the tags go
 * when merged.  Returns 1 when merged. */
int flow_merge_tags(struct app *app, struct tagset *tags);

/* Undoes the merge that made the signal a duplicate (or the last merge into
 * it), after showing which signals it brings back.  Returns 1 when undone. */
int flow_unmerge(struct app *app, long long signal_id);

/* The status menu's "duplicate": asks the number of the main signal (the
 * best candidate offered) and merges the signal into it.  Returns 1 when
 * merged. */
int flow_mark_duplicate(struct app *app, long long id, int version);

#endif

/* correct.h — corrections of the record without ending anything: a delegate's name, gender, ethnicity,
 * delegation or post, an agenda item, an attendee. Each is an event with its reason and what it replaces;
 * the state (and every report) shows the record as corrected, the log keeps both. A seat is moved with
 * ys_cmd_delegate_seat (hall.h), which logs where from. */
#ifndef YISHI_CORRECT_H
#define YISHI_CORRECT_H

#include "yishi/command.h"

/* What to change: NULL leaves a field as it is; "" clears one that may be empty (a post, a presenter, a
 * document, an affiliation). Names of things are as the session knows them: a delegation's name, a post's
 * title, a document's title. */
typedef struct ys_delegate_fix {
    const char *name, *gender /* 男/女, M/F, male/female */, *ethnicity, *delegation, *post;
} ys_delegate_fix;

typedef struct ys_item_fix {
    const char *title, *kind /* deliberate, examine, hear, vote, elect */, *presenter, *document;
} ys_item_fix;

typedef struct ys_attendee_fix {
    const char *name, *kind /* attendee, observer */, *post, *affiliation;
} ys_attendee_fix;

/* delegate.correct { delegate, reason, set: {…}, was: {…} }: only what differs from the record, each field
 * checked as the import checks it. Refused: no such delegate, nothing to change, no reason, a value the
 * import would refuse, a delegation or post the session lacks, and a change of delegation while a meeting
 * of either delegation is open (its attendance counts that delegation's members). */
ys_rc ys_cmd_delegate_correct(const ys_session *s, const ys_ctx *c, const char *code, const ys_delegate_fix *fix,
                              const char *reason, ys_events *out, ys_err *err);
/* item.correct { item, reason, set, was }, likewise. */
ys_rc ys_cmd_item_correct(const ys_session *s, const ys_ctx *c, int item, const ys_item_fix *fix, const char *reason,
                          ys_events *out, ys_err *err);
/* attendee.correct { attendee, reason, set, was }, likewise. */
ys_rc ys_cmd_attendee_correct(const ys_session *s, const ys_ctx *c, int attendee, const ys_attendee_fix *fix,
                              const char *reason, ys_events *out, ys_err *err);

#endif

/* command.h — what may be done to a session. Each command is checked against the current state and
 * the rule set and, if allowed, becomes one or more events in `out`; nothing changes until the
 * caller commits those events to the log and applies them (journal.h). A refused command leaves
 * `out` empty and says why in `err` (or, for files, every bad line in `diags`). */
#ifndef YISHI_COMMAND_H
#define YISHI_COMMAND_H

#include "yishi/csv.h"
#include "yishi/diag.h"
#include "yishi/event.h"
#include "yishi/session.h"

/* Who asks, and when: the clock is read outside the core so that the core stays deterministic. */
typedef struct ys_ctx {
    const char *time;    /* UTC ISO 8601, e.g. 2024-01-23T15:00:00.000Z */
    const char *actor;
} ys_ctx;

typedef struct ys_init_args {
    const char *assembly;   /* 山西省人民代表大会 */
    const char *term;       /* 第十四届 */
    const char *name;       /* 第二次会议 */
    const ys_rules *rules;  /* its source text is what the log records */
} ys_init_args;

ys_rc ys_cmd_init(const ys_session *s, const ys_ctx *c, const ys_init_args *a, ys_events *out, ys_err *err);

typedef enum ys_import_kind {
    YS_IMPORT_POSTS = 1,    /* rank,title */
    YS_IMPORT_DELEGATES,    /* code,name,gender,ethnicity,delegation[,seat,roles,post] */
    YS_IMPORT_ATTENDEES,    /* name,kind[,post,affiliation] */
    YS_IMPORT_AGENDA,       /* order,kind,title[,presenter,document] */
    YS_IMPORT_HALL,         /* seat,tier,block,row,number[,tier_name,delegation]: the layout, replaced whole */
} ys_import_kind;

const char *ys_import_kind_key(ys_import_kind k);
int ys_import_kind_parse(const char *key);

/* Checks every row of `csv`; if any is bad, returns YS_INVALID with each bad row (line and reason)
 * in `diags` and emits nothing, so an import is all or nothing. */
ys_rc ys_cmd_import(const ys_session *s, const ys_ctx *c, ys_import_kind kind, const ys_csv *csv,
                    ys_events *out, ys_diags *diags);

/* Opens a meeting; `delegation` names the delegation for delegation and group meetings. */
ys_rc ys_cmd_meeting_open(const ys_session *s, const ys_ctx *c, ys_meeting_kind kind, const char *title,
                          const char *delegation, ys_events *out, ys_err *err);
ys_rc ys_cmd_meeting_close(const ys_session *s, const ys_ctx *c, int meeting, ys_events *out, ys_err *err);
/* The chair (or a delegation's secretary) moves an open meeting to an agenda item: 现在进行第N项议程. */
ys_rc ys_cmd_meeting_item(const ys_session *s, const ys_ctx *c, int meeting, int item, ys_events *out, ys_err *err);

/* Records a delegate as present, on leave (请假, with a reason) or absent at an open meeting. */
ys_rc ys_cmd_attendance(const ys_session *s, const ys_ctx *c, int meeting, const char *code,
                        ys_presence to, const char *reason, ys_events *out, ys_err *err);

/* A login card for a delegate, who must still be entitled. A card that `replaces` one already issued
 * (the printed card stops working) is logged, card.reissue: who replaced whose card, never the code; a
 * first card emits nothing. The card itself is made by the caller once this is committed. */
ys_rc ys_cmd_card_issue(const ys_session *s, const ys_ctx *c, const char *code, bool replaces, ys_events *out,
                        ys_err *err);
/* Ends a delegate's mandate (代表资格终止: resignation, recall, death …) with its reason: from then on
 * they are not entitled, and every base of the law's arithmetic ("all delegates") shrinks by one.
 * Refused while a vote is open, whose base must not move under it. */
ys_rc ys_cmd_delegate_end(const ys_session *s, const ys_ctx *c, const char *code, const char *reason, ys_events *out,
                          ys_err *err);

/* Adds a version of a document (the document itself too, when the title is new). The content is
 * stored apart; the log keeps its BLAKE2b hash and size, so a changed file is caught. */
ys_rc ys_cmd_document(const ys_session *s, const ys_ctx *c, const char *title, const char *hash_hex,
                      long long size, const char *note, ys_events *out, ys_err *err);

#endif

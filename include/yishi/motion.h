/* motion.h — what delegates put to the congress in writing, each gathering its co-signatures (联名) before
 * it is submitted: motions (议案), amendments to them (修正案), inquiries (质询案), recall (罢免案) and
 * suggestions, criticisms and opinions (建议、批评和意见). The rule set says how many must sign, the
 * presidium sets the deadline and decides what becomes of each; answers and the delegate's satisfaction
 * are recorded. Every step is an event. A nomination by delegates gathers its co-signatures the same way, from
 * their terminals, and its submission puts the candidate on the election's list. */
#ifndef YISHI_MOTION_H
#define YISHI_MOTION_H

#include "yishi/command.h"

typedef enum ys_motion_kind {
    YS_MOTION = 1,        /* 议案: 地方组织法第二十二条 */
    YS_MOTION_AMENDMENT,  /* 修正案 to a motion or a draft on the agenda */
    YS_MOTION_INQUIRY,    /* 质询案: 第二十四条 */
    YS_MOTION_RECALL,     /* 罢免案: 第三十一条 */
    YS_MOTION_SUGGESTION, /* 建议、批评和意见: 代表法第十八条; one delegate may make one */
    YS_MOTION_NOMINATION, /* a candidate nominated by delegates' co-signatures (联名提名): 地方组织法第二十六条 */
} ys_motion_kind;
#define YS_MOTION_KINDS 6

typedef enum ys_motion_state {
    YS_MOTION_DRAFT = 1, /* gathering signatures */
    YS_MOTION_SUBMITTED, /* lodged with enough of them, before the deadline */
    YS_MOTION_DECIDED,   /* the presidium has said what becomes of it */
    YS_MOTION_WITHDRAWN,
} ys_motion_state;

/* What the presidium decides. For a motion: placed on the agenda, referred to a special committee first,
 * or not placed (and handled as a suggestion); an inquiry answered orally or in writing; a recall put to
 * the congress's vote; a suggestion referred to the agencies that must answer it. */
typedef enum ys_motion_decision {
    YS_DECIDE_AGENDA = 1,  /* 列入大会议程 */
    YS_DECIDE_COMMITTEE,   /* 先交有关的专门委员会审议 */
    YS_DECIDE_SUGGESTION,  /* 不列入议程，作为代表建议处理 */
    YS_DECIDE_ORAL,        /* 口头答复 */
    YS_DECIDE_WRITTEN,     /* 书面答复 */
    YS_DECIDE_REFER,       /* 交有关机关办理 */
} ys_motion_decision;

/* Who puts it: delegates (their signatures counted), or for a recall the presidium or the standing
 * committee (第三十一条), which sign as bodies. */
typedef enum ys_motion_by { YS_BY_DELEGATES = 1, YS_BY_PRESIDIUM, YS_BY_STANDING_COMMITTEE } ys_motion_by;

typedef enum ys_satisfaction { YS_SATISFIED = 1, YS_BASICALLY_SATISFIED, YS_UNSATISFIED } ys_satisfaction;

typedef struct ys_motion_signature {
    int delegate;
    char at[32];
} ys_motion_signature;

typedef struct ys_motion {
    int id;
    ys_motion_kind kind;
    ys_motion_by by;
    ys_motion_state state;
    int lead;                 /* the delegate who drafted it (signature 1), 0 for a body */
    int amends;               /* an amendment's motion, 0 otherwise */
    int election;             /* a nomination's election, 0 otherwise */
    char *title;              /* 案由; an inquiry's question; a recall's 「关于罢免X的…」 */
    char *grounds;            /* 案据; an inquiry's content; a recall's reasons (罢免理由) */
    char *plan;               /* 方案 */
    char *addressee;          /* an inquiry's body (质询对象), the agencies a suggestion goes to */
    char *person;             /* whom a recall names; a nomination's candidate */
    ys_motion_signature *signatures;
    size_t n_signatures, cap_signatures;
    ys_motion_decision decision;
    char *decision_note;
    char *answer;             /* the body's answer; a recall's response (申辩意见) */
    char *answered_by;
    ys_satisfaction satisfaction;
    bool withdrawn_with_consent;
    char drafted_at[32], submitted_at[32], decided_at[32], answered_at[32];
} ys_motion;

/* What a draft says; NULL for what its kind does not take. */
typedef struct ys_motion_draft {
    ys_motion_kind kind;
    ys_motion_by by;
    const char *lead;         /* the drafting delegate's code (by delegates) */
    int amends;
    int election;             /* a nomination's */
    const char *title, *grounds, *plan, *addressee, *person;
} ys_motion_draft;

/* A draft, signed by its lead. Refused without 案由, an inquiry without its body (第二十四条: 「必须写明质询
 * 对象、质询的问题和内容」), a recall without the person and the reasons (第三十一条), an amendment of no
 * motion, or after the kind's deadline. A recall by the presidium or the standing committee is submitted
 * as it is made. A nomination names its election (still taking nominations) and the candidate; its title,
 * when none is given, is 「提名X为…候选人」. */
ys_rc ys_cmd_motion_draft(const ys_session *s, const ys_ctx *c, const ys_motion_draft *d, ys_events *out,
                          ys_err *err);
/* A delegate's co-signature (from their terminal or on paper at the desk): an entitled delegate, once,
 * on a draft, before the deadline; on a nomination, not past as many candidates as the election has seats,
 * counting those the delegate has co-signed already and the drafts they have signed (第二十六条). */
ys_rc ys_cmd_motion_sign(const ys_session *s, const ys_ctx *c, int motion, const char *code, ys_events *out,
                         ys_err *err);
/* Lodges a draft: refused below the rule set's threshold, naming its article, or after the deadline. A
 * nomination is checked as the election's nominations are (the office's threshold, the limit per
 * nominator) and puts the candidate on the list with its signers (election.nominate). */
ys_rc ys_cmd_motion_submit(const ys_session *s, const ys_ctx *c, int motion, ys_events *out, ys_err *err);
/* The presidium's deadline for a kind (UTC ISO 8601, as ys_ctx's time); "" lifts it. */
ys_rc ys_cmd_motion_deadline(const ys_session *s, const ys_ctx *c, ys_motion_kind kind, const char *until,
                             ys_events *out, ys_err *err);
/* The presidium's decision on a submitted motion, one its kind allows. */
ys_rc ys_cmd_motion_decide(const ys_session *s, const ys_ctx *c, int motion, ys_motion_decision decision,
                           const char *note, ys_events *out, ys_err *err);
/* Withdrawn by its proposer: a draft, or one submitted and not yet decided, freely; a motion placed on the
 * agenda only with the presidium's consent (第二十二条第三款). */
ys_rc ys_cmd_motion_withdraw(const ys_session *s, const ys_ctx *c, int motion, bool presidium_consents,
                             ys_events *out, ys_err *err);
/* The answer of the body it went to (or the recalled person's response), once it is decided. */
ys_rc ys_cmd_motion_answer(const ys_session *s, const ys_ctx *c, int motion, const char *by, const char *text,
                           ys_events *out, ys_err *err);
/* The lead delegate's satisfaction with the answer. */
ys_rc ys_cmd_motion_rate(const ys_session *s, const ys_ctx *c, int motion, const char *code, ys_satisfaction rating,
                         ys_events *out, ys_err *err);

const ys_motion *ys_motion_get(const ys_session *s, int id);
/* The poll that decides a motion placed on the agenda (ys_poll_args.motion), or NULL. */
const struct ys_poll *ys_motion_poll(const ys_session *s, int id);
/* The rule-set section that counts a kind's signatures ("motion", "amendment", "inquiry", "recall"), NULL
 * for a suggestion. */
const char *ys_motion_rule(ys_motion_kind k);

/* Words as the API and the command line write them, with the Chinese; a word parsed, 0 if unknown (either
 * language is taken). */
const char *ys_motion_kind_key(ys_motion_kind k);
const char *ys_motion_kind_zh(ys_motion_kind k);
int ys_motion_kind_parse(const char *word);
const char *ys_motion_state_key(ys_motion_state st);
const char *ys_motion_decision_key(ys_motion_decision d);
const char *ys_motion_decision_zh(ys_motion_decision d);
int ys_motion_decision_parse(const char *word);
const char *ys_motion_by_key(ys_motion_by b);
int ys_motion_by_parse(const char *word);
const char *ys_satisfaction_key(ys_satisfaction r);
int ys_satisfaction_parse(const char *word);

#endif

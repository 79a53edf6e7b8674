/* meeting.h — a meeting as it was held: its date and half-day in Beijing time, who presided, who led or
 * joined a delegation's deliberation and who attended without a vote, the agenda items it took up with
 * who presented them, the rostrum of a plenary, and the bulletins (简报) issued, numbered per session. */
#ifndef YISHI_MEETING_H
#define YISHI_MEETING_H

#include "yishi/command.h"

typedef enum ys_half_day {
    YS_HALF_MORNING = 1, /* 上午 */
    YS_HALF_AFTERNOON,   /* 下午 */
    YS_HALF_EVENING,     /* 晚上 */
} ys_half_day;

/* What someone did at a meeting besides being checked in as one of its delegates. */
#define YS_PERSON_ROLE_MAP(X)                                                            \
    X(PRESIDING, 1, "presiding", "主持")          /* presided over it */                   \
    X(LEADER, 2, "leader", "与代表们一起审议")    /* a leader deliberating with the delegates */ \
    X(JOINED, 3, "joined", "参加审议")            /* joined a delegation's deliberation, not counted in it */ \
    X(ATTENDING, 4, "attending", "列席")          /* attended without a vote */            \
    X(ROSTRUM, 5, "rostrum", "主席台就座")        /* sat on a plenary's rostrum */

typedef enum ys_person_role {
#define YS__PROLE(name, n, key, zh) YS_PERSON_##name = n,
    YS_PERSON_ROLE_MAP(YS__PROLE)
#undef YS__PROLE
} ys_person_role;

/* A person of the session: a delegate or someone on the attendees list (exactly one of the two ids). */
typedef struct ys_person {
    int delegate, attendee;
} ys_person;

typedef struct ys_meeting_person {
    ys_person_role role;
    ys_person who;
    char *group;      /* the rostrum's: a group named apart (在晋两院院士), NULL for the main list */
} ys_meeting_person;

typedef enum ys_presents { YS_PRESENTS_REPORT = 1 /* 作报告 */, YS_PRESENTS_EXPLAIN = 2 /* 作说明 */ } ys_presents;

/* An agenda item a meeting took up: how (审议/审查/听取/表决), the document and version concerned, and who
 * presented it — a person (作报告/作说明) or a body (省人民政府). */
typedef struct ys_takeup {
    int item;
    ys_item_kind action;
    int document, version;  /* 0 when none */
    ys_person presenter;    /* both 0 when none */
    ys_presents presents;   /* 0 without a presenter */
    char *body;             /* NULL when none */
} ys_takeup;

typedef struct ys_bulletin_issue {
    int number;       /* 第N期 */
    int meeting;
    char time[32];
} ys_bulletin_issue;

/* What a take-up command is given; text fields may be NULL. */
typedef struct ys_takeup_args {
    int item;
    const char *action;     /* an item kind's key or its Chinese (审议 …); NULL: the item's own kind */
    const char *document;   /* a title or id; NULL: the item's document */
    int version;            /* 0: the document's latest */
    const char *presenter;  /* a person (ys_person_find); NULL: none */
    const char *presents;   /* "report"/作报告 or "explain"/作说明; NULL: report when there is a presenter */
    const char *body;
} ys_takeup_args;

/* 上午/下午/晚上 or morning/afternoon/evening; 0 if unknown. */
int ys_half_day_parse(const char *word);
const char *ys_half_day_key(ys_half_day h);
const char *ys_half_day_zh(ys_half_day h);
/* The day (YYYY-MM-DD) and half-day in Beijing (UTC+8) of an event time "2024-01-23T07:00:00.000Z". */
bool ys_beijing_day(const char *iso, char date[11], int *half);
int ys_person_role_parse(const char *key);
const char *ys_person_role_key(ys_person_role r);
const char *ys_person_role_zh(ys_person_role r);

/* A delegate's code, attendee:ID, or a name that is one delegate's or one attendee's; else NOT_FOUND, or
 * CONFLICT when the name is several people's. `field` names the input in the error. */
ys_rc ys_person_find(const ys_session *s, const char *spec, const char *field, ys_person *out, ys_err *err);
const char *ys_person_name(const ys_session *s, ys_person p);
/* The post's title (NULL without one) and its rank (INT_MAX without one: after every post). */
const char *ys_person_post(const ys_session *s, ys_person p);
int ys_person_rank(const ys_session *s, ys_person p);

/* The date and half-day a meeting was held, for a meeting opened without one (or entered wrong): a
 * YYYY-MM-DD calendar date and a half-day word. The meeting may be open or closed (a record from paper). */
ys_rc ys_cmd_meeting_held(const ys_session *s, const ys_ctx *c, int meeting, const char *date, const char *half_day,
                          ys_events *out, ys_err *err);
/* Opens a meeting as ys_cmd_meeting_open does, held on `date` in `half_day` (either NULL: the ctx's time in
 * Beijing). */
ys_rc ys_cmd_meeting_open_on(const ys_session *s, const ys_ctx *c, ys_meeting_kind kind, const char *title,
                             const char *delegation, const char *date, const char *half_day, ys_events *out,
                             ys_err *err);
/* Records (or, with remove, takes back) a person in a role at a meeting; the rules of who may be in which
 * role are in meeting.c. `group` only for the rostrum. */
ys_rc ys_cmd_meeting_person(const ys_session *s, const ys_ctx *c, int meeting, ys_person_role role, const char *who,
                            const char *group, bool remove, ys_events *out, ys_err *err);
ys_rc ys_cmd_meeting_takeup(const ys_session *s, const ys_ctx *c, int meeting, const ys_takeup_args *a, ys_events *out,
                            ys_err *err);
/* Gives a meeting's bulletin the session's next number (第N期). */
ys_rc ys_cmd_bulletin_issue(const ys_session *s, const ys_ctx *c, int meeting, ys_events *out, ys_err *err);

/* The person's record at a meeting in that role, or NULL. */
const ys_meeting_person *ys_meeting_person_in(const ys_meeting *m, ys_person_role role, ys_person p);
/* A delegate who is at a meeting without being one of its own: a leader or someone joining who is of
 * another delegation. */
bool ys_meeting_guest(const ys_session *s, const ys_meeting *m, int delegate);
/* The last bulletin number issued for a meeting, 0 if none. */
int ys_meeting_bulletin(const ys_session *s, int meeting);

#endif

/* session.h — the state of one congress session: delegations, delegates, posts, attendees,
 * agenda, documents, meetings and attendance. State changes only by applying events (ys_session_apply);
 * commands (command.h) decide which events a request becomes. No global state: all of it is here. */
#ifndef YISHI_SESSION_H
#define YISHI_SESSION_H

#include "yishi/error.h"
#include "yishi/event.h"
#include "yishi/rules.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ys_gender { YS_GENDER_MALE = 1, YS_GENDER_FEMALE = 2 } ys_gender;

/* Roles a delegate holds in the session, as bits. */
#define YS_ROLE_MAP(X)                                       \
    X(PRESIDIUM, 0, "presidium", "主席团成员")               \
    X(EXECUTIVE_CHAIR, 1, "executive_chair", "执行主席")     \
    X(SECRETARY_GENERAL, 2, "secretary_general", "秘书长")   \
    X(DELEGATION_HEAD, 3, "delegation_head", "代表团团长")   \
    X(DELEGATION_DEPUTY_HEAD, 4, "delegation_deputy_head", "代表团副团长")

typedef enum ys_role {
#define YS__ROLE(name, bit, key, zh) YS_ROLE_##name = 1u << bit,
    YS_ROLE_MAP(YS__ROLE)
#undef YS__ROLE
} ys_role;

typedef enum ys_meeting_kind {
    YS_MEETING_PREPARATORY = 1, /* 预备会议 */
    YS_MEETING_PLENARY,         /* 全体会议 */
    YS_MEETING_DELEGATION,      /* 代表团全体会议 */
    YS_MEETING_GROUP,           /* 代表团小组会议 */
} ys_meeting_kind;

typedef enum ys_item_kind {
    YS_ITEM_DELIBERATE = 1, /* 审议 */
    YS_ITEM_EXAMINE,        /* 审查 */
    YS_ITEM_HEAR,           /* 听取 */
    YS_ITEM_VOTE,           /* 表决 */
    YS_ITEM_ELECT,          /* 选举 */
} ys_item_kind;

typedef enum ys_presence { YS_ABSENT = 0, YS_PRESENT = 1, YS_ON_LEAVE = 2 } ys_presence;

typedef enum ys_attendee_kind { YS_ATTENDEE = 1 /* 列席 */, YS_OBSERVER = 2 /* 旁听 */ } ys_attendee_kind;

/* Ids are 1-based and dense: entity k is at v[k-1]. They are assigned in log order, so replaying
 * the log gives every entity the same id. */
typedef struct ys_post {
    int id;
    int rank;          /* protocol rank: lower first; equal ranks keep list order */
    char *title;
} ys_post;

typedef struct ys_delegation {
    int id;
    char *name;
    int members;       /* entitled delegates in it */
} ys_delegation;

typedef struct ys_delegate {
    int id;
    char *code;        /* 代表证号, unique */
    char *name;
    ys_gender gender;
    char *ethnicity;
    int delegation;    /* id */
    char *seat;        /* "ROW-NUMBER" in the plenary hall, or NULL */
    unsigned roles;    /* ys_role bits */
    int post;          /* id, 0 if none */
    bool entitled;     /* false once the mandate has ended */
} ys_delegate;

typedef struct ys_attendee {
    int id;
    char *name;
    ys_attendee_kind kind;
    int post;
    char *affiliation;
} ys_attendee;

typedef struct ys_doc_version {
    int number;                 /* 1, 2, … */
    char hash[YS_HASH_HEX];     /* BLAKE2b-256 of the content, hex */
    int64_t size;
    char *note;
    char time[32];
} ys_doc_version;

typedef struct ys_document {
    int id;
    char *title;
    ys_doc_version *versions;
    size_t n_versions, cap_versions;
} ys_document;

typedef struct ys_item {
    int id;
    int order;
    ys_item_kind kind;
    char *title;
    char *presenter;
    int document;      /* id, 0 if none */
} ys_item;

typedef struct ys_meeting {
    int id;
    ys_meeting_kind kind;
    char *title;
    int delegation;     /* for delegation and group meetings; 0 for the whole assembly */
    bool open;
    char opened_at[32], closed_at[32];
    uint8_t *presence;  /* ys_presence per delegate id - 1 */
    size_t presence_cap;
    char **reasons;     /* per delegate id - 1: why they are on leave, as given; NULL for none */
    size_t reasons_cap;
    int present, on_leave;
    int item;           /* the agenda item under way (现在进行第N项议程), 0 until the chair names one */
    /* As held (meeting.h): the date and half-day in Beijing time, who presided, led, joined, attended and
     * sat on the rostrum, in the order recorded, and the agenda items taken up. */
    char date[11];      /* "2024-01-23"; "" for a meeting opened before dates were recorded */
    int half_day;       /* ys_half_day; 0 without a date */
    struct ys_meeting_person *people;
    size_t n_people, cap_people;
    struct ys_takeup *takeups;
    size_t n_takeups, cap_takeups;
} ys_meeting;

typedef struct ys_map ys_map;
typedef struct ys_poll ys_poll;                         /* poll.h */
typedef struct ys_session_election ys_session_election; /* poll.h */
typedef struct ys_speech ys_speech;                     /* speech.h */
typedef struct ys_hall ys_hall;                         /* hall.h */
typedef struct ys_key ys_key;                           /* key.h */
typedef struct ys_motion ys_motion;                     /* motion.h */
typedef struct ys_opinion ys_opinion;                   /* opinion.h */
typedef struct ys_explanation ys_explanation;           /* opinion.h */

typedef struct ys_session {
    char *assembly;     /* 山西省人民代表大会 */
    char *term;         /* 第十四届 */
    char *name;         /* 第二次会议 */
    ys_rules *rules;    /* the rule set recorded at init */
    char rules_digest[YS_HASH_HEX];

#define YS__VEC(type, name) type *name; size_t n_##name, cap_##name
    YS__VEC(ys_post, posts);
    YS__VEC(ys_delegation, delegations);
    YS__VEC(ys_delegate, delegates);
    YS__VEC(ys_attendee, attendees);
    YS__VEC(ys_document, documents);
    YS__VEC(ys_item, items);
    YS__VEC(ys_meeting, meetings);
    YS__VEC(ys_poll, polls);
    YS__VEC(ys_session_election, elections);
    YS__VEC(ys_speech, speeches);
    YS__VEC(ys_key, keys);
    YS__VEC(ys_motion, motions);
    YS__VEC(ys_opinion, opinions);
    YS__VEC(ys_explanation, explanations);
#undef YS__VEC

    /* The bulletins issued (meeting.h): number k is bulletins[k-1]. */
    struct ys_bulletin_issue *bulletins;
    size_t n_bulletins, cap_bulletins;

    /* The presidium's deadline for each kind of motion (ys_motion_kind), as an event's time; "" for none. */
    char motion_deadlines[7][32];

    ys_hall *hall;       /* the plenary hall's layout, NULL until one is imported */
    int entitled;        /* delegates whose mandate runs */
    int current_meeting; /* the meeting opened last and not closed, 0 if none */

    ys_map *by_code, *by_seat, *by_delegation, *by_post, *by_document;

    char session_id[YS_HASH_HEX];   /* the hash of the first event, in hex: names the session (verifiable.md §1) */
    int64_t seq;                     /* last event applied */
    uint8_t head[YS_HASH_BYTES];     /* its hash */
    uint8_t digest_sum[YS_HASH_BYTES]; /* the sum of the records' hashes (digest.c), kept by the fold */
} ys_session;

ys_session *ys_session_new(void);
void ys_session_free(ys_session *s);
bool ys_session_initialized(const ys_session *s);

/* Applies one event: the fold step. Checks what it needs so that a corrupt log is refused with an
 * error, never a crash; on error the session must be dropped (it may be half-changed). */
ys_rc ys_session_apply(ys_session *s, const ys_event *ev, ys_err *err);

/* Where accepted events go, and where a sealed ballot's id comes from (see ys_session_accept). */
typedef struct ys_accept_sink {
    /* 256 random bits for a ballot that goes into a real box (the journal's ys_ballot_random_id). NULL:
     * an id made from the chain's head and the ballot's place, which links the two, for a session that
     * keeps no box (tests, fuzzers). */
    void (*ballot_id)(void *ud, uint8_t id[YS_HASH_BYTES]);
    /* Each event once it is applied, in order (the journal writes it to the store); may be NULL. */
    ys_rc (*accepted)(void *ud, const ys_event *ev, ys_err *err);
    void *ud;
} ys_accept_sink;

/* The one way events enter a session: each of evs[0..n) in turn, a chained event linked after the
 * state's head (ys_event_chain) — or, when it already has a seq (read from a file), checked to link and
 * hash as it says — then applied; a sealed ballot given its id and its canonical text, then added to
 * its running count; then handed to sink->accepted. Stops at the first failure, which leaves the state
 * half-changed: the caller drops it (the journal replays the file). sink may be NULL. An event read
 * from a file that does not link, hash or apply is YS_CORRUPT naming it. */
ys_rc ys_session_accept(ys_session *s, ys_event *evs, size_t n, const ys_accept_sink *sink, ys_err *err);


/* The state digest checkpoints record (docs/design.md, "The state digest"): a function of the state
 * alone, so the same log gives the same digest whether replayed or built live. The fold keeps a sum of
 * the hashes of the state's records as it changes them, so reading the digest costs the same whatever
 * the size of the session. */
#define YS_DIGEST_VERSION 2
void ys_session_digest(const ys_session *s, uint8_t out[YS_HASH_BYTES]);
/* The same digest computed from the whole state, record by record: what the kept sum must equal. */
void ys_session_digest_full(const ys_session *s, uint8_t out[YS_HASH_BYTES]);
/* The digest of a given version, as checkpoints of that version hold it: 1 is the whole state hashed in
 * one order (files written before the incremental digest), YS_DIGEST_VERSION the current one. False for
 * a version this program does not know. Version 1 costs a pass over the whole state. */
bool ys_session_digest_of(const ys_session *s, int version, uint8_t out[YS_HASH_BYTES]);

/* The session's full title as the law writes it: 山西省 + 第十四届 + 人民代表大会 + 第二次会议. */
void ys_session_title(const ys_session *s, char *out, size_t n);

/* Look-ups; NULL when there is none. */
const ys_delegate *ys_delegate_by_code(const ys_session *s, const char *code);
const ys_delegation *ys_delegation_by_name(const ys_session *s, const char *name);
const ys_post *ys_post_by_title(const ys_session *s, const char *title);
const ys_document *ys_document_by_title(const ys_session *s, const char *title);
const ys_meeting *ys_meeting_get(const ys_session *s, int id);
/* Why a delegate is on leave from a meeting, as recorded; NULL when not on leave or no reason was given.
 * Who may read it is the server's rule (src/server/view.c). */
const char *ys_meeting_leave_reason(const ys_meeting *m, int delegate_id);
const ys_meeting *ys_current_meeting(const ys_session *s);
ys_presence ys_meeting_presence(const ys_meeting *m, int delegate_id);

/* Attendance of a meeting under the rule set. For plenary and preparatory meetings the base is all
 * entitled delegates and the quorum is the rule set's; other meetings count their delegation and
 * have no statutory quorum (has_quorum false). */
typedef struct ys_attendance {
    int entitled, present, on_leave, absent;
    bool has_quorum;
    int quorum;       /* fewest present for a valid meeting */
    bool quorate;
} ys_attendance;
ys_attendance ys_meeting_attendance(const ys_session *s, const ys_meeting *m);

/* Names for enums, as used in events, files and the API. */
const char *ys_meeting_kind_key(ys_meeting_kind k);
const char *ys_meeting_kind_zh(ys_meeting_kind k);
int ys_meeting_kind_parse(const char *key);   /* 0 if unknown */
const char *ys_item_kind_key(ys_item_kind k);
const char *ys_item_kind_zh(ys_item_kind k);
int ys_item_kind_parse(const char *key);
const char *ys_role_key(unsigned role_bit);
unsigned ys_role_parse(const char *key);       /* 0 if unknown */
const char *ys_gender_zh(ys_gender g);
const char *ys_gender_parse(const char *v);    /* 男/女, M/F, male/female → "male"/"female"; NULL if neither */

#endif

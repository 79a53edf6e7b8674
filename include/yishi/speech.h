/* speech.h — the speakers list of a meeting (发言): delegates ask for the floor, the chair (or the
 * delegation's secretary) gives it in turn, and when a speech ends the secretary records what was said.
 * The order in which delegates spoke, and their words, are what a bulletin (简报) reports. */
#ifndef YISHI_SPEECH_H
#define YISHI_SPEECH_H

#include "yishi/command.h"

typedef enum ys_speech_state {
    YS_SPEECH_WAITING = 1, /* asked for the floor */
    YS_SPEECH_SPEAKING,    /* has the floor */
    YS_SPEECH_DONE,        /* spoke */
    YS_SPEECH_WITHDRAWN,   /* gave up the request */
} ys_speech_state;

/* A delegate's speech in the deliberation (发言), or a leader's remarks after hearing the others (讲话:
 * 在认真听取大家发言后，X说), which a bulletin reports apart. */
typedef enum ys_speech_kind { YS_SPEECH_DELEGATE = 1, YS_SPEECH_REMARKS = 2 } ys_speech_kind;

typedef struct ys_speech {
    int id;
    int meeting;
    int delegate;
    ys_speech_state state;
    ys_speech_kind kind;
    int spoke;                /* the k-th to take the floor at the meeting, 0 until it starts */
    char *topic;              /* what the delegate asked to speak on, or NULL */
    char *summary;            /* what was said, as the secretary recorded it, or NULL */
    char requested_at[32], started_at[32], ended_at[32];
} ys_speech;

/* A delegate of the meeting, present at it, asks for the floor; at most one open request each. */
ys_rc ys_cmd_speech_request(const ys_session *s, const ys_ctx *c, int meeting, const char *code, const char *topic,
                            ys_events *out, ys_err *err);
/* The same, for a speech of the given kind (ys_cmd_speech_request: YS_SPEECH_DELEGATE). A speaker is a
 * delegate of the meeting present at it, or one recorded as leading or joining it (meeting.h). */
ys_rc ys_cmd_speech_request_as(const ys_session *s, const ys_ctx *c, int meeting, const char *code, const char *topic,
                               ys_speech_kind kind, ys_events *out, ys_err *err);
ys_rc ys_cmd_speech_withdraw(const ys_session *s, const ys_ctx *c, int meeting, const char *code, ys_events *out,
                             ys_err *err);
/* Gives the floor: to `code`, or (code NULL) to the first in the queue. One speaker at a time; a
 * delegate given the floor without having asked is put on the list as they start. */
ys_rc ys_cmd_speech_start(const ys_session *s, const ys_ctx *c, int meeting, const char *code, ys_events *out,
                          ys_err *err);
/* Ends the current speech, with what was said (may be NULL, and added to later by the secretary). */
/* The same; a speaker given the floor without having asked joins the list with speech `kind`. */
ys_rc ys_cmd_speech_start_as(const ys_session *s, const ys_ctx *c, int meeting, const char *code, ys_speech_kind kind,
                             ys_events *out, ys_err *err);
ys_rc ys_cmd_speech_end(const ys_session *s, const ys_ctx *c, int meeting, const char *summary, ys_events *out,
                        ys_err *err);

/* A speech's state as the API and the command line write it: "waiting", "speaking", "spoke", "withdrawn";
 * "?" if unknown. */
const char *ys_speech_state_word(ys_speech_state st);

/* "speech" or "remarks", and the Chinese (发言, 讲话); a kind's word parsed, 0 if unknown. */
const char *ys_speech_kind_key(ys_speech_kind k);
const char *ys_speech_kind_zh(ys_speech_kind k);
int ys_speech_kind_parse(const char *key);

const ys_speech *ys_speech_get(const ys_session *s, int id);
/* The speech now under way at a meeting, or NULL. */
const ys_speech *ys_meeting_speaker(const ys_session *s, int meeting);

#endif

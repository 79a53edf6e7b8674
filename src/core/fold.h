/* fold.h — what the apply handlers of the core's modules share: reading ids from payloads the
 * way a replay needs them, and the handler signature. Internal to the core. */
#ifndef YS_CORE_FOLD_H
#define YS_CORE_FOLD_H

#include "core/digest.h"
#include "yishi/command.h"
#include "yishi/poll.h"
#include "yishi/session.h"

typedef ys_rc (*ys_apply_fn)(ys_session *s, const ys_event *ev, ys_err *err);

/* The payload's "id" must be n + 1, so that ids mean the same after every replay. */
ys_rc ys_fold_next_id(const json_t *p, size_t n, ys_err *err);
/* A reference to an entity 1..n (0 allowed when optional). */
ys_rc ys_fold_ref(const json_t *p, const char *key, size_t n, bool optional, int *out, ys_err *err);
ys_rc ys_fold_nomem(const ys_event *ev, ys_err *err);
/* Makes a per-delegate byte array cover every delegate (they may be added after it was made). */
int ys_fold_cover(uint8_t **v, size_t *cap, size_t need);

/* Handlers of polls and elections (poll.c, election.c), dispatched by apply.c. */
ys_rc ys_apply_poll_create(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_poll_open(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_poll_vote(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_poll_cast(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_poll_totals(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_poll_close(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_election_create(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_election_nominate(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_election_open(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_election_cast(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_election_close(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_poll_announce(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_speech_request(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_speech_withdraw(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_speech_start(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_speech_end(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_election_announce(ys_session *s, const ys_event *ev, ys_err *err);
/* The hall (hall.c): a layout imported, a delegate moved; and the layout freed with the session. */
ys_rc ys_apply_hall_layout(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_delegate_seat(ys_session *s, const ys_event *ev, ys_err *err);
void ys__hall_free(ys_session *s);
/* The key ceremony (key.c). */
ys_rc ys_apply_key_create(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_key_commit(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_key_shares(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_key_ready(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_key_complaint(ys_session *s, const ys_event *ev, ys_err *err);
void ys__keys_free(ys_session *s);

/* Shared by polls and elections: the plenary a vote may open at (open, quorate, no other vote open),
 * a delegate who may vote now at `meeting`, and the sealed ballots' fold. */
ys_rc ys__quorate_plenary(const ys_session *s, const ys_meeting **out, ys_err *err);
const ys_delegate *ys__voter(const ys_session *s, int meeting, const char *code, ys_err *err);
ys_rc ys__apply_poll_ballot(ys_session *s, const ys_event *sealed, ys_err *err);
ys_rc ys__apply_election_ballot(ys_session *s, const ys_event *sealed, ys_err *err);
int ys__choice_parse(const char *key); /* ys_choice, 0 if unknown */
/* A fresh count of a session's election as it was opened, and one sealed ballot added to a count. */
ys_rc ys__election_count_new(const ys_session *s, const ys_session_election *el, ys_election **out, ys_err *err);
ys_rc ys__election_add_sealed(ys_election *count, const json_t *payload, ys_err *err);

/* A delegate who may turn in a ballot in election el now: present at its meeting, issued one, none yet. */
const ys_delegate *ys__election_voter(const ys_session *s, const ys_session_election *el, const char *code,
                                      ys_err *err);
/* A verifiable election (election_v.c), at each step the box's election takes: created with its key, opened
 * with its context, a ballot cast, closed with its aggregates; then the trustees' decryptions and the count. */
ys_rc ys__election_v_create(ys_session *s, ys_session_election *el, const json_t *payload, ys_err *err);
ys_rc ys__election_v_open_payload(const ys_session *s, const ys_session_election *el, json_t *payload, ys_err *err);
ys_rc ys__election_v_open(ys_session *s, ys_session_election *el, const json_t *payload, ys_err *err);
ys_rc ys__election_v_cast(ys_session *s, ys_session_election *el, const json_t *payload, ys_err *err);
json_t *ys__election_v_close_payload(const ys_session_election *el);
ys_rc ys__election_v_close(ys_session *s, ys_session_election *el, const ys_event *ev, ys_err *err);
ys_rc ys_apply_election_decrypt(ys_session *s, const ys_event *ev, ys_err *err);
/* A verifiable poll (poll_v.c), step by step as a verifiable election. */
ys_rc ys__poll_v_create(ys_session *s, ys_poll *p, const json_t *payload, ys_err *err);
ys_rc ys__poll_v_open_payload(const ys_session *s, const ys_poll *p, json_t *payload, ys_err *err);
ys_rc ys__poll_v_open(ys_session *s, ys_poll *p, const json_t *payload, ys_err *err);
ys_rc ys__poll_v_cast(ys_session *s, ys_poll *p, const json_t *payload, ys_err *err);
json_t *ys__poll_v_close_payload(const ys_poll *p, const ys_turnout *now);
ys_rc ys__poll_v_close(ys_session *s, ys_poll *p, const ys_event *ev, ys_err *err);
ys_rc ys_apply_poll_decrypt(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys__poll_ref(ys_session *s, const json_t *pl, ys_poll_state want, ys_poll **out, ys_err *err);
ys_rc ys_apply_poll_count(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_election_count(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_election_shuffle(ys_session *s, const ys_event *ev, ys_err *err);
/* correct.c */
ys_rc ys_apply_delegate_correct(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_item_correct(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_attendee_correct(ys_session *s, const ys_event *ev, ys_err *err);
/* Shared with election.c: an election in the state an event needs, and the count's result recorded. */
ys_rc ys__election_ref(ys_session *s, const json_t *p, ys_poll_state want, ys_session_election **out, ys_err *err);
ys_rc ys__election_set_result(ys_session *s, ys_session_election *el, const ys_event *ev, const json_t *result,
                              ys_err *err);

/* Is any poll or election open? Returns its description for a message, or NULL. */
const char *ys_vote_in_progress(const ys_session *s, char *buf, size_t cap);
void ys_polls_free(ys_session *s);
void ys_elections_free(ys_session *s);
void ys_speeches_free(ys_session *s);
/* Motions (motion.c): the fold, and what the session frees of them. */
ys_rc ys_apply_motion_draft(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_motion_sign(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_motion_submit(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_motion_deadline(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_motion_decide(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_motion_withdraw(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_motion_answer(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_motion_rate(ys_session *s, const ys_event *ev, ys_err *err);
void ys_motions_free(ys_session *s);
/* The vote that decides a motion (poll.c asks): *amends set for an amendment's poll; and, at its opening, that
 * the amendments on the agenda have been voted first. */
ys_rc ys__motion_poll_check(const ys_session *s, const ys_poll_args *a, int *amends, ys_err *err);
ys_rc ys__motion_poll_open_check(const ys_session *s, const ys_poll *p, ys_err *err);
/* Opinions on documents and the explanations of versions (opinion.c). */
ys_rc ys_apply_opinion_add(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_document_explain(ys_session *s, const ys_event *ev, ys_err *err);
void ys_opinions_free(ys_session *s);
/* A meeting as held and the bulletins' numbers (meeting.c). */
ys_rc ys_apply_meeting_held(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_meeting_person(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_meeting_takeup(ys_session *s, const ys_event *ev, ys_err *err);
ys_rc ys_apply_bulletin_issue(ys_session *s, const ys_event *ev, ys_err *err);
/* The date and half-day a meeting.open gives (none in files from before they were recorded). */
ys_rc ys__meeting_open_held(ys_meeting *m, const json_t *payload, ys_err *err);
void ys__meeting_held_free(ys_meeting *m);
/* A command's date and half-day, each defaulting to the ctx's time in Beijing (meeting.c). */
ys_rc ys__held_words(const ys_ctx *c, const char *date, const char *half_day, char out[11], int *half, ys_err *err);

#endif

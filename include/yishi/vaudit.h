/* vaudit.h — the audit of verifiable votes that runs beside a verifying replay (docs/verifiable.md §10): every
 * proof of every cast ballot (checked in batches), that its voter could cast it, and a summary.
 * `yishi verify` (journal.c) and `yishi-verify` (from an exported log) both replay through it. */
#ifndef YISHI_VAUDIT_H
#define YISHI_VAUDIT_H

#include "yishi/session.h"

#include <jansson.h>
#include <stdint.h>

/* Ballots checked in one batch (ys_vballot_check_many): the cost of a proof checked alone falls about
 * threefold in a batch of this size; a failure is still named ballot by ballot. */
#define YS_VAUDIT_BATCH 64

typedef struct ys_vaudit ys_vaudit;

ys_rc ys_vaudit_new(ys_vaudit **out, ys_err *err);
void ys_vaudit_free(ys_vaudit *a);

/* Replays one recorded event into s, as a verifying replay does (ys_session_accept: its link, its hash, the
 * fold's checks), with the audit: a cast's voter must have been one who could cast it (for an election, issued
 * a ballot), and a verifiable ballot joins the batch its proofs will be checked in. The event is only read during the call.
 * On YS_CORRUPT *bad_seq is the first event that does not hold — an earlier ballot whose batch was still
 * waiting comes before this event's fault — and err says what: for a ballot, the delegate's code in the
 * message and the proof in err->field ("marks[3].proof"). YS_NOMEM when memory runs out. */
ys_rc ys_vaudit_replay(ys_vaudit *a, ys_session *s, const ys_event *ev, int64_t *bad_seq, ys_err *err);
/* Checks the ballots still waiting, once the last event is replayed; as ys_vaudit_replay on failure. */
ys_rc ys_vaudit_finish(ys_vaudit *a, int64_t *bad_seq, ys_err *err);

int64_t ys_vaudit_ballots(const ys_vaudit *a);      /* verifiable ballots whose proofs were checked */
int64_t ys_vaudit_decryptions(const ys_vaudit *a);  /* trustees' decryptions replayed (the fold checks them) */
int64_t ys_vaudit_shuffles(const ys_vaudit *a);     /* write-in shuffles whose proofs were checked */

/* Each verifiable vote of the replayed session, after ys_vaudit_finish: { "elections": [ { "election", "office",
 * "seats", "state" ("open", "closed", "counted"), "issued", "cast", "checked" (ballots whose proofs held), "key",
 * "trustees" (the logins who decrypted the aggregates, in trustee order), "written_in" (the names the aggregates say were
 * written in), "shuffles" (made, each proof checked), "result" (the count's, or null) } ], "polls": [ {
 * "poll", "title", "state", "cast", "checked", "key", "trustees", "result" ({ "yes", "no", "abstain", "not_voted",
 * "passed" } once counted, else null) } ] }. NULL when memory runs out. */
json_t *ys_vaudit_summary(const ys_vaudit *a, const ys_session *s);

#endif

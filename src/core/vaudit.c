/* vaudit.c — verify's audit of verifiable elections beside the replay: the proofs of every cast ballot, in
 * batches of YS_VAUDIT_BATCH, that each voter was issued a ballot, and what was checked per election. */
#include "yishi/vaudit.h"

#include "yishi/alloc.h"
#include "yishi/key.h"
#include "yishi/poll.h"
#include "yishi/vstate.h"

#include <string.h>

/* A cast waiting for its batch: the ballot is kept (a reference), the event is not. */
typedef struct waiting {
    int64_t seq;
    char *voter;
    json_t *ballot;
} waiting;

struct ys_vaudit {
    const ys_vvote *vote;     /* the context of the waiting ballots' election (the session owns it) */
    int election;
    waiting w[YS_VAUDIT_BATCH];
    size_t n;
    ys_vcast *casts[YS_VAUDIT_BATCH];
    ys_err errs[YS_VAUDIT_BATCH];
    int64_t ballots, decryptions;
    int64_t *checked;         /* by election id - 1 */
    size_t cap_checked;
};

ys_rc ys_vaudit_new(ys_vaudit **out, ys_err *err)
{
    if (!(*out = ys_calloc(1, sizeof **out)))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory starting the audit of verifiable ballots");
    return YS_OK;
}

static void forget_waiting(ys_vaudit *a)
{
    for (size_t i = 0; i < a->n; i++) {
        ys_free(a->w[i].voter);
        json_decref(a->w[i].ballot);
    }
    a->n = 0;
}

void ys_vaudit_free(ys_vaudit *a)
{
    if (!a)
        return;
    forget_waiting(a);
    ys_free(a->checked);
    ys_free(a);
}

/* The waiting ballots' proofs, in one batch; the first that fails is named by its event and its voter. */
static ys_rc flush(ys_vaudit *a, int64_t *bad_seq, ys_err *err)
{
    const char *voters[YS_VAUDIT_BATCH];
    const json_t *ballots[YS_VAUDIT_BATCH];
    ys_rc rc = YS_OK;
    if (!a->n)
        return YS_OK;
    for (size_t i = 0; i < a->n; i++)
        voters[i] = a->w[i].voter, ballots[i] = a->w[i].ballot;
    ys_vballot_check_many(a->vote, a->n, voters, ballots, a->casts, a->errs);
    for (size_t i = 0; i < a->n; i++) {
        ys_vcast_free(a->casts[i]);
        a->casts[i] = NULL;
        if (rc || !a->errs[i].rc)
            continue;
        const ys_err *e = &a->errs[i];
        *bad_seq = a->w[i].seq;
        rc = e->rc == YS_NOMEM ? ys_fail(err, YS_NOMEM, NULL, "out of memory checking ballots")
                               : ys_fail(err, YS_CORRUPT, e->field, "event %lld (election.cast): election %d, the ballot "
                                         "of delegate %s: %s", (long long)a->w[i].seq, a->election, a->w[i].voter, e->msg);
    }
    if (!rc) {
        a->ballots += (int64_t)a->n;
        a->checked[a->election - 1] += (int64_t)a->n;
    }
    forget_waiting(a);
    return rc;
}

static ys_rc wait_for_batch(ys_vaudit *a, const ys_session_election *el, const ys_delegate *d, const ys_event *ev,
                            int64_t *bad_seq, ys_err *err)
{
    ys_rc rc;
    if (a->n && a->vote != el->v->vote && (rc = flush(a, bad_seq, err)))
        return rc;
    size_t had = a->cap_checked;
    if (ys_grow((void **)&a->checked, &a->cap_checked, (size_t)el->id, sizeof *a->checked))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory checking ballots");
    memset(a->checked + had, 0, (a->cap_checked - had) * sizeof *a->checked);
    waiting *w = &a->w[a->n];
    if (!(w->voter = ys_strdup(d->code)))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory checking ballots");
    w->seq = ev->seq;
    w->ballot = json_incref(json_object_get(ev->payload, "ballot"));
    a->vote = el->v->vote;
    a->election = el->id;
    a->n++;
    return a->n == YS_VAUDIT_BATCH ? flush(a, bad_seq, err) : YS_OK;
}

/* Before an election.cast is applied (the state is the one it was cast in): its voter was issued a ballot,
 * and a verifiable ballot waits for its batch. What the fold refuses (no such election, a second ballot, a
 * malformed payload) is left to it to name. */
static ys_rc audit_cast(ys_vaudit *a, const ys_session *s, const ys_event *ev, int64_t *bad_seq, ys_err *err)
{
    const json_t *p = ev->payload;
    const ys_session_election *el = ys_session_election_get(s, (int)json_integer_value(json_object_get(p, "election")));
    json_int_t id = json_integer_value(json_object_get(p, "delegate"));
    if (!el || el->state != YS_POLL_OPEN || id < 1 || (size_t)id > s->n_delegates)
        return YS_OK;
    const ys_delegate *d = &s->delegates[id - 1];
    if ((size_t)id > el->issued_cap || !el->issued_to[id - 1]) {
        ys_rc rc = flush(a, bad_seq, err);
        if (rc)
            return rc;
        *bad_seq = ev->seq;
        return ys_fail(err, YS_CORRUPT, "delegate", "event %lld (election.cast): delegate %s turned in a ballot in "
                       "election %d, but was not issued one (not present when it opened)", (long long)ev->seq,
                       d->code, el->id);
    }
    if (!el->v || !el->v->vote || !json_object_get(p, "ballot"))
        return YS_OK;
    return wait_for_batch(a, el, d, ev, bad_seq, err);
}

ys_rc ys_vaudit_replay(ys_vaudit *a, ys_session *s, const ys_event *ev, int64_t *bad_seq, ys_err *err)
{
    ys_event copy = *ev; /* shallow, and only read: a recorded event is not chained again */
    ys_rc rc;
    *bad_seq = 0;
    if (strcmp(ev->type, "election.cast") == 0 && (rc = audit_cast(a, s, ev, bad_seq, err)))
        return rc;
    if (!(rc = ys_session_accept(s, &copy, 1, NULL, err))) {
        a->decryptions += strcmp(ev->type, "election.decrypt") == 0;
        return YS_OK;
    }
    if (rc != YS_CORRUPT)
        return rc;
    /* A ballot cast before this event, whose batch was waiting, is the first thing that does not hold. */
    ys_err why = {0};
    ys_rc earlier = flush(a, bad_seq, &why);
    if (earlier && err)
        *err = why;
    if (!earlier)
        *bad_seq = ev->seq;
    return earlier ? earlier : rc;
}

ys_rc ys_vaudit_finish(ys_vaudit *a, int64_t *bad_seq, ys_err *err)
{
    *bad_seq = 0;
    return flush(a, bad_seq, err);
}

int64_t ys_vaudit_ballots(const ys_vaudit *a) { return a->ballots; }
int64_t ys_vaudit_decryptions(const ys_vaudit *a) { return a->decryptions; }

/* The logins of the trustees who decrypted el, in trustee order. */
static json_t *decrypted_by(const ys_session *s, const ys_session_election *el)
{
    const ys_key *key = ys_key_get(s, el->v->key);
    json_t *out = json_array();
    for (int j = 0; out && key && j < key->n; j++)
        if (el->v->partials[j] && json_array_append_new(out, json_string(key->trustees[j].login))) {
            json_decref(out);
            return NULL;
        }
    return out;
}

static json_t *election_summary(const ys_vaudit *a, const ys_session *s, const ys_session_election *el)
{
    const char *state = el->v->counted ? "counted" : ys_poll_state_word(el->state);
    int64_t checked = (size_t)el->id <= a->cap_checked ? a->checked[el->id - 1] : 0;
    return json_pack("{s:i, s:s, s:i, s:s, s:i, s:i, s:I, s:i, s:o, s:O?}", "election", el->id, "office", el->office,
                     "seats", el->seats, "state", state, "issued", el->issued, "cast", el->returned, "checked",
                     (json_int_t)checked, "key", el->v->key, "trustees", decrypted_by(s, el), "result",
                     el->v->counted ? el->result : NULL);
}

json_t *ys_vaudit_summary(const ys_vaudit *a, const ys_session *s)
{
    json_t *out = json_array();
    for (size_t i = 0; out && i < s->n_elections; i++) {
        const ys_session_election *el = &s->elections[i];
        if (el->v && json_array_append_new(out, election_summary(a, s, el))) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

/* vaudit.c — verify's audit of verifiable votes beside the replay: the proofs of every cast ballot, in batches
 * of YS_VAUDIT_BATCH, that each voter could cast it, and what was checked per election and poll. */
#include "yishi/vaudit.h"

#include "core/fold.h"
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

/* Ballots whose proofs held, per vote id - 1. */
typedef struct tally {
    int64_t *n;
    size_t cap;
} tally;

struct ys_vaudit {
    const ys_vvote *vote;     /* the context of the waiting ballots' vote (the session owns it) */
    bool poll;                /* which vote they are of: a poll or an election, */
    int id;                   /* and its id */
    waiting w[YS_VAUDIT_BATCH];
    size_t n;
    ys_vcast *casts[YS_VAUDIT_BATCH];
    ys_err errs[YS_VAUDIT_BATCH];
    int64_t ballots, decryptions, shuffles;
    tally checked[2];         /* [0] elections, [1] polls */
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
    ys_free(a->checked[0].n);
    ys_free(a->checked[1].n);
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
                               : ys_fail(err, YS_CORRUPT, e->field, "event %lld (%s.cast): %s %d, the ballot of delegate "
                                         "%s: %s", (long long)a->w[i].seq, a->poll ? "poll" : "election",
                                         a->poll ? "poll" : "election", a->id, a->w[i].voter, e->msg);
    }
    if (!rc) {
        a->ballots += (int64_t)a->n;
        a->checked[a->poll].n[a->id - 1] += (int64_t)a->n;
    }
    forget_waiting(a);
    return rc;
}

/* A cast of vote (poll or not) `id` with context `vote`, waiting for its batch. */
static ys_rc wait_for_batch(ys_vaudit *a, bool poll, int id, const ys_vvote *vote, const ys_delegate *d,
                            const ys_event *ev, int64_t *bad_seq, ys_err *err)
{
    ys_rc rc;
    if (a->n && a->vote != vote && (rc = flush(a, bad_seq, err)))
        return rc;
    tally *t = &a->checked[poll];
    size_t had = t->cap;
    if (ys_grow((void **)&t->n, &t->cap, (size_t)id, sizeof *t->n))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory checking ballots");
    memset(t->n + had, 0, (t->cap - had) * sizeof *t->n);
    waiting *w = &a->w[a->n];
    if (!(w->voter = ys_strdup(d->code)))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory checking ballots");
    w->seq = ev->seq;
    w->ballot = json_incref(json_object_get(ev->payload, "ballot"));
    a->vote = vote;
    a->poll = poll;
    a->id = id;
    a->n++;
    return a->n == YS_VAUDIT_BATCH ? flush(a, bad_seq, err) : YS_OK;
}

/* Before a cast is applied (the state is the one it was cast in): its voter could cast it, by the command's own
 * rule (an election's: present when the ballots were issued, and now; a poll's: checked in now), and a
 * verifiable ballot waits for its batch. What the fold refuses (no such vote, a malformed payload) is left to
 * it to name. */
static ys_rc audit_cast(ys_vaudit *a, const ys_session *s, const ys_event *ev, bool poll, int64_t *bad_seq,
                        ys_err *err)
{
    const json_t *p = ev->payload;
    int id = (int)json_integer_value(json_object_get(p, poll ? "poll" : "election"));
    json_int_t delegate = json_integer_value(json_object_get(p, "delegate"));
    const ys_poll *po = poll ? ys_poll_get(s, id) : NULL;
    const ys_session_election *el = poll ? NULL : ys_session_election_get(s, id);
    if ((poll ? !po || po->state != YS_POLL_OPEN : !el || el->state != YS_POLL_OPEN) || delegate < 1 ||
        (size_t)delegate > s->n_delegates)
        return YS_OK;
    const ys_delegate *d = &s->delegates[delegate - 1];
    ys_err why = {0};
    if (!(poll ? ys__voter(s, po->meeting, d->code, &why) : ys__election_voter(s, el, d->code, &why))) {
        ys_rc rc = flush(a, bad_seq, err);
        if (rc)
            return rc;
        *bad_seq = ev->seq;
        return ys_fail(err, YS_CORRUPT, "delegate", "event %lld (%s): delegate %s could not cast a ballot in %s %d: %s",
                       (long long)ev->seq, ev->type, d->code, poll ? "poll" : "election", id, why.msg);
    }
    const ys_vstate *v = poll ? po->v : el->v;
    if (!v || !v->vote || !json_object_get(p, "ballot"))
        return YS_OK;
    return wait_for_batch(a, poll, id, v->vote, d, ev, bad_seq, err);
}

/* Before a shuffle is applied: its proof, against the input the state holds (the cast ballots' tuples in cast
 * order for the first, the previous shuffle's output after), which the replay does not check. What the fold
 * refuses (no such election, a shuffle out of turn, an output of the wrong size) is left to it to name. */
static ys_rc audit_shuffle(ys_vaudit *a, const ys_session *s, const ys_event *ev, int64_t *bad_seq, ys_err *err)
{
    const json_t *p = ev->payload;
    const ys_session_election *el = ys_session_election_get(s, (int)json_integer_value(json_object_get(p, "election")));
    json_int_t m = json_integer_value(json_object_get(p, "m")), j = json_integer_value(json_object_get(p, "trustee"));
    const ys_key *key = el && el->v ? ys_key_get(s, el->v->key) : NULL;
    if (!key || el->v->phase != YS_VPHASE_SHUFFLE || m != el->v->n_shuffles + 1 || j < 1 || j > key->n)
        return YS_OK;
    ys_rc rc = flush(a, bad_seq, err); /* a ballot cast before that does not hold comes first */
    if (rc)
        return rc;
    ys_err why = {0};
    ys_vshuffle *sh = NULL;
    if (!(rc = ys_election_shuffle_begin(s, el->id, key->trustees[j - 1].login, (int)m, &sh, &why)))
        rc = ys_vshuffle_check(sh, json_object_get(p, "output"), json_object_get(p, "proof"), &why);
    ys_vshuffle_free(sh);
    if (rc == YS_NOMEM)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory checking a shuffle");
    if (rc) {
        *bad_seq = ev->seq;
        return ys_fail(err, YS_CORRUPT, why.field, "event %lld (election.shuffle): election %d, shuffle %lld by trustee "
                       "%s: %s", (long long)ev->seq, el->id, (long long)m, key->trustees[j - 1].login, why.msg);
    }
    a->shuffles++;
    return YS_OK;
}

ys_rc ys_vaudit_replay(ys_vaudit *a, ys_session *s, const ys_event *ev, int64_t *bad_seq, ys_err *err)
{
    ys_event copy = *ev; /* shallow, and only read: a recorded event is not chained again */
    ys_rc rc;
    *bad_seq = 0;
    bool poll = strcmp(ev->type, "poll.cast") == 0;
    if ((poll || strcmp(ev->type, "election.cast") == 0) && (rc = audit_cast(a, s, ev, poll, bad_seq, err)))
        return rc;
    if (strcmp(ev->type, "election.shuffle") == 0 && (rc = audit_shuffle(a, s, ev, bad_seq, err)))
        return rc;
    if (!(rc = ys_session_accept(s, &copy, 1, NULL, err))) {
        a->decryptions += strcmp(ev->type, "election.decrypt") == 0 || strcmp(ev->type, "poll.decrypt") == 0;
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
int64_t ys_vaudit_shuffles(const ys_vaudit *a) { return a->shuffles; }

/* The logins of the trustees who decrypted a vote, in trustee order. */
static json_t *decrypted_by(const ys_session *s, const ys_vstate *v)
{
    const ys_key *key = ys_key_get(s, v->key);
    json_t *out = json_array();
    for (int j = 0; out && key && j < key->n; j++)
        if (v->partials[j] && json_array_append_new(out, json_string(key->trustees[j].login))) {
            json_decref(out);
            return NULL;
        }
    return out;
}

static int64_t checked_of(const ys_vaudit *a, bool poll, int id)
{
    return (size_t)id <= a->checked[poll].cap ? a->checked[poll].n[id - 1] : 0;
}

static json_t *election_summary(const ys_vaudit *a, const ys_session *s, const ys_session_election *el)
{
    const char *state = el->v->counted ? "counted" : ys_poll_state_word(el->state);
    return json_pack("{s:i, s:s, s:i, s:s, s:i, s:i, s:I, s:i, s:o, s:I, s:i, s:O?}", "election", el->id, "office",
                     el->office, "seats", el->seats, "state", state, "issued", el->issued, "cast", el->returned,
                     "checked", (json_int_t)checked_of(a, false, el->id), "key", el->v->key, "trustees",
                     decrypted_by(s, el->v), "written_in", (json_int_t)el->v->written, "shuffles", el->v->n_shuffles,
                     "result", el->v->counted ? el->result : NULL);
}

static json_t *poll_summary(const ys_vaudit *a, const ys_session *s, const ys_poll *p)
{
    const char *state = p->counted ? "counted" : ys_poll_state_word(p->state);
    json_t *result = p->counted ? json_pack("{s:i, s:i, s:i, s:i, s:b}", "yes", p->tally.yes, "no", p->tally.no,
                                               "abstain", p->tally.abstain, "not_voted", p->tally.not_voted, "passed",
                                               p->result.passed)
                                   : json_null();
    return json_pack("{s:i, s:s, s:s, s:i, s:I, s:i, s:o, s:o}", "poll", p->id, "title", p->title, "state", state,
                     "cast", p->voted, "checked", (json_int_t)checked_of(a, true, p->id), "key", p->v->key, "trustees",
                     decrypted_by(s, p->v), "result", result);
}

static bool append(json_t *list, json_t *one)
{
    return one && !json_array_append_new(list, one);
}

json_t *ys_vaudit_summary(const ys_vaudit *a, const ys_session *s)
{
    json_t *elections = json_array(), *polls = json_array();
    bool ok = elections && polls;
    for (size_t i = 0; ok && i < s->n_elections; i++)
        ok = !s->elections[i].v || append(elections, election_summary(a, s, &s->elections[i]));
    for (size_t i = 0; ok && i < s->n_polls; i++)
        ok = !s->polls[i].v || append(polls, poll_summary(a, s, &s->polls[i]));
    if (ok)
        return json_pack("{s:o, s:o}", "elections", elections, "polls", polls);
    json_decref(elections);
    json_decref(polls);
    return NULL;
}

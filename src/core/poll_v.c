/* poll_v.c — a verifiable poll (表决) in the session: an anonymous vote at the terminals whose ballots are
 * encrypted to a key (docs/verifiable.md): one mark, 赞成 1, 反对 B, 弃权 0; the close records the turnout and
 * the aggregate, the trustees' decryptions bring the totals, and the rule set counts them as for any poll. */
#include "core/fold.h"
#include "core/payload.h"
#include "yishi/alloc.h"
#include "yishi/key.h"
#include "yishi/vstate.h"

#include <sodium.h>
#include <string.h>

static ys_rc make_vvote(const ys_session *s, const ys_poll *p, ys_vvote **out, ys_err *err)
{
    const char *names[1] = {p->title}; /* the question, as the one "candidate" */
    return ys__vvote_for(s, p->v->key, true, p->id, s->entitled, 1, names, 1, false, out, err);
}

ys_rc ys__poll_v_create(ys_session *s, ys_poll *p, const json_t *payload, ys_err *err)
{
    int key;
    if (!json_object_get(payload, "key")) /* a poll with a box */
        return YS_OK;
    ys_rc rc = ys_fold_ref(payload, "key", s->n_keys, false, &key, err);
    if (rc)
        return rc;
    if (p->named || p->method != YS_METHOD_TERMINAL)
        return ys_fail(err, YS_CORRUPT, "key", "poll %d: a verifiable vote is anonymous, at the terminals", p->id);
    if (!(p->v = ys_calloc(1, sizeof *p->v)))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory creating poll %d", p->id);
    p->v->key = key;
    return YS_OK;
}

ys_rc ys__poll_v_open_payload(const ys_session *s, const ys_poll *p, json_t *payload, ys_err *err)
{
    ys_vstate probe = {.key = p->v->key};
    ys_rc rc = make_vvote(s, p, &probe.vote, err);
    if (rc)
        return rc;
    json_t *ctx = ys__vstate_context_json(&probe);
    ys_vvote_free(probe.vote);
    if (!ctx || json_object_set_new(payload, "verifiable", ctx))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory opening poll %d", p->id);
    return YS_OK;
}

ys_rc ys__poll_v_open(ys_session *s, ys_poll *p, const json_t *payload, ys_err *err)
{
    ys_vvote *v = NULL;
    ys_rc rc = make_vvote(s, p, &v, err);
    if (rc)
        return rc == YS_NOMEM ? rc : ys_fail(err, YS_CORRUPT, "verifiable", "poll %d: %s", p->id, err ? err->msg : "");
    ys_vstate probe = {.key = p->v->key, .vote = v};
    json_t *mine = ys__vstate_context_json(&probe);
    bool same = mine && json_equal(mine, json_object_get(payload, "verifiable"));
    json_decref(mine);
    if (!same) {
        ys_vvote_free(v);
        return ys_fail(err, YS_CORRUPT, "verifiable", "poll %d opens with a context (B, P, Q) that its key and question "
                       "do not give", p->id);
    }
    p->v->entitled = s->entitled;
    return ys__vstate_open(p->v, v, err);
}

ys_rc ys_poll_vvote(const ys_session *s, int poll, ys_vvote **out, ys_err *err)
{
    const ys_poll *p = ys_poll_get(s, poll);
    *out = NULL;
    if (!p)
        return ys_fail(err, YS_NOT_FOUND, "poll", "no poll %d", poll);
    if (!p->v)
        return ys_fail(err, YS_STATE, "poll", "poll %d is not verifiable", poll);
    if (p->state != YS_POLL_OPEN)
        return ys_fail(err, YS_STATE, "poll", "poll %d is %s", poll, ys_poll_state_phrase(p->state));
    const char *names[1] = {p->title};
    return ys__vvote_for(s, p->v->key, true, p->id, p->v->entitled, 1, names, 1, false, out, err);
}

ys_rc ys_cmd_poll_cast(const ys_session *s, const ys_ctx *c, int poll, const char *code, const json_t *ballot,
                       const ys_vcast *checked, ys_events *out, ys_err *err)
{
    const ys_poll *p = ys_poll_get(s, poll);
    char h[2 * YS_VHASH];
    if (!p)
        return ys_fail(err, YS_NOT_FOUND, "poll", "no poll %d", poll);
    if (p->state != YS_POLL_OPEN || !p->v)
        return ys_fail(err, YS_STATE, "poll", "poll %d takes no encrypted ballot now (%s%s)", poll,
                       ys_poll_state_phrase(p->state), p->v ? "" : ", and its ballots go into a box");
    const ys_delegate *d = ys__voter(s, p->meeting, code, err);
    if (!d)
        return err ? err->rc : YS_FORBIDDEN;
    if ((size_t)d->id <= p->choice_cap && p->choice[d->id - 1])
        return ys_fail(err, YS_CONFLICT, "delegate", "%s (%s) has already voted in poll %d", d->name, d->code, poll);
    if (ys__vstate_copied(p->v, checked))
        return ys_fail(err, YS_CONFLICT, "ballot", "a ciphertext of this ballot has been cast already in poll %d", poll);
    ys__vstate_code_text(checked, h);
    return ys_events_add(out, c->time, c->actor, "poll.cast",
                         json_pack("{s:i, s:i, s:O, s:s}", "poll", poll, "delegate", d->id, "ballot", ballot, "code", h),
                         err);
}

ys_rc ys__poll_v_cast(ys_session *s, ys_poll *p, const json_t *payload, ys_err *err)
{
    return ys__vstate_replay_cast(s, p->v, payload, "poll", p->id, err);
}

json_t *ys__poll_v_close_payload(const ys_poll *p, const ys_turnout *now)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:o}", "poll", p->id, "entitled", now->entitled, "present", now->present,
                     "voted", now->voted, "aggregates", ys_vtally_json(p->v->tally));
}

ys_rc ys__poll_v_close(ys_session *s, ys_poll *p, const ys_event *ev, ys_err *err)
{
    long long entitled, present, voted;
    ys_rc rc;
    if ((rc = ys_pl_int(ev->payload, "entitled", 0, YS_COUNT_MAX_DELEGATES, &entitled, err)) ||
        (rc = ys_pl_int(ev->payload, "present", 0, YS_COUNT_MAX_DELEGATES, &present, err)) ||
        (rc = ys_pl_int(ev->payload, "voted", 0, YS_COUNT_MAX_DELEGATES, &voted, err)))
        return rc;
    json_t *mine = ys_vtally_json(p->v->tally);
    if (!mine)
        return ys_fold_nomem(ev, err);
    if (voted != p->voted || voted > present || present > entitled ||
        !json_equal(mine, json_object_get(ev->payload, "aggregates"))) {
        json_decref(mine);
        return ys_fail(err, YS_CORRUPT, "aggregates", "poll %d closes with a turnout or aggregate that are not its "
                       "ballots'", p->id);
    }
    ys__rec_out(s, YS_REC_POLL, p->id, 0);
    p->v->aggregates = mine;
    ys_vtally_free(p->v->tally);
    p->v->tally = NULL;
    p->tally = (ys_vote_tally){.entitled = (int)entitled, .present = (int)present, .not_voted = (int)(present - voted),
                               .majority = p->majority, .method = p->method};
    p->state = YS_POLL_CLOSED;
    p->closed_seq = ev->seq;
    snprintf(p->closed_at, sizeof p->closed_at, "%s", ev->time);
    ys__rec_in(s, YS_REC_POLL, p->id, 0);
    return YS_OK;
}

/* ---- decrypted and counted ---- */

static ys_rc counting(const ys_session *s, int poll, const ys_poll **p, const ys_key **key, ys_err *err)
{
    *p = ys_poll_get(s, poll);
    if (!*p)
        return ys_fail(err, YS_NOT_FOUND, "poll", "no poll %d", poll);
    if (!(*p)->v)
        return ys_fail(err, YS_STATE, "poll", "poll %d is not verifiable", poll);
    if ((*p)->state != YS_POLL_CLOSED)
        return ys_fail(err, YS_STATE, "poll", "poll %d is %s: its aggregate is decrypted after the close", poll,
                       ys_poll_state_phrase((*p)->state));
    if ((*p)->counted)
        return ys_fail(err, YS_STATE, "poll", "poll %d has been counted", poll);
    *key = ys_key_get(s, (*p)->v->key);
    return YS_OK;
}

json_t *ys_poll_to_decrypt(const ys_session *s, int poll, ys_err *err)
{
    const ys_poll *p;
    const ys_key *key = NULL;
    if (counting(s, poll, &p, &key, err))
        return NULL;
    json_t *cts = ys__vstate_tally_cts(p->v);
    if (!cts)
        ys_fail(err, YS_NOMEM, NULL, "out of memory");
    return cts;
}

json_t *ys_poll_tally(const ys_session *s, int poll, ys_err *err)
{
    const ys_poll *p = ys_poll_get(s, poll);
    if (!p || !p->v) {
        ys_fail(err, YS_NOT_FOUND, "poll", "no verifiable poll %d", poll);
        return NULL;
    }
    if (p->state != YS_POLL_CLOSED) {
        ys_fail(err, YS_STATE, "poll", "poll %d is %s: its aggregate is formed at the close", poll,
                ys_poll_state_phrase(p->state));
        return NULL;
    }
    json_t *out = ys__vstate_tally_json(p->v, ys_key_get(s, p->v->key), "poll", poll, p->counted);
    if (!out)
        ys_fail(err, YS_NOMEM, NULL, "out of memory for poll %d's tally", poll);
    return out;
}

/* The totals from the decrypted yes + B·no, and the result the rule set gives them. */
static json_t *count_of(const ys_session *s, const ys_poll *p, uint64_t value, ys_vote_tally *t, ys_vote_result *r,
                        ys_err *err)
{
    uint64_t B = ys_vvote_B(p->v->vote);
    int voted = p->tally.present - p->tally.not_voted;
    *t = p->tally;
    t->yes = (int)(value % B), t->no = (int)(value / B);
    t->abstain = voted - t->yes - t->no;
    if (t->abstain < 0 || ys_count_vote(s->rules, t, r, err))
        return NULL;
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:b}", "poll", p->id, "yes", t->yes, "no", t->no, "abstain",
                     t->abstain, "not_voted", t->not_voted, "passed", r->passed);
}

ys_rc ys_cmd_poll_decrypt(const ys_session *s, const ys_ctx *c, int poll, const char *login, const json_t *partials,
                          ys_events *out, ys_err *err)
{
    const ys_poll *p;
    const ys_key *key = NULL;
    int j = 0;
    ys_rc rc = counting(s, poll, &p, &key, err);
    if (rc || (rc = ys__vstate_check_partial(p->v, key, login, partials, &j, err)) ||
        (rc = ys_events_add(out, c->time, c->actor, "poll.decrypt",
                            json_pack("{s:i, s:i, s:O}", "poll", poll, "trustee", j, "partials", partials), err)))
        return rc;
    if (p->v->n_partials + 1 < key->k)
        return YS_OK;
    uint64_t value = 0;
    ys_vote_tally t;
    ys_vote_result r;
    json_t *count = NULL;
    if ((rc = ys__vstate_decrypt(p->v, key, p->v->entitled, j, partials, &value, 1, err)))
        return rc;
    if (!(count = count_of(s, p, value, &t, &r, err)))
        return err && err->rc ? err->rc : ys_fail(err, YS_BAD_PROOF, "partials", "poll %d decrypts to more marks than "
                                                  "ballots", poll);
    return ys_events_add(out, c->time, c->actor, "poll.count", count, err);
}

ys_rc ys_apply_poll_decrypt(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_poll *p;
    ys_rc rc = ys__poll_ref(s, ev->payload, YS_POLL_CLOSED, &p, err);
    if (rc)
        return rc;
    if (!p->v)
        return ys_fail(err, YS_CORRUPT, "poll", "a decryption of poll %d, which has a box", p->id);
    return ys__vstate_replay_partial(s, p->v, p->counted, ev, YS_REC_POLL, p->id, err);
}

ys_rc ys_apply_poll_count(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_poll *p;
    ys_rc rc = ys__poll_ref(s, ev->payload, YS_POLL_CLOSED, &p, err);
    if (rc)
        return rc;
    const ys_key *key = p->v ? ys_key_get(s, p->v->key) : NULL;
    if (!key || p->counted || p->v->n_partials < key->k)
        return ys_fail(err, YS_CORRUPT, "poll", "a count of poll %d before its decryptions", p->id);
    uint64_t value = 0;
    ys_vote_tally t;
    ys_vote_result r;
    json_t *count = NULL;
    if ((rc = ys__vstate_decrypt(p->v, key, p->v->entitled, 0, NULL, &value, 1, err)))
        return rc == YS_NOMEM ? rc : ys_fail(err, YS_CORRUPT, "partials", "poll %d: %s", p->id, err ? err->msg : "");
    count = count_of(s, p, value, &t, &r, err);
    bool same = count && json_equal(count, ev->payload);
    json_decref(count);
    if (!same)
        return ys_fail(err, YS_CORRUPT, "yes", "poll %d's count is not what its decryptions give", p->id);
    ys__rec_out(s, YS_REC_POLL, p->id, 0);
    p->tally = t;
    p->result = r;
    p->yes = t.yes, p->no = t.no, p->abstain = t.abstain;
    p->counted = true;
    ys__rec_in(s, YS_REC_POLL, p->id, 0);
    return YS_OK;
}

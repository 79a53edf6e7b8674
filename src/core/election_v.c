/* election_v.c — a verifiable election in the session (docs/verifiable.md, docs/design.md "Verifiable votes
 * in the session"): its context fixed at the open, each encrypted ballot cast into the aggregates, the
 * aggregates recorded at the close, the trustees' partial decryptions, and the count the k-th brings. */
#include "core/fold.h"
#include "core/payload.h"
#include "yishi/alloc.h"
#include "yishi/key.h"
#include "yishi/vstate.h"

#include <sodium.h>
#include <string.h>

static ys_rc make_vvote(const ys_session *s, const ys_session_election *el, int entitled, ys_vvote **out,
                        ys_err *err)
{
    const char **names = ys_calloc(el->n_nominees + 1, sizeof *names);
    if (!names)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory making the context of election %d", el->id);
    for (size_t i = 0; i < el->n_nominees; i++)
        names[i] = el->nominees[i].name;
    /* A preliminary (预选) takes no write-ins; an election does (另选他人, Art. 28). */
    ys_rc rc = ys__vvote_for(s, el->v->key, false, el->id, entitled, el->seats, names, el->n_nominees,
                             el->kind == YS_ELECTION, out, err);
    ys_free(names);
    return rc;
}

/* ---- created, opened ---- */

ys_rc ys__election_v_create(ys_session *s, ys_session_election *el, const json_t *payload, ys_err *err)
{
    int key;
    if (!json_object_get(payload, "key")) /* an election with a box */
        return YS_OK;
    ys_rc rc = ys_fold_ref(payload, "key", s->n_keys, false, &key, err);
    if (rc)
        return rc;
    if (!(el->v = ys_calloc(1, sizeof *el->v)))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory creating election %d", el->id);
    el->v->key = key;
    return YS_OK;
}

ys_rc ys__election_v_open_payload(const ys_session *s, const ys_session_election *el, json_t *payload, ys_err *err)
{
    ys_vstate probe = {.key = el->v->key};
    ys_rc rc = make_vvote(s, el, s->entitled, &probe.vote, err);
    if (rc)
        return rc;
    json_t *ctx = ys__vstate_context_json(&probe);
    ys_vvote_free(probe.vote);
    if (!ctx || json_object_set_new(payload, "verifiable", ctx))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory opening election %d", el->id);
    return YS_OK;
}

ys_rc ys__election_v_open(ys_session *s, ys_session_election *el, const json_t *payload, ys_err *err)
{
    ys_vvote *v = NULL;
    ys_rc rc = make_vvote(s, el, el->entitled, &v, err);
    if (rc)
        return rc == YS_NOMEM ? rc : ys_fail(err, YS_CORRUPT, "verifiable", "election %d: %s", el->id, err ? err->msg : "");
    ys_vstate probe = {.key = el->v->key, .vote = v};
    json_t *mine = ys__vstate_context_json(&probe);
    bool same = mine && json_equal(mine, json_object_get(payload, "verifiable"));
    json_decref(mine);
    if (!same) {
        ys_vvote_free(v);
        return ys_fail(err, YS_CORRUPT, "verifiable", "election %d opens with a context (B, P, Q) that its key and list "
                       "do not give", el->id);
    }
    return ys__vstate_open(el->v, v, err);
}

ys_rc ys_election_vvote(const ys_session *s, int election, ys_vvote **out, ys_err *err)
{
    const ys_session_election *el = ys_session_election_get(s, election);
    *out = NULL;
    if (!el)
        return ys_fail(err, YS_NOT_FOUND, "election", "no election %d", election);
    if (!el->v)
        return ys_fail(err, YS_STATE, "election", "election %d is not verifiable: its ballots go into a box", election);
    if (el->state != YS_POLL_OPEN)
        return ys_fail(err, YS_STATE, "election", "election %d is %s", election, ys_poll_state_phrase(el->state));
    return make_vvote(s, el, el->entitled, out, err);
}

/* ---- a ballot cast ---- */

ys_rc ys_cmd_election_cast(const ys_session *s, const ys_ctx *c, int election, const char *code, const json_t *ballot,
                           const ys_vcast *checked, ys_events *out, ys_err *err)
{
    const ys_session_election *el = ys_session_election_get(s, election);
    char h[2 * YS_VHASH];
    if (!el)
        return ys_fail(err, YS_NOT_FOUND, "election", "no election %d", election);
    if (el->state != YS_POLL_OPEN || !el->v)
        return ys_fail(err, YS_STATE, "election", "election %d takes no encrypted ballot now (%s%s)", election,
                       ys_poll_state_phrase(el->state), el->v ? "" : ", and its ballots go into a box");
    const ys_delegate *d = ys__election_voter(s, el, code, err);
    if (!d)
        return err ? err->rc : YS_FORBIDDEN;
    if (ys__vstate_copied(el->v, checked))
        return ys_fail(err, YS_CONFLICT, "ballot", "a ciphertext of this ballot has been cast already in election %d: "
                       "a ballot is encrypted afresh for each delegate", election);
    ys__vstate_code_text(checked, h);
    return ys_events_add(out, c->time, c->actor, "election.cast",
                         json_pack("{s:i, s:i, s:O, s:s}", "election", election, "delegate", d->id, "ballot", ballot,
                                   "code", h),
                         err);
}

/* Replay: the ballot was checked before it was logged; it is read again (its points decoded, its code
 * recomputed, no proof checked) to add it to the aggregates. yishi verify checks its proofs. */
ys_rc ys__election_v_cast(ys_session *s, ys_session_election *el, const json_t *payload, ys_err *err)
{
    return ys__vstate_replay_cast(s, el->v, payload, "election", el->id, err);
}

/* ---- closed, decrypted, counted ---- */

json_t *ys__election_v_close_payload(const ys_session_election *el)
{
    return json_pack("{s:i, s:i, s:i, s:o}", "election", el->id, "issued", el->issued, "returned", el->returned,
                     "aggregates", ys_vtally_json(el->v->tally));
}

ys_rc ys__election_v_close(ys_session *s, ys_session_election *el, const ys_event *ev, ys_err *err)
{
    json_t *mine = ys_vtally_json(el->v->tally);
    if (!mine)
        return ys_fold_nomem(ev, err);
    if (!json_equal(mine, json_object_get(ev->payload, "aggregates"))) {
        json_decref(mine);
        return ys_fail(err, YS_CORRUPT, "aggregates", "election %d closes with aggregates that are not the sums of its "
                       "ballots", el->id);
    }
    ys__rec_out(s, YS_REC_ELECTION, el->id, 0);
    el->v->aggregates = mine;
    ys_vtally_free(el->v->tally);
    el->v->tally = NULL;
    el->state = YS_POLL_CLOSED;
    el->closed_seq = ev->seq;
    snprintf(el->closed_at, sizeof el->closed_at, "%s", ev->time);
    ys__rec_in(s, YS_REC_ELECTION, el->id, 0);
    return YS_OK;
}

/* A closed verifiable election not yet counted, and its key. */
static ys_rc counting(const ys_session *s, int election, const ys_session_election **el, const ys_key **key,
                      ys_err *err)
{
    *el = ys_session_election_get(s, election);
    if (!*el)
        return ys_fail(err, YS_NOT_FOUND, "election", "no election %d", election);
    if (!(*el)->v)
        return ys_fail(err, YS_STATE, "election", "election %d is not verifiable: its box was counted at the close",
                       election);
    if ((*el)->state != YS_POLL_CLOSED)
        return ys_fail(err, YS_STATE, "election", "election %d is %s: its aggregates are decrypted after the close",
                       election, ys_poll_state_phrase((*el)->state));
    if ((*el)->v->counted)
        return ys_fail(err, YS_STATE, "election", "election %d has been counted", election);
    *key = ys_key_get(s, (*el)->v->key);
    return YS_OK;
}

json_t *ys_election_to_decrypt(const ys_session *s, int election, ys_err *err)
{
    const ys_session_election *el;
    const ys_key *key = NULL;
    if (counting(s, election, &el, &key, err))
        return NULL;
    json_t *cts = ys__vstate_tally_cts(el->v);
    if (!cts)
        ys_fail(err, YS_NOMEM, NULL, "out of memory");
    return cts;
}

json_t *ys_election_tally(const ys_session *s, int election, ys_err *err)
{
    const ys_session_election *el = ys_session_election_get(s, election);
    if (!el || !el->v) {
        ys_fail(err, YS_NOT_FOUND, "election", "no verifiable election %d", election);
        return NULL;
    }
    if (el->state != YS_POLL_CLOSED) {
        ys_fail(err, YS_STATE, "election", "election %d is %s: its aggregates are formed at the close", election,
                ys_poll_state_phrase(el->state));
        return NULL;
    }
    json_t *out = ys__vstate_tally_json(el->v, ys_key_get(s, el->v->key), "election", election, el->v->counted);
    if (!out)
        ys_fail(err, YS_NOMEM, NULL, "out of memory for election %d's tally", election);
    return out;
}

/* The count the decrypted numbers give: each candidate's yes, no and abstain, and the result the counting
 * engine draws from them (ys_election_add_totals). NULL with *waiting when names were written in: their
 * ballots' blocks are shuffled and decrypted first (§9). */
static json_t *count_of(const ys_session *s, const ys_session_election *el, const uint64_t *values, bool *waiting,
                        ys_err *err)
{
    size_t n = el->n_nominees;
    uint64_t B = ys_vvote_B(el->v->vote);
    int *yes = ys_calloc(n + 1, sizeof *yes), *no = ys_calloc(n + 1, sizeof *no);
    json_t *counts = json_array(), *out = NULL;
    ys_election *count = NULL;
    ys_election_result *res = NULL;
    *waiting = el->kind == YS_ELECTION && values[n] > 0;
    if (!yes || !no || !counts || *waiting)
        goto out;
    for (size_t i = 0; i < n; i++) {
        yes[i] = (int)(values[i] % B), no[i] = (int)(values[i] / B);
        json_array_append_new(counts, json_pack("{s:s, s:i, s:i, s:i}", "name", el->nominees[i].name, "yes", yes[i],
                                                "no", no[i], "abstain", el->returned - yes[i] - no[i]));
    }
    ys_election_totals t = {.ballots = el->returned, .yes = yes, .no = no, .n_listed = n};
    if (ys__election_count_new(s, el, &count, err) || ys_election_add_totals(count, &t, err) ||
        ys_election_result_get(count, &res, err))
        goto out;
    out = json_pack("{s:i, s:O, s:i, s:o}", "election", el->id, "counts", counts, "write_ins", 0, "result",
                    ys_election_result_json(res));
out:
    if (!out && !*waiting && err && !err->rc)
        ys_fail(err, YS_NOMEM, NULL, "out of memory counting election %d", el->id);
    ys_election_result_free(res);
    ys_election_free(count);
    json_decref(counts);
    ys_free(yes);
    ys_free(no);
    return out;
}

ys_rc ys_cmd_election_decrypt(const ys_session *s, const ys_ctx *c, int election, const char *login,
                              const json_t *partials, ys_events *out, ys_err *err)
{
    const ys_session_election *el;
    const ys_key *key = NULL;
    ys_rc rc = counting(s, election, &el, &key, err);
    if (rc)
        return rc;
    int j = 0;
    if ((rc = ys__vstate_check_partial(el->v, key, login, partials, &j, err)))
        return rc;
    if ((rc = ys_events_add(out, c->time, c->actor, "election.decrypt",
                                  json_pack("{s:i, s:i, s:O}", "election", election, "trustee", j, "partials", partials),
                                  err)))
        return rc;
    if (el->v->n_partials + 1 < key->k)
        return YS_OK;
    /* The k-th: the count, from the partials logged and this one, as the fold will check it. */
    size_t n = el->n_nominees + 1;
    uint64_t *values = ys_calloc(n, sizeof *values);
    bool waiting = false;
    json_t *count = NULL;
    rc = values ? ys__vstate_decrypt(el->v, key, el->entitled, j, partials, values, n, err) : ys_fail(err, YS_NOMEM, NULL, "out of memory");
    if (!rc && !(count = count_of(s, el, values, &waiting, err)) && !waiting)
        rc = err ? err->rc : YS_NOMEM;
    ys_free(values);
    if (rc || waiting)
        return rc;
    return ys_events_add(out, c->time, c->actor, "election.count", count, err);
}

ys_rc ys_apply_election_decrypt(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_session_election *el;
    ys_rc rc = ys__election_ref(s, ev->payload, YS_POLL_CLOSED, &el, err);
    if (rc)
        return rc;
    if (!el->v)
        return ys_fail(err, YS_CORRUPT, "election", "a decryption of election %d, which has a box", el->id);
    return ys__vstate_replay_partial(s, el->v, el->v->counted, ev, YS_REC_ELECTION, el->id, err);
}

ys_rc ys_apply_election_count(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_session_election *el;
    ys_rc rc = ys__election_ref(s, ev->payload, YS_POLL_CLOSED, &el, err);
    if (rc)
        return rc;
    const ys_key *key = el->v ? ys_key_get(s, el->v->key) : NULL;
    if (!key || el->v->counted || el->v->n_partials < key->k)
        return ys_fail(err, YS_CORRUPT, "election", "a count of election %d before its decryptions", el->id);
    size_t n = el->n_nominees + 1;
    uint64_t *values = ys_calloc(n, sizeof *values);
    bool waiting = false;
    json_t *count = NULL;
    rc = values ? ys__vstate_decrypt(el->v, key, el->entitled, 0, NULL, values, n, err) : ys_fold_nomem(ev, err);
    if (!rc && !(count = count_of(s, el, values, &waiting, err)))
        rc = waiting ? ys_fail(err, YS_CORRUPT, "election", "election %d counted before its write-ins", el->id)
                     : err ? err->rc : YS_NOMEM;
    ys_free(values);
    if (!rc && !json_equal(count, ev->payload))
        rc = ys_fail(err, YS_CORRUPT, "result", "election %d's count is not what its decryptions give", el->id);
    if (!rc) {
        ys__rec_out(s, YS_REC_ELECTION, el->id, 0);
        rc = ys__election_set_result(s, el, ev, json_object_get(count, "result"), err);
        el->v->counted = !rc;
        ys__rec_in(s, YS_REC_ELECTION, el->id, 0);
    }
    json_decref(count);
    if (rc && rc != YS_NOMEM && rc != YS_CORRUPT)
        rc = ys_fail(err, YS_CORRUPT, "result", "election %d cannot be counted from its decryptions: %s", el->id,
                     err ? err->msg : "");
    return rc;
}

/* election_v.c — a verifiable election in the session (docs/verifiable.md, docs/design.md "Verifiable votes
 * in the session"): its context fixed at the open, each encrypted ballot cast into the aggregates, the
 * aggregates recorded at the close, the trustees' partial decryptions, when names were written in the k
 * shuffles and the decryption of the shuffled tuples (§9), and the count the last decryption brings. */
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

/* Why a closed election waiting for its shuffles takes no decryption, or one past them takes no shuffle. */
static ys_rc not_now(const ys_session_election *el, const ys_key *key, bool shuffle, ys_err *err)
{
    if (!shuffle)
        return ys_fail(err, YS_STATE, "election", "election %d waits for shuffle %d of %d of its write-ins before "
                       "anything more is decrypted (docs/verifiable.md §9)", el->id, el->v->n_shuffles + 1, key->k);
    if (el->v->phase == YS_VPHASE_TALLY)
        return ys_fail(err, YS_STATE, "election", "election %d takes no shuffle: %s", el->id,
                       ys_vvote_P(el->v->vote) ? "its aggregates are not decrypted yet (a shuffle is made only when "
                                                 "someone wrote a name in)" : "its ballots have no write-ins");
    if (el->v->phase == YS_VPHASE_COUNT && !el->v->written)
        return ys_fail(err, YS_STATE, "election", "election %d takes no shuffle: nobody wrote a name in", el->id);
    return ys_fail(err, YS_STATE, "election", "election %d has its %d shuffles", el->id, key->k);
}

json_t *ys_election_to_decrypt(const ys_session *s, int election, ys_err *err)
{
    const ys_session_election *el;
    const ys_key *key = NULL;
    if (counting(s, election, &el, &key, err))
        return NULL;
    if (el->v->phase == YS_VPHASE_SHUFFLE) {
        not_now(el, key, false, err);
        return NULL;
    }
    json_t *cts = ys__vstate_cts(el->v, el->v->phase);
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

/* ---- the write-ins read from the decrypted blocks (§9) ---- */

/* The names written in, each with the number of blocks it is in, and how many count for no one. */
typedef struct writeins {
    const char **name;        /* borrowed from the blocks kept in `blocks` */
    int *votes;
    size_t n, cap_name, cap_votes;
    int nobody;
    ys_vwritein **blocks;
    size_t *sizes, n_blocks;
} writeins;

static void writeins_free(writeins *w)
{
    for (size_t i = 0; i < w->n_blocks; i++)
        ys_vwriteins_free(w->blocks[i], w->sizes[i]);
    ys_free(w->blocks);
    ys_free(w->sizes);
    ys_free(w->name);
    ys_free(w->votes);
}

/* A block's names: one that cannot be read (empty, not UTF-8, too long, on the list, missing) or that the
 * block repeats counts for no one; the others count once for the name. */
static ys_rc add_block(writeins *w, const ys_vwritein *b, size_t n, ys_err *err)
{
    for (size_t k = 0; k < n; k++) {
        bool again = false;
        for (size_t e = 0; e < k && !again && b[k].name; e++)
            again = b[e].name && !strcmp(b[e].name, b[k].name);
        if (!b[k].name || again) {
            w->nobody++;
            continue;
        }
        size_t at = 0;
        while (at < w->n && strcmp(w->name[at], b[k].name))
            at++;
        if (at == w->n) {
            if (ys_grow((void **)&w->name, &w->cap_name, w->n + 1, sizeof *w->name) ||
                ys_grow((void **)&w->votes, &w->cap_votes, w->n + 1, sizeof *w->votes))
                return ys_fail(err, YS_NOMEM, NULL, "out of memory reading the write-ins");
            w->name[w->n] = b[k].name;
            w->votes[w->n++] = 0;
        }
        w->votes[at]++;
    }
    return YS_OK;
}

/* The write-ins of election el from the blocks' decryption (trustee `also`'s `its` not yet in the state). */
static ys_rc writeins_of(const ys_session_election *el, const ys_key *key, int also, const json_t *its, writeins *w,
                         ys_err *err)
{
    size_t P = (size_t)ys_vvote_P(el->v->vote), at = 0, N = json_array_size(el->v->tuples);
    json_t *ms = NULL;
    uint8_t *bytes = ys_malloc(P * YS_VPOINT);
    ys_rc rc = bytes && (w->blocks = ys_calloc(N, sizeof *w->blocks)) && (w->sizes = ys_calloc(N, sizeof *w->sizes))
                   ? ys__vstate_combine(el->v, key, YS_VPHASE_BLOCK, also, its, &ms, err)
                   : ys_fail(err, YS_NOMEM, NULL, "out of memory reading the write-ins");
    for (size_t i = 0; !rc && i < N; i++) {
        if (!el->v->counts[i])
            continue;
        for (size_t p = 0; p < P; p++) {
            const char *m = json_string_value(json_array_get(ms, at++));
            size_t got = 0;
            if (!m || sodium_base642bin(bytes + p * YS_VPOINT, YS_VPOINT, m, strlen(m), NULL, &got, NULL,
                                        sodium_base64_VARIANT_ORIGINAL) || got != YS_VPOINT)
                rc = ys_fail(err, YS_CORRUPT, "block", "the block of tuple %zu does not decrypt to elements", i + 1);
        }
        if (!rc && !(rc = ys_vblock_decode(el->v->vote, bytes, el->v->counts[i], &w->blocks[w->n_blocks], err))) {
            w->sizes[w->n_blocks] = (size_t)el->v->counts[i];
            rc = add_block(w, w->blocks[w->n_blocks], w->sizes[w->n_blocks], err);
            w->n_blocks++;
        }
    }
    json_decref(ms);
    ys_free(bytes);
    return rc;
}

/* ---- the count ---- */

/* The count the decrypted numbers give: each candidate's yes, no and abstain, the names written in, and the
 * result the counting engine draws from them (ys_election_add_totals). */
static json_t *count_of(const ys_session *s, const ys_session_election *el, const uint64_t *values,
                        const writeins *w, ys_err *err)
{
    size_t n = el->n_nominees;
    uint64_t B = ys_vvote_B(el->v->vote);
    int *yes = ys_calloc(n + 1, sizeof *yes), *no = ys_calloc(n + 1, sizeof *no);
    json_t *counts = json_array(), *out = NULL;
    ys_election *count = NULL;
    ys_election_result *res = NULL;
    if (!yes || !no || !counts)
        goto out;
    for (size_t i = 0; i < n; i++) {
        yes[i] = (int)(values[i] % B), no[i] = (int)(values[i] / B);
        if (json_array_append_new(counts, json_pack("{s:s, s:i, s:i, s:i}", "name", el->nominees[i].name, "yes",
                                                    yes[i], "no", no[i], "abstain", el->returned - yes[i] - no[i])))
            goto out;
    }
    ys_election_totals t = {.ballots = el->returned, .yes = yes, .no = no, .n_listed = n, .write_in = w->name,
                            .write_in_votes = w->votes, .n_write_in = w->n};
    if (ys__election_count_new(s, el, &count, err) || ys_election_add_totals(count, &t, err) ||
        ys_election_result_get(count, &res, err))
        goto out;
    out = json_pack("{s:i, s:O, s:I, s:o}", "election", el->id, "counts", counts, "write_ins",
                    (json_int_t)values[n], "result", ys_election_result_json(res));
    /* The names that count for no one, said only where names were written in (a count without keeps its
     * shape of before the shuffle). */
    if (out && values[n] && json_object_set_new(out, "void_write_ins", json_integer(w->nobody))) {
        json_decref(out);
        out = NULL;
    }
out:
    if (!out && err && !err->rc)
        ys_fail(err, YS_NOMEM, NULL, "out of memory counting election %d", el->id);
    ys_election_result_free(res);
    ys_election_free(count);
    json_decref(counts);
    ys_free(yes);
    ys_free(no);
    return out;
}

/* The count from the decryptions, with trustee `also`'s `its` of the phase the election is in (not yet in the
 * state; 0 for none). NULL with *waiting, and no error, when the aggregates say names were written in and the
 * shuffles have not been made. */
static json_t *the_count(const ys_session *s, const ys_session_election *el, const ys_key *key, int also,
                         const json_t *its, bool *waiting, ys_err *err)
{
    size_t n = el->n_nominees + 1;
    uint64_t *values = ys_calloc(n, sizeof *values);
    writeins w = {0};
    json_t *out = NULL;
    bool tally = el->v->phase == YS_VPHASE_TALLY;
    ys_rc rc = !values ? ys_fail(err, YS_NOMEM, NULL, "out of memory")
               : el->v->values ? (memcpy(values, el->v->values, n * sizeof *values), YS_OK)
                               : ys__vstate_decrypt(el->v, key, el->entitled, tally ? also : 0, tally ? its : NULL,
                                                    values, n, err);
    *waiting = !rc && tally && values[n - 1] > 0;
    if (!rc && !*waiting && values[n - 1])
        rc = writeins_of(el, key, el->v->phase == YS_VPHASE_BLOCK ? also : 0, its, &w, err);
    if (!rc && !*waiting)
        out = count_of(s, el, values, &w, err);
    writeins_free(&w);
    ys_free(values);
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
    int j = 0, had = 0;
    ys_vphase ph = el->v->phase;
    if (ph == YS_VPHASE_SHUFFLE)
        return not_now(el, key, false, err);
    if ((rc = ys__vstate_check_partial(el->v, key, login, partials, &j, err)))
        return rc;
    json_t *pl = json_pack("{s:i, s:i, s:O}", "election", election, "trustee", j, "partials", partials);
    if (pl && ph != YS_VPHASE_TALLY && json_object_set_new(pl, "phase", json_string(ys__vphase_word(ph)))) {
        json_decref(pl);
        pl = NULL;
    }
    if ((rc = ys_events_add(out, c->time, c->actor, "election.decrypt", pl, err)))
        return rc;
    ys__vstate_partials(el->v, ph, &had);
    /* The k-th of a phase: the mix's brings the blocks to decrypt (the fold reads the counts); the
     * aggregates' or the blocks' bring the count, as the fold will check it. */
    if (had + 1 < key->k || ph == YS_VPHASE_MIX)
        return YS_OK;
    bool waiting = false;
    json_t *count = the_count(s, el, key, j, partials, &waiting, err);
    if (!count)
        return waiting ? YS_OK : err ? err->rc : YS_NOMEM;
    return ys_events_add(out, c->time, c->actor, "election.count", count, err);
}

/* The count U of each tuple of the last shuffle's output, from the mix's decryption: each in [0, S], and
 * together the number of names the aggregates say were written in (the shuffles keep what they carry). */
static ys_rc read_counts(ys_session_election *el, const ys_key *key, const ys_event *ev, ys_err *err)
{
    size_t N = json_array_size(el->v->tuples);
    json_t *ms = NULL;
    const ys_vdlog *table = ys_vdlog_shared((uint64_t)el->seats);
    uint64_t *W = ys_calloc(N ? N : 1, sizeof *W), sum = 0;
    ys_rc rc = table && W ? ys__vstate_combine(el->v, key, YS_VPHASE_MIX, 0, NULL, &ms, err) : ys_fold_nomem(ev, err);
    for (size_t i = 0; !rc && i < N; i++)
        if (!(rc = ys_vdlog_find_upto(table, (uint64_t)el->seats, json_string_value(json_array_get(ms, i)), &W[i], err)))
            sum += W[i];
    if (rc && rc != YS_NOMEM)
        rc = ys_fail(err, YS_CORRUPT, "partials", "election %d: a shuffled count is not a number of names within the "
                     "%d seats: %s", el->id, el->seats, err ? err->msg : "");
    else if (!rc && sum != el->v->written)
        rc = ys_fail(err, YS_CORRUPT, "partials", "election %d: the shuffled counts add up to %llu names, the aggregates "
                     "to %llu", el->id, (unsigned long long)sum, (unsigned long long)el->v->written);
    json_decref(ms);
    if (!rc) {
        el->v->counts = W;
        W = NULL;
    }
    ys_free(W);
    return rc;
}

/* After a phase's k-th decryption, what comes next: the shuffles when the aggregates say names were written
 * in, else the count; after the mix, the blocks of the tuples that hold names; after the blocks, the count. */
static ys_rc advance(ys_session *s, ys_session_election *el, const ys_event *ev, ys_err *err)
{
    const ys_key *key = ys_key_get(s, el->v->key);
    int had = 0;
    ys__vstate_partials(el->v, el->v->phase, &had);
    if (had < key->k)
        return YS_OK;
    ys_rc rc = YS_OK;
    size_t n = el->n_nominees + 1;
    uint64_t *values = NULL;
    ys__rec_out(s, YS_REC_ELECTION, el->id, 0);
    if (el->v->phase == YS_VPHASE_TALLY && ys_vvote_P(el->v->vote)) {
        if (!(values = ys_calloc(n, sizeof *values)))
            rc = ys_fold_nomem(ev, err);
        else if ((rc = ys__vstate_decrypt(el->v, key, el->entitled, 0, NULL, values, n, err)) && rc != YS_NOMEM)
            rc = ys_fail(err, YS_CORRUPT, "partials", "election %d: %s", el->id, err ? err->msg : "");
        if (!rc)
            el->v->written = values[n - 1], el->v->values = values, values = NULL;
        el->v->phase = el->v->written ? YS_VPHASE_SHUFFLE : YS_VPHASE_COUNT;
    } else if (el->v->phase == YS_VPHASE_MIX) {
        rc = read_counts(el, key, ev, err);
        el->v->phase = YS_VPHASE_BLOCK;
    } else
        el->v->phase = YS_VPHASE_COUNT;
    ys__rec_in(s, YS_REC_ELECTION, el->id, 0);
    ys_free(values);
    return rc;
}

ys_rc ys_apply_election_decrypt(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_session_election *el;
    ys_rc rc = ys__election_ref(s, ev->payload, YS_POLL_CLOSED, &el, err);
    if (rc)
        return rc;
    if (!el->v)
        return ys_fail(err, YS_CORRUPT, "election", "a decryption of election %d, which has a box", el->id);
    if ((rc = ys__vstate_replay_partial(s, el->v, el->v->counted, ev, YS_REC_ELECTION, el->id, err)))
        return rc;
    return advance(s, el, ev, err);
}

ys_rc ys_apply_election_count(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_session_election *el;
    ys_rc rc = ys__election_ref(s, ev->payload, YS_POLL_CLOSED, &el, err);
    if (rc)
        return rc;
    const ys_key *key = el->v ? ys_key_get(s, el->v->key) : NULL;
    if (!key || el->v->counted || el->v->phase != YS_VPHASE_COUNT)
        return ys_fail(err, YS_CORRUPT, "election", "a count of election %d before its decryptions%s", el->id,
                       el->v && el->v->written ? " and shuffles" : "");
    bool waiting = false;
    json_t *count = the_count(s, el, key, 0, NULL, &waiting, err);
    if (!count)
        rc = err && err->rc ? err->rc : YS_NOMEM;
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

/* ---- the shuffles (§9) ---- */

/* Whether trustee `login` may make shuffle m of election (m 0: the next, whichever it is): the election closed
 * and waiting for shuffles, login a trustee of its key who has made none of them, m the next. */
static ys_rc shuffle_turn(const ys_session *s, int election, const char *login, int m, const ys_session_election **el,
                          const ys_key **key, int *trustee, ys_err *err)
{
    ys_rc rc = counting(s, election, el, key, err);
    if (rc)
        return rc;
    const ys_vstate *v = (*el)->v;
    if (v->phase != YS_VPHASE_SHUFFLE)
        return not_now(*el, *key, true, err);
    if (!(*trustee = ys_key_trustee_index(*key, login)))
        return ys_fail(err, YS_FORBIDDEN, "trustee", "%s is not a trustee of key %d", login ? login : "(nobody)",
                       (*key)->id);
    for (int i = 0; i < v->n_shuffles; i++)
        if (v->shuffled_by[i] == *trustee)
            return ys_fail(err, YS_CONFLICT, "trustee", "%s made shuffle %d of election %d: each of the %d shuffles is "
                           "by a different trustee", login, i + 1, election, (*key)->k);
    if (m && (m < 1 || m > (*key)->k))
        return ys_fail(err, YS_INVALID, "m", "election %d has shuffles 1 … %d, not %d", election, (*key)->k, m);
    if (m && m != v->n_shuffles + 1)
        return ys_fail(err, YS_CONFLICT, "m", "election %d's next shuffle is %d, not %d", election, v->n_shuffles + 1, m);
    return YS_OK;
}

json_t *ys_election_to_shuffle(const ys_session *s, int election, const char *login, ys_err *err)
{
    const ys_session_election *el;
    const ys_key *key = NULL;
    int j = 0;
    char q[2 * YS_VHASH], K[45];
    if (shuffle_turn(s, election, login, 0, &el, &key, &j, err) || ys_vkey_joint_key(key->v, K, err))
        return NULL;
    sodium_bin2base64(q, sizeof q, ys_vvote_Q(el->v->vote), YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
    json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:s, s:s, s:O}", "election", election, "m", el->v->n_shuffles + 1,
                          "k", key->k, "trustee", j, "Q", q, "K", K, "input", el->v->tuples);
    if (!o)
        ys_fail(err, YS_NOMEM, NULL, "out of memory");
    return o;
}

/* A shuffle on its way to the writer, its proof checked on another thread against what the state held. */
struct ys_vshuffle {
    int election, m, trustee;
    ys_vvote *vote;                 /* the election's context: K and Q */
    json_t *input;                  /* the state's tuples when it began (a reference) */
    const json_t *output, *proof;   /* what held, once checked (the caller's) */
};

ys_rc ys_election_shuffle_begin(const ys_session *s, int election, const char *login, int m, ys_vshuffle **out,
                                ys_err *err)
{
    const ys_session_election *el;
    const ys_key *key = NULL;
    int j = 0;
    *out = NULL;
    ys_rc rc = shuffle_turn(s, election, login, m, &el, &key, &j, err);
    if (rc)
        return rc;
    ys_vshuffle *sh = ys_calloc(1, sizeof *sh);
    if (!sh)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    *sh = (ys_vshuffle){.election = election, .m = m, .trustee = j, .input = json_incref(el->v->tuples)};
    if ((rc = make_vvote(s, el, el->entitled, &sh->vote, err))) {
        ys_vshuffle_free(sh);
        return rc;
    }
    *out = sh;
    return YS_OK;
}

void ys_vshuffle_free(ys_vshuffle *sh)
{
    if (!sh)
        return;
    ys_vvote_free(sh->vote);
    json_decref(sh->input);
    ys_free(sh);
}

/* { "output", "c", "c_hat", "t", "s" } as src/crypto reads a shuffle, from the event's output and proof. */
static json_t *shuffle_json(const json_t *output, const json_t *proof, ys_err *err)
{
    static const char *const parts[] = {"c", "c_hat", "t", "s"};
    bool ok = json_is_object(proof) && json_object_size(proof) == 4;
    for (size_t i = 0; ok && i < 4; i++)
        ok = json_object_get(proof, parts[i]) != NULL;
    if (!ok) {
        ys_fail(err, YS_BAD_FIELD, "proof", "a shuffle's proof is { c, c_hat, t, s } (docs/verifiable.md §9)");
        return NULL;
    }
    json_t *o = json_copy((json_t *)proof);
    if (!o || json_object_set(o, "output", (json_t *)output)) {
        json_decref(o);
        ys_fail(err, YS_NOMEM, NULL, "out of memory");
        return NULL;
    }
    return o;
}

ys_rc ys_vshuffle_verify(const ys_vvote *vote, int m, const json_t *input, const json_t *output, const json_t *proof,
                         ys_err *err)
{
    json_t *sh = shuffle_json(output, proof, err);
    ys_rc rc = sh ? ys_vmix_verify_vote(vote, (uint64_t)m, input, sh, err) : err ? err->rc : YS_BAD_FIELD;
    json_decref(sh);
    return rc;
}

static ys_rc check_shuffle(const ys_vvote *vote, int election, int m, const json_t *input, const json_t *output,
                           const json_t *proof, ys_err *err)
{
    ys_rc rc = ys_vshuffle_verify(vote, m, input, output, proof, err);
    if (rc && rc != YS_NOMEM)
        rc = ys_fail(err, rc, err ? err->field : NULL, "shuffle %d of election %d: %s", m, election, err ? err->msg : "");
    return rc;
}

ys_rc ys_vshuffle_check(ys_vshuffle *sh, const json_t *output, const json_t *proof, ys_err *err)
{
    ys_rc rc = check_shuffle(sh->vote, sh->election, sh->m, sh->input, output, proof, err);
    if (!rc)
        sh->output = output, sh->proof = proof;
    return rc;
}

/* The check in the command itself, for a caller that made none on a thread of its own (the demo, the tests). */
static ys_rc make_vvote_check(const ys_session *s, const ys_session_election *el, int m, const json_t *output,
                              const json_t *proof, ys_err *err)
{
    ys_vvote *vote = NULL;
    ys_rc rc = make_vvote(s, el, el->entitled, &vote, err);
    if (!rc)
        rc = check_shuffle(vote, el->id, m, el->v->tuples, output, proof, err);
    ys_vvote_free(vote);
    return rc;
}

/* A logged output has as many tuples as the input and as many ciphertexts in each, each [α, β] of texts: what
 * the mix and the blocks are read from (their points are decoded when they are decrypted). */
static ys_rc same_shape(const json_t *input, const json_t *output, int id, ys_err *err)
{
    size_t i, w = json_array_size(json_array_get(input, 0));
    const json_t *t;
    bool ok = json_is_array(output) && json_array_size(output) == json_array_size(input);
    json_array_foreach(ok ? output : NULL, i, t) {
        ok = json_is_array(t) && json_array_size(t) == w;
        for (size_t l = 0; ok && l < w; l++) {
            const json_t *ct = json_array_get(t, l);
            ok = json_array_size(ct) == 2 && json_is_string(json_array_get(ct, 0)) && json_is_string(json_array_get(ct, 1));
        }
        if (!ok)
            break;
    }
    if (ok)
        return YS_OK;
    return ys_fail(err, YS_CORRUPT, "output", "election %d: a shuffle's output is not %zu tuples of %zu ciphertexts",
                   id, json_array_size(input), w);
}

ys_rc ys_cmd_election_shuffle(const ys_session *s, const ys_ctx *c, int election, const char *login, int m,
                              const json_t *output, const json_t *proof, const ys_vshuffle *checked, ys_events *out,
                              ys_err *err)
{
    const ys_session_election *el;
    const ys_key *key = NULL;
    int j = 0;
    ys_rc rc = shuffle_turn(s, election, login, m, &el, &key, &j, err);
    if (rc)
        return rc;
    /* A proof checked outside the writer held for this shuffle, of this output, against the input the state
     * still holds (shuffle m is still the next, so its input cannot have changed). */
    if (checked && (checked->election != election || checked->m != m || checked->trustee != j ||
                    checked->input != el->v->tuples || checked->output != output || checked->proof != proof))
        return ys_fail(err, YS_STATE, "proof", "shuffle %d of election %d was checked against another state", m, election);
    if (!checked && (rc = make_vvote_check(s, el, m, output, proof, err)))
        return rc;
    return ys_events_add(out, c->time, c->actor, "election.shuffle",
                         json_pack("{s:i, s:i, s:i, s:O, s:O}", "election", election, "trustee", j, "m", m, "output",
                                   output, "proof", proof),
                         err);
}

/* Replay: the shuffle's proof was checked before it was logged and is not checked again (yishi verify does);
 * its output, of the input's size, becomes the next shuffle's input, and the k-th brings the mix to decrypt. */
ys_rc ys_apply_election_shuffle(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_session_election *el;
    long long j, m;
    ys_rc rc = ys__election_ref(s, ev->payload, YS_POLL_CLOSED, &el, err);
    if (rc)
        return rc;
    const ys_key *key = el->v ? ys_key_get(s, el->v->key) : NULL;
    if (!key || el->v->counted || el->v->phase != YS_VPHASE_SHUFFLE)
        return ys_fail(err, YS_CORRUPT, "election", "a shuffle of election %d, which takes none now", el->id);
    if ((rc = ys_pl_int(ev->payload, "trustee", 1, key->n, &j, err)) ||
        (rc = ys_pl_int(ev->payload, "m", 1, key->k, &m, err)))
        return rc;
    if (m != el->v->n_shuffles + 1)
        return ys_fail(err, YS_CORRUPT, "m", "election %d: shuffle %lld logged where %d is the next", el->id, m,
                       el->v->n_shuffles + 1);
    for (int i = 0; i < el->v->n_shuffles; i++)
        if (el->v->shuffled_by[i] == j)
            return ys_fail(err, YS_CORRUPT, "trustee", "election %d shuffled twice by trustee %lld", el->id, j);
    json_t *output = json_object_get(ev->payload, "output");
    if ((rc = same_shape(el->v->tuples, output, el->id, err)))
        return rc;
    ys__rec_out(s, YS_REC_ELECTION, el->id, 0);
    json_decref(el->v->tuples);
    el->v->tuples = json_incref(output);
    el->v->shuffled_by[el->v->n_shuffles++] = (int)j;
    if (el->v->n_shuffles == key->k)
        el->v->phase = YS_VPHASE_MIX;
    ys__rec_in(s, YS_REC_ELECTION, el->id, 0);
    return YS_OK;
}

/* vstate.c — the state of a verifiable vote between its open and its count: the context made from the
 * key and the list, the aggregates the ballots add to, and the set of every α cast. */
#include "yishi/vstate.h"

#include "core/fold.h"
#include "core/payload.h"
#include "yishi/alloc.h"
#include "yishi/key.h"
#include "yishi/vboard.h"

#include <sodium.h>
#include <string.h>

/* ---- the set of α: open addressing on the first 16 bytes, which are uniformly random for an honest
 * ciphertext (α = r·G); a collision among honest ones has probability about n²/2¹²⁹ ---- */

#define SEEN_KEY 16

struct ys_vseen {
    uint8_t (*slot)[SEEN_KEY];
    size_t cap, n;  /* cap a power of two, kept at most half full */
};

static ys_vseen *seen_new(void)
{
    ys_vseen *s = ys_calloc(1, sizeof *s);
    if (s && !(s->slot = ys_calloc(s->cap = 1024, SEEN_KEY))) {
        ys_free(s);
        return NULL;
    }
    return s;
}

static void seen_free(ys_vseen *s)
{
    if (s)
        ys_free(s->slot);
    ys_free(s);
}

static bool is_empty(const uint8_t k[SEEN_KEY])
{
    static const uint8_t zero[SEEN_KEY];
    return !memcmp(k, zero, SEEN_KEY);
}

/* Its slot: where k is, or the empty slot where it would go. The identity (all zero, what α is only for
 * r = 0) is never kept: a ballot can hold it at most as a forgery, which its proofs refuse. */
static size_t seen_find(const ys_vseen *s, const uint8_t k[SEEN_KEY])
{
    size_t h;
    memcpy(&h, k, sizeof h);
    for (h &= s->cap - 1;; h = (h + 1) & (s->cap - 1))
        if (is_empty(s->slot[h]) || !memcmp(s->slot[h], k, SEEN_KEY))
            return h;
}

static bool seen_has(const ys_vseen *s, const uint8_t k[SEEN_KEY])
{
    return !is_empty(k) && !is_empty(s->slot[seen_find(s, k)]);
}

static int seen_add(ys_vseen *s, const uint8_t k[SEEN_KEY])
{
    if (is_empty(k))
        return 0;
    if (2 * (s->n + 1) > s->cap) {
        ys_vseen bigger = {ys_calloc(s->cap * 2, SEEN_KEY), s->cap * 2, 0};
        if (!bigger.slot)
            return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (!is_empty(s->slot[i])) {
                memcpy(bigger.slot[seen_find(&bigger, s->slot[i])], s->slot[i], SEEN_KEY);
                bigger.n++;
            }
        ys_free(s->slot);
        *s = bigger;
    }
    size_t at = seen_find(s, k);
    if (is_empty(s->slot[at])) {
        memcpy(s->slot[at], k, SEEN_KEY);
        s->n++;
    }
    return 0;
}

/* ---- the state ---- */

void ys_vstate_free(ys_vstate *v)
{
    if (!v)
        return;
    ys_vvote_free(v->vote);
    ys_vtally_free(v->tally);
    seen_free(v->seen);
    json_decref(v->codes);
    json_decref(v->aggregates);
    for (int i = 0; i < YS_VKEY_MAX_TRUSTEES; i++)
        json_decref(v->partials[i]), json_decref(v->later[0][i]), json_decref(v->later[1][i]);
    json_decref(v->tuples);
    ys_free(v->counts);
    ys_free(v->values);
    ys_free(v);
}

ys_rc ys__vvote_for(const ys_session *s, int key_id, bool poll, int id, int entitled, int seats,
                    const char *const *names, size_t n, bool writeins, ys_vvote **out, ys_err *err)
{
    const ys_key *key = ys_key_get(s, key_id);
    if (!key)
        return ys_fail(err, YS_NOT_FOUND, "key", "no key %d", key_id);
    if (key->state != YS_KEY_COMPLETE)
        return ys_fail(err, YS_STATE, "key", "key %d is %s: its ceremony must be complete before a vote uses it",
                       key_id, ys_key_state_word(key->state));
    return ys_vvote_for_key(key->v, s->session_id, poll, (uint64_t)id, (uint64_t)entitled, (uint64_t)seats, names, n,
                            writeins, out, err);
}

ys_rc ys__vstate_open(ys_vstate *v, ys_vvote *vote, ys_err *err)
{
    v->vote = vote;
    if (ys_vtally_new(&v->tally, vote, err))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory opening a verifiable vote");
    if (!(v->seen = seen_new()) || !(v->codes = json_array()) || (ys_vvote_P(vote) && !(v->tuples = json_array())))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory opening a verifiable vote");
    return YS_OK;
}

bool ys__vstate_copied(const ys_vstate *v, const ys_vcast *c)
{
    for (size_t i = 0; i < ys_vcast_nalpha(c); i++)
        if (seen_has(v->seen, ys_vcast_alpha(c, i)))
            return true;
    return false;
}

ys_rc ys__vstate_cast(ys_vstate *v, const ys_vcast *c, ys_err *err)
{
    for (size_t i = 0; i < ys_vcast_nalpha(c); i++)
        if (seen_add(v->seen, ys_vcast_alpha(c, i)))
            return ys_fail(err, YS_NOMEM, NULL, "out of memory recording a ballot");
    char code[2 * YS_VHASH];
    sodium_bin2base64(code, sizeof code, ys_vcast_code(c), YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
    if (json_array_append_new(v->codes, json_string(code)) ||
        (v->tuples && json_array_append_new(v->tuples, ys_vcast_tuple_json(c))))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory recording a ballot");
    ys_vtally_add(v->tally, c);
    return YS_OK;
}

json_t *const *ys__vstate_partials(const ys_vstate *v, ys_vphase ph, int *n)
{
    int at = ph == YS_VPHASE_MIX ? 0 : 1;
    *n = ph == YS_VPHASE_TALLY ? v->n_partials : v->n_later[at];
    return ph == YS_VPHASE_TALLY ? v->partials : v->later[at];
}

ys_rc ys__vstate_combine(const ys_vstate *v, const ys_key *key, ys_vphase ph, int also, const json_t *its,
                         json_t **out, ys_err *err)
{
    unsigned trustees[YS_VKEY_MAX_TRUSTEES];
    const json_t *partials[YS_VKEY_MAX_TRUSTEES];
    size_t count = 0;
    int had;
    json_t *const *mine = ys__vstate_partials(v, ph, &had);
    for (int j = 1; j <= key->n && count < (size_t)key->k; j++) {
        const json_t *p = j == also ? its : mine[j - 1];
        if (p) {
            trustees[count] = (unsigned)j;
            partials[count++] = p;
        }
    }
    *out = NULL;
    json_t *cts = ys__vstate_cts(v, ph);
    ys_rc rc = cts ? ys_vkey_combine(key->v, cts, count, trustees, partials, out, err)
                   : ys_fail(err, YS_NOMEM, NULL, "out of memory decrypting a verifiable vote");
    json_decref(cts);
    return rc;
}

ys_rc ys__vstate_decrypt(const ys_vstate *v, const ys_key *key, int entitled, int also, const json_t *its,
                         uint64_t *values, size_t n, ys_err *err)
{
    /* A count is at most B·V + V: the largest is a candidate's yes + B·no, with yes + no ≤ V. */
    json_t *ms = NULL;
    uint64_t bound = ys_vvote_B(v->vote) * (uint64_t)entitled + (uint64_t)entitled;
    const ys_vdlog *table = ys_vdlog_shared(bound);
    ys_rc rc = table ? ys__vstate_combine(v, key, YS_VPHASE_TALLY, also, its, &ms, err)
                     : ys_fail(err, YS_NOMEM, NULL, "out of memory decrypting a verifiable vote");
    for (size_t i = 0; !rc && i < n; i++)
        rc = ys_vdlog_find_upto(table, bound, json_string_value(json_array_get(ms, i)), &values[i], err);
    json_decref(ms);
    return rc;
}

const char *ys__vphase_word(ys_vphase ph)
{
    static const char *const words[] = {"tally", "shuffle", "mix", "block", "count"};
    return (unsigned)ph < sizeof words / sizeof words[0] ? words[ph] : "?";
}

static bool decrypting(ys_vphase ph)
{
    return ph == YS_VPHASE_TALLY || ph == YS_VPHASE_MIX || ph == YS_VPHASE_BLOCK;
}

ys_rc ys__vstate_check_partial(const ys_vstate *v, const ys_key *key, const char *login, const json_t *partials,
                               int *trustee, ys_err *err)
{
    int j = ys_key_trustee_index(key, login), n = 0;
    if (!j)
        return ys_fail(err, YS_FORBIDDEN, "trustee", "%s is not a trustee of key %d", login ? login : "(nobody)", key->id);
    if (!decrypting(v->phase))
        return ys_fail(err, YS_STATE, "phase", "the vote takes no decryption now: it waits for shuffle %d of %d of its "
                       "write-ins", v->n_shuffles + 1, key->k);
    json_t *const *had = ys__vstate_partials(v, v->phase, &n);
    const char *what = v->phase == YS_VPHASE_TALLY ? "the aggregates" : v->phase == YS_VPHASE_MIX
                           ? "the shuffled counts (mix)" : "the shuffled blocks";
    if (had[j - 1])
        return ys_fail(err, YS_CONFLICT, "trustee", "%s has already decrypted %s of this vote", login, what);
    if (n >= key->k)
        return ys_fail(err, YS_STATE, "trustee", "the vote has its %d decryptions of %s", key->k, what);
    json_t *cts = ys__vstate_cts(v, v->phase);
    ys_rc rc = cts ? ys_vkey_check_partial(key->v, (unsigned)j, ys_vvote_Q(v->vote), cts, partials, err)
                   : ys_fail(err, YS_NOMEM, NULL, "out of memory");
    json_decref(cts);
    *trustee = j;
    return rc;
}

json_t *ys__vstate_context_json(const ys_vstate *v)
{
    char q[2 * YS_VHASH];
    sodium_bin2base64(q, sizeof q, ys_vvote_Q(v->vote), YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
    return json_pack("{s:i, s:I, s:I, s:s}", "key", v->key, "B", (json_int_t)ys_vvote_B(v->vote), "P",
                     (json_int_t)ys_vvote_P(v->vote), "Q", q);
}

void ys__vstate_code_text(const ys_vcast *c, char out[2 * YS_VHASH])
{
    sodium_bin2base64(out, 2 * YS_VHASH, ys_vcast_code(c), YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
}

ys_rc ys__vstate_replay_cast(const ys_session *s, ys_vstate *v, const json_t *payload, const char *what, int id,
                             ys_err *err)
{
    long long delegate;
    const char *code;
    char h[2 * YS_VHASH];
    ys_vcast *cast = NULL;
    ys_rc rc;
    if ((rc = ys_pl_int(payload, "delegate", 1, (long long)s->n_delegates, &delegate, err)) ||
        (rc = ys_pl_str(payload, "code", &code, err)))
        return rc;
    rc = ys_vballot_read(v->vote, s->delegates[delegate - 1].code, json_object_get(payload, "ballot"), &cast, err);
    if (rc)
        return rc == YS_NOMEM ? rc : ys_fail(err, YS_CORRUPT, "ballot", "%s %d: the ballot of delegate %lld: %s", what, id,
                                             delegate, err ? err->msg : "");
    ys__vstate_code_text(cast, h);
    if (strcmp(h, code) != 0)
        rc = ys_fail(err, YS_CORRUPT, "code", "%s %d: the ballot of delegate %lld is not the one its code names", what,
                     id, delegate);
    /* The command refuses a copied ballot; a log that holds one was written by something else. */
    else if (ys__vstate_copied(v, cast))
        rc = ys_fail(err, YS_CORRUPT, "ballot", "%s %d: the ballot of delegate %s repeats a ciphertext already cast (a "
                     "copied ballot)", what, id, s->delegates[delegate - 1].code);
    if (!rc)
        rc = ys__vstate_cast(v, cast, err);
    ys_vcast_free(cast);
    return rc;
}

/* A decryption's payload names its phase when it is not the aggregates' (events logged before the shuffle
 * was built have none): it must be the phase the state is in. */
static ys_rc replay_phase(const ys_vstate *v, const ys_event *ev, const char *what, int id, ys_err *err)
{
    const json_t *ph = json_object_get(ev->payload, "phase");
    const char *want = v->phase == YS_VPHASE_TALLY ? NULL : ys__vphase_word(v->phase);
    if ((!want && !ph) || (want && json_is_string(ph) && !strcmp(json_string_value(ph), want)))
        return YS_OK;
    return ys_fail(err, YS_CORRUPT, "phase", "%s %d: a decryption of phase %s, when it waits for %s", what, id,
                   json_is_string(ph) ? json_string_value(ph) : "tally", ys__vphase_word(v->phase));
}

ys_rc ys__vstate_replay_partial(ys_session *s, ys_vstate *v, bool counted, const ys_event *ev, int rec, int id,
                                ys_err *err)
{
    const char *what = rec == YS_REC_POLL ? "poll" : "election";
    const ys_key *key = ys_key_get(s, v->key);
    long long j;
    int n = 0;
    ys_rc rc;
    json_t *const *had = ys__vstate_partials(v, v->phase, &n);
    if (!key || counted || !decrypting(v->phase) || n >= key->k)
        return ys_fail(err, YS_CORRUPT, what, "a decryption of %s %d, which takes none now", what, id);
    if ((rc = replay_phase(v, ev, what, id, err)) || (rc = ys_pl_int(ev->payload, "trustee", 1, key->n, &j, err)))
        return rc;
    if (had[j - 1])
        return ys_fail(err, YS_CORRUPT, "trustee", "%s %d decrypted twice by trustee %lld (%s)", what, id, j,
                       ys__vphase_word(v->phase));
    /* Checked again on every replay: a proof per aggregate, and for write-ins one per ballot and per block
     * ciphertext of the ballots that wrote a name in (about 0.1 ms each). */
    const json_t *partials = json_object_get(ev->payload, "partials");
    json_t *cts = ys__vstate_cts(v, v->phase);
    rc = cts ? ys_vkey_check_partial(key->v, (unsigned)j, ys_vvote_Q(v->vote), cts, partials, err)
             : ys_fold_nomem(ev, err);
    json_decref(cts);
    if (rc)
        return rc == YS_NOMEM ? rc : ys_fail(err, YS_CORRUPT, "partials", "%s %d, trustee %lld (%s): %s", what, id, j,
                                             ys__vphase_word(v->phase), err ? err->msg : "");
    ys__rec_out(s, (ys_rec)rec, id, 0);
    if (v->phase == YS_VPHASE_TALLY)
        v->partials[j - 1] = json_incref((json_t *)partials), v->n_partials++;
    else
        v->later[v->phase == YS_VPHASE_BLOCK][j - 1] = json_incref((json_t *)partials),
        v->n_later[v->phase == YS_VPHASE_BLOCK]++;
    ys__rec_in(s, (ys_rec)rec, id, 0);
    return YS_OK;
}

json_t *ys__vstate_tally_cts(const ys_vstate *v)
{
    json_t *out = json_array();
    const json_t *marks = json_object_get(v->aggregates, "marks"), *w = json_object_get(v->aggregates, "writein");
    size_t i;
    const json_t *ct;
    char label[32];
    json_array_foreach(marks, i, ct) {
        snprintf(label, sizeof label, "tally/%zu", i + 1);
        if (!out || json_array_append_new(out, json_pack("{s:s, s:O}", "label", label, "ct", ct))) {
            json_decref(out);
            return NULL;
        }
    }
    if (w && out && json_array_append_new(out, json_pack("{s:s, s:O}", "label", "tally/writein", "ct", w))) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* [ { "label", "ct" } ] of ciphertext `at` of the tuples chosen by `take` (each tuple i from 1). */
static json_t *tuple_cts(const ys_vstate *v, bool block)
{
    json_t *out = json_array();
    size_t i, P = (size_t)ys_vvote_P(v->vote);
    const json_t *t;
    char label[48];
    json_array_foreach(v->tuples, i, t) {
        if (block && !v->counts[i])
            continue;
        for (size_t p = block ? 1 : 0; p <= (block ? P : 0); p++) {
            if (block)
                snprintf(label, sizeof label, "block/%zu/%zu", i + 1, p);
            else
                snprintf(label, sizeof label, "mix/%zu", i + 1);
            if (!out || json_array_append_new(out, json_pack("{s:s, s:O}", "label", label, "ct", json_array_get(t, p)))) {
                json_decref(out);
                return NULL;
            }
        }
    }
    return out;
}

json_t *ys__vstate_cts(const ys_vstate *v, ys_vphase ph)
{
    if (ph == YS_VPHASE_TALLY)
        return ys__vstate_tally_cts(v);
    if (!v->tuples || (ph == YS_VPHASE_BLOCK && !v->counts))
        return json_array();
    return tuple_cts(v, ph == YS_VPHASE_BLOCK);
}

/* Every partial decryption posted so far, by trustee index. */
static json_t *partials_json(const ys_vstate *v, const ys_key *key)
{
    json_t *a = json_array();
    for (int j = 1; a && key && j <= key->n; j++)
        if (v->partials[j - 1] &&
            json_array_append_new(a, json_pack("{s:i, s:O}", "trustee", j, "partial", v->partials[j - 1]))) {
            json_decref(a);
            a = NULL;
        }
    return a;
}

json_t *ys__vstate_tally_json(const ys_vstate *v, const ys_key *key, const char *what, int id, bool counted)
{
    char q[2 * YS_VHASH];
    sodium_bin2base64(q, sizeof q, ys_vvote_Q(v->vote), YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
    return json_pack("{s:i, s:s, s:o, s:o, s:b}", what, id, "Q", q, "ciphertexts", ys__vstate_tally_cts(v), "partials",
                     partials_json(v, key), "counted", counted);
}

/* vboard.c — a trustee's check of what it is asked to decrypt: the board's cast ballots through the checks the
 * server made when it took them (and yishi verify makes again), added into a vote's state as the session adds
 * them, and the asked ciphertexts compared with the aggregates that state holds. */
#include "yishi/vboard.h"

#include "yishi/alloc.h"
#include "yishi/poll.h"
#include "yishi/vaudit.h"
#include "yishi/vstate.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool unb64(uint8_t out[YS_VPOINT], const char *b64)
{
    size_t n = 0;
    return sodium_base642bin(out, YS_VPOINT, b64, strlen(b64), NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 &&
           n == YS_VPOINT;
}

ys_rc ys_vvote_for_key(const ys_vkey *key, const char *session_id, bool poll, uint64_t id, uint64_t entitled,
                       uint64_t seats, const char *const *names, size_t n, bool writeins, ys_vvote **out,
                       ys_err *err)
{
    uint8_t shares[YS_VKEY_MAX_TRUSTEES][YS_VPOINT];
    char b64[45];
    unsigned nt = ys_vkey_n(key);
    ys_vvote_spec spec = {.shares = (const uint8_t(*)[YS_VPOINT])shares, .nshares = nt, .session_id = session_id,
                          .poll = poll, .id = id, .entitled = entitled, .seats = seats, .names = names,
                          .ncandidates = n, .writeins = writeins};
    *out = NULL;
    ys_vkey_qk(key, spec.key_hash);
    if (ys_vkey_joint_key(key, b64, err) || !unb64(spec.key, b64))
        return ys_fail(err, YS_CORRUPT, "key", "the key has no joint key");
    for (unsigned j = 1; j <= nt; j++)
        if (ys_vkey_public_share(key, j, b64, err) || !unb64(shares[j - 1], b64))
            return ys_fail(err, YS_CORRUPT, "key", "the key has no public share of trustee %u", j);
    return ys_vvote_new(out, &spec, err);
}

struct ys_vboard {
    ys_vstate *st;    /* the state the session keeps while a vote is open: its aggregates, every α cast, the
                         write-in tuples, and here the shuffles checked (n_shuffles, shuffled_by) */
    unsigned k;       /* the shuffles the key's threshold asks for before the mix is decrypted */
};

ys_rc ys_vboard_new(ys_vboard **out, ys_vvote *vote, unsigned k, ys_err *err)
{
    ys_vboard *b = ys_calloc(1, sizeof *b);
    *out = NULL;
    if (!b || !(b->st = ys_calloc(1, sizeof *b->st))) {
        ys_free(b);
        ys_vvote_free(vote);
        return ys_fail(err, YS_NOMEM, NULL, "out of memory checking the board");
    }
    b->k = k;
    ys_rc rc = ys__vstate_open(b->st, vote, err); /* the state owns vote from here */
    if (rc) {
        ys_vboard_free(b);
        return rc;
    }
    *out = b;
    return YS_OK;
}

void ys_vboard_free(ys_vboard *b)
{
    if (!b)
        return;
    ys_vstate_free(b->st);
    ys_free(b);
}

const ys_vvote *ys_vboard_vote(const ys_vboard *b) { return b->st->vote; }
uint64_t ys_vboard_count(const ys_vboard *b) { return ys_vtally_count(b->st->tally); }

static ys_rc refuse(ys_err *err, const ys_vboard_ballot *x, const char *field, const char *why)
{
    return ys_fail(err, YS_BAD_PROOF, field, "the ballot of delegate %s (event %lld) on the board: %s", x->voter,
                   (long long)x->seq, why);
}

/* One ballot whose proofs held: the code the board gives must be its own, and none of its α cast before. */
static ys_rc take(ys_vboard *b, const ys_vboard_ballot *x, const ys_vcast *c, ys_err *err)
{
    char h[2 * YS_VHASH];
    ys__vstate_code_text(c, h);
    if (!x->code || strcmp(h, x->code) != 0)
        return refuse(err, x, "code", "the code the board gives is not the ballot's");
    if (ys__vstate_copied(b->st, c))
        return refuse(err, x, "ballot", "it repeats a ciphertext of a ballot cast before it (a copied ballot)");
    return ys__vstate_cast(b->st, c, err);
}

/* Up to YS_VAUDIT_BATCH ballots, their proofs in one batch, then each taken in turn. */
static ys_rc add_batch(ys_vboard *b, size_t n, const ys_vboard_ballot *x, ys_err *err)
{
    const char *voters[YS_VAUDIT_BATCH];
    const json_t *ballots[YS_VAUDIT_BATCH];
    ys_vcast *casts[YS_VAUDIT_BATCH] = {0};
    ys_err errs[YS_VAUDIT_BATCH];
    ys_rc rc = YS_OK;
    for (size_t i = 0; i < n; i++)
        voters[i] = x[i].voter ? x[i].voter : "", ballots[i] = x[i].ballot;
    ys_vballot_check_many(b->st->vote, n, voters, ballots, casts, errs);
    for (size_t i = 0; i < n; i++) {
        if (!rc && errs[i].rc == YS_NOMEM)
            rc = ys_fail(err, YS_NOMEM, NULL, "out of memory checking the board's ballots");
        else if (!rc && errs[i].rc)
            rc = refuse(err, &x[i], errs[i].field, errs[i].msg);
        else if (!rc)
            rc = take(b, &x[i], casts[i], err);
        ys_vcast_free(casts[i]);
    }
    return rc;
}

ys_rc ys_vboard_add(ys_vboard *b, size_t n, const ys_vboard_ballot *ballots, ys_err *err)
{
    for (size_t at = 0; at < n; at += YS_VAUDIT_BATCH) {
        ys_rc rc = add_batch(b, n - at < YS_VAUDIT_BATCH ? n - at : YS_VAUDIT_BATCH, ballots + at, err);
        if (rc)
            return rc;
    }
    return YS_OK;
}

/* ---- the write-ins' shuffles ---- */

int ys_vboard_shuffles(const ys_vboard *b) { return b->st->n_shuffles; }
const json_t *ys_vboard_tuples(const ys_vboard *b) { return b->st->tuples; }

/* Who may make shuffle m: the next, within the k, by a trustee none of the others is by. */
static ys_rc shuffle_turn(const ys_vboard *b, int m, int trustee, ys_err *err)
{
    const ys_vstate *v = b->st;
    if (!v->tuples)
        return ys_fail(err, YS_BAD_PROOF, "shuffle", "shuffle %d: this vote takes no write-ins, and has nothing to "
                       "shuffle", m);
    if (m != v->n_shuffles + 1 || m > (int)b->k)
        return ys_fail(err, YS_BAD_PROOF, "m", "shuffle %d is not the next of the %u (%d are checked)", m, b->k,
                       v->n_shuffles);
    if (trustee < 1 || trustee > YS_VKEY_MAX_TRUSTEES)
        return ys_fail(err, YS_BAD_PROOF, "trustee", "shuffle %d names no trustee", m);
    for (int i = 0; i < v->n_shuffles; i++)
        if (v->shuffled_by[i] == trustee)
            return ys_fail(err, YS_BAD_PROOF, "trustee", "shuffle %d is by trustee %d, who made shuffle %d: each is by "
                           "a different trustee, or one who pooled two permutations could link them", m, trustee,
                           i + 1);
    return YS_OK;
}

ys_rc ys_vboard_shuffle(ys_vboard *b, int m, int trustee, const json_t *output, const json_t *proof, ys_err *err)
{
    ys_vstate *v = b->st;
    ys_rc rc = shuffle_turn(b, m, trustee, err);
    if (!rc)
        rc = ys_vshuffle_verify(v->vote, m, v->tuples, output, proof, err);
    if (rc && rc != YS_NOMEM && err)
        return ys_fail(err, YS_BAD_PROOF, err->field, "shuffle %d (by trustee %d): %s", m, trustee, err->msg);
    if (rc)
        return rc;
    json_decref(v->tuples);
    v->tuples = json_incref((json_t *)output);
    v->shuffled_by[v->n_shuffles++] = trustee;
    return YS_OK;
}

/* ---- the asked ciphertexts ---- */

/* A label's numbers: "tally/3" → 3 after "tally/", "block/2/1" → 2 then 1; false unless each is 1 … 10⁹ − 1
 * written plainly and nothing follows. */
static bool numbers_after(const char *label, const char *prefix, size_t n, unsigned long out[2])
{
    size_t len = strlen(prefix);
    if (strncmp(label, prefix, len) != 0)
        return false;
    const char *p = label + len;
    for (size_t i = 0; i < n; i++) {
        size_t digits = strspn(p, "0123456789");
        if (!digits || digits > 9 || *p == '0')
            return false;
        out[i] = strtoul(p, NULL, 10);
        p += digits;
        if (i + 1 < n && *p++ != '/')
            return false;
    }
    return *p == '\0';
}

/* What the ballots make of `label`, or NULL with *why: an aggregate of the JSON { "marks": [T₁ … T_C],
 * "writein": T_W }, or, once the k shuffles are checked, a ciphertext of the last output's tuples (§9: the
 * ballots' own tuples re-encrypted and permuted, which match nothing before every shuffle's proof is checked). */
static const json_t *expected(const ys_vboard *b, const json_t *agg, const char *label, const char **why)
{
    unsigned long at[2];
    const json_t *tuples = b->st->tuples;
    *why = "names no aggregate of this vote";
    if (!strcmp(label, "tally/writein")) {
        const json_t *w = json_object_get(agg, "writein");
        if (!w)
            *why = "names the write-ins' count, and this vote takes no write-ins";
        return w;
    }
    if (numbers_after(label, "tally/", 1, at))
        return json_array_get(json_object_get(agg, "marks"), at[0] - 1);
    bool mix = numbers_after(label, "mix/", 1, at), block = !mix && numbers_after(label, "block/", 2, at);
    if (!mix && !block)
        return NULL;
    if (b->st->n_shuffles < (int)b->k || !b->k) {
        *why = "is a shuffle's output (§9), and fewer shuffles than the key's threshold are checked from the "
               "board's ballots";
        return NULL;
    }
    *why = "names no ciphertext of the last shuffle's output";
    return json_array_get(json_array_get(tuples, at[0] - 1), mix ? 0 : at[1]);
}

ys_rc ys_vboard_match(const ys_vboard *b, const json_t *cts, ys_err *err)
{
    json_t *agg = ys_vtally_json(b->st->tally);
    ys_rc rc = agg ? YS_OK : ys_fail(err, YS_NOMEM, NULL, "out of memory summing the board's ballots");
    char field[40];
    size_t i;
    const json_t *one;
    if (!rc && (!json_is_array(cts) || !json_array_size(cts)))
        rc = ys_fail(err, YS_BAD_PROOF, "ciphertexts", "what is to be decrypted is no list of labelled ciphertexts");
    json_array_foreach(cts, i, one) {
        const char *label = json_string_value(json_object_get(one, "label")), *why = NULL;
        const json_t *want = rc || !label ? NULL : expected(b, agg, label, &why);
        snprintf(field, sizeof field, "ciphertexts[%zu]", i);
        if (rc)
            break;
        if (!label)
            rc = ys_fail(err, YS_BAD_PROOF, field, "%s has no label", field);
        else if (!want)
            rc = ys_fail(err, YS_BAD_PROOF, field, "%s (%s) %s", field, label, why);
        else if (!json_equal(want, json_object_get(one, "ct")) && !strncmp(label, "tally/", 6))
            rc = ys_fail(err, YS_BAD_PROOF, field, "%s (%s) is not the sum of the %llu ballots on the board: the "
                         "server asks to decrypt something else", field, label,
                         (unsigned long long)ys_vboard_count(b));
        else if (!json_equal(want, json_object_get(one, "ct")))
            rc = ys_fail(err, YS_BAD_PROOF, field, "%s (%s) is not that ciphertext of the last of the %d shuffles "
                         "checked: the server asks to decrypt something else", field, label, b->st->n_shuffles);
    }
    json_decref(agg);
    return rc;
}
